//! Fit + EAP scoring speed on simulated 11-item data of the survey's size (56,649 persons) and 100 times
//! larger (5.66 million), plus one bootstrap-style replicate on pre-collapsed patterns.
//!
//! Run: `cargo bench -p egov-irt --bench fit`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
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

fn names() -> Vec<String> {
    (1..=11).map(|i| format!("item{i}")).collect()
}

fn bench(c: &mut Criterion) {
    let names = names();
    let survey = simulate(56_649, 1);
    let mut group = c.benchmark_group("irt");
    group.sample_size(20);
    group.bench_function("fit_and_eap_56649x11", |b| {
        b.iter(|| {
            let fitted = fit(black_box(&survey), 11, &names, None, &FitOptions::default()).unwrap();
            score(&fitted.items, &survey, 11, ScoreMethod::Eap).unwrap()
        })
    });
    let no_se = FitOptions {
        standard_errors: false,
        ..FitOptions::default()
    };
    group.bench_function("fit_and_eap_56649x11_no_se", |b| {
        b.iter(|| {
            let fitted = fit(black_box(&survey), 11, &names, None, &no_se).unwrap();
            score(&fitted.items, &survey, 11, ScoreMethod::Eap).unwrap()
        })
    });
    // Bootstrap replicate: reweighted patterns, warm start from the full-sample fit, EAP of every pattern.
    let (patterns, person_pattern) = Patterns::collapse(&survey, 11).unwrap();
    let full = fit(&survey, 11, &names, None, &FitOptions::default()).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let person_weights: Vec<f64> = (0..56_649)
        .map(|_| f64::from(rng.random_range(0..3u32)))
        .collect();
    let replicate_weights = patterns.pattern_weights(&person_pattern, Some(&person_weights));
    let warm = FitOptions {
        standard_errors: false,
        start: Some(full.items.iter().map(|i| (i.a, i.d)).collect()),
        ..FitOptions::default()
    };
    let quad = Quadrature::new(QuadratureRule::GaussHermite, 61).unwrap();
    group.bench_function("bootstrap_replicate_patterns", |b| {
        b.iter(|| {
            let fitted =
                fit_patterns(&patterns, black_box(&replicate_weights), &names, &warm).unwrap();
            eap_patterns(&fitted.items, &patterns, &quad).unwrap()
        })
    });
    group.finish();

    let large = simulate(5_664_900, 2);
    let mut group = c.benchmark_group("irt_large");
    group.sample_size(10);
    group.bench_function("fit_and_eap_5664900x11", |b| {
        b.iter(|| {
            let fitted = fit(black_box(&large), 11, &names, None, &FitOptions::default()).unwrap();
            score(&fitted.items, &large, 11, ScoreMethod::Eap).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
