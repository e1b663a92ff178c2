//! Evidence files: a trainee attaches a PDF, JPEG or PNG to a record that is not yet verified;
//! the type is read from the content, not the name; the size is limited (configurable). A
//! file is served to its owner and to the admins of the base that verifies the record; every
//! download of another person's file is audited.
//!
//! Upload and download are plain HTTP routes (multipart in, bytes out), so they work as an
//! ordinary HTML form and link, with or without the page's script.

use super::AppState;
use crate::api::AppError;
use crate::db::audit::{self, Actor, Change};
use crate::db::files::{self as store, FileRow, NewFile};
use crate::db::{Db, records};
use crate::domain::access::{self, Action};
use crate::domain::records::{Status, Transition, apply};
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// What evidence a file is.
pub const KINDS: [&str; 5] = [
    "contract",
    "registration",
    "payment",
    "certificate",
    "other",
];

/// The content type a file's first bytes show, among those accepted.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Why an upload was refused, as the code the records page words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Type,
    TooLarge,
    /// The record is verified or withdrawn (attach with a correction instead).
    State,
    NotFound,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Missing => "missing",
            Refusal::Type => "type",
            Refusal::TooLarge => "too_large",
            Refusal::State => "state",
            Refusal::NotFound => "not_found",
        }
    }
}

/// A file name fit to store and show: the last path part, control characters dropped, at
/// most 120 characters.
fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    if name.trim().is_empty() {
        "evidence".to_string()
    } else {
        name.trim().to_string()
    }
}

/// Attaches `bytes` to `person`'s own record. Nothing is written unless every check passes.
#[allow(clippy::too_many_arguments)]
pub async fn attach(
    db: &Db,
    actor: &Actor,
    person: i64,
    record: i64,
    kind: &str,
    name: &str,
    bytes: &[u8],
    max_bytes: usize,
    at: DateTime<Utc>,
) -> Result<i64, Refusal> {
    let row = records::by_id(db, record)
        .await
        .map_err(|_| Refusal::NotFound)?
        .filter(|r| r.person_id == person)
        .ok_or(Refusal::NotFound)?;
    let status = Status::parse(&row.status).ok_or(Refusal::State)?;
    apply(status, row.pending_version.is_some(), Transition::Edit).map_err(|_| Refusal::State)?;
    if bytes.is_empty() || !KINDS.contains(&kind) {
        return Err(Refusal::Missing);
    }
    if bytes.len() > max_bytes {
        return Err(Refusal::TooLarge);
    }
    let content_type = sniff(bytes).ok_or(Refusal::Type)?;
    let name = clean_name(name);
    let sha256 = hex::encode(Sha256::digest(bytes));
    let written: Result<i64, AppError> = async {
        let mut tx = db.begin_write().await?;
        let id = store::insert(
            &mut tx,
            &NewFile {
                record_id: record,
                kind,
                file_name: &name,
                content_type,
                sha256: &sha256,
                content: bytes,
                uploaded_by: actor.user_id,
            },
            at,
        )
        .await?;
        audit::append(
            &mut tx,
            at,
            actor,
            Change {
                action: "evidence.attach",
                entity_type: "record",
                entity_id: record.to_string(),
                before: None,
                after: Some(format!(
                    "file #{id} {kind} {content_type} {} bytes sha256={sha256}",
                    bytes.len()
                )),
            },
        )
        .await?;
        tx.commit().await?;
        super::scores::refresh(db, person, at).await?;
        Ok(id)
    }
    .await;
    written.map_err(|e| {
        tracing::error!(error = %e, record, "evidence file not stored");
        Refusal::NotFound
    })
}

/// Removes a file from `person`'s own record while the record may still change. The bytes
/// stay stored (a frozen dossier may show them); the file no longer counts or shows.
pub async fn detach(
    db: &Db,
    actor: &Actor,
    person: i64,
    file: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let (f, _) = store::content(db, file).await?.ok_or(AppError::NotFound)?;
    let row = records::by_id(db, f.record_id)
        .await?
        .filter(|r| r.person_id == person)
        .ok_or(AppError::NotFound)?;
    let status = Status::parse(&row.status).ok_or(AppError::Internal)?;
    apply(status, row.pending_version.is_some(), Transition::Edit)
        .map_err(|_| AppError::Conflict(crate::api::STATE.into()))?;
    let mut tx = db.begin_write().await?;
    store::remove(&mut tx, file, at).await?;
    audit::append(
        &mut tx,
        at,
        actor,
        Change {
            action: "evidence.detach",
            entity_type: "record",
            entity_id: f.record_id.to_string(),
            before: Some(format!("file #{file} {}", f.kind)),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    super::scores::refresh(db, person, at).await?;
    Ok(())
}

/// Who may read a file: its owner, or an admin of the base that verifies its record.
/// Returns the file and whether the reader is someone other than the owner (then audited).
pub async fn readable(
    db: &Db,
    caller: &crate::api::ssr::Caller,
    id: i64,
) -> Result<(FileRow, Vec<u8>, bool), AppError> {
    let (file, bytes) = store::content(db, id).await?.ok_or(AppError::NotFound)?;
    let record = records::by_id(db, file.record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if record.person_id == caller.person_id {
        return Ok((file, bytes, false));
    }
    let verifier = record
        .base_id
        .is_some_and(|base| access::allows(&caller.grants, Action::VerifyRecords { base }));
    if verifier {
        Ok((file, bytes, true))
    } else {
        // Another person's file is "not found", never "forbidden": nothing is revealed.
        Err(AppError::NotFound)
    }
}

/// `POST /files/upload` (multipart: record_id, kind, file), answered with a redirect to the
/// records page that says what happened.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    request_user: crate::server::observe::RequestUser,
    mut form: Multipart,
) -> Response {
    let now = super::clock::now();
    let Some(caller) = crate::api::ssr::caller_from(&state, &headers, &request_user, now).await
    else {
        return Redirect::to("/login?next=/records").into_response();
    };
    if !access::allows(&caller.grants, Action::KeepOwnRecords) || caller.must_change_password {
        return StatusCode::FORBIDDEN.into_response();
    }
    let max = state.settings.max_evidence_mib * 1024 * 1024;
    let form = read_form(&mut form).await;
    let record = form.number("record_id");
    let kind = form.text("kind");
    let (name, bytes, too_large) = (form.file_name, form.file, form.too_large);
    let outcome = match (too_large, bytes) {
        (true, _) => Err(Refusal::TooLarge),
        (false, None) => Err(Refusal::Missing),
        (false, Some(b)) => {
            attach(
                &state.db,
                &caller.actor(),
                caller.person_id,
                record,
                kind.trim(),
                &name,
                &b,
                max,
                now,
            )
            .await
        }
    };
    match outcome {
        Ok(_) => Redirect::to(&format!("/records?file=ok#r{record}")).into_response(),
        Err(r) => Redirect::to(&format!("/records?file={}#r{record}", r.code())).into_response(),
    }
}

/// `GET /files/{id}`: the file to its owner and its record's verifiers; audited when the
/// reader is not the owner.
pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    request_user: crate::server::observe::RequestUser,
    Path(id): Path<i64>,
) -> Response {
    let now = super::clock::now();
    let Some(caller) = crate::api::ssr::caller_from(&state, &headers, &request_user, now).await
    else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let (file, bytes, audited) = match readable(&state.db, &caller, id).await {
        Ok(found) => found,
        Err(e) => {
            return StatusCode::from_u16(e.status())
                .unwrap_or(StatusCode::NOT_FOUND)
                .into_response();
        }
    };
    if audited {
        let logged: Result<(), AppError> = async {
            let mut tx = state.db.begin_write().await?;
            audit::append(
                &mut tx,
                now,
                &caller.actor(),
                Change {
                    action: "evidence.download",
                    entity_type: "evidence_file",
                    entity_id: id.to_string(),
                    before: None,
                    after: Some(format!("record #{} {}", file.record_id, file.kind)),
                },
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await;
        // No audit entry, no file.
        if logged.is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let disposition = format!("inline; filename*=UTF-8''{}", utf8_percent(&file.file_name));
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&file.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // Shown on its own, the file can run nothing and reach nothing.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        ),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// A multipart form with one file: its text fields, the file's name (control characters removed,
/// at most 120 characters: it is the sender's, and may be anything) and bytes, and whether the
/// body limit cut the file off.
pub(crate) struct FormParts {
    fields: Vec<(String, String)>,
    pub file_name: String,
    pub file: Option<axum::body::Bytes>,
    pub too_large: bool,
}

impl FormParts {
    pub fn text(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// A numeric field, 0 when absent or not a number.
    pub fn number(&self, name: &str) -> i64 {
        self.text(name).trim().parse().unwrap_or(0)
    }
}

pub(crate) async fn read_form(form: &mut Multipart) -> FormParts {
    let mut parts = FormParts {
        fields: Vec::new(),
        file_name: String::new(),
        file: None,
        too_large: false,
    };
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            parts.file_name = field
                .file_name()
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control())
                .take(120)
                .collect();
            match field.bytes().await {
                Ok(b) => parts.file = Some(b),
                Err(_) => parts.too_large = true,
            }
        } else if let Ok(value) = field.text().await {
            parts.fields.push((name, value));
        }
    }
    parts
}

/// A file to save (not to show): its type, its name (UTF-8 kept, RFC 5987), never cached.
pub(crate) fn attachment(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!(
        "attachment; filename=\"download\"; filename*=UTF-8''{}",
        utf8_percent(file_name)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// RFC 5987 percent-encoding of a file name.
fn utf8_percent(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_the_type() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"hello, I am a .pdf"), None);
        assert_eq!(
            sniff(b"PK\x03\x04"),
            None,
            "a zip (or .docx) is not accepted"
        );
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("C:\\Users\\me\\合同.pdf"), "合同.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\n.png"), "ab.png");
        assert_eq!(clean_name(""), "evidence");
        assert_eq!(utf8_percent("合同 1.pdf"), "%E5%90%88%E5%90%8C%201.pdf");
    }
}
