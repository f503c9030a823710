//! Simulated surveys and reference fits shared by the integration tests.
#![allow(unreachable_pub)]
// Each test file uses only part of this module.
#![allow(dead_code)]

use egov_econ::{EstimateOptions, Frame, Vcov};
use egov_twostep::simulate::{Simulated, SimulationSpec, simulate};

/// A simulated survey of `persons` respondents drawn with `seed`.
pub fn simulated(persons: usize, seed: u64) -> Simulated {
    simulate(&SimulationSpec {
        persons,
        seed,
        ..SimulationSpec::default()
    })
}

/// JK1 replicate-weight columns: households fall into `groups` groups by `household % groups`;
/// replicate `g` drops group `g` and scales the other weights by `groups / (groups - 1)`.
pub fn jk1_household_columns(sim: &Simulated, groups: u32) -> Vec<Vec<f64>> {
    (0..groups)
        .map(|g| {
            sim.households
                .iter()
                .zip(&sim.weights)
                .map(|(h, w)| {
                    if h % groups == g {
                        0.0
                    } else {
                        w * f64::from(groups) / f64::from(groups - 1)
                    }
                })
                .collect()
        })
        .collect()
}

/// The simulated frame with a `dsi` column (NaN where missing) and the sampling weights as `w`,
/// ready for a direct regression with [`weighted_iid`].
pub fn frame_with_dsi_and_weights(sim: &Simulated, dsi: Vec<f64>) -> Frame {
    let mut frame = sim.frame.clone();
    frame.push_numeric("dsi", dsi).unwrap();
    frame.push_numeric("w", sim.weights.clone()).unwrap();
    frame
}

/// Weighted by column `w`, classical standard errors, 95% intervals.
pub fn weighted_iid() -> EstimateOptions {
    EstimateOptions {
        weights: Some("w".into()),
        vcov: Vcov::Iid,
        conf_level: 0.95,
    }
}
