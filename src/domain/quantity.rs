//! Fixed-point quantities. Money is integer fen, hours are integer hundredths of a 学时, score
//! points are integer milli-points: comparisons and sums are exact, divisions round down, and
//! only display rounds (half up). Parsing accepts what people type and spreadsheets hold.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign};

/// An amount of money in fen (分). Shown in 万元 with two decimals.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Money(pub i64);

/// Class hours (学时) in hundredths.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Hours(pub i64);

/// Score points in thousandths. Shown with one decimal, rounded half up.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Points(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum QuantityError {
    #[error("`{0}` is not a number")]
    NotANumber(String),
    #[error("`{0}` has more decimal places than allowed ({1})")]
    TooPrecise(String, u32),
    #[error("`{0}` is negative")]
    Negative(String),
    #[error("`{0}` is too large")]
    TooLarge(String),
}

/// Parses a non-negative decimal into an integer count of `1/10^scale` units. Accepts
/// full-width digits, thousands separators and surrounding spaces; `suffixes` (such as 学时)
/// are removed from the end.
fn parse_fixed(raw: &str, scale: u32, suffixes: &[&str]) -> Result<i64, QuantityError> {
    let mut s: String = raw
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            c => c,
        })
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
        .collect();
    for suffix in suffixes {
        if let Some(stripped) = s.strip_suffix(suffix) {
            s = stripped.to_string();
            break;
        }
    }
    if s.starts_with('-') {
        return Err(QuantityError::Negative(raw.trim().to_string()));
    }
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digits_only = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits_only(int) || !digits_only(frac) {
        return Err(QuantityError::NotANumber(raw.trim().to_string()));
    }
    if frac.len() > scale as usize {
        return Err(QuantityError::TooPrecise(raw.trim().to_string(), scale));
    }
    let too_large = || QuantityError::TooLarge(raw.trim().to_string());
    let int: i64 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| too_large())?
    };
    let frac_value: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| too_large())?
    };
    let frac_scaled = frac_value * 10i64.pow(scale - frac.len() as u32);
    int.checked_mul(10i64.pow(scale))
        .and_then(|v| v.checked_add(frac_scaled))
        .ok_or_else(too_large)
}

/// A non-negative decimal as an integer count of `1/10^scale` units ("0.6" at scale 3 is 600).
pub fn parse_decimal(raw: &str, scale: u32) -> Result<i64, QuantityError> {
    parse_fixed(raw, scale, &[])
}

/// `value / 10^scale` shown with `places` decimals, rounded half up (values are non-negative
/// in practice; negatives round half away from zero).
fn show(value: i64, scale: u32, places: u32) -> String {
    let drop = scale - places;
    let unit = 10i128.pow(drop);
    let v = i128::from(value);
    // In i128, so that values near i64::MAX round without overflowing.
    let rounded = if v >= 0 {
        (v + unit / 2) / unit
    } else {
        -((-v + unit / 2) / unit)
    };
    if places == 0 {
        return rounded.to_string();
    }
    let p = 10i128.pow(places);
    let sign = if rounded < 0 { "-" } else { "" };
    let abs = rounded.abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / p,
        abs % p,
        width = places as usize
    )
}

impl Money {
    /// From yuan as typed: `12.5`, `1,000.00`, `12.50元`.
    pub fn parse_yuan(raw: &str) -> Result<Money, QuantityError> {
        parse_fixed(raw, 2, &["元"]).map(Money)
    }

    /// From 万元 as typed: `12.5`, `12.5万元`.
    pub fn parse_wan(raw: &str) -> Result<Money, QuantityError> {
        // 1 万元 = 1,000,000 fen: scale 6 keeps every fen representable.
        parse_fixed(raw, 6, &["万元", "万"]).map(Money)
    }

    pub fn from_wan(wan: i64) -> Money {
        Money(wan * 1_000_000)
    }

    /// `12.35` (万元, two decimals, half up).
    pub fn wan_display(self) -> String {
        show(self.0, 6, 2)
    }
}

impl Hours {
    /// From 学时 as typed: `32`, `32学时`, `1.5`, `３２`.
    pub fn parse(raw: &str) -> Result<Hours, QuantityError> {
        parse_fixed(raw, 2, &["学时", "课时", "小时", "h"]).map(Hours)
    }

    pub fn whole(hours: i64) -> Hours {
        Hours(hours * 100)
    }
}

impl Points {
    pub fn whole(points: i64) -> Points {
        Points(points * 1000)
    }

    /// One decimal, half up: 59.95 → `60.0`.
    pub fn display(self) -> String {
        show(self.0, 3, 1)
    }

    /// The value [`Points::display`] shows (one decimal, half up), in thousandths.
    pub fn as_shown(self) -> Points {
        let v = i128::from(self.0);
        let tenths = if v >= 0 {
            (v + 50) / 100
        } else {
            -((-v + 50) / 100)
        };
        Points(i64::try_from(tenths * 100).unwrap_or(self.0))
    }

    /// The change from `before` to `after` as the two are shown: "32.4 → 41.7 (+9.3)" adds
    /// up, where the exact difference could show +9.4.
    pub fn shown_change(before: Points, after: Points) -> Points {
        Points(after.as_shown().0 - before.as_shown().0)
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Hours are shown as typed: whole numbers without decimals.
        if self.0 % 100 == 0 {
            write!(f, "{}", self.0 / 100)
        } else {
            f.write_str(show(self.0, 2, 2).trim_end_matches('0'))
        }
    }
}

macro_rules! additive {
    ($($t:ident),*) => {$(
        impl Add for $t {
            type Output = $t;
            fn add(self, rhs: $t) -> $t {
                $t(self.0.saturating_add(rhs.0))
            }
        }
        impl AddAssign for $t {
            fn add_assign(&mut self, rhs: $t) {
                self.0 = self.0.saturating_add(rhs.0);
            }
        }
        impl std::iter::Sum for $t {
            fn sum<I: Iterator<Item = $t>>(iter: I) -> $t {
                iter.fold($t(0), Add::add)
            }
        }
    )*};
}
additive!(Money, Hours, Points);

#[cfg(test)]
mod tests {
    use super::*;

    /// A change shown beside two totals is their shown difference (32.449 → 41.750 is
    /// "32.4 → 41.8 (+9.4)", never +9.3).
    #[test]
    fn a_shown_change_adds_up_with_the_totals_shown() {
        let (a, b) = (Points(32_449), Points(41_750));
        assert_eq!((a.display(), b.display()), ("32.4".into(), "41.8".into()));
        assert_eq!(Points(b.0 - a.0).display(), "9.3");
        assert_eq!(Points::shown_change(a, b).display(), "9.4");
        assert_eq!(Points::shown_change(b, a), Points(-9_400));
        assert_eq!(Points(59_950).as_shown(), Points(60_000));
        assert_eq!(Points(-1_250).as_shown(), Points(-1_300));
    }
    use proptest::prelude::*;

    #[test]
    fn hours_as_training_bases_write_them() {
        assert_eq!(Hours::parse("32"), Ok(Hours(3200)));
        assert_eq!(Hours::parse("32学时"), Ok(Hours(3200)));
        assert_eq!(Hours::parse(" ３２ 学时 "), Ok(Hours(3200)));
        assert_eq!(Hours::parse("1.5"), Ok(Hours(150)));
        assert_eq!(Hours::parse(".25"), Ok(Hours(25)));
        assert_eq!(
            Hours::parse("1.255"),
            Err(QuantityError::TooPrecise("1.255".into(), 2))
        );
        assert_eq!(
            Hours::parse("-2"),
            Err(QuantityError::Negative("-2".into()))
        );
        assert_eq!(
            Hours::parse("三十二"),
            Err(QuantityError::NotANumber("三十二".into()))
        );
        assert_eq!(
            Hours::parse(""),
            Err(QuantityError::NotANumber(String::new()))
        );
        assert_eq!(Hours(3200).to_string(), "32");
        assert_eq!(Hours(150).to_string(), "1.5");
    }

    #[test]
    fn money_in_yuan_and_wan() {
        assert_eq!(Money::parse_yuan("1,000.50"), Ok(Money(100_050)));
        assert_eq!(Money::parse_yuan("12元"), Ok(Money(1200)));
        assert_eq!(Money::parse_wan("10"), Ok(Money::from_wan(10)));
        assert_eq!(Money::parse_wan("12.5万元"), Ok(Money(12_500_000)));
        assert_eq!(Money::parse_wan("0.0001"), Ok(Money(100)));
        assert!(Money::parse_wan("99999999999999999").is_err());
        assert_eq!(Money::from_wan(10).wan_display(), "10.00");
        // Half up at the second decimal of 万元: 12.345 万元 -> 12.35.
        assert_eq!(Money(12_345_000).wan_display(), "12.35");
        assert_eq!(Money(12_344_999).wan_display(), "12.34");
    }

    #[test]
    fn points_round_half_up_only_for_display() {
        assert_eq!(Points(59_950).display(), "60.0");
        assert_eq!(Points(59_949).display(), "59.9");
        assert_eq!(Points::whole(60).display(), "60.0");
        assert_eq!(Points(0).display(), "0.0");
        assert_eq!(
            [Points(1), Points(2)].into_iter().sum::<Points>(),
            Points(3)
        );
    }

    proptest! {
        #[test]
        fn hours_round_trip_through_text(h in 0i64..10_000_000) {
            let shown = Hours(h).to_string();
            prop_assert_eq!(Hours::parse(&shown), Ok(Hours(h)));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,24}") {
            let _ = Hours::parse(&s);
            let _ = Money::parse_wan(&s);
            let _ = Money::parse_yuan(&s);
        }
    }
}
