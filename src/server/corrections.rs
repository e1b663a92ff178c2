//! Identity corrections. A base changes only the people it owns: when a roster row differs from
//! a person on another base's roster or with their own account, the import keeps their
//! identity and the preview says so. From there the clerk sends the person (if they have an
//! account) or the system admins a correction request, naming what differs (masked, as the
//! preview shows it). The person corrects their contact on their profile and closes the
//! request; a system admin corrects any identity field — name, gender, phone, e-mail,
//! employer, also of people without an account — with a reason. Every step is audited, with
//! phones masked.

use super::imports::{self as import_service, ImportError};
use super::validate::{check_optional_text, check_text};
use crate::api::{AppError, FieldError};
use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::corrections::{self as store, Identity, NewRequest};
use crate::db::imports::ImportRow;
use crate::domain::privacy::mask_phone;
use crate::i18n::Key;
use crate::import::roster::codes::{Code, Detail, Kept};
use crate::server::config::ImportSettings;
use chrono::{DateTime, Utc};

/// The longest note or answer.
const MAX_NOTE: usize = 500;

/// Who a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Person,
    Admin,
}

impl To {
    pub fn parse(s: &str) -> Option<To> {
        match s {
            "person" => Some(To::Person),
            "admin" => Some(To::Admin),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            To::Person => "person",
            To::Admin => "admin",
        }
    }
}

fn check_note(field: &str, text: &str, required: bool) -> Result<(), AppError> {
    if required && text.trim().is_empty() {
        return Err(AppError::invalid(field, Key::ErrRequired));
    }
    if text.chars().count() > MAX_NOTE {
        return Err(AppError::invalid(field, Key::ErrTooLong));
    }
    Ok(())
}

/// What a row of an import keeps as it is: the person and the differences, or `None` when the
/// row has nothing kept.
async fn kept_row(
    db: &Db,
    import: &ImportRow,
    row: u32,
    settings: &ImportSettings,
) -> Result<Option<(i64, bool, Vec<Kept>)>, AppError> {
    let file = import_service::kept_file(db, import)
        .await
        .map_err(unreadable)?;
    let analysed = import_service::analyse(db, &file, settings)
        .await
        .map_err(unreadable)?;
    Ok(analysed
        .plan
        .rows
        .iter()
        .filter(|p| p.row == row)
        .flat_map(|p| p.warnings.iter())
        .find(|w| w.code == Code::KnownElsewhere)
        .and_then(|w| match &w.detail {
            Detail::KeptAsIs {
                person: Some(person),
                has_account,
                differences,
            } => Some((*person, *has_account, differences.clone())),
            _ => None,
        }))
}

/// An import that can no longer be read as it was previewed has nothing to ask about; a
/// failure of the database or the server stays what it is.
fn unreadable(e: ImportError) -> AppError {
    match e {
        ImportError::Db(e) => AppError::from(e),
        ImportError::Internal => AppError::Internal,
        _ => AppError::Refused(Key::ErrCorrectionNothing),
    }
}

/// The clerk of `import`'s base asks `to` to correct the identity kept as it is on `row`.
/// Refused when the row keeps nothing, when the person has no account to ask, or when the base
/// already has a request open for them.
#[allow(clippy::too_many_arguments)]
pub async fn request(
    db: &Db,
    who: &Actor,
    user: i64,
    import: &ImportRow,
    row: u32,
    to: &str,
    note: &str,
    settings: &ImportSettings,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let to = To::parse(to).ok_or_else(|| AppError::invalid("to", Key::ErrChoose))?;
    check_note("note", note, false)?;
    let Some((person, has_account, differences)) = kept_row(db, import, row, settings).await?
    else {
        return Err(AppError::Refused(Key::ErrCorrectionNothing));
    };
    if to == To::Person && !has_account {
        return Err(AppError::invalid("to", Key::ErrCorrectionNoAccount));
    }
    let json = serde_json::to_string(&differences).map_err(|_| AppError::Internal)?;
    let fields: Vec<String> = differences
        .iter()
        .filter_map(|k| serde_json::to_value(k.field).ok())
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let mut tx = db.begin_write().await?;
    let Some(id) = store::insert(
        &mut tx,
        &NewRequest {
            person,
            base: import.base_id,
            import: Some(import.id),
            row: Some(i64::from(row)),
            to: to.code(),
            differences: &json,
            note: note.trim(),
            by: user,
        },
        at,
    )
    .await?
    else {
        tx.rollback().await?;
        return Err(AppError::Refused(Key::ErrCorrectionOpen));
    };
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "identity.correction.requested",
            entity_type: "person",
            entity_id: person.to_string(),
            before: None,
            after: Some(format!(
                "request #{id} to={} base={} import={} row={row} fields={}",
                to.code(),
                import.base_id,
                import.id,
                fields.join(",")
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Who answers a request: the signed-in user, their person, and whether they are a system
/// admin (who may answer any request; a person only those addressed to them).
#[derive(Debug, Clone, Copy)]
pub struct Answerer {
    pub user: i64,
    pub person: i64,
    pub admin: bool,
}

/// Closes a request: `corrected` or `dismissed`, with an answer the clerk reads.
pub async fn close(
    db: &Db,
    who: &Actor,
    by: Answerer,
    id: i64,
    decision: &str,
    answer: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let state = match decision {
        "corrected" | "dismissed" => decision,
        _ => return Err(AppError::invalid("decision", Key::ErrChoose)),
    };
    check_note("answer", answer, decision == "dismissed")?;
    let request = store::request(db, id)
        .await?
        .filter(|r| by.admin || (r.person_id == by.person && r.addressed_to == "person"))
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin_write().await?;
    closed(
        &mut tx,
        who,
        by.user,
        request.person_id,
        id,
        state,
        answer,
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Closes an open request inside `tx`, with its audit row; a request closed meanwhile (by a
/// colleague) is a conflict and the transaction is dropped, writing nothing.
#[allow(clippy::too_many_arguments)]
async fn closed(
    tx: &mut crate::db::Tx,
    who: &Actor,
    user: i64,
    person: i64,
    id: i64,
    state: &str,
    answer: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    if !store::close(tx, id, state, answer.trim(), user, at).await? {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    audit::append(
        tx,
        at,
        who,
        Change {
            action: "identity.correction.closed",
            entity_type: "person",
            entity_id: person.to_string(),
            before: Some(format!("request #{id} open")),
            after: Some(format!("request #{id} {state}")),
        },
    )
    .await?;
    Ok(())
}

/// What a system admin types to correct a person's identity.
#[derive(Debug, Clone, Default)]
pub struct IdentityInput {
    pub name: String,
    /// `male`, `female` or empty.
    pub gender: String,
    pub phone: String,
    pub email: String,
    pub employer: String,
    pub reason: String,
}

/// A system admin corrects a person's identity data, with a reason; the audit row shows the
/// fields before and after (phones masked). A phone or e-mail left empty stays as it is.
/// With `request` (its id and the admin's user id), that open request about this person is
/// closed as corrected in the same transaction. Nothing changed and no request: nothing
/// written.
pub async fn correct(
    db: &Db,
    who: &Actor,
    person: i64,
    input: &IdentityInput,
    request: Option<(i64, i64)>,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let optional = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
    check_text("name", &input.name, &mut errors);
    let gender = match input.gender.trim() {
        "" => None,
        g @ ("male" | "female") => Some(g.to_string()),
        _ => {
            errors.push(FieldError::new("gender", Key::ErrChoose));
            None
        }
    };
    let (phone, email) = super::validate::contact(&input.phone, &input.email, &mut errors);
    check_optional_text("employer", &input.employer, &mut errors);
    if input.reason.trim().is_empty() {
        errors.push(FieldError::new("reason", Key::ErrRequired));
    } else if input.reason.chars().count() > MAX_NOTE {
        errors.push(FieldError::new("reason", Key::ErrTooLong));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = store::identity(db, person)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some((id, _)) = request {
        store::request(db, id)
            .await?
            .filter(|r| r.person_id == person)
            .ok_or(AppError::NotFound)?;
    }
    let to = Identity {
        name: input.name.trim().to_string(),
        gender,
        phone: phone.or(now.phone.clone()),
        email: email.or(now.email.clone()),
        employer: optional(&input.employer),
    };
    if now == to && request.is_none() {
        return Ok(());
    }
    let shown = |i: &Identity| {
        format!(
            "name={} gender={} phone={} email={} employer={}",
            i.name,
            i.gender.as_deref().unwrap_or_default(),
            i.phone.as_deref().map(mask_phone).unwrap_or_default(),
            i.email.as_deref().unwrap_or_default(),
            i.employer.as_deref().unwrap_or_default()
        )
    };
    let mut tx = db.begin_write().await?;
    if now != to {
        let before = store::set_identity(&mut tx, person, &to, at).await?;
        audit::append(
            &mut tx,
            at,
            who,
            Change {
                action: "identity.corrected",
                entity_type: "person",
                entity_id: person.to_string(),
                before: Some(shown(&before)),
                after: Some(format!("{} reason={}", shown(&to), input.reason.trim())),
            },
        )
        .await?;
    }
    if let Some((id, user)) = request {
        closed(
            &mut tx,
            who,
            user,
            person,
            id,
            "corrected",
            &input.reason,
            at,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
