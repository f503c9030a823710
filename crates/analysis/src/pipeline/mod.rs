//! The reproduction pipeline, one module per stage:
//! load and validate → DSI → descriptive tables → models and tests → inference for the generated
//! DSI → charts. Each stage takes plain inputs and returns plain results; [`run`] chains them and
//! times each one. Writing files is the report's job ([`crate::report`]), so a failed stage never
//! leaves anything on disk.

pub mod charts;
pub mod descriptive;
pub mod dsi;
pub mod inference;
pub mod load;
pub mod models;

use crate::config::AnalysisConfig;
use crate::progress::Progress;
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
pub fn run(config: &AnalysisConfig, progress: &dyn Progress) -> anyhow::Result<Analysis> {
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
        inference::run(&data.frame, &dsi, config, &models.options, progress)
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
