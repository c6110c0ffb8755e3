//! Malformed input: every failure names the file, the line and the problem, writes nothing,
//! and nothing panics. Row-level problems reject the row (kept with its line and reason).

mod import_support;

use std::ops::ControlFlow;

use import_support::*;
use rusqlite::Connection;
use streamline::import::{self, ImportError, ImportOptions};

const XDR_HEADER: &str = "Incident name,Incident Id,Tags,Severity,Investigation state,Categories,Impacted assets,Active alerts,Service sources,Detection sources,First activity,Last activity,Last update time,Status,Assigned to,Classification,Determination\n";
const XDR_ROW: &str = "Name,101,,Low,,Execution,1 device,1,Microsoft Defender for Endpoint,EDR,8/20/2025 11:14:37 AM,8/20/2025 2:01:37 PM,8/20/2025 3:42:00 PM,Active,,,\n";

fn nothing_written(conn: &Connection) {
    assert_eq!(
        count(conn, "SELECT COUNT(*) FROM import"),
        0,
        "a failed import leaves no record"
    );
    assert_eq!(
        count(conn, "SELECT COUNT(*) FROM work_item"),
        0,
        "a failed import leaves no item"
    );
    assert_eq!(count(conn, "SELECT COUNT(*) FROM import_rejection"), 0);
}

/// Imports bytes that must fail; returns the message after checking it names the file.
fn failing(name: &str, bytes: &[u8]) -> (ImportError, String) {
    let (_dir, path) = temp_file(name, bytes);
    let mut conn = db();
    let err =
        try_import(&mut conn, &path, &ImportOptions::default()).expect_err("the import fails");
    let message = err.to_string();
    assert!(
        message.contains(name),
        "the error names the file: {message}"
    );
    nothing_written(&conn);
    (err, message)
}

#[test]
fn an_empty_file() {
    let (err, _) = failing("empty.csv", b"");
    assert!(matches!(err, ImportError::Empty { .. }), "{err:?}");
    let (err, _) = failing("blank.csv", b"\r\n \n");
    assert!(
        matches!(err, ImportError::Empty { .. }),
        "only white space is empty too: {err:?}"
    );
}

#[test]
fn a_header_only() {
    let (err, message) = failing("header.csv", XDR_HEADER.as_bytes());
    assert!(
        matches!(err, ImportError::HeaderOnly { line: 1, .. }),
        "{err:?}"
    );
    assert!(message.contains("line 1"), "{message}");
    let (err, _) = failing(
        "empty_graph.json",
        br#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2", "value": []}"#,
    );
    assert!(
        matches!(err, ImportError::Malformed { .. }),
        "a JSON export without alerts: {err:?}"
    );
}

#[test]
fn an_unknown_format() {
    let (err, message) = failing("other.csv", b"a,b,c\n1,2,3\n");
    assert!(matches!(err, ImportError::UnknownFormat { .. }), "{err:?}");
    assert!(
        message.contains("line 1") && message.contains("--format"),
        "says how to go on: {message}"
    );
    let (err, _) = failing("other.json", br#"{"items": [{"x": 1}]}"#);
    assert!(matches!(err, ImportError::UnknownFormat { .. }), "{err:?}");

    let (_dir, path) = temp_file("x.csv", format!("{XDR_HEADER}{XDR_ROW}").as_bytes());
    let mut conn = db();
    let options = ImportOptions {
        format: Some("qradar".into()),
        date_order: None,
    };
    let err = try_import(&mut conn, &path, &options).expect_err("no such format");
    assert!(
        matches!(err, ImportError::UnknownFormatName { .. }),
        "{err:?}"
    );
    nothing_written(&conn);
}

#[test]
fn a_binary_file() {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend((0..2000u32).map(|i| (i * 7 % 256) as u8));
    let (err, message) = failing("picture.csv", &bytes);
    assert!(matches!(err, ImportError::NotText { .. }), "{err:?}");
    assert!(
        message.contains("line 3"),
        "names the line of the first binary byte: {message}"
    );
}

#[test]
fn a_truncated_json_file() {
    let full = std::fs::read(fixture("graph_alerts.json")).unwrap();
    let (err, message) = failing("cut.json", &full[..full.len() / 2]);
    assert!(
        matches!(err, ImportError::Malformed { line, .. } if line > 1),
        "{err:?}"
    );
    assert!(message.contains("not complete"), "{message}");
}

#[test]
fn a_truncated_csv_rejects_its_last_row() {
    let text = format!("{XDR_HEADER}{XDR_ROW}Name,102,,Low,,Exec");
    let (_dir, path) = temp_file("cut.csv", text.as_bytes());
    let mut conn = db();
    let report =
        try_import(&mut conn, &path, &ImportOptions::default()).expect("the whole rows import");
    assert_eq!(report.record.items_new, 1);
    assert_eq!(report.record.rows_rejected, 1);
    assert_eq!(report.rejected[0].line, 3, "the cut row is on line 3");
    assert!(
        report.rejected[0]
            .reason
            .contains("6 fields, the header has 17"),
        "{:?}",
        report.rejected[0]
    );
    assert_eq!(
        import::rejected_rows(&conn, report.record.id, 0, 10).unwrap(),
        report.rejected,
        "the rejected rows are kept with the import"
    );
}

#[test]
fn a_wrong_delimiter() {
    let rows = XDR_ROW.replace(',', ";");
    let (err, message) = failing(
        "semicolons.csv",
        format!("{XDR_HEADER}{rows}{rows}").as_bytes(),
    );
    assert!(
        matches!(
            err,
            ImportError::NothingReadable {
                line: 2,
                rejected: 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        message.contains("separated"),
        "suggests the delimiter: {message}"
    );

    let header = XDR_HEADER.replace(',', "|");
    let (err, message) = failing(
        "pipes.csv",
        format!("{header}{}", XDR_ROW.replace(',', "|")).as_bytes(),
    );
    assert!(matches!(err, ImportError::UnknownFormat { .. }), "{err:?}");
    assert!(message.contains("one column"), "{message}");
}

#[test]
fn an_unparseable_date_rejects_the_row_with_its_line() {
    let bad = XDR_ROW
        .replace("8/20/2025 3:42:00 PM", "last Tuesday")
        .replace(",101,", ",102,");
    let text = format!("{XDR_HEADER}{XDR_ROW}{bad}");
    let (_dir, path) = temp_file("dates.csv", text.as_bytes());
    let mut conn = db();
    let report =
        try_import(&mut conn, &path, &ImportOptions::default()).expect("the good row imports");
    assert_eq!(report.record.items_new, 1);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, 3);
    assert!(
        report.rejected[0]
            .reason
            .contains("\"last Tuesday\" is not a date"),
        "names the value: {}",
        report.rejected[0].reason
    );

    let (err, message) = failing("all_bad.csv", format!("{XDR_HEADER}{bad}").as_bytes());
    assert!(
        matches!(err, ImportError::NothingReadable { line: 2, .. }),
        "{err:?}"
    );
    assert!(message.contains("last Tuesday"), "{message}");
}

#[test]
fn a_day_first_date_in_a_month_first_file() {
    let day_first = XDR_ROW
        .replace("8/20/2025 3:42:00 PM", "20/8/2025 15:42")
        .replace(",101,", ",102,");
    let text = format!("{XDR_HEADER}{XDR_ROW}{day_first}");
    let (_dir, path) = temp_file("mixed.csv", text.as_bytes());
    let mut conn = db();
    let report = try_import(&mut conn, &path, &ImportOptions::default()).unwrap();
    assert_eq!(
        report.rejected.len(),
        1,
        "the file is month-first (line 2 says so); line 3 cannot be"
    );
    assert!(
        report.rejected[0].reason.contains("day-first"),
        "{}",
        report.rejected[0].reason
    );

    let mut conn = db();
    let forced = ImportOptions {
        format: None,
        date_order: Some(import::DateOrder::Dmy),
    };
    let err =
        try_import(&mut conn, &path, &forced).expect_err("day-first reading of 8/20/2025 fails");
    assert!(
        matches!(err, ImportError::NothingReadable { .. }) || err.to_string().contains("line"),
        "{err}"
    );
}

#[test]
fn a_row_with_too_few_columns() {
    let text = format!("{XDR_HEADER}{XDR_ROW}Only,three,fields\n");
    let (_dir, path) = temp_file("short.csv", text.as_bytes());
    let mut conn = db();
    let report = try_import(&mut conn, &path, &ImportOptions::default()).unwrap();
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, 3);
    assert!(
        report.rejected[0].reason.contains("3 fields"),
        "{}",
        report.rejected[0].reason
    );
}

#[test]
fn a_ten_megabyte_line() {
    let huge = "x".repeat(10 * 1024 * 1024);
    let row = XDR_ROW
        .replace("Name,", &format!("{huge},"))
        .replace(",101,", ",102,");
    let text = format!("{XDR_HEADER}{XDR_ROW}{row}");
    let (_dir, path) = temp_file("huge_row.csv", text.as_bytes());
    let mut conn = db();
    let report = try_import(&mut conn, &path, &ImportOptions::default()).unwrap();
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, 3);
    assert!(
        report.rejected[0].reason.contains("KiB long"),
        "{}",
        report.rejected[0].reason
    );

    let (err, message) = failing("huge_header.csv", format!("{huge}\n{XDR_ROW}").as_bytes());
    assert!(
        matches!(err, ImportError::Malformed { line: 1, .. }),
        "{err:?}"
    );
    assert!(message.contains("first line is longer"), "{message}");
}

#[test]
fn a_missing_file() {
    let mut conn = db();
    let path = std::env::temp_dir().join("streamline-no-such-export.csv");
    let err = try_import(&mut conn, &path, &ImportOptions::default()).expect_err("no file");
    assert!(matches!(err, ImportError::Unreadable { .. }), "{err:?}");
    assert!(err.to_string().contains("streamline-no-such-export.csv"));
    nothing_written(&conn);
}

#[test]
fn cancelling_writes_nothing() {
    let mut conn = db();
    let mut calls = 0;
    let err = import::import_file(
        &mut conn,
        &fixture("sentinel_incidents.csv"),
        &ImportOptions::default(),
        now(),
        |p| {
            calls += 1;
            assert!(
                p.bytes_read <= p.bytes_total,
                "progress never passes the total"
            );
            ControlFlow::Break(())
        },
    )
    .expect_err("cancelled");
    assert!(matches!(err, ImportError::Cancelled { .. }), "{err:?}");
    assert_eq!(calls, 1, "the first progress call may cancel");
    nothing_written(&conn);
}

#[test]
fn progress_reaches_the_total() {
    let mut conn = db();
    let mut last = None;
    import::import_file(
        &mut conn,
        &fixture("xdr_incidents_unicode.txt"),
        &ImportOptions::default(),
        now(),
        |p| {
            last = Some(p);
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    let last = last.expect("progress was reported");
    assert_eq!(
        last.bytes_read, last.bytes_total,
        "the last report is the whole file"
    );
    assert_eq!(last.rows_read, 5);
}

#[test]
fn several_files_are_all_or_nothing() {
    let (_dir, bad) = temp_file("bad.csv", b"a,b\n1,2\n");
    let mut conn = db();
    let paths = vec![fixture("xdr_incidents.csv"), bad];
    let err = import::import_files(
        &mut conn,
        &paths,
        &ImportOptions::default(),
        now(),
        |_, _| ControlFlow::Continue(()),
    )
    .expect_err("the second file fails");
    assert!(err.to_string().contains("bad.csv"));
    nothing_written(&conn);
}

#[test]
fn no_mangled_fixture_makes_the_importer_panic() {
    let names = [
        "xdr_incidents.csv",
        "xdr_incidents_unicode.txt",
        "graph_alerts.json",
        "dfc_alerts.csv",
        "sentinel_incidents.csv",
        "splunk_notables.csv",
        "thehive_cases.json",
    ];
    for name in names {
        let bytes = std::fs::read(fixture(name)).unwrap();
        for cut in (0..bytes.len()).step_by(bytes.len() / 23 + 1) {
            let mut mangled = bytes[..cut].to_vec();
            // A stray quote, a NUL and a lone UTF-8 continuation byte in the middle.
            if mangled.len() > 10 {
                let mid = mangled.len() / 2;
                mangled[mid] = [b'"', 0, 0x80][cut % 3];
            }
            let (_dir, path) = temp_file(name, &mangled);
            let mut conn = db();
            // Either result is fine; a panic is not.
            let _ = try_import(&mut conn, &path, &ImportOptions::default());
        }
    }
}

#[test]
fn an_excel_workbook() {
    let mut bytes = b"PK\x03\x04\x14\0\x06\0".to_vec();
    bytes.extend_from_slice(b"[Content_Types].xml");
    let (err, message) = failing("incidents.xlsx", &bytes);
    assert!(
        matches!(err, ImportError::Malformed { line: 1, .. }),
        "{err:?}"
    );
    assert!(
        message.contains("save it from Excel as CSV"),
        "says what to do: {message}"
    );
}
