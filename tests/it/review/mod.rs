//! The senior-title review on both engines: sessions, applications with frozen dossiers, the
//! unit's approval and notice counted in working days, the secretariat's formal check, every
//! step refused when the state, the actor or a guard does not allow it, and two clerks taking
//! the same step at once.

mod attack;
mod ballot;
mod defense;
mod formal;
mod instances;
mod notice;
mod panels;
mod record;
mod schedule;
mod scoring;
mod unit;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ladder::api::{AppError, STATE};
use ladder::db::Db;
use ladder::db::audit::Actor;
use ladder::db::review as store;
use ladder::domain::review::procedure::State;
use ladder::i18n::Key;
use ladder::server::review::applications::{self as apps, FormalDecision, UnitDecision};
use ladder::server::review::sessions::{SessionInput, create};
use ladder::server::review::{clock as review_clock, dossier};
use ladder::server::{clock, demo, demo_review};

/// A signed-in user as the audit log names them.
pub(super) fn as_user(id: i64) -> Actor {
    Actor {
        user_id: Some(id),
        label: format!("user {id}"),
    }
}

/// What a member's browser does: encrypts `choice` under the candidate's meeting key with the
/// member's tag (the test reads both from the database, as the vote page shows them).
pub(crate) async fn ballot_for(db: &Db, user: i64, application: i64, choice: &str) -> String {
    use ladder::db::ballot as ballots;
    let tally = ballots::tally(db, application).await.unwrap().unwrap();
    let key = ballots::public_key(db, tally.meeting_id)
        .await
        .unwrap()
        .expect("the meeting has a key");
    let key = ladder_ballot::MeetingKey::from_text(&key).unwrap();
    let tag = ballots::voter_tag(db, tally.meeting_id, user)
        .await
        .unwrap()
        .unwrap_or_else(|| "not-a-member".into());
    let choice = ladder_ballot::Choice::parse(choice).expect("yes, no or abstain");
    ladder_ballot::cast(
        &ladder_ballot::Context {
            meeting: tally.meeting_id,
            candidate: application,
            voter: &tag,
            key: &key,
        },
        choice,
        &mut rand_core::OsRng,
    )
    .wire
}

/// A member votes through `through` (possibly another instance) as their browser would.
pub(super) async fn vote_on(
    db: &Db,
    through: &Db,
    user: i64,
    application: i64,
    choice: &str,
) -> Result<String, AppError> {
    let wire = ballot_for(db, user, application, choice).await;
    ladder::server::review::meeting::vote(
        through,
        &crate::common::keys(),
        &as_user(user),
        user,
        &[],
        application,
        &wire,
        clock::now(),
    )
    .await
}

/// A member votes as their browser would.
pub(super) async fn vote(
    db: &Db,
    user: i64,
    application: i64,
    choice: &str,
) -> Result<String, AppError> {
    vote_on(db, db, user, application, choice).await
}

/// The chair certifies (and so counts) a candidate's ballot.
pub(super) async fn certify(
    db: &Db,
    application: i64,
) -> Result<ladder::domain::review::ballot::Verdict, AppError> {
    let (chair, _) = user(db, "chair").await;
    ladder::server::review::meeting::certify(
        db,
        &crate::common::keys(),
        &chair,
        |_| true,
        application,
        clock::now(),
    )
    .await
}

/// The fields a validation error names, in order.
pub(super) fn fields(e: AppError) -> Vec<String> {
    crate::common::fields(e)
        .into_iter()
        .map(|(f, _)| f)
        .collect()
}

/// Noon in Shanghai on `d`.
pub(super) fn noon(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(4, 0, 0).unwrap())
}

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) async fn demo_session(db: &Db) -> i64 {
    assert!(demo::load(db, clock::now()).await.unwrap());
    store::sessions(db)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.code == demo_review::SESSION_CODE)
        .expect("the demo session")
        .id
}

/// The secretariat moves `session`'s dates with a reason (the explicit, audited change a
/// session's schedule needs): `f` edits them, given today in China.
pub(crate) async fn reschedule(
    db: &Db,
    session: i64,
    f: impl FnOnce(&mut ladder::domain::review::schedule::Schedule, NaiveDate),
    reason: &str,
) {
    use ladder::server::review::sessions::reschedule as move_dates;
    let now = clock::now();
    let mut s = store::session(db, session)
        .await
        .unwrap()
        .unwrap()
        .schedule();
    f(&mut s, clock::china_date(now));
    let (secretary, _) = user(db, "secretary").await;
    move_dates(
        db,
        &secretary,
        |_| true,
        session,
        &schedule_input(&s, reason),
        now,
    )
    .await
    .unwrap();
}

/// The schedule form's fields for `s`, with `reason`.
pub(crate) fn schedule_input(
    s: &ladder::domain::review::schedule::Schedule,
    reason: &str,
) -> ladder::server::review::sessions::ScheduleInput {
    ladder::server::review::sessions::ScheduleInput {
        applies_from: s.applies_from.to_string(),
        applies_to: s.applies_to.to_string(),
        scoring_from: s.scoring_from.to_string(),
        scoring_to: s.scoring_to.to_string(),
        meeting_on: s.meeting_on.to_string(),
        reason: reason.into(),
    }
}

/// Scoring from today (for three weeks), the window closed yesterday.
pub(crate) async fn scoring_from_today(db: &Db, session: i64) {
    reschedule(
        db,
        session,
        |s, today| {
            let day = chrono::Duration::days(1);
            s.applies_from = s.applies_from.min(today - day);
            s.applies_to = today - day;
            s.scoring_from = today;
            s.scoring_to = today + day * 20;
            s.meeting_on = today + day * 27;
        },
        "申报已全部受理，评审提前开始",
    )
    .await;
}

/// The meeting today: the reviews are done, the committee meets early.
pub(crate) async fn meeting_today(db: &Db, session: i64) {
    reschedule(
        db,
        session,
        |s, today| {
            s.scoring_to = today;
            s.meeting_on = today;
        },
        "专家评审已结束，评审会议提前召开",
    )
    .await;
}

pub(super) async fn state(db: &Db, id: i64) -> State {
    State::parse(&store::application(db, id).await.unwrap().unwrap().state).unwrap()
}

pub(super) async fn user(db: &Db, login: &str) -> (Actor, i64) {
    let u = ladder::db::people::user_by_login(db, login)
        .await
        .unwrap()
        .unwrap();
    (
        Actor {
            user_id: Some(u.id),
            label: u.username,
        },
        u.person_id,
    )
}

pub(super) fn session_input(
    committee: i64,
    code: &str,
    applies: (NaiveDate, NaiveDate),
) -> SessionInput {
    SessionInput {
        committee_id: committee,
        code: code.into(),
        name: format!("批次 {code}"),
        applies_from: applies.0.to_string(),
        applies_to: applies.1.to_string(),
        scoring_from: (applies.1 + chrono::Duration::days(1)).to_string(),
        scoring_to: (applies.1 + chrono::Duration::days(20)).to_string(),
        meeting_on: (applies.1 + chrono::Duration::days(30)).to_string(),
        unit_notice_days: "5".into(),
        result_notice_days: "5".into(),
        min_reviewers: "3".into(),
        conflict_years: "3".into(),
        supplement_days: "10".into(),
        defense: false,
    }
}

/// For the scope matrix (`tests/it/scope.rs`): the demo session voted and certified (陈晓明
/// passed, 林静 did not), the result published, an objection to 陈晓明 and 林静's appeal on
/// file. Returns (session, 陈晓明, 林静).
pub(crate) async fn published_with_objection_and_appeal(db: &Db) -> (i64, i64, i64) {
    use ladder::server::review::{appeals, notice as published};
    let (session, chen, lin, _) = notice::voted(db).await;
    let now = clock::now();
    let (secretary, _) = user(db, "secretary").await;
    let today = clock::china_date(now).to_string();
    published::publish(db, &secretary, |_| true, session, &today, now)
        .await
        .unwrap();
    let form = published::ObjectionForm {
        application: chen,
        name: "王五",
        contact: "13912345678",
        body: "申报材料中的合同金额与登记不符。",
    };
    published::file_objection(db, "10.0.0.9", &form, now)
        .await
        .unwrap();
    let (candidate, person) = user(db, "candidate2").await;
    appeals::appeal(db, &candidate, person, lin, "评审未考虑补充材料。", now)
        .await
        .unwrap();
    (session, chen, lin)
}

/// For the scope matrix: 陈晓明's ballot open with the whole committee present. Returns
/// (陈晓明, the members recused from him).
pub(crate) async fn voting_on_chen(db: &Db) -> (i64, Vec<i64>) {
    let (session, chen, _) = ballot::awaiting_vote(db).await;
    let voters = ballot::open_with_all(db, db, session, chen).await;
    let recused = ballot::sitting(db, session)
        .await
        .into_iter()
        .filter(|u| !voters.contains(u))
        .collect();
    (chen, recused)
}
