//! Options shared by every chart and the rendered output.

use std::path::{Path, PathBuf};

use crate::error::ChartError;

/// Language of titles, axis texts and notes produced by the crate.
///
/// Category labels (region names, group names) come from the caller and are
/// drawn as given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
    /// Kazakh (Cyrillic script).
    Kk,
}

/// Size, language and texts of one figure.
///
/// `width` and `height` are in layout pixels; the output has
/// `width * scale` by `height * scale` pixels. The default, 900 x 550 at scale
/// 2, gives a 1800 x 1100 PNG: a 6-inch-wide figure at 300 dpi.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartOptions {
    /// Language of the crate's own texts.
    pub lang: Lang,
    /// Width in layout pixels.
    pub width: u32,
    /// Height in layout pixels.
    pub height: u32,
    /// Multiplier from layout pixels to output pixels (2.0 for print).
    pub scale: f64,
    /// Source line under the chart, e.g. "Source: synthetic replica of the 2021 survey".
    pub source_note: Option<String>,
    /// Title; `None` uses the chart's default title in `lang`.
    pub title: Option<String>,
    /// Subtitle under the title.
    pub subtitle: Option<String>,
    /// Embed the Noto Sans font files in the SVG (about 1.4 MB) so that it
    /// renders identically without the font installed.
    pub embed_font_in_svg: bool,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            lang: Lang::En,
            width: 900,
            height: 550,
            scale: 2.0,
            source_note: None,
            title: None,
            subtitle: None,
            embed_font_in_svg: false,
        }
    }
}

impl ChartOptions {
    /// Options in the given language with all other fields at their defaults.
    ///
    /// ```
    /// let opts = egov_charts::ChartOptions::new(egov_charts::Lang::Kk);
    /// assert_eq!(opts.width, 900);
    /// ```
    pub fn new(lang: Lang) -> Self {
        ChartOptions {
            lang,
            ..Default::default()
        }
    }

    pub(crate) fn validate(&self) -> Result<(), ChartError> {
        if !(self.scale.is_finite() && self.scale > 0.0 && self.scale <= 8.0) {
            return Err(ChartError::Options(format!(
                "scale must be in (0, 8], got {}",
                self.scale
            )));
        }
        if self.width < 300 || self.height < 200 || self.width > 4000 || self.height > 4000 {
            return Err(ChartError::Options(format!(
                "width x height must be between 300 x 200 and 4000 x 4000 layout pixels, got {} x {}",
                self.width, self.height
            )));
        }
        Ok(())
    }
}

/// Output formats for [`Rendered::write`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Scalable vector graphics.
    Svg,
    /// Raster PNG at `width * scale` pixels.
    Png,
}

/// One chart in both formats.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    /// The SVG document.
    pub svg: String,
    /// The PNG file contents.
    pub png: Vec<u8>,
    /// Output width in pixels.
    pub width: u32,
    /// Output height in pixels.
    pub height: u32,
}

impl Rendered {
    /// Writes `dir/stem.svg` and/or `dir/stem.png`, creating `dir`, and returns the paths.
    ///
    /// ```
    /// # fn main() -> Result<(), egov_charts::ChartError> {
    /// use egov_charts::{item_map, ChartOptions, Format};
    /// let chart = item_map(&[("Email".into(), -0.5, 1.2), ("Code".into(), 2.0, 1.8)],
    ///                      &ChartOptions { scale: 1.0, ..Default::default() })?;
    /// let dir = std::env::temp_dir().join("egov-charts-doc");
    /// let paths = chart.write(&dir, "item_map", &[Format::Svg])?;
    /// assert!(paths[0].ends_with("item_map.svg"));
    /// # Ok(()) }
    /// ```
    pub fn write(
        &self,
        dir: &Path,
        stem: &str,
        formats: &[Format],
    ) -> Result<Vec<PathBuf>, ChartError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| ChartError::Io(dir.display().to_string(), e.to_string()))?;
        let mut written = Vec::new();
        for format in formats {
            let (ext, bytes): (&str, &[u8]) = match format {
                Format::Svg => ("svg", self.svg.as_bytes()),
                Format::Png => ("png", &self.png),
            };
            let path = dir.join(format!("{stem}.{ext}"));
            std::fs::write(&path, bytes)
                .map_err(|e| ChartError::Io(path.display().to_string(), e.to_string()))?;
            written.push(path);
        }
        Ok(written)
    }
}
