//! Signing in and out. Sign-in is rate-limited per account and per client address with
//! counters in the database, checked before any password hash.

use super::password;
use super::session;
use crate::api::AppError;
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, people, sessions};
use crate::i18n::Key;
use crate::server::config::Settings;
use chrono::{DateTime, TimeDelta, Utc};

/// A successful sign-in: the cookie token to set and the user.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub user_id: i64,
}

/// The longest login accepted (an e-mail address has at most 254 characters).
pub const MAX_LOGIN_LEN: usize = 254;

/// Signs in. The order matters:
/// 1. the login is normalised and the account looked up (cheap, no hash);
/// 2. the attempt is reserved: inside one write transaction the recent failures of the account
///    (the resolved user, whichever of username or e-mail was typed) and of the address are
///    counted and, if under the limits, a failure row is written, so parallel guesses cannot
///    all slip under the limit;
/// 3. only then is the password hashed; success removes the account's failure rows.
///
/// The error never says whether the account exists or the password was wrong.
pub async fn sign_in(
    db: &Db,
    settings: &Settings,
    login: &str,
    password_text: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, AppError> {
    let login = login.trim().to_lowercase();
    if login.is_empty() {
        return Err(AppError::invalid("login", Key::ErrRequired));
    }
    if login.chars().count() > MAX_LOGIN_LEN || login.chars().any(char::is_control) {
        return Err(AppError::invalid("password", Key::ErrBadCredentials));
    }
    let user = people::user_by_login(db, &login).await?;
    // Failures are counted per account, not per spelling of it; a login that matches nobody is
    // counted under a hash of what was typed, which may be personal data (a phone, an ID).
    let account = match &user {
        Some(u) => format!("user:{}", u.id),
        None => format!("unknown:{}", &session::token_hash(&login)[..16]),
    };
    let window = TimeDelta::minutes(settings.login_window_minutes);
    let mut tx = db.begin_write().await?;
    let (by_account, by_address) =
        sessions::lock_and_count_failures(&mut tx, &account, address, now - window).await?;
    if by_account >= settings.login_max_per_account || by_address >= settings.login_max_per_address
    {
        tx.rollback().await?;
        return Err(AppError::TooManyRequests {
            retry_after_minutes: settings.login_window_minutes,
        });
    }
    sessions::record_failure(&mut tx, &account, address, now).await?;
    tx.commit().await?;

    let verified = match &user {
        Some(u) => password::verify(password_text, &u.password_hash) && u.active,
        None => {
            password::verify_dummy(password_text);
            false
        }
    };
    let mut tx = db.begin_write().await?;
    let Some(user) = user.filter(|_| verified) else {
        audit::append(
            &mut tx,
            now,
            &Actor::system("sign-in"),
            Change {
                action: "session.sign_in_failed",
                entity_type: "account",
                entity_id: account,
                before: None,
                after: Some(format!("address={address}")),
            },
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::invalid("password", Key::ErrBadCredentials));
    };
    let token = session::new_token();
    let expires = now + TimeDelta::hours(settings.session_hours);
    sessions::insert_session(&mut tx, &session::token_hash(&token), user.id, now, expires).await?;
    sessions::clear_failures(&mut tx, &account, now - window).await?;
    audit::append(
        &mut tx,
        now,
        &Actor {
            user_id: Some(user.id),
            label: user.username.clone(),
        },
        Change {
            action: "session.sign_in",
            entity_type: "user",
            entity_id: user.id.to_string(),
            before: None,
            after: Some(format!("address={address}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(SignedIn {
        token,
        user_id: user.id,
    })
}

pub async fn sign_out(
    db: &Db,
    actor: &Actor,
    token: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let removed = sessions::delete_session(&mut tx, &session::token_hash(token)).await?;
    if removed > 0 {
        audit::append(
            &mut tx,
            at,
            actor,
            Change {
                action: "session.sign_out",
                entity_type: "user",
                entity_id: actor.user_id.map_or_else(String::new, |id| id.to_string()),
                before: None,
                after: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
