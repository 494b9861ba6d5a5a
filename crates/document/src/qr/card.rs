//! One window's card as a standalone SVG (and PNG): hall, window and department names above
//! the code, the call to action and the URL below it. Long names shrink, then wrap, so a
//! 便民服务站 name of twenty characters still fits.

use serde::Serialize;

use super::{QrOptions, Symbol};
use crate::chart::scale::{text_width, wrap};
use crate::chart::svg::{FONT_STACK, esc};
use crate::chart::{ChartRenderer, Png};
use crate::error::{DocumentError, FontError};

/// What one card shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QrCard {
    pub hall: String,
    pub window: String,
    /// A 综合受理 window serving many departments may have none.
    pub department: Option<String>,
    /// What the code encodes (`{public_url}/q/{token}`), also printed under it.
    pub url: String,
}

const WIDTH: f64 = 360.0;
const PAD: f64 = 20.0;
const QR_PX: f64 = 260.0;
/// Average advance of URL characters in the sans fonts, in em (Latin is narrower than CJK;
/// the same estimate as `text_width`, measured ~0.52 em with Noto Sans CJK).
const URL_EM: f64 = 0.56;

/// A line of text: font size and the lines it takes.
struct Fitted {
    size: f64,
    lines: Vec<String>,
}

/// `text` at `size`, shrunk down to `min` to stay on one line, wrapped onto two at `min`
/// when even that is too wide.
fn fit(text: &str, size: f64, min: f64, width: f64) -> Fitted {
    let mut s = size;
    while s > min && text_width(text, s) > width {
        s -= 1.0;
    }
    let lines = if text_width(text, s) > width {
        wrap(text, s, width, 2)
    } else {
        vec![text.to_string()]
    };
    Fitted { size: s, lines }
}

/// The URL broken anywhere (it has no spaces) into lines of equal length.
fn url_lines(url: &str, size: f64, width: f64) -> Vec<String> {
    let per_line = ((width / (size * URL_EM)).floor() as usize).max(8);
    let chars: Vec<char> = url.chars().collect();
    chars.chunks(per_line).map(|c| c.iter().collect()).collect()
}

struct Layout {
    out: String,
    y: f64,
}

impl Layout {
    fn text(&mut self, f: &Fitted, weight: &str, fill: &str) {
        for line in &f.lines {
            self.y += f.size * 1.25;
            self.out.push_str(&format!(
                r#"<text x="{x}" y="{y:.1}" text-anchor="middle" font-size="{s}" font-weight="{weight}" fill="{fill}">{t}</text>"#,
                x = WIDTH / 2.0,
                y = self.y,
                s = f.size,
                t = esc(line)
            ));
        }
    }
}

/// The card as a standalone SVG, 360 CSS px wide; its height follows from the text.
pub fn render_qr_card_svg(card: &QrCard, opts: &QrOptions) -> Result<String, DocumentError> {
    let symbol = Symbol::encode(&card.url)?;
    let inner = WIDTH - 2.0 * PAD;
    let mut l = Layout {
        out: String::new(),
        y: PAD - 4.0,
    };
    l.text(&fit(&card.hall, 15.0, 11.0, inner), "normal", "#555555");
    l.y += 4.0;
    l.text(&fit(&card.window, 26.0, 16.0, inner), "bold", "#111111");
    if let Some(d) = &card.department {
        l.y += 2.0;
        l.text(&fit(d, 16.0, 11.0, inner), "normal", "#333333");
    }
    l.y += 10.0;
    let qr = symbol.element(QR_PX, Some(((WIDTH - QR_PX) / 2.0, l.y)));
    l.out.push_str(&qr);
    l.y += QR_PX + 4.0;
    l.text(&fit(&opts.caption, 17.0, 12.0, inner), "bold", "#111111");
    if opts.show_url {
        let lines = url_lines(&card.url, 10.0, inner);
        l.text(&Fitted { size: 10.0, lines }, "normal", "#666666");
    }
    let h = (l.y + PAD + 4.0).ceil();
    let label = esc(&format!("{} {}", card.hall, card.window));
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{f}" role="img" aria-label="{label}"><title>{label}</title><rect x="0.5" y="0.5" width="{rw}" height="{rh}" rx="10" fill="#ffffff" stroke="#9a9a9a"/>{body}</svg>"##,
        w = WIDTH,
        rw = WIDTH - 1.0,
        rh = h - 1.0,
        f = FONT_STACK,
        body = l.out
    ))
}

/// The card as PNG, `scale` × its CSS size, drawn with the renderer's CJK font. Refuses
/// text the font cannot draw rather than printing empty boxes on a card.
pub fn render_qr_card_png(
    renderer: &ChartRenderer,
    card: &QrCard,
    opts: &QrOptions,
    scale: f32,
) -> Result<Png, DocumentError> {
    let font = renderer.font();
    let mut missing = String::new();
    let texts = [
        Some(card.hall.as_str()),
        Some(card.window.as_str()),
        card.department.as_deref(),
        Some(opts.caption.as_str()),
        Some(card.url.as_str()),
    ];
    for text in texts.into_iter().flatten() {
        for c in font.missing_chars(text).chars() {
            if !missing.contains(c) {
                missing.push(c);
            }
        }
    }
    if !missing.is_empty() {
        return Err(FontError::MissingGlyphs {
            family: font.family.clone(),
            path: font.path.clone(),
            missing,
        }
        .into());
    }
    let svg = render_qr_card_svg(card, opts)?;
    renderer.svg_to_png(&svg, scale).map_err(DocumentError::Qr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FontSearch;

    fn card() -> QrCard {
        QrCard {
            hall: "海勃湾区新华街道金海社区便民服务站综合服务大厅第二分厅（临时）".into(),
            window: "综合受理01号窗口".into(),
            department: Some("乌海市行政审批和政务服务局".into()),
            url: "https://zwfw.wuhai.gov.cn/q/Xq3v_9kLmN0pQrStUvWx-Y".into(),
        }
    }

    #[test]
    fn long_names_shrink_then_wrap_within_the_card() {
        let inner = WIDTH - 2.0 * PAD;
        let f = fit("综合受理01号窗口", 26.0, 16.0, inner);
        assert_eq!(
            (f.size, f.lines.len()),
            (26.0, 1),
            "a short name keeps its size"
        );
        let f = fit(&card().hall, 15.0, 11.0, inner);
        assert!(
            f.size == 11.0 && f.lines.len() == 2,
            "{} {:?}",
            f.size,
            f.lines
        );
        assert!(f.lines.iter().all(|l| text_width(l, f.size) <= inner));
        let lines = url_lines(&card().url, 10.0, inner);
        assert_eq!(lines.concat(), card().url);
    }

    #[test]
    fn the_card_svg_names_hall_window_and_department_and_escapes_them() {
        let mut c = card();
        c.window = "A&B<窗口>".into();
        let svg = render_qr_card_svg(&c, &QrOptions::default()).unwrap();
        assert!(svg.contains("A&amp;B&lt;窗口&gt;") && !svg.contains("A&B<"));
        assert!(svg.contains("乌海市行政审批和政务服务局"));
        assert!(svg.contains(&QrOptions::default().caption));
        assert_eq!(
            svg.matches("<svg").count(),
            2,
            "the card and the nested code"
        );
    }

    #[test]
    fn the_card_png_draws_chinese_and_still_decodes() {
        let Ok(renderer) = ChartRenderer::new(&FontSearch::system()) else {
            eprintln!("SKIPPED (no CJK font; CI installs fonts-noto-cjk)");
            return;
        };
        let png = render_qr_card_png(&renderer, &card(), &QrOptions::default(), 2.0).unwrap();
        assert_eq!(png.width, 720);
        assert_eq!(super::super::tests::decode_png(&png.data), vec![card().url]);
        let mut alien = card();
        alien.window = "\u{E000}窗口".into();
        let msg = render_qr_card_png(&renderer, &alien, &QrOptions::default(), 1.0)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("缺少以下字符"), "{msg}");
    }
}
