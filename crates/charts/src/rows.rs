//! One layout engine for every "categories down, values across" chart:
//! bars or dots with intervals, optional dodged series, block headings and
//! reference lines. The label column is sized from measured text widths.

use crate::scene::{Anchor, Mark, Rgba, Role, text_width};
use crate::theme::{AXIS, BAR, Frame, GRID, INK, MUTED, ellipsize, nice_ticks, tick_label, wrap};

#[derive(Clone, Copy, Debug)]
pub(crate) struct Value {
    pub est: f64,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
}

#[derive(Clone, Debug)]
pub(crate) enum Row {
    Heading {
        title: String,
        note: Option<String>,
    },
    Item {
        label: String,
        bold: bool,
        color: Option<Rgba>,
        values: Vec<Option<Value>>,
        missing: Option<String>,
    },
}

pub(crate) struct RowsSpec {
    pub rows: Vec<Row>,
    pub series_colors: Vec<Rgba>,
    pub bars: bool,
    pub ref_lines: Vec<(f64, String)>,
    pub zero_line: bool,
    pub axis_title: String,
}

pub(crate) fn draw_rows(frame: &mut Frame, spec: &RowsSpec) {
    let sz = &frame.sz;
    let s = sz.s;
    let (l, t, r, b) = frame.plot;
    let scene = &mut frame.scene;

    // Bottom: tick labels and the (wrapped) axis title.
    let axis_lines = wrap(&spec.axis_title, sz.label, false, r - l);
    let axis_h = sz.lh(sz.label) * axis_lines.len() as f64;
    let plot_bottom = b - sz.lh(sz.tick) * 1.35 - axis_h - 4.0 * s;
    let top = if spec.ref_lines.is_empty() {
        t
    } else {
        t + sz.lh(sz.tick) * 1.3
    };

    // Label column from measured widths, wrapped when it would take more than
    // 40% of the width.
    let max_label_w = (r - l) * 0.40;
    let mut wrapped: Vec<Vec<String>> = Vec::with_capacity(spec.rows.len());
    let mut label_w: f64 = 0.0;
    for row in &spec.rows {
        if let Row::Item { label, bold, .. } = row {
            let lines: Vec<String> = wrap(label, sz.label, *bold, max_label_w)
                .into_iter()
                .take(3)
                .map(|line| ellipsize(&line, sz.label, *bold, max_label_w))
                .collect();
            for line in &lines {
                label_w = label_w.max(text_width(line, sz.label, *bold));
            }
            wrapped.push(lines);
        } else {
            wrapped.push(Vec::new());
        }
    }
    let px0 = l + label_w + 12.0 * s;
    let px1 = r - 6.0 * s;

    // Value range.
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for row in &spec.rows {
        if let Row::Item { values, .. } = row {
            for v in values.iter().flatten() {
                for x in [Some(v.est), v.lo, v.hi].into_iter().flatten() {
                    lo = lo.min(x);
                    hi = hi.max(x);
                }
            }
        }
    }
    for (v, _) in &spec.ref_lines {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    if spec.bars || spec.zero_line || !lo.is_finite() {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    let (a, bnd, ticks) = nice_ticks(lo, hi, ((px1 - px0) / (90.0 * s)).clamp(3.0, 8.0) as usize);
    let xmap = |v: f64| px0 + (v - a) / (bnd - a) * (px1 - px0);

    let n = spec.rows.len().max(1) as f64;
    let row_h = (plot_bottom - top) / n;

    // Grid and tick labels.
    for &tv in &ticks {
        let x = xmap(tv);
        scene.line(Role::Frame, vec![(x, top), (x, plot_bottom)], GRID, sz.line);
        scene.text(
            Role::Frame,
            x,
            plot_bottom + sz.lh(sz.tick) * 1.05,
            &tick_label(tv, &ticks),
            sz.tick,
            false,
            MUTED,
            Anchor::Middle,
        );
    }
    let mut ay = plot_bottom + sz.lh(sz.tick) * 1.3 + 4.0 * s;
    for line in &axis_lines {
        ay += sz.lh(sz.label) * 0.85;
        scene.text(
            Role::Frame,
            (px0 + px1) / 2.0,
            ay,
            line,
            sz.label,
            false,
            INK,
            Anchor::Middle,
        );
        ay += sz.lh(sz.label) * 0.15;
    }
    // Recentre the axis title if it would run off the canvas on the left.
    if let Some((_, Mark::Text { x, text, size, .. })) = scene.marks.last_mut() {
        let w = text_width(text, *size, false);
        if *x - w / 2.0 < l {
            *x = l + w / 2.0;
        }
    }
    scene.line(
        Role::Frame,
        vec![(px0, plot_bottom), (px1, plot_bottom)],
        AXIS,
        sz.line,
    );
    if spec.zero_line && a < 0.0 && bnd > 0.0 {
        let x = xmap(0.0);
        scene.line(
            Role::Reference,
            vec![(x, top), (x, plot_bottom)],
            INK,
            1.5 * s,
        );
    }

    let k = spec.series_colors.len().max(1) as f64;
    let band = row_h * 0.72;
    for (i, row) in spec.rows.iter().enumerate() {
        let cy = top + row_h * (i as f64 + 0.5);
        match row {
            Row::Heading { title, note } => {
                let base = cy + sz.lh(sz.label) * 0.3;
                scene.text(
                    Role::Frame,
                    l,
                    base,
                    title,
                    sz.label,
                    true,
                    INK,
                    Anchor::Start,
                );
                if let Some(note) = note {
                    let x = l + text_width(title, sz.label, true) + 10.0 * s;
                    let note = ellipsize(note, sz.tick, false, (r - x).max(20.0 * s));
                    scene.text(
                        Role::Frame,
                        x,
                        base,
                        &note,
                        sz.tick,
                        false,
                        MUTED,
                        Anchor::Start,
                    );
                }
            }
            Row::Item {
                bold,
                color,
                values,
                missing,
                ..
            } => {
                let lines = &wrapped[i];
                let lh = sz.lh(sz.label);
                let first = cy - lh * (lines.len() as f64 - 1.0) / 2.0 + lh * 0.3;
                for (j, line) in lines.iter().enumerate() {
                    scene.text(
                        Role::Frame,
                        px0 - 10.0 * s,
                        first + lh * j as f64,
                        line,
                        sz.label,
                        *bold,
                        INK,
                        Anchor::End,
                    );
                }
                let mut any = false;
                for (si, value) in values.iter().enumerate() {
                    let Some(v) = value else { continue };
                    any = true;
                    let col =
                        color.unwrap_or_else(|| spec.series_colors.get(si).copied().unwrap_or(BAR));
                    let y = cy + (si as f64 - (k - 1.0) / 2.0) * (band / k);
                    let thick = (band / k) * 0.8;
                    if spec.bars {
                        scene.rect(
                            Role::Data,
                            xmap(0f64.max(a)),
                            y - thick / 2.0,
                            xmap(v.est),
                            y + thick / 2.0,
                            col,
                        );
                    }
                    if let (Some(lo), Some(hi)) = (v.lo, v.hi) {
                        let wc = if spec.bars { INK } else { col };
                        let cap = (thick * 0.3).min(6.0 * s);
                        scene.line(
                            Role::Interval,
                            vec![(xmap(lo), y), (xmap(hi), y)],
                            wc,
                            1.6 * s,
                        );
                        for x in [xmap(lo), xmap(hi)] {
                            scene.line(
                                Role::Interval,
                                vec![(x, y - cap), (x, y + cap)],
                                wc,
                                1.6 * s,
                            );
                        }
                    }
                    if !spec.bars {
                        scene.push(
                            Role::Data,
                            Mark::Circle {
                                cx: xmap(v.est),
                                cy: y,
                                r: (4.8 * s).min(thick * 0.45).max(2.0 * s),
                                fill: col,
                                stroke: Some((Rgba::rgb(255, 255, 255), 1.0 * s)),
                            },
                        );
                    }
                }
                if !any || missing.is_some() {
                    let text = missing.clone().unwrap_or_default();
                    let y = cy + sz.lh(sz.tick) * 0.3;
                    scene.text(
                        Role::Note,
                        xmap(0f64.max(a)) + 6.0 * s,
                        y,
                        &text,
                        sz.tick,
                        false,
                        MUTED,
                        Anchor::Start,
                    );
                }
            }
        }
    }

    for (v, label) in &spec.ref_lines {
        let x = xmap(*v);
        scene.line(
            Role::Reference,
            vec![(x, top - 4.0 * s), (x, plot_bottom)],
            INK,
            1.5 * s,
        );
        let w = text_width(label, sz.tick, true);
        let (tx, anchor) = if x + w / 2.0 > r {
            (x.min(r), Anchor::End)
        } else if x - w / 2.0 < l {
            (x.max(l), Anchor::Start)
        } else {
            (x, Anchor::Middle)
        };
        scene.text(
            Role::Reference,
            tx,
            top - 8.0 * s,
            label,
            sz.tick,
            true,
            INK,
            anchor,
        );
    }
}
