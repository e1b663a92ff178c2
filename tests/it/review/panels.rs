//! Sub-panels, conflicts and reviewers: conflicts are found (a reviewer who works for the
//! buyer of a candidate's contract), reviewers assigned with loads within one, a declared
//! conflict takes the reviewer off, the recusals lock only with enough reviewers.

use super::*;
use crate::on_both_engines;
use ladder::db::panels;
use ladder::i18n::Lang;
use ladder::server::review::panels as staffing;
use ladder::server::review::views;

async fn conflicts_assignment_and_the_lock(db: Db) {
    let session = demo_session(&db).await;
    let now = clock::now();
    let (secretary, _) = user(&db, "secretary").await;
    let ours = |_: i64| true;
    let ids: Vec<i64> = store::applications_of_session(&db, session)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    let (chen, lin) = (ids[0], ids[1]);
    for id in [chen, lin] {
        apps::formal_decide(&db, &secretary, ours, id, FormalDecision::Receive, "", now)
            .await
            .unwrap();
        apps::formal_decide(&db, &secretary, ours, id, FormalDecision::Accept, "", now)
            .await
            .unwrap();
    }
    // Nobody is assigned before every accepted application has its panel.
    let err = staffing::assign_reviewers(&db, &secretary, ours, session, now)
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Refused(Key::ErrNoPanel));
    let committee = store::application(&db, chen)
        .await
        .unwrap()
        .unwrap()
        .committee_id;
    let p1 = panels::panels(&db, committee).await.unwrap()[0].id;
    for id in [chen, lin] {
        staffing::set_panel(&db, &secretary, ours, id, p1, now)
            .await
            .unwrap();
    }
    assert_eq!(
        staffing::set_panel(&db, &secretary, ours, chen, 999_999, now)
            .await
            .unwrap_err(),
        AppError::invalid("panel_id", Key::ErrChoose)
    );
    let assigned = staffing::assign_reviewers(&db, &secretary, ours, session, now)
        .await
        .unwrap();
    assert_eq!(assigned, 2);
    let (r04, r04_person) = user(&db, "reviewer04").await;
    let r04 = r04.user_id.unwrap();
    let chen_conflicts = panels::conflicts(&db, chen).await.unwrap();
    assert_eq!(chen_conflicts.len(), 1, "{chen_conflicts:?}");
    assert_eq!(chen_conflicts[0].reviewer_id, r04);
    assert_eq!(chen_conflicts[0].kind, "counterparty");
    assert!(chen_conflicts[0].detail.contains("上海微技术工业研究院"));
    assert!(panels::conflicts(&db, lin).await.unwrap().is_empty());
    let chen_reviewers = panels::assigned(&db, chen).await.unwrap();
    assert_eq!(chen_reviewers.len(), 3);
    assert!(chen_reviewers.iter().all(|(u, _)| *u != r04));
    // Six assignments over the panel's five reviewers: loads 2, 1, 1, 1, 1.
    let mut loads = std::collections::BTreeMap::new();
    for id in [chen, lin] {
        for (u, _) in panels::assigned(&db, id).await.unwrap() {
            *loads.entry(u).or_insert(0) += 1;
        }
    }
    assert_eq!(loads.len(), 5);
    assert!(loads.values().max().unwrap() - loads.values().min().unwrap() <= 1);
    // Assigning again changes nothing.
    staffing::assign_reviewers(&db, &secretary, ours, session, now)
        .await
        .unwrap();
    assert_eq!(panels::assigned(&db, chen).await.unwrap(), chen_reviewers);

    // A reviewer declares a conflict with 林静: they leave, and the lock needs a third again.
    let (first, _) = panels::assigned(&db, lin).await.unwrap()[0].clone();
    let reviewer = Actor {
        user_id: Some(first),
        label: "reviewer".into(),
    };
    assert!(matches!(
        staffing::declare_conflict(&db, &reviewer, first, lin, " ", now).await,
        Err(AppError::Validation(_))
    ));
    assert_eq!(
        staffing::declare_conflict(&db, &reviewer, r04, chen, "亲属", now)
            .await
            .unwrap_err(),
        AppError::NotFound,
        "only an assigned reviewer declares"
    );
    staffing::declare_conflict(&db, &reviewer, first, lin, "曾与申报人合作发表论文", now)
        .await
        .unwrap();
    assert_eq!(panels::assigned(&db, lin).await.unwrap().len(), 2);
    assert_eq!(
        staffing::lock_recusals(&db, &secretary, ours, lin, now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrTooFewReviewers)
    );
    staffing::assign_reviewers(&db, &secretary, ours, session, now)
        .await
        .unwrap();
    let refilled = panels::assigned(&db, lin).await.unwrap();
    assert_eq!(refilled.len(), 3);
    assert!(
        refilled.iter().all(|(u, _)| *u != first),
        "the declared reviewer stays off"
    );
    // Before the lock, not even an assigned reviewer opens the dossier.
    let (reader, _) = panels::assigned(&db, chen).await.unwrap()[0].clone();
    let reader_person = ladder::db::people::user_by_id(&db, reader)
        .await
        .unwrap()
        .unwrap()
        .person_id;
    let reviewer_grants = [ladder::domain::role::Grant::new(
        ladder::domain::role::Role::Reviewer,
        ladder::domain::role::Scope::Committee(committee),
    )
    .unwrap()];
    let open_as = |person: i64, user: i64| {
        views::dossier(&db, (person, user), &reviewer_grants, chen, Lang::Zh, now)
    };
    assert_eq!(
        open_as(reader_person, reader).await.unwrap_err(),
        AppError::NotFound
    );
    for id in [chen, lin] {
        staffing::lock_recusals(&db, &secretary, ours, id, now)
            .await
            .unwrap();
        assert_eq!(state(&db, id).await, State::ExpertReview);
    }
    // After it, the assigned reviewer reads it; the conflicted one never does.
    assert_eq!(
        open_as(reader_person, reader).await.unwrap().application.id,
        chen
    );
    assert_eq!(
        open_as(r04_person, r04).await.unwrap_err(),
        AppError::NotFound
    );
    // After the lock, a panel no longer changes.
    assert_eq!(
        staffing::set_panel(&db, &secretary, ours, chen, p1, now)
            .await
            .unwrap_err(),
        AppError::Conflict(STATE.into())
    );
}

/// Every kind of conflict through the path the review takes — what the database holds read by
/// `panels::party`, then `detect` — not only the pure function: the reviewer is the candidate;
/// left the candidate's employer two years ago; co-manages the candidate's unregistered
/// contract (each claim its own deal row); left the contract's seller two years ago; scored
/// the candidate's practical case. A reviewer with none of these has no conflict.
async fn every_conflict_kind_is_found_from_what_is_stored(db: Db) {
    use ladder::domain::review::conflicts::{Conflict, detect};
    use ladder::domain::role::Role;
    use ladder::server::profile::{EmployerInput, add_employer};
    use ladder::server::records::{self, CaseInput, DealInput, Input};
    demo_session(&db).await;
    let now = clock::now();
    let today = clock::china_date(now);
    let a = crate::common::actor();
    let years_ago = |y: i64| (today - chrono::Duration::days(365 * y)).to_string();
    let mut people = Vec::new();
    for login in [
        "c.cand",
        "c.former",
        "c.comanager",
        "c.seller",
        "c.instructor",
        "c.none",
    ] {
        let user = crate::common::global_user(&db, login, Role::Trainee).await;
        people.push((user, crate::common::person_of(&db, user).await));
    }
    let [cand, former, comanager, seller, instructor, none] = people[..] else {
        unreachable!()
    };
    let job = |unit: &str, from: String, to: String| EmployerInput {
        unit_name: unit.into(),
        position: String::new(),
        from_on: from,
        to_on: to,
    };
    add_employer(
        &db,
        &a,
        cand.1,
        &job("上海某研究院", years_ago(6), String::new()),
        now,
    )
    .await
    .unwrap();
    add_employer(
        &db,
        &a,
        former.1,
        &job("上海某研究院", years_ago(8), years_ago(2)),
        now,
    )
    .await
    .unwrap();
    add_employer(
        &db,
        &a,
        seller.1,
        &job("同济大学", years_ago(9), years_ago(2)),
        now,
    )
    .await
    .unwrap();
    add_employer(
        &db,
        &a,
        none.1,
        &job("某无关单位", years_ago(9), years_ago(5)),
        now,
    )
    .await
    .unwrap();
    let deal = |name: &str| {
        Input::Deal(DealInput {
            contract_name: name.into(),
            contract_type: "license".into(),
            registration_no: String::new(),
            registration_date: String::new(),
            registration_authority: String::new(),
            sign_date: years_ago(1),
            contract_amount: "120".into(),
            tech_transaction_amount: String::new(),
            amount_received: String::new(),
            seller: "同济大学".into(),
            buyer: "上海某新材料科技有限公司".into(),
            role: "lead".into(),
            share: "50".into(),
            dispute: false,
        })
    };
    let mine = records::add(&db, &a, cand.1, &deal("固态电解质制备技术许可"), now)
        .await
        .unwrap();
    let theirs = records::add(&db, &a, comanager.1, &deal("固态电解质 制备技术许可"), now)
        .await
        .unwrap();
    let deal_of = async |id: i64| {
        ladder::db::records::by_id(&db, id)
            .await
            .unwrap()
            .unwrap()
            .deal_id
    };
    assert_ne!(
        deal_of(mine).await,
        deal_of(theirs).await,
        "two rows for one contract"
    );
    let case = records::add(
        &db,
        &a,
        cand.1,
        &Input::Case(CaseInput {
            title: "专利许可案例".into(),
            role: "lead".into(),
            date: years_ago(1),
            stages: vec!["mining".into()],
            narrative: "某高校一项电池材料专利从挖掘、评估、定价到许可谈判的全过程，本人负责梳理专利组合、组织评估并主导谈判。".into(),
            personal_contribution: "主导谈判".into(),
            linked_deals: String::new(),
            confidentiality: "public".into(),
            practicum: false,
        }),
        now,
    )
    .await
    .unwrap();
    let mut tx = db.begin_write().await.unwrap();
    ladder::db::records::put_case_review(&mut tx, case, instructor.0, "{}", "", now)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let party =
        async |(user, person): (i64, i64)| staffing::party(&db, person, Some(user)).await.unwrap();
    let candidate = party(cand).await;
    let kinds =
        |found: Vec<Conflict>| -> Vec<&'static str> { found.iter().map(Conflict::code).collect() };
    for (reviewer, want) in [
        // Themself: also their own employer and contract.
        (cand, vec!["self", "same_employer", "co_manager"]),
        (former, vec!["same_employer"]),
        (comanager, vec!["co_manager"]),
        (seller, vec!["counterparty"]),
        (instructor, vec!["shared_case"]),
        (none, vec![]),
    ] {
        let found = detect(&candidate, &party(reviewer).await, today, 3);
        assert_eq!(kinds(found.clone()), want, "{reviewer:?}: {found:?}");
    }
}

on_both_engines!(
    conflicts_assignment_and_the_lock,
    every_conflict_kind_is_found_from_what_is_stored,
);
