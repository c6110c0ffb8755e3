//! Writing sightings into `work_item`: one row per identity, merged with what is stored, and
//! the link from the import to every item it carries.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension, Row, ToSql, Transaction};

use super::item::{merge, ItemState, Kind, Severity, Sighting, Status};
use super::queues::QueueRules;

const ITEM_COLUMNS: &str = "id, source, external_id, kind, title, severity, status, queue, queue_signal, \
    created_ms, triaged_ms, resolved_ms, updated_ms, assignee, classification, determination, automated, \
    incident_ref, identity, created_exact, closed_by_tool";

fn stored_from_row(r: &Row) -> rusqlite::Result<(i64, ItemState)> {
    let kind: String = r.get(3)?;
    let severity: String = r.get(5)?;
    let status: String = r.get(6)?;
    Ok((
        r.get(0)?,
        ItemState {
            queue: r.get(7)?,
            sighting: Sighting {
                identity: r.get(18)?,
                source: r.get(1)?,
                external_id: r.get(2)?,
                kind: Kind::parse(&kind).unwrap_or(Kind::Alert),
                title: r.get(4)?,
                severity: Severity::from_name(&severity),
                status: Status::from_name(&status),
                queue_signal: r.get(8)?,
                created_ms: r.get(9)?,
                created_exact: r.get(19)?,
                triaged_ms: r.get(10)?,
                resolved_ms: r.get(11)?,
                updated_ms: r.get(12)?,
                assignee: r.get(13)?,
                classification: r.get(14)?,
                determination: r.get(15)?,
                automated: r.get(16)?,
                incident_ref: r.get(17)?,
                closed_by_tool: r.get(20)?,
            },
        },
    ))
}

/// Writes the items of one import inside its transaction.
pub struct ItemWriter<'t> {
    tx: &'t Transaction<'t>,
    import_id: i64,
    primary: String,
    rules: QueueRules,
    queues_seen: HashSet<String>,
    last_linked: Option<i64>,
}

impl<'t> ItemWriter<'t> {
    pub fn new(tx: &'t Transaction<'t>, import_id: i64) -> rusqlite::Result<Self> {
        Ok(ItemWriter {
            tx,
            import_id,
            primary: super::queues::primary_queue(tx)?.unwrap_or_default(),
            rules: QueueRules::load(tx)?,
            queues_seen: HashSet::new(),
            last_linked: None,
        })
    }

    pub fn write(&mut self, sighting: Sighting) -> rusqlite::Result<()> {
        let queue = self
            .rules
            .queue_for(&sighting.source, &sighting.queue_signal)
            .to_owned();
        if !self.queues_seen.contains(&queue) {
            self.queues_seen.insert(queue.clone());
        }
        let incoming = ItemState { sighting, queue };
        let stored = self
            .tx
            .prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM work_item WHERE identity = ?1"
            ))?
            .query_row([&incoming.sighting.identity], stored_from_row)
            .optional()?;
        let item_id = match stored {
            None => self.insert(&incoming)?,
            Some((id, stored)) => {
                let merged = merge(&stored, incoming, &self.primary);
                if merged != stored {
                    self.update(id, &merged)?;
                }
                id
            }
        };
        // Audit rows of one incident usually come together: link the item once.
        if self.last_linked != Some(item_id) {
            self.tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO item_import (import_id, item_id) VALUES (?1, ?2)",
                )?
                .execute(params![self.import_id, item_id])?;
            self.last_linked = Some(item_id);
        }
        Ok(())
    }

    fn insert(&self, item: &ItemState) -> rusqlite::Result<i64> {
        self.store_item(
            "INSERT INTO work_item (identity, source, external_id, kind, title, severity, status, queue,
                queue_signal, created_ms, triaged_ms, resolved_ms, updated_ms, assignee, classification,
                determination, automated, incident_ref, import_id, first_import_id, changed_by_import_id,
                created_exact, closed_by_tool)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19, ?19,
                ?20, ?21)",
            &item.sighting.identity,
            item,
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    fn update(&self, id: i64, item: &ItemState) -> rusqlite::Result<()> {
        self.store_item(
            "UPDATE work_item SET source = ?2, external_id = ?3, kind = ?4, title = ?5, severity = ?6,
                status = ?7, queue = ?8, queue_signal = ?9, created_ms = ?10, triaged_ms = ?11,
                resolved_ms = ?12, updated_ms = ?13, assignee = ?14, classification = ?15,
                determination = ?16, automated = ?17, incident_ref = ?18, import_id = ?19,
                changed_by_import_id = ?19, created_exact = ?20, closed_by_tool = ?21
             WHERE id = ?1",
            &id,
            item,
        )
    }

    /// Runs an insert or an update of one item: `?1` is the row's key (its identity for an
    /// insert, its id for an update), `?2`…`?21` are the item's fields in one order for both.
    fn store_item(&self, sql: &str, key: &dyn ToSql, item: &ItemState) -> rusqlite::Result<()> {
        let s = &item.sighting;
        self.tx.prepare_cached(sql)?.execute(params![
            key,
            s.source,
            s.external_id,
            s.kind.name(),
            s.title,
            s.severity.name(),
            s.status.name(),
            item.queue,
            s.queue_signal,
            s.created_ms,
            s.triaged_ms,
            s.resolved_ms,
            s.updated_ms,
            s.assignee,
            s.classification,
            s.determination,
            s.automated,
            s.incident_ref,
            self.import_id,
            s.created_exact,
            s.closed_by_tool,
        ])?;
        Ok(())
    }

    /// Rolls alerts up into their incidents, registers new queue names, and counts what this
    /// import added and changed: (new, updated, unchanged).
    pub fn finish(self) -> rusqlite::Result<(i64, i64, i64)> {
        for queue in &self.queues_seen {
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO queue (name) VALUES (?1)")?
                .execute([queue])?;
        }
        link_alerts_to_incidents(self.tx)?;
        let carried: i64 = self.tx.query_row(
            "SELECT COUNT(*) FROM item_import WHERE import_id = ?1",
            [self.import_id],
            |r| r.get(0),
        )?;
        let (new, updated): (i64, i64) = self.tx.query_row(
            "SELECT COUNT(*) FILTER (WHERE first_import_id = ?1),
                    COUNT(*) FILTER (WHERE first_import_id <> ?1)
             FROM work_item WHERE changed_by_import_id = ?1",
            [self.import_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((new, updated, carried - new - updated))
    }
}

/// Points every alert at its incident when that incident is stored (so it is counted there,
/// not on its own), and unpoints those whose incident is gone.
pub(crate) fn link_alerts_to_incidents(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE work_item SET parent_id = (
             SELECT p.id FROM work_item p WHERE p.identity = work_item.incident_ref AND p.kind = 'incident')
         WHERE incident_ref IS NOT NULL
           AND parent_id IS NOT (
             SELECT p.id FROM work_item p WHERE p.identity = work_item.incident_ref AND p.kind = 'incident')",
        [],
    )?;
    Ok(())
}
