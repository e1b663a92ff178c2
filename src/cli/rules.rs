//! `ladder ruleset validate|show|impact` and `ladder score`. Each command returns its output
//! as a string, so tests run them in-process; `main` prints it.

use crate::domain::evidence::PersonEvidence;
use crate::domain::explain;
use crate::domain::rules::RuleSet;
use crate::domain::score::score;
use crate::domain::whatif::{impact, what_if};
use crate::i18n::Lang;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum LangArg {
    #[default]
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum Format {
    /// Readable by a committee member.
    #[default]
    Text,
    /// Stable and documented (docs/score-format.md).
    Json,
}

#[derive(Args, Debug)]
pub struct Output {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Language of text output.
    #[arg(long, value_enum, default_value_t)]
    pub lang: LangArg,
}

#[derive(Subcommand, Debug)]
pub enum RulesetCommand {
    /// Check a ruleset file and list every problem; exits non-zero if there is any.
    Validate { file: PathBuf },
    /// Summarise a ruleset file, including the values that are not configured.
    Show {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        lang: LangArg,
    },
    /// Score every evidence file in a folder under two rulesets: who moves up, down or stays.
    Impact {
        #[arg(long)]
        from: PathBuf,
        #[arg(long)]
        to: PathBuf,
        /// A folder of evidence files (*.json); each file's name is the person's id.
        #[arg(long)]
        evidence_dir: PathBuf,
        /// The evaluation date (default: today).
        #[arg(long)]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: Output,
    },
    /// Store a ruleset file in the database as a draft version (a draft may be re-imported).
    Import { file: PathBuf },
    /// Make a stored version the active one; from then on it never changes.
    Activate { code: String, version: i32 },
    /// The stored versions with their status.
    List,
}

impl RulesetCommand {
    /// Whether the command works on the database (the others only read files).
    pub fn needs_database(&self) -> bool {
        matches!(
            self,
            RulesetCommand::Import { .. } | RulesetCommand::Activate { .. } | RulesetCommand::List
        )
    }
}

/// Runs a ruleset command that works on the database.
pub async fn ruleset_store(
    cmd: RulesetCommand,
    db: &crate::db::Db,
    actor: &crate::db::audit::Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<String> {
    use crate::server::rulesets::{self, Imported};
    match cmd {
        RulesetCommand::Import { file } => {
            let (r, outcome) = rulesets::import(db, actor, &read(&file)?, now)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let what = match outcome {
                Imported::Created { .. } => "stored as a draft",
                Imported::Replaced { .. } => "replaced the draft",
                Imported::Unchanged { .. } => "already stored, unchanged",
            };
            Ok(format!("{} v{}: {what}\n", r.id, r.version))
        }
        RulesetCommand::Activate { code, version } => {
            rulesets::activate(db, actor, &code, version, now).await?;
            Ok(format!(
                "{code} v{version} is active and can no longer change\n"
            ))
        }
        RulesetCommand::List => {
            let mut out = String::new();
            for r in crate::db::rulesets::list(db).await? {
                out.push_str(&format!(
                    "{:<24} v{:<3} {:<8} {}{}  {}\n",
                    r.code,
                    r.version,
                    r.status,
                    r.jurisdiction,
                    if r.locked_at.is_some() {
                        "  locked"
                    } else {
                        ""
                    },
                    r.sha256.get(..12).unwrap_or_default()
                ));
            }
            Ok(out)
        }
        other => bail!("{other:?} needs no database"),
    }
}

/// `ladder score`: one person's explainable score.
#[derive(Args, Debug)]
pub struct ScoreArgs {
    #[arg(long)]
    pub ruleset: PathBuf,
    /// The person's evidence (JSON, docs/evidence-format.md).
    #[arg(long)]
    pub evidence: PathBuf,
    /// The evaluation date, e.g. the application deadline (default: today).
    #[arg(long)]
    pub as_of: Option<NaiveDate>,
    /// What if: records to add (same format); shows the report before and after.
    #[arg(long)]
    pub add: Option<PathBuf>,
    #[command(flatten)]
    pub output: Output,
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

pub fn load_ruleset(path: &Path) -> anyhow::Result<RuleSet> {
    crate::import::ruleset::parse(&read(path)?)
        .map_err(|errors| anyhow::anyhow!("{} is not a valid ruleset:\n{errors}", path.display()))
}

pub fn load_evidence(path: &Path) -> anyhow::Result<PersonEvidence> {
    crate::import::evidence::parse(&read(path)?).map_err(|errors| {
        anyhow::anyhow!("{} is not a valid evidence file:\n{errors}", path.display())
    })
}

fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

/// Runs a ruleset command; `today` stands in for a missing `--as-of`.
pub fn ruleset(cmd: RulesetCommand, today: NaiveDate) -> anyhow::Result<String> {
    match cmd {
        RulesetCommand::Validate { file } => {
            let r = load_ruleset(&file)?;
            Ok(format!(
                "{}: valid ({} v{}); {} values not configured, {} placeholders\n",
                file.display(),
                r.id,
                r.version,
                r.unconfigured().len(),
                r.placeholders().len()
            ))
        }
        RulesetCommand::Show { file, lang } => {
            Ok(explain::describe(&load_ruleset(&file)?, lang.into()))
        }
        cmd @ (RulesetCommand::Import { .. }
        | RulesetCommand::Activate { .. }
        | RulesetCommand::List) => {
            bail!("{cmd:?} works on the database")
        }
        RulesetCommand::Impact {
            from,
            to,
            evidence_dir,
            as_of,
            output,
        } => {
            let (a, b) = (load_ruleset(&from)?, load_ruleset(&to)?);
            let people = load_dir(&evidence_dir)?;
            let result = impact(&people, &a, &b, as_of.unwrap_or(today));
            match output.format {
                Format::Json => json(&result),
                Format::Text => Ok(explain::impact_text(&result, output.lang.into())),
            }
        }
    }
}

/// Every `*.json` in `dir`, by file name; one unreadable file fails the whole run, listing
/// every such file, so an impact is never computed on part of a population by accident.
fn load_dir(dir: &Path) -> anyhow::Result<Vec<(String, PersonEvidence)>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading the folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        bail!("{} holds no evidence files (*.json)", dir.display());
    }
    let mut people = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match load_evidence(&path) {
            Ok(ev) => people.push((id, ev)),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if !errors.is_empty() {
        bail!("{}", errors.join("\n"));
    }
    Ok(people)
}

/// Runs `ladder score`.
pub fn score_command(args: ScoreArgs, today: NaiveDate) -> anyhow::Result<String> {
    let rules = load_ruleset(&args.ruleset)?;
    let evidence = load_evidence(&args.evidence)?;
    let as_of = args.as_of.unwrap_or(today);
    let lang: Lang = args.output.lang.into();
    match args.add {
        None => {
            let report = score(&evidence, &rules, as_of);
            match args.output.format {
                Format::Json => json(&report),
                Format::Text => Ok(explain::report_text(&report, &evidence, &rules, lang)),
            }
        }
        Some(path) => {
            let added = load_evidence(&path)?;
            let w = what_if(&evidence, &added, &rules, as_of);
            match args.output.format {
                Format::Json => json(&w),
                Format::Text => Ok(explain::what_if_text(&w, lang)),
            }
        }
    }
}
