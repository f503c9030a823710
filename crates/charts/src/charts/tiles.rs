//! Tile-grid map of Kazakhstan's regions, coloured by value (viridis).

use crate::charts::{check_finite, finish, start};
use crate::error::ChartError;
use crate::i18n::{Key, tr};
use crate::options::{ChartOptions, Lang, Rendered};
use crate::scene::{Anchor, Mark, Rgba, Role};
use crate::theme::{Frame, INK, MUTED, ellipsize, nice_ticks, tick_label};

/// Which administrative division the tiles follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TileLayout {
    /// 14 regions and 3 cities (2018–2022, the 2021 survey).
    Units2021,
    /// 17 regions and 3 cities after Abai, Jetisu and Ulytau were created in 2022.
    Units2022,
}

/// (slug, ISO 3166-2 code, short labels En/Ru/Kk, is a city).
const UNITS: [(&str, &str, [&str; 3], bool); 20] = [
    ("akmola", "KZ-AKM", ["Akmola", "Акмола", "Ақмола"], false),
    ("aktobe", "KZ-AKT", ["Aktobe", "Актобе", "Ақтөбе"], false),
    (
        "almaty_region",
        "KZ-ALM",
        ["Almaty reg.", "Алматин. обл.", "Алматы обл."],
        false,
    ),
    ("atyrau", "KZ-ATY", ["Atyrau", "Атырау", "Атырау"], false),
    (
        "west_kazakhstan",
        "KZ-ZAP",
        ["West Kaz.", "ЗКО", "БҚО"],
        false,
    ),
    ("jambyl", "KZ-ZHA", ["Jambyl", "Жамбыл", "Жамбыл"], false),
    (
        "karaganda",
        "KZ-KAR",
        ["Karaganda", "Караганда", "Қарағанды"],
        false,
    ),
    (
        "kostanay",
        "KZ-KUS",
        ["Kostanay", "Костанай", "Қостанай"],
        false,
    ),
    (
        "kyzylorda",
        "KZ-KZY",
        ["Kyzylorda", "Кызылорда", "Қызылорда"],
        false,
    ),
    (
        "mangystau",
        "KZ-MAN",
        ["Mangystau", "Мангистау", "Маңғыстау"],
        false,
    ),
    (
        "pavlodar",
        "KZ-PAV",
        ["Pavlodar", "Павлодар", "Павлодар"],
        false,
    ),
    (
        "north_kazakhstan",
        "KZ-SEV",
        ["North Kaz.", "СКО", "СҚО"],
        false,
    ),
    (
        "turkistan",
        "KZ-YUZ",
        ["Turkistan", "Туркестан", "Түркістан"],
        false,
    ),
    (
        "east_kazakhstan",
        "KZ-VOS",
        ["East Kaz.", "ВКО", "ШҚО"],
        false,
    ),
    ("astana", "KZ-AST", ["Astana", "Астана", "Астана"], true),
    (
        "almaty_city",
        "KZ-ALA",
        ["Almaty", "Алматы", "Алматы"],
        true,
    ),
    (
        "shymkent",
        "KZ-SHY",
        ["Shymkent", "Шымкент", "Шымкент"],
        true,
    ),
    ("abai", "", ["Abai", "Абай", "Абай"], false),
    ("jetisu", "", ["Jetisu", "Жетысу", "Жетісу"], false),
    ("ulytau", "", ["Ulytau", "Улытау", "Ұлытау"], false),
];

/// Grid cell (column, row) of each unit, roughly by geography: north at the
/// top, the Caspian regions on the left, Almaty and Shymkent at the bottom.
fn position(slug: &str, layout: TileLayout) -> Option<(u32, u32)> {
    let common = match slug {
        "kostanay" => (1, 0),
        "north_kazakhstan" => (2, 0),
        "pavlodar" => (3, 0),
        "west_kazakhstan" => (0, 1),
        "aktobe" => (1, 1),
        "akmola" => (2, 1),
        "astana" => (3, 1),
        "atyrau" => (0, 2),
        "kyzylorda" => (1, 2),
        "karaganda" => (3, 2),
        "mangystau" => (0, 3),
        "turkistan" => (2, 3),
        "jambyl" => (3, 3),
        "almaty_region" => (4, 3),
        "shymkent" => (2, 4),
        "almaty_city" => (4, 4),
        _ => (99, 99),
    };
    let pos = match (layout, slug) {
        (TileLayout::Units2021, "east_kazakhstan") => (4, 1),
        (TileLayout::Units2022, "east_kazakhstan") => (5, 1),
        (TileLayout::Units2022, "abai") => (4, 1),
        (TileLayout::Units2022, "jetisu") => (4, 2),
        (TileLayout::Units2022, "ulytau") => (2, 2),
        (_, "abai" | "jetisu" | "ulytau") => return None,
        _ => common,
    };
    (pos.0 != 99).then_some(pos)
}

/// The region slug for a slug or ISO 3166-2 code (case-insensitive).
///
/// ```
/// assert_eq!(egov_charts::region_slug("KZ-SEV"), Some("north_kazakhstan"));
/// assert_eq!(egov_charts::region_slug("astana"), Some("astana"));
/// assert_eq!(egov_charts::region_slug("Atlantis"), None);
/// ```
pub fn region_slug(key: &str) -> Option<&'static str> {
    let k = key.trim();
    if k.eq_ignore_ascii_case("KZ-TUR") {
        return Some("turkistan");
    }
    UNITS
        .iter()
        .find(|u| u.0.eq_ignore_ascii_case(k) || (!u.1.is_empty() && u.1.eq_ignore_ascii_case(k)))
        .map(|u| u.0)
}

/// The slugs of a layout's units, in a fixed order.
///
/// ```
/// use egov_charts::{layout_units, TileLayout};
/// assert_eq!(layout_units(TileLayout::Units2021).len(), 17);
/// assert_eq!(layout_units(TileLayout::Units2022).len(), 20);
/// ```
pub fn layout_units(layout: TileLayout) -> Vec<&'static str> {
    UNITS
        .iter()
        .map(|u| u.0)
        .filter(|s| position(s, layout).is_some())
        .collect()
}

/// Viridis, sampled at nine stops (matplotlib's colormap data).
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

pub(crate) fn viridis(t: f64) -> Rgba {
    let t = t.clamp(0.0, 1.0) * 8.0;
    let i = (t.floor() as usize).min(7);
    let f = t - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    Rgba::rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn is_dark(c: Rgba) -> bool {
    0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2) < 140.0
}

/// Tile map: one square per region placed roughly by geography, coloured on
/// the viridis scale (colour-blind safe, monotone in lightness so it survives
/// greyscale print), with a short name and the value in each tile and a
/// colour legend. Keys are region slugs or ISO codes; units without a value
/// are drawn grey with "no data". Values are shown with `decimals` decimals.
///
/// ```
/// # fn main() -> Result<(), egov_charts::ChartError> {
/// use egov_charts::{tile_map, ChartOptions, TileLayout};
/// let values = vec![("astana".to_string(), 82.0), ("KZ-SEV".to_string(), 61.0)];
/// let chart = tile_map(&values, TileLayout::Units2021, "Uptake, %", 0,
///                      &ChartOptions { scale: 1.0, ..Default::default() })?;
/// assert_eq!(chart.svg.matches(r#"<rect class="data""#).count(), 2);
/// # Ok(()) }
/// ```
pub fn tile_map(
    values: &[(String, f64)],
    layout: TileLayout,
    legend_title: &str,
    decimals: usize,
    opts: &ChartOptions,
) -> Result<Rendered, ChartError> {
    const CHART: &str = "tile_map";
    start(opts)?;
    if values.is_empty() {
        return Err(ChartError::Empty {
            chart: CHART,
            hint: "pass (region slug, value) pairs".into(),
        });
    }
    let mut by_slug: Vec<(&'static str, f64)> = Vec::new();
    for (key, v) in values {
        let slug = region_slug(key).ok_or_else(|| ChartError::UnknownRegion(key.clone()))?;
        if position(slug, layout).is_none() {
            return Err(ChartError::InvalidValue {
                chart: CHART,
                item: key.clone(),
                problem: format!(
                    "'{slug}' is not a unit of the {layout:?} layout; use TileLayout::Units2022 for Abai, Jetisu and Ulytau"
                ),
            });
        }
        if by_slug.iter().any(|(s, _)| *s == slug) {
            return Err(ChartError::InvalidValue {
                chart: CHART,
                item: key.clone(),
                problem: "region given twice".into(),
            });
        }
        if !v.is_nan() {
            check_finite(CHART, key, "value", *v)?;
        }
        by_slug.push((slug, *v));
    }
    let lang = opts.lang;
    let li = match lang {
        Lang::En => 0,
        Lang::Ru => 1,
        Lang::Kk => 2,
    };
    let finite: Vec<f64> = by_slug
        .iter()
        .map(|x| x.1)
        .filter(|v| v.is_finite())
        .collect();
    let (vmin, vmax) = finite
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let (lo, hi, ticks) = if finite.is_empty() {
        (0.0, 1.0, vec![0.0, 1.0])
    } else {
        nice_ticks(vmin, vmax, 4)
    };
    let mut frame = Frame::new(opts, tr(lang, Key::TitleTileMap), &[], &[]);
    let sz = &frame.sz;
    let s = sz.s;
    let scene = &mut frame.scene;
    let (l, t, r, b) = frame.plot;
    let (cols, rows) = (
        if layout == TileLayout::Units2022 {
            6.0
        } else {
            5.0
        },
        5.0,
    );
    let legend_w = 150.0 * s;
    let gap = 5.0 * s;
    let cell = ((r - l - legend_w - 20.0 * s) / cols).min((b - t) / rows);
    let gx0 = l + (r - l - legend_w - 20.0 * s - cell * cols) / 2.0;
    let label_size = (sz.tick * (cell / (110.0 * s)).clamp(0.7, 1.05)).min(sz.label);
    let value_size = label_size * 1.25;
    for slug in layout_units(layout) {
        let (c, rr) = position(slug, layout).unwrap_or((0, 0));
        let unit = UNITS
            .iter()
            .find(|u| u.0 == slug)
            .map(|u| (u.2[li], u.3))
            .unwrap_or((slug, false));
        let x0 = gx0 + f64::from(c) * cell;
        let y0 = t + f64::from(rr) * cell;
        let value = by_slug
            .iter()
            .find(|x| x.0 == slug)
            .map(|x| x.1)
            .filter(|v| v.is_finite());
        let fill = match value {
            Some(v) => viridis(if hi > lo { (v - lo) / (hi - lo) } else { 0.5 }),
            None => Rgba::rgb(0xDD, 0xDD, 0xDD),
        };
        let role = if value.is_some() {
            Role::Data
        } else {
            Role::Note
        };
        scene.push(
            role,
            Mark::Rect {
                x0: x0 + gap / 2.0,
                y0: y0 + gap / 2.0,
                x1: x0 + cell - gap / 2.0,
                y1: y0 + cell - gap / 2.0,
                fill: Some(fill),
                stroke: unit.1.then_some((INK, 2.5 * s)),
            },
        );
        let tc = if is_dark(fill) {
            Rgba::rgb(255, 255, 255)
        } else {
            INK
        };
        let inner = cell - gap - 8.0 * s;
        let name = ellipsize(unit.0, label_size, unit.1, inner);
        let cx = x0 + cell / 2.0;
        scene.text(
            Role::Frame,
            cx,
            y0 + cell * 0.42,
            &name,
            label_size,
            unit.1,
            tc,
            Anchor::Middle,
        );
        let vtext = match value {
            Some(v) => format!("{v:.decimals$}"),
            None => tr(lang, Key::NoData).to_string(),
        };
        let vs = if value.is_some() {
            value_size
        } else {
            label_size
        };
        let vtext = ellipsize(&vtext, vs, value.is_some(), inner);
        scene.text(
            Role::Frame,
            cx,
            y0 + cell * 0.72,
            &vtext,
            vs,
            value.is_some(),
            tc,
            Anchor::Middle,
        );
    }
    // Legend: a vertical colour bar with ticks, top right.
    let lx = r - legend_w + 10.0 * s;
    let mut ly = t + sz.lh(sz.label) * 0.8;
    for line in crate::theme::wrap(legend_title, sz.label, true, legend_w - 10.0 * s) {
        scene.text(
            Role::Frame,
            lx,
            ly,
            &line,
            sz.label,
            true,
            INK,
            Anchor::Start,
        );
        ly += sz.lh(sz.label);
    }
    let bar_top = ly;
    let bar_h = (b - bar_top - 20.0 * s).min(200.0 * s).max(40.0 * s);
    let steps = 64;
    for i in 0..steps {
        let f0 = i as f64 / steps as f64;
        let f1 = (i + 1) as f64 / steps as f64;
        scene.rect(
            Role::Frame,
            lx,
            bar_top + bar_h * (1.0 - f1),
            lx + 18.0 * s,
            bar_top + bar_h * (1.0 - f0) + 0.5,
            viridis((f0 + f1) / 2.0),
        );
    }
    for tv in &ticks {
        let y = bar_top + bar_h * (1.0 - (tv - lo) / (hi - lo));
        scene.line(
            Role::Frame,
            vec![(lx + 18.0 * s, y), (lx + 23.0 * s, y)],
            INK,
            s,
        );
        scene.text(
            Role::Frame,
            lx + 27.0 * s,
            y + sz.lh(sz.tick) * 0.3,
            &tick_label(*tv, &ticks),
            sz.tick,
            false,
            MUTED,
            Anchor::Start,
        );
    }
    let note_y = bar_top + bar_h + sz.lh(sz.tick) * 1.2;
    let city = tr(lang, Key::City);
    if note_y + sz.lh(sz.tick) * 2.0 < b {
        scene.push(
            Role::Frame,
            Mark::Rect {
                x0: lx,
                y0: note_y - 12.0 * s,
                x1: lx + 14.0 * s,
                y1: note_y + 2.0 * s,
                fill: None,
                stroke: Some((INK, 2.5 * s)),
            },
        );
        for (k, line) in crate::theme::wrap(city, sz.tick, false, legend_w - 30.0 * s)
            .iter()
            .enumerate()
        {
            scene.text(
                Role::Frame,
                lx + 20.0 * s,
                note_y + sz.lh(sz.tick) * k as f64,
                line,
                sz.tick,
                false,
                MUTED,
                Anchor::Start,
            );
        }
    }
    finish(frame.scene, opts)
}
