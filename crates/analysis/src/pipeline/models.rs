//! Stage 4: the linear probability model of e-government use, its joint tests and the robustness
//! checks (logit and probit average marginal effects, the model without the DSI, the count index
//! instead of the IRT score).

use super::dsi::DsiResult;
use crate::config::AnalysisConfig;
use anyhow::Context;
use egov_econ::{
    BinaryChoice, Column, EstimateOptions, Frame, Regression, Vcov, WaldTest, logit, lpm,
    model_matrix, probit,
};
use egov_survey::AnalysisFrame;
use serde::Serialize;

/// A joint test with a readable name.
#[derive(Debug, Clone, Serialize)]
pub struct NamedTest {
    /// Short key, e.g. `regions_zero`.
    pub name: String,
    /// What is tested, in words.
    pub description: String,
    /// The test.
    pub test: WaldTest,
}

/// Effect of a one-standard-deviation change of a regressor, in probability units.
#[derive(Debug, Clone, Serialize)]
pub struct StandardisedEffect {
    /// Term (`age` combines `age` and `I(age^2)` at the mean age).
    pub term: String,
    /// Standard deviation of the regressor in the estimation sample.
    pub sd: f64,
    /// Coefficient × SD.
    pub effect: f64,
}

/// Every fitted model.
pub struct Models {
    /// Estimation options of every model.
    pub options: EstimateOptions,
    /// The main LPM.
    pub main: Regression,
    /// Joint tests on the main model.
    pub tests: Vec<NamedTest>,
    /// Logit AMEs.
    pub logit: Option<BinaryChoice>,
    /// Probit AMEs.
    pub probit: Option<BinaryChoice>,
    /// The LPM without the DSI.
    pub no_dsi: Option<(String, Regression)>,
    /// The LPM with the count index instead of the DSI.
    pub count_index: Option<(String, Regression)>,
    /// Standardised effects of the main model, largest first.
    pub standardised: Vec<StandardisedEffect>,
    /// Wall time of each robustness model (ms; they run in parallel).
    pub timings: Vec<(String, f64)>,
}

/// One robustness model to fit.
type Job<'a> = Box<dyn Fn() -> anyhow::Result<Robust> + Sync + 'a>;

/// Result of one robustness model.
enum Robust {
    Linear(String, Regression),
    Binary(BinaryChoice),
}

/// Index of the reference level of `var` in the fitted model (the codebook's reference unless
/// `model.references` overrode it).
pub fn reference_index(model: &Regression, var: &egov_survey::CategoricalVar) -> usize {
    model
        .reference_levels
        .iter()
        .find(|(v, _)| *v == var.name)
        .and_then(|(_, level)| var.level_index(level))
        .unwrap_or(var.reference)
}

/// The covariate frame of `egov lpm` ([`crate::dataset::from_analysis`]): every analysis variable
/// under its canonical name, categoricals with the codebook's level slugs and reference, the
/// items, `weight`, `household` and, when mapped, `psu` and `stratum` (no skill index).
pub fn base_frame(af: &AnalysisFrame) -> anyhow::Result<Frame> {
    Ok(crate::dataset::from_analysis(af)?.frame)
}

/// The model frame: [`base_frame`] plus `dsi`, `dsi_se` and `count_index`.
pub fn model_frame(af: &AnalysisFrame, dsi: &DsiResult) -> anyhow::Result<Frame> {
    let nan = |v: &Option<f64>| v.unwrap_or(f64::NAN);
    let mut f = base_frame(af)?;
    f.push_numeric("dsi", dsi.dsi.iter().map(nan).collect())?;
    f.push_numeric("dsi_se", dsi.dsi_se.iter().map(nan).collect())?;
    f.push_numeric("count_index", dsi.count_std.iter().map(nan).collect())?;
    Ok(f)
}

/// Applies `references` overrides (`variable → level slug`).
pub fn set_references(
    frame: &mut Frame,
    references: &std::collections::BTreeMap<String, String>,
) -> anyhow::Result<()> {
    for (var, level) in references {
        let column = frame.column(var).with_context(|| {
            format!("`model.references` names `{var}`, which is not a variable of the data")
        })?;
        let Column::Categorical(c) = column else {
            anyhow::bail!("`model.references`: `{var}` is numeric, not categorical");
        };
        let updated = c.clone().with_reference(level).map_err(|e| {
            anyhow::anyhow!("`model.references.{var}`: {e}; use one of the codebook's level names")
        })?;
        frame.set(var, Column::Categorical(updated))?;
    }
    Ok(())
}

/// True when `term` of an additive formula mentions the variable `name` as a whole word.
fn mentions(term: &str, name: &str) -> bool {
    let bytes = term.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    term.match_indices(name).any(|(i, _)| {
        let before = i == 0 || !ident(bytes[i - 1]);
        let after = i + name.len() >= bytes.len() || !ident(bytes[i + name.len()]);
        before && after
    })
}

/// The formula without any term that mentions `name`.
pub fn drop_variable(formula: &str, name: &str) -> String {
    let (lhs, rhs) = formula.split_once('~').unwrap_or((formula, ""));
    let kept: Vec<&str> = rhs
        .split('+')
        .map(str::trim)
        .filter(|t| !t.is_empty() && !mentions(t, name))
        .collect();
    format!(
        "{} ~ {}",
        lhs.trim(),
        if kept.is_empty() {
            "1".to_string()
        } else {
            kept.join(" + ")
        }
    )
}

/// The formula with the variable `from` renamed `to` wherever it appears as a whole word.
pub fn rename_variable(formula: &str, from: &str, to: &str) -> String {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = formula.as_bytes();
    let mut out = String::with_capacity(formula.len());
    let mut last = 0;
    for (i, _) in formula.match_indices(from) {
        let before = i == 0 || !ident(bytes[i - 1]);
        let after = i + from.len() >= bytes.len() || !ident(bytes[i + from.len()]);
        if before && after && i >= last {
            out.push_str(&formula[last..i]);
            out.push_str(to);
            last = i + from.len();
        }
    }
    out.push_str(&formula[last..]);
    out
}

/// Estimation options from the configuration.
pub fn estimate_options(config: &AnalysisConfig, frame: &Frame) -> anyhow::Result<EstimateOptions> {
    let vcov = match config.model.cluster.as_str() {
        "household" => Vcov::Cluster(vec!["household".into()]),
        "psu" => {
            if frame.column("psu").is_err() {
                anyhow::bail!(
                    "`model.cluster = \"psu\"` but the codebook maps no PSU column; map `columns.psu` or cluster by household"
                );
            }
            Vcov::Cluster(vec!["psu".into()])
        }
        _ => config.model.vcov.resolve(frame)?,
    };
    Ok(EstimateOptions {
        weights: config.model.weighted.then(|| "weight".to_string()),
        vcov,
        conf_level: config.model.conf_level,
    })
}

/// Fits every model.
pub fn fit(af: &AnalysisFrame, dsi: &DsiResult, config: &AnalysisConfig) -> anyhow::Result<Models> {
    let mut frame = model_frame(af, dsi)?;
    set_references(&mut frame, &config.model.references)?;
    let options = estimate_options(config, &frame)?;
    let formula = config.model.formula.as_str();
    let main = lpm(formula, &frame, &options)
        .with_context(|| format!("cannot fit the linear probability model `{formula}`"))?;
    let mut tests = Vec::new();
    if main
        .coefficients
        .iter()
        .any(|c| c.term.starts_with("region::"))
    {
        let test = main
            .wald("region::* = 0")
            .context("joint test of the region terms")?;
        tests.push(NamedTest {
            name: "regions_zero".into(),
            description: "all region effects are zero".into(),
            test,
        });
    }
    let groups = ["labour::student", "labour::pensioner", "labour::unemployed"];
    if groups.iter().all(|t| main.coefficient(t).is_some()) {
        let test = main
            .wald("labour::student = labour::pensioner, labour::pensioner = labour::unemployed")
            .context("joint test of equal labour-status effects")?;
        tests.push(NamedTest {
            name: "students_pensioners_unemployed_equal".into(),
            description:
                "students, pensioners and the unemployed differ equally from the reference".into(),
            test,
        });
    }
    // The robustness models are independent: fit them in parallel.
    let timed = |name: &'static str, f: &(dyn Fn() -> anyhow::Result<Robust> + Sync)| {
        let start = std::time::Instant::now();
        let out = f();
        (name, start.elapsed().as_secs_f64() * 1e3, out)
    };
    let wanted = |name: &str| config.wants_robustness(name);
    let frame_ref = &frame;
    let options_ref = &options;
    let jobs: Vec<(&'static str, Job<'_>)> = vec![
        (
            "logit",
            Box::new(move || {
                Ok(Robust::Binary(
                    logit(formula, frame_ref, options_ref).context("robustness: logit")?,
                ))
            }),
        ),
        (
            "probit",
            Box::new(move || {
                Ok(Robust::Binary(
                    probit(formula, frame_ref, options_ref).context("robustness: probit")?,
                ))
            }),
        ),
        (
            "no_dsi",
            Box::new(move || {
                let f = drop_variable(formula, "dsi");
                let r = lpm(&f, frame_ref, options_ref)
                    .with_context(|| format!("robustness: `{f}`"))?;
                Ok(Robust::Linear(f, r))
            }),
        ),
        (
            "count_index",
            Box::new(move || {
                let f = rename_variable(formula, "dsi", "count_index");
                let r = lpm(&f, frame_ref, options_ref)
                    .with_context(|| format!("robustness: `{f}`"))?;
                Ok(Robust::Linear(f, r))
            }),
        ),
    ];
    use rayon::prelude::*;
    let results: Vec<(&'static str, f64, anyhow::Result<Robust>)> = jobs
        .par_iter()
        .filter(|(name, _)| wanted(name))
        .map(|(name, job)| timed(name, job.as_ref()))
        .collect();
    drop(jobs);
    let (mut logit_fit, mut probit_fit, mut no_dsi, mut count_index) = (None, None, None, None);
    let mut timings = Vec::new();
    for (name, ms, result) in results {
        timings.push((name.to_string(), ms));
        match (name, result?) {
            ("logit", Robust::Binary(b)) => logit_fit = Some(b),
            ("probit", Robust::Binary(b)) => probit_fit = Some(b),
            ("no_dsi", Robust::Linear(f, r)) => no_dsi = Some((f, r)),
            ("count_index", Robust::Linear(f, r)) => count_index = Some((f, r)),
            _ => {}
        }
    }
    let standardised = standardised_effects(formula, &frame, &options, &main)?;
    Ok(Models {
        options,
        main,
        tests,
        logit: logit_fit,
        probit: probit_fit,
        no_dsi,
        count_index,
        standardised,
        timings,
    })
}

/// Coefficient × SD of each regressor in the estimation sample (weighted when the model is);
/// `age` and `I(age^2)` are combined into the slope at the mean age times the SD of age.
pub fn standardised_effects(
    formula: &str,
    frame: &Frame,
    options: &EstimateOptions,
    model: &Regression,
) -> anyhow::Result<Vec<StandardisedEffect>> {
    let mm = model_matrix(formula, frame, options.weights.as_deref())?;
    let n = mm.x.nrows();
    let w = mm.weights.clone().unwrap_or_else(|| vec![1.0; n]);
    let sw: f64 = w.iter().sum();
    let moments = |j: usize| {
        let col = mm.x.column(j);
        let mean = (0..n).map(|i| w[i] * col[i]).sum::<f64>() / sw;
        let var = (0..n).map(|i| w[i] * (col[i] - mean).powi(2)).sum::<f64>() / sw;
        (mean, var.sqrt())
    };
    let mut out = Vec::new();
    let age_sq = model.coefficient("I(age^2)").map(|c| c.estimate);
    for (j, term) in mm.terms.iter().enumerate() {
        if term == "(Intercept)" || term == "I(age^2)" {
            continue;
        }
        let Some(c) = model.coefficient(term) else {
            continue;
        };
        let (mean, sd) = moments(j);
        let slope = if term == "age" {
            c.estimate + 2.0 * age_sq.unwrap_or(0.0) * mean
        } else {
            c.estimate
        };
        out.push(StandardisedEffect {
            term: term.clone(),
            sd,
            effect: slope * sd,
        });
    }
    out.sort_by(|a, b| b.effect.abs().total_cmp(&a.effect.abs()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_edits_respect_word_boundaries() {
        let f = "egov ~ dsi + sex + dsi:sex + dsi_se + I(dsi^2)";
        assert_eq!(drop_variable(f, "dsi"), "egov ~ sex + dsi_se");
        assert_eq!(
            rename_variable(f, "dsi", "count_index"),
            "egov ~ count_index + sex + count_index:sex + dsi_se + I(count_index^2)"
        );
    }
}
