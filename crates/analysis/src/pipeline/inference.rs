//! Stage 5: honest uncertainty for the estimated DSI (crate `egov-twostep`): plausible values
//! combined by Rubin's rules and, when configured, the two-step bootstrap that refits the item
//! model in every replicate.

use super::dsi::DsiResult;
use super::models::{base_frame, set_references};
use crate::config::AnalysisConfig;
use crate::progress::Progress;
use anyhow::Context;
use egov_irt::{FitOptions, Model};
use egov_survey::AnalysisFrame;
use egov_twostep::{BootstrapOptions, InferenceTable, PvOptions, TwoStepData};

/// Result of the inference stage.
pub struct InferenceResult {
    /// Naive, bootstrap and plausible-value inference side by side.
    pub table: InferenceTable,
    /// Whether the plausible values were drawn under a latent regression.
    pub conditioned: bool,
    /// Resampling unit of the bootstrap, when run.
    pub resampling: Option<String>,
    /// Bootstrap replicates that failed (index, reason).
    pub failures: Vec<(usize, String)>,
}

/// Runs the configured corrections; `None` when `inference.methods` is empty.
pub fn run(
    af: &AnalysisFrame,
    dsi: &DsiResult,
    config: &AnalysisConfig,
    options: &egov_econ::EstimateOptions,
    progress: &dyn Progress,
) -> anyhow::Result<Option<InferenceResult>> {
    let want_pv = config.wants_inference("pv");
    let want_boot = config.wants_inference("bootstrap");
    if !want_pv && !want_boot {
        return Ok(None);
    }
    let mut frame = base_frame(af)?;
    set_references(&mut frame, &config.model.references)?;
    let (clusters, strata, resampling) = match (&af.psu, &af.stratum) {
        (Some(psu), Some(strata)) => (
            psu.as_slice(),
            Some(strata.as_slice()),
            "PSUs within strata",
        ),
        _ => (af.household.as_slice(), None, "households"),
    };
    let weights = config.model.weighted.then_some(af.weight.as_slice());
    let data = TwoStepData {
        responses: &af.items,
        n_items: af.n_items(),
        item_names: &af.item_names,
        frame: &frame,
        formula: &config.model.formula,
        weights,
        clusters,
        strata,
        naive_vcov: options.vcov.clone(),
        // The DSI stage's fit is the full-sample fit when it used the same weights; the item
        // options are the same configuration (`[dsi]`).
        fitted: (dsi.weighted == config.model.weighted).then_some(&dsi.fit),
    };
    let irt = FitOptions {
        model: if config.dsi.model == "1pl" {
            Model::OnePl
        } else {
            Model::TwoPl
        },
        quadrature_points: config.dsi.quadrature_points,
        ..FitOptions::default()
    };
    let boot = want_boot.then(|| BootstrapOptions {
        replicates: config.inference.replicates,
        seed: config.inference.seed,
        conf_level: config.model.conf_level,
        irt: irt.clone(),
        ..BootstrapOptions::default()
    });
    let pv = want_pv.then(|| PvOptions {
        draws: config.inference.draws,
        seed: config.inference.seed,
        conf_level: config.model.conf_level,
        irt: irt.clone(),
    });
    if want_boot {
        progress.start_steps(config.inference.replicates as u64, "two-step bootstrap");
    }
    let tick = |done: usize| progress.step(done as u64);
    let conditioned = config.inference.pv_conditioning;
    let analysis = egov_twostep::analyse(
        &data,
        boot.as_ref(),
        if conditioned { None } else { pv.as_ref() },
        want_boot.then_some(&tick as &(dyn Fn(usize) + Sync)),
    )
    .context("two-step inference for the estimated DSI")?;
    if want_boot {
        progress.finish_steps();
    }
    let pv_result = match (&pv, conditioned) {
        (Some(p), true) => Some(
            egov_twostep::conditioned_plausible_values(&data, p)
                .context("plausible values conditioned on a latent regression")?,
        ),
        _ => analysis.plausible_values.clone(),
    };
    let table = egov_twostep::compare(
        &analysis.naive,
        analysis.bootstrap.as_ref(),
        pv_result.as_ref(),
    );
    Ok(Some(InferenceResult {
        table,
        conditioned: conditioned && want_pv,
        resampling: want_boot.then(|| resampling.to_string()),
        failures: analysis.bootstrap.map(|b| b.failures).unwrap_or_default(),
    }))
}
