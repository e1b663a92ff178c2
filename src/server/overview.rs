//! A training base's overview of a cohort (issue 4, item 7): each member's stored score,
//! level and what they still miss, the level distribution, and the list as .xlsx or .csv.
//! Personal data is masked in the list and in the files (server::exports writes them).

use super::exports::Table;
use crate::api::AppError;
use crate::api::overview::Line;
use crate::db::Db;
use crate::db::overview::{self as store, MemberRow, Order};
use crate::domain::explain;
use crate::domain::id_number::IdNumber;
use crate::domain::quantity::Points;
use crate::domain::score::ScoreReport;
use crate::i18n::{Key, Lang};

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
        // A blocked score is no number (issue 21): the line says why instead.
        total: row
            .total
            .map(Points)
            .filter(|_| report.as_ref().is_none_or(|r| r.blocked.is_none())),
        blocked: report
            .as_ref()
            .and_then(|r| crate::domain::explain::blocked(r, lang)),
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

fn headers(lang: Lang) -> Vec<String> {
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
    .map(|k| lang.text(k).to_string())
    .collect()
}

fn cells(i: usize, l: &Line, lang: Lang) -> Vec<String> {
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    vec![
        (i + 1).to_string(),
        l.name.clone(),
        l.id_number.clone(),
        l.unit.clone(),
        l.total
            .map(|t| t.display())
            .or_else(|| l.blocked.clone())
            .unwrap_or_default(),
        explain::level(l.reached, lang).to_string(),
        l.next
            .map(|n| explain::level(Some(n), lang).to_string())
            .unwrap_or_default(),
        l.gaps.join(sep),
        l.ruleset.clone(),
    ]
}

/// The overview as a sheet for the exports (server::exports).
pub fn table(lines: &[Line], lang: Lang, code: &str) -> Table {
    Table {
        sheet: code.to_string(),
        headers: headers(lang),
        widths: vec![6.0, 10.0, 22.0, 28.0, 8.0, 18.0, 18.0, 60.0, 20.0],
        rows: lines
            .iter()
            .enumerate()
            .map(|(i, l)| cells(i, l, lang))
            .collect(),
    }
}
