//! Cohorts of the caller's training bases, and adding one.

use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::org::{AddCohort, CohortsPage as Data, list_cohorts};
use crate::components::form::{Choice, Field, FormMessage, action_error};
use crate::components::labels::{level_key, level_options};
use crate::domain::access::Area;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[component]
pub fn CohortsPage() -> impl IntoView {
    view! {
        <Guard area=Area::Cohorts>
            <Cohorts />
        </Guard>
    }
}

#[component]
fn Cohorts() -> impl IntoView {
    let add = ServerAction::<AddCohort>::new();
    let data = Resource::new(move || add.version().get(), |_| list_cohorts());
    view! {
        <PageHeader title=Key::CohortsTitle lead=Key::CohortsLead />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <CohortsView data=d add /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CohortsView(data: Data, add: ServerAction<AddCohort>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(add);
    let success = Signal::derive(move || {
        matches!(add.value().get(), Some(Ok(()))).then(|| lang.get().text(Key::Saved).to_string())
    });
    let field_error = move |f: &'static str| {
        error
            .get()
            .and_then(|e| e.field_key(f))
            .map(|k| lang.get().text(k))
    };
    let can_add = !data.can_add_to.is_empty();
    let base_codes = data.can_add_to.clone();
    view! {
        {can_add.then(|| view! {
            <section class="panel">
                <h2>{t(Key::AddCohort)}</h2>
                <FormMessage error success />
                <ActionForm action=add attr:class="form-grid">
                    <div class="field" class:field--invalid=move || field_error("base_code").is_some()>
                        <label for="cohort-base">{t(Key::Base)}</label>
                        <select id="cohort-base" name="base_code">
                            {base_codes.iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                        </select>
                        <p class="field__error" role="alert">{move || field_error("base_code")}</p>
                    </div>
                    <Field name="code" label=Key::CohortCode required=true hint=Key::CohortCodeHint error />
                    <Field name="name" label=Key::CohortName required=true error />
                    <Choice name="level" label=Key::Level options=level_options() error />
                    <Field name="starts_on" label=Key::StartsOn kind="date" required=true error />
                    <Field name="ends_on" label=Key::EndsOn kind="date" required=true error />
                    <div class="form-grid__actions">
                        <button type="submit" class="button button--primary">{t(Key::Add)}</button>
                    </div>
                </ActionForm>
            </section>
        })}
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t(Key::CohortCode)}</th>
                        <th scope="col">{t(Key::CohortName)}</th>
                        <th scope="col">{t(Key::Base)}</th>
                        <th scope="col">{t(Key::Level)}</th>
                        <th scope="col">{t(Key::Dates)}</th>
                        <th scope="col" class="num">{t(Key::Trainees)}</th>
                    </tr>
                </thead>
                <tbody>
                    {data.cohorts.into_iter().map(|k| view! {
                        <tr>
                            <td data-label=t(Key::CohortCode)><a href=format!("/admin/cohorts/{}", k.code)><code>{k.code.clone()}</code></a></td>
                            <td data-label=t(Key::CohortName)>{k.name}</td>
                            <td data-label=t(Key::Base)>{k.base_code}</td>
                            <td data-label=t(Key::Level)>{move || lang.get().text(level_key(k.level))}</td>
                            <td data-label=t(Key::Dates) class="nowrap">{format!("{} – {}", k.starts_on, k.ends_on)}</td>
                            <td data-label=t(Key::Trainees) class="num">{k.members}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
