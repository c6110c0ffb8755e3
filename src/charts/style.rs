//! Colours, type sizes and the embedded font.

use std::sync::OnceLock;

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{register_font, FontStyle, RGBColor};

use super::{ChartError, Theme};

/// The font family every chart's text uses (in the SVG it is the reader's own sans-serif).
pub(crate) const FAMILY: &str = "sans-serif";

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the embedded DejaVu Sans (regular and bold) with plotters as "sans-serif", once.
/// plotters' `ab_glyph` backend loads no system font: text can't be measured or drawn before this.
pub(crate) fn ensure_fonts() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, REGULAR).is_ok()
            && register_font(FAMILY, FontStyle::Bold, BOLD).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// Okabe–Ito, in the order queues take them. The first is the primary queue's; #CC79A7 is kept
/// for milestones and black for the active-queue line, so neither is handed to a queue.
pub(crate) const QUEUE_COLOURS: [RGBColor; 6] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
];
pub(crate) const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub(crate) const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);

/// The colours of one theme.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Colours {
    /// PNG background (SVGs are transparent).
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    /// Okabe–Ito's black, a light grey in the dark theme.
    pub ink: RGBColor,
    /// Queues beyond the palette, merged into "Other".
    pub other: RGBColor,
    /// Faint bars of n per week.
    pub faint: RGBColor,
    pub milestone: RGBColor,
    pub milestone_text: RGBColor,
    /// The main line (median, steps done) and the secondary one (p90): on a dark background
    /// the two blues swap, so that the main line stays the more prominent.
    pub line_primary: RGBColor,
    pub line_secondary: RGBColor,
}

impl Colours {
    pub(crate) fn of(theme: Theme) -> Self {
        match theme {
            Theme::Light => Self {
                background: RGBColor(0xFF, 0xFF, 0xFF),
                text: RGBColor(0x1F, 0x29, 0x33),
                muted: RGBColor(0x5F, 0x6B, 0x7A),
                grid: RGBColor(0xE4, 0xE7, 0xEB),
                axis: RGBColor(0x9A, 0xA5, 0xB1),
                ink: RGBColor(0x00, 0x00, 0x00),
                other: RGBColor(0xA8, 0xB0, 0xBA),
                faint: RGBColor(0xDD, 0xE2, 0xE8),
                milestone: RGBColor(0xCC, 0x79, 0xA7),
                milestone_text: RGBColor(0xA1, 0x4A, 0x7E),
                line_primary: BLUE,
                line_secondary: SKY,
            },
            Theme::Dark => Self {
                background: RGBColor(0x1B, 0x1F, 0x27),
                text: RGBColor(0xE4, 0xE7, 0xEB),
                muted: RGBColor(0xA3, 0xAD, 0xB8),
                grid: RGBColor(0x33, 0x3A, 0x45),
                axis: RGBColor(0x5F, 0x6B, 0x7A),
                ink: RGBColor(0xD0, 0xD4, 0xDA),
                other: RGBColor(0x6B, 0x74, 0x80),
                faint: RGBColor(0x2C, 0x33, 0x3E),
                milestone: RGBColor(0xCC, 0x79, 0xA7),
                milestone_text: RGBColor(0xE3, 0xA6, 0xC8),
                line_primary: SKY,
                line_secondary: BLUE,
            },
        }
    }
}

/// Type sizes in CSS pixels (the em size), by role.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TypeSizes {
    pub title: f64,
    pub caption: f64,
    pub tick: f64,
    pub legend: f64,
    pub milestone: f64,
    pub message: f64,
}

impl TypeSizes {
    pub(crate) fn new(small: bool) -> Self {
        if small {
            Self {
                title: 12.0,
                caption: 10.0,
                tick: 9.5,
                legend: 9.5,
                milestone: 9.5,
                message: 11.0,
            }
        } else {
            Self {
                title: 14.0,
                caption: 11.0,
                tick: 10.5,
                legend: 10.5,
                milestone: 10.0,
                message: 13.0,
            }
        }
    }
}

/// plotters' font size for an em size in pixels (plotters writes `font-size = size / 1.24`).
pub(crate) fn plotters_size(em_px: f64) -> f64 {
    em_px * 1.24
}

struct Faces {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

fn faces() -> Option<&'static Faces> {
    static FACES: OnceLock<Option<Faces>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Some(Faces {
                regular: FontRef::try_from_slice(REGULAR).ok()?,
                bold: FontRef::try_from_slice(BOLD).ok()?,
            })
        })
        .as_ref()
}

fn face(bold: bool) -> Option<&'static FontRef<'static>> {
    faces().map(|f| if bold { &f.bold } else { &f.regular })
}

/// ab_glyph's scale for a font size of `em` pixels (as CSS means font-size).
fn px_scale(font: &FontRef<'static>, em: f64) -> PxScale {
    let upem = font.units_per_em().unwrap_or(2048.0);
    PxScale::from(em as f32 * font.height_unscaled() / upem)
}

/// The advance width in pixels of `text` at a font size of `em` pixels, kerning included.
pub(crate) fn text_width(text: &str, em: f64, bold: bool) -> f64 {
    let Some(font) = face(bold) else {
        return text.chars().count() as f64 * em * 0.6;
    };
    let scaled = font.as_scaled(px_scale(font, em));
    let mut width = 0f32;
    let mut prev: Option<GlyphId> = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        prev = Some(id);
    }
    f64::from(width)
}

/// How far below the anchor point the baseline sits, as the SVG's `dy` puts it
/// (top: 0.76em, centre: 0.5ex, bottom: −0.5ex; DejaVu's x-height is 0.546em).
pub(crate) fn baseline_offset(em: f64, v: VPos) -> f64 {
    let ex = 0.546 * em;
    match v {
        VPos::Top => 0.76 * em,
        VPos::Center => 0.5 * ex,
        VPos::Bottom => -0.5 * ex,
    }
}

/// Rasterises `text` with the embedded font, anchored at (x, y) like the SVG's `<text>`, and
/// hands each covered pixel with its coverage (0..1) to `put`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn rasterize(
    text: &str,
    em: f64,
    bold: bool,
    x: f64,
    y: f64,
    h: HPos,
    v: VPos,
    mut put: impl FnMut(i32, i32, f32),
) {
    let Some(font) = face(bold) else {
        return;
    };
    let scale = px_scale(font, em);
    let scaled = font.as_scaled(scale);
    let width = text_width(text, em, bold);
    let left = match h {
        HPos::Left => x,
        HPos::Center => x - width / 2.0,
        HPos::Right => x - width,
    } as f32;
    let baseline = (y + baseline_offset(em, v)) as f32;
    let mut caret = 0f32;
    let mut prev: Option<GlyphId> = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(scale, point(left + caret, baseline));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            let (bx, by) = (bounds.min.x as i32, bounds.min.y as i32);
            outline.draw(|gx, gy, coverage| put(bx + gx as i32, by + gy as i32, coverage));
        }
        caret += scaled.h_advance(id);
        prev = Some(id);
    }
}
