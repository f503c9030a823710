//! `egov charts`: the whole chart set, drawn by the same pipeline as `egov reproduce`.

use crate::progress::TerminalProgress;
use clap::Args;
use egov_analysis::config::LoadedConfig;
use egov_analysis::output::OutputDir;
use egov_analysis::{Progress, pipeline, report};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `egov charts`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  egov charts --out figures                        the bundled SYNTHETIC replica, English\n  egov charts --out figures-kk --lang kk --format png\n  egov charts survey.sav --codebook codebook.toml --out figures\n  egov charts --config analysis.toml --out figures\n\nThe numbers are those of `egov reproduce` (weighted means with 95% CIs, the LPM and its logit/probit AMEs, the 2PL item curves). Nothing is written unless every chart renders."
)]
pub struct ChartsArgs {
    /// Data file (.csv, .parquet, .dta, .sav, .xlsx); overrides the configuration's data file.
    pub data: Option<PathBuf>,
    /// Codebook (TOML) of DATA (required with DATA).
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
    /// Analysis configuration (TOML). Default: the bundled replica (docs/analysis-replica.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output directory for the figures.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Language of titles and labels: en, ru or kk (overrides `charts.lang`).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Figure formats, comma-separated: svg, png (overrides `charts.formats`).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub format: Option<Vec<String>>,
    /// Replace a non-empty output folder that egov wrote (only after every chart has rendered).
    #[arg(long)]
    pub force: bool,
}

/// Runs `egov charts`.
pub fn run(args: &ChartsArgs) -> anyhow::Result<ExitCode> {
    let mut loaded = LoadedConfig::load(args.config.as_deref())?;
    let config = &mut loaded.config;
    match (&args.data, &args.codebook) {
        (Some(d), Some(c)) => {
            config.data.file = d.clone();
            config.data.codebook = c.clone();
        }
        (Some(d), None) => anyhow::bail!(
            "{} needs a codebook: pass --codebook FILE (see docs/codebook.md)",
            d.display()
        ),
        (None, Some(_)) => anyhow::bail!("--codebook needs a DATA file before it"),
        (None, None) => {}
    }
    if let Some(lang) = &args.lang {
        config.charts.lang = lang.clone();
    }
    if let Some(formats) = &args.format {
        config.charts.formats = formats.iter().map(|f| f.trim().to_lowercase()).collect();
    }
    // The charts need no inference for the generated regressor.
    config.inference.methods.clear();
    config.check("the command line")?;
    let inputs = super::reproduce::run_inputs(&loaded);
    let staged = OutputDir::prepare("--out", &args.out, args.force, &inputs)?;
    if loaded.path.is_none() && args.data.is_none() {
        eprintln!("note: no data or --config given; drawing the bundled SYNTHETIC replica");
    }
    let progress = TerminalProgress::new();
    let analysis = pipeline::run(&loaded.config, &progress)?;
    progress.stage("drawing the charts");
    let charts = pipeline::charts::render(&analysis)?;
    progress.finish();
    let n = report::write_figures(&charts, staged.path())?;
    staged.commit()?;
    eprintln!(
        "wrote {n} figure files ({} charts) to {}",
        charts.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
