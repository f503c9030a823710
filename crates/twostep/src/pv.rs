//! Plausible-value inference: regressions on M posterior draws of skill, combined by Rubin's rules.

use egov_econ::lpm;
use egov_irt::{plausible_values_patterns, scale::standardize};
use rayon::prelude::*;
use serde::Serialize;

use crate::design::{Prepared, Scratch, dsi_column, naive_options, with_column};
use crate::latent::{LatentRegression, conditioned_draws};
use crate::rubin::{RubinCombined, rubin};
use crate::{DSI, TwoStepData, TwoStepError};

/// Result of [`plausible_values`] or [`conditioned_plausible_values`].
#[derive(Debug, Clone, Serialize)]
pub struct PvResult {
    /// How the values were drawn.
    pub method: String,
    /// The conditioning model, for [`conditioned_plausible_values`].
    pub latent_regression: Option<LatentRegression>,
    /// Number of plausible values M.
    pub draws: usize,
    /// Seed of the draws.
    pub seed: u64,
    /// Complete-data degrees of freedom used for Barnard–Rubin (the naive regression's df).
    pub df_complete: f64,
    /// Variance estimator of each complete-data regression.
    pub vcov: String,
    /// Confidence level of the intervals.
    pub conf_level: f64,
    /// Term names.
    pub terms: Vec<String>,
    /// Combined results, one per term.
    pub combined: Vec<RubinCombined>,
    /// Coefficients of each draw's regression, draw-major.
    pub estimates: Vec<Vec<f64>>,
    /// Squared standard errors of each draw's regression, draw-major.
    pub variances: Vec<Vec<f64>>,
}

impl PvResult {
    /// Combined result of `term`.
    pub fn term(&self, term: &str) -> Option<&RubinCombined> {
        self.terms
            .iter()
            .position(|t| t == term)
            .map(|j| &self.combined[j])
    }
    /// JSON (pretty-printed).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// Options of [`plausible_values`].
#[derive(Debug, Clone, PartialEq)]
pub struct PvOptions {
    /// Number of draws M (default 10).
    pub draws: usize,
    /// Seed of the draws.
    pub seed: u64,
    /// Confidence level (default 0.95).
    pub conf_level: f64,
    /// Item-model options of the full-sample fit.
    pub irt: egov_irt::FitOptions,
}

impl Default for PvOptions {
    fn default() -> Self {
        PvOptions {
            draws: 10,
            seed: 20_210_601,
            conf_level: 0.95,
            irt: egov_irt::FitOptions::default(),
        }
    }
}

/// Plausible-value inference for the LPM on the DSI.
///
/// The 2PL is fitted once; M values of θ are drawn from every person's posterior under θ ~ N(0, 1)
/// ([`egov_irt::plausible_values_patterns`]); each set is standardised to weighted mean 0 and
/// SD 1 like the DSI; the LPM is fitted on each with the naive variance of `data.naive_vcov`;
/// the M results are combined by [`rubin`] with the regression's residual (or cluster) df as
/// the complete-data df. The draws ignore the covariates (no latent regression), so with
/// covariates correlated with skill the coefficients estimate a different quantity from the EAP
/// regression; see the crate documentation and the Monte Carlo study.
///
/// ```
/// use egov_twostep::{plausible_values, PvOptions, simulate::{simulate, SimulationSpec}};
/// let sim = simulate(&SimulationSpec { persons: 500, ..SimulationSpec::default() });
/// let data = sim.data("y ~ dsi + female");
/// let pv = plausible_values(&data, &PvOptions { draws: 5, ..PvOptions::default() }).unwrap();
/// let dsi = pv.term("dsi").unwrap();
/// assert!(dsi.between > 0.0 && dsi.total > dsi.within);
/// ```
pub fn plausible_values(data: &TwoStepData, opts: &PvOptions) -> Result<PvResult, TwoStepError> {
    check_draws(opts)?;
    let prepared = Prepared::new(data, &opts.irt, opts.conf_level)?;
    pv_from_prepared(&prepared, opts)
}

/// Plausible values drawn from each person's posterior under a *latent regression* prior
/// θ_i ~ N(z_i'Γ, σ²), where z_i holds the regression's covariates (every model-matrix column
/// that does not involve the DSI) and its outcome. Γ and σ are fitted by EM with the item
/// parameters fixed at the full-sample 2PL estimates (Mislevy 1991; the conditioning model of
/// NAEP and PISA). Because the imputation model contains every variable of the analysis model,
/// the regressions on these values estimate the coefficients on (standardised) true skill,
/// which the EAP regression and unconditioned plausible values do not. Interactions of the DSI
/// with covariates are not mirrored in the conditioning model (main effects only).
///
/// ```
/// use egov_twostep::{conditioned_plausible_values, PvOptions, simulate::{simulate, SimulationSpec}};
/// let sim = simulate(&SimulationSpec { persons: 800, ..SimulationSpec::default() });
/// let data = sim.data("y ~ dsi + urban");
/// let pv = conditioned_plausible_values(&data, &PvOptions { draws: 5, ..PvOptions::default() }).unwrap();
/// let lr = pv.latent_regression.as_ref().unwrap();
/// assert!(lr.converged && lr.variables == ["(Intercept)", "urban", "y"]);
/// assert!(pv.term("dsi").unwrap().estimate > 0.0);
/// ```
pub fn conditioned_plausible_values(
    data: &TwoStepData,
    opts: &PvOptions,
) -> Result<PvResult, TwoStepError> {
    check_draws(opts)?;
    let prepared = Prepared::new(data, &opts.irt, opts.conf_level)?;
    let (draws, fit) = conditioned_draws(&prepared, opts.draws, opts.seed)?;
    combine(
        &prepared,
        opts,
        draws,
        "latent regression on the covariates and the outcome".into(),
        Some(fit),
    )
}

pub(crate) fn check_draws(opts: &PvOptions) -> Result<(), TwoStepError> {
    if opts.draws < 2 {
        return Err(TwoStepError::BadOption {
            option: "draws",
            reason: format!(
                "{} plausible value(s); Rubin's rules need at least 2 (10 is a sound default)",
                opts.draws
            ),
        });
    }
    Ok(())
}

pub(crate) fn pv_from_prepared(
    prepared: &Prepared,
    opts: &PvOptions,
) -> Result<PvResult, TwoStepError> {
    let draws = plausible_values_patterns(
        &prepared.fit.items,
        &prepared.patterns,
        &prepared.person_pattern,
        opts.draws,
        opts.seed,
    );
    combine(
        prepared,
        opts,
        draws,
        "N(0, 1) prior (unconditioned)".into(),
        None,
    )
}

fn combine(
    prepared: &Prepared,
    opts: &PvOptions,
    draws: Vec<Vec<Option<f64>>>,
    method: String,
    latent_regression: Option<LatentRegression>,
) -> Result<PvResult, TwoStepError> {
    let naive_opts = naive_options(&prepared.data.naive_vcov, opts.conf_level);
    // Only the DSI column changes between draws: refit on the fixed design when it can
    // reproduce the naive variance, and fall back to the full `lpm` otherwise (or when the
    // fixed-design solve fails, so that `lpm` reports or handles the problem).
    let variance = prepared.naive_variance();
    type DrawFit = Result<(Vec<f64>, Vec<f64>), TwoStepError>;
    let fits: Vec<DrawFit> = draws
        .par_iter()
        .map_init(Scratch::default, |scratch, theta| {
            let z = standardize(theta, Some(&prepared.base_weights));
            if let Some(variance) = &variance
                && let Ok(fit) = prepared.fit_with_variance(&z, variance, scratch)
            {
                return Ok(fit);
            }
            let frame = with_column(&prepared.frame, DSI, dsi_column(&z));
            let fit = lpm(prepared.data.formula, &frame, &naive_opts)?;
            let terms: Vec<&str> = fit.coefficients.iter().map(|c| c.term.as_str()).collect();
            if terms
                != prepared
                    .terms
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
            {
                return Err(TwoStepError::Design(format!(
                    "a plausible-value regression kept terms {terms:?}, the DSI regression {:?}",
                    prepared.terms
                )));
            }
            Ok((
                fit.coefficients.iter().map(|c| c.estimate).collect(),
                fit.coefficients
                    .iter()
                    .map(|c| c.std_error * c.std_error)
                    .collect(),
            ))
        })
        .collect();
    let mut estimates = Vec::with_capacity(opts.draws);
    let mut variances = Vec::with_capacity(opts.draws);
    for f in fits {
        let (e, v) = f?;
        estimates.push(e);
        variances.push(v);
    }
    let df_complete = prepared.naive.df_resid;
    let combined = rubin(&estimates, &variances, df_complete, opts.conf_level);
    Ok(PvResult {
        method,
        latent_regression,
        draws: opts.draws,
        seed: opts.seed,
        df_complete,
        vcov: prepared.naive.vcov.clone(),
        conf_level: opts.conf_level,
        terms: prepared.terms.clone(),
        combined,
        estimates,
        variances,
    })
}
