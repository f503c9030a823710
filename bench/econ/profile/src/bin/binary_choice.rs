//! Times one logit or probit fit with average marginal effects on replica-shaped simulated data
//! (`cargo run --release --manifest-path bench/econ/profile/Cargo.toml --bin binary_choice -- logit hc1`);
//! the figures in docs/performance.md (binary models) come from it, also under callgrind.
use econ_profile::{simulate, thread_cpu_seconds};
use egov_econ::{BinaryChoice, EstimateOptions, Frame, Vcov, logit, probit};
use std::hint::black_box;

const DEFAULT_FORMULA: &str =
    "used_egov ~ dsi + sex + urban + age + I(age^2) + education + labour + region";

fn formula() -> String {
    std::env::var("EGOV_FORMULA").unwrap_or_else(|_| DEFAULT_FORMULA.to_string())
}

#[inline(never)]
fn workload(frame: &Frame, opts: &EstimateOptions, link: &str) -> BinaryChoice {
    if link == "logit" {
        logit(&formula(), black_box(frame), opts).unwrap()
    } else {
        probit(&formula(), black_box(frame), opts).unwrap()
    }
}

fn main() {
    let link = std::env::args().nth(1).unwrap_or_else(|| "logit".into());
    let mode = std::env::args().nth(2).unwrap_or_else(|| "hc1".into());
    let repeats: usize = std::env::args().nth(3).map_or(1, |r| r.parse().unwrap());
    let n = 56_649;
    let frame = simulate(n, 2021);
    let (vcov, weights) = match mode.as_str() {
        "hc1" => (Vcov::Hc1, None),
        "cluster" => (Vcov::Cluster(vec!["hh".into()]), None),
        "wcluster" => (Vcov::Cluster(vec!["hh".into()]), Some("wt".to_string())),
        other => panic!("unknown mode {other}"),
    };
    let opts = EstimateOptions {
        vcov,
        weights,
        ..Default::default()
    };
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut last = None;
    for _ in 0..repeats {
        let start = std::time::Instant::now();
        let cpu_start = thread_cpu_seconds();
        last = Some(workload(&frame, &opts, &link));
        cpu.push(thread_cpu_seconds() - cpu_start);
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    eprintln!(
        "{link} {mode}: median {:.2} ms wall, {:.2} ms CPU ({repeats} runs)",
        times[times.len() / 2] * 1e3,
        cpu[cpu.len() / 2] * 1e3
    );
    let fit = last.unwrap();
    println!(
        "n={} k={} ll={:.15e} iter={}",
        fit.n, fit.k, fit.log_likelihood, fit.iterations
    );
    for c in &fit.coefficients {
        println!("coef {} {:.15e} {:.15e}", c.term, c.estimate, c.std_error);
    }
    for c in &fit.ame {
        println!("ame {} {:.15e} {:.15e}", c.term, c.estimate, c.std_error);
    }
}
