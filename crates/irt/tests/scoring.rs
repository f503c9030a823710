//! Person scoring: MAP against ltm's published empirical Bayes scores, EAP/ML/PV properties, scales, indices.

mod common;

use common::lsat::*;
use common::sim::*;
use egov_irt::*;

/// ltm's `coef(ltm(LSAT ~ z1, IRT.param = TRUE))` (kdavis91/2PL-and-3PL-Dichotomous-Item-response-theory-model
/// README) and its `factor.scores` (method "EB" = posterior mode, with SE from the curvature) for the first
/// patterns of the table, printed to 3 decimals.
const LTM_B: [f64; 5] = [-3.3597341, -1.3696497, -0.2798983, -1.8659189, -3.1235725];
const LTM_A: [f64; 5] = [0.8253715, 0.7229499, 0.8904748, 0.6885502, 0.6574516];
const LTM_EB: [([u8; 5], f64, f64); 6] = [
    ([0, 0, 0, 0, 0], -1.895, 0.795),
    ([0, 0, 0, 0, 1], -1.479, 0.796),
    ([0, 1, 1, 1, 1], 0.023, 0.828),
    ([1, 0, 1, 1, 1], 0.093, 0.831),
    ([1, 1, 0, 1, 1], -0.022, 0.827),
    ([1, 1, 1, 1, 1], 0.606, 0.855),
];

fn ltm_items() -> Vec<ItemEstimate> {
    (0..5)
        .map(|i| {
            ItemEstimate::from_slope_intercept(
                &format!("Item {}", i + 1),
                LTM_A[i],
                -LTM_A[i] * LTM_B[i],
            )
        })
        .collect()
}

#[test]
fn map_matches_ltm_empirical_bayes_scores() {
    let items = ltm_items();
    let responses: Vec<u8> = LTM_EB.iter().flat_map(|(p, _, _)| p.to_vec()).collect();
    let map = score(&items, &responses, 5, ScoreMethod::Map).unwrap();
    for (s, (_, theta, se)) in map.iter().zip(LTM_EB) {
        let s = s.unwrap();
        assert!((s.theta - theta).abs() < 6e-4, "{} vs {theta}", s.theta);
        assert!((s.se - se).abs() < 6e-4, "{} vs {se}", s.se);
    }
}

#[test]
fn ml_has_reasons_for_extreme_patterns_and_matches_first_order_condition() {
    let items = ltm_items();
    let responses = [
        0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, MISSING, MISSING, MISSING, MISSING, MISSING,
    ];
    let detailed = score_detailed(&items, &responses, 5, ScoreMethod::Ml).unwrap();
    assert_eq!(detailed[0], Err(Unscored::AllNo));
    assert_eq!(detailed[1], Err(Unscored::AllYes));
    assert_eq!(detailed[3], Err(Unscored::NoAnsweredItem));
    let s = detailed[2].unwrap();
    let gradient: f64 = items
        .iter()
        .zip(&responses[10..15])
        .map(|(it, &y)| it.a * (f64::from(y) - it.probability(s.theta)))
        .sum();
    assert!(gradient.abs() < 1e-9);
    let info: f64 = items
        .iter()
        .map(|it| it.a * it.a * it.probability(s.theta) * (1.0 - it.probability(s.theta)))
        .sum();
    assert!((s.se - 1.0 / info.sqrt()).abs() < 1e-12);
    let plain = score(&items, &responses, 5, ScoreMethod::Ml).unwrap();
    assert!(plain[0].is_none() && plain[1].is_none() && plain[2].is_some());
}

#[test]
fn eap_is_monotone_in_the_count_for_equal_items_and_handles_missing() {
    let items: Vec<ItemEstimate> = (0..4)
        .map(|i| ItemEstimate::from_slope_intercept(&format!("i{i}"), 1.5, 0.2))
        .collect();
    let responses = [
        0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, MISSING,
    ];
    let eap = score(&items, &responses, 4, ScoreMethod::Eap).unwrap();
    for k in 0..4 {
        assert!(eap[k + 1].unwrap().theta > eap[k].unwrap().theta);
    }
    // Three yes of three answered is less informative than three yes of four: larger posterior SD.
    assert!(eap[5].unwrap().se > eap[3].unwrap().se);
}

#[test]
fn plausible_values_reproduce_posterior_moments_and_are_seeded() {
    let responses = simulate(300, &A11, &B11, 0.05, 5);
    let fitted = fit(&responses, 11, &names(11), None, &FitOptions::default()).unwrap();
    let eap = score(&fitted.items, &responses, 11, ScoreMethod::Eap).unwrap();
    let draws = 400;
    let pv = plausible_values(&fitted.items, &responses, 11, draws, 2024).unwrap();
    assert_eq!(
        pv,
        plausible_values(&fitted.items, &responses, 11, draws, 2024).unwrap()
    );
    assert_ne!(
        pv,
        plausible_values(&fitted.items, &responses, 11, draws, 2025).unwrap()
    );
    assert_eq!(pv.len(), draws);
    // Per person: PV mean within 4 Monte Carlo SEs of the EAP, PV SD close to the posterior SD.
    let mut worst = 0.0f64;
    for person in 0..300 {
        let values: Vec<f64> = pv.iter().map(|d| d[person].unwrap()).collect();
        let mean = values.iter().sum::<f64>() / draws as f64;
        let sd =
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (draws - 1) as f64).sqrt();
        let e = eap[person].unwrap();
        worst = worst.max(((mean - e.theta) / (e.se / (draws as f64).sqrt())).abs());
        assert!(
            (sd / e.se - 1.0).abs() < 0.2,
            "person {person}: sd {sd} vs {}",
            e.se
        );
    }
    assert!(worst < 4.5, "worst standardized PV mean deviation {worst}");
}

#[test]
fn scales_and_indices() {
    let responses = simulate(2000, &A11, &B11, 0.0, 8);
    let fitted = fit(&responses, 11, &names(11), None, &FitOptions::default()).unwrap();
    let theta: Vec<Option<f64>> = score(&fitted.items, &responses, 11, ScoreMethod::Eap)
        .unwrap()
        .iter()
        .map(|s| s.map(|s| s.theta))
        .collect();
    let weights: Vec<f64> = (0..2000).map(|i| 0.5 + (i % 7) as f64).collect();
    let z = scale::standardize(&theta, Some(&weights));
    let (m, sd) = scale::mean_sd(&z, Some(&weights)).unwrap();
    assert!(m.abs() < 1e-12 && (sd - 1.0).abs() < 1e-12);
    let hundred = scale::to_0_100(&z);
    assert!(hundred.iter().flatten().all(|v| (0.0..=100.0).contains(v)));
    let counts = indices::count_yes(&responses, 11);
    let r = indices::weighted_correlation(&theta, &indices::counts_as_f64(&counts), Some(&weights))
        .unwrap();
    assert!(r > 0.9, "correlation of EAP with the count {r}");
    let levels = indices::skill_levels(&responses, 11);
    assert!(
        levels
            .iter()
            .flatten()
            .any(|l| *l == indices::SkillLevel::High)
    );
    assert!(
        levels
            .iter()
            .flatten()
            .any(|l| *l == indices::SkillLevel::None)
    );
}

#[test]
fn curves_and_group_fit_are_plain_data() {
    let items = ltm_items();
    let grid = diagnostics::theta_grid(-4.0, 4.0, 81);
    let c = diagnostics::curves(&items, &grid);
    assert_eq!(c.icc.len(), 5);
    assert_eq!(c.test_information.len(), 81);
    for k in 0..81 {
        let sum: f64 = c.item_information.iter().map(|row| row[k]).sum();
        assert!((sum - c.test_information[k]).abs() < 1e-12);
    }
    // At the ML estimates the score equation for each intercept says Σ_p w_p E[P_i(θ) | y_p] = Σ_p w_p y_pi,
    // so observed and expected shares agree exactly over all groups together.
    let fitted = fit(
        &lsat6_expanded(),
        5,
        &lsat6_names(),
        None,
        &FitOptions::default(),
    )
    .unwrap();
    let responses = lsat6_expanded();
    let eap = score(&fitted.items, &responses, 5, ScoreMethod::Eap).unwrap();
    let groups =
        diagnostics::observed_vs_expected(&fitted.items, &responses, 5, &eap, None, 10).unwrap();
    let total: f64 = groups.iter().map(|g| g.weight).sum();
    assert_eq!(total, 1000.0);
    for i in 0..5 {
        let observed: f64 = groups
            .iter()
            .map(|g| g.weight * g.observed[i].unwrap())
            .sum();
        let expected: f64 = groups
            .iter()
            .map(|g| g.weight * g.expected[i].unwrap())
            .sum();
        assert!(
            (observed - expected).abs() < 1e-4,
            "item {i}: {observed} vs {expected}"
        );
    }
    // Groups are ordered by skill: observed shares rise from the lowest to the highest decile.
    for i in 0..5 {
        assert!(groups[9].observed[i].unwrap() > groups[0].observed[i].unwrap());
    }
}

#[test]
fn s_x2_expected_proportions_match_brute_force_enumeration() {
    // On 5 items, all 32 patterns can be enumerated, so the Lord–Wingersky expectations can be checked exactly.
    let items = ltm_items();
    let quad = Quadrature::new(QuadratureRule::GaussHermite, 61).unwrap();
    let mut prob = [0.0f64; 32];
    for (theta, w) in quad.nodes.iter().zip(&quad.weights) {
        for (code, p) in prob.iter_mut().enumerate() {
            let mut l = *w;
            for (i, item) in items.iter().enumerate() {
                let pi = item.probability(*theta);
                l *= if code >> i & 1 == 1 { pi } else { 1.0 - pi };
            }
            *p += l;
        }
    }
    // Build a "population" table whose observed proportions equal the model's expected ones: S-X² must be 0.
    let unique: Vec<u8> = (0..32u32)
        .flat_map(|c| (0..5).map(move |i| (c >> i & 1) as u8))
        .collect();
    let table = Patterns::from_table(&unique, 5, &[1; 32]).unwrap();
    let weights: Vec<f64> = (0..32).map(|c| 1e6 * prob[c]).collect();
    let report = diagnostics::s_x2(&items, &table, &weights, Model::TwoPl, 1.0).unwrap();
    for item in &report.items {
        assert!(item.s_x2 < 1e-9, "{item:?}");
        assert_eq!(item.groups, 4);
    }
}
