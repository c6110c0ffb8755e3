//! The chart renderer, black-box: every kind renders as SVG and PNG, milestones are labelled,
//! gaps stay gaps, hostile text is escaped, empty input says so, and every chart states its
//! data range and n.

use chrono::{Days, NaiveDate};
use streamline::charts::{
    render_png, render_svg, BurnUp, Chart, ChartError, ChartSize, Milestone, QueueConsolidation,
    QueueSeries, ShareChart, Theme, TimingChart,
};

const SIZE: ChartSize = ChartSize::new(600, 300);
const PRIMARY: &str = "#0072B2";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn weeks(start: NaiveDate, n: usize) -> Vec<NaiveDate> {
    (0..n).map(|i| start + Days::new(7 * i as u64)).collect()
}

fn milestones() -> Vec<Milestone> {
    vec![
        Milestone {
            label: "AutoIR on".into(),
            at: date(2025, 6, 23),
        },
        Milestone {
            label: "Sentinel retired".into(),
            at: date(2025, 7, 28),
        },
    ]
}

fn queue_chart() -> QueueConsolidation {
    let w = weeks(date(2025, 6, 2), 12);
    QueueConsolidation {
        title: "Queue consolidation".into(),
        queues: vec![
            QueueSeries {
                name: "Microsoft Sentinel".into(),
                primary: false,
                items: (0..12).map(|i| 60u64.saturating_sub(i * 6)).collect(),
            },
            QueueSeries {
                name: "Defender XDR".into(),
                primary: true,
                items: (0..12).map(|i| 80 + i * 5).collect(),
            },
        ],
        active_queues: (0..12).map(|i| if i < 8 { 2 } else { 1 }).collect(),
        target: Some(1),
        milestones: milestones(),
        weeks: w,
    }
}

fn timing_chart() -> TimingChart {
    let w = weeks(date(2025, 6, 2), 12);
    TimingChart {
        title: "Time to triage".into(),
        median_s: (0..12)
            .map(|i| Some(3600.0 * (9.0 - i as f64 * 0.6)))
            .collect(),
        p90_s: (0..12).map(|i| Some(3600.0 * (20.0 - i as f64))).collect(),
        n: vec![200; 12],
        milestones: milestones(),
        weeks: w,
        approximate: false,
    }
}

fn share_chart() -> ShareChart {
    let w = weeks(date(2025, 6, 2), 12);
    ShareChart {
        title: "Closed by automation".into(),
        share: (0..12).map(|i| Some(0.05 + i as f64 * 0.03)).collect(),
        n: vec![90; 12],
        milestones: milestones(),
        weeks: w,
    }
}

fn burn_up() -> BurnUp {
    let w = weeks(date(2025, 6, 2), 12);
    BurnUp {
        title: "Plan burn-up".into(),
        done: (0..12).map(|i| i as u32 / 2).collect(),
        total: vec![12; 12],
        milestones: milestones(),
        dates: w,
    }
}

fn all_charts() -> Vec<(&'static str, Chart)> {
    vec![
        ("queue", Chart::QueueConsolidation(queue_chart())),
        ("timing", Chart::Timing(timing_chart())),
        ("share", Chart::Share(share_chart())),
        ("burn-up", Chart::BurnUp(burn_up())),
    ]
}

/// The SVG's text elements as (attributes, unescaped content).
fn texts(svg: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        let after = &rest[start + 6..];
        let close = after.find('>').expect("text tag closes");
        let attrs = after[..close].to_string();
        let body = &after[close + 1..];
        let end = body.find("</text>").expect("text element ends");
        out.push((attrs, unescape(body[..end].trim())));
        rest = &body[end..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let padded_start = if tag.starts_with(&key[1..]) {
        Some(0)
    } else {
        tag.find(&key).map(|i| i + 1)
    };
    let start = padded_start? + key.len() - 1;
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

/// Every `<polyline>` tag with its stroke colour and points.
fn polylines(svg: &str) -> Vec<(String, Vec<(i32, i32)>)> {
    svg.match_indices("<polyline ")
        .map(|(i, _)| {
            let tag = &svg[i..i + svg[i..].find("/>").expect("polyline closes")];
            let stroke = attr(tag, "stroke").unwrap_or_default().to_string();
            let points = attr(tag, "points")
                .unwrap_or_default()
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect();
            (stroke, points)
        })
        .collect()
}

fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("PNG header decodes");
    let mut buf = vec![0; reader.output_buffer_size().expect("buffer size")];
    let info = reader.next_frame(&mut buf).expect("PNG frame decodes");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn every_kind_renders_as_svg_and_png_at_the_asked_size() {
    for (name, chart) in all_charts() {
        for theme in [Theme::Light, Theme::Dark] {
            let svg = render_svg(&chart, SIZE, theme).expect("SVG renders");
            assert!(
                svg.starts_with("<svg width=\"600\" height=\"300\" viewBox=\"0 0 600 300\""),
                "{name}: an SVG document of the asked size, got {}",
                &svg[..svg.len().min(120)]
            );
            assert!(
                svg.trim_end().ends_with("</svg>"),
                "{name}: SVG is complete"
            );

            let (w, h, _) = decode_png(&render_png(&chart, SIZE, theme, 1).expect("PNG renders"));
            assert_eq!((w, h), (600, 300), "{name}: PNG at 1× is the asked size");
            let (w, h, _) = decode_png(&render_png(&chart, SIZE, theme, 2).expect("PNG renders"));
            assert_eq!((w, h), (1200, 600), "{name}: PNG at 2× doubles both sides");
        }
        let small = ChartSize::new(360, 140);
        let svg = render_svg(&chart, small, Theme::Light).expect("small SVG renders");
        assert!(
            svg.contains("No data") || svg.contains("<polyline"),
            "{name}: the small variant draws the chart"
        );
    }
}

#[test]
fn milestones_are_labelled_on_every_chart() {
    for (name, chart) in all_charts() {
        let svg = render_svg(&chart, SIZE, Theme::Light).expect("SVG renders");
        let labels: Vec<String> = texts(&svg).into_iter().map(|(_, t)| t).collect();
        for m in ["AutoIR on", "Sentinel retired"] {
            assert!(
                labels.iter().any(|l| l == m),
                "{name}: milestone {m:?} is a text label; labels were {labels:?}"
            );
        }
        let marker_lines = polylines(&svg)
            .into_iter()
            .filter(|(stroke, pts)| stroke == "#CC79A7" && pts.len() == 2 && pts[0].0 == pts[1].0)
            .count();
        assert_eq!(
            marker_lines, 2,
            "{name}: each milestone is one vertical line in the milestone colour"
        );
    }
}

#[test]
fn milestones_outside_the_data_are_not_drawn() {
    let mut chart = timing_chart();
    chart.milestones.push(Milestone {
        label: "Long before".into(),
        at: date(2024, 1, 1),
    });
    let svg = render_svg(&Chart::Timing(chart), SIZE, Theme::Light).expect("SVG renders");
    assert!(
        !texts(&svg).iter().any(|(_, t)| t == "Long before"),
        "a milestone before the first week has no place on the x axis"
    );
}

#[test]
fn crowded_milestones_are_staggered_or_shortened() {
    let mut chart = timing_chart();
    chart.milestones = vec![
        Milestone {
            label: "Configure AutoIR capabilities".into(),
            at: date(2025, 6, 23),
        },
        Milestone {
            label: "Connect Defender for Cloud to Defender XDR".into(),
            at: date(2025, 6, 24),
        },
    ];
    let svg = render_svg(&Chart::Timing(chart), SIZE, Theme::Light).expect("SVG renders");
    let found: Vec<(String, String)> = texts(&svg)
        .into_iter()
        .filter(|(_, t)| t.starts_with("Configure") || t.starts_with("Connect"))
        .collect();
    assert_eq!(found.len(), 2, "both milestones keep a label: {found:?}");
    let y0 = attr(&found[0].0, "y");
    let y1 = attr(&found[1].0, "y");
    assert!(
        y0 != y1 || found.iter().any(|(_, t)| t.ends_with('…')),
        "labels one day apart sit on different rows (or one is shortened): {found:?}"
    );
}

#[test]
fn weeks_without_data_are_gaps_not_zeros() {
    let mut chart = timing_chart();
    chart.median_s = vec![
        Some(7200.0),
        Some(7000.0),
        Some(6800.0),
        None,
        Some(3600.0),
        Some(3500.0),
        Some(3400.0),
        None,
        None,
        Some(3000.0),
        None,
        Some(2900.0),
    ];
    chart.n[3] = 0;
    let svg = render_svg(&Chart::Timing(chart), SIZE, Theme::Light).expect("SVG renders");

    // The median line (in the primary blue) breaks at each None: runs of 3 weeks are polylines
    // of 3 points; the legend's swatch is the only 2-point blue line.
    let median_runs: Vec<Vec<(i32, i32)>> = polylines(&svg)
        .into_iter()
        .filter(|(stroke, pts)| stroke == PRIMARY && pts.len() > 2)
        .map(|(_, pts)| pts)
        .collect();
    assert_eq!(
        median_runs.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![3, 3],
        "two runs of three weeks, split where the week has no data"
    );
    // Weeks standing alone (10th and 12th) are dots, not lines to zero.
    let dots = svg
        .match_indices("<circle ")
        .filter(|(i, _)| {
            svg[*i..]
                .split("/>")
                .next()
                .is_some_and(|t| t.contains(PRIMARY))
        })
        .count();
    assert_eq!(dots, 2, "an isolated week is drawn as a dot");

    // No median point sits on the zero line.
    let zero_y: i32 = texts(&svg)
        .iter()
        .find(|(_, t)| t == "0 h" || t == "0 min")
        .and_then(|(a, _)| attr(a, "y"))
        .expect("a zero tick label")
        .parse()
        .expect("y is a number");
    assert!(
        median_runs.iter().flatten().all(|&(_, y)| y != zero_y),
        "a week without data is never drawn as zero (zero line at y={zero_y}): {median_runs:?}"
    );
}

#[test]
fn share_gaps_are_gaps_too() {
    let mut chart = share_chart();
    chart.share[5] = None;
    chart.share[6] = Some(f64::NAN);
    let svg = render_svg(&Chart::Share(chart), SIZE, Theme::Light).expect("SVG renders");
    let runs: Vec<usize> = polylines(&svg)
        .into_iter()
        .filter(|(stroke, pts)| stroke == "#009E73" && pts.len() > 2)
        .map(|(_, pts)| pts.len())
        .collect();
    assert_eq!(
        runs,
        vec![5, 5],
        "None and NaN both break the line (weeks 0–4 and 7–11)"
    );
}

#[test]
fn hostile_text_is_escaped() {
    let img = "<img src=x onerror=alert(1)>";
    let script = "\"><script>alert(1)</script>";
    let mut q = queue_chart();
    q.title = "<svg onload=alert(1)>".into();
    q.queues[0].name = img.into();
    q.queues.push(QueueSeries {
        name: script.into(),
        primary: false,
        items: vec![3; 12],
    });
    q.milestones[0].label = "</text><script>alert('m')</script>".into();
    let mut t = timing_chart();
    t.title = script.into();
    t.milestones[1].label = img.into();

    for chart in [Chart::QueueConsolidation(q), Chart::Timing(t)] {
        let svg = render_svg(&chart, SIZE, Theme::Light).expect("SVG renders");
        for bad in ["<img", "<script", "<svg onload", "</script"] {
            assert!(!svg.contains(bad), "{bad:?} must not appear unescaped");
        }
        // Structure: only the elements plotters draws, one <svg> root.
        for (i, _) in svg.match_indices('<') {
            let tag = &svg[i..];
            assert!(
                [
                    "<svg ",
                    "</svg>",
                    "<text ",
                    "</text>",
                    "<polyline ",
                    "<rect ",
                    "<circle ",
                    "<polygon ",
                    "<line "
                ]
                .iter()
                .any(|t| tag.starts_with(t)),
                "unexpected markup at {:?}",
                &tag[..tag.len().min(40)]
            );
        }
        assert_eq!(svg.matches("<svg ").count(), 1, "exactly one svg element");
        let shown: Vec<String> = texts(&svg).into_iter().map(|(_, t)| t).collect();
        assert!(
            shown
                .iter()
                .any(|t| t.contains("<img src=x") || t.contains("\"><script>")),
            "the hostile text is still shown, as text: {shown:?}"
        );
    }
}

#[test]
fn svg_is_self_contained_and_needs_no_inline_style() {
    for (name, chart) in all_charts() {
        for theme in [Theme::Light, Theme::Dark] {
            let svg = render_svg(&chart, SIZE, theme).expect("SVG renders");
            assert!(
                !svg.contains("<style"),
                "{name}: no <style> element (CSP style-src)"
            );
            assert!(
                !svg.contains("style="),
                "{name}: no style= attributes (CSP style-src)"
            );
            for external in [
                "href",
                "url(",
                "<image",
                "@import",
                "<script",
                "<foreignObject",
            ] {
                assert!(
                    !svg.contains(external),
                    "{name}: no external reference ({external})"
                );
            }
        }
    }
}

#[test]
fn empty_input_draws_a_no_data_chart() {
    let empty = |w: Vec<NaiveDate>| {
        let n = w.len();
        vec![
            Chart::QueueConsolidation(QueueConsolidation {
                title: "Queue consolidation".into(),
                weeks: w.clone(),
                queues: vec![],
                active_queues: vec![],
                target: None,
                milestones: milestones(),
            }),
            Chart::Timing(TimingChart {
                title: "Time to triage".into(),
                weeks: w.clone(),
                median_s: vec![None; n],
                p90_s: vec![None; n],
                n: vec![0; n],
                milestones: milestones(),
                approximate: false,
            }),
            Chart::Share(ShareChart {
                title: String::new(),
                weeks: w.clone(),
                share: vec![None; n],
                n: vec![0; n],
                milestones: vec![],
            }),
            Chart::BurnUp(BurnUp {
                title: String::new(),
                dates: w.clone(),
                done: vec![0; n],
                total: vec![0; n],
                milestones: vec![],
            }),
        ]
    };
    for chart in empty(vec![])
        .into_iter()
        .chain(empty(weeks(date(2025, 6, 2), 4)))
    {
        let svg = render_svg(&chart, SIZE, Theme::Light).expect("empty data is not an error");
        assert!(
            texts(&svg)
                .iter()
                .any(|(_, t)| t == "No data for this period"),
            "no weeks or no figure says so: {chart:?}"
        );
        let (w, h, _) = decode_png(&render_png(&chart, SIZE, Theme::Dark, 2).expect("PNG renders"));
        assert_eq!((w, h), (1200, 600), "the no-data PNG has the asked size");
    }
    // A period without figures still states its range and n = 0.
    let svg =
        render_svg(&empty(weeks(date(2025, 6, 2), 4))[1], SIZE, Theme::Light).expect("renders");
    assert!(
        texts(&svg)
            .iter()
            .any(|(_, t)| t == "Jun 2 – Jun 29, 2025 · n = 0"),
        "the empty period's range and n are stated"
    );
}

#[test]
fn every_chart_states_its_data_range_and_n() {
    let mut t = timing_chart();
    t.n = vec![200; 12];
    t.n[0] = 231; // 11 × 200 + 231 = 2,431
    let svg = render_svg(&Chart::Timing(t), SIZE, Theme::Light).expect("SVG renders");
    let shown: Vec<String> = texts(&svg).into_iter().map(|(_, t)| t).collect();
    assert!(
        shown
            .iter()
            .any(|t| t == "Jun 2 – Aug 24, 2025 · n = 2,431"),
        "12 weeks from Mon Jun 2 end on Sun Aug 24; n is the sum of n: {shown:?}"
    );

    let expected = [
        ("queue", "Jun 2 – Aug 24, 2025 · n = "),
        ("share", "Jun 2 – Aug 24, 2025 · n = 1,080"),
        ("burn-up", "Jun 2 – Aug 24, 2025 · 5 of 12 steps done"),
    ];
    for ((name, chart), (_, caption)) in all_charts()
        .into_iter()
        .filter(|(n, _)| *n != "timing")
        .zip(expected)
    {
        let svg = render_svg(&chart, SIZE, Theme::Light).expect("SVG renders");
        assert!(
            texts(&svg).iter().any(|(_, t)| t.starts_with(caption)),
            "{name}: caption starts {caption:?}"
        );
    }
}

#[test]
fn durations_are_written_in_a_unit_a_person_reads() {
    let mut minutes = timing_chart();
    minutes.median_s = vec![Some(20.0 * 60.0); 12];
    minutes.p90_s = vec![Some(50.0 * 60.0); 12];
    let svg = render_svg(&Chart::Timing(minutes), SIZE, Theme::Light).expect("renders");
    assert!(
        texts(&svg).iter().any(|(_, t)| t.ends_with(" min")),
        "50 minutes at most: the axis is in minutes"
    );
    let svg = render_svg(&Chart::Timing(timing_chart()), SIZE, Theme::Light).expect("renders");
    assert!(
        texts(&svg).iter().any(|(_, t)| t == "10 h"),
        "up to 20 hours: the axis is in hours"
    );
    let mut days = timing_chart();
    days.p90_s = vec![Some(6.0 * 86400.0); 12];
    let svg = render_svg(&Chart::Timing(days), SIZE, Theme::Light).expect("renders");
    assert!(
        texts(&svg).iter().any(|(_, t)| t.ends_with(" d")),
        "six days: the axis is in days"
    );
}

#[test]
fn the_primary_queue_is_blue_and_at_the_bottom_of_the_stack() {
    let svg = render_svg(
        &Chart::QueueConsolidation(queue_chart()),
        SIZE,
        Theme::Light,
    )
    .expect("renders");
    let zero_y: i32 = texts(&svg)
        .iter()
        .find(|(_, t)| t == "0")
        .and_then(|(a, _)| attr(a, "y"))
        .expect("a zero tick label")
        .parse()
        .expect("number");
    let blue_rects: Vec<(i32, i32)> = svg
        .match_indices("<rect ")
        .map(|(i, _)| &svg[i..i + svg[i..].find("/>").expect("rect closes")])
        .filter(|tag| attr(tag, "fill") == Some(PRIMARY))
        .map(|tag| {
            let y: i32 = attr(tag, "y").expect("y").parse().expect("y");
            let h: i32 = attr(tag, "height").expect("h").parse().expect("h");
            (y, y + h)
        })
        .collect();
    let bars: Vec<&(i32, i32)> = blue_rects.iter().filter(|(y0, y1)| y1 - y0 > 12).collect();
    assert_eq!(bars.len(), 12, "one primary bar per week: {blue_rects:?}");
    assert!(
        bars.iter().all(|(_, bottom)| (bottom - zero_y).abs() <= 1),
        "the primary queue (listed second) stands on the zero line: {bars:?} vs {zero_y}"
    );
    let legend: Vec<String> = texts(&svg).into_iter().map(|(_, t)| t).collect();
    assert!(
        legend.iter().any(|t| t == "Defender XDR (primary)"),
        "{legend:?}"
    );
    assert!(legend.iter().any(|t| t == "Target (1)"), "{legend:?}");
}

#[test]
fn the_dark_theme_has_light_text_and_a_dark_png() {
    let chart = Chart::Timing(timing_chart());
    let svg = render_svg(&chart, SIZE, Theme::Dark).expect("renders");
    assert!(svg.contains("fill=\"#E4E7EB\""), "dark theme text is light");
    assert!(
        !svg.contains("fill=\"#1F2933\""),
        "no light-theme text colour"
    );
    let (_, _, light) = decode_png(&render_png(&chart, SIZE, Theme::Light, 1).expect("PNG"));
    let (_, _, dark) = decode_png(&render_png(&chart, SIZE, Theme::Dark, 1).expect("PNG"));
    assert_eq!(&light[..3], &[255, 255, 255], "light PNG on white");
    assert!(dark[..3].iter().all(|&c| c < 64), "dark PNG on a dark grey");
}

#[test]
fn png_text_is_drawn_with_the_embedded_font() {
    // The title sits in the top-left corner: without a font there would be only background.
    let chart = Chart::Timing(timing_chart());
    let (w, _, px) = decode_png(&render_png(&chart, SIZE, Theme::Light, 1).expect("PNG"));
    let dark_pixels = (4..24)
        .flat_map(|y| (4..120).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let i = (y * w as usize + x) * 3;
            px[i..i + 3].iter().all(|&c| c < 128)
        })
        .count();
    assert!(
        dark_pixels > 100,
        "the title's glyphs are drawn in dark ink ({dark_pixels} dark pixels)"
    );
}

#[test]
fn inconsistent_input_is_an_error_not_a_wrong_chart() {
    let mut t = timing_chart();
    t.p90_s.pop();
    assert!(
        matches!(
            render_svg(&Chart::Timing(t), SIZE, Theme::Light),
            Err(ChartError::LengthMismatch { .. })
        ),
        "a series shorter than the weeks is refused"
    );
    let mut b = burn_up();
    b.dates.swap(2, 3);
    assert!(
        matches!(
            render_svg(&Chart::BurnUp(b), SIZE, Theme::Light),
            Err(ChartError::DatesNotAscending(_))
        ),
        "dates out of order are refused"
    );
    let chart = Chart::Share(share_chart());
    assert!(matches!(
        render_svg(&chart, ChartSize::new(10, 10), Theme::Light),
        Err(ChartError::InvalidSize { .. })
    ));
    assert!(matches!(
        render_png(&chart, SIZE, Theme::Light, 0),
        Err(ChartError::InvalidScale(0))
    ));
    assert!(
        matches!(
            render_png(&chart, ChartSize::new(4000, 300), Theme::Light, 2),
            Err(ChartError::InvalidSize { .. })
        ),
        "a PNG larger than the limit once scaled is refused before allocating it"
    );
}

#[test]
fn charts_cross_ipc_as_tagged_json() {
    let chart = Chart::Timing(timing_chart());
    let json = serde_json::to_value(&chart).expect("serializes");
    assert_eq!(json["kind"], "timing", "the kind tag names the chart");
    assert_eq!(json["weeks"][0], "2025-06-02", "dates are ISO");
    let back: Chart = serde_json::from_value(json).expect("deserializes");
    assert_eq!(back, chart);
    let theme: Theme = serde_json::from_str("\"dark\"").expect("theme from JSON");
    assert_eq!(theme, Theme::Dark);
}

#[test]
fn the_small_variant_writes_fewer_labels() {
    let chart = Chart::Timing(timing_chart());
    let count_dates = |svg: &str| {
        texts(svg)
            .iter()
            .filter(|(_, t)| {
                t.len() <= 6 && ["Jun ", "Jul ", "Aug "].iter().any(|m| t.starts_with(m))
            })
            .count()
    };
    let big = render_svg(&chart, ChartSize::new(1200, 600), Theme::Light).expect("renders");
    let small = render_svg(&chart, ChartSize::new(360, 140), Theme::Light).expect("renders");
    assert!(
        count_dates(&small) < count_dates(&big),
        "small: {} date labels, big: {}",
        count_dates(&small),
        count_dates(&big)
    );
}

/// Writes sample PNGs to /tmp/charts for a person to look at:
/// `cargo test -p streamline --test charts -- --ignored`.
#[test]
#[ignore]
fn write_samples_for_review() {
    std::fs::create_dir_all("/tmp/charts").expect("folder");
    for (name, chart) in all_charts() {
        for (size_name, size) in [("600x300", SIZE), ("1200x600", ChartSize::new(1200, 600))] {
            let png = render_png(&chart, size, Theme::Light, 1).expect("renders");
            std::fs::write(format!("/tmp/charts/test-{name}-{size_name}.png"), png).expect("write");
        }
    }
}

#[test]
fn a_timing_chart_from_aggregates_says_its_percentiles_are_estimates() {
    let exact = render_svg(
        &Chart::Timing(timing_chart()),
        ChartSize::new(640, 320),
        Theme::Light,
    )
    .unwrap();
    let estimated = render_svg(
        &Chart::Timing(TimingChart {
            approximate: true,
            ..timing_chart()
        }),
        ChartSize::new(640, 320),
        Theme::Light,
    )
    .unwrap();
    assert!(
        estimated.contains("≈ percentiles from aggregates, ±12%"),
        "the caption says the percentiles come from buckets"
    );
    assert!(!exact.contains('≈'), "exact percentiles are not marked");
}
