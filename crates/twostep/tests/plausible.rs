//! Plausible-value inference: each draw is a complete-data regression, the combination is Rubin's.

mod common;

use common::{frame_with_dsi_and_weights, simulated, weighted_iid};
use egov_twostep::{BootstrapOptions, PvOptions, analyse, compare, plausible_values, rubin};

#[test]
fn plausible_values_combine_per_draw_regressions() {
    let sim = simulated(1500, 3);
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
    let sim = simulated(1000, 4);
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

/// Known truth: on one large sample, the regression on conditioned plausible values lands closer
/// to the regression on the true (standardised) skill than the EAP regression and the
/// unconditioned plausible values do, for the DSI and for a covariate correlated with skill.
#[test]
fn conditioned_plausible_values_recover_the_true_skill_regression() {
    use egov_econ::regress;
    use egov_twostep::{conditioned_plausible_values, naive};
    let sim = simulated(30_000, 8);
    let formula = "y ~ dsi + female + urban + age + education";
    let data = sim.data(formula);
    // Oracle: the same regression on true θ standardised with the weights.
    let (sw, s1, s2) = sim
        .theta
        .iter()
        .zip(&sim.weights)
        .fold((0.0, 0.0, 0.0), |(a, b, c), (t, w)| {
            (a + w, b + w * t, c + w * t * t)
        });
    let (mean, sd) = (s1 / sw, (s2 / sw - (s1 / sw).powi(2)).sqrt());
    let frame =
        frame_with_dsi_and_weights(&sim, sim.theta.iter().map(|t| (t - mean) / sd).collect());
    let oracle = regress(formula, &frame, &weighted_iid()).unwrap();
    let eap = naive(&data, 0.95, &Default::default()).unwrap().regression;
    let opts = PvOptions {
        draws: 5,
        ..PvOptions::default()
    };
    let pv = plausible_values(&data, &opts).unwrap();
    let cpv = conditioned_plausible_values(&data, &opts).unwrap();
    let lr = cpv.latent_regression.as_ref().unwrap();
    assert!(
        lr.converged,
        "EM did not converge in {} iterations",
        lr.iterations
    );
    assert!(lr.sigma > 0.3 && lr.sigma < 1.0, "residual SD {}", lr.sigma);
    for term in ["dsi", "urban"] {
        let truth = oracle.coefficient(term).unwrap().estimate;
        let err_cpv = (cpv.term(term).unwrap().estimate - truth).abs();
        let err_eap = (eap.coefficient(term).unwrap().estimate - truth).abs();
        let err_pv = (pv.term(term).unwrap().estimate - truth).abs();
        let se = cpv.term(term).unwrap().std_error;
        assert!(
            err_cpv < err_eap && err_cpv < err_pv,
            "{term}: errors conditioned {err_cpv}, EAP {err_eap}, unconditioned {err_pv}"
        );
        assert!(
            err_cpv < 2.0 * se,
            "{term}: conditioned error {err_cpv} vs SE {se}"
        );
    }
}
