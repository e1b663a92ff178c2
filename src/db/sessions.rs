//! Sign-in sessions and the failed-sign-in counters behind the rate limit. Both live in the
//! database so that several app instances behind one PostgreSQL agree on them.

use super::{Db, DbResult, Tx, TxConn, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};

pub async fn insert_session(
    tx: &mut Tx,
    token_hash: &str,
    user_id: i64,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    ).bind(token_hash).bind(user_id).bind(at).bind(expires_at).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// The user id behind an unexpired session of an active account.
pub async fn session_user(db: &Db, token_hash: &str, now: DateTime<Utc>) -> DbResult<Option<i64>> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT s.user_id FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = TRUE",
    ).bind(token_hash).bind(now).fetch_optional(c).await))
}

pub async fn delete_session(tx: &mut Tx, token_hash: &str) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash).execute(c).await.map(|r| r.rows_affected())))
}

/// Ends every session of a user but one (a password change keeps the session that made it).
pub async fn delete_other_sessions(
    tx: &mut Tx,
    user_id: i64,
    keep_token_hash: &str,
) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id).bind(keep_token_hash).execute(c).await.map(|r| r.rows_affected())))
}

/// Ends every session of a user (deactivation, password reset).
pub async fn delete_user_sessions(tx: &mut Tx, user_id: i64) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id).execute(c).await.map(|r| r.rows_affected())))
}

/// Failures since `since` for an account and for an address, counted inside the caller's
/// write transaction. On PostgreSQL transaction-scoped advisory locks on the account and the
/// address serialise concurrent attempts (SQLite's `BEGIN IMMEDIATE` already does), so a burst
/// of parallel guesses is counted one by one.
pub async fn lock_and_count_failures(
    tx: &mut Tx,
    account: &str,
    address: &str,
    since: DateTime<Utc>,
) -> DbResult<(i64, i64)> {
    if let TxConn::Postgres(t) = &mut tx.conn {
        for key in [account, address] {
            ok(sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                .bind(format!("ladder-login:{key}"))
                .execute(&mut **t)
                .await
                .map(|r| r.rows_affected()))?;
        }
    }
    on_tx!(tx, c => {
        let by_account: i64 = ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at > $2",
        ).bind(account).bind(since).fetch_one(&mut *c).await)?;
        let by_address: i64 = ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at > $2",
        ).bind(address).bind(since).fetch_one(&mut *c).await)?;
        Ok((by_account, by_address))
    })
}

/// Which failure counter: an account's or a client address's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counter {
    Account,
    Address,
}

/// The time of the `n`-th newest failure since `since` of an account or an address (none when
/// there are fewer): once it leaves the window, fewer than `n` remain.
pub async fn nth_newest_failure(
    tx: &mut Tx,
    counter: Counter,
    key: &str,
    since: DateTime<Utc>,
    n: i64,
) -> DbResult<Option<DateTime<Utc>>> {
    let sql = match counter {
        Counter::Account => {
            "SELECT at FROM login_failures WHERE account = $1 AND at > $2
             ORDER BY at DESC LIMIT 1 OFFSET $3"
        }
        Counter::Address => {
            "SELECT at FROM login_failures WHERE address = $1 AND at > $2
             ORDER BY at DESC LIMIT 1 OFFSET $3"
        }
    };
    on_tx!(tx, c => ok(sqlx::query_scalar(sql)
        .bind(key).bind(since).bind((n - 1).max(0)).fetch_optional(c).await))
}

pub async fn record_failure(
    tx: &mut Tx,
    account: &str,
    address: &str,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query("INSERT INTO login_failures (account, address, at) VALUES ($1, $2, $3)")
        .bind(account).bind(address).bind(at).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

/// A successful sign-in clears the account's failures (including the attempt it reserved); old
/// rows and expired sessions are pruned.
pub async fn clear_failures(
    tx: &mut Tx,
    account: &str,
    prune_before: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => {
        ok(sqlx::query("DELETE FROM login_failures WHERE account = $1 OR at < $2")
            .bind(account).bind(prune_before).execute(&mut *c).await.map(|r| r.rows_affected()))?;
        ok(sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(prune_before).execute(&mut *c).await.map(|r| r.rows_affected()))?;
        Ok(())
    })
}

/// Accounts currently over the limit, for the admin's landing page.
pub async fn locked_accounts(db: &Db, since: DateTime<Utc>, limit: i64) -> DbResult<i64> {
    on_db!(db, c => ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT account FROM login_failures WHERE at > $1
                               GROUP BY account HAVING COUNT(*) >= $2) t",
    ).bind(since).bind(limit).fetch_one(c).await))
}
