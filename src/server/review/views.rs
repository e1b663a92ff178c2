//! What each reader of the review sees: the candidate's page, a unit's queue, the sessions and
//! a session's applications, and a dossier. Every list is cut to what the caller may see here.

use super::{dossier, rules_of, state_of};
use crate::api::AppError;
use crate::api::title::{
    ApplicationView, DossierView, EventView, MyApplications, Phases, ScheduleChangeView,
    SessionDetail, SessionOverview, SessionView, SessionsHome,
};
use crate::db::review::{self as store, ApplicationRow, SessionRow};
use crate::db::{Db, committees};
use crate::domain::access::{self, Action, Visibility};
use crate::domain::explain::review_reason;
use crate::domain::review::calendar::{MissingYear, WorkCalendar};
use crate::domain::review::procedure::State;
use crate::domain::role::{Grant, Role, Scope};
use crate::i18n::Lang;
use crate::server::clock::china_date;
use chrono::{DateTime, Utc};

fn session_view(s: &SessionRow, at: DateTime<Utc>) -> Result<SessionView, AppError> {
    let today = china_date(at);
    Ok(SessionView {
        id: s.id,
        committee_id: s.committee_id,
        committee: s.committee_name.clone(),
        code: s.code.clone(),
        name: s.name.clone(),
        applies_from: s.applies_from,
        applies_to: s.applies_to,
        scoring_from: s.scoring_from,
        scoring_to: s.scoring_to,
        meeting_on: s.meeting_on,
        rules: rules_of(&s.rules)?,
        applications: s.applications,
        window_open: s.applies_from <= today && today <= s.applies_to,
    })
}

async fn application_view(
    db: &Db,
    row: &ApplicationRow,
    cal: &WorkCalendar,
    lang: Lang,
) -> Result<ApplicationView, AppError> {
    let state = state_of(row)?;
    let session = store::session(db, row.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = rules_of(&session.rules)?;
    let ineligible = match store::dossier(db, row.id, row.dossier_version).await? {
        Some(d) => dossier::open(&d.payload)?
            .ineligible
            .iter()
            .map(|r| review_reason(r, lang))
            .collect(),
        None => Vec::new(),
    };
    let required = match state {
        State::ResultPublicNotice => rules.result_notice_days,
        _ => rules.unit_notice_days,
    };
    let (notice_ends, calendar_missing) =
        match super::notice::notice_ends(cal, row.notice_from, row.notice_days_before, required) {
            Ok(end) => (end, None),
            Err(MissingYear(year)) => (None, Some(year)),
        };
    let stored = store::events(db, row.id).await?;
    let appeal_until = (matches!(state, State::NotPassed | State::NotAccepted)
        && !super::appeals::appealed(&stored))
    .then(|| super::appeals::appeal_until(&rules, row.decided_on))
    .flatten();
    let certificate = if state == State::Certified {
        crate::db::notice::certificate_of(db, row.id)
            .await?
            .map(|c| c.number)
    } else {
        None
    };
    let events = stored
        .into_iter()
        .filter_map(|e| {
            Some(EventView {
                to: State::parse(&e.to_state)?,
                event: e.event,
                actor: e.actor,
                reason: e.reason,
                at: e.at,
            })
        })
        .collect();
    Ok(ApplicationView {
        id: row.id,
        session_id: row.session_id,
        session_code: row.session_code.clone(),
        person_name: row.person_name.clone(),
        unit_name: row.unit_name.clone(),
        state,
        dossier_version: row.dossier_version,
        ineligible,
        exception_request: row.exception_request.clone(),
        exception_reason: row.exception_reason.clone(),
        notice_from: row.notice_from,
        notice_ends,
        calendar_missing,
        supplement_request: row.supplement_request.clone(),
        supplement_due: row.supplement_due,
        appeal_until,
        certificate,
        defense: super::defense::schedule_for(db, row.id, &rules).await?,
        events,
    })
}

/// The candidate's page.
pub async fn title_home(
    db: &Db,
    person: i64,
    lang: Lang,
    at: DateTime<Utc>,
) -> Result<MyApplications, AppError> {
    let cal = store::calendar(db).await?;
    let mut applications = Vec::new();
    for row in store::applications_of_person(db, person).await? {
        applications.push(application_view(db, &row, &cal, lang).await?);
    }
    let mut open = Vec::new();
    for s in store::sessions(db).await? {
        let view = session_view(&s, at)?;
        if !view.window_open {
            continue;
        }
        // What the check would say if they applied now (nothing is stored).
        let preview = match dossier::build(db, person, &s, &view.rules, "").await {
            Ok(d) => d
                .ineligible
                .iter()
                .map(|r| review_reason(r, lang))
                .collect(),
            Err(AppError::Refused(_)) => Vec::new(),
            Err(e) => return Err(e),
        };
        open.push((view, preview));
    }
    Ok(MyApplications { open, applications })
}

/// The units a caller speaks for.
pub fn units_of(grants: &[Grant]) -> Vec<i64> {
    grants
        .iter()
        .filter(|g| g.role() == Role::UnitReviewer)
        .filter_map(|g| match g.scope() {
            Scope::Unit(id) => Some(id),
            _ => None,
        })
        .collect()
}

/// Applications of the units' staff.
pub async fn unit_queue(
    db: &Db,
    units: &[i64],
    lang: Lang,
) -> Result<Vec<ApplicationView>, AppError> {
    let cal = store::calendar(db).await?;
    let mut out = Vec::new();
    for unit in units {
        for row in store::applications_of_unit(db, *unit).await? {
            out.push(application_view(db, &row, &cal, lang).await?);
        }
    }
    Ok(out)
}

/// The committees whose reviews the caller may see.
fn visible_committees(grants: &[Grant]) -> Visibility {
    match access::committee_visibility(grants) {
        Visibility::Only(ids) => Visibility::Only(
            ids.into_iter()
                .filter(|c| access::allows(grants, Action::ViewReviews { committee: *c }))
                .collect(),
        ),
        // Global roles see committees, but not their reviews.
        _ => Visibility::Nothing,
    }
}

pub async fn sessions_home(
    db: &Db,
    grants: &[Grant],
    at: DateTime<Utc>,
) -> Result<SessionsHome, AppError> {
    let visible = visible_committees(grants);
    let mut sessions = Vec::new();
    for s in store::sessions(db).await? {
        if visible.admits(s.committee_id) {
            sessions.push(session_view(&s, at)?);
        }
    }
    let committees = committees::list_committees(db, &visible)
        .await?
        .into_iter()
        .filter(|k| access::allows(grants, Action::RunReviews { committee: k.id }))
        .map(|k| (k.id, k.name))
        .collect();
    Ok(SessionsHome {
        sessions,
        committees,
        defaults: super::default_rules()?,
    })
}

/// Whether `user` reviews this application: assigned, without a conflict, once the recusals
/// are locked. A conflicted reviewer never opens the dossier.
pub(crate) async fn reviewer_reads(
    db: &Db,
    row: &ApplicationRow,
    user: i64,
) -> Result<bool, AppError> {
    use crate::db::panels;
    if !state_of(row)?.reviewers_read() {
        return Ok(false);
    }
    let assigned = panels::assigned(db, row.id)
        .await?
        .iter()
        .any(|(u, _)| *u == user);
    Ok(assigned && !panels::is_conflicted(db, row.id, user).await?)
}

/// A session of a committee whose reviews the caller may see; "not found" otherwise.
/// The committee's members present at the meeting read the dossier of a candidate they vote
/// on (not one they are recused from).
async fn member_reads(db: &Db, row: &ApplicationRow, user: i64) -> Result<bool, AppError> {
    if state_of(row)? != State::Voting {
        return Ok(false);
    }
    let Some(tally) = crate::db::ballot::tally(db, row.id).await? else {
        return Ok(false);
    };
    let present = crate::db::ballot::members(db, tally.meeting_id)
        .await?
        .iter()
        .any(|m| m.user_id == user && m.present);
    Ok(present && !crate::db::panels::is_conflicted(db, row.id, user).await?)
}

pub(crate) async fn visible_session(
    db: &Db,
    grants: &[Grant],
    id: i64,
) -> Result<SessionRow, AppError> {
    store::session(db, id)
        .await?
        .filter(|s| {
            let committee = s.committee_id;
            access::allows(grants, Action::ViewReviews { committee })
        })
        .ok_or(AppError::NotFound)
}

pub async fn session_detail(
    db: &Db,
    grants: &[Grant],
    id: i64,
    lang: Lang,
    at: DateTime<Utc>,
) -> Result<SessionDetail, AppError> {
    let s = visible_session(db, grants, id).await?;
    let cal = store::calendar(db).await?;
    let mut applications = Vec::new();
    // Drafts are the candidate's own business until submitted.
    for row in store::applications_of_session(db, id).await? {
        if row.dossier_version > 0 {
            applications.push(application_view(db, &row, &cal, lang).await?);
        }
    }
    let counts = State::ALL
        .into_iter()
        .map(|st| (st, applications.iter().filter(|a| a.state == st).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let overview = overview(db, id, &applications).await?;
    let (schedule, today) = (s.schedule(), china_date(at));
    let phases = Phases {
        applications: schedule.applications(today),
        scoring: schedule.scoring(today),
        meeting_due: schedule.meeting_may_open(today),
    };
    let mut schedule_changes = Vec::new();
    for c in store::schedule_changes(db, id).await? {
        let read = |json: &str| {
            serde_json::from_str::<crate::domain::review::schedule::Schedule>(json).map_err(|e| {
                tracing::error!(error = %e, session = id, "stored schedule change unreadable");
                AppError::Internal
            })
        };
        let (before, after) = (read(&c.before)?, read(&c.after)?);
        schedule_changes.push(ScheduleChangeView {
            by: c.changed_by_name.unwrap_or_default(),
            at: c.changed_at,
            moved: before
                .changes(&after)
                .into_iter()
                .map(|(f, a, b)| (f.to_string(), a, b))
                .collect(),
            reason: c.reason,
        });
    }
    // Notices whose count needs a year's calendar that is not stored: their clock has stopped
    // until the secretariat imports it.
    let mut calendar_missing: Vec<i32> = applications
        .iter()
        .filter_map(|a| a.calendar_missing)
        .collect();
    calendar_missing.sort_unstable();
    calendar_missing.dedup();
    Ok(SessionDetail {
        phases,
        calendar_missing,
        schedule_changes,
        can_run: access::allows(
            grants,
            Action::RunReviews {
                committee: s.committee_id,
            },
        ),
        session: session_view(&s, at)?,
        counts,
        overview,
        applications,
    })
}

/// The dashboard line: applications, scoring progress, conflicts, open objections, appeals.
async fn overview(
    db: &Db,
    session: i64,
    applications: &[ApplicationView],
) -> Result<SessionOverview, AppError> {
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    let mut o = SessionOverview {
        applications: n(applications.len()),
        ..SessionOverview::default()
    };
    let mut conflicted = std::collections::BTreeSet::new();
    for a in applications {
        if a.state == State::ExpertReview {
            o.sheets_expected += n(crate::db::panels::assigned(db, a.id).await?.len());
            o.sheets_in += n(crate::db::scoring::sheets(db, a.id).await?.len());
        }
        if matches!(a.state, State::AppealReview(_)) {
            o.appeals += 1;
        }
        for c in crate::db::panels::conflicts(db, a.id).await? {
            o.conflicts += 1;
            conflicted.insert(c.reviewer_id);
        }
    }
    o.conflicted_reviewers = n(conflicted.len());
    o.open_objections = n(crate::db::notice::of_session(db, session)
        .await?
        .iter()
        .filter(|x| x.outcome.is_none())
        .count());
    Ok(o)
}

/// The frozen dossier, for the candidate themself, a unit reviewer of their unit, and the
/// committee's secretariat and chair. Anyone else: not found.
pub async fn dossier(
    db: &Db,
    caller: (i64, i64),
    grants: &[Grant],
    id: i64,
    lang: Lang,
    at: DateTime<Utc>,
) -> Result<DossierView, AppError> {
    let (person, user) = caller;
    let row = store::application(db, id)
        .await?
        .filter(|a| a.dossier_version > 0)
        .ok_or(AppError::NotFound)?;
    let committee = row.committee_id;
    let allowed = row.person_id == person
        || row
            .unit_id
            .is_some_and(|unit| access::allows(grants, Action::RecommendForUnit { unit }))
        || access::allows(grants, Action::ViewReviews { committee })
        || reviewer_reads(db, &row, user).await?
        || member_reads(db, &row, user).await?;
    if !allowed {
        return Err(AppError::NotFound);
    }
    let d = store::dossier(db, id, row.dossier_version)
        .await?
        .ok_or(AppError::NotFound)?;
    let session = store::session(db, row.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let cal = store::calendar(db).await?;
    Ok(DossierView {
        application: application_view(db, &row, &cal, lang).await?,
        session: session_view(&session, at)?,
        dossier: dossier::open(&d.payload)?,
        version: d.version,
        sha256: d.sha256,
        frozen_at: d.frozen_at,
    })
}

/// A session's panels and each application's reviewers and conflicts (secretariat, chair).
pub async fn staffing(
    db: &Db,
    grants: &[Grant],
    session_id: i64,
) -> Result<crate::api::panels::StaffingView, AppError> {
    use crate::db::panels;
    let s = visible_session(db, grants, session_id).await?;
    let mut applications = Vec::new();
    for row in store::applications_of_session(db, session_id).await? {
        if row.dossier_version == 0 {
            continue;
        }
        applications.push(crate::api::panels::Staffing {
            application_id: row.id,
            panel_id: panels::application_panel(db, row.id).await?,
            reviewers: panels::assigned(db, row.id)
                .await?
                .into_iter()
                .map(|(_, name)| name)
                .collect(),
            conflicts: panels::conflicts(db, row.id)
                .await?
                .into_iter()
                .map(|c| (c.reviewer_name, c.kind, c.detail))
                .collect(),
        });
    }
    Ok(crate::api::panels::StaffingView {
        panels: panels::panels(db, s.committee_id)
            .await?
            .into_iter()
            .map(|p| (p.id, format!("{} {}", p.code, p.name)))
            .collect(),
        applications,
    })
}

/// The applications assigned to a reviewer.
pub async fn tasks(db: &Db, reviewer: i64) -> Result<Vec<crate::api::panels::Task>, AppError> {
    use crate::db::scoring;
    let mut out = Vec::new();
    for id in crate::db::panels::assignments_of(db, reviewer).await? {
        let Some(row) = store::application(db, id).await? else {
            continue;
        };
        let Some(session) = store::session(db, row.session_id).await? else {
            continue;
        };
        let scored = scoring::sheets(db, id)
            .await?
            .iter()
            .any(|s| s.reviewer_id == reviewer);
        let rules = rules_of(&session.rules)?;
        let defense_owed = super::defense::owes(db, id, reviewer, &rules).await?;
        out.push(crate::api::panels::Task {
            application_id: row.id,
            candidate: row.person_name.clone(),
            session_code: row.session_code.clone(),
            state: state_of(&row)?,
            scoring_to: session.scoring_to,
            scored,
            reminded: (!scored || defense_owed)
                && scoring::last_reminder(db, id, reviewer).await?.is_some(),
            defense: rules.defense,
            defense_at: super::defense::schedule_for(db, id, &rules).await?,
            defense_owed,
        });
    }
    Ok(out)
}
