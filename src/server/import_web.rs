//! The web face of imports: the upload route, the preview built for a page, and the two
//! downloads (JSON report, error workbook). Every route and server function asks the access
//! policy for the import's base; another base's import is "not found".

use super::AppState;
use super::imports::{self, Analysed, ImportError, ImportFile};
use crate::api::AppError;
use crate::api::imports::{ImportLine, ImportView, PREVIEW_PAGE, PreviewRow, RowCounts};
use crate::api::ssr::{Caller, Ctx};
use crate::db::imports::{self as store, ImportRow};
use crate::domain::access::{self, Action};
use crate::i18n::Lang;
use crate::import::report;
use crate::import::roster::fields::Field;
use crate::import::roster::plan::{Counts, Outcome, Planned};
use crate::import::roster::{Kind, Skip};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;

fn counts_of(json: &str) -> RowCounts {
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct C {
        total: u64,
        new: u64,
        updated: u64,
        unchanged: u64,
        skipped: u64,
        error: u64,
    }
    let c: C = serde_json::from_str(json).unwrap_or_default();
    RowCounts {
        total: c.total,
        new: c.new,
        updated: c.updated,
        unchanged: c.unchanged,
        skipped: c.skipped,
        error: c.error,
    }
}

fn row_counts(c: &Counts) -> RowCounts {
    RowCounts {
        total: c.total,
        new: c.new,
        updated: c.updated,
        unchanged: c.unchanged,
        skipped: c.skipped,
        error: c.error,
    }
}

pub fn line(i: &ImportRow) -> ImportLine {
    ImportLine {
        id: i.id,
        kind: i.kind.clone(),
        file_name: i.file_name.clone(),
        base_code: i.base_code.clone(),
        cohort_code: i.cohort_code.clone(),
        state: i.state.clone(),
        counts: counts_of(&i.counts),
        created_by: i.created_by_name.clone().unwrap_or_default(),
        created_at: i.created_at,
        size_kib: (i.size + 1023) / 1024,
    }
}

/// The import if the caller may import into its base (otherwise it does not exist for them).
pub async fn readable(ctx: &Ctx, id: i64) -> Result<(&Caller, ImportRow), AppError> {
    let caller = ctx.require(Action::ImportAnyRosters)?;
    let import = store::import_by_id(ctx.db(), id)
        .await?
        .filter(|i| access::allows(&caller.grants, Action::ImportRosters { base: i.base_id }))
        .ok_or(AppError::NotFound)?;
    Ok((caller, import))
}

pub fn done_message(kind: Kind, c: &Counts, lang: Lang) -> String {
    match (kind, lang) {
        (Kind::Attendance, Lang::Zh) => format!(
            "已导入：新增 {} 条经基地核验的培训记录，核验学员自行登记的记录 {} 条，{} 行已有记录无变化；跳过 {} 行，{} 行有错误未导入。",
            c.new, c.updated, c.unchanged, c.skipped, c.error
        ),
        (Kind::Attendance, Lang::En) => format!(
            "Imported: {} new training records verified by the base, {} of the trainees' own records verified, {} rows already on record; {} rows skipped, {} rows with errors left out.",
            c.new, c.updated, c.unchanged, c.skipped, c.error
        ),
        (Kind::Roster, Lang::Zh) => format!(
            "已导入：新增 {} 人，更新 {} 人，无变化 {} 人；跳过 {} 行，{} 行有错误未导入。",
            c.new, c.updated, c.unchanged, c.skipped, c.error
        ),
        (Kind::Roster, Lang::En) => format!(
            "Imported: {} new, {} updated, {} unchanged; {} rows skipped, {} rows with errors left out.",
            c.new, c.updated, c.unchanged, c.skipped, c.error
        ),
    }
}

fn failed_message(import: &ImportRow, lang: Lang) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(import.error.as_deref()?).ok()?;
    json.get(lang.code())
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn preview_row(p: &Planned, kind: Kind, lang: Lang) -> PreviewRow {
    let zh = lang == Lang::Zh;
    // An attendance row's hours are the session's, not a roster's total.
    let label = |f: Field| match (kind, f) {
        (Kind::Attendance, Field::HoursTotal) => {
            if zh {
                "学时"
            } else {
                "Hours"
            }
        }
        _ => f.label(lang),
    };
    let details = match (p.outcome, p.skipped) {
        (Outcome::Skipped, Some(Skip::Totals)) => {
            vec![if zh { "合计行" } else { "Totals row" }.to_string()]
        }
        (Outcome::Skipped, Some(Skip::Absent)) => {
            vec![if zh { "缺勤" } else { "Absent" }.to_string()]
        }
        (Outcome::Skipped, _) => vec![if zh { "空行" } else { "Blank row" }.to_string()],
        (Outcome::Error, _) => p
            .issues
            .iter()
            .map(|i| {
                let cell = i.column.as_deref().map(|c| format!("{c}{}: ", i.row));
                format!("{}{}", cell.unwrap_or_default(), i.message(lang))
            })
            .collect(),
        _ => p
            .changes
            .iter()
            .map(|c| {
                use crate::components::labels::{module_key, record_status_key};
                use crate::domain::records::Status;
                let status = |code: &str| {
                    Status::parse(code).map(|s| lang.text(record_status_key(s)).to_string())
                };
                let after = match c.field {
                    Field::Module => crate::domain::rules::Module::parse(&c.after)
                        .map(|m| lang.text(module_key(m)).to_string()),
                    Field::Status => status(&c.after),
                    _ => None,
                }
                .unwrap_or_else(|| c.after.clone());
                let before = match c.field {
                    Field::Status => status(&c.before),
                    _ => None,
                }
                .unwrap_or_else(|| c.before.clone());
                // A training record is only ever added: its values, without a "before".
                match (p.outcome, before.as_str()) {
                    (Outcome::New, "") => format!("{}: {after}", label(c.field)),
                    (_, "") => format!("{}: — → {after}", label(c.field)),
                    (_, before) => format!("{}: {before} → {after}", label(c.field)),
                }
            })
            .collect(),
    };
    PreviewRow {
        row: p.row,
        outcome: serde_json::to_value(p.outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        who: p.who.clone(),
        details,
        warnings: p.warnings.iter().map(|w| w.message(lang)).collect(),
        correction: p.warnings.iter().find_map(|w| match &w.detail {
            crate::import::roster::codes::Detail::KeptAsIs {
                person: Some(_),
                has_account,
                ..
            } => Some(crate::api::imports::CorrectionOffer {
                to_person: *has_account,
                sent: false,
            }),
            _ => None,
        }),
    }
}

/// The preview page's data. A committed import shows its recorded counts and the rows it left
/// out; a previewed one the outcome as of now (and whether that differs from the upload's).
pub async fn preview(
    ctx: &Ctx,
    import: &ImportRow,
    show: &str,
    page: usize,
) -> Result<ImportView, AppError> {
    let lang = ctx.lang();
    let mut view = ImportView {
        line: line(import),
        failed: failed_message(import, lang),
        sheet: String::new(),
        header_row: 0,
        ignored: Vec::new(),
        counts: counts_of(&import.counts),
        changed: false,
        missing_cohorts: Vec::new(),
        can_add_cohort: false,
        needs_confirmation: Vec::new(),
        can_commit: false,
        show: show.to_string(),
        rows: Vec::new(),
        page: 1,
        pages: 1,
        shown: 0,
    };
    if import.state == "failed" {
        return Ok(view);
    }
    let analysed = match reanalyse(ctx, import).await {
        Ok(a) => a,
        Err(e @ (ImportError::Db(_) | ImportError::Internal)) => {
            tracing::error!(error = %e, import = import.id, "import preview");
            return Err(AppError::Internal);
        }
        Err(e) => {
            view.failed = Some(e.message(lang));
            return Ok(view);
        }
    };
    let committed = import.state == "committed";
    view.sheet = analysed.parsed.sheet.clone();
    view.header_row = analysed.parsed.header_row;
    view.ignored = analysed.parsed.ignored.clone();
    if !committed {
        view.counts = row_counts(&analysed.plan.counts);
        view.changed = analysed.plan.digest != import.digest;
        view.can_commit = !view.changed;
        view.missing_cohorts = super::import_cohorts::missing(&analysed.plan);
        view.can_add_cohort = ctx.caller.as_ref().is_some_and(|c| {
            access::allows(
                &c.grants,
                Action::AddCohort {
                    base: import.base_id,
                },
            )
        });
        view.needs_confirmation = analysed
            .plan
            .over_share
            .iter()
            .map(|s| format!("{}: {} / {}", s.cohort, s.updated, s.members))
            .collect();
    }
    // After the commit only the rows left out are of interest.
    let show = match (committed, show) {
        (true, "skipped") => "skipped",
        (true, _) => "errors",
        (false, s) => s,
    };
    view.show = show.to_string();
    let wanted = |p: &&Planned| match show {
        "errors" => p.outcome == Outcome::Error,
        "updates" => p.outcome == Outcome::Update,
        "new" => p.outcome == Outcome::New,
        "skipped" => p.outcome == Outcome::Skipped,
        _ => true,
    };
    let shown: Vec<&Planned> = analysed.plan.rows.iter().filter(wanted).collect();
    view.shown = shown.len();
    view.pages = shown.len().div_ceil(PREVIEW_PAGE).max(1);
    view.page = page.clamp(1, view.pages);
    view.rows = shown
        .iter()
        .skip((view.page - 1) * PREVIEW_PAGE)
        .take(PREVIEW_PAGE)
        .map(|p| preview_row(p, analysed.parsed.kind, lang))
        .collect();
    if view.rows.iter().any(|r| r.correction.is_some()) {
        let sent = crate::db::corrections::rows_of_import(ctx.db(), import.id).await?;
        for r in &mut view.rows {
            if let Some(offer) = &mut r.correction {
                offer.sent = sent.contains(&i64::from(r.row));
            }
        }
    }
    Ok(view)
}

async fn reanalyse(ctx: &Ctx, import: &ImportRow) -> Result<Analysed, ImportError> {
    let file = imports::kept_file(ctx.db(), import).await?;
    imports::analyse(ctx.db(), &file, &ctx.state.settings.import).await
}

/// `POST /files/imports` (multipart: `base`, `cohort`, `file`): reads the file, keeps it with
/// its preview, and sends the browser to the preview page; an unreadable file is recorded
/// with its reason and shown on the same page.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    request_user: crate::server::observe::RequestUser,
    mut form: Multipart,
) -> Response {
    let now = super::clock::now();
    let Some(caller) = crate::api::ssr::caller_from(&state, &headers, &request_user, now).await
    else {
        return Redirect::to("/login?next=/admin/imports").into_response();
    };
    if !access::allows(&caller.grants, Action::ImportAnyRosters) || caller.must_change_password {
        return StatusCode::FORBIDDEN.into_response();
    }
    let form = super::files::read_form(&mut form).await;
    let base = form.number("base");
    let kind = Kind::parse(&form.text("kind")).unwrap_or(Kind::Roster);
    let cohort = form.text("cohort");
    let (name, bytes, too_large) = (form.file_name, form.file, form.too_large);
    if !access::allows(&caller.grants, Action::ImportRosters { base }) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Some(bytes) = bytes.or_else(|| too_large.then(Default::default)) else {
        return Redirect::to("/admin/imports?missing=1").into_response();
    };
    let cohort = Some(cohort.trim().to_string()).filter(|c| !c.is_empty());
    let file = ImportFile {
        kind,
        base_id: base,
        cohort,
        file_name: if name.is_empty() { "—".into() } else { name },
        bytes: Arc::new(bytes.to_vec()),
    };
    let actor = caller.actor();
    let settings = &state.settings.import;
    let outcome = if too_large {
        Err(ImportError::File(
            crate::import::sheet::SheetError::TooLarge {
                limit_mib: settings.max_import_mib,
            },
        ))
    } else {
        imports::analyse(&state.db, &file, settings).await
    };
    let id = match outcome {
        Ok(analysed) => imports::keep_preview(&state.db, &actor, &file, &analysed, now).await,
        Err(e @ (ImportError::Db(_) | ImportError::Internal)) => Err(e),
        Err(e) => imports::record_failure(&state.db, &actor, &file, &e, now).await,
    };
    match id {
        Ok(id) => Redirect::to(&format!("/admin/imports/{id}")).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "import upload");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /files/imports/{id}/{what}`: `report.json` (the README's import report) or
/// `errors.xlsx` (the error workbook), for the import's base admins.
pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    request_user: crate::server::observe::RequestUser,
    Path((id, what)): Path<(i64, String)>,
) -> Response {
    let now = super::clock::now();
    let Some(caller) = crate::api::ssr::caller_from(&state, &headers, &request_user, now).await
    else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if caller.must_change_password {
        return StatusCode::FORBIDDEN.into_response();
    }
    let lang = super::session::request_lang(&headers);
    let import = match store::import_by_id(&state.db, id).await {
        Ok(Some(i))
            if access::allows(&caller.grants, Action::ImportRosters { base: i.base_id }) =>
        {
            i
        }
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "import download");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let analysed = match imports::kept_file(&state.db, &import).await {
        Ok(file) if what == "errors.xlsx" => {
            imports::analyse_for_error_workbook(&state.db, &file, &state.settings.import).await
        }
        Ok(file) => imports::analyse(&state.db, &file, &state.settings.import).await,
        Err(e) => Err(e),
    };
    let Ok(a) = analysed else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let stem = import
        .file_name
        .rsplit_once('.')
        .map_or(import.file_name.as_str(), |(s, _)| s)
        .to_string();
    let (body, content_type, file_name) = match what.as_str() {
        "report.json" => {
            let r = report::report(
                &import.file_name,
                a.format,
                &a.parsed,
                &a.plan,
                import.state == "committed",
                lang,
            );
            match serde_json::to_vec_pretty(&r) {
                Ok(b) => (b, "application/json", format!("{stem}-report.json")),
                Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
        "errors.xlsx" => match report::error_workbook(&a.parsed, &a.plan, lang) {
            Ok(b) => (b, super::exports::XLSX, format!("{stem}-错误说明.xlsx")),
            Err(e) => {
                tracing::error!(error = %e, "error workbook");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    super::files::attachment(body, content_type, &file_name)
}
