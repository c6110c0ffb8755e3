//! Settings: the time zone weeks are counted in (stored, used by the CLI and the app, refused
//! when unknown) and the automation accounts, through `streamline settings`.

mod cli_support;

use cli_support::{json, ok, streamline};
use streamline::settings;

#[test]
fn the_chosen_zone_is_stored_and_an_unknown_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let conn = streamline::store::open(&dir.path().join("s.db")).unwrap();
    let system = chrono_tz::America::New_York;
    assert_eq!(
        settings::time_zone(&conn, system).unwrap(),
        system,
        "with nothing chosen, the system's zone counts"
    );

    settings::set_time_zone(&conn, Some("Europe/Berlin")).unwrap();
    assert_eq!(
        settings::time_zone(&conn, system).unwrap(),
        chrono_tz::Europe::Berlin
    );
    let err = settings::set_time_zone(&conn, Some("Mars/Olympus_Mons")).unwrap_err();
    assert!(
        err.to_string().contains("Mars/Olympus_Mons"),
        "the refusal names the zone: {err}"
    );
    assert_eq!(
        settings::time_zone(&conn, system).unwrap(),
        chrono_tz::Europe::Berlin,
        "a refused zone changes nothing"
    );

    settings::set_time_zone(&conn, None).unwrap();
    let shown = settings::time_zone_setting(&conn, system).unwrap();
    assert_eq!(shown.chosen, None, "None follows the system again");
    assert_eq!(shown.effective, "America/New_York");
    assert!(settings::time_zone_names().contains(&"Pacific/Auckland"));
}

#[test]
fn weeks_follow_the_zone_chosen_in_settings() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    // Sunday 1 March 2026, 23:30 UTC: still week 9 in UTC, already Monday of week 10 in Berlin.
    let csv = dir.path().join("notables.csv");
    std::fs::write(
        &csv,
        "_time,event_id,rule_title,severity,status_label,owner,review_time\n\
         2026-03-01T23:30:00+00:00,evt-1,Late on Sunday,high,New,unassigned,\n",
    )
    .unwrap();
    ok(&db, &["import", csv.to_str().unwrap()]);

    ok(&db, &["settings", "time-zone", "UTC"]);
    let utc = json(&db, &["metrics", "--json"]);
    assert_eq!(utc["tz"], "UTC");
    assert_eq!(utc["weeks"][0]["week"], "2026-W09");

    let shown = json(&db, &["settings", "time-zone", "Europe/Berlin", "--json"]);
    assert_eq!(shown["time_zone"]["chosen"], "Europe/Berlin");
    let berlin = json(&db, &["metrics", "--json"]);
    assert_eq!(berlin["tz"], "Europe/Berlin", "metrics use the chosen zone");
    assert_eq!(
        berlin["weeks"][0]["week"], "2026-W10",
        "in Berlin the item was created on Monday of week 10"
    );
    let overridden = json(&db, &["metrics", "--json", "--tz", "UTC"]);
    assert_eq!(
        overridden["weeks"][0]["week"], "2026-W09",
        "--tz still wins"
    );

    let refused = streamline(&db, &["settings", "time-zone", "Nowhere/Land"]);
    assert!(!refused.status.success(), "an unknown zone is refused");
    assert_eq!(
        json(&db, &["settings", "--json"])["time_zone"]["chosen"],
        "Europe/Berlin",
        "and nothing changed"
    );
}

#[test]
fn automation_accounts_are_set_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let shown = json(
        &db,
        &[
            "settings",
            "automation-accounts",
            "Automation",
            "soar-bot",
            "--json",
        ],
    );
    assert_eq!(
        shown["automation_accounts"],
        serde_json::json!(["Automation", "soar-bot"])
    );
    let text = ok(&db, &["settings"]);
    assert!(
        text.contains("automation accounts: Automation, soar-bot"),
        "the plain listing names them: {text}"
    );
}
