//! Stage 6: the chart set, drawn by `egov-charts` from the same numbers as the tables (the
//! descriptive estimates and their intervals, the model coefficients, the item curves).

use super::Analysis;
use super::models::reference_index;
use crate::report::ChartFile;
use anyhow::Context;
use egov_charts::{
    ChartOptions, CoefBlock, CoefRow, DistributionKind, DsiGroup, Estimate, Group, Interval, Lang,
    Measure, Rendered, TileLayout,
};
use egov_econ::Coefficient;
use egov_survey::Lang as SurveyLang;

/// One chart to draw.
type ChartJob<'a> = Box<dyn Fn() -> Result<Rendered, egov_charts::ChartError> + Sync + 'a>;

/// Language of the labels.
pub fn lang_of(code: &str) -> (Lang, SurveyLang) {
    match code {
        "ru" => (Lang::Ru, SurveyLang::Ru),
        "kk" => (Lang::Kk, SurveyLang::Kk),
        _ => (Lang::En, SurveyLang::En),
    }
}

/// Chart titles in the three languages: (stem, en, ru, kk).
const TITLES: [(&str, &str, &str, &str); 14] = [
    (
        "uptake_by_region",
        "E-government uptake by region",
        "Использование электронного правительства по регионам",
        "Өңірлер бойынша электрондық үкіметті пайдалану",
    ),
    (
        "dsi_by_region",
        "Digital skills by region",
        "Цифровые навыки по регионам",
        "Өңірлер бойынша цифрлық дағдылар",
    ),
    (
        "region_effects",
        "Regional differences, other factors held equal",
        "Региональные различия при прочих равных",
        "Басқа жағдайлар тең болғандағы өңірлік айырмалар",
    ),
    (
        "uptake_by_age_urban",
        "E-government uptake by age group and area",
        "Использование электронного правительства по возрасту и типу местности",
        "Жас тобы мен елді мекен түрі бойынша электрондық үкіметті пайдалану",
    ),
    (
        "uptake_by_education",
        "E-government uptake by education",
        "Использование электронного правительства по образованию",
        "Білім деңгейі бойынша электрондық үкіметті пайдалану",
    ),
    (
        "uptake_by_sex",
        "E-government uptake by sex",
        "Использование электронного правительства по полу",
        "Жынысы бойынша электрондық үкіметті пайдалану",
    ),
    (
        "uptake_by_labour",
        "E-government uptake by labour status",
        "Использование электронного правительства по статусу занятости",
        "Жұмыспен қамтылу мәртебесі бойынша электрондық үкіметті пайдалану",
    ),
    (
        "coefficients",
        "What goes with using e-government",
        "Факторы использования электронного правительства",
        "Электрондық үкіметті пайдалану факторлары",
    ),
    (
        "dsi_distribution_urban",
        "Digital Skills Index: urban and rural",
        "Индекс цифровых навыков: город и село",
        "Цифрлық дағдылар индексі: қала мен ауыл",
    ),
    (
        "dsi_distribution_education",
        "Digital Skills Index by education",
        "Индекс цифровых навыков по образованию",
        "Білім деңгейі бойынша цифрлық дағдылар индексі",
    ),
    (
        "item_curves",
        "Item characteristic curves of the 11 skill items",
        "Характеристические кривые 11 заданий",
        "11 дағды сұрағының сипаттамалық қисықтары",
    ),
    (
        "test_information",
        "Where the skill items measure precisely",
        "Где задания измеряют навыки точнее всего",
        "Сұрақтар дағдыны қай деңгейде дәл өлшейді",
    ),
    (
        "item_map",
        "Item map: difficulty and discrimination",
        "Карта заданий: трудность и дискриминация",
        "Сұрақтар картасы: қиындық пен ажырату қабілеті",
    ),
    (
        "uptake_map",
        "E-government uptake: regional overview",
        "Использование электронного правительства: обзор по регионам",
        "Электрондық үкіметті пайдалану: өңірлерге шолу",
    ),
];

/// Short item labels for the crowded item charts: (item, en, ru, kk). The report's item table
/// carries the full wording.
const SHORT_ITEM_LABELS: [(&str, &str, &str, &str); 11] = [
    ("email", "E-mail", "Эл. почта", "Эл. пошта"),
    (
        "install_software",
        "Install software",
        "Установка программ",
        "Бағдарлама орнату",
    ),
    (
        "configure_software",
        "Configure software",
        "Настройка программ",
        "Бағдарлама баптау",
    ),
    (
        "spreadsheet",
        "Spreadsheet",
        "Таблицы Excel",
        "Excel кестелері",
    ),
    (
        "word",
        "Word processor",
        "Текстовый редактор",
        "Мәтіндік редактор",
    ),
    ("graphics", "Graphics", "Графика", "Графика"),
    (
        "connect_devices",
        "Connect devices",
        "Подключение устройств",
        "Құрылғы қосу",
    ),
    (
        "programming",
        "Programming",
        "Программирование",
        "Бағдарламалау",
    ),
    (
        "copy_move",
        "Copy or move files",
        "Копирование файлов",
        "Файл көшіру",
    ),
    (
        "copy_paste",
        "Copy and paste",
        "Копировать и вставить",
        "Көшіру және қою",
    ),
    (
        "transfer_files",
        "Transfer files",
        "Передача файлов",
        "Файл тасымалдау",
    ),
];

fn title(stem: &str, lang: Lang, synthetic: bool) -> String {
    let (_, en, ru, kk) = TITLES
        .iter()
        .find(|t| t.0 == stem)
        .copied()
        .unwrap_or((stem, stem, stem, stem));
    let base = match lang {
        Lang::En => en,
        Lang::Ru => ru,
        Lang::Kk => kk,
    };
    if synthetic {
        let mark = match lang {
            Lang::En => "SYNTHETIC REPLICA",
            Lang::Ru => "СИНТЕТИЧЕСКИЕ ДАННЫЕ",
            Lang::Kk => "СИНТЕТИКАЛЫҚ ДЕРЕКТЕР",
        };
        format!("{base} — {mark}")
    } else {
        base.to_string()
    }
}

fn source_note(lang: Lang, synthetic: bool, dataset: &str) -> String {
    match (lang, synthetic) {
        (Lang::En, true) => "Source: synthetic replica of the 2021 ICT household survey (simulated, not official data); egov.".into(),
        (Lang::Ru, true) => "Источник: синтетическая копия обследования ИКТ домохозяйств 2021 г. (смоделированные, не официальные данные); egov.".into(),
        (Lang::Kk, true) => "Дереккөз: 2021 жылғы үй шаруашылықтарының АКТ зерттеуінің синтетикалық көшірмесі (модельденген, ресми емес деректер); egov.".into(),
        (Lang::En, false) => format!("Source: {dataset}; egov."),
        (Lang::Ru, false) => format!("Источник: {dataset}; egov."),
        (Lang::Kk, false) => format!("Дереккөз: {dataset}; egov."),
    }
}

fn estimate(label: String, g: &egov_econ::descriptive::GroupEstimate) -> Estimate {
    Estimate::new(label, g.estimate, g.conf_low, g.conf_high, g.n)
}

fn interval(c: &Coefficient) -> Interval {
    Interval {
        estimate: c.estimate,
        conf_low: c.conf_low,
        conf_high: c.conf_high,
    }
}

/// Renders the configured charts; `formats` selects SVG and/or PNG in the returned files.
pub fn render(a: &Analysis) -> anyhow::Result<Vec<ChartFile>> {
    let cfg = &a.config;
    let (lang, slang) = lang_of(&cfg.charts.lang);
    let synthetic = a.data.frame.source.synthetic;
    let note = source_note(lang, synthetic, &a.data.codebook.dataset.name);
    let opts = |stem: &str, height: u32| ChartOptions {
        title: Some(title(stem, lang, synthetic)),
        source_note: Some(note.clone()),
        height,
        ..ChartOptions::new(lang)
    };
    let d = &a.descriptives;
    let f = &a.data.frame;
    let mut jobs: Vec<(&str, String, ChartJob<'_>)> = Vec::new();

    let region = d.table("by_region").context("the region table")?;
    let region_rows = |measure: Measure| -> Vec<Estimate> {
        region
            .rows
            .iter()
            .map(|r| {
                let e = estimate(
                    r.label.get(slang).to_string(),
                    if measure == Measure::Uptake {
                        &r.uptake
                    } else {
                        &r.dsi
                    },
                );
                if r.city { e.highlighted() } else { e }
            })
            .collect()
    };
    let uptake_regions = region_rows(Measure::Uptake);
    let dsi_regions = region_rows(Measure::Dsi);
    let national = d.national_uptake.estimate;
    let national_dsi = d.national_dsi.estimate;
    jobs.push(("uptake_by_region", "Weighted share using e-government by region with 95% confidence intervals; the three cities highlighted; line: national average.".into(),
        Box::new(move || egov_charts::regional_comparison(&uptake_regions, Some(national), Measure::Uptake, &opts("uptake_by_region", 700)))));
    jobs.push(("dsi_by_region", "Weighted mean Digital Skills Index by region with 95% confidence intervals; line: national mean.".into(),
        Box::new(move || egov_charts::regional_comparison(&dsi_regions, Some(national_dsi), Measure::Dsi, &opts("dsi_by_region", 700)))));

    // Region effects from the LPM.
    let m = &a.models.main;
    let reg = &f.region;
    let reg_ref = reference_index(m, reg);
    let reference = reg.levels[reg_ref].label(slang).to_string();
    let effects: Vec<Estimate> = region
        .rows
        .iter()
        .filter_map(|r| {
            let c = m.coefficient(&format!("region::{}", r.key))?;
            let e = Estimate::new(
                r.label.get(slang),
                c.estimate,
                c.conf_low,
                c.conf_high,
                r.uptake.n,
            );
            Some(if r.city { e.highlighted() } else { e })
        })
        .collect();
    if !effects.is_empty() {
        jobs.push(("region_effects", format!("LPM region effects relative to {} (percentage points, 95% CI), holding skills, education, labour status, age, sex and area fixed.", reg.levels[reg_ref].label_en),
            Box::new(move || egov_charts::region_effects(&effects, &reference, &opts("region_effects", 700)))));
    }

    // Demographic comparisons.
    if let Some(t) = d.table("by_age_urban") {
        let mut groups: Vec<Group> = Vec::new();
        for r in &t.rows {
            let label = r.label.get(slang).to_string();
            let series = r
                .series
                .as_ref()
                .map_or(String::new(), |s| s.get(slang).to_string());
            match groups.iter_mut().find(|g| g.label == label) {
                Some(g) => g.series.push((series, estimate(String::new(), &r.uptake))),
                None => groups.push(Group {
                    label,
                    series: vec![(series, estimate(String::new(), &r.uptake))],
                }),
            }
        }
        jobs.push(("uptake_by_age_urban", "Weighted share using e-government by age group, urban and rural, with 95% confidence intervals.".into(),
            Box::new(move || egov_charts::grouped_comparison(&groups, &opts("uptake_by_age_urban", 550)))));
    }
    let uptake_label = match lang {
        Lang::En => "Uptake",
        Lang::Ru => "Использование",
        Lang::Kk => "Пайдалану",
    };
    for (stem, table, caption) in [
        (
            "uptake_by_education",
            "by_education",
            "Weighted share using e-government by education with 95% confidence intervals.",
        ),
        (
            "uptake_by_sex",
            "by_sex",
            "Weighted share using e-government by sex with 95% confidence intervals.",
        ),
        (
            "uptake_by_labour",
            "by_labour",
            "Weighted share using e-government by labour status with 95% confidence intervals.",
        ),
    ] {
        if let Some(t) = d.table(table) {
            let groups: Vec<Group> = t
                .rows
                .iter()
                .map(|r| Group {
                    label: r.label.get(slang).to_string(),
                    series: vec![(uptake_label.to_string(), estimate(String::new(), &r.uptake))],
                })
                .collect();
            let o = opts(stem, 500);
            jobs.push((
                stem,
                caption.into(),
                Box::new(move || egov_charts::grouped_comparison(&groups, &o)),
            ));
        }
    }

    // Coefficient plot: LPM beside the logit/probit AMEs.
    let mut model_names = vec!["LPM".to_string()];
    let mut ames: Vec<&[Coefficient]> = Vec::new();
    for (name, b) in [
        ("Logit AME", &a.models.logit),
        ("Probit AME", &a.models.probit),
    ] {
        if let Some(b) = b {
            model_names.push(name.into());
            ames.push(&b.ame);
        }
    }
    let row = |term: &str, label: String| -> Option<CoefRow> {
        let lpm = m.coefficient(term)?;
        let mut by_model = vec![Some(interval(lpm))];
        for ame in &ames {
            by_model.push(ame.iter().find(|c| c.term == term).map(interval));
        }
        Some(CoefRow { label, by_model })
    };
    let skills = match lang {
        Lang::En => ("Digital skills", "Digital Skills Index (+1 SD)"),
        Lang::Ru => ("Цифровые навыки", "Индекс цифровых навыков (+1 SD)"),
        Lang::Kk => ("Цифрлық дағдылар", "Цифрлық дағдылар индексі (+1 SD)"),
    };
    let mut blocks = vec![CoefBlock {
        title: skills.0.into(),
        reference: None,
        rows: row("dsi", skills.1.into()).into_iter().collect(),
    }];
    let block_titles = |var: &str| -> String {
        match (var, lang) {
            ("education", Lang::En) => "Education",
            ("education", Lang::Ru) => "Образование",
            ("education", Lang::Kk) => "Білім",
            ("labour", Lang::En) => "Labour status",
            ("labour", Lang::Ru) => "Статус занятости",
            ("labour", Lang::Kk) => "Жұмыспен қамтылу",
            ("region", Lang::En) => "Region",
            ("region", Lang::Ru) => "Регион",
            ("region", Lang::Kk) => "Өңір",
            ("sex", Lang::En) => "Sex",
            ("sex", Lang::Ru) => "Пол",
            ("sex", Lang::Kk) => "Жынысы",
            ("urban", Lang::En) => "Area",
            ("urban", Lang::Ru) => "Местность",
            ("urban", Lang::Kk) => "Елді мекен",
            _ => var,
        }
        .to_string()
    };
    for var in [&f.education, &f.labour, &f.sex, &f.urban, &f.region] {
        let rows: Vec<CoefRow> = var
            .levels
            .iter()
            .filter_map(|l| {
                row(
                    &format!("{}::{}", var.name, l.name),
                    l.label(slang).to_string(),
                )
            })
            .collect();
        if !rows.is_empty() {
            blocks.push(CoefBlock {
                title: block_titles(&var.name),
                reference: Some(var.levels[reference_index(m, var)].label(slang).to_string()),
                rows,
            });
        }
    }
    jobs.push(("coefficients", "Estimates with 95% confidence intervals in percentage points: the LPM beside logit and probit average marginal effects; reference categories named in each block. Age terms are left out (per-year effects).".into(),
        Box::new(move || egov_charts::coefficient_plot(&blocks, &model_names, &opts("coefficients", 1100)))));

    // DSI distributions.
    let dsi_groups = |var: &egov_survey::CategoricalVar| -> Vec<DsiGroup> {
        var.levels
            .iter()
            .enumerate()
            .map(|(k, l)| {
                let mut g = DsiGroup {
                    label: l.label(slang).to_string(),
                    values: vec![],
                    weights: vec![],
                };
                for i in 0..f.n_rows() {
                    if var.codes[i] == Some(k as u32)
                        && let Some(v) = a.dsi.dsi[i]
                    {
                        g.values.push(v);
                        g.weights.push(f.weight[i]);
                    }
                }
                g
            })
            .collect()
    };
    let by_urban = dsi_groups(&f.urban);
    let by_edu = dsi_groups(&f.education);
    jobs.push((
        "dsi_distribution_urban",
        "Weighted density of the standardised Digital Skills Index, urban and rural respondents."
            .into(),
        Box::new(move || {
            egov_charts::dsi_distribution(
                &by_urban,
                DistributionKind::Density,
                &opts("dsi_distribution_urban", 500),
            )
        }),
    ));
    jobs.push(("dsi_distribution_education", "Weighted quantiles (5, 25, 50, 75, 95%) of the standardised Digital Skills Index by education.".into(),
        Box::new(move || egov_charts::dsi_distribution(&by_edu, DistributionKind::Box, &opts("dsi_distribution_education", 550)))));

    // Item response charts.
    let item_label = |name: &str| -> String {
        SHORT_ITEM_LABELS.iter().find(|(n, ..)| *n == name).map_or(
            name.to_string(),
            |(_, en, ru, kk)| {
                match lang {
                    Lang::En => *en,
                    Lang::Ru => *ru,
                    Lang::Kk => *kk,
                }
                .to_string()
            },
        )
    };
    let curves = &a.dsi.curves;
    let icc: Vec<(String, Vec<f64>)> = curves
        .items
        .iter()
        .zip(&curves.icc)
        .map(|(n, c)| (item_label(n), c.clone()))
        .collect();
    jobs.push((
        "item_curves",
        "Probability of each skill given latent skill θ (2PL estimates).".into(),
        Box::new(move || egov_charts::item_curves(&curves.theta, &icc, &opts("item_curves", 600))),
    ));
    let (theta_values, theta_weights): (Vec<f64>, Vec<f64>) = a
        .dsi
        .scores
        .iter()
        .zip(&f.weight)
        .filter_map(|(s, w)| s.map(|s| (s.theta, *w)))
        .unzip();
    jobs.push(("test_information", "Test information over θ (upper panel) and the respondents' EAP scores on the same θ axis (lower panel).".into(),
        Box::new(move || egov_charts::test_information(&curves.theta, &curves.test_information, &theta_values, &theta_weights, &opts("test_information", 600)))));
    let items: Vec<(String, f64, f64)> = a
        .dsi
        .fit
        .items
        .iter()
        .map(|it| (item_label(&it.name), it.b, it.a))
        .collect();
    jobs.push((
        "item_map",
        "Difficulty b against discrimination a of the 11 skill items (2PL).".into(),
        Box::new(move || egov_charts::item_map(&items, &opts("item_map", 600))),
    ));

    let tiles: Vec<(String, f64)> = region
        .rows
        .iter()
        .map(|r| (r.key.clone(), 100.0 * r.uptake.estimate))
        .collect();
    let legend = match lang {
        Lang::En => "Uptake, %",
        Lang::Ru => "Доля, %",
        Lang::Kk => "Үлесі, %",
    };
    jobs.push(("uptake_map", "Weighted share using e-government, regions placed roughly by geography (the 17 units of 2021).".into(),
        Box::new(move || egov_charts::tile_map(&tiles, TileLayout::Units2021, legend, 0, &opts("uptake_map", 600)))));

    use rayon::prelude::*;
    let want_svg = cfg.charts.formats.iter().any(|f| f == "svg");
    let want_png = cfg.charts.formats.iter().any(|f| f == "png");
    jobs.par_iter()
        .filter(|(stem, _, _)| cfg.wants_chart(stem))
        .map(|(stem, caption, job)| {
            let r = job().with_context(|| format!("chart `{stem}`"))?;
            Ok(ChartFile {
                stem: stem.to_string(),
                caption: caption.clone(),
                svg: want_svg.then_some(r.svg),
                png: want_png.then_some(r.png),
            })
        })
        .collect()
}
