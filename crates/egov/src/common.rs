//! Conventions shared by every subcommand: the data arguments, the output format and
//! atomic output files.

use anyhow::Context;
use clap::{Args, ValueEnum};
use egov_analysis::DataSpec;
use egov_survey::{Encoding, ReadOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, then a rename,
/// so readers never see a half-written file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomically_with(path, |file| {
        file.write_all(bytes)?;
        Ok(())
    })
}

/// Like [`write_atomically`], with a closure that writes into the temporary file's path.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    write(tmp.as_file_mut())?;
    tmp.as_file_mut().sync_all().ok();
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    make_readable(path);
    Ok(())
}

/// Temporary files are created private (0600); a finished output file gets the usual 0644.
pub fn make_readable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644));
    }
    #[cfg(not(unix))]
    let _ = path;
}
