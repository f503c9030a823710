//! Writes the input of the replicate-weight check against R `survey`
//! (fixtures/reference/twostep/jk1_input.csv; see fixtures/reference/twostep/jk1.R).
//!
//! `cargo run -p egov-twostep --example jk1_fixture > fixtures/reference/twostep/jk1_input.csv`

use egov_twostep::naive;
use egov_twostep::simulate::{SimulationSpec, simulate};

/// Persons, seed and number of jackknife groups of the check (tests/replicate_reference.rs uses the same).
const PERSONS: usize = 600;
const SEED: u64 = 17;
const GROUPS: u32 = 10;

fn main() {
    let sim = simulate(&SimulationSpec {
        persons: PERSONS,
        seed: SEED,
        ..SimulationSpec::default()
    });
    let fit = naive(
        &sim.data("y ~ dsi + female + urban"),
        0.95,
        &Default::default(),
    )
    .expect("naive fit");
    let y = sim.frame.numeric("y").expect("y");
    let female = sim.frame.numeric("female").expect("female");
    let urban = sim.frame.numeric("urban").expect("urban");
    print!("y,dsi,female,urban,w");
    for g in 0..GROUPS {
        print!(",rep{g}");
    }
    println!();
    for i in 0..PERSONS {
        // Persons without a DSI are not in the regression.
        let Some(d) = fit.dsi[i] else { continue };
        print!(
            "{},{d:.17e},{},{},{:.17e}",
            y[i], female[i], urban[i], sim.weights[i]
        );
        for g in 0..GROUPS {
            let w = if sim.households[i] % GROUPS == g {
                0.0
            } else {
                sim.weights[i] * f64::from(GROUPS) / f64::from(GROUPS - 1)
            };
            print!(",{w:.17e}");
        }
        println!();
    }
}
