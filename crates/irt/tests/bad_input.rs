//! Bad input gives clear errors or warnings, never a panic or a NaN.

mod common;
use common::sim::*;
use egov_irt::*;
use proptest::prelude::*;

fn opts() -> FitOptions {
    FitOptions::default()
}

#[test]
fn non_binary_value_names_row_and_item() {
    let err = fit(&[0, 1, 1, 2, 0, 1], 3, &names(3), None, &opts()).unwrap_err();
    assert_eq!(
        err,
        IrtError::NonBinary {
            row: 1,
            item: 0,
            value: 2
        }
    );
    assert!(err.to_string().contains("row) 1, item 0: value 2"));
}

#[test]
fn item_without_variation_is_named() {
    let err = fit(&[1, 0, 1, 1, 1, 0, 1, 1], 2, &names(2), None, &opts()).unwrap_err();
    assert!(
        matches!(err, IrtError::NoVariation { ref item, .. } if item == "item1"),
        "{err}"
    );
    // All answers to item 2 missing: also no variation.
    let err = fit(&[1, MISSING, 0, MISSING], 2, &names(2), None, &opts()).unwrap_err();
    assert!(
        matches!(err, IrtError::NoVariation { ref item, .. } if item == "item2"),
        "{err}"
    );
}

#[test]
fn fewer_than_two_items_and_ragged_input() {
    assert_eq!(
        fit(&[0, 1], 1, &names(1), None, &opts()).unwrap_err(),
        IrtError::TooFewItems(1)
    );
    assert!(matches!(
        fit(&[0, 1, 1], 2, &names(2), None, &opts()),
        Err(IrtError::RaggedResponses { .. })
    ));
    assert!(matches!(
        fit(&[0, 1], 2, &names(3), None, &opts()),
        Err(IrtError::ItemNames { .. })
    ));
}

#[test]
fn all_missing_is_an_error_with_the_count() {
    let err = fit(&[MISSING; 6], 2, &names(2), None, &opts()).unwrap_err();
    assert_eq!(err, IrtError::AllMissing { persons: 3 });
}

#[test]
fn persons_without_answers_are_counted_not_dropped_silently() {
    let mut responses = simulate(400, &A11[..5], &B11[..5], 0.0, 3);
    responses.extend_from_slice(&[MISSING; 10]);
    let fitted = fit(&responses, 5, &names(5), None, &opts()).unwrap();
    assert_eq!(fitted.n_excluded, 2);
    assert_eq!(fitted.n_respondents, 400);
    let scores = score(&fitted.items, &responses, 5, ScoreMethod::Eap).unwrap();
    assert_eq!(scores.iter().filter(|s| s.is_none()).count(), 2);
}

#[test]
fn bad_weights_are_rejected() {
    let responses = simulate(10, &A11[..3], &B11[..3], 0.0, 4);
    let mut w = vec![1.0; 10];
    w[3] = -1.0;
    assert_eq!(
        fit(&responses, 3, &names(3), Some(&w), &opts()).unwrap_err(),
        IrtError::BadWeight {
            row: 3,
            value: -1.0
        }
    );
    w[3] = f64::NAN;
    assert!(matches!(
        fit(&responses, 3, &names(3), Some(&w), &opts()),
        Err(IrtError::BadWeight { row: 3, .. })
    ));
    assert!(matches!(
        fit(&responses, 3, &names(3), Some(&w[..5]), &opts()),
        Err(IrtError::WeightLength { .. })
    ));
    assert_eq!(
        fit(&responses, 3, &names(3), Some(&[0.0; 10]), &opts()).unwrap_err(),
        IrtError::ZeroTotalWeight
    );
}

#[test]
fn bad_options_are_rejected() {
    let responses = simulate(50, &A11[..3], &B11[..3], 0.0, 4);
    for bad in [
        FitOptions {
            tolerance: 0.0,
            ..opts()
        },
        FitOptions {
            tolerance: f64::NAN,
            ..opts()
        },
        FitOptions {
            max_iterations: 0,
            ..opts()
        },
        FitOptions {
            quadrature_points: 1,
            ..opts()
        },
        FitOptions {
            quadrature_points: 1000,
            ..opts()
        },
        FitOptions {
            start: Some(vec![(1.0, 0.0)]),
            ..opts()
        },
    ] {
        assert!(
            matches!(
                fit(&responses, 3, &names(3), None, &bad),
                Err(IrtError::BadOption { .. })
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn iteration_cap_gives_a_warning_not_an_error() {
    let responses = simulate(2000, &A11, &B11, 0.0, 4);
    let capped = FitOptions {
        max_iterations: 3,
        ..opts()
    };
    let fitted = fit(&responses, 11, &names(11), None, &capped).unwrap();
    assert!(!fitted.converged);
    assert_eq!(fitted.iterations, 3);
    assert!(
        fitted
            .warnings
            .iter()
            .any(|w| w.contains("did not converge"))
    );
    assert!(
        fitted
            .items
            .iter()
            .all(|i| i.a.is_finite() && i.d.is_finite())
    );
}

#[test]
fn scoring_rejects_non_finite_items() {
    let items = vec![
        ItemEstimate::from_slope_intercept("x", f64::NAN, 0.0),
        ItemEstimate::from_slope_intercept("y", 1.0, 0.0),
    ];
    assert!(matches!(
        score(&items, &[0, 1], 2, ScoreMethod::Eap),
        Err(IrtError::BadItemParameters { .. })
    ));
}

#[test]
fn serialised_fit_has_the_stable_keys_and_no_nan() {
    let responses = simulate(500, &A11[..4], &B11[..4], 0.1, 4);
    let fitted = fit(&responses, 4, &names(4), None, &opts()).unwrap();
    let json: serde_json::Value = serde_json::to_value(&fitted).unwrap();
    for key in [
        "model",
        "n_respondents",
        "n_patterns",
        "loglik",
        "aic",
        "bic",
        "converged",
        "iterations",
        "items",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["model"], "2pl");
    for key in ["name", "a", "b", "d", "a_se", "b_se"] {
        assert!(json["items"][0].get(key).is_some(), "{key}");
    }
    let no_se = fit(
        &responses,
        4,
        &names(4),
        None,
        &FitOptions {
            standard_errors: false,
            ..opts()
        },
    )
    .unwrap();
    let json = serde_json::to_value(&no_se).unwrap();
    assert!(json["items"][0]["a_se"].is_null());
    let back: ItemFit = serde_json::from_str(&serde_json::to_string(&fitted).unwrap()).unwrap();
    // serde_json's default float parsing may differ in the last bit, so compare with a relative tolerance.
    assert_eq!(back.items.len(), fitted.items.len());
    assert!((back.loglik - fitted.loglik).abs() < 1e-12 * fitted.loglik.abs());
    for (x, y) in back.items.iter().zip(&fitted.items) {
        assert_eq!(x.name, y.name);
        assert!(
            (x.a - y.a).abs() < 1e-14 * y.a.abs() && (x.d - y.d).abs() < 1e-14 * y.d.abs().max(1.0)
        );
    }
}

fn finite_fit(fitted: &ItemFit) -> bool {
    fitted.loglik.is_finite()
        && fitted.aic.is_finite()
        && fitted.bic.is_finite()
        && fitted.items.iter().all(|i| {
            i.a.is_finite()
                && i.b.is_finite()
                && i.d.is_finite()
                && [i.a_se, i.b_se, i.d_se]
                    .iter()
                    .all(|s| s.is_none_or(f64::is_finite))
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn random_matrices_never_panic_or_give_nan(
        n_items in 2usize..6,
        cells in proptest::collection::vec(prop_oneof![Just(0u8), Just(1u8), Just(MISSING)], 0..120),
        one_pl in any::<bool>(),
    ) {
        let n = cells.len() / n_items * n_items;
        let responses = &cells[..n];
        let model = if one_pl { Model::OnePl } else { Model::TwoPl };
        let options = FitOptions { model, max_iterations: 500, ..FitOptions::default() };
        if let Ok(fitted) = fit(responses, n_items, &names(n_items), None, &options) {
            prop_assert!(finite_fit(&fitted), "{:?}", fitted);
            for method in [ScoreMethod::Eap, ScoreMethod::Map, ScoreMethod::Ml] {
                let scores = score(&fitted.items, responses, n_items, method).unwrap();
                prop_assert!(scores.iter().flatten().all(|s| s.theta.is_finite() && s.se.is_finite()));
            }
            let pv = plausible_values(&fitted.items, responses, n_items, 2, 1).unwrap();
            prop_assert!(pv.iter().flatten().flatten().all(|v| v.is_finite()));
        }
    }
}

#[test]
fn diverging_slopes_stop_early_with_a_warning() {
    // Items 1–3 are identical copies: they separate respondents perfectly, so their slopes run off to infinity.
    let base = simulate(300, &A11[..3], &B11[..3], 0.0, 17);
    let mut responses = Vec::new();
    for row in base.chunks(3) {
        responses.extend_from_slice(&[row[0], row[0], row[0], row[1], row[2]]);
    }
    let fitted = fit(&responses, 5, &names(5), None, &opts()).unwrap();
    assert!(!fitted.converged);
    assert!(fitted.iterations < 5000);
    assert!(
        fitted
            .warnings
            .iter()
            .any(|w| w.contains("no finite maximum")),
        "{:?}",
        fitted.warnings
    );
    assert!(finite_fit(&fitted));
}
