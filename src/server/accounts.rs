//! Account services shared by the web API and the command line: users, roles, passwords.
//! Each mutation commits with its audit row in one transaction.

use super::password;
use crate::api::{AppError, FieldError};
use crate::db::audit::{self, Actor, Change};
use crate::db::people::{self, GrantRow, NewPerson, NewUser};
use crate::db::{Db, DbError, Tx, sessions};
use crate::domain::id_number::IdNumber;
use crate::domain::role::{Grant, Role};
use crate::i18n::Key;
use chrono::{DateTime, Utc};

/// A new account: either for an existing person (by ID number) or with a new person record.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    pub id_number: Option<String>,
    pub password: String,
    pub must_change_password: bool,
    /// Roles granted with the account, in the same transaction.
    pub grants: Vec<Grant>,
}

fn policy_key(e: password::PolicyError) -> Key {
    match e {
        password::PolicyError::TooShort => Key::ErrPasswordTooShort,
        password::PolicyError::TooLong => Key::ErrPasswordTooLong,
    }
}

fn policy_error(field: &str, e: password::PolicyError) -> AppError {
    AppError::invalid(field, policy_key(e))
}

/// `local@domain.tld`, no spaces: enough to catch typing mistakes; delivery proves the rest.
fn looks_like_email(e: &str) -> bool {
    let e = e.trim();
    match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.chars().any(char::is_whitespace)
                && e.len() <= super::signin::MAX_LOGIN_LEN
        }
        None => false,
    }
}

/// Usernames: 3–32 of a–z, 0–9, `.`, `_`, `-`.
fn valid_username(username: &str) -> bool {
    (3..=32).contains(&username.len())
        && username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// Creates a login with its roles. With an ID number, an existing person gets the login (or a
/// new person with that number is made); without, a new person is created. All or nothing.
pub async fn create_user(
    db: &Db,
    actor: &Actor,
    new: &NewAccount,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    if !valid_username(&new.username) {
        errors.push(FieldError::new("username", Key::ErrUsernameFormat));
    }
    if let Err(e) = password::check_policy(&new.password) {
        errors.push(FieldError::new("password", policy_key(e)));
    }
    let id_number = match new.id_number.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => match IdNumber::parse(raw) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new("id_number", Key::ErrIdNumber));
                None
            }
        },
    };
    if new
        .email
        .as_deref()
        .is_some_and(|e| !e.is_empty() && !looks_like_email(e))
    {
        errors.push(FieldError::new("email", Key::ErrEmail));
    }
    if new.name.trim().is_empty() && id_number.is_none() {
        errors.push(FieldError::new("name", Key::ErrRequired));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let hash = password::hashed(&new.password).await?;
    let mut tx = db.begin_write().await?;
    let existing = match &id_number {
        Some(id) => people::person_by_id_number(&mut tx, id.as_str()).await?,
        None => None,
    };
    let person_id = match existing {
        Some(p) => p.id,
        None => {
            people::insert_person(
                &mut tx,
                &NewPerson {
                    name: new.name.trim().to_string(),
                    id_number: id_number.as_ref().map(|i| i.as_str().to_string()),
                    gender: id_number
                        .as_ref()
                        .map(|i| if i.is_male() { "male" } else { "female" }),
                    phone: None,
                    email: new.email.clone(),
                    unit_id: None,
                },
                at,
            )
            .await?
        }
    };
    let user_id = people::insert_user(
        &mut tx,
        &NewUser {
            person_id,
            username: &new.username,
            email: new.email.as_deref().filter(|e| !e.is_empty()),
            password_hash: &hash,
            must_change_password: new.must_change_password,
        },
        at,
    )
    // A second login for the same person is a Conflict on person_id, shown as the ID number.
    .await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "user.create",
            entity_type: "user",
            entity_id: user_id.to_string(),
            before: None,
            after: Some(format!(
                "username={}; person={person_id}; id_number={}",
                new.username,
                id_number.map_or_else(|| "-".into(), |i| i.masked())
            )),
        },
    )
    .await?;
    for grant in &new.grants {
        grant_in(&mut tx, actor, user_id, *grant, at).await?;
    }
    tx.commit().await?;
    Ok(user_id)
}

pub async fn grant_role(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    grant: Grant,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let id = grant_in(&mut tx, actor, user_id, grant, at).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn revoke_role(
    db: &Db,
    actor: &Actor,
    grant_id: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let row = people::grant_by_id(&mut tx, grant_id)
        .await?
        .ok_or(AppError::NotFound)?;
    revoke_in(&mut tx, actor, &row, at).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds one grant and its audit row inside `tx`.
async fn grant_in(
    tx: &mut Tx,
    actor: &Actor,
    user_id: i64,
    grant: Grant,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let id = people::add_grant(tx, user_id, grant, at)
        .await
        .map_err(|e| match e {
            // The unique (user, role, scope) index: the role is already held there.
            DbError::Conflict { constraint } if constraint.contains("user_id") => {
                AppError::Conflict("role".into())
            }
            other => other.into(),
        })?;
    audit::append(
        tx,
        at,
        actor,
        Change {
            action: "role.grant",
            entity_type: "user",
            entity_id: user_id.to_string(),
            before: None,
            after: Some(format!(
                "role={}; scope={}",
                grant.role(),
                grant.scope().key()
            )),
        },
    )
    .await?;
    Ok(id)
}

/// Removes one grant and writes its audit row inside `tx`. The last system administrator's
/// grant stays: without it nobody could manage accounts from the web.
async fn revoke_in(
    tx: &mut Tx,
    actor: &Actor,
    row: &GrantRow,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    people::remove_grant(tx, row.id).await?;
    if row.role == Role::SysAdmin.code() && people::count_role(tx, Role::SysAdmin).await? == 0 {
        return Err(AppError::invalid("role", Key::ErrLastAdmin));
    }
    audit::append(
        tx,
        at,
        actor,
        Change {
            action: "role.revoke",
            entity_type: "user",
            entity_id: row.user_id.to_string(),
            before: Some(format!(
                "role={}; scope={}",
                row.role,
                row.scope_name.clone().unwrap_or_default()
            )),
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// Sets a new password chosen by an admin (or generated); the user must change it at next
/// sign-in and all their sessions end.
pub async fn reset_password(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    new_password: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    password::check_policy(new_password).map_err(|e| policy_error("password", e))?;
    let hash = password::hashed(new_password).await?;
    let mut tx = db.begin_write().await?;
    people::set_password(&mut tx, user_id, &hash, true).await?;
    sessions::delete_user_sessions(&mut tx, user_id).await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "user.reset_password",
            entity_type: "user",
            entity_id: user_id.to_string(),
            before: None,
            after: Some("must_change_password=true".into()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_active(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    active: bool,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    people::set_active(&mut tx, user_id, active).await?;
    if !active {
        sessions::delete_user_sessions(&mut tx, user_id).await?;
    }
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: if active {
                "user.activate"
            } else {
                "user.deactivate"
            },
            entity_type: "user",
            entity_id: user_id.to_string(),
            before: Some(format!("active={}", !active)),
            after: Some(format!("active={active}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The user changes their own password, proving the current one. Every other session of the
/// account ends (a stolen session does not survive the change); `keep_token_hash` stays.
pub async fn change_password(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    current: &str,
    new: &str,
    keep_token_hash: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let user = people::user_by_id(db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !password::verified(current, &user.password_hash).await? {
        return Err(AppError::invalid("current", Key::ErrWrongPassword));
    }
    password::check_policy(new).map_err(|e| policy_error("new", e))?;
    if current == new {
        return Err(AppError::invalid("new", Key::ErrPasswordUnchanged));
    }
    let hash = password::hashed(new).await?;
    let mut tx = db.begin_write().await?;
    people::set_password(&mut tx, user_id, &hash, false).await?;
    sessions::delete_other_sessions(&mut tx, user_id, keep_token_hash).await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "user.change_password",
            entity_type: "user",
            entity_id: user_id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces a user's grants with `wanted` in one transaction, auditing each change.
pub async fn set_roles(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    wanted: &[Grant],
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let current = people::grants_of_in(&mut tx, user_id).await?;
    let held: Vec<Grant> = current.iter().filter_map(|r| r.grant().ok()).collect();
    for row in &current {
        if row.grant().map_or(true, |g| !wanted.contains(&g)) {
            revoke_in(&mut tx, actor, row, at).await?;
        }
    }
    for g in wanted.iter().filter(|g| !held.contains(g)) {
        grant_in(&mut tx, actor, user_id, *g, at).await?;
    }
    tx.commit().await?;
    Ok(())
}
