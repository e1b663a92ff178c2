//! "My profile": what a person states about their education, titles, employment, locality and
//! practice. Every entry is validated with every problem reported, written with its audit row
//! in one transaction, and only ever on the caller's own person.

use super::validate::{check_optional_text, check_text, parse_date, parse_past_date};
use crate::api::{AppError, FieldError};
use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::profile::{
    self, EducationRow, EmployerRow, EntryTable, LocalityRow, NewEducation, NewEmployer, NewTitle,
    TitleRow,
};
use crate::domain::eligibility::{Education, Locality};
use crate::i18n::Key;
use chrono::{DateTime, Utc};

async fn write(
    db: &Db,
    actor: &Actor,
    person: i64,
    action: &'static str,
    after: String,
    at: DateTime<Utc>,
    insert: impl AsyncFnOnce(&mut crate::db::Tx) -> Result<i64, crate::db::DbError>,
) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let id = insert(&mut tx).await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action,
            entity_type: "person",
            entity_id: person.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Default)]
pub struct EducationInput {
    pub level: String,
    pub institution: String,
    pub major: String,
    pub graduated_on: String,
}

pub async fn add_education(
    db: &Db,
    actor: &Actor,
    person: i64,
    input: &EducationInput,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    let level = Education::parse(&input.level);
    if level.is_none() {
        errors.push(FieldError::new("level", Key::ErrChoose));
    }
    check_text("institution", &input.institution, &mut errors);
    check_optional_text("major", &input.major, &mut errors);
    let graduated_on = parse_past_date(
        "graduated_on",
        &input.graduated_on,
        super::clock::china_date(at),
        &mut errors,
    );
    let (Some(level), Some(graduated_on), true) = (level, graduated_on, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let new = NewEducation {
        level: level.code(),
        institution: input.institution.trim(),
        major: input.major.trim(),
        graduated_on,
    };
    let after = format!(
        "education: {} {} {}",
        level.code(),
        new.institution,
        graduated_on
    );
    write(
        db,
        actor,
        person,
        "profile.education.add",
        after,
        at,
        async |tx| profile::insert_education(tx, person, &new, at).await,
    )
    .await
}

#[derive(Debug, Clone, Default)]
pub struct TitleInput {
    pub rank: String,
    pub series: String,
    pub obtained_on: String,
    pub certificate_no: String,
}

pub async fn add_title(
    db: &Db,
    actor: &Actor,
    person: i64,
    input: &TitleInput,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    let rank = crate::domain::profile::TITLE_RANKS
        .iter()
        .find(|r| **r == input.rank.trim())
        .copied();
    if rank.is_none() {
        errors.push(FieldError::new("rank", Key::ErrChoose));
    }
    check_text("series", &input.series, &mut errors);
    check_optional_text("certificate_no", &input.certificate_no, &mut errors);
    let obtained_on = parse_past_date(
        "obtained_on",
        &input.obtained_on,
        super::clock::china_date(at),
        &mut errors,
    );
    let (Some(rank), Some(obtained_on), true) = (rank, obtained_on, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let new = NewTitle {
        rank,
        series: input.series.trim(),
        obtained_on,
        certificate_no: input.certificate_no.trim(),
    };
    let after = format!("title: {rank} {} {obtained_on}", new.series);
    write(
        db,
        actor,
        person,
        "profile.title.add",
        after,
        at,
        async |tx| profile::insert_title(tx, person, &new, at).await,
    )
    .await
}

#[derive(Debug, Clone, Default)]
pub struct EmployerInput {
    pub unit_name: String,
    pub position: String,
    pub from_on: String,
    /// Empty while the person still works there.
    pub to_on: String,
}

pub async fn add_employer(
    db: &Db,
    actor: &Actor,
    person: i64,
    input: &EmployerInput,
    at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut errors = Vec::new();
    check_text("unit_name", &input.unit_name, &mut errors);
    check_optional_text("position", &input.position, &mut errors);
    let from_on = parse_past_date(
        "from_on",
        &input.from_on,
        super::clock::china_date(at),
        &mut errors,
    );
    let to_on = if input.to_on.trim().is_empty() {
        None
    } else {
        parse_date("to_on", &input.to_on, &mut errors)
    };
    if let (Some(from), Some(to)) = (from_on, to_on)
        && to < from
    {
        errors.push(FieldError::new("to_on", Key::ErrToBeforeFrom));
    }
    let (Some(from_on), true) = (from_on, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let new = NewEmployer {
        unit_name: input.unit_name.trim(),
        position: input.position.trim(),
        from_on,
        to_on,
    };
    let after = format!("employer: {} {from_on}", new.unit_name);
    write(
        db,
        actor,
        person,
        "profile.employer.add",
        after,
        at,
        async |tx| profile::insert_employer(tx, person, &new, at).await,
    )
    .await
}

#[derive(Debug, Clone, Default)]
pub struct LocalityInput {
    pub hukou: bool,
    pub residence_permit: bool,
    pub social_insurance_months: String,
    /// Empty when not stated.
    pub practice_since: String,
}

pub async fn set_locality(
    db: &Db,
    actor: &Actor,
    person: i64,
    input: &LocalityInput,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let months = match input.social_insurance_months.trim() {
        "" => Some(0),
        m => m.parse::<i32>().ok().filter(|m| (0..=24).contains(m)),
    };
    if months.is_none() {
        errors.push(FieldError::new("social_insurance_months", Key::ErrMonths));
    }
    let practice_since = if input.practice_since.trim().is_empty() {
        None
    } else {
        parse_past_date(
            "practice_since",
            &input.practice_since,
            super::clock::china_date(at),
            &mut errors,
        )
    };
    let (Some(months), true) = (months, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let row = LocalityRow {
        hukou: input.hukou,
        residence_permit: input.residence_permit,
        social_insurance_months: months,
        practice_since,
    };
    let after = format!(
        "locality: hukou={} permit={} insurance_months={months} practice_since={}",
        row.hukou,
        row.residence_permit,
        practice_since.map(|d| d.to_string()).unwrap_or_default()
    );
    write(
        db,
        actor,
        person,
        "profile.locality.set",
        after,
        at,
        async |tx| {
            profile::upsert_locality(tx, person, &row, at)
                .await
                .map(|()| person)
        },
    )
    .await?;
    Ok(())
}

/// Removes one of the caller's own entries; another person's entry is "not found".
pub async fn remove_entry(
    db: &Db,
    actor: &Actor,
    person: i64,
    table: EntryTable,
    id: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    if profile::delete_entry(&mut tx, person, table, id).await? == 0 {
        return Err(AppError::NotFound);
    }
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "profile.entry.remove",
            entity_type: "person",
            entity_id: person.to_string(),
            before: Some(format!("{table:?} #{id}")),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Everything a person has stated.
#[derive(Debug, Clone, Default)]
pub struct ProfileRows {
    pub education: Vec<EducationRow>,
    pub titles: Vec<TitleRow>,
    pub employers: Vec<EmployerRow>,
    pub locality: LocalityRow,
}

pub async fn load(db: &Db, person: i64) -> Result<ProfileRows, AppError> {
    Ok(ProfileRows {
        education: profile::education(db, person).await?,
        titles: profile::titles(db, person).await?,
        employers: profile::employers(db, person).await?,
        locality: profile::locality(db, person).await?.unwrap_or_default(),
    })
}

impl ProfileRows {
    /// What the rules engine reads: the highest education, the first intermediate title,
    /// locality and the start of practice (certificates and integrity records come from
    /// their own registers).
    pub fn to_domain(&self) -> crate::domain::profile::Profile {
        crate::domain::profile::Profile {
            education: self
                .education
                .iter()
                .filter_map(|e| Education::parse(&e.level))
                .min(),
            practice_since: self.locality.practice_since,
            intermediate_title_on: self
                .titles
                .iter()
                .filter(|t| t.rank == "intermediate")
                .map(|t| t.obtained_on)
                .min(),
            locality: Locality {
                hukou: self.locality.hukou,
                residence_permit: self.locality.residence_permit,
                social_insurance_months_last_two_years: u32::try_from(
                    self.locality.social_insurance_months,
                )
                .unwrap_or(0),
            },
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    /// Empty: none.
    pub phone: String,
    /// Empty: none.
    pub email: String,
}

/// The person's own phone and e-mail (issue 20: identity is corrected by the person, not by
/// another base's roster). Both checked as a roster's are; the audit row masks the phone.
pub async fn set_contact(
    db: &Db,
    actor: &Actor,
    person: i64,
    input: &ContactInput,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let (phone, email) = super::validate::contact(&input.phone, &input.email, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let shown = |p: &Option<String>, e: &Option<String>| {
        format!(
            "phone={} email={}",
            p.as_deref()
                .map(crate::domain::privacy::mask_phone)
                .unwrap_or_default(),
            e.as_deref().unwrap_or_default()
        )
    };
    let mut tx = db.begin_write().await?;
    let (old_phone, old_email) =
        crate::db::people::set_contact(&mut tx, person, phone.as_deref(), email.as_deref()).await?;
    if (old_phone.as_ref(), old_email.as_ref()) == (phone.as_ref(), email.as_ref()) {
        tx.rollback().await?;
        return Ok(());
    }
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "profile.contact.set",
            entity_type: "person",
            entity_id: person.to_string(),
            before: Some(shown(&old_phone, &old_email)),
            after: Some(shown(&phone, &email)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
