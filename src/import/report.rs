//! What an import found, in the two forms a clerk takes away: the JSON report (README, "Import
//! report") and the error workbook — the sheet as read, with a 错误说明 column and the bad cells
//! in red, ready to fix and upload again.

use super::roster::Parsed;
use super::roster::codes::Issue;
use super::roster::fields::Field;
use super::roster::plan::{Change, Counts, Outcome, Plan, Share};
use super::sheet::{Cell, Format};
use crate::i18n::Lang;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub struct ReportIssue {
    pub row: u32,
    pub column: Option<String>,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportSkip {
    pub row: u32,
    pub reason: super::roster::Skip,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportUpdate {
    pub row: u32,
    pub who: String,
    pub changes: Vec<Change>,
}

/// The stable JSON report. Keys are documented in the README; new keys may be added, none
/// removed or renamed.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub file: String,
    pub format: Format,
    pub sheet: String,
    pub header_row: u32,
    pub columns: Vec<ReportColumn>,
    pub ignored_columns: Vec<String>,
    pub rows: Counts,
    pub errors: Vec<ReportIssue>,
    pub warnings: Vec<ReportIssue>,
    pub skipped: Vec<ReportSkip>,
    pub updates: Vec<ReportUpdate>,
    /// Cohorts whose people the import would change beyond the share that needs confirming.
    pub needs_confirmation: Vec<Share>,
    pub digest: String,
    pub committed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportColumn {
    pub field: Field,
    pub column: String,
}

fn issue(i: &Issue, lang: Lang) -> ReportIssue {
    ReportIssue {
        row: i.row,
        column: i.column.clone(),
        code: i.code.as_str(),
        message: i.message(lang),
    }
}

pub fn report(
    file: &str,
    format: Format,
    parsed: &Parsed,
    plan: &Plan,
    committed: bool,
    lang: Lang,
) -> Report {
    let mut columns: Vec<ReportColumn> = parsed
        .columns
        .iter()
        .map(|(f, c)| ReportColumn {
            field: *f,
            column: super::sheet::column_letter(*c),
        })
        .collect();
    columns.sort_by_key(|c| (c.column.len(), c.column.clone()));
    Report {
        file: file.to_string(),
        format,
        sheet: parsed.sheet.clone(),
        header_row: parsed.header_row,
        columns,
        ignored_columns: parsed.ignored.clone(),
        rows: plan.counts,
        errors: plan
            .rows
            .iter()
            .flat_map(|r| r.issues.iter().map(|i| issue(i, lang)))
            .collect(),
        warnings: plan
            .rows
            .iter()
            .flat_map(|r| r.warnings.iter().map(|i| issue(i, lang)))
            .collect(),
        skipped: plan
            .rows
            .iter()
            .filter_map(|r| r.skipped.map(|reason| ReportSkip { row: r.row, reason }))
            .collect(),
        updates: plan
            .rows
            .iter()
            .filter(|r| r.outcome == Outcome::Update)
            .map(|r| ReportUpdate {
                row: r.row,
                who: r.who.clone(),
                changes: r.changes.clone(),
            })
            .collect(),
        needs_confirmation: plan.over_share.clone(),
        digest: plan.digest.clone(),
        committed,
    }
}

/// A worksheet name Excel accepts: without []:*?/\\, at most 31 characters, never empty.
pub fn sheet_name(raw: &str) -> String {
    let name: String = raw
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    if name.is_empty() {
        "Sheet1".to_string()
    } else {
        name
    }
}

/// Columns whose values must stay text (Excel would round or reformat them).
fn text_column(field: Option<Field>) -> bool {
    matches!(
        field,
        Some(Field::IdNumber | Field::Mobile | Field::Cohort | Field::Name)
    )
}

/// The error workbook: header and every row below it as read, each on the file's own row, the
/// problems of each row in an added last column, bad cells filled red. Rows that were skipped
/// keep their place; an ID number stored as a number stays one.
pub fn error_workbook(parsed: &Parsed, plan: &Plan, lang: Lang) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Color, Format as Fmt, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(&parsed.sheet)).map_err(fail)?;
    let bold = Fmt::new().set_bold().set_text_wrap();
    let text = Fmt::new().set_num_format("@");
    let red = Fmt::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006))
        .set_num_format("@");
    let red_number = Fmt::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006));
    let note = Fmt::new()
        .set_font_color(Color::RGB(0x9C0006))
        .set_text_wrap();
    let plain = Fmt::new();
    // A formula-like value is shown as typed and never run: the quote-prefix format (as Excel
    // marks text itself), never an apostrophe inside the value.
    let shown = |fmt: &Fmt, v: &str| {
        if crate::import::sheet::text::formula_like(v) {
            fmt.clone().set_quote_prefix()
        } else {
            fmt.clone()
        }
    };
    let field_of: HashMap<u32, Field> = parsed.columns.iter().map(|(f, c)| (*c, *f)).collect();
    let last_col = parsed
        .header
        .iter()
        .chain(parsed.rows.iter().flat_map(|r| r.cells.iter()))
        .map(|(c, _)| *c)
        .max()
        .unwrap_or(0);
    let errors_col = (last_col + 1) as u16;
    // Every row keeps the file's own row number (the clerk's note "D39: …" sits on row 39):
    // the header on its row, the title rows above it left out and said so.
    let header_at = parsed.header_row.saturating_sub(1);
    if header_at > 0 {
        let said = match lang {
            Lang::Zh => {
                format!("行号与原文件一致：原文件第 1–{header_at} 行（表头上方的标题等）此处从略。")
            }
            Lang::En => format!(
                "Rows keep the file's row numbers: rows 1–{header_at} of the file (above the header) are left out."
            ),
        };
        ws.write_string_with_format(0, 0, said, &note)
            .map_err(fail)?;
    }
    for (c, v) in &parsed.header {
        ws.write_string_with_format(header_at, *c as u16, v.display(), &bold)
            .map_err(fail)?;
    }
    ws.write_string_with_format(
        header_at,
        errors_col,
        if lang == Lang::En {
            "错误说明 (problems)"
        } else {
            "错误说明"
        },
        &bold,
    )
    .map_err(fail)?;
    let planned: HashMap<u32, &super::roster::plan::Planned> =
        plan.rows.iter().map(|p| (p.row, p)).collect();
    for r in &parsed.rows {
        let out = r.row.saturating_sub(1);
        let issues: &[Issue] = planned.get(&r.row).map_or(&[], |p| &p.issues);
        let bad: Vec<Option<Field>> = issues.iter().map(|i| i.field).collect();
        for (c, v) in &r.cells {
            let field = field_of.get(c).copied();
            let is_bad = field.is_some() && bad.contains(&field);
            let col = *c as u16;
            let value = v.display();
            match (v, is_bad, text_column(field)) {
                // An ID number Excel stored as a number has lost its last digits: it stays the
                // number it was (flagged again when the file comes back), never an 18-digit
                // text that could pass for a real ID number.
                (Cell::Number(n), _, _) if field == Some(Field::IdNumber) => ws
                    .write_number_with_format(out, col, *n, &red_number)
                    .map(|_| ()),
                (_, true, _) => ws
                    .write_string_with_format(out, col, &value, &shown(&red, &value))
                    .map(|_| ()),
                (Cell::Number(n), false, false) => ws.write_number(out, col, *n).map(|_| ()),
                (_, false, true) => ws
                    .write_string_with_format(out, col, &value, &shown(&text, &value))
                    .map(|_| ()),
                _ => ws
                    .write_string_with_format(out, col, &value, &shown(&plain, &value))
                    .map(|_| ()),
            }
            .map_err(fail)?;
        }
        if !issues.is_empty() {
            let msg = issues
                .iter()
                .map(|i| {
                    let col = i.column.as_deref().unwrap_or("");
                    format!("{col}{}: {}", i.row, i.message(lang))
                })
                .collect::<Vec<_>>()
                .join("\n");
            ws.write_string_with_format(out, errors_col, msg, &note)
                .map_err(fail)?;
        }
    }
    for (c, _) in &parsed.header {
        let width = if text_column(field_of.get(c).copied()) {
            20
        } else {
            12
        };
        ws.set_column_width(*c as u16, width).map_err(fail)?;
    }
    ws.set_column_width(errors_col, 60).map_err(fail)?;
    ws.set_freeze_panes(header_at + 1, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}
