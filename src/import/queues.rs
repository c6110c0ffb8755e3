//! Queues: where an analyst has to look to see an item. Editable rules map (format, product or
//! provider field) to a queue; one queue is primary (the unified queue); queues without an
//! export can be listed by hand with the days they were watched. A rule change re-assigns the
//! stored items at once.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::format::{Format, BUILT_IN};
use super::ImportError;

/// One rule: items of `format` whose queue signal is `signal` (any, when empty) go to `queue`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRule {
    pub format: String,
    #[serde(default)]
    pub signal: String,
    pub queue: String,
}

/// A queue as the Data view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueInfo {
    pub name: String,
    pub primary: bool,
    pub hand_listed: bool,
    pub active_from: Option<NaiveDate>,
    pub active_to: Option<NaiveDate>,
    /// Counted work items in the queue.
    pub items: i64,
    /// Items counted in the queue's imported aggregate cells (docs/queries/), besides `items`.
    pub aggregated_items: i64,
}

/// The rules in force, read once per import.
pub struct QueueRules {
    rules: Vec<QueueRule>,
    cache: HashMap<(String, String), String>,
}

impl QueueRules {
    pub fn load(conn: &Connection) -> Result<Self, rusqlite::Error> {
        Ok(QueueRules {
            rules: list_queue_rules(conn)?,
            cache: HashMap::new(),
        })
    }

    /// The first matching rule's queue; without one, the signal itself names the queue, or
    /// the format does.
    pub fn queue_for(&mut self, source: &str, signal: &str) -> &str {
        let key = (source.to_owned(), signal.to_owned());
        let rules = &self.rules;
        self.cache.entry(key).or_insert_with(|| {
            let matches = |rule: &QueueRule| {
                rule.format.eq_ignore_ascii_case(source)
                    && (rule.signal.is_empty()
                        || rule.signal.eq_ignore_ascii_case(signal)
                        // Multi-valued cells ("EDR, Antivirus") match on any of their values.
                        || signal.split(',').any(|part| part.trim().eq_ignore_ascii_case(&rule.signal)))
            };
            if let Some(rule) = rules.iter().find(|r| matches(r)) {
                return rule.queue.clone();
            }
            if !signal.trim().is_empty() {
                return signal.trim().to_owned();
            }
            Format::from_name(source)
                .map(|f| f.title().to_owned())
                .unwrap_or_else(|| source.trim_start_matches("mapping:").to_owned())
        })
    }
}

pub fn list_queue_rules(conn: &Connection) -> Result<Vec<QueueRule>, rusqlite::Error> {
    let mut stmt =
        conn.prepare("SELECT format, signal, queue FROM queue_rule ORDER BY position, id")?;
    let rows = stmt.query_map([], |r| {
        Ok(QueueRule {
            format: r.get(0)?,
            signal: r.get(1)?,
            queue: r.get(2)?,
        })
    })?;
    rows.collect()
}

fn known_format(name: &str) -> bool {
    // An aggregate's cells are queued by the format they were computed from, not "aggregate".
    BUILT_IN
        .iter()
        .any(|f| *f != Format::Aggregate && f.name() == name)
        || name.starts_with("mapping:")
}

/// Replaces the rules (in the order given) and re-assigns every stored item.
pub fn set_queue_rules(conn: &mut Connection, rules: &[QueueRule]) -> Result<(), ImportError> {
    for rule in rules {
        if !known_format(&rule.format) {
            return Err(ImportError::InvalidInput(format!(
                "{:?} is not a format (see `streamline formats`)",
                rule.format
            )));
        }
        if rule.queue.trim().is_empty() {
            return Err(ImportError::InvalidInput(
                "a queue rule needs a queue name".into(),
            ));
        }
    }
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM queue_rule", [])?;
    for (i, rule) in rules.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO queue_rule (position, format, signal, queue) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            i as i64 + 1,
            rule.format,
            rule.signal.trim(),
            rule.queue.trim()
        ])?;
        tx.prepare_cached("INSERT OR IGNORE INTO queue (name) VALUES (?1)")?
            .execute([rule.queue.trim()])?;
    }
    reassign_queues(&tx)?;
    tx.commit()?;
    Ok(())
}

/// Puts every stored item in the queue the current rules give it.
pub(crate) fn reassign_queues(tx: &Transaction) -> Result<(), rusqlite::Error> {
    let mut rules = QueueRules::load(tx)?;
    let pairs: Vec<(String, String)> = {
        // Aggregate cells are queued like items: by their source format and product.
        let mut stmt = tx.prepare(
            "SELECT DISTINCT source, queue_signal FROM work_item
             UNION SELECT DISTINCT source, product FROM aggregate_cell",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    tx.execute("CREATE TEMP TABLE IF NOT EXISTS queue_map (source TEXT, signal TEXT, queue TEXT, PRIMARY KEY (source, signal))", [])?;
    tx.execute("DELETE FROM temp.queue_map", [])?;
    for (source, signal) in pairs {
        let queue = rules.queue_for(&source, &signal).to_owned();
        tx.prepare_cached("INSERT INTO temp.queue_map VALUES (?1, ?2, ?3)")?
            .execute(params![source, signal, queue])?;
        tx.prepare_cached("INSERT OR IGNORE INTO queue (name) VALUES (?1)")?
            .execute([queue])?;
    }
    tx.execute(
        "UPDATE work_item SET queue = m.queue FROM temp.queue_map m
         WHERE m.source = work_item.source AND m.signal = work_item.queue_signal AND work_item.queue <> m.queue",
        [],
    )?;
    tx.execute(
        "UPDATE aggregate_cell SET queue = m.queue FROM temp.queue_map m
         WHERE m.source = aggregate_cell.source AND m.signal = aggregate_cell.product
           AND aggregate_cell.queue <> m.queue",
        [],
    )?;
    tx.execute("DELETE FROM temp.queue_map", [])?;
    Ok(())
}

/// The primary (unified) queue's name.
pub fn primary_queue(conn: &Connection) -> Result<Option<String>, rusqlite::Error> {
    conn.query_row("SELECT name FROM queue WHERE is_primary = 1", [], |r| {
        r.get(0)
    })
    .optional()
}

/// Marks `name` as the primary queue (adding it if it is new).
pub fn set_primary_queue(conn: &mut Connection, name: &str) -> Result<(), ImportError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ImportError::InvalidInput(
            "the primary queue needs a name".into(),
        ));
    }
    let tx = conn.transaction()?;
    tx.execute("UPDATE queue SET is_primary = 0 WHERE is_primary = 1", [])?;
    tx.execute(
        "INSERT INTO queue (name, is_primary) VALUES (?1, 1) ON CONFLICT(name) DO UPDATE SET is_primary = 1",
        [name],
    )?;
    tx.commit()?;
    Ok(())
}

/// Every queue: those the rules and items name, and those listed by hand.
pub fn list_queues(conn: &Connection) -> Result<Vec<QueueInfo>, ImportError> {
    let mut counts: HashMap<String, i64> = HashMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT queue, COUNT(*) FROM work_item WHERE counted GROUP BY queue")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (queue, n) = row?;
            *counts.entry(queue.to_lowercase()).or_default() += n;
        }
    }
    let mut aggregated: HashMap<String, i64> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT queue, SUM(count) FROM current_aggregate_cell WHERE measure = 'created' GROUP BY queue",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (queue, n) = row?;
            *aggregated.entry(queue.to_lowercase()).or_default() += n;
        }
    }
    let mut stmt = conn.prepare(
        "SELECT name, is_primary, hand_listed, active_from, active_to FROM queue ORDER BY is_primary DESC, name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, bool>(1)?,
            r.get::<_, bool>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let day = |v: Option<String>| v.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let mut out = Vec::new();
    for row in rows {
        let (name, primary, hand_listed, from, to) = row?;
        out.push(QueueInfo {
            items: counts.get(&name.to_lowercase()).copied().unwrap_or(0),
            aggregated_items: aggregated.get(&name.to_lowercase()).copied().unwrap_or(0),
            name,
            primary,
            hand_listed,
            active_from: day(from),
            active_to: day(to),
        });
    }
    Ok(out)
}

/// A queue without an export, watched from `active_from` to `active_to` (either open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandListedQueue {
    pub name: String,
    pub active_from: Option<NaiveDate>,
    pub active_to: Option<NaiveDate>,
}

/// Adds a hand-listed queue, or changes its dates.
pub fn save_hand_listed_queue(
    conn: &Connection,
    queue: &HandListedQueue,
) -> Result<(), ImportError> {
    let name = queue.name.trim();
    if name.is_empty() {
        return Err(ImportError::InvalidInput("a queue needs a name".into()));
    }
    if let (Some(from), Some(to)) = (queue.active_from, queue.active_to) {
        if to < from {
            return Err(ImportError::InvalidInput(format!(
                "queue {name:?} cannot stop ({to}) before it starts ({from})"
            )));
        }
    }
    let fmt = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    conn.execute(
        "INSERT INTO queue (name, hand_listed, active_from, active_to) VALUES (?1, 1, ?2, ?3)
         ON CONFLICT(name) DO UPDATE SET hand_listed = 1, active_from = excluded.active_from, active_to = excluded.active_to",
        params![name, fmt(queue.active_from), fmt(queue.active_to)],
    )?;
    Ok(())
}

/// Takes a queue off the hand-listed ones (it stays if rules or items still name it).
pub fn remove_hand_listed_queue(conn: &Connection, name: &str) -> Result<(), ImportError> {
    let changed = conn.execute(
        "UPDATE queue SET hand_listed = 0, active_from = NULL, active_to = NULL WHERE name = ?1 AND hand_listed = 1",
        [name.trim()],
    )?;
    if changed == 0 {
        return Err(ImportError::NotFound(format!(
            "no hand-listed queue named {name:?}"
        )));
    }
    conn.execute(
        "DELETE FROM queue WHERE name = ?1 AND is_primary = 0
           AND NOT EXISTS (SELECT 1 FROM queue_rule WHERE queue = ?1 COLLATE NOCASE)
           AND NOT EXISTS (SELECT 1 FROM work_item WHERE queue = ?1 COLLATE NOCASE)",
        [name.trim()],
    )?;
    Ok(())
}

/// The accounts whose closures count as automated (one per line in the settings).
pub fn automation_accounts(conn: &Connection) -> Result<Vec<String>, rusqlite::Error> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM setting WHERE key = 'automation_accounts'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(value
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Replaces the automation accounts and re-marks the stored items: a resolved item is
/// automated when a tool closed it or its assignee is one of the accounts (any case).
pub fn set_automation_accounts(conn: &Connection, accounts: &[String]) -> Result<(), ImportError> {
    let accounts: Vec<&str> = accounts
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    let lower: Vec<String> = accounts.iter().map(|a| a.to_lowercase()).collect();
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO setting (key, value) VALUES ('automation_accounts', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [accounts.join("\n")],
    )?;
    // Assignees are compared in Rust's lower case (SQLite's lower() knows only ASCII).
    tx.execute(
        "CREATE TEMP TABLE IF NOT EXISTS automation_account (name TEXT PRIMARY KEY)",
        [],
    )?;
    tx.execute("DELETE FROM temp.automation_account", [])?;
    for name in &lower {
        tx.prepare_cached("INSERT OR IGNORE INTO temp.automation_account (name) VALUES (?1)")?
            .execute([name])?;
    }
    let assignees: Vec<String> = {
        let mut stmt = tx.prepare(
            "SELECT DISTINCT assignee FROM work_item WHERE status = 'resolved' AND assignee IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    tx.execute(
        "CREATE TEMP TABLE IF NOT EXISTS automation_assignee (assignee TEXT PRIMARY KEY)",
        [],
    )?;
    tx.execute("DELETE FROM temp.automation_assignee", [])?;
    for assignee in assignees
        .iter()
        .filter(|a| lower.contains(&a.trim().to_lowercase()))
    {
        tx.prepare_cached("INSERT OR IGNORE INTO temp.automation_assignee (assignee) VALUES (?1)")?
            .execute([assignee])?;
    }
    tx.execute(
        "UPDATE work_item SET automated = new.value FROM (
             SELECT w.id, (w.status = 'resolved' AND (w.closed_by_tool = 1 OR a.assignee IS NOT NULL)) AS value
             FROM work_item w LEFT JOIN temp.automation_assignee a ON a.assignee = w.assignee
         ) AS new
         WHERE new.id = work_item.id AND work_item.automated <> new.value",
        [],
    )?;
    tx.execute("DELETE FROM temp.automation_assignee", [])?;
    tx.execute("DELETE FROM temp.automation_account", [])?;
    tx.commit()?;
    Ok(())
}
