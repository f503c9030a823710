//! The report: every table (Markdown, LaTeX, CSV), model JSON, respondent scores, item
//! parameters, figures, `manifest.json`, `report.md` and a self-contained `report.html`,
//! written into a directory that is complete only when the whole run succeeded.

pub mod document;
pub mod findings;
pub mod labels;
pub mod tables;

use crate::pipeline::Analysis;
use anyhow::Context;
use document::{Block, Document, Figure};
use labels::TermLabels;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A rendered chart, ready to be written and embedded.
pub struct ChartFile {
    /// File stem under `figures/`.
    pub stem: String,
    /// Caption in the report.
    pub caption: String,
    /// SVG text, when requested.
    pub svg: Option<String>,
    /// PNG bytes, when requested.
    pub png: Option<Vec<u8>>,
}

/// The "SYNTHETIC REPLICA" suffix every title carries on replica data.
pub fn synthetic_suffix(synthetic: bool) -> &'static str {
    if synthetic {
        " — SYNTHETIC REPLICA, not official data"
    } else {
        ""
    }
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// JSON of a linear model in the `egov lpm` contract, with the joint tests.
pub fn lpm_json(
    model: &egov_econ::Regression,
    tests: &[crate::pipeline::models::NamedTest],
) -> anyhow::Result<Value> {
    let mut v: Value = serde_json::from_str(&model.to_json()).context("model JSON")?;
    if let Value::Object(map) = &mut v {
        map.insert(
            "tests".into(),
            serde_json::to_value(
                tests
                    .iter()
                    .map(|t| {
                        let mut tv = serde_json::to_value(&t.test).unwrap_or(Value::Null);
                        if let Value::Object(m) = &mut tv {
                            m.insert("name".into(), json!(t.name));
                            m.insert("description".into(), json!(t.description));
                        }
                        tv
                    })
                    .collect::<Vec<_>>(),
            )?,
        );
    }
    Ok(v)
}

fn scores_csv(a: &Analysis) -> String {
    let f = &a.data.frame;
    let mut s = String::from("respondent_id,dsi,dsi_se,theta_eap,count_index\n");
    let opt = |v: Option<f64>| v.map_or(String::new(), |x| format!("{x:.6}"));
    for i in 0..f.n_rows() {
        let id = &f.respondent_id[i];
        let id = if id.contains([',', '"']) {
            format!("\"{}\"", id.replace('"', "\"\""))
        } else {
            id.clone()
        };
        let _ = writeln!(
            s,
            "{id},{},{},{},{}",
            opt(a.dsi.dsi[i]),
            opt(a.dsi.dsi_se[i]),
            opt(a.dsi.scores[i].map(|s| s.theta)),
            a.dsi.count[i].map_or(String::new(), |c| c.to_string())
        );
    }
    s
}

fn scores_parquet(a: &Analysis, path: &Path) -> anyhow::Result<()> {
    use polars::prelude::*;
    let f = &a.data.frame;
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("respondent_id".into(), f.respondent_id.clone()),
        Column::new("dsi".into(), a.dsi.dsi.clone()),
        Column::new("dsi_se".into(), a.dsi.dsi_se.clone()),
        Column::new(
            "theta_eap".into(),
            a.dsi
                .scores
                .iter()
                .map(|s| s.map(|s| s.theta))
                .collect::<Vec<_>>(),
        ),
        Column::new("count_index".into(), a.dsi.count.clone()),
    ])?;
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    ParquetWriter::new(file).finish(&mut df)?;
    Ok(())
}

/// Builds the report document.
fn document(
    a: &Analysis,
    labels: &TermLabels,
    tables: &[tables::TableFile],
    charts: &[ChartFile],
) -> Document {
    let synthetic = a.data.frame.source.synthetic;
    let table = |name: &str| {
        tables
            .iter()
            .find(|t| t.name == name)
            .map(|t| Block::Table(t.display.clone()))
    };
    let figure = |stem: &str| {
        charts.iter().find(|c| c.stem == stem).map(|c| {
            Block::Figure(Figure {
                stem: c.stem.clone(),
                caption: c.caption.clone(),
                png: c.png.clone(),
                svg: c.svg.clone(),
            })
        })
    };
    let mut b: Vec<Block> = Vec::new();
    if synthetic {
        b.push(Block::Notice(
            "These results are computed from a SYNTHETIC replica of the 2021 ICT household survey: simulated respondents whose margins follow published statistics. They illustrate the method and say nothing about Kazakhstan.".into(),
        ));
    }
    let f = &a.data.frame;
    b.push(Block::Paragraph(format!(
        "Data: `{}` ({} respondents, {} households; SHA-256 {}). Codebook: `{}`. Model: `{}`.",
        f.source.path.display(),
        tables::count(f.n_rows()),
        tables::count(f.household.iter().max().map_or(0, |h| *h as usize + 1)),
        &f.source.sha256[..16.min(f.source.sha256.len())],
        a.data.codebook_path.display(),
        a.models.main.formula
    )));

    b.push(Block::Heading(1, "Findings".into()));
    b.push(Block::List(findings::findings(a, labels)));

    b.push(Block::Heading(1, "Data".into()));
    b.extend(table("data_summary"));

    b.push(Block::Heading(1, "The Digital Skills Index".into()));
    b.push(Block::Paragraph(format!(
        "The index is a {} item response model fitted by marginal maximum likelihood to the 11 yes/no skill items; every respondent is scored by the posterior mean (EAP) and the scores are standardised to mean 0 and standard deviation 1{}. Respondents who answered no item have no score ({}).",
        if a.dsi.fit.model == egov_irt::Model::OnePl { "one-parameter (1PL)" } else { "two-parameter logistic (2PL)" },
        if a.dsi.weighted { " with the sampling weights" } else { "" },
        a.dsi.n_unscored
    )));
    b.extend(table("dsi_items"));
    b.extend(table("dsi_fit"));
    for stem in [
        "item_map",
        "item_curves",
        "test_information",
        "dsi_distribution_urban",
        "dsi_distribution_education",
    ] {
        b.extend(figure(stem));
    }

    b.push(Block::Heading(1, "Who uses e-government".into()));
    b.push(Block::Paragraph(format!(
        "Weighted shares and means with {:.0}% confidence intervals ({}). The charts show the same numbers.",
        100.0 * a.descriptives.conf_level,
        a.descriptives.design
    )));
    for (t, figs) in [
        (
            "by_region",
            &["uptake_by_region", "uptake_map", "dsi_by_region"][..],
        ),
        ("by_age_urban", &["uptake_by_age_urban"][..]),
        ("by_education", &["uptake_by_education"][..]),
        ("by_sex", &["uptake_by_sex"][..]),
        ("by_labour", &["uptake_by_labour"][..]),
        ("by_urban", &[][..]),
    ] {
        b.extend(table(t));
        for f in figs {
            b.extend(figure(f));
        }
    }

    b.push(Block::Heading(1, "The linear probability model".into()));
    b.extend(table("lpm"));
    b.extend(figure("coefficients"));
    b.extend(figure("region_effects"));
    b.extend(table("joint_tests"));
    b.extend(table("standardised_effects"));

    if tables.iter().any(|t| t.name == "robustness") {
        b.push(Block::Heading(1, "Robustness".into()));
        b.extend(table("robustness"));
    }
    if tables.iter().any(|t| t.name == "inference") {
        b.push(Block::Heading(
            1,
            "Uncertainty from the estimated index".into(),
        ));
        b.extend(table("inference"));
    }

    b.push(Block::Heading(1, "Reproducibility".into()));
    let mut timing = a
        .timings
        .0
        .iter()
        .map(|t| format!("{} {} ms", t.stage, num0(t.ms)))
        .collect::<Vec<_>>();
    timing.insert(0, format!("egov {}", env!("CARGO_PKG_VERSION")));
    b.push(Block::Paragraph(format!(
        "Every number above is in `tables/` (Markdown, LaTeX, CSV; models also as JSON), the respondent scores in `data/`, the figures in `figures/`. `manifest.json` records the input's SHA-256, the configuration and the seed. Stage timings: {}.",
        timing.join(", ")
    )));
    Document {
        title: format!(
            "E-government uptake and digital skills in Kazakhstan{}",
            synthetic_suffix(synthetic)
        ),
        blocks: b,
    }
}

fn num0(x: f64) -> String {
    format!("{x:.0}")
}

/// Writes every output of the analysis into `dir` (which must exist and be empty).
pub fn write_all(
    a: &mut Analysis,
    charts: &[ChartFile],
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let labels = TermLabels::new(&a.data.frame);
    let all_tables = tables::all(a, &labels);
    let mut written = Vec::new();
    let tdir = dir.join("tables");
    std::fs::create_dir_all(&tdir)?;
    let fmts = &a.config.output.tables;
    for t in &all_tables {
        for (fmt, ext, text) in [
            ("markdown", "md", &t.markdown),
            ("latex", "tex", &t.latex),
            ("csv", "csv", &t.csv),
        ] {
            if fmts.iter().any(|f| f == fmt) {
                let p = tdir.join(format!("{}.{ext}", t.name));
                write(&p, text.as_bytes())?;
                written.push(p);
            }
        }
    }
    // Model JSON (the `egov lpm` contract).
    let models = &a.models;
    let mut json_files: Vec<(String, Value)> =
        vec![("lpm".into(), lpm_json(&models.main, &models.tests)?)];
    if let Some((_, r)) = &models.no_dsi {
        json_files.push(("lpm_no_dsi".into(), lpm_json(r, &[])?));
    }
    if let Some((_, r)) = &models.count_index {
        json_files.push(("lpm_count_index".into(), lpm_json(r, &[])?));
    }
    for (name, m) in [("logit", &models.logit), ("probit", &models.probit)] {
        if let Some(m) = m {
            json_files.push((name.into(), serde_json::from_str(&m.to_json())?));
        }
    }
    json_files.push((
        "descriptives".into(),
        serde_json::to_value(&a.descriptives)?,
    ));
    json_files.push((
        "standardised_effects".into(),
        serde_json::to_value(&models.standardised)?,
    ));
    if let Some(inf) = &a.inference {
        json_files.push(("inference".into(), serde_json::to_value(&inf.table)?));
    }
    let synthetic = a.data.frame.source.synthetic;
    for (name, mut v) in json_files {
        if let Value::Object(map) = &mut v {
            map.insert("synthetic".into(), json!(synthetic));
        }
        let p = tdir.join(format!("{name}.json"));
        write(&p, serde_json::to_string_pretty(&v)?.as_bytes())?;
        written.push(p);
    }
    // Respondent-level data and item parameters.
    let ddir = dir.join("data");
    std::fs::create_dir_all(&ddir)?;
    let scores = if a.config.output.scores == "parquet" {
        let p = ddir.join("dsi_scores.parquet");
        scores_parquet(a, &p)?;
        p
    } else {
        let p = ddir.join("dsi_scores.csv");
        write(&p, scores_csv(a).as_bytes())?;
        p
    };
    written.push(scores);
    let params = json!({
        "fit": &a.dsi.fit,
        "item_fit": &a.dsi.item_fit,
        "reliability": a.dsi.reliability,
        "standardisation": {"mean": a.dsi.standardisation.0, "sd": a.dsi.standardisation.1},
        "synthetic": a.data.frame.source.synthetic,
    });
    let p = ddir.join("item_parameters.json");
    write(&p, serde_json::to_string_pretty(&params)?.as_bytes())?;
    written.push(p);
    // Figures.
    if !charts.is_empty() {
        let fdir = dir.join("figures");
        std::fs::create_dir_all(&fdir)?;
        for c in charts {
            if let Some(svg) = &c.svg {
                let p = fdir.join(format!("{}.svg", c.stem));
                write(&p, svg.as_bytes())?;
                written.push(p);
            }
            if let Some(png) = &c.png {
                let p = fdir.join(format!("{}.png", c.stem));
                write(&p, png)?;
                written.push(p);
            }
        }
    }
    // Report.
    let reporting = std::time::Instant::now();
    let doc = document(a, &labels, &all_tables, charts);
    let ext = if charts.iter().any(|c| c.svg.is_some()) {
        "svg"
    } else {
        "png"
    };
    if a.config.output.report.iter().any(|f| f == "markdown") {
        let p = dir.join("report.md");
        write(&p, doc.to_markdown(ext).as_bytes())?;
        written.push(p);
    }
    if a.config.output.report.iter().any(|f| f == "html") {
        let p = dir.join("report.html");
        write(&p, doc.to_html().as_bytes())?;
        written.push(p);
    }
    a.timings.0.push(crate::pipeline::StageTiming {
        stage: "report".into(),
        ms: reporting.elapsed().as_secs_f64() * 1e3,
    });
    Ok(written)
}

/// `manifest.json`: provenance of the run.
pub fn manifest(
    a: &Analysis,
    config_path: Option<&Path>,
    seed: u64,
    files: &[PathBuf],
    dir: &Path,
) -> Value {
    let src = &a.data.frame.source;
    json!({
        "toolkit": {"name": "egov", "version": env!("CARGO_PKG_VERSION")},
        "synthetic": src.synthetic,
        "title_note": synthetic_suffix(src.synthetic).trim_start_matches(" — "),
        "input": {
            "path": src.path,
            "format": src.format,
            "sha256": src.sha256,
            "rows": a.data.frame.n_rows(),
        },
        "codebook": {
            "path": a.data.codebook_path,
            "sha256": a.data.codebook_sha256,
            "dataset": a.data.codebook.dataset.name,
        },
        "configuration_file": config_path,
        "configuration": &a.config,
        "seed": seed,
        "timings_ms": a.timings.0.iter().map(|t| (t.stage.clone(), json!((t.ms * 10.0).round() / 10.0))).collect::<serde_json::Map<_, _>>(),
        "total_ms": (a.timings.0.iter().filter(|t| !t.stage.contains('.')).map(|t| t.ms).sum::<f64>() * 10.0).round() / 10.0,
        "files": files.iter().filter_map(|p| p.strip_prefix(dir).ok()).map(|p| p.display().to_string()).collect::<Vec<_>>(),
    })
}
