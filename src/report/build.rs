//! Assembles a [`Report`] from the store: the figures and verdicts (as the dashboard computes
//! them), the plan, the charts, the imports, and the last issued report's snapshot.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::snapshot::{self, KeyFigures, ObjectiveState, Snapshot, StepState};
use super::{
    CoverageRow, DataQuality, DateOrderLine, Definition, Figure, Header, ObjectiveSection, Period,
    Phrase, RejectedRows, Report, ReportChart, ReportError, ReportOptions, StepLine, Summary,
    VerdictLine, REPORT_CHART,
};
use crate::charts::{self, Theme};
use crate::import::{self, DateOrder, DateOrderFrom, ImportRecord};
use crate::metrics::{self, Comparison, Filter, Metrics, MetricsQuery};
use crate::plan::{self, ObjectiveKind, Plan, Rag, Step, StepStatus};
use crate::{dashboard, units};

/// Milestones an executive's summary states (the strongest results); the program audience
/// gets every milestone.
const EXECUTIVE_VERDICTS: usize = 4;
/// Open steps listed as "next due" per objective.
const NEXT_DUE_STEPS: usize = 3;
/// Rejected rows quoted per import (all of them are in the app's Data view).
const REJECTION_EXAMPLES: u64 = 3;

/// Builds the report for `options` from the store. Reads only: issuing it is [`super::issue`].
pub fn build(conn: &Connection, options: &ReportOptions) -> Result<Report, ReportError> {
    if let (Some(from), Some(to)) = (options.from, options.to) {
        if from > to {
            return Err(ReportError::EmptyPeriod { from, to });
        }
    }
    let tz = options.tz;
    let today = options.now.with_timezone(&tz).date_naive();
    let query = MetricsQuery {
        tz,
        from: options.from,
        to: options.to,
        filter: Filter::default(),
        now: options.now,
    };
    let (figures, comparisons) =
        metrics::weekly_and_milestones(conn, &query, options.weeks_each_side)?;
    let plan = plan::load(conn, today)?;
    let headline = metrics::headline(&figures, &plan);
    let imports = import::list_imports(conn)?;

    let charts = dashboard::chart_specs(&figures)
        .into_iter()
        .map(|(key, title, subtitle, definition, spec)| {
            let svg = charts::render_svg(&spec, REPORT_CHART, Theme::Light)?;
            Ok(ReportChart {
                key: key.to_owned(),
                title: title.to_owned(),
                subtitle: subtitle.to_owned(),
                definition: definition.to_owned(),
                size: REPORT_CHART,
                svg,
                spec,
            })
        })
        .collect::<Result<Vec<_>, ReportError>>()?;

    let snapshot = Snapshot {
        figures: key_figures(&figures),
        steps: plan
            .objectives
            .iter()
            .flat_map(|o| &o.steps)
            .map(|s| StepState {
                id: s.id,
                reference: s.reference.clone(),
                status: s.status,
            })
            .collect(),
        objectives: plan
            .objectives
            .iter()
            .map(|o| ObjectiveState {
                id: o.id.clone(),
                rag: o.rag.status,
            })
            .collect(),
        last_import_id: imports.iter().map(|i| i.id).max(),
    };
    let changes = snapshot::changes(
        snapshot::last_issued(conn, options.now)?,
        &snapshot,
        &plan,
        &imports,
        tz,
        |s| step_line(s, today),
    );

    let verdicts = verdicts(&figures, comparisons, options);
    let mut summary_figures: Vec<Figure> = headline
        .tiles
        .iter()
        .map(|t| Figure {
            label: t.label.to_owned(),
            value: t.value.clone().unwrap_or_else(|| "—".to_owned()),
            arrow: t.arrow.map(str::to_owned),
            change: t.change.clone(),
            trend: t.trend,
            context: t.context.clone(),
        })
        .collect();
    summary_figures.push(plan_figure(&plan, &changes));
    let summary = Summary {
        figures: summary_figures,
        plan_line: plan_line(&plan),
        basis: headline.basis.clone(),
        verdicts,
        since_last: snapshot::since_last_line(&changes),
    };

    let header = header(&figures, &plan, options);
    Ok(Report {
        header,
        summary,
        objectives: plan
            .objectives
            .iter()
            .map(|o| objective_section(o, &figures, options, today))
            .collect(),
        accountability: plan.accountability.clone(),
        charts,
        changes,
        data_quality: data_quality(conn, &figures, &imports)?,
        definitions: metrics::DEFINITIONS
            .iter()
            .map(|(name, text)| Definition {
                name: (*name).to_owned(),
                text: (*text).to_owned(),
            })
            .collect(),
        snapshot,
    })
}

fn header(figures: &Metrics, plan: &Plan, options: &ReportOptions) -> Header {
    let (data_first, data_last) = (figures.data_first, figures.data_last);
    // An open side of the period is the data's own first or last day.
    let period = match (options.from.or(data_first), options.to.or(data_last)) {
        (Some(from), Some(to)) => Some(Period { from, to }),
        _ => None,
    };
    let local = options.now.with_timezone(&options.tz);
    Header {
        title: "Status report".to_owned(),
        program_name: if plan.program_name.trim().is_empty() {
            "Streamline response".to_owned()
        } else {
            plan.program_name.clone()
        },
        period,
        period_text: period
            .map(|p| units::date_range(p.from, p.to))
            .unwrap_or_else(|| "no items imported yet".to_owned()),
        data_first,
        data_last,
        data_range_text: match (data_first, data_last) {
            (Some(f), Some(l)) => format!(
                "{} · {} items",
                units::date_range(f, l),
                units::count(figures.overall.items)
            ),
            _ => "no items in the period".to_owned(),
        },
        generated_at: options.now,
        generated_at_text: format!("{} ({})", local.format("%Y-%m-%d %H:%M"), options.tz.name()),
        tz: options.tz.name().to_owned(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        author: options.author.trim().to_owned(),
        audience: options.audience,
    }
}

fn key_figures(figures: &Metrics) -> KeyFigures {
    let end = figures.end.as_ref();
    let last_week = figures
        .weeks
        .iter()
        .rev()
        .find(|w| w.complete)
        .or(figures.weeks.last());
    KeyFigures {
        items: figures.overall.items,
        active_queues: end.map(|e| e.active_queues),
        triage_median_s: end.and_then(|e| e.triage.median_s),
        resolve_median_s: end.and_then(|e| e.resolve.median_s),
        automated_share: end.and_then(|e| e.automated_share),
        open_backlog: last_week.map(|w| w.open_at_end),
    }
}

/// The milestones whose "before" window the data covers (as on the dashboard) and that fall in
/// the period, strongest result first.
fn verdicts(
    figures: &Metrics,
    comparisons: Vec<Comparison>,
    options: &ReportOptions,
) -> Vec<VerdictLine> {
    let mut judged: Vec<Comparison> = comparisons
        .into_iter()
        .filter(|c| {
            c.is_judged_by(figures)
                && options.from.is_none_or(|f| c.at >= f)
                && options.to.is_none_or(|t| c.at <= t)
        })
        .collect();
    judged.sort_by(|a, b| b.strength.total_cmp(&a.strength).then(a.at.cmp(&b.at)));
    let executive = options.audience == super::Audience::Executive;
    if executive {
        judged.truncate(EXECUTIVE_VERDICTS);
    }
    judged
        .into_iter()
        .map(|c| VerdictLine {
            milestone: c.label,
            at: c.at,
            sentences: c
                .sentences
                .into_iter()
                .take(if executive { 1 } else { usize::MAX })
                .map(|sentence| {
                    sentence
                        .into_iter()
                        .map(|span| Phrase {
                            text: span.text,
                            strong: span.strong,
                        })
                        .collect()
                })
                .collect(),
        })
        .collect()
}

/// The plan as a fourth headline figure: steps done, and how many since the last report.
fn plan_figure(plan: &Plan, changes: &super::Changes) -> Figure {
    let done_since = changes.steps_completed.len();
    let (change, arrow, trend) = match &changes.since_text {
        Some(since) if done_since > 0 => (
            Some(format!("+{done_since} since {since}")),
            Some("↑".to_owned()),
            Some(metrics::Trend::Better),
        ),
        Some(since) => (
            Some(format!("none done since {since}")),
            Some("→".to_owned()),
            Some(metrics::Trend::Unchanged),
        ),
        None => (None, None, None),
    };
    let red = plan
        .objectives
        .iter()
        .filter(|o| o.rag.status == Rag::Red)
        .count();
    let context = if plan.steps_total == 0 {
        "no steps in the plan yet".to_owned()
    } else if red > 0 {
        format!(
            "{} · {red} objective{} red",
            units::percent(plan.steps_done as f64 / plan.steps_total as f64),
            if red == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{} of the plan · no objective red",
            units::percent(plan.steps_done as f64 / plan.steps_total as f64)
        )
    };
    Figure {
        label: "Plan steps done".to_owned(),
        value: format!("{} of {}", plan.steps_done, plan.steps_total),
        arrow,
        change,
        trend,
        context,
    }
}

fn plan_line(plan: &Plan) -> String {
    let count = |rag: Rag| {
        plan.objectives
            .iter()
            .filter(|o| o.rag.status == rag)
            .count()
    };
    let rags: Vec<String> = [
        (Rag::Red, "red"),
        (Rag::Amber, "amber"),
        (Rag::Green, "green"),
    ]
    .into_iter()
    .filter(|(rag, _)| count(*rag) > 0)
    .map(|(rag, word)| format!("{} {word}", count(rag)))
    .collect();
    let objectives = if plan.objectives.len() == 1 {
        "objective"
    } else {
        "objectives"
    };
    let percent = if plan.steps_total > 0 {
        format!(
            " ({})",
            units::percent(plan.steps_done as f64 / plan.steps_total as f64)
        )
    } else {
        String::new()
    };
    format!(
        "{} of {} steps done{percent} · {} {objectives}: {}",
        plan.steps_done,
        plan.steps_total,
        plan.objectives.len(),
        if rags.is_empty() {
            "none yet".to_owned()
        } else {
            rags.join(", ")
        }
    )
}

fn owner(person: &str, role: &str) -> String {
    match (person.trim(), role.trim()) {
        ("", "") => String::new(),
        ("", role) => role.to_owned(),
        (person, "") => person.to_owned(),
        (person, role) => format!("{person} ({role})"),
    }
}

pub(super) fn step_line(step: &Step, today: NaiveDate) -> StepLine {
    let when = match (step.status, step.done_date, step.due_date) {
        (StepStatus::Done, Some(done), _) => format!("done {}", units::date(done, today)),
        (StepStatus::Done, None, _) => "done".to_owned(),
        (_, _, Some(due)) if step.overdue => {
            format!("overdue since {}", units::date(due, today))
        }
        (_, _, Some(due)) => format!("due {}", units::date(due, today)),
        _ => String::new(),
    };
    StepLine {
        reference: step.reference.clone(),
        text: step.text.clone(),
        owner: owner(&step.owner_person, &step.owner_role),
        status: step.status,
        due_date: step.due_date,
        done_date: step.done_date,
        when,
    }
}

fn objective_section(
    o: &plan::Objective,
    figures: &Metrics,
    options: &ReportOptions,
    today: NaiveDate,
) -> ObjectiveSection {
    // People first (with their role), then the roles no named person covers.
    let people_and_roles: Vec<(&str, &str)> = std::iter::once((&o.owner_person, &o.owner_role))
        .chain(o.steps.iter().map(|s| (&s.owner_person, &s.owner_role)))
        .map(|(p, r)| (p.trim(), r.trim()))
        .collect();
    let mut owners: Vec<String> = Vec::new();
    for (person, role) in &people_and_roles {
        let name = owner(person, role);
        if !person.is_empty() && !owners.contains(&name) {
            owners.push(name);
        }
    }
    for (person, role) in &people_and_roles {
        let covered = people_and_roles
            .iter()
            .any(|(p, r)| !p.is_empty() && r == role);
        if person.is_empty() && !role.is_empty() && !covered && !owners.iter().any(|o| o == role) {
            owners.push((*role).to_owned());
        }
    }
    let open = || o.steps.iter().filter(|s| s.status != StepStatus::Done);
    let mut next_due: Vec<&Step> = open()
        .filter(|s| s.due_date.is_some() && !s.overdue)
        .collect();
    next_due.sort_by_key(|s| s.due_date);
    ObjectiveSection {
        id: o.id.clone(),
        title: o.title.clone(),
        steps_done: o.steps_done,
        steps_total: o.steps_total,
        percent_done: (o.steps_total > 0)
            .then(|| (o.steps_done as f64 * 100.0 / o.steps_total as f64).round() as u32),
        rag: o.rag.status,
        rag_reason: o.rag.reason.clone(),
        overridden: o.rag.overridden,
        rule_text: o.rag.overridden.then(|| {
            format!(
                "the rule says {}: {}",
                o.rag.rule_status.as_str(),
                o.rag.rule_reason
            )
        }),
        outcome: (o.kind == ObjectiveKind::Outcome)
            .then(|| {
                figures
                    .queue_target
                    .as_ref()
                    .filter(|t| t.objective == o.id)
                    .map(|t| t.status.clone())
            })
            .flatten(),
        owners,
        overdue: open()
            .filter(|s| s.overdue)
            .map(|s| step_line(s, today))
            .collect(),
        blocked: open()
            .filter(|s| s.status == StepStatus::Blocked)
            .map(|s| step_line(s, today))
            .collect(),
        next_due: next_due
            .into_iter()
            .take(NEXT_DUE_STEPS)
            .map(|s| step_line(s, today))
            .collect(),
        steps: if options.audience == super::Audience::Program {
            o.steps.iter().map(|s| step_line(s, today)).collect()
        } else {
            Vec::new()
        },
    }
}

fn data_quality(
    conn: &Connection,
    figures: &Metrics,
    imports: &[ImportRecord],
) -> Result<DataQuality, ReportError> {
    let mut rejected = Vec::new();
    for record in imports.iter().filter(|i| i.rows_rejected > 0) {
        rejected.push(RejectedRows {
            file_name: record.file_name.clone(),
            rows_rejected: record.rows_rejected,
            examples: import::rejected_rows(conn, record.id, 0, REJECTION_EXAMPLES)?,
        });
    }
    let date_orders = imports
        .iter()
        .filter_map(|i| {
            let order = i.date_order?;
            let from = i.date_order_from?;
            Some(DateOrderLine {
                file_name: i.file_name.clone(),
                order: match order {
                    DateOrder::Mdy => "month/day",
                    DateOrder::Dmy => "day/month",
                }
                .to_owned(),
                settled: match from {
                    DateOrderFrom::Data => "read from the data",
                    DateOrderFrom::User => "chosen by the user",
                    DateOrderFrom::Assumed => "assumed: no date in the file told the two apart",
                }
                .to_owned(),
                assumed: from == DateOrderFrom::Assumed,
            })
        })
        .collect();
    Ok(DataQuality {
        items: figures.overall.items,
        triage_coverage: figures.overall.triage.coverage,
        resolve_coverage: figures.overall.resolve.coverage,
        coverage: figures
            .queues
            .iter()
            .filter(|q| q.items > 0)
            .map(|q| CoverageRow {
                queue: q.name.clone(),
                items: q.items,
                triage_coverage: q.triage.coverage,
                resolve_coverage: q.resolve.coverage,
            })
            .collect(),
        without_created_time: figures.data_problems.without_created_time,
        negative_triage: figures.data_problems.negative_triage,
        negative_resolve: figures.data_problems.negative_resolve,
        rejected,
        date_orders,
    })
}
