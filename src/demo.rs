//! Sample data for a first look: the generator's exports of several formats, imported through
//! the normal import path, and a plan whose milestones explain the trends in them.

use std::ops::ControlFlow;
use std::path::PathBuf;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;

use crate::generate::{self, Scenario};
use crate::import::{self, ImportOptions, ImportReport};
use crate::metrics::week_start;
use crate::plan::{self, AccountabilityEdit, Stamp, StepEdit, StepStatus};

/// Weeks of sample data, ending with the last complete week.
pub const DEMO_WEEKS: u32 = 16;
/// Incidents in the sample's stream (each seen through one or more exports).
pub const DEMO_INCIDENTS: u64 = 2600;
const DEMO_SEED: u64 = 20_251_128;

/// Why the sample data could not be loaded. Nothing is written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("this database already holds imported exports; load the sample data into a new database (--db NEW.db)")]
    NotEmpty,
    #[error("cannot write the sample exports to {path}: {reason}")]
    Write { path: String, reason: String },
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error(transparent)]
    Plan(#[from] plan::PlanError),
}

impl From<rusqlite::Error> for DemoError {
    fn from(err: rusqlite::Error) -> Self {
        DemoError::Plan(err.into())
    }
}

/// What the sample holds.
#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub first_day: NaiveDate,
    pub weeks: u32,
    pub imports: Vec<ImportReport>,
    pub steps_done: Vec<String>,
}

/// The plan steps the sample's trends follow, and when (as a share of the period) each was done.
/// Steps done on a share of the period (below zero: before the first week, the program began
/// before the oldest export kept); the steps whose effect the data shows are done on the days
/// the generator's trends turn.
const EARLIER_STEPS: &[(&str, f64)] = &[
    ("2a.1", -0.30),
    ("1.1", -0.25),
    ("2a.2", -0.12),
    ("2b.1", -0.05),
    ("1.2", 0.28),
    ("2a.4", 0.80),
];

const PEOPLE: &[(&str, &str)] = &[
    ("1", "Alex Morgan"),
    ("2", "Jordan Blake"),
    ("3", "Dana Reyes"),
    ("4", "Sam Okafor"),
    ("5", "Priya Natarajan"),
    ("6", "Lee Chen"),
];

/// Fills an empty database with 16 weeks of sample exports, ending with the week before
/// `now`'s, and marks the plan steps done whose effect the data shows.
pub fn load_demo(
    conn: &mut Connection,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<DemoSummary, DemoError> {
    let imported: i64 = conn.query_row("SELECT COUNT(*) FROM import", [], |r| r.get(0))?;
    if imported > 0 {
        return Err(DemoError::NotEmpty);
    }
    let first_day = week_start(today) - Duration::weeks(i64::from(DEMO_WEEKS));
    let scenario = Scenario::demo(DEMO_SEED, first_day, DEMO_WEEKS);

    // Unique per process and per call: two loads at once never share a folder.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "streamline-demo-{}-{}",
        std::process::id(),
        CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let write_error = |e: std::io::Error| DemoError::Write {
        path: dir.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(&dir).map_err(write_error)?;
    let written = generate::write_demo(&dir, &scenario, DEMO_INCIDENTS).map_err(write_error);
    let result = written.and_then(|files| fill(conn, &files, &scenario, now, today, first_day));
    // The exports were only a vehicle for the import path.
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn fill(
    conn: &mut Connection,
    files: &[PathBuf],
    scenario: &Scenario,
    now: DateTime<Utc>,
    today: NaiveDate,
    first_day: NaiveDate,
) -> Result<DemoSummary, DemoError> {
    let imports = import::import_files(conn, files, &ImportOptions::default(), now, |_, _| {
        ControlFlow::Continue(())
    })?;
    let stamp = Stamp {
        now,
        today,
        source: "demo",
    };
    let span_days = i64::from(scenario.weeks) * 7;
    let trends = scenario.milestone_days();
    let mut days: Vec<(&str, NaiveDate)> = EARLIER_STEPS
        .iter()
        .map(|(step, share)| {
            (
                *step,
                first_day + Duration::days((span_days as f64 * share).round() as i64),
            )
        })
        .collect();
    for (step, day) in [
        // AutoIR: triage gets faster and automation closes more.
        ("2a.3", trends.faster_triage),
        // Sentinel worked in the Defender portal: one queue fewer.
        ("1.3", trends.sentinel_unified),
        // Defender for Cloud's alerts reach Defender XDR.
        ("2b.3", trends.cloud_unified),
        // The legacy SIEM and the case tool retired.
        ("1.4", trends.legacy_retired),
    ] {
        if let Some(day) = day {
            days.push((step, day));
        }
    }
    days.sort_by_key(|(_, day)| *day);
    let mut steps_done = Vec::new();
    for (step, day) in days {
        // A step the user removed or already did is left as it is.
        match plan::find_step(conn, step, today) {
            Ok(current) if current.status != StepStatus::Done => {}
            _ => continue,
        }
        plan::edit_step(
            conn,
            step,
            &[
                StepEdit::Status(StepStatus::Done),
                StepEdit::DoneDate(Some(day.min(today))),
            ],
            &stamp,
        )?;
        steps_done.push(step.to_owned());
    }
    for (row, person) in PEOPLE {
        if plan::load_accountability(conn)?
            .iter()
            .any(|r| r.number.to_string() == *row && r.person.is_empty())
        {
            plan::edit_accountability(
                conn,
                row,
                &[AccountabilityEdit::Person((*person).to_owned())],
                &stamp,
            )?;
        }
    }
    Ok(DemoSummary {
        first_day,
        weeks: scenario.weeks,
        imports,
        steps_done,
    })
}
