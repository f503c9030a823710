//! The error type shared by every estimator in this crate.

use thiserror::Error;

/// Everything that can go wrong between a formula and a table.
///
/// Each variant names the column, row or value involved and says how to fix it.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum EconError {
    /// A column referenced by a formula, weight, cluster or design option is not in the frame.
    #[error("unknown column `{name}`: the frame has columns [{available}]; check the spelling")]
    UnknownColumn { name: String, available: String },
    /// A column with that name already exists.
    #[error("column `{0}` already exists in the frame; use a different name")]
    DuplicateColumn(String),
    /// A pushed column has a different length from the columns already in the frame.
    #[error(
        "column `{name}` has {got} rows but the frame has {expected}; all columns must have equal length"
    )]
    LengthMismatch {
        name: String,
        expected: usize,
        got: usize,
    },
    /// A categorical column is internally inconsistent.
    #[error("categorical column `{name}`: {reason}")]
    InvalidCategorical { name: String, reason: String },
    /// The formula text could not be parsed.
    #[error("cannot parse formula `{formula}`: {reason}")]
    FormulaSyntax { formula: String, reason: String },
    /// A column has the wrong type for its role in the model.
    #[error("column `{name}` {reason}")]
    WrongColumnType { name: String, reason: String },
    /// The outcome of a binary model is not coded 0/1.
    #[error(
        "outcome `{name}` must be 0/1 for this model, but row {row} has value {value}; recode it to 0/1 (or use `regress` for a continuous outcome)"
    )]
    NonBinaryOutcome {
        name: String,
        row: usize,
        value: f64,
    },
    /// A weight is negative, NaN or infinite.
    #[error(
        "weight column `{name}` has invalid value {value} at row {row}; sampling weights must be finite and non-negative"
    )]
    InvalidWeight {
        name: String,
        row: usize,
        value: f64,
    },
    /// Too few observations for the number of parameters.
    #[error(
        "{n} usable observations for {k} parameters: the model needs more observations than parameters (rows dropped for missing values: {dropped})"
    )]
    TooFewObservations { n: usize, k: usize, dropped: usize },
    /// Clustered or design-based variance needs at least two clusters.
    #[error(
        "cluster column `{name}` has {groups} distinct value(s) among the estimation rows; clustered variance needs at least 2 clusters"
    )]
    TooFewClusters { name: String, groups: usize },
    /// A stratum has a single PSU (R survey's `lonely.psu = "fail"`).
    #[error(
        "stratum {stratum} (column `{strata}`) has only one PSU, so its variance contribution is undefined; merge it with a neighbouring stratum or choose `LonelyPsu::Adjust`"
    )]
    LonelyPsu { strata: String, stratum: String },
    /// A cluster or PSU column is not usable as an identifier.
    #[error("column `{name}` cannot identify clusters: {reason}")]
    InvalidCluster { name: String, reason: String },
    /// Every regressor was collinear, or the design matrix is otherwise unusable.
    #[error("the design matrix is singular: {0}")]
    Singular(String),
    /// A linear hypothesis could not be parsed or is not testable.
    #[error("hypothesis `{text}`: {reason}")]
    Hypothesis { text: String, reason: String },
    /// Maximum likelihood did not converge.
    #[error(
        "{model} did not converge after {iterations} iterations (last change {change:e}); {hint}"
    )]
    NoConvergence {
        model: String,
        iterations: usize,
        change: f64,
        hint: String,
    },
    /// An argument is out of its valid range.
    #[error("invalid argument `{name}`: {reason}")]
    InvalidArgument { name: String, reason: String },
}
