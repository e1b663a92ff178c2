//! A cohort's attendance (issue 5, item 6): who took which course, read by the roster's reader
//! (same header search, blank and totals rows, duplicate marking) into [`AttendanceLine`]s.
//! A row names the person (name and ID number) and either a course of the base's catalog
//! (课程编号; module, hours and title come from the catalog) or the training itself (上课日期,
//! 模块, 学时, optionally 课程名称 and 形式). A 出勤 column marking someone absent skips the
//! row. [`plan`] compares the lines with the roster and the records already held.

pub mod plan;

use crate::domain::evidence::Mode;
use crate::domain::id_number::IdNumber;
use crate::domain::quantity::Hours;
use crate::domain::rules::Module;
use crate::import::roster::codes::{Code, Detail};
use crate::import::roster::fields::{Field, normalise_header};
use crate::import::roster::values::{self, Checked};
use crate::import::roster::{Line, ParsedRow, RowReader, Skip, skipped};
use crate::import::sheet::{Cell, Row};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One valid attendance row, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendanceLine {
    pub name: String,
    pub id: IdNumber,
    /// The cohort code as written in the row, if the file has the column.
    pub cohort: Option<String>,
    /// The catalog course's code, upper-cased as catalogs write them.
    pub course: Option<String>,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub module: Option<Module>,
    pub mode: Option<Mode>,
    pub hours: Option<Hours>,
    pub note: Option<String>,
}

/// 公共知识 / 政策法规 / 实务技能 / 能力提升, with or without 模块, or the module's code.
pub fn module(cell: &Cell) -> Checked<Module> {
    let t = values::text(cell);
    let h = normalise_header(&t).replace(['_', '-'], "");
    let m = if let Some(m) = Module::ALL
        .into_iter()
        .find(|m| m.code().replace('_', "") == h)
    {
        m
    } else if h.contains("公共") || h == "public" {
        Module::PublicKnowledge
    } else if h.contains("政策") || h.contains("法规") || h == "policy" {
        Module::PolicyLaw
    } else if h.contains("实务") || h.contains("技能") || h == "practice" {
        Module::PracticeSkills
    } else if h.contains("能力") || h.contains("提升") {
        Module::Capability
    } else {
        return Err((Code::BadModule, Detail::Value { value: t }));
    };
    Ok(m)
}

pub fn mode(cell: &Cell) -> Checked<Mode> {
    let t = values::text(cell);
    let h = normalise_header(&t);
    let m = match h.as_str() {
        "线下" | "面授" | "现场" | "集中" | "集中授课" | "onsite" | "offline" => {
            Mode::Onsite
        }
        "线上" | "网络" | "在线" | "远程" | "网络学习" | "online" => Mode::Online,
        "实训" | "实践" | "实操" | "practicum" => Mode::Practicum,
        "会议" | "学术会议" | "conference" => Mode::Conference,
        "自学" | "selfstudy" => Mode::SelfStudy,
        _ => return Err((Code::BadMode, Detail::Value { value: t })),
    };
    Ok(m)
}

/// Present (`true`) or not, as attendance sheets mark it.
pub fn attended(cell: &Cell) -> Checked<bool> {
    if let Cell::Bool(b) = cell {
        return Ok(*b);
    }
    if let Cell::Number(n) = cell {
        return Ok(*n > 0.0);
    }
    let t = values::text(cell);
    match normalise_header(&t).as_str() {
        "是" | "√" | "✓" | "✔" | "出勤" | "到" | "已到" | "签到" | "已签到" | "y" | "yes"
        | "present" => Ok(true),
        "否" | "×" | "✗" | "x" | "缺勤" | "未到" | "缺席" | "请假" | "旷课" | "n" | "no"
        | "absent" | "excused" => Ok(false),
        _ => Err((Code::BadAttendance, Detail::Value { value: t })),
    }
}

/// A course code as catalogs hold it: half-width, no spaces, upper-case.
fn course_code(cell: &Cell) -> Checked<String> {
    let t: String = values::text(cell)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    if t.is_empty() || t.chars().count() > 40 {
        return Err((Code::UnknownCourse, Detail::Course { code: t }));
    }
    Ok(t)
}

/// Reads one attendance row (the parser has already skipped blank and totals rows).
pub fn read_row(row: Row, columns: &HashMap<Field, u32>, date1904: bool) -> ParsedRow {
    let mut r = RowReader {
        row: &row,
        columns,
        issues: Vec::new(),
    };
    // Someone marked absent has nothing to record; a bad mark is an error like any other.
    if r.read(Field::Attended, attended) == Some(false) {
        return skipped(row.index, row.cells, Skip::Absent);
    }
    let name = r.required(Field::Name, values::name);
    let id = r.required(Field::IdNumber, values::id_number);
    let course = r.read(Field::CourseCode, course_code);
    let date = r.read(Field::SessionDate, |c| values::date(c, date1904));
    let module = r.read(Field::Module, module);
    let mode = r.read(Field::Mode, mode);
    let hours = r.read(Field::HoursTotal, values::hours);
    if hours == Some(Hours(0)) {
        r.issue(
            Some(Field::HoursTotal),
            Code::BadHours,
            Detail::Value {
                value: "0".to_string(),
            },
        );
    }
    // Without a catalog course the row itself says what the training was.
    if course.is_none() && r.cell(Field::CourseCode).is_none() {
        let missing: Vec<Field> = [
            (Field::SessionDate, r.cell(Field::SessionDate).is_none()),
            (Field::Module, r.cell(Field::Module).is_none()),
            (Field::HoursTotal, r.cell(Field::HoursTotal).is_none()),
        ]
        .into_iter()
        .filter_map(|(f, absent)| absent.then_some(f))
        .collect();
        for field in missing {
            r.issue(Some(field), Code::MissingRequired, Detail::NoCourse);
        }
    }
    let cohort = r.free_text(Field::Cohort);
    let title = r.free_text(Field::CourseTitle);
    let note = r.free_text(Field::Note);
    let issues = std::mem::take(&mut r.issues);
    let line = match (name, id, issues.is_empty()) {
        (Some(name), Some(id), true) => Some(Box::new(Line::Attendance(AttendanceLine {
            name,
            id,
            cohort,
            course,
            title,
            date,
            module,
            mode,
            hours,
            note,
        }))),
        _ => None,
    };
    ParsedRow {
        row: row.index + 1,
        cells: row.cells,
        skip: None,
        issues,
        line,
        later: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn modules_read_as_clerks_write_them() {
        assert_eq!(module(&t("政策法规模块")), Ok(Module::PolicyLaw));
        assert_eq!(module(&t("公共知识")), Ok(Module::PublicKnowledge));
        assert_eq!(module(&t("实务 技能")), Ok(Module::PracticeSkills));
        assert_eq!(module(&t("capability")), Ok(Module::Capability));
        assert_eq!(module(&t("policy_law")), Ok(Module::PolicyLaw));
        assert_eq!(module(&t("体育")).unwrap_err().0, Code::BadModule);
    }

    #[test]
    fn attendance_marks_read_both_ways() {
        assert_eq!(attended(&t("√")), Ok(true));
        assert_eq!(attended(&t("请假")), Ok(false));
        assert_eq!(attended(&t("×")), Ok(false));
        assert_eq!(attended(&Cell::Number(1.0)), Ok(true));
        assert_eq!(attended(&t("半天")).unwrap_err().0, Code::BadAttendance);
        assert_eq!(mode(&t("线上")), Ok(Mode::Online));
        assert_eq!(mode(&t("飞行")).unwrap_err().0, Code::BadMode);
    }
}
