//! `egov dsi fit` and `egov dsi score`: the Digital Skills Index from yes/no skill items.
//!
//! Flags become `egov_analysis::skills` calls; this module only prints and writes the results.

use crate::common::{DataArgs, OutputFormat, print_notes};
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use egov_analysis::dataset::load_dataset;
use egov_analysis::output::{Input, OutputFile};
use egov_analysis::skills::{self, ScoreScale, Scoring};
use egov_irt::{FitOptions, Model};
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

fn fit_options(args: &ItemArgs) -> FitOptions {
    skills::fit_options(args.model.into(), args.quadrature)
}

fn run_fit(args: &FitArgs) -> anyhow::Result<ExitCode> {
    let ds = load_dataset(&args.items.data.to_spec()?, None)?;
    print_notes(&ds.notes);
    let items = skills::select_items(&ds, args.items.items.as_deref())?;
    let mut notes = Vec::new();
    let weights = skills::person_weights(&ds, args.items.weight.as_deref(), &mut notes)?;
    print_notes(&notes);
    let fitted = skills::fit_matrix(&items, weights.as_deref(), &fit_options(&args.items))?;
    let report = skills::fit_report(
        &ds,
        &items,
        weights.as_deref(),
        args.items.weight.as_deref(),
        &fitted,
    )?;
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        OutputFormat::Text => print!("{}", skills::render_fit_text(&report, &fitted, &ds)),
    }
    Ok(ExitCode::SUCCESS)
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

/// The files `dsi score` reads, which `--out` may not replace.
fn score_inputs(args: &ScoreArgs) -> Vec<Input> {
    let data = &args.items.data;
    let (bundled_data, bundled_codebook) = egov_survey::bundled_replica_paths();
    let mut inputs = vec![Input::new(
        "data file",
        data.data.clone().unwrap_or(bundled_data),
    )];
    match (&data.codebook, &data.data) {
        (Some(c), _) => inputs.push(Input::new("codebook", c)),
        (None, None) => inputs.push(Input::new("codebook", bundled_codebook)),
        (None, Some(_)) => {}
    }
    if let Some(p) = &args.params {
        inputs.push(Input::new("--params file", p));
    }
    inputs
}

fn run_score(args: &ScoreArgs) -> anyhow::Result<ExitCode> {
    let kind = output_kind(&args.out)?;
    let scoring = match args.method {
        MethodArg::Eap => Scoring::Eap,
        MethodArg::Map => Scoring::Map,
        MethodArg::Ml => Scoring::Ml,
        MethodArg::Pv => Scoring::PlausibleValues {
            draws: args.draws,
            seed: args.seed,
        },
    };
    let scale = match args.scale {
        ScaleArg::Standardized => ScoreScale::Standardized,
        ScaleArg::Theta => ScoreScale::Theta,
        ScaleArg::ZeroToHundred => ScoreScale::ZeroToHundred,
    };
    skills::check_scoring(scoring, scale)?;
    let out = OutputFile::prepare("--out", &args.out, &score_inputs(args))?;
    let ds = load_dataset(&args.items.data.to_spec()?, args.id.as_deref())?;
    print_notes(&ds.notes);
    let mut notes = Vec::new();
    let weights = skills::person_weights(&ds, args.items.weight.as_deref(), &mut notes)?;
    print_notes(&notes);
    let (items, parameters) = match &args.params {
        Some(path) => {
            let (model, params) = skills::read_params(path)?;
            if model != Model::from(args.items.model) {
                eprintln!("note: using the {model:?} parameters in {}", path.display());
            }
            skills::items_for_parameters(&ds, path, &params, args.items.items.as_deref())?
        }
        None => {
            let items = skills::select_items(&ds, args.items.items.as_deref())?;
            let fitted = skills::fit_matrix(&items, weights.as_deref(), &fit_options(&args.items))?;
            if !fitted.converged {
                eprintln!(
                    "warning: the item model did not converge after {} iterations",
                    fitted.iterations
                );
            }
            (items, fitted.items)
        }
    };
    let n = items.n_rows();
    let table = skills::score_persons(&items, &parameters, scoring, scale, weights.as_deref())?;
    debug_assert_eq!(ds.ids.len(), n);
    match kind {
        "csv" => write_csv(&out, &ds.id_name, &ds.ids, &table.columns)?,
        _ => write_parquet(&out, &ds.id_name, &ds.ids, &table.columns)?,
    }
    out.commit()?;
    let unscored: usize = table.unscored.iter().map(|(_, c)| c).sum();
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
    for (reason, count) in &table.unscored {
        eprintln!("note: {count} row(s) have no score: {reason}");
    }
    Ok(ExitCode::SUCCESS)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn write_csv(
    out: &OutputFile,
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
    std::fs::write(out.path(), text)
        .with_context(|| format!("cannot write {}", out.target().display()))
}

fn write_parquet(
    out: &OutputFile,
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
    ParquetWriter::new(out.create()?).finish(&mut df)?;
    Ok(())
}
