//! Scope, not only role: every server function and every `/files/…` route, called by a caller
//! who holds the right role for the wrong scope — another base's clerk or instructor, another
//! committee's secretary, chair or member, an unassigned or recused reviewer, another unit's
//! reviewer, another trainee — is refused and writes nothing. The objects are real (the demo's
//! session voted, certified and published, an objection and an appeal on file, the demo
//! trainee's records of every kind with evidence, an import, a scheduled class), and the right
//! caller, sent the same request, gets past authorization: a refusal cannot pass because the
//! id named nothing. A server function without a row fails the test, as in `authz.rs`.

use crate::common::{HOST, app, body_text, get, multipart, post, send, sign_in, user_with};
use axum::http::StatusCode;
use ladder::db::Db;
use ladder::domain::role::{Grant, Role, Scope};
use ladder::server::config::Settings;
use ladder::server::{clock, demo, org};
use std::collections::{BTreeMap, BTreeSet};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";

/// What a caller of the wrong scope can name, and what shows they were kept out.
enum Check {
    /// Nothing in it belongs to a base, committee, unit or another person: it acts on the
    /// caller alone (their profile, records, password) or on what the role holds everywhere
    /// (the system admin's accounts, the authority's rulesets, the public notice). Says why.
    Own(&'static str),
    /// Names an object: each wrong caller gets 403 or 404 and the audit log does not grow;
    /// the right caller, sent the same body, is not refused (it may still be told the state
    /// does not allow the step: 409, 422).
    Object {
        right: &'static str,
        wrong: &'static [&'static str],
        body: &'static str,
    },
    /// A list of the caller's scope: the right caller's answer holds `marker`, no wrong
    /// caller's does.
    Lists {
        right: &'static str,
        wrong: &'static [&'static str],
        body: &'static str,
        marker: &'static str,
    },
}

use Check::*;

/// A call to try: (right caller, wrong callers, body, marker); `None` for `Own`.
type Calls = (
    &'static str,
    &'static [&'static str],
    &'static str,
    Option<&'static str>,
);

impl Check {
    fn calls(&self) -> Option<Calls> {
        match self {
            Own(_) => None,
            Object { right, wrong, body } => Some((right, wrong, body, None)),
            Lists {
                right,
                wrong,
                body,
                marker,
            } => Some((right, wrong, body, Some(marker))),
        }
    }
}

// The wrong callers, all with the right role for another scope (made in `world`).
const B2_ADMIN: &str = "b2.admin";
const B2_INSTRUCTOR: &str = "b2.instructor";
const C2_SECRETARY: &str = "c2.secretary";
const C2_CHAIR: &str = "c2.chair";
const C2_REVIEWER: &str = "c2.reviewer";
const U2_REVIEWER: &str = "u2.reviewer";
const TRAINEE2: &str = "trainee2";
/// A member of the demo committee on no panel of 陈晓明's (placeholder filled in `world`).
const UNASSIGNED: &str = "{UNASSIGNED}";
/// A member of the demo committee recused from 陈晓明.
const RECUSED: &str = "{RECUSED}";
/// A member of the demo committee on 陈晓明's panel.
const ASSIGNED: &str = "{ASSIGNED}";
const OTHER_COMMITTEE: &[&str] = &[C2_SECRETARY, C2_CHAIR];

/// (server function, check). Bodies and markers use the placeholders `world` fills.
const ROWS: &[(&str, Check)] = &[
    ("session_info", Own("the caller's own session")),
    ("sign_in", Own("before there is a caller")),
    ("set_language", Own("the caller's own cookie")),
    ("change_password", Own("the caller's own password")),
    ("sign_out", Own("the caller's own session")),
    ("my_tasks", Own("the caller's own tasks")),
    ("my_profile", Own("the caller's own profile")),
    ("set_contact", Own("the caller's own phone and e-mail")),
    ("add_education", Own("adds to the caller's own profile")),
    ("add_title", Own("adds to the caller's own profile")),
    ("add_employer", Own("adds to the caller's own profile")),
    ("set_locality", Own("the caller's own profile")),
    (
        "remove_profile_entry",
        Object {
            right: "candidate1",
            wrong: &[TRAINEE2, "candidate2"],
            body: "kind=education&id={EDUCATION}",
        },
    ),
    // The system admin and the program authority hold their roles everywhere.
    ("list_users", Own("the system admin's, everywhere")),
    ("scope_options", Own("the system admin's, everywhere")),
    ("create_user", Own("the system admin's, everywhere")),
    ("grant_role", Own("the system admin's, everywhere")),
    ("revoke_role", Own("the system admin's, everywhere")),
    ("reset_password", Own("the system admin's, everywhere")),
    ("set_user_active", Own("the system admin's, everywhere")),
    ("reveal_id_number", Own("the system admin's, everywhere")),
    (
        "add_base",
        Own("the authority's and system admin's, everywhere"),
    ),
    (
        "list_rulesets",
        Own("rulesets are the program's, everywhere"),
    ),
    (
        "check_ruleset",
        Own("rulesets are the program's, everywhere"),
    ),
    (
        "activate_ruleset",
        Own("rulesets are the program's, everywhere"),
    ),
    (
        "ruleset_impact",
        Own("rulesets are the program's, everywhere"),
    ),
    ("list_audit", Own("the auditor's, everywhere")),
    ("verify_audit_chain", Own("the auditor's, everywhere")),
    (
        "confirm_queue",
        Own("the human-resources authority's, everywhere"),
    ),
    (
        "confirm_result",
        Own("the human-resources authority's, everywhere"),
    ),
    (
        "list_bases",
        Lists {
            right: "baseadmin",
            wrong: &[B2_ADMIN, B2_INSTRUCTOR],
            body: "",
            marker: "{BASE_CODE}",
        },
    ),
    (
        "list_cohorts",
        Lists {
            right: "baseadmin",
            wrong: &[B2_ADMIN, B2_INSTRUCTOR],
            body: "",
            marker: "{COHORT}",
        },
    ),
    (
        "add_cohort",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "base_code={BASE_CODE}&code=K-SCOPE&name=新班&level=junior&starts_on=2026-09-01&ends_on=2026-12-01",
        },
    ),
    (
        "list_committees",
        Lists {
            right: "secretary",
            wrong: &[C2_SECRETARY, C2_CHAIR, C2_REVIEWER],
            body: "",
            marker: "{COMMITTEE_CODE}",
        },
    ),
    (
        "list_courses",
        Lists {
            right: "baseadmin",
            wrong: &[B2_ADMIN, B2_INSTRUCTOR],
            body: "",
            marker: "{COURSE_CODE}",
        },
    ),
    (
        "add_course",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "base_code={BASE_CODE}&code=C-SCOPE&title=新课程&module=policy_law&level=junior&hours=8&kind=theory&instructor=",
        },
    ),
    (
        "set_course_active",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "course_id={COURSE}&active=true",
        },
    ),
    (
        "cohort_schedule",
        Object {
            right: "instructor",
            wrong: &[B2_ADMIN, B2_INSTRUCTOR],
            body: "cohort_code={COHORT}",
        },
    ),
    (
        "schedule_session",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "cohort_code={COHORT}&course_code={COURSE_CODE}&held_on=2026-10-12&location=",
        },
    ),
    (
        "record_attendance",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "session_id={CLASS}&present={TRAINEE_PERSON}",
        },
    ),
    (
        "unschedule_session",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "session_id={CLASS}",
        },
    ),
    // The trainee's records: another trainee can neither see, change, withdraw nor strip them.
    (
        "my_records",
        Lists {
            right: "trainee",
            wrong: &[TRAINEE2],
            body: "kind=&status=&sort=&page=1",
            marker: "{CASE_TITLE}",
        },
    ),
    ("record_options", Own("the caller's own cohorts and deals")),
    ("my_progress", Own("the caller's own score")),
    (
        "save_training",
        Object {
            right: "trainee",
            wrong: &[TRAINEE2],
            body: "record_id={TRAINING}&course_code=&cohort_code=&module=policy_law&mode=onsite&hours=8&date=2026-10-02&provider=某基地&title=政策法规&reason=更正&form_key=test-1",
        },
    ),
    (
        "save_ce",
        Object {
            right: "trainee",
            wrong: &[TRAINEE2],
            body: "record_id={CE}&category=professional&mode=online&hours=12&date=2026-05-01&provider=某平台&title=专业科目&reason=更正&form_key=test-2",
        },
    ),
    (
        "save_deal",
        Object {
            right: "trainee",
            wrong: &[TRAINEE2],
            body: "record_id={DEAL}&contract_name=某许可合同&contract_type=license&registration_no=&registration_date=&registration_authority=&sign_date=2026-02-20&contract_amount=100&tech_transaction_amount=&amount_received=&seller=甲方&buyer=乙方&role=lead&share=100&reason=更正&form_key=test-3",
        },
    ),
    (
        "save_case",
        Object {
            right: "trainee",
            wrong: &[TRAINEE2],
            body: "record_id={CASE}&title=案例&role=lead&date=2026-05-01&stages[0]=mining&narrative=更正&personal_contribution=主导&linked_deals=&confidentiality=public&reason=更正&form_key=test-4",
        },
    ),
    (
        "save_outcome",
        Object {
            right: "trainee",
            wrong: &[TRAINEE2],
            body: "record_id={OUTCOME}&event=company_formed&date=2026-05-01&description=孵化企业&amount=&reason=更正&form_key=test-5",
        },
    ),
    (
        "save_contribution",
        Object {
            right: "trainee",
            wrong: &[TRAINEE2],
            body: "record_id={CONTRIBUTION}&item=teaching&hours=6&date=2026-05-01&title=授课&reason=更正&form_key=test-6",
        },
    ),
    // Before `remove_evidence` and `withdraw_record` (the right caller's call goes through).
    (
        "verification_queue",
        Lists {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "",
            marker: "{TRAINEE_NAME}",
        },
    ),
    (
        "case_queue",
        Lists {
            right: "instructor",
            wrong: &[B2_INSTRUCTOR],
            body: "",
            marker: "{CASE_TITLE}",
        },
    ),
    (
        "review_case",
        Object {
            right: "instructor",
            wrong: &[B2_INSTRUCTOR],
            body: "record_id={CASE}&scores[complexity]=10&comment=",
        },
    ),
    (
        "decide_record",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "record_id={OUTCOME}&decision=verify&reason=",
        },
    ),
    (
        "verify_records",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "ids={CONTRIBUTION}",
        },
    ),
    (
        "remove_evidence",
        Object {
            right: "trainee",
            wrong: &[TRAINEE2],
            body: "file_id={FILE}",
        },
    ),
    (
        "withdraw_record",
        Object {
            right: "trainee",
            wrong: &[TRAINEE2],
            body: "record_id={CE}",
        },
    ),
    (
        "base_overview",
        Lists {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "cohort_code=&sort=&page=1",
            marker: "{TRAINEE_NAME}",
        },
    ),
    (
        "import_page",
        Lists {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "",
            marker: "{IMPORT_NAME}",
        },
    ),
    (
        "import_preview",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "id={IMPORT}&show=&page=1",
        },
    ),
    (
        "commit_import",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "id={IMPORT}&valid_only=on",
        },
    ),
    (
        "import_add_cohort",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "id={IMPORT}&code=2027-X&name=x&level=junior&starts_on=2027-01-01&ends_on=2027-02-01",
        },
    ),
    (
        "replan_import",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "id={IMPORT}",
        },
    ),
    (
        "request_correction",
        Object {
            right: "baseadmin",
            wrong: &[B2_ADMIN],
            body: "import_id={IMPORT}&row=2&to=admin&note=",
        },
    ),
    // A person's own requests (every request for the system admin, who is global).
    (
        "correction_requests",
        Lists {
            right: "trainee",
            wrong: &[TRAINEE2, B2_ADMIN],
            body: "",
            marker: "139****0002",
        },
    ),
    (
        "close_correction",
        Object {
            right: "trainee",
            wrong: &[TRAINEE2, B2_ADMIN],
            body: "id={CORRECTION}&decision=dismissed&answer=信息无误",
        },
    ),
    ("correct_identity", Own("the system admin's, everywhere")),
    // The senior-title review.
    ("title_home", Own("the caller's own applications")),
    (
        "apply_for_title",
        Own("any technology manager may apply to an open session"),
    ),
    (
        "candidate_step",
        Object {
            right: "candidate1",
            wrong: &[TRAINEE2, "candidate2"],
            body: "id={CHEN}&step=withdraw",
        },
    ),
    (
        "unit_applications",
        Lists {
            right: "unitreviewer",
            wrong: &[U2_REVIEWER],
            body: "",
            marker: "陈晓明",
        },
    ),
    (
        "unit_decide",
        Object {
            right: "unitreviewer",
            wrong: &[U2_REVIEWER],
            body: "id={CHEN}&decision=return&reason=x&notice_from=",
        },
    ),
    (
        "review_sessions",
        Lists {
            right: "secretary",
            wrong: OTHER_COMMITTEE,
            body: "",
            marker: "{SESSION_CODE}",
        },
    ),
    (
        "create_review_session",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "committee_id={COMMITTEE}&code=S-SCOPE&name=批次&applies_from=2027-01-01&applies_to=2027-01-31&scoring_from=2027-02-01&scoring_to=2027-02-28&meeting_on=2027-03-10&unit_notice_days=5&result_notice_days=5&min_reviewers=3&conflict_years=3&supplement_days=10",
        },
    ),
    // The right caller's dates are out of order (422): the session's schedule stays as the
    // later rows need it.
    (
        "reschedule_session",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY, C2_CHAIR],
            body: "session_id={SESSION}&applies_from=2027-01-01&applies_to=2027-01-31&scoring_from=2027-02-01&scoring_to=2027-02-28&meeting_on=2027-02-10&reason=改期",
        },
    ),
    (
        "review_session",
        Object {
            right: "chair",
            wrong: OTHER_COMMITTEE,
            body: "id={SESSION}",
        },
    ),
    (
        "formal_decide",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "id={CHEN}&decision=receive&reason=",
        },
    ),
    (
        "application_dossier",
        Object {
            right: "secretary",
            wrong: &[
                C2_SECRETARY,
                C2_CHAIR,
                U2_REVIEWER,
                TRAINEE2,
                "candidate2",
                B2_ADMIN,
            ],
            body: "id={CHEN}",
        },
    ),
    (
        "session_staffing",
        Object {
            right: "chair",
            wrong: OTHER_COMMITTEE,
            body: "session_id={SESSION}",
        },
    ),
    (
        "staff_review",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "id={CHEN}&step=lock&panel_id=0",
        },
    ),
    (
        "my_review_tasks",
        Lists {
            right: ASSIGNED,
            wrong: &[C2_REVIEWER, UNASSIGNED, RECUSED],
            body: "",
            marker: "陈晓明",
        },
    ),
    (
        "declare_conflict",
        Object {
            right: ASSIGNED,
            wrong: &[C2_REVIEWER, UNASSIGNED, RECUSED],
            body: "id={CHEN}&reason=亲属关系",
        },
    ),
    (
        "score_sheet",
        Object {
            right: ASSIGNED,
            wrong: &[C2_REVIEWER, UNASSIGNED, RECUSED],
            body: "id={CHEN}",
        },
    ),
    (
        "submit_score",
        Object {
            right: ASSIGNED,
            wrong: &[C2_REVIEWER, UNASSIGNED, RECUSED],
            body: "id={CHEN}&points[complexity]=10&recommendation=support&comment=",
        },
    ),
    (
        "session_scoring",
        Object {
            right: "chair",
            wrong: OTHER_COMMITTEE,
            body: "session_id={SESSION}",
        },
    ),
    (
        "run_scoring",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "id={CHEN}&step=complete&reviewer_id=0",
        },
    ),
    (
        "schedule_defense",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "id={CHEN}&starts_at=2026-12-01T14:00&place=%E7%AC%AC%E4%B8%80%E4%BC%9A%E8%AE%AE%E5%AE%A4",
        },
    ),
    (
        "submit_defense_score",
        Object {
            right: ASSIGNED,
            wrong: &[C2_REVIEWER, UNASSIGNED, RECUSED],
            body: "id={CHEN}&score=80&comment=",
        },
    ),
    (
        "session_meeting",
        Object {
            right: "chair",
            wrong: OTHER_COMMITTEE,
            body: "session_id={SESSION}",
        },
    ),
    (
        "open_meeting",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY, C2_CHAIR],
            body: "session_id={SESSION}",
        },
    ),
    // Recused and open ballots are tried in `a_recused_member_cannot_vote` below.
    (
        "my_ballot",
        Own("the caller's own ballots (a recused member: see below)"),
    ),
    (
        "cast_vote",
        Object {
            right: "chair",
            wrong: &[C2_CHAIR, C2_REVIEWER],
            body: "id={CHEN}&ballot=%7B%7D",
        },
    ),
    (
        "certify_result",
        Object {
            right: "chair",
            wrong: &[C2_CHAIR],
            body: "id={CHEN}",
        },
    ),
    (
        "record_paper_ballot",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "id={CHEN}&yes=1&no=0&abstain=0",
        },
    ),
    (
        "void_ballot",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "session_id={SESSION}&reason=密钥丢失",
        },
    ),
    (
        "ballot_board",
        Object {
            right: UNASSIGNED,
            wrong: &[C2_REVIEWER, C2_CHAIR, C2_SECRETARY],
            body: "meeting_id={MEETING}",
        },
    ),
    (
        "find_receipt",
        Object {
            right: "secretary",
            wrong: &[C2_REVIEWER, C2_CHAIR, C2_SECRETARY],
            body: "meeting_id={MEETING}&receipt=00",
        },
    ),
    (
        "my_ballot_boards",
        Lists {
            right: "reviewer",
            wrong: &[C2_REVIEWER, C2_CHAIR, C2_SECRETARY],
            body: "",
            marker: "{SESSION_CODE}",
        },
    ),
    (
        "meeting_record",
        Object {
            right: "chair",
            wrong: OTHER_COMMITTEE,
            body: "session_id={SESSION}",
        },
    ),
    ("public_notices", Own("public")),
    ("file_objection", Own("anyone may object")),
    ("verify_certificate", Own("anyone may verify")),
    (
        "session_notice",
        Object {
            right: "chair",
            wrong: OTHER_COMMITTEE,
            body: "session_id={SESSION}",
        },
    ),
    (
        "publish_results",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "session_id={SESSION}&notice_from={TODAY}",
        },
    ),
    (
        "reveal_objection_contact",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "id={OBJECTION}",
        },
    ),
    (
        "resolve_objection",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "id={OBJECTION}&decision=dismiss&reason=不成立",
        },
    ),
    (
        "appeal_decision",
        Object {
            right: "candidate2",
            wrong: &[TRAINEE2, "candidate1"],
            body: "id={LIN}&reason=理由",
        },
    ),
    (
        "decide_appeal",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "id={LIN}&decision=dismiss&reason=维持",
        },
    ),
    // Last: the right caller's call revokes 陈晓明's result.
    (
        "revoke_for_misconduct",
        Object {
            right: "secretary",
            wrong: &[C2_SECRETARY],
            body: "id={CHEN}&reason=%E9%80%A0%E5%81%87",
        },
    ),
];

/// The `/files/…` routes: (method and path, right caller, wrong callers).
const FILE_ROUTES: &[(&str, &str, &[&str])] = &[
    ("GET /files/{FILE}", "trainee", &[TRAINEE2, B2_ADMIN]),
    ("GET /files/{FILE}", "baseadmin", &[B2_ADMIN]),
    ("POST /files/upload", "trainee", &[TRAINEE2]),
    (
        "GET /files/export/{COHORT}/roster.xlsx",
        "baseadmin",
        &[B2_ADMIN],
    ),
    (
        "GET /files/export/{COHORT}/scores.csv",
        "baseadmin",
        &[B2_ADMIN],
    ),
    (
        "GET /files/review/{SESSION}/results.xlsx",
        "secretary",
        &[C2_SECRETARY, C2_CHAIR, C2_REVIEWER],
    ),
    (
        "GET /files/ballots/{MEETING}/board.json",
        "reviewer",
        &[C2_REVIEWER, C2_CHAIR, C2_SECRETARY],
    ),
    ("POST /files/imports", "baseadmin", &[B2_ADMIN]),
    (
        "GET /files/imports/{IMPORT}/report.json",
        "baseadmin",
        &[B2_ADMIN],
    ),
    (
        "GET /files/imports/{IMPORT}/errors.xlsx",
        "baseadmin",
        &[B2_ADMIN],
    ),
];

/// The placeholders' values and every caller's session cookie.
struct World {
    values: BTreeMap<&'static str, String>,
    cookies: BTreeMap<String, String>,
}

impl World {
    fn fill(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (k, v) in &self.values {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        assert!(!out.contains('{'), "a placeholder is left in {out}");
        out
    }

    fn cookie(&self, login: &str) -> &str {
        let login = self.fill(login);
        self.cookies
            .get(&login)
            .unwrap_or_else(|| panic!("no session for {login}"))
    }
}

async fn scalar(db: &Db, sql: &'static str) -> i64 {
    ladder::on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn text(db: &Db, sql: &'static str) -> String {
    ladder::on_db!(db, c => sqlx::query_scalar::<_, String>(sql).fetch_one(c).await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn audit_rows(db: &Db) -> i64 {
    scalar(db, "SELECT COUNT(*) FROM audit_log").await
}

/// The demo's session voted, certified and published; an objection to 陈晓明 and 林静's
/// appeal on file; the demo trainee's records of every kind with a file; a class scheduled; an
/// import waiting; and the wrong callers: a second base, committee and unit with their people,
/// and a second trainee.
async fn world(db: &Db, app: &axum::Router) -> World {
    let now = clock::now();
    let (session, chen, lin) = crate::review::published_with_objection_and_appeal(db).await;
    let base = ladder::db::bases::base_id_by_code(db, demo::BASE_CODE)
        .await
        .unwrap()
        .unwrap();
    let base2 = org::add_base(db, &crate::common::actor(), "B-2", "另一基地", "", now)
        .await
        .unwrap();
    let committee2 = crate::common::committee(db, "C-2", "另一评委会").await;
    let unit2 = crate::common::unit(db, "另一单位").await;
    let others: [(&str, Role, Scope); 7] = [
        (B2_ADMIN, Role::BaseAdmin, Scope::Base(base2)),
        (B2_INSTRUCTOR, Role::Instructor, Scope::Base(base2)),
        (C2_SECRETARY, Role::Secretary, Scope::Committee(committee2)),
        (C2_CHAIR, Role::Chair, Scope::Committee(committee2)),
        (C2_REVIEWER, Role::Reviewer, Scope::Committee(committee2)),
        (U2_REVIEWER, Role::UnitReviewer, Scope::Unit(unit2)),
        (TRAINEE2, Role::Trainee, Scope::Global),
    ];
    for (login, role, scope) in others {
        user_with(
            db,
            login,
            demo::DEMO_PASSWORD,
            &[Grant::new(role, scope).unwrap()],
        )
        .await;
    }

    // Reviewers on 陈晓明's panel, and a member of the committee on none of his.
    let assigned: Vec<i64> = ladder::db::panels::assigned(db, chen)
        .await
        .unwrap()
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    let login_of = async |user: i64| {
        ladder::on_db!(db, c => sqlx::query_scalar::<_, String>(
            "SELECT username FROM users WHERE id = $1").bind(user).fetch_one(c).await)
        .unwrap()
    };
    let assigned_login = login_of(assigned[0]).await;
    // 胡秀英 works for the licensee of 陈晓明's contract: recused from him.
    let recused: Vec<i64> = ladder::db::panels::conflicts(db, chen)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.reviewer_id)
        .collect();
    let recused_login = login_of(*recused.first().expect("a recusal in the demo")).await;
    let mut unassigned_login = None;
    for n in 2..=12 {
        let login = format!("reviewer{n:02}");
        let id = ladder::db::people::user_by_login(db, &login)
            .await
            .unwrap()
            .unwrap()
            .id;
        if !assigned.contains(&id) && !recused.contains(&id) {
            unassigned_login = Some(login);
            break;
        }
    }
    let unassigned_login = unassigned_login.expect("a member on another panel");

    let mut cookies = BTreeMap::new();
    let mut logins: Vec<String> = demo::ACCOUNTS
        .iter()
        .map(|a| a.username.to_string())
        .chain(["candidate1", "candidate2"].map(String::from))
        .chain(others.iter().map(|(l, ..)| l.to_string()))
        .collect();
    logins.push(assigned_login.clone());
    logins.push(unassigned_login.clone());
    logins.push(recused_login.clone());
    for login in logins {
        let cookie = sign_in(app, &login, demo::DEMO_PASSWORD).await;
        cookies.insert(login, cookie);
    }

    // The trainee keeps a record of each kind the demo does not have, and a file on the case.
    let trainee = cookies["trainee"].clone();
    for (name, body) in [
        (
            "save_case",
            "record_id=0&title=某高校专利许可案例&role=lead&date=2026-05-01&stages[0]=mining&narrative=某高校一项电池材料专利从挖掘、评估、定价到许可谈判的全过程：本人负责梳理专利组合、组织第三方评估、撰写许可方案并主导与被许可企业的三轮谈判，最终以入门费加销售提成的方式完成许可。&personal_contribution=主导谈判&linked_deals=&confidentiality=public&reason=&form_key=test-8",
        ),
        (
            "save_outcome",
            "record_id=0&event=company_formed&date=2026-05-01&description=孵化企业&amount=&reason=&form_key=test-9",
        ),
        (
            "save_contribution",
            "record_id=0&item=teaching&hours=6&date=2026-05-01&title=授课&reason=&form_key=test-10",
        ),
    ] {
        let res = send(app, post(&format!("/api/{name}"), body, Some(&trainee))).await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{name}: {}",
            body_text(res).await
        );
    }
    let origin = format!("http://{HOST}");
    let deal = scalar(
        db,
        "SELECT r.id FROM records r JOIN users u ON u.person_id = r.person_id \
         WHERE u.username = 'trainee' AND r.kind = 'deal' ORDER BY r.id LIMIT 1",
    )
    .await;
    let case = scalar(
        db,
        "SELECT r.id FROM records r JOIN users u ON u.person_id = r.person_id \
         WHERE u.username = 'trainee' AND r.kind = 'case' ORDER BY r.id LIMIT 1",
    )
    .await;
    let res = send(
        app,
        multipart(
            "/files/upload",
            &[("record_id", &case.to_string()), ("kind", "other")],
            "合同.pdf",
            PDF,
            &trainee,
            &origin,
        ),
    )
    .await;
    let location = crate::files::location(&res);
    assert!(
        location.contains("file=ok"),
        "the trainee's own upload: {} {location}",
        res.status()
    );

    // The base schedules a class and imports a roster.
    let admin = cookies["baseadmin"].clone();
    let course_code = text(db, "SELECT code FROM courses ORDER BY id LIMIT 1").await;
    let cohort = "2026-SH-JR-01";
    let res = send(
        app,
        post(
            "/api/schedule_session",
            &format!("cohort_code={cohort}&course_code={course_code}&held_on=2026-10-10&location="),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", body_text(res).await);
    let res = send(
        app,
        multipart(
            "/files/imports",
            &[("base", &base.to_string()), ("cohort", "")],
            "名单.xlsx",
            &crate::imports::quirky_xlsx(),
            &admin,
            &origin,
        ),
    )
    .await;
    assert!(
        res.status().is_redirection() || res.status() == StatusCode::OK,
        "the clerk's own import: {}",
        res.status()
    );

    let of_trainee = |kind: &'static str| match kind {
        "training" => {
            "SELECT r.id FROM records r JOIN users u ON u.person_id = r.person_id \
             WHERE u.username = 'trainee' AND r.kind = 'training' ORDER BY r.id LIMIT 1"
        }
        "ce" => {
            "SELECT r.id FROM records r JOIN users u ON u.person_id = r.person_id \
             WHERE u.username = 'trainee' AND r.kind = 'ce' \
             ORDER BY r.id LIMIT 1"
        }
        "case" => {
            "SELECT r.id FROM records r JOIN users u ON u.person_id = r.person_id \
             WHERE u.username = 'trainee' AND r.kind = 'case' ORDER BY r.id LIMIT 1"
        }
        "outcome" => {
            "SELECT r.id FROM records r JOIN users u ON u.person_id = r.person_id \
             WHERE u.username = 'trainee' AND r.kind = 'outcome' ORDER BY r.id LIMIT 1"
        }
        _ => {
            "SELECT r.id FROM records r JOIN users u ON u.person_id = r.person_id \
             WHERE u.username = 'trainee' AND r.kind = 'contribution' ORDER BY r.id LIMIT 1"
        }
    };
    let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut put = |k: &'static str, v: String| {
        values.insert(k, v);
    };
    put("BASE", base.to_string());
    put("BASE_CODE", demo::BASE_CODE.into());
    put("COHORT", cohort.into());
    put("COMMITTEE_CODE", demo::COMMITTEE_CODE.into());
    put(
        "COMMITTEE",
        scalar(
            db,
            "SELECT committee_id FROM review_sessions ORDER BY id LIMIT 1",
        )
        .await
        .to_string(),
    );
    put("COURSE_CODE", course_code);
    put(
        "COURSE",
        scalar(db, "SELECT id FROM courses ORDER BY id LIMIT 1")
            .await
            .to_string(),
    );
    put(
        "CLASS",
        scalar(db, "SELECT MAX(id) FROM cohort_sessions")
            .await
            .to_string(),
    );
    put(
        "TRAINEE_PERSON",
        scalar(db, "SELECT person_id FROM users WHERE username = 'trainee'")
            .await
            .to_string(),
    );
    put(
        "TRAINEE_NAME",
        text(
            db,
            "SELECT p.name FROM people p JOIN users u ON u.person_id = p.id \
             WHERE u.username = 'trainee'",
        )
        .await,
    );
    put(
        "TRAINING",
        scalar(db, of_trainee("training")).await.to_string(),
    );
    put("CE", scalar(db, of_trainee("ce")).await.to_string());
    put("DEAL", deal.to_string());
    put("CASE", scalar(db, of_trainee("case")).await.to_string());
    put("CASE_TITLE", "某高校专利许可案例".into());
    put(
        "OUTCOME",
        scalar(db, of_trainee("outcome")).await.to_string(),
    );
    put(
        "CONTRIBUTION",
        scalar(db, of_trainee("contribution")).await.to_string(),
    );
    put(
        "FILE",
        scalar(db, "SELECT MAX(id) FROM evidence_files")
            .await
            .to_string(),
    );
    put(
        "EDUCATION",
        scalar(
            db,
            "SELECT e.id FROM person_education e JOIN users u ON u.person_id = e.person_id \
             WHERE u.username = 'candidate1' ORDER BY e.id LIMIT 1",
        )
        .await
        .to_string(),
    );
    put(
        "IMPORT",
        scalar(db, "SELECT MAX(id) FROM imports").await.to_string(),
    );
    put(
        "IMPORT_NAME",
        text(db, "SELECT file_name FROM imports ORDER BY id DESC LIMIT 1").await,
    );
    put("SESSION", session.to_string());
    put(
        "SESSION_CODE",
        ladder::server::demo_review::SESSION_CODE.into(),
    );
    put(
        "MEETING",
        scalar(db, "SELECT MAX(id) FROM review_meetings")
            .await
            .to_string(),
    );
    put("CHEN", chen.to_string());
    put("LIN", lin.to_string());
    put(
        "OBJECTION",
        scalar(db, "SELECT MAX(id) FROM objections")
            .await
            .to_string(),
    );
    put("TODAY", clock::china_date(now).to_string());
    put("ASSIGNED", assigned_login);
    put("UNASSIGNED", unassigned_login);
    put("RECUSED", recused_login);
    // A correction request to the trainee from their base (as a preview would send it).
    let mut tx = db.begin_write().await.unwrap();
    let request = ladder::db::corrections::insert(
        &mut tx,
        &ladder::db::corrections::NewRequest {
            person: values["TRAINEE_PERSON"].parse().unwrap(),
            base,
            import: None,
            row: None,
            to: "person",
            differences: r#"[{"field":"mobile","stored":"139****0001","file":"139****0002"}]"#,
            note: "",
            by: ladder::db::people::user_by_login(db, "baseadmin")
                .await
                .unwrap()
                .unwrap()
                .id,
        },
        now,
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    values.insert("CORRECTION", request.to_string());
    World { values, cookies }
}

/// Whether an answer keeps a caller out: 403, or 404 for an object they may not know exists.
/// A form that names a base by code (a new course) says of another base's code what it says
/// of an unknown one, so that it reveals nothing about other bases.
fn refused(status: StatusCode, answer: &str) -> bool {
    status == StatusCode::FORBIDDEN
        || status == StatusCode::NOT_FOUND
        || (status == StatusCode::UNPROCESSABLE_ENTITY && answer.contains("ErrUnknownBase"))
}

/// Past authorization: neither refused nor failed (409 or 422 say the state or the input).
fn past(status: StatusCode, answer: &str) -> bool {
    !refused(status, answer)
        && status != StatusCode::UNAUTHORIZED
        && status != StatusCode::TOO_MANY_REQUESTS
        && !status.is_server_error()
}

#[test]
fn every_object_is_refused_to_the_wrong_scope() {
    crate::common::run(async {
        let registered = crate::common::server_functions();
        let listed: BTreeSet<String> = ROWS.iter().map(|(name, _)| name.to_string()).collect();
        assert_eq!(
            registered, listed,
            "every server function needs exactly one row in ROWS"
        );
        for (name, check) in ROWS {
            if let Own(why) = check {
                assert!(
                    why.len() > 5,
                    "{name}: say why nothing of anyone else's is named"
                );
            }
        }

        let db = crate::common::sqlite().await;
        let app = app(db.clone(), Settings::default());
        let w = world(&db, &app).await;
        let mut failures = Vec::new();

        // First every wrong caller, while every object is as `world` left it.
        for (name, check) in ROWS {
            let Some((_, wrong, body, marker)) = check.calls() else {
                continue;
            };
            let marker = marker.map(|m| w.fill(m));
            for who in wrong {
                let before = audit_rows(&db).await;
                let res = send(
                    &app,
                    post(&format!("/api/{name}"), &w.fill(body), Some(w.cookie(who))),
                )
                .await;
                let status = res.status();
                let answer = body_text(res).await;
                let kept_out = match &marker {
                    None => refused(status, &answer),
                    Some(m) => {
                        refused(status, &answer)
                            || (status == StatusCode::OK && !answer.contains(m))
                    }
                };
                if !kept_out {
                    failures.push(format!("{name} as {}: {status} {answer:.200}", w.fill(who)));
                }
                if audit_rows(&db).await != before {
                    failures.push(format!("{name} as {}: wrote to the audit log", w.fill(who)));
                }
            }
        }
        for (route, _, wrong) in FILE_ROUTES {
            for who in *wrong {
                let before = (audit_rows(&db).await, files_and_imports(&db).await);
                let (status, location) = file_route(&app, &w, route, who).await;
                // The upload answers on the records page: with a refusal, never "ok".
                let kept_out = refused(status, "")
                    || (status.is_redirection()
                        && !location.contains("=ok")
                        && !location.contains("/imports/"));
                if !kept_out {
                    failures.push(format!("{route} as {}: {status} {location}", w.fill(who)));
                }
                if (audit_rows(&db).await, files_and_imports(&db).await) != before {
                    failures.push(format!("{route} as {}: wrote something", w.fill(who)));
                }
            }
        }

        // Then the right caller: the same requests get past authorization (the files first:
        // a right caller's `remove_evidence` takes the file away).
        for (route, right, _) in FILE_ROUTES {
            let (status, location) = file_route(&app, &w, route, right).await;
            let ok = status == StatusCode::OK
                || (status.is_redirection()
                    && (location.contains("=ok") || location.contains("/imports/")));
            if !ok {
                failures.push(format!(
                    "{route} as {right} (the right caller): {status} {location}"
                ));
            }
        }
        for (name, check) in ROWS {
            let Some((right, _, body, marker)) = check.calls() else {
                continue;
            };
            let marker = marker.map(|m| w.fill(m));
            let res = send(
                &app,
                post(
                    &format!("/api/{name}"),
                    &w.fill(body),
                    Some(w.cookie(right)),
                ),
            )
            .await;
            let status = res.status();
            let answer = body_text(res).await;
            let ok = match &marker {
                None => past(status, &answer),
                Some(m) => status == StatusCode::OK && answer.contains(m),
            };
            if !ok {
                failures.push(format!(
                    "{name} as {} (the right caller): {status} {answer:.200}",
                    w.fill(right)
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "scope mismatches:\n{}",
            failures.join("\n")
        );
    });
}

async fn files_and_imports(db: &Db) -> (i64, i64) {
    (
        scalar(db, "SELECT COUNT(*) FROM evidence_files").await,
        scalar(db, "SELECT COUNT(*) FROM imports").await,
    )
}

/// Sends one `/files/…` route as `who`: its status and where it redirects.
async fn file_route(app: &axum::Router, w: &World, route: &str, who: &str) -> (StatusCode, String) {
    let (method, path) = route.split_once(' ').expect("METHOD path");
    let path = w.fill(path);
    let cookie = w.cookie(who);
    let origin = format!("http://{HOST}");
    let req = match (method, path.as_str()) {
        ("POST", "/files/upload") => multipart(
            "/files/upload",
            &[("record_id", &w.fill("{CASE}")), ("kind", "other")],
            "合同.pdf",
            PDF,
            cookie,
            &origin,
        ),
        ("POST", "/files/imports") => {
            let base = w.fill("{BASE}");
            multipart(
                "/files/imports",
                &[("base", &base), ("cohort", "")],
                "名单.xlsx",
                &crate::imports::quirky_xlsx(),
                cookie,
                &origin,
            )
        }
        ("GET", p) => get(p, Some(cookie)),
        _ => panic!("no request for {route}"),
    };
    let res = send(app, req).await;
    let status = res.status();
    (status, crate::files::location(&res))
}

/// A form value as a browser encodes it.
fn form_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// While 陈晓明's ballot is open: a member recused from him is refused with the reason, a
/// member of another committee is told there is nothing to vote on, and neither stores a
/// ballot — each sending a well-formed ballot of their own, so the refusal is the scope's, not
/// the ballot's. A member who may vote, sending the same kind of ballot, is counted.
#[test]
fn a_recused_member_cannot_vote() {
    crate::common::run(async {
        let db = crate::common::sqlite().await;
        let app = app(db.clone(), Settings::default());
        let (chen, recused) = crate::review::voting_on_chen(&db).await;
        let committee2 = crate::common::committee(&db, "C-2", "另一评委会").await;
        let stranger = user_with(
            &db,
            C2_CHAIR,
            demo::DEMO_PASSWORD,
            &[Grant::new(Role::Chair, Scope::Committee(committee2)).unwrap()],
        )
        .await;
        let login_of = async |user: i64| {
            ladder::on_db!(&db, c => sqlx::query_scalar::<_, String>(
                "SELECT username FROM users WHERE id = $1").bind(user).fetch_one(c).await)
            .unwrap()
        };
        let ballots = async || scalar(&db, "SELECT COUNT(*) FROM ballots").await;
        let vote = async |user: i64, login: &str| {
            let cookie = sign_in(&app, login, demo::DEMO_PASSWORD).await;
            let ballot = crate::review::ballot_for(&db, user, chen, "yes").await;
            let res = send(
                &app,
                post(
                    "/api/cast_vote",
                    &format!("id={chen}&ballot={}", form_value(&ballot)),
                    Some(&cookie),
                ),
            )
            .await;
            let status = res.status();
            (status, body_text(res).await)
        };

        let member = *recused.first().expect("the demo has a recusal on 陈晓明");
        let before = ballots().await;
        let (status, answer) = vote(member, &login_of(member).await).await;
        assert_eq!(status, StatusCode::CONFLICT, "{answer}");
        assert!(answer.contains("ErrRecused"), "{answer}");
        let (status, answer) = vote(stranger, C2_CHAIR).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
        assert_eq!(ballots().await, before, "no refused ballot is stored");

        let chair = ladder::db::people::user_by_login(&db, "chair")
            .await
            .unwrap()
            .unwrap()
            .id;
        let (status, answer) = vote(chair, "chair").await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(ballots().await, before + 1);
    });
}
