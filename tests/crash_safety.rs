//! Killed during an import, the database opens intact with nothing of that import in it, and
//! takes the same import again.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use chrono::NaiveDate;
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use streamline::generate::{write_export, Scenario};
use streamline::import::Format;

fn export(path: &Path, format: Format, rows: u64, seed: u64) {
    let scenario = Scenario::steady(seed, NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(), 12);
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    write_export(&mut file, format, &scenario, rows, false).unwrap();
}

fn import(db: &Path, file: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_streamline"));
    command
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// What must not change: the counts, and the database's own check.
fn state(db: &Path) -> (String, i64, i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        check,
        count("SELECT COUNT(*) FROM work_item"),
        count("SELECT COUNT(*) FROM import"),
        count("SELECT COUNT(*) FROM item_import"),
    )
}

#[test]
fn an_import_killed_at_random_points_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let small = dir.path().join("splunk.csv");
    let big = dir.path().join("sentinel.csv");
    export(&small, Format::SplunkEs, 300, 1);
    export(&big, Format::Sentinel, 60_000, 2);

    // A first import that every kill must leave as it is.
    assert!(
        import(&db, &small).status().unwrap().success(),
        "the first import works"
    );
    let before = state(&db);
    assert_eq!(before.0, "ok");
    assert!(before.1 > 0);

    // How long the whole import takes here, so the kills land inside it.
    let scratch = dir.path().join("scratch.db");
    let started = Instant::now();
    assert!(import(&scratch, &big).status().unwrap().success());
    let full = started.elapsed();

    let mut rng = ChaCha8Rng::seed_from_u64(20_261_128);
    let mut kills = 0;
    for _ in 0..10 {
        let at = full.mul_f64(rng.random_range(0.03..0.9));
        let mut child = import(&db, &big).spawn().unwrap();
        std::thread::sleep(at);
        let finished_first = child.try_wait().unwrap().is_some();
        assert!(
            !finished_first,
            "the import ran longer than {at:?}; the kill would prove nothing"
        );
        kill(Pid::from_raw(child.id() as i32), Signal::SIGKILL).unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "the importer was killed");
        kills += 1;
        assert_eq!(
            state(&db),
            before,
            "killed after {at:?}: the database is intact and holds nothing of that import"
        );
    }
    assert_eq!(kills, 10);

    assert!(
        import(&db, &big).status().unwrap().success(),
        "the same import goes through afterwards"
    );
    let after = state(&db);
    assert_eq!(after.0, "ok");
    assert!(after.1 > before.1, "the import's items are there now");
    assert_eq!(after.2, before.2 + 1, "one more import is recorded");
    // Full time, for the note: how long the killed import would have taken.
    eprintln!("import of 60,000 Sentinel rows takes {full:?}; killed 10 times inside it");
}
