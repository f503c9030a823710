//! `egov`: command-line toolkit for the econometrics of e-government uptake.
//!
//! Exit codes: 0 success, 1 runtime or data error, 2 usage error.

mod cli;
mod cmd;
mod common;
mod progress;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}
