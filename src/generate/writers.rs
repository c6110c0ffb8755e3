//! Each export as its source writes it: field names, quoting, date forms and encodings.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde_json::json;

use super::world::{Incident, Product, ANALYSTS};
use super::{Scenario, MINUTE_MS};
use crate::import::{DateOrder, Format};

const TENANT: &str = "c0ffee00-1234-4abc-8def-0123456789ab";

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// `2025-06-02T17:24:40.119Z`
fn iso_ms(ms: i64) -> String {
    at(ms).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// `2025-06-02T17:24:40.1198271Z`: seven fractional digits, as Graph and Defender for Cloud write.
fn iso_7(ms: i64, noise: u64) -> String {
    format!(
        "{}{:04}Z",
        at(ms).format("%Y-%m-%dT%H:%M:%S%.3f"),
        noise % 10_000
    )
}

/// The portal's and Log Analytics' display dates.
fn display(ms: i64, order: DateOrder, log_analytics: bool) -> String {
    let t = at(ms);
    match (order, log_analytics) {
        (DateOrder::Mdy, true) => t.format("%-m/%-d/%Y, %-I:%M:%S%.3f %p").to_string(),
        (DateOrder::Mdy, false) => t.format("%-m/%-d/%Y %-I:%M:%S %p").to_string(),
        (DateOrder::Dmy, true) => t.format("%d/%m/%Y, %H:%M:%S%.3f").to_string(),
        (DateOrder::Dmy, false) => t.format("%d/%m/%Y %H:%M:%S").to_string(),
    }
}

/// A GUID-shaped id, stable for the same inputs (SplitMix64 spreads the bits).
fn guid(a: u64, b: u64) -> String {
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    let hi = mix(a ^ b.rotate_left(29));
    let lo = mix(hi ^ b);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xfff,
        8 + (lo >> 62),
        (lo >> 48) & 0xfff,
        lo & 0xffff_ffff_ffff
    )
}

fn xdr_incident_id(i: &Incident) -> u64 {
    100_000 + i.seq
}

fn cloud_alert_id(i: &Incident) -> String {
    format!(
        "{}_{}",
        2_517_000_000_000_000_000u64 + i.tag % 1_000_000_000_000_000,
        guid(i.tag, i.seq).to_uppercase()
    )
}

fn severity_word(i: &Incident) -> &'static str {
    ["Informational", "Low", "Medium", "High"][usize::from(i.severity.clamp(1, 4) - 1)]
}

fn service_source(p: Product) -> (&'static str, &'static str) {
    match p {
        Product::Endpoint => (
            "Microsoft Defender for Endpoint",
            "microsoftDefenderForEndpoint",
        ),
        Product::Office => (
            "Microsoft Defender for Office 365",
            "microsoftDefenderForOffice365",
        ),
        Product::Identity => (
            "Microsoft Defender for Identity",
            "microsoftDefenderForIdentity",
        ),
        Product::CloudApps => (
            "Microsoft Defender for Cloud Apps",
            "microsoftDefenderForCloudApps",
        ),
        Product::EntraId => ("Microsoft Entra ID Protection", "azureAdIdentityProtection"),
        Product::Cloud => ("Microsoft Defender for Cloud", "microsoftDefenderForCloud"),
        _ => ("Microsoft Sentinel", "microsoftSentinel"),
    }
}

fn analyst(i: &Incident) -> (&'static str, &'static str) {
    if i.automated {
        ("Automation", "Automation")
    } else {
        ANALYSTS[i.analyst]
    }
}

/// UTF-8 in, UTF-16 LE out (Excel's "Unicode Text"), with the BOM first.
struct Utf16Out<'w> {
    inner: &'w mut dyn Write,
    pending: Vec<u8>,
}

impl Write for Utf16Out<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            Err(e) => e.valid_up_to(),
        };
        let text = std::str::from_utf8(&self.pending[..valid]).unwrap_or_default();
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        self.inner.write_all(&bytes)?;
        self.pending.drain(..valid);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `incidents` as `format`, stopping at `limit` rows; returns the rows written.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    scenario: &Scenario,
    incidents: impl Iterator<Item = Incident>,
    limit: Option<u64>,
    excel_unicode: bool,
) -> io::Result<u64> {
    let limit = limit.unwrap_or(u64::MAX);
    match format {
        Format::DefenderXdr if excel_unicode => {
            out.write_all(&[0xFF, 0xFE])?;
            let mut utf16 = Utf16Out {
                inner: out,
                pending: Vec::new(),
            };
            let mut csv = csv::WriterBuilder::new()
                .delimiter(b'\t')
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut utf16);
            let n = xdr_rows(&mut csv, scenario, incidents, limit)?;
            csv.flush()?;
            Ok(n)
        }
        Format::DefenderXdr => {
            // The portal writes a UTF-8 BOM and CRLF line ends.
            out.write_all(b"\xEF\xBB\xBF")?;
            let mut csv = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(out);
            let n = xdr_rows(&mut csv, scenario, incidents, limit)?;
            csv.flush()?;
            Ok(n)
        }
        Format::Sentinel => {
            out.write_all(b"\xEF\xBB\xBF")?;
            let mut csv = csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Always)
                .terminator(csv::Terminator::CRLF)
                .from_writer(out);
            let n = sentinel_rows(&mut csv, scenario, incidents, limit)?;
            csv.flush()?;
            Ok(n)
        }
        Format::DefenderForCloud => {
            let mut csv = csv::Writer::from_writer(out);
            let n = cloud_rows(&mut csv, scenario, incidents, limit)?;
            csv.flush()?;
            Ok(n)
        }
        Format::SplunkEs => {
            let mut csv = csv::Writer::from_writer(out);
            let n = splunk_rows(&mut csv, scenario, incidents, limit)?;
            csv.flush()?;
            Ok(n)
        }
        Format::GraphAlerts => graph_alerts(out, scenario, incidents, limit),
        Format::TheHive => thehive_cases(out, incidents, limit),
        Format::Aggregate => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "an aggregate file is written from a raw export: generate::write_aggregate",
        )),
        Format::Mapped => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a mapped CSV has no fixed shape",
        )),
    }
}

fn xdr_rows<W: Write>(
    csv: &mut csv::Writer<W>,
    s: &Scenario,
    incidents: impl Iterator<Item = Incident>,
    limit: u64,
) -> io::Result<u64> {
    csv.write_record([
        "Incident name",
        "Incident Id",
        "Tags",
        "Severity",
        "Investigation state",
        "Categories",
        "Impacted assets",
        "Active alerts",
        "Service sources",
        "Detection sources",
        "First activity",
        "Last activity",
        "Last update time",
        "Status",
        "Assigned to",
        "Classification",
        "Determination",
    ])?;
    let mut n = 0;
    for i in incidents.take(usize::try_from(limit).unwrap_or(usize::MAX)) {
        let (service, _) = service_source(i.product);
        let status = if i.redirected {
            "Redirected"
        } else if i.resolved_ms.is_some() {
            "Resolved"
        } else if i.triaged_ms.is_some() {
            "In progress"
        } else {
            "Active"
        };
        let updated = i
            .resolved_ms
            .or(i.triaged_ms)
            .unwrap_or(i.created_ms + 2 * MINUTE_MS);
        let assigned = if i.triaged_ms.is_some() {
            analyst(&i).0
        } else {
            ""
        };
        let (classification, determination) = match (i.resolved_ms, i.true_positive) {
            (None, _) => ("", ""),
            (Some(_), true) => ("True positive", "Malware"),
            (Some(_), false) => ("Informational, expected activity", "Security test"),
        };
        csv.write_record([
            i.title,
            &xdr_incident_id(&i).to_string(),
            if i.tag % 5 == 0 { "VIP, Finance" } else { "" },
            severity_word(&i),
            if i.automated { "Remediated" } else { "" },
            "Initial access",
            "1 device",
            &u64::from(i.alerts).to_string(),
            service,
            "EDR, Antivirus",
            &display(i.first_activity_ms, s.date_order, false),
            &display(i.created_ms - MINUTE_MS, s.date_order, false),
            &display(updated, s.date_order, false),
            status,
            assigned,
            classification,
            determination,
        ])?;
        n += 1;
    }
    Ok(n)
}

fn sentinel_rows<W: Write>(
    csv: &mut csv::Writer<W>,
    s: &Scenario,
    incidents: impl Iterator<Item = Incident>,
    limit: u64,
) -> io::Result<u64> {
    csv.write_record([
        "TenantId",
        "TimeGenerated [UTC]",
        "IncidentName",
        "Title",
        "Description",
        "Severity",
        "Status",
        "Classification",
        "ClassificationComment",
        "ClassificationReason",
        "Owner",
        "ProviderName",
        "ProviderIncidentId",
        "FirstActivityTime [UTC]",
        "LastActivityTime [UTC]",
        "FirstModifiedTime [UTC]",
        "LastModifiedTime [UTC]",
        "CreatedTime [UTC]",
        "ClosedTime [UTC]",
        "IncidentNumber",
        "RelatedAnalyticRuleIds",
        "AlertIds",
        "BookmarkIds",
        "Comments",
        "Tasks",
        "Labels",
        "IncidentUrl",
        "AdditionalData",
        "ModifiedBy",
        "SourceSystem",
        "Type",
    ])?;
    let mut n = 0;
    let d = |ms: i64| display(ms, s.date_order, true);
    let no_owner = r#"{"objectId":null,"email":null,"assignedTo":null,"userPrincipalName":null}"#;
    for i in incidents {
        let name = guid(i.tag, i.seq);
        let number = (3_000 + i.seq).to_string();
        let in_defender_portal = s
            .trends
            .sentinel_unified_from_ms
            .is_some_and(|at| i.created_ms >= at);
        let (provider, provider_id) = if i.product.is_xdr() || in_defender_portal {
            ("Microsoft XDR", xdr_incident_id(&i).to_string())
        } else {
            ("Azure Sentinel", number.clone())
        };
        let (email, person) = analyst(&i);
        let owner = format!(
            r#"{{"objectId":"{}","email":"{email}","assignedTo":"{person}","userPrincipalName":"{email}"}}"#,
            guid(i.seq, i.tag)
        );
        let product_name = if i.product.is_xdr() {
            service_source(i.product).0
        } else {
            "Azure Sentinel"
        };
        let additional = format!(
            r#"{{"alertsCount":{},"bookmarksCount":0,"commentsCount":0,"alertProductNames":["{product_name}"],"tactics":["InitialAccess"],"techniques":["T1078"]}}"#,
            i.alerts
        );
        let alert_ids = format!(r#"["{}"]"#, guid(i.tag.rotate_left(17), i.seq));
        let url = format!("https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/subscriptions/4f1e2d3c-6b5a-4978-8a1b-2c3d4e5f6a7b/resourceGroups/rg-sentinel/providers/Microsoft.OperationalInsights/workspaces/law-sentinel/providers/Microsoft.SecurityInsights/Incidents/{name}");
        let first_activity = d(i.first_activity_ms);
        let last_activity = d(i.created_ms - MINUTE_MS);
        let created = d(i.created_ms);
        // The audit rows: created, taken on by an analyst, closed.
        let mut rows = vec![AuditRow {
            generated: i.created_ms + 40_000,
            status: "New",
            owner: no_owner.to_owned(),
            first_modified: String::new(),
            last_modified: created.clone(),
            closed: String::new(),
            classification: "",
            modified_by: "Alert rule",
        }];
        if let (Some(t), false) = (i.triaged_ms, i.automated) {
            rows.push(AuditRow {
                generated: t + 35_000,
                status: "Active",
                owner: owner.clone(),
                first_modified: d(t),
                last_modified: d(t),
                closed: String::new(),
                classification: "",
                modified_by: email,
            });
        }
        if let Some(r) = i.resolved_ms {
            let (classification, modified_by) = match (i.true_positive, i.automated) {
                (_, true) => ("BenignPositive", "Automation rule - close known benign"),
                (true, false) => ("TruePositive", email),
                (false, false) => ("FalsePositive", email),
            };
            rows.push(AuditRow {
                generated: r + 40_000,
                status: "Closed",
                owner: owner.clone(),
                first_modified: d(i.triaged_ms.unwrap_or(r)),
                last_modified: d(r),
                closed: d(r),
                classification,
                modified_by,
            });
        }
        for row in rows {
            let AuditRow {
                generated,
                status,
                owner: owner_cell,
                first_modified: first_mod,
                last_modified: last_mod,
                closed,
                classification,
                modified_by,
            } = row;
            if n >= limit {
                return Ok(n);
            }
            csv.write_record([
                TENANT,
                &d(generated),
                &name,
                i.title,
                "",
                severity_word(&i),
                status,
                classification,
                if classification.is_empty() {
                    ""
                } else {
                    "Closed after review"
                },
                if classification.is_empty() {
                    ""
                } else {
                    "SuspiciousActivity"
                },
                &owner_cell,
                provider,
                &provider_id,
                &first_activity,
                &last_activity,
                &first_mod,
                &last_mod,
                &created,
                &closed,
                &number,
                r#"["aa806005-af23-4344-b1c0-8164b7d970b2"]"#,
                &alert_ids,
                "[]",
                "[]",
                "[]",
                "[]",
                &url,
                &additional,
                modified_by,
                "Azure",
                "SecurityIncident",
            ])?;
            n += 1;
        }
        if n >= limit {
            break;
        }
    }
    Ok(n)
}

/// One row of Sentinel's audit table: the incident's state after one change.
struct AuditRow<'a> {
    generated: i64,
    status: &'a str,
    owner: String,
    first_modified: String,
    last_modified: String,
    closed: String,
    classification: &'a str,
    modified_by: &'a str,
}

fn cloud_rows<W: Write>(
    csv: &mut csv::Writer<W>,
    _s: &Scenario,
    incidents: impl Iterator<Item = Incident>,
    limit: u64,
) -> io::Result<u64> {
    csv.write_record([
        "SystemAlertId",
        "AlertDisplayName",
        "AlertType",
        "Severity",
        "Status",
        "Intent",
        "ProductName",
        "VendorName",
        "CompromisedEntity",
        "StartTimeUtc",
        "EndTimeUtc",
        "TimeGenerated",
        "ProcessingEndTime",
        "IsIncident",
        "Description",
    ])?;
    let mut n = 0;
    for i in incidents.take(usize::try_from(limit).unwrap_or(usize::MAX)) {
        let status = match (i.resolved_ms, i.triaged_ms) {
            (Some(_), _) if !i.true_positive && i.tag % 2 == 0 => "Dismissed",
            (Some(_), _) => "Resolved",
            (None, Some(_)) => "InProgress",
            (None, None) => "Active",
        };
        let host = ["sqlsrv-03", "vm-web-01", "vm-web-02", "aks-node-7"][(i.tag % 4) as usize];
        let generated = i.resolved_ms.or(i.triaged_ms).unwrap_or(i.created_ms) + 5 * MINUTE_MS;
        csv.write_record([
            &cloud_alert_id(&i),
            i.title,
            "VM_SuspectProcess",
            severity_word(&i),
            status,
            "Execution",
            "Azure Security Center",
            "Microsoft",
            host,
            &iso_ms(i.first_activity_ms),
            &iso_ms(i.created_ms - MINUTE_MS),
            &iso_ms(generated),
            &iso_7(i.created_ms, i.tag),
            "False",
            &format!(
                "Process 'powershell.exe' ran from an unusual path on {host}, see \"details\"."
            ),
        ])?;
        n += 1;
    }
    Ok(n)
}

fn splunk_rows<W: Write>(
    csv: &mut csv::Writer<W>,
    _s: &Scenario,
    incidents: impl Iterator<Item = Incident>,
    limit: u64,
) -> io::Result<u64> {
    csv.write_record([
        "_time",
        "event_id",
        "rule_id",
        "rule_name",
        "rule_title",
        "security_domain",
        "severity",
        "urgency",
        "status",
        "status_label",
        "status_group",
        "owner",
        "owner_realname",
        "reviewer",
        "review_time",
        "src",
        "dest",
        "user",
        "orig_sid",
    ])?;
    let mut n = 0;
    for i in incidents.take(usize::try_from(limit).unwrap_or(usize::MAX)) {
        let event_id = format!(
            "{}@@notable@@{:032x}",
            guid(i.tag, i.seq).to_uppercase(),
            u128::from(i.tag) << 7 | u128::from(i.seq)
        );
        let (code, label, group, reviewed) = match (i.resolved_ms, i.triaged_ms) {
            (Some(r), _) => ("5", "Closed", "Closed", Some(r)),
            (None, Some(t)) => ("2", "In Progress", "Open", Some(t)),
            (None, None) => ("1", "New", "Open", None),
        };
        let (login, realname) = if reviewed.is_some() {
            let (email, name) = analyst(&i);
            (email.split('@').next().unwrap_or(email), name)
        } else {
            ("unassigned", "unassigned")
        };
        let urgency =
            ["informational", "low", "medium", "high"][usize::from(i.severity.clamp(1, 4) - 1)];
        let review_time = reviewed.map_or(String::new(), |ms| {
            format!(
                "{}.{:03}{:03}",
                ms.div_euclid(1000),
                ms.rem_euclid(1000),
                i.tag % 1000
            )
        });
        let time = at(i.created_ms)
            .format("%Y-%m-%dT%H:%M:%S%.3f+00:00")
            .to_string();
        csv.write_record([
            time.as_str(),
            &event_id,
            &event_id,
            &format!("Endpoint - {} - Rule", i.title),
            i.title,
            "endpoint",
            urgency,
            urgency,
            code,
            label,
            group,
            login,
            realname,
            if reviewed.is_some() { login } else { "" },
            &review_time,
            "10.1.2.3",
            "WIN-FS01",
            "jdoe",
            &format!(
                "scheduler__admin__SplunkEnterpriseSecuritySuite__RMD5{:016x}",
                i.tag
            ),
        ])?;
        n += 1;
    }
    Ok(n)
}

fn graph_alerts(
    out: &mut dyn Write,
    _s: &Scenario,
    incidents: impl Iterator<Item = Incident>,
    limit: u64,
) -> io::Result<u64> {
    out.write_all(b"{\n  \"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2\",\n  \"value\": [")?;
    let mut n = 0;
    'incidents: for i in incidents {
        let (_, service) = service_source(i.product);
        let status = if i.resolved_ms.is_some() {
            "resolved"
        } else if i.triaged_ms.is_some() {
            "inProgress"
        } else {
            "new"
        };
        let alerts = if i.product == Product::Cloud {
            1
        } else {
            i.alerts
        };
        for k in 0..alerts {
            if n >= limit {
                break 'incidents;
            }
            let created = i.created_ms - i64::from(k) * MINUTE_MS;
            let updated = i.resolved_ms.or(i.triaged_ms).unwrap_or(created);
            let provider_alert_id = if i.product == Product::Cloud {
                cloud_alert_id(&i)
            } else {
                guid(i.tag ^ u64::from(k), i.seq)
            };
            let (classification, determination) = match (i.resolved_ms, i.true_positive) {
                (None, _) => ("unknown", "unknown"),
                (Some(_), true) => ("truePositive", "malware"),
                (Some(_), false) => ("falsePositive", "clean"),
            };
            let alert = json!({
                "@odata.type": "#microsoft.graph.security.alert",
                "id": format!("da{:018}_{}", i.tag % 1_000_000_000_000_000_000, k),
                "providerAlertId": provider_alert_id,
                "incidentId": xdr_incident_id(&i).to_string(),
                "status": status,
                "severity": severity_word(&i).to_lowercase(),
                "classification": classification,
                "determination": determination,
                "serviceSource": service,
                "detectionSource": if i.automated { "automatedInvestigation" } else { service },
                "title": i.title,
                "description": "Synthetic alert.",
                "assignedTo": i.triaged_ms.map(|_| analyst(&i).0),
                "createdDateTime": iso_7(created, i.tag),
                "lastUpdateDateTime": iso_7(updated, i.tag >> 3),
                "resolvedDateTime": i.resolved_ms.map(|r| iso_7(r, i.tag >> 3)),
                "firstActivityDateTime": iso_7(i.first_activity_ms, i.tag >> 5),
                "lastActivityDateTime": iso_7(created - MINUTE_MS, i.tag >> 7),
                "mitreTechniques": ["T1059.001"],
                "systemTags": [],
                "comments": [],
                "evidence": [],
            });
            out.write_all(if n == 0 { b"\n    " } else { b",\n    " })?;
            serde_json::to_writer(&mut *out, &alert)?;
            n += 1;
        }
    }
    out.write_all(b"\n  ]\n}\n")?;
    Ok(n)
}

fn thehive_cases(
    out: &mut dyn Write,
    incidents: impl Iterator<Item = Incident>,
    limit: u64,
) -> io::Result<u64> {
    out.write_all(b"[")?;
    let mut n = 0;
    for i in incidents.take(usize::try_from(limit).unwrap_or(usize::MAX)) {
        let (stage, status) = match (i.resolved_ms, i.triaged_ms) {
            (Some(_), _) if i.true_positive => ("Closed", "TruePositive"),
            (Some(_), _) => ("Closed", "FalsePositive"),
            (None, Some(_)) => ("InProgress", "InProgress"),
            (None, None) => ("New", "New"),
        };
        let updated = i.resolved_ms.or(i.triaged_ms).unwrap_or(i.created_ms);
        let label = ["LOW", "MEDIUM", "HIGH", "CRITICAL"][usize::from(i.severity.clamp(1, 4) - 1)];
        let case = json!({
            "_id": format!("~{}", i.tag % 1_000_000_000),
            "_type": "Case",
            "_createdBy": "svc-ingest@contoso.com",
            "_createdAt": i.created_ms,
            "_updatedAt": updated,
            "number": 200 + i.seq,
            "title": i.title,
            "description": "Synthetic case.",
            "severity": i.severity.clamp(1, 4),
            "severityLabel": label,
            "startDate": i.first_activity_ms,
            "tags": ["src:email-gateway"],
            "status": status,
            "stage": stage,
            "assignee": i.triaged_ms.map(|_| analyst(&i).0),
            "newDate": i.created_ms,
            "inProgressDate": i.triaged_ms,
            "closedDate": i.resolved_ms,
            "timeToTriage": i.triaged_ms.map(|t| t - i.created_ms),
            "timeToResolve": i.resolved_ms.map(|r| r - i.created_ms),
        });
        out.write_all(if n == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut *out, &case)?;
        n += 1;
    }
    out.write_all(b"\n]\n")?;
    Ok(n)
}
