//! One timed run of each two-step procedure on replica-sized simulated data
//! (`cargo run --release -p egov-twostep --example timing -- [persons] [replicates]`).

use std::time::Instant;

use egov_twostep::simulate::{FULL_FORMULA, SimulationSpec, simulate};
use egov_twostep::{
    BootstrapOptions, PvOptions, bootstrap, conditioned_plausible_values, naive, plausible_values,
};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let persons = args.first().copied().unwrap_or(56_649);
    let replicates = args.get(1).copied().unwrap_or(999);
    let sim = simulate(&SimulationSpec {
        persons,
        seed: 2021,
        ..SimulationSpec::default()
    });
    let data = sim.data(FULL_FORMULA);
    let t = Instant::now();
    let fit = naive(&data, 0.95, &Default::default()).expect("naive fit");
    println!(
        "naive fit: {:.3} s ({} rows, {} coefficients, {} households, {} threads)",
        t.elapsed().as_secs_f64(),
        fit.regression.n,
        fit.regression.k,
        sim.households.last().map_or(0, |h| h + 1),
        rayon::current_num_threads()
    );
    let t = Instant::now();
    plausible_values(&data, &PvOptions::default()).expect("plausible values");
    println!("10 plausible values: {:.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let cpv = conditioned_plausible_values(&data, &PvOptions::default()).expect("conditioned");
    println!(
        "10 conditioned plausible values: {:.3} s ({} EM iterations)",
        t.elapsed().as_secs_f64(),
        cpv.latent_regression.as_ref().map_or(0, |l| l.iterations)
    );
    let t = Instant::now();
    let boot = bootstrap(
        &data,
        &BootstrapOptions {
            replicates,
            ..BootstrapOptions::default()
        },
        None,
    )
    .expect("bootstrap");
    println!(
        "bootstrap, {replicates} replicates: {:.3} s ({} failed)",
        t.elapsed().as_secs_f64(),
        boot.failures.len()
    );
    let t = Instant::now();
    bootstrap(
        &data,
        &BootstrapOptions {
            replicates,
            refit_irt: false,
            ..BootstrapOptions::default()
        },
        None,
    )
    .expect("bootstrap");
    println!(
        "one-step bootstrap (item parameters fixed), {replicates} replicates: {:.3} s",
        t.elapsed().as_secs_f64()
    );
}
