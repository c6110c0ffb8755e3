//! Reads the counted work items the figures need, as compact rows.

use rusqlite::Connection;

use super::{Filter, MetricsError};

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

/// Counted items created before `end_ms` (all, when `None`) that pass the filter.
pub(crate) fn load_items(
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
