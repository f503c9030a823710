//! The Digital Skills Index as single commands (`egov dsi fit`, `egov dsi score`, the `dsi` of
//! `egov lpm`, Python `egov.dsi`): item selection, weights, the fit report and score scales.
//!
//! The estimation is `egov-irt`'s; this module decides which items and weights go in and how the
//! results are reported.

use crate::dataset::{Dataset, ItemMatrix, items_from_columns, parse_item_list};
use anyhow::{Context, bail};
use egov_irt::{FitOptions, ItemEstimate, ItemFit, Model, Patterns, PersonScore, ScoreMethod};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::Path;

/// The scale scores are reported on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreScale {
    /// Weighted mean 0, SD 1 in the scored sample.
    Standardized,
    /// The model's θ metric (N(0, 1) in the calibration population).
    Theta,
    /// Standardised score mapped linearly onto 0 (lowest score) … 100 (highest).
    ZeroToHundred,
}

/// The item matrix a command works on: `--items` columns, or the codebook's items.
pub fn select_items(ds: &Dataset, items: Option<&str>) -> anyhow::Result<ItemMatrix> {
    match (items, &ds.codebook_items) {
        (Some(list), _) => items_from_columns(&ds.frame, &parse_item_list(list)?),
        (None, Some(m)) => Ok(m.clone()),
        (None, None) => bail!(
            "{} has no codebook, so the skill items are unknown: pass --items COL,COL,… (or --codebook FILE)",
            ds.info.path.display()
        ),
    }
}

/// Per-person weights for the IRT engine: the `--weight` column, missing weights counted as 0.
pub fn person_weights(
    ds: &Dataset,
    weight: Option<&str>,
    notes: &mut Vec<String>,
) -> anyhow::Result<Option<Vec<f64>>> {
    let Some(name) = weight else { return Ok(None) };
    let values = ds.frame.numeric(name).map_err(anyhow::Error::from)?;
    if let Some((i, x)) = values
        .iter()
        .enumerate()
        .find(|(_, x)| x.is_infinite() || **x < 0.0)
    {
        bail!(
            "weight column `{name}`, row {}: value {x} is not a finite non-negative number",
            i + 1
        );
    }
    let missing = values.iter().filter(|x| x.is_nan()).count();
    if missing > 0 {
        notes.push(format!(
            "{missing} row(s) with a missing `{name}` weight get weight 0 in the item calibration"
        ));
    }
    let mut weights: Vec<f64> = values
        .iter()
        .map(|&x| if x.is_nan() { 0.0 } else { x })
        .collect();
    // Whole-number weights are frequency weights: they must give exactly the estimates of the
    // expanded data. Other weights are sampling weights, rescaled to sum to the number of
    // respondents with a positive weight, so that standard errors, the log-likelihood and BIC
    // stay on the sample's scale (the estimates do not depend on the scale).
    if weights.iter().any(|w| w.fract() != 0.0) {
        let total: f64 = weights.iter().sum();
        let positive = weights.iter().filter(|&&w| w > 0.0).count() as f64;
        if total > 0.0 {
            weights.iter_mut().for_each(|w| *w *= positive / total);
            notes.push(format!(
                "sampling weights `{name}` rescaled to sum to the {positive} respondents with a positive weight"
            ));
        }
    }
    Ok(Some(weights))
}

/// Fits the item model to `items` with `opts`.
pub fn fit_matrix(
    items: &ItemMatrix,
    weights: Option<&[f64]>,
    opts: &FitOptions,
) -> anyhow::Result<ItemFit> {
    egov_irt::fit(
        &items.responses,
        items.n_items(),
        &items.names,
        weights,
        opts,
    )
    .context("fitting the item response model")
}

/// The default DSI of a formula's `dsi` term, with the fit it came from.
#[derive(Debug, Clone)]
pub struct DefaultDsi {
    /// One value per row: standardised EAP, NaN when the person answered no item.
    pub values: Vec<f64>,
    /// How the index was made, for reports (`model`, `method`, `scale`, `items`, `weighted`,
    /// `n_unscored`, `loglik`, `converged`).
    pub summary: Value,
    /// The item model, reused by two-step inference instead of a second fit.
    pub fit: ItemFit,
}

/// The default DSI used in formulas: 2PL by marginal ML (default options), EAP scores,
/// standardised to (weighted) mean 0 and SD 1.
pub fn default_dsi(
    items: &ItemMatrix,
    weights: Option<&[f64]>,
    notes: &mut Vec<String>,
) -> anyhow::Result<DefaultDsi> {
    let fitted = fit_matrix(items, weights, &FitOptions::default())?;
    let scores = egov_irt::score(
        &fitted.items,
        &items.responses,
        items.n_items(),
        ScoreMethod::Eap,
    )?;
    let theta: Vec<Option<f64>> = scores.iter().map(|s| s.map(|s| s.theta)).collect();
    let standardized = egov_irt::scale::standardize(&theta, weights);
    let unscored = standardized.iter().filter(|v| v.is_none()).count();
    let summary = json!({
        "model": "2pl",
        "method": "eap",
        "scale": "standardized",
        "items": items.names,
        "weighted": weights.is_some(),
        "n_unscored": unscored,
        "loglik": fitted.loglik,
        "converged": fitted.converged,
    });
    if !fitted.converged {
        notes.push(format!(
            "warning: the DSI's item model did not converge after {} iterations",
            fitted.iterations
        ));
    }
    Ok(DefaultDsi {
        values: standardized
            .into_iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect(),
        summary,
        fit: fitted,
    })
}

/// The JSON report of a fit: the engine's result plus reliability, item fit and provenance.
pub fn fit_report(
    ds: &Dataset,
    items: &ItemMatrix,
    weights: Option<&[f64]>,
    weight_column: Option<&str>,
    fitted: &ItemFit,
) -> anyhow::Result<Value> {
    let k = items.n_items();
    let eap = egov_irt::score(&fitted.items, &items.responses, k, ScoreMethod::Eap)?;
    let reliability = egov_irt::diagnostics::marginal_reliability(&eap, weights);
    let (patterns, person_pattern) = Patterns::collapse(&items.responses, k)?;
    // S-X² counts persons. Whole-number weights are taken as frequency weights (a pattern
    // table with counts); other weights are sampling weights, rescaled to sum to the number of
    // respondents so that the statistic keeps its sample-size meaning.
    let mut pattern_weights = patterns.pattern_weights(&person_pattern, weights);
    let total: f64 = pattern_weights.iter().sum();
    let frequency = weights.is_none_or(|w| w.iter().all(|x| x.fract() == 0.0));
    if !frequency && total > 0.0 {
        let scale = fitted.n_respondents as f64 / total;
        pattern_weights.iter_mut().for_each(|w| *w *= scale);
    }
    let item_fit = egov_irt::diagnostics::s_x2(
        &fitted.items,
        &patterns,
        &pattern_weights,
        fitted.model,
        1.0,
    )
    .ok();
    let mut value = serde_json::to_value(fitted)?;
    let obj = value
        .as_object_mut()
        .expect("ItemFit serialises to an object");
    obj.insert("reliability".into(), json!(reliability));
    obj.insert(
        "item_fit".into(),
        item_fit.as_ref().map_or(Value::Null, |r| json!(r.items)),
    );
    obj.insert(
        "item_fit_n_incomplete_excluded".into(),
        json!(item_fit.as_ref().map(|r| r.n_incomplete_excluded)),
    );
    obj.insert("weight".into(), json!(weight_column));
    obj.insert("data".into(), json!(ds.info));
    obj.insert("n_rows".into(), json!(items.n_rows()));
    Ok(value)
}

fn fmt_opt(x: Option<f64>, digits: usize) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.digits$}"),
        _ => "–".into(),
    }
}

/// The fit report for a terminal.
pub fn render_fit_text(report: &Value, fitted: &ItemFit, ds: &Dataset) -> String {
    let mut s = String::new();
    let model = match fitted.model {
        Model::TwoPl => "2PL",
        Model::OnePl => "1PL",
    };
    let _ = writeln!(
        s,
        "{model} item response model, marginal maximum likelihood ({} Gauss–Hermite nodes){}",
        fitted.quadrature_points,
        if ds.info.synthetic {
            " — SYNTHETIC data"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "respondents {} (excluded, no answered item: {}), response patterns {}",
        fitted.n_respondents, fitted.n_excluded, fitted.n_patterns
    );
    if let Some(w) = report["weight"].as_str() {
        let _ = writeln!(s, "weights: `{w}` (sum {:.1})", fitted.sum_weights);
    }
    let _ = writeln!(
        s,
        "log-likelihood {:.3}, AIC {:.3}, BIC {:.3}, parameters {}",
        fitted.loglik, fitted.aic, fitted.bic, fitted.n_parameters
    );
    let _ = writeln!(
        s,
        "converged {} after {} iterations (EM {}, Newton {}), max |gradient| {:.2e}",
        if fitted.converged { "yes" } else { "NO" },
        fitted.iterations,
        fitted.em_iterations,
        fitted.newton_iterations,
        fitted.max_abs_gradient
    );
    let _ = writeln!(
        s,
        "marginal reliability (EAP) {}",
        fmt_opt(report["reliability"].as_f64(), 3)
    );
    let _ = writeln!(
        s,
        "\nP(yes | θ) = 1 / (1 + exp(−(aθ + d))) = 1 / (1 + exp(−a(θ − b)))\n"
    );
    let width = fitted
        .items
        .iter()
        .map(|i| i.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        s,
        "{:<width$}  {:>8} {:>7}  {:>8} {:>7}  {:>8} {:>7}  {:>8} {:>4} {:>7}",
        "item", "a", "(se)", "b", "(se)", "d", "(se)", "S-X²", "df", "p"
    );
    let fit_rows = report["item_fit"].as_array();
    for (j, item) in fitted.items.iter().enumerate() {
        let sx2 = fit_rows.and_then(|r| r.get(j));
        let _ = writeln!(
            s,
            "{:<width$}  {:>8.3} {:>7}  {:>8.3} {:>7}  {:>8.3} {:>7}  {:>8} {:>4} {:>7}",
            item.name,
            item.a,
            format!("({})", fmt_opt(item.a_se, 3)),
            item.b,
            format!("({})", fmt_opt(item.b_se, 3)),
            item.d,
            format!("({})", fmt_opt(item.d_se, 3)),
            fmt_opt(sx2.and_then(|v| v["s_x2"].as_f64()), 2),
            sx2.and_then(|v| v["df"].as_u64())
                .map_or("–".into(), |d| d.to_string()),
            fmt_opt(sx2.and_then(|v| v["p_value"].as_f64()), 3),
        );
    }
    if let Some(excluded) = report["item_fit_n_incomplete_excluded"].as_f64()
        && excluded > 0.0
    {
        let _ = writeln!(
            s,
            "\nS-X² uses complete response patterns only ({excluded:.0} {} with a missing item left out).",
            if fitted.sum_weights == fitted.n_respondents as f64 {
                "persons"
            } else {
                "(weighted) persons"
            }
        );
    }
    for w in &fitted.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    s
}

/// Item parameters read from `dsi fit --format json`.
pub fn read_params(path: &Path) -> anyhow::Result<(Model, Vec<ItemEstimate>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read --params {}", path.display()))?;
    let value: Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "--params {} is not JSON; pass the output of `egov dsi fit --format json`",
            path.display()
        )
    })?;
    let items = value.get("items").cloned().with_context(|| {
        format!(
            "--params {} has no `items` array; pass the output of `egov dsi fit --format json`",
            path.display()
        )
    })?;
    let items: Vec<ItemEstimate> = serde_json::from_value(items).with_context(|| {
        format!(
            "--params {}: every entry of `items` needs name, a, b and d",
            path.display()
        )
    })?;
    let model = match value.get("model").and_then(Value::as_str) {
        Some("1pl") => Model::OnePl,
        _ => Model::TwoPl,
    };
    Ok((model, items))
}

/// Scores and their standard errors on the requested scale. Standardisation divides the SE by
/// the same SD; the 0–100 map multiplies it by the same slope.
pub fn rescale(
    scores: &[Option<PersonScore>],
    scale: ScoreScale,
    weights: Option<&[f64]>,
) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let theta: Vec<Option<f64>> = scores.iter().map(|s| s.map(|s| s.theta)).collect();
    let se: Vec<Option<f64>> = scores.iter().map(|s| s.map(|s| s.se)).collect();
    if scale == ScoreScale::Theta {
        return (theta, se);
    }
    let sd = egov_irt::scale::mean_sd(&theta, weights)
        .map(|(_, sd)| sd)
        .filter(|sd| *sd > 0.0)
        .unwrap_or(1.0);
    let z = egov_irt::scale::standardize(&theta, weights);
    let z_se: Vec<Option<f64>> = se.iter().map(|s| s.map(|s| s / sd)).collect();
    if scale == ScoreScale::Standardized {
        return (z, z_se);
    }
    let present = z.iter().flatten();
    let lo = present.clone().copied().fold(f64::INFINITY, f64::min);
    let hi = present.copied().fold(f64::NEG_INFINITY, f64::max);
    let slope = if hi > lo { 100.0 / (hi - lo) } else { 0.0 };
    (
        egov_irt::scale::to_0_100(&z),
        z_se.iter().map(|s| s.map(|s| s * slope)).collect(),
    )
}

/// How persons are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    /// Posterior mean (expected a posteriori), with the posterior SD.
    Eap,
    /// Posterior mode, with its standard error.
    Map,
    /// Maximum likelihood (undefined for all-yes and all-no patterns).
    Ml,
    /// `draws` plausible values from each person's posterior.
    PlausibleValues {
        /// Number of draws.
        draws: usize,
        /// Random seed.
        seed: u64,
    },
}

/// Refuses scoring choices that cannot be met, before any data are read.
pub fn check_scoring(scoring: Scoring, scale: ScoreScale) -> anyhow::Result<()> {
    if let Scoring::PlausibleValues { draws, .. } = scoring {
        if draws == 0 {
            bail!("--draws must be at least 1 with --method pv");
        }
        if scale == ScoreScale::ZeroToHundred {
            bail!(
                "--scale 0-100 maps the lowest and highest point scores to 0 and 100, which plausible values do not have; use --scale standardized or theta with --method pv"
            );
        }
    }
    Ok(())
}

/// Scores of every person, as named columns in row order.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreTable {
    /// `dsi` and `dsi_se`, or `pv1..pvM`; `None` where a person has no score.
    pub columns: Vec<(String, Vec<Option<f64>>)>,
    /// Why persons have no score, with counts.
    pub unscored: Vec<(String, usize)>,
}

/// Scores every person of `items` with item parameters `parameters` on `scale`.
pub fn score_persons(
    items: &ItemMatrix,
    parameters: &[ItemEstimate],
    scoring: Scoring,
    scale: ScoreScale,
    weights: Option<&[f64]>,
) -> anyhow::Result<ScoreTable> {
    use egov_irt::Unscored;
    let k = items.n_items();
    let mut columns: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    let mut unscored: Vec<(String, usize)> = Vec::new();
    match scoring {
        Scoring::PlausibleValues { draws, seed } => {
            check_scoring(scoring, scale)?;
            let pvs = egov_irt::plausible_values(parameters, &items.responses, k, draws, seed)?;
            for (m, draw) in pvs.into_iter().enumerate() {
                let values = match scale {
                    ScoreScale::Theta => draw,
                    _ => egov_irt::scale::standardize(&draw, weights),
                };
                columns.push((format!("pv{}", m + 1), values));
            }
            let none = columns[0].1.iter().filter(|v| v.is_none()).count();
            if none > 0 {
                unscored.push((Unscored::NoAnsweredItem.to_string(), none));
            }
        }
        point => {
            let method = match point {
                Scoring::Eap => ScoreMethod::Eap,
                Scoring::Map => ScoreMethod::Map,
                _ => ScoreMethod::Ml,
            };
            let detailed = egov_irt::score_detailed(parameters, &items.responses, k, method)?;
            for reason in [
                Unscored::NoAnsweredItem,
                Unscored::AllYes,
                Unscored::AllNo,
                Unscored::NoFiniteMaximum,
            ] {
                let count = detailed.iter().filter(|r| **r == Err(reason)).count();
                if count > 0 {
                    unscored.push((reason.to_string(), count));
                }
            }
            let scores: Vec<Option<PersonScore>> = detailed.into_iter().map(Result::ok).collect();
            let (dsi, se) = rescale(&scores, scale, weights);
            columns.push(("dsi".into(), dsi));
            columns.push(("dsi_se".into(), se));
        }
    }
    Ok(ScoreTable { columns, unscored })
}

/// Fit options of a single `dsi` command.
pub fn fit_options(model: Model, quadrature_points: usize) -> FitOptions {
    FitOptions {
        model,
        quadrature_points,
        ..FitOptions::default()
    }
}

/// Item parameters `parameters` reordered to the item names `names` (from `--items`, or the
/// parameter file's own order), with the matrix of those items from the data.
pub fn items_for_parameters(
    ds: &Dataset,
    params_path: &Path,
    parameters: &[ItemEstimate],
    names: Option<&str>,
) -> anyhow::Result<(ItemMatrix, Vec<ItemEstimate>)> {
    let names: Vec<String> = match names {
        Some(list) => parse_item_list(list)?,
        None => parameters.iter().map(|p| p.name.clone()).collect(),
    };
    let matrix = items_from_columns(&ds.frame, &names).or_else(|e| match &ds.codebook_items {
        Some(cb) if cb.names == names => Ok(cb.clone()),
        _ => Err(e),
    })?;
    let ordered = names
        .iter()
        .map(|n| {
            parameters
                .iter()
                .find(|p| &p.name == n)
                .cloned()
                .with_context(|| {
                    format!(
                        "--params {} has no parameters for item `{n}`; it has [{}]",
                        params_path.display(),
                        parameters
                            .iter()
                            .map(|p| p.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((matrix, ordered))
}
