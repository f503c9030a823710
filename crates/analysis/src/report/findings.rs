//! The findings section, written from the estimates: every number comes from the fitted models
//! and descriptive tables, and each sentence changes with them (direction, significance, ranking).

use super::labels::TermLabels;
use super::tables::{count, num, pct, pval};
use crate::pipeline::Analysis;
use crate::pipeline::models::reference_index;
use egov_econ::Coefficient;

/// Percentage points with one decimal (absolute value; the sentence carries the sign).
fn pp(x: f64) -> String {
    num(100.0 * x.abs(), 1)
}

/// "[95% CI a to b]" in percentage points, in the direction of the sentence ("less likely" turns
/// the interval around so that both bounds read as distances below zero).
fn ci_pp(c: &Coefficient, level: f64) -> String {
    let (lo, hi) = if c.estimate < 0.0 {
        (-c.conf_high, -c.conf_low)
    } else {
        (c.conf_low, c.conf_high)
    };
    format!(
        "[{:.0}% CI {} to {}]",
        100.0 * level,
        num(100.0 * lo, 1),
        num(100.0 * hi, 1)
    )
}

/// "p = 0.012" or "p < 0.001".
fn p_is(p: f64) -> String {
    let t = pval(p);
    if t.starts_with('<') {
        format!("p {}", t.replace('<', "< "))
    } else {
        format!("p = {t}")
    }
}

fn significance(c: &Coefficient) -> &'static str {
    if c.p_value < 0.05 {
        ""
    } else {
        " (not statistically significant at 5%)"
    }
}

/// "X pp more/less likely" for a coefficient.
fn likely(c: &Coefficient, level: f64) -> String {
    format!(
        "{} pp {} {} likely",
        pp(c.estimate),
        ci_pp(c, level),
        if c.estimate < 0.0 { "less" } else { "more" }
    )
}

/// Sentences of the findings section, most important first.
pub fn findings(a: &Analysis, labels: &TermLabels) -> Vec<String> {
    let m = &a.models.main;
    let level = m.conf_level;
    let frame = &a.data.frame;
    let d = &a.descriptives;
    let mut out = Vec::new();

    out.push(format!(
        "**Uptake.** {}% of adults [{:.0}% CI {} to {}] used government services via the Internet (weighted; {} respondents, {} with a missing answer left out).",
        pct(d.national_uptake.estimate),
        100.0 * level,
        pct(d.national_uptake.conf_low),
        pct(d.national_uptake.conf_high),
        count(frame.n_rows()),
        count(d.missing_outcome)
    ));

    if let Some(c) = m.coefficient("dsi") {
        out.push(format!(
            "**Digital skills.** A respondent one standard deviation higher on the Digital Skills Index is {} to use e-government, holding sex, education, area, age, labour status and region fixed{}.",
            likely(c, level),
            significance(c)
        ));
    }

    // Education: the highest level versus the reference.
    let edu = &frame.education;
    let edu_ref = &edu.levels[reference_index(m, edu)];
    let edu_terms: Vec<&Coefficient> = m
        .coefficients
        .iter()
        .filter(|c| c.term.starts_with("education::"))
        .collect();
    if let Some(top) = edu_terms
        .iter()
        .max_by(|a, b| a.estimate.total_cmp(&b.estimate))
    {
        let increasing = edu_terms.windows(2).all(|w| w[1].estimate >= w[0].estimate);
        out.push(format!(
            "**Education.** Respondents with {} education are {} than otherwise similar respondents with {}; {}.",
            labels.get(&top.term).trim_start_matches("Education: ").to_lowercase(),
            likely(top, level),
            edu_ref.label_en.to_lowercase(),
            if increasing {
                "the estimated effect rises with every step of education".to_string()
            } else {
                "the effects do not rise monotonically across education levels".to_string()
            }
        ));
    }

    // Labour status: each non-reference level.
    let lab = &frame.labour;
    let lab_ref = lower_first(&plural(&lab.levels[reference_index(m, lab)].label_en));
    let mut parts = Vec::new();
    for level_ in &lab.levels {
        if let Some(c) = m.coefficient(&format!("labour::{}", level_.name)) {
            let who = plural(&level_.label_en);
            parts.push(format!(
                "{} are {} than {}{}",
                if parts.is_empty() {
                    who
                } else {
                    lower_first(&who)
                },
                likely(c, level),
                lab_ref,
                significance(c)
            ));
        }
    }
    if !parts.is_empty() {
        let mut s = format!("**Labour status.** {}.", parts.join("; "));
        if let Some(t) = a
            .models
            .tests
            .iter()
            .find(|t| t.name == "students_pensioners_unemployed_equal")
        {
            s.push_str(&format!(
                " A joint test that students, pensioners and the unemployed differ equally from {} gives F = {} ({}): the three effects {}.",
                lab_ref,
                num(t.test.f, 2),
                p_is(t.test.f_p_value),
                if t.test.f_p_value < 0.05 {
                    "differ significantly from one another"
                } else {
                    "cannot be told apart at the 5% level"
                }
            ));
        }
        out.push(s);
    }

    // Regions: do the three cities exceed every other region?
    if let Some(t) = d.table("by_region") {
        let cities: Vec<_> = t.rows.iter().filter(|r| r.city).collect();
        let others: Vec<_> = t.rows.iter().filter(|r| !r.city).collect();
        let low_city = cities
            .iter()
            .min_by(|a, b| a.uptake.estimate.total_cmp(&b.uptake.estimate));
        let top_other = others
            .iter()
            .max_by(|a, b| a.uptake.estimate.total_cmp(&b.uptake.estimate));
        if let (Some(low_city), Some(top_other)) = (low_city, top_other) {
            let above = low_city.uptake.estimate > top_other.uptake.estimate;
            let mut s = format!(
                "**Regions.** In raw weighted uptake the three cities {} every other region: the lowest city, {}, stands at {}% and the highest other region, {}, at {}%.",
                if above { "exceed" } else { "do not all exceed" },
                low_city.label.en,
                pct(low_city.uptake.estimate),
                top_other.label.en,
                pct(top_other.uptake.estimate)
            );
            let reg = &frame.region;
            let effect = |slug: &str| -> Option<f64> {
                if reg.levels[reference_index(m, reg)].name == slug {
                    Some(0.0)
                } else {
                    m.coefficient(&format!("region::{slug}"))
                        .map(|c| c.estimate)
                }
            };
            let city_effects: Vec<(String, f64)> = cities
                .iter()
                .filter_map(|r| effect(&r.key).map(|e| (r.label.en.clone(), e)))
                .collect();
            let other_effects: Vec<(String, f64)> = others
                .iter()
                .filter_map(|r| effect(&r.key).map(|e| (r.label.en.clone(), e)))
                .collect();
            if let (Some(lc), Some(to)) = (
                city_effects.iter().min_by(|a, b| a.1.total_cmp(&b.1)),
                other_effects.iter().max_by(|a, b| a.1.total_cmp(&b.1)),
            ) {
                s.push_str(&format!(
                    " Holding skills and demographics fixed (LPM, relative to {}), the cities {} every other region: the smallest city effect ({}, {} pp) against the largest other region ({}, {} pp).",
                    reg.levels[reference_index(m, reg)].label_en,
                    if lc.1 > to.1 { "still exceed" } else { "no longer exceed" },
                    lc.0,
                    num(100.0 * lc.1, 1),
                    to.0,
                    num(100.0 * to.1, 1)
                ));
            }
            if let Some(t) = a.models.tests.iter().find(|t| t.name == "regions_zero") {
                s.push_str(&format!(
                    " The region effects are jointly {} (F = {} on {} restrictions, {}).",
                    if t.test.f_p_value < 0.05 {
                        "significant"
                    } else {
                        "not significant"
                    },
                    num(t.test.f, 2),
                    t.test.q,
                    p_is(t.test.f_p_value)
                ));
            }
            out.push(s);
        }
    }

    // Largest standardised predictors.
    let top: Vec<String> = a
        .models
        .standardised
        .iter()
        .take(4)
        .map(|s| {
            format!(
                "{} ({}{} pp per SD)",
                if s.term == "age" {
                    "age".to_string()
                } else {
                    labels.get(&s.term).replace(" (per SD)", "")
                },
                if s.effect < 0.0 { "−" } else { "+" },
                num(100.0 * s.effect.abs(), 1)
            )
        })
        .collect();
    if !top.is_empty() {
        out.push(format!(
            "**Largest predictors in standardised terms** (change in probability per standard deviation of the regressor): {}.",
            top.join(", ")
        ));
    }

    // Robustness.
    let mut rob = Vec::new();
    if let Some(dsi) = m.coefficient("dsi") {
        for (name, model) in [("logit", &a.models.logit), ("probit", &a.models.probit)] {
            if let Some(b) = model
                && let Some(me) = b.marginal_effect("dsi")
            {
                rob.push(format!(
                    "the {name} average marginal effect of the DSI is {} pp against {} pp in the LPM",
                    num(100.0 * me.estimate, 1),
                    num(100.0 * dsi.estimate, 1)
                ));
            }
        }
        if let Some((_, r)) = &a.models.count_index
            && let Some(c) = r.coefficient("count_index")
        {
            rob.push(format!(
                "with the standardised count of skills instead of the IRT score the skills effect is {} pp per SD (correlation of the two indices {})",
                num(100.0 * c.estimate, 1),
                a.dsi.count_correlation.map_or("–".into(), |r| num(r, 3))
            ));
        }
        if let Some((_, r)) = &a.models.no_dsi
            && let Some(hi) = edu_terms
                .iter()
                .max_by(|a, b| a.estimate.total_cmp(&b.estimate))
            && let Some(c) = r.coefficient(&hi.term)
        {
            rob.push(format!(
                "without the DSI the effect of {} grows from {} to {} pp, so part of the education gap runs through digital skills",
                labels.get(&hi.term).trim_start_matches("Education: ").to_lowercase(),
                num(100.0 * hi.estimate, 1),
                num(100.0 * c.estimate, 1)
            ));
        }
    }
    if !rob.is_empty() {
        out.push(format!("**Robustness.** {}.", capitalise(&rob.join("; "))));
    }

    // Honest uncertainty for the estimated index.
    if let Some(inf) = &a.inference
        && let Some(row) = inf.table.rows.iter().find(|r| r.term == "dsi")
    {
        let mut parts = vec![format!(
            "treating the DSI as observed gives its effect a standard error of {} pp",
            num(100.0 * row.naive_se, 2)
        )];
        if let (Some(est), Some(se), Some(fmi)) = (row.pv_estimate, row.pv_se, row.pv_fmi) {
            parts.push(if inf.conditioned {
                format!(
                    "{} plausible values drawn under a latent regression on the model's covariates and outcome give {} pp with a standard error of {} pp (fraction of missing information {}): the effect of skill itself, free of the shrinkage of the EAP score",
                    inf.table.plausible_values.unwrap_or(0),
                    num(100.0 * est, 1),
                    num(100.0 * se, 2),
                    num(fmi, 2)
                )
            } else {
                format!(
                    "with {} plausible values the standard error is {} pp (fraction of missing information {}) and the estimate {} pp (draws made without a background model add the index's measurement error to the regressor, which pulls its coefficient towards zero)",
                    inf.table.plausible_values.unwrap_or(0),
                    num(100.0 * se, 2),
                    num(fmi, 2),
                    num(100.0 * est, 1)
                )
            });
        }
        if let Some(se) = row.bootstrap_se {
            parts.push(format!(
                "the two-step bootstrap, which refits the item model in every replicate, gives {} pp",
                num(100.0 * se, 2)
            ));
        }
        out.push(format!(
            "**Uncertainty from the estimated index.** {}.",
            capitalise(&parts.join("; "))
        ));
    }
    out
}

/// Lower-cases the first letter (labour-status labels are common nouns).
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// "Student" → "Students"; "Other inactive" → "Other inactive people"; "Unemployed" → "The unemployed".
fn plural(label: &str) -> String {
    let l = label.trim();
    if l.eq_ignore_ascii_case("unemployed") {
        "The unemployed".into()
    } else if l.ends_with("inactive") || l.ends_with("employed") {
        format!("{l} people")
    } else if l.ends_with('s') {
        l.into()
    } else {
        format!("{l}s")
    }
}
