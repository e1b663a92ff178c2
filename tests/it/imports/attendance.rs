//! Attendance files: rows matched to the cohort's roster, the base's catalog and timetable;
//! the same dry run, all-or-nothing commit and idempotency as rosters; the result is training
//! records verified by the base.

use super::*;
use ladder::db::records as record_store;
use ladder::import::roster::Kind;
use ladder::server::catalog::{self, CourseInput, SessionInput};

pub const ATTENDANCE_HEADER: [&str; 9] = [
    "序号",
    "姓名",
    "身份证号码",
    "课程编号",
    "课程名称",
    "上课日期",
    "模块",
    "学时",
    "出勤",
];

/// A sheet with a title row, the header on row 2 and `rows` from row 3.
pub fn sheet_xlsx(header: &[&str], rows: &[Vec<V>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("考勤").unwrap();
    ws.write_string(0, 0, "2024年初级班考勤与学时登记表")
        .unwrap();
    write_table(ws, header, rows);
    book.save_to_buffer().unwrap()
}

/// The cohort's four people.
fn people() -> [(&'static str, IdNumber); 4] {
    [
        ("张伟", id("310104", 1986, 5, 12, 31)),
        ("李娜", id("310115", 1990, 2, 3, 42)),
        ("王强", id("320506", 1979, 11, 20, 17)),
        ("赵敏", id("330106", 1988, 7, 9, 26)),
    ]
}

/// The base, its cohort with the four people on the roster, two catalog courses and the
/// practicum course in the cohort's timetable (once, on 2024-10-12).
pub async fn cohort_with_catalog(db: &Db) -> i64 {
    let base = base_and_cohort(db).await;
    let (a, now) = (actor(), clock::now());
    let rows: Vec<Vec<V>> = people()
        .iter()
        .enumerate()
        .map(|(i, (name, id))| {
            vec![
                V::N(i as f64 + 1.0),
                s(name),
                s(if id.is_male() { "男" } else { "女" }),
                V::S(id.as_str().to_string()),
                s("13800000000"),
                s(COHORT),
            ]
        })
        .collect();
    let roster = sheet_xlsx(
        &["序号", "姓名", "性别", "身份证号", "手机", "培训班次"],
        &rows,
    );
    let f = file(base, "名单.xlsx", roster);
    let a0 = imports::analyse(db, &f, &ImportSettings::default())
        .await
        .unwrap();
    assert_eq!(a0.plan.counts.new, 4, "{:?}", a0.plan.rows);
    commit(db, &f, &a0.plan.digest, CommitChoice::default())
        .await
        .unwrap();
    for (code, title, module, hours, kind) in [
        (
            "JR-PL-01",
            "技术合同与知识产权基础",
            "policy_law",
            "8",
            "theory",
        ),
        (
            "JR-PS-02",
            "技术交易实训",
            "practice_skills",
            "16",
            "practicum",
        ),
    ] {
        let input = CourseInput {
            base_code: "T-BASE".into(),
            code: code.into(),
            title: title.into(),
            module: module.into(),
            level: "junior".into(),
            hours: hours.into(),
            kind: kind.into(),
            instructor: "周婷".into(),
        };
        catalog::add_course(db, &a, &input, |_| true, now)
            .await
            .unwrap();
    }
    let session = SessionInput {
        cohort_code: COHORT.into(),
        course_code: "JR-PS-02".into(),
        held_on: "2024-10-12".into(),
        location: "徐汇".into(),
    };
    catalog::schedule_session(db, &a, &session, |_| true, now)
        .await
        .unwrap();
    base
}

fn row(
    (name, id): (&str, &IdNumber),
    course: &str,
    title: &str,
    date: V,
    module: &str,
    hours: V,
    present: &str,
) -> Vec<V> {
    vec![
        V::Empty,
        s(name),
        V::S(id.as_str().to_string()),
        s(course),
        s(title),
        date,
        s(module),
        hours,
        s(present),
    ]
}

/// Every twist of an attendance sheet, with the expected outcome by Excel row.
/// The rows, then the Excel rows that are new, in error (with the code) and skipped.
pub type Expected = (Vec<Vec<V>>, Vec<u32>, BTreeMap<u32, &'static str>, Vec<u32>);

pub fn attendance_rows() -> Expected {
    let [(p1, i1), (p2, i2), (p3, i3), (p4, i4)] = people();
    let outsider = id("310101", 1980, 1, 1, 55);
    let e = || V::Empty;
    let rows = vec![
        // 3: a catalog course with its date.
        row((p1, &i1), "JR-PL-01", "", s("2024/10/10"), "", e(), "√"),
        // 4: the practicum course, dated by the timetable.
        row((p1, &i1), "JR-PS-02", "", e(), "", e(), "是"),
        // 5: a full-width, lower-case code, an Excel date serial, part of the hours.
        row(
            (p2, &i2),
            "ｊｒ-pl-01",
            "",
            V::N(45575.0),
            "",
            s("4学时"),
            "",
        ),
        // 6: more hours than the course has.
        row(
            (p3, &i3),
            "JR-PL-01",
            "",
            s("2024-10-10"),
            "",
            V::N(12.0),
            "",
        ),
        // 7: training that is not a catalog course.
        row(
            (p3, &i3),
            "",
            "政策解读讲座",
            s("2024-10-15"),
            "政策法规模块",
            s("3学时"),
            "√",
        ),
        // 8: absent.
        row((p4, &i4), "JR-PL-01", "", s("2024-10-10"), "", e(), "请假"),
        // 9: row 3 again.
        row((p1, &i1), "JR-PL-01", "", s("2024-10-10"), "", e(), "√"),
        // 10: not on the roster.
        row(
            ("钱多", &outsider),
            "JR-PL-01",
            "",
            s("2024-10-10"),
            "",
            e(),
            "",
        ),
        // 11: the ID of someone else.
        row(("王五", &i2), "JR-PS-02", "", e(), "", e(), ""),
        // 12: no such course.
        row((p2, &i2), "XX-99", "", s("2024-10-10"), "", e(), ""),
        // 13: no course, and neither module nor hours.
        row((p4, &i4), "", "自学", s("2024-10-15"), "", e(), ""),
        // 14: a day still to come.
        row((p4, &i4), "JR-PS-02", "", s("2099-01-01"), "", e(), ""),
        // 15: an attendance mark nobody can read.
        row((p4, &i4), "JR-PL-01", "", s("2024-10-10"), "", e(), "半天"),
        // 16: totals.
        vec![
            V::Empty,
            s("合计"),
            e(),
            e(),
            e(),
            e(),
            e(),
            V::N(43.0),
            e(),
        ],
    ];
    let new = vec![3, 4, 5, 7];
    let errors = BTreeMap::from([
        (6, "bad_hours"),
        (9, "duplicate_in_file"),
        (10, "not_in_cohort"),
        (11, "name_mismatch"),
        (12, "unknown_course"),
        (13, "missing_required"),
        (14, "bad_date"),
        (15, "bad_attendance"),
    ]);
    (rows, new, errors, vec![8, 16])
}

fn attendance_file(base: i64, bytes: Vec<u8>) -> ImportFile {
    ImportFile {
        kind: Kind::Attendance,
        cohort: Some(COHORT.into()),
        ..file(base, "考勤.xlsx", bytes)
    }
}

fn new_rows(a: &imports::Analysed) -> Vec<u32> {
    a.plan
        .rows
        .iter()
        .filter(|r| r.outcome == Outcome::New)
        .map(|r| r.row)
        .collect()
}

/// (course code or title, hours in hundredths, status, has a session) of a person's training.
async fn training_of(db: &Db, number: &IdNumber) -> Vec<(String, i64, String, bool)> {
    let mut tx = db.begin_write().await.unwrap();
    let person = ladder::db::people::person_by_id_number(&mut tx, number.as_str())
        .await
        .unwrap()
        .unwrap()
        .id;
    tx.rollback().await.unwrap();
    let mut out: Vec<(String, i64, String, bool)> = record_store::of_person(db, person)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.kind == "training")
        .map(|r| {
            let entry: ladder::domain::records::Entry = serde_json::from_str(&r.payload).unwrap();
            let ladder::domain::records::Entry::Training(t) = entry else {
                panic!("not training")
            };
            (
                t.course_code.unwrap_or(t.title),
                t.hours.0,
                r.status,
                r.session_id.is_some(),
            )
        })
        .collect();
    out.sort();
    out
}

async fn person_id(db: &Db, number: &IdNumber) -> i64 {
    let mut tx = db.begin_write().await.unwrap();
    let p = ladder::db::people::person_by_id_number(&mut tx, number.as_str())
        .await
        .unwrap()
        .unwrap();
    tx.rollback().await.unwrap();
    p.id
}

/// A trainee logs a catalog course of their own (unverified until the base decides).
async fn logs_course(db: &Db, number: &IdNumber, course: &str, date: &str) {
    use ladder::server::record_input::{Input, TrainingInput};
    let input = Input::Training(TrainingInput {
        course_code: course.into(),
        cohort_code: COHORT.into(),
        date: date.into(),
        ..TrainingInput::default()
    });
    let person = person_id(db, number).await;
    ladder::server::records::add(db, &actor(), person, &input, clock::now())
        .await
        .unwrap();
}

async fn attendance_is_checked_committed_verified_and_idempotent(db: Db) {
    let base = cohort_with_catalog(&db).await;
    let settings = ImportSettings::default();
    let [(_, i1), (_, i2), (_, i3), (_, i4)] = people();
    // Their own records: the practicum as the file has it (row 4: verified by the import);
    // the course the file gives 4 hours of (row 5: left to the verification queue).
    logs_course(&db, &i1, "JR-PS-02", "2024-10-12").await;
    logs_course(&db, &i2, "JR-PL-01", "2024-10-10").await;
    let (rows, _, errors, skip) = attendance_rows();
    let f = attendance_file(base, sheet_xlsx(&ATTENDANCE_HEADER, &rows));
    let a = imports::analyse(&db, &f, &settings).await.unwrap();
    assert_eq!(a.parsed.header_row, 2);
    assert_eq!(new_rows(&a), vec![3, 7]);
    let outcome = |row: u32| a.plan.rows.iter().find(|r| r.row == row).unwrap();
    assert_eq!(outcome(4).outcome, Outcome::Update);
    assert_eq!(outcome(5).outcome, Outcome::Unchanged);
    assert_eq!(outcome(5).warnings[0].code.as_str(), "record_differs");
    assert_eq!(code_map(&a), errors);
    assert_eq!(skipped(&a), skip);
    let absent = a.plan.rows.iter().find(|r| r.row == 8).unwrap();
    assert_eq!(absent.who, "赵敏", "the preview names who was absent");
    // Errors present and no choice made: nothing is written.
    let err = commit(&db, &f, &a.plan.digest, CommitChoice::default())
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::HasErrors(8)), "{err:?}");
    let unverified = "unverified".to_string();
    assert_eq!(
        training_of(&db, &i1).await,
        vec![("JR-PS-02".into(), 1600, unverified.clone(), false)]
    );
    let choice = CommitChoice {
        valid_only: true,
        confirm: false,
    };
    let done = commit(&db, &f, &a.plan.digest, choice).await.unwrap();
    assert_eq!((done.plan.counts.new, done.plan.counts.updated), (2, 1));
    let verified = "base_verified".to_string();
    assert_eq!(
        training_of(&db, &i1).await,
        vec![
            ("JR-PL-01".into(), 800, verified.clone(), false),
            ("JR-PS-02".into(), 1600, verified.clone(), false),
        ]
    );
    assert_eq!(
        training_of(&db, &i2).await,
        vec![("JR-PL-01".into(), 800, unverified.clone(), false)]
    );
    assert_eq!(
        training_of(&db, &i3).await,
        vec![("政策解读讲座".into(), 300, verified.clone(), false)]
    );
    assert!(training_of(&db, &i4).await.is_empty());
    // The same file again: the four are on record, nothing is written.
    let again = imports::analyse(&db, &f, &settings).await.unwrap();
    assert_eq!(again.plan.counts.new + again.plan.counts.updated, 0);
    assert_eq!(again.plan.counts.unchanged, 4);
    assert!(again.plan.writes.training.is_empty() && again.plan.writes.verify.is_empty());
    commit(&db, &f, &again.plan.digest, choice).await.unwrap();
    assert_eq!(training_of(&db, &i1).await.len(), 2);
    let audit = audit_of(&db, "import.attendance.commit").await;
    assert_eq!(audit.len(), 2);
    assert!(audit[1].contains("new=2; updated=1") && audit[0].contains("new=0; updated=0"));
}

async fn a_file_of_the_other_kind_is_refused_with_a_reason(db: Db) {
    let base = cohort_with_catalog(&db).await;
    let settings = ImportSettings::default();
    // A roster uploaded as attendance, and attendance uploaded as a roster.
    let as_attendance = attendance_file(base, quirky_xlsx());
    let err = imports::analyse(&db, &as_attendance, &settings)
        .await
        .unwrap_err();
    assert!(
        err.message(ladder::i18n::Lang::Zh).contains("考勤表头"),
        "{err:?}"
    );
    let (rows, _, _, _) = attendance_rows();
    let as_roster = file(base, "考勤.xlsx", sheet_xlsx(&ATTENDANCE_HEADER, &rows));
    let err = imports::analyse(&db, &as_roster, &settings)
        .await
        .unwrap_err();
    assert!(
        err.message(ladder::i18n::Lang::Zh).contains("没有找到表头"),
        "{err:?}"
    );
}

crate::on_both_engines!(
    attendance_is_checked_committed_verified_and_idempotent,
    a_file_of_the_other_kind_is_refused_with_a_reason,
);

/// On the web: the upload names the kind, the preview lists the rows' outcomes (absent rows
/// as skipped, no "updates"), the commit records the hours and the history says what it was.
#[test]
fn attendance_on_the_web() {
    use crate::common::{HOST, app, body_text, get, multipart, post, send, sign_in, user_with};
    use crate::files::location;
    use axum::http::StatusCode;
    use ladder::domain::role::{Grant, Role, Scope};
    use ladder::server::config::Settings;
    crate::common::run(async {
        let db = crate::common::sqlite().await;
        let base = cohort_with_catalog(&db).await;
        user_with(
            &db,
            "clerk",
            "password-1",
            &[Grant::new(Role::BaseAdmin, Scope::Base(base)).unwrap()],
        )
        .await;
        let app = app(db.clone(), Settings::default());
        let clerk = sign_in(&app, "clerk", "password-1").await;
        let (rows, _, _, _) = attendance_rows();
        let bytes = sheet_xlsx(&ATTENDANCE_HEADER, &rows);
        let req = multipart(
            "/files/imports",
            &[
                ("kind", "attendance"),
                ("base", &base.to_string()),
                ("cohort", COHORT),
            ],
            "考勤.xlsx",
            &bytes,
            &clerk,
            &format!("http://{HOST}"),
        );
        let res = send(&app, req).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let page = location(&res);
        let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
        let html =
            body_text(send(&app, get(&format!("{page}?show=skipped"), Some(&clerk))).await).await;
        assert!(html.contains("考勤与学时"), "the kind is shown");
        assert!(html.contains("缺勤"), "the absent row is listed as skipped");
        assert!(!html.contains("show=updates"), "no updates tab");
        let html =
            body_text(send(&app, get(&format!("{page}?show=errors"), Some(&clerk))).await).await;
        assert!(html.contains("不在培训班次"), "the errors are explained");
        let html =
            body_text(send(&app, get(&format!("{page}?show=new"), Some(&clerk))).await).await;
        assert!(
            html.contains("政策法规"),
            "a new record shows its module by name"
        );
        let res = send(
            &app,
            post(
                "/api/commit_import",
                &format!("id={id}&valid_only=on"),
                Some(&clerk),
            ),
        )
        .await;
        let answer: serde_json::Value = serde_json::from_str(&body_text(res).await).unwrap();
        assert_eq!(answer["committed"], true, "{answer}");
        assert!(
            answer["message"].as_str().unwrap().contains("新增 4 条"),
            "{answer}"
        );
        let [(_, i1), ..] = people();
        assert_eq!(training_of(&db, &i1).await.len(), 2);
        let html = body_text(send(&app, get("/admin/imports", Some(&clerk))).await).await;
        assert!(html.contains("考勤与学时") && html.contains("考勤.xlsx"));
    });
}
