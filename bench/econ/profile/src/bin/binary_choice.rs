//! Times one logit or probit fit with average marginal effects on replica-shaped simulated data
//! (`cargo run --release --manifest-path bench/econ/profile/Cargo.toml --bin binary_choice -- logit hc1`);
//! the figures in docs/performance.md (binary models) come from it, also under callgrind.
use std::hint::black_box;
use egov_econ::{BinaryChoice, Categorical, EstimateOptions, Frame, Vcov, logit, probit};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const DEFAULT_FORMULA: &str =
    "used_egov ~ dsi + sex + urban + age + I(age^2) + education + labour + region";

fn simulate(n: usize, seed: u64) -> Frame {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut hh = Vec::with_capacity(n);
    let mut id = 0.0;
    while hh.len() < n {
        let size = rng.random_range(1..=4usize);
        for _ in 0..size.min(n - hh.len()) {
            hh.push(id);
        }
        id += 1.0;
    }
    let region: Vec<usize> = (0..n).map(|_| rng.random_range(0..17usize)).collect();
    let education: Vec<usize> = (0..n).map(|_| rng.random_range(0..5usize)).collect();
    let labour: Vec<usize> = (0..n).map(|_| rng.random_range(0..6usize)).collect();
    let sex: Vec<f64> = (0..n).map(|_| rng.random_range(0..2u8) as f64).collect();
    let urban: Vec<f64> = (0..n).map(|_| rng.random_range(0..2u8) as f64).collect();
    let age: Vec<f64> = (0..n).map(|_| rng.random_range(15..75u32) as f64).collect();
    let dsi: Vec<f64> = (0..n)
        .map(|i| rng.random::<f64>() * 2.0 - 1.0 + 0.1 * education[i] as f64)
        .collect();
    let y: Vec<f64> = (0..n)
        .map(|i| {
            let p = 0.4 + 0.2 * dsi[i] + 0.03 * education[i] as f64 - 0.002 * (age[i] - 40.0)
                + 0.01 * region[i] as f64 / 17.0;
            (rng.random::<f64>() < p.clamp(0.01, 0.99)) as u8 as f64
        })
        .collect();
    let names = |prefix: &str, k: usize| -> Vec<String> {
        (0..k).map(|j| format!("{prefix}{j:02}")).collect()
    };
    let cat = |codes: &[usize], levels: Vec<String>| Categorical {
        codes: codes.iter().map(|&c| Some(c as u32)).collect(),
        levels,
        reference: 0,
    };
    let mut f = Frame::new();
    f.push_numeric("used_egov", y).unwrap();
    f.push_numeric("dsi", dsi).unwrap();
    f.push_numeric("sex", sex).unwrap();
    f.push_numeric("urban", urban).unwrap();
    f.push_numeric("age", age).unwrap();
    f.push_categorical("education", cat(&education, names("edu", 5)))
        .unwrap();
    f.push_categorical("labour", cat(&labour, names("lab", 6)))
        .unwrap();
    f.push_categorical("region", cat(&region, names("reg", 17)))
        .unwrap();
    let wt: Vec<f64> = (0..n).map(|i| 0.5 + ((i * 7919) % 100) as f64 / 50.0).collect();
    f.push_numeric("hh", hh).unwrap();
    f.push_numeric("wt", wt).unwrap();
    f
}


fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns * 1e-9)
}

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
    let opts = EstimateOptions { vcov, weights, ..Default::default() };
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
    eprintln!("{link} {mode}: median {:.2} ms wall, {:.2} ms CPU ({repeats} runs)", times[times.len()/2]*1e3, cpu[cpu.len()/2]*1e3);
    let fit = last.unwrap();
    println!("n={} k={} ll={:.15e} iter={}", fit.n, fit.k, fit.log_likelihood, fit.iterations);
    for c in &fit.coefficients {
        println!("coef {} {:.15e} {:.15e}", c.term, c.estimate, c.std_error);
    }
    for c in &fit.ame {
        println!("ame {} {:.15e} {:.15e}", c.term, c.estimate, c.std_error);
    }
}
