//! Simple skill indices beside the IRT score, for robustness checks.
//!
//! * [`count_yes`]: the number of "yes" answers (missing counts as not answered; persons with no answered
//!   item get None).
//! * [`skill_level`]: a rule-based level in the style of Eurostat's older computer-skills indicator, which
//!   classed people by how many of six activities they had carried out (low 1–2, medium 3–4, high 5–6). Here
//!   the same cut-offs are applied to the count of the 11 items: none = 0, low = 1–2, medium = 3–4,
//!   high = 5 or more. The top band is therefore wider (5–11) than in the original six-item rule.
//! * [`weighted_correlation`]: the weighted Pearson correlation between two scores over persons with both.

use serde::{Deserialize, Serialize};

use crate::MISSING;

/// Rule-based skill level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SkillLevel {
    /// No item answered "yes".
    None,
    /// 1–2 items.
    Low,
    /// 3–4 items.
    Medium,
    /// 5 or more items.
    High,
}

/// Number of "yes" answers per person (None if the person answered no item).
///
/// ```
/// use egov_irt::{indices::count_yes, MISSING};
/// assert_eq!(count_yes(&[1, 1, 0, MISSING, MISSING, MISSING], 3), vec![Some(2), None]);
/// ```
pub fn count_yes(responses: &[u8], n_items: usize) -> Vec<Option<u32>> {
    if n_items == 0 {
        return Vec::new();
    }
    responses
        .chunks(n_items)
        .map(|row| {
            if row.iter().all(|&v| v == MISSING) {
                None
            } else {
                Some(row.iter().filter(|&&v| v == 1).count() as u32)
            }
        })
        .collect()
}

/// Level from a count of "yes" answers (0 → None, 1–2 → Low, 3–4 → Medium, 5+ → High).
///
/// ```
/// use egov_irt::indices::{skill_level, SkillLevel};
/// assert_eq!(skill_level(0), SkillLevel::None);
/// assert_eq!(skill_level(2), SkillLevel::Low);
/// assert_eq!(skill_level(4), SkillLevel::Medium);
/// assert_eq!(skill_level(11), SkillLevel::High);
/// ```
pub fn skill_level(count: u32) -> SkillLevel {
    match count {
        0 => SkillLevel::None,
        1..=2 => SkillLevel::Low,
        3..=4 => SkillLevel::Medium,
        _ => SkillLevel::High,
    }
}

/// Levels for every person (None if no answered item).
///
/// ```
/// use egov_irt::indices::{skill_levels, SkillLevel};
/// assert_eq!(skill_levels(&[1, 1, 0, 0, 0, 0], 3), vec![Some(SkillLevel::Low), Some(SkillLevel::None)]);
/// ```
pub fn skill_levels(responses: &[u8], n_items: usize) -> Vec<Option<SkillLevel>> {
    count_yes(responses, n_items)
        .into_iter()
        .map(|c| c.map(skill_level))
        .collect()
}

/// Weighted Pearson correlation over persons where both values are present and the weight is positive.
/// None if fewer than two such persons or either variable is constant.
///
/// ```
/// use egov_irt::indices::weighted_correlation;
/// let r = weighted_correlation(&[Some(1.0), Some(2.0), Some(3.0)], &[Some(2.0), Some(4.0), Some(6.5)], None).unwrap();
/// assert!(r > 0.99);
/// ```
pub fn weighted_correlation(
    x: &[Option<f64>],
    y: &[Option<f64>],
    weights: Option<&[f64]>,
) -> Option<f64> {
    let mut rows = Vec::new();
    for i in 0..x.len().min(y.len()) {
        let w = weights.map_or(1.0, |w| w.get(i).copied().unwrap_or(0.0));
        if let (Some(a), Some(b)) = (x[i], y[i])
            && w.is_finite()
            && w > 0.0
            && a.is_finite()
            && b.is_finite()
        {
            rows.push((w, a, b));
        }
    }
    if rows.len() < 2 {
        return None;
    }
    let sw: f64 = rows.iter().map(|r| r.0).sum();
    let mx = rows.iter().map(|r| r.0 * r.1).sum::<f64>() / sw;
    let my = rows.iter().map(|r| r.0 * r.2).sum::<f64>() / sw;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (w, a, b) in rows {
        sxx += w * (a - mx) * (a - mx);
        syy += w * (b - my) * (b - my);
        sxy += w * (a - mx) * (b - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

/// Convenience: counts as `Option<f64>` for [`weighted_correlation`].
pub fn counts_as_f64(counts: &[Option<u32>]) -> Vec<Option<f64>> {
    counts.iter().map(|c| c.map(f64::from)).collect()
}
