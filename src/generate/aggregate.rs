//! The reference of the aggregate queries (docs/queries/sentinel-aggregate.kql and
//! splunk-es-aggregate.spl) in Rust: the same steps over the rows of a raw export, so that tests
//! and demos can turn any generated export into the aggregate file the query would have given.
//!
//! It follows the queries, not the importer: rows are grouped by id, the latest state is the
//! row with the latest TimeGenerated (`arg_max`), the first analyst action is the earliest
//! FirstModifiedTime or time of an analyst at work, and so on. A test that imports an export and
//! its aggregate and finds the same figures checks the queries' logic against the importer's.
//! Per incident it keeps a small state (a few fields of its latest row), so memory grows with
//! the incidents, as the query's own `summarize` does; the rows of the export are streamed.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read, Write};

use chrono::{DateTime, Duration, NaiveDate};
use csv::StringRecord;

use super::Scenario;
use crate::histogram::bucket_of;
use crate::import::aggregate::{write_cells, CellKey, CellValue, Measure};
use crate::import::dates::DateReader;
use crate::import::item::{text, Severity, Status};
use crate::import::read::normalise_header;
use crate::import::{DateOrder, Format};
use crate::metrics::week_start;

/// The queries' parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateOptions {
    /// Accounts whose closing counts as automation (the queries' `AutomationAccounts`).
    pub automation_accounts: Vec<String>,
    /// Added to UTC before the week is taken: the metrics time zone's offset (the queries'
    /// `WeekOffset`).
    pub week_offset: Duration,
    /// Only items created in `[from, to)` are aggregated (the queries' time range).
    pub created_from_ms: Option<i64>,
    pub created_to_ms: Option<i64>,
}

impl Default for AggregateOptions {
    fn default() -> Self {
        AggregateOptions {
            automation_accounts: vec!["automation".into()],
            week_offset: Duration::zero(),
            created_from_ms: None,
            created_to_ms: None,
        }
    }
}

/// One item as the queries see it once its rows are summarised.
#[derive(Debug, Clone)]
struct Summarised {
    product: String,
    severity: Severity,
    created_ms: i64,
    triaged_ms: Option<i64>,
    resolved_ms: Option<i64>,
    is_resolved: bool,
    automated: bool,
    /// When it stopped being open (resolved items only).
    closed_ms: Option<i64>,
}

/// Cells, added up by key: an aggregate file's content.
pub type Cells = BTreeMap<CellKey, CellValue>;

fn io_error(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Aggregates a raw export of `format` (Sentinel or Splunk ES CSV) as the queries do.
pub fn aggregate_export(
    format: Format,
    raw: &mut dyn Read,
    date_order: DateOrder,
    options: &AggregateOptions,
) -> io::Result<Cells> {
    let accounts: Vec<String> = options
        .automation_accounts
        .iter()
        .map(|a| a.trim().to_lowercase())
        .collect();
    let items = match format {
        Format::Sentinel => summarise_sentinel(raw, &DateReader::new(date_order), &accounts)?,
        Format::SplunkEs => summarise_splunk(raw, &DateReader::new(date_order), &accounts)?,
        other => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("no aggregate query for {}", other.name()),
            ))
        }
    };
    let mut cells = Cells::new();
    for item in items {
        let in_range = options
            .created_from_ms
            .is_none_or(|from| item.created_ms >= from)
            && options.created_to_ms.is_none_or(|to| item.created_ms < to);
        if in_range {
            add_item(&mut cells, format, &item, options.week_offset);
        }
    }
    Ok(cells)
}

/// The Monday of the week an instant falls in, `offset` from UTC.
fn week_of(ms: i64, offset: Duration) -> NaiveDate {
    let local = DateTime::from_timestamp_millis(ms).unwrap_or_default() + offset;
    week_start(local.date_naive())
}

fn add_item(cells: &mut Cells, format: Format, item: &Summarised, offset: Duration) {
    let week = week_of(item.created_ms, offset);
    let mut add = |measure: Measure, bucket: i32, sum_s: f64| {
        let cell = cells
            .entry(CellKey {
                week_start: week,
                source: format.name().to_owned(),
                product: item.product.clone(),
                severity: item.severity,
                measure,
                bucket,
            })
            .or_default();
        cell.count += 1;
        cell.sum_s += sum_s;
    };
    add(Measure::Created, 0, 0.0);
    if item.is_resolved {
        add(Measure::Resolved, 0, 0.0);
        if item.automated {
            add(Measure::Automated, 0, 0.0);
        }
    }
    for (measure, at) in [
        (Measure::Triage, item.triaged_ms),
        (Measure::Resolve, item.resolved_ms),
    ] {
        if let Some(at) = at {
            let seconds = (at - item.created_ms) as f64 / 1000.0;
            add(measure, bucket_of(seconds), seconds);
        }
    }
    if let Some(closed) = item.closed_ms {
        let weeks = (week_of(closed, offset) - week).num_weeks();
        add(Measure::Closed, i32::try_from(weeks).unwrap_or(0), 0.0);
    }
}

/// A CSV's columns by normalised name.
struct Columns(HashMap<String, usize>);

impl Columns {
    fn new(header: &StringRecord) -> Columns {
        Columns(
            header
                .iter()
                .enumerate()
                .map(|(i, h)| (normalise_header(h), i))
                .collect(),
        )
    }

    fn get<'r>(&self, row: &'r StringRecord, name: &str) -> &'r str {
        self.0
            .get(name)
            .and_then(|&i| row.get(i))
            .unwrap_or("")
            .trim()
    }

    fn time(&self, row: &StringRecord, name: &str, dates: &DateReader) -> io::Result<Option<i64>> {
        dates
            .read(self.get(row, name))
            .map_err(|e| io_error(format!("{name}: {e}")))
    }
}

/// The state `summarize arg_max(TimeGenerated, …), min(…) by IncidentName` keeps.
struct SentinelState {
    latest_generated: i64,
    status: String,
    severity: String,
    product: String,
    assignee: Option<String>,
    closed_ms: Option<i64>,
    last_modified_ms: Option<i64>,
    modified_by: String,
    created_ms: i64,
    first_modified_ms: Option<i64>,
    first_at_work_ms: Option<i64>,
    max_generated: i64,
}

fn min_of(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn summarise_sentinel(
    raw: &mut dyn Read,
    dates: &DateReader,
    accounts: &[String],
) -> io::Result<Vec<Summarised>> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(raw);
    let cols = Columns::new(rdr.headers()?);
    let mut incidents: HashMap<String, SentinelState> = HashMap::new();
    let mut record = StringRecord::new();
    while rdr.read_record(&mut record)? {
        let row = &record;
        let name = cols.get(row, "incidentname").to_owned();
        let Some(created_ms) = cols.time(row, "createdtime", dates)? else {
            continue;
        };
        let last_modified_ms = cols.time(row, "lastmodifiedtime", dates)?;
        let generated = cols
            .time(row, "timegenerated", dates)?
            .or(last_modified_ms)
            .unwrap_or(created_ms);
        let owner: serde_json::Value =
            serde_json::from_str(cols.get(row, "owner")).unwrap_or_default();
        // Owner.assignedTo, else userPrincipalName, else email.
        let assignee = ["assignedTo", "userPrincipalName", "email"]
            .iter()
            .find_map(|k| owner.get(k).and_then(|v| v.as_str()).and_then(text));
        let status = cols.get(row, "status").to_owned();
        let at_work = assignee.is_some() || !status.eq_ignore_ascii_case("new");
        let action_ms = at_work.then_some(last_modified_ms.unwrap_or(generated));
        let provider = cols.get(row, "providername");
        let product = if provider.is_empty() {
            let data: serde_json::Value =
                serde_json::from_str(cols.get(row, "additionaldata")).unwrap_or_default();
            data.get("alertProductNames")
                .and_then(|names| names.get(0))
                .and_then(|n| n.as_str())
                .unwrap_or("")
                .to_owned()
        } else {
            provider.to_owned()
        };
        let latest = SentinelState {
            latest_generated: generated,
            status,
            severity: cols.get(row, "severity").to_owned(),
            product,
            assignee,
            closed_ms: cols.time(row, "closedtime", dates)?,
            last_modified_ms,
            modified_by: cols.get(row, "modifiedby").to_owned(),
            created_ms,
            first_modified_ms: cols.time(row, "firstmodifiedtime", dates)?,
            first_at_work_ms: action_ms,
            max_generated: generated,
        };
        match incidents.get_mut(&name) {
            None => {
                incidents.insert(name, latest);
            }
            Some(state) => {
                let first_modified_ms = min_of(state.first_modified_ms, latest.first_modified_ms);
                let first_at_work_ms = min_of(state.first_at_work_ms, latest.first_at_work_ms);
                let max_generated = state.max_generated.max(generated);
                // arg_max: the row with the latest TimeGenerated (the later row on a tie).
                if generated >= state.latest_generated {
                    *state = latest;
                }
                state.first_modified_ms = first_modified_ms;
                state.first_at_work_ms = first_at_work_ms;
                state.max_generated = max_generated;
            }
        }
    }
    Ok(incidents
        .into_values()
        .map(|s| {
            let is_resolved = s.status.eq_ignore_ascii_case("closed");
            let resolved_ms = if is_resolved {
                s.closed_ms.or(s.last_modified_ms)
            } else {
                None
            };
            let modified_by = s.modified_by.to_lowercase();
            let is_account = |who: &str| accounts.iter().any(|a| a == who);
            let automated = resolved_ms.is_some()
                && (is_account(&modified_by)
                    || modified_by.starts_with("automation rule")
                    || s.assignee
                        .as_deref()
                        .is_some_and(|a| is_account(&a.to_lowercase())));
            Summarised {
                product: s.product,
                severity: Severity::parse(&s.severity),
                created_ms: s.created_ms,
                triaged_ms: min_of(s.first_modified_ms, s.first_at_work_ms),
                resolved_ms,
                is_resolved,
                automated,
                closed_ms: is_resolved
                    .then(|| resolved_ms.unwrap_or(s.max_generated).max(s.created_ms)),
            }
        })
        .collect())
}

fn summarise_splunk(
    raw: &mut dyn Read,
    dates: &DateReader,
    accounts: &[String],
) -> io::Result<Vec<Summarised>> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(raw);
    let cols = Columns::new(rdr.headers()?);
    // One notable per event_id; a later row of the same id replaces it (`dedup event_id`).
    let mut notables: HashMap<String, Summarised> = HashMap::new();
    let mut record = StringRecord::new();
    while rdr.read_record(&mut record)? {
        let row = &record;
        let Some(created_ms) = cols.time(row, "_time", dates)? else {
            continue;
        };
        let reviewed_ms = cols.time(row, "review_time", dates)?;
        // status_label when it names a status, else the ES status code (4 resolved, 5 closed).
        let is_resolved = match Status::parse(cols.get(row, "status_label")) {
            Some(status) => status == Status::Resolved,
            None => {
                matches!(cols.get(row, "status"), "4" | "5")
                    || Status::parse(cols.get(row, "status")) == Some(Status::Resolved)
            }
        };
        let owner = cols.get(row, "owner").to_lowercase();
        let urgency = Severity::parse(cols.get(row, "urgency"));
        notables.insert(
            cols.get(row, "event_id").to_lowercase(),
            Summarised {
                product: String::new(),
                severity: if urgency == Severity::Unknown {
                    Severity::parse(cols.get(row, "severity"))
                } else {
                    urgency
                },
                created_ms,
                triaged_ms: reviewed_ms,
                resolved_ms: reviewed_ms.filter(|_| is_resolved),
                is_resolved,
                automated: is_resolved && accounts.contains(&owner),
                closed_ms: is_resolved.then(|| reviewed_ms.unwrap_or(created_ms).max(created_ms)),
            },
        );
    }
    Ok(notables.into_values().collect())
}

/// Writes the aggregate file the query would give for the export `write_export` writes with
/// the same arguments (`format`: Sentinel or Splunk ES). The export is generated in memory
/// first: this is for the sizes tests and demos use, not for a hundred million rows (which is
/// what the queries are for). Returns the cells written.
pub fn write_aggregate(
    out: &mut dyn Write,
    format: Format,
    scenario: &Scenario,
    rows: u64,
    options: &AggregateOptions,
) -> io::Result<u64> {
    if !matches!(format, Format::Sentinel | Format::SplunkEs) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("no aggregate query for {}", format.name()),
        ));
    }
    let mut raw = Vec::new();
    super::write_export(&mut raw, format, scenario, rows, false)?;
    let cells = aggregate_export(format, &mut raw.as_slice(), scenario.date_order, options)?;
    write_cells(out, &cells)?;
    Ok(cells.len() as u64)
}
