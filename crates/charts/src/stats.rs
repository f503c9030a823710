//! Weighted summaries computed for the distribution charts.

/// Weighted mean and standard deviation (weights normalised to sum 1).
fn weighted_moments(values: &[f64], weights: &[f64]) -> (f64, f64, f64) {
    let total: f64 = weights.iter().sum();
    let mean = values.iter().zip(weights).map(|(v, w)| v * w).sum::<f64>() / total;
    let var = values
        .iter()
        .zip(weights)
        .map(|(v, w)| w * (v - mean).powi(2))
        .sum::<f64>()
        / total;
    (total, mean, var.sqrt())
}

/// Kish's effective sample size, (Σw)² / Σw².
pub fn effective_n(weights: &[f64]) -> f64 {
    let s: f64 = weights.iter().sum();
    let s2: f64 = weights.iter().map(|w| w * w).sum();
    if s2 > 0.0 { s * s / s2 } else { 0.0 }
}

/// Weighted quantile: the smallest value whose cumulative normalised weight
/// reaches `p` (the inverse of the weighted empirical CDF, type 1).
///
/// Values and weights must be finite with positive total weight.
///
/// ```
/// let q = egov_charts::weighted_quantile(&[1.0, 2.0, 3.0, 4.0], &[1.0, 1.0, 1.0, 1.0], 0.5);
/// assert_eq!(q, 2.0);
/// ```
pub fn weighted_quantile(values: &[f64], weights: &[f64], p: f64) -> f64 {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let total: f64 = weights.iter().sum();
    let target = p.clamp(0.0, 1.0) * total;
    let mut cum = 0.0;
    for &i in &idx {
        cum += weights[i];
        if cum >= target - 1e-12 * total {
            return values[i];
        }
    }
    idx.last().map_or(f64::NAN, |&i| values[i])
}

/// Silverman's rule-of-thumb bandwidth with weights:
/// 0.9 · min(σ, IQR/1.34) · n_eff^(−1/5), with the Kish effective n.
///
/// ```
/// let h = egov_charts::silverman_bandwidth(&[0.0, 1.0, 2.0, 3.0], &[1.0; 4]);
/// assert!(h > 0.0);
/// ```
pub fn silverman_bandwidth(values: &[f64], weights: &[f64]) -> f64 {
    let (_, _, sd) = weighted_moments(values, weights);
    let iqr = weighted_quantile(values, weights, 0.75) - weighted_quantile(values, weights, 0.25);
    let spread = if iqr > 0.0 { sd.min(iqr / 1.34) } else { sd };
    let spread = if spread > 0.0 { spread } else { 1.0 };
    0.9 * spread * effective_n(weights).powf(-0.2)
}

/// Weighted Gaussian kernel density evaluated on `grid` with bandwidth `h`:
/// f(x) = Σ wᵢ φ((x − xᵢ)/h) / (h Σ wᵢ).
///
/// ```
/// let f = egov_charts::weighted_kde(&[0.0], &[1.0], &[0.0], 1.0);
/// assert!((f[0] - 0.398_942_28).abs() < 1e-6);
/// ```
pub fn weighted_kde(values: &[f64], weights: &[f64], grid: &[f64], h: f64) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    let norm = 1.0 / (h * total * (2.0 * std::f64::consts::PI).sqrt());
    // Sorting lets each grid point visit only values within 8 bandwidths.
    let mut pairs: Vec<(f64, f64)> = values
        .iter()
        .copied()
        .zip(weights.iter().copied())
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    grid.iter()
        .map(|&x| {
            let start = pairs.partition_point(|p| p.0 < x - 8.0 * h);
            let mut sum = 0.0;
            for &(v, w) in &pairs[start..] {
                if v > x + 8.0 * h {
                    break;
                }
                let z = (x - v) / h;
                sum += w * (-0.5 * z * z).exp();
            }
            sum * norm
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kde_integrates_to_one_and_matches_scipy_reference() {
        // Reference: scipy.stats.gaussian_kde(values, bw_method=h/std, weights=w)
        // is the same estimator; here checked against the closed form instead:
        // a single point gives a normal density with sd h.
        let grid: Vec<f64> = (0..2001).map(|i| -10.0 + i as f64 * 0.01).collect();
        let f = weighted_kde(&[0.5, -1.0, 2.0], &[1.0, 2.0, 0.5], &grid, 0.7);
        let integral: f64 = f.iter().sum::<f64>() * 0.01;
        assert!((integral - 1.0).abs() < 1e-6, "{integral}");
        let g = weighted_kde(&[1.0], &[3.0], &[1.0, 2.0], 0.5);
        let phi = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
        assert!((g[0] - phi(0.0) / 0.5).abs() < 1e-12);
        assert!((g[1] - phi(2.0) / 0.5).abs() < 1e-12);
    }

    #[test]
    fn weights_act_as_frequencies() {
        let v = [1.0, 2.0, 3.0];
        let w = [2.0, 1.0, 1.0];
        let expanded = [1.0, 1.0, 2.0, 3.0];
        for p in [0.1, 0.25, 0.5, 0.75, 0.9] {
            assert_eq!(
                weighted_quantile(&v, &w, p),
                weighted_quantile(&expanded, &[1.0; 4], p)
            );
        }
        let grid = [0.0, 1.5, 2.5];
        let a = weighted_kde(&v, &w, &grid, 0.4);
        let b = weighted_kde(&expanded, &[1.0; 4], &grid, 0.4);
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() < 1e-12);
        }
    }

    #[test]
    fn silverman_matches_the_unweighted_rule() {
        // numpy: x = arange(1, 101); sd = x.std() = 28.866; IQR/1.34 = 49.5/1.34 = 36.94
        // -> 0.9 * 28.866 * 100**-0.2 = 10.355
        let x: Vec<f64> = (1..=100).map(f64::from).collect();
        let h = silverman_bandwidth(&x, &[1.0; 100]);
        assert!(
            (h - 0.9 * 28.866_070_047_722_12 * 100f64.powf(-0.2)).abs() < 1e-9,
            "{h}"
        );
    }
}
