//! How long a warm-started replicate refit of the 2PL takes on replica-sized data, by tolerance
//! and quadrature size (`cargo run --release -p egov-twostep --example irt_refit_probe`).

use std::time::Instant;

use egov_irt::{FitOptions, Patterns, fit_patterns};
use egov_twostep::simulate::{SimulationSpec, simulate};

fn main() {
    let sim = simulate(&SimulationSpec {
        persons: 56_649,
        seed: 2021,
        ..SimulationSpec::default()
    });
    let (patterns, person_pattern) = Patterns::collapse(&sim.responses, 11).expect("patterns");
    let base = patterns.pattern_weights(&person_pattern, Some(&sim.weights));
    let full =
        fit_patterns(&patterns, &base, &sim.item_names, &FitOptions::default()).expect("fit");
    let singletons = patterns.person_counts().iter().filter(|&&c| c == 1).count();
    println!("{singletons} patterns held by one person");
    println!(
        "{} patterns; full fit: {} EM + {} Newton iterations",
        patterns.len(),
        full.em_iterations,
        full.newton_iterations
    );
    let start: Vec<(f64, f64)> = full.items.iter().map(|i| (i.a, i.d)).collect();
    for (tolerance, points) in [(1e-6, 41), (1e-4, 41), (1e-6, 21), (1e-4, 21)] {
        let opts = FitOptions {
            start: Some(start.clone()),
            standard_errors: false,
            tolerance,
            quadrature_points: points,
            ..FitOptions::default()
        };
        let t = Instant::now();
        let mut iterations = (0, 0);
        let mut first_a = Vec::new();
        for r in 0..20u32 {
            // Household multipliers 0..=2 as a stand-in for bootstrap counts.
            let w: Vec<f64> = sim
                .households
                .iter()
                .zip(&sim.weights)
                .map(|(h, b)| {
                    b * f64::from((h.wrapping_mul(2_654_435_761).wrapping_add(r * 97)) % 3)
                })
                .collect();
            let pw = patterns.pattern_weights(&person_pattern, Some(&w));
            let fit = fit_patterns(&patterns, &pw, &sim.item_names, &opts).expect("refit");
            iterations.0 += fit.em_iterations;
            iterations.1 += fit.newton_iterations;
            if r == 0 {
                first_a = fit.items.iter().map(|i| i.a).collect();
            }
        }
        println!(
            "tolerance {tolerance:e}, {points} nodes: {:.1} ms per refit, {:.1} EM + {:.1} Newton iterations; a1 = {:.6}",
            t.elapsed().as_secs_f64() * 1000.0 / 20.0,
            iterations.0 as f64 / 20.0,
            iterations.1 as f64 / 20.0,
            first_a[0]
        );
    }
}
