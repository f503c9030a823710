//! Regional and demographic comparisons and the coefficient plot.

use crate::charts::{finish, start};
use crate::error::ChartError;
use crate::i18n::{Key, tr};
use crate::options::{ChartOptions, Rendered};
use crate::rows::{Row, RowsSpec, Value, draw_rows};
use crate::scene::Rgba;
use crate::theme::{BAR, Frame, HIGHLIGHT, SERIES, Swatch};

/// A weighted estimate for one category with its 95% confidence interval.
///
/// Shares are proportions in [0, 1] (drawn as %); DSI means are on the index
/// scale. `n` is the unweighted number of respondents; `n == 0` or a NaN
/// estimate is drawn as "no respondents" rather than as a zero. A NaN bound
/// drops the whisker but keeps the point.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// Category label as it should appear on the chart.
    pub label: String,
    /// Point estimate.
    pub estimate: f64,
    /// Lower 95% bound.
    pub conf_low: f64,
    /// Upper 95% bound.
    pub conf_high: f64,
    /// Unweighted respondents behind the estimate.
    pub n: usize,
    /// Highlight the category (cities of republican significance).
    pub highlight: bool,
}

impl Estimate {
    /// An estimate with its interval; `highlight` false.
    ///
    /// ```
    /// let e = egov_charts::Estimate::new("Astana", 0.81, 0.78, 0.84, 2400);
    /// assert!(!e.highlight);
    /// ```
    pub fn new(
        label: impl Into<String>,
        estimate: f64,
        conf_low: f64,
        conf_high: f64,
        n: usize,
    ) -> Self {
        Estimate {
            label: label.into(),
            estimate,
            conf_low,
            conf_high,
            n,
            highlight: false,
        }
    }

    /// The same estimate, highlighted.
    pub fn highlighted(mut self) -> Self {
        self.highlight = true;
        self
    }
}

/// What a regional comparison shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Share using e-government (proportions, drawn as % bars).
    Uptake,
    /// Mean Digital Skills Index (drawn as dots).
    Dsi,
}

/// A point estimate with its 95% interval (model coefficients).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Point estimate.
    pub estimate: f64,
    /// Lower 95% bound.
    pub conf_low: f64,
    /// Upper 95% bound.
    pub conf_high: f64,
}

/// One category in a grouped comparison, with one estimate per series
/// (e.g. age group 25–34 with Urban and Rural).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Category label.
    pub label: String,
    /// (series name, estimate); series are matched by name across groups.
    pub series: Vec<(String, Estimate)>,
}

/// A block of coefficients under one heading (e.g. "Education").
#[derive(Clone, Debug, PartialEq)]
pub struct CoefBlock {
    /// Block heading.
    pub title: String,
    /// The omitted category, named beside the heading.
    pub reference: Option<String>,
    /// Coefficients in the block.
    pub rows: Vec<CoefRow>,
}

/// One coefficient across models; `None` where a model lacks the term.
#[derive(Clone, Debug, PartialEq)]
pub struct CoefRow {
    /// Term label.
    pub label: String,
    /// One entry per model, on the probability scale (drawn in percentage points).
    pub by_model: Vec<Option<Interval>>,
}

const PCT: f64 = 100.0;

fn estimate_value(
    chart: &'static str,
    e: &Estimate,
    factor: f64,
) -> Result<Option<Value>, ChartError> {
    if e.n == 0 || e.estimate.is_nan() {
        return Ok(None);
    }
    if !e.estimate.is_finite() {
        return Err(ChartError::InvalidValue {
            chart,
            item: e.label.clone(),
            problem: format!(
                "estimate is {}; pass a finite number or NaN for no data",
                e.estimate
            ),
        });
    }
    interval_value(chart, &e.label, e.estimate, e.conf_low, e.conf_high, factor).map(Some)
}

fn interval_value(
    chart: &'static str,
    label: &str,
    est: f64,
    lo: f64,
    hi: f64,
    factor: f64,
) -> Result<Value, ChartError> {
    crate::charts::check_finite(chart, label, "estimate", est)?;
    for (name, b) in [("conf_low", lo), ("conf_high", hi)] {
        if b.is_infinite() {
            return Err(ChartError::InvalidValue {
                chart,
                item: label.to_string(),
                problem: format!("{name} is {b}; pass a finite bound or NaN to omit the interval"),
            });
        }
    }
    let (lo, hi) = if lo.is_nan() || hi.is_nan() {
        (None, None)
    } else {
        (Some(lo), Some(hi))
    };
    if let (Some(l), Some(h)) = (lo, hi) {
        let tol = 1e-9 * (1.0 + est.abs());
        if l > est + tol || h < est - tol {
            return Err(ChartError::InvalidValue {
                chart,
                item: label.to_string(),
                problem: format!(
                    "interval [{l}, {h}] does not contain the estimate {est}; check the bounds' order"
                ),
            });
        }
    }
    Ok(Value {
        est: est * factor,
        lo: lo.map(|v| v * factor),
        hi: hi.map(|v| v * factor),
    })
}

fn with_ci_note(opts: &ChartOptions, mut notes: Vec<String>) -> Vec<String> {
    notes.insert(0, tr(opts.lang, Key::CiNote).to_string());
    notes
}

/// One row per estimate, highest first; categories without data go last, in
/// input order, with `no_data` as their note. Highlighted categories are bold
/// and orange.
fn rows_highest_first(
    chart: &'static str,
    estimates: &[Estimate],
    factor: f64,
    no_data: Key,
    opts: &ChartOptions,
) -> Result<Vec<Row>, ChartError> {
    let mut items = Vec::with_capacity(estimates.len());
    for e in estimates {
        items.push((e, estimate_value(chart, e, factor)?));
    }
    items.sort_by(|(_, a), (_, b)| match (a, b) {
        (Some(a), Some(b)) => b.est.total_cmp(&a.est),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    Ok(items
        .iter()
        .map(|(e, v)| Row::Item {
            label: e.label.clone(),
            bold: e.highlight,
            color: Some(if e.highlight { HIGHLIGHT } else { BAR }),
            values: vec![*v],
            missing: v.is_none().then(|| tr(opts.lang, no_data).to_string()),
        })
        .collect())
}

/// Legend for a chart of regions: "Region", plus "City" in the highlight
/// colour when any estimate is highlighted.
fn region_legend(
    estimates: &[Estimate],
    swatch: impl Fn(Rgba) -> Swatch,
    opts: &ChartOptions,
) -> Vec<(String, Swatch, bool)> {
    let mut legend = vec![(tr(opts.lang, Key::Region).to_string(), swatch(BAR), false)];
    if estimates.iter().any(|e| e.highlight) {
        legend.push((
            tr(opts.lang, Key::City).to_string(),
            swatch(HIGHLIGHT),
            true,
        ));
    }
    legend
}

/// The first `count` series colours and, when `show_legend`, a legend naming
/// each series beside its dot.
fn series_colors_and_legend(
    names: &[String],
    count: usize,
    show_legend: bool,
) -> (Vec<Rgba>, Vec<(String, Swatch, bool)>) {
    let colors: Vec<_> = SERIES.iter().copied().take(count).collect();
    let legend = if show_legend {
        names
            .iter()
            .zip(&colors)
            .map(|(s, c)| (s.clone(), Swatch::Dot(*c), false))
            .collect()
    } else {
        vec![]
    };
    (colors, legend)
}

/// Draws `spec` in a frame with the given title, legend and notes, and renders it.
fn render_rows(
    opts: &ChartOptions,
    title: Key,
    legend: &[(String, Swatch, bool)],
    notes: &[String],
    spec: &RowsSpec,
) -> Result<Rendered, ChartError> {
    let mut frame = Frame::new(opts, tr(opts.lang, title), legend, notes);
    draw_rows(&mut frame, spec);
    finish(frame.scene, opts)
}

/// Regional comparison: one bar (uptake) or dot (DSI) per region with its 95%
/// CI, sorted from highest to lowest, highlighted categories (the three cities)
/// in orange with bold labels, and an optional national-average line.
///
/// ```
/// # fn main() -> Result<(), egov_charts::ChartError> {
/// use egov_charts::{regional_comparison, ChartOptions, Estimate, Measure};
/// let rows = vec![
///     Estimate::new("Astana", 0.82, 0.79, 0.85, 2400).highlighted(),
///     Estimate::new("Turkistan region", 0.55, 0.52, 0.58, 3900),
/// ];
/// let chart = regional_comparison(&rows, Some(0.66), Measure::Uptake,
///                                 &ChartOptions { scale: 1.0, ..Default::default() })?;
/// assert_eq!(chart.svg.matches(r#"<rect class="data""#).count(), 2);
/// # Ok(()) }
/// ```
pub fn regional_comparison(
    rows: &[Estimate],
    national: Option<f64>,
    measure: Measure,
    opts: &ChartOptions,
) -> Result<Rendered, ChartError> {
    const CHART: &str = "regional_comparison";
    start(opts)?;
    if rows.is_empty() {
        return Err(ChartError::Empty {
            chart: CHART,
            hint: "pass one Estimate per region".into(),
        });
    }
    let factor = if measure == Measure::Uptake { PCT } else { 1.0 };
    let spec_rows = rows_highest_first(CHART, rows, factor, Key::NoRespondents, opts)?;
    let lang = opts.lang;
    let mut ref_lines = Vec::new();
    if let Some(nat) = national {
        crate::charts::check_finite(CHART, "national", "national average", nat)?;
        let shown = nat * factor;
        let text = if measure == Measure::Uptake {
            format!("{} {:.0}%", tr(lang, Key::NationalAverage), shown)
        } else {
            format!("{} {:.2}", tr(lang, Key::NationalAverage), shown)
        };
        ref_lines.push((shown, text));
    }
    let swatch = |c| {
        if measure == Measure::Uptake {
            Swatch::Bar(c)
        } else {
            Swatch::Dot(c)
        }
    };
    let legend = region_legend(rows, swatch, opts);
    let (title, axis) = match measure {
        Measure::Uptake => (Key::TitleUptakeByRegion, Key::UptakeAxis),
        Measure::Dsi => (Key::TitleDsiByRegion, Key::DsiAxis),
    };
    render_rows(
        opts,
        title,
        &legend,
        &with_ci_note(opts, vec![]),
        &RowsSpec {
            rows: spec_rows,
            series_colors: vec![BAR],
            bars: measure == Measure::Uptake,
            ref_lines,
            zero_line: measure == Measure::Dsi,
            axis_title: tr(lang, axis).to_string(),
        },
    )
}

/// Region effects from the LPM relative to a reference region (named in a
/// note), as dots with 95% CIs in percentage points, sorted, with a zero line.
/// Estimates are on the probability scale.
///
/// ```
/// # fn main() -> Result<(), egov_charts::ChartError> {
/// use egov_charts::{region_effects, ChartOptions, Estimate};
/// let rows = vec![Estimate::new("Astana", 0.08, 0.05, 0.11, 2400).highlighted(),
///                 Estimate::new("Kyzylorda region", -0.04, -0.07, -0.01, 2100)];
/// let chart = region_effects(&rows, "Akmola region", &ChartOptions { scale: 1.0, ..Default::default() })?;
/// assert!(chart.svg.contains("Akmola region"));
/// # Ok(()) }
/// ```
pub fn region_effects(
    rows: &[Estimate],
    reference_label: &str,
    opts: &ChartOptions,
) -> Result<Rendered, ChartError> {
    const CHART: &str = "region_effects";
    start(opts)?;
    if rows.is_empty() {
        return Err(ChartError::Empty {
            chart: CHART,
            hint: "pass one coefficient per non-reference region".into(),
        });
    }
    let lang = opts.lang;
    let spec_rows = rows_highest_first(CHART, rows, PCT, Key::NoData, opts)?;
    let legend = region_legend(rows, Swatch::Dot, opts);
    let notes = with_ci_note(
        opts,
        vec![format!(
            "{}: {}.",
            tr(lang, Key::Reference),
            reference_label
        )],
    );
    render_rows(
        opts,
        Key::TitleRegionEffects,
        &legend,
        &notes,
        &RowsSpec {
            rows: spec_rows,
            series_colors: vec![BAR],
            bars: false,
            ref_lines: vec![],
            zero_line: true,
            axis_title: tr(lang, Key::RegionEffectAxis).to_string(),
        },
    )
}

/// Demographic comparison: uptake by category, optionally split into series
/// (e.g. age group by Urban/Rural), as dodged dot-and-interval marks in
/// Okabe–Ito colours with a legend. Shares are proportions, drawn as %.
///
/// ```
/// # fn main() -> Result<(), egov_charts::ChartError> {
/// use egov_charts::{grouped_comparison, ChartOptions, Estimate, Group};
/// let groups = vec![Group { label: "16–24".into(), series: vec![
///     ("Urban".into(), Estimate::new("", 0.80, 0.77, 0.83, 900)),
///     ("Rural".into(), Estimate::new("", 0.70, 0.66, 0.74, 700))] }];
/// let chart = grouped_comparison(&groups, &ChartOptions { scale: 1.0, ..Default::default() })?;
/// assert_eq!(chart.svg.matches(r#"<circle class="data""#).count(), 2);
/// # Ok(()) }
/// ```
pub fn grouped_comparison(groups: &[Group], opts: &ChartOptions) -> Result<Rendered, ChartError> {
    const CHART: &str = "grouped_comparison";
    start(opts)?;
    if groups.is_empty() {
        return Err(ChartError::Empty {
            chart: CHART,
            hint: "pass at least one Group".into(),
        });
    }
    let lang = opts.lang;
    let mut series: Vec<String> = Vec::new();
    for g in groups {
        for (name, _) in &g.series {
            if !series.contains(name) {
                series.push(name.clone());
            }
        }
    }
    if series.len() > SERIES.len() {
        return Err(ChartError::InvalidValue {
            chart: CHART,
            item: "series".into(),
            problem: format!(
                "{} series; at most {} can be told apart",
                series.len(),
                SERIES.len()
            ),
        });
    }
    let mut rows = Vec::new();
    for g in groups {
        let mut values = vec![None; series.len().max(1)];
        let mut all_empty = true;
        for (name, e) in &g.series {
            let idx = series.iter().position(|s| s == name).unwrap_or(0);
            let label = if name.is_empty() {
                g.label.clone()
            } else {
                format!("{} / {}", g.label, name)
            };
            let mut e = e.clone();
            e.label = label;
            values[idx] = estimate_value(CHART, &e, PCT)?;
            all_empty &= values[idx].is_none();
        }
        let missing_any = values.iter().any(Option::is_none);
        let missing = if all_empty {
            Some(tr(lang, Key::NoRespondents).to_string())
        } else if missing_any && series.len() > 1 {
            let names: Vec<&str> = series
                .iter()
                .zip(&values)
                .filter(|(_, v)| v.is_none())
                .map(|(s, _)| s.as_str())
                .collect();
            Some(format!(
                "{}: {}",
                names.join(", "),
                tr(lang, Key::NoRespondents)
            ))
        } else {
            None
        };
        rows.push(Row::Item {
            label: g.label.clone(),
            bold: false,
            color: None,
            values,
            missing,
        });
    }
    let (colors, legend) = series_colors_and_legend(
        &series,
        series.len().max(1),
        series.len() > 1 || series.first().is_some_and(|s| !s.is_empty()),
    );
    render_rows(
        opts,
        Key::TitleGrouped,
        &legend,
        &with_ci_note(opts, vec![]),
        &RowsSpec {
            rows,
            series_colors: colors,
            bars: false,
            ref_lines: vec![],
            zero_line: false,
            axis_title: tr(lang, Key::UptakeAxis).to_string(),
        },
    )
}

/// Coefficient plot: dot-and-whisker estimates with 95% CIs in percentage
/// points, grouped in blocks with headings and the reference category named,
/// a zero line, and several models dodged with a legend.
///
/// ```
/// # fn main() -> Result<(), egov_charts::ChartError> {
/// use egov_charts::{coefficient_plot, ChartOptions, CoefBlock, CoefRow, Interval};
/// let blocks = vec![CoefBlock { title: "Skills".into(), reference: None, rows: vec![
///     CoefRow { label: "DSI (+1 SD)".into(), by_model: vec![
///         Some(Interval { estimate: 0.12, conf_low: 0.11, conf_high: 0.13 })] }] }];
/// let chart = coefficient_plot(&blocks, &["LPM".to_string()], &ChartOptions { scale: 1.0, ..Default::default() })?;
/// assert!(chart.svg.contains("Skills"));
/// # Ok(()) }
/// ```
pub fn coefficient_plot(
    blocks: &[CoefBlock],
    model_names: &[String],
    opts: &ChartOptions,
) -> Result<Rendered, ChartError> {
    const CHART: &str = "coefficient_plot";
    start(opts)?;
    if blocks.iter().all(|b| b.rows.is_empty()) {
        return Err(ChartError::Empty {
            chart: CHART,
            hint: "pass at least one CoefBlock with rows".into(),
        });
    }
    if model_names.is_empty() || model_names.len() > SERIES.len() {
        return Err(ChartError::LengthMismatch {
            chart: CHART,
            detail: format!(
                "{} model names; pass between 1 and {}",
                model_names.len(),
                SERIES.len()
            ),
        });
    }
    let lang = opts.lang;
    let mut rows = Vec::new();
    for block in blocks {
        let note = block
            .reference
            .as_ref()
            .map(|r| format!("({}: {})", tr(lang, Key::Reference).to_lowercase(), r));
        rows.push(Row::Heading {
            title: block.title.clone(),
            note,
        });
        for row in &block.rows {
            if row.by_model.len() != model_names.len() {
                return Err(ChartError::LengthMismatch {
                    chart: CHART,
                    detail: format!(
                        "row '{}' has {} estimates but there are {} model names",
                        row.label,
                        row.by_model.len(),
                        model_names.len()
                    ),
                });
            }
            let mut values = Vec::new();
            for (m, iv) in row.by_model.iter().enumerate() {
                values.push(match iv {
                    Some(iv) => Some(interval_value(
                        CHART,
                        &format!("{} ({})", row.label, model_names[m]),
                        iv.estimate,
                        iv.conf_low,
                        iv.conf_high,
                        PCT,
                    )?),
                    None => None,
                });
            }
            let missing = values
                .iter()
                .all(Option::is_none)
                .then(|| tr(lang, Key::NoData).to_string());
            rows.push(Row::Item {
                label: row.label.clone(),
                bold: false,
                color: None,
                values,
                missing,
            });
        }
    }
    let (colors, legend) =
        series_colors_and_legend(model_names, model_names.len(), model_names.len() > 1);
    render_rows(
        opts,
        Key::TitleCoefficients,
        &legend,
        &with_ci_note(opts, vec![]),
        &RowsSpec {
            rows,
            series_colors: colors,
            bars: false,
            ref_lines: vec![],
            zero_line: true,
            axis_title: tr(lang, Key::CoefficientAxis).to_string(),
        },
    )
}
