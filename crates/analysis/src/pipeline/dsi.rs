//! Stage 2: the Digital Skills Index — a 2PL (or 1PL) item response model fitted by marginal
//! maximum likelihood, every respondent scored by EAP and standardised to mean 0, SD 1.

use crate::config::DsiConfig;
use anyhow::Context;
use egov_irt::diagnostics::{Curves, ItemFitReport};
use egov_irt::{FitOptions, ItemFit, Model, Patterns, PersonScore, ScoreMethod};
use egov_survey::AnalysisFrame;

/// The fitted index and the scores of every respondent.
pub struct DsiResult {
    /// Item parameters and fit.
    pub fit: ItemFit,
    /// Orlando–Thissen S-X² item fit (None when it could not be computed).
    pub item_fit: Option<ItemFitReport>,
    /// EAP on the θ metric with posterior SD, per respondent (None: no answered item).
    pub scores: Vec<Option<PersonScore>>,
    /// The DSI: EAP standardised to mean 0 and SD 1 in the sample.
    pub dsi: Vec<Option<f64>>,
    /// Posterior SD on the DSI metric (divided by the same SD).
    pub dsi_se: Vec<Option<f64>>,
    /// Mean and SD of the EAP scores used to standardise.
    pub standardisation: (f64, f64),
    /// Count of "yes" answers (None: no answered item).
    pub count: Vec<Option<u32>>,
    /// The count index standardised like the DSI.
    pub count_std: Vec<Option<f64>>,
    /// Marginal reliability of the EAP scores.
    pub reliability: Option<f64>,
    /// Correlation of the DSI with the count index.
    pub count_correlation: Option<f64>,
    /// Item characteristic and information curves over θ ∈ [−4, 4].
    pub curves: Curves,
    /// Respondents without any answered item (no score).
    pub n_unscored: usize,
    /// Whether the sampling weights were used.
    pub weighted: bool,
}

/// Fits and scores the index.
pub fn fit(frame: &AnalysisFrame, cfg: &DsiConfig) -> anyhow::Result<DsiResult> {
    let k = frame.n_items();
    let weights = cfg.weighted.then_some(frame.weight.as_slice());
    let opts = FitOptions {
        model: if cfg.model == "1pl" {
            Model::OnePl
        } else {
            Model::TwoPl
        },
        quadrature_points: cfg.quadrature_points,
        ..FitOptions::default()
    };
    let fit = egov_irt::fit(&frame.items, k, &frame.item_names, weights, &opts)
        .context("cannot fit the item response model of the Digital Skills Index")?;
    let scores = egov_irt::score(&fit.items, &frame.items, k, ScoreMethod::Eap)
        .context("cannot score respondents on the Digital Skills Index")?;
    let theta: Vec<Option<f64>> = scores.iter().map(|s| s.map(|s| s.theta)).collect();
    let (mean, sd) = egov_irt::scale::mean_sd(&theta, weights)
        .context("no respondent has a positive weight and an answered item")?;
    let sd = if sd > 0.0 { sd } else { 1.0 };
    let dsi = theta.iter().map(|t| t.map(|t| (t - mean) / sd)).collect();
    let dsi_se = scores.iter().map(|s| s.map(|s| s.se / sd)).collect();
    let count = egov_irt::indices::count_yes(&frame.items, k);
    let count_f = egov_irt::indices::counts_as_f64(&count);
    let count_std = egov_irt::scale::standardize(&count_f, weights);
    let count_correlation = egov_irt::indices::weighted_correlation(&theta, &count_f, weights);
    let reliability = egov_irt::diagnostics::marginal_reliability(&scores, weights);
    let item_fit =
        Patterns::collapse(&frame.items, k)
            .ok()
            .and_then(|(patterns, person_pattern)| {
                let pw = patterns.pattern_weights(&person_pattern, weights);
                egov_irt::diagnostics::s_x2(&fit.items, &patterns, &pw, fit.model, 1.0).ok()
            });
    let grid = egov_irt::diagnostics::theta_grid(-4.0, 4.0, 161);
    let curves = egov_irt::diagnostics::curves(&fit.items, &grid);
    let n_unscored = scores.iter().filter(|s| s.is_none()).count();
    Ok(DsiResult {
        fit,
        item_fit,
        scores,
        dsi,
        dsi_se,
        standardisation: (mean, sd),
        count,
        count_std,
        reliability,
        count_correlation,
        curves,
        n_unscored,
        weighted: cfg.weighted,
    })
}
