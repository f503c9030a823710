//! Inference for a generated `dsi` regressor: the two-step bootstrap and plausible values.

use super::render::num;
use super::{Inference, ModelSpec};
use crate::dataset::{Dataset, ItemMatrix};
use crate::progress::Progress;
use egov_econ::{Regression, Vcov};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// The result of `--inference bootstrap|pv`.
#[derive(Debug, Clone)]
pub struct TwoStep {
    /// The naive model (the DSI treated as data).
    pub naive: Regression,
    /// The two-step bootstrap, when run.
    pub bootstrap: Option<egov_twostep::BootstrapResult>,
    /// The plausible values, when drawn.
    pub pv: Option<egov_twostep::PvResult>,
    /// What was resampled (households, PSUs, clusters or rows).
    pub units: String,
}

impl TwoStep {
    /// The comparison of naive and corrected standard errors.
    pub fn table(&self) -> egov_twostep::InferenceTable {
        egov_twostep::compare(&self.naive, self.bootstrap.as_ref(), self.pv.as_ref())
    }

    /// The `inference` object of the model JSON.
    pub fn to_json(&self) -> anyhow::Result<Value> {
        let mut bootstrap = serde_json::to_value(&self.bootstrap)?;
        if let Some(obj) = bootstrap.as_object_mut() {
            // The replicate-by-term matrix is large; the summaries keep what reports need.
            obj.remove("lpm_replicates");
        }
        Ok(json!({
            "method": if self.bootstrap.is_some() { "bootstrap" } else { "pv" },
            "resampling_units": self.units,
            "table": serde_json::to_value(self.table())?,
            "bootstrap": bootstrap,
            "plausible_values": serde_json::to_value(&self.pv)?,
        }))
    }

    /// CSV rows `lpm_bootstrap` (percentile interval) or `lpm_pv` (Barnard–Rubin t interval);
    /// the statistic and p-value columns are `NA` there.
    pub(crate) fn append_csv(&self, out: &mut String) {
        let num = |v: f64| {
            if v.is_finite() {
                format!("{v:.17e}")
            } else {
                "NA".into()
            }
        };
        for row in &self.table().rows {
            let term = if row.term.contains([',', '"']) {
                format!("\"{}\"", row.term.replace('"', "\"\""))
            } else {
                row.term.clone()
            };
            let mut line = |model: &str, est: f64, se: f64, interval: Option<(f64, f64)>| {
                let (lo, hi) = interval.unwrap_or((f64::NAN, f64::NAN));
                let _ = writeln!(
                    out,
                    "{model},{term},{},{},NA,NA,{},{}",
                    num(est),
                    num(se),
                    num(lo),
                    num(hi)
                );
            };
            if let Some(se) = row.bootstrap_se {
                line("lpm_bootstrap", row.estimate, se, row.bootstrap_percentile);
            }
            if let (Some(est), Some(se)) = (row.pv_estimate, row.pv_se) {
                line("lpm_pv", est, se, row.pv_interval);
            }
        }
    }

    pub(crate) fn render_text(&self) -> String {
        let table = self.table();
        let mut s = String::new();
        let boot = self.bootstrap.is_some();
        if let Some(b) = &self.bootstrap {
            let strata = if b.n_strata > 1 {
                format!(" in {} strata", b.n_strata)
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "\nTwo-step {} over {} ({} clusters{strata}): {} of {} replicates succeeded",
                b.method, self.units, b.n_clusters, b.successful, b.replicates
            );
        } else if let Some(p) = &self.pv {
            let _ = writeln!(
                s,
                "\nPlausible values: {} draws (seed {}), each standardised, combined by Rubin's rules",
                p.draws, p.seed
            );
        }
        let width = table
            .rows
            .iter()
            .map(|r| r.term.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        let _ = writeln!(
            s,
            "{:<width$}  {:>10} {:>10} {:>10} {:>7}  {:>21}",
            "term",
            "estimate",
            "naive se",
            if boot { "boot se" } else { "pv se" },
            "ratio",
            if boot {
                "percentile interval"
            } else {
                "Rubin interval"
            }
        );
        for r in &table.rows {
            let (estimate, se, ratio, interval) = if boot {
                (
                    r.estimate,
                    r.bootstrap_se,
                    r.se_ratio_bootstrap,
                    r.bootstrap_percentile,
                )
            } else {
                (
                    r.pv_estimate.unwrap_or(f64::NAN),
                    r.pv_se,
                    r.se_ratio_pv,
                    r.pv_interval,
                )
            };
            let (lo, hi) = interval.unwrap_or((f64::NAN, f64::NAN));
            let _ = writeln!(
                s,
                "{:<width$}  {:>10} {:>10} {:>10} {:>7}  [{:>9}, {:>9}]",
                r.term,
                num(estimate, 5),
                num(r.naive_se, 5),
                se.map_or("–".into(), |v| num(v, 5)),
                ratio.map_or("–".into(), |v| num(v, 2)),
                num(lo, 5),
                num(hi, 5)
            );
        }
        if let Some(b) = &self.bootstrap {
            for (replicate, reason) in b.failures.iter().take(5) {
                let _ = writeln!(s, "warning: replicate {replicate} failed: {reason}");
            }
        }
        s
    }
}

/// Dense 0-based ids of a column's values (for resampling units).
fn dense_ids(frame: &egov_econ::Frame, name: &str) -> anyhow::Result<Vec<u32>> {
    let mut map = std::collections::HashMap::new();
    let mut id = |key: u64| {
        let next = map.len() as u32;
        *map.entry(key).or_insert(next)
    };
    Ok(match frame.column(name)? {
        egov_econ::Column::Numeric(v) => v.iter().map(|x| id(x.to_bits())).collect(),
        egov_econ::Column::Categorical(c) => c
            .codes
            .iter()
            .map(|x| id(x.map_or(u64::MAX, u64::from)))
            .collect(),
    })
}

/// The item calibration behind a `dsi` column: the items, the person weights and the fit.
pub(crate) struct Calibration<'a> {
    pub(crate) items: &'a ItemMatrix,
    pub(crate) weights: Option<&'a [f64]>,
    pub(crate) fit: &'a egov_irt::ItemFit,
}

/// Runs the two-step bootstrap or the plausible values for the LPM on the DSI, reusing the
/// calibration's fit as the full-sample item model.
pub(crate) fn run_two_step(
    spec: &ModelSpec,
    ds: &Dataset,
    calibration: &Calibration,
    formula: &str,
    vcov: &Vcov,
    progress: &dyn Progress,
) -> anyhow::Result<TwoStep> {
    // Resampling units: the design's PSUs within strata, else the (first) cluster column, else
    // households of codebook data, else single rows.
    let (clusters, strata, units) = match vcov {
        Vcov::Survey { psu, strata } => (
            dense_ids(&ds.frame, psu)?,
            strata
                .as_deref()
                .map(|s| dense_ids(&ds.frame, s))
                .transpose()?,
            format!("PSUs `{psu}`"),
        ),
        Vcov::Cluster(cols) => (
            dense_ids(&ds.frame, &cols[0])?,
            None,
            format!("clusters `{}`", cols[0]),
        ),
        _ if ds.has_codebook => (
            dense_ids(&ds.frame, "household")?,
            None,
            "households".into(),
        ),
        _ => ((0..ds.frame.n_rows() as u32).collect(), None, "rows".into()),
    };
    let data = egov_twostep::TwoStepData {
        responses: &calibration.items.responses,
        n_items: calibration.items.n_items(),
        item_names: &calibration.items.names,
        frame: &ds.frame,
        formula,
        weights: calibration.weights,
        clusters: &clusters,
        strata: strata.as_deref(),
        naive_vcov: vcov.clone(),
        fitted: Some(calibration.fit),
    };
    let conf_level = spec.conf_level;
    match spec.inference {
        Inference::Bootstrap { replicates, seed } => {
            let opts = egov_twostep::BootstrapOptions {
                replicates,
                seed,
                conf_level,
                ..Default::default()
            };
            progress.start_steps(replicates as u64, "bootstrap replicates");
            let done = std::sync::atomic::AtomicU64::new(0);
            let step = |_: usize| {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress.step(n);
            };
            let analysis = egov_twostep::analyse(&data, Some(&opts), None, Some(&step));
            progress.finish_steps();
            let analysis = analysis?;
            Ok(TwoStep {
                naive: analysis.naive,
                bootstrap: analysis.bootstrap,
                pv: None,
                units,
            })
        }
        Inference::PlausibleValues {
            draws,
            seed,
            conditioned,
        } => {
            let opts = egov_twostep::PvOptions {
                draws,
                seed,
                conf_level,
                ..Default::default()
            };
            let analysis =
                egov_twostep::analyse(&data, None, (!conditioned).then_some(&opts), None)?;
            let pv = if conditioned {
                Some(egov_twostep::conditioned_plausible_values(&data, &opts)?)
            } else {
                analysis.plausible_values
            };
            Ok(TwoStep {
                naive: analysis.naive,
                bootstrap: None,
                pv,
                units,
            })
        }
        Inference::Naive => anyhow::bail!("naive inference needs no second step"),
    }
}
