//! Any other CSV, read through a saved [`ColumnMapping`].

use csv::StringRecord;

use super::{Context, CsvRows};
use crate::import::item::{text, verdict, Severity, Sighting, Status};
use crate::import::mappings::ColumnMapping;
use crate::import::read::{normalise_header, HeaderIndex};

struct Field {
    index: Option<usize>,
    name: String,
}

impl Field {
    fn get<'r>(&self, row: &'r StringRecord) -> &'r str {
        self.index.and_then(|i| row.get(i)).unwrap_or("")
    }
    fn time(&self, row: &StringRecord, cx: &Context) -> Result<Option<i64>, String> {
        cx.dates
            .read(self.get(row))
            .map_err(|e| format!("{}: {e}", self.name))
    }
}

pub struct MappedRows {
    mapping: ColumnMapping,
    id: Field,
    created: Field,
    triaged: Field,
    resolved: Field,
    updated: Field,
    title: Field,
    severity: Field,
    status: Field,
    queue: Field,
    assignee: Field,
    classification: Field,
    determination: Field,
}

impl MappedRows {
    pub fn bind(header: &HeaderIndex, mapping: &ColumnMapping) -> Result<Self, String> {
        let field = |column: Option<&String>, required: bool| -> Result<Field, String> {
            let Some(column) = column else {
                return Ok(Field {
                    index: None,
                    name: String::new(),
                });
            };
            let index = header.find(&[normalise_header(column).as_str()]);
            if required && index.is_none() {
                return Err(format!(
                    "the column {column:?} of mapping {:?} is missing",
                    mapping.name
                ));
            }
            Ok(Field {
                index,
                name: column.clone(),
            })
        };
        Ok(MappedRows {
            id: field(Some(&mapping.id), true)?,
            created: field(Some(&mapping.created), true)?,
            triaged: field(mapping.triaged.as_ref(), false)?,
            resolved: field(mapping.resolved.as_ref(), false)?,
            updated: field(mapping.updated.as_ref(), false)?,
            title: field(mapping.title.as_ref(), false)?,
            severity: field(mapping.severity.as_ref(), false)?,
            status: field(mapping.status.as_ref(), false)?,
            queue: field(mapping.queue_column.as_ref(), false)?,
            assignee: field(mapping.assignee.as_ref(), false)?,
            classification: field(mapping.classification.as_ref(), false)?,
            determination: field(mapping.determination.as_ref(), false)?,
            mapping: mapping.clone(),
        })
    }
}

impl CsvRows for MappedRows {
    fn date_columns(&self) -> Vec<usize> {
        [&self.created, &self.triaged, &self.resolved, &self.updated]
            .iter()
            .filter_map(|f| f.index)
            .collect()
    }

    fn read(&self, row: &StringRecord, cx: &Context) -> Result<Sighting, String> {
        let id = self.id.get(row).trim();
        if id.is_empty() {
            return Err(format!("{} is empty", self.id.name));
        }
        let created = self
            .created
            .time(row, cx)?
            .ok_or_else(|| format!("{} is empty", self.created.name))?;
        let raw_status = self.status.get(row);
        let resolved = self.resolved.time(row, cx)?;
        let status = if raw_status.trim().is_empty() {
            if resolved.is_some() {
                Status::Resolved
            } else {
                Status::New
            }
        } else {
            Status::parse(raw_status)
                .ok_or_else(|| format!("status {raw_status:?} is not a status Streamline knows"))?
        };
        let assignee = text(self.assignee.get(row));
        let queue_signal = match &self.mapping.queue_name {
            Some(name) if self.queue.index.is_none() => name.trim().to_owned(),
            _ => self.queue.get(row).trim().to_owned(),
        };
        let resolved_ms = if status == Status::Resolved {
            resolved
        } else {
            None
        };
        Ok(Sighting {
            identity: format!(
                "{}:{}",
                self.mapping.format_name().to_lowercase(),
                id.to_lowercase()
            ),
            source: self.mapping.format_name(),
            external_id: id.to_owned(),
            kind: self.mapping.kind,
            title: self.title.get(row).trim().to_owned(),
            severity: Severity::parse(self.severity.get(row)),
            status,
            queue_signal,
            created_ms: Some(created),
            created_exact: true,
            triaged_ms: self.triaged.time(row, cx)?,
            resolved_ms,
            updated_ms: self.updated.time(row, cx)?,
            automated: resolved_ms.is_some() && cx.is_automation(assignee.as_deref()),
            assignee,
            classification: verdict(self.classification.get(row)),
            determination: verdict(self.determination.get(row)),
            closed_by_tool: false,
            incident_ref: None,
        })
    }
}
