//! Formula parsing (`y ~ x1 + i(region) + age:sex + I(age^2) - 1`) and model-matrix construction.

use crate::EconError;
use crate::frame::{Column, Frame};
use crate::linalg::SparseRows;
use nalgebra::DMatrix;
use serde::Serialize;

/// One factor of a term before it is resolved against a frame.
#[derive(Debug, Clone, PartialEq)]
enum Atom {
    /// A column by name; `forced_cat` for `i(var)`, `reference` for `i(var, ref = level)`.
    Var {
        name: String,
        forced_cat: bool,
        reference: Option<String>,
    },
    /// `I(var^power)`.
    Power { name: String, power: i32 },
}

/// A parsed formula: outcome, terms (each a product of atoms) and intercept flag.
#[derive(Debug, Clone)]
struct ParsedFormula {
    outcome: String,
    terms: Vec<Vec<Atom>>,
    intercept: bool,
}

struct Parser<'a> {
    text: &'a str,
    chars: Vec<char>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, reason: impl Into<String>) -> EconError {
        EconError::FormulaSyntax {
            formula: self.text.to_string(),
            reason: reason.into(),
        }
    }
    fn skip_ws(&mut self) {
        while self.pos < self.chars.len() && self.chars[self.pos].is_whitespace() {
            self.pos += 1;
        }
    }
    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.chars.get(self.pos).copied()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: char) -> Result<(), EconError> {
        if self.eat(c) {
            Ok(())
        } else {
            let found = self
                .peek()
                .map(|c| format!("`{c}`"))
                .unwrap_or("end of text".into());
            Err(self.err(format!(
                "expected `{c}` at position {} but found {found}",
                self.pos
            )))
        }
    }
    fn ident(&mut self) -> Result<String, EconError> {
        self.skip_ws();
        if self.eat('`') {
            let start = self.pos;
            while self.pos < self.chars.len() && self.chars[self.pos] != '`' {
                self.pos += 1;
            }
            if self.pos >= self.chars.len() {
                return Err(self.err("unterminated back-quoted name"));
            }
            let s: String = self.chars[start..self.pos].iter().collect();
            self.pos += 1;
            return Ok(s);
        }
        let start = self.pos;
        while self.pos < self.chars.len()
            && (self.chars[self.pos].is_alphanumeric() || matches!(self.chars[self.pos], '_' | '.'))
        {
            self.pos += 1;
        }
        if start == self.pos {
            let found = self
                .chars
                .get(self.pos)
                .map(|c| format!("`{c}`"))
                .unwrap_or("end of text".into());
            return Err(self.err(format!(
                "expected a variable name at position {start}, found {found}"
            )));
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }
    /// A level name inside `i(var, ref = level)`: quoted, or bare up to `)`.
    fn level(&mut self) -> Result<String, EconError> {
        self.skip_ws();
        if let Some(q @ ('"' | '\'')) = self.peek() {
            self.pos += 1;
            let start = self.pos;
            while self.pos < self.chars.len() && self.chars[self.pos] != q {
                self.pos += 1;
            }
            if self.pos >= self.chars.len() {
                return Err(self.err("unterminated quoted level"));
            }
            let s: String = self.chars[start..self.pos].iter().collect();
            self.pos += 1;
            return Ok(s);
        }
        let start = self.pos;
        while self.pos < self.chars.len() && self.chars[self.pos] != ')' {
            self.pos += 1;
        }
        let s: String = self.chars[start..self.pos]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        if s.is_empty() {
            return Err(self.err("empty reference level in i()"));
        }
        Ok(s)
    }
    fn atom(&mut self) -> Result<Option<Atom>, EconError> {
        self.skip_ws();
        // Intercept markers are handled by the caller.
        let save = self.pos;
        let name = self.ident()?;
        if name == "I" && self.eat('(') {
            let var = self.ident()?;
            self.expect('^')?;
            self.skip_ws();
            let start = self.pos;
            while self.pos < self.chars.len() && (self.chars[self.pos].is_ascii_digit()) {
                self.pos += 1;
            }
            let power: i32 = self.chars[start..self.pos]
                .iter()
                .collect::<String>()
                .parse()
                .map_err(|_| self.err("I() supports only `I(var^k)` with a positive integer k"))?;
            if power < 1 {
                return Err(self.err("the power in I(var^k) must be at least 1"));
            }
            self.expect(')')?;
            return Ok(Some(if power == 1 {
                Atom::Var {
                    name: var,
                    forced_cat: false,
                    reference: None,
                }
            } else {
                Atom::Power { name: var, power }
            }));
        }
        if name == "i" && self.eat('(') {
            let var = self.ident()?;
            let mut reference = None;
            if self.eat(',') {
                let key = self.ident()?;
                if key != "ref" {
                    return Err(self.err(format!("i() accepts only `ref = level`, found `{key}`")));
                }
                self.expect('=')?;
                reference = Some(self.level()?);
            }
            self.expect(')')?;
            return Ok(Some(Atom::Var {
                name: var,
                forced_cat: true,
                reference,
            }));
        }
        if name == "0" || name == "1" {
            self.pos = save;
            return Ok(None);
        }
        Ok(Some(Atom::Var {
            name,
            forced_cat: false,
            reference: None,
        }))
    }
}

fn parse(text: &str) -> Result<ParsedFormula, EconError> {
    let mut p = Parser {
        text,
        chars: text.chars().collect(),
        pos: 0,
    };
    let outcome = p.ident()?;
    p.expect('~')?;
    let mut terms: Vec<Vec<Atom>> = Vec::new();
    let mut intercept = true;
    let mut sign = 1;
    loop {
        p.skip_ws();
        if p.pos >= p.chars.len() {
            return Err(p.err("the formula ends after an operator; add a term"));
        }
        // Intercept control: `+ 1`, `- 1`, `+ 0`.
        let c = p.chars[p.pos];
        if (c == '0' || c == '1')
            && p.chars
                .get(p.pos + 1)
                .is_none_or(|n| n.is_whitespace() || *n == '+' || *n == '-')
        {
            p.pos += 1;
            intercept = match (c, sign) {
                ('1', 1) => intercept,
                ('1', _) | ('0', 1) => false,
                _ => {
                    return Err(
                        p.err("`- 0` is not meaningful; use `- 1` or `+ 0` to drop the intercept")
                    );
                }
            };
        } else {
            if sign < 0 {
                return Err(
                    p.err("removing terms with `-` is supported only for the intercept (`- 1`)")
                );
            }
            // A chain of atoms joined by `:` (interaction) and `*` (crossing).
            let mut groups: Vec<Vec<Atom>> = vec![vec![]];
            loop {
                let atom = p
                    .atom()?
                    .ok_or_else(|| p.err("`0`/`1` cannot be part of an interaction"))?;
                groups.last_mut().expect("non-empty").push(atom);
                if p.eat(':') {
                    continue;
                }
                if p.eat('*') {
                    groups.push(vec![]);
                    continue;
                }
                break;
            }
            let g = groups.len();
            // All non-empty subsets of the `*` groups, in order of size then position (R's order).
            let mut subsets: Vec<Vec<usize>> = (1u32..(1 << g))
                .map(|mask| (0..g).filter(|b| mask & (1 << b) != 0).collect())
                .collect();
            subsets.sort_by_key(|s| s.len());
            for s in subsets {
                let term: Vec<Atom> = s.iter().flat_map(|&i| groups[i].clone()).collect();
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
        }
        match p.peek() {
            None => break,
            Some('+') => {
                p.pos += 1;
                sign = 1;
            }
            Some('-') => {
                p.pos += 1;
                sign = -1;
            }
            Some(c) => return Err(p.err(format!("unexpected `{c}` at position {}", p.pos))),
        }
    }
    Ok(ParsedFormula {
        outcome,
        terms,
        intercept,
    })
}

/// One factor of a model-matrix column after resolution against a frame.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Factor {
    /// Numeric column `col` raised to `power`.
    Num { col: String, power: i32 },
    /// Indicator that categorical column `col` equals `level`.
    Level { col: String, level: u32 },
}

/// How to build one column of the model matrix.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ColumnSpec {
    pub name: String,
    pub factors: Vec<Factor>,
}

/// Per-row substitutions used to evaluate counterfactual design rows (marginal effects).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Override<'a> {
    /// Set categorical column `col` to `level`.
    SetLevel { col: &'a str, level: u32 },
}

/// Rows removed before estimation and why.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct DroppedRows {
    /// All removed rows.
    pub total: usize,
    /// Rows removed because a column was missing, attributed to the first missing column
    /// in the order outcome, regressors, weights, clusters, design.
    pub missing_by_column: Vec<(String, usize)>,
    /// Rows removed because their sampling weight is zero.
    pub zero_weight: usize,
}

/// The design matrix of a formula evaluated on a frame, after listwise deletion.
#[derive(Debug, Clone)]
pub struct ModelMatrix {
    /// n × k regressors (column-major).
    pub x: DMatrix<f64>,
    /// Outcome for the kept rows.
    pub y: Vec<f64>,
    /// Term names, one per column of `x`.
    pub terms: Vec<String>,
    /// Indices of the kept rows in the original frame.
    pub rows: Vec<usize>,
    /// Weights for the kept rows (all positive), if a weight column was given.
    pub weights: Option<Vec<f64>>,
    /// Counts of removed rows.
    pub dropped: DroppedRows,
    /// Outcome column name.
    pub outcome: String,
    /// Whether the model has an intercept.
    pub intercept: bool,
    /// Categorical variables in the model with their reference level, e.g. `("labour", "employed")`.
    pub reference_levels: Vec<(String, String)>,
    pub(crate) specs: Vec<ColumnSpec>,
    /// Non-zeros by row, when built for least squares instead of `x`.
    pub(crate) sparse: Option<SparseRows>,
}

/// Model-matrix column recipes and the reference level of each categorical variable.
type ResolvedTerms = (Vec<ColumnSpec>, Vec<(String, String)>);

fn resolve(parsed: &ParsedFormula, data: &Frame) -> Result<ResolvedTerms, EconError> {
    let mut specs: Vec<ColumnSpec> = Vec::new();
    let mut refs: Vec<(String, String)> = Vec::new();
    if parsed.intercept {
        specs.push(ColumnSpec {
            name: "(Intercept)".into(),
            factors: vec![],
        });
    }
    let mut full_dummies_used = parsed.intercept;
    for term in &parsed.terms {
        // Each atom expands into a list of (name, factor) alternatives.
        let only_one_categorical = term.len() == 1;
        let mut expansions: Vec<Vec<(String, Option<Factor>)>> = Vec::new();
        for atom in term {
            match atom {
                Atom::Power { name, power } => {
                    data.numeric(name).map_err(|e| match e {
                        EconError::WrongColumnType { name, .. } => EconError::WrongColumnType {
                            name,
                            reason: "is categorical and cannot be raised to a power in I()".into(),
                        },
                        e => e,
                    })?;
                    expansions.push(vec![(
                        format!("I({name}^{power})"),
                        Some(Factor::Num {
                            col: name.clone(),
                            power: *power,
                        }),
                    )]);
                }
                Atom::Var {
                    name,
                    forced_cat,
                    reference,
                } => match data.column(name)? {
                    Column::Numeric(_) => {
                        if *forced_cat {
                            return Err(EconError::WrongColumnType {
                                name: name.clone(),
                                reason: "is numeric; i() needs a categorical column (convert it with Categorical::from_labels)".into(),
                            });
                        }
                        expansions.push(vec![(
                            name.clone(),
                            Some(Factor::Num {
                                col: name.clone(),
                                power: 1,
                            }),
                        )]);
                    }
                    Column::Categorical(c) => {
                        let reference = match reference {
                            Some(level) => c.levels.iter().position(|l| l == level).ok_or_else(
                                || EconError::InvalidCategorical {
                                    name: name.clone(),
                                    reason: format!(
                                        "i({name}, ref = {level}): no such level; levels are [{}]",
                                        c.levels.join(", ")
                                    ),
                                },
                            )?,
                            None => c.reference,
                        };
                        if !refs.iter().any(|(n, _)| n == name) {
                            refs.push((name.clone(), c.levels[reference].clone()));
                        }
                        let keep_all = only_one_categorical && !full_dummies_used;
                        if keep_all {
                            full_dummies_used = true;
                        }
                        expansions.push(
                            c.levels
                                .iter()
                                .enumerate()
                                .filter(|(j, _)| keep_all || *j != reference)
                                .map(|(j, l)| {
                                    (
                                        format!("{name}::{l}"),
                                        Some(Factor::Level {
                                            col: name.clone(),
                                            level: j as u32,
                                        }),
                                    )
                                })
                                .collect(),
                        );
                    }
                },
            }
        }
        // Cartesian product, first atom varying slowest.
        let mut combos: Vec<(Vec<String>, Vec<Factor>)> = vec![(vec![], vec![])];
        for alternatives in expansions {
            let mut next = Vec::with_capacity(combos.len() * alternatives.len());
            for (names, factors) in &combos {
                for (n, f) in &alternatives {
                    let mut names = names.clone();
                    names.push(n.clone());
                    let mut factors = factors.clone();
                    factors.extend(f.clone());
                    next.push((names, factors));
                }
            }
            combos = next;
        }
        for (names, factors) in combos {
            let name = names.join(":");
            if !specs.iter().any(|s| s.name == name) {
                specs.push(ColumnSpec { name, factors });
            }
        }
    }
    Ok((specs, refs))
}

/// Value of model-matrix column `spec` at `row`, with an optional counterfactual override.
pub(crate) fn spec_value(spec: &ColumnSpec, data: &Frame, row: usize, ov: Option<Override>) -> f64 {
    let mut v = 1.0;
    for f in &spec.factors {
        match f {
            Factor::Num { col, power } => {
                let x = match data.column(col) {
                    Ok(Column::Numeric(vals)) => vals[row],
                    _ => f64::NAN,
                };
                v *= x.powi(*power);
            }
            Factor::Level { col, level } => {
                let code = match data.column(col) {
                    Ok(Column::Categorical(c)) => c.codes[row],
                    _ => None,
                };
                let code = match ov {
                    Some(Override::SetLevel { col: c, level: l }) if c == col => Some(l),
                    _ => code,
                };
                if code != Some(*level) {
                    return 0.0;
                }
            }
        }
    }
    v
}

/// Columns the formula reads, in the order outcome, regressors.
fn formula_columns(parsed: &ParsedFormula) -> Vec<String> {
    let mut cols = vec![parsed.outcome.clone()];
    for term in &parsed.terms {
        for atom in term {
            let name = match atom {
                Atom::Var { name, .. } | Atom::Power { name, .. } => name,
            };
            if !cols.contains(name) {
                cols.push(name.clone());
            }
        }
    }
    cols
}

/// Evaluates `formula` on `data`: listwise deletion of rows with a missing value in any
/// model variable, in the weight column or in any of `extra_columns` (cluster/design),
/// removal of zero-weight rows, expansion of categorical terms into dummies.
pub(crate) fn build(
    formula: &str,
    data: &Frame,
    dense: bool,
    weights: Option<&str>,
    extra_columns: &[&str],
) -> Result<ModelMatrix, EconError> {
    let parsed = parse(formula)?;
    let (specs, reference_levels) = resolve(&parsed, data)?;
    let outcome_col = data.column(&parsed.outcome)?;
    let y_all = match outcome_col {
        Column::Numeric(v) => v,
        Column::Categorical(_) => {
            return Err(EconError::WrongColumnType {
                name: parsed.outcome.clone(),
                reason: "is categorical; the outcome must be numeric (for a binary outcome, code it 0/1)".into(),
            });
        }
    };
    let mut check_cols: Vec<(String, &Column)> = Vec::new();
    for c in formula_columns(&parsed) {
        check_cols.push((c.clone(), data.column(&c)?));
    }
    let w_all = match weights {
        Some(w) => Some(data.numeric(w)?),
        None => None,
    };
    for c in extra_columns {
        if !check_cols.iter().any(|(n, _)| n == c) {
            check_cols.push((c.to_string(), data.column(c)?));
        }
    }
    let n_all = data.n_rows();
    let mut missing_counts = vec![0usize; check_cols.len()];
    let mut zero_weight = 0;
    let mut rows = Vec::with_capacity(n_all);
    'rows: for i in 0..n_all {
        for (j, (_, col)) in check_cols.iter().enumerate() {
            if col.is_missing(i) {
                missing_counts[j] += 1;
                continue 'rows;
            }
        }
        if let (Some(w), Some(wname)) = (w_all, weights) {
            let wi = w[i];
            if !wi.is_finite() || wi < 0.0 {
                return Err(EconError::InvalidWeight {
                    name: wname.to_string(),
                    row: i,
                    value: wi,
                });
            }
            if wi == 0.0 {
                zero_weight += 1;
                continue;
            }
        }
        rows.push(i);
    }
    let n = rows.len();
    let k = specs.len();
    // Least squares only needs the non-zeros of each row: building them directly avoids the
    // dense n × k matrix (1.4 GB at 5.66 million rows and 31 columns).
    let (x, sparse) = if dense {
        let mut x = DMatrix::<f64>::zeros(n, k);
        for (j, spec) in specs.iter().enumerate() {
            let col = x.column_mut(j);
            let dst = col.data.into_slice_mut();
            fill_column(spec, data, &rows, dst);
        }
        (x, None)
    } else {
        (
            DMatrix::<f64>::zeros(n, 0),
            Some(sparse_rows(&specs, data, &rows)),
        )
    };
    let y = rows.iter().map(|&i| y_all[i]).collect();
    let weights = w_all.map(|w| rows.iter().map(|&i| w[i]).collect());
    let missing_by_column: Vec<(String, usize)> = check_cols
        .iter()
        .zip(&missing_counts)
        .filter(|(_, c)| **c > 0)
        .map(|((n, _), c)| (n.clone(), *c))
        .collect();
    let dropped = DroppedRows {
        total: n_all - n,
        missing_by_column,
        zero_weight,
    };
    Ok(ModelMatrix {
        x,
        y,
        terms: specs.iter().map(|s| s.name.clone()).collect(),
        rows,
        weights,
        dropped,
        outcome: parsed.outcome,
        intercept: parsed.intercept,
        reference_levels,
        specs,
        sparse,
    })
}

/// One group of model-matrix columns with its data resolved once.
enum Resolved<'a> {
    Intercept(u32),
    /// A numeric column raised to a power (`x` or `I(x^p)`), model-matrix column `.2`.
    Numeric(&'a [f64], i32, u32),
    /// Consecutive indicator columns of one categorical column: `columns[code]` is the model-matrix
    /// column of that level (u32::MAX for the reference level and levels without a column).
    Levels(&'a [Option<u32>], Vec<u32>),
    General(&'a ColumnSpec, u32),
}

/// The non-zeros of each model-matrix row, straight from the frame.
///
/// The indicators of one categorical column are resolved together: a row looks its code up once
/// instead of comparing it with every level, and emits at most one non-zero for the block.
fn sparse_rows(specs: &[ColumnSpec], data: &Frame, rows: &[usize]) -> SparseRows {
    let mut resolved: Vec<Resolved> = Vec::with_capacity(specs.len());
    for (j, spec) in specs.iter().enumerate() {
        let j32 = j as u32;
        let general = Resolved::General(spec, j32);
        let next = match spec.factors.as_slice() {
            [] => Resolved::Intercept(j32),
            [Factor::Num { col, power }] => match data.column(col) {
                Ok(Column::Numeric(v)) => Resolved::Numeric(v, *power, j32),
                _ => general,
            },
            [Factor::Level { col, level }] => match data.column(col) {
                Ok(Column::Categorical(c)) => {
                    // Join the previous block when it is the same categorical column (the columns
                    // then stay in ascending order within every row).
                    if let Some(Resolved::Levels(codes, columns)) = resolved.last_mut()
                        && std::ptr::eq(*codes, c.codes.as_slice())
                        && columns.get(*level as usize) == Some(&u32::MAX)
                    {
                        columns[*level as usize] = j32;
                        continue;
                    }
                    let mut columns = vec![u32::MAX; c.levels.len().max(*level as usize + 1)];
                    columns[*level as usize] = j32;
                    Resolved::Levels(&c.codes, columns)
                }
                _ => general,
            },
            _ => general,
        };
        resolved.push(next);
    }
    let mut ptr = Vec::with_capacity(rows.len() + 1);
    let per_row = resolved.len();
    let mut col = Vec::with_capacity(rows.len() * per_row);
    let mut val = Vec::with_capacity(rows.len() * per_row);
    ptr.push(0);
    for &i in rows {
        for r in &resolved {
            let (j, v) = match r {
                Resolved::Intercept(j) => (*j, 1.0),
                // Same arithmetic as `spec_value` (1 · x^p), so both paths give identical columns.
                Resolved::Numeric(x, 1, j) => (*j, x[i]),
                Resolved::Numeric(x, power, j) => (*j, 1.0 * x[i].powi(*power)),
                Resolved::Levels(codes, columns) => match codes[i] {
                    Some(code) => match columns.get(code as usize) {
                        Some(&j) if j != u32::MAX => (j, 1.0),
                        _ => continue,
                    },
                    None => continue,
                },
                Resolved::General(spec, j) => (*j, spec_value(spec, data, i, None)),
            };
            if v != 0.0 {
                col.push(j);
                val.push(v);
            }
        }
        ptr.push(col.len());
    }
    SparseRows::from_parts(ptr, col, val, specs.len())
}

/// Fills one model-matrix column for the given rows (fast paths for the common factor shapes).
fn fill_column(spec: &ColumnSpec, data: &Frame, rows: &[usize], dst: &mut [f64]) {
    match spec.factors.as_slice() {
        [] => dst.fill(1.0),
        [Factor::Num { col, power: 1 }] => {
            if let Ok(Column::Numeric(v)) = data.column(col) {
                for (d, &i) in dst.iter_mut().zip(rows) {
                    *d = v[i];
                }
            }
        }
        [Factor::Level { col, level }] => {
            if let Ok(Column::Categorical(c)) = data.column(col) {
                for (d, &i) in dst.iter_mut().zip(rows) {
                    *d = if c.codes[i] == Some(*level) { 1.0 } else { 0.0 };
                }
            }
        }
        _ => {
            for (d, &i) in dst.iter_mut().zip(rows) {
                *d = spec_value(spec, data, i, None);
            }
        }
    }
}

/// The design matrix of `formula` on `data` after listwise deletion (and removal of
/// zero-weight rows when `weights` names a column).
///
/// Collinear columns are *not* removed here; the estimators detect and drop them.
///
/// ```
/// use egov_econ::{Frame, Categorical, model_matrix};
/// let mut f = Frame::new();
/// f.push_numeric("y", vec![1.0, 2.0, 3.0, f64::NAN]).unwrap();
/// f.push_numeric("age", vec![20.0, 30.0, 40.0, 50.0]).unwrap();
/// f.push_categorical("sex", Categorical::from_labels(&[Some("f"), Some("m"), Some("f"), Some("m")])).unwrap();
/// let mm = model_matrix("y ~ age + I(age^2) + sex + age:sex", &f, None).unwrap();
/// assert_eq!(mm.terms, ["(Intercept)", "age", "I(age^2)", "sex::m", "age:sex::m"]);
/// assert_eq!(mm.rows, [0, 1, 2]);
/// assert_eq!(mm.dropped.total, 1);
/// ```
pub fn model_matrix(
    formula: &str,
    data: &Frame,
    weights: Option<&str>,
) -> Result<ModelMatrix, EconError> {
    build(formula, data, true, weights, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_crossing_and_intercept_removal() {
        let p = parse("y ~ a*b + I(c^2) - 1").unwrap();
        assert!(!p.intercept);
        assert_eq!(p.terms.len(), 4);
        let p = parse("y ~ 0 + i(r, ref = North Kazakhstan)").unwrap();
        assert!(!p.intercept);
        assert_eq!(
            p.terms[0][0],
            Atom::Var {
                name: "r".into(),
                forced_cat: true,
                reference: Some("North Kazakhstan".into())
            }
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse("y ~").is_err());
        assert!(parse("y x").is_err());
        assert!(parse("y ~ a - b").is_err());
        assert!(parse("y ~ I(a^b)").is_err());
    }
}
