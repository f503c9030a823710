//! Time a 2PL fit (with standard errors) plus EAP scoring on a CSV of 0/1 responses (header row, empty cell
//! = missing). Prints a JSON line with the median wall time and the estimates, for `bench/irt/run.sh`.
//!
//! Run: `cargo run --release -p egov-irt --example time_fit -- data.csv 7`

use std::time::Instant;

use egov_irt::{FitOptions, MISSING, ScoreMethod, fit, score};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: time_fit DATA.csv [repeats]")?;
    let repeats: usize = args.next().map_or(Ok(7), |r| r.parse())?;
    let text = std::fs::read_to_string(&path)?;
    let mut lines = text.lines();
    let names: Vec<String> = lines
        .next()
        .ok_or("empty file")?
        .split(',')
        .map(str::to_string)
        .collect();
    let mut responses = Vec::new();
    for line in lines {
        for cell in line.split(',') {
            responses.push(match cell.trim() {
                "" => MISSING,
                v => v.parse::<u8>()?,
            });
        }
    }
    let j = names.len();
    let mut times = Vec::with_capacity(repeats);
    let mut last = None;
    for _ in 0..repeats {
        let start = Instant::now();
        let fitted = fit(&responses, j, &names, None, &FitOptions::default())?;
        let scores = score(&fitted.items, &responses, j, ScoreMethod::Eap)?;
        times.push(start.elapsed().as_secs_f64());
        last = Some((fitted, scores.len()));
    }
    times.sort_by(f64::total_cmp);
    let (fitted, _) = last.ok_or("repeats must be at least 1")?;
    let a: Vec<f64> = fitted.items.iter().map(|i| i.a).collect();
    let b: Vec<f64> = fitted.items.iter().map(|i| i.b).collect();
    println!(
        "{{\"tool\":\"egov-irt fit+eap\",\"persons\":{},\"items\":{},\"repeats\":{},\"median_seconds\":{},\"iterations\":{},\"a\":{:?},\"b\":{:?}}}",
        responses.len() / j,
        j,
        repeats,
        times[times.len() / 2],
        fitted.iterations,
        a,
        b
    );
    Ok(())
}
