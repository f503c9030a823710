//! Marginal maximum likelihood: Bock–Aitkin EM followed by Newton–Raphson on the marginal likelihood.

use serde::{Deserialize, Serialize};

use crate::linalg::{cholesky, cholesky_inverse, cholesky_solve};
use crate::{IrtError, MISSING, Model, Patterns, Quadrature, QuadratureRule};

/// Options of [`crate::fit`] and [`crate::fit_patterns`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitOptions {
    /// 2PL (default) or 1PL (one common slope).
    pub model: Model,
    /// Number of quadrature nodes (default 41).
    pub quadrature_points: usize,
    /// Convergence tolerance on the largest Newton step in any (a, d) parameter (default 1e-6).
    pub tolerance: f64,
    /// Cap on EM + Newton iterations (default 5000).
    pub max_iterations: usize,
    /// Compute standard errors from the observed information (default true).
    pub standard_errors: bool,
    /// Quadrature rule (default Gauss–Hermite).
    pub quadrature: QuadratureRule,
    /// Optional starting values (a, d) per item, e.g. the full-sample estimates for a bootstrap replicate.
    pub start: Option<Vec<(f64, f64)>>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            model: Model::TwoPl,
            quadrature_points: 41,
            tolerance: 1e-6,
            max_iterations: 5000,
            standard_errors: true,
            quadrature: QuadratureRule::GaussHermite,
            start: None,
        }
    }
}

/// One item's estimates in both parameterisations: P(yes | θ) = 1 / (1 + exp(−(aθ + d))) = 1 / (1 + exp(−a(θ − b))).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemEstimate {
    /// Item name.
    pub name: String,
    /// Discrimination (slope).
    pub a: f64,
    /// Difficulty b = −d / a.
    pub b: f64,
    /// Intercept d = −a b.
    pub d: f64,
    /// Standard error of a (None when not requested or the information matrix is singular).
    pub a_se: Option<f64>,
    /// Standard error of b (delta method).
    pub b_se: Option<f64>,
    /// Standard error of d.
    pub d_se: Option<f64>,
}

impl ItemEstimate {
    /// An item from slope and intercept, without standard errors.
    ///
    /// ```
    /// let item = egov_irt::ItemEstimate::from_slope_intercept("x", 2.0, 1.0);
    /// assert_eq!(item.b, -0.5);
    /// ```
    pub fn from_slope_intercept(name: &str, a: f64, d: f64) -> ItemEstimate {
        ItemEstimate {
            name: name.to_string(),
            a,
            b: -d / a,
            d,
            a_se: None,
            b_se: None,
            d_se: None,
        }
    }

    /// P(yes | θ).
    pub fn probability(&self, theta: f64) -> f64 {
        logistic(self.a * theta + self.d)
    }
}

/// Result of a marginal maximum likelihood fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemFit {
    /// Model fitted.
    pub model: Model,
    /// Persons with at least one answered item (unweighted count).
    pub n_respondents: usize,
    /// Number of unique response patterns.
    pub n_patterns: usize,
    /// Persons left out because they answered no item.
    pub n_excluded: usize,
    /// Sum of weights of the included persons (the n used in BIC).
    pub sum_weights: f64,
    /// Weighted marginal log-likelihood Σ_p w_p log ∫ Π_i P_i(θ)^y (1 − P_i(θ))^(1−y) φ(θ) dθ.
    pub loglik: f64,
    /// −2 loglik + 2k.
    pub aic: f64,
    /// −2 loglik + k ln(sum_weights).
    pub bic: f64,
    /// Number of free parameters k.
    pub n_parameters: usize,
    /// True when the convergence rule was met before the iteration cap.
    pub converged: bool,
    /// Total iterations (EM + Newton).
    pub iterations: usize,
    /// EM iterations.
    pub em_iterations: usize,
    /// Newton–Raphson iterations.
    pub newton_iterations: usize,
    /// Largest absolute gradient element of the log-likelihood at the estimates.
    pub max_abs_gradient: f64,
    /// Tolerance used.
    pub tolerance: f64,
    /// Quadrature rule used.
    pub quadrature: QuadratureRule,
    /// Number of quadrature nodes used.
    pub quadrature_points: usize,
    /// Item estimates.
    pub items: Vec<ItemEstimate>,
    /// Covariance matrix of the free parameters (row-major), in the order (a₁, d₁, a₂, d₂, …) for 2PL
    /// and (a, d₁, …, d_J) for 1PL; None if not requested or not computable.
    pub covariance: Option<Vec<f64>>,
    /// Non-fatal problems (non-convergence, singular information, extreme slopes).
    pub warnings: Vec<String>,
}

pub(crate) fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Per-node item quantities and EM accumulators, item-major (`item * Q + node`).
pub(crate) struct Workspace {
    q: usize,
    j: usize,
    log_p: Vec<f64>,
    log_q: Vec<f64>,
    p: Vec<f64>,
    /// P again, node-major (`node * J + item`): per-pattern sums over the nodes then run for all items
    /// at once (independent accumulators, same summation order per item as the item-major loops).
    p_by_node: Vec<f64>,
    /// Per-item sums over the nodes of one pattern: Σ post P, Σ post P θ, Σ post P θ².
    node_sums: [Vec<f64>; 3],
    /// 1 − P, computed as σ(−z) for accuracy in the upper tail.
    q_prob: Vec<f64>,
    /// Outer-product-of-gradients matrix Σ_p w_p g_p g_pᵀ (2PL order) from the last E-step that asked for it.
    opg: Vec<f64>,
    totals: Vec<f64>,
    /// Expected number answering item i at node q.
    pub(crate) expected_n: Vec<f64>,
    /// Expected number answering yes.
    pub(crate) expected_r: Vec<f64>,
    log_w: Vec<f64>,
    weights: Vec<f64>,
    ll: Vec<f64>,
}

impl Workspace {
    pub(crate) fn new(quad: &Quadrature, j: usize) -> Workspace {
        let q = quad.len();
        Workspace {
            q,
            j,
            log_p: vec![0.0; j * q],
            log_q: vec![0.0; j * q],
            p: vec![0.0; j * q],
            p_by_node: vec![0.0; q * j],
            node_sums: [vec![0.0; j], vec![0.0; j], vec![0.0; j]],
            q_prob: vec![0.0; j * q],
            opg: vec![0.0; 4 * j * j],
            totals: vec![0.0; q],
            expected_n: vec![0.0; j * q],
            expected_r: vec![0.0; j * q],
            log_w: quad.weights.iter().map(|w| w.max(1e-300).ln()).collect(),
            weights: quad.weights.clone(),
            ll: vec![0.0; q],
        }
    }

    fn set_items(&mut self, quad: &Quadrature, a: &[f64], d: &[f64]) {
        for i in 0..self.j {
            for (k, theta) in quad.nodes.iter().enumerate() {
                let z = a[i] * theta + d[i];
                // log σ(z) and log(1 − σ(z)) computed stably.
                let log1p_exp_neg = if z > 0.0 {
                    (-z).exp().ln_1p()
                } else {
                    -z + z.exp().ln_1p()
                };
                self.log_p[i * self.q + k] = -log1p_exp_neg;
                self.log_q[i * self.q + k] = -z - log1p_exp_neg;
                self.p[i * self.q + k] = logistic(z);
                self.p_by_node[k * self.j + i] = logistic(z);
                self.q_prob[i * self.q + k] = logistic(-z);
            }
        }
    }

    /// Σ_q post_q P_iq θ_q^e for every item i and e < `powers` (1 ≤ powers ≤ 3) into `node_sums`.
    fn node_sums(&mut self, quad: &Quadrature, post: &[f64], powers: usize) {
        let j = self.j;
        let [s0, s1, s2] = &mut self.node_sums;
        s0.fill(0.0);
        s1.fill(0.0);
        s2.fill(0.0);
        for ((&pk, &t), row) in post
            .iter()
            .zip(&quad.nodes)
            .zip(self.p_by_node.chunks_exact(j))
        {
            match powers {
                1 => {
                    for (a, &r) in s0.iter_mut().zip(row) {
                        *a += pk * r;
                    }
                }
                2 => {
                    for ((a, b), &r) in s0.iter_mut().zip(s1.iter_mut()).zip(row) {
                        let pp = pk * r;
                        *a += pp;
                        *b += pp * t;
                    }
                }
                _ => {
                    for (((a, b), c), &r) in
                        s0.iter_mut().zip(s1.iter_mut()).zip(s2.iter_mut()).zip(row)
                    {
                        let pp = pk * r;
                        *a += pp;
                        *b += pp * t;
                        *c += pp * t * t;
                    }
                }
            }
        }
    }

    /// Posterior over the nodes for one pattern into `post`; returns log L_p.
    ///
    /// The likelihood is a product of J probabilities per node, formed directly (no exp per node); if it
    /// underflows at every node (very long tests or extreme parameters) the log-space path takes over.
    fn posterior(&mut self, pattern: &[u8], post: &mut [f64]) -> f64 {
        let q = self.q;
        post.copy_from_slice(&self.weights);
        for (i, &y) in pattern.iter().enumerate() {
            let row = match y {
                1 => &self.p[i * q..(i + 1) * q],
                0 => &self.q_prob[i * q..(i + 1) * q],
                _ => continue,
            };
            for (acc, v) in post.iter_mut().zip(row) {
                *acc *= v;
            }
        }
        let total: f64 = post.iter().sum();
        if total > 1e-250 && total.is_finite() {
            let inv = 1.0 / total;
            post.iter_mut().for_each(|v| *v *= inv);
            return total.ln();
        }
        self.ll.copy_from_slice(&self.log_w);
        for (i, &y) in pattern.iter().enumerate() {
            let row = match y {
                1 => &self.log_p[i * q..(i + 1) * q],
                0 => &self.log_q[i * q..(i + 1) * q],
                _ => continue,
            };
            for (acc, v) in self.ll.iter_mut().zip(row) {
                *acc += v;
            }
        }
        let max = self.ll.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut total = 0.0;
        for (out, v) in post.iter_mut().zip(&self.ll) {
            *out = (v - max).exp();
            total += *out;
        }
        let inv = 1.0 / total;
        post.iter_mut().for_each(|v| *v *= inv);
        max + total.ln()
    }

    /// E-step: fills expected counts (and, if `with_opg`, the outer product of per-pattern gradients);
    /// returns the weighted marginal log-likelihood.
    fn e_step(
        &mut self,
        quad: &Quadrature,
        patterns: &Patterns,
        weights: &[f64],
        a: &[f64],
        d: &[f64],
        with_opg: bool,
    ) -> f64 {
        self.set_items(quad, a, d);
        let (q, j) = (self.q, self.j);
        let m = 2 * j;
        // expected_n first collects the mass of patterns where the item is missing; n = total − missing.
        self.expected_n.iter_mut().for_each(|v| *v = 0.0);
        self.expected_r.iter_mut().for_each(|v| *v = 0.0);
        self.totals.iter_mut().for_each(|v| *v = 0.0);
        if with_opg {
            self.opg.iter_mut().for_each(|v| *v = 0.0);
        }
        let mut post = vec![0.0; q];
        let mut g = vec![0.0; m];
        let mut loglik = 0.0;
        for (index, &w) in weights.iter().enumerate() {
            if w <= 0.0 {
                continue;
            }
            let pattern = patterns.pattern(index);
            loglik += w * self.posterior(pattern, &mut post);
            for (acc, v) in self.totals.iter_mut().zip(&post) {
                *acc += w * v;
            }
            for (i, &y) in pattern.iter().enumerate() {
                let target = match y {
                    1 => &mut self.expected_r[i * q..(i + 1) * q],
                    0 => continue,
                    _ => &mut self.expected_n[i * q..(i + 1) * q],
                };
                for (acc, v) in target.iter_mut().zip(&post) {
                    *acc += w * v;
                }
            }
            if with_opg {
                // Per-pattern score: Σ_q post_q (y_i − P_iq) (θ_q, 1) for answered items, zero for missing ones
                // (whose rows and columns of the outer product then only receive exact zeros).
                let mean_theta: f64 = post.iter().zip(&quad.nodes).map(|(p, t)| p * t).sum();
                self.node_sums(quad, &post, 2);
                g.fill(0.0);
                for (i, &y) in pattern.iter().enumerate() {
                    if y == MISSING {
                        continue;
                    }
                    let yf = f64::from(y);
                    g[2 * i] = yf * mean_theta - self.node_sums[1][i];
                    g[2 * i + 1] = yf - self.node_sums[0][i];
                }
                // Upper triangle only; mirrored once after the pattern loop.
                for (r, &gr) in g.iter().enumerate() {
                    if gr == 0.0 {
                        continue;
                    }
                    let wg = w * gr;
                    let row = &mut self.opg[r * m..(r + 1) * m];
                    for (o, &gc) in row[r..].iter_mut().zip(&g[r..]) {
                        *o += wg * gc;
                    }
                }
            }
        }
        if with_opg {
            for r in 0..m {
                for c in 0..r {
                    self.opg[r * m + c] = self.opg[c * m + r];
                }
            }
        }
        for i in 0..j {
            for k in 0..q {
                let at = i * q + k;
                self.expected_n[at] = self.totals[k] - self.expected_n[at];
            }
        }
        loglik
    }

    /// Gradient of the marginal log-likelihood in 2PL order (a₁, d₁, …) from the last E-step (Fisher's identity).
    fn gradient(&self, quad: &Quadrature) -> Vec<f64> {
        let mut g = vec![0.0; 2 * self.j];
        for i in 0..self.j {
            for (k, theta) in quad.nodes.iter().enumerate() {
                let at = i * self.q + k;
                let residual = self.expected_r[at] - self.expected_n[at] * self.p[at];
                g[2 * i] += residual * theta;
                g[2 * i + 1] += residual;
            }
        }
        g
    }

    /// Exact Hessian of the marginal log-likelihood in 2PL order, per pattern by Louis' identity
    /// H = Σ_p w_p (E_post[∂²ℓ_c] + Cov_post[∂ℓ_c]); requires a preceding E-step at the same parameters.
    fn hessian(&mut self, quad: &Quadrature, patterns: &Patterns, weights: &[f64]) -> Vec<f64> {
        let (q, j) = (self.q, self.j);
        let m = 2 * j;
        let mut h = vec![0.0; m * m];
        // Expected complete-data Hessian: −Σ_q n_iq P(1−P) [θ², θ; θ, 1], block diagonal.
        for i in 0..j {
            let (mut s0, mut s1, mut s2) = (0.0, 0.0, 0.0);
            for (k, theta) in quad.nodes.iter().enumerate() {
                let at = i * q + k;
                let info = self.expected_n[at] * self.p[at] * (1.0 - self.p[at]);
                s0 += info;
                s1 += info * theta;
                s2 += info * theta * theta;
            }
            h[(2 * i) * m + 2 * i] -= s2;
            h[(2 * i) * m + 2 * i + 1] -= s1;
            h[(2 * i + 1) * m + 2 * i] -= s1;
            h[(2 * i + 1) * m + 2 * i + 1] -= s0;
        }
        let mut post = vec![0.0; q];
        let mut answered = Vec::with_capacity(j);
        let mut g = vec![0.0; m];
        // Every pattern uses the expansion (y_i − P_i)(y_k − P_k) = y_i y_k − y_i P_k − y_k P_i + P_i P_k over
        // its answered items: the first three terms need only J posterior moments per pattern, and the last
        // term summed over patterns needs only the posterior mass per node of the patterns where both i and k
        // are answered, M − A_i − A_k + B_ik (all patterns, minus those missing i or k, plus those missing
        // both), so its J² × Q cost is paid once instead of once per pattern.
        let mut all_mass = vec![0.0; q];
        let mut missing_mass = vec![0.0; j * q];
        let mut pair_missing_mass = vec![0.0; j * j * q];
        let mut missing = Vec::with_capacity(j);
        let mut u = vec![0.0; 3 * j];
        let add_block = |h: &mut [f64], i: usize, k: usize, block: [[f64; 2]; 2], w: f64| {
            for (r, row) in block.iter().enumerate() {
                for (c, value) in row.iter().enumerate() {
                    h[(2 * i + r) * m + 2 * k + c] += w * value;
                }
            }
        };
        for (index, &w) in weights.iter().enumerate() {
            if w <= 0.0 {
                continue;
            }
            let pattern = patterns.pattern(index);
            self.posterior(pattern, &mut post);
            let (mut m0, mut m1, mut m2) = (0.0, 0.0, 0.0);
            for ((p, t), mass) in post.iter().zip(&quad.nodes).zip(all_mass.iter_mut()) {
                m0 += p;
                m1 += p * t;
                m2 += p * t * t;
                *mass += w * p;
            }
            let mom = [m0, m1, m2];
            answered.clear();
            missing.clear();
            self.node_sums(quad, &post, 3);
            for (i, &y) in pattern.iter().enumerate() {
                if y == MISSING {
                    missing.push(i);
                    continue;
                }
                answered.push(i);
                let (u0, u1, u2) = (
                    self.node_sums[0][i],
                    self.node_sums[1][i],
                    self.node_sums[2][i],
                );
                u[3 * i] = u0;
                u[3 * i + 1] = u1;
                u[3 * i + 2] = u2;
                let y = f64::from(y);
                g[2 * i] = y * m1 - u1;
                g[2 * i + 1] = y * m0 - u0;
            }
            for (ai, &i) in answered.iter().enumerate() {
                let yi = f64::from(pattern[i]);
                for &k in &answered[ai..] {
                    let yk = f64::from(pattern[k]);
                    // Σ_q post θ^e (y_i y_k − y_i P_k − y_k P_i), e = 0, 1, 2.
                    let part = |e: usize| yi * yk * mom[e] - yi * u[3 * k + e] - yk * u[3 * i + e];
                    let block = [
                        [
                            part(2) - g[2 * i] * g[2 * k],
                            part(1) - g[2 * i] * g[2 * k + 1],
                        ],
                        [
                            part(1) - g[2 * i + 1] * g[2 * k],
                            part(0) - g[2 * i + 1] * g[2 * k + 1],
                        ],
                    ];
                    add_block(&mut h, i, k, block, w);
                    if i != k {
                        let transposed = [[block[0][0], block[1][0]], [block[0][1], block[1][1]]];
                        add_block(&mut h, k, i, transposed, w);
                    }
                }
            }
            for (bi, &i) in missing.iter().enumerate() {
                for (mass, p) in missing_mass[i * q..(i + 1) * q].iter_mut().zip(&post) {
                    *mass += w * p;
                }
                for &k in &missing[bi + 1..] {
                    let at = (i * j + k) * q;
                    for (mass, p) in pair_missing_mass[at..at + q].iter_mut().zip(&post) {
                        *mass += w * p;
                    }
                }
            }
        }
        // The P_i P_k term, once over the nodes, with the mass of the patterns answering both items.
        let mut mass = vec![0.0; q];
        for i in 0..j {
            for k in i..j {
                let lo = i.min(k);
                let hi = i.max(k);
                for n in 0..q {
                    mass[n] = all_mass[n] - missing_mass[i * q + n];
                    if k != i {
                        mass[n] +=
                            pair_missing_mass[(lo * j + hi) * q + n] - missing_mass[k * q + n];
                    }
                }
                let (mut s0, mut s1, mut s2) = (0.0, 0.0, 0.0);
                let (pi, pk) = (&self.p[i * q..(i + 1) * q], &self.p[k * q..(k + 1) * q]);
                for (n, (mass, t)) in mass.iter().zip(&quad.nodes).enumerate() {
                    let v = mass * pi[n] * pk[n];
                    s0 += v;
                    s1 += v * t;
                    s2 += v * t * t;
                }
                add_block(&mut h, i, k, [[s2, s1], [s1, s0]], 1.0);
                if k != i {
                    add_block(&mut h, k, i, [[s2, s1], [s1, s0]], 1.0);
                }
            }
        }
        h
    }
}

/// Free-parameter view of the item parameters for each model.
fn to_free(model: Model, a: &[f64], d: &[f64]) -> Vec<f64> {
    match model {
        Model::TwoPl => a.iter().zip(d).flat_map(|(a, d)| [*a, *d]).collect(),
        Model::OnePl => std::iter::once(a[0]).chain(d.iter().copied()).collect(),
    }
}

fn from_free(model: Model, x: &[f64], a: &mut [f64], d: &mut [f64]) {
    match model {
        Model::TwoPl => {
            for i in 0..a.len() {
                a[i] = x[2 * i];
                d[i] = x[2 * i + 1];
            }
        }
        Model::OnePl => {
            a.iter_mut().for_each(|v| *v = x[0]);
            d.copy_from_slice(&x[1..]);
        }
    }
}

/// Map 2PL-order gradient and Hessian to the model's free parameters (chain rule; for 1PL a_i = a for all i).
fn reduce(model: Model, j: usize, g: &[f64], h: Option<&[f64]>) -> (Vec<f64>, Option<Vec<f64>>) {
    match model {
        Model::TwoPl => (g.to_vec(), h.map(<[f64]>::to_vec)),
        Model::OnePl => {
            let map = |p: usize| if p.is_multiple_of(2) { 0 } else { 1 + p / 2 };
            let mut gr = vec![0.0; j + 1];
            for (p, v) in g.iter().enumerate() {
                gr[map(p)] += v;
            }
            let hr = h.map(|h| {
                let m = 2 * j;
                let mut out = vec![0.0; (j + 1) * (j + 1)];
                for r in 0..m {
                    for c in 0..m {
                        out[map(r) * (j + 1) + map(c)] += h[r * m + c];
                    }
                }
                out
            });
            (gr, hr)
        }
    }
}

/// M-step: maximise Σ_q r log P + (n − r) log(1 − P) per item (2PL) or jointly (1PL) by damped Newton.
fn m_step(model: Model, quad: &Quadrature, ws: &Workspace, a: &mut [f64], d: &mut [f64]) {
    let q = ws.q;
    let objective = |i: usize, a: f64, d: f64| -> f64 {
        let mut f = 0.0;
        for (k, theta) in quad.nodes.iter().enumerate() {
            let z = a * theta + d;
            let log1p_exp_neg = if z > 0.0 {
                (-z).exp().ln_1p()
            } else {
                -z + z.exp().ln_1p()
            };
            let (n, r) = (ws.expected_n[i * q + k], ws.expected_r[i * q + k]);
            f += r * (-log1p_exp_neg) + (n - r) * (-z - log1p_exp_neg);
        }
        f
    };
    // Gradient and negative Hessian entries of one item's expected complete-data log-likelihood.
    let derivatives = |i: usize, a: f64, d: f64| -> [f64; 5] {
        let mut out = [0.0; 5];
        for (k, theta) in quad.nodes.iter().enumerate() {
            let p = logistic(a * theta + d);
            let (n, r) = (ws.expected_n[i * q + k], ws.expected_r[i * q + k]);
            let residual = r - n * p;
            let info = n * p * (1.0 - p);
            out[0] += residual * theta;
            out[1] += residual;
            out[2] += info * theta * theta;
            out[3] += info * theta;
            out[4] += info;
        }
        out
    };
    match model {
        Model::TwoPl => {
            for i in 0..a.len() {
                let mut f = objective(i, a[i], d[i]);
                for _ in 0..25 {
                    let [ga, gd, haa, had, hdd] = derivatives(i, a[i], d[i]);
                    let det = haa * hdd - had * had;
                    if det <= 1e-300 {
                        break;
                    }
                    let mut sa = (hdd * ga - had * gd) / det;
                    let mut sd = (haa * gd - had * ga) / det;
                    let norm = sa.abs().max(sd.abs());
                    if norm > 1.0 {
                        sa /= norm;
                        sd /= norm;
                    }
                    let mut accepted = false;
                    for _ in 0..30 {
                        let trial = objective(i, a[i] + sa, d[i] + sd);
                        if trial >= f - 1e-12 * f.abs() {
                            a[i] += sa;
                            d[i] += sd;
                            f = trial;
                            accepted = true;
                            break;
                        }
                        sa *= 0.5;
                        sd *= 0.5;
                    }
                    if !accepted || sa.abs().max(sd.abs()) < 1e-12 {
                        break;
                    }
                }
            }
        }
        Model::OnePl => {
            let j = a.len();
            let total = |a: f64, d: &[f64]| (0..j).map(|i| objective(i, a, d[i])).sum::<f64>();
            let mut f = total(a[0], d);
            for _ in 0..25 {
                let mut g = vec![0.0; j + 1];
                let mut h = vec![0.0; (j + 1) * (j + 1)];
                for i in 0..j {
                    let [ga, gd, haa, had, hdd] = derivatives(i, a[0], d[i]);
                    g[0] += ga;
                    g[i + 1] = gd;
                    h[0] += haa;
                    h[i + 1] = had;
                    h[(i + 1) * (j + 1)] = had;
                    h[(i + 1) * (j + 1) + i + 1] = hdd;
                }
                let Some(l) = cholesky(&h, j + 1) else { break };
                let mut step = cholesky_solve(&l, j + 1, &g);
                let norm = step.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                if norm > 1.0 {
                    step.iter_mut().for_each(|v| *v /= norm);
                }
                let mut accepted = false;
                for _ in 0..30 {
                    let trial_d: Vec<f64> = d.iter().zip(&step[1..]).map(|(v, s)| v + s).collect();
                    let trial = total(a[0] + step[0], &trial_d);
                    if trial >= f - 1e-12 * f.abs() {
                        let new_a = a[0] + step[0];
                        a.iter_mut().for_each(|v| *v = new_a);
                        d.copy_from_slice(&trial_d);
                        f = trial;
                        accepted = true;
                        break;
                    }
                    step.iter_mut().for_each(|v| *v *= 0.5);
                }
                if !accepted || step.iter().fold(0.0f64, |m, v| m.max(v.abs())) < 1e-12 {
                    break;
                }
            }
        }
    }
}

pub(crate) fn validate_options(opts: &FitOptions, n_items: usize) -> Result<Quadrature, IrtError> {
    if !(opts.tolerance.is_finite() && opts.tolerance > 0.0) {
        return Err(IrtError::BadOption {
            option: "tolerance",
            reason: format!(
                "{} must be finite and positive (default 1e-6)",
                opts.tolerance
            ),
        });
    }
    if opts.max_iterations == 0 {
        return Err(IrtError::BadOption {
            option: "max_iterations",
            reason: "must be at least 1".into(),
        });
    }
    if let Some(start) = &opts.start {
        if start.len() != n_items {
            return Err(IrtError::BadOption {
                option: "start",
                reason: format!("{} starting pairs for {} items", start.len(), n_items),
            });
        }
        if start.iter().any(|(a, d)| !a.is_finite() || !d.is_finite()) {
            return Err(IrtError::BadOption {
                option: "start",
                reason: "starting values must be finite".into(),
            });
        }
    }
    Quadrature::new(opts.quadrature, opts.quadrature_points)
}

/// Same estimator as [`crate::fit`], on pre-collapsed patterns with one weight per pattern.
///
/// A bootstrap replicate only needs new pattern weights; `FitOptions::start` can carry the full-sample
/// estimates as starting values, and `standard_errors: false` skips the information matrix.
///
/// ```
/// use egov_irt::{fit_patterns, FitOptions, Patterns};
/// let responses = [1, 1, 0,  1, 0, 0,  0, 0, 0,  1, 1, 1,  0, 1, 0,  1, 0, 1,  0, 0, 1,  1, 1, 0];
/// let (patterns, person_pattern) = Patterns::collapse(&responses, 3).unwrap();
/// let names = vec!["q1".to_string(), "q2".to_string(), "q3".to_string()];
/// let full = fit_patterns(&patterns, &patterns.pattern_weights(&person_pattern, None), &names,
///                         &FitOptions::default()).unwrap();
/// // Reweight persons (e.g. bootstrap counts) and refit from the full-sample estimates.
/// let counts = [2.0, 0.0, 1.0, 1.0, 1.0, 2.0, 0.0, 1.0];
/// let replicate = FitOptions {
///     standard_errors: false,
///     start: Some(full.items.iter().map(|i| (i.a, i.d)).collect()),
///     ..FitOptions::default()
/// };
/// let refit = fit_patterns(&patterns, &patterns.pattern_weights(&person_pattern, Some(&counts)), &names,
///                          &replicate).unwrap();
/// assert_eq!(refit.items.len(), 3);
/// assert!(refit.items[0].a_se.is_none());
/// ```
pub fn fit_patterns(
    patterns: &Patterns,
    pattern_weights: &[f64],
    item_names: &[String],
    opts: &FitOptions,
) -> Result<ItemFit, IrtError> {
    let j = patterns.n_items();
    if j < 2 {
        return Err(IrtError::TooFewItems(j));
    }
    if item_names.len() != j {
        return Err(IrtError::ItemNames {
            got: item_names.len(),
            expected: j,
        });
    }
    crate::validate_weights(pattern_weights, patterns.len(), "pattern weights")?;
    let quad = validate_options(opts, j)?;
    let sum_weights: f64 = pattern_weights.iter().sum();
    if sum_weights <= 0.0 {
        return Err(IrtError::ZeroTotalWeight);
    }
    // Weighted yes/no counts per item: no variation means no information on (a, d).
    let mut yes = vec![0.0; j];
    let mut no = vec![0.0; j];
    for (index, &w) in pattern_weights.iter().enumerate() {
        for (i, &y) in patterns.pattern(index).iter().enumerate() {
            match y {
                1 => yes[i] += w,
                0 => no[i] += w,
                _ => {}
            }
        }
    }
    for i in 0..j {
        if yes[i] <= 0.0 || no[i] <= 0.0 {
            return Err(IrtError::NoVariation {
                item: item_names[i].clone(),
                yes: yes[i],
                no: no[i],
            });
        }
    }
    let mut warnings = Vec::new();
    let (mut a, mut d): (Vec<f64>, Vec<f64>) = match &opts.start {
        Some(start) => start.iter().copied().unzip(),
        None => {
            // Start from the proportions: with a = 1, P̄ ≈ σ(d / √(1 + π²/8 · ... )) ≈ σ(d / 1.25).
            let d0 = (0..j).map(|i| {
                1.25 * (yes[i] / (yes[i] + no[i])).ln() - 1.25 * (no[i] / (yes[i] + no[i])).ln()
            });
            (vec![1.0; j], d0.collect())
        }
    };
    if opts.model == Model::OnePl {
        let mean = a.iter().sum::<f64>() / j as f64;
        a.iter_mut().for_each(|v| *v = mean);
    }
    let mut ws = Workspace::new(&quad, j);
    let n_free = to_free(opts.model, &a, &d).len();
    let mut em_iterations = 0usize;
    let mut newton_iterations = 0usize;
    let mut converged = false;
    ws.e_step(&quad, patterns, pattern_weights, &a, &d, false);
    let mut loglik: f64;
    // EM runs until its parameter change drops below `em_target`; then the scoring phase takes over.
    let mut em_target = 2e-1f64.max(opts.tolerance);
    // A slope this large means the likelihood keeps rising towards a step function: no finite maximum.
    const DIVERGED_SLOPE: f64 = 50.0;
    let mut diverged = false;
    'outer: while em_iterations + newton_iterations < opts.max_iterations {
        loop {
            if em_iterations + newton_iterations >= opts.max_iterations {
                break 'outer;
            }
            if a.iter().any(|v| v.abs() > DIVERGED_SLOPE) {
                diverged = true;
                break 'outer;
            }
            let before = to_free(opts.model, &a, &d);
            m_step(opts.model, &quad, &ws, &mut a, &mut d);
            em_iterations += 1;
            let after = to_free(opts.model, &a, &d);
            let change = before
                .iter()
                .zip(&after)
                .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()));
            let want_opg = change < em_target;
            loglik = ws.e_step(&quad, patterns, pattern_weights, &a, &d, want_opg);
            if want_opg {
                break;
            }
        }
        // Scoring phase: Newton-type steps x += M⁻¹ g with M the outer product of per-pattern gradients
        // (BHHH; cheap, positive definite), then — when standard errors are wanted — exact Newton steps with
        // the analytic Hessian, which both confirm the maximum and give the information matrix.
        let mut exact = false;
        let mut previous_size = f64::INFINITY;
        loop {
            if em_iterations + newton_iterations >= opts.max_iterations {
                break 'outer;
            }
            if a.iter().any(|v| v.abs() > DIVERGED_SLOPE) {
                diverged = true;
                break 'outer;
            }
            let (g, _) = reduce(opts.model, j, &ws.gradient(&quad), None);
            let matrix = if exact {
                let h = ws.hessian(&quad, patterns, pattern_weights);
                reduce(opts.model, j, &[], Some(&h))
                    .1
                    .unwrap()
                    .iter()
                    .map(|v| -v)
                    .collect::<Vec<_>>()
            } else {
                reduce(opts.model, j, &[], Some(&ws.opg)).1.unwrap()
            };
            let Some(factor) = cholesky(&matrix, n_free) else {
                // Not in a well-conditioned concave region yet: more EM with a tighter switch.
                em_target *= 0.1;
                if em_target < 1e-12 {
                    break 'outer;
                }
                ws.e_step(&quad, patterns, pattern_weights, &a, &d, false);
                continue 'outer;
            };
            let step = cholesky_solve(&factor, n_free, &g);
            let size = step.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let x = to_free(opts.model, &a, &d);
            let mut scale = 1.0;
            let mut accepted = false;
            for _ in 0..20 {
                let trial: Vec<f64> = x.iter().zip(&step).map(|(v, s)| v + scale * s).collect();
                let (mut ta, mut td) = (a.clone(), d.clone());
                from_free(opts.model, &trial, &mut ta, &mut td);
                let trial_ll = ws.e_step(&quad, patterns, pattern_weights, &ta, &td, true);
                if trial_ll >= loglik - 1e-10 * loglik.abs().max(1.0) {
                    a = ta;
                    d = td;
                    loglik = trial_ll;
                    accepted = true;
                    break;
                }
                scale *= 0.5;
            }
            newton_iterations += 1;
            if !accepted {
                ws.e_step(&quad, patterns, pattern_weights, &a, &d, false);
                em_target *= 0.1;
                if em_target < 1e-12 {
                    break 'outer;
                }
                continue 'outer;
            }
            if size < opts.tolerance {
                if !opts.standard_errors || exact {
                    converged = true;
                    break 'outer;
                }
                exact = true;
            } else if size > 0.5 * previous_size {
                // BHHH converges slowly when the outer product is a poor stand-in for the Hessian
                // (e.g. a misspecified item): switch to exact Newton steps.
                exact = true;
            }
            previous_size = size;
        }
    }
    if diverged {
        warnings.push(format!(
            "a slope exceeded {DIVERGED_SLOPE} in absolute value: the marginal likelihood has no finite maximum \
             (an item separates respondents almost perfectly, common in small samples); estimation stopped \
             after {} iterations. Use the 1PL, drop or merge the item, or add data",
            em_iterations + newton_iterations
        ));
    } else if !converged {
        warnings.push(format!(
            "estimation did not converge within {} iterations (tolerance {}); estimates are the last iterate",
            opts.max_iterations, opts.tolerance
        ));
    }
    // θ → −θ with every slope negated is an equivalent maximum: report the one whose slopes are positive on
    // average, so that a higher score means more "yes" answers.
    if a.iter().sum::<f64>() < 0.0 {
        a.iter_mut().for_each(|v| *v = -*v);
    }
    // Final E-step at the reported parameters: log-likelihood, gradient, information.
    loglik = ws.e_step(&quad, patterns, pattern_weights, &a, &d, false);
    let (g, _) = reduce(opts.model, j, &ws.gradient(&quad), None);
    let max_abs_gradient = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let n_parameters = g.len();
    let mut items: Vec<ItemEstimate> = (0..j)
        .map(|i| ItemEstimate::from_slope_intercept(&item_names[i], a[i], d[i]))
        .collect();
    let mut covariance = None;
    if opts.standard_errors {
        let h = ws.hessian(&quad, patterns, pattern_weights);
        let (_, hr) = reduce(opts.model, j, &[], Some(&h));
        let negative: Vec<f64> = hr.unwrap().iter().map(|v| -v).collect();
        match cholesky(&negative, n_parameters) {
            Some(l) => {
                let cov = cholesky_inverse(&l, n_parameters);
                let m = n_parameters;
                for (i, item) in items.iter_mut().enumerate() {
                    let (pa, pd) = match opts.model {
                        Model::TwoPl => (2 * i, 2 * i + 1),
                        Model::OnePl => (0, i + 1),
                    };
                    let (vaa, vad, vdd) = (cov[pa * m + pa], cov[pa * m + pd], cov[pd * m + pd]);
                    // Delta method for b = −d/a: ∇b = (d/a², −1/a).
                    let (ga, gd) = (item.d / (item.a * item.a), -1.0 / item.a);
                    let vbb = ga * ga * vaa + 2.0 * ga * gd * vad + gd * gd * vdd;
                    let root = |v: f64| if v.is_finite() && v >= 0.0 { Some(v.sqrt()) } else { None };
                    item.a_se = root(vaa);
                    item.d_se = root(vdd);
                    item.b_se = root(vbb);
                }
                covariance = Some(cov);
            }
            None => warnings.push(
                "the observed information matrix is not positive definite; standard errors are not reported".into(),
            ),
        }
    }
    for item in &items {
        if item.a.abs() > 10.0 {
            warnings.push(format!(
                "item '{}' has an extreme slope a = {:.3}; its estimates are unstable (near-perfect separation)",
                item.name, item.a
            ));
        }
        if item.a < 0.0 {
            warnings.push(format!(
                "item '{}' has a negative slope a = {:.3}: 'yes' is less likely at higher skill; check its coding",
                item.name, item.a
            ));
        }
    }
    let k = n_parameters as f64;
    Ok(ItemFit {
        model: opts.model,
        n_respondents: patterns.person_counts().iter().sum::<u64>() as usize,
        n_patterns: patterns.len(),
        n_excluded: patterns.n_excluded(),
        sum_weights,
        loglik,
        aic: -2.0 * loglik + 2.0 * k,
        bic: -2.0 * loglik + k * sum_weights.ln(),
        n_parameters,
        converged,
        iterations: em_iterations + newton_iterations,
        em_iterations,
        newton_iterations,
        max_abs_gradient,
        tolerance: opts.tolerance,
        quadrature: opts.quadrature,
        quadrature_points: quad.len(),
        items,
        covariance,
        warnings,
    })
}
