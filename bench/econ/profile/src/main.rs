//! The LPM of the egov-econ criterion bench (same simulated data), one workload per invocation,
//! for instruction counting: `econ-profile hc1|cluster [rows] [repeats]`. Only `workload` is meant
//! to be counted (callgrind `--toggle-collect=*workload*`); data simulation stays outside it.
//! Prints every coefficient and standard error so that two builds can be compared digit by digit.

use econ_profile::{simulate, thread_cpu_seconds};
use std::hint::black_box;

use egov_econ::{EstimateOptions, Frame, Regression, Vcov, lpm};

const FORMULA: &str =
    "used_egov ~ dsi + sex + urban + age + I(age^2) + education + labour + region";

#[inline(never)]
fn workload(frame: &Frame, opts: &EstimateOptions) -> Regression {
    lpm(FORMULA, black_box(frame), opts).unwrap()
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "hc1".into());
    let n: usize = std::env::args()
        .nth(2)
        .map_or(56_649, |r| r.parse().unwrap());
    let repeats: usize = std::env::args().nth(3).map_or(1, |r| r.parse().unwrap());
    let frame = simulate(n, if n == 56_649 { 2021 } else { 2022 });
    let vcov = match mode.as_str() {
        "hc1" => Vcov::Hc1,
        "cluster" => Vcov::Cluster(vec!["hh".into()]),
        other => panic!("unknown mode {other}"),
    };
    let opts = EstimateOptions {
        vcov,
        ..Default::default()
    };
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut last = None;
    for _ in 0..repeats {
        let start = std::time::Instant::now();
        let cpu_start = thread_cpu_seconds();
        last = Some(workload(&frame, &opts));
        cpu.push(thread_cpu_seconds() - cpu_start);
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    eprintln!(
        "{mode} n={n}: median {:.2} ms wall, {:.2} ms CPU ({repeats} runs)",
        times[times.len() / 2] * 1e3,
        cpu[cpu.len() / 2] * 1e3
    );
    let fit = last.unwrap();
    println!(
        "n={} k={} r2={:.15e} clusters={:?}",
        fit.n, fit.k, fit.r2, fit.n_clusters
    );
    for c in &fit.coefficients {
        println!("{} {:.15e} {:.15e}", c.term, c.estimate, c.std_error);
    }
}
