//! The database half: all-or-nothing, idempotent, diffs and confirmation, re-validation.

use super::*;
use ladder::i18n::Lang;
use ladder::import::roster::codes::{Code, Detail};
use ladder::import::roster::fields::Field;

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

/// A roster as CSV: the header and these rows.
pub(super) fn roster_csv(rows: &[Vec<V>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).unwrap();
    for row in rows {
        let cells: Vec<String> = row.iter().map(csv_text).collect();
        w.write_record(&cells).unwrap();
    }
    w.into_inner().unwrap()
}

/// Issue 20: a base changes only what it owns. Someone already on another base's roster (or
/// with their own account) joins this base's cohort with this base's hours, but keeps their
/// name, phone and employer, and the preview says what the file would have changed, masked.
/// Someone only this base knows is updated as before.
async fn a_base_changes_only_the_people_it_owns(db: Db) {
    let base_a = base_and_cohort(&db).await;
    let settings = ImportSettings::default();
    let choice = CommitChoice {
        valid_only: true,
        confirm: true,
    };
    let (wang, zhao) = (id("310101", 1985, 3, 4, 22), id("310104", 1990, 7, 8, 33));
    let row = |no, name, male, id: &IdNumber, phone: &str, cohort| {
        person(no, name, male, s(id.as_str()), s(phone), cohort)
    };
    let import = |base: i64, rows: Vec<Vec<V>>| {
        let db = db.clone();
        async move {
            let f = file(base, "名单.csv", roster_csv(&rows));
            let a = imports::analyse(&db, &f, &settings).await.unwrap();
            commit(&db, &f, &a.plan.digest, choice).await.unwrap();
            a
        }
    };
    let stored = |ids: Vec<String>| {
        let db = db.clone();
        async move {
            let mut tx = db.begin_write().await.unwrap();
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            let s = ladder::db::imports::stored_for(&mut tx, &refs)
                .await
                .unwrap();
            tx.rollback().await.unwrap();
            s
        }
    };
    import(
        base_a,
        vec![
            row(1, "王芳", false, &wang, "13812340001", COHORT),
            row(2, "赵磊", true, &zhao, "13812340002", COHORT),
        ],
    )
    .await;

    // Another base, another cohort; its roster has 王芳 under another name, phone, employer.
    let base_b = base_with_cohort(&db, "B-BASE", "2024-B-JR-01").await;
    let mut theirs = row(1, "王小芳", false, &wang, "13900000002", "2024-B-JR-01");
    theirs[4] = s("某某科技有限公司");
    theirs[10] = V::N(40.0);
    let b = import(base_b, vec![theirs]).await;
    let planned = &b.plan.rows[0];
    assert_eq!(planned.outcome, Outcome::Update, "{planned:?}");
    // The membership's fields are the changes; no identity field is among them.
    let fields: Vec<Field> = planned.changes.iter().map(|c| c.field).collect();
    assert!(fields.contains(&Field::Cohort), "{fields:?}");
    for identity in [
        Field::Name,
        Field::Gender,
        Field::Mobile,
        Field::Email,
        Field::Employer,
    ] {
        assert!(!fields.contains(&identity), "{fields:?}");
    }
    let warning = planned
        .warnings
        .iter()
        .find(|w| w.code == Code::KnownElsewhere)
        .expect("known elsewhere");
    let Detail::KeptAsIs { differences, .. } = &warning.detail else {
        panic!("{warning:?}")
    };
    let shown: Vec<(Field, &str, &str)> = differences
        .iter()
        .map(|k| (k.field, k.stored.as_str(), k.file.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            (Field::Name, "王*", "王**"),
            (Field::Mobile, "138****0001", "139****0002"),
            (
                Field::Employer,
                "上海理工大学技术转移中心",
                "某某科技有限公司"
            ),
        ]
    );
    assert!(!warning.message(Lang::Zh).contains("13900000002"));
    assert!(warning.message(Lang::En).contains("kept as it is"));
    // Committed: the membership with base B's hours, the identity untouched.
    let after = stored(vec![wang.as_str().to_string()]).await;
    let p = &after.people[wang.as_str()];
    assert_eq!(
        (p.name.as_str(), p.phone.as_deref(), p.employer.as_deref()),
        (
            "王芳",
            Some("13812340001"),
            Some("上海理工大学技术转移中心")
        )
    );
    let b_cohort = bases::cohort_by_code(&db, "2024-B-JR-01")
        .await
        .unwrap()
        .unwrap();
    let membership = &after.members[&(b_cohort.id, wang.as_str().to_string())];
    assert_eq!(membership.hours_theory, Some(4000));
    assert_eq!(p.bases.len(), 2);

    // 赵磊 is base A's alone: A corrects his phone.
    import(
        base_a,
        vec![row(2, "赵磊", true, &zhao, "13812349999", COHORT)],
    )
    .await;
    let now_zhao = stored(vec![zhao.as_str().to_string()]).await;
    assert_eq!(
        now_zhao.people[zhao.as_str()].phone.as_deref(),
        Some("13812349999")
    );
    // Once he has his own account, he answers for it: A's file no longer changes it.
    let user = crate::common::user_with(&db, "zhao.lei", "password-1", &[]).await;
    let person = now_zhao.people[zhao.as_str()].id.unwrap();
    ladder::on_db!(&db, c => sqlx::query("UPDATE users SET person_id = $1 WHERE id = $2")
        .bind(person).bind(user).execute(c).await.map(|_| ()))
    .unwrap();
    let c = import(
        base_a,
        vec![row(2, "赵磊", true, &zhao, "13700000000", COHORT)],
    )
    .await;
    assert_eq!(c.plan.rows[0].outcome, Outcome::Unchanged);
    assert_eq!(c.plan.rows[0].warnings[0].code, Code::KnownElsewhere);
    let last = stored(vec![zhao.as_str().to_string()]).await;
    assert_eq!(
        last.people[zhao.as_str()].phone.as_deref(),
        Some("13812349999")
    );
}

/// Every problem of a row at once: an invalid ID number, no phone for someone new and an
/// unknown cohort are three issues of one row in one preview (the phone and the cohort showed
/// up only after the ID was fixed); a known person's row with a bad e-mail needs no phone.
async fn a_row_reports_every_problem_at_once(db: Db) {
    let base = base_and_cohort(&db).await;
    let settings = ImportSettings::default();
    let known = id("310101", 1985, 3, 4, 22);
    let f = file(
        base,
        "名单.csv",
        roster_csv(&[person(
            1,
            "王芳",
            false,
            s(known.as_str()),
            s("13812340001"),
            COHORT,
        )]),
    );
    let a = imports::analyse(&db, &f, &settings).await.unwrap();
    let choice = CommitChoice {
        valid_only: true,
        confirm: true,
    };
    commit(&db, &f, &a.plan.digest, choice).await.unwrap();

    // A real ID number with its check character changed.
    let valid = id("310104", 1990, 7, 8, 33).as_str().to_string();
    let flipped = if valid.ends_with('0') { '1' } else { '0' };
    let wrong = format!("{}{flipped}", &valid[..17]);
    let bad = person(1, "李雷", true, s(&wrong), V::Empty, "2099-NO-SUCH");
    let mut known_row = person(2, "王芳", false, s(known.as_str()), V::Empty, COHORT);
    known_row[7] = s("not-an-email");
    let f = file(base, "名单.csv", roster_csv(&[bad, known_row]));
    let a = imports::analyse(&db, &f, &settings).await.unwrap();
    let codes = |row: usize| -> Vec<(Option<Field>, &'static str)> {
        let mut v: Vec<_> = a.plan.rows[row]
            .issues
            .iter()
            .map(|i| (i.field, i.code.as_str()))
            .collect();
        v.sort();
        v
    };
    let mut want = vec![
        (Some(Field::IdNumber), "id_checksum"),
        (Some(Field::Mobile), "missing_required"),
        (Some(Field::Cohort), "unknown_cohort"),
    ];
    want.sort();
    assert_eq!(codes(0), want);
    assert_eq!(codes(1), [(Some(Field::Email), "bad_email")]);
}

crate::on_both_engines!(
    a_row_reports_every_problem_at_once,
    a_base_changes_only_the_people_it_owns,
    quirks_import_all_or_nothing_then_idempotent,
    updates_show_their_diff_and_large_ones_need_confirming,
    a_commit_refuses_when_the_data_changed_since_the_preview,
);
