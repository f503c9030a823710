//! `egov dsi fit` and `egov dsi score`: the Digital Skills Index from yes/no skill items.
//!
//! The estimation itself is `egov-irt`'s; this module selects the items (from the codebook or
//! `--items`), applies weights, and renders or writes the results.

use crate::common::{DataArgs, OutputFormat, write_atomically_with};
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use egov_analysis::dataset::{
    Dataset, ItemMatrix, items_from_columns, load_dataset, parse_item_list,
};
use egov_irt::{
    FitOptions, ItemEstimate, ItemFit, Model, Patterns, PersonScore, ScoreMethod, Unscored,
};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `egov dsi`.
#[derive(Debug, Args)]
pub struct DsiArgs {
    /// `fit` or `score`.
    #[command(subcommand)]
    pub command: DsiCommand,
}

/// The `dsi` subcommands.
#[derive(Debug, Subcommand)]
pub enum DsiCommand {
    /// Fit the item response model and print item parameters and fit statistics.
    #[command(after_help = FIT_HELP)]
    Fit(FitArgs),
    /// Score every respondent and write one row per respondent to a CSV or Parquet file.
    #[command(after_help = SCORE_HELP)]
    Score(ScoreArgs),
}

const FIT_HELP: &str = "Examples:
  egov dsi fit                                    2PL on the bundled SYNTHETIC replica's 11 items
  egov dsi fit --weight weight --format json      weighted calibration, JSON for scripts
  egov dsi fit survey.sav --codebook cb.toml --model 1pl
  egov dsi fit lsat6.csv --items item1,item2,item3,item4,item5 --weight count

With a codebook (or no DATA) the items come from the codebook; --items selects a subset by canonical
name. A plain table (no codebook) needs --items; item values must be 0, 1 or blank (NA and . also
read as blank). Respondents who answered no item are left out and counted.

JSON keys: model, n_respondents, n_patterns, n_excluded, loglik, aic, bic, converged, iterations,
reliability, items[{name, a, b, d, a_se, b_se, d_se}], item_fit[{item, s_x2, df, p_value}], ...
`dsi score --params` reads this JSON back.";

const SCORE_HELP: &str = "Examples:
  egov dsi score --out dsi.parquet                       EAP, standardised, bundled replica
  egov dsi score --method pv --draws 10 --seed 7 --out pv.csv
  egov dsi score --params fit.json --scale 0-100 --out dsi.csv
  egov dsi score lsat6.csv --items item1,item2,item3,item4,item5 --method ml --out lsat6_ml.csv

Output columns: the respondent id (or `row`, the 1-based row number of a plain table, or the --id
column), then `dsi` and `dsi_se` (posterior SD for EAP, standard error for MAP/ML), or `pv1..pvM` for
--method pv. Persons without a score get empty cells and are counted on stderr. The output file is
replaced atomically; it may not be the input file.";

/// Item selection, weights and model options shared by `fit` and `score`.
#[derive(Debug, Clone, Args)]
pub struct ItemArgs {
    /// Data source.
    #[command(flatten)]
    pub data: DataArgs,
    /// Item columns, comma-separated (required for a plain table; a subset of the codebook's
    /// items otherwise).
    #[arg(long, value_name = "COL,COL,…")]
    pub items: Option<String>,
    /// Weight column (sampling or frequency weights); with a codebook the sampling weight is the
    /// column `weight`. Default: unweighted.
    #[arg(long, value_name = "COL")]
    pub weight: Option<String>,
    /// Item response model.
    #[arg(long, value_enum, default_value_t = ModelArg::TwoPl)]
    pub model: ModelArg,
    /// Number of Gauss–Hermite quadrature nodes for estimation.
    #[arg(long, value_name = "N", default_value_t = 41)]
    pub quadrature: usize,
}

/// `--model`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelArg {
    /// Two-parameter logistic.
    #[value(name = "2pl")]
    TwoPl,
    /// One-parameter logistic (common slope).
    #[value(name = "1pl")]
    OnePl,
}

impl From<ModelArg> for Model {
    fn from(m: ModelArg) -> Model {
        match m {
            ModelArg::TwoPl => Model::TwoPl,
            ModelArg::OnePl => Model::OnePl,
        }
    }
}

/// Arguments of `egov dsi fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// Items, weights and model.
    #[command(flatten)]
    pub items: ItemArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// `--method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// Posterior mean (expected a posteriori).
    Eap,
    /// Posterior mode.
    Map,
    /// Maximum likelihood (undefined for all-yes and all-no patterns).
    Ml,
    /// Plausible values: draws from each person's posterior.
    Pv,
}

/// `--scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScaleArg {
    /// Weighted mean 0, SD 1 in the scored sample.
    Standardized,
    /// The model's θ metric (N(0, 1) in the calibration population).
    Theta,
    /// Standardised score mapped linearly onto 0 (lowest score) … 100 (highest).
    #[value(name = "0-100")]
    ZeroToHundred,
}

/// Arguments of `egov dsi score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Items, weights and model.
    #[command(flatten)]
    pub items: ItemArgs,
    /// Scoring method.
    #[arg(long, value_enum, default_value_t = MethodArg::Eap)]
    pub method: MethodArg,
    /// Number of plausible values (with --method pv).
    #[arg(long, value_name = "M", default_value_t = 5)]
    pub draws: usize,
    /// Random seed for plausible values.
    #[arg(long, value_name = "S", default_value_t = 2021)]
    pub seed: u64,
    /// Output scale.
    #[arg(long, value_enum, default_value_t = ScaleArg::Standardized)]
    pub scale: ScaleArg,
    /// Item parameters from `egov dsi fit --format json` instead of fitting.
    #[arg(long, value_name = "FILE")]
    pub params: Option<PathBuf>,
    /// Identifier column of a plain table (default: the 1-based row number, column `row`).
    #[arg(long, value_name = "COL")]
    pub id: Option<String>,
    /// Output file: .csv or .parquet.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Runs `egov dsi …`.
pub fn run(args: &DsiArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        DsiCommand::Fit(a) => run_fit(a),
        DsiCommand::Score(a) => run_score(a),
    }
}

/// The item matrix a command works on: `--items` columns, or the codebook's items.
pub fn select_items(ds: &Dataset, items: Option<&str>) -> anyhow::Result<ItemMatrix> {
    match (items, &ds.codebook_items) {
        (Some(list), _) => items_from_columns(&ds.frame, &parse_item_list(list)?),
        (None, Some(m)) => Ok(m.clone()),
        (None, None) => bail!(
            "{} has no codebook, so the skill items are unknown: pass --items COL,COL,… (or --codebook FILE)",
            ds.info.path.display()
        ),
    }
}

/// Per-person weights for the IRT engine: the `--weight` column, missing weights counted as 0.
fn person_weights(ds: &Dataset, weight: Option<&str>) -> anyhow::Result<Option<Vec<f64>>> {
    let Some(name) = weight else { return Ok(None) };
    let values = ds.frame.numeric(name).map_err(anyhow::Error::from)?;
    if let Some((i, x)) = values
        .iter()
        .enumerate()
        .find(|(_, x)| x.is_infinite() || **x < 0.0)
    {
        bail!(
            "weight column `{name}`, row {}: value {x} is not a finite non-negative number",
            i + 1
        );
    }
    let missing = values.iter().filter(|x| x.is_nan()).count();
    if missing > 0 {
        eprintln!(
            "note: {missing} row(s) with a missing `{name}` weight get weight 0 in the item calibration"
        );
    }
    let mut weights: Vec<f64> = values
        .iter()
        .map(|&x| if x.is_nan() { 0.0 } else { x })
        .collect();
    // Whole-number weights are frequency weights: they must give exactly the estimates of the
    // expanded data. Other weights are sampling weights, rescaled to sum to the number of
    // respondents with a positive weight, so that standard errors, the log-likelihood and BIC
    // stay on the sample's scale (the estimates do not depend on the scale).
    if weights.iter().any(|w| w.fract() != 0.0) {
        let total: f64 = weights.iter().sum();
        let positive = weights.iter().filter(|&&w| w > 0.0).count() as f64;
        if total > 0.0 {
            weights.iter_mut().for_each(|w| *w *= positive / total);
            eprintln!(
                "note: sampling weights `{name}` rescaled to sum to the {positive} respondents with a positive weight"
            );
        }
    }
    Ok(Some(weights))
}

fn fit_options(args: &ItemArgs) -> FitOptions {
    FitOptions {
        model: args.model.into(),
        quadrature_points: args.quadrature,
        ..FitOptions::default()
    }
}

fn fit_matrix(
    items: &ItemMatrix,
    weights: Option<&[f64]>,
    opts: &FitOptions,
) -> anyhow::Result<ItemFit> {
    egov_irt::fit(
        &items.responses,
        items.n_items(),
        &items.names,
        weights,
        opts,
    )
    .context("fitting the item response model")
}

/// The default DSI used in formulas: 2PL by marginal ML (default options), EAP scores,
/// standardised to (weighted) mean 0 and SD 1. Returns one value per row (NaN when the person
/// answered no item) and a summary for reports.
pub fn default_dsi(
    items: &ItemMatrix,
    weights: Option<&[f64]>,
) -> anyhow::Result<(Vec<f64>, Value)> {
    let fitted = fit_matrix(items, weights, &FitOptions::default())?;
    let scores = egov_irt::score(
        &fitted.items,
        &items.responses,
        items.n_items(),
        ScoreMethod::Eap,
    )?;
    let theta: Vec<Option<f64>> = scores.iter().map(|s| s.map(|s| s.theta)).collect();
    let standardized = egov_irt::scale::standardize(&theta, weights);
    let unscored = standardized.iter().filter(|v| v.is_none()).count();
    let summary = json!({
        "model": "2pl",
        "method": "eap",
        "scale": "standardized",
        "items": items.names,
        "weighted": weights.is_some(),
        "n_unscored": unscored,
        "loglik": fitted.loglik,
        "converged": fitted.converged,
    });
    if !fitted.converged {
        eprintln!(
            "warning: the DSI's item model did not converge after {} iterations",
            fitted.iterations
        );
    }
    Ok((
        standardized
            .into_iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect(),
        summary,
    ))
}

fn run_fit(args: &FitArgs) -> anyhow::Result<ExitCode> {
    let ds = load_dataset(&args.items.data.to_spec()?, None)?;
    let items = select_items(&ds, args.items.items.as_deref())?;
    let weights = person_weights(&ds, args.items.weight.as_deref())?;
    let opts = fit_options(&args.items);
    let fitted = fit_matrix(&items, weights.as_deref(), &opts)?;
    let report = fit_report(&ds, &items, weights.as_deref(), &fitted, &args.items)?;
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        OutputFormat::Text => print!("{}", render_fit_text(&report, &fitted, &ds)),
    }
    Ok(ExitCode::SUCCESS)
}

/// The JSON report of a fit: the engine's result plus reliability, item fit and provenance.
fn fit_report(
    ds: &Dataset,
    items: &ItemMatrix,
    weights: Option<&[f64]>,
    fitted: &ItemFit,
    args: &ItemArgs,
) -> anyhow::Result<Value> {
    let k = items.n_items();
    let eap = egov_irt::score(&fitted.items, &items.responses, k, ScoreMethod::Eap)?;
    let reliability = egov_irt::diagnostics::marginal_reliability(&eap, weights);
    let (patterns, person_pattern) = Patterns::collapse(&items.responses, k)?;
    // S-X² counts persons. Whole-number weights are taken as frequency weights (a pattern
    // table with counts); other weights are sampling weights, rescaled to sum to the number of
    // respondents so that the statistic keeps its sample-size meaning.
    let mut pattern_weights = patterns.pattern_weights(&person_pattern, weights);
    let total: f64 = pattern_weights.iter().sum();
    let frequency = weights.is_none_or(|w| w.iter().all(|x| x.fract() == 0.0));
    if !frequency && total > 0.0 {
        let scale = fitted.n_respondents as f64 / total;
        pattern_weights.iter_mut().for_each(|w| *w *= scale);
    }
    let item_fit = egov_irt::diagnostics::s_x2(
        &fitted.items,
        &patterns,
        &pattern_weights,
        fitted.model,
        1.0,
    )
    .ok();
    let mut value = serde_json::to_value(fitted)?;
    let obj = value
        .as_object_mut()
        .expect("ItemFit serialises to an object");
    obj.insert("reliability".into(), json!(reliability));
    obj.insert(
        "item_fit".into(),
        item_fit.as_ref().map_or(Value::Null, |r| json!(r.items)),
    );
    obj.insert(
        "item_fit_n_incomplete_excluded".into(),
        json!(item_fit.as_ref().map(|r| r.n_incomplete_excluded)),
    );
    obj.insert("weight".into(), json!(args.weight));
    obj.insert("data".into(), json!(ds.info));
    obj.insert("n_rows".into(), json!(items.n_rows()));
    Ok(value)
}

fn fmt_opt(x: Option<f64>, digits: usize) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.digits$}"),
        _ => "–".into(),
    }
}

fn render_fit_text(report: &Value, fitted: &ItemFit, ds: &Dataset) -> String {
    let mut s = String::new();
    let model = match fitted.model {
        Model::TwoPl => "2PL",
        Model::OnePl => "1PL",
    };
    let _ = writeln!(
        s,
        "{model} item response model, marginal maximum likelihood ({} Gauss–Hermite nodes){}",
        fitted.quadrature_points,
        if ds.info.synthetic {
            " — SYNTHETIC data"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "respondents {} (excluded, no answered item: {}), response patterns {}",
        fitted.n_respondents, fitted.n_excluded, fitted.n_patterns
    );
    if let Some(w) = report["weight"].as_str() {
        let _ = writeln!(s, "weights: `{w}` (sum {:.1})", fitted.sum_weights);
    }
    let _ = writeln!(
        s,
        "log-likelihood {:.3}, AIC {:.3}, BIC {:.3}, parameters {}",
        fitted.loglik, fitted.aic, fitted.bic, fitted.n_parameters
    );
    let _ = writeln!(
        s,
        "converged {} after {} iterations (EM {}, Newton {}), max |gradient| {:.2e}",
        if fitted.converged { "yes" } else { "NO" },
        fitted.iterations,
        fitted.em_iterations,
        fitted.newton_iterations,
        fitted.max_abs_gradient
    );
    let _ = writeln!(
        s,
        "marginal reliability (EAP) {}",
        fmt_opt(report["reliability"].as_f64(), 3)
    );
    let _ = writeln!(
        s,
        "\nP(yes | θ) = 1 / (1 + exp(−(aθ + d))) = 1 / (1 + exp(−a(θ − b)))\n"
    );
    let width = fitted
        .items
        .iter()
        .map(|i| i.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        s,
        "{:<width$}  {:>8} {:>7}  {:>8} {:>7}  {:>8} {:>7}  {:>8} {:>4} {:>7}",
        "item", "a", "(se)", "b", "(se)", "d", "(se)", "S-X²", "df", "p"
    );
    let fit_rows = report["item_fit"].as_array();
    for (j, item) in fitted.items.iter().enumerate() {
        let sx2 = fit_rows.and_then(|r| r.get(j));
        let _ = writeln!(
            s,
            "{:<width$}  {:>8.3} {:>7}  {:>8.3} {:>7}  {:>8.3} {:>7}  {:>8} {:>4} {:>7}",
            item.name,
            item.a,
            format!("({})", fmt_opt(item.a_se, 3)),
            item.b,
            format!("({})", fmt_opt(item.b_se, 3)),
            item.d,
            format!("({})", fmt_opt(item.d_se, 3)),
            fmt_opt(sx2.and_then(|v| v["s_x2"].as_f64()), 2),
            sx2.and_then(|v| v["df"].as_u64())
                .map_or("–".into(), |d| d.to_string()),
            fmt_opt(sx2.and_then(|v| v["p_value"].as_f64()), 3),
        );
    }
    if let Some(excluded) = report["item_fit_n_incomplete_excluded"].as_f64()
        && excluded > 0.0
    {
        let _ = writeln!(
            s,
            "\nS-X² uses complete response patterns only ({excluded:.0} {} with a missing item left out).",
            if fitted.sum_weights == fitted.n_respondents as f64 {
                "persons"
            } else {
                "(weighted) persons"
            }
        );
    }
    for w in &fitted.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    s
}

/// Item parameters read from `dsi fit --format json`.
fn read_params(path: &Path) -> anyhow::Result<(Model, Vec<ItemEstimate>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read --params {}", path.display()))?;
    let value: Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "--params {} is not JSON; pass the output of `egov dsi fit --format json`",
            path.display()
        )
    })?;
    let items = value.get("items").cloned().with_context(|| {
        format!(
            "--params {} has no `items` array; pass the output of `egov dsi fit --format json`",
            path.display()
        )
    })?;
    let items: Vec<ItemEstimate> = serde_json::from_value(items).with_context(|| {
        format!(
            "--params {}: every entry of `items` needs name, a, b and d",
            path.display()
        )
    })?;
    let model = match value.get("model").and_then(Value::as_str) {
        Some("1pl") => Model::OnePl,
        _ => Model::TwoPl,
    };
    Ok((model, items))
}

fn output_kind(path: &Path) -> anyhow::Result<&'static str> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Ok("csv"),
        Some("parquet") => Ok("parquet"),
        _ => bail!("--out must end in .csv or .parquet, got {}", path.display()),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn run_score(args: &ScoreArgs) -> anyhow::Result<ExitCode> {
    let kind = output_kind(&args.out)?;
    if args.method == MethodArg::Pv && args.draws == 0 {
        bail!("--draws must be at least 1 with --method pv");
    }
    if args.method == MethodArg::Pv && args.scale == ScaleArg::ZeroToHundred {
        bail!(
            "--scale 0-100 maps the lowest and highest point scores to 0 and 100, which plausible values do not have; use --scale standardized or theta with --method pv"
        );
    }
    let ds = load_dataset(&args.items.data.to_spec()?, args.id.as_deref())?;
    let input = ds.info.path.clone();
    if same_file(&input, &args.out) {
        bail!(
            "--out {} is the input file; choose another output path",
            args.out.display()
        );
    }
    let weights = person_weights(&ds, args.items.weight.as_deref())?;
    let (items, parameters) = match &args.params {
        Some(path) => {
            let (model, params) = read_params(path)?;
            if model != Model::from(args.items.model) {
                eprintln!("note: using the {model:?} parameters in {}", path.display());
            }
            let names: Vec<String> = match &args.items.items {
                Some(list) => parse_item_list(list)?,
                None => params.iter().map(|p| p.name.clone()).collect(),
            };
            let matrix =
                items_from_columns(&ds.frame, &names).or_else(|e| match &ds.codebook_items {
                    Some(cb) if cb.names == names => Ok(cb.clone()),
                    _ => Err(e),
                })?;
            let ordered = names
                .iter()
                .map(|n| {
                    params
                        .iter()
                        .find(|p| &p.name == n)
                        .cloned()
                        .with_context(|| {
                            format!(
                                "--params {} has no parameters for item `{n}`; it has [{}]",
                                path.display(),
                                params
                                    .iter()
                                    .map(|p| p.name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            (matrix, ordered)
        }
        None => {
            let items = select_items(&ds, args.items.items.as_deref())?;
            let fitted = fit_matrix(&items, weights.as_deref(), &fit_options(&args.items))?;
            if !fitted.converged {
                eprintln!(
                    "warning: the item model did not converge after {} iterations",
                    fitted.iterations
                );
            }
            (items, fitted.items)
        }
    };
    let k = items.n_items();
    let n = items.n_rows();
    let mut columns: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    let mut unscored_reasons: Vec<(String, usize)> = Vec::new();
    if args.method == MethodArg::Pv {
        let draws =
            egov_irt::plausible_values(&parameters, &items.responses, k, args.draws, args.seed)?;
        for (m, draw) in draws.into_iter().enumerate() {
            let values = match args.scale {
                ScaleArg::Theta => draw,
                _ => egov_irt::scale::standardize(&draw, weights.as_deref()),
            };
            columns.push((format!("pv{}", m + 1), values));
        }
        let none = columns[0].1.iter().filter(|v| v.is_none()).count();
        if none > 0 {
            unscored_reasons.push((Unscored::NoAnsweredItem.to_string(), none));
        }
    } else {
        let method = match args.method {
            MethodArg::Eap => ScoreMethod::Eap,
            MethodArg::Map => ScoreMethod::Map,
            _ => ScoreMethod::Ml,
        };
        let detailed = egov_irt::score_detailed(&parameters, &items.responses, k, method)?;
        for reason in [
            Unscored::NoAnsweredItem,
            Unscored::AllYes,
            Unscored::AllNo,
            Unscored::NoFiniteMaximum,
        ] {
            let count = detailed.iter().filter(|r| **r == Err(reason)).count();
            if count > 0 {
                unscored_reasons.push((reason.to_string(), count));
            }
        }
        let scores: Vec<Option<PersonScore>> = detailed.into_iter().map(Result::ok).collect();
        let (dsi, se) = rescale(&scores, args.scale, weights.as_deref());
        columns.push(("dsi".into(), dsi));
        columns.push(("dsi_se".into(), se));
    }
    let ids = &ds.ids;
    debug_assert_eq!(ids.len(), n);
    match kind {
        "csv" => write_csv(&args.out, &ds.id_name, ids, &columns)?,
        _ => write_parquet(&args.out, &ds.id_name, ids, &columns)?,
    }
    let unscored: usize = unscored_reasons.iter().map(|(_, c)| c).sum();
    eprintln!(
        "wrote {} rows ({} scored) to {}{}",
        n,
        n - unscored,
        args.out.display(),
        if ds.info.synthetic {
            " (SYNTHETIC data)"
        } else {
            ""
        }
    );
    for (reason, count) in &unscored_reasons {
        eprintln!("note: {count} row(s) have no score: {reason}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Scores and their standard errors on the requested scale. Standardisation divides the SE by
/// the same SD; the 0–100 map multiplies it by the same slope.
fn rescale(
    scores: &[Option<PersonScore>],
    scale: ScaleArg,
    weights: Option<&[f64]>,
) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let theta: Vec<Option<f64>> = scores.iter().map(|s| s.map(|s| s.theta)).collect();
    let se: Vec<Option<f64>> = scores.iter().map(|s| s.map(|s| s.se)).collect();
    if scale == ScaleArg::Theta {
        return (theta, se);
    }
    let sd = egov_irt::scale::mean_sd(&theta, weights)
        .map(|(_, sd)| sd)
        .filter(|sd| *sd > 0.0)
        .unwrap_or(1.0);
    let z = egov_irt::scale::standardize(&theta, weights);
    let z_se: Vec<Option<f64>> = se.iter().map(|s| s.map(|s| s / sd)).collect();
    if scale == ScaleArg::Standardized {
        return (z, z_se);
    }
    let present = z.iter().flatten();
    let lo = present.clone().copied().fold(f64::INFINITY, f64::min);
    let hi = present.copied().fold(f64::NEG_INFINITY, f64::max);
    let slope = if hi > lo { 100.0 / (hi - lo) } else { 0.0 };
    (
        egov_irt::scale::to_0_100(&z),
        z_se.iter().map(|s| s.map(|s| s * slope)).collect(),
    )
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn write_csv(
    path: &Path,
    id_name: &str,
    ids: &[String],
    columns: &[(String, Vec<Option<f64>>)],
) -> anyhow::Result<()> {
    let mut text = String::new();
    text.push_str(&csv_field(id_name));
    for (name, _) in columns {
        text.push(',');
        text.push_str(name);
    }
    text.push('\n');
    for (i, id) in ids.iter().enumerate() {
        text.push_str(&csv_field(id));
        for (_, values) in columns {
            text.push(',');
            if let Some(v) = values[i] {
                let _ = write!(text, "{v}");
            }
        }
        text.push('\n');
    }
    write_atomically_with(path, |file| {
        use std::io::Write;
        file.write_all(text.as_bytes())?;
        Ok(())
    })
}

fn write_parquet(
    path: &Path,
    id_name: &str,
    ids: &[String],
    columns: &[(String, Vec<Option<f64>>)],
) -> anyhow::Result<()> {
    use polars::prelude::{Column, DataFrame, ParquetWriter};
    let mut cols = vec![Column::new(id_name.into(), ids.to_vec())];
    for (name, values) in columns {
        cols.push(Column::new(name.as_str().into(), values.clone()));
    }
    let mut df = DataFrame::new_infer_height(cols)?;
    write_atomically_with(path, |file| {
        ParquetWriter::new(file).finish(&mut df)?;
        Ok(())
    })
}
