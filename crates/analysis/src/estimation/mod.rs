//! Single models on a [`Dataset`]: `egov regress`, `egov lpm`, and Python's `egov.ols` /
//! `egov.lpm`.
//!
//! A [`ModelSpec`] is the checked, typed form of the flags (or keyword arguments): which model,
//! which formula, which weights, one [`VcovSpec`], which extra binary-choice models and which
//! inference for a generated `dsi` regressor. [`estimate`] computes everything once and returns a
//! [`ModelRun`], which renders itself as JSON (the `egov lpm --format json` contract), tidy CSV,
//! Markdown, LaTeX or terminal text. Nothing here prints or writes files.

mod render;
mod two_step;
mod vcov;

pub use two_step::TwoStep;
pub use vcov::VcovSpec;

use crate::config::DEFAULT_FORMULA;
use crate::dataset::{DataInfo, Dataset};
use crate::progress::Progress;
use crate::skills::{default_dsi, person_weights, select_items};
use anyhow::bail;
use egov_econ::{BinaryChoice, EstimateOptions, Regression, WaldTest};
use serde_json::{Value, json};

/// Least squares or the linear probability model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// Least squares (`egov regress`); default variance iid.
    Ols,
    /// Linear probability model of a 0/1 outcome (`egov lpm`); default variance HC1, and the
    /// brief's formula when the data come with a codebook.
    Lpm,
}

impl ModelKind {
    /// `ols` or `lpm`, as in JSON and CSV outputs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ols => "ols",
            Self::Lpm => "lpm",
        }
    }

    /// `OLS` or `LPM`, as in table headings.
    pub fn title(self) -> &'static str {
        match self {
            Self::Ols => "OLS",
            Self::Lpm => "LPM",
        }
    }

    fn default_vcov(self) -> VcovSpec {
        match self {
            Self::Ols => VcovSpec::Iid,
            Self::Lpm => VcovSpec::Hc1,
        }
    }
}

/// A binary-choice model reported beside the LPM by its average marginal effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryModel {
    /// Logistic regression.
    Logit,
    /// Probit regression.
    Probit,
}

impl BinaryModel {
    /// `logit` or `probit`, the key of the model in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Logit => "logit",
            Self::Probit => "probit",
        }
    }

    fn ame_heading(self) -> &'static str {
        match self {
            Self::Logit => "Logit AME",
            Self::Probit => "Probit AME",
        }
    }
}

/// Inference for a `dsi` regressor estimated from the skill items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inference {
    /// The DSI treated as observed data.
    Naive,
    /// Two-step bootstrap: the item model is refitted in every replicate.
    Bootstrap {
        /// Number of replicates.
        replicates: usize,
        /// Random seed.
        seed: u64,
    },
    /// Plausible values combined by Rubin's rules.
    PlausibleValues {
        /// Number of draws.
        draws: usize,
        /// Random seed.
        seed: u64,
        /// Draw under a latent regression on the model's covariates and outcome (the unbiased
        /// choice); `false` draws under the plain N(0, 1) prior.
        conditioned: bool,
    },
}

impl Inference {
    fn name(self) -> &'static str {
        match self {
            Self::Naive => "naive",
            Self::Bootstrap { .. } => "bootstrap",
            Self::PlausibleValues { .. } => "pv",
        }
    }
}

/// The checked specification of one model run.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSpec {
    /// OLS or LPM.
    pub kind: ModelKind,
    /// The formula; `None` means the brief's formula (LPM on codebook data only).
    pub formula: Option<String>,
    /// Sampling-weight column.
    pub weights: Option<String>,
    /// Variance estimator; `None` means the model's default (iid for OLS, HC1 for the LPM).
    pub vcov: Option<VcovSpec>,
    /// Wald tests of linear restrictions, as text.
    pub tests: Vec<String>,
    /// Skill item columns for `dsi` in a plain table (comma-separated).
    pub items: Option<String>,
    /// Confidence level of every interval.
    pub conf_level: f64,
    /// Logit and/or probit reported beside the LPM.
    pub binary_models: Vec<BinaryModel>,
    /// Inference for a generated `dsi`.
    pub inference: Inference,
}

impl ModelSpec {
    /// A model with the defaults of `egov regress` (OLS) or `egov lpm` (LPM).
    pub fn new(kind: ModelKind) -> Self {
        Self {
            kind,
            formula: None,
            weights: None,
            vcov: None,
            tests: Vec::new(),
            items: None,
            conf_level: 0.95,
            binary_models: Vec::new(),
            inference: Inference::Naive,
        }
    }

    /// Refuses specifications that cannot be met, before any data are read.
    pub fn check(&self) -> anyhow::Result<()> {
        if !(self.conf_level > 0.0 && self.conf_level < 1.0) {
            bail!(
                "--conf-level must be between 0 and 1, got {}",
                self.conf_level
            );
        }
        if self.kind == ModelKind::Ols
            && (!self.binary_models.is_empty() || self.inference != Inference::Naive)
        {
            bail!("logit/probit models and DSI inference go with the LPM (`egov lpm`)");
        }
        match self.inference {
            Inference::Bootstrap { replicates: 0, .. } => {
                bail!("--replicates must be at least 1 with --inference bootstrap")
            }
            Inference::PlausibleValues { draws: 0, .. } => {
                bail!("--draws must be at least 1 with --inference pv")
            }
            _ => Ok(()),
        }
    }
}

/// Everything computed for one [`ModelSpec`].
#[derive(Debug, Clone)]
pub struct ModelRun {
    /// OLS or LPM.
    pub kind: ModelKind,
    /// The main model.
    pub fit: Regression,
    /// The Wald tests, in the order asked.
    pub tests: Vec<WaldTest>,
    /// Logit/probit fits beside the LPM.
    pub binary: Vec<(BinaryModel, BinaryChoice)>,
    /// How `dsi` was computed, when the run computed it (`null` otherwise).
    pub dsi: Value,
    /// Two-step inference, when asked.
    pub two_step: Option<TwoStep>,
    /// Provenance of the data.
    pub data: DataInfo,
    /// Notes for the user (weights, the DSI's convergence, …), in order.
    pub notes: Vec<String>,
}

/// True when `name` occurs as a whole identifier in `formula`.
fn mentions(formula: &str, name: &str) -> bool {
    formula
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .any(|token| token == name)
}

/// Fits the model of `spec` on `ds`, computing `dsi` first when the formula uses it and the data
/// have no such column (the column is then added to `ds`).
pub fn estimate(
    ds: &mut Dataset,
    spec: &ModelSpec,
    progress: &dyn Progress,
) -> anyhow::Result<ModelRun> {
    spec.check()?;
    let lpm = spec.kind == ModelKind::Lpm;
    let formula = match (&spec.formula, lpm && ds.has_codebook) {
        (Some(f), _) => f.clone(),
        (None, true) => DEFAULT_FORMULA.to_string(),
        (None, false) if lpm => bail!(
            "a plain table has no default model: pass --formula \"y ~ x + …\" (the brief's formula needs a codebook)"
        ),
        (None, false) => bail!("pass --formula \"y ~ x + …\""),
    };
    let vcov_spec = spec
        .vcov
        .clone()
        .unwrap_or_else(|| spec.kind.default_vcov());
    if vcov_spec == VcovSpec::Design && !ds.has_codebook {
        // A plain table's column called `psu` is not a declared design.
        bail!("{}", vcov::DESIGN_NEEDS_CODEBOOK);
    }
    let vcov = vcov_spec.resolve(&ds.frame)?;
    let mut notes = Vec::new();
    let mut dsi_summary = Value::Null;
    let mut two_step = None;
    if mentions(&formula, "dsi") && ds.frame.column("dsi").is_err() {
        let items = select_items(ds, spec.items.as_deref()).map_err(|e| {
            anyhow::anyhow!("the formula uses `dsi`, which is computed from the skill items: {e}")
        })?;
        let weights = person_weights(ds, spec.weights.as_deref(), &mut notes)?;
        progress.stage("fitting the Digital Skills Index");
        let dsi = default_dsi(&items, weights.as_deref(), &mut notes)?;
        if spec.inference != Inference::Naive {
            progress.stage("two-step inference for the DSI");
            two_step = Some(two_step::run_two_step(
                spec,
                ds,
                &two_step::Calibration {
                    items: &items,
                    weights: weights.as_deref(),
                    fit: &dsi.fit,
                },
                &formula,
                &vcov,
                progress,
            )?);
        }
        ds.frame.push_numeric("dsi", dsi.values)?;
        dsi_summary = dsi.summary;
    } else if spec.inference != Inference::Naive {
        bail!(
            "--inference {} corrects for a `dsi` estimated from the skill items, but {}",
            spec.inference.name(),
            if mentions(&formula, "dsi") {
                "the data already have a `dsi` column"
            } else {
                "the formula does not use `dsi`"
            }
        );
    }
    progress.stage("fitting the model");
    let opts = EstimateOptions {
        weights: spec.weights.clone(),
        vcov,
        conf_level: spec.conf_level,
    };
    let fit = if lpm {
        egov_econ::lpm(&formula, &ds.frame, &opts)?
    } else {
        egov_econ::regress(&formula, &ds.frame, &opts)?
    };
    let tests: Vec<WaldTest> = spec
        .tests
        .iter()
        .map(|t| fit.wald(t))
        .collect::<Result<_, _>>()?;
    let mut binary: Vec<(BinaryModel, BinaryChoice)> = Vec::new();
    for &model in &spec.binary_models {
        if binary.iter().any(|(m, _)| *m == model) {
            continue;
        }
        let fitted = match model {
            BinaryModel::Logit => egov_econ::logit(&formula, &ds.frame, &opts)?,
            BinaryModel::Probit => egov_econ::probit(&formula, &ds.frame, &opts)?,
        };
        binary.push((model, fitted));
    }
    Ok(ModelRun {
        kind: spec.kind,
        fit,
        tests,
        binary,
        dsi: dsi_summary,
        two_step,
        data: ds.info.clone(),
        notes,
    })
}

/// The JSON of a linear model in the `egov lpm --format json` contract: the engine's result
/// (formula, n, coefficients, vcov, …) plus `model`, `tests`, `dsi` and `data`. The reproduce
/// pipeline's `tables/lpm.json` is built by this function too.
pub fn linear_model_json(
    kind: ModelKind,
    fit: &Regression,
    tests: Value,
    dsi: Value,
    data: Value,
) -> anyhow::Result<Value> {
    let mut value = serde_json::to_value(fit)?;
    if let Some(obj) = value.as_object_mut() {
        obj.insert("model".into(), json!(kind.name()));
        obj.insert("tests".into(), tests);
        obj.insert("dsi".into(), dsi);
        obj.insert("data".into(), data);
    }
    Ok(value)
}

impl ModelRun {
    /// The whole run as JSON (the `egov lpm` / `egov regress` `--format json` contract).
    pub fn to_json(&self) -> anyhow::Result<Value> {
        let mut value = linear_model_json(
            self.kind,
            &self.fit,
            serde_json::to_value(&self.tests)?,
            self.dsi.clone(),
            serde_json::to_value(&self.data)?,
        )?;
        if let Some(obj) = value.as_object_mut() {
            for (model, fitted) in &self.binary {
                obj.insert(model.name().into(), serde_json::to_value(fitted)?);
            }
            if let Some(t) = &self.two_step {
                obj.insert("inference".into(), t.to_json()?);
            }
        }
        Ok(value)
    }

    /// Tidy coefficients, one line per model and term:
    /// `model,term,estimate,std_error,statistic,p_value,conf_low,conf_high`.
    pub fn to_csv(&self) -> String {
        let mut s =
            String::from("model,term,estimate,std_error,statistic,p_value,conf_low,conf_high\n");
        render::append_tidy(&mut s, self.kind.name(), &self.fit.coefficients);
        for (model, fitted) in &self.binary {
            render::append_tidy(&mut s, &format!("{}_ame", model.name()), &fitted.ame);
        }
        if let Some(t) = &self.two_step {
            t.append_csv(&mut s);
        }
        s
    }

    fn table(&self) -> egov_econ::table::RegressionTable {
        render::side_by_side(
            self.kind.title(),
            &self.fit,
            &self.binary,
            &self.tests,
            self.data.synthetic,
        )
    }

    /// The models side by side as a GitHub Markdown table (and the inference table, if any).
    pub fn to_markdown(&self) -> String {
        let inference = self.two_step.as_ref().map(TwoStep::table);
        self.table().to_markdown()
            + &inference.map_or(String::new(), |t| format!("\n{}", t.to_markdown()))
    }

    /// The models side by side as a LaTeX tabular (and the inference table, if any).
    pub fn to_latex(&self) -> String {
        let inference = self.two_step.as_ref().map(TwoStep::table);
        self.table().to_latex()
            + &inference.map_or(String::new(), |t| format!("\n{}", t.to_latex()))
    }

    /// The coefficient table and diagnostics for a terminal.
    pub fn to_text(&self) -> String {
        let mut text = render::render_text(
            self.kind.title(),
            &self.fit,
            &self.binary,
            &self.tests,
            &self.data,
            &self.dsi,
        );
        if let Some(t) = &self.two_step {
            text.push_str(&t.render_text());
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_mentions_whole_identifiers_only() {
        assert!(mentions("egov ~ dsi + sex", "dsi"));
        assert!(mentions("y ~ I(dsi^2)", "dsi"));
        assert!(!mentions("y ~ dsi_count + x", "dsi"));
        assert!(!mentions("y ~ mydsi", "dsi"));
    }

    #[test]
    fn specifications_are_checked_before_reading_data() {
        let mut spec = ModelSpec::new(ModelKind::Lpm);
        spec.conf_level = 1.5;
        assert_eq!(
            spec.check().unwrap_err().to_string(),
            "--conf-level must be between 0 and 1, got 1.5"
        );
        let mut spec = ModelSpec::new(ModelKind::Ols);
        spec.binary_models.push(BinaryModel::Logit);
        assert!(spec.check().is_err());
    }
}
