//! The printable sheet: one section per hall, starting on a new A4 page, with one card per
//! window (two across, three down). One self-contained HTML file: inline CSS and SVG, no
//! scripts, no web fonts; Chinese is drawn by the system's fonts, named by family.

use serde::Serialize;

use super::{QrCard, Symbol};
use crate::error::DocumentError;
use crate::templates::Templates;

pub const QR_SHEET_TEMPLATE: &str = "qr_sheet.html";
const QR_SHEET_SOURCE: &str = include_str!("../../templates/qr_sheet.html");

/// The cards of one hall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QrSheet {
    pub hall: String,
    pub cards: Vec<QrCard>,
}

/// Wording and content of cards and sheets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrOptions {
    /// What the sheet is, after the hall's name in its heading.
    pub heading: String,
    /// The call to action under each code.
    pub caption: String,
    /// Print the URL under the code (for someone whose phone cannot scan).
    pub show_url: bool,
}

impl Default for QrOptions {
    fn default() -> Self {
        Self {
            heading: "窗口二维码".into(),
            caption: "扫码评价服务 · 反映问题".into(),
            show_url: true,
        }
    }
}

#[derive(Serialize)]
struct CardView<'a> {
    hall: &'a str,
    window: &'a str,
    department: Option<&'a str>,
    url: &'a str,
    svg: String,
}

#[derive(Serialize)]
struct HallView<'a> {
    name: &'a str,
    cards: Vec<CardView<'a>>,
}

#[derive(Serialize)]
struct View<'a> {
    title: String,
    heading: &'a str,
    caption: &'a str,
    show_url: bool,
    halls: Vec<HallView<'a>>,
}

/// The sheets of `halls` as one HTML page; each hall starts on a new printed page.
pub fn render_qr_sheet_html(halls: &[QrSheet], opts: &QrOptions) -> Result<String, DocumentError> {
    let mut views = Vec::with_capacity(halls.len());
    for h in halls {
        let mut cards = Vec::with_capacity(h.cards.len());
        for c in &h.cards {
            cards.push(CardView {
                hall: &c.hall,
                window: &c.window,
                department: c.department.as_deref(),
                url: &c.url,
                // Sized by the page's CSS (46 mm); the attribute size is a fallback.
                svg: Symbol::encode(&c.url)?.element(174.0, None),
            });
        }
        views.push(HallView {
            name: &h.hall,
            cards,
        });
    }
    let title = match halls {
        [one] => format!("{} · {}", one.hall, opts.heading),
        _ => format!("{}（{} 个大厅）", opts.heading, halls.len()),
    };
    let view = View {
        title,
        heading: &opts.heading,
        caption: &opts.caption,
        show_url: opts.show_url,
        halls: views,
    };
    let templates = Templates::embedded(&[(QR_SHEET_TEMPLATE, QR_SHEET_SOURCE)])?;
    Ok(templates.render(QR_SHEET_TEMPLATE, &view)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(hall: &str, n: usize) -> QrSheet {
        QrSheet {
            hall: hall.into(),
            cards: (1..=n)
                .map(|i| QrCard {
                    hall: hall.into(),
                    window: format!("综合受理{i:02}号窗口"),
                    department: (i % 2 == 1).then(|| "乌海市公安局".to_string()),
                    url: format!("https://zwfw.example.cn/q/token{i:017}"),
                })
                .collect(),
        }
    }

    #[test]
    fn one_card_per_window_with_its_names_and_code() {
        let html =
            render_qr_sheet_html(&[sheet("乌海市政务服务中心", 3)], &QrOptions::default()).unwrap();
        assert_eq!(html.matches(r#"<div class="card">"#).count(), 3);
        assert_eq!(html.matches("<svg").count(), 3);
        assert_eq!(html.matches(r#"<div class="department">"#).count(), 2);
        assert!(html.contains("<title>乌海市政务服务中心 · 窗口二维码</title>"));
        assert!(html.contains("综合受理03号窗口") && html.contains("token00000000000000003"));
        assert!(html.contains("size: A4") && html.contains("break-inside: avoid"));
        for external in ["<script", "http://fonts", "@import", "<link", "url("] {
            assert!(!html.contains(external), "{external}");
        }
    }

    #[test]
    fn names_are_escaped_and_every_hall_after_the_first_starts_a_page() {
        let mut a = sheet("A<大厅>", 1);
        a.cards[0].window = "<b>窗口</b>".into();
        let html = render_qr_sheet_html(&[a, sheet("B", 0)], &QrOptions::default()).unwrap();
        assert!(
            html.contains("&lt;b&gt;窗口&lt;&#x2f;b&gt;")
                || html.contains("&lt;b&gt;窗口&lt;/b&gt;"),
            "{html}"
        );
        assert!(!html.contains("<b>窗口"));
        assert_eq!(html.matches(r#"<section class="hall">"#).count(), 2);
        assert!(html.contains(".hall + .hall { break-before: page; }"));
        assert!(html.contains("该大厅没有窗口"));
        assert!(html.contains("<title>窗口二维码（2 个大厅）</title>"));
    }
}
