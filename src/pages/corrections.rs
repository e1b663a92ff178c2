//! Identity correction requests: the person's own (on their profile) and every request for a
//! system admin (on the users page), each with what the base's roster says differently,
//! masked, and the way to answer it.

use crate::api::corrections::{
    CloseCorrection, CorrectIdentity, CorrectionsView, IdentityView, RequestView,
    correction_requests,
};
use crate::components::form::{FormMessage, action_error};
use crate::components::time::Moment;
use crate::i18n::{Key, t, use_lang};
use leptos::prelude::*;

fn state_badge(state: &str) -> impl IntoView + use<> {
    let (key, class) = match state {
        "open" => (Key::CorrectionOpen, "badge badge--warn"),
        "corrected" => (Key::CorrectionCorrected, "badge badge--ok"),
        _ => (Key::CorrectionDismissed, "badge badge--muted"),
    };
    view! { <span class=class>{t(key)}</span> }
}

/// What the request says: who asked, when, what differs, the note and any answer.
#[component]
fn RequestBody(r: RequestView) -> impl IntoView {
    view! {
        <p class="correction__meta">
            {state_badge(&r.state)} " " {r.base.clone()} " · " {r.requested_by.clone()} " · "
            <Moment at=r.requested_at />
        </p>
        <table class="table table--dense correction__diff">
            <thead>
                <tr>
                    <th scope="col">{t(Key::CorrectionField)}</th>
                    <th scope="col">{t(Key::CorrectionOnRecord)}</th>
                    <th scope="col">{t(Key::CorrectionInRoster)}</th>
                </tr>
            </thead>
            <tbody>
                {r.differences.iter().map(|d| view! {
                    <tr>
                        <td data-label=t(Key::CorrectionField)>{d.field.clone()}</td>
                        <td data-label=t(Key::CorrectionOnRecord)>{d.stored.clone()}</td>
                        <td data-label=t(Key::CorrectionInRoster)>{d.file.clone()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {(!r.note.is_empty()).then(|| view! { <p><strong>{t(Key::CorrectionNote)}</strong> " " {r.note.clone()}</p> })}
        {(!r.answer.is_empty()).then(|| view! { <p><strong>{t(Key::CorrectionAnswer)}</strong> " " {r.answer.clone()}</p> })}
    }
}

/// Closing a request as not needing a correction, with the reason the clerk reads.
#[component]
fn DismissForm(id: i64, action: ServerAction<CloseCorrection>) -> impl IntoView {
    view! {
        <ActionForm action attr:class="correction__dismiss">
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="decision" value="dismissed" />
            <label>
                <span class="visually-hidden">{t(Key::CorrectionDismissReason)}</span>
                <input type="text" name="answer" required maxlength="500"
                    placeholder=move || use_lang().get().text(Key::CorrectionDismissReason) />
            </label>
            <button type="submit" class="button button--small button--ghost">{t(Key::CorrectionDismiss)}</button>
        </ActionForm>
    }
}

/// The person's requests, on their profile: they correct their contact above and mark the
/// request corrected, or answer why nothing needs correcting. Nothing shows without requests.
/// The profile page loads them with its own data (a resource of its own here, inside the
/// page's suspense, would make hydration fail).
#[component]
pub fn MyCorrections(
    mine: Vec<RequestView>,
    close: ServerAction<CloseCorrection>,
) -> impl IntoView {
    let error = action_error(close);
    if mine.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="panel correction-list" id="corrections">
            <h2>{t(Key::CorrectionsForYouTitle)}</h2>
            <p class="muted">{t(Key::CorrectionsForYouLead)}</p>
            <FormMessage error />
            <ul class="entries">
                {mine.into_iter().map(|r| {
                    let (id, open, state) = (r.id, r.state == "open", r.state.clone());
                    view! {
                        <li class="entry correction" data-state=state>
                            <div class="entry__main"><RequestBody r /></div>
                            {open.then(|| view! {
                                <div class="correction__actions">
                                    <ActionForm action=close attr:class="form-inline">
                                        <input type="hidden" name="id" value=id.to_string() />
                                        <input type="hidden" name="decision" value="corrected" />
                                        <button type="submit" class="button button--small">{t(Key::CorrectionDone)}</button>
                                    </ActionForm>
                                    <DismissForm id action=close />
                                </div>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// Every request, for a system admin: an open one is answered by correcting the person's
/// identity (the phone shown masked; left empty, it stays) or dismissing it with a reason.
#[component]
pub fn AdminCorrections() -> impl IntoView {
    let close = ServerAction::<CloseCorrection>::new();
    let correct = ServerAction::<CorrectIdentity>::new();
    let close_error = action_error(close);
    let data = Resource::new(
        move || (close.version().get(), correct.version().get()),
        |_| correction_requests(),
    );
    view! {
        <section class="panel correction-list" id="corrections">
            <h2>{t(Key::CorrectionsTitle)}</h2>
            <p class="muted">{t(Key::CorrectionsLead)}</p>
            <FormMessage error=close_error />
            <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let all = match data.await {
                        Ok(CorrectionsView { admin: Some(all), .. }) => all,
                        _ => Vec::new(),
                    };
                    if all.is_empty() {
                        return view! { <p class="empty">{t(Key::NothingYet)}</p> }.into_any();
                    }
                    view! {
                        <ul class="entries">
                            {all.into_iter().map(|(r, now)| {
                                let open = r.state == "open";
                                let (id, person, who) = (r.id, r.person_id, r.person.clone());
                                let state = r.state.clone();
                                view! {
                                    <li class="entry correction" data-state=state>
                                        <div class="entry__main">
                                            <h3 class="correction__who">{who}</h3>
                                            <RequestBody r />
                                        </div>
                                        {open.then(|| view! {
                                            <div class="correction__actions">
                                                <IdentityForm person request=id now action=correct />
                                                <DismissForm id action=close />
                                            </div>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn IdentityForm(
    person: i64,
    request: i64,
    now: IdentityView,
    action: ServerAction<CorrectIdentity>,
) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(action);
    let gender = now.gender.clone();
    let option = move |value: &'static str, key: Key| {
        let selected = gender == value;
        view! { <option value=value selected=selected>{move || lang.get().text(key)}</option> }
    };
    // Several forms share the page: each input's id carries the request's.
    let input = move |name: &'static str,
                      label: Key,
                      kind: &'static str,
                      value: String,
                      placeholder: String,
                      required: bool| {
        let id = format!("c{request}-{name}");
        let field_error = move || error.get().and_then(|e| e.field_key(name));
        view! {
            <div class="field" class:field--invalid=move || field_error().is_some()>
                <label for=id.clone()>{move || lang.get().text(label)}</label>
                <input id=id name=name type=kind value=value placeholder=placeholder required=required
                    aria-invalid=move || field_error().is_some().then_some("true") />
                <p class="field__error" role="alert">{move || field_error().map(|k| lang.get().text(k))}</p>
            </div>
        }
    };
    view! {
        <details class="correction__form">
            <summary class="button button--small button--primary">{t(Key::CorrectionCorrect)}</summary>
            <ActionForm action attr:class="form-grid">
                <input type="hidden" name="person_id" value=person.to_string() />
                <input type="hidden" name="request_id" value=request.to_string() />
                {input("name", Key::FullName, "text", now.name.clone(), String::new(), true)}
                <div class="field">
                    <label for=format!("c{request}-gender")>{t(Key::CorrectionGender)}</label>
                    <select id=format!("c{request}-gender") name="gender">
                        {option("", Key::CorrectionGenderUnknown)}
                        {option("male", Key::CorrectionMale)}
                        {option("female", Key::CorrectionFemale)}
                    </select>
                </div>
                {input("phone", Key::Phone, "tel", String::new(), now.phone.clone(), false)}
                {input("email", Key::Email, "email", String::new(), now.email.clone(), false)}
                {input("employer", Key::Unit, "text", now.employer.clone(), String::new(), false)}
                {input("reason", Key::CorrectionReason, "text", String::new(), String::new(), true)}
                <p class="muted">{t(Key::CorrectionKeepHint)}</p>
                <FormMessage error />
                <div class="form-grid__actions">
                    <button type="submit" class="button button--primary">{t(Key::Save)}</button>
                </div>
            </ActionForm>
        </details>
    }
}
