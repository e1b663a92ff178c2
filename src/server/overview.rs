//! A training base's overview of a cohort (issue 4, item 7): each member's stored score,
//! level and what they still miss, the level distribution, and the list as .xlsx or .csv.
//! Personal data is masked in the list and in the files; cells that a spreadsheet would read
//! as a formula are neutralised.

use super::AppState;
use crate::api::AppError;
use crate::api::overview::Line;
use crate::db::Db;
use crate::db::overview::{self as store, MemberRow, Order};
use crate::domain::access::{self, Action};
use crate::domain::explain;
use crate::domain::id_number::IdNumber;
use crate::domain::quantity::Points;
use crate::domain::score::ScoreReport;
use crate::i18n::{Key, Lang};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub fn line(row: &MemberRow, lang: Lang) -> Line {
    let report: Option<ScoreReport> = row
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    Line {
        person_id: row.person_id,
        name: row.name.clone(),
        id_number: row
            .id_number
            .as_deref()
            .and_then(|i| IdNumber::parse(i).ok())
            .map(|i| i.masked())
            .unwrap_or_default(),
        unit: row.unit.clone().unwrap_or_default(),
        total: row.total.map(Points),
        reached: report.as_ref().and_then(|r| r.position.reached),
        next: report.as_ref().and_then(|r| r.position.next),
        gaps: report
            .as_ref()
            .map(|r| {
                r.position
                    .gaps
                    .iter()
                    .map(|g| explain::requirement(g, lang))
                    .collect()
            })
            .unwrap_or_default(),
        ruleset: report
            .as_ref()
            .map(|r| format!("{} v{}", r.ruleset.id, r.ruleset.version))
            .unwrap_or_default(),
    }
}

/// Every member of a cohort, by name.
pub async fn all_lines(db: &Db, cohort: i64, lang: Lang) -> Result<Vec<Line>, AppError> {
    Ok(store::members(db, cohort, Order::Name, None, 0)
        .await?
        .iter()
        .map(|r| line(r, lang))
        .collect())
}

/// A cell a spreadsheet must show as text: one starting with `=`, `+`, `-` or `@` (or a tab
/// or carriage return) would be read as a formula, so it gets a leading apostrophe.
pub fn neutralised(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn headers(lang: Lang) -> Vec<&'static str> {
    [
        Key::RecordNo,
        Key::FullName,
        Key::IdNumber,
        Key::Unit,
        Key::TotalScore,
        Key::LevelReached,
        Key::NextLevel,
        Key::GapList,
        Key::RulesetUsed,
    ]
    .into_iter()
    .map(|k| lang.text(k))
    .collect()
}

fn cells(i: usize, l: &Line, lang: Lang) -> Vec<String> {
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    vec![
        (i + 1).to_string(),
        l.name.clone(),
        l.id_number.clone(),
        l.unit.clone(),
        l.total.map(|t| t.display()).unwrap_or_default(),
        explain::level(l.reached, lang).to_string(),
        l.next
            .map(|n| explain::level(Some(n), lang).to_string())
            .unwrap_or_default(),
        l.gaps.join(sep),
        l.ruleset.clone(),
    ]
}

/// The list as CSV: UTF-8 with a byte-order mark (so Excel reads the Chinese), every cell
/// neutralised.
pub fn csv(lines: &[Line], lang: Lang) -> Result<Vec<u8>, AppError> {
    let mut w = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let fail = |e: ::csv::Error| {
        tracing::error!(error = %e, "csv export");
        AppError::Internal
    };
    w.write_record(headers(lang)).map_err(fail)?;
    for (i, l) in lines.iter().enumerate() {
        w.write_record(cells(i, l, lang).iter().map(|c| neutralised(c)))
            .map_err(fail)?;
    }
    w.into_inner().map_err(|e| {
        tracing::error!(error = %e, "csv export");
        AppError::Internal
    })
}

/// The list as .xlsx: every cell written as text (ID numbers and scores stay as shown), a
/// bold header, frozen, with filters.
pub fn xlsx(lines: &[Line], lang: Lang, sheet: &str) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| {
        tracing::error!(error = %e, "xlsx export");
        AppError::Internal
    };
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(crate::import::report::sheet_name(sheet))
        .map_err(fail)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers(lang).iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(fail)?;
    }
    for (i, l) in lines.iter().enumerate() {
        for (c, v) in cells(i, l, lang).iter().enumerate() {
            // write_string never makes a formula; the apostrophe keeps the file safe in
            // whatever tool re-saves it as CSV.
            ws.write_string((i + 1) as u32, c as u16, neutralised(v))
                .map_err(fail)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(fail)?;
    let last = lines.len() as u32;
    ws.autofilter(0, 0, last, 8).map_err(fail)?;
    for (c, width) in [6, 10, 22, 28, 8, 18, 18, 60, 20].into_iter().enumerate() {
        ws.set_column_width(c as u16, width).map_err(fail)?;
    }
    book.save_to_buffer().map_err(fail)
}

/// `GET /files/export/{cohort}/{format}` (format `xlsx` or `csv`): the cohort overview as a
/// file, for the admins of the cohort's base (and the system admin and program authority).
pub async fn export(
    State(state): State<AppState>,
    headers_in: HeaderMap,
    Path((cohort_code, format)): Path<(String, String)>,
) -> Response {
    let now = super::clock::now();
    let Some(caller) = crate::api::ssr::caller_from(&state, &headers_in, now).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if !access::allows(&caller.grants, Action::ViewAnyOverview) || caller.must_change_password {
        return StatusCode::FORBIDDEN.into_response();
    }
    let cohort = match crate::db::bases::cohort_by_code(&state.db, &cohort_code).await {
        Ok(Some(k)) if access::allows(&caller.grants, Action::ViewOverview { base: k.base_id }) => {
            k
        }
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let lang = super::session::request_lang(&headers_in);
    let built = match all_lines(&state.db, cohort.id, lang).await {
        Ok(lines) => match format.as_str() {
            "xlsx" => xlsx(&lines, lang, &cohort.code).map(|b| {
                (
                    b,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            }),
            "csv" => csv(&lines, lang).map(|b| (b, "text/csv; charset=utf-8")),
            _ => return StatusCode::NOT_FOUND.into_response(),
        },
        Err(e) => Err(e),
    };
    let Ok((bytes, content_type)) = built else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let logged = async {
        let mut tx = state.db.begin_write().await?;
        crate::db::audit::append(
            &mut tx,
            now,
            &caller.actor(),
            crate::db::audit::Change {
                action: "cohort.export",
                entity_type: "cohort",
                entity_id: cohort.id.to_string(),
                before: None,
                after: Some(format!("{} {format} (personal data masked)", cohort.code)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    }
    .await;
    if logged.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}-overview.{format}\"",
        cohort.code
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        assert_eq!(neutralised("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralised("+86 138"), "'+86 138");
        assert_eq!(neutralised("-1"), "'-1");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("张伟"), "张伟");
        assert_eq!(neutralised(""), "");
    }
}
