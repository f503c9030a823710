//! # egov-irt: item response models for the Digital Skills Index
//!
//! This crate owns the psychometric engine: two-parameter (2PL) and one-parameter (1PL, common slope)
//! logistic item response models for yes/no items, fit by marginal maximum likelihood (Bock–Aitkin EM
//! over a quadrature grid, finished by Newton–Raphson on the marginal likelihood), standard errors from the
//! exact observed information, person scores (EAP, MAP, ML, plausible values), output scales, diagnostics
//! (information criteria, reliability, S-X² item fit, ICCs and information curves as plain data) and simple
//! count-based skill indices for robustness checks.
//!
//! It does **not** read files, know about survey columns, draw charts or run regressions: input is a plain
//! row-major `persons × items` slice of `u8` (0 = no, 1 = yes, [`MISSING`] = not answered) and optional
//! weights; output is plain structs (serde-serialisable) and vectors.
//!
//! Identical response patterns (missing included) are collapsed first ([`Patterns`]), so fitting and
//! scoring cost grows with the number of distinct patterns, not with the number of respondents.
//!
//! ```
//! use egov_irt::{fit, score, FitOptions, ScoreMethod};
//! // Five LSAT-like items, a handful of persons.
//! let responses: Vec<u8> = vec![
//!     1, 1, 1, 1, 1,  1, 0, 1, 1, 1,  1, 1, 0, 1, 0,  0, 0, 0, 1, 1,
//!     1, 1, 1, 0, 1,  1, 0, 0, 1, 1,  0, 1, 0, 0, 1,  1, 1, 1, 1, 0,
//! ];
//! let names: Vec<String> = (1..=5).map(|i| format!("item{i}")).collect();
//! let fitted = fit(&responses, 5, &names, None, &FitOptions::default()).unwrap();
//! assert_eq!(fitted.items.len(), 5);
//! let dsi = score(&fitted.items, &responses, 5, ScoreMethod::Eap).unwrap();
//! assert!(dsi.iter().all(|s| s.is_some()));
//! ```

mod error;
mod estimate;
mod linalg;
mod patterns;
mod quadrature;
mod scoring;

pub mod diagnostics;
pub mod indices;
pub mod scale;

use serde::{Deserialize, Serialize};

pub use error::IrtError;
pub use estimate::{FitOptions, ItemEstimate, ItemFit, fit_patterns};
pub use patterns::Patterns;
pub use quadrature::{Quadrature, QuadratureRule};
pub use scoring::{
    EAP_POINTS, PersonScore, ScoreMethod, Unscored, eap_patterns, plausible_values,
    plausible_values_patterns, score, score_detailed, score_patterns,
};

/// Code for a response that was not given (not administered); it is left out of that person's likelihood.
pub const MISSING: u8 = u8::MAX;

/// Item response model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Model {
    /// Two-parameter logistic: one slope and one intercept per item.
    #[default]
    #[serde(rename = "2pl")]
    TwoPl,
    /// One-parameter logistic: one common slope, one intercept per item (θ ~ N(0, 1) fixes the scale).
    #[serde(rename = "1pl")]
    OnePl,
}

pub(crate) fn validate_weights(
    weights: &[f64],
    expected: usize,
    what: &'static str,
) -> Result<(), IrtError> {
    if weights.len() != expected {
        return Err(IrtError::WeightLength {
            what,
            got: weights.len(),
            expected,
        });
    }
    if let Some((row, &value)) = weights
        .iter()
        .enumerate()
        .find(|(_, w)| !w.is_finite() || **w < 0.0)
    {
        return Err(IrtError::BadWeight { row, value });
    }
    Ok(())
}

/// Fit a 2PL or 1PL model by marginal maximum likelihood.
///
/// `responses` is row-major `persons × n_items` with values 0, 1 or [`MISSING`]; `weights` (one per person,
/// sampling or frequency weights) multiply each person's log-likelihood. Persons with no answered item are
/// left out and counted in [`ItemFit::n_excluded`].
///
/// ```
/// use egov_irt::{fit, FitOptions, Model, MISSING};
/// let responses = [1, 1, 0,  1, 0, 0,  0, 0, 0,  1, 1, 1,  0, 1, MISSING,  MISSING, MISSING, MISSING];
/// let names = vec!["a".to_string(), "b".to_string(), "c".to_string()];
/// let opts = FitOptions { model: Model::OnePl, ..FitOptions::default() };
/// let fitted = fit(&responses, 3, &names, None, &opts).unwrap();
/// assert_eq!(fitted.n_excluded, 1);
/// assert_eq!(fitted.n_respondents, 5);
/// ```
pub fn fit(
    responses: &[u8],
    n_items: usize,
    item_names: &[String],
    weights: Option<&[f64]>,
    opts: &FitOptions,
) -> Result<ItemFit, IrtError> {
    if item_names.len() != n_items {
        return Err(IrtError::ItemNames {
            got: item_names.len(),
            expected: n_items,
        });
    }
    let (patterns, person_pattern) = Patterns::collapse(responses, n_items)?;
    if let Some(w) = weights {
        validate_weights(w, person_pattern.len(), "person weights")?;
    }
    let pattern_weights = patterns.pattern_weights(&person_pattern, weights);
    fit_patterns(&patterns, &pattern_weights, item_names, opts)
}
