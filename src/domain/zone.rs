//! The zone times are shown in. A deployment chooses it (`LADDER_TIME_ZONE`, default
//! Asia/Shanghai); every page shows instants in it and says once which zone that is. Legal
//! clocks — notice working days, deadlines, the review tick — do not follow it: they count in
//! China Standard Time whatever the display zone (see `server::clock::china_date`).
//!
//! The server turns its time-zone database entry into the offsets in force over the years
//! Ladder's data spans ([`DisplayZone::changes`]), so the browser shows the same local times
//! as the server rendered without carrying a time-zone database of its own.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

/// A zone's name and its UTC offsets over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayZone {
    /// The IANA name, e.g. "Asia/Shanghai".
    pub name: String,
    /// The offset (seconds east of UTC) before the first change.
    pub initial: i32,
    /// (from this UTC second on, this offset), in time order.
    pub changes: Vec<(i64, i32)>,
}

/// China Standard Time: UTC+8 all year (no daylight saving since 1991).
pub const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;

impl Default for DisplayZone {
    /// Asia/Shanghai, the product's default.
    fn default() -> Self {
        DisplayZone {
            name: "Asia/Shanghai".into(),
            initial: CHINA_OFFSET_SECONDS,
            changes: Vec::new(),
        }
    }
}

impl DisplayZone {
    /// The offset in force at `at`.
    pub fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset {
        let second = at.timestamp();
        let seconds = match self.changes.partition_point(|(from, _)| *from <= second) {
            0 => self.initial,
            n => self.changes[n - 1].1,
        };
        FixedOffset::east_opt(seconds).unwrap_or_else(|| chrono::Offset::fix(&Utc))
    }

    /// `at` as a local time in this zone.
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.offset_at(at))
    }

    /// `at` to the minute, as every page writes a moment: "2026-12-07 13:55".
    pub fn minute(&self, at: DateTime<Utc>) -> String {
        self.local(at).format("%Y-%m-%d %H:%M").to_string()
    }

    /// `at` to the second, for the audit log.
    pub fn second(&self, at: DateTime<Utc>) -> String {
        self.local(at).format("%Y-%m-%d %H:%M:%S").to_string()
    }

    /// "Asia/Shanghai, UTC+08:00": the zone and its offset at `at`.
    pub fn label(&self, at: DateTime<Utc>) -> String {
        let offset = self.offset_at(at).local_minus_utc();
        let sign = if offset < 0 { '-' } else { '+' };
        let minutes = offset.unsigned_abs() / 60;
        format!(
            "{}, UTC{sign}{:02}:{:02}",
            self.name,
            minutes / 60,
            minutes % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn the_default_shows_china_time() {
        let zone = DisplayZone::default();
        // The import uploaded at 13:55 in Shanghai, stored as 05:55 UTC.
        assert_eq!(zone.minute(utc(2026, 12, 7, 5, 55)), "2026-12-07 13:55");
        assert_eq!(
            zone.label(utc(2026, 12, 7, 5, 55)),
            "Asia/Shanghai, UTC+08:00"
        );
    }

    #[test]
    fn a_zone_with_daylight_saving_changes_offset_at_its_changes() {
        // Europe/Berlin in 2026: CET, CEST from 29 March 01:00 UTC, CET from 25 October 01:00 UTC.
        let zone = DisplayZone {
            name: "Europe/Berlin".into(),
            initial: 3600,
            changes: vec![
                (utc(2026, 3, 29, 1, 0).timestamp(), 7200),
                (utc(2026, 10, 25, 1, 0).timestamp(), 3600),
            ],
        };
        assert_eq!(zone.minute(utc(2026, 3, 29, 0, 59)), "2026-03-29 01:59");
        assert_eq!(zone.minute(utc(2026, 3, 29, 1, 0)), "2026-03-29 03:00");
        assert_eq!(zone.minute(utc(2026, 12, 7, 5, 55)), "2026-12-07 06:55");
        assert_eq!(
            zone.label(utc(2026, 7, 1, 0, 0)),
            "Europe/Berlin, UTC+02:00"
        );
        let west = DisplayZone {
            name: "America/St_Johns".into(),
            initial: -(3 * 3600 + 1800),
            changes: Vec::new(),
        };
        assert_eq!(
            west.label(utc(2026, 1, 1, 0, 0)),
            "America/St_Johns, UTC-03:30"
        );
        assert_eq!(west.second(utc(2026, 1, 1, 0, 0)), "2025-12-31 20:30:00");
    }
}
