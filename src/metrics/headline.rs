//! The dashboard's four headline figures, in words, the same for the app and for reports.
//!
//! Each says where it stands now (the last weeks of the period), what it was (the first
//! weeks), and whether that is better: for these figures the direction is defined — fewer
//! queues, faster triage and more closed by automation are the program's goals.

use serde::Serialize;

use super::{Metrics, DEFINITIONS, HEADLINE_WEEKS};
use crate::plan::{Plan, Rag};
use crate::units;

/// Whether a change is for the better, where the figure's direction is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Better,
    Worse,
    Unchanged,
}

/// One headline figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tile {
    pub key: &'static str,
    pub label: &'static str,
    /// The figure now; `None` when there is no data for it.
    pub value: Option<String>,
    /// "down from 3", "was 9.2 h (−85%)".
    pub change: Option<String>,
    pub arrow: Option<&'static str>,
    pub trend: Option<Trend>,
    /// A line of context: target, p90 and coverage, how many items.
    pub context: String,
    pub definition: &'static str,
}

/// An objective's RAG for the plan tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectiveStatus {
    pub id: String,
    pub title: String,
    pub status: Rag,
    pub reason: String,
}

/// The plan's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanTile {
    pub label: &'static str,
    pub done: usize,
    pub total: usize,
    pub objectives: Vec<ObjectiveStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub tiles: Vec<Tile>,
    pub plan: PlanTile,
    /// "Jun 2 – Sep 21 · first 4 weeks against the last 4": what "was" and "now" mean.
    pub basis: String,
}

fn definition(name: &str) -> &'static str {
    DEFINITIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, d)| *d)
        .unwrap_or("")
}

fn trend_of(before: f64, after: f64, lower_is_better: bool) -> (Trend, &'static str) {
    if (after - before).abs() < f64::EPSILON * before.abs().max(1.0) {
        (Trend::Unchanged, "→")
    } else if (after < before) == lower_is_better {
        (Trend::Better, if after < before { "↓" } else { "↑" })
    } else {
        (Trend::Worse, if after < before { "↓" } else { "↑" })
    }
}

/// The four tiles from the figures and the plan.
pub fn headline(metrics: &Metrics, plan: &Plan) -> Headline {
    // "Was" only means something when the first and last weeks do not overlap.
    let comparable = metrics.weeks.len() >= 2 * HEADLINE_WEEKS;
    let (start, end) = (metrics.start.as_ref(), metrics.end.as_ref());

    let queues = {
        let now = end.map(|e| e.active_queues);
        let was = start.map(|s| s.active_queues).filter(|_| comparable);
        let (change, arrow, trend) = match (now, was) {
            (Some(n), Some(w)) if n != w => {
                let (trend, arrow) = trend_of(f64::from(w), f64::from(n), true);
                let word = if n < w { "down" } else { "up" };
                (Some(format!("{word} from {w}")), Some(arrow), Some(trend))
            }
            (Some(_), Some(w)) => (
                Some(format!("unchanged at {w}")),
                Some("→"),
                Some(Trend::Unchanged),
            ),
            _ => (None, None, None),
        };
        let context = match &metrics.queue_target {
            Some(t) if t.weeks_met > 0 => format!(
                "target {} · met for {} {}",
                t.target,
                t.weeks_met,
                if t.weeks_met == 1 { "week" } else { "weeks" }
            ),
            Some(t) => format!("target {} · not met yet", t.target),
            None => String::new(),
        };
        Tile {
            key: "queues",
            label: "Alert queues",
            value: now.map(|n| n.to_string()),
            change,
            arrow,
            trend,
            context,
            definition: definition("Active queues"),
        }
    };

    let triage = {
        let now = end.and_then(|e| e.triage.median_s);
        let was = start.and_then(|s| s.triage.median_s).filter(|_| comparable);
        let (change, arrow, trend) = match (now, was) {
            (Some(n), Some(w)) => {
                let (trend, arrow) = trend_of(w, n, true);
                let pct = if w > 0.0 {
                    format!(" ({})", units::change(n / w - 1.0))
                } else {
                    String::new()
                };
                let was_approx = start.map_or("", |s| approx(&s.triage));
                (
                    Some(format!("was {was_approx}{}{pct}", units::duration(w))),
                    Some(arrow),
                    Some(trend),
                )
            }
            _ => (None, None, None),
        };
        let context = end
            .map(|e| {
                let mut parts = Vec::new();
                if let Some(p90) = e.triage.p90_s {
                    parts.push(format!("p90 {}{}", approx(&e.triage), units::duration(p90)));
                }
                if let Some(c) = e.triage.coverage {
                    parts.push(format!("{} of items timed", units::percent(c)));
                }
                parts.join(" · ")
            })
            .unwrap_or_default();
        Tile {
            key: "triage",
            label: "Median time to triage",
            value: now.map(|n| {
                let approximate = end.map_or("", |e| approx(&e.triage));
                format!("{approximate}{}", units::duration(n))
            }),
            change,
            arrow,
            trend,
            context,
            definition: definition("Time to triage"),
        }
    };

    let automation = {
        let now = end.and_then(|e| e.automated_share);
        let was = start.and_then(|s| s.automated_share).filter(|_| comparable);
        let (change, arrow, trend) = match (now, was) {
            (Some(n), Some(w)) => {
                let (trend, arrow) = trend_of(w, n, false);
                (
                    Some(format!("was {}", units::percent(w))),
                    Some(arrow),
                    Some(trend),
                )
            }
            _ => (None, None, None),
        };
        Tile {
            key: "automation",
            label: "Closed by automation",
            value: now.map(units::percent),
            change,
            arrow,
            trend,
            context: end
                .map(|e| format!("of {} resolved items", units::count(e.resolved)))
                .unwrap_or_default(),
            definition: definition("Closed by automation"),
        }
    };

    let basis = match (metrics.data_first, metrics.data_last) {
        (Some(f), Some(l)) if comparable => format!(
            "{} – {} · the first {HEADLINE_WEEKS} weeks against the last {HEADLINE_WEEKS}",
            units::date(f, l),
            units::date(l, l)
        ),
        (Some(f), Some(l)) => format!(
            "{} – {} · fewer than {} weeks: no comparison yet",
            units::date(f, l),
            units::date(l, l),
            2 * HEADLINE_WEEKS
        ),
        _ => "no items imported yet".to_owned(),
    };

    Headline {
        tiles: vec![queues, triage, automation],
        plan: PlanTile {
            label: "Plan",
            done: plan.steps_done,
            total: plan.steps_total,
            objectives: plan
                .objectives
                .iter()
                .map(|o| ObjectiveStatus {
                    id: o.id.clone(),
                    title: o.title.clone(),
                    status: o.rag.status,
                    reason: o.rag.reason.clone(),
                })
                .collect(),
        },
        basis,
    }
}

/// "≈" before a figure estimated from aggregate buckets (docs/queries/README.md).
fn approx(timing: &super::Timing) -> &'static str {
    if timing.approximate {
        "≈"
    } else {
        ""
    }
}
