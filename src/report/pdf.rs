//! The report as a PDF, written with krilla: text in the embedded DejaVu Sans (subset, so it
//! stays selectable and searchable), charts placed as vector SVG through krilla-svg, A4 or
//! Letter pages with a running footer and an outline of the sections.
//!
//! Layout is done here in two passes: the blocks are first laid out into pages of drawing
//! operations (so that the footer can say "page 2 of 5"), then the pages are drawn.

use ab_glyph::{Font as _, FontRef};
use chrono::{Datelike, Timelike};
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::metadata::{DateTime as PdfDate, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use krilla_svg::{SurfaceExt, SvgSettings};

use super::{Paper, Phrase as Span, Report, ReportError, StepLine};
use crate::metrics::Trend;
use crate::plan::Rag;
use crate::units;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The family the charts' SVG text asks for; DejaVu Sans answers it.
const SVG_FONT_FAMILY: &str = "DejaVu Sans";

const MARGIN_X: f32 = 48.0;
const MARGIN_TOP: f32 = 50.0;
const MARGIN_BOTTOM: f32 = 56.0;
const BODY: f32 = 9.5;
const SMALL: f32 = 8.0;
const LEADING: f32 = 1.38;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(u8, u8, u8);

const INK: Rgb = Rgb(0x1b, 0x1f, 0x24);
const MUTED: Rgb = Rgb(0x5b, 0x64, 0x70);
const RULE: Rgb = Rgb(0xd8, 0xdd, 0xe3);
const SHADE: Rgb = Rgb(0xf0, 0xf3, 0xf6);
const CALLOUT: Rgb = Rgb(0xee, 0xf5, 0xfb);
const ACCENT: Rgb = Rgb(0x00, 0x72, 0xB2);
const RED: Rgb = Rgb(0xD5, 0x5E, 0x00);
const AMBER: Rgb = Rgb(0xE6, 0x9F, 0x00);
const GREEN: Rgb = Rgb(0x00, 0x9E, 0x73);
const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);

fn rag_colour(rag: Rag) -> (Rgb, Rgb) {
    match rag {
        Rag::Red => (RED, WHITE),
        Rag::Amber => (AMBER, INK),
        Rag::Green => (GREEN, WHITE),
    }
}

fn rag_word(rag: Rag) -> &'static str {
    match rag {
        Rag::Red => "RED",
        Rag::Amber => "AMBER",
        Rag::Green => "GREEN",
    }
}

/// One thing to draw, in page coordinates (points from the top left).
#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        bold: bool,
        colour: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Rgb,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        colour: Rgb,
    },
    Svg {
        chart: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// A piece of text in one style.
#[derive(Debug, Clone)]
struct Run {
    text: String,
    bold: bool,
    colour: Rgb,
}

fn plain(text: impl Into<String>) -> Run {
    Run {
        text: text.into(),
        bold: false,
        colour: INK,
    }
}

fn bold(text: impl Into<String>) -> Run {
    Run {
        text: text.into(),
        bold: true,
        colour: INK,
    }
}

fn muted(text: impl Into<String>) -> Run {
    Run {
        text: text.into(),
        bold: false,
        colour: MUTED,
    }
}

/// A table column: header, share of the width, right-aligned.
struct Column {
    header: &'static str,
    share: f32,
    right: bool,
}

fn col(header: &'static str, share: f32) -> Column {
    Column {
        header,
        share,
        right: false,
    }
}

fn num(header: &'static str, share: f32) -> Column {
    Column {
        header,
        share,
        right: true,
    }
}

struct Metrics {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl Metrics {
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let font = if bold { &self.bold } else { &self.regular };
        let upem = font.units_per_em().unwrap_or(2048.0);
        let mut width = 0.0;
        let mut previous = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = previous {
                width += font.kern_unscaled(p, id);
            }
            width += font.h_advance_unscaled(id);
            previous = Some(id);
        }
        width * size / upem
    }
}

/// Lays the report out into pages of operations.
struct Layout<'m> {
    metrics: &'m Metrics,
    page_w: f32,
    page_h: f32,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// Section headings: (title, page, y) for the PDF outline.
    outline: Vec<(String, usize, f32)>,
}

impl<'m> Layout<'m> {
    fn new(metrics: &'m Metrics, paper: Paper) -> Self {
        let (page_w, page_h) = paper.size_pt();
        Layout {
            metrics,
            page_w,
            page_h,
            pages: vec![Vec::new()],
            y: MARGIN_TOP,
            outline: Vec::new(),
        }
    }

    fn content_w(&self) -> f32 {
        self.page_w - 2.0 * MARGIN_X
    }

    fn bottom(&self) -> f32 {
        self.page_h - MARGIN_BOTTOM
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() && self.y > MARGIN_TOP {
            self.new_page();
        }
    }

    fn gap(&mut self, points: f32) {
        if self.y > MARGIN_TOP {
            self.y += points;
        }
    }

    /// Breaks runs into lines no wider than `width`: each line is its runs' pieces with their x.
    fn wrap(&self, runs: &[Run], size: f32, width: f32) -> Vec<Vec<(f32, Run)>> {
        let mut lines: Vec<Vec<(f32, Run)>> = vec![Vec::new()];
        let mut x = 0.0_f32;
        for run in runs {
            let clean: String = run
                .text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            for word in clean.split_inclusive(' ') {
                let w = self.metrics.width(word, size, run.bold);
                let trimmed = self.metrics.width(word.trim_end(), size, run.bold);
                if x > 0.0 && x + trimmed > width {
                    lines.push(Vec::new());
                    x = 0.0;
                    if word.trim().is_empty() {
                        continue;
                    }
                }
                if trimmed > width {
                    // A word longer than the line (a URL, a hash): broken where it must be.
                    let mut piece = String::new();
                    for c in word.chars() {
                        let next = self.metrics.width(&format!("{piece}{c}"), size, run.bold);
                        if x + next > width && !piece.is_empty() {
                            if let Some(line) = lines.last_mut() {
                                line.push((
                                    x,
                                    Run {
                                        text: std::mem::take(&mut piece),
                                        ..run.clone()
                                    },
                                ));
                            }
                            lines.push(Vec::new());
                            x = 0.0;
                        }
                        piece.push(c);
                    }
                    let pw = self.metrics.width(&piece, size, run.bold);
                    if let Some(line) = lines.last_mut() {
                        line.push((
                            x,
                            Run {
                                text: piece,
                                ..run.clone()
                            },
                        ));
                    }
                    x += pw;
                    continue;
                }
                if let Some(line) = lines.last_mut() {
                    line.push((
                        x,
                        Run {
                            text: word.to_owned(),
                            ..run.clone()
                        },
                    ));
                }
                x += w;
            }
        }
        lines.retain(|l| !l.is_empty());
        lines
    }

    /// Draws wrapped lines at `x`; returns the height used. Does not break pages.
    fn draw_lines(&mut self, lines: &[Vec<(f32, Run)>], x: f32, top: f32, size: f32) -> f32 {
        let line_h = size * LEADING;
        for (i, line) in lines.iter().enumerate() {
            let baseline = top + i as f32 * line_h + size * 1.02;
            for (dx, run) in line {
                let text = run.text.trim_end();
                if text.is_empty() {
                    continue;
                }
                self.push(Op::Text {
                    x: x + dx,
                    baseline,
                    size,
                    bold: run.bold,
                    colour: run.colour,
                    text: text.to_owned(),
                });
            }
        }
        lines.len() as f32 * line_h
    }

    /// A paragraph, broken across pages line by line.
    fn paragraph_at(&mut self, runs: &[Run], size: f32, indent: f32) {
        let width = self.content_w() - indent;
        let lines = self.wrap(runs, size, width);
        let line_h = size * LEADING;
        for line in lines {
            self.ensure(line_h);
            let top = self.y;
            self.y += self.draw_lines(&[line], MARGIN_X + indent, top, size);
        }
    }

    fn paragraph(&mut self, runs: &[Run]) {
        self.paragraph_at(runs, BODY, 0.0);
        self.y += 3.0;
    }

    fn bullet(&mut self, runs: &[Run]) {
        let line_h = BODY * LEADING;
        self.ensure(line_h);
        let top = self.y;
        self.push(Op::Text {
            x: MARGIN_X + 4.0,
            baseline: top + BODY * 1.02,
            size: BODY,
            bold: false,
            colour: MUTED,
            text: "•".to_owned(),
        });
        self.paragraph_at(runs, BODY, 14.0);
        self.y += 1.5;
    }

    /// A section title with a rule under it, kept with the next `keep` points.
    fn heading(&mut self, title: &str, keep: f32) {
        self.gap(14.0);
        self.ensure(28.0 + keep);
        let top = self.y;
        self.push(Op::Text {
            x: MARGIN_X,
            baseline: top + 14.0,
            size: 13.5,
            bold: true,
            colour: INK,
            text: title.to_owned(),
        });
        self.push(Op::Line {
            x1: MARGIN_X,
            y1: top + 20.0,
            x2: MARGIN_X + self.content_w(),
            y2: top + 20.0,
            width: 1.5,
            colour: ACCENT,
        });
        self.outline
            .push((title.to_owned(), self.pages.len() - 1, top));
        self.y = top + 28.0;
    }

    fn subheading(&mut self, runs: &[Run], keep: f32) {
        self.gap(6.0);
        self.ensure(16.0 + keep);
        self.paragraph_at(runs, 10.5, 0.0);
        self.y += 3.0;
    }

    /// A table with a shaded header, repeated on each page it runs onto.
    fn table(&mut self, columns: &[Column], rows: &[Vec<Vec<Run>>]) {
        let size = SMALL + 0.5;
        let pad = 4.0;
        let total: f32 = columns.iter().map(|c| c.share).sum();
        let widths: Vec<f32> = columns
            .iter()
            .map(|c| c.share / total * self.content_w())
            .collect();
        let header = |layout: &mut Layout| {
            let h = size * LEADING + 2.0 * pad;
            layout.push(Op::Rect {
                x: MARGIN_X,
                y: layout.y,
                w: layout.content_w(),
                h,
                colour: SHADE,
            });
            let mut x = MARGIN_X;
            for (c, w) in columns.iter().zip(&widths) {
                let tw = layout.metrics.width(c.header, size, true);
                let cx = if c.right { x + w - pad - tw } else { x + pad };
                layout.push(Op::Text {
                    x: cx,
                    baseline: layout.y + pad + size * 1.02,
                    size,
                    bold: true,
                    colour: INK,
                    text: c.header.to_owned(),
                });
                x += w;
            }
            layout.y += h;
        };
        let first_row_h = rows
            .first()
            .map(|r| self.row_height(r, &widths, size, pad))
            .unwrap_or(0.0);
        self.ensure(size * LEADING + 2.0 * pad + first_row_h);
        header(self);
        for row in rows {
            let h = self.row_height(row, &widths, size, pad);
            if self.y + h > self.bottom() {
                self.new_page();
                header(self);
            }
            let top = self.y;
            let mut x = MARGIN_X;
            for ((cell, w), c) in row.iter().zip(&widths).zip(columns) {
                let lines = self.wrap(cell, size, w - 2.0 * pad);
                if c.right {
                    // One line, flush right.
                    let text: String = cell.iter().map(|r| r.text.as_str()).collect();
                    let tw = self
                        .metrics
                        .width(&text, size, cell.first().is_some_and(|r| r.bold));
                    self.push(Op::Text {
                        x: x + w - pad - tw,
                        baseline: top + pad + size * 1.02,
                        size,
                        bold: cell.first().is_some_and(|r| r.bold),
                        colour: cell.first().map_or(INK, |r| r.colour),
                        text,
                    });
                } else {
                    self.draw_lines(&lines, x + pad, top + pad, size);
                }
                x += w;
            }
            self.y = top + h;
            self.push(Op::Line {
                x1: MARGIN_X,
                y1: self.y,
                x2: MARGIN_X + self.content_w(),
                y2: self.y,
                width: 0.5,
                colour: RULE,
            });
        }
        self.y += 6.0;
    }

    fn row_height(&self, row: &[Vec<Run>], widths: &[f32], size: f32, pad: f32) -> f32 {
        row.iter()
            .zip(widths)
            .map(|(cell, w)| self.wrap(cell, size, w - 2.0 * pad).len().max(1))
            .max()
            .unwrap_or(1) as f32
            * size
            * LEADING
            + 2.0 * pad
    }

    /// A filled label ("RED") at the current line; returns its width.
    fn badge(&mut self, x: f32, top: f32, text: &str, fill: Rgb, ink: Rgb, size: f32) -> f32 {
        let w = self.metrics.width(text, size, true) + 10.0;
        self.push(Op::Rect {
            x,
            y: top,
            w,
            h: size + 6.0,
            colour: fill,
        });
        self.push(Op::Text {
            x: x + 5.0,
            baseline: top + size + 1.6,
            size,
            bold: true,
            colour: ink,
            text: text.to_owned(),
        });
        w
    }
}

fn spans(spans: &[Span]) -> Vec<Run> {
    spans
        .iter()
        .map(|s| {
            if s.strong {
                bold(&s.text)
            } else {
                plain(&s.text)
            }
        })
        .collect()
}

fn step_runs(s: &StepLine) -> Vec<Run> {
    let mut runs = vec![bold(format!("{} ", s.reference)), plain(&s.text)];
    if !s.owner.is_empty() {
        runs.push(muted(format!(" · {}", s.owner)));
    }
    if !s.when.is_empty() {
        runs.push(muted(format!(" · {}", s.when)));
    }
    runs
}

fn percent(share: Option<f64>) -> String {
    share.map(units::percent).unwrap_or_else(|| "—".to_owned())
}

fn trend_colour(trend: Option<Trend>) -> Rgb {
    match trend {
        Some(Trend::Better) => GREEN,
        Some(Trend::Worse) => RED,
        _ => MUTED,
    }
}

fn lay_out(report: &Report, layout: &mut Layout) {
    let h = &report.header;
    let w = layout.content_w();

    // Header block.
    layout.push(Op::Text {
        x: MARGIN_X,
        baseline: layout.y + 9.0,
        size: 9.0,
        bold: true,
        colour: ACCENT,
        text: h.title.to_uppercase(),
    });
    layout.y += 14.0;
    layout.paragraph_at(&[bold(&h.program_name)], 21.0, 0.0);
    layout.paragraph_at(&[plain(&h.period_text)], 12.5, 0.0);
    layout.y += 4.0;
    layout.paragraph_at(
        &[
            bold("Data  "),
            muted(&h.data_range_text),
            bold("     Generated  "),
            muted(&h.generated_at_text),
        ],
        SMALL,
        0.0,
    );
    layout.paragraph_at(
        &[
            bold("Author  "),
            muted(if h.author.is_empty() {
                "—"
            } else {
                &h.author
            }),
            bold("     For  "),
            muted(format!("{} audience", h.audience.label())),
            bold("     Streamline  "),
            muted(&h.app_version),
        ],
        SMALL,
        0.0,
    );
    layout.y += 4.0;

    // Executive summary.
    layout.heading("Executive summary", 90.0);
    let s = &report.summary;
    let n = s.figures.len().max(1) as f32;
    let gap = 10.0;
    let tile_w = (w - gap * (n - 1.0)) / n;
    let tile_h = 82.0;
    layout.ensure(tile_h);
    let top = layout.y;
    for (i, f) in s.figures.iter().enumerate() {
        let x = MARGIN_X + i as f32 * (tile_w + gap);
        layout.push(Op::Rect {
            x,
            y: top,
            w: tile_w,
            h: tile_h,
            colour: SHADE,
        });
        layout.push(Op::Rect {
            x,
            y: top,
            w: tile_w,
            h: 3.5,
            colour: trend_colour(f.trend),
        });
        layout.push(Op::Text {
            x: x + 9.0,
            baseline: top + 17.0,
            size: SMALL,
            bold: false,
            colour: MUTED,
            text: f.label.clone(),
        });
        // The figure at 20 pt, smaller where it and its arrow would not fit the tile.
        let arrow_w = f
            .arrow
            .as_ref()
            .map_or(0.0, |a| layout.metrics.width(a, 16.0, true) + 5.0);
        let value_w = layout.metrics.width(&f.value, 20.0, true);
        let size = (20.0 * (tile_w - 18.0 - arrow_w) / value_w).clamp(11.0, 20.0);
        layout.push(Op::Text {
            x: x + 9.0,
            baseline: top + 41.0,
            size,
            bold: true,
            colour: INK,
            text: f.value.clone(),
        });
        if let Some(arrow) = &f.arrow {
            let vw = layout.metrics.width(&f.value, size, true);
            layout.push(Op::Text {
                x: x + 9.0 + vw + 5.0,
                baseline: top + 41.0,
                size: 16.0 * size / 20.0,
                bold: true,
                colour: trend_colour(f.trend),
                text: arrow.clone(),
            });
        }
        let inner = tile_w - 18.0;
        let mut ty = top + 48.0;
        if let Some(change) = &f.change {
            let lines = layout.wrap(&[plain(change)], SMALL + 0.5, inner);
            ty += layout.draw_lines(&lines[..lines.len().min(1)], x + 9.0, ty, SMALL + 0.5);
        }
        if !f.context.is_empty() {
            let lines = layout.wrap(&[muted(&f.context)], SMALL - 0.5, inner);
            layout.draw_lines(&lines[..lines.len().min(2)], x + 9.0, ty, SMALL - 0.5);
        }
    }
    layout.y = top + tile_h + 10.0;
    layout.paragraph(&[bold("Plan: "), plain(&s.plan_line)]);
    layout.paragraph_at(&[muted(&s.basis)], SMALL, 0.0);
    layout.y += 4.0;
    if !s.verdicts.is_empty() {
        layout.subheading(&[bold("Before and after the milestones")], 30.0);
        for v in &s.verdicts {
            for sentence in &v.sentences {
                layout.bullet(&spans(sentence));
            }
        }
    }
    // "Since the last report" as a callout.
    layout.y += 6.0;
    let lines = layout.wrap(&[plain(&s.since_last)], BODY, w - 20.0);
    let box_h = lines.len() as f32 * BODY * LEADING + 12.0;
    layout.ensure(box_h);
    let top = layout.y;
    layout.push(Op::Rect {
        x: MARGIN_X,
        y: top,
        w,
        h: box_h,
        colour: CALLOUT,
    });
    layout.push(Op::Rect {
        x: MARGIN_X,
        y: top,
        w: 3.0,
        h: box_h,
        colour: ACCENT,
    });
    layout.draw_lines(&lines, MARGIN_X + 12.0, top + 6.0, BODY);
    layout.y = top + box_h;

    // The plan.
    layout.heading("Plan by objective", 60.0);
    for o in &report.objectives {
        layout.gap(6.0);
        layout.ensure(60.0);
        let top = layout.y;
        let (fill, ink) = rag_colour(o.rag);
        let bw = layout.badge(MARGIN_X, top, rag_word(o.rag), fill, ink, SMALL);
        let title_lines = layout.wrap(
            &[bold(format!("{} · {}", o.id, o.title))],
            10.5,
            w - bw - 10.0,
        );
        let used = layout.draw_lines(&title_lines, MARGIN_X + bw + 8.0, top - 1.0, 10.5);
        layout.y = top + used.max(SMALL + 6.0) + 4.0;
        let progress = match o.percent_done {
            Some(p) => format!("{p}% of steps done ({} of {})", o.steps_done, o.steps_total),
            None => "no steps yet".to_owned(),
        };
        if let Some(p) = o.percent_done {
            // A progress bar beside the figure.
            let bar_w = 90.0;
            let top = layout.y + 2.5;
            layout.push(Op::Rect {
                x: MARGIN_X,
                y: top,
                w: bar_w,
                h: 6.0,
                colour: RULE,
            });
            layout.push(Op::Rect {
                x: MARGIN_X,
                y: top,
                w: bar_w * p as f32 / 100.0,
                h: 6.0,
                colour: ACCENT,
            });
            layout.paragraph_at(&[plain(progress)], BODY, bar_w + 8.0);
        } else {
            layout.paragraph_at(&[plain(progress)], BODY, 0.0);
        }
        let mut status = vec![bold("Status: "), plain(&o.rag_reason)];
        if o.overridden {
            status.push(muted(format!(
                " (set by hand; {})",
                o.rule_text.as_deref().unwrap_or("")
            )));
        }
        layout.paragraph_at(&status, BODY, 0.0);
        if let Some(outcome) = &o.outcome {
            layout.paragraph_at(&[bold("From the data: "), plain(outcome)], BODY, 0.0);
        }
        if !o.owners.is_empty() {
            layout.paragraph_at(&[bold("Owners: "), plain(o.owners.join(", "))], BODY, 0.0);
        }
        for (title, steps) in [
            ("Overdue", &o.overdue),
            ("Blocked", &o.blocked),
            ("Next due", &o.next_due),
        ] {
            if steps.is_empty() {
                continue;
            }
            layout.paragraph_at(&[bold(title)], BODY, 0.0);
            for st in steps {
                layout.bullet(&step_runs(st));
            }
        }
        if !o.steps.is_empty() {
            layout.y += 3.0;
            let rows: Vec<Vec<Vec<Run>>> = o
                .steps
                .iter()
                .map(|st| {
                    vec![
                        vec![bold(&st.reference)],
                        vec![plain(&st.text)],
                        vec![plain(&st.owner)],
                        vec![plain(st.status.label())],
                        vec![plain(&st.when)],
                    ]
                })
                .collect();
            layout.table(
                &[
                    col("Step", 0.6),
                    col("Text", 4.0),
                    col("Owner", 1.7),
                    col("Status", 1.0),
                    col("When", 1.4),
                ],
                &rows,
            );
        }
        layout.y += 2.0;
        let y = layout.y;
        layout.push(Op::Line {
            x1: MARGIN_X,
            y1: y,
            x2: MARGIN_X + w,
            y2: y,
            width: 0.5,
            colour: RULE,
        });
        layout.y += 2.0;
    }

    // Accountability.
    layout.heading("Accountability", 60.0);
    let rows: Vec<Vec<Vec<Run>>> = report
        .accountability
        .iter()
        .map(|r| {
            vec![
                vec![plain(&r.lead)],
                vec![plain(&r.owner)],
                vec![plain(&r.accountability)],
                vec![if r.person.is_empty() {
                    muted("—")
                } else {
                    bold(&r.person)
                }],
            ]
        })
        .collect();
    layout.table(
        &[
            col("Lead", 1.6),
            col("Owner", 1.6),
            col("Accountability", 3.2),
            col("Person", 1.4),
        ],
        &rows,
    );

    // Charts: one per row at the page's width, each kept whole on a page.
    let first_chart_h = report
        .charts
        .first()
        .map_or(0.0, |c| w * c.size.height as f32 / c.size.width as f32);
    layout.heading("Charts", first_chart_h + 44.0);
    for (i, c) in report.charts.iter().enumerate() {
        let chart_h = w * c.size.height as f32 / c.size.width as f32;
        // Title, chart and definition stay together on one page.
        let definition_h = layout.wrap(&[muted(&c.definition)], SMALL - 0.5, w).len() as f32
            * (SMALL - 0.5)
            * LEADING;
        layout.ensure(10.0 * LEADING + chart_h + 4.0 + definition_h);
        layout.paragraph_at(
            &[bold(&c.title), muted(format!("   {}", c.subtitle))],
            10.0,
            0.0,
        );
        let top = layout.y + 2.0;
        layout.push(Op::Svg {
            chart: i,
            x: MARGIN_X,
            y: top,
            w,
            h: chart_h,
        });
        layout.y = top + chart_h + 2.0;
        layout.paragraph_at(&[muted(&c.definition)], SMALL - 0.5, 0.0);
        layout.y += 10.0;
    }

    // Since the last report.
    let ch = &report.changes;
    layout.heading("Since the last report", 40.0);
    match &ch.since_text {
        None => layout.paragraph(&[plain(
            "This is the first report issued. The next one will list the steps completed, the figures that moved and the new imports since this one.",
        )]),
        Some(since) => {
            layout.paragraph(&[plain(format!("Last report issued {since}."))]);
            if ch.steps_completed.is_empty() {
                layout.paragraph(&[plain("No step was completed.")]);
            } else {
                layout.paragraph_at(&[bold("Steps completed")], BODY, 0.0);
                for st in &ch.steps_completed {
                    layout.bullet(&step_runs(st));
                }
            }
            for r in &ch.rag_changes {
                layout.bullet(&[
                    bold(format!("{} · {}: ", r.objective, r.title)),
                    plain(format!("{} → {}", r.was.as_str(), r.now.as_str())),
                ]);
            }
            if !ch.figures.is_empty() {
                layout.y += 3.0;
                let rows: Vec<Vec<Vec<Run>>> = ch
                    .figures
                    .iter()
                    .map(|f| {
                        let judged = match f.trend {
                            Some(Trend::Better) => " (better)",
                            Some(Trend::Worse) => " (worse)",
                            _ => "",
                        };
                        vec![
                            vec![plain(&f.label)],
                            vec![plain(&f.was)],
                            vec![bold(&f.now)],
                            vec![Run {
                                text: format!("{}{judged}", f.direction),
                                bold: false,
                                colour: trend_colour(f.trend),
                            }],
                        ]
                    })
                    .collect();
                layout.table(
                    &[col("Figure", 2.6), num("Last report", 1.2), num("Now", 1.2), col("Change", 1.6)],
                    &rows,
                );
            }
            if ch.imports.is_empty() {
                layout.paragraph(&[plain("No new imports.")]);
            } else {
                let rows: Vec<Vec<Vec<Run>>> = ch
                    .imports
                    .iter()
                    .map(|i| {
                        vec![
                            vec![plain(&i.file_name)],
                            vec![plain(&i.format)],
                            vec![plain(units::count(i.rows_read.unsigned_abs()))],
                            vec![plain(units::count(i.items_new.unsigned_abs()))],
                            vec![plain(units::count(i.rows_rejected.unsigned_abs()))],
                        ]
                    })
                    .collect();
                layout.table(
                    &[col("New import", 3.0), col("Format", 1.6), num("Rows", 1.0), num("New items", 1.1), num("Rejected", 1.0)],
                    &rows,
                );
            }
        }
    }

    // Data quality.
    let q = &report.data_quality;
    layout.heading("Data quality", 60.0);
    layout.paragraph(&[plain(format!(
        "{} items in the period; {} had a triage time and {} a resolve time.",
        units::count(q.items),
        percent(q.triage_coverage),
        percent(q.resolve_coverage)
    ))]);
    if !q.coverage.is_empty() {
        let rows: Vec<Vec<Vec<Run>>> = q
            .coverage
            .iter()
            .map(|r| {
                vec![
                    vec![plain(&r.queue)],
                    vec![plain(units::count(r.items))],
                    vec![plain(percent(r.triage_coverage))],
                    vec![plain(percent(r.resolve_coverage))],
                ]
            })
            .collect();
        layout.table(
            &[
                col("Queue", 3.0),
                num("Items", 1.0),
                num("Triage time known", 1.6),
                num("Resolve time known", 1.6),
            ],
            &rows,
        );
    }
    layout.bullet(&[plain(format!(
        "{} items without a created time (in no week).",
        units::count(q.without_created_time)
    ))]);
    layout.bullet(&[plain(format!(
        "{} triaged and {} resolved before they were created (left out of the timings).",
        units::count(q.negative_triage),
        units::count(q.negative_resolve)
    ))]);
    if q.rejected.is_empty() {
        layout.bullet(&[plain("No rows were rejected by any import.")]);
    } else {
        for r in &q.rejected {
            let mut runs = vec![
                bold(format!("{}: ", r.file_name)),
                plain(format!(
                    "{} rows rejected",
                    units::count(r.rows_rejected.unsigned_abs())
                )),
            ];
            let examples: Vec<String> = r
                .examples
                .iter()
                .map(|e| format!("line {}: {}", e.line, e.reason))
                .collect();
            if !examples.is_empty() {
                runs.push(muted(format!(" ({})", examples.join("; "))));
            }
            layout.bullet(&runs);
        }
    }
    for d in &q.date_orders {
        layout.bullet(&[
            bold(format!("{}: ", d.file_name)),
            plain(format!("dates read {}, {}", d.order, d.settled)),
        ]);
    }

    // Appendix.
    layout.heading("Appendix: metric definitions", 40.0);
    for d in &report.definitions {
        layout.paragraph(&[bold(format!("{}. ", d.name)), plain(&d.text)]);
    }
}

fn fill(colour: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn draw(surface: &mut Surface, op: &Op, fonts: &(Font, Font), charts: &[usvg::Tree]) {
    match op {
        Op::Text {
            x,
            baseline,
            size,
            bold,
            colour,
            text,
        } => {
            surface.set_stroke(None);
            surface.set_fill(Some(fill(*colour)));
            let font = if *bold { &fonts.1 } else { &fonts.0 };
            surface.draw_text(
                Point::from_xy(*x, *baseline),
                font.clone(),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Rect { x, y, w, h, colour } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x, *y);
            pb.line_to(x + w, *y);
            pb.line_to(x + w, y + h);
            pb.line_to(*x, y + h);
            pb.close();
            if let Some(path) = pb.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*colour)));
                surface.draw_path(&path);
            }
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            colour,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
                    width: *width,
                    ..Default::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Svg { chart, x, y, w, h } => {
            if let (Some(tree), Some(size)) = (charts.get(*chart), Size::from_wh(*w, *h)) {
                surface.push_transform(&Transform::from_translate(*x, *y));
                surface.draw_svg(tree, size, SvgSettings::default());
                surface.pop();
            }
        }
    }
}

/// The report as a PDF on `paper`.
pub fn render_pdf(report: &Report, paper: Paper) -> Result<Vec<u8>, ReportError> {
    let metrics = Metrics {
        regular: FontRef::try_from_slice(REGULAR)
            .map_err(|e| ReportError::Pdf(format!("the embedded font: {e}")))?,
        bold: FontRef::try_from_slice(BOLD)
            .map_err(|e| ReportError::Pdf(format!("the embedded font: {e}")))?,
    };
    let fonts = (
        Font::new(REGULAR.into(), 0)
            .ok_or_else(|| ReportError::Pdf("the embedded font cannot be read".to_owned()))?,
        Font::new(BOLD.into(), 0)
            .ok_or_else(|| ReportError::Pdf("the embedded font cannot be read".to_owned()))?,
    );

    // The charts' SVG names "sans-serif": only the embedded DejaVu Sans answers, never a
    // system font.
    let mut options = usvg::Options {
        font_family: SVG_FONT_FAMILY.to_owned(),
        ..Default::default()
    };
    {
        let db = options.fontdb_mut();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(SVG_FONT_FAMILY);
    }
    let charts = report
        .charts
        .iter()
        .map(|c| {
            usvg::Tree::from_str(&c.svg, &options)
                .map_err(|e| ReportError::Pdf(format!("chart {}: {e}", c.key)))
        })
        .collect::<Result<Vec<_>, _>>()?;

    let mut layout = Layout::new(&metrics, paper);
    lay_out(report, &mut layout);

    let h = &report.header;
    let footer_left = format!("{} · {} · {}", h.program_name, h.title, h.period_text);
    let mut document = Document::new();
    let pages = layout.pages.len();
    for (index, ops) in layout.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(layout.page_w, layout.page_h)
            .ok_or_else(|| ReportError::Pdf("invalid page size".to_owned()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, op, &fonts, &charts);
        }
        // The running footer.
        let baseline = layout.page_h - 30.0;
        let number = format!("Page {} of {pages}", index + 1);
        let number_w = metrics.width(&number, 7.5, false);
        let room = layout.content_w() - number_w - 20.0;
        let mut left = footer_left.clone();
        if metrics.width(&left, 7.5, false) > room {
            while !left.is_empty() && metrics.width(&format!("{left}…"), 7.5, false) > room {
                left.pop();
            }
            left.push('…');
        }
        for op in [
            Op::Line {
                x1: MARGIN_X,
                y1: baseline - 11.0,
                x2: layout.page_w - MARGIN_X,
                y2: baseline - 11.0,
                width: 0.5,
                colour: RULE,
            },
            Op::Text {
                x: MARGIN_X,
                baseline,
                size: 7.5,
                bold: false,
                colour: MUTED,
                text: left,
            },
            Op::Text {
                x: layout.page_w - MARGIN_X - number_w,
                baseline,
                size: 7.5,
                bold: false,
                colour: MUTED,
                text: number,
            },
        ] {
            draw(&mut surface, &op, &fonts, &charts);
        }
        surface.finish();
        page.finish();
    }

    let mut outline = Outline::new();
    for (title, page, y) in &layout.outline {
        outline.push_child(OutlineNode::new(
            title.clone(),
            XyzDestination::new(*page, Point::from_xy(0.0, *y)),
        ));
    }
    document.set_outline(outline);
    let created = h.generated_at;
    let mut metadata = Metadata::new()
        .title(format!(
            "{} — {} — {}",
            h.program_name, h.title, h.period_text
        ))
        .creator(format!("Streamline {}", h.app_version))
        .language("en".to_owned())
        .creation_date(
            PdfDate::new(created.year().clamp(0, 9999) as u16)
                .month(created.month() as u8)
                .day(created.day() as u8)
                .hour(created.hour() as u8)
                .minute(created.minute() as u8)
                .utc_offset_hour(0),
        );
    if !h.author.is_empty() {
        metadata = metadata.authors(vec![h.author.clone()]);
    }
    document.set_metadata(metadata);
    document
        .finish()
        .map_err(|e| ReportError::Pdf(format!("{e:?}")))
}
