//! Chinese citizen ID numbers (公民身份号码, GB 11643-1999, ISO 7064 MOD 11-2), domain.md §9.
//!
//! Input is normalised first (full-width digits, spaces, a lower-case x) because that is how
//! numbers arrive from spreadsheets; a legacy 15-digit number is upgraded to 18 digits.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// A structurally valid 18-character ID number with a correct check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IdNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum IdNumberError {
    #[error("an ID number has 18 characters (or 15 for the old form); this one has {0}")]
    Length(usize),
    #[error("only digits are allowed, with X as the last character")]
    Characters,
    #[error("the address code cannot start with 0")]
    Region,
    #[error("the birth date {0} is not a real date")]
    BirthDate(String),
    #[error("the check character should be {expected}, not {found}")]
    Checksum { expected: char, found: char },
}

/// Full-width digits and letters become ASCII, spaces of any width are removed, x becomes X.
pub fn normalise(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            'ｘ' | 'Ｘ' | 'x' => 'X',
            other => other,
        })
        .collect()
}

/// The check character for the first 17 digits.
fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    char::from(CHECK_CHARS[(sum % 11) as usize])
}

impl IdNumber {
    /// Normalises and validates. Does not know today's date; see [`IdNumber::age_on`].
    pub fn parse(raw: &str) -> Result<IdNumber, IdNumberError> {
        let mut s = normalise(raw);
        if s.len() == 15 && s.bytes().all(|b| b.is_ascii_digit()) {
            // Legacy form: the year has two digits and there is no check character.
            s = format!("{}19{}", &s[..6], &s[6..]);
            let check = check_char(s.as_bytes());
            s.push(check);
        }
        let count = s.chars().count();
        if count != 18 {
            return Err(IdNumberError::Length(count));
        }
        let bytes = s.as_bytes();
        if !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(IdNumberError::Characters);
        }
        if bytes[0] == b'0' {
            return Err(IdNumberError::Region);
        }
        let birth = &s[6..14];
        let year: i32 = birth[..4].parse().map_err(|_| IdNumberError::Characters)?;
        let month: u32 = birth[4..6].parse().map_err(|_| IdNumberError::Characters)?;
        let day: u32 = birth[6..].parse().map_err(|_| IdNumberError::Characters)?;
        if !(1800..=2099).contains(&year) || NaiveDate::from_ymd_opt(year, month, day).is_none() {
            return Err(IdNumberError::BirthDate(birth.to_string()));
        }
        let expected = check_char(&bytes[..17]);
        let found = char::from(bytes[17]);
        if expected != found {
            return Err(IdNumberError::Checksum { expected, found });
        }
        Ok(IdNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        let b = &self.0[6..14];
        // parse() checked that these digits form a real date.
        NaiveDate::parse_from_str(b, "%Y%m%d").unwrap_or_default()
    }

    /// The sequence digit is odd for men and even for women.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }

    /// Whole years of age on `today`.
    pub fn age_on(&self, today: NaiveDate) -> i32 {
        today
            .years_since(self.birth_date())
            .map_or(-1, |y| y as i32)
    }

    /// The form shown in lists and logs: region code and last four characters only.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

impl fmt::Display for IdNumber {
    /// Display is masked on purpose, so an ID never reaches a log by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Builds a valid ID number from its parts; used by demo data and tests.
pub fn compose(region: &str, birth: NaiveDate, sequence: u16) -> Option<IdNumber> {
    let first17 = format!("{region}{}{:03}", birth.format("%Y%m%d"), sequence % 1000);
    if first17.len() != 17 {
        return None;
    }
    let check = check_char(first17.as_bytes());
    IdNumber::parse(&format!("{first17}{check}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn published_vectors() {
        for valid in [
            "11010519491231002X",
            "440524188001010014",
            "34052419800101001X",
            "53010219200508011X",
        ] {
            assert!(IdNumber::parse(valid).is_ok(), "{valid}");
        }
        assert_eq!(
            IdNumber::parse("530102192005080119"),
            Err(IdNumberError::Checksum {
                expected: 'X',
                found: '9'
            })
        );
    }

    #[test]
    fn upgrades_the_fifteen_digit_form() {
        let id = IdNumber::parse("110105491231002").expect("legacy id");
        assert_eq!(id.as_str(), "11010519491231002X");
        assert!(!id.is_male());
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
    }

    #[test]
    fn normalises_spreadsheet_input() {
        assert!(IdNumber::parse("11010519491231002x").is_ok());
        assert!(IdNumber::parse("１１０１０５１９４９１２３１００２Ｘ").is_ok());
        assert!(IdNumber::parse(" 110105 19491231 002X ").is_ok());
    }

    #[test]
    fn rejects_bad_dates_and_shapes() {
        assert_eq!(
            IdNumber::parse("110105194913310021"),
            Err(IdNumberError::BirthDate("19491331".into()))
        );
        assert_eq!(
            IdNumber::parse("1101051949"),
            Err(IdNumberError::Length(10))
        );
        assert_eq!(
            IdNumber::parse("11010519491231002A"),
            Err(IdNumberError::Characters)
        );
        // Excel stores an 18-digit number as a float and loses the last digits.
        assert!(IdNumber::parse("1.10105194912310E+17").is_err());
    }

    #[test]
    fn masks_the_middle() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(id.to_string(), "110105********002X");
    }

    #[test]
    fn age_counts_whole_years() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(
            id.age_on(NaiveDate::from_ymd_opt(2026, 12, 30).unwrap()),
            76
        );
        assert_eq!(
            id.age_on(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            77
        );
    }

    proptest! {
        #[test]
        fn composed_numbers_validate_and_any_single_digit_change_is_caught(
            days in 0i64..40_000, seq in 0u16..1000, pos in 0usize..17, delta in 1u8..10
        ) {
            let birth = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap() + chrono::Duration::days(days);
            let id = compose("310104", birth, seq).expect("composed id is valid");
            prop_assert_eq!(id.birth_date(), birth);
            let mut bytes = id.as_str().as_bytes().to_vec();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(IdNumber::parse(&changed).is_err(), "{} accepted", changed);
        }
    }
}
