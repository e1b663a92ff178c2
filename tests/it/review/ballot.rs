//! The committee's meeting and secret ballot on both engines: the meeting opens only when the
//! reviews are done, the committee is properly composed and quorate; each present member who
//! is not recused votes once per candidate; the secretariat never votes; the chair certifies
//! once everyone attending has voted, and the two-thirds rule decides with the boundary
//! included. No table links a member to a choice.

use super::*;
use super::{ballot_for, certify, vote};
use crate::on_both_engines;
use chrono::Datelike;
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
    let (session, chen, lin) = awaiting_vote_as_scheduled(db).await;
    // The results' notice runs from today: late in December it reaches next year, whose
    // calendar the demo does not ship (the count would rightly stop). Test data: next year's
    // New Year's Day, a holiday fixed by law.
    let next = clock::china_date(clock::now()).year() + 1;
    let new_year = ladder::domain::review::calendar::WorkCalendar {
        holidays: [d(next, 1, 1)].into_iter().collect(),
        workdays: Default::default(),
    };
    ladder::server::review::store_calendar(db, &crate::common::actor(), &new_year, clock::now())
        .await
        .unwrap();
    // The meeting date is weeks away (ErrMeetingNotYet, tests/it/review/schedule.rs): the
    // secretariat brings it to today.
    super::meeting_today(db, session).await;
    (session, chen, lin)
}

/// [`awaiting_vote`] with the meeting still on the session's date.
pub(super) async fn awaiting_vote_as_scheduled(db: &Db) -> (i64, i64, i64) {
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
        meeting::open(
            db,
            &crate::common::keys(),
            &secretary,
            ours,
            session,
            &[],
            now
        )
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
        &crate::common::keys(),
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
    let keys = crate::common::keys();
    let (secretary, _) = user(&db, "secretary").await;
    let ours = |_: i64| true;
    let members = sitting(&db, session).await;
    assert_eq!(members.len(), 13, "chair and twelve reviewers");

    // Eight of thirteen present is no quorum (24 < 26): nothing is written.
    assert_eq!(
        meeting::open(&db, &keys, &secretary, ours, session, &members[..8], now)
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
        meeting::open(&db, &keys, &secretary, ours, session, &with_outsider, now).await,
        Err(AppError::Validation(_))
    ));

    // Twelve present (the last member absent): the meeting opens and the vote begins.
    let absent = *members.last().unwrap();
    let present: Vec<i64> = members[..12].to_vec();
    meeting::open(&db, &keys, &secretary, ours, session, &present, now)
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
    // By name, in pinyin order (hú before liú).
    assert_eq!(names, ["胡秀英", "刘霞"], "{conflicted:?}");
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
    let send = |who: i64, grants: Vec<Grant>, ballot: String| {
        let (db, keys) = (db.clone(), keys.clone());
        async move {
            meeting::vote(
                &db,
                &keys,
                &as_user(who),
                who,
                &grants,
                chen,
                &ballot,
                clock::now(),
            )
            .await
        }
    };
    assert_eq!(
        send(
            sec_id,
            secretary_grants.to_vec(),
            ballot_for(&db, sec_id, chen, "yes").await
        )
        .await
        .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        vote(&db, absent, chen, "yes").await.unwrap_err(),
        AppError::NotFound
    );
    assert_eq!(
        vote(&db, r04, chen, "yes").await.unwrap_err(),
        AppError::Refused(Key::ErrRecused)
    );
    // Without the page's script nothing is encrypted: the plain form says so.
    assert_eq!(
        send(present[0], vec![], String::new()).await.unwrap_err(),
        AppError::invalid("ballot", Key::ErrBallotNeedsScript)
    );
    // A plaintext choice, or a ballot made for another member, is not a ballot for this one.
    let (a, b) = (voters[0], voters[1]);
    for forged in ["yes".to_string(), ballot_for(&db, b, chen, "yes").await] {
        assert_eq!(
            send(a, vec![], forged).await.unwrap_err(),
            AppError::invalid("ballot", Key::ErrBallotInvalid)
        );
    }
    // Nor is one made for the other candidate.
    assert_eq!(
        send(a, vec![], ballot_for(&db, a, lin, "yes").await)
            .await
            .unwrap_err(),
        AppError::invalid("ballot", Key::ErrBallotInvalid)
    );
    assert_eq!(
        ballots::voted(&db, chen_tally.meeting_id, chen)
            .await
            .unwrap(),
        0
    );

    // 陈晓明: 7 yes, 2 no, 1 abstain of 10 attending — 21 ≥ 20, exactly enough.
    let choices = [
        "yes", "yes", "yes", "yes", "yes", "yes", "yes", "no", "no", "abstain",
    ];
    let mut receipts = Vec::new();
    for (i, (u, c)) in voters.iter().zip(choices).enumerate() {
        let wire = ballot_for(&db, *u, chen, c).await;
        let receipt = send(*u, vec![], wire.clone()).await.unwrap();
        // The receipt is the ballot's hash, which the browser computed before sending.
        assert_eq!(receipt, ladder_ballot::receipt(&wire));
        receipts.push(receipt);
        if i == 0 {
            // The same ballot again, or another one: one vote per member.
            for again in [wire, ballot_for(&db, *u, chen, "no").await] {
                assert_eq!(
                    send(*u, vec![], again).await.unwrap_err(),
                    AppError::Refused(Key::ErrAlreadyVoted)
                );
            }
        }
        if i == 8 {
            // One attending member still to vote: the chair cannot certify yet.
            assert_eq!(
                certify(&db, chen).await.unwrap_err(),
                AppError::Refused(Key::ErrVotingIncomplete)
            );
        }
    }
    // No running counter: until the count, the tally holds no votes at all.
    let t = ballots::tally(&db, chen).await.unwrap().unwrap();
    assert_eq!((t.yes, t.no, t.abstain, t.counted), (0, 0, 0, false));
    assert_eq!(ballots::voted(&db, t.meeting_id, chen).await.unwrap(), 10);
    assert_eq!(
        ballots::ballots(&db, t.meeting_id, chen)
            .await
            .unwrap()
            .len(),
        10
    );

    // 林静: nobody present is recused; 7 yes of 12 is 21 < 24.
    let lin_tally = ballots::tally(&db, lin).await.unwrap().unwrap();
    assert_eq!(lin_tally.attending, 12);
    let lin_choices = ["yes"; 7].into_iter().chain(["no"; 4]).chain(["abstain"]);
    for (u, c) in present.iter().zip(lin_choices) {
        vote(&db, *u, lin, c).await.unwrap();
    }

    // The chair certifies: the sums are decrypted — 陈晓明 passes, 林静 does not.
    assert!(
        ballots::sealed_secret(&db, t.meeting_id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(certify(&db, chen).await, Ok(Verdict::Passed));
    let t = ballots::tally(&db, chen).await.unwrap().unwrap();
    assert_eq!((t.yes, t.no, t.abstain, t.counted), (7, 2, 1, true));
    assert_eq!(
        t.digest,
        ladder_ballot::ballots_digest(t.meeting_id, chen, receipts.iter().map(String::as_str))
    );
    // One candidate still to count: the meeting's secret is kept until then.
    assert!(
        ballots::sealed_secret(&db, t.meeting_id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(certify(&db, lin).await, Ok(Verdict::Failed));
    assert_eq!(state(&db, chen).await, State::PassedPendingNotice);
    assert_eq!(state(&db, lin).await, State::NotPassed);
    // Every sum decrypted: the secret is erased; the public key stays for the board.
    assert_eq!(
        ballots::sealed_secret(&db, t.meeting_id).await.unwrap(),
        None
    );
    assert!(
        ballots::public_key(&db, t.meeting_id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        vote(&db, absent, chen, "no").await.unwrap_err(),
        AppError::NotFound
    );

    // The bulletin board rechecks from itself alone; every voter's receipt is on it.
    let member = voters[0];
    let board = ladder::server::review::meeting_views::board(&db, &[], member, t.meeting_id).await;
    assert!(
        matches!(board, Err(AppError::NotFound)),
        "not a board viewer without a grant"
    );
    let reviewer = [Grant::new(
        Role::Reviewer,
        Scope::Committee(
            store::application(&db, chen)
                .await
                .unwrap()
                .unwrap()
                .committee_id,
        ),
    )
    .unwrap()];
    let board = ladder::server::review::meeting_views::board(&db, &reviewer, member, t.meeting_id)
        .await
        .unwrap();
    assert!(board.verified, "{:?}", board.candidates);
    let chen_board = board
        .candidates
        .iter()
        .find(|c| c.application_id == chen)
        .unwrap();
    assert_eq!(chen_board.ballots, 10);
    assert_eq!(chen_board.receipts.len(), 10);
    assert!(receipts.iter().all(|r| chen_board.receipts.contains(r)));
    assert!(
        ladder::server::review::meeting_views::find_receipt(
            &db,
            &reviewer,
            member,
            t.meeting_id,
            &receipts[3]
        )
        .await
        .unwrap()
    );
    assert!(
        !ladder::server::review::meeting_views::find_receipt(
            &db,
            &reviewer,
            member,
            t.meeting_id,
            &"0".repeat(64)
        )
        .await
        .unwrap()
    );
    // A member who did not sit (the absent one) sees no board.
    assert!(
        ladder::server::review::meeting_views::board(&db, &reviewer, absent, t.meeting_id)
            .await
            .is_err()
    );

    // The audit log: each vote says only that the member voted; the certified counts and
    // digest are in the chain, each under a signed checkpoint; the key's erasure is recorded.
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
    let (erased, _) = ladder::db::audit::list(&db, &filter("review.ballot.key_erased"))
        .await
        .unwrap();
    assert_eq!(erased.len(), 1);
    let reasons: Vec<String> = ladder::db::trust::checkpoints(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.reason)
        .filter(|r| r == "certification")
        .collect();
    assert_eq!(reasons.len(), 2);
    assert_eq!(crate::common::audit_report(&db).await.problems, vec![]);
}

/// Two members vote on the same candidate at the same moment: both ballots count once.
async fn two_members_vote_at_once(db: Db) {
    let (session, chen, _) = awaiting_vote(&db).await;
    let now = clock::now();
    let voters = open_with_all(&db, &db, session, chen).await;
    let (x, y) = tokio::join!(
        vote(&db, voters[0], chen, "yes"),
        vote(&db, voters[1], chen, "no"),
    );
    assert!(x.is_ok() && y.is_ok(), "{x:?} {y:?}");
    let t = ballots::tally(&db, chen).await.unwrap().unwrap();
    assert_eq!(ballots::voted(&db, t.meeting_id, chen).await.unwrap(), 2);
    assert_eq!(
        ballots::ballots(&db, t.meeting_id, chen)
            .await
            .unwrap()
            .len(),
        2
    );
    let _ = now;
}

/// No table holds a choice beside a member, a time or a sequential key.
async fn no_table_links_a_member_to_a_choice(db: Db) {
    let columns: Vec<(String, String)> = match db.pool() {
        ladder::db::Pool::Sqlite(p) => sqlx::query_as(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table'",
        )
        .fetch_all(p)
        .await
        .unwrap(),
        ladder::db::Pool::Postgres(p) => sqlx::query_as(
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
            "counted",
            "digest",
            "meeting_id",
            "method",
            "no",
            "opening",
            "sums",
            "yes"
        ]
    );
    // The ballots: ciphertexts bound to a tag, with no member, time or row order.
    assert_eq!(
        of("ballots"),
        [
            "application_id",
            "ballot",
            "ciphertext_id",
            "meeting_id",
            "receipt",
            "voter_tag"
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
    if let ladder::db::Pool::Sqlite(p) = db.pool() {
        for table in ["ballot_tallies", "ballot_voters", "ballots"] {
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
    let (session, chen, lin) = awaiting_vote(&db).await;
    let voters = open_with_all(&db, &db, session, chen).await;
    for m in &voters {
        vote(&db, *m, chen, "yes").await.unwrap();
    }
    certify(&db, chen).await.unwrap();
    for m in voters.iter().take(3) {
        vote(&db, *m, lin, "no").await.unwrap();
    }
    let keys = crate::common::keys();
    let report = ladder::cli::check(&db, &keys).await.unwrap();
    assert_eq!(report.findings, vec![]);
    assert!(report.sheets >= 6 && report.ballots >= 2 && report.score_snapshots > 0);
    assert!(report.audit_rows > 0);

    // A certified tally changed behind the application's back (with no audit row at all): the
    // board's decryption proofs give other counts, and the certification in the signed audit
    // log disagrees. A ballot of a candidate still being voted on, deleted: one voter too many.
    // A stored score changed.
    on_db!(&db, c => {
        sqlx::query("UPDATE ballot_tallies SET yes = yes - 1, no = no + 1 WHERE application_id = $1")
            .bind(chen)
            .execute(c)
            .await
            .unwrap();
        sqlx::query(
            "DELETE FROM ballots WHERE application_id = $1
             AND receipt = (SELECT MIN(receipt) FROM ballots WHERE application_id = $1)",
        )
        .bind(lin)
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
    let report = ladder::cli::check(&db, &keys).await.unwrap();
    let mut kinds: Vec<&str> = report.findings.iter().map(|f| f.check).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds, ["ballots", "scores"], "{:?}", report.findings);
    let about = |id: i64, text: &str| {
        report
            .findings
            .iter()
            .any(|f| f.detail.contains(&format!("application {id}")) && f.detail.contains(text))
    };
    assert!(
        about(chen, "not the certified one"),
        "{:?}",
        report.findings
    );
    assert!(
        about(chen, "not the published counts"),
        "{:?}",
        report.findings
    );
    assert!(
        about(lin, "2 encrypted ballots stored, 3 members"),
        "{:?}",
        report.findings
    );

    // The certification's audit row rewritten to the changed counts, and every hash after it
    // recomputed: the rows' MACs (under the key file's key) and the signed checkpoint of the
    // certification give it away.
    let row: i64 = on_db!(&db, c => sqlx::query_scalar(
        "SELECT MAX(id) FROM audit_log WHERE action = 'review.ballot.certified' AND entity_id = $1",
    )
    .bind(chen.to_string())
    .fetch_one(c)
    .await
    .unwrap());
    crate::common::rewrite_audit(
        &db,
        row,
        &[&format!(
            "UPDATE audit_log SET after_summary = replace(after_summary, '\"yes\":{n}', '\"yes\":{m}') WHERE id = {row}",
            n = voters.len(),
            m = voters.len() - 1
        )],
    )
    .await;
    let report = ladder::cli::check(&db, &keys).await.unwrap();
    let audit: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.check == "audit")
        .map(|f| f.detail.as_str())
        .collect();
    assert!(
        audit
            .iter()
            .any(|d| d.contains(&format!("audit row {row} is not authenticated"))),
        "{audit:?}"
    );
    assert!(
        audit
            .iter()
            .any(|d| d.contains("rows were deleted or rewritten")),
        "{audit:?}"
    );
}

on_both_engines!(
    check_holds_after_voting_and_finds_tampering,
    the_meeting_and_the_secret_ballot,
    two_members_vote_at_once,
    no_table_links_a_member_to_a_choice
);
