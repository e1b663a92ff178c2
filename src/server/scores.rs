//! Scores from stored records: a person's evidence as the rules engine reads it, and the score
//! snapshot kept per person under the ruleset in force. A snapshot is recomputed whenever the
//! person's records change and, for everyone, when another ruleset version is activated; the
//! version it used is locked, so the snapshot can always be explained.

use crate::api::AppError;
use crate::db::records::RecordRow;
use crate::db::scores::{self as store, Snapshot};
use crate::db::{Db, records as rows, rulesets};
use crate::domain::evidence::PersonEvidence;
use crate::domain::records::{self, Entry, Status, Stored};
use crate::domain::rules::RuleSet;
use crate::domain::score::{ScoreReport, score};
use crate::import::ruleset::parse;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

fn internal(what: &'static str) -> impl Fn(String) -> AppError {
    move |e| {
        tracing::error!(error = %e, "{what}");
        AppError::Internal
    }
}

/// The entry of a stored version.
pub fn entry_of(payload: &str) -> Result<Entry, AppError> {
    serde_json::from_str(payload)
        .map_err(|e| internal("stored record payload unreadable")(e.to_string()))
}

/// A stored record as the domain sees it, given the other verified shares of its contract,
/// its documents and (for a case) its reviews.
pub fn stored(
    row: &RecordRow,
    other_shares: i64,
    documents: Vec<String>,
    reviews: Vec<BTreeMap<String, i64>>,
) -> Result<Stored, AppError> {
    Ok(Stored {
        reviews,
        id: row.id,
        status: Status::parse(&row.status)
            .ok_or_else(|| internal("unknown record status")(row.status.clone()))?,
        entry: entry_of(&row.payload)?,
        other_verified_shares: other_shares,
        documents,
    })
}

/// Everything stored about `person` that a ruleset scores.
pub async fn evidence_of(db: &Db, person: i64) -> Result<PersonEvidence, AppError> {
    let profile = super::profile::load(db, person).await?.to_domain();
    let mut documents: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    // Gate 2 asks for a contract copy or a registration certificate; payment proof and
    // other files are evidence too, but do not stand in for those.
    for (record, kind) in rows::document_kinds(db, person).await? {
        if kind == "contract" || kind == "registration" {
            documents.entry(record).or_default().push(kind);
        }
    }
    let mut others: BTreeMap<i64, i64> = BTreeMap::new();
    for (deal, payload) in rows::other_verified_claims(db, person).await? {
        if let Entry::Deal(d) = entry_of(&payload)? {
            *others.entry(deal).or_default() += d.share;
        }
    }
    let mut reviews: BTreeMap<i64, Vec<BTreeMap<String, i64>>> = BTreeMap::new();
    for (record, scores) in rows::case_reviews_of_person(db, person).await? {
        let scores = serde_json::from_str(&scores)
            .map_err(|e| internal("stored case review unreadable")(e.to_string()))?;
        reviews.entry(record).or_default().push(scores);
    }
    let list = rows::of_person(db, person).await?;
    let mut stored_records = Vec::with_capacity(list.len());
    for row in &list {
        let shares = row
            .deal_id
            .and_then(|d| others.get(&d).copied())
            .unwrap_or(0);
        let docs = documents.remove(&row.id).unwrap_or_default();
        let given = reviews.remove(&row.id).unwrap_or_default();
        stored_records.push(stored(row, shares, docs, given)?);
    }
    Ok(records::evidence(profile, &stored_records))
}

/// The ruleset in force, parsed, with its id.
pub async fn ruleset_in_force(db: &Db) -> Result<Option<(i64, RuleSet)>, AppError> {
    let Some((id, code, version, source)) = rulesets::current(db).await? else {
        return Ok(None);
    };
    if let Some(rules) = parsed_before(&source) {
        return Ok(Some((id, rules)));
    }
    let rules = parse(&source).map_err(|e| {
        internal("the active ruleset no longer parses")(format!("{code} v{version}: {e}"))
    })?;
    *LAST_PARSED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((source, rules.clone()));
    Ok(Some((id, rules)))
}

/// The ruleset source parsed last and what it gave: every page that shows a score needs the
/// rules in force, which change a few times a year, so the same text is parsed once. Keyed by
/// the whole text (not the id), so it is right for any database this process talks to.
static LAST_PARSED: std::sync::Mutex<Option<(String, RuleSet)>> = std::sync::Mutex::new(None);

fn parsed_before(source: &str) -> Option<RuleSet> {
    let last = LAST_PARSED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    last.as_ref()
        .filter(|(text, _)| text == source)
        .map(|(_, rules)| rules.clone())
}

async fn store_report(
    db: &Db,
    person: i64,
    ruleset_id: i64,
    report: &ScoreReport,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let json = serde_json::to_string(report)
        .map_err(|e| internal("score report did not serialise")(e.to_string()))?;
    let mut tx = db.begin_write().await?;
    rulesets::lock(&mut tx, ruleset_id, at).await?;
    store::upsert(
        &mut tx,
        &Snapshot {
            person_id: person,
            ruleset_id,
            total: report.total.0,
            level: report.level().map_or("", |l| l.code()),
            report: &json,
        },
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Recomputes and stores `person`'s score under the ruleset in force (nothing without one).
pub async fn refresh(
    db: &Db,
    person: i64,
    at: DateTime<Utc>,
) -> Result<Option<ScoreReport>, AppError> {
    let started = std::time::Instant::now();
    let Some((ruleset_id, rules)) = ruleset_in_force(db).await? else {
        return Ok(None);
    };
    let evidence = evidence_of(db, person).await?;
    let report = score(&evidence, &rules, super::clock::china_date(at));
    store_report(db, person, ruleset_id, &report, at).await?;
    super::metrics::scoring("person", started.elapsed());
    Ok(Some(report))
}

/// Recomputes everyone's snapshot (after another version becomes active). Returns how many.
pub async fn refresh_all(db: &Db, at: DateTime<Utc>) -> Result<usize, AppError> {
    let started = std::time::Instant::now();
    let Some((ruleset_id, rules)) = ruleset_in_force(db).await? else {
        return Ok(0);
    };
    let as_of = super::clock::china_date(at);
    let people = store::scored_people(db).await?;
    for person in &people {
        let evidence = evidence_of(db, *person).await?;
        store_report(
            db,
            *person,
            ruleset_id,
            &score(&evidence, &rules, as_of),
            at,
        )
        .await?;
    }
    super::metrics::scoring("everyone", started.elapsed());
    Ok(people.len())
}
