//! A numeric x–y panel: grid, ticks and axis titles. The y title sits
//! horizontally above the axis, which reads better than rotated text.

use crate::scene::{Anchor, Role, Scene, text_width};
use crate::theme::{AXIS, GRID, INK, MUTED, Sizes, nice_ticks, tick_label};

pub(crate) struct Panel {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub xa: f64,
    pub xb: f64,
    pub ya: f64,
    pub yb: f64,
}

impl Panel {
    pub(crate) fn x(&self, v: f64) -> f64 {
        self.x0 + (v - self.xa) / (self.xb - self.xa) * (self.x1 - self.x0)
    }
    pub(crate) fn y(&self, v: f64) -> f64 {
        self.y1 - (v - self.ya) / (self.yb - self.ya) * (self.y1 - self.y0)
    }

    /// Draws a panel filling `rect` (left, top, right, bottom). `x_title`
    /// goes under the x ticks (omitted when `None`, e.g. for an upper panel).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn draw(
        scene: &mut Scene,
        sz: &Sizes,
        rect: (f64, f64, f64, f64),
        xr: (f64, f64),
        yr: (f64, f64),
        x_title: Option<&str>,
        y_title: &str,
        y_tick_labels: bool,
    ) -> Panel {
        let s = sz.s;
        let (l, t, r, b) = rect;
        let (xa, xb, xt) = nice_ticks(xr.0, xr.1, ((r - l) / (95.0 * s)).clamp(3.0, 9.0) as usize);
        let (ya, yb, yt) = nice_ticks(yr.0, yr.1, ((b - t) / (60.0 * s)).clamp(2.0, 6.0) as usize);
        let y_labels: Vec<String> = if y_tick_labels {
            yt.iter().map(|v| tick_label(*v, &yt)).collect()
        } else {
            vec![]
        };
        let lab_w = y_labels
            .iter()
            .map(|l| text_width(l, sz.tick, false))
            .fold(0.0, f64::max);
        // A common minimum keeps stacked panels' x axes aligned.
        let lab_w = if y_tick_labels {
            lab_w.max(text_width("00.0", sz.tick, false))
        } else {
            lab_w
        };
        let top = t + sz.lh(sz.label) * 1.1;
        let bottom = b
            - sz.lh(sz.tick) * 1.3
            - if x_title.is_some() {
                sz.lh(sz.label) * 1.2
            } else {
                0.0
            };
        let p = Panel {
            x0: l + lab_w + 10.0 * s,
            x1: r - 8.0 * s,
            y0: top,
            y1: bottom,
            xa,
            xb,
            ya,
            yb,
        };
        scene.text(
            Role::Frame,
            l,
            t + sz.lh(sz.label) * 0.7,
            y_title,
            sz.label,
            false,
            INK,
            Anchor::Start,
        );
        for (i, v) in yt.iter().enumerate() {
            let y = p.y(*v);
            scene.line(Role::Frame, vec![(p.x0, y), (p.x1, y)], GRID, sz.line);
            if let Some(label) = y_labels.get(i) {
                scene.text(
                    Role::Frame,
                    p.x0 - 6.0 * s,
                    y + sz.lh(sz.tick) * 0.3,
                    label,
                    sz.tick,
                    false,
                    MUTED,
                    Anchor::End,
                );
            }
        }
        for v in &xt {
            let x = p.x(*v);
            scene.line(
                Role::Frame,
                vec![(x, p.y1), (x, p.y1 + 4.0 * s)],
                AXIS,
                sz.line,
            );
            scene.text(
                Role::Frame,
                x,
                p.y1 + sz.lh(sz.tick) * 1.05,
                &tick_label(*v, &xt),
                sz.tick,
                false,
                MUTED,
                Anchor::Middle,
            );
        }
        scene.line(Role::Frame, vec![(p.x0, p.y1), (p.x1, p.y1)], AXIS, sz.line);
        if let Some(title) = x_title {
            scene.text(
                Role::Frame,
                (p.x0 + p.x1) / 2.0,
                b - sz.lh(sz.label) * 0.25,
                title,
                sz.label,
                false,
                INK,
                Anchor::Middle,
            );
        }
        p
    }
}
