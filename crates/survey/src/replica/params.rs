//! Generating parameters of the replica. Sources and reasoning: `docs/parts/survey-methodology.md`.

use super::ReplicaConfig;
use crate::frame::ITEM_NAMES;
use crate::regions::REGIONS_2021;

/// Adults in the 2021 wave.
pub const REPLICA_N: usize = 56_649;
/// Seed of the committed replica.
pub const REPLICA_SEED: u64 = 2021;
/// Census 2021 population aged 15–74: the weights sum to it.
pub const ADULT_POPULATION_15_74: f64 = 13_054_255.0;
/// Region sample sizes are proportional to population^this.
pub const ALLOCATION_POWER: f64 = 0.7;
/// Households per primary sampling unit.
pub const HOUSEHOLDS_PER_PSU: u32 = 12;
/// Standard deviation of the log non-response adjustment of weights.
pub const WEIGHT_NOISE_SD: f64 = 0.25;
/// Distribution of adults (15–74) per household, sizes 1–6.
pub const HOUSEHOLD_ADULTS: [f64; 6] = [0.20, 0.38, 0.22, 0.12, 0.05, 0.03];

/// Ten-year age groups (first age, last age) of the census 15–74 table.
pub const AGE_GROUPS: [(u8, u8); 6] = [(15, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74)];
/// Shares of the census 15–74 population by age group (%).
pub const AGE_GROUP_SHARES: [f64; 6] = [18.5, 22.3, 20.1, 16.4, 14.4, 8.3];
/// Male share within each age group (census 2021).
pub const MALE_SHARE_BY_AGE: [f64; 6] = [0.511, 0.505, 0.495, 0.477, 0.451, 0.393];

/// Census 2021 education by age group (row %), raw codes 1–6:
/// primary/none, basic secondary, general secondary, TVET, incomplete higher, higher.
pub const EDUC_BY_AGE: [[f64; 6]; 6] = [
    [7.7, 27.2, 29.9, 19.5, 3.0, 12.7],
    [0.5, 5.8, 27.5, 30.1, 1.8, 34.3],
    [0.4, 3.4, 26.0, 35.2, 1.6, 33.3],
    [0.7, 3.6, 26.3, 33.5, 1.3, 34.6],
    [2.1, 6.5, 26.4, 38.0, 0.9, 26.0],
    [9.0, 11.4, 21.6, 33.7, 0.5, 23.8],
];
/// Score of each raw education code in the gradient tilt.
pub const EDUC_SCORE: [f64; 6] = [0.0, 0.0, 0.33, 0.6, 0.8, 1.0];
/// Tilt for urban residents (exp(tilt × score) multiplies the census shares).
pub const EDUC_TILT_URBAN: f64 = 0.35;
/// Tilt for rural residents.
pub const EDUC_TILT_RURAL: f64 = -0.55;
/// Extra tilt in the three cities.
pub const EDUC_TILT_CITY: f64 = 0.35;
/// Share of education answers coded 99 (missing).
pub const EDUC_MISSING_RATE: f64 = 0.002;
/// Analysis level (0 basic_or_less … 4 higher) of raw education codes 1–6.
pub const EDUC_LEVEL_OF_CODE: [usize; 6] = [0, 0, 1, 2, 3, 4];

/// Latent skill by education level (before standardisation).
pub const THETA_EDUC: [f64; 5] = [-1.0, -0.45, 0.0, 0.55, 0.85];
/// Latent skill change per year of age above 30.
pub const THETA_AGE_SLOPE: f64 = -0.035;
/// Latent skill: urban shift.
pub const THETA_URBAN: f64 = 0.25;
/// Latent skill: extra shift in the three cities.
pub const THETA_CITY: f64 = 0.2;
/// Latent skill by labour status (wage, self, unemployed, student, pensioner, other).
pub const THETA_LABOUR: [f64; 6] = [0.0, -0.1, -0.25, 0.35, -0.3, -0.35];
/// Latent skill: residual standard deviation.
pub const THETA_NOISE_SD: f64 = 0.75;

/// Internet use: logit intercept at θ = 0.
pub const INTERNET_INTERCEPT: f64 = 3.3;
/// Internet use: logit slope on θ.
pub const INTERNET_SLOPE: f64 = 1.6;

/// 2PL parameters of one item on the standardised θ scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemParam {
    /// Discrimination.
    pub a: f64,
    /// Difficulty.
    pub b: f64,
}

/// Item parameters in canonical item order. Difficulties are set so that the marginal
/// yes-shares are about 62, 25, 15, 47, 52, 26, 21, 7, 33, 22 and 28%: the 2019 BNS shares for
/// ages 15+ raised a little for 2021, Word placed between e-mail and spreadsheets and
/// software configuration between devices and programming (no published share for either).
pub const ITEMS: [ItemParam; 11] = [
    ItemParam { a: 1.6, b: -0.446 },
    ItemParam { a: 2.0, b: 0.886 },
    ItemParam { a: 2.2, b: 1.31 },
    ItemParam { a: 1.8, b: 0.104 },
    ItemParam { a: 1.9, b: -0.067 },
    ItemParam { a: 1.7, b: 0.91 },
    ItemParam { a: 1.8, b: 1.11 },
    ItemParam { a: 1.4, b: 2.323 },
    ItemParam { a: 2.1, b: 0.566 },
    ItemParam { a: 1.5, b: 1.168 },
    ItemParam { a: 1.9, b: 0.782 },
];
/// Raw item column names in the replica file.
pub const RAW_ITEM_COLUMNS: [&str; 11] = [
    "sk01", "sk02", "sk03", "sk04", "sk05", "sk06", "sk07", "sk08", "sk09", "sk10", "sk11",
];

/// Outcome probability: intercept (reference person: basic education or less, wage employee,
/// rural, male, aged 25–44, outside the three cities, θ = 0).
pub const EGOV_INTERCEPT: f64 = 0.36;
/// Outcome: slope on the true standardised θ.
pub const EGOV_THETA: f64 = 0.15;
/// Outcome by education level.
pub const EGOV_EDUC: [f64; 5] = [0.0, 0.04, 0.06, 0.08, 0.10];
/// Outcome by labour status (wage, self, unemployed, student, pensioner, other).
pub const EGOV_LABOUR: [f64; 6] = [0.0, -0.02, -0.055, -0.09, -0.06, -0.05];
/// Outcome: the three cities.
pub const EGOV_CITY: f64 = 0.06;
/// Outcome: urban.
pub const EGOV_URBAN: f64 = 0.03;
/// Outcome: female.
pub const EGOV_FEMALE: f64 = 0.01;
/// Outcome: ages 15–24 relative to 25–44.
pub const EGOV_AGE_YOUNG: f64 = -0.02;
/// Outcome: change per year above 44.
pub const EGOV_AGE_SLOPE_45: f64 = -0.003;

pub(super) fn true_parameters_json(config: &ReplicaConfig) -> String {
    let items: Vec<serde_json::Value> = ITEM_NAMES
        .iter()
        .zip(ITEMS)
        .zip(RAW_ITEM_COLUMNS)
        .map(
            |((name, p), col)| serde_json::json!({"item": name, "column": col, "a": p.a, "b": p.b}),
        )
        .collect();
    let regions: Vec<serde_json::Value> = REGIONS_2021
        .iter()
        .map(|r| serde_json::json!({"slug": r.slug, "code": &r.iso_numeric[3..], "urban_share": r.urban_share, "population_10plus": r.population_10plus, "is_city": r.is_city}))
        .collect();
    let v = serde_json::json!({
        "synthetic": true,
        "config": config,
        "theta_scale": "standardised to mean 0, sd 1 in the generated sample",
        "items_2pl_logistic": items,
        "latent_skill": {
            "education_levels": ["basic_or_less", "general_secondary", "tvet", "incomplete_higher", "higher"],
            "education": THETA_EDUC,
            "age_slope_per_year_above_30": THETA_AGE_SLOPE,
            "urban": THETA_URBAN,
            "city": THETA_CITY,
            "labour_levels": ["wage_employee", "self_employed", "unemployed", "student", "pensioner", "other_inactive"],
            "labour": THETA_LABOUR,
            "noise_sd": THETA_NOISE_SD,
        },
        "internet_use_logit": {"intercept": INTERNET_INTERCEPT, "slope_theta": INTERNET_SLOPE},
        "egov_linear_probability": {
            "clamped_to": [0.02, 0.98],
            "intercept": EGOV_INTERCEPT,
            "theta": EGOV_THETA,
            "education": EGOV_EDUC,
            "labour": EGOV_LABOUR,
            "city": EGOV_CITY,
            "urban": EGOV_URBAN,
            "female": EGOV_FEMALE,
            "age_15_24": EGOV_AGE_YOUNG,
            "age_slope_per_year_above_44": EGOV_AGE_SLOPE_45,
        },
        "design": {
            "adult_population_15_74": ADULT_POPULATION_15_74,
            "allocation_power": ALLOCATION_POWER,
            "households_per_psu": HOUSEHOLDS_PER_PSU,
            "household_adults_1_to_6": HOUSEHOLD_ADULTS,
            "weight_noise_sd": WEIGHT_NOISE_SD,
            "strata": "region x urban/rural",
        },
        "population": {
            "age_groups": AGE_GROUPS,
            "age_group_shares_percent": AGE_GROUP_SHARES,
            "male_share_by_age": MALE_SHARE_BY_AGE,
            "education_by_age_percent_codes_1_to_6": EDUC_BY_AGE,
            "education_score": EDUC_SCORE,
            "education_tilt": {"urban": EDUC_TILT_URBAN, "rural": EDUC_TILT_RURAL, "city": EDUC_TILT_CITY},
            "education_missing_rate": EDUC_MISSING_RATE,
        },
        "regions": regions,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
