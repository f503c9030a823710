//! t/z statistics, p-values, confidence intervals and Wald tests of linear restrictions.

use crate::EconError;
use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal, StudentsT};

/// One row of a coefficient table. Undefined numbers are NaN and serialise as `null`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Coefficient {
    /// Term name, e.g. `(Intercept)`, `age`, `labour::student`, `age:sex::female`.
    pub term: String,
    /// Point estimate.
    pub estimate: f64,
    /// Standard error.
    pub std_error: f64,
    /// t (or z) statistic.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Lower confidence bound.
    pub conf_low: f64,
    /// Upper confidence bound.
    pub conf_high: f64,
}

/// Reference distribution for tests: Student t with `df`, or the normal when `t` is false.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DfRule {
    pub df: f64,
    pub t: bool,
}

impl DfRule {
    /// Two-sided p-value and critical value for `conf_level`.
    fn p_and_crit(&self, stat: f64, conf_level: f64) -> (f64, f64) {
        let q = 0.5 + conf_level / 2.0;
        if self.t {
            let d = StudentsT::new(0.0, 1.0, self.df).expect("df > 0 checked by callers");
            (2.0 * d.sf(stat.abs()), d.inverse_cdf(q))
        } else {
            let d = Normal::standard();
            (2.0 * d.sf(stat.abs()), d.inverse_cdf(q))
        }
    }
}

pub(crate) fn coefficient_table(
    terms: &[String],
    est: &[f64],
    vcov: &DMatrix<f64>,
    rule: DfRule,
    conf_level: f64,
) -> Vec<Coefficient> {
    terms
        .iter()
        .enumerate()
        .map(|(j, term)| {
            let var = vcov[(j, j)];
            let se = if var >= 0.0 { var.sqrt() } else { f64::NAN };
            let stat = est[j] / se;
            let (p, crit) = if stat.is_finite() {
                rule.p_and_crit(stat, conf_level)
            } else {
                (f64::NAN, f64::NAN)
            };
            let crit = if crit.is_nan() {
                rule.p_and_crit(0.0, conf_level).1
            } else {
                crit
            };
            Coefficient {
                term: term.clone(),
                estimate: est[j],
                std_error: se,
                statistic: stat,
                p_value: p,
                conf_low: est[j] - crit * se,
                conf_high: est[j] + crit * se,
            }
        })
        .collect()
}

fn fmt_num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.17e}")
    } else {
        "NA".into()
    }
}

pub(crate) fn tidy_csv(coefs: &[Coefficient]) -> String {
    let mut s = String::from("term,estimate,std_error,statistic,p_value,conf_low,conf_high\n");
    for c in coefs {
        let term = if c.term.contains([',', '"']) {
            format!("\"{}\"", c.term.replace('"', "\"\""))
        } else {
            c.term.clone()
        };
        s.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            term,
            fmt_num(c.estimate),
            fmt_num(c.std_error),
            fmt_num(c.statistic),
            fmt_num(c.p_value),
            fmt_num(c.conf_low),
            fmt_num(c.conf_high)
        ));
    }
    s
}

/// Result of a joint test of q linear restrictions Rβ = r.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct WaldTest {
    /// The restrictions as given.
    pub hypothesis: String,
    /// Restrictions after expanding wildcards, one per line of R.
    pub restrictions: Vec<String>,
    /// Number of restrictions q.
    pub q: usize,
    /// Wald statistic W = (Rβ − r)'(RVR')⁻¹(Rβ − r).
    pub chi2: f64,
    /// p-value of W against χ²(q).
    pub chi2_p_value: f64,
    /// F = W/q (Stata `test`).
    pub f: f64,
    /// Denominator degrees of freedom of F (residual, cluster or design df).
    pub df_denominator: f64,
    /// p-value of F against F(q, df_denominator); equals the χ² p-value when the model uses the normal.
    pub f_p_value: f64,
}

/// (coefficient index, multiplier) pairs, a constant, and a wildcard prefix if the side is `prefix*`.
type ParsedSide = (Vec<(usize, f64)>, f64, Option<String>);

/// Parses one side of an equation: a sum of `[number *] term` pieces and constants.
/// Term names may contain spaces, `-`, `:` — the longest known name at each position wins.
fn parse_side(
    text: &str,
    side: &str,
    terms: &[String],
    full: &str,
) -> Result<ParsedSide, EconError> {
    let err = |reason: String| EconError::Hypothesis {
        text: full.to_string(),
        reason,
    };
    let s = side.trim();
    if let Some(prefix) = s.strip_suffix('*')
        && !prefix.contains('*')
    {
        return Ok((vec![], 0.0, Some(prefix.trim().to_string())));
    }
    let chars: Vec<char> = s.chars().collect();
    let mut pos = 0;
    let mut out = Vec::new();
    let mut constant = 0.0;
    let _ = text;
    while pos < chars.len() {
        while pos < chars.len() && chars[pos].is_whitespace() {
            pos += 1;
        }
        let mut sign = 1.0;
        if pos < chars.len() && (chars[pos] == '+' || chars[pos] == '-') {
            if chars[pos] == '-' {
                sign = -1.0;
            }
            pos += 1;
            while pos < chars.len() && chars[pos].is_whitespace() {
                pos += 1;
            }
        } else if !out.is_empty() || constant != 0.0 {
            return Err(err(format!(
                "expected `+` or `-` before `{}`",
                chars[pos..].iter().collect::<String>()
            )));
        }
        let rest: String = chars[pos..].iter().collect();
        // Longest matching term name.
        let best = terms
            .iter()
            .enumerate()
            .filter(|(_, t)| rest.starts_with(t.as_str()))
            .max_by_key(|(_, t)| t.len());
        if let Some((j, t)) = best {
            out.push((j, sign));
            pos += t.chars().count();
            continue;
        }
        // A number, optionally followed by `*term`.
        let num_len = rest
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_digit() || *c == '.' || *c == 'e')
            .map(|(i, c)| i + c.len_utf8())
            .last()
            .unwrap_or(0);
        if num_len == 0 {
            return Err(err(format!(
                "`{}` is not a coefficient name; available terms: [{}]",
                rest.trim(),
                terms.join(", ")
            )));
        }
        let value: f64 = rest[..num_len]
            .parse()
            .map_err(|_| err(format!("bad number `{}`", &rest[..num_len])))?;
        pos += rest[..num_len].chars().count();
        while pos < chars.len() && chars[pos].is_whitespace() {
            pos += 1;
        }
        if pos < chars.len() && chars[pos] == '*' {
            pos += 1;
            while pos < chars.len() && chars[pos].is_whitespace() {
                pos += 1;
            }
            let rest: String = chars[pos..].iter().collect();
            let best = terms
                .iter()
                .enumerate()
                .filter(|(_, t)| rest.starts_with(t.as_str()))
                .max_by_key(|(_, t)| t.len());
            let (j, t) =
                best.ok_or_else(|| err(format!("`{}` is not a coefficient name", rest.trim())))?;
            out.push((j, sign * value));
            pos += t.chars().count();
        } else {
            constant += sign * value;
        }
    }
    Ok((out, constant, None))
}

pub(crate) fn wald(
    coefs: &[Coefficient],
    vcov: &DMatrix<f64>,
    text: &str,
    df: f64,
    t_dist: bool,
) -> Result<WaldTest, EconError> {
    let terms: Vec<String> = coefs.iter().map(|c| c.term.clone()).collect();
    let err = |reason: String| EconError::Hypothesis {
        text: text.to_string(),
        reason,
    };
    let k = terms.len();
    let mut rows: Vec<(Vec<f64>, f64, String)> = Vec::new();
    for eq in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (lhs, rhs) = match eq.split_once('=') {
            Some((l, r)) => (l, r),
            None => (eq, "0"),
        };
        let (l, lc, lglob) = parse_side(text, lhs, &terms, text)?;
        let (r, rc, rglob) = parse_side(text, rhs, &terms, text)?;
        if lglob.is_some() || rglob.is_some() {
            let (prefix, other, oc) = match (lglob, rglob) {
                (Some(p), None) => (p, r, rc),
                (None, Some(p)) => (p, l, lc),
                _ => return Err(err("a wildcard may appear on one side only".into())),
            };
            if !other.is_empty() {
                return Err(err(
                    "a wildcard must be compared with a constant, e.g. `region::* = 0`".into(),
                ));
            }
            let matched: Vec<usize> = (0..k).filter(|&j| terms[j].starts_with(&prefix)).collect();
            if matched.is_empty() {
                return Err(err(format!(
                    "no coefficient starts with `{prefix}`; terms are [{}]",
                    terms.join(", ")
                )));
            }
            for j in matched {
                let mut row = vec![0.0; k];
                row[j] = 1.0;
                rows.push((row, oc, format!("{} = {}", terms[j], oc)));
            }
            continue;
        }
        let mut row = vec![0.0; k];
        for (j, c) in l {
            row[j] += c;
        }
        for (j, c) in r {
            row[j] -= c;
        }
        if row.iter().all(|v| *v == 0.0) {
            return Err(err(format!("restriction `{eq}` involves no coefficient")));
        }
        rows.push((row, rc - lc, eq.to_string()));
    }
    if rows.is_empty() {
        return Err(err("no restriction given".into()));
    }
    let q = rows.len();
    let r_mat = DMatrix::from_fn(q, k, |a, b| rows[a].0[b]);
    let r_vec = DVector::from_iterator(q, rows.iter().map(|r| r.1));
    let beta = DVector::from_iterator(k, coefs.iter().map(|c| c.estimate));
    let diff = &r_mat * beta - r_vec;
    let middle = &r_mat * vcov * r_mat.transpose();
    let chol = nalgebra::Cholesky::new(middle.clone()).ok_or_else(|| {
        err("the restrictions are linearly dependent or their variance is singular; remove redundant restrictions".into())
    })?;
    let chi2 = diff.dot(&chol.solve(&diff));
    let qf = q as f64;
    let chi_p = ChiSquared::new(qf).map(|d| d.sf(chi2)).unwrap_or(f64::NAN);
    let f = chi2 / qf;
    let f_p = if t_dist {
        FisherSnedecor::new(qf, df)
            .map(|d| d.sf(f))
            .unwrap_or(f64::NAN)
    } else {
        chi_p
    };
    Ok(WaldTest {
        hypothesis: text.to_string(),
        restrictions: rows.into_iter().map(|r| r.2).collect(),
        q,
        chi2,
        chi2_p_value: chi_p,
        f,
        df_denominator: df,
        f_p_value: f_p,
    })
}
