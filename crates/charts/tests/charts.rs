//! Every chart on realistic data and on edge cases, with checks on the SVG.

#[path = "../sample/mod.rs"]
mod sample;

use egov_charts::*;

fn small(lang: Lang) -> ChartOptions {
    ChartOptions {
        scale: 1.0,
        source_note: Some("Source: synthetic replica of the 2021 survey".into()),
        ..ChartOptions::new(lang)
    }
}

fn count(svg: &str, tag: &str, class: &str) -> usize {
    svg.matches(&format!("<{tag} class=\"{class}\"")).count()
}

/// Every `<text>` anchor point lies on the canvas.
fn texts_on_canvas(chart: &Rendered) {
    for piece in chart.svg.split("<text ").skip(1) {
        let attr = |name: &str| -> f64 {
            let start = piece
                .find(&format!(" {name}=\""))
                .or_else(|| piece.find(&format!("{name}=\"")))
                .unwrap();
            let rest = &piece[start..];
            let q = rest.find('"').unwrap() + 1;
            let end = rest[q..].find('"').unwrap();
            rest[q..q + end].parse().unwrap()
        };
        let (x, y) = (attr("x"), attr("y"));
        assert!(
            x >= 0.0 && x <= chart.width as f64 && y >= 0.0 && y <= chart.height as f64,
            "text at ({x},{y}) off canvas: {}",
            &piece[..piece.len().min(120)]
        );
    }
}

#[test]
fn regional_uptake_has_one_bar_per_region_and_a_national_line() {
    let rows = sample::regional_uptake(Lang::En);
    let chart = regional_comparison(&rows, Some(0.62), Measure::Uptake, &small(Lang::En)).unwrap();
    assert_eq!(count(&chart.svg, "rect", "data"), 17);
    assert!(chart.svg.contains("National average 62%"));
    assert!(
        chart
            .svg
            .contains("font-weight=\"bold\">Astana city</text>")
    );
    // 17 whiskers, each a line and two caps.
    assert_eq!(count(&chart.svg, "polyline", "interval"), 17 * 3);
    texts_on_canvas(&chart);
    assert!(chart.png.starts_with(b"\x89PNG"));
}

#[test]
fn rendering_is_deterministic() {
    let rows = sample::regional_uptake(Lang::Kk);
    let a = regional_comparison(&rows, Some(0.62), Measure::Uptake, &small(Lang::Kk)).unwrap();
    let b = regional_comparison(&rows, Some(0.62), Measure::Uptake, &small(Lang::Kk)).unwrap();
    assert_eq!(a.png, b.png);
    assert_eq!(a.svg, b.svg);
}

#[test]
fn kazakh_letters_reach_the_svg() {
    let rows = sample::regional_dsi(Lang::Kk);
    let chart = regional_comparison(&rows, None, Measure::Dsi, &small(Lang::Kk)).unwrap();
    for name in ["Шығыс Қазақстан облысы", "Өңірлер бойынша цифрлық дағдылар"]
    {
        assert!(chart.svg.contains(name), "{name}");
    }
    assert_eq!(count(&chart.svg, "circle", "data"), 17);
}

#[test]
fn empty_region_is_annotated_not_drawn_as_zero() {
    let mut rows = sample::regional_uptake(Lang::En);
    rows[5].n = 0;
    rows[6].estimate = f64::NAN;
    let chart = regional_comparison(&rows, Some(0.6), Measure::Uptake, &small(Lang::En)).unwrap();
    assert_eq!(count(&chart.svg, "rect", "data"), 15);
    assert_eq!(chart.svg.matches("no respondents").count(), 2);
}

#[test]
fn bad_inputs_give_errors_naming_the_row() {
    assert!(matches!(
        regional_comparison(&[], None, Measure::Uptake, &small(Lang::En)),
        Err(ChartError::Empty { .. })
    ));
    let rows = vec![Estimate::new("Atyrau region", 0.5, 0.6, 0.7, 10)];
    let err = regional_comparison(&rows, None, Measure::Uptake, &small(Lang::En)).unwrap_err();
    assert!(err.to_string().contains("Atyrau region"), "{err}");
    let rows = vec![Estimate::new("Inf", f64::INFINITY, 0.0, 1.0, 10)];
    assert!(regional_comparison(&rows, None, Measure::Uptake, &small(Lang::En)).is_err());
    let bad = ChartOptions {
        scale: 0.0,
        ..small(Lang::En)
    };
    assert!(matches!(
        item_map(&[("a".into(), 0.0, 1.0)], &bad),
        Err(ChartError::Options(_))
    ));
    assert!(matches!(
        tile_map(
            &[("atlantis".into(), 1.0)],
            TileLayout::Units2021,
            "x",
            0,
            &small(Lang::En)
        ),
        Err(ChartError::UnknownRegion(_))
    ));
    assert!(
        tile_map(
            &[("abai".into(), 1.0)],
            TileLayout::Units2021,
            "x",
            0,
            &small(Lang::En)
        )
        .is_err()
    );
}

#[test]
fn very_long_labels_and_extreme_values_stay_on_canvas() {
    let rows = vec![
        Estimate::new(
            "A very long region name that keeps going and going well past any reasonable width of a label column",
            0.999,
            0.99,
            1.0,
            10,
        ),
        Estimate::new("Short", 0.001, 0.0, 0.01, 10),
    ];
    let chart = regional_comparison(&rows, Some(0.5), Measure::Uptake, &small(Lang::Ru)).unwrap();
    texts_on_canvas(&chart);
    let one = vec![Estimate::new("Only one", 0.5, 0.4, 0.6, 10)];
    let chart = region_effects(&one, "Reference", &small(Lang::En)).unwrap();
    assert_eq!(count(&chart.svg, "circle", "data"), 1);
}

#[test]
fn grouped_comparison_dodges_series_and_marks_missing_cells() {
    let mut groups = sample::age_by_settlement(Lang::En);
    groups[5].series[1].1.n = 0;
    let chart = grouped_comparison(&groups, &small(Lang::En)).unwrap();
    assert_eq!(count(&chart.svg, "circle", "data"), 11);
    assert!(chart.svg.contains("Rural: no respondents"));
    texts_on_canvas(&chart);
}

#[test]
fn coefficient_plot_draws_blocks_references_and_models() {
    let (blocks, models) = sample::coefficient_blocks(Lang::En);
    let chart = coefficient_plot(&blocks, &models, &small(Lang::En)).unwrap();
    let rows: usize = blocks.iter().map(|b| b.rows.len()).sum();
    assert_eq!(count(&chart.svg, "circle", "data"), rows * models.len());
    assert!(chart.svg.contains("(reference: general secondary)"));
    assert!(chart.svg.contains("percentage points"));
    assert_eq!(count(&chart.svg, "polyline", "reference"), 1);
    let err = coefficient_plot(&blocks, &models[..1], &small(Lang::En)).unwrap_err();
    assert!(matches!(err, ChartError::LengthMismatch { .. }));
}

#[test]
fn distributions_draw_each_group_and_handle_empty_groups() {
    let mut groups = sample::dsi_groups(Lang::En, 400);
    let chart = dsi_distribution(&groups, DistributionKind::Density, &small(Lang::En)).unwrap();
    assert_eq!(count(&chart.svg, "polyline", "data"), 2);
    groups.push(DsiGroup {
        label: "Nobody".into(),
        values: vec![],
        weights: vec![],
    });
    let chart = dsi_distribution(&groups, DistributionKind::Box, &small(Lang::En)).unwrap();
    assert_eq!(count(&chart.svg, "rect", "data"), 2);
    assert!(chart.svg.contains("no respondents"));
    groups[0].weights.pop();
    assert!(matches!(
        dsi_distribution(&groups, DistributionKind::Box, &small(Lang::En)),
        Err(ChartError::LengthMismatch { .. })
    ));
}

#[test]
fn item_charts_draw_every_item() {
    let (grid, curves) = sample::item_curves(Lang::En);
    let chart = item_curves(&grid, &curves, &small(Lang::En)).unwrap();
    // One panel per item: its own curve in the accent colour, the other ten
    // in grey behind it, and its difficulty printed once.
    assert_eq!(count(&chart.svg, "polyline", "data"), 11);
    let accent_curves = chart
        .svg
        .split(r#"<polyline class="data""#)
        .skip(1)
        .filter(|element| element[..element.find("/>").unwrap()].contains(r##"stroke="#0072b2""##))
        .count();
    assert_eq!(
        accent_curves, 11,
        "every highlighted curve is accent-coloured"
    );
    assert_eq!(count(&chart.svg, "polyline", "context"), 11 * 10);
    assert_eq!(chart.svg.matches(">b = ").count(), 11);
    assert!(
        chart.svg.contains(">b = 2.35</text>"),
        "Programming's difficulty"
    );
    for (label, _) in &curves {
        assert!(
            chart
                .svg
                .contains(&format!(">{label}</text>").replace('&', "&amp;")),
            "{label}"
        );
    }
    texts_on_canvas(&chart);
    for lang in [Lang::Ru, Lang::Kk] {
        let (grid, curves) = sample::item_curves(lang);
        let chart = item_curves(&grid, &curves, &small(lang)).unwrap();
        assert_eq!(count(&chart.svg, "polyline", "data"), 11);
        texts_on_canvas(&chart);
    }
    for n in [1, 2, 5] {
        let chart = item_curves(&grid, &curves[..n], &small(Lang::En)).unwrap();
        assert_eq!(count(&chart.svg, "polyline", "data"), n);
        assert_eq!(count(&chart.svg, "polyline", "context"), n * (n - 1));
        texts_on_canvas(&chart);
    }
    let (g, info) = sample::information();
    let chart = test_information(
        &g,
        &info,
        &[0.0, 0.5, -0.5],
        &[1.0, 2.0, 1.0],
        &small(Lang::En),
    )
    .unwrap();
    assert_eq!(count(&chart.svg, "polyline", "data"), 2);
    let chart = item_map(&sample::item_points(Lang::Kk), &small(Lang::Kk)).unwrap();
    assert_eq!(count(&chart.svg, "circle", "data"), 11);
    texts_on_canvas(&chart);
    assert!(item_curves(&[0.0], &curves, &small(Lang::En)).is_err());
}

#[test]
fn tile_map_covers_both_layouts_and_marks_missing_regions() {
    let mut values = sample::tile_values();
    values.retain(|(slug, _)| slug != "kyzylorda");
    let chart = tile_map(
        &values,
        TileLayout::Units2021,
        "Uptake, %",
        0,
        &small(Lang::En),
    )
    .unwrap();
    assert_eq!(count(&chart.svg, "rect", "data"), 16);
    assert!(chart.svg.contains("no data"));
    values.push(("ulytau".into(), 50.0));
    let chart = tile_map(
        &values,
        TileLayout::Units2022,
        "Uptake, %",
        0,
        &small(Lang::Ru),
    )
    .unwrap();
    assert_eq!(count(&chart.svg, "rect", "data"), 17);
    texts_on_canvas(&chart);
}

#[test]
fn embedded_font_option_puts_the_font_in_the_svg() {
    let opts = ChartOptions {
        embed_font_in_svg: true,
        ..small(Lang::En)
    };
    let chart = item_map(&[("a".into(), 0.0, 1.0)], &opts).unwrap();
    assert!(
        chart
            .svg
            .contains("@font-face{font-family:'Noto Sans';font-weight:700")
    );
}
