//! `egov`: command-line toolkit for the econometrics of e-government uptake.
//!
//! Exit codes: 0 success, 1 runtime or data error, 2 usage error, 130 interrupted (SIGINT),
//! 143 terminated (SIGTERM).

mod cli;
mod cmd;
mod common;
mod progress;

use clap::Parser;
use std::process::ExitCode;

/// On SIGINT or SIGTERM, removes every unfinished output (staging folders, temporary files,
/// locks, folders the run created) and exits with 128 + the signal number.
fn remove_unfinished_outputs_on_signal() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        eprintln!(
            "warning: cannot install the interrupt handler; an interrupted run may leave `.egov-staging-*` files"
        );
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let name = if signal == SIGINT {
                "SIGINT"
            } else {
                "SIGTERM"
            };
            let removed = egov_analysis::output::remove_unfinished_outputs();
            eprintln!(
                "\ninterrupted by {name}{}",
                if removed {
                    "; the unfinished output was removed and nothing was written"
                } else {
                    ""
                }
            );
            std::process::exit(128 + signal);
        }
    });
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    remove_unfinished_outputs_on_signal();
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
