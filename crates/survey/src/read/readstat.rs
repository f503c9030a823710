//! Stata `.dta` and SPSS `.sav` via `polars-readstat-rs`: numeric codes are read
//! (`value_labels_as_strings(false)`) and the value labels come from the file's metadata.

use super::{Encoding, Format, RawTable, ReadError, ReadOptions, catch_reader_panic};
use polars::prelude::*;
use polars_readstat_rs::{SpssReader, StataReader, readstat_metadata_json};
use std::collections::HashMap;
use std::path::Path;

pub(super) fn read_readstat(
    path: &Path,
    format: Format,
    opts: &ReadOptions,
) -> Result<RawTable, ReadError> {
    let name = if format == Format::Stata {
        "Stata"
    } else {
        "SPSS"
    };
    let df = catch_reader_panic(path, name, || -> Result<_, String> {
        if format == Format::Stata {
            StataReader::open(path)
                .map_err(|e| e.to_string())?
                .read()
                .value_labels_as_strings(false)
                .finish()
                .map_err(|e| e.to_string())
        } else {
            SpssReader::open(path)
                .map_err(|e| e.to_string())?
                .read()
                .value_labels_as_strings(false)
                .finish()
                .map_err(|e| e.to_string())
        }
    })?;
    let df = if format == Format::Stata && stata_release(path).is_some_and(|r| r < 118) {
        redecode_legacy_strings(df, opts.encoding)
    } else {
        df
    };
    let mut table = RawTable::new(path, format, df);
    if let Ok(Ok(json)) = std::panic::catch_unwind(|| readstat_metadata_json(path, None)) {
        table.value_labels = value_labels_from_metadata(&json);
    }
    Ok(table)
}

/// Extracts `column → (code → label)` from the metadata JSON. Tolerant of layout: it looks for
/// per-variable objects carrying a `name` and a label map.
fn value_labels_from_metadata(json: &str) -> HashMap<String, HashMap<String, String>> {
    let mut out = HashMap::new();
    let Ok(value) = serde_json::from_str::<serde_json::Value>(json) else {
        return out;
    };
    collect_labels(&value, &mut out);
    out
}

fn collect_labels(v: &serde_json::Value, out: &mut HashMap<String, HashMap<String, String>>) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let name = map.get("name").and_then(Value::as_str);
            let labels = map
                .get("value_labels")
                .or_else(|| map.get("labels"))
                .and_then(Value::as_object);
            if let (Some(name), Some(labels)) = (name, labels) {
                let m: HashMap<String, String> = labels
                    .iter()
                    .filter_map(|(k, v)| {
                        v.as_str()
                            .map(|s| (crate::codebook::normalise_text(k), s.to_string()))
                    })
                    .collect();
                if !m.is_empty() {
                    out.insert(name.to_string(), m);
                }
            }
            for child in map.values() {
                collect_labels(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|c| collect_labels(c, out)),
        _ => {}
    }
}

/// The format release of a Stata file: `<release>117</release>` in XML-style headers (117+),
/// else the first byte (113–115).
fn stata_release(path: &Path) -> Option<u32> {
    use std::io::Read;
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
    let head = &head[..n];
    if head.starts_with(b"<stata_dta>") {
        let text = std::str::from_utf8(head).ok()?;
        let start = text.find("<release>")? + "<release>".len();
        text[start..].split('<').next()?.parse().ok()
    } else {
        head.first().map(|b| u32::from(*b))
    }
}

/// Stata files before release 118 store strings in an unspecified 8-bit code page, which the
/// reader decodes as Windows-1252. Recover the original bytes and decode them as UTF-8 when
/// they are valid UTF-8 (files written by modern tools), else as Windows-1251 when asked.
fn redecode_legacy_strings(mut df: DataFrame, encoding: Encoding) -> DataFrame {
    let names: Vec<PlSmallStr> = df
        .columns()
        .iter()
        .filter(|c| c.dtype() == &DataType::String)
        .map(|c| c.name().clone())
        .collect();
    for name in names {
        let Ok(col) = df.column(&name) else { continue };
        let Ok(ca) = col.str() else { continue };
        let fixed: Vec<Option<String>> = ca
            .iter()
            .map(|v| v.map(|s| redecode(s, encoding)))
            .collect();
        let _ = df.with_column(Column::new(name, fixed));
    }
    df
}

fn redecode(s: &str, encoding: Encoding) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(s);
    if unmappable {
        return s.to_string();
    }
    match std::str::from_utf8(&bytes) {
        Ok(utf8) => utf8.to_string(),
        Err(_) if encoding == Encoding::Windows1251 => {
            encoding_rs::WINDOWS_1251.decode(&bytes).0.into_owned()
        }
        Err(_) => s.to_string(),
    }
}
