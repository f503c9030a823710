//! Errors returned by the chart functions.

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum ChartError {
    /// The input has nothing to draw.
    #[error("{chart}: no data to draw ({hint})")]
    Empty {
        /// Chart function that was called.
        chart: &'static str,
        /// How to fix the call.
        hint: String,
    },
    /// A value cannot be drawn (NaN in a required field, inverted interval, ...).
    #[error("{chart}: invalid value for {item}: {problem}")]
    InvalidValue {
        /// Chart function that was called.
        chart: &'static str,
        /// Label of the row, item or series holding the value.
        item: String,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// Inputs that must line up do not.
    #[error("{chart}: length mismatch: {detail}")]
    LengthMismatch {
        /// Chart function that was called.
        chart: &'static str,
        /// Which inputs disagree and their lengths.
        detail: String,
    },
    /// A region key is not one of the known slugs or ISO codes.
    #[error(
        "tile_map: unknown region '{0}'; use a slug such as 'north_kazakhstan' or an ISO code such as 'KZ-SEV'"
    )]
    UnknownRegion(String),
    /// The options are unusable (zero size, non-positive scale, ...).
    #[error("invalid chart options: {0}")]
    Options(String),
    /// The embedded font could not be registered.
    #[error("embedded font {0} could not be loaded")]
    Font(String),
    /// The drawing backend failed.
    #[error("rendering failed: {0}")]
    Render(String),
    /// Writing or reading a file failed.
    #[error("file {0}: {1}")]
    Io(String, String),
}
