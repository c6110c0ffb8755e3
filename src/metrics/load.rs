//! Reads the counted work items the figures need, as compact rows, and the aggregate cells
//! that stand in for items where a SOC imported weekly figures instead (docs/queries/).

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use rusqlite::Connection;

use super::{day_start_ms, Filter, MetricsError};
use crate::import::aggregate::Measure;

/// One counted work item, reduced to what the figures use.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item {
    pub id: i64,
    pub created_ms: i64,
    pub triaged_ms: Option<i64>,
    pub resolved_ms: Option<i64>,
    /// When it stopped being open, for the backlog: its resolved time, else (resolved without
    /// one) its last update; `None` while open.
    pub closed_ms: Option<i64>,
    pub queue: u16,
    pub severity: u8,
    pub resolved: bool,
    pub automated: bool,
    pub incident: bool,
    /// False when the export had no created time and another stood in for it (the Defender
    /// XDR portal CSV's first activity): good for the week, not for a duration.
    pub created_exact: bool,
}

pub(crate) struct Loaded {
    pub items: Vec<Item>,
    /// Queue names, indexed by `Item::queue`.
    pub queues: Vec<String>,
    /// Severity names, indexed by `Item::severity`.
    pub severities: Vec<String>,
    /// Counted items the filter keeps that have no created time: not in any week.
    pub without_created: u64,
    /// The aggregate cells the filter keeps (the newest import's, for each group).
    pub cells: Vec<Cell>,
}

/// One aggregate cell: a count (and for a timing, a sum of seconds) of items created in the
/// week of `week_start`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell {
    pub week_start: NaiveDate,
    pub queue: u16,
    pub severity: u8,
    pub measure: Measure,
    /// Duration bucket (triage, resolve), weeks from created to closed (closed), else 0.
    pub bucket: i32,
    pub count: u64,
    pub sum_s: f64,
}

fn index_of(names: &mut Vec<String>, name: &str) -> usize {
    match names.iter().position(|n| n == name) {
        Some(i) => i,
        None => {
            names.push(name.to_owned());
            names.len() - 1
        }
    }
}

/// Counted items created before `end_ms` (all, when `None`) that pass the filter, and the
/// aggregate cells of weeks that begin before it (weeks in `tz`).
///
/// Where an aggregate covers a queue's week (it has items created in that queue and week), it
/// is authoritative: raw items of that queue created that week are left out, so that the same
/// items imported both ways are never counted twice.
pub(crate) fn load_items(
    conn: &Connection,
    filter: &Filter,
    end_ms: Option<i64>,
    tz: Tz,
) -> Result<Loaded, MetricsError> {
    let mut loaded = load_raw_items(conn, filter, end_ms)?;
    load_cells(conn, filter, end_ms, tz, &mut loaded)?;
    Ok(loaded)
}

fn load_raw_items(
    conn: &Connection,
    filter: &Filter,
    end_ms: Option<i64>,
) -> Result<Loaded, MetricsError> {
    crate::store::map_for_scans(conn)?;
    let mut stmt = conn.prepare_cached(
        // A plain scan: through an index, each row would be a lookup of its own.
        "SELECT id, created_ms, triaged_ms, resolved_ms, updated_ms, queue, severity, automated,
                status = 'resolved', kind = 'incident', created_exact
         FROM work_item NOT INDEXED
         WHERE counted = 1 AND (created_ms IS NULL OR created_ms < ?1)",
    )?;
    let mut rows = stmt.query([end_ms.unwrap_or(i64::MAX)])?;
    let mut loaded = Loaded {
        items: Vec::new(),
        queues: Vec::new(),
        severities: Vec::new(),
        without_created: 0,
        cells: Vec::new(),
    };
    while let Some(row) = rows.next()? {
        let queue = row.get_ref(5)?.as_str().unwrap_or_default();
        let severity = row.get_ref(6)?.as_str().unwrap_or_default();
        if !filter.keeps(queue, severity) {
            continue;
        }
        let Some(created_ms) = row.get::<_, Option<i64>>(1)? else {
            loaded.without_created += 1;
            continue;
        };
        let resolved_ms: Option<i64> = row.get(3)?;
        let updated_ms: Option<i64> = row.get(4)?;
        let resolved =
            resolved_ms.is_some() || row.get_ref(8)?.as_str().unwrap_or_default() == "resolved";
        let closed_ms = if resolved {
            // Resolved with no time at all: never counted as open.
            Some(
                resolved_ms
                    .or(updated_ms)
                    .unwrap_or(created_ms)
                    .max(created_ms),
            )
        } else {
            None
        };
        let queue = index_of(&mut loaded.queues, queue) as u16;
        let severity = index_of(&mut loaded.severities, severity) as u8;
        loaded.items.push(Item {
            id: row.get(0)?,
            created_ms,
            triaged_ms: row.get(2)?,
            resolved_ms,
            closed_ms,
            queue,
            severity,
            resolved,
            automated: row.get(7)?,
            incident: row.get(9)?,
            created_exact: row.get(10)?,
        });
    }
    Ok(loaded)
}

/// The cells the figures read: the view keeps, for each (source, week_start, product,
/// severity) group, those of the newest import that has the group (a re-import replaces, never
/// adds).
const CURRENT_CELLS: &str = "SELECT week_start, queue, severity, measure, bucket, count, sum_s
     FROM current_aggregate_cell";

fn load_cells(
    conn: &Connection,
    filter: &Filter,
    end_ms: Option<i64>,
    tz: Tz,
    loaded: &mut Loaded,
) -> Result<(), MetricsError> {
    let mut stmt = conn.prepare_cached(CURRENT_CELLS)?;
    let mut rows = stmt.query([])?;
    // Queue (lower case) → the weeks an aggregate covers, whatever the severity filter.
    let mut covered: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    while let Some(row) = rows.next()? {
        let week_start: NaiveDate = row.get(0)?;
        if end_ms.is_some_and(|end| day_start_ms(week_start, tz) >= end) {
            continue;
        }
        let queue = row.get_ref(1)?.as_str().unwrap_or_default();
        let severity = row.get_ref(2)?.as_str().unwrap_or_default();
        let Some(measure) = Measure::parse(row.get_ref(3)?.as_str().unwrap_or_default()) else {
            continue;
        };
        let count = u64::try_from(row.get::<_, i64>(5)?).unwrap_or(0);
        if measure == Measure::Created && count > 0 {
            covered
                .entry(queue.to_lowercase())
                .or_default()
                .push(week_start);
        }
        if !filter.keeps(queue, severity) {
            continue;
        }
        let queue = index_of(&mut loaded.queues, queue) as u16;
        let severity = index_of(&mut loaded.severities, severity) as u8;
        loaded.cells.push(Cell {
            week_start,
            queue,
            severity,
            measure,
            bucket: row.get(4)?,
            count,
            sum_s: row.get(6)?,
        });
    }
    if covered.is_empty() {
        return Ok(());
    }
    // Each queue's covered weeks as instants in `tz`, sorted, for a binary search per item.
    let mut ranges: Vec<Vec<(i64, i64)>> = vec![Vec::new(); loaded.queues.len()];
    for (q, name) in loaded.queues.iter().enumerate() {
        if let Some(weeks) = covered.get(&name.to_lowercase()) {
            let mut spans: Vec<(i64, i64)> = weeks
                .iter()
                .map(|w| {
                    (
                        day_start_ms(*w, tz),
                        day_start_ms(*w + Duration::days(7), tz),
                    )
                })
                .collect();
            spans.sort_unstable();
            spans.dedup();
            ranges[q] = spans;
        }
    }
    loaded.items.retain(|item| {
        let spans = &ranges[item.queue as usize];
        let i = spans.partition_point(|&(start, _)| start <= item.created_ms);
        !(i > 0 && item.created_ms < spans[i - 1].1)
    });
    Ok(())
}

/// How many alerts rolled up into each incident (by the incident's row id).
pub(crate) fn alerts_per_incident(
    conn: &Connection,
) -> Result<std::collections::HashMap<i64, u32>, MetricsError> {
    let mut stmt = conn.prepare_cached(
        "SELECT parent_id, COUNT(*) FROM work_item WHERE parent_id IS NOT NULL GROUP BY parent_id",
    )?;
    let map = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(map)
}

/// A queue as configured: primary, or listed by hand with the days it was watched.
#[derive(Debug, Clone)]
pub(crate) struct QueueConfig {
    pub name: String,
    pub primary: bool,
    pub hand_listed: bool,
    pub active_from: Option<chrono::NaiveDate>,
    pub active_to: Option<chrono::NaiveDate>,
}

pub(crate) fn queue_configs(conn: &Connection) -> Result<Vec<QueueConfig>, MetricsError> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, is_primary, hand_listed, active_from, active_to FROM queue ORDER BY name",
    )?;
    let queues = stmt
        .query_map([], |r| {
            Ok(QueueConfig {
                name: r.get(0)?,
                primary: r.get(1)?,
                hand_listed: r.get(2)?,
                active_from: r.get(3)?,
                active_to: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(queues)
}
