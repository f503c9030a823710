//! The command-line interface: one `Command` variant per subcommand; each variant's
//! arguments live in `cmd/<name>.rs`.

use crate::cmd;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Econometrics of e-government uptake in Kazakhstan.
#[derive(Debug, Parser)]
#[command(name = "egov", version, about, propagate_version = true)]
#[command(
    after_help = "Examples:\n  egov check                      validate the bundled synthetic replica\n  egov check survey.sav --codebook codebook.toml\n  egov simulate --n 1000 --seed 7 --out sample.parquet"
)]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a data file against its codebook and summarise every mapped variable.
    Check(cmd::check::CheckArgs),
    /// Generate a synthetic replica of the 2021 survey.
    Simulate(cmd::simulate::SimulateArgs),
    /// Run the whole analysis of the brief and write a report (tables, charts, JSON, HTML).
    Reproduce(cmd::reproduce::ReproduceArgs),
    /// Render the whole chart set (SVG and PNG) with the reproduce pipeline.
    Charts(cmd::charts::ChartsArgs),
    /// Digital Skills Index: fit the item response model or score respondents.
    Dsi(cmd::dsi::DsiArgs),
    /// Least squares with robust, clustered or survey-design standard errors.
    Regress(cmd::regress::RegressArgs),
    /// Linear probability model of a 0/1 outcome (default: the brief's e-government model).
    Lpm(cmd::regress::LpmArgs),
}

/// Dispatches a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => cmd::check::run(&args),
        Command::Simulate(args) => cmd::simulate::run(&args),
        Command::Reproduce(args) => cmd::reproduce::run(&args),
        Command::Charts(args) => cmd::charts::run(&args),
        Command::Dsi(args) => cmd::dsi::run(&args),
        Command::Regress(args) => cmd::regress::run_regress(&args),
        Command::Lpm(args) => cmd::regress::run_lpm(&args),
    }
}
