//! # egov-twostep: honest inference for a generated regressor
//!
//! The Digital Skills Index (DSI) is itself an estimate: a 2PL item response model is fitted to
//! 11 yes/no items, each person is scored by EAP, and the scores are standardised. Using the DSI
//! as a regressor in a linear probability model (LPM) and reporting the usual robust standard
//! errors treats it as observed data. This crate owns the inference that does not:
//!
//! * [`bootstrap`]: the two-step cluster bootstrap (households, or PSUs within strata by the
//!   Rao–Wu–Yue rescaling bootstrap). Every replicate refits the 2PL on replicate pattern
//!   weights (warm-started), rescores, re-standardises the DSI and refits the LPM on the fixed
//!   design; optionally logit/probit average marginal effects too. Standard errors, percentile
//!   and bias-corrected (BC) intervals. Seeded per replicate, so results do not depend on the
//!   number of threads.
//! * [`replicate_weights`]: the same two-step recomputation under replicate weights shipped with
//!   a survey (bootstrap, JK1, JKn or a custom variance formula).
//! * [`plausible_values`]: M posterior draws of skill, the LPM on each, combined by [`rubin`]'s
//!   rules with Barnard–Rubin degrees of freedom.
//! * [`conditioned_plausible_values`]: the same with draws from a latent-regression prior that
//!   contains the regression's covariates and outcome (fitted by EM), which removes the bias that
//!   EAP shrinkage causes in the coefficients.
//! * [`compare`]: a table of naive, bootstrap and plausible-value inference side by side (JSON,
//!   Markdown, LaTeX, or the econ crate's publication table).
//! * [`simulate`]: survey-like data with known truth, used by the tests, the benchmark and the
//!   Monte Carlo study (`examples/montecarlo.rs`).
//!
//! It does **not** read files, build analysis frames, or implement the item response model or the
//! regression themselves: those are `egov-survey`, `egov-irt` and `egov-econ`.
//!
//! What the corrections do and do not fix: resampling both steps gives standard errors that
//! include the estimation of the item parameters and of the standardisation, for the quantity the
//! two-step estimator converges to. It does not remove the bias that EAP shrinkage causes in the
//! DSI coefficient and in the coefficients of covariates correlated with skill; conditioned
//! plausible values do. The Monte Carlo study in the methodology notes measures both.
//!
//! ```
//! use egov_twostep::{analyse, compare, BootstrapOptions, PvOptions};
//! use egov_twostep::simulate::{simulate, SimulationSpec};
//! let sim = simulate(&SimulationSpec { persons: 800, ..SimulationSpec::default() });
//! let data = sim.data("y ~ dsi + female + urban + age");
//! let boot = BootstrapOptions { replicates: 49, ..BootstrapOptions::default() };
//! let pv = PvOptions { draws: 5, ..PvOptions::default() };
//! let result = analyse(&data, Some(&boot), Some(&pv), None).unwrap();
//! let table = compare(&result.naive, result.bootstrap.as_ref(), result.plausible_values.as_ref());
//! let dsi = table.rows.iter().find(|r| r.term == "dsi").unwrap();
//! assert!(dsi.bootstrap_se.unwrap() > 0.0 && dsi.pv_se.unwrap() > 0.0);
//! println!("{}", table.to_markdown());
//! ```

mod design;
mod error;
mod latent;
mod pv;
mod resample;
mod rubin;
pub mod simulate;
mod stats;
mod table;

use egov_econ::{Frame, Regression, Vcov};
use egov_irt::{FitOptions, ItemFit};
use serde::Serialize;

pub use error::TwoStepError;
pub use latent::LatentRegression;
pub use pv::{PvOptions, PvResult, conditioned_plausible_values, plausible_values};
pub use resample::{
    BootstrapOptions, BootstrapResult, Centre, ReplicateVariance, ReplicateWeights,
    ResampledEstimate, bootstrap, replicate_variance, replicate_weights,
};
pub use rubin::{RubinCombined, rubin};
pub use table::{InferenceRow, InferenceTable, compare};

/// Name of the skill-index column the formula refers to.
pub const DSI: &str = "dsi";
/// Internal weight column added to the frame (must not already exist).
pub const WEIGHT_COLUMN: &str = ".twostep_weight";

/// Input of the two-step procedures.
#[derive(Debug, Clone)]
pub struct TwoStepData<'a> {
    /// Row-major persons × items responses: 0 = no, 1 = yes, [`egov_irt::MISSING`] = not answered.
    pub responses: &'a [u8],
    /// Number of items.
    pub n_items: usize,
    /// One name per item.
    pub item_names: &'a [String],
    /// Outcome and covariates, one row per person, without the `dsi` column.
    pub frame: &'a Frame,
    /// Regression formula in the econ crate's syntax, using `dsi` (e.g. `y ~ dsi + sex + i(region)`).
    pub formula: &'a str,
    /// Sampling weights (None = unweighted). Used in the item-model fit, the standardisation of
    /// the DSI and the regression.
    pub weights: Option<&'a [f64]>,
    /// Resampling clusters: household identifiers, or PSU identifiers when `strata` is given.
    pub clusters: &'a [u32],
    /// Strata of a stratified design (PSUs must be nested within strata).
    pub strata: Option<&'a [u32]>,
    /// Variance of the naive regression (e.g. `Vcov::Hc1` or `Vcov::Cluster(vec!["hh".into()])`,
    /// naming columns of `frame`).
    pub naive_vcov: Vcov,
    /// The full-sample item fit, when the caller has already fitted the item model to these
    /// responses with these weights and options: it is reused, not refitted, so that a run
    /// fits the 2PL once. `None` fits it here.
    pub fitted: Option<&'a ItemFit>,
}

/// The full-sample two-step estimate with naive inference.
#[derive(Debug, Clone, Serialize)]
pub struct NaiveFit {
    /// 2PL fit.
    pub items: ItemFit,
    /// Standardised EAP DSI per person (None = no answered item).
    pub dsi: Vec<Option<f64>>,
    /// LPM on the DSI with the naive variance.
    pub regression: Regression,
}

/// Fit the 2PL, score and standardise the DSI, and fit the LPM with naive standard errors.
///
/// ```
/// use egov_twostep::{naive, simulate::{simulate, SimulationSpec}};
/// let sim = simulate(&SimulationSpec { persons: 400, ..SimulationSpec::default() });
/// let fit = naive(&sim.data("y ~ dsi"), 0.95, &Default::default()).unwrap();
/// assert_eq!(fit.items.items.len(), 11);
/// assert!(fit.regression.coefficient("dsi").unwrap().estimate > 0.0);
/// ```
pub fn naive(
    data: &TwoStepData,
    conf_level: f64,
    irt: &FitOptions,
) -> Result<NaiveFit, TwoStepError> {
    let p = design::Prepared::new(data, irt, conf_level)?;
    Ok(NaiveFit {
        items: p.fit,
        dsi: p.dsi,
        regression: p.naive,
    })
}

/// Naive, bootstrap and plausible-value results of one analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// The LPM on the DSI with naive standard errors.
    pub naive: Regression,
    /// The two-step bootstrap, if requested.
    pub bootstrap: Option<BootstrapResult>,
    /// Plausible-value inference, if requested.
    pub plausible_values: Option<PvResult>,
}

/// Run the naive fit and, as requested, the bootstrap and the plausible values.
///
/// The 2PL is fitted once and shared. The confidence level and item-model options of the naive
/// fit are the bootstrap's (else the plausible values', else 0.95 and the defaults).
///
/// ```
/// use egov_twostep::{analyse, BootstrapOptions, simulate::{simulate, SimulationSpec}};
/// let sim = simulate(&SimulationSpec { persons: 600, ..SimulationSpec::default() });
/// let opts = BootstrapOptions { replicates: 9, ..BootstrapOptions::default() };
/// let a = analyse(&sim.data("y ~ dsi + female"), Some(&opts), None, None).unwrap();
/// assert_eq!(a.bootstrap.unwrap().lpm.len(), a.naive.coefficients.len());
/// assert!(a.plausible_values.is_none());
/// ```
pub fn analyse(
    data: &TwoStepData,
    boot: Option<&BootstrapOptions>,
    pv: Option<&PvOptions>,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<Analysis, TwoStepError> {
    let conf_level = boot
        .map(|b| b.conf_level)
        .or(pv.map(|p| p.conf_level))
        .unwrap_or(0.95);
    let irt = boot
        .map(|b| b.irt.clone())
        .or(pv.map(|p| p.irt.clone()))
        .unwrap_or_default();
    if let Some(b) = boot {
        resample::check_bootstrap_options(b)?;
    }
    if let Some(p) = pv {
        pv::check_draws(p)?;
    }
    // One full-sample fit serves the naive regression, the bootstrap and the plausible values.
    let prepared = design::Prepared::new(data, &irt, conf_level)?;
    let bootstrap = boot
        .map(|b| resample::bootstrap_prepared(&prepared, b, progress))
        .transpose()?;
    let plausible_values = pv.map(|p| pv::pv_from_prepared(&prepared, p)).transpose()?;
    Ok(Analysis {
        naive: prepared.naive,
        bootstrap,
        plausible_values,
    })
}
