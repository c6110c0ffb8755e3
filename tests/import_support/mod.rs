//! Shared by the `import_*` integration tests: fixtures, a fresh database, and reading items
//! back as the store holds them.
#![allow(dead_code)]

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use streamline::import::{self, ImportError, ImportOptions, ImportReport};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

pub fn db() -> Connection {
    streamline::store::open_in_memory().expect("an in-memory database always opens")
}

/// The fixed "now" of every test import.
pub fn now() -> DateTime<Utc> {
    "2025-09-01T12:00:00Z".parse().expect("a valid instant")
}

/// UTC epoch milliseconds of an RFC 3339 instant.
pub fn utc(s: &str) -> i64 {
    DateTime::parse_from_rfc3339(s)
        .expect("a valid instant")
        .timestamp_millis()
}

pub fn try_import(
    conn: &mut Connection,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    import::import_file(conn, path, options, now(), |_| ControlFlow::Continue(()))
}

pub fn import_fixture(conn: &mut Connection, name: &str) -> ImportReport {
    try_import(conn, &fixture(name), &ImportOptions::default())
        .unwrap_or_else(|e| panic!("the fixture {name} imports: {e}"))
}

/// A work item as stored, with the fields DESIGN.md lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub source: String,
    pub external_id: String,
    pub kind: String,
    pub title: String,
    pub severity: String,
    pub status: String,
    pub queue: String,
    pub created_ms: Option<i64>,
    pub triaged_ms: Option<i64>,
    pub resolved_ms: Option<i64>,
    pub assignee: Option<String>,
    pub classification: Option<String>,
    pub determination: Option<String>,
    pub automated: bool,
    pub incident_ref: Option<String>,
    pub counted: bool,
}

const ITEM_SQL: &str = "SELECT source, external_id, kind, title, severity, status, queue, created_ms, triaged_ms,
    resolved_ms, assignee, classification, determination, automated, incident_ref, counted, identity FROM work_item";

fn item_from_row(r: &rusqlite::Row) -> rusqlite::Result<(String, Item)> {
    Ok((
        r.get(16)?,
        Item {
            source: r.get(0)?,
            external_id: r.get(1)?,
            kind: r.get(2)?,
            title: r.get(3)?,
            severity: r.get(4)?,
            status: r.get(5)?,
            queue: r.get(6)?,
            created_ms: r.get(7)?,
            triaged_ms: r.get(8)?,
            resolved_ms: r.get(9)?,
            assignee: r.get(10)?,
            classification: r.get(11)?,
            determination: r.get(12)?,
            automated: r.get(13)?,
            incident_ref: r.get(14)?,
            counted: r.get(15)?,
        },
    ))
}

/// The item with this identity (e.g. `xdr-incident:14440`).
pub fn item(conn: &Connection, identity: &str) -> Item {
    conn.query_row(
        &format!("{ITEM_SQL} WHERE identity = ?1"),
        [identity],
        item_from_row,
    )
    .optional()
    .expect("the query runs")
    .unwrap_or_else(|| panic!("an item {identity} is stored"))
    .1
}

/// Every item, by identity: to compare whole stores.
pub fn all_items(conn: &Connection) -> Vec<(String, Item)> {
    let mut stmt = conn
        .prepare(&format!("{ITEM_SQL} ORDER BY identity"))
        .expect("the query prepares");
    let rows = stmt.query_map([], item_from_row).expect("the query runs");
    rows.collect::<Result<_, _>>().expect("rows read")
}

pub fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0))
        .expect("the count runs")
}

/// Writes a file for a test into a temporary folder that lives as long as the returned guard.
pub fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp folder");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("the file is written");
    (dir, path)
}
