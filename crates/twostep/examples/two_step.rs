//! A tour of the crate: naive, bootstrap and plausible-value inference for an LPM on an
//! estimated skill index, on simulated data (`cargo run --release -p egov-twostep --example two_step`).

use egov_twostep::simulate::{FULL_FORMULA, SimulationSpec, simulate};
use egov_twostep::{BootstrapOptions, PvOptions, TwoStepData, analyse, compare};

fn main() -> Result<(), egov_twostep::TwoStepError> {
    // 1. Data: item responses (persons × 11, 255 = missing), covariates, weights, households.
    let sim = simulate(&SimulationSpec {
        persons: 8_000,
        ..SimulationSpec::default()
    });
    let data = TwoStepData {
        responses: &sim.responses,
        n_items: 11,
        item_names: &sim.item_names,
        frame: &sim.frame,
        formula: FULL_FORMULA,
        weights: Some(&sim.weights),
        clusters: &sim.households,
        strata: None,
        naive_vcov: egov_econ::Vcov::Cluster(vec!["household".into()]),
        fitted: None,
    };
    // 2. The bootstrap refits the 2PL in every replicate; plausible values draw skill from the
    //    posterior. Both are seeded.
    let boot = BootstrapOptions {
        replicates: 199,
        ..BootstrapOptions::default()
    };
    let pv = PvOptions::default();
    let progress = |done: usize| {
        if done.is_multiple_of(50) {
            eprintln!("{done} replicates");
        }
    };
    let result = analyse(&data, Some(&boot), Some(&pv), Some(&progress))?;
    // 3. One table, three kinds of inference.
    let table = compare(
        &result.naive,
        result.bootstrap.as_ref(),
        result.plausible_values.as_ref(),
    );
    println!("{}", table.to_markdown());
    if let Some(b) = &result.bootstrap {
        println!("{} failed replicates", b.failures.len());
    }
    Ok(())
}
