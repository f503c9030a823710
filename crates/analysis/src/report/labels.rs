//! Readable labels for model terms and variables.

use egov_survey::{AnalysisFrame, CategoricalVar, ExtraValues};

/// Display name of an analysis variable.
pub fn variable_name(var: &str) -> String {
    match var {
        "sex" => "Sex".into(),
        "education" => "Education".into(),
        "labour" => "Labour status".into(),
        "urban" => "Area".into(),
        "region" => "Region".into(),
        "age" => "Age".into(),
        "dsi" => "Digital Skills Index".into(),
        other => other.replace('_', " "),
    }
}

/// Term → label map built from the codebook levels.
pub struct TermLabels {
    pairs: Vec<(String, String)>,
}

impl TermLabels {
    /// Labels for every categorical level of the frame, plus the fixed terms.
    pub fn new(frame: &AnalysisFrame) -> Self {
        let mut pairs = vec![
            ("(Intercept)".to_string(), "Intercept".to_string()),
            ("dsi".into(), "Digital Skills Index (per SD)".into()),
            (
                "count_index".into(),
                "Count of skills, standardised (per SD)".into(),
            ),
            ("age".into(), "Age (years)".into()),
            ("I(age^2)".into(), "Age squared".into()),
        ];
        let mut add = |var: &CategoricalVar| {
            for level in &var.levels {
                pairs.push((
                    format!("{}::{}", var.name, level.name),
                    format!("{}: {}", variable_name(&var.name), level.label_en),
                ));
            }
        };
        for var in frame.categoricals() {
            add(var);
        }
        for extra in &frame.extras {
            if let ExtraValues::Categorical(c) = &extra.values {
                add(c);
            }
        }
        TermLabels { pairs }
    }

    /// Label of `term` (the term itself when unknown).
    pub fn get(&self, term: &str) -> String {
        self.pairs
            .iter()
            .find(|(t, _)| t == term)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| term.to_string())
    }

    /// All pairs, for the econ crate's tables.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }
}
