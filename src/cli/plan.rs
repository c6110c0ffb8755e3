//! `streamline plan`: print the plan, and every edit the app offers.

use std::io::Write;

use clap::{Args, Subcommand};
use rusqlite::Connection;

use super::{write_json, CliError, Now};
use crate::plan::{
    self, parse_date, AccountabilityEdit, ObjectiveEdit, Rag, RagOverride, Stamp, StepEdit,
    StepStatus,
};

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    action: Option<PlanAction>,
}

#[derive(Debug, Subcommand)]
enum PlanAction {
    /// Change a step, named by its number (2a.3) or id.
    Step {
        step: String,
        /// not_started, in_progress, blocked or done.
        #[arg(long)]
        status: Option<String>,
        /// The day the step was done (YYYY-MM-DD; default: today when marked done).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// The person who owns the step.
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        owner_role: Option<String>,
        /// Due date (YYYY-MM-DD), or "none".
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        /// A link to the evidence that the step is done.
        #[arg(long, value_name = "URL")]
        evidence: Option<String>,
        #[arg(long, value_name = "URL")]
        doc_link: Option<String>,
        #[arg(long)]
        doc_label: Option<String>,
    },
    /// Add a step at the end of an objective.
    AddStep {
        objective: String,
        text: String,
        #[arg(long, default_value = "")]
        owner_role: String,
    },
    /// Remove a step.
    RemoveStep { step: String },
    /// Move a step to another place within its objective.
    MoveStep {
        step: String,
        #[arg(long)]
        to: u32,
    },
    /// Change an objective.
    Objective {
        objective: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        owner_role: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// For an outcome objective: the most active queues allowed.
        #[arg(long)]
        queue_target: Option<u32>,
        /// For an outcome objective: how many weeks in a row the target must hold.
        #[arg(long)]
        weeks_required: Option<u32>,
        /// Override the RAG status (red, amber, green); needs --reason.
        #[arg(long, requires = "reason", conflicts_with = "clear_rag")]
        rag: Option<String>,
        #[arg(long)]
        reason: Option<String>,
        /// Go back to the RAG rule.
        #[arg(long)]
        clear_rag: bool,
    },
    /// Add an objective at the end of the plan.
    AddObjective {
        id: String,
        title: String,
        #[arg(long, default_value = "")]
        owner_role: String,
    },
    /// Remove an objective and its steps.
    RemoveObjective { objective: String },
    /// Move an objective to another place in the plan.
    MoveObjective {
        objective: String,
        #[arg(long)]
        to: u32,
    },
    /// Change a row of the accountability table (rows are numbered from 1).
    Accountability {
        row: String,
        #[arg(long)]
        lead: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        accountability: Option<String>,
        /// The person who fills the role.
        #[arg(long)]
        person: Option<String>,
    },
    /// Add a row to the accountability table.
    AddAccountability { accountability: String },
    /// Remove a row of the accountability table.
    RemoveAccountability { row: String },
    /// Rename the program.
    Name { name: String },
    /// The audit log, newest first.
    Log {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

pub(super) fn run(
    conn: &mut Connection,
    args: PlanArgs,
    now: &Now,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let stamp = Stamp {
        now: now.utc,
        today: now.today,
        source: "cli",
    };
    let json = args.json;
    let Some(action) = args.action else {
        let plan = plan::load(conn, now.today)?;
        return if json {
            write_json(out, &plan)
        } else {
            write_plan(out, &plan)
        };
    };
    match action {
        PlanAction::Step {
            step,
            status,
            at,
            owner,
            owner_role,
            due,
            text,
            notes,
            evidence,
            doc_link,
            doc_label,
        } => {
            let mut edits = Vec::new();
            if let Some(v) = status {
                edits.push(StepEdit::Status(StepStatus::parse(&v)?));
            }
            if let Some(v) = at {
                edits.push(StepEdit::DoneDate(Some(parse_date(&v)?)));
            }
            if let Some(v) = owner {
                edits.push(StepEdit::OwnerPerson(v));
            }
            if let Some(v) = owner_role {
                edits.push(StepEdit::OwnerRole(v));
            }
            if let Some(v) = due {
                let due = if v.trim().eq_ignore_ascii_case("none") {
                    None
                } else {
                    Some(parse_date(&v)?)
                };
                edits.push(StepEdit::DueDate(due));
            }
            if let Some(v) = text {
                edits.push(StepEdit::Text(v));
            }
            if let Some(v) = notes {
                edits.push(StepEdit::Notes(v));
            }
            if let Some(v) = evidence {
                edits.push(StepEdit::EvidenceLink(v));
            }
            if let Some(v) = doc_link {
                edits.push(StepEdit::DocLink(v));
            }
            if let Some(v) = doc_label {
                edits.push(StepEdit::DocLabel(v));
            }
            if edits.is_empty() {
                return Err(CliError::Usage(
                    "nothing to change: give --status, --at, --owner, --due, --text, --notes or another option".into(),
                ));
            }
            let step = plan::edit_step(conn, &step, &edits, &stamp)?;
            if json {
                write_json(out, &step)
            } else {
                write_step(out, &step)
            }
        }
        PlanAction::AddStep {
            objective,
            text,
            owner_role,
        } => {
            let step = plan::add_step(conn, &objective, &text, &owner_role, &stamp)?;
            if json {
                write_json(out, &step)
            } else {
                write_step(out, &step)
            }
        }
        PlanAction::RemoveStep { step } => {
            plan::remove_step(conn, &step, &stamp)?;
            Ok(writeln!(out, "removed step {step}")?)
        }
        PlanAction::MoveStep { step, to } => {
            let step = plan::move_step(conn, &step, to, &stamp)?;
            if json {
                write_json(out, &step)
            } else {
                write_step(out, &step)
            }
        }
        PlanAction::Objective {
            objective,
            title,
            owner_role,
            owner,
            queue_target,
            weeks_required,
            rag,
            reason,
            clear_rag,
        } => {
            let mut edits = Vec::new();
            if let Some(v) = title {
                edits.push(ObjectiveEdit::Title(v));
            }
            if let Some(v) = owner_role {
                edits.push(ObjectiveEdit::OwnerRole(v));
            }
            if let Some(v) = owner {
                edits.push(ObjectiveEdit::OwnerPerson(v));
            }
            if let Some(v) = queue_target {
                edits.push(ObjectiveEdit::QueueTarget(v));
            }
            if let Some(v) = weeks_required {
                edits.push(ObjectiveEdit::WeeksRequired(v));
            }
            if let Some(v) = rag {
                edits.push(ObjectiveEdit::RagOverride(Some(RagOverride {
                    status: Rag::parse(&v)?,
                    reason: reason.unwrap_or_default(),
                })));
            }
            if clear_rag {
                edits.push(ObjectiveEdit::RagOverride(None));
            }
            if edits.is_empty() {
                return Err(CliError::Usage(
                    "nothing to change: give --title, --owner, --owner-role, --rag or another option".into(),
                ));
            }
            let objective = plan::edit_objective(conn, &objective, &edits, &stamp)?;
            if json {
                write_json(out, &objective)
            } else {
                write_objective(out, &objective)
            }
        }
        PlanAction::AddObjective {
            id,
            title,
            owner_role,
        } => {
            let objective = plan::add_objective(conn, &id, &title, &owner_role, &stamp)?;
            if json {
                write_json(out, &objective)
            } else {
                write_objective(out, &objective)
            }
        }
        PlanAction::RemoveObjective { objective } => {
            plan::remove_objective(conn, &objective, &stamp)?;
            Ok(writeln!(out, "removed objective {objective}")?)
        }
        PlanAction::MoveObjective { objective, to } => {
            plan::move_objective(conn, &objective, to, &stamp)?;
            Ok(writeln!(out, "moved objective {objective} to place {to}")?)
        }
        PlanAction::Accountability {
            row,
            lead,
            owner,
            accountability,
            person,
        } => {
            let mut edits = Vec::new();
            if let Some(v) = lead {
                edits.push(AccountabilityEdit::Lead(v));
            }
            if let Some(v) = owner {
                edits.push(AccountabilityEdit::Owner(v));
            }
            if let Some(v) = accountability {
                edits.push(AccountabilityEdit::Accountability(v));
            }
            if let Some(v) = person {
                edits.push(AccountabilityEdit::Person(v));
            }
            if edits.is_empty() {
                return Err(CliError::Usage(
                    "nothing to change: give --person, --lead, --owner or --accountability".into(),
                ));
            }
            let row = plan::edit_accountability(conn, &row, &edits, &stamp)?;
            if json {
                write_json(out, &row)
            } else {
                Ok(writeln!(
                    out,
                    "{}. {} — {}",
                    row.number,
                    row.accountability,
                    show(&row.person)
                )?)
            }
        }
        PlanAction::AddAccountability { accountability } => {
            let row = plan::add_accountability(conn, &accountability, &stamp)?;
            if json {
                write_json(out, &row)
            } else {
                Ok(writeln!(
                    out,
                    "added row {}: {}",
                    row.number, row.accountability
                )?)
            }
        }
        PlanAction::RemoveAccountability { row } => {
            plan::remove_accountability(conn, &row, &stamp)?;
            Ok(writeln!(out, "removed accountability row {row}")?)
        }
        PlanAction::Name { name } => {
            let name = plan::set_program_name(conn, &name, &stamp)?;
            Ok(writeln!(out, "the program is now called {name:?}")?)
        }
        PlanAction::Log { limit } => {
            let log = plan::audit_log(conn, limit)?;
            if json {
                return write_json(out, &log);
            }
            for e in &log {
                let change = match (&e.old_value, &e.new_value) {
                    (Some(o), Some(n)) => format!("{o:?} → {n:?}"),
                    (None, Some(n)) => format!("{n:?}"),
                    (Some(o), None) => format!("{o:?}"),
                    (None, None) => String::new(),
                };
                writeln!(
                    out,
                    "{}  {:<4} {} {} {} {} {}",
                    e.at.format("%Y-%m-%d %H:%M:%S"),
                    e.source,
                    e.action,
                    e.entity,
                    e.entity_id,
                    e.field,
                    change
                )?;
            }
            Ok(())
        }
    }
}

fn show(value: &str) -> &str {
    if value.is_empty() {
        "—"
    } else {
        value
    }
}

fn write_plan(out: &mut dyn Write, plan: &plan::Plan) -> Result<(), CliError> {
    writeln!(
        out,
        "{} — plan as of {}: {} of {} steps done",
        plan.program_name, plan.as_of, plan.steps_done, plan.steps_total
    )?;
    for objective in &plan.objectives {
        writeln!(out)?;
        write_objective(out, objective)?;
    }
    writeln!(out, "\nAccountability")?;
    for row in &plan.accountability {
        writeln!(
            out,
            "  {}. lead: {} · owner: {} · {} · person: {}",
            row.number,
            show(&row.lead),
            show(&row.owner),
            row.accountability,
            show(&row.person)
        )?;
    }
    Ok(())
}

fn write_objective(out: &mut dyn Write, o: &plan::Objective) -> Result<(), CliError> {
    writeln!(
        out,
        "{}. {}  [{}{}]  {} of {} done  {}{}: {}",
        o.id,
        o.title,
        o.owner_role,
        if o.owner_person.is_empty() {
            String::new()
        } else {
            format!(": {}", o.owner_person)
        },
        o.steps_done,
        o.steps_total,
        o.rag.status.as_str().to_uppercase(),
        if o.rag.overridden {
            " (set by hand)"
        } else {
            ""
        },
        o.rag.reason
    )?;
    for step in &o.steps {
        write_step(out, step)?;
    }
    Ok(())
}

fn write_step(out: &mut dyn Write, s: &plan::Step) -> Result<(), CliError> {
    let mark = if s.status == StepStatus::Done {
        "[x]"
    } else {
        "[ ]"
    };
    let mut facts = vec![s.status.label().to_owned()];
    if let Some(d) = s.done_date {
        facts.push(format!("done {d}"));
    }
    if let Some(d) = s.due_date {
        facts.push(format!(
            "due {d}{}",
            if s.overdue { " (overdue)" } else { "" }
        ));
    }
    let owner = match (s.owner_role.as_str(), s.owner_person.as_str()) {
        ("", "") => String::new(),
        (role, "") => role.to_owned(),
        ("", person) => person.to_owned(),
        (role, person) => format!("{role}: {person}"),
    };
    if !owner.is_empty() {
        facts.push(owner);
    }
    if s.suggested {
        facts.push("suggested".into());
    }
    writeln!(
        out,
        "  {mark} {:<5} {}  ({})",
        s.reference,
        s.text,
        facts.join(" · ")
    )?;
    if !s.doc_link.is_empty() {
        writeln!(out, "        {}: {}", show(&s.doc_label), s.doc_link)?;
    }
    Ok(())
}
