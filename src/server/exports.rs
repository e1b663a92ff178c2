//! A cohort as files (.xlsx and .csv): the overview, the roster (the columns a roster import
//! reads, so an export can be edited and imported again), training hours by module, and score
//! reports with the explanation of every dimension.
//!
//! Every cell is written as text; a formula-like one never runs, in Excel or in a CSV
//! re-saved elsewhere); ID numbers and phones are masked unless a base admin of the cohort's
//! base asks for the full roster, which is audited as an unmasking. Every export is audited.

use super::AppState;
use crate::api::AppError;
use crate::db::Db;
use crate::db::audit::{self, Change};
use crate::db::overview::{self as store, RosterRow};
use crate::domain::access::{self, Action};
use crate::domain::explain;
use crate::domain::id_number::IdNumber;
use crate::domain::privacy::mask_phone;
use crate::domain::quantity::{Hours, Points};
use crate::domain::rules::Module;
use crate::domain::score::ScoreReport;
use crate::i18n::Lang;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

/// The media type of an .xlsx file.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A sheet of text cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub sheet: String,
    pub headers: Vec<String>,
    /// Column widths in characters (missing ones: 12).
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<String>>,
}

use crate::import::sheet::text::{formula_like, guarded};

fn internal(what: &'static str) -> impl Fn(String) -> AppError {
    move |e| {
        tracing::error!(error = %e, "{what} export");
        AppError::Internal
    }
}

/// UTF-8 with a byte-order mark (so Excel reads the Chinese), every cell neutralised.
pub fn csv(t: &Table) -> Result<Vec<u8>, AppError> {
    let fail = internal("csv");
    let mut w = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(&t.headers)
        .map_err(|e| fail(e.to_string()))?;
    for row in &t.rows {
        w.write_record(row.iter().map(|c| guarded(c).into_owned()))
            .map_err(|e| fail(e.to_string()))?;
    }
    w.into_inner().map_err(|e| fail(e.to_string()))
}

/// Every cell as a text cell (ID numbers and scores stay as shown), a bold header, frozen,
/// with filters.
pub fn xlsx(t: &Table) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| internal("xlsx")(e.to_string());
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(crate::import::report::sheet_name(&t.sheet))
        .map_err(fail)?;
    let bold = Format::new().set_bold().set_text_wrap();
    let text = Format::new().set_num_format("@");
    // A formula-like cell keeps its value and is marked as text the way Excel itself does it
    // (the quote prefix): shown as typed, never run, and not changed by an apostrophe.
    let quoted = text.clone().set_quote_prefix();
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)
            .map_err(fail)?;
        let width = t.widths.get(c).copied().unwrap_or(12.0);
        ws.set_column_width(c as u16, width).map_err(fail)?;
    }
    for (i, row) in t.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let format = if formula_like(v) { &quoted } else { &text };
            ws.write_string_with_format((i + 1) as u32, c as u16, v, format)
                .map_err(fail)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(fail)?;
    let last_col = t.headers.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, t.rows.len() as u32, last_col)
        .map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

/// `zh` or `en`, for the workbooks' own headers.
pub(crate) fn t(lang: Lang, zh: &str, en: &str) -> String {
    if lang == Lang::Zh { zh } else { en }.to_string()
}

fn id_shown(id: Option<&str>, unmasked: bool) -> String {
    match (id.and_then(|i| IdNumber::parse(i).ok()), unmasked) {
        (Some(i), true) => i.as_str().to_string(),
        (Some(i), false) => i.masked(),
        (None, _) => String::new(),
    }
}

fn hours(h: Option<i64>) -> String {
    h.map(|h| Hours(h).to_string()).unwrap_or_default()
}

/// The roster, in the column names a roster import reads (an unmasked export imports again).
pub fn roster_table(rows: &[RosterRow], code: &str, unmasked: bool) -> Table {
    use crate::import::roster::fields::Field;
    let fields = [
        Field::RowNo,
        Field::Name,
        Field::Gender,
        Field::IdNumber,
        Field::Employer,
        Field::Position,
        Field::Mobile,
        Field::Email,
        Field::Education,
        Field::Cohort,
        Field::HoursTheory,
        Field::HoursPracticum,
        Field::ExamScore,
        Field::Note,
    ];
    let education = |e: &str| {
        crate::domain::eligibility::Education::parse(e)
            .map(|e| explain::education(e, Lang::Zh).to_string())
            .unwrap_or_default()
    };
    Table {
        sheet: code.to_string(),
        // Chinese headers in both languages: they are what the import (and other bases'
        // tools) read.
        headers: fields
            .iter()
            .map(|f| f.label(Lang::Zh).to_string())
            .collect(),
        widths: vec![
            6.0, 10.0, 6.0, 22.0, 28.0, 12.0, 14.0, 24.0, 12.0, 16.0, 9.0, 9.0, 9.0, 20.0,
        ],
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.name.clone(),
                    match r.gender.as_deref() {
                        Some("male") => "男".into(),
                        Some("female") => "女".into(),
                        _ => String::new(),
                    },
                    id_shown(r.id_number.as_deref(), unmasked),
                    r.unit.clone().unwrap_or_default(),
                    r.position.clone().unwrap_or_default(),
                    r.phone
                        .as_deref()
                        .map(|p| {
                            if unmasked {
                                p.to_string()
                            } else {
                                mask_phone(p)
                            }
                        })
                        .unwrap_or_default(),
                    r.email.clone().unwrap_or_default(),
                    r.education.as_deref().map(education).unwrap_or_default(),
                    code.to_string(),
                    hours(r.hours_theory),
                    hours(r.hours_practicum),
                    r.score.clone().unwrap_or_default(),
                    r.note.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    }
}

/// Verified training hours by module and continuing education, per member.
pub async fn hours_table(
    db: &Db,
    rows: &[RosterRow],
    code: &str,
    lang: Lang,
) -> Result<Table, AppError> {
    let mut headers = vec![
        t(lang, "序号", "No."),
        t(lang, "姓名", "Name"),
        t(lang, "身份证号", "ID number"),
    ];
    headers.extend(
        Module::ALL
            .iter()
            .map(|m| explain::module(*m, lang).to_string()),
    );
    headers.extend([
        t(lang, "培训学时合计（已核实）", "Training hours (verified)"),
        t(
            lang,
            "继续教育学时（已核实）",
            "Continuing education hours (verified)",
        ),
        t(lang, "名单理论学时", "Roster theory hours"),
        t(lang, "名单实训学时", "Roster practicum hours"),
    ]);
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let ev = super::scores::evidence_of(db, r.person_id).await?;
        let mut by_module: HashMap<Module, i64> = HashMap::new();
        for tr in ev.training.iter().filter(|tr| tr.verification.counts()) {
            *by_module.entry(tr.module).or_default() += tr.hours.0;
        }
        let ce: i64 = ev
            .continuing_education
            .iter()
            .filter(|c| c.verification.counts())
            .map(|c| c.hours.0)
            .sum();
        let mut cells = vec![
            (i + 1).to_string(),
            r.name.clone(),
            id_shown(r.id_number.as_deref(), false),
        ];
        cells.extend(
            Module::ALL
                .iter()
                .map(|m| Hours(by_module.get(m).copied().unwrap_or(0)).to_string()),
        );
        cells.extend([
            Hours(by_module.values().sum()).to_string(),
            Hours(ce).to_string(),
            hours(r.hours_theory),
            hours(r.hours_practicum),
        ]);
        out.push(cells);
    }
    let mut widths = vec![6.0, 10.0, 22.0];
    widths.extend([14.0; 8]);
    Ok(Table {
        sheet: code.to_string(),
        headers,
        widths,
        rows: out,
    })
}

/// Each member's stored score report: total, levels, and every dimension with its points and
/// the sub-indicators behind them, in words.
pub async fn scores_table(db: &Db, cohort: i64, code: &str, lang: Lang) -> Result<Table, AppError> {
    use crate::domain::rules::Dimension;
    let members = store::members(db, cohort, store::Order::Name, None, 0).await?;
    let mut headers = vec![
        t(lang, "序号", "No."),
        t(lang, "姓名", "Name"),
        t(lang, "身份证号", "ID number"),
        t(lang, "总分", "Total"),
        t(lang, "已达等级", "Level reached"),
        t(lang, "下一等级", "Next level"),
    ];
    for d in Dimension::ALL {
        let name = explain::dimension(d, lang);
        headers.push(format!("{name} {}", t(lang, "得分", "points")));
        headers.push(format!("{name} {}", t(lang, "说明", "explained")));
    }
    headers.push(t(lang, "规则集", "Ruleset"));
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    let rows = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let report: Option<ScoreReport> = m
                .report
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok());
            let mut cells = vec![
                (i + 1).to_string(),
                m.name.clone(),
                id_shown(m.id_number.as_deref(), false),
                // A blocked score is no number: the reason (issue 21).
                match report.as_ref().and_then(|r| explain::blocked(r, lang)) {
                    Some(why) => why,
                    None => m.total.map(|p| Points(p).display()).unwrap_or_default(),
                },
            ];
            match &report {
                Some(r) => {
                    cells.push(explain::level(r.position.reached, lang).to_string());
                    cells.push(
                        r.position
                            .next
                            .map(|n| explain::level(Some(n), lang).to_string())
                            .unwrap_or_default(),
                    );
                    for d in Dimension::ALL {
                        let score = r.dimensions.iter().find(|s| s.dimension == d);
                        cells.push(score.map(|s| s.points.display()).unwrap_or_default());
                        let why: Vec<String> = r
                            .ledger
                            .iter()
                            .filter(|e| e.dimension == d)
                            .map(|e| {
                                format!(
                                    "{} {} × {}% → {}",
                                    explain::indicator(e.indicator, lang),
                                    e.raw.display(),
                                    e.share,
                                    e.dimension_points.display()
                                )
                            })
                            .collect();
                        cells.push(why.join(sep));
                    }
                    cells.push(format!("{} v{}", r.ruleset.id, r.ruleset.version));
                }
                None => {
                    cells.push(t(lang, "尚未评分", "Not scored yet"));
                    cells.resize(headers.len(), String::new());
                }
            }
            cells
        })
        .collect();
    let mut widths = vec![6.0, 10.0, 22.0, 8.0, 16.0, 16.0];
    for _ in Dimension::ALL {
        widths.extend([8.0, 40.0]);
    }
    widths.push(20.0);
    Ok(Table {
        sheet: code.to_string(),
        headers,
        widths,
        rows,
    })
}

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    /// `1`: the roster with full ID numbers and phones (base admins of the base; audited).
    #[serde(default)]
    full: Option<String>,
}

/// `GET /files/export/{cohort}/{file}`: `xlsx` or `csv` (the overview, as before), or
/// `{roster|hours|scores|overview}.{xlsx|csv}`. For whoever may see the base's overview.
pub async fn export(
    State(state): State<AppState>,
    headers_in: HeaderMap,
    request_user: crate::server::observe::RequestUser,
    Path((cohort_code, file)): Path<(String, String)>,
    Query(q): Query<ExportQuery>,
) -> Response {
    let now = super::clock::now();
    let Some(caller) = crate::api::ssr::caller_from(&state, &headers_in, &request_user, now).await
    else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if !access::allows(&caller.grants, Action::ViewAnyOverview) || caller.must_change_password {
        return StatusCode::FORBIDDEN.into_response();
    }
    let (kind, format) = match file.split_once('.') {
        Some((k, f)) => (k.to_string(), f.to_string()),
        None => ("overview".to_string(), file.clone()),
    };
    if !matches!(format.as_str(), "xlsx" | "csv")
        || !matches!(kind.as_str(), "overview" | "roster" | "hours" | "scores")
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    let cohort = match crate::db::bases::cohort_by_code(&state.db, &cohort_code).await {
        Ok(Some(k)) if access::allows(&caller.grants, Action::ViewOverview { base: k.base_id }) => {
            k
        }
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let unmasked = kind == "roster" && q.full.as_deref() == Some("1");
    if unmasked
        && !access::allows(
            &caller.grants,
            Action::ImportRosters {
                base: cohort.base_id,
            },
        )
    {
        return StatusCode::FORBIDDEN.into_response();
    }
    let lang = super::session::request_lang(&headers_in);
    let db = &state.db;
    let table = match kind.as_str() {
        "overview" => super::overview::all_lines(db, cohort.id, lang)
            .await
            .map(|lines| super::overview::table(&lines, lang, &cohort.code)),
        "scores" => scores_table(db, cohort.id, &cohort.code, lang).await,
        roster_or_hours => match store::roster(db, cohort.id).await {
            Ok(rows) if roster_or_hours == "roster" => {
                Ok(roster_table(&rows, &cohort.code, unmasked))
            }
            Ok(rows) => hours_table(db, &rows, &cohort.code, lang).await,
            Err(e) => Err(e.into()),
        },
    };
    let built = table.and_then(|t| match format.as_str() {
        "xlsx" => xlsx(&t).map(|b| (b, XLSX)),
        _ => csv(&t).map(|b| (b, "text/csv; charset=utf-8")),
    });
    let Ok((bytes, content_type)) = built else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let logged = async {
        let mut tx = state.db.begin_write().await?;
        audit::append(
            &mut tx,
            now,
            &caller.actor(),
            Change {
                action: if unmasked {
                    "cohort.export.unmasked"
                } else {
                    "cohort.export"
                },
                entity_type: "cohort",
                entity_id: cohort.id.to_string(),
                before: None,
                after: Some(format!(
                    "{} {kind}.{format} ({})",
                    cohort.code,
                    if unmasked {
                        "ID numbers and phones in full"
                    } else {
                        "personal data masked"
                    }
                )),
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
    super::files::attachment(
        bytes,
        content_type,
        &format!("{}-{kind}.{format}", cohort.code),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formula-like cells are text one way everywhere: in .xlsx the value as it is with the
    /// quote-prefix format, in CSV behind an apostrophe the import takes off again.
    #[test]
    fn formula_cells_are_text_and_come_back_unchanged() {
        use calamine::Reader;
        let cells = ["=HYPERLINK(\"x\")", "+86 138", "-1", "@SUM(A1)", "张伟", ""];
        let table = Table {
            sheet: "名单".into(),
            headers: vec!["备注".into()],
            widths: vec![],
            rows: cells.iter().map(|c| vec![c.to_string()]).collect(),
        };
        let book = xlsx(&table).unwrap();
        let mut xl =
            calamine::open_workbook_auto_from_rs(std::io::Cursor::new(book.clone())).unwrap();
        let range = xl.worksheet_range_at(0).unwrap().unwrap();
        let read: Vec<String> = range.rows().skip(1).map(|r| r[0].to_string()).collect();
        assert_eq!(
            read[..5],
            cells[..5],
            "the values as they are, no apostrophe"
        );
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles)
            .unwrap();
        assert!(styles.contains("quotePrefix=\"1\""), "{styles}");

        let csv_bytes = csv(&table).unwrap();
        let text = String::from_utf8(csv_bytes.clone()).unwrap();
        assert!(text.contains("'=HYPERLINK") && text.contains("'-1") && !text.contains("'张伟"));
        let again =
            crate::import::sheet::read("名单.csv", &csv_bytes, &Default::default()).unwrap();
        let back: Vec<String> = again.sheets[0]
            .rows
            .iter()
            .skip(1)
            .map(|r| {
                r.cells
                    .first()
                    .map(|(_, c)| c.display())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            back[..5],
            cells[..5],
            "an export imported again changes nothing"
        );
    }

    #[test]
    fn a_masked_roster_hides_ids_and_phones_and_keeps_the_import_headers() {
        let row = RosterRow {
            person_id: 1,
            name: "=张伟".into(),
            id_number: Some("11010519491231002X".into()),
            gender: Some("female".into()),
            phone: Some("13812345678".into()),
            email: None,
            unit: None,
            position: None,
            education: Some("bachelor".into()),
            hours_theory: Some(3200),
            hours_practicum: None,
            score: None,
            note: None,
        };
        let t = roster_table(std::slice::from_ref(&row), "K-1", false);
        assert_eq!(t.headers[3], "身份证号");
        assert_eq!(t.rows[0][3], "110105********002X");
        assert_eq!(t.rows[0][6], "138****5678");
        assert_eq!(t.rows[0][10], "32");
        let full = roster_table(&[row], "K-1", true);
        assert_eq!(full.rows[0][3], "11010519491231002X");
        let bytes = csv(&full).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("'=张伟"), "{text}");
    }
}
