//! The roster's columns (domain.md §8.1) and the header texts that name them.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// A column Ladder reads from a roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    RowNo,
    Name,
    Gender,
    IdType,
    IdNumber,
    BirthDate,
    Education,
    Employer,
    Position,
    Mobile,
    Email,
    Cohort,
    HoursTheory,
    HoursPracticum,
    HoursTotal,
    ExamScore,
    Note,
    // Attendance files (issue 5, item 6).
    CourseCode,
    CourseTitle,
    SessionDate,
    Module,
    Mode,
    Attended,
    /// A record's verification state (shown in an attendance preview; never a column).
    Status,
}

/// Header texts after [`normalise_header`], per field. Both languages; common variants seen in
/// training bases' files.
const ALIASES: &[(Field, &[&str])] = &[
    (Field::RowNo, &["序号", "编号", "no", "no.", "#", "rowno"]),
    (Field::Name, &["姓名", "学员姓名", "名字", "name"]),
    (Field::Gender, &["性别", "gender", "sex"]),
    (Field::IdType, &["证件类型", "idtype"]),
    (
        Field::IdNumber,
        &[
            "身份证号",
            "身份证号码",
            "证件号码",
            "证件号",
            "身份证",
            "公民身份号码",
            "idnumber",
            "idno",
            "id",
        ],
    ),
    (
        Field::BirthDate,
        &["出生日期", "出生年月日", "birthdate", "dateofbirth"],
    ),
    (Field::Education, &["学历", "最高学历", "education"]),
    (
        Field::Employer,
        &[
            "工作单位",
            "单位",
            "所在单位",
            "单位名称",
            "employer",
            "organization",
            "organisation",
        ],
    ),
    (Field::Position, &["职务", "职位", "position", "jobtitle"]),
    (
        Field::Mobile,
        &[
            "手机",
            "手机号",
            "手机号码",
            "联系电话",
            "联系方式",
            "电话",
            "mobile",
            "phone",
        ],
    ),
    (
        Field::Email,
        &["邮箱", "电子邮箱", "电子邮件", "email", "e-mail"],
    ),
    (
        Field::Cohort,
        &[
            "培训班次",
            "班次",
            "期次",
            "班次编号",
            "cohort",
            "cohortcode",
        ],
    ),
    (
        Field::HoursTheory,
        &["理论学时", "theoryhours", "hourstheory"],
    ),
    (
        Field::HoursPracticum,
        &["实训学时", "实践学时", "practicumhours", "hourspracticum"],
    ),
    (
        Field::HoursTotal,
        &[
            "总学时",
            "学时",
            "合计学时",
            "课时",
            "学时数",
            "totalhours",
            "hours",
        ],
    ),
    (
        Field::ExamScore,
        &[
            "考核成绩",
            "考试成绩",
            "成绩",
            "考核结果",
            "examscore",
            "score",
        ],
    ),
    (Field::Note, &["备注", "note", "notes", "remarks"]),
    (
        Field::CourseCode,
        &[
            "课程编号",
            "课程代码",
            "课程号",
            "课程编码",
            "coursecode",
            "courseno",
        ],
    ),
    (
        Field::CourseTitle,
        &[
            "课程名称",
            "课程",
            "课程名",
            "course",
            "coursetitle",
            "title",
        ],
    ),
    (
        Field::SessionDate,
        &[
            "上课日期",
            "培训日期",
            "日期",
            "授课日期",
            "date",
            "sessiondate",
        ],
    ),
    (Field::Module, &["模块", "培训模块", "课程模块", "module"]),
    (
        Field::Mode,
        &["形式", "培训形式", "授课形式", "学习形式", "mode", "format"],
    ),
    (
        Field::Attended,
        &[
            "出勤",
            "是否出勤",
            "出勤情况",
            "签到",
            "考勤",
            "attended",
            "attendance",
            "present",
        ],
    ),
];

/// Full-width ASCII (Ａ, １, （) becomes ASCII; the ideographic space becomes a space.
pub fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        other => other,
    }
}

/// A header cell as compared with the alias table: half-width, no whitespace or line breaks,
/// no required-marks (`*`), lower-case.
pub fn normalise_header(raw: &str) -> String {
    raw.chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace() && *c != '*')
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .trim_end_matches([':', '：'])
        .to_string()
}

impl Field {
    pub fn from_header(raw: &str) -> Option<Field> {
        let h = normalise_header(raw);
        ALIASES
            .iter()
            .find(|(_, names)| names.contains(&h.as_str()))
            .map(|(f, _)| *f)
    }

    /// The column's name as a clerk knows it.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Field::RowNo => ("序号", "No."),
            Field::Name => ("姓名", "Name"),
            Field::Gender => ("性别", "Gender"),
            Field::IdType => ("证件类型", "ID type"),
            Field::IdNumber => ("身份证号", "ID number"),
            Field::BirthDate => ("出生日期", "Date of birth"),
            Field::Education => ("学历", "Education"),
            Field::Employer => ("工作单位", "Employer"),
            Field::Position => ("职务", "Position"),
            Field::Mobile => ("手机", "Mobile"),
            Field::Email => ("邮箱", "E-mail"),
            Field::Cohort => ("培训班次", "Cohort"),
            Field::HoursTheory => ("理论学时", "Theory hours"),
            Field::HoursPracticum => ("实训学时", "Practicum hours"),
            Field::HoursTotal => ("总学时", "Total hours"),
            Field::ExamScore => ("考核成绩", "Assessment"),
            Field::Note => ("备注", "Note"),
            Field::CourseCode => ("课程编号", "Course code"),
            Field::CourseTitle => ("课程名称", "Course"),
            Field::SessionDate => ("上课日期", "Date"),
            Field::Module => ("模块", "Module"),
            Field::Mode => ("形式", "Mode"),
            Field::Attended => ("出勤", "Attended"),
            Field::Status => ("核验状态", "Verification"),
        };
        if lang == Lang::En { en } else { zh }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_after_normalising_breaks_spaces_and_width() {
        assert_eq!(Field::from_header("身份证\n号码"), Some(Field::IdNumber));
        assert_eq!(Field::from_header("手机号码 "), Some(Field::Mobile));
        assert_eq!(Field::from_header("＊姓　名"), Some(Field::Name));
        assert_eq!(Field::from_header("Ｅ-mail"), Some(Field::Email));
        assert_eq!(Field::from_header("ID Number"), Some(Field::IdNumber));
        assert_eq!(Field::from_header("民族"), None);
    }

    #[test]
    fn no_alias_names_two_fields() {
        let mut seen = std::collections::HashSet::new();
        for (_, names) in ALIASES {
            for n in *names {
                assert_eq!(normalise_header(n), *n, "alias {n} is not normalised");
                assert!(seen.insert(*n), "alias {n} appears twice");
            }
        }
    }
}
