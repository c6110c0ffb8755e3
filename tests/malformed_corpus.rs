//! Malformed exports, made here from the project's own fixtures and by hand: each one gets a
//! clear answer (an error naming the file and the problem, or rows rejected with their line and
//! reason), a failed import leaves the database as it was, and nothing panics. Also replays the
//! fuzzers' corpus (fuzz/corpus), so CI catches a regression without fuzzing.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use streamline::import::{self, ImportOptions};
use streamline::{fuzzing, store};

const AGGREGATE_HEADER: &str =
    "streamline_aggregate,week_start,source,product,severity,measure,bucket,count,sum_s";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import")
            .join(name),
    )
    .unwrap()
}

/// (file name, content): at least thirty kinds of broken input.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for name in [
        "xdr_incidents.csv",
        "graph_alerts.json",
        "dfc_alerts.csv",
        "sentinel_incidents.csv",
        "splunk_notables.csv",
        "thehive_cases.json",
        "xdr_incidents_unicode.txt",
    ] {
        let bytes = fixture(name);
        // Cut in the header, in the middle of a row, and one byte short of the end.
        for (what, at) in [
            ("header", 20),
            ("middle", bytes.len() / 2),
            ("end", bytes.len() - 1),
        ] {
            files.push((
                format!("truncated-{what}-{name}"),
                bytes[..at.min(bytes.len())].to_vec(),
            ));
        }
    }
    let sentinel = String::from_utf8(fixture("sentinel_incidents.csv")).unwrap();
    let splunk = String::from_utf8(fixture("splunk_notables.csv")).unwrap();
    let header = splunk.lines().next().unwrap().to_owned();
    let mut deep = "[".repeat(20_000);
    deep.push_str(&"]".repeat(20_000));
    let mut long_line = header.clone();
    long_line.push('\n');
    long_line.push_str(&"x".repeat(10 * 1024 * 1024));
    let zip = {
        let mut z = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
        z.extend((0..4000u32).map(|i| (i * 31 % 251) as u8));
        z
    };
    let binary: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let utf16_no_bom: Vec<u8> = "Incident Id\tIncident name\n1\tx\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let more: Vec<(&str, Vec<u8>)> = vec![
        ("empty.csv", Vec::new()),
        ("whitespace.csv", b"  \n\n\t \r\n".to_vec()),
        ("header-only.csv", format!("{header}\r\n").into_bytes()),
        ("binary.csv", binary),
        ("zip-renamed.csv", zip),
        ("nul-bytes.csv", b"a,b\0,c\n1,\0,3\n".to_vec()),
        ("utf16-without-bom.txt", utf16_no_bom),
        ("deeply-nested.json", deep.into_bytes()),
        ("json-numbers.json", b"[1, 2, 3, 4]".to_vec()),
        ("json-value-not-array.json", br#"{"value": 42}"#.to_vec()),
        (
            "json-truncated-string.json",
            br#"{"value": [{"id": "abc"#.to_vec(),
        ),
        ("wrong-delimiter.csv", splunk.replace(',', ";").into_bytes()),
        (
            "mixed-delimiters.csv",
            splunk.replacen(',', ";", 5).into_bytes(),
        ),
        (
            "duplicate-header.csv",
            format!("{header},{header}\n").into_bytes(),
        ),
        (
            "unbalanced-quote.csv",
            format!("{header}\n\"never closed,1,2\n").into_bytes(),
        ),
        ("ten-mb-line.csv", long_line.into_bytes()),
        (
            "year-99999.csv",
            sentinel.replacen("2025", "99999", 3).into_bytes(),
        ),
        (
            "date-is-words.csv",
            sentinel.replacen("AM", "in the morning", 4).into_bytes(),
        ),
        (
            "numbers-for-text.json",
            br#"{"value":[{"id":1,"createdDateTime":2,"title":3,"severity":4,"status":5}]}"#
                .to_vec(),
        ),
        (
            "too-few-columns.csv",
            format!("{header}\n1,2\n").into_bytes(),
        ),
        (
            "html-page.csv",
            b"<!doctype html><html><body>Sign in</body></html>".to_vec(),
        ),
        // Aggregate files (docs/queries/): a later version, a column missing, every row wrong,
        // and one cut in the middle of a row.
        (
            "aggregate-version-2.csv",
            format!("{AGGREGATE_HEADER}\n2,2025-06-02,sentinel,,high,created,0,4,0\n").into_bytes(),
        ),
        (
            "aggregate-no-sum.csv",
            b"streamline_aggregate,week_start,source,product,severity,measure,bucket,count\n\
              1,2025-06-02,sentinel,,high,created,0,4\n"
                .to_vec(),
        ),
        (
            "aggregate-every-row-wrong.csv",
            format!(
                "{AGGREGATE_HEADER}\n1,2025-06-03,sentinel,,high,created,0,4,0\n\
                 1,2025-06-02,excel,,high,created,0,4,0\n\
                 1,2025-06-02,sentinel,,high,triage,35,2,7200500\n\
                 1,2025-06-02,sentinel,,high,created,0,-4,0\n"
            )
            .into_bytes(),
        ),
        (
            "aggregate-truncated.csv",
            format!("{AGGREGATE_HEADER}\n1,2025-06-02,sentinel,Azure Sentinel,high,triage,35,2,72")
                .into_bytes(),
        ),
    ];
    files.extend(more.into_iter().map(|(n, b)| (n.to_owned(), b)));
    files
}

fn counts(conn: &rusqlite::Connection) -> (i64, i64, i64) {
    let c = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        c("SELECT COUNT(*) FROM work_item"),
        c("SELECT COUNT(*) FROM import"),
        c("SELECT COUNT(*) FROM aggregate_cell"),
    )
}

#[test]
fn every_malformed_file_gets_a_clear_answer_and_a_failure_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = store::open(&dir.path().join("s.db")).unwrap();
    // Something stored first, which no failed import may touch.
    let good = dir.path().join("splunk_notables.csv");
    std::fs::write(&good, fixture("splunk_notables.csv")).unwrap();
    import::import_file(
        &mut conn,
        &good,
        &ImportOptions::default(),
        chrono::Utc::now(),
        |_| ControlFlow::Continue(()),
    )
    .unwrap();

    let files = corpus();
    assert!(
        files.len() >= 30,
        "at least thirty malformed files ({})",
        files.len()
    );
    let (mut failed, mut partly) = (0, 0);
    for (name, bytes) in &files {
        let path: PathBuf = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let before = counts(&conn);
        let result = import::import_file(
            &mut conn,
            &path,
            &ImportOptions::default(),
            chrono::Utc::now(),
            |_| ControlFlow::Continue(()),
        );
        match result {
            Err(err) => {
                failed += 1;
                let message = err.to_string();
                assert!(
                    message.contains(name.as_str()),
                    "{name}: the error names the file: {message}"
                );
                assert!(
                    message.len() > name.len() + 10,
                    "{name}: the error says what is wrong: {message}"
                );
                assert_eq!(
                    counts(&conn),
                    before,
                    "{name}: a failed import writes nothing"
                );
            }
            Ok(report) => {
                // Read in part: whatever could not be read is listed, with its line and why.
                partly += 1;
                for rejection in &report.rejected {
                    assert!(
                        rejection.line > 0 && !rejection.reason.is_empty(),
                        "{name}: {rejection:?}"
                    );
                }
            }
        }
    }
    eprintln!(
        "{} malformed files: {failed} refused, {partly} read in part",
        files.len()
    );
    assert!(
        failed >= 20,
        "most malformed files are refused outright ({failed})"
    );
}

fn corpus_files(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn the_fuzz_corpus_replays_without_a_panic() {
    let any = corpus_files("import_any");
    let each = corpus_files("import_each_format");
    let dates = corpus_files("dates");
    assert!(
        !any.is_empty() && !each.is_empty() && !dates.is_empty(),
        "the corpus is in the repository"
    );
    for input in &any {
        let _ = fuzzing::import_bytes(input, None);
    }
    for input in &each {
        if let Some((first, rest)) = input.split_first() {
            let _ = fuzzing::import_bytes(
                rest,
                Some(fuzzing::FORMATS[usize::from(*first) % fuzzing::FORMATS.len()]),
            );
        }
    }
    for input in &dates {
        fuzzing::read_date(input);
    }
}
