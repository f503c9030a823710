//! The chart functions.

pub(crate) mod comparisons;
pub(crate) mod distributions;
pub(crate) mod item_panels;
pub(crate) mod items;
pub(crate) mod tiles;

use crate::error::ChartError;
use crate::options::{ChartOptions, Rendered};
use crate::scene::{Scene, ensure_fonts};

pub(crate) fn start(opts: &ChartOptions) -> Result<(), ChartError> {
    opts.validate()?;
    ensure_fonts()
}

pub(crate) fn finish(scene: Scene, opts: &ChartOptions) -> Result<Rendered, ChartError> {
    let svg = scene.to_svg(opts.embed_font_in_svg);
    let png = scene.to_png()?;
    Ok(Rendered {
        svg,
        png,
        width: scene.width.round() as u32,
        height: scene.height.round() as u32,
    })
}

pub(crate) fn check_finite(
    chart: &'static str,
    item: &str,
    what: &str,
    v: f64,
) -> Result<(), ChartError> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(ChartError::InvalidValue {
            chart,
            item: item.to_string(),
            problem: format!("{what} is {v}; pass a finite number"),
        })
    }
}
