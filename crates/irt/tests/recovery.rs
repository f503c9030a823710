//! Parameter recovery on simulated 2PL data: estimates close to the truth, errors consistent with the
//! reported standard errors (coverage of 95% intervals), across seeds and sample sizes, with missing data.

mod common;
use common::sim::*;
use egov_irt::*;

#[test]
fn coverage_of_95_percent_intervals_is_nominal() {
    let reps = 60;
    let (mut inside, mut total) = (0usize, 0usize);
    let mut z_sum = 0.0;
    for rep in 0..reps {
        let responses = simulate(1500, &A11, &B11, 0.03, 1000 + rep);
        let fitted = fit(&responses, 11, &names(11), None, &FitOptions::default()).unwrap();
        assert!(fitted.converged);
        for (item, (a, b)) in fitted.items.iter().zip(A11.iter().zip(&B11)) {
            let d = -a * b;
            for (est, se, truth) in [
                (item.a, item.a_se.unwrap(), *a),
                (item.d, item.d_se.unwrap(), d),
            ] {
                let z = (est - truth) / se;
                z_sum += z;
                inside += usize::from(z.abs() < 1.959_963_985);
                total += 1;
            }
        }
    }
    let coverage = inside as f64 / total as f64;
    println!(
        "coverage of 95% intervals: {coverage:.4} over {total}; mean z {:.4}",
        z_sum / total as f64
    );
    // 1320 intervals: binomial SD of the coverage is 0.006; allow about 3 SD.
    assert!((0.93..=0.97).contains(&coverage), "coverage {coverage}");
    let mean_z = z_sum / total as f64;
    assert!(mean_z.abs() < 0.15, "mean z {mean_z}");
}

#[test]
fn estimates_approach_truth_as_n_grows() {
    for (n, seed) in [(500usize, 1u64), (5000, 2), (50_000, 3)] {
        let responses = simulate(n, &A11, &B11, 0.05, seed);
        let fitted = fit(&responses, 11, &names(11), None, &FitOptions::default()).unwrap();
        assert!(fitted.converged, "n = {n}");
        for (item, (a, b)) in fitted.items.iter().zip(A11.iter().zip(&B11)) {
            assert!(
                (item.a - a).abs() < 4.0 * item.a_se.unwrap(),
                "n={n} a {} vs {a}",
                item.a
            );
            assert!(
                (item.b - b).abs() < 4.0 * item.b_se.unwrap(),
                "n={n} b {} vs {b}",
                item.b
            );
        }
        if n == 50_000 {
            let worst = fitted
                .items
                .iter()
                .zip(&A11)
                .map(|(i, a)| (i.a - a).abs())
                .fold(0.0, f64::max);
            assert!(worst < 0.1, "worst slope error {worst}");
        }
    }
}

#[test]
fn one_pl_recovers_common_slope() {
    let a = [1.3; 8];
    let b = [-1.5, -1.0, -0.5, 0.0, 0.3, 0.8, 1.2, 1.8];
    let responses = simulate(20_000, &a, &b, 0.0, 77);
    let opts = FitOptions {
        model: Model::OnePl,
        ..FitOptions::default()
    };
    let fitted = fit(&responses, 8, &names(8), None, &opts).unwrap();
    assert!(fitted.converged);
    assert_eq!(fitted.n_parameters, 9);
    let se = fitted.items[0].a_se.unwrap();
    assert!((fitted.items[0].a - 1.3).abs() < 4.0 * se);
    assert!(fitted.items.iter().all(|i| i.a == fitted.items[0].a));
    for (item, truth) in fitted.items.iter().zip(b) {
        assert!((item.b - truth).abs() < 4.0 * item.b_se.unwrap());
    }
    // The 2PL nests the 1PL: its log-likelihood is at least as high.
    let two = fit(&responses, 8, &names(8), None, &FitOptions::default()).unwrap();
    assert!(two.loglik >= fitted.loglik - 1e-9);
}

#[test]
fn eap_scores_track_true_theta_and_reliability_is_consistent() {
    let responses = simulate(20_000, &A11, &B11, 0.0, 9);
    let fitted = fit(&responses, 11, &names(11), None, &FitOptions::default()).unwrap();
    let eap = score(&fitted.items, &responses, 11, ScoreMethod::Eap).unwrap();
    let marginal = diagnostics::marginal_reliability(&eap, None).unwrap();
    let empirical = diagnostics::empirical_reliability(&eap, None).unwrap();
    assert!(
        (0.6..0.95).contains(&marginal),
        "marginal reliability {marginal}"
    );
    assert!(
        (marginal - empirical).abs() < 0.02,
        "{marginal} vs {empirical}"
    );
    // EAP mean ≈ 0 and var(EAP) + mean PSD² ≈ 1 under the fitted model.
    let (mean, sd) = scale::mean_sd(
        &eap.iter().map(|s| s.map(|s| s.theta)).collect::<Vec<_>>(),
        None,
    )
    .unwrap();
    assert!(mean.abs() < 0.03 && (sd * sd + (1.0 - marginal) - 1.0).abs() < 0.03);
    // S-X² on data generated from the model: no item should be flagged at the 0.1% level.
    let (patterns, idx) = Patterns::collapse(&responses, 11).unwrap();
    let report = diagnostics::s_x2(
        &fitted.items,
        &patterns,
        &patterns.pattern_weights(&idx, None),
        Model::TwoPl,
        1.0,
    )
    .unwrap();
    for item in &report.items {
        assert!(item.p_value.unwrap() > 0.001, "{item:?}");
        assert_eq!(item.df, item.groups - 2);
    }
    assert_eq!(report.n_used, 20_000.0);
}

#[test]
fn misfitting_item_is_flagged_by_s_x2() {
    // Item 11 follows a non-monotone curve, which no 2PL can reproduce.
    let mut responses = simulate(20_000, &A11[..10], &B11[..10], 0.0, 21);
    let mut with_bad = Vec::with_capacity(20_000 * 11);
    for row in responses.chunks(10) {
        with_bad.extend_from_slice(row);
        // Yes when the count on the other items is in the middle: a peaked curve in θ.
        let count = row.iter().filter(|&&v| v == 1).count();
        with_bad.push(u8::from((4..=6).contains(&count)));
    }
    responses = with_bad;
    let fitted = fit(&responses, 11, &names(11), None, &FitOptions::default()).unwrap();
    let (patterns, idx) = Patterns::collapse(&responses, 11).unwrap();
    let report = diagnostics::s_x2(
        &fitted.items,
        &patterns,
        &patterns.pattern_weights(&idx, None),
        Model::TwoPl,
        1.0,
    )
    .unwrap();
    assert!(
        report.items[10].p_value.unwrap() < 1e-6,
        "{:?}",
        report.items[10]
    );
}
