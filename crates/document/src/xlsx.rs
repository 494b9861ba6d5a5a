//! Every table of a document as one XLSX sheet, numbers kept as numbers, for people who
//! re-chart the figures.

use std::collections::HashSet;
use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::error::DocumentError;
use crate::grid::HeaderGrid;
use crate::model::{Align, CellValue, Document, Table};

/// Renders the tables of `doc` to XLSX bytes. A document without tables gives a workbook
/// with one sheet saying so, rather than an invalid empty file.
pub fn render_xlsx(doc: &Document) -> Result<Vec<u8>, DocumentError> {
    doc.validate()?;
    let mut wb = Workbook::new();
    let mut used = HashSet::new();
    let mut any = false;
    for (i, table) in doc.tables().enumerate() {
        any = true;
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(i + 1, &table.caption, &mut used))?;
        write_table(ws, table)?;
    }
    if !any {
        let ws = wb.add_worksheet();
        ws.set_name("说明")?;
        ws.write_string(0, 0, format!("《{}》没有表格。", doc.title))?;
        ws.set_column_width(0, 60)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Renders and writes to `path`.
pub fn write_xlsx(doc: &Document, path: &Path) -> Result<(), DocumentError> {
    let bytes = render_xlsx(doc)?;
    std::fs::write(path, bytes).map_err(|source| DocumentError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// "表1 标题", without the characters Excel forbids, at most 31 characters, unique.
fn sheet_name(number: usize, caption: &str, used: &mut HashSet<String>) -> String {
    let clean: String = caption
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .collect();
    let mut name: String = format!("表{number} {clean}")
        .trim()
        .chars()
        .take(31)
        .collect();
    name = name.trim_matches('\'').to_string();
    while !used.insert(name.clone()) {
        name = format!("表{number}");
    }
    name
}

fn write_table(ws: &mut Worksheet, t: &Table) -> Result<(), XlsxError> {
    let grid = HeaderGrid::build(t).expect("Document::validate checked the table");
    let border = Format::new().set_border(FormatBorder::Thin);
    let head = border
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    for c in &grid.cells {
        let (r, col) = (c.row as u32, c.col as u16);
        if c.colspan > 1 || c.rowspan > 1 {
            ws.merge_range(
                r,
                col,
                r + c.rowspan as u32 - 1,
                col + c.colspan as u16 - 1,
                c.text,
                &head,
            )?;
        } else {
            ws.write_string_with_format(r, col, c.text, &head)?;
        }
    }
    for (i, row) in t.rows.iter().enumerate() {
        let r = (grid.rows + i) as u32;
        for (col, cell) in row.iter().enumerate() {
            let base = match t.align_of(col) {
                Align::Right => border.clone().set_align(FormatAlign::Right),
                Align::Center => border.clone().set_align(FormatAlign::Center),
                _ => border.clone(),
            };
            match cell.value {
                Some(CellValue::Number { value, decimals }) => ws.write_number_with_format(
                    r,
                    col as u16,
                    value,
                    &base.set_num_format(number_format(decimals, false)),
                )?,
                Some(CellValue::Percent { fraction, decimals }) => ws.write_number_with_format(
                    r,
                    col as u16,
                    fraction,
                    &base.set_num_format(number_format(decimals, true)),
                )?,
                None => ws.write_string_with_format(r, col as u16, &cell.text, &base)?,
            };
        }
    }
    if let Some(note) = &t.note {
        ws.write_string((grid.rows + t.rows.len() + 1) as u32, 0, note)?;
    }
    ws.set_freeze_panes(grid.rows as u32, 0)?;
    for (col, width) in column_widths(t, &grid).into_iter().enumerate() {
        ws.set_column_width(col as u16, width)?;
    }
    Ok(())
}

fn number_format(decimals: u8, percent: bool) -> String {
    let mut f = String::from("0");
    if decimals > 0 {
        f.push('.');
        f.extend(std::iter::repeat_n('0', usize::from(decimals)));
    }
    if percent {
        f.push('%');
    }
    f
}

/// Excel widths count '0' characters of the default font; a CJK character is about two of
/// them, which Excel's own autofit does not know.
pub(crate) fn display_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.1 } else { 2.1 })
        .sum()
}

fn column_widths(t: &Table, grid: &HeaderGrid<'_>) -> Vec<f64> {
    let mut widths = vec![6.0f64; grid.cols];
    for c in grid.cells.iter().filter(|c| c.colspan == 1) {
        widths[c.col] = widths[c.col].max(display_width(c.text) + 2.0);
    }
    for row in &t.rows {
        for (col, cell) in row.iter().enumerate() {
            widths[col] = widths[col].max(display_width(&cell.text) + 2.0);
        }
    }
    widths.into_iter().map(|w| w.min(60.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let mut used = HashSet::new();
        let a = sheet_name(1, "好差评:分层级/情况[2023]", &mut used);
        assert_eq!(a, "表1 好差评分层级情况2023");
        let long = sheet_name(2, &"很长的标题".repeat(10), &mut used);
        assert_eq!(long.chars().count(), 31);
        let mut used = HashSet::from(["表3 同名".to_string()]);
        assert_eq!(sheet_name(3, "同名", &mut used), "表3");
    }

    #[test]
    fn formats_follow_decimals() {
        assert_eq!(number_format(0, false), "0");
        assert_eq!(number_format(2, true), "0.00%");
    }

    #[test]
    fn cjk_counts_double() {
        assert!(display_width("满") > 1.9 * display_width("9"));
    }
}
