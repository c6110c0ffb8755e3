//! Status reports: one model ([`Report`]) built from the store, rendered to PDF (A4 or Letter),
//! a self-contained HTML file, Markdown with its charts as PNG files beside it, and the charts
//! alone as 2× PNG for slides.
//!
//! The model holds text as it came from the data and the plan; each renderer makes it inert for
//! its own format (HTML escaping, Markdown escaping, spreadsheet-formula neutralising in table
//! cells). Figures are worded by [`crate::units`], the same as in the app. "Now" and the time
//! zone are passed in: nothing here reads the clock.
//!
//! Each issued report stores a small snapshot (key figures, plan state, last import), from
//! which the next report says what changed since.

mod build;
mod html;
mod markdown;
mod pdf;
mod snapshot;
mod text;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::charts::{self, Chart, ChartSize, Theme};
use crate::metrics::Trend;
use crate::plan::{AccountabilityRow, Rag, StepStatus};

pub use build::build;
pub use html::render_html;
pub use markdown::render_markdown;
pub use pdf::render_pdf;
pub use snapshot::{issue, past_reports, IssuedReport, PastReport, Snapshot};
pub use text::neutralise_cell;

/// Why a report could not be built, rendered or written. Nothing is stored when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("the period is empty: {from} is after {to}")]
    EmptyPeriod { from: NaiveDate, to: NaiveDate },
    #[error("{0}")]
    InvalidInput(String),
    #[error("drawing the report's charts failed: {0}")]
    Chart(#[from] charts::ChartError),
    #[error("writing the PDF failed: {0}")]
    Pdf(String),
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },
    #[error("the stored report snapshot {id} cannot be read: {reason}")]
    Snapshot { id: i64, reason: String },
    /// The store, the plan, imports or metrics failed underneath.
    #[error(transparent)]
    Core(Box<crate::Error>),
}

impl ReportError {
    /// A short, stable name for the kind of error (sent to the UI as `kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            ReportError::EmptyPeriod { .. } | ReportError::InvalidInput(_) => "invalid_input",
            ReportError::Chart(_) | ReportError::Pdf(_) => "render_failed",
            ReportError::Write { .. } => "io_failed",
            ReportError::Snapshot { .. } => "database_error",
            ReportError::Core(e) => e.kind(),
        }
    }
}

impl From<crate::metrics::MetricsError> for ReportError {
    fn from(err: crate::metrics::MetricsError) -> Self {
        ReportError::Core(Box::new(err.into()))
    }
}

impl From<crate::plan::PlanError> for ReportError {
    fn from(err: crate::plan::PlanError) -> Self {
        ReportError::Core(Box::new(err.into()))
    }
}

impl From<crate::import::ImportError> for ReportError {
    fn from(err: crate::import::ImportError) -> Self {
        ReportError::Core(Box::new(err.into()))
    }
}

impl From<crate::store::StoreError> for ReportError {
    fn from(err: crate::store::StoreError) -> Self {
        ReportError::Core(Box::new(err.into()))
    }
}

impl From<rusqlite::Error> for ReportError {
    fn from(err: rusqlite::Error) -> Self {
        crate::store::StoreError::from(err).into()
    }
}

/// Who reads the report: an executive gets the plan per objective in a few lines, a program
/// lead also every step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    #[default]
    Executive,
    Program,
}

impl Audience {
    pub fn label(self) -> &'static str {
        match self {
            Audience::Executive => "executive",
            Audience::Program => "program",
        }
    }

    /// Accepts `executive`/`exec` and `program`.
    pub fn parse(value: &str) -> Result<Self, ReportError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "executive" | "exec" => Ok(Audience::Executive),
            "program" | "programme" => Ok(Audience::Program),
            _ => Err(ReportError::InvalidInput(format!(
                "{value:?} is not an audience; use executive or program"
            ))),
        }
    }
}

/// The first and last calendar day a report covers (in the report's time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Reads `FROM..TO` (ISO dates); either side may be left open (`..2026-06-30`).
    pub fn parse(value: &str) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ReportError> {
        let (from, to) = value.split_once("..").ok_or_else(|| {
            ReportError::InvalidInput(format!(
                "{value:?} is not a period; write it as FROM..TO, e.g. 2026-03-01..2026-06-30"
            ))
        })?;
        let day = |text: &str| -> Result<Option<NaiveDate>, ReportError> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    ReportError::InvalidInput(format!("{text:?} is not a date; write YYYY-MM-DD"))
                })
        };
        let (from, to) = (day(from)?, day(to)?);
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(ReportError::EmptyPeriod { from: f, to: t });
            }
        }
        Ok((from, to))
    }
}

/// What to report on, for whom, and when.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// First and last day; `None` on a side takes the data's own first or last day.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub audience: Audience,
    pub author: String,
    pub now: DateTime<Utc>,
    pub tz: Tz,
    /// Weeks on each side of a milestone for the before/after verdicts.
    pub weeks_each_side: u32,
}

/// The formats [`write`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Pdf,
    Html,
    Markdown,
    Png,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Pdf, Format::Html, Format::Markdown, Format::Png];

    /// Reads a comma-separated list such as `pdf,html,md,png`.
    pub fn parse_list(value: &str) -> Result<Vec<Format>, ReportError> {
        let mut formats = Vec::new();
        for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let format = match name.to_ascii_lowercase().as_str() {
                "pdf" => Format::Pdf,
                "html" | "htm" => Format::Html,
                "md" | "markdown" => Format::Markdown,
                "png" => Format::Png,
                _ => {
                    return Err(ReportError::InvalidInput(format!(
                        "{name:?} is not a report format; use pdf, html, md or png"
                    )))
                }
            };
            if !formats.contains(&format) {
                formats.push(format);
            }
        }
        if formats.is_empty() {
            return Err(ReportError::InvalidInput(
                "no report format given; use pdf, html, md or png".to_owned(),
            ));
        }
        Ok(formats)
    }
}

/// The PDF's paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in PDF points (1/72 in).
    pub fn size_pt(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }

    pub fn parse(value: &str) -> Result<Self, ReportError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" | "us-letter" => Ok(Paper::Letter),
            _ => Err(ReportError::InvalidInput(format!(
                "{value:?} is not a paper size; use a4 or letter"
            ))),
        }
    }
}

/// Who, when, what period: the report's first lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub title: String,
    pub program_name: String,
    pub period: Option<Period>,
    /// "Mar 2 – Jun 21, 2026", or "all data" when no item is in the period.
    pub period_text: String,
    pub data_first: Option<NaiveDate>,
    pub data_last: Option<NaiveDate>,
    pub data_range_text: String,
    pub generated_at: DateTime<Utc>,
    /// In the report's time zone: "2026-11-28 09:30 (Europe/Paris)".
    pub generated_at_text: String,
    pub tz: String,
    pub app_version: String,
    pub author: String,
    pub audience: Audience,
}

/// One headline figure as the summary states it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub label: String,
    /// "—" when there is no data.
    pub value: String,
    pub arrow: Option<String>,
    pub change: Option<String>,
    pub trend: Option<Trend>,
    pub context: String,
}

/// A piece of a sentence; `strong` marks a milestone's name (as the dashboard's verdicts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phrase {
    pub text: String,
    pub strong: bool,
}

/// A before/after verdict in plain sentences, each with its interval and n.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictLine {
    pub milestone: String,
    pub at: NaiveDate,
    pub sentences: Vec<Vec<Phrase>>,
}

/// The first page: the headline figures, the plan in one line, the verdicts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub figures: Vec<Figure>,
    /// "8 of 14 steps done (57%) · 1 objective red, 1 amber, 1 green".
    pub plan_line: String,
    /// "the first 4 weeks against the last 4": what "was" and "now" mean.
    pub basis: String,
    pub verdicts: Vec<VerdictLine>,
    /// "Since the last report (Nov 14): 2 steps done, 1 import, median time to triage down."
    pub since_last: String,
}

/// A step as the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepLine {
    pub reference: String,
    pub text: String,
    pub owner: String,
    pub status: StepStatus,
    pub due_date: Option<NaiveDate>,
    pub done_date: Option<NaiveDate>,
    /// "due Dec 4", "overdue since Nov 2", "done Oct 1", "".
    pub when: String,
}

/// An objective's progress and status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveSection {
    pub id: String,
    pub title: String,
    pub steps_done: usize,
    pub steps_total: usize,
    /// Whole percent of steps done; `None` without steps.
    pub percent_done: Option<u32>,
    pub rag: Rag,
    pub rag_reason: String,
    /// Set by hand: the rule's own result is kept beside it.
    pub overridden: bool,
    pub rule_text: Option<String>,
    /// For an outcome objective: what the data says ("active queues ≤ 1 for 3 weeks; …").
    pub outcome: Option<String>,
    pub owners: Vec<String>,
    pub overdue: Vec<StepLine>,
    pub blocked: Vec<StepLine>,
    /// Open steps with a due date, soonest first (at most three).
    pub next_due: Vec<StepLine>,
    /// Every step (the program audience only; empty for executives).
    pub steps: Vec<StepLine>,
}

/// A chart of the report: drawn once as SVG (HTML, PDF) and kept as its spec for the PNGs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportChart {
    pub key: String,
    pub title: String,
    pub subtitle: String,
    pub definition: String,
    pub size: ChartSize,
    pub svg: String,
    #[serde(skip)]
    pub spec: Chart,
}

/// A figure now against the last report's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureChange {
    pub label: String,
    pub was: String,
    pub now: String,
    /// "down", "up" or "unchanged".
    pub direction: String,
    pub trend: Option<Trend>,
}

/// An objective whose RAG changed since the last report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RagChange {
    pub objective: String,
    pub title: String,
    pub was: Rag,
    pub now: Rag,
}

/// An import as listed in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportLine {
    pub id: i64,
    pub file_name: String,
    pub format: String,
    pub imported_at: DateTime<Utc>,
    pub rows_read: i64,
    pub items_new: i64,
    pub items_updated: i64,
    pub rows_rejected: i64,
}

/// What changed since the last issued report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    /// When the last report was issued; `None` for the first one.
    pub since: Option<DateTime<Utc>>,
    pub since_text: Option<String>,
    pub steps_completed: Vec<StepLine>,
    pub rag_changes: Vec<RagChange>,
    pub figures: Vec<FigureChange>,
    pub imports: Vec<ImportLine>,
}

/// One queue's timing coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageRow {
    pub queue: String,
    pub items: u64,
    pub triage_coverage: Option<f64>,
    pub resolve_coverage: Option<f64>,
}

/// Rows an import refused, with the first few reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectedRows {
    pub file_name: String,
    pub rows_rejected: i64,
    pub examples: Vec<crate::import::Rejection>,
}

/// How an import read day/month dates, where it had to decide.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateOrderLine {
    pub file_name: String,
    /// "month/day" or "day/month".
    pub order: String,
    /// "read from the data", "chosen by the user", "assumed (no date told them apart)".
    pub settled: String,
    pub assumed: bool,
}

/// How far the figures can be trusted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataQuality {
    pub items: u64,
    pub triage_coverage: Option<f64>,
    pub resolve_coverage: Option<f64>,
    pub coverage: Vec<CoverageRow>,
    pub without_created_time: u64,
    pub negative_triage: u64,
    pub negative_resolve: u64,
    pub rejected: Vec<RejectedRows>,
    pub date_orders: Vec<DateOrderLine>,
}

/// A metric's definition, for the appendix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Definition {
    pub name: String,
    pub text: String,
}

/// A whole status report: everything every format shows, serialisable for a live preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub header: Header,
    pub summary: Summary,
    pub objectives: Vec<ObjectiveSection>,
    pub accountability: Vec<AccountabilityRow>,
    pub charts: Vec<ReportChart>,
    pub changes: Changes,
    pub data_quality: DataQuality,
    pub definitions: Vec<Definition>,
    /// What [`issue`] stores, for the next report's "since the last report".
    pub snapshot: Snapshot,
}

/// The size charts are drawn at for the report: one per row, the page's width.
pub const REPORT_CHART: ChartSize = ChartSize::new(720, 300);
/// The PNG charts' size in CSS pixels; written at [`PNG_SCALE`]× for slides.
pub const SLIDE_CHART: ChartSize = ChartSize::new(800, 400);
pub const PNG_SCALE: u32 = 2;

/// What [`write`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOptions {
    pub formats: Vec<Format>,
    pub paper: Paper,
}

impl Report {
    /// The files' common name: "status-report-2026-11-28".
    pub fn file_stem(&self) -> String {
        let tz: Tz = self.header.tz.parse().unwrap_or(chrono_tz::UTC);
        format!(
            "status-report-{}",
            self.header
                .generated_at
                .with_timezone(&tz)
                .format("%Y-%m-%d")
        )
    }

    /// The PNG file a chart is written to (beside the Markdown, and for slides).
    pub fn chart_file_name(&self, chart: &ReportChart) -> String {
        format!("{}-{}.png", self.file_stem(), chart.key)
    }
}

/// What [`export`] wrote and recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub files: Vec<PathBuf>,
    /// `None` for a draft.
    pub issued: Option<IssuedReport>,
}

/// Writes the report's files and records it as issued, together: a report that could not be
/// written is not issued, so the next report's "since the last report" stays true. A draft is
/// written without being recorded.
pub fn export(
    conn: &mut rusqlite::Connection,
    report: &Report,
    dir: &Path,
    options: &WriteOptions,
    draft: bool,
) -> Result<Exported, ReportError> {
    let tx = conn.transaction()?;
    let issued = if draft {
        None
    } else {
        Some(issue(&tx, report)?)
    };
    let files = write(report, dir, options)?;
    tx.commit()?;
    Ok(Exported { files, issued })
}

/// Writes the report in each of `options.formats` into `dir` (created if missing) and returns
/// the files written. Every file is rendered before the first is written, so a rendering
/// error leaves the folder as it was.
pub fn write(
    report: &Report,
    dir: &Path,
    options: &WriteOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let stem = report.file_stem();
    for format in &options.formats {
        match format {
            Format::Pdf => files.push((format!("{stem}.pdf"), render_pdf(report, options.paper)?)),
            Format::Html => files.push((format!("{stem}.html"), render_html(report).into_bytes())),
            Format::Markdown => {
                files.push((format!("{stem}.md"), render_markdown(report).into_bytes()))
            }
            Format::Png => {}
        }
    }
    // The Markdown's charts and the slides' are the same files.
    if options
        .formats
        .iter()
        .any(|f| matches!(f, Format::Markdown | Format::Png))
    {
        for chart in &report.charts {
            let png = charts::render_png(&chart.spec, SLIDE_CHART, Theme::Light, PNG_SCALE)?;
            files.push((report.chart_file_name(chart), png));
        }
    }
    let write_error = |path: &Path, e: std::io::Error| ReportError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        // Written beside, then renamed: a reader never sees half a file.
        let partial = dir.join(format!("{name}.partial"));
        let path = dir.join(name);
        std::fs::write(&partial, &bytes).map_err(|e| write_error(&partial, e))?;
        std::fs::rename(&partial, &path).map_err(|e| write_error(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
