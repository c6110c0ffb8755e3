//! Defender for Cloud alerts in the continuous-export column names (or the Log Analytics
//! `SecurityAlert` names). The export has no owner, no first-action and no resolution time.

use csv::StringRecord;

use super::{required_id, Col, Context, CsvRows};
use crate::import::format::Format;
use crate::import::item::{Kind, Severity, Sighting, Status};
use crate::import::read::HeaderIndex;

pub struct CloudAlerts {
    id: Col,
    title: Col,
    severity: Col,
    status: Col,
    product: Col,
    time_generated: Col,
    processing_end: Col,
    is_incident: Col,
}

impl CloudAlerts {
    pub fn bind(h: &HeaderIndex) -> Result<Self, String> {
        Ok(CloudAlerts {
            id: Col::required(h, &["systemalertid"])?,
            title: Col::optional(h, &["alertdisplayname", "displayname", "alertname"]),
            severity: Col::optional(h, &["severity", "alertseverity"]),
            status: Col::optional(h, &["status"]),
            product: Col::optional(h, &["productname", "providername"]),
            time_generated: Col::optional(h, &["timegenerated"]),
            processing_end: Col::optional(h, &["processingendtime"]),
            is_incident: Col::optional(h, &["isincident"]),
        })
    }
}

impl CsvRows for CloudAlerts {
    fn date_columns(&self) -> Vec<usize> {
        Col::indexes(&[self.time_generated, self.processing_end])
    }

    fn read(&self, row: &StringRecord, cx: &Context) -> Result<Sighting, String> {
        let id = required_id(&self.id, row)?;
        let raw_status = self.status.get(row);
        let status = if raw_status.trim().is_empty() {
            Status::New
        } else {
            Status::parse(raw_status).ok_or_else(|| {
                format!(
                    "status {raw_status:?} is not one of Active, InProgress, Resolved, Dismissed"
                )
            })?
        };
        // ProcessingEndTime is when the alert was created; TimeGenerated is when this record was
        // written, which moves on with every status change the continuous export sends.
        let generated = self.time_generated.time(row, cx)?;
        let created = self.processing_end.time(row, cx)?.or(generated);
        if created.is_none() {
            return Err("TimeGenerated and ProcessingEndTime are both empty".into());
        }
        let kind = if self
            .is_incident
            .get(row)
            .trim()
            .eq_ignore_ascii_case("true")
        {
            Kind::Incident
        } else {
            Kind::Alert
        };
        Ok(Sighting {
            identity: format!("dfc-alert:{}", id.to_lowercase()),
            source: Format::DefenderForCloud.name().to_owned(),
            external_id: id,
            kind,
            title: self.title.get(row).trim().to_owned(),
            severity: Severity::parse(self.severity.get(row)),
            status,
            queue_signal: self.product.get(row).trim().to_owned(),
            created_ms: created,
            created_exact: true,
            triaged_ms: None,
            resolved_ms: None,
            updated_ms: generated.or(created),
            assignee: None,
            classification: None,
            determination: None,
            automated: false,
            closed_by_tool: false,
            incident_ref: None,
        })
    }
}
