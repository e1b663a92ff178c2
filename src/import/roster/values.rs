//! One cell's value into a roster field's value, normalised as domain.md §8.2 says, or the
//! issue that explains why not.

use super::codes::{Code, Detail};
use super::fields::half_width;
use crate::domain::eligibility::Education;
use crate::domain::id_number::{IdNumber, IdNumberError};
use crate::domain::quantity::Hours;
use crate::import::sheet::{Cell, number_text};
use chrono::{Days, NaiveDate};

pub type Checked<T> = Result<T, (Code, Detail)>;

/// Text with full-width letters, digits and spaces made half-width, trimmed.
pub fn text(cell: &Cell) -> String {
    match cell {
        // Most cells: plain text already (one copy, no conversion).
        Cell::Text(t) if t.chars().all(|c| half_width(c) == c) => t.trim().to_string(),
        other => other
            .display()
            .chars()
            .map(half_width)
            .collect::<String>()
            .trim()
            .to_string(),
    }
}

/// The trimmed text of a cell that needs no conversion (most cells), without copying it.
fn plain(cell: &Cell) -> Option<&str> {
    match cell {
        Cell::Text(t) if t.chars().all(|c| half_width(c) == c) => Some(t.trim()),
        _ => None,
    }
}

/// Calls `f` with the cell's text, copying only when it must be converted.
fn with_text<T>(cell: &Cell, f: impl FnOnce(&str) -> T) -> T {
    match plain(cell) {
        Some(t) => f(t),
        None => f(&text(cell)),
    }
}

/// Whether a cell holds nothing but spaces (of any width).
pub fn is_blank(cell: &Cell) -> bool {
    match cell {
        Cell::Text(t) => t.chars().all(|c| c.is_whitespace() || c == '\u{3000}'),
        _ => false,
    }
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// A Chinese name loses every space (全角 ones included); a Latin name keeps single spaces.
pub fn name(cell: &Cell) -> Checked<String> {
    let raw = text(cell);
    let n: String = if !raw.contains(char::is_whitespace) {
        raw.clone()
    } else if has_cjk(&raw) {
        raw.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let len = n.chars().count();
    let ok_chars = n
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, '·' | '•' | '.' | ' ' | '-'));
    if !(2..=30).contains(&len) || !ok_chars {
        return Err((Code::BadName, Detail::Value { value: raw }));
    }
    // The interpunct in minority names has look-alikes; store one form.
    Ok(if n.contains('•') {
        n.replace('•', "·")
    } else {
        n
    })
}

/// `3.20102E+17` and the like: how an ID number looks once Excel made it a number.
fn scientific(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let Some((mantissa, exp)) = lower.split_once('e') else {
        return false;
    };
    !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && exp.trim_start_matches('+').parse::<u32>().is_ok()
}

pub fn id_number(cell: &Cell) -> Checked<IdNumber> {
    let shown = match cell {
        // As Excel's General format shows it: six significant digits.
        Cell::Number(n) => Some(format!("{n:.5E}").replace('E', "E+")),
        Cell::Text(t) if scientific(t.trim()) => Some(t.trim().to_string()),
        _ => None,
    };
    if let Some(shown) = shown {
        return Err((Code::IdNumber, Detail::IdStoredAsNumber { shown }));
    }
    with_text(cell, IdNumber::parse).map_err(|e| match e {
        IdNumberError::Length(found) => (Code::IdNumber, Detail::IdLength { found }),
        IdNumberError::Characters => (Code::IdNumber, Detail::IdCharacters),
        IdNumberError::Region => (Code::IdNumber, Detail::IdRegion),
        IdNumberError::BirthDate(digits) => (Code::IdBirthDate, Detail::IdBirthDate { digits }),
        IdNumberError::Checksum { expected, found } => {
            (Code::IdChecksum, Detail::IdChecksum { expected, found })
        }
    })
}

/// `true` for male.
pub fn gender(cell: &Cell) -> Checked<bool> {
    match plain(cell) {
        Some("男") => return Ok(true),
        Some("女") => return Ok(false),
        _ => {}
    }
    match text(cell).to_lowercase().as_str() {
        "男" | "m" | "male" | "男性" => Ok(true),
        "女" | "f" | "female" | "女性" => Ok(false),
        other => Err((
            Code::BadGender,
            Detail::Value {
                value: other.to_string(),
            },
        )),
    }
}

/// A mobile (`1` + 10 digits) or a landline with its area code; `+86`, spaces and dashes go.
pub fn phone(cell: &Cell) -> Checked<String> {
    let raw = match cell {
        Cell::Number(n) => number_text(*n),
        other => text(other),
    };
    let mut digits: String = if raw.bytes().all(|b| b.is_ascii_digit()) {
        raw.clone()
    } else {
        raw.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')'))
            .collect()
    };
    if let Some(rest) = digits.strip_prefix("+86") {
        digits = rest.to_string();
    }
    let all_digits = digits.bytes().all(|b| b.is_ascii_digit());
    let mobile = digits.len() == 11 && digits.starts_with('1');
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    if all_digits && (mobile || landline) {
        Ok(digits)
    } else {
        Err((Code::BadPhone, Detail::Value { value: raw }))
    }
}

pub fn email(cell: &Cell) -> Checked<String> {
    let e = text(cell);
    let ok = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        }
        None => false,
    };
    if ok && !e.bytes().any(|b| b.is_ascii_uppercase()) {
        Ok(e)
    } else if ok {
        Ok(e.to_ascii_lowercase())
    } else {
        Err((Code::BadEmail, Detail::Value { value: e }))
    }
}

pub fn hours(cell: &Cell) -> Checked<Hours> {
    let bad = |v: String| (Code::BadHours, Detail::Value { value: v });
    let h = match cell {
        Cell::Number(n) if n.is_finite() => Hours((n * 100.0).round() as i64),
        other => Hours::parse(&text(other)).map_err(|_| bad(text(other)))?,
    };
    if h.0 < 0 || h.0 > 1_000_000 {
        return Err(bad(cell.display()));
    }
    Ok(h)
}

/// A score 0–100 (kept as written, e.g. `85` or `92.5`) or a result word.
pub fn score(cell: &Cell) -> Checked<String> {
    let t = match cell {
        Cell::Number(n) => number_text(*n),
        other => text(other),
    };
    if let Ok(n) = t.parse::<f64>()
        && (0.0..=100.0).contains(&n)
    {
        return Ok(t);
    }
    if matches!(
        t.as_str(),
        "优秀" | "良好" | "合格" | "不合格" | "缺考" | "通过" | "未通过"
    ) {
        return Ok(t);
    }
    Err((Code::BadScore, Detail::Value { value: t }))
}

pub fn education(cell: &Cell) -> Checked<Education> {
    with_text(cell, education_of)
}

fn education_of(t: &str) -> Checked<Education> {
    let level = match t {
        "博士研究生" | "博士" | "研究生(博士)" | "doctorate" | "phd" => {
            Education::Doctorate
        }
        "硕士研究生" | "硕士" | "研究生" | "研究生(硕士)" | "master" => {
            Education::Master
        }
        "大学本科" | "本科" | "bachelor" => Education::Bachelor,
        "大学专科" | "专科" | "大专" | "高职" | "associate" => Education::Associate,
        "其他" | "其它" | "高中" | "中专" | "other" => Education::Other,
        _ => {
            let value = t.to_string();
            return Err((Code::BadEducation, Detail::Value { value }));
        }
    };
    Ok(level)
}

/// A date cell, an ISO or Chinese date as text, or an Excel serial (1900 or 1904 system).
pub fn date(cell: &Cell, date1904: bool) -> Checked<NaiveDate> {
    let bad = || {
        (
            Code::BadDate,
            Detail::Value {
                value: cell.display(),
            },
        )
    };
    match cell {
        Cell::Date(d) => Ok(d.date()),
        Cell::Number(n) => serial(*n, date1904).ok_or_else(bad),
        other => {
            let t = text(other)
                .replace(['年', '月', '/', '.'], "-")
                .replace('日', "");
            NaiveDate::parse_from_str(&t, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(&t, "%Y%m%d"))
                .map_err(|_| bad())
        }
    }
}

/// Excel's day count: 1900 system counts from 1899-12-30 (its phantom 29 Feb 1900 included),
/// 1904 from 1904-01-01.
pub fn serial(n: f64, date1904: bool) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&n) {
        return None;
    }
    let epoch = if date1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    epoch.checked_add_days(Days::new(n.trunc() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn ids_are_normalised_or_refused_with_their_code() {
        assert_eq!(
            id_number(&t("31010719840810986x")).unwrap().as_str(),
            "31010719840810986X"
        );
        assert_eq!(
            id_number(&t("３１０１０７１９８４０８１０９８６Ｘ"))
                .unwrap()
                .as_str(),
            "31010719840810986X"
        );
        assert_eq!(
            id_number(&t("310107 19840810 986X")).unwrap().as_str(),
            "31010719840810986X"
        );
        assert_eq!(
            id_number(&Cell::Number(3.201021997110998e17))
                .unwrap_err()
                .0,
            Code::IdNumber
        );
        assert_eq!(id_number(&t("3.20102E+17")).unwrap_err().0, Code::IdNumber);
        assert_eq!(
            id_number(&t("310107198408109861")).unwrap_err().0,
            Code::IdChecksum
        );
        assert_eq!(
            id_number(&t("310107198413109861")).unwrap_err().0,
            Code::IdBirthDate
        );
    }

    #[test]
    fn phones_stored_as_numbers_and_with_dashes_are_read() {
        assert_eq!(phone(&Cell::Number(13812345678.0)).unwrap(), "13812345678");
        assert_eq!(phone(&t("+86 138-1234-5678")).unwrap(), "13812345678");
        assert_eq!(phone(&t("021-64281234")).unwrap(), "02164281234");
        assert_eq!(phone(&t("1381234567")).unwrap_err().0, Code::BadPhone);
    }

    #[test]
    fn hours_take_units_and_full_width_digits() {
        assert_eq!(hours(&t("32学时")).unwrap(), Hours::whole(32));
        assert_eq!(hours(&t("３２")).unwrap(), Hours::whole(32));
        assert_eq!(hours(&Cell::Number(1.5)).unwrap(), Hours(150));
        assert_eq!(hours(&t("三十二")).unwrap_err().0, Code::BadHours);
        assert_eq!(hours(&Cell::Number(-1.0)).unwrap_err().0, Code::BadHours);
    }

    #[test]
    fn names_lose_full_width_spaces() {
        assert_eq!(name(&t("王\u{3000}芳")).unwrap(), "王芳");
        assert_eq!(name(&t("买买提•艾力")).unwrap(), "买买提·艾力");
        assert_eq!(name(&t("Anna  Li")).unwrap(), "Anna Li");
        assert_eq!(name(&t("王")).unwrap_err().0, Code::BadName);
    }

    #[test]
    fn serials_follow_both_date_systems() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(serial(45352.0, false), Some(d));
        assert_eq!(serial(45352.0 - 1462.0, true), Some(d));
        assert_eq!(
            date(&t("1985年3月21日"), false).unwrap().to_string(),
            "1985-03-21"
        );
        assert_eq!(serial(-5.0, false), None);
    }

    #[test]
    fn emails_are_checked_lightly() {
        assert_eq!(email(&t("Li.Na@Example.cn")).unwrap(), "li.na@example.cn");
        assert!(email(&t("li.na@example")).is_err());
        assert!(email(&t("a b@example.cn")).is_err());
    }
}
