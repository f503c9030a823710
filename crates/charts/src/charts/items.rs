//! Item response charts: characteristic curves, test information with the
//! DSI distribution beneath, and the item map.

use crate::charts::{check_finite, finish, start};
use crate::error::ChartError;
use crate::i18n::{Key, tr};
use crate::options::{ChartOptions, Rendered};
use crate::scene::{Anchor, Mark, Rgba, Role, Scene, text_width};
use crate::stats::{silverman_bandwidth, weighted_kde};
use crate::theme::{BAR, Frame, INK, MUTED, SERIES, Sizes};
use crate::xy::Panel;

pub use crate::charts::item_panels::item_curves;

/// Places labels next to their anchor points without overlapping each other
/// or the given obstacles: tries offsets right, left, above and below at
/// growing distances and keeps the first free spot inside `bounds`. Returns
/// (x, baseline, anchor) per label.
pub(crate) fn repel_labels(
    points: &[(f64, f64)],
    labels: &[String],
    sz: &Sizes,
    bounds: (f64, f64, f64, f64),
    obstacles: &[(f64, f64, f64, f64)],
) -> Vec<(f64, f64, Anchor)> {
    let s = sz.s;
    let h = sz.tick / crate::scene::EM_RATIO * 1.25;
    let mut placed: Vec<(f64, f64, f64, f64)> = obstacles.to_vec();
    let mut out = Vec::with_capacity(points.len());
    // Place from left to right so neighbours push each other consistently.
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[a].0.total_cmp(&points[b].0));
    let mut result = vec![(0.0, 0.0, Anchor::Start); points.len()];
    for &i in &order {
        let (px, py) = points[i];
        let w = text_width(&labels[i], sz.tick, false);
        let mut chosen = None;
        'search: for step in 0..14 {
            let d = step as f64 * h * 0.55;
            let candidates = [
                (px + 10.0 * s, py - d, Anchor::Start),
                (px + 10.0 * s, py + d, Anchor::Start),
                (px - 10.0 * s, py - d, Anchor::End),
                (px - 10.0 * s, py + d, Anchor::End),
                (px, py - 8.0 * s - d, Anchor::Middle),
                (px, py + 8.0 * s + h * 0.6 + d, Anchor::Middle),
            ];
            for (x, cy, anchor) in candidates {
                let left = match anchor {
                    Anchor::Start => x,
                    Anchor::Middle => x - w / 2.0,
                    Anchor::End => x - w,
                };
                let bx = (
                    left - 2.0 * s,
                    cy - h / 2.0,
                    left + w + 2.0 * s,
                    cy + h / 2.0,
                );
                if bx.0 < bounds.0 || bx.2 > bounds.2 || bx.1 < bounds.1 || bx.3 > bounds.3 {
                    continue;
                }
                if placed
                    .iter()
                    .any(|o| bx.0 < o.2 && bx.2 > o.0 && bx.1 < o.3 && bx.3 > o.1)
                {
                    continue;
                }
                placed.push(bx);
                chosen = Some((x, cy + h * 0.3, anchor));
                break 'search;
            }
        }
        // Crowded beyond the search: keep the default spot, clamped inside.
        result[i] = chosen.unwrap_or_else(|| {
            let x = (px + 7.0 * s).min(bounds.2 - w);
            (x, py + h * 0.3, Anchor::Start)
        });
    }
    out.extend(result);
    out
}

fn draw_labels(
    scene: &mut Scene,
    sz: &Sizes,
    points: &[(f64, f64)],
    labels: &[String],
    spots: &[(f64, f64, Anchor)],
    colors: &[Rgba],
) {
    let s = sz.s;
    for (i, &(x, base, anchor)) in spots.iter().enumerate() {
        let (px, py) = points[i];
        let cy = base - sz.tick / crate::scene::EM_RATIO * 0.35;
        let w = text_width(&labels[i], sz.tick, false);
        let near_x = match anchor {
            Anchor::Start => x,
            Anchor::End => x,
            Anchor::Middle => x.clamp(x - w / 2.0, x + w / 2.0),
        };
        // A leader line when the label ended up away from its point.
        if ((near_x - px).powi(2) + (cy - py).powi(2)).sqrt() > 16.0 * s {
            scene.line(
                Role::Frame,
                vec![(px, py), (near_x, cy)],
                MUTED.alpha(0.8),
                0.8 * s,
            );
        }
        scene.text(
            Role::Frame,
            x,
            base,
            &labels[i],
            sz.tick,
            false,
            colors[i % colors.len()],
            anchor,
        );
    }
}

pub(crate) fn check_grid(chart: &'static str, grid: &[f64]) -> Result<(), ChartError> {
    if grid.len() < 2 {
        return Err(ChartError::Empty {
            chart,
            hint: "the θ grid needs at least two points".into(),
        });
    }
    for (i, w) in grid.windows(2).enumerate() {
        check_finite(chart, &format!("grid[{i}]"), "θ", w[0])?;
        if w[1] <= w[0] {
            return Err(ChartError::InvalidValue {
                chart,
                item: format!("grid[{}]", i + 1),
                problem: "the θ grid must be strictly increasing".into(),
            });
        }
    }
    check_finite(chart, "grid", "last θ", grid[grid.len() - 1])
}

/// Test information I(θ) (upper panel) above the weighted distribution of
/// the respondents' DSI (lower panel), on a shared θ axis.
///
/// ```
/// # fn main() -> Result<(), egov_charts::ChartError> {
/// use egov_charts::{test_information, ChartOptions};
/// let grid: Vec<f64> = (0..=60).map(|i| -3.0 + i as f64 * 0.1).collect();
/// let info: Vec<f64> = grid.iter().map(|t| 4.0 * (-t * t / 2.0).exp()).collect();
/// let chart = test_information(&grid, &info, &[-0.5, 0.0, 0.2, 1.0], &[1.0; 4],
///                              &ChartOptions { scale: 1.0, ..Default::default() })?;
/// assert_eq!(chart.svg.matches(r#"<polyline class="data""#).count(), 2);
/// # Ok(()) }
/// ```
pub fn test_information(
    grid: &[f64],
    information: &[f64],
    dsi_values: &[f64],
    dsi_weights: &[f64],
    opts: &ChartOptions,
) -> Result<Rendered, ChartError> {
    const CHART: &str = "test_information";
    start(opts)?;
    check_grid(CHART, grid)?;
    if information.len() != grid.len() {
        return Err(ChartError::LengthMismatch {
            chart: CHART,
            detail: format!(
                "{} information values for {} grid points",
                information.len(),
                grid.len()
            ),
        });
    }
    if dsi_values.len() != dsi_weights.len() {
        return Err(ChartError::LengthMismatch {
            chart: CHART,
            detail: format!(
                "{} DSI values but {} weights",
                dsi_values.len(),
                dsi_weights.len()
            ),
        });
    }
    for (i, v) in information.iter().enumerate() {
        if !(v.is_finite() && *v >= 0.0) {
            return Err(ChartError::InvalidValue {
                chart: CHART,
                item: format!("information[{i}]"),
                problem: format!("{v}; information is finite and non-negative"),
            });
        }
    }
    for (i, (v, w)) in dsi_values.iter().zip(dsi_weights).enumerate() {
        if !(v.is_finite() && w.is_finite() && *w >= 0.0) {
            return Err(ChartError::InvalidValue {
                chart: CHART,
                item: format!("respondent {i}"),
                problem: format!("DSI {v}, weight {w}; both must be finite, weights non-negative"),
            });
        }
    }
    let lang = opts.lang;
    let mut frame = Frame::new(
        opts,
        tr(lang, Key::TitleInformation),
        &[],
        &[tr(lang, Key::KdeNote).to_string()],
    );
    let sz = &frame.sz;
    let s = sz.s;
    let scene = &mut frame.scene;
    let (l, t, r, b) = frame.plot;
    let split = t + (b - t) * 0.56;
    let (g0, g1) = (grid[0], grid[grid.len() - 1]);
    let imax = information.iter().copied().fold(0.0, f64::max);
    let upper = Panel::draw(
        scene,
        sz,
        (l, t, r, split),
        (g0, g1),
        (0.0, imax.max(1e-9) * 1.05),
        None,
        tr(lang, Key::Information),
        true,
    );
    let pts: Vec<(f64, f64)> = grid
        .iter()
        .zip(information)
        .map(|(x, y)| (upper.x(*x), upper.y(*y)))
        .collect();
    scene.line(Role::Data, pts, BAR, 2.5 * s);
    let total: f64 = dsi_weights.iter().sum();
    let lower_rect = (l, split + 10.0 * s, r, b);
    if total > 0.0 {
        let h = silverman_bandwidth(dsi_values, dsi_weights);
        let dens = weighted_kde(dsi_values, dsi_weights, grid, h);
        let dmax = dens.iter().copied().fold(0.0, f64::max);
        let lower = Panel::draw(
            scene,
            sz,
            lower_rect,
            (g0, g1),
            (0.0, dmax.max(1e-9) * 1.05),
            Some(tr(lang, Key::Theta)),
            tr(lang, Key::DsiShare),
            true,
        );
        let line: Vec<(f64, f64)> = grid
            .iter()
            .zip(&dens)
            .map(|(x, y)| (lower.x(*x), lower.y(*y)))
            .collect();
        let mut poly = line.clone();
        poly.push((lower.x(g1), lower.y(0.0)));
        poly.push((lower.x(g0), lower.y(0.0)));
        scene.push(
            Role::Frame,
            Mark::Polygon {
                points: poly,
                fill: SERIES[1].alpha(0.25),
            },
        );
        scene.line(Role::Data, line, Rgba::rgb(0xA0, 0x6A, 0x00), 2.0 * s);
    } else {
        let lower = Panel::draw(
            scene,
            sz,
            lower_rect,
            (g0, g1),
            (0.0, 1.0),
            Some(tr(lang, Key::Theta)),
            tr(lang, Key::DsiShare),
            false,
        );
        scene.text(
            Role::Note,
            (lower.x0 + lower.x1) / 2.0,
            (lower.y0 + lower.y1) / 2.0,
            tr(lang, Key::NoRespondents),
            sz.label,
            false,
            MUTED,
            Anchor::Middle,
        );
    }
    finish(frame.scene, opts)
}

/// Item map: difficulty b (x) against discrimination a (y), each item
/// labelled with its short name, labels pushed apart so none overlap.
///
/// ```
/// # fn main() -> Result<(), egov_charts::ChartError> {
/// use egov_charts::{item_map, ChartOptions};
/// let chart = item_map(&[("Copy files".into(), -1.2, 2.1), ("Write code".into(), 1.9, 1.4)],
///                      &ChartOptions { scale: 1.0, ..Default::default() })?;
/// assert_eq!(chart.svg.matches(r#"<circle class="data""#).count(), 2);
/// # Ok(()) }
/// ```
pub fn item_map(items: &[(String, f64, f64)], opts: &ChartOptions) -> Result<Rendered, ChartError> {
    const CHART: &str = "item_map";
    start(opts)?;
    if items.is_empty() {
        return Err(ChartError::Empty {
            chart: CHART,
            hint: "pass (label, b, a) per item".into(),
        });
    }
    for (label, b, a) in items {
        check_finite(CHART, label, "difficulty b", *b)?;
        check_finite(CHART, label, "discrimination a", *a)?;
    }
    let lang = opts.lang;
    let mut frame = Frame::new(
        opts,
        tr(lang, Key::TitleItemMap),
        &[],
        &[tr(lang, Key::ItemMapNote).to_string()],
    );
    let sz = &frame.sz;
    let s = sz.s;
    let scene = &mut frame.scene;
    let (bmin, bmax) = items
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), it| {
            (lo.min(it.1), hi.max(it.1))
        });
    let (amin, amax) = items
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), it| {
            (lo.min(it.2), hi.max(it.2))
        });
    // Room around the points for their labels.
    let bpad = ((bmax - bmin) * 0.12).max(0.3);
    let apad = ((amax - amin) * 0.12).max(0.2);
    let p = Panel::draw(
        scene,
        sz,
        frame.plot,
        (bmin - bpad, bmax + bpad),
        ((amin - apad).min(0.0f64.max(amin - apad)), amax + apad),
        Some(tr(lang, Key::Difficulty)),
        tr(lang, Key::Discrimination),
        true,
    );
    let pts: Vec<(f64, f64)> = items.iter().map(|(_, b, a)| (p.x(*b), p.y(*a))).collect();
    let r = 5.5 * s;
    let obstacles: Vec<_> = pts
        .iter()
        .map(|&(x, y)| (x - r, y - r, x + r, y + r))
        .collect();
    for &(x, y) in &pts {
        scene.push(
            Role::Data,
            Mark::Circle {
                cx: x,
                cy: y,
                r,
                fill: BAR,
                stroke: Some((Rgba::rgb(255, 255, 255), 1.2 * s)),
            },
        );
    }
    let labels: Vec<String> = items.iter().map(|(l, _, _)| l.clone()).collect();
    let spots = repel_labels(&pts, &labels, sz, (p.x0, p.y0, p.x1, p.y1), &obstacles);
    draw_labels(scene, sz, &pts, &labels, &spots, &[INK]);
    finish(frame.scene, opts)
}
