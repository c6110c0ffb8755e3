//! The record each import leaves: what file, what it held, what was refused and why; and
//! removing an import with the items only it carries.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::dates::{DateOrder, DateOrderFrom};
use super::upsert::link_alerts_to_incidents;
use super::ImportError;

/// One import, as listed in the Data view and printed by `streamline import`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRecord {
    pub id: i64,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub format: String,
    pub date_order: Option<DateOrder>,
    pub date_order_from: Option<DateOrderFrom>,
    pub rows_read: i64,
    pub items_new: i64,
    pub items_updated: i64,
    pub items_unchanged: i64,
    pub rows_rejected: i64,
    pub duration_ms: i64,
    pub imported_at_ms: i64,
    /// Work items stored now that this import carries.
    pub items_carried: i64,
    /// Cells of weekly figures an aggregate file brought (0 for an export of items).
    pub aggregate_cells: i64,
}

/// A row the import could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub line: u64,
    pub reason: String,
}

const RECORD_COLUMNS: &str =
    "id, file_name, size_bytes, sha256, format, date_order, date_order_from, rows_read, \
    items_new, items_updated, items_unchanged, rows_rejected, duration_ms, imported_at_ms, \
    (SELECT COUNT(*) FROM item_import ii WHERE ii.import_id = import.id), \
    (SELECT COUNT(*) FROM aggregate_cell ac WHERE ac.import_id = import.id)";

fn record_from_row(r: &Row) -> rusqlite::Result<ImportRecord> {
    let order: Option<String> = r.get(5)?;
    let from: Option<String> = r.get(6)?;
    Ok(ImportRecord {
        id: r.get(0)?,
        file_name: r.get(1)?,
        size_bytes: r.get(2)?,
        sha256: r.get(3)?,
        format: r.get(4)?,
        date_order: order.as_deref().and_then(DateOrder::parse),
        date_order_from: match from.as_deref() {
            Some("data") => Some(DateOrderFrom::Data),
            Some("user") => Some(DateOrderFrom::User),
            Some("assumed") => Some(DateOrderFrom::Assumed),
            _ => None,
        },
        rows_read: r.get(7)?,
        items_new: r.get(8)?,
        items_updated: r.get(9)?,
        items_unchanged: r.get(10)?,
        rows_rejected: r.get(11)?,
        duration_ms: r.get(12)?,
        imported_at_ms: r.get(13)?,
        items_carried: r.get(14)?,
        aggregate_cells: r.get(15)?,
    })
}

/// Every import, newest first.
pub fn list_imports(conn: &Connection) -> Result<Vec<ImportRecord>, ImportError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {RECORD_COLUMNS} FROM import ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([], record_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn import_record(conn: &Connection, id: i64) -> Result<ImportRecord, ImportError> {
    conn.query_row(
        &format!("SELECT {RECORD_COLUMNS} FROM import WHERE id = ?1"),
        [id],
        record_from_row,
    )
    .optional()?
    .ok_or_else(|| ImportError::NotFound(format!("no import {id}")))
}

/// The rows an import rejected, by line; at most `limit` of them from `offset`.
pub fn rejected_rows(
    conn: &Connection,
    import_id: i64,
    offset: u64,
    limit: u64,
) -> Result<Vec<Rejection>, ImportError> {
    import_record(conn, import_id)?;
    let mut stmt = conn.prepare(
        "SELECT line, reason FROM import_rejection WHERE import_id = ?1 ORDER BY line LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(
        params![
            import_id,
            i64::try_from(limit).unwrap_or(i64::MAX),
            i64::try_from(offset).unwrap_or(i64::MAX)
        ],
        |r| {
            Ok(Rejection {
                line: r.get::<_, i64>(0)?.try_into().unwrap_or(0),
                reason: r.get(1)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Removes an import: its record, its rejected rows, its aggregate cells (an older import's
/// cells for the same groups count again), and the items no other import carries. Returns how
/// many items went.
pub fn remove_import(conn: &mut Connection, import_id: i64) -> Result<u64, ImportError> {
    let tx = conn.transaction()?;
    if tx.query_row(
        "SELECT COUNT(*) FROM import WHERE id = ?1",
        [import_id],
        |r| r.get::<_, i64>(0),
    )? == 0
    {
        return Err(ImportError::NotFound(format!("no import {import_id}")));
    }
    let removed = tx.execute(
        "DELETE FROM work_item WHERE id IN (SELECT item_id FROM item_import WHERE import_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM item_import o WHERE o.item_id = work_item.id AND o.import_id <> ?1)",
        [import_id],
    )?;
    tx.execute("DELETE FROM item_import WHERE import_id = ?1", [import_id])?;
    tx.execute(
        "DELETE FROM aggregate_cell WHERE import_id = ?1",
        [import_id],
    )?;
    // Items that stay keep their state; they now come from the latest import still carrying them.
    tx.execute(
        "UPDATE work_item SET import_id = (SELECT MAX(import_id) FROM item_import WHERE item_id = work_item.id)
         WHERE import_id = ?1",
        [import_id],
    )?;
    tx.execute("DELETE FROM import WHERE id = ?1", [import_id])?;
    link_alerts_to_incidents(&tx)?;
    tx.commit()?;
    Ok(removed as u64)
}
