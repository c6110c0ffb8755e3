//! The figures benchmark (`make bench`): fills a database with about a million work items from
//! the generator through the import path, then times the weekly metrics, the before/after
//! comparisons, one chart and the whole dashboard, beside the sqlite3 shell's plain GROUP BY of
//! the same weekly counts (which computes no percentile, time zone or backlog).
//!
//! `streamline-metrics-bench [--items N] [--db PATH]`: an existing database at PATH is reused.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveDate, Utc};
use streamline::charts::{self, ChartSize, Theme};
use streamline::generate::{self, Scenario};
use streamline::import::{self, Format, ImportOptions};
use streamline::metrics::{self, Filter, MetricsQuery};
use streamline::plan::{self, Stamp, StepEdit, StepStatus};
use streamline::{dashboard, store};

const RUNS: usize = 7;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        last = Some(f());
        times.push(started.elapsed());
    }
    (median(times), last.expect("at least one run"))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn fill(db: &Path, items: u64) -> Result<(), String> {
    let start = NaiveDate::from_ymd_opt(2025, 1, 6).expect("a valid date");
    let scenario = Scenario::demo(2026, start, 52);
    let dir = db
        .parent()
        .unwrap_or(Path::new("."))
        .join("metrics-bench-exports");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    // Rows per format chosen so the counted items add up to about `items`: Sentinel's audit
    // rows are ~2.7 per incident and Graph's alerts roll up into the Defender XDR incidents.
    let plan = [
        (Format::DefenderXdr, "xdr.csv", items * 45 / 100),
        (Format::Sentinel, "sentinel.csv", items * 89 / 100),
        (Format::SplunkEs, "splunk.csv", items * 32 / 100),
        (Format::TheHive, "thehive.json", items * 19 / 100),
    ];
    let mut files = Vec::new();
    for (format, name, rows) in plan {
        let path = dir.join(name);
        let mut out =
            std::io::BufWriter::new(std::fs::File::create(&path).map_err(|e| e.to_string())?);
        generate::write_export(&mut out, format, &scenario, rows, false)
            .map_err(|e| e.to_string())?;
        files.push(path);
    }
    let mut conn = store::open(db).map_err(|e| e.to_string())?;
    let started = Instant::now();
    for file in &files {
        import::import_file(
            &mut conn,
            file,
            &ImportOptions::default(),
            Utc::now(),
            |_| ControlFlow::Continue(()),
        )
        .map_err(|e| e.to_string())?;
    }
    println!(
        "setup: imported {} files in {:.1} s",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);

    // Milestones across the year, as a program would have them.
    let stamp = Stamp {
        now: Utc::now(),
        today: Utc::now().date_naive(),
        source: "bench",
    };
    for (step, week) in [
        ("2a.1", 6),
        ("1.2", 14),
        ("2a.3", 21),
        ("2b.3", 31),
        ("2a.4", 42),
    ] {
        let day = start + Days::weeks(week);
        plan::edit_step(
            &mut conn,
            step,
            &[
                StepEdit::Status(StepStatus::Done),
                StepEdit::DoneDate(Some(day)),
            ],
            &stamp,
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let mut items = 1_000_000_u64;
    let mut db = PathBuf::from("target/bench/metrics.db");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--items" => {
                items = value()?
                    .replace('_', "")
                    .parse()
                    .map_err(|e| format!("--items: {e}"))?
            }
            "--db" => db = PathBuf::from(value()?),
            _ => return Err("usage: streamline-metrics-bench [--items N] [--db PATH]".into()),
        }
    }
    if let Some(parent) = db.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    if !db.exists() {
        fill(&db, items)?;
    }
    let conn = store::open(&db).map_err(|e| e.to_string())?;
    let stored: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM work_item WHERE counted = 1",
            [],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    println!("database: {} ({} counted items)", db.display(), stored);

    let query = MetricsQuery {
        tz: chrono_tz::Europe::Berlin,
        from: None,
        to: None,
        filter: Filter::default(),
        now: Utc::now(),
    };
    let (weekly, figures) = time(RUNS, || metrics::weekly(&conn, &query));
    let figures = figures.map_err(|e| e.to_string())?;
    println!(
        "weekly metrics over {} items, {} weeks (Europe/Berlin): {} (target < 500 ms)",
        figures.overall.items,
        figures.weeks.len(),
        ms(weekly)
    );

    let (compare, comparisons) = time(RUNS, || {
        metrics::compare_milestones(&conn, 4, query.tz, &Filter::default(), query.now)
    });
    let comparisons = comparisons.map_err(|e| e.to_string())?;
    println!(
        "before/after around {} milestones (2,000 resamples each): {}",
        comparisons.len(),
        ms(compare)
    );

    let specs = dashboard::chart_specs(&figures);
    let (_, _, _, _, triage_chart) = &specs[1];
    let (svg, _) = time(21, || {
        charts::render_svg(triage_chart, dashboard::MAIN_CHART, Theme::Light)
    });
    let (png, _) = time(21, || {
        charts::render_png(triage_chart, ChartSize::new(1200, 600), Theme::Light, 2)
    });
    println!(
        "one chart (time to triage, {} weeks): SVG {}, 2x PNG {} (target < 50 ms)",
        figures.weeks.len(),
        ms(svg),
        ms(png)
    );

    let today = Utc::now().date_naive();
    let (whole, _) = time(RUNS, || {
        dashboard::dashboard(&conn, &query, today, 4, Theme::Light)
    });
    println!(
        "the whole dashboard (figures, verdicts, five charts): {}",
        ms(whole)
    );

    // The peer: the sqlite3 shell counting items per week and queue, nothing more.
    let sql = "SELECT created_ms / 604800000 AS week, queue, COUNT(*) FROM work_item \
               WHERE counted = 1 AND created_ms IS NOT NULL GROUP BY week, queue;";
    let peer = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let out = Command::new("sqlite3").arg(&db).arg(sql).output();
            out.map(|o| (started.elapsed(), o.status.success()))
        })
        .collect::<Result<Vec<_>, _>>();
    match peer {
        Ok(runs) if runs.iter().all(|(_, ok)| *ok) => {
            let peer = median(runs.into_iter().map(|(t, _)| t).collect());
            println!(
                "peer: sqlite3 shell GROUP BY week, queue over the same table: {} (ratio {:.2})",
                ms(peer),
                weekly.as_secs_f64() / peer.as_secs_f64()
            );
        }
        _ => println!("peer: the sqlite3 shell is not installed (apt-get install sqlite3)"),
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("streamline-metrics-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
