//! Delimited text: decoded with `encoding_rs`, then parsed by polars with every column as text
//! (numbers are parsed by the loader, so a stray letter is reported with its row).

use super::{Encoding, Format, RawTable, ReadError, ReadOptions, catch_reader_panic};
use polars::prelude::*;
use std::path::Path;

pub(super) fn read_csv(path: &Path, opts: &ReadOptions) -> Result<RawTable, ReadError> {
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text: String = match opts.encoding {
        Encoding::Utf8 => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            match std::str::from_utf8(body) {
                Ok(s) => s.to_string(),
                Err(e) => {
                    return Err(ReadError::Encoding {
                        path: path.to_path_buf(),
                        offset: e.valid_up_to(),
                    });
                }
            }
        }
        Encoding::Windows1251 => {
            let (cow, _, _) = encoding_rs::WINDOWS_1251.decode(&bytes);
            cow.into_owned()
        }
    };
    if text.trim().is_empty() {
        return Err(ReadError::Empty {
            path: path.to_path_buf(),
        });
    }
    let header = text.lines().next().unwrap_or("");
    let delimiter = opts.delimiter.unwrap_or_else(|| {
        if header.matches(';').count() > header.matches(',').count() {
            b';'
        } else if header.matches('\t').count() > header.matches(',').count() {
            b'\t'
        } else {
            b','
        }
    });
    check_field_counts(path, &text, delimiter)?;
    let df = catch_reader_panic(path, "CSV", || {
        CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .with_parse_options(
                CsvParseOptions::default()
                    .with_separator(delimiter)
                    .with_missing_is_null(true),
            )
            .into_reader_with_file_handle(std::io::Cursor::new(text.into_bytes()))
            .finish()
    })?;
    Ok(RawTable::new(path, Format::Csv, df))
}

/// Counts fields per line (quote-aware, RFC 4180 quoting) and refuses rows whose count differs
/// from the header's: polars would pad a short row with nulls, which hides a truncated file.
fn check_field_counts(path: &Path, text: &str, delimiter: u8) -> Result<(), ReadError> {
    let delimiter = delimiter as char;
    let mut counts: Vec<usize> = Vec::new();
    let (mut fields, mut in_quotes, mut line_has_content) = (1usize, false, false);
    for c in text.chars() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                line_has_content = true;
            }
            '\n' if !in_quotes => {
                if line_has_content {
                    counts.push(fields);
                }
                fields = 1;
                line_has_content = false;
            }
            '\r' if !in_quotes => {}
            c if c == delimiter && !in_quotes => {
                fields += 1;
                line_has_content = true;
            }
            _ => line_has_content = true,
        }
    }
    if line_has_content {
        counts.push(fields);
    }
    let Some((&expected, data)) = counts.split_first() else {
        return Ok(());
    };
    let bad: Vec<(usize, usize)> = data
        .iter()
        .enumerate()
        .filter(|(_, n)| **n != expected)
        .map(|(i, n)| (i + 1, *n))
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    Err(ReadError::RaggedRows {
        path: path.to_path_buf(),
        expected,
        count: bad.len(),
        rows: bad
            .iter()
            .take(5)
            .map(|(row, n)| format!("{row} ({n} fields)"))
            .collect::<Vec<_>>()
            .join(", "),
    })
}
