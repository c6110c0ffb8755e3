//! Charts: draws what it is given, as SVG (for the UI, HTML and PDF) and PNG (for slides).
//!
//! This module knows nothing of the store or of how metrics are computed: callers build one of
//! the plain input structs below ([`QueueConsolidation`], [`TimingChart`], [`ShareChart`],
//! [`BurnUp`]), wrap it in a [`Chart`] and call [`render_svg`] or [`render_png`]. One renderer
//! serves screen and report, so a chart looks the same everywhere.
//!
//! What every chart does:
//! - an optional title (an empty title draws none: the app's cards carry their own) and a caption
//!   with the data range and n, e.g. "Jun 2 – Aug 24, 2025 · n = 2,431";
//! - the plan's milestones as thin vertical lines with short labels, the same on every chart,
//!   staggered over up to three rows and shortened with an ellipsis where they would collide;
//! - colours from the Okabe–Ito palette (readable by colour-blind viewers); the primary queue is
//!   always #0072B2 and milestones always #CC79A7;
//! - a week with no data (`None`) is a gap in a line, never a zero;
//! - no weeks (or no figure at all) draws a "No data for this period" chart instead of failing.
//!
//! Fonts are embedded (DejaVu Sans, registered with plotters' `ab_glyph` backend): no system font
//! is looked up. Text from imported data is hostile and is escaped in the SVG by plotters.
//! The SVG uses presentation attributes only (no `<style>` element, no `style=` attribute, no
//! external reference), so it can be placed in a page under a strict Content Security Policy.
//!
//! Sizes below [`ChartSize::SMALL_WIDTH`] × [`ChartSize::SMALL_HEIGHT`] draw the "small" variant
//! used for the dashboard's bottom row: smaller type, fewer labels, one row of milestone labels.

mod draw;
mod format;
mod layout;
mod style;

use chrono::NaiveDate;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

pub use format::DurationUnit;

/// A point in the plan worth marking on every chart (a step's done date, or a chosen date).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub label: String,
    pub at: NaiveDate,
}

/// One queue's items per week (same length as the chart's `weeks`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueSeries {
    pub name: String,
    /// The queue the SOC consolidates onto: drawn first (at the bottom), always in #0072B2.
    pub primary: bool,
    pub items: Vec<u64>,
}

/// Stacked weekly items per queue, the active-queue count on a second axis and its target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueConsolidation {
    /// Drawn above the chart; empty draws no title.
    #[serde(default)]
    pub title: String,
    /// ISO week starts (Mondays), ascending.
    pub weeks: Vec<NaiveDate>,
    pub queues: Vec<QueueSeries>,
    /// Active queues per week (same length as `weeks`), or empty to draw no line.
    #[serde(default)]
    pub active_queues: Vec<u32>,
    /// The target number of active queues, drawn as a dashed line on the same axis.
    #[serde(default)]
    pub target: Option<u32>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

/// Weekly median and p90 of a duration (time to triage, time to resolve), in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimingChart {
    #[serde(default)]
    pub title: String,
    /// ISO week starts (Mondays), ascending.
    pub weeks: Vec<NaiveDate>,
    /// `None` where the week has no timed item: a gap, not a zero.
    pub median_s: Vec<Option<f64>>,
    pub p90_s: Vec<Option<f64>>,
    /// Timed items per week.
    pub n: Vec<u64>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// Some percentile was estimated from an aggregate's duration buckets (the caption says so).
    #[serde(default)]
    pub approximate: bool,
}

/// A weekly share (0..=1) drawn as a percentage line, e.g. the share closed by automation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareChart {
    #[serde(default)]
    pub title: String,
    /// ISO week starts (Mondays), ascending.
    pub weeks: Vec<NaiveDate>,
    /// `None` where the week has no item to share out: a gap, not a zero.
    pub share: Vec<Option<f64>>,
    /// Items the share is taken of, per week.
    pub n: Vec<u64>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

/// The plan's burn-up: steps done over time against the total number of steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BurnUp {
    #[serde(default)]
    pub title: String,
    /// Days or week starts, ascending; each value holds until the next date.
    pub dates: Vec<NaiveDate>,
    pub done: Vec<u32>,
    pub total: Vec<u32>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

/// Any chart this module draws. Serialized with a `kind` tag, e.g. `{"kind": "timing", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Chart {
    QueueConsolidation(QueueConsolidation),
    Timing(TimingChart),
    Share(ShareChart),
    BurnUp(BurnUp),
}

/// The chart's size in CSS pixels (PNG pixels at scale 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartSize {
    pub width: u32,
    pub height: u32,
}

impl ChartSize {
    /// Below either of these the small variant is drawn (fewer labels, smaller type).
    pub const SMALL_WIDTH: u32 = 480;
    pub const SMALL_HEIGHT: u32 = 220;
    /// The smallest and largest sizes accepted (per side, after scaling for PNG).
    pub const MIN: u32 = 100;
    pub const MAX: u32 = 4096;

    pub const fn new(width: u32, height: u32) -> Self {
        Self { width, height }
    }

    /// Whether this size draws the small variant.
    pub fn is_small(&self) -> bool {
        self.width < Self::SMALL_WIDTH || self.height < Self::SMALL_HEIGHT
    }
}

/// Light: dark text, PNG on white. Dark: light text and gridlines, PNG on a dark grey.
/// SVGs have a transparent background in both, so they sit on the page's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// Why a chart could not be drawn. Empty data is not an error (it draws a "No data" chart).
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("chart size {width}×{height} is outside {min}–{max} pixels per side", min = ChartSize::MIN, max = ChartSize::MAX)]
    InvalidSize { width: u32, height: u32 },
    #[error("PNG scale {0} is outside 1–4")]
    InvalidScale(u32),
    #[error("{field} has {got} values for {expected} dates")]
    LengthMismatch {
        field: String,
        expected: usize,
        got: usize,
    },
    #[error("dates must be ascending without repeats ({0} is not after the date before it)")]
    DatesNotAscending(NaiveDate),
    #[error("the embedded chart font could not be loaded")]
    Font,
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the PNG failed: {0}")]
    Png(String),
}

/// Draws `chart` as a self-contained SVG document of `size` pixels.
///
/// # Errors
/// [`ChartError::InvalidSize`] outside [`ChartSize::MIN`]..=[`ChartSize::MAX`],
/// [`ChartError::LengthMismatch`] / [`ChartError::DatesNotAscending`] for inconsistent input.
pub fn render_svg(chart: &Chart, size: ChartSize, theme: Theme) -> Result<String, ChartError> {
    check_size(size.width, size.height)?;
    let plan = layout::plan(chart, size, theme, 1.0)?;
    let mut svg = String::with_capacity(64 * 1024);
    {
        let root = SVGBackend::with_string(&mut svg, (size.width, size.height)).into_drawing_area();
        draw::draw(&root, &plan, false)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// Draws `chart` as a PNG of `size` × `scale` pixels (scale 2 for slides); everything, type
/// included, is scaled, so a 2× PNG looks like the 1× one at double resolution.
///
/// # Errors
/// As [`render_svg`], plus [`ChartError::InvalidScale`] outside 1..=4 and
/// [`ChartError::InvalidSize`] when the scaled size exceeds [`ChartSize::MAX`].
pub fn render_png(
    chart: &Chart,
    size: ChartSize,
    theme: Theme,
    scale: u32,
) -> Result<Vec<u8>, ChartError> {
    if !(1..=4).contains(&scale) {
        return Err(ChartError::InvalidScale(scale));
    }
    check_size(size.width, size.height)?;
    let (w, h) = (size.width * scale, size.height * scale);
    check_size(w, h)?;
    // plotters draws bitmap lines without anti-aliasing: draw at twice the size and average
    // each 2×2 block. Large images (a 2× slide) skip it: they are shown scaled down anyway, and
    // it would cost four times the pixels.
    let ss = if u64::from(w) * u64::from(h) * 4 <= SUPERSAMPLE_MAX_PIXELS {
        2
    } else {
        1
    };
    let plan = layout::plan(chart, size, theme, f64::from(scale * ss))?;
    let mut pixels = vec![0u8; (w * ss) as usize * (h * ss) as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w * ss, h * ss)).into_drawing_area();
        draw::draw(&root, &plan, true)?;
        root.present().map_err(draw_error)?;
    }
    if ss == 2 {
        pixels = halve(&pixels, w, h);
    }
    let mut out = Vec::with_capacity(pixels.len() / 8);
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder
            .write_header()
            .map_err(|e| ChartError::Png(e.to_string()))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| ChartError::Png(e.to_string()))?;
        writer
            .finish()
            .map_err(|e| ChartError::Png(e.to_string()))?;
    }
    Ok(out)
}

/// The largest supersampled bitmap drawn for a PNG (4 × 1,500,000 pixels, 18 MB of RGB).
const SUPERSAMPLE_MAX_PIXELS: u64 = 6_000_000;

/// Averages each 2×2 block of a (2w)×(2h) RGB image into a w×h one.
fn halve(big: &[u8], w: u32, h: u32) -> Vec<u8> {
    let (w, h) = (w as usize, h as usize);
    let stride = w * 2 * 3;
    let mut out = vec![0u8; w * h * 3];
    for y in 0..h {
        let top = &big[(2 * y) * stride..(2 * y + 1) * stride];
        let bottom = &big[(2 * y + 1) * stride..(2 * y + 2) * stride];
        let row = &mut out[y * w * 3..(y + 1) * w * 3];
        for x in 0..w {
            for c in 0..3 {
                let i = x * 6 + c;
                let sum = u16::from(top[i])
                    + u16::from(top[i + 3])
                    + u16::from(bottom[i])
                    + u16::from(bottom[i + 3]);
                row[x * 3 + c] = ((sum + 2) / 4) as u8;
            }
        }
    }
    out
}

fn check_size(width: u32, height: u32) -> Result<(), ChartError> {
    let ok = |v: u32| (ChartSize::MIN..=ChartSize::MAX).contains(&v);
    if ok(width) && ok(height) {
        Ok(())
    } else {
        Err(ChartError::InvalidSize { width, height })
    }
}

fn draw_error<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}
