//! Freezing a candidate's dossier: everything the committee will read, as it stands now.

use crate::api::AppError;
use crate::db::review::SessionRow;
use crate::db::{Db, files, people, records, review as store};
use crate::domain::id_number::IdNumber;
use crate::domain::records::{RecordKind, Status};
use crate::domain::review::dossier::{
    self, Candidate, Dossier, DossierRecord, EducationEntry, EmployerEntry, FileRef, TitleEntry,
};
use crate::domain::review::rules::ReviewRules;
use crate::domain::score::score;
use crate::i18n::Key;
use chrono::Datelike;
use sha2::{Digest, Sha256};

/// `person`'s dossier for `session`, scored under the ruleset in force with the application
/// deadline as the evaluation date. Refused while no ruleset is in force.
pub async fn build(
    db: &Db,
    person: i64,
    session: &SessionRow,
    rules: &ReviewRules,
    exception_request: &str,
) -> Result<Dossier, AppError> {
    let (ruleset_id, ruleset) = crate::server::scores::ruleset_in_force(db)
        .await?
        .ok_or(AppError::Refused(Key::NoRulesetInForce))?;
    let row = people::person_by_id(db, person)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, gender) = store::person_unit(db, person).await?.unwrap_or_default();
    let profile = super::super::profile::load(db, person).await?;
    let evidence = crate::server::scores::evidence_of(db, person).await?;
    let report = score(&evidence, &ruleset, session.applies_to);
    let failed = store::failed_in_year(
        db,
        person,
        session.committee_id,
        session.applies_from.year() - 1,
    )
    .await?;
    let ineligible = dossier::ineligible(
        &report.title.eligibility,
        failed.as_deref(),
        rules.bar_previous_year_failures,
    );
    let mut file_refs: std::collections::BTreeMap<i64, Vec<FileRef>> = Default::default();
    for f in files::of_person(db, person).await? {
        file_refs.entry(f.record_id).or_default().push(FileRef {
            id: f.id,
            kind: f.kind,
            name: f.file_name,
            size: f.size,
            sha256: f.sha256,
        });
    }
    let mut list = Vec::new();
    for r in records::of_person(db, person).await? {
        let (Some(kind), Some(status)) = (RecordKind::parse(&r.kind), Status::parse(&r.status))
        else {
            continue;
        };
        if matches!(status, Status::Withdrawn) {
            continue;
        }
        list.push(DossierRecord {
            id: r.id,
            kind,
            status,
            date: r.record_date,
            entry: crate::server::scores::entry_of(&r.payload)?,
            files: file_refs.remove(&r.id).unwrap_or_default(),
        });
    }
    Ok(Dossier {
        schema: dossier::SCHEMA.to_string(),
        candidate: Candidate {
            name: row.name,
            id_masked: row
                .id_number
                .as_deref()
                .and_then(|n| IdNumber::parse(n).ok())
                .map(|n| n.masked())
                .unwrap_or_default(),
            gender,
            unit: row.unit_name,
        },
        education: profile
            .education
            .iter()
            .filter_map(|e| {
                Some(EducationEntry {
                    level: crate::domain::eligibility::Education::parse(&e.level)?,
                    institution: e.institution.clone(),
                    major: e.major.clone(),
                    graduated_on: e.graduated_on,
                })
            })
            .collect(),
        titles: profile
            .titles
            .iter()
            .map(|t| TitleEntry {
                rank: t.rank.clone(),
                series: t.series.clone(),
                obtained_on: t.obtained_on,
                certificate_no: t.certificate_no.clone(),
            })
            .collect(),
        employers: profile
            .employers
            .iter()
            .map(|e| EmployerEntry {
                unit_name: e.unit_name.clone(),
                position: e.position.clone(),
                from_on: e.from_on,
                to_on: e.to_on,
            })
            .collect(),
        locality: evidence.profile.locality,
        practice_since: profile.locality.practice_since,
        ruleset_id,
        ruleset: format!("{} v{}", ruleset.id, ruleset.version),
        evidence,
        report,
        records: list,
        ineligible,
        exception_request: exception_request.trim().to_string(),
    })
}

/// The stored form of a dossier and its SHA-256 (hex).
pub fn seal(d: &Dossier) -> Result<(String, String), AppError> {
    let json = serde_json::to_string(d).map_err(|e| {
        tracing::error!(error = %e, "dossier did not serialise");
        AppError::Internal
    })?;
    let hash = hex::encode(Sha256::digest(json.as_bytes()));
    Ok((json, hash))
}

/// A stored dossier, read back.
pub fn open(payload: &str) -> Result<Dossier, AppError> {
    serde_json::from_str(payload).map_err(|e| {
        tracing::error!(error = %e, "stored dossier unreadable");
        AppError::Internal
    })
}
