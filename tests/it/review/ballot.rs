//! The committee's meeting and secret ballot on both engines: the meeting opens only when the
//! reviews are done, the committee is properly composed and quorate; each present member who
//! is not recused votes once per candidate; the secretariat never votes; the chair certifies
//! once everyone attending has voted, and the two-thirds rule decides with the boundary
//! included. No table links a member to a choice.

use super::*;
use crate::on_both_engines;
use ladder::db::{ballot as ballots, panels};
use ladder::domain::review::ballot::Verdict;
use ladder::domain::role::{Grant, Role, Scope};
use ladder::on_db;
use ladder::server::review::meeting;
use ladder::server::review::scoring::{self, SheetInput};

pub(super) fn sheet() -> SheetInput {
    SheetInput {
        points: [
            ("complexity", "16"),
            ("outcome", "20"),
            ("personal_contribution", "20"),
            ("professional_method", "15"),
            ("reflection", "8"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        recommendation: "support".into(),
        comment: String::new(),
    }
}

/// 陈晓明 and 林静 through the expert review (three sheets each), awaiting the vote; 赵强 not
/// accepted. Returns (session, 陈晓明, 林静).
pub(super) async fn awaiting_vote(db: &Db) -> (i64, i64, i64) {
    let (chen, lin, _) = super::scoring::in_expert_review(db).await;
    let now = clock::now();
    let (secretary, _) = user(db, "secretary").await;
    let ours = |_: i64| true;
    let session = store::application(db, chen)
        .await
        .unwrap()
        .unwrap()
        .session_id;
    let zhao = store::applications_of_session(db, session).await.unwrap()[2].id;
    // 赵强 is not eligible: turned down at the formal check, he is not voted on.
    apps::formal_decide(db, &secretary, ours, zhao, FormalDecision::Receive, "", now)
        .await
        .unwrap();
    apps::formal_decide(
        db,
        &secretary,
        ours,
        zhao,
        FormalDecision::Reject,
        "任职年限不足",
        now,
    )
    .await
    .unwrap();
    // The meeting waits for every review to end (the sheets and the defense).
    for (id, defense) in [(chen, "80"), (lin, "55")] {
        for (r, _) in panels::assigned(db, id).await.unwrap() {
            scoring::submit(db, &as_user(r), r, id, &sheet(), now)
                .await
                .unwrap();
        }
        super::defense::defended(db, id, defense).await;
    }
    scoring::complete(db, &secretary, ours, chen, now)
        .await
        .unwrap();
    assert_eq!(
        meeting::open(db, &secretary, ours, session, &[], now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrReviewsUnfinished)
    );
    scoring::complete(db, &secretary, ours, lin, now)
        .await
        .unwrap();
    (session, chen, lin)
}

/// The committee's members who sit (user ids), the chair first.
pub(super) async fn sitting(db: &Db, session: i64) -> Vec<i64> {
    let s = store::session(db, session).await.unwrap().unwrap();
    let (_, seats, problems) = meeting::seats(db, &s, ladder::server::clock::today())
        .await
        .unwrap();
    assert_eq!(problems, vec![], "the demo committee is properly composed");
    seats.into_iter().map(|m| m.user_id).collect()
}

/// Opens the session's meeting (through `through`, which may be another instance) with every
/// sitting member present; returns the members who may vote on `application` (not recused).
pub(super) async fn open_with_all(
    db: &Db,
    through: &Db,
    session: i64,
    application: i64,
) -> Vec<i64> {
    let (secretary, _) = user(db, "secretary").await;
    let members = sitting(db, session).await;
    meeting::open(
        through,
        &secretary,
        |_| true,
        session,
        &members,
        clock::now(),
    )
    .await
    .unwrap();
    let recused: Vec<i64> = panels::conflicts(db, application)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.reviewer_id)
        .collect();
    members
        .into_iter()
        .filter(|u| !recused.contains(u))
        .collect()
}

async fn the_meeting_and_the_secret_ballot(db: Db) {
    let (session, chen, lin) = awaiting_vote(&db).await;
    let now = clock::now();
    let (secretary, _) = user(&db, "secretary").await;
    let ours = |_: i64| true;
    let members = sitting(&db, session).await;
    assert_eq!(members.len(), 13, "chair and twelve reviewers");

    // Eight of thirteen present is no quorum (24 < 26): nothing is written.
    assert_eq!(
        meeting::open(&db, &secretary, ours, session, &members[..8], now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrNoQuorum)
    );
    assert!(ballots::meetings(&db, session).await.unwrap().is_empty());
    assert_eq!(state(&db, chen).await, State::AwaitingVote);
    // Someone who does not sit cannot be marked present.
    let (outsider, _) = user(&db, "candidate3").await;
    let mut with_outsider = members.clone();
    with_outsider.push(outsider.user_id.unwrap());
    assert!(matches!(
        meeting::open(&db, &secretary, ours, session, &with_outsider, now).await,
        Err(AppError::Validation(_))
    ));

    // Twelve present (the last member absent): the meeting opens and the vote begins.
    let absent = *members.last().unwrap();
    let present: Vec<i64> = members[..12].to_vec();
    meeting::open(&db, &secretary, ours, session, &present, now)
        .await
        .unwrap();
    assert_eq!(state(&db, chen).await, State::Voting);
    assert_eq!(state(&db, lin).await, State::Voting);
    // The whole committee is checked at the meeting: besides 刘霞 (P1, found at assignment),
    // 胡秀英 of P2 also works for the licensee of 陈晓明's contract. Both are recused from him.
    let (r04, _) = user(&db, "reviewer04").await;
    let r04 = r04.user_id.unwrap();
    assert!(present.contains(&r04));
    let chen_tally = ballots::tally(&db, chen).await.unwrap().unwrap();
    let conflicted: Vec<(i64, String, String)> = panels::conflicts(&db, chen)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.reviewer_id, c.reviewer_name, c.kind))
        .collect();
    let names: Vec<&str> = conflicted.iter().map(|(_, n, _)| n.as_str()).collect();
    assert_eq!(names, ["刘霞", "胡秀英"], "{conflicted:?}");
    assert!(conflicted.iter().all(|(_, _, k)| k == "counterparty"));
    let recused: Vec<i64> = conflicted.iter().map(|(u, _, _)| *u).collect();
    let voters: Vec<i64> = present
        .iter()
        .copied()
        .filter(|u| !recused.contains(u))
        .collect();
    assert_eq!(chen_tally.attending as usize, voters.len());
    assert_eq!(voters.len(), 10);

    // Who may not vote: the secretariat, an absent member, a recused member.
    let secretary_grants = [Grant::new(
        Role::Secretary,
        Scope::Committee(
            store::application(&db, chen)
                .await
                .unwrap()
                .unwrap()
                .committee_id,
        ),
    )
    .unwrap()];
    let sec_id = secretary.user_id.unwrap();
    assert_eq!(
        meeting::vote(&db, &secretary, sec_id, &secretary_grants, chen, "yes", now)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        meeting::vote(&db, &as_user(absent), absent, &[], chen, "yes", now)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    assert_eq!(
        meeting::vote(&db, &as_user(r04), r04, &[], chen, "yes", now)
            .await
            .unwrap_err(),
        AppError::Refused(Key::ErrRecused)
    );
    assert!(matches!(
        meeting::vote(
            &db,
            &as_user(present[0]),
            present[0],
            &[],
            chen,
            "maybe",
            now
        )
        .await,
        Err(AppError::Validation(_))
    ));

    // 陈晓明: 7 yes, 2 no, 1 abstain of 10 attending — 21 ≥ 20, exactly enough.
    let choices = [
        "yes", "yes", "yes", "yes", "yes", "yes", "yes", "no", "no", "abstain",
    ];
    for (i, (u, c)) in voters.iter().zip(choices).enumerate() {
        meeting::vote(&db, &as_user(*u), *u, &[], chen, c, now)
            .await
            .unwrap();
        if i == 0 {
            assert_eq!(
                meeting::vote(&db, &as_user(*u), *u, &[], chen, "no", now)
                    .await
                    .unwrap_err(),
                AppError::Refused(Key::ErrAlreadyVoted)
            );
        }
        if i == 8 {
            // One attending member still to vote: the chair cannot certify yet.
            assert_eq!(
                meeting::certify(&db, &secretary, ours, chen, now)
                    .await
                    .unwrap_err(),
                AppError::Refused(Key::ErrVotingIncomplete)
            );
        }
    }
    let t = ballots::tally(&db, chen).await.unwrap().unwrap();
    assert_eq!((t.yes, t.no, t.abstain), (7, 2, 1));
    assert_ne!(
        t.digest, chen_tally.digest,
        "every ballot extends the digest"
    );
    assert_eq!(ballots::voted(&db, t.meeting_id, chen).await.unwrap(), 10);

    // 林静: nobody present is recused; 7 yes of 12 is 21 < 24.
    let lin_tally = ballots::tally(&db, lin).await.unwrap().unwrap();
    assert_eq!(lin_tally.attending, 12);
    let lin_choices = ["yes"; 7].into_iter().chain(["no"; 4]).chain(["abstain"]);
    for (u, c) in present.iter().zip(lin_choices) {
        meeting::vote(&db, &as_user(*u), *u, &[], lin, c, now)
            .await
            .unwrap();
    }

    // The chair certifies: 陈晓明 passes, 林静 does not.
    let (chair, _) = user(&db, "chair").await;
    assert_eq!(
        meeting::certify(&db, &chair, ours, chen, now).await,
        Ok(Verdict::Passed)
    );
    assert_eq!(
        meeting::certify(&db, &chair, ours, lin, now).await,
        Ok(Verdict::Failed)
    );
    assert_eq!(state(&db, chen).await, State::PassedPendingNotice);
    assert_eq!(state(&db, lin).await, State::NotPassed);
    assert_eq!(
        meeting::vote(&db, &as_user(absent), absent, &[], chen, "no", now)
            .await
            .unwrap_err(),
        AppError::NotFound
    );

    // The audit log: each vote says only that the member voted; the certified tally and its
    // digest are in the chain.
    let filter = |action: &str| ladder::db::audit::AuditFilter {
        action: action.into(),
        limit: 100,
        ..Default::default()
    };
    let (voted, _) = ladder::db::audit::list(&db, &filter("review.ballot.voted"))
        .await
        .unwrap();
    assert_eq!(voted.len(), 22);
    assert!(
        voted
            .iter()
            .all(|e| e.after_summary.is_none() && e.before_summary.is_none())
    );
    let (certified, _) = ladder::db::audit::list(&db, &filter("review.ballot.certified"))
        .await
        .unwrap();
    assert_eq!(certified.len(), 2);
    assert!(
        certified
            .iter()
            .any(|e| e.after_summary.as_deref().unwrap().contains(&t.digest))
    );
}

/// Two members vote on the same candidate at the same moment: both ballots count once.
async fn two_members_vote_at_once(db: Db) {
    let (session, chen, _) = awaiting_vote(&db).await;
    let now = clock::now();
    let voters = open_with_all(&db, &db, session, chen).await;
    let (a, b) = (as_user(voters[0]), as_user(voters[1]));
    let (x, y) = tokio::join!(
        meeting::vote(&db, &a, voters[0], &[], chen, "yes", now),
        meeting::vote(&db, &b, voters[1], &[], chen, "no", now),
    );
    assert_eq!((x, y), (Ok(()), Ok(())));
    let t = ballots::tally(&db, chen).await.unwrap().unwrap();
    assert_eq!((t.yes, t.no, t.abstain), (1, 1, 0));
    assert_eq!(ballots::voted(&db, t.meeting_id, chen).await.unwrap(), 2);
}

/// No table holds a choice beside a member, a time or a sequential key.
async fn no_table_links_a_member_to_a_choice(db: Db) {
    let columns: Vec<(String, String)> = match &db {
        Db::Sqlite(p) => sqlx::query_as(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table'",
        )
        .fetch_all(p)
        .await
        .unwrap(),
        Db::Postgres(p) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema()",
        )
        .fetch_all(p)
        .await
        .unwrap(),
    };
    let of = |table: &str| -> Vec<String> {
        let mut c: Vec<String> = columns
            .iter()
            .filter(|(t, _)| t == table)
            .map(|(_, c)| c.clone())
            .collect();
        c.sort();
        c
    };
    assert_eq!(
        of("ballot_tallies"),
        [
            "abstain",
            "application_id",
            "attending",
            "digest",
            "meeting_id",
            "no",
            "yes"
        ]
    );
    assert_eq!(
        of("ballot_voters"),
        ["application_id", "meeting_id", "user_id"]
    );
    // Any table with a choice column has no member, time or id column.
    let choice_tables: std::collections::BTreeSet<&String> = columns
        .iter()
        .filter(|(_, c)| ["yes", "no", "abstain", "choice", "vote"].contains(&c.as_str()))
        .map(|(t, _)| t)
        .collect();
    assert_eq!(choice_tables.len(), 1, "{choice_tables:?}");
    for t in choice_tables {
        for c in of(t) {
            assert!(
                !(c.contains("user") || c.contains("member") || c.ends_with("_at") || c == "id"),
                "{t}.{c}"
            );
        }
    }
    // And neither ballot table keeps a row order in SQLite.
    if let Db::Sqlite(p) = &db {
        for table in ["ballot_tallies", "ballot_voters"] {
            let sql: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = $1")
                .bind(table)
                .fetch_one(p)
                .await
                .unwrap();
            assert!(sql.contains("WITHOUT ROWID"), "{table}");
        }
    }
}

/// `ladder check` after a vote: sheets and ballots agree with what is recorded; a tally
/// changed behind the application's back, or a stored score, is found and named.
async fn check_holds_after_voting_and_finds_tampering(db: Db) {
    let (session, chen, _) = awaiting_vote(&db).await;
    let now = clock::now();
    for m in open_with_all(&db, &db, session, chen)
        .await
        .into_iter()
        .take(3)
    {
        meeting::vote(&db, &as_user(m), m, &[], chen, "yes", now)
            .await
            .unwrap();
    }
    let report = ladder::db::check::run(&db).await.unwrap();
    assert_eq!(report.findings, vec![]);
    assert!(report.sheets >= 6 && report.ballots >= 1 && report.score_snapshots > 0);
    assert!(report.audit_rows > 0);

    on_db!(&db, c => {
        sqlx::query("UPDATE ballot_tallies SET yes = yes - 1 WHERE application_id = $1")
            .bind(chen)
            .execute(c)
            .await
            .unwrap();
        sqlx::query(
            "UPDATE score_snapshots SET total = total + 1
             WHERE person_id = (SELECT MIN(person_id) FROM score_snapshots)",
        )
        .execute(c)
        .await
        .unwrap();
    });
    let report = ladder::db::check::run(&db).await.unwrap();
    let mut kinds: Vec<&str> = report.findings.iter().map(|f| f.check).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["ballots", "scores"], "{:?}", report.findings);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.detail.contains(&format!("application {chen}:")))
    );
}

on_both_engines!(
    check_holds_after_voting_and_finds_tampering,
    the_meeting_and_the_secret_ballot,
    two_members_vote_at_once,
    no_table_links_a_member_to_a_choice
);
