//! Model diagnostics: marginal reliability, Orlando–Thissen S-X² item fit, observed-versus-expected
//! proportions by skill group, and item characteristic / information curves as plain data for charts.

use serde::{Deserialize, Serialize};

use crate::scoring::check_items;
use crate::{
    IrtError, ItemEstimate, MISSING, Model, Patterns, PersonScore, Quadrature, QuadratureRule,
};

/// Marginal reliability of EAP scores: ρ = 1 − mean(posterior variance) / var(θ), with var(θ) = 1 because
/// the model fixes θ ~ N(0, 1). Weighted over persons with a score. None if no positive weight.
///
/// ```
/// use egov_irt::{diagnostics::marginal_reliability, PersonScore};
/// let s = [Some(PersonScore { theta: 0.5, se: 0.6 }), Some(PersonScore { theta: -0.5, se: 0.4 }), None];
/// let r = marginal_reliability(&s, None).unwrap();
/// assert!((r - (1.0 - (0.36 + 0.16) / 2.0)).abs() < 1e-12);
/// ```
pub fn marginal_reliability(
    scores: &[Option<PersonScore>],
    weights: Option<&[f64]>,
) -> Option<f64> {
    let (mut sw, mut sv) = (0.0, 0.0);
    for (i, s) in scores.iter().enumerate() {
        if let Some(s) = s {
            let w = weights.map_or(1.0, |w| w.get(i).copied().unwrap_or(0.0));
            if w.is_finite() && w > 0.0 {
                sw += w;
                sv += w * s.se * s.se;
            }
        }
    }
    (sw > 0.0).then(|| 1.0 - sv / sw)
}

/// Empirical reliability: var(EAP) / (var(EAP) + mean posterior variance), weighted. Close to
/// [`marginal_reliability`] when the model fits (var(EAP) + E[PSD²] = var(θ) = 1 in the population).
///
/// ```
/// use egov_irt::{diagnostics::empirical_reliability, PersonScore};
/// let s = [Some(PersonScore { theta: 1.0, se: 0.5 }), Some(PersonScore { theta: -1.0, se: 0.5 })];
/// assert!((empirical_reliability(&s, None).unwrap() - 0.8).abs() < 1e-12); // 1 / (1 + 0.25)
/// ```
pub fn empirical_reliability(
    scores: &[Option<PersonScore>],
    weights: Option<&[f64]>,
) -> Option<f64> {
    let (mut sw, mut sx, mut sxx, mut sv) = (0.0, 0.0, 0.0, 0.0);
    for (i, s) in scores.iter().enumerate() {
        if let Some(s) = s {
            let w = weights.map_or(1.0, |w| w.get(i).copied().unwrap_or(0.0));
            if w.is_finite() && w > 0.0 {
                sw += w;
                sx += w * s.theta;
                sxx += w * s.theta * s.theta;
                sv += w * s.se * s.se;
            }
        }
    }
    if sw <= 0.0 {
        return None;
    }
    let var = (sxx / sw - (sx / sw).powi(2)).max(0.0);
    let total = var + sv / sw;
    (total > 0.0).then(|| var / total)
}

/// Equally spaced θ grid from `lo` to `hi` with `points` values (at least 2).
///
/// ```
/// assert_eq!(egov_irt::diagnostics::theta_grid(-1.0, 1.0, 3), vec![-1.0, 0.0, 1.0]);
/// ```
pub fn theta_grid(lo: f64, hi: f64, points: usize) -> Vec<f64> {
    let points = points.max(2);
    (0..points)
        .map(|k| lo + (hi - lo) * k as f64 / (points - 1) as f64)
        .collect()
}

/// Item characteristic curves and information on a θ grid, ready to draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curves {
    /// The θ grid.
    pub theta: Vec<f64>,
    /// Item names, in the order of the rows below.
    pub items: Vec<String>,
    /// `icc[i][k]` = P(yes on item i | θ_k).
    pub icc: Vec<Vec<f64>>,
    /// `item_information[i][k]` = a_i² P(1 − P) at θ_k.
    pub item_information: Vec<Vec<f64>>,
    /// Sum of item information at each θ_k.
    pub test_information: Vec<f64>,
    /// Standard error of measurement 1/√(test information) at each θ_k.
    pub standard_error: Vec<f64>,
}

/// ICCs, item information, test information and SE on the grid.
///
/// ```
/// use egov_irt::{diagnostics::{curves, theta_grid}, ItemEstimate};
/// let items = vec![ItemEstimate::from_slope_intercept("x", 2.0, 0.0)];
/// let c = curves(&items, &theta_grid(-1.0, 1.0, 3));
/// assert_eq!(c.icc[0][1], 0.5);
/// assert_eq!(c.item_information[0][1], 1.0); // a²/4 at θ = b
/// ```
pub fn curves(items: &[ItemEstimate], theta: &[f64]) -> Curves {
    let icc: Vec<Vec<f64>> = items
        .iter()
        .map(|it| theta.iter().map(|&t| it.probability(t)).collect())
        .collect();
    let item_information: Vec<Vec<f64>> = items
        .iter()
        .zip(&icc)
        .map(|(it, p)| p.iter().map(|p| it.a * it.a * p * (1.0 - p)).collect())
        .collect();
    let test_information: Vec<f64> = (0..theta.len())
        .map(|k| item_information.iter().map(|row| row[k]).sum())
        .collect();
    let standard_error = test_information
        .iter()
        .map(|i| if *i > 0.0 { 1.0 / i.sqrt() } else { f64::MAX })
        .collect();
    Curves {
        theta: theta.to_vec(),
        items: items.iter().map(|i| i.name.clone()).collect(),
        icc,
        item_information,
        test_information,
        standard_error,
    }
}

/// Observed and expected proportion of "yes" per item within skill groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFit {
    /// Group number (0 = lowest skill).
    pub group: usize,
    /// Weighted mean score in the group.
    pub mean_theta: f64,
    /// Sum of weights of persons in the group.
    pub weight: f64,
    /// Per item: weighted share of "yes" among persons in the group who answered the item (None if nobody did).
    pub observed: Vec<Option<f64>>,
    /// Per item: weighted mean over the same persons of the posterior-expected probability E[P_i(θ) | answers].
    pub expected: Vec<Option<f64>>,
}

/// Observed-versus-expected proportions by quantile groups of a score (e.g. deciles of EAP, `groups = 10`).
///
/// Persons are sorted by score and cut into `groups` groups of (as nearly as possible) equal total weight.
/// Persons without a score are skipped. The expected share for a person is the posterior mean of P_i(θ)
/// given all their answers (61 Gauss–Hermite nodes), not P_i at the point estimate: with few items the
/// EAP is shrunk towards 0 and P_i(EAP) would understate the spread of the curves in the extreme groups.
/// Over all groups together, observed and expected totals agree exactly at the ML estimates (the score
/// equation of each intercept). Within a group they need not: the groups are formed from the same answers,
/// so the lowest group over-selects "no" answers and the highest "yes" answers. The gap shrinks as the
/// number of items grows; read these tables as a calibration display, not as a test.
///
/// ```
/// use egov_irt::{diagnostics::observed_vs_expected, ItemEstimate, PersonScore};
/// let items = vec![ItemEstimate::from_slope_intercept("x", 1.0, 0.0), ItemEstimate::from_slope_intercept("y", 1.0, 0.0)];
/// let scores = [Some(PersonScore { theta: -1.0, se: 0.8 }), Some(PersonScore { theta: 1.0, se: 0.8 })];
/// let g = observed_vs_expected(&items, &[0, 0, 1, 1], 2, &scores, None, 2).unwrap();
/// assert_eq!(g[1].observed[0], Some(1.0));
/// ```
pub fn observed_vs_expected(
    items: &[ItemEstimate],
    responses: &[u8],
    n_items: usize,
    scores: &[Option<PersonScore>],
    weights: Option<&[f64]>,
    groups: usize,
) -> Result<Vec<GroupFit>, IrtError> {
    check_items(items, n_items)?;
    let n = responses.len() / n_items;
    if scores.len() != n {
        return Err(IrtError::WeightLength {
            what: "scores",
            got: scores.len(),
            expected: n,
        });
    }
    if let Some(w) = weights {
        crate::validate_weights(w, n, "person weights")?;
    }
    if groups == 0 {
        return Err(IrtError::BadOption {
            option: "groups",
            reason: "must be at least 1".into(),
        });
    }
    let mut order: Vec<(f64, usize, f64)> = scores
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let w = weights.map_or(1.0, |w| w[i]);
            s.filter(|s| s.theta.is_finite() && w > 0.0)
                .map(|s| (s.theta, i, w))
        })
        .collect();
    order.sort_by(|x, y| x.0.total_cmp(&y.0));
    let (patterns, person_pattern) = Patterns::collapse(responses, n_items)?;
    let quad = Quadrature::new(QuadratureRule::GaussHermite, 61)?;
    let posterior_p = posterior_item_probabilities(items, &patterns, &quad);
    let total: f64 = order.iter().map(|r| r.2).sum();
    let j = n_items;
    let mut acc = vec![(0.0, 0.0, vec![0.0; j], vec![0.0; j], vec![0.0; j]); groups];
    let mut cumulative = 0.0;
    for &(theta, person, w) in &order {
        // Group by the weight midpoint of the person, so equal weights give equal-sized groups.
        let g = (((cumulative + 0.5 * w) / total) * groups as f64)
            .floor()
            .min(groups as f64 - 1.0) as usize;
        cumulative += w;
        let (sw, st, answered, yes, expected) = &mut acc[g];
        *sw += w;
        *st += w * theta;
        let Some(p) = person_pattern[person] else {
            continue;
        };
        for i in 0..j {
            let y = responses[person * j + i];
            if y != MISSING {
                answered[i] += w;
                yes[i] += w * f64::from(y);
                expected[i] += w * posterior_p[p as usize * j + i];
            }
        }
    }
    Ok(acc
        .into_iter()
        .enumerate()
        .filter(|(_, a)| a.0 > 0.0)
        .map(|(group, (sw, st, answered, yes, expected))| GroupFit {
            group,
            mean_theta: st / sw,
            weight: sw,
            observed: (0..j)
                .map(|i| (answered[i] > 0.0).then(|| yes[i] / answered[i]))
                .collect(),
            expected: (0..j)
                .map(|i| (answered[i] > 0.0).then(|| expected[i] / answered[i]))
                .collect(),
        })
        .collect())
}

/// E[P_i(θ) | pattern] for every pattern and item (pattern-major).
fn posterior_item_probabilities(
    items: &[ItemEstimate],
    patterns: &Patterns,
    quad: &Quadrature,
) -> Vec<f64> {
    let j = items.len();
    let p_node: Vec<Vec<f64>> = items
        .iter()
        .map(|it| quad.nodes.iter().map(|&t| it.probability(t)).collect())
        .collect();
    let mut out = vec![0.0; patterns.len() * j];
    let mut log_post = vec![0.0; quad.len()];
    for index in 0..patterns.len() {
        let pattern = patterns.pattern(index);
        for (k, w) in quad.weights.iter().enumerate() {
            let mut ll = w.max(1e-300).ln();
            for (i, &y) in pattern.iter().enumerate() {
                ll += match y {
                    1 => p_node[i][k].max(1e-300).ln(),
                    0 => (1.0 - p_node[i][k]).max(1e-300).ln(),
                    _ => 0.0,
                };
            }
            log_post[k] = ll;
        }
        let max = log_post.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let post: Vec<f64> = log_post.iter().map(|v| (v - max).exp()).collect();
        let total: f64 = post.iter().sum();
        for i in 0..j {
            out[index * j + i] =
                post.iter().zip(&p_node[i]).map(|(a, b)| a * b).sum::<f64>() / total;
        }
    }
    out
}

/// Orlando–Thissen S-X² for one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SX2 {
    /// Item name.
    pub item: String,
    /// The statistic Σ_g N_g (O_g − E_g)² / (E_g (1 − E_g)) over (collapsed) summed-score groups.
    pub s_x2: f64,
    /// Degrees of freedom: number of groups after collapsing minus the item's free parameters.
    pub df: usize,
    /// Upper-tail χ² p-value (None when df = 0).
    pub p_value: Option<f64>,
    /// Number of summed-score groups after collapsing.
    pub groups: usize,
}

/// S-X² item fit for all items, with the number of persons used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemFitReport {
    /// One entry per item.
    pub items: Vec<SX2>,
    /// Sum of weights of the complete response patterns used.
    pub n_used: f64,
    /// Sum of weights of patterns left out because they have a missing response.
    pub n_incomplete_excluded: f64,
}

/// Summed-score distribution over the items in `include` at node θ: Lord–Wingersky recursion.
fn lord_wingersky(
    items: &[ItemEstimate],
    include: impl Iterator<Item = usize>,
    theta: f64,
    out: &mut Vec<f64>,
) {
    out.clear();
    out.push(1.0);
    for i in include {
        let p = items[i].probability(theta);
        out.push(0.0);
        for k in (0..out.len()).rev() {
            let from_no = out[k] * (1.0 - p);
            let from_yes = if k > 0 { out[k - 1] * p } else { 0.0 };
            out[k] = from_no + from_yes;
        }
    }
}

/// Orlando & Thissen (2000) S-X² item fit statistics.
///
/// Summed scores are only defined for complete responses, so patterns with any missing response are left
/// out (their weight is reported in [`ItemFitReport::n_incomplete_excluded`]). Scores 0 and J carry no
/// information and are dropped. Expected proportions use the Lord–Wingersky recursion over 61 Gauss–Hermite
/// nodes: E_ik = ∫ P_i(θ) S_{k−1}^{(−i)}(θ) φ(θ) dθ / ∫ S_k(θ) φ(θ) dθ. Adjacent score groups are pooled
/// from each tail until both expected counts N·E and N·(1 − E) reach `min_expected` (1 is customary).
/// df = groups − (2 for 2PL, 1 for 1PL).
///
/// ```
/// use egov_irt::{diagnostics::s_x2, fit, FitOptions, Model, Patterns};
/// let responses: Vec<u8> = (0..400u32).flat_map(|i| (0..4u32).map(move |j| u8::from((i * 7 + j * 3) % 5 > j))).collect();
/// let names: Vec<String> = (1..=4).map(|i| format!("q{i}")).collect();
/// let fitted = fit(&responses, 4, &names, None, &FitOptions::default()).unwrap();
/// let (patterns, idx) = Patterns::collapse(&responses, 4).unwrap();
/// let report = s_x2(&fitted.items, &patterns, &patterns.pattern_weights(&idx, None), Model::TwoPl, 1.0).unwrap();
/// assert_eq!(report.items.len(), 4);
/// assert!(report.items.iter().all(|i| i.s_x2.is_finite()));
/// ```
pub fn s_x2(
    items: &[ItemEstimate],
    patterns: &Patterns,
    pattern_weights: &[f64],
    model: Model,
    min_expected: f64,
) -> Result<ItemFitReport, IrtError> {
    let j = patterns.n_items();
    check_items(items, j)?;
    crate::validate_weights(pattern_weights, patterns.len(), "pattern weights")?;
    let quad = Quadrature::new(QuadratureRule::GaussHermite, 61)?;
    // Weighted count of persons with summed score k, and of those answering item i "yes".
    let mut n_k = vec![0.0; j + 1];
    let mut yes_ik = vec![vec![0.0; j + 1]; j];
    let (mut used, mut excluded) = (0.0, 0.0);
    for (p, &w) in pattern_weights.iter().enumerate() {
        let pattern = patterns.pattern(p);
        if pattern.contains(&MISSING) {
            excluded += w;
            continue;
        }
        used += w;
        let k = pattern.iter().filter(|&&y| y == 1).count();
        n_k[k] += w;
        for (i, &y) in pattern.iter().enumerate() {
            if y == 1 {
                yes_ik[i][k] += w;
            }
        }
    }
    let mut full = Vec::new();
    let mut rest = Vec::new();
    let mut denominator = vec![0.0; j + 1];
    for (theta, w) in quad.nodes.iter().zip(&quad.weights) {
        lord_wingersky(items, 0..j, *theta, &mut full);
        for k in 0..=j {
            denominator[k] += w * full[k];
        }
    }
    let free = match model {
        Model::TwoPl => 2,
        Model::OnePl => 1,
    };
    let mut out = Vec::with_capacity(j);
    for i in 0..j {
        let mut numerator = vec![0.0; j + 1];
        for (theta, w) in quad.nodes.iter().zip(&quad.weights) {
            lord_wingersky(items, (0..j).filter(|&m| m != i), *theta, &mut rest);
            let p = items[i].probability(*theta);
            for k in 1..=j {
                numerator[k] += w * p * rest[k - 1];
            }
        }
        // Groups: (N, observed yes count, expected yes count) for scores 1..J−1.
        let cells: Vec<(f64, f64, f64)> = (1..j)
            .filter(|&k| n_k[k] > 0.0 && denominator[k] > 0.0)
            .map(|k| (n_k[k], yes_ik[i][k], n_k[k] * numerator[k] / denominator[k]))
            .collect();
        let pooled = pool_tails(cells, min_expected);
        let mut stat = 0.0;
        for &(n, o, e) in &pooled {
            let e_prop = e / n;
            let o_prop = o / n;
            if e_prop > 0.0 && e_prop < 1.0 {
                stat += n * (o_prop - e_prop).powi(2) / (e_prop * (1.0 - e_prop));
            }
        }
        let df = pooled.len().saturating_sub(free);
        out.push(SX2 {
            item: items[i].name.clone(),
            s_x2: stat,
            df,
            p_value: (df > 0).then(|| chi_square_upper(stat, df as f64)),
            groups: pooled.len(),
        });
    }
    Ok(ItemFitReport {
        items: out,
        n_used: used,
        n_incomplete_excluded: excluded,
    })
}

/// Pool adjacent cells from both tails until expected "yes" and "no" counts reach `min_expected`.
fn pool_tails(cells: Vec<(f64, f64, f64)>, min_expected: f64) -> Vec<(f64, f64, f64)> {
    let small = |c: &(f64, f64, f64)| c.2 < min_expected || c.0 - c.2 < min_expected;
    let mut cells = cells;
    // Lower tail, then upper tail (by reversing), pooling a small cell into its inner neighbour.
    for _ in 0..2 {
        let mut pooled: Vec<(f64, f64, f64)> = Vec::with_capacity(cells.len());
        let mut carry: Option<(f64, f64, f64)> = None;
        let mut in_tail = true;
        for c in cells {
            let merged = match carry.take() {
                Some(a) => (a.0 + c.0, a.1 + c.1, a.2 + c.2),
                None => c,
            };
            if in_tail && small(&merged) {
                carry = Some(merged);
            } else {
                in_tail = false;
                pooled.push(merged);
            }
        }
        if let Some(c) = carry {
            // Everything was small: keep one pooled cell; else fold the remainder into the last cell.
            match pooled.last_mut() {
                Some(last) => {
                    last.0 += c.0;
                    last.1 += c.1;
                    last.2 += c.2;
                }
                None => pooled.push(c),
            }
        }
        pooled.reverse();
        cells = pooled;
    }
    cells
}

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; relative error < 1e-14).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (k, c) in C.iter().enumerate().skip(1) {
        a += c / (x + k as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Upper tail P(χ²_df > x) = Q(df/2, x/2), by series or continued fraction (Numerical Recipes §6.2).
///
/// ```
/// let p = egov_irt::diagnostics::chi_square_upper(3.841458820694124, 1.0);
/// assert!((p - 0.05).abs() < 1e-10);
/// ```
pub fn chi_square_upper(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let (a, x) = (0.5 * df, 0.5 * x);
    let log_prefix = -x + a * x.ln() - ln_gamma(a);
    if x < a + 1.0 {
        let (mut sum, mut term, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..1000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        (1.0 - sum * log_prefix.exp()).clamp(0.0, 1.0)
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..1000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (log_prefix.exp() * h).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi_square_tail_matches_known_quantiles() {
        // 95% quantiles: df 1 → 3.841459, df 5 → 11.070498, df 10 → 18.307038.
        assert!((chi_square_upper(3.841_458_820_694_124, 1.0) - 0.05).abs() < 1e-10);
        assert!((chi_square_upper(11.070_497_693_516_35, 5.0) - 0.05).abs() < 1e-10);
        assert!((chi_square_upper(18.307_038_053_275_146, 10.0) - 0.05).abs() < 1e-10);
        assert!((chi_square_upper(2.0, 2.0) - (-1.0f64).exp()).abs() < 1e-12);
    }

    #[test]
    fn lord_wingersky_sums_to_one_and_matches_binomial() {
        let items: Vec<ItemEstimate> = (0..4)
            .map(|i| ItemEstimate::from_slope_intercept(&format!("i{i}"), 1.0, 0.0))
            .collect();
        let mut out = Vec::new();
        lord_wingersky(&items, 0..4, 0.0, &mut out);
        let expected = [1.0, 4.0, 6.0, 4.0, 1.0].map(|c| c / 16.0);
        for (x, y) in out.iter().zip(expected) {
            assert!((x - y).abs() < 1e-15);
        }
    }

    #[test]
    fn pooling_merges_small_tails() {
        let cells = vec![
            (2.0, 0.0, 0.1),
            (10.0, 3.0, 4.0),
            (10.0, 8.0, 7.0),
            (3.0, 3.0, 2.9),
        ];
        let pooled = pool_tails(cells, 1.0);
        assert_eq!(pooled.len(), 2);
        assert_eq!(pooled[0], (12.0, 3.0, 4.1));
        assert_eq!(pooled[1], (13.0, 11.0, 9.9));
    }
}
