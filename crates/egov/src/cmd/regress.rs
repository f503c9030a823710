//! `egov regress` (least squares) and `egov lpm` (linear probability model, optionally beside
//! logit/probit average marginal effects).
//!
//! Estimation and inference are `egov-econ`'s; this module builds the model frame (adding the
//! `dsi` column when a formula uses it), chooses the variance estimator from the options, and
//! renders the result.

use crate::common::DataArgs;
use anyhow::bail;
use clap::{Args, ValueEnum};
use egov_analysis::dataset::{Dataset, load_dataset};
use egov_analysis::skills::{default_dsi, select_items};
use egov_econ::table::{RegressionTable, TableColumn};
use egov_econ::{BinaryChoice, Coefficient, EstimateOptions, Regression, Vcov, WaldTest};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::process::ExitCode;

/// The brief's model, the default formula of `egov lpm` on codebook data.
pub const BRIEF_FORMULA: &str =
    "egov ~ dsi + sex + education + urban + age + I(age^2) + labour + region";

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

Variance: --vcov iid (default for regress) | hc0 | hc1 (default for lpm) | hc2 | hc3 | design (the
codebook's PSU and strata); --cluster COL[,COL] for one- or two-way CR1; --psu COL [--strata COL] for
a stratified cluster design. Rows with a missing value in any model column are dropped and counted.";

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
    /// Variance estimator (default: iid for regress, hc1 for lpm).
    #[arg(long, value_enum)]
    pub vcov: Option<VcovArg>,
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

/// `--vcov`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VcovArg {
    /// Classical s²(X'WX)⁻¹.
    Iid,
    /// White (HC0).
    Hc0,
    /// HC0 × n/(n−k) (Stata `robust`).
    Hc1,
    /// Leverage-corrected HC2.
    Hc2,
    /// Jackknife-like HC3.
    Hc3,
    /// The codebook's survey design (PSU and strata).
    Design,
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

/// Runs `egov regress`.
pub fn run_regress(args: &RegressArgs) -> anyhow::Result<ExitCode> {
    run(&args.model, false, &[], None)
}

/// Runs `egov lpm`.
pub fn run_lpm(args: &LpmArgs) -> anyhow::Result<ExitCode> {
    let inference = (args.inference != InferenceArg::Naive).then_some(args);
    run(&args.model, true, &args.models, inference)
}

/// True when `name` occurs as a whole identifier in `formula`.
fn mentions(formula: &str, name: &str) -> bool {
    formula
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .any(|token| token == name)
}

/// The variance estimator chosen by `--vcov`, `--cluster`, `--psu/--strata`.
fn choose_vcov(args: &ModelArgs, ds: &Dataset, binary: bool) -> anyhow::Result<Vcov> {
    let chosen = [
        args.vcov.is_some(),
        args.cluster.is_some(),
        args.psu.is_some(),
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    if chosen > 1 {
        bail!(
            "choose one of --vcov, --cluster and --psu: they select different variance estimators"
        );
    }
    if args.strata.is_some() && args.psu.is_none() {
        bail!("--strata needs --psu (the design's primary sampling unit column)");
    }
    if let Some(cols) = &args.cluster {
        let cols: Vec<String> = cols.split(',').map(|c| c.trim().to_string()).collect();
        if !(1..=2).contains(&cols.len()) || cols.iter().any(String::is_empty) {
            bail!(
                "--cluster takes one column or two comma-separated columns, got `{}`",
                cols.join(",")
            );
        }
        return Ok(Vcov::Cluster(cols));
    }
    if let Some(psu) = &args.psu {
        return Ok(Vcov::Survey {
            psu: psu.clone(),
            strata: args.strata.clone(),
        });
    }
    Ok(match args.vcov {
        None if binary => Vcov::Hc1,
        None => Vcov::Iid,
        Some(VcovArg::Iid) => Vcov::Iid,
        Some(VcovArg::Hc0) => Vcov::Hc0,
        Some(VcovArg::Hc1) => Vcov::Hc1,
        Some(VcovArg::Hc2) => Vcov::Hc2,
        Some(VcovArg::Hc3) => Vcov::Hc3,
        Some(VcovArg::Design) => {
            if !ds.has_codebook || ds.frame.column("psu").is_err() {
                bail!(
                    "--vcov design needs a codebook that maps the PSU column; for a plain table use --psu COL [--strata COL]"
                );
            }
            Vcov::Survey {
                psu: "psu".into(),
                strata: ds
                    .frame
                    .column("stratum")
                    .is_ok()
                    .then(|| "stratum".to_string()),
            }
        }
    })
}

fn run(
    args: &ModelArgs,
    binary: bool,
    models: &[BinaryModelArg],
    inference: Option<&LpmArgs>,
) -> anyhow::Result<ExitCode> {
    if !(args.conf_level > 0.0 && args.conf_level < 1.0) {
        bail!(
            "--conf-level must be between 0 and 1, got {}",
            args.conf_level
        );
    }
    let mut ds = load_dataset(&args.data.to_spec()?, None)?;
    let formula = match (&args.formula, binary && ds.has_codebook) {
        (Some(f), _) => f.clone(),
        (None, true) => BRIEF_FORMULA.to_string(),
        (None, false) if binary => bail!(
            "a plain table has no default model: pass --formula \"y ~ x + …\" (the brief's formula needs a codebook)"
        ),
        (None, false) => bail!("pass --formula \"y ~ x + …\""),
    };
    let vcov = choose_vcov(args, &ds, binary)?;
    let mut dsi_summary = Value::Null;
    let mut two_step = None;
    if mentions(&formula, "dsi") && ds.frame.column("dsi").is_err() {
        let items = select_items(&ds, args.items.as_deref()).map_err(|e| {
            anyhow::anyhow!("the formula uses `dsi`, which is computed from the skill items: {e}")
        })?;
        let weights = match &args.weight {
            Some(name) => Some(
                ds.frame
                    .numeric(name)?
                    .iter()
                    .map(|&w| if w.is_finite() && w > 0.0 { w } else { 0.0 })
                    .collect::<Vec<f64>>(),
            ),
            None => None,
        };
        if let Some(inf) = inference {
            two_step = Some(run_two_step(
                inf,
                &ds,
                &items,
                weights.as_deref(),
                &formula,
                &vcov,
            )?);
        }
        let mut notes = Vec::new();
        let (dsi, summary) = default_dsi(&items, weights.as_deref(), &mut notes)?;
        notes.iter().for_each(|note| eprintln!("{note}"));
        ds.frame.push_numeric("dsi", dsi)?;
        dsi_summary = summary;
    } else if let Some(inf) = inference {
        bail!(
            "--inference {} corrects for a `dsi` estimated from the skill items, but {}",
            match inf.inference {
                InferenceArg::Bootstrap => "bootstrap",
                _ => "pv",
            },
            if mentions(&formula, "dsi") {
                "the data already have a `dsi` column"
            } else {
                "the formula does not use `dsi`"
            }
        );
    }
    let opts = EstimateOptions {
        weights: args.weight.clone(),
        vcov,
        conf_level: args.conf_level,
    };
    let fit = if binary {
        egov_econ::lpm(&formula, &ds.frame, &opts)?
    } else {
        egov_econ::regress(&formula, &ds.frame, &opts)?
    };
    let tests: Vec<WaldTest> = args
        .tests
        .iter()
        .map(|t| fit.wald(t))
        .collect::<Result<_, _>>()?;
    let mut extra: Vec<(&'static str, BinaryChoice)> = Vec::new();
    for m in models {
        match m {
            BinaryModelArg::Lpm => {}
            BinaryModelArg::Logit if !extra.iter().any(|(n, _)| *n == "logit") => {
                extra.push(("logit", egov_econ::logit(&formula, &ds.frame, &opts)?))
            }
            BinaryModelArg::Probit if !extra.iter().any(|(n, _)| *n == "probit") => {
                extra.push(("probit", egov_econ::probit(&formula, &ds.frame, &opts)?))
            }
            _ => {}
        }
    }
    let title = if binary { "LPM" } else { "OLS" };
    let out = match args.format {
        ModelFormat::Json => {
            let mut value = serde_json::to_value(&fit)?;
            let obj = value
                .as_object_mut()
                .expect("Regression serialises to an object");
            obj.insert("model".into(), json!(if binary { "lpm" } else { "ols" }));
            obj.insert("tests".into(), serde_json::to_value(&tests)?);
            obj.insert("dsi".into(), dsi_summary);
            obj.insert("data".into(), serde_json::to_value(&ds.info)?);
            for (name, m) in &extra {
                obj.insert((*name).into(), serde_json::to_value(m)?);
            }
            if let Some(t) = &two_step {
                obj.insert("inference".into(), t.to_json()?);
            }
            format!("{}\n", serde_json::to_string_pretty(&value)?)
        }
        ModelFormat::Csv => {
            let mut s = String::from(
                "model,term,estimate,std_error,statistic,p_value,conf_low,conf_high\n",
            );
            append_tidy(&mut s, &title.to_ascii_lowercase(), &fit.coefficients);
            for (name, m) in &extra {
                append_tidy(&mut s, &format!("{name}_ame"), &m.ame);
            }
            if let Some(t) = &two_step {
                t.append_csv(&mut s);
            }
            s
        }
        ModelFormat::Markdown | ModelFormat::Latex => {
            let table = side_by_side(title, &fit, &extra, &tests, &ds);
            let inference = two_step.as_ref().map(|t| t.table());
            if args.format == ModelFormat::Markdown {
                table.to_markdown()
                    + &inference.map_or(String::new(), |t| format!("\n{}", t.to_markdown()))
            } else {
                table.to_latex()
                    + &inference.map_or(String::new(), |t| format!("\n{}", t.to_latex()))
            }
        }
        ModelFormat::Text => {
            let mut text = render_text(title, &fit, &extra, &tests, &ds, &dsi_summary);
            if let Some(t) = &two_step {
                text.push_str(&t.render_text());
            }
            text
        }
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// Appends tidy CSV lines with a leading model column; numbers keep full precision (17
/// significant digits), undefined ones are `NA`, as in `egov_econ`'s own tidy output.
fn append_tidy(out: &mut String, model: &str, coefficients: &[Coefficient]) {
    let num = |v: f64| {
        if v.is_finite() {
            format!("{v:.17e}")
        } else {
            "NA".into()
        }
    };
    for c in coefficients {
        let term = if c.term.contains([',', '"']) {
            format!("\"{}\"", c.term.replace('"', "\"\""))
        } else {
            c.term.clone()
        };
        let _ = writeln!(
            out,
            "{model},{term},{},{},{},{},{},{}",
            num(c.estimate),
            num(c.std_error),
            num(c.statistic),
            num(c.p_value),
            num(c.conf_low),
            num(c.conf_high)
        );
    }
}

fn test_note(t: &WaldTest) -> String {
    format!(
        "Wald test {}: F({}, {}) = {:.3}, p = {}",
        t.hypothesis,
        t.q,
        fmt_df(t.df_denominator),
        t.f,
        p_value(t.f_p_value)
    )
}

fn fmt_df(df: f64) -> String {
    if df.is_finite() {
        format!("{df:.0}")
    } else {
        "∞".into()
    }
}

fn side_by_side(
    title: &str,
    fit: &Regression,
    extra: &[(&'static str, BinaryChoice)],
    tests: &[WaldTest],
    ds: &Dataset,
) -> RegressionTable {
    let mut table = RegressionTable::new();
    table.push(TableColumn::from_regression(title, fit));
    for (name, m) in extra {
        let heading = if *name == "logit" {
            "Logit AME"
        } else {
            "Probit AME"
        };
        table.push(TableColumn::from_ame(heading, m));
    }
    if let Some(out) = &fit.fitted_outside_unit_interval {
        table.notes.push(format!(
            "LPM fitted values outside [0, 1]: {} ({:.1}%).",
            out.count,
            100.0 * out.share
        ));
    }
    if fit.dropped_rows > 0 {
        table.notes.push(format!(
            "Rows dropped (missing values or zero weight): {}.",
            fit.dropped_rows
        ));
    }
    for t in tests {
        table.notes.push(format!("{}.", test_note(t)));
    }
    if ds.info.synthetic {
        table.notes.push(
            "SYNTHETIC data: a replica drawn from published margins, not real microdata.".into(),
        );
    }
    table
}

fn num(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        "–".into()
    }
}

fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "–".into()
    } else if p < 1e-4 {
        "<0.0001".into()
    } else {
        format!("{p:.4}")
    }
}

fn render_text(
    title: &str,
    fit: &Regression,
    extra: &[(&'static str, BinaryChoice)],
    tests: &[WaldTest],
    ds: &Dataset,
    dsi: &Value,
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{title}: {}{}",
        fit.formula,
        fit.weights
            .as_ref()
            .map_or(String::new(), |w| format!("   [weights: {w}]"))
    );
    let _ = writeln!(
        s,
        "data: {}{}",
        ds.info.path.display(),
        if ds.info.synthetic {
            " (SYNTHETIC replica, not real microdata)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "n = {}, k = {}, residual df = {}, R² = {:.4}, adjusted R² = {:.4}",
        fit.n,
        fit.k,
        fmt_df(fit.df_resid),
        fit.r2,
        fit.adj_r2
    );
    let clusters = fit.n_clusters.as_ref().map_or(String::new(), |c| {
        format!(
            ", clusters: {}",
            c.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(" × ")
        )
    });
    let _ = writeln!(s, "variance: {}{clusters}", fit.vcov);
    if fit.dropped_rows > 0 {
        let detail: Vec<String> = fit
            .dropped_detail
            .missing_by_column
            .iter()
            .map(|(c, n)| format!("{n} missing {c}"))
            .chain(
                (fit.dropped_detail.zero_weight > 0)
                    .then(|| format!("{} zero weight", fit.dropped_detail.zero_weight)),
            )
            .collect();
        let _ = writeln!(
            s,
            "dropped rows: {} ({})",
            fit.dropped_rows,
            detail.join(", ")
        );
    }
    if !dsi.is_null() {
        let _ = writeln!(
            s,
            "dsi: 2PL EAP, standardised{}, computed from {} items; {} row(s) without an answered item",
            if dsi["weighted"].as_bool() == Some(true) {
                " (weighted)"
            } else {
                ""
            },
            dsi["items"].as_array().map_or(0, Vec::len),
            dsi["n_unscored"]
        );
    }
    let _ = writeln!(s);
    let width = fit
        .coefficients
        .iter()
        .map(|c| c.term.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let stat = if fit.t_distribution { "t" } else { "z" };
    let level = format!("{:.0}% CI", 100.0 * fit.conf_level);
    let _ = writeln!(
        s,
        "{:<width$}  {:>10} {:>10} {:>8} {:>8}  {:>21}",
        "term", "estimate", "std.error", stat, "p", level
    );
    for c in &fit.coefficients {
        let _ = writeln!(
            s,
            "{:<width$}  {:>10} {:>10} {:>8} {:>8}  [{:>9}, {:>9}]",
            c.term,
            num(c.estimate, 5),
            num(c.std_error, 5),
            num(c.statistic, 2),
            p_value(c.p_value),
            num(c.conf_low, 5),
            num(c.conf_high, 5),
        );
    }
    if !fit.reference_levels.is_empty() {
        let refs: Vec<String> = fit
            .reference_levels
            .iter()
            .map(|(v, l)| format!("{v} = {l}"))
            .collect();
        let _ = writeln!(s, "reference levels: {}", refs.join(", "));
    }
    if let Some(out) = &fit.fitted_outside_unit_interval {
        let _ = writeln!(
            s,
            "fitted values outside [0, 1]: {} ({:.2}%)",
            out.count,
            100.0 * out.share
        );
    }
    if !fit.collinear_terms.is_empty() {
        let _ = writeln!(
            s,
            "collinear terms dropped: {}",
            fit.collinear_terms.join(", ")
        );
    }
    for t in tests {
        let _ = writeln!(
            s,
            "{}; χ²({}) = {:.3}, p = {}",
            test_note(t),
            t.q,
            t.chi2,
            p_value(t.chi2_p_value)
        );
    }
    for w in &fit.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    if !extra.is_empty() {
        let _ = writeln!(s, "\nLPM beside average marginal effects:");
        s.push_str(&side_by_side(title, fit, extra, &[], ds).to_text());
        for (name, m) in extra {
            for w in &m.warnings {
                let _ = writeln!(s, "warning ({name}): {w}");
            }
        }
    }
    s
}

/// The result of `--inference bootstrap|pv`.
struct TwoStep {
    naive: Regression,
    bootstrap: Option<egov_twostep::BootstrapResult>,
    pv: Option<egov_twostep::PvResult>,
    units: String,
}

impl TwoStep {
    fn table(&self) -> egov_twostep::InferenceTable {
        egov_twostep::compare(&self.naive, self.bootstrap.as_ref(), self.pv.as_ref())
    }

    fn to_json(&self) -> anyhow::Result<Value> {
        let mut bootstrap = serde_json::to_value(&self.bootstrap)?;
        if let Some(obj) = bootstrap.as_object_mut() {
            // The replicate-by-term matrix is large; the summaries keep what reports need.
            obj.remove("lpm_replicates");
        }
        Ok(json!({
            "method": if self.bootstrap.is_some() { "bootstrap" } else { "pv" },
            "resampling_units": self.units,
            "table": serde_json::to_value(self.table())?,
            "bootstrap": bootstrap,
            "plausible_values": serde_json::to_value(&self.pv)?,
        }))
    }

    /// CSV rows `lpm_bootstrap` (percentile interval) or `lpm_pv` (Barnard–Rubin t interval);
    /// the statistic and p-value columns are `NA` there.
    fn append_csv(&self, out: &mut String) {
        let num = |v: f64| {
            if v.is_finite() {
                format!("{v:.17e}")
            } else {
                "NA".into()
            }
        };
        for row in &self.table().rows {
            let term = if row.term.contains([',', '"']) {
                format!("\"{}\"", row.term.replace('"', "\"\""))
            } else {
                row.term.clone()
            };
            let mut line = |model: &str, est: f64, se: f64, interval: Option<(f64, f64)>| {
                let (lo, hi) = interval.unwrap_or((f64::NAN, f64::NAN));
                let _ = writeln!(
                    out,
                    "{model},{term},{},{},NA,NA,{},{}",
                    num(est),
                    num(se),
                    num(lo),
                    num(hi)
                );
            };
            if let Some(se) = row.bootstrap_se {
                line("lpm_bootstrap", row.estimate, se, row.bootstrap_percentile);
            }
            if let (Some(est), Some(se)) = (row.pv_estimate, row.pv_se) {
                line("lpm_pv", est, se, row.pv_interval);
            }
        }
    }

    fn render_text(&self) -> String {
        let table = self.table();
        let mut s = String::new();
        let boot = self.bootstrap.is_some();
        if let Some(b) = &self.bootstrap {
            let strata = if b.n_strata > 1 {
                format!(" in {} strata", b.n_strata)
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "\nTwo-step {} over {} ({} clusters{strata}): {} of {} replicates succeeded",
                b.method, self.units, b.n_clusters, b.successful, b.replicates
            );
        } else if let Some(p) = &self.pv {
            let _ = writeln!(
                s,
                "\nPlausible values: {} draws (seed {}), each standardised, combined by Rubin's rules",
                p.draws, p.seed
            );
        }
        let width = table
            .rows
            .iter()
            .map(|r| r.term.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        let _ = writeln!(
            s,
            "{:<width$}  {:>10} {:>10} {:>10} {:>7}  {:>21}",
            "term",
            "estimate",
            "naive se",
            if boot { "boot se" } else { "pv se" },
            "ratio",
            if boot {
                "percentile interval"
            } else {
                "Rubin interval"
            }
        );
        for r in &table.rows {
            let (estimate, se, ratio, interval) = if boot {
                (
                    r.estimate,
                    r.bootstrap_se,
                    r.se_ratio_bootstrap,
                    r.bootstrap_percentile,
                )
            } else {
                (
                    r.pv_estimate.unwrap_or(f64::NAN),
                    r.pv_se,
                    r.se_ratio_pv,
                    r.pv_interval,
                )
            };
            let (lo, hi) = interval.unwrap_or((f64::NAN, f64::NAN));
            let _ = writeln!(
                s,
                "{:<width$}  {:>10} {:>10} {:>10} {:>7}  [{:>9}, {:>9}]",
                r.term,
                num(estimate, 5),
                num(r.naive_se, 5),
                se.map_or("–".into(), |v| num(v, 5)),
                ratio.map_or("–".into(), |v| num(v, 2)),
                num(lo, 5),
                num(hi, 5)
            );
        }
        if let Some(b) = &self.bootstrap {
            for (replicate, reason) in b.failures.iter().take(5) {
                let _ = writeln!(s, "warning: replicate {replicate} failed: {reason}");
            }
        }
        s
    }
}

/// Dense 0-based ids of a column's values (for resampling units).
fn dense_ids(frame: &egov_econ::Frame, name: &str) -> anyhow::Result<Vec<u32>> {
    let mut map = std::collections::HashMap::new();
    let mut id = |key: u64| {
        let next = map.len() as u32;
        *map.entry(key).or_insert(next)
    };
    Ok(match frame.column(name)? {
        egov_econ::Column::Numeric(v) => v.iter().map(|x| id(x.to_bits())).collect(),
        egov_econ::Column::Categorical(c) => c
            .codes
            .iter()
            .map(|x| id(x.map_or(u64::MAX, u64::from)))
            .collect(),
    })
}

/// Runs the two-step bootstrap or the plausible values for the LPM on the DSI.
fn run_two_step(
    args: &LpmArgs,
    ds: &Dataset,
    items: &egov_analysis::dataset::ItemMatrix,
    weights: Option<&[f64]>,
    formula: &str,
    vcov: &Vcov,
) -> anyhow::Result<TwoStep> {
    // Resampling units: the design's PSUs within strata, else the (first) cluster column, else
    // households of codebook data, else single rows.
    let (clusters, strata, units) = match vcov {
        Vcov::Survey { psu, strata } => (
            dense_ids(&ds.frame, psu)?,
            strata
                .as_deref()
                .map(|s| dense_ids(&ds.frame, s))
                .transpose()?,
            format!("PSUs `{psu}`"),
        ),
        Vcov::Cluster(cols) => (
            dense_ids(&ds.frame, &cols[0])?,
            None,
            format!("clusters `{}`", cols[0]),
        ),
        _ if ds.has_codebook => (
            dense_ids(&ds.frame, "household")?,
            None,
            "households".into(),
        ),
        _ => ((0..ds.frame.n_rows() as u32).collect(), None, "rows".into()),
    };
    let data = egov_twostep::TwoStepData {
        responses: &items.responses,
        n_items: items.n_items(),
        item_names: &items.names,
        frame: &ds.frame,
        formula,
        weights,
        clusters: &clusters,
        strata: strata.as_deref(),
        naive_vcov: vcov.clone(),
    };
    let conf_level = args.model.conf_level;
    if args.inference == InferenceArg::Bootstrap {
        let opts = egov_twostep::BootstrapOptions {
            replicates: args.replicates,
            seed: args.seed,
            conf_level,
            ..Default::default()
        };
        let bar = indicatif::ProgressBar::new(args.replicates as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "bootstrap {bar:30} {pos}/{len} replicates, {eta} left",
        ) {
            bar.set_style(style);
        }
        let progress = |_: usize| bar.inc(1);
        let analysis = egov_twostep::analyse(&data, Some(&opts), None, Some(&progress))?;
        bar.finish_and_clear();
        Ok(TwoStep {
            naive: analysis.naive,
            bootstrap: analysis.bootstrap,
            pv: None,
            units,
        })
    } else {
        let opts = egov_twostep::PvOptions {
            draws: args.draws,
            seed: args.seed,
            conf_level,
            ..Default::default()
        };
        let analysis =
            egov_twostep::analyse(&data, None, args.unconditioned_pv.then_some(&opts), None)?;
        let pv = if args.unconditioned_pv {
            analysis.plausible_values
        } else {
            Some(egov_twostep::conditioned_plausible_values(&data, &opts)?)
        };
        Ok(TwoStep {
            naive: analysis.naive,
            bootstrap: None,
            pv,
            units,
        })
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
}
