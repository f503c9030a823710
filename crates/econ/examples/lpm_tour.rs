//! A tour of the egov-econ API on a small simulated survey: LPM with robust, clustered and
//! survey-design variance, a Wald test, logit/probit marginal effects, a side-by-side table
//! and weighted group means.
//!
//!     cargo run -p egov-econ --example lpm_tour

use egov_econ::descriptive::{Design, group_means};
use egov_econ::table::{RegressionTable, TableColumn};
use egov_econ::{Categorical, EconError, EstimateOptions, Frame, Vcov, logit, lpm, probit};

fn main() -> Result<(), EconError> {
    // 1. Build a frame of plain vectors (a deterministic toy population of 2,000 adults).
    let n = 2000;
    // SplitMix64: reproducible uniform numbers without a dependency.
    let pseudo = |i: usize, salt: usize| {
        let mut z = (i as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add((salt as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let age: Vec<f64> = (0..n)
        .map(|i| 18.0 + (pseudo(i, 1) * 60.0).floor())
        .collect();
    let dsi: Vec<f64> = (0..n).map(|i| pseudo(i, 2) * 2.0 - 1.0).collect();
    let region: Vec<Option<&str>> = (0..n)
        .map(|i| Some(["Almaty", "Astana", "Shymkent", "Karaganda"][i % 4]))
        .collect();
    let labour: Vec<Option<&str>> = (0..n)
        .map(|i| Some(["employed", "student", "pensioner", "unemployed"][(i / 4) % 4]))
        .collect();
    let used: Vec<f64> = (0..n)
        .map(|i| (pseudo(i, 3) < 0.45 + 0.25 * dsi[i] - 0.004 * (age[i] - 45.0)) as u8 as f64)
        .collect();
    let household: Vec<f64> = (0..n).map(|i| (i / 3) as f64).collect();
    let weight: Vec<f64> = (0..n).map(|i| 0.5 + pseudo(i, 4) * 2.0).collect();
    let psu: Vec<f64> = (0..n).map(|i| ((i / 20) % 10) as f64).collect();

    let mut data = Frame::new();
    data.push_numeric("used_egov", used.clone())?;
    data.push_numeric("dsi", dsi)?;
    data.push_numeric("age", age)?;
    data.push_categorical("region", Categorical::from_labels(&region))?;
    data.push_categorical(
        "labour",
        Categorical::from_labels(&labour).with_reference("employed")?,
    )?;
    data.push_numeric("hh", household)?;
    data.push_numeric("w", weight.clone())?;
    data.push_numeric("psu", psu.clone())?;

    // 2. The LPM: HC1 by default (Stata `robust`), then household-clustered and design-based.
    let formula = "used_egov ~ dsi + age + I(age^2) + labour + region";
    let robust = lpm(formula, &data, &EstimateOptions::default())?;
    let clustered = lpm(
        formula,
        &data,
        &EstimateOptions {
            vcov: Vcov::Cluster(vec!["hh".into()]),
            ..Default::default()
        },
    )?;
    let design = EstimateOptions {
        weights: Some("w".into()),
        vcov: Vcov::Survey {
            psu: "psu".into(),
            strata: Some("region".into()),
        },
        conf_level: 0.95,
    };
    let survey = lpm(formula, &data, &design)?;
    println!("{}", robust.tidy_csv());
    if let Some(out) = &robust.fitted_outside_unit_interval {
        println!(
            "fitted values outside [0, 1]: {} ({:.1}%)",
            out.count,
            100.0 * out.share
        );
    }

    // 3. Joint tests written as text.
    let equal = clustered
        .wald("labour::student = labour::pensioner, labour::pensioner = labour::unemployed")?;
    let regions = clustered.wald("region::* = 0")?;
    println!(
        "labour groups equal: F({}, {}) = {:.3}, p = {:.4}",
        equal.q, equal.df_denominator, equal.f, equal.f_p_value
    );
    println!(
        "no regional differences: F({}, {}) = {:.3}, p = {:.4}",
        regions.q, regions.df_denominator, regions.f, regions.f_p_value
    );

    // 4. Logit and probit average marginal effects beside the LPM.
    let opts = EstimateOptions {
        vcov: Vcov::Cluster(vec!["hh".into()]),
        ..Default::default()
    };
    let lo = logit(formula, &data, &opts)?;
    let pr = probit(formula, &data, &opts)?;
    let mut table = RegressionTable::new();
    table.title = Some("Use of e-government services".into());
    table
        .labels
        .push(("dsi".into(), "Digital Skills Index".into()));
    table.push(TableColumn::from_regression("LPM", &clustered));
    table.push(TableColumn::from_ame("Logit AME", &lo));
    table.push(TableColumn::from_ame("Probit AME", &pr));
    table.push(TableColumn::from_regression("LPM (design)", &survey));
    println!("{}", table.to_text());

    // 5. Weighted shares by region with design-based standard errors (the numbers a chart shows).
    let codes: Vec<Option<u32>> = match data.column("region")? {
        egov_econ::Column::Categorical(c) => c.codes.clone(),
        _ => unreachable!("region is categorical"),
    };
    let design = Design {
        strata: Some(codes.iter().map(|c| c.unwrap_or(0)).collect()),
        psu: psu.iter().map(|p| *p as u32).collect(),
    };
    for (level, est) in ["Almaty", "Astana", "Karaganda", "Shymkent"]
        .iter()
        .zip(group_means(&used, &weight, &codes, 4, Some(&design), 0.95)?)
    {
        println!(
            "{level:<10} {:.3} ({:.3}) [{:.3}, {:.3}] n = {}",
            est.estimate, est.std_error, est.conf_low, est.conf_high, est.n
        );
    }
    Ok(())
}
