//! After the ballot, on both engines: the secretariat publishes the passed candidate; anyone
//! objects on the public page (validated, rate-limited per address, contacts masked until an
//! audited reveal); objections are resolved with reasons — dismissed, the notice resumes;
//! upheld, the result is revoked —; the calendar ends the notice; the human-resources
//! authority confirms and a certificate number anyone can verify is issued. Appeals: once,
//! inside the period, decided by the secretariat.

use super::ballot::{awaiting_vote, sitting};
use super::*;
use crate::on_both_engines;
use ladder::db::{notice as notices, panels};
use ladder::domain::review::procedure::Actor as Step;
use ladder::server::review::meeting;
use ladder::server::review::notice::{self, ObjectionForm, Resolution};
use ladder::server::review::revocation;
use ladder::server::review::{appeals, certificates};

/// The whole committee present; 陈晓明 passes (every attending member votes yes), 林静 does
/// not (every one votes no); 赵强 was not accepted. Returns (session, 陈晓明, 林静, 赵强).
pub(super) async fn voted(db: &Db) -> (i64, i64, i64, i64) {
    let (session, chen, lin) = awaiting_vote(db).await;
    let now = clock::now();
    let (secretary, _) = user(db, "secretary").await;
    let members = sitting(db, session).await;
    meeting::open(
        db,
        &crate::common::keys(),
        &secretary,
        |_| true,
        session,
        &members,
        now,
    )
    .await
    .unwrap();
    for (id, choice) in [(chen, "yes"), (lin, "no")] {
        let recused: Vec<i64> = panels::conflicts(db, id)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.reviewer_id)
            .collect();
        for u in members.iter().filter(|u| !recused.contains(u)) {
            super::vote(db, *u, id, choice).await.unwrap();
        }
        super::certify(db, id).await.unwrap();
    }
    let zhao = store::applications_of_session(db, session).await.unwrap()[2].id;
    (session, chen, lin, zhao)
}

fn form<'a>(application: i64, name: &'a str, contact: &'a str, body: &'a str) -> ObjectionForm<'a> {
    ObjectionForm {
        application,
        name,
        contact,
        body,
    }
}

async fn count_objections(db: &Db, session: i64) -> usize {
    notices::of_session(db, session).await.unwrap().len()
}

async fn audited(db: &Db, action: &str) -> usize {
    let filter = ladder::db::audit::AuditFilter {
        action: action.into(),
        limit: 100,
        ..Default::default()
    };
    ladder::db::audit::list(db, &filter).await.unwrap().0.len()
}

async fn notice_objections_and_the_certificate(db: Db) {
    let (session, chen, lin, _) = voted(&db).await;
    let now = clock::now();
    let today = clock::china_date(now);
    let (secretary, _) = user(&db, "secretary").await;
    let ours = |_: i64| true;

    // Publishing: not from a future day, not from nothing; once.
    let tomorrow = today.succ_opt().unwrap().to_string();
    assert_eq!(
        notice::publish(&db, &secretary, ours, session, &tomorrow, now).await,
        Err(AppError::invalid("notice_from", Key::ErrFutureDate))
    );
    assert!(matches!(
        notice::publish(&db, &secretary, ours, session, "someday", now).await,
        Err(AppError::Validation(_))
    ));
    assert_eq!(
        notice::publish(&db, &secretary, |_| false, session, &today.to_string(), now).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        notice::publish(&db, &secretary, ours, session, &today.to_string(), now).await,
        Ok(1)
    );
    assert_eq!(state(&db, chen).await, State::ResultPublicNotice);
    assert_eq!(state(&db, lin).await, State::NotPassed);
    assert_eq!(
        notice::publish(&db, &secretary, ours, session, &today.to_string(), now).await,
        Err(AppError::Refused(Key::ErrNothingToPublish))
    );

    // The public page lists him with the period; not 林静.
    let groups = notice::public_notices(&db).await.unwrap();
    assert_eq!(groups.len(), 1);
    let items = &groups[0].items;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].name, "陈晓明");
    assert_eq!(items[0].notice_from, Some(today));
    assert!(items[0].notice_ends.unwrap() >= today);
    assert!(!items[0].under_review);

    // Bad objections are refused field by field and change nothing.
    let Err(AppError::Validation(errors)) =
        notice::file_objection(&db, "10.0.0.1", &form(chen, " ", "call me", ""), now).await
    else {
        panic!("a blank objection must be refused")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "contact", "body"]);
    assert_eq!(errors[1].key, Key::ErrContact);
    assert_eq!(count_objections(&db, session).await, 0);
    // Only results on notice take objections.
    assert_eq!(
        notice::file_objection(
            &db,
            "10.0.0.1",
            &form(lin, "王五", "13912345678", "异议"),
            now
        )
        .await,
        Err(AppError::NotFound)
    );
    assert_eq!(state(&db, chen).await, State::ResultPublicNotice);

    // The first objection suspends the notice; later ones join it. Five an hour per address.
    for n in 0..5 {
        notice::file_objection(
            &db,
            "10.0.0.1",
            &form(
                chen,
                "王五",
                "139-1234-5678",
                &format!("第{n}条：合同金额与登记不符"),
            ),
            now,
        )
        .await
        .unwrap();
        assert_eq!(state(&db, chen).await, State::ResultObjectionReview);
    }
    assert_eq!(
        notice::file_objection(
            &db,
            "10.0.0.1",
            &form(chen, "王五", "13912345678", "再一条"),
            now
        )
        .await,
        Err(AppError::Throttled {
            key: Key::ErrTooManyObjections,
            retry_after_secs: 3600
        })
    );
    assert_eq!(count_objections(&db, session).await, 5);
    let later = now + chrono::Duration::minutes(61);
    notice::file_objection(
        &db,
        "10.0.0.1",
        &form(chen, "王五", "13912345678", "一小时后"),
        later,
    )
    .await
    .unwrap();
    notice::file_objection(
        &db,
        "10.0.0.2",
        &form(chen, "赵六", "zl@example.cn", "另一地址"),
        now,
    )
    .await
    .unwrap();
    assert!(notice::public_notices(&db).await.unwrap()[0].items[0].under_review);

    // The secretariat sees contacts masked; revealing one is audited.
    let grants = [ladder::domain::role::Grant::new(
        ladder::domain::role::Role::Secretary,
        ladder::domain::role::Scope::Committee(
            store::application(&db, chen)
                .await
                .unwrap()
                .unwrap()
                .committee_id,
        ),
    )
    .unwrap()];
    let section = notice::section(&db, &grants, session, now).await.unwrap();
    assert_eq!(section.objections.len(), 7);
    assert_eq!(section.objections[0].contact, "139****5678");
    assert_eq!(section.objections[6].contact, "z***@example.cn");
    assert!(section.on_notice[0].under_review);
    let first = section.objections[0].id;
    assert_eq!(audited(&db, "objection.unmask_contact").await, 0);
    assert_eq!(
        notice::reveal_contact(&db, &secretary, ours, first, now).await,
        Ok("13912345678".to_string())
    );
    assert_eq!(audited(&db, "objection.unmask_contact").await, 1);
    assert_eq!(
        notice::reveal_contact(&db, &secretary, |_| false, first, now).await,
        Err(AppError::NotFound)
    );

    // Resolving needs a reason; each dismissal is recorded; the last one resumes the notice.
    let sec_id = secretary.user_id.unwrap();
    assert!(matches!(
        notice::resolve_objection(
            &db,
            &secretary,
            sec_id,
            ours,
            first,
            Resolution::Dismiss,
            " ",
            now
        )
        .await,
        Err(AppError::Validation(_))
    ));
    let ids: Vec<i64> = section.objections.iter().map(|o| o.id).collect();
    for (i, id) in ids.iter().enumerate() {
        notice::resolve_objection(
            &db,
            &secretary,
            sec_id,
            ours,
            *id,
            Resolution::Dismiss,
            "经核查，合同登记信息一致",
            now,
        )
        .await
        .unwrap();
        let expected = if i + 1 < ids.len() {
            State::ResultObjectionReview
        } else {
            State::ResultPublicNotice
        };
        assert_eq!(
            state(&db, chen).await,
            expected,
            "after dismissing {}",
            i + 1
        );
    }
    assert_eq!(
        notice::resolve_objection(
            &db,
            &secretary,
            sec_id,
            ours,
            first,
            Resolution::Uphold,
            "再议",
            now
        )
        .await,
        Err(AppError::Conflict(STATE.into()))
    );
    assert_eq!(audited(&db, "objection.dismissed").await, 7);

    // Nobody confirms a running notice; the calendar ends it, then the authority confirms.
    let (hrss, _) = user(&db, "hrss").await;
    let hrss_id = hrss.user_id.unwrap();
    assert_eq!(
        certificates::confirm(&db, &hrss, hrss_id, chen, now).await,
        Err(AppError::Conflict(STATE.into()))
    );
    let weeks_later = today + chrono::Days::new(21);
    assert!(
        review_clock::tick(&db, weeks_later, noon(weeks_later))
            .await
            .unwrap()
            >= 1
    );
    assert_eq!(state(&db, chen).await, State::HrssConfirmation);
    assert!(notice::public_notices(&db).await.unwrap().is_empty());
    let page = certificates::confirm_page(&db).await.unwrap();
    assert_eq!(page.waiting.len(), 1);
    assert_eq!(page.waiting[0].objections, 7);
    let number = certificates::confirm(&db, &hrss, hrss_id, chen, now)
        .await
        .unwrap();
    assert_eq!(number, format!("{}-0001", demo_review::SESSION_CODE));
    assert_eq!(state(&db, chen).await, State::Certified);
    assert_eq!(
        certificates::confirm(&db, &hrss, hrss_id, chen, now).await,
        Err(AppError::Conflict(STATE.into()))
    );
    assert_eq!(audited(&db, "certificate.issued").await, 1);

    // Anyone verifies the number, however it is typed; an unknown number finds nothing.
    let typed = format!(" {} ", number.to_lowercase());
    let c = certificates::verify_certificate(&db, &typed)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((c.name.as_str(), c.valid), ("陈晓明", true));
    assert_eq!(c.number, number);
    assert_eq!(
        certificates::verify_certificate(&db, "2026-SH-TT-9999").await,
        Ok(None)
    );
    assert_eq!(certificates::verify_certificate(&db, "").await, Ok(None));

    // Misconduct found after certification: another committee's secretariat does not find
    // the application, a revocation needs its reason, and the authority's revokes it; the
    // certificate then verifies as revoked and the candidate's history gives the reason.
    assert_eq!(
        revocation::revoke(
            &db,
            &secretary,
            Step::Secretariat,
            |_| false,
            chen,
            "造假",
            now
        )
        .await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        revocation::revoke(&db, &hrss, Step::Authority, |_| true, chen, "  ", now).await,
        Err(AppError::invalid("reason", Key::ErrRequired))
    );
    assert_eq!(
        revocation::revoke(
            &db,
            &hrss,
            Step::Authority,
            |_| true,
            chen,
            &"长".repeat(2001),
            now
        )
        .await,
        Err(AppError::invalid("reason", Key::ErrTooLong))
    );
    assert_eq!(state(&db, chen).await, State::Certified);
    revocation::revoke(
        &db,
        &hrss,
        Step::Authority,
        |_| true,
        chen,
        " 查实业绩材料系伪造 ",
        now,
    )
    .await
    .unwrap();
    assert_eq!(state(&db, chen).await, State::Revoked);
    let c = certificates::verify_certificate(&db, &number)
        .await
        .unwrap()
        .unwrap();
    assert!(!c.valid);
    assert_eq!(
        revocation::revoke(&db, &secretary, Step::Secretariat, ours, chen, "再次", now).await,
        Err(AppError::Conflict(STATE.into())),
        "a revoked result is final"
    );
    let last = store::events(&db, chen).await.unwrap().pop().unwrap();
    assert_eq!(
        (
            last.event.as_str(),
            last.actor.as_str(),
            last.reason.as_str()
        ),
        ("misconduct_found", "authority", "查实业绩材料系伪造")
    );
}

async fn an_upheld_objection_revokes_the_result(db: Db) {
    let (session, chen, _, _) = voted(&db).await;
    let now = clock::now();
    let (secretary, _) = user(&db, "secretary").await;
    let sec_id = secretary.user_id.unwrap();
    let today = clock::china_date(now).to_string();
    notice::publish(&db, &secretary, |_| true, session, &today, now)
        .await
        .unwrap();
    let a = notice::file_objection(
        &db,
        "10.0.0.1",
        &form(chen, "王五", "13912345678", "业绩造假"),
        now,
    )
    .await
    .unwrap();
    let b = notice::file_objection(
        &db,
        "10.0.0.2",
        &form(chen, "赵六", "zl@example.cn", "同上"),
        now,
    )
    .await
    .unwrap();
    // Another committee's secretariat cannot touch it.
    assert_eq!(
        notice::resolve_objection(
            &db,
            &secretary,
            sec_id,
            |_| false,
            a,
            Resolution::Uphold,
            "属实",
            now
        )
        .await,
        Err(AppError::NotFound)
    );
    notice::resolve_objection(
        &db,
        &secretary,
        sec_id,
        |_| true,
        a,
        Resolution::Uphold,
        "经核查属实",
        now,
    )
    .await
    .unwrap();
    assert_eq!(state(&db, chen).await, State::Revoked);
    let rows = notices::of_session(&db, session).await.unwrap();
    let outcome = |id: i64| rows.iter().find(|o| o.id == id).unwrap().outcome.clone();
    assert_eq!(outcome(a).as_deref(), Some("upheld"));
    assert_eq!(outcome(b).as_deref(), Some("superseded"));
    assert_eq!(
        notice::resolve_objection(
            &db,
            &secretary,
            sec_id,
            |_| true,
            b,
            Resolution::Dismiss,
            "不成立",
            now
        )
        .await,
        Err(AppError::Conflict(STATE.into()))
    );
    // A revoked result is off the notice, and no one can appeal it.
    assert!(notice::public_notices(&db).await.unwrap().is_empty());
}

async fn appeals_once_inside_the_period(db: Db) {
    let (_, _, lin, zhao) = voted(&db).await;
    let now = clock::now();
    let (secretary, _) = user(&db, "secretary").await;
    let (lin_who, lin_person) = user(&db, "candidate2").await;
    let (zhao_who, zhao_person) = user(&db, "candidate3").await;
    assert_eq!(state(&db, lin).await, State::NotPassed);
    assert_eq!(state(&db, zhao).await, State::NotAccepted);

    // Only the candidate appeals their own decision, with a reason.
    assert_eq!(
        appeals::appeal(&db, &zhao_who, zhao_person, lin, "理由", now).await,
        Err(AppError::NotFound)
    );
    assert!(matches!(
        appeals::appeal(&db, &lin_who, lin_person, lin, "  ", now).await,
        Err(AppError::Validation(_))
    ));
    // Past the period (30 days from the decision) the appeal is refused.
    let late = now + chrono::Duration::days(31);
    assert_eq!(
        appeals::appeal(&db, &zhao_who, zhao_person, zhao, "年限计算有误", late).await,
        Err(AppError::Refused(Key::ErrAppealClosed))
    );
    assert_eq!(state(&db, zhao).await, State::NotAccepted);

    appeals::appeal(&db, &lin_who, lin_person, lin, "答辩材料未被充分审阅", now)
        .await
        .unwrap();
    assert_eq!(
        state(&db, lin).await,
        State::AppealReview(ladder::domain::review::procedure::Appealed::NotPassed)
    );
    appeals::decide_appeal(
        &db,
        &secretary,
        |_| true,
        lin,
        false,
        "评审程序合规，维持原决定",
        now,
    )
    .await
    .unwrap();
    assert_eq!(state(&db, lin).await, State::NotPassed);
    assert_eq!(
        appeals::appeal(&db, &lin_who, lin_person, lin, "再次申请", now).await,
        Err(AppError::Refused(Key::ErrAppealOnce))
    );

    // Upheld, a candidate not accepted goes back to the formal check.
    appeals::appeal(
        &db,
        &zhao_who,
        zhao_person,
        zhao,
        "中级职称取得时间计算有误",
        now,
    )
    .await
    .unwrap();
    assert_eq!(
        appeals::decide_appeal(&db, &secretary, |_| false, zhao, true, "属实", now).await,
        Err(AppError::NotFound)
    );
    appeals::decide_appeal(
        &db,
        &secretary,
        |_| true,
        zhao,
        true,
        "经核实，年限计算有误",
        now,
    )
    .await
    .unwrap();
    assert_eq!(state(&db, zhao).await, State::FormalCheck);
}

/// Objections at the same moment: two first ones both count (the second joins the review
/// the first opened), and a burst from one address stops exactly at the hourly limit.
async fn objections_at_the_same_moment(db: Db) {
    let (session, chen, _, _) = voted(&db).await;
    let now = clock::now();
    let (secretary, _) = user(&db, "secretary").await;
    let today = clock::china_date(now).to_string();
    notice::publish(&db, &secretary, |_| true, session, &today, now)
        .await
        .unwrap();
    let (first, second) = (
        form(chen, "王五", "13912345678", "甲"),
        form(chen, "赵六", "zl@example.cn", "乙"),
    );
    let (a, b) = tokio::join!(
        notice::file_objection(&db, "10.0.0.1", &first, now),
        notice::file_objection(&db, "10.0.0.2", &second, now),
    );
    assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
    assert_eq!(state(&db, chen).await, State::ResultObjectionReview);

    let burst = (0..7).map(|n| {
        let db = db.clone();
        async move {
            let body = format!("第{n}条");
            notice::file_objection(
                &db,
                "10.0.0.9",
                &form(chen, "孙七", "13812345678", &body),
                now,
            )
            .await
        }
    });
    let results = futures::future::join_all(burst).await;
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        5,
        "{results:?}"
    );
    assert!(
        results.iter().filter(|r| r.is_err()).all(|r| *r
            == Err(AppError::Throttled {
                key: Key::ErrTooManyObjections,
                retry_after_secs: 3600
            })),
        "{results:?}"
    );
    assert_eq!(count_objections(&db, session).await, 7);
}

on_both_engines!(
    objections_at_the_same_moment,
    notice_objections_and_the_certificate,
    an_upheld_objection_revokes_the_result,
    appeals_once_inside_the_period
);
