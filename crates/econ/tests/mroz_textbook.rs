//! Wooldridge, Introductory Econometrics, Example 8.8: the linear probability model of
//! married women's labour force participation (MROZ, 753 rows), with usual and
//! heteroskedasticity-robust standard errors. Printed values are compared at the precision
//! the textbook prints; statsmodels values (make_mroz.py) at full precision.

mod common;
use common::*;
use egov_econ::{EstimateOptions, Regression, Vcov, lpm};

const FORMULA: &str = "inlf ~ nwifeinc + educ + exper + expersq + age + kidslt6 + kidsge6";

fn fit(vcov: Vcov) -> Regression {
    lpm(
        FORMULA,
        &read_csv("mroz.csv"),
        &EstimateOptions {
            vcov,
            ..Default::default()
        },
    )
    .unwrap()
}

/// Printed value and its number of decimals, e.g. (".0034", 4).
fn agrees_with_print(what: &str, got: f64, printed: &str) {
    let decimals = printed.split('.').nth(1).map_or(0, |d| d.len()) as i32;
    let value: f64 = printed.parse().unwrap();
    let half_unit = 0.5 * 10f64.powi(-decimals);
    assert!(
        (got - value).abs() <= half_unit + 1e-12,
        "{what}: {got} does not round to printed {printed}"
    );
}

// Equation in Example 8.8: estimates, usual SEs in parentheses, robust SEs in brackets.
const ESTIMATES: [&str; 8] = [
    ".586", "-.0034", ".038", ".039", "-.00060", "-.016", "-.262", ".0130",
];
const USUAL: [&str; 8] = [
    ".154", ".0014", ".007", ".006", ".00018", ".002", ".034", ".0132",
];
const ROBUST: [&str; 8] = [
    ".151", ".0015", ".007", ".006", ".00019", ".002", ".032", ".0135",
];

#[test]
fn example_8_8_matches_the_textbook() {
    let usual = fit(Vcov::Iid);
    let robust = fit(Vcov::Hc0);
    assert_eq!(usual.n, 753);
    agrees_with_print("R²", usual.r2, ".264");
    for j in 0..8 {
        let term = &usual.coefficients[j].term;
        agrees_with_print(
            &format!("{term} estimate"),
            usual.coefficients[j].estimate,
            ESTIMATES[j],
        );
        agrees_with_print(
            &format!("{term} usual se"),
            usual.coefficients[j].std_error,
            USUAL[j],
        );
        agrees_with_print(
            &format!("{term} robust se"),
            robust.coefficients[j].std_error,
            ROBUST[j],
        );
    }
    // The book's robust intercept SE (.151) is HC0; HC1 (Stata `robust`) gives .152.
    let hc1 = fit(Vcov::Hc1);
    assert!((hc1.coefficients[0].std_error - 0.151).abs() > 0.0005);
}

#[test]
fn example_8_8_matches_statsmodels_at_full_precision() {
    let sm = json("mroz_statsmodels.json");
    for (vcov, key) in [
        (Vcov::Iid, "nonrobust"),
        (Vcov::Hc0, "HC0"),
        (Vcov::Hc1, "HC1"),
    ] {
        let r = fit(vcov);
        let est: Vec<f64> = r.coefficients.iter().map(|c| c.estimate).collect();
        let se: Vec<f64> = r.coefficients.iter().map(|c| c.std_error).collect();
        assert_close(
            &format!("{key} est"),
            &est,
            &floats(&sm[key]["estimate"]),
            1e-10,
        );
        assert_close(
            &format!("{key} se"),
            &se,
            &floats(&sm[key]["std_error"]),
            1e-9,
        );
    }
    // Diagnostics of the LPM: 33 of 753 fitted values lie outside [0, 1] (counted from
    // statsmodels' fitted values by make_mroz.py's data: `((f < 0) | (f > 1)).sum()`).
    let r = fit(Vcov::Hc1);
    let out = r.fitted_outside_unit_interval.clone().unwrap();
    assert_eq!(out.count, 33);
    assert!((out.share - out.count as f64 / 753.0).abs() < 1e-15);
}
