//! Shared helpers for the integration tests: a tiny CSV loader and tolerance checks.
#![allow(dead_code, unreachable_pub)]

use egov_econ::{Categorical, Frame};
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/reference/econ")
        .join(name)
}

/// Reads a plain CSV; columns whose every value parses as a number become numeric
/// (empty or `NA` = missing), the others categorical.
pub fn read_csv(name: &str) -> Frame {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture exists");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let rows: Vec<Vec<&str>> = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').collect())
        .collect();
    let mut frame = Frame::new();
    for (j, name) in header.iter().enumerate() {
        let raw: Vec<&str> = rows.iter().map(|r| r[j]).collect();
        let parsed: Option<Vec<f64>> = raw
            .iter()
            .map(|s| {
                if s.is_empty() || *s == "NA" {
                    Some(f64::NAN)
                } else {
                    s.parse().ok()
                }
            })
            .collect();
        match parsed {
            Some(v) => frame.push_numeric(name, v).unwrap(),
            None => {
                let labels: Vec<Option<&str>> =
                    raw.iter().map(|s| (!s.is_empty()).then_some(*s)).collect();
                frame
                    .push_categorical(name, Categorical::from_labels(&labels))
                    .unwrap()
            }
        };
    }
    frame
}

pub fn json(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).expect("fixture exists"))
        .expect("valid json")
}

pub fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

/// Asserts |a − b| ≤ rel · max(|b|, floor) element-wise, naming the failing element.
pub fn assert_close(what: &str, got: &[f64], want: &[f64], rel: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let tol = rel * w.abs().max(1e-12);
        assert!(
            (g - w).abs() <= tol,
            "{what}[{i}]: got {g:.12e}, want {w:.12e} (rel err {:.2e})",
            (g - w).abs() / w.abs()
        );
    }
}
