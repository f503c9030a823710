//! Times `load()` (read + map + validate) on a data file: prints each run and the median.
//! Used by `bench/survey/run.sh`; build it in release for real figures.
//!
//! `cargo run -p egov-survey --example load_bench -- DATA CODEBOOK [RUNS] [--encoding windows-1251]`
//! Without arguments it times the bundled replica.

use egov_survey::{Codebook, Encoding, ReadOptions, bundled_replica_paths, load};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (default_data, default_cb) = bundled_replica_paths();
    let data = args.first().map(PathBuf::from).unwrap_or(default_data);
    let cb = args.get(1).map(PathBuf::from).unwrap_or(default_cb);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(7);
    let mut opts = ReadOptions::default();
    if args.iter().any(|a| a == "windows-1251") {
        opts.encoding = Encoding::Windows1251;
    }
    let codebook = Codebook::from_path(&cb)?;
    let mut times = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let (frame, report) = load(&data, &codebook, &opts)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        rows = frame.n_rows();
        assert!(report.errors.is_empty());
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    println!(
        "load {} ({rows} rows): median {median:.1} ms over {runs} runs; runs: {}",
        data.display(),
        times
            .iter()
            .map(|t| format!("{t:.1}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}
