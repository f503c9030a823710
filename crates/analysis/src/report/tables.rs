//! Every table of the report, each written to `tables/` as Markdown, LaTeX and CSV.

use super::document::Table;
use super::labels::{TermLabels, variable_name};
use crate::pipeline::Analysis;
use crate::pipeline::descriptive::GroupTable;
use egov_econ::table::{RegressionTable, TableColumn};
use egov_econ::{BinaryChoice, Coefficient, Regression};
use std::fmt::Write;

/// One table in its three file formats plus its display form for the report.
pub struct TableFile {
    /// File stem under `tables/`.
    pub name: String,
    /// What the report shows.
    pub display: Table,
    /// `tables/<name>.md`.
    pub markdown: String,
    /// `tables/<name>.tex`.
    pub latex: String,
    /// `tables/<name>.csv`.
    pub csv: String,
}

impl TableFile {
    fn plain(name: &str, table: Table) -> Self {
        TableFile {
            name: name.into(),
            markdown: table.to_markdown(),
            latex: table.to_latex(),
            csv: table.to_csv(),
            display: table,
        }
    }
}

/// Number with `d` decimals; an en dash for undefined numbers.
pub fn num(x: f64, d: usize) -> String {
    if x.is_finite() {
        let s = format!("{x:.d$}");
        // Avoid "-0.000".
        if s.trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            s.trim_start_matches('-').to_string()
        } else {
            s
        }
    } else {
        "–".into()
    }
}

/// An integer with thousands separators (56,649).
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage with one decimal.
pub fn pct(x: f64) -> String {
    num(100.0 * x, 1)
}

/// A p-value: three decimals, or "<0.001".
pub fn pval(p: f64) -> String {
    if !p.is_finite() {
        "–".into()
    } else if p < 0.001 {
        "<0.001".into()
    } else {
        format!("{p:.3}")
    }
}

fn stars(p: f64) -> &'static str {
    if p < 0.01 {
        "***"
    } else if p < 0.05 {
        "**"
    } else if p < 0.1 {
        "*"
    } else {
        ""
    }
}

/// Data summary: N, weighted shares and missing counts of every mapped variable.
fn data_summary(a: &Analysis) -> TableFile {
    let v = &a.data.validation;
    let mut rows = Vec::new();
    let name = |var: &str| -> String {
        match egov_survey::ITEM_NAMES.iter().position(|n| *n == var) {
            Some(p) => format!("Skill: {}", egov_survey::ITEM_LABELS[p].0),
            None if var == "egov" => "Used e-government services via the Internet".into(),
            None => variable_name(var),
        }
    };
    for s in &v.summary {
        if s.variable == "weight" {
            continue;
        }
        if s.kind == "numeric" {
            rows.push(vec![
                name(&s.variable),
                "mean (weighted)".into(),
                s.weighted_mean.map_or("–".into(), |m| num(m, 1)),
                s.missing.to_string(),
            ]);
        } else if s.kind == "categorical" || s.kind == "binary" {
            for l in &s.levels {
                rows.push(vec![
                    name(&s.variable),
                    l.label.clone(),
                    pct(l.weighted_share),
                    s.missing.to_string(),
                ]);
            }
        }
    }
    TableFile::plain(
        "data_summary",
        Table {
            caption: format!(
                "Data summary: {} respondents (weighted shares among non-missing answers, %)",
                count(a.data.frame.n_rows())
            ),
            header: vec![
                "Variable".into(),
                "Level".into(),
                "Weighted share, % (or mean)".into(),
                "Missing".into(),
            ],
            rows,
            numeric: vec![false, false, true, true],
            notes: vec![format!(
                "{} validation warning(s); missing values are never recoded and are counted here.",
                v.warnings.len()
            )],
        },
    )
}

fn dsi_items(a: &Analysis) -> TableFile {
    let fit = &a.dsi.fit;
    let labels = egov_survey::ITEM_LABELS;
    let k = a.data.frame.n_items();
    let yes_share = |j: usize| {
        let (mut yes, mut answered, mut w_yes, mut w_all) = (0usize, 0usize, 0.0, 0.0);
        for i in 0..a.data.frame.n_rows() {
            let y = a.data.frame.items[i * k + j];
            if y != egov_survey::MISSING {
                answered += 1;
                w_all += a.data.frame.weight[i];
                if y == 1 {
                    yes += 1;
                    w_yes += a.data.frame.weight[i];
                }
            }
        }
        (
            yes,
            answered,
            if w_all > 0.0 { w_yes / w_all } else { f64::NAN },
        )
    };
    let rows = fit
        .items
        .iter()
        .enumerate()
        .map(|(j, it)| {
            let label = egov_survey::ITEM_NAMES
                .iter()
                .position(|n| *n == it.name)
                .map_or(it.name.clone(), |p| labels[p].0.to_string());
            let (_, answered, share) = yes_share(j);
            let sx2 = a
                .dsi
                .item_fit
                .as_ref()
                .and_then(|f| f.items.iter().find(|s| s.item == it.name));
            vec![
                (j + 1).to_string(),
                it.name.clone(),
                label,
                pct(share),
                (a.data.frame.n_rows() - answered).to_string(),
                num(it.a, 3),
                it.a_se.map_or("–".into(), |s| num(s, 3)),
                num(it.b, 3),
                it.b_se.map_or("–".into(), |s| num(s, 3)),
                sx2.map_or("–".into(), |s| format!("{} ({})", num(s.s_x2, 1), s.df)),
                sx2.and_then(|s| s.p_value).map_or("–".into(), pval),
            ]
        })
        .collect();
    TableFile::plain(
        "dsi_items",
        Table {
            caption: format!(
                "Digital Skills Index: {} item parameters (slope a, difficulty b)",
                if fit.model == egov_irt::Model::OnePl { "1PL" } else { "2PL" }
            ),
            header: [
                "#", "Item", "Skill", "Yes, % (weighted)", "Missing", "a", "SE(a)", "b", "SE(b)",
                "S-X² (df)", "p",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            numeric: vec![true, false, false, true, true, true, true, true, true, true, true],
            notes: vec![
                "P(yes | θ) = 1 / (1 + exp(−a(θ − b))), θ ~ N(0, 1); marginal maximum likelihood; standard errors from the observed information. S-X²: Orlando–Thissen item fit on complete response patterns.".into(),
            ],
        },
    )
}

fn dsi_fit(a: &Analysis) -> TableFile {
    let f = &a.dsi.fit;
    let d = &a.dsi;
    let rows: Vec<Vec<String>> = vec![
        vec!["Respondents scored".into(), f.n_respondents.to_string()],
        vec![
            "Respondents without any answered item (no DSI)".into(),
            d.n_unscored.to_string(),
        ],
        vec![
            "Distinct response patterns".into(),
            f.n_patterns.to_string(),
        ],
        vec!["Log-likelihood".into(), num(f.loglik, 1)],
        vec!["AIC".into(), num(f.aic, 1)],
        vec!["BIC".into(), num(f.bic, 1)],
        vec!["Free parameters".into(), f.n_parameters.to_string()],
        vec![
            "Converged".into(),
            if f.converged {
                "yes".into()
            } else {
                "NO".into()
            },
        ],
        vec![
            "Iterations (EM + Newton)".into(),
            format!("{} + {}", f.em_iterations, f.newton_iterations),
        ],
        vec![
            "Largest |gradient|".into(),
            format!("{:.1e}", f.max_abs_gradient),
        ],
        vec![
            "Marginal reliability of EAP".into(),
            d.reliability.map_or("–".into(), |r| num(r, 3)),
        ],
        vec![
            "Correlation of EAP with the count of skills".into(),
            d.count_correlation.map_or("–".into(), |r| num(r, 3)),
        ],
        vec![
            "EAP mean and SD before standardising".into(),
            format!(
                "{} / {}",
                num(d.standardisation.0, 3),
                num(d.standardisation.1, 3)
            ),
        ],
        vec![
            "Calibration weighted".into(),
            if d.weighted {
                "yes (sampling weight)".into()
            } else {
                "no".into()
            },
        ],
    ];
    let mut notes = Vec::new();
    for w in &f.warnings {
        notes.push(format!("Warning: {w}"));
    }
    TableFile::plain(
        "dsi_fit",
        Table {
            caption: "Digital Skills Index: model fit".into(),
            header: vec!["Statistic".into(), "Value".into()],
            rows,
            numeric: vec![false, true],
            notes,
        },
    )
}

fn group_table(a: &Analysis, t: &GroupTable) -> TableFile {
    let two_way = t.rows.iter().any(|r| r.series.is_some());
    let mut header = vec![variable_name(&t.variable)];
    if two_way {
        header = vec!["Age group".into(), "Area".into()];
    }
    header.extend(["N", "Uptake, %", "95% CI", "Mean DSI", "95% CI (DSI)"].map(String::from));
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![format!(
                "{}{}",
                r.label.en,
                if r.city { " (city)" } else { "" }
            )];
            if let Some(s) = &r.series {
                row.push(s.en.clone());
            }
            row.extend([
                r.uptake.n.to_string(),
                pct(r.uptake.estimate),
                format!("{} to {}", pct(r.uptake.conf_low), pct(r.uptake.conf_high)),
                num(r.dsi.estimate, 2),
                format!("{} to {}", num(r.dsi.conf_low, 2), num(r.dsi.conf_high, 2)),
            ]);
            row
        })
        .collect();
    let d = &a.descriptives;
    let lead = if two_way { 2 } else { 1 };
    let mut numeric = vec![false; lead];
    numeric.extend([true; 5]);
    let title = match t.name.as_str() {
        "by_region" => "E-government uptake and digital skills by region".to_string(),
        "by_age_urban" => {
            "E-government uptake and digital skills by age group and area".to_string()
        }
        _ => format!(
            "E-government uptake and digital skills by {}",
            variable_name(&t.variable).to_lowercase()
        ),
    };
    TableFile::plain(
        &t.name,
        Table {
            caption: title,
            header,
            rows,
            numeric,
            notes: vec![format!(
                "Weighted means; {:.0}% confidence intervals, {}. Uptake: share who used government services via the Internet. DSI: standardised Digital Skills Index. N: respondents with an answer. Missing: outcome {}, DSI {}, grouping variable {}.",
                100.0 * d.conf_level,
                d.design,
                d.missing_outcome,
                d.missing_dsi,
                t.missing_group
            )],
        },
    )
}

fn coefficient_rows(coefs: &[Coefficient], labels: &TermLabels) -> Vec<Vec<String>> {
    coefs
        .iter()
        .map(|c| {
            vec![
                c.term.clone(),
                labels.get(&c.term),
                num(c.estimate, 3),
                num(c.std_error, 3),
                format!("{} to {}", num(c.conf_low, 3), num(c.conf_high, 3)),
                pval(c.p_value),
            ]
        })
        .collect()
}

/// The main LPM: one row per term.
fn lpm_table(a: &Analysis, labels: &TermLabels) -> TableFile {
    let m = &a.models.main;
    let mut table = Table {
        caption: format!(
            "Linear probability model of e-government use: {}",
            m.formula
        ),
        header: ["Term", "Label", "Estimate", "SE", "95% CI", "p"]
            .map(String::from)
            .to_vec(),
        rows: coefficient_rows(&m.coefficients, labels),
        numeric: vec![false, false, true, true, true, true],
        notes: vec![],
    };
    table.notes.push(format!(
        "N = {}; R² = {}; standard errors: {}{}; rows dropped for missing values: {}{}.",
        m.n,
        num(m.r2, 3),
        m.vcov,
        m.n_clusters
            .as_ref()
            .map(|c| format!(
                " ({} clusters)",
                c.iter()
                    .map(|g| g.to_string())
                    .collect::<Vec<_>>()
                    .join(" × ")
            ))
            .unwrap_or_default(),
        m.dropped_rows,
        if m.dropped_detail.missing_by_column.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                m.dropped_detail
                    .missing_by_column
                    .iter()
                    .map(|(c, n)| format!("{c}: {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    ));
    table.notes.push(format!(
        "Reference categories: {}.",
        m.reference_levels
            .iter()
            .map(|(v, l)| format!("{v} = {l}"))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    if let Some(o) = &m.fitted_outside_unit_interval {
        table.notes.push(format!(
            "Fitted probabilities outside [0, 1]: {} ({}%).",
            o.count,
            pct(o.share)
        ));
    }
    for w in &m.warnings {
        table.notes.push(format!("Warning: {w}"));
    }
    let mut reg = RegressionTable::new();
    reg.title = Some("Linear probability model of e-government use".into());
    reg.labels = labels.pairs().to_vec();
    reg.push(TableColumn::from_regression("LPM", m));
    TableFile {
        name: "lpm".into(),
        markdown: table.to_markdown(),
        latex: reg.to_latex(),
        csv: m.tidy_csv(),
        display: table,
    }
}

enum Model<'a> {
    Linear(&'a Regression),
    Ame(&'a BinaryChoice),
}

/// The main model beside the robustness checks.
fn robustness_table(a: &Analysis, labels: &TermLabels) -> Option<TableFile> {
    let m = &a.models;
    let mut models: Vec<(String, Model)> = vec![("LPM".into(), Model::Linear(&m.main))];
    if let Some((_, r)) = &m.count_index {
        models.push(("LPM, count index".into(), Model::Linear(r)));
    }
    if let Some((_, r)) = &m.no_dsi {
        models.push(("LPM, no DSI".into(), Model::Linear(r)));
    }
    if let Some(r) = &m.logit {
        models.push(("Logit AME".into(), Model::Ame(r)));
    }
    if let Some(r) = &m.probit {
        models.push(("Probit AME".into(), Model::Ame(r)));
    }
    if models.len() < 2 {
        return None;
    }
    let coefs = |model: &Model| -> Vec<Coefficient> {
        match model {
            Model::Linear(r) => r.coefficients.clone(),
            Model::Ame(b) => b.ame.clone(),
        }
    };
    let mut terms: Vec<String> = Vec::new();
    for (_, model) in &models {
        for c in coefs(model) {
            if c.term != "(Intercept)" && !terms.contains(&c.term) {
                terms.push(c.term);
            }
        }
    }
    let mut header = vec!["Term".to_string()];
    header.extend(models.iter().map(|(t, _)| t.clone()));
    let mut rows = Vec::new();
    for term in &terms {
        let mut row = vec![labels.get(term)];
        for (_, model) in &models {
            row.push(
                coefs(model)
                    .iter()
                    .find(|c| &c.term == term)
                    .map(|c| {
                        format!(
                            "{}{} ({})",
                            num(c.estimate, 3),
                            stars(c.p_value),
                            num(c.std_error, 3)
                        )
                    })
                    .unwrap_or_default(),
            );
        }
        rows.push(row);
    }
    let mut n_row = vec!["N".to_string()];
    let mut fit_row = vec!["R² / pseudo R²".to_string()];
    for (_, model) in &models {
        match model {
            Model::Linear(r) => {
                n_row.push(r.n.to_string());
                fit_row.push(num(r.r2, 3));
            }
            Model::Ame(b) => {
                n_row.push(b.n.to_string());
                fit_row.push(num(b.pseudo_r2, 3));
            }
        }
    }
    rows.push(n_row);
    rows.push(fit_row);
    let mut numeric = vec![false];
    numeric.extend(vec![true; models.len()]);
    let display = Table {
        caption: "Robustness: the LPM beside the count index, the model without the DSI, and logit/probit average marginal effects".into(),
        header,
        rows,
        numeric,
        notes: vec![format!(
            "Estimate (standard error); * p<0.1, ** p<0.05, *** p<0.01. Standard errors: {}. Logit/probit columns are average marginal effects (discrete changes for categories).",
            m.main.vcov
        )],
    };
    let mut reg = RegressionTable::new();
    reg.title = Some(display.caption.clone());
    reg.labels = labels.pairs().to_vec();
    let mut csv =
        String::from("model,term,estimate,std_error,statistic,p_value,conf_low,conf_high\n");
    for (title, model) in &models {
        reg.push(match model {
            Model::Linear(r) => TableColumn::from_regression(title, r),
            Model::Ame(b) => TableColumn::from_ame(title, b),
        });
        for c in coefs(model) {
            let _ = writeln!(
                csv,
                "{title},{},{},{},{},{},{},{}",
                c.term, c.estimate, c.std_error, c.statistic, c.p_value, c.conf_low, c.conf_high
            );
        }
    }
    Some(TableFile {
        name: "robustness".into(),
        markdown: reg.to_markdown(),
        latex: reg.to_latex(),
        csv,
        display,
    })
}

fn tests_table(a: &Analysis) -> Option<TableFile> {
    if a.models.tests.is_empty() {
        return None;
    }
    let rows = a
        .models
        .tests
        .iter()
        .map(|t| {
            vec![
                t.description.clone(),
                t.test.q.to_string(),
                num(t.test.f, 2),
                num(t.test.df_denominator, 0),
                pval(t.test.f_p_value),
            ]
        })
        .collect();
    Some(TableFile::plain(
        "joint_tests",
        Table {
            caption: "Joint Wald tests on the main LPM".into(),
            header: ["Hypothesis", "Restrictions", "F", "df (denominator)", "p"]
                .map(String::from)
                .to_vec(),
            rows,
            numeric: vec![false, true, true, true, true],
            notes: vec![format!(
                "Wald tests with the model's variance ({}).",
                a.models.main.vcov
            )],
        },
    ))
}

fn standardised_table(a: &Analysis, labels: &TermLabels) -> TableFile {
    let rows = a
        .models
        .standardised
        .iter()
        .map(|s| {
            vec![
                s.term.clone(),
                if s.term == "age" {
                    "Age (incl. age squared, at the mean age)".into()
                } else {
                    labels.get(&s.term)
                },
                num(s.sd, 3),
                num(100.0 * s.effect, 2),
            ]
        })
        .collect();
    TableFile::plain(
        "standardised_effects",
        Table {
            caption: "Predictors ranked by standardised effect (change in the probability of e-government use per standard deviation of the regressor)".into(),
            header: ["Term", "Label", "SD of regressor", "Effect per SD, pp"].map(String::from).to_vec(),
            rows,
            numeric: vec![false, false, true, true],
            notes: vec!["For a 0/1 dummy the SD is √(p(1 − p)); for age the slope at the mean age combines the linear and squared terms.".into()],
        },
    )
}

fn interval(v: Option<(f64, f64)>) -> String {
    v.map_or_else(String::new, |(a, b)| {
        format!("{} to {}", num(a, 4), num(b, 4))
    })
}

/// Naive, plausible-value and bootstrap inference for the main model.
fn inference_table(a: &Analysis, labels: &TermLabels) -> Option<TableFile> {
    let inf = a.inference.as_ref()?;
    let t = &inf.table;
    let pct_ = format!("{:.0}%", 100.0 * t.conf_level);
    let mut header = vec!["Term".to_string(), "Estimate".into(), "Naive SE".into()];
    if t.plausible_values.is_some() {
        header.extend([
            "PV estimate".into(),
            "PV SE".into(),
            format!("PV {pct_} CI"),
            "FMI".into(),
        ]);
    }
    if t.bootstrap.is_some() {
        header.extend([
            "Bootstrap SE".into(),
            format!("Percentile {pct_} CI"),
            format!("BC {pct_} CI"),
        ]);
    }
    let opt = |v: Option<f64>| v.map_or_else(String::new, |x| num(x, 4));
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .filter(|r| r.term != "(Intercept)")
        .map(|r| {
            let mut row = vec![labels.get(&r.term), num(r.estimate, 4), num(r.naive_se, 4)];
            if t.plausible_values.is_some() {
                row.extend([
                    opt(r.pv_estimate),
                    opt(r.pv_se),
                    interval(r.pv_interval),
                    r.pv_fmi.map_or_else(String::new, |x| num(x, 3)),
                ]);
            }
            if t.bootstrap.is_some() {
                row.extend([
                    opt(r.bootstrap_se),
                    interval(r.bootstrap_percentile),
                    interval(r.bootstrap_bc),
                ]);
            }
            row
        })
        .collect();
    let mut notes = vec![format!(
        "Naive SE: {} (treats the DSI as observed data). Estimates are the LPM on the standardised EAP DSI.",
        t.naive_vcov
    )];
    if let Some(m) = t.plausible_values {
        notes.push(format!(
            "Plausible values: {m} draws of skill from each respondent's posterior{}, each standardised, the LPM on each, combined by Rubin's rules with Barnard–Rubin degrees of freedom; FMI = fraction of missing information (seed {}).",
            if inf.conditioned {
                " under a latent-regression prior on the model's covariates and outcome (fitted by EM)"
            } else {
                " under the N(0, 1) prior"
            },
            a.config.inference.seed
        ));
    }
    if let Some((method, r)) = &t.bootstrap {
        notes.push(format!(
            "Bootstrap: {method} over {}, {r} replicates (seed {}); the item model is refitted and the DSI re-standardised in every replicate; {} replicate(s) failed.",
            inf.resampling.as_deref().unwrap_or("clusters"),
            a.config.inference.seed,
            inf.failures.len()
        ));
    }
    let mut csv = String::from(
        "term,estimate,naive_se,pv_estimate,pv_se,pv_conf_low,pv_conf_high,pv_fmi,bootstrap_se,percentile_low,percentile_high,bc_low,bc_high\n",
    );
    let o = |v: Option<f64>| v.map_or_else(String::new, |x| x.to_string());
    for r in &t.rows {
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.term,
            r.estimate,
            r.naive_se,
            o(r.pv_estimate),
            o(r.pv_se),
            o(r.pv_interval.map(|x| x.0)),
            o(r.pv_interval.map(|x| x.1)),
            o(r.pv_fmi),
            o(r.bootstrap_se),
            o(r.bootstrap_percentile.map(|x| x.0)),
            o(r.bootstrap_percentile.map(|x| x.1)),
            o(r.bootstrap_bc.map(|x| x.0)),
            o(r.bootstrap_bc.map(|x| x.1)),
        );
    }
    let mut numeric = vec![false];
    numeric.extend(vec![true; header.len() - 1]);
    Some(TableFile {
        name: "inference".into(),
        markdown: t.to_markdown(),
        latex: t.to_latex(),
        csv,
        display: Table {
            caption: "Uncertainty from the estimated index: naive, plausible-value and bootstrap standard errors".into(),
            header,
            rows,
            numeric,
            notes,
        },
    })
}

/// Every table, in report order.
pub fn all(a: &Analysis, labels: &TermLabels) -> Vec<TableFile> {
    let mut out = vec![data_summary(a), dsi_items(a), dsi_fit(a)];
    for t in &a.descriptives.tables {
        out.push(group_table(a, t));
    }
    out.push(lpm_table(a, labels));
    out.extend(tests_table(a));
    out.push(standardised_table(a, labels));
    out.extend(robustness_table(a, labels));
    out.extend(inference_table(a, labels));
    if a.data.frame.source.synthetic {
        for t in &mut out {
            mark_synthetic(t);
        }
    }
    out
}

/// Puts the synthetic-data mark into the title of a table's Markdown and LaTeX files (the
/// report itself carries it in its own title).
fn mark_synthetic(t: &mut TableFile) {
    let mark = super::synthetic_suffix(true);
    let text = mark.trim_start_matches(" — ");
    let mut marked = t.display.clone();
    marked.caption.push_str(mark);
    if t.markdown == t.display.to_markdown() {
        t.markdown = marked.to_markdown();
    } else {
        t.markdown = format!("**{text}**\n\n{}", t.markdown);
    }
    if t.latex == t.display.to_latex() {
        t.latex = marked.to_latex();
    } else {
        let caption_end = t
            .latex
            .find("\\caption{")
            .and_then(|i| t.latex[i..].find('}').map(|e| i + e));
        if let Some(end) = caption_end {
            t.latex.insert_str(end, &format!(" --- {text}"));
        }
        t.latex = format!("% {text}\n{}", t.latex);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_formatted_for_readers() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(56_649), "56,649");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(num(-0.00004, 3), "0.000");
        assert_eq!(num(-0.0712, 3), "-0.071");
        assert_eq!(num(f64::NAN, 2), "–");
        assert_eq!(pct(0.4133), "41.3");
        assert_eq!(pval(0.0004), "<0.001");
        assert_eq!(pval(0.9221), "0.922");
    }
}
