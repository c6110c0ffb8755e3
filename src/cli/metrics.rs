//! `streamline metrics` and `streamline compare`: the figures, as JSON for scripts or as text.

use std::io::Write;

use chrono::NaiveDate;
use chrono_tz::Tz;
use clap::Args;
use rusqlite::Connection;

use super::{write_json, CliError, Now};
use crate::metrics::{self, CompareQuery, Filter, MetricsQuery, Timing};
use crate::plan::parse_date;
use crate::units;

/// Filters shared by `metrics` and `compare`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// IANA time zone for weeks and dates (default: the system's).
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Only this queue (repeat for several).
    #[arg(long = "queue", value_name = "NAME")]
    queues: Vec<String>,
    /// Only this severity (repeat for several).
    #[arg(long = "severity", value_name = "NAME")]
    severities: Vec<String>,
}

impl FilterArgs {
    /// `--tz`, else the zone chosen in Settings, else the system's.
    fn time_zone(&self, conn: &Connection, now: &Now) -> Result<Tz, CliError> {
        let zone = match &self.tz {
            Some(name) => metrics::parse_time_zone(name),
            None => crate::settings::time_zone(conn, now.system_tz),
        };
        Ok(zone.map_err(crate::Error::from)?)
    }

    fn filter(&self) -> Filter {
        Filter {
            queues: self.queues.clone(),
            severities: self.severities.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    #[command(flatten)]
    filter: FilterArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The milestone's day (YYYY-MM-DD); without it, every done step of the plan is compared.
    #[arg(long, value_name = "DATE")]
    at: Option<String>,
    /// Weeks on each side.
    #[arg(long, default_value_t = 4)]
    weeks: u32,
    /// Print the comparison as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    filter: FilterArgs,
}

fn optional_date(value: &Option<String>) -> Result<Option<NaiveDate>, CliError> {
    value
        .as_deref()
        .map(parse_date)
        .transpose()
        .map_err(CliError::from)
}

pub(super) fn run_metrics(
    conn: &Connection,
    args: MetricsArgs,
    now: &Now,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let query = MetricsQuery {
        tz: args.filter.time_zone(conn, now)?,
        from: optional_date(&args.from)?,
        to: optional_date(&args.to)?,
        filter: args.filter.filter(),
        now: now.utc,
    };
    let figures = metrics::weekly(conn, &query).map_err(crate::Error::from)?;
    if args.json {
        return write_json(out, &figures);
    }
    let show = |v: Option<f64>, f: fn(f64) -> String| v.map(f).unwrap_or_else(|| "—".into());
    let timing = |t: &Timing| {
        // Percentiles read from an aggregate's buckets are within 12%: say so.
        let approx = |v: Option<f64>| match v {
            Some(_) if t.approximate => format!("≈{}", show(v, units::duration)),
            _ => show(v, units::duration),
        };
        format!(
            "{:>8} {:>8} {:>5}",
            approx(t.median_s),
            approx(t.p90_s),
            show(t.coverage, units::percent)
        )
    };
    writeln!(
        out,
        "Weeks in {} · {} items · primary queue: {}",
        figures.tz,
        figures.overall.items,
        figures.primary_queue.as_deref().unwrap_or("none")
    )?;
    writeln!(
        out,
        "{:<9} {:<10} {:>6} {:>6} {:>7}  {:>8} {:>8} {:>5}  {:>8} {:>8} {:>5}  {:>6} {:>6}",
        "week",
        "start",
        "items",
        "queues",
        "primary",
        "triage",
        "p90",
        "cov",
        "resolve",
        "p90",
        "cov",
        "auto",
        "open"
    )?;
    for w in &figures.weeks {
        writeln!(
            out,
            "{:<9} {:<10} {:>6} {:>6} {:>7}  {}  {}  {:>6} {:>6}",
            w.week,
            w.start,
            w.items,
            w.active_queues,
            show(w.primary_share, units::percent),
            timing(&w.triage),
            timing(&w.resolve),
            show(w.automated_share, units::percent),
            w.open_at_end
        )?;
    }
    if let Some(target) = &figures.queue_target {
        writeln!(out, "\nObjective {}: {}", target.objective, target.status)?;
    }
    for m in &figures.milestones {
        writeln!(out, "Milestone {} {}: {}", m.at, m.step, m.label)?;
    }
    Ok(())
}

pub(super) fn run_compare(
    conn: &Connection,
    args: CompareArgs,
    now: &Now,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let tz = args.filter.time_zone(conn, now)?;
    let filter = args.filter.filter();
    let comparisons = match optional_date(&args.at)? {
        Some(at) => vec![metrics::compare(
            conn,
            &CompareQuery {
                at,
                weeks: args.weeks,
                tz,
                filter,
                label: None,
                step: None,
                now: now.utc,
            },
        )
        .map_err(crate::Error::from)?],
        None => metrics::compare_milestones(conn, args.weeks, tz, &filter, now.utc)
            .map_err(crate::Error::from)?,
    };
    if args.json {
        // One date gives one object, as the command-line contract shows; all milestones a list.
        return match (args.at.is_some(), comparisons.as_slice()) {
            (true, [one]) => write_json(out, one),
            _ => write_json(out, &comparisons),
        };
    }
    if comparisons.is_empty() {
        writeln!(
            out,
            "No milestones yet: mark a plan step done, or pass --at DATE."
        )?;
    }
    for c in &comparisons {
        for sentence in &c.sentences {
            let text: String = sentence.iter().map(|s| s.text.as_str()).collect();
            writeln!(out, "{text}")?;
        }
    }
    Ok(())
}
