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

/// An optional phone and e-mail as typed, each checked as a roster's cells are; empty is
/// `None`. Problems are added to `errors` under `phone` and `email`.
pub fn contact(
    phone: &str,
    email: &str,
    errors: &mut Vec<FieldError>,
) -> (Option<String>, Option<String>) {
    use crate::import::roster::values;
    use crate::import::sheet::Cell;
    let typed = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
    let phone = typed(phone).and_then(|p| {
        values::phone(&Cell::Text(p))
            .map_err(|_| errors.push(FieldError::new("phone", Key::ErrPhone)))
            .ok()
    });
    let email = typed(email).and_then(|e| {
        values::email(&Cell::Text(e))
            .map_err(|_| errors.push(FieldError::new("email", Key::ErrEmail)))
            .ok()
    });
    (phone, email)
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

/// Record ids sent as one comma-separated field (a list of ticked boxes): at most 500, at
/// least one, all numbers, or a "choose" error on `field`.
pub fn parse_ids(field: &str, raw: &str) -> Result<Vec<i64>, crate::api::AppError> {
    let ids: Result<Vec<i64>, _> = raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::parse::<i64>)
        .collect();
    match ids {
        Ok(ids) if !ids.is_empty() && ids.len() <= 500 => Ok(ids),
        _ => Err(crate::api::AppError::invalid(field, Key::ErrChoose)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists_are_numbers_and_bounded() {
        assert_eq!(parse_ids("ids", " 3, 5,,7 "), Ok(vec![3, 5, 7]));
        for bad in ["", " , ", "3,x", "1.5"] {
            assert!(parse_ids("ids", bad).is_err(), "{bad:?} accepted");
        }
        let many = (1..=501)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        assert!(parse_ids("ids", &many).is_err());
    }
}
