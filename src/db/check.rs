//! `ladder check`: the database's integrity and the application's invariants, verified from
//! what is stored (issue 7). Each check reads; none repairs. A finding names the row it is
//! about so an operator can look at it.
//!
//! - the engine's own check (SQLite: `integrity_check` and `foreign_key_check`);
//! - the audit log's chain, MACs and checkpoints (`service::checkpoints::check`, which runs
//!   these checks too: it needs the key file);
//! - every stored score total equals its report's total, and that total equals the sum of
//!   the report's ledger;
//! - every reviewer's sheet total equals the sum of its criteria;
//! - every ballot's yes + no + abstain equals the members recorded as having voted on it;
//! - a roster row points only at a committed import (an import is all there or absent).

use super::{Db, DbResult, Pool, ok};
use crate::domain::score::ScoreReport;
use crate::on_db;
use std::collections::BTreeMap;

/// One broken invariant, with the row it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Which check: `integrity`, `audit`, `scores`, `sheets`, `ballots`, `imports`.
    pub check: &'static str,
    pub detail: String,
}

/// What `ladder check` looked at and what it found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub audit_rows: i64,
    pub score_snapshots: i64,
    pub sheets: i64,
    pub ballots: i64,
    pub imports: i64,
    pub findings: Vec<Finding>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    pub fn found(&mut self, check: &'static str, detail: String) {
        self.findings.push(Finding { check, detail });
    }
}

/// Score snapshots are read in pages of this many, so a database of 100,000 trainees is
/// checked in bounded memory.
const PAGE: i64 = 1000;

/// Runs every check that needs only the database (the audit log's needs the key file too).
pub async fn run(db: &Db) -> DbResult<CheckReport> {
    let mut r = CheckReport::default();
    engine_integrity(db, &mut r).await?;
    score_snapshots(db, &mut r).await?;
    sheets(db, &mut r).await?;
    ballots(db, &mut r).await?;
    imports(db, &mut r).await?;
    Ok(r)
}

async fn engine_integrity(db: &Db, r: &mut CheckReport) -> DbResult<()> {
    let Pool::Sqlite(pool) = db.pool() else {
        // PostgreSQL checks its pages itself (checksums, WAL); constraints are enforced.
        return Ok(());
    };
    let lines: Vec<String> = ok(sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(pool)
        .await)?;
    for line in lines.into_iter().filter(|l| l != "ok") {
        r.found("integrity", line);
    }
    let dangling: Vec<(String, i64, String)> = ok(sqlx::query_as(
        "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check",
    )
    .fetch_all(pool)
    .await)?;
    for (table, rowid, parent) in dangling {
        r.found(
            "integrity",
            format!("{table} row {rowid} refers to a missing {parent} row"),
        );
    }
    Ok(())
}

async fn score_snapshots(db: &Db, r: &mut CheckReport) -> DbResult<()> {
    let mut after = i64::MIN;
    loop {
        let page: Vec<(i64, i64, String)> = on_db!(db, c => ok(sqlx::query_as(
            "SELECT person_id, total, report FROM score_snapshots
             WHERE person_id > $1 ORDER BY person_id LIMIT $2",
        ).bind(after).bind(PAGE).fetch_all(c).await))?;
        let Some(last) = page.last() else { break };
        after = last.0;
        for (person, total, report) in page {
            r.score_snapshots += 1;
            if let Some(problem) = snapshot_problem(total, &report) {
                r.found("scores", format!("person {person}: {problem}"));
            }
        }
    }
    Ok(())
}

/// Why a stored total disagrees with its report, if it does.
pub fn snapshot_problem(total: i64, report: &str) -> Option<String> {
    let report: ScoreReport = match serde_json::from_str(report) {
        Ok(report) => report,
        Err(e) => return Some(format!("the stored report cannot be read ({e})")),
    };
    let ledger: i64 = report.ledger.iter().map(|e| e.points.0).sum();
    if report.total.0 != ledger {
        Some(format!(
            "the report's total {} is not the sum of its ledger {ledger}",
            report.total.0
        ))
    } else if total != report.total.0 {
        Some(format!(
            "the stored total {total} is not the report's total {}",
            report.total.0
        ))
    } else {
        None
    }
}

async fn sheets(db: &Db, r: &mut CheckReport) -> DbResult<()> {
    let rows: Vec<(i64, i64, String, i32)> = on_db!(db, c => ok(sqlx::query_as(
        "SELECT application_id, reviewer_id, scores, total FROM review_scores
         ORDER BY application_id, reviewer_id",
    ).fetch_all(c).await))?;
    for (application, reviewer, scores, total) in rows {
        r.sheets += 1;
        let problem = match serde_json::from_str::<BTreeMap<String, i64>>(&scores) {
            Err(e) => Some(format!("its criteria cannot be read ({e})")),
            Ok(points) => {
                let sum: i64 = points.values().sum();
                (sum != i64::from(total))
                    .then(|| format!("its total {total} is not the sum of its criteria {sum}"))
            }
        };
        if let Some(problem) = problem {
            r.found(
                "sheets",
                format!("sheet of reviewer {reviewer} on application {application}: {problem}"),
            );
        }
    }
    Ok(())
}

/// Each candidate's ballot against its members: a counted ballot's counts equal the members
/// recorded as having voted (a paper count, the members attending), and an encrypted one
/// stores exactly one ballot per member who voted. (Its proofs, sums and decryption are
/// rechecked by `cli::check`, which has the ballot's cryptography.)
async fn ballots(db: &Db, r: &mut CheckReport) -> DbResult<()> {
    #[derive(sqlx::FromRow)]
    struct Row {
        meeting: i64,
        application: i64,
        method: String,
        counted: bool,
        sum: i64,
        attending: i64,
        voters: i64,
        stored: i64,
    }
    let rows: Vec<Row> = on_db!(db, c => ok(sqlx::query_as::<_, Row>(
        "SELECT t.meeting_id AS meeting, t.application_id AS application, t.method, t.counted,
                CAST(t.yes + t.no + t.abstain AS BIGINT) AS sum,
                CAST(t.attending AS BIGINT) AS attending,
                (SELECT COUNT(*) FROM ballot_voters v
                 WHERE v.meeting_id = t.meeting_id AND v.application_id = t.application_id) AS voters,
                (SELECT COUNT(*) FROM ballots b
                 WHERE b.meeting_id = t.meeting_id AND b.application_id = t.application_id) AS stored
         FROM ballot_tallies t ORDER BY t.meeting_id, t.application_id",
    ).fetch_all(c).await))?;
    for Row {
        meeting,
        application,
        method,
        counted,
        sum,
        attending,
        voters,
        stored,
    } in rows
    {
        r.ballots += 1;
        let at = format!("meeting {meeting}, application {application}");
        match method.as_str() {
            "paper" => {
                if counted && sum != attending {
                    r.found(
                        "ballots",
                        format!(
                            "{at}: {sum} paper ballots counted for {attending} attending members"
                        ),
                    );
                }
            }
            "encrypted" => {
                if stored != voters {
                    r.found(
                        "ballots",
                        format!(
                            "{at}: {stored} encrypted ballots stored, {voters} members recorded as having voted"
                        ),
                    );
                }
                if counted && sum != stored {
                    r.found(
                        "ballots",
                        format!("{at}: {sum} ballots counted, {stored} stored"),
                    );
                }
            }
            _ => {
                if sum != voters {
                    r.found(
                        "ballots",
                        format!(
                            "{at}: {sum} ballots counted, {voters} members recorded as having voted"
                        ),
                    );
                }
            }
        }
    }
    Ok(())
}

async fn imports(db: &Db, r: &mut CheckReport) -> DbResult<()> {
    r.imports = on_db!(db, c => ok(sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM imports",
    ).fetch_one(c).await))?;
    let stray: Vec<(i64, String, i64)> = on_db!(db, c => ok(sqlx::query_as(
        "SELECT i.id, i.state, COUNT(*) FROM cohort_members m JOIN imports i ON i.id = m.import_id
         WHERE i.state <> 'committed' GROUP BY i.id, i.state ORDER BY i.id",
    ).fetch_all(c).await))?;
    for (import, state, rows) in stray {
        r.found(
            "imports",
            format!(
                "{rows} roster rows belong to import {import}, which is {state}, not committed"
            ),
        );
    }
    let undated: Vec<i64> = on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT id FROM imports WHERE (state = 'committed') <> (committed_at IS NOT NULL) ORDER BY id",
    ).fetch_all(c).await))?;
    for import in undated {
        r.found(
            "imports",
            format!("import {import}: its state and its commit time disagree"),
        );
    }
    Ok(())
}

/// Every candidate's ballot: (meeting, application, tally), in meeting order.
pub async fn tally_keys(db: &Db) -> DbResult<Vec<(i64, i64, super::ballot::TallyRow)>> {
    let meetings: Vec<i64> = on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT DISTINCT meeting_id FROM ballot_tallies ORDER BY meeting_id",
    ).fetch_all(c).await))?;
    let mut out = Vec::new();
    for m in meetings {
        for (application, t) in super::ballot::tallies(db, m).await? {
            out.push((m, application, t));
        }
    }
    Ok(out)
}

/// The newest certification the audit log holds of each application (`after` text).
pub async fn certifications(db: &Db) -> DbResult<BTreeMap<i64, String>> {
    let rows: Vec<(String, Option<String>)> = on_db!(db, c => ok(sqlx::query_as(
        "SELECT entity_id, after_summary FROM audit_log
         WHERE action = 'review.ballot.certified' ORDER BY id",
    ).fetch_all(c).await))?;
    let mut out = BTreeMap::new();
    for (entity, after) in rows {
        if let (Ok(id), Some(after)) = (entity.parse::<i64>(), after) {
            out.insert(id, after);
        }
    }
    Ok(out)
}
