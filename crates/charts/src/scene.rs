//! A small display list in device pixels, rendered to PNG through plotters'
//! bitmap backend and to SVG by a direct writer, so both formats come from the
//! same geometry and the SVG can carry classes that tests and stylesheets use.

use std::fmt::Write as _;
use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

use crate::error::ChartError;

static REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSans-Bold.ttf");

/// Family name the embedded fonts are registered under in plotters.
const FAMILY: &str = "sans-serif";

/// Noto Sans: (ascender - descender) / units per em = (1069 + 293) / 1000.
/// ab_glyph scales a font so that this height equals the requested size, so a
/// plotters size `s` is an em of `s / EM_RATIO` pixels.
pub(crate) const EM_RATIO: f64 = 1.362;

/// Registers the embedded Noto Sans faces once per process.
pub(crate) fn ensure_fonts() -> Result<(), ChartError> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, REGULAR)
            .map_err(|_| "NotoSans-Regular.ttf".to_string())?;
        register_font(FAMILY, FontStyle::Bold, BOLD)
            .map_err(|_| "NotoSans-Bold.ttf".to_string())?;
        Ok(())
    })
    .clone()
    .map_err(ChartError::Font)
}

/// The embedded font files (regular, bold), e.g. to embed them in an SVG.
pub(crate) fn font_bytes() -> (&'static [u8], &'static [u8]) {
    (REGULAR, BOLD)
}

/// Width in pixels of `text` set at plotters size `size`.
pub(crate) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    if text.is_empty() {
        return 0.0;
    }
    // Measure at 8x and scale back down: the layout box is truncated to whole
    // pixels, which would otherwise under-measure small text.
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let font = FontDesc::new(FontFamily::Name(FAMILY), size * 8.0, style);
    match font.box_size(text) {
        Ok((w, _)) => f64::from(w) / 8.0,
        // Fonts are registered before any layout; a conservative guess keeps
        // layout going if measuring ever fails.
        Err(_) => text.chars().count() as f64 * size * 0.45,
    }
}

/// RGBA colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rgba(pub u8, pub u8, pub u8, pub f64);

impl Rgba {
    pub(crate) const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Rgba(r, g, b, 1.0)
    }
    pub(crate) fn alpha(self, a: f64) -> Self {
        Rgba(self.0, self.1, self.2, a)
    }
    fn svg(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
    fn plotters(self) -> RGBAColor {
        RGBAColor(self.0, self.1, self.2, self.3)
    }
}

/// Horizontal text anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// What a mark shows; becomes the SVG `class` so tests can count data marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Background, grid, axes, legends and other furniture.
    Frame,
    /// One mark per data value (bar, dot, tile, curve, box, density).
    Data,
    /// Interval marks (confidence whiskers, box whiskers).
    Interval,
    /// Reference lines (zero, national average).
    Reference,
    /// Other series drawn faintly behind the highlighted one, e.g. the other
    /// items' curves in a small-multiple panel.
    Context,
    /// Text annotations such as "no respondents".
    Note,
}

impl Role {
    fn class(self) -> &'static str {
        match self {
            Role::Frame => "frame",
            Role::Data => "data",
            Role::Interval => "interval",
            Role::Reference => "reference",
            Role::Context => "context",
            Role::Note => "note",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Mark {
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        fill: Option<Rgba>,
        stroke: Option<(Rgba, f64)>,
    },
    Line {
        points: Vec<(f64, f64)>,
        color: Rgba,
        width: f64,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
        fill: Rgba,
        stroke: Option<(Rgba, f64)>,
    },
    Polygon {
        points: Vec<(f64, f64)>,
        fill: Rgba,
    },
    /// Text placed by its baseline.
    Text {
        x: f64,
        baseline: f64,
        text: String,
        size: f64,
        bold: bool,
        color: Rgba,
        anchor: Anchor,
    },
}

/// Everything drawn on one figure, in device pixels.
#[derive(Clone, Debug)]
pub(crate) struct Scene {
    pub width: f64,
    pub height: f64,
    pub marks: Vec<(Role, Mark)>,
}

/// Bounding box of a text mark: (left, top, right, bottom).
#[cfg(test)]
pub(crate) fn text_box(
    x: f64,
    baseline: f64,
    text: &str,
    size: f64,
    bold: bool,
    anchor: Anchor,
) -> (f64, f64, f64, f64) {
    let w = text_width(text, size, bold);
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    let em = size / EM_RATIO;
    (left, baseline - 1.069 * em, left + w, baseline + 0.293 * em)
}

impl Scene {
    pub(crate) fn new(width: f64, height: f64) -> Self {
        Scene {
            width,
            height,
            marks: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, role: Role, mark: Mark) {
        self.marks.push((role, mark));
    }

    pub(crate) fn rect(&mut self, role: Role, x0: f64, y0: f64, x1: f64, y1: f64, fill: Rgba) {
        self.push(
            role,
            Mark::Rect {
                x0: x0.min(x1),
                y0: y0.min(y1),
                x1: x0.max(x1),
                y1: y0.max(y1),
                fill: Some(fill),
                stroke: None,
            },
        );
    }

    pub(crate) fn line(&mut self, role: Role, points: Vec<(f64, f64)>, color: Rgba, width: f64) {
        self.push(
            role,
            Mark::Line {
                points,
                color,
                width,
            },
        );
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &mut self,
        role: Role,
        x: f64,
        baseline: f64,
        text: &str,
        size: f64,
        bold: bool,
        color: Rgba,
        anchor: Anchor,
    ) {
        if text.is_empty() {
            return;
        }
        self.push(
            role,
            Mark::Text {
                x,
                baseline,
                text: text.to_string(),
                size,
                bold,
                color,
                anchor,
            },
        );
    }

    /// Bounding boxes of every text mark, for layout checks.
    #[cfg(test)]
    pub(crate) fn text_boxes(&self) -> Vec<(String, (f64, f64, f64, f64))> {
        self.marks
            .iter()
            .filter_map(|(_, m)| match m {
                Mark::Text {
                    x,
                    baseline,
                    text,
                    size,
                    bold,
                    anchor,
                    ..
                } => Some((
                    text.clone(),
                    text_box(*x, *baseline, text, *size, *bold, *anchor),
                )),
                _ => None,
            })
            .collect()
    }

    /// Writes the scene as a standalone SVG document.
    pub(crate) fn to_svg(&self, embed_fonts: bool) -> String {
        let mut out = String::with_capacity(64 * 1024);
        let (w, h) = (self.width, self.height);
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#
        );
        out.push_str("<style>\n");
        if embed_fonts {
            use base64::Engine as _;
            let engine = base64::engine::general_purpose::STANDARD;
            let (regular, bold) = font_bytes();
            let _ = writeln!(
                out,
                "@font-face{{font-family:'Noto Sans';font-weight:400;src:url(data:font/ttf;base64,{}) format('truetype');}}",
                engine.encode(regular)
            );
            let _ = writeln!(
                out,
                "@font-face{{font-family:'Noto Sans';font-weight:700;src:url(data:font/ttf;base64,{}) format('truetype');}}",
                engine.encode(bold)
            );
        }
        out.push_str("text{font-family:'Noto Sans',sans-serif;}\n</style>\n");
        for (role, mark) in &self.marks {
            let class = role.class();
            match mark {
                Mark::Rect {
                    x0,
                    y0,
                    x1,
                    y1,
                    fill,
                    stroke,
                } => {
                    let _ = write!(
                        out,
                        r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}""#,
                        f(*x0),
                        f(*y0),
                        f(x1 - x0),
                        f(y1 - y0)
                    );
                    write_paint(&mut out, *fill, *stroke);
                    out.push_str("/>\n");
                }
                Mark::Line {
                    points,
                    color,
                    width,
                } => {
                    let _ = write!(out, r#"<polyline class="{class}" points=""#);
                    write_points(&mut out, points);
                    let _ = write!(
                        out,
                        r#"" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round""#,
                        color.svg(),
                        f(*width)
                    );
                    if color.3 < 1.0 {
                        let _ = write!(out, r#" stroke-opacity="{}""#, f(color.3));
                    }
                    out.push_str("/>\n");
                }
                Mark::Circle {
                    cx,
                    cy,
                    r,
                    fill,
                    stroke,
                } => {
                    let _ = write!(
                        out,
                        r#"<circle class="{class}" cx="{}" cy="{}" r="{}""#,
                        f(*cx),
                        f(*cy),
                        f(*r)
                    );
                    write_paint(&mut out, Some(*fill), *stroke);
                    out.push_str("/>\n");
                }
                Mark::Polygon { points, fill } => {
                    let _ = write!(out, r#"<polygon class="{class}" points=""#);
                    write_points(&mut out, points);
                    out.push('"');
                    write_paint(&mut out, Some(*fill), None);
                    out.push_str("/>\n");
                }
                Mark::Text {
                    x,
                    baseline,
                    text,
                    size,
                    bold,
                    color,
                    anchor,
                } => {
                    let anchor = match anchor {
                        Anchor::Start => "start",
                        Anchor::Middle => "middle",
                        Anchor::End => "end",
                    };
                    let _ = write!(
                        out,
                        r#"<text class="{class}" x="{}" y="{}" font-size="{}" text-anchor="{anchor}" fill="{}""#,
                        f(*x),
                        f(*baseline),
                        f(size / EM_RATIO),
                        color.svg()
                    );
                    if *bold {
                        out.push_str(r#" font-weight="bold""#);
                    }
                    out.push('>');
                    escape_into(&mut out, text);
                    out.push_str("</text>\n");
                }
            }
        }
        out.push_str("</svg>\n");
        out
    }

    /// Rasterises the scene and encodes it as PNG. plotters writes PNG only
    /// to a path, so the image goes through a private temporary file.
    pub(crate) fn to_png(&self) -> Result<Vec<u8>, ChartError> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        ensure_fonts()?;
        let (w, h) = (self.width.round() as u32, self.height.round() as u32);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "egov-charts-{}-{n}-{nanos}.png",
            std::process::id()
        ));
        let drawn = (|| {
            let root = BitMapBackend::new(&path, (w, h)).into_drawing_area();
            root.fill(&WHITE)
                .map_err(|e| ChartError::Render(e.to_string()))?;
            for (_, mark) in &self.marks {
                draw_mark(&root, mark).map_err(|e| ChartError::Render(e.to_string()))?;
            }
            root.present()
                .map_err(|e| ChartError::Render(e.to_string()))
        })();
        let result = drawn.and_then(|()| {
            std::fs::read(&path)
                .map_err(|e| ChartError::Io(path.display().to_string(), e.to_string()))
        });
        let _ = std::fs::remove_file(&path);
        result
    }
}

fn p(x: f64) -> i32 {
    x.round() as i32
}

fn draw_mark<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    mark: &Mark,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    match mark {
        Mark::Rect {
            x0,
            y0,
            x1,
            y1,
            fill,
            stroke,
        } => {
            if let Some(fill) = fill {
                root.draw(&Rectangle::new(
                    [(p(*x0), p(*y0)), (p(*x1), p(*y1))],
                    fill.plotters().filled(),
                ))?;
            }
            if let Some((color, width)) = stroke {
                root.draw(&Rectangle::new(
                    [(p(*x0), p(*y0)), (p(*x1), p(*y1))],
                    color.plotters().stroke_width(width.round().max(1.0) as u32),
                ))?;
            }
        }
        Mark::Line {
            points,
            color,
            width,
        } => {
            let pts: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (p(x), p(y))).collect();
            root.draw(&PathElement::new(
                pts,
                color.plotters().stroke_width(width.round().max(1.0) as u32),
            ))?;
        }
        Mark::Circle {
            cx,
            cy,
            r,
            fill,
            stroke,
        } => {
            root.draw(&Circle::new(
                (p(*cx), p(*cy)),
                r.round() as i32,
                fill.plotters().filled(),
            ))?;
            if let Some((color, width)) = stroke {
                root.draw(&Circle::new(
                    (p(*cx), p(*cy)),
                    r.round() as i32,
                    color.plotters().stroke_width(width.round().max(1.0) as u32),
                ))?;
            }
        }
        Mark::Polygon { points, fill } => {
            let pts: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (p(x), p(y))).collect();
            root.draw(&Polygon::new(pts, fill.plotters().filled()))?;
        }
        Mark::Text {
            x,
            baseline,
            text,
            size,
            bold,
            color,
            anchor,
        } => {
            let style = if *bold {
                FontStyle::Bold
            } else {
                FontStyle::Normal
            };
            let h = match anchor {
                Anchor::Start => HPos::Left,
                Anchor::Middle => HPos::Center,
                Anchor::End => HPos::Right,
            };
            // plotters' ab_glyph path puts the baseline half a size below a
            // top-anchored position.
            let rgba = color.plotters();
            let text_style = TextStyle::from((FAMILY, *size, style))
                .color(&rgba)
                .pos(Pos::new(h, VPos::Top));
            root.draw(&Text::new(
                text.clone(),
                (p(*x), p(baseline - size / 2.0)),
                text_style,
            ))?;
        }
    }
    Ok(())
}

fn f(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

fn write_points(out: &mut String, points: &[(f64, f64)]) {
    for (i, (x, y)) in points.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{},{}", f(*x), f(*y));
    }
}

fn write_paint(out: &mut String, fill: Option<Rgba>, stroke: Option<(Rgba, f64)>) {
    match fill {
        Some(c) => {
            let _ = write!(out, r#" fill="{}""#, c.svg());
            if c.3 < 1.0 {
                let _ = write!(out, r#" fill-opacity="{}""#, f(c.3));
            }
        }
        None => out.push_str(r#" fill="none""#),
    }
    if let Some((c, w)) = stroke {
        let _ = write!(out, r#" stroke="{}" stroke-width="{}""#, c.svg(), f(w));
    }
}

fn escape_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(ch),
        }
    }
}
