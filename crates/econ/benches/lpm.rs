//! LPM with ~35 regressors on survey-sized data (56,649 rows): HC1 and household clustering.
//! The simulated data are also written to CSV for the peer scripts in bench/econ/
//! (path from EGOV_ECON_BENCH_CSV, default /tmp/egov-econ-bench-56649.csv).
//!
//!     cargo bench -p egov-econ --bench lpm
//!     EGOV_ECON_BENCH_LARGE=1 cargo bench -p egov-econ --bench lpm -- 5664900   # 5.66 million rows

use criterion::{Criterion, criterion_group, criterion_main};
use egov_econ::{Categorical, EstimateOptions, Frame, Vcov, lpm, model_matrix, ols_coefficients};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::io::Write;

const N: usize = 56_649;
pub const FORMULA: &str =
    "used_egov ~ dsi + sex + urban + age + I(age^2) + education + labour + region";

/// Simulated replica of the model variables, with households of 1–4 adults.
fn simulate(n: usize, seed: u64, with_csv: bool) -> (Frame, String) {
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
    let mut csv = String::from("used_egov,dsi,sex,urban,age,education,labour,region,hh\n");
    for i in (0..n).filter(|_| with_csv) {
        csv.push_str(&format!(
            "{},{},{},{},{},edu{:02},lab{:02},reg{:02},{}\n",
            y[i], dsi[i], sex[i], urban[i], age[i], education[i], labour[i], region[i], hh[i]
        ));
    }
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
    f.push_numeric("hh", hh).unwrap();
    (f, csv)
}

fn bench(c: &mut Criterion) {
    let (frame, csv) = simulate(N, 2021, true);
    let path = std::env::var("EGOV_ECON_BENCH_CSV")
        .unwrap_or_else(|_| "/tmp/egov-econ-bench-56649.csv".into());
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(csv.as_bytes()))
        .expect("write bench CSV");
    let hc1 = EstimateOptions {
        vcov: Vcov::Hc1,
        ..Default::default()
    };
    let clustered = EstimateOptions {
        vcov: Vcov::Cluster(vec!["hh".into()]),
        ..Default::default()
    };
    let fit = lpm(FORMULA, &frame, &hc1).unwrap();
    let k = fit.k;
    // Printed so that a run shows the same numbers as the peers (bench/econ/peers.py, peers.R).
    let dsi = fit.coefficient("dsi").unwrap();
    println!(
        "rows={} k={k} dsi={:.10} se_hc1={:.10}",
        fit.n, dsi.estimate, dsi.std_error
    );
    assert_eq!(k, 1 + 5 + 4 + 5 + 16, "regressor count");
    let mut g = c.benchmark_group("lpm_56649_rows_35_regressors");
    g.sample_size(30);
    g.bench_function("hc1", |b| {
        b.iter(|| black_box(lpm(FORMULA, &frame, &hc1).unwrap()))
    });
    g.bench_function("cluster_household", |b| {
        b.iter(|| black_box(lpm(FORMULA, &frame, &clustered).unwrap()))
    });
    let mm = model_matrix(FORMULA, &frame, None).unwrap();
    g.bench_function("model_matrix_only", |b| {
        b.iter(|| black_box(model_matrix(FORMULA, &frame, None).unwrap()))
    });
    g.bench_function("ols_coefficients_fixed_design", |b| {
        b.iter(|| black_box(ols_coefficients(&mm.x, &mm.y, None).unwrap()))
    });
    g.finish();

    // 100 × the survey (5.66 million rows), only when asked: it needs about 3 GB of memory.
    if std::env::var("EGOV_ECON_BENCH_LARGE").is_ok() {
        let (large, _) = simulate(N * 100, 2022, false);
        let mut g = c.benchmark_group("lpm_5664900_rows_35_regressors");
        g.sample_size(10);
        g.bench_function("hc1", |b| {
            b.iter(|| black_box(lpm(FORMULA, &large, &hc1).unwrap()))
        });
        g.bench_function("cluster_household", |b| {
            b.iter(|| black_box(lpm(FORMULA, &large, &clustered).unwrap()))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
