//! Plausible-value inference: regressions on M posterior draws of skill, combined by Rubin's rules.

use egov_econ::lpm;
use egov_irt::{plausible_values_patterns, scale::standardize};
use rayon::prelude::*;
use serde::Serialize;

use crate::design::{Prepared, dsi_column, naive_options, with_column};
use crate::rubin::{RubinCombined, rubin};
use crate::{DSI, TwoStepData, TwoStepError};

/// Result of [`plausible_values`].
#[derive(Debug, Clone, Serialize)]
pub struct PvResult {
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
    if opts.draws < 2 {
        return Err(TwoStepError::BadOption {
            option: "draws",
            reason: format!(
                "{} plausible value(s); Rubin's rules need at least 2 (10 is a sound default)",
                opts.draws
            ),
        });
    }
    let prepared = Prepared::new(data, &opts.irt, opts.conf_level)?;
    pv_from_prepared(&prepared, opts)
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
    let naive_opts = naive_options(&prepared.data.naive_vcov, opts.conf_level);
    type DrawFit = Result<(Vec<f64>, Vec<f64>), TwoStepError>;
    let fits: Vec<DrawFit> = draws
        .par_iter()
        .map(|theta| {
            let z = standardize(theta, Some(&prepared.base_weights));
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
