//! Person scores: EAP, MAP, ML and plausible values, computed once per response pattern.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::estimate::logistic;
use crate::quadrature::rectangular;
use crate::{IrtError, ItemEstimate, MISSING, Patterns, Quadrature, QuadratureRule};

/// Gauss–Hermite nodes used for EAP scoring by [`score`].
pub const EAP_POINTS: usize = 41;
/// Plausible values are drawn from the posterior on this fine grid over [−PV_LIMIT, PV_LIMIT].
const PV_POINTS: usize = 401;
const PV_LIMIT: f64 = 8.0;
/// Beyond this |θ| an ML estimate is declared non-finite.
const ML_BOUND: f64 = 30.0;

/// Scoring method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ScoreMethod {
    /// Expected a posteriori (posterior mean) under θ ~ N(0, 1); `se` is the posterior SD.
    #[default]
    Eap,
    /// Maximum a posteriori (posterior mode); `se` = 1/√(−∂² log posterior).
    Map,
    /// Maximum likelihood; `se` = 1/√(test information). Undefined for all-yes / all-no patterns.
    Ml,
}

/// A person's (or pattern's) score on the θ metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PersonScore {
    /// Ability estimate.
    pub theta: f64,
    /// Standard error (EAP: posterior SD).
    pub se: f64,
}

/// Why a person has no score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unscored {
    /// The person answered no item.
    NoAnsweredItem,
    /// ML only: every answered item is "yes", so the likelihood increases without bound.
    AllYes,
    /// ML only: every answered item is "no".
    AllNo,
    /// ML only: the likelihood has no finite maximum for another reason (e.g. negative slopes).
    NoFiniteMaximum,
}

impl std::fmt::Display for Unscored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unscored::NoAnsweredItem => "no answered item",
            Unscored::AllYes => "all answered items are yes: the ML estimate is +infinity",
            Unscored::AllNo => "all answered items are no: the ML estimate is -infinity",
            Unscored::NoFiniteMaximum => "the likelihood has no finite maximum",
        })
    }
}

pub(crate) fn check_items(items: &[ItemEstimate], n_items: usize) -> Result<(), IrtError> {
    if items.len() != n_items {
        return Err(IrtError::ItemNames {
            got: items.len(),
            expected: n_items,
        });
    }
    if n_items < 2 {
        return Err(IrtError::TooFewItems(n_items));
    }
    for item in items {
        if !item.a.is_finite() || !item.d.is_finite() {
            return Err(IrtError::BadItemParameters {
                item: item.name.clone(),
                a: item.a,
                d: item.d,
            });
        }
    }
    Ok(())
}

/// Posterior weights of one pattern over `quad` (normalised), written into `post`.
fn posterior_on(items: &[ItemEstimate], pattern: &[u8], quad: &Quadrature, post: &mut [f64]) {
    let mut max = f64::NEG_INFINITY;
    for (k, (theta, w)) in quad.nodes.iter().zip(&quad.weights).enumerate() {
        let mut ll = w.max(1e-300).ln();
        for (item, &y) in items.iter().zip(pattern) {
            let z = item.a * theta + item.d;
            ll += match y {
                1 => -softplus(-z),
                0 => -softplus(z),
                _ => 0.0,
            };
        }
        post[k] = ll;
        max = max.max(ll);
    }
    let mut total = 0.0;
    for v in post.iter_mut() {
        *v = (*v - max).exp();
        total += *v;
    }
    post.iter_mut().for_each(|v| *v /= total);
}

/// log(1 + e^x), stable.
fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// EAP and posterior SD of every pattern on a given quadrature.
///
/// ```
/// use egov_irt::{eap_patterns, ItemEstimate, Patterns, Quadrature, QuadratureRule};
/// let items: Vec<_> = (0..3).map(|i| ItemEstimate::from_slope_intercept(&format!("q{i}"), 1.0, 0.0)).collect();
/// let (patterns, _) = Patterns::collapse(&[1, 1, 1, 0, 0, 0], 3).unwrap();
/// let quad = Quadrature::new(QuadratureRule::GaussHermite, 61).unwrap();
/// let scores = eap_patterns(&items, &patterns, &quad).unwrap();
/// assert!((scores[0].theta + scores[1].theta).abs() < 1e-12);
/// ```
pub fn eap_patterns(
    items: &[ItemEstimate],
    patterns: &Patterns,
    quad: &Quadrature,
) -> Result<Vec<PersonScore>, IrtError> {
    check_items(items, patterns.n_items())?;
    let q = quad.len();
    let j = items.len();
    // Item log-probabilities per node, computed once for all patterns.
    let mut log_yes = vec![0.0; j * q];
    let mut log_no = vec![0.0; j * q];
    for (i, item) in items.iter().enumerate() {
        for (k, theta) in quad.nodes.iter().enumerate() {
            let z = item.a * theta + item.d;
            log_yes[i * q + k] = -softplus(-z);
            log_no[i * q + k] = -softplus(z);
        }
    }
    let log_w: Vec<f64> = quad.weights.iter().map(|w| w.max(1e-300).ln()).collect();
    let mut ll = vec![0.0; q];
    let mut out = Vec::with_capacity(patterns.len());
    for index in 0..patterns.len() {
        ll.copy_from_slice(&log_w);
        for (i, &y) in patterns.pattern(index).iter().enumerate() {
            let row = match y {
                1 => &log_yes[i * q..(i + 1) * q],
                0 => &log_no[i * q..(i + 1) * q],
                _ => continue,
            };
            ll.iter_mut().zip(row).for_each(|(acc, v)| *acc += v);
        }
        let max = ll.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (mut s0, mut s1, mut s2) = (0.0, 0.0, 0.0);
        for (v, theta) in ll.iter().zip(&quad.nodes) {
            let p = (v - max).exp();
            s0 += p;
            s1 += p * theta;
            s2 += p * theta * theta;
        }
        let mean = s1 / s0;
        let var = (s2 / s0 - mean * mean).max(0.0);
        out.push(PersonScore {
            theta: mean,
            se: var.sqrt(),
        });
    }
    Ok(out)
}

/// Newton–Raphson for the mode of the log-likelihood (+ log prior if `prior`), concave in θ.
fn mode(items: &[ItemEstimate], pattern: &[u8], prior: bool) -> Option<PersonScore> {
    let mut theta = 0.0f64;
    for _ in 0..200 {
        let (mut g, mut h) = if prior { (-theta, -1.0) } else { (0.0, 0.0) };
        for (item, &y) in items.iter().zip(pattern) {
            if y == MISSING {
                continue;
            }
            let p = logistic(item.a * theta + item.d);
            g += item.a * (y as f64 - p);
            h -= item.a * item.a * p * (1.0 - p);
        }
        if h >= 0.0 || !h.is_finite() {
            return None;
        }
        let step = (-g / h).clamp(-1.0, 1.0);
        theta += step;
        if theta.abs() > ML_BOUND {
            return None;
        }
        if step.abs() < 1e-10 {
            // Curvature at the converged point.
            let mut info = if prior { 1.0 } else { 0.0 };
            for (item, &y) in items.iter().zip(pattern) {
                if y != MISSING {
                    let p = logistic(item.a * theta + item.d);
                    info += item.a * item.a * p * (1.0 - p);
                }
            }
            return Some(PersonScore {
                theta,
                se: 1.0 / info.sqrt(),
            });
        }
    }
    None
}

/// Score every pattern; `Err` explains why a pattern has no score (ML only).
///
/// EAP uses [`EAP_POINTS`] Gauss–Hermite nodes.
///
/// ```
/// use egov_irt::{score_patterns, ItemEstimate, Patterns, ScoreMethod, Unscored};
/// let items: Vec<_> = (0..2).map(|i| ItemEstimate::from_slope_intercept(&format!("q{i}"), 1.0, 0.0)).collect();
/// let (patterns, _) = Patterns::collapse(&[1, 0, 1, 1], 2).unwrap();
/// let ml = score_patterns(&items, &patterns, ScoreMethod::Ml).unwrap();
/// assert!(ml[0].as_ref().unwrap().theta.abs() < 1e-9);
/// assert_eq!(ml[1], Err(Unscored::AllYes));
/// ```
pub fn score_patterns(
    items: &[ItemEstimate],
    patterns: &Patterns,
    method: ScoreMethod,
) -> Result<Vec<Result<PersonScore, Unscored>>, IrtError> {
    check_items(items, patterns.n_items())?;
    Ok(match method {
        ScoreMethod::Eap => {
            let quad = Quadrature::new(QuadratureRule::GaussHermite, EAP_POINTS)?;
            eap_patterns(items, patterns, &quad)?
                .into_iter()
                .map(Ok)
                .collect()
        }
        ScoreMethod::Map => (0..patterns.len())
            .map(|p| mode(items, patterns.pattern(p), true).ok_or(Unscored::NoFiniteMaximum))
            .collect(),
        ScoreMethod::Ml => (0..patterns.len())
            .map(|p| {
                let pattern = patterns.pattern(p);
                mode(items, pattern, false).ok_or_else(|| {
                    let answered = pattern.iter().filter(|&&y| y != MISSING);
                    if answered.clone().all(|&y| y == 1) {
                        Unscored::AllYes
                    } else if answered.clone().all(|&y| y == 0) {
                        Unscored::AllNo
                    } else {
                        Unscored::NoFiniteMaximum
                    }
                })
            })
            .collect(),
    })
}

/// Score every person with the reason for each missing score.
///
/// ```
/// use egov_irt::{score_detailed, ItemEstimate, ScoreMethod, Unscored, MISSING};
/// let items: Vec<_> = (0..2).map(|i| ItemEstimate::from_slope_intercept(&format!("q{i}"), 1.0, 0.0)).collect();
/// let s = score_detailed(&items, &[1, 0, MISSING, MISSING, 0, 0], 2, ScoreMethod::Ml).unwrap();
/// assert!(s[0].is_ok());
/// assert_eq!(s[1], Err(Unscored::NoAnsweredItem));
/// assert_eq!(s[2], Err(Unscored::AllNo));
/// ```
pub fn score_detailed(
    items: &[ItemEstimate],
    responses: &[u8],
    n_items: usize,
    method: ScoreMethod,
) -> Result<Vec<Result<PersonScore, Unscored>>, IrtError> {
    check_items(items, n_items)?;
    let (patterns, person_pattern) = match Patterns::collapse(responses, n_items) {
        Ok(v) => v,
        Err(IrtError::AllMissing { persons }) => {
            return Ok(vec![Err(Unscored::NoAnsweredItem); persons]);
        }
        Err(e) => return Err(e),
    };
    let per_pattern = score_patterns(items, &patterns, method)?;
    Ok(person_pattern
        .iter()
        .map(|slot| match slot {
            Some(p) => per_pattern[*p as usize],
            None => Err(Unscored::NoAnsweredItem),
        })
        .collect())
}

/// Score persons (row-major persons × items responses). None for persons with no answered item, and, for ML,
/// for all-yes / all-no patterns (use [`score_detailed`] to see the reason).
///
/// ```
/// use egov_irt::{score, ItemEstimate, ScoreMethod, MISSING};
/// let items: Vec<_> = (0..3).map(|i| ItemEstimate::from_slope_intercept(&format!("q{i}"), 1.2, 0.3 * i as f64)).collect();
/// let scores = score(&items, &[1, 1, 0, MISSING, MISSING, MISSING], 3, ScoreMethod::Eap).unwrap();
/// assert!(scores[0].unwrap().theta > 0.0 && scores[1].is_none());
/// ```
pub fn score(
    items: &[ItemEstimate],
    responses: &[u8],
    n_items: usize,
    method: ScoreMethod,
) -> Result<Vec<Option<PersonScore>>, IrtError> {
    // Same steps as `score_detailed`, mapping pattern scores straight to persons.
    check_items(items, n_items)?;
    let (patterns, person_pattern) = match Patterns::collapse(responses, n_items) {
        Ok(v) => v,
        Err(IrtError::AllMissing { persons }) => return Ok(vec![None; persons]),
        Err(e) => return Err(e),
    };
    let per_pattern = score_patterns(items, &patterns, method)?;
    Ok(person_pattern
        .iter()
        .map(|slot| slot.and_then(|p| per_pattern[p as usize].ok()))
        .collect())
}

/// Cumulative posterior of every pattern on the plausible-value grid (pattern-major).
fn posterior_cdfs(items: &[ItemEstimate], patterns: &Patterns) -> (Quadrature, Vec<f64>) {
    let grid = rectangular(PV_POINTS, PV_LIMIT);
    let mut cdf = vec![0.0; patterns.len() * PV_POINTS];
    let mut post = vec![0.0; PV_POINTS];
    for p in 0..patterns.len() {
        posterior_on(items, patterns.pattern(p), &grid, &mut post);
        let mut acc = 0.0;
        for (k, v) in post.iter().enumerate() {
            acc += v;
            cdf[p * PV_POINTS + k] = acc;
        }
    }
    (grid, cdf)
}

/// Plausible values: `draws` independent draws of θ from each person's posterior (under θ ~ N(0, 1) and the
/// given item parameters), as `draws × persons`. None for persons with no answered item.
///
/// The posterior is evaluated on a 401-point grid over [−8, 8] (spacing 0.04); a draw picks a grid cell by
/// inverse CDF and a uniform position within it. The generator is `ChaCha8Rng` seeded with `seed`, drawing
/// person by person within each draw, so results are reproducible across platforms.
///
/// ```
/// use egov_irt::{plausible_values, ItemEstimate};
/// let items: Vec<_> = (0..2).map(|i| ItemEstimate::from_slope_intercept(&format!("q{i}"), 1.0, 0.0)).collect();
/// let pv = plausible_values(&items, &[1, 0, 0, 0], 2, 5, 42).unwrap();
/// assert_eq!(pv.len(), 5);
/// assert_eq!(pv, plausible_values(&items, &[1, 0, 0, 0], 2, 5, 42).unwrap());
/// ```
pub fn plausible_values(
    items: &[ItemEstimate],
    responses: &[u8],
    n_items: usize,
    draws: usize,
    seed: u64,
) -> Result<Vec<Vec<Option<f64>>>, IrtError> {
    check_items(items, n_items)?;
    let (patterns, person_pattern) = match Patterns::collapse(responses, n_items) {
        Ok(v) => v,
        Err(IrtError::AllMissing { persons }) => return Ok(vec![vec![None; persons]; draws]),
        Err(e) => return Err(e),
    };
    Ok(plausible_values_patterns(
        items,
        &patterns,
        &person_pattern,
        draws,
        seed,
    ))
}

/// Plausible values for persons given their pattern indices (see [`plausible_values`]).
///
/// ```
/// use egov_irt::{plausible_values_patterns, ItemEstimate, Patterns};
/// let items: Vec<_> = (0..2).map(|i| ItemEstimate::from_slope_intercept(&format!("q{i}"), 1.0, 0.0)).collect();
/// let (patterns, idx) = Patterns::collapse(&[1, 0, 255, 255, 1, 1], 2).unwrap();
/// let pv = plausible_values_patterns(&items, &patterns, &idx, 3, 7);
/// assert!(pv.iter().all(|draw| draw[0].is_some() && draw[1].is_none()));
/// ```
pub fn plausible_values_patterns(
    items: &[ItemEstimate],
    patterns: &Patterns,
    person_pattern: &[Option<u32>],
    draws: usize,
    seed: u64,
) -> Vec<Vec<Option<f64>>> {
    let (grid, cdf) = posterior_cdfs(items, patterns);
    let half_cell = (grid.nodes[1] - grid.nodes[0]) / 2.0;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..draws)
        .map(|_| {
            person_pattern
                .iter()
                .map(|slot| {
                    let p = (*slot)? as usize;
                    let row = cdf.get(p * PV_POINTS..(p + 1) * PV_POINTS)?;
                    let u: f64 = rng.random::<f64>() * row[PV_POINTS - 1];
                    let cell = row.partition_point(|&c| c < u).min(PV_POINTS - 1);
                    let jitter: f64 = rng.random::<f64>() * 2.0 - 1.0;
                    Some(grid.nodes[cell] + jitter * half_cell)
                })
                .collect()
        })
        .collect()
}
