//! The figures: weekly counts, active queues, time to triage and to resolve, automated share,
//! backlog, and before/after comparisons around the plan's milestones.
//!
//! Definitions are those of DESIGN.md ("Metrics"); [`DEFINITIONS`] states them for the UI and
//! reports. The time zone and "now" are parameters: nothing here reads the clock.
//!
//! Aggregate cells (docs/queries/) are merged with the raw items: counts add up, durations
//! from cells join the raw ones in one histogram (the raw durations binned alike), and the
//! timing is then flagged `approximate`. An aggregate is authoritative for the queue-weeks it
//! covers, so the same items imported both ways count once.

mod compare;
mod headline;
mod load;
mod stats;
mod weeks;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

pub use compare::{
    compare, compare_milestones, CompareQuery, Comparison, MedianChange, ShareChange, Verdict,
};
pub use headline::{headline, Headline, ObjectiveStatus, PlanTile, Tile, Trend};
pub use stats::{percentile, share, Interval, Timing};
pub use weeks::{day_start_ms, local_date, week_start, WeekGrid};

use crate::histogram::Histogram;
use crate::import::aggregate::Measure;
use load::{load_items, Cell, Item};

/// Why figures could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("{0:?} is not a time zone; use an IANA name such as UTC or Europe/Paris")]
    UnknownTimeZone(String),
    #[error("the period is empty: {from} is after {to}")]
    EmptyPeriod { from: NaiveDate, to: NaiveDate },
    #[error("{0}")]
    InvalidInput(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl From<rusqlite::Error> for MetricsError {
    fn from(err: rusqlite::Error) -> Self {
        MetricsError::Store(err.into())
    }
}

/// Reads an IANA time-zone name.
pub fn parse_time_zone(name: &str) -> Result<Tz, MetricsError> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| MetricsError::UnknownTimeZone(name.to_owned()))
}

/// The system's time zone (UTC when it cannot be told): the default for weeks and dates. Read
/// at the edges (the CLI, the app), then passed in.
pub fn system_time_zone() -> Tz {
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|name| name.parse().ok())
        .unwrap_or(chrono_tz::UTC)
}

/// Which items count: all, or only some queues and severities (case-insensitive).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub queues: Vec<String>,
    pub severities: Vec<String>,
}

impl Filter {
    pub(crate) fn keeps(&self, queue: &str, severity: &str) -> bool {
        self.keeps_queue(queue)
            && (self.severities.is_empty()
                || self
                    .severities
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(severity)))
    }

    pub(crate) fn keeps_queue(&self, queue: &str) -> bool {
        self.queues.is_empty() || self.queues.iter().any(|q| q.eq_ignore_ascii_case(queue))
    }
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct MetricsQuery {
    pub tz: Tz,
    /// First and last calendar day (in `tz`); by default the data's own range.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub filter: Filter,
    pub now: DateTime<Utc>,
}

/// One ISO week's figures. A figure with no data is `None` (JSON `null`), never 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekFigures {
    pub week: String,
    pub start: NaiveDate,
    /// Whether the week had ended by "now".
    pub complete: bool,
    pub items: u64,
    pub active_queues: u32,
    pub primary_share: Option<f64>,
    pub triage: Timing,
    pub resolve: Timing,
    pub automated_share: Option<f64>,
    /// Resolved items: what the automated share is a share of.
    pub resolved: u64,
    pub open_at_end: u64,
    pub alerts_per_incident: Option<f64>,
    /// Plan steps done by the end of the week.
    pub steps_done: u32,
    pub by_queue: BTreeMap<String, u64>,
    pub by_severity: BTreeMap<String, u64>,
}

/// The first or last few weeks of the period pooled: the headline tiles' "was" and "now".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowFigures {
    pub first_week: String,
    pub last_week: String,
    pub weeks: u32,
    pub items: u64,
    /// Active queues in the window's last week (the first window: its first week).
    pub active_queues: u32,
    pub triage: Timing,
    pub resolve: Timing,
    pub automated_share: Option<f64>,
    pub resolved: u64,
}

/// Weeks pooled at each end of the period for the headline figures.
pub const HEADLINE_WEEKS: usize = 4;

/// A queue's figures over the whole period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueFigures {
    pub name: String,
    pub primary: bool,
    pub hand_listed: bool,
    pub items: u64,
    pub triage: Timing,
    pub resolve: Timing,
    pub automated_share: Option<f64>,
}

/// A severity's figures over the whole period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeverityFigures {
    pub name: String,
    pub items: u64,
    pub triage: Timing,
    pub resolve: Timing,
}

/// The period as a whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overall {
    pub items: u64,
    pub triage: Timing,
    pub resolve: Timing,
    pub automated_share: Option<f64>,
    pub alerts_per_incident: Option<f64>,
}

/// Rows that could not be used as they are, shown beside the figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataProblems {
    /// Items with no created time: in no week.
    pub without_created_time: u64,
    /// Triaged before created: excluded from time to triage.
    pub negative_triage: u64,
    /// Resolved before created: excluded from time to resolve.
    pub negative_resolve: u64,
}

/// A plan step done on a day: a vertical marker on every chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub label: String,
    pub at: NaiveDate,
    pub step: String,
}

/// Objective 1, met from the data: active queues at or below a target for N weeks in a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueTarget {
    pub objective: String,
    pub target: u32,
    pub weeks_required: u32,
    /// Complete weeks in a row, up to the last complete week, at or below the target.
    pub weeks_met: u32,
    pub met: bool,
    /// "active queues ≤ 1 for 3 weeks; 4 in a row needed".
    pub status: String,
}

/// Everything the dashboard, the CLI's `metrics --json` and reports show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub tz: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The first and last day with an item created (in the filter).
    pub data_first: Option<NaiveDate>,
    pub data_last: Option<NaiveDate>,
    pub primary_queue: Option<String>,
    pub steps_total: u32,
    pub weeks: Vec<WeekFigures>,
    pub queues: Vec<QueueFigures>,
    pub severities: Vec<SeverityFigures>,
    pub overall: Overall,
    /// The first and the last [`HEADLINE_WEEKS`] weeks, pooled (`None` without weeks).
    pub start: Option<WindowFigures>,
    pub end: Option<WindowFigures>,
    pub data_problems: DataProblems,
    pub queue_target: Option<QueueTarget>,
    pub milestones: Vec<Milestone>,
}

/// The plan's done steps, by date: the milestones drawn on the charts.
pub fn milestones(conn: &Connection) -> Result<Vec<Milestone>, MetricsError> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.objective_id || '.' || s.position, s.text, s.done_date
         FROM step s JOIN objective o ON o.id = s.objective_id
         WHERE s.status = 'done' AND s.done_date IS NOT NULL
         ORDER BY s.done_date, o.position, s.position",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let text: String = r.get(1)?;
            Ok(Milestone {
                step: r.get(0)?,
                label: short_label(&text),
                at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A step's text short enough to name a milestone in a sentence or on a chart: up to the first
/// colon, bracket or comma, at most about 48 characters, cut at a word.
pub fn short_label(text: &str) -> String {
    const MAX: usize = 48;
    let text = text.trim();
    let clause = text
        .find([':', '(', ';', ','])
        .map(|i| &text[..i])
        .filter(|c| c.trim().len() >= 12)
        .unwrap_or(text)
        .trim()
        .trim_end_matches('.');
    if clause.chars().count() <= MAX {
        return clause.to_owned();
    }
    let mut out = String::new();
    for word in clause.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > MAX - 1 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

struct Accumulator {
    items: u64,
    triage: Vec<f64>,
    resolve: Vec<f64>,
    /// Durations from aggregate cells: when there are any, the timing is summarised from
    /// one histogram (the exact durations binned alike) and flagged approximate.
    triage_binned: Histogram,
    resolve_binned: Histogram,
    resolved: u64,
    automated: u64,
}

impl Accumulator {
    fn new() -> Self {
        Accumulator {
            items: 0,
            triage: Vec::new(),
            resolve: Vec::new(),
            triage_binned: Histogram::new(),
            resolve_binned: Histogram::new(),
            resolved: 0,
            automated: 0,
        }
    }

    fn add_cell(&mut self, cell: &Cell, problems: &mut DataProblems) {
        match cell.measure {
            Measure::Created => self.items += cell.count,
            Measure::Resolved => self.resolved += cell.count,
            Measure::Automated => self.automated += cell.count,
            Measure::Triage if cell.bucket < 0 => problems.negative_triage += cell.count,
            Measure::Resolve if cell.bucket < 0 => problems.negative_resolve += cell.count,
            Measure::Triage => self
                .triage_binned
                .add_bucket(cell.bucket, cell.count, cell.sum_s),
            Measure::Resolve => self
                .resolve_binned
                .add_bucket(cell.bucket, cell.count, cell.sum_s),
            // The backlog reads closed cells on its own.
            Measure::Closed => {}
        }
    }

    fn pool(&mut self, other: &Accumulator) {
        self.items += other.items;
        self.triage.extend_from_slice(&other.triage);
        self.resolve.extend_from_slice(&other.resolve);
        self.triage_binned.merge(&other.triage_binned);
        self.resolve_binned.merge(&other.resolve_binned);
        self.resolved += other.resolved;
        self.automated += other.automated;
    }

    fn add(&mut self, item: &Item, problems: &mut DataProblems) {
        self.items += 1;
        if item.resolved {
            self.resolved += 1;
            self.automated += u64::from(item.automated);
        }
        if !item.created_exact {
            return;
        }
        if let Some(t) = item.triaged_ms {
            let d = (t - item.created_ms) as f64 / 1000.0;
            if d >= 0.0 {
                self.triage.push(d);
            } else {
                problems.negative_triage += 1;
            }
        }
        if let Some(t) = item.resolved_ms {
            let d = (t - item.created_ms) as f64 / 1000.0;
            if d >= 0.0 {
                self.resolve.push(d);
            } else {
                problems.negative_resolve += 1;
            }
        }
    }

    fn triage(&mut self) -> Timing {
        if self.triage_binned.is_empty() {
            Timing::of(&mut self.triage, self.items)
        } else {
            Timing::of_merged(&self.triage, &self.triage_binned, self.items)
        }
    }

    fn resolve(&mut self) -> Timing {
        if self.resolve_binned.is_empty() {
            Timing::of(&mut self.resolve, self.items)
        } else {
            Timing::of_merged(&self.resolve, &self.resolve_binned, self.items)
        }
    }

    fn automated_share(&self) -> Option<f64> {
        share(self.automated, self.resolved)
    }
}

/// Computes the weekly figures of DESIGN.md over the stored items.
pub fn weekly(conn: &Connection, query: &MetricsQuery) -> Result<Metrics, MetricsError> {
    check_period(query)?;
    let range_end_ms = query
        .to
        .map(|d| day_start_ms(d + Duration::days(1), query.tz));
    let loaded = load_items(conn, &query.filter, range_end_ms, query.tz)?;
    weekly_loaded(conn, query, &loaded)
}

/// The weekly figures and the before/after around every milestone, reading the items once
/// (the dashboard's and the report's case).
pub fn weekly_and_milestones(
    conn: &Connection,
    query: &MetricsQuery,
    weeks_each_side: u32,
) -> Result<(Metrics, Vec<Comparison>), MetricsError> {
    check_period(query)?;
    let loaded = load_items(conn, &query.filter, None, query.tz)?;
    let figures = weekly_loaded(conn, query, &loaded)?;
    let comparisons = compare::compare_milestones_loaded(
        conn,
        &loaded,
        weeks_each_side,
        query.tz,
        &query.filter,
        query.now,
    )?;
    Ok((figures, comparisons))
}

fn check_period(query: &MetricsQuery) -> Result<(), MetricsError> {
    match (query.from, query.to) {
        (Some(from), Some(to)) if from > to => Err(MetricsError::EmptyPeriod { from, to }),
        _ => Ok(()),
    }
}

fn weekly_loaded(
    conn: &Connection,
    query: &MetricsQuery,
    loaded: &load::Loaded,
) -> Result<Metrics, MetricsError> {
    let tz = query.tz;
    let range_start_ms = query.from.map(|d| day_start_ms(d, tz));
    let range_end_ms = query.to.map(|d| day_start_ms(d + Duration::days(1), tz));
    let configs = load::queue_configs(conn)?;
    let primary_name = configs.iter().find(|q| q.primary).map(|q| q.name.clone());
    let primary_index = primary_name
        .as_deref()
        .and_then(|p| loaded.queues.iter().position(|q| q.eq_ignore_ascii_case(p)));

    let in_range = |item: &&Item| {
        range_start_ms.is_none_or(|s| item.created_ms >= s)
            && range_end_ms.is_none_or(|e| item.created_ms < e)
    };
    let data_first = loaded
        .items
        .iter()
        .filter(in_range)
        .map(|i| i.created_ms)
        .min();
    let data_last = loaded
        .items
        .iter()
        .filter(in_range)
        .map(|i| i.created_ms)
        .max();
    // An aggregate cell spans its whole week (Monday to Sunday) in the period it touches.
    let cell_in_range = |cell: &&Cell| {
        query
            .from
            .is_none_or(|f| cell.week_start + Duration::days(6) >= f)
            && query.to.is_none_or(|t| cell.week_start <= t)
    };
    let cells_first = loaded
        .cells
        .iter()
        .filter(cell_in_range)
        .map(|c| c.week_start)
        .min();
    let cells_last = loaded
        .cells
        .iter()
        .filter(cell_in_range)
        .map(|c| c.week_start + Duration::days(6))
        .max();
    let data_first_day = earliest(data_first.and_then(|ms| local_date(ms, tz)), cells_first);
    let data_last_day = latest(data_last.and_then(|ms| local_date(ms, tz)), cells_last);
    let first_day = query.from.or(data_first_day);
    let last_day = query.to.or(data_last_day);
    let grid = match (first_day, last_day) {
        (Some(f), Some(l)) => WeekGrid::new(f, l, tz),
        _ => WeekGrid::empty(),
    };

    let mut problems = DataProblems {
        without_created_time: loaded.without_created,
        negative_triage: 0,
        negative_resolve: 0,
    };
    let incident_alerts = load::alerts_per_incident(conn)?;
    let queue_count = loaded.queues.len();
    let severity_count = loaded.severities.len();

    let mut week_acc: Vec<Accumulator> = (0..grid.len()).map(|_| Accumulator::new()).collect();
    let mut week_queues = vec![0u64; grid.len() * queue_count];
    let mut week_severities = vec![0u64; grid.len() * severity_count];
    let mut week_alerts: Vec<(u64, u64)> = vec![(0, 0); grid.len()];
    let mut queue_acc: Vec<Accumulator> = (0..queue_count).map(|_| Accumulator::new()).collect();
    let mut severity_acc: Vec<Accumulator> =
        (0..severity_count).map(|_| Accumulator::new()).collect();
    let mut overall = Accumulator::new();
    let mut overall_alerts = (0u64, 0u64);
    let mut ignore = DataProblems {
        without_created_time: 0,
        negative_triage: 0,
        negative_resolve: 0,
    };

    for item in &loaded.items {
        let Some(w) = grid.index_of(item.created_ms) else {
            continue;
        };
        if range_start_ms.is_some_and(|s| item.created_ms < s) {
            continue;
        }
        week_acc[w].add(item, &mut problems);
        queue_acc[item.queue as usize].add(item, &mut ignore);
        severity_acc[item.severity as usize].add(item, &mut ignore);
        overall.add(item, &mut ignore);
        week_queues[w * queue_count + item.queue as usize] += 1;
        week_severities[w * severity_count + item.severity as usize] += 1;
        if item.incident {
            if let Some(&alerts) = incident_alerts.get(&item.id) {
                week_alerts[w].0 += u64::from(alerts);
                week_alerts[w].1 += 1;
                overall_alerts.0 += u64::from(alerts);
                overall_alerts.1 += 1;
            }
        }
    }

    for cell in &loaded.cells {
        // The grid starts on Mondays: a cell is in the period when its week is in the grid.
        let Ok(w) = grid.starts().binary_search(&cell.week_start) else {
            continue;
        };
        week_acc[w].add_cell(cell, &mut problems);
        queue_acc[cell.queue as usize].add_cell(cell, &mut ignore);
        severity_acc[cell.severity as usize].add_cell(cell, &mut ignore);
        overall.add_cell(cell, &mut ignore);
        if cell.measure == Measure::Created {
            week_queues[w * queue_count + cell.queue as usize] += cell.count;
            week_severities[w * severity_count + cell.severity as usize] += cell.count;
        }
    }

    // The backlog counts every item created before a week's end, also those from before the
    // period, that was not closed by then.
    let mut created: Vec<i64> = loaded.items.iter().map(|i| i.created_ms).collect();
    let mut closed: Vec<i64> = loaded.items.iter().filter_map(|i| i.closed_ms).collect();
    created.sort_unstable();
    closed.sort_unstable();
    let cell_backlog = CellBacklog::new(&loaded.cells);
    let now_ms = query.now.timestamp_millis();

    let milestones = milestones(conn)?;
    let done_dates: Vec<NaiveDate> = milestones.iter().map(|m| m.at).collect();
    let steps_total: u32 = conn.query_row("SELECT COUNT(*) FROM step", [], |r| r.get(0))?;

    let window = |range: std::ops::Range<usize>| {
        let mut pooled = Accumulator::new();
        for acc in &week_acc[range.clone()] {
            pooled.pool(acc);
        }
        WindowFigures {
            first_week: grid.label(range.start),
            last_week: grid.label(range.end - 1),
            weeks: range.len() as u32,
            items: pooled.items,
            active_queues: 0,
            triage: pooled.triage(),
            resolve: pooled.resolve(),
            automated_share: pooled.automated_share(),
            resolved: pooled.resolved,
        }
    };
    let mut start_window = None;
    let mut end_window = None;
    if !grid.is_empty() {
        let n = grid.len().min(HEADLINE_WEEKS);
        start_window = Some(window(0..n));
        end_window = Some(window(grid.len() - n..grid.len()));
    }

    let mut weeks = Vec::with_capacity(grid.len());
    for (w, acc) in week_acc.iter_mut().enumerate() {
        let start = grid.start(w);
        let last_day = start + Duration::days(6);
        let mut active: Vec<&str> = (0..queue_count)
            .filter(|&q| week_queues[w * queue_count + q] > 0)
            .map(|q| loaded.queues[q].as_str())
            .collect();
        for config in configs
            .iter()
            .filter(|c| c.hand_listed_active(start, last_day) && query.filter.keeps_queue(&c.name))
        {
            if !active.iter().any(|a| a.eq_ignore_ascii_case(&config.name)) {
                active.push(&config.name);
            }
        }
        let end_ms = grid.end_ms(w).min(now_ms.max(grid.start_ms(w)));
        let opened =
            created.partition_point(|&c| c < end_ms) as u64 + cell_backlog.opened_by(start);
        let shut = closed.partition_point(|&c| c < end_ms) as u64 + cell_backlog.closed_by(start);
        let by_queue = (0..queue_count)
            .filter(|&q| week_queues[w * queue_count + q] > 0)
            .map(|q| (loaded.queues[q].clone(), week_queues[w * queue_count + q]))
            .collect();
        let by_severity = (0..severity_count)
            .filter(|&s| week_severities[w * severity_count + s] > 0)
            .map(|s| {
                (
                    loaded.severities[s].clone(),
                    week_severities[w * severity_count + s],
                )
            })
            .collect();
        let primary_items = primary_index.map_or(0, |p| week_queues[w * queue_count + p]);
        weeks.push(WeekFigures {
            week: grid.label(w),
            start,
            complete: grid.end_ms(w) <= now_ms,
            items: acc.items,
            active_queues: active.len() as u32,
            primary_share: share(primary_items, acc.items),
            triage: acc.triage(),
            resolve: acc.resolve(),
            automated_share: acc.automated_share(),
            resolved: acc.resolved,
            open_at_end: opened.saturating_sub(shut),
            alerts_per_incident: (week_alerts[w].1 > 0)
                .then(|| week_alerts[w].0 as f64 / week_alerts[w].1 as f64),
            steps_done: done_dates.iter().filter(|d| **d <= last_day).count() as u32,
            by_queue,
            by_severity,
        });
    }

    let mut queues: Vec<QueueFigures> = configs
        .iter()
        .filter(|c| query.filter.keeps_queue(&c.name))
        .map(|c| {
            let index = loaded
                .queues
                .iter()
                .position(|q| q.eq_ignore_ascii_case(&c.name));
            let mut acc = index.map(|i| std::mem::replace(&mut queue_acc[i], Accumulator::new()));
            QueueFigures {
                name: c.name.clone(),
                primary: c.primary,
                hand_listed: c.hand_listed,
                items: acc.as_ref().map_or(0, |a| a.items),
                triage: acc
                    .as_mut()
                    .map_or_else(|| Timing::of(&mut [], 0), |a| a.triage()),
                resolve: acc
                    .as_mut()
                    .map_or_else(|| Timing::of(&mut [], 0), |a| a.resolve()),
                automated_share: acc.as_ref().and_then(|a| a.automated_share()),
            }
        })
        .collect();
    // Items in a queue that no longer has a row (renamed rules) still show.
    for (i, name) in loaded.queues.iter().enumerate() {
        if !queues.iter().any(|q| q.name.eq_ignore_ascii_case(name)) && queue_acc[i].items > 0 {
            let acc = &mut queue_acc[i];
            queues.push(QueueFigures {
                name: name.clone(),
                primary: false,
                hand_listed: false,
                items: acc.items,
                triage: acc.triage(),
                resolve: acc.resolve(),
                automated_share: acc.automated_share(),
            });
        }
    }
    queues.sort_by(|a, b| {
        b.primary
            .cmp(&a.primary)
            .then(b.items.cmp(&a.items))
            .then(a.name.cmp(&b.name))
    });

    let mut severities: Vec<SeverityFigures> = severity_acc
        .iter_mut()
        .enumerate()
        .filter(|(_, a)| a.items > 0)
        .map(|(i, a)| SeverityFigures {
            name: loaded.severities[i].clone(),
            items: a.items,
            triage: a.triage(),
            resolve: a.resolve(),
        })
        .collect();
    severities.sort_by_key(|s| severity_rank(&s.name));

    // "Now" is the last complete week (the current one is still filling), "was" the first.
    if let Some(first) = weeks.first() {
        if let Some(w) = start_window.as_mut() {
            w.active_queues = first.active_queues;
        }
    }
    if let Some(last) = weeks.iter().rev().find(|w| w.complete).or(weeks.last()) {
        if let Some(w) = end_window.as_mut() {
            w.active_queues = last.active_queues;
        }
    }
    let queue_target = queue_target(conn, &weeks)?;
    Ok(Metrics {
        tz: tz.name().to_owned(),
        from: query.from,
        to: query.to,
        data_first: data_first_day,
        data_last: data_last_day,
        primary_queue: primary_name,
        steps_total,
        overall: Overall {
            items: overall.items,
            triage: overall.triage(),
            resolve: overall.resolve(),
            automated_share: overall.automated_share(),
            alerts_per_incident: (overall_alerts.1 > 0)
                .then(|| overall_alerts.0 as f64 / overall_alerts.1 as f64),
        },
        weeks,
        queues,
        severities,
        start: start_window,
        end: end_window,
        data_problems: problems,
        queue_target,
        milestones,
    })
}

fn earliest(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn latest(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The aggregate cells' share of the backlog: items created, and items closed, by the end of
/// a week, counted by week (all cells, also those from before the period, as for raw items).
struct CellBacklog {
    /// (week, items created that week) and (week closed, items), sorted, with running totals.
    created: Vec<(NaiveDate, u64)>,
    closed: Vec<(NaiveDate, u64)>,
}

impl CellBacklog {
    fn new(cells: &[Cell]) -> CellBacklog {
        let mut created = Vec::new();
        let mut closed = Vec::new();
        for cell in cells {
            match cell.measure {
                Measure::Created => created.push((cell.week_start, cell.count)),
                Measure::Closed => closed.push((
                    cell.week_start + Duration::weeks(i64::from(cell.bucket.max(0))),
                    cell.count,
                )),
                _ => {}
            }
        }
        let running = |mut v: Vec<(NaiveDate, u64)>| {
            v.sort_unstable();
            let mut total = 0;
            for entry in &mut v {
                total += entry.1;
                entry.1 = total;
            }
            v
        };
        CellBacklog {
            created: running(created),
            closed: running(closed),
        }
    }

    fn total_by(running: &[(NaiveDate, u64)], week: NaiveDate) -> u64 {
        let i = running.partition_point(|(w, _)| *w <= week);
        if i == 0 {
            0
        } else {
            running[i - 1].1
        }
    }

    /// Items created by the end of the week that starts on `week`.
    fn opened_by(&self, week: NaiveDate) -> u64 {
        CellBacklog::total_by(&self.created, week)
    }

    fn closed_by(&self, week: NaiveDate) -> u64 {
        CellBacklog::total_by(&self.closed, week)
    }
}

impl load::QueueConfig {
    fn hand_listed_active(&self, start: NaiveDate, last_day: NaiveDate) -> bool {
        self.hand_listed
            && self.active_from.is_none_or(|f| f <= last_day)
            && self.active_to.is_none_or(|t| t >= start)
    }
}

fn severity_rank(name: &str) -> u8 {
    match name {
        "critical" => 0,
        "high" => 1,
        "medium" => 2,
        "low" => 3,
        "informational" => 4,
        _ => 5,
    }
}

fn queue_target(
    conn: &Connection,
    weeks: &[WeekFigures],
) -> Result<Option<QueueTarget>, MetricsError> {
    let outcome: Option<(String, u32, u32)> = conn
        .query_row(
            "SELECT id, queue_target, weeks_required FROM objective WHERE kind = 'outcome' ORDER BY position LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((objective, target, weeks_required)) = outcome else {
        return Ok(None);
    };
    if weeks.is_empty() {
        // Nothing imported: the data says nothing yet.
        return Ok(None);
    }
    let weeks_met = weeks
        .iter()
        .filter(|w| w.complete)
        .rev()
        .take_while(|w| w.active_queues <= target)
        .count() as u32;
    let met = weeks_met >= weeks_required;
    let plural = |n: u32| if n == 1 { "week" } else { "weeks" };
    let status = if met {
        format!(
            "active queues ≤ {target} for {weeks_met} {} in a row: met",
            plural(weeks_met)
        )
    } else {
        format!(
            "active queues ≤ {target} for {weeks_met} {}; {weeks_required} in a row needed",
            plural(weeks_met)
        )
    };
    Ok(Some(QueueTarget {
        objective,
        target,
        weeks_required,
        weeks_met,
        met,
        status,
    }))
}

/// The definitions shown beside every figure, in the app and in reports.
pub const DEFINITIONS: &[(&str, &str)] = &[
    ("Week", "ISO weeks, Monday to Sunday, in the chosen time zone. An item belongs to the week of its created time."),
    ("Items", "Alerts and incidents after de-duplication; alerts whose incident is imported count inside it, merged (redirected) incidents not at all."),
    ("Active queues", "Queues with at least one item created that week, plus queues listed by hand as watched that week."),
    ("Primary share", "Items in the primary (unified) queue divided by all items that week."),
    ("Time to triage", "Triaged (first analyst action) minus created. Median, 90th percentile (linear interpolation, as Excel's PERCENTILE.INC) and mean; items without a triage time are left out and the coverage says how many had one. Durations below zero are left out and counted as data problems."),
    ("Time to resolve", "Resolved minus created, summarised like time to triage."),
    ("Closed by automation", "Resolved items closed by automation (an automation account, or an automated investigation state such as \"Successfully remediated\") divided by all resolved items."),
    ("Open backlog", "Items created before the end of the week and not resolved by then."),
    ("Alerts per incident", "Where alerts and their incidents are both imported: alerts rolled up into each incident, averaged over those incidents."),
    ("Aggregates", "Weekly counts and duration buckets imported instead of items (docs/queries/). An aggregate stands for the queue-weeks it covers: raw items of that queue and week are not counted again. Its cells belong to the week of their Monday whatever the time zone. Median and 90th percentile where buckets are used are marked ≈: within 12.2% (+0.63 s) of the exact figure; counts, coverage and means stay exact."),
    ("Before/after", "The W weeks before a milestone against the W weeks after (default 4): medians, their difference and % change, and a 95% bootstrap interval of the difference (2,000 resamples, fixed seed). \"Improved\" or \"worsened\" only when the interval excludes zero."),
];
