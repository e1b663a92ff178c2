//! The human-resources authority's confirmation (人社部门审核确认) of a result whose public
//! notice has ended, the certificate number it issues, and the public lookup of a number.

use super::state_of;
use super::step;
use crate::api::notice::{CertificateView, ConfirmItem, ConfirmPage};
use crate::api::{AppError, STATE};
use crate::db::Db;
use crate::db::audit::{self, Actor as Who, Change};
use crate::db::notice as notices;
use crate::db::review::{self as store, ApplicationRow};
use crate::domain::review::notice::{certificate_number, normalize_number};
use crate::domain::review::procedure::{Actor, Event, State};
use crate::server::clock::china_date;
use chrono::{DateTime, Utc};

/// The human-resources authority confirms a result whose notice has ended: the application is
/// certified and gets the session's next certificate number.
pub async fn confirm(
    db: &Db,
    who: &Who,
    user_id: i64,
    application: i64,
    at: DateTime<Utc>,
) -> Result<String, AppError> {
    let mut app = store::application(db, application)
        .await?
        .ok_or(AppError::NotFound)?;
    if state_of(&app)? != State::HrssConfirmation {
        return Err(AppError::Conflict(STATE.into()));
    }
    let today = china_date(at);
    let mut tx = db.begin_write().await?;
    let seq = notices::count_in_session(&mut tx, app.session_id).await? + 1;
    let number = certificate_number(&app.session_code, u32::try_from(seq).unwrap_or(u32::MAX));
    app.decided_on = Some(today);
    step(
        &mut tx,
        &mut app,
        &Event::Confirmed,
        Actor::Authority,
        who,
        at,
    )
    .await?;
    notices::insert_certificate(&mut tx, app.id, &number, today, user_id, at).await?;
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "certificate.issued",
            entity_type: "application",
            entity_id: app.id.to_string(),
            before: None,
            after: Some(number.clone()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// The authority's page: results waiting for confirmation, and the certificates issued.
pub async fn confirm_page(db: &Db) -> Result<ConfirmPage, AppError> {
    let mut waiting = Vec::new();
    for app in store::applications_in_state(db, State::HrssConfirmation.code()).await? {
        waiting.push(confirm_item(db, &app).await?);
    }
    let mut certified = Vec::new();
    for app in store::applications_in_state(db, State::Certified.code()).await? {
        let mut item = confirm_item(db, &app).await?;
        item.certificate = notices::certificate_of(db, app.id).await?.map(|c| c.number);
        certified.push(item);
    }
    certified.sort_by(|a, b| a.certificate.cmp(&b.certificate));
    Ok(ConfirmPage { waiting, certified })
}

async fn confirm_item(db: &Db, app: &ApplicationRow) -> Result<ConfirmItem, AppError> {
    let tally = crate::db::ballot::tally(db, app.id).await?;
    let session = store::session(db, app.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let objections = notices::count_of(db, app.id).await?;
    Ok(ConfirmItem {
        application_id: app.id,
        candidate: app.person_name.clone(),
        unit: app.unit_name.clone().unwrap_or_default(),
        session_code: app.session_code.clone(),
        session_name: session.name,
        yes: tally.as_ref().map_or(0, |t| t.yes),
        attending: tally.as_ref().map_or(0, |t| t.attending),
        objections: u32::try_from(objections).unwrap_or(u32::MAX),
        certificate: None,
    })
}

/// Anyone looks a certificate number up.
pub async fn verify_certificate(
    db: &Db,
    number: &str,
) -> Result<Option<CertificateView>, AppError> {
    let number = normalize_number(number);
    if number.is_empty() || number.chars().count() > 64 {
        return Ok(None);
    }
    Ok(notices::certificate_by_number(db, &number)
        .await?
        .map(|c| CertificateView {
            valid: c.state == State::Certified.code(),
            number: c.number,
            name: c.person_name,
            unit: c.unit_name.unwrap_or_default(),
            committee: c.committee,
            session_code: c.session_code,
            issued_on: c.issued_on,
        }))
}
