//! The committee's meeting and its secret ballot (issue 6, domain.md §6.2). The secretariat
//! opens the meeting with the members present: the committee must be properly composed (odd
//! size, the minimum for how it was built, terms within the rule) and quorate; the meeting gets
//! its key pair (`ballot`) and every member a tag; every candidate awaiting the vote then opens
//! a ballot whose attending count leaves out the present members recused from them. Each
//! present, non-recused member votes once per candidate with a ballot their browser encrypted
//! (`ballot::cast`). The secretariat never votes. The chair certifies each candidate's result
//! once every attending member has voted: only then are the candidate's sums decrypted.

use super::panels::{party, store_found};
use super::{rules_of, state_of, step};
use crate::api::AppError;
use crate::db::audit::{self, Actor as Who, Change};
use crate::db::ballot::{self as ballots, TallyRow};
use crate::db::review::{self as store, ApplicationRow, SessionRow};
use crate::db::{Db, committees, panels};
use crate::domain::access::{self, Action, Visibility};
use crate::domain::review::ballot::{self, BallotError, Meeting, Tally, Verdict};
use crate::domain::review::conflicts;
use crate::domain::review::meeting::{self as rules, BuiltBy, Composition, Term};
use crate::domain::review::procedure::{Actor, Event, State};
use crate::domain::role::Grant;
use crate::i18n::Key;
use crate::server::clock::china_date;
use crate::service::checkpoints::{self, Reason};
use crate::service::keys::Keyring;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// The states an application of the session may not be in when the meeting opens: its review
/// is not finished.
const UNFINISHED: [State; 5] = [
    State::Recommended,
    State::FormalCheck,
    State::SupplementRequested,
    State::PanelAssigned,
    State::ExpertReview,
];

/// A member of the committee as the meeting sees them.
#[derive(Debug, Clone)]
pub struct Seat {
    pub user_id: i64,
    pub person_id: i64,
    pub name: String,
    pub role: String,
    pub term: Term,
}

/// How a committee was built: a committee with a specialty is built by specialty.
async fn built_by(db: &Db, committee: i64) -> Result<BuiltBy, AppError> {
    let k = committees::list_committees(db, &Visibility::Only(vec![committee]))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    Ok(if k.specialty.trim().is_empty() {
        BuiltBy::Series
    } else {
        BuiltBy::Specialty
    })
}

/// The committee's members (chair and reviewers), and those whose term covers `day` with what
/// is wrong with the committee they form.
pub async fn seats(
    db: &Db,
    s: &SessionRow,
    day: NaiveDate,
) -> Result<(Vec<Seat>, Vec<Seat>, Vec<Composition>), AppError> {
    let rules = rules_of(&s.rules)?;
    let all: Vec<Seat> = panels::members(db, s.committee_id)
        .await?
        .into_iter()
        .map(|m| Seat {
            user_id: m.user_id,
            person_id: m.person_id,
            term: Term {
                name: m.name.clone(),
                from: m.term_from,
                to: m.term_to,
            },
            name: m.name,
            role: m.role,
        })
        .collect();
    let terms: Vec<Term> = all.iter().map(|s| s.term.clone()).collect();
    let (_, problems) = rules::sitting(&terms, day, built_by(db, s.committee_id).await?, &rules);
    let sitting = all.iter().filter(|s| s.term.covers(day)).cloned().collect();
    Ok((all, sitting, problems))
}

/// The secretariat opens the meeting of session `session_id` with the members `present`.
pub async fn open(
    db: &Db,
    keys: &Keyring,
    who: &Who,
    may: impl Fn(i64) -> bool,
    session_id: i64,
    present: &[i64],
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let s = store::session(db, session_id)
        .await?
        .filter(|s| may(s.committee_id))
        .ok_or(AppError::NotFound)?;
    let rules = rules_of(&s.rules)?;
    let apps = store::applications_of_session(db, session_id).await?;
    let mut waiting = Vec::new();
    for a in &apps {
        let st = state_of(a)?;
        if UNFINISHED.contains(&st) {
            return Err(AppError::Refused(Key::ErrReviewsUnfinished));
        }
        if st == State::Voting {
            return Err(AppError::Conflict(crate::api::STATE.into()));
        }
        if st == State::AwaitingVote {
            waiting.push(a.clone());
        }
    }
    if waiting.is_empty() {
        return Err(AppError::Refused(Key::ErrNothingToVote));
    }
    let day = china_date(at);
    // Not before the session's meeting date (the secretariat moves it, with a reason).
    if !s.schedule().meeting_may_open(day) {
        return Err(AppError::Refused(Key::ErrMeetingNotYet));
    }
    let (_, sitting, problems) = seats(db, &s, day).await?;
    if !problems.is_empty() {
        return Err(AppError::Refused(Key::ErrCommitteeComposition));
    }
    if present
        .iter()
        .any(|p| !sitting.iter().any(|m| m.user_id == *p))
    {
        return Err(AppError::invalid("present", Key::ErrChoose));
    }
    let mut here: Vec<i64> = present.to_vec();
    here.sort_unstable();
    here.dedup();
    let meeting = Meeting {
        members: sitting.len() as u32,
        present: here.len() as u32,
    };
    let quorum = meeting.quorum(rules.quorum).is_ok();
    // The whole committee votes: conflicts are looked for between every member who sits and
    // every candidate, not only the candidate's panel.
    let mut parties = Vec::new();
    for m in &sitting {
        parties.push((m.user_id, party(db, m.person_id, Some(m.user_id)).await?));
    }
    let mut found = Vec::new();
    let mut recused = BTreeMap::new();
    for app in &waiting {
        let candidate = party(db, app.person_id, None).await?;
        let mut conflicted = BTreeSet::new();
        for (user, member) in &parties {
            for c in conflicts::detect(&candidate, member, day, rules.conflict_years) {
                conflicted.insert(*user);
                found.push((app.id, *user, c));
            }
            if panels::is_conflicted(db, app.id, *user).await? {
                conflicted.insert(*user);
            }
        }
        let n = here.iter().filter(|u| conflicted.contains(*u)).count() as u32;
        recused.insert(app.id, n);
    }
    let mut tx = db.begin_write().await?;
    let id = ballots::insert_meeting(&mut tx, session_id, day, at).await?;
    if quorum {
        super::ballot::create_key(&mut tx, keys, id).await?;
    }
    for m in &sitting {
        let tag = super::ballot::new_voter_tag();
        ballots::insert_member(
            &mut tx,
            id,
            m.user_id,
            &m.role,
            here.contains(&m.user_id),
            &tag,
        )
        .await?;
    }
    store_found(&mut tx, who, &found, at).await?;
    for mut app in waiting {
        let attending = meeting
            .attending(recused.get(&app.id).copied().unwrap_or(0))
            .map_err(|_| AppError::Refused(Key::ErrNoneAttending))?;
        if quorum {
            if attending == 0 {
                return Err(AppError::Refused(Key::ErrNoneAttending));
            }
            let attending = i32::try_from(attending).map_err(|_| AppError::Internal)?;
            ballots::open_tally(&mut tx, id, app.id, attending).await?;
        }
        step(
            &mut tx,
            &mut app,
            &Event::MeetingOpened { quorum },
            Actor::Secretariat,
            who,
            at,
        )
        .await?;
    }
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "review.meeting.opened",
            entity_type: "review_session",
            entity_id: session_id.to_string(),
            before: None,
            after: Some(format!(
                "{} of {} members present",
                here.len(),
                sitting.len()
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// How many of the members present are recused from the candidate.
async fn recused_present(db: &Db, application: i64, present: &[i64]) -> Result<u32, AppError> {
    let mut n = 0;
    for p in present {
        if panels::is_conflicted(db, application, *p).await? {
            n += 1;
        }
    }
    Ok(n)
}

/// The application and its ballot in its latest meeting.
async fn ballot_of(db: &Db, application: i64) -> Result<(ApplicationRow, TallyRow), AppError> {
    let app = store::application(db, application)
        .await?
        .ok_or(AppError::NotFound)?;
    let tally = ballots::tally(db, application)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((app, tally))
}

/// Whether `user` sits present on the meeting.
async fn present_at(db: &Db, meeting: i64, user: i64) -> Result<bool, AppError> {
    Ok(ballots::members(db, meeting)
        .await?
        .iter()
        .any(|m| m.user_id == user && m.present))
}

/// A member casts their ballot on a candidate: `ballot` is what their browser encrypted (the
/// plaintext choice never reaches the server). Returns the ballot's receipt.
#[allow(clippy::too_many_arguments)]
pub async fn vote(
    db: &Db,
    keys: &Keyring,
    who: &Who,
    user: i64,
    grants: &[Grant],
    application: i64,
    ballot: &str,
    at: DateTime<Utc>,
) -> Result<String, AppError> {
    let ballot = ballot.trim();
    if ballot.is_empty() {
        // A plain form post: the page's script did not run, so nothing was encrypted.
        return Err(AppError::invalid("ballot", Key::ErrBallotNeedsScript));
    }
    if ballot.len() > super::ballot::MAX_WIRE {
        return Err(AppError::invalid("ballot", Key::ErrBallotInvalid));
    }
    let (app, tally) = ballot_of(db, application).await?;
    let committee = app.committee_id;
    // The secretariat never votes, even if one of its members also holds a seat.
    if access::allows(grants, Action::RunReviews { committee }) {
        return Err(AppError::Forbidden);
    }
    if !present_at(db, tally.meeting_id, user).await? {
        return Err(AppError::NotFound);
    }
    if state_of(&app)? != State::Voting {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    if panels::is_conflicted(db, application, user).await? {
        return Err(AppError::Refused(Key::ErrRecused));
    }
    super::ballot::cast(db, keys, who, user, application, &tally, ballot, at).await
}

/// The result of a candidate's ballot from `counts`: `Err` while members are still voting.
pub async fn result(
    db: &Db,
    rules: &crate::domain::review::rules::ReviewRules,
    application: i64,
    tally: &TallyRow,
    counts: Tally,
) -> Result<Result<Verdict, BallotError>, AppError> {
    let members = ballots::members(db, tally.meeting_id).await?;
    let present: Vec<i64> = members
        .iter()
        .filter(|m| m.present)
        .map(|m| m.user_id)
        .collect();
    let meeting = Meeting {
        members: members.len() as u32,
        present: present.len() as u32,
    };
    let recused = recused_present(db, application, &present).await?;
    // Before the count an encrypted ballot's progress is its voters, not its counts.
    let counts = if tally.counted {
        counts
    } else {
        let voted = u32::try_from(ballots::voted(db, tally.meeting_id, application).await?)
            .unwrap_or(u32::MAX);
        Tally {
            yes: 0,
            no: 0,
            abstain: voted,
        }
    };
    Ok(ballot::decide(
        meeting,
        recused,
        counts,
        rules.quorum,
        rules.pass,
    ))
}

pub fn counts(t: &TallyRow) -> Tally {
    let n = |v: i32| u32::try_from(v).unwrap_or(0);
    Tally {
        yes: n(t.yes),
        no: n(t.no),
        abstain: n(t.abstain),
    }
}

/// The chair certifies a candidate's result once every attending member has voted: an
/// encrypted ballot is counted now (its sums decrypted with proofs), a paper one was recorded
/// by the secretariat. The counts, the digest and the verdict go into the audit log and a
/// signed checkpoint in the same transaction; when no candidate of the meeting is left to
/// count, its key is erased.
pub async fn certify(
    db: &Db,
    keys: &Keyring,
    who: &Who,
    may: impl Fn(i64) -> bool,
    application: i64,
    at: DateTime<Utc>,
) -> Result<Verdict, AppError> {
    let (mut app, tally) = ballot_of(db, application).await?;
    if !may(app.committee_id) {
        return Err(AppError::NotFound);
    }
    if state_of(&app)? != State::Voting {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    let session = store::session(db, app.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = rules_of(&session.rules)?;
    // Everyone attending must have voted before anything is decrypted.
    match result(db, &rules, application, &tally, counts(&tally)).await? {
        Ok(_) => {}
        Err(BallotError::Incomplete { .. }) => {
            return Err(AppError::Refused(Key::ErrVotingIncomplete));
        }
        Err(BallotError::NoQuorum { .. }) => return Err(AppError::Refused(Key::ErrNoQuorum)),
        Err(e) => {
            tracing::error!(error = %e, application, "ballot cannot be decided");
            return Err(AppError::Internal);
        }
    }
    let counted = if tally.counted {
        None
    } else {
        Some(super::ballot::count(db, keys, tally.meeting_id, application).await?)
    };
    let t = match &counted {
        Some(c) => Tally {
            yes: c.counts.yes,
            no: c.counts.no,
            abstain: c.counts.abstain,
        },
        None => counts(&tally),
    };
    let verdict = match result(
        db,
        &rules,
        application,
        &TallyRow {
            counted: true,
            ..tally.clone()
        },
        t,
    )
    .await?
    {
        Ok(v) => v,
        // The proofs hold every ballot to one choice, so counts that do not add up to the
        // attending members mean the stored ballot is damaged.
        Err(e) => {
            tracing::error!(error = %e, application, "the counted ballot cannot be decided");
            return Err(AppError::Internal);
        }
    };
    // A candidate who did not pass may appeal from this day on.
    if verdict == Verdict::Failed {
        app.decided_on = Some(crate::server::clock::china_date(at));
    }
    let digest = counted
        .as_ref()
        .map_or_else(|| tally.digest.clone(), |c| c.digest.clone());
    let mut tx = db.begin_write().await?;
    if let Some(c) = &counted {
        let n = |v: u32| i32::try_from(v).map_err(|_| AppError::Internal);
        if !ballots::record_counts(
            &mut tx,
            tally.meeting_id,
            application,
            "encrypted",
            (n(t.yes)?, n(t.no)?, n(t.abstain)?),
            &c.digest,
            c.sums.as_deref(),
            c.opening.as_deref(),
        )
        .await?
        {
            return Err(AppError::Conflict(crate::api::STATE.into()));
        }
    }
    step(
        &mut tx,
        &mut app,
        &Event::Tallied(verdict),
        Actor::Chair,
        who,
        at,
    )
    .await?;
    // The certified counts and digest go into the authenticated log, and a checkpoint signs
    // it: a later change to the stored tally no longer matches (`ladder check`).
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "review.ballot.certified",
            entity_type: "application",
            entity_id: application.to_string(),
            before: None,
            after: Some(
                Certified {
                    meeting: tally.meeting_id,
                    method: tally.method.clone(),
                    yes: t.yes,
                    no: t.no,
                    abstain: t.abstain,
                    attending: u32::try_from(tally.attending).unwrap_or(0),
                    digest,
                }
                .to_json(),
            ),
        },
    )
    .await?;
    let cp = checkpoints::sign_in(&mut tx, Reason::Certification, at).await?;
    tx.commit().await?;
    checkpoints::export(db, &cp);
    super::ballot::erase_if_done(db, tally.meeting_id, at).await?;
    Ok(verdict)
}

/// What the audit log records of a certified ballot (its `after`, as JSON).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Certified {
    pub meeting: i64,
    pub method: String,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub attending: u32,
    pub digest: String,
}

impl Certified {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a certification row, also the text of certifications before the encrypted
    /// ballot ("yes 8 no 2 abstain 1 of 11 attending; digest …", which names no meeting).
    pub fn parse(text: &str) -> Option<Certified> {
        if let Ok(c) = serde_json::from_str(text) {
            return Some(c);
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let num = |i: usize| words.get(i)?.trim_end_matches(';').parse::<u32>().ok();
        (words.first() == Some(&"yes")).then_some(())?;
        Some(Certified {
            meeting: 0,
            method: "counter".into(),
            yes: num(1)?,
            no: num(3)?,
            abstain: num(5)?,
            attending: num(7)?,
            digest: words.last()?.to_string(),
        })
    }
}
