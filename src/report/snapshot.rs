//! The snapshot each issued report leaves, and "what changed since the last report" from it.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{
    Audience, Changes, FigureChange, ImportLine, RagChange, Report, ReportError, StepLine,
};
use crate::metrics::Trend;
use crate::plan::{Plan, Rag, StepStatus};
use crate::units;

/// The figures a report compares with the last one: those of its summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyFigures {
    pub items: u64,
    pub active_queues: Option<u32>,
    pub triage_median_s: Option<f64>,
    pub resolve_median_s: Option<f64>,
    pub automated_share: Option<f64>,
    pub open_backlog: Option<u64>,
}

/// A step's state when a report was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepState {
    pub id: i64,
    pub reference: String,
    pub status: StepStatus,
}

/// An objective's RAG when a report was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectiveState {
    pub id: String,
    pub rag: Rag,
}

/// What an issued report stores (as JSON): small, and enough to say what changed since.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub figures: KeyFigures,
    pub steps: Vec<StepState>,
    pub objectives: Vec<ObjectiveState>,
    /// The newest import the report's figures include.
    pub last_import_id: Option<i64>,
}

/// A report that was issued, as the list of past reports shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastReport {
    pub id: i64,
    pub issued_at: DateTime<Utc>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub author: String,
    pub audience: Audience,
    /// What changed since the report before it.
    pub summary: String,
}

/// The record [`issue`] made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedReport {
    pub id: i64,
    pub issued_at: DateTime<Utc>,
}

/// Records `report` as issued (at its "generated at"), so that the next report says what
/// changed since this one.
pub fn issue(conn: &Connection, report: &Report) -> Result<IssuedReport, ReportError> {
    let snapshot = serde_json::to_string(&report.snapshot).map_err(|e| ReportError::Snapshot {
        id: 0,
        reason: e.to_string(),
    })?;
    let period = report.header.period;
    conn.execute(
        "INSERT INTO report_issue (issued_at_ms, period_from, period_to, author, audience, summary, snapshot)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            report.header.generated_at.timestamp_millis(),
            period.map(|p| p.from),
            period.map(|p| p.to),
            report.header.author,
            report.header.audience.label(),
            report.summary.since_last,
            snapshot,
        ],
    )?;
    Ok(IssuedReport {
        id: conn.last_insert_rowid(),
        issued_at: report.header.generated_at,
    })
}

/// Every issued report, newest first.
pub fn past_reports(conn: &Connection) -> Result<Vec<PastReport>, ReportError> {
    let mut stmt = conn.prepare(
        "SELECT id, issued_at_ms, period_from, period_to, author, audience, summary
         FROM report_issue ORDER BY issued_at_ms DESC, id DESC",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let audience: String = r.get(5)?;
            Ok(PastReport {
                id: r.get(0)?,
                issued_at: DateTime::from_timestamp_millis(r.get(1)?).unwrap_or_default(),
                period_from: r.get(2)?,
                period_to: r.get(3)?,
                author: r.get(4)?,
                audience: Audience::parse(&audience).unwrap_or_default(),
                summary: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The last report issued at or before `now`, with its snapshot.
pub(super) fn last_issued(
    conn: &Connection,
    now: DateTime<Utc>,
) -> Result<Option<(DateTime<Utc>, Snapshot)>, ReportError> {
    let row: Option<(i64, i64, String)> = conn
        .query_row(
            "SELECT id, issued_at_ms, snapshot FROM report_issue WHERE issued_at_ms <= ?1
             ORDER BY issued_at_ms DESC, id DESC LIMIT 1",
            [now.timestamp_millis()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, at_ms, json)) = row else {
        return Ok(None);
    };
    let snapshot: Snapshot = serde_json::from_str(&json).map_err(|e| ReportError::Snapshot {
        id,
        reason: e.to_string(),
    })?;
    Ok(Some((
        DateTime::from_timestamp_millis(at_ms).unwrap_or_default(),
        snapshot,
    )))
}

/// What changed between the last report's snapshot and now.
pub(super) fn changes(
    last: Option<(DateTime<Utc>, Snapshot)>,
    now: &Snapshot,
    plan: &Plan,
    imports: &[crate::import::ImportRecord],
    tz: Tz,
    step_line: impl Fn(&crate::plan::Step) -> StepLine,
) -> Changes {
    let Some((since, was)) = last else {
        return Changes {
            since: None,
            since_text: None,
            steps_completed: Vec::new(),
            rag_changes: Vec::new(),
            figures: Vec::new(),
            imports: Vec::new(),
        };
    };
    let today = plan.as_of;
    let steps_completed = plan
        .objectives
        .iter()
        .flat_map(|o| &o.steps)
        .filter(|s| s.status == StepStatus::Done)
        .filter(|s| {
            was.steps
                .iter()
                .find(|w| w.id == s.id)
                .is_none_or(|w| w.status != StepStatus::Done)
        })
        .map(step_line)
        .collect();
    let rag_changes = plan
        .objectives
        .iter()
        .filter_map(|o| {
            let before = was.objectives.iter().find(|w| w.id == o.id)?;
            (before.rag != o.rag.status).then(|| RagChange {
                objective: o.id.clone(),
                title: o.title.clone(),
                was: before.rag,
                now: o.rag.status,
            })
        })
        .collect();
    let new_imports = imports
        .iter()
        .filter(|i| was.last_import_id.is_none_or(|last| i.id > last))
        .map(import_line)
        .collect();
    let local = since.with_timezone(&tz);
    Changes {
        since: Some(since),
        // Two reports on one day are told apart by the time.
        since_text: Some(if local.date_naive() == today {
            format!("{}, {}", units::date(today, today), local.format("%H:%M"))
        } else {
            units::date(local.date_naive(), today)
        }),
        steps_completed,
        rag_changes,
        figures: figure_changes(&was.figures, &now.figures),
        imports: new_imports,
    }
}

pub(super) fn import_line(i: &crate::import::ImportRecord) -> ImportLine {
    ImportLine {
        id: i.id,
        file_name: i.file_name.clone(),
        format: i.format.clone(),
        imported_at: DateTime::from_timestamp_millis(i.imported_at_ms).unwrap_or_default(),
        rows_read: i.rows_read,
        items_new: i.items_new,
        items_updated: i.items_updated,
        rows_rejected: i.rows_rejected,
    }
}

/// Each key figure that both snapshots have, worded as the summary words it.
fn figure_changes(was: &KeyFigures, now: &KeyFigures) -> Vec<FigureChange> {
    /// How a figure reads.
    type Shown = fn(f64) -> String;
    /// Label, was, now, how it reads, and whether lower is better (`None`: no goal direction).
    type Row<'a> = (&'a str, Option<f64>, Option<f64>, Shown, Option<bool>);
    let rows: [Row; 6] = [
        (
            "Active alert queues",
            was.active_queues.map(f64::from),
            now.active_queues.map(f64::from),
            |v| format!("{v:.0}"),
            Some(true),
        ),
        (
            "Median time to triage",
            was.triage_median_s,
            now.triage_median_s,
            units::duration,
            Some(true),
        ),
        (
            "Median time to resolve",
            was.resolve_median_s,
            now.resolve_median_s,
            units::duration,
            Some(true),
        ),
        (
            "Closed by automation",
            was.automated_share,
            now.automated_share,
            units::percent,
            Some(false),
        ),
        (
            "Open backlog",
            was.open_backlog.map(|v| v as f64),
            now.open_backlog.map(|v| v as f64),
            |v| units::count(v as u64),
            Some(true),
        ),
        (
            "Items in the period",
            Some(was.items as f64),
            Some(now.items as f64),
            |v| units::count(v as u64),
            None,
        ),
    ];
    rows.into_iter()
        .filter_map(|(label, was, now, shown, lower_is_better)| {
            let (was, now) = (was?, now?);
            let (was_text, now_text) = (shown(was), shown(now));
            let (direction, trend) = if was_text == now_text {
                ("unchanged", Some(Trend::Unchanged))
            } else {
                let down = now < was;
                let trend = lower_is_better.map(|lower| {
                    if down == lower {
                        Trend::Better
                    } else {
                        Trend::Worse
                    }
                });
                (if down { "down" } else { "up" }, trend)
            };
            Some(FigureChange {
                label: label.to_owned(),
                was: was_text,
                now: now_text,
                direction: direction.to_owned(),
                trend,
            })
        })
        .collect()
}

/// One line for the summary and the list of past reports.
pub(super) fn since_last_line(changes: &Changes) -> String {
    let Some(since) = &changes.since_text else {
        return "First report issued: the next one will list what changed since this one."
            .to_owned();
    };
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut parts = vec![
        plural(changes.steps_completed.len(), "step done", "steps done"),
        plural(changes.imports.len(), "new import", "new imports"),
    ];
    for rag in &changes.rag_changes {
        parts.push(format!(
            "objective {} {} → {}",
            rag.objective,
            rag.was.as_str(),
            rag.now.as_str()
        ));
    }
    for f in changes
        .figures
        .iter()
        .filter(|f| f.direction != "unchanged" && f.trend.is_some())
    {
        parts.push(format!(
            "{} {} ({} → {})",
            f.label.to_lowercase(),
            f.direction,
            f.was,
            f.now
        ));
    }
    format!("Since the last report ({since}): {}.", parts.join("; "))
}
