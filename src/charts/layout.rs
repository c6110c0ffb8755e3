//! Lays a chart out as a list of shapes in pixels (a display list) that `draw` replays on any
//! plotters backend, so the SVG and the PNG are the same picture.

use chrono::NaiveDate;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, RGBAColor, RGBColor};

use super::format::{nice_ticks, short_date, tick_number, DurationUnit};
use super::style::{self, Colours, TypeSizes, BLUE, GREEN, QUEUE_COLOURS};
use super::{
    BurnUp, Chart, ChartError, ChartSize, Milestone, QueueConsolidation, ShareChart, Theme,
    TimingChart,
};

/// One shape, in pixels of the output.
#[derive(Clone)]
pub(crate) enum Prim {
    Rect {
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        colour: RGBAColor,
    },
    Path {
        points: Vec<(i32, i32)>,
        colour: RGBAColor,
        width: u32,
    },
    Dot {
        x: i32,
        y: i32,
        r: i32,
        colour: RGBAColor,
    },
    Text {
        text: String,
        x: i32,
        y: i32,
        /// Font size in output pixels (CSS font-size), already scaled.
        em: f64,
        bold: bool,
        colour: RGBAColor,
        h: HPos,
        v: VPos,
    },
}

/// A chart laid out: its background and its shapes, in drawing order.
pub(crate) struct Plan {
    pub background: RGBColor,
    pub prims: Vec<Prim>,
}

const NO_DATA: &str = "No data for this period";
const ELLIPSIS: char = '…';

/// Lays out `chart` at `size` × `k` (k = the PNG scale; 1 for SVG).
pub(crate) fn plan(
    chart: &Chart,
    size: ChartSize,
    theme: Theme,
    k: f64,
) -> Result<Plan, ChartError> {
    style::ensure_fonts()?;
    let mut cx = Ctx {
        k,
        w: f64::from(size.width) * k,
        h: f64::from(size.height) * k,
        small: size.is_small(),
        c: Colours::of(theme),
        t: TypeSizes::new(size.is_small()),
        prims: Vec::with_capacity(512),
    };
    match chart {
        Chart::QueueConsolidation(q) => queue_chart(&mut cx, q)?,
        Chart::Timing(t) => timing_chart(&mut cx, t)?,
        Chart::Share(s) => share_chart(&mut cx, s)?,
        Chart::BurnUp(b) => burn_up(&mut cx, b)?,
    }
    Ok(Plan {
        background: cx.c.background,
        prims: cx.prims,
    })
}

// ---------------------------------------------------------------------------------------------
// The drawing context: sizes scaled by k, text measured with the embedded font.

struct Ctx {
    k: f64,
    w: f64,
    h: f64,
    small: bool,
    c: Colours,
    t: TypeSizes,
    prims: Vec<Prim>,
}

impl Ctx {
    /// `v` CSS pixels in output pixels.
    fn px(&self, v: f64) -> f64 {
        v * self.k
    }

    fn pad(&self) -> f64 {
        self.px(if self.small { 6.0 } else { 8.0 })
    }

    fn stroke(&self, css_px: f64) -> u32 {
        (css_px * self.k).round().max(1.0) as u32
    }

    fn line_h(&self, em: f64) -> f64 {
        self.px(em * 1.4)
    }

    fn measure(&self, text: &str, em: f64, bold: bool) -> f64 {
        style::text_width(text, self.px(em), bold)
    }

    /// `text`, shortened with an ellipsis to fit `max_w` pixels (empty if nothing fits).
    fn fit(&self, text: &str, em: f64, bold: bool, max_w: f64) -> String {
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        let text = text.trim();
        if self.measure(text, em, bold) <= max_w {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        // Binary search for the longest prefix that fits with the ellipsis.
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let candidate: String = chars[..mid]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
                + &ELLIPSIS.to_string();
            if self.measure(&candidate, em, bold) <= max_w {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if lo == 0 {
            return String::new();
        }
        let mut out: String = chars[..lo]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string();
        out.push(ELLIPSIS);
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        text: impl Into<String>,
        x: f64,
        y: f64,
        em: f64,
        bold: bool,
        colour: RGBColor,
        h: HPos,
        v: VPos,
    ) {
        let text = text.into();
        if text.is_empty() {
            return;
        }
        self.prims.push(Prim::Text {
            text,
            x: x.round() as i32,
            y: y.round() as i32,
            em: self.px(em),
            bold,
            colour: colour.to_rgba(),
            h,
            v,
        });
    }

    fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, colour: RGBAColor) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        self.prims.push(Prim::Rect {
            x0: x0.round() as i32,
            y0: y0.round() as i32,
            x1: x1.round() as i32,
            y1: y1.round() as i32,
            colour,
        });
    }

    fn path(&mut self, points: &[(f64, f64)], colour: RGBAColor, width: u32) {
        if points.len() < 2 {
            return;
        }
        let points = points
            .iter()
            .map(|&(x, y)| (x.round() as i32, y.round() as i32))
            .collect();
        self.prims.push(Prim::Path {
            points,
            colour,
            width,
        });
    }

    fn dot(&mut self, x: f64, y: f64, r: f64, colour: RGBAColor) {
        self.prims.push(Prim::Dot {
            x: x.round() as i32,
            y: y.round() as i32,
            r: r.round().max(1.0) as i32,
            colour,
        });
    }

    fn dashed_hline(&mut self, x0: f64, x1: f64, y: f64, colour: RGBAColor, width: u32) {
        let (dash, gap) = (self.px(6.0), self.px(4.0));
        let mut x = x0;
        while x < x1 {
            let end = (x + dash).min(x1);
            self.path(&[(x, y), (end, y)], colour, width);
            x = end + gap;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The frame every chart shares: title, caption, axes, x labels, legend, milestones.

struct Axis {
    ticks: Vec<f64>,
    labels: Vec<String>,
    /// A short unit written above the axis ("items"), in the normal size only.
    unit: Option<String>,
}

impl Axis {
    fn min(&self) -> f64 {
        self.ticks.first().copied().unwrap_or(0.0)
    }
    fn max(&self) -> f64 {
        self.ticks.last().copied().unwrap_or(1.0)
    }
}

#[derive(Clone, Copy)]
enum Swatch {
    /// Text only ("+3 more").
    None,
    Box(RGBAColor),
    Line(RGBColor),
    Dashed(RGBColor),
}

struct LegendItem {
    label: String,
    swatch: Swatch,
}

struct FrameSpec<'a> {
    title: &'a str,
    caption: String,
    start: NaiveDate,
    /// The x domain: days from `start`.
    days: f64,
    /// Where an x label may go: (day offset, date written).
    x_candidates: Vec<(f64, NaiveDate)>,
    left: Axis,
    right: Option<Axis>,
    legend: Vec<LegendItem>,
    legend_rows: usize,
    milestones: &'a [Milestone],
    /// An optional row of small values under the x labels (n per week), with its row label.
    value_row: Option<(&'a str, Vec<(f64, String)>)>,
}

/// Where milestone labels may go: the first row shares its ends with the axes' units.
#[derive(Clone, Copy)]
struct RowBounds {
    left: f64,
    right: f64,
    first_row_left: f64,
    first_row_right: f64,
}

struct PlacedMilestone {
    x: f64,
    row: usize,
    label: String,
    right_of_line: bool,
}

/// Pixel geometry of the plot and the milestones to draw once the data is down.
struct Frame {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    days: f64,
    y_left: (f64, f64),
    y_right: (f64, f64),
    band_top: f64,
    milestones: Vec<PlacedMilestone>,
}

impl Frame {
    fn x(&self, day: f64) -> f64 {
        self.left + (self.right - self.left) * day / self.days
    }
    fn y(&self, v: f64) -> f64 {
        let (lo, hi) = self.y_left;
        self.bottom - (self.bottom - self.top) * (v - lo) / (hi - lo)
    }
    fn y2(&self, v: f64) -> f64 {
        let (lo, hi) = self.y_right;
        self.bottom - (self.bottom - self.top) * (v - lo) / (hi - lo)
    }
}

/// Title and caption at the top; returns the y below them.
fn heading(cx: &mut Ctx, title: &str, caption: &str) -> f64 {
    let pad = cx.pad();
    let mut y = pad;
    let max_w = cx.w - 2.0 * pad;
    if !title.trim().is_empty() {
        let t = cx.fit(title, cx.t.title, true, max_w);
        let text_colour = cx.c.text;
        cx.text(
            t,
            pad,
            y,
            cx.t.title,
            true,
            text_colour,
            HPos::Left,
            VPos::Top,
        );
        y += cx.line_h(cx.t.title);
    }
    if !caption.is_empty() {
        let t = cx.fit(caption, cx.t.caption, false, max_w);
        let muted = cx.c.muted;
        cx.text(t, pad, y, cx.t.caption, false, muted, HPos::Left, VPos::Top);
        y += cx.line_h(cx.t.caption);
    }
    y
}

/// The "No data for this period" chart.
fn no_data(cx: &mut Ctx, title: &str, caption: &str) {
    let top = heading(cx, title, caption);
    let y = top + (cx.h - top) / 2.0;
    let muted = cx.c.muted;
    let msg = cx.fit(NO_DATA, cx.t.message, false, cx.w - 2.0 * cx.pad());
    cx.text(
        msg,
        cx.w / 2.0,
        y,
        cx.t.message,
        false,
        muted,
        HPos::Center,
        VPos::Center,
    );
}

fn axis_label_width(cx: &Ctx, axis: &Axis) -> f64 {
    axis.labels
        .iter()
        .map(|l| cx.measure(l, cx.t.tick, false))
        .fold(0.0, f64::max)
        + cx.px(6.0)
}

/// Lays out legend items in rows from `x0` within `max_w`; returns rows of (item, width).
fn legend_rows(
    cx: &Ctx,
    items: &[LegendItem],
    max_w: f64,
    max_rows: usize,
) -> Vec<Vec<(String, Swatch, f64)>> {
    let em = cx.t.legend;
    let swatch_w = cx.px(12.0) + cx.px(4.0);
    let spacing = cx.px(if cx.small { 10.0 } else { 14.0 });
    let mut rows: Vec<Vec<(String, Swatch, f64)>> = vec![];
    let mut row_w = 0.0;
    for item in items {
        let label = cx.fit(&item.label, em, false, (max_w - swatch_w).min(cx.px(200.0)));
        let w = swatch_w + cx.measure(&label, em, false);
        let needs_new = rows.is_empty() || row_w + spacing + w > max_w;
        if needs_new {
            if rows.len() == max_rows {
                break;
            }
            rows.push(vec![]);
            row_w = 0.0;
        } else {
            row_w += spacing;
        }
        row_w += w;
        if let Some(row) = rows.last_mut() {
            row.push((label, item.swatch, w));
        }
    }
    // Items that found no room are counted at the end ("+3 more") rather than dropped silently.
    let mut shown: usize = rows.iter().map(Vec::len).sum();
    if shown < items.len() {
        if let Some(row) = rows.last_mut() {
            loop {
                let text = format!("+{} more", items.len() - shown);
                let w = cx.measure(&text, em, false);
                let used: f64 = row.iter().map(|(_, _, w)| w + spacing).sum();
                if row.is_empty() || used + w <= max_w {
                    row.push((text, Swatch::None, w));
                    break;
                }
                row.pop();
                shown -= 1;
            }
        }
    }
    rows
}

/// Places milestone labels in up to `max_rows` rows so that they do not overlap; long or
/// crowded labels are shortened with an ellipsis, and a label with no room at all is left out
/// (its line is still drawn).
fn place_milestones(
    cx: &Ctx,
    milestones: &[(f64, &str)],
    bounds: RowBounds,
    max_rows: usize,
    cap_w: f64,
) -> Vec<PlacedMilestone> {
    let em = cx.t.milestone;
    let gap = cx.px(3.0);
    let spacing = cx.px(8.0);
    let min_w = cx.measure("Ab…", em, false);
    let left_bound = bounds.left;
    let right_of = |r: usize| {
        if r == 0 {
            bounds.first_row_right
        } else {
            bounds.right
        }
    };
    let mut row_end = vec![f64::NEG_INFINITY; max_rows];
    row_end[0] = bounds.first_row_left;
    let mut placed = vec![];
    let mut sorted: Vec<(f64, &str)> = milestones.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (x, raw) in sorted {
        let label = cx.fit(raw, em, false, cap_w);
        let w = cx.measure(&label, em, false);
        let right_start = x + gap;
        let left_start = x - gap - w;
        let mut choice: Option<(usize, String, bool, f64)> = None;
        // 1. Whole label right of the line, then left of it, in the first row with room.
        if let Some(r) = (0..max_rows)
            .find(|&r| right_start >= row_end[r] + spacing && right_start + w <= right_of(r))
        {
            choice = Some((r, label.clone(), true, right_start + w));
        } else if let Some(r) =
            (0..max_rows).find(|&r| left_start >= row_end[r] + spacing && left_start >= left_bound)
        {
            choice = Some((r, label.clone(), false, x - gap));
        }
        // 2. Shortened, right of the line, in the row with the most room.
        if choice.is_none() {
            let room = |r: usize| {
                if right_start >= row_end[r] + spacing {
                    right_of(r) - right_start
                } else {
                    0.0
                }
            };
            if let Some(r) = (0..max_rows).max_by(|&a, &b| room(a).total_cmp(&room(b))) {
                if room(r) >= min_w {
                    let short = cx.fit(raw, em, false, room(r).min(cap_w));
                    let sw = cx.measure(&short, em, false);
                    choice = Some((r, short, true, right_start + sw));
                }
            }
        }
        // 3. Shortened, left of the line (a milestone near the right edge).
        if choice.is_none() {
            let room = |r: usize| (x - gap) - (row_end[r] + spacing).max(left_bound);
            if let Some(r) = (0..max_rows).find(|&r| room(r) >= min_w) {
                let short = cx.fit(raw, em, false, room(r).min(cap_w));
                choice = Some((r, short, false, x - gap));
            }
        }
        match choice {
            Some((row, label, right_of_line, end)) if !label.is_empty() => {
                row_end[row] = end;
                // The line runs down through the rows below its label: nothing may cover it.
                for later in row_end.iter_mut().skip(row + 1) {
                    *later = later.max(x);
                }
                placed.push(PlacedMilestone {
                    x,
                    row,
                    label,
                    right_of_line,
                });
            }
            _ => placed.push(PlacedMilestone {
                x,
                row: 0,
                label: String::new(),
                right_of_line: true,
            }),
        }
    }
    placed
}

/// Draws the frame (title, caption, grid, axes, x labels, legend) and returns the plot geometry.
fn frame(cx: &mut Ctx, spec: FrameSpec<'_>) -> Frame {
    let pad = cx.pad();
    let mut top = heading(cx, spec.title, &spec.caption);
    if !cx.small {
        top += cx.px(2.0);
    }

    let left_w = axis_label_width(cx, &spec.left);
    let right_w = spec
        .right
        .as_ref()
        .map(|a| axis_label_width(cx, a))
        .unwrap_or(cx.px(10.0));
    let left = pad + left_w;
    let right = cx.w - pad - right_w;

    // Units above the axes ("items", "queues"), in the first row of milestone labels.
    let (left_unit, right_unit) = if cx.small {
        (None, None)
    } else {
        (
            spec.left.unit.clone(),
            spec.right.as_ref().and_then(|a| a.unit.clone()),
        )
    };
    let unit_w = |u: &Option<String>| {
        u.as_ref()
            .map(|u| cx.measure(u, cx.t.tick, false))
            .unwrap_or(0.0)
    };
    let (left_unit_w, right_unit_w) = (unit_w(&left_unit), unit_w(&right_unit));

    // Milestones in range, placed in rows above the plot.
    let domain_x = |day: f64| left + (right - left) * day / spec.days;
    let in_range: Vec<(f64, &str)> = spec
        .milestones
        .iter()
        .filter_map(|m| {
            let day = (m.at - spec.start).num_days() as f64;
            (day >= 0.0 && day <= spec.days).then(|| (domain_x(day), m.label.as_str()))
        })
        .collect();
    let max_rows = if cx.small {
        1
    } else if cx.h / cx.k >= 450.0 {
        4
    } else {
        3
    };
    let cap_w = if cx.small {
        (right - left) * 0.5
    } else {
        ((right - left) * 0.4).max(cx.px(90.0))
    };
    let bounds = RowBounds {
        left: pad,
        right: cx.w - pad,
        first_row_left: if left_unit.is_some() {
            pad + left_unit_w
        } else {
            f64::NEG_INFINITY
        },
        first_row_right: if right_unit.is_some() {
            cx.w - pad - right_unit_w - cx.px(8.0)
        } else {
            cx.w - pad
        },
    };
    let milestones = place_milestones(cx, &in_range, bounds, max_rows, cap_w);
    let band_top = top;
    let units = left_unit.is_some() || right_unit.is_some();
    let rows_used = milestones
        .iter()
        .filter(|m| !m.label.is_empty())
        .map(|m| m.row + 1)
        .max()
        .unwrap_or(0)
        .max(usize::from(units));
    if units {
        let muted = cx.c.muted;
        let y = band_top + cx.px(1.0);
        if let Some(u) = left_unit {
            cx.text(u, pad, y, cx.t.tick, false, muted, HPos::Left, VPos::Top);
        }
        if let Some(u) = right_unit {
            let x = cx.w - pad;
            cx.text(u, x, y, cx.t.tick, false, muted, HPos::Right, VPos::Top);
        }
    }
    top += rows_used as f64 * cx.line_h(cx.t.milestone);
    // Room for the top tick label, which is centred on the top grid line.
    top += cx.px(if cx.small { 5.0 } else { 7.0 });

    // From the bottom: legend, value row, x labels.
    let mut bottom = cx.h - pad;
    let legend_x0 = if cx.small { pad } else { left };
    let rows = legend_rows(cx, &spec.legend, cx.w - pad - legend_x0, spec.legend_rows);
    let legend_h = cx.line_h(cx.t.legend);
    bottom -= rows.len() as f64 * legend_h;
    let legend_top = bottom;
    // The row of n per week, only where every value fits under its week.
    let value_em = cx.t.tick - 1.0;
    let week_px = (right - left) / spec.days * 7.0;
    let value_row = spec.value_row.as_ref().filter(|(_, values)| {
        values
            .iter()
            .all(|(_, v)| cx.measure(v, value_em, false) + cx.px(4.0) <= week_px)
    });
    let value_row_y = if value_row.is_some() {
        bottom -= cx.line_h(value_em);
        Some(bottom)
    } else {
        None
    };
    let tick_len = cx.px(3.0);
    bottom -= cx.line_h(cx.t.tick) + tick_len;
    let x_label_y = bottom + tick_len + cx.px(2.0);

    // A plot too short to read: take the room back from the legend's gap.
    if bottom - top < cx.px(24.0) {
        bottom = (top + cx.px(24.0)).min(cx.h - pad);
    }

    let f = Frame {
        left,
        right,
        top,
        bottom,
        days: spec.days,
        y_left: (spec.left.min(), spec.left.max()),
        y_right: spec
            .right
            .as_ref()
            .map(|a| (a.min(), a.max()))
            .unwrap_or((0.0, 1.0)),
        band_top,
        milestones,
    };

    // Grid lines and y labels.
    let (grid, muted, axis_colour) = (cx.c.grid.to_rgba(), cx.c.muted, cx.c.axis.to_rgba());
    let thin = cx.stroke(1.0);
    for (v, label) in spec.left.ticks.iter().zip(&spec.left.labels) {
        let y = f.y(*v);
        if *v != 0.0 {
            cx.path(&[(f.left, y), (f.right, y)], grid, thin);
        }
        cx.text(
            label.clone(),
            f.left - cx.px(5.0),
            y,
            cx.t.tick,
            false,
            muted,
            HPos::Right,
            VPos::Center,
        );
    }
    if let Some(axis) = &spec.right {
        for (v, label) in axis.ticks.iter().zip(&axis.labels) {
            let y = f.y2(*v);
            cx.text(
                label.clone(),
                f.right + cx.px(5.0),
                y,
                cx.t.tick,
                false,
                muted,
                HPos::Left,
                VPos::Center,
            );
        }
    }
    // The baseline.
    cx.path(
        &[
            (f.left, f.y(0.0_f64.max(f.y_left.0))),
            (f.right, f.y(0.0_f64.max(f.y_left.0))),
        ],
        axis_colour,
        thin,
    );

    // X labels: as many as fit without crowding.
    if !spec.x_candidates.is_empty() {
        let labels: Vec<String> = spec
            .x_candidates
            .iter()
            .map(|(_, d)| short_date(*d))
            .collect();
        let widest = labels
            .iter()
            .map(|l| cx.measure(l, cx.t.tick, false))
            .fold(0.0, f64::max);
        let min_gap = widest + cx.px(if cx.small { 18.0 } else { 12.0 });
        let mut last_x = f64::NEG_INFINITY;
        for ((day, _), label) in spec.x_candidates.iter().zip(labels) {
            let x = f.x(*day);
            if x - last_x < min_gap {
                continue;
            }
            last_x = x;
            let w = cx.measure(&label, cx.t.tick, false);
            let cxx = x.clamp(pad + w / 2.0, cx.w - pad - w / 2.0);
            cx.path(
                &[(x, f.bottom), (x, f.bottom + tick_len)],
                axis_colour,
                thin,
            );
            cx.text(
                label,
                cxx,
                x_label_y,
                cx.t.tick,
                false,
                muted,
                HPos::Center,
                VPos::Top,
            );
        }
    }

    if let (Some(y), Some((name, values))) = (value_row_y, value_row) {
        let em = value_em;
        let faint = cx.c.muted;
        {
            cx.text(
                name.to_string(),
                f.left - cx.px(5.0),
                y + cx.px(1.0),
                em,
                false,
                faint,
                HPos::Right,
                VPos::Top,
            );
            for (day, v) in values {
                let x = f.x(*day);
                cx.text(
                    v.clone(),
                    x,
                    y + cx.px(1.0),
                    em,
                    false,
                    faint,
                    HPos::Center,
                    VPos::Top,
                );
            }
        }
    }

    // Legend.
    let text_colour = cx.c.text;
    for (i, row) in rows.into_iter().enumerate() {
        let y = legend_top + i as f64 * legend_h + legend_h / 2.0;
        let mut x = legend_x0;
        for (label, swatch, w) in row {
            let sw = cx.px(12.0);
            let text_x = match swatch {
                Swatch::None => x,
                _ => x + sw + cx.px(4.0),
            };
            match swatch {
                Swatch::None => {}
                Swatch::Box(c) => {
                    let half = cx.px(4.5);
                    cx.rect(
                        x + cx.px(1.5),
                        y - half,
                        x + cx.px(1.5) + 2.0 * half,
                        y + half,
                        c,
                    )
                }
                Swatch::Line(c) => {
                    let width = cx.stroke(2.0);
                    cx.path(&[(x, y), (x + sw, y)], c.to_rgba(), width)
                }
                Swatch::Dashed(c) => {
                    let width = cx.stroke(1.0);
                    cx.path(&[(x, y), (x + cx.px(5.0), y)], c.to_rgba(), width);
                    cx.path(&[(x + cx.px(8.0), y), (x + sw, y)], c.to_rgba(), width);
                }
            }
            cx.text(
                label,
                text_x,
                y,
                cx.t.legend,
                false,
                text_colour,
                HPos::Left,
                VPos::Center,
            );
            x += w + cx.px(if cx.small { 10.0 } else { 14.0 });
        }
    }

    f
}

/// Milestone lines and labels, drawn over the data.
fn finish(cx: &mut Ctx, f: &Frame) {
    let line_h = cx.line_h(cx.t.milestone);
    let colour = cx.c.milestone.to_rgba();
    let text_colour = cx.c.milestone_text;
    let width = cx.stroke(1.0);
    let gap = cx.px(3.0);
    for m in &f.milestones {
        let label_top = f.band_top + m.row as f64 * line_h;
        let top = if m.label.is_empty() { f.top } else { label_top };
        cx.path(&[(m.x, top), (m.x, f.bottom)], colour, width);
        if !m.label.is_empty() {
            let (x, h) = if m.right_of_line {
                (m.x + gap, HPos::Left)
            } else {
                (m.x - gap, HPos::Right)
            };
            cx.text(
                m.label.clone(),
                x,
                label_top + cx.px(1.0),
                cx.t.milestone,
                false,
                text_colour,
                h,
                VPos::Top,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Input checks and helpers shared by the kinds.

fn check_dates(dates: &[NaiveDate]) -> Result<(), ChartError> {
    for pair in dates.windows(2) {
        if pair[1] <= pair[0] {
            return Err(ChartError::DatesNotAscending(pair[1]));
        }
    }
    Ok(())
}

fn check_len(field: &str, expected: usize, got: usize) -> Result<(), ChartError> {
    if expected == got {
        Ok(())
    } else {
        Err(ChartError::LengthMismatch {
            field: field.to_string(),
            expected,
            got,
        })
    }
}

fn week_range(weeks: &[NaiveDate]) -> Option<(NaiveDate, NaiveDate)> {
    let first = *weeks.first()?;
    let last = *weeks.last()?;
    Some((first, last + chrono::Days::new(6)))
}

fn caption_n(range: (NaiveDate, NaiveDate), n: u64) -> String {
    format!(
        "{} · n = {}",
        crate::units::date_range(range.0, range.1),
        crate::units::count(n)
    )
}

/// Week-start candidates for x labels, at each week's centre.
fn week_candidates(weeks: &[NaiveDate], start: NaiveDate) -> Vec<(f64, NaiveDate)> {
    weeks
        .iter()
        .map(|w| ((*w - start).num_days() as f64 + 3.5, *w))
        .collect()
}

fn day_of(d: NaiveDate, start: NaiveDate) -> f64 {
    (d - start).num_days() as f64
}

/// A finite, non-negative value, or a gap.
fn clean(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite() && *x >= 0.0)
}

/// Draws a weekly series as polylines through week centres, broken at gaps (a `None`, or a
/// missing week); a week with neighbours on neither side becomes a dot.
fn weekly_line(
    cx: &mut Ctx,
    f: &Frame,
    weeks: &[NaiveDate],
    values: &[Option<f64>],
    to_y: impl Fn(&Frame, f64) -> f64,
    colour: RGBColor,
    width_css: f64,
) {
    let start = weeks[0];
    let mut run: Vec<(f64, f64)> = vec![];
    let mut prev_day: Option<f64> = None;
    let width = cx.stroke(width_css);
    let dot_r = cx.px(width_css + 0.8);
    let flush = |cx: &mut Ctx, run: &mut Vec<(f64, f64)>| {
        match run.len() {
            0 => {}
            1 => cx.dot(run[0].0, run[0].1, dot_r, colour.to_rgba()),
            _ => cx.path(run, colour.to_rgba(), width),
        }
        run.clear();
    };
    for (w, v) in weeks.iter().zip(values) {
        let day = day_of(*w, start);
        match clean(*v) {
            Some(v) => {
                if prev_day.is_some_and(|p| day - p > 7.0) {
                    flush(cx, &mut run);
                }
                run.push((f.x(day + 3.5), to_y(f, v)));
                prev_day = Some(day);
            }
            None => {
                flush(cx, &mut run);
                prev_day = None;
            }
        }
    }
    flush(cx, &mut run);
}

/// Faint bars of n per week in the lowest quarter of the plot (drawn under the lines).
fn faint_n_bars(cx: &mut Ctx, f: &Frame, weeks: &[NaiveDate], n: &[u64]) {
    let max = n.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return;
    }
    let start = weeks[0];
    let band = (f.bottom - f.top) * 0.25;
    let colour = cx.c.faint.to_rgba();
    for (w, &v) in weeks.iter().zip(n) {
        if v == 0 {
            continue;
        }
        let day = day_of(*w, start);
        let h = band * v as f64 / max as f64;
        cx.rect(
            f.x(day + 0.9),
            f.bottom - h,
            f.x(day + 6.1),
            f.bottom,
            colour,
        );
    }
}

fn tick_count(cx: &Ctx) -> usize {
    if cx.small {
        3
    } else {
        5
    }
}

// ---------------------------------------------------------------------------------------------
// The kinds.

fn queue_chart(cx: &mut Ctx, q: &QueueConsolidation) -> Result<(), ChartError> {
    check_dates(&q.weeks)?;
    for s in &q.queues {
        check_len(
            &format!("queue {:?} items", s.name),
            q.weeks.len(),
            s.items.len(),
        )?;
    }
    if !q.active_queues.is_empty() {
        check_len("active_queues", q.weeks.len(), q.active_queues.len())?;
    }
    let Some(range) = week_range(&q.weeks) else {
        no_data(cx, &q.title, "");
        return Ok(());
    };
    let totals: Vec<u64> = (0..q.weeks.len())
        .map(|i| q.queues.iter().map(|s| s.items[i]).sum())
        .collect();
    let n: u64 = totals.iter().sum();
    if n == 0 {
        no_data(cx, &q.title, &caption_n(range, 0));
        return Ok(());
    }

    // Stacking order: the primary queue at the bottom in blue, then the others in the order
    // given, each in the next Okabe–Ito colour; beyond the palette, the smallest become "Other".
    let primary = q.queues.iter().position(|s| s.primary);
    let mut stack: Vec<(String, RGBAColor, Vec<u64>)> = vec![];
    if let Some(p) = primary {
        let s = &q.queues[p];
        stack.push((
            format!("{} (primary)", s.name),
            BLUE.to_rgba(),
            s.items.clone(),
        ));
    }
    let others: Vec<(usize, &super::QueueSeries)> = q
        .queues
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != primary)
        .collect();
    let palette = &QUEUE_COLOURS[1..];
    let (kept, merged): (Vec<_>, Vec<_>) = if others.len() > palette.len() {
        let mut by_size = others.clone();
        by_size.sort_by_key(|(_, s)| std::cmp::Reverse(s.items.iter().sum::<u64>()));
        let keep: Vec<usize> = by_size[..palette.len() - 1]
            .iter()
            .map(|(i, _)| *i)
            .collect();
        others.into_iter().partition(|(i, _)| keep.contains(i))
    } else {
        (others, vec![])
    };
    for ((_, s), colour) in kept.iter().zip(palette) {
        stack.push((s.name.clone(), colour.to_rgba(), s.items.clone()));
    }
    if !merged.is_empty() {
        let items = (0..q.weeks.len())
            .map(|i| merged.iter().map(|(_, s)| s.items[i]).sum())
            .collect();
        stack.push((
            format!("Other ({} queues)", merged.len()),
            cx.c.other.to_rgba(),
            items,
        ));
    }

    let max_total = totals.iter().copied().max().unwrap_or(0) as f64;
    let (ticks, step) = nice_ticks(0.0, max_total, tick_count(cx), true);
    let left = Axis {
        labels: ticks.iter().map(|v| tick_number(*v, step)).collect(),
        ticks,
        unit: Some("items".into()),
    };
    let has_line = !q.active_queues.is_empty() || q.target.is_some();
    let right = has_line.then(|| {
        let max = q
            .active_queues
            .iter()
            .copied()
            .chain(q.target)
            .max()
            .unwrap_or(1);
        let count = if cx.small { 2 } else { 4 };
        let (ticks, step) = nice_ticks(0.0, f64::from(max) + 0.5, count, true);
        Axis {
            labels: ticks.iter().map(|v| tick_number(*v, step)).collect(),
            ticks,
            unit: Some("queues".into()),
        }
    });

    let ink = cx.c.ink;
    let mut legend: Vec<LegendItem> = stack
        .iter()
        .map(|(name, colour, _)| LegendItem {
            label: name.clone(),
            swatch: Swatch::Box(*colour),
        })
        .collect();
    if !q.active_queues.is_empty() {
        legend.push(LegendItem {
            label: "Active queues".into(),
            swatch: Swatch::Line(ink),
        });
    }
    if let Some(t) = q.target {
        legend.push(LegendItem {
            label: format!("Target ({t})"),
            swatch: Swatch::Dashed(ink),
        });
    }

    let start = range.0;
    let days = day_of(range.1, start) + 1.0;
    let f = frame(
        cx,
        FrameSpec {
            title: &q.title,
            caption: caption_n(range, n),
            start,
            days,
            x_candidates: week_candidates(&q.weeks, start),
            left,
            right,
            legend,
            legend_rows: if cx.small { 2 } else { 3 },
            milestones: &q.milestones,
            value_row: None,
        },
    );

    // Stacked bars.
    for (i, w) in q.weeks.iter().enumerate() {
        let day = day_of(*w, start);
        let (x0, x1) = (f.x(day + 0.9), f.x(day + 6.1));
        let mut base = 0u64;
        for (_, colour, items) in &stack {
            let v = items[i];
            if v == 0 {
                continue;
            }
            cx.rect(x0, f.y(base as f64), x1, f.y((base + v) as f64), *colour);
            base += v;
        }
    }

    // Target (dashed) and active queues (a step per week) on the right axis.
    if let Some(t) = q.target {
        let y = f.y2(f64::from(t));
        let (l, r) = (f.left, f.right);
        let width = cx.stroke(1.2);
        cx.dashed_hline(l, r, y, ink.to_rgba(), width);
    }
    if !q.active_queues.is_empty() {
        let mut run: Vec<(f64, f64)> = vec![];
        let mut prev_end: Option<f64> = None;
        let width = cx.stroke(2.0);
        for (w, &a) in q.weeks.iter().zip(&q.active_queues) {
            let day = day_of(*w, start);
            let y = f.y2(f64::from(a));
            if prev_end.is_some_and(|p| day > p) {
                cx.path(&run, ink.to_rgba(), width);
                run.clear();
            }
            run.push((f.x(day), y));
            run.push((f.x(day + 7.0), y));
            prev_end = Some(day + 7.0);
        }
        cx.path(&run, ink.to_rgba(), width);
    }

    finish(cx, &f);
    Ok(())
}

/// What a line chart (timing, share) needs beyond its values.
struct LineSpec<'a> {
    title: &'a str,
    /// Said after the data range and n (e.g. that the percentiles are bucket estimates).
    caption_note: Option<&'a str>,
    weeks: &'a [NaiveDate],
    n: &'a [u64],
    milestones: &'a [Milestone],
    left: Axis,
    legend: Vec<LegendItem>,
}

fn line_frame(cx: &mut Ctx, spec: LineSpec<'_>, range: (NaiveDate, NaiveDate)) -> Frame {
    let start = range.0;
    let total: u64 = spec.n.iter().sum();
    let values: Vec<(f64, String)> = spec
        .weeks
        .iter()
        .zip(spec.n)
        .map(|(w, n)| (day_of(*w, start) + 3.5, crate::units::count(*n)))
        .collect();
    let f = frame(
        cx,
        FrameSpec {
            title: spec.title,
            caption: match spec.caption_note {
                Some(note) => format!("{} · {note}", caption_n(range, total)),
                None => caption_n(range, total),
            },
            start,
            days: day_of(range.1, start) + 1.0,
            x_candidates: week_candidates(spec.weeks, start),
            left: spec.left,
            right: None,
            legend: spec.legend,
            legend_rows: if cx.small { 1 } else { 2 },
            milestones: spec.milestones,
            value_row: (!cx.small).then_some(("n", values)),
        },
    );
    faint_n_bars(cx, &f, spec.weeks, spec.n);
    f
}

fn n_legend(cx: &Ctx, n: &[u64]) -> LegendItem {
    let max = n.iter().copied().max().unwrap_or(0);
    LegendItem {
        label: format!("n per week (bars, max {})", crate::units::count(max)),
        swatch: Swatch::Box(cx.c.faint.to_rgba()),
    }
}

fn timing_chart(cx: &mut Ctx, t: &TimingChart) -> Result<(), ChartError> {
    check_dates(&t.weeks)?;
    check_len("median_s", t.weeks.len(), t.median_s.len())?;
    check_len("p90_s", t.weeks.len(), t.p90_s.len())?;
    check_len("n", t.weeks.len(), t.n.len())?;
    let Some(range) = week_range(&t.weeks) else {
        no_data(cx, &t.title, "");
        return Ok(());
    };
    let max_s = t
        .median_s
        .iter()
        .chain(&t.p90_s)
        .filter_map(|v| clean(*v))
        .fold(f64::NEG_INFINITY, f64::max);
    if !max_s.is_finite() {
        no_data(cx, &t.title, &caption_n(range, t.n.iter().sum()));
        return Ok(());
    }
    let unit = DurationUnit::for_max(max_s);
    let (ticks, step) = nice_ticks(0.0, max_s / unit.seconds(), tick_count(cx), false);
    let left = Axis {
        labels: ticks
            .iter()
            .map(|v| format!("{} {}", tick_number(*v, step), unit.suffix()))
            .collect(),
        ticks: ticks.iter().map(|v| v * unit.seconds()).collect(),
        unit: None,
    };
    let (line, light) = (cx.c.line_primary, cx.c.line_secondary);
    let legend = vec![
        LegendItem {
            label: "Median".into(),
            swatch: Swatch::Line(line),
        },
        LegendItem {
            label: "p90".into(),
            swatch: Swatch::Line(light),
        },
        n_legend(cx, &t.n),
    ];
    let f = line_frame(
        cx,
        LineSpec {
            title: &t.title,
            caption_note: t
                .approximate
                .then_some("≈ percentiles from aggregates, ±12%"),
            weeks: &t.weeks,
            n: &t.n,
            milestones: &t.milestones,
            left,
            legend,
        },
        range,
    );
    weekly_line(cx, &f, &t.weeks, &t.p90_s, Frame::y, light, 1.5);
    weekly_line(cx, &f, &t.weeks, &t.median_s, Frame::y, line, 2.0);
    finish(cx, &f);
    Ok(())
}

fn share_chart(cx: &mut Ctx, s: &ShareChart) -> Result<(), ChartError> {
    check_dates(&s.weeks)?;
    check_len("share", s.weeks.len(), s.share.len())?;
    check_len("n", s.weeks.len(), s.n.len())?;
    let Some(range) = week_range(&s.weeks) else {
        no_data(cx, &s.title, "");
        return Ok(());
    };
    if s.share.iter().all(|v| clean(*v).is_none()) {
        no_data(cx, &s.title, &caption_n(range, s.n.iter().sum()));
        return Ok(());
    }
    let ticks: Vec<f64> = if cx.small {
        vec![0.0, 0.5, 1.0]
    } else {
        vec![0.0, 0.25, 0.5, 0.75, 1.0]
    };
    let left = Axis {
        labels: ticks.iter().map(|v| format!("{:.0}%", v * 100.0)).collect(),
        ticks,
        unit: None,
    };
    let legend = vec![
        LegendItem {
            label: "Share".into(),
            swatch: Swatch::Line(GREEN),
        },
        n_legend(cx, &s.n),
    ];
    let f = line_frame(
        cx,
        LineSpec {
            title: &s.title,
            caption_note: None,
            weeks: &s.weeks,
            n: &s.n,
            milestones: &s.milestones,
            left,
            legend,
        },
        range,
    );
    let share: Vec<Option<f64>> = s
        .share
        .iter()
        .map(|v| clean(*v).map(|x| x.min(1.0)))
        .collect();
    weekly_line(cx, &f, &s.weeks, &share, Frame::y, GREEN, 2.0);
    finish(cx, &f);
    Ok(())
}

fn burn_up(cx: &mut Ctx, b: &BurnUp) -> Result<(), ChartError> {
    check_dates(&b.dates)?;
    check_len("done", b.dates.len(), b.done.len())?;
    check_len("total", b.dates.len(), b.total.len())?;
    let (Some(&first), Some(&last)) = (b.dates.first(), b.dates.last()) else {
        no_data(cx, &b.title, "");
        return Ok(());
    };
    // Each value holds until the next date; the last one for the usual spacing.
    let spacing = b
        .dates
        .windows(2)
        .map(|p| (p[1] - p[0]).num_days())
        .min()
        .unwrap_or(1)
        .max(1);
    let end = last + chrono::Days::new(spacing as u64 - 1);
    let (done_now, total_now) = (
        b.done.last().copied().unwrap_or(0),
        b.total.last().copied().unwrap_or(0),
    );
    let caption = format!(
        "{} · {} of {} steps done",
        crate::units::date_range(first, end),
        crate::units::count(u64::from(done_now)),
        crate::units::count(u64::from(total_now))
    );
    let max = b.total.iter().chain(&b.done).copied().max().unwrap_or(0);
    if max == 0 {
        no_data(cx, &b.title, &caption);
        return Ok(());
    }
    let (ticks, step) = nice_ticks(0.0, f64::from(max), if cx.small { 2 } else { 4 }, true);
    let left = Axis {
        labels: ticks.iter().map(|v| tick_number(*v, step)).collect(),
        ticks,
        unit: Some("steps".into()),
    };
    let ink = cx.c.muted;
    let line = cx.c.line_primary;
    let legend = vec![
        LegendItem {
            label: "Done".into(),
            swatch: Swatch::Line(line),
        },
        LegendItem {
            label: "Total".into(),
            swatch: Swatch::Line(ink),
        },
    ];
    let x_candidates = b.dates.iter().map(|d| (day_of(*d, first), *d)).collect();
    let days = day_of(end, first) + 1.0;
    let f = frame(
        cx,
        FrameSpec {
            title: &b.title,
            caption,
            start: first,
            days,
            x_candidates,
            left,
            right: None,
            legend,
            legend_rows: 1,
            milestones: &b.milestones,
            value_row: None,
        },
    );
    let step_points = |f: &Frame, values: &[u32]| -> Vec<(f64, f64)> {
        let mut pts = vec![];
        for (i, (d, v)) in b.dates.iter().zip(values).enumerate() {
            let x0 = f.x(day_of(*d, first));
            let x1 = b
                .dates
                .get(i + 1)
                .map(|n| f.x(day_of(*n, first)))
                .unwrap_or(f.right);
            let y = f.y(f64::from(*v));
            pts.push((x0, y));
            pts.push((x1, y));
        }
        pts
    };
    let done = step_points(&f, &b.done);
    let total = step_points(&f, &b.total);
    // Light area under the done line.
    let fill = line.mix(0.14);
    for pair in done.chunks(2) {
        if let [(x0, y), (x1, _)] = pair {
            cx.rect(*x0, *y, *x1, f.bottom, fill);
        }
    }
    let (w_total, w_done) = (cx.stroke(1.5), cx.stroke(2.0));
    cx.path(&total, ink.to_rgba(), w_total);
    cx.path(&done, line.to_rgba(), w_done);
    finish(cx, &f);
    Ok(())
}
