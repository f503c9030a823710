//! Conventions shared by every subcommand: the data arguments and the output format (writing
//! goes through `egov_analysis::output`).

use clap::{Args, ValueEnum};
use egov_analysis::DataSpec;
use egov_survey::{Encoding, ReadOptions};
use std::path::PathBuf;

/// Where the data come from. Without DATA, the bundled synthetic replica and its codebook are
/// used (a note says so on stderr).
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Data file (.csv, .parquet, .dta, .sav, .xlsx). Default: the bundled synthetic replica.
    pub data: Option<PathBuf>,
    /// Codebook (TOML) mapping the file onto the analysis schema (required with DATA).
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
    /// CSV field delimiter (default: guessed from the header line, `,` or `;`).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<char>,
    /// Text encoding of CSV files (and of strings in pre-Unicode Stata files): utf-8 or windows-1251.
    #[arg(long, default_value = "utf-8", value_name = "ENC")]
    pub encoding: String,
    /// Excel sheet to read (default: the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

impl DataArgs {
    /// The data specification of these arguments, with the reader options checked. Says on
    /// stderr when the bundled synthetic replica is used.
    pub fn to_spec(&self) -> anyhow::Result<DataSpec> {
        let delimiter = match self.delimiter {
            Some(c) if c.is_ascii() => Some(c as u8),
            Some(c) => anyhow::bail!("--delimiter must be one ASCII character, got `{c}`"),
            None => None,
        };
        let encoding: Encoding = self.encoding.parse().map_err(anyhow::Error::msg)?;
        if self.data.is_none() {
            let (d, _) = egov_survey::bundled_replica_paths();
            eprintln!(
                "note: no data file given; using the bundled SYNTHETIC replica {}",
                d.display()
            );
        }
        Ok(DataSpec {
            data: self.data.clone(),
            codebook: self.codebook.clone(),
            read: ReadOptions {
                delimiter,
                encoding,
                sheet: self.sheet.clone(),
            },
        })
    }
}

/// Output format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Human-readable text.
    #[default]
    Text,
    /// JSON.
    Json,
}

/// Prints a library run's notes on stderr: warnings as they are, the rest as `note: …`.
pub fn print_notes(notes: &[String]) {
    for note in notes {
        if note.starts_with("warning:") {
            eprintln!("{note}");
        } else {
            eprintln!("note: {note}");
        }
    }
}
