//! Issue 13: a bad row is named by the number a person finds it under — the CSV line an
//! editor shows (header and title rows included), the sheet row Excel or WPS shows — and
//! the rejects file's 原文件行号 says the same. Expected numbers are taken from the written
//! file (the line holding the bad value) or from where the cell was written, not from the
//! importer.

use jianping_ingest::{Importer, Kind, Options, Reject, RejectsWriter};
use std::path::{Path, PathBuf};

const HEADER: &str = "评价编号,部门,行政区划,评价渠道,满意度,评价时间";
const BAD: &str = "很满意";

/// A good data row; the grade column (满意度, the fifth, E) is `grade`.
fn row(i: usize, grade: &str) -> String {
    format!("R{i},乌海市公安局,150300,PC端,{grade},2023-10-31 17:56:51")
}

/// The issue's file: the header on line 1, rows on lines 2..=1001, `很满意` on line 419.
fn issue_lines() -> Vec<String> {
    let mut lines = vec![HEADER.to_string()];
    lines.extend((2..=1001).map(|n| row(n, if n == 419 { BAD } else { "满意" })));
    lines
}

/// The 1-based lines of `text` (split as an editor does: CRLF, LF or CR) holding `needle`.
fn editor_lines_with(text: &str, needle: &str) -> Vec<u64> {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    unified
        .split('\n')
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i as u64 + 1)
        .collect()
}

struct Tmp(tempfile::TempDir);

impl Tmp {
    fn new() -> Tmp {
        Tmp(tempfile::tempdir().unwrap())
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

/// The rejects of a ratings file, and the 原文件行号 of each as its rejects file lists it.
fn rejects_and_listed_rows(path: &Path) -> (Importer, Vec<Reject>, Vec<u64>) {
    let mut imp = Importer::open(path, Kind::Ratings, &Options::default()).unwrap();
    let mut rejects = Vec::new();
    while let Some(c) = imp.next_chunk().unwrap() {
        rejects.extend(c.rejects);
    }
    let out = path.with_extension("rejects.csv");
    let mut w = RejectsWriter::create(&out, imp.header()).unwrap();
    for r in &rejects {
        w.write(r).unwrap();
    }
    w.finish().unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let col = rdr
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "原文件行号")
        .unwrap();
    let listed = rdr
        .records()
        .map(|r| r.unwrap()[col].parse().unwrap())
        .collect();
    (imp, rejects, listed)
}

/// Imports `bytes` and checks the one bad row is reported, and listed, as `line`.
fn assert_bad_row_at(name: &str, bytes: &[u8], line: u64) -> Reject {
    let t = Tmp::new();
    let path = t.file(name, bytes);
    let (_, rejects, listed) = rejects_and_listed_rows(&path);
    assert_eq!(rejects.len(), 1, "{name}: {rejects:?}");
    let r = rejects.into_iter().next().unwrap();
    assert_eq!(r.row, line, "{name}");
    assert_eq!(listed, [line], "{name}: the rejects file");
    let shown = r.lines("f");
    assert!(
        shown[0].starts_with(&format!("f:{line}:满意度: 无法识别的满意度「{BAD}」")),
        "{name}: {shown:?}"
    );
    r
}

#[test]
fn the_issue_file_names_line_419_with_every_line_end() {
    let lines = issue_lines();
    for (name, end) in [("lf.csv", "\n"), ("crlf.csv", "\r\n"), ("mac.csv", "\r")] {
        let text = lines.join(end) + end;
        assert_eq!(editor_lines_with(&text, BAD), [419]);
        let r = assert_bad_row_at(name, text.as_bytes(), 419);
        assert_eq!(r.excel_row, None, "no cell has a line break");
    }
    // Without a line end after the last row, and with the bad row last.
    let mut last = issue_lines();
    last[1000] = row(1001, BAD);
    last[418] = row(419, "满意");
    assert_bad_row_at("end.csv", last.join("\r\n").as_bytes(), 1001);
}

#[test]
fn utf8_with_bom_counts_the_header_as_line_1() {
    let text = format!("\u{feff}{}\r\n", issue_lines().join("\r\n"));
    assert_bad_row_at("bom.csv", text.as_bytes(), 419);
}

#[test]
fn gb18030_as_a_chinese_windows_excel_saves_it() {
    let text = issue_lines().join("\r\n") + "\r\n";
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    assert_bad_row_at("gbk.csv", &gbk, 419);
}

#[test]
fn blank_lines_are_lines() {
    let text = format!(
        "{HEADER}\r\n\r\n{}\r\n\r\n\r\n{}\r\n{}\r\n",
        row(1, "满意"),
        row(2, BAD),
        row(3, "满意")
    );
    assert_eq!(editor_lines_with(&text, BAD), [6]);
    assert_bad_row_at("blank.csv", text.as_bytes(), 6);
}

#[test]
fn a_quoted_cell_on_several_lines_above_the_bad_row() {
    let text = format!(
        "{HEADER},文字评价\r\n{},\"第一行\r\n第二行\n第三行\"\r\n{},\r\n{},\r\n",
        row(1, "满意"),
        row(2, "满意"),
        row(3, BAD)
    );
    // The editor: header 1, R1 on 2–4, R2 on 5, R3 on 6. Excel: R1 is row 2, R3 is row 4.
    assert_eq!(editor_lines_with(&text, BAD), [6]);
    let r = assert_bad_row_at("multi.csv", text.as_bytes(), 6);
    assert_eq!(r.excel_row, Some(4));
    assert!(
        r.lines("f")[0].ends_with("（Excel/WPS 中为第 4 行：上方有单元格内换行）"),
        "{:?}",
        r.lines("f")
    );
}

#[test]
fn a_bad_row_spanning_lines_is_named_by_its_first_line() {
    let text = format!("{HEADER},文字评价\n{},\"两行\n评价\"\n", row(1, BAD));
    let r = assert_bad_row_at("own.csv", text.as_bytes(), 2);
    assert_eq!(r.excel_row, None, "nothing above it spans lines");
}

#[test]
fn title_rows_above_the_header_count() {
    let text = format!(
        "乌海市政务服务好差评数据导出\r\n导出时间：2023-11-01\r\n\r\n{HEADER}\r\n{}\r\n{}\r\n",
        row(1, "满意"),
        row(2, BAD)
    );
    let t = Tmp::new();
    let path = t.file("title.csv", text.as_bytes());
    let imp = Importer::open(&path, Kind::Ratings, &Options::default()).unwrap();
    assert_eq!(imp.header_row(), 4);
    assert!(
        imp.notes()
            .iter()
            .any(|n| n == "跳过了表头之前的 2 行（标题行），表头在第 4 行"),
        "{:?}",
        imp.notes()
    );
    assert_eq!(editor_lines_with(&text, BAD), [6]);
    assert_bad_row_at("title.csv", text.as_bytes(), 6);
}

#[test]
fn a_header_error_names_the_header_line() {
    let t = Tmp::new();
    let path = t.file(
        "h.csv",
        "好差评数据\r\n\r\n评价编号,部门,行政区划,评价渠道,评价时间\r\n".as_bytes(),
    );
    let err = Importer::open(&path, Kind::Ratings, &Options::default())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("第 3 行的表头缺少"), "{err}");
}

/// A workbook with one sheet `评价数据`, the header at (`row0`, `col0`) (0-based, as
/// rust_xlsxwriter counts) and `rows` data rows below; the row at 0-based `bad` has 很满意.
fn workbook(path: &Path, title: bool, row0: u32, col0: u16, rows: u32, bad: u32) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("评价数据").unwrap();
    if title {
        sheet
            .write_string(row0 - 2, col0, "乌海市好差评数据")
            .unwrap();
    }
    for (c, h) in HEADER.split(',').enumerate() {
        sheet.write_string(row0, col0 + c as u16, h).unwrap();
    }
    for r in row0 + 1..=row0 + rows {
        let grade = if r == bad { BAD } else { "满意" };
        let line = row(r as usize, grade);
        for (c, v) in line.split(',').enumerate() {
            sheet.write_string(r, col0 + c as u16, v).unwrap();
        }
    }
    book.save(path).unwrap();
}

#[test]
fn xlsx_names_the_sheet_and_cell_excel_shows() {
    let t = Tmp::new();
    let path = t.0.path().join("评价.xlsx");
    // Header in Excel's row 1, the bad grade at E419 (0-based row 418, column 4).
    workbook(&path, false, 0, 0, 1000, 418);
    let (imp, rejects, listed) = rejects_and_listed_rows(&path);
    assert_eq!(imp.header_row(), 1);
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0].row, 419);
    assert_eq!(listed, [419]);
    assert_eq!(
        rejects[0].lines("评价.xlsx"),
        [
            "评价.xlsx:评价数据!E419:满意度: 无法识别的满意度「很满意」，应为 非常满意/满意/基本满意/不满意/非常不满意 或 1-5 的编码"
        ]
    );
}

#[test]
fn xlsx_whose_used_range_does_not_start_at_a1() {
    let t = Tmp::new();
    let path = t.0.path().join("偏移.xlsx");
    // Rows 1–2 and columns A–B empty, a title in C3, blank row 4, the header in row 5 from
    // column C: the grade column is G, and 0-based row 40 is Excel's row 41.
    workbook(&path, true, 4, 2, 50, 40);
    let (imp, rejects, listed) = rejects_and_listed_rows(&path);
    assert_eq!(imp.header_row(), 5);
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0].row, 41);
    assert_eq!(listed, [41]);
    let line = &rejects[0].lines("偏移.xlsx")[0];
    assert!(
        line.starts_with("偏移.xlsx:评价数据!G41:满意度: "),
        "{line}"
    );
}
