//! Reading and planning an import together: the file is read on blocking threads (it is
//! CPU-bound, about half a second for 100,000 rows) so the server keeps answering others, and
//! each batch of rows is compared with the database and planned as soon as it is read, on the
//! thread that validates the rows, while the next ones are still being parsed.

use super::imports::{ImportError, ImportFile};
use crate::db::imports as store;
use crate::db::{DbError, Tx};
use crate::import::attendance::plan as attendance_plan;
use crate::import::roster::fields::Field;
use crate::import::roster::plan::{self, Options, Plan, Stored};
use crate::import::roster::{self, Kind, Parsed, ParsedRow};
use crate::import::sheet::Format;
use crate::server::config::ImportSettings;
use chrono::NaiveDate;
use std::collections::HashMap;

/// The plan being built while the file is read: the planner and what is stored so far.
enum Planning {
    Roster(plan::Planner, Stored),
    Attendance(attendance_plan::Planner, Box<attendance_plan::Stored>),
}

impl Planning {
    async fn start(
        tx: &mut Tx,
        file: &ImportFile,
        settings: &ImportSettings,
        today: NaiveDate,
    ) -> Result<Planning, DbError> {
        Ok(match file.kind {
            Kind::Roster => Planning::Roster(
                plan::Planner::new(Options {
                    base_id: file.base_id,
                    cohort: file.cohort.clone(),
                    confirm_share_percent: settings.import_confirm_percent,
                }),
                store::cohorts(tx).await?,
            ),
            Kind::Attendance => Planning::Attendance(
                attendance_plan::Planner::new(attendance_plan::Options {
                    base_id: file.base_id,
                    cohort: file.cohort.clone(),
                    today,
                }),
                Box::new(crate::db::attendance::base_state(tx, file.base_id).await?),
            ),
        })
    }

    async fn load(&mut self, tx: &mut Tx, base: i64, ids: &[&str]) -> Result<(), DbError> {
        match self {
            Planning::Roster(_, s) => store::people_into(tx, ids, s).await,
            Planning::Attendance(_, s) => {
                crate::db::attendance::people_into(tx, base, ids, s).await
            }
        }
    }

    fn add(&mut self, columns: &HashMap<Field, u32>, rows: &mut [ParsedRow]) {
        match self {
            Planning::Roster(p, s) => p.add(columns, rows, s),
            Planning::Attendance(p, s) => p.add(columns, rows, s),
        }
    }

    fn finish(self) -> Plan {
        match self {
            Planning::Roster(p, s) => p.finish(&s),
            Planning::Attendance(p, _) => p.finish(),
        }
    }
}

/// Reads `file` and plans every row inside `tx` (whose snapshot the plan reflects), giving the
/// transaction back for the caller to commit or roll back.
pub(super) async fn read_and_plan(
    mut tx: Tx,
    file: &ImportFile,
    settings: &ImportSettings,
    keep_cells: bool,
    today: NaiveDate,
) -> Result<(Format, Parsed, Plan, Tx), ImportError> {
    let mut planning = Planning::start(&mut tx, file, settings, today).await?;
    let handle = tokio::runtime::Handle::current();
    let (bytes, name, kind, base) = (
        file.bytes.clone(),
        file.file_name.clone(),
        file.kind,
        file.base_id,
    );
    let limits = settings.limits();
    let joined = tokio::task::spawn_blocking(move || {
        let mut failed = None;
        let read = {
            // Runs on the validating thread (a plain thread: it may wait on the database).
            let hook = |columns: &HashMap<Field, u32>, rows: &mut [ParsedRow]| {
                if failed.is_some() {
                    return;
                }
                // The valid rows' people, and those of rows with problems of their own whose
                // ID number is valid (the plan still checks them, see LaterChecks).
                let ids: Vec<&str> = rows
                    .iter()
                    .filter_map(|r| {
                        r.line.as_deref().map(|l| l.id().as_str()).or_else(|| {
                            r.later
                                .as_deref()
                                .and_then(|c| c.id.as_ref())
                                .map(|i| i.as_str())
                        })
                    })
                    .collect();
                match handle.block_on(planning.load(&mut tx, base, &ids)) {
                    Ok(()) => planning.add(columns, rows),
                    Err(e) => failed = Some(e),
                }
            };
            roster::read_with(
                kind,
                &name,
                &bytes,
                &limits,
                keep_cells,
                Some(Box::new(hook)),
            )
        };
        (read, failed, planning, tx)
    })
    .await;
    let (read, failed, planning, tx) = joined.map_err(|e| {
        tracing::error!(error = %e, "import reader task");
        ImportError::Internal
    })?;
    let (format, parsed) = read.map_err(|e| match e {
        roster::FileError::Sheet(e) => ImportError::File(e),
        roster::FileError::Roster(e) => ImportError::Roster(e),
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    Ok((format, parsed, planning.finish(), tx))
}
