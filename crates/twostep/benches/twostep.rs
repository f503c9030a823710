//! Replica-sized timings: 56,649 persons, ~22,600 households, the full 34-coefficient LPM.
//!
//! `cargo bench -p egov-twostep --bench twostep`. Criterion's minimum of 10 samples makes the
//! 999-replicate bootstrap take a few minutes; `bench/twostep/run.sh` runs it.

use criterion::{Criterion, criterion_group, criterion_main};
use egov_twostep::simulate::{FULL_FORMULA, SimulationSpec, simulate};
use egov_twostep::{
    BootstrapOptions, PvOptions, bootstrap, conditioned_plausible_values, naive, plausible_values,
};

fn replica(c: &mut Criterion) {
    let sim = simulate(&SimulationSpec {
        persons: 56_649,
        seed: 2021,
        ..SimulationSpec::default()
    });
    let data = sim.data(FULL_FORMULA);
    let mut g = c.benchmark_group("replica_56649");
    g.sample_size(10);
    g.bench_function("naive_fit", |b| {
        b.iter(|| naive(&data, 0.95, &Default::default()).unwrap())
    });
    g.bench_function("plausible_values_10", |b| {
        b.iter(|| plausible_values(&data, &PvOptions::default()).unwrap())
    });
    g.bench_function("conditioned_plausible_values_10", |b| {
        b.iter(|| conditioned_plausible_values(&data, &PvOptions::default()).unwrap())
    });
    let replicates: usize = std::env::var("TWOSTEP_BENCH_REPLICATES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(999);
    g.bench_function(format!("bootstrap_{replicates}"), |b| {
        b.iter(|| {
            bootstrap(
                &data,
                &BootstrapOptions {
                    replicates,
                    ..BootstrapOptions::default()
                },
                None,
            )
            .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, replica);
criterion_main!(benches);
