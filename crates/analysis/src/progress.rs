//! Progress reporting as a callback interface, so that the library never draws anything itself:
//! the binary shows a spinner and bars on a terminal, Python shows nothing, tests count calls.

/// Receives the stages of a run and the steps of long loops.
///
/// Implementations must be cheap and thread-safe: [`Progress::step`] is called from worker
/// threads.
pub trait Progress: Sync {
    /// A new stage has started (e.g. "fitting the Digital Skills Index").
    fn stage(&self, message: &str);
    /// A loop of `len` steps has started (e.g. bootstrap replicates).
    fn start_steps(&self, len: u64, message: &str) {
        let _ = (len, message);
    }
    /// `done` steps of the current loop have finished.
    fn step(&self, done: u64) {
        let _ = done;
    }
    /// The current loop has finished.
    fn finish_steps(&self) {}
}

/// Progress that reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _message: &str) {}
}
