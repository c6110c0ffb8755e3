//! The seeded generator: the same seed writes the same bytes, every format it writes imports
//! without a rejected row, and the demo scenario shows its trends once imported.

mod import_support;

use std::ops::ControlFlow;

use chrono::NaiveDate;
use import_support::*;
use rusqlite::Connection;
use streamline::generate::{self, Scenario};
use streamline::import::{self, DateOrder, Format, ImportOptions};

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 2).expect("a date")
}

fn generated(format: Format, scenario: &Scenario, rows: u64, unicode: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    let written =
        generate::write_export(&mut bytes, format, scenario, rows, unicode).expect("generated");
    assert_eq!(
        written,
        rows,
        "{} writes exactly the rows asked for",
        format.name()
    );
    bytes
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let scenario = Scenario::demo(7, start(), 4);
    let a = generated(Format::Sentinel, &scenario, 300, false);
    let b = generated(Format::Sentinel, &scenario, 300, false);
    assert_eq!(a, b, "seeded: reproducible");
    let other = Scenario::demo(8, start(), 4);
    assert_ne!(
        generated(Format::Sentinel, &other, 300, false),
        a,
        "another seed, other data"
    );
}

#[test]
fn every_format_imports_without_rejections() {
    let scenario = Scenario::steady(42, start(), 6);
    let cases = [
        (Format::DefenderXdr, false, "xdr.csv"),
        (Format::DefenderXdr, true, "xdr.txt"),
        (Format::GraphAlerts, false, "graph.json"),
        (Format::DefenderForCloud, false, "dfc.csv"),
        (Format::Sentinel, false, "sentinel.csv"),
        (Format::SplunkEs, false, "splunk.csv"),
        (Format::TheHive, false, "thehive.json"),
    ];
    for (format, unicode, name) in cases {
        let (_dir, path) = temp_file(name, &generated(format, &scenario, 500, unicode));
        let mut conn = db();
        let report = try_import(&mut conn, &path, &ImportOptions::default())
            .unwrap_or_else(|e| panic!("generated {name} imports: {e}"));
        assert_eq!(
            report.record.format,
            format.name(),
            "{name} is detected as what it is"
        );
        assert_eq!(report.record.rows_read, 500, "{name}");
        assert_eq!(
            report.record.rows_rejected,
            0,
            "{name}: {:?}",
            report.rejected.first()
        );
        assert!(report.record.items_new > 0, "{name}");
        let out_of_range = count(
            &conn,
            &format!(
                "SELECT COUNT(*) FROM work_item WHERE created_ms < {} OR created_ms > {}",
                scenario.start_ms() - 86_400_000,
                scenario.end_ms()
            ),
        );
        assert_eq!(
            out_of_range, 0,
            "{name}: every item is created within the scenario"
        );
        let negative = count(&conn, "SELECT COUNT(*) FROM work_item WHERE triaged_ms < created_ms OR resolved_ms < created_ms");
        assert_eq!(
            negative, 0,
            "{name}: no item is triaged or resolved before it exists"
        );
    }
}

#[test]
fn a_day_first_sentinel_export_is_read_day_first() {
    let mut scenario = Scenario::steady(3, start(), 3);
    scenario.date_order = DateOrder::Dmy;
    let (_dir, path) = temp_file(
        "gb.csv",
        &generated(Format::Sentinel, &scenario, 200, false),
    );
    let mut conn = db();
    let report = try_import(&mut conn, &path, &ImportOptions::default()).unwrap();
    assert_eq!(report.record.date_order, Some(DateOrder::Dmy));
    assert_eq!(report.record.rows_rejected, 0);
}

fn median(conn: &Connection, sql: &str) -> f64 {
    let mut stmt = conn.prepare(sql).unwrap();
    let mut values: Vec<f64> = stmt
        .query_map([], |r| r.get::<_, f64>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!values.is_empty(), "values for {sql}");
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[test]
fn the_demo_tells_its_story_once_imported() {
    let scenario = Scenario::demo(2025, start(), 16);
    let dir = tempfile::tempdir().unwrap();
    let files = generate::write_demo(dir.path(), &scenario, 3000).unwrap();
    assert_eq!(files.len(), 6, "one file per format");
    let mut conn = db();
    let reports = import::import_files(
        &mut conn,
        &files,
        &ImportOptions::default(),
        now(),
        |_, _| ControlFlow::Continue(()),
    )
    .unwrap();
    for r in &reports {
        assert_eq!(
            r.record.rows_rejected,
            0,
            "{}: {:?}",
            r.record.file_name,
            r.rejected.first()
        );
    }
    let rows: i64 = reports.iter().map(|r| r.record.rows_read).sum();
    let items = count(&conn, "SELECT COUNT(*) FROM work_item");
    assert!(
        items < rows,
        "exports overlap: {items} items from {rows} rows"
    );
    assert!(
        count(
            &conn,
            "SELECT COUNT(*) FROM work_item WHERE kind = 'alert' AND NOT counted"
        ) > 0,
        "alerts roll up into their incidents"
    );

    let milestone = scenario.trends.triage_milestone_ms.unwrap();
    let triage = |cmp: &str| {
        median(
            &conn,
            &format!(
                "SELECT triaged_ms - created_ms FROM work_item WHERE counted AND NOT automated
                 AND triaged_ms IS NOT NULL AND created_ms {cmp} {milestone}"
            ),
        )
    };
    let (before, after) = (triage("<"), triage(">="));
    assert!(
        after < before / 2.0,
        "triage gets faster after the milestone: {before} ms → {after} ms"
    );

    let unified = scenario.trends.cloud_unified_from_ms.unwrap();
    let in_xdr = |cmp: &str| {
        count(
            &conn,
            &format!(
                "SELECT COUNT(*) FROM work_item WHERE identity LIKE 'dfc-alert:%' AND queue = 'Defender XDR'
                 AND created_ms {cmp} {unified}"
            ),
        )
    };
    assert_eq!(
        in_xdr("<"),
        0,
        "before it is connected, Defender for Cloud has its own queue"
    );
    assert!(
        in_xdr(">=") > 0,
        "after, its alerts are worked in the unified queue"
    );

    let automated = |from: i64, to: i64| {
        let closed = count(&conn, &format!("SELECT COUNT(*) FROM work_item WHERE counted AND status = 'resolved' AND created_ms BETWEEN {from} AND {to}"));
        let auto = count(&conn, &format!("SELECT COUNT(*) FROM work_item WHERE counted AND automated AND created_ms BETWEEN {from} AND {to}"));
        auto as f64 / closed as f64
    };
    let quarter = (scenario.end_ms() - scenario.start_ms()) / 4;
    let first = automated(scenario.start_ms(), scenario.start_ms() + quarter);
    let last = automated(scenario.end_ms() - quarter, scenario.end_ms());
    assert!(
        last > first + 0.1,
        "automation closes a rising share: {first:.2} → {last:.2}"
    );
}

#[test]
fn progress_is_throttled_and_reaches_the_end() {
    let scenario = Scenario::steady(5, start(), 8);
    let (_dir, path) = temp_file(
        "big.csv",
        &generated(Format::Sentinel, &scenario, 30_000, false),
    );
    let mut conn = db();
    let mut seen = Vec::new();
    let report = import::import_file(&mut conn, &path, &ImportOptions::default(), now(), |p| {
        seen.push(p);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(report.record.rows_read, 30_000);
    assert!(
        seen.len() >= 10,
        "the UI sees the import move: {} reports",
        seen.len()
    );
    assert!(
        seen.len() <= 110,
        "about one report per 1% of the file, not per row: {}",
        seen.len()
    );
    assert!(
        seen.windows(2).all(|w| w[0].bytes_read <= w[1].bytes_read),
        "progress only goes forward"
    );
    let last = seen.last().unwrap();
    assert_eq!(
        (last.bytes_read, last.rows_read),
        (last.bytes_total, 30_000),
        "the last report is the end"
    );
}

#[test]
fn cancelling_half_way_writes_nothing() {
    let scenario = Scenario::steady(6, start(), 8);
    let (_dir, path) = temp_file(
        "big.json",
        &generated(Format::GraphAlerts, &scenario, 3_000, false),
    );
    let mut conn = db();
    let err = import::import_file(&mut conn, &path, &ImportOptions::default(), now(), |p| {
        if p.bytes_read * 2 > p.bytes_total {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .expect_err("cancelled half way");
    assert!(
        matches!(err, import::ImportError::Cancelled { .. }),
        "{err:?}"
    );
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM work_item"),
        0,
        "cancel is a rollback"
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM import"), 0);
}

#[test]
fn the_demo_names_the_days_its_trends_turn() {
    let scenario = Scenario::demo(1, start(), 16);
    let days = scenario.milestone_days();
    let faster = days.faster_triage.expect("the demo has a triage milestone");
    let unified = days
        .cloud_unified
        .expect("the demo connects Defender for Cloud");
    assert!(
        start() < faster && faster < unified,
        "AutoIR first, then Defender for Cloud: {faster}, {unified}"
    );
    assert!(
        unified < start() + chrono::Days::new(16 * 7),
        "both within the 16 weeks"
    );
    assert_eq!(
        Scenario::steady(1, start(), 4)
            .milestone_days()
            .faster_triage,
        None,
        "a steady SOC has none"
    );
}
