//! The one place that reads the wall clock. Everything else receives the time as a value.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

/// Now, truncated to whole microseconds: PostgreSQL stores microseconds, so a time written and
/// read back compares (and hashes, in the audit chain) equal on both engines.
#[allow(clippy::disallowed_methods)] // this is the clock module
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}

/// Today's date in China Standard Time (UTC+8, no daylight saving), where evaluation dates
/// and application deadlines are set.
pub fn today() -> chrono::NaiveDate {
    china_date(now())
}

/// The date in China Standard Time at instant `at`.
pub fn china_date(at: DateTime<Utc>) -> chrono::NaiveDate {
    (at + chrono::Duration::hours(8)).date_naive()
}
