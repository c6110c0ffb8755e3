//! Changes to the plan. Each public function is one transaction: the change and its audit rows
//! are written together or not at all.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::Deserialize;

use super::model::{step_from_row, STEP_COLUMNS};
use super::{AccountabilityRow, Objective, PlanError, Rag, Step, StepStatus};

/// When and by what an edit is made. "Today" is the user's local date, which decides a done
/// date's default; the caller supplies both so that nothing here reads the clock.
#[derive(Debug, Clone, Copy)]
pub struct Stamp<'a> {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    /// "app" or "cli": shown in the activity log.
    pub source: &'a str,
}

/// One change to a step's field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum StepEdit {
    Text(String),
    OwnerRole(String),
    OwnerPerson(String),
    DueDate(Option<NaiveDate>),
    Status(StepStatus),
    /// Only for a done step; a step marked done without one is done today.
    DoneDate(Option<NaiveDate>),
    Notes(String),
    EvidenceLink(String),
    DocLabel(String),
    DocLink(String),
}

/// One change to an objective.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum ObjectiveEdit {
    Title(String),
    OwnerRole(String),
    OwnerPerson(String),
    QueueTarget(u32),
    WeeksRequired(u32),
    /// A RAG chosen by hand with its reason; `None` goes back to the rule.
    RagOverride(Option<RagOverride>),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RagOverride {
    pub status: Rag,
    pub reason: String,
}

/// One change to a row of the accountability table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum AccountabilityEdit {
    Lead(String),
    Owner(String),
    Accountability(String),
    Person(String),
}

const MAX_TEXT: usize = 4000;

fn check_text(what: &str, value: &str, required: bool) -> Result<String, PlanError> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(PlanError::InvalidInput(format!("{what} cannot be empty")));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(PlanError::InvalidInput(format!(
            "{what} is longer than {MAX_TEXT} characters"
        )));
    }
    Ok(value.to_owned())
}

/// Links open in the system browser, so only web addresses are accepted.
fn check_link(what: &str, value: &str) -> Result<String, PlanError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            Ok(value.to_owned())
        }
        _ => Err(PlanError::InvalidInput(format!(
            "{what} {value:?} is not a web address (it must start with https:// or http://)"
        ))),
    }
}

fn check_objective_id(id: &str) -> Result<String, PlanError> {
    let id = id.trim();
    let valid = !id.is_empty()
        && id.len() <= 16
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(id.to_owned())
    } else {
        Err(PlanError::InvalidInput(format!(
            "{id:?} cannot be an objective id: use up to 16 letters, digits, '-' or '_' (such as 3 or 2c)"
        )))
    }
}

/// Takes the write lock up front, so an edit waits for another writer (the CLI, an import) instead
/// of failing halfway when its read turns into a write.
fn write_transaction(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
}

struct Audit<'a> {
    entity: &'a str,
    entity_id: String,
    context: String,
    action: &'a str,
    field: &'a str,
    old_value: Option<String>,
    new_value: Option<String>,
}

fn record(tx: &Transaction<'_>, stamp: &Stamp<'_>, audit: Audit<'_>) -> Result<(), PlanError> {
    tx.prepare_cached(
        "INSERT INTO audit_log (at, entity, entity_id, context, action, field, old_value, new_value, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        stamp.now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        audit.entity,
        audit.entity_id,
        audit.context,
        audit.action,
        audit.field,
        audit.old_value,
        audit.new_value,
        stamp.source,
    ])?;
    Ok(())
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// Finds a step by its id ("17") or its reference ("2a.3").
pub fn find_step(conn: &Connection, reference: &str, today: NaiveDate) -> Result<Step, PlanError> {
    let reference = reference.trim();
    let unknown = || PlanError::UnknownStep(format!("{reference:?}"));
    let found = if let Some((objective, number)) = reference.rsplit_once('.') {
        let number: u32 = number.parse().map_err(|_| unknown())?;
        conn.prepare_cached(&format!(
            "SELECT {STEP_COLUMNS} FROM step s WHERE s.objective_id = ?1 AND s.position = ?2"
        ))?
        .query_row(params![objective, number], |r| step_from_row(r, today))
        .optional()?
    } else {
        let id: i64 = reference.parse().map_err(|_| unknown())?;
        conn.prepare_cached(&format!(
            "SELECT {STEP_COLUMNS} FROM step s WHERE s.id = ?1"
        ))?
        .query_row([id], |r| step_from_row(r, today))
        .optional()?
    };
    found.ok_or_else(unknown)
}

/// Applies edits to one step. Marking a step done without a done date records today; moving
/// it out of done clears the date. Editing a suggested step's text makes it the user's own.
pub fn edit_step(
    conn: &mut Connection,
    reference: &str,
    edits: &[StepEdit],
    stamp: &Stamp<'_>,
) -> Result<Step, PlanError> {
    let tx = write_transaction(conn)?;
    let old = find_step(&tx, reference, stamp.today)?;
    let mut new = old.clone();
    let mut done_date_given = false;
    for edit in edits {
        match edit {
            StepEdit::Text(v) => {
                new.text = check_text("A step's text", v, true)?;
                if new.text != old.text {
                    new.suggested = false;
                }
            }
            StepEdit::OwnerRole(v) => new.owner_role = check_text("The owner role", v, false)?,
            StepEdit::OwnerPerson(v) => new.owner_person = check_text("The owner", v, false)?,
            StepEdit::DueDate(v) => new.due_date = *v,
            StepEdit::Status(v) => new.status = *v,
            StepEdit::DoneDate(v) => {
                new.done_date = *v;
                done_date_given = true;
            }
            StepEdit::Notes(v) => new.notes = check_text("Notes", v, false)?,
            StepEdit::EvidenceLink(v) => new.evidence_link = check_link("The evidence link", v)?,
            StepEdit::DocLabel(v) => {
                new.doc_label = check_text("The documentation label", v, false)?
            }
            StepEdit::DocLink(v) => new.doc_link = check_link("The documentation link", v)?,
        }
    }
    if new.status == StepStatus::Done {
        if new.done_date.is_none() {
            new.done_date = Some(stamp.today);
        }
        if let Some(done) = new.done_date.filter(|d| *d > stamp.today) {
            return Err(PlanError::InvalidInput(format!(
                "a step cannot be done on {done}, which is after today ({})",
                stamp.today
            )));
        }
    } else if done_date_given && new.done_date.is_some() {
        return Err(PlanError::InvalidInput(format!(
            "step {} is {}: only a done step has a done date",
            old.reference,
            new.status.label()
        )));
    } else {
        new.done_date = None;
    }

    tx.prepare_cached(
        "UPDATE step SET text = ?2, owner_role = ?3, owner_person = ?4, due_date = ?5, status = ?6,
             done_date = ?7, notes = ?8, evidence_link = ?9, doc_label = ?10, doc_link = ?11, suggested = ?12
         WHERE id = ?1",
    )?
    .execute(params![
        old.id,
        new.text,
        new.owner_role,
        new.owner_person,
        new.due_date,
        new.status.as_str(),
        new.done_date,
        new.notes,
        new.evidence_link,
        new.doc_label,
        new.doc_link,
        new.suggested,
    ])?;

    let changes: [(&str, Option<String>, Option<String>); 11] = [
        ("text", Some(old.text.clone()), Some(new.text.clone())),
        (
            "owner_role",
            Some(old.owner_role.clone()),
            Some(new.owner_role.clone()),
        ),
        (
            "owner_person",
            Some(old.owner_person.clone()),
            Some(new.owner_person.clone()),
        ),
        ("due_date", date_text(old.due_date), date_text(new.due_date)),
        (
            "status",
            Some(old.status.as_str().into()),
            Some(new.status.as_str().into()),
        ),
        (
            "done_date",
            date_text(old.done_date),
            date_text(new.done_date),
        ),
        ("notes", Some(old.notes.clone()), Some(new.notes.clone())),
        (
            "evidence_link",
            Some(old.evidence_link.clone()),
            Some(new.evidence_link.clone()),
        ),
        (
            "doc_label",
            Some(old.doc_label.clone()),
            Some(new.doc_label.clone()),
        ),
        (
            "doc_link",
            Some(old.doc_link.clone()),
            Some(new.doc_link.clone()),
        ),
        (
            "suggested",
            Some(old.suggested.to_string()),
            Some(new.suggested.to_string()),
        ),
    ];
    for (field, old_value, new_value) in changes {
        if old_value != new_value {
            record(
                &tx,
                stamp,
                Audit {
                    entity: "step",
                    entity_id: old.reference.clone(),
                    context: old.text.clone(),
                    action: "edit",
                    field,
                    old_value,
                    new_value,
                },
            )?;
        }
    }
    let updated = find_step(&tx, &old.id.to_string(), stamp.today)?;
    tx.commit()?;
    Ok(updated)
}

/// Adds a step at the end of an objective.
pub fn add_step(
    conn: &mut Connection,
    objective_id: &str,
    text: &str,
    owner_role: &str,
    stamp: &Stamp<'_>,
) -> Result<Step, PlanError> {
    let text = check_text("A step's text", text, true)?;
    let owner_role = check_text("The owner role", owner_role, false)?;
    let tx = write_transaction(conn)?;
    require_objective(&tx, objective_id)?;
    let position: u32 = tx.query_row(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM step WHERE objective_id = ?1",
        [objective_id],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO step (objective_id, position, text, owner_role) VALUES (?1, ?2, ?3, ?4)",
        params![objective_id, position, text, owner_role],
    )?;
    let id = tx.last_insert_rowid();
    record(
        &tx,
        stamp,
        Audit {
            entity: "step",
            entity_id: format!("{objective_id}.{position}"),
            context: text.clone(),
            action: "add",
            field: "",
            old_value: None,
            new_value: Some(text),
        },
    )?;
    let step = find_step(&tx, &id.to_string(), stamp.today)?;
    tx.commit()?;
    Ok(step)
}

/// Removes a step; the steps after it move up.
pub fn remove_step(
    conn: &mut Connection,
    reference: &str,
    stamp: &Stamp<'_>,
) -> Result<(), PlanError> {
    let tx = write_transaction(conn)?;
    let step = find_step(&tx, reference, stamp.today)?;
    tx.execute("DELETE FROM step WHERE id = ?1", [step.id])?;
    renumber_steps(&tx, &step.objective_id)?;
    record(
        &tx,
        stamp,
        Audit {
            entity: "step",
            entity_id: step.reference.clone(),
            context: step.text.clone(),
            action: "remove",
            field: "",
            old_value: Some(step.text),
            new_value: None,
        },
    )?;
    tx.commit()?;
    Ok(())
}

/// Moves a step to another place (1-based) within its objective.
pub fn move_step(
    conn: &mut Connection,
    reference: &str,
    to: u32,
    stamp: &Stamp<'_>,
) -> Result<Step, PlanError> {
    let tx = write_transaction(conn)?;
    let step = find_step(&tx, reference, stamp.today)?;
    let ids: Vec<i64> = tx
        .prepare_cached("SELECT id FROM step WHERE objective_id = ?1 ORDER BY position")?
        .query_map([&step.objective_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let to = checked_position(to, ids.len())?;
    let mut order: Vec<i64> = ids.into_iter().filter(|id| *id != step.id).collect();
    order.insert(to as usize - 1, step.id);
    write_step_order(&tx, &order)?;
    if to != step.number {
        record(
            &tx,
            stamp,
            Audit {
                entity: "step",
                entity_id: step.reference.clone(),
                context: step.text.clone(),
                action: "move",
                field: "position",
                old_value: Some(step.number.to_string()),
                new_value: Some(to.to_string()),
            },
        )?;
    }
    let moved = find_step(&tx, &step.id.to_string(), stamp.today)?;
    tx.commit()?;
    Ok(moved)
}

fn checked_position(to: u32, len: usize) -> Result<u32, PlanError> {
    if to == 0 || to as usize > len {
        return Err(PlanError::InvalidInput(format!(
            "position {to} is out of range: use 1 to {len}"
        )));
    }
    Ok(to)
}

fn write_step_order(tx: &Transaction<'_>, order: &[i64]) -> Result<(), PlanError> {
    // Two passes keep positions unique at every moment should a unique index ever be added.
    let mut stmt = tx.prepare_cached("UPDATE step SET position = ?2 WHERE id = ?1")?;
    for (i, id) in order.iter().enumerate() {
        stmt.execute(params![id, -(i as i64) - 1])?;
    }
    for (i, id) in order.iter().enumerate() {
        stmt.execute(params![id, i as i64 + 1])?;
    }
    Ok(())
}

fn renumber_steps(tx: &Transaction<'_>, objective_id: &str) -> Result<(), PlanError> {
    let ids: Vec<i64> = tx
        .prepare_cached("SELECT id FROM step WHERE objective_id = ?1 ORDER BY position")?
        .query_map([objective_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    write_step_order(tx, &ids)
}

fn require_objective(conn: &Connection, id: &str) -> Result<(), PlanError> {
    let found: Option<i64> = conn
        .query_row("SELECT 1 FROM objective WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    found
        .map(|_| ())
        .ok_or_else(|| PlanError::UnknownObjective(id.to_owned()))
}

/// Adds an objective at the end of the plan.
pub fn add_objective(
    conn: &mut Connection,
    id: &str,
    title: &str,
    owner_role: &str,
    stamp: &Stamp<'_>,
) -> Result<Objective, PlanError> {
    let id = check_objective_id(id)?;
    let title = check_text("An objective's title", title, true)?;
    let owner_role = check_text("The owner role", owner_role, false)?;
    let tx = write_transaction(conn)?;
    if require_objective(&tx, &id).is_ok() {
        return Err(PlanError::DuplicateObjective(id));
    }
    let position: u32 = tx.query_row(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM objective",
        [],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO objective (id, title, owner_role, position) VALUES (?1, ?2, ?3, ?4)",
        params![id, title, owner_role, position],
    )?;
    record(
        &tx,
        stamp,
        Audit {
            entity: "objective",
            entity_id: id.clone(),
            context: title.clone(),
            action: "add",
            field: "",
            old_value: None,
            new_value: Some(title),
        },
    )?;
    let objective = objective_in(&tx, &id, stamp.today)?;
    tx.commit()?;
    Ok(objective)
}

fn objective_in(conn: &Connection, id: &str, today: NaiveDate) -> Result<Objective, PlanError> {
    super::load(conn, today)?
        .objectives
        .into_iter()
        .find(|o| o.id == id)
        .ok_or_else(|| PlanError::UnknownObjective(id.to_owned()))
}

/// Applies edits to one objective.
pub fn edit_objective(
    conn: &mut Connection,
    id: &str,
    edits: &[ObjectiveEdit],
    stamp: &Stamp<'_>,
) -> Result<Objective, PlanError> {
    let tx = write_transaction(conn)?;
    let old = objective_in(&tx, id, stamp.today)?;
    let (mut title, mut owner_role, mut owner_person) = (
        old.title.clone(),
        old.owner_role.clone(),
        old.owner_person.clone(),
    );
    let (mut queue_target, mut weeks_required) = (old.queue_target, old.weeks_required);
    let old_override = old
        .rag
        .overridden
        .then(|| (old.rag.status, old.rag.reason.clone()));
    let mut new_override = old_override.clone();
    for edit in edits {
        match edit {
            ObjectiveEdit::Title(v) => title = check_text("An objective's title", v, true)?,
            ObjectiveEdit::OwnerRole(v) => owner_role = check_text("The owner role", v, false)?,
            ObjectiveEdit::OwnerPerson(v) => owner_person = check_text("The owner", v, false)?,
            ObjectiveEdit::QueueTarget(v) => queue_target = *v,
            ObjectiveEdit::WeeksRequired(v) => {
                if *v == 0 {
                    return Err(PlanError::InvalidInput(
                        "weeks required must be at least 1".into(),
                    ));
                }
                weeks_required = *v;
            }
            ObjectiveEdit::RagOverride(v) => {
                new_override = match v {
                    Some(o) => {
                        let reason = check_text("The reason for a RAG override", &o.reason, true)?;
                        Some((o.status, reason))
                    }
                    None => None,
                }
            }
        }
    }
    tx.execute(
        "UPDATE objective SET title = ?2, owner_role = ?3, owner_person = ?4, queue_target = ?5,
             weeks_required = ?6, rag_override = ?7, rag_override_reason = ?8
         WHERE id = ?1",
        params![
            old.id,
            title,
            owner_role,
            owner_person,
            queue_target,
            weeks_required,
            new_override.as_ref().map(|(s, _)| s.as_str()),
            new_override.as_ref().map(|(_, r)| r.as_str()),
        ],
    )?;
    let show_override =
        |o: &Option<(Rag, String)>| o.as_ref().map(|(s, r)| format!("{}: {r}", s.as_str()));
    let changes: [(&str, Option<String>, Option<String>); 6] = [
        ("title", Some(old.title.clone()), Some(title)),
        ("owner_role", Some(old.owner_role.clone()), Some(owner_role)),
        (
            "owner_person",
            Some(old.owner_person.clone()),
            Some(owner_person),
        ),
        (
            "queue_target",
            Some(old.queue_target.to_string()),
            Some(queue_target.to_string()),
        ),
        (
            "weeks_required",
            Some(old.weeks_required.to_string()),
            Some(weeks_required.to_string()),
        ),
        (
            "rag_override",
            show_override(&old_override),
            show_override(&new_override),
        ),
    ];
    for (field, old_value, new_value) in changes {
        if old_value != new_value {
            record(
                &tx,
                stamp,
                Audit {
                    entity: "objective",
                    entity_id: old.id.clone(),
                    context: old.title.clone(),
                    action: "edit",
                    field,
                    old_value,
                    new_value,
                },
            )?;
        }
    }
    let updated = objective_in(&tx, id, stamp.today)?;
    tx.commit()?;
    Ok(updated)
}

/// Removes an objective with all its steps.
pub fn remove_objective(
    conn: &mut Connection,
    id: &str,
    stamp: &Stamp<'_>,
) -> Result<(), PlanError> {
    let tx = write_transaction(conn)?;
    let old = objective_in(&tx, id, stamp.today)?;
    tx.execute("DELETE FROM objective WHERE id = ?1", [id])?;
    let ids: Vec<String> = tx
        .prepare_cached("SELECT id FROM objective ORDER BY position")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    write_objective_order(&tx, &ids)?;
    record(
        &tx,
        stamp,
        Audit {
            entity: "objective",
            entity_id: old.id.clone(),
            context: old.title.clone(),
            action: "remove",
            field: "",
            old_value: Some(format!("{} ({} steps)", old.title, old.steps_total)),
            new_value: None,
        },
    )?;
    tx.commit()?;
    Ok(())
}

/// Moves an objective to another place (1-based) in the plan.
pub fn move_objective(
    conn: &mut Connection,
    id: &str,
    to: u32,
    stamp: &Stamp<'_>,
) -> Result<(), PlanError> {
    let tx = write_transaction(conn)?;
    let old = objective_in(&tx, id, stamp.today)?;
    let ids: Vec<String> = tx
        .prepare_cached("SELECT id FROM objective ORDER BY position")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let to = checked_position(to, ids.len())?;
    let mut order: Vec<String> = ids.into_iter().filter(|o| o != id).collect();
    order.insert(to as usize - 1, old.id.clone());
    write_objective_order(&tx, &order)?;
    if to != old.position {
        record(
            &tx,
            stamp,
            Audit {
                entity: "objective",
                entity_id: old.id.clone(),
                context: old.title.clone(),
                action: "move",
                field: "position",
                old_value: Some(old.position.to_string()),
                new_value: Some(to.to_string()),
            },
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn write_objective_order(tx: &Transaction<'_>, order: &[String]) -> Result<(), PlanError> {
    let mut stmt = tx.prepare_cached("UPDATE objective SET position = ?2 WHERE id = ?1")?;
    for (i, id) in order.iter().enumerate() {
        stmt.execute(params![id, i as i64 + 1])?;
    }
    Ok(())
}

fn find_accountability(conn: &Connection, number: &str) -> Result<AccountabilityRow, PlanError> {
    let unknown = || PlanError::UnknownAccountabilityRow(format!("{number:?}"));
    let wanted: u32 = number.trim().parse().map_err(|_| unknown())?;
    super::load_accountability(conn)?
        .into_iter()
        .find(|r| r.number == wanted)
        .ok_or_else(unknown)
}

/// Applies edits to one row of the accountability table, named by its 1-based number.
pub fn edit_accountability(
    conn: &mut Connection,
    number: &str,
    edits: &[AccountabilityEdit],
    stamp: &Stamp<'_>,
) -> Result<AccountabilityRow, PlanError> {
    let tx = write_transaction(conn)?;
    let old = find_accountability(&tx, number)?;
    let mut new = old.clone();
    for edit in edits {
        match edit {
            AccountabilityEdit::Lead(v) => new.lead = check_text("The lead", v, false)?,
            AccountabilityEdit::Owner(v) => new.owner = check_text("The owner", v, false)?,
            AccountabilityEdit::Accountability(v) => {
                new.accountability = check_text("The accountability", v, true)?
            }
            AccountabilityEdit::Person(v) => new.person = check_text("The person", v, false)?,
        }
    }
    tx.execute(
        "UPDATE accountability SET lead = ?2, owner = ?3, accountability = ?4, person = ?5 WHERE id = ?1",
        params![old.id, new.lead, new.owner, new.accountability, new.person],
    )?;
    let changes = [
        ("lead", &old.lead, &new.lead),
        ("owner", &old.owner, &new.owner),
        ("accountability", &old.accountability, &new.accountability),
        ("person", &old.person, &new.person),
    ];
    for (field, old_value, new_value) in changes {
        if old_value != new_value {
            record(
                &tx,
                stamp,
                Audit {
                    entity: "accountability",
                    entity_id: old.number.to_string(),
                    context: old.accountability.clone(),
                    action: "edit",
                    field,
                    old_value: Some(old_value.clone()),
                    new_value: Some(new_value.clone()),
                },
            )?;
        }
    }
    tx.commit()?;
    Ok(new)
}

/// Adds a row at the end of the accountability table.
pub fn add_accountability(
    conn: &mut Connection,
    accountability: &str,
    stamp: &Stamp<'_>,
) -> Result<AccountabilityRow, PlanError> {
    let accountability = check_text("The accountability", accountability, true)?;
    let tx = write_transaction(conn)?;
    let position: u32 = tx.query_row(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM accountability",
        [],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO accountability (position, accountability) VALUES (?1, ?2)",
        params![position, accountability],
    )?;
    record(
        &tx,
        stamp,
        Audit {
            entity: "accountability",
            entity_id: position.to_string(),
            context: accountability.clone(),
            action: "add",
            field: "",
            old_value: None,
            new_value: Some(accountability),
        },
    )?;
    let row = find_accountability(&tx, &position.to_string())?;
    tx.commit()?;
    Ok(row)
}

/// Removes a row of the accountability table; the rows after it move up.
pub fn remove_accountability(
    conn: &mut Connection,
    number: &str,
    stamp: &Stamp<'_>,
) -> Result<(), PlanError> {
    let tx = write_transaction(conn)?;
    let old = find_accountability(&tx, number)?;
    tx.execute("DELETE FROM accountability WHERE id = ?1", [old.id])?;
    tx.execute(
        "UPDATE accountability SET position = position - 1 WHERE position > ?1",
        [old.number],
    )?;
    record(
        &tx,
        stamp,
        Audit {
            entity: "accountability",
            entity_id: old.number.to_string(),
            context: old.accountability.clone(),
            action: "remove",
            field: "",
            old_value: Some(format!(
                "{} / {} / {} / {}",
                old.lead, old.owner, old.accountability, old.person
            )),
            new_value: None,
        },
    )?;
    tx.commit()?;
    Ok(())
}

/// Renames the program (shown in the app's top bar and on reports).
pub fn set_program_name(
    conn: &mut Connection,
    name: &str,
    stamp: &Stamp<'_>,
) -> Result<String, PlanError> {
    let name = check_text("The program's name", name, true)?;
    let tx = write_transaction(conn)?;
    let old = crate::store::setting(&tx, "program_name")?;
    tx.execute(
        "INSERT INTO setting (key, value) VALUES ('program_name', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [&name],
    )?;
    if old.as_deref() != Some(name.as_str()) {
        record(
            &tx,
            stamp,
            Audit {
                entity: "setting",
                entity_id: "program_name".into(),
                context: String::new(),
                action: "edit",
                field: "program_name",
                old_value: old,
                new_value: Some(name.clone()),
            },
        )?;
    }
    tx.commit()?;
    Ok(name)
}
