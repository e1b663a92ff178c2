//! The authorization matrix: every server function, called by every role and by an anonymous
//! visitor, is allowed or refused exactly as the table says. A server function without a row
//! fails the test, so a new endpoint cannot ship without deciding who may call it.

use crate::common::{actor, app, post, send, sqlite, user_with};
use axum::http::StatusCode;
use ladder::domain::role::{Grant, Role, Scope};
use ladder::server::config::Settings;
use ladder::server::{accounts, clock, org, signin};
use std::collections::BTreeSet;

/// Who may call: everyone (even anonymous), every signed-in user, or the listed roles.
enum Allowed {
    Anyone,
    SignedIn,
    Roles(&'static [Role]),
}

use Allowed::*;
use Role::*;

/// (endpoint, sample body, who may call). Keep sign_out last: it ends the caller's session.
const MATRIX: &[(&str, &str, Allowed)] = &[
    ("session_info", "", Anyone),
    (
        "sign_in",
        "login=nobody-CALLER&password=wrong-password",
        Anyone,
    ),
    ("set_language", "lang=en", Anyone),
    (
        "change_password",
        "current=wrong-password&new=new-password-1&confirm=new-password-1",
        SignedIn,
    ),
    ("my_tasks", "", SignedIn),
    ("my_profile", "", SignedIn),
    ("set_contact", "phone=13812345678&email=", SignedIn),
    (
        "add_education",
        "level=master&institution=同济大学&major=管理科学与工程&graduated_on=2012-06-30",
        SignedIn,
    ),
    (
        "add_title",
        "rank=intermediate&series=经济系列&obtained_on=2018-12-01&certificate_no=",
        SignedIn,
    ),
    (
        "add_employer",
        "unit_name=某单位&position=&from_on=2015-03-01&to_on=",
        SignedIn,
    ),
    (
        "set_locality",
        "hukou=on&social_insurance_months=24&practice_since=2016-01-01",
        SignedIn,
    ),
    // Someone else's (here: no) entry is "not found", never removed.
    ("remove_profile_entry", "kind=education&id=999999", SignedIn),
    ("list_users", "", Roles(&[SysAdmin])),
    ("scope_options", "", Roles(&[SysAdmin])),
    (
        "create_user",
        "username=new.user&name=新用户&email=&id_number=",
        Roles(&[SysAdmin]),
    ),
    (
        "grant_role",
        "user_id=TARGET&role=auditor&scope_id=",
        Roles(&[SysAdmin]),
    ),
    ("revoke_role", "grant_id=GRANT", Roles(&[SysAdmin])),
    ("reset_password", "user_id=TARGET", Roles(&[SysAdmin])),
    (
        "set_user_active",
        "user_id=TARGET&active=true",
        Roles(&[SysAdmin]),
    ),
    ("reveal_id_number", "user_id=TARGET", Roles(&[SysAdmin])),
    (
        "list_bases",
        "",
        Roles(&[SysAdmin, ProgramAuthority, BaseAdmin, Instructor]),
    ),
    (
        "add_base",
        "code=NEW-BASE&name=新基地&region=",
        Roles(&[SysAdmin, ProgramAuthority]),
    ),
    (
        "list_cohorts",
        "",
        Roles(&[SysAdmin, ProgramAuthority, BaseAdmin, Instructor]),
    ),
    (
        "add_cohort",
        "base_code=B-1&code=K-NEW&name=新班&level=junior&starts_on=2026-09-01&ends_on=2026-12-01",
        Roles(&[SysAdmin, BaseAdmin]),
    ),
    // The same for a base the base admin does not run: only the system admin may.
    (
        "add_cohort",
        "base_code=B-2&code=K-OTHER&name=别班&level=junior&starts_on=2026-09-01&ends_on=2026-12-01",
        Roles(&[SysAdmin]),
    ),
    (
        "list_courses",
        "",
        Roles(&[SysAdmin, ProgramAuthority, BaseAdmin, Instructor]),
    ),
    (
        "add_course",
        "base_code=B-1&code=C-NEW&title=新课程&module=policy_law&level=junior&hours=8&kind=theory&instructor=",
        Roles(&[SysAdmin, BaseAdmin]),
    ),
    // No such course: "not found" for those who may manage a catalog, refused for the rest.
    (
        "set_course_active",
        "course_id=999999&active=false",
        Roles(&[SysAdmin, BaseAdmin]),
    ),
    // An unknown cohort or session: "not found" for those allowed, refused for the rest.
    (
        "cohort_schedule",
        "cohort_code=K-NONE",
        Roles(&[SysAdmin, ProgramAuthority, BaseAdmin, Instructor]),
    ),
    (
        "schedule_session",
        "cohort_code=K-NONE&course_code=X&held_on=2026-09-10&location=",
        Roles(&[SysAdmin, BaseAdmin]),
    ),
    (
        "unschedule_session",
        "session_id=999999",
        Roles(&[SysAdmin, BaseAdmin]),
    ),
    (
        "list_committees",
        "",
        Roles(&[SysAdmin, ProgramAuthority, Secretary, Chair, Reviewer]),
    ),
    (
        "list_rulesets",
        "",
        Roles(&[SysAdmin, ProgramAuthority, Auditor]),
    ),
    // An invalid file: the authority gets its problems (200), everyone else is refused.
    ("check_ruleset", "source=x", Roles(&[ProgramAuthority])),
    (
        "activate_ruleset",
        "code=none&version=1",
        Roles(&[ProgramAuthority]),
    ),
    // No such version (and no version in force here): "not found" for the authority.
    (
        "ruleset_impact",
        "code=none&version=1",
        Roles(&[ProgramAuthority]),
    ),
    (
        "my_records",
        "kind=&status=&sort=&page=1",
        Roles(&[Trainee]),
    ),
    ("record_options", "", Roles(&[Trainee])),
    ("my_progress", "", Roles(&[Trainee])),
    // Someone else's (here: no) file is "not found", never removed.
    ("remove_evidence", "file_id=999999", Roles(&[Trainee])),
    // A trainee without a cohort may still keep records (nobody verifies them yet).
    (
        "save_training",
        "record_id=0&course_code=&cohort_code=&module=policy_law&mode=onsite&hours=8&date=2026-04-02&provider=某基地&title=政策法规&reason=&form_key=test-1",
        Roles(&[Trainee]),
    ),
    (
        "save_ce",
        "record_id=0&category=professional&mode=online&hours=12&date=2026-05-01&provider=某平台&title=专业科目&reason=&form_key=test-2",
        Roles(&[Trainee]),
    ),
    (
        "save_deal",
        "record_id=0&contract_name=某许可合同&contract_type=license&registration_no=&registration_date=&registration_authority=&sign_date=2026-02-20&contract_amount=100&tech_transaction_amount=&amount_received=&seller=甲方&buyer=乙方&role=lead&share=100&reason=&form_key=test-3",
        Roles(&[Trainee]),
    ),
    (
        "save_case",
        "record_id=0&title=案例&role=lead&date=2026-05-01&stages[0]=mining&narrative=短&personal_contribution=主导&linked_deals=&confidentiality=public&reason=&form_key=test-4",
        Roles(&[Trainee]),
    ),
    (
        "save_outcome",
        "record_id=0&event=company_formed&date=2026-05-01&description=孵化企业&amount=&reason=&form_key=test-5",
        Roles(&[Trainee]),
    ),
    (
        "save_contribution",
        "record_id=0&item=teaching&hours=6&date=2026-05-01&title=授课&reason=&form_key=test-6",
        Roles(&[Trainee]),
    ),
    // Someone else's (here: no) record is "not found", never withdrawn.
    ("withdraw_record", "record_id=999999", Roles(&[Trainee])),
    ("verification_queue", "", Roles(&[BaseAdmin])),
    ("case_queue", "", Roles(&[Instructor])),
    // No such case: "not found" for instructors, refused for everyone else.
    (
        "review_case",
        "record_id=999999&scores[complexity]=10&comment=",
        Roles(&[Instructor]),
    ),
    // No such record: "not found" for base admins, refused for everyone else.
    (
        "decide_record",
        "record_id=999999&decision=verify&reason=",
        Roles(&[BaseAdmin]),
    ),
    ("verify_records", "ids=999999", Roles(&[BaseAdmin])),
    (
        "base_overview",
        "cohort_code=&sort=&page=1",
        Roles(&[SysAdmin, ProgramAuthority, BaseAdmin]),
    ),
    ("import_page", "", Roles(&[BaseAdmin])),
    // No such import: "not found" for base admins, refused for everyone else.
    (
        "import_preview",
        "id=999999&show=&page=1",
        Roles(&[BaseAdmin]),
    ),
    (
        "commit_import",
        "id=999999&valid_only=on",
        Roles(&[BaseAdmin]),
    ),
    (
        "import_add_cohort",
        "id=999999&code=2027-X&name=x&level=junior&starts_on=2027-01-01&ends_on=2027-02-01",
        Roles(&[BaseAdmin]),
    ),
    ("replan_import", "id=999999", Roles(&[BaseAdmin])),
    // Identity corrections: the clerk asks from an import (here: no such import), the person
    // or a system admin answers (no such request), a system admin corrects (no such person).
    (
        "request_correction",
        "import_id=999999&row=2&to=admin&note=",
        Roles(&[BaseAdmin]),
    ),
    ("correction_requests", "", SignedIn),
    (
        "close_correction",
        "id=999999&decision=dismissed&answer=无误",
        SignedIn,
    ),
    (
        "correct_identity",
        "person_id=999999&name=张三&gender=&phone=&email=&employer=&reason=更正&request_id=0",
        Roles(&[SysAdmin]),
    ),
    (
        "record_attendance",
        "session_id=999999&present=1",
        Roles(&[BaseAdmin]),
    ),
    (
        "list_audit",
        "action=&entity_type=&actor=&page=1",
        Roles(&[SysAdmin, Auditor]),
    ),
    ("verify_audit_chain", "", Roles(&[SysAdmin, Auditor])),
    // The senior-title review: the candidate's page and steps (no such session or
    // application: "not found" for trainees), the unit's, the secretariat's and the chair's.
    ("title_home", "", Roles(&[Trainee])),
    (
        "apply_for_title",
        "session_id=999999&exception_request=",
        Roles(&[Trainee]),
    ),
    (
        "candidate_step",
        "id=999999&step=withdraw",
        Roles(&[Trainee]),
    ),
    ("unit_applications", "", Roles(&[UnitReviewer])),
    (
        "unit_decide",
        "id=999999&decision=return&reason=x&notice_from=",
        Roles(&[UnitReviewer]),
    ),
    ("review_sessions", "", Roles(&[Secretary, Chair])),
    (
        "create_review_session",
        "committee_id=COMMITTEE&code=S-CALLER&name=批次&applies_from=2026-01-01&applies_to=2026-01-31&scoring_from=2026-02-01&scoring_to=2026-02-28&meeting_on=2026-03-10&unit_notice_days=5&result_notice_days=5&min_reviewers=3&conflict_years=3&supplement_days=10",
        Roles(&[Secretary]),
    ),
    ("review_session", "id=999999", Roles(&[Secretary, Chair])),
    (
        "formal_decide",
        "id=999999&decision=receive&reason=",
        Roles(&[Secretary]),
    ),
    // Anyone signed in may ask; only the candidate, their unit and the committee's
    // secretariat and chair get an answer (here: nothing to find).
    ("application_dossier", "id=999999", SignedIn),
    (
        "session_staffing",
        "session_id=999999",
        Roles(&[Secretary, Chair]),
    ),
    (
        "staff_review",
        "id=999999&step=lock&panel_id=0",
        Roles(&[Secretary]),
    ),
    ("my_review_tasks", "", Roles(&[Reviewer])),
    (
        "declare_conflict",
        "id=999999&reason=亲属关系",
        Roles(&[Reviewer]),
    ),
    ("score_sheet", "id=999999", Roles(&[Reviewer])),
    (
        "submit_score",
        "id=999999&points[complexity]=10&recommendation=support&comment=",
        Roles(&[Reviewer]),
    ),
    (
        "session_scoring",
        "session_id=999999",
        Roles(&[Secretary, Chair]),
    ),
    (
        "run_scoring",
        "id=999999&step=complete&reviewer_id=0",
        Roles(&[Secretary]),
    ),
    (
        "schedule_defense",
        "id=999999&starts_at=2026-12-01T14:00&place=%E7%AC%AC%E4%B8%80%E4%BC%9A%E8%AE%AE%E5%AE%A4",
        Roles(&[Secretary]),
    ),
    (
        "submit_defense_score",
        "id=999999&score=80&comment=",
        Roles(&[Reviewer]),
    ),
    (
        "session_meeting",
        "session_id=999999",
        Roles(&[Secretary, Chair]),
    ),
    (
        "open_meeting",
        "session_id=999999",
        Roles(&[Secretary, Chair]),
    ),
    (
        "reschedule_session",
        "session_id=999999&applies_from=2026-01-01&applies_to=2026-01-31&scoring_from=2026-02-01&scoring_to=2026-02-28&meeting_on=2026-03-10&reason=改期",
        Roles(&[Secretary]),
    ),
    ("my_ballot", "", Roles(&[Reviewer, Chair])),
    (
        "cast_vote",
        "id=999999&ballot=%7B%7D",
        Roles(&[Reviewer, Chair]),
    ),
    ("certify_result", "id=999999", Roles(&[Chair])),
    // The ballot when it goes wrong: the secretariat's paper count and voiding.
    (
        "record_paper_ballot",
        "id=999999&yes=1&no=0&abstain=0",
        Roles(&[Secretary]),
    ),
    (
        "void_ballot",
        "session_id=999999&reason=密钥丢失",
        Roles(&[Secretary]),
    ),
    // The bulletin boards: members, the secretariat and the chair, auditors.
    (
        "ballot_board",
        "meeting_id=999999",
        Roles(&[Reviewer, Chair, Secretary, Auditor]),
    ),
    (
        "find_receipt",
        "meeting_id=999999&receipt=00",
        Roles(&[Reviewer, Chair, Secretary, Auditor]),
    ),
    (
        "my_ballot_boards",
        "",
        Roles(&[Reviewer, Chair, Secretary, Auditor]),
    ),
    (
        "meeting_record",
        "session_id=999999",
        Roles(&[Secretary, Chair]),
    ),
    // The result's public notice: anyone reads it, objects and verifies certificates.
    ("public_notices", "", Anyone),
    (
        "file_objection",
        "application_id=999999&name=王五&contact=13912345678&body=异议",
        Anyone,
    ),
    ("verify_certificate", "number=2026-SH-TT-0001", Anyone),
    (
        "session_notice",
        "session_id=999999",
        Roles(&[Secretary, Chair]),
    ),
    (
        "publish_results",
        "session_id=999999&notice_from=2026-01-05",
        Roles(&[Secretary]),
    ),
    (
        "resolve_objection",
        "id=999999&decision=dismiss&reason=不成立",
        Roles(&[Secretary]),
    ),
    ("reveal_objection_contact", "id=999999", Roles(&[Secretary])),
    (
        "appeal_decision",
        "id=999999&reason=理由",
        Roles(&[Trainee]),
    ),
    (
        "decide_appeal",
        "id=999999&decision=dismiss&reason=维持",
        Roles(&[Secretary]),
    ),
    ("confirm_queue", "", Roles(&[Hrss])),
    (
        "revoke_for_misconduct",
        "id=999999&reason=%E9%80%A0%E5%81%87",
        Roles(&[Secretary, Hrss]),
    ),
    ("confirm_result", "id=999999", Roles(&[Hrss])),
    ("sign_out", "", Anyone),
];

#[test]
fn every_server_function_allows_exactly_its_roles() {
    crate::common::run(async {
        let registered = crate::common::server_functions();
        let listed: BTreeSet<String> = MATRIX.iter().map(|(name, _, _)| name.to_string()).collect();
        assert_eq!(
            registered, listed,
            "every server function needs exactly one row in MATRIX"
        );

        let db = sqlite().await;
        let now = clock::now();
        org::add_base(&db, &actor(), "B-2", "另一基地", "", now)
            .await
            .unwrap();
        let base = org::add_base(&db, &actor(), "B-1", "基地", "", now)
            .await
            .unwrap();
        let committee = crate::common::committee(&db, "C-1", "评委会").await;
        let unit = crate::common::unit(&db, "某单位").await;
        let target = accounts::create_user(
            &db,
            &actor(),
            &accounts::NewAccount {
                username: "target".into(),
                name: "目标用户".into(),
                email: None,
                id_number: Some("11010519491231002X".into()),
                password: "password-1".into(),
                must_change_password: false,
                grants: Vec::new(),
            },
            now,
        )
        .await
        .unwrap();
        let grant =
            accounts::grant_role(&db, &actor(), target, Grant::global(Trainee).unwrap(), now)
                .await
                .unwrap();

        let settings = Settings::default();
        let mut callers: Vec<(Option<Role>, Option<String>)> = vec![(None, None)];
        for role in Role::ALL {
            let scope = match role.scope_kind() {
                ladder::domain::role::ScopeKind::Global => Scope::Global,
                ladder::domain::role::ScopeKind::Base => Scope::Base(base),
                ladder::domain::role::ScopeKind::Unit => Scope::Unit(unit),
                ladder::domain::role::ScopeKind::Committee => Scope::Committee(committee),
            };
            let username = format!("as.{}", role.code().replace('_', "-"));
            user_with(
                &db,
                &username,
                "password-1",
                &[Grant::new(role, scope).unwrap()],
            )
            .await;
            let s = signin::sign_in(
                &db,
                &crate::common::keys(),
                &settings,
                &username,
                "password-1",
                "127.0.0.1",
                now,
            )
            .await
            .unwrap();
            callers.push((Some(role), Some(format!("ladder_session={}", s.token))));
        }
        let app = app(db, settings);

        let mut failures = Vec::new();
        for (name, body, allowed) in MATRIX {
            let body = body
                .replace("TARGET", &target.to_string())
                .replace("GRANT", &grant.to_string())
                .replace("COMMITTEE", &committee.to_string());
            for (role, cookie) in &callers {
                let expect_allowed = match (allowed, role) {
                    (Anyone, _) => true,
                    (SignedIn, r) => r.is_some(),
                    (Roles(roles), Some(r)) => roles.contains(r),
                    (Roles(_), None) => false,
                };
                let status = send(
                    &app,
                    post(
                        &format!("/api/{name}"),
                        &body.replace("CALLER", &format!("{role:?}").to_lowercase()),
                        cookie.as_deref(),
                    ),
                )
                .await
                .status();
                let refused = status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN;
                let right_refusal = if role.is_none() {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::FORBIDDEN
                };
                // Allowed means the request got past authorization: it may still be invalid
                // (422), a duplicate (409) or about a missing row (404), but never refused,
                // rate-limited or failed.
                let ok = if expect_allowed {
                    !refused && status != StatusCode::TOO_MANY_REQUESTS && !status.is_server_error()
                } else {
                    status == right_refusal
                };
                if !ok {
                    failures.push(format!(
                        "{name} as {role:?}: {status} (expected {})",
                        if expect_allowed { "allowed" } else { "refused" }
                    ));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "authorization matrix mismatches:\n{}",
            failures.join("\n")
        );
    });
}
