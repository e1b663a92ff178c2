//! People's names in Chinese order. Every list of people is ordered by `people.name_sort`, a
//! sort key ICU4X's collator computes from the name (Chinese, pinyin order: 白 before 曹 before
//! 陈), compared as bytes. Both engines compare bytes the same way, so SQLite and PostgreSQL list
//! and page people identically, whatever collations their builds carry (SQLite has none for
//! Chinese; PostgreSQL's ICU collations can shift when libicu is upgraded underneath).
//!
//! The keys belong to the collator's version: [`COLLATOR`] names it, and
//! [`refresh`] (run after every migration) recomputes every stored key when it changes, and
//! the keys of rows written before the column existed.

use super::{Db, DbResult, ok};
use crate::{on_db, on_tx};
use icu_collator::{CollatorBorrowed, CollatorPreferences, options::CollatorOptions};
use std::sync::LazyLock;

/// The collator the stored keys were made with. A test holds it to `Cargo.lock`, so upgrading
/// icu_collator changes it and the next start recomputes the keys.
pub const COLLATOR: &str = "icu_collator 2.4.0 zh";

static ZH: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    let locale = icu_locale_core::Locale::try_from_str("zh").ok()?;
    CollatorBorrowed::try_new(
        CollatorPreferences::from(&locale),
        CollatorOptions::default(),
    )
    .ok()
});

/// The sort key of a name: bytes that compare as the names do in Chinese order. (The data is
/// compiled in, so the collator always exists; were it ever missing, the name's own bytes keep
/// every list in a stable order.)
pub fn name_key(name: &str) -> Vec<u8> {
    match ZH.as_ref() {
        Some(collator) => {
            let mut key = Vec::with_capacity(name.len() * 4);
            let Ok(()) = collator.write_sort_key_to(name, &mut key);
            key
        }
        None => name.as_bytes().to_vec(),
    }
}

/// How many names one statement rewrites while refreshing.
const REFRESH_CHUNK: i64 = 2_000;

/// Makes every stored key current: all of them when the collator changed since they were
/// written, otherwise those still missing (rows from before migration 0019). Returns how many
/// names were keyed. Idempotent; safe when several instances start at once.
pub async fn refresh(db: &Db) -> DbResult<u64> {
    // Every command migrates: when the keys are current (nearly always), a read says so and
    // no write transaction is taken.
    let (stored, missing): (Option<String>, bool) = on_db!(db, c => ok(sqlx::query_as(
        "SELECT (SELECT version FROM derived_versions WHERE name = 'people.name_sort'),
                EXISTS (SELECT 1 FROM people WHERE name_sort IS NULL)",
    ).fetch_one(c).await))?;
    if stored.as_deref() == Some(COLLATOR) && !missing {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    let stored: Option<String> = on_tx!(tx, c => ok(sqlx::query_scalar(
        "SELECT version FROM derived_versions WHERE name = 'people.name_sort'",
    ).fetch_optional(c).await))?;
    if stored.as_deref() != Some(COLLATOR) {
        on_tx!(tx, c => ok(sqlx::query("UPDATE people SET name_sort = NULL")
            .execute(c).await.map(|_| ())))?;
        on_tx!(tx, c => ok(sqlx::query(
            "INSERT INTO derived_versions (name, version) VALUES ('people.name_sort', $1)
             ON CONFLICT (name) DO UPDATE SET version = excluded.version",
        ).bind(COLLATOR).execute(c).await.map(|_| ())))?;
    }
    let mut keyed = 0u64;
    loop {
        let names: Vec<(i64, String)> = on_tx!(tx, c => ok(sqlx::query_as(
            "SELECT id, name FROM people WHERE name_sort IS NULL ORDER BY id LIMIT $1",
        ).bind(REFRESH_CHUNK).fetch_all(c).await))?;
        if names.is_empty() {
            break;
        }
        for (id, name) in &names {
            on_tx!(tx, c => ok(sqlx::query("UPDATE people SET name_sort = $2 WHERE id = $1")
                .bind(id).bind(name_key(name)).execute(c).await.map(|_| ())))?;
        }
        keyed += names.len() as u64;
    }
    tx.commit().await?;
    Ok(keyed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = names.to_vec();
        v.sort_by_key(|n| name_key(n));
        v.into_iter().map(String::from).collect()
    }

    #[test]
    fn chinese_names_sort_by_pinyin_not_by_code_point() {
        // Code-point order would be 万 (U+4E07), 冯 (U+51AF), 向 (U+5411), 曹, 白, 陈 ...
        let names = ["万军艳", "冯健然", "向颖婷", "陈娜静", "曹博", "白俊"];
        assert_eq!(
            sorted(&names),
            ["白俊", "曹博", "陈娜静", "冯健然", "万军艳", "向颖婷"]
        );
    }

    #[test]
    fn a_name_sorts_before_a_longer_name_it_begins() {
        assert_eq!(sorted(&["王小明", "王小", "王"]), ["王", "王小", "王小明"]);
    }

    #[test]
    fn latin_names_sort_among_themselves_ignoring_case_first() {
        assert_eq!(
            sorted(&["bob", "Alice", "alice"]),
            ["alice", "Alice", "bob"]
        );
    }

    #[test]
    fn the_named_collator_is_the_one_in_cargo_lock() {
        let lock = include_str!("../../Cargo.lock");
        let version = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"icu_collator\"\n"))
            .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
            .map(|v| v.trim_end_matches('"'))
            .expect("icu_collator in Cargo.lock");
        assert_eq!(COLLATOR, format!("icu_collator {version} zh"));
    }
}
