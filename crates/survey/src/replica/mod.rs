//! The synthetic replica of the 2021 ICT household survey: a deterministic generator
//! (ChaCha8, same seed ⇒ same bytes) of a household sample shaped like the 2021 wave, from
//! published margins. Every assumption is listed in `docs/parts/survey-methodology.md`.
//!
//! ```
//! use egov_survey::replica::{ReplicaConfig, generate};
//! let sample = generate(&ReplicaConfig { n: 500, ..Default::default() });
//! assert_eq!(sample.rows.len(), 500);
//! ```

mod codebook_text;
mod params;

pub use codebook_text::codebook_toml;
pub use params::*;

use crate::regions::REGIONS_2021;
use polars::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use serde::Serialize;
use std::path::Path;

/// How respondents who did not use the Internet answer the skill items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Routing {
    /// Everybody is asked every item (default): responses follow the 2PL model exactly.
    #[default]
    AskedAll,
    /// Non-users of the Internet are not asked and are coded "no" on every item.
    NonUsersCodedNo,
}

impl std::str::FromStr for Routing {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "asked-all" | "asked_all" => Ok(Routing::AskedAll),
            "coded-no" | "non-users-coded-no" | "non_users_coded_no" => {
                Ok(Routing::NonUsersCodedNo)
            }
            other => Err(format!(
                "unknown routing `{other}`; use asked-all or coded-no"
            )),
        }
    }
}

/// Generator settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplicaConfig {
    /// Number of adults (default 56,649, the 2021 wave).
    pub n: usize,
    /// Random seed.
    pub seed: u64,
    /// Item routing for non-users of the Internet.
    pub routing: Routing,
    /// Probability that an item response is missing ("don't know"/refused, code 9).
    pub item_missing_rate: f64,
    /// Probability that the outcome is missing (code 9).
    pub outcome_missing_rate: f64,
}

impl Default for ReplicaConfig {
    fn default() -> Self {
        ReplicaConfig {
            n: REPLICA_N,
            seed: REPLICA_SEED,
            routing: Routing::AskedAll,
            item_missing_rate: 0.02,
            outcome_missing_rate: 0.003,
        }
    }
}

/// One generated adult, with raw survey codes plus the true latent skill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplicaRow {
    /// Respondent id (`<household>-<person>`).
    pub resp_id: String,
    /// Household id.
    pub hh_id: String,
    /// Primary sampling unit (cluster of households within a stratum).
    pub psu: u32,
    /// Stratum: region × urban/rural.
    pub stratum: u32,
    /// Region (index into [`REGIONS_2021`]).
    pub region: usize,
    /// True for urban.
    pub urban: bool,
    /// 1 male, 2 female.
    pub sex: u8,
    /// Age in years.
    pub age: u8,
    /// Raw education code 1–6 (99 missing).
    pub educ: u8,
    /// Raw labour code 1–6.
    pub labour: u8,
    /// Used the Internet in the last 3 months.
    pub internet: bool,
    /// Item responses: 1 yes, 2 no, 9 missing.
    pub items: [u8; 11],
    /// Outcome: 1 yes, 2 no, 9 missing.
    pub egov: u8,
    /// Sampling weight.
    pub weight: f64,
    /// True latent skill (standardised).
    pub theta: f64,
}

/// A generated sample.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicaSample {
    /// The settings used.
    pub config: ReplicaConfig,
    /// One row per adult.
    pub rows: Vec<ReplicaRow>,
}

fn pick(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (k, w) in weights.iter().enumerate() {
        if u < *w {
            return k;
        }
        u -= w;
    }
    weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Draws the sample.
pub fn generate(config: &ReplicaConfig) -> ReplicaSample {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let normal = Normal::new(0.0, 1.0).expect("unit normal");
    let n = config.n;
    // Disproportionate allocation (population^0.7) gives small regions more interviews, so
    // weights vary between regions as in a real design.
    let alloc: Vec<f64> = REGIONS_2021
        .iter()
        .map(|r| (r.population_10plus as f64).powf(ALLOCATION_POWER))
        .collect();
    let mut rows: Vec<ReplicaRow> = Vec::with_capacity(n);
    let mut hh = 0u32;
    let mut psu_fill: Vec<(u32, u32)> = vec![(u32::MAX, 0); REGIONS_2021.len() * 2];
    let mut next_psu = 0u32;
    let mut latent = Vec::with_capacity(n);
    while rows.len() < n {
        hh += 1;
        let region = pick(&mut rng, &alloc);
        let reg = &REGIONS_2021[region];
        let urban = rng.random::<f64>() < reg.urban_share;
        let stratum = (region * 2 + usize::from(!urban)) as u32;
        let slot = &mut psu_fill[stratum as usize];
        if slot.0 == u32::MAX || slot.1 >= HOUSEHOLDS_PER_PSU {
            *slot = (next_psu, 0);
            next_psu += 1;
        }
        slot.1 += 1;
        let psu = slot.0;
        let size = 1 + pick(&mut rng, &HOUSEHOLD_ADULTS);
        for person in 0..size {
            if rows.len() >= n {
                break;
            }
            let group = pick(&mut rng, &AGE_GROUP_SHARES);
            let age = AGE_GROUPS[group].0 + rng.random_range(0..10u8);
            let sex = if rng.random::<f64>() < MALE_SHARE_BY_AGE[group] {
                1
            } else {
                2
            };
            // Education: census age profile tilted by an urban–rural and capital–periphery gradient.
            let tilt = if urban {
                EDUC_TILT_URBAN
            } else {
                EDUC_TILT_RURAL
            } + if reg.is_city { EDUC_TILT_CITY } else { 0.0 };
            let mut ew: Vec<f64> = EDUC_BY_AGE[group]
                .iter()
                .zip(EDUC_SCORE)
                .map(|(p, s)| p * (tilt * s).exp())
                .collect();
            if age <= 17 {
                ew[3] = 0.0;
                ew[4] = 0.0;
                ew[5] = 0.0;
            } else if age <= 20 {
                ew[5] = 0.0;
            }
            let educ_index = pick(&mut rng, &ew);
            let educ_missing = rng.random::<f64>() < EDUC_MISSING_RATE;
            let pension_age = if sex == 1 { 63 } else { 61 };
            let lw = labour_weights(age, pension_age, educ_index);
            let labour_index = pick(&mut rng, &lw);
            let level = EDUC_LEVEL_OF_CODE[educ_index];
            let z: f64 = normal.sample(&mut rng);
            let theta_raw = THETA_EDUC[level]
                + THETA_AGE_SLOPE * (f64::from(age) - 30.0).max(0.0)
                + if urban { THETA_URBAN } else { 0.0 }
                + if reg.is_city { THETA_CITY } else { 0.0 }
                + THETA_LABOUR[labour_index]
                + THETA_NOISE_SD * z;
            latent.push(theta_raw);
            rows.push(ReplicaRow {
                resp_id: format!("{hh:06}-{}", person + 1),
                hh_id: format!("{hh:06}"),
                psu,
                stratum,
                region,
                urban,
                sex,
                age,
                educ: if educ_missing {
                    99
                } else {
                    educ_index as u8 + 1
                },
                labour: labour_index as u8 + 1,
                internet: true,
                items: [2; 11],
                egov: 2,
                weight: 0.0,
                theta: 0.0,
            });
        }
    }
    // Standardise the latent skill in the sample, so item parameters are on the N(0,1) scale.
    let mean = latent.iter().sum::<f64>() / n as f64;
    let sd = (latent.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    for (row, raw) in rows.iter_mut().zip(&latent) {
        let theta = (raw - mean) / sd;
        row.theta = theta;
        row.internet = rng.random::<f64>() < logistic(INTERNET_INTERCEPT + INTERNET_SLOPE * theta);
        for (j, item) in ITEMS.iter().enumerate() {
            let p = logistic(item.a * (theta - item.b));
            let yes = rng.random::<f64>() < p;
            let missing = rng.random::<f64>() < config.item_missing_rate;
            row.items[j] = if config.routing == Routing::NonUsersCodedNo && !row.internet {
                2
            } else if missing {
                9
            } else if yes {
                1
            } else {
                2
            };
        }
        let p = outcome_probability(row, theta);
        let yes = rng.random::<f64>() < p;
        row.egov = if rng.random::<f64>() < config.outcome_missing_rate {
            9
        } else if yes {
            1
        } else {
            2
        };
    }
    // Weights: region population 15–74 over region sample size, times log-normal
    // non-response noise, rescaled so each region sums to its population.
    let total_10plus: f64 = REGIONS_2021
        .iter()
        .map(|r| r.population_10plus as f64)
        .sum();
    let mut noise: Vec<f64> = rows
        .iter()
        .map(|_| (WEIGHT_NOISE_SD * normal.sample(&mut rng)).exp())
        .collect();
    let mut sums = vec![0.0; REGIONS_2021.len()];
    for (row, e) in rows.iter().zip(&noise) {
        sums[row.region] += e;
    }
    for (row, e) in rows.iter_mut().zip(noise.iter_mut()) {
        let target = ADULT_POPULATION_15_74 * REGIONS_2021[row.region].population_10plus as f64
            / total_10plus;
        row.weight = (*e * target / sums[row.region] * 1000.0).round() / 1000.0;
    }
    ReplicaSample {
        config: config.clone(),
        rows,
    }
}

fn labour_weights(age: u8, pension_age: u8, educ_index: usize) -> [f64; 6] {
    // Order: wage_employee, self_employed, unemployed, student, pensioner, other_inactive.
    let mut w = match age {
        15..=17 => [0.03, 0.02, 0.0, 0.90, 0.0, 0.05],
        18..=22 => [0.28, 0.08, 0.06, 0.50, 0.0, 0.08],
        23..=29 => [0.62, 0.17, 0.06, 0.04, 0.0, 0.11],
        a if a < 55 => [0.64, 0.21, 0.045, 0.0, 0.005, 0.10],
        a if a < pension_age => [0.50, 0.20, 0.04, 0.0, 0.20, 0.06],
        _ => [0.10, 0.06, 0.0, 0.0, 0.82, 0.02],
    };
    // Graduates are more often wage employees (hired workers are disproportionately graduates).
    if educ_index == 5 && age >= 23 {
        w[0] *= 1.3;
        w[5] *= 0.7;
    }
    w
}

fn outcome_probability(row: &ReplicaRow, theta: f64) -> f64 {
    let reg = &REGIONS_2021[row.region];
    let educ = if row.educ == 99 {
        EDUC_LEVEL_OF_CODE[2]
    } else {
        EDUC_LEVEL_OF_CODE[row.educ as usize - 1]
    };
    let age = f64::from(row.age);
    let age_term = if age < 25.0 {
        EGOV_AGE_YOUNG
    } else if age <= 44.0 {
        0.0
    } else {
        EGOV_AGE_SLOPE_45 * (age - 44.0)
    };
    let p = EGOV_INTERCEPT
        + EGOV_THETA * theta
        + EGOV_EDUC[educ]
        + EGOV_LABOUR[row.labour as usize - 1]
        + if reg.is_city { EGOV_CITY } else { 0.0 }
        + if row.urban { EGOV_URBAN } else { 0.0 }
        + if row.sex == 2 { EGOV_FEMALE } else { 0.0 }
        + age_term;
    p.clamp(0.02, 0.98)
}

impl ReplicaSample {
    /// The sample as a polars data frame with the raw column names of the replica codebook.
    pub fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        let r = &self.rows;
        let mut cols: Vec<Column> = vec![
            Column::new(
                "resp_id".into(),
                r.iter().map(|x| x.resp_id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "hh_id".into(),
                r.iter().map(|x| x.hh_id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "weight".into(),
                r.iter().map(|x| x.weight).collect::<Vec<_>>(),
            ),
            Column::new(
                "psu".into(),
                r.iter().map(|x| x.psu as i32).collect::<Vec<_>>(),
            ),
            Column::new(
                "stratum".into(),
                r.iter().map(|x| x.stratum as i32).collect::<Vec<_>>(),
            ),
            Column::new(
                "region".into(),
                r.iter()
                    .map(|x| {
                        REGIONS_2021[x.region].iso_numeric[3..]
                            .parse::<i32>()
                            .unwrap_or(0)
                    })
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "urban".into(),
                r.iter()
                    .map(|x| if x.urban { 1i32 } else { 2 })
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "sex".into(),
                r.iter().map(|x| i32::from(x.sex)).collect::<Vec<_>>(),
            ),
            Column::new(
                "age".into(),
                r.iter().map(|x| i32::from(x.age)).collect::<Vec<_>>(),
            ),
            Column::new(
                "educ".into(),
                r.iter().map(|x| i32::from(x.educ)).collect::<Vec<_>>(),
            ),
            Column::new(
                "labour".into(),
                r.iter().map(|x| i32::from(x.labour)).collect::<Vec<_>>(),
            ),
            Column::new(
                "internet".into(),
                r.iter()
                    .map(|x| if x.internet { 1i32 } else { 2 })
                    .collect::<Vec<_>>(),
            ),
        ];
        for (j, name) in RAW_ITEM_COLUMNS.iter().enumerate() {
            cols.push(Column::new(
                (*name).into(),
                r.iter().map(|x| i32::from(x.items[j])).collect::<Vec<_>>(),
            ));
        }
        cols.push(Column::new(
            "egov".into(),
            r.iter().map(|x| i32::from(x.egov)).collect::<Vec<_>>(),
        ));
        DataFrame::new_infer_height(cols)
    }

    /// Writes the sample as Parquet (with `synthetic=true` key-value metadata) or CSV, chosen by
    /// the extension of `path`. Output bytes depend only on the configuration.
    pub fn write(&self, path: &Path) -> Result<(), ReplicaWriteError> {
        let mut df = self.to_dataframe()?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let mut file = std::fs::File::create(path).map_err(|source| ReplicaWriteError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        match ext.as_str() {
            "parquet" => {
                let kv = KeyValueMetadata::from_static(vec![
                    ("synthetic".into(), "true".into()),
                    (
                        "description".into(),
                        "SYNTHETIC replica of the 2021 Kazakhstan ICT household survey; not real microdata".into(),
                    ),
                    ("generator".into(), format!("egov-survey {}", env!("CARGO_PKG_VERSION"))),
                    ("seed".into(), self.config.seed.to_string()),
                    ("routing".into(), format!("{:?}", self.config.routing)),
                ]);
                ParquetWriter::new(&mut file)
                    .with_compression(ParquetCompression::Zstd(None))
                    .with_key_value_metadata(Some(kv))
                    .finish(&mut df)?;
            }
            "csv" => {
                CsvWriter::new(&mut file)
                    .include_header(true)
                    .finish(&mut df)?;
            }
            _ => {
                return Err(ReplicaWriteError::Extension {
                    path: path.to_path_buf(),
                });
            }
        }
        Ok(())
    }

    /// JSON text of the generating parameters (for `true_parameters.json`).
    pub fn true_parameters_json(&self) -> String {
        params::true_parameters_json(&self.config)
    }
}

/// Errors when writing a replica file.
#[derive(Debug, thiserror::Error)]
pub enum ReplicaWriteError {
    /// Unsupported extension.
    #[error("cannot write {path}: use a .parquet or .csv file name")]
    Extension {
        /// Output path.
        path: std::path::PathBuf,
    },
    /// I/O failure.
    #[error("cannot write {path}: {source}")]
    Io {
        /// Output path.
        path: std::path::PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// Encoder failure.
    #[error("cannot encode the replica: {0}")]
    Polars(#[from] PolarsError),
}
