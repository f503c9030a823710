//! TOML codebooks: how a raw file maps onto the analysis schema.
//!
//! See `docs/codebook.md` for the format and a complete example.
//!
//! ```
//! let text = egov_survey::replica::codebook_toml();
//! let cb = egov_survey::Codebook::from_toml_str(&text).unwrap();
//! assert_eq!(cb.items.len(), 11);
//! assert_eq!(cb.labour.reference, "wage_employee");
//! ```

use crate::frame::ITEM_NAMES;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A raw code as written in the codebook: an integer, a number or a string. All are compared
/// with the data as normalised text (`1`, `1.0` and `"1"` are the same code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Code {
    /// Integer code.
    Int(i64),
    /// Non-integer numeric code.
    Float(f64),
    /// Text code.
    Text(String),
}

impl Code {
    /// The normalised text form used for matching.
    pub fn key(&self) -> String {
        match self {
            Code::Int(i) => i.to_string(),
            Code::Float(f) => normalise_number(*f),
            Code::Text(s) => normalise_text(s),
        }
    }
}

/// Normalises a number for code matching: integral values print without a decimal point.
pub fn normalise_number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Normalises text for code matching: trims blanks; numeric text is normalised as a number
/// (`"01"` stays text only if it does not parse).
pub fn normalise_text(s: &str) -> String {
    let t = s.trim();
    match t.parse::<f64>() {
        Ok(f) if !t.is_empty() => normalise_number(f),
        _ => t.to_string(),
    }
}

/// Errors in the codebook itself.
#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    /// The file could not be read.
    #[error("cannot read codebook {path}: {source}")]
    Io {
        /// Codebook path.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// TOML syntax or schema error.
    #[error("codebook {path} is not valid: {message}")]
    Parse {
        /// Codebook path (or `<string>`).
        path: String,
        /// Parser message with line and column.
        message: String,
    },
    /// A semantic problem (unknown reference level, missing item, duplicate code, …).
    #[error("codebook problem in [{section}]: {message}")]
    Invalid {
        /// TOML section.
        section: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// Dataset description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DatasetInfo {
    /// Human-readable name.
    pub name: String,
    /// True for synthetic data: every output then carries a "synthetic" label.
    #[serde(default)]
    pub synthetic: bool,
    /// Free description.
    #[serde(default)]
    pub description: Option<String>,
}

/// Identifier and design columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// Respondent id column (unique per row).
    pub respondent_id: String,
    /// Household id column.
    pub household_id: String,
    /// Sampling weight column.
    pub weight: String,
    /// Primary sampling unit column (optional).
    #[serde(default)]
    pub psu: Option<String>,
    /// Stratum column (optional).
    #[serde(default)]
    pub stratum: Option<String>,
}

/// Yes/no/missing coding of a binary variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BinaryCoding {
    /// Codes meaning "yes".
    pub yes: Vec<Code>,
    /// Codes meaning "no".
    pub no: Vec<Code>,
    /// Codes meaning "missing" (blank cells are always missing).
    #[serde(default)]
    pub missing: Vec<Code>,
}

/// One skill item: its raw column and (optionally) its own coding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemSpec {
    /// Raw column name.
    pub column: String,
    /// Codes meaning "yes" (default: `[item_coding]`).
    #[serde(default)]
    pub yes: Option<Vec<Code>>,
    /// Codes meaning "no" (default: `[item_coding]`).
    #[serde(default)]
    pub no: Option<Vec<Code>>,
    /// Codes meaning "missing" (default: `[item_coding]`).
    #[serde(default)]
    pub missing: Option<Vec<Code>>,
}

/// The binary outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BinarySpec {
    /// Raw column name.
    pub column: String,
    /// Codes meaning "yes".
    pub yes: Vec<Code>,
    /// Codes meaning "no".
    pub no: Vec<Code>,
    /// Codes meaning "missing".
    #[serde(default)]
    pub missing: Vec<Code>,
}

impl BinarySpec {
    /// The yes/no/missing coding of the outcome, without its column.
    pub(crate) fn coding(&self) -> BinaryCoding {
        BinaryCoding {
            yes: self.yes.clone(),
            no: self.no.clone(),
            missing: self.missing.clone(),
        }
    }
}

/// A numeric variable with a valid range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumericSpec {
    /// Raw column name.
    pub column: String,
    /// Smallest valid value.
    #[serde(default)]
    pub min: Option<f64>,
    /// Largest valid value.
    #[serde(default)]
    pub max: Option<f64>,
    /// Codes meaning "missing" (e.g. 999).
    #[serde(default)]
    pub missing: Vec<Code>,
}

/// One level of a categorical variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    /// Raw code in the data.
    pub code: Code,
    /// Slug used in model terms (lower-case letters, digits, `_`).
    pub name: String,
    /// English label (default: the file's value label, else the slug).
    #[serde(default)]
    pub en: Option<String>,
    /// Russian label.
    #[serde(default)]
    pub ru: Option<String>,
    /// Kazakh label.
    #[serde(default)]
    pub kk: Option<String>,
    /// Further raw codes that mean the same level (e.g. when recoding 6 census groups into 5).
    #[serde(default)]
    pub also: Vec<Code>,
}

/// A categorical variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoricalSpec {
    /// Raw column name.
    pub column: String,
    /// Slug of the default reference level.
    pub reference: String,
    /// Codes meaning "missing".
    #[serde(default)]
    pub missing: Vec<Code>,
    /// Levels in display order.
    pub levels: Vec<LevelSpec>,
}

/// Kind of an extra covariate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExtraKind {
    /// Numeric.
    Numeric,
    /// Categorical (needs `levels` and `reference`).
    Categorical,
}

/// An extra covariate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraSpec {
    /// Analysis name.
    pub name: String,
    /// Raw column name.
    pub column: String,
    /// Numeric or categorical.
    pub kind: ExtraKind,
    /// Smallest valid value (numeric).
    #[serde(default)]
    pub min: Option<f64>,
    /// Largest valid value (numeric).
    #[serde(default)]
    pub max: Option<f64>,
    /// Codes meaning "missing".
    #[serde(default)]
    pub missing: Vec<Code>,
    /// Reference level (categorical).
    #[serde(default)]
    pub reference: Option<String>,
    /// Levels (categorical).
    #[serde(default)]
    pub levels: Vec<LevelSpec>,
}

/// A codebook: maps a raw file onto the analysis schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    /// Dataset description.
    pub dataset: DatasetInfo,
    /// Identifier and design columns.
    pub columns: Columns,
    /// Default coding of the 11 items.
    pub item_coding: BinaryCoding,
    /// The 11 items by canonical name.
    pub items: BTreeMap<String, ItemSpec>,
    /// The outcome: used government services via the Internet.
    pub outcome: BinarySpec,
    /// Age in years.
    pub age: NumericSpec,
    /// Sex.
    pub sex: CategoricalSpec,
    /// Education.
    pub education: CategoricalSpec,
    /// Labour status.
    pub labour: CategoricalSpec,
    /// Urban / rural.
    pub urban: CategoricalSpec,
    /// Region.
    pub region: CategoricalSpec,
    /// Extra covariates.
    #[serde(default)]
    pub extras: Vec<ExtraSpec>,
    /// Where the codebook was read from (not part of the TOML).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl Codebook {
    /// Parses and checks a codebook from TOML text.
    pub fn from_toml_str(text: &str) -> Result<Self, CodebookError> {
        Self::parse(text, "<string>")
    }

    /// Reads, parses and checks a codebook file.
    ///
    /// ```
    /// let (_, cb_path) = egov_survey::bundled_replica_paths();
    /// let cb = egov_survey::Codebook::from_path(&cb_path).unwrap();
    /// assert!(cb.dataset.synthetic);
    /// ```
    pub fn from_path(path: &Path) -> Result<Self, CodebookError> {
        let text = std::fs::read_to_string(path).map_err(|source| CodebookError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut cb = Self::parse(&text, &path.display().to_string())?;
        cb.path = Some(path.to_path_buf());
        Ok(cb)
    }

    fn parse(text: &str, origin: &str) -> Result<Self, CodebookError> {
        let cb: Codebook = toml::from_str(text).map_err(|e| CodebookError::Parse {
            path: origin.to_string(),
            message: e.to_string(),
        })?;
        cb.check()?;
        Ok(cb)
    }

    /// Serialises to TOML.
    pub fn to_toml_string(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// The coding of item `name` (its own, else `[item_coding]`).
    pub fn item_coding_of(&self, spec: &ItemSpec) -> BinaryCoding {
        BinaryCoding {
            yes: spec
                .yes
                .clone()
                .unwrap_or_else(|| self.item_coding.yes.clone()),
            no: spec
                .no
                .clone()
                .unwrap_or_else(|| self.item_coding.no.clone()),
            missing: spec
                .missing
                .clone()
                .unwrap_or_else(|| self.item_coding.missing.clone()),
        }
    }

    /// The five core categoricals with their canonical names.
    pub fn categoricals(&self) -> [(&'static str, &CategoricalSpec); 5] {
        [
            ("sex", &self.sex),
            ("education", &self.education),
            ("labour", &self.labour),
            ("urban", &self.urban),
            ("region", &self.region),
        ]
    }

    fn check(&self) -> Result<(), CodebookError> {
        for name in self.items.keys() {
            if !ITEM_NAMES.contains(&name.as_str()) {
                return Err(invalid(
                    "items",
                    format!(
                        "unknown item `{name}`; the 11 item names are: {}",
                        ITEM_NAMES.join(", ")
                    ),
                ));
            }
        }
        let absent: Vec<&str> = ITEM_NAMES
            .iter()
            .copied()
            .filter(|n| !self.items.contains_key(*n))
            .collect();
        if !absent.is_empty() {
            return Err(invalid(
                "items",
                format!(
                    "missing item(s) {}; add `name = {{ column = \"...\" }}` for each",
                    absent.join(", ")
                ),
            ));
        }
        for (name, spec) in &self.items {
            check_binary(&format!("items.{name}"), &self.item_coding_of(spec))?;
        }
        check_binary("outcome", &self.outcome.coding())?;
        if let (Some(lo), Some(hi)) = (self.age.min, self.age.max)
            && lo > hi
        {
            return Err(invalid("age", format!("min {lo} is larger than max {hi}")));
        }
        for (name, spec) in self.categoricals() {
            check_levels(name, &spec.levels, &spec.reference, &spec.missing)?;
        }
        let mut seen = std::collections::HashSet::new();
        for extra in &self.extras {
            let section = format!("extras.{}", extra.name);
            if !seen.insert(extra.name.clone())
                || [
                    "egov",
                    "sex",
                    "age",
                    "education",
                    "labour",
                    "urban",
                    "region",
                ]
                .contains(&extra.name.as_str())
            {
                return Err(invalid(
                    &section,
                    format!("the name `{}` is already used; choose another", extra.name),
                ));
            }
            if extra.kind == ExtraKind::Categorical {
                let Some(reference) = &extra.reference else {
                    return Err(invalid(
                        &section,
                        "a categorical extra needs `reference = \"<level name>\"`",
                    ));
                };
                check_levels(&section, &extra.levels, reference, &extra.missing)?;
            }
        }
        Ok(())
    }
}

/// A semantic codebook error in `section`.
fn invalid(section: &str, message: impl Into<String>) -> CodebookError {
    CodebookError::Invalid {
        section: section.to_string(),
        message: message.into(),
    }
}

fn check_binary(section: &str, coding: &BinaryCoding) -> Result<(), CodebookError> {
    if coding.yes.is_empty() || coding.no.is_empty() {
        return Err(invalid(
            section,
            "needs at least one `yes` and one `no` code",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for c in coding.yes.iter().chain(&coding.no).chain(&coding.missing) {
        if !seen.insert(c.key()) {
            return Err(invalid(
                section,
                format!(
                    "code `{}` is listed twice among yes/no/missing; each code may mean one thing",
                    c.key()
                ),
            ));
        }
    }
    Ok(())
}

fn check_levels(
    section: &str,
    levels: &[LevelSpec],
    reference: &str,
    missing: &[Code],
) -> Result<(), CodebookError> {
    if levels.len() < 2 {
        return Err(invalid(section, "needs at least two levels"));
    }
    let mut names = std::collections::HashSet::new();
    let mut codes = std::collections::HashSet::new();
    for l in levels {
        if l.name.is_empty()
            || !l
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(invalid(
                section,
                format!(
                    "level name `{}` must be a slug of lower-case ASCII letters, digits and `_`",
                    l.name
                ),
            ));
        }
        if !names.insert(l.name.clone()) {
            return Err(invalid(
                section,
                format!("level name `{}` is used twice", l.name),
            ));
        }
        for c in std::iter::once(&l.code).chain(&l.also) {
            if !codes.insert(c.key()) {
                return Err(invalid(
                    section,
                    format!("raw code `{}` is used by two levels", c.key()),
                ));
            }
        }
    }
    for c in missing {
        if codes.contains(&c.key()) {
            return Err(invalid(
                section,
                format!("raw code `{}` is both a level and a missing code", c.key()),
            ));
        }
    }
    if !names.contains(reference) {
        return Err(invalid(
            section,
            format!(
                "reference `{reference}` is not one of the levels ({})",
                levels
                    .iter()
                    .map(|l| l.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok(())
}
