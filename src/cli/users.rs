//! `ladder user …`: accounts and their roles from the command line.

use super::fail;
use crate::db::Db;
use crate::db::audit::Actor;
use crate::domain::role::{Grant, Role, Scope, ScopeKind};
use crate::server::accounts::{self, NewAccount};
use crate::server::password;
use anyhow::{Context, bail};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a login, for a new person or (with --person) for a person already on a roster.
    Add {
        /// Login name: 3-32 of a-z, 0-9, '.', '_', '-'.
        #[arg(long)]
        username: String,
        /// Full name (not needed with --person).
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// ID number (公民身份号码) of an existing person to give a login; a new person otherwise.
        #[arg(long = "person")]
        person: Option<String>,
        /// Initial password; a random one is generated and printed if omitted.
        #[arg(long)]
        password: Option<String>,
        /// Roles as ROLE or ROLE@SCOPE (base code, unit name or committee code); repeatable.
        #[arg(long = "role")]
        roles: Vec<String>,
    },
    /// List accounts with their roles.
    List,
    /// Replace a user's roles: ROLE or ROLE@SCOPE, e.g. base_admin@SH-XH-01 reviewer@SH-ECON-TT.
    SetRoles {
        username: String,
        roles: Vec<String>,
    },
    /// Set a new password (random if not given); the user must change it at next sign-in.
    ResetPassword {
        username: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Disable an account and end its sessions.
    Deactivate { username: String },
}

pub async fn user(
    cmd: UserCommand,
    db: &Db,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add {
            username,
            name,
            email,
            person,
            password: pw,
            roles,
        } => {
            let grants = parse_grants(db, &roles).await?;
            let generated = pw.is_none();
            let pw = pw.unwrap_or_else(password::generate);
            let new = NewAccount {
                username: username.clone(),
                name,
                email,
                id_number: person,
                password: pw.clone(),
                must_change_password: generated,
                grants,
            };
            let id = accounts::create_user(db, actor, &new, now)
                .await
                .map_err(fail)?;
            println!("user {username} created (id {id})");
            if generated {
                println!("initial password: {pw}  (must be changed at first sign-in)");
            }
        }
        UserCommand::List => {
            let grants = crate::db::people::all_grants(db).await?;
            for u in crate::db::people::list_users(db).await? {
                let roles: Vec<String> = grants
                    .iter()
                    .filter(|g| g.user_id == u.id)
                    .map(|g| match &g.scope_name {
                        Some(s) => format!("{}@{s}", g.role),
                        None => g.role.clone(),
                    })
                    .collect();
                println!(
                    "{:<14} {:<8} {:<9} {}",
                    u.username,
                    u.name,
                    if u.active { "active" } else { "inactive" },
                    roles.join(", ")
                );
            }
        }
        UserCommand::SetRoles { username, roles } => {
            let id = user_id(db, &username).await?;
            let grants = parse_grants(db, &roles).await?;
            accounts::set_roles(db, actor, id, &grants, now)
                .await
                .map_err(fail)?;
            println!("roles of {username} set to: {}", roles.join(", "));
        }
        UserCommand::ResetPassword {
            username,
            password: pw,
        } => {
            let id = user_id(db, &username).await?;
            let generated = pw.is_none();
            let pw = pw.unwrap_or_else(password::generate);
            accounts::reset_password(db, actor, id, &pw, now)
                .await
                .map_err(fail)?;
            if generated {
                println!("new password for {username}: {pw}  (must be changed at next sign-in)");
            } else {
                println!("password of {username} reset (must be changed at next sign-in)");
            }
        }
        UserCommand::Deactivate { username } => {
            let id = user_id(db, &username).await?;
            accounts::set_active(db, actor, id, false, now)
                .await
                .map_err(fail)?;
            println!("{username} deactivated; their sessions have ended");
        }
    }
    Ok(())
}

async fn user_id(db: &Db, username: &str) -> anyhow::Result<i64> {
    Ok(
        crate::db::people::user_by_login(db, &username.to_lowercase())
            .await?
            .with_context(|| format!("no user named {username}"))?
            .id,
    )
}

/// `ROLE` or `ROLE@SCOPE`, the scope named by base code, unit name or committee code.
async fn parse_grants(db: &Db, specs: &[String]) -> anyhow::Result<Vec<Grant>> {
    let mut out = Vec::new();
    for spec in specs {
        let (code, scope_name) = match spec.split_once('@') {
            Some((r, s)) => (r, Some(s)),
            None => (spec.as_str(), None),
        };
        let role = Role::parse(code).map_err(|e| anyhow::anyhow!("{spec}: {e}"))?;
        let scope = match (role.scope_kind(), scope_name) {
            (ScopeKind::Global, None) => Scope::Global,
            (ScopeKind::Global, Some(_)) => bail!("{spec}: role {role} is not bound to a scope"),
            (kind, None) => bail!("{spec}: role {role} needs @SCOPE ({kind:?})"),
            (kind, Some(name)) => {
                let id = crate::db::people::scope_id(db, kind, name).await?;
                let id = id.with_context(|| format!("{spec}: no {kind:?} named {name}"))?;
                match kind {
                    ScopeKind::Base => Scope::Base(id),
                    ScopeKind::Unit => Scope::Unit(id),
                    _ => Scope::Committee(id),
                }
            }
        };
        out.push(Grant::new(role, scope).map_err(|e| anyhow::anyhow!("{spec}: {e}"))?);
    }
    Ok(out)
}
