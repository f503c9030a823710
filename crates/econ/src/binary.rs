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
    let kept = independent_columns(&SparseRows::from_dense(&mm.x).gram(Some(&w)));
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
    let x = select_columns(&mm.x, &kept).into_owned();
    let sp = SparseRows::from_dense(&x);
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

/// ∂x_j/∂v for model-matrix column `spec` at `row`.
fn column_derivative(spec: &ColumnSpec, var: &str, data: &Frame, row: usize) -> f64 {
    let mut total = 0.0;
    for (a, f) in spec.factors.iter().enumerate() {
        if let Factor::Num { col, power } = f
            && col == var
        {
            let x = data.numeric(col).map(|v| v[row]).unwrap_or(f64::NAN);
            let mut d = *power as f64 * x.powi(power - 1);
            for (b, other) in spec.factors.iter().enumerate() {
                if a != b {
                    d *= spec_value(
                        &ColumnSpec {
                            name: String::new(),
                            factors: vec![other.clone()],
                        },
                        data,
                        row,
                        None,
                    );
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

/// AMEs and their Jacobian with respect to β.
#[allow(clippy::too_many_arguments)]
fn average_marginal_effects(
    x: &DMatrix<f64>,
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
    let mut names = Vec::new();
    let mut est = Vec::new();
    let mut jac_rows: Vec<Vec<f64>> = Vec::new();
    for var in &vars {
        let involved: Vec<usize> = (0..k).filter(|&j| involves(&specs[j], var)).collect();
        match data.column(var) {
            Ok(Column::Numeric(_)) => {
                let mut ame = 0.0;
                let mut grad = vec![0.0; k];
                let mut dx = vec![0.0; involved.len()];
                for i in 0..n {
                    let row = rows[i];
                    let mut deta = 0.0;
                    for (a, &j) in involved.iter().enumerate() {
                        dx[a] = column_derivative(&specs[j], var, data, row);
                        deta += beta[j] * dx[a];
                    }
                    let f = link.pdf(eta[i]);
                    let fp = link.pdf_derivative(eta[i]);
                    let wi = w[i] / sum_w;
                    ame += wi * f * deta;
                    for (j, gj) in grad.iter_mut().enumerate() {
                        *gj += wi * fp * deta * x[(i, j)];
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
                // Rows of x with the variable set to a level (only involved columns change).
                let set_level = |level: u32, i: usize, out: &mut Vec<f64>| {
                    out.clear();
                    out.extend((0..k).map(|j| {
                        if involved.contains(&j) {
                            spec_value(
                                &specs[j],
                                data,
                                rows[i],
                                Some(Override::SetLevel { col: var, level }),
                            )
                        } else {
                            x[(i, j)]
                        }
                    }));
                };
                let mut x_ref = Vec::with_capacity(k);
                let mut x_lev = Vec::with_capacity(k);
                for level in 0..c.levels.len() as u32 {
                    if level == reference {
                        continue;
                    }
                    let mut ame = 0.0;
                    let mut grad = vec![0.0; k];
                    for (i, wi) in w.iter().enumerate() {
                        set_level(reference, i, &mut x_ref);
                        set_level(level, i, &mut x_lev);
                        let e0: f64 = x_ref.iter().zip(beta.iter()).map(|(a, b)| a * b).sum();
                        let e1: f64 = x_lev.iter().zip(beta.iter()).map(|(a, b)| a * b).sum();
                        let wi = wi / sum_w;
                        ame += wi * (link.cdf(e1) - link.cdf(e0));
                        let (f0, f1) = (link.pdf(e0), link.pdf(e1));
                        for j in 0..k {
                            grad[j] += wi * (f1 * x_lev[j] - f0 * x_ref[j]);
                        }
                    }
                    names.push(format!("{var}::{}", c.levels[level as usize]));
                    est.push(ame);
                    jac_rows.push(grad);
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
