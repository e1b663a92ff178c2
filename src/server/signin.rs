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
use crate::service::devices;
use crate::service::keys::Keyring;
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// A successful sign-in: the session's cookie token, the user, and the device cookie to set
/// (a fresh one at every sign-in: this browser is now a known device of the account).
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub user_id: i64,
    pub device: String,
}

/// What a browser brings to a sign-in besides the credentials.
#[derive(Debug, Clone, Copy, Default)]
pub struct Client<'a> {
    /// The client's address (as [`crate::api::ssr::Ctx::address`] resolves it).
    pub address: &'a str,
    /// Its device cookie, if it sent one (`service::devices`).
    pub device: Option<&'a str>,
    /// Its session cookie, if it sent one: ended when the sign-in succeeds, so signing in never
    /// continues an earlier session in the same browser.
    pub session: Option<&'a str>,
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
    /// Until when `key` is refused, if it is.
    fn refused(&self, counter: Counter, key: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(&(counter, key.to_string()))
            .copied()
            .filter(|until| *until > now)
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

/// Signs in from an unknown device without remembering refusals (tools and tests; the web
/// uses [`sign_in_with`]).
pub async fn sign_in(
    db: &Db,
    keys: &Keyring,
    settings: &Settings,
    login: &str,
    password_text: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, AppError> {
    let client = Client {
        address,
        ..Client::default()
    };
    sign_in_with(
        db,
        keys,
        settings,
        &Refusals::default(),
        login,
        password_text,
        client,
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
/// A browser with a device cookie of the account it signs in to (OWASP's device cookies) is
/// counted on its own: neither the account's failures from elsewhere nor its address's refuse
/// it, and its own failures refuse only it. The error never says whether the account exists
/// or the password was wrong. A 429 says until when.
#[allow(clippy::too_many_arguments)]
pub async fn sign_in_with(
    db: &Db,
    keys: &Keyring,
    settings: &Settings,
    refusals: &Refusals,
    login: &str,
    password_text: &str,
    client: Client<'_>,
    now: DateTime<Utc>,
) -> Result<SignedIn, AppError> {
    let address = client.address;
    let login = login.trim().to_lowercase();
    if login.is_empty() {
        return Err(AppError::invalid("login", Key::ErrRequired));
    }
    if login.chars().count() > MAX_LOGIN_LEN || login.chars().any(char::is_control) {
        return Err(AppError::invalid("password", Key::ErrBadCredentials));
    }
    let too_many = |until: DateTime<Utc>| AppError::TooManyRequests {
        retry_after_secs: (until - now).num_seconds().max(1),
    };
    // A device cookie the key file vouches for; it counts once it names the account found.
    let claimed = client.device.and_then(|v| devices::read(keys, v));
    if claimed.is_none()
        && let Some(until) = refusals.refused(Counter::Address, address, now)
    {
        return Err(too_many(until));
    }
    let user = people::user_by_login(db, &login).await?;
    let claimed_some = claimed.is_some();
    let device = claimed.filter(|d| user.as_ref().is_some_and(|u| u.id == d.user_id));
    // A cookie of another account counts as none: the address's refusal applies after all.
    if claimed_some
        && device.is_none()
        && let Some(until) = refusals.refused(Counter::Address, address, now)
    {
        return Err(too_many(until));
    }
    // Failures are counted per account, not per spelling of it. A login that matches nobody
    // may be personal data (a mistyped phone or ID number): it is counted under an HMAC with
    // the server's key, which no one holding only the database can reverse by trying numbers.
    let account = match (&device, &user) {
        (Some(d), _) => d.counter_key(),
        (None, Some(u)) => format!("user:{}", u.id),
        (None, None) => format!("unknown:{}", keys.login_tag(&login)),
    };
    if let Some(until) = refusals.refused(Counter::Account, &account, now) {
        return Err(too_many(until));
    }
    let window = TimeDelta::minutes(settings.login_window_minutes);
    let mut tx = db.begin_write().await?;
    let (by_account, by_address) =
        sessions::lock_and_count_failures(&mut tx, &account, address, now - window).await?;
    let over: Vec<(Counter, &str, i64)> = [
        // A known device is not held to its address's limit.
        (device.is_none()).then_some((
            Counter::Address,
            address,
            by_address,
            settings.login_max_per_address,
        )),
        Some((
            Counter::Account,
            &account,
            by_account,
            settings.login_max_per_account,
        )),
    ]
    .into_iter()
    .flatten()
    .filter(|&(_, _, count, limit)| count >= limit)
    .map(|(counter, key, _, limit)| (counter, key, limit))
    .collect();
    if !over.is_empty() {
        let mut latest = now;
        for (counter, key, limit) in over {
            // Under the limit again once the limit-th newest failure leaves the window.
            let nth =
                sessions::nth_newest_failure(&mut tx, counter, key, now - window, limit).await?;
            let until = nth.unwrap_or(now) + window;
            latest = latest.max(until);
            refusals.refuse((counter, key.to_string()), until, now);
        }
        tx.rollback().await?;
        return Err(too_many(latest));
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
    if let Some(previous) = client.session {
        sessions::delete_session(&mut tx, &session::token_hash(previous)).await?;
    }
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
        device: devices::issue(keys, user.id),
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
