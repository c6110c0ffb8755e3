//! A work item as the store keeps it, the vocabularies its fields are normalised to, and the
//! rule that merges two sightings of the same object.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Alert,
    Incident,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Alert => "alert",
            Kind::Incident => "incident",
        }
    }
    pub fn parse(value: &str) -> Option<Kind> {
        match value.trim().to_ascii_lowercase().as_str() {
            "alert" | "alerts" | "notable" | "event" => Some(Kind::Alert),
            "incident" | "incidents" | "case" => Some(Kind::Incident),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Unknown,
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Unknown => "unknown",
            Severity::Informational => "informational",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Every export's spelling; anything else is `Unknown` (never a rejected row: severity is a
    /// cut, not a figure).
    pub fn parse(value: &str) -> Severity {
        match value.trim().to_ascii_lowercase().as_str() {
            "informational" | "info" | "information" => Severity::Informational,
            "low" => Severity::Low,
            "medium" | "moderate" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => Severity::Unknown,
        }
    }

    pub fn from_name(value: &str) -> Severity {
        Severity::parse(value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    InProgress,
    Resolved,
    /// Merged into another incident (Defender XDR): kept, but not counted.
    Redirected,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::Redirected => "redirected",
        }
    }

    /// The status words of every supported export and of common ticket tools.
    pub fn parse(value: &str) -> Option<Status> {
        let v: String = value
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .collect::<String>()
            .to_ascii_lowercase();
        Some(match v.as_str() {
            "new" | "active" | "open" | "unassigned" | "notstarted" => Status::New,
            "inprogress" | "pending" | "acknowledged" | "assigned" | "investigating" => {
                Status::InProgress
            }
            "resolved" | "closed" | "dismissed" | "done" | "completed" => Status::Resolved,
            "redirected" | "merged" => Status::Redirected,
            _ => return None,
        })
    }

    pub fn from_name(value: &str) -> Status {
        Status::parse(value).unwrap_or(Status::New)
    }
}

/// One object read from one row (or several audit rows) of one export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    /// The same for one object seen through two exports, e.g. `xdr-incident:14240`.
    pub identity: String,
    /// The format name the row came from.
    pub source: String,
    pub external_id: String,
    pub kind: Kind,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub queue_signal: String,
    pub created_ms: Option<i64>,
    /// False when the export has no created time and another time stands in for it.
    pub created_exact: bool,
    pub triaged_ms: Option<i64>,
    pub resolved_ms: Option<i64>,
    pub updated_ms: Option<i64>,
    pub assignee: Option<String>,
    pub classification: Option<String>,
    pub determination: Option<String>,
    pub automated: bool,
    /// Closed by a tool (AIR, an automation rule) whatever the assignee.
    pub closed_by_tool: bool,
    pub incident_ref: Option<String>,
}

/// A sighting with the queue its rules gave it: what a `work_item` row holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemState {
    pub sighting: Sighting,
    pub queue: String,
}

/// Merges a new sighting into the stored item of the same identity.
///
/// The newer state wins (by the export's own last-change time; without one, the later import):
/// status, severity, assignee, verdicts, resolution. The first analyst action is the earliest
/// either has seen, since audit history only ever adds earlier evidence. Fields one export does
/// not have (a created time, a title) are filled from the other. The queue is the one where an
/// analyst can see the item: when one sighting is in the primary queue, that one.
pub fn merge(stored: &ItemState, incoming: ItemState, primary: &str) -> ItemState {
    let s = &stored.sighting;
    let newer = match (incoming.sighting.updated_ms, s.updated_ms) {
        (Some(a), Some(b)) => a >= b,
        (None, Some(_)) => false,
        _ => true,
    };
    let (winner, other) = if newer {
        (incoming, stored.clone())
    } else {
        (stored.clone(), incoming)
    };
    let in_primary = |st: &ItemState| st.queue.eq_ignore_ascii_case(primary);
    let queue_from_other = in_primary(&other) && !in_primary(&winner);
    let o = other.sighting;
    let mut w = winner.sighting;
    // A created time the export states beats one that stands in for it, whichever is newer.
    if o.created_ms.is_some() && (w.created_ms.is_none() || (o.created_exact && !w.created_exact)) {
        w.created_ms = o.created_ms;
        w.created_exact = o.created_exact;
    }
    w.triaged_ms = match (w.triaged_ms, o.triaged_ms) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if w.title.is_empty() {
        w.title = o.title.clone();
    }
    w.incident_ref = w.incident_ref.or(o.incident_ref.clone());
    if w.severity == Severity::Unknown {
        w.severity = o.severity;
    }
    w.updated_ms = match (w.updated_ms, o.updated_ms) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let mut queue = winner.queue;
    if queue_from_other {
        queue = other.queue;
        w.source = o.source;
        w.external_id = o.external_id;
        w.queue_signal = o.queue_signal;
    }
    ItemState { sighting: w, queue }
}

/// Trims, and turns the empty value and the "no value" words exports use into `None`.
pub fn text(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty()
        || v.eq_ignore_ascii_case("null")
        || v.eq_ignore_ascii_case("unassigned")
        || v == "-"
    {
        None
    } else {
        Some(v.to_owned())
    }
}

/// A verdict field, where "unknown" means no verdict yet.
pub fn verdict(value: &str) -> Option<String> {
    text(value)
        .filter(|v| !v.eq_ignore_ascii_case("unknown") && !v.eq_ignore_ascii_case("undetermined"))
}

/// Automated investigation states that mean AIR closed the item itself.
pub fn is_air_closing_state(value: &str) -> bool {
    let v: String = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        v.as_str(),
        "successfullyremediated" | "remediated" | "benign" | "nothreatsfound" | "fullyremediated"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sighting(updated: i64) -> ItemState {
        ItemState {
            queue: "Microsoft Sentinel".into(),
            sighting: Sighting {
                identity: "xdr-incident:1".into(),
                source: "sentinel".into(),
                external_id: "a".into(),
                kind: Kind::Incident,
                title: "T".into(),
                severity: Severity::High,
                status: Status::InProgress,
                queue_signal: "Azure Sentinel".into(),
                created_ms: Some(1_000),
                created_exact: true,
                triaged_ms: Some(5_000),
                resolved_ms: None,
                updated_ms: Some(updated),
                assignee: Some("maria".into()),
                classification: None,
                determination: None,
                automated: false,
                closed_by_tool: false,
                incident_ref: None,
            },
        }
    }

    #[test]
    fn the_newer_state_wins_and_the_first_action_is_the_earliest() {
        let older = sighting(10_000);
        let mut newer = sighting(20_000);
        newer.sighting.status = Status::Resolved;
        newer.sighting.resolved_ms = Some(20_000);
        newer.sighting.triaged_ms = Some(9_000);
        let merged = merge(&older, newer.clone(), "Defender XDR");
        assert_eq!(merged.sighting.status, Status::Resolved, "newer status");
        assert_eq!(
            merged.sighting.triaged_ms,
            Some(5_000),
            "earliest first action"
        );
        assert_eq!(
            merge(&newer, older, "Defender XDR").sighting.status,
            Status::Resolved,
            "an older sighting changes no state"
        );
    }

    #[test]
    fn a_stated_created_time_beats_a_stand_in_and_the_primary_queue_sticks() {
        let stated = sighting(10_000);
        let mut portal = sighting(20_000);
        portal.sighting.created_ms = Some(500);
        portal.sighting.created_exact = false;
        portal.sighting.source = "defender-xdr".into();
        portal.queue = "Defender XDR".into();
        let merged = merge(&stated, portal, "Defender XDR");
        assert_eq!(
            merged.sighting.created_ms,
            Some(1_000),
            "the stated created time"
        );
        assert_eq!(merged.queue, "Defender XDR");
        let mut later_sentinel = sighting(30_000);
        later_sentinel.queue = "Microsoft Sentinel".into();
        let again = merge(&merged, later_sentinel, "Defender XDR");
        assert_eq!(
            again.queue, "Defender XDR",
            "seen in the primary queue, it stays there"
        );
        assert_eq!(
            again.sighting.source, "defender-xdr",
            "with the sighting that put it there"
        );
    }
}
