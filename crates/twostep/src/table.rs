//! The comparison table: naive, bootstrap and plausible-value inference side by side.

use egov_econ::Regression;
use egov_econ::table::{RegressionTable, TableCell, TableColumn};
use serde::Serialize;

use crate::pv::PvResult;
use crate::resample::BootstrapResult;
use crate::stats::normal_cdf;

/// One coefficient under the three kinds of inference.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InferenceRow {
    /// Term name.
    pub term: String,
    /// Two-step point estimate (regression on the standardised EAP DSI).
    pub estimate: f64,
    /// Naive standard error (treats the DSI as observed data).
    pub naive_se: f64,
    /// Naive confidence interval.
    pub naive_interval: (f64, f64),
    /// Bootstrap standard error.
    pub bootstrap_se: Option<f64>,
    /// Bootstrap percentile interval.
    pub bootstrap_percentile: Option<(f64, f64)>,
    /// Bootstrap bias-corrected interval.
    pub bootstrap_bc: Option<(f64, f64)>,
    /// Rubin-combined plausible-value estimate.
    pub pv_estimate: Option<f64>,
    /// Rubin total standard error.
    pub pv_se: Option<f64>,
    /// t interval with Barnard–Rubin df.
    pub pv_interval: Option<(f64, f64)>,
    /// Fraction of missing information.
    pub pv_fmi: Option<f64>,
    /// Bootstrap SE / naive SE.
    pub se_ratio_bootstrap: Option<f64>,
    /// Plausible-value SE / naive SE.
    pub se_ratio_pv: Option<f64>,
}

/// Comparison of naive, bootstrap and plausible-value inference for every coefficient.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InferenceTable {
    /// Outcome.
    pub outcome: String,
    /// Formula.
    pub formula: String,
    /// Observations of the regression.
    pub n: usize,
    /// Naive variance estimator.
    pub naive_vcov: String,
    /// Confidence level.
    pub conf_level: f64,
    /// Bootstrap method and replicates used, if any.
    pub bootstrap: Option<(String, usize)>,
    /// Plausible values used, if any.
    pub plausible_values: Option<usize>,
    /// How the plausible values were drawn (unconditioned or latent regression).
    pub pv_method: Option<String>,
    /// Rows in term order.
    pub rows: Vec<InferenceRow>,
}

/// Side-by-side table of the naive regression, the bootstrap and the plausible values.
///
/// ```
/// use egov_twostep::{analyse, compare, BootstrapOptions, PvOptions, simulate::{simulate, SimulationSpec}};
/// let sim = simulate(&SimulationSpec { persons: 500, ..SimulationSpec::default() });
/// let data = sim.data("y ~ dsi + urban");
/// let boot = BootstrapOptions { replicates: 19, ..BootstrapOptions::default() };
/// let a = analyse(&data, Some(&boot), Some(&PvOptions { draws: 4, ..PvOptions::default() }), None).unwrap();
/// let t = compare(&a.naive, a.bootstrap.as_ref(), a.plausible_values.as_ref());
/// assert!(t.to_markdown().contains("| dsi |"));
/// assert!(t.to_latex().contains("\\toprule"));
/// assert!(t.to_json().contains("\"bootstrap_se\""));
/// ```
pub fn compare(
    naive: &Regression,
    boot: Option<&BootstrapResult>,
    pv: Option<&PvResult>,
) -> InferenceTable {
    let rows = naive
        .coefficients
        .iter()
        .map(|c| {
            let b = boot.and_then(|b| b.term(&c.term));
            let p = pv.and_then(|p| p.term(&c.term));
            InferenceRow {
                term: c.term.clone(),
                estimate: c.estimate,
                naive_se: c.std_error,
                naive_interval: (c.conf_low, c.conf_high),
                bootstrap_se: b.map(|b| b.std_error),
                bootstrap_percentile: b.and_then(|b| b.percentile_interval),
                bootstrap_bc: b.and_then(|b| b.bc_interval),
                pv_estimate: p.map(|p| p.estimate),
                pv_se: p.map(|p| p.std_error),
                pv_interval: p.map(|p| (p.conf_low, p.conf_high)),
                pv_fmi: p.map(|p| p.fmi),
                se_ratio_bootstrap: b.map(|b| b.std_error / c.std_error),
                se_ratio_pv: p.map(|p| p.std_error / c.std_error),
            }
        })
        .collect();
    InferenceTable {
        outcome: naive.outcome.clone(),
        formula: naive.formula.clone(),
        n: naive.n,
        naive_vcov: naive.vcov.clone(),
        conf_level: naive.conf_level,
        bootstrap: boot.map(|b| (b.method.clone(), b.successful)),
        plausible_values: pv.map(|p| p.draws),
        pv_method: pv.map(|p| p.method.clone()),
        rows,
    }
}

fn num(v: f64) -> String {
    if v.is_finite() && v != 0.0 && v.abs() < 1e-3 {
        // Small coefficients (e.g. on age squared) keep three significant digits.
        format!("{v:.2e}")
    } else if v.is_finite() {
        format!("{v:.4}")
    } else {
        "–".into()
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(String::new, num)
}

fn interval(v: Option<(f64, f64)>) -> String {
    v.map_or_else(String::new, |(a, b)| format!("[{}, {}]", num(a), num(b)))
}

impl InferenceTable {
    /// JSON (pretty-printed).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    fn header(&self) -> Vec<String> {
        let pct = format!("{:.0}%", self.conf_level * 100.0);
        let mut h = vec![
            "Term".to_string(),
            "Estimate".into(),
            "Naive SE".into(),
            format!("Naive {pct} CI"),
        ];
        if self.bootstrap.is_some() {
            h.extend([
                "Bootstrap SE".into(),
                format!("Percentile {pct} CI"),
                format!("BC {pct} CI"),
            ]);
        }
        if self.plausible_values.is_some() {
            h.extend([
                "PV estimate".into(),
                "PV SE".into(),
                format!("PV {pct} CI"),
                "FMI".into(),
            ]);
        }
        h
    }

    fn cells(&self, r: &InferenceRow) -> Vec<String> {
        let mut c = vec![
            r.term.clone(),
            num(r.estimate),
            num(r.naive_se),
            interval(Some(r.naive_interval)),
        ];
        if self.bootstrap.is_some() {
            c.extend([
                opt(r.bootstrap_se),
                interval(r.bootstrap_percentile),
                interval(r.bootstrap_bc),
            ]);
        }
        if self.plausible_values.is_some() {
            c.extend([
                opt(r.pv_estimate),
                opt(r.pv_se),
                interval(r.pv_interval),
                opt(r.pv_fmi),
            ]);
        }
        c
    }

    fn notes(&self) -> Vec<String> {
        let mut n = vec![format!(
            "Outcome: {}; n = {}; naive SE: {} (treats the DSI as observed).",
            self.outcome, self.n, self.naive_vcov
        )];
        if let Some((m, r)) = &self.bootstrap {
            n.push(format!(
                "Bootstrap: {m}, {r} replicates; item model refitted and DSI re-standardised in each."
            ));
        }
        if let Some(m) = self.plausible_values {
            let method = self.pv_method.as_deref().unwrap_or("N(0, 1) prior");
            n.push(format!(
                "Plausible values: {m} draws ({method}), Rubin's rules, Barnard-Rubin df; FMI = fraction of missing information."
            ));
        }
        n
    }

    /// GitHub-flavoured Markdown.
    pub fn to_markdown(&self) -> String {
        let h = self.header();
        let mut s = format!("| {} |\n", h.join(" | "));
        s += &format!(
            "|{}\n",
            h.iter()
                .enumerate()
                .map(|(i, _)| if i == 0 { ":---|" } else { "---:|" })
                .collect::<String>()
        );
        for r in &self.rows {
            s += &format!("| {} |\n", self.cells(r).join(" | "));
        }
        s += "\n";
        for note in self.notes() {
            s += &format!("{note}\n");
        }
        s
    }

    /// LaTeX (booktabs).
    pub fn to_latex(&self) -> String {
        let esc = |t: &str| {
            t.replace('\\', "\\textbackslash{}")
                .replace('_', "\\_")
                .replace('%', "\\%")
                .replace('&', "\\&")
                .replace('#', "\\#")
                .replace('^', "\\^{}")
        };
        let h = self.header();
        let mut s = format!(
            "\\begin{{tabular}}{{l{}}}\n\\toprule\n",
            "r".repeat(h.len() - 1)
        );
        s += &format!(
            "{} \\\\\n\\midrule\n",
            h.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" & ")
        );
        for r in &self.rows {
            s += &format!(
                "{} \\\\\n",
                self.cells(r)
                    .iter()
                    .map(|c| esc(c))
                    .collect::<Vec<_>>()
                    .join(" & ")
            );
        }
        s += "\\bottomrule\n";
        for note in self.notes() {
            s += &format!(
                "\\multicolumn{{{}}}{{l}}{{\\footnotesize {}}} \\\\\n",
                h.len(),
                esc(&note)
            );
        }
        s += "\\end{tabular}\n";
        s
    }

    /// The three kinds of inference as columns of the econ crate's publication table
    /// (estimate, SE in parentheses, stars from normal or t(df) p-values).
    pub fn to_regression_table(&self) -> RegressionTable {
        let mut t = RegressionTable::new();
        let p_normal = |est: f64, se: f64| 2.0 * (1.0 - normal_cdf((est / se).abs()));
        let column = |title: &str, cells: Vec<TableCell>, vcov: &str| TableColumn {
            title: title.into(),
            cells,
            n: self.n,
            fit: None,
            vcov: vcov.into(),
            n_clusters: None,
            reference_levels: vec![],
        };
        t.push(column(
            "Naive",
            self.rows
                .iter()
                .map(|r| TableCell {
                    term: r.term.clone(),
                    estimate: r.estimate,
                    std_error: r.naive_se,
                    p_value: p_normal(r.estimate, r.naive_se),
                })
                .collect(),
            &self.naive_vcov,
        ));
        if self.bootstrap.is_some() {
            t.push(column(
                "Two-step bootstrap",
                self.rows
                    .iter()
                    .filter_map(|r| {
                        r.bootstrap_se.map(|se| TableCell {
                            term: r.term.clone(),
                            estimate: r.estimate,
                            std_error: se,
                            p_value: p_normal(r.estimate, se),
                        })
                    })
                    .collect(),
                "bootstrap",
            ));
        }
        if self.plausible_values.is_some() {
            t.push(column(
                "Plausible values",
                self.rows
                    .iter()
                    .filter_map(|r| {
                        Some(TableCell {
                            term: r.term.clone(),
                            estimate: r.pv_estimate?,
                            std_error: r.pv_se?,
                            p_value: p_normal(r.pv_estimate?, r.pv_se?),
                        })
                    })
                    .collect(),
                "Rubin",
            ));
        }
        t.notes = self.notes();
        t
    }
}
