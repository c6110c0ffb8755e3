//! `streamline plan`: the command-line contract, its edits, and how it fails.

mod cli_support;

use std::path::Path;
use std::process::Command;

use cli_support::{fails, ok};

fn plan_json(db: &Path) -> serde_json::Value {
    serde_json::from_str(&ok(db, &["plan", "--json"])).expect("plan --json prints JSON")
}

#[test]
fn plan_json_lists_the_objectives_and_the_guidance_steps() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let plan = plan_json(&db);
    let ids: Vec<&str> = plan["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["1", "2a", "2b"]);
    let steps = plan["objectives"][1]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 4, "2a has four steps");
    let links: Vec<&str> = steps
        .iter()
        .map(|s| s["doc_link"].as_str().unwrap())
        .collect();
    assert_eq!(
        links,
        [
            "https://docs.microsoft.com/microsoft-365/security/defender/m365d-enable",
            "https://docs.microsoft.com/microsoft-365/security/defender/deploy-supported-services",
            "https://docs.microsoft.com/microsoft-365/security/defender/m365d-configure-auto-investigation-response",
            "https://docs.microsoft.com/microsoft-365/security/defender/microsoft-365-defender-train-security-staff",
        ]
    );
    assert_eq!(plan["objectives"][1]["rag"]["status"], "green");
    assert!(
        plan["objectives"][1]["rag"]["reason"].is_string(),
        "the RAG carries its reason"
    );
    assert_eq!(plan["accountability"].as_array().unwrap().len(), 6);
}

#[test]
fn edits_from_the_cli_are_stored_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    ok(
        &db,
        &[
            "plan",
            "step",
            "2a.3",
            "--status",
            "done",
            "--at",
            "2025-07-14",
            "--owner",
            "Dana Reyes",
        ],
    );
    ok(
        &db,
        &[
            "plan",
            "step",
            "2b.2",
            "--due",
            "2099-01-31",
            "--notes",
            "needs the AWS connector",
        ],
    );
    ok(
        &db,
        &[
            "plan",
            "objective",
            "2b",
            "--rag",
            "amber",
            "--reason",
            "waiting on cloud team",
        ],
    );
    ok(
        &db,
        &["plan", "accountability", "1", "--person", "Alex Morgan"],
    );
    ok(
        &db,
        &["plan", "add-step", "1", "Decommission the old ticket inbox"],
    );
    ok(&db, &["plan", "name", "Contoso SOC"]);

    let plan = plan_json(&db);
    let step = &plan["objectives"][1]["steps"][2];
    assert_eq!(step["status"], "done");
    assert_eq!(
        step["done_date"], "2025-07-14",
        "the date given with --at is kept"
    );
    assert_eq!(step["owner_person"], "Dana Reyes");
    assert_eq!(plan["objectives"][2]["steps"][1]["due_date"], "2099-01-31");
    assert_eq!(plan["objectives"][2]["rag"]["status"], "amber");
    assert_eq!(plan["objectives"][2]["rag"]["overridden"], true);
    assert_eq!(plan["accountability"][0]["person"], "Alex Morgan");
    assert_eq!(
        plan["objectives"][0]["steps"][4]["text"],
        "Decommission the old ticket inbox"
    );
    assert_eq!(plan["program_name"], "Contoso SOC");

    let log: serde_json::Value =
        serde_json::from_str(&ok(&db, &["plan", "log", "--json"])).unwrap();
    let fields: Vec<String> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["entity_id"].as_str().unwrap(),
                e["field"].as_str().unwrap()
            )
        })
        .collect();
    for wanted in [
        "2a.3:status",
        "2a.3:done_date",
        "2a.3:owner_person",
        "2b.2:due_date",
        "2b:rag_override",
        "1:person",
    ] {
        assert!(
            fields.contains(&wanted.to_string()),
            "the log has {wanted}: {fields:?}"
        );
    }
    assert!(
        log.as_array().unwrap().iter().all(|e| e["source"] == "cli"),
        "edits are marked as from the CLI"
    );

    let text = ok(&db, &["plan"]);
    assert!(
        text.contains("[x] 2a.3"),
        "the text view marks done steps: {text}"
    );
    assert!(text.contains("done 2025-07-14"), "{text}");
}

#[test]
fn bad_input_gets_a_clear_message_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let before = plan_json(&db);

    let err = fails(&db, &["plan", "step", "9z.1", "--status", "done"]);
    assert!(err.contains("no step \"9z.1\""), "{err}");
    let err = fails(
        &db,
        &[
            "plan",
            "step",
            "2a.1",
            "--status",
            "done",
            "--at",
            "14/07/2025",
        ],
    );
    assert!(err.contains("\"14/07/2025\" is not a date"), "{err}");
    let err = fails(&db, &["plan", "step", "2a.1", "--status", "finished"]);
    assert!(err.contains("not a step status"), "{err}");
    let err = fails(&db, &["plan", "step", "2a.1"]);
    assert!(err.contains("nothing to change"), "{err}");
    let err = fails(&db, &["plan", "objective", "7", "--title", "x"]);
    assert!(err.contains("no objective \"7\""), "{err}");
    let err = fails(&db, &["plan", "accountability", "0", "--person", "x"]);
    assert!(err.contains("no accountability row"), "{err}");
    let err = fails(
        &db,
        &["plan", "step", "2a.1", "--doc-link", "file:///etc/passwd"],
    );
    assert!(err.contains("not a web address"), "{err}");

    assert_eq!(plan_json(&db), before, "no failed command changed the plan");
    let log = ok(&db, &["plan", "log"]);
    assert!(
        log.trim().is_empty(),
        "no failed command wrote to the log: {log}"
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let content = vec![0xAB_u8; 8192];
    std::fs::write(&db, &content).unwrap();
    let err = fails(&db, &["plan", "step", "2a.1", "--status", "done"]);
    assert!(err.contains("is not a Streamline database"), "{err}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        content,
        "the file is not changed"
    );
}

#[test]
fn a_folder_or_a_missing_folder_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(dir.path(), &["plan"]);
    assert!(err.contains("it is a folder"), "{err}");
    let err = fails(&dir.path().join("no/such/folder/s.db"), &["plan"]);
    assert!(err.contains("cannot open the database"), "{err}");
}

#[test]
fn a_locked_database_is_reported_not_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    ok(&db, &["plan"]);
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder
        .execute_batch("BEGIN EXCLUSIVE; UPDATE setting SET value = value;")
        .unwrap();
    let err = fails(&db, &["plan", "step", "2a.1", "--status", "done"]);
    assert!(
        err.contains("is busy"),
        "the message says another program holds it: {err}"
    );
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(
        plan_json(&db)["objectives"][1]["steps"][0]["status"],
        "not_started",
        "the edit did not happen"
    );
    ok(&db, &["plan", "step", "2a.1", "--status", "done"]);
}

#[test]
fn the_env_variable_points_the_cli_at_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_streamline"))
        .args(["plan", "step", "2a.1", "--status", "in_progress"])
        .env("STREAMLINE_DB", &db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        plan_json(&db)["objectives"][1]["steps"][0]["status"],
        "in_progress",
        "the edit went to STREAMLINE_DB"
    );
}
