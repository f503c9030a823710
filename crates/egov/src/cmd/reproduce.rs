//! `egov reproduce`: the whole analysis of the brief in one command, as a report.

use crate::progress::TerminalProgress;
use anyhow::Context;
use clap::Args;
use egov_analysis::config::LoadedConfig;
use egov_analysis::report;
use egov_analysis::{Progress, pipeline};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `egov reproduce`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  egov reproduce                                   the bundled SYNTHETIC replica → out/\n  egov reproduce --out results --force             replace an existing results/\n  egov reproduce --config analysis.toml --out kz2021   the bureau's file (see docs/analysis-template.toml)\n\nWrites report.md, report.html, tables/, figures/, data/ and manifest.json. Nothing is written unless the whole run succeeds."
)]
pub struct ReproduceArgs {
    /// Analysis configuration (TOML). Default: the bundled replica (docs/analysis-replica.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output directory; refused when it exists and is not empty, unless --force.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Replace a non-empty output directory (only after the new run has succeeded).
    #[arg(long)]
    pub force: bool,
    /// Language of chart labels (overrides `charts.lang`): en, ru or kk.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

/// An output directory written atomically: everything goes to a hidden temporary directory beside
/// the target, which replaces the target only in [`StagedDir::commit`].
pub struct StagedDir {
    target: PathBuf,
    temp: tempfile::TempDir,
}

impl StagedDir {
    /// Checks the target (refusing a non-empty one without `force`) and creates the staging
    /// directory beside it.
    pub fn new(target: &Path, force: bool) -> anyhow::Result<Self> {
        if target.exists() {
            if !target.is_dir() {
                anyhow::bail!("--out {} exists and is not a directory", target.display());
            }
            let non_empty = std::fs::read_dir(target)
                .with_context(|| format!("cannot read {}", target.display()))?
                .next()
                .is_some();
            if non_empty && !force {
                anyhow::bail!(
                    "the output directory {} is not empty; choose another --out or pass --force to replace it",
                    target.display()
                );
            }
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let temp = tempfile::Builder::new()
            .prefix(".egov-staging-")
            .tempdir_in(&parent)
            .with_context(|| {
                format!("cannot create a staging directory in {}", parent.display())
            })?;
        Ok(StagedDir {
            target: target.to_path_buf(),
            temp,
        })
    }

    /// Where to write.
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Moves the staged directory into place, replacing an existing target.
    pub fn commit(self) -> anyhow::Result<()> {
        let staged = self.temp.keep();
        if self.target.exists() {
            let parent = staged.parent().unwrap_or(Path::new("."));
            let old = tempfile::Builder::new()
                .prefix(".egov-replaced-")
                .tempdir_in(parent)?
                .keep();
            // rename() onto an existing directory fails on some systems: move the old one aside.
            std::fs::remove_dir(&old).ok();
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("cannot move the old {} aside", self.target.display()))?;
            if let Err(e) = std::fs::rename(&staged, &self.target) {
                std::fs::rename(&old, &self.target).ok();
                return Err(e).with_context(|| format!("cannot create {}", self.target.display()));
            }
            std::fs::remove_dir_all(&old).ok();
        } else {
            std::fs::rename(&staged, &self.target)
                .with_context(|| format!("cannot create {}", self.target.display()))?;
        }
        Ok(())
    }
}

/// Runs `egov reproduce`.
pub fn run(args: &ReproduceArgs) -> anyhow::Result<ExitCode> {
    let mut loaded = LoadedConfig::load(args.config.as_deref())?;
    if let Some(lang) = &args.lang {
        loaded.config.charts.lang = lang.clone();
        loaded.config.check("--lang")?;
    }
    let staged = StagedDir::new(&args.out, args.force)?;
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
    let mut files = report::write_all(&mut analysis, &charts, staged.path())?;
    let manifest_path = staged.path().join("manifest.json");
    files.push(manifest_path.clone());
    let manifest = report::manifest(
        &analysis,
        loaded.path.as_deref(),
        config.inference.seed,
        &files,
        staged.path(),
    );
    std::fs::write(&manifest_path, serde_json::to_string_pretty(&manifest)?)
        .with_context(|| format!("cannot write {}", manifest_path.display()))?;
    progress.finish();
    staged.commit()?;
    let main = &analysis.models.main;
    eprintln!(
        "wrote {} files to {}{} (N = {}, R² = {:.3}); open {}",
        files.len(),
        args.out.display(),
        report::synthetic_suffix(analysis.data.frame.source.synthetic),
        main.n,
        main.r2,
        args.out.join("report.html").display()
    );
    Ok(ExitCode::SUCCESS)
}
