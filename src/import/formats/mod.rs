//! One normaliser per export format: a row (or JSON object) in, a [`Sighting`] out, with only
//! the fields DESIGN.md lists for a work item. Everything else in the row is never kept.

mod dfc;
mod graph;
mod mapped;
mod sentinel;
mod splunk;
mod thehive;
mod xdr;

use csv::StringRecord;

use super::dates::DateReader;
use super::format::Format;
use super::item::Sighting;
use super::mappings::ColumnMapping;
use super::read::HeaderIndex;

pub use graph::read_graph_alert;
pub use thehive::read_thehive_case;

/// What every normaliser needs besides the row.
pub struct Context {
    pub dates: DateReader,
    /// Lower-case names of the accounts that mean "closed by automation".
    pub automation_accounts: Vec<String>,
}

impl Context {
    pub fn is_automation(&self, who: Option<&str>) -> bool {
        who.is_some_and(|w| {
            let w = w.trim().to_lowercase();
            self.automation_accounts.contains(&w)
        })
    }
}

/// Reads the rows of one CSV format.
pub trait CsvRows {
    /// Columns holding display dates, for deciding the day/month order.
    fn date_columns(&self) -> Vec<usize>;
    /// The work item a row describes, or why the row cannot be read.
    fn read(&self, row: &StringRecord, cx: &Context) -> Result<Sighting, String>;
}

/// The reader of `format` for this header, or the columns it misses.
pub fn bind_csv(
    format: Format,
    header: &HeaderIndex,
    mapping: Option<&ColumnMapping>,
) -> Result<Box<dyn CsvRows>, String> {
    Ok(match format {
        Format::DefenderXdr => Box::new(xdr::XdrIncidents::bind(header)?),
        Format::DefenderForCloud => Box::new(dfc::CloudAlerts::bind(header)?),
        Format::Sentinel => Box::new(sentinel::SentinelIncidents::bind(header)?),
        Format::SplunkEs => Box::new(splunk::SplunkNotables::bind(header)?),
        Format::Mapped => {
            let mapping = mapping.ok_or("no column mapping was given")?;
            Box::new(mapped::MappedRows::bind(header, mapping)?)
        }
        Format::GraphAlerts | Format::TheHive => {
            return Err(format!("{} is a JSON format, not CSV", format.name()));
        }
        Format::Aggregate => {
            return Err("an aggregate file holds figures, not items".into());
        }
    })
}

/// A column that may be absent from the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    index: Option<usize>,
    name: &'static str,
}

impl Col {
    pub(crate) fn optional(header: &HeaderIndex, names: &[&'static str]) -> Col {
        Col {
            index: header.find(names),
            name: names[0],
        }
    }

    pub(crate) fn required(header: &HeaderIndex, names: &[&'static str]) -> Result<Col, String> {
        let col = Col::optional(header, names);
        if col.index.is_none() {
            return Err(format!("the column {:?} is missing", names[0]));
        }
        Ok(col)
    }

    pub(crate) fn get<'r>(&self, row: &'r StringRecord) -> &'r str {
        self.index.and_then(|i| row.get(i)).unwrap_or("")
    }

    pub(crate) fn time(&self, row: &StringRecord, cx: &Context) -> Result<Option<i64>, String> {
        cx.dates
            .read(self.get(row))
            .map_err(|e| format!("{}: {e}", self.name))
    }

    pub(crate) fn indexes(cols: &[Col]) -> Vec<usize> {
        cols.iter().filter_map(|c| c.index).collect()
    }
}

/// An id cell that must hold something.
pub(crate) fn required_id(col: &Col, row: &StringRecord) -> Result<String, String> {
    let id = col.get(row).trim();
    if id.is_empty() {
        return Err(format!("{} is empty", col.name));
    }
    Ok(id.to_owned())
}
