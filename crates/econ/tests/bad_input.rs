//! Bad input gives clear errors naming the column, row or value; collinear terms are
//! dropped with a warning; missing rows and zero weights are counted.

use egov_econ::descriptive::{Design, group_means};
use egov_econ::{
    Categorical, EconError, EstimateOptions, Frame, Vcov, logit, lpm, model_matrix, regress,
};

fn frame() -> Frame {
    let n = 40;
    let mut f = Frame::new();
    f.push_numeric("x", (0..n).map(|i| (i % 7) as f64).collect())
        .unwrap();
    f.push_numeric("y", (0..n).map(|i| ((i * 37) % 11) as f64 / 3.0).collect())
        .unwrap();
    f.push_numeric(
        "yb",
        (0..n).map(|i| ((i * 37) % 11 > 5) as u8 as f64).collect(),
    )
    .unwrap();
    f.push_numeric("w", (0..n).map(|i| 1.0 + (i % 3) as f64).collect())
        .unwrap();
    f.push_numeric("one_cluster", vec![5.0; n]).unwrap();
    let labels: Vec<Option<&str>> = (0..n)
        .map(|i| Some(["employed", "student", "pensioner"][i % 3]))
        .collect();
    f.push_categorical("labour", Categorical::from_labels(&labels))
        .unwrap();
    f
}

fn opts(vcov: Vcov) -> EstimateOptions {
    EstimateOptions {
        vcov,
        ..Default::default()
    }
}

#[test]
fn lpm_rejects_non_binary_outcome_naming_row_and_value() {
    let err = lpm("y ~ x", &frame(), &opts(Vcov::Hc1)).unwrap_err();
    match &err {
        EconError::NonBinaryOutcome { name, row, value } => {
            assert_eq!(name, "y");
            assert_eq!(*row, 1);
            assert_eq!(*value, 4.0 / 3.0);
        }
        e => panic!("unexpected {e}"),
    }
    assert!(err.to_string().contains("`y`") && err.to_string().contains("row 1"));
    let err = lpm("labour ~ x", &frame(), &opts(Vcov::Hc1)).unwrap_err();
    assert!(
        matches!(err, EconError::WrongColumnType { ref name, .. } if name == "labour"),
        "{err}"
    );
}

#[test]
fn unknown_column_is_named() {
    let err = regress("y ~ x + income", &frame(), &opts(Vcov::Hc1)).unwrap_err();
    assert!(matches!(&err, EconError::UnknownColumn { name, .. } if name == "income"));
    assert!(err.to_string().contains("income") && err.to_string().contains("labour"));
    let err = regress("y ~ x", &frame(), &opts(Vcov::Cluster(vec!["hh".into()]))).unwrap_err();
    assert!(matches!(&err, EconError::UnknownColumn { name, .. } if name == "hh"));
}

#[test]
fn more_parameters_than_observations() {
    let mut f = Frame::new();
    f.push_numeric("y", vec![1.0, 2.0, 3.0]).unwrap();
    f.push_numeric("a", vec![1.0, 0.0, 2.0]).unwrap();
    f.push_numeric("b", vec![0.0, 1.0, 5.0]).unwrap();
    let err = regress("y ~ a + b", &f, &opts(Vcov::Iid)).unwrap_err();
    assert!(
        matches!(err, EconError::TooFewObservations { n: 3, k: 3, .. }),
        "{err}"
    );
}

#[test]
fn single_cluster_is_an_error() {
    let err = regress(
        "y ~ x",
        &frame(),
        &opts(Vcov::Cluster(vec!["one_cluster".into()])),
    )
    .unwrap_err();
    assert!(
        matches!(&err, EconError::TooFewClusters { name, groups: 1 } if name == "one_cluster"),
        "{err}"
    );
}

#[test]
fn negative_and_nan_weights_are_errors_naming_the_column() {
    for bad in [-1.0, f64::NAN] {
        let mut f = frame();
        let mut w = f.numeric("w").unwrap().to_vec();
        w[7] = bad;
        f.set("w", egov_econ::Column::Numeric(w)).unwrap();
        let o = EstimateOptions {
            weights: Some("w".into()),
            ..Default::default()
        };
        let err = regress("y ~ x", &f, &o).unwrap_err();
        assert!(
            matches!(&err, EconError::InvalidWeight { name, row: 7, .. } if name == "w"),
            "{err}"
        );
    }
}

#[test]
fn zero_weights_and_missing_values_are_dropped_and_counted() {
    let mut f = frame();
    let mut w = f.numeric("w").unwrap().to_vec();
    w[3] = 0.0;
    w[4] = 0.0;
    f.set("w", egov_econ::Column::Numeric(w)).unwrap();
    let mut x = f.numeric("x").unwrap().to_vec();
    x[10] = f64::NAN;
    f.set("x", egov_econ::Column::Numeric(x)).unwrap();
    let o = EstimateOptions {
        weights: Some("w".into()),
        ..Default::default()
    };
    let r = regress("y ~ x + labour", &f, &o).unwrap();
    assert_eq!(r.n, 37);
    assert_eq!(r.dropped_rows, 3);
    assert_eq!(r.dropped_detail.zero_weight, 2);
    assert_eq!(
        r.dropped_detail.missing_by_column,
        vec![("x".to_string(), 1)]
    );
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(json["dropped_rows"], 3);
    assert_eq!(json["n"], 37);
}

#[test]
fn collinear_terms_are_dropped_with_a_warning() {
    let mut f = frame();
    let x = f.numeric("x").unwrap().to_vec();
    f.push_numeric("x2", x.iter().map(|v| 2.0 * v + 1.0).collect())
        .unwrap();
    f.push_numeric("constant", vec![3.0; 40]).unwrap();
    let r = regress("y ~ x + x2 + constant + labour", &f, &opts(Vcov::Hc1)).unwrap();
    assert_eq!(r.collinear_terms, ["x2", "constant"]);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("x2") && w.contains("constant"))
    );
    let reference = regress("y ~ x + labour", &f, &opts(Vcov::Hc1)).unwrap();
    for (a, b) in r.coefficients.iter().zip(&reference.coefficients) {
        assert_eq!(a.term, b.term);
        assert!(
            (a.estimate - b.estimate).abs() < 1e-10 && (a.std_error - b.std_error).abs() < 1e-10
        );
    }
    // Dummy trap: every level plus an intercept (categorical with all levels via `- 1` works).
    let r = regress("y ~ labour - 1", &f, &opts(Vcov::Iid)).unwrap();
    assert_eq!(r.coefficients.len(), 3);
    assert!(r.collinear_terms.is_empty());
    let r = regress("y ~ x + labour - 1", &f, &opts(Vcov::Iid)).unwrap();
    assert_eq!(r.coefficients.len(), 4);
}

#[test]
fn formula_features_and_term_names() {
    let f = frame();
    let mm = model_matrix(
        "y ~ x*labour + I(x^2) + i(labour, ref = student):x",
        &f,
        None,
    )
    .unwrap();
    assert_eq!(
        mm.terms,
        [
            "(Intercept)",
            "x",
            "labour::pensioner",
            "labour::student",
            "x:labour::pensioner",
            "x:labour::student",
            "I(x^2)",
            "labour::employed:x",
            "labour::pensioner:x"
        ]
    );
    let r = regress("y ~ i(labour, ref = student)", &f, &opts(Vcov::Hc1)).unwrap();
    assert_eq!(r.coefficients[1].term, "labour::employed");
    assert_eq!(
        r.reference_levels,
        vec![("labour".to_string(), "student".to_string())]
    );
    assert!(
        regress("y ~ i(labour, ref = nobody)", &f, &opts(Vcov::Hc1))
            .unwrap_err()
            .to_string()
            .contains("nobody")
    );
    assert!(regress("y ~ i(x)", &f, &opts(Vcov::Hc1)).is_err());
}

#[test]
fn binary_models_reject_bad_outcomes_and_hc3() {
    let f = frame();
    assert!(matches!(
        logit("y ~ x", &f, &opts(Vcov::Iid)).unwrap_err(),
        EconError::NonBinaryOutcome { .. }
    ));
    assert!(logit("yb ~ x", &f, &opts(Vcov::Hc3)).is_err());
    // Perfect prediction: the outcome is 1 exactly when x > 3.
    let mut g = frame();
    let yb: Vec<f64> = g
        .numeric("x")
        .unwrap()
        .iter()
        .map(|v| (*v > 3.0) as u8 as f64)
        .collect();
    g.push_numeric("sep", yb).unwrap();
    let err = logit("sep ~ x", &g, &opts(Vcov::Iid)).unwrap_err();
    assert!(matches!(err, EconError::NoConvergence { .. }), "{err}");
}

#[test]
fn survey_lonely_psu_and_group_mean_errors() {
    let mut f = frame();
    f.push_numeric(
        "stratum",
        (0..40)
            .map(|i| if i == 0 { 9.0 } else { (i % 2) as f64 })
            .collect(),
    )
    .unwrap();
    f.push_numeric("psu", (0..40).map(|i| (i % 5) as f64).collect())
        .unwrap();
    let o = EstimateOptions {
        weights: Some("w".into()),
        vcov: Vcov::Survey {
            psu: "psu".into(),
            strata: Some("stratum".into()),
        },
        conf_level: 0.95,
    };
    let err = regress("y ~ x", &f, &o).unwrap_err();
    assert!(
        matches!(&err, EconError::LonelyPsu { stratum, .. } if stratum == "9"),
        "{err}"
    );
    let d = Design {
        strata: None,
        psu: vec![0; 3],
    };
    assert!(
        group_means(
            &[1.0, 2.0, 3.0],
            &[1.0; 3],
            &[Some(0); 3],
            1,
            Some(&d),
            0.95
        )
        .is_err()
    );
    assert!(group_means(&[1.0, f64::NAN], &[1.0; 2], &[Some(0); 2], 1, None, 0.95).is_err());
    assert!(group_means(&[1.0, 2.0], &[1.0, -1.0], &[Some(0); 2], 1, None, 0.95).is_err());
}

#[test]
fn frame_rejects_inconsistent_columns() {
    let mut f = Frame::new();
    f.push_numeric("a", vec![1.0, 2.0]).unwrap();
    assert!(matches!(
        f.push_numeric("b", vec![1.0]).unwrap_err(),
        EconError::LengthMismatch { .. }
    ));
    assert!(matches!(
        f.push_numeric("a", vec![1.0, 2.0]).unwrap_err(),
        EconError::DuplicateColumn(_)
    ));
    let bad = Categorical {
        codes: vec![Some(0), Some(3)],
        levels: vec!["a".into()],
        reference: 0,
    };
    assert!(
        f.push_categorical("c", bad)
            .unwrap_err()
            .to_string()
            .contains("row 1")
    );
}
