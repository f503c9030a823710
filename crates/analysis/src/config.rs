//! `analysis.toml`: everything `egov reproduce` and `egov charts` need to know about one analysis.
//!
//! Unknown keys are errors (a misspelt key must never be silently ignored). Relative paths are
//! resolved against the directory of the configuration file. The built-in configuration (used
//! when no `--config` is given) is `docs/analysis-replica.toml`, compiled into the binary.

use crate::estimation::VcovSpec;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The replica configuration, identical to `docs/analysis-replica.toml`.
pub const REPLICA_CONFIG: &str = include_str!("../../../docs/analysis-replica.toml");

/// The brief's model.
pub const DEFAULT_FORMULA: &str =
    "egov ~ dsi + sex + education + urban + age + I(age^2) + labour + region";

/// A complete analysis configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisConfig {
    /// Input data.
    pub data: DataConfig,
    /// The Digital Skills Index.
    #[serde(default)]
    pub dsi: DsiConfig,
    /// The regression models.
    #[serde(default)]
    pub model: ModelConfig,
    /// Honest uncertainty for the generated DSI.
    #[serde(default)]
    pub inference: InferenceConfig,
    /// Charts.
    #[serde(default)]
    pub charts: ChartsConfig,
    /// Report and table formats.
    #[serde(default)]
    pub output: OutputConfig,
}

/// `[data]`: the survey file and its codebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// Data file (.csv, .parquet, .dta, .sav, .xlsx), relative to the configuration file.
    pub file: PathBuf,
    /// Codebook (TOML), relative to the configuration file.
    pub codebook: PathBuf,
    /// CSV field delimiter (default: guessed).
    #[serde(default)]
    pub delimiter: Option<char>,
    /// CSV encoding: `utf-8` (default) or `windows-1251`.
    #[serde(default = "default_encoding")]
    pub encoding: String,
}

fn default_encoding() -> String {
    "utf-8".into()
}

/// `[dsi]`: how the Digital Skills Index is fitted and scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DsiConfig {
    /// `2pl` (default) or `1pl`.
    #[serde(default = "default_irt_model")]
    pub model: String,
    /// Quadrature nodes of the marginal likelihood.
    #[serde(default = "default_quadrature")]
    pub quadrature_points: usize,
    /// Weight the calibration and the standardisation with the sampling weight.
    #[serde(default)]
    pub weighted: bool,
}

fn default_irt_model() -> String {
    "2pl".into()
}
fn default_quadrature() -> usize {
    41
}

impl Default for DsiConfig {
    fn default() -> Self {
        DsiConfig {
            model: default_irt_model(),
            quadrature_points: default_quadrature(),
            weighted: false,
        }
    }
}

/// `[model]`: the linear probability model and its robustness checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// The main formula; it must mention `dsi`.
    #[serde(default = "default_formula")]
    pub formula: String,
    /// Variance estimator in the grammar of `--vcov` (default `hc1`).
    #[serde(default = "default_vcov")]
    pub vcov: VcovSpec,
    /// Cluster the standard errors: `none` (default), `household` or `psu`.
    #[serde(default = "default_cluster")]
    pub cluster: String,
    /// Weight the regressions with the sampling weight.
    #[serde(default)]
    pub weighted: bool,
    /// Reference-category overrides, e.g. `{ region = "almaty_city" }`.
    #[serde(default)]
    pub references: BTreeMap<String, String>,
    /// Robustness models: any of `logit`, `probit`, `no_dsi`, `count_index`.
    #[serde(default = "default_robustness")]
    pub robustness: Vec<String>,
    /// Confidence level of every interval.
    #[serde(default = "default_conf")]
    pub conf_level: f64,
}

fn default_formula() -> String {
    DEFAULT_FORMULA.into()
}
fn default_vcov() -> VcovSpec {
    VcovSpec::Hc1
}
fn default_cluster() -> String {
    "none".into()
}
fn default_robustness() -> Vec<String> {
    ROBUSTNESS.iter().map(|s| s.to_string()).collect()
}
fn default_conf() -> f64 {
    0.95
}

/// Known robustness models.
pub const ROBUSTNESS: [&str; 4] = ["logit", "probit", "no_dsi", "count_index"];

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            formula: default_formula(),
            vcov: default_vcov(),
            cluster: default_cluster(),
            weighted: false,
            references: BTreeMap::new(),
            robustness: default_robustness(),
            conf_level: default_conf(),
        }
    }
}

/// `[inference]`: corrections for the estimated DSI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InferenceConfig {
    /// Any of `pv` (plausible values) and `bootstrap` (two-step bootstrap); `[]` for none.
    #[serde(default = "default_methods")]
    pub methods: Vec<String>,
    /// Plausible values drawn per person.
    #[serde(default = "default_draws")]
    pub draws: usize,
    /// Draw plausible values from a latent-regression prior on the model's covariates and outcome
    /// (true, the default), or from the N(0, 1) prior of the item model (false).
    #[serde(default = "default_true")]
    pub pv_conditioning: bool,
    /// Bootstrap replicates.
    #[serde(default = "default_replicates")]
    pub replicates: usize,
    /// Seed of every random draw.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn default_methods() -> Vec<String> {
    vec!["pv".into()]
}
fn default_draws() -> usize {
    10
}
fn default_true() -> bool {
    true
}
fn default_replicates() -> usize {
    999
}
fn default_seed() -> u64 {
    2021
}

impl Default for InferenceConfig {
    fn default() -> Self {
        InferenceConfig {
            methods: default_methods(),
            draws: default_draws(),
            pv_conditioning: true,
            replicates: default_replicates(),
            seed: default_seed(),
        }
    }
}

/// `[charts]`: which charts, in which language and formats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartsConfig {
    /// Chart names, or `["all"]` (default). See [`CHART_NAMES`].
    #[serde(default = "default_charts")]
    pub include: Vec<String>,
    /// Label language: `en`, `ru` or `kk`.
    #[serde(default = "default_lang")]
    pub lang: String,
    /// Figure formats: `svg`, `png`.
    #[serde(default = "default_figure_formats")]
    pub formats: Vec<String>,
}

/// Every chart the pipeline can draw.
pub const CHART_NAMES: [&str; 14] = [
    "uptake_by_region",
    "dsi_by_region",
    "region_effects",
    "uptake_by_age_urban",
    "uptake_by_education",
    "uptake_by_sex",
    "uptake_by_labour",
    "coefficients",
    "dsi_distribution_urban",
    "dsi_distribution_education",
    "item_curves",
    "test_information",
    "item_map",
    "uptake_map",
];

fn default_charts() -> Vec<String> {
    vec!["all".into()]
}
fn default_lang() -> String {
    "en".into()
}
fn default_figure_formats() -> Vec<String> {
    vec!["svg".into(), "png".into()]
}

impl Default for ChartsConfig {
    fn default() -> Self {
        ChartsConfig {
            include: default_charts(),
            lang: default_lang(),
            formats: default_figure_formats(),
        }
    }
}

/// `[output]`: report and table formats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// Report formats: `markdown`, `html`.
    #[serde(default = "default_report_formats")]
    pub report: Vec<String>,
    /// Table formats: `markdown`, `latex`, `csv`.
    #[serde(default = "default_table_formats")]
    pub tables: Vec<String>,
    /// Respondent-level scores: `csv` or `parquet`.
    #[serde(default = "default_scores_format")]
    pub scores: String,
}

fn default_report_formats() -> Vec<String> {
    vec!["markdown".into(), "html".into()]
}
fn default_table_formats() -> Vec<String> {
    vec!["markdown".into(), "latex".into(), "csv".into()]
}
fn default_scores_format() -> String {
    "csv".into()
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            report: default_report_formats(),
            tables: default_table_formats(),
            scores: default_scores_format(),
        }
    }
}

/// A configuration with its source.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// The configuration, with `data.file` and `data.codebook` resolved to usable paths.
    pub config: AnalysisConfig,
    /// The file it came from (`None` for the built-in replica configuration).
    pub path: Option<PathBuf>,
}

/// Directory of the built-in configuration, against which its relative paths resolve.
fn builtin_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("docs")
}

impl AnalysisConfig {
    /// Parses TOML text; relative data paths are resolved against `base`.
    pub fn from_toml(text: &str, base: &Path, origin: &str) -> anyhow::Result<Self> {
        let mut config: AnalysisConfig = toml::from_str(text).map_err(|e| {
            anyhow::anyhow!(
                "{origin} is not a valid analysis configuration: {}\n(see docs/analysis-template.toml for every key)",
                e.to_string().trim_end()
            )
        })?;
        config.data.file = resolve(base, &config.data.file);
        config.data.codebook = resolve(base, &config.data.codebook);
        config.check(origin)?;
        Ok(config)
    }

    /// The built-in configuration of the bundled replica.
    pub fn replica() -> anyhow::Result<Self> {
        Self::from_toml(
            REPLICA_CONFIG,
            &builtin_dir(),
            "the built-in replica configuration",
        )
    }

    /// Checks values that serde cannot: names of methods, charts, formats, ranges.
    pub fn check(&self, origin: &str) -> anyhow::Result<()> {
        let bad = |key: &str, value: &str, allowed: &[&str]| {
            anyhow::anyhow!(
                "{origin}: `{key}` has the value `{value}`; allowed: {}",
                allowed.join(", ")
            )
        };
        if !["2pl", "1pl"].contains(&self.dsi.model.as_str()) {
            return Err(bad("dsi.model", &self.dsi.model, &["2pl", "1pl"]));
        }
        if !(5..=201).contains(&self.dsi.quadrature_points) {
            anyhow::bail!(
                "{origin}: `dsi.quadrature_points` must be between 5 and 201, got {}",
                self.dsi.quadrature_points
            );
        }
        if !self.model.formula.contains("dsi") {
            anyhow::bail!(
                "{origin}: `model.formula` must use the Digital Skills Index `dsi`, got `{}`",
                self.model.formula
            );
        }
        if self.model.cluster != "none" && self.model.vcov != VcovSpec::Hc1 {
            anyhow::bail!(
                "{origin}: `model.cluster = \"{}\"` and `model.vcov = \"{}\"` choose different variance estimators; keep one (`model.vcov = \"cluster:{}\"` says both)",
                self.model.cluster,
                self.model.vcov,
                self.model.cluster
            );
        }
        if !["none", "household", "psu"].contains(&self.model.cluster.as_str()) {
            return Err(bad(
                "model.cluster",
                &self.model.cluster,
                &["none", "household", "psu"],
            ));
        }
        for r in &self.model.robustness {
            if !ROBUSTNESS.contains(&r.as_str()) {
                return Err(bad("model.robustness", r, &ROBUSTNESS));
            }
        }
        if !(self.model.conf_level > 0.5 && self.model.conf_level < 1.0) {
            anyhow::bail!(
                "{origin}: `model.conf_level` must be in (0.5, 1), got {}",
                self.model.conf_level
            );
        }
        for m in &self.inference.methods {
            if !["pv", "bootstrap"].contains(&m.as_str()) {
                return Err(bad("inference.methods", m, &["pv", "bootstrap"]));
            }
        }
        if self.inference.draws < 2 {
            anyhow::bail!("{origin}: `inference.draws` must be at least 2");
        }
        if self.inference.replicates < 2 {
            anyhow::bail!("{origin}: `inference.replicates` must be at least 2");
        }
        for c in &self.charts.include {
            if c != "all" && c != "none" && !CHART_NAMES.contains(&c.as_str()) {
                let mut allowed = vec!["all", "none"];
                allowed.extend(CHART_NAMES);
                return Err(bad("charts.include", c, &allowed));
            }
        }
        if !["en", "ru", "kk"].contains(&self.charts.lang.as_str()) {
            return Err(bad("charts.lang", &self.charts.lang, &["en", "ru", "kk"]));
        }
        for f in &self.charts.formats {
            if !["svg", "png"].contains(&f.as_str()) {
                return Err(bad("charts.formats", f, &["svg", "png"]));
            }
        }
        for f in &self.output.report {
            if !["markdown", "html"].contains(&f.as_str()) {
                return Err(bad("output.report", f, &["markdown", "html"]));
            }
        }
        for f in &self.output.tables {
            if !["markdown", "latex", "csv"].contains(&f.as_str()) {
                return Err(bad("output.tables", f, &["markdown", "latex", "csv"]));
            }
        }
        if !["csv", "parquet"].contains(&self.output.scores.as_str()) {
            return Err(bad(
                "output.scores",
                &self.output.scores,
                &["csv", "parquet"],
            ));
        }
        Ok(())
    }

    /// True when chart `name` is selected.
    pub fn wants_chart(&self, name: &str) -> bool {
        let inc = &self.charts.include;
        !inc.iter().any(|c| c == "none")
            && (inc.iter().any(|c| c == "all") || inc.iter().any(|c| c == name))
    }

    /// True when inference method `name` (`pv`, `bootstrap`) is on.
    pub fn wants_inference(&self, name: &str) -> bool {
        self.inference.methods.iter().any(|m| m == name)
    }

    /// True when robustness model `name` is on.
    pub fn wants_robustness(&self, name: &str) -> bool {
        self.model.robustness.iter().any(|m| m == name)
    }
}

impl LoadedConfig {
    /// Reads `path`, or the built-in replica configuration when `None`.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        match path {
            None => Ok(LoadedConfig {
                config: AnalysisConfig::replica()?,
                path: None,
            }),
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read the configuration {}", p.display()))?;
                let base = p.parent().unwrap_or(Path::new("."));
                let base = if base.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    base
                };
                Ok(LoadedConfig {
                    config: AnalysisConfig::from_toml(&text, base, &p.display().to_string())?,
                    path: Some(p.to_path_buf()),
                })
            }
        }
    }
}

/// `p` relative to `base`, made canonical when the file exists (so reports show clean paths).
fn resolve(base: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    };
    std::fs::canonicalize(&joined).unwrap_or(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_configuration_parses_with_the_brief_model() {
        let c = AnalysisConfig::replica().unwrap();
        assert_eq!(c.model.formula, DEFAULT_FORMULA);
        assert!(
            c.data
                .file
                .ends_with("kz_ict2021_SYNTHETIC_replica.parquet")
        );
        assert!(c.data.file.exists(), "{}", c.data.file.display());
    }

    #[test]
    fn template_configuration_parses() {
        let dir = builtin_dir();
        let text = std::fs::read_to_string(dir.join("analysis-template.toml")).unwrap();
        let c = AnalysisConfig::from_toml(&text, &dir, "analysis-template.toml").unwrap();
        assert_eq!(c.model.formula, DEFAULT_FORMULA);
        assert!(c.data.file.ends_with("ict_household_survey_2021.sav"));
        // The template documents the same analysis as the replica run, on another file.
        let replica = AnalysisConfig::replica().unwrap();
        assert_eq!(c.dsi, replica.dsi);
        assert_eq!(c.model, replica.model);
        assert_eq!(c.inference, replica.inference);
        assert_eq!(c.charts, replica.charts);
        assert_eq!(c.output, replica.output);
    }

    #[test]
    fn unknown_keys_are_named_in_the_error() {
        let text = "[data]\nfile = \"x.csv\"\ncodebook = \"c.toml\"\n[model]\nvcvo = \"hc1\"\n";
        let err = AnalysisConfig::from_toml(text, Path::new("."), "a.toml").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("vcvo"), "{msg}");
        assert!(msg.contains("a.toml"), "{msg}");
    }

    #[test]
    fn bad_values_are_refused() {
        let base = "[data]\nfile = \"x.csv\"\ncodebook = \"c.toml\"\n";
        for (extra, key) in [
            ("[model]\ncluster = \"village\"\n", "model.cluster"),
            ("[charts]\nlang = \"de\"\n", "charts.lang"),
            (
                "[inference]\nmethods = [\"jackknife\"]\n",
                "inference.methods",
            ),
            ("[model]\nformula = \"egov ~ age\"\n", "model.formula"),
        ] {
            let err =
                AnalysisConfig::from_toml(&format!("{base}{extra}"), Path::new("."), "a.toml")
                    .unwrap_err()
                    .to_string();
            assert!(err.contains(key), "{err}");
        }
    }
}
