//! A seeded generator of realistic exports in every supported format and any size: the demo
//! data set, the benchmark's million Sentinel rows and the tests' larger inputs.
//!
//! One synthetic SOC (a [`Scenario`]) produces a time-ordered stream of incidents; each export
//! is a view of that stream in its own field names, date forms and quirks (audit rows,
//! redirected incidents, JSON in cells, display dates). The same seed writes the same bytes.
//! Trends make the demo tell a story: triage gets faster after a milestone, Defender for Cloud
//! alerts arrive in the unified queue from a date, automation closes a rising share, and the
//! legacy SIEM fades.

mod aggregate;
mod world;
mod writers;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime};

use crate::import::{DateOrder, Format};
pub use aggregate::{aggregate_export, write_aggregate, AggregateOptions, Cells};
pub use world::{Incident, IncidentStream, Product};

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// How the SOC changes over the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Trends {
    /// Median minutes from creation to first action, before and after `triage_milestone_ms`.
    pub triage_median_before_min: u32,
    pub triage_median_after_min: u32,
    pub triage_milestone_ms: Option<i64>,
    /// From this instant Defender for Cloud alerts also reach Defender XDR (Graph, incidents).
    pub cloud_unified_from_ms: Option<i64>,
    /// Share of incidents closed by automation at the start and at the end (linear between).
    pub automation_start: f64,
    pub automation_end: f64,
    /// The legacy SIEM (Splunk) gets fewer incidents as the weeks go by.
    pub legacy_fades: bool,
    /// From this instant Sentinel's own incidents are worked in the Defender portal: the
    /// Sentinel export shows them with provider "Microsoft XDR".
    pub sentinel_unified_from_ms: Option<i64>,
    /// From this instant the legacy queues (Splunk ES, TheHive) are retired: no new incidents.
    pub legacy_retired_from_ms: Option<i64>,
}

impl Default for Trends {
    /// No change over time: the same SOC every week.
    fn default() -> Self {
        Trends {
            triage_median_before_min: 180,
            triage_median_after_min: 180,
            triage_milestone_ms: None,
            cloud_unified_from_ms: None,
            automation_start: 0.1,
            automation_end: 0.1,
            legacy_fades: false,
            sentinel_unified_from_ms: None,
            legacy_retired_from_ms: None,
        }
    }
}

/// When a scenario's trends turn, as days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendDays {
    /// Triage gets faster from this day (in the demo: AutoIR configured, step 2a.3).
    pub faster_triage: Option<NaiveDate>,
    /// Defender for Cloud alerts reach Defender XDR from this day (step 2b.3).
    pub cloud_unified: Option<NaiveDate>,
    /// Sentinel's incidents are worked in the Defender portal from this day (step 1.3).
    pub sentinel_unified: Option<NaiveDate>,
    /// The legacy queues are retired from this day (step 1.4).
    pub legacy_retired: Option<NaiveDate>,
}

/// The synthetic SOC: when, how long, and how it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub seed: u64,
    /// The first day (UTC midnight).
    pub start: NaiveDate,
    pub weeks: u32,
    pub trends: Trends,
    /// Defender XDR incidents are synced into Sentinel (provider "Microsoft XDR").
    pub sentinel_syncs_xdr: bool,
    /// The order of display dates (`6/3/2025` or `3/6/2025`) in the portal and Log Analytics exports.
    pub date_order: DateOrder,
}

impl Scenario {
    /// A steady SOC over `weeks` from `start`.
    pub fn steady(seed: u64, start: NaiveDate, weeks: u32) -> Self {
        Scenario {
            seed,
            start,
            weeks,
            trends: Trends::default(),
            sentinel_syncs_xdr: true,
            date_order: DateOrder::Mdy,
        }
    }

    /// The demo's story over `weeks` (16 is a good length): automated investigation turned on
    /// at 40% of the way (triage falls from 4 h to 1 h, automation rises from 5% to 35%), and
    /// Defender for Cloud connected to Defender XDR at 60%.
    pub fn demo(seed: u64, start: NaiveDate, weeks: u32) -> Self {
        let mut s = Scenario::steady(seed, start, weeks);
        let at = |share: f64| s.start_ms() + ((s.end_ms() - s.start_ms()) as f64 * share) as i64;
        s.trends = Trends {
            triage_median_before_min: 240,
            triage_median_after_min: 60,
            triage_milestone_ms: Some(at(0.4)),
            cloud_unified_from_ms: Some(at(0.6)),
            automation_start: 0.05,
            automation_end: 0.35,
            legacy_fades: true,
            sentinel_unified_from_ms: Some(at(0.5)),
            legacy_retired_from_ms: Some(at(0.7)),
        };
        s
    }

    /// The days the trends turn, for the plan's milestones (the demo marks its steps done then):
    /// automated investigation configured, and Defender for Cloud connected to Defender XDR.
    pub fn milestone_days(&self) -> TrendDays {
        let day = |ms: Option<i64>| {
            ms.and_then(chrono::DateTime::from_timestamp_millis)
                .map(|t| t.date_naive())
        };
        TrendDays {
            faster_triage: day(self.trends.triage_milestone_ms),
            cloud_unified: day(self.trends.cloud_unified_from_ms),
            sentinel_unified: day(self.trends.sentinel_unified_from_ms),
            legacy_retired: day(self.trends.legacy_retired_from_ms),
        }
    }

    pub fn start_ms(&self) -> i64 {
        self.start
            .and_time(NaiveTime::MIN)
            .and_utc()
            .timestamp_millis()
    }

    /// When the exports are taken: the end of the last week.
    pub fn end_ms(&self) -> i64 {
        self.start_ms() + i64::from(self.weeks.max(1)) * 7 * DAY_MS
    }

    /// Whether this format's export shows this incident.
    pub fn shows(&self, format: Format, incident: &Incident) -> bool {
        let unified = self
            .trends
            .cloud_unified_from_ms
            .is_some_and(|at| incident.created_ms >= at);
        match format {
            Format::DefenderXdr | Format::GraphAlerts => {
                incident.product.is_xdr() || (incident.product == Product::Cloud && unified)
            }
            Format::DefenderForCloud => incident.product == Product::Cloud,
            Format::Sentinel => {
                incident.product == Product::SentinelRules
                    || (self.sentinel_syncs_xdr && incident.product.is_xdr())
            }
            Format::SplunkEs => incident.product == Product::Splunk,
            Format::TheHive => incident.product == Product::TheHive,
            Format::Mapped | Format::Aggregate => false,
        }
    }
}

/// The products whose incidents a format's export holds (for a single-format file).
fn products_of(format: Format, scenario: &Scenario) -> Vec<Product> {
    use Product::*;
    let all = [
        Endpoint,
        Office,
        Identity,
        CloudApps,
        EntraId,
        Cloud,
        SentinelRules,
        Splunk,
        TheHive,
    ];
    all.into_iter()
        .filter(|p| match format {
            // A single Defender XDR file holds XDR products (Defender for Cloud only once unified).
            Format::DefenderXdr | Format::GraphAlerts => p.is_xdr(),
            Format::DefenderForCloud => *p == Cloud,
            Format::Sentinel => *p == SentinelRules || (scenario.sentinel_syncs_xdr && p.is_xdr()),
            Format::SplunkEs => *p == Splunk,
            Format::TheHive => *p == TheHive,
            Format::Mapped | Format::Aggregate => false,
        })
        .collect()
}

/// Rows an incident gives in each format, on average: sizes the stream for a row target.
fn rows_per_incident(format: Format) -> f64 {
    match format {
        Format::Sentinel => 2.7,
        Format::GraphAlerts => 2.0,
        _ => 1.0,
    }
}

/// Writes one export of `format` with exactly `rows` rows (alerts, cases or audit rows) spread
/// over the scenario's weeks. Excel's "Unicode Text" (UTF-16, tabs) is written when
/// `excel_unicode` is set (Defender XDR only).
pub fn write_export(
    out: &mut dyn Write,
    format: Format,
    scenario: &Scenario,
    rows: u64,
    excel_unicode: bool,
) -> io::Result<u64> {
    let allowed = products_of(format, scenario);
    if allowed.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} cannot be generated", format.name()),
        ));
    }
    let incidents = ((rows as f64 / rows_per_incident(format)).ceil() as u64).max(1) * 11 / 10 + 1;
    let stream = IncidentStream::new(scenario, incidents, &allowed);
    writers::write(out, format, scenario, stream, Some(rows), excel_unicode)
}

/// Writes the demo's exports into `dir`, one file per format, all views of one stream of
/// `incidents` incidents (so the same incident appears in several files, as in a real SOC).
/// Returns the files, in the order they are best imported.
pub fn write_demo(dir: &Path, scenario: &Scenario, incidents: u64) -> io::Result<Vec<PathBuf>> {
    use Product::*;
    let all = [
        Endpoint,
        Office,
        Identity,
        CloudApps,
        EntraId,
        Cloud,
        SentinelRules,
        Splunk,
        TheHive,
    ];
    let files = [
        (Format::DefenderXdr, "defender_xdr_incidents.csv"),
        (Format::GraphAlerts, "graph_security_alerts.json"),
        (Format::DefenderForCloud, "defender_for_cloud_alerts.csv"),
        (Format::Sentinel, "sentinel_securityincident.csv"),
        (Format::SplunkEs, "splunk_es_notables.csv"),
        (Format::TheHive, "thehive_cases.json"),
    ];
    let mut paths = Vec::new();
    for (format, name) in files {
        let path = dir.join(name);
        let mut out = BufWriter::new(File::create(&path)?);
        let stream = IncidentStream::new(scenario, incidents, &all);
        let shown = stream.filter(|i| scenario.shows(format, i));
        writers::write(&mut out, format, scenario, shown, None, false)?;
        out.flush()?;
        paths.push(path);
    }
    Ok(paths)
}
