//! Stata `.dta` and SPSS `.sav` via `polars-readstat-rs`: numeric codes are read
//! (`value_labels_as_strings(false)`) and the value labels come from the file's metadata.

use super::{Format, RawTable, ReadError, catch_reader_panic};
use polars_readstat_rs::{SpssReader, StataReader, readstat_metadata_json};
use std::collections::HashMap;
use std::path::Path;

pub(super) fn read_readstat(path: &Path, format: Format) -> Result<RawTable, ReadError> {
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
