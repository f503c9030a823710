//! Stage 1: read the data file, map it with the codebook and validate it.

use crate::config::AnalysisConfig;
use anyhow::Context;
use egov_survey::{AnalysisFrame, Codebook, Encoding, ReadOptions, ValidationReport};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The loaded data with their provenance.
pub struct Loaded {
    /// The analysis frame.
    pub frame: AnalysisFrame,
    /// Validation report (warnings only: errors stop the pipeline).
    pub validation: ValidationReport,
    /// The codebook.
    pub codebook: Codebook,
    /// Codebook path.
    pub codebook_path: PathBuf,
    /// SHA-256 of the codebook file.
    pub codebook_sha256: String,
}

/// SHA-256 of a file, lower-case hex.
pub fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Loads and validates the configured data; every validation error is listed in the error.
pub fn load(config: &AnalysisConfig) -> anyhow::Result<Loaded> {
    let data = &config.data;
    if !data.file.exists() {
        anyhow::bail!(
            "the data file {} does not exist; fix `data.file` in the configuration (relative paths are relative to the configuration file)",
            data.file.display()
        );
    }
    let codebook = Codebook::from_path(&data.codebook).with_context(|| {
        format!(
            "cannot use the codebook {} (`data.codebook` in the configuration)",
            data.codebook.display()
        )
    })?;
    let delimiter = match data.delimiter {
        Some(c) if c.is_ascii() => Some(c as u8),
        Some(c) => anyhow::bail!("`data.delimiter` must be one ASCII character, got `{c}`"),
        None => None,
    };
    let encoding: Encoding = data.encoding.parse().map_err(anyhow::Error::msg)?;
    let options = ReadOptions {
        delimiter,
        encoding,
        sheet: None,
    };
    let (frame, validation) = egov_survey::load(&data.file, &codebook, &options)
        .with_context(|| format!("cannot analyse {}", data.file.display()))?;
    let codebook_sha256 = sha256_file(&data.codebook)?;
    Ok(Loaded {
        frame,
        validation,
        codebook,
        codebook_path: data.codebook.clone(),
        codebook_sha256,
    })
}
