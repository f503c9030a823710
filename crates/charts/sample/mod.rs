//! Realistic made-up inputs for the gallery, the tests and the benchmark.
//! The numbers imitate the shape of the 2021 survey results; they are not
//! survey estimates.
// Shared by the tests, the gallery and the benchmark: `pub` reaches them, not an API.
#![allow(unreachable_pub)]
#![allow(dead_code)]

use egov_charts::{CoefBlock, CoefRow, DsiGroup, Estimate, Group, Interval, Lang};

/// Deterministic xorshift generator with Box–Muller normals.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// (slug, English name, Kazakh name, uptake share, mean DSI, n, city)
pub const REGIONS: [(&str, &str, &str, f64, f64, usize, bool); 17] = [
    (
        "astana",
        "Astana city",
        "Астана қаласы",
        0.81,
        0.52,
        2650,
        true,
    ),
    (
        "almaty_city",
        "Almaty city",
        "Алматы қаласы",
        0.79,
        0.47,
        4120,
        true,
    ),
    (
        "shymkent",
        "Shymkent city",
        "Шымкент қаласы",
        0.71,
        0.18,
        2310,
        true,
    ),
    (
        "akmola",
        "Akmola region",
        "Ақмола облысы",
        0.58,
        -0.12,
        3010,
        false,
    ),
    (
        "aktobe",
        "Aktobe region",
        "Ақтөбе облысы",
        0.63,
        0.02,
        3120,
        false,
    ),
    (
        "almaty_region",
        "Almaty region",
        "Алматы облысы",
        0.55,
        -0.18,
        4820,
        false,
    ),
    (
        "atyrau",
        "Atyrau region",
        "Атырау облысы",
        0.66,
        0.08,
        2440,
        false,
    ),
    (
        "west_kazakhstan",
        "West Kazakhstan region",
        "Батыс Қазақстан облысы",
        0.60,
        -0.05,
        2580,
        false,
    ),
    (
        "jambyl",
        "Jambyl region",
        "Жамбыл облысы",
        0.52,
        -0.24,
        3330,
        false,
    ),
    (
        "karaganda",
        "Karaganda region",
        "Қарағанды облысы",
        0.67,
        0.15,
        4100,
        false,
    ),
    (
        "kostanay",
        "Kostanay region",
        "Қостанай облысы",
        0.59,
        -0.02,
        3260,
        false,
    ),
    (
        "kyzylorda",
        "Kyzylorda region",
        "Қызылорда облысы",
        0.54,
        -0.21,
        2700,
        false,
    ),
    (
        "mangystau",
        "Mangystau region",
        "Маңғыстау облысы",
        0.65,
        0.05,
        2390,
        false,
    ),
    (
        "pavlodar",
        "Pavlodar region",
        "Павлодар облысы",
        0.64,
        0.09,
        2980,
        false,
    ),
    (
        "north_kazakhstan",
        "North Kazakhstan region",
        "Солтүстік Қазақстан облысы",
        0.53,
        -0.16,
        2450,
        false,
    ),
    (
        "turkistan",
        "Turkistan region",
        "Түркістан облысы",
        0.49,
        -0.33,
        5160,
        false,
    ),
    (
        "east_kazakhstan",
        "East Kazakhstan region",
        "Шығыс Қазақстан облысы",
        0.61,
        0.01,
        3230,
        false,
    ),
];

pub fn name(lang: Lang, en: &str, kk: &str) -> String {
    if lang == Lang::Kk {
        kk.to_string()
    } else {
        en.to_string()
    }
}

/// Weighted share with a design-effect-inflated normal interval.
pub fn share(label: String, p: f64, n: usize) -> Estimate {
    let se = (p * (1.0 - p) / n as f64).sqrt() * 1.6;
    Estimate::new(
        label,
        p,
        (p - 1.96 * se).max(0.0),
        (p + 1.96 * se).min(1.0),
        n,
    )
}

pub fn regional_uptake(lang: Lang) -> Vec<Estimate> {
    REGIONS
        .iter()
        .map(|r| {
            let e = share(name(lang, r.1, r.2), r.3, r.5);
            if r.6 { e.highlighted() } else { e }
        })
        .collect()
}

pub fn regional_dsi(lang: Lang) -> Vec<Estimate> {
    REGIONS
        .iter()
        .map(|r| {
            let se = 0.9 / (r.5 as f64).sqrt() * 1.5;
            let e = Estimate::new(
                name(lang, r.1, r.2),
                r.4,
                r.4 - 1.96 * se,
                r.4 + 1.96 * se,
                r.5,
            );
            if r.6 { e.highlighted() } else { e }
        })
        .collect()
}

/// LPM region effects relative to Akmola region (probability scale).
pub fn region_effects(lang: Lang) -> Vec<Estimate> {
    REGIONS
        .iter()
        .filter(|r| r.0 != "akmola")
        .map(|r| {
            let b = (r.3 - 0.58) * 0.55;
            let se = 0.013 + 4.0 / r.5 as f64;
            let e = Estimate::new(name(lang, r.1, r.2), b, b - 1.96 * se, b + 1.96 * se, r.5);
            if r.6 { e.highlighted() } else { e }
        })
        .collect()
}

pub fn age_by_settlement(lang: Lang) -> Vec<Group> {
    let (urban, rural) = if lang == Lang::Kk {
        ("Қала", "Ауыл")
    } else {
        ("Urban", "Rural")
    };
    let ages = [
        ("16–24", 0.74, 0.66),
        ("25–34", 0.83, 0.74),
        ("35–44", 0.79, 0.69),
        ("45–54", 0.68, 0.55),
        ("55–64", 0.52, 0.37),
        ("65+", 0.27, 0.15),
    ];
    ages.iter()
        .map(|(label, u, r)| Group {
            label: (*label).to_string(),
            series: vec![
                (urban.to_string(), share(String::new(), *u, 3400)),
                (rural.to_string(), share(String::new(), *r, 2300)),
            ],
        })
        .collect()
}

pub fn by_education(lang: Lang) -> Vec<Group> {
    let levels: [(&str, &str, f64, usize); 4] = [
        ("Primary or less", "Бастауыш немесе одан төмен", 0.21, 2100),
        ("General secondary", "Жалпы орта", 0.49, 16400),
        (
            "Technical and vocational",
            "Техникалық және кәсіптік",
            0.64,
            19800,
        ),
        ("Higher (university)", "Жоғары", 0.82, 18300),
    ];
    levels
        .iter()
        .map(|(en, kk, p, n)| Group {
            label: name(lang, en, kk),
            series: vec![(String::new(), share(String::new(), *p, *n))],
        })
        .collect()
}

pub fn coefficient_blocks(lang: Lang) -> (Vec<CoefBlock>, Vec<String>) {
    let kk = lang == Lang::Kk;
    let t = |en: &str, k: &str| if kk { k.to_string() } else { en.to_string() };
    let iv = |b: f64, se: f64| {
        Some(Interval {
            estimate: b,
            conf_low: b - 1.96 * se,
            conf_high: b + 1.96 * se,
        })
    };
    let row = |label: String, b: f64, se: f64| CoefRow {
        label,
        by_model: vec![iv(b, se), iv(b * 0.92, se * 1.05), iv(b * 0.95, se * 1.04)],
    };
    let blocks = vec![
        CoefBlock {
            title: t("Skills", "Дағдылар"),
            reference: None,
            rows: vec![row(
                t(
                    "Digital Skills Index (+1 SD)",
                    "Цифрлық дағдылар индексі (+1 SD)",
                ),
                0.118,
                0.003,
            )],
        },
        CoefBlock {
            title: t("Education", "Білім"),
            reference: Some(t("general secondary", "жалпы орта")),
            rows: vec![
                row(
                    t("Primary or less", "Бастауыш немесе одан төмен"),
                    -0.061,
                    0.012,
                ),
                row(
                    t("Technical and vocational", "Техникалық және кәсіптік"),
                    0.048,
                    0.005,
                ),
                row(t("Higher (university)", "Жоғары"), 0.097, 0.006),
            ],
        },
        CoefBlock {
            title: t("Labour status", "Еңбек мәртебесі"),
            reference: Some(t("wage employee", "жалдамалы қызметкер")),
            rows: vec![
                row(
                    t("Self-employed", "Өзін-өзі жұмыспен қамтыған"),
                    -0.031,
                    0.007,
                ),
                row(t("Unemployed", "Жұмыссыз"), -0.071, 0.011),
                row(t("Student", "Студент"), -0.068, 0.010),
                row(t("Pensioner", "Зейнеткер"), -0.074, 0.008),
            ],
        },
        CoefBlock {
            title: t("Demographics", "Демография"),
            reference: Some(t("man, rural, aged 35–44", "ер, ауыл, 35–44 жас")),
            rows: vec![
                row(t("Woman", "Әйел"), 0.018, 0.004),
                row(t("Urban", "Қала"), 0.042, 0.005),
                row(t("Aged 16–24", "16–24 жас"), -0.052, 0.007),
                row(t("Aged 65+", "65+ жас"), -0.118, 0.009),
            ],
        },
    ];
    (
        blocks,
        vec![
            "LPM".to_string(),
            t("Logit AME", "Логит AME"),
            t("Probit AME", "Пробит AME"),
        ],
    )
}

pub fn dsi_groups(lang: Lang, n: usize) -> Vec<DsiGroup> {
    let mut rng = Rng::new(7);
    let groups = [("Urban", "Қала", 0.25, 0.95), ("Rural", "Ауыл", -0.35, 0.9)];
    groups
        .iter()
        .map(|(en, kk, mu, sd)| {
            let values: Vec<f64> = (0..n).map(|_| mu + sd * rng.normal()).collect();
            let weights: Vec<f64> = (0..n).map(|_| 0.5 + rng.uniform() * 1.5).collect();
            DsiGroup {
                label: name(lang, en, kk),
                values,
                weights,
            }
        })
        .collect()
}

/// (short English name, short Kazakh name, discrimination a, difficulty b) of the 11 items.
pub const ITEMS: [(&str, &str, f64, f64); 11] = [
    ("Email attachments", "Хатқа файл тіркеу", 2.1, -0.35),
    ("Install software", "Бағдарлама орнату", 2.6, 0.10),
    ("Configure software", "Бағдарламаны баптау", 2.4, 0.75),
    ("Spreadsheet formulas", "Кесте формулалары", 2.2, 0.55),
    ("Word processing", "Мәтін редакторы", 2.5, 0.05),
    ("Graphics & media", "Графика және медиа", 1.9, 0.70),
    ("Connect devices", "Құрылғы қосу", 1.8, 0.40),
    ("Programming", "Бағдарламалау", 1.5, 2.35),
    ("Copy/move files", "Файл көшіру", 3.0, -0.45),
    ("Copy & paste", "Көшіріп қою", 3.2, -0.50),
    ("Transfer files", "Файл тасымалдау", 2.7, -0.20),
];

pub fn theta_grid() -> Vec<f64> {
    (0..=120).map(|i| -4.0 + i as f64 * (8.0 / 120.0)).collect()
}

pub fn item_curves(lang: Lang) -> (Vec<f64>, Vec<(String, Vec<f64>)>) {
    let grid = theta_grid();
    let curves = ITEMS
        .iter()
        .map(|(en, kk, a, b)| {
            let c = grid
                .iter()
                .map(|t| 1.0 / (1.0 + (-a * (t - b)).exp()))
                .collect();
            (name(lang, en, kk), c)
        })
        .collect();
    (grid, curves)
}

pub fn information() -> (Vec<f64>, Vec<f64>) {
    let grid = theta_grid();
    let info = grid
        .iter()
        .map(|t| {
            ITEMS
                .iter()
                .map(|(_, _, a, b)| {
                    let p = 1.0 / (1.0 + (-a * (t - b)).exp());
                    a * a * p * (1.0 - p)
                })
                .sum()
        })
        .collect();
    (grid, info)
}

pub fn item_points(lang: Lang) -> Vec<(String, f64, f64)> {
    ITEMS
        .iter()
        .map(|(en, kk, a, b)| (name(lang, en, kk), *b, *a))
        .collect()
}

/// Uptake in % by region slug.
pub fn tile_values() -> Vec<(String, f64)> {
    REGIONS
        .iter()
        .map(|r| (r.0.to_string(), r.3 * 100.0))
        .collect()
}
