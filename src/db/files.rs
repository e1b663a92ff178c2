//! Evidence files (migration 0006): the bytes live in the database so that every app
//! instance serves them. A removed file keeps its bytes (a frozen dossier may show it).

use super::{Db, DbResult, Tx, ok};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub record_id: i64,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, record_id, kind, file_name, content_type, size, sha256, created_at";

pub struct NewFile<'a> {
    pub record_id: i64,
    pub kind: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: Option<i64>,
}

pub async fn insert(tx: &mut Tx, f: &NewFile<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    let size = i64::try_from(f.content.len()).unwrap_or(i64::MAX);
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO evidence_files (record_id, kind, file_name, content_type, size, sha256, content,
                                     uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(f.record_id).bind(f.kind).bind(f.file_name).bind(f.content_type).bind(size).bind(f.sha256)
    .bind(f.content).bind(f.uploaded_by).bind(at)
    .fetch_one(c).await))
}

/// The files attached to a person's records (not removed), oldest first.
pub async fn of_person(db: &Db, person: i64) -> DbResult<Vec<FileRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM evidence_files WHERE removed_at IS NULL
           AND record_id IN (SELECT id FROM records WHERE person_id = $1) ORDER BY id"
    );
    on_db!(db, c => ok(sqlx::query_as::<_, FileRow>(sqlx::AssertSqlSafe(sql.clone()))
        .bind(person).fetch_all(c).await))
}

/// The files attached to one record (not removed).
pub async fn of_record(db: &Db, record: i64) -> DbResult<Vec<FileRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM evidence_files WHERE record_id = $1 AND removed_at IS NULL ORDER BY id"
    );
    on_db!(db, c => ok(sqlx::query_as::<_, FileRow>(sqlx::AssertSqlSafe(sql.clone()))
        .bind(record).fetch_all(c).await))
}

/// A file with its bytes.
pub async fn content(db: &Db, id: i64) -> DbResult<Option<(FileRow, Vec<u8>)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        file: FileRow,
        content: Vec<u8>,
    }
    let sql = format!(
        "SELECT {COLUMNS}, content FROM evidence_files WHERE id = $1 AND removed_at IS NULL"
    );
    let row: Option<Row> = on_db!(db, c => ok(sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql.clone()))
        .bind(id).fetch_optional(c).await))?;
    Ok(row.map(|r| (r.file, r.content)))
}

pub async fn remove(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> DbResult<u64> {
    on_tx!(tx, c => ok(sqlx::query(
        "UPDATE evidence_files SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL",
    ).bind(at).bind(id).execute(c).await.map(|r| r.rows_affected())))
}
