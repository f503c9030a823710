//! A light container of named, equal-length columns.

use crate::EconError;
use std::collections::HashMap;

/// A categorical column: integer codes into a list of level names.
///
/// `codes[i] = None` marks a missing value. `reference` is the index of the level that is
/// left out of a model with an intercept (the base category).
#[derive(Debug, Clone, PartialEq)]
pub struct Categorical {
    /// Index into `levels` for each row; `None` = missing.
    pub codes: Vec<Option<u32>>,
    /// Level names, used in term names such as `labour::student`.
    pub levels: Vec<String>,
    /// Index of the reference (base) level.
    pub reference: usize,
}

impl Categorical {
    /// Builds a categorical column from string labels (`None` = missing); levels are sorted
    /// and the first one is the reference, as R's `factor()` does.
    ///
    /// ```
    /// use egov_econ::Categorical;
    /// let c = Categorical::from_labels(&[Some("urban"), Some("rural"), None]);
    /// assert_eq!(c.levels, vec!["rural", "urban"]);
    /// assert_eq!(c.codes, vec![Some(1), Some(0), None]);
    /// ```
    pub fn from_labels<S: AsRef<str>>(labels: &[Option<S>]) -> Self {
        let mut levels: Vec<String> = labels
            .iter()
            .flatten()
            .map(|s| s.as_ref().to_string())
            .collect();
        levels.sort();
        levels.dedup();
        let index: HashMap<&str, u32> = levels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.as_str(), i as u32))
            .collect();
        let codes = labels
            .iter()
            .map(|s| s.as_ref().map(|s| index[s.as_ref()]))
            .collect();
        Categorical {
            codes,
            levels,
            reference: 0,
        }
    }

    /// Returns the same column with the reference level set by name.
    ///
    /// ```
    /// use egov_econ::Categorical;
    /// let c = Categorical::from_labels(&[Some("a"), Some("b")]).with_reference("b").unwrap();
    /// assert_eq!(c.reference, 1);
    /// ```
    pub fn with_reference(mut self, level: &str) -> Result<Self, EconError> {
        match self.levels.iter().position(|l| l == level) {
            Some(i) => {
                self.reference = i;
                Ok(self)
            }
            None => Err(EconError::InvalidCategorical {
                name: String::new(),
                reason: format!("no level `{level}` among [{}]", self.levels.join(", ")),
            }),
        }
    }

    fn validate(&self, name: &str) -> Result<(), EconError> {
        let bad = |reason: String| {
            Err(EconError::InvalidCategorical {
                name: name.to_string(),
                reason,
            })
        };
        if self.levels.is_empty() {
            return bad("it has no levels".into());
        }
        if self.reference >= self.levels.len() {
            return bad(format!(
                "reference index {} is out of range for {} levels",
                self.reference,
                self.levels.len()
            ));
        }
        if let Some((row, code)) = self.codes.iter().enumerate().find_map(|(i, c)| {
            c.filter(|&c| c as usize >= self.levels.len())
                .map(|c| (i, c))
        }) {
            return bad(format!(
                "row {row} has code {code} but there are only {} levels",
                self.levels.len()
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for l in &self.levels {
            if !seen.insert(l) {
                return bad(format!("level `{l}` appears twice"));
            }
        }
        Ok(())
    }
}

/// One column of a [`Frame`].
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Real numbers; `NaN` marks a missing value.
    Numeric(Vec<f64>),
    /// A factor with named levels.
    Categorical(Categorical),
}

impl Column {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Numeric(v) => v.len(),
            Column::Categorical(c) => c.codes.len(),
        }
    }
    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// True when row `i` is missing.
    pub fn is_missing(&self, i: usize) -> bool {
        match self {
            Column::Numeric(v) => !v[i].is_finite(),
            Column::Categorical(c) => c.codes[i].is_none(),
        }
    }
}

/// Named columns of equal length: the data a formula is evaluated on.
///
/// ```
/// use egov_econ::{Frame, Categorical};
/// let mut f = Frame::new();
/// f.push_numeric("y", vec![1.0, 0.0, 1.0]).unwrap();
/// f.push_categorical("sex", Categorical::from_labels(&[Some("f"), Some("m"), Some("f")])).unwrap();
/// assert_eq!(f.n_rows(), 3);
/// assert!(f.push_numeric("z", vec![1.0]).is_err());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Frame {
    names: Vec<String>,
    columns: Vec<Column>,
    index: HashMap<String, usize>,
    n_rows: Option<usize>,
}

impl Frame {
    /// An empty frame.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a numeric column (`NaN` = missing).
    pub fn push_numeric(&mut self, name: &str, values: Vec<f64>) -> Result<&mut Self, EconError> {
        self.push(name, Column::Numeric(values))
    }

    /// Adds a categorical column.
    pub fn push_categorical(
        &mut self,
        name: &str,
        column: Categorical,
    ) -> Result<&mut Self, EconError> {
        column.validate(name)?;
        self.push(name, Column::Categorical(column))
    }

    /// Adds a column of either type.
    pub fn push(&mut self, name: &str, column: Column) -> Result<&mut Self, EconError> {
        if self.index.contains_key(name) {
            return Err(EconError::DuplicateColumn(name.to_string()));
        }
        if let Column::Categorical(c) = &column {
            c.validate(name)?;
        }
        if let Some(n) = self.n_rows
            && n != column.len()
        {
            return Err(EconError::LengthMismatch {
                name: name.to_string(),
                expected: n,
                got: column.len(),
            });
        }
        self.n_rows = Some(column.len());
        self.index.insert(name.to_string(), self.columns.len());
        self.names.push(name.to_string());
        self.columns.push(column);
        Ok(self)
    }

    /// Replaces the values of an existing column, or adds it (used by resampling code that
    /// changes one column between replicates).
    pub fn set(&mut self, name: &str, column: Column) -> Result<&mut Self, EconError> {
        match self.index.get(name) {
            Some(&i) => {
                if column.len() != self.n_rows.unwrap_or(0) {
                    return Err(EconError::LengthMismatch {
                        name: name.to_string(),
                        expected: self.n_rows.unwrap_or(0),
                        got: column.len(),
                    });
                }
                if let Column::Categorical(c) = &column {
                    c.validate(name)?;
                }
                self.columns[i] = column;
                Ok(self)
            }
            None => self.push(name, column),
        }
    }

    /// Number of rows (0 for an empty frame).
    pub fn n_rows(&self) -> usize {
        self.n_rows.unwrap_or(0)
    }

    /// Column names in insertion order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The column called `name`, or an error listing the available names.
    pub fn column(&self, name: &str) -> Result<&Column, EconError> {
        self.index
            .get(name)
            .map(|&i| &self.columns[i])
            .ok_or_else(|| EconError::UnknownColumn {
                name: name.to_string(),
                available: self.names.join(", "),
            })
    }

    /// The numeric column called `name`, or an error if it is missing or categorical.
    pub fn numeric(&self, name: &str) -> Result<&[f64], EconError> {
        match self.column(name)? {
            Column::Numeric(v) => Ok(v),
            Column::Categorical(_) => Err(EconError::WrongColumnType {
                name: name.to_string(),
                reason: "is categorical but a numeric column is needed here".into(),
            }),
        }
    }
}
