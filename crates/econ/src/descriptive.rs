//! Weighted group means with linearisation standard errors, shared by tables and charts.

use crate::EconError;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// A stratified cluster sample design: PSU of each row and, optionally, its stratum.
/// PSUs are nested within strata (the same PSU id in two strata denotes two PSUs).
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// Stratum of each row.
    pub strata: Option<Vec<u32>>,
    /// Primary sampling unit of each row.
    pub psu: Vec<u32>,
}

/// Weighted mean of one group with its design-based standard error.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupEstimate {
    /// Rows in the group (with positive weight).
    pub n: usize,
    /// Sum of the weights in the group.
    pub sum_weights: f64,
    /// Weighted mean (ratio estimator Σwy/Σw).
    pub estimate: f64,
    /// Linearisation standard error (NaN when the group is empty).
    pub std_error: f64,
    /// Lower bound of the normal-theory interval.
    pub conf_low: f64,
    /// Upper bound of the normal-theory interval.
    pub conf_high: f64,
}

fn invalid(name: &str, reason: String) -> EconError {
    EconError::InvalidArgument {
        name: name.into(),
        reason,
    }
}

/// Weighted mean of `y` within each of `n_groups` groups, with the linearisation variance of
/// a ratio estimator for a domain, as R's `svyby(~y, ~g, design, svymean)`: the influence
/// values z_i = w_i (y_i − ȳ_g)/W_g (zero outside the group) are summed by PSU, centred within
/// strata and scaled by n_h/(n_h − 1). Without a design each row is its own PSU in one stratum.
/// Intervals use the normal quantile (R's `confint` for `svymean`). Rows whose group is `None`
/// belong to no group but still count as PSU members in the design.
///
/// ```
/// use egov_econ::descriptive::group_means;
/// let y = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0];
/// let w = [1.0, 1.0, 2.0, 1.0, 1.0, 2.0];
/// let g = [Some(0), Some(0), Some(0), Some(1), Some(1), Some(1)];
/// let est = group_means(&y, &w, &g, 2, None, 0.95).unwrap();
/// assert!((est[0].estimate - 0.75).abs() < 1e-12);
/// assert!((est[1].estimate - 0.25).abs() < 1e-12);
/// assert!(est[0].conf_low < 0.75 && est[0].conf_high > 0.75);
/// ```
pub fn group_means(
    y: &[f64],
    weights: &[f64],
    groups: &[Option<u32>],
    n_groups: usize,
    design: Option<&Design>,
    conf_level: f64,
) -> Result<Vec<GroupEstimate>, EconError> {
    let n = y.len();
    if weights.len() != n || groups.len() != n {
        return Err(invalid(
            "weights/groups",
            format!(
                "y has {n} rows but weights has {} and groups {}",
                weights.len(),
                groups.len()
            ),
        ));
    }
    if !(conf_level > 0.0 && conf_level < 1.0) {
        return Err(invalid(
            "conf_level",
            format!("{conf_level} is not in (0, 1)"),
        ));
    }
    if let Some((i, v)) = weights
        .iter()
        .enumerate()
        .find(|(_, w)| !w.is_finite() || **w < 0.0)
    {
        return Err(EconError::InvalidWeight {
            name: "weights".into(),
            row: i,
            value: *v,
        });
    }
    if let Some((i, g)) = groups
        .iter()
        .enumerate()
        .find_map(|(i, g)| g.filter(|&g| g as usize >= n_groups).map(|g| (i, g)))
    {
        return Err(invalid(
            "groups",
            format!("row {i} has group {g} but n_groups is {n_groups}"),
        ));
    }
    if let Some(i) = (0..n).find(|&i| groups[i].is_some() && !y[i].is_finite()) {
        return Err(invalid(
            "y",
            format!(
                "row {i} is missing (NaN); remove rows with missing values (and report how many) before computing means"
            ),
        ));
    }
    let (psu, strata, n_strata) = match design {
        Some(d) => {
            if d.psu.len() != n || d.strata.as_ref().is_some_and(|s| s.len() != n) {
                return Err(invalid(
                    "design",
                    format!("psu/strata must have {n} rows like y"),
                ));
            }
            let strata = d.strata.clone().unwrap_or_else(|| vec![0; n]);
            let n_strata = strata.iter().max().map_or(1, |m| *m as usize + 1);
            (d.psu.clone(), strata, n_strata)
        }
        None => ((0..n as u32).collect(), vec![0; n], 1),
    };
    // Dense PSU ids nested in strata.
    let (psu_ids, n_psu) = crate::linalg::group_ids(
        strata
            .iter()
            .zip(&psu)
            .map(|(&h, &p)| ((h as u64) << 32) | p as u64),
    );
    let mut psu_stratum = vec![0usize; n_psu];
    for (&p, &h) in psu_ids.iter().zip(&strata) {
        psu_stratum[p as usize] = h as usize;
    }
    let mut n_h = vec![0usize; n_strata];
    for &h in &psu_stratum {
        n_h[h] += 1;
    }
    if let Some(h) = n_h.iter().position(|&c| c == 1) {
        return Err(EconError::LonelyPsu {
            strata: "design.strata".into(),
            stratum: h.to_string(),
        });
    }
    let mut sum_w = vec![0.0; n_groups];
    let mut sum_wy = vec![0.0; n_groups];
    let mut count = vec![0usize; n_groups];
    for i in 0..n {
        if let Some(g) = groups[i]
            && weights[i] > 0.0
        {
            let g = g as usize;
            sum_w[g] += weights[i];
            sum_wy[g] += weights[i] * y[i];
            count[g] += 1;
        }
    }
    let mean: Vec<f64> = (0..n_groups).map(|g| sum_wy[g] / sum_w[g]).collect();
    let z = Normal::standard().inverse_cdf(0.5 + conf_level / 2.0);
    // PSU totals of the influence values, one column per group.
    let mut totals = vec![0.0; n_psu * n_groups];
    for i in 0..n {
        if let Some(g) = groups[i] {
            let g = g as usize;
            if sum_w[g] > 0.0 {
                totals[psu_ids[i] as usize * n_groups + g] +=
                    weights[i] * (y[i] - mean[g]) / sum_w[g];
            }
        }
    }
    let mut stratum_sum = vec![0.0; n_strata * n_groups];
    for p in 0..n_psu {
        for g in 0..n_groups {
            stratum_sum[psu_stratum[p] * n_groups + g] += totals[p * n_groups + g];
        }
    }
    let mut var = vec![0.0; n_groups];
    for p in 0..n_psu {
        let h = psu_stratum[p];
        let nh = n_h[h] as f64;
        for g in 0..n_groups {
            let d = totals[p * n_groups + g] - stratum_sum[h * n_groups + g] / nh;
            var[g] += nh / (nh - 1.0) * d * d;
        }
    }
    Ok((0..n_groups)
        .map(|g| {
            let se = if count[g] > 0 {
                var[g].sqrt()
            } else {
                f64::NAN
            };
            GroupEstimate {
                n: count[g],
                sum_weights: sum_w[g],
                estimate: mean[g],
                std_error: se,
                conf_low: mean[g] - z * se,
                conf_high: mean[g] + z * se,
            }
        })
        .collect())
}

/// Weighted mean of `y` over all rows, with the same linearisation variance as [`group_means`].
///
/// ```
/// use egov_econ::descriptive::overall_mean;
/// let est = overall_mean(&[1.0, 0.0, 1.0, 0.0], &[1.0, 1.0, 1.0, 1.0], None, 0.95).unwrap();
/// assert_eq!(est.estimate, 0.5);
/// assert!((est.std_error - (1.0f64 / 12.0).sqrt()).abs() < 1e-12);
/// ```
pub fn overall_mean(
    y: &[f64],
    weights: &[f64],
    design: Option<&Design>,
    conf_level: f64,
) -> Result<GroupEstimate, EconError> {
    let groups = vec![Some(0); y.len()];
    Ok(group_means(y, weights, &groups, 1, design, conf_level)?.remove(0))
}
