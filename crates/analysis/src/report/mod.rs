//! The report: every table (Markdown, LaTeX, CSV), model JSON, respondent scores, item
//! parameters, figures, `manifest.json`, `report.md` and a self-contained `report.html`,
//! written into a directory that is complete only when the whole run succeeded.

pub mod document;
pub mod findings;
pub mod labels;
pub mod tables;

use crate::dataset::DataInfo;
use crate::estimation::{ModelKind, linear_model_json};
use crate::pipeline::{Analysis, Timings};
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

fn create_dir(path: &Path) -> anyhow::Result<()> {
    match std::fs::create_dir(path) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            Err(e).with_context(|| format!("cannot create {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// JSON of a linear model in the `egov lpm --format json` contract (one builder,
/// [`linear_model_json`]): the engine's result, `model`, the named joint tests, how `dsi` was
/// computed (`null` for models without it) and where the data came from, named from `dir`.
pub fn lpm_json(
    a: &Analysis,
    model: &egov_econ::Regression,
    tests: &[crate::pipeline::models::NamedTest],
    uses_dsi: bool,
    dir: &Path,
) -> anyhow::Result<Value> {
    let tests = tests
        .iter()
        .map(|t| {
            let mut tv = serde_json::to_value(&t.test)?;
            if let Value::Object(m) = &mut tv {
                m.insert("name".into(), json!(t.name));
                m.insert("description".into(), json!(t.description));
            }
            Ok(tv)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let dsi = if uses_dsi {
        json!({
            "model": a.config.dsi.model,
            "method": "eap",
            "scale": "standardized",
            "items": a.data.frame.item_names,
            "weighted": a.dsi.weighted,
            "n_unscored": a.dsi.n_unscored,
            "loglik": a.dsi.fit.loglik,
            "converged": a.dsi.fit.converged,
        })
    } else {
        Value::Null
    };
    let source = &a.data.frame.source;
    let data = DataInfo {
        path: relative_to_output(&source.path, dir),
        codebook: Some(relative_to_output(&a.data.codebook_path, dir)),
        synthetic: source.synthetic,
        rows: a.data.frame.n_rows(),
    };
    linear_model_json(
        ModelKind::Lpm,
        model,
        Value::Array(tests),
        dsi,
        serde_json::to_value(&data)?,
    )
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

/// `path` as seen from the output folder `dir` (a staging folder is a sibling of its target, so
/// the same relative path holds for both): relative when they share a folder below the root,
/// so that the report and manifest do not depend on where the project lives.
pub fn relative_to_output(path: &Path, dir: &Path) -> PathBuf {
    use std::path::Component;
    let (Ok(path_abs), Ok(dir_abs)) = (path.canonicalize(), dir.canonicalize()) else {
        return path.to_path_buf();
    };
    let p: Vec<Component> = path_abs.components().collect();
    let d: Vec<Component> = dir_abs.components().collect();
    let common = p.iter().zip(&d).take_while(|(x, y)| x == y).count();
    if common <= 1 {
        return path_abs;
    }
    let mut out = PathBuf::new();
    for _ in common..d.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// Builds the report document.
fn document(
    a: &Analysis,
    dir: &Path,
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
        relative_to_output(&f.source.path, dir).display(),
        tables::count(f.n_rows()),
        tables::count(f.household.iter().max().map_or(0, |h| *h as usize + 1)),
        &f.source.sha256[..16.min(f.source.sha256.len())],
        relative_to_output(&a.data.codebook_path, dir).display(),
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
    b.push(Block::Paragraph(format!(
        "Every number above is in `tables/` (Markdown, LaTeX, CSV; models also as JSON), the respondent scores in `data/`, the figures in `figures/`. `manifest.json` records the input's SHA-256, the configuration and the seed; the same inputs and seed give the same files, byte for byte (egov {}). Stage timings are in `timings.json`.",
        env!("CARGO_PKG_VERSION")
    )));
    Document {
        title: format!(
            "E-government uptake and digital skills in Kazakhstan{}",
            synthetic_suffix(synthetic)
        ),
        blocks: b,
    }
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
    // `create_dir`, not `create_dir_all`: a staging folder removed by an interrupt must not be
    // recreated by a writer still running.
    let tdir = dir.join("tables");
    create_dir(&tdir)?;
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
    let mut json_files: Vec<(String, Value)> = vec![(
        "lpm".into(),
        lpm_json(a, &models.main, &models.tests, true, dir)?,
    )];
    if let Some((_, r)) = &models.no_dsi {
        json_files.push(("lpm_no_dsi".into(), lpm_json(a, r, &[], false, dir)?));
    }
    if let Some((_, r)) = &models.count_index {
        json_files.push(("lpm_count_index".into(), lpm_json(a, r, &[], false, dir)?));
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
    create_dir(&ddir)?;
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
        create_dir(&fdir)?;
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
    let doc = document(a, dir, &labels, &all_tables, charts);
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

/// Total wall time of the stages (the parallel model fits are inside `models`).
fn total_ms(t: &Timings) -> f64 {
    t.0.iter()
        .filter(|s| !s.stage.contains('.'))
        .map(|s| s.ms)
        .sum()
}

/// `timings.json`: stage wall times in milliseconds. Kept out of the report and the manifest,
/// which depend on the inputs and the seed only.
pub fn timings_json(t: &Timings) -> Value {
    let round = |ms: f64| (ms * 10.0).round() / 10.0;
    json!({
        "timings_ms": t.0.iter().map(|s| (s.stage.clone(), json!(round(s.ms)))).collect::<serde_json::Map<_, _>>(),
        "total_ms": round(total_ms(t)),
    })
}

/// One line of stage timings for stderr.
pub fn timings_line(t: &Timings) -> String {
    let stages: Vec<String> =
        t.0.iter()
            .filter(|s| !s.stage.contains('.'))
            .map(|s| format!("{} {:.0} ms", s.stage, s.ms))
            .collect();
    format!("{} (total {:.0} ms)", stages.join(", "), total_ms(t))
}

/// Writes the whole report folder into `dir` (existing and empty): every file of
/// [`write_all`], `timings.json` and `manifest.json`. Returns the files written, relative to
/// `dir`.
pub fn write_folder(
    a: &mut Analysis,
    charts: &[ChartFile],
    config_path: Option<&Path>,
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = write_all(a, charts, dir)?;
    let timings_path = dir.join("timings.json");
    write(
        &timings_path,
        format!(
            "{}\n",
            serde_json::to_string_pretty(&timings_json(&a.timings))?
        )
        .as_bytes(),
    )?;
    files.push(timings_path);
    let manifest_path = dir.join("manifest.json");
    files.push(manifest_path.clone());
    let manifest = manifest(a, config_path, a.config.inference.seed, &files, dir);
    write(
        &manifest_path,
        format!("{}\n", serde_json::to_string_pretty(&manifest)?).as_bytes(),
    )?;
    Ok(files
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap_or(p).to_path_buf())
        .collect())
}

/// Writes every chart as `<stem>.svg` and/or `<stem>.png` into `dir`; returns the number of
/// files written.
pub fn write_figures(charts: &[ChartFile], dir: &Path) -> anyhow::Result<usize> {
    let mut n = 0;
    for c in charts {
        if let Some(svg) = &c.svg {
            write(&dir.join(format!("{}.svg", c.stem)), svg.as_bytes())?;
            n += 1;
        }
        if let Some(png) = &c.png {
            write(&dir.join(format!("{}.png", c.stem)), png)?;
            n += 1;
        }
    }
    Ok(n)
}

/// `manifest.json`: provenance of the run (inputs, configuration, seed, files; no timings, so
/// the same inputs and seed give the same bytes).
pub fn manifest(
    a: &Analysis,
    config_path: Option<&Path>,
    seed: u64,
    files: &[PathBuf],
    dir: &Path,
) -> Value {
    let src = &a.data.frame.source;
    let mut configuration = serde_json::to_value(&a.config).unwrap_or(Value::Null);
    if let Some(data) = configuration.get_mut("data") {
        data["file"] = json!(relative_to_output(&a.config.data.file, dir));
        data["codebook"] = json!(relative_to_output(&a.config.data.codebook, dir));
    }
    json!({
        "toolkit": {"name": "egov", "version": env!("CARGO_PKG_VERSION")},
        "synthetic": src.synthetic,
        "title_note": synthetic_suffix(src.synthetic).trim_start_matches(" — "),
        "input": {
            "path": relative_to_output(&src.path, dir),
            "format": src.format,
            "sha256": src.sha256,
            "rows": a.data.frame.n_rows(),
        },
        "codebook": {
            "path": relative_to_output(&a.data.codebook_path, dir),
            "sha256": a.data.codebook_sha256,
            "dataset": a.data.codebook.dataset.name,
        },
        "configuration_file": config_path.map(|p| relative_to_output(p, dir)),
        "configuration": configuration,
        "seed": seed,
        "files": files.iter().filter_map(|p| p.strip_prefix(dir).ok()).map(|p| p.display().to_string()).collect::<Vec<_>>(),
    })
}
