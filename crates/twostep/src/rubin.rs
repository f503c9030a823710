//! Rubin's rules for combining estimates from multiply imputed (plausible-value) data sets.

use serde::Serialize;

use crate::stats::{student_p_value, student_quantile};

/// One parameter combined over M imputations.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RubinCombined {
    /// Q̄: mean of the M estimates.
    pub estimate: f64,
    /// Ū: mean of the M complete-data variances (within-imputation variance).
    pub within: f64,
    /// B: variance of the M estimates, divisor M − 1 (between-imputation variance).
    pub between: f64,
    /// T = Ū + (1 + 1/M) B.
    pub total: f64,
    /// √T.
    pub std_error: f64,
    /// Relative increase in variance r = (1 + 1/M) B / Ū.
    pub riv: f64,
    /// λ = (1 + 1/M) B / T, the proportion of the total variance due to imputation.
    pub lambda: f64,
    /// Degrees of freedom: Barnard–Rubin (1999) when the complete-data df is finite, else Rubin (1987).
    pub df: f64,
    /// Fraction of missing information γ = (r + 2/(df + 3)) / (r + 1).
    pub fmi: f64,
    /// t statistic Q̄ / √T.
    pub statistic: f64,
    /// Two-sided p-value from t(df).
    pub p_value: f64,
    /// Lower bound of the t(df) interval.
    pub conf_low: f64,
    /// Upper bound.
    pub conf_high: f64,
}

/// Combine M sets of estimates and complete-data variances, one parameter at a time.
///
/// `estimates[m][j]` and `variances[m][j]` are the estimate and squared standard error of
/// parameter j in imputation m. `df_complete` is the complete-data degrees of freedom (the
/// residual or cluster df of the analysis model; `f64::INFINITY` for large-sample inference).
///
/// Degrees of freedom: Rubin's (1987) ν_old = (M − 1)/λ² assumes an infinite complete-data df and
/// can exceed it; the Barnard–Rubin (1999) small-sample df
/// ν = (1/ν_old + 1/ν_obs)⁻¹ with ν_obs = (ν_com + 1)/(ν_com + 3) · ν_com (1 − λ)
/// never does, and reduces to ν_old as ν_com → ∞. It is what R's `mice::pool` and
/// `mitools::MIcombine(df.complete = ...)` report.
///
/// ```
/// use egov_twostep::rubin;
/// let est = vec![vec![1.0], vec![1.2], vec![0.9]];
/// let var = vec![vec![0.04], vec![0.05], vec![0.045]];
/// let c = &rubin(&est, &var, f64::INFINITY, 0.95)[0];
/// assert!((c.estimate - 31.0 / 30.0).abs() < 1e-12);
/// assert!((c.within - 0.045).abs() < 1e-12);
/// assert!((c.total - (0.045 + 4.0 / 3.0 * c.between)).abs() < 1e-12);
/// ```
pub fn rubin(
    estimates: &[Vec<f64>],
    variances: &[Vec<f64>],
    df_complete: f64,
    conf_level: f64,
) -> Vec<RubinCombined> {
    let m = estimates.len();
    let k = estimates.first().map_or(0, Vec::len);
    let mf = m as f64;
    (0..k)
        .map(|j| {
            let q: Vec<f64> = estimates.iter().map(|e| e[j]).collect();
            let u: Vec<f64> = variances.iter().map(|v| v[j]).collect();
            let qbar = q.iter().sum::<f64>() / mf;
            let ubar = u.iter().sum::<f64>() / mf;
            let b = if m > 1 {
                q.iter().map(|x| (x - qbar).powi(2)).sum::<f64>() / (mf - 1.0)
            } else {
                f64::NAN
            };
            let inflated = (1.0 + 1.0 / mf) * b;
            let total = ubar + inflated;
            let riv = inflated / ubar;
            let lambda = inflated / total;
            let df_old = if lambda > 0.0 {
                (mf - 1.0) / (lambda * lambda)
            } else {
                f64::INFINITY
            };
            let df = if df_complete.is_finite() {
                let df_obs =
                    (df_complete + 1.0) / (df_complete + 3.0) * df_complete * (1.0 - lambda);
                if df_old.is_finite() {
                    1.0 / (1.0 / df_old + 1.0 / df_obs)
                } else {
                    df_obs
                }
            } else {
                df_old
            };
            let fmi = if df.is_finite() {
                (riv + 2.0 / (df + 3.0)) / (riv + 1.0)
            } else {
                riv / (riv + 1.0)
            };
            let se = total.sqrt();
            let stat = qbar / se;
            let crit = student_quantile(0.5 + conf_level / 2.0, df);
            RubinCombined {
                estimate: qbar,
                within: ubar,
                between: b,
                total,
                std_error: se,
                riv,
                lambda,
                df,
                fmi,
                statistic: stat,
                p_value: student_p_value(stat, df),
                conf_low: qbar - crit * se,
                conf_high: qbar + crit * se,
            }
        })
        .collect()
}
