//! The supported export formats, their names on the command line, and telling them apart by
//! the header (CSV) or the shape (JSON).

use serde::Serialize;

use super::read::HeaderIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    DefenderXdr,
    GraphAlerts,
    DefenderForCloud,
    Sentinel,
    SplunkEs,
    TheHive,
    /// Figures pre-aggregated where the data lives (docs/queries/): counts and duration
    /// histograms by week, not items.
    Aggregate,
    /// Any other CSV, read through a saved column mapping.
    Mapped,
}

/// One line of `streamline formats`.
#[derive(Debug, Clone, Serialize)]
pub struct FormatInfo {
    pub name: String,
    pub title: String,
    pub file: String,
    /// What detection looks for.
    pub recognised_by: String,
}

pub const BUILT_IN: [Format; 7] = [
    Format::DefenderXdr,
    Format::GraphAlerts,
    Format::DefenderForCloud,
    Format::Sentinel,
    Format::SplunkEs,
    Format::TheHive,
    Format::Aggregate,
];

impl Format {
    pub fn name(self) -> &'static str {
        self.texts().0
    }

    pub fn title(self) -> &'static str {
        self.texts().1
    }

    pub fn info(self) -> FormatInfo {
        let (name, title, file, recognised_by) = self.texts();
        FormatInfo {
            name: name.to_owned(),
            title: title.to_owned(),
            file: file.to_owned(),
            recognised_by: recognised_by.to_owned(),
        }
    }

    fn texts(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Format::DefenderXdr => (
                "defender-xdr",
                "Defender XDR incident queue",
                "CSV from the portal (also Excel's UTF-16 \"Unicode Text\")",
                "columns Incident Id, Service sources, Last update time",
            ),
            Format::GraphAlerts => (
                "graph-alerts",
                "Microsoft Graph security alerts_v2",
                "JSON {\"value\": [...]}",
                "objects with serviceSource and createdDateTime",
            ),
            Format::DefenderForCloud => (
                "defender-for-cloud",
                "Defender for Cloud alerts",
                "CSV with continuous-export column names",
                "columns SystemAlertId, ProductName",
            ),
            Format::Sentinel => (
                "sentinel",
                "Microsoft Sentinel SecurityIncident",
                "CSV exported from Log Analytics (audit rows)",
                "columns IncidentName, ProviderName, CreatedTime",
            ),
            Format::SplunkEs => (
                "splunk-es",
                "Splunk ES notable events",
                "CSV",
                "columns event_id, _time",
            ),
            Format::TheHive => (
                "thehive",
                "TheHive cases",
                "JSON array of cases",
                "objects with _id and _createdAt",
            ),
            Format::Aggregate => (
                "aggregate",
                "Streamline aggregate (weekly counts and duration histograms)",
                "CSV written by the queries in docs/queries/ (Sentinel KQL, Splunk SPL)",
                "the column streamline_aggregate",
            ),
            Format::Mapped => (
                "mapping",
                "Any other CSV",
                "CSV read through a saved column mapping (mapping:NAME)",
                "the header of a saved mapping",
            ),
        }
    }

    /// A name as typed after `--format` (a few aliases are accepted).
    pub fn from_name(value: &str) -> Option<Format> {
        let v = value.trim().to_ascii_lowercase().replace('_', "-");
        Some(match v.as_str() {
            "defender-xdr" | "xdr" | "defender-xdr-incidents" | "m365d" => Format::DefenderXdr,
            "graph-alerts" | "graph" | "alerts-v2" => Format::GraphAlerts,
            "defender-for-cloud" | "dfc" | "mdc" => Format::DefenderForCloud,
            "sentinel" | "securityincident" | "sentinel-incidents" => Format::Sentinel,
            "splunk-es" | "splunk" | "notables" => Format::SplunkEs,
            "thehive" | "the-hive" => Format::TheHive,
            "aggregate" | "streamline-aggregate" => Format::Aggregate,
            _ => return None,
        })
    }

    pub fn is_json(self) -> bool {
        matches!(self, Format::GraphAlerts | Format::TheHive)
    }
}

/// The built-in CSV format whose columns the header has, if any.
pub fn detect_csv(header: &HeaderIndex) -> Option<Format> {
    let all = |names: &[&str]| names.iter().all(|n| header.has(n));
    // Our own column name first: no export has it, so the detection is unambiguous.
    if all(&["streamline_aggregate"]) {
        Some(Format::Aggregate)
    } else if all(&["incidentname", "providername", "createdtime"]) {
        Some(Format::Sentinel)
    } else if all(&["incident id", "service sources"]) {
        Some(Format::DefenderXdr)
    } else if all(&["systemalertid", "productname"]) || all(&["systemalertid", "alertdisplayname"])
    {
        Some(Format::DefenderForCloud)
    } else if all(&["event_id", "_time"]) {
        Some(Format::SplunkEs)
    } else {
        None
    }
}

/// The JSON format from the first part of the file.
pub fn detect_json(head: &str) -> Option<Format> {
    let start = head.trim_start().as_bytes().first().copied()?;
    let has = |key: &str| head.contains(&format!("\"{key}\""));
    match start {
        b'{' if has("value")
            && (has("serviceSource") || has("createdDateTime") || head.contains("alerts_v2")) =>
        {
            Some(Format::GraphAlerts)
        }
        b'[' if has("_id") && (has("_createdAt") || has("_type")) => Some(Format::TheHive),
        // The `value` array saved on its own.
        b'[' if has("serviceSource") && has("createdDateTime") => Some(Format::GraphAlerts),
        _ => None,
    }
}
