//! `egov check`: validate a data file against its codebook.

use crate::common::{DataArgs, OutputFormat};
use clap::Args;
use egov_survey::{ValidationReport, load_and_validate};
use std::process::ExitCode;

/// Arguments of `egov check`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  egov check                                      the bundled synthetic replica\n  egov check survey.csv --codebook cb.toml --delimiter ';' --encoding windows-1251\n  egov check survey.dta --codebook cb.toml --format json > report.json\n\nExit status: 0 no errors (warnings allowed), 1 errors found or file unreadable. Nothing is written."
)]
pub struct CheckArgs {
    /// Data source.
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// Runs `egov check`.
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let source = args.data.to_spec()?.resolve()?;
    let (_, report) = load_and_validate(&source.data, &source.codebook, &source.options)?;
    match args.format {
        OutputFormat::Json => {
            // The report's fields plus where the data came from.
            let mut json = serde_json::to_value(&report)?;
            if let Some(map) = json.as_object_mut() {
                map.insert("file".into(), source.data.display().to_string().into());
                map.insert(
                    "codebook".into(),
                    source
                        .codebook
                        .path
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .into(),
                );
                map.insert("synthetic".into(), source.codebook.dataset.synthetic.into());
            }
            println!("{}", serde_json::to_string_pretty(&json)?);
        }
        OutputFormat::Text => print!(
            "{}",
            render_text(
                &report,
                &source.data.display().to_string(),
                source.codebook.dataset.synthetic
            )
        ),
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:5.1}%", 100.0 * x)
    } else {
        "    –".into()
    }
}

fn render_text(report: &ValidationReport, file: &str, synthetic: bool) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{file}: {} rows{}",
        report.rows,
        if synthetic { " (SYNTHETIC data)" } else { "" }
    );
    let _ = writeln!(
        s,
        "{} error(s), {} warning(s)",
        report.errors.len(),
        report.warnings.len()
    );
    for p in &report.errors {
        let _ = writeln!(s, "error: {p}");
    }
    for p in &report.warnings {
        let _ = writeln!(s, "warning: {p}");
    }
    let _ = writeln!(
        s,
        "\nSummary (shares among non-missing rows; weighted with the sampling weight)"
    );
    for v in &report.summary {
        match v.kind.as_str() {
            "numeric" => {
                let _ = writeln!(
                    s,
                    "  {:<20} [{}] mean {:.2} (weighted {:.2}), sd {:.2}, min {}, max {}, missing {}",
                    v.variable,
                    v.column,
                    v.mean.unwrap_or(f64::NAN),
                    v.weighted_mean.unwrap_or(f64::NAN),
                    v.sd.unwrap_or(f64::NAN),
                    v.min.map_or("–".into(), |x| x.to_string()),
                    v.max.map_or("–".into(), |x| x.to_string()),
                    v.missing
                );
            }
            "binary" => {
                let l = &v.levels[0];
                let _ = writeln!(
                    s,
                    "  {:<20} [{}] yes {} (weighted {}), missing {}",
                    v.variable,
                    v.column,
                    pct(l.share),
                    pct(l.weighted_share),
                    v.missing
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    "  {:<20} [{}] missing {}",
                    v.variable, v.column, v.missing
                );
                for l in &v.levels {
                    let _ = writeln!(
                        s,
                        "      {:<22} {:>7}  {} (weighted {})  {}",
                        l.level,
                        l.count,
                        pct(l.share),
                        pct(l.weighted_share),
                        l.label
                    );
                }
            }
        }
    }
    s
}
