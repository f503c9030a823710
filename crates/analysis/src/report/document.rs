//! A small document model rendered to both Markdown and self-contained HTML, so the two reports
//! always carry the same words and numbers.

use std::fmt::Write;

/// A table: header, rows, optional caption and notes.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Caption shown above the table.
    pub caption: String,
    /// Column headings.
    pub header: Vec<String>,
    /// Cells, row by row.
    pub rows: Vec<Vec<String>>,
    /// Right-align column j (numbers).
    pub numeric: Vec<bool>,
    /// Notes printed under the table.
    pub notes: Vec<String>,
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn latex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            '×' => out.push_str("$\\times$"),
            '–' => out.push_str("--"),
            '—' => out.push_str("---"),
            '−' => out.push('-'),
            '²' => out.push_str("$^2$"),
            _ => out.push(c),
        }
    }
    out
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Escapes text for HTML.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `**bold**` → `<strong>` and `` `code` `` → `<code>` after escaping.
fn html_inline(s: &str) -> String {
    let escaped = html_escape(s);
    let mut bold = String::new();
    for (i, part) in escaped.split("**").enumerate() {
        if i % 2 == 1 {
            let _ = write!(bold, "<strong>{part}</strong>");
        } else {
            bold.push_str(part);
        }
    }
    let mut out = String::new();
    for (i, part) in bold.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

impl Table {
    fn is_numeric(&self, j: usize) -> bool {
        self.numeric.get(j).copied().unwrap_or(false)
    }

    /// GitHub-flavoured Markdown (caption as a bold line, notes in italics below).
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        if !self.caption.is_empty() {
            let _ = writeln!(s, "**{}**\n", self.caption);
        }
        let _ = writeln!(
            s,
            "| {} |",
            self.header
                .iter()
                .map(|h| md_cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let _ = writeln!(
            s,
            "|{}|",
            (0..self.header.len())
                .map(|j| if self.is_numeric(j) { "---:" } else { "---" })
                .collect::<Vec<_>>()
                .join("|")
        );
        for row in &self.rows {
            let _ = writeln!(
                s,
                "| {} |",
                row.iter()
                    .map(|c| md_cell(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
        }
        for n in &self.notes {
            let _ = writeln!(s, "\n*{}*", n.trim());
        }
        s
    }

    /// A LaTeX `table` with booktabs rules.
    pub fn to_latex(&self) -> String {
        let mut s = String::new();
        let cols: String = (0..self.header.len())
            .map(|j| if self.is_numeric(j) { 'r' } else { 'l' })
            .collect();
        let _ = writeln!(s, "\\begin{{table}}[htbp]\n\\centering");
        if !self.caption.is_empty() {
            let _ = writeln!(s, "\\caption{{{}}}", latex_escape(&self.caption));
        }
        let _ = writeln!(s, "\\begin{{tabular}}{{{cols}}}\n\\toprule");
        let _ = writeln!(
            s,
            "{} \\\\\n\\midrule",
            self.header
                .iter()
                .map(|h| latex_escape(h))
                .collect::<Vec<_>>()
                .join(" & ")
        );
        for row in &self.rows {
            let _ = writeln!(
                s,
                "{} \\\\",
                row.iter()
                    .map(|c| latex_escape(c))
                    .collect::<Vec<_>>()
                    .join(" & ")
            );
        }
        let _ = writeln!(s, "\\bottomrule\n\\end{{tabular}}");
        for n in &self.notes {
            let _ = writeln!(s, "\\par\\footnotesize {}", latex_escape(n.trim()));
        }
        let _ = writeln!(s, "\\end{{table}}");
        s
    }

    /// CSV: header and rows only.
    pub fn to_csv(&self) -> String {
        let mut s = String::new();
        let line = |cells: &[String]| {
            cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(",")
        };
        let _ = writeln!(s, "{}", line(&self.header));
        for row in &self.rows {
            let _ = writeln!(s, "{}", line(row));
        }
        s
    }

    /// An HTML `<table>`.
    pub fn to_html(&self) -> String {
        let mut s = String::from("<div class=\"table-wrap\"><table>\n");
        if !self.caption.is_empty() {
            let _ = writeln!(s, "<caption>{}</caption>", html_inline(&self.caption));
        }
        s.push_str("<thead><tr>");
        for (j, h) in self.header.iter().enumerate() {
            let class = if self.is_numeric(j) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(s, "<th{class}>{}</th>", html_escape(h));
        }
        s.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            s.push_str("<tr>");
            for (j, c) in row.iter().enumerate() {
                let class = if self.is_numeric(j) {
                    " class=\"num\""
                } else {
                    ""
                };
                let _ = write!(s, "<td{class}>{}</td>", html_escape(c));
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody></table>\n");
        for n in &self.notes {
            let _ = writeln!(s, "<p class=\"note\">{}</p>", html_inline(n.trim()));
        }
        s.push_str("</div>\n");
        s
    }
}

/// A figure: files under `figures/` and a caption.
#[derive(Debug, Clone)]
pub struct Figure {
    /// File stem under `figures/`.
    pub stem: String,
    /// Caption.
    pub caption: String,
    /// PNG bytes for embedding in HTML (None: link to the SVG).
    pub png: Option<Vec<u8>>,
    /// SVG text (used in HTML when no PNG was rendered).
    pub svg: Option<String>,
}

/// One block of the document.
#[derive(Debug, Clone)]
pub enum Block {
    /// Heading of level 1–3.
    Heading(u8, String),
    /// Paragraph (`**bold**` allowed).
    Paragraph(String),
    /// Bulleted list.
    List(Vec<String>),
    /// Table.
    Table(Table),
    /// Figure.
    Figure(Figure),
    /// A highlighted notice (e.g. the synthetic-data warning).
    Notice(String),
}

/// A report: a title and blocks.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Title.
    pub title: String,
    /// Content.
    pub blocks: Vec<Block>,
}

const CSS: &str = r#"
:root { --ink: #1d2733; --muted: #5b6675; --rule: #d5dbe3; --accent: #0a5c8c; --warn: #8a4b00; --warnbg: #fff4e0; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       max-width: 1040px; margin: 0 auto; padding: 28px 32px 64px; line-height: 1.5; font-size: 16px; background: #fff; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 0.6rem; color: var(--accent); }
h2 { font-size: 1.35rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 0.4rem; }
p, li { max-width: 72ch; }
.notice { background: var(--warnbg); color: var(--warn); border-left: 5px solid #e69f00; padding: 10px 14px; margin: 1rem 0; font-weight: 600; }
.table-wrap { overflow-x: auto; margin: 0.8rem 0 1.4rem; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 50%; }
caption { text-align: left; font-weight: 700; padding: 0 0 6px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); text-align: left; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #f7f9fb; }
.note { color: var(--muted); font-size: 0.82rem; margin: 4px 0; max-width: none; }
figure { margin: 1.2rem 0 2rem; page-break-inside: avoid; break-inside: avoid; }
figure img, figure svg { width: 100%; height: auto; border: 1px solid var(--rule); }
code { font-family: "Noto Sans Mono", Consolas, monospace; font-size: 0.88em; background: #f1f4f7; padding: 0 3px; border-radius: 3px; overflow-wrap: anywhere; }
figcaption { color: var(--muted); font-size: 0.88rem; margin-top: 4px; }
nav.toc { background: #f4f7fa; padding: 8px 16px; border-radius: 4px; font-size: 0.92rem; }
nav.toc ol { margin: 4px 0; padding-left: 1.3rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .table-wrap { overflow: visible; }
  table { page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
}
"#;

fn anchor(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

impl Document {
    /// Markdown; figures link to `figures/<stem>.svg` (or `.png`).
    pub fn to_markdown(&self, figure_ext: &str) -> String {
        let mut s = format!("# {}\n\n", self.title);
        for b in &self.blocks {
            match b {
                Block::Heading(level, text) => {
                    let _ = writeln!(s, "{} {text}\n", "#".repeat(*level as usize + 1));
                }
                Block::Paragraph(p) => {
                    let _ = writeln!(s, "{p}\n");
                }
                Block::Notice(p) => {
                    let _ = writeln!(s, "> **{p}**\n");
                }
                Block::List(items) => {
                    for i in items {
                        let _ = writeln!(s, "- {i}");
                    }
                    s.push('\n');
                }
                Block::Table(t) => {
                    let _ = writeln!(s, "{}", t.to_markdown());
                }
                Block::Figure(f) => {
                    let _ = writeln!(
                        s,
                        "![{}](figures/{}.{figure_ext})\n\n*{}*\n",
                        f.caption, f.stem, f.caption
                    );
                }
            }
        }
        s
    }

    /// A self-contained HTML page: CSS inline, figures embedded (PNG as base64, else inline SVG).
    pub fn to_html(&self) -> String {
        use base64::Engine;
        let mut body = String::new();
        let mut toc = Vec::new();
        for b in &self.blocks {
            match b {
                Block::Heading(level, text) => {
                    let id = anchor(text);
                    if *level == 1 {
                        toc.push((id.clone(), text.clone()));
                    }
                    let _ = writeln!(
                        body,
                        "<h{l} id=\"{id}\">{}</h{l}>",
                        html_escape(text),
                        l = level + 1
                    );
                }
                Block::Paragraph(p) => {
                    let _ = writeln!(body, "<p>{}</p>", html_inline(p));
                }
                Block::Notice(p) => {
                    let _ = writeln!(body, "<div class=\"notice\">{}</div>", html_inline(p));
                }
                Block::List(items) => {
                    body.push_str("<ul>\n");
                    for i in items {
                        let _ = writeln!(body, "<li>{}</li>", html_inline(i));
                    }
                    body.push_str("</ul>\n");
                }
                Block::Table(t) => body.push_str(&t.to_html()),
                Block::Figure(f) => {
                    body.push_str("<figure>\n");
                    if let Some(png) = &f.png {
                        let b64 = base64::engine::general_purpose::STANDARD.encode(png);
                        let _ = writeln!(
                            body,
                            "<img alt=\"{}\" src=\"data:image/png;base64,{b64}\">",
                            html_escape(&f.caption)
                        );
                    } else if let Some(svg) = &f.svg {
                        let start = svg.find("<svg").unwrap_or(0);
                        body.push_str(&svg[start..]);
                    }
                    let _ = writeln!(
                        body,
                        "<figcaption>{}</figcaption>\n</figure>",
                        html_escape(&f.caption)
                    );
                }
            }
        }
        let mut nav = String::from("<nav class=\"toc\"><strong>Contents</strong><ol>");
        for (id, text) in &toc {
            let _ = write!(nav, "<li><a href=\"#{id}\">{}</a></li>", html_escape(text));
        }
        nav.push_str("</ol></nav>\n");
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{title}</h1>\n{nav}{body}</body>\n</html>\n",
            title = html_escape(&self.title)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            caption: "Uptake by sex".into(),
            header: vec!["Group".into(), "Share, %".into()],
            rows: vec![
                vec!["Men, all".into(), "51.2".into()],
                vec!["A|B".into(), "4".into()],
            ],
            numeric: vec![false, true],
            notes: vec!["Weighted.".into()],
        }
    }

    #[test]
    fn table_renders_in_every_format() {
        let t = table();
        let md = t.to_markdown();
        assert!(md.contains("| Group | Share, % |") && md.contains("|---|---:|"));
        assert!(md.contains("A\\|B"));
        assert!(
            t.to_csv()
                .starts_with("Group,\"Share, %\"\n\"Men, all\",51.2\n")
        );
        let tex = t.to_latex();
        assert!(tex.contains("Share, \\% \\\\") && tex.contains("\\toprule"));
        assert!(t.to_html().contains("<td class=\"num\">51.2</td>"));
    }

    #[test]
    fn html_is_escaped_and_self_contained() {
        let doc = Document {
            title: "A <b> & c".into(),
            blocks: vec![
                Block::Heading(1, "Findings".into()),
                Block::Paragraph("x **bold** < y".into()),
            ],
        };
        let html = doc.to_html();
        assert!(html.contains("<title>A &lt;b&gt; &amp; c</title>"));
        assert!(html.contains("x <strong>bold</strong> &lt; y"));
        let doc = Document {
            title: String::new(),
            blocks: vec![Block::Paragraph("run `egov ~ dsi`".into())],
        };
        assert!(doc.to_html().contains("run <code>egov ~ dsi</code>"));
        assert!(html.contains("@media print"));
        assert!(!html.contains("http://") && !html.contains("https://"));
    }
}
