//! Item characteristic curves as small multiples: one panel per item, the
//! item's curve in the accent colour over the other items' curves in grey,
//! panels ordered from the easiest item to the hardest.

use crate::charts::items::check_grid;
use crate::charts::{finish, start};
use crate::error::ChartError;
use crate::i18n::{Key, tr};
use crate::options::{ChartOptions, Rendered};
use crate::scene::{Anchor, Mark, Rgba, Role, Scene, text_width};
use crate::theme::{
    AXIS, BAR, Frame, GRID, INK, MUTED, Sizes, ellipsize, nice_ticks, tick_label, wrap,
};

/// The highlighted item's curve, its difficulty marker and dot.
const ACCENT: Rgba = BAR;
/// The other items' curves: light enough to stay behind the accent curve,
/// dark enough to read as curves rather than grid.
const CONTEXT: Rgba = Rgba::rgb(0xC4, 0xC4, 0xC4);
/// Panel titles longer than this many lines are ellipsized.
const MAX_TITLE_LINES: usize = 2;

/// Where a curve crosses P = 0.5 on the grid: its difficulty b.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Difficulty {
    /// Crosses at θ = b; `rising` when P grows with θ (a > 0).
    At { b: f64, rising: bool },
    /// Does not cross on the grid; b lies below the grid's first point.
    BelowGrid,
    /// Does not cross on the grid; b lies above the grid's last point.
    AboveGrid,
}

impl Difficulty {
    fn of(grid: &[f64], curve: &[f64]) -> Self {
        let rising = curve[curve.len() - 1] >= curve[0];
        let cross = curve
            .windows(2)
            .position(|w| (w[0] - 0.5) * (w[1] - 0.5) <= 0.0 && w[0] != w[1]);
        match cross {
            Some(i) => {
                let f = (0.5 - curve[i]) / (curve[i + 1] - curve[i]);
                let b = grid[i] + f * (grid[i + 1] - grid[i]);
                let rising = curve[i + 1] > curve[i];
                Difficulty::At { b, rising }
            }
            // Entirely above 0.5: a rising curve crossed before the grid starts.
            None if (curve[0] > 0.5) == rising => Difficulty::BelowGrid,
            None => Difficulty::AboveGrid,
        }
    }

    fn sort_key(self) -> f64 {
        match self {
            Difficulty::At { b, .. } => b,
            Difficulty::BelowGrid => f64::NEG_INFINITY,
            Difficulty::AboveGrid => f64::INFINITY,
        }
    }
}

/// Formats a θ value for the difficulty note: two decimals, no "-0.00".
fn theta_text(v: f64) -> String {
    let v = if v.abs() < 0.005 { 0.0 } else { v };
    format!("{v:.2}")
}

/// Formats a grid end compactly (e.g. "4", "-3.5").
fn compact(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A panel title in at most [`MAX_TITLE_LINES`] lines no wider than `width`.
fn title_lines(label: &str, sz: &Sizes, width: f64) -> Vec<String> {
    let mut lines = wrap(label, sz.tick, true, width);
    if lines.len() > MAX_TITLE_LINES {
        let rest = lines[MAX_TITLE_LINES - 1..].join(" ");
        lines.truncate(MAX_TITLE_LINES - 1);
        lines.push(rest);
    }
    // A single word wider than the panel, or the joined remainder.
    lines
        .into_iter()
        .map(|l| ellipsize(&l, sz.tick, true, width))
        .collect()
}

/// The panel grid: columns, rows, cell size and the height of the title block.
#[derive(Clone, Copy, Debug)]
struct Layout {
    cols: usize,
    cell_w: f64,
    cell_h: f64,
    title_h: f64,
}

/// Picks the number of columns that gives the largest panels of a readable
/// shape (plot width about 1.5 times its height), preferring fewer empty
/// cells among equals.
fn choose_layout(labels: &[&str], sz: &Sizes, area: (f64, f64), gap: (f64, f64)) -> Option<Layout> {
    let n = labels.len();
    let s = sz.s;
    let (width, height) = area;
    let mut best: Option<(f64, usize, Layout)> = None;
    for cols in 1..=n {
        let rows = n.div_ceil(cols);
        let cell_w = (width - (cols - 1) as f64 * gap.0) / cols as f64;
        let cell_h = (height - (rows - 1) as f64 * gap.1) / rows as f64;
        // Room for three θ tick labels side by side.
        if cols > 1 && cell_w < 90.0 * s {
            break;
        }
        let lines = labels
            .iter()
            .map(|l| title_lines(l, sz, cell_w).len())
            .max()
            .unwrap_or(1)
            .max(1);
        let title_h = lines as f64 * sz.lh(sz.tick) + 6.0 * s;
        let plot_h = cell_h - title_h;
        if plot_h < 24.0 * s || cell_w < 40.0 * s {
            continue;
        }
        let score = (cell_w / 1.5).min(plot_h);
        let empty = cols * rows - n;
        let layout = Layout {
            cols,
            cell_w,
            cell_h,
            title_h,
        };
        let better = match best {
            None => true,
            Some((bs, be, _)) => score > bs + 1e-6 || ((score - bs).abs() <= 1e-6 && empty < be),
        };
        if better {
            best = Some((score, empty, layout));
        }
    }
    best.map(|(_, _, l)| l)
}

/// θ ticks strictly inside the grid's range, at least three when the panel
/// is wide enough for their labels.
fn theta_ticks(g0: f64, g1: f64, panel_w: f64, sz: &Sizes) -> Vec<f64> {
    let eps = (g1 - g0) * 1e-9;
    let mut fallback = Vec::new();
    for target in 2..=12 {
        let (_, _, ticks) = nice_ticks(g0, g1, target);
        let inside: Vec<f64> = ticks
            .into_iter()
            .filter(|v| *v >= g0 - eps && *v <= g1 + eps)
            .collect();
        if inside.len() < 2 {
            continue;
        }
        let widest = inside
            .iter()
            .map(|v| text_width(&tick_label(*v, &inside), sz.tick, false))
            .fold(0.0, f64::max);
        let spacing = panel_w * (inside[1] - inside[0]) / (g1 - g0);
        if spacing < widest + 10.0 * sz.s {
            break;
        }
        fallback = inside.clone();
        if inside.len() >= 3 {
            return inside;
        }
    }
    fallback
}

/// Item characteristic curves as small multiples: one panel per item, titled
/// with its label, showing its curve P(yes | θ) in the accent colour over the
/// other items' curves in grey, with a dotted marker and the value of its
/// difficulty b (where P = 0.5). Panels share the θ axis of `grid` and the
/// probability axis 0–1, are ordered from the easiest item to the hardest,
/// and the grid of panels is sized from the number of items.
///
/// Each highlighted curve is one SVG `polyline` of class `data`; the grey
/// context curves have class `context`.
///
/// ```
/// # fn main() -> Result<(), egov_charts::ChartError> {
/// use egov_charts::{item_curves, ChartOptions};
/// let grid: Vec<f64> = (0..=60).map(|i| -3.0 + i as f64 * 0.1).collect();
/// let curve = |a: f64, b: f64| grid.iter().map(|t| 1.0 / (1.0 + (-a * (t - b)).exp())).collect::<Vec<_>>();
/// let curves = vec![("Email".to_string(), curve(1.5, -1.0)), ("Code".to_string(), curve(2.0, 1.5))];
/// let chart = item_curves(&grid, &curves, &ChartOptions { scale: 1.0, ..Default::default() })?;
/// assert_eq!(chart.svg.matches(r#"<polyline class="data""#).count(), 2);
/// assert_eq!(chart.svg.matches(r#"<polyline class="context""#).count(), 2);
/// assert!(chart.svg.contains(">b = 1.50</text>"));
/// # Ok(()) }
/// ```
pub fn item_curves(
    grid: &[f64],
    curves: &[(String, Vec<f64>)],
    opts: &ChartOptions,
) -> Result<Rendered, ChartError> {
    let scene = item_curves_scene(grid, curves, opts)?;
    finish(scene, opts)
}

fn check_curves(grid: &[f64], curves: &[(String, Vec<f64>)]) -> Result<(), ChartError> {
    const CHART: &str = "item_curves";
    check_grid(CHART, grid)?;
    if curves.is_empty() {
        return Err(ChartError::Empty {
            chart: CHART,
            hint: "pass one curve per item".into(),
        });
    }
    for (label, c) in curves {
        if c.len() != grid.len() {
            return Err(ChartError::LengthMismatch {
                chart: CHART,
                detail: format!(
                    "curve '{label}' has {} points but the grid has {}",
                    c.len(),
                    grid.len()
                ),
            });
        }
        for (i, p) in c.iter().enumerate() {
            if !(p.is_finite() && (0.0..=1.0).contains(p)) {
                return Err(ChartError::InvalidValue {
                    chart: CHART,
                    item: format!("{label} at grid point {i}"),
                    problem: format!("probability {p} is outside [0, 1]"),
                });
            }
        }
    }
    Ok(())
}

pub(crate) fn item_curves_scene(
    grid: &[f64],
    curves: &[(String, Vec<f64>)],
    opts: &ChartOptions,
) -> Result<Scene, ChartError> {
    start(opts)?;
    check_curves(grid, curves)?;
    let lang = opts.lang;
    // With a single item there are no grey curves and no order to explain.
    let note = if curves.len() > 1 {
        format!(
            "{} {}",
            tr(lang, Key::ItemCurvesNote),
            tr(lang, Key::DifficultyNote)
        )
    } else {
        tr(lang, Key::DifficultyNote).to_string()
    };
    let mut frame = Frame::new(opts, tr(lang, Key::TitleItemCurves), &[], &[note]);
    let sz = &frame.sz;
    let s = sz.s;
    let scene = &mut frame.scene;
    let (l, t, r, b) = frame.plot;

    let difficulties: Vec<Difficulty> = curves
        .iter()
        .map(|(_, c)| Difficulty::of(grid, c))
        .collect();
    let mut order: Vec<usize> = (0..curves.len()).collect();
    order.sort_by(|&i, &j| {
        difficulties[i]
            .sort_key()
            .total_cmp(&difficulties[j].sort_key())
    });

    // Shared axes: the probability title once above the grid of panels, the
    // θ title once below it, tick labels on the outer panels only.
    scene.text(
        Role::Frame,
        l,
        t + sz.lh(sz.label) * 0.7,
        tr(lang, Key::ProbabilityYes),
        sz.label,
        false,
        INK,
        Anchor::Start,
    );
    let y_ticks = [(0.0, "0"), (0.5, "0.5"), (1.0, "1")];
    let gutter = y_ticks
        .iter()
        .map(|(_, t)| text_width(t, sz.tick, false))
        .fold(0.0, f64::max)
        + 8.0 * s;
    let grid_left = l + gutter;
    let grid_top = t + sz.lh(sz.label) * 1.3;
    let grid_bottom = b - sz.lh(sz.label) * 1.2 - sz.lh(sz.tick) * 1.3;
    let gap = (32.0 * s, 14.0 * s);
    let labels: Vec<&str> = order.iter().map(|&i| curves[i].0.as_str()).collect();
    let layout = choose_layout(&labels, sz, (r - grid_left, grid_bottom - grid_top), gap)
        .ok_or_else(|| {
            ChartError::Options(format!(
                "{} item panels do not fit in a {} x {} figure; make it larger",
                curves.len(),
                opts.width,
                opts.height
            ))
        })?;
    let (g0, g1) = (grid[0], grid[grid.len() - 1]);
    let x_ticks = theta_ticks(g0, g1, layout.cell_w, sz);
    let n = curves.len();

    for (k, &item) in order.iter().enumerate() {
        let (row, col) = (k / layout.cols, k % layout.cols);
        let x0 = grid_left + col as f64 * (layout.cell_w + gap.0);
        let y0 = grid_top + row as f64 * (layout.cell_h + gap.1);
        let (px0, px1) = (x0, x0 + layout.cell_w);
        let (py0, py1) = (y0 + layout.title_h, y0 + layout.cell_h);
        let x = |v: f64| px0 + (v - g0) / (g1 - g0) * (px1 - px0);
        let y = |p: f64| py1 - p * (py1 - py0);

        for (i, line) in title_lines(&curves[item].0, sz, layout.cell_w)
            .iter()
            .enumerate()
        {
            scene.text(
                Role::Frame,
                x0,
                y0 + sz.lh(sz.tick) * (0.8 + i as f64),
                line,
                sz.tick,
                true,
                INK,
                Anchor::Start,
            );
        }
        for &v in &x_ticks {
            scene.line(Role::Frame, vec![(x(v), py0), (x(v), py1)], GRID, sz.line);
        }
        for &(p, text) in &y_ticks {
            let colour = if p == 0.0 { AXIS } else { GRID };
            scene.line(Role::Frame, vec![(px0, y(p)), (px1, y(p))], colour, sz.line);
            if col == 0 {
                scene.text(
                    Role::Frame,
                    px0 - 6.0 * s,
                    y(p) + sz.lh(sz.tick) * 0.3,
                    text,
                    sz.tick,
                    false,
                    MUTED,
                    Anchor::End,
                );
            }
        }
        // The lowest panel of its column carries the θ tick labels, also
        // when the last row is incomplete.
        if (row + 1) * layout.cols + col >= n {
            for &v in &x_ticks {
                scene.line(
                    Role::Frame,
                    vec![(x(v), py1), (x(v), py1 + 4.0 * s)],
                    AXIS,
                    sz.line,
                );
                scene.text(
                    Role::Frame,
                    x(v),
                    py1 + sz.lh(sz.tick) * 1.05,
                    &tick_label(v, &x_ticks),
                    sz.tick,
                    false,
                    MUTED,
                    Anchor::Middle,
                );
            }
        }

        for (j, (_, c)) in curves.iter().enumerate() {
            if j != item {
                let pts = grid.iter().zip(c).map(|(t, p)| (x(*t), y(*p))).collect();
                scene.line(Role::Context, pts, CONTEXT, 1.0 * s);
            }
        }
        let c = &curves[item].1;
        let pts = grid.iter().zip(c).map(|(t, p)| (x(*t), y(*p))).collect();
        let marker = difficulty_marker(
            difficulties[item],
            (px0, py0, px1, py1),
            x,
            y,
            sz,
            (g0, g1),
            (c[0], c[c.len() - 1]),
        );
        // A light halo keeps the b value legible over the grey curves.
        let (tx, base, anchor) = marker.text_at;
        let w = text_width(&marker.text, sz.note, false);
        let left = match anchor {
            Anchor::Start => tx,
            Anchor::Middle => tx - w / 2.0,
            Anchor::End => tx - w,
        };
        let em = sz.note / crate::scene::EM_RATIO;
        scene.rect(
            Role::Frame,
            left - 2.0 * s,
            base - 0.85 * em,
            left + w + 2.0 * s,
            base + 0.25 * em,
            Rgba::rgb(255, 255, 255).alpha(0.85),
        );
        for dash in marker.dashes {
            scene.line(Role::Reference, dash, ACCENT, 1.3 * s);
        }
        scene.line(Role::Data, pts, ACCENT, 2.2 * s);
        if let Some((cx, cy)) = marker.dot {
            scene.push(
                Role::Reference,
                Mark::Circle {
                    cx,
                    cy,
                    r: 3.2 * s,
                    fill: ACCENT,
                    stroke: Some((Rgba::rgb(255, 255, 255), 1.0 * s)),
                },
            );
        }
        scene.text(
            Role::Note,
            tx,
            base,
            &marker.text,
            sz.note,
            false,
            INK,
            anchor,
        );
    }
    scene.text(
        Role::Frame,
        (grid_left + r) / 2.0,
        b - sz.lh(sz.label) * 0.25,
        tr(lang, Key::Theta),
        sz.label,
        false,
        INK,
        Anchor::Middle,
    );
    Ok(frame.scene)
}

/// The dotted line from the θ axis up to P = 0.5, the dot there and the
/// "b = …" text with its position.
struct Marker {
    dashes: Vec<Vec<(f64, f64)>>,
    dot: Option<(f64, f64)>,
    text: String,
    text_at: (f64, f64, Anchor),
}

#[allow(clippy::too_many_arguments)]
fn difficulty_marker(
    d: Difficulty,
    plot: (f64, f64, f64, f64),
    x: impl Fn(f64) -> f64,
    y: impl Fn(f64) -> f64,
    sz: &Sizes,
    range: (f64, f64),
    ends: (f64, f64),
) -> Marker {
    let s = sz.s;
    let (px0, _, px1, _) = plot;
    let below = y(0.5) + sz.lh(sz.note) * 0.95;
    let above = y(0.5) - 5.0 * s;
    match d {
        Difficulty::At { b, rising } => {
            let (xb, yb) = (x(b), y(0.5));
            let mut dashes = Vec::new();
            let (dash, step) = (2.5 * s, 5.0 * s);
            let mut top = y(0.0);
            while top - dash > yb + 3.0 * s {
                dashes.push(vec![(xb, top), (xb, top - dash)]);
                top -= step;
            }
            let text = format!("b = {}", theta_text(b));
            let w = text_width(&text, sz.note, false);
            // Right of the dot on the side the curve has left: below 0.5 for
            // a rising curve, above it for a falling one; mirrored on the left
            // when the right side has no room.
            let (right_base, left_base) = if rising {
                (below, above)
            } else {
                (above, below)
            };
            let text_at = if xb + 6.0 * s + w <= px1 {
                (xb + 6.0 * s, right_base, Anchor::Start)
            } else if xb - 6.0 * s - w >= px0 {
                (xb - 6.0 * s, left_base, Anchor::End)
            } else {
                (px1, right_base, Anchor::End)
            };
            Marker {
                dashes,
                dot: Some((xb, yb)),
                text,
                text_at,
            }
        }
        // Off the grid: say so at the end the difficulty lies beyond, on the
        // side of 0.5 the curve does not occupy there.
        Difficulty::BelowGrid => Marker {
            dashes: vec![],
            dot: None,
            text: format!("b < {}", compact(range.0)),
            text_at: (
                px0 + 4.0 * s,
                if ends.0 > 0.5 { below } else { above },
                Anchor::Start,
            ),
        },
        Difficulty::AboveGrid => Marker {
            dashes: vec![],
            dot: None,
            text: format!("b > {}", compact(range.1)),
            text_at: (
                px1 - 4.0 * s,
                if ends.1 > 0.5 { below } else { above },
                Anchor::End,
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Lang;

    fn logistic(grid: &[f64], a: f64, b: f64) -> Vec<f64> {
        grid.iter()
            .map(|t| 1.0 / (1.0 + (-a * (t - b)).exp()))
            .collect()
    }

    fn grid() -> Vec<f64> {
        (0..=80).map(|i| -4.0 + i as f64 * 0.1).collect()
    }

    fn items(n: usize, label: impl Fn(usize) -> String) -> Vec<(String, Vec<f64>)> {
        let g = grid();
        (0..n)
            .map(|i| {
                let b = -1.5 + 3.5 * i as f64 / n.max(2) as f64;
                (label(i), logistic(&g, 1.5 + (i % 3) as f64 * 0.5, b))
            })
            .collect()
    }

    fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
        a.0 < b.2 && a.2 > b.0 && a.1 < b.3 && a.3 > b.1
    }

    /// Every text on the canvas and no two texts overlapping.
    fn assert_clean(scene: &Scene, case: &str) {
        let boxes = scene.text_boxes();
        for (text, (l, t, r, b)) in &boxes {
            assert!(
                *l >= -0.5 && *t >= -0.5 && *r <= scene.width + 0.5 && *b <= scene.height + 0.5,
                "{case}: '{text}' leaves the canvas"
            );
        }
        for (i, (ta, a)) in boxes.iter().enumerate() {
            for (tb, b) in &boxes[i + 1..] {
                // Shrink by a pixel: boxes include the font's full ascent and
                // descent, so lines set one line-height apart just touch.
                let a2 = (a.0 + 1.0, a.1 + 1.0, a.2 - 1.0, a.3 - 1.0);
                assert!(!overlaps(a2, *b), "{case}: '{ta}' overlaps '{tb}'");
            }
        }
    }

    fn count(scene: &Scene, role: Role) -> usize {
        scene
            .marks
            .iter()
            .filter(|(r, m)| *r == role && matches!(m, Mark::Line { .. }))
            .count()
    }

    #[test]
    fn panels_fit_for_any_item_count_size_and_language() {
        crate::scene::ensure_fonts().unwrap();
        let g = grid();
        for n in [1, 2, 5, 11, 20] {
            for lang in [Lang::En, Lang::Ru, Lang::Kk] {
                for height in [550, 600, 700] {
                    let opts = ChartOptions {
                        height,
                        scale: 1.0,
                        source_note: Some("Source: synthetic replica of the 2021 survey".into()),
                        ..ChartOptions::new(lang)
                    };
                    let curves = items(n, |i| format!("Item {i}"));
                    let scene = item_curves_scene(&g, &curves, &opts).unwrap();
                    let case = format!("{n} items, {lang:?}, height {height}");
                    assert_clean(&scene, &case);
                    assert_eq!(count(&scene, Role::Data), n, "{case}");
                    assert_eq!(count(&scene, Role::Context), n * (n - 1), "{case}");
                }
            }
        }
    }

    #[test]
    fn grid_shape_follows_the_item_count() {
        crate::scene::ensure_fonts().unwrap();
        let sz = Sizes::new(&ChartOptions {
            scale: 1.0,
            ..Default::default()
        });
        let shape = |n: usize| {
            let labels: Vec<String> = (0..n).map(|i| format!("Item {i}")).collect();
            let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
            let l = choose_layout(&refs, &sz, (820.0, 480.0), (32.0, 14.0)).unwrap();
            (l.cols, n.div_ceil(l.cols))
        };
        assert_eq!(shape(1), (1, 1));
        assert_eq!(shape(2), (2, 1));
        assert_eq!(shape(11), (4, 3));
        assert_eq!(shape(20), (5, 4));
        let (c, r) = shape(5);
        assert!(c * r >= 5 && c * r - 5 < c, "{c} x {r}");
    }

    #[test]
    fn long_labels_wrap_then_ellipsize_inside_their_panel() {
        crate::scene::ensure_fonts().unwrap();
        let long = "Шығыс Қазақстан облысындағы электрондық үкіметті пайдаланатындардың дағдылары өте ұзын атау";
        let curves = items(11, |i| {
            if i % 2 == 0 {
                format!("{long} {i}")
            } else {
                "Supercalifragilisticexpialidociousnessofskills".to_string()
            }
        });
        for lang in [Lang::En, Lang::Kk] {
            let opts = ChartOptions {
                height: 600,
                scale: 1.0,
                ..ChartOptions::new(lang)
            };
            let scene = item_curves_scene(&grid(), &curves, &opts).unwrap();
            assert_clean(&scene, "long labels");
            let titles: Vec<String> = scene
                .text_boxes()
                .into_iter()
                .map(|(t, _)| t)
                .filter(|t| t.ends_with('…'))
                .collect();
            assert!(titles.len() >= 11, "expected ellipsized titles: {titles:?}");
        }
    }

    #[test]
    fn difficulty_is_where_the_curve_crosses_one_half() {
        let g = grid();
        assert_eq!(
            Difficulty::of(&g, &logistic(&g, 2.0, 0.75)),
            Difficulty::At {
                b: 0.75,
                rising: true
            }
        );
        match Difficulty::of(&g, &logistic(&g, -1.0, -0.3)) {
            Difficulty::At { b, rising } => {
                assert!((b + 0.3).abs() < 0.01, "{b}");
                assert!(!rising);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            Difficulty::of(&g, &logistic(&g, 2.0, 6.0)),
            Difficulty::AboveGrid
        );
        assert_eq!(
            Difficulty::of(&g, &logistic(&g, 2.0, -6.0)),
            Difficulty::BelowGrid
        );
        assert_eq!(
            Difficulty::of(&g, &logistic(&g, -2.0, 6.0)),
            Difficulty::AboveGrid
        );
        assert_eq!(
            Difficulty::of(&g, &logistic(&g, -2.0, -6.0)),
            Difficulty::BelowGrid
        );
        assert_eq!(theta_text(-0.001), "0.00");
        assert_eq!(compact(-4.0), "-4");
    }

    #[test]
    fn panels_run_from_easiest_to_hardest() {
        crate::scene::ensure_fonts().unwrap();
        let g = grid();
        let curves = vec![
            ("Hard".to_string(), logistic(&g, 2.0, 1.5)),
            ("Off the grid".to_string(), logistic(&g, 2.0, 9.0)),
            ("Easy".to_string(), logistic(&g, 2.0, -1.0)),
        ];
        let opts = ChartOptions {
            scale: 1.0,
            ..Default::default()
        };
        let scene = item_curves_scene(&g, &curves, &opts).unwrap();
        let x_of = |label: &str| {
            scene
                .text_boxes()
                .into_iter()
                .find(|(t, _)| t == label)
                .map(|(_, b)| b.0)
                .unwrap()
        };
        assert!(x_of("Easy") < x_of("Hard") && x_of("Hard") < x_of("Off the grid"));
        assert!(scene.text_boxes().iter().any(|(t, _)| t == "b > 4"));
        assert_clean(&scene, "three items");
    }
}
