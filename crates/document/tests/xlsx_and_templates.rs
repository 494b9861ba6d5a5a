//! XLSX has one sheet per table with numbers kept as numbers; the HTML page template can be
//! overridden from a folder and a broken override names its file and line.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use common::{docx_part, sample::sample};
use jianping_document::{
    Document, HTML_TEMPLATE, HTML_TEMPLATE_SOURCE, HtmlOptions, Templates, render_html_with,
    render_xlsx,
};

#[test]
fn every_table_is_a_sheet_with_numbers_as_numbers() {
    let bytes = render_xlsx(&sample()).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["表1 政务服务“好差评”分层级情况", "表2 12345转办件分类情况"]
    );

    let grades = wb
        .worksheet_range("表1 政务服务“好差评”分层级情况")
        .unwrap();
    // two header rows, then 市本级
    assert_eq!(grades.get((0, 0)), Some(&Data::String("区域层级".into())));
    assert_eq!(grades.get((1, 2)), Some(&Data::String("非常满意".into())));
    assert_eq!(grades.get((2, 0)), Some(&Data::String("市本级".into())));
    assert_eq!(grades.get((2, 1)), Some(&Data::Float(65138.0)));
    let Some(Data::Float(rate)) = grades.get((2, 7)) else {
        panic!("rate is not a number")
    };
    assert!(
        (rate - 65061.0 / 65138.0).abs() < 1e-12,
        "the fraction itself, not rounded text"
    );

    let merged = wb
        .merge_cells_by_sheet_name("表1 政务服务“好差评”分层级情况")
        .unwrap();
    assert!(
        merged.iter().any(|d| d.start == (0, 2) && d.end == (0, 6)),
        "其中(条) over five columns: {merged:?}"
    );

    let sheet = docx_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"ySplit="2""#), "header rows frozen");
    let styles = docx_part(&bytes, "xl/styles.xml");
    assert!(styles.contains("0.00%"), "percent format");
    // the CJK name column is wider than a count column
    let widths: Vec<f64> = sheet
        .split("<col ")
        .skip(1)
        .map(|c| {
            c.split("width=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert!(widths[0] > widths[3] * 1.5, "{widths:?}");
}

#[test]
fn a_document_without_tables_still_gives_a_workbook() {
    let bytes = render_xlsx(&Document::new("无表格")).unwrap();
    let wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), vec!["说明"]);
}

#[test]
fn the_page_template_can_be_overridden_and_a_broken_one_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let custom = HTML_TEMPLATE_SOURCE.replace(
        "<main>",
        "<main><p class=\"bureau\">本页由{{ author }}发布</p>",
    );
    std::fs::write(dir.path().join(HTML_TEMPLATE), custom).unwrap();
    let templates =
        Templates::load(&[(HTML_TEMPLATE, HTML_TEMPLATE_SOURCE)], Some(dir.path())).unwrap();
    let html = render_html_with(&sample(), &HtmlOptions::default(), &templates).unwrap();
    assert!(html.contains("本页由乌海市行政审批和政务服务局发布"));
    assert!(
        html.contains("236780"),
        "figures still come from the document"
    );

    let broken = HTML_TEMPLATE_SOURCE.replacen("{% endif %}", "{% endiff %}", 1);
    let line = 1 + broken[..broken.find("{% endiff %}").unwrap()]
        .matches('\n')
        .count();
    std::fs::write(dir.path().join(HTML_TEMPLATE), broken).unwrap();
    let err =
        Templates::load(&[(HTML_TEMPLATE, HTML_TEMPLATE_SOURCE)], Some(dir.path())).unwrap_err();
    assert_eq!(err.line, Some(line));
    let msg = err.to_string();
    assert!(
        msg.contains("document.html") && msg.contains(&format!("第 {line} 行")),
        "{msg}"
    );
}
