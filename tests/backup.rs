//! Backups: a consistent copy at any time, a restore that checks what it restores, and a copy
//! before every schema upgrade.

mod cli_support;

use std::path::Path;

use cli_support::streamline as cli;
use streamline::store::{self, StoreError, MIGRATIONS};

fn plan_json(db: &Path) -> serde_json::Value {
    let out = cli(db, &["plan", "--json"]);
    assert!(out.status.success());
    let mut plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // "as of" is today, whichever database.
    plan["as_of"] = serde_json::Value::Null;
    plan
}

fn items(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM work_item", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_backup_restores_the_plan_and_the_items() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    assert!(cli(&db, &["demo"]).status.success());
    assert!(cli(
        &db,
        &[
            "plan",
            "step",
            "2b.4",
            "--status",
            "in_progress",
            "--owner",
            "Kim"
        ]
    )
    .status
    .success());
    let plan = plan_json(&db);
    let count = items(&db);

    let backup = dir.path().join("backup.db");
    let out = cli(&db, &["backup", "--out", &backup.display().to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = cli(&db, &["backup", "--out", &backup.display().to_string()]);
    assert!(!again.status.success(), "a backup never overwrites a file");

    // Later changes, then the restore brings back the backed-up state.
    assert!(cli(&db, &["plan", "step", "2b.4", "--status", "done"])
        .status
        .success());
    let out = cli(&db, &["restore", &backup.display().to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(plan_json(&db), plan, "the plan is as it was backed up");
    assert_eq!(items(&db), count, "every item is back");
}

#[test]
fn a_restore_refuses_what_is_not_a_streamline_backup_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    assert!(cli(&db, &["plan", "name", "Before"]).status.success());
    let plan = plan_json(&db);

    let text = dir.path().join("notes.db");
    std::fs::write(&text, b"not a database at all\n".repeat(100)).unwrap();
    let out = cli(&db, &["restore", &text.display().to_string()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Streamline database"));

    let other = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 1;")
        .unwrap();
    let out = cli(&db, &["restore", &other.display().to_string()]);
    assert!(
        !out.status.success(),
        "an SQLite file without the plan is not a backup"
    );

    let newer = dir.path().join("newer.db");
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("CREATE TABLE objective (x); PRAGMA user_version = 999;")
        .unwrap();
    let out = cli(&db, &["restore", &newer.display().to_string()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer version"));

    let out = cli(
        &db,
        &[
            "restore",
            &dir.path().join("missing.db").display().to_string(),
        ],
    );
    assert!(!out.status.success());

    assert_eq!(
        plan_json(&db),
        plan,
        "no refused restore changed the database"
    );
}

#[test]
fn an_upgrade_keeps_a_copy_of_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        MIGRATIONS.to_version(&mut conn, 1).unwrap();
        conn.execute(
            "UPDATE setting SET value = 'Old program' WHERE key = 'program_name'",
            [],
        )
        .unwrap();
    }
    store::open(&path).unwrap();
    let copy = dir.path().join("old.db.schema-1.bak");
    assert!(copy.exists(), "a copy is made before the upgrade");
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "the copy is the database before the upgrade");
    let name: String = conn
        .query_row(
            "SELECT value FROM setting WHERE key = 'program_name'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "Old program");
    assert!(
        matches!(store::check_backup(&copy), Ok(1)),
        "the copy can be restored"
    );
    assert!(matches!(
        store::check_backup(dir.path()),
        Err(StoreError::CannotOpen { .. })
    ));
}
