//! Before/after around a milestone: the W weeks before against the W weeks after, with a 95%
//! bootstrap interval, and a verdict only where the interval supports one.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::load::{load_items, queue_configs, Cell, Item, Loaded};
use super::stats::{bootstrap_median_change, bootstrap_share_change, share, Interval, Sample};
use super::{day_start_ms, milestones, Filter, MetricsError};
use crate::histogram::Histogram;
use crate::import::aggregate::Measure;
use crate::units;

/// Fewer items than this on either side give no verdict.
pub const MIN_ITEMS_EACH_SIDE: u64 = 5;

/// What to compare.
#[derive(Debug, Clone)]
pub struct CompareQuery {
    pub at: NaiveDate,
    pub weeks: u32,
    pub tz: Tz,
    pub filter: Filter,
    /// What happened on `at` (a step's text); a plain date when `None`.
    pub label: Option<String>,
    pub step: Option<String>,
    pub now: DateTime<Utc>,
}

/// What the interval says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Improved,
    Worsened,
    NoClearChange,
    NotEnoughData,
}

/// A median before and after, for a duration where lower is better.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MedianChange {
    pub n_before: u64,
    pub n_after: u64,
    pub median_before_s: Option<f64>,
    pub median_after_s: Option<f64>,
    pub difference_s: Option<f64>,
    /// (after − before) / before: −0.82 is 82% faster.
    pub change: Option<f64>,
    pub interval_s: Option<Interval>,
    pub interval_change: Option<Interval>,
    pub verdict: Verdict,
    /// Aggregate cells are part of it: the medians (and the bootstrap) are over duration
    /// buckets, within 12.2% (+0.63 s) of the exact ones. Only written when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
}

/// A share before and after, where higher is better.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareChange {
    pub n_before: u64,
    pub n_after: u64,
    pub share_before: Option<f64>,
    pub share_after: Option<f64>,
    pub difference: Option<f64>,
    pub interval: Option<Interval>,
    pub verdict: Verdict,
}

/// A piece of a sentence; `strong` marks the milestone's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    pub strong: bool,
}

/// The result around one milestone or date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub label: String,
    pub step: Option<String>,
    pub at: NaiveDate,
    pub weeks: u32,
    /// First day of the before window and last day of the after window.
    pub before_from: NaiveDate,
    pub after_to: NaiveDate,
    pub triage: MedianChange,
    pub resolve: MedianChange,
    pub automated: ShareChange,
    pub primary_share_before: Option<f64>,
    pub primary_share_after: Option<f64>,
    /// Mean of the weekly active-queue counts on each side.
    pub active_queues_before: Option<f64>,
    pub active_queues_after: Option<f64>,
    /// One plain sentence per figure, the verdict strip's text, strongest result first.
    pub sentences: Vec<Vec<Span>>,
    /// How strong the first sentence's result is: above 1 for a clear change (1 + its relative
    /// size), 0.5 when unclear, 0 without enough data. Orders milestones in the verdict strip.
    pub strength: f64,
}

impl Comparison {
    /// Whether the data covers this milestone's whole "before" window (the "after" window may
    /// still be filling: "no clear change yet"). Only such milestones are judged, on the
    /// dashboard and in reports.
    pub fn is_judged_by(&self, figures: &super::Metrics) -> bool {
        figures
            .data_first
            .zip(figures.data_last)
            .is_some_and(|(first, last)| self.before_from >= first && self.at <= last)
    }
}

fn durations(items: &[&Item], pick: impl Fn(&Item) -> Option<i64>) -> Vec<f64> {
    let mut d: Vec<f64> = items
        .iter()
        .filter(|i| i.created_exact)
        .filter_map(|i| pick(i).map(|t| (t - i.created_ms) as f64 / 1000.0))
        .filter(|d| *d >= 0.0)
        .collect();
    d.sort_unstable_by(f64::total_cmp);
    d
}

/// The two sides' durations: exact, or both binned when either side has aggregate cells (so
/// that binning cannot pass for a change).
fn samples(before: (Vec<f64>, Histogram), after: (Vec<f64>, Histogram)) -> (Sample, Sample, bool) {
    if before.1.is_empty() && after.1.is_empty() {
        return (Sample::Exact(before.0), Sample::Exact(after.0), false);
    }
    let binned = |(exact, mut h): (Vec<f64>, Histogram)| {
        for d in exact {
            h.add(d);
        }
        Sample::Binned(h)
    };
    (binned(before), binned(after), true)
}

/// The timing cells (`measure`) of one side as a histogram.
fn binned(cells: &[&Cell], measure: Measure) -> Histogram {
    let mut h = Histogram::new();
    for cell in cells
        .iter()
        .filter(|c| c.measure == measure && c.bucket >= 0)
    {
        h.add_bucket(cell.bucket, cell.count, cell.sum_s);
    }
    h
}

fn median_change((before, after, approximate): (Sample, Sample, bool)) -> MedianChange {
    let (before, after) = (&before, &after);
    let median_before_s = before.percentile(0.5);
    let median_after_s = after.percentile(0.5);
    let difference_s = median_before_s.zip(median_after_s).map(|(b, a)| a - b);
    let change = median_before_s
        .zip(difference_s)
        .and_then(|(b, d)| (b > 0.0).then(|| d / b));
    let (n_before, n_after) = (before.len(), after.len());
    let enough = n_before >= MIN_ITEMS_EACH_SIDE && n_after >= MIN_ITEMS_EACH_SIDE;
    let intervals = if enough {
        bootstrap_median_change(before, after)
    } else {
        None
    };
    let interval_s = intervals.map(|(d, _)| d);
    let verdict = match interval_s {
        None => Verdict::NotEnoughData,
        // Lower is better for a duration.
        Some(i) if i.high < 0.0 => Verdict::Improved,
        Some(i) if i.low > 0.0 => Verdict::Worsened,
        Some(_) => Verdict::NoClearChange,
    };
    MedianChange {
        n_before,
        n_after,
        median_before_s,
        median_after_s,
        difference_s,
        change,
        interval_s,
        interval_change: intervals.and_then(|(_, r)| r),
        verdict,
        approximate,
    }
}

fn share_change(before: (u64, u64), after: (u64, u64)) -> ShareChange {
    let share_before = share(before.0, before.1);
    let share_after = share(after.0, after.1);
    let enough = before.1 >= MIN_ITEMS_EACH_SIDE && after.1 >= MIN_ITEMS_EACH_SIDE;
    let interval = if enough {
        bootstrap_share_change(before, after)
    } else {
        None
    };
    let verdict = match interval {
        None => Verdict::NotEnoughData,
        Some(i) if i.low > 0.0 => Verdict::Improved,
        Some(i) if i.high < 0.0 => Verdict::Worsened,
        Some(_) => Verdict::NoClearChange,
    };
    ShareChange {
        n_before: before.1,
        n_after: after.1,
        share_before,
        share_after,
        difference: share_before.zip(share_after).map(|(b, a)| a - b),
        interval,
        verdict,
    }
}

/// Compares the `weeks` weeks before `at` with the `weeks` weeks from `at` on.
pub fn compare(
    conn: &rusqlite::Connection,
    query: &CompareQuery,
) -> Result<Comparison, MetricsError> {
    check_weeks(query.weeks)?;
    let end_ms = day_start_ms(
        query.at + Duration::days(i64::from(query.weeks) * 7),
        query.tz,
    );
    let loaded = load_items(conn, &query.filter, Some(end_ms), query.tz)?;
    let primary = queue_configs(conn)?
        .into_iter()
        .find(|q| q.primary)
        .map(|q| q.name);
    Ok(compare_loaded(&loaded, primary.as_deref(), query))
}

fn check_weeks(weeks: u32) -> Result<(), MetricsError> {
    if weeks == 0 || weeks > 52 {
        return Err(MetricsError::InvalidInput(format!(
            "--weeks must be between 1 and 52, not {weeks}"
        )));
    }
    Ok(())
}

fn compare_loaded(loaded: &Loaded, primary: Option<&str>, query: &CompareQuery) -> Comparison {
    let days = i64::from(query.weeks) * 7;
    let before_from = query.at - Duration::days(days);
    let after_end = query.at + Duration::days(days);
    let start_ms = day_start_ms(before_from, query.tz);
    let at_ms = day_start_ms(query.at, query.tz);
    let end_ms = day_start_ms(after_end, query.tz);
    let primary_index =
        primary.and_then(|p| loaded.queues.iter().position(|q| q.eq_ignore_ascii_case(p)));
    let before: Vec<&Item> = loaded
        .items
        .iter()
        .filter(|i| i.created_ms >= start_ms && i.created_ms < at_ms)
        .collect();
    let after: Vec<&Item> = loaded
        .items
        .iter()
        .filter(|i| i.created_ms >= at_ms && i.created_ms < end_ms)
        .collect();

    // A cell is on the side its week starts in.
    let cell_side = |from_ms: i64, to_ms: i64| -> Vec<&Cell> {
        loaded
            .cells
            .iter()
            .filter(|c| {
                let at = day_start_ms(c.week_start, query.tz);
                at >= from_ms && at < to_ms
            })
            .collect()
    };
    let cells_before = cell_side(start_ms, at_ms);
    let cells_after = cell_side(at_ms, end_ms);
    let count = |cells: &[&Cell], measure: Measure, queue: Option<usize>| -> u64 {
        cells
            .iter()
            .filter(|c| c.measure == measure && queue.is_none_or(|q| c.queue as usize == q))
            .map(|c| c.count)
            .sum()
    };

    let triage = median_change(samples(
        (
            durations(&before, |i| i.triaged_ms),
            binned(&cells_before, Measure::Triage),
        ),
        (
            durations(&after, |i| i.triaged_ms),
            binned(&cells_after, Measure::Triage),
        ),
    ));
    let resolve = median_change(samples(
        (
            durations(&before, |i| i.resolved_ms),
            binned(&cells_before, Measure::Resolve),
        ),
        (
            durations(&after, |i| i.resolved_ms),
            binned(&cells_after, Measure::Resolve),
        ),
    ));
    let automation = |side: &[&Item], cells: &[&Cell]| {
        let resolved = side.iter().filter(|i| i.resolved).count() as u64;
        let automated = side.iter().filter(|i| i.resolved && i.automated).count() as u64;
        (
            automated + count(cells, Measure::Automated, None),
            resolved + count(cells, Measure::Resolved, None),
        )
    };
    let automated = share_change(
        automation(&before, &cells_before),
        automation(&after, &cells_after),
    );
    let primary_share = |side: &[&Item], cells: &[&Cell]| {
        let hits =
            primary_index.map_or(0, |p| side.iter().filter(|i| i.queue as usize == p).count());
        let cell_hits = primary_index.map_or(0, |p| count(cells, Measure::Created, Some(p)));
        share(
            hits as u64 + cell_hits,
            side.len() as u64 + count(cells, Measure::Created, None),
        )
    };
    let weekly_queues = |side: &[&Item], cells: &[&Cell], from_ms: i64| -> Option<f64> {
        let created_cells = || {
            cells
                .iter()
                .filter(|c| c.measure == Measure::Created && c.count > 0)
        };
        if side.is_empty() && created_cells().next().is_none() {
            return None;
        }
        let week_ms = 7 * 86_400_000_i64;
        let mut sets = vec![Vec::<u16>::new(); query.weeks as usize];
        let week_of = |ms: i64| (((ms - from_ms) / week_ms).max(0) as usize).min(sets.len() - 1);
        let seen = side.iter().map(|i| (week_of(i.created_ms), i.queue)).chain(
            created_cells().map(|c| (week_of(day_start_ms(c.week_start, query.tz)), c.queue)),
        );
        let seen: Vec<(usize, u16)> = seen.collect();
        for (w, queue) in seen {
            if !sets[w].contains(&queue) {
                sets[w].push(queue);
            }
        }
        Some(sets.iter().map(|s| s.len() as f64).sum::<f64>() / sets.len() as f64)
    };

    let label = query
        .label
        .clone()
        .unwrap_or_else(|| format!("{}", query.at));
    let mut comparison = Comparison {
        label,
        step: query.step.clone(),
        at: query.at,
        weeks: query.weeks,
        before_from,
        after_to: after_end - Duration::days(1),
        primary_share_before: primary_share(&before, &cells_before),
        primary_share_after: primary_share(&after, &cells_after),
        active_queues_before: weekly_queues(&before, &cells_before, start_ms),
        active_queues_after: weekly_queues(&after, &cells_after, at_ms),
        triage,
        resolve,
        automated,
        sentences: Vec::new(),
        strength: 0.0,
    };
    let scored = sentences(&comparison, query.now);
    comparison.strength = scored.first().map_or(0.0, |(score, _)| *score);
    comparison.sentences = scored.into_iter().map(|(_, s)| s).collect();
    comparison
}

/// A comparison around every milestone of the plan (every done step), reading the items once.
pub fn compare_milestones(
    conn: &rusqlite::Connection,
    weeks: u32,
    tz: Tz,
    filter: &Filter,
    now: DateTime<Utc>,
) -> Result<Vec<Comparison>, MetricsError> {
    check_weeks(weeks)?;
    let Some(last) = milestones(conn)?.iter().map(|m| m.at).max() else {
        return Ok(Vec::new());
    };
    let end_ms = day_start_ms(last + Duration::days(i64::from(weeks) * 7), tz);
    let loaded = load_items(conn, filter, Some(end_ms), tz)?;
    compare_milestones_loaded(conn, &loaded, weeks, tz, filter, now)
}

pub(crate) fn compare_milestones_loaded(
    conn: &rusqlite::Connection,
    loaded: &Loaded,
    weeks: u32,
    tz: Tz,
    filter: &Filter,
    now: DateTime<Utc>,
) -> Result<Vec<Comparison>, MetricsError> {
    check_weeks(weeks)?;
    let primary = queue_configs(conn)?
        .into_iter()
        .find(|q| q.primary)
        .map(|q| q.name);
    Ok(milestones(conn)?
        .into_iter()
        .map(|m| {
            compare_loaded(
                loaded,
                primary.as_deref(),
                &CompareQuery {
                    at: m.at,
                    weeks,
                    tz,
                    filter: filter.clone(),
                    label: Some(m.label),
                    step: Some(m.step),
                    now,
                },
            )
        })
        .collect())
}

fn day(date: NaiveDate, now: DateTime<Utc>) -> String {
    if date.year() == now.year() {
        date.format("%b %-d").to_string()
    } else {
        date.format("%b %-d, %Y").to_string()
    }
}

fn plain(text: impl Into<String>) -> Span {
    Span {
        text: text.into(),
        strong: false,
    }
}

fn strong(text: impl Into<String>) -> Span {
    Span {
        text: text.into(),
        strong: true,
    }
}

fn sentences(c: &Comparison, now: DateTime<Utc>) -> Vec<(f64, Vec<Span>)> {
    let when = format!(" ({})", day(c.at, now));
    let mut out = Vec::new();
    for (name, m) in [
        ("time to triage", &c.triage),
        ("time to resolve", &c.resolve),
    ] {
        let n = format!("n = {} / {}", m.n_before, m.n_after);
        let change = m.change.map(units::change).unwrap_or_default();
        let range = m.interval_change.map(|i| {
            format!(
                "interval {} to {}",
                units::change(i.low),
                units::change(i.high)
            )
        });
        let sentence = match (m.verdict, m.median_before_s, m.median_after_s) {
            (Verdict::Improved | Verdict::Worsened, Some(b), Some(a)) => {
                let moved = if m.verdict == Verdict::Improved {
                    "fell"
                } else {
                    "rose"
                };
                let interval = range.map(|r| format!(", 95% {r}")).unwrap_or_default();
                // Medians read from an aggregate's buckets are within 12%: say so.
                let about = if m.approximate { "≈" } else { "" };
                vec![
                    plain("After "),
                    strong(c.label.clone()),
                    plain(format!(
                        "{when}, median {name} {moved} from {about}{} to {about}{} ({change}{interval}; {} weeks each side, {n}).",
                        units::duration(b),
                        units::duration(a),
                        c.weeks
                    )),
                ]
            }
            (Verdict::NoClearChange, _, _) => {
                let interval = range.map(|r| format!(", {r}")).unwrap_or_default();
                vec![
                    plain(format!("No clear change yet in {name} after ")),
                    strong(c.label.clone()),
                    plain(format!("{when}: {change}{interval} ({n}).")),
                ]
            }
            _ => vec![
                plain(format!("Not enough data yet to judge {name} after ")),
                strong(c.label.clone()),
                plain(format!(
                    "{when} ({n}; at least {MIN_ITEMS_EACH_SIDE} each side are needed)."
                )),
            ],
        };
        let score = match m.verdict {
            Verdict::Improved | Verdict::Worsened => 1.0 + m.change.unwrap_or(0.0).abs(),
            Verdict::NoClearChange => 0.5,
            Verdict::NotEnoughData => 0.0,
        };
        out.push((score, sentence));
    }
    if let (Some(b), Some(a)) = (c.active_queues_before, c.active_queues_after) {
        let queues = |v: f64| {
            if (v - v.round()).abs() < 0.05 {
                format!("{:.0}", v)
            } else {
                format!("{v:.1}")
            }
        };
        if queues(b) != queues(a) {
            let moved = if a < b { "fell" } else { "rose" };
            let mut text = format!(
                "{when}, active queues {moved} from {} to {}",
                queues(b),
                queues(a)
            );
            if let (Some(sb), Some(sa)) = (c.primary_share_before, c.primary_share_after) {
                text.push_str(&format!(
                    " and the primary queue's share went from {} to {}",
                    units::percent(sb),
                    units::percent(sa)
                ));
            }
            text.push_str(&format!(" (weekly average, {} weeks each side).", c.weeks));
            // A count of queues is a fact of the data, not an estimate: its size is the score.
            let score = 1.0 + ((a - b) / b.max(1.0)).abs();
            out.push((
                score,
                vec![plain("After "), strong(c.label.clone()), plain(text)],
            ));
        }
    }
    let s = &c.automated;
    if let (Verdict::Improved | Verdict::Worsened, Some(b), Some(a)) =
        (s.verdict, s.share_before, s.share_after)
    {
        let moved = if s.verdict == Verdict::Improved {
            "rose"
        } else {
            "fell"
        };
        out.push((
            1.0 + (a - b).abs(),
            vec![
                plain("After "),
                strong(c.label.clone()),
                plain(format!(
                    "{when}, the share closed by automation {moved} from {} to {} (n = {} / {} resolved).",
                    units::percent(b),
                    units::percent(a),
                    s.n_before,
                    s.n_after
                )),
            ],
        ));
    }
    // The largest clear change first; then the unclear, then those without enough data.
    out.sort_by(|x, y| y.0.total_cmp(&x.0));
    out
}
