//! Entry points for the fuzz targets (`fuzz/`) and for the test that replays their corpus: the
//! path a user's file takes, on arbitrary bytes. An error is an answer; a panic is a bug.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::path::PathBuf;

use crate::import::dates::{order_evidence, DateReader};
use crate::import::{self, DateOrder, ImportError, ImportOptions, ImportReport};

/// Every built-in format, by the name `--format` takes.
pub const FORMATS: [&str; 7] = [
    "defender-xdr",
    "graph-alerts",
    "defender-for-cloud",
    "sentinel",
    "splunk-es",
    "thehive",
    "aggregate",
];

thread_local! {
    // One scratch file per thread: the importers read files, as they do for the user.
    static SCRATCH: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

fn scratch_path() -> PathBuf {
    SCRATCH.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                std::env::temp_dir().join(format!(
                    "streamline-fuzz-{}-{:?}.input",
                    std::process::id(),
                    std::thread::current().id()
                ))
            })
            .clone()
    })
}

/// Imports `data` as an export file into a new in-memory database, detecting the format or
/// forcing `format`.
pub fn import_bytes(data: &[u8], format: Option<&str>) -> Result<ImportReport, ImportError> {
    let path = scratch_path();
    std::fs::write(&path, data).map_err(|e| ImportError::InvalidInput(e.to_string()))?;
    let mut conn = crate::store::open_in_memory()?;
    let options = ImportOptions {
        format: format.map(str::to_owned),
        date_order: None,
    };
    let now = chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
    let result = import::import_file(&mut conn, &path, &options, now, |_| {
        ControlFlow::Continue(())
    });
    let _ = std::fs::remove_file(&path);
    result
}

/// Reads `data` as a date in both day/month orders, and as evidence for the order.
pub fn read_date(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = order_evidence(text);
        for order in [DateOrder::Mdy, DateOrder::Dmy] {
            let _ = DateReader::new(order).read(text);
        }
    }
}
