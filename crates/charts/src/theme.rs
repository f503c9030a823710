//! The house style: one palette, one type scale, one page frame.

use crate::options::ChartOptions;
use crate::scene::{Anchor, Rgba, Role, Scene, text_width};

/// Okabe–Ito palette (colour-blind safe), in the order series are coloured.
pub(crate) const SERIES: [Rgba; 7] = [
    Rgba::rgb(0x00, 0x72, 0xB2), // blue
    Rgba::rgb(0xE6, 0x9F, 0x00), // orange
    Rgba::rgb(0x00, 0x9E, 0x73), // bluish green
    Rgba::rgb(0xCC, 0x79, 0xA7), // reddish purple
    Rgba::rgb(0x56, 0xB4, 0xE9), // sky blue
    Rgba::rgb(0xD5, 0x5E, 0x00), // vermillion
    Rgba::rgb(0x00, 0x00, 0x00), // black
];
/// Marker shapes alternate with colour so series stay apart in greyscale.
pub(crate) const INK: Rgba = Rgba::rgb(0x22, 0x22, 0x22);
pub(crate) const MUTED: Rgba = Rgba::rgb(0x5F, 0x5F, 0x5F);
pub(crate) const GRID: Rgba = Rgba::rgb(0xE1, 0xE1, 0xE1);
pub(crate) const AXIS: Rgba = Rgba::rgb(0x8C, 0x8C, 0x8C);
pub(crate) const BAR: Rgba = Rgba::rgb(0x00, 0x72, 0xB2);
/// Cities are orange: a different hue and a much lighter grey than the blue.
pub(crate) const HIGHLIGHT: Rgba = Rgba::rgb(0xE6, 0x9F, 0x00);

/// Type scale in plotters sizes at scale 1 (an em is size / 1.362 px).
pub(crate) struct Sizes {
    pub s: f64,
    pub title: f64,
    pub subtitle: f64,
    pub label: f64,
    pub tick: f64,
    pub note: f64,
    pub margin: f64,
    pub line: f64,
}

impl Sizes {
    pub(crate) fn new(opts: &ChartOptions) -> Self {
        let s = opts.scale;
        Sizes {
            s,
            title: 25.0 * s,
            subtitle: 18.0 * s,
            label: 17.0 * s,
            tick: 16.0 * s,
            note: 14.5 * s,
            margin: 22.0 * s,
            line: 1.0 * s,
        }
    }
    /// Line height for text of plotters size `size`.
    pub(crate) fn lh(&self, size: f64) -> f64 {
        size * 0.95
    }
}

/// Splits `text` into lines no wider than `max_width`, breaking at spaces and
/// after hyphens; a single word wider than the line is kept whole.
pub(crate) fn wrap(text: &str, size: f64, bold: bool, max_width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut current = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if current.is_empty() || text_width(&candidate, size, bold) <= max_width {
                current = candidate;
            } else {
                lines.push(std::mem::take(&mut current));
                current = word.to_string();
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
    }
    lines
}

/// Shortens `text` with an ellipsis until it fits `max_width`.
pub(crate) fn ellipsize(text: &str, size: f64, bold: bool, max_width: f64) -> String {
    if text_width(text, size, bold) <= max_width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let candidate: String = chars[..n].iter().collect::<String>() + "…";
        if text_width(&candidate, size, bold) <= max_width {
            return candidate;
        }
    }
    "…".to_string()
}

/// Page frame: title, subtitle, legend slot, plot area and the notes/source
/// footer. Returns the scene and the rectangle left for the plot.
pub(crate) struct Frame {
    pub scene: Scene,
    pub sz: Sizes,
    /// Plot area: left, top, right, bottom.
    pub plot: (f64, f64, f64, f64),
}

/// A legend entry: label and swatch.
#[derive(Clone, Debug)]
pub(crate) enum Swatch {
    Dot(Rgba),
    Bar(Rgba),
    Line(Rgba),
}

impl Frame {
    /// Lays out the header and footer. `notes` are printed above the source note.
    pub(crate) fn new(
        opts: &ChartOptions,
        default_title: &str,
        legend: &[(String, Swatch, bool)],
        notes: &[String],
    ) -> Self {
        let sz = Sizes::new(opts);
        let w = f64::from(opts.width) * sz.s;
        let h = f64::from(opts.height) * sz.s;
        let mut scene = Scene::new(w, h);
        scene.rect(Role::Frame, 0.0, 0.0, w, h, Rgba::rgb(255, 255, 255));
        let m = sz.margin;
        let inner = w - 2.0 * m;
        let mut y = m;
        let title = opts.title.as_deref().unwrap_or(default_title);
        for line in wrap(title, sz.title, true, inner) {
            y += sz.lh(sz.title) * 0.8;
            scene.text(Role::Frame, m, y, &line, sz.title, true, INK, Anchor::Start);
            y += sz.lh(sz.title) * 0.25;
        }
        if let Some(sub) = opts.subtitle.as_deref() {
            y += 2.0 * sz.s;
            for line in wrap(sub, sz.subtitle, false, inner) {
                y += sz.lh(sz.subtitle) * 0.8;
                scene.text(
                    Role::Frame,
                    m,
                    y,
                    &line,
                    sz.subtitle,
                    false,
                    MUTED,
                    Anchor::Start,
                );
                y += sz.lh(sz.subtitle) * 0.22;
            }
        }
        if !legend.is_empty() {
            y += 8.0 * sz.s;
            let mut x = m;
            let row_h = sz.lh(sz.label);
            y += row_h * 0.75;
            for (label, swatch, bold) in legend {
                let tw = text_width(label, sz.label, *bold);
                let item_w = 26.0 * sz.s + tw;
                if x > m && x + item_w > w - m {
                    x = m;
                    y += row_h;
                }
                let cy = y - row_h * 0.28;
                match swatch {
                    Swatch::Dot(c) => scene.push(
                        Role::Frame,
                        crate::scene::Mark::Circle {
                            cx: x + 7.0 * sz.s,
                            cy,
                            r: 5.0 * sz.s,
                            fill: *c,
                            stroke: Some((Rgba::rgb(255, 255, 255), sz.s)),
                        },
                    ),
                    Swatch::Bar(c) => scene.rect(
                        Role::Frame,
                        x,
                        cy - 6.0 * sz.s,
                        x + 14.0 * sz.s,
                        cy + 6.0 * sz.s,
                        *c,
                    ),
                    Swatch::Line(c) => scene.line(
                        Role::Frame,
                        vec![(x, cy), (x + 16.0 * sz.s, cy)],
                        *c,
                        2.5 * sz.s,
                    ),
                }
                scene.text(
                    Role::Frame,
                    x + 20.0 * sz.s,
                    y,
                    label,
                    sz.label,
                    *bold,
                    INK,
                    Anchor::Start,
                );
                x += item_w + 18.0 * sz.s;
            }
            y += row_h * 0.3;
        }
        let top = y + 14.0 * sz.s;
        // Footer from the bottom up: source note last, notes above it.
        let mut footer: Vec<(String, Rgba)> = Vec::new();
        for note in notes {
            for line in wrap(note, sz.note, false, inner) {
                footer.push((line, MUTED));
            }
        }
        if let Some(source) = opts.source_note.as_deref() {
            for line in wrap(source, sz.note, false, inner) {
                footer.push((line, MUTED));
            }
        }
        let lh = sz.lh(sz.note);
        let mut fy = h - m - lh * (footer.len() as f64 - 1.0).max(0.0) - lh * 0.25;
        let bottom = if footer.is_empty() {
            h - m
        } else {
            fy - lh * 1.3
        };
        for (line, color) in footer {
            scene.text(
                Role::Frame,
                m,
                fy,
                &line,
                sz.note,
                false,
                color,
                Anchor::Start,
            );
            fy += lh;
        }
        Frame {
            scene,
            plot: (m, top, w - m, bottom),
            sz,
        }
    }
}

/// "Nice" axis ticks covering [lo, hi]: returns (axis_lo, axis_hi, ticks).
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> (f64, f64, Vec<f64>) {
    let (mut lo, mut hi) = (lo, hi);
    if !(lo.is_finite() && hi.is_finite()) {
        lo = 0.0;
        hi = 1.0;
    }
    if hi - lo < 1e-12 {
        let pad = if lo.abs() > 1e-12 {
            lo.abs() * 0.1
        } else {
            1.0
        };
        lo -= pad;
        hi += pad;
    }
    let raw = (hi - lo) / target.max(2) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let a = (lo / step + 1e-9).floor() * step;
    let b = (hi / step - 1e-9).ceil() * step;
    let n = ((b - a) / step).round() as usize;
    let ticks = (0..=n).map(|i| a + step * i as f64).collect();
    (a, b, ticks)
}

/// Formats a tick value with as many decimals as the step needs.
pub(crate) fn tick_label(v: f64, ticks: &[f64]) -> String {
    let step = if ticks.len() > 1 {
        (ticks[1] - ticks[0]).abs()
    } else {
        1.0
    };
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().max(0.0) as usize
            + usize::from((step * 10f64.powi((-step.log10()).ceil() as i32)).fract() > 1e-6)
    };
    let v = if v.abs() < 1e-12 { 0.0 } else { v };
    format!("{v:.decimals$}")
}
