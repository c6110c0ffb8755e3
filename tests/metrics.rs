//! The metric engine against values worked out by hand from small fixtures.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rusqlite::{params, Connection};
use streamline::metrics::{
    self, compare, percentile, CompareQuery, Filter, MetricsQuery, Verdict, WeekFigures,
};
use streamline::plan::{self, Stamp, StepEdit, StepStatus};
use streamline::store;

const H: i64 = 3_600_000;
const MIN: i64 = 60_000;
const DAY: i64 = 24 * H;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .timestamp_millis()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// One work item as the importer would store it.
struct Fixture<'a> {
    queue: &'a str,
    severity: &'a str,
    created: Option<i64>,
    triaged: Option<i64>,
    resolved: Option<i64>,
    automated: bool,
}

impl Default for Fixture<'_> {
    fn default() -> Self {
        Fixture {
            queue: "Defender XDR",
            severity: "medium",
            created: None,
            triaged: None,
            resolved: None,
            automated: false,
        }
    }
}

fn insert(conn: &Connection, items: &[Fixture<'_>]) {
    let base: i64 = conn
        .query_row("SELECT COUNT(*) FROM work_item", [], |r| r.get(0))
        .unwrap();
    for (i, f) in items.iter().enumerate() {
        let status = if f.resolved.is_some() {
            "resolved"
        } else {
            "new"
        };
        conn.execute(
            "INSERT INTO work_item (identity, source, external_id, kind, severity, status, queue, created_ms,
                 triaged_ms, resolved_ms, automated, import_id, first_import_id, changed_by_import_id)
             VALUES (?1, 'test', ?1, 'incident', ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, 0, 0)",
            params![
                format!("test:{}", base + i as i64),
                f.severity,
                status,
                f.queue,
                f.created,
                f.triaged,
                f.resolved,
                f.automated
            ],
        )
        .unwrap();
    }
}

fn query(tz: &str) -> MetricsQuery {
    MetricsQuery {
        tz: metrics::parse_time_zone(tz).unwrap(),
        from: None,
        to: None,
        filter: Filter::default(),
        now: Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap(),
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap()
}

#[test]
fn percentiles_interpolate_between_closest_ranks() {
    assert_eq!(percentile(&[], 0.5), None, "no data, no median");
    assert_eq!(
        percentile(&[42.0], 0.9),
        Some(42.0),
        "a single item is every percentile"
    );
    assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
    assert_eq!(
        percentile(&[1.0, 2.0, 3.0, 4.0], 0.9),
        Some(3.7),
        "PERCENTILE.INC({{1,2,3,4}}, 0.9)"
    );
    assert_eq!(percentile(&[5.0, 5.0, 5.0, 10.0], 0.5), Some(5.0), "ties");
    assert_eq!(
        percentile(&[5.0, 5.0, 5.0, 10.0], 0.9),
        Some(8.5),
        "ties, then interpolation"
    );
}

/// Week 2025-W23 (Jun 2–8) holds four items, W24 none, W25 one.
fn three_weeks(conn: &Connection) {
    insert(
        conn,
        &[
            Fixture {
                created: Some(utc(2025, 6, 2, 10, 0)),
                triaged: Some(utc(2025, 6, 2, 11, 0)),
                resolved: Some(utc(2025, 6, 2, 12, 0)),
                automated: true,
                ..Default::default()
            },
            Fixture {
                severity: "high",
                created: Some(utc(2025, 6, 3, 10, 0)),
                triaged: Some(utc(2025, 6, 3, 13, 0)),
                resolved: Some(utc(2025, 6, 3, 15, 0)),
                ..Default::default()
            },
            Fixture {
                queue: "Microsoft Sentinel",
                created: Some(utc(2025, 6, 4, 12, 0)),
                ..Default::default()
            },
            Fixture {
                queue: "Microsoft Sentinel",
                created: Some(utc(2025, 6, 5, 0, 0)),
                // Triaged an hour before it was created: a data problem, not a duration.
                triaged: Some(utc(2025, 6, 4, 23, 0)),
                resolved: Some(utc(2025, 6, 6, 0, 0)),
                ..Default::default()
            },
            Fixture {
                created: Some(utc(2025, 6, 16, 8, 0)),
                triaged: Some(utc(2025, 6, 16, 8, 30)),
                ..Default::default()
            },
            // No created time: in no week, counted as a data problem.
            Fixture::default(),
        ],
    );
}

fn week<'a>(weeks: &'a [WeekFigures], label: &str) -> &'a WeekFigures {
    weeks
        .iter()
        .find(|w| w.week == label)
        .unwrap_or_else(|| panic!("week {label} is listed"))
}

#[test]
fn weekly_figures_match_the_hand_computed_values() {
    let conn = store::open_in_memory().unwrap();
    three_weeks(&conn);
    let m = metrics::weekly(&conn, &query("UTC")).unwrap();

    let labels: Vec<&str> = m.weeks.iter().map(|w| w.week.as_str()).collect();
    assert_eq!(
        labels,
        ["2025-W23", "2025-W24", "2025-W25"],
        "the empty week between is listed too"
    );

    let w23 = week(&m.weeks, "2025-W23");
    assert_eq!(w23.start, day(2025, 6, 2), "weeks start on Monday");
    assert_eq!(w23.items, 4);
    assert_eq!(w23.active_queues, 2);
    assert_eq!(w23.primary_share, Some(0.5));
    assert_eq!(
        w23.triage.n, 2,
        "no triage time and a negative one are left out"
    );
    assert_eq!(w23.triage.coverage, Some(0.5));
    assert_eq!(w23.triage.median_s, Some(7200.0), "median of 1 h and 3 h");
    assert_eq!(w23.triage.p90_s, Some(10_080.0), "1 h + 0.9 × 2 h");
    assert_eq!(w23.triage.mean_s, Some(7200.0));
    assert_eq!(w23.resolve.n, 3);
    assert_eq!(w23.resolve.coverage, Some(0.75));
    assert_eq!(w23.resolve.median_s, Some(18_000.0), "2 h, 5 h, 24 h");
    assert_eq!(w23.resolve.p90_s, Some(72_720.0), "5 h + 0.8 × 19 h");
    assert_eq!(w23.resolve.mean_s, Some(37_200.0));
    assert_eq!(
        w23.automated_share,
        Some(1.0 / 3.0),
        "one of three resolved items closed by automation"
    );
    assert_eq!(
        w23.open_at_end, 1,
        "only the Sentinel item of Jun 4 is still open on Jun 9"
    );
    assert_eq!(w23.by_queue.get("Defender XDR"), Some(&2));
    assert_eq!(w23.by_queue.get("Microsoft Sentinel"), Some(&2));
    assert_eq!(w23.by_severity.get("high"), Some(&1));

    let w24 = week(&m.weeks, "2025-W24");
    assert_eq!(w24.items, 0);
    assert_eq!(w24.active_queues, 0);
    assert_eq!(w24.primary_share, None, "no items: no share, not 0");
    assert_eq!(w24.triage.n, 0);
    assert_eq!(w24.triage.coverage, None);
    assert_eq!(w24.triage.median_s, None);
    assert_eq!(w24.automated_share, None);
    assert_eq!(w24.open_at_end, 1, "the backlog carries over an empty week");

    let w25 = week(&m.weeks, "2025-W25");
    assert_eq!(w25.triage.median_s, Some(1800.0));
    assert_eq!(w25.open_at_end, 2);
    assert!(w25.complete, "the week ended before now");

    assert_eq!(m.overall.items, 5);
    assert_eq!(m.data_problems.negative_triage, 1);
    assert_eq!(m.data_problems.without_created_time, 1);
    assert_eq!(m.data_first, Some(day(2025, 6, 2)));
    assert_eq!(m.data_last, Some(day(2025, 6, 16)));
    let xdr = m.queues.iter().find(|q| q.name == "Defender XDR").unwrap();
    assert!(xdr.primary, "Defender XDR is the default primary queue");
    assert_eq!(xdr.items, 3);
    assert_eq!(xdr.triage.coverage, Some(1.0), "every XDR item was triaged");
    assert_eq!(
        m.queues[0].name, "Defender XDR",
        "the primary queue comes first"
    );
}

#[test]
fn a_single_item_gives_every_figure() {
    let conn = store::open_in_memory().unwrap();
    insert(
        &conn,
        &[Fixture {
            created: Some(utc(2025, 6, 4, 9, 0)),
            triaged: Some(utc(2025, 6, 4, 9, 45)),
            ..Default::default()
        }],
    );
    let m = metrics::weekly(&conn, &query("UTC")).unwrap();
    assert_eq!(m.weeks.len(), 1);
    let t = &m.weeks[0].triage;
    assert_eq!(
        (t.n, t.median_s, t.p90_s, t.mean_s),
        (1, Some(2700.0), Some(2700.0), Some(2700.0))
    );
    assert_eq!(
        m.weeks[0].resolve.coverage,
        Some(0.0),
        "one item, none resolved: 0%, not null"
    );
    assert_eq!(
        m.weeks[0].automated_share, None,
        "nothing resolved: no automated share"
    );
}

#[test]
fn the_time_zone_moves_items_across_a_week_boundary() {
    let conn = store::open_in_memory().unwrap();
    insert(
        &conn,
        &[
            // Sunday 23:30 UTC is Monday 01:30 in Berlin (CEST, +2).
            Fixture {
                created: Some(utc(2025, 6, 8, 23, 30)),
                ..Default::default()
            },
            // Monday 02:00 UTC is Sunday 22:00 in New York (EDT, −4).
            Fixture {
                created: Some(utc(2025, 6, 9, 2, 0)),
                ..Default::default()
            },
        ],
    );
    let counts = |tz: &str| -> Vec<(String, u64)> {
        metrics::weekly(&conn, &query(tz))
            .unwrap()
            .weeks
            .into_iter()
            .map(|w| (w.week, w.items))
            .collect()
    };
    assert_eq!(
        counts("UTC"),
        [("2025-W23".into(), 1), ("2025-W24".into(), 1)]
    );
    assert_eq!(
        counts("Europe/Berlin"),
        [("2025-W24".into(), 2)],
        "both are Monday in Berlin"
    );
    assert_eq!(
        counts("America/New_York"),
        [("2025-W23".into(), 2)],
        "both are Sunday in New York"
    );
    assert!(metrics::parse_time_zone("Mars/Olympus").is_err());
}

#[test]
fn filters_hand_listed_queues_and_the_period() {
    let conn = store::open_in_memory().unwrap();
    three_weeks(&conn);
    conn.execute(
        "INSERT INTO queue (name, hand_listed, active_from, active_to) VALUES ('Legacy SIEM', 1, '2025-06-01', '2025-06-12')",
        [],
    )
    .unwrap();
    let m = metrics::weekly(&conn, &query("UTC")).unwrap();
    assert_eq!(
        week(&m.weeks, "2025-W23").active_queues,
        3,
        "the legacy SIEM was watched that week"
    );
    assert_eq!(
        week(&m.weeks, "2025-W24").active_queues,
        1,
        "…and the next, with no exported items"
    );
    assert_eq!(
        week(&m.weeks, "2025-W25").active_queues,
        1,
        "…but no longer after Jun 12"
    );

    let mut sentinel = query("UTC");
    sentinel.filter.queues = vec!["microsoft sentinel".into()];
    let m = metrics::weekly(&conn, &sentinel).unwrap();
    assert_eq!(m.overall.items, 2, "the queue filter ignores case");
    assert_eq!(week(&m.weeks, "2025-W23").primary_share, Some(0.0));

    let mut high = query("UTC");
    high.filter.severities = vec!["high".into()];
    assert_eq!(metrics::weekly(&conn, &high).unwrap().overall.items, 1);

    let mut period = query("UTC");
    period.from = Some(day(2025, 6, 9));
    period.to = Some(day(2025, 6, 22));
    let m = metrics::weekly(&conn, &period).unwrap();
    assert_eq!(m.weeks.len(), 2, "W24 and W25");
    assert_eq!(m.overall.items, 1);
    assert_eq!(
        m.weeks[0].open_at_end, 1,
        "items from before the period still count in the backlog"
    );

    period.from = Some(day(2025, 7, 1));
    assert!(matches!(
        metrics::weekly(&conn, &period),
        Err(metrics::MetricsError::EmptyPeriod { .. })
    ));
}

#[test]
fn objective_one_is_met_from_the_data() {
    let conn = store::open_in_memory().unwrap();
    // Two queues in the first week, one in each of the next four.
    let mut items = vec![Fixture {
        queue: "Splunk ES",
        created: Some(utc(2025, 5, 5, 9, 0)),
        ..Default::default()
    }];
    for w in 0..5 {
        items.push(Fixture {
            created: Some(utc(2025, 5, 5, 9, 0) + w * 7 * DAY),
            ..Default::default()
        });
    }
    insert(&conn, &items);
    let target = metrics::weekly(&conn, &query("UTC"))
        .unwrap()
        .queue_target
        .unwrap();
    assert_eq!(
        (
            target.objective.as_str(),
            target.target,
            target.weeks_required
        ),
        ("1", 1, 4)
    );
    assert_eq!(target.weeks_met, 4);
    assert!(target.met, "{}", target.status);

    conn.execute("UPDATE objective SET weeks_required = 5 WHERE id = '1'", [])
        .unwrap();
    let target = metrics::weekly(&conn, &query("UTC"))
        .unwrap()
        .queue_target
        .unwrap();
    assert!(!target.met);
    assert_eq!(
        target.status,
        "active queues ≤ 1 for 4 weeks; 5 in a row needed"
    );
}

fn compare_at(conn: &Connection, at: NaiveDate) -> metrics::Comparison {
    compare(
        conn,
        &CompareQuery {
            at,
            weeks: 2,
            tz: chrono_tz::UTC,
            filter: Filter::default(),
            label: Some("Configure AutoIR capabilities".into()),
            step: Some("2a.3".into()),
            now: now(),
        },
    )
    .unwrap()
}

#[test]
fn before_and_after_says_improved_only_when_the_interval_excludes_zero() {
    let conn = store::open_in_memory().unwrap();
    let at = day(2025, 6, 16);
    let at_ms = utc(2025, 6, 16, 0, 0);
    let mut items = Vec::new();
    for i in 0..12 {
        let before = at_ms - 13 * DAY + i * DAY;
        items.push(Fixture {
            created: Some(before),
            triaged: Some(before + 8 * H + i * 10 * MIN),
            ..Default::default()
        });
        let after = at_ms + i * DAY;
        items.push(Fixture {
            created: Some(after),
            triaged: Some(after + H + i * 5 * MIN),
            ..Default::default()
        });
    }
    insert(&conn, &items);
    let c = compare_at(&conn, at);
    assert_eq!((c.triage.n_before, c.triage.n_after), (12, 12));
    assert_eq!(
        c.triage.median_before_s,
        Some(8.0 * 3600.0 + 55.0 * 60.0),
        "8 h + 5.5 × 10 min"
    );
    assert_eq!(
        c.triage.median_after_s,
        Some(3600.0 + 27.5 * 60.0),
        "1 h + 5.5 × 5 min"
    );
    assert_eq!(c.triage.verdict, Verdict::Improved);
    let interval = c.triage.interval_s.unwrap();
    assert!(
        interval.high < 0.0,
        "the whole interval is below zero: {interval:?}"
    );
    assert_eq!(
        c,
        compare_at(&conn, at),
        "a fixed seed gives the same interval every time"
    );
    let sentence: String = c.sentences[0].iter().map(|s| s.text.as_str()).collect();
    assert!(
        sentence.starts_with("After Configure AutoIR capabilities (Jun 16), median time to triage fell from 8.9 h to 1.5 h"),
        "{sentence}"
    );
    assert!(
        sentence.contains("2 weeks each side, n = 12 / 12"),
        "{sentence}"
    );
    assert_eq!(
        c.resolve.verdict,
        Verdict::NotEnoughData,
        "nothing was resolved"
    );
}

#[test]
fn before_and_after_with_the_same_spread_is_no_clear_change() {
    let conn = store::open_in_memory().unwrap();
    let at_ms = utc(2025, 6, 16, 0, 0);
    let mut items = Vec::new();
    for (i, minutes) in [30, 240, 60, 600, 90, 45, 300, 120, 20, 480]
        .iter()
        .enumerate()
    {
        for side in [-1, 1] {
            let created = at_ms + side * (i as i64 + 1) * DAY;
            items.push(Fixture {
                created: Some(created),
                triaged: Some(created + minutes * MIN + i64::from(side > 0) * MIN),
                ..Default::default()
            });
        }
    }
    insert(&conn, &items);
    let c = compare_at(&conn, day(2025, 6, 16));
    assert_eq!(c.triage.verdict, Verdict::NoClearChange, "{:?}", c.triage);
    let sentence: String = c
        .sentences
        .concat()
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    assert!(
        sentence.contains("No clear change yet in time to triage"),
        "{sentence}"
    );
}

#[test]
fn too_few_items_give_no_verdict() {
    let conn = store::open_in_memory().unwrap();
    insert(
        &conn,
        &[
            Fixture {
                created: Some(utc(2025, 6, 10, 9, 0)),
                triaged: Some(utc(2025, 6, 10, 19, 0)),
                ..Default::default()
            },
            Fixture {
                created: Some(utc(2025, 6, 17, 9, 0)),
                triaged: Some(utc(2025, 6, 17, 9, 30)),
                ..Default::default()
            },
        ],
    );
    let c = compare_at(&conn, day(2025, 6, 16));
    assert_eq!(c.triage.verdict, Verdict::NotEnoughData);
    assert_eq!(
        c.triage.interval_s, None,
        "no interval is claimed from one item a side"
    );
    assert_eq!(
        c.triage.difference_s,
        Some(-34_200.0),
        "the medians are still shown"
    );
}

#[test]
fn done_steps_are_the_milestones() {
    let mut conn = store::open_in_memory().unwrap();
    let stamp = Stamp {
        now: now(),
        today: day(2025, 7, 1),
        source: "test",
    };
    plan::edit_step(
        &mut conn,
        "2a.3",
        &[
            StepEdit::Status(StepStatus::Done),
            StepEdit::DoneDate(Some(day(2025, 6, 16))),
        ],
        &stamp,
    )
    .unwrap();
    let m = metrics::milestones(&conn).unwrap();
    assert_eq!(m.len(), 1);
    assert_eq!(
        (m[0].label.as_str(), m[0].at, m[0].step.as_str()),
        ("Configure AutoIR capabilities", day(2025, 6, 16), "2a.3")
    );
    let all =
        metrics::compare_milestones(&conn, 4, chrono_tz::UTC, &Filter::default(), now()).unwrap();
    assert_eq!(all.len(), 1, "one comparison per milestone");
    assert_eq!(all[0].label, "Configure AutoIR capabilities");
}

#[test]
fn an_empty_database_has_no_weeks_and_no_figures() {
    let conn = store::open_in_memory().unwrap();
    let m = metrics::weekly(&conn, &query("UTC")).unwrap();
    assert!(m.weeks.is_empty(), "no items, no weeks");
    assert_eq!(m.overall.items, 0);
    assert_eq!(m.overall.triage.median_s, None);
    assert!(m.start.is_none() && m.end.is_none());
    let plan = plan::load(&conn, day(2025, 7, 1)).unwrap();
    let headline = metrics::headline(&m, &plan);
    assert!(
        headline
            .tiles
            .iter()
            .all(|t| t.value.is_none() && t.change.is_none()),
        "no figure is made up"
    );
}
