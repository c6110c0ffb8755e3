//! The red/amber/green rule for an objective.

use chrono::{Datelike, Duration, NaiveDate};

use super::{Rag, RagStatus, Step, StepStatus};

/// A step not done and due within this many days makes its objective amber.
pub const RAG_DUE_SOON_DAYS: i64 = 14;

/// Red when a step is blocked or overdue; amber when a step is due within
/// [`RAG_DUE_SOON_DAYS`] and not done; green otherwise. An override wins but keeps the rule's
/// result beside it.
pub fn objective_rag(
    steps: &[Step],
    today: NaiveDate,
    override_rag: Option<(Rag, String)>,
) -> RagStatus {
    let (rule_status, rule_reason) = rule(steps, today);
    match override_rag {
        Some((status, reason)) => RagStatus {
            status,
            reason: if reason.is_empty() {
                "set by hand".to_owned()
            } else {
                reason
            },
            overridden: true,
            rule_status,
            rule_reason,
        },
        None => RagStatus {
            status: rule_status,
            reason: rule_reason.clone(),
            overridden: false,
            rule_status,
            rule_reason,
        },
    }
}

fn rule(steps: &[Step], today: NaiveDate) -> (Rag, String) {
    let open = || steps.iter().filter(|s| s.status != StepStatus::Done);
    let mut red: Vec<String> = Vec::new();
    for step in open() {
        if step.status == StepStatus::Blocked {
            red.push(format!("step {} is blocked", step.reference));
        } else if let Some(due) = step.due_date.filter(|d| *d < today) {
            red.push(format!(
                "step {} is overdue since {}",
                step.reference,
                short_date(due, today)
            ));
        }
    }
    if !red.is_empty() {
        return (Rag::Red, join_reasons(red));
    }
    let soon = today + Duration::days(RAG_DUE_SOON_DAYS);
    let amber: Vec<String> = open()
        .filter_map(|s| {
            s.due_date
                .filter(|d| *d <= soon)
                .map(|d| format!("step {} is due {}", s.reference, short_date(d, today)))
        })
        .collect();
    if !amber.is_empty() {
        return (Rag::Amber, join_reasons(amber));
    }
    let reason = if steps.is_empty() {
        "no steps yet".to_owned()
    } else if open().next().is_none() {
        format!("all {} steps done", steps.len())
    } else {
        format!("nothing blocked, overdue or due within {RAG_DUE_SOON_DAYS} days")
    };
    (Rag::Green, reason)
}

/// "Jun 2" within the current year, "Jun 2, 2025" otherwise: how a person reads a date.
pub fn short_date(date: NaiveDate, today: NaiveDate) -> String {
    if date.year() == today.year() {
        date.format("%b %-d").to_string()
    } else {
        date.format("%b %-d, %Y").to_string()
    }
}

fn join_reasons(mut reasons: Vec<String>) -> String {
    match reasons.len() {
        1 => reasons.remove(0),
        n => format!("{} (and {} more)", reasons.remove(0), n - 1),
    }
}
