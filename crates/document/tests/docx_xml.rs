//! The DOCX's XML carries the GB/T 9704-2012 layout: page, margins, grid, fonts, page
//! numbers, real tables and embedded chart images.

mod common;

use common::{attr_of, docx_part, docx_part_names, have_cjk_font, sample::sample};
use jianping_document::docx::mm_to_twips;
use jianping_document::{Document, DocxOptions, FontSearch, render_docx};

fn without_charts() -> Document {
    let mut doc = sample();
    doc.blocks
        .retain(|b| !matches!(b, jianping_document::Block::Chart(_)));
    doc
}

fn render(doc: &Document) -> Vec<u8> {
    // No chart: no font is needed, so these tests run on any machine.
    let opts = DocxOptions {
        chart_font: FontSearch {
            path: None,
            dirs: vec![],
        },
        ..DocxOptions::default()
    };
    render_docx(doc, &opts).unwrap()
}

#[test]
fn page_is_a4_with_the_standard_margins() {
    let xml = docx_part(&render(&without_charts()), "word/document.xml");
    // A4 = 210 × 297 mm
    assert_eq!(attr_of(&xml, "w:pgSz", "w:w"), "11906");
    assert_eq!(attr_of(&xml, "w:pgSz", "w:h"), "16838");
    // GB/T 9704-2012 §5.2: 上 37 mm, 下 35 mm, 左 28 mm, 右 26 mm
    for (side, mm) in [
        ("w:top", 37.0),
        ("w:bottom", 35.0),
        ("w:left", 28.0),
        ("w:right", 26.0),
    ] {
        assert_eq!(
            attr_of(&xml, "w:pgMar", side),
            mm_to_twips(mm).to_string(),
            "{side}"
        );
    }
    assert_eq!(attr_of(&xml, "w:pgMar", "w:top"), "2098");
}

#[test]
fn grid_has_22_lines_and_body_is_condensed_to_28_characters() {
    let docx = render(&without_charts());
    let xml = docx_part(&docx, "word/document.xml");
    assert_eq!(attr_of(&xml, "w:docGrid", "w:type"), "lines");
    let pitch: i32 = attr_of(&xml, "w:docGrid", "w:linePitch").parse().unwrap();
    let text_height = 16838 - 2098 - 1984;
    assert_eq!(text_height / pitch, 22);
    let styles = docx_part(&docx, "word/styles.xml");
    assert_eq!(
        styles.matches(r#"w:styleId="Normal""#).count(),
        1,
        "one Normal style"
    );
    let spacing: i32 = attr_of(&styles, "w:spacing", "w:val").parse().unwrap();
    let text_width = 11906 - 1587 - 1474;
    assert_eq!(
        text_width / (320 + spacing),
        28,
        "16 pt characters condensed by {spacing} twips"
    );
    assert!(styles.contains(r#"<w:autoSpaceDE w:val="0" />"#));
}

#[test]
fn fonts_follow_the_standard() {
    let xml = docx_part(&render(&without_charts()), "word/document.xml");
    let runs_with = |font: &str, size: u32| {
        xml.split("<w:r>")
            .filter(|r| {
                r.contains(&format!(r#"w:eastAsia="{font}""#))
                    && r.contains(&format!(r#"<w:sz w:val="{size}" />"#))
            })
            .count()
    };
    assert!(
        runs_with("方正小标宋简体", 44) >= 2,
        "title (and notice title) in 2号小标宋"
    );
    assert!(runs_with("仿宋_GB2312", 32) > 10, "body in 3号仿宋_GB2312");
    assert!(runs_with("黑体", 32) >= 3, "一级标题 in 3号黑体");
    assert!(
        runs_with("楷体_GB2312", 32) >= 2,
        "二级标题 in 3号楷体_GB2312"
    );
}

#[test]
fn page_numbers_sit_at_the_outer_corner_of_odd_and_even_pages() {
    let docx = render(&without_charts());
    let settings = docx_part(&docx, "word/settings.xml");
    assert!(
        settings.contains("<w:evenAndOddHeaders"),
        "separate even-page footers switched on"
    );
    let document = docx_part(&docx, "word/document.xml");
    assert!(document.contains(r#"w:type="default""#) && document.contains(r#"w:type="even""#));
    let footers: Vec<String> = docx_part_names(&docx)
        .into_iter()
        .filter(|n| n.starts_with("word/footer"))
        .map(|n| docx_part(&docx, &n))
        .collect();
    assert_eq!(footers.len(), 2);
    let alignments: Vec<String> = footers
        .iter()
        .map(|f| attr_of(f, "w:jc", "w:val"))
        .collect();
    assert!(alignments.contains(&"right".to_string()) && alignments.contains(&"left".to_string()));
    for f in &footers {
        assert!(f.contains("PAGE"), "a PAGE field");
        assert!(f.contains("— ") && f.contains(" —"), "一字线 on both sides");
        assert!(
            f.contains(r#"w:eastAsia="宋体""#) && f.contains(r#"<w:sz w:val="28" />"#),
            "4号宋体"
        );
    }
}

#[test]
fn cover_has_the_red_issuer_mark_and_line() {
    let xml = docx_part(&render(&without_charts()), "word/document.xml");
    assert!(
        xml.contains(r#"<w:color w:val="FF0000" />"#),
        "red 发文机关标志"
    );
    assert!(xml.contains(r#"w:color="FF0000""#), "red separator line");
    assert!(xml.contains("乌政服发〔2023〕1号") && xml.contains("市直各部门："));
    // without a cover there is none of it
    let mut plain = without_charts();
    plain.cover = None;
    let xml = docx_part(&render(&plain), "word/document.xml");
    assert!(!xml.contains("FF0000") && !xml.contains("市直各部门"));
}

#[test]
fn tables_are_word_tables_with_merged_and_repeating_headers() {
    let xml = docx_part(&render(&without_charts()), "word/document.xml");
    assert_eq!(xml.matches("<w:tbl>").count(), 2);
    assert!(
        xml.contains(r#"<w:gridSpan w:val="5" />"#),
        "其中(条) spans five grade columns"
    );
    assert!(
        xml.contains(r#"<w:vMerge w:val="restart" />"#)
            && xml.contains(r#"<w:vMerge w:val="continue" />"#)
    );
    assert_eq!(
        xml.matches("<w:tblHeader />").count(),
        3,
        "2 header rows + 1 header row"
    );
    for figure in ["236780", "157203", "99.88%", "48.39%"] {
        assert!(xml.contains(&format!(">{figure}<")), "{figure} in a cell");
    }
}

#[test]
fn charts_are_embedded_png_images() {
    if !have_cjk_font() {
        return;
    }
    let docx = render_docx(&sample(), &DocxOptions::default()).unwrap();
    let media: Vec<String> = docx_part_names(&docx)
        .into_iter()
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .collect();
    assert_eq!(media.len(), 4, "{media:?}");
    let xml = docx_part(&docx, "word/document.xml");
    assert_eq!(xml.matches("<pic:pic").count(), 4);
    assert!(xml.contains("图3 部门综合得分排名"));
    // images are no wider than the 版心 (11906 − 1587 − 1474 twips, 635 EMU each)
    for extent in xml.split("<wp:extent cx=\"").skip(1) {
        let cx: u64 = extent.split('"').next().unwrap().parse().unwrap();
        assert!(cx <= 8845 * 635, "{cx}");
    }
}

#[test]
fn charts_without_a_cjk_font_fail_with_install_advice() {
    let opts = DocxOptions {
        chart_font: FontSearch {
            path: None,
            dirs: vec![],
        },
        ..DocxOptions::default()
    };
    let err = render_docx(&sample(), &opts).unwrap_err().to_string();
    assert!(
        err.contains("fonts-noto-cjk") && err.contains("中文"),
        "{err}"
    );
}
