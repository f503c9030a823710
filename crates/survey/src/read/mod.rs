//! File readers. The format is chosen by file extension; every reader returns a
//! [`RawTable`] whose columns are read lazily as numbers or text.

mod csv;
mod readstat;
mod xlsx;

use crate::codebook::{normalise_number, normalise_text};
use polars::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 (a leading byte-order mark is skipped).
    #[default]
    Utf8,
    /// Windows-1251 (Cyrillic), as used by many bureau exports.
    Windows1251,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "utf8" => Ok(Encoding::Utf8),
            "windows1251" | "cp1251" => Ok(Encoding::Windows1251),
            other => Err(format!(
                "unknown encoding `{other}`; use utf-8 or windows-1251"
            )),
        }
    }
}

/// Options for reading a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// CSV field delimiter (default: `,`; `None` guesses `;` when the header line has more `;` than `,`).
    pub delimiter: Option<u8>,
    /// Text encoding of CSV files and of strings in legacy (pre-Unicode, release < 118) Stata files.
    pub encoding: Encoding,
    /// Excel sheet name (default: the first sheet).
    pub sheet: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            delimiter: None,
            encoding: Encoding::Utf8,
            sheet: None,
        }
    }
}

/// A supported file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Delimited text.
    Csv,
    /// Apache Parquet.
    Parquet,
    /// Stata `.dta` (versions 114–119).
    Stata,
    /// SPSS `.sav`.
    Spss,
    /// Excel `.xlsx`.
    Xlsx,
}

impl Format {
    /// Chooses the format from the file extension.
    ///
    /// ```
    /// use egov_survey::read::Format;
    /// assert_eq!(Format::from_path("a/b.SAV".as_ref()), Some(Format::Spss));
    /// assert_eq!(Format::from_path("a/b.txt".as_ref()), None);
    /// ```
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" => Some(Format::Csv),
            "parquet" | "pq" => Some(Format::Parquet),
            "dta" => Some(Format::Stata),
            "sav" | "zsav" => Some(Format::Spss),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// Short lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Stata => "dta",
            Format::Spss => "sav",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Errors while reading a data file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The extension is not one we read.
    #[error(
        "cannot tell the format of {path}: use a .csv, .parquet, .dta, .sav or .xlsx file name"
    )]
    UnknownFormat {
        /// File path.
        path: PathBuf,
    },
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// File path.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The file is empty or has a header but no data rows.
    #[error("{path} has no data rows; check that the export finished and the file is not empty")]
    Empty {
        /// File path.
        path: PathBuf,
    },
    /// The file is damaged, truncated or not of the format its extension claims.
    #[error(
        "{path} is not a readable {format} file ({message}); it may be truncated or corrupted: export it again"
    )]
    Corrupt {
        /// File path.
        path: PathBuf,
        /// Format name.
        format: &'static str,
        /// Underlying message.
        message: String,
    },
    /// The bytes are not valid text in the chosen encoding.
    #[error(
        "{path} is not valid UTF-8 (first bad byte at offset {offset}); if it is a Windows export, pass --encoding windows-1251"
    )]
    Encoding {
        /// File path.
        path: PathBuf,
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// Some rows have fewer or more fields than the header (CSV).
    #[error(
        "{path}: {count} row(s) do not have the header's {expected} fields (first data rows, 1-based: {rows}); the file looks truncated or a field holds an unquoted delimiter: export it again or quote the fields"
    )]
    RaggedRows {
        /// File path.
        path: PathBuf,
        /// Fields in the header.
        expected: usize,
        /// Number of bad rows.
        count: usize,
        /// Up to five of them, as "row (fields)".
        rows: String,
    },
    /// Two columns share a name.
    #[error("{path}: column name `{name}` appears more than once; rename one of them")]
    DuplicateColumn {
        /// File path.
        path: PathBuf,
        /// Column name.
        name: String,
    },
}

/// One raw column, either numbers or text.
#[derive(Debug, Clone, PartialEq)]
pub enum RawColumn {
    /// Numeric column (`None` = null / system missing).
    Number(Vec<Option<f64>>),
    /// Text column (`None` = null).
    Text(Vec<Option<String>>),
}

impl RawColumn {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            RawColumn::Number(v) => v.len(),
            RawColumn::Text(v) => v.len(),
        }
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The normalised code of row `i` (blank or null → `None`).
    pub fn key(&self, i: usize) -> Option<String> {
        match self {
            RawColumn::Number(v) => v[i].map(normalise_number),
            RawColumn::Text(v) => v[i]
                .as_deref()
                .map(normalise_text)
                .filter(|s| !s.is_empty()),
        }
    }

    /// The raw display value of row `i` (for messages).
    pub fn display(&self, i: usize) -> String {
        match self {
            RawColumn::Number(v) => v[i].map(normalise_number).unwrap_or_default(),
            RawColumn::Text(v) => v[i].clone().unwrap_or_default(),
        }
    }
}

/// A table read from a file, with value labels when the format carries them.
#[derive(Debug, Clone)]
pub struct RawTable {
    /// The path read.
    pub path: PathBuf,
    /// The format read.
    pub format: Format,
    df: DataFrame,
    /// Value labels per column: normalised code → label (Stata/SPSS only).
    pub value_labels: HashMap<String, HashMap<String, String>>,
}

impl RawTable {
    /// Wraps a polars data frame.
    pub(crate) fn new(path: &Path, format: Format, df: DataFrame) -> Self {
        RawTable {
            path: path.to_path_buf(),
            format,
            df,
            value_labels: HashMap::new(),
        }
    }

    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.df.height()
    }

    /// Column names in file order.
    pub fn column_names(&self) -> Vec<String> {
        self.df
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    /// True when the table has column `name`.
    pub fn has_column(&self, name: &str) -> bool {
        self.df.column(name).is_ok()
    }

    /// Materialises column `name` as numbers (numeric types) or text (everything else).
    pub fn column(&self, name: &str) -> Option<RawColumn> {
        let col = self.df.column(name).ok()?;
        let series = col.as_materialized_series();
        let dtype = series.dtype();
        if dtype.is_primitive_numeric() || dtype.is_bool() {
            let cast = series.cast(&DataType::Float64).ok()?;
            let ca = cast.f64().ok()?;
            Some(RawColumn::Number(ca.iter().collect()))
        } else {
            let cast = series.cast(&DataType::String).ok()?;
            let ca = cast.str().ok()?;
            Some(RawColumn::Text(
                ca.iter().map(|v| v.map(str::to_string)).collect(),
            ))
        }
    }
}

/// Reads a data file, choosing the reader by extension.
///
/// ```
/// let (data, _) = egov_survey::bundled_replica_paths();
/// let table = egov_survey::read::read_table(&data, &Default::default()).unwrap();
/// assert_eq!(table.n_rows(), 56_649);
/// ```
pub fn read_table(path: &Path, opts: &ReadOptions) -> Result<RawTable, ReadError> {
    let format = Format::from_path(path).ok_or_else(|| ReadError::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    let meta = std::fs::metadata(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.len() == 0 {
        return Err(ReadError::Empty {
            path: path.to_path_buf(),
        });
    }
    let table = match format {
        Format::Csv => csv::read_csv(path, opts)?,
        Format::Parquet => read_parquet(path)?,
        Format::Stata | Format::Spss => readstat::read_readstat(path, format, opts)?,
        Format::Xlsx => xlsx::read_xlsx(path, opts)?,
    };
    let mut seen = std::collections::HashSet::new();
    for name in table.column_names() {
        if !seen.insert(name.clone()) {
            return Err(ReadError::DuplicateColumn {
                path: path.to_path_buf(),
                name,
            });
        }
    }
    if table.n_rows() == 0 {
        return Err(ReadError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(table)
}

fn read_parquet(path: &Path) -> Result<RawTable, ReadError> {
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // A Parquet file starts and ends with the magic `PAR1`; checking first turns a truncated
    // download into a clear message instead of a decoder error deep inside the reader.
    if bytes.len() < 12 || &bytes[..4] != b"PAR1" || &bytes[bytes.len() - 4..] != b"PAR1" {
        return Err(ReadError::Corrupt {
            path: path.to_path_buf(),
            format: "Parquet",
            message: "missing PAR1 magic bytes at the start or end".into(),
        });
    }
    let df = catch_reader_panic(path, "Parquet", || {
        ParquetReader::new(std::io::Cursor::new(bytes)).finish()
    })?;
    Ok(RawTable::new(path, Format::Parquet, df))
}

/// Runs a third-party decoder and turns both its errors and (as a last resort, for corrupted
/// bytes the decoder does not validate) its panics into [`ReadError::Corrupt`].
pub(crate) fn catch_reader_panic<T, E: std::fmt::Display>(
    path: &Path,
    format: &'static str,
    f: impl FnOnce() -> Result<T, E>,
) -> Result<T, ReadError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(ReadError::Corrupt {
            path: path.to_path_buf(),
            format,
            message: e.to_string(),
        }),
        Err(_) => Err(ReadError::Corrupt {
            path: path.to_path_buf(),
            format,
            message: "the decoder rejected the bytes".into(),
        }),
    }
}
