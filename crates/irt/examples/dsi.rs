//! Build a Digital Skills Index from 11 yes/no items: fit a 2PL, score persons, standardise, check fit.
//!
//! Run: `cargo run -p egov-irt --example dsi`

use egov_irt::{
    FitOptions, MISSING, Model, Patterns, ScoreMethod, diagnostics, fit, indices, plausible_values,
    scale, score,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Responses: row-major persons × items, 0 = no, 1 = yes, MISSING = not answered.
    let slopes: [f64; 11] = [0.8, 1.2, 1.5, 2.0, 1.0, 0.6, 1.8, 1.3, 2.4, 0.9, 1.1];
    let difficulties: [f64; 11] = [-2.0, -1.2, -0.5, 0.0, 0.4, 1.0, -0.8, 0.7, 1.5, -1.6, 2.0];
    let n = 20_000;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut responses = Vec::with_capacity(n * 11);
    for _ in 0..n {
        let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-300), rng.random());
        let theta = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        for (a, b) in slopes.iter().zip(&difficulties) {
            let p = 1.0 / (1.0 + (-a * (theta - b)).exp());
            let answer = u8::from(rng.random::<f64>() < p);
            responses.push(if rng.random::<f64>() < 0.02 {
                MISSING
            } else {
                answer
            });
        }
    }
    let names: Vec<String> = (1..=11).map(|i| format!("skill{i}")).collect();

    // 2. Fit the 2PL by marginal maximum likelihood (and the 1PL for comparison).
    let two_pl = fit(&responses, 11, &names, None, &FitOptions::default())?;
    let one_pl = fit(
        &responses,
        11,
        &names,
        None,
        &FitOptions {
            model: Model::OnePl,
            ..FitOptions::default()
        },
    )?;
    println!(
        "2PL: loglik {:.2}, BIC {:.1}, {} patterns, converged {} after {} iterations",
        two_pl.loglik, two_pl.bic, two_pl.n_patterns, two_pl.converged, two_pl.iterations
    );
    println!(
        "1PL: loglik {:.2}, BIC {:.1} (lower BIC is better)",
        one_pl.loglik, one_pl.bic
    );
    for item in &two_pl.items {
        println!(
            "  {:8} a = {:.3} ({:.3})  b = {:+.3} ({:.3})",
            item.name,
            item.a,
            item.a_se.unwrap_or(f64::NAN),
            item.b,
            item.b_se.unwrap_or(f64::NAN)
        );
    }

    // 3. Score persons: EAP on the θ metric, then the default DSI (standardised) and a 0–100 version.
    let eap = score(&two_pl.items, &responses, 11, ScoreMethod::Eap)?;
    let theta: Vec<Option<f64>> = eap.iter().map(|s| s.map(|s| s.theta)).collect();
    let dsi = scale::standardize(&theta, None);
    let dsi_100 = scale::to_0_100(&dsi);
    println!(
        "first person: θ = {:?}, DSI = {:?}, DSI(0-100) = {:?}",
        theta[0], dsi[0], dsi_100[0]
    );

    // 4. Diagnostics: reliability and item fit.
    println!(
        "marginal reliability {:.3}",
        diagnostics::marginal_reliability(&eap, None).unwrap_or(f64::NAN)
    );
    let (patterns, person_pattern) = Patterns::collapse(&responses, 11)?;
    let weights = patterns.pattern_weights(&person_pattern, None);
    let item_fit = diagnostics::s_x2(&two_pl.items, &patterns, &weights, Model::TwoPl, 1.0)?;
    for s in &item_fit.items {
        println!(
            "  {:8} S-X2 = {:6.2} on {:2} df, p = {:.3}",
            s.item,
            s.s_x2,
            s.df,
            s.p_value.unwrap_or(f64::NAN)
        );
    }

    // 5. Robustness: the simple count and rule-based level, and their correlation with the DSI.
    let counts = indices::count_yes(&responses, 11);
    let r = indices::weighted_correlation(&dsi, &indices::counts_as_f64(&counts), None);
    println!(
        "correlation(DSI, count of yes) = {:.3}",
        r.unwrap_or(f64::NAN)
    );

    // 6. Plausible values for secondary analyses that carry measurement error forward.
    let pv = plausible_values(&two_pl.items, &responses, 11, 5, 2026)?;
    println!(
        "first person's plausible values: {:?}",
        pv.iter().map(|d| d[0]).collect::<Vec<_>>()
    );
    Ok(())
}
