//! `egov-analysis`: the analysis of the brief as a library.
//!
//! Every face of egov (the `egov` binary, the Python module, the notebooks) calls this crate; none
//! of them computes anything itself. The flow is one way:
//!
//! ```text
//! file ─▶ codebook ─▶ AnalysisFrame ─▶ DSI ─▶ models ─▶ inference ─▶ charts ─▶ report files
//!        (egov-survey)               (irt)   (econ)    (twostep)   (charts)
//! ```
//!
//! * [`config`] turns a TOML file (or the built-in replica configuration) into one checked
//!   [`config::AnalysisConfig`];
//! * [`pipeline::run`] computes every result once and writes nothing;
//! * [`report`] renders the results to files in a folder the caller provides;
//! * [`output`] owns every write: staged folders and files that appear whole or not at all,
//!   and the refusals that keep a run from replacing its inputs or a folder egov did not write;
//! * [`estimation`] fits one model (`egov regress`, `egov lpm`, Python's `egov.ols`/`egov.lpm`)
//!   from a checked [`estimation::ModelSpec`] with one variance grammar, [`estimation::VcovSpec`];
//! * [`dataset`] loads a data file (codebook-mapped or a plain table) for the single-model
//!   commands (`egov dsi`, `egov lpm`, `egov regress`).
//!
//! This crate does not parse command lines, print, draw progress bars or choose where output
//! goes: callers pass a [`Progress`] and an output folder.

pub mod config;
pub mod dataset;
pub mod estimation;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod skills;

pub use config::{AnalysisConfig, LoadedConfig};
pub use dataset::{DataSpec, Dataset, load_dataset};
pub use pipeline::{Analysis, run};
pub use progress::{NoProgress, Progress};
