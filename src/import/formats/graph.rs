//! Microsoft Graph security `alerts_v2` (`{"value": [...]}`): one alert per object. A Defender
//! for Cloud alert streamed into Defender XDR has the Defender for Cloud `SystemAlertId` as its
//! `providerAlertId`: it gets that alert's identity, so the two exports make one item.

use serde_json::Value;

use super::Context;
use crate::import::format::Format;
use crate::import::item::{text, verdict, Kind, Severity, Sighting, Status};

fn field<'v>(obj: &'v Value, key: &str) -> &'v str {
    obj.get(key).and_then(Value::as_str).unwrap_or("")
}

fn time(obj: &Value, key: &str, cx: &Context) -> Result<Option<i64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => cx.dates.read(s).map_err(|e| format!("{key}: {e}")),
        Some(Value::Number(n)) => cx
            .dates
            .read(&n.to_string())
            .map_err(|e| format!("{key}: {e}")),
        Some(other) => Err(format!("{key}: {other} is not a date and time")),
    }
}

pub fn read_graph_alert(obj: &Value, cx: &Context) -> Result<Sighting, String> {
    if !obj.is_object() {
        return Err("the element is not an alert object".into());
    }
    let id = field(obj, "id").trim();
    if id.is_empty() {
        return Err("id is empty".into());
    }
    let raw_status = field(obj, "status");
    let status = Status::parse(raw_status)
        .ok_or_else(|| format!("status {raw_status:?} is not one of new, inProgress, resolved"))?;
    let created = time(obj, "createdDateTime", cx)?.ok_or("createdDateTime is empty")?;
    let service_source = field(obj, "serviceSource").trim();
    let provider_alert_id = field(obj, "providerAlertId").trim();
    let identity = if service_source.eq_ignore_ascii_case("microsoftDefenderForCloud")
        && !provider_alert_id.is_empty()
    {
        format!("dfc-alert:{}", provider_alert_id.to_lowercase())
    } else {
        format!("xdr-alert:{}", id.to_lowercase())
    };
    let assignee = text(field(obj, "assignedTo"));
    let resolved = if status == Status::Resolved {
        time(obj, "resolvedDateTime", cx)?
    } else {
        None
    };
    let incident = match obj.get("incidentId") {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    Ok(Sighting {
        identity,
        source: Format::GraphAlerts.name().to_owned(),
        external_id: id.to_owned(),
        kind: Kind::Alert,
        title: field(obj, "title").trim().to_owned(),
        severity: Severity::parse(field(obj, "severity")),
        status,
        queue_signal: service_source.to_owned(),
        created_ms: Some(created),
        created_exact: true,
        triaged_ms: None,
        resolved_ms: resolved,
        updated_ms: time(obj, "lastUpdateDateTime", cx)?,
        automated: status == Status::Resolved && cx.is_automation(assignee.as_deref()),
        assignee,
        classification: verdict(field(obj, "classification")),
        determination: verdict(field(obj, "determination")),
        closed_by_tool: false,
        incident_ref: (!incident.is_empty())
            .then(|| format!("xdr-incident:{}", incident.to_lowercase())),
    })
}
