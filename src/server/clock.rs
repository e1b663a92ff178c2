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

/// The display zone named `name` (an IANA name such as "Asia/Shanghai"): its offsets from
/// 2000 to 2100, read from the time-zone database compiled into the server, for pages to show
/// instants in. An unknown name is an error naming it.
pub fn display_zone(name: &str) -> Result<crate::domain::zone::DisplayZone, String> {
    use chrono::{Offset, TimeZone};
    let tz: chrono_tz::Tz = name
        .parse()
        .map_err(|_| format!("unknown time zone {name:?} (an IANA name, e.g. Asia/Shanghai)"))?;
    let offset = |second: i64| {
        DateTime::from_timestamp(second, 0)
            .map(|at| {
                tz.offset_from_utc_datetime(&at.naive_utc())
                    .fix()
                    .local_minus_utc()
            })
            .unwrap_or(0)
    };
    const DAY: i64 = 86_400;
    let (start, end) = (946_684_800_i64, 4_102_444_800_i64); // 2000-01-01, 2100-01-01 UTC
    let initial = offset(start);
    let mut changes = Vec::new();
    let (mut day, mut current) = (start, initial);
    // Zones change offset at most a few times a year: look once a day, then find the second.
    while day < end {
        let next = day + DAY;
        if offset(next) != current {
            let (mut lo, mut hi) = (day, next); // offset(lo) == current, offset(hi) != current
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset(mid) == current {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            current = offset(hi);
            changes.push((hi, current));
        }
        day = next;
    }
    Ok(crate::domain::zone::DisplayZone {
        name: tz.name().to_string(),
        initial,
        changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn shanghai_has_one_offset_and_berlin_its_summer_time() {
        let shanghai = display_zone("Asia/Shanghai").unwrap();
        assert_eq!((shanghai.initial, shanghai.changes.len()), (8 * 3600, 0));
        let berlin = display_zone("Europe/Berlin").unwrap();
        // Two changes a year for a century.
        assert_eq!(berlin.changes.len(), 200);
        let spring = Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
        assert!(berlin.changes.contains(&(spring.timestamp(), 7200)));
        assert_eq!(berlin.minute(spring), "2026-03-29 03:00");
    }

    #[test]
    fn an_unknown_zone_is_named_in_the_error() {
        let err = display_zone("Asia/Shanghia").unwrap_err();
        assert!(err.contains("Asia/Shanghia"), "{err}");
    }

    #[test]
    fn the_legal_date_is_china_time_whatever_the_display_zone() {
        // 2026-12-31 17:00 UTC is already 1 January in China, still 31 December in Berlin.
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 17, 0, 0).unwrap();
        assert_eq!(china_date(at).to_string(), "2027-01-01");
        assert_eq!(
            display_zone("Europe/Berlin").unwrap().minute(at),
            "2026-12-31 18:00"
        );
    }
}
