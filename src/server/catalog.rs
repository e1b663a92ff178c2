//! The course catalog (课程体系): a base admin adds courses to their base's catalog and retires
//! or restores them; the catalog is what curriculum completion counts against.

use super::validate::{check_optional_text, check_text};
use crate::api::{AppError, FieldError};
use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::bases;
use crate::db::courses::{self, NewCourse};
use crate::domain::level::Level;
use crate::domain::quantity::Hours;
use crate::domain::rules::Module;
use crate::i18n::Key;
use chrono::{DateTime, Utc};

/// A course as typed into the form, before validation.
#[derive(Debug, Clone, Default)]
pub struct CourseInput {
    pub base_code: String,
    pub code: String,
    pub title: String,
    pub module: String,
    pub level: String,
    /// 学时 as people type them: `16`, `1.5`, `16学时`.
    pub hours: String,
    /// `theory` or `practicum` (实训).
    pub kind: String,
    pub instructor: String,
}

/// A unique-key violation as a conflict on the form field that caused it.
fn conflict_on(field: &'static str) -> impl FnOnce(crate::db::DbError) -> AppError {
    move |e| match e {
        crate::db::DbError::Conflict { .. } => AppError::Conflict(field.into()),
        other => other.into(),
    }
}

/// Course codes: 1–32 of A–Z, a–z, 0–9, `-` and `.` (e.g. `JR-01`, `PL.2`).
fn check_course_code(code: &str, errors: &mut Vec<FieldError>) {
    let ok = (1..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !ok {
        errors.push(FieldError::new("code", Key::ErrCodeFormat));
    }
}

/// Validates and adds a course. A base the caller may not manage is reported exactly like an
/// unknown one, so the form reveals nothing about other bases.
pub async fn add_course(
    db: &Db,
    actor: &Actor,
    input: &CourseInput,
    may_manage: impl Fn(i64) -> bool,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    let base_id = bases::base_id_by_code(db, input.base_code.trim())
        .await?
        .filter(|b| may_manage(*b));
    if base_id.is_none() {
        errors.push(FieldError::new("base_code", Key::ErrUnknownBase));
    }
    let code = input.code.trim();
    check_course_code(code, &mut errors);
    check_text("title", &input.title, &mut errors);
    let module = Module::parse(&input.module);
    if module.is_none() {
        errors.push(FieldError::new("module", Key::ErrChoose));
    }
    let level = Level::parse(&input.level).ok();
    if level.is_none() {
        errors.push(FieldError::new("level", Key::ErrLevel));
    }
    let hours = Hours::parse(&input.hours)
        .ok()
        .filter(|h| h.0 > 0 && h.0 <= 100_000);
    if hours.is_none() {
        errors.push(FieldError::new("hours", Key::ErrHours));
    }
    let kind = ["theory", "practicum"]
        .into_iter()
        .find(|k| *k == input.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", Key::ErrChoose));
    }
    check_optional_text("instructor", &input.instructor, &mut errors);
    let (Some(base_id), Some(module), Some(level), Some(hours), Some(kind), true) =
        (base_id, module, level, hours, kind, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    let mut tx = db.begin_write().await?;
    let id = courses::insert(
        &mut tx,
        &NewCourse {
            base_id,
            code,
            title: input.title.trim(),
            module: module.code(),
            level: level.code(),
            hours: hours.0,
            kind,
            instructor: input.instructor.trim(),
        },
        at,
    )
    .await
    .map_err(conflict_on("code"))?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "course.create",
            entity_type: "course",
            entity_id: id.to_string(),
            before: None,
            after: Some(format!(
                "base={}; code={code}; {}; {}; {hours} 学时; {kind}",
                input.base_code.trim(),
                module.code(),
                level.code()
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Retires (or restores) a course: retired courses stay on the records that used them but are
/// no longer offered.
pub async fn set_active(
    db: &Db,
    actor: &Actor,
    course: i64,
    active: bool,
    may_manage: impl Fn(i64) -> bool,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    match courses::base_of(db, course).await? {
        Some(base) if may_manage(base) => {}
        // Another base's course is answered like a missing one.
        _ => return Err(AppError::NotFound),
    }
    let mut tx = db.begin_write().await?;
    courses::set_active(&mut tx, course, active).await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: if active {
                "course.restore"
            } else {
                "course.retire"
            },
            entity_type: "course",
            entity_id: course.to_string(),
            before: None,
            after: Some(format!("active={active}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A session as typed into the schedule form.
#[derive(Debug, Clone, Default)]
pub struct SessionInput {
    pub cohort_code: String,
    pub course_code: String,
    pub held_on: String,
    pub location: String,
}

/// Puts an active catalog course of the cohort's base on the cohort's timetable, on a day
/// within the cohort's dates. A cohort the caller may not manage is "not found".
pub async fn schedule_session(
    db: &Db,
    actor: &Actor,
    input: &SessionInput,
    may_manage: impl Fn(i64) -> bool,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    use crate::db::schedule;
    let cohort = bases::cohort_by_code(db, input.cohort_code.trim())
        .await?
        .filter(|k| may_manage(k.base_id))
        .ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let course = schedule::active_course(db, cohort.base_id, input.course_code.trim()).await?;
    if course.is_none() {
        errors.push(FieldError::new("course_code", Key::ErrChoose));
    }
    let held_on = super::validate::parse_date("held_on", &input.held_on, &mut errors);
    if let Some(d) = held_on
        && !(cohort.starts_on..=cohort.ends_on).contains(&d)
    {
        errors.push(FieldError::new("held_on", Key::ErrOutsideCohort));
    }
    check_optional_text("location", &input.location, &mut errors);
    let (Some(course), Some(held_on), true) = (course, held_on, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let mut tx = db.begin_write().await?;
    let id = schedule::insert(
        &mut tx,
        cohort.id,
        course,
        held_on,
        input.location.trim(),
        at,
    )
    .await
    .map_err(conflict_on("held_on"))?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "cohort.schedule",
            entity_type: "cohort",
            entity_id: cohort.id.to_string(),
            before: None,
            after: Some(format!(
                "{} {held_on} {}",
                cohort.code,
                input.course_code.trim()
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes a session off its cohort's timetable.
pub async fn unschedule_session(
    db: &Db,
    actor: &Actor,
    session: i64,
    may_manage: impl Fn(i64) -> bool,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::db::schedule;
    let Some(cohort) = schedule::cohort_of(db, session).await? else {
        return Err(AppError::NotFound);
    };
    match schedule::base_of_cohort(db, cohort).await? {
        Some(base) if may_manage(base) => {}
        _ => return Err(AppError::NotFound),
    }
    // A session with recorded attendance stays: its training records point at it.
    if !crate::db::records::attendees(db, session).await?.is_empty() {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    let mut tx = db.begin_write().await?;
    schedule::delete(&mut tx, session).await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "cohort.unschedule",
            entity_type: "cohort",
            entity_id: cohort.to_string(),
            before: Some(format!("session #{session}")),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
