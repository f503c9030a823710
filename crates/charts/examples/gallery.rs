//! Renders every chart type on made-up numbers, in English and Kazakh.
//!
//! ```text
//! cargo run -p egov-charts --example gallery -- [OUT_DIR] [--svg]
//! ```
//! writes PNGs (and SVGs with `--svg`) to OUT_DIR (default `docs/figures`).

#[path = "../sample/mod.rs"]
mod sample;

use egov_charts::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "docs/figures".into());
    let mut formats = vec![Format::Png];
    if args.iter().any(|a| a == "--svg") {
        formats.push(Format::Svg);
    }
    let dir = std::path::Path::new(&out);
    for (lang, suffix, source) in [
        (
            Lang::En,
            "en",
            "Source: synthetic replica of the 2021 household ICT survey (56,649 adults); illustrative numbers.",
        ),
        (
            Lang::Kk,
            "kk",
            "Дереккөз: 2021 жылғы АКТ зерттеуінің синтетикалық көшірмесі (56 649 ересек); иллюстрациялық сандар.",
        ),
    ] {
        let opts = ChartOptions {
            source_note: Some(source.to_string()),
            ..ChartOptions::new(lang)
        };
        let tall = ChartOptions {
            height: 700,
            ..opts.clone()
        };
        let charts = render_all(lang, &opts, &tall)?;
        for (stem, chart) in charts {
            let written = chart.write(dir, &format!("{stem}_{suffix}"), &formats)?;
            for path in written {
                println!("{}", path.display());
            }
        }
    }
    Ok(())
}

fn render_all(
    lang: Lang,
    opts: &ChartOptions,
    tall: &ChartOptions,
) -> Result<Vec<(&'static str, Rendered)>, ChartError> {
    let national = 0.62;
    let (blocks, models) = sample::coefficient_blocks(lang);
    let (grid, curves) = sample::item_curves(lang);
    let (igrid, info) = sample::information();
    let dsi = sample::dsi_groups(lang, 3000);
    let all_values: Vec<f64> = dsi.iter().flat_map(|g| g.values.clone()).collect();
    let all_weights: Vec<f64> = dsi.iter().flat_map(|g| g.weights.clone()).collect();
    let tile_title = if lang == Lang::Kk {
        "Пайдаланатындар, %"
    } else {
        "Share using e-government, %"
    };
    let age_title = ChartOptions {
        title: Some(
            if lang == Lang::Kk {
                "Жас тобы мен елді мекен бойынша электрондық үкіметті пайдалану"
            } else {
                "E-government uptake by age group, urban and rural"
            }
            .into(),
        ),
        ..opts.clone()
    };
    let edu_title = ChartOptions {
        title: Some(
            if lang == Lang::Kk {
                "Білім деңгейі бойынша электрондық үкіметті пайдалану"
            } else {
                "E-government uptake by education"
            }
            .into(),
        ),
        ..opts.clone()
    };
    Ok(vec![
        (
            "regional_uptake",
            regional_comparison(
                &sample::regional_uptake(lang),
                Some(national),
                Measure::Uptake,
                tall,
            )?,
        ),
        (
            "regional_dsi",
            regional_comparison(&sample::regional_dsi(lang), Some(0.0), Measure::Dsi, tall)?,
        ),
        (
            "region_effects",
            region_effects(
                &sample::region_effects(lang),
                &sample::name(lang, "Akmola region", "Ақмола облысы"),
                tall,
            )?,
        ),
        (
            "uptake_by_age",
            grouped_comparison(&sample::age_by_settlement(lang), &age_title)?,
        ),
        (
            "uptake_by_education",
            grouped_comparison(&sample::by_education(lang), &edu_title)?,
        ),
        ("coefficients", coefficient_plot(&blocks, &models, tall)?),
        (
            "dsi_density",
            dsi_distribution(&dsi, DistributionKind::Density, opts)?,
        ),
        (
            "dsi_box",
            dsi_distribution(&dsi, DistributionKind::Box, opts)?,
        ),
        ("item_curves", item_curves(&grid, &curves, tall)?),
        (
            "test_information",
            test_information(&igrid, &info, &all_values, &all_weights, tall)?,
        ),
        ("item_map", item_map(&sample::item_points(lang), opts)?),
        (
            "tile_map",
            tile_map(
                &sample::tile_values(),
                TileLayout::Units2021,
                tile_title,
                0,
                tall,
            )?,
        ),
    ])
}
