//! `egov regress` (least squares) and `egov lpm` (linear probability model, optionally beside
//! logit/probit average marginal effects).
//!
//! Flags become one checked [`ModelSpec`]; [`egov_analysis::estimation::estimate`] does the
//! rest, and the chosen rendering is printed.

use crate::common::{DataArgs, print_notes};
use crate::progress::TerminalProgress;
use clap::{Args, ValueEnum};
use egov_analysis::dataset::load_dataset;
use egov_analysis::estimation::{BinaryModel, Inference, ModelKind, ModelSpec, VcovSpec, estimate};
use std::process::ExitCode;

const REGRESS_HELP: &str = "Examples:
  egov regress mroz.csv --formula \"inlf ~ nwifeinc + educ + exper + I(exper^2) + age + kidslt6 + kidsge6\" --vcov hc1
  egov regress --formula \"age ~ education + region\" --weight weight --vcov design
  egov regress data.csv --formula \"y ~ x + i(group)\" --cluster firm,year --format markdown
  egov regress --formula \"egov ~ dsi + labour\" --test \"labour::student = labour::pensioner\"

Formulas: `y ~ a + b` with categorical expansion, `i(x)` to force a factor, `a:b` and `a*b`
interactions, `I(age^2)` arithmetic, `- 1` to drop the intercept. With a codebook (or no DATA: the
bundled SYNTHETIC replica) the variables are egov, sex, age, education, labour, urban, region, the
11 items, the codebook's extras, weight, household, psu and stratum; categorical terms are named
`variable::level` with the codebook's level slugs (e.g. labour::student). `dsi` is computed on the fly
when the formula mentions it (2PL by marginal ML, EAP, standardised; weighted when --weight is given).

Variance: --vcov iid (default for regress) | hc0 | hc1 (default for lpm; also `robust`) | hc2 | hc3 |
cluster:COL[,COL] (one- or two-way CR1) | design (the codebook's PSU and strata) |
survey:PSU[/STRATA]; --cluster COL[,COL] and --psu COL [--strata COL] are shorthands. Rows with a missing value in any model column are dropped and counted.";

const LPM_HELP: &str = "Examples:
  egov lpm                                         the brief's model on the bundled SYNTHETIC replica
  egov lpm --weight weight --vcov design --format markdown
  egov lpm --model lpm,logit,probit --format latex   LPM beside logit and probit AMEs
  egov lpm survey.sav --codebook cb.toml --formula \"egov ~ dsi + sex + urban\" --format json
  egov lpm --weight weight --vcov design --inference bootstrap --replicates 999
  egov lpm --inference pv --draws 20 --seed 7 --format json

Default formula with a codebook (or no DATA):
  egov ~ dsi + sex + education + urban + age + I(age^2) + labour + region
The outcome must be 0/1. The report counts fitted values outside [0, 1]. Default variance: HC1.
--inference bootstrap refits the item model, the DSI and the LPM in every replicate (resampling
PSUs within strata with a design, the first --cluster column, households with a codebook, else
rows); --inference pv regresses on plausible values and combines them by Rubin's rules.
See `egov regress --help` for formulas, variance options and the variables available.";

/// Arguments shared by `regress` and `lpm`.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Data source.
    #[command(flatten)]
    pub data: DataArgs,
    /// Model formula, e.g. "y ~ x + group + I(age^2)".
    #[arg(long, value_name = "FORMULA")]
    pub formula: Option<String>,
    /// Sampling-weight column (zero weights drop the row).
    #[arg(long, value_name = "COL")]
    pub weight: Option<String>,
    /// Variance estimator: iid, hc0, hc1 (robust), hc2, hc3, cluster:COL[,COL], design or
    /// survey:PSU[/STRATA] (default: iid for regress, hc1 for lpm).
    #[arg(long, value_name = "SPEC", value_parser = parse_vcov)]
    pub vcov: Option<VcovSpec>,
    /// Cluster-robust CR1 variance on one column, or two-way on two (comma-separated).
    #[arg(long, value_name = "COL[,COL]")]
    pub cluster: Option<String>,
    /// Primary sampling unit column: design-based (linearisation) variance.
    #[arg(long, value_name = "COL")]
    pub psu: Option<String>,
    /// Stratum column of the design (with --psu).
    #[arg(long, value_name = "COL")]
    pub strata: Option<String>,
    /// Wald test of linear restrictions, e.g. "labour::student = labour::pensioner" or
    /// "region::* = 0"; repeat for several tests.
    #[arg(long = "test", value_name = "RESTRICTION")]
    pub tests: Vec<String>,
    /// Skill items for `dsi` in a plain table (comma-separated 0/1 columns).
    #[arg(long, value_name = "COL,COL,…")]
    pub items: Option<String>,
    /// Confidence level of the intervals.
    #[arg(long, value_name = "LEVEL", default_value_t = 0.95)]
    pub conf_level: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ModelFormat::Text)]
    pub format: ModelFormat,
}

/// Arguments of `egov regress`.
#[derive(Debug, Args)]
#[command(after_help = REGRESS_HELP)]
pub struct RegressArgs {
    /// Model options.
    #[command(flatten)]
    pub model: ModelArgs,
}

/// Arguments of `egov lpm`.
#[derive(Debug, Args)]
#[command(after_help = LPM_HELP)]
pub struct LpmArgs {
    /// Model options.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Models to report side by side: the LPM always, plus logit and/or probit average marginal
    /// effects (comma-separated).
    #[arg(
        long = "model",
        value_enum,
        value_delimiter = ',',
        default_value = "lpm"
    )]
    pub models: Vec<BinaryModelArg>,
    /// Inference for the generated `dsi` regressor: naive (the DSI treated as data), bootstrap
    /// (two-step cluster bootstrap: households, or PSUs within strata with a design), or pv
    /// (plausible values combined by Rubin's rules). Needs `dsi` computed from the items.
    #[arg(long, value_enum, default_value_t = InferenceArg::Naive)]
    pub inference: InferenceArg,
    /// Bootstrap replicates (with --inference bootstrap).
    #[arg(long, value_name = "R", default_value_t = 999)]
    pub replicates: usize,
    /// Plausible values (with --inference pv).
    #[arg(long, value_name = "M", default_value_t = 10)]
    pub draws: usize,
    /// Seed of the bootstrap or the plausible values (the same default as `egov reproduce`).
    #[arg(long, value_name = "S", default_value_t = 2021)]
    pub seed: u64,
    /// Draw plausible values under the plain N(0, 1) prior instead of a latent regression on the
    /// model's covariates and outcome. The plain draws are biased towards zero for the DSI
    /// coefficient (see docs/methodology.md); use this only to reproduce that comparison.
    #[arg(long)]
    pub unconditioned_pv: bool,
}

/// `--inference` of `egov lpm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InferenceArg {
    /// Usual standard errors, the DSI treated as observed.
    Naive,
    /// Two-step bootstrap: the item model is refitted in every replicate.
    Bootstrap,
    /// Plausible values (drawn under a latent regression on the covariates and outcome) and
    /// Rubin's rules.
    Pv,
}

/// `--model` of `egov lpm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BinaryModelArg {
    /// Linear probability model (always fitted).
    Lpm,
    /// Logit average marginal effects.
    Logit,
    /// Probit average marginal effects.
    Probit,
}

/// `--format` of model commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelFormat {
    /// Coefficient table and diagnostics for a terminal.
    Text,
    /// The full result as JSON.
    Json,
    /// Tidy coefficients: model,term,estimate,std_error,statistic,p_value,conf_low,conf_high.
    Csv,
    /// Side-by-side table in GitHub Markdown.
    Markdown,
    /// Side-by-side table as a LaTeX tabular (booktabs).
    Latex,
}

fn parse_vcov(text: &str) -> Result<VcovSpec, String> {
    text.parse().map_err(|e: anyhow::Error| e.to_string())
}

/// Runs `egov regress`.
pub fn run_regress(args: &RegressArgs) -> anyhow::Result<ExitCode> {
    let spec = model_spec(&args.model, ModelKind::Ols)?;
    run(&args.model, &spec)
}

/// Runs `egov lpm`.
pub fn run_lpm(args: &LpmArgs) -> anyhow::Result<ExitCode> {
    let mut spec = model_spec(&args.model, ModelKind::Lpm)?;
    for model in &args.models {
        match model {
            BinaryModelArg::Lpm => {}
            BinaryModelArg::Logit => spec.binary_models.push(BinaryModel::Logit),
            BinaryModelArg::Probit => spec.binary_models.push(BinaryModel::Probit),
        }
    }
    spec.inference = match args.inference {
        InferenceArg::Naive => Inference::Naive,
        InferenceArg::Bootstrap => Inference::Bootstrap {
            replicates: args.replicates,
            seed: args.seed,
        },
        InferenceArg::Pv => Inference::PlausibleValues {
            draws: args.draws,
            seed: args.seed,
            conditioned: !args.unconditioned_pv,
        },
    };
    run(&args.model, &spec)
}

/// The flags shared by both commands, checked.
fn model_spec(args: &ModelArgs, kind: ModelKind) -> anyhow::Result<ModelSpec> {
    let mut spec = ModelSpec::new(kind);
    spec.formula = args.formula.clone();
    spec.weights = args.weight.clone();
    spec.vcov = VcovSpec::from_flags(
        args.vcov.as_ref(),
        args.cluster.as_deref(),
        args.psu.as_deref(),
        args.strata.as_deref(),
    )?;
    spec.tests = args.tests.clone();
    spec.items = args.items.clone();
    spec.conf_level = args.conf_level;
    Ok(spec)
}

fn run(args: &ModelArgs, spec: &ModelSpec) -> anyhow::Result<ExitCode> {
    spec.check()?;
    let mut ds = load_dataset(&args.data.to_spec()?, None)?;
    print_notes(&ds.notes);
    let progress = TerminalProgress::new();
    let result = estimate(&mut ds, spec, &progress);
    progress.finish();
    let run = result?;
    print_notes(&run.notes);
    let out = match args.format {
        ModelFormat::Json => format!("{}\n", serde_json::to_string_pretty(&run.to_json()?)?),
        ModelFormat::Csv => run.to_csv(),
        ModelFormat::Markdown => run.to_markdown(),
        ModelFormat::Latex => run.to_latex(),
        ModelFormat::Text => run.to_text(),
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
