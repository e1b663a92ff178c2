//! Sub-panels, conflicts and reviewers (issue 6 item 4): the secretariat puts each accepted
//! application on a sub-panel; the system finds the conflicts between its candidate and the
//! panel's members and assigns the configured number of reviewers among the others, loads
//! within one of each other; reviewers declare further conflicts; the secretariat then locks
//! the recusals and the expert review begins.

use super::{rules_of, state_of, step};
use crate::api::AppError;
use crate::db::audit::{self, Actor as Who, Change};
use crate::db::review::{self as store, ApplicationRow};
use crate::db::{Db, Tx, panels};
use crate::domain::records::Entry;
use crate::domain::review::assign::assign;
use crate::domain::review::conflicts::{self, ContractLink, Employment, Party};
use crate::domain::review::procedure::{Actor, Event, State};
use crate::i18n::Key;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// What conflict detection knows of a person (`user` for the cases they scored).
pub async fn party(db: &Db, person: i64, user: Option<i64>) -> Result<Party, AppError> {
    let employments = panels::employments(db, person)
        .await?
        .into_iter()
        .map(|(unit, from, to)| Employment { unit, from, to })
        .collect();
    let mut contracts = Vec::new();
    for (deal, payload) in panels::contract_claims(db, person).await? {
        if let Entry::Deal(d) = crate::server::scores::entry_of(&payload)? {
            contracts.push(ContractLink {
                deal,
                identity: crate::domain::review::conflicts::contract_identity(
                    d.facts.registration_no.as_deref(),
                    &d.facts.contract_name,
                    &d.facts.seller,
                    &d.facts.buyer,
                    d.facts.sign_date,
                ),
                name: d
                    .facts
                    .registration_no
                    .clone()
                    .unwrap_or_else(|| d.facts.contract_name.clone()),
                seller: d.facts.seller.clone(),
                buyer: d.facts.buyer.clone(),
            });
        }
    }
    let scored_cases_of = match user {
        Some(u) => panels::scored_cases_of(db, u).await?,
        None => Vec::new(),
    };
    Ok(Party {
        person,
        employments,
        contracts,
        scored_cases_of,
    })
}

/// An application of a committee the caller runs (`may`); anyone else: not found.
pub(crate) async fn of_committee(
    db: &Db,
    may: impl Fn(i64) -> bool,
    id: i64,
) -> Result<ApplicationRow, AppError> {
    store::application(db, id)
        .await?
        .filter(|a| may(a.committee_id))
        .ok_or(AppError::NotFound)
}

/// Puts an accepted application on one of its committee's sub-panels.
pub async fn set_panel(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    id: i64,
    panel: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let app = of_committee(db, may, id).await?;
    if state_of(&app)? != State::PanelAssigned {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    let list = panels::panels(db, app.committee_id).await?;
    let p = list
        .iter()
        .find(|p| p.id == panel)
        .ok_or_else(|| AppError::invalid("panel_id", Key::ErrChoose))?;
    let mut tx = db.begin_write().await?;
    panels::set_application_panel(&mut tx, id, panel).await?;
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "application.panel",
            entity_type: "application",
            entity_id: id.to_string(),
            before: None,
            after: Some(p.code.clone()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Finds conflicts and assigns reviewers to every application of `session` that waits on a
/// panel. All or nothing: when a candidate cannot get enough reviewers, nothing is written.
/// Returns how many applications have their reviewers.
pub async fn assign_reviewers(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    session_id: i64,
    at: DateTime<Utc>,
) -> Result<usize, AppError> {
    let session = store::session(db, session_id)
        .await?
        .filter(|s| may(s.committee_id))
        .ok_or(AppError::NotFound)?;
    let rules = rules_of(&session.rules)?;
    let on: NaiveDate = session.meeting_on;
    let members = panels::members(db, session.committee_id).await?;
    let waiting: Vec<ApplicationRow> = store::applications_of_session(db, session_id)
        .await?
        .into_iter()
        .filter(|a| a.state == State::PanelAssigned.code())
        .collect();
    let mut found: Vec<(i64, i64, conflicts::Conflict)> = Vec::new();
    let mut plan: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut by_panel: BTreeMap<i64, Vec<&ApplicationRow>> = BTreeMap::new();
    for app in &waiting {
        match panels::application_panel(db, app.id).await? {
            Some(p) => by_panel.entry(p).or_default().push(app),
            None => return Err(AppError::Refused(Key::ErrNoPanel)),
        }
    }
    for (panel, apps) in by_panel {
        // Reviewers of the panel whose term covers the meeting.
        let reviewers: Vec<&panels::MemberRow> = members
            .iter()
            .filter(|m| m.role == "reviewer" && m.panel_id == Some(panel))
            .filter(|m| m.term_from.is_some_and(|f| f <= on) && m.term_to.is_some_and(|t| t >= on))
            .collect();
        let mut parties = Vec::new();
        for m in &reviewers {
            parties.push((m.user_id, party(db, m.person_id, Some(m.user_id)).await?));
        }
        let mut conflicted = BTreeSet::new();
        let mut kept = BTreeMap::new();
        for app in &apps {
            let candidate = party(db, app.person_id, None).await?;
            for (user, reviewer) in &parties {
                for c in conflicts::detect(&candidate, reviewer, on, rules.conflict_years) {
                    conflicted.insert((app.id, *user));
                    found.push((app.id, *user, c));
                }
                if panels::is_conflicted(db, app.id, *user).await? {
                    conflicted.insert((app.id, *user));
                }
            }
            let already: Vec<i64> = panels::assigned(db, app.id)
                .await?
                .into_iter()
                .map(|(u, _)| u)
                .filter(|u| !conflicted.contains(&(app.id, *u)))
                .collect();
            kept.insert(app.id, already);
        }
        let ids: Vec<i64> = apps.iter().map(|a| a.id).collect();
        let users: Vec<i64> = reviewers.iter().map(|m| m.user_id).collect();
        let per = rules.min_reviewers as usize;
        let assigned = assign(&ids, &users, &conflicted, per, &kept)
            .map_err(|_| AppError::Refused(Key::ErrTooFewReviewers))?;
        plan.extend(assigned);
    }
    let mut tx = db.begin_write().await?;
    store_found(&mut tx, who, &found, at).await?;
    for (app, reviewer, _) in &found {
        panels::unassign(&mut tx, *app, *reviewer).await?;
    }
    for (app, reviewers) in &plan {
        for r in reviewers {
            panels::assign(&mut tx, *app, *r, at).await?;
        }
        audit::append(
            &mut tx,
            at,
            who,
            Change {
                action: "review.assign",
                entity_type: "application",
                entity_id: app.to_string(),
                before: None,
                after: Some(format!("{} reviewers", reviewers.len())),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(plan.len())
}

/// Stores the conflicts found, each once; a new one is audited.
pub(crate) async fn store_found(
    tx: &mut Tx,
    who: &Who,
    found: &[(i64, i64, conflicts::Conflict)],
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    for (app, reviewer, c) in found {
        let detail = conflict_detail(c);
        if panels::add_conflict(tx, *app, *reviewer, c.code(), &detail, at).await? {
            audit::append(
                tx,
                at,
                who,
                Change {
                    action: "review.conflict.found",
                    entity_type: "application",
                    entity_id: app.to_string(),
                    before: None,
                    after: Some(format!("reviewer {reviewer}: {} {detail}", c.code())),
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// The words a conflict is stored with.
pub fn conflict_detail(c: &conflicts::Conflict) -> String {
    use conflicts::Conflict::*;
    match c {
        SelfReview | SharedCase => String::new(),
        SameEmployer { unit } => unit.clone(),
        CoManager { contract } => contract.clone(),
        Counterparty { contract, unit } => format!("{contract} · {unit}"),
        Declared { reason } => reason.clone(),
    }
}

/// A reviewer declares a conflict with an application they are assigned to: they leave it,
/// with their reason on the record.
pub async fn declare_conflict(
    db: &Db,
    who: &Who,
    reviewer: i64,
    id: i64,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", Key::ErrRequired));
    }
    if reason.chars().count() > 2000 {
        return Err(AppError::invalid("reason", Key::ErrTooLong));
    }
    let assigned = panels::assigned(db, id).await?;
    if !assigned.iter().any(|(u, _)| *u == reviewer) {
        return Err(AppError::NotFound);
    }
    let app = store::application(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !matches!(state_of(&app)?, State::PanelAssigned | State::ExpertReview) {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    let mut tx = db.begin_write().await?;
    panels::add_conflict(&mut tx, id, reviewer, "declared", reason, at).await?;
    panels::unassign(&mut tx, id, reviewer).await?;
    // What the audit log says of a recusal: who, on which application, that it was declared.
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "review.conflict.declared",
            entity_type: "application",
            entity_id: id.to_string(),
            before: None,
            after: Some(reason.to_string()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The secretariat locks the recusals: the expert review begins, with at least the configured
/// number of reviewers without a conflict.
pub async fn lock_recusals(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    id: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut app = of_committee(db, may, id).await?;
    let session = store::session(db, app.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = rules_of(&session.rules)?;
    let reviewers = panels::assigned(db, id).await?.len();
    if reviewers < rules.min_reviewers as usize {
        return Err(AppError::Refused(Key::ErrTooFewReviewers));
    }
    let mut tx = db.begin_write().await?;
    step(
        &mut tx,
        &mut app,
        &Event::ConflictsDeclared,
        Actor::Secretariat,
        who,
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
