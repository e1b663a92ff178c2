//! People, their units, user accounts and role grants.

use super::{Db, DbError, DbResult, Tx, ok};
use crate::domain::role::{Grant, Role, RoleError, Scope};
use crate::{on_db, on_tx};
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub id_number: Option<String>,
    pub gender: Option<&'static str>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub unit_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub unit_name: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub person_id: i64,
    pub username: String,
    pub email: Option<String>,
    pub password_hash: String,
    pub active: bool,
    pub must_change_password: bool,
    pub name: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GrantRow {
    pub id: i64,
    pub user_id: i64,
    pub role: String,
    pub base_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub committee_id: Option<i64>,
    pub scope_name: Option<String>,
}

impl GrantRow {
    /// The typed grant; a row the schema allowed but the domain rejects is an error.
    pub fn grant(&self) -> Result<Grant, RoleError> {
        let scope = match (self.base_id, self.unit_id, self.committee_id) {
            (Some(b), _, _) => Scope::Base(b),
            (_, Some(u), _) => Scope::Unit(u),
            (_, _, Some(c)) => Scope::Committee(c),
            _ => Scope::Global,
        };
        Grant::new(Role::parse(&self.role)?, scope)
    }
}

pub async fn insert_unit(tx: &mut Tx, name: &str, at: DateTime<Utc>) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO units (name, created_at) VALUES ($1, $2) RETURNING id",
    ).bind(name).bind(at).fetch_one(c).await))
}

pub async fn insert_person(tx: &mut Tx, p: &NewPerson, at: DateTime<Utc>) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO people (name, id_number, gender, phone, email, unit_id, created_at, name_sort)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&p.name).bind(&p.id_number).bind(p.gender).bind(&p.phone).bind(&p.email)
    .bind(p.unit_id).bind(at).bind(super::collation::name_key(&p.name))
    .fetch_one(c).await))
}

const PERSON_SELECT: &str = "SELECT p.id, p.name, p.id_number, p.phone, u.name AS unit_name
    FROM people p LEFT JOIN units u ON u.id = p.unit_id";

pub async fn person_by_id_number(tx: &mut Tx, id_number: &str) -> DbResult<Option<PersonRow>> {
    let sql = format!("{PERSON_SELECT} WHERE p.id_number = $1");
    on_tx!(tx, c => ok(sqlx::query_as::<_, PersonRow>(AssertSqlSafe(sql)).bind(id_number).fetch_optional(c).await))
}

pub async fn person_by_id(db: &Db, id: i64) -> DbResult<Option<PersonRow>> {
    let sql = format!("{PERSON_SELECT} WHERE p.id = $1");
    on_db!(db, c => ok(sqlx::query_as::<_, PersonRow>(AssertSqlSafe(sql)).bind(id).fetch_optional(c).await))
}

#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub person_id: i64,
    pub username: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

pub async fn insert_user(tx: &mut Tx, u: &NewUser<'_>, at: DateTime<Utc>) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO users (person_id, username, email, password_hash, active,
                            must_change_password, created_at)
         VALUES ($1, $2, $3, $4, TRUE, $5, $6) RETURNING id",
    )
    .bind(u.person_id).bind(u.username).bind(u.email).bind(u.password_hash)
    .bind(u.must_change_password).bind(at)
    .fetch_one(c).await))
}

const USER_SELECT: &str = "SELECT u.id, u.person_id, u.username, u.email, u.password_hash,
    u.active, u.must_change_password, p.name
    FROM users u JOIN people p ON p.id = u.person_id";

/// Finds an account by username or e-mail, ignoring case.
pub async fn user_by_login(db: &Db, login: &str) -> DbResult<Option<UserRow>> {
    let sql =
        format!("{USER_SELECT} WHERE lower(u.username) = lower($1) OR lower(u.email) = lower($1)");
    on_db!(db, c => ok(sqlx::query_as::<_, UserRow>(AssertSqlSafe(sql)).bind(login.trim()).fetch_optional(c).await))
}

pub async fn user_by_id(db: &Db, id: i64) -> DbResult<Option<UserRow>> {
    let sql = format!("{USER_SELECT} WHERE u.id = $1");
    on_db!(db, c => ok(sqlx::query_as::<_, UserRow>(AssertSqlSafe(sql)).bind(id).fetch_optional(c).await))
}

pub async fn list_users(db: &Db) -> DbResult<Vec<UserRow>> {
    let sql = format!("{USER_SELECT} ORDER BY p.name_sort, u.id");
    on_db!(db, c => ok(sqlx::query_as::<_, UserRow>(AssertSqlSafe(sql)).fetch_all(c).await))
}

const GRANT_SELECT: &str = "SELECT g.id, g.user_id, g.role, g.base_id, g.unit_id, g.committee_id,
    COALESCE(b.name, un.name, c.name) AS scope_name
    FROM role_grants g
    LEFT JOIN training_bases b ON b.id = g.base_id
    LEFT JOIN units un ON un.id = g.unit_id
    LEFT JOIN committees c ON c.id = g.committee_id";

pub async fn grants_of(db: &Db, user_id: i64) -> DbResult<Vec<GrantRow>> {
    let sql = format!("{GRANT_SELECT} WHERE g.user_id = $1 ORDER BY g.id");
    on_db!(db, c => ok(sqlx::query_as::<_, GrantRow>(AssertSqlSafe(sql)).bind(user_id).fetch_all(c).await))
}

/// The same inside a writing transaction, so a read-modify-write sees a stable set.
pub async fn grants_of_in(tx: &mut Tx, user_id: i64) -> DbResult<Vec<GrantRow>> {
    let sql = format!("{GRANT_SELECT} WHERE g.user_id = $1 ORDER BY g.id");
    on_tx!(tx, c => ok(sqlx::query_as::<_, GrantRow>(AssertSqlSafe(sql)).bind(user_id).fetch_all(c).await))
}

pub async fn all_grants(db: &Db) -> DbResult<Vec<GrantRow>> {
    let sql = format!("{GRANT_SELECT} ORDER BY g.user_id, g.id");
    on_db!(db, c => ok(sqlx::query_as::<_, GrantRow>(AssertSqlSafe(sql)).fetch_all(c).await))
}

pub async fn grant_by_id(tx: &mut Tx, id: i64) -> DbResult<Option<GrantRow>> {
    let sql = format!("{GRANT_SELECT} WHERE g.id = $1");
    on_tx!(tx, c => ok(sqlx::query_as::<_, GrantRow>(AssertSqlSafe(sql)).bind(id).fetch_optional(c).await))
}

pub async fn add_grant(
    tx: &mut Tx,
    user_id: i64,
    grant: Grant,
    at: DateTime<Utc>,
) -> DbResult<i64> {
    let (base, unit, committee) = match grant.scope() {
        Scope::Global => (None, None, None),
        Scope::Base(id) => (Some(id), None, None),
        Scope::Unit(id) => (None, Some(id), None),
        Scope::Committee(id) => (None, None, Some(id)),
    };
    on_tx!(tx, c => ok(sqlx::query_scalar(
        "INSERT INTO role_grants (user_id, role, base_id, unit_id, committee_id, scope_key, granted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(user_id).bind(grant.role().code()).bind(base).bind(unit).bind(committee)
    .bind(grant.scope().key()).bind(at)
    .fetch_one(c).await))
}

pub async fn remove_grant(tx: &mut Tx, id: i64) -> DbResult<()> {
    on_tx!(tx, c => ok(sqlx::query("DELETE FROM role_grants WHERE id = $1").bind(id).execute(c).await.map(|r| r.rows_affected())))?;
    Ok(())
}

pub async fn set_password(
    tx: &mut Tx,
    user_id: i64,
    hash: &str,
    must_change: bool,
) -> DbResult<()> {
    let done = on_tx!(tx, c => ok(sqlx::query(
        "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3",
    ).bind(hash).bind(must_change).bind(user_id).execute(c).await.map(|r| r.rows_affected())))?;
    if done == 0 {
        return Err(super::DbError::NotFound);
    }
    Ok(())
}

pub async fn set_active(tx: &mut Tx, user_id: i64, active: bool) -> DbResult<()> {
    let done = on_tx!(tx, c => ok(sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(active).bind(user_id).execute(c).await.map(|r| r.rows_affected())))?;
    if done == 0 {
        return Err(super::DbError::NotFound);
    }
    Ok(())
}

/// Resolves a scope by its human name: base code, unit name or committee code.
pub async fn scope_id(
    db: &Db,
    kind: crate::domain::role::ScopeKind,
    name: &str,
) -> DbResult<Option<i64>> {
    use crate::domain::role::ScopeKind;
    let sql = match kind {
        ScopeKind::Base => "SELECT id FROM training_bases WHERE code = $1",
        ScopeKind::Unit => "SELECT id FROM units WHERE name = $1",
        ScopeKind::Committee => "SELECT id FROM committees WHERE code = $1",
        ScopeKind::Global => return Ok(None),
    };
    on_db!(db, c => ok(sqlx::query_scalar(sql).bind(name).fetch_optional(c).await))
}

/// How many grants of `role` exist (active accounts or not).
pub async fn count_role(tx: &mut Tx, role: crate::domain::role::Role) -> DbResult<i64> {
    on_tx!(tx, c => ok(sqlx::query_scalar("SELECT COUNT(*) FROM role_grants WHERE role = $1")
        .bind(role.code()).fetch_one(c).await))
}

/// A person's contact details (their own profile): phone and e-mail, normalised.
pub async fn contact(db: &Db, person: i64) -> DbResult<(Option<String>, Option<String>)> {
    on_db!(db, c => ok(sqlx::query_as("SELECT phone, email FROM people WHERE id = $1")
        .bind(person).fetch_optional(c).await))?
    .ok_or(DbError::NotFound)
}

/// Sets a person's phone and e-mail; the contact before, for the audit row.
pub async fn set_contact(
    tx: &mut Tx,
    person: i64,
    phone: Option<&str>,
    email: Option<&str>,
) -> DbResult<(Option<String>, Option<String>)> {
    let before: (Option<String>, Option<String>) = on_tx!(tx, c => ok(sqlx::query_as(
        "SELECT phone, email FROM people WHERE id = $1",
    ).bind(person).fetch_optional(c).await))?
    .ok_or(DbError::NotFound)?;
    on_tx!(tx, c => ok(sqlx::query("UPDATE people SET phone = $2, email = $3 WHERE id = $1")
        .bind(person).bind(phone).bind(email).execute(c).await.map(|_| ())))?;
    Ok(before)
}
