//! The dossier a candidate submits (domain.md §6, issue 6): who they are, what they have stated
//! about themselves, their records with the evidence files' fingerprints, and their score
//! report under the ruleset in force, as it all stood at submission. It is frozen — stored once
//! with its SHA-256 — so later edits to records never change what the committee sees.

use crate::domain::eligibility::{Education, Eligibility, Locality, Shortfall};
use crate::domain::evidence::PersonEvidence;
use crate::domain::records::{Entry, RecordKind, Status};
use crate::domain::score::ScoreReport;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The schema tag of a stored dossier.
pub const SCHEMA: &str = "ladder.dossier/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    pub schema: String,
    pub candidate: Candidate,
    pub education: Vec<EducationEntry>,
    pub titles: Vec<TitleEntry>,
    pub employers: Vec<EmployerEntry>,
    pub locality: Locality,
    pub practice_since: Option<NaiveDate>,
    /// The ruleset version the report was computed under (immutable once used).
    pub ruleset_id: i64,
    pub ruleset: String,
    /// What the ruleset read, and what it made of it.
    pub evidence: PersonEvidence,
    pub report: ScoreReport,
    pub records: Vec<DossierRecord>,
    /// Why the automatic check finds the candidate ineligible (empty: eligible).
    pub ineligible: Vec<Reason>,
    /// The candidate's case for an exception (破格), if they make one.
    pub exception_request: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub name: String,
    /// The ID number masked (the dossier is read by many; the full number is not needed).
    pub id_masked: String,
    pub gender: Option<String>,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EducationEntry {
    pub level: Education,
    pub institution: String,
    pub major: String,
    pub graduated_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleEntry {
    pub rank: String,
    pub series: String,
    pub obtained_on: NaiveDate,
    pub certificate_no: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerEntry {
    pub unit_name: String,
    pub position: String,
    pub from_on: NaiveDate,
    pub to_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierRecord {
    pub id: i64,
    pub kind: RecordKind,
    pub status: Status,
    pub date: NaiveDate,
    pub entry: Entry,
    pub files: Vec<FileRef>,
}

/// An evidence file as it was at submission: the stored bytes are kept even if the trainee
/// removes the file later, and the hash proves they are the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub size: i64,
    pub sha256: String,
}

/// Why a candidate is not eligible for this session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// A condition of the title's eligibility table (education × years, CE, locality).
    Title {
        #[serde(deserialize_with = "crate::domain::eligibility::either_form")]
        shortfall: Shortfall,
    },
    /// Did not pass in the previous year's session (the rules bar them unless excepted).
    FailedLastYear { session: String },
}

/// The reasons a candidate is ineligible: the title's conditions, and last year's failure
/// when the rules bar it (`failed_last_year` names that session).
pub fn ineligible(
    title: &Eligibility,
    failed_last_year: Option<&str>,
    bar_previous_year_failures: bool,
) -> Vec<Reason> {
    let mut out: Vec<Reason> = title
        .shortfalls
        .iter()
        .map(|s| Reason::Title {
            shortfall: s.clone(),
        })
        .collect();
    if let Some(session) = failed_last_year.filter(|_| bar_previous_year_failures) {
        out.push(Reason::FailedLastYear {
            session: session.to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_join_the_title_shortfalls_and_last_years_failure() {
        let eligible = Eligibility {
            shortfalls: vec![],
            waived_seniority: false,
        };
        assert!(ineligible(&eligible, None, true).is_empty());
        assert_eq!(
            ineligible(&eligible, Some("2025"), true),
            vec![Reason::FailedLastYear {
                session: "2025".into()
            }]
        );
        assert!(
            ineligible(&eligible, Some("2025"), false).is_empty(),
            "the bar is configuration"
        );
        let short = Eligibility {
            shortfalls: vec![Shortfall::Locality, Shortfall::NoIntermediateTitle],
            waived_seniority: false,
        };
        assert_eq!(ineligible(&short, None, true).len(), 2);
    }
}
