//! Quadrature rules for integrating over θ ~ N(0, 1).

use serde::{Deserialize, Serialize};

use crate::IrtError;

/// How the standard normal ability distribution is discretised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuadratureRule {
    /// Gauss–Hermite nodes and weights (exact for polynomials up to degree 2Q − 1 times the normal density).
    #[default]
    GaussHermite,
    /// Equally spaced nodes on [−6, 6] with weights proportional to the normal density (mirt's default style).
    Rectangular,
}

/// Nodes θ_q and weights W_q (summing to 1) approximating E[f(θ)] = Σ_q W_q f(θ_q) for θ ~ N(0, 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quadrature {
    /// Ability nodes, ascending.
    pub nodes: Vec<f64>,
    /// Probability weights, summing to 1.
    pub weights: Vec<f64>,
}

impl Quadrature {
    /// Build a rule with `points` nodes (2 ..= 200).
    ///
    /// ```
    /// use egov_irt::{Quadrature, QuadratureRule};
    /// let q = Quadrature::new(QuadratureRule::GaussHermite, 21).unwrap();
    /// let mean: f64 = q.nodes.iter().zip(&q.weights).map(|(t, w)| t * w).sum();
    /// let var: f64 = q.nodes.iter().zip(&q.weights).map(|(t, w)| t * t * w).sum();
    /// assert!(mean.abs() < 1e-12 && (var - 1.0).abs() < 1e-12);
    /// ```
    pub fn new(rule: QuadratureRule, points: usize) -> Result<Quadrature, IrtError> {
        if !(2..=200).contains(&points) {
            return Err(IrtError::BadOption {
                option: "quadrature_points",
                reason: format!(
                    "{points} is outside 2..=200; 41 (Gauss-Hermite) or 61 (rectangular) are sound"
                ),
            });
        }
        Ok(match rule {
            QuadratureRule::GaussHermite => gauss_hermite_normal(points),
            QuadratureRule::Rectangular => rectangular(points, 6.0),
        })
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the rule has no nodes (never for a rule built by [`Quadrature::new`]).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// Equally spaced grid on [−limit, limit], weights ∝ φ(θ), normalised to sum 1.
pub(crate) fn rectangular(points: usize, limit: f64) -> Quadrature {
    let step = 2.0 * limit / (points - 1) as f64;
    let nodes: Vec<f64> = (0..points).map(|k| -limit + step * k as f64).collect();
    let raw: Vec<f64> = nodes.iter().map(|t| (-0.5 * t * t).exp()).collect();
    let total: f64 = raw.iter().sum();
    Quadrature {
        nodes,
        weights: raw.iter().map(|w| w / total).collect(),
    }
}

/// Gauss–Hermite rule for the weight e^{−x²} (Newton iteration on the orthonormal Hermite recurrence,
/// Press et al., Numerical Recipes §4.5), rescaled to the standard normal: θ = √2 x, W = w / √π.
fn gauss_hermite_normal(n: usize) -> Quadrature {
    const PI_TO_MINUS_QUARTER: f64 = 0.751_125_544_464_942_5;
    let mut x = vec![0.0; n];
    let mut w = vec![0.0; n];
    let nf = n as f64;
    let mut z = 0.0f64;
    for i in 0..n.div_ceil(2) {
        z = match i {
            0 => (2.0 * nf + 1.0).sqrt() - 1.85575 * (2.0 * nf + 1.0).powf(-1.0 / 6.0),
            1 => z - 1.14 * nf.powf(0.426) / z,
            2 => 1.86 * z - 0.86 * x[0],
            3 => 1.91 * z - 0.91 * x[1],
            _ => 2.0 * z - x[i - 2],
        };
        let mut derivative = 1.0;
        for _ in 0..200 {
            let mut p1 = PI_TO_MINUS_QUARTER;
            let mut p2 = 0.0;
            for j in 1..=n {
                let p3 = p2;
                p2 = p1;
                let jf = j as f64;
                p1 = z * (2.0 / jf).sqrt() * p2 - ((jf - 1.0) / jf).sqrt() * p3;
            }
            derivative = (2.0 * nf).sqrt() * p2;
            let previous = z;
            z = previous - p1 / derivative;
            if (z - previous).abs() <= 1e-15 * z.abs().max(1.0) {
                break;
            }
        }
        x[i] = z;
        x[n - 1 - i] = -z;
        w[i] = 2.0 / (derivative * derivative);
        w[n - 1 - i] = w[i];
    }
    let sqrt_pi = std::f64::consts::PI.sqrt();
    let mut nodes: Vec<f64> = x.iter().map(|v| v * std::f64::consts::SQRT_2).collect();
    let mut weights: Vec<f64> = w.iter().map(|v| v / sqrt_pi).collect();
    nodes.reverse();
    weights.reverse();
    // Renormalise away rounding so the weights are an exact probability distribution.
    let total: f64 = weights.iter().sum();
    weights.iter_mut().for_each(|v| *v /= total);
    Quadrature { nodes, weights }
}
