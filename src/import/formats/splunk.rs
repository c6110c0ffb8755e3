//! Splunk ES notable events. The export's `review_time` (epoch seconds) is the only analyst
//! action it carries: it stands for triage, and for resolution once the status is closed.

use csv::StringRecord;

use super::{required_id, Col, Context, CsvRows};
use crate::import::format::Format;
use crate::import::item::{text, Kind, Severity, Sighting, Status};
use crate::import::read::HeaderIndex;

pub struct SplunkNotables {
    id: Col,
    time: Col,
    title: Col,
    urgency: Col,
    severity: Col,
    status: Col,
    status_label: Col,
    owner: Col,
    review_time: Col,
}

impl SplunkNotables {
    pub fn bind(h: &HeaderIndex) -> Result<Self, String> {
        Ok(SplunkNotables {
            id: Col::required(h, &["event_id"])?,
            time: Col::required(h, &["_time"])?,
            title: Col::optional(h, &["rule_title", "rule_name", "search_name"]),
            urgency: Col::optional(h, &["urgency"]),
            severity: Col::optional(h, &["severity"]),
            status: Col::optional(h, &["status"]),
            status_label: Col::optional(h, &["status_label"]),
            owner: Col::optional(h, &["owner"]),
            review_time: Col::optional(h, &["review_time"]),
        })
    }

    fn status(&self, row: &StringRecord) -> Result<Status, String> {
        if let Some(s) = Status::parse(self.status_label.get(row)) {
            return Ok(s);
        }
        let code = self.status.get(row).trim();
        // ES status codes: 0 unassigned, 1 new, 2 in progress, 3 pending, 4 resolved, 5 closed.
        Ok(match code {
            "" | "0" | "1" => Status::New,
            "2" | "3" => Status::InProgress,
            "4" | "5" => Status::Resolved,
            other => Status::parse(other)
                .ok_or_else(|| format!("status {other:?} is not a notable status"))?,
        })
    }
}

impl CsvRows for SplunkNotables {
    fn date_columns(&self) -> Vec<usize> {
        Col::indexes(&[self.time])
    }

    fn read(&self, row: &StringRecord, cx: &Context) -> Result<Sighting, String> {
        let id = required_id(&self.id, row)?;
        let created = self.time.time(row, cx)?.ok_or("_time is empty")?;
        let status = self.status(row)?;
        let reviewed = self.review_time.time(row, cx)?;
        let owner = text(self.owner.get(row));
        let resolved = status == Status::Resolved;
        let urgency = Severity::parse(self.urgency.get(row));
        Ok(Sighting {
            identity: format!("splunk:{}", id.to_lowercase()),
            source: Format::SplunkEs.name().to_owned(),
            external_id: id,
            kind: Kind::Alert,
            title: self.title.get(row).trim().to_owned(),
            severity: if urgency == Severity::Unknown {
                Severity::parse(self.severity.get(row))
            } else {
                urgency
            },
            status,
            queue_signal: String::new(),
            created_ms: Some(created),
            created_exact: true,
            triaged_ms: reviewed,
            resolved_ms: if resolved { reviewed } else { None },
            updated_ms: reviewed.or(Some(created)),
            automated: resolved && cx.is_automation(owner.as_deref()),
            assignee: owner,
            classification: None,
            determination: None,
            closed_by_tool: false,
            incident_ref: None,
        })
    }
}
