//! The synthetic SOC behind every generated export: a time-ordered stream of incidents, each
//! the truth that several exports show in their own way.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Scenario, HOUR_MS, MINUTE_MS};

/// Where an incident is raised: decides which exports show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    Endpoint,
    Office,
    Identity,
    CloudApps,
    EntraId,
    /// Defender for Cloud: its own export, and Defender XDR's once it is connected there.
    Cloud,
    /// Sentinel's own analytics rules.
    SentinelRules,
    Splunk,
    TheHive,
}

impl Product {
    pub fn is_xdr(self) -> bool {
        matches!(
            self,
            Product::Endpoint
                | Product::Office
                | Product::Identity
                | Product::CloudApps
                | Product::EntraId
        )
    }

    /// Titles an analyst would see for this product's detections.
    pub fn titles(self) -> &'static [&'static str] {
        match self {
            Product::Endpoint => &[
                "Credential dumping activity on one endpoint",
                "Suspicious PowerShell command line",
                "Ransomware behavior detected in the file system",
            ],
            Product::Office => &[
                "Email messages containing malicious URL removed after delivery",
                "User reported phishing email",
            ],
            Product::Identity => &[
                "Suspected Kerberos SPN exposure",
                "Suspected brute-force attack (LDAP)",
            ],
            Product::CloudApps => &[
                "Mass download by a single user",
                "Impossible travel activity",
            ],
            Product::EntraId => &["Unfamiliar sign-in properties", "Anomalous token"],
            Product::Cloud => &[
                "Suspicious process executed",
                "Detected suspicious file download",
                "Suspicious authentication activity",
            ],
            Product::SentinelRules => &[
                "Multiple failed sign-ins followed by success",
                "Rare RDP connections",
                "Data exfiltration to an unusual destination",
            ],
            Product::Splunk => &[
                "Recurring Malware Infection",
                "Brute Force Access Behavior Detected",
                "Unusual Volume of Network Activity",
            ],
            Product::TheHive => &[
                "Phishing report from user",
                "EDR: ransomware precursor",
                "Suspicious login",
            ],
        }
    }
}

pub const ANALYSTS: [(&str, &str); 4] = [
    ("maria.garcia@contoso.com", "Maria Garcia"),
    ("li.wei@contoso.com", "Li Wei"),
    ("sam.okafor@contoso.com", "Sam Okafor"),
    ("alex.kim@contoso.com", "Alex Kim"),
];

/// One incident as it really happened; exports are views of it.
#[derive(Debug, Clone)]
pub struct Incident {
    pub seq: u64,
    pub product: Product,
    pub title: &'static str,
    /// 1 informational … 4 high.
    pub severity: u8,
    pub created_ms: i64,
    /// When the attack activity began (before creation).
    pub first_activity_ms: i64,
    /// First analyst action, when it happened before the export.
    pub triaged_ms: Option<i64>,
    pub resolved_ms: Option<i64>,
    /// Closed by automation (AIR, an automation rule).
    pub automated: bool,
    /// Index into the analysts (`ANALYSTS`).
    pub analyst: usize,
    pub true_positive: bool,
    /// Merged into another incident (Defender XDR).
    pub redirected: bool,
    pub alerts: u8,
    /// A number unique to this incident, for ids.
    pub tag: u64,
}

/// The incidents of a scenario, oldest first, generated as they are read (any count, no
/// memory kept between them).
pub struct IncidentStream<'s> {
    scenario: &'s Scenario,
    rng: ChaCha8Rng,
    next: u64,
    count: u64,
    allowed: &'s [Product],
}

impl<'s> IncidentStream<'s> {
    /// `count` incidents spread over the scenario's weeks, drawn only from `allowed` products.
    pub fn new(scenario: &'s Scenario, count: u64, allowed: &'s [Product]) -> Self {
        IncidentStream {
            scenario,
            rng: ChaCha8Rng::seed_from_u64(scenario.seed),
            next: 0,
            count,
            allowed,
        }
    }
}

/// A log-normal duration with this median (σ = 1: the long tail real queues have).
fn lognormal_ms(rng: &mut ChaCha8Rng, median_ms: f64) -> i64 {
    let u1: f64 = rng.random::<f64>().max(1e-12);
    let u2: f64 = rng.random();
    let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    (median_ms * z.exp()).clamp(30_000.0, 30.0 * 24.0 * HOUR_MS as f64) as i64
}

impl Iterator for IncidentStream<'_> {
    type Item = Incident;

    fn next(&mut self) -> Option<Incident> {
        if self.next >= self.count {
            return None;
        }
        let s = self.scenario;
        let seq = self.next;
        self.next += 1;
        let rng = &mut self.rng;
        let span = s.end_ms() - s.start_ms();
        // Evenly spread with jitter, so the stream stays in time order.
        let slot = span as f64 / self.count as f64;
        let created_ms = s.start_ms() + ((seq as f64 + rng.random::<f64>()) * slot) as i64;
        let t = (created_ms - s.start_ms()) as f64 / span as f64;

        let retired = s
            .trends
            .legacy_retired_from_ms
            .is_some_and(|at| created_ms >= at);
        let product = pick_product(rng, s, t, retired, self.allowed);
        let titles = product.titles();
        let title = titles[rng.random_range(0..titles.len())];
        let severity = [1u8, 2, 2, 3, 3, 3, 4, 4][rng.random_range(0..8)];
        let automation_share =
            s.trends.automation_start + (s.trends.automation_end - s.trends.automation_start) * t;
        let automated = rng.random::<f64>() < automation_share;
        let triage_median = match s.trends.triage_milestone_ms {
            Some(at) if created_ms >= at => s.trends.triage_median_after_min,
            _ => s.trends.triage_median_before_min,
        } as f64
            * MINUTE_MS as f64;
        let (triage, resolve) = if automated {
            (
                lognormal_ms(rng, 4.0 * MINUTE_MS as f64),
                lognormal_ms(rng, 25.0 * MINUTE_MS as f64),
            )
        } else {
            let triage = lognormal_ms(rng, triage_median);
            (triage, triage + lognormal_ms(rng, 6.0 * HOUR_MS as f64))
        };
        let export_at = s.end_ms();
        let triaged_ms = Some(created_ms + triage).filter(|t| *t <= export_at);
        let resolved_ms = Some(created_ms + resolve).filter(|t| *t <= export_at);
        Some(Incident {
            seq,
            product,
            title,
            severity,
            created_ms,
            first_activity_ms: created_ms - rng.random_range(MINUTE_MS..3 * HOUR_MS),
            triaged_ms,
            resolved_ms,
            automated: automated && resolved_ms.is_some(),
            analyst: rng.random_range(0..ANALYSTS.len()),
            true_positive: rng.random::<f64>() < 0.35,
            redirected: product.is_xdr() && rng.random::<f64>() < 0.04,
            alerts: rng.random_range(1..=3),
            tag: rng.random::<u64>() >> 1,
        })
    }
}

fn pick_product(
    rng: &mut ChaCha8Rng,
    s: &Scenario,
    t: f64,
    retired: bool,
    allowed: &[Product],
) -> Product {
    // The legacy SIEM fades as the program goes on; the rest keep their share.
    let weight = |p: Product| -> f64 {
        if retired && matches!(p, Product::Splunk | Product::TheHive) {
            return 0.0;
        }
        match p {
            Product::Endpoint => 14.0,
            Product::Office => 10.0,
            Product::Identity => 6.0,
            Product::CloudApps => 6.0,
            Product::EntraId => 6.0,
            Product::Cloud => 14.0,
            Product::SentinelRules => 20.0,
            Product::Splunk => {
                if s.trends.legacy_fades {
                    16.0 * (1.0 - t) + 1.0
                } else {
                    12.0
                }
            }
            Product::TheHive => 8.0,
        }
    };
    let total: f64 = allowed.iter().map(|p| weight(*p)).sum();
    let mut pick = rng.random::<f64>() * total;
    for p in allowed {
        pick -= weight(*p);
        if pick <= 0.0 {
            return *p;
        }
    }
    allowed[allowed.len() - 1]
}
