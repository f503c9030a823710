//! LSAT section 6 (Bock & Lieberman 1970; 1000 examinees, 5 items) against published ltm output and
//! against the independent numpy/scipy reference in `fixtures/reference/irt/reference_mml.py`.
//!
//! Published reference: `summary(ltm(LSAT ~ z1, IRT.param = TRUE))` (ltm, Gauss–Hermite 21 points, BFGS),
//! printed in the knitted README of github.com/kdavis91/2PL-and-3PL-Dichotomous-Item-response-theory-model:
//! log.Lik −2466.653, AIC 4953.307, BIC 5002.384, and the difficulties/discriminations with standard errors
//! below. ltm reports `max(|grad|): 0.024` at its stopping point, i.e. it stops short of the maximum; the
//! exact maximum (our engine and the scipy reference agree on it to 1e-6) differs from ltm's printed
//! estimates by up to 2.3e-3 in b (item 5, whose b has SE 0.87). The log-likelihood, AIC and BIC agree to
//! every printed digit, the slopes to 7e-4 and the standard errors to 1.3e-3 (b) and 6e-4 (a).

mod common;
use common::lsat::*;
use egov_irt::*;

const LTM_B: [f64; 5] = [-3.3597, -1.3696, -0.2799, -1.8659, -3.1236];
const LTM_B_SE: [f64; 5] = [0.8669, 0.3073, 0.0997, 0.4341, 0.8700];
const LTM_A: [f64; 5] = [0.8254, 0.7229, 0.8905, 0.6886, 0.6575];
const LTM_A_SE: [f64; 5] = [0.2581, 0.1867, 0.2326, 0.1852, 0.2100];

fn fit_lsat(points: usize, model: Model) -> ItemFit {
    let opts = FitOptions {
        quadrature_points: points,
        model,
        ..FitOptions::default()
    };
    fit(&lsat6_expanded(), 5, &lsat6_names(), None, &opts).unwrap()
}

#[test]
fn lsat6_matches_ltm_printed_output() {
    let fitted = fit_lsat(21, Model::TwoPl);
    assert!(fitted.converged);
    assert!(fitted.warnings.is_empty(), "{:?}", fitted.warnings);
    assert_eq!(fitted.n_respondents, 1000);
    assert_eq!(fitted.n_patterns, 30);
    assert_eq!(fitted.n_parameters, 10);
    assert!(
        (fitted.loglik - -2466.653).abs() < 5e-4,
        "loglik {}",
        fitted.loglik
    );
    assert!((fitted.aic - 4953.307).abs() < 5e-4, "aic {}", fitted.aic);
    assert!((fitted.bic - 5002.384).abs() < 5e-4, "bic {}", fitted.bic);
    for i in 0..5 {
        let item = &fitted.items[i];
        assert!(
            (item.b - LTM_B[i]).abs() < 2.5e-3,
            "b[{i}] = {} vs {}",
            item.b,
            LTM_B[i]
        );
        assert!(
            (item.a - LTM_A[i]).abs() < 7e-4,
            "a[{i}] = {} vs {}",
            item.a,
            LTM_A[i]
        );
        assert!(
            (item.b_se.unwrap() - LTM_B_SE[i]).abs() < 1.3e-3,
            "b_se[{i}] = {:?}",
            item.b_se
        );
        assert!(
            (item.a_se.unwrap() - LTM_A_SE[i]).abs() < 6e-4,
            "a_se[{i}] = {:?}",
            item.a_se
        );
    }
}

fn reference(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/reference/irt/reference_mml.json"
    ))
    .unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    all.into_iter().find(|r| r["name"] == name).unwrap()
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn assert_close(ours: &[f64], theirs: &[f64], tol: f64, what: &str) {
    for (i, (x, y)) in ours.iter().zip(theirs).enumerate() {
        assert!(
            (x - y).abs() < tol,
            "{what}[{i}]: ours {x} vs reference {y}"
        );
    }
}

#[test]
fn lsat6_matches_independent_reference_exactly() {
    for (points, model, name) in [
        (21, Model::TwoPl, "lsat6_gh21"),
        (41, Model::TwoPl, "lsat6_gh41"),
        (41, Model::OnePl, "lsat6_1pl_gh41"),
    ] {
        let fitted = fit_lsat(points, model);
        let r = reference(name);
        assert!(fitted.converged);
        assert!(
            (fitted.loglik - r["loglik"].as_f64().unwrap()).abs() < 1e-8,
            "{name} loglik"
        );
        let get = |f: fn(&ItemEstimate) -> f64| fitted.items.iter().map(f).collect::<Vec<_>>();
        assert_close(&get(|i| i.a), &floats(&r["a"]), 1e-6, name);
        assert_close(&get(|i| i.d), &floats(&r["d"]), 1e-6, name);
        assert_close(&get(|i| i.b), &floats(&r["b"]), 1e-6, name);
        // Analytic (Louis) Hessian vs the reference's finite-difference Hessian.
        assert_close(&get(|i| i.a_se.unwrap()), &floats(&r["a_se"]), 1e-6, name);
        assert_close(&get(|i| i.d_se.unwrap()), &floats(&r["d_se"]), 1e-6, name);
        assert_close(&get(|i| i.b_se.unwrap()), &floats(&r["b_se"]), 1e-6, name);
    }
}

#[test]
fn lsat6_eap_matches_reference() {
    let fitted = fit_lsat(41, Model::TwoPl);
    let r = reference("lsat6_gh41");
    let patterns: Vec<u8> = r["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_i64().unwrap() as u8)
                .collect::<Vec<_>>()
        })
        .collect();
    let (collapsed, _) = Patterns::collapse(&patterns, 5).unwrap();
    let quad = Quadrature::new(QuadratureRule::GaussHermite, 41).unwrap();
    let eap = eap_patterns(&fitted.items, &collapsed, &quad).unwrap();
    assert_close(
        &eap.iter().map(|s| s.theta).collect::<Vec<_>>(),
        &floats(&r["eap"]),
        1e-6,
        "eap",
    );
    assert_close(
        &eap.iter().map(|s| s.se).collect::<Vec<_>>(),
        &floats(&r["eap_sd"]),
        1e-6,
        "eap_sd",
    );
}

#[test]
fn frequency_table_equals_expanded_data() {
    let unique: Vec<u8> = LSAT6.iter().flat_map(|(p, _)| p.to_vec()).collect();
    let counts: Vec<u64> = LSAT6.iter().map(|(_, c)| *c).collect();
    let table = Patterns::from_table(&unique, 5, &counts).unwrap();
    let from_table = fit_patterns(
        &table,
        &table.count_weights(),
        &lsat6_names(),
        &FitOptions::default(),
    )
    .unwrap();
    // Frequency weights on the unique rows, through the person-level entry point.
    let weights: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
    let weighted = fit(
        &unique,
        5,
        &lsat6_names(),
        Some(&weights),
        &FitOptions::default(),
    )
    .unwrap();
    let expanded = fit_lsat(41, Model::TwoPl);
    for other in [&from_table, &weighted] {
        assert!((other.loglik - expanded.loglik).abs() < 1e-9);
        assert_eq!(other.bic, expanded.bic);
        for (x, y) in other.items.iter().zip(&expanded.items) {
            assert!((x.a - y.a).abs() < 1e-10 && (x.d - y.d).abs() < 1e-10);
            assert!((x.a_se.unwrap() - y.a_se.unwrap()).abs() < 1e-10);
        }
    }
}
