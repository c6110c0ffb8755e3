//! `streamline report`: writes a status report (PDF, HTML, Markdown, PNG charts) into a folder
//! and records it as issued, so that the next report says what changed since.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use rusqlite::Connection;

use super::{CliError, Now};
use crate::metrics;
use crate::plan::parse_date;
use crate::report::{self, Audience, Format, Paper, Period, ReportOptions, WriteOptions};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The folder to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Formats, comma-separated: pdf, html, md (with its charts as PNG beside it), png (the charts, 2×).
    #[arg(long, value_name = "LIST", default_value = "pdf,html,md,png")]
    format: String,
    /// The period as FROM..TO (YYYY-MM-DD); either side may be left open. Default: all data.
    #[arg(long, value_name = "FROM..TO", conflicts_with_all = ["from", "to"])]
    period: Option<String>,
    /// First day of the period (YYYY-MM-DD), as `metrics --from`.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day of the period (YYYY-MM-DD), as `metrics --to`.
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Who reads it: executive (the plan in a few lines per objective) or program (every step).
    #[arg(long, value_name = "WHO", default_value = "executive")]
    audience: String,
    /// The author named in the header (default: the user's login name).
    #[arg(long, value_name = "NAME")]
    author: Option<String>,
    /// The PDF's paper: a4 or letter.
    #[arg(long, value_name = "SIZE", default_value = "a4")]
    paper: String,
    /// IANA time zone for weeks and dates (default: the system's).
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Weeks on each side of a milestone for the before/after verdicts.
    #[arg(long, default_value_t = 4)]
    weeks: u32,
    /// Write the files without recording the report as issued: the next report still compares
    /// with the last issued one.
    #[arg(long)]
    draft: bool,
}

pub fn run(
    conn: &mut Connection,
    args: ReportArgs,
    now: &Now,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let core = |e: report::ReportError| CliError::Core(e.into());
    let (from, to) = match &args.period {
        Some(period) => Period::parse(period).map_err(core)?,
        None => (
            args.from.as_deref().map(parse_date).transpose()?,
            args.to.as_deref().map(parse_date).transpose()?,
        ),
    };
    let tz = match &args.tz {
        Some(name) => metrics::parse_time_zone(name),
        None => crate::settings::time_zone(conn, now.system_tz),
    }
    .map_err(crate::Error::from)?;
    let options = ReportOptions {
        from,
        to,
        audience: Audience::parse(&args.audience).map_err(core)?,
        // The login name is read here, at the edge, like the clock.
        author: args
            .author
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .unwrap_or_default(),
        now: now.utc,
        tz,
        weeks_each_side: args.weeks,
    };
    let write_options = WriteOptions {
        formats: Format::parse_list(&args.format).map_err(core)?,
        paper: Paper::parse(&args.paper).map_err(core)?,
    };
    let built = report::build(conn, &options).map_err(core)?;
    let exported =
        report::export(conn, &built, &args.out, &write_options, args.draft).map_err(core)?;
    let (files, issued) = (exported.files, exported.issued);
    for file in &files {
        writeln!(out, "{}", file.display())?;
    }
    match issued {
        Some(issued) => writeln!(
            out,
            "Issued as report {}: the next report will say what changed since this one.",
            issued.id
        )?,
        None => writeln!(out, "Draft: not recorded as issued.")?,
    }
    Ok(())
}
