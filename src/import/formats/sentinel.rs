//! Microsoft Sentinel `SecurityIncident` exported to CSV from Log Analytics: an audit table
//! with one row per change of an incident. Each row is merged into the item as it comes (the
//! newest row's state wins), and every row that shows an analyst at work (an owner, a status
//! past New, a first-modified time) offers its time as the first action: the earliest stays.

use csv::StringRecord;
use serde::Deserialize;

use super::{required_id, Col, Context, CsvRows};
use crate::import::format::Format;
use crate::import::item::{text, verdict, Kind, Severity, Sighting, Status};
use crate::import::read::HeaderIndex;

pub struct SentinelIncidents {
    name: Col,
    title: Col,
    severity: Col,
    status: Col,
    classification: Col,
    classification_reason: Col,
    owner: Col,
    provider: Col,
    provider_incident_id: Col,
    created: Col,
    first_modified: Col,
    last_modified: Col,
    closed: Col,
    generated: Col,
    additional_data: Col,
    modified_by: Col,
}

#[derive(Deserialize, Default)]
struct Owner {
    #[serde(rename = "assignedTo")]
    assigned_to: Option<String>,
    email: Option<String>,
    #[serde(rename = "userPrincipalName")]
    user_principal_name: Option<String>,
}

#[derive(Deserialize, Default)]
struct AdditionalData {
    #[serde(rename = "alertProductNames", default)]
    alert_product_names: Vec<String>,
}

/// Providers whose incidents are Defender XDR incidents synced into Sentinel.
const XDR_PROVIDERS: [&str; 2] = ["microsoft xdr", "microsoft 365 defender"];

impl SentinelIncidents {
    pub fn bind(h: &HeaderIndex) -> Result<Self, String> {
        Ok(SentinelIncidents {
            name: Col::required(h, &["incidentname"])?,
            title: Col::optional(h, &["title"]),
            severity: Col::optional(h, &["severity"]),
            status: Col::required(h, &["status"])?,
            classification: Col::optional(h, &["classification"]),
            classification_reason: Col::optional(h, &["classificationreason"]),
            owner: Col::optional(h, &["owner"]),
            provider: Col::required(h, &["providername"])?,
            provider_incident_id: Col::optional(h, &["providerincidentid"]),
            created: Col::required(h, &["createdtime"])?,
            first_modified: Col::optional(h, &["firstmodifiedtime"]),
            last_modified: Col::optional(h, &["lastmodifiedtime"]),
            closed: Col::optional(h, &["closedtime"]),
            generated: Col::optional(h, &["timegenerated"]),
            additional_data: Col::optional(h, &["additionaldata"]),
            modified_by: Col::optional(h, &["modifiedby"]),
        })
    }
}

impl CsvRows for SentinelIncidents {
    fn date_columns(&self) -> Vec<usize> {
        Col::indexes(&[
            self.created,
            self.generated,
            self.last_modified,
            self.first_modified,
            self.closed,
        ])
    }

    fn read(&self, row: &StringRecord, cx: &Context) -> Result<Sighting, String> {
        let name = required_id(&self.name, row)?;
        let raw_status = self.status.get(row);
        // In Sentinel, Active means someone took the incident on (unlike Defender's Active).
        let status = if raw_status.trim().eq_ignore_ascii_case("active") {
            Status::InProgress
        } else {
            Status::parse(raw_status)
                .ok_or_else(|| format!("status {raw_status:?} is not one of New, Active, Closed"))?
        };
        let created = self.created.time(row, cx)?.ok_or("CreatedTime is empty")?;
        let last_modified = self.last_modified.time(row, cx)?;
        let generated = self.generated.time(row, cx)?;
        // The audit row's own time orders the rows of one incident (arg_max(TimeGenerated)).
        let row_time = generated.or(last_modified);
        let owner_cell = self.owner.get(row).trim();
        let owner: Owner = if owner_cell.is_empty() {
            Owner::default()
        } else {
            serde_json::from_str(owner_cell)
                .map_err(|e| format!("Owner is not the JSON Log Analytics writes: {e}"))?
        };
        let assignee = owner
            .assigned_to
            .as_deref()
            .and_then(text)
            .or_else(|| owner.user_principal_name.as_deref().and_then(text))
            .or_else(|| owner.email.as_deref().and_then(text));
        let first_modified = self.first_modified.time(row, cx)?;
        let at_work = assignee.is_some() || status != Status::New;
        let triaged = match (
            first_modified,
            at_work.then_some(last_modified.or(row_time)).flatten(),
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let resolved = if status == Status::Resolved {
            self.closed.time(row, cx)?.or(last_modified)
        } else {
            None
        };
        let provider = self.provider.get(row).trim();
        let provider_id = self.provider_incident_id.get(row).trim();
        let from_xdr = XDR_PROVIDERS.contains(&provider.to_lowercase().as_str());
        let identity = if from_xdr && !provider_id.is_empty() {
            format!("xdr-incident:{}", provider_id.to_lowercase())
        } else {
            format!("sentinel-incident:{}", name.to_lowercase())
        };
        let queue_signal = if provider.is_empty() {
            let data: AdditionalData =
                serde_json::from_str(self.additional_data.get(row)).unwrap_or_default();
            data.alert_product_names
                .into_iter()
                .next()
                .unwrap_or_default()
        } else {
            provider.to_owned()
        };
        let modified_by = self.modified_by.get(row).trim();
        // An automation rule, or an automation account making the change, closes it whoever owns it.
        let by_tool = resolved.is_some()
            && (cx.is_automation(Some(modified_by))
                || modified_by.to_lowercase().starts_with("automation rule"));
        let classification = verdict(self.classification.get(row));
        Ok(Sighting {
            identity,
            source: Format::Sentinel.name().to_owned(),
            external_id: name,
            kind: Kind::Incident,
            title: self.title.get(row).trim().to_owned(),
            severity: Severity::parse(self.severity.get(row)),
            status,
            queue_signal,
            created_ms: Some(created),
            created_exact: true,
            triaged_ms: triaged,
            resolved_ms: resolved,
            updated_ms: row_time.or(Some(created)),
            automated: by_tool || (resolved.is_some() && cx.is_automation(assignee.as_deref())),
            closed_by_tool: by_tool,
            assignee,
            classification,
            determination: verdict(self.classification_reason.get(row)),
            incident_ref: None,
        })
    }
}
