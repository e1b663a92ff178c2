//! `ladder calendar …` and `ladder review …`: the working-day calendar public notices are
//! counted in, and the review's clock on demand (`serve` runs it every five minutes).

use crate::db::Db;
use crate::db::audit::Actor;
use crate::db::review as store;
use crate::domain::review::calendar::WorkCalendar;
use anyhow::{Context, bail};
use chrono::{DateTime, Datelike, Utc};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Store a year's holidays and make-up workdays from a TOML file (`holidays = ["2026-01-01",
    /// …]`, `workdays = [...]`, see rulesets/calendar-cn-2026.toml). The years it mentions are
    /// replaced as a whole.
    Import { file: PathBuf },
    /// The years stored and the years missing (this year, or one a running notice reaches:
    /// its clock stops until the year is imported); with --year, that year's exceptions to
    /// the Monday-to-Friday week.
    Show {
        #[arg(long)]
        year: Option<i32>,
    },
}

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// Move on the applications whose public notice has run its working days, or whose
    /// supplement deadline has passed, as of today (Beijing time).
    Tick,
}

/// Reads and checks a calendar file.
pub fn parse_calendar(text: &str) -> anyhow::Result<WorkCalendar> {
    crate::server::review::parse_calendar(text).map_err(|e| anyhow::anyhow!("{e}"))
}

pub async fn calendar(
    cmd: CalendarCommand,
    db: &Db,
    actor: &Actor,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    match cmd {
        CalendarCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let cal = parse_calendar(&text).with_context(|| format!("{}", file.display()))?;
            if cal.holidays.is_empty() && cal.workdays.is_empty() {
                bail!("{}: no days listed", file.display());
            }
            crate::server::review::store_calendar(db, actor, &cal, now)
                .await
                .map_err(super::fail)?;
            println!(
                "calendar {}: {} holidays, {} make-up workdays stored",
                crate::server::review::calendar_years(&cal),
                cal.holidays.len(),
                cal.workdays.len()
            );
        }
        CalendarCommand::Show { year } => {
            let cal = store::calendar(db).await?;
            let stored: Vec<String> = cal.years().iter().map(i32::to_string).collect();
            println!(
                "stored: {}",
                if stored.is_empty() {
                    "none".to_string()
                } else {
                    stored.join(", ")
                }
            );
            let today = crate::server::clock::china_date(now);
            let missing = crate::server::review::clock::missing_years(db, today)
                .await
                .map_err(super::fail)?;
            for (y, notices) in &missing {
                if *notices > 0 {
                    println!(
                        "missing: {y} — {notices} running notice(s) reach it and have stopped \
                         counting; import it: ladder calendar import FILE"
                    );
                } else {
                    println!("missing: {y} (this year) — import it: ladder calendar import FILE");
                }
            }
            if let Some(year) = year {
                if !cal.knows(year) {
                    println!("{year}: not stored");
                }
                for d in cal.holidays.iter().filter(|d| d.year() == year) {
                    println!("{d} holiday");
                }
                for d in cal.workdays.iter().filter(|d| d.year() == year) {
                    println!("{d} workday");
                }
            }
        }
    }
    Ok(())
}

pub async fn review(cmd: ReviewCommand, db: &Db, now: DateTime<Utc>) -> anyhow::Result<()> {
    match cmd {
        ReviewCommand::Tick => {
            let moved =
                crate::server::review::clock::tick(db, crate::server::clock::china_date(now), now)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{moved} applications moved on");
        }
    }
    Ok(())
}
