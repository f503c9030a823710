//! Renderers of a model run: terminal text, tidy CSV, and the side-by-side table.

use super::BinaryModel;
use crate::dataset::DataInfo;
use egov_econ::table::{RegressionTable, TableColumn};
use egov_econ::{BinaryChoice, Coefficient, Regression, WaldTest};
use serde_json::Value;
use std::fmt::Write as _;

/// Appends tidy CSV lines with a leading model column; numbers keep full precision (17
/// significant digits), undefined ones are `NA`, as in `egov_econ`'s own tidy output.
pub(crate) fn append_tidy(out: &mut String, model: &str, coefficients: &[Coefficient]) {
    let num = |v: f64| {
        if v.is_finite() {
            format!("{v:.17e}")
        } else {
            "NA".into()
        }
    };
    for c in coefficients {
        let term = if c.term.contains([',', '"']) {
            format!("\"{}\"", c.term.replace('"', "\"\""))
        } else {
            c.term.clone()
        };
        let _ = writeln!(
            out,
            "{model},{term},{},{},{},{},{},{}",
            num(c.estimate),
            num(c.std_error),
            num(c.statistic),
            num(c.p_value),
            num(c.conf_low),
            num(c.conf_high)
        );
    }
}

fn test_note(t: &WaldTest) -> String {
    format!(
        "Wald test {}: F({}, {}) = {:.3}, p = {}",
        t.hypothesis,
        t.q,
        fmt_df(t.df_denominator),
        t.f,
        p_value(t.f_p_value)
    )
}

fn fmt_df(df: f64) -> String {
    if df.is_finite() {
        format!("{df:.0}")
    } else {
        "∞".into()
    }
}

pub(crate) fn side_by_side(
    title: &str,
    fit: &Regression,
    extra: &[(BinaryModel, BinaryChoice)],
    tests: &[WaldTest],
    synthetic: bool,
) -> RegressionTable {
    let mut table = RegressionTable::new();
    table.push(TableColumn::from_regression(title, fit));
    for (name, m) in extra {
        let heading = name.ame_heading();
        table.push(TableColumn::from_ame(heading, m));
    }
    if let Some(out) = &fit.fitted_outside_unit_interval {
        table.notes.push(format!(
            "LPM fitted values outside [0, 1]: {} ({:.1}%).",
            out.count,
            100.0 * out.share
        ));
    }
    if fit.dropped_rows > 0 {
        table.notes.push(format!(
            "Rows dropped (missing values or zero weight): {}.",
            fit.dropped_rows
        ));
    }
    for t in tests {
        table.notes.push(format!("{}.", test_note(t)));
    }
    if synthetic {
        table.notes.push(
            "SYNTHETIC data: a replica drawn from published margins, not real microdata.".into(),
        );
    }
    table
}

pub(crate) fn num(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        "–".into()
    }
}

fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "–".into()
    } else if p < 1e-4 {
        "<0.0001".into()
    } else {
        format!("{p:.4}")
    }
}

pub(crate) fn render_text(
    title: &str,
    fit: &Regression,
    extra: &[(BinaryModel, BinaryChoice)],
    tests: &[WaldTest],
    data: &DataInfo,
    dsi: &Value,
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{title}: {}{}",
        fit.formula,
        fit.weights
            .as_ref()
            .map_or(String::new(), |w| format!("   [weights: {w}]"))
    );
    let _ = writeln!(
        s,
        "data: {}{}",
        data.path.display(),
        if data.synthetic {
            " (SYNTHETIC replica, not real microdata)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "n = {}, k = {}, residual df = {}, R² = {:.4}, adjusted R² = {:.4}",
        fit.n,
        fit.k,
        fmt_df(fit.df_resid),
        fit.r2,
        fit.adj_r2
    );
    let clusters = fit.n_clusters.as_ref().map_or(String::new(), |c| {
        format!(
            ", clusters: {}",
            c.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(" × ")
        )
    });
    let _ = writeln!(s, "variance: {}{clusters}", fit.vcov);
    if fit.dropped_rows > 0 {
        let detail: Vec<String> = fit
            .dropped_detail
            .missing_by_column
            .iter()
            .map(|(c, n)| format!("{n} missing {c}"))
            .chain(
                (fit.dropped_detail.zero_weight > 0)
                    .then(|| format!("{} zero weight", fit.dropped_detail.zero_weight)),
            )
            .collect();
        let _ = writeln!(
            s,
            "dropped rows: {} ({})",
            fit.dropped_rows,
            detail.join(", ")
        );
    }
    if !dsi.is_null() {
        let _ = writeln!(
            s,
            "dsi: 2PL EAP, standardised{}, computed from {} items; {} row(s) without an answered item",
            if dsi["weighted"].as_bool() == Some(true) {
                " (weighted)"
            } else {
                ""
            },
            dsi["items"].as_array().map_or(0, Vec::len),
            dsi["n_unscored"]
        );
    }
    let _ = writeln!(s);
    let width = fit
        .coefficients
        .iter()
        .map(|c| c.term.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let stat = if fit.t_distribution { "t" } else { "z" };
    let level = format!("{:.0}% CI", 100.0 * fit.conf_level);
    let _ = writeln!(
        s,
        "{:<width$}  {:>10} {:>10} {:>8} {:>8}  {:>21}",
        "term", "estimate", "std.error", stat, "p", level
    );
    for c in &fit.coefficients {
        let _ = writeln!(
            s,
            "{:<width$}  {:>10} {:>10} {:>8} {:>8}  [{:>9}, {:>9}]",
            c.term,
            num(c.estimate, 5),
            num(c.std_error, 5),
            num(c.statistic, 2),
            p_value(c.p_value),
            num(c.conf_low, 5),
            num(c.conf_high, 5),
        );
    }
    if !fit.reference_levels.is_empty() {
        let refs: Vec<String> = fit
            .reference_levels
            .iter()
            .map(|(v, l)| format!("{v} = {l}"))
            .collect();
        let _ = writeln!(s, "reference levels: {}", refs.join(", "));
    }
    if let Some(out) = &fit.fitted_outside_unit_interval {
        let _ = writeln!(
            s,
            "fitted values outside [0, 1]: {} ({:.2}%)",
            out.count,
            100.0 * out.share
        );
    }
    if !fit.collinear_terms.is_empty() {
        let _ = writeln!(
            s,
            "collinear terms dropped: {}",
            fit.collinear_terms.join(", ")
        );
    }
    for t in tests {
        let _ = writeln!(
            s,
            "{}; χ²({}) = {:.3}, p = {}",
            test_note(t),
            t.q,
            t.chi2,
            p_value(t.chi2_p_value)
        );
    }
    for w in &fit.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    if !extra.is_empty() {
        let _ = writeln!(s, "\nLPM beside average marginal effects:");
        s.push_str(&side_by_side(title, fit, extra, &[], data.synthetic).to_text());
        for (name, m) in extra {
            for w in &m.warnings {
                let _ = writeln!(s, "warning ({}): {w}", name.name());
            }
        }
    }
    s
}
