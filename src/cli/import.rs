//! `ladder import roster|attendance FILE --base CODE …`: the same dry run and commit as the
//! web page.
//!
//! Exit status: 0 imported (or a dry run without errors), 1 the file could not be read or the
//! import failed, 2 rows have errors and nothing was imported, 3 the import needs `--confirm`.

use crate::db::Db;
use crate::db::audit::Actor;
use crate::i18n::Lang;
use crate::import::report;
use crate::import::roster::Kind;
use crate::server::config::ImportSettings;
use crate::server::imports::{self, Analysed, CommitChoice, ImportError, ImportFile};
use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import a training base's roster (.xlsx, .xlsm, .xlsb, .xls, .ods, .csv): people by ID
    /// number and their cohort membership. Shows every problem by row and column first.
    Roster(ImportArgs),
    /// Import a cohort's attendance: each row a person (name and ID number) and a course of
    /// the base's catalog (课程编号) or the training itself (上课日期, 模块, 学时). Creates
    /// training records verified by the base; a course already held is left as it is.
    Attendance(ImportArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The spreadsheet.
    pub file: PathBuf,
    /// The training base's code (the cohorts in the file must belong to it).
    #[arg(long)]
    pub base: String,
    /// The cohort for files without a 培训班次 column.
    #[arg(long)]
    pub cohort: Option<String>,
    /// Only show what would happen.
    #[arg(long)]
    pub dry_run: bool,
    /// When some rows have errors, import the others (default: import nothing).
    #[arg(long)]
    pub valid_only: bool,
    /// Go ahead although the import updates more than the configured share of a cohort.
    #[arg(long)]
    pub confirm: bool,
    /// `json`: the report of the README's "Import report" section.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Language of the messages: `zh` (default) or `en`.
    #[arg(long, default_value = "zh")]
    pub lang: String,
    /// Also write the error workbook (the sheet with a 错误说明 column, bad cells in red).
    #[arg(long)]
    pub errors_xlsx: Option<PathBuf>,
    #[command(flatten)]
    pub settings: ImportSettings,
}

/// Runs the command; the result is the process's exit status.
pub async fn run(
    cmd: ImportCommand,
    db: &Db,
    actor: &Actor,
    now: DateTime<Utc>,
) -> anyhow::Result<i32> {
    let (kind, args) = match cmd {
        ImportCommand::Roster(args) => (Kind::Roster, args),
        ImportCommand::Attendance(args) => (Kind::Attendance, args),
    };
    let lang = if args.lang.eq_ignore_ascii_case("en") {
        Lang::En
    } else {
        Lang::Zh
    };
    let base_id = crate::db::bases::base_id_by_code(db, &args.base)
        .await?
        .with_context(|| format!("no training base with code {}", args.base))?;
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let file = ImportFile {
        kind,
        base_id,
        cohort: args.cohort.clone(),
        file_name: args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: Arc::new(bytes),
    };
    let choice = CommitChoice {
        valid_only: args.valid_only,
        confirm: args.confirm,
    };
    // A plain commit reads and plans the file once, inside its transaction, and reports what
    // it did. A dry run, an error workbook, or a commit that was refused read it for the report.
    let attempt = match (args.dry_run, &args.errors_xlsx) {
        (false, None) => {
            Some(imports::commit(db, actor, &file, None, None, choice, &args.settings, now).await)
        }
        _ => None,
    };
    let (analysed, committed, refusal) = match attempt {
        Some(Ok(done)) => (done, true, None),
        attempt => {
            let dry_run = if args.errors_xlsx.is_some() {
                imports::analyse_for_error_workbook(db, &file, &args.settings).await
            } else {
                imports::analyse(db, &file, &args.settings).await
            };
            let analysed = match dry_run {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("{}", e.message(lang));
                    return Ok(1);
                }
            };
            if let Some(path) = &args.errors_xlsx {
                let book = report::error_workbook(&analysed.parsed, &analysed.plan, lang)
                    .map_err(anyhow::Error::msg)?;
                std::fs::write(path, book)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            match attempt {
                Some(Err(e)) => (analysed, false, Some(e)),
                // With an error workbook: the commit of what it shows.
                None if !args.dry_run => {
                    let digest = analysed.plan.digest.clone();
                    match imports::commit(
                        db,
                        actor,
                        &file,
                        Some(&digest),
                        None,
                        choice,
                        &args.settings,
                        now,
                    )
                    .await
                    {
                        Ok(done) => (done, true, None),
                        Err(e) => (analysed, false, Some(e)),
                    }
                }
                _ => (analysed, false, None),
            }
        }
    };
    let r = report::report(
        &file.file_name,
        analysed.format,
        &analysed.parsed,
        &analysed.plan,
        committed,
        lang,
    );
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&r)?),
        OutputFormat::Text => print!("{}", text(&r, &analysed, lang)),
    }
    let status = match &refusal {
        None if args.dry_run && r.rows.error > 0 => 2,
        None => 0,
        Some(ImportError::HasErrors(_)) => 2,
        Some(ImportError::NeedsConfirmation(_)) => 3,
        Some(_) => 1,
    };
    if let Some(e) = refusal {
        eprintln!("{}", e.message(lang));
    }
    Ok(status)
}

fn text(r: &report::Report, a: &Analysed, lang: Lang) -> String {
    use std::fmt::Write;
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let c = &r.rows;
    let _ = writeln!(
        out,
        "{} ({:?}), {} “{}”, {} {}{}",
        r.file,
        a.format,
        if zh { "工作表" } else { "sheet" },
        r.sheet,
        if zh { "表头在第" } else { "header on row" },
        r.header_row,
        if zh { " 行" } else { "" }
    );
    let _ = writeln!(
        out,
        "{}: {} · {}: {} · {}: {} · {}: {} · {}: {} · {}: {}",
        if zh { "行数" } else { "rows" },
        c.total,
        if zh { "新增" } else { "new" },
        c.new,
        if zh { "更新" } else { "updated" },
        c.updated,
        if zh { "无变化" } else { "unchanged" },
        c.unchanged,
        if zh { "跳过" } else { "skipped" },
        c.skipped,
        if zh { "错误" } else { "errors" },
        c.error
    );
    for e in r.errors.iter().chain(&r.warnings) {
        let column = e.column.as_deref().unwrap_or("");
        let _ = writeln!(out, "  {column}{} [{}] {}", e.row, e.code, e.message);
    }
    for u in &r.updates {
        let changes = u
            .changes
            .iter()
            .map(|ch| format!("{}: {} → {}", ch.field.label(lang), ch.before, ch.after))
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(out, "  {} {}: {changes}", u.row, u.who);
    }
    let _ = writeln!(
        out,
        "{}",
        match (r.committed, zh) {
            (true, true) => "已导入。",
            (true, false) => "Imported.",
            (false, true) => "未导入任何内容。",
            (false, false) => "Nothing was imported.",
        }
    );
    out
}
