//! The database half: all-or-nothing, idempotent, diffs and confirmation, re-validation.

use super::*;

async fn quirks_import_all_or_nothing_then_idempotent(db: Db) {
    let base = base_and_cohort(&db).await;
    let settings = ImportSettings::default();
    let f = file(base, "名单.xlsx", quirky_xlsx());
    let a = imports::analyse(&db, &f, &settings).await.unwrap();
    let (_, errors, skip) = quirk_rows();
    assert_eq!(a.parsed.sheet, "学员名单");
    assert_eq!(a.parsed.header_row, 2);
    assert_eq!(code_map(&a), errors);
    assert_eq!(skipped(&a), skip);
    assert_eq!(a.plan.counts.new, 5);
    // Errors present and no choice made: nothing is written.
    let err = commit(&db, &f, &a.plan.digest, CommitChoice::default())
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::HasErrors(10)), "{err:?}");
    assert_eq!(members(&db).await, 0);
    // The valid rows only.
    let choice = CommitChoice {
        valid_only: true,
        confirm: false,
    };
    let done = commit(&db, &f, &a.plan.digest, choice).await.unwrap();
    assert_eq!(done.plan.counts.new, 5);
    assert_eq!(members(&db).await, 5);
    // Normalised values were stored: the lower-case x, the full-width digits, the spaces.
    let mut tx = db.begin_write().await.unwrap();
    let x = id_with_x().as_str().to_string();
    let fw = id("440305", 1978, 8, 2, 5).as_str().to_string();
    let stored = ladder::db::imports::stored_for(&mut tx, &[x.as_str(), fw.as_str()])
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(stored.people.len(), 2);
    assert_eq!(stored.people[&x].phone.as_deref(), Some("13812345678"));
    assert_eq!(stored.people[&fw].phone.as_deref(), Some("13912345678"));
    // The same file again: everything unchanged, nothing written.
    let again = imports::analyse(&db, &f, &settings).await.unwrap();
    assert_eq!(again.plan.counts.unchanged, 5);
    assert_eq!(again.plan.counts.new + again.plan.counts.updated, 0);
    assert!(again.plan.writes.people.is_empty() && again.plan.writes.members.is_empty());
    commit(&db, &f, &again.plan.digest, choice).await.unwrap();
    assert_eq!(members(&db).await, 5);
    let audit = audit_of(&db, "import.roster.commit").await;
    assert_eq!(audit.len(), 2);
    assert!(audit[1].contains("new=5"));
    assert!(audit[0].contains("unchanged=5"));
}

async fn updates_show_their_diff_and_large_ones_need_confirming(db: Db) {
    let base = base_and_cohort(&db).await;
    let settings = ImportSettings::default();
    let choice = CommitChoice {
        valid_only: true,
        confirm: false,
    };
    let f = file(base, "名单.xlsx", quirky_xlsx());
    let a = imports::analyse(&db, &f, &settings).await.unwrap();
    commit(&db, &f, &a.plan.digest, choice).await.unwrap();
    // Two of the five change their phone: 40% of the cohort, over the 20% default.
    let csv = quirky_csv()
        .replace("13030769801", "13030769809")
        .replace("13812345678", "13812345670");
    let f2 = file(base, "名单.csv", csv.into_bytes());
    let b = imports::analyse(&db, &f2, &settings).await.unwrap();
    assert_eq!(b.plan.counts.updated, 2, "{:?}", b.plan.counts);
    let update = b
        .plan
        .rows
        .iter()
        .find(|r| r.outcome == Outcome::Update)
        .unwrap();
    assert_eq!(update.changes.len(), 1);
    assert_eq!(update.changes[0].before, "130****9801");
    assert_eq!(update.changes[0].after, "130****9809");
    assert_eq!(b.plan.over_share.len(), 1);
    let err = commit(&db, &f2, &b.plan.digest, choice).await.unwrap_err();
    assert!(matches!(err, ImportError::NeedsConfirmation(_)));
    let confirmed = CommitChoice {
        valid_only: true,
        confirm: true,
    };
    commit(&db, &f2, &b.plan.digest, confirmed).await.unwrap();
    let c = imports::analyse(&db, &f2, &settings).await.unwrap();
    assert_eq!(c.plan.counts.unchanged, 5);
}

async fn a_commit_refuses_when_the_data_changed_since_the_preview(db: Db) {
    let base = base_and_cohort(&db).await;
    let settings = ImportSettings::default();
    let now = clock::now();
    let f = file(base, "名单.xlsx", quirky_xlsx());
    let a = imports::analyse(&db, &f, &settings).await.unwrap();
    let kept = imports::keep_preview(&db, &actor(), &f, &a, now)
        .await
        .unwrap();
    // Meanwhile someone else imports a file holding the first person under another phone.
    let csv = quirky_csv().replace("13030769801", "13030769809");
    let other = file(base, "另一个.csv", csv.into_bytes());
    let o = imports::analyse(&db, &other, &settings).await.unwrap();
    let choice = CommitChoice {
        valid_only: true,
        confirm: true,
    };
    commit(&db, &other, &o.plan.digest, choice).await.unwrap();
    let before = members(&db).await;
    let row = ladder::db::imports::import_by_id(&db, kept)
        .await
        .unwrap()
        .unwrap();
    let err = imports::commit_kept(&db, &actor(), &row, choice, &settings, now)
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::Changed), "{err:?}");
    assert_eq!(members(&db).await, before);
    let row = ladder::db::imports::import_by_id(&db, kept)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.state, "previewed");
}

crate::on_both_engines!(
    quirks_import_all_or_nothing_then_idempotent,
    updates_show_their_diff_and_large_ones_need_confirming,
    a_commit_refuses_when_the_data_changed_since_the_preview,
);
