//! The reproduction pipeline, one module per stage:
//! load and validate → DSI → descriptive tables → models and tests → inference for the generated
//! DSI → charts. Each stage takes plain inputs and returns plain results; [`run`] chains them and
//! times each one. Writing files is the report's job (`crate::report`), so a failed stage never
//! leaves anything on disk.

pub mod charts;
pub mod descriptive;
pub mod dsi;
pub mod inference;
pub mod load;
pub mod models;

use crate::config::AnalysisConfig;
use std::time::Instant;

/// Wall time of one stage.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StageTiming {
    /// Stage name.
    pub stage: String,
    /// Milliseconds.
    pub ms: f64,
}

/// Stage timings, in order.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Timings(pub Vec<StageTiming>);

impl Timings {
    /// Runs `f` as stage `name`, recording its wall time.
    pub fn time<T>(&mut self, name: &str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.0.push(StageTiming {
            stage: name.to_string(),
            ms: start.elapsed().as_secs_f64() * 1e3,
        });
        out
    }
}

/// A progress display on stderr: a spinner naming the current stage, and bars for long loops.
/// Hidden automatically when stderr is not a terminal, so logs stay clean; messages that must
/// reach logs use `eprintln!`, never the bar.
pub struct Progress {
    spinner: std::sync::Mutex<indicatif::ProgressBar>,
}

fn spinner() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

impl Progress {
    /// A spinner on stderr (hidden when stderr is not a terminal).
    pub fn new() -> Self {
        Progress {
            spinner: std::sync::Mutex::new(spinner()),
        }
    }

    /// Names the current stage (restarting the spinner after a bar).
    pub fn stage(&self, message: &str) {
        if let Ok(mut s) = self.spinner.lock() {
            if s.is_finished() {
                *s = spinner();
            }
            s.set_message(message.to_string());
        }
    }

    /// A bar of `len` steps for a long loop (e.g. bootstrap replicates); the spinner pauses
    /// until the next [`Progress::stage`].
    pub fn bar(&self, len: u64, message: &str) -> indicatif::ProgressBar {
        if let Ok(s) = self.spinner.lock() {
            s.finish_and_clear();
        }
        let bar = indicatif::ProgressBar::new(len);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}/{eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(message.to_string());
        bar
    }

    /// Removes the display.
    pub fn finish(&self) {
        if let Ok(s) = self.spinner.lock() {
            s.finish_and_clear();
        }
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

/// Everything the analysis computed, ready for the report.
pub struct Analysis {
    /// The configuration used.
    pub config: AnalysisConfig,
    /// Loaded data.
    pub data: load::Loaded,
    /// The Digital Skills Index.
    pub dsi: dsi::DsiResult,
    /// Weighted descriptive tables.
    pub descriptives: descriptive::Descriptives,
    /// Regression models and tests.
    pub models: models::Models,
    /// Inference for the estimated DSI (plausible values, bootstrap).
    pub inference: Option<inference::InferenceResult>,
    /// Stage timings.
    pub timings: Timings,
}

/// Runs the analysis stages (no files are written).
pub fn run(config: &AnalysisConfig, progress: &Progress) -> anyhow::Result<Analysis> {
    let mut timings = Timings::default();
    progress.stage("loading and validating the data");
    let data = timings.time("load", || load::load(config))?;
    progress.stage("fitting the Digital Skills Index (2PL, marginal ML)");
    let dsi = timings.time("dsi", || dsi::fit(&data.frame, &config.dsi))?;
    progress.stage("weighted descriptive tables");
    let descriptives = timings.time("descriptives", || {
        descriptive::compute(&data.frame, &dsi, config.model.conf_level)
    })?;
    progress.stage("linear probability model and robustness checks");
    let models = timings.time("models", || models::fit(&data.frame, &dsi, config))?;
    for (name, ms) in &models.timings {
        timings.0.push(StageTiming {
            stage: format!("models.{name} (parallel)"),
            ms: *ms,
        });
    }
    progress.stage("plausible values and two-step bootstrap for the estimated DSI");
    let inference = timings.time("inference", || {
        inference::run(&data.frame, config, &models.options, progress)
    })?;
    Ok(Analysis {
        config: config.clone(),
        data,
        dsi,
        descriptives,
        models,
        inference,
        timings,
    })
}
