//! The `ladder` binary: the web server and the administrative command line.

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use ladder::cli::fail;
use ladder::cli::rules::{RulesetCommand, ScoreArgs};
use ladder::db::Db;
use ladder::db::audit::{Actor, ChainCheck};
use ladder::domain::access::Visibility;
use ladder::server::config::Settings;
use ladder::server::{AppState, clock, demo, org};

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
    User(ladder::cli::users::UserCommand),
    /// Manage training bases (实训基地).
    #[command(subcommand)]
    Base(BaseCommand),
    /// Manage cohorts (培训班次) of a training base.
    #[command(subcommand)]
    Cohort(CohortCommand),
    /// Manage title review committees (评委会).
    #[command(subcommand)]
    Committee(CommitteeCommand),
    /// Verify the database's integrity and the application's invariants: the audit chain,
    /// stored score totals against their ledgers, sheet totals against their criteria, ballot
    /// tallies against recorded voters, roster rows only of committed imports.
    Check,
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
    /// The working-day calendar (holidays, make-up workdays) public notices are counted in.
    #[command(subcommand)]
    Calendar(ladder::cli::review::CalendarCommand),
    /// The senior-title review's clock, on demand.
    #[command(subcommand)]
    Review(ladder::cli::review::ReviewCommand),
    /// Write a consistent copy of the SQLite database to FILE while the app serves.
    Backup {
        /// The backup file to create (it must not exist).
        file: std::path::PathBuf,
    },
    /// Replace the SQLite database with a backup (checked first).
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// Replace an existing database (stop the server first).
        #[arg(long)]
        force: bool,
    },
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
    // LADDER_LOG_FORMAT=json writes one JSON object per line, for a log collector.
    let log = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if std::env::var("LADDER_LOG_FORMAT").as_deref() == Ok("json") {
        log.json().init();
    } else {
        log.init();
    }
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
        // Neither opens the database the usual way: a backup must not migrate what it copies,
        // a restore must not hold the file it replaces.
        Command::Backup { file } => {
            print!(
                "{}",
                ladder::cli::backup::backup(&cli.database_url, &file).await?
            );
            return Ok(());
        }
        Command::Restore { file, force } => {
            print!(
                "{}",
                ladder::cli::backup::restore(&cli.database_url, &file, force).await?
            );
            return Ok(());
        }
        _ => {}
    }
    let db = Db::connect(&cli.database_url)
        .await
        .with_context(|| format!("opening the database {}", redact(&cli.database_url)))?;
    ladder::cli::backup::before_migration(&cli.database_url, &db, clock::now()).await?;
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
                refusals: Default::default(),
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
        Command::User(cmd) => ladder::cli::users::user(cmd, db, actor, now).await?,
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
        Command::Calendar(cmd) => ladder::cli::review::calendar(cmd, db, actor, now).await?,
        Command::Review(cmd) => ladder::cli::review::review(cmd, db, now).await?,
        Command::Score(_)
        | Command::Import(_)
        | Command::Backup { .. }
        | Command::Restore { .. } => {}
        Command::Check => {
            let report = ladder::db::check::run(db).await?;
            print!("{}", ladder::cli::check_summary(&report));
            if !report.is_clean() {
                bail!("{} problems found", report.findings.len());
            }
        }
        Command::Audit(AuditCommand::Verify) => match ladder::db::audit::verify_chain(db).await? {
            ChainCheck::Intact { rows } => println!("audit chain intact ({rows} rows)"),
            ChainCheck::Broken { row_id } => bail!("audit chain broken at row {row_id}"),
        },
    }
    Ok(())
}

/// The URL without a password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}
