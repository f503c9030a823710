//! Errors raised by the IRT engine.

use thiserror::Error;

/// Everything that can go wrong when collapsing, fitting or scoring.
///
/// Each variant names the offending row, item or value and says how to fix it.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum IrtError {
    /// Fewer than two items were given; a 2PL/1PL scale needs at least two.
    #[error(
        "an IRT scale needs at least two items, got {0}; add items or use a simple count instead"
    )]
    TooFewItems(usize),
    /// The response slice is not a whole number of rows.
    #[error(
        "response matrix has {len} values, which is not a multiple of {n_items} items; pass row-major persons x items"
    )]
    RaggedResponses { len: usize, n_items: usize },
    /// A response other than 0, 1 or `MISSING`.
    #[error(
        "person (row) {row}, item {item}: value {value} is not binary; recode to 0 = no, 1 = yes, MISSING (255) = not answered"
    )]
    NonBinary { row: usize, item: usize, value: u8 },
    /// No person answered any item.
    #[error(
        "no person answered any item ({persons} persons, all responses missing); check the item columns"
    )]
    AllMissing { persons: usize },
    /// An item with only one observed answer (or none) cannot be calibrated.
    #[error(
        "item '{item}' has no variation ({yes} yes, {no} no among weighted answers); drop it from the scale or check its coding"
    )]
    NoVariation { item: String, yes: f64, no: f64 },
    /// The weight slice does not match the number of persons or patterns.
    #[error("{what}: got {got} weights for {expected} rows; pass one weight per row")]
    WeightLength {
        what: &'static str,
        got: usize,
        expected: usize,
    },
    /// A negative, NaN or infinite weight.
    #[error("weight at row {row} is {value}; weights must be finite and non-negative")]
    BadWeight { row: usize, value: f64 },
    /// All weights are zero.
    #[error("the weights of all answering persons sum to zero; nothing to estimate")]
    ZeroTotalWeight,
    /// Item names do not match the number of items.
    #[error("got {got} item names for {expected} items; pass one name per item")]
    ItemNames { got: usize, expected: usize },
    /// An invalid option value.
    #[error("invalid option {option}: {reason}")]
    BadOption {
        option: &'static str,
        reason: String,
    },
    /// Item parameters given to scoring are not finite.
    #[error("item '{item}' has non-finite parameters (a = {a}, d = {d}); refit the model")]
    BadItemParameters { item: String, a: f64, d: f64 },
    /// A pattern index out of range.
    #[error(
        "person {person} refers to pattern {pattern}, but there are only {n_patterns} patterns"
    )]
    PatternIndex {
        person: usize,
        pattern: u32,
        n_patterns: usize,
    },
}
