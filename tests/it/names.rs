//! People are listed in Chinese (pinyin) order on both engines, paged identically: the sort key
//! is computed in Rust and stored (migration 0019), kept when names change, and filled in or
//! recomputed after migrating when it is missing or was made by another collator.

use crate::on_both_engines;
use ladder::db::Db;
use ladder::db::bases;
use ladder::db::overview::{self, Order};

on_both_engines!(
    cohorts_list_and_page_by_pinyin,
    keys_missing_or_from_another_collator_are_made_after_migrating
);

/// The names in the order a roster brings them (code points: 万 冯 向 曹 白 陈).
const NAMES: [&str; 7] = [
    "万军艳",
    "冯健然",
    "向颖婷",
    "曹博",
    "白俊",
    "陈娜静",
    "白俊",
];
const PINYIN: [&str; 7] = [
    "白俊",
    "白俊",
    "曹博",
    "陈娜静",
    "冯健然",
    "万军艳",
    "向颖婷",
];

/// A cohort holding [`NAMES`]; the people's ids in that order.
async fn cohort(db: &Db) -> (i64, Vec<i64>) {
    crate::imports::base_with_cohort(db, "B-N", "K-N").await;
    let cohort = bases::cohort_by_code(db, "K-N").await.unwrap().unwrap().id;
    let mut ids = Vec::new();
    for name in NAMES {
        ids.push(crate::common::person(db, name, None).await);
    }
    let mut tx = db.begin_write().await.unwrap();
    for id in &ids {
        bases::add_member(&mut tx, cohort, *id).await.unwrap();
    }
    tx.commit().await.unwrap();
    (cohort, ids)
}

/// Every member, two to a page, by name.
async fn paged(db: &Db, cohort: i64) -> Vec<(String, i64)> {
    let mut all = Vec::new();
    for page in 0..4 {
        let rows = overview::members(db, cohort, Order::Name, Some(2), page * 2)
            .await
            .unwrap();
        all.extend(rows.into_iter().map(|r| (r.name, r.person_id)));
    }
    all
}

async fn paged_names(db: &Db, cohort: i64) -> Vec<String> {
    paged(db, cohort)
        .await
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

async fn cohorts_list_and_page_by_pinyin(db: Db) {
    let (cohort, ids) = cohort(&db).await;
    let listed = paged(&db, cohort).await;
    let names: Vec<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, PINYIN);
    // The two 白俊 in the order they were added: the id breaks the tie, on every page.
    assert_eq!((listed[0].1, listed[1].1), (ids[4], ids[6]));
    let roster: Vec<String> = overview::roster(&db, cohort)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(roster, PINYIN);
}

async fn keys_missing_or_from_another_collator_are_made_after_migrating(db: Db) {
    let (cohort, _) = cohort(&db).await;
    // As a database from before migration 0019 holds them: no keys, no collator named.
    sqlx_exec(&db, "UPDATE people SET name_sort = NULL").await;
    sqlx_exec(&db, "DELETE FROM derived_versions").await;
    db.migrate().await.unwrap();
    assert_eq!(paged_names(&db, cohort).await, PINYIN);
    // Keys made by another collator (here: all alike, so only the ids would order) are all
    // made again.
    sqlx_exec(
        &db,
        "UPDATE derived_versions SET version = 'icu_collator 1.0 zh'",
    )
    .await;
    let same = "UPDATE people SET name_sort = $1";
    match db.pool() {
        ladder::db::Pool::Sqlite(p) => sqlx::query(same)
            .bind(vec![1u8])
            .execute(p)
            .await
            .map(|_| ()),
        ladder::db::Pool::Postgres(p) => sqlx::query(same)
            .bind(vec![1u8])
            .execute(p)
            .await
            .map(|_| ()),
    }
    .unwrap();
    db.migrate().await.unwrap();
    assert_eq!(paged_names(&db, cohort).await, PINYIN);
}

async fn sqlx_exec(db: &Db, sql: &'static str) {
    match db.pool() {
        ladder::db::Pool::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        ladder::db::Pool::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .unwrap();
}
