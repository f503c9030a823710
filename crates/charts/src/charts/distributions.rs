//! DSI distributions by group: overlaid weighted densities or box plots.

use crate::charts::{finish, start};
use crate::error::ChartError;
use crate::i18n::{Key, tr};
use crate::options::{ChartOptions, Rendered};
use crate::scene::{Anchor, Mark, Rgba, Role, text_width};
use crate::stats::{silverman_bandwidth, weighted_kde, weighted_quantile};
use crate::theme::{
    AXIS, Frame, GRID, INK, MUTED, SERIES, Swatch, ellipsize, nice_ticks, tick_label,
};
use crate::xy::Panel;

/// DSI values and survey weights of one group.
#[derive(Clone, Debug, PartialEq)]
pub struct DsiGroup {
    /// Group label (e.g. "Urban").
    pub label: String,
    /// DSI scores of the group's respondents.
    pub values: Vec<f64>,
    /// Survey weights, one per value (all 1.0 for unweighted).
    pub weights: Vec<f64>,
}

/// How a DSI distribution is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistributionKind {
    /// Overlaid weighted Gaussian kernel densities (Silverman bandwidth).
    Density,
    /// Box-and-whisker of weighted quantiles (5, 25, 50, 75, 95%).
    Box,
}

const CHART: &str = "dsi_distribution";

fn validate(groups: &[DsiGroup]) -> Result<(), ChartError> {
    if groups.is_empty() {
        return Err(ChartError::Empty {
            chart: CHART,
            hint: "pass at least one DsiGroup".into(),
        });
    }
    if groups.len() > SERIES.len() {
        return Err(ChartError::InvalidValue {
            chart: CHART,
            item: "groups".into(),
            problem: format!(
                "{} groups; at most {} can be told apart",
                groups.len(),
                SERIES.len()
            ),
        });
    }
    for g in groups {
        if g.values.len() != g.weights.len() {
            return Err(ChartError::LengthMismatch {
                chart: CHART,
                detail: format!(
                    "group '{}' has {} values but {} weights",
                    g.label,
                    g.values.len(),
                    g.weights.len()
                ),
            });
        }
        for (i, (v, w)) in g.values.iter().zip(&g.weights).enumerate() {
            if !v.is_finite() {
                return Err(ChartError::InvalidValue {
                    chart: CHART,
                    item: format!("{} (row {i})", g.label),
                    problem: format!(
                        "DSI value {v}; drop respondents without a score and report their count"
                    ),
                });
            }
            if !(w.is_finite() && *w >= 0.0) {
                return Err(ChartError::InvalidValue {
                    chart: CHART,
                    item: format!("{} (row {i})", g.label),
                    problem: format!("weight {w}; weights must be finite and non-negative"),
                });
            }
        }
    }
    Ok(())
}

fn has_data(g: &DsiGroup) -> bool {
    g.weights.iter().sum::<f64>() > 0.0
}

/// The DSI by group as overlaid weighted densities or weighted box plots.
/// Groups without respondents are listed as "no respondents".
///
/// ```
/// # fn main() -> Result<(), egov_charts::ChartError> {
/// use egov_charts::{dsi_distribution, ChartOptions, DistributionKind, DsiGroup};
/// let g = DsiGroup { label: "Urban".into(), values: vec![-1.0, 0.0, 0.5, 1.2], weights: vec![1.0; 4] };
/// let chart = dsi_distribution(&[g], DistributionKind::Box, &ChartOptions { scale: 1.0, ..Default::default() })?;
/// assert_eq!(chart.svg.matches(r#"<rect class="data""#).count(), 1);
/// # Ok(()) }
/// ```
pub fn dsi_distribution(
    groups: &[DsiGroup],
    kind: DistributionKind,
    opts: &ChartOptions,
) -> Result<Rendered, ChartError> {
    start(opts)?;
    validate(groups)?;
    let lang = opts.lang;
    let legend: Vec<_> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let label = if has_data(g) {
                g.label.clone()
            } else {
                format!("{} ({})", g.label, tr(lang, Key::NoRespondents))
            };
            (
                label,
                if kind == DistributionKind::Density {
                    Swatch::Line(SERIES[i])
                } else {
                    Swatch::Bar(SERIES[i])
                },
                false,
            )
        })
        .collect();
    let note = match kind {
        DistributionKind::Density => tr(lang, Key::KdeNote),
        DistributionKind::Box => tr(lang, Key::BoxNote),
    };
    let with_data: Vec<usize> = (0..groups.len())
        .filter(|&i| has_data(&groups[i]))
        .collect();
    let mut frame = Frame::new(
        opts,
        tr(lang, Key::TitleDsiDistribution),
        if kind == DistributionKind::Density {
            &legend
        } else {
            &[]
        },
        &[note.to_string()],
    );
    let sz = &frame.sz;
    let s = sz.s;
    let scene = &mut frame.scene;
    let (l, t, r, b) = frame.plot;
    if with_data.is_empty() {
        scene.text(
            Role::Note,
            (l + r) / 2.0,
            (t + b) / 2.0,
            tr(lang, Key::NoRespondents),
            sz.label,
            false,
            MUTED,
            Anchor::Middle,
        );
        return finish(frame.scene, opts);
    }
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for &i in &with_data {
        let g = &groups[i];
        lo = lo.min(weighted_quantile(&g.values, &g.weights, 0.0));
        hi = hi.max(weighted_quantile(&g.values, &g.weights, 1.0));
    }
    match kind {
        DistributionKind::Density => {
            let hs: Vec<f64> = with_data
                .iter()
                .map(|&i| silverman_bandwidth(&groups[i].values, &groups[i].weights))
                .collect();
            let pad = 3.0 * hs.iter().copied().fold(0.0, f64::max);
            let (glo, ghi) = (lo - pad, hi + pad);
            let grid: Vec<f64> = (0..=240)
                .map(|k| glo + (ghi - glo) * k as f64 / 240.0)
                .collect();
            let dens: Vec<Vec<f64>> = with_data
                .iter()
                .zip(&hs)
                .map(|(&i, &h)| weighted_kde(&groups[i].values, &groups[i].weights, &grid, h))
                .collect();
            let ymax = dens.iter().flatten().copied().fold(0.0, f64::max);
            let p = Panel::draw(
                scene,
                sz,
                (l, t, r, b),
                (glo, ghi),
                (0.0, ymax * 1.05),
                Some(tr(lang, Key::Theta)),
                tr(lang, Key::Density),
                true,
            );
            for (k, &i) in with_data.iter().enumerate() {
                let col = SERIES[i];
                let pts: Vec<(f64, f64)> = grid
                    .iter()
                    .zip(&dens[k])
                    .map(|(x, y)| (p.x(*x), p.y(*y)))
                    .collect();
                let mut poly = pts.clone();
                poly.push((p.x(ghi), p.y(0.0)));
                poly.push((p.x(glo), p.y(0.0)));
                scene.push(
                    Role::Frame,
                    Mark::Polygon {
                        points: poly,
                        fill: col.alpha(0.14),
                    },
                );
                scene.line(Role::Data, pts, col, 2.5 * s);
            }
        }
        DistributionKind::Box => {
            // Category axis on the left, sized from the measured labels.
            let max_w = (r - l) * 0.35;
            let labels: Vec<String> = groups
                .iter()
                .map(|g| ellipsize(&g.label, sz.label, false, max_w))
                .collect();
            let lab_w = labels
                .iter()
                .map(|x| text_width(x, sz.label, false))
                .fold(0.0, f64::max);
            let px0 = l + lab_w + 12.0 * s;
            let px1 = r - 8.0 * s;
            let axis_h = sz.lh(sz.label) * 1.2;
            let pb = b - sz.lh(sz.tick) * 1.3 - axis_h;
            let (a, bb, ticks) =
                nice_ticks(lo, hi, ((px1 - px0) / (90.0 * s)).clamp(3.0, 8.0) as usize);
            let xm = |v: f64| px0 + (v - a) / (bb - a) * (px1 - px0);
            for &tv in &ticks {
                scene.line(Role::Frame, vec![(xm(tv), t), (xm(tv), pb)], GRID, sz.line);
                scene.text(
                    Role::Frame,
                    xm(tv),
                    pb + sz.lh(sz.tick) * 1.05,
                    &tick_label(tv, &ticks),
                    sz.tick,
                    false,
                    MUTED,
                    Anchor::Middle,
                );
            }
            scene.line(Role::Frame, vec![(px0, pb), (px1, pb)], AXIS, sz.line);
            scene.text(
                Role::Frame,
                (px0 + px1) / 2.0,
                b - sz.lh(sz.label) * 0.25,
                tr(lang, Key::Theta),
                sz.label,
                false,
                INK,
                Anchor::Middle,
            );
            let row_h = (pb - t) / groups.len() as f64;
            for (i, g) in groups.iter().enumerate() {
                let cy = t + row_h * (i as f64 + 0.5);
                scene.text(
                    Role::Frame,
                    px0 - 10.0 * s,
                    cy + sz.lh(sz.label) * 0.3,
                    &labels[i],
                    sz.label,
                    false,
                    INK,
                    Anchor::End,
                );
                if !has_data(g) {
                    scene.text(
                        Role::Note,
                        px0 + 6.0 * s,
                        cy + sz.lh(sz.tick) * 0.3,
                        tr(lang, Key::NoRespondents),
                        sz.tick,
                        false,
                        MUTED,
                        Anchor::Start,
                    );
                    continue;
                }
                let q: Vec<f64> = [0.05, 0.25, 0.5, 0.75, 0.95]
                    .iter()
                    .map(|&pq| weighted_quantile(&g.values, &g.weights, pq))
                    .collect();
                let hh = (row_h * 0.28).min(22.0 * s);
                let col = SERIES[i];
                scene.line(
                    Role::Interval,
                    vec![(xm(q[0]), cy), (xm(q[1]), cy)],
                    INK,
                    1.5 * s,
                );
                scene.line(
                    Role::Interval,
                    vec![(xm(q[3]), cy), (xm(q[4]), cy)],
                    INK,
                    1.5 * s,
                );
                for x in [xm(q[0]), xm(q[4])] {
                    scene.line(
                        Role::Interval,
                        vec![(x, cy - hh * 0.5), (x, cy + hh * 0.5)],
                        INK,
                        1.5 * s,
                    );
                }
                scene.push(
                    Role::Data,
                    Mark::Rect {
                        x0: xm(q[1]),
                        y0: cy - hh,
                        x1: xm(q[3]).max(xm(q[1]) + 1.0),
                        y1: cy + hh,
                        fill: Some(col),
                        stroke: Some((INK, 1.2 * s)),
                    },
                );
                scene.line(
                    Role::Interval,
                    vec![(xm(q[2]), cy - hh), (xm(q[2]), cy + hh)],
                    Rgba::rgb(255, 255, 255),
                    3.0 * s,
                );
            }
        }
    }
    finish(frame.scene, opts)
}
