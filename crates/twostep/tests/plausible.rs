//! Plausible-value inference: each draw is a complete-data regression, the combination is Rubin's.

use egov_twostep::simulate::{SimulationSpec, simulate};
use egov_twostep::{BootstrapOptions, PvOptions, analyse, compare, plausible_values, rubin};

#[test]
fn plausible_values_combine_per_draw_regressions() {
    let sim = simulate(&SimulationSpec {
        persons: 1500,
        seed: 3,
        ..SimulationSpec::default()
    });
    let data = sim.data("y ~ dsi + female + urban");
    let opts = PvOptions {
        draws: 8,
        seed: 5,
        ..PvOptions::default()
    };
    let pv = plausible_values(&data, &opts).unwrap();
    assert_eq!(pv.estimates.len(), 8);
    // Cluster-robust complete-data df: households − 1.
    let households = sim.households.iter().max().unwrap() + 1;
    assert!(pv.df_complete <= f64::from(households - 1));
    let again = rubin(&pv.estimates, &pv.variances, pv.df_complete, 0.95);
    assert_eq!(again, pv.combined);
    let dsi = pv.term("dsi").unwrap();
    let mean = pv.estimates.iter().map(|e| e[1]).sum::<f64>() / 8.0;
    assert!((dsi.estimate - mean).abs() < 1e-15);
    assert!(dsi.between > 0.0 && dsi.fmi > 0.0 && dsi.fmi < 1.0);
    assert!(dsi.df > 1.0 && dsi.df <= pv.df_complete);
    // Same seed, same draws.
    let pv2 = plausible_values(&data, &opts).unwrap();
    assert_eq!(pv.estimates, pv2.estimates);
    // Too few draws is refused.
    let err = plausible_values(
        &data,
        &PvOptions {
            draws: 1,
            ..PvOptions::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("at least 2"));
}

#[test]
fn comparison_table_lines_up_the_three_methods() {
    let sim = simulate(&SimulationSpec {
        persons: 1000,
        seed: 4,
        ..SimulationSpec::default()
    });
    let data = sim.data("y ~ dsi + urban");
    let a = analyse(
        &data,
        Some(&BootstrapOptions {
            replicates: 60,
            ..BootstrapOptions::default()
        }),
        Some(&PvOptions {
            draws: 5,
            ..PvOptions::default()
        }),
        None,
    )
    .unwrap();
    let t = compare(&a.naive, a.bootstrap.as_ref(), a.plausible_values.as_ref());
    assert_eq!(t.rows.len(), 3);
    let boot = a.bootstrap.as_ref().unwrap();
    for (row, c) in t.rows.iter().zip(&a.naive.coefficients) {
        assert_eq!(row.estimate, c.estimate);
        assert_eq!(row.naive_se, c.std_error);
        assert_eq!(
            row.bootstrap_se,
            Some(boot.term(&c.term).unwrap().std_error)
        );
        assert_eq!(
            row.se_ratio_bootstrap,
            Some(boot.term(&c.term).unwrap().std_error / c.std_error)
        );
    }
    let md = t.to_markdown();
    assert!(md.starts_with("| Term | Estimate | Naive SE |"));
    assert!(md.contains("| urban |"));
    let tex = t.to_latex();
    assert!(tex.contains("Naive 95\\% CI") && tex.ends_with("\\end{tabular}\n"));
    let json: serde_json::Value = serde_json::from_str(&t.to_json()).unwrap();
    assert_eq!(json["rows"][1]["term"], "dsi");
    let pub_table = t.to_regression_table();
    assert_eq!(pub_table.columns.len(), 3);
    assert!(pub_table.to_markdown().contains("Two-step bootstrap"));
}
