//! Stage 3: weighted descriptive tables — e-government uptake and mean DSI by region, age group ×
//! urban/rural, education, sex and labour status, with 95% intervals from
//! `egov_econ::descriptive::group_means` (design-based when the data carry PSUs). The charts draw
//! these same numbers.

use super::dsi::DsiResult;
use anyhow::Context;
use egov_econ::descriptive::{Design, GroupEstimate, group_means, overall_mean};
use egov_survey::{AnalysisFrame, CategoricalVar, Lang, Level};
use serde::Serialize;

/// Age groups of the tables: [lower, upper] in years.
pub const AGE_GROUPS: [(f64, f64); 6] = [
    (15.0, 24.0),
    (25.0, 34.0),
    (35.0, 44.0),
    (45.0, 54.0),
    (55.0, 64.0),
    (65.0, 74.0),
];

/// A label in the three report languages.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Labels {
    /// English.
    pub en: String,
    /// Russian.
    pub ru: String,
    /// Kazakh.
    pub kk: String,
}

impl Labels {
    fn of(level: &Level) -> Self {
        Labels {
            en: level.label(Lang::En).to_string(),
            ru: level.label(Lang::Ru).to_string(),
            kk: level.label(Lang::Kk).to_string(),
        }
    }
    fn same(text: &str) -> Self {
        Labels {
            en: text.into(),
            ru: text.into(),
            kk: text.into(),
        }
    }
    /// The label in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ru => &self.ru,
            Lang::Kk => &self.kk,
        }
    }
}

/// One group of a table.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// Machine key, e.g. `astana` or `15_24:urban`.
    pub key: String,
    /// Label of the group (for a two-way table: the first variable's level).
    pub label: Labels,
    /// Second variable's level in a two-way table (urban/rural).
    pub series: Option<Labels>,
    /// Weighted share using e-government (0–1).
    pub uptake: GroupEstimate,
    /// Weighted mean DSI.
    pub dsi: GroupEstimate,
    /// One of the three cities of republican significance (region table only).
    pub city: bool,
}

/// One descriptive table.
#[derive(Debug, Clone, Serialize)]
pub struct GroupTable {
    /// File stem, e.g. `by_region`.
    pub name: String,
    /// Heading of the grouping column (English).
    pub variable: String,
    /// Rows in codebook order.
    pub rows: Vec<GroupRow>,
    /// Respondents without a group (missing grouping variable).
    pub missing_group: usize,
}

/// All descriptive tables.
#[derive(Debug, Clone, Serialize)]
pub struct Descriptives {
    /// National uptake.
    pub national_uptake: GroupEstimate,
    /// National mean DSI (0 when the DSI is standardised with the same weights).
    pub national_dsi: GroupEstimate,
    /// The tables.
    pub tables: Vec<GroupTable>,
    /// Respondents with a missing outcome (left out of the uptake estimates).
    pub missing_outcome: usize,
    /// Respondents without a DSI (left out of the DSI estimates).
    pub missing_dsi: usize,
    /// How standard errors were computed.
    pub design: String,
    /// Confidence level.
    pub conf_level: f64,
}

impl Descriptives {
    /// The table called `name`.
    pub fn table(&self, name: &str) -> Option<&GroupTable> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// Index of the age group of `age`.
pub fn age_group(age: f64) -> Option<usize> {
    AGE_GROUPS
        .iter()
        .position(|(lo, hi)| age >= *lo && age < hi + 1.0)
}

/// Label of age group `g` ("15–24").
pub fn age_label(g: usize) -> String {
    let (lo, hi) = AGE_GROUPS[g];
    format!("{lo:.0}–{hi:.0}")
}

struct Inputs<'a> {
    weights: &'a [f64],
    design: Option<Design>,
    uptake: Vec<f64>,
    has_uptake: Vec<bool>,
    dsi: Vec<f64>,
    has_dsi: Vec<bool>,
    conf_level: f64,
}

impl Inputs<'_> {
    fn estimate(
        &self,
        groups: &[Option<u32>],
        n_groups: usize,
    ) -> anyhow::Result<(Vec<GroupEstimate>, Vec<GroupEstimate>)> {
        let masked = |has: &[bool]| -> Vec<Option<u32>> {
            groups
                .iter()
                .zip(has)
                .map(|(g, ok)| if *ok { *g } else { None })
                .collect()
        };
        let u = group_means(
            &self.uptake,
            self.weights,
            &masked(&self.has_uptake),
            n_groups,
            self.design.as_ref(),
            self.conf_level,
        )?;
        let d = group_means(
            &self.dsi,
            self.weights,
            &masked(&self.has_dsi),
            n_groups,
            self.design.as_ref(),
            self.conf_level,
        )?;
        Ok((u, d))
    }

    fn table(
        &self,
        name: &str,
        var: &CategoricalVar,
        city: impl Fn(&Level) -> bool,
    ) -> anyhow::Result<GroupTable> {
        let (u, d) = self
            .estimate(&var.codes, var.levels.len())
            .with_context(|| format!("weighted means by {}", var.name))?;
        Ok(GroupTable {
            name: name.into(),
            variable: var.name.clone(),
            rows: var
                .levels
                .iter()
                .zip(u.into_iter().zip(d))
                .map(|(level, (uptake, dsi))| GroupRow {
                    key: level.name.clone(),
                    label: Labels::of(level),
                    series: None,
                    uptake,
                    dsi,
                    city: city(level),
                })
                .collect(),
            missing_group: var.missing(),
        })
    }
}

/// Computes every descriptive table.
pub fn compute(
    frame: &AnalysisFrame,
    dsi: &DsiResult,
    conf_level: f64,
) -> anyhow::Result<Descriptives> {
    let design = frame.psu.as_ref().map(|psu| Design {
        strata: frame.stratum.clone(),
        psu: psu.clone(),
    });
    let design_label = match (&frame.psu, &frame.stratum) {
        (Some(_), Some(_)) => "design-based (linearisation; PSUs within strata)",
        (Some(_), None) => "design-based (linearisation; PSUs)",
        _ => "linearisation, each respondent its own PSU (no design in the codebook)",
    };
    let inputs = Inputs {
        weights: &frame.weight,
        design,
        uptake: frame
            .outcome
            .iter()
            .map(|v| v.map_or(0.0, f64::from))
            .collect(),
        has_uptake: frame.outcome.iter().map(Option::is_some).collect(),
        dsi: dsi.dsi.iter().map(|v| v.unwrap_or(0.0)).collect(),
        has_dsi: dsi.dsi.iter().map(Option::is_some).collect(),
        conf_level,
    };
    let all: Vec<Option<u32>> = vec![Some(0); frame.n_rows()];
    let (mut u, mut d) = inputs.estimate(&all, 1).context("national means")?;
    let _ = overall_mean; // same estimator as one group of group_means
    let national_uptake = u.remove(0);
    let national_dsi = d.remove(0);

    let cities =
        |l: &Level| egov_survey::regions::region_by_slug(&l.name).is_some_and(|r| r.is_city);
    let mut tables = vec![inputs.table("by_region", &frame.region, cities)?];

    // Age group × urban/rural.
    let n_urban = frame.urban.levels.len();
    let groups: Vec<Option<u32>> = frame
        .age
        .iter()
        .zip(&frame.urban.codes)
        .map(|(a, u)| {
            let g = age_group((*a)?)?;
            Some((g * n_urban) as u32 + (*u)?)
        })
        .collect();
    let missing_group = groups.iter().filter(|g| g.is_none()).count();
    let (u, d) = inputs
        .estimate(&groups, AGE_GROUPS.len() * n_urban)
        .context("weighted means by age group and urban/rural")?;
    let mut rows = Vec::new();
    for (i, (uptake, dsi)) in u.into_iter().zip(d).enumerate() {
        let (g, l) = (i / n_urban, i % n_urban);
        let level = &frame.urban.levels[l];
        rows.push(GroupRow {
            key: format!("{}_{}:{}", AGE_GROUPS[g].0, AGE_GROUPS[g].1, level.name),
            label: Labels::same(&age_label(g)),
            series: Some(Labels::of(level)),
            uptake,
            dsi,
            city: false,
        });
    }
    tables.push(GroupTable {
        name: "by_age_urban".into(),
        variable: "age group × urban".into(),
        rows,
        missing_group,
    });
    tables.push(inputs.table("by_education", &frame.education, |_| false)?);
    tables.push(inputs.table("by_sex", &frame.sex, |_| false)?);
    tables.push(inputs.table("by_labour", &frame.labour, |_| false)?);
    tables.push(inputs.table("by_urban", &frame.urban, |_| false)?);
    Ok(Descriptives {
        national_uptake,
        national_dsi,
        tables,
        missing_outcome: frame.outcome.iter().filter(|o| o.is_none()).count(),
        missing_dsi: dsi.n_unscored,
        design: design_label.into(),
        conf_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_groups_cover_15_to_74() {
        assert_eq!(age_group(15.0), Some(0));
        assert_eq!(age_group(24.9), Some(0));
        assert_eq!(age_group(25.0), Some(1));
        assert_eq!(age_group(74.0), Some(5));
        assert_eq!(age_group(14.0), None);
        assert_eq!(age_group(75.0), None);
        assert_eq!(age_label(2), "35–44");
    }
}
