//! The forms for what a manager achieved: a practical case (stages, narrative, own part,
//! linked deals, confidentiality), a commercialisation event, a professional contribution.

use super::record_forms::{EditFields, get, saved, submit_label};
use crate::api::records::{RecordView, SaveCase, SaveContribution, SaveOutcome};
use crate::components::form::{Choice, Field, FormMessage, action_error, field_id};
use crate::components::labels::{CONFIDENTIALITY, MANAGER_ROLES, manager_role_label, stage_key};
use crate::domain::evidence::{ContributionKind, OutcomeKind};
use crate::domain::explain;
use crate::domain::records::{CASE_STAGES, Confidentiality, Entry};
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

fn confidentiality_code(c: Confidentiality) -> &'static str {
    match c {
        Confidentiality::Public => "public",
        Confidentiality::PanelOnly => "panel_only",
        Confidentiality::Private => "private",
    }
}

#[component]
pub fn CaseForm(
    action: ServerAction<SaveCase>,
    edit: Option<RecordView>,
    form_key: String,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(action);
    let x = match edit.as_ref().map(|r| &r.entry) {
        Some(Entry::Case(x)) => Some(x.clone()),
        _ => None,
    };
    let label = submit_label(&edit);
    let title = get(&x, |x| x.title.clone());
    let role = get(&x, |x| manager_role_label(x.role).0.to_string());
    let date = get(&x, |x| x.date.to_string());
    let narrative = get(&x, |x| x.narrative.clone());
    let contribution = get(&x, |x| x.personal_contribution.clone());
    let linked = get(&x, |x| x.linked_registration_nos.join(", "));
    let confidentiality = get(&x, |x| confidentiality_code(x.confidentiality).to_string());
    let stages: Vec<String> = x.as_ref().map(|x| x.stages.clone()).unwrap_or_default();
    let practicum = x.as_ref().is_some_and(|x| x.practicum);
    let field_error = move |f: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.field_key(f))
                .map(|k| lang.get().text(k))
        }
    };
    view! {
        <FormMessage error success=saved(action) />
        <ActionForm action attr:class="form-grid">
            <EditFields edit=edit.clone() form_key error />
            <Field name="title" label=Key::ActivityTitle required=true error value=title />
            <Choice name="role" label=Key::MyRole error options=MANAGER_ROLES.to_vec() selected=role />
            <Field name="date" label=Key::CaseConcluded kind="date" required=true error value=date />
            <fieldset class="field field--wide stages" class:field--invalid=move || field_error("stages")().is_some()>
                <legend>{t(Key::CaseStages)}</legend>
                {CASE_STAGES.into_iter().enumerate().map(|(i, code)| {
                    let key = stage_key(code);
                    let checked = stages.iter().any(|s| s == code);
                    view! {
                        <label class="check-inline">
                            <input type="checkbox" name=format!("stages[{i}]") value=code checked=checked />
                            {move || lang.get().text(key)}
                        </label>
                    }
                }).collect_view()}
                <p class="field__error" role="alert">{field_error("stages")}</p>
            </fieldset>
            <div class="field field--wide" class:field--invalid=move || field_error("narrative")().is_some()>
                <label for=field_id("narrative")>{t(Key::CaseNarrative)}</label>
                <textarea id=field_id("narrative") name="narrative" rows="8" required=true>{narrative}</textarea>
                <p class="field__error" role="alert">{field_error("narrative")}</p>
            </div>
            <div class="field field--wide" class:field--invalid=move || field_error("personal_contribution")().is_some()>
                <label for=field_id("personal_contribution")>{t(Key::CasePersonalContribution)}</label>
                <textarea id=field_id("personal_contribution") name="personal_contribution" rows="3" required=true>{contribution}</textarea>
                <p class="field__error" role="alert">{field_error("personal_contribution")}</p>
            </div>
            <Field name="linked_deals" label=Key::CaseLinkedDeals error value=linked />
            <Choice name="confidentiality" label=Key::CaseConfidentiality error
                options=CONFIDENTIALITY.to_vec() selected=confidentiality />
            <div class="field field--check field--wide">
                <label><input type="checkbox" name="practicum" checked=practicum /> " " {t(Key::CasePracticum)}</label>
            </div>
            <div class="form-grid__actions">
                <button type="submit" class="button button--primary">{t(label)}</button>
            </div>
        </ActionForm>
    }
}

const OUTCOMES: [OutcomeKind; 4] = [
    OutcomeKind::CompanyFormed,
    OutcomeKind::Product,
    OutcomeKind::Financing,
    OutcomeKind::LicenseIncome,
];

fn outcome_code(k: OutcomeKind) -> &'static str {
    match k {
        OutcomeKind::CompanyFormed => "company_formed",
        OutcomeKind::Product => "product",
        OutcomeKind::Financing => "financing",
        OutcomeKind::LicenseIncome => "license_income",
    }
}

#[component]
pub fn OutcomeForm(
    action: ServerAction<SaveOutcome>,
    edit: Option<RecordView>,
    form_key: String,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(action);
    let x = match edit.as_ref().map(|r| &r.entry) {
        Some(Entry::Outcome(x)) => Some(x.clone()),
        _ => None,
    };
    let label = submit_label(&edit);
    let event = get(&x, |x| outcome_code(x.event).to_string());
    let date = get(&x, |x| x.date.to_string());
    let description = get(&x, |x| x.description.clone());
    let amount = get(&x, |x| {
        x.amount.map(|m| m.wan_display()).unwrap_or_default()
    });
    view! {
        <FormMessage error success=saved(action) />
        <ActionForm action attr:class="form-grid">
            <EditFields edit=edit.clone() form_key error />
            <div class="field">
                <label for=field_id("event")>{t(Key::OutcomeEvent)}</label>
                <select id=field_id("event") name="event">
                    {OUTCOMES.into_iter().map(|k| view! {
                        <option value=outcome_code(k) selected=event == outcome_code(k)>
                            {move || explain::outcome_kind(k, lang.get())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <Field name="date" label=Key::ActivityDate kind="date" required=true error value=date />
            <Field name="description" label=Key::OutcomeDescription required=true error value=description />
            <Field name="amount" label=Key::OutcomeAmount error value=amount />
            <div class="form-grid__actions">
                <button type="submit" class="button button--primary">{t(label)}</button>
            </div>
        </ActionForm>
    }
}

const CONTRIBUTIONS: [&str; 6] = [
    "report_adopted",
    "standard_drafter",
    "paper",
    "teaching",
    "mentoring",
    "award",
];

fn contribution_code(k: &ContributionKind) -> &'static str {
    match k {
        ContributionKind::ReportAdopted => "report_adopted",
        ContributionKind::StandardDrafter => "standard_drafter",
        ContributionKind::Paper => "paper",
        ContributionKind::Teaching { .. } => "teaching",
        ContributionKind::Mentoring => "mentoring",
        ContributionKind::Award => "award",
    }
}

fn contribution_of(code: &str) -> ContributionKind {
    match code {
        "report_adopted" => ContributionKind::ReportAdopted,
        "standard_drafter" => ContributionKind::StandardDrafter,
        "paper" => ContributionKind::Paper,
        "mentoring" => ContributionKind::Mentoring,
        "award" => ContributionKind::Award,
        _ => ContributionKind::Teaching {
            hours: crate::domain::quantity::Hours(0),
        },
    }
}

#[component]
pub fn ContributionForm(
    action: ServerAction<SaveContribution>,
    edit: Option<RecordView>,
    form_key: String,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(action);
    let x = match edit.as_ref().map(|r| &r.entry) {
        Some(Entry::Contribution(x)) => Some(x.clone()),
        _ => None,
    };
    let label = submit_label(&edit);
    let item = get(&x, |x| contribution_code(&x.item).to_string());
    let hours = get(&x, |x| match x.item {
        ContributionKind::Teaching { hours } => hours.to_string(),
        _ => String::new(),
    });
    let date = get(&x, |x| x.date.to_string());
    let title = get(&x, |x| x.title.clone());
    view! {
        <FormMessage error success=saved(action) />
        <ActionForm action attr:class="form-grid">
            <EditFields edit=edit.clone() form_key error />
            <div class="field">
                <label for=field_id("item")>{t(Key::ContributionItem)}</label>
                <select id=field_id("item") name="item">
                    {CONTRIBUTIONS.into_iter().map(|code| view! {
                        <option value=code selected=item == code>
                            {move || match code {
                                "teaching" => lang.get().text(Key::TeachingItem).to_string(),
                                _ => explain::contribution_kind(&contribution_of(code), lang.get()),
                            }}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <Field name="title" label=Key::ActivityTitle required=true error value=title />
            <Field name="date" label=Key::ActivityDate kind="date" required=true error value=date />
            <Field name="hours" label=Key::ClassHours hint=Key::TeachingHoursHint error value=hours />
            <div class="form-grid__actions">
                <button type="submit" class="button button--primary">{t(label)}</button>
            </div>
        </ActionForm>
    }
}
