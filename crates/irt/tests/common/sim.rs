// Simulation helpers shared by the integration tests.

use egov_irt::MISSING;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub const A11: [f64; 11] = [0.8, 1.2, 1.5, 2.0, 1.0, 0.6, 1.8, 1.3, 2.4, 0.9, 1.1];
pub const B11: [f64; 11] = [-2.0, -1.2, -0.5, 0.0, 0.4, 1.0, -0.8, 0.7, 1.5, -1.6, 2.0];

pub fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(1e-300);
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Persons × items responses from a 2PL with θ ~ N(0, 1); each response missing with `missing_rate`.
pub fn simulate(n: usize, a: &[f64], b: &[f64], missing_rate: f64, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(n * a.len());
    for _ in 0..n {
        let theta = standard_normal(&mut rng);
        for (ai, bi) in a.iter().zip(b) {
            let p = 1.0 / (1.0 + (-ai * (theta - bi)).exp());
            let y = u8::from(rng.random::<f64>() < p);
            out.push(if rng.random::<f64>() < missing_rate {
                MISSING
            } else {
                y
            });
        }
    }
    out
}

pub fn names(j: usize) -> Vec<String> {
    (1..=j).map(|i| format!("item{i}")).collect()
}

/// Read a fixture CSV (header row, empty cell = missing).
pub fn read_fixture(name: &str) -> (Vec<String>, Vec<u8>) {
    let path = format!(
        "{}/../../fixtures/reference/irt/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let mut values = Vec::new();
    for line in lines {
        for cell in line.split(',') {
            values.push(match cell {
                "" => MISSING,
                v => v.parse().unwrap(),
            });
        }
    }
    (header, values)
}
