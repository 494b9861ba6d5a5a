//! QR codes for windows: the bare code as SVG and PNG, a labelled card (hall, window,
//! department) as SVG and PNG, and a printable A4 sheet of cards per hall as HTML.
//!
//! The symbol is encoded by the `qrcode` crate (its SVG renderer only, so no `image`
//! dependency); PNGs are the same SVG rasterised by resvg, as charts are. Error correction is
//! level M (15 %): a URL of ~60 characters stays at version 3–4, so modules are over 1 mm wide
//! on a 45 mm print and a scuffed card still scans.

mod card;
mod sheet;

pub use card::{QrCard, render_qr_card_png, render_qr_card_svg};
pub use sheet::{QR_SHEET_TEMPLATE, QrOptions, QrSheet, render_qr_sheet_html};

use qrcode::{EcLevel, QrCode};

use crate::chart::{Png, rasterize};
use crate::error::DocumentError;

/// Light modules around the symbol, as the standard requires.
const QUIET_ZONE: u32 = 4;

/// An encoded symbol: its drawing in module units, quiet zone included.
pub(crate) struct Symbol {
    /// Modules across, quiet zone included.
    pub size: u32,
    /// The drawing (background rect and one path of dark modules) without the root element.
    pub body: String,
}

impl Symbol {
    pub fn encode(data: &str) -> Result<Self, DocumentError> {
        let code =
            QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).map_err(|e| {
                DocumentError::Qr(format!(
                    "{e}(内容 {} 字节,二维码最多容纳约 2300 字节)",
                    data.len()
                ))
            })?;
        let svg = code
            .render::<qrcode::render::svg::Color>()
            .module_dimensions(1, 1)
            .quiet_zone(true)
            .build();
        // The renderer writes `<?xml…?><svg …>BODY</svg>`; the root is replaced by ours so the
        // symbol can be sized, placed and nested.
        let start = svg
            .find("<svg")
            .and_then(|i| svg[i..].find('>').map(|j| i + j + 1));
        let end = svg.rfind("</svg>");
        let (Some(start), Some(end)) = (start, end) else {
            return Err(DocumentError::Qr("二维码库输出的 SVG 无法识别".into()));
        };
        let size = u32::try_from(code.width()).unwrap_or(u32::MAX) + 2 * QUIET_ZONE;
        Ok(Self {
            size,
            body: svg[start..end].to_string(),
        })
    }

    /// An `<svg>` element of `px` × `px` at (`x`, `y`); without a position it is a root.
    pub fn element(&self, px: f64, at: Option<(f64, f64)>) -> String {
        let (head, place) = match at {
            None => (
                r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1""#,
                String::new(),
            ),
            Some((x, y)) => ("<svg", format!(r#" x="{x}" y="{y}""#)),
        };
        format!(
            r#"{head}{place} width="{px}" height="{px}" viewBox="0 0 {s} {s}" shape-rendering="crispEdges">{body}</svg>"#,
            s = self.size,
            body = self.body
        )
    }
}

/// Modules across the QR code of `data`, quiet zone included: a PNG of width W has
/// `W / qr_modules` pixels per module.
pub fn qr_modules(data: &str) -> Result<u32, DocumentError> {
    Ok(Symbol::encode(data)?.size)
}

/// The QR code of `data` as a standalone SVG file, `module_px` CSS pixels per module.
pub fn qr_svg(data: &str, module_px: u32) -> Result<String, DocumentError> {
    let symbol = Symbol::encode(data)?;
    let px = f64::from(symbol.size * module_px.max(1));
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        symbol.element(px, None)
    ))
}

/// The QR code of `data` as PNG, `module_px` pixels per module (whole pixels, so every
/// module edge is sharp). No font is needed.
pub fn qr_png(data: &str, module_px: u32) -> Result<Png, DocumentError> {
    let svg = qr_svg(data, module_px)?;
    // A drawing without text: resvg needs no font database.
    rasterize(&svg, &resvg::usvg::Options::default(), 1.0).map_err(DocumentError::Qr)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes every QR code rqrr finds in a PNG.
    pub(crate) fn decode_png(png: &[u8]) -> Vec<String> {
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(png).unwrap();
        let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
        let pixels = pixmap.pixels();
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            let p = pixels[y * w + x].demultiply();
            // Transparent counts as white paper.
            if p.alpha() < 128 {
                255
            } else {
                ((u16::from(p.red()) + u16::from(p.green()) + u16::from(p.blue())) / 3) as u8
            }
        });
        img.detect_grids()
            .iter()
            .map(|g| g.decode().unwrap().1)
            .collect()
    }

    const URL: &str = "https://zwfw.wuhai.gov.cn/q/Xq3v_9kLmN0pQrStUvWx-Y";

    #[test]
    fn the_png_decodes_back_to_the_url() {
        let png = qr_png(URL, 6).unwrap();
        let symbol = Symbol::encode(URL).unwrap();
        assert_eq!(png.width, symbol.size * 6);
        assert_eq!(decode_png(&png.data), vec![URL.to_string()]);
    }

    #[test]
    fn the_svg_is_sized_in_modules_with_the_quiet_zone() {
        let svg = qr_svg(URL, 8).unwrap();
        let symbol = Symbol::encode(URL).unwrap();
        // 54 bytes at level M need version 4: 33 modules, 41 with the quiet zone.
        assert_eq!(symbol.size, 41);
        assert!(
            svg.contains(r#"width="328" height="328" viewBox="0 0 41 41""#),
            "{svg}"
        );
        assert!(svg.contains("<path") && svg.ends_with("</svg>\n"));
        assert_eq!(svg.matches("<svg").count(), 1);
    }

    #[test]
    fn modules_are_drawn_without_antialiasing() {
        let png = qr_png(URL, 4).unwrap();
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png.data).unwrap();
        let grey = pixmap
            .pixels()
            .iter()
            .filter(|p| !matches!(p.red(), 0 | 255))
            .count();
        assert_eq!(grey, 0, "only black and white pixels");
    }

    #[test]
    fn data_beyond_the_capacity_is_refused_with_its_size() {
        let long = "x".repeat(4000);
        let msg = qr_svg(&long, 4).unwrap_err().to_string();
        assert!(
            msg.contains("无法生成二维码") && msg.contains("4000 字节"),
            "{msg}"
        );
    }
}
