//! `load()`: file → codebook → analysis frame, with every problem reported at once.

use crate::codebook::{CategoricalSpec, Code, Codebook, ExtraKind, LevelSpec, normalise_text};
use crate::frame::{
    AnalysisFrame, CategoricalVar, ExtraValues, ExtraVar, ITEM_NAMES, Level, MISSING, SourceInfo,
};
use crate::read::{RawColumn, RawTable, ReadError, ReadOptions, read_table};
use crate::validate::{Hits, LevelShare, Problem, ProblemKind, ValidationReport, VariableSummary};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// Why loading failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The data do not fit the codebook; the report lists every problem.
    #[error("{} error(s) in {file}:\n{}", report.errors.len(), report.errors.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The data file.
        file: String,
        /// The full report.
        report: Box<ValidationReport>,
    },
}

/// Loads `data`, maps it with `codebook` and validates it.
///
/// Returns the frame and the report (which may hold warnings); when the report has errors,
/// returns [`LoadError::Invalid`] carrying the full report.
///
/// ```
/// use egov_survey::{Codebook, bundled_replica_paths, load};
/// let (data, cb) = bundled_replica_paths();
/// let codebook = Codebook::from_path(&cb).unwrap();
/// let (frame, report) = load(&data, &codebook, &Default::default()).unwrap();
/// assert_eq!(frame.n_rows(), 56_649);
/// assert!(report.errors.is_empty());
/// assert!(frame.source.synthetic);
/// ```
pub fn load(
    data: &Path,
    codebook: &Codebook,
    opts: &ReadOptions,
) -> Result<(AnalysisFrame, ValidationReport), LoadError> {
    let (frame, report) = load_and_validate(data, codebook, opts)?;
    match frame {
        Some(frame) if report.errors.is_empty() => Ok((frame, report)),
        _ => Err(LoadError::Invalid {
            file: data.display().to_string(),
            report: Box::new(report),
        }),
    }
}

/// Validates `data` against `codebook` and always returns the report (the frame only when
/// there are no errors). Reading failures are still errors.
///
/// ```
/// use egov_survey::{Codebook, bundled_replica_paths, validate};
/// let (data, cb) = bundled_replica_paths();
/// let report = validate(&data, &Codebook::from_path(&cb).unwrap(), &Default::default()).unwrap();
/// assert_eq!(report.rows, 56_649);
/// ```
pub fn validate(
    data: &Path,
    codebook: &Codebook,
    opts: &ReadOptions,
) -> Result<ValidationReport, LoadError> {
    Ok(load_and_validate(data, codebook, opts)?.1)
}

/// Reads and maps; returns the frame when there were no errors, and the report.
pub fn load_and_validate(
    data: &Path,
    codebook: &Codebook,
    opts: &ReadOptions,
) -> Result<(Option<AnalysisFrame>, ValidationReport), LoadError> {
    let table = read_table(data, opts)?;
    let bytes = std::fs::read(data).map_err(|source| ReadError::Io {
        path: data.to_path_buf(),
        source,
    })?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let source = SourceInfo {
        path: data.to_path_buf(),
        format: table.format.name().to_string(),
        sha256,
        synthetic: codebook.dataset.synthetic,
        codebook: codebook.path.clone(),
    };
    Ok(map_table(&table, codebook, source))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct Ctx<'a> {
    table: &'a RawTable,
    file: String,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
    summary: Vec<VariableSummary>,
}

impl Ctx<'_> {
    fn column(&mut self, variable: &str, name: &str) -> Option<RawColumn> {
        match self.table.column(name) {
            Some(c) => Some(c),
            None => {
                let available = self.table.column_names();
                let shown: Vec<&str> = available.iter().take(30).map(String::as_str).collect();
                self.errors.push(Problem {
                    kind: ProblemKind::MissingColumn,
                    file: self.file.clone(),
                    column: Some(name.to_string()),
                    variable: Some(variable.to_string()),
                    count: self.table.n_rows(),
                    rows: vec![],
                    values: vec![],
                    message: format!(
                        "column `{name}` (for `{variable}`) is not in the file; correct the column name in the codebook. Columns in the file: {}{}",
                        shown.join(", "),
                        if available.len() > 30 { ", …" } else { "" }
                    ),
                });
                None
            }
        }
    }

    fn problem(
        &mut self,
        error: bool,
        kind: ProblemKind,
        column: &str,
        variable: &str,
        hits: Hits,
        message: String,
    ) {
        if hits.count == 0 {
            return;
        }
        let p = Problem {
            kind,
            file: self.file.clone(),
            column: Some(column.to_string()),
            variable: Some(variable.to_string()),
            count: hits.count,
            rows: hits.rows,
            values: hits.values,
            message,
        };
        if error {
            self.errors.push(p);
        } else {
            self.warnings.push(p);
        }
    }

    fn missing_warning(&mut self, column: &str, variable: &str, hits: Hits, what: &str) {
        let n = hits.count;
        self.problem(
            false,
            ProblemKind::MissingValues,
            column,
            variable,
            hits,
            format!("{n} missing value(s) in {what}; they stay missing (never recoded) and are counted in the summary"),
        );
    }
}

enum Lookup<T> {
    Blank,
    Found(T),
    Unknown,
}

/// Matches raw cells against codebook codes (numbers by value, text by normalised text).
struct Matcher<T: Copy> {
    text: HashMap<String, T>,
    numbers: Vec<(f64, T)>,
}

impl<T: Copy> Matcher<T> {
    fn new<'a>(pairs: impl IntoIterator<Item = (&'a Code, T)>) -> Self {
        let mut text = HashMap::new();
        let mut numbers = Vec::new();
        for (code, value) in pairs {
            let key = code.key();
            if let Ok(f) = key.parse::<f64>() {
                numbers.push((f, value));
            }
            text.insert(key, value);
        }
        Matcher { text, numbers }
    }

    fn lookup(&self, col: &RawColumn, i: usize) -> Lookup<T> {
        match col {
            RawColumn::Number(v) => match v[i] {
                None => Lookup::Blank,
                Some(f) => self
                    .numbers
                    .iter()
                    .find(|(c, _)| *c == f)
                    .map_or(Lookup::Unknown, |(_, t)| Lookup::Found(*t)),
            },
            RawColumn::Text(v) => match v[i].as_deref().map(str::trim) {
                None | Some("") => Lookup::Blank,
                Some(s) => {
                    // Fast path: the cell is already in normal form (the usual case).
                    if let Some(t) = self.text.get(s) {
                        return Lookup::Found(*t);
                    }
                    let key = normalise_text(s);
                    self.text
                        .get(&key)
                        .map_or(Lookup::Unknown, |t| Lookup::Found(*t))
                }
            },
        }
    }
}

fn codes_list(codes: &[&Code]) -> String {
    codes.iter().map(|c| c.key()).collect::<Vec<_>>().join(", ")
}

/// Maps a binary variable; returns per-row Some(0/1) / None.
fn map_binary(
    ctx: &mut Ctx,
    variable: &str,
    column: &str,
    yes: &[Code],
    no: &[Code],
    missing: &[Code],
) -> Option<Vec<Option<u8>>> {
    let col = ctx.column(variable, column)?;
    let m = Matcher::new(
        yes.iter()
            .map(|c| (c, Some(1u8)))
            .chain(no.iter().map(|c| (c, Some(0u8))))
            .chain(missing.iter().map(|c| (c, None))),
    );
    let mut out = Vec::with_capacity(col.len());
    let mut unknown = Hits::default();
    let mut miss = Hits::default();
    for i in 0..col.len() {
        match m.lookup(&col, i) {
            Lookup::Found(v) => {
                if v.is_none() {
                    miss.add(i, || col.display(i));
                }
                out.push(v)
            }
            Lookup::Blank => {
                miss.add(i, || "<blank>".into());
                out.push(None)
            }
            Lookup::Unknown => {
                unknown.add(i, || col.display(i));
                out.push(None)
            }
        }
    }
    let allowed: Vec<&Code> = yes.iter().chain(no).chain(missing).collect();
    ctx.problem(
        true,
        ProblemKind::UnknownCode,
        column,
        variable,
        unknown,
        format!(
            "values not in the codebook for `{variable}` (yes/no/missing codes: {}); add them to `yes`, `no` or `missing` in the codebook",
            codes_list(&allowed)
        ),
    );
    if !out.is_empty() && out.iter().all(Option::is_none) {
        let mut all = Hits::default();
        for i in 0..out.len() {
            all.add(i, || col.key(i).unwrap_or_else(|| "<blank>".into()));
        }
        ctx.problem(
            true,
            ProblemKind::ItemAllMissing,
            column,
            variable,
            all,
            format!("`{variable}` has no valid yes/no response in any row; check the column name and its codes"),
        );
    } else {
        ctx.missing_warning(column, variable, miss, &format!("`{variable}`"));
    }
    Some(out)
}

fn parse_number(col: &RawColumn, i: usize) -> Result<Option<f64>, ()> {
    match col {
        RawColumn::Number(v) => Ok(v[i]),
        RawColumn::Text(v) => match v[i].as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => s.replace(',', ".").parse::<f64>().map(Some).map_err(|_| ()),
        },
    }
}

/// Maps a numeric variable with a range and missing codes.
fn map_numeric(
    ctx: &mut Ctx,
    variable: &str,
    column: &str,
    min: Option<f64>,
    max: Option<f64>,
    missing: &[Code],
) -> Option<Vec<Option<f64>>> {
    let col = ctx.column(variable, column)?;
    let missing: Vec<f64> = missing
        .iter()
        .filter_map(|c| c.key().parse::<f64>().ok())
        .collect();
    let mut out = Vec::with_capacity(col.len());
    let (mut bad, mut range, mut miss) = (Hits::default(), Hits::default(), Hits::default());
    for i in 0..col.len() {
        match parse_number(&col, i) {
            Err(()) => {
                bad.add(i, || col.display(i));
                out.push(None)
            }
            Ok(None) => {
                miss.add(i, || "<blank>".into());
                out.push(None)
            }
            Ok(Some(f)) if missing.contains(&f) => {
                miss.add(i, || col.display(i));
                out.push(None)
            }
            Ok(Some(f)) => {
                if !f.is_finite() || min.is_some_and(|m| f < m) || max.is_some_and(|m| f > m) {
                    range.add(i, || col.display(i));
                    out.push(None)
                } else {
                    out.push(Some(f))
                }
            }
        }
    }
    ctx.problem(
        true,
        ProblemKind::NonNumeric,
        column,
        variable,
        bad,
        format!("`{variable}` must be numeric; fix the values or declare them as `missing` codes"),
    );
    let range_text = format!(
        "{} to {}",
        min.map_or("-inf".into(), |m| m.to_string()),
        max.map_or("+inf".into(), |m| m.to_string())
    );
    ctx.problem(
        true,
        ProblemKind::OutOfRange,
        column,
        variable,
        range,
        format!(
            "`{variable}` outside the valid range {range_text}; fix the data, widen `min`/`max`, or list the code under `missing`"
        ),
    );
    ctx.missing_warning(column, variable, miss, &format!("`{variable}`"));
    Some(out)
}

fn level_of(spec: &LevelSpec, labels: Option<&HashMap<String, String>>) -> Level {
    let raw_code = spec.code.key();
    let label_en = spec
        .en
        .clone()
        .or_else(|| labels.and_then(|l| l.get(&raw_code).cloned()))
        .unwrap_or_else(|| spec.name.clone());
    Level {
        name: spec.name.clone(),
        raw_code,
        label_en,
        label_ru: spec.ru.clone(),
        label_kk: spec.kk.clone(),
    }
}

fn map_categorical(
    ctx: &mut Ctx,
    variable: &str,
    spec: &CategoricalSpec,
) -> Option<CategoricalVar> {
    map_categorical_parts(
        ctx,
        variable,
        &spec.column,
        &spec.levels,
        &spec.reference,
        &spec.missing,
    )
}

fn map_categorical_parts(
    ctx: &mut Ctx,
    variable: &str,
    column: &str,
    levels: &[LevelSpec],
    reference: &str,
    missing: &[Code],
) -> Option<CategoricalVar> {
    let col = ctx.column(variable, column)?;
    let pairs = levels
        .iter()
        .enumerate()
        .flat_map(|(k, l)| {
            std::iter::once(&l.code)
                .chain(&l.also)
                .map(move |c| (c, Some(k as u32)))
        })
        .chain(missing.iter().map(|c| (c, None)));
    let m = Matcher::new(pairs);
    let mut codes = Vec::with_capacity(col.len());
    let (mut unknown, mut miss) = (Hits::default(), Hits::default());
    for i in 0..col.len() {
        match m.lookup(&col, i) {
            Lookup::Found(v) => {
                if v.is_none() {
                    miss.add(i, || col.display(i));
                }
                codes.push(v)
            }
            Lookup::Blank => {
                miss.add(i, || "<blank>".into());
                codes.push(None)
            }
            Lookup::Unknown => {
                unknown.add(i, || col.display(i));
                codes.push(None)
            }
        }
    }
    let known: Vec<String> = levels
        .iter()
        .map(|l| format!("{}={}", l.code.key(), l.name))
        .collect();
    ctx.problem(
        true,
        ProblemKind::UnknownCode,
        column,
        variable,
        unknown,
        format!(
            "unknown code(s) for `{variable}` (codebook levels: {}); add a level or list the code under `missing`",
            known.join(", ")
        ),
    );
    ctx.missing_warning(column, variable, miss, &format!("`{variable}`"));
    let labels = ctx.table.value_labels.get(column);
    let levels: Vec<Level> = levels.iter().map(|l| level_of(l, labels)).collect();
    let reference = levels.iter().position(|l| l.name == reference).unwrap_or(0);
    Some(CategoricalVar {
        name: variable.to_string(),
        codes,
        levels,
        reference,
    })
}

/// Required text column (ids): blanks are errors.
fn map_ids(ctx: &mut Ctx, variable: &str, column: &str) -> Option<Vec<String>> {
    let col = ctx.column(variable, column)?;
    let mut out = Vec::with_capacity(col.len());
    let mut blank = Hits::default();
    for i in 0..col.len() {
        match col.key(i) {
            Some(k) => out.push(k),
            None => {
                blank.add(i, || "<blank>".into());
                out.push(String::new())
            }
        }
    }
    ctx.problem(
        true,
        ProblemKind::MissingRequired,
        column,
        variable,
        blank,
        format!("`{variable}` is blank; every row needs one"),
    );
    Some(out)
}

fn dense(ids: &[String]) -> Vec<u32> {
    let mut map: HashMap<&str, u32> = HashMap::new();
    ids.iter()
        .map(|id| {
            let next = map.len() as u32;
            *map.entry(id.as_str()).or_insert(next)
        })
        .collect()
}

fn categorical_summary(var: &CategoricalVar, column: &str, weight: &[f64]) -> VariableSummary {
    let k = var.levels.len();
    let (mut count, mut wsum) = (vec![0usize; k], vec![0f64; k]);
    for (i, c) in var.codes.iter().enumerate() {
        if let Some(c) = c {
            count[*c as usize] += 1;
            wsum[*c as usize] += weight.get(i).copied().unwrap_or(1.0);
        }
    }
    let (n, w): (usize, f64) = (count.iter().sum(), wsum.iter().sum());
    VariableSummary {
        variable: var.name.clone(),
        column: column.to_string(),
        kind: "categorical".into(),
        missing: var.missing(),
        levels: var
            .levels
            .iter()
            .enumerate()
            .map(|(j, l)| LevelShare {
                level: l.name.clone(),
                label: l.label_en.clone(),
                count: count[j],
                share: ratio(count[j] as f64, n as f64),
                weighted_share: ratio(wsum[j], w),
            })
            .collect(),
        mean: None,
        weighted_mean: None,
        sd: None,
        min: None,
        max: None,
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

fn binary_summary(
    name: &str,
    column: &str,
    values: &[Option<u8>],
    weight: &[f64],
) -> VariableSummary {
    let (mut n, mut yes, mut w, mut wyes) = (0usize, 0usize, 0f64, 0f64);
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            let wi = weight.get(i).copied().unwrap_or(1.0);
            n += 1;
            w += wi;
            if *v == 1 {
                yes += 1;
                wyes += wi;
            }
        }
    }
    VariableSummary {
        variable: name.to_string(),
        column: column.to_string(),
        kind: "binary".into(),
        missing: values.len() - n,
        levels: vec![LevelShare {
            level: "yes".into(),
            label: "Yes".into(),
            count: yes,
            share: ratio(yes as f64, n as f64),
            weighted_share: ratio(wyes, w),
        }],
        mean: None,
        weighted_mean: None,
        sd: None,
        min: None,
        max: None,
    }
}

fn numeric_summary(
    name: &str,
    column: &str,
    values: &[Option<f64>],
    weight: &[f64],
) -> VariableSummary {
    let (mut n, mut s, mut ss, mut w, mut ws) = (0f64, 0f64, 0f64, 0f64, 0f64);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            let wi = weight.get(i).copied().unwrap_or(1.0);
            n += 1.0;
            s += v;
            ss += v * v;
            w += wi;
            ws += wi * v;
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
    }
    let mean = (n > 0.0).then(|| s / n);
    VariableSummary {
        variable: name.to_string(),
        column: column.to_string(),
        kind: "numeric".into(),
        missing: values.iter().filter(|v| v.is_none()).count(),
        levels: vec![],
        mean,
        weighted_mean: (w > 0.0).then(|| ws / w),
        sd: (n > 1.0).then(|| ((ss - s * s / n) / (n - 1.0)).max(0.0).sqrt()),
        min: (n > 0.0).then_some(lo),
        max: (n > 0.0).then_some(hi),
    }
}

fn map_table(
    table: &RawTable,
    cb: &Codebook,
    source: SourceInfo,
) -> (Option<AnalysisFrame>, ValidationReport) {
    let n = table.n_rows();
    let mut ctx = Ctx {
        table,
        file: table.path.display().to_string(),
        errors: vec![],
        warnings: vec![],
        summary: vec![],
    };
    let cols = &cb.columns;

    // Identifiers.
    let respondent_id = map_ids(&mut ctx, "respondent_id", &cols.respondent_id);
    if let Some(ids) = &respondent_id {
        let mut first: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
        let mut dup = Hits::default();
        for (i, id) in ids.iter().enumerate() {
            if id.is_empty() {
                continue;
            }
            if first.insert(id.as_str(), i).is_some() {
                dup.add(i, || id.clone());
            }
        }
        ctx.problem(
            true,
            ProblemKind::DuplicateId,
            &cols.respondent_id,
            "respondent_id",
            dup,
            "respondent id occurs more than once (rows listed are the repeats); each respondent must appear once".into(),
        );
    }
    let household_id = map_ids(&mut ctx, "household_id", &cols.household_id);

    // Weights.
    let weight = ctx.column("weight", &cols.weight).map(|col| {
        let (mut bad, mut neg, mut zero, mut blank) = (
            Hits::default(),
            Hits::default(),
            Hits::default(),
            Hits::default(),
        );
        let mut w = Vec::with_capacity(n);
        for i in 0..n {
            match parse_number(&col, i) {
                Err(()) => {
                    bad.add(i, || col.display(i));
                    w.push(0.0)
                }
                Ok(None) => {
                    blank.add(i, || "<blank>".into());
                    w.push(0.0)
                }
                Ok(Some(f)) if !f.is_finite() || f < 0.0 => {
                    neg.add(i, || col.display(i));
                    w.push(0.0)
                }
                Ok(Some(f)) => {
                    if f == 0.0 {
                        zero.add(i, || col.display(i));
                    }
                    w.push(f)
                }
            }
        }
        let c = cols.weight.clone();
        ctx.problem(
            true,
            ProblemKind::NonNumeric,
            &c,
            "weight",
            bad,
            "weights must be numbers".into(),
        );
        ctx.problem(
            true,
            ProblemKind::MissingRequired,
            &c,
            "weight",
            blank,
            "weight is blank; every row needs a sampling weight".into(),
        );
        ctx.problem(
            true,
            ProblemKind::InvalidWeight,
            &c,
            "weight",
            neg,
            "weights must be finite and non-negative; fix the weight column".into(),
        );
        ctx.problem(
            false,
            ProblemKind::ZeroWeight,
            &c,
            "weight",
            zero,
            "zero weights: these rows are kept but do not count in weighted estimates".into(),
        );
        w
    });
    let design = |ctx: &mut Ctx, variable: &str, column: &Option<String>| {
        column
            .as_ref()
            .and_then(|c| map_ids(ctx, variable, c))
            .map(|ids| dense(&ids))
    };
    let psu = design(&mut ctx, "psu", &cols.psu);
    let stratum = design(&mut ctx, "stratum", &cols.stratum);

    // Items.
    let mut item_values: Vec<Option<Vec<Option<u8>>>> = Vec::with_capacity(ITEM_NAMES.len());
    for name in ITEM_NAMES {
        let spec = &cb.items[name];
        let coding = cb.item_coding_of(spec);
        item_values.push(map_binary(
            &mut ctx,
            name,
            &spec.column,
            &coding.yes,
            &coding.no,
            &coding.missing,
        ));
    }
    let o = &cb.outcome;
    let outcome = map_binary(&mut ctx, "egov", &o.column, &o.yes, &o.no, &o.missing);
    let age = map_numeric(
        &mut ctx,
        "age",
        &cb.age.column,
        cb.age.min,
        cb.age.max,
        &cb.age.missing,
    );
    let sex = map_categorical(&mut ctx, "sex", &cb.sex);
    let education = map_categorical(&mut ctx, "education", &cb.education);
    let labour = map_categorical(&mut ctx, "labour", &cb.labour);
    let urban = map_categorical(&mut ctx, "urban", &cb.urban);
    let region = map_categorical(&mut ctx, "region", &cb.region);
    let mut extras = Vec::new();
    for e in &cb.extras {
        let values = match e.kind {
            ExtraKind::Numeric => {
                map_numeric(&mut ctx, &e.name, &e.column, e.min, e.max, &e.missing)
                    .map(ExtraValues::Numeric)
            }
            ExtraKind::Categorical => map_categorical_parts(
                &mut ctx,
                &e.name,
                &e.column,
                &e.levels,
                e.reference.as_deref().unwrap_or(""),
                &e.missing,
            )
            .map(ExtraValues::Categorical),
        };
        if let Some(values) = values {
            extras.push(ExtraVar {
                name: e.name.clone(),
                values,
            });
        }
    }

    // Summary (weighted by the valid weights; unit weights if the weight column failed).
    let unit = vec![1.0; n];
    let wref: &[f64] = weight.as_deref().unwrap_or(&unit);
    let mut summary = Vec::new();
    if let Some(w) = &weight {
        summary.push(numeric_summary(
            "weight",
            &cols.weight,
            &w.iter().map(|x| Some(*x)).collect::<Vec<_>>(),
            &unit,
        ));
    }
    for (name, v) in ITEM_NAMES.iter().zip(&item_values) {
        if let Some(v) = v {
            summary.push(binary_summary(name, &cb.items[*name].column, v, wref));
        }
    }
    if let Some(v) = &outcome {
        summary.push(binary_summary("egov", &o.column, v, wref));
    }
    if let Some(v) = &age {
        summary.push(numeric_summary("age", &cb.age.column, v, wref));
    }
    for ((name, spec), var) in cb
        .categoricals()
        .iter()
        .zip([&sex, &education, &labour, &urban, &region])
    {
        if let Some(var) = var {
            let s = categorical_summary(var, &spec.column, wref);
            let observed = s.levels.iter().filter(|l| l.count > 0).count();
            if observed == 1 {
                ctx.warnings.push(Problem {
                    kind: ProblemKind::SingleLevel,
                    file: ctx.file.clone(),
                    column: Some(spec.column.clone()),
                    variable: Some(name.to_string()),
                    count: n,
                    rows: vec![],
                    values: vec![],
                    message: format!(
                        "`{name}` takes a single level in these data; it cannot enter a model"
                    ),
                });
            }
            summary.push(s);
        }
    }
    for (e, spec) in extras.iter().zip(&cb.extras) {
        summary.push(match &e.values {
            ExtraValues::Numeric(v) => numeric_summary(&e.name, &spec.column, v, wref),
            ExtraValues::Categorical(c) => categorical_summary(c, &spec.column, wref),
        });
    }
    ctx.summary = summary;

    let report = ValidationReport {
        rows: n,
        errors: std::mem::take(&mut ctx.errors),
        warnings: std::mem::take(&mut ctx.warnings),
        summary: std::mem::take(&mut ctx.summary),
    };
    if !report.errors.is_empty() {
        return (None, report);
    }
    let build = || -> Option<AnalysisFrame> {
        let k = ITEM_NAMES.len();
        let mut items = vec![MISSING; n * k];
        for (j, v) in item_values.iter().enumerate() {
            for (i, x) in v.as_ref()?.iter().enumerate() {
                items[i * k + j] = x.unwrap_or(MISSING);
            }
        }
        let household_id = household_id?;
        Some(AnalysisFrame {
            source,
            respondent_id: respondent_id?,
            household: dense(&household_id),
            household_id,
            weight: weight?,
            psu,
            stratum,
            item_names: ITEM_NAMES.iter().map(|s| s.to_string()).collect(),
            items,
            outcome: outcome?,
            age: age?,
            sex: sex?,
            education: education?,
            labour: labour?,
            urban: urban?,
            region: region?,
            extras,
        })
    };
    (build(), report)
}
