//! The `ladder` binary: the web server and the administrative command line.

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use ladder::cli::fail;
use ladder::cli::rules::{RulesetCommand, ScoreArgs};
use ladder::db::Db;
use ladder::db::audit::Actor;
use ladder::domain::access::Visibility;
use ladder::server::config::Settings;
use ladder::server::{AppState, clock, demo, org};
use ladder::service::keys::{self, Keyring};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// The server's key file (sealing, audit MAC and signing keys): outside the database, mode
    /// 0600, the same file for every instance. `ladder keys init` creates it.
    #[arg(
        long,
        env = "LADDER_KEY_FILE",
        default_value = "data/ladder.key",
        global = true
    )]
    key_file: PathBuf,
    /// Where the audit checkpoints this process signs are also appended, outside the database
    /// (default: `audit-checkpoints.jsonl` beside the key file).
    #[arg(long, env = "LADDER_CHECKPOINT_FILE", global = true)]
    checkpoint_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

impl Cli {
    fn checkpoint_file(&self) -> PathBuf {
        self.checkpoint_file.clone().unwrap_or_else(|| {
            self.key_file
                .parent()
                .unwrap_or(Path::new(""))
                .join("audit-checkpoints.jsonl")
        })
    }
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
    /// The server's key file: create it, show its public key, rotate it.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// The secret ballot's bulletin board.
    #[command(subcommand)]
    Ballot(BallotCommand),
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
    /// Verify the audit log: the hash chain, every row's MAC (with the key file) and the chain
    /// against every signed checkpoint. With --public-key it needs no key file: an auditor's
    /// check, offline, of everything up to the newest checkpoint.
    Verify {
        /// Trust only these public keys (64 hex digits each, from `ladder keys show`).
        #[arg(long = "public-key")]
        public_keys: Vec<String>,
        /// Checkpoint files kept outside the database (JSON lines), to compare with it.
        #[arg(long = "checkpoints")]
        checkpoint_files: Vec<PathBuf>,
    },
    /// Sign a checkpoint of the audit log's head now (say, before a backup or a hand-over),
    /// kept in the database and appended to the checkpoint file.
    Checkpoint,
    /// Print every signed checkpoint (JSON lines), or write them to FILE.
    Checkpoints {
        #[arg(long)]
        export: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum BallotCommand {
    /// Recheck a meeting's bulletin board offline, from the board file alone: every ballot's
    /// proofs and receipt, the sums, their decryption and the counts. Needs no database.
    Verify {
        /// The board (JSON), as downloaded from the meeting's board page.
        #[arg(long)]
        board: PathBuf,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Create the key file (mode 0600). It is never overwritten.
    Init,
    /// Print the key file's id and public key (what an auditor needs), and its retired keys.
    Show,
    /// Make a new current key set, keeping the old ones to verify and open what they made;
    /// records it in the database and signs a checkpoint. Restart every instance with the new
    /// file.
    Rotate,
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
        Command::Ballot(BallotCommand::Verify { board }) => {
            return verify_board(&board);
        }
        Command::Keys(KeysCommand::Init) => {
            let ring = Keyring::create(&cli.key_file, clock::now())?;
            println!(
                "created {} (mode 0600): key {}, public key {}",
                cli.key_file.display(),
                ring.id(),
                ring.public_key_text()
            );
            println!("back it up apart from the database, and give every instance the same file");
            return Ok(());
        }
        Command::Keys(KeysCommand::Show) => {
            let ring = Keyring::load(&cli.key_file)?;
            println!("key file   {}", cli.key_file.display());
            println!("current    {}  created {}", ring.id(), ring.created());
            for (id, key) in ring.public_keys() {
                println!("public key {id}  {}", hex::encode(key.as_bytes()));
            }
            return Ok(());
        }
        _ => {}
    }
    // A mistyped path must not become a new, empty database that "holds every invariant":
    // only the commands that make a database may open one that is not there.
    let creates = matches!(
        cli.command,
        Command::Serve { .. } | Command::Migrate | Command::Demo
    );
    if !creates
        && let Some(file) = ladder::db::sqlite_file(&cli.database_url)
        && !file.exists()
    {
        anyhow::bail!(
            "there is no database at {} (is the path right?); `ladder migrate` creates a new one",
            file.display()
        );
    }
    let db = Db::connect(&cli.database_url)
        .await
        .with_context(|| format!("opening the database {}", redact(&cli.database_url)))?;
    ladder::cli::backup::before_migration(&cli.database_url, &db, clock::now()).await?;
    db.migrate().await.context("migrating the database")?;
    let now = clock::now();
    if let Command::Audit(AuditCommand::Verify {
        public_keys,
        checkpoint_files,
    }) = &cli.command
        && !public_keys.is_empty()
    {
        // An auditor's check: no key file, only the public keys given.
        let result = audit_verify_public(&db, public_keys, checkpoint_files).await;
        db.close().await;
        return result;
    }
    if matches!(cli.command, Command::Migrate) {
        println!("database is up to date ({})", db.engine());
        db.close().await;
        return Ok(());
    }
    let checkpoint_file = cli.checkpoint_file();
    let keys = Arc::new(Keyring::load(&cli.key_file)?.with_checkpoint_file(Some(checkpoint_file)));
    let db = db.with_chain_key(keys.clone());
    keys::bind(&db, &keys, now).await?;
    if let Command::Keys(KeysCommand::Rotate) = cli.command {
        let rotated = Keyring::load(&cli.key_file)?.rotated(now);
        rotated.write(&cli.key_file, false)?;
        let rotated = Arc::new(rotated);
        keys::bind(&db.clone().with_chain_key(rotated.clone()), &rotated, now).await?;
        println!(
            "rotated {}: current key {}, public key {}; retired {}",
            cli.key_file.display(),
            rotated.id(),
            rotated.public_key_text(),
            rotated.retired_ids().join(", ")
        );
        println!("restart every instance with this file; older rows and checkpoints still verify");
        db.close().await;
        return Ok(());
    }
    let actor = Actor::system("cli");
    if let Command::Import(cmd) = cli.command {
        let status = ladder::cli::import::run(cmd, &db, &actor, now).await;
        db.close().await;
        match status? {
            0 => return Ok(()),
            code => std::process::exit(code),
        }
    }
    let result = run(cli.command, &db, &keys, &actor, now).await;
    db.close().await;
    result
}

/// `ladder ballot verify --board FILE`.
fn verify_board(path: &Path) -> anyhow::Result<()> {
    use ladder_ballot::board::{self, Board};
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let b: Board = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a Ladder bulletin board", path.display()))?;
    let report = board::verify(&b).map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "meeting {}, key {}: {} candidates",
        report.meeting,
        report.key_fingerprint,
        report.candidates.len()
    );
    for c in &report.candidates {
        let counts = c.counts.map_or_else(
            || "not counted".to_string(),
            |k| format!("yes {} no {} abstain {}", k.yes, k.no, k.abstain),
        );
        println!(
            "candidate {}: {:?}, {} ballots, {counts}{}",
            c.candidate,
            c.method,
            c.ballots,
            if c.problems.is_empty() {
                ", every proof holds"
            } else {
                ""
            }
        );
        for p in &c.problems {
            println!("  problem: {p}");
        }
    }
    if !report.is_clean() {
        bail!("the board does not verify");
    }
    println!("the board verifies");
    Ok(())
}

/// `ladder audit verify --public-key …`: what an auditor can check with public keys alone.
async fn audit_verify_public(
    db: &Db,
    public_keys: &[String],
    files: &[PathBuf],
) -> anyhow::Result<()> {
    use ladder::service::checkpoints::{self, Trust};
    let public_keys = public_keys
        .iter()
        .map(|k| keys::read_public_key(k).with_context(|| format!("not a public key: {k}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let external = read_checkpoint_files(files)?;
    let report = checkpoints::verify(
        db,
        &Trust {
            public_keys,
            key: None,
        },
        &external,
    )
    .await?;
    print_audit_report(&report, false)
}

fn read_checkpoint_files(
    files: &[PathBuf],
) -> anyhow::Result<Vec<ladder::db::trust::CheckpointRow>> {
    let mut all = Vec::new();
    for f in files {
        all.extend(ladder::service::checkpoints::read_file(f).map_err(anyhow::Error::msg)?);
    }
    Ok(all)
}

fn print_audit_report(
    report: &ladder::service::checkpoints::AuditReport,
    with_macs: bool,
) -> anyhow::Result<()> {
    println!(
        "audit log: {} rows, head row {}; {} signed checkpoints{}",
        report.chain.rows,
        report.chain.last_id,
        report.checkpoints,
        if with_macs {
            format!("; {} row MACs checked", report.chain.macs)
        } else {
            String::new()
        }
    );
    if let Some(cp) = &report.latest {
        println!(
            "newest checkpoint {} ({}, {}): rows after {} are covered only by the next one",
            ladder::service::checkpoints::fingerprint(cp),
            cp.reason,
            cp.at,
            cp.last_id
        );
    }
    for p in &report.problems {
        println!("problem: {p}");
    }
    if !report.is_clean() {
        bail!("{} problems found in the audit log", report.problems.len());
    }
    println!("audit log verified");
    Ok(())
}

async fn run(
    command: Command,
    db: &Db,
    keys: &Arc<Keyring>,
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
            // A meeting left open with the running counter of before the encrypted ballot
            // cannot be counted the new way: it is voided, and the secretariat opens it again.
            let voided = ladder::server::review::ballot::void_open_counter_meetings(db, now)
                .await
                .map_err(fail)?;
            if voided > 0 {
                tracing::warn!(
                    meetings = voided,
                    "meetings voting with the old running counter were voided: open them again"
                );
            }
            let state = AppState {
                db: db.clone(),
                settings,
                leptos_options: ladder::server::leptos_options()?,
                refusals: Default::default(),
                keys: keys.clone(),
            };
            ladder::server::serve(state).await?;
        }
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
        | Command::Restore { .. }
        | Command::Migrate
        | Command::Keys(_)
        | Command::Ballot(_) => {}
        Command::Check => {
            let report = ladder::cli::check(db, keys).await.map_err(fail)?;
            print!("{}", ladder::cli::check_summary(&report));
            if !report.is_clean() {
                bail!("{} problems found", report.findings.len());
            }
        }
        Command::Audit(AuditCommand::Verify {
            checkpoint_files, ..
        }) => {
            use ladder::service::checkpoints::{self, Trust};
            // The files named, and the one this installation appends to.
            let mut external = read_checkpoint_files(&checkpoint_files)?;
            if keys
                .checkpoint_file_path()
                .is_some_and(|own| !checkpoint_files.iter().any(|f| f == own))
            {
                external.extend(checkpoints::kept_outside(keys).map_err(anyhow::Error::msg)?);
            }
            let report = checkpoints::verify(db, &Trust::keyring(keys), &external).await?;
            print_audit_report(&report, true)?;
        }
        Command::Audit(AuditCommand::Checkpoint) => {
            use ladder::service::checkpoints::{self, Reason};
            let cp = checkpoints::sign(db, Reason::Manual, now).await?;
            println!(
                "checkpoint {} signed with key {}: audit rows up to {}",
                checkpoints::fingerprint(&cp),
                cp.key_id,
                cp.last_id
            );
        }
        Command::Audit(AuditCommand::Checkpoints { export }) => {
            let mut out = String::new();
            for cp in ladder::db::trust::checkpoints(db).await? {
                out.push_str(&serde_json::to_string(&cp)?);
                out.push('\n');
            }
            match export {
                Some(file) => {
                    std::fs::write(&file, out)
                        .with_context(|| format!("writing {}", file.display()))?;
                    println!("checkpoints written to {}", file.display());
                }
                None => print!("{out}"),
            }
        }
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
