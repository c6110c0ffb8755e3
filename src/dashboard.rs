//! What the dashboard shows, assembled once for the app (and the same pieces for reports): the
//! figures, the headline tiles, the before/after verdicts and the charts, drawn in Rust.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::charts::{
    self, BurnUp, Chart, ChartSize, QueueConsolidation, QueueSeries, ShareChart, Theme, TimingChart,
};
use crate::metrics::{self, Comparison, Headline, Metrics, MetricsQuery};
use crate::plan;

/// The severities a work item can have, most severe first (the store's own list).
const SEVERITIES: [&str; 6] = [
    "critical",
    "high",
    "medium",
    "low",
    "informational",
    "unknown",
];

/// The sizes the dashboard draws at: two charts side by side, three smaller ones below.
pub const MAIN_CHART: ChartSize = ChartSize::new(620, 300);
pub const SMALL_CHART: ChartSize = ChartSize::new(400, 170);

/// A chart ready to place: its SVG and what it shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenderedChart {
    pub key: &'static str,
    pub title: &'static str,
    pub subtitle: &'static str,
    pub definition: &'static str,
    pub svg: String,
}

/// When data was last imported, for the top bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub imports: u64,
    pub last_import_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub program_name: String,
    pub metrics: Metrics,
    pub headline: Headline,
    pub comparisons: Vec<Comparison>,
    pub charts: Vec<RenderedChart>,
    pub imports: ImportSummary,
    /// Every queue and severity in the data, for the filters.
    pub all_queues: Vec<String>,
    pub all_severities: Vec<String>,
}

/// Why the dashboard could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error(transparent)]
    Metrics(#[from] metrics::MetricsError),
    #[error(transparent)]
    Plan(#[from] plan::PlanError),
    #[error(transparent)]
    Chart(#[from] charts::ChartError),
}

impl From<rusqlite::Error> for DashboardError {
    fn from(err: rusqlite::Error) -> Self {
        DashboardError::Metrics(err.into())
    }
}

fn milestones(m: &Metrics) -> Vec<charts::Milestone> {
    m.milestones
        .iter()
        .map(|x| charts::Milestone {
            label: x.label.clone(),
            at: x.at,
        })
        .collect()
}

/// The five charts of the dashboard (and of reports) from the figures, not yet drawn.
pub fn chart_specs(
    m: &Metrics,
) -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Chart,
)> {
    let weeks: Vec<NaiveDate> = m.weeks.iter().map(|w| w.start).collect();
    let milestones = milestones(m);
    let mut queue_names: Vec<(String, bool)> = m
        .queues
        .iter()
        .filter(|q| q.items > 0)
        .map(|q| (q.name.clone(), q.primary))
        .collect();
    queue_names.sort_by_key(|(_, primary)| std::cmp::Reverse(*primary));
    let queues = queue_names
        .into_iter()
        .map(|(name, primary)| QueueSeries {
            items: m
                .weeks
                .iter()
                .map(|w| w.by_queue.get(&name).copied().unwrap_or(0))
                .collect(),
            name,
            primary,
        })
        .collect();
    let timing = |title: &str, pick: fn(&metrics::WeekFigures) -> &metrics::Timing| TimingChart {
        title: title.to_owned(),
        weeks: weeks.clone(),
        median_s: m.weeks.iter().map(|w| pick(w).median_s).collect(),
        p90_s: m.weeks.iter().map(|w| pick(w).p90_s).collect(),
        n: m.weeks.iter().map(|w| pick(w).n).collect(),
        milestones: milestones.clone(),
        approximate: m.weeks.iter().any(|w| pick(w).approximate),
    };
    let definition = |name: &str| {
        metrics::DEFINITIONS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| *d)
            .unwrap_or("")
    };
    vec![
        (
            "queues",
            "Queue consolidation",
            "items per week by queue · active queues (line) · target (dashed)",
            definition("Active queues"),
            Chart::QueueConsolidation(QueueConsolidation {
                title: String::new(),
                weeks: weeks.clone(),
                queues,
                active_queues: m.weeks.iter().map(|w| w.active_queues).collect(),
                target: m.queue_target.as_ref().map(|t| t.target),
                milestones: milestones.clone(),
            }),
        ),
        (
            "triage",
            "Time to triage",
            "weekly median (line) and p90 (light) · n per week",
            definition("Time to triage"),
            Chart::Timing(timing("", |w| &w.triage)),
        ),
        (
            "resolve",
            "Time to resolve",
            "weekly median and p90",
            definition("Time to resolve"),
            Chart::Timing(timing("", |w| &w.resolve)),
        ),
        (
            "automation",
            "Closed by automation",
            "share of resolved items, weekly",
            definition("Closed by automation"),
            Chart::Share(ShareChart {
                title: String::new(),
                weeks: weeks.clone(),
                share: m.weeks.iter().map(|w| w.automated_share).collect(),
                n: m.weeks.iter().map(|w| w.resolved).collect(),
                milestones: milestones.clone(),
            }),
        ),
        (
            "burnup",
            "Plan burn-up",
            "steps done by the end of each week",
            "Plan steps marked done, by their done date, against all steps of the plan.",
            Chart::BurnUp(BurnUp {
                title: String::new(),
                dates: weeks.clone(),
                done: m.weeks.iter().map(|w| w.steps_done).collect(),
                total: m.weeks.iter().map(|_| m.steps_total).collect(),
                milestones,
            }),
        ),
    ]
}

/// Makes a drawn SVG scale with its box: the UI sizes it with CSS.
fn scalable(svg: String, size: ChartSize) -> String {
    if svg.contains("viewBox") {
        return svg;
    }
    svg.replacen(
        "<svg ",
        &format!(
            "<svg viewBox=\"0 0 {} {}\" preserveAspectRatio=\"xMidYMid meet\" ",
            size.width, size.height
        ),
        1,
    )
}

/// Everything the dashboard shows for `query`, charts drawn for `theme`.
pub fn dashboard(
    conn: &Connection,
    query: &MetricsQuery,
    today: NaiveDate,
    weeks_each_side: u32,
    theme: Theme,
) -> Result<Dashboard, DashboardError> {
    let (figures, comparisons) = metrics::weekly_and_milestones(conn, query, weeks_each_side)?;
    assemble(conn, figures, comparisons, today, theme)
}

/// The dashboard from figures already computed (by [`metrics::weekly_and_milestones`], perhaps
/// on another thread while the window opened): the plan, the tiles and the charts.
pub fn assemble(
    conn: &Connection,
    figures: Metrics,
    comparisons: Vec<Comparison>,
    today: NaiveDate,
    theme: Theme,
) -> Result<Dashboard, DashboardError> {
    let plan = plan::load(conn, today)?;
    let headline = metrics::headline(&figures, &plan);
    let comparisons = comparisons
        .into_iter()
        .filter(|c| c.is_judged_by(&figures))
        .collect();
    let charts = chart_specs(&figures)
        .into_iter()
        .map(|(key, title, subtitle, definition, chart)| {
            let size = if matches!(key, "queues" | "triage") {
                MAIN_CHART
            } else {
                SMALL_CHART
            };
            Ok(RenderedChart {
                key,
                title,
                subtitle,
                definition,
                svg: scalable(charts::render_svg(&chart, size, theme)?, size),
            })
        })
        .collect::<Result<Vec<_>, DashboardError>>()?;
    let imports = conn.query_row(
        "SELECT COUNT(*), MAX(imported_at_ms) FROM import",
        [],
        |r| {
            Ok(ImportSummary {
                imports: r.get::<_, i64>(0)?.unsigned_abs(),
                last_import_ms: r.get(1)?,
            })
        },
    )?;
    let names = |sql: &str| -> Result<Vec<String>, DashboardError> {
        let mut stmt = conn.prepare_cached(sql)?;
        let v = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    };
    let program_name: Option<String> = conn
        .query_row(
            "SELECT value FROM setting WHERE key = 'program_name'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(Dashboard {
        program_name: program_name.unwrap_or_default(),
        all_queues: {
            // The configured queues and any other the items name.
            let mut all = names("SELECT name FROM queue")?;
            for q in &figures.queues {
                if !all.iter().any(|n| n.eq_ignore_ascii_case(&q.name)) {
                    all.push(q.name.clone());
                }
            }
            all.sort();
            all
        },
        all_severities: SEVERITIES.iter().map(|s| (*s).to_owned()).collect(),
        metrics: figures,
        headline,
        comparisons,
        charts,
        imports,
    })
}
