//! The terminal face of [`egov_analysis::Progress`]: a spinner naming the current stage and a bar
//! for long loops, on stderr. Hidden automatically when stderr is not a terminal, so logs stay
//! clean; messages that must reach logs use `eprintln!`, never the bar.

use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Mutex;

/// Spinner and bars on stderr.
pub struct TerminalProgress {
    spinner: Mutex<ProgressBar>,
    bar: Mutex<Option<ProgressBar>>,
}

fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

impl TerminalProgress {
    /// A spinner on stderr (hidden when stderr is not a terminal).
    pub fn new() -> Self {
        TerminalProgress {
            spinner: Mutex::new(spinner()),
            bar: Mutex::new(None),
        }
    }

    /// Removes the display.
    pub fn finish(&self) {
        if let Ok(s) = self.spinner.lock() {
            s.finish_and_clear();
        }
    }
}

impl egov_analysis::Progress for TerminalProgress {
    fn stage(&self, message: &str) {
        if let Ok(mut s) = self.spinner.lock() {
            if s.is_finished() {
                *s = spinner();
            }
            s.set_message(message.to_string());
        }
    }

    fn start_steps(&self, len: u64, message: &str) {
        if let Ok(s) = self.spinner.lock() {
            s.finish_and_clear();
        }
        let bar = ProgressBar::new(len);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}/{eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(message.to_string());
        if let Ok(mut b) = self.bar.lock() {
            *b = Some(bar);
        }
    }

    fn step(&self, done: u64) {
        if let Ok(b) = self.bar.lock()
            && let Some(bar) = b.as_ref()
        {
            bar.set_position(done);
        }
    }

    fn finish_steps(&self) {
        if let Ok(mut b) = self.bar.lock()
            && let Some(bar) = b.take()
        {
            bar.finish_and_clear();
        }
    }
}
