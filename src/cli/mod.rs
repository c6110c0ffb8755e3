//! The `streamline` command line: the same core as the app, headless, for scripts and tests.
//!
//! Errors go to stderr with a non-zero exit, and a failed command writes nothing.

mod import;
mod metrics;
mod plan;
mod report;
mod settings;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Local, NaiveDate, Utc};
use clap::{Parser, Subcommand};

use crate::{store, Error};

#[derive(Debug, Parser)]
#[command(
    name = "streamline",
    version,
    about = "Is the SOC's 'streamline response' program working? The plan and the evidence, offline."
)]
pub struct Cli {
    /// The database file (default: STREAMLINE_DB, else the app's own database in the app-data folder).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the plan, or change it.
    Plan(plan::PlanArgs),
    /// Import alert exports (all of them, or none) and print what each held.
    Import(import::ImportArgs),
    /// List the export formats `import --format` accepts.
    Formats,
    /// Weekly figures: active queues, time to triage and to resolve, automation, backlog.
    Metrics(metrics::MetricsArgs),
    /// Before/after around a milestone (or every milestone of the plan), with a 95% interval.
    Compare(metrics::CompareArgs),
    /// Write a status report (PDF, HTML, Markdown, PNG charts) and record it as issued.
    Report(report::ReportArgs),
    /// Show or change the settings: the time zone weeks are counted in, the automation accounts.
    Settings(settings::SettingsArgs),
    /// Fill an empty database with 16 weeks of sample exports and a plan that explains them.
    Demo,
    /// Copy the database to a file (SQLite's online backup: safe while the app runs).
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replace the database's contents with a backup made by `backup`.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
}

/// What the clock says, read once at the edge and passed into the core.
pub(crate) struct Now {
    pub utc: DateTime<Utc>,
    pub today: NaiveDate,
    /// The system's time zone, the default when Settings chose none.
    pub system_tz: chrono_tz::Tz,
}

/// Parses the arguments, runs the command and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let now = Now {
        utc: Utc::now(),
        today: Local::now().date_naive(),
        system_tz: crate::metrics::system_time_zone(),
    };
    let mut out = std::io::stdout().lock();
    match run(cli, &now, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed stdout (`| head`) is not worth a message.
            if !matches!(&err, CliError::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe) {
                eprintln!("streamline: {err}");
            }
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error(transparent)]
    Core(#[from] Error),
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
    #[error("{0}")]
    Usage(String),
}

impl From<crate::plan::PlanError> for CliError {
    fn from(e: crate::plan::PlanError) -> Self {
        CliError::Core(e.into())
    }
}

impl From<store::StoreError> for CliError {
    fn from(e: store::StoreError) -> Self {
        CliError::Core(e.into())
    }
}

fn run(cli: Cli, now: &Now, out: &mut dyn Write) -> Result<(), CliError> {
    let db = match cli.db {
        Some(path) => path,
        None => {
            let path = store::default_db_path()?;
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| store::StoreError::CannotOpen {
                    path: parent.display().to_string(),
                    reason: e.to_string(),
                })?;
            }
            path
        }
    };
    let mut conn = store::open(&db)?;
    match cli.command {
        Command::Plan(args) => plan::run(&mut conn, args, now, out),
        Command::Import(args) => import::run(&mut conn, args, now, out),
        Command::Formats => import::formats(&conn, out),
        Command::Metrics(args) => metrics::run_metrics(&conn, args, now, out),
        Command::Compare(args) => metrics::run_compare(&conn, args, now, out),
        Command::Report(args) => report::run(&mut conn, args, now, out),
        Command::Settings(args) => settings::run(&mut conn, args, now, out),
        Command::Backup { out: dest } => {
            if dest.exists() {
                return Err(CliError::Usage(format!(
                    "{} already exists; choose a new file for the backup",
                    dest.display()
                )));
            }
            store::backup_to(&conn, &dest)?;
            writeln!(out, "backed up to {}", dest.display())?;
            Ok(())
        }
        Command::Restore { file } => {
            store::restore_from(&mut conn, &file)?;
            writeln!(out, "restored from {}", file.display())?;
            Ok(())
        }
        Command::Demo => {
            let summary =
                crate::demo::load_demo(&mut conn, now.utc, now.today).map_err(Error::from)?;
            let items: i64 = summary.imports.iter().map(|r| r.record.items_new).sum();
            writeln!(
                out,
                "Sample data: {} weeks from {}, {} exports, {} new items; steps done: {}",
                summary.weeks,
                summary.first_day,
                summary.imports.len(),
                items,
                summary.steps_done.join(", ")
            )?;
            Ok(())
        }
    }
}

fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), CliError> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}
