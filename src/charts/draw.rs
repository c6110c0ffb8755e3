//! Replays a laid-out chart on a plotters backend (SVG or bitmap).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::Pos;
use plotters::style::{FontFamily, FontStyle};

use super::layout::{Plan, Prim};
use super::style::{self, FAMILY};
use super::{draw_error, ChartError};

/// Draws `plan` on `root`. For a bitmap, the background is filled and text is rasterised with
/// the embedded font; for SVG, the background stays transparent and text is a `<text>` element
/// (escaped by plotters) that the reader's sans-serif renders.
pub(crate) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plan: &Plan,
    bitmap: bool,
) -> Result<(), ChartError> {
    if bitmap {
        root.fill(&plan.background).map_err(draw_error)?;
    }
    for prim in &plan.prims {
        match prim {
            Prim::Rect {
                x0,
                y0,
                x1,
                y1,
                colour,
            } => root
                .draw(&Rectangle::new([(*x0, *y0), (*x1, *y1)], colour.filled()))
                .map_err(draw_error)?,
            Prim::Path {
                points,
                colour,
                width,
            } => root
                .draw(&PathElement::new(
                    points.clone(),
                    colour.stroke_width(*width),
                ))
                .map_err(draw_error)?,
            Prim::Dot { x, y, r, colour } => root
                .draw(&Circle::new((*x, *y), *r, colour.filled()))
                .map_err(draw_error)?,
            Prim::Text {
                text,
                x,
                y,
                em,
                bold,
                colour,
                h,
                v,
            } if bitmap => {
                let mut result = Ok(());
                style::rasterize(
                    text,
                    *em,
                    *bold,
                    f64::from(*x),
                    f64::from(*y),
                    *h,
                    *v,
                    |px, py, coverage| {
                        if coverage > 0.004 && result.is_ok() {
                            let coverage = f64::from(coverage.min(1.0));
                            result = root.draw_pixel((px, py), &colour.mix(coverage));
                        }
                    },
                );
                result.map_err(draw_error)?;
            }
            Prim::Text {
                text,
                x,
                y,
                em,
                bold,
                colour,
                h,
                v,
            } => {
                let face = if *bold {
                    FontStyle::Bold
                } else {
                    FontStyle::Normal
                };
                let font = FontDesc::new(FontFamily::Name(FAMILY), style::plotters_size(*em), face);
                let text_style = TextStyle::from(font).color(colour).pos(Pos::new(*h, *v));
                root.draw_text(text, &text_style, (*x, *y))
                    .map_err(draw_error)?;
            }
        }
    }
    Ok(())
}
