//! The database file: migrations, pragmas, and refusing files it must not touch.

use streamline::store::{self, StoreError, MIGRATIONS, SCHEMA_VERSION};

#[test]
fn migrations_are_valid() {
    MIGRATIONS
        .validate()
        .expect("every migration applies to an empty database");
}

#[test]
fn a_new_database_is_at_the_latest_schema_with_its_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let conn = store::open(&dir.path().join("new.db")).unwrap();
    assert_eq!(
        store::schema_version(&conn).unwrap(),
        SCHEMA_VERSION,
        "a new file is brought to the latest schema"
    );
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        journal, "wal",
        "the app and the CLI read while the other writes"
    );
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1, "foreign keys are enforced");
}

#[test]
fn a_database_of_the_first_schema_version_opens_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        MIGRATIONS.to_version(&mut conn, 1).unwrap();
        conn.execute("UPDATE step SET status = 'done', done_date = '2025-07-14' WHERE objective_id = '2a' AND position = 3", [])
            .unwrap();
        conn.execute(
            "INSERT INTO objective (id, title, position) VALUES ('3', 'Our own objective', 4)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO audit_log (at, entity, entity_id, action, field, old_value, new_value, source)
             VALUES ('2025-07-14T09:00:00.000Z', 'step', '2a.3', 'edit', 'status', 'not_started', 'done', 'app')",
            [],
        )
        .unwrap();
    }
    let conn = store::open(&path).unwrap();
    assert_eq!(
        store::schema_version(&conn).unwrap(),
        SCHEMA_VERSION,
        "the old file is upgraded"
    );
    let done: String = conn
        .query_row(
            "SELECT done_date FROM step WHERE objective_id = '2a' AND position = 3",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(done, "2025-07-14", "a step's state survives the upgrade");
    let objectives: i64 = conn
        .query_row("SELECT COUNT(*) FROM objective", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        objectives, 4,
        "the user's own objective survives the upgrade"
    );
    let audit: i64 = conn
        .query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audit, 1, "the audit log survives the upgrade");
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 999;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    match store::open(&path) {
        Err(StoreError::NewerSchema {
            found, supported, ..
        }) => {
            assert_eq!(found, 999);
            assert_eq!(supported, SCHEMA_VERSION);
        }
        other => panic!("a newer schema is refused, got {other:?}"),
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the newer file is not changed"
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    let content = b"Quarterly notes: not a database at all.\n".repeat(300);
    std::fs::write(&path, &content).unwrap();
    let err = store::open(&path).expect_err("a text file is not a database");
    assert!(
        matches!(err, StoreError::NotADatabase { .. }),
        "the error says what is wrong: {err:?}"
    );
    assert!(err.to_string().contains("not an SQLite file"), "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        content,
        "the file is not changed"
    );
    assert!(
        !dir.path().join("notes.db-wal").exists(),
        "no journal is left beside it"
    );
}

#[test]
fn a_folder_is_not_a_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = store::open(dir.path()).expect_err("a folder cannot be opened as the database");
    assert!(matches!(err, StoreError::CannotOpen { .. }), "{err:?}");
}

#[test]
fn the_env_variable_chooses_the_database() {
    // The only test that touches STREAMLINE_DB in this binary, so no other test races it.
    std::env::set_var(store::DB_ENV, "/tmp/somewhere/else.db");
    assert_eq!(
        store::default_db_path().unwrap(),
        std::path::PathBuf::from("/tmp/somewhere/else.db")
    );
    std::env::remove_var(store::DB_ENV);
    let default = store::default_db_path().unwrap();
    assert!(
        default.ends_with(format!("{}/streamline.db", store::APP_IDENTIFIER)),
        "the default lives in the app's own data folder: {}",
        default.display()
    );
}

#[test]
fn a_database_of_every_earlier_schema_version_opens_and_keeps_every_row() {
    for version in 1..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("v{version}.db"));
        let mut expected = Vec::new();
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            MIGRATIONS.to_version(&mut conn, version).unwrap();
            conn.execute(
                "UPDATE step SET status = 'done', done_date = '2025-07-14' WHERE id = 7",
                [],
            )
            .unwrap();
            conn.execute(
                "UPDATE accountability SET person = 'Alex Morgan' WHERE position = 1",
                [],
            )
            .unwrap();
            if version >= 2 {
                conn.execute(
                    "INSERT INTO import (file_name, size_bytes, sha256, format, rows_read, items_new, items_updated,
                         items_unchanged, rows_rejected, duration_ms, imported_at_ms)
                     VALUES ('old.csv', 10, 'abc', 'splunk-es', 1, 1, 0, 0, 0, 5, 1750000000000)",
                    [],
                )
                .unwrap();
                conn.execute(
                    "INSERT INTO work_item (identity, source, external_id, kind, severity, status, queue, created_ms,
                         import_id, first_import_id, changed_by_import_id)
                     VALUES ('splunk-es:1', 'splunk-es', '1', 'incident', 'high', 'new', 'Splunk ES', 1750000000000, 1, 1, 1)",
                    [],
                )
                .unwrap();
                conn.execute(
                    "INSERT INTO item_import (import_id, item_id) VALUES (1, 1)",
                    [],
                )
                .unwrap();
            }
            if version >= 5 {
                conn.execute(
                    "INSERT INTO aggregate_cell (import_id, source, week_start, product, severity, queue,
                         measure, bucket, count, sum_s)
                     VALUES (1, 'sentinel', '2025-06-02', 'Azure Sentinel', 'high', 'Microsoft Sentinel',
                         'triage', 35, 4, 16000.0)",
                    [],
                )
                .unwrap();
            }
            for table in [
                "objective",
                "step",
                "accountability",
                "audit_log",
                "setting",
                "import",
                "work_item",
                "item_import",
                "queue",
                "queue_rule",
                "aggregate_cell",
            ] {
                let exists: bool = conn
                    .query_row(
                        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?1)",
                        [table],
                        |r| r.get(0),
                    )
                    .unwrap();
                if exists {
                    let n: i64 = conn
                        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
                        .unwrap();
                    expected.push((table, n));
                }
            }
        }
        let conn = store::open(&path)
            .unwrap_or_else(|e| panic!("a version {version} database opens: {e}"));
        assert_eq!(store::schema_version(&conn).unwrap(), SCHEMA_VERSION);
        for (table, n) in expected {
            let now: i64 = conn
                .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
                .unwrap();
            // Later migrations may seed rows of their own (settings, queues); none is lost.
            assert!(
                now >= n,
                "version {version}: every row of {table} is kept ({n} before, {now} after)"
            );
        }
        let done: String = conn
            .query_row("SELECT done_date FROM step WHERE id = 7", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            done, "2025-07-14",
            "version {version}: the plan's state is kept"
        );
        assert!(
            dir.path()
                .join(format!("v{version}.db.schema-{version}.bak"))
                .exists(),
            "version {version}: a copy was made before the upgrade"
        );
    }
}
