//! What a trainee types into a record form, checked all at once: each problem on its field,
//! the record's cross-field rules (domain.md §7.1) included, and where the record belongs
//! (the base and cohort that verify it).

use super::validate::{check_optional_text, check_text, parse_past_date};
use crate::api::{AppError, FieldError};
use crate::db::{Db, bases, courses};
use crate::domain::evidence::{
    CeCategory, ContractType, ContributionKind, ManagerRole, Mode, OutcomeKind,
};
use crate::domain::quantity::{Hours, Money};
use crate::domain::records::{
    CASE_STAGES, CaseEntry, CeEntry, Confidentiality, ContractFacts, ContributionEntry, DealEntry,
    Entry, OutcomeEntry, TrainingEntry,
};
use crate::domain::rules::Module;
use crate::i18n::Key;
use chrono::NaiveDate;
use serde::de::DeserializeOwned;

/// A training session as typed into the form. With a catalog course picked, the course gives
/// the module, hours, title and mode; otherwise (external training) the trainee types them.
#[derive(Debug, Clone, Default)]
pub struct TrainingInput {
    pub course_code: String,
    pub cohort_code: String,
    pub module: String,
    pub mode: String,
    pub hours: String,
    pub date: String,
    pub provider: String,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub struct CeInput {
    pub category: String,
    pub mode: String,
    pub hours: String,
    pub date: String,
    pub provider: String,
    pub title: String,
}

/// A deal claim as typed: amounts in 万元, the share in percent.
#[derive(Debug, Clone, Default)]
pub struct DealInput {
    pub contract_name: String,
    pub contract_type: String,
    pub registration_no: String,
    pub registration_date: String,
    pub registration_authority: String,
    pub sign_date: String,
    pub contract_amount: String,
    pub tech_transaction_amount: String,
    pub amount_received: String,
    pub seller: String,
    pub buyer: String,
    pub role: String,
    pub share: String,
    pub dispute: bool,
}

/// A commercialisation event as typed (the amount in 万元, optional).
#[derive(Debug, Clone, Default)]
pub struct OutcomeInput {
    pub event: String,
    pub date: String,
    pub description: String,
    pub amount: String,
}

/// A professional contribution as typed (hours only for teaching).
#[derive(Debug, Clone, Default)]
pub struct ContributionInput {
    pub item: String,
    pub hours: String,
    pub date: String,
    pub title: String,
}

/// A practical case as typed: stages are codes of `CASE_STAGES`, linked deals are
/// registration numbers separated by commas or spaces.
#[derive(Debug, Clone, Default)]
pub struct CaseInput {
    pub title: String,
    pub role: String,
    pub date: String,
    pub stages: Vec<String>,
    pub narrative: String,
    pub personal_contribution: String,
    pub linked_deals: String,
    pub confidentiality: String,
    pub practicum: bool,
}

#[derive(Debug, Clone)]
pub enum Input {
    Case(CaseInput),
    Training(TrainingInput),
    Ce(CeInput),
    Deal(DealInput),
    Outcome(OutcomeInput),
    Contribution(ContributionInput),
}

/// A serde enum from its snake_case code (`practicum`, `co_lead`…).
fn code<T: DeserializeOwned>(raw: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(raw.trim().to_string())).ok()
}

fn choose<T: DeserializeOwned>(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<T> {
    let v = code(raw);
    if v.is_none() {
        errors.push(FieldError::new(field, Key::ErrChoose));
    }
    v
}

fn hours(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<Hours> {
    // At most 1,000 学时 in one record: a typo guard, not a rule.
    let h = Hours::parse(raw).ok().filter(|h| h.0 > 0 && h.0 <= 100_000);
    if h.is_none() {
        errors.push(FieldError::new(field, Key::ErrHours));
    }
    h
}

/// An amount in 万元; blank is `None` when `optional`.
fn wan(field: &str, raw: &str, optional: bool, errors: &mut Vec<FieldError>) -> Option<Money> {
    if optional && raw.trim().is_empty() {
        return None;
    }
    // Up to 10 亿元 (100,000 万元): beyond that a typo is likelier than a contract.
    let m = Money::parse_wan(raw)
        .ok()
        .filter(|m| m.0 <= 100_000 * 1_000_000);
    if m.is_none() {
        errors.push(FieldError::new(field, Key::ErrAmount));
    }
    m
}

/// Where a new record goes: the entry, and the base (and cohort) that verifies it.
pub struct Placed {
    pub entry: Entry,
    pub base_id: Option<i64>,
    pub cohort_id: Option<i64>,
}

/// Validates an input for `person`, collecting every problem with its field.
pub async fn parse(
    db: &Db,
    person: i64,
    input: &Input,
    today: NaiveDate,
) -> Result<Placed, AppError> {
    let mut errors = Vec::new();
    let cohorts = bases::cohorts_of_person(db, person).await?;
    // The trainee's latest cohort verifies what no course or cohort ties to another base.
    let mut base_id = cohorts.first().map(|k| k.base_id);
    let mut cohort_id = None;
    let entry = match input {
        Input::Training(t) => {
            let cohort = match t.cohort_code.trim() {
                "" => None,
                code => {
                    let k = cohorts.iter().find(|k| k.code == code);
                    if k.is_none() {
                        errors.push(FieldError::new("cohort_code", Key::ErrChoose));
                    }
                    k
                }
            };
            if let Some(k) = cohort {
                base_id = Some(k.base_id);
                cohort_id = Some(k.id);
            }
            let date = parse_past_date("date", &t.date, today, &mut errors);
            let course = match t.course_code.trim() {
                "" => None,
                code => {
                    let bases: Vec<i64> = match cohort {
                        Some(k) => vec![k.base_id],
                        None => cohorts.iter().map(|k| k.base_id).collect(),
                    };
                    let found = courses::find_active(db, &bases, code).await?;
                    if found.is_none() {
                        errors.push(FieldError::new("course_code", Key::ErrChoose));
                    }
                    found
                }
            };
            let entry = if let Some(c) = course {
                base_id = Some(c.base_id);
                date.map(|date| TrainingEntry {
                    module: Module::parse(&c.module).unwrap_or(Module::PublicKnowledge),
                    mode: if c.kind == "practicum" {
                        Mode::Practicum
                    } else {
                        Mode::Onsite
                    },
                    hours: Hours(c.hours),
                    date,
                    provider: c.base_code.clone(),
                    course_code: Some(c.code.clone()),
                    title: c.title.clone(),
                    cohort: cohort.map(|k| k.code.clone()),
                })
            } else {
                let module = choose::<Module>("module", &t.module, &mut errors);
                let mode = choose::<Mode>("mode", &t.mode, &mut errors);
                let h = hours("hours", &t.hours, &mut errors);
                check_text("title", &t.title, &mut errors);
                check_text("provider", &t.provider, &mut errors);
                match (module, mode, h, date) {
                    (Some(module), Some(mode), Some(hours), Some(date)) => Some(TrainingEntry {
                        module,
                        mode,
                        hours,
                        date,
                        provider: t.provider.trim().to_string(),
                        course_code: None,
                        title: t.title.trim().to_string(),
                        cohort: cohort.map(|k| k.code.clone()),
                    }),
                    _ => None,
                }
            };
            entry.map(Entry::Training)
        }
        Input::Ce(c) => {
            let category = choose::<CeCategory>("category", &c.category, &mut errors);
            let mode = choose::<Mode>("mode", &c.mode, &mut errors);
            let h = hours("hours", &c.hours, &mut errors);
            let date = parse_past_date("date", &c.date, today, &mut errors);
            check_text("title", &c.title, &mut errors);
            check_text("provider", &c.provider, &mut errors);
            match (category, mode, h, date) {
                (Some(category), Some(mode), Some(hours), Some(date)) => Some(Entry::Ce(CeEntry {
                    category,
                    mode,
                    hours,
                    date,
                    provider: c.provider.trim().to_string(),
                    title: c.title.trim().to_string(),
                })),
                _ => None,
            }
        }
        Input::Deal(d) => parse_deal(d, today, &mut errors).map(Entry::Deal),
        Input::Case(c) => {
            check_text("title", &c.title, &mut errors);
            let role = choose::<ManagerRole>("role", &c.role, &mut errors);
            let date = parse_past_date("date", &c.date, today, &mut errors);
            let mut stages: Vec<String> = c.stages.iter().map(|s| s.trim().to_string()).collect();
            stages.sort_by_key(|s| CASE_STAGES.iter().position(|x| x == s));
            stages.dedup();
            if stages.is_empty() || stages.iter().any(|s| !CASE_STAGES.contains(&s.as_str())) {
                errors.push(FieldError::new("stages", Key::ErrChoose));
            }
            // A case report runs to some 1,000–3,000 characters (domain.md §5.3).
            let narrative = c.narrative.trim();
            if narrative.chars().count() < 50 {
                errors.push(FieldError::new("narrative", Key::ErrNarrativeShort));
            } else if narrative.chars().count() > 6000 {
                errors.push(FieldError::new("narrative", Key::ErrTooLong));
            }
            check_text(
                "personal_contribution",
                &c.personal_contribution,
                &mut errors,
            );
            let linked: Vec<String> = c
                .linked_deals
                .split([',', '，', ' ', '、', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if linked.iter().any(|n| n.chars().count() > 40) {
                errors.push(FieldError::new("linked_deals", Key::ErrTooLong));
            }
            let confidentiality =
                choose::<Confidentiality>("confidentiality", &c.confidentiality, &mut errors);
            match (role, date, confidentiality) {
                (Some(role), Some(date), Some(confidentiality)) => Some(Entry::Case(CaseEntry {
                    title: c.title.trim().to_string(),
                    role,
                    date,
                    stages,
                    narrative: narrative.to_string(),
                    personal_contribution: c.personal_contribution.trim().to_string(),
                    linked_registration_nos: linked,
                    confidentiality,
                    practicum: c.practicum,
                })),
                _ => None,
            }
        }
        Input::Outcome(o) => {
            let event = choose::<OutcomeKind>("event", &o.event, &mut errors);
            let date = parse_past_date("date", &o.date, today, &mut errors);
            check_text("description", &o.description, &mut errors);
            let amount = wan("amount", &o.amount, true, &mut errors);
            match (event, date) {
                (Some(event), Some(date)) => Some(Entry::Outcome(OutcomeEntry {
                    event,
                    date,
                    description: o.description.trim().to_string(),
                    amount,
                })),
                _ => None,
            }
        }
        Input::Contribution(c) => {
            let date = parse_past_date("date", &c.date, today, &mut errors);
            check_text("title", &c.title, &mut errors);
            let item = match c.item.trim() {
                "report_adopted" => Some(ContributionKind::ReportAdopted),
                "standard_drafter" => Some(ContributionKind::StandardDrafter),
                "paper" => Some(ContributionKind::Paper),
                "mentoring" => Some(ContributionKind::Mentoring),
                "award" => Some(ContributionKind::Award),
                "teaching" => hours("hours", &c.hours, &mut errors)
                    .map(|hours| ContributionKind::Teaching { hours }),
                _ => {
                    errors.push(FieldError::new("item", Key::ErrChoose));
                    None
                }
            };
            match (item, date) {
                (Some(item), Some(date)) => Some(Entry::Contribution(ContributionEntry {
                    item,
                    date,
                    title: c.title.trim().to_string(),
                })),
                _ => None,
            }
        }
    };
    match (entry, errors.is_empty()) {
        (Some(entry), true) => Ok(Placed {
            entry,
            base_id,
            cohort_id,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// The fields of domain.md §7.1 and their rules across fields, each problem on its field.
fn parse_deal(d: &DealInput, today: NaiveDate, errors: &mut Vec<FieldError>) -> Option<DealEntry> {
    check_text("contract_name", &d.contract_name, errors);
    let contract_type = choose::<ContractType>("contract_type", &d.contract_type, errors);
    let registration_no: Option<String> = Some(d.registration_no.trim())
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().filter(|c| !c.is_whitespace()).collect());
    if registration_no
        .as_ref()
        .is_some_and(|n| n.chars().count() > 40)
    {
        errors.push(FieldError::new("registration_no", Key::ErrTooLong));
    }
    let sign_date = parse_past_date("sign_date", &d.sign_date, today, errors);
    let registration_date = match d.registration_date.trim() {
        "" => None,
        raw => parse_past_date("registration_date", raw, today, errors),
    };
    if registration_date.is_some() && registration_no.is_none() {
        errors.push(FieldError::new(
            "registration_no",
            Key::ErrRegistrationNoNeeded,
        ));
    }
    if let (Some(r), Some(s)) = (registration_date, sign_date)
        && r < s
    {
        errors.push(FieldError::new(
            "registration_date",
            Key::ErrRegisteredBeforeSigned,
        ));
    }
    check_optional_text("registration_authority", &d.registration_authority, errors);
    let contract_amount = wan("contract_amount", &d.contract_amount, false, errors);
    let tech = wan(
        "tech_transaction_amount",
        &d.tech_transaction_amount,
        true,
        errors,
    );
    let received = wan("amount_received", &d.amount_received, true, errors);
    if registration_no.is_some() && tech.is_none() && d.tech_transaction_amount.trim().is_empty() {
        errors.push(FieldError::new(
            "tech_transaction_amount",
            Key::ErrTechAmountRequired,
        ));
    }
    if let (Some(t), Some(c)) = (tech, contract_amount)
        && t > c
    {
        errors.push(FieldError::new(
            "tech_transaction_amount",
            Key::ErrTechOverContract,
        ));
    }
    if let (Some(r), Some(c)) = (received, contract_amount)
        && r > c
    {
        errors.push(FieldError::new(
            "amount_received",
            Key::ErrReceivedOverContract,
        ));
    }
    check_text("seller", &d.seller, errors);
    check_text("buyer", &d.buyer, errors);
    let role = choose::<ManagerRole>("role", &d.role, errors);
    // Percent with up to one decimal: 60, 33.3.
    let share = crate::domain::quantity::parse_decimal(d.share.trim().trim_end_matches('%'), 1)
        .ok()
        .filter(|s| (1..=1000).contains(s));
    if share.is_none() {
        errors.push(FieldError::new("share", Key::ErrShare));
    }
    Some(DealEntry {
        facts: ContractFacts {
            contract_name: d.contract_name.trim().to_string(),
            contract_type: contract_type?,
            registration_no,
            registration_date,
            registration_authority: d.registration_authority.trim().to_string(),
            sign_date: sign_date?,
            contract_amount: contract_amount?,
            tech_transaction_amount: tech,
            amount_received: received,
            seller: d.seller.trim().to_string(),
            buyer: d.buyer.trim().to_string(),
            dispute: d.dispute,
        },
        role: role?,
        share: share?,
    })
}
