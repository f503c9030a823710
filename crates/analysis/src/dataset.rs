//! Conversions from input data to the model crates' plain inputs.
//!
//! Two kinds of input are supported:
//!
//! * **codebook data** (a file with `--codebook`, or the bundled replica): the survey crate maps the
//!   file onto its [`AnalysisFrame`], and every analysis variable appears in the model frame under
//!   its canonical name, categoricals with the codebook's level slugs and reference level;
//! * **plain tables** (a CSV/Parquet/… file without a codebook): every column appears under its own
//!   name; a column whose non-missing values all parse as numbers is numeric, any other column is
//!   categorical (levels sorted, the first one is the reference).
//!
//! Both produce a [`Dataset`]: an [`egov_econ::Frame`], row identifiers, and (when items are known)
//! an [`ItemMatrix`] for the IRT engine.

use anyhow::{Context, bail};
use egov_econ::{Categorical, Column, Frame};
use egov_survey::read::{RawColumn, read_table};
use egov_survey::{
    AnalysisFrame, CategoricalVar, Codebook, ExtraValues, MISSING, ReadOptions, load,
};
use std::path::{Path, PathBuf};

/// Row-major `persons × items` responses: 0, 1 or [`MISSING`].
#[derive(Debug, Clone, PartialEq)]
pub struct ItemMatrix {
    /// Item names, in column order.
    pub names: Vec<String>,
    /// Responses, row-major.
    pub responses: Vec<u8>,
}

impl ItemMatrix {
    /// Number of items.
    pub fn n_items(&self) -> usize {
        self.names.len()
    }

    /// Number of persons.
    pub fn n_rows(&self) -> usize {
        self.responses
            .len()
            .checked_div(self.names.len())
            .unwrap_or(0)
    }
}

/// Where a dataset came from, for reports.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DataInfo {
    /// Data file.
    pub path: PathBuf,
    /// Codebook, when one was used.
    pub codebook: Option<PathBuf>,
    /// True when the codebook declares the data synthetic.
    pub synthetic: bool,
    /// Number of rows in the file.
    pub rows: usize,
}

/// A loaded dataset, ready for models.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Named columns for formulas.
    pub frame: Frame,
    /// One identifier per row (respondent id, or the 1-based row number of a plain table).
    pub ids: Vec<String>,
    /// Name of the identifier column in outputs (`respondent_id` or `row`, or the `--id` column).
    pub id_name: String,
    /// Skill items from the codebook, when the data came with one.
    pub codebook_items: Option<ItemMatrix>,
    /// True when the data were mapped by a codebook (canonical variable names are available).
    pub has_codebook: bool,
    /// Provenance.
    pub info: DataInfo,
    /// Notes for the user about how the data were read (counts of warnings, …).
    pub notes: Vec<String>,
}

/// Values read as missing in plain tables (besides empty cells and nulls).
const MISSING_MARKERS: [&str; 3] = ["", "NA", "."];

fn is_missing_marker(s: &str) -> bool {
    MISSING_MARKERS.contains(&s.trim())
}

/// Builds the model frame of a codebook-mapped [`AnalysisFrame`].
///
/// Columns: `egov` (0/1, NaN missing), `age`, `sex`, `education`, `labour`, `urban`, `region`
/// (categorical, codebook slugs and reference), every extra covariate, the 11 items under their
/// canonical names (0/1, NaN missing), `weight`, `household` (dense id), and `psu` / `stratum` when
/// the codebook maps them.
pub fn from_analysis(af: &AnalysisFrame) -> anyhow::Result<Dataset> {
    let n = af.n_rows();
    let mut frame = Frame::new();
    let outcome = af
        .outcome
        .iter()
        .map(|v| v.map_or(f64::NAN, f64::from))
        .collect();
    frame.push_numeric("egov", outcome)?;
    frame.push_numeric(
        "age",
        af.age.iter().map(|v| v.unwrap_or(f64::NAN)).collect(),
    )?;
    for var in af.categoricals() {
        frame.push_categorical(&var.name, categorical(var))?;
    }
    for extra in &af.extras {
        match &extra.values {
            ExtraValues::Numeric(v) => frame.push_numeric(
                &extra.name,
                v.iter().map(|x| x.unwrap_or(f64::NAN)).collect(),
            )?,
            ExtraValues::Categorical(c) => frame.push_categorical(&extra.name, categorical(c))?,
        };
    }
    let k = af.n_items();
    for (j, name) in af.item_names.iter().enumerate() {
        let col = (0..n)
            .map(|i| match af.items[i * k + j] {
                MISSING => f64::NAN,
                y => f64::from(y),
            })
            .collect();
        frame.push_numeric(name, col)?;
    }
    frame.push_numeric("weight", af.weight.clone())?;
    frame.push_numeric(
        "household",
        af.household.iter().map(|&h| f64::from(h)).collect(),
    )?;
    if let Some(psu) = &af.psu {
        frame.push_numeric("psu", psu.iter().map(|&p| f64::from(p)).collect())?;
    }
    if let Some(stratum) = &af.stratum {
        frame.push_numeric("stratum", stratum.iter().map(|&s| f64::from(s)).collect())?;
    }
    Ok(Dataset {
        frame,
        ids: af.respondent_id.clone(),
        id_name: "respondent_id".into(),
        codebook_items: Some(ItemMatrix {
            names: af.item_names.clone(),
            responses: af.items.clone(),
        }),
        has_codebook: true,
        info: DataInfo {
            path: af.source.path.clone(),
            codebook: af.source.codebook.clone(),
            synthetic: af.source.synthetic,
            rows: n,
        },
        notes: Vec::new(),
    })
}

fn categorical(var: &CategoricalVar) -> Categorical {
    Categorical {
        codes: var.codes.clone(),
        levels: var.levels.iter().map(|l| l.name.clone()).collect(),
        reference: var.reference,
    }
}

/// Reads a plain table (no codebook): every column under its own name.
///
/// `id_column`, when given, names the column whose values identify rows in outputs; otherwise rows
/// are identified by their 1-based number.
pub fn from_plain_file(
    path: &Path,
    opts: &ReadOptions,
    id_column: Option<&str>,
) -> anyhow::Result<Dataset> {
    let table = read_table(path, opts)?;
    let n = table.n_rows();
    let mut frame = Frame::new();
    let mut ids: Option<Vec<String>> = None;
    for name in table.column_names() {
        let raw = table
            .column(&name)
            .with_context(|| format!("{}: cannot read column `{name}`", path.display()))?;
        if Some(name.as_str()) == id_column {
            ids = Some((0..n).map(|i| raw.display(i)).collect());
        }
        frame.push(&name, plain_column(&raw))?;
    }
    let (ids, id_name) = match (ids, id_column) {
        (Some(ids), Some(name)) => (ids, name.to_string()),
        (None, Some(name)) => bail!(
            "--id column `{name}` is not in {}; its columns are [{}]",
            path.display(),
            table.column_names().join(", ")
        ),
        _ => ((1..=n).map(|i| i.to_string()).collect(), "row".to_string()),
    };
    Ok(Dataset {
        frame,
        ids,
        id_name,
        codebook_items: None,
        has_codebook: false,
        info: DataInfo {
            path: path.to_path_buf(),
            codebook: None,
            synthetic: false,
            rows: n,
        },
        notes: Vec::new(),
    })
}

/// A raw column as a model column: numeric when every present value is a number.
fn plain_column(raw: &RawColumn) -> Column {
    match raw {
        RawColumn::Number(v) => Column::Numeric(v.iter().map(|x| x.unwrap_or(f64::NAN)).collect()),
        RawColumn::Text(v) => {
            let parsed: Option<Vec<f64>> = v
                .iter()
                .map(|s| match s.as_deref() {
                    None => Some(f64::NAN),
                    Some(s) if is_missing_marker(s) => Some(f64::NAN),
                    Some(s) => s.trim().parse::<f64>().ok().filter(|x| x.is_finite()),
                })
                .collect();
            match parsed {
                Some(values) => Column::Numeric(values),
                None => {
                    let labels: Vec<Option<&str>> = v
                        .iter()
                        .map(|s| {
                            s.as_deref()
                                .map(str::trim)
                                .filter(|s| !is_missing_marker(s))
                        })
                        .collect();
                    Column::Categorical(Categorical::from_labels(&labels))
                }
            }
        }
    }
}

/// Builds an item matrix from named 0/1 columns of the frame (blank = not answered).
///
/// Any other value is an error naming the column, the 1-based data row and the value.
pub fn items_from_columns(frame: &Frame, names: &[String]) -> anyhow::Result<ItemMatrix> {
    if names.len() < 2 {
        bail!(
            "an IRT scale needs at least two items, got {} ({}); list them with --items COL,COL,…",
            names.len(),
            names.join(", ")
        );
    }
    let n = frame.n_rows();
    let k = names.len();
    let mut responses = vec![MISSING; n * k];
    for (j, name) in names.iter().enumerate() {
        let column = frame.column(name).map_err(anyhow::Error::from)?;
        match column {
            Column::Numeric(values) => {
                for (i, &x) in values.iter().enumerate() {
                    responses[i * k + j] = if x.is_nan() {
                        MISSING
                    } else if x == 0.0 {
                        0
                    } else if x == 1.0 {
                        1
                    } else {
                        bail!(
                            "item column `{name}`, row {}: value {x} is not 0, 1 or blank; recode the item to 0 = no, 1 = yes, blank = not answered (or map it with a codebook)",
                            i + 1
                        );
                    };
                }
            }
            Column::Categorical(c) => {
                let (i, code) = c
                    .codes
                    .iter()
                    .enumerate()
                    .find_map(|(i, c)| c.map(|c| (i, c)))
                    .unwrap_or((0, 0));
                bail!(
                    "item column `{name}`, row {}: value `{}` is not 0, 1 or blank; recode the item to 0 = no, 1 = yes, blank = not answered (or map it with a codebook)",
                    i + 1,
                    c.levels.get(code as usize).map_or("", String::as_str)
                );
            }
        }
    }
    Ok(ItemMatrix {
        names: names.to_vec(),
        responses,
    })
}

/// Parses `--items a,b,c` into names (trimmed, non-empty, unique).
pub fn parse_item_list(text: &str) -> anyhow::Result<Vec<String>> {
    let names: Vec<String> = text
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let mut seen = std::collections::HashSet::new();
    for n in &names {
        if !seen.insert(n) {
            bail!("--items lists `{n}` twice; list each item once");
        }
    }
    Ok(names)
}

/// Where the data of a single-model command come from and how to read them.
///
/// Without `data`, the bundled synthetic replica and its codebook are used.
#[derive(Debug, Clone, Default)]
pub struct DataSpec {
    /// Data file (.csv, .parquet, .dta, .sav, .xlsx); `None` for the bundled replica.
    pub data: Option<PathBuf>,
    /// Codebook (TOML) mapping the file onto the analysis schema; without one, a data file is
    /// read as a plain table.
    pub codebook: Option<PathBuf>,
    /// Reader options (delimiter, encoding, sheet).
    pub read: ReadOptions,
}

/// A data file with its parsed codebook.
#[derive(Debug)]
pub struct DataSource {
    /// Data file.
    pub data: PathBuf,
    /// Parsed codebook.
    pub codebook: Codebook,
    /// Reader options.
    pub options: ReadOptions,
}

impl DataSpec {
    /// True when the bundled synthetic replica is used (no data file given).
    pub fn is_replica(&self) -> bool {
        self.data.is_none()
    }

    /// Resolves the data file and parses its codebook (the replica's when no file is given).
    pub fn resolve(&self) -> anyhow::Result<DataSource> {
        let (data, codebook_path) = match (&self.data, &self.codebook) {
            (Some(d), Some(c)) => (d.clone(), c.clone()),
            (Some(d), None) => bail!(
                "{} needs a codebook: pass --codebook FILE (see docs/codebook.md)",
                d.display()
            ),
            (None, c) => {
                let (d, default_cb) = egov_survey::bundled_replica_paths();
                (d, c.clone().unwrap_or(default_cb))
            }
        };
        let codebook = Codebook::from_path(&codebook_path)?;
        Ok(DataSource {
            data,
            codebook,
            options: self.read.clone(),
        })
    }
}

/// Loads the data named by `spec`: with a codebook (or without a data file: the bundled replica)
/// through the survey crate's validation, otherwise as a plain table.
///
/// `id_column` names the row identifier of a plain table (refused with a codebook, where the
/// respondent id is used).
pub fn load_dataset(spec: &DataSpec, id_column: Option<&str>) -> anyhow::Result<Dataset> {
    match (&spec.data, &spec.codebook) {
        (Some(path), None) => from_plain_file(path, &spec.read, id_column),
        _ => {
            if id_column.is_some() {
                bail!("--id is for plain tables; with a codebook the respondent id is used");
            }
            let source = spec.resolve()?;
            let (analysis, report) = load(&source.data, &source.codebook, &source.options)?;
            let mut dataset = from_analysis(&analysis)?;
            if !report.warnings.is_empty() {
                dataset.notes.push(format!(
                    "{} data warning(s) (e.g. missing values, which stay missing and are counted); `egov check` lists them",
                    report.warnings.len()
                ));
            }
            Ok(dataset)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_columns_become_numeric_or_categorical() {
        let num = plain_column(&RawColumn::Text(vec![
            Some("1".into()),
            None,
            Some("NA".into()),
            Some(" 2.5 ".into()),
        ]));
        match num {
            Column::Numeric(v) => {
                assert_eq!(v[0], 1.0);
                assert!(v[1].is_nan() && v[2].is_nan());
                assert_eq!(v[3], 2.5);
            }
            _ => panic!("expected numeric"),
        }
        let cat = plain_column(&RawColumn::Text(vec![
            Some("urban".into()),
            Some("rural".into()),
            Some("".into()),
        ]));
        match cat {
            Column::Categorical(c) => {
                assert_eq!(c.levels, vec!["rural", "urban"]);
                assert_eq!(c.codes, vec![Some(1), Some(0), None]);
            }
            _ => panic!("expected categorical"),
        }
    }

    #[test]
    fn item_matrix_rejects_non_binary_values_with_row_and_column() {
        let mut f = Frame::new();
        f.push_numeric("a", vec![0.0, 1.0, f64::NAN]).unwrap();
        f.push_numeric("b", vec![1.0, 2.0, 0.0]).unwrap();
        let err = items_from_columns(&f, &["a".into(), "b".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("`b`") && err.contains("row 2") && err.contains("value 2"));
        f.push_numeric("c", vec![1.0, 0.0, 0.0]).unwrap();
        let m = items_from_columns(&f, &["a".into(), "c".into()]).unwrap();
        assert_eq!(m.responses, vec![0, 1, 1, 0, MISSING, 0]);
        assert_eq!(m.n_rows(), 3);
    }

    #[test]
    fn item_list_parsing() {
        assert_eq!(parse_item_list(" a, b ,c").unwrap(), vec!["a", "b", "c"]);
        assert!(parse_item_list("a,a").is_err());
    }
}
