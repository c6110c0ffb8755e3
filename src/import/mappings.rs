//! Column mappings for "any other CSV": the user picks once which column holds what, and the
//! mapping is saved under a name and reused for every file with the same header.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::item::Kind;
use super::read::HeaderIndex;
use super::ImportError;

/// Which column of the file holds each work-item field (by the file's own column names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// How the mapping is named in the format list (`mapping:NAME`).
    pub name: String,
    /// The header the mapping was made for; files with the same columns (any order, case,
    /// `[UTC]` suffixes) use it.
    pub header: Vec<String>,
    /// Every row is this kind.
    pub kind: Kind,
    pub id: String,
    pub created: String,
    #[serde(default)]
    pub triaged: Option<String>,
    #[serde(default)]
    pub resolved: Option<String>,
    /// The row's last change, which decides which of two exports is newer.
    #[serde(default)]
    pub updated: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    /// A column naming the product or queue (fed to the queue rules), …
    #[serde(default)]
    pub queue_column: Option<String>,
    /// … or one queue for every row.
    #[serde(default)]
    pub queue_name: Option<String>,
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub classification: Option<String>,
    #[serde(default)]
    pub determination: Option<String>,
}

impl ColumnMapping {
    /// The format name of files read through this mapping.
    pub fn format_name(&self) -> String {
        format!("mapping:{}", self.name)
    }

    fn check(&self) -> Result<(), ImportError> {
        let invalid = |m: String| Err(ImportError::InvalidInput(m));
        if self.name.trim().is_empty() || self.name.chars().count() > 100 {
            return invalid("a column mapping needs a name of 1 to 100 characters".into());
        }
        if self.header.is_empty() {
            return invalid("a column mapping needs the header of the file it reads".into());
        }
        let index = HeaderIndex::new(self.header.clone());
        let named = [
            Some(&self.id),
            Some(&self.created),
            self.triaged.as_ref(),
            self.resolved.as_ref(),
            self.updated.as_ref(),
            self.title.as_ref(),
            self.severity.as_ref(),
            self.status.as_ref(),
            self.queue_column.as_ref(),
            self.assignee.as_ref(),
            self.classification.as_ref(),
            self.determination.as_ref(),
        ];
        for column in named.into_iter().flatten() {
            if index
                .find(&[super::read::normalise_header(column).as_str()])
                .is_none()
            {
                return invalid(format!("the file has no column {column:?}"));
            }
        }
        Ok(())
    }
}

/// Saves (or replaces, by name) a column mapping.
pub fn save_mapping(conn: &Connection, mapping: &ColumnMapping) -> Result<(), ImportError> {
    mapping.check()?;
    let key = HeaderIndex::new(mapping.header.clone()).key();
    let definition =
        serde_json::to_string(mapping).map_err(|e| ImportError::InvalidInput(e.to_string()))?;
    let tx = conn.unchecked_transaction()?;
    // One mapping per header: a new one for the same header replaces the old.
    tx.execute(
        "DELETE FROM column_mapping WHERE header_key = ?1 AND name <> ?2",
        params![key, mapping.name],
    )?;
    tx.execute(
        "INSERT INTO column_mapping (name, header_key, definition) VALUES (?1, ?2, ?3)
         ON CONFLICT(name) DO UPDATE SET header_key = excluded.header_key, definition = excluded.definition",
        params![mapping.name, key, definition],
    )?;
    tx.commit()?;
    Ok(())
}

fn parse(definition: String) -> Result<ColumnMapping, ImportError> {
    serde_json::from_str(&definition).map_err(|e| {
        ImportError::InvalidInput(format!("a saved column mapping cannot be read: {e}"))
    })
}

pub fn list_mappings(conn: &Connection) -> Result<Vec<ColumnMapping>, ImportError> {
    let mut stmt = conn.prepare("SELECT definition FROM column_mapping ORDER BY name")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.map(|r| parse(r?)).collect()
}

pub fn mapping_by_name(
    conn: &Connection,
    name: &str,
) -> Result<Option<ColumnMapping>, ImportError> {
    let def: Option<String> = conn
        .query_row(
            "SELECT definition FROM column_mapping WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    def.map(parse).transpose()
}

/// The saved mapping made for this header, if any.
pub fn mapping_for_header(
    conn: &Connection,
    header: &HeaderIndex,
) -> Result<Option<ColumnMapping>, ImportError> {
    let def: Option<String> = conn
        .query_row(
            "SELECT definition FROM column_mapping WHERE header_key = ?1",
            [header.key()],
            |r| r.get(0),
        )
        .optional()?;
    def.map(parse).transpose()
}

pub fn delete_mapping(conn: &Connection, name: &str) -> Result<(), ImportError> {
    if conn.execute("DELETE FROM column_mapping WHERE name = ?1", [name])? == 0 {
        return Err(ImportError::NotFound(format!(
            "no column mapping named {name:?}"
        )));
    }
    Ok(())
}

/// The column names a field is often found under, most telling first (normalised: lower
/// case, single spaces).
const LIKELY_COLUMNS: [(&str, &[&str]); 12] = [
    (
        "id",
        &[
            "id",
            "ticket",
            "ticket id",
            "number",
            "incident id",
            "case id",
            "alert id",
            "key",
        ],
    ),
    (
        "created",
        &[
            "created",
            "opened",
            "created at",
            "created time",
            "opened at",
            "created date",
            "date",
            "time",
        ],
    ),
    (
        "triaged",
        &[
            "first response",
            "acknowledged",
            "acknowledged at",
            "assigned at",
            "first response time",
        ],
    ),
    (
        "resolved",
        &[
            "closed",
            "resolved",
            "closed at",
            "resolved at",
            "closed time",
            "resolved time",
        ],
    ),
    (
        "updated",
        &[
            "updated",
            "updated at",
            "last updated",
            "last modified",
            "modified",
        ],
    ),
    (
        "title",
        &["title", "summary", "subject", "name", "short description"],
    ),
    ("severity", &["severity", "priority", "urgency"]),
    ("status", &["status", "state"]),
    (
        "queue_column",
        &[
            "queue",
            "team",
            "source",
            "product",
            "assignment group",
            "group",
        ],
    ),
    (
        "assignee",
        &["assignee", "assigned to", "agent", "owner", "analyst"],
    ),
    (
        "classification",
        &["classification", "resolution", "verdict"],
    ),
    (
        "determination",
        &["determination", "resolution code", "close code"],
    ),
];

/// A first guess at a mapping for a header, for the user to correct: each field gets the
/// column whose name says it best. Id and created fall back to the first two columns.
pub fn suggest_mapping(name: &str, header: &[String]) -> ColumnMapping {
    let index = HeaderIndex::new(header.to_vec());
    let mut taken: Vec<usize> = Vec::new();
    let mut guess = |field: &str| -> Option<String> {
        let names = LIKELY_COLUMNS.iter().find(|(f, _)| *f == field)?.1;
        let found = names.iter().find_map(|n| {
            index
                .normalised
                .iter()
                .position(|h| h == n)
                .filter(|i| !taken.contains(i))
        })?;
        taken.push(found);
        Some(header[found].clone())
    };
    let id = guess("id");
    let created = guess("created");
    let fallback = |i: usize| header.get(i).cloned().unwrap_or_default();
    ColumnMapping {
        name: name.to_owned(),
        header: header.to_vec(),
        kind: Kind::Incident,
        id: id.unwrap_or_else(|| fallback(0)),
        created: created.unwrap_or_else(|| fallback(1)),
        triaged: guess("triaged"),
        resolved: guess("resolved"),
        updated: guess("updated"),
        title: guess("title"),
        severity: guess("severity"),
        status: guess("status"),
        queue_column: guess("queue_column"),
        queue_name: None,
        assignee: guess("assignee"),
        classification: guess("classification"),
        determination: guess("determination"),
    }
}
