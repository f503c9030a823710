//! Logit and probit by maximum likelihood, with average marginal effects and delta-method
//! standard errors computed from the model's (robust, clustered or design) variance.

use crate::EconError;
use crate::formula::{ColumnSpec, DroppedRows, Factor, Override, build, spec_value};
use crate::frame::{Column, Frame};
use crate::inference::{Coefficient, DfRule, coefficient_table};
use crate::linalg::{ScaledCholesky, SparseRows, independent_columns, select_columns};
use crate::regression::{
    EstimateOptions, Vcov, check_binary, cluster_vcov, survey_vcov, vcov_columns,
};
use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use statrs::distribution::{Continuous, ContinuousCDF, Normal};

/// Link function of a binary-choice model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Link {
    /// Logistic CDF.
    Logit,
    /// Standard normal CDF.
    Probit,
}

impl Link {
    /// P(y = 1 | η).
    fn cdf(self, eta: f64) -> f64 {
        match self {
            Link::Logit => 1.0 / (1.0 + (-eta).exp()),
            Link::Probit => Normal::standard().cdf(eta),
        }
    }
    /// dP/dη.
    fn pdf(self, eta: f64) -> f64 {
        match self {
            Link::Logit => {
                let p = self.cdf(eta);
                p * (1.0 - p)
            }
            Link::Probit => Normal::standard().pdf(eta),
        }
    }
    /// d²P/dη².
    fn pdf_derivative(self, eta: f64) -> f64 {
        match self {
            Link::Logit => {
                let p = self.cdf(eta);
                p * (1.0 - p) * (1.0 - 2.0 * p)
            }
            Link::Probit => -eta * Normal::standard().pdf(eta),
        }
    }
    /// (P, dP/dη): the same values as `cdf` and `pdf`, with the logistic CDF evaluated once.
    fn cdf_and_pdf(self, eta: f64) -> (f64, f64) {
        match self {
            Link::Logit => {
                let p = self.cdf(eta);
                (p, p * (1.0 - p))
            }
            Link::Probit => (self.cdf(eta), self.pdf(eta)),
        }
    }
    /// (dP/dη, d²P/dη²): the same values as `pdf` and `pdf_derivative`.
    fn density_terms(self, eta: f64) -> (f64, f64) {
        match self {
            Link::Logit => {
                let p = self.cdf(eta);
                (p * (1.0 - p), p * (1.0 - p) * (1.0 - 2.0 * p))
            }
            Link::Probit => (self.pdf(eta), self.pdf_derivative(eta)),
        }
    }
    /// log-likelihood contribution, score factor g (∂ℓ/∂η) and minus the second derivative h.
    fn contributions(self, y: f64, eta: f64) -> (f64, f64, f64) {
        match self {
            Link::Logit => {
                let p = self.cdf(eta);
                // log(1 + e^η) computed without overflow.
                let log1pexp = if eta > 0.0 {
                    eta + (-eta).exp().ln_1p()
                } else {
                    eta.exp().ln_1p()
                };
                (y * eta - log1pexp, y - p, p * (1.0 - p))
            }
            Link::Probit => {
                let n = Normal::standard();
                let q = 2.0 * y - 1.0;
                let z = q * eta;
                let cdf = n.cdf(z);
                // Inverse Mills ratio, with its asymptotic form deep in the lower tail.
                let lambda = if z < -30.0 { -z } else { n.pdf(z) / cdf };
                let ll = if z < -30.0 {
                    -0.5 * z * z - (-z).ln() - 0.5 * (2.0 * std::f64::consts::PI).ln()
                } else {
                    cdf.ln()
                };
                (ll, q * lambda, lambda * (lambda + z))
            }
        }
    }
}

/// A fitted logit or probit model with average marginal effects.
#[derive(Debug, Clone, Serialize)]
pub struct BinaryChoice {
    /// `logit` or `probit`.
    pub model: Link,
    /// Estimation rows.
    pub n: usize,
    /// Estimated coefficients.
    pub k: usize,
    /// Variance estimator label.
    pub vcov: String,
    /// Clusters per dimension, or PSUs.
    pub n_clusters: Option<Vec<usize>>,
    /// Rows removed before estimation.
    pub dropped_rows: usize,
    /// Why rows were removed.
    pub dropped_detail: DroppedRows,
    /// (Weighted) log likelihood at the estimate.
    pub log_likelihood: f64,
    /// Log likelihood of the intercept-only model.
    pub log_likelihood_null: f64,
    /// McFadden's pseudo R² = 1 − ℓ/ℓ₀.
    pub pseudo_r2: f64,
    /// Newton iterations used.
    pub iterations: usize,
    /// Index coefficients (z statistics).
    pub coefficients: Vec<Coefficient>,
    /// Average marginal effects: derivative for numeric variables, discrete change from the
    /// reference level for each level of a categorical variable (Stata `margins, dydx(*)`).
    pub ame: Vec<Coefficient>,
    /// Warnings (collinear terms, few clusters).
    pub warnings: Vec<String>,
    /// Terms dropped for perfect collinearity.
    pub collinear_terms: Vec<String>,
    /// Formula as given.
    pub formula: String,
    /// Weight column, if any.
    pub weights: Option<String>,
    /// Outcome column.
    pub outcome: String,
    /// Reference level of each categorical variable.
    pub reference_levels: Vec<(String, String)>,
    /// Confidence level of the intervals.
    pub conf_level: f64,
    #[serde(skip)]
    vcov_matrix: DMatrix<f64>,
    #[serde(skip)]
    ame_vcov_matrix: DMatrix<f64>,
}

impl BinaryChoice {
    /// Variance matrix of the index coefficients.
    pub fn vcov_matrix(&self) -> &DMatrix<f64> {
        &self.vcov_matrix
    }
    /// Delta-method variance matrix of the average marginal effects.
    pub fn ame_vcov_matrix(&self) -> &DMatrix<f64> {
        &self.ame_vcov_matrix
    }
    /// The index coefficient called `term`.
    pub fn coefficient(&self, term: &str) -> Option<&Coefficient> {
        self.coefficients.iter().find(|c| c.term == term)
    }
    /// The average marginal effect called `term`.
    pub fn marginal_effect(&self, term: &str) -> Option<&Coefficient> {
        self.ame.iter().find(|c| c.term == term)
    }
    /// Wald test on the index coefficients (χ² form; F = χ²/q reported with the normal).
    pub fn wald(&self, restrictions: &str) -> Result<crate::inference::WaldTest, EconError> {
        crate::inference::wald(
            &self.coefficients,
            &self.vcov_matrix,
            restrictions,
            f64::INFINITY,
            false,
        )
    }
    /// JSON of the whole result.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

const MAX_ITER: usize = 100;

fn fit_binary(
    formula: &str,
    data: &Frame,
    opts: &EstimateOptions,
    link: Link,
) -> Result<BinaryChoice, EconError> {
    if !(opts.conf_level > 0.0 && opts.conf_level < 1.0) {
        return Err(EconError::InvalidArgument {
            name: "conf_level".into(),
            reason: format!("{} is not in (0, 1)", opts.conf_level),
        });
    }
    if matches!(opts.vcov, Vcov::Hc2 | Vcov::Hc3) {
        return Err(EconError::InvalidArgument {
            name: "vcov".into(),
            reason:
                "HC2/HC3 are defined for least squares only; use iid, hc0, hc1, cluster or survey"
                    .into(),
        });
    }
    let mm = build(
        formula,
        data,
        true,
        opts.weights.as_deref(),
        &vcov_columns(&opts.vcov),
    )?;
    check_binary(&mm, data)?;
    let n = mm.y.len();
    let w: Vec<f64> = mm.weights.clone().unwrap_or_else(|| vec![1.0; n]);
    let sp_all = SparseRows::from_dense(&mm.x);
    let kept = independent_columns(&sp_all.gram(Some(&w)));
    let collinear_terms: Vec<String> = (0..mm.terms.len())
        .filter(|j| !kept.contains(j))
        .map(|j| mm.terms[j].clone())
        .collect();
    let mut warnings = Vec::new();
    if !collinear_terms.is_empty() {
        warnings.push(format!(
            "dropped for perfect collinearity: {}",
            collinear_terms.join(", ")
        ));
    }
    let k = kept.len();
    if n <= k || k == 0 {
        return Err(EconError::TooFewObservations {
            n,
            k,
            dropped: mm.dropped.total,
        });
    }
    let x = select_columns(&mm.x, &kept);
    let sp = if k == mm.x.ncols() {
        sp_all
    } else {
        sp_all.select_columns(&kept)
    };
    let specs: Vec<ColumnSpec> = kept.iter().map(|&j| mm.specs[j].clone()).collect();
    let terms: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();

    // Newton–Raphson from β = 0.
    let mut beta = DVector::<f64>::zeros(k);
    let loglik = |beta: &DVector<f64>| -> (f64, Vec<f64>, Vec<f64>) {
        let eta = sp.mul_vec(beta);
        let mut ll = 0.0;
        let mut g = vec![0.0; n];
        let mut h = vec![0.0; n];
        for i in 0..n {
            let (l, gi, hi) = link.contributions(mm.y[i], eta[i]);
            ll += w[i] * l;
            g[i] = w[i] * gi;
            h[i] = w[i] * hi;
        }
        (ll, g, h)
    };
    let (mut ll, mut g, mut h) = loglik(&beta);
    let mut iterations = 0;
    let mut converged = false;
    let mut last_change = f64::INFINITY;
    while iterations < MAX_ITER {
        iterations += 1;
        let grad = sp.tr_mul_vec(&g);
        let info = sp.gram(Some(&h));
        let chol = ScaledCholesky::new(&info).map_err(|_| EconError::NoConvergence {
            model: format!("{link:?}"),
            iterations,
            change: last_change,
            hint: "the information matrix became singular; check for perfect prediction (a regressor or category where the outcome is all 0 or all 1)".into(),
        })?;
        let mut step = chol.solve(&grad);
        // Step halving keeps the likelihood increasing.
        let mut accepted = false;
        for _ in 0..40 {
            let trial = &beta + &step;
            let (ll_t, g_t, h_t) = loglik(&trial);
            if ll_t.is_finite() && ll_t >= ll - 1e-12 * ll.abs() {
                last_change = step.amax();
                beta = trial;
                let gain = ll_t - ll;
                ll = ll_t;
                g = g_t;
                h = h_t;
                accepted = true;
                if last_change < 1e-10 * (1.0 + beta.amax())
                    || gain.abs() < 1e-14 * (1.0 + ll.abs()) && last_change < 1e-6
                {
                    converged = true;
                }
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            // No ascent direction left: at the optimum up to rounding.
            converged = true;
        }
        if converged {
            break;
        }
    }
    if !converged || beta.amax() > 50.0 {
        return Err(EconError::NoConvergence {
            model: format!("{link:?}"),
            iterations,
            change: last_change,
            hint: "coefficients diverge, which signals perfect or quasi-perfect prediction; drop or merge the categories where the outcome does not vary".into(),
        });
    }
    // Variance.
    let info = sp.gram(Some(&h));
    let bread = ScaledCholesky::new(&info)?.inverse();
    let g2: Vec<f64> = g.iter().map(|v| v * v).collect();
    let score_sums = |groups: &[u32], n_groups: usize| sp.group_sums(&g, groups, n_groups);
    let cluster_meat = |groups: &[u32], n_groups: usize| sp.clustered_meat(&g, groups, n_groups);
    let nf = n as f64;
    let (vcov, n_clusters) = match &opts.vcov {
        Vcov::Iid => (bread.clone(), None),
        Vcov::Hc0 => (&bread * sp.gram(Some(&g2)) * &bread, None),
        Vcov::Hc1 => (
            &bread * sp.gram(Some(&g2)) * &bread * (nf / (nf - 1.0)),
            None,
        ),
        Vcov::Cluster(cols) => {
            let r = cluster_vcov(&bread, &cluster_meat, data, cols, &mm.rows, 1.0)?;
            warnings.extend(r.warnings);
            (r.vcov, r.n_clusters)
        }
        Vcov::Survey { psu, strata } => {
            let r = survey_vcov(
                &bread,
                &score_sums,
                data,
                psu,
                strata.as_deref(),
                &mm.rows,
                k,
            )?;
            (r.vcov, r.n_clusters)
        }
        Vcov::Hc2 | Vcov::Hc3 => unreachable!("rejected above"),
    };
    let rule = DfRule {
        df: f64::INFINITY,
        t: false,
    };
    let est: Vec<f64> = beta.iter().copied().collect();
    let coefficients = coefficient_table(&terms, &est, &vcov, rule, opts.conf_level);

    // Null model: intercept only (closed form for the weighted share).
    let sum_w: f64 = w.iter().sum();
    let ybar = w.iter().zip(&mm.y).map(|(a, b)| a * b).sum::<f64>() / sum_w;
    let log_likelihood_null = if mm.intercept && ybar > 0.0 && ybar < 1.0 {
        sum_w * (ybar * ybar.ln() + (1.0 - ybar) * (1.0 - ybar).ln())
    } else {
        f64::NAN
    };

    // Average marginal effects.
    let (ame_terms, ame_est, jac) = average_marginal_effects(
        &x,
        &sp,
        &specs,
        &beta,
        &w,
        data,
        &mm.rows,
        &mm.reference_levels,
        link,
    );
    let ame_vcov = &jac * &vcov * jac.transpose();
    let ame = coefficient_table(&ame_terms, &ame_est, &ame_vcov, rule, opts.conf_level);

    Ok(BinaryChoice {
        model: link,
        n,
        k,
        vcov: opts.vcov.label(),
        n_clusters,
        dropped_rows: mm.dropped.total,
        dropped_detail: mm.dropped.clone(),
        log_likelihood: ll,
        log_likelihood_null,
        pseudo_r2: 1.0 - ll / log_likelihood_null,
        iterations,
        coefficients,
        ame,
        warnings,
        collinear_terms,
        formula: formula.to_string(),
        weights: opts.weights.clone(),
        outcome: mm.outcome.clone(),
        reference_levels: mm.reference_levels.clone(),
        conf_level: opts.conf_level,
        vcov_matrix: vcov,
        ame_vcov_matrix: ame_vcov,
    })
}

/// One factor of a model-matrix column with its frame column looked up once, so that per-row
/// values need no name lookups or string comparisons.
#[derive(Clone, Copy)]
enum ResolvedFactor<'a> {
    /// Numeric column (`None` when the frame has no numeric column of that name: NaN).
    Num {
        values: Option<&'a [f64]>,
        power: i32,
        of_var: bool,
    },
    /// Indicator of a categorical level; `of_var` marks the variable being set (its code is
    /// replaced by the counterfactual level).
    Level {
        codes: Option<&'a [Option<u32>]>,
        level: u32,
        of_var: bool,
    },
}

fn resolve_factors<'a>(spec: &ColumnSpec, var: &str, data: &'a Frame) -> Vec<ResolvedFactor<'a>> {
    spec.factors
        .iter()
        .map(|f| match f {
            Factor::Num { col, power } => ResolvedFactor::Num {
                values: match data.column(col) {
                    Ok(Column::Numeric(v)) => Some(v.as_slice()),
                    _ => None,
                },
                power: *power,
                of_var: col == var,
            },
            Factor::Level { col, level } => ResolvedFactor::Level {
                codes: match data.column(col) {
                    Ok(Column::Categorical(c)) => Some(c.codes.as_slice()),
                    _ => None,
                },
                level: *level,
                of_var: col == var,
            },
        })
        .collect()
}

/// Value of one factor on its own at `row` (as `spec_value` of a one-factor column).
fn factor_value(f: &ResolvedFactor, row: usize) -> f64 {
    match *f {
        ResolvedFactor::Num { values, power, .. } => {
            1.0 * values.map_or(f64::NAN, |v| v[row]).powi(power)
        }
        ResolvedFactor::Level { codes, level, .. } => {
            if codes.and_then(|c| c[row]) == Some(level) {
                1.0
            } else {
                0.0
            }
        }
    }
}

/// Column value at `row` with the categorical variable set to `level` (the same operations, in
/// the same order, as `spec_value` with `Override::SetLevel`).
fn counterfactual_value(factors: &[ResolvedFactor], row: usize, level: u32) -> f64 {
    let mut v = 1.0;
    for f in factors {
        match *f {
            ResolvedFactor::Num { values, power, .. } => {
                v *= values.map_or(f64::NAN, |x| x[row]).powi(power);
            }
            ResolvedFactor::Level {
                codes,
                level: wanted,
                of_var,
            } => {
                let code = if of_var {
                    Some(level)
                } else {
                    codes.and_then(|c| c[row])
                };
                if code != Some(wanted) {
                    return 0.0;
                }
            }
        }
    }
    v
}

/// ∂x_j/∂v at `row` for a column whose factors were resolved for the numeric variable v.
fn column_derivative(factors: &[ResolvedFactor], row: usize) -> f64 {
    let mut total = 0.0;
    for (a, f) in factors.iter().enumerate() {
        if let ResolvedFactor::Num {
            values,
            power,
            of_var: true,
        } = *f
        {
            let x = values.map_or(f64::NAN, |v| v[row]);
            let mut d = power as f64 * x.powi(power - 1);
            for (b, other) in factors.iter().enumerate() {
                if a != b {
                    d *= factor_value(other, row);
                }
            }
            total += d;
        }
    }
    total
}

fn involves(spec: &ColumnSpec, var: &str) -> bool {
    spec.factors.iter().any(|f| match f {
        Factor::Num { col, .. } | Factor::Level { col, .. } => col == var,
    })
}

/// Σ_j x_j β_j over the union of a row's unchanged non-zeros `base` and its counterfactual
/// non-zeros `changed` (disjoint columns), added in ascending column order: the same sum, term
/// for term, as the dense product (zero terms add nothing). `prefix[p]` holds the running sum
/// of the first p terms of `base`, so only the terms from the first changed column on are added.
fn merged_dot(
    base: &[(usize, f64)],
    prefix: &[f64],
    changed: &[(usize, f64)],
    beta: &[f64],
) -> f64 {
    let Some(&(first, _)) = changed.first() else {
        return prefix[base.len()];
    };
    // Scanned from the end: the changed columns usually come late in the row.
    let mut p = base.len();
    while p > 0 && base[p - 1].0 > first {
        p -= 1;
    }
    let mut sum = prefix[p];
    for &(jc, vc) in changed {
        while let Some(&(j, v)) = base.get(p)
            && j < jc
        {
            sum += v * beta[j];
            p += 1;
        }
        sum += vc * beta[jc];
    }
    for &(j, v) in &base[p..] {
        sum += v * beta[j];
    }
    sum
}

/// Counterfactual values of a categorical variable's columns for one level: columns made of the
/// variable's own indicators only are constant; the others (interactions with other variables)
/// are evaluated per row.
struct LevelColumns {
    level: u32,
    /// Non-zero constant columns, ascending.
    constant: Vec<(usize, f64)>,
}

/// AMEs and their Jacobian with respect to β.
///
/// Every sum is accumulated in the same order, with the same operations, as the textbook
/// row-by-row evaluation over all k columns; the speed comes from visiting only non-zero
/// entries (`SparseRows`), evaluating the reference counterfactual once per row for all levels,
/// resolving frame columns once, and computing each link density once per row.
#[allow(clippy::too_many_arguments)]
fn average_marginal_effects(
    x: &DMatrix<f64>,
    sp: &SparseRows,
    specs: &[ColumnSpec],
    beta: &DVector<f64>,
    w: &[f64],
    data: &Frame,
    rows: &[usize],
    reference_levels: &[(String, String)],
    link: Link,
) -> (Vec<String>, Vec<f64>, DMatrix<f64>) {
    let n = rows.len();
    let k = specs.len();
    let sum_w: f64 = w.iter().sum();
    let eta = x * beta;
    let b = beta.as_slice();
    // Variables in first-appearance order.
    let mut vars: Vec<String> = Vec::new();
    for s in specs {
        for f in &s.factors {
            let c = match f {
                Factor::Num { col, .. } | Factor::Level { col, .. } => col,
            };
            if !vars.contains(c) {
                vars.push(c.clone());
            }
        }
    }
    // Density and its derivative at the fitted index, shared by every numeric variable.
    let mut density = Vec::new();
    let mut density_slope = Vec::new();
    let mut names = Vec::new();
    let mut est = Vec::new();
    let mut jac_rows: Vec<Vec<f64>> = Vec::new();
    for var in &vars {
        let involved: Vec<usize> = (0..k).filter(|&j| involves(&specs[j], var)).collect();
        let mut is_involved = vec![false; k];
        for &j in &involved {
            is_involved[j] = true;
        }
        let resolved: Vec<Vec<ResolvedFactor>> = involved
            .iter()
            .map(|&j| resolve_factors(&specs[j], var, data))
            .collect();
        match data.column(var) {
            Ok(Column::Numeric(_)) => {
                if density.is_empty() {
                    (density, density_slope) = eta.iter().map(|&e| link.density_terms(e)).unzip();
                }
                let mut ame = 0.0;
                let mut grad = vec![0.0; k];
                let mut dx = vec![0.0; involved.len()];
                for i in 0..n {
                    let row = rows[i];
                    let mut deta = 0.0;
                    for (a, &j) in involved.iter().enumerate() {
                        dx[a] = column_derivative(&resolved[a], row);
                        deta += beta[j] * dx[a];
                    }
                    let f = density[i];
                    let fp = density_slope[i];
                    let wi = w[i] / sum_w;
                    ame += wi * f * deta;
                    let (cols, vals) = sp.row(i);
                    for (&c, &xij) in cols.iter().zip(vals) {
                        grad[c as usize] += wi * fp * deta * xij;
                    }
                    for (a, &j) in involved.iter().enumerate() {
                        grad[j] += wi * f * dx[a];
                    }
                }
                names.push(var.clone());
                est.push(ame);
                jac_rows.push(grad);
            }
            Ok(Column::Categorical(c)) => {
                let reference = reference_levels
                    .iter()
                    .find(|(n, _)| n == var)
                    .and_then(|(_, l)| c.levels.iter().position(|x| x == l))
                    .unwrap_or(c.reference) as u32;
                let varying: Vec<usize> = (0..involved.len())
                    .filter(|&a| {
                        resolved[a]
                            .iter()
                            .any(|f| !matches!(f, ResolvedFactor::Level { of_var: true, .. }))
                    })
                    .collect();
                let first_row = rows.first().copied().unwrap_or(0);
                let level_columns = |level: u32| LevelColumns {
                    level,
                    constant: (0..involved.len())
                        .filter(|a| !varying.contains(a))
                        .map(|a| {
                            (
                                involved[a],
                                counterfactual_value(&resolved[a], first_row, level),
                            )
                        })
                        .filter(|&(_, v)| v != 0.0)
                        .collect(),
                };
                if cfg!(debug_assertions) {
                    // The resolved evaluation must agree with the formula's own.
                    for &row in rows.iter().take(64) {
                        for level in 0..c.levels.len() as u32 {
                            for (a, &j) in involved.iter().enumerate() {
                                let ours = counterfactual_value(&resolved[a], row, level);
                                let theirs = spec_value(
                                    &specs[j],
                                    data,
                                    row,
                                    Some(Override::SetLevel { col: var, level }),
                                );
                                assert!(
                                    ours == theirs || ours.is_nan() && theirs.is_nan(),
                                    "counterfactual of {} at row {row}: {ours} vs {theirs}",
                                    specs[j].name
                                );
                            }
                        }
                    }
                }
                let reference_columns = level_columns(reference);
                let levels: Vec<LevelColumns> = (0..c.levels.len() as u32)
                    .filter(|&l| l != reference)
                    .map(level_columns)
                    .collect();
                // Counterfactual non-zeros of the involved columns at one row, ascending.
                let fill = |cols: &LevelColumns, row: usize, out: &mut Vec<(usize, f64)>| {
                    out.clear();
                    if varying.is_empty() {
                        out.extend_from_slice(&cols.constant);
                        return;
                    }
                    let mut constant = cols.constant.iter().peekable();
                    for (a, &j) in involved.iter().enumerate() {
                        let v = if varying.contains(&a) {
                            counterfactual_value(&resolved[a], row, cols.level)
                        } else {
                            match constant.peek() {
                                Some(&&(jc, v)) if jc == j => {
                                    constant.next();
                                    v
                                }
                                _ => 0.0,
                            }
                        };
                        if v != 0.0 {
                            out.push((j, v));
                        }
                    }
                };
                let mut ame = vec![0.0; levels.len()];
                // Gradients column-major by level (entry j·L + t), so that a column's updates
                // for all L levels are contiguous.
                let n_levels = levels.len();
                let mut grads = vec![0.0; k * n_levels];
                let mut densities = vec![0.0; n_levels];
                let mut base: Vec<(usize, f64)> = Vec::with_capacity(k);
                let mut prefix: Vec<f64> = Vec::with_capacity(k + 1);
                let mut x_ref_row: Vec<(usize, f64)> = Vec::with_capacity(involved.len());
                let mut x_lev_row: Vec<(usize, f64)> = Vec::with_capacity(involved.len());
                let mut ref_dense = vec![0.0; k];
                let mut lev_dense = vec![0.0; k];
                for (i, wi) in w.iter().enumerate() {
                    let row = rows[i];
                    // Columns the variable does not enter keep the observed value.
                    base.clear();
                    let (cols, vals) = sp.row(i);
                    prefix.clear();
                    let mut running = -0.0;
                    prefix.push(running);
                    for (&c, &v) in cols.iter().zip(vals) {
                        if !is_involved[c as usize] {
                            base.push((c as usize, v));
                            running += v * b[c as usize];
                            prefix.push(running);
                        }
                    }
                    let x_ref: &[(usize, f64)] = if varying.is_empty() {
                        &reference_columns.constant
                    } else {
                        fill(&reference_columns, row, &mut x_ref_row);
                        &x_ref_row
                    };
                    let e0 = merged_dot(&base, &prefix, x_ref, b);
                    let (p0, f0) = link.cdf_and_pdf(e0);
                    for &(j, v) in x_ref {
                        ref_dense[j] = v;
                    }
                    let wi = wi / sum_w;
                    for (t, (cols, ame)) in levels.iter().zip(&mut ame).enumerate() {
                        let x_lev: &[(usize, f64)] = if varying.is_empty() {
                            &cols.constant
                        } else {
                            fill(cols, row, &mut x_lev_row);
                            &x_lev_row
                        };
                        let e1 = merged_dot(&base, &prefix, x_lev, b);
                        let (p1, f1) = link.cdf_and_pdf(e1);
                        *ame += wi * (p1 - p0);
                        densities[t] = f1;
                        for &(j, v) in x_lev {
                            lev_dense[j] = v;
                            grads[j * n_levels + t] += wi * (f1 * v - f0 * ref_dense[j]);
                        }
                        for &(j, v) in x_ref {
                            if lev_dense[j] == 0.0 {
                                grads[j * n_levels + t] += wi * (f1 * 0.0 - f0 * v);
                            }
                        }
                        for &(j, _) in x_lev {
                            lev_dense[j] = 0.0;
                        }
                    }
                    // Unchanged columns: x_lev = x_ref = x_ij for every level.
                    for &(j, v) in &base {
                        let grad = &mut grads[j * n_levels..(j + 1) * n_levels];
                        for (g, &f1) in grad.iter_mut().zip(&densities) {
                            *g += wi * (f1 * v - f0 * v);
                        }
                    }
                    for &(j, _) in x_ref {
                        ref_dense[j] = 0.0;
                    }
                }
                for (t, (cols, ame)) in levels.iter().zip(ame).enumerate() {
                    names.push(format!("{var}::{}", c.levels[cols.level as usize]));
                    est.push(ame);
                    jac_rows.push((0..k).map(|j| grads[j * n_levels + t]).collect());
                }
            }
            Err(_) => {}
        }
    }
    let jac = DMatrix::from_fn(jac_rows.len(), k, |a, b| jac_rows[a][b]);
    (names, est, jac)
}

/// Logit by maximum likelihood (Newton–Raphson with step halving), with average marginal
/// effects. `Vcov::Hc1` multiplies the sandwich by n/(n−1) and clustering uses G/(G−1), as
/// Stata's `logit, vce(robust|cluster)`; p-values use the normal distribution.
///
/// ```
/// use egov_econ::{Frame, logit, EstimateOptions, Vcov};
/// let mut f = Frame::new();
/// let x: Vec<f64> = (0..200).map(|i| (i % 20) as f64 / 10.0 - 1.0).collect();
/// let y: Vec<f64> = (0..200).map(|i| if (i * 7919 % 200) as f64 / 200.0 < 1.0 / (1.0 + (-2.0 * x[i]).exp()) { 1.0 } else { 0.0 }).collect();
/// f.push_numeric("x", x).unwrap();
/// f.push_numeric("y", y).unwrap();
/// let m = logit("y ~ x", &f, &EstimateOptions { vcov: Vcov::Iid, ..Default::default() }).unwrap();
/// assert!(m.coefficient("x").unwrap().estimate > 0.0);
/// assert!(m.marginal_effect("x").unwrap().estimate > 0.0);
/// ```
pub fn logit(
    formula: &str,
    data: &Frame,
    opts: &EstimateOptions,
) -> Result<BinaryChoice, EconError> {
    fit_binary(formula, data, opts, Link::Logit)
}

/// Probit by maximum likelihood; see [`logit`] for the variance conventions. The variance uses
/// the observed information matrix.
///
/// ```
/// use egov_econ::{Frame, probit, EstimateOptions};
/// let mut f = Frame::new();
/// let x: Vec<f64> = (0..200).map(|i| (i % 20) as f64 / 10.0 - 1.0).collect();
/// let y: Vec<f64> = (0..200).map(|i| if (i * 7919 % 200) as f64 / 200.0 < 0.5 + 0.3 * x[i] { 1.0 } else { 0.0 }).collect();
/// f.push_numeric("x", x).unwrap();
/// f.push_numeric("y", y).unwrap();
/// let m = probit("y ~ x", &f, &EstimateOptions::default()).unwrap();
/// assert_eq!(m.ame.len(), 1);
/// ```
pub fn probit(
    formula: &str,
    data: &Frame,
    opts: &EstimateOptions,
) -> Result<BinaryChoice, EconError> {
    fit_binary(formula, data, opts, Link::Probit)
}
