//! `egov reproduce`: the whole analysis of the brief in one command, as a report.

use crate::progress::TerminalProgress;
use clap::Args;
use egov_analysis::config::LoadedConfig;
use egov_analysis::output::{Input, OutputDir};
use egov_analysis::report;
use egov_analysis::{Progress, pipeline};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `egov reproduce`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  egov reproduce                                   the bundled SYNTHETIC replica → out/\n  egov reproduce --out results --force             replace an existing results/\n  egov reproduce --config analysis.toml --out kz2021   the bureau's file (see docs/analysis-template.toml)\n\nWrites report.md, report.html, tables/, figures/, data/, timings.json and manifest.json. Nothing is written unless the whole run succeeds."
)]
pub struct ReproduceArgs {
    /// Analysis configuration (TOML). Default: the bundled replica (docs/analysis-replica.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output folder; refused when it exists and is not empty, unless --force.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Replace a non-empty output folder that egov wrote (only after the new run has succeeded;
    /// never a folder holding an input, the working directory or a folder egov did not write).
    #[arg(long)]
    pub force: bool,
    /// Language of chart labels (overrides `charts.lang`): en, ru or kk.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

/// Runs `egov reproduce`.
pub fn run(args: &ReproduceArgs) -> anyhow::Result<ExitCode> {
    let mut loaded = LoadedConfig::load(args.config.as_deref())?;
    if let Some(lang) = &args.lang {
        loaded.config.charts.lang = lang.clone();
        loaded.config.check("--lang")?;
    }
    let inputs = run_inputs(&loaded);
    let staged = OutputDir::prepare("--out", &args.out, args.force, &inputs)?;
    if loaded.path.is_none() {
        eprintln!("note: no --config given; analysing the bundled SYNTHETIC replica");
    }
    let progress = TerminalProgress::new();
    let config = loaded.config.clone();
    let mut analysis = pipeline::run(&config, &progress)?;
    progress.stage("drawing the charts");
    let start = std::time::Instant::now();
    let charts = pipeline::charts::render(&analysis)?;
    analysis.timings.0.push(pipeline::StageTiming {
        stage: "charts".into(),
        ms: start.elapsed().as_secs_f64() * 1e3,
    });
    progress.stage("writing the report");
    let files = report::write_folder(
        &mut analysis,
        &charts,
        loaded.path.as_deref(),
        staged.path(),
    )?;
    progress.finish();
    staged.commit()?;
    let main = &analysis.models.main;
    let open = ["report.html", "report.md"]
        .into_iter()
        .find(|r| files.iter().any(|f| f == Path::new(r)))
        .map(|r| format!("; open {}", args.out.join(r).display()))
        .unwrap_or_default();
    eprintln!("timings: {}", report::timings_line(&analysis.timings));
    eprintln!(
        "wrote {} files to {}{} (N = {}, R² = {:.3}){open}",
        files.len(),
        args.out.display(),
        report::synthetic_suffix(analysis.data.frame.source.synthetic),
        main.n,
        main.r2,
    );
    Ok(ExitCode::SUCCESS)
}

/// The files a run reads, which its output may never replace.
pub fn run_inputs(loaded: &LoadedConfig) -> Vec<Input> {
    let mut inputs = vec![
        Input::new("data file", &loaded.config.data.file),
        Input::new("codebook", &loaded.config.data.codebook),
    ];
    if let Some(config) = &loaded.path {
        inputs.push(Input::new("configuration", config));
    }
    inputs
}
