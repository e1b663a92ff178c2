//! A frozen dossier, printable on A4: the candidate, what they stated about themselves, the
//! eligibility check and any exception, the score at submission, and every record with its
//! evidence files' fingerprints. The digest proves the stored dossier has not changed.

use super::{Reasons, StateBadge, Timeline, when};
use crate::api::title::{DossierView, application_dossier};
use crate::components::labels::{education_key, rank_key, record_kind_key, record_status_key};
use crate::domain::access::Area;
use crate::domain::explain;
use crate::i18n::{Key, t, use_lang};
use crate::pages::errors::ErrorPanel;
use crate::pages::records::{describe, file_kind_key};
use crate::pages::{Guard, PageHeader};
use leptos::prelude::*;

#[component]
pub fn DossierPage() -> impl IntoView {
    // Any signed-in user may ask; the server answers only the candidate, their unit and the
    // committee's secretariat and chair.
    view! {
        <Guard area=Area::Home>
            <DossierLoader />
        </Guard>
    }
}

#[component]
fn DossierLoader() -> impl IntoView {
    let lang = use_lang();
    let id = crate::pages::route_id("id");
    let data = Resource::new(
        move || (lang.get(), id()),
        |(_, id)| application_dossier(id),
    );
    view! {
        <PageHeader title=Key::DossierTitle times=true />
        <Transition fallback=|| view! { <p class="loading">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Dossier v /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Dossier(v: DossierView) -> impl IntoView {
    let lang = use_lang();
    let d = v.dossier;
    let app = v.application;
    let c = d.candidate.clone();
    let reasons: Vec<String> = d
        .ineligible
        .iter()
        .map(|r| explain::review_reason(r, lang.get_untracked()))
        .collect();
    let report = d.report.clone();
    view! {
        <div class="dossier">
            <div class="no-print toolbar">
                <button type="button" class="button" on:click=move |_| { let _ = window().print(); }>{t(Key::PrintPage)}</button>
            </div>
            <section class="panel dossier__head">
                <h2>{c.name.clone()} " " <StateBadge state=app.state /></h2>
                <dl class="facts">
                    <div><dt>{t(Key::SessionLabel)}</dt><dd>{format!("{} {}", v.session.code, v.session.name)}</dd></div>
                    <div><dt>{t(Key::IdNumber)}</dt><dd><code>{c.id_masked.clone()}</code></dd></div>
                    <div><dt>{t(Key::Unit)}</dt><dd>{c.unit.clone().unwrap_or_default()}</dd></div>
                    <div><dt>{t(Key::DossierFrozen)}</dt><dd>{when(v.frozen_at)}</dd></div>
                    <div><dt>{t(Key::DossierVersion)}</dt><dd>{v.version}</dd></div>
                    <div><dt>{t(Key::DossierRuleset)}</dt><dd>{d.ruleset.clone()}</dd></div>
                </dl>
                <p class="digest"><span class="muted">{t(Key::DossierDigest)} {t(Key::Colon)}</span> <code>{v.sha256.clone()}</code></p>
            </section>
            <section class="panel">
                <h2>{t(Key::EligibilityCheck)}</h2>
                <Reasons reasons />
                {(!d.exception_request.is_empty()).then(|| view! {
                    <p><strong>{t(Key::ExceptionStatement)} {t(Key::Colon)}</strong> {d.exception_request.clone()}</p>
                })}
                {app.exception_reason.clone().map(|r| view! {
                    <p><strong>{t(Key::ExceptionDecision)} {t(Key::Colon)}</strong> {r}</p>
                })}
            </section>
            <section class="panel">
                <h2>{t(Key::ScoreAtSubmission)}</h2>
                <dl class="facts">
                    <div><dt>{t(Key::TotalScore)}</dt><dd><strong>{report.total.display()}</strong> " / 100"</dd></div>
                    {report.dimensions.iter().map(|s| {
                        let dim = s.dimension;
                        view! {
                            <div>
                                <dt>{move || explain::dimension(dim, lang.get())}</dt>
                                <dd>{s.subscore.display()} <span class="muted">{format!(" × {}%", s.weight)}</span></dd>
                            </div>
                        }
                    }).collect_view()}
                </dl>
            </section>
            <section class="panel">
                <h3>{t(Key::EducationSection)}</h3>
                <table class="table table--dense">
                    <tbody>
                        {d.education.iter().map(|e| {
                            let level = e.level;
                            view! {
                                <tr>
                                    <td>{move || lang.get().text(education_key(level))}</td>
                                    <td>{e.institution.clone()}</td>
                                    <td>{e.major.clone()}</td>
                                    <td class="nowrap">{e.graduated_on.to_string()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <h3>{t(Key::TitlesSection)}</h3>
                <table class="table table--dense">
                    <tbody>
                        {d.titles.iter().map(|x| {
                            let rank = rank_key(&x.rank);
                            view! {
                                <tr>
                                    <td>{move || lang.get().text(rank)}</td>
                                    <td>{x.series.clone()}</td>
                                    <td class="nowrap">{x.obtained_on.to_string()}</td>
                                    <td>{x.certificate_no.clone()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <h3>{t(Key::EmploymentSection)}</h3>
                <table class="table table--dense">
                    <tbody>
                        {d.employers.iter().map(|e| view! {
                            <tr>
                                <td>{e.unit_name.clone()}</td>
                                <td>{e.position.clone()}</td>
                                <td class="nowrap">{format!("{} – {}", e.from_on, e.to_on.map(|x| x.to_string()).unwrap_or_default())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="panel">
                <h2>{t(Key::RecordsAndEvidence)}</h2>
                <table class="table table--dense">
                    <tbody>
                        {d.records.iter().map(|r| {
                            let (line, amount) = describe(&r.entry);
                            let (kind, status) = (r.kind, r.status);
                            view! {
                                <tr>
                                    <td class="nowrap">{r.date.to_string()}</td>
                                    <td>{move || lang.get().text(record_kind_key(kind))}</td>
                                    <td>
                                        {line}
                                        {r.files.iter().map(|f| {
                                            let fk = file_kind_key(&f.kind);
                                            view! {
                                                <div class="file-ref">
                                                    {move || lang.get().text(fk)} " · " {f.name.clone()}
                                                    " · " <code title=f.sha256.clone()>{f.sha256.get(..12).unwrap_or_default().to_string()}</code>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </td>
                                    <td class="num">{amount}</td>
                                    <td>{move || lang.get().text(record_status_key(status))}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="panel">
                <h2>{t(Key::History)}</h2>
                <Timeline events=app.events.clone() />
            </section>
        </div>
    }
}
