//! Validation report: every problem found while mapping a file onto the codebook.

use serde::Serialize;

/// How many example rows and values a problem lists.
pub const EXAMPLES: usize = 5;

/// What kind of problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A column named in the codebook is not in the file.
    MissingColumn,
    /// A value is not among the codebook's codes.
    UnknownCode,
    /// A numeric column holds text.
    NonNumeric,
    /// A number is outside the codebook's valid range.
    OutOfRange,
    /// A weight is negative, NaN or infinite.
    InvalidWeight,
    /// A weight is zero (warning).
    ZeroWeight,
    /// A required value (id, weight, design variable) is blank.
    MissingRequired,
    /// A respondent id occurs more than once.
    DuplicateId,
    /// An item column has no valid response at all.
    ItemAllMissing,
    /// A variable has missing values (warning, counted in the summary).
    MissingValues,
    /// A variable has a single observed level (warning).
    SingleLevel,
}

/// One problem: where, which rows and values, and what to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Kind of problem.
    pub kind: ProblemKind,
    /// The data file.
    pub file: String,
    /// Raw column name, when the problem concerns one column.
    pub column: Option<String>,
    /// Analysis variable name.
    pub variable: Option<String>,
    /// Number of affected rows.
    pub count: usize,
    /// Up to the first five affected rows, 1-based data rows (the header is not counted).
    pub rows: Vec<usize>,
    /// Up to five distinct offending values.
    pub values: Vec<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(c) = &self.column {
            write!(f, ", column `{c}`")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.rows.is_empty() {
            let rows: Vec<String> = self.rows.iter().map(usize::to_string).collect();
            write!(
                f,
                " [{} row(s); first data rows (1-based, header excluded): {}",
                self.count,
                rows.join(", ")
            )?;
            if !self.values.is_empty() {
                write!(f, "; values: {}", self.values.join(", "))?;
            }
            write!(f, "]")?;
        }
        Ok(())
    }
}

/// Share of one level of a categorical (or of "yes" for a binary variable).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelShare {
    /// Level slug.
    pub level: String,
    /// English label.
    pub label: String,
    /// Unweighted count.
    pub count: usize,
    /// Unweighted share among non-missing rows.
    pub share: f64,
    /// Weighted share among non-missing rows.
    pub weighted_share: f64,
}

/// Summary of one mapped variable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariableSummary {
    /// Analysis name.
    pub variable: String,
    /// Raw column.
    pub column: String,
    /// `categorical`, `binary`, `numeric` or `id`.
    pub kind: String,
    /// Rows with a missing value.
    pub missing: usize,
    /// Per-level shares (categorical and binary variables).
    pub levels: Vec<LevelShare>,
    /// Unweighted mean (numeric).
    pub mean: Option<f64>,
    /// Weighted mean (numeric).
    pub weighted_mean: Option<f64>,
    /// Unweighted standard deviation (numeric, n − 1 denominator).
    pub sd: Option<f64>,
    /// Minimum (numeric).
    pub min: Option<f64>,
    /// Maximum (numeric).
    pub max: Option<f64>,
}

/// The outcome of validating a file against a codebook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationReport {
    /// Data rows read.
    pub rows: usize,
    /// Problems that stop the analysis.
    pub errors: Vec<Problem>,
    /// Problems worth knowing that do not stop it.
    pub warnings: Vec<Problem>,
    /// Per-variable summary.
    pub summary: Vec<VariableSummary>,
}

impl ValidationReport {
    /// True when there is no error.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// JSON text of the report.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }
}

/// Collects affected rows and values for one problem.
#[derive(Debug, Default)]
pub(crate) struct Hits {
    pub count: usize,
    pub rows: Vec<usize>,
    pub values: Vec<String>,
}

impl Hits {
    /// Records 0-based row `i` with the offending `value`.
    pub(crate) fn add(&mut self, i: usize, value: impl FnOnce() -> String) {
        self.count += 1;
        if self.rows.len() < EXAMPLES {
            self.rows.push(i + 1);
        }
        if self.values.len() < EXAMPLES {
            let v = value();
            if !self.values.contains(&v) {
                self.values.push(v);
            }
        }
    }
}
