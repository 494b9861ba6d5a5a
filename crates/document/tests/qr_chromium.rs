//! The printable QR sheet in headless Chromium: A4 pages, a new page per hall, no card split
//! across pages or overflowing its box, Chinese drawn by a CJK system font, and every code
//! on the rendered page decodes back to its window's URL. Files stay under
//! `target/tmp/document/qr-sheet/` for a person to look at.

mod common;

use std::path::Path;

use common::{chromium, console_lines, have, output_dir, pdf_info, pdf_text};
use jianping_document::{QrCard, QrOptions, QrSheet, render_qr_sheet_html};

fn card(hall: &str, window: &str, department: Option<&str>, n: usize) -> QrCard {
    QrCard {
        hall: hall.into(),
        window: window.into(),
        department: department.map(Into::into),
        url: format!("https://zwfw.wuhai.example.cn/q/tok{n:02}_aZ-9bY8cX7dW6e"),
    }
}

/// Eight windows in the city centre (two pages), three in a 便民服务站 (one page).
fn sheets() -> Vec<QrSheet> {
    let city = "乌海市政务服务中心";
    let station = "海勃湾区新华街道金海社区便民服务站";
    let mut a: Vec<QrCard> = (1..=7)
        .map(|i| {
            card(
                city,
                &format!("综合受理{i:02}号窗口"),
                Some("乌海市行政审批和政务服务局"),
                i,
            )
        })
        .collect();
    a.push(card(city, "“办不成事”反映窗口", None, 8));
    let b = vec![
        card(
            station,
            "综合服务窗口",
            Some("国家税务总局乌海市海勃湾区税务局"),
            9,
        ),
        card(
            station,
            "社保医保窗口",
            Some("乌海市住房公积金中心乌达分中心"),
            10,
        ),
        card(station, "帮办代办窗口", None, 11),
    ];
    vec![
        QrSheet {
            hall: city.into(),
            cards: a,
        },
        QrSheet {
            hall: station.into(),
            cards: b,
        },
    ]
}

fn write_sheet(dir: &Path) -> std::path::PathBuf {
    let page = dir.join("sheet.html");
    std::fs::write(
        &page,
        render_qr_sheet_html(&sheets(), &QrOptions::default()).unwrap(),
    )
    .unwrap();
    page
}

/// The token part of a card's URL, which pdftotext keeps on one line.
fn token(c: &QrCard) -> &str {
    c.url.rsplit('/').next().unwrap()
}

#[test]
fn printed_sheet_has_a_page_per_six_cards_per_hall_and_no_split_card() {
    if !have("chromium") || !have("pdftotext") {
        return;
    }
    let dir = output_dir("qr-sheet");
    let page = write_sheet(&dir);
    let pdf = dir.join("sheet.pdf");
    let _ = std::fs::remove_file(&pdf);
    let (_, stderr) = chromium(
        &page,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    assert_eq!(console_lines(&stderr), Vec::<&str>::new());
    let info = pdf_info(&pdf);
    assert!(info["Page size"].contains("(A4)"), "{}", info["Page size"]);
    // 8 cards → 2 pages, then the next hall starts a page of its own: 3 pages.
    assert_eq!(info["Pages"], "3");
    let pages: Vec<String> = (1..=3)
        .map(|p| {
            pdf_text(&pdf, Some((p, p)), false)
                .split_whitespace()
                .collect()
        })
        .collect();
    let expected_page = |hall: usize, i: usize| if hall == 0 { i / 6 } else { 2 };
    for (h, sheet) in sheets().iter().enumerate() {
        for (i, c) in sheet.cards.iter().enumerate() {
            let p = expected_page(h, i);
            // The window's name, its department and its URL are on the same page: the card
            // was not split.
            assert!(
                pages[p].contains(&c.window),
                "{} not on page {}",
                c.window,
                p + 1
            );
            assert!(
                pages[p].contains(token(c)),
                "URL of {} not on page {}",
                c.window,
                p + 1
            );
            if let Some(d) = &c.department {
                assert!(pages[p].contains(d.as_str()), "{d} not on page {}", p + 1);
            }
        }
    }
    assert!(
        !pages[1].contains("海勃湾区新华街道金海社区便民服务站"),
        "the second hall starts a new page"
    );
}

#[test]
fn every_code_on_the_screen_decodes_and_no_card_overflows() {
    if !have("chromium") {
        return;
    }
    let dir = output_dir("qr-sheet");
    let html = render_qr_sheet_html(&sheets(), &QrOptions::default()).unwrap();
    // A probe added to a copy only (the sheet itself has no scripts). It counts cards whose
    // content overflows their box, draws three ideographs in the cards' font (with a CJK font
    // they differ, as missing-glyph boxes would not), and lists where each code is on the
    // page. The body is then emptied so that the dumped DOM stays small.
    let probe = r#"<script>
const over = [...document.querySelectorAll('.card')]
  .filter(c => c.scrollHeight > c.clientHeight || c.scrollWidth > c.clientWidth).length;
const family = getComputedStyle(document.querySelector('.window')).fontFamily;
const draw = ch => { const c = document.createElement('canvas'); c.width = c.height = 64;
  const x = c.getContext('2d'); x.font = '48px ' + family; x.fillText(ch, 4, 52); return c.toDataURL(); };
const glyphs = new Set(['窗', '口', '务'].map(draw)).size;
const tofu = draw('窗') === draw('\uE000') ? 'tofu' : 'glyph';
const boxes = [...document.querySelectorAll('.qr')].map(q => { const r = q.getBoundingClientRect();
  return [r.left, r.top + scrollY, r.width].map(Math.round).join(','); }).join(';');
document.title = 'overflow=' + over + ' glyphs=' + glyphs + ' ' + tofu + ' boxes=' + boxes;
document.body.textContent = '';
</script>"#;
    let size = "--window-size=900,3400".to_string();
    let probe_page = dir.join("probe.html");
    std::fs::write(
        &probe_page,
        html.replace("</body>", &format!("{probe}</body>")),
    )
    .unwrap();
    let (dom, _) = chromium(&probe_page, &[size.clone(), "--dump-dom".into()]);
    let title = dom
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or_default();
    let (checks, boxes) = title.split_once(" boxes=").expect(title);
    assert_eq!(
        checks, "overflow=0 glyphs=3 glyph",
        "no card overflows; Chinese is drawn"
    );

    let page = write_sheet(&dir);
    let shot = dir.join("screen.png");
    let _ = std::fs::remove_file(&shot);
    chromium(
        &page,
        &[
            size,
            "--force-device-scale-factor=2".into(),
            format!("--screenshot={}", shot.display()),
        ],
    );
    let png = std::fs::read(&shot).expect("screenshot");
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    let cards: Vec<QrCard> = sheets().into_iter().flat_map(|s| s.cards).collect();
    let boxes: Vec<Vec<u32>> = boxes
        .split(';')
        .map(|b| b.split(',').map(|n| n.parse().unwrap()).collect())
        .collect();
    assert_eq!(boxes.len(), cards.len());
    // Each card's code, cut out of the screenshot on its own, decodes to that card's URL.
    for (c, b) in cards.iter().zip(&boxes) {
        let decoded = decode_region(&pixmap, b[0] * 2, b[1] * 2, b[2] * 2);
        assert_eq!(decoded, vec![c.url.clone()], "{}", c.window);
    }
    eprintln!("sheet: {}", dir.display());
}

/// The QR codes rqrr finds in the `side` × `side` square at (`x`, `y`) of `pixmap`.
fn decode_region(pixmap: &resvg::tiny_skia::Pixmap, x: u32, y: u32, side: u32) -> Vec<String> {
    let w = pixmap.width() as usize;
    let pixels = pixmap.pixels();
    let side = side as usize;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |dx, dy| {
        let p = pixels[(y as usize + dy) * w + x as usize + dx].demultiply();
        ((u16::from(p.red()) + u16::from(p.green()) + u16::from(p.blue())) / 3) as u8
    });
    img.detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, s)| s))
        .collect()
}
