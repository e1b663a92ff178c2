//! Case reviews for instructors: each case of their base's trainees with its narrative and
//! the rubric in force, one number per criterion; a saved score can be revised.

use super::errors::ErrorPanel;
use super::{Guard, PageHeader};
use crate::api::reviews::{CaseToReview, ReviewCase, case_queue};
use crate::components::form::{FormMessage, action_error};
use crate::components::labels::stage_key;
use crate::domain::access::Area;
use crate::domain::explain;
use crate::domain::records::Entry;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

#[component]
pub fn ReviewsPage() -> impl IntoView {
    view! {
        <Guard area=Area::Reviews>
            <Reviews />
        </Guard>
    }
}

#[component]
fn Reviews() -> impl IntoView {
    let lang = use_lang();
    let review = ServerAction::<ReviewCase>::new();
    let data = Resource::new(move || review.version().get(), |_| case_queue());
    let error = action_error(review);
    let saved = Signal::derive(move || {
        matches!(review.value().get(), Some(Ok(())))
            .then(|| lang.get().text(Key::ReviewSaved).to_string())
    });
    view! {
        <PageHeader title=Key::ReviewsTitle lead=Key::ReviewsLead />
        <FormMessage error success=saved />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(q) if q.cases.is_empty() => view! { <p class="empty">{t(Key::NoCases)}</p> }.into_any(),
                    Ok(q) => {
                        let rubric = q.rubric.clone();
                        view! {
                            <ul class="queue">
                                {q.cases.into_iter().map(|c| view! { <Case c rubric=rubric.clone() review /> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Case(
    c: CaseToReview,
    rubric: Vec<(String, i64)>,
    review: ServerAction<ReviewCase>,
) -> impl IntoView {
    let lang = use_lang();
    let Entry::Case(x) = c.record.entry.clone() else {
        return ().into_any();
    };
    let mine = c.mine.clone().unwrap_or_default();
    let id = c.record.id;
    view! {
        <li class="queue__item panel">
            <div class="queue__head">
                <strong>{c.record.person_name.clone()}</strong>
                <span class="muted">
                    " · " <code>{c.record.ledger_id.clone()}</code> " · " {x.date.to_string()} " · "
                    {move || explain::role(x.role, lang.get())}
                </span>
                <span class="queue__amount">
                    {move || lang.get().text(Key::ReviewsCount).replace("{n}", &c.reviews.to_string())}
                </span>
            </div>
            <h3 class="case__title">{x.title.clone()}</h3>
            <p class="muted">
                {x.stages.iter().map(|s| {
                    let key = stage_key(s);
                    view! { <span class="badge badge--muted">{move || lang.get().text(key)}</span> " " }
                }).collect_view()}
            </p>
            <details class="case__text">
                <summary>{t(Key::CaseNarrative)}</summary>
                <p class="case__narrative">{x.narrative.clone()}</p>
                <h4>{t(Key::CasePersonalContribution)}</h4>
                <p>{x.personal_contribution.clone()}</p>
            </details>
            <ActionForm action=review attr:class="rubric">
                <input type="hidden" name="record_id" value=id.to_string() />
                {rubric.into_iter().map(|(criterion, max)| {
                    let name = format!("scores[{criterion}]");
                    let field = format!("f-{id}-{criterion}");
                    let value = mine.0.get(&criterion).map(|p| p.to_string()).unwrap_or_default();
                    let key = crate::components::labels::criterion_key(&criterion);
                    let code = criterion.clone();
                    let label = move || match key {
                        Some(k) => format!("{} (0–{max})", lang.get().text(k)),
                        None => format!("{code} (0–{max})"),
                    };
                    view! {
                        <div class="field">
                            <label for=field.clone()>{label}</label>
                            <input id=field type="number" name=name min="0" max=max.to_string() step="1" required=true value=value />
                        </div>
                    }
                }).collect_view()}
                <div class="field field--wide">
                    <label for=format!("f-{id}-comment")>{t(Key::ReviewComment)}</label>
                    <input id=format!("f-{id}-comment") type="text" name="comment" value=mine.1.clone() maxlength="200" />
                </div>
                <button type="submit" class="button button--primary">{t(Key::SaveReview)}</button>
            </ActionForm>
        </li>
    }
    .into_any()
}
