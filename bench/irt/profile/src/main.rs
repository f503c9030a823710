//! Workloads of the egov-irt criterion bench, one per invocation, for instruction counting:
//! `irt-profile fit|fit_no_se|replicate|large`. Only `workload` is meant to be counted
//! (callgrind `--toggle-collect=*workload*`); data simulation stays outside it.

use std::hint::black_box;

use egov_irt::{
    FitOptions, MISSING, Patterns, Quadrature, QuadratureRule, ScoreMethod, eap_patterns, fit,
    fit_patterns, score,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const A: [f64; 11] = [0.8, 1.2, 1.5, 2.0, 1.0, 0.6, 1.8, 1.3, 2.4, 0.9, 1.1];
const B: [f64; 11] = [-2.0, -1.2, -0.5, 0.0, 0.4, 1.0, -0.8, 0.7, 1.5, -1.6, 2.0];

fn simulate(n: usize, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(n * 11);
    for _ in 0..n {
        let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-300), rng.random());
        let theta = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        for (a, b) in A.iter().zip(&B) {
            let y = u8::from(rng.random::<f64>() < 1.0 / (1.0 + (-a * (theta - b)).exp()));
            out.push(if rng.random::<f64>() < 0.01 {
                MISSING
            } else {
                y
            });
        }
    }
    out
}

/// CPU time of this thread in seconds (Linux scheduler statistics), which unlike wall time does not
/// grow when other processes compete for the cores.
fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns * 1e-9)
}

#[inline(never)]
fn workload(f: &dyn Fn() -> String) -> String {
    f()
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "fit".into());
    let repeats: usize = std::env::args().nth(2).map_or(1, |r| r.parse().unwrap());
    let names: Vec<String> = (1..=11).map(|i| format!("item{i}")).collect();
    let n = if mode == "large" { 5_664_900 } else { 56_649 };
    let survey = simulate(n, if mode == "large" { 2 } else { 1 });
    let summary = |items: &[egov_irt::ItemEstimate], extra: String| {
        let a: Vec<String> = items.iter().map(|i| format!("{:.12}", i.a)).collect();
        let d: Vec<String> = items.iter().map(|i| format!("{:.12}", i.d)).collect();
        format!("a=[{}]\nd=[{}]\n{extra}", a.join(","), d.join(","))
    };
    let run: Box<dyn Fn() -> String> = match mode.as_str() {
        "fit" | "large" | "fit_no_se" => {
            let opts = FitOptions {
                standard_errors: mode != "fit_no_se",
                ..FitOptions::default()
            };
            Box::new(move || {
                let fitted = fit(black_box(&survey), 11, &names, None, &opts).unwrap();
                let s = score(&fitted.items, &survey, 11, ScoreMethod::Eap).unwrap();
                let se: Vec<String> = fitted
                    .items
                    .iter()
                    .map(|i| format!("{:.12}", i.a_se.unwrap_or(f64::NAN)))
                    .collect();
                let first = s
                    .iter()
                    .take(5)
                    .map(|v| format!("{:.12}", v.unwrap().theta))
                    .collect::<Vec<_>>();
                let sum: f64 = s.iter().flatten().map(|v| v.theta + v.se).sum();
                summary(
                    &fitted.items,
                    format!(
                        "a_se=[{}]\nll={:.10} iters={}\ntheta[..5]=[{}] sum(theta+se)={:.10}",
                        se.join(","),
                        fitted.loglik,
                        fitted.iterations,
                        first.join(","),
                        sum
                    ),
                )
            })
        }
        "replicate" => {
            let (patterns, person_pattern) = Patterns::collapse(&survey, 11).unwrap();
            let full = fit(&survey, 11, &names, None, &FitOptions::default()).unwrap();
            let mut rng = ChaCha8Rng::seed_from_u64(3);
            let person_weights: Vec<f64> = (0..n)
                .map(|_| f64::from(rng.random_range(0..3u32)))
                .collect();
            let replicate_weights =
                patterns.pattern_weights(&person_pattern, Some(&person_weights));
            let warm = FitOptions {
                standard_errors: false,
                start: Some(full.items.iter().map(|i| (i.a, i.d)).collect()),
                ..FitOptions::default()
            };
            let quad = Quadrature::new(QuadratureRule::GaussHermite, 61).unwrap();
            Box::new(move || {
                let fitted =
                    fit_patterns(&patterns, black_box(&replicate_weights), &names, &warm).unwrap();
                let s = eap_patterns(&fitted.items, &patterns, &quad).unwrap();
                let sum: f64 = s.iter().map(|v| v.theta + v.se).sum();
                summary(
                    &fitted.items,
                    format!(
                        "ll={:.10} iters={}\nsum(theta+se)={:.10}",
                        fitted.loglik, fitted.iterations, sum
                    ),
                )
            })
        }
        other => panic!("unknown mode {other}"),
    };
    let mut out = String::new();
    let mut wall = Vec::with_capacity(repeats);
    let mut cpu = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let start = std::time::Instant::now();
        let cpu_start = thread_cpu_seconds();
        out = workload(&*run);
        cpu.push(thread_cpu_seconds() - cpu_start);
        wall.push(start.elapsed().as_secs_f64());
    }
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    eprintln!(
        "{mode}: median {:.2} ms wall, {:.2} ms CPU ({repeats} runs)",
        wall[repeats / 2] * 1e3,
        cpu[repeats / 2] * 1e3
    );
    println!("{out}");
}
