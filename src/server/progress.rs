//! A person's progress page: the stored snapshot (recomputed if it is missing or was made under
//! another version than the one in force), its explanation, and the chart series.

use crate::api::AppError;
use crate::api::progress::{ModuleBar, ProgressView, YearBar};
use crate::db::Db;
use crate::domain::evidence::PersonEvidence;
use crate::domain::explain::dashboard;
use crate::domain::quantity::Hours;
use crate::domain::rules::Module;
use crate::domain::score::{Indicator, Rule, ScoreReport};
use crate::i18n::Lang;
use chrono::{DateTime, Datelike, Utc};
use std::collections::BTreeMap;

/// Verified hours per calendar year: training and continuing education.
pub fn years(ev: &PersonEvidence) -> Vec<YearBar> {
    let mut by_year: BTreeMap<i32, (Hours, Hours)> = BTreeMap::new();
    for r in ev.training.iter().filter(|r| r.verification.counts()) {
        by_year.entry(r.date.year()).or_default().0 += r.hours;
    }
    for r in ev
        .continuing_education
        .iter()
        .filter(|r| r.verification.counts())
    {
        by_year.entry(r.date.year()).or_default().1 += r.hours;
    }
    by_year
        .into_iter()
        .map(|(year, (training, ce))| YearBar { year, training, ce })
        .collect()
}

/// Hours per module as the curriculum indicator counted them, with the next level's demand.
pub fn modules(report: &ScoreReport) -> Vec<ModuleBar> {
    let counted = match &report.entry(Indicator::Curriculum).rule {
        Rule::Curriculum { modules, .. } => modules.clone(),
        _ => Vec::new(),
    };
    Module::ALL
        .into_iter()
        .map(|m| match counted.iter().find(|p| p.module == m) {
            Some(p) => ModuleBar {
                module: m,
                done: p.done,
                required: Some(p.required),
            },
            None => ModuleBar {
                module: m,
                done: Hours(0),
                required: None,
            },
        })
        .collect()
}

pub async fn view(
    db: &Db,
    person: i64,
    lang: Lang,
    at: DateTime<Utc>,
) -> Result<Option<ProgressView>, AppError> {
    let Some((ruleset_id, rules)) = super::scores::ruleset_in_force(db).await? else {
        return Ok(None);
    };
    // A snapshot made under another version, or on another day (the window moves), is
    // recomputed: the page always shows today's score.
    let today = super::clock::china_date(at);
    let stored = crate::db::scores::of_person(db, person)
        .await?
        .filter(|s| s.ruleset_id == ruleset_id);
    let (report, computed_at) = match stored {
        Some(s) => match serde_json::from_str::<ScoreReport>(&s.report) {
            Ok(r) if r.as_of == today => (r, s.computed_at),
            Ok(_) => (refreshed(db, person, at).await?, at),
            Err(e) => {
                tracing::warn!(person, error = %e, "stored report unreadable; recomputing");
                (refreshed(db, person, at).await?, at)
            }
        },
        None => (refreshed(db, person, at).await?, at),
    };
    let ev = super::scores::evidence_of(db, person).await?;
    Ok(Some(ProgressView {
        dashboard: dashboard(&report, &ev, &rules, lang),
        ruleset_code: rules.id.clone(),
        ruleset_version: i32::try_from(rules.version).unwrap_or(i32::MAX),
        ruleset_name: rules.name.clone(),
        total: report.total,
        blocked: crate::domain::explain::blocked(&report, lang),
        as_of: report.as_of,
        window_from: report.window.from,
        window_to: report.window.to,
        computed_at,
        provisional: report.provisional,
        modules: modules(&report),
        years: years(&ev),
        evidence: ev,
        rules,
    }))
}

async fn refreshed(db: &Db, person: i64, at: DateTime<Utc>) -> Result<ScoreReport, AppError> {
    super::scores::refresh(db, person, at)
        .await?
        .ok_or(AppError::Internal)
}
