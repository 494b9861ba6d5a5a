//! The HTML renders in headless Chromium without console messages, fits a phone screen
//! (wide tables scroll inside their own box), and prints on A4 with the 公文 margins and
//! page numbers. Screenshots stay under `target/tmp/document/chromium/` for a person to
//! look at.

mod common;

use std::path::Path;

use common::{
    chromium, console_lines, have, output_dir, pdf_info, pdf_text, pdf_words, sample::sample,
};
use jianping_document::{HtmlOptions, render_html};

const MM: f64 = 72.0 / 25.4;

fn write_sample(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("sample.html");
    std::fs::write(
        &path,
        render_html(&sample(), &HtmlOptions::default()).unwrap(),
    )
    .unwrap();
    path
}

#[test]
fn sample_renders_without_console_messages_and_is_screenshotted() {
    if !have("chromium") {
        return;
    }
    let dir = output_dir("chromium");
    let page = write_sample(&dir);
    for (name, size) in [("desktop.png", "1280,2400"), ("phone.png", "390,2400")] {
        let shot = dir.join(name);
        let _ = std::fs::remove_file(&shot);
        let (_, stderr) = chromium(
            &page,
            &[
                format!("--window-size={size}"),
                format!("--screenshot={}", shot.display()),
            ],
        );
        assert_eq!(
            console_lines(&stderr),
            Vec::<&str>::new(),
            "console messages while rendering"
        );
        let png =
            std::fs::read(&shot).unwrap_or_else(|_| panic!("no screenshot {}", shot.display()));
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 20_000,
            "{name}: {} bytes",
            png.len()
        );
    }
    eprintln!("screenshots: {}", dir.display());
}

#[test]
fn the_console_check_catches_errors() {
    if !have("chromium") {
        return;
    }
    let dir = output_dir("chromium-control");
    let page = dir.join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><title>x</title><script>console.error('kaputt'); missing();</script>",
    )
    .unwrap();
    let (_, stderr) = chromium(&page, &["--dump-dom".to_string()]);
    let lines = console_lines(&stderr);
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].contains("kaputt") && lines[1].contains("missing is not defined"));
}

#[test]
fn a_phone_screen_needs_no_sideways_scrolling() {
    if !have("chromium") {
        return;
    }
    let dir = output_dir("chromium-phone");
    let html = render_html(&sample(), &HtmlOptions::default()).unwrap();
    // A probe added to a copy only: the document itself has no scripts.
    let probe = "<script>document.title = 'W' + document.documentElement.scrollWidth + '/' + window.innerWidth \
                 + ' T' + Math.max(...[...document.querySelectorAll('.table-scroll')].map(t => t.scrollWidth - t.clientWidth));</script>";
    let page = dir.join("probe.html");
    std::fs::write(&page, html.replace("</body>", &format!("{probe}</body>"))).unwrap();
    let (dom, _) = chromium(
        &page,
        &["--window-size=390,800".into(), "--dump-dom".into()],
    );
    let title = dom
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    let (page_w, rest) = title.trim_start_matches('W').split_once('/').unwrap();
    let (viewport, table_overflow) = rest.split_once(" T").unwrap();
    assert_eq!(page_w, viewport, "the page is wider than the phone screen");
    let overflow: i32 = table_overflow.parse().unwrap();
    assert!(
        overflow > 0,
        "the wide table scrolls inside its own box ({overflow} px)"
    );
}

#[test]
fn printing_gives_a4_pages_with_margins_and_page_numbers() {
    if !have("chromium") || !have("pdftotext") {
        return;
    }
    let dir = output_dir("chromium-print");
    let page = write_sample(&dir);
    let pdf = dir.join("sample.pdf");
    let _ = std::fs::remove_file(&pdf);
    chromium(
        &page,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let info = pdf_info(&pdf);
    assert!(info["Page size"].contains("(A4)"), "{}", info["Page size"]);
    let text: String = pdf_text(&pdf, None, false).split_whitespace().collect();
    for figure in ["236780", "157203", "99.88%", "48.39%", "—1—", "—2—"] {
        assert!(
            text.contains(figure),
            "{figure} missing from the printed PDF"
        );
    }
    // text starts at the 28 mm left margin; page numbers at the outer corner
    let pages: u32 = info["Pages"].parse().unwrap();
    let left = (1..=pages)
        .flat_map(|p| pdf_words(&pdf, p))
        .map(|w| w.0)
        .fold(f64::MAX, f64::min);
    assert!(
        (left - 28.0 * MM).abs() < 2.0,
        "left margin {:.1} mm",
        left / MM
    );
    // body lines reach the right margin: nothing overflowed and made Chromium shrink the page
    let right = pdf_words(&pdf, 2)
        .iter()
        .filter(|w| w.1 < 262.0 * MM)
        .map(|w| w.2)
        .fold(0.0, f64::max);
    assert!(
        (178.0 * MM..=186.0 * MM).contains(&right),
        "right edge {:.1} mm",
        right / MM
    );
    let number = |p: u32| {
        pdf_words(&pdf, p)
            .into_iter()
            .filter(|w| w.1 > 262.0 * MM)
            .collect::<Vec<_>>()
    };
    assert!(
        number(1).iter().all(|w| w.0 > 105.0 * MM),
        "odd page number on the right"
    );
    assert!(
        number(2).iter().all(|w| w.2 < 105.0 * MM),
        "even page number on the left"
    );
}
