//! Times the chart renderer: every chart kind as SVG and PNG, for 16 and 52 weeks of data,
//! median of 20 runs each (target: under 50 ms a chart). Run it in release mode:
//!
//! ```text
//! cargo run --release -p streamline --bin streamline-chart-bench [-- --out DIR]
//! ```
//!
//! With `--out DIR` it also writes sample charts (SVG and PNG, light and dark, several sizes) to
//! DIR, to look at.

use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use streamline::charts::{
    render_png, render_svg, BurnUp, Chart, ChartSize, Milestone, QueueConsolidation, QueueSeries,
    ShareChart, Theme, TimingChart,
};

const RUNS: usize = 20;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1).cloned());
    if let Some(dir) = out {
        if let Err(e) = write_samples(std::path::Path::new(&dir)) {
            eprintln!("streamline-chart-bench: {e}");
            std::process::exit(1);
        }
        println!("sample charts written to {dir}");
    }

    let size = ChartSize::new(600, 300);
    let slide = ChartSize::new(1200, 600);
    println!("chart render time in ms, median of {RUNS} runs: 600×300 as SVG, PNG 1× and 2×;");
    println!("1200×600 PNG at 2× (a 2400×1200 slide image)");
    println!(
        "{:<22} {:>5} {:>9} {:>9} {:>9} {:>12}",
        "chart", "weeks", "svg", "png 1×", "png 2×", "slide png 2×"
    );
    for weeks in [16, 52] {
        for (name, chart) in sample_charts(weeks) {
            let svg = median(|| {
                render_svg(&chart, size, Theme::Light).expect("svg renders");
            });
            let png1 = median(|| {
                render_png(&chart, size, Theme::Light, 1).expect("png renders");
            });
            let png2 = median(|| {
                render_png(&chart, size, Theme::Light, 2).expect("png renders");
            });
            let slide_png = median(|| {
                render_png(&chart, slide, Theme::Light, 2).expect("png renders");
            });
            println!(
                "{name:<22} {weeks:>5} {:>9.2} {:>9.2} {:>9.2} {:>12.2}",
                ms(svg),
                ms(png1),
                ms(png2),
                ms(slide_png)
            );
        }
    }
}

fn median(mut f: impl FnMut()) -> Duration {
    f(); // warm up (font registration, caches)
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn write_samples(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let sizes = [
        ("600x300", ChartSize::new(600, 300)),
        ("1200x600", ChartSize::new(1200, 600)),
        ("small", ChartSize::new(360, 140)),
    ];
    for weeks in [16, 52] {
        for (name, chart) in sample_charts(weeks) {
            for (size_name, size) in sizes {
                for (theme_name, theme) in [("light", Theme::Light), ("dark", Theme::Dark)] {
                    let stem = format!("{name}-{weeks}w-{size_name}-{theme_name}");
                    let png = render_png(&chart, size, theme, 1).map_err(std::io::Error::other)?;
                    std::fs::write(dir.join(format!("{stem}.png")), png)?;
                    let svg = render_svg(&chart, size, theme).map_err(std::io::Error::other)?;
                    std::fs::write(dir.join(format!("{stem}.svg")), svg)?;
                }
            }
            let png = render_png(&chart, ChartSize::new(600, 300), Theme::Light, 2)
                .map_err(std::io::Error::other)?;
            std::fs::write(dir.join(format!("{name}-{weeks}w-600x300@2x.png")), png)?;
        }
    }
    // A crowded case: many queues with long names, milestones close together.
    if let Some((_, Chart::QueueConsolidation(mut q))) = sample_charts(16).into_iter().next() {
        for i in 0..7 {
            q.queues.push(QueueSeries {
                name: format!("Regional SOC queue number {i} with a long name"),
                primary: false,
                items: (0..16).map(|w| ((w * 7 + i * 13) % 23) as u64).collect(),
            });
        }
        let at = |d: u64| q.weeks[0] + Days::new(d);
        q.milestones = [
            (30, "Configure AutoIR capabilities"),
            (33, "Connect Defender for Cloud to Defender XDR"),
            (36, "Retire the Splunk queue"),
            (40, "Train your SecOps staff"),
            (41, "Go live"),
            (105, "Review"),
        ]
        .into_iter()
        .map(|(d, label)| Milestone {
            label: label.into(),
            at: at(d),
        })
        .collect();
        let chart = Chart::QueueConsolidation(q);
        for (size_name, size) in [
            ("600x300", ChartSize::new(600, 300)),
            ("1200x600", ChartSize::new(1200, 600)),
            ("small", ChartSize::new(360, 140)),
        ] {
            let png = render_png(&chart, size, Theme::Light, 1).map_err(std::io::Error::other)?;
            std::fs::write(dir.join(format!("crowded-{size_name}.png")), png)?;
        }
    }
    let empty = Chart::Timing(TimingChart {
        title: "Time to triage".into(),
        weeks: vec![],
        median_s: vec![],
        p90_s: vec![],
        n: vec![],
        milestones: vec![],
        approximate: false,
    });
    let png = render_png(&empty, ChartSize::new(600, 300), Theme::Light, 1)
        .map_err(std::io::Error::other)?;
    std::fs::write(dir.join("empty-600x300.png"), png)?;
    Ok(())
}

/// A small deterministic generator (no data files needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Realistic charts over `weeks` weeks: three queues consolidating onto one, triage getting
/// faster after AutoIR, automation rising, the plan burning up.
fn sample_charts(weeks: usize) -> Vec<(&'static str, Chart)> {
    let start = NaiveDate::from_ymd_opt(2026, 3, 2).expect("valid date");
    let week_dates: Vec<NaiveDate> = (0..weeks)
        .map(|i| start + Days::new(7 * i as u64))
        .collect();
    let at = |frac: f64| start + Days::new(((weeks as f64 * frac) as u64) * 7);
    let milestones = vec![
        Milestone {
            label: "Configure AutoIR capabilities".into(),
            at: at(0.3),
        },
        Milestone {
            label: "Connect Defender for Cloud to Defender XDR".into(),
            at: at(0.4),
        },
        Milestone {
            label: "Train your SecOps staff".into(),
            at: at(0.75),
        },
    ];
    let mut rng = Lcg(42);
    let cut = |frac: f64, i: usize| (i as f64) >= weeks as f64 * frac;

    let mut xdr = vec![];
    let mut sentinel = vec![];
    let mut cloud = vec![];
    let mut active = vec![];
    for i in 0..weeks {
        let base = 140.0 + 30.0 * rng.next();
        let moved_sentinel = cut(0.45, i);
        let moved_cloud = cut(0.4, i);
        xdr.push((base * if moved_sentinel { 1.0 } else { 0.45 }) as u64);
        sentinel.push(if moved_sentinel {
            (8.0 * rng.next()) as u64 * u64::from(i < weeks * 6 / 10)
        } else {
            (base * 0.35) as u64
        });
        cloud.push(if moved_cloud { 0 } else { (base * 0.2) as u64 });
        active.push(1 + u32::from(sentinel[i] > 0) + u32::from(cloud[i] > 0));
    }
    let queue = Chart::QueueConsolidation(QueueConsolidation {
        title: "Queue consolidation".into(),
        weeks: week_dates.clone(),
        queues: vec![
            QueueSeries {
                name: "Defender XDR".into(),
                primary: true,
                items: xdr,
            },
            QueueSeries {
                name: "Microsoft Sentinel".into(),
                primary: false,
                items: sentinel,
            },
            QueueSeries {
                name: "Defender for Cloud".into(),
                primary: false,
                items: cloud,
            },
        ],
        active_queues: active,
        target: Some(1),
        milestones: milestones.clone(),
    });

    let mut median = vec![];
    let mut p90 = vec![];
    let mut n = vec![];
    for i in 0..weeks {
        let after = cut(0.3, i);
        let m = if after { 1.5 } else { 9.0 } * 3600.0 * (0.85 + 0.3 * rng.next());
        let gap = i == weeks / 2 + 1;
        median.push((!gap).then_some(m));
        p90.push((!gap).then_some(m * (2.6 + 0.6 * rng.next())));
        n.push(if gap {
            0
        } else {
            85 + (15.0 * rng.next()) as u64
        });
    }
    let timing = Chart::Timing(TimingChart {
        title: "Time to triage".into(),
        weeks: week_dates.clone(),
        median_s: median,
        p90_s: p90,
        n: n.clone(),
        milestones: milestones.clone(),
        approximate: false,
    });

    let share = Chart::Share(ShareChart {
        title: "Closed by automation".into(),
        weeks: week_dates.clone(),
        share: (0..weeks)
            .map(|i| Some(if cut(0.3, i) { 0.41 } else { 0.08 } + 0.04 * rng.next()))
            .collect(),
        n: n.iter().map(|v| v * 7 / 10).collect(),
        milestones: milestones.clone(),
    });

    let total = 12u32;
    let burn = Chart::BurnUp(BurnUp {
        title: "Plan burn-up".into(),
        dates: week_dates.clone(),
        done: (0..weeks)
            .map(|i| ((i as f64 / weeks as f64) * 8.0).round() as u32)
            .collect(),
        total: (0..weeks)
            .map(|i| if i < weeks / 4 { 10 } else { total })
            .collect(),
        milestones: milestones.clone(),
    });
    vec![
        ("queue-consolidation", queue),
        ("time-to-triage", timing),
        ("automated-share", share),
        ("burn-up", burn),
    ]
}
