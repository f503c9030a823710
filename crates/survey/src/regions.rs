//! The 17 first-level administrative units of Kazakhstan in 2021 and a crosswalk
//! from the 20 units in force since 8 June 2022.
//!
//! Sources (see `kazakhstan_ict_facts.md` §1): ISO 3166-2:KZ (alpha codes valid until
//! November 2022, numeric codes after), BNS population at the start of 2021, and the
//! 2021 census urban share of the population aged 10+ (used as a proxy for the urban
//! share of all ages).
//!
//! ```
//! use egov_survey::regions::{REGIONS_2021, region_2021_from_2022};
//! assert_eq!(REGIONS_2021.len(), 17);
//! assert_eq!(region_2021_from_2022("abai"), Some("east_kazakhstan"));
//! let cities: Vec<_> = REGIONS_2021.iter().filter(|r| r.is_city).map(|r| r.slug).collect();
//! assert_eq!(cities, ["astana", "almaty_city", "shymkent"]);
//! ```

/// One of the 17 regions of 2021.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    /// Short slug used as level name in model terms (`region_astana`).
    pub slug: &'static str,
    /// ISO 3166-2 alpha code valid in 2021 (e.g. `KZ-AKM`).
    pub iso_alpha: &'static str,
    /// ISO 3166-2 numeric code in force since November 2022 (first two KATO digits).
    pub iso_numeric: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Kazakh name (Cyrillic).
    pub name_kk: &'static str,
    /// Russian name.
    pub name_ru: &'static str,
    /// One of the three cities of republican significance.
    pub is_city: bool,
    /// Population at the start of 2021 (BNS).
    pub population_2021: u32,
    /// Census 2021 population aged 10+.
    pub population_10plus: u32,
    /// Urban share of the population aged 10+ (census 2021), 0..=1.
    pub urban_share: f64,
}

// One positional row per region keeps the table readable.
#[allow(clippy::too_many_arguments)]
const fn r(
    slug: &'static str,
    iso_alpha: &'static str,
    iso_numeric: &'static str,
    name_en: &'static str,
    name_kk: &'static str,
    name_ru: &'static str,
    is_city: bool,
    population_2021: u32,
    population_10plus: u32,
    urban_share: f64,
) -> Region {
    Region {
        slug,
        iso_alpha,
        iso_numeric,
        name_en,
        name_kk,
        name_ru,
        is_city,
        population_2021,
        population_10plus,
        urban_share,
    }
}

/// The 17 units of 2021, oblasts first (in ISO numeric order), then the three cities.
pub const REGIONS_2021: [Region; 17] = [
    r(
        "akmola",
        "KZ-AKM",
        "KZ-11",
        "Akmola Region",
        "Ақмола облысы",
        "Акмолинская область",
        false,
        735_566,
        655_467,
        0.553,
    ),
    r(
        "aktobe",
        "KZ-AKT",
        "KZ-15",
        "Aktobe Region",
        "Ақтөбе облысы",
        "Актюбинская область",
        false,
        894_333,
        710_434,
        0.739,
    ),
    r(
        "almaty_region",
        "KZ-ALM",
        "KZ-19",
        "Almaty Region",
        "Алматы облысы",
        "Алматинская область",
        false,
        2_077_967,
        1_693_580,
        0.250,
    ),
    r(
        "atyrau",
        "KZ-ATY",
        "KZ-23",
        "Atyrau Region",
        "Атырау облысы",
        "Атырауская область",
        false,
        657_110,
        511_605,
        0.548,
    ),
    r(
        "west_kazakhstan",
        "KZ-ZAP",
        "KZ-27",
        "West Kazakhstan Region",
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        false,
        661_316,
        547_941,
        0.554,
    ),
    r(
        "jambyl",
        "KZ-ZHA",
        "KZ-31",
        "Jambyl Region",
        "Жамбыл облысы",
        "Жамбылская область",
        false,
        1_139_192,
        932_785,
        0.431,
    ),
    r(
        "karaganda",
        "KZ-KAR",
        "KZ-35",
        "Karaganda Region",
        "Қарағанды облысы",
        "Карагандинская область",
        false,
        1_375_938,
        1_120_401,
        0.807,
    ),
    r(
        "kostanay",
        "KZ-KUS",
        "KZ-39",
        "Kostanay Region",
        "Қостанай облысы",
        "Костанайская область",
        false,
        864_550,
        714_048,
        0.610,
    ),
    r(
        "kyzylorda",
        "KZ-KZY",
        "KZ-43",
        "Kyzylorda Region",
        "Қызылорда облысы",
        "Кызылординская область",
        false,
        814_588,
        621_521,
        0.463,
    ),
    r(
        "mangystau",
        "KZ-MAN",
        "KZ-47",
        "Mangystau Region",
        "Маңғыстау облысы",
        "Мангистауская область",
        false,
        719_571,
        539_395,
        0.454,
    ),
    r(
        "pavlodar",
        "KZ-PAV",
        "KZ-55",
        "Pavlodar Region",
        "Павлодар облысы",
        "Павлодарская область",
        false,
        751_012,
        637_204,
        0.711,
    ),
    r(
        "north_kazakhstan",
        "KZ-SEV",
        "KZ-59",
        "North Kazakhstan Region",
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        false,
        543_735,
        468_446,
        0.478,
    ),
    r(
        "turkistan",
        "KZ-YUZ",
        "KZ-61",
        "Turkistan Region",
        "Түркістан облысы",
        "Туркестанская область",
        false,
        2_044_742,
        1_540_758,
        0.237,
    ),
    r(
        "east_kazakhstan",
        "KZ-VOS",
        "KZ-63",
        "East Kazakhstan Region",
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        false,
        1_363_797,
        1_127_647,
        0.630,
    ),
    r(
        "astana",
        "KZ-AST",
        "KZ-71",
        "Nur-Sultan (Astana) city",
        "Нұр-Сұлтан (Астана) қаласы",
        "город Нур-Султан (Астана)",
        true,
        1_184_411,
        973_630,
        1.0,
    ),
    r(
        "almaty_city",
        "KZ-ALA",
        "KZ-75",
        "Almaty city",
        "Алматы қаласы",
        "город Алматы",
        true,
        1_977_258,
        1_637_484,
        1.0,
    ),
    r(
        "shymkent",
        "KZ-SHY",
        "KZ-79",
        "Shymkent city",
        "Шымкент қаласы",
        "город Шымкент",
        true,
        1_074_466,
        848_049,
        1.0,
    ),
];

/// The reference region for models: Karaganda, a large, mostly urban oblast (not a city), so
/// city coefficients read as "city vs a large industrial oblast".
pub const REFERENCE_REGION: &str = "karaganda";

/// The three units created on 8 June 2022 and the 2021 unit each was split from.
pub const SPLITS_2022: [(&str, &str, &str); 3] = [
    ("abai", "KZ-10", "east_kazakhstan"),
    ("jetisu", "KZ-33", "almaty_region"),
    ("ulytau", "KZ-62", "karaganda"),
];

/// Looks up a 2021 region by slug.
///
/// ```
/// let r = egov_survey::regions::region_by_slug("shymkent").unwrap();
/// assert_eq!(r.iso_numeric, "KZ-79");
/// ```
pub fn region_by_slug(slug: &str) -> Option<&'static Region> {
    REGIONS_2021.iter().find(|r| r.slug == slug)
}

/// Maps a unit of the 2022+ (20-unit) division, given by slug or ISO code (alpha or numeric),
/// to the slug of the 2021 unit that contains it. The 17 continuing units map to themselves.
///
/// ```
/// use egov_survey::regions::region_2021_from_2022;
/// assert_eq!(region_2021_from_2022("KZ-33"), Some("almaty_region"));
/// assert_eq!(region_2021_from_2022("ulytau"), Some("karaganda"));
/// assert_eq!(region_2021_from_2022("KZ-AKM"), Some("akmola"));
/// assert_eq!(region_2021_from_2022("atlantis"), None);
/// ```
pub fn region_2021_from_2022(unit: &str) -> Option<&'static str> {
    let key = unit.trim();
    if let Some((_, _, parent)) = SPLITS_2022
        .iter()
        .find(|(slug, iso, _)| slug.eq_ignore_ascii_case(key) || iso.eq_ignore_ascii_case(key))
    {
        return Some(parent);
    }
    REGIONS_2021
        .iter()
        .find(|r| {
            r.slug.eq_ignore_ascii_case(key)
                || r.iso_alpha.eq_ignore_ascii_case(key)
                || r.iso_numeric.eq_ignore_ascii_case(key)
        })
        .map(|r| r.slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populations_add_up_to_published_totals() {
        let total: u32 = REGIONS_2021.iter().map(|r| r.population_2021).sum();
        assert_eq!(total, 18_879_552);
        let total10: u32 = REGIONS_2021.iter().map(|r| r.population_10plus).sum();
        assert_eq!(total10, 15_280_395);
    }

    #[test]
    fn slugs_and_codes_are_unique() {
        for (i, a) in REGIONS_2021.iter().enumerate() {
            for b in &REGIONS_2021[i + 1..] {
                assert_ne!(a.slug, b.slug);
                assert_ne!(a.iso_alpha, b.iso_alpha);
                assert_ne!(a.iso_numeric, b.iso_numeric);
            }
        }
        assert!(region_by_slug(REFERENCE_REGION).is_some_and(|r| !r.is_city));
    }
}
