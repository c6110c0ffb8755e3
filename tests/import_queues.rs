//! Queues (default rules, edits that re-assign stored items, the primary queue, hand-listed
//! queues) and column mappings for any other CSV.

mod import_support;

use chrono::NaiveDate;
use import_support::*;
use streamline::import::{self, ColumnMapping, HandListedQueue, ImportOptions, Kind, QueueRule};

#[test]
fn default_rules_put_each_export_in_its_queue() {
    let mut conn = db();
    for name in [
        "xdr_incidents.csv",
        "dfc_alerts.csv",
        "sentinel_incidents.csv",
        "splunk_notables.csv",
        "thehive_cases.json",
    ] {
        import_fixture(&mut conn, name);
    }
    let queues = import::list_queues(&conn).unwrap();
    let primary: Vec<_> = queues
        .iter()
        .filter(|q| q.primary)
        .map(|q| q.name.as_str())
        .collect();
    assert_eq!(
        primary,
        ["Defender XDR"],
        "Defender XDR is the default primary queue"
    );
    let items = |name: &str| queues.iter().find(|q| q.name == name).map(|q| q.items);
    assert_eq!(
        items("Defender XDR"),
        Some(4 + 1 - 1),
        "four counted XDR incidents; 14240 also came from Sentinel"
    );
    assert_eq!(items("Defender for Cloud"), Some(3));
    assert_eq!(items("Microsoft Sentinel"), Some(2));
    assert_eq!(items("Splunk ES"), Some(3));
    assert_eq!(items("TheHive"), Some(3));
}

#[test]
fn changing_a_rule_reassigns_stored_items() {
    let mut conn = db();
    import_fixture(&mut conn, "sentinel_incidents.csv");
    let mut rules = import::list_queue_rules(&conn).unwrap();
    let sentinel = rules
        .iter_mut()
        .find(|r| r.format == "sentinel" && r.signal == "Azure Sentinel")
        .expect("the default Sentinel rule");
    sentinel.queue = "Defender XDR".into();
    import::set_queue_rules(&mut conn, &rules).unwrap();
    assert_eq!(
        item(
            &conn,
            "sentinel-incident:a3998e7e-ddb8-4124-afdc-3445531c20a4"
        )
        .queue,
        "Defender XDR",
        "Sentinel in the Defender portal: its incidents move to the unified queue"
    );

    rules.insert(
        0,
        QueueRule {
            format: "sentinel".into(),
            signal: "azure sentinel".into(),
            queue: "Legacy SIEM".into(),
        },
    );
    import::set_queue_rules(&mut conn, &rules).unwrap();
    assert_eq!(
        item(
            &conn,
            "sentinel-incident:a3998e7e-ddb8-4124-afdc-3445531c20a4"
        )
        .queue,
        "Legacy SIEM",
        "the first matching rule wins, signals match case-insensitively"
    );
    assert_eq!(
        item(&conn, "xdr-incident:14240").queue,
        "Defender XDR",
        "other providers keep their rule"
    );
    assert!(
        import::list_queues(&conn)
            .unwrap()
            .iter()
            .any(|q| q.name == "Legacy SIEM"),
        "a queue named by a rule is listed"
    );

    let bad = [QueueRule {
        format: "qradar".into(),
        signal: String::new(),
        queue: "X".into(),
    }];
    assert!(
        import::set_queue_rules(&mut conn, &bad).is_err(),
        "a rule names a known format"
    );
    assert_eq!(
        import::list_queue_rules(&conn).unwrap(),
        rules,
        "a refused edit changes nothing"
    );
}

#[test]
fn rules_apply_to_later_imports() {
    let mut conn = db();
    let rules = vec![QueueRule {
        format: "defender-for-cloud".into(),
        signal: String::new(),
        queue: "Defender XDR".into(),
    }];
    import::set_queue_rules(&mut conn, &rules).unwrap();
    import_fixture(&mut conn, "dfc_alerts.csv");
    assert_eq!(
        item(
            &conn,
            "dfc-alert:2517390825787363647_40e4ce2b-e13a-4db5-8636-fc0d5657be50"
        )
        .queue,
        "Defender XDR"
    );
}

#[test]
fn one_primary_queue() {
    let mut conn = db();
    import::set_primary_queue(&mut conn, "Microsoft Sentinel").unwrap();
    assert_eq!(
        import::primary_queue(&conn).unwrap().as_deref(),
        Some("Microsoft Sentinel")
    );
    let primaries = import::list_queues(&conn)
        .unwrap()
        .into_iter()
        .filter(|q| q.primary)
        .count();
    assert_eq!(primaries, 1, "marking a queue primary unmarks the other");
    assert!(import::set_primary_queue(&mut conn, "  ").is_err());
}

#[test]
fn hand_listed_queues_with_their_dates() {
    let conn = db();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let legacy = HandListedQueue {
        name: "QRadar".into(),
        active_from: None,
        active_to: day("2025-07-14"),
    };
    import::save_hand_listed_queue(&conn, &legacy).unwrap();
    let inbox = HandListedQueue {
        name: "SOC mailbox".into(),
        active_from: day("2025-05-01"),
        active_to: None,
    };
    import::save_hand_listed_queue(&conn, &inbox).unwrap();
    let listed = import::list_queues(&conn).unwrap();
    let qradar = listed.iter().find(|q| q.name == "QRadar").expect("listed");
    assert!(qradar.hand_listed);
    assert_eq!(qradar.active_to, day("2025-07-14"), "retired on that day");
    assert_eq!(qradar.items, 0, "no export: no items");

    let moved = HandListedQueue {
        active_to: day("2025-08-01"),
        ..legacy.clone()
    };
    import::save_hand_listed_queue(&conn, &moved).unwrap();
    let qradar = import::list_queues(&conn)
        .unwrap()
        .into_iter()
        .find(|q| q.name == "QRadar")
        .unwrap();
    assert_eq!(
        qradar.active_to,
        day("2025-08-01"),
        "saving again changes the dates"
    );

    let backwards = HandListedQueue {
        name: "X".into(),
        active_from: day("2025-08-01"),
        active_to: day("2025-07-01"),
    };
    assert!(
        import::save_hand_listed_queue(&conn, &backwards).is_err(),
        "a queue cannot stop before it starts"
    );

    import::remove_hand_listed_queue(&conn, "QRadar").unwrap();
    assert!(
        !import::list_queues(&conn)
            .unwrap()
            .iter()
            .any(|q| q.name == "QRadar"),
        "removed"
    );
    assert!(
        import::remove_hand_listed_queue(&conn, "QRadar").is_err(),
        "removed once"
    );
}

fn ticket_mapping() -> ColumnMapping {
    ColumnMapping {
        name: "Mail tickets".into(),
        header: [
            "Ticket",
            "Opened",
            "First response",
            "Closed",
            "Priority",
            "State",
            "Team",
            "Agent",
            "Summary",
        ]
        .map(String::from)
        .to_vec(),
        kind: Kind::Incident,
        id: "Ticket".into(),
        created: "Opened".into(),
        triaged: Some("First response".into()),
        resolved: Some("Closed".into()),
        updated: None,
        title: Some("Summary".into()),
        severity: Some("Priority".into()),
        status: Some("State".into()),
        queue_column: Some("Team".into()),
        queue_name: None,
        assignee: Some("Agent".into()),
        classification: None,
        determination: None,
    }
}

#[test]
fn any_other_csv_through_a_saved_mapping() {
    let mut conn = db();
    let unknown = try_import(
        &mut conn,
        &fixture("tickets.csv"),
        &ImportOptions::default(),
    );
    assert!(unknown.is_err(), "without a mapping the file is not known");

    import::save_mapping(&conn, &ticket_mapping()).unwrap();
    let report = import_fixture(&mut conn, "tickets.csv");
    assert_eq!(
        report.record.format, "mapping:Mail tickets",
        "the saved mapping is found by the header"
    );
    let closed = item(&conn, "mapping:mail tickets:t-1");
    assert_eq!(
        closed.queue, "Mail inbox",
        "the queue column names the queue"
    );
    assert_eq!(closed.created_ms, Some(utc("2025-07-01T09:00:00Z")));
    assert_eq!(closed.triaged_ms, Some(utc("2025-07-01T09:30:00Z")));
    assert_eq!(closed.resolved_ms, Some(utc("2025-07-01T12:00:00Z")));
    assert_eq!(closed.status, "resolved");
    assert_eq!(closed.severity, "high");
    assert_eq!(closed.kind, "incident");
    let open = item(&conn, "mapping:mail tickets:t-2");
    assert_eq!(open.status, "new");
    assert_eq!(open.assignee, None);

    // The same columns in another order and case are the same header.
    let text = std::fs::read_to_string(fixture("tickets.csv")).unwrap();
    let reordered: String = text
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split(',').collect();
            f.swap(0, 8);
            f.join(",") + "\n"
        })
        .collect::<String>()
        .replacen("Ticket", "TICKET", 1);
    let (_dir, path) = temp_file("tickets_again.csv", reordered.as_bytes());
    let again = try_import(&mut conn, &path, &ImportOptions::default()).unwrap();
    assert_eq!(
        again.record.items_new, 0,
        "reused for a file with the same header: same items"
    );

    let formats = import::list_formats(&conn).unwrap();
    assert!(
        formats.iter().any(|f| f.name == "mapping:Mail tickets"),
        "listed with the formats"
    );
    assert_eq!(
        import::list_mappings(&conn).unwrap(),
        vec![ticket_mapping()]
    );

    let mut wrong = ticket_mapping();
    wrong.created = "Opened at".into();
    assert!(
        import::save_mapping(&conn, &wrong).is_err(),
        "a mapping names columns of its header"
    );
    import::delete_mapping(&conn, "Mail tickets").unwrap();
    assert!(import::list_mappings(&conn).unwrap().is_empty());
}

#[test]
fn detect_describes_a_file_before_import() {
    let conn = db();
    let found = import::detect_file(&conn, &fixture("xdr_incidents_unicode.txt")).unwrap();
    assert_eq!(found.format.as_deref(), Some("defender-xdr"));
    assert_eq!(found.encoding, "UTF-16 LE");
    assert_eq!(found.delimiter, Some('\t'));
    assert_eq!(found.header[1], "Incident Id");
    assert_eq!(found.sample_rows.len(), 5);
    assert_eq!(found.date_order, Some(import::DateOrder::Mdy));

    let unknown = import::detect_file(&conn, &fixture("tickets.csv")).unwrap();
    assert_eq!(
        unknown.format, None,
        "no format: the preview offers a column mapping"
    );
    assert!(unknown.unknown_because.is_some());
    assert_eq!(unknown.header[0], "Ticket", "the header is there to map");

    let json = import::detect_file(&conn, &fixture("thehive_cases.json")).unwrap();
    assert_eq!(json.format.as_deref(), Some("thehive"));
}

#[test]
fn a_suggested_mapping_guesses_the_columns() {
    let conn = db();
    let found = import::detect_file(&conn, &fixture("tickets.csv")).unwrap();
    let guess = import::suggest_mapping("Mail tickets", &found.header);
    assert_eq!(guess.id, "Ticket");
    assert_eq!(guess.created, "Opened");
    assert_eq!(guess.triaged.as_deref(), Some("First response"));
    assert_eq!(guess.resolved.as_deref(), Some("Closed"));
    assert_eq!(guess.severity.as_deref(), Some("Priority"));
    assert_eq!(guess.status.as_deref(), Some("State"));
    assert_eq!(guess.queue_column.as_deref(), Some("Team"));
    assert_eq!(guess.assignee.as_deref(), Some("Agent"));
    assert_eq!(guess.title.as_deref(), Some("Summary"));
    assert_eq!(
        guess,
        ticket_mapping(),
        "for this header the guess is the whole mapping"
    );
}

#[test]
fn changing_the_automation_accounts_re_marks_stored_items() {
    let mut conn = db();
    import_fixture(&mut conn, "xdr_incidents.csv");
    import_fixture(&mut conn, "sentinel_incidents.csv");
    assert_eq!(
        import::automation_accounts(&conn).unwrap(),
        ["Automation"],
        "the default"
    );
    assert!(
        !item(&conn, "xdr-incident:14421").automated,
        "li.wei is a person"
    );

    import::set_automation_accounts(&conn, &["Automation".into(), "LI.WEI@contoso.com".into()])
        .unwrap();
    assert!(
        item(&conn, "xdr-incident:14421").automated,
        "now an automation account (any case)"
    );
    assert!(
        !item(&conn, "xdr-incident:14440").automated,
        "an open incident is never automated"
    );

    import::set_automation_accounts(&conn, &[]).unwrap();
    assert!(!item(&conn, "xdr-incident:14421").automated);
    assert!(
        item(&conn, "xdr-incident:14428").automated,
        "closed by automated investigation (Remediated), whatever the accounts"
    );
    assert!(
        item(
            &conn,
            "sentinel-incident:c2222222-0000-4000-8000-000000000003"
        )
        .automated,
        "closed by an automation rule, whatever the accounts"
    );
    assert!(import::automation_accounts(&conn).unwrap().is_empty());
}

#[test]
fn a_rule_matches_one_value_of_a_multi_valued_cell() {
    let mut conn = db();
    import_fixture(&mut conn, "xdr_incidents.csv");
    let mut rules = import::list_queue_rules(&conn).unwrap();
    rules.insert(
        0,
        QueueRule {
            format: "defender-xdr".into(),
            signal: "Microsoft Defender for Endpoint".into(),
            queue: "Endpoint team".into(),
        },
    );
    import::set_queue_rules(&mut conn, &rules).unwrap();
    assert_eq!(
        item(&conn, "xdr-incident:14240").queue,
        "Endpoint team",
        "\"Microsoft Defender for Office 365, Microsoft Defender for Endpoint\" holds the rule's value"
    );
    assert_eq!(item(&conn, "xdr-incident:14428").queue, "Endpoint team");
    assert_eq!(
        item(&conn, "xdr-incident:14421").queue,
        "Defender XDR",
        "Cloud Apps keeps the default rule"
    );
}
