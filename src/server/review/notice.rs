//! After the ballot (issue 6 item 7): the secretariat publishes the passed candidates on a
//! public notice of working days; anyone may object on the public page (rate-limited per
//! address, with contact details); the secretariat resolves each objection with a reason;
//! the calendar ends the notice (clock.rs); then the human-resources authority confirms
//! (certificates.rs). The session page's section here also lists appeals (appeals.rs).

use super::applications::{check_reason, notice_ran_so_far, session_of};
use super::views::visible_session;
use super::{rules_of, state_of, step};
use crate::api::notice::{AppealView, NoticeGroup, NoticeItem, NoticeSection, ObjectionView};
use crate::api::{AppError, FieldError, STATE};
use crate::db::Db;
use crate::db::audit::{self, Actor as Who, Change};
use crate::db::notice::{self as notices, NewObjection, ObjectionRow};
use crate::db::review::{self as store, ApplicationRow};
use crate::domain::access::{self, Action};
use crate::domain::review::calendar::{MissingYear, WorkCalendar};
use crate::domain::review::notice::{Contact, ContactError, MAX_BODY, MAX_NAME, mask_contact};
use crate::domain::review::procedure::{Actor, Appealed, Event, State};
use crate::domain::review::rules::{AfterObjection, ReviewRules};
use crate::domain::role::Grant;
use crate::i18n::Key;
use crate::server::clock::china_date;
use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

/// The secretariat puts every candidate of the session who passed the ballot on the result's
/// public notice, starting on `notice_from` (not in the future). Returns how many.
pub async fn publish(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    session_id: i64,
    notice_from: &str,
    at: DateTime<Utc>,
) -> Result<u32, AppError> {
    let session = store::session(db, session_id)
        .await?
        .filter(|s| may(s.committee_id))
        .ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let from = crate::server::validate::parse_date("notice_from", notice_from, &mut errors)
        .ok_or(AppError::Validation(errors))?;
    if from > china_date(at) {
        return Err(AppError::invalid("notice_from", Key::ErrFutureDate));
    }
    let mut passed = Vec::new();
    for app in store::applications_of_session(db, session.id).await? {
        if state_of(&app)? == State::PassedPendingNotice {
            // The notice cannot start before the result it publishes was certified.
            if from < china_date(app.updated_at) {
                return Err(AppError::invalid("notice_from", Key::ErrNoticeBeforeResult));
            }
            passed.push(app);
        }
    }
    if passed.is_empty() {
        return Err(AppError::Refused(Key::ErrNothingToPublish));
    }
    let mut tx = db.begin_write().await?;
    for app in &mut passed {
        app.notice_from = Some(from);
        app.notice_days_before = 0;
        step(&mut tx, app, &Event::Publish, Actor::Secretariat, who, at).await?;
    }
    tx.commit().await?;
    Ok(u32::try_from(passed.len()).unwrap_or(u32::MAX))
}

/// The last day of a notice that started (or resumed) on `app_from`, after `before` working
/// days it ran before a suspension, of `required` in all; or the year whose calendar the
/// count needs and does not have (the end is then unknown and the notice clock stopped).
pub(super) fn notice_ends(
    cal: &WorkCalendar,
    app_from: Option<NaiveDate>,
    before: i32,
    required: u32,
) -> Result<Option<NaiveDate>, MissingYear> {
    let left = required.saturating_sub(u32::try_from(before).unwrap_or(0));
    match app_from {
        Some(from) => cal.notice_end(from, left.max(1)),
        None => Ok(None),
    }
}

/// The public notice page: every result on notice, by session. Needs no sign-in and shows
/// only what a paper notice would (name, employer, the period).
pub async fn public_notices(db: &Db) -> Result<Vec<NoticeGroup>, AppError> {
    let cal = store::calendar(db).await?;
    let mut groups: Vec<NoticeGroup> = Vec::new();
    for row in notices::on_notice(db).await? {
        let rules: ReviewRules = rules_of(&row.rules)?;
        let item = NoticeItem {
            application_id: row.application_id,
            name: row.person_name,
            unit: row.unit_name.unwrap_or_default(),
            notice_from: row.notice_from,
            notice_ends: notice_ends(
                &cal,
                row.notice_from,
                row.notice_days_before,
                rules.result_notice_days,
            )
            .unwrap_or(None),
            under_review: row.state == State::ResultObjectionReview.code(),
        };
        match groups.last_mut() {
            Some(g) if g.session_id == row.session_id => g.items.push(item),
            _ => groups.push(NoticeGroup {
                session_id: row.session_id,
                session_code: row.session_code,
                session_name: row.session_name,
                committee: row.committee,
                notice_days: rules.result_notice_days,
                items: vec![item],
            }),
        }
    }
    Ok(groups)
}

/// What the public page's objection form carries.
pub struct ObjectionForm<'a> {
    pub application: i64,
    pub name: &'a str,
    pub contact: &'a str,
    pub body: &'a str,
}

fn source_of(address: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"ladder objection source\0");
    h.update(address.as_bytes());
    hex::encode(h.finalize())
}

/// Anyone files an objection to a result on notice. The first one suspends the notice (the
/// application goes to objection review); later ones join it. At most the session's
/// `objections_per_hour` from one address in an hour.
pub async fn file_objection(
    db: &Db,
    address: &str,
    form: &ObjectionForm<'_>,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let name = form.name.trim();
    let body = form.body.trim();
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::new("name", Key::ErrRequired));
    } else if name.chars().count() > MAX_NAME {
        errors.push(FieldError::new("name", Key::ErrTooLong));
    }
    let contact = match Contact::parse(form.contact) {
        Ok(c) => Some(c),
        Err(ContactError::Missing) => {
            errors.push(FieldError::new("contact", Key::ErrRequired));
            None
        }
        Err(ContactError::Unusable) => {
            errors.push(FieldError::new("contact", Key::ErrContact));
            None
        }
    };
    if body.is_empty() {
        errors.push(FieldError::new("body", Key::ErrRequired));
    } else if body.chars().count() > MAX_BODY {
        errors.push(FieldError::new("body", Key::ErrTooLong));
    }
    let (Some(contact), true) = (contact, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let filed = Filed {
        application: form.application,
        name,
        contact: contact.as_str(),
        body,
        source: source_of(address),
    };
    // Two first objections at once: the second finds the notice already suspended (the
    // application's revision moved) and, read again, joins the objection review.
    match record_objection(db, &filed, at).await {
        Err(AppError::Conflict(f)) if f == crate::api::STATE => {
            record_objection(db, &filed, at).await
        }
        other => other,
    }
}

/// A checked objection, ready to store.
struct Filed<'a> {
    application: i64,
    name: &'a str,
    contact: &'a str,
    body: &'a str,
    source: String,
}

/// Stores an objection within the hourly limit and suspends the notice if it is the first.
async fn record_objection(db: &Db, form: &Filed<'_>, at: DateTime<Utc>) -> Result<i64, AppError> {
    let mut app = store::application(db, form.application)
        .await?
        .ok_or(AppError::NotFound)?;
    let state = state_of(&app)?;
    if !matches!(
        state,
        State::ResultPublicNotice | State::ResultObjectionReview
    ) {
        return Err(AppError::NotFound);
    }
    let (_, rules) = session_of(db, &app).await?;
    let cal = store::calendar(db).await?;
    let mut tx = db.begin_write().await?;
    let hour_ago = at - chrono::Duration::hours(1);
    if notices::lock_and_count_from(&mut tx, &form.source, hour_ago).await?
        >= i64::from(rules.objections_per_hour)
    {
        // At most an hour: the oldest counted objection leaves the window by then.
        return Err(AppError::Throttled {
            key: Key::ErrTooManyObjections,
            retry_after_secs: 3600,
        });
    }
    let id = notices::insert_objection(
        &mut tx,
        &NewObjection {
            application: app.id,
            name: form.name,
            contact: form.contact,
            body: form.body,
            source: &form.source,
        },
        at,
    )
    .await?;
    let who = Who::system("public");
    if state == State::ResultPublicNotice {
        let today = china_date(at);
        app.notice_days_before = notice_ran_so_far(&cal, &app, today);
        app.notice_from = None;
        step(
            &mut tx,
            &mut app,
            &Event::ObjectionFiled,
            Actor::Public,
            &who,
            at,
        )
        .await?;
    }
    // The log says an objection came in, never who filed it or what it says.
    audit::append(
        &mut tx,
        at,
        &who,
        Change {
            action: "objection.filed",
            entity_type: "objection",
            entity_id: id.to_string(),
            before: None,
            after: Some(format!("application {}", app.id)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// How the secretariat resolves an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The objection stands: the result is revoked.
    Uphold,
    /// The objection is unfounded: once no other is open, the notice goes on.
    Dismiss,
}

impl Resolution {
    pub fn parse(code: &str) -> Option<Resolution> {
        match code {
            "uphold" => Some(Resolution::Uphold),
            "dismiss" => Some(Resolution::Dismiss),
            _ => None,
        }
    }
}

async fn objection_in(
    db: &Db,
    may: impl Fn(i64) -> bool,
    id: i64,
) -> Result<(ObjectionRow, ApplicationRow), AppError> {
    let o = notices::objection(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let app = store::application(db, o.application_id)
        .await?
        .filter(|a| may(a.committee_id))
        .ok_or(AppError::NotFound)?;
    Ok((o, app))
}

/// The secretariat resolves objection `id` of a committee it runs (`may`) with a reason.
#[allow(clippy::too_many_arguments)]
pub async fn resolve_objection(
    db: &Db,
    who: &Who,
    user_id: i64,
    may: impl Fn(i64) -> bool,
    id: i64,
    resolution: Resolution,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    check_reason("reason", reason, true)?;
    let reason = reason.trim().to_string();
    let (o, mut app) = objection_in(db, may, id).await?;
    if o.outcome.is_some() || state_of(&app)? != State::ResultObjectionReview {
        return Err(AppError::Conflict(STATE.into()));
    }
    let (_, rules) = session_of(db, &app).await?;
    let today = china_date(at);
    let mut tx = db.begin_write().await?;
    let outcome = match resolution {
        Resolution::Uphold => "upheld",
        Resolution::Dismiss => "dismissed",
    };
    if !notices::resolve(&mut tx, id, outcome, &reason, user_id, at).await? {
        return Err(AppError::Conflict(STATE.into()));
    }
    match resolution {
        Resolution::Uphold => {
            notices::supersede_others(&mut tx, app.id, &reason, user_id, at).await?;
            app.decided_on = Some(today);
            let event = Event::ObjectionUpheld {
                reason: reason.clone(),
            };
            step(&mut tx, &mut app, &event, Actor::Secretariat, who, at).await?;
        }
        Resolution::Dismiss => {
            if notices::open_count(&mut tx, app.id).await? == 0 {
                app.notice_from = Some(today);
                if rules.after_objection == AfterObjection::Restart {
                    app.notice_days_before = 0;
                }
                let event = Event::ObjectionDismissed {
                    reason: reason.clone(),
                };
                step(&mut tx, &mut app, &event, Actor::Secretariat, who, at).await?;
            }
        }
    }
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: &format!("objection.{outcome}"),
            entity_type: "objection",
            entity_id: id.to_string(),
            before: None,
            after: Some(reason),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The objector's contact details in full, for the secretariat to reply; audited.
pub async fn reveal_contact(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    id: i64,
    at: DateTime<Utc>,
) -> Result<String, AppError> {
    let (o, _) = objection_in(db, may, id).await?;
    let mut tx = db.begin_write().await?;
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "objection.unmask_contact",
            entity_type: "objection",
            entity_id: id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(o.contact)
}

/// The session page's section on the result notice, objections and appeals.
pub async fn section(
    db: &Db,
    grants: &[Grant],
    session_id: i64,
    at: DateTime<Utc>,
) -> Result<NoticeSection, AppError> {
    let s = visible_session(db, grants, session_id).await?;
    let rules = rules_of(&s.rules)?;
    let cal = store::calendar(db).await?;
    let can_run = access::allows(
        grants,
        Action::RunReviews {
            committee: s.committee_id,
        },
    );
    let mut to_publish = Vec::new();
    let mut on_notice = Vec::new();
    let mut appeals = Vec::new();
    let mut decided = Vec::new();
    for app in store::applications_of_session(db, session_id).await? {
        let state = state_of(&app)?;
        match state {
            State::PassedPendingNotice => to_publish.push(app.person_name.clone()),
            State::ResultPublicNotice | State::ResultObjectionReview => {
                on_notice.push(NoticeItem {
                    application_id: app.id,
                    name: app.person_name.clone(),
                    unit: app.unit_name.clone().unwrap_or_default(),
                    notice_from: app.notice_from,
                    notice_ends: notice_ends(
                        &cal,
                        app.notice_from,
                        app.notice_days_before,
                        rules.result_notice_days,
                    )
                    .unwrap_or(None),
                    under_review: state == State::ResultObjectionReview,
                })
            }
            State::AppealReview(kind) => {
                let reason = store::events(db, app.id)
                    .await?
                    .into_iter()
                    .rev()
                    .find(|e| e.event == "appeal")
                    .map(|e| e.reason)
                    .unwrap_or_default();
                appeals.push(AppealView {
                    application_id: app.id,
                    candidate: app.person_name.clone(),
                    against_not_passed: kind == Appealed::NotPassed,
                    reason,
                });
            }
            State::HrssConfirmation | State::Certified | State::Revoked | State::NotPassed => {
                let certificate = notices::certificate_of(db, app.id).await?.map(|c| c.number);
                decided.push((app.person_name.clone(), state, certificate));
            }
            _ => {}
        }
    }
    let objections = notices::of_session(db, session_id)
        .await?
        .into_iter()
        .map(|o| ObjectionView {
            id: o.id,
            application_id: o.application_id,
            candidate: o.candidate,
            name: o.name,
            contact: mask_contact(&o.contact),
            body: o.body,
            filed_at: o.filed_at,
            outcome: o.outcome,
            reason: o.reason,
        })
        .collect();
    Ok(NoticeSection {
        session_id,
        can_run,
        today: china_date(at),
        notice_days: rules.result_notice_days,
        to_publish,
        on_notice,
        objections,
        appeals,
        decided,
    })
}
