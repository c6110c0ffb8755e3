//! The Defender XDR incident queue exported from the portal as CSV (or re-saved by Excel as
//! UTF-16 "Unicode Text"). It has no created time: the first activity stands in for it (an
//! incident cannot exist before its first alert's activity), and no first-action time.

use csv::StringRecord;

use super::{required_id, Col, Context, CsvRows};
use crate::import::format::Format;
use crate::import::item::{is_air_closing_state, text, verdict, Kind, Severity, Sighting, Status};
use crate::import::read::HeaderIndex;

pub struct XdrIncidents {
    id: Col,
    name: Col,
    severity: Col,
    status: Col,
    investigation: Col,
    service_sources: Col,
    first_activity: Col,
    last_update: Col,
    assigned_to: Col,
    classification: Col,
    determination: Col,
}

impl XdrIncidents {
    pub fn bind(h: &HeaderIndex) -> Result<Self, String> {
        Ok(XdrIncidents {
            id: Col::required(h, &["incident id"])?,
            name: Col::optional(h, &["incident name"]),
            severity: Col::optional(h, &["severity"]),
            status: Col::required(h, &["status"])?,
            investigation: Col::optional(h, &["investigation state"]),
            service_sources: Col::optional(h, &["service sources"]),
            first_activity: Col::optional(h, &["first activity"]),
            last_update: Col::required(h, &["last update time", "last update"])?,
            assigned_to: Col::optional(h, &["assigned to"]),
            classification: Col::optional(h, &["classification"]),
            determination: Col::optional(h, &["determination"]),
        })
    }
}

impl CsvRows for XdrIncidents {
    fn date_columns(&self) -> Vec<usize> {
        Col::indexes(&[self.first_activity, self.last_update])
    }

    fn read(&self, row: &StringRecord, cx: &Context) -> Result<Sighting, String> {
        let id = required_id(&self.id, row)?;
        let raw_status = self.status.get(row);
        let status = Status::parse(raw_status).ok_or_else(|| {
            format!("status {raw_status:?} is not one of Active, In progress, Resolved, Redirected")
        })?;
        let updated = self.last_update.time(row, cx)?;
        let assignee = text(self.assigned_to.get(row));
        let resolved = status == Status::Resolved;
        let by_air = resolved && is_air_closing_state(self.investigation.get(row));
        Ok(Sighting {
            identity: format!("xdr-incident:{}", id.to_lowercase()),
            source: Format::DefenderXdr.name().to_owned(),
            external_id: id,
            kind: Kind::Incident,
            title: self.name.get(row).trim().to_owned(),
            severity: Severity::parse(self.severity.get(row)),
            status,
            queue_signal: self.service_sources.get(row).trim().to_owned(),
            created_ms: self.first_activity.time(row, cx)?,
            created_exact: false,
            triaged_ms: None,
            resolved_ms: if resolved { updated } else { None },
            updated_ms: updated,
            automated: resolved && (cx.is_automation(assignee.as_deref()) || by_air),
            closed_by_tool: by_air,
            assignee,
            classification: verdict(self.classification.get(row)),
            determination: verdict(self.determination.get(row)),
            incident_ref: None,
        })
    }
}
