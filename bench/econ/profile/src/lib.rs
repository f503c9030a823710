//! Shared by the profile drivers: the replica-shaped simulated survey and the thread CPU clock.

use egov_econ::{Categorical, Frame};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub fn simulate(n: usize, seed: u64) -> Frame {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut hh = Vec::with_capacity(n);
    let mut id = 0.0;
    while hh.len() < n {
        let size = rng.random_range(1..=4usize);
        for _ in 0..size.min(n - hh.len()) {
            hh.push(id);
        }
        id += 1.0;
    }
    let region: Vec<usize> = (0..n).map(|_| rng.random_range(0..17usize)).collect();
    let education: Vec<usize> = (0..n).map(|_| rng.random_range(0..5usize)).collect();
    let labour: Vec<usize> = (0..n).map(|_| rng.random_range(0..6usize)).collect();
    let sex: Vec<f64> = (0..n).map(|_| rng.random_range(0..2u8) as f64).collect();
    let urban: Vec<f64> = (0..n).map(|_| rng.random_range(0..2u8) as f64).collect();
    let age: Vec<f64> = (0..n).map(|_| rng.random_range(15..75u32) as f64).collect();
    let dsi: Vec<f64> = (0..n)
        .map(|i| rng.random::<f64>() * 2.0 - 1.0 + 0.1 * education[i] as f64)
        .collect();
    let y: Vec<f64> = (0..n)
        .map(|i| {
            let p = 0.4 + 0.2 * dsi[i] + 0.03 * education[i] as f64 - 0.002 * (age[i] - 40.0)
                + 0.01 * region[i] as f64 / 17.0;
            (rng.random::<f64>() < p.clamp(0.01, 0.99)) as u8 as f64
        })
        .collect();
    let names = |prefix: &str, k: usize| -> Vec<String> {
        (0..k).map(|j| format!("{prefix}{j:02}")).collect()
    };
    let cat = |codes: &[usize], levels: Vec<String>| Categorical {
        codes: codes.iter().map(|&c| Some(c as u32)).collect(),
        levels,
        reference: 0,
    };
    let mut f = Frame::new();
    f.push_numeric("used_egov", y).unwrap();
    f.push_numeric("dsi", dsi).unwrap();
    f.push_numeric("sex", sex).unwrap();
    f.push_numeric("urban", urban).unwrap();
    f.push_numeric("age", age).unwrap();
    f.push_categorical("education", cat(&education, names("edu", 5)))
        .unwrap();
    f.push_categorical("labour", cat(&labour, names("lab", 6)))
        .unwrap();
    f.push_categorical("region", cat(&region, names("reg", 17)))
        .unwrap();
    let wt: Vec<f64> = (0..n)
        .map(|i| 0.5 + ((i * 7919) % 100) as f64 / 50.0)
        .collect();
    f.push_numeric("hh", hh).unwrap();
    f.push_numeric("wt", wt).unwrap();
    f
}

pub fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns * 1e-9)
}
