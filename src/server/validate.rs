//! Field checks shared by the services: each appends a located error and never stops early,
//! so a form shows every problem at once.

use crate::api::FieldError;
use crate::i18n::Key;
use chrono::NaiveDate;

/// Required text of at most 200 characters.
pub fn check_text(field: &str, value: &str, errors: &mut Vec<FieldError>) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, Key::ErrRequired));
    } else {
        check_optional_text(field, value, errors);
    }
}

/// Optional text of at most 200 characters.
pub fn check_optional_text(field: &str, value: &str, errors: &mut Vec<FieldError>) {
    if value.chars().count() > 200 {
        errors.push(FieldError::new(field, Key::ErrTooLong));
    }
}

/// A date typed as YYYY-MM-DD (what date inputs send).
pub fn parse_date(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let d = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
    if d.is_none() {
        errors.push(FieldError::new(field, Key::ErrDate));
    }
    d
}

/// A date that has already happened (a degree, a title, the start of a job).
pub fn parse_past_date(
    field: &str,
    raw: &str,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let d = parse_date(field, raw, errors)?;
    if d > today {
        errors.push(FieldError::new(field, Key::ErrFutureDate));
        return None;
    }
    Some(d)
}
