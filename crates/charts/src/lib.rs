//! Report-ready charts for e-government uptake and digital skills.
//!
//! `egov-charts` owns the figures of the egov toolkit: regional and
//! demographic comparisons with confidence intervals, coefficient plots, DSI
//! distributions, item response charts and a tile map of Kazakhstan's regions.
//! Every chart is rendered to both SVG and PNG in one house style, with
//! titles, axis texts and notes in English, Russian or Kazakh.
//!
//! It does **not** compute survey estimates, fit models or read data: callers
//! pass plain structs ([`Estimate`], [`CoefBlock`], [`DsiGroup`], θ grids and
//! curves) holding numbers computed elsewhere, so confidence intervals on a
//! chart are the same numbers as in the tables. The only statistics computed
//! here are those a chart draws: weighted kernel densities and quantiles.
//!
//! Text is set in Noto Sans (Regular and Bold, SIL OFL 1.1), embedded in the
//! library: a machine without any installed fonts renders the same PNG byte
//! for byte. SVG text names the `'Noto Sans'` family, and
//! [`ChartOptions::embed_font_in_svg`] embeds the font files in the SVG.
//!
//! ```
//! # fn main() -> Result<(), egov_charts::ChartError> {
//! use egov_charts::{regional_comparison, ChartOptions, Estimate, Lang, Measure};
//! let rows = vec![
//!     Estimate::new("Астана", 0.82, 0.79, 0.85, 2400).highlighted(),
//!     Estimate::new("Түркістан облысы", 0.55, 0.52, 0.58, 3900),
//! ];
//! let opts = ChartOptions {
//!     source_note: Some("Дереккөз: 2021 жылғы зерттеудің синтетикалық көшірмесі".into()),
//!     ..ChartOptions::new(Lang::Kk)
//! };
//! let chart = regional_comparison(&rows, Some(0.66), Measure::Uptake, &opts)?;
//! assert_eq!((chart.width, chart.height), (1800, 1100));
//! assert!(chart.png.starts_with(b"\x89PNG"));
//! # Ok(()) }
//! ```

mod charts;
mod error;
mod i18n;
mod options;
mod rows;
mod scene;
mod stats;
mod theme;
mod xy;

pub use charts::comparisons::{
    CoefBlock, CoefRow, Estimate, Group, Interval, Measure, coefficient_plot, grouped_comparison,
    region_effects, regional_comparison,
};
pub use charts::distributions::{DistributionKind, DsiGroup, dsi_distribution};
pub use charts::items::{item_curves, item_map, test_information};
pub use charts::tiles::{TileLayout, layout_units, region_slug, tile_map};
pub use error::ChartError;
pub use options::{ChartOptions, Format, Lang, Rendered};
pub use stats::{effective_n, silverman_bandwidth, weighted_kde, weighted_quantile};

#[cfg(test)]
mod layout_tests {
    use crate::scene::Scene;
    use crate::theme::Frame;
    use crate::{ChartOptions, Lang};

    fn assert_inside(scene: &Scene) {
        for (text, (l, t, r, b)) in scene.text_boxes() {
            assert!(
                l >= -0.5 && t >= -0.5 && r <= scene.width + 0.5 && b <= scene.height + 0.5,
                "text '{text}' at ({l:.0},{t:.0})-({r:.0},{b:.0}) leaves the {}x{} canvas",
                scene.width,
                scene.height
            );
        }
    }

    #[test]
    fn long_titles_and_notes_wrap_inside_the_canvas() {
        crate::scene::ensure_fonts().unwrap();
        let long =
            "Шығыс Қазақстан облысындағы электрондық үкіметті пайдаланатындардың үлесі ".repeat(3);
        let opts = ChartOptions {
            title: Some(long.clone()),
            subtitle: Some(long.clone()),
            source_note: Some(long),
            ..ChartOptions::new(Lang::Kk)
        };
        let frame = Frame::new(&opts, "x", &[], &["Ә Ғ Қ Ң Ө Ұ Ү Һ І".to_string()]);
        assert_inside(&frame.scene);
        assert!(
            frame.plot.1 < frame.plot.3,
            "the plot area must keep a positive height"
        );
    }
}
