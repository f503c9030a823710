//! Simulated fixtures (fixtures/reference/irt/*.csv) against the independent numpy/scipy reference
//! (`reference_mml.py` → `reference_mml.json`), and frequency weights ≡ expanded data with missing responses.

mod common;
use common::sim::*;
use egov_irt::*;

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

#[test]
fn simulated_fixtures_match_reference() {
    for (file, name) in [
        ("sim2pl_complete.csv", "sim2pl_complete_gh41"),
        ("sim2pl_missing.csv", "sim2pl_missing_gh41"),
    ] {
        let (header, responses) = read_fixture(file);
        let fitted = fit(
            &responses,
            header.len(),
            &header,
            None,
            &FitOptions::default(),
        )
        .unwrap();
        let r = reference(name);
        assert!(fitted.converged);
        assert_eq!(fitted.n_patterns as u64, r["n_patterns"].as_u64().unwrap());
        assert_eq!(fitted.n_excluded as u64, r["n_excluded"].as_u64().unwrap());
        assert!(
            (fitted.loglik - r["loglik"].as_f64().unwrap()).abs() < 1e-7,
            "{name}"
        );
        for (key, ours) in [
            ("a", fitted.items.iter().map(|i| i.a).collect::<Vec<_>>()),
            ("d", fitted.items.iter().map(|i| i.d).collect()),
            ("b", fitted.items.iter().map(|i| i.b).collect()),
            (
                "a_se",
                fitted.items.iter().map(|i| i.a_se.unwrap()).collect(),
            ),
            (
                "d_se",
                fitted.items.iter().map(|i| i.d_se.unwrap()).collect(),
            ),
            (
                "b_se",
                fitted.items.iter().map(|i| i.b_se.unwrap()).collect(),
            ),
        ] {
            for (x, y) in ours.iter().zip(floats(&r[key])) {
                assert!((x - y).abs() < 1e-6, "{name} {key}: {x} vs {y}");
            }
        }
    }
}

#[test]
fn integer_frequency_weights_equal_expanded_data_with_missing() {
    let base = simulate(300, &A11[..6], &B11[..6], 0.1, 31);
    let counts: Vec<u64> = (0..300).map(|i| 1 + (i * 7 % 5) as u64).collect();
    let mut expanded = Vec::new();
    for (row, &c) in base.chunks(6).zip(&counts) {
        for _ in 0..c {
            expanded.extend_from_slice(row);
        }
    }
    let weights: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
    let weighted = fit(&base, 6, &names(6), Some(&weights), &FitOptions::default()).unwrap();
    let full = fit(&expanded, 6, &names(6), None, &FitOptions::default()).unwrap();
    assert!((weighted.loglik - full.loglik).abs() < 1e-9 * full.loglik.abs());
    assert_eq!(weighted.sum_weights, full.sum_weights);
    assert!((weighted.bic - full.bic).abs() < 1e-8);
    for (x, y) in weighted.items.iter().zip(&full.items) {
        assert!((x.a - y.a).abs() < 1e-10, "{} vs {}", x.a, y.a);
        assert!((x.d - y.d).abs() < 1e-10);
        assert!((x.a_se.unwrap() - y.a_se.unwrap()).abs() < 1e-10);
        assert!((x.b_se.unwrap() - y.b_se.unwrap()).abs() < 1e-10);
    }
}

#[test]
fn warm_started_pattern_refit_is_the_same_estimator() {
    let responses = simulate(5000, &A11, &B11, 0.02, 12);
    let (patterns, idx) = Patterns::collapse(&responses, 11).unwrap();
    let w = patterns.pattern_weights(&idx, None);
    let cold = fit_patterns(&patterns, &w, &names(11), &FitOptions::default()).unwrap();
    let start = cold
        .items
        .iter()
        .map(|i| (i.a + 0.05, i.d - 0.05))
        .collect();
    let warm = fit_patterns(
        &patterns,
        &w,
        &names(11),
        &FitOptions {
            start: Some(start),
            ..FitOptions::default()
        },
    )
    .unwrap();
    for (x, y) in cold.items.iter().zip(&warm.items) {
        assert!((x.a - y.a).abs() < 1e-6 && (x.d - y.d).abs() < 1e-6);
    }
}
