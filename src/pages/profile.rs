//! My profile: contact details, education, professional titles, employment, locality and
//! practice. Each list has its add form; every entry can be removed; contact and locality are
//! one form each.

use super::corrections::MyCorrections;
use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::corrections::{CloseCorrection, RequestView, correction_requests};
use crate::api::profile::{
    AddEducation, AddEmployer, AddTitle, ProfileView, RemoveProfileEntry, SetContact, SetLocality,
    my_profile,
};
use crate::components::form::{Field, FormMessage, action_error};
use crate::components::labels::{education_key, rank_key};
use crate::domain::access::Area;
use crate::domain::eligibility::Education;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <Guard area=Area::Profile>
            <Profile />
        </Guard>
    }
}

/// The page's actions, created once so their results survive a reload of the data.
#[derive(Clone, Copy)]
struct Actions {
    education: ServerAction<AddEducation>,
    title: ServerAction<AddTitle>,
    employer: ServerAction<AddEmployer>,
    locality: ServerAction<SetLocality>,
    contact: ServerAction<SetContact>,
    remove: ServerAction<RemoveProfileEntry>,
    correction: ServerAction<CloseCorrection>,
}

#[component]
fn Profile() -> impl IntoView {
    let a = Actions {
        education: ServerAction::new(),
        title: ServerAction::new(),
        employer: ServerAction::new(),
        locality: ServerAction::new(),
        contact: ServerAction::new(),
        remove: ServerAction::new(),
        correction: ServerAction::new(),
    };
    // One resource: the profile and the requests a base sent about the person's identity
    // arrive together (a nested resource would hydrate a suspense of its own; the calls are
    // joined, not awaited in turn, see Cargo.toml on `futures`).
    let data = Resource::new(
        move || {
            (
                a.education.version().get(),
                a.title.version().get(),
                a.employer.version().get(),
                a.locality.version().get(),
                a.contact.version().get(),
                a.remove.version().get(),
                a.correction.version().get(),
            )
        },
        |_| futures::future::join(my_profile(), correction_requests()),
    );
    view! {
        <PageHeader title=Key::ProfileTitle times=true lead=Key::ProfileLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let (profile, corrections) = data.await;
                let mine = corrections.map(|c| c.mine).unwrap_or_default();
                match profile {
                    Ok(p) => view! { <ProfileSections p a mine /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A list of one kind of entry, each with its remove button, or "nothing yet".
#[component]
fn Entries(
    /// `education`, `title` or `employer` (what the server removes).
    kind: &'static str,
    /// Each entry's id and its line.
    items: Vec<(i64, AnyView)>,
    remove: ServerAction<RemoveProfileEntry>,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty">{t(Key::NothingYet)}</p> }.into_any();
    }
    view! {
        <ul class="entries">
            {items.into_iter().map(|(id, line)| view! {
                <li class="entry">
                    <div class="entry__main">{line}</div>
                    <ActionForm action=remove attr:class="form-inline">
                        <input type="hidden" name="kind" value=kind />
                        <input type="hidden" name="id" value=id.to_string() />
                        <button type="submit" class="button button--small button--ghost">{t(Key::Remove)}</button>
                    </ActionForm>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A form node that empties itself after its action succeeded, so a second click cannot add
/// the same entry twice.
fn cleared_on_success<I>(action: ServerAction<I>) -> NodeRef<leptos::html::Form>
where
    I: leptos::server_fn::ServerFn<Output = (), Error = crate::api::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(())))
            && let Some(f) = form.get()
        {
            f.reset();
        }
    });
    form
}

#[component]
fn ProfileSections(p: ProfileView, a: Actions, mine: Vec<RequestView>) -> impl IntoView {
    let lang = use_lang();
    let edu_form = cleared_on_success(a.education);
    let title_form = cleared_on_success(a.title);
    let employer_form = cleared_on_success(a.employer);
    let remove_error = action_error(a.remove);
    let err = move |action_err: Signal<Option<crate::api::AppError>>, f: &'static str| {
        move || {
            action_err
                .get()
                .and_then(|e| e.field_key(f))
                .map(|k| lang.get().text(k))
        }
    };
    let edu_error = action_error(a.education);
    let title_error = action_error(a.title);
    let employer_error = action_error(a.employer);
    let locality_error = action_error(a.locality);
    let locality_saved = Signal::derive(move || {
        matches!(a.locality.value().get(), Some(Ok(())))
            .then(|| lang.get().text(Key::Saved).to_string())
    });
    let loc = p.locality.clone();
    let contact_error = action_error(a.contact);
    let contact_saved = Signal::derive(move || {
        matches!(a.contact.value().get(), Some(Ok(())))
            .then(|| lang.get().text(Key::Saved).to_string())
    });
    let contact = p.contact.clone();
    view! {
        <FormMessage error=remove_error />
        <section class="panel" id="contact">
            <h2>{t(Key::ContactTitle)}</h2>
            <p class="muted">{t(Key::ContactLead)}</p>
            <FormMessage error=contact_error success=contact_saved />
            <ActionForm action=a.contact attr:class="form-grid">
                <Field name="phone" label=Key::Phone kind="tel" autocomplete="tel"
                    value=contact.phone.unwrap_or_default() error=contact_error />
                <Field name="email" label=Key::Email kind="email" autocomplete="email"
                    value=contact.email.unwrap_or_default() error=contact_error />
                <div class="form-grid__actions">
                    <button type="submit" class="button button--primary">{t(Key::Save)}</button>
                </div>
            </ActionForm>
        </section>
        // Below the contact it asks to correct ("above" in its lead).
        <MyCorrections mine close=a.correction />
        <section class="panel">
            <h2>{t(Key::EducationSection)}</h2>
            <Entries kind="education" remove=a.remove items=p.education.into_iter().map(|e| (e.id, view! {
                <strong>{move || lang.get().text(education_key(e.level))}</strong>
                " · " {e.institution.clone()}
                {(!e.major.is_empty()).then(|| format!(" · {}", e.major))}
                <span class="entry__date">{e.graduated_on.to_string()}</span>
            }.into_any())).collect() />
            <FormMessage error=edu_error />
            <ActionForm action=a.education node_ref=edu_form attr:class="form-grid">
                <div class="field" class:field--invalid=move || err(edu_error, "level")().is_some()>
                    <label for="f-level">{t(Key::EducationLevel)}</label>
                    <select id="f-level" name="level">
                        {Education::ALL.into_iter().map(|e| view! {
                            <option value=e.code()>{move || lang.get().text(education_key(e))}</option>
                        }).collect_view()}
                    </select>
                    <p class="field__error" role="alert">{err(edu_error, "level")}</p>
                </div>
                <Field name="institution" label=Key::Institution required=true error=edu_error />
                <Field name="major" label=Key::Major error=edu_error />
                <Field name="graduated_on" label=Key::GraduatedOn kind="date" required=true error=edu_error />
                <div class="form-grid__actions">
                    <button type="submit" class="button button--primary">{t(Key::Add)}</button>
                </div>
            </ActionForm>
        </section>

        <section class="panel">
            <h2>{t(Key::TitlesSection)}</h2>
            <Entries kind="title" remove=a.remove items=p.titles.into_iter().map(|x| {
                let rank = rank_key(&x.rank);
                (x.id, view! {
                    <strong>{move || lang.get().text(rank)}</strong>
                    " · " {x.series.clone()}
                    {(!x.certificate_no.is_empty()).then(|| format!(" · {}", x.certificate_no))}
                    <span class="entry__date">{x.obtained_on.to_string()}</span>
                }.into_any())
            }).collect() />
            <FormMessage error=title_error />
            <ActionForm action=a.title node_ref=title_form attr:class="form-grid">
                <div class="field" class:field--invalid=move || err(title_error, "rank")().is_some()>
                    <label for="f-rank">{t(Key::TitleRank)}</label>
                    <select id="f-rank" name="rank">
                        {crate::domain::profile::TITLE_RANKS.into_iter().map(|r| view! {
                            <option value=r>{move || lang.get().text(rank_key(r))}</option>
                        }).collect_view()}
                    </select>
                    <p class="field__error" role="alert">{err(title_error, "rank")}</p>
                </div>
                <Field name="series" label=Key::TitleSeries required=true value="经济系列 · 科技成果转移转化" error=title_error />
                <Field name="obtained_on" label=Key::ObtainedOn kind="date" required=true error=title_error />
                <Field name="certificate_no" label=Key::CertificateNo error=title_error />
                <div class="form-grid__actions">
                    <button type="submit" class="button button--primary">{t(Key::Add)}</button>
                </div>
            </ActionForm>
        </section>

        <section class="panel">
            <h2>{t(Key::EmploymentSection)}</h2>
            <Entries kind="employer" remove=a.remove items=p.employers.into_iter().map(|e| {
                let to = e.to_on.map(|d| d.to_string());
                (e.id, view! {
                    <strong>{e.unit_name.clone()}</strong>
                    {(!e.position.is_empty()).then(|| format!(" · {}", e.position))}
                    <span class="entry__date">
                        {e.from_on.to_string()} " – "
                        {move || to.clone().unwrap_or_else(|| lang.get().text(Key::Present).to_string())}
                    </span>
                }.into_any())
            }).collect() />
            <FormMessage error=employer_error />
            <ActionForm action=a.employer node_ref=employer_form attr:class="form-grid">
                <Field name="unit_name" label=Key::UnitName required=true error=employer_error />
                <Field name="position" label=Key::Position error=employer_error />
                <Field name="from_on" label=Key::FromOn kind="date" required=true error=employer_error />
                <Field name="to_on" label=Key::ToOn kind="date" hint=Key::ToOnHint error=employer_error />
                <div class="form-grid__actions">
                    <button type="submit" class="button button--primary">{t(Key::Add)}</button>
                </div>
            </ActionForm>
        </section>

        <section class="panel">
            <h2>{t(Key::LocalitySection)}</h2>
            <FormMessage error=locality_error success=locality_saved />
            <ActionForm action=a.locality attr:class="form-grid">
                <div class="field field--check">
                    <label><input type="checkbox" name="hukou" checked=loc.hukou /> " " {t(Key::Hukou)}</label>
                    <label><input type="checkbox" name="residence_permit" checked=loc.residence_permit /> " " {t(Key::ResidencePermit)}</label>
                </div>
                <Field name="social_insurance_months" label=Key::SocialInsuranceMonths kind="number"
                    value=loc.social_insurance_months.to_string() error=locality_error />
                <Field name="practice_since" label=Key::PracticeSince kind="date" hint=Key::PracticeSinceHint
                    value=loc.practice_since.map(|d| d.to_string()).unwrap_or_default() error=locality_error />
                <div class="form-grid__actions">
                    <button type="submit" class="button button--primary">{t(Key::Save)}</button>
                </div>
            </ActionForm>
        </section>
    }
}
