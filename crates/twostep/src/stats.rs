//! Quantiles and bootstrap intervals.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Standard normal quantile.
pub(crate) fn normal_quantile(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

/// Standard normal CDF.
pub(crate) fn normal_cdf(x: f64) -> f64 {
    Normal::standard().cdf(x)
}

/// Student t quantile (normal when `df` is infinite or huge).
pub(crate) fn student_quantile(p: f64, df: f64) -> f64 {
    if !df.is_finite() || df > 1e7 {
        return normal_quantile(p);
    }
    StudentsT::new(0.0, 1.0, df)
        .map(|t| t.inverse_cdf(p))
        .unwrap_or(f64::NAN)
}

/// Two-sided p-value of a t statistic (normal when `df` is infinite).
pub(crate) fn student_p_value(stat: f64, df: f64) -> f64 {
    if !df.is_finite() || df > 1e7 {
        return 2.0 * (1.0 - normal_cdf(stat.abs()));
    }
    StudentsT::new(0.0, 1.0, df)
        .map(|t| 2.0 * t.sf(stat.abs()))
        .unwrap_or(f64::NAN)
}

/// Quantile `p` of sorted replicates by the (R + 1)p order-statistic rule, interpolating
/// linearly between neighbouring order statistics (Davison and Hinkley 1997, §5.2); with
/// R = 999 and p = 0.025 this is exactly the 25th smallest value.
pub(crate) fn order_quantile(sorted: &[f64], p: f64) -> f64 {
    let r = sorted.len();
    let h = ((r + 1) as f64 * p).clamp(1.0, r as f64);
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    let a = sorted[lo - 1];
    if frac == 0.0 || lo == r {
        a
    } else {
        a + frac * (sorted[lo] - a)
    }
}

/// Percentile interval.
pub(crate) fn percentile_interval(sorted: &[f64], conf_level: f64) -> (f64, f64) {
    let alpha = 1.0 - conf_level;
    (
        order_quantile(sorted, alpha / 2.0),
        order_quantile(sorted, 1.0 - alpha / 2.0),
    )
}

/// Bias-corrected percentile interval (Efron 1981): z₀ = Φ⁻¹(share of replicates below the
/// full-sample estimate, ties counted half), then the percentile interval at
/// Φ(2z₀ ± z_{1−α/2}).
pub(crate) fn bc_interval(sorted: &[f64], estimate: f64, conf_level: f64) -> (f64, f64) {
    let r = sorted.len() as f64;
    let below = sorted.iter().filter(|v| **v < estimate).count() as f64;
    let ties = sorted.iter().filter(|v| **v == estimate).count() as f64;
    // Keep z0 finite when the estimate lies outside the replicate range.
    let share = ((below + 0.5 * ties) / r).clamp(0.5 / r, 1.0 - 0.5 / r);
    let z0 = normal_quantile(share);
    let z = normal_quantile(0.5 + conf_level / 2.0);
    (
        order_quantile(sorted, normal_cdf(2.0 * z0 - z)),
        order_quantile(sorted, normal_cdf(2.0 * z0 + z)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_quantile_uses_the_r_plus_one_rule() {
        let sorted: Vec<f64> = (1..=999).map(f64::from).collect();
        assert_eq!(order_quantile(&sorted, 0.025), 25.0);
        assert_eq!(order_quantile(&sorted, 0.975), 975.0);
        // Interpolation between order statistics 2 and 3 for R = 9, p = 0.25: h = 2.5.
        let nine: Vec<f64> = (1..=9).map(|v| f64::from(v) * 10.0).collect();
        assert!((order_quantile(&nine, 0.25) - 25.0).abs() < 1e-12);
        // Clamped at the extremes.
        assert_eq!(order_quantile(&nine, 0.001), 10.0);
        assert_eq!(order_quantile(&nine, 0.999), 90.0);
    }

    #[test]
    fn bc_equals_percentile_when_median_unbiased() {
        let sorted: Vec<f64> = (1..=999).map(f64::from).collect();
        // 500 is the median: z0 = 0 (ties half-counted: 499 below + 0.5 = 499.5 / 999 = 0.5).
        let bc = bc_interval(&sorted, 500.0, 0.95);
        let pc = percentile_interval(&sorted, 0.95);
        assert!(
            (bc.0 - pc.0).abs() < 1e-6 && (bc.1 - pc.1).abs() < 1e-6,
            "{bc:?} {pc:?} z0 = {}",
            normal_quantile(0.5)
        );
        // An estimate above most replicates shifts the interval up.
        let shifted = bc_interval(&sorted, 600.0, 0.95);
        assert!(shifted.0 > pc.0 && shifted.1 > pc.1);
    }

    #[test]
    fn quantiles_match_tables() {
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-9);
        assert!((student_quantile(0.975, 10.0) - 2.228_138_851_986_273).abs() < 1e-9);
        assert!((student_p_value(2.228_138_851_986_273, 10.0) - 0.05).abs() < 1e-9);
    }
}
