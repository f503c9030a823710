//! Regression tables (Markdown, LaTeX, text) and the JSON contract of a fitted model.

mod common;
use common::*;
use egov_econ::table::{RegressionTable, TableColumn};
use egov_econ::{Coefficient, EstimateOptions, Vcov, lpm, probit};

#[test]
fn side_by_side_table_has_stars_ns_and_reference_categories() {
    let data = read_csv("synthetic.csv");
    let opts = EstimateOptions {
        vcov: Vcov::Cluster(vec!["cl1".into()]),
        ..Default::default()
    };
    let l = lpm("ybin ~ x1 + x2 + cat", &data, &opts).unwrap();
    let p = probit("ybin ~ x1 + x2 + cat", &data, &opts).unwrap();
    let mut t = RegressionTable::new();
    t.labels.push(("x1".into(), "Skill_index & more".into()));
    t.push(TableColumn::from_regression("LPM", &l));
    t.push(TableColumn::from_ame("Probit AME", &p));
    let md = t.to_markdown();
    let x1 = l.coefficient("x1").unwrap();
    let stars = if x1.p_value < 0.01 {
        "***"
    } else if x1.p_value < 0.05 {
        "**"
    } else if x1.p_value < 0.1 {
        "*"
    } else {
        ""
    };
    assert!(
        md.contains(&format!(
            "| Skill_index & more | {:.3}{stars} |",
            x1.estimate
        )),
        "{md}"
    );
    assert!(md.contains(&format!("({:.3})", x1.std_error)));
    assert!(md.contains("| N | 600 | 600 |"));
    assert!(md.contains("Reference categories: cat = a."));
    assert!(md.contains("| Clusters | 40 | 40 |"));
    assert!(md.contains("* p<0.1, ** p<0.05, *** p<0.01"));
    let tex = t.to_latex();
    assert!(
        tex.contains("\\toprule")
            && tex.contains("\\bottomrule")
            && tex.contains("Skill\\_index \\& more")
    );
    assert!(tex.contains("$R^2$"));
    let text = t.to_text();
    assert!(text.lines().any(|l| l.starts_with("Skill_index & more")));
    assert!(text.contains("Pseudo R²"));
}

#[test]
fn json_contract_uses_null_for_undefined_numbers() {
    let data = read_csv("synthetic.csv");
    let r = lpm("ybin ~ x1", &data, &EstimateOptions::default()).unwrap();
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    for key in [
        "n",
        "k",
        "df_resid",
        "r2",
        "adj_r2",
        "vcov",
        "n_clusters",
        "dropped_rows",
        "fitted_outside_unit_interval",
        "coefficients",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(v["vcov"], "hc1");
    assert!(v["fitted_outside_unit_interval"]["count"].is_u64());
    let c = &v["coefficients"][1];
    for key in [
        "term",
        "estimate",
        "std_error",
        "statistic",
        "p_value",
        "conf_low",
        "conf_high",
    ] {
        assert!(c.get(key).is_some(), "missing coefficient key {key}");
    }
    let nan = Coefficient {
        term: "t".into(),
        estimate: 1.0,
        std_error: f64::NAN,
        statistic: f64::NAN,
        p_value: f64::NAN,
        conf_low: f64::NAN,
        conf_high: f64::NAN,
    };
    assert_eq!(
        serde_json::to_value(&nan).unwrap()["std_error"],
        serde_json::Value::Null
    );
    assert!(
        r.tidy_csv().starts_with(
            "term,estimate,std_error,statistic,p_value,conf_low,conf_high\n(Intercept),"
        )
    );
}
