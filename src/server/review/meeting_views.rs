//! What the meeting looks like to the secretariat and the chair (attendance, each ballot's
//! progress, a tally only once everyone attending has voted) and to a member (their ballot
//! paper: the candidates to vote on, and whether they have — never how).

use super::meeting::{counts, result, seats};
use super::scoring::aggregate_for;
use super::views::visible_session;
use super::{rules_of, state_of};
use crate::api::AppError;
use crate::api::meeting::{BallotView, HeldView, MeetingView, PaperItem, SeatView};
use crate::db::ballot as ballots;
use crate::db::review as store;
use crate::db::{Db, panels};
use crate::domain::access::{self, Action};
use crate::domain::review::procedure::State;
use crate::domain::role::Grant;
use crate::server::clock::china_date;
use chrono::{DateTime, Utc};

pub async fn meeting(
    db: &Db,
    grants: &[Grant],
    session_id: i64,
    at: DateTime<Utc>,
) -> Result<MeetingView, AppError> {
    let s = visible_session(db, grants, session_id).await?;
    let committee = s.committee_id;
    let rules = rules_of(&s.rules)?;
    let held = ballots::meetings(db, session_id).await?.into_iter().next();
    let day = held.as_ref().map_or_else(|| china_date(at), |m| m.held_on);
    let (all, _, problems) = seats(db, &s, day).await?;
    let present: Vec<(i64, bool)> = match &held {
        Some(m) => ballots::members(db, m.id)
            .await?
            .into_iter()
            .map(|r| (r.user_id, r.present))
            .collect(),
        None => Vec::new(),
    };
    let seats = all
        .iter()
        .map(|m| SeatView {
            user_id: m.user_id,
            name: m.name.clone(),
            role: m.role.clone(),
            term_from: m.term.from,
            term_to: m.term.to,
            sits: m.term.covers(day),
            present: present.iter().any(|(u, p)| *u == m.user_id && *p),
        })
        .collect();
    let apps = store::applications_of_session(db, session_id).await?;
    let mut waiting = Vec::new();
    for a in &apps {
        if state_of(a)? == State::AwaitingVote {
            waiting.push(a.person_name.clone());
        }
    }
    let meeting = match held {
        None => None,
        Some(m) => {
            let members = ballots::members(db, m.id).await?;
            let present_ids: Vec<i64> = members
                .iter()
                .filter(|r| r.present)
                .map(|r| r.user_id)
                .collect();
            let mut list = Vec::new();
            for a in &apps {
                let Some(tally) = ballots::tally(db, a.id)
                    .await?
                    .filter(|t| t.meeting_id == m.id)
                else {
                    continue;
                };
                let voted = ballots::voted(db, m.id, a.id).await? as u32;
                let attending = u32::try_from(tally.attending).unwrap_or(0);
                let complete = voted >= attending;
                let mut recused = Vec::new();
                for r in members.iter().filter(|r| r.present) {
                    if panels::is_conflicted(db, a.id, r.user_id).await? {
                        recused.push(r.name.clone());
                    }
                }
                let verdict = if complete {
                    result(db, &rules, a.id, &tally).await?.ok()
                } else {
                    None
                };
                list.push(BallotView {
                    application_id: a.id,
                    candidate: a.person_name.clone(),
                    state: state_of(a)?,
                    attending,
                    voted,
                    recused,
                    aggregate: aggregate_for(db, a.id, rules.trimmed_mean_from).await?,
                    defense: super::defense::result_for(db, a.id, &rules).await?,
                    tally: complete.then(|| counts(&tally)),
                    verdict,
                    digest: complete.then(|| tally.digest.clone()),
                });
            }
            Some(HeldView {
                id: m.id,
                held_on: m.held_on,
                members: members.len() as u32,
                present: present_ids.len() as u32,
                ballots: list,
            })
        }
    };
    Ok(MeetingView {
        session_id,
        meeting_on: s.meeting_on,
        can_run: access::allows(grants, Action::RunReviews { committee }),
        can_certify: access::allows(grants, Action::ChairReviews { committee }),
        seats,
        problems,
        waiting,
        meeting,
    })
}

/// A member's ballot paper: the candidates of the meetings they sit present on that are (or
/// were just) being voted on.
pub async fn paper(db: &Db, user: i64) -> Result<Vec<PaperItem>, AppError> {
    let mut out = Vec::new();
    for row in store::applications_in_state(db, State::Voting.code()).await? {
        let Some(tally) = ballots::tally(db, row.id).await? else {
            continue;
        };
        let present = ballots::members(db, tally.meeting_id)
            .await?
            .iter()
            .any(|m| m.user_id == user && m.present);
        if !present {
            continue;
        }
        let session = store::session(db, row.session_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let rules = rules_of(&session.rules)?;
        out.push(PaperItem {
            application_id: row.id,
            candidate: row.person_name.clone(),
            session_code: row.session_code.clone(),
            aggregate: aggregate_for(db, row.id, rules.trimmed_mean_from).await?,
            defense: super::defense::result_for(db, row.id, &rules).await?,
            voted: ballots::has_voted(db, tally.meeting_id, row.id, user).await?,
            recused: panels::is_conflicted(db, row.id, user).await?,
            state: state_of(&row)?,
        });
    }
    Ok(out)
}
