//! Previewing a ruleset version on the stored population before it is activated: everyone with
//! records or in a cohort is scored under the version in force and under the candidate; who
//! would move up or down a level, and how the totals shift (domain::whatif::impact).

use crate::api::AppError;
use crate::api::rulesets::{ImpactView, MoverView};
use crate::db::{Db, rulesets};
use crate::domain::explain;
use crate::domain::whatif::impact;
use crate::i18n::Lang;
use chrono::{DateTime, Utc};

pub async fn preview(
    db: &Db,
    code: &str,
    version: i32,
    lang: Lang,
    at: DateTime<Utc>,
) -> Result<ImpactView, AppError> {
    let Some((_, from)) = super::scores::ruleset_in_force(db).await? else {
        return Err(AppError::NotFound);
    };
    let source = rulesets::source(db, code, version)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = crate::import::ruleset::parse(&source).map_err(|e| {
        tracing::error!(code, version, error = %e, "a stored ruleset no longer parses");
        AppError::Internal
    })?;
    let ids = crate::db::scores::scored_people(db).await?;
    let mut people = Vec::with_capacity(ids.len());
    for id in &ids {
        people.push((id.to_string(), super::scores::evidence_of(db, *id).await?));
    }
    let result = impact(&people, &from, &to, super::clock::china_date(at));
    let mut movers = Vec::new();
    for m in result.up.iter().chain(&result.down) {
        let name = match m.person.parse::<i64>() {
            Ok(id) => crate::db::people::person_by_id(db, id)
                .await?
                .map(|p| p.name)
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        movers.push(MoverView {
            name,
            up: m.to_level > m.from_level,
            from_level: explain::level(m.from_level, lang).to_string(),
            to_level: explain::level(m.to_level, lang).to_string(),
            from_total: m.from_total,
            to_total: m.to_total,
        });
    }
    Ok(ImpactView {
        code: code.to_string(),
        version,
        text: explain::impact_text(&result, lang),
        people: result.people,
        up: result.up.len(),
        down: result.down.len(),
        same: result.same,
        movers,
    })
}
