//! De-duplication: re-imports and newer exports update instead of doubling, one object seen
//! through two exports is one item, alerts roll up into imported incidents, and removing an
//! import takes only the items no other import carries.

mod import_support;

use import_support::*;
use streamline::import;

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let mut conn = db();
    import_fixture(&mut conn, "sentinel_incidents.csv");
    let once = all_items(&conn);
    let again = import_fixture(&mut conn, "sentinel_incidents.csv");
    assert_eq!(again.record.items_new, 0, "re-import adds nothing");
    assert_eq!(again.record.items_updated, 0, "re-import changes nothing");
    assert_eq!(
        again.record.items_unchanged, 3,
        "the second import still carries its three incidents"
    );
    assert_eq!(all_items(&conn), once, "the items are as they were");
    assert_eq!(
        import::list_imports(&conn).unwrap().len(),
        2,
        "both imports are recorded"
    );
}

#[test]
fn an_older_and_a_newer_export_in_any_order_equal_the_newest_alone() {
    let mut newest_only = db();
    import_fixture(&mut newest_only, "xdr_incidents_newer.csv");
    let expected = all_items(&newest_only);

    let mut older_first = db();
    import_fixture(&mut older_first, "xdr_incidents.csv");
    let newer = import_fixture(&mut older_first, "xdr_incidents_newer.csv");
    assert_eq!(
        newer.record.items_new, 1,
        "14450 is new in the newer export"
    );
    assert_eq!(newer.record.items_updated, 2, "14440 and 14240 changed");
    assert_eq!(newer.record.items_unchanged, 3);
    assert_eq!(
        all_items(&older_first),
        expected,
        "older then newer leaves the newest state"
    );

    let mut newer_first = db();
    import_fixture(&mut newer_first, "xdr_incidents_newer.csv");
    let older = import_fixture(&mut newer_first, "xdr_incidents.csv");
    assert_eq!(
        older.record.items_updated, 0,
        "an older export never overwrites a newer state"
    );
    assert_eq!(
        all_items(&newer_first),
        expected,
        "newer then older leaves the newest state"
    );

    let resolved = item(&older_first, "xdr-incident:14440");
    assert_eq!(resolved.status, "resolved");
    assert_eq!(resolved.resolved_ms, Some(utc("2025-08-21T09:15:00Z")));
    assert_eq!(
        resolved.assignee.as_deref(),
        Some("maria.garcia@contoso.com")
    );
}

#[test]
fn the_excel_resave_of_an_export_is_the_same_items() {
    let mut conn = db();
    import_fixture(&mut conn, "xdr_incidents.csv");
    let before = all_items(&conn);
    let resave = import_fixture(&mut conn, "xdr_incidents_unicode.txt");
    assert_eq!(
        resave.record.items_new, 0,
        "the UTF-16 re-save holds no new incident"
    );
    assert_eq!(all_items(&conn), before);
}

#[test]
fn a_sentinel_incident_from_xdr_and_the_xdr_incident_are_one_item() {
    for order in [
        ["xdr_incidents.csv", "sentinel_incidents.csv"],
        ["sentinel_incidents.csv", "xdr_incidents.csv"],
    ] {
        let mut conn = db();
        import_fixture(&mut conn, order[0]);
        import_fixture(&mut conn, order[1]);
        assert_eq!(
            count(
                &conn,
                "SELECT COUNT(*) FROM work_item WHERE identity = 'xdr-incident:14240'"
            ),
            1,
            "one item for incident 14240 ({order:?})"
        );
        assert_eq!(
            count(&conn, "SELECT COUNT(*) FROM work_item"),
            5 + 2,
            "five XDR incidents and two Sentinel-only"
        );
        let merged = item(&conn, "xdr-incident:14240");
        assert_eq!(merged.queue, "Defender XDR");
        assert_eq!(
            merged.created_ms,
            Some(utc("2025-06-14T08:05:00Z")),
            "Sentinel's stated created time beats the portal's first activity ({order:?})"
        );
        assert_eq!(
            merged.triaged_ms,
            Some(utc("2025-06-14T09:30:00Z")),
            "the first action comes from Sentinel"
        );
        assert_eq!(
            merged.status, "in_progress",
            "the newer state (the portal's last update) wins"
        );
        assert_eq!(
            merged.assignee.as_deref(),
            Some("sam.okafor@contoso.com"),
            "the portal's newer assignee"
        );
    }
}

#[test]
fn a_graph_alert_and_the_defender_for_cloud_alert_are_one_item() {
    let id = "dfc-alert:2517589205256553369_d022f0a4-b669-449d-b604-b6b4226f267e";
    for order in [
        ["dfc_alerts.csv", "graph_alerts.json"],
        ["graph_alerts.json", "dfc_alerts.csv"],
    ] {
        let mut conn = db();
        import_fixture(&mut conn, order[0]);
        import_fixture(&mut conn, order[1]);
        assert_eq!(
            count(&conn, "SELECT COUNT(*) FROM work_item"),
            3 + 4 - 1,
            "one alert is in both exports"
        );
        let merged = item(&conn, id);
        assert_eq!(
            merged.queue, "Defender XDR",
            "seen in the primary queue, it is worked there ({order:?})"
        );
        assert_eq!(
            merged.resolved_ms,
            Some(utc("2025-06-03T08:00:00.123Z")),
            "Graph's newer state wins"
        );
        assert_eq!(merged.classification.as_deref(), Some("truePositive"));
    }
}

#[test]
fn alerts_roll_up_into_their_imported_incidents_in_either_order() {
    for order in [
        ["graph_alerts.json", "xdr_incidents.csv"],
        ["xdr_incidents.csv", "graph_alerts.json"],
    ] {
        let mut conn = db();
        import_fixture(&mut conn, order[0]);
        import_fixture(&mut conn, order[1]);
        let in_14240 = item(&conn, "xdr-alert:da637551227677560813_-961444813");
        assert!(
            !in_14240.counted,
            "an alert of an imported incident counts in it, not alone ({order:?})"
        );
        let in_14428 = item(&conn, "xdr-alert:da637551227677560814_-961444814");
        assert!(!in_14428.counted);
        let orphan = item(&conn, "xdr-alert:aa55734bd8-a042-4517-b2e6-e23fbed38bd8");
        assert!(
            orphan.counted,
            "incident 99999 is not imported: the alert counts on its own"
        );
        assert_eq!(
            count(
                &conn,
                "SELECT COUNT(*) FROM work_item a JOIN work_item i ON a.parent_id = i.id
                 WHERE i.identity = 'xdr-incident:14240'"
            ),
            1,
            "incident 14240 has one alert (alerts per incident)"
        );
    }
}

#[test]
fn removing_an_import_keeps_items_another_import_carries() {
    let mut conn = db();
    let older = import_fixture(&mut conn, "xdr_incidents.csv");
    let newer = import_fixture(&mut conn, "xdr_incidents_newer.csv");
    let graph = import_fixture(&mut conn, "graph_alerts.json");
    assert!(!item(&conn, "xdr-alert:da637551227677560813_-961444813").counted);

    let removed = import::remove_import(&mut conn, newer.record.id).unwrap();
    assert_eq!(
        removed, 1,
        "only 14450 was carried by the newer export alone"
    );
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM work_item WHERE identity LIKE 'xdr-incident:%'"
        ),
        5
    );
    assert_eq!(import::list_imports(&conn).unwrap().len(), 2);

    let removed = import::remove_import(&mut conn, older.record.id).unwrap();
    assert_eq!(
        removed, 5,
        "the incidents go with the last import that carried them"
    );
    assert!(
        item(&conn, "xdr-alert:da637551227677560813_-961444813").counted,
        "with its incident gone, the alert counts on its own again"
    );
    import::remove_import(&mut conn, graph.record.id).unwrap();
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM work_item"),
        0,
        "nothing is left"
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM item_import"), 0);
    assert!(
        import::remove_import(&mut conn, graph.record.id).is_err(),
        "an import is removed once"
    );
}

#[test]
fn the_import_record_describes_the_file() {
    let mut conn = db();
    let report = import_fixture(&mut conn, "splunk_notables.csv");
    let bytes = std::fs::read(fixture("splunk_notables.csv")).unwrap();
    let record = import::import_record(&conn, report.record.id).unwrap();
    assert_eq!(record.file_name, "splunk_notables.csv");
    assert_eq!(record.size_bytes, bytes.len() as i64);
    assert_eq!(record.sha256.len(), 64, "a hex SHA-256");
    assert_eq!(
        record.imported_at_ms,
        now().timestamp_millis(),
        "the import time is the 'now' passed in"
    );
    assert_eq!(record.items_carried, 3);
    assert_eq!(
        record, report.record,
        "the stored record is the one reported"
    );
}

#[test]
fn every_fixture_imported_twice_is_unchanged() {
    let names = [
        "xdr_incidents.csv",
        "xdr_incidents_unicode.txt",
        "graph_alerts.json",
        "dfc_alerts.csv",
        "sentinel_incidents.csv",
        "sentinel_incidents_dayfirst.csv",
        "splunk_notables.csv",
        "thehive_cases.json",
    ];
    for name in names {
        let mut conn = db();
        import_fixture(&mut conn, name);
        let once = all_items(&conn);
        let again = import_fixture(&mut conn, name);
        assert_eq!(
            (again.record.items_new, again.record.items_updated),
            (0, 0),
            "{name}: a re-import adds and changes nothing"
        );
        assert_eq!(all_items(&conn), once, "{name}: the same items");
    }
}

#[test]
fn sentinel_history_split_over_two_exports() {
    // Log Analytics keeps 31 days: a later export may hold only the closing row, while the
    // first action is in an earlier one. Together they give what the whole history gives.
    let text = std::fs::read_to_string(fixture("sentinel_incidents.csv")).unwrap();
    let lines: Vec<&str> = text.split_inclusive("\r\n").collect();
    let header = lines[0];
    // Line 3 holds a quoted newline, so incident a3998e7e's rows are lines[1], lines[2..=3] and lines[4].
    let early = format!("{header}{}{}{}", lines[1], lines[2], lines[3]);
    let late = format!("{header}{}", lines[4]);
    assert!(
        late.contains("\"Closed\""),
        "the late export holds the closing row"
    );
    let (_a, early_path) = temp_file("early.csv", early.as_bytes());
    let (_b, late_path) = temp_file("late.csv", late.as_bytes());

    let mut whole = db();
    import_fixture(&mut whole, "sentinel_incidents.csv");
    let expected = item(
        &whole,
        "sentinel-incident:a3998e7e-ddb8-4124-afdc-3445531c20a4",
    );

    for order in [[&early_path, &late_path], [&late_path, &early_path]] {
        let mut conn = db();
        for path in order {
            try_import(
                &mut conn,
                path,
                &streamline::import::ImportOptions::default(),
            )
            .unwrap();
        }
        let merged = item(
            &conn,
            "sentinel-incident:a3998e7e-ddb8-4124-afdc-3445531c20a4",
        );
        assert_eq!(
            merged, expected,
            "two partial histories in any order make the whole one"
        );
    }
}
