//! The fixed parts of a two-step estimate (response patterns, the full-sample fits and the
//! regression design) and the re-estimation of both steps under a new set of person weights.

use egov_econ::{
    Column, EstimateOptions, Frame, Regression, Vcov, lpm, model_matrix, ols_coefficients,
};
use egov_irt::{
    EAP_POINTS, FitOptions, ItemEstimate, ItemFit, Patterns, Quadrature, QuadratureRule,
    eap_patterns, fit_patterns,
};
use nalgebra::{Cholesky, DMatrix, DVector};

use crate::{DSI, TwoStepData, TwoStepError, WEIGHT_COLUMN};

/// Smallest pivot (on the unit-diagonal scale) accepted by the replicate least-squares solve.
const PIVOT_TOL: f64 = 1e-10;

/// How the DSI enters the model matrix.
#[derive(Debug, Clone)]
enum DsiColumns {
    /// Every model-matrix column is `base + dsi × slope` (plain `dsi`, `dsi:x`): replicates only
    /// rewrite these columns.
    Linear(SparseRows),
    /// Some column is non-linear in the DSI (e.g. `I(dsi^2)`): each replicate rebuilds the matrix
    /// from the formula.
    Rebuild,
}

/// The design rows in compressed form: most regressors are dummies, so a row of the replica's
/// 35-column design has about 11 non-zeros, and the weighted cross-product costs ~60 instead of
/// ~630 multiply-adds per row. Entry e of row i holds `base[e] + dsi_i × slope[e]` in column
/// `column[e]` (columns ascending within a row).
#[derive(Debug, Clone)]
struct SparseRows {
    offset: Vec<usize>,
    column: Vec<usize>,
    base: Vec<f64>,
    slope: Vec<f64>,
}

/// Everything that does not change between replicates.
pub(crate) struct Prepared<'a> {
    pub data: &'a TwoStepData<'a>,
    pub patterns: Patterns,
    pub person_pattern: Vec<Option<u32>>,
    /// Person weights (1 when the data are unweighted).
    pub base_weights: Vec<f64>,
    pub fit: ItemFit,
    pub quad: Quadrature,
    /// Standardised full-sample DSI per person.
    pub dsi: Vec<Option<f64>>,
    /// The covariate frame plus the DSI and weight columns.
    pub frame: Frame,
    pub naive: Regression,
    /// Estimation rows (frame indices) of the naive regression.
    pub rows: Vec<usize>,
    pub k: usize,
    pub y: Vec<f64>,
    /// Conditioning variables of the latent regression, one row per estimation row: the model
    /// matrix columns that do not involve the DSI, then the outcome.
    pub conditioning: DMatrix<f64>,
    /// Whether each term's column involves the DSI.
    dsi_dependent: Vec<bool>,
    pub terms: Vec<String>,
    dsi_columns: DsiColumns,
}

/// Weighted mean and population SD of the per-pattern scores under per-pattern weights.
pub(crate) fn pattern_moments(theta: &[f64], weights: &[f64]) -> Option<(f64, f64)> {
    let sw: f64 = weights.iter().sum();
    if sw.is_nan() || sw <= 0.0 {
        return None;
    }
    let mean = theta.iter().zip(weights).map(|(t, w)| t * w).sum::<f64>() / sw;
    let var = theta
        .iter()
        .zip(weights)
        .map(|(t, w)| w * (t - mean) * (t - mean))
        .sum::<f64>()
        / sw;
    (var > 0.0).then(|| (mean, var.sqrt()))
}

fn validate(data: &TwoStepData) -> Result<usize, TwoStepError> {
    let n = data.frame.n_rows();
    let check = |what: &'static str, got: usize| {
        if got == n {
            Ok(())
        } else {
            Err(TwoStepError::Length {
                what,
                got,
                expected: n,
            })
        }
    };
    if data.n_items == 0 {
        return Err(TwoStepError::BadOption {
            option: "n_items",
            reason: "must be at least 2".into(),
        });
    }
    if !data.responses.len().is_multiple_of(data.n_items) {
        return Err(TwoStepError::BadOption {
            option: "responses",
            reason: format!(
                "{} values is not a multiple of {} items; pass row-major persons x items",
                data.responses.len(),
                data.n_items
            ),
        });
    }
    check("responses (rows)", data.responses.len() / data.n_items)?;
    check("clusters", data.clusters.len())?;
    if let Some(w) = data.weights {
        check("weights", w.len())?;
        if let Some((row, &value)) = w
            .iter()
            .enumerate()
            .find(|(_, v)| !v.is_finite() || **v < 0.0)
        {
            return Err(TwoStepError::BadWeight {
                row: row + 1,
                value,
            });
        }
    }
    if let Some(s) = data.strata {
        check("strata", s.len())?;
    }
    for reserved in [DSI, WEIGHT_COLUMN] {
        if data.frame.column(reserved).is_ok() {
            return Err(TwoStepError::ReservedColumn(reserved.into()));
        }
    }
    Ok(n)
}

/// Frame with a numeric column replaced (or added).
pub(crate) fn with_column(frame: &Frame, name: &str, values: Vec<f64>) -> Frame {
    let mut f = frame.clone();
    f.set(name, Column::Numeric(values))
        .expect("length checked when the frame was prepared");
    f
}

/// Options for the naive regression, with the internal weight column.
pub(crate) fn naive_options(vcov: &Vcov, conf_level: f64) -> EstimateOptions {
    EstimateOptions {
        weights: Some(WEIGHT_COLUMN.into()),
        vcov: vcov.clone(),
        conf_level,
    }
}

/// Person-level DSI column (NaN for persons without a score).
pub(crate) fn dsi_column(dsi: &[Option<f64>]) -> Vec<f64> {
    dsi.iter().map(|v| v.unwrap_or(f64::NAN)).collect()
}

impl<'a> Prepared<'a> {
    pub(crate) fn new(
        data: &'a TwoStepData<'a>,
        irt: &FitOptions,
        conf_level: f64,
    ) -> Result<Prepared<'a>, TwoStepError> {
        let n = validate(data)?;
        let (patterns, person_pattern) = Patterns::collapse(data.responses, data.n_items)?;
        let base_weights: Vec<f64> = data.weights.map_or_else(|| vec![1.0; n], |w| w.to_vec());
        let pattern_weights = patterns.pattern_weights(&person_pattern, Some(&base_weights));
        let fit = match data.fitted {
            Some(fitted) if fitted.items.len() == data.n_items => fitted.clone(),
            Some(fitted) => {
                return Err(TwoStepError::Design(format!(
                    "the item fit given has {} items, the responses {}",
                    fitted.items.len(),
                    data.n_items
                )));
            }
            None => fit_patterns(&patterns, &pattern_weights, data.item_names, irt)?,
        };
        let quad = Quadrature::new(QuadratureRule::GaussHermite, EAP_POINTS)?;
        let theta: Vec<f64> = eap_patterns(&fit.items, &patterns, &quad)?
            .iter()
            .map(|s| s.theta)
            .collect();
        let (mean, sd) = pattern_moments(&theta, &pattern_weights).ok_or_else(|| {
            TwoStepError::Design("the skill index has no variation in the weighted sample".into())
        })?;
        let dsi: Vec<Option<f64>> = person_pattern
            .iter()
            .map(|p| p.map(|p| (theta[p as usize] - mean) / sd))
            .collect();

        let mut frame = data.frame.clone();
        frame.push_numeric(DSI, dsi_column(&dsi))?;
        frame.push_numeric(WEIGHT_COLUMN, base_weights.clone())?;
        let naive = lpm(
            data.formula,
            &frame,
            &naive_options(&data.naive_vcov, conf_level),
        )?;
        let terms: Vec<String> = naive.coefficients.iter().map(|c| c.term.clone()).collect();
        let rows = naive.rows().to_vec();

        // Evaluate the formula at DSI = 0, DSI = 1 and the actual DSI to find which columns
        // depend on it and whether they do so linearly.
        let at = |value: Option<f64>| -> Result<(DMatrix<f64>, Vec<f64>), TwoStepError> {
            let col: Vec<f64> = match value {
                Some(v) => dsi.iter().map(|d| d.map_or(f64::NAN, |_| v)).collect(),
                None => dsi_column(&dsi),
            };
            let f = with_column(&frame, DSI, col);
            let mm = model_matrix(data.formula, &f, Some(WEIGHT_COLUMN))?;
            select(&mm, &rows, &terms)
        };
        let (x0, y) = at(Some(0.0))?;
        let (x1, _) = at(Some(1.0))?;
        let (xa, _) = at(None)?;
        let k = terms.len();
        let m = rows.len();
        let mut dependent = Vec::new();
        let mut linear = true;
        for j in 0..k {
            if (0..m).all(|i| x0[(i, j)] == x1[(i, j)] && x0[(i, j)] == xa[(i, j)]) {
                continue;
            }
            let slope: Vec<f64> = (0..m).map(|i| x1[(i, j)] - x0[(i, j)]).collect();
            for i in 0..m {
                let d = dsi[rows[i]].unwrap_or(f64::NAN);
                let predicted = x0[(i, j)] + d * slope[i];
                if (predicted - xa[(i, j)]).abs() > 1e-9 * (1.0 + xa[(i, j)].abs()) {
                    linear = false;
                }
            }
            dependent.push((j, slope));
        }
        if dependent.is_empty() {
            return Err(TwoStepError::NoDsiTerm {
                formula: data.formula.into(),
                dsi: DSI.into(),
            });
        }
        let fixed: Vec<usize> = (0..k)
            .filter(|j| !dependent.iter().any(|(d, _)| d == j))
            .collect();
        let conditioning = DMatrix::from_fn(m, fixed.len() + 1, |i, c| {
            if c < fixed.len() {
                x0[(i, fixed[c])]
            } else {
                y[i]
            }
        });
        let dsi_columns = if linear {
            let mut slope_of = vec![None; k];
            for (j, slope) in &dependent {
                slope_of[*j] = Some(slope);
            }
            let mut sparse = SparseRows {
                offset: vec![0],
                column: vec![],
                base: vec![],
                slope: vec![],
            };
            for i in 0..m {
                for (j, s) in slope_of.iter().enumerate() {
                    let b = x0[(i, j)];
                    let s = s.map_or(0.0, |s| s[i]);
                    if b != 0.0 || s != 0.0 {
                        sparse.column.push(j);
                        sparse.base.push(b);
                        sparse.slope.push(s);
                    }
                }
                sparse.offset.push(sparse.column.len());
            }
            DsiColumns::Linear(sparse)
        } else {
            DsiColumns::Rebuild
        };
        Ok(Prepared {
            data,
            patterns,
            person_pattern,
            base_weights,
            fit,
            quad,
            dsi,
            frame,
            naive,
            rows,
            k,
            y,
            conditioning,
            dsi_dependent: (0..k)
                .map(|j| dependent.iter().any(|(d, _)| *d == j))
                .collect(),
            terms,
            dsi_columns,
        })
    }

    /// Whether the DSI columns are updated in place (true) or rebuilt from the formula.
    #[cfg(test)]
    pub(crate) fn linear_in_dsi(&self) -> bool {
        matches!(self.dsi_columns, DsiColumns::Linear { .. })
    }

    /// Options of a replicate fit: started at the full-sample estimates, no standard errors.
    pub(crate) fn warm_start(&self, irt: &FitOptions, tolerance: f64) -> FitOptions {
        FitOptions {
            start: Some(self.fit.items.iter().map(|i| (i.a, i.d)).collect()),
            standard_errors: false,
            tolerance,
            ..irt.clone()
        }
    }

    /// Refit the item model and rescore under person weights `w` (zero = not drawn); returns the
    /// standardised DSI per pattern (NaN for patterns with zero replicate weight).
    pub(crate) fn rescore(
        &self,
        w: &[f64],
        irt: &FitOptions,
        refit: bool,
    ) -> Result<Vec<f64>, String> {
        let all_weights = self.patterns.pattern_weights(&self.person_pattern, Some(w));
        // Patterns nobody in the replicate carries add exact zeros to the likelihood and need no
        // score: leave them out (about a fifth of the replica's patterns in a bootstrap draw).
        let kept: Vec<usize> = (0..all_weights.len())
            .filter(|&p| all_weights[p] > 0.0)
            .collect();
        let subset;
        let (patterns, pattern_weights) = if kept.len() == all_weights.len() {
            (&self.patterns, all_weights)
        } else {
            let n_items = self.patterns.n_items();
            let mut responses = Vec::with_capacity(kept.len() * n_items);
            for &p in &kept {
                responses.extend_from_slice(self.patterns.pattern(p));
            }
            subset = Patterns::from_table(&responses, n_items, &vec![1; kept.len()])
                .map_err(|e| e.to_string())?;
            (&subset, kept.iter().map(|&p| all_weights[p]).collect())
        };
        let items: std::borrow::Cow<[ItemEstimate]> = if refit {
            let fit = fit_patterns(patterns, &pattern_weights, self.data.item_names, irt)
                .map_err(|e| e.to_string())?;
            if !fit.converged {
                return Err("item model did not converge".into());
            }
            std::borrow::Cow::Owned(fit.items)
        } else {
            std::borrow::Cow::Borrowed(&self.fit.items)
        };
        let theta: Vec<f64> = eap_patterns(&items, patterns, &self.quad)
            .map_err(|e| e.to_string())?
            .iter()
            .map(|s| s.theta)
            .collect();
        let (mean, sd) = pattern_moments(&theta, &pattern_weights)
            .ok_or_else(|| "the skill index has no variation in the replicate".to_string())?;
        if patterns.len() == self.patterns.len() {
            return Ok(theta.iter().map(|t| (t - mean) / sd).collect());
        }
        // Patterns outside the replicate get NaN: their persons have weight zero.
        let mut out = vec![f64::NAN; self.patterns.len()];
        for (t, &p) in theta.iter().zip(&kept) {
            out[p] = (t - mean) / sd;
        }
        Ok(out)
    }

    /// Whether term `j`'s column involves the DSI.
    pub(crate) fn depends_on_dsi(&self, j: usize) -> bool {
        self.dsi_dependent[j]
    }

    /// Person-level DSI from per-pattern values.
    pub(crate) fn person_dsi(&self, per_pattern: &[f64]) -> Vec<Option<f64>> {
        self.person_pattern
            .iter()
            .map(|p| p.map(|p| per_pattern[p as usize]))
            .collect()
    }

    /// LPM coefficients (in `terms` order) for a DSI per person and person weights `w`.
    pub(crate) fn coefficients(
        &self,
        dsi: &[Option<f64>],
        w: &[f64],
        scratch: &mut Scratch,
    ) -> Result<Vec<f64>, String> {
        match &self.dsi_columns {
            DsiColumns::Linear(sparse) => {
                scratch.reset(self.k);
                let k = self.k;
                for (i, &row) in self.rows.iter().enumerate() {
                    let wi = w[row];
                    if wi == 0.0 {
                        continue;
                    }
                    let d = dsi[row].ok_or("a regression row has no skill score")?;
                    let range = sparse.offset[i]..sparse.offset[i + 1];
                    let cols = &sparse.column[range.clone()];
                    let values = &mut scratch.row;
                    values.clear();
                    values.extend(
                        sparse.base[range.clone()]
                            .iter()
                            .zip(&sparse.slope[range])
                            .map(|(b, s)| b + d * s),
                    );
                    let yi = wi * self.y[i];
                    for (p, (&a, &va)) in cols.iter().zip(values.iter()).enumerate() {
                        scratch.xty[a] += yi * va;
                        let wa = wi * va;
                        let g = &mut scratch.gram[a * k..(a + 1) * k];
                        for (&b, &vb) in cols[p..].iter().zip(&values[p..]) {
                            g[b] += wa * vb;
                        }
                    }
                }
                solve_normal_equations(&scratch.gram, &scratch.xty, k)
            }
            DsiColumns::Rebuild => {
                let mut f = with_column(&self.frame, DSI, dsi_column(dsi));
                f.set(WEIGHT_COLUMN, Column::Numeric(w.to_vec()))
                    .map_err(|e| e.to_string())?;
                // Zero-weight rows are dropped by the model matrix, so rebuild on the positive
                // replicate weights and map back onto the fixed term order.
                let mm = model_matrix(self.data.formula, &f, Some(WEIGHT_COLUMN))
                    .map_err(|e| e.to_string())?;
                let keep: Vec<usize> = self
                    .terms
                    .iter()
                    .map(|t| mm.terms.iter().position(|m| m == t))
                    .collect::<Option<_>>()
                    .ok_or("a term of the full-sample model is missing in the replicate")?;
                let x = mm.x.select_columns(keep.iter());
                ols_coefficients(&x, &mm.y, mm.weights.as_deref()).map_err(|e| e.to_string())
            }
        }
    }
}

/// Naive variance estimators that [`Prepared::fit_with_variance`] reproduces on the fixed
/// design (the formulas of `egov_econ`'s least-squares fit).
pub(crate) enum NaiveVariance {
    Iid,
    Hc0,
    Hc1,
    /// One-way CR1: the estimation rows ordered by cluster, and where each cluster starts in
    /// that order (plus the end).
    Cluster {
        order: Vec<usize>,
        starts: Vec<usize>,
    },
}

impl<'a> Prepared<'a> {
    /// The naive variance of the data if the fixed-design path can reproduce it: a design linear
    /// in the DSI and an iid, HC0, HC1 or one-way cluster variance. `None` means: refit with
    /// `egov_econ::lpm`.
    pub(crate) fn naive_variance(&self) -> Option<NaiveVariance> {
        if !matches!(self.dsi_columns, DsiColumns::Linear(_)) || self.naive.k != self.k {
            return None;
        }
        match &self.data.naive_vcov {
            Vcov::Iid => Some(NaiveVariance::Iid),
            Vcov::Hc0 => Some(NaiveVariance::Hc0),
            Vcov::Hc1 => Some(NaiveVariance::Hc1),
            Vcov::Cluster(cols) if cols.len() == 1 => {
                let mut ids = std::collections::HashMap::new();
                let key = |r: usize| -> Option<u64> {
                    match self.frame.column(&cols[0]).ok()? {
                        Column::Numeric(v) => (!v[r].is_nan()).then(|| v[r].to_bits()),
                        Column::Categorical(c) => c.codes[r].map(u64::from),
                    }
                };
                let mut groups = Vec::with_capacity(self.rows.len());
                for &r in &self.rows {
                    let next = ids.len();
                    groups.push(*ids.entry(key(r)?).or_insert(next));
                }
                let mut order: Vec<usize> = (0..groups.len()).collect();
                order.sort_by_key(|&i| groups[i]);
                let mut starts: Vec<usize> = (0..order.len())
                    .filter(|&p| p == 0 || groups[order[p]] != groups[order[p - 1]])
                    .collect();
                starts.push(order.len());
                Some(NaiveVariance::Cluster { order, starts })
            }
            _ => None,
        }
    }

    /// Coefficients and squared standard errors of the full-sample-weighted LPM for a DSI per
    /// person, on the fixed design: the same estimates and naive variance as `egov_econ::lpm` on
    /// a frame with this DSI column, without rebuilding the model matrix.
    pub(crate) fn fit_with_variance(
        &self,
        dsi: &[Option<f64>],
        variance: &NaiveVariance,
        scratch: &mut Scratch,
    ) -> Result<(Vec<f64>, Vec<f64>), String> {
        let DsiColumns::Linear(sparse) = &self.dsi_columns else {
            return Err("the design is not linear in the DSI".into());
        };
        let k = self.k;
        let m = self.rows.len();
        // Design values of every estimation row, in the sparse layout.
        let values = &mut scratch.row;
        values.clear();
        for (i, &row) in self.rows.iter().enumerate() {
            let d = dsi[row].ok_or("a regression row has no skill score")?;
            let range = sparse.offset[i]..sparse.offset[i + 1];
            values.extend(
                sparse.base[range.clone()]
                    .iter()
                    .zip(&sparse.slope[range])
                    .map(|(b, s)| b + d * s),
            );
        }
        let row = |i: usize| {
            let range = sparse.offset[i]..sparse.offset[i + 1];
            (&sparse.column[range.clone()], &values[range])
        };
        // Upper triangle of Σ f_i x_i x_i'.
        let weighted_gram = |factor: &[f64], out: &mut Vec<f64>| {
            out.clear();
            out.resize(k * k, 0.0);
            for (i, f) in factor.iter().enumerate() {
                let (cols, vals) = row(i);
                for (p, (&a, &va)) in cols.iter().zip(vals).enumerate() {
                    let fa = f * va;
                    let g = &mut out[a * k..(a + 1) * k];
                    for (&b, &vb) in cols[p..].iter().zip(&vals[p..]) {
                        g[b] += fa * vb;
                    }
                }
            }
        };
        let w: Vec<f64> = self.rows.iter().map(|&r| self.base_weights[r]).collect();
        weighted_gram(&w, &mut scratch.gram);
        scratch.xty.clear();
        scratch.xty.resize(k, 0.0);
        for (i, (wi, yi)) in w.iter().zip(&self.y).enumerate() {
            let (cols, vals) = row(i);
            for (&a, &va) in cols.iter().zip(vals) {
                scratch.xty[a] += wi * yi * va;
            }
        }
        let (beta, bread) = solve_with_inverse(&scratch.gram, &scratch.xty, k)?;
        let resid: Vec<f64> = (0..m)
            .map(|i| {
                let (cols, vals) = row(i);
                self.y[i]
                    - cols
                        .iter()
                        .zip(vals)
                        .map(|(&a, v)| v * beta[a])
                        .sum::<f64>()
            })
            .collect();
        let (nf, kf) = (m as f64, k as f64);
        let sandwich = |meat: &DMatrix<f64>, factor: f64| &bread * meat * &bread * factor;
        let upper_to_full = |upper: &[f64]| {
            DMatrix::from_fn(k, k, |a, b| {
                let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                upper[lo * k + hi]
            })
        };
        let vcov = match variance {
            NaiveVariance::Iid => {
                let ssr: f64 = (0..m).map(|i| w[i] * resid[i] * resid[i]).sum();
                &bread * (ssr / (nf - kf))
            }
            NaiveVariance::Hc0 | NaiveVariance::Hc1 => {
                let squared_scores: Vec<f64> = (0..m).map(|i| (w[i] * resid[i]).powi(2)).collect();
                let mut meat = Vec::new();
                weighted_gram(&squared_scores, &mut meat);
                let factor = match variance {
                    NaiveVariance::Hc1 => nf / (nf - kf),
                    _ => 1.0,
                };
                sandwich(&upper_to_full(&meat), factor)
            }
            NaiveVariance::Cluster { order, starts } => {
                // Σ_g u_g u_g' with u_g the cluster's score sum, over the columns the cluster
                // touches only (a household's rows share most of their dummies).
                let mut meat = vec![0.0; k * k];
                let mut sum = vec![0.0; k];
                let mut touched = vec![false; k];
                let mut support = Vec::with_capacity(k);
                for bounds in starts.windows(2) {
                    for &i in &order[bounds[0]..bounds[1]] {
                        let s = w[i] * resid[i];
                        let (cols, vals) = row(i);
                        for (&a, &va) in cols.iter().zip(vals) {
                            if !touched[a] {
                                touched[a] = true;
                                support.push(a);
                            }
                            sum[a] += s * va;
                        }
                    }
                    support.sort_unstable();
                    for (p, &a) in support.iter().enumerate() {
                        let ua = sum[a];
                        let out = &mut meat[a * k..(a + 1) * k];
                        for &b in &support[p..] {
                            out[b] += ua * sum[b];
                        }
                    }
                    for &a in &support {
                        sum[a] = 0.0;
                        touched[a] = false;
                    }
                    support.clear();
                }
                let g = (starts.len() - 1) as f64;
                sandwich(
                    &upper_to_full(&meat),
                    g / (g - 1.0) * (nf - 1.0) / (nf - kf),
                )
            }
        };
        Ok((beta, (0..k).map(|j| vcov[(j, j)]).collect()))
    }
}

/// Solve (X'WX) b = X'Wy from the upper triangle like [`solve_normal_equations`], and also
/// return (X'WX)⁻¹.
fn solve_with_inverse(
    upper: &[f64],
    xty: &[f64],
    k: usize,
) -> Result<(Vec<f64>, DMatrix<f64>), String> {
    let scale: Vec<f64> = (0..k).map(|j| upper[j * k + j].sqrt()).collect();
    if scale.iter().any(|s| s.is_nan() || *s <= 0.0) {
        return Err("a regressor is zero in every row".into());
    }
    let g = DMatrix::from_fn(k, k, |a, b| {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        upper[lo * k + hi] / (scale[a] * scale[b])
    });
    let chol = Cholesky::new(g).ok_or("the design matrix is singular")?;
    let l = chol.l_dirty();
    if (0..k).any(|j| l[(j, j)] * l[(j, j)] < PIVOT_TOL) {
        return Err("the design matrix is (nearly) collinear".into());
    }
    let rhs = DVector::from_iterator(k, (0..k).map(|j| xty[j] / scale[j]));
    let b = chol.solve(&rhs);
    let inv = chol.inverse();
    Ok((
        (0..k).map(|j| b[j] / scale[j]).collect(),
        DMatrix::from_fn(k, k, |a, b| inv[(a, b)] / (scale[a] * scale[b])),
    ))
}

/// Reusable buffers of the replicate least-squares solve.
#[derive(Default)]
pub(crate) struct Scratch {
    row: Vec<f64>,
    gram: Vec<f64>,
    xty: Vec<f64>,
}

impl Scratch {
    fn reset(&mut self, k: usize) {
        self.gram.clear();
        self.gram.resize(k * k, 0.0);
        self.xty.clear();
        self.xty.resize(k, 0.0);
    }
}

/// Solve (X'WX) b = X'Wy from the upper triangle, scaled to unit diagonal for stability.
fn solve_normal_equations(upper: &[f64], xty: &[f64], k: usize) -> Result<Vec<f64>, String> {
    let scale: Vec<f64> = (0..k).map(|j| upper[j * k + j].sqrt()).collect();
    if scale.iter().any(|s| s.is_nan() || *s <= 0.0) {
        return Err("a regressor is zero in every resampled row".into());
    }
    let g = DMatrix::from_fn(k, k, |a, b| {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        upper[lo * k + hi] / (scale[a] * scale[b])
    });
    let chol = Cholesky::new(g).ok_or("the resampled design matrix is singular")?;
    let l = chol.l_dirty();
    if (0..k).any(|j| l[(j, j)] * l[(j, j)] < PIVOT_TOL) {
        return Err("the resampled design matrix is (nearly) collinear".into());
    }
    let rhs = DVector::from_iterator(k, (0..k).map(|j| xty[j] / scale[j]));
    let b = chol.solve(&rhs);
    Ok((0..k).map(|j| b[j] / scale[j]).collect())
}

/// Rows `rows` (frame indices) and columns `terms` of a model matrix.
fn select(
    mm: &egov_econ::ModelMatrix,
    rows: &[usize],
    terms: &[String],
) -> Result<(DMatrix<f64>, Vec<f64>), TwoStepError> {
    let cols: Vec<usize> = terms
        .iter()
        .map(|t| {
            mm.terms.iter().position(|m| m == t).ok_or_else(|| {
                TwoStepError::Design(format!("term `{t}` is not in the model matrix"))
            })
        })
        .collect::<Result<_, _>>()?;
    let mut position = std::collections::HashMap::with_capacity(mm.rows.len());
    for (i, &r) in mm.rows.iter().enumerate() {
        position.insert(r, i);
    }
    let idx: Vec<usize> = rows
        .iter()
        .map(|r| {
            position.get(r).copied().ok_or_else(|| {
                TwoStepError::Design(format!(
                    "estimation row {r} of the regression is not in the model matrix"
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let x = DMatrix::from_fn(idx.len(), cols.len(), |i, j| mm.x[(idx[i], cols[j])]);
    let y = idx.iter().map(|&i| mm.y[i]).collect();
    Ok((x, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{FULL_FORMULA, Simulated, SimulationSpec, simulate};

    fn assert_close(a: &[f64], b: &[f64], tol: f64) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() <= tol * (1.0 + y.abs()), "{x} vs {y}");
        }
    }

    fn simulated(persons: usize) -> Simulated {
        simulate(&SimulationSpec {
            persons,
            ..SimulationSpec::default()
        })
    }

    fn prepared<'a>(data: &'a TwoStepData<'a>) -> Prepared<'a> {
        Prepared::new(data, &FitOptions::default(), 0.95).unwrap()
    }

    /// Base weights times a whole-number multiplier per household, as a bootstrap draw gives.
    fn household_replicate_weights(
        sim: &Simulated,
        p: &Prepared,
        multiplier: impl Fn(u32) -> u32,
    ) -> Vec<f64> {
        sim.households
            .iter()
            .zip(&p.base_weights)
            .map(|(h, b)| b * f64::from(multiplier(*h)))
            .collect()
    }

    /// The fast path at the full-sample DSI and weights gives the naive regression's coefficients.
    fn assert_full_sample_fast_path_matches_naive(p: &Prepared) {
        let mut scratch = Scratch::default();
        let beta = p
            .coefficients(&p.dsi, &p.base_weights, &mut scratch)
            .unwrap();
        let naive: Vec<f64> = p.naive.coefficients.iter().map(|c| c.estimate).collect();
        assert_close(&beta, &naive, 1e-9);
    }

    #[test]
    fn fast_path_reproduces_the_full_sample_regression() {
        let sim = simulated(1500);
        let formula = format!("{FULL_FORMULA} + dsi:female");
        let data = sim.data(&formula);
        let p = prepared(&data);
        assert!(p.linear_in_dsi());
        assert_full_sample_fast_path_matches_naive(&p);
    }

    #[test]
    fn fast_path_matches_econ_under_replicate_weights() {
        let sim = simulated(1500);
        let data = sim.data(FULL_FORMULA);
        let p = prepared(&data);
        // Household multipliers 0..=3, as a bootstrap draw would give.
        let w = household_replicate_weights(&sim, &p, |h| (h * 7 + 3) % 4);
        let per_pattern = p
            .rescore(&w, &p.warm_start(&FitOptions::default(), 1e-6), true)
            .unwrap();
        let dsi = p.person_dsi(&per_pattern);
        let mut scratch = Scratch::default();
        let fast = p.coefficients(&dsi, &w, &mut scratch).unwrap();
        let mut f = with_column(&p.frame, DSI, dsi_column(&dsi));
        f.set(WEIGHT_COLUMN, Column::Numeric(w)).unwrap();
        let reference =
            egov_econ::regress(FULL_FORMULA, &f, &naive_options(&Vcov::Iid, 0.95)).unwrap();
        let slow: Vec<f64> = reference.coefficients.iter().map(|c| c.estimate).collect();
        assert_close(&fast, &slow, 1e-9);
    }

    #[test]
    fn fixed_design_variance_matches_econ() {
        let sim = simulated(1500);
        for vcov in [
            Vcov::Iid,
            Vcov::Hc0,
            Vcov::Hc1,
            Vcov::Cluster(vec!["household".into()]),
        ] {
            let mut data = sim.data(FULL_FORMULA);
            data.naive_vcov = vcov.clone();
            let p = prepared(&data);
            let variance = p.naive_variance().expect("supported variance");
            // A DSI other than the one the design was built with, as a plausible value is.
            let dsi: Vec<Option<f64>> = p
                .dsi
                .iter()
                .enumerate()
                .map(|(i, d)| d.map(|d| 0.8 * d + 0.3 * ((i % 7) as f64 - 3.0) / 3.0))
                .collect();
            let (beta, var) = p
                .fit_with_variance(&dsi, &variance, &mut Scratch::default())
                .unwrap();
            let f = with_column(&p.frame, DSI, dsi_column(&dsi));
            let reference = lpm(FULL_FORMULA, &f, &naive_options(&vcov, 0.95)).unwrap();
            let est: Vec<f64> = reference.coefficients.iter().map(|c| c.estimate).collect();
            let se2: Vec<f64> = reference
                .coefficients
                .iter()
                .map(|c| c.std_error * c.std_error)
                .collect();
            assert_close(&beta, &est, 1e-9);
            for (a, b) in var.iter().zip(&se2) {
                assert!((a - b).abs() <= 1e-9 * b, "{vcov:?}: variance {a} vs {b}");
            }
        }
    }

    #[test]
    fn dropping_zero_weight_patterns_changes_nothing() {
        let sim = simulated(1500);
        let data = sim.data("y ~ dsi");
        let p = prepared(&data);
        let w = household_replicate_weights(&sim, &p, |h| (h * 5 + 1) % 3);
        let opts = p.warm_start(&FitOptions::default(), 1e-6);
        let fast = p.rescore(&w, &opts, true).unwrap();
        // Reference: every pattern kept, zero weights included.
        let pw = p.patterns.pattern_weights(&p.person_pattern, Some(&w));
        assert!(pw.contains(&0.0), "the draw should leave some pattern out");
        let fit = fit_patterns(&p.patterns, &pw, data.item_names, &opts).unwrap();
        let theta: Vec<f64> = eap_patterns(&fit.items, &p.patterns, &p.quad)
            .unwrap()
            .iter()
            .map(|s| s.theta)
            .collect();
        let (mean, sd) = pattern_moments(&theta, &pw).unwrap();
        for (k, (f, t)) in fast.iter().zip(&theta).enumerate() {
            if pw[k] > 0.0 {
                assert!(
                    (f - (t - mean) / sd).abs() < 1e-10,
                    "pattern {k}: {f} vs {}",
                    (t - mean) / sd
                );
            } else {
                assert!(f.is_nan());
            }
        }
    }

    #[test]
    fn non_linear_dsi_terms_are_rebuilt_from_the_formula() {
        let sim = simulated(800);
        let data = sim.data("y ~ dsi + I(dsi^2) + urban");
        let p = prepared(&data);
        assert!(!p.linear_in_dsi());
        assert_full_sample_fast_path_matches_naive(&p);
    }

    #[test]
    fn standardised_dsi_has_weighted_mean_zero_and_sd_one() {
        let sim = simulated(800);
        let data = sim.data("y ~ dsi");
        let p = prepared(&data);
        let (mut sw, mut s1, mut s2) = (0.0, 0.0, 0.0);
        for (d, w) in p.dsi.iter().zip(&sim.weights) {
            if let Some(d) = d {
                sw += w;
                s1 += w * d;
                s2 += w * d * d;
            }
        }
        assert!((s1 / sw).abs() < 1e-12);
        assert!((s2 / sw - 1.0).abs() < 1e-12);
        // Persons who answered no item have no DSI and are counted as dropped rows.
        let silent = p.dsi.iter().filter(|d| d.is_none()).count();
        assert!(silent > 0);
        assert_eq!(p.naive.dropped_rows, silent);
    }
}
