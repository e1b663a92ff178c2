//! The add and edit forms of "My records": training (a catalog course, or external training
//! typed by hand), continuing education, and a deal claim. Editing a record opens its kind's
//! form filled in; for a verified record the form asks for the correction's reason.

use crate::api::records::{
    CourseChoice, RecordView, SaveCase, SaveCe, SaveContribution, SaveDeal, SaveOutcome,
    SaveTraining,
};
use crate::components::form::{Choice, Field, FieldScope, FormMessage, action_error, field_id};
use crate::components::labels::{
    CE_CATEGORIES, CONTRACT_TYPES, MANAGER_ROLES, MODES, ce_label, contract_type_label,
    manager_role_label, mode_label, module_key,
};
use crate::components::leave::LeaveGuard;
use crate::domain::records::{Entry, RecordKind};
use crate::domain::rules::Module;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The page's save actions, created once so their results survive a reload of the list.
#[derive(Clone, Copy)]
pub struct Saves {
    training: ServerAction<SaveTraining>,
    ce: ServerAction<SaveCe>,
    deal: ServerAction<SaveDeal>,
    outcome: ServerAction<SaveOutcome>,
    contribution: ServerAction<SaveContribution>,
    case: ServerAction<SaveCase>,
}

impl Saves {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Saves {
        Saves {
            training: ServerAction::new(),
            ce: ServerAction::new(),
            deal: ServerAction::new(),
            outcome: ServerAction::new(),
            contribution: ServerAction::new(),
            case: ServerAction::new(),
        }
    }

    /// Changes whenever a save finished (the list reloads).
    pub fn versions(&self) -> [usize; 6] {
        [
            self.case.version().get(),
            self.training.version().get(),
            self.ce.version().get(),
            self.deal.version().get(),
            self.outcome.version().get(),
            self.contribution.version().get(),
        ]
    }
}

/// A success note for a save action, in the reader's language.
pub(super) fn saved<I>(action: ServerAction<I>) -> Signal<Option<String>>
where
    I: leptos::server_fn::ServerFn<Output = i64, Error = crate::api::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    let lang = use_lang();
    Signal::derive(move || {
        matches!(action.value().get(), Some(Ok(_)))
            .then(|| lang.get().text(Key::RecordSaved).to_string())
    })
}

/// The six forms, one per kind of record, each in its own tab panel. The tab is a link
/// (`?tab=deal`), so a reload or a shared address opens the same form, and without script the
/// link still works. Every form stays mounted while another is shown, so what was typed in one
/// stays there and never appears in another. A form saved starts again empty, with a new key,
/// and a half-filled form is not left (page, reload, edit of another record) without asking.
#[component]
pub fn Forms(
    courses: Vec<CourseChoice>,
    cohorts: Vec<String>,
    /// Random per page render; with the kind and the form's generation it keys one submission.
    nonce: String,
    saves: Saves,
    editing: RwSignal<Option<RecordView>>,
    guard: LeaveGuard,
) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let chosen = Memo::new(move |_| {
        query
            .read()
            .get("tab")
            .and_then(|t| RecordKind::parse(&t))
            .unwrap_or(RecordKind::Training)
    });
    // Editing a record shows its kind's form, whichever tab the address names.
    let tab = Memo::new(move |_| editing.get().map_or_else(|| chosen.get(), |r| r.kind));
    let generations: [RwSignal<u32>; 6] = std::array::from_fn(|_| RwSignal::new(0));
    let restart = move |k: RecordKind| {
        generations[slot(k)].update(|g| *g += 1);
        guard.clean(slot(k));
        editing.set(None);
    };
    after_save(saves.training, move || restart(RecordKind::Training));
    after_save(saves.ce, move || restart(RecordKind::Ce));
    after_save(saves.deal, move || restart(RecordKind::Deal));
    after_save(saves.case, move || restart(RecordKind::Case));
    after_save(saves.outcome, move || restart(RecordKind::Outcome));
    after_save(saves.contribution, move || {
        restart(RecordKind::Contribution)
    });
    let courses = StoredValue::new(courses);
    let cohorts = StoredValue::new(cohorts);
    let nonce = StoredValue::new(nonce);
    let href = move |k: RecordKind| {
        let q = query.read_untracked();
        let mut url = format!("?tab={}", k.code());
        for name in ["kind", "status", "sort", "page"] {
            if let Some(v) = q.get(name).filter(|v| !v.is_empty()) {
                url.push_str(&format!("&{name}={v}"));
            }
        }
        url
    };
    view! {
        <section class="panel record-forms">
            <nav class="tabs" role="tablist" aria-label=move || lang.get().text(Key::RecordKind)>
                {RecordKind::ALL.into_iter().map(|k| view! {
                    <a role="tab" class="tabs__tab" href=href(k) data-noscroll=""
                        id=format!("tab-{}", k.code())
                        aria-controls=format!("panel-{}", k.code())
                        aria-selected=move || (tab.get() == k).to_string()
                        on:click=move |_| editing.set(None)>
                        {move || lang.get().text(crate::components::labels::record_kind_key(k))}
                    </a>
                }).collect_view()}
            </nav>
            {RecordKind::ALL.into_iter().map(|k| {
                let i = slot(k);
                view! {
                    <div role="tabpanel" id=format!("panel-{}", k.code())
                        aria-labelledby=format!("tab-{}", k.code())
                        hidden=move || tab.get() != k
                        on:input=move |_| guard.dirty(i)
                        on:change=move |_| guard.dirty(i)>
                        // One keyed item: a new generation or another record being edited
                        // builds the form again from nothing (nothing typed survives).
                        <For
                            each=move || [(generations[i].get(), editing.get().filter(|r| r.kind == k).map(|r| r.id))]
                            key=|item| *item
                            children=move |(generation, editing_id)| {
                                // Built inside the provider, so the fields see their scope.
                                let build = move || {
                                let edit = editing.get_untracked().filter(|r| Some(r.id) == editing_id);
                                let form_key = format!(
                                    "{}-{}-{generation}-{}",
                                    nonce.get_value(),
                                    k.code(),
                                    editing_id.unwrap_or(0)
                                );
                                let banner = edit.as_ref().map(|r| {
                                    let key = if r.status.verified() { Key::CorrectingRecord } else { Key::EditingRecord };
                                    view! {
                                        <p class="alert alert--info">
                                            {t(key)} " " <code>{r.ledger_id.clone()}</code> " "
                                            <button type="button" class="button button--small button--ghost"
                                                on:click=move |_| { guard.clean(i); editing.set(None); }>{t(Key::CancelEdit)}</button>
                                        </p>
                                    }
                                });
                                let form = match k {
                                    RecordKind::Training => view! {
                                        <TrainingForm action=saves.training edit form_key
                                            courses=courses.get_value() cohorts=cohorts.get_value() />
                                    }.into_any(),
                                    RecordKind::Ce => view! { <CeForm action=saves.ce edit form_key /> }.into_any(),
                                    RecordKind::Deal => view! { <DealForm action=saves.deal edit form_key /> }.into_any(),
                                    RecordKind::Case => view! { <super::outcome_forms::CaseForm action=saves.case edit form_key /> }.into_any(),
                                    RecordKind::Outcome => view! { <super::outcome_forms::OutcomeForm action=saves.outcome edit form_key /> }.into_any(),
                                    RecordKind::Contribution => view! { <super::outcome_forms::ContributionForm action=saves.contribution edit form_key /> }.into_any(),
                                };
                                view! { {banner} {form} }
                                };
                                view! {
                                    <leptos::context::Provider value=FieldScope(k.code())>{build()}</leptos::context::Provider>
                                }
                            }
                        />
                    </div>
                }
            }).collect_view()}
        </section>
    }
}

/// A kind's place in [`RecordKind::ALL`] (its tab, its form's generation and dirty flag).
pub fn slot(k: RecordKind) -> usize {
    RecordKind::ALL.iter().position(|x| *x == k).unwrap_or(0)
}

/// Runs `then` after each successful save of `action` (not for a failed one).
fn after_save<I>(action: ServerAction<I>, then: impl Fn() + 'static)
where
    I: leptos::server_fn::ServerFn<Output = i64, Error = crate::api::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            then();
        }
    });
}

/// The form's key, the hidden record id and, for a verified record, the correction's reason.
#[component]
pub(super) fn EditFields(
    edit: Option<RecordView>,
    /// Names this render of the form: sent twice, it is saved once.
    form_key: String,
    #[prop(into)] error: Signal<Option<crate::api::AppError>>,
) -> impl IntoView {
    let id = edit.as_ref().map_or(0, |r| r.id);
    let correction = edit.is_some_and(|r| r.status.verified());
    view! {
        <input type="hidden" name="form_key" value=form_key />
        <input type="hidden" name="record_id" value=id.to_string() />
        {if correction {
            view! { <Field name="reason" label=Key::CorrectionReason required=true error /> }.into_any()
        } else {
            view! { <input type="hidden" name="reason" value="" /> }.into_any()
        }}
    }
}

/// A value of the record being edited, or empty for a new one.
pub(super) fn get<T>(x: &Option<T>, f: impl Fn(&T) -> String) -> String {
    x.as_ref().map(f).unwrap_or_default()
}

pub(super) fn submit_label(edit: &Option<RecordView>) -> Key {
    match edit {
        Some(r) if r.status.verified() => Key::RequestCorrection,
        Some(_) => Key::Save,
        None => Key::Add,
    }
}

#[component]
fn TrainingForm(
    action: ServerAction<SaveTraining>,
    edit: Option<RecordView>,
    courses: Vec<CourseChoice>,
    cohorts: Vec<String>,
    form_key: String,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(action);
    let x = match edit.as_ref().map(|r| &r.entry) {
        Some(Entry::Training(x)) => Some(x.clone()),
        _ => None,
    };
    let course = x
        .as_ref()
        .and_then(|x| x.course_code.clone())
        .unwrap_or_default();
    let cohort = x
        .as_ref()
        .and_then(|x| x.cohort.clone())
        .unwrap_or_default();
    let manual = x.clone().filter(|x| x.course_code.is_none());
    let label = submit_label(&edit);
    view! {
        <FormMessage error success=saved(action) />
        <ActionForm action attr:class="form-grid">
            <EditFields edit=edit.clone() form_key error />
            <div class="field field--wide" class:field--invalid=move || error.get().and_then(|e| e.field_key("course_code")).is_some()>
                <label for=field_id("course_code")>{t(Key::CatalogCourse)}</label>
                <select id=field_id("course_code") name="course_code">
                    <option value="">{t(Key::ExternalTraining)}</option>
                    {courses.into_iter().map(|c| {
                        let sel = c.code == course;
                        let text = format!("{} {} · {}", c.code, c.title, c.hours);
                        view! { <option value=c.code.clone() selected=sel>{text} " " {move || lang.get().text(Key::Hours)}</option> }
                    }).collect_view()}
                </select>
                <p class="field__hint">{t(Key::CatalogCourseHint)}</p>
                <p class="field__error" role="alert">
                    {move || error.get().and_then(|e| e.field_key("course_code")).map(|k| lang.get().text(k))}
                </p>
            </div>
            <div class="field">
                <label for=field_id("cohort_code")>{t(Key::Cohort)}</label>
                <select id=field_id("cohort_code") name="cohort_code">
                    <option value="">{t(Key::NoCohort)}</option>
                    {cohorts.into_iter().map(|k| {
                        let sel = k == cohort;
                        view! { <option value=k.clone() selected=sel>{k.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Field name="date" label=Key::ActivityDate kind="date" required=true
                value=x.as_ref().map(|x| x.date.to_string()).unwrap_or_default() error />
            <Choice name="module" label=Key::Module error
                selected=manual.as_ref().map(|x| x.module.code().to_string()).unwrap_or_default()
                options=Module::ALL.into_iter().map(|m| (m.code(), module_key(m))).collect() />
            <Choice name="mode" label=Key::Mode error options=MODES.to_vec()
                selected=manual.as_ref().map(|x| mode_label(x.mode).0.to_string()).unwrap_or_default() />
            <Field name="hours" label=Key::ClassHours hint=Key::ClassHoursHint error
                value=manual.as_ref().map(|x| x.hours.to_string()).unwrap_or_default() />
            <Field name="title" label=Key::ActivityTitle error
                value=manual.as_ref().map(|x| x.title.clone()).unwrap_or_default() />
            <Field name="provider" label=Key::Provider error
                value=manual.as_ref().map(|x| x.provider.clone()).unwrap_or_default() />
            <div class="form-grid__actions">
                <button type="submit" class="button button--primary">{t(label)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn CeForm(
    action: ServerAction<SaveCe>,
    edit: Option<RecordView>,
    form_key: String,
) -> impl IntoView {
    let error = action_error(action);
    let x = match edit.as_ref().map(|r| &r.entry) {
        Some(Entry::Ce(x)) => Some(x.clone()),
        _ => None,
    };
    let label = submit_label(&edit);
    let category = get(&x, |x| ce_label(x.category).0.to_string());
    let mode = get(&x, |x| mode_label(x.mode).0.to_string());
    let hours = get(&x, |x| x.hours.to_string());
    let date = get(&x, |x| x.date.to_string());
    let title = get(&x, |x| x.title.clone());
    let provider = get(&x, |x| x.provider.clone());
    view! {
        <FormMessage error success=saved(action) />
        <ActionForm action attr:class="form-grid">
            <EditFields edit=edit.clone() form_key error />
            <Choice name="category" label=Key::CeCategory error options=CE_CATEGORIES.to_vec()
                selected=category />
            <Choice name="mode" label=Key::Mode error options=MODES.to_vec()
                selected=mode />
            <Field name="hours" label=Key::ClassHours required=true hint=Key::ClassHoursHint error
                value=hours />
            <Field name="date" label=Key::ActivityDate kind="date" required=true error
                value=date />
            <Field name="title" label=Key::ActivityTitle required=true error value=title />
            <Field name="provider" label=Key::Provider required=true error value=provider />
            <div class="form-grid__actions">
                <button type="submit" class="button button--primary">{t(label)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn DealForm(
    action: ServerAction<SaveDeal>,
    edit: Option<RecordView>,
    form_key: String,
) -> impl IntoView {
    let error = action_error(action);
    let x = match edit.as_ref().map(|r| &r.entry) {
        Some(Entry::Deal(x)) => Some(x.clone()),
        _ => None,
    };
    let label = submit_label(&edit);
    let wan =
        |m: Option<crate::domain::quantity::Money>| m.map(|m| m.wan_display()).unwrap_or_default();
    let dispute = x.as_ref().is_some_and(|x| x.facts.dispute);
    let name = get(&x, |x| x.facts.contract_name.clone());
    let contract_type = get(&x, |x| {
        contract_type_label(x.facts.contract_type).0.to_string()
    });
    let registration_no = get(&x, |x| x.facts.registration_no.clone().unwrap_or_default());
    let registration_date = get(&x, |x| {
        x.facts
            .registration_date
            .map(|d| d.to_string())
            .unwrap_or_default()
    });
    let authority = get(&x, |x| x.facts.registration_authority.clone());
    let sign_date = get(&x, |x| x.facts.sign_date.to_string());
    let contract_amount = get(&x, |x| x.facts.contract_amount.wan_display());
    let tech_amount = get(&x, |x| wan(x.facts.tech_transaction_amount));
    let received = get(&x, |x| wan(x.facts.amount_received));
    let seller = get(&x, |x| x.facts.seller.clone());
    let buyer = get(&x, |x| x.facts.buyer.clone());
    let role = get(&x, |x| manager_role_label(x.role).0.to_string());
    view! {
        <FormMessage error success=saved(action) />
        <ActionForm action attr:class="form-grid">
            <EditFields edit=edit.clone() form_key error />
            <Field name="contract_name" label=Key::ContractName required=true error
                value=name />
            <Choice name="contract_type" label=Key::ContractTypeLabel error options=CONTRACT_TYPES.to_vec()
                selected=contract_type />
            <Field name="registration_no" label=Key::RegistrationNo hint=Key::RegistrationNoHint error
                value=registration_no />
            <Field name="registration_date" label=Key::RegistrationDate kind="date" error
                value=registration_date />
            <Field name="registration_authority" label=Key::RegistrationAuthority error
                value=authority />
            <Field name="sign_date" label=Key::SignDate kind="date" required=true error
                value=sign_date />
            <Field name="contract_amount" label=Key::ContractAmount required=true error
                value=contract_amount />
            <Field name="tech_transaction_amount" label=Key::TechTransactionAmount error
                value=tech_amount />
            <Field name="amount_received" label=Key::AmountReceived error
                value=received />
            <Field name="seller" label=Key::Seller required=true error value=seller />
            <Field name="buyer" label=Key::Buyer required=true error value=buyer />
            <Choice name="role" label=Key::MyRole error options=MANAGER_ROLES.to_vec()
                selected=role />
            <Field name="share" label=Key::MyShare required=true error
                value=x.as_ref().map_or_else(|| "100".to_string(), |x| crate::domain::records::percent(x.share)) />
            <div class="field field--check">
                <label><input type="checkbox" name="dispute" checked=dispute /> " " {t(Key::Dispute)}</label>
            </div>
            <div class="form-grid__actions">
                <button type="submit" class="button button--primary">{t(label)}</button>
            </div>
        </ActionForm>
    }
}
