//! Linear models against statsmodels and R (sandwich, estimatr, survey) on the synthetic
//! fixture written by fixtures/reference/econ/make_reference.py and make_reference.R.

mod common;
use common::*;
use egov_econ::{EstimateOptions, Regression, Vcov, regress};

const FORMULA: &str = "y ~ x1 + x2 + I(x2^2) + cat + x1:cat";
const REL: f64 = 1e-8;

fn fit(vcov: Vcov, weights: Option<&str>) -> Regression {
    let data = read_csv("synthetic.csv");
    let opts = EstimateOptions {
        weights: weights.map(String::from),
        vcov,
        conf_level: 0.95,
    };
    regress(FORMULA, &data, &opts).unwrap()
}

fn check(label: &str, r: &Regression, reference: &serde_json::Value) {
    let terms: Vec<String> = r.coefficients.iter().map(|c| c.term.clone()).collect();
    let sm = json("statsmodels.json");
    let want_terms: Vec<String> = sm["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    assert_eq!(terms, want_terms);
    let est: Vec<f64> = r.coefficients.iter().map(|c| c.estimate).collect();
    let se: Vec<f64> = r.coefficients.iter().map(|c| c.std_error).collect();
    assert_close(
        &format!("{label} estimate"),
        &est,
        &floats(&reference["estimate"]),
        REL,
    );
    assert_close(
        &format!("{label} std_error"),
        &se,
        &floats(&reference["std_error"]),
        REL,
    );
}

#[test]
fn ols_iid_and_hc_match_statsmodels() {
    let sm = json("statsmodels.json");
    for (name, v) in [
        ("iid", Vcov::Iid),
        ("hc0", Vcov::Hc0),
        ("hc1", Vcov::Hc1),
        ("hc2", Vcov::Hc2),
        ("hc3", Vcov::Hc3),
    ] {
        let r = fit(v, None);
        check(name, &r, &sm["linear"][name]);
    }
    let r = fit(Vcov::Iid, None);
    assert_close(
        "r2",
        &[r.r2, r.adj_r2],
        &[
            sm["linear"]["iid"]["r2"].as_f64().unwrap(),
            sm["linear"]["iid"]["adj_r2"].as_f64().unwrap(),
        ],
        1e-10,
    );
}

#[test]
fn hc2_hc3_match_r_sandwich() {
    let rj = json("r.json");
    check("hc2", &fit(Vcov::Hc2, None), &rj["hc2"]);
    check("hc3", &fit(Vcov::Hc3, None), &rj["hc3"]);
}

#[test]
fn one_way_cluster_matches_statsmodels_sandwich_estimatr() {
    let r = fit(Vcov::Cluster(vec!["cl1".into()]), None);
    check(
        "cluster sm",
        &r,
        &json("statsmodels.json")["linear"]["cluster_cl1"],
    );
    check("cluster R", &r, &json("r.json")["cluster_cl1"]);
    check(
        "cluster estimatr",
        &r,
        &json("r.json")["estimatr_cr1_stata"],
    );
    assert_eq!(r.n_clusters, Some(vec![40]));
    assert_eq!(r.df_resid, 39.0);
}

#[test]
fn two_way_cluster_matches_r_sandwich() {
    let r = fit(Vcov::Cluster(vec!["cl1".into(), "cl2".into()]), None);
    check("two-way", &r, &json("r.json")["cluster_cl1_cl2"]);
    assert_eq!(r.n_clusters, Some(vec![40, 25]));
    let rw = fit(Vcov::Cluster(vec!["cl1".into(), "cl2".into()]), Some("w"));
    check(
        "two-way weighted",
        &rw,
        &json("r.json")["wls_cluster_cl1_cl2"],
    );
}

#[test]
fn weighted_least_squares_matches() {
    let sm = json("statsmodels.json");
    let r = fit(Vcov::Iid, Some("w"));
    check("wls iid", &r, &sm["linear"]["wls_iid"]);
    assert_close(
        "wls r2",
        &[r.r2],
        &[sm["linear"]["wls_iid"]["r2"].as_f64().unwrap()],
        1e-10,
    );
    check(
        "wls hc1",
        &fit(Vcov::Hc1, Some("w")),
        &sm["linear"]["wls_hc1"],
    );
    check(
        "wls hc1 R",
        &fit(Vcov::Hc1, Some("w")),
        &json("r.json")["wls_hc1"],
    );
    check(
        "wls cluster",
        &fit(Vcov::Cluster(vec!["cl1".into()]), Some("w")),
        &sm["linear"]["wls_cluster_cl1"],
    );
    check(
        "wls hc2 estimatr",
        &fit(Vcov::Hc2, Some("w")),
        &json("r.json")["estimatr_wls_hc2"],
    );
}

#[test]
fn survey_design_matches_svyglm() {
    let rj = json("r.json");
    let r = fit(
        Vcov::Survey {
            psu: "psu".into(),
            strata: Some("strata".into()),
        },
        Some("w"),
    );
    check("survey", &r, &rj["survey"]);
    assert_eq!(r.df_resid, rj["survey"]["df_resid"].as_f64().unwrap());
    let r = fit(
        Vcov::Survey {
            psu: "psu".into(),
            strata: None,
        },
        Some("w"),
    );
    check("survey unstratified", &r, &rj["survey_unstratified"]);
}

#[test]
fn wald_tests_match_statsmodels() {
    let sm = json("statsmodels.json");
    let r = fit(Vcov::Hc1, None);
    let t = r.wald("cat::* = 0").unwrap();
    assert_eq!(t.q, 3);
    assert_close(
        "F",
        &[t.f, t.f_p_value],
        &[
            sm["wald_cat_hc1"]["F"].as_f64().unwrap(),
            sm["wald_cat_hc1"]["p"].as_f64().unwrap(),
        ],
        1e-8,
    );
    assert_eq!(
        t.df_denominator,
        sm["wald_cat_hc1"]["df_denom"].as_f64().unwrap()
    );
    let t = r.wald("cat::b = cat::c, cat::c = cat::d").unwrap();
    assert_close(
        "F equal",
        &[t.f, t.f_p_value],
        &[
            sm["wald_equal_hc1"]["F"].as_f64().unwrap(),
            sm["wald_equal_hc1"]["p"].as_f64().unwrap(),
        ],
        1e-8,
    );
    // Same hypothesis written differently gives the same statistic.
    let t2 = r
        .wald("cat::b - cat::c = 0, cat::c - 1*cat::d = 0")
        .unwrap();
    assert!((t.f - t2.f).abs() < 1e-10 * t.f);
    assert!(r.wald("nonsense = 0").is_err());
    assert!(r.wald("cat::b = 0, cat::b = 0").is_err());
}

#[test]
fn group_means_match_svyby() {
    use egov_econ::Column;
    use egov_econ::descriptive::{Design, group_means, overall_mean};
    let data = read_csv("synthetic.csv");
    let y = data.numeric("y").unwrap();
    let w = data.numeric("w").unwrap();
    let groups: Vec<Option<u32>> = match data.column("cat").unwrap() {
        Column::Categorical(c) => c.codes.clone(),
        _ => unreachable!(),
    };
    let design = Design {
        strata: Some(
            data.numeric("strata")
                .unwrap()
                .iter()
                .map(|v| *v as u32)
                .collect(),
        ),
        psu: data
            .numeric("psu")
            .unwrap()
            .iter()
            .map(|v| *v as u32)
            .collect(),
    };
    let rj = json("r.json");
    let est = group_means(y, w, &groups, 4, Some(&design), 0.95).unwrap();
    assert_close(
        "svyby mean",
        &est.iter().map(|e| e.estimate).collect::<Vec<_>>(),
        &floats(&rj["group_means_survey"]["estimate"]),
        1e-10,
    );
    assert_close(
        "svyby se",
        &est.iter().map(|e| e.std_error).collect::<Vec<_>>(),
        &floats(&rj["group_means_survey"]["std_error"]),
        1e-8,
    );
    let overall = overall_mean(y, w, Some(&design), 0.95).unwrap();
    assert_close(
        "svymean",
        &[overall.estimate, overall.std_error],
        &floats(&rj["group_means_survey"]["overall"]),
        1e-8,
    );
    let est = group_means(y, w, &groups, 4, None, 0.95).unwrap();
    assert_close(
        "iid mean",
        &est.iter().map(|e| e.estimate).collect::<Vec<_>>(),
        &floats(&rj["group_means_iid"]["estimate"]),
        1e-10,
    );
    assert_close(
        "iid se",
        &est.iter().map(|e| e.std_error).collect::<Vec<_>>(),
        &floats(&rj["group_means_iid"]["std_error"]),
        1e-8,
    );
    assert_eq!(est.iter().map(|e| e.n).sum::<usize>(), 600);
}
