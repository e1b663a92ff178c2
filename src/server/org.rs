//! Organisation services shared by the web API and the command line: training bases, cohorts
//! and committees. Input is validated with every problem reported; nothing is written unless
//! all of it is valid.

use super::validate::{check_text, parse_date};
use crate::api::{AppError, FieldError};
use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::bases::{self, NewCohort};
use crate::db::committees;
use crate::domain::level::Level;
use crate::i18n::Key;
use chrono::{DateTime, Utc};

/// Codes: 2–32 of A–Z, a–z, 0–9 and `-`, as printed on certificates and spreadsheets.
fn check_code(field: &str, code: &str, errors: &mut Vec<FieldError>) {
    let ok = (2..=32).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !ok {
        errors.push(FieldError::new(field, Key::ErrCodeFormat));
    }
}

pub async fn add_base(
    db: &Db,
    actor: &Actor,
    code: &str,
    name: &str,
    region: &str,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let code = code.trim();
    let mut errors = Vec::new();
    check_code("code", code, &mut errors);
    check_text("name", name, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = db.begin_write().await?;
    let id = bases::insert_base(&mut tx, code, name.trim(), region.trim(), at).await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "base.create",
            entity_type: "training_base",
            entity_id: id.to_string(),
            before: None,
            after: Some(format!("code={code}; name={}", name.trim())),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A cohort as typed into a form or on the command line, before validation.
#[derive(Debug, Clone)]
pub struct CohortInput {
    pub base_code: String,
    pub code: String,
    pub name: String,
    pub level: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// Validates a cohort and resolves its base. `may_add` decides, once the base is known,
/// whether the caller may add cohorts to it.
pub async fn add_cohort(
    db: &Db,
    actor: &Actor,
    input: &CohortInput,
    may_add: impl Fn(i64) -> bool,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    let code = input.code.trim();
    check_code("code", code, &mut errors);
    check_text("name", &input.name, &mut errors);
    let level = Level::parse(&input.level).ok();
    if level.is_none() {
        errors.push(FieldError::new("level", Key::ErrLevel));
    }
    let starts = parse_date("starts_on", &input.starts_on, &mut errors);
    let ends = parse_date("ends_on", &input.ends_on, &mut errors);
    if let (Some(s), Some(e)) = (starts, ends)
        && e < s
    {
        errors.push(FieldError::new("ends_on", Key::ErrEndsBeforeStart));
    }
    let base_id = bases::base_id_by_code(db, input.base_code.trim()).await?;
    if base_id.is_none() {
        errors.push(FieldError::new("base_code", Key::ErrUnknownBase));
    }
    if let Some(b) = base_id
        && !may_add(b)
    {
        return Err(AppError::Forbidden);
    }
    let (Some(base_id), Some(level), Some(starts_on), Some(ends_on), true) =
        (base_id, level, starts, ends, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    let mut tx = db.begin_write().await?;
    let id = bases::insert_cohort(
        &mut tx,
        &NewCohort {
            base_id,
            code,
            name: input.name.trim(),
            level: level.code(),
            starts_on,
            ends_on,
        },
        at,
    )
    .await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "cohort.create",
            entity_type: "cohort",
            entity_id: id.to_string(),
            before: None,
            after: Some(format!(
                "base={}; code={code}; level={}; {starts_on}..{ends_on}",
                input.base_code.trim(),
                level.code()
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn add_committee(
    db: &Db,
    actor: &Actor,
    code: &str,
    name: &str,
    series: &str,
    specialty: &str,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    check_code("code", code.trim(), &mut errors);
    check_text("name", name, &mut errors);
    check_text("series", series, &mut errors);
    check_text("specialty", specialty, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = db.begin_write().await?;
    let id = committees::insert_committee(
        &mut tx,
        code.trim(),
        name.trim(),
        series.trim(),
        specialty.trim(),
        at,
    )
    .await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "committee.create",
            entity_type: "committee",
            entity_id: id.to_string(),
            before: None,
            after: Some(format!("code={}; name={}", code.trim(), name.trim())),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
