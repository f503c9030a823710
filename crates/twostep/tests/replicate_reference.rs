//! Replicate-weight variance against R `survey::withReplicates` (JK1, centred at the full-sample
//! estimate and at the replicate mean). Reference: fixtures/reference/twostep/jk1.R.

mod common;

use common::{jk1_household_columns, simulated};
use egov_twostep::{Centre, ReplicateVariance, ReplicateWeights, replicate_weights};

#[test]
fn jk1_matches_r_survey_with_replicates() {
    // Same data as examples/jk1_fixture.rs.
    let sim = simulated(600, 17);
    let groups = 10u32;
    let columns = jk1_household_columns(&sim, groups);
    let data = sim.data("y ~ dsi + female + urban");
    let csv = include_str!("../../../fixtures/reference/twostep/jk1.csv");
    let mut checked = 0;
    for (label, centre) in [
        ("jk1_full_sample", Centre::FullSample),
        ("jk1_replicate_mean", Centre::ReplicateMean),
    ] {
        let spec = ReplicateWeights {
            columns: &columns,
            variance: ReplicateVariance::Jk1,
            centre,
            conf_level: 0.95,
            refit_irt: false,
            irt: Default::default(),
            replicate_tolerance: 1e-4,
        };
        let ours = replicate_weights(&data, &spec, None).unwrap();
        for line in csv.lines().skip(1).filter(|l| l.starts_with(label)) {
            let f: Vec<&str> = line.split(',').collect();
            let j: usize = f[1].parse().unwrap();
            let (est, se): (f64, f64) = (f[2].parse().unwrap(), f[3].parse().unwrap());
            let e = &ours.lpm[j];
            eprintln!(
                "{label} term {j}: SE ours {:.12} R {se:.12} (relative difference {:.1e})",
                e.std_error,
                (e.std_error - se).abs() / se
            );
            assert!(
                (e.estimate - est).abs() < 1e-10 * (1.0 + est.abs()),
                "{label} term {j}: estimate {} vs R {est}",
                e.estimate
            );
            assert!(
                (e.std_error - se).abs() < 1e-8 * se,
                "{label} term {j}: SE {} vs R {se}",
                e.std_error
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 8);
}
