//! "My profile": every signed-in person reads and edits only their own statements.

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EducationView {
    pub id: i64,
    pub level: crate::domain::eligibility::Education,
    pub institution: String,
    pub major: String,
    pub graduated_on: chrono::NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleView {
    pub id: i64,
    /// `intermediate`, `deputy_senior` or `full_senior`.
    pub rank: String,
    pub series: String,
    pub obtained_on: chrono::NaiveDate,
    pub certificate_no: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerView {
    pub id: i64,
    pub unit_name: String,
    pub position: String,
    pub from_on: chrono::NaiveDate,
    pub to_on: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LocalityView {
    pub hukou: bool,
    pub residence_permit: bool,
    pub social_insurance_months: i32,
    pub practice_since: Option<chrono::NaiveDate>,
}

/// The person's own contact details, shown to them in full (their own data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ContactView {
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub contact: ContactView,
    pub education: Vec<EducationView>,
    pub titles: Vec<TitleView>,
    pub employers: Vec<EmployerView>,
    pub locality: LocalityView,
}

#[server(endpoint = "my_profile")]
pub async fn my_profile() -> Result<ProfileView, AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::domain::eligibility::Education;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            let rows = crate::server::profile::load(ctx.db(), caller.person_id).await?;
            let (phone, email) = crate::db::people::contact(ctx.db(), caller.person_id).await?;
            Ok(ProfileView {
                contact: ContactView { phone, email },
                education: rows
                    .education
                    .into_iter()
                    .map(|e| EducationView {
                        id: e.id,
                        level: Education::parse(&e.level).unwrap_or(Education::Other),
                        institution: e.institution,
                        major: e.major,
                        graduated_on: e.graduated_on,
                    })
                    .collect(),
                titles: rows
                    .titles
                    .into_iter()
                    .map(|t| TitleView {
                        id: t.id,
                        rank: t.rank,
                        series: t.series,
                        obtained_on: t.obtained_on,
                        certificate_no: t.certificate_no,
                    })
                    .collect(),
                employers: rows
                    .employers
                    .into_iter()
                    .map(|e| EmployerView {
                        id: e.id,
                        unit_name: e.unit_name,
                        position: e.position,
                        from_on: e.from_on,
                        to_on: e.to_on,
                    })
                    .collect(),
                locality: LocalityView {
                    hukou: rows.locality.hukou,
                    residence_permit: rows.locality.residence_permit,
                    social_insurance_months: rows.locality.social_insurance_months,
                    practice_since: rows.locality.practice_since,
                },
            })
        }
        .await,
    )
}

/// The caller's own phone and e-mail.
#[server(endpoint = "set_contact")]
pub async fn set_contact(phone: String, email: String) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::profile::{self, ContactInput};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            profile::set_contact(
                ctx.db(),
                &caller.actor(),
                caller.person_id,
                &ContactInput { phone, email },
                ctx.now,
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "add_education")]
pub async fn add_education(
    level: String,
    institution: String,
    major: String,
    graduated_on: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::profile::{self, EducationInput};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            let input = EducationInput {
                level,
                institution,
                major,
                graduated_on,
            };
            profile::add_education(ctx.db(), &caller.actor(), caller.person_id, &input, ctx.now)
                .await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "add_title")]
pub async fn add_title(
    rank: String,
    series: String,
    obtained_on: String,
    certificate_no: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::profile::{self, TitleInput};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            let input = TitleInput {
                rank,
                series,
                obtained_on,
                certificate_no,
            };
            profile::add_title(ctx.db(), &caller.actor(), caller.person_id, &input, ctx.now)
                .await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "add_employer")]
pub async fn add_employer(
    unit_name: String,
    position: String,
    from_on: String,
    to_on: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::profile::{self, EmployerInput};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            let input = EmployerInput {
                unit_name,
                position,
                from_on,
                to_on,
            };
            profile::add_employer(ctx.db(), &caller.actor(), caller.person_id, &input, ctx.now)
                .await?;
            Ok(())
        }
        .await,
    )
}

/// Checkboxes arrive only when ticked.
#[server(endpoint = "set_locality")]
pub async fn set_locality(
    hukou: Option<String>,
    residence_permit: Option<String>,
    social_insurance_months: String,
    practice_since: String,
) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::domain::access::Action;
    use crate::server::profile::{self, LocalityInput};
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            let input = LocalityInput {
                hukou: hukou.is_some(),
                residence_permit: residence_permit.is_some(),
                social_insurance_months,
                practice_since,
            };
            profile::set_locality(ctx.db(), &caller.actor(), caller.person_id, &input, ctx.now)
                .await?;
            Ok(())
        }
        .await,
    )
}

/// `kind` is `education`, `title` or `employer`.
#[server(endpoint = "remove_profile_entry")]
pub async fn remove_profile_entry(kind: String, id: i64) -> Result<(), AppError> {
    use super::ssr::{context, respond};
    use crate::db::profile::EntryTable;
    use crate::domain::access::Action;
    respond(
        async {
            let ctx = context().await?;
            let caller = ctx.require(Action::UseOwnAccount)?;
            let table = match kind.as_str() {
                "education" => EntryTable::Education,
                "title" => EntryTable::Title,
                "employer" => EntryTable::Employer,
                _ => return Err(AppError::NotFound),
            };
            crate::server::profile::remove_entry(
                ctx.db(),
                &caller.actor(),
                caller.person_id,
                table,
                id,
                ctx.now,
            )
            .await
        }
        .await,
    )
}
