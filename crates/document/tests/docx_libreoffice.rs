//! The DOCX opens in LibreOffice and prints as GB/T 9704-2012 lays out: A4, text inside the
//! 版心, 22 lines of 28 characters, page numbers at the outer corners, and every figure of
//! the document in the PDF's text. Pages are kept as PNG under `target/tmp/document/` for a
//! person to look at.

mod common;

use std::process::Command;

use common::{
    docx_to_pdf, have, have_cjk_font, output_dir, pdf_info, pdf_text, pdf_words, run,
    sample::sample,
};
use jianping_document::{Block, Document, DocxOptions, FontSearch, Paragraph, write_docx};

const MM: f64 = 72.0 / 25.4;

fn tools() -> bool {
    have("soffice") && have("pdftotext") && have("pdfinfo")
}

#[test]
fn sample_opens_in_libreoffice_with_its_figures_and_layout() {
    if !tools() || !have_cjk_font() {
        return;
    }
    let dir = output_dir("libreoffice");
    let docx = dir.join("sample.docx");
    write_docx(&sample(), &docx, &DocxOptions::default()).unwrap();
    let pdf = docx_to_pdf(&docx);

    let info = pdf_info(&pdf);
    assert!(
        info["Page size"].contains("(A4)"),
        "{:?}",
        info["Page size"]
    );
    let pages: u32 = info["Pages"].parse().unwrap();
    assert!(pages >= 5, "{pages} pages");

    let text: String = pdf_text(&pdf, None, false).split_whitespace().collect();
    for figure in [
        "乌海市2023年政务服务监督评价报告",
        "236780条",
        "65138",
        "157203",
        "14439",
        "99.88%",
        "98.69%",
        "48.39%",
        "表1政务服务“好差评”分层级情况",
        "图2月度评价数与差评数",
        "2023年10月31日",
    ] {
        assert!(text.contains(figure), "{figure} missing from the PDF text");
    }

    // the report's first page (after the one-page cover) stays inside the 版心
    let words = pdf_words(&pdf, 2);
    let body: Vec<_> = words
        .iter()
        .filter(|w| w.3 < 297.0 * MM - 30.0 * MM)
        .collect();
    let left = body.iter().map(|w| w.0).fold(f64::MAX, f64::min);
    // Chinese typesetting lets a closing punctuation mark hang past the line end (Word's
    // 允许标点溢出边界, on by default); only text proper must stay inside.
    let hanging =
        |w: &&&(f64, f64, f64, f64, String)| w.4.chars().all(|c| "、,。;:!?)》”".contains(c));
    let right = body
        .iter()
        .filter(|w| !hanging(w))
        .map(|w| w.2)
        .fold(0.0, f64::max);
    let top = body.iter().map(|w| w.1).fold(f64::MAX, f64::min);
    assert!(
        (left - 28.0 * MM).abs() < 1.5,
        "left edge at {:.1} mm",
        left / MM
    );
    assert!(
        right <= (210.0 - 26.0) * MM + 1.0,
        "right edge at {:.1} mm",
        right / MM
    );
    assert!(top >= 37.0 * MM - 2.0, "top at {:.1} mm", top / MM);

    page_numbers_at_outer_corners(&pdf);
    run(Command::new("pdftoppm")
        .args(["-r", "60", "-png"])
        .arg(&pdf)
        .arg(dir.join("page")));
    eprintln!("rendered pages: {}", dir.display());
}

/// "— n —" is right on odd pages and left on even pages, 7 mm or so below the 版心.
fn page_numbers_at_outer_corners(pdf: &std::path::Path) {
    for page in [1u32, 2, 3] {
        let words = pdf_words(pdf, page);
        let number: Vec<_> = words.iter().filter(|w| w.1 > (297.0 - 35.0) * MM).collect();
        let line: String = number.iter().map(|w| w.4.as_str()).collect();
        assert_eq!(line, format!("—{page}—"), "page {page} footer");
        let (x0, x1) = (number[0].0, number.last().unwrap().2);
        if page % 2 == 1 {
            assert!(
                x1 > 160.0 * MM && x1 < (210.0 - 26.0) * MM,
                "odd page {page}: ends at {:.1} mm",
                x1 / MM
            );
        } else {
            assert!(
                x0 < 50.0 * MM && x0 > 28.0 * MM,
                "even page {page}: starts at {:.1} mm",
                x0 / MM
            );
        }
        let top = number[0].1;
        let below = top / MM - (297.0 - 35.0);
        assert!(
            (4.0..12.0).contains(&below),
            "page number {below:.1} mm below the 版心"
        );
    }
}

#[test]
fn a_full_page_holds_22_lines_of_28_characters() {
    if !tools() {
        return;
    }
    let mut doc = Document::new("版心测试");
    // 8 full lines per paragraph (no indent), so page 2 is body text only
    for _ in 0..6 {
        let mut p = Paragraph::body("政务服务监督评价报告满意率好差评".repeat(14));
        p.indent = false;
        doc.push(Block::Paragraph(p));
    }
    let dir = output_dir("grid");
    let docx = dir.join("grid.docx");
    let opts = DocxOptions {
        chart_font: FontSearch {
            path: None,
            dirs: vec![],
        },
        ..DocxOptions::default()
    };
    write_docx(&doc, &docx, &opts).unwrap();
    let pdf = docx_to_pdf(&docx);
    let text = pdf_text(&pdf, Some((2, 2)), true);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('—'))
        .collect();
    assert_eq!(lines.len(), 22, "lines on a full page:\n{text}");
    for l in &lines {
        assert_eq!(
            l.chars().filter(|c| !c.is_whitespace()).count(),
            28,
            "line {l:?}"
        );
    }
}
