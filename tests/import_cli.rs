//! `streamline import` and `streamline formats`, run as a user runs them.

mod cli_support;
mod import_support;

use cli_support::streamline;
use import_support::*;

fn imports_in(db: &std::path::Path) -> i64 {
    let conn = streamline::store::open(db).unwrap();
    count(&conn, "SELECT COUNT(*) FROM import")
}

#[test]
fn import_prints_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let xdr = fixture("xdr_incidents.csv");
    let sentinel = fixture("sentinel_incidents_dayfirst.csv");
    let out = streamline(
        &db,
        &["import", xdr.to_str().unwrap(), sentinel.to_str().unwrap()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("xdr_incidents.csv"), "{stdout}");
    assert!(stdout.contains("5 read, 0 rejected"), "{stdout}");
    assert!(
        stdout.contains("dmy (read from the data)"),
        "the date order choice is shown: {stdout}"
    );
    assert!(stdout.contains("sha256"), "{stdout}");
    assert_eq!(imports_in(&db), 2);
}

#[test]
fn format_and_date_order_can_be_forced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let file = fixture("sentinel_incidents.csv");
    let out = streamline(
        &db,
        &[
            "import",
            file.to_str().unwrap(),
            "--format",
            "sentinel",
            "--date-order",
            "mdy",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("mdy (chosen with --date-order)"));

    let out = streamline(
        &db,
        &["import", file.to_str().unwrap(), "--date-order", "ymd"],
    );
    assert!(!out.status.success(), "ymd is not an order");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--date-order"));
}

#[test]
fn a_failed_import_exits_non_zero_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let bad = dir.path().join("notes.csv");
    std::fs::write(&bad, "just,some\nnotes,here\n").unwrap();
    let good = fixture("xdr_incidents.csv");
    let out = streamline(
        &db,
        &["import", good.to_str().unwrap(), bad.to_str().unwrap()],
    );
    assert!(!out.status.success(), "an unknown format fails");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("notes.csv") && stderr.contains("line 1"),
        "names the file and line: {stderr}"
    );
    assert_eq!(
        imports_in(&db),
        0,
        "the good file is not imported either: all or nothing"
    );

    let out = streamline(
        &db,
        &["import", good.to_str().unwrap(), "--format", "nonsense"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("streamline formats"));
}

#[test]
fn formats_lists_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = streamline(&dir.path().join("s.db"), &["formats"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    for name in [
        "defender-xdr",
        "graph-alerts",
        "defender-for-cloud",
        "sentinel",
        "splunk-es",
        "thehive",
    ] {
        assert!(stdout.contains(name), "{name} is listed: {stdout}");
    }
}

#[test]
fn rejected_rows_are_listed_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let text = std::fs::read_to_string(fixture("splunk_notables.csv")).unwrap();
    let broken = text.replacen("2025-08-16T14:15:28.096+02:00", "sometime in August", 1);
    let file = dir.path().join("notables.csv");
    std::fs::write(&file, broken).unwrap();
    let out = streamline(&db, &["import", file.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the readable rows are imported");
    assert!(
        stdout.contains("notables.csv line 3: _time: \"sometime in August\" is not a date"),
        "names the file, line and problem: {stdout}"
    );
    assert!(stdout.contains("3 read, 1 rejected"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 row could not be read"));
}
