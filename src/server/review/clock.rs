//! The calendar's part in the procedure: notices that have run their working days end, and
//! supplements not made by their deadline end the application. `serve` runs this every few
//! minutes (and `ladder review tick` on demand); it is idempotent.

use super::{rules_of, step};
use crate::api::AppError;
use crate::db::Db;
use crate::db::audit::Actor as Who;
use crate::db::review::{self as store, ApplicationRow};
use crate::domain::review::calendar::MissingYear;
use crate::domain::review::procedure::{Actor, Event, State};
use chrono::{DateTime, NaiveDate, Utc};

/// Moves every application whose notice or deadline has passed on `today`. Returns how many
/// moved. An application another step moved meanwhile is left for the next tick.
pub async fn tick(db: &Db, today: NaiveDate, at: DateTime<Utc>) -> Result<usize, AppError> {
    let who = Who::system("clock");
    let cal = store::calendar(db).await?;
    let mut moved = 0;
    let mut missing = std::collections::BTreeSet::new();
    for (mut app, required, end) in running_notices(db, &cal).await? {
        // The notice has run when its last working day is behind us. The count stops at
        // that day, so a year after it is never needed; a count that reaches a year with
        // no calendar stored stops the notice's clock (as plain Monday to Friday it could
        // end a notice on a holiday).
        match end {
            Ok(Some(last)) if last < today => {}
            Ok(_) => continue,
            Err(MissingYear(year)) => {
                missing.insert(year);
                continue;
            }
        }
        app.notice_from = None;
        app.notice_days_before = 0;
        let mut tx = db.begin_write().await?;
        let event = Event::NoticeElapsed {
            working_days: required,
            required,
        };
        match step(&mut tx, &mut app, &event, Actor::Clock, &who, at).await {
            Ok(_) => {
                tx.commit().await?;
                moved += 1;
            }
            Err(AppError::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
    }
    if !missing.is_empty() {
        tracing::warn!(
            years = ?missing,
            "review calendar: notices reach a year with no working-day calendar stored; their \
             clock has stopped until it is imported (ladder calendar import)"
        );
    }
    for mut app in store::applications_in_state(db, State::SupplementRequested.code()).await? {
        if app.supplement_due.is_none_or(|due| due >= today) {
            continue;
        }
        app.decided_on = Some(today);
        let mut tx = db.begin_write().await?;
        match step(
            &mut tx,
            &mut app,
            &Event::DeadlinePassed,
            Actor::Clock,
            &who,
            at,
        )
        .await
        {
            Ok(_) => {
                tx.commit().await?;
                moved += 1;
            }
            Err(AppError::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(moved)
}

/// Every application whose unit or result notice is running, with the working days its
/// notice needs and its last day (or the year whose calendar the count lacks).
async fn running_notices(
    db: &Db,
    cal: &crate::domain::review::calendar::WorkCalendar,
) -> Result<Vec<(ApplicationRow, u32, Result<Option<NaiveDate>, MissingYear>)>, AppError> {
    let mut out = Vec::new();
    for state in [State::UnitPublicNotice, State::ResultPublicNotice] {
        for app in store::applications_in_state(db, state.code()).await? {
            let Some(session) = store::session(db, app.session_id).await? else {
                continue;
            };
            let rules = rules_of(&session.rules)?;
            let required = if state == State::UnitPublicNotice {
                rules.unit_notice_days
            } else {
                rules.result_notice_days
            };
            let end =
                super::notice::notice_ends(cal, app.notice_from, app.notice_days_before, required);
            out.push((app, required, end));
        }
    }
    Ok(out)
}

/// The years whose working-day calendar is not stored and is needed: by a running notice
/// (with how many), and this year's, which any notice started today needs.
pub async fn missing_years(
    db: &Db,
    today: NaiveDate,
) -> Result<std::collections::BTreeMap<i32, usize>, AppError> {
    use chrono::Datelike;
    let cal = store::calendar(db).await?;
    let mut out = std::collections::BTreeMap::new();
    if !cal.knows(today.year()) {
        out.insert(today.year(), 0);
    }
    for (_, _, end) in running_notices(db, &cal).await? {
        if let Err(MissingYear(year)) = end {
            *out.entry(year).or_insert(0) += 1;
        }
    }
    Ok(out)
}

/// Ticks now and then every `period`, for the life of the server; a failed tick is logged and
/// retried at the next one.
pub async fn run_every(db: Db, period: std::time::Duration) {
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let at = crate::server::clock::now();
        match tick(&db, crate::server::clock::china_date(at), at).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(moved = n, "review calendar: applications moved on"),
            Err(e) => tracing::warn!(error = %e, "review calendar tick failed"),
        }
        // The audit chain is signed at least daily (each instance may; one a day is made).
        match crate::service::checkpoints::daily(&db, at).await {
            Ok(true) => tracing::info!("audit log: daily checkpoint signed"),
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "audit log: daily checkpoint failed"),
        }
    }
}
