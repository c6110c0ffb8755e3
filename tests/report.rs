//! Status reports: every format rendered from a fixed database and read back as a reader would
//! (the PDF through poppler's `pdftotext`, the HTML parsed as a document), hostile text from the
//! data and the plan inert in each, and "since the last report" after a change.
//!
//! The PDF checks need poppler-utils (`pdftotext`, `pdfinfo`), which `make test` installs.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rusqlite::Connection;
use scraper::{Html, Selector};
use streamline::import::{self, ImportOptions, QueueRule};
use streamline::plan::{self, AccountabilityEdit, Stamp, StepEdit, StepStatus};
use streamline::report::{
    self, Audience, Format, Paper, Period, Report, ReportOptions, WriteOptions,
};
use streamline::{demo, store};

const HOSTILE_HTML: &str = "<img src=x onerror=alert(1)>";
const HOSTILE_FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 18, 10, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    now().date_naive()
}

fn stamp(at: DateTime<Utc>) -> Stamp<'static> {
    Stamp {
        now: at,
        today: at.date_naive(),
        source: "test",
    }
}

fn options(at: DateTime<Utc>, audience: Audience) -> ReportOptions {
    ReportOptions {
        from: None,
        to: None,
        audience,
        author: "Dana Reyes".to_owned(),
        now: at,
        tz: chrono_tz::UTC,
        weeks_each_side: 4,
    }
}

/// The sample's exports go through a temporary folder named after the process and "now":
/// tests in one process with the same fixed "now" load it one at a time.
static DEMO_LOADING: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn load_demo(conn: &mut Connection) {
    let _one_at_a_time = DEMO_LOADING.lock().unwrap_or_else(|e| e.into_inner());
    demo::load_demo(conn, now(), today()).expect("the sample data loads");
}

fn demo_db(dir: &Path) -> Connection {
    let mut conn = store::open(&dir.join("streamline.db")).expect("a new database opens");
    load_demo(&mut conn);
    conn
}

fn all_formats(paper: Paper) -> WriteOptions {
    WriteOptions {
        formats: Format::ALL.to_vec(),
        paper,
    }
}

/// The PDF's text as poppler extracts it (what a reader can select and search).
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    assert!(out.status.success(), "pdftotext reads the PDF: {out:?}");
    String::from_utf8(out.stdout).expect("pdftotext writes UTF-8")
}

fn pdf_info(path: &Path) -> String {
    let out = Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo runs (apt-get install poppler-utils)");
    assert!(out.status.success(), "pdfinfo reads the PDF: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn file_with(files: &[PathBuf], ending: &str) -> PathBuf {
    files
        .iter()
        .find(|f| f.to_string_lossy().ends_with(ending))
        .unwrap_or_else(|| panic!("a {ending} file among {files:?}"))
        .clone()
}

fn select(doc: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("a valid selector");
    doc.select(&selector)
        .map(|e| e.text().collect::<String>())
        .collect()
}

/// Collapses whitespace, as `pdftotext` breaks lines where the PDF wraps them.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_format_renders_the_sample_data_with_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let conn = demo_db(dir.path());
    let built =
        report::build(&conn, &options(now(), Audience::Program)).expect("the report builds");

    // The model a live preview shows.
    assert_eq!(built.header.program_name, "Streamline response");
    assert_eq!(built.header.author, "Dana Reyes");
    assert_eq!(built.header.generated_at, now());
    assert_eq!(built.charts.len(), 5, "the dashboard's five charts");
    assert!(
        built
            .summary
            .verdicts
            .iter()
            .any(|v| !v.sentences.is_empty()),
        "the sample's milestones give before/after sentences"
    );
    assert!(
        built.objectives.iter().all(|o| !o.steps.is_empty()),
        "the program audience lists every step"
    );
    assert!(built.changes.since.is_none(), "nothing was issued before");
    serde_json::to_string(&built).expect("the model serialises for the app's preview");

    let out = dir.path().join("out");
    let files = report::write(&built, &out, &all_formats(Paper::A4)).expect("every format writes");
    // PDF, HTML, Markdown, and the five charts as PNG (for the Markdown and for slides).
    assert_eq!(files.len(), 3 + 5, "{files:?}");

    // PDF: A4, several pages, the text selectable and in the order a reader expects.
    let pdf = file_with(&files, ".pdf");
    let info = pdf_info(&pdf);
    assert!(info.contains("595.28 x 841.89"), "an A4 page: {info}");
    let text = words(&pdf_text(&pdf));
    for expected in [
        "STATUS REPORT",
        "Streamline response",
        "Executive summary",
        "Median time to triage",
        "Plan by objective",
        "Accountability",
        "Charts",
        "Queue consolidation",
        "Since the last report",
        "Data quality",
        "Appendix: metric definitions",
        "Page 1 of",
        "Dana Reyes",
    ] {
        assert!(text.contains(expected), "the PDF says {expected:?}");
    }
    let triage = &built.summary.figures[1];
    assert!(
        text.contains(&triage.value),
        "the PDF states the headline median {:?}",
        triage.value
    );
    let order: Vec<usize> = [
        "Executive summary",
        "Plan by objective",
        "Charts",
        "Data quality",
    ]
    .iter()
    .map(|h| text.find(h).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "sections in order");
    // Chart labels are text too (vector SVG with the embedded font), not pictures of text.
    assert!(text.contains("n = "), "the charts' captions are selectable");
    assert!(info.contains("Creator:") && info.contains("Streamline"));
    // Every font is embedded (subset) with a Unicode map: no font is looked up on the reader's
    // machine, and copied text is the text.
    let fonts = Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .expect("pdffonts runs");
    let fonts = String::from_utf8_lossy(&fonts.stdout).into_owned();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "the PDF has fonts: {fonts}");
    for row in rows {
        assert!(
            row.contains("DejaVuSans"),
            "only the embedded DejaVu Sans: {row}"
        );
        assert!(
            row.contains("yes yes yes"),
            "embedded, subset, Unicode-mapped: {row}"
        );
    }

    // Letter paper is a page size, not another layout.
    let letter = report::render_pdf(&built, Paper::Letter).expect("Letter renders");
    let letter_path = dir.path().join("letter.pdf");
    std::fs::write(&letter_path, letter).unwrap();
    assert!(
        pdf_info(&letter_path).contains("612 x 792"),
        "a Letter page"
    );

    // HTML: a document with every section, inline charts, and nothing that loads or runs.
    let html = std::fs::read_to_string(file_with(&files, ".html")).unwrap();
    let doc = Html::parse_document(&html);
    assert_eq!(select(&doc, "h1"), vec!["Streamline response".to_owned()]);
    for id in [
        "header",
        "summary",
        "plan",
        "accountability",
        "charts",
        "changes",
        "data-quality",
        "definitions",
    ] {
        assert_eq!(
            select(&doc, &format!("section#{id}, header#{id}")).len(),
            1,
            "#{id}"
        );
    }
    assert_eq!(
        select(&doc, "figure svg").len(),
        5,
        "five inline SVG charts"
    );
    assert_eq!(select(&doc, ".figure").len(), 4, "four headline figures");
    assert!(select(&doc, "script").is_empty(), "no script");
    let csp = Selector::parse("meta[http-equiv=Content-Security-Policy]").unwrap();
    let policy = doc
        .select(&csp)
        .next()
        .and_then(|m| m.value().attr("content"))
        .expect("a Content Security Policy");
    assert!(
        policy.contains("default-src 'none'"),
        "nothing loads: {policy}"
    );
    let every = Selector::parse("*").unwrap();
    for element in doc.select(&every) {
        for (name, value) in element.value().attrs() {
            assert!(
                !(matches!(name, "src" | "href") && value.contains("://")),
                "no network reference: {name}={value}"
            );
        }
    }
    let definitions = select(&doc, "#definitions dt");
    assert!(definitions.contains(&"Time to triage".to_owned()));

    // Markdown: the same sections, its charts beside it.
    let md = std::fs::read_to_string(file_with(&files, ".md")).unwrap();
    for heading in [
        "## Executive summary",
        "## Plan by objective",
        "## Accountability",
        "## Charts",
        "## Since the last report",
        "## Data quality",
        "## Appendix: metric definitions",
    ] {
        assert!(md.contains(heading), "the Markdown has {heading:?}");
    }
    for chart in &built.charts {
        let name = built.chart_file_name(chart);
        assert!(
            md.contains(&format!("]({name})")),
            "the Markdown links {name}"
        );
        let png = std::fs::read(out.join(&name)).expect("the chart's PNG is beside it");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name} is a PNG");
        // IHDR width: the slide size at 2×.
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        assert_eq!(
            width,
            report::SLIDE_CHART.width * report::PNG_SCALE,
            "{name} is 2×"
        );
    }
}

/// A database whose imported and plan text is hostile everywhere a report shows it.
fn hostile_db(dir: &Path) -> Connection {
    let mut conn = store::open(&dir.join("hostile.db")).unwrap();
    let at = now();
    // A queue name from the data: the Splunk export's queue.
    let mut rules = import::list_queue_rules(&conn).unwrap();
    for rule in rules.iter_mut().filter(|r| r.format == "splunk-es") {
        rule.queue = HOSTILE_HTML.to_owned();
    }
    rules.push(QueueRule {
        format: "thehive".to_owned(),
        signal: String::new(),
        queue: HOSTILE_FORMULA.to_owned(),
    });
    import::set_queue_rules(&mut conn, &rules).unwrap();
    // A file name from the user's disk.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let splunk = dir.join(format!("{HOSTILE_HTML}.csv"));
    std::fs::copy(fixtures.join("splunk_notables.csv"), &splunk).unwrap();
    let thehive = dir.join("thehive.json");
    std::fs::copy(fixtures.join("thehive_cases.json"), &thehive).unwrap();
    for file in [&splunk, &thehive] {
        import::import_file(&mut conn, file, &ImportOptions::default(), at, |_| {
            ControlFlow::Continue(())
        })
        .expect("the fixture imports");
    }
    // The plan: program name, a step's text and owner, a person's name.
    let s = stamp(at);
    plan::set_program_name(&mut conn, &format!("{HOSTILE_HTML} program"), &s).unwrap();
    plan::edit_step(
        &mut conn,
        "2b.4",
        &[
            StepEdit::Text(HOSTILE_FORMULA.to_owned()),
            StepEdit::OwnerPerson("@SUM(1+1)".to_owned()),
            StepEdit::Status(StepStatus::Blocked),
        ],
        &s,
    )
    .unwrap();
    plan::edit_step(
        &mut conn,
        "2b.3",
        &[StepEdit::Text(HOSTILE_HTML.to_owned())],
        &s,
    )
    .unwrap();
    plan::edit_accountability(
        &mut conn,
        "1",
        &[AccountabilityEdit::Person(HOSTILE_FORMULA.to_owned())],
        &s,
    )
    .unwrap();
    conn
}

fn hostile_report(dir: &Path) -> (Report, Vec<PathBuf>) {
    let conn = hostile_db(dir);
    let built = report::build(&conn, &options(now(), Audience::Program)).unwrap();
    assert!(
        built
            .data_quality
            .coverage
            .iter()
            .any(|q| q.queue == HOSTILE_HTML),
        "the hostile queue is in the report"
    );
    let files = report::write(&built, &dir.join("out"), &all_formats(Paper::A4)).unwrap();
    (built, files)
}

#[test]
fn hostile_text_stays_text_in_html() {
    let dir = tempfile::tempdir().unwrap();
    let (_, files) = hostile_report(dir.path());
    let html = std::fs::read_to_string(file_with(&files, ".html")).unwrap();
    let doc = Html::parse_document(&html);

    assert!(
        select(&doc, "img").is_empty(),
        "no <img> element came out of a title, queue, file or step"
    );
    let every = Selector::parse("*").unwrap();
    for element in doc.select(&every) {
        for (name, _) in element.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "no event handler attribute: {name}"
            );
        }
    }
    let body = select(&doc, "body").join(" ");
    assert!(
        body.contains(&format!("{HOSTILE_HTML} program")),
        "the program name reads as the characters typed"
    );
    assert!(body.contains(HOSTILE_HTML), "the step's text reads as text");
    // Table cells: what a spreadsheet would run as a formula starts with a quote.
    let cells = select(&doc, "td");
    assert!(!cells.is_empty());
    for cell in &cells {
        assert!(
            !cell.starts_with(['=', '+', '@', '\t', '\r']),
            "a cell that a spreadsheet would run: {cell:?}"
        );
    }
    assert!(
        cells.iter().any(|c| c == &format!("'{HOSTILE_FORMULA}")),
        "the formula is kept, neutralised"
    );
    assert!(
        cells.iter().any(|c| c.starts_with("'@SUM(1+1)")),
        "the owner, neutralised"
    );
    // The charts' legends show the hostile queue as text, inside the SVG.
    let legend = select(&doc, "#charts svg text").join(" ");
    assert!(
        legend.contains("<img"),
        "the queue name is the chart's text: {legend}"
    );
}

#[test]
fn hostile_text_stays_text_in_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let (_, files) = hostile_report(dir.path());
    let md = std::fs::read_to_string(file_with(&files, ".md")).unwrap();

    // A backslash before "<" makes it a literal character in CommonMark.
    let raw_tag = md
        .match_indices("<img")
        .find(|(i, _)| !md[..*i].ends_with('\\'))
        .map(|(i, _)| &md[i.saturating_sub(40)..i + 20]);
    assert!(
        raw_tag.is_none(),
        "no raw HTML tag in the Markdown: {raw_tag:?}"
    );
    assert!(
        md.contains("\\<img src=x onerror=alert(1)\\>"),
        "the title is escaped, not dropped"
    );
    assert!(!md.contains("http://evil"), "no autolink survives");
    for line in md.lines().filter(|l| l.starts_with('|')) {
        // Cells split on unescaped pipes.
        let mut cells = Vec::new();
        let mut cell = String::new();
        let mut escaped = false;
        for c in line.chars() {
            if c == '|' && !escaped {
                cells.push(std::mem::take(&mut cell));
            } else {
                cell.push(c);
            }
            escaped = c == '\\' && !escaped;
        }
        for cell in cells.iter().map(|c| c.trim()) {
            let raw = cell.trim_start_matches('\\');
            // The header separator row (---, --:) is the only cell allowed to start with "-".
            let separator = raw.starts_with("---") || raw.starts_with("--:");
            let formula = raw.starts_with(['=', '+', '@']) || (raw.starts_with('-') && !separator);
            assert!(
                !formula,
                "a Markdown cell a spreadsheet would run: {cell:?} in {line}"
            );
        }
    }
    assert!(
        md.contains("'=HYPERLINK"),
        "the formula is kept, neutralised"
    );
}

#[test]
fn hostile_text_stays_text_in_pdf_and_png() {
    let dir = tempfile::tempdir().unwrap();
    let (built, files) = hostile_report(dir.path());
    let text = words(&pdf_text(&file_with(&files, ".pdf")));
    assert!(
        text.contains(HOSTILE_HTML),
        "the PDF shows the characters as text"
    );
    assert!(text.contains("=HYPERLINK(\"http://evil.example\",\"click\")"));
    assert!(text.contains("@SUM(1+1)"));
    // The PNGs were drawn (the hostile legend did not stop them).
    for chart in &built.charts {
        let png = std::fs::read(dir.path().join("out").join(built.chart_file_name(chart))).unwrap();
        assert_eq!(&png[..4], b"\x89PNG");
    }
}

#[test]
fn the_second_report_says_what_changed_since_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = demo_db(dir.path());
    let first = report::build(&conn, &options(now(), Audience::Executive)).unwrap();
    assert!(first.summary.since_last.starts_with("First report issued"));
    let issued = report::issue(&conn, &first).expect("the first report is recorded");

    // A week later: a step done and a new export imported.
    let later = now() + Duration::days(7);
    let open_step = first
        .snapshot
        .steps
        .iter()
        .find(|s| s.status != StepStatus::Done)
        .expect("the sample leaves a step open")
        .reference
        .clone();
    plan::edit_step(
        &mut conn,
        &open_step,
        &[StepEdit::Status(StepStatus::Done)],
        &stamp(later),
    )
    .unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    import::import_file(
        &mut conn,
        &fixtures.join("splunk_notables.csv"),
        &ImportOptions::default(),
        later,
        |_| ControlFlow::Continue(()),
    )
    .expect("a new export imports");

    let second = report::build(&conn, &options(later, Audience::Executive)).unwrap();
    let changes = &second.changes;
    assert_eq!(
        changes.since,
        Some(issued.issued_at),
        "compared with the issued report"
    );
    assert_eq!(
        changes
            .steps_completed
            .iter()
            .map(|s| s.reference.as_str())
            .collect::<Vec<_>>(),
        vec![open_step.as_str()],
        "exactly the step done since"
    );
    assert!(
        changes
            .imports
            .iter()
            .any(|i| i.file_name == "splunk_notables.csv"),
        "the new import is listed: {:?}",
        changes.imports
    );
    assert!(
        changes
            .figures
            .iter()
            .any(|f| f.label == "Items in the period" && f.direction == "up"),
        "the new items moved a figure: {:?}",
        changes.figures
    );
    assert!(
        second.summary.since_last.contains("1 step done"),
        "{}",
        second.summary.since_last
    );

    // Every format shows it.
    let files = report::write(
        &second,
        &dir.path().join("second"),
        &all_formats(Paper::Letter),
    )
    .unwrap();
    let doc = Html::parse_document(&std::fs::read_to_string(file_with(&files, ".html")).unwrap());
    let section = select(&doc, "#changes").join(" ");
    assert!(section.contains("Steps completed") && section.contains(&open_step));
    assert!(section.contains("splunk_notables.csv"));
    let text = words(&pdf_text(&file_with(&files, ".pdf")));
    let since = &text[text
        .find("Since the last report Last report issued")
        .expect("the PDF's section")..];
    assert!(
        since.contains("Steps completed") && since.contains(&open_step),
        "{since}"
    );
    let md = std::fs::read_to_string(file_with(&files, ".md")).unwrap();
    assert!(md.contains("Steps completed:"));

    // The list of past reports.
    report::issue(&conn, &second).unwrap();
    let past = report::past_reports(&conn).unwrap();
    assert_eq!(past.len(), 2);
    assert_eq!(past[0].issued_at, later, "newest first");
    assert!(
        past[0].summary.contains("1 step done"),
        "{}",
        past[0].summary
    );
}

#[test]
fn a_period_limits_the_figures_and_is_read_as_from_to() {
    assert_eq!(
        Period::parse("2026-01-05..2026-02-01").unwrap(),
        (
            NaiveDate::from_ymd_opt(2026, 1, 5),
            NaiveDate::from_ymd_opt(2026, 2, 1)
        )
    );
    assert_eq!(
        Period::parse("..2026-02-01").unwrap().0,
        None,
        "an open start"
    );
    assert!(
        Period::parse("2026-02-01..2026-01-05").is_err(),
        "an empty period"
    );
    assert!(Period::parse("last week").is_err());

    let dir = tempfile::tempdir().unwrap();
    let conn = demo_db(dir.path());
    let whole = report::build(&conn, &options(now(), Audience::Executive)).unwrap();
    let first = whole.header.data_first.unwrap();
    let mut limited = options(now(), Audience::Executive);
    limited.from = Some(first);
    limited.to = Some(first + Duration::days(27));
    let part = report::build(&conn, &limited).unwrap();
    assert_eq!(
        part.header.period,
        Some(Period {
            from: first,
            to: first + Duration::days(27)
        })
    );
    assert!(
        part.data_quality.items < whole.data_quality.items,
        "fewer items in four weeks"
    );
    assert!(
        part.objectives.iter().all(|o| o.steps.is_empty()),
        "executives get no step tables"
    );
}

#[test]
fn the_cli_writes_the_formats_asked_for_and_issues_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    drop(demo_db_at(&db));
    let out = dir.path().join("report");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_streamline"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap()
    };
    let bad = run(&[
        "report",
        "--out",
        out.to_str().unwrap(),
        "--period",
        "2026-03-01..2026-01-01",
    ]);
    assert!(!bad.status.success(), "an empty period is refused");
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("empty"),
        "and says why"
    );
    assert!(!out.exists(), "nothing is written on failure");

    let ok = run(&[
        "report",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "pdf,html",
        "--tz",
        "UTC",
        "--author",
        "Jordan Blake",
        "--paper",
        "letter",
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let written: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 2, "only PDF and HTML: {written:?}");
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(stdout.contains("Issued as report 1"), "{stdout}");
    let conn = store::open(&db).unwrap();
    assert_eq!(
        report::past_reports(&conn).unwrap().len(),
        1,
        "the snapshot is stored"
    );
}

fn demo_db_at(path: &Path) -> Connection {
    let mut conn = store::open(path).unwrap();
    load_demo(&mut conn);
    conn
}
