//! One timed run of each two-step procedure on replica-sized simulated data
//! (`cargo run --release -p egov-twostep --example timing -- [persons] [replicates]`).

use std::time::Instant;

use egov_twostep::simulate::{FULL_FORMULA, SimulationSpec, simulate};
use egov_twostep::{
    BootstrapOptions, PvOptions, bootstrap, conditioned_plausible_values, naive, plausible_values,
};

/// CPU seconds (user + system) used by this process so far, from /proc (Linux; 0 elsewhere).
/// Reported beside wall time because the machine may be shared.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let fields: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
            let ticks: f64 =
                fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

/// Wall and CPU seconds since (`wall`, `cpu`).
fn since(wall: Instant, cpu: f64) -> String {
    format!(
        "{:.2} s wall, {:.2} s CPU",
        wall.elapsed().as_secs_f64(),
        cpu_seconds() - cpu
    )
}

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
    let (t, c) = (Instant::now(), cpu_seconds());
    let fit = naive(&data, 0.95, &Default::default()).expect("naive fit");
    println!(
        "naive fit: {} ({} rows, {} coefficients, {} households, {} threads)",
        since(t, c),
        fit.regression.n,
        fit.regression.k,
        sim.households.last().map_or(0, |h| h + 1),
        rayon::current_num_threads()
    );
    let (t, c) = (Instant::now(), cpu_seconds());
    plausible_values(&data, &PvOptions::default()).expect("plausible values");
    println!("10 plausible values: {}", since(t, c));
    let (t, c) = (Instant::now(), cpu_seconds());
    let cpv = conditioned_plausible_values(&data, &PvOptions::default()).expect("conditioned");
    println!(
        "10 conditioned plausible values: {} ({} EM iterations)",
        since(t, c),
        cpv.latent_regression.as_ref().map_or(0, |l| l.iterations)
    );
    let (t, c) = (Instant::now(), cpu_seconds());
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
        "bootstrap, {replicates} replicates: {} ({} failed)",
        since(t, c),
        boot.failures.len()
    );
    let (t, c) = (Instant::now(), cpu_seconds());
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
        "one-step bootstrap (item parameters fixed), {replicates} replicates: {}",
        since(t, c)
    );
}
