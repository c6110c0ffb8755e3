//! `streamline import FILE... [--format NAME] [--date-order mdy|dmy]` and `streamline formats`.

use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;

use clap::Args;
use rusqlite::Connection;

use super::{CliError, Now};
use crate::import::{self, DateOrder, ImportOptions, ImportReport};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Export files (CSV or JSON); all are imported, or none.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The format of every file (see `streamline formats`); default: detected per file.
    #[arg(long, value_name = "NAME")]
    format: Option<String>,
    /// How to read dates like 3/6/2025: mdy (month first) or dmy (day first); default: from the data.
    #[arg(long, value_name = "mdy|dmy")]
    date_order: Option<String>,
}

pub(super) fn run(
    conn: &mut Connection,
    args: ImportArgs,
    now: &Now,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let date_order =
        match args.date_order.as_deref() {
            None => None,
            Some(v) => Some(DateOrder::parse(v).ok_or_else(|| {
                CliError::Usage(format!("--date-order takes mdy or dmy, not {v:?}"))
            })?),
        };
    let options = ImportOptions {
        format: args.format,
        date_order,
    };
    // On a terminal, big files show how far they are; scripts and pipes get only the report.
    let show_progress = std::io::stderr().is_terminal();
    let files = args.files.len();
    let result = import::import_files(conn, &args.files, &options, now.utc, |i, p| {
        if show_progress && p.bytes_total > 0 {
            eprint!(
                "\rimporting file {} of {files}: {:>3}% ({} rows)",
                i + 1,
                p.bytes_read * 100 / p.bytes_total,
                p.rows_read
            );
        }
        ControlFlow::Continue(())
    });
    if show_progress {
        eprint!("\r\x1b[K");
    }
    let reports = result.map_err(crate::Error::from)?;
    for report in &reports {
        write_report(out, report)?;
    }
    let rejected: i64 = reports.iter().map(|r| r.record.rows_rejected).sum();
    if rejected > 0 {
        let (rows, were) = if rejected == 1 {
            ("row", "was")
        } else {
            ("rows", "were")
        };
        eprintln!(
            "streamline: {rejected} {rows} could not be read and {were} left out (listed above)"
        );
    }
    Ok(())
}

fn write_report(out: &mut dyn Write, report: &ImportReport) -> Result<(), CliError> {
    let r = &report.record;
    writeln!(out, "{} — import {}", r.file_name, r.id)?;
    writeln!(out, "  format      {}", r.format)?;
    writeln!(
        out,
        "  size        {} bytes, sha256 {}",
        r.size_bytes, r.sha256
    )?;
    match (r.date_order, r.date_order_from) {
        (Some(order), Some(from)) => {
            let how = match from {
                import::DateOrderFrom::Data => "read from the data",
                import::DateOrderFrom::User => "chosen with --date-order",
                import::DateOrderFrom::Assumed => {
                    "assumed: no date told the orders apart; use --date-order if wrong"
                }
            };
            writeln!(out, "  date order  {} ({how})", order.name())?;
        }
        _ => writeln!(out, "  date order  not needed (no day/month dates)")?,
    }
    writeln!(
        out,
        "  rows        {} read, {} rejected",
        r.rows_read, r.rows_rejected
    )?;
    if r.aggregate_cells > 0 {
        // An aggregate file brings weekly figures, not items.
        writeln!(out, "  cells       {} weekly figures", r.aggregate_cells)?;
    } else {
        writeln!(
            out,
            "  items       {} new, {} updated, {} unchanged{}",
            r.items_new,
            r.items_updated,
            r.items_unchanged,
            if report.redirected > 0 {
                format!(
                    "; {} redirected incident rows (not counted)",
                    report.redirected
                )
            } else {
                String::new()
            }
        )?;
    }
    writeln!(out, "  duration    {} ms", r.duration_ms)?;
    for rejection in &report.rejected {
        writeln!(
            out,
            "  rejected    {} line {}: {}",
            r.file_name, rejection.line, rejection.reason
        )?;
    }
    let more = r.rows_rejected - report.rejected.len() as i64;
    if more > 0 {
        writeln!(out, "  rejected    … and {more} more rows")?;
    }
    Ok(())
}

pub(super) fn formats(conn: &Connection, out: &mut dyn Write) -> Result<(), CliError> {
    let mut formats = import::list_formats(conn).map_err(crate::Error::from)?;
    if !formats.iter().any(|f| f.name.starts_with("mapping:")) {
        // Say that other CSVs can be read, even before any mapping is saved.
        let mut any_csv = import::Format::Mapped.info();
        any_csv.name = "mapping:NAME".into();
        any_csv.recognised_by = "a column mapping saved in the app's Data view".into();
        formats.push(any_csv);
    }
    let width = formats.iter().map(|f| f.name.len()).max().unwrap_or(0);
    for f in formats {
        writeln!(
            out,
            "{:width$}  {} — {}; recognised by {}",
            f.name, f.title, f.file, f.recognised_by
        )?;
    }
    Ok(())
}
