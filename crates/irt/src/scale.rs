//! Output scales for the Digital Skills Index.
//!
//! Three metrics are offered: the θ metric of the model (N(0, 1) in the calibration population), θ
//! standardised to weighted mean 0 and SD 1 in the analysed sample (**the default DSI**: a regression
//! coefficient then reads "per standard deviation of digital skill"), and a 0–100 scale (a linear map of the
//! standardised score for charts and lay readers).

/// Weighted mean and SD (population formula Σw(x−m)²/Σw) over the present values.
fn weighted_moments(values: &[Option<f64>], weights: Option<&[f64]>) -> Option<(f64, f64)> {
    let (mut sw, mut swx) = (0.0, 0.0);
    for (i, v) in values.iter().enumerate() {
        if let Some(x) = v {
            let w = weights.map_or(1.0, |w| w.get(i).copied().unwrap_or(0.0));
            if w.is_finite() && w > 0.0 {
                sw += w;
                swx += w * x;
            }
        }
    }
    if sw <= 0.0 {
        return None;
    }
    let mean = swx / sw;
    let mut ss = 0.0;
    for (i, v) in values.iter().enumerate() {
        if let Some(x) = v {
            let w = weights.map_or(1.0, |w| w.get(i).copied().unwrap_or(0.0));
            if w.is_finite() && w > 0.0 {
                ss += w * (x - mean) * (x - mean);
            }
        }
    }
    Some((mean, (ss / sw).sqrt()))
}

/// Standardise to weighted mean 0 and SD 1 (None values stay None). If the SD is zero or no weight is
/// positive, the values are only centred (or returned unchanged), never turned into NaN.
///
/// ```
/// let z = egov_irt::scale::standardize(&[Some(1.0), None, Some(3.0)], None);
/// assert_eq!(z, vec![Some(-1.0), None, Some(1.0)]);
/// ```
pub fn standardize(theta: &[Option<f64>], weights: Option<&[f64]>) -> Vec<Option<f64>> {
    match weighted_moments(theta, weights) {
        Some((mean, sd)) if sd > 0.0 => theta.iter().map(|v| v.map(|x| (x - mean) / sd)).collect(),
        Some((mean, _)) => theta.iter().map(|v| v.map(|x| x - mean)).collect(),
        None => theta.to_vec(),
    }
}

/// Map scores linearly onto 0–100: the weighted minimum of the present values goes to 0 and the maximum to
/// 100 (for the EAP DSI these are the all-no and all-yes patterns). Constant input maps to 50.
///
/// ```
/// let s = egov_irt::scale::to_0_100(&[Some(-2.0), Some(0.0), None, Some(2.0)]);
/// assert_eq!(s, vec![Some(0.0), Some(50.0), None, Some(100.0)]);
/// ```
pub fn to_0_100(scores: &[Option<f64>]) -> Vec<Option<f64>> {
    let present = scores.iter().flatten();
    let lo = present.clone().copied().fold(f64::INFINITY, f64::min);
    let hi = present.copied().fold(f64::NEG_INFINITY, f64::max);
    scores
        .iter()
        .map(|v| {
            v.map(|x| {
                if hi > lo {
                    100.0 * (x - lo) / (hi - lo)
                } else {
                    50.0
                }
            })
        })
        .collect()
}

/// Weighted mean and SD of present values (None when no positive weight), for reporting.
///
/// ```
/// let (m, sd) = egov_irt::scale::mean_sd(&[Some(1.0), Some(3.0)], None).unwrap();
/// assert_eq!((m, sd), (2.0, 1.0));
/// ```
pub fn mean_sd(values: &[Option<f64>], weights: Option<&[f64]>) -> Option<(f64, f64)> {
    weighted_moments(values, weights)
}
