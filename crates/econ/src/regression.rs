//! OLS / WLS / LPM with classical, heteroskedasticity-robust, clustered and survey-design variance.

use crate::EconError;
use crate::formula::{DroppedRows, ModelMatrix, build};
use crate::frame::{Column, Frame};
use crate::inference::{Coefficient, DfRule, coefficient_table};
use crate::linalg::{SparseRows, group_ids, independent_columns, select_square, solve_sparse};
use nalgebra::DMatrix;
use serde::Serialize;
use std::str::FromStr;

/// Variance estimator for the coefficients.
#[derive(Debug, Clone, PartialEq)]
pub enum Vcov {
    /// Classical: s²(X'WX)⁻¹.
    Iid,
    /// White's heteroskedasticity-consistent estimator without correction.
    Hc0,
    /// HC0 × n/(n−k): Stata's `robust`.
    Hc1,
    /// Scores scaled by 1/(1−h_ii).
    Hc2,
    /// Scores scaled by 1/(1−h_ii)² (jackknife-like).
    Hc3,
    /// Cluster-robust CR1 on one or two cluster columns (two-way: Cameron–Gelbach–Miller).
    Cluster(Vec<String>),
    /// Design-based linearisation for a stratified cluster sample (R `survey::svyglm`).
    Survey {
        /// Primary sampling unit column.
        psu: String,
        /// Stratum column, if the design is stratified.
        strata: Option<String>,
    },
}

impl Vcov {
    /// Short label used in JSON and tables: `iid`, `hc0`…`hc3`, `cluster(hh)`, `survey(psu; strata)`.
    pub fn label(&self) -> String {
        match self {
            Vcov::Iid => "iid".into(),
            Vcov::Hc0 => "hc0".into(),
            Vcov::Hc1 => "hc1".into(),
            Vcov::Hc2 => "hc2".into(),
            Vcov::Hc3 => "hc3".into(),
            Vcov::Cluster(c) => format!("cluster({})", c.join(", ")),
            Vcov::Survey {
                psu,
                strata: Some(s),
            } => format!("survey(psu = {psu}, strata = {s})"),
            Vcov::Survey { psu, strata: None } => format!("survey(psu = {psu})"),
        }
    }
}

impl FromStr for Vcov {
    type Err = EconError;
    /// Parses `iid`, `hc0`, `hc1` (alias `robust`), `hc2`, `hc3`, `cluster:a` or `cluster:a,b`.
    ///
    /// ```
    /// use egov_econ::Vcov;
    /// assert_eq!("HC1".parse::<Vcov>().unwrap(), Vcov::Hc1);
    /// assert_eq!("cluster:hh".parse::<Vcov>().unwrap(), Vcov::Cluster(vec!["hh".into()]));
    /// assert!("hc9".parse::<Vcov>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Ok(match t.as_str() {
            "iid" | "classical" | "const" => Vcov::Iid,
            "hc0" => Vcov::Hc0,
            "hc1" | "robust" => Vcov::Hc1,
            "hc2" => Vcov::Hc2,
            "hc3" => Vcov::Hc3,
            _ => {
                if let Some(cols) = s.trim().strip_prefix("cluster:") {
                    let cols: Vec<String> = cols.split(',').map(|c| c.trim().to_string()).collect();
                    if (1..=2).contains(&cols.len()) && cols.iter().all(|c| !c.is_empty()) {
                        return Ok(Vcov::Cluster(cols));
                    }
                }
                return Err(EconError::InvalidArgument {
                    name: "vcov".into(),
                    reason: format!(
                        "`{s}` is not one of iid, hc0, hc1, hc2, hc3, cluster:<col>[,<col>]"
                    ),
                });
            }
        })
    }
}

/// Options shared by every estimator.
#[derive(Debug, Clone, PartialEq)]
pub struct EstimateOptions {
    /// Sampling-weight column (Stata `[pweight]`); zero weights drop the row.
    pub weights: Option<String>,
    /// Variance estimator.
    pub vcov: Vcov,
    /// Confidence level of the intervals, e.g. 0.95.
    pub conf_level: f64,
}

impl Default for EstimateOptions {
    /// No weights, HC1 (Stata `robust`), 95% intervals.
    fn default() -> Self {
        EstimateOptions {
            weights: None,
            vcov: Vcov::Hc1,
            conf_level: 0.95,
        }
    }
}

/// Diagnostic of a linear probability model: fitted values below 0 or above 1.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutsideUnitInterval {
    /// Number of estimation rows with a fitted value outside [0, 1].
    pub count: usize,
    /// `count` divided by the number of estimation rows.
    pub share: f64,
}

/// A fitted linear model with its inference.
#[derive(Debug, Clone, Serialize)]
pub struct Regression {
    /// Estimation rows.
    pub n: usize,
    /// Estimated (non-collinear) coefficients.
    pub k: usize,
    /// Degrees of freedom used for t tests and intervals.
    pub df_resid: f64,
    /// R² (weighted when weights are given; centred if the model has an intercept).
    pub r2: f64,
    /// Adjusted R².
    pub adj_r2: f64,
    /// Variance estimator label.
    pub vcov: String,
    /// Number of clusters per clustering dimension (PSUs for a survey design).
    pub n_clusters: Option<Vec<usize>>,
    /// Rows removed before estimation.
    pub dropped_rows: usize,
    /// Why rows were removed.
    pub dropped_detail: DroppedRows,
    /// LPM only: fitted values outside [0, 1].
    pub fitted_outside_unit_interval: Option<OutsideUnitInterval>,
    /// Coefficient table in term order.
    pub coefficients: Vec<Coefficient>,
    /// Human-readable warnings (collinear terms dropped, few clusters, ...).
    pub warnings: Vec<String>,
    /// Terms dropped for perfect collinearity.
    pub collinear_terms: Vec<String>,
    /// Formula as given.
    pub formula: String,
    /// Weight column, if any.
    pub weights: Option<String>,
    /// Outcome column.
    pub outcome: String,
    /// Reference (base) level of each categorical variable in the model.
    pub reference_levels: Vec<(String, String)>,
    /// Root mean squared error sqrt(Σw e² / (n − k)).
    pub sigma: f64,
    /// Confidence level of the intervals.
    pub conf_level: f64,
    /// Whether p-values use the t distribution (`true`) or the normal.
    pub t_distribution: bool,
    #[serde(skip)]
    pub(crate) vcov_matrix: DMatrix<f64>,
    #[serde(skip)]
    pub(crate) fitted: Vec<f64>,
    #[serde(skip)]
    pub(crate) residuals: Vec<f64>,
    #[serde(skip)]
    pub(crate) rows: Vec<usize>,
}

impl Regression {
    /// Variance matrix of the estimated coefficients (order of `coefficients`).
    pub fn vcov_matrix(&self) -> &DMatrix<f64> {
        &self.vcov_matrix
    }
    /// The coefficient called `term`.
    pub fn coefficient(&self, term: &str) -> Option<&Coefficient> {
        self.coefficients.iter().find(|c| c.term == term)
    }
    /// Fitted values for the estimation rows.
    pub fn fitted(&self) -> &[f64] {
        &self.fitted
    }
    /// Residuals for the estimation rows.
    pub fn residuals(&self) -> &[f64] {
        &self.residuals
    }
    /// Original row index of each estimation row.
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }
    /// The coefficient table as CSV (`term,estimate,std_error,statistic,p_value,conf_low,conf_high`).
    pub fn tidy_csv(&self) -> String {
        crate::inference::tidy_csv(&self.coefficients)
    }
    /// JSON of the whole result (no NaN: undefined numbers become `null`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
    /// Wald test of joint linear restrictions given as text, e.g.
    /// `"labour::student = labour::pensioner, labour::pensioner = labour::unemployed"` or `"region::* = 0"`.
    pub fn wald(&self, restrictions: &str) -> Result<crate::inference::WaldTest, EconError> {
        crate::inference::wald(
            &self.coefficients,
            &self.vcov_matrix,
            restrictions,
            self.df_resid,
            self.t_distribution,
        )
    }
}

/// Cluster / PSU identifiers of a column, restricted to the estimation rows.
pub(crate) fn column_ids(
    data: &Frame,
    name: &str,
    rows: &[usize],
) -> Result<(Vec<u32>, usize), EconError> {
    Ok(match data.column(name)? {
        Column::Numeric(v) => group_ids(rows.iter().map(|&i| v[i].to_bits())),
        Column::Categorical(c) => {
            group_ids(rows.iter().map(|&i| c.codes[i].unwrap_or(u32::MAX) as u64))
        }
    })
}

/// Extra columns whose missing values must drop rows, for a variance choice.
pub(crate) fn vcov_columns(v: &Vcov) -> Vec<&str> {
    match v {
        Vcov::Cluster(c) => c.iter().map(|s| s.as_str()).collect(),
        Vcov::Survey { psu, strata } => std::iter::once(psu.as_str())
            .chain(strata.as_deref())
            .collect(),
        _ => vec![],
    }
}

/// Inputs to a sandwich: bread (k×k), score rows (n×k), and for HC2/HC3 the leverages.
pub(crate) struct SandwichResult {
    pub vcov: DMatrix<f64>,
    pub df: f64,
    pub t_distribution: bool,
    pub n_clusters: Option<Vec<usize>>,
    pub warnings: Vec<String>,
}

/// Clustered (one- or two-way) sandwich with the CR1 small-sample factor; `dof_factor` is the
/// (N−1)/(N−K) part (1 for maximum-likelihood models, which use G/(G−1) only, as Stata).
pub(crate) fn cluster_vcov(
    bread: &DMatrix<f64>,
    clustered_meat: &dyn Fn(&[u32], usize) -> DMatrix<f64>,
    data: &Frame,
    cols: &[String],
    rows: &[usize],
    dof_factor: f64,
) -> Result<SandwichResult, EconError> {
    if cols.is_empty() || cols.len() > 2 {
        return Err(EconError::InvalidArgument {
            name: "vcov".into(),
            reason: format!("clustering takes 1 or 2 columns, got {}", cols.len()),
        });
    }
    let mut ids = Vec::new();
    for c in cols {
        let (g, n) = column_ids(data, c, rows)?;
        if n < 2 {
            return Err(EconError::TooFewClusters {
                name: c.clone(),
                groups: n,
            });
        }
        ids.push((g, n));
    }
    let term = |g: &[u32], n: usize| -> DMatrix<f64> {
        let meat = clustered_meat(g, n);
        bread * meat * bread * (n as f64 / (n as f64 - 1.0) * dof_factor)
    };
    let mut warnings = Vec::new();
    let vcov = if ids.len() == 1 {
        term(&ids[0].0, ids[0].1)
    } else {
        let (g12, n12) = group_ids(
            ids[0]
                .0
                .iter()
                .zip(&ids[1].0)
                .map(|(&a, &b)| ((a as u64) << 32) | b as u64),
        );
        let v = term(&ids[0].0, ids[0].1) + term(&ids[1].0, ids[1].1) - term(&g12, n12);
        if (0..v.nrows()).any(|j| v[(j, j)] < 0.0) {
            warnings.push(
                "two-way clustered variance has a negative diagonal element; the affected standard errors are undefined (null)"
                    .to_string(),
            );
        }
        v
    };
    let g_min = ids.iter().map(|(_, n)| *n).min().unwrap_or(0);
    if g_min < 30 {
        warnings.push(format!(
            "only {g_min} clusters: cluster-robust inference is unreliable with few clusters"
        ));
    }
    Ok(SandwichResult {
        vcov,
        df: (g_min - 1) as f64,
        t_distribution: true,
        n_clusters: Some(ids.iter().map(|(_, n)| *n).collect()),
        warnings,
    })
}

/// Design-based (Taylor linearisation) variance: PSU totals of the scores, centred within
/// strata, scaled by n_h/(n_h − 1); PSUs are nested within strata.
pub(crate) fn survey_vcov(
    bread: &DMatrix<f64>,
    score_sums: &dyn Fn(&[u32], usize) -> DMatrix<f64>,
    data: &Frame,
    psu: &str,
    strata: Option<&str>,
    rows: &[usize],
    k: usize,
) -> Result<SandwichResult, EconError> {
    let (strata_ids, n_strata) = match strata {
        Some(s) => column_ids(data, s, rows)?,
        None => (vec![0; rows.len()], 1),
    };
    let (psu_raw, _) = column_ids(data, psu, rows)?;
    let (psu_ids, n_psu) = group_ids(
        strata_ids
            .iter()
            .zip(&psu_raw)
            .map(|(&h, &p)| ((h as u64) << 32) | p as u64),
    );
    let mut psu_stratum = vec![0u32; n_psu];
    for (&p, &h) in psu_ids.iter().zip(&strata_ids) {
        psu_stratum[p as usize] = h;
    }
    let mut totals = score_sums(&psu_ids, n_psu);
    let kk = totals.ncols();
    let mut n_h = vec![0usize; n_strata];
    for &h in &psu_stratum {
        n_h[h as usize] += 1;
    }
    if let Some(h) = n_h.iter().position(|&c| c == 1) {
        let label = match (strata, data.column(strata.unwrap_or(""))) {
            (Some(_), Ok(Column::Categorical(c))) => {
                let row = rows[strata_ids
                    .iter()
                    .position(|&s| s as usize == h)
                    .unwrap_or(0)];
                c.codes[row]
                    .map(|code| c.levels[code as usize].clone())
                    .unwrap_or_default()
            }
            (Some(s), Ok(Column::Numeric(_))) => {
                let row = rows[strata_ids
                    .iter()
                    .position(|&s| s as usize == h)
                    .unwrap_or(0)];
                format!("{}", data.numeric(s).map(|v| v[row]).unwrap_or(f64::NAN))
            }
            _ => "(single stratum)".into(),
        };
        return Err(EconError::LonelyPsu {
            strata: strata.unwrap_or("(none)").into(),
            stratum: label,
        });
    }
    // Centre PSU totals within strata and scale by n_h/(n_h-1).
    let mut means = DMatrix::<f64>::zeros(n_strata, kk);
    for (p, &h) in psu_stratum.iter().enumerate() {
        for j in 0..kk {
            means[(h as usize, j)] += totals[(p, j)];
        }
    }
    for (p, &h) in psu_stratum.iter().enumerate() {
        let nh = n_h[h as usize] as f64;
        let f = (nh / (nh - 1.0)).sqrt();
        for j in 0..kk {
            totals[(p, j)] = (totals[(p, j)] - means[(h as usize, j)] / nh) * f;
        }
    }
    let meat = totals.tr_mul(&totals);
    let design_df = n_psu as f64 - n_strata as f64;
    Ok(SandwichResult {
        vcov: bread * meat * bread,
        df: design_df + 1.0 - k as f64,
        t_distribution: true,
        n_clusters: Some(vec![n_psu]),
        warnings: vec![],
    })
}

pub(crate) fn fit(
    formula: &str,
    data: &Frame,
    opts: &EstimateOptions,
    binary_outcome: bool,
) -> Result<Regression, EconError> {
    if !(opts.conf_level > 0.0 && opts.conf_level < 1.0) {
        return Err(EconError::InvalidArgument {
            name: "conf_level".into(),
            reason: format!("{} is not in (0, 1)", opts.conf_level),
        });
    }
    let mm = build(
        formula,
        data,
        false,
        opts.weights.as_deref(),
        &vcov_columns(&opts.vcov),
    )?;
    if binary_outcome {
        check_binary(&mm, data)?;
    }
    fit_matrix(mm, data, opts, formula, binary_outcome)
}

pub(crate) fn check_binary(mm: &ModelMatrix, _data: &Frame) -> Result<(), EconError> {
    if let Some((i, &v)) =
        mm.y.iter()
            .enumerate()
            .find(|(_, v)| **v != 0.0 && **v != 1.0)
    {
        return Err(EconError::NonBinaryOutcome {
            name: mm.outcome.clone(),
            row: mm.rows[i],
            value: v,
        });
    }
    Ok(())
}

fn fit_matrix(
    mut mm: ModelMatrix,
    data: &Frame,
    opts: &EstimateOptions,
    formula: &str,
    binary_outcome: bool,
) -> Result<Regression, EconError> {
    let n = mm.y.len();
    let w = mm.weights.as_deref();
    let sp_full = mm
        .sparse
        .take()
        .unwrap_or_else(|| SparseRows::from_dense(&mm.x));
    let g_full = sp_full.gram(w);
    let kept = independent_columns(&g_full);
    let mut warnings = Vec::new();
    let collinear_terms: Vec<String> = (0..mm.terms.len())
        .filter(|j| !kept.contains(j))
        .map(|j| mm.terms[j].clone())
        .collect();
    if !collinear_terms.is_empty() {
        warnings.push(format!(
            "dropped for perfect collinearity: {}",
            collinear_terms.join(", ")
        ));
    }
    let k = kept.len();
    if k == 0 {
        return Err(EconError::Singular(
            "no regressor is left after removing collinear terms".into(),
        ));
    }
    if n <= k {
        return Err(EconError::TooFewObservations {
            n,
            k,
            dropped: mm.dropped.total,
        });
    }
    let sp = if k == mm.terms.len() {
        sp_full
    } else {
        sp_full.select_columns(&kept)
    };
    let g = select_square(&g_full, &kept);
    let (beta, chol) = solve_sparse(&sp, &mm.y, w, &g)?;
    let fitted = sp.mul_vec(&beta);
    let resid: Vec<f64> = mm.y.iter().zip(&fitted).map(|(y, f)| y - f).collect();
    let wt = |i: usize| w.map_or(1.0, |w| w[i]);
    let ssr: f64 = resid.iter().enumerate().map(|(i, e)| wt(i) * e * e).sum();
    let sum_w: f64 = (0..n).map(wt).sum();
    let ybar = if mm.intercept {
        (0..n).map(|i| wt(i) * mm.y[i]).sum::<f64>() / sum_w
    } else {
        0.0
    };
    let sst: f64 = (0..n).map(|i| wt(i) * (mm.y[i] - ybar).powi(2)).sum();
    let r2 = 1.0 - ssr / sst;
    let df_model_resid = (n - k) as f64;
    let adj_r2 =
        1.0 - (1.0 - r2) * (n as f64 - if mm.intercept { 1.0 } else { 0.0 }) / df_model_resid;
    let sigma2 = ssr / df_model_resid;
    let bread = chol.inverse();
    // Score factors w_i e_i, optionally divided by (1 − h_ii)^power (HC2: ½, HC3: 1).
    let score_factors = |power: f64| -> Vec<f64> {
        let mut s: Vec<f64> = (0..n).map(|i| wt(i) * resid[i]).collect();
        if power > 0.0 {
            let h = sp.quad_forms(&bread);
            for (i, si) in s.iter_mut().enumerate() {
                *si /= (1.0 - wt(i) * h[i]).powf(power);
            }
        }
        s
    };
    let hc = |power: f64, factor: f64| -> DMatrix<f64> {
        let s2: Vec<f64> = score_factors(power).iter().map(|v| v * v).collect();
        &bread * sp.gram(Some(&s2)) * &bread * factor
    };
    let nf = n as f64;
    let kf = k as f64;
    let plain_scores = score_factors(0.0);
    let score_sums =
        |groups: &[u32], n_groups: usize| sp.group_sums(&plain_scores, groups, n_groups);
    let cluster_meat =
        |groups: &[u32], n_groups: usize| sp.clustered_meat(&plain_scores, groups, n_groups);
    let robust = |vcov: DMatrix<f64>| SandwichResult {
        vcov,
        df: df_model_resid,
        t_distribution: true,
        n_clusters: None,
        warnings: vec![],
    };
    let result = match &opts.vcov {
        Vcov::Iid => robust(&bread * sigma2),
        Vcov::Hc0 => robust(hc(0.0, 1.0)),
        Vcov::Hc1 => robust(hc(0.0, nf / (nf - kf))),
        Vcov::Hc2 => robust(hc(0.5, 1.0)),
        Vcov::Hc3 => robust(hc(1.0, 1.0)),
        Vcov::Cluster(cols) => cluster_vcov(
            &bread,
            &cluster_meat,
            data,
            cols,
            &mm.rows,
            (nf - 1.0) / (nf - kf),
        )?,
        Vcov::Survey { psu, strata } => survey_vcov(
            &bread,
            &score_sums,
            data,
            psu,
            strata.as_deref(),
            &mm.rows,
            k,
        )?,
    };
    warnings.extend(result.warnings);
    if result.df <= 0.0 {
        return Err(EconError::TooFewObservations {
            n,
            k,
            dropped: mm.dropped.total,
        });
    }
    let terms: Vec<String> = kept.iter().map(|&j| mm.terms[j].clone()).collect();
    let est: Vec<f64> = beta.iter().copied().collect();
    let coefficients = coefficient_table(
        &terms,
        &est,
        &result.vcov,
        DfRule {
            df: result.df,
            t: result.t_distribution,
        },
        opts.conf_level,
    );
    let fitted_outside_unit_interval = binary_outcome.then(|| {
        let count = fitted.iter().filter(|f| **f < 0.0 || **f > 1.0).count();
        OutsideUnitInterval {
            count,
            share: count as f64 / nf,
        }
    });
    Ok(Regression {
        n,
        k,
        df_resid: result.df,
        r2,
        adj_r2,
        vcov: opts.vcov.label(),
        n_clusters: result.n_clusters,
        dropped_rows: mm.dropped.total,
        dropped_detail: mm.dropped.clone(),
        fitted_outside_unit_interval,
        coefficients,
        warnings,
        collinear_terms,
        formula: formula.to_string(),
        weights: opts.weights.clone(),
        outcome: mm.outcome.clone(),
        reference_levels: mm.reference_levels.clone(),
        sigma: sigma2.sqrt(),
        conf_level: opts.conf_level,
        t_distribution: result.t_distribution,
        vcov_matrix: result.vcov,
        fitted,
        residuals: resid,
        rows: mm.rows,
    })
}

/// Least squares (OLS, or WLS with sampling weights) of any numeric outcome.
///
/// ```
/// use egov_econ::{Frame, regress, EstimateOptions, Vcov};
/// let mut f = Frame::new();
/// f.push_numeric("x", (0..20).map(|i| i as f64).collect()).unwrap();
/// f.push_numeric("y", (0..20).map(|i| 1.0 + 2.0 * i as f64 + if i % 2 == 0 { 0.5 } else { -0.5 }).collect()).unwrap();
/// let opts = EstimateOptions { vcov: Vcov::Iid, ..Default::default() };
/// let r = regress("y ~ x", &f, &opts).unwrap();
/// assert!((r.coefficient("x").unwrap().estimate - 2.0).abs() < 0.01);
/// ```
pub fn regress(
    formula: &str,
    data: &Frame,
    opts: &EstimateOptions,
) -> Result<Regression, EconError> {
    fit(formula, data, opts, false)
}

/// Linear probability model: least squares of a 0/1 outcome, plus the count and share of
/// fitted values outside [0, 1]. Use `Vcov::Hc1` (the default) or a clustered/survey variance:
/// the LPM error is heteroskedastic by construction.
///
/// ```
/// use egov_econ::{Frame, lpm, EstimateOptions};
/// let mut f = Frame::new();
/// f.push_numeric("x", (0..40).map(|i| (i % 10) as f64).collect()).unwrap();
/// f.push_numeric("y", (0..40).map(|i| if (i % 10) + (i % 3) > 6 { 1.0 } else { 0.0 }).collect()).unwrap();
/// let r = lpm("y ~ x", &f, &EstimateOptions::default()).unwrap();
/// assert_eq!(r.vcov, "hc1");
/// assert!(r.fitted_outside_unit_interval.is_some());
/// f.push_numeric("z", vec![2.0; 40]).unwrap();
/// assert!(lpm("z ~ x", &f, &EstimateOptions::default()).is_err());
/// ```
pub fn lpm(formula: &str, data: &Frame, opts: &EstimateOptions) -> Result<Regression, EconError> {
    fit(formula, data, opts, true)
}
