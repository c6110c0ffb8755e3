//! TheHive 5 cases (a JSON array): epoch-millisecond stage dates give created (`newDate`),
//! first action (`inProgressDate`) and resolution (`closedDate`).

use serde_json::Value;

use super::Context;
use crate::import::format::Format;
use crate::import::item::{text, Kind, Severity, Sighting, Status};

fn time(obj: &Value, key: &str, cx: &Context) -> Result<Option<i64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => cx
            .dates
            .read(&n.to_string())
            .map_err(|e| format!("{key}: {e}")),
        Some(Value::String(s)) => cx.dates.read(s).map_err(|e| format!("{key}: {e}")),
        Some(other) => Err(format!("{key}: {other} is not a date and time")),
    }
}

fn field<'v>(obj: &'v Value, key: &str) -> &'v str {
    obj.get(key).and_then(Value::as_str).unwrap_or("")
}

/// TheHive's closing statuses (its verdicts): a case with one of them is closed.
fn closing_status(status: &str) -> Option<Status> {
    let closing = [
        "TruePositive",
        "FalsePositive",
        "Indeterminate",
        "Other",
        "Duplicated",
    ];
    closing
        .iter()
        .any(|c| c.eq_ignore_ascii_case(status.trim()))
        .then_some(Status::Resolved)
}

pub fn read_thehive_case(obj: &Value, cx: &Context) -> Result<Sighting, String> {
    if !obj.is_object() {
        return Err("the element is not a case object".into());
    }
    let id = match obj.get("_id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err("_id is empty".into()),
    };
    let stage = field(obj, "stage");
    let status = Status::parse(stage)
        .or_else(|| closing_status(field(obj, "status")))
        .or_else(|| Status::parse(field(obj, "status")))
        .ok_or_else(|| format!("stage {stage:?} is not one of New, InProgress, Closed"))?;
    let created = time(obj, "newDate", cx)?
        .or(time(obj, "_createdAt", cx)?)
        .ok_or("newDate and _createdAt are empty")?;
    // TheHive severity is 1 (low) to 4 (critical).
    let severity = match obj.get("severity").and_then(Value::as_i64) {
        Some(1) => Severity::Low,
        Some(2) => Severity::Medium,
        Some(3) => Severity::High,
        Some(4) => Severity::Critical,
        _ => Severity::parse(field(obj, "severityLabel")),
    };
    let assignee = text(field(obj, "assignee"));
    let resolved = if status == Status::Resolved {
        time(obj, "closedDate", cx)?
    } else {
        None
    };
    // The case's status is its verdict once closed (TruePositive, FalsePositive, …).
    let verdict = if status == Status::Resolved {
        text(field(obj, "status")).filter(|s| closing_status(s).is_some())
    } else {
        None
    };
    Ok(Sighting {
        identity: format!("thehive:{}", id.to_lowercase()),
        source: Format::TheHive.name().to_owned(),
        external_id: id,
        kind: Kind::Incident,
        title: field(obj, "title").trim().to_owned(),
        severity,
        status,
        queue_signal: String::new(),
        created_ms: Some(created),
        created_exact: true,
        triaged_ms: time(obj, "inProgressDate", cx)?,
        resolved_ms: resolved,
        updated_ms: time(obj, "_updatedAt", cx)?,
        automated: resolved.is_some() && cx.is_automation(assignee.as_deref()),
        assignee,
        classification: verdict,
        determination: text(field(obj, "resolutionStatus")),
        closed_by_tool: false,
        incident_ref: None,
    })
}
