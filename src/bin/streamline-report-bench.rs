//! The report benchmark (`make bench`): a full status report (PDF, HTML, Markdown and the PNG
//! charts) over the figures benchmark's database of about a million work items, target < 3 s.
//!
//! `streamline-report-bench [--db PATH] [--items N] [--out DIR]`: the database at PATH
//! (default `target/bench/metrics.db`) is reused; when it is missing, `streamline-metrics-bench`
//! (built beside this program) fills it first. Nothing is recorded as issued.

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use chrono::Utc;
use streamline::report::{self, Audience, Format, Paper, ReportOptions, WriteOptions};
use streamline::store;

const RUNS: usize = 3;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn fill(db: &std::path::Path, items: u64) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let filler = exe.with_file_name(format!(
        "streamline-metrics-bench{}",
        std::env::consts::EXE_SUFFIX
    ));
    println!(
        "setup: {} is missing; filling it with {}",
        db.display(),
        filler.display()
    );
    let status = Command::new(&filler)
        .arg("--items")
        .arg(items.to_string())
        .arg("--db")
        .arg(db)
        .status()
        .map_err(|e| {
            format!(
                "cannot run {}: {e} (cargo build --release --bins)",
                filler.display()
            )
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed: {status}", filler.display()))
    }
}

fn run() -> Result<(), String> {
    let mut db = PathBuf::from("target/bench/metrics.db");
    let mut out = PathBuf::from("target/bench/report");
    let mut items = 1_000_000_u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--db" => db = PathBuf::from(value()?),
            "--out" => out = PathBuf::from(value()?),
            "--items" => {
                items = value()?
                    .replace('_', "")
                    .parse()
                    .map_err(|e| format!("--items: {e}"))?
            }
            _ => {
                return Err(
                    "usage: streamline-report-bench [--db PATH] [--items N] [--out DIR]".into(),
                )
            }
        }
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
    println!("database: {} ({stored} counted items)", db.display());

    let options = ReportOptions {
        from: None,
        to: None,
        audience: Audience::Program,
        author: "Benchmark".to_owned(),
        now: Utc::now(),
        tz: chrono_tz::Europe::Berlin,
        weeks_each_side: 4,
    };
    let all = WriteOptions {
        formats: Format::ALL.to_vec(),
        paper: Paper::A4,
    };

    let mut totals = Vec::with_capacity(RUNS);
    let mut files = Vec::new();
    let mut built = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        let report = report::build(&conn, &options).map_err(|e| e.to_string())?;
        files = report::write(&report, &out, &all).map_err(|e| e.to_string())?;
        totals.push(started.elapsed());
        built = Some(report);
    }
    let report = built.ok_or("no run")?;
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "full report, all formats ({} files, {} KB) over {} items ({}): {} (target < 3 s)",
        files.len(),
        bytes / 1024,
        report.data_quality.items,
        report.header.period_text,
        secs(median(totals))
    );

    // Where the time goes, one run each.
    let time = |f: &mut dyn FnMut() -> Result<(), String>| -> Result<Duration, String> {
        let started = Instant::now();
        f()?;
        Ok(started.elapsed())
    };
    let build = time(&mut || {
        report::build(&conn, &options)
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    let pdf = time(&mut || {
        report::render_pdf(&report, Paper::A4)
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    let html = time(&mut || {
        drop(report::render_html(&report));
        Ok(())
    })?;
    let markdown = time(&mut || {
        drop(report::render_markdown(&report));
        Ok(())
    })?;
    let pngs = time(&mut || {
        report::write(
            &report,
            &out,
            &WriteOptions {
                formats: vec![Format::Png],
                paper: Paper::A4,
            },
        )
        .map(drop)
        .map_err(|e| e.to_string())
    })?;
    println!(
        "  build (figures, verdicts, plan, five SVG charts) {} · PDF {} · HTML {} · Markdown {} · five 2x PNG charts written {}",
        ms(build),
        ms(pdf),
        ms(html),
        ms(markdown),
        ms(pngs)
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("streamline-report-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
