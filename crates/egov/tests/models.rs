//! End-to-end tests of `egov dsi`, `egov regress` and `egov lpm`: the binary is run on the bundled
//! replica and on the reference fixtures, and its output is compared with the library crates and
//! with independent reference numbers (numpy/scipy for the IRT model, statsmodels and R for
//! regressions; see fixtures/reference/).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures/reference").join(rel)
}

fn egov(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_egov"))
        .args(args)
        .output()
        .expect("the egov binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(args: &[&str]) -> Output {
    let out = egov(args);
    assert!(
        out.status.success(),
        "egov {args:?} failed:\n{}",
        stderr(&out)
    );
    out
}

fn json(args: &[&str]) -> Value {
    let out = ok(args);
    serde_json::from_str(&stdout(&out)).expect("stdout is JSON")
}

fn f(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, got {v}"))
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (tolerance {tol})"
    );
}

fn fixture_json(rel: &str) -> Value {
    let text = std::fs::read_to_string(fixture(rel)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn reference(path: &str, name: &str) -> Value {
    match fixture_json(path) {
        Value::Array(list) => list
            .into_iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("{name} not in {path}")),
        obj => obj[name].clone(),
    }
}

fn assert_has_keys(v: &Value, keys: &[&str]) {
    for key in keys {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
}

/// The entry of a `coefficients`-style array whose `term` is `term`.
fn find_term<'a>(rows: &'a Value, term: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["term"] == term)
        .unwrap_or_else(|| panic!("no term {term}"))
}

/// Every coefficient's estimate and standard error against a reference, each within a
/// tolerance relative to the reference value (estimates: relative to at least 1).
fn assert_coefficients_close(
    got: &Value,
    want_estimates: &Value,
    want_std_errors: &Value,
    (estimate_rel_tol, std_error_rel_tol): (f64, f64),
    what: &str,
) {
    for (j, c) in got["coefficients"].as_array().unwrap().iter().enumerate() {
        let est = f(&want_estimates[j]);
        let se = f(&want_std_errors[j]);
        close(
            f(&c["estimate"]),
            est,
            estimate_rel_tol * est.abs().max(1.0),
            &format!("{what} estimate"),
        );
        close(
            f(&c["std_error"]),
            se,
            std_error_rel_tol * se,
            &format!("{what} std_error"),
        );
    }
}

/// The bundled replica's analysis frame and its 2PL fit with default options.
fn replica_frame_and_fit() -> (egov_survey::AnalysisFrame, egov_irt::ItemFit) {
    let (data, codebook) = egov_survey::bundled_replica_paths();
    let codebook = egov_survey::Codebook::from_path(&codebook).unwrap();
    let (frame, _) = egov_survey::load(&data, &codebook, &Default::default()).unwrap();
    let fit = egov_irt::fit(
        &frame.items,
        frame.n_items(),
        &frame.item_names,
        None,
        &egov_irt::FitOptions::default(),
    )
    .unwrap();
    (frame, fit)
}

/// LSAT6 as a plain table without a codebook: five 0/1 items and a frequency column.
fn lsat6() -> String {
    fixture("irt/lsat6.csv").to_string_lossy().into_owned()
}

const LSAT6_ITEMS: &str = "item1,item2,item3,item4,item5";

/// `egov dsi <subcommand>` on LSAT6 (path `lsat6`) with its frequency weights and 21 quadrature
/// nodes: the settings of the numpy reference.
fn dsi_on_lsat6_like_the_reference<'a>(subcommand: &'a str, lsat6: &'a str) -> Vec<&'a str> {
    vec![
        "dsi",
        subcommand,
        lsat6,
        "--items",
        LSAT6_ITEMS,
        "--weight",
        "count",
        "--quadrature",
        "21",
    ]
}

#[test]
fn dsi_fit_on_lsat6_matches_the_independent_numpy_reference() {
    let lsat6 = lsat6();
    let mut args = dsi_on_lsat6_like_the_reference("fit", &lsat6);
    args.extend(["--format", "json"]);
    let got = json(&args);
    let want = reference("irt/reference_mml.json", "lsat6_gh21");
    assert_has_keys(
        &got,
        &[
            "model",
            "n_respondents",
            "n_patterns",
            "loglik",
            "aic",
            "bic",
            "converged",
            "iterations",
            "items",
            "reliability",
        ],
    );
    assert_eq!(got["model"], "2pl");
    assert_eq!(got["converged"], true);
    assert_eq!(got["n_patterns"], 30);
    assert_eq!(got["n_excluded"], 0);
    close(f(&got["loglik"]), f(&want["loglik"]), 1e-6, "loglik");
    // Published LSAT6 2PL (Bock & Lieberman 1970; mirt): -2 loglik = 4933.307.
    close(-2.0 * f(&got["loglik"]), 4933.307, 1e-3, "deviance");
    let items = got["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    for (j, item) in items.iter().enumerate() {
        assert_eq!(item["name"], format!("item{}", j + 1));
        // The reference's SEs come from a finite-difference Hessian, ours from the analytic one,
        // hence their wider tolerance.
        for (keys, tol) in [(["a", "b", "d"], 1e-4), (["a_se", "b_se", "d_se"], 2e-4)] {
            for key in keys {
                close(f(&item[key]), f(&want[key][j]), tol, &format!("{key}[{j}]"));
            }
        }
    }
    let k = 10.0;
    close(
        f(&got["aic"]),
        -2.0 * f(&want["loglik"]) + 2.0 * k,
        1e-5,
        "aic",
    );
    close(
        f(&got["bic"]),
        -2.0 * f(&want["loglik"]) + k * 1000f64.ln(),
        1e-5,
        "bic",
    );
}

#[test]
fn dsi_fit_on_the_replica_equals_the_library_result() {
    let got = json(&["dsi", "fit", "--format", "json"]);
    let (_, lib) = replica_frame_and_fit();
    assert_eq!(got["n_respondents"], lib.n_respondents);
    assert_eq!(got["n_patterns"], lib.n_patterns);
    assert_eq!(got["n_excluded"], lib.n_excluded);
    close(f(&got["loglik"]), lib.loglik, 1e-9, "loglik");
    let items = got["items"].as_array().unwrap();
    assert_eq!(items.len(), 11);
    for (item, want) in items.iter().zip(&lib.items) {
        assert_eq!(item["name"], want.name.as_str());
        close(f(&item["a"]), want.a, 1e-12, "a");
        close(f(&item["b"]), want.b, 1e-12, "b");
    }
    assert_eq!(got["data"]["synthetic"], true);
    let r = f(&got["reliability"]);
    assert!(r > 0.5 && r < 1.0, "reliability {r}");
    assert_eq!(got["item_fit"].as_array().unwrap().len(), 11);
}

#[test]
fn dsi_score_writes_csv_and_parquet_with_one_row_per_respondent() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("lsat6_eap.csv");
    let lsat6 = lsat6();
    let base = dsi_on_lsat6_like_the_reference("score", &lsat6);
    let mut args = base.to_vec();
    args.extend(["--scale", "theta", "--out", csv.to_str().unwrap()]);
    ok(&args);
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "row,dsi,dsi_se");
    assert_eq!(lines.len(), 31, "30 pattern rows + header");
    // EAP on the θ metric equals the reference's EAP for the same pattern (the engine scores on
    // 61 nodes, the reference on the 21 estimation nodes, hence the tolerance).
    let want = reference("irt/reference_mml.json", "lsat6_gh21");
    let table = std::fs::read_to_string(fixture("irt/lsat6.csv")).unwrap();
    for (row, line) in table.lines().skip(1).enumerate() {
        let pattern: Vec<f64> = line
            .split(',')
            .take(5)
            .map(|v| v.parse().unwrap())
            .collect();
        let p = want["patterns"]
            .as_array()
            .unwrap()
            .iter()
            .position(|q| {
                q.as_array()
                    .unwrap()
                    .iter()
                    .zip(&pattern)
                    .all(|(a, b)| f(a) == *b)
            })
            .unwrap();
        let cells: Vec<&str> = lines[row + 1].split(',').collect();
        assert_eq!(cells[0], (row + 1).to_string());
        let dsi: f64 = cells[1].parse().unwrap();
        let se: f64 = cells[2].parse().unwrap();
        close(dsi, f(&want["eap"][p]), 2e-3, "eap");
        close(se, f(&want["eap_sd"][p]), 2e-3, "eap sd");
    }

    // Standardised (the default) has weighted mean 0 and SD 1.
    let std_csv = dir.path().join("std.csv");
    let mut args = base.to_vec();
    args.extend(["--out", std_csv.to_str().unwrap()]);
    ok(&args);
    let text = std::fs::read_to_string(&std_csv).unwrap();
    let counts: Vec<f64> = table
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    let dsi: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    let total: f64 = counts.iter().sum();
    let mean: f64 = dsi.iter().zip(&counts).map(|(x, w)| x * w).sum::<f64>() / total;
    let var: f64 = dsi
        .iter()
        .zip(&counts)
        .map(|(x, w)| w * (x - mean).powi(2))
        .sum::<f64>()
        / total;
    close(mean, 0.0, 1e-9, "weighted mean");
    close(var, 1.0, 1e-9, "weighted variance");

    // Plausible values to Parquet.
    let pq = dir.path().join("pv.parquet");
    let mut args = base.to_vec();
    args.extend([
        "--method",
        "pv",
        "--draws",
        "3",
        "--seed",
        "7",
        "--out",
        pq.to_str().unwrap(),
    ]);
    ok(&args);
    let df = read_parquet(&pq);
    assert_eq!(df.height(), 30);
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(names, vec!["row", "pv1", "pv2", "pv3"]);
}

fn read_parquet(path: &Path) -> polars::prelude::DataFrame {
    use polars::prelude::{ParquetReader, SerReader};
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap()
}

#[test]
fn dsi_score_on_the_replica_keeps_respondent_ids_and_reuses_fitted_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let params = dir.path().join("fit.json");
    let out = ok(&["dsi", "fit", "--format", "json"]);
    std::fs::write(&params, &out.stdout).unwrap();
    let a = dir.path().join("a.parquet");
    let b = dir.path().join("b.parquet");
    ok(&["dsi", "score", "--out", a.to_str().unwrap()]);
    let scored = ok(&[
        "dsi",
        "score",
        "--params",
        params.to_str().unwrap(),
        "--out",
        b.to_str().unwrap(),
    ]);
    assert!(stderr(&scored).contains("wrote 56649 rows"));
    let (da, db) = (read_parquet(&a), read_parquet(&b));
    assert_eq!(da.height(), 56_649);
    // JSON parameters round-trip to within a unit in the last place, so the scores agree closely.
    for name in ["dsi", "dsi_se"] {
        let x = da.column(name).unwrap().f64().unwrap().clone();
        let y = db.column(name).unwrap().f64().unwrap().clone();
        for (x, y) in x.iter().zip(y.iter()) {
            close(
                x.unwrap(),
                y.unwrap(),
                1e-10,
                "--params gives the same scores",
            );
        }
    }
    assert!(
        da.column("respondent_id")
            .unwrap()
            .equals(db.column("respondent_id").unwrap())
    );
    let ids = da.column("respondent_id").unwrap();
    assert_eq!(ids.n_unique().unwrap(), 56_649);
    let dsi = da.column("dsi").unwrap().f64().unwrap().clone();
    let mean = polars::prelude::ChunkAgg::mean(&dsi).unwrap();
    close(mean, 0.0, 1e-9, "mean of standardised DSI");
}

#[test]
fn lpm_on_the_replica_reports_the_contract_and_the_student_gap() {
    let got = json(&["lpm", "--format", "json"]);
    assert_has_keys(
        &got,
        &[
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
            "tests",
            "warnings",
            "collinear_terms",
            "dsi",
        ],
    );
    assert_eq!(got["vcov"], "hc1");
    assert_eq!(
        got["formula"],
        "egov ~ dsi + sex + education + urban + age + I(age^2) + labour + region"
    );
    let n = got["n"].as_u64().unwrap() + got["dropped_rows"].as_u64().unwrap();
    assert_eq!(n, 56_649);
    let coef = |term: &str| find_term(&got["coefficients"], term);
    assert_has_keys(
        &got["coefficients"][0],
        &[
            "term",
            "estimate",
            "std_error",
            "statistic",
            "p_value",
            "conf_low",
            "conf_high",
        ],
    );
    // The brief: students, pensioners and the unemployed are each about 7 points less likely.
    let student = f(&coef("labour::student")["estimate"]);
    assert!(
        (-0.10..=-0.04).contains(&student),
        "labour::student {student}"
    );
    assert!(f(&coef("dsi")["estimate"]) > 0.0);
    assert!(
        got["fitted_outside_unit_interval"]["count"]
            .as_u64()
            .is_some()
    );
}

#[test]
fn lpm_matches_the_library_with_the_dsi_computed_the_documented_way() {
    let formula = "egov ~ dsi + labour + urban";
    let got = json(&[
        "lpm",
        "--formula",
        formula,
        "--test",
        "labour::student = labour::pensioner",
        "--vcov",
        "design",
        "--format",
        "json",
    ]);
    let (af, fitted) = replica_frame_and_fit();
    let eap = egov_irt::score(
        &fitted.items,
        &af.items,
        af.n_items(),
        egov_irt::ScoreMethod::Eap,
    )
    .unwrap();
    let theta: Vec<Option<f64>> = eap.iter().map(|s| s.map(|s| s.theta)).collect();
    let dsi: Vec<f64> = egov_irt::scale::standardize(&theta, None)
        .into_iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect();
    let mut frame = egov_econ::Frame::new();
    frame
        .push_numeric(
            "egov",
            af.outcome
                .iter()
                .map(|v| v.map_or(f64::NAN, f64::from))
                .collect(),
        )
        .unwrap();
    frame.push_numeric("dsi", dsi).unwrap();
    for var in [&af.labour, &af.urban] {
        frame
            .push_categorical(
                &var.name,
                egov_econ::Categorical {
                    codes: var.codes.clone(),
                    levels: var.levels.iter().map(|l| l.name.clone()).collect(),
                    reference: var.reference,
                },
            )
            .unwrap();
    }
    let psu = af.psu.as_ref().unwrap();
    let stratum = af.stratum.as_ref().unwrap();
    frame
        .push_numeric("psu", psu.iter().map(|&p| p as f64).collect())
        .unwrap();
    frame
        .push_numeric("stratum", stratum.iter().map(|&s| s as f64).collect())
        .unwrap();
    let opts = egov_econ::EstimateOptions {
        weights: None,
        vcov: egov_econ::Vcov::Survey {
            psu: "psu".into(),
            strata: Some("stratum".into()),
        },
        conf_level: 0.95,
    };
    let lib = egov_econ::lpm(formula, &frame, &opts).unwrap();
    assert_eq!(got["n"], lib.n);
    let coefs = got["coefficients"].as_array().unwrap();
    assert_eq!(coefs.len(), lib.coefficients.len());
    for (c, w) in coefs.iter().zip(&lib.coefficients) {
        assert_eq!(c["term"], w.term.as_str());
        close(f(&c["estimate"]), w.estimate, 1e-12, &w.term);
        close(f(&c["std_error"]), w.std_error, 1e-12, &w.term);
    }
    let test = &got["tests"][0];
    let want = lib.wald("labour::student = labour::pensioner").unwrap();
    close(f(&test["f"]), want.f, 1e-9, "Wald F");
    assert_eq!(test["q"], 1);
}

#[test]
fn regress_on_mroz_reproduces_statsmodels() {
    let mroz = fixture("econ/mroz.csv");
    let want = fixture_json("econ/mroz_statsmodels.json");
    let formula = "inlf ~ nwifeinc + educ + exper + expersq + age + kidslt6 + kidsge6";
    for (vcov, key) in [("iid", "nonrobust"), ("hc0", "HC0"), ("hc1", "HC1")] {
        let got = json(&[
            "regress",
            mroz.to_str().unwrap(),
            "--formula",
            formula,
            "--vcov",
            vcov,
            "--format",
            "json",
        ]);
        assert_eq!(got["n"], 753);
        close(f(&got["r2"]), f(&want[key]["r2"]), 1e-10, "r2");
        let coefs = got["coefficients"].as_array().unwrap();
        let terms = want["terms"].as_array().unwrap();
        assert_eq!(coefs.len(), terms.len());
        for (c, term) in coefs.iter().zip(terms) {
            assert_eq!(&c["term"], term);
        }
        assert_coefficients_close(
            &got,
            &want[key]["estimate"],
            &want[key]["std_error"],
            (1e-9, 1e-8),
            key,
        );
    }
    // The LPM of the same model (Wooldridge Example 7.29) with the default HC1 and the CSV format.
    let out = ok(&[
        "lpm",
        mroz.to_str().unwrap(),
        "--formula",
        formula,
        "--format",
        "csv",
    ]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "model,term,estimate,std_error,statistic,p_value,conf_low,conf_high"
    );
    assert_eq!(lines.len(), 9);
    let educ: Vec<&str> = lines[3].split(',').collect();
    assert_eq!(educ[..2], ["lpm", "educ"]);
    close(
        educ[3].parse().unwrap(),
        f(&want["HC1"]["std_error"][2]),
        1e-10,
        "HC1 se of educ",
    );
}

#[test]
fn regress_with_clusters_and_designs_reproduces_r() {
    let data = fixture("econ/synthetic.csv");
    let data = data.to_str().unwrap();
    let formula = "y ~ x1 + x2 + I(x2^2) + cat + x1:cat";
    let cases: [(&str, Vec<&str>); 4] = [
        ("cluster_cl1", vec!["--cluster", "cl1"]),
        ("cluster_cl1_cl2", vec!["--cluster", "cl1,cl2"]),
        ("wls_hc1", vec!["--weight", "w", "--vcov", "hc1"]),
        (
            "survey",
            vec!["--weight", "w", "--psu", "psu", "--strata", "strata"],
        ),
    ];
    for (key, extra) in cases {
        let mut args = vec!["regress", data, "--formula", formula, "--format", "json"];
        args.extend(extra);
        let got = json(&args);
        let want = reference("econ/r.json", key);
        let coefs = got["coefficients"].as_array().unwrap();
        assert_eq!(coefs.len(), want["estimate"].as_array().unwrap().len());
        assert_coefficients_close(
            &got,
            &want["estimate"],
            &want["std_error"],
            (1e-8, 1e-7),
            key,
        );
    }
}

#[test]
fn lpm_beside_logit_and_probit_in_table_formats() {
    let mroz = fixture("econ/mroz.csv");
    let formula = "inlf ~ nwifeinc + educ + exper + expersq + age + kidslt6 + kidsge6";
    let lpm_on_mroz = |model: &'static str, format: &'static str| {
        vec![
            "lpm",
            mroz.to_str().unwrap(),
            "--formula",
            formula,
            "--model",
            model,
            "--format",
            format,
        ]
    };
    let md = stdout(&ok(&lpm_on_mroz("lpm,logit,probit", "markdown")));
    assert!(md.contains("| | LPM | Logit AME | Probit AME |"), "{md}");
    let tex = stdout(&ok(&lpm_on_mroz("logit", "latex")));
    assert!(tex.contains("\\begin{tabular}") && tex.contains("Logit AME"));
    let got = json(&lpm_on_mroz("probit", "json"));
    assert!(got["probit"]["ame"].as_array().unwrap().len() == 7);
}

fn assert_fails(args: &[&str], needles: &[&str]) {
    let out = egov(args);
    assert!(!out.status.success(), "egov {args:?} should fail");
    assert_eq!(out.status.code(), Some(1), "runtime errors exit with 1");
    assert!(out.stdout.is_empty(), "nothing on stdout on error");
    let err = stderr(&out);
    for n in needles {
        assert!(err.contains(n), "stderr of {args:?} lacks `{n}`:\n{err}");
    }
}

#[test]
fn bad_input_fails_clearly_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mroz = fixture("econ/mroz.csv");
    let mroz = mroz.to_str().unwrap();
    assert_fails(
        &["regress", mroz, "--formula", "inlf ~ educ + schooling"],
        &["unknown column `schooling`", "educ"],
    );
    assert_fails(
        &["lpm", mroz, "--formula", "educ ~ age"],
        &["`educ` must be 0/1", "row 0", "value 12"],
    );
    assert_fails(&["lpm", mroz], &["--formula"]);
    assert_fails(
        &[
            "lpm",
            "--formula",
            "egov ~ dsi",
            "--cluster",
            "household",
            "--vcov",
            "hc3",
        ],
        &["choose one of --vcov, --cluster and --psu"],
    );

    let bad = dir.path().join("bad_items.csv");
    std::fs::write(&bad, "id,q1,q2,q3\na,1,0,1\nb,0,,1\nc,1,2,0\n").unwrap();
    let out = dir.path().join("scores.csv");
    std::fs::write(&out, "previous contents\n").unwrap();
    assert_fails(
        &[
            "dsi",
            "score",
            bad.to_str().unwrap(),
            "--items",
            "q1,q2,q3",
            "--out",
            out.to_str().unwrap(),
        ],
        &["item column `q2`", "row 3", "value 2"],
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "previous contents\n",
        "a failed run leaves the output file alone"
    );
    let fresh = dir.path().join("fresh.parquet");
    assert_fails(
        &[
            "dsi",
            "score",
            bad.to_str().unwrap(),
            "--items",
            "q1,q4",
            "--out",
            fresh.to_str().unwrap(),
        ],
        &["unknown column `q4`"],
    );
    assert!(!fresh.exists());
    assert_fails(&["dsi", "fit", bad.to_str().unwrap()], &["--items"]);
    assert_fails(
        &[
            "dsi",
            "score",
            &lsat6(),
            "--items",
            LSAT6_ITEMS,
            "--out",
            &lsat6(),
        ],
        &["is the data file of this run"],
    );
    let text = std::fs::read_to_string(fixture("irt/lsat6.csv")).unwrap();
    assert!(text.starts_with("item1,item2"), "input untouched");

    // A text item column is named with its first value.
    let words = dir.path().join("words.csv");
    std::fs::write(&words, "q1,q2\nyes,1\nno,0\n").unwrap();
    assert_fails(
        &["dsi", "fit", words.to_str().unwrap(), "--items", "q1,q2"],
        &["item column `q1`", "row 1", "`yes`"],
    );
}

#[test]
fn dsi_in_a_plain_table_formula_needs_items() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.csv");
    let mut text = String::from("y,q1,q2,q3,g\n");
    for i in 0..60 {
        let q1 = (i % 2 == 0) as u8;
        let q2 = (i % 3 != 0) as u8;
        let q3 = (i % 5 < 2) as u8;
        let y = ((q1 + q2 + q3) >= 2) as u8;
        let g = if i % 4 == 0 { "north" } else { "south" };
        text.push_str(&format!("{y},{q1},{q2},{q3},{g}\n"));
    }
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();
    assert_fails(&["lpm", p, "--formula", "y ~ dsi + g"], &["--items"]);
    let got = json(&[
        "lpm",
        p,
        "--formula",
        "y ~ dsi + g",
        "--items",
        "q1,q2,q3",
        "--format",
        "json",
    ]);
    assert_eq!(got["n"], 60);
    assert_eq!(got["dsi"]["items"].as_array().unwrap().len(), 3);
    let terms: Vec<&str> = got["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["term"].as_str().unwrap())
        .collect();
    assert_eq!(terms, vec!["(Intercept)", "dsi", "g::south"]);
}

#[test]
fn lpm_inference_for_the_generated_dsi_uses_the_same_two_step_estimate() {
    let formula = "egov ~ dsi + labour + urban";
    let pv = json(&[
        "lpm",
        "--formula",
        formula,
        "--inference",
        "pv",
        "--draws",
        "3",
        "--format",
        "json",
    ]);
    let boot = json(&[
        "lpm",
        "--formula",
        formula,
        "--weight",
        "weight",
        "--vcov",
        "design",
        "--inference",
        "bootstrap",
        "--replicates",
        "9",
        "--seed",
        "5",
        "--format",
        "json",
    ]);
    for got in [&pv, &boot] {
        let rows = got["inference"]["table"]["rows"].as_array().unwrap();
        let coefs = got["coefficients"].as_array().unwrap();
        assert_eq!(rows.len(), coefs.len());
        // The two-step crate's naive fit is the regression reported above it: the DSI computed
        // here on the fly is the same 2PL/EAP/standardised index.
        for (row, c) in rows.iter().zip(coefs) {
            assert_eq!(row["term"], c["term"]);
            close(f(&row["estimate"]), f(&c["estimate"]), 1e-9, "estimate");
            close(f(&row["naive_se"]), f(&c["std_error"]), 1e-9, "naive se");
        }
    }
    let dsi = |got: &Value| find_term(&got["inference"]["table"]["rows"], "dsi").clone();
    assert_eq!(pv["inference"]["method"], "pv");
    assert_eq!(pv["inference"]["plausible_values"]["draws"], 3);
    assert!(f(&dsi(&pv)["pv_se"]) > 0.0);
    // The draws are conditioned on the model (latent regression), which undoes the shrinkage of
    // the EAP score: the DSI effect grows (0.106 naive; the replica was generated with 0.15).
    assert!(pv["inference"]["plausible_values"]["latent_regression"].is_object());
    assert!(f(&dsi(&pv)["pv_estimate"]) > f(&dsi(&pv)["estimate"]) + 0.01);
    assert_eq!(boot["inference"]["method"], "bootstrap");
    assert_eq!(boot["inference"]["resampling_units"], "PSUs `psu`");
    assert_eq!(boot["inference"]["bootstrap"]["successful"], 9);
    assert!(
        boot["inference"]["bootstrap"]
            .get("lpm_replicates")
            .is_none()
    );
    assert!(f(&dsi(&boot)["bootstrap_se"]) > 0.0);

    let mroz = fixture("econ/mroz.csv");
    assert_fails(
        &[
            "lpm",
            mroz.to_str().unwrap(),
            "--formula",
            "inlf ~ educ",
            "--inference",
            "pv",
        ],
        &["--inference pv", "does not use `dsi`"],
    );
}

#[test]
fn unanswered_rows_get_empty_scores_and_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("items.csv");
    std::fs::write(
        &path,
        "pid,q1,q2,q3\np1,1,1,0\np2,0,,0\np3,,,\np4,1,1,1\np5,0,1,NA\np6,1,0,1\n",
    )
    .unwrap();
    let out = dir.path().join("s.csv");
    let run = ok(&[
        "dsi",
        "score",
        path.to_str().unwrap(),
        "--items",
        "q1,q2,q3",
        "--model",
        "1pl",
        "--id",
        "pid",
        "--scale",
        "0-100",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&run);
    assert!(err.contains("wrote 6 rows (5 scored)"), "{err}");
    assert!(
        err.contains("1 row(s) have no score: no answered item"),
        "{err}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "pid,dsi,dsi_se");
    assert_eq!(lines[3], "p3,,");
    let scores: Vec<f64> = lines[1..]
        .iter()
        .filter_map(|l| l.split(',').nth(1).unwrap().parse().ok())
        .collect();
    assert_eq!(scores.len(), 5);
    let lo = scores.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    close(lo, 0.0, 1e-9, "lowest score");
    close(hi, 100.0, 1e-9, "highest score");
    // The all-yes respondent has the highest score, the all-no one the lowest.
    let score_of = |line: &str| line.split(',').nth(1).unwrap().parse::<f64>().unwrap();
    assert!(lines[4].starts_with("p4,"));
    close(score_of(lines[4]), 100.0, 1e-9, "all-yes respondent");
    assert!(lines[2].starts_with("p2,"));
    close(score_of(lines[2]), 0.0, 1e-9, "all-no respondent");
}

#[test]
fn an_explicit_codebook_gives_the_same_model_as_the_bundled_default() {
    let (data, codebook) = egov_survey::bundled_replica_paths();
    let formula = "egov ~ dsi + sex + urban + age";
    let explicit = json(&[
        "regress",
        data.to_str().unwrap(),
        "--codebook",
        codebook.to_str().unwrap(),
        "--formula",
        formula,
        "--vcov",
        "hc2",
        "--format",
        "json",
    ]);
    let default = json(&[
        "regress",
        "--formula",
        formula,
        "--vcov",
        "hc2",
        "--format",
        "json",
    ]);
    assert_eq!(explicit["coefficients"], default["coefficients"]);
    assert_eq!(explicit["vcov"], "hc2");
    assert!(explicit["fitted_outside_unit_interval"].is_null());

    let text = stdout(&ok(&[
        "lpm",
        "--formula",
        "egov ~ dsi + labour",
        "--cluster",
        "household",
        "--model",
        "logit",
    ]));
    for needle in [
        "LPM: egov ~ dsi + labour",
        "SYNTHETIC",
        "variance: cluster(household), clusters: ",
        "labour::student",
        "reference levels: labour = wage_employee",
        "fitted values outside [0, 1]:",
        "Logit AME",
    ] {
        assert!(
            text.contains(needle),
            "text output lacks `{needle}`:\n{text}"
        );
    }
    assert_fails(
        &[
            "regress",
            &fixture("econ/mroz.csv").to_string_lossy(),
            "--formula",
            "inlf ~ educ",
            "--vcov",
            "design",
        ],
        &["the `design` variance needs a codebook that maps the PSU column"],
    );
    assert_fails(&["lpm", "--strata", "stratum"], &["--strata needs --psu"]);
}
