//! Every supported format, read from a small hand-made fixture: the stored items' times,
//! queues, statuses and verdicts, not only their number.

mod import_support;

use import_support::*;
use streamline::import::{DateOrder, DateOrderFrom};

#[test]
fn defender_xdr_csv_with_bom_and_crlf() {
    let mut conn = db();
    let report = import_fixture(&mut conn, "xdr_incidents.csv");
    assert_eq!(
        report.record.format, "defender-xdr",
        "detected from the header"
    );
    assert_eq!(report.record.rows_read, 5);
    assert_eq!(report.record.items_new, 5);
    assert_eq!(report.record.rows_rejected, 0);
    assert_eq!(report.redirected, 1, "the redirected incident is reported");
    assert_eq!(
        report.record.date_order,
        Some(DateOrder::Mdy),
        "8/20/2025 can only be month-first"
    );
    assert_eq!(report.record.date_order_from, Some(DateOrderFrom::Data));

    let active = item(&conn, "xdr-incident:14440");
    assert_eq!(
        active.title, "Suspicious process executed on VM, involving one resource",
        "quoted comma kept"
    );
    assert_eq!(active.kind, "incident");
    assert_eq!(active.status, "new", "Active is an untouched incident");
    assert_eq!(active.severity, "medium");
    assert_eq!(active.queue, "Defender XDR");
    assert_eq!(
        active.created_ms,
        Some(utc("2025-08-20T11:14:37Z")),
        "first activity stands in for created"
    );
    assert_eq!(
        active.triaged_ms, None,
        "the portal CSV has no first-action time"
    );
    assert_eq!(active.resolved_ms, None);

    let by_air = item(&conn, "xdr-incident:14428");
    assert_eq!(by_air.status, "resolved");
    assert_eq!(
        by_air.resolved_ms,
        Some(utc("2025-08-02T06:14:46Z")),
        "last update time of a resolved incident"
    );
    assert!(
        by_air.automated,
        "assigned to Automation with a remediated investigation"
    );
    assert_eq!(by_air.classification.as_deref(), Some("True positive"));
    assert_eq!(by_air.determination.as_deref(), Some("Malware"));

    let by_person = item(&conn, "xdr-incident:14421");
    assert_eq!(
        by_person.resolved_ms,
        Some(utc("2025-08-13T12:32:55Z")),
        "12:32:55 PM is just after noon"
    );
    assert!(!by_person.automated, "closed by a person");
    assert_eq!(
        by_person.classification.as_deref(),
        Some("Informational, expected activity")
    );

    let redirected = item(&conn, "xdr-incident:14419");
    assert_eq!(redirected.status, "redirected");
    assert!(
        !redirected.counted,
        "a redirected incident is merged into another and not counted"
    );

    assert_eq!(item(&conn, "xdr-incident:14240").status, "in_progress");
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM work_item WHERE counted"),
        4
    );
}

#[test]
fn excel_unicode_text_reads_like_the_csv() {
    let mut csv_db = db();
    import_fixture(&mut csv_db, "xdr_incidents.csv");
    let mut utf16_db = db();
    let report = import_fixture(&mut utf16_db, "xdr_incidents_unicode.txt");
    assert_eq!(
        report.record.format, "defender-xdr",
        "UTF-16 LE, tab-separated, still detected"
    );
    assert_eq!(report.record.rows_rejected, 0);
    assert_eq!(
        all_items(&utf16_db),
        all_items(&csv_db),
        "the Excel re-save holds the same items"
    );
}

#[test]
fn graph_alerts_json() {
    let mut conn = db();
    let report = import_fixture(&mut conn, "graph_alerts.json");
    assert_eq!(report.record.format, "graph-alerts");
    assert_eq!(report.record.rows_read, 4);
    assert_eq!(
        report.record.date_order, None,
        "ISO 8601 needs no day/month order"
    );

    let cloud = item(
        &conn,
        "dfc-alert:2517589205256553369_d022f0a4-b669-449d-b604-b6b4226f267e",
    );
    assert_eq!(cloud.source, "graph-alerts");
    assert_eq!(
        cloud.queue, "Defender XDR",
        "everything in the Graph export is in the XDR queue"
    );
    assert_eq!(
        cloud.created_ms,
        Some(utc("2025-06-02T17:25:00.119Z")),
        "7 fractional digits kept to the ms"
    );
    assert_eq!(cloud.resolved_ms, Some(utc("2025-06-03T08:00:00.123Z")));
    assert_eq!(cloud.status, "resolved");
    assert_eq!(cloud.classification.as_deref(), Some("truePositive"));
    assert_eq!(cloud.incident_ref.as_deref(), Some("xdr-incident:14500"));

    let in_incident = item(&conn, "xdr-alert:da637551227677560813_-961444813");
    assert_eq!(in_incident.status, "in_progress");
    assert_eq!(
        in_incident.created_ms,
        Some(utc("2025-06-14T08:03:00Z")),
        "no fractional digits"
    );
    assert_eq!(in_incident.severity, "high");
    assert!(
        in_incident.counted,
        "its incident is not imported, so the alert counts on its own"
    );

    let automated = item(&conn, "xdr-alert:da637551227677560814_-961444814");
    assert!(automated.automated, "resolved and assigned to Automation");
    assert_eq!(
        automated.created_ms,
        Some(utc("2025-08-02T01:20:00.100Z")),
        "one fractional digit"
    );

    let open = item(&conn, "xdr-alert:aa55734bd8-a042-4517-b2e6-e23fbed38bd8");
    assert_eq!(open.status, "new");
    assert_eq!(open.severity, "informational");
    assert_eq!(open.resolved_ms, None, "null resolvedDateTime");
    assert_eq!(open.assignee, None, "null assignedTo");
    assert_eq!(open.classification, None, "\"unknown\" is no verdict");
}

#[test]
fn defender_for_cloud_csv() {
    let mut conn = db();
    let report = import_fixture(&mut conn, "dfc_alerts.csv");
    assert_eq!(report.record.format, "defender-for-cloud");
    assert_eq!(
        report.record.rows_read, 3,
        "a quoted newline does not split a row"
    );

    let resolved = item(
        &conn,
        "dfc-alert:2517589205256553369_d022f0a4-b669-449d-b604-b6b4226f267e",
    );
    assert_eq!(resolved.queue, "Defender for Cloud");
    assert_eq!(
        resolved.created_ms,
        Some(utc("2025-06-02T17:24:40.119Z")),
        "ProcessingEndTime is when it was created"
    );
    assert_eq!(resolved.status, "resolved");
    assert_eq!(
        resolved.resolved_ms, None,
        "the export has no resolution time"
    );
    assert_eq!(resolved.kind, "alert");

    let dismissed = item(
        &conn,
        "dfc-alert:2517390825787363647_40e4ce2b-e13a-4db5-8636-fc0d5657be50",
    );
    assert_eq!(dismissed.status, "resolved", "dismissed is closed");
    assert_eq!(dismissed.created_ms, Some(utc("2025-06-07T23:30:18Z")));

    let incident = item(
        &conn,
        "dfc-alert:2517000000000000000_11111111-2222-3333-4444-555555555555",
    );
    assert_eq!(incident.kind, "incident", "IsIncident=True");
    assert_eq!(incident.status, "new");
    assert_eq!(incident.severity, "high");
    assert_eq!(incident.created_ms, Some(utc("2025-06-09T10:05:30.500Z")));
}

#[test]
fn sentinel_audit_rows_keep_the_latest_state_and_the_first_action() {
    let mut conn = db();
    let report = import_fixture(&mut conn, "sentinel_incidents.csv");
    assert_eq!(
        report.record.format, "sentinel",
        "[UTC] suffixes do not hide the columns"
    );
    assert_eq!(report.record.rows_read, 6);
    assert_eq!(
        report.record.items_new, 3,
        "six audit rows are three incidents"
    );
    assert_eq!(report.record.date_order, Some(DateOrder::Mdy));

    let closed = item(
        &conn,
        "sentinel-incident:a3998e7e-ddb8-4124-afdc-3445531c20a4",
    );
    assert_eq!(closed.status, "resolved", "the latest row is Closed");
    assert_eq!(closed.queue, "Microsoft Sentinel");
    assert_eq!(closed.created_ms, Some(utc("2025-06-03T05:38:11.046Z")));
    assert_eq!(
        closed.triaged_ms,
        Some(utc("2025-06-03T15:33:26.560Z")),
        "first modified, from the history"
    );
    assert_eq!(closed.resolved_ms, Some(utc("2025-06-04T12:19:40.740Z")));
    assert_eq!(
        closed.assignee.as_deref(),
        Some("Maria Garcia"),
        "read from the Owner JSON cell"
    );
    assert_eq!(closed.classification.as_deref(), Some("BenignPositive"));
    assert_eq!(
        closed.determination.as_deref(),
        Some("SuspiciousButExpected")
    );
    assert!(!closed.automated);

    let synced = item(&conn, "xdr-incident:14240");
    assert_eq!(synced.source, "sentinel");
    assert_eq!(
        synced.queue, "Defender XDR",
        "an incident from the Microsoft XDR provider is in the XDR queue"
    );
    assert_eq!(synced.created_ms, Some(utc("2025-06-14T08:05:00Z")));
    assert_eq!(synced.triaged_ms, Some(utc("2025-06-14T09:30:00Z")));
    assert_eq!(synced.status, "in_progress");

    let out_of_order = item(
        &conn,
        "sentinel-incident:c2222222-0000-4000-8000-000000000003",
    );
    assert_eq!(
        out_of_order.status, "resolved",
        "the newest row wins even when it comes first in the file"
    );
    assert_eq!(
        out_of_order.triaged_ms,
        Some(utc("2025-06-20T12:59:00.250Z")),
        "first row showing an analyst at work"
    );
    assert_eq!(
        out_of_order.resolved_ms,
        Some(utc("2025-06-20T12:59:00.250Z"))
    );
    assert!(out_of_order.automated, "closed by an automation rule");
    assert_eq!(
        out_of_order.created_ms,
        Some(utc("2025-06-20T12:00:00Z")),
        "no fractional digits"
    );
}

#[test]
fn sentinel_day_first_export_reads_the_same_instants() {
    let mut us = db();
    import_fixture(&mut us, "sentinel_incidents.csv");
    let mut gb = db();
    let report = import_fixture(&mut gb, "sentinel_incidents_dayfirst.csv");
    assert_eq!(
        report.record.date_order,
        Some(DateOrder::Dmy),
        "14/06/2025 can only be day-first"
    );
    assert_eq!(report.record.date_order_from, Some(DateOrderFrom::Data));
    assert_eq!(
        all_items(&gb),
        all_items(&us),
        "the same incidents in another locale are the same items"
    );
}

#[test]
fn splunk_notables_with_offsets_and_epoch_review_times() {
    let mut conn = db();
    let report = import_fixture(&mut conn, "splunk_notables.csv");
    assert_eq!(report.record.format, "splunk-es");

    let closed = item(&conn, "splunk:c3d23681@@notable@@a688");
    assert_eq!(closed.queue, "Splunk ES");
    assert_eq!(closed.created_ms, Some(utc("2025-08-23T17:44:11.277Z")));
    assert_eq!(
        closed.triaged_ms,
        Some(1_755_976_158_269),
        "review_time in epoch seconds with decimals"
    );
    assert_eq!(
        closed.resolved_ms,
        Some(1_755_976_158_269),
        "reviewed and closed"
    );
    assert_eq!(closed.severity, "high", "urgency is the notable's severity");
    assert_eq!(closed.status, "resolved");

    let new = item(&conn, "splunk:8a1f7479@@notable@@58bc");
    assert_eq!(
        new.created_ms,
        Some(utc("2025-08-16T12:15:28.096Z")),
        "+02:00 offset applied"
    );
    assert_eq!(new.status, "new");
    assert_eq!(new.assignee, None, "unassigned is nobody");
    assert_eq!(new.triaged_ms, None);

    let coded = item(&conn, "splunk:8a1f1688@@notable@@d7ea");
    assert_eq!(coded.status, "in_progress", "status code 2 without a label");
    assert_eq!(
        coded.created_ms,
        Some(utc("2025-08-15T04:03:28Z")),
        "+0000 offset form"
    );
    assert_eq!(
        coded.triaged_ms,
        Some(1_755_231_208_000),
        "whole epoch seconds"
    );
    assert_eq!(coded.resolved_ms, None, "not closed yet");
    assert_eq!(coded.severity, "high", "severity when urgency is empty");
}

#[test]
fn thehive_cases_with_epoch_milliseconds() {
    let mut conn = db();
    let report = import_fixture(&mut conn, "thehive_cases.json");
    assert_eq!(report.record.format, "thehive");

    let closed = item(&conn, "thehive:~757158481");
    assert_eq!(closed.queue, "TheHive");
    assert_eq!(closed.kind, "incident");
    assert_eq!(closed.created_ms, Some(1_749_331_433_266));
    assert_eq!(closed.triaged_ms, Some(1_749_399_120_439));
    assert_eq!(closed.resolved_ms, Some(1_749_608_159_819));
    assert_eq!(closed.severity, "medium", "severity 2");
    assert_eq!(closed.classification.as_deref(), Some("FalsePositive"));

    let open = item(&conn, "thehive:~224286835");
    assert_eq!(open.status, "in_progress");
    assert_eq!(open.severity, "critical", "severity 4");
    assert_eq!(open.resolved_ms, None);

    let new = item(&conn, "thehive:~300000001");
    assert_eq!(new.status, "new");
    assert_eq!(
        new.created_ms,
        Some(1_755_500_000_000),
        "_createdAt when newDate is null"
    );
    assert_eq!(new.severity, "low");
}

#[test]
fn excel_plain_csv_in_windows_1252() {
    // Excel's plain "CSV" save writes the ANSI code page, not UTF-8: "é" is the byte 0xE9.
    let text = "Incident name,Incident Id,Severity,Service sources,First activity,Last update time,Status,Assigned to\r\n\
                Connexion suspecte depuis un caf\u{e9},501,High,Microsoft Entra ID Protection,8/21/2025 7:00:00 AM,8/21/2025 7:10:00 AM,Active,\r\n";
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
        .collect();
    let (_dir, path) = temp_file("export_ansi.csv", &bytes);
    let mut conn = db();
    let report = try_import(
        &mut conn,
        &path,
        &streamline::import::ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(report.record.rows_rejected, 0);
    assert_eq!(
        item(&conn, "xdr-incident:501").title,
        "Connexion suspecte depuis un café",
        "decoded, not mangled"
    );
}

#[test]
fn graph_alerts_saved_as_a_bare_array() {
    let text = std::fs::read_to_string(fixture("graph_alerts.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let bare = serde_json::to_vec(&doc["value"]).unwrap();
    let (_dir, path) = temp_file("alerts_value_only.json", &bare);
    let mut conn = db();
    let report = try_import(
        &mut conn,
        &path,
        &streamline::import::ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(
        report.record.format, "graph-alerts",
        "the `value` array on its own is still Graph"
    );
    assert_eq!(report.record.rows_read, 4);
    assert_eq!(
        item(&conn, "xdr-alert:aa55734bd8-a042-4517-b2e6-e23fbed38bd8").created_ms,
        Some(utc("2025-08-24T10:28:15.618Z"))
    );
}

#[test]
fn thehive_case_without_a_stage_is_closed_by_its_verdict() {
    let cases = r#"[{"_id": "~1", "_type": "Case", "_createdAt": 1755500000000, "title": "t",
        "status": "TruePositive", "closedDate": 1755600000000},
       {"_id": "~2", "_type": "Case", "_createdAt": 1755500000000, "title": "t", "status": "New"}]"#;
    let (_dir, path) = temp_file("cases.json", cases.as_bytes());
    let mut conn = db();
    try_import(
        &mut conn,
        &path,
        &streamline::import::ImportOptions::default(),
    )
    .unwrap();
    let closed = item(&conn, "thehive:~1");
    assert_eq!(
        closed.status, "resolved",
        "TruePositive is a closing status"
    );
    assert_eq!(closed.classification.as_deref(), Some("TruePositive"));
    assert_eq!(closed.resolved_ms, Some(1_755_600_000_000));
    assert_eq!(item(&conn, "thehive:~2").status, "new");
}
