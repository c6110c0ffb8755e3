//! The sample data and the dashboard built on it, and the `metrics`/`compare`/`demo` CLI.

mod cli_support;

use std::process::Output;

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use cli_support::streamline as cli;
use streamline::charts::Theme;
use streamline::metrics::{self, Filter, MetricsQuery, Verdict};
use streamline::{dashboard, demo, store};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 4, 10, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    now().date_naive()
}

fn query() -> MetricsQuery {
    MetricsQuery {
        tz: chrono_tz::UTC,
        from: None,
        to: None,
        filter: Filter::default(),
        now: now(),
    }
}

#[test]
fn the_sample_data_tells_the_story_its_milestones_explain() {
    let mut conn = store::open_in_memory().unwrap();
    let summary = demo::load_demo(&mut conn, now(), today()).unwrap();
    assert_eq!(summary.weeks, demo::DEMO_WEEKS);
    assert_eq!(
        summary.first_day.weekday(),
        chrono::Weekday::Mon,
        "the sample starts on a Monday"
    );
    assert!(
        summary.imports.len() >= 5,
        "several formats go through the import path"
    );
    assert!(
        summary.steps_done.contains(&"2a.3".to_string()),
        "AutoIR is among the milestones"
    );

    let m = metrics::weekly(&conn, &query()).unwrap();
    assert_eq!(
        m.weeks.len(),
        demo::DEMO_WEEKS as usize,
        "16 weeks, none of them the current one"
    );
    assert!(
        m.weeks.iter().all(|w| w.complete && w.items > 0),
        "every week has items"
    );
    let (first, last) = (m.start.as_ref().unwrap(), m.end.as_ref().unwrap());
    assert!(
        last.triage.median_s.unwrap() < first.triage.median_s.unwrap() / 2.0,
        "triage got much faster: {:?} → {:?}",
        first.triage.median_s,
        last.triage.median_s
    );
    assert!(
        last.automated_share.unwrap() > first.automated_share.unwrap(),
        "automation closes more"
    );
    assert!(
        m.weeks.last().unwrap().primary_share > m.weeks.first().unwrap().primary_share,
        "the primary queue's share grew"
    );

    let autoir = metrics::compare_milestones(&conn, 4, chrono_tz::UTC, &Filter::default(), now())
        .unwrap()
        .into_iter()
        .find(|c| c.step.as_deref() == Some("2a.3"))
        .expect("AutoIR is compared");
    assert_eq!(
        autoir.triage.verdict,
        Verdict::Improved,
        "{:?}",
        autoir.triage
    );

    let before: i64 = conn
        .query_row("SELECT COUNT(*) FROM work_item", [], |r| r.get(0))
        .unwrap();
    assert!(matches!(
        demo::load_demo(&mut conn, now(), today()),
        Err(demo::DemoError::NotEmpty)
    ));
    let after: i64 = conn
        .query_row("SELECT COUNT(*) FROM work_item", [], |r| r.get(0))
        .unwrap();
    assert_eq!(before, after, "the sample is not loaded twice");
}

#[test]
fn the_dashboard_has_tiles_verdicts_and_charts() {
    let mut conn = store::open_in_memory().unwrap();
    demo::load_demo(&mut conn, now(), today()).unwrap();
    let d = dashboard::dashboard(&conn, &query(), today(), 4, Theme::Light).unwrap();
    let keys: Vec<&str> = d.headline.tiles.iter().map(|t| t.key).collect();
    assert_eq!(keys, ["queues", "triage", "automation"]);
    let triage = &d.headline.tiles[1];
    assert!(
        triage
            .value
            .as_deref()
            .is_some_and(|v| v.ends_with("min") || v.ends_with(" h")),
        "{triage:?}"
    );
    assert!(
        triage
            .change
            .as_deref()
            .is_some_and(|c| c.starts_with("was ")),
        "{triage:?}"
    );
    assert_eq!(triage.trend, Some(metrics::Trend::Better));
    assert!(
        !triage.definition.is_empty(),
        "every figure carries its definition"
    );
    assert_eq!(d.headline.plan.total, 12);
    assert!(
        !d.comparisons.is_empty(),
        "milestones inside the data are compared"
    );
    assert!(
        d.comparisons
            .iter()
            .all(|c| c.before_from >= d.metrics.data_first.unwrap()),
        "only milestones with a whole 'before' window in the data"
    );
    let charts: Vec<&str> = d.charts.iter().map(|c| c.key).collect();
    assert_eq!(
        charts,
        ["queues", "triage", "resolve", "automation", "burnup"]
    );
    for c in &d.charts {
        assert!(
            c.svg.starts_with("<svg") && c.svg.contains("viewBox"),
            "{} is a scalable SVG",
            c.key
        );
    }
    assert!(d.all_queues.iter().any(|q| q == "Defender XDR"));
    assert!(d.imports.imports >= 5);

    let mut xdr_only = query();
    xdr_only.filter.queues = vec!["Defender XDR".into()];
    let filtered = dashboard::dashboard(&conn, &xdr_only, today(), 4, Theme::Dark).unwrap();
    assert!(
        filtered.metrics.overall.items < d.metrics.overall.items,
        "the queue filter applies"
    );
    assert!(
        filtered.metrics.weeks.iter().all(|w| w.active_queues <= 1),
        "one queue shown, at most one active"
    );
}

fn json(out: Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the CLI prints JSON")
}

#[test]
fn the_cli_prints_the_metrics_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = cli(&db, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = cli(&db, &["demo"]);
    assert!(
        !again.status.success(),
        "a second demo into the same database is refused"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds imported exports"));

    let m = json(cli(&db, &["metrics", "--json", "--tz", "UTC"]));
    assert_eq!(m["tz"], "UTC");
    let week = &m["weeks"][0];
    for key in [
        "week",
        "start",
        "items",
        "active_queues",
        "primary_share",
        "automated_share",
        "open_at_end",
        "by_queue",
    ] {
        assert!(week.get(key).is_some(), "weeks[] has {key}");
    }
    for key in ["n", "coverage", "median_s", "p90_s", "mean_s"] {
        assert!(week["triage"].get(key).is_some(), "triage has {key}");
        assert!(week["resolve"].get(key).is_some(), "resolve has {key}");
    }
    assert!(
        week["week"].as_str().unwrap().contains("-W"),
        "ISO week labels"
    );
    let primary = m["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["primary"] == true)
        .unwrap();
    assert_eq!(primary["name"], "Defender XDR");
    assert!(primary["items"].as_u64().unwrap() > 0);
    assert!(m["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["label"] == "Configure AutoIR capabilities"));

    let at = m["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["label"] == "Configure AutoIR capabilities")
        .unwrap()["at"]
        .as_str()
        .unwrap()
        .to_owned();
    let c = json(cli(
        &db,
        &[
            "compare", "--at", &at, "--weeks", "3", "--json", "--tz", "UTC",
        ],
    ));
    assert_eq!(c["weeks"], 3);
    assert_eq!(c["triage"]["verdict"], "improved");
    assert!(c["triage"]["interval_s"]["high"].as_f64().unwrap() < 0.0);

    // A period with no items: figures are null, never 0.
    let empty = json(cli(
        &db,
        &[
            "metrics",
            "--json",
            "--tz",
            "UTC",
            "--from",
            "2001-01-01",
            "--to",
            "2001-01-14",
        ],
    ));
    assert_eq!(empty["weeks"][0]["items"], 0);
    assert!(empty["weeks"][0]["triage"]["median_s"].is_null());
    assert!(empty["weeks"][0]["primary_share"].is_null());

    let bad = cli(&db, &["metrics", "--json", "--tz", "Atlantis/Capital"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a time zone"));
    let bad = cli(&db, &["compare", "--at", "yesterday", "--json"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a date"));
}
