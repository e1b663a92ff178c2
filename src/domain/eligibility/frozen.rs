//! The form of a [`Shortfall`] that dossiers frozen before the documented one hold (serde's
//! default, externally tagged by the variants' Rust names): frozen dossiers are immutable, so
//! the fields that hold a shortfall read either form.

use super::Shortfall;
use crate::domain::quantity::Hours;
use chrono::NaiveDate;
use serde::Deserialize;

/// Either form of a [`Shortfall`]: the documented one, or the one dossiers frozen before it
/// hold.
#[derive(Deserialize)]
#[serde(untagged)]
enum EitherForm {
    Documented(Shortfall),
    Frozen(Frozen),
}

/// serde's default form (externally tagged by the variants' Rust names), as dossiers frozen
/// before the documented form hold it.
#[derive(Deserialize)]
enum Frozen {
    NoIntermediateTitle,
    EducationNotInTable,
    Seniority {
        has_years: u32,
        needs_years: u32,
        eligible_on: NaiveDate,
    },
    ContinuingEducation {
        year: i32,
        total: Hours,
        professional: Hours,
    },
    Locality,
}

impl From<EitherForm> for Shortfall {
    fn from(f: EitherForm) -> Shortfall {
        match f {
            EitherForm::Documented(s) => s,
            EitherForm::Frozen(Frozen::NoIntermediateTitle) => Shortfall::NoIntermediateTitle,
            EitherForm::Frozen(Frozen::EducationNotInTable) => Shortfall::EducationNotInTable,
            EitherForm::Frozen(Frozen::Seniority {
                has_years,
                needs_years,
                eligible_on,
            }) => Shortfall::Seniority {
                has_years,
                needs_years,
                eligible_on,
            },
            EitherForm::Frozen(Frozen::ContinuingEducation {
                year,
                total,
                professional,
            }) => Shortfall::ContinuingEducation {
                year,
                total,
                professional,
            },
            EitherForm::Frozen(Frozen::Locality) => Shortfall::Locality,
        }
    }
}

/// Reads a shortfall in either form (`#[serde(deserialize_with)]`).
pub fn either_form<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Shortfall, D::Error> {
    EitherForm::deserialize(d).map(Shortfall::from)
}

/// Reads a list of shortfalls, each in either form.
pub(super) fn either_forms<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<Shortfall>, D::Error> {
    Vec::<EitherForm>::deserialize(d).map(|v| v.into_iter().map(Shortfall::from).collect())
}
