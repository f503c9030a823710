//! # egov-survey
//!
//! Survey microdata for the e-government toolkit: file readers (CSV in UTF-8 or Windows-1251,
//! Parquet, Stata `.dta`, SPSS `.sav`, Excel `.xlsx`), TOML codebooks that map a raw file onto
//! the analysis schema, validation that reports every problem at once, the 17 regions of 2021
//! with a crosswalk from the 2022 division, and a deterministic synthetic replica of the 2021
//! ICT household survey.
//!
//! The hand-off to the rest of the toolkit is [`AnalysisFrame`]: plain vectors, no data-frame
//! types. This crate does **not** estimate anything: IRT scoring lives in `egov-irt`, models in
//! `egov-econ`, charts in `egov-charts`.
//!
//! ```
//! use egov_survey::{Codebook, bundled_replica_paths, load};
//! let (data, codebook) = bundled_replica_paths();
//! let codebook = Codebook::from_path(&codebook).unwrap();
//! let (frame, report) = load(&data, &codebook, &Default::default()).unwrap();
//! assert_eq!(frame.item_names.len(), 11);
//! assert_eq!(report.rows, frame.n_rows());
//! ```

#![warn(missing_docs)]

pub mod codebook;
mod frame;
mod load;
pub mod read;
pub mod regions;
pub mod replica;
pub mod validate;

pub use codebook::{Codebook, CodebookError};
pub use frame::{
    AnalysisFrame, CategoricalVar, ExtraValues, ExtraVar, ITEM_LABELS, ITEM_NAMES, Lang, Level,
    MISSING, SourceInfo,
};
pub use load::{LoadError, load, load_and_validate, validate};
pub use read::{Encoding, ReadOptions};
pub use validate::{Problem, ProblemKind, ValidationReport, VariableSummary};

use std::path::PathBuf;

/// Paths of the committed synthetic replica (Parquet) and its codebook.
///
/// They point into the source tree (`fixtures/replica/` two levels above this crate), so a
/// binary built from a checkout finds them; an installed binary must be given a data file.
///
/// ```
/// let (data, codebook) = egov_survey::bundled_replica_paths();
/// assert!(data.to_string_lossy().contains("SYNTHETIC"));
/// assert!(codebook.ends_with("codebook.toml"));
/// ```
pub fn bundled_replica_paths() -> (PathBuf, PathBuf) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("fixtures")
        .join("replica");
    // Resolve the `..` so messages show a clean path.
    let dir = dir.canonicalize().unwrap_or(dir);
    (
        dir.join("kz_ict2021_SYNTHETIC_replica.parquet"),
        dir.join("codebook.toml"),
    )
}
