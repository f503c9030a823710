//! Plausible values conditioned on the analysis model's variables: a latent regression
//! θ_i ~ N(z_i'Γ, σ²) with the item parameters fixed at their 2PL estimates (Mislevy 1991).

use egov_irt::{ItemEstimate, MISSING};
use nalgebra::{Cholesky, DMatrix, DVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::TwoStepError;
use crate::design::Prepared;

/// Grid for the posterior: `GRID_POINTS` equally spaced nodes on [−GRID_LIMIT, GRID_LIMIT].
const GRID_POINTS: usize = 121;
const GRID_LIMIT: f64 = 6.0;
/// EM stops when no element of Γ or σ moves by more than this.
const EM_TOLERANCE: f64 = 1e-6;
const EM_MAX_ITERATIONS: usize = 1000;

/// The fitted conditioning model.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LatentRegression {
    /// Conditioning variables: the regression's non-DSI columns, then its outcome.
    pub variables: Vec<String>,
    /// Γ, one coefficient per variable.
    pub coefficients: Vec<f64>,
    /// Residual SD σ of θ given the variables.
    pub sigma: f64,
    /// EM iterations.
    pub iterations: usize,
    /// Whether EM met its tolerance (1e-6 on Γ and σ) within 1,000 iterations.
    pub converged: bool,
}

fn grid() -> Vec<f64> {
    let step = 2.0 * GRID_LIMIT / (GRID_POINTS - 1) as f64;
    (0..GRID_POINTS)
        .map(|q| -GRID_LIMIT + q as f64 * step)
        .collect()
}

/// log P(pattern | θ_q) for every pattern (pattern-major).
fn pattern_loglik(items: &[ItemEstimate], prepared: &Prepared, nodes: &[f64]) -> Vec<f64> {
    let q = nodes.len();
    // log P(y | θ_q) per item, answer (0, 1) and node, computed once rather than per pattern.
    let item_loglik: Vec<[Vec<f64>; 2]> = items
        .iter()
        .map(|item| {
            let at = |y: u8| -> Vec<f64> {
                nodes
                    .iter()
                    .map(|t| {
                        let z = item.a * t + item.d;
                        // log σ(z) or log(1 − σ(z)), stably.
                        let s = if y == 1 { -z } else { z };
                        -(if s > 0.0 {
                            s + (-s).exp().ln_1p()
                        } else {
                            s.exp().ln_1p()
                        })
                    })
                    .collect()
            };
            [at(0), at(1)]
        })
        .collect();
    let mut out = vec![0.0; prepared.patterns.len() * q];
    for p in 0..prepared.patterns.len() {
        let row = &mut out[p * q..(p + 1) * q];
        for (table, &y) in item_loglik.iter().zip(prepared.patterns.pattern(p)) {
            if y == MISSING {
                continue;
            }
            let values = &table[usize::from(y == 1)];
            for (acc, v) in row.iter_mut().zip(values) {
                *acc += v;
            }
        }
    }
    out
}

/// Normalised posterior over the grid for log-likelihood row `ll` and prior N(mu, sigma²).
fn posterior(ll: &[f64], nodes: &[f64], mu: f64, sigma: f64, out: &mut [f64]) {
    let inv = 0.5 / (sigma * sigma);
    let mut max = f64::NEG_INFINITY;
    for ((o, l), t) in out.iter_mut().zip(ll).zip(nodes) {
        *o = l - (t - mu) * (t - mu) * inv;
        max = max.max(*o);
    }
    let mut total = 0.0;
    for o in out.iter_mut() {
        *o = (*o - max).exp();
        total += *o;
    }
    out.iter_mut().for_each(|o| *o /= total);
}

/// exp(log-likelihood − its maximum) per pattern, pattern-major: the likelihood part of every
/// posterior, exponentiated once.
fn scaled_likelihood(ll: &[f64], q: usize) -> Vec<f64> {
    let mut out = vec![0.0; ll.len()];
    for (row, dst) in ll.chunks_exact(q).zip(out.chunks_exact_mut(q)) {
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for (d, l) in dst.iter_mut().zip(row) {
            *d = (l - max).exp();
        }
    }
    out
}

/// The N(μ, σ²) prior on an equally spaced grid factorises as
/// exp(−t²/2σ²) · exp(t₀μ/σ²) · exp(Δμ/σ²)^q · const, so a posterior costs two `exp` calls
/// instead of one per node. Falls back to the log-space [`posterior`] when the factors could
/// overflow or the product underflows.
struct FastPrior<'a> {
    nodes: &'a [f64],
    gauss: Vec<f64>,
    inv_var: f64,
    sigma: f64,
}

impl<'a> FastPrior<'a> {
    fn new(nodes: &'a [f64], sigma: f64) -> Self {
        let inv_var = 1.0 / (sigma * sigma);
        FastPrior {
            nodes,
            gauss: nodes
                .iter()
                .map(|t| (-0.5 * t * t * inv_var).exp())
                .collect(),
            inv_var,
            sigma,
        }
    }

    fn posterior(&self, lik: &[f64], ll: &[f64], mu: f64, out: &mut [f64]) {
        let n = self.nodes.len();
        let x0 = self.nodes[0] * mu * self.inv_var;
        let x1 = self.nodes[n - 1] * mu * self.inv_var;
        if x0.abs().max(x1.abs()) > 300.0 {
            return posterior(ll, self.nodes, mu, self.sigma, out);
        }
        let ratio = ((self.nodes[1] - self.nodes[0]) * mu * self.inv_var).exp();
        let mut tilt = x0.exp();
        let mut total = 0.0;
        for ((o, l), g) in out.iter_mut().zip(lik).zip(&self.gauss) {
            *o = l * g * tilt;
            total += *o;
            tilt *= ratio;
        }
        if !(total.is_finite() && total > 1e-280) {
            return posterior(ll, self.nodes, mu, self.sigma, out);
        }
        out.iter_mut().for_each(|o| *o /= total);
    }

    /// `lik` (pattern-major rows of scaled likelihoods) times the prior's Gaussian factor, for
    /// [`FastPrior::moments`].
    fn weigh(&self, lik: &[f64]) -> Vec<f64> {
        let mut out = lik.to_vec();
        for row in out.chunks_exact_mut(self.nodes.len()) {
            row.iter_mut().zip(&self.gauss).for_each(|(l, g)| *l *= g);
        }
        out
    }

    /// Posterior mean and variance, as [`FastPrior::posterior`] followed by the moments of
    /// the posterior, but in one pass without storing it: the E-step needs only these two
    /// numbers per person. `weighed` is the pattern's row of [`FastPrior::weigh`]; `out` is
    /// scratch for the log-space fallback. Four interleaved sums keep the pass from waiting on
    /// one dependency chain.
    fn moments(&self, weighed: &[f64], ll: &[f64], mu: f64, out: &mut [f64]) -> (f64, f64) {
        const LANES: usize = 4;
        let n = self.nodes.len();
        let x0 = self.nodes[0] * mu * self.inv_var;
        let x1 = self.nodes[n - 1] * mu * self.inv_var;
        if x0.abs().max(x1.abs()) <= 300.0 {
            let ratio = ((self.nodes[1] - self.nodes[0]) * mu * self.inv_var).exp();
            let mut tilt = [0.0; LANES];
            tilt[0] = x0.exp();
            for l in 1..LANES {
                tilt[l] = tilt[l - 1] * ratio;
            }
            let step = ratio.powi(LANES as i32);
            let (mut total, mut s1, mut s2) = ([0.0; LANES], [0.0; LANES], [0.0; LANES]);
            let body = n - n % LANES;
            for (ws, ts) in weighed[..body]
                .chunks_exact(LANES)
                .zip(self.nodes[..body].chunks_exact(LANES))
            {
                for l in 0..LANES {
                    let o = ws[l] * tilt[l];
                    total[l] += o;
                    s1[l] += o * ts[l];
                    s2[l] += o * ts[l] * ts[l];
                    tilt[l] *= step;
                }
            }
            let (mut total, mut s1, mut s2) = (
                total.iter().sum::<f64>(),
                s1.iter().sum::<f64>(),
                s2.iter().sum::<f64>(),
            );
            for (l, (w, t)) in weighed[body..].iter().zip(&self.nodes[body..]).enumerate() {
                let o = w * tilt[l];
                total += o;
                s1 += o * t;
                s2 += o * t * t;
            }
            if total.is_finite() && total > 1e-280 {
                let mean = s1 / total;
                return (mean, (s2 / total - mean * mean).max(0.0));
            }
        }
        posterior(ll, self.nodes, mu, self.sigma, out);
        let (s1, s2) = out
            .iter()
            .zip(self.nodes)
            .fold((0.0, 0.0), |(a, b), (w, t)| (a + w * t, b + w * t * t));
        (s1, (s2 - s1 * s1).max(0.0))
    }
}

/// Plausible values, draw-major (None = no answered item).
type Draws = Vec<Vec<Option<f64>>>;

/// Fit the latent regression by EM and draw `draws` plausible values per person.
///
/// Persons outside the regression (missing covariates) are drawn from their N(0, 1)-prior
/// posterior; they only enter the standardisation.
pub(crate) fn conditioned_draws(
    prepared: &Prepared,
    draws: usize,
    seed: u64,
) -> Result<(Draws, LatentRegression), TwoStepError> {
    let nodes = grid();
    let q = nodes.len();
    let ll = pattern_loglik(&prepared.fit.items, prepared, &nodes);
    let lik = scaled_likelihood(&ll, q);
    let z = &prepared.conditioning;
    let m = prepared.rows.len();
    let w: Vec<f64> = prepared
        .rows
        .iter()
        .map(|&r| prepared.base_weights[r])
        .collect();
    let pattern_of: Vec<usize> = prepared
        .rows
        .iter()
        .map(|&r| prepared.person_pattern[r].map(|p| p as usize))
        .collect::<Option<_>>()
        .ok_or_else(|| TwoStepError::Design("a regression row has no response pattern".into()))?;
    // Z'WZ once, scaled to unit diagonal.
    let mut zw = z.clone();
    for (i, wi) in w.iter().enumerate() {
        zw.row_mut(i).scale_mut(*wi);
    }
    let g = zw.tr_mul(z);
    let kz = g.nrows();
    let scale: Vec<f64> = (0..kz).map(|j| 1.0 / g[(j, j)].sqrt()).collect();
    let gs = DMatrix::from_fn(kz, kz, |a, b| g[(a, b)] * scale[a] * scale[b]);
    let chol = Cholesky::new(gs).ok_or_else(|| {
        TwoStepError::Design(
            "the conditioning variables are collinear; the latent regression cannot be fitted"
                .into(),
        )
    })?;
    let solve = |target: &[f64]| -> Vec<f64> {
        let rhs = zw.tr_mul(&DVector::from_column_slice(target));
        let b = chol.solve(&DVector::from_iterator(
            kz,
            (0..kz).map(|j| rhs[j] * scale[j]),
        ));
        (0..kz).map(|j| b[j] * scale[j]).collect()
    };
    let sum_w: f64 = w.iter().sum();
    // Start: N(0, 1) posterior means regressed on Z.
    let e_step = |mu: &[f64], sigma: f64| -> (Vec<f64>, Vec<f64>) {
        let prior = FastPrior::new(&nodes, sigma);
        let weighed = prior.weigh(&lik);
        (0..m)
            .into_par_iter()
            .map_init(
                || vec![0.0; q],
                |post, i| {
                    let p = pattern_of[i];
                    let range = p * q..(p + 1) * q;
                    prior.moments(&weighed[range.clone()], &ll[range], mu[i], post)
                },
            )
            .unzip()
    };
    let (start, _) = e_step(&vec![0.0; m], 1.0);
    let mut gamma = solve(&start);
    let mut sigma = 1.0;
    let mut iterations = 0;
    let mut converged = false;
    while iterations < EM_MAX_ITERATIONS {
        iterations += 1;
        let mu: Vec<f64> = (z * DVector::from_column_slice(&gamma))
            .iter()
            .copied()
            .collect();
        let (mean, var) = e_step(&mu, sigma);
        let new_gamma = solve(&mean);
        let fitted = z * DVector::from_column_slice(&new_gamma);
        let ss: f64 = (0..m)
            .map(|i| w[i] * (var[i] + (mean[i] - fitted[i]).powi(2)))
            .sum();
        let new_sigma = (ss / sum_w).sqrt();
        let change = gamma
            .iter()
            .zip(&new_gamma)
            .map(|(a, b)| (a - b).abs())
            .fold((sigma - new_sigma).abs(), f64::max);
        gamma = new_gamma;
        sigma = new_sigma;
        if change < EM_TOLERANCE {
            converged = true;
            break;
        }
    }
    let mu: Vec<f64> = (z * DVector::from_column_slice(&gamma))
        .iter()
        .copied()
        .collect();

    // Draws: inverse CDF on the grid plus a uniform position within the cell.
    let half = GRID_LIMIT / (GRID_POINTS - 1) as f64;
    let mut row_of = vec![usize::MAX; prepared.person_pattern.len()];
    for (i, &r) in prepared.rows.iter().enumerate() {
        row_of[r] = i;
    }
    // A person's posterior is the same in every draw: compute it (and its running sum) once
    // per person for a group of draws, each group on its own thread. Draw d still uses ChaCha8
    // stream d, two numbers per person in person order, so the values do not depend on the
    // grouping or the number of threads.
    let draw_ids: Vec<usize> = (0..draws).collect();
    let group = draws.div_ceil(rayon::current_num_threads().max(1)).max(1);
    let values: Vec<Vec<Option<f64>>> = draw_ids
        .par_chunks(group)
        .flat_map_iter(|ids| {
            let conditional = FastPrior::new(&nodes, sigma);
            let standard = FastPrior::new(&nodes, 1.0);
            let mut rngs: Vec<ChaCha8Rng> = ids
                .iter()
                .map(|&d| {
                    let mut rng = ChaCha8Rng::seed_from_u64(seed);
                    rng.set_stream(d as u64);
                    rng
                })
                .collect();
            let n = prepared.person_pattern.len();
            let mut out: Vec<Vec<Option<f64>>> = vec![Vec::with_capacity(n); ids.len()];
            let mut post = vec![0.0; q];
            let mut cumulative = vec![0.0; q];
            for (person, slot) in prepared.person_pattern.iter().enumerate() {
                let Some(p) = *slot else {
                    out.iter_mut().for_each(|v| v.push(None));
                    continue;
                };
                let p = p as usize;
                let (mu_i, prior) = match row_of[person] {
                    usize::MAX => (0.0, &standard),
                    i => (mu[i], &conditional),
                };
                let range = p * q..(p + 1) * q;
                prior.posterior(&lik[range.clone()], &ll[range], mu_i, &mut post);
                let mut acc = 0.0;
                for (c, v) in cumulative.iter_mut().zip(&post) {
                    acc += v;
                    *c = acc;
                }
                for (rng, v) in rngs.iter_mut().zip(out.iter_mut()) {
                    let u: f64 = rng.random();
                    let cell = cumulative.iter().position(|&c| c >= u).unwrap_or(q - 1);
                    let jitter: f64 = rng.random::<f64>() * 2.0 - 1.0;
                    v.push(Some(nodes[cell] + jitter * half));
                }
            }
            out
        })
        .collect();
    let mut variables: Vec<String> = prepared
        .terms
        .iter()
        .enumerate()
        .filter(|(j, _)| !prepared.depends_on_dsi(*j))
        .map(|(_, t)| t.clone())
        .collect();
    variables.push(prepared.naive.outcome.clone());
    Ok((
        values,
        LatentRegression {
            variables,
            coefficients: gamma,
            sigma,
            iterations,
            converged,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_posterior_equals_log_space_posterior() {
        let nodes = grid();
        let q = nodes.len();
        // A likelihood row shaped like a 2PL pattern: log-concave, peaked near 0.7.
        let ll: Vec<f64> = nodes
            .iter()
            .map(|t| -1.8 * (t - 0.7) * (t - 0.7) - 0.3 * t.abs())
            .collect();
        let lik = scaled_likelihood(&ll, q);
        let (mut fast, mut slow) = (vec![0.0; q], vec![0.0; q]);
        for sigma in [0.05, 0.3, 0.8, 1.0, 2.5] {
            let prior = FastPrior::new(&nodes, sigma);
            for mu in [-4.0, -1.3, 0.0, 0.4, 2.2, 5.5] {
                prior.posterior(&lik, &ll, mu, &mut fast);
                posterior(&ll, &nodes, mu, sigma, &mut slow);
                for (a, b) in fast.iter().zip(&slow) {
                    assert!((a - b).abs() < 1e-12, "sigma {sigma}, mu {mu}: {a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn one_pass_moments_equal_those_of_the_posterior() {
        let nodes = grid();
        let q = nodes.len();
        let ll: Vec<f64> = nodes
            .iter()
            .map(|t| -1.8 * (t - 0.7) * (t - 0.7) - 0.3 * t.abs())
            .collect();
        let lik = scaled_likelihood(&ll, q);
        let (mut scratch, mut post) = (vec![0.0; q], vec![0.0; q]);
        // mu = 80 with sigma = 0.3 exercises the log-space fallback.
        for sigma in [0.05, 0.3, 0.8, 1.0, 2.5] {
            let prior = FastPrior::new(&nodes, sigma);
            for mu in [-4.0, -1.3, 0.0, 0.4, 2.2, 5.5, 80.0] {
                prior.posterior(&lik, &ll, mu, &mut post);
                let (s1, s2) = post
                    .iter()
                    .zip(&nodes)
                    .fold((0.0, 0.0), |(a, b), (w, t)| (a + w * t, b + w * t * t));
                let (mean, var) = prior.moments(&prior.weigh(&lik), &ll, mu, &mut scratch);
                assert!(
                    (mean - s1).abs() < 1e-12,
                    "sigma {sigma}, mu {mu}: {mean} vs {s1}"
                );
                let expected = (s2 - s1 * s1).max(0.0);
                assert!(
                    (var - expected).abs() < 1e-12,
                    "sigma {sigma}, mu {mu}: variance {var} vs {expected}"
                );
            }
        }
    }
}
