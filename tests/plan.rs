//! The plan: the seed from the guidance, edits with their audit rows, and the RAG rule.

use chrono::{NaiveDate, TimeZone, Utc};
use rusqlite::Connection;
use streamline::plan::{
    self, AccountabilityEdit, ObjectiveEdit, PlanError, Rag, RagOverride, Stamp, StepEdit,
    StepStatus,
};
use streamline::store;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: (i32, u32, u32) = (2025, 7, 20);

fn stamp() -> Stamp<'static> {
    Stamp {
        now: Utc.with_ymd_and_hms(2025, 7, 20, 9, 30, 0).unwrap(),
        today: day(TODAY.0, TODAY.1, TODAY.2),
        source: "test",
    }
}

fn db() -> Connection {
    store::open_in_memory().expect("an in-memory database with the full schema")
}

fn audit_count(conn: &Connection) -> i64 {
    conn.query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

fn step(conn: &Connection, reference: &str) -> plan::Step {
    plan::find_step(conn, reference, stamp().today).unwrap()
}

#[test]
fn the_seed_follows_the_guidance() {
    let conn = db();
    let plan = plan::load(&conn, stamp().today).unwrap();
    let ids: Vec<&str> = plan.objectives.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        ["1", "2a", "2b"],
        "the three deployment objectives of step 4"
    );
    assert_eq!(
        plan.objectives[0].title,
        "Use the minimal number of alert queues"
    );
    assert_eq!(plan.objectives[0].owner_role, "Security Architect");
    assert_eq!(plan.objectives[1].owner_role, "Security Engineer");

    let two_a = &plan.objectives[1];
    let texts: Vec<&str> = two_a.steps.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Turn on Microsoft 365 Defender.",
            "Deploy the supported services of Defender for Endpoint, Defender for Office 365, Defender for Identity, and Defender for Cloud Apps.",
            "Configure AutoIR capabilities.",
            "Train your SecOps staff.",
        ],
        "2a has the guidance's four steps in order"
    );
    assert_eq!(
        two_a.steps[2].doc_link,
        "https://docs.microsoft.com/microsoft-365/security/defender/m365d-configure-auto-investigation-response"
    );
    assert!(
        two_a
            .steps
            .iter()
            .all(|s| !s.suggested && !s.doc_link.is_empty()),
        "2a's steps are the guidance's own"
    );
    for o in [&plan.objectives[0], &plan.objectives[2]] {
        assert_eq!(
            o.steps.len(),
            4,
            "objective {} has four slots in the guidance",
            o.id
        );
        assert!(
            o.steps.iter().all(|s| s.suggested),
            "objective {}'s steps are suggestions",
            o.id
        );
    }
    assert_eq!(plan.accountability.len(), 6, "six accountability rows");
    assert_eq!(
        plan.accountability[0].lead,
        "CISO, CIO, or Director of Identity Security"
    );
    assert_eq!(
        plan.accountability[0].accountability,
        "Executive sponsorship"
    );
    assert_eq!(plan.accountability[5].owner, "Security Governance");
    assert_eq!((plan.steps_done, plan.steps_total), (0, 12));
    assert_eq!(audit_count(&conn), 0, "seeding is not an edit");
}

#[test]
fn marking_a_step_done_records_today_unless_a_date_is_given() {
    let mut conn = db();
    let done = plan::edit_step(
        &mut conn,
        "2a.1",
        &[StepEdit::Status(StepStatus::Done)],
        &stamp(),
    )
    .unwrap();
    assert_eq!(
        done.done_date,
        Some(stamp().today),
        "done without a date means done today"
    );

    let late = plan::edit_step(
        &mut conn,
        "2a.3",
        &[
            StepEdit::Status(StepStatus::Done),
            StepEdit::DoneDate(Some(day(2025, 7, 14))),
        ],
        &stamp(),
    )
    .unwrap();
    assert_eq!(
        late.done_date,
        Some(day(2025, 7, 14)),
        "work recorded late keeps its real date"
    );

    let undone = plan::edit_step(
        &mut conn,
        "2a.3",
        &[StepEdit::Status(StepStatus::InProgress)],
        &stamp(),
    )
    .unwrap();
    assert_eq!(
        undone.done_date, None,
        "a step that is no longer done has no done date"
    );

    let log = plan::audit_log(&conn, 100).unwrap();
    let status_changes: Vec<(&str, Option<&str>, Option<&str>)> = log
        .iter()
        .filter(|e| e.field == "status")
        .map(|e| {
            (
                e.entity_id.as_str(),
                e.old_value.as_deref(),
                e.new_value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        status_changes,
        [
            ("2a.3", Some("done"), Some("in_progress")),
            ("2a.3", Some("not_started"), Some("done")),
            ("2a.1", Some("not_started"), Some("done")),
        ],
        "every status change is logged with old and new value, newest first"
    );
    assert!(
        log.iter()
            .all(|e| e.source == "test" && e.at == stamp().now),
        "each entry has its time and source"
    );
}

#[test]
fn refused_edits_write_nothing() {
    let mut conn = db();
    let before = plan::load(&conn, stamp().today).unwrap();

    let err = plan::edit_step(
        &mut conn,
        "2a.9",
        &[StepEdit::Status(StepStatus::Done)],
        &stamp(),
    )
    .unwrap_err();
    assert!(matches!(err, PlanError::UnknownStep(_)), "{err:?}");
    let err = plan::edit_step(
        &mut conn,
        "nonsense",
        &[StepEdit::Notes("x".into())],
        &stamp(),
    )
    .unwrap_err();
    assert!(matches!(err, PlanError::UnknownStep(_)), "{err:?}");

    let err = plan::edit_step(
        &mut conn,
        "2a.2",
        &[
            StepEdit::OwnerPerson("Sam".into()),
            StepEdit::DoneDate(Some(day(2025, 7, 1))),
        ],
        &stamp(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("only a done step has a done date"),
        "{err}"
    );

    let err = plan::edit_step(
        &mut conn,
        "2a.2",
        &[
            StepEdit::Status(StepStatus::Done),
            StepEdit::DoneDate(Some(day(2025, 8, 1))),
        ],
        &stamp(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("after today"),
        "a done date in the future is refused: {err}"
    );

    let err = plan::edit_step(
        &mut conn,
        "2a.2",
        &[StepEdit::EvidenceLink("javascript:alert(1)".into())],
        &stamp(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("not a web address"), "{err}");

    let err =
        plan::edit_step(&mut conn, "2a.2", &[StepEdit::Text("   ".into())], &stamp()).unwrap_err();
    assert!(err.to_string().contains("cannot be empty"), "{err}");

    assert!(matches!(
        plan::parse_date("2025-02-30"),
        Err(PlanError::InvalidDate { .. })
    ));

    assert_eq!(
        plan::load(&conn, stamp().today).unwrap(),
        before,
        "the plan is as it was"
    );
    assert_eq!(audit_count(&conn), 0, "no audit row for a refused edit");
}

#[test]
fn editing_a_suggestion_makes_it_the_users_own() {
    let mut conn = db();
    assert!(step(&conn, "2b.1").suggested);
    let s = plan::edit_step(
        &mut conn,
        "2b.1",
        &[StepEdit::OwnerPerson("Kim".into())],
        &stamp(),
    )
    .unwrap();
    assert!(
        s.suggested,
        "naming an owner does not adopt the suggested text"
    );
    let s = plan::edit_step(
        &mut conn,
        "2b.1",
        &[StepEdit::Text("Enable Defender CSPM.".into())],
        &stamp(),
    )
    .unwrap();
    assert!(!s.suggested, "rewriting the text makes it the user's step");
}

#[test]
fn the_rag_rule_and_its_override() {
    let mut conn = db();
    let rag_of = |conn: &Connection, id: &str| {
        plan::load(conn, stamp().today)
            .unwrap()
            .objectives
            .into_iter()
            .find(|o| o.id == id)
            .unwrap()
            .rag
    };
    let green = rag_of(&conn, "2a");
    assert_eq!(green.status, Rag::Green, "nothing due: green");

    plan::edit_step(
        &mut conn,
        "2a.2",
        &[StepEdit::DueDate(Some(day(2025, 8, 3)))],
        &stamp(),
    )
    .unwrap();
    let amber = rag_of(&conn, "2a");
    assert_eq!(
        amber.status,
        Rag::Amber,
        "due in 14 days and not done: amber"
    );
    assert_eq!(amber.reason, "step 2a.2 is due Aug 3");

    plan::edit_step(
        &mut conn,
        "2a.2",
        &[StepEdit::DueDate(Some(day(2025, 8, 4)))],
        &stamp(),
    )
    .unwrap();
    assert_eq!(
        rag_of(&conn, "2a").status,
        Rag::Green,
        "due in 15 days: not yet amber"
    );

    plan::edit_step(
        &mut conn,
        "2a.4",
        &[StepEdit::DueDate(Some(day(2025, 7, 19)))],
        &stamp(),
    )
    .unwrap();
    let red = rag_of(&conn, "2a");
    assert_eq!(
        (red.status, red.reason.as_str()),
        (Rag::Red, "step 2a.4 is overdue since Jul 19")
    );

    plan::edit_step(
        &mut conn,
        "2a.4",
        &[StepEdit::Status(StepStatus::Done)],
        &stamp(),
    )
    .unwrap();
    assert_eq!(
        rag_of(&conn, "2a").status,
        Rag::Green,
        "a done step is not overdue"
    );

    plan::edit_step(
        &mut conn,
        "2a.1",
        &[StepEdit::Status(StepStatus::Blocked)],
        &stamp(),
    )
    .unwrap();
    assert_eq!(rag_of(&conn, "2a").reason, "step 2a.1 is blocked");

    plan::edit_objective(
        &mut conn,
        "2a",
        &[ObjectiveEdit::RagOverride(Some(RagOverride {
            status: Rag::Amber,
            reason: "vendor fix due Monday".into(),
        }))],
        &stamp(),
    )
    .unwrap();
    let overridden = rag_of(&conn, "2a");
    assert_eq!(overridden.status, Rag::Amber, "the override wins");
    assert!(overridden.overridden);
    assert_eq!(overridden.reason, "vendor fix due Monday");
    assert_eq!(
        overridden.rule_status,
        Rag::Red,
        "the rule's view is kept beside it"
    );

    let err = plan::edit_objective(
        &mut conn,
        "2a",
        &[ObjectiveEdit::RagOverride(Some(RagOverride {
            status: Rag::Green,
            reason: " ".into(),
        }))],
        &stamp(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("reason"),
        "an override needs a reason: {err}"
    );

    plan::edit_objective(
        &mut conn,
        "2a",
        &[ObjectiveEdit::RagOverride(None)],
        &stamp(),
    )
    .unwrap();
    assert_eq!(
        rag_of(&conn, "2a").status,
        Rag::Red,
        "clearing the override goes back to the rule"
    );
}

#[test]
fn steps_and_objectives_are_added_moved_and_removed() {
    let mut conn = db();
    let added = plan::add_step(
        &mut conn,
        "2b",
        "Review secure score weekly.",
        "SecOps Analysts",
        &stamp(),
    )
    .unwrap();
    assert_eq!(added.reference, "2b.5", "a new step goes at the end");
    assert!(!added.suggested);

    let moved = plan::move_step(&mut conn, "2b.5", 1, &stamp()).unwrap();
    assert_eq!(moved.reference, "2b.1");
    assert_eq!(
        step(&conn, "2b.2").text,
        "Turn on the Defender for Cloud plans (enhanced security features) for every subscription."
    );

    plan::remove_step(&mut conn, "2b.1", &stamp()).unwrap();
    let two_b = plan::load(&conn, stamp().today)
        .unwrap()
        .objectives
        .remove(2);
    let numbers: Vec<u32> = two_b.steps.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4], "removing a step closes the gap");

    assert!(matches!(
        plan::move_step(&mut conn, "2b.1", 9, &stamp()),
        Err(PlanError::InvalidInput(_))
    ));

    let o = plan::add_objective(
        &mut conn,
        "3",
        "Retire the legacy SIEM",
        "Security Architect",
        &stamp(),
    )
    .unwrap();
    assert_eq!(o.position, 4);
    assert!(matches!(
        plan::add_objective(&mut conn, "3", "Again", "", &stamp()),
        Err(PlanError::DuplicateObjective(_))
    ));
    assert!(matches!(
        plan::add_objective(&mut conn, "3.1", "Dotted", "", &stamp()),
        Err(PlanError::InvalidInput(_))
    ));
    plan::add_step(
        &mut conn,
        "3",
        "Export the last 90 days of alerts.",
        "",
        &stamp(),
    )
    .unwrap();
    plan::move_objective(&mut conn, "3", 1, &stamp()).unwrap();
    let order: Vec<String> = plan::load(&conn, stamp().today)
        .unwrap()
        .objectives
        .into_iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(order, ["3", "1", "2a", "2b"]);

    plan::remove_objective(&mut conn, "3", &stamp()).unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM step WHERE objective_id = '3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "an objective's steps go with it");
    assert!(matches!(
        plan::remove_objective(&mut conn, "3", &stamp()),
        Err(PlanError::UnknownObjective(_))
    ));

    let actions: Vec<String> = plan::audit_log(&conn, 100)
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| format!("{} {} {}", e.action, e.entity, e.entity_id))
        .collect();
    assert_eq!(
        actions,
        [
            "add step 2b.5",
            "move step 2b.5",
            "remove step 2b.1",
            "add objective 3",
            "add step 3.1",
            "move objective 3",
            "remove objective 3",
        ],
        "every structural change is in the log"
    );
}

#[test]
fn the_accountability_table_names_people() {
    let mut conn = db();
    let row = plan::edit_accountability(
        &mut conn,
        "1",
        &[AccountabilityEdit::Person("Alex Morgan".into())],
        &stamp(),
    )
    .unwrap();
    assert_eq!(row.person, "Alex Morgan");
    assert_eq!(
        plan::load_accountability(&conn).unwrap()[0].person,
        "Alex Morgan",
        "the name is stored"
    );
    let log = plan::audit_log(&conn, 10).unwrap();
    assert_eq!(
        (
            log[0].entity.as_str(),
            log[0].field.as_str(),
            log[0].new_value.as_deref()
        ),
        ("accountability", "person", Some("Alex Morgan"))
    );
    assert!(matches!(
        plan::edit_accountability(
            &mut conn,
            "7",
            &[AccountabilityEdit::Person("x".into())],
            &stamp()
        ),
        Err(PlanError::UnknownAccountabilityRow(_))
    ));

    let added = plan::add_accountability(&mut conn, "Report to the board", &stamp()).unwrap();
    assert_eq!(added.number, 7);
    plan::remove_accountability(&mut conn, "2", &stamp()).unwrap();
    let rows = plan::load_accountability(&conn).unwrap();
    let numbers: Vec<u32> = rows.iter().map(|r| r.number).collect();
    assert_eq!(
        numbers,
        [1, 2, 3, 4, 5, 6],
        "rows after a removed one move up"
    );
    assert_eq!(rows[5].accountability, "Report to the board");
}

#[test]
fn the_program_can_be_renamed() {
    let mut conn = db();
    plan::set_program_name(&mut conn, "Contoso SOC — streamline response", &stamp()).unwrap();
    assert_eq!(
        plan::load(&conn, stamp().today).unwrap().program_name,
        "Contoso SOC — streamline response"
    );
    plan::set_program_name(&mut conn, "Contoso SOC — streamline response", &stamp()).unwrap();
    assert_eq!(
        audit_count(&conn),
        1,
        "saving the same name again is not a change"
    );
}

#[test]
fn statuses_read_as_people_write_them() {
    for (text, status) in [
        ("done", StepStatus::Done),
        ("In progress", StepStatus::InProgress),
        ("in-progress", StepStatus::InProgress),
        ("not_started", StepStatus::NotStarted),
        ("BLOCKED", StepStatus::Blocked),
    ] {
        assert_eq!(StepStatus::parse(text).unwrap(), status, "{text}");
    }
    assert!(StepStatus::parse("finished").is_err());
}
