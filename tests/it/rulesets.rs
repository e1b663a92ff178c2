//! Stored ruleset versions on both engines: drafts may be replaced, an activated or referenced
//! version never changes (the service refuses and the triggers hold against raw SQL), and
//! activating a new version retires the old one.

use crate::common::actor;
use crate::on_both_engines;
use ladder::db::Db;
use ladder::on_db;
use ladder::server::clock;
use ladder::server::rulesets::{self, Imported, RulesetStoreError};

const DEFAULT: &str = include_str!("../../rulesets/shanghai-default.toml");

fn edited(from: &str, to: &str) -> String {
    assert!(DEFAULT.contains(from));
    DEFAULT.replacen(from, to, 1)
}

async fn status(db: &Db, version: i32) -> (String, bool) {
    on_db!(db, c => sqlx::query_as::<_, (String, bool)>(
        "SELECT status, locked_at IS NOT NULL FROM rulesets WHERE code = 'shanghai-default' AND version = $1",
    ).bind(version).fetch_one(c).await).expect("row")
}

async fn sql(db: &Db, statement: &str) -> Result<u64, sqlx::Error> {
    on_db!(db, c => sqlx::query(sqlx::AssertSqlSafe(statement.to_string())).execute(c).await.map(|r| r.rows_affected()))
}

async fn versions_are_immutable_once_active(db: Db) {
    let (a, now) = (actor(), clock::now());
    let (r, outcome) = rulesets::import(&db, &a, DEFAULT, now)
        .await
        .expect("import");
    assert_eq!((r.id.as_str(), r.version), ("shanghai-default", 2));
    let Imported::Created { id } = outcome else {
        panic!("a new version: {outcome:?}")
    };
    let again = rulesets::import(&db, &a, DEFAULT, now)
        .await
        .expect("re-import");
    assert_eq!(again.1, Imported::Unchanged { id });
    // A draft may be replaced by a corrected file of the same version.
    let corrected = edited("dispute_penalty = 50", "dispute_penalty = 40");
    let replaced = rulesets::import(&db, &a, &corrected, now)
        .await
        .expect("replace draft");
    assert_eq!(replaced.1, Imported::Replaced { id });
    assert_eq!(status(&db, 2).await, ("draft".into(), false));
    assert!(
        rulesets::active(&db, "shanghai-default")
            .await
            .unwrap()
            .is_none()
    );

    // A bad file is refused with its problems and writes nothing.
    let bad = edited("training = 15 ", "training = 10 ");
    let err = rulesets::import(&db, &a, &bad, now)
        .await
        .expect_err("invalid");
    assert!(
        err.to_string().contains("weights: the parts sum to 95"),
        "{err}"
    );

    rulesets::activate(&db, &a, "shanghai-default", 2, now)
        .await
        .expect("activate");
    assert_eq!(status(&db, 2).await, ("active".into(), true));
    let active = rulesets::active(&db, "shanghai-default")
        .await
        .unwrap()
        .expect("active");
    assert_eq!(active.dispute_penalty, 40);

    // Once active, the same version cannot change, through the service or by hand.
    let err = rulesets::import(&db, &a, DEFAULT, now)
        .await
        .expect_err("locked");
    assert!(
        matches!(err, RulesetStoreError::Locked { version: 2, .. }),
        "{err}"
    );
    assert!(
        sql(&db, "UPDATE rulesets SET source = 'x' WHERE version = 2")
            .await
            .is_err()
    );
    assert!(
        sql(
            &db,
            "UPDATE rulesets SET status = 'draft' WHERE version = 2"
        )
        .await
        .is_err()
    );
    assert!(
        sql(
            &db,
            "UPDATE rulesets SET locked_at = NULL WHERE version = 2"
        )
        .await
        .is_err()
    );
    assert!(
        sql(&db, "DELETE FROM rulesets WHERE version = 2")
            .await
            .is_err()
    );
    assert!(
        sql(&db, "UPDATE rulesets SET id = 99 WHERE version = 2")
            .await
            .is_err()
    );
    let sneak = match db.pool() {
        ladder::db::Pool::Sqlite(_) => {
            "INSERT OR REPLACE INTO rulesets (code, version, jurisdiction, name, source, sha256, imported_at)
             VALUES ('shanghai-default', 2, 'x', 'x', 'x', 'x', '2026-01-01T00:00:00Z')"
        }
        ladder::db::Pool::Postgres(_) => "TRUNCATE rulesets",
    };
    assert!(sql(&db, sneak).await.is_err(), "{sneak}");
    // A hand-activated version must be locked.
    let hand_activated = "INSERT INTO rulesets (code, version, jurisdiction, name, source, sha256, imported_at, status)
         VALUES ('other', 1, 'x', 'x', 'x', 'x', '2026-01-01T00:00:00Z', 'active')";
    assert!(sql(&db, hand_activated).await.is_err());

    // A change is a new version; activating it retires the old one, which stays locked.
    let v3 = edited("version = 2", "version = 3");
    rulesets::import(&db, &a, &v3, now).await.expect("v3");
    assert!(matches!(
        rulesets::activate(&db, &a, "shanghai-default", 4, now).await,
        Err(RulesetStoreError::NotFound { version: 4, .. })
    ));
    rulesets::activate(&db, &a, "shanghai-default", 3, now)
        .await
        .expect("activate v3");
    assert_eq!(status(&db, 2).await, ("retired".into(), true));
    assert_eq!(status(&db, 3).await, ("active".into(), true));
    assert_eq!(
        rulesets::active(&db, "shanghai-default")
            .await
            .unwrap()
            .expect("v3")
            .version,
        3
    );
    // The key's first use, then import, replace, activate v2, import v3, activate v3; each
    // activation signs a checkpoint over the chain.
    let report = crate::common::audit_report(&db).await;
    assert_eq!(report.problems, vec![]);
    assert_eq!(report.chain.rows, 6);
    let reasons: Vec<String> = ladder::db::trust::checkpoints(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.reason)
        .collect();
    assert_eq!(reasons, ["anchor", "ruleset", "ruleset"]);
}

async fn a_referenced_draft_is_locked_too(db: Db) {
    let (a, now) = (actor(), clock::now());
    let Imported::Created { id } = rulesets::import(&db, &a, DEFAULT, now).await.unwrap().1 else {
        panic!("created")
    };
    let mut tx = db.begin_write().await.unwrap();
    ladder::db::rulesets::lock(&mut tx, id, now).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status(&db, 2).await, ("draft".into(), true));
    let corrected = edited("dispute_penalty = 50", "dispute_penalty = 40");
    assert!(matches!(
        rulesets::import(&db, &a, &corrected, now).await,
        Err(RulesetStoreError::Locked { .. })
    ));
    assert!(sql(&db, "DELETE FROM rulesets").await.is_err());
}

on_both_engines!(
    versions_are_immutable_once_active,
    a_referenced_draft_is_locked_too
);
