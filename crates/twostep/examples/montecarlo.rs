//! Monte Carlo study: coverage of 95% intervals for the DSI coefficient and the `urban`
//! coefficient under naive, two-step bootstrap and plausible-value inference, on data simulated
//! with known truth (see `egov_twostep::simulate`).
//!
//! ```text
//! cargo run --release -p egov-twostep --example montecarlo -- [datasets] [replicates] [persons] [draws] [json-path]
//! ```
//! Defaults: 100 datasets × 199 bootstrap replicates, 5,000 persons, 10 plausible values.
//!
//! Two targets are reported for every method:
//! * the **structural** coefficient: the population LPM coefficient on *true* skill standardised
//!   to mean 0, SD 1 (and the `urban` coefficient in that regression);
//! * the **two-step limit**: what the DSI regression converges to as n grows (EAP scores from the
//!   fitted 2PL, standardised). EAP shrinkage makes the two differ; no standard error fixes that.
//!
//! Both are computed on one large simulated population (`POPULATION` persons) before the study.

use egov_econ::{EstimateOptions, Frame, Vcov, regress};
use egov_twostep::simulate::{SimulationSpec, simulate};
use egov_twostep::{
    BootstrapOptions, PvOptions, analyse, conditioned_plausible_values, naive, plausible_values,
};

const FORMULA: &str = "y ~ dsi + female + urban + age + education";
const POPULATION: usize = 400_000;
const TERMS: [&str; 2] = ["dsi", "urban"];

#[derive(Default, Clone)]
struct Tally {
    hits_structural: usize,
    hits_limit: usize,
    width: f64,
}

impl Tally {
    fn add(&mut self, (lo, hi): (f64, f64), structural: f64, limit: f64) {
        self.hits_structural += usize::from(lo <= structural && structural <= hi);
        self.hits_limit += usize::from(lo <= limit && limit <= hi);
        self.width += hi - lo;
    }
}

const METHODS: [&str; 6] = [
    "naive (CR1)",
    "bootstrap, SE",
    "bootstrap, percentile",
    "bootstrap, BC",
    "plausible values",
    "conditioned plausible values",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let mut next =
        |default: usize| -> usize { args.next().and_then(|a| a.parse().ok()).unwrap_or(default) };
    let datasets = next(100);
    let replicates = next(199);
    let persons = next(5_000);
    let draws = next(10);
    let json_path = std::env::args().nth(5);
    let started = std::time::Instant::now();

    // Truth from a large population.
    let pop = simulate(&SimulationSpec {
        persons: POPULATION,
        seed: 999_999,
        ..SimulationSpec::default()
    });
    let (sw, s1, s2) = pop
        .theta
        .iter()
        .zip(&pop.weights)
        .fold((0.0, 0.0, 0.0), |(a, b, c), (t, w)| {
            (a + w, b + w * t, c + w * t * t)
        });
    let (mean, sd) = (s1 / sw, (s2 / sw - (s1 / sw).powi(2)).sqrt());
    let mut frame: Frame = pop.frame.clone();
    frame
        .push_numeric("dsi", pop.theta.iter().map(|t| (t - mean) / sd).collect())
        .expect("population frame");
    frame
        .push_numeric("w", pop.weights.clone())
        .expect("population frame");
    let structural_fit = regress(
        FORMULA,
        &frame,
        &EstimateOptions {
            weights: Some("w".into()),
            vcov: Vcov::Iid,
            conf_level: 0.95,
        },
    )
    .expect("structural regression");
    let limit_fit = naive(&pop.data(FORMULA), 0.95, &Default::default()).expect("two-step limit");
    let pv_limit = plausible_values(
        &pop.data(FORMULA),
        &PvOptions {
            draws: 2,
            ..PvOptions::default()
        },
    )
    .expect("plausible-value limit");
    let cpv_limit = conditioned_plausible_values(
        &pop.data(FORMULA),
        &PvOptions {
            draws: 2,
            ..PvOptions::default()
        },
    )
    .expect("conditioned plausible-value limit");
    let cpv_lim: Vec<f64> = TERMS
        .iter()
        .map(|t| cpv_limit.term(t).expect("term").estimate)
        .collect();
    let structural: Vec<f64> = TERMS
        .iter()
        .map(|t| structural_fit.coefficient(t).expect("term").estimate)
        .collect();
    let limit: Vec<f64> = TERMS
        .iter()
        .map(|t| limit_fit.regression.coefficient(t).expect("term").estimate)
        .collect();
    let pv_lim: Vec<f64> = TERMS
        .iter()
        .map(|t| pv_limit.term(t).expect("term").estimate)
        .collect();

    let mut tallies = vec![vec![Tally::default(); METHODS.len()]; TERMS.len()];
    let mut estimates = vec![Vec::new(); TERMS.len()];
    let mut pv_estimates = vec![Vec::new(); TERMS.len()];
    let mut cpv_estimates = vec![Vec::new(); TERMS.len()];
    let mut mean_se = vec![[0.0; 4]; TERMS.len()];
    let mut failed_replicates = 0usize;
    for d in 0..datasets {
        let sim = simulate(&SimulationSpec {
            persons,
            seed: 1_000 + d as u64,
            ..SimulationSpec::default()
        });
        let data = sim.data(FORMULA);
        let result = analyse(
            &data,
            Some(&BootstrapOptions {
                replicates,
                seed: 77 + d as u64,
                ..BootstrapOptions::default()
            }),
            Some(&PvOptions {
                draws,
                seed: 55 + d as u64,
                ..PvOptions::default()
            }),
            None,
        )
        .expect("analysis");
        let boot = result.bootstrap.as_ref().expect("bootstrap");
        failed_replicates += boot.failures.len();
        let pv = result.plausible_values.as_ref().expect("pv");
        let cpv = conditioned_plausible_values(
            &data,
            &PvOptions {
                draws,
                seed: 55 + d as u64,
                ..PvOptions::default()
            },
        )
        .expect("conditioned plausible values");
        for (j, term) in TERMS.iter().enumerate() {
            let c = result.naive.coefficient(term).expect("term");
            let b = boot.term(term).expect("term");
            let p = pv.term(term).expect("term");
            let t = &mut tallies[j];
            t[0].add((c.conf_low, c.conf_high), structural[j], limit[j]);
            t[1].add(b.wald_interval, structural[j], limit[j]);
            t[2].add(
                b.percentile_interval.expect("percentile"),
                structural[j],
                limit[j],
            );
            t[3].add(b.bc_interval.expect("bc"), structural[j], limit[j]);
            // The plausible-value estimator has its own limit.
            t[4].add((p.conf_low, p.conf_high), structural[j], pv_lim[j]);
            let cp = cpv.term(term).expect("term");
            t[5].add((cp.conf_low, cp.conf_high), structural[j], cpv_lim[j]);
            cpv_estimates[j].push(cp.estimate);
            mean_se[j][3] += cp.std_error / datasets as f64;
            estimates[j].push(c.estimate);
            pv_estimates[j].push(p.estimate);
            mean_se[j][0] += c.std_error / datasets as f64;
            mean_se[j][1] += b.std_error / datasets as f64;
            mean_se[j][2] += p.std_error / datasets as f64;
        }
        eprintln!(
            "dataset {}/{datasets} done ({:.0} s)",
            d + 1,
            started.elapsed().as_secs_f64()
        );
    }

    let sd_of = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0);
        (m, var.sqrt())
    };
    let mc_se = (0.95f64 * 0.05 / datasets as f64).sqrt();
    println!(
        "Monte Carlo: {datasets} data sets of {persons} persons, {replicates} bootstrap replicates, {draws} plausible values; formula `{FORMULA}`; population for the targets: {POPULATION} persons; {failed_replicates} failed replicates in total; {:.0} s.\n",
        started.elapsed().as_secs_f64()
    );
    println!(
        "Monte Carlo standard error of a coverage near 95%: {:.1} percentage points.\n",
        100.0 * mc_se
    );
    let mut json = Vec::new();
    for (j, term) in TERMS.iter().enumerate() {
        let (m, s) = sd_of(&estimates[j]);
        let (pm, ps) = sd_of(&pv_estimates[j]);
        let (cm, cs) = sd_of(&cpv_estimates[j]);
        println!(
            "`{term}`: structural {:.4}; limits: two-step {:.4}, PV {:.4}, conditioned PV {:.4}. Mean estimate (SD across data sets): two-step {m:.4} ({s:.4}), PV {pm:.4} ({ps:.4}), conditioned PV {cm:.4} ({cs:.4}). Mean SE: naive {:.4}, bootstrap {:.4}, PV {:.4}, conditioned PV {:.4}.\n",
            structural[j],
            limit[j],
            pv_lim[j],
            cpv_lim[j],
            mean_se[j][0],
            mean_se[j][1],
            mean_se[j][2],
            mean_se[j][3]
        );
        println!("| Method | Coverage of structural | Coverage of own limit | Mean width |");
        println!("|:---|---:|---:|---:|");
        for (k, method) in METHODS.iter().enumerate() {
            let t = &tallies[j][k];
            let n = datasets as f64;
            println!(
                "| {method} | {:.1}% | {:.1}% | {:.4} |",
                100.0 * t.hits_structural as f64 / n,
                100.0 * t.hits_limit as f64 / n,
                t.width / n
            );
            json.push(format!(
                "{{\"term\": \"{term}\", \"method\": \"{method}\", \"coverage_structural\": {}, \"coverage_limit\": {}, \"mean_width\": {}}}",
                t.hits_structural as f64 / n,
                t.hits_limit as f64 / n,
                t.width / n
            ));
        }
        println!();
    }
    if let Some(path) = json_path {
        std::fs::write(&path, format!("[\n{}\n]\n", json.join(",\n"))).expect("write JSON");
    }
}
