//! End-to-end tests of `egov reproduce` on the bundled synthetic replica, and of its refusals.
//!
//! A full run takes a while in the dev profile, so one run is shared by every assertion that
//! reads its outputs ([`replica_run`]).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn egov() -> Command {
    Command::new(env!("CARGO_BIN_EXE_egov"))
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn replica_data() -> PathBuf {
    workspace().join("fixtures/replica/kz_ict2021_SYNTHETIC_replica.parquet")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Output directory of the one shared `egov reproduce` run (default configuration).
fn replica_run() -> &'static Path {
    static RUN: OnceLock<PathBuf> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let out = dir.join("out");
        let o = egov()
            .arg("reproduce")
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "reproduce failed: {}", stderr(&o));
        out
    })
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn coefficient(model: &Value, term: &str) -> f64 {
    model["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["term"] == term)
        .unwrap_or_else(|| panic!("no term {term}"))["estimate"]
        .as_f64()
        .unwrap()
}

#[test]
fn replica_carries_the_briefs_findings() {
    let lpm = json(&replica_run().join("tables/lpm.json"));
    // The `egov lpm` JSON contract.
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
        "tests",
    ] {
        assert!(lpm.get(key).is_some(), "lpm.json lacks `{key}`");
    }
    assert_eq!(lpm["vcov"], "hc1");
    assert_eq!(lpm["synthetic"], true);
    for group in ["labour::student", "labour::pensioner", "labour::unemployed"] {
        let b = coefficient(&lpm, group);
        assert!((-0.11..=-0.03).contains(&b), "{group} = {b}");
    }
    // The three cities above every other region (the reference region has effect 0).
    let regions: Vec<(String, f64)> = lpm["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| {
            let t = c["term"].as_str()?;
            t.strip_prefix("region::")
                .map(|r| (r.to_string(), c["estimate"].as_f64().unwrap()))
        })
        .collect();
    assert_eq!(regions.len(), 16);
    let cities = ["astana", "almaty_city", "shymkent"];
    let lowest_city = regions
        .iter()
        .filter(|(r, _)| cities.contains(&r.as_str()))
        .map(|r| r.1)
        .fold(f64::INFINITY, f64::min);
    let highest_other = regions
        .iter()
        .filter(|(r, _)| !cities.contains(&r.as_str()))
        .map(|r| r.1)
        .fold(0.0, f64::max);
    assert!(
        lowest_city > highest_other,
        "cities {lowest_city} vs others {highest_other}"
    );
    // Raw weighted uptake: the cities above every other region too.
    let desc = json(&replica_run().join("tables/descriptives.json"));
    let table = desc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "by_region")
        .unwrap();
    let rows = table["rows"].as_array().unwrap();
    let min_city = rows
        .iter()
        .filter(|r| r["city"] == true)
        .map(|r| r["uptake"]["estimate"].as_f64().unwrap())
        .fold(f64::INFINITY, f64::min);
    let max_other = rows
        .iter()
        .filter(|r| r["city"] == false)
        .map(|r| r["uptake"]["estimate"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert!(min_city > max_other);
    // The DSI and higher education are the largest effects in standardised terms.
    let std = json(&replica_run().join("tables/standardised_effects.json"));
    let top: Vec<&str> = std
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|s| s["term"].as_str().unwrap())
        .collect();
    assert_eq!(top, ["dsi", "education::higher"]);
    // ... and in raw terms, higher education is the largest education effect.
    let higher = coefficient(&lpm, "education::higher");
    assert!(coefficient(&lpm, "dsi") > 0.05 && higher > 0.08);
    // The joint tests are there, with the regions jointly significant.
    let tests = lpm["tests"].as_array().unwrap();
    let regions_test = tests.iter().find(|t| t["name"] == "regions_zero").unwrap();
    assert_eq!(regions_test["q"], 16);
    assert!(regions_test["f_p_value"].as_f64().unwrap() < 0.01);
    assert!(
        tests
            .iter()
            .any(|t| t["name"] == "students_pensioners_unemployed_equal")
    );
}

/// The number in the row `| term | ... |` of the main LPM table in report.md, column `col`.
fn report_cell(report: &str, term: &str, col: usize) -> String {
    let line = report
        .lines()
        .find(|l| l.starts_with(&format!("| {term} |")))
        .unwrap_or_else(|| panic!("no row for {term} in report.md"));
    line.split('|')
        .map(str::trim)
        .nth(col + 1)
        .unwrap()
        .to_string()
}

#[test]
fn report_numbers_equal_the_json_tables() {
    let report = std::fs::read_to_string(replica_run().join("report.md")).unwrap();
    let lpm = json(&replica_run().join("tables/lpm.json"));
    for term in [
        "dsi",
        "labour::student",
        "labour::pensioner",
        "education::higher",
        "region::astana",
    ] {
        let shown: f64 = report_cell(&report, term, 2).parse().unwrap();
        let exact = coefficient(&lpm, term);
        assert!(
            (shown - exact).abs() <= 0.0005 + 1e-12,
            "{term}: report {shown}, json {exact}"
        );
    }
    // The findings sentence quotes the same estimate in percentage points.
    let student = coefficient(&lpm, "labour::student");
    let sentence = report
        .lines()
        .find(|l| l.contains("**Labour status.**"))
        .unwrap();
    let after = &sentence[sentence.find("tudents are ").unwrap() + "tudents are ".len()..];
    let pp: f64 = after.split_whitespace().next().unwrap().parse().unwrap();
    assert!(
        (pp - 100.0 * student.abs()).abs() <= 0.05 + 1e-9,
        "{pp} pp vs {student}"
    );
    assert!(after.contains("less likely than wage employees"));
    let dsi_line = report
        .lines()
        .find(|l| l.contains("**Digital skills.**"))
        .unwrap();
    let dsi_pp = format!("{:.1} pp", 100.0 * coefficient(&lpm, "dsi"));
    assert!(dsi_line.contains(&dsi_pp), "{dsi_line} lacks {dsi_pp}");
    assert!(report.starts_with("# E-government uptake and digital skills in Kazakhstan — SYNTHETIC REPLICA, not official data"));
}

#[test]
fn every_expected_file_exists() {
    let out = replica_run();
    let mut expected: Vec<String> = vec![
        "report.md".into(),
        "report.html".into(),
        "manifest.json".into(),
        "timings.json".into(),
        ".egov-output".into(),
        "data/dsi_scores.csv".into(),
        "data/item_parameters.json".into(),
    ];
    for t in [
        "data_summary",
        "dsi_items",
        "dsi_fit",
        "by_region",
        "by_age_urban",
        "by_education",
        "by_sex",
        "by_labour",
        "lpm",
        "joint_tests",
        "standardised_effects",
        "robustness",
        "inference",
    ] {
        for ext in ["md", "tex", "csv"] {
            expected.push(format!("tables/{t}.{ext}"));
        }
    }
    for j in [
        "lpm",
        "lpm_no_dsi",
        "lpm_count_index",
        "logit",
        "probit",
        "descriptives",
        "inference",
    ] {
        expected.push(format!("tables/{j}.json"));
    }
    for c in [
        "uptake_by_region",
        "dsi_by_region",
        "region_effects",
        "uptake_by_age_urban",
        "uptake_by_education",
        "uptake_by_sex",
        "uptake_by_labour",
        "coefficients",
        "dsi_distribution_urban",
        "dsi_distribution_education",
        "item_curves",
        "test_information",
        "item_map",
        "uptake_map",
    ] {
        expected.push(format!("figures/{c}.svg"));
        expected.push(format!("figures/{c}.png"));
    }
    for f in &expected {
        let p = out.join(f);
        assert!(
            p.is_file() && std::fs::metadata(&p).unwrap().len() > 0,
            "missing or empty: {f}"
        );
    }
    // Every table file made from the replica says so.
    for f in expected
        .iter()
        .filter(|f| f.ends_with(".md") || f.ends_with(".tex"))
    {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(
            text.contains("SYNTHETIC REPLICA"),
            "{f} lacks the synthetic mark"
        );
    }
    let png = std::fs::read(out.join("figures/coefficients.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    // Respondent-level scores: one row per respondent.
    let scores = std::fs::read_to_string(out.join("data/dsi_scores.csv")).unwrap();
    let mut lines = scores.lines();
    assert_eq!(
        lines.next().unwrap(),
        "respondent_id,dsi,dsi_se,theta_eap,count_index"
    );
    assert_eq!(lines.count(), 56_649);
    // Nothing is left over from staging.
    let parent = out.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".egov-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn manifest_records_the_input_and_its_sha256() {
    let m = json(&replica_run().join("manifest.json"));
    let sum = Command::new("sha256sum")
        .arg(replica_data())
        .output()
        .unwrap();
    let expected = String::from_utf8_lossy(&sum.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(m["input"]["sha256"], expected.as_str());
    assert_eq!(m["synthetic"], true);
    assert_eq!(m["input"]["rows"], 56_649);
    assert_eq!(m["codebook"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(m["seed"], 2021);
    assert_eq!(m["toolkit"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["configuration"]["model"]["vcov"], "hc1");
    // Timings live in their own file, so the manifest depends on the inputs and seed only.
    assert!(m.get("timings_ms").is_none() && m.get("total_ms").is_none());
    let timings = json(&replica_run().join("timings.json"));
    for stage in [
        "load",
        "dsi",
        "descriptives",
        "models",
        "inference",
        "charts",
        "report",
    ] {
        assert!(
            timings["timings_ms"][stage].as_f64().is_some(),
            "no timing for {stage}"
        );
    }
}

#[test]
fn html_report_is_self_contained() {
    let html = std::fs::read_to_string(replica_run().join("report.html")).unwrap();
    assert!(html.contains("<title>E-government uptake and digital skills in Kazakhstan — SYNTHETIC REPLICA, not official data</title>"));
    assert!(html.contains("<style>") && html.contains("@media print"));
    assert!(html.matches("data:image/png;base64,").count() >= 14);
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<link")
    );
    assert!(html.contains("<h2 id=\"findings\">Findings</h2>"));
}

#[test]
fn replica_config_file_equals_the_default_and_force_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A folder egov wrote (its marker lists old.txt), so --force may replace it.
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("old.txt"), "old").unwrap();
    std::fs::write(out.join(".egov-output"), "old.txt\n").unwrap();
    let config = workspace().join("docs/analysis-replica.toml");
    let o = egov()
        .args(["reproduce", "--config"])
        .arg(&config)
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !out.join("old.txt").exists(),
        "--force must replace the old directory"
    );
    let a = std::fs::read_to_string(out.join("tables/lpm.json")).unwrap();
    let b = std::fs::read_to_string(replica_run().join("tables/lpm.json")).unwrap();
    assert_eq!(a, b);
    let a = std::fs::read_to_string(out.join("tables/inference.json")).unwrap();
    let b = std::fs::read_to_string(replica_run().join("tables/inference.json")).unwrap();
    assert_eq!(a, b, "plausible values are seeded");
}

/// Runs reproduce with `config` text and expects a failure naming `needle`, with no output left.
fn refused(config: &str, needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("analysis.toml");
    std::fs::write(&cfg, config).unwrap();
    let out = dir.path().join("out");
    let o = egov()
        .args(["reproduce", "--config"])
        .arg(&cfg)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(needle), "stderr lacks `{needle}`:\n{err}");
    assert!(!out.exists(), "a failed run must leave no output directory");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".egov-"))
        .collect();
    assert!(leftovers.is_empty(), "staging directory left behind");
}

fn data_section(data: &Path, codebook: &Path) -> String {
    format!(
        "[data]\nfile = {:?}\ncodebook = {:?}\n",
        data.display().to_string(),
        codebook.display().to_string()
    )
}

#[test]
fn bad_configuration_is_refused_clearly() {
    let codebook = workspace().join("fixtures/replica/codebook.toml");
    let base = data_section(&replica_data(), &codebook);
    refused(&format!("{base}[model]\nvcvo = \"hc1\"\n"), "vcvo");
    refused(&format!("{base}[charts]\nlang = \"de\"\n"), "charts.lang");
    refused(
        &data_section(
            &workspace().join("fixtures/replica/no_such_file.parquet"),
            &codebook,
        ),
        "no_such_file.parquet",
    );
}

#[test]
fn bad_data_is_refused_clearly() {
    // A fixture with invalid codes, text in a numeric column, a negative weight, a duplicate id.
    let formats = workspace().join("fixtures/formats/codebook.toml");
    refused(
        &data_section(&workspace().join("fixtures/bad/survey_bad.csv"), &formats),
        "survey_bad.csv",
    );
    // A corrupted (truncated) copy of the replica.
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(replica_data()).unwrap();
    let broken = dir.path().join("replica_truncated.parquet");
    std::fs::write(&broken, &bytes[..bytes.len() / 2]).unwrap();
    refused(
        &data_section(&broken, &workspace().join("fixtures/replica/codebook.toml")),
        "replica_truncated.parquet",
    );
}

#[test]
fn non_empty_output_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let o = egov()
        .arg("reproduce")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn lpm_command_agrees_with_the_report() {
    let o = egov().args(["lpm", "--format", "json"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let cli: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ours = json(&replica_run().join("tables/lpm.json"));
    assert_eq!(cli["n"], ours["n"]);
    // One contract: every key of `egov lpm --format json` is in `tables/lpm.json`.
    for key in cli.as_object().unwrap().keys() {
        assert!(ours.get(key).is_some(), "tables/lpm.json lacks `{key}`");
    }
    assert_eq!(ours["model"], "lpm");
    assert_eq!(ours["data"]["synthetic"], true);
    for key in [
        "model",
        "method",
        "scale",
        "items",
        "weighted",
        "n_unscored",
        "converged",
    ] {
        assert_eq!(cli["dsi"][key], ours["dsi"][key], "dsi.{key}");
    }
    let (a, b) = (
        cli["dsi"]["loglik"].as_f64().unwrap(),
        ours["dsi"]["loglik"].as_f64().unwrap(),
    );
    assert!((a - b).abs() < 1e-8 * a.abs(), "dsi.loglik {a} vs {b}");
    let ours_terms = ours["coefficients"].as_array().unwrap();
    assert_eq!(
        cli["coefficients"].as_array().unwrap().len(),
        ours_terms.len()
    );
    for c in ours_terms {
        let term = c["term"].as_str().unwrap();
        for key in ["estimate", "std_error"] {
            let a = c[key].as_f64().unwrap();
            let b = cli["coefficients"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["term"] == term)
                .unwrap()[key]
                .as_f64()
                .unwrap();
            assert!(
                (a - b).abs() <= 1e-10 * (1.0 + a.abs()),
                "{term} {key}: reproduce {a}, egov lpm {b}"
            );
        }
    }
}

#[test]
fn charts_command_renders_the_whole_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("figures");
    let o = egov()
        .args(["charts", "--lang", "kk", "--format", "png", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".egov-output")
        .collect();
    assert_eq!(names.len(), 14, "{names:?}");
    assert!(
        out.join(".egov-output").is_file(),
        "the folder is marked as egov's"
    );
    assert!(names.iter().all(|n| n.ends_with(".png")));
    let png = std::fs::read(out.join("uptake_map.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    // A language the charts do not speak is refused before anything is written.
    let bad = dir.path().join("bad");
    let o = egov()
        .args(["charts", "--lang", "de", "--out"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("charts.lang"), "{}", stderr(&o));
    assert!(!bad.exists());
}

#[test]
fn reference_overrides_clustering_and_the_bootstrap_reach_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("analysis.toml");
    let text = format!(
        "{}[model]\nrobustness = []\nreferences = {{ region = \"almaty_city\", labour = \"student\" }}\ncluster = \"household\"\n[inference]\nmethods = [\"bootstrap\"]\nreplicates = 19\n[charts]\ninclude = [\"none\"]\n[output]\nreport = [\"markdown\"]\ntables = [\"csv\"]\nscores = \"parquet\"\n",
        data_section(
            &replica_data(),
            &workspace().join("fixtures/replica/codebook.toml")
        )
    );
    std::fs::write(&cfg, text).unwrap();
    let out = dir.path().join("out");
    let o = egov()
        .args(["reproduce", "--config"])
        .arg(&cfg)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let lpm = json(&out.join("tables/lpm.json"));
    let terms: Vec<&str> = lpm["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["term"].as_str().unwrap())
        .collect();
    assert!(terms.contains(&"labour::wage_employee") && !terms.contains(&"labour::student"));
    assert!(terms.contains(&"region::karaganda") && !terms.contains(&"region::almaty_city"));
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("more likely than students"),
        "the findings must name the model's reference"
    );
    assert!(report.contains("relative to Almaty city"));
    assert!(out.join("data/dsi_scores.parquet").is_file());
    assert!(!out.join("figures").exists() && !out.join("report.html").exists());
    // Household-clustered errors and the two-step bootstrap over PSUs within strata.
    assert_eq!(lpm["vcov"], "cluster(household)");
    let inference = json(&out.join("tables/inference.json"));
    assert_eq!(inference["bootstrap"][1], 19);
    assert!(inference["plausible_values"].is_null());
    let dsi = inference["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["term"] == "dsi")
        .unwrap();
    let (naive, boot) = (
        dsi["naive_se"].as_f64().unwrap(),
        dsi["bootstrap_se"].as_f64().unwrap(),
    );
    assert!(
        boot > 0.3 * naive && boot < 3.0 * naive,
        "bootstrap SE {boot} vs naive {naive}"
    );
    assert!(
        report.contains("the two-step bootstrap, which refits the item model in every replicate")
    );
}
