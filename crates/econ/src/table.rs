//! Publication tables: several models side by side, as esttab / modelsummary produce.
//!
//! ```
//! use egov_econ::{Frame, lpm, logit, EstimateOptions};
//! use egov_econ::table::{RegressionTable, TableColumn};
//! let mut f = Frame::new();
//! let x: Vec<f64> = (0..100).map(|i| (i % 10) as f64).collect();
//! let y: Vec<f64> = (0..100).map(|i| if (i % 10) + (i % 7) > 8 { 1.0 } else { 0.0 }).collect();
//! f.push_numeric("x", x).unwrap();
//! f.push_numeric("y", y).unwrap();
//! let opts = EstimateOptions::default();
//! let mut t = RegressionTable::new();
//! t.push(TableColumn::from_regression("LPM", &lpm("y ~ x", &f, &opts).unwrap()));
//! t.push(TableColumn::from_ame("Logit AME", &logit("y ~ x", &f, &opts).unwrap()));
//! let md = t.to_markdown();
//! assert!(md.contains("| x |") && md.contains("Logit AME"));
//! assert!(t.to_latex().contains("\\toprule"));
//! ```

use crate::binary::BinaryChoice;
use crate::regression::Regression;
use serde::Serialize;

/// One cell of a table column: estimate, standard error and p-value of a term.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TableCell {
    /// Term name.
    pub term: String,
    /// Point estimate.
    pub estimate: f64,
    /// Standard error.
    pub std_error: f64,
    /// p-value (for the stars).
    pub p_value: f64,
}

/// One model column of a [`RegressionTable`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TableColumn {
    /// Column heading.
    pub title: String,
    /// Coefficient (or marginal-effect) cells.
    pub cells: Vec<TableCell>,
    /// Observations.
    pub n: usize,
    /// Goodness-of-fit label and value (`R²`, `Pseudo R²`).
    pub fit: Option<(String, f64)>,
    /// Variance estimator label.
    pub vcov: String,
    /// Clusters per dimension.
    pub n_clusters: Option<Vec<usize>>,
    /// Reference levels of categorical variables.
    pub reference_levels: Vec<(String, String)>,
}

impl TableColumn {
    /// A column from a linear model (OLS/WLS/LPM).
    pub fn from_regression(title: &str, r: &Regression) -> Self {
        TableColumn {
            title: title.into(),
            cells: r
                .coefficients
                .iter()
                .map(|c| TableCell {
                    term: c.term.clone(),
                    estimate: c.estimate,
                    std_error: c.std_error,
                    p_value: c.p_value,
                })
                .collect(),
            n: r.n,
            fit: Some(("R²".into(), r.r2)),
            vcov: r.vcov.clone(),
            n_clusters: r.n_clusters.clone(),
            reference_levels: r.reference_levels.clone(),
        }
    }
    /// A column of average marginal effects from a logit/probit (comparable with an LPM).
    pub fn from_ame(title: &str, m: &BinaryChoice) -> Self {
        let mut c = Self::from_index(title, m);
        c.cells = m
            .ame
            .iter()
            .map(|c| TableCell {
                term: c.term.clone(),
                estimate: c.estimate,
                std_error: c.std_error,
                p_value: c.p_value,
            })
            .collect();
        c
    }
    /// A column of logit/probit index coefficients.
    pub fn from_index(title: &str, m: &BinaryChoice) -> Self {
        TableColumn {
            title: title.into(),
            cells: m
                .coefficients
                .iter()
                .map(|c| TableCell {
                    term: c.term.clone(),
                    estimate: c.estimate,
                    std_error: c.std_error,
                    p_value: c.p_value,
                })
                .collect(),
            n: m.n,
            fit: Some(("Pseudo R²".into(), m.pseudo_r2)),
            vcov: m.vcov.clone(),
            n_clusters: m.n_clusters.clone(),
            reference_levels: m.reference_levels.clone(),
        }
    }
}

/// Several models side by side: coefficients with standard errors in parentheses below,
/// significance stars, N, fit, variance estimator, clusters and reference categories.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RegressionTable {
    /// Optional caption.
    pub title: Option<String>,
    /// Model columns.
    pub columns: Vec<TableColumn>,
    /// Decimal places.
    pub digits: usize,
    /// Star thresholds, most lenient first: default `* p<0.1, ** p<0.05, *** p<0.01`.
    pub stars: Vec<(f64, String)>,
    /// Display labels for terms (`("dsi", "Digital Skills Index")`).
    pub labels: Vec<(String, String)>,
    /// Extra notes printed under the table.
    pub notes: Vec<String>,
}

impl Default for RegressionTable {
    fn default() -> Self {
        RegressionTable {
            title: None,
            columns: vec![],
            digits: 3,
            stars: vec![(0.1, "*".into()), (0.05, "**".into()), (0.01, "***".into())],
            labels: vec![],
            notes: vec![],
        }
    }
}

/// Rows of a rendered table, format-independent.
struct Layout {
    header: Vec<String>,
    body: Vec<(String, Vec<String>, Vec<String>)>,
    footer: Vec<(String, Vec<String>)>,
    notes: Vec<String>,
}

impl RegressionTable {
    /// An empty table with three decimals and the usual economics stars.
    pub fn new() -> Self {
        Self::default()
    }
    /// Appends a model column.
    pub fn push(&mut self, column: TableColumn) -> &mut Self {
        self.columns.push(column);
        self
    }

    fn stars_for(&self, p: f64) -> &str {
        let mut s = "";
        for (threshold, mark) in &self.stars {
            if p < *threshold {
                s = mark;
            }
        }
        s
    }

    fn label(&self, term: &str) -> String {
        self.labels
            .iter()
            .find(|(t, _)| t == term)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| term.to_string())
    }

    fn layout(&self) -> Layout {
        let d = self.digits;
        let mut terms: Vec<String> = Vec::new();
        for c in &self.columns {
            for cell in &c.cells {
                if !terms.contains(&cell.term) {
                    terms.push(cell.term.clone());
                }
            }
        }
        let body = terms
            .iter()
            .map(|t| {
                let mut est = Vec::new();
                let mut se = Vec::new();
                for c in &self.columns {
                    match c.cells.iter().find(|x| &x.term == t) {
                        Some(x) => {
                            est.push(format!("{:.d$}{}", x.estimate, self.stars_for(x.p_value)));
                            se.push(if x.std_error.is_finite() {
                                format!("({:.d$})", x.std_error)
                            } else {
                                "(—)".into()
                            });
                        }
                        None => {
                            est.push(String::new());
                            se.push(String::new());
                        }
                    }
                }
                (self.label(t), est, se)
            })
            .collect();
        let mut footer = vec![(
            "N".to_string(),
            self.columns.iter().map(|c| c.n.to_string()).collect(),
        )];
        let mut fit_labels: Vec<String> = Vec::new();
        for c in &self.columns {
            if let Some((l, _)) = &c.fit
                && !fit_labels.contains(l)
            {
                fit_labels.push(l.clone());
            }
        }
        for l in fit_labels {
            footer.push((
                l.clone(),
                self.columns
                    .iter()
                    .map(|c| match &c.fit {
                        Some((cl, v)) if *cl == l && v.is_finite() => format!("{v:.d$}"),
                        _ => String::new(),
                    })
                    .collect(),
            ));
        }
        footer.push((
            "Std. errors".into(),
            self.columns.iter().map(|c| c.vcov.clone()).collect(),
        ));
        if self.columns.iter().any(|c| c.n_clusters.is_some()) {
            footer.push((
                "Clusters".into(),
                self.columns
                    .iter()
                    .map(|c| {
                        c.n_clusters
                            .as_ref()
                            .map(|v| {
                                v.iter()
                                    .map(|g| g.to_string())
                                    .collect::<Vec<_>>()
                                    .join(" × ")
                            })
                            .unwrap_or_default()
                    })
                    .collect(),
            ));
        }
        let mut refs: Vec<(String, String)> = Vec::new();
        for c in &self.columns {
            for r in &c.reference_levels {
                if !refs.contains(r) {
                    refs.push(r.clone());
                }
            }
        }
        let mut notes = vec![format!(
            "Standard errors in parentheses. {}",
            self.stars
                .iter()
                .map(|(p, m)| format!("{m} p<{p}"))
                .collect::<Vec<_>>()
                .join(", ")
        )];
        if !refs.is_empty() {
            notes.push(format!(
                "Reference categories: {}.",
                refs.iter()
                    .map(|(v, l)| format!("{v} = {l}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        notes.extend(self.notes.iter().cloned());
        Layout {
            header: self.columns.iter().map(|c| c.title.clone()).collect(),
            body,
            footer,
            notes,
        }
    }

    /// GitHub-flavoured Markdown.
    pub fn to_markdown(&self) -> String {
        let l = self.layout();
        let mut s = String::new();
        if let Some(t) = &self.title {
            s.push_str(&format!("**{t}**\n\n"));
        }
        s.push_str(&format!("| | {} |\n", l.header.join(" | ")));
        s.push_str(&format!("|:--|{}\n", "--:|".repeat(l.header.len())));
        for (term, est, se) in &l.body {
            s.push_str(&format!("| {term} | {} |\n", est.join(" | ")));
            s.push_str(&format!("| | {} |\n", se.join(" | ")));
        }
        for (label, vals) in &l.footer {
            s.push_str(&format!("| {label} | {} |\n", vals.join(" | ")));
        }
        s.push('\n');
        for n in &l.notes {
            s.push_str(&format!("{n}\n"));
        }
        s
    }

    /// LaTeX `tabular` with booktabs rules.
    pub fn to_latex(&self) -> String {
        let l = self.layout();
        let esc = latex_escape;
        let mut s = String::new();
        if let Some(t) = &self.title {
            s.push_str(&format!("% {}\n", esc(t)));
        }
        s.push_str(&format!(
            "\\begin{{tabular}}{{l{}}}\n\\toprule\n",
            "c".repeat(l.header.len())
        ));
        s.push_str(&format!(
            " & {} \\\\\n\\midrule\n",
            l.header
                .iter()
                .map(|h| esc(h))
                .collect::<Vec<_>>()
                .join(" & ")
        ));
        for (term, est, se) in &l.body {
            let est: Vec<String> = est.iter().map(|e| latex_stars(&esc(e))).collect();
            s.push_str(&format!("{} & {} \\\\\n", esc(term), est.join(" & ")));
            s.push_str(&format!(" & {} \\\\\n", se.join(" & ")));
        }
        s.push_str("\\midrule\n");
        for (label, vals) in &l.footer {
            let label = if label == "R²" {
                "$R^2$".to_string()
            } else if label == "Pseudo R²" {
                "Pseudo $R^2$".into()
            } else {
                esc(label)
            };
            s.push_str(&format!(
                "{label} & {} \\\\\n",
                vals.iter().map(|v| esc(v)).collect::<Vec<_>>().join(" & ")
            ));
        }
        s.push_str("\\bottomrule\n");
        for n in &l.notes {
            s.push_str(&format!(
                "\\multicolumn{{{}}}{{l}}{{\\footnotesize {}}} \\\\\n",
                l.header.len() + 1,
                esc(n)
            ));
        }
        s.push_str("\\end{tabular}\n");
        s
    }

    /// Fixed-width plain text for terminals.
    pub fn to_text(&self) -> String {
        let l = self.layout();
        let mut rows: Vec<Vec<String>> = vec![
            std::iter::once(String::new())
                .chain(l.header.clone())
                .collect(),
        ];
        let sep_after_header = rows.len();
        for (term, est, se) in &l.body {
            rows.push(std::iter::once(term.clone()).chain(est.clone()).collect());
            rows.push(std::iter::once(String::new()).chain(se.clone()).collect());
        }
        let sep_before_footer = rows.len();
        for (label, vals) in &l.footer {
            rows.push(std::iter::once(label.clone()).chain(vals.clone()).collect());
        }
        let ncol = rows[0].len();
        let width: Vec<usize> = (0..ncol)
            .map(|j| rows.iter().map(|r| r[j].chars().count()).max().unwrap_or(0))
            .collect();
        let total: usize = width.iter().sum::<usize>() + 2 * (ncol - 1);
        let rule = "-".repeat(total);
        let mut s = String::new();
        if let Some(t) = &self.title {
            s.push_str(&format!("{t}\n"));
        }
        s.push_str(&format!("{}\n", "=".repeat(total)));
        for (i, r) in rows.iter().enumerate() {
            if i == sep_after_header || i == sep_before_footer {
                s.push_str(&format!("{rule}\n"));
            }
            let cells: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    let pad = width[j] - c.chars().count();
                    if j == 0 {
                        format!("{c}{}", " ".repeat(pad))
                    } else {
                        format!("{}{c}", " ".repeat(pad))
                    }
                })
                .collect();
            s.push_str(&format!("{}\n", cells.join("  ").trim_end()));
        }
        s.push_str(&format!("{}\n", "=".repeat(total)));
        for n in &l.notes {
            s.push_str(&format!("{n}\n"));
        }
        s
    }
}

fn latex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '²' => out.push_str("$^2$"),
            '—' => out.push_str("---"),
            '×' => out.push_str("$\\times$"),
            _ => out.push(c),
        }
    }
    out
}

/// Puts trailing stars in a superscript.
fn latex_stars(cell: &str) -> String {
    let stars = cell.chars().rev().take_while(|c| *c == '*').count();
    if stars == 0 {
        cell.to_string()
    } else {
        format!(
            "{}$^{{{}}}$",
            &cell[..cell.len() - stars],
            "*".repeat(stars)
        )
    }
}
