//! The one SQLite file that holds everything: opening it, its pragmas and its migrations.
//!
//! Every connection is made here, so the pragmas (WAL, foreign keys, busy timeout) are set in one
//! place. Migrations run on `user_version` and only go forward; a database written by a newer
//! version of Streamline is refused before anything is written to it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode};
use rusqlite_migration::{Migrations, M};

/// The app's identifier: the app-data folder is named after it, by Tauri and by the CLI alike.
pub const APP_IDENTIFIER: &str = "org.streamline.desktop";

/// The environment variable that points the CLI and the app at another database file.
pub const DB_ENV: &str = "STREAMLINE_DB";

const DB_FILE_NAME: &str = "streamline.db";

/// How long a write waits for another process (the app, the CLI) to finish its own.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const MIGRATION_SLICE: &[M<'static>] = &[
    // The plan's tables and the plan as the guidance seeds it, in one step: a new database is
    // never without its plan.
    M::up(concat!(
        include_str!("0001_plan.sql"),
        include_str!("0001_plan_seed.sql")
    )),
    M::up(include_str!("0002_import.sql")),
    M::up(include_str!("0003_automation.sql")),
    M::up(include_str!("0004_report.sql")),
    M::up(include_str!("0005_aggregate.sql")),
];

/// Every schema change, oldest first. Append only: a shipped migration never changes.
pub const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_SLICE);

/// The schema version this build writes (SQLite's `user_version`).
pub const SCHEMA_VERSION: usize = MIGRATION_SLICE.len();

/// Why the database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no app-data folder is known on this system; pass --db PATH or set {DB_ENV}")]
    NoDataFolder,
    #[error("cannot open the database {path}: {reason}")]
    CannotOpen { path: String, reason: String },
    #[error("{path} is not a Streamline database (it is not an SQLite file); nothing was changed")]
    NotADatabase { path: String },
    #[error("the database{} is busy: another program has held it for more than {} s; close it and try again", shown_path(path), BUSY_TIMEOUT.as_secs())]
    Locked { path: String },
    #[error("{path} was written by a newer version of Streamline (schema {found}; this version knows up to {supported}); update Streamline to open it")]
    NewerSchema {
        path: String,
        found: usize,
        supported: usize,
    },
    #[error("the database {path} could not be upgraded: {reason}")]
    Migration { path: String, reason: String },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        classify(err, "")
    }
}

/// " PATH" when the path is known, for messages that name the database.
fn shown_path(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" {path}")
    }
}

/// Turns SQLite's codes into the errors a person can act on.
fn classify(err: rusqlite::Error, path: &str) -> StoreError {
    let path = path.to_owned();
    match err.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked { path },
        Some(
            ErrorCode::CannotOpen
            | ErrorCode::PermissionDenied
            | ErrorCode::ReadOnly
            | ErrorCode::SystemIoFailure,
        ) => StoreError::CannotOpen {
            path,
            reason: err.to_string(),
        },
        _ => StoreError::Sqlite(err),
    }
}

/// The database file to use: `STREAMLINE_DB` if set, else `streamline.db` in the OS's app-data
/// folder for this app (the same folder Tauri's `app_data_dir` names).
pub fn default_db_path() -> Result<PathBuf, StoreError> {
    if let Some(path) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let base = dirs::data_dir().ok_or(StoreError::NoDataFolder)?;
    Ok(base.join(APP_IDENTIFIER).join(DB_FILE_NAME))
}

/// Opens (creating if needed) the database at `path` and brings its schema up to date.
///
/// A file that is not SQLite, or that a newer version wrote, is refused untouched.
pub fn open(path: &Path) -> Result<Connection, StoreError> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(StoreError::CannotOpen {
            path: shown,
            reason: "it is a folder, not a file".into(),
        });
    }
    let conn = Connection::open(path).map_err(|e| classify(e, &shown))?;
    prepare(conn, &shown)
}

/// A private in-memory database with the full schema and the seeded plan: for tests and tools.
pub fn open_in_memory() -> Result<Connection, StoreError> {
    let conn = Connection::open_in_memory()?;
    prepare(conn, ":memory:")
}

fn prepare(mut conn: Connection, shown: &str) -> Result<Connection, StoreError> {
    let fail = |e: rusqlite::Error| classify(e, shown);
    conn.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
    // Reading the header first: a file that is not SQLite fails here, before any write.
    let found: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .map_err(fail)?
        .try_into()
        .unwrap_or(usize::MAX);
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: shown.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(fail)?;
    if shown != ":memory:" {
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(fail)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(fail)?;
        // A larger page cache (64 MiB) keeps the indexes warm during a big import.
        conn.pragma_update(None, "cache_size", -65_536)
            .map_err(fail)?;
    }
    if found > 0 && found < SCHEMA_VERSION && shown != ":memory:" {
        // The plan lives only here: keep the file as it was before changing its schema.
        let copy = PathBuf::from(format!("{shown}.schema-{found}.bak"));
        backup_to(&conn, &copy).map_err(|e| StoreError::Migration {
            path: shown.to_owned(),
            reason: format!("the backup before the upgrade failed, so nothing was changed: {e}"),
        })?;
    }
    if found < SCHEMA_VERSION {
        MIGRATIONS.to_latest(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => classify(err, shown),
            other => StoreError::Migration {
                path: shown.to_owned(),
                reason: other.to_string(),
            },
        })?;
    }
    Ok(conn)
}

/// Copies the database to `dest` with SQLite's online backup: a consistent copy even while the
/// app or an import writes. The copy is written beside `dest` first and then renamed, so a
/// failed backup leaves no half file.
pub fn backup_to(conn: &Connection, dest: &Path) -> Result<(), StoreError> {
    let shown = dest.display().to_string();
    let partial = PathBuf::from(format!("{shown}.partial"));
    let _ = std::fs::remove_file(&partial);
    conn.backup(rusqlite::MAIN_DB, &partial, None)
        .map_err(|e| StoreError::CannotOpen {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
    std::fs::rename(&partial, dest).map_err(|e| StoreError::CannotOpen {
        path: shown,
        reason: e.to_string(),
    })
}

/// Checks that `source` is a Streamline database this version can open (an SQLite file that
/// passes its integrity check, holds the plan, and is not from a newer version); returns its
/// schema version.
pub fn check_backup(source: &Path) -> Result<usize, StoreError> {
    let shown = source.display().to_string();
    if !source.is_file() {
        return Err(StoreError::CannotOpen {
            path: shown,
            reason: "no such file".into(),
        });
    }
    let conn = Connection::open_with_flags(source, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| classify(e, &shown))?;
    let fail = |e: rusqlite::Error| classify(e, &shown);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(fail)?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: shown,
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(fail)?;
    let has_plan: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'objective')",
            [],
            |r| r.get(0),
        )
        .map_err(fail)?;
    if check != "ok" || !has_plan || version == 0 {
        return Err(StoreError::NotADatabase { path: shown });
    }
    Ok(version)
}

/// Replaces everything in the open database with the backup at `source`, after
/// [`check_backup`]; an older backup is brought up to date. The other connections (the app,
/// the CLI) see the restored data at once.
pub fn restore_from(conn: &mut Connection, source: &Path) -> Result<(), StoreError> {
    check_backup(source)?;
    conn.restore(
        rusqlite::MAIN_DB,
        source,
        None::<fn(rusqlite::backup::Progress)>,
    )
    .map_err(|e| classify(e, &source.display().to_string()))?;
    if schema_version(conn)? < SCHEMA_VERSION {
        MIGRATIONS
            .to_latest(conn)
            .map_err(|e| StoreError::Migration {
                path: source.display().to_string(),
                reason: e.to_string(),
            })?;
    }
    Ok(())
}

/// Lets reads use memory-mapped pages: the figures scan every item, and mapping spares a copy
/// per page. Only for reading: an import's memory stays small because it maps nothing.
pub fn map_for_scans(conn: &Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "mmap_size", 1_i64 << 30)?;
    Ok(())
}

/// The schema version stored in the file.
pub fn schema_version(conn: &Connection) -> Result<usize, StoreError> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(usize::try_from(v).unwrap_or(usize::MAX))
}

/// A value from the settings table.
pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}
