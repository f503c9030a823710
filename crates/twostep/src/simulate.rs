//! Survey-like data simulated with known truth, for tests, benchmarks and the Monte Carlo study.
//!
//! Persons live in households (1–4 members) in 17 regions. Skill θ depends on urban residence,
//! education, age, income and a household effect; 11 yes/no items follow a 2PL in θ; the outcome
//! is Bernoulli with a probability linear in θ and the covariates (plus a household effect, so
//! that clustering matters). A small share of item answers is missing, and a few persons answer
//! no item at all (they get no DSI and leave the regression, counted in its dropped rows).

use egov_econ::{Categorical, Frame, Vcov};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::TwoStepData;

/// The regression of the replica: about 35 coefficients.
pub const FULL_FORMULA: &str =
    "y ~ dsi + female + urban + age + I(age^2) + education + labour + region + income + hhsize";

/// True 2PL slopes of the 11 items (on the raw θ scale of the simulation).
pub const TRUE_SLOPES: [f64; 11] = [1.3, 1.8, 2.2, 1.5, 2.5, 1.9, 1.4, 2.0, 1.7, 1.1, 2.3];
/// True 2PL difficulties.
pub const TRUE_DIFFICULTIES: [f64; 11] =
    [-1.6, -1.2, -0.8, -0.5, -0.2, 0.1, 0.4, 0.7, 1.0, 1.3, 1.7];
/// Coefficient of raw θ in the outcome probability.
pub const THETA_EFFECT: f64 = 0.12;
/// Coefficient of `urban` in the outcome probability (θ also rises with `urban`).
pub const URBAN_EFFECT: f64 = 0.05;

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulationSpec {
    /// Number of persons.
    pub persons: usize,
    /// Seed.
    pub seed: u64,
    /// Household-constant sampling weights between 0.5 and 2 (default true); false = all 1.
    pub weighted: bool,
    /// Share of item answers missing at random (default 0.01).
    pub item_missing: f64,
    /// Share of persons answering no item (default 0.005).
    pub person_missing: f64,
}

impl Default for SimulationSpec {
    fn default() -> Self {
        SimulationSpec {
            persons: 5_000,
            seed: 1,
            weighted: true,
            item_missing: 0.01,
            person_missing: 0.005,
        }
    }
}

/// A simulated data set with its truth.
#[derive(Debug, Clone)]
pub struct Simulated {
    /// Row-major persons × 11 responses (0, 1, 255 = missing).
    pub responses: Vec<u8>,
    /// Item names `item01` … `item11`.
    pub item_names: Vec<String>,
    /// Outcome and covariates: `y`, `female`, `urban`, `age`, `education`, `labour`, `region`,
    /// `income`, `hhsize`, `household`.
    pub frame: Frame,
    /// Household identifier of each person.
    pub households: Vec<u32>,
    /// Sampling weights.
    pub weights: Vec<f64>,
    /// True skill (raw scale).
    pub theta: Vec<f64>,
}

impl Simulated {
    /// Two-step input for `formula`, clustered by household, with the simulated weights and
    /// cluster-robust naive standard errors.
    pub fn data<'a>(&'a self, formula: &'a str) -> TwoStepData<'a> {
        TwoStepData {
            responses: &self.responses,
            n_items: TRUE_SLOPES.len(),
            item_names: &self.item_names,
            frame: &self.frame,
            formula,
            weights: Some(&self.weights),
            clusters: &self.households,
            strata: None,
            naive_vcov: Vcov::Cluster(vec!["household".into()]),
            fitted: None,
        }
    }
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    StandardNormal.sample(rng)
}

/// Simulate one data set.
///
/// ```
/// use egov_twostep::simulate::{simulate, SimulationSpec};
/// let sim = simulate(&SimulationSpec { persons: 1000, ..SimulationSpec::default() });
/// assert_eq!(sim.responses.len(), 1000 * 11);
/// assert_eq!(sim.frame.n_rows(), 1000);
/// ```
pub fn simulate(spec: &SimulationSpec) -> Simulated {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let n = spec.persons;
    let j = TRUE_SLOPES.len();
    let mut households = Vec::with_capacity(n);
    let (mut female, mut urban, mut age) = (vec![], vec![], vec![]);
    let (mut education, mut labour, mut region, mut income, mut hhsize) =
        (vec![], vec![], vec![], vec![], vec![]);
    let (mut weights, mut theta, mut y) = (vec![], vec![], vec![]);
    let mut responses = Vec::with_capacity(n * j);
    let region_effect: Vec<f64> = (0..17).map(|r| 0.03 * ((r as f64) * 1.7).sin()).collect();
    let mut h = 0u32;
    while households.len() < n {
        let size = rng.random_range(1..=4usize).min(n - households.len());
        let hh_urban = rng.random::<f64>() < 0.6;
        let hh_region = (rng.random::<f64>().powf(1.3) * 17.0) as usize % 17;
        let hh_income = rng.random_range(1..=5u32);
        let hh_skill = 0.25 * normal(&mut rng);
        let hh_outcome = 0.06 * (2.0 * rng.random::<f64>() - 1.0);
        let hh_weight = if spec.weighted {
            0.5 + 1.5 * rng.random::<f64>()
        } else {
            1.0
        };
        for _ in 0..size {
            let is_female = rng.random::<f64>() < 0.53;
            let a = rng.random_range(18..=80u32) as f64;
            let u = rng.random::<f64>();
            let p_ter = 0.2 + if hh_urban { 0.12 } else { 0.0 };
            let edu = if u < p_ter {
                "tertiary"
            } else if u < p_ter + 0.55 {
                "secondary"
            } else {
                "lower"
            };
            let u = rng.random::<f64>();
            let lab = if a >= 63.0 {
                if u < 0.85 { "pensioner" } else { "employed" }
            } else if a < 24.0 && u < 0.4 {
                "student"
            } else if u < 0.75 {
                "employed"
            } else if u < 0.83 {
                "unemployed"
            } else {
                "inactive"
            };
            let t = 0.4 * f64::from(u8::from(hh_urban))
                + match edu {
                    "tertiary" => 0.9,
                    "secondary" => 0.35,
                    _ => 0.0,
                }
                - 0.02 * (a - 45.0)
                + 0.08 * (f64::from(hh_income) - 3.0)
                + hh_skill
                + 0.75 * normal(&mut rng)
                - 0.5;
            let p = (0.35
                + THETA_EFFECT * t
                + 0.04 * f64::from(u8::from(is_female))
                + URBAN_EFFECT * f64::from(u8::from(hh_urban))
                + if edu == "tertiary" { 0.05 } else { 0.0 }
                - 0.002 * (a - 45.0)
                + region_effect[hh_region]
                + hh_outcome)
                .clamp(0.01, 0.99);
            y.push(if rng.random::<f64>() < p { 1.0 } else { 0.0 });
            let silent = rng.random::<f64>() < spec.person_missing;
            for i in 0..j {
                let pi = 1.0 / (1.0 + (-TRUE_SLOPES[i] * (t - TRUE_DIFFICULTIES[i])).exp());
                let answer = u8::from(rng.random::<f64>() < pi);
                let missing = silent || rng.random::<f64>() < spec.item_missing;
                responses.push(if missing { egov_irt::MISSING } else { answer });
            }
            households.push(h);
            female.push(f64::from(u8::from(is_female)));
            urban.push(f64::from(u8::from(hh_urban)));
            age.push(a);
            education.push(Some(edu));
            labour.push(Some(lab));
            region.push(Some(format!("R{:02}", hh_region + 1)));
            income.push(Some(format!("Q{hh_income}")));
            hhsize.push(Some(if size >= 4 {
                "4+".to_string()
            } else {
                size.to_string()
            }));
            weights.push(hh_weight);
            theta.push(t);
        }
        h += 1;
    }
    let mut frame = Frame::new();
    let cat = |labels: &[Option<String>], reference: &str| {
        let c = Categorical::from_labels(labels);
        c.clone().with_reference(reference).unwrap_or(c)
    };
    let owned = |v: &[Option<&str>]| -> Vec<Option<String>> {
        v.iter().map(|s| s.map(str::to_string)).collect()
    };
    let push = |f: &mut Frame, name: &str, v: Vec<f64>| {
        f.push_numeric(name, v)
            .expect("simulated columns have equal length");
    };
    push(&mut frame, "y", y);
    push(&mut frame, "female", female);
    push(&mut frame, "urban", urban);
    push(&mut frame, "age", age);
    for (name, col) in [
        ("education", cat(&owned(&education), "lower")),
        ("labour", cat(&owned(&labour), "employed")),
        ("region", cat(&region, "R01")),
        ("income", cat(&income, "Q1")),
        ("hhsize", cat(&hhsize, "1")),
    ] {
        frame
            .push_categorical(name, col)
            .expect("simulated columns have equal length");
    }
    push(
        &mut frame,
        "household",
        households.iter().map(|&h| f64::from(h)).collect(),
    );
    Simulated {
        responses,
        item_names: (1..=j).map(|i| format!("item{i:02}")).collect(),
        frame,
        households,
        weights,
        theta,
    }
}
