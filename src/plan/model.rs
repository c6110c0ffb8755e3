//! The plan as it is read: plain data, serialisable for the CLI's `--json` and the app.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};

use super::{objective_rag, PlanError};
use crate::store;

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    NotStarted,
    InProgress,
    Blocked,
    Done,
}

impl StepStatus {
    pub const ALL: [StepStatus; 4] = [
        Self::NotStarted,
        Self::InProgress,
        Self::Blocked,
        Self::Done,
    ];

    /// The value stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::Blocked => "blocked",
            Self::Done => "done",
        }
    }

    /// The words a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "not started",
            Self::InProgress => "in progress",
            Self::Blocked => "blocked",
            Self::Done => "done",
        }
    }

    /// Accepts `done`, `in progress`, `in-progress` and `in_progress` alike.
    pub fn parse(value: &str) -> Result<Self, PlanError> {
        let wanted = value.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == wanted)
            .ok_or_else(|| {
                PlanError::InvalidInput(format!(
                    "{value:?} is not a step status; use one of: not_started, in_progress, blocked, done"
                ))
            })
    }
}

/// A red/amber/green status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Red,
    Amber,
    Green,
}

impl Rag {
    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
        }
    }

    pub fn parse(value: &str) -> Result<Self, PlanError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "red" => Ok(Rag::Red),
            "amber" => Ok(Rag::Amber),
            "green" => Ok(Rag::Green),
            _ => Err(PlanError::InvalidInput(format!(
                "{value:?} is not a RAG status; use red, amber or green"
            ))),
        }
    }
}

/// An objective's RAG: the rule's result, or the user's override with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RagStatus {
    pub status: Rag,
    pub reason: String,
    pub overridden: bool,
    /// What the rule says, kept beside an override so both can be shown.
    pub rule_status: Rag,
    pub rule_reason: String,
}

/// Whether an objective is met by deployment steps or by an outcome in the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveKind {
    Outcome,
    Deployment,
}

/// One implementation step of an objective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub id: i64,
    pub objective_id: String,
    /// 1-based place within its objective.
    pub number: u32,
    /// How people name it: "2a.3".
    pub reference: String,
    pub text: String,
    pub owner_role: String,
    pub owner_person: String,
    pub due_date: Option<NaiveDate>,
    pub status: StepStatus,
    pub done_date: Option<NaiveDate>,
    pub notes: String,
    pub evidence_link: String,
    pub doc_label: String,
    pub doc_link: String,
    /// A suggestion seeded where the guidance is empty, not yet edited by anyone.
    pub suggested: bool,
    /// Due before today and not done.
    pub overdue: bool,
}

/// A deployment objective and its steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Objective {
    pub id: String,
    pub title: String,
    pub kind: ObjectiveKind,
    pub owner_role: String,
    pub owner_person: String,
    pub position: u32,
    /// For an outcome objective: the most active queues allowed, and for how many weeks in a row.
    pub queue_target: u32,
    pub weeks_required: u32,
    pub steps_done: usize,
    pub steps_total: usize,
    pub rag: RagStatus,
    pub steps: Vec<Step>,
}

/// One row of the accountability table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountabilityRow {
    pub id: i64,
    /// 1-based row number, as shown.
    pub number: u32,
    pub lead: String,
    pub owner: String,
    pub accountability: String,
    pub person: String,
}

/// The whole plan as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub program_name: String,
    pub as_of: NaiveDate,
    pub steps_done: usize,
    pub steps_total: usize,
    pub objectives: Vec<Objective>,
    pub accountability: Vec<AccountabilityRow>,
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub entity: String,
    pub entity_id: String,
    pub context: String,
    pub action: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub source: String,
}

pub(crate) const STEP_COLUMNS: &str = "s.id, s.objective_id, s.position, s.text, s.owner_role, s.owner_person, \
     s.due_date, s.status, s.done_date, s.notes, s.evidence_link, s.doc_label, s.doc_link, s.suggested";

pub(crate) fn step_from_row(row: &Row<'_>, today: NaiveDate) -> rusqlite::Result<Step> {
    let objective_id: String = row.get(1)?;
    let number: u32 = row.get(2)?;
    let status_text: String = row.get(7)?;
    let status = StepStatus::parse(&status_text).unwrap_or(StepStatus::NotStarted);
    let due_date: Option<NaiveDate> = row.get(6)?;
    Ok(Step {
        id: row.get(0)?,
        reference: format!("{objective_id}.{number}"),
        objective_id,
        number,
        text: row.get(3)?,
        owner_role: row.get(4)?,
        owner_person: row.get(5)?,
        due_date,
        status,
        done_date: row.get(8)?,
        notes: row.get(9)?,
        evidence_link: row.get(10)?,
        doc_label: row.get(11)?,
        doc_link: row.get(12)?,
        suggested: row.get(13)?,
        overdue: status != StepStatus::Done && due_date.is_some_and(|d| d < today),
    })
}

/// Reads the whole plan; `today` decides what is overdue and the RAG statuses.
pub fn load(conn: &Connection, today: NaiveDate) -> Result<Plan, PlanError> {
    let mut steps_stmt = conn.prepare_cached(&format!(
        "SELECT {STEP_COLUMNS} FROM step s JOIN objective o ON o.id = s.objective_id
         ORDER BY o.position, s.position"
    ))?;
    let mut all_steps: Vec<Step> = steps_stmt
        .query_map([], |r| step_from_row(r, today))?
        .collect::<rusqlite::Result<_>>()?;

    let mut objectives_stmt = conn.prepare_cached(
        "SELECT id, title, kind, owner_role, owner_person, position, queue_target, weeks_required,
                rag_override, rag_override_reason
         FROM objective ORDER BY position",
    )?;
    let mut objectives = Vec::new();
    let mut rows = objectives_stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let steps: Vec<Step> = {
            let split = all_steps
                .iter()
                .take_while(|s| s.objective_id == id)
                .count();
            all_steps.drain(..split).collect()
        };
        let kind: String = row.get(2)?;
        let override_status: Option<String> = row.get(8)?;
        let override_reason: Option<String> = row.get(9)?;
        let override_rag = override_status
            .and_then(|s| Rag::parse(&s).ok())
            .map(|rag| (rag, override_reason.unwrap_or_default()));
        objectives.push(Objective {
            rag: objective_rag(&steps, today, override_rag),
            steps_done: steps
                .iter()
                .filter(|s| s.status == StepStatus::Done)
                .count(),
            steps_total: steps.len(),
            id,
            title: row.get(1)?,
            kind: if kind == "outcome" {
                ObjectiveKind::Outcome
            } else {
                ObjectiveKind::Deployment
            },
            owner_role: row.get(3)?,
            owner_person: row.get(4)?,
            position: row.get(5)?,
            queue_target: row.get(6)?,
            weeks_required: row.get(7)?,
            steps,
        });
    }

    Ok(Plan {
        program_name: store::setting(conn, "program_name")?.unwrap_or_default(),
        as_of: today,
        steps_done: objectives.iter().map(|o| o.steps_done).sum(),
        steps_total: objectives.iter().map(|o| o.steps_total).sum(),
        objectives,
        accountability: load_accountability(conn)?,
    })
}

/// The accountability table, in order.
pub fn load_accountability(conn: &Connection) -> Result<Vec<AccountabilityRow>, PlanError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, lead, owner, accountability, person FROM accountability ORDER BY position",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(AccountabilityRow {
                id: r.get(0)?,
                number: r.get(1)?,
                lead: r.get(2)?,
                owner: r.get(3)?,
                accountability: r.get(4)?,
                person: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The audit log, newest first.
pub fn audit_log(conn: &Connection, limit: usize) -> Result<Vec<AuditEntry>, PlanError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, entity, entity_id, context, action, field, old_value, new_value, source
         FROM audit_log ORDER BY at DESC, id DESC LIMIT ?1",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt
        .query_map([limit], |r| {
            let at: String = r.get(1)?;
            Ok(AuditEntry {
                id: r.get(0)?,
                at: DateTime::parse_from_rfc3339(&at)
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or_default(),
                entity: r.get(2)?,
                entity_id: r.get(3)?,
                context: r.get(4)?,
                action: r.get(5)?,
                field: r.get(6)?,
                old_value: r.get(7)?,
                new_value: r.get(8)?,
                source: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
