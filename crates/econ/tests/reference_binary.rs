//! Logit and probit coefficients, standard errors and average marginal effects against
//! statsmodels (fixtures/reference/econ/make_reference.py).

mod common;
use common::*;
use egov_econ::{BinaryChoice, EstimateOptions, Vcov, logit, probit};

const FORMULA: &str = "ybin ~ x1 + x2 + cat";

fn fit(link: &str, vcov: Vcov) -> BinaryChoice {
    let data = read_csv("synthetic.csv");
    let opts = EstimateOptions {
        weights: None,
        vcov,
        conf_level: 0.95,
    };
    if link == "logit" {
        logit(FORMULA, &data, &opts).unwrap()
    } else {
        probit(FORMULA, &data, &opts).unwrap()
    }
}

fn col(v: &[egov_econ::Coefficient], f: impl Fn(&egov_econ::Coefficient) -> f64) -> Vec<f64> {
    v.iter().map(f).collect()
}

#[test]
fn logit_and_probit_match_statsmodels() {
    let sm = json("statsmodels.json");
    for link in ["logit", "probit"] {
        let r = &sm[link];
        let m = fit(link, Vcov::Iid);
        let terms: Vec<String> = m.coefficients.iter().map(|c| c.term.clone()).collect();
        assert_eq!(
            terms,
            ["(Intercept)", "x1", "x2", "cat::b", "cat::c", "cat::d"]
        );
        assert_close(
            &format!("{link} beta"),
            &col(&m.coefficients, |c| c.estimate),
            &floats(&r["estimate"]),
            1e-8,
        );
        assert_close(
            &format!("{link} se"),
            &col(&m.coefficients, |c| c.std_error),
            &floats(&r["std_error_iid"]),
            1e-7,
        );
        assert_close(
            &format!("{link} ll"),
            &[m.log_likelihood],
            &[r["loglik"].as_f64().unwrap()],
            1e-12,
        );
        // statsmodels reports AMEs for the non-constant columns, in column order.
        let ame_terms: Vec<String> = m.ame.iter().map(|c| c.term.clone()).collect();
        assert_eq!(ame_terms, ["x1", "x2", "cat::b", "cat::c", "cat::d"]);
        assert_close(
            &format!("{link} ame"),
            &col(&m.ame, |c| c.estimate),
            &floats(&r["ame"]),
            1e-8,
        );
        assert_close(
            &format!("{link} ame se"),
            &col(&m.ame, |c| c.std_error),
            &floats(&r["ame_se_iid"]),
            1e-7,
        );

        let m0 = fit(link, Vcov::Hc0);
        assert_close(
            &format!("{link} hc0 se"),
            &col(&m0.coefficients, |c| c.std_error),
            &floats(&r["std_error_hc0"]),
            1e-7,
        );
        assert_close(
            &format!("{link} hc0 ame se"),
            &col(&m0.ame, |c| c.std_error),
            &floats(&r["ame_se_hc0"]),
            1e-7,
        );

        // Clustered: Stata's G/(G−1) here; statsmodels also multiplies by (N−1)/(N−K).
        let mc = fit(link, Vcov::Cluster(vec!["cl1".into()]));
        let adj = ((600.0 - 1.0) / (600.0 - 6.0_f64)).sqrt();
        let se: Vec<f64> = col(&mc.coefficients, |c| c.std_error * adj);
        assert_close(
            &format!("{link} cluster se"),
            &se,
            &floats(&r["std_error_cluster_cl1"]),
            1e-7,
        );
        let se: Vec<f64> = col(&mc.ame, |c| c.std_error * adj);
        assert_close(
            &format!("{link} cluster ame se"),
            &se,
            &floats(&r["ame_se_cluster_cl1"]),
            1e-7,
        );
    }
}
