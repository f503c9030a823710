//! Rubin's rules against R: `mitools::MIcombine` (infinite complete-data df) and
//! `mice::pool.scalar` (Barnard–Rubin df). Numbers: fixtures/reference/twostep/rubin.csv,
//! made by fixtures/reference/twostep/rubin.R.

use egov_twostep::rubin;

/// The inputs of rubin.R, case by case: (estimates, variances), imputation-major.
fn case(name: &str) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    match name {
        "small" => (
            vec![
                vec![1.00, -0.50, 0.020],
                vec![1.20, -0.47, 0.031],
                vec![0.90, -0.52, 0.018],
            ],
            vec![
                vec![0.040, 0.0100, 1e-4],
                vec![0.050, 0.0110, 1.2e-4],
                vec![0.045, 0.0090, 0.9e-4],
            ],
        ),
        "ten" => {
            let q = (1..=10)
                .map(|i| {
                    let i = f64::from(i);
                    vec![
                        0.10 + 0.013 * i.sin(),
                        0.050 + 0.002 * (3.0 * i).cos(),
                        2.0 + 0.4 * (i % 3.0),
                    ]
                })
                .collect();
            let u = (1..=10)
                .map(|i| {
                    let i = f64::from(i);
                    vec![
                        4e-5 * (1.0 + 0.1 * i / 10.0),
                        9e-6 * (1.0 + 0.05 * i.cos()),
                        0.01 + 0.001 * i,
                    ]
                })
                .collect();
            (q, u)
        }
        other => panic!("unknown case {other}"),
    }
}

static MAX_REL: std::sync::Mutex<f64> = std::sync::Mutex::new(0.0);

fn close(ours: f64, theirs: f64, what: &str) {
    let rel = (ours - theirs).abs() / theirs.abs().max(1e-300);
    let mut max = MAX_REL.lock().unwrap();
    *max = max.max(rel);
    let tol = 1e-10 * theirs.abs().max(1e-12);
    assert!(
        (ours - theirs).abs() <= tol,
        "{what}: ours {ours:.17e}, R {theirs:.17e}"
    );
}

#[test]
fn rubin_matches_mice_and_mitools() {
    let csv = include_str!("../../../fixtures/reference/twostep/rubin.csv");
    let mut checked = 0;
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (q, u) = case(f[0]);
        let df_complete = if f[1] == "inf" {
            f64::INFINITY
        } else {
            f[1].parse().unwrap()
        };
        let j: usize = f[2].parse().unwrap();
        let v: Vec<f64> = f[3..].iter().map(|s| s.parse().unwrap()).collect();
        let c = &rubin(&q, &u, df_complete, 0.95)[j];
        let what = format!("{} df_complete={} term {j}", f[0], f[1]);
        close(c.estimate, v[0], &format!("{what} estimate"));
        close(c.within, v[1], &format!("{what} within"));
        close(c.between, v[2], &format!("{what} between"));
        close(c.total, v[3], &format!("{what} total"));
        close(c.df, v[4], &format!("{what} df (mice)"));
        close(c.fmi, v[5], &format!("{what} fmi (mice)"));
        if df_complete.is_infinite() {
            // With infinite complete-data df mitools and mice agree, and so do we.
            close(c.df, v[6], &format!("{what} df (mitools)"));
            close(c.fmi, v[7], &format!("{what} fmi (mitools)"));
        }
        checked += 1;
    }
    assert_eq!(checked, 18);
    eprintln!(
        "largest relative difference from R: {:.1e}",
        *MAX_REL.lock().unwrap()
    );
}

#[test]
fn rubin_interval_uses_t_with_combined_df() {
    let (q, u) = case("small");
    let c = &rubin(&q, &u, 30.0, 0.95)[0];
    // t quantile at 0.975 with the Barnard–Rubin df, recomputed from the half-width.
    let half = (c.conf_high - c.conf_low) / 2.0;
    assert!((c.conf_high + c.conf_low - 2.0 * c.estimate).abs() < 1e-12);
    let t = half / c.std_error;
    assert!(t > 2.3 && t < 2.45, "t(6.97) ≈ 2.37, got {t}");
    assert!(c.p_value > 0.0 && c.p_value < 1.0);
}
