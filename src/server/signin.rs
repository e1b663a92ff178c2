//! Signing in and out. Sign-in is rate-limited per account and per client address with
//! counters in the database, checked before any password hash; an address or account the
//! database has found over its limit is then refused from memory until it is under the limit
//! again, so a flood of refused sign-ins costs no transaction.

use super::password;
use super::session;
use crate::api::AppError;
use crate::db::audit::{self, Actor, Change};
use crate::db::sessions::Counter;
use crate::db::{Db, people, sessions};
use crate::i18n::Key;
use crate::server::config::Settings;
use crate::service::keys::Keyring;
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// A successful sign-in: the cookie token to set and the user.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub user_id: i64,
}

/// The longest login accepted (an e-mail address has at most 254 characters).
pub const MAX_LOGIN_LEN: usize = 254;

/// Addresses and accounts the database found over their sign-in limit, each with the moment
/// it falls under the limit again. No failure is recorded while one is refused, so for this
/// instance that moment is exact; another instance's failures can only make it later, and
/// then the database is asked again. The database stays the authority: this only spares it a
/// write transaction per refused attempt during a flood. One per app (in `AppState`).
#[derive(Debug, Default)]
pub struct Refusals(Mutex<HashMap<(Counter, String), DateTime<Utc>>>);

/// Entries kept at most (a flood from many addresses): past it, expired ones are dropped, and
/// when none has expired the newest is not remembered (the database still refuses it).
const MAX_REFUSALS: usize = 10_000;

impl Refusals {
    fn refused(&self, counter: Counter, key: &str, now: DateTime<Utc>) -> bool {
        let map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(&(counter, key.to_string()))
            .is_some_and(|until| *until > now)
    }

    fn refuse(&self, key: (Counter, String), until: DateTime<Utc>, now: DateTime<Utc>) {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= MAX_REFUSALS {
            map.retain(|_, u| *u > now);
        }
        if map.len() < MAX_REFUSALS {
            map.insert(key, until);
        }
    }

    /// How many addresses and accounts are remembered (for tests).
    pub fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Signs in without remembering refusals (tools and tests; the web uses [`sign_in_with`]).
pub async fn sign_in(
    db: &Db,
    keys: &Keyring,
    settings: &Settings,
    login: &str,
    password_text: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, AppError> {
    sign_in_with(
        db,
        keys,
        settings,
        &Refusals::default(),
        login,
        password_text,
        address,
        now,
    )
    .await
}

/// Signs in. The order matters:
/// 0. an address, then an account, already known to be over its limit is refused at once;
/// 1. the login is normalised and the account looked up (cheap, no hash);
/// 2. the attempt is reserved: inside one write transaction the recent failures of the account
///    (the resolved user, whichever of username or e-mail was typed) and of the address are
///    counted and, if under the limits, a failure row is written, so parallel guesses cannot
///    all slip under the limit;
/// 3. only then is the password hashed; success removes the account's failure rows.
///
/// The error never says whether the account exists or the password was wrong.
#[allow(clippy::too_many_arguments)]
pub async fn sign_in_with(
    db: &Db,
    keys: &Keyring,
    settings: &Settings,
    refusals: &Refusals,
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
    let too_many = || AppError::TooManyRequests {
        retry_after_minutes: settings.login_window_minutes,
    };
    if refusals.refused(Counter::Address, address, now) {
        return Err(too_many());
    }
    let user = people::user_by_login(db, &login).await?;
    // Failures are counted per account, not per spelling of it. A login that matches nobody
    // may be personal data (a mistyped phone or ID number): it is counted under an HMAC with
    // the server's key, which no one holding only the database can reverse by trying numbers.
    let account = match &user {
        Some(u) => format!("user:{}", u.id),
        None => format!("unknown:{}", keys.login_tag(&login)),
    };
    if refusals.refused(Counter::Account, &account, now) {
        return Err(too_many());
    }
    let window = TimeDelta::minutes(settings.login_window_minutes);
    let mut tx = db.begin_write().await?;
    let (by_account, by_address) =
        sessions::lock_and_count_failures(&mut tx, &account, address, now - window).await?;
    let over: Vec<(Counter, &str, i64)> = [
        (
            Counter::Address,
            address,
            by_address,
            settings.login_max_per_address,
        ),
        (
            Counter::Account,
            &account,
            by_account,
            settings.login_max_per_account,
        ),
    ]
    .into_iter()
    .filter(|&(_, _, count, limit)| count >= limit)
    .map(|(counter, key, _, limit)| (counter, key, limit))
    .collect();
    if !over.is_empty() {
        for (counter, key, limit) in over {
            // Under the limit again once the limit-th newest failure leaves the window.
            let nth =
                sessions::nth_newest_failure(&mut tx, counter, key, now - window, limit).await?;
            refusals.refuse((counter, key.to_string()), nth.unwrap_or(now) + window, now);
        }
        tx.rollback().await?;
        return Err(too_many());
    }
    sessions::record_failure(&mut tx, &account, address, now).await?;
    tx.commit().await?;

    let verified = match &user {
        Some(u) => password::verified(password_text, &u.password_hash).await? && u.active,
        None => password::verified_dummy(password_text).await?,
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
