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
