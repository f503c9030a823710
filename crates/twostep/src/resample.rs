//! Two-step resampling: the cluster (or stratified Rao–Wu–Yue) bootstrap and replicate weights
//! supplied with the data.

use std::sync::Mutex;

use egov_econ::{EstimateOptions, Frame, Vcov, logit, probit};
use egov_irt::FitOptions;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::design::{Prepared, Scratch, dsi_column, with_column};
use crate::stats::{bc_interval, normal_quantile, percentile_interval, student_quantile};
use crate::{DSI, TwoStepData, TwoStepError, WEIGHT_COLUMN};

/// Options of [`bootstrap`].
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapOptions {
    /// Number of bootstrap replicates (default 999, so that (R + 1)·0.025 is an integer).
    pub replicates: usize,
    /// Seed; replicate r draws from ChaCha8 seeded with `seed` on stream r, so results do not
    /// depend on the number of threads.
    pub seed: u64,
    /// Confidence level of the intervals (default 0.95).
    pub conf_level: f64,
    /// Also re-estimate logit and probit average marginal effects in every replicate
    /// (default false: each adds two maximum-likelihood fits per replicate).
    pub binary_models: bool,
    /// Refit the item model in every replicate (default true). `false` keeps the item
    /// parameters at their full-sample values: the one-step bootstrap that ignores the
    /// estimation of the scale, useful to see how much of the variance the first step adds.
    pub refit_irt: bool,
    /// Options of the item-model fit; replicates are warm-started at the full-sample estimates.
    pub irt: FitOptions,
    /// Convergence tolerance of the replicate refits (default 1e-4, on the largest Newton step).
    /// Newton converges quadratically, so a last step below 1e-4 leaves an error of order 1e-8,
    /// far below the bootstrap variation of the item parameters; it saves a third of the time.
    pub replicate_tolerance: f64,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        BootstrapOptions {
            replicates: 999,
            seed: 20_210_601,
            conf_level: 0.95,
            binary_models: false,
            refit_irt: true,
            irt: FitOptions::default(),
            replicate_tolerance: 1e-4,
        }
    }
}

/// Variance formula for replicate weights supplied with the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ReplicateVariance {
    /// Bootstrap weights: V = (1/R) Σ_r (θ_r − θ̂)² (R `survey`'s `type = "bootstrap"`, which
    /// uses the scale 1/(R − 1) around the replicate mean unless `mse`; see [`Centre`]).
    Bootstrap,
    /// Delete-one-cluster jackknife: V = (R − 1)/R Σ_r (θ_r − θ̂)².
    Jk1,
    /// Stratified jackknife: V = Σ_r c_r (θ_r − θ̂)² with c_r = (n_h − 1)/n_h of the replicate's
    /// stratum; pass one factor per replicate.
    Jkn {
        /// c_r, one per replicate.
        rscales: Vec<f64>,
    },
    /// V = scale · Σ_r c_r (θ_r − θ̂)², with c_r = 1 when `rscales` is None.
    Custom {
        /// The overall scale.
        scale: f64,
        /// c_r, one per replicate (all 1 when `None`).
        rscales: Option<Vec<f64>>,
    },
}

/// Centre of the squared deviations of the replicate estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Centre {
    /// The full-sample estimate θ̂ (R `survey` with `mse = TRUE`; conservative).
    #[default]
    FullSample,
    /// The mean of the replicate estimates.
    ReplicateMean,
}

/// Replicate weights shipped with a survey and how to turn them into a variance.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateWeights<'a> {
    /// One column of person weights per replicate (already including the base weight).
    pub columns: &'a [Vec<f64>],
    /// Variance formula.
    pub variance: ReplicateVariance,
    /// Centre of the deviations.
    pub centre: Centre,
    /// Confidence level of the (t, R − 1 df) intervals.
    pub conf_level: f64,
    /// Refit the item model per replicate (see [`BootstrapOptions::refit_irt`]).
    pub refit_irt: bool,
    /// Item-model options.
    pub irt: FitOptions,
    /// Convergence tolerance of the replicate refits (see [`BootstrapOptions::replicate_tolerance`]).
    pub replicate_tolerance: f64,
}

/// Resampling summary of one coefficient or marginal effect.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ResampledEstimate {
    /// Term name.
    pub term: String,
    /// Full-sample two-step estimate.
    pub estimate: f64,
    /// Mean of the replicate estimates.
    pub replicate_mean: f64,
    /// replicate_mean − estimate.
    pub bias: f64,
    /// Standard error (bootstrap: SD of the replicates; replicate weights: the chosen formula).
    pub std_error: f64,
    /// estimate ∓ critical value × std_error (normal for the bootstrap, t(R − 1) for replicate weights).
    pub wald_interval: (f64, f64),
    /// Percentile interval (bootstrap only).
    pub percentile_interval: Option<(f64, f64)>,
    /// Bias-corrected percentile interval (bootstrap only).
    pub bc_interval: Option<(f64, f64)>,
}

/// Result of [`bootstrap`] or [`replicate_weights`].
#[derive(Debug, Clone, Serialize)]
pub struct BootstrapResult {
    /// `cluster bootstrap`, `stratified Rao-Wu-Yue bootstrap` or `replicate weights (…)`.
    pub method: String,
    /// Replicates requested.
    pub replicates: usize,
    /// Replicates that produced estimates (the summaries use these only).
    pub successful: usize,
    /// Failed replicates with their reasons, `(replicate index, reason)`.
    pub failures: Vec<(usize, String)>,
    /// Seed (bootstrap only).
    pub seed: Option<u64>,
    /// Confidence level.
    pub conf_level: f64,
    /// Whether the item model was refitted in every replicate.
    pub refit_irt: bool,
    /// Resampling clusters (PSUs or households) and strata.
    pub n_clusters: usize,
    /// Number of strata (1 when the design has none).
    pub n_strata: usize,
    /// LPM coefficients.
    pub lpm: Vec<ResampledEstimate>,
    /// Logit average marginal effects (when requested).
    pub logit_ame: Option<Vec<ResampledEstimate>>,
    /// Probit average marginal effects (when requested).
    pub probit_ame: Option<Vec<ResampledEstimate>>,
    /// LPM coefficient draws, replicate-major, for the successful replicates.
    pub lpm_replicates: Vec<Vec<f64>>,
}

impl BootstrapResult {
    /// The summary of LPM term `term`.
    pub fn term(&self, term: &str) -> Option<&ResampledEstimate> {
        self.lpm.iter().find(|e| e.term == term)
    }
    /// JSON (pretty-printed).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// Clusters, their strata, and each person's cluster, all densely numbered.
pub(crate) struct ClusterPlan {
    pub person_cluster: Vec<u32>,
    /// Clusters of each stratum.
    pub strata: Vec<Vec<u32>>,
    pub n_clusters: usize,
    pub stratified: bool,
}

impl ClusterPlan {
    pub(crate) fn new(clusters: &[u32], strata: Option<&[u32]>) -> Result<Self, TwoStepError> {
        use std::collections::HashMap;
        let mut cluster_index: HashMap<u32, u32> = HashMap::new();
        let mut stratum_index: HashMap<u32, usize> = HashMap::new();
        let mut cluster_stratum: Vec<(u32, usize)> = Vec::new(); // (raw stratum, dense stratum)
        let mut groups: Vec<Vec<u32>> = Vec::new();
        let mut person_cluster = Vec::with_capacity(clusters.len());
        for (row, &c) in clusters.iter().enumerate() {
            let s = strata.map_or(0, |s| s[row]);
            let next = cluster_index.len() as u32;
            let id = *cluster_index.entry(c).or_insert(next);
            if id == next {
                let ns = stratum_index.len();
                let h = *stratum_index.entry(s).or_insert(ns);
                if h == groups.len() {
                    groups.push(Vec::new());
                }
                groups[h].push(id);
                cluster_stratum.push((s, h));
            } else if cluster_stratum[id as usize].0 != s {
                return Err(TwoStepError::ClusterAcrossStrata {
                    cluster: c,
                    first: cluster_stratum[id as usize].0,
                    second: s,
                    row: row + 1,
                });
            }
            person_cluster.push(id);
        }
        let stratified = strata.is_some();
        if stratified && let Some(h) = groups.iter().position(|g| g.len() < 2) {
            let raw = stratum_index
                .iter()
                .find(|(_, v)| **v == h)
                .map_or(0, |(k, _)| *k);
            return Err(TwoStepError::SingleClusterStratum { stratum: raw });
        }
        if cluster_index.len() < 2 {
            return Err(TwoStepError::BadOption {
                option: "clusters",
                reason: "at least two clusters are needed to resample".into(),
            });
        }
        Ok(ClusterPlan {
            person_cluster,
            n_clusters: cluster_index.len(),
            strata: groups,
            stratified,
        })
    }

    /// Weight multiplier of every cluster in replicate `replicate`.
    ///
    /// Without strata: n clusters drawn with replacement (multiplier = times drawn). With strata:
    /// n_h − 1 draws per stratum, multiplier = times drawn × n_h/(n_h − 1) (Rao, Wu and Yue 1992),
    /// which makes the bootstrap variance of a linear statistic equal the with-replacement
    /// linearisation variance.
    pub(crate) fn multipliers(&self, seed: u64, replicate: usize, out: &mut [f64]) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(replicate as u64);
        out.iter_mut().for_each(|m| *m = 0.0);
        for group in &self.strata {
            let nh = group.len();
            let (draws, factor) = if self.stratified {
                (nh - 1, nh as f64 / (nh as f64 - 1.0))
            } else {
                (nh, 1.0)
            };
            for _ in 0..draws {
                let pick = group[rng.random_range(0..nh)];
                out[pick as usize] += factor;
            }
        }
    }
}

/// One replicate's statistics: LPM coefficients and optional AMEs.
type ReplicateOutcome = Result<(Vec<f64>, Option<Vec<f64>>, Option<Vec<f64>>), String>;

struct Binary<'a> {
    prepared: &'a Prepared<'a>,
    frame: &'a Frame,
    vcov: Vcov,
}

impl Binary<'_> {
    /// AMEs of logit and probit for a DSI and weights, in the order of the full-sample AMEs.
    fn ames(
        &self,
        dsi: &[Option<f64>],
        w: &[f64],
        terms: &(Vec<String>, Vec<String>),
    ) -> Result<(Vec<f64>, Vec<f64>), String> {
        let mut f = with_column(self.frame, DSI, dsi_column(dsi));
        f.set(WEIGHT_COLUMN, egov_econ::Column::Numeric(w.to_vec()))
            .map_err(|e| e.to_string())?;
        let opts = EstimateOptions {
            weights: Some(WEIGHT_COLUMN.into()),
            vcov: self.vcov.clone(),
            conf_level: 0.95,
        };
        let pick = |ame: &[egov_econ::Coefficient], names: &[String]| -> Result<Vec<f64>, String> {
            names
                .iter()
                .map(|t| {
                    ame.iter()
                        .find(|c| &c.term == t)
                        .map(|c| c.estimate)
                        .ok_or_else(|| format!("marginal effect of `{t}` missing in replicate"))
                })
                .collect()
        };
        let formula = self.prepared.data.formula;
        let l = logit(formula, &f, &opts).map_err(|e| e.to_string())?;
        let p = probit(formula, &f, &opts).map_err(|e| e.to_string())?;
        Ok((pick(&l.ame, &terms.0)?, pick(&p.ame, &terms.1)?))
    }
}

/// Full-sample logit and probit AMEs (term names and estimates).
type FullAmes = ((Vec<String>, Vec<f64>), (Vec<String>, Vec<f64>));

fn full_ames(prepared: &Prepared) -> Result<FullAmes, TwoStepError> {
    // Iid variance: only the point estimates are used, and it is the cheapest.
    let opts = EstimateOptions {
        weights: Some(WEIGHT_COLUMN.into()),
        vcov: Vcov::Iid,
        conf_level: 0.95,
    };
    let formula = prepared.data.formula;
    let l = logit(formula, &prepared.frame, &opts)?;
    let p = probit(formula, &prepared.frame, &opts)?;
    let split = |c: &[egov_econ::Coefficient]| {
        (
            c.iter().map(|c| c.term.clone()).collect::<Vec<_>>(),
            c.iter().map(|c| c.estimate).collect::<Vec<_>>(),
        )
    };
    Ok((split(&l.ame), split(&p.ame)))
}

/// AME term names of logit and probit.
type AmeTerms = (Vec<String>, Vec<String>);

/// Run the two-step estimate under `weights_for(replicate)` for every replicate, in parallel.
fn run_replicates<F>(
    prepared: &Prepared,
    replicates: usize,
    warm: &FitOptions,
    refit_irt: bool,
    binary: Option<(&Binary, &AmeTerms)>,
    progress: Option<&(dyn Fn(usize) + Sync)>,
    weights_for: F,
) -> Vec<ReplicateOutcome>
where
    F: Fn(usize, &mut Vec<f64>) + Sync,
{
    // The callback runs under a lock, so counts arrive in increasing order from any thread.
    let done = Mutex::new(0usize);
    (0..replicates)
        .into_par_iter()
        .map_init(
            || (Scratch::default(), Vec::<f64>::new()),
            |(scratch, w), r| {
                weights_for(r, w);
                let outcome = (|| {
                    let per_pattern = prepared.rescore(w, warm, refit_irt)?;
                    let dsi = prepared.person_dsi(&per_pattern);
                    let beta = prepared.coefficients(&dsi, w, scratch)?;
                    match binary {
                        Some((b, terms)) => {
                            let (l, p) = b.ames(&dsi, w, terms)?;
                            Ok((beta, Some(l), Some(p)))
                        }
                        None => Ok((beta, None, None)),
                    }
                })();
                if let Ok(mut finished) = done.lock() {
                    *finished += 1;
                    if let Some(cb) = progress {
                        cb(*finished);
                    }
                }
                outcome
            },
        )
        .collect()
}

/// How the replicate estimates become a variance and intervals.
enum Summary<'a> {
    Bootstrap { conf_level: f64 },
    Replicate(&'a ReplicateWeights<'a>),
}

fn summarise(
    terms: &[String],
    full: &[f64],
    draws: &[Vec<f64>],
    how: &Summary,
) -> Result<Vec<ResampledEstimate>, TwoStepError> {
    let r = draws.len();
    let mut out = Vec::with_capacity(terms.len());
    for (j, term) in terms.iter().enumerate() {
        let values: Vec<f64> = draws.iter().map(|d| d[j]).collect();
        let mean = values.iter().sum::<f64>() / r as f64;
        let (std_error, wald, percentile, bc) = match how {
            Summary::Bootstrap { conf_level } => {
                let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (r as f64 - 1.0);
                let se = var.sqrt();
                let z = normal_quantile(0.5 + conf_level / 2.0);
                let mut sorted = values.clone();
                sorted.sort_by(f64::total_cmp);
                (
                    se,
                    (full[j] - z * se, full[j] + z * se),
                    Some(percentile_interval(&sorted, *conf_level)),
                    Some(bc_interval(&sorted, full[j], *conf_level)),
                )
            }
            Summary::Replicate(spec) => {
                let rf = r as f64;
                let var = replicate_variance(full[j], &values, &spec.variance, spec.centre);
                let se = var.sqrt();
                let t = student_quantile(0.5 + spec.conf_level / 2.0, rf - 1.0);
                (se, (full[j] - t * se, full[j] + t * se), None, None)
            }
        };
        out.push(ResampledEstimate {
            term: term.clone(),
            estimate: full[j],
            replicate_mean: mean,
            bias: mean - full[j],
            std_error,
            wald_interval: wald,
            percentile_interval: percentile,
            bc_interval: bc,
        });
    }
    Ok(out)
}

/// Collect successes and failures; fail when fewer than half the replicates (or fewer than 2) worked.
#[allow(clippy::type_complexity)]
fn split_outcomes(
    outcomes: Vec<ReplicateOutcome>,
) -> Result<
    (
        Vec<Vec<f64>>,
        Vec<Vec<f64>>,
        Vec<Vec<f64>>,
        Vec<(usize, String)>,
    ),
    TwoStepError,
> {
    let requested = outcomes.len();
    let (mut lpm, mut lo, mut pr, mut failures) = (vec![], vec![], vec![], vec![]);
    for (r, o) in outcomes.into_iter().enumerate() {
        match o {
            Ok((b, l, p)) => {
                lpm.push(b);
                if let Some(l) = l {
                    lo.push(l);
                }
                if let Some(p) = p {
                    pr.push(p);
                }
            }
            Err(e) => failures.push((r, e)),
        }
    }
    if lpm.len() < 2 || failures.len() * 2 > requested {
        return Err(TwoStepError::TooManyFailures {
            failed: failures.len(),
            requested,
            reason: failures
                .first()
                .map_or_else(|| "too few replicates".into(), |f| f.1.clone()),
        });
    }
    Ok((lpm, lo, pr, failures))
}

/// Two-step cluster bootstrap of the LPM on the DSI (and, optionally, of logit/probit AMEs).
///
/// Each replicate resamples clusters (households, or PSUs within strata when `data.strata` is
/// set), refits the 2PL on the replicate's pattern weights (warm-started), rescores the EAP,
/// re-standardises the DSI with the replicate weights and refits the LPM on the fixed design.
/// `progress`, if given, is called after every replicate with the number finished so far
/// (1, 2, …, in increasing order, from worker threads).
///
/// ```
/// use egov_twostep::{bootstrap, BootstrapOptions, TwoStepData, simulate::{simulate, SimulationSpec}};
/// let sim = simulate(&SimulationSpec { persons: 600, ..SimulationSpec::default() });
/// let data = sim.data("y ~ dsi + female + urban");
/// let opts = BootstrapOptions { replicates: 19, ..BootstrapOptions::default() };
/// let boot = bootstrap(&data, &opts, None).unwrap();
/// assert_eq!(boot.successful + boot.failures.len(), 19);
/// assert!(boot.term("dsi").unwrap().std_error > 0.0);
/// ```
pub fn bootstrap(
    data: &TwoStepData,
    opts: &BootstrapOptions,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<BootstrapResult, TwoStepError> {
    check_bootstrap_options(opts)?;
    let prepared = Prepared::new(data, &opts.irt, opts.conf_level)?;
    bootstrap_prepared(&prepared, opts, progress)
}

/// Checks of [`BootstrapOptions`] that need no data.
pub(crate) fn check_bootstrap_options(opts: &BootstrapOptions) -> Result<(), TwoStepError> {
    if opts.replicates < 2 {
        return Err(TwoStepError::BadOption {
            option: "replicates",
            reason: format!("{} < 2; 999 is a sound default", opts.replicates),
        });
    }
    check_conf(opts.conf_level)
}

/// [`bootstrap`] on an already prepared full-sample fit.
pub(crate) fn bootstrap_prepared(
    prepared: &Prepared,
    opts: &BootstrapOptions,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<BootstrapResult, TwoStepError> {
    let data = prepared.data;
    let plan = ClusterPlan::new(data.clusters, data.strata)?;
    let method = if plan.stratified {
        "stratified Rao-Wu-Yue bootstrap of PSUs (n_h - 1 draws per stratum)"
    } else {
        "cluster bootstrap"
    };
    let binary_full = if opts.binary_models {
        Some(full_ames(prepared)?)
    } else {
        None
    };
    let binary = Binary {
        prepared,
        frame: &prepared.frame,
        vcov: Vcov::Iid,
    };
    let ame_terms = binary_full
        .as_ref()
        .map(|(l, p)| (l.0.clone(), p.0.clone()));
    let base = &prepared.base_weights;
    let outcomes = run_replicates(
        prepared,
        opts.replicates,
        &prepared.warm_start(&opts.irt, opts.replicate_tolerance),
        opts.refit_irt,
        ame_terms.as_ref().map(|t| (&binary, t)),
        progress,
        |r, w| {
            let mut m = vec![0.0; plan.n_clusters];
            plan.multipliers(opts.seed, r, &mut m);
            w.clear();
            w.extend(
                plan.person_cluster
                    .iter()
                    .zip(base)
                    .map(|(&c, &b)| b * m[c as usize]),
            );
        },
    );
    let (lpm, lo, pr, failures) = split_outcomes(outcomes)?;
    let how = Summary::Bootstrap {
        conf_level: opts.conf_level,
    };
    let full: Vec<f64> = prepared
        .naive
        .coefficients
        .iter()
        .map(|c| c.estimate)
        .collect();
    let lpm_summary = summarise(&prepared.terms, &full, &lpm, &how)?;
    let (logit_ame, probit_ame) = match &binary_full {
        Some((l, p)) => (
            Some(summarise(&l.0, &l.1, &lo, &how)?),
            Some(summarise(&p.0, &p.1, &pr, &how)?),
        ),
        None => (None, None),
    };
    Ok(BootstrapResult {
        method: method.into(),
        replicates: opts.replicates,
        successful: lpm.len(),
        failures,
        seed: Some(opts.seed),
        conf_level: opts.conf_level,
        refit_irt: opts.refit_irt,
        n_clusters: plan.n_clusters,
        n_strata: plan.strata.len(),
        lpm: lpm_summary,
        logit_ame,
        probit_ame,
        lpm_replicates: lpm,
    })
}

fn check_conf(conf_level: f64) -> Result<(), TwoStepError> {
    if conf_level > 0.0 && conf_level < 1.0 {
        Ok(())
    } else {
        Err(TwoStepError::BadOption {
            option: "conf_level",
            reason: format!("{conf_level} is not in (0, 1)"),
        })
    }
}

/// Two-step variance from replicate weights supplied with the data (JK1, JKn, bootstrap
/// weights or a custom formula): the whole two-step estimate is recomputed under every replicate
/// weight column. `data.clusters` is not used for resampling here.
///
/// ```
/// use egov_twostep::{replicate_weights, ReplicateWeights, ReplicateVariance, Centre, TwoStepData};
/// use egov_twostep::simulate::{simulate, SimulationSpec};
/// let sim = simulate(&SimulationSpec { persons: 400, ..SimulationSpec::default() });
/// let data = sim.data("y ~ dsi + female");
/// // Delete-a-group jackknife over 10 groups of households.
/// let columns: Vec<Vec<f64>> = (0..10u32)
///     .map(|g| sim.households.iter().map(|h| if h % 10 == g { 0.0 } else { 10.0 / 9.0 }).collect())
///     .collect();
/// let spec = ReplicateWeights { columns: &columns, variance: ReplicateVariance::Jk1,
///     centre: Centre::FullSample, conf_level: 0.95, refit_irt: true, irt: Default::default(),
///     replicate_tolerance: 1e-4 };
/// let res = replicate_weights(&data, &spec, None).unwrap();
/// assert!(res.term("dsi").unwrap().std_error > 0.0);
/// ```
pub fn replicate_weights(
    data: &TwoStepData,
    spec: &ReplicateWeights,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<BootstrapResult, TwoStepError> {
    check_conf(spec.conf_level)?;
    let r = spec.columns.len();
    if r < 2 {
        return Err(TwoStepError::ReplicateWeights(format!(
            "{r} replicate column(s); at least 2 are needed"
        )));
    }
    let n = data.frame.n_rows();
    for (c, col) in spec.columns.iter().enumerate() {
        if col.len() != n {
            return Err(TwoStepError::ReplicateWeights(format!(
                "column {} has {} values for {n} rows",
                c + 1,
                col.len()
            )));
        }
        if let Some((row, v)) = col
            .iter()
            .enumerate()
            .find(|(_, v)| !v.is_finite() || **v < 0.0)
        {
            return Err(TwoStepError::ReplicateWeights(format!(
                "column {}, row {}: weight {v} is negative or not finite",
                c + 1,
                row + 1
            )));
        }
    }
    let rscales = match &spec.variance {
        ReplicateVariance::Jkn { rscales } => Some(rscales),
        ReplicateVariance::Custom {
            rscales: Some(r), ..
        } => Some(r),
        _ => None,
    };
    if let Some(rs) = rscales
        && rs.len() != r
    {
        return Err(TwoStepError::ReplicateWeights(format!(
            "{} rscales for {r} replicate columns; pass one factor per column",
            rs.len()
        )));
    }
    let prepared = Prepared::new(data, &spec.irt, spec.conf_level)?;
    let outcomes = run_replicates(
        &prepared,
        r,
        &prepared.warm_start(&spec.irt, spec.replicate_tolerance),
        spec.refit_irt,
        None,
        progress,
        |rep, w| {
            w.clear();
            w.extend_from_slice(&spec.columns[rep]);
        },
    );
    // Every replicate column enters the variance formula: none may be skipped.
    if let Some((rep, reason)) = outcomes
        .iter()
        .enumerate()
        .find_map(|(i, o)| o.as_ref().err().map(|e| (i, e.clone())))
    {
        return Err(TwoStepError::ReplicateWeights(format!(
            "replicate {rep} failed ({reason}); a replicate-weight variance needs every replicate"
        )));
    }
    let (lpm, _, _, failures) = split_outcomes(outcomes)?;
    let full: Vec<f64> = prepared
        .naive
        .coefficients
        .iter()
        .map(|c| c.estimate)
        .collect();
    let lpm_summary = summarise(&prepared.terms, &full, &lpm, &Summary::Replicate(spec))?;
    let label = match &spec.variance {
        ReplicateVariance::Bootstrap => "bootstrap",
        ReplicateVariance::Jk1 => "JK1",
        ReplicateVariance::Jkn { .. } => "JKn",
        ReplicateVariance::Custom { .. } => "custom",
    };
    Ok(BootstrapResult {
        method: format!("replicate weights ({label})"),
        replicates: r,
        successful: lpm.len(),
        failures,
        seed: None,
        conf_level: spec.conf_level,
        refit_irt: spec.refit_irt,
        n_clusters: 0,
        n_strata: 0,
        lpm: lpm_summary,
        logit_ame: None,
        probit_ame: None,
        lpm_replicates: lpm,
    })
}

/// Variance of replicate estimates `replicates` around `full` (or their mean) under a
/// replicate-weight formula: exposed so the formula can be checked on its own.
///
/// ```
/// use egov_twostep::{replicate_variance, ReplicateVariance, Centre};
/// let v = replicate_variance(1.0, &[0.9, 1.1, 1.0, 1.0], &ReplicateVariance::Jk1, Centre::FullSample);
/// assert!((v - 0.75 * 0.02).abs() < 1e-15);
/// ```
pub fn replicate_variance(
    full: f64,
    replicates: &[f64],
    variance: &ReplicateVariance,
    centre: Centre,
) -> f64 {
    let r = replicates.len() as f64;
    let c = match centre {
        Centre::FullSample => full,
        Centre::ReplicateMean => replicates.iter().sum::<f64>() / r,
    };
    let ss = |scales: Option<&[f64]>| -> f64 {
        replicates
            .iter()
            .enumerate()
            .map(|(i, v)| scales.map_or(1.0, |s| s[i]) * (v - c).powi(2))
            .sum()
    };
    match variance {
        ReplicateVariance::Bootstrap => ss(None) / r,
        ReplicateVariance::Jk1 => (r - 1.0) / r * ss(None),
        ReplicateVariance::Jkn { rscales } => ss(Some(rscales)),
        ReplicateVariance::Custom { scale, rscales } => scale * ss(rscales.as_deref()),
    }
}
