//! The two-step bootstrap on simulated data: reproducibility, thread independence, and the
//! known answer that a cluster bootstrap of least squares with a fixed regressor converges to the
//! cluster-robust (CR1) standard error.

mod common;

use common::{frame_with_dsi_and_weights, jk1_household_columns, simulated, weighted_iid};
use egov_twostep::{
    BootstrapOptions, Centre, ReplicateVariance, ReplicateWeights, TwoStepError, bootstrap, naive,
    replicate_variance, replicate_weights,
};

fn small() -> egov_twostep::simulate::Simulated {
    simulated(1200, 7)
}

#[test]
fn same_seed_same_result_and_thread_count_does_not_matter() {
    let sim = small();
    let data = sim.data("y ~ dsi + female + urban + age");
    let opts = BootstrapOptions {
        replicates: 40,
        seed: 99,
        ..BootstrapOptions::default()
    };
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| bootstrap(&data, &opts, None).unwrap())
    };
    let one = run(1);
    let two = run(2);
    assert_eq!(one.lpm_replicates, two.lpm_replicates);
    assert_eq!(one.lpm, two.lpm);
    let again = run(2);
    assert_eq!(two.lpm_replicates, again.lpm_replicates);
    let other_seed = bootstrap(
        &data,
        &BootstrapOptions {
            seed: 100,
            ..opts.clone()
        },
        None,
    )
    .unwrap();
    assert_ne!(other_seed.lpm_replicates, one.lpm_replicates);
}

#[test]
fn progress_is_reported_for_every_replicate() {
    let sim = small();
    let data = sim.data("y ~ dsi");
    let seen = std::sync::Mutex::new(Vec::new());
    let cb = |done: usize| seen.lock().unwrap().push(done);
    let opts = BootstrapOptions {
        replicates: 12,
        ..BootstrapOptions::default()
    };
    bootstrap(&data, &opts, Some(&cb)).unwrap();
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen, (1..=12).collect::<Vec<_>>());
}

/// With the item model held fixed the DSI is a fixed regressor, and the household bootstrap SE of
/// least squares estimates the same thing as the CR1 cluster-robust SE. With R = 1500 replicates
/// the Monte Carlo relative SD of a bootstrap SE is about 1/√(2R) ≈ 1.8%, and CR1 itself differs
/// from the ideal bootstrap by O(1/G); 8% is four Monte Carlo SDs.
#[test]
fn fixed_regressor_bootstrap_converges_to_cluster_robust_se() {
    let sim = simulated(3000, 11);
    let data = sim.data("y ~ dsi + female + urban + age");
    let fit = naive(&data, 0.95, &Default::default()).unwrap();
    let opts = BootstrapOptions {
        replicates: 1500,
        refit_irt: false,
        ..BootstrapOptions::default()
    };
    let boot = bootstrap(&data, &opts, None).unwrap();
    assert!(boot.failures.is_empty());
    for c in &fit.regression.coefficients {
        let b = boot.term(&c.term).unwrap();
        let ratio = b.std_error / c.std_error;
        eprintln!(
            "{}: bootstrap SE {:.5}, CR1 SE {:.5}, ratio {ratio:.3}",
            c.term, b.std_error, c.std_error
        );
        assert!(
            (ratio - 1.0).abs() < 0.08,
            "{}: bootstrap SE {} vs CR1 {} (ratio {ratio})",
            c.term,
            b.std_error,
            c.std_error
        );
        // Full-sample estimates are the naive ones.
        assert_eq!(b.estimate, c.estimate);
    }
}

/// Refitting the item model can only add variance (up to Monte Carlo noise) for the DSI
/// coefficient, and the two-step bootstrap reports that the scale was re-estimated.
#[test]
fn two_step_bootstrap_is_not_smaller_than_one_step() {
    let sim = small();
    let data = sim.data("y ~ dsi + urban");
    let two = bootstrap(
        &data,
        &BootstrapOptions {
            replicates: 300,
            ..BootstrapOptions::default()
        },
        None,
    )
    .unwrap();
    let one = bootstrap(
        &data,
        &BootstrapOptions {
            replicates: 300,
            refit_irt: false,
            ..BootstrapOptions::default()
        },
        None,
    )
    .unwrap();
    assert!(two.refit_irt && !one.refit_irt);
    let (s2, s1) = (
        two.term("dsi").unwrap().std_error,
        one.term("dsi").unwrap().std_error,
    );
    // Same seed, same draws: the only difference is the first step.
    assert!(s2 > 0.9 * s1, "two-step {s2} vs one-step {s1}");
    for e in &two.lpm {
        let (lo, hi) = e.percentile_interval.unwrap();
        assert!(lo < hi);
        let (blo, bhi) = e.bc_interval.unwrap();
        assert!(blo < bhi);
    }
}

#[test]
fn stratified_design_uses_rao_wu_yue_and_rejects_lonely_psus() {
    let sim = small();
    // PSU = household, strata = 6 groups of households.
    let strata: Vec<u32> = sim.households.iter().map(|h| h % 6).collect();
    let mut data = sim.data("y ~ dsi + female");
    data.strata = Some(&strata);
    let boot = bootstrap(
        &data,
        &BootstrapOptions {
            replicates: 30,
            ..BootstrapOptions::default()
        },
        None,
    )
    .unwrap();
    assert!(boot.method.contains("Rao-Wu-Yue"));
    assert_eq!(boot.n_strata, 6);
    // A stratum with one PSU cannot be resampled.
    let mut lonely = strata.clone();
    let first = sim.households[0];
    for (s, h) in lonely.iter_mut().zip(&sim.households) {
        if *h == first {
            *s = 99;
        }
    }
    data.strata = Some(&lonely);
    let err = bootstrap(&data, &BootstrapOptions::default(), None).unwrap_err();
    assert_eq!(err, TwoStepError::SingleClusterStratum { stratum: 99 });
}

#[test]
fn jackknife_replicate_weights_follow_the_jk1_formula() {
    let sim = small();
    let data = sim.data("y ~ dsi + urban");
    let groups = 20u32;
    let columns = jk1_household_columns(&sim, groups);
    let spec = ReplicateWeights {
        columns: &columns,
        variance: ReplicateVariance::Jk1,
        centre: Centre::FullSample,
        conf_level: 0.95,
        refit_irt: true,
        irt: Default::default(),
        replicate_tolerance: 1e-4,
    };
    let res = replicate_weights(&data, &spec, None).unwrap();
    assert_eq!(res.successful, 20);
    for (j, e) in res.lpm.iter().enumerate() {
        let draws: Vec<f64> = res.lpm_replicates.iter().map(|r| r[j]).collect();
        let v = replicate_variance(
            e.estimate,
            &draws,
            &ReplicateVariance::Jk1,
            Centre::FullSample,
        );
        assert_eq!(e.std_error, v.sqrt());
        let manual: f64 = 19.0 / 20.0 * draws.iter().map(|d| (d - e.estimate).powi(2)).sum::<f64>();
        assert!((v - manual).abs() <= 1e-15 * manual.max(1e-300));
        assert!(e.percentile_interval.is_none());
    }
    // Wrong number of rscales is refused with a message.
    let bad = ReplicateWeights {
        variance: ReplicateVariance::Jkn {
            rscales: vec![0.95; 3],
        },
        ..spec.clone()
    };
    let err = replicate_weights(&data, &bad, None).unwrap_err();
    assert!(
        err.to_string()
            .contains("3 rscales for 20 replicate columns")
    );
}

#[test]
fn bad_input_gives_clear_errors() {
    let sim = small();
    let mut data = sim.data("y ~ female");
    let err = bootstrap(&data, &BootstrapOptions::default(), None).unwrap_err();
    assert!(matches!(err, TwoStepError::NoDsiTerm { .. }), "{err}");
    data.formula = "y ~ dsi";
    let short = &sim.households[..10];
    data.clusters = short;
    let err = bootstrap(&data, &BootstrapOptions::default(), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "clusters has 10 entries but the frame has 1200 rows; pass one value per row"
    );
    data.clusters = &sim.households;
    let mut w = sim.weights.clone();
    w[5] = f64::NAN;
    data.weights = Some(&w);
    let err = bootstrap(&data, &BootstrapOptions::default(), None).unwrap_err();
    // Rows are 1-based in messages: index 5 is the sixth row.
    assert!(matches!(err, TwoStepError::BadWeight { row: 6, .. }));
    assert_eq!(
        err.to_string(),
        "weight at row 6 is NaN; sampling weights must be finite and non-negative"
    );
    data.weights = Some(&sim.weights);
    let err = bootstrap(
        &data,
        &BootstrapOptions {
            replicates: 1,
            ..BootstrapOptions::default()
        },
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("replicates"));
    let mut responses = sim.responses.clone();
    responses[3] = 7;
    data.responses = &responses;
    let err = bootstrap(&data, &BootstrapOptions::default(), None).unwrap_err();
    assert!(err.to_string().contains("value 7 is not binary"), "{err}");
}

/// Logit and probit average marginal effects are re-estimated per replicate when asked; their
/// full-sample values are the econ crate's AMEs.
#[test]
fn binary_model_marginal_effects_are_bootstrapped_on_request() {
    use egov_econ::logit;
    let sim = simulated(800, 21);
    let data = sim.data("y ~ dsi + urban");
    let opts = BootstrapOptions {
        replicates: 20,
        binary_models: true,
        ..BootstrapOptions::default()
    };
    let boot = bootstrap(&data, &opts, None).unwrap();
    let logit_ame = boot.logit_ame.as_ref().unwrap();
    let probit_ame = boot.probit_ame.as_ref().unwrap();
    assert_eq!(logit_ame.len(), 2);
    assert_eq!(probit_ame.len(), 2);
    // Full-sample AME of the DSI equals a direct logit on the full-sample DSI.
    let fit = naive(&data, 0.95, &Default::default()).unwrap();
    let frame = frame_with_dsi_and_weights(
        &sim,
        fit.dsi.iter().map(|d| d.unwrap_or(f64::NAN)).collect(),
    );
    let direct = logit("y ~ dsi + urban", &frame, &weighted_iid()).unwrap();
    let dsi = logit_ame.iter().find(|e| e.term == "dsi").unwrap();
    let reference = direct.marginal_effect("dsi").unwrap().estimate;
    assert!((dsi.estimate - reference).abs() < 1e-10);
    assert!(dsi.std_error > 0.0);
    // The LPM slope and the logit AME of the DSI measure nearly the same thing.
    let lpm = boot.term("dsi").unwrap();
    assert!((lpm.estimate - dsi.estimate).abs() < 0.5 * lpm.estimate.abs());
}

/// The stratified Rao–Wu–Yue bootstrap (n_h − 1 PSUs per stratum, rescaled) of a fixed-regressor
/// weighted regression estimates the design-based linearisation variance (R `survey`'s svyglm,
/// implemented by `Vcov::Survey` in the econ crate). 1,500 replicates: Monte Carlo relative SD of
/// a bootstrap SE ≈ 1.8%; the test allows 8%.
#[test]
fn stratified_bootstrap_converges_to_linearisation_se() {
    use egov_econ::Vcov;
    let sim = simulated(3000, 12);
    let strata: Vec<u32> = sim.households.iter().map(|h| h % 8).collect();
    let mut frame = sim.frame.clone();
    frame
        .push_numeric("stratum", strata.iter().map(|&s| f64::from(s)).collect())
        .unwrap();
    let mut data = sim.data("y ~ dsi + female + urban + age");
    data.frame = &frame;
    data.strata = Some(&strata);
    data.naive_vcov = Vcov::Survey {
        psu: "household".into(),
        strata: Some("stratum".into()),
    };
    let fit = naive(&data, 0.95, &Default::default()).unwrap();
    let boot = bootstrap(
        &data,
        &BootstrapOptions {
            replicates: 1500,
            refit_irt: false,
            ..BootstrapOptions::default()
        },
        None,
    )
    .unwrap();
    assert!(boot.method.contains("Rao-Wu-Yue"));
    for c in &fit.regression.coefficients {
        let b = boot.term(&c.term).unwrap();
        let ratio = b.std_error / c.std_error;
        eprintln!(
            "{}: Rao-Wu-Yue SE {:.5}, linearisation SE {:.5}, ratio {ratio:.3}",
            c.term, b.std_error, c.std_error
        );
        assert!((ratio - 1.0).abs() < 0.08, "{}: ratio {ratio}", c.term);
    }
}

#[test]
fn a_given_item_fit_is_reused_and_gives_the_refitted_answer() {
    let sim = small();
    let data = sim.data("y ~ dsi + female + urban");
    let opts = BootstrapOptions {
        replicates: 20,
        seed: 5,
        ..BootstrapOptions::default()
    };
    let refitted = egov_twostep::analyse(&data, Some(&opts), None, None).unwrap();
    let fitted = egov_irt::fit(
        &sim.responses,
        sim.item_names.len(),
        &sim.item_names,
        data.weights,
        &opts.irt,
    )
    .unwrap();
    let reused = egov_twostep::analyse(
        &egov_twostep::TwoStepData {
            fitted: Some(&fitted),
            ..data.clone()
        },
        Some(&opts),
        None,
        None,
    )
    .unwrap();
    for (a, b) in refitted
        .naive
        .coefficients
        .iter()
        .zip(&reused.naive.coefficients)
    {
        assert!((a.estimate - b.estimate).abs() < 1e-10, "{}", a.term);
        assert!((a.std_error - b.std_error).abs() < 1e-10, "{}", a.term);
    }
    let (a, b) = (refitted.bootstrap.unwrap(), reused.bootstrap.unwrap());
    for (x, y) in a.lpm.iter().zip(&b.lpm) {
        assert!((x.std_error - y.std_error).abs() < 1e-8, "{}", x.term);
    }
    // A fit of other items is refused, not silently used.
    let wrong = egov_irt::fit(
        &sim.responses[..],
        sim.item_names.len(),
        &sim.item_names,
        None,
        &opts.irt,
    )
    .map(|mut f| {
        f.items.pop();
        f
    })
    .unwrap();
    let err = egov_twostep::analyse(
        &egov_twostep::TwoStepData {
            fitted: Some(&wrong),
            ..data.clone()
        },
        None,
        None,
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("the item fit given has 10 items, the responses 11"),
        "{err}"
    );
}
