//! The `ladder` binary: the web server and the administrative command line.

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use ladder::cli::rules::{RulesetCommand, ScoreArgs};
use ladder::db::Db;
use ladder::db::audit::{Actor, ChainCheck};
use ladder::domain::access::Visibility;
use ladder::domain::role::{Grant, Role, Scope, ScopeKind};
use ladder::server::accounts::{self, NewAccount};
use ladder::server::config::Settings;
use ladder::server::{AppState, clock, demo, org, password};

/// mimalloc rather than glibc's malloc: imports read cells on one thread and validate them on
/// another, and glibc serialises frees across threads (Cargo.toml says more).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Ladder: training records, explainable scores and senior-title review for technology managers.
#[derive(Parser)]
#[command(name = "ladder", version, about, long_about = None)]
struct Cli {
    /// Database: `sqlite:PATH` (embedded, the default) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite:data/ladder.db",
        global = true
    )]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the web app (address from LEPTOS_SITE_ADDR, default 127.0.0.1:3000).
    Serve {
        /// Load the demo data set if the database is empty, and print the demo accounts.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        settings: Settings,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo data set (a training base, cohorts, trainees, a committee) into an empty database.
    Demo,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage training bases (实训基地).
    #[command(subcommand)]
    Base(BaseCommand),
    /// Manage cohorts (培训班次) of a training base.
    #[command(subcommand)]
    Cohort(CohortCommand),
    /// Manage title review committees (评委会).
    #[command(subcommand)]
    Committee(CommitteeCommand),
    /// Inspect the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import a training base's spreadsheets (dry run, then commit in one transaction).
    #[command(subcommand)]
    Import(ladder::cli::import::ImportCommand),
    /// Check, show and compare ruleset files (weights, tiers, thresholds); needs no database.
    #[command(subcommand)]
    Ruleset(RulesetCommand),
    /// Score one person's evidence file under a ruleset, every point explained; needs no database.
    Score(ScoreArgs),
}

#[derive(Subcommand)]
enum UserCommand {
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

#[derive(Subcommand)]
enum BaseCommand {
    /// Register a training base.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        region: String,
    },
    /// List training bases.
    List,
}

#[derive(Subcommand)]
enum CohortCommand {
    /// Add a cohort to a base.
    Add {
        /// Code of the training base.
        #[arg(long)]
        base: String,
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// junior, intermediate or senior.
        #[arg(long)]
        level: String,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        starts: String,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        ends: String,
    },
    /// List cohorts, optionally of one base.
    List {
        #[arg(long)]
        base: Option<String>,
    },
}

#[derive(Subcommand)]
enum CommitteeCommand {
    /// Register a review committee.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "经济系列")]
        series: String,
        #[arg(long, default_value = "科技成果转移转化")]
        specialty: String,
    },
    /// List committees.
    List,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain and report the first broken row, if any.
    Verify,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // The log goes to stderr: stdout is the commands' output (`--format json` is parsed).
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Ruleset(cmd) if !cmd.needs_database() => {
            print!("{}", ladder::cli::rules::ruleset(cmd, clock::today())?);
            return Ok(());
        }
        Command::Score(args) => {
            print!(
                "{}",
                ladder::cli::rules::score_command(args, clock::today())?
            );
            return Ok(());
        }
        _ => {}
    }
    let db = Db::connect(&cli.database_url)
        .await
        .with_context(|| format!("opening the database {}", redact(&cli.database_url)))?;
    db.migrate().await.context("migrating the database")?;
    let actor = Actor::system("cli");
    let now = clock::now();
    if let Command::Import(cmd) = cli.command {
        let status = ladder::cli::import::run(cmd, &db, &actor, now).await;
        db.close().await;
        match status? {
            0 => return Ok(()),
            code => std::process::exit(code),
        }
    }
    let result = run(cli.command, &db, &actor, now).await;
    db.close().await;
    result
}

async fn run(
    command: Command,
    db: &Db,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    match command {
        Command::Serve {
            demo: with_demo,
            settings,
        } => {
            if with_demo {
                if demo::load(db, now).await.map_err(fail)? {
                    tracing::info!("loaded the demo data set");
                }
                // Only a database holding the demo set has the demo accounts.
                if ladder::db::bases::base_id_by_code(db, demo::BASE_CODE)
                    .await?
                    .is_some()
                {
                    demo::print_accounts();
                } else {
                    tracing::info!("the database holds other data; demo data not loaded");
                }
            }
            let state = AppState {
                db: db.clone(),
                settings,
                leptos_options: ladder::server::leptos_options()?,
            };
            ladder::server::serve(state).await?;
        }
        Command::Migrate => println!("database is up to date ({})", db.engine()),
        Command::Demo => {
            if demo::load(db, now).await.map_err(fail)? {
                println!("demo data loaded");
                demo::print_accounts();
            } else {
                println!("the database already holds data; demo data not loaded");
            }
        }
        Command::User(cmd) => user(cmd, db, actor, now).await?,
        Command::Base(BaseCommand::Add { code, name, region }) => {
            let id = org::add_base(db, actor, &code, &name, &region, now)
                .await
                .map_err(fail)?;
            println!("training base {code} added (id {id})");
        }
        Command::Base(BaseCommand::List) => {
            for b in ladder::db::bases::list_bases(db, &Visibility::All).await? {
                println!(
                    "{:<12} {:<4} cohorts  {}  {}",
                    b.code, b.cohorts, b.name, b.region
                );
            }
        }
        Command::Cohort(CohortCommand::Add {
            base,
            code,
            name,
            level,
            starts,
            ends,
        }) => {
            let input = org::CohortInput {
                base_code: base,
                code: code.clone(),
                name,
                level,
                starts_on: starts,
                ends_on: ends,
            };
            let id = org::add_cohort(db, actor, &input, |_| true, now)
                .await
                .map_err(fail)?;
            println!("cohort {code} added (id {id})");
        }
        Command::Cohort(CohortCommand::List { base }) => {
            let base_id = match base {
                Some(code) => Some(
                    ladder::db::bases::base_id_by_code(db, &code)
                        .await?
                        .with_context(|| format!("no training base with code {code}"))?,
                ),
                None => None,
            };
            for k in ladder::db::bases::list_cohorts(db, &Visibility::All, base_id).await? {
                println!(
                    "{:<16} {:<12} {:<12} {} – {}  {:>3} trainees  {}",
                    k.code, k.base_code, k.level, k.starts_on, k.ends_on, k.members, k.name
                );
            }
        }
        Command::Committee(CommitteeCommand::Add {
            code,
            name,
            series,
            specialty,
        }) => {
            let id = org::add_committee(db, actor, &code, &name, &series, &specialty, now)
                .await
                .map_err(fail)?;
            println!("committee {code} added (id {id})");
        }
        Command::Committee(CommitteeCommand::List) => {
            for c in ladder::db::committees::list_committees(db, &Visibility::All).await? {
                println!(
                    "{:<12} {:>3} reviewers  {}  ({} / {})",
                    c.code, c.reviewers, c.name, c.series, c.specialty
                );
            }
        }
        // Handled before the database is opened.
        Command::Ruleset(cmd) => {
            print!(
                "{}",
                ladder::cli::rules::ruleset_store(cmd, db, actor, now).await?
            );
        }
        Command::Score(_) | Command::Import(_) => {}
        Command::Audit(AuditCommand::Verify) => match ladder::db::audit::verify_chain(db).await? {
            ChainCheck::Intact { rows } => println!("audit chain intact ({rows} rows)"),
            ChainCheck::Broken { row_id } => bail!("audit chain broken at row {row_id}"),
        },
    }
    Ok(())
}

async fn user(
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
            let grants = ladder::db::people::all_grants(db).await?;
            for u in ladder::db::people::list_users(db).await? {
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
        ladder::db::people::user_by_login(db, &username.to_lowercase())
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
                let id = ladder::db::people::scope_id(db, kind, name).await?;
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

fn fail(e: ladder::api::AppError) -> anyhow::Error {
    match e {
        ladder::api::AppError::Validation(errors) if !errors.is_empty() => anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|f| format!("{}: {}", f.field, ladder::i18n::Lang::En.text(f.key)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        ladder::api::AppError::Conflict(field) => anyhow::anyhow!("{field}: already taken"),
        other => anyhow::anyhow!("{other}"),
    }
}

/// The URL without a password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}
