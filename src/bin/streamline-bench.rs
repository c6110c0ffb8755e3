//! The import benchmark (`make bench`): generates Sentinel-style rows, imports them with the
//! `streamline` CLI beside this binary, imports the same file with the sqlite3 shell's plain
//! `.import` in the same run, and prints both times, their ratio (target ≤ 1.5) and the
//! importer's peak memory (target < 200 MB).
//!
//! `streamline-bench [--rows N] [--dir DIR] [--seed N]`. Peak memory is read from Linux's
//! /proc (VmHWM) while the importer runs; elsewhere it is not shown.
//!
//! `streamline-bench --write FORMAT --out FILE [--rows N] [--seed N] [--day-first]
//! [--unicode]` only writes a generated export of any format (see `streamline formats`), for
//! trying the importer by hand.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use streamline::generate::{self, Scenario};
use streamline::import::Format;

struct Options {
    rows: u64,
    dir: Option<PathBuf>,
    seed: u64,
    /// Only write this format to `out`.
    write: Option<Format>,
    out: Option<PathBuf>,
    day_first: bool,
    unicode: bool,
}

const USAGE: &str = "usage: streamline-bench [--rows N] [--dir DIR] [--seed N]\n       \
    streamline-bench --write FORMAT --out FILE [--rows N] [--seed N] [--day-first] [--unicode]";

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        rows: 1_000_000,
        dir: None,
        seed: 2025,
        write: None,
        out: None,
        day_first: false,
        unicode: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--rows" => {
                options.rows = value()?
                    .replace('_', "")
                    .parse()
                    .map_err(|e| format!("--rows: {e}"))?
            }
            "--dir" => options.dir = Some(PathBuf::from(value()?)),
            "--seed" => options.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--write" => {
                let name = value()?;
                options.write =
                    Some(Format::from_name(&name).ok_or_else(|| format!("no format {name:?}"))?);
            }
            "--out" => options.out = Some(PathBuf::from(value()?)),
            "--day-first" => options.day_first = true,
            "--unicode" => options.unicode = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if options.write.is_some() != options.out.is_some() {
        return Err(format!("--write and --out go together\n{USAGE}"));
    }
    Ok(options)
}

/// Writes one generated export and says what it wrote.
fn write_only(options: &Options, format: Format, out: &Path) -> Result<(), String> {
    let start = NaiveDate::from_ymd_opt(2025, 3, 3).ok_or("bad start date")?;
    let mut scenario = Scenario::demo(options.seed, start, 16);
    if options.day_first {
        scenario.date_order = streamline::import::DateOrder::Dmy;
    }
    let mut file =
        BufWriter::new(File::create(out).map_err(|e| format!("{}: {e}", out.display()))?);
    let rows = generate::write_export(&mut file, format, &scenario, options.rows, options.unicode)
        .map_err(|e| format!("generating: {e}"))?;
    file.flush().map_err(|e| e.to_string())?;
    println!("wrote {rows} {} rows to {}", format.name(), out.display());
    Ok(())
}

/// Peak resident memory of a running process in KiB (Linux only).
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs a command to the end; returns its wall time and the highest peak memory seen.
fn timed(command: &mut Command) -> Result<(Duration, Option<u64>), String> {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let pid = child.id();
    let mut peak = None;
    let status = loop {
        if let Some(kib) = peak_kib(pid) {
            peak = Some(peak.map_or(kib, |p: u64| p.max(kib)));
        }
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let elapsed = started.elapsed();
    if !status.success() {
        let mut err = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            std::io::Read::read_to_string(&mut stderr, &mut err).ok();
        }
        return Err(format!("{command:?} failed: {err}"));
    }
    Ok((elapsed, peak))
}

fn run(options: Options) -> Result<(), String> {
    if let (Some(format), Some(out)) = (options.write, options.out.as_deref()) {
        return write_only(&options, format, out);
    }
    // Without --dir, the (large) files go to a folder of our own that is removed afterwards.
    let own_dir = options.dir.is_none();
    let dir = options.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("streamline-bench-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = measure(&options, &dir);
    if own_dir {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

fn measure(options: &Options, dir: &Path) -> Result<(), String> {
    let csv = dir.join("sentinel_bench.csv");
    let ours_db = dir.join("streamline_bench.db");
    let plain_db = dir.join("sqlite_import_bench.db");
    for db in [&ours_db, &plain_db] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }

    let start = NaiveDate::from_ymd_opt(2025, 3, 3).ok_or("bad start date")?;
    let scenario = Scenario::demo(options.seed, start, 16);
    let generating = Instant::now();
    let mut out = BufWriter::new(File::create(&csv).map_err(|e| e.to_string())?);
    let rows = generate::write_export(&mut out, Format::Sentinel, &scenario, options.rows, false)
        .map_err(|e| format!("generating: {e}"))?;
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    let size = std::fs::metadata(&csv).map_err(|e| e.to_string())?.len();
    println!(
        "generated   {rows} Sentinel rows, {:.1} MB, in {:.1} s",
        size as f64 / 1e6,
        generating.elapsed().as_secs_f64()
    );

    let cli = sibling("streamline")?;
    let (ours, peak) = timed(
        Command::new(&cli)
            .arg("--db")
            .arg(&ours_db)
            .arg("import")
            .arg(&csv)
            .env_remove("STREAMLINE_DB"),
    )?;
    let (plain, _) = sqlite_import(&plain_db, &csv)?;

    let ratio = ours.as_secs_f64() / plain.as_secs_f64();
    println!(
        "streamline  {:.2} s  (import into a new database, one transaction)",
        ours.as_secs_f64()
    );
    println!(
        "sqlite3     {:.2} s  (.mode csv / .import of the same file)",
        plain.as_secs_f64()
    );
    println!("ratio       {ratio:.2}  (target ≤ 1.5)");
    match peak {
        Some(kib) => println!(
            "peak memory {:.1} MB  (target < 200 MB)",
            kib as f64 / 1024.0
        ),
        None => println!("peak memory not measured (needs Linux /proc)"),
    }
    // The same export again: every row is read and merged, nothing is new.
    let (again, _) = timed(
        Command::new(&cli)
            .arg("--db")
            .arg(&ours_db)
            .arg("import")
            .arg(&csv)
            .env_remove("STREAMLINE_DB"),
    )?;
    println!(
        "re-import   {:.2} s  (the same file again: no item added)",
        again.as_secs_f64()
    );
    Ok(())
}

fn sqlite_import(db: &Path, csv: &Path) -> Result<(Duration, Option<u64>), String> {
    let script = format!(
        ".mode csv\n.import '{}' incident\n",
        csv.display().to_string().replace('\'', "''")
    );
    let script_path = db.with_extension("sql");
    std::fs::write(&script_path, script).map_err(|e| e.to_string())?;
    let stdin = File::open(&script_path).map_err(|e| e.to_string())?;
    let result = timed(Command::new("sqlite3").arg(db).stdin(stdin));
    let _ = std::fs::remove_file(&script_path);
    result.map_err(|e| format!("{e} (is the sqlite3 shell installed?)"))
}

/// A binary built beside this one.
fn sibling(name: &str) -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let path = me.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} is not built; build the workspace's binaries first",
            path.display()
        ))
    }
}

fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("streamline-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
