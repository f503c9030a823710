//! Time to render the whole chart set (12 charts, SVG + PNG, 1800 px wide).

#[path = "../sample/mod.rs"]
mod sample;

use criterion::{Criterion, criterion_group, criterion_main};
use egov_charts::*;

fn chart_set(c: &mut Criterion) {
    let lang = Lang::En;
    let opts = ChartOptions::new(lang);
    let (blocks, models) = sample::coefficient_blocks(lang);
    let (grid, curves) = sample::item_curves(lang);
    let (igrid, info) = sample::information();
    let dsi = sample::dsi_groups(lang, 3000);
    let values: Vec<f64> = dsi.iter().flat_map(|g| g.values.clone()).collect();
    let weights: Vec<f64> = dsi.iter().flat_map(|g| g.weights.clone()).collect();
    let mut group = c.benchmark_group("charts");
    group.sample_size(10);
    group.bench_function("chart_set_12_svg_png", |b| {
        b.iter(|| {
            regional_comparison(
                &sample::regional_uptake(lang),
                Some(0.62),
                Measure::Uptake,
                &opts,
            )
            .unwrap();
            regional_comparison(&sample::regional_dsi(lang), Some(0.0), Measure::Dsi, &opts)
                .unwrap();
            region_effects(&sample::region_effects(lang), "Akmola region", &opts).unwrap();
            grouped_comparison(&sample::age_by_settlement(lang), &opts).unwrap();
            grouped_comparison(&sample::by_education(lang), &opts).unwrap();
            coefficient_plot(&blocks, &models, &opts).unwrap();
            dsi_distribution(&dsi, DistributionKind::Density, &opts).unwrap();
            dsi_distribution(&dsi, DistributionKind::Box, &opts).unwrap();
            item_curves(&grid, &curves, &opts).unwrap();
            test_information(&igrid, &info, &values, &weights, &opts).unwrap();
            item_map(&sample::item_points(lang), &opts).unwrap();
            tile_map(
                &sample::tile_values(),
                TileLayout::Units2021,
                "Uptake, %",
                0,
                &opts,
            )
            .unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, chart_set);
criterion_main!(benches);
