//! Importing the SOC's alert exports: detect the format, read the text whatever its encoding,
//! normalise each row into a work item, and upsert it — one transaction per import.
//!
//! The flow is `detect → read → normalise → upsert`, each in its own module:
//! [`format`](mod@format) and [`detect_file`] tell the formats apart, [`read`] gets UTF-8 text out of any
//! encoding, [`dates`] reads every time-stamp shape, `formats/*` normalise one export each,
//! `upsert` merges into the store, [`records`] keeps what each import did, [`queues`] and
//! [`mappings`] hold the user's choices.
//!
//! Nothing here reads the clock except to measure an import's duration: "now" comes in.
//!
//! What the Data view calls: [`detect_file`] (preview: format, encoding, header, first rows)
//! and [`suggest_mapping`] / [`save_mapping`] for an unknown CSV; [`import_file`] with a
//! progress callback that can cancel (a cancel is a rollback); then [`list_imports`],
//! [`rejected_rows`] and [`remove_import`]. Queue settings: [`list_queues`],
//! [`list_queue_rules`] / [`set_queue_rules`] (re-assigns stored items), [`set_primary_queue`],
//! [`save_hand_listed_queue`] / [`remove_hand_listed_queue`]. Every long call is synchronous:
//! run it off the UI thread.

pub mod aggregate;
pub mod dates;
pub mod format;
mod formats;
pub mod item;
pub mod mappings;
pub mod queues;
pub mod read;
pub mod records;
mod run;
mod upsert;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;

pub use dates::{DateOrder, DateOrderFrom};
pub use format::{Format, FormatInfo};
pub use item::{Kind, Severity, Status};
pub use mappings::{
    delete_mapping, list_mappings, mapping_by_name, save_mapping, suggest_mapping, ColumnMapping,
};
pub use queues::{
    automation_accounts, list_queue_rules, list_queues, primary_queue, remove_hand_listed_queue,
    save_hand_listed_queue, set_automation_accounts, set_primary_queue, set_queue_rules,
    HandListedQueue, QueueInfo, QueueRule,
};
pub use records::{
    import_record, list_imports, rejected_rows, remove_import, ImportRecord, Rejection,
};
pub use run::detect_file;

/// Why an import failed. Nothing of the import is written when one of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cannot read the file: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file}: the file is empty")]
    Empty { file: String },
    #[error("{file}: line {line}: the file has a header but no rows")]
    HeaderOnly { file: String, line: u64 },
    #[error("{file}: line 1: not an export Streamline knows ({reason}); name the format with --format (`streamline formats` lists them) or save a column mapping for this header")]
    UnknownFormat { file: String, reason: String },
    #[error("{name:?} is not a format; `streamline formats` lists them")]
    UnknownFormatName { name: String },
    #[error("{file}: line {line}: binary content at byte {offset}; this is not a text export")]
    NotText {
        file: String,
        line: u64,
        offset: u64,
    },
    #[error("{file}: line {line}: {reason}")]
    Malformed {
        file: String,
        line: u64,
        reason: String,
    },
    #[error(
        "{file}: no row could be read ({rejected} rejected); the first, line {line}: {reason}"
    )]
    NothingReadable {
        file: String,
        rejected: u64,
        line: u64,
        reason: String,
    },
    #[error("{file}: the import was cancelled; nothing was written")]
    Cancelled { file: String },
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl From<rusqlite::Error> for ImportError {
    fn from(err: rusqlite::Error) -> Self {
        ImportError::Store(err.into())
    }
}

/// The user's choices for an import; `Default` detects everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ImportOptions {
    /// A format name from `streamline formats`, or `mapping:NAME`; `None` detects it.
    #[serde(default)]
    pub format: Option<String>,
    /// Overrides the day/month order read from the data.
    #[serde(default)]
    pub date_order: Option<DateOrder>,
}

/// How far an import has got. Sent at most about a hundred times per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub rows_read: u64,
}

/// What one import did: its record and the first rejected rows (all of them are stored; see
/// [`rejected_rows`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub record: ImportRecord,
    pub rejected: Vec<Rejection>,
    /// Incidents merged into others (Defender XDR "redirected"): kept, not counted.
    pub redirected: u64,
}

/// What a file looks like before it is imported: for the preview and the column-mapping form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detection {
    /// The format name to import it with, when one was recognised.
    pub format: Option<String>,
    pub title: Option<String>,
    /// Why no format was recognised.
    pub unknown_because: Option<String>,
    pub encoding: &'static str,
    /// For CSV: the delimiter, the header and the first few rows.
    pub delimiter: Option<char>,
    pub header: Vec<String>,
    pub sample_rows: Vec<Vec<String>>,
    /// The day/month order the first rows point to, if they tell.
    pub date_order: Option<DateOrder>,
}

/// Imports one file in one transaction: all of it, or nothing.
///
/// `progress` is called as the file is read (bytes and rows so far); returning
/// `ControlFlow::Break(())` cancels the import, which then writes nothing.
pub fn import_file(
    conn: &mut Connection,
    path: &Path,
    options: &ImportOptions,
    now: DateTime<Utc>,
    mut progress: impl FnMut(Progress) -> ControlFlow<()>,
) -> Result<ImportReport, ImportError> {
    let tx = conn.transaction()?;
    let report = run::import_in_tx(&tx, path, options, now, &mut progress)?;
    tx.commit()?;
    Ok(report)
}

/// Imports several files in one transaction: when one fails, none is written.
/// `progress` gets the index of the file being read.
pub fn import_files(
    conn: &mut Connection,
    paths: &[PathBuf],
    options: &ImportOptions,
    now: DateTime<Utc>,
    mut progress: impl FnMut(usize, Progress) -> ControlFlow<()>,
) -> Result<Vec<ImportReport>, ImportError> {
    let tx = conn.transaction()?;
    let mut reports = Vec::with_capacity(paths.len());
    for (i, path) in paths.iter().enumerate() {
        reports.push(run::import_in_tx(&tx, path, options, now, &mut |p| {
            progress(i, p)
        })?);
    }
    tx.commit()?;
    Ok(reports)
}

/// Every format `--format` accepts, then the saved column mappings.
pub fn list_formats(conn: &Connection) -> Result<Vec<FormatInfo>, ImportError> {
    let mut out: Vec<FormatInfo> = format::BUILT_IN.iter().map(|f| f.info()).collect();
    for mapping in list_mappings(conn)? {
        out.push(FormatInfo {
            name: mapping.format_name(),
            title: format!("Saved column mapping {:?}", mapping.name),
            file: "CSV".into(),
            recognised_by: format!(
                "the header it was saved for ({} columns)",
                mapping.header.len()
            ),
        });
    }
    Ok(out)
}
