//! Errors of the two-step procedures.

use thiserror::Error;

/// Everything that can go wrong before or during two-step inference.
///
/// Each variant names the offending input and says how to fix it.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum TwoStepError {
    /// An input slice does not have one entry per frame row.
    #[error("{what} has {got} entries but the frame has {expected} rows; pass one value per row")]
    Length {
        /// Which input.
        what: &'static str,
        /// Its number of entries.
        got: usize,
        /// The frame's number of rows.
        expected: usize,
    },
    /// The formula does not use the skill index.
    #[error(
        "the formula `{formula}` does not use the `{dsi}` column; add `{dsi}` to the right-hand side"
    )]
    NoDsiTerm {
        /// The formula.
        formula: String,
        /// The skill-index column name.
        dsi: String,
    },
    /// The covariate frame already has a column that the procedure adds.
    #[error(
        "the frame already has a column `{0}`; remove it, the skill index is computed from the item responses"
    )]
    ReservedColumn(String),
    /// A sampling weight is negative or not finite.
    #[error("weight at row {row} is {value}; sampling weights must be finite and non-negative")]
    BadWeight {
        /// 1-based row.
        row: usize,
        /// The weight.
        value: f64,
    },
    /// A cluster lies in more than one stratum.
    #[error(
        "cluster {cluster} appears in strata {first} and {second} (row {row}); clusters (PSUs) must be nested within strata"
    )]
    ClusterAcrossStrata {
        /// The cluster.
        cluster: u32,
        /// The first stratum it was seen in.
        first: u32,
        /// The other stratum.
        second: u32,
        /// 1-based row of the second sighting.
        row: usize,
    },
    /// A stratum has a single cluster, so it cannot be resampled.
    #[error(
        "stratum {stratum} has only one cluster, which cannot be resampled; merge it with a neighbouring stratum"
    )]
    SingleClusterStratum {
        /// The stratum.
        stratum: u32,
    },
    /// Replicate-weight input is unusable.
    #[error("replicate weights: {0}")]
    ReplicateWeights(String),
    /// An option is out of range.
    #[error("invalid option `{option}`: {reason}")]
    BadOption {
        /// The option's name.
        option: &'static str,
        /// What is wrong with its value.
        reason: String,
    },
    /// The item response model could not be fitted on the full sample.
    #[error("item response model: {0}")]
    Irt(#[from] egov_irt::IrtError),
    /// The regression could not be fitted on the full sample.
    #[error("regression: {0}")]
    Econ(#[from] egov_econ::EconError),
    /// The design matrix does not match the regression fitted on the full sample.
    #[error("design matrix: {0}")]
    Design(String),
    /// Too many replicates failed for the result to mean anything.
    #[error(
        "{failed} of {requested} replicates failed (first reason: {reason}); the resampled estimates are unusable"
    )]
    TooManyFailures {
        /// Replicates that failed.
        failed: usize,
        /// Replicates asked for.
        requested: usize,
        /// Why the first one failed.
        reason: String,
    },
}
