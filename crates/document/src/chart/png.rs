//! PNG charts: the SVG of [`render_svg`](super::render_svg) rasterised by resvg with a located
//! CJK font.

use std::sync::Arc;

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

use super::font::{CjkFont, FontSearch};
use super::{ChartSpec, render_svg};
use crate::error::{DocumentError, FontError};

/// A rasterised chart.
#[derive(Debug, Clone)]
pub struct Png {
    pub data: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Rasterises charts with one CJK font loaded once.
pub struct ChartRenderer {
    font: CjkFont,
    fontdb: Arc<fontdb::Database>,
}

impl ChartRenderer {
    /// Locates a CJK font; fails with install advice when there is none.
    pub fn new(search: &FontSearch) -> Result<Self, FontError> {
        Ok(Self::with_font(search.locate()?))
    }

    pub fn with_font(font: CjkFont) -> Self {
        let mut db = fontdb::Database::new();
        let source: Arc<dyn AsRef<[u8]> + Send + Sync> = font.data.clone();
        db.load_font_source(fontdb::Source::Binary(source));
        // Every generic family resolves to the CJK font, so whatever the SVG's font stack
        // names, the text is drawn with glyphs that exist.
        db.set_sans_serif_family(font.family.clone());
        db.set_serif_family(font.family.clone());
        db.set_monospace_family(font.family.clone());
        Self {
            font,
            fontdb: Arc::new(db),
        }
    }

    pub fn font(&self) -> &CjkFont {
        &self.font
    }

    /// Draws `spec` at `scale` × its CSS pixel size. Refuses labels the font cannot draw,
    /// so a PNG never shows empty boxes in place of characters.
    pub fn png(&self, spec: &ChartSpec, scale: f32) -> Result<Png, DocumentError> {
        let svg = render_svg(spec)?;
        let mut missing = String::new();
        for text in spec.texts().chain(std::iter::once(spec.title.as_str())) {
            for c in self.font.missing_chars(text).chars() {
                if !missing.contains(c) {
                    missing.push(c);
                }
            }
        }
        if !missing.is_empty() {
            return Err(FontError::MissingGlyphs {
                family: self.font.family.clone(),
                path: self.font.path.clone(),
                missing,
            }
            .into());
        }
        self.svg_to_png(&svg, scale)
            .map_err(|reason| DocumentError::Chart {
                chart: spec.title.clone(),
                reason,
            })
    }

    /// Rasterises any SVG text with this renderer's font.
    pub fn svg_to_png(&self, svg: &str, scale: f32) -> Result<Png, String> {
        let options = usvg::Options {
            font_family: self.font.family.clone(),
            fontdb: self.fontdb.clone(),
            languages: vec!["zh-CN".into()],
            ..usvg::Options::default()
        };
        rasterize(svg, &options, scale)
    }
}

pub(crate) fn rasterize(svg: &str, options: &usvg::Options<'_>, scale: f32) -> Result<Png, String> {
    let tree = usvg::Tree::from_str(svg, options).map_err(|e| format!("SVG 解析失败:{e}"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("图表尺寸无效")?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("图表尺寸无效")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let data = pixmap
        .encode_png()
        .map_err(|e| format!("PNG 编码失败:{e}"))?;
    Ok(Png {
        data,
        width: size.width(),
        height: size.height(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{ChartKind, Series};

    fn renderer() -> Option<ChartRenderer> {
        match ChartRenderer::new(&FontSearch::system()) {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("SKIPPED (no CJK font; CI installs fonts-noto-cjk): {e}");
                None
            }
        }
    }

    fn label_only_svg(text: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><text x="10" y="40" font-size="28" font-family="sans-serif">{text}</text></svg>"#
        )
    }

    /// Counts pixels that are not transparent.
    fn inked(png: &[u8]) -> usize {
        let pixmap = tiny_skia::Pixmap::decode_png(png).unwrap();
        pixmap.pixels().iter().filter(|p| p.alpha() > 0).count()
    }

    #[test]
    fn chinese_labels_become_glyph_outlines() {
        let Some(r) = renderer() else { return };
        let svg = label_only_svg("政务服务满意率");
        let outline_width = |fontdb: Arc<fontdb::Database>| {
            let options = usvg::Options {
                fontdb,
                ..usvg::Options::default()
            };
            let tree = usvg::Tree::from_str(&svg, &options).unwrap();
            tree.root()
                .children()
                .iter()
                .filter_map(|n| match n {
                    // usvg converts text to glyph outlines; without a font there are none.
                    usvg::Node::Text(t) => Some(t.flattened().abs_bounding_box().width()),
                    _ => None,
                })
                .sum::<f32>()
        };
        // 7 ideographs at 28 px advance about 7 × 28 = 196 px.
        let w = outline_width(r.fontdb.clone());
        assert!((180.0..=200.0).contains(&w), "outline width {w}");
        assert_eq!(outline_width(Arc::new(fontdb::Database::new())), 0.0);
    }

    #[test]
    fn glyphs_are_drawn_and_not_without_the_font() {
        let Some(r) = renderer() else { return };
        let svg = label_only_svg("政务服务满意率");
        let with_font = r.svg_to_png(&svg, 1.0).unwrap();
        let empty = usvg::Options::default(); // no fonts at all
        let without = rasterize(&svg, &empty, 1.0).unwrap();
        let (a, b) = (inked(&with_font.data), inked(&without.data));
        // 7 ideographs at 28 px cover well over a thousand pixels.
        assert!(a > 1500, "with font: {a} inked pixels");
        assert_eq!(
            b, 0,
            "without a font nothing (and in particular no box) is drawn"
        );
    }

    #[test]
    fn chart_png_has_the_scaled_size_and_refuses_uncovered_text() {
        let Some(r) = renderer() else { return };
        let spec = ChartSpec::new(
            "分类",
            ChartKind::Bar {
                horizontal: false,
                stacked: false,
            },
            vec!["建议".into(), "求助".into()],
        )
        .series(Series::new("件数", vec![12.0, 15.0]).with_labels(vec!["12".into(), "15".into()]));
        let png = r.png(&spec, 2.0).unwrap();
        assert_eq!(png.width, 1440);
        assert!(png.data.starts_with(b"\x89PNG"));
        let alien = spec
            .clone()
            .series(Series::new("\u{E000}私用区", vec![1.0, 2.0]));
        let msg = r.png(&alien, 1.0).unwrap_err().to_string();
        assert!(msg.contains("缺少以下字符"), "{msg}");
    }
}
