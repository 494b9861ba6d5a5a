//! Tables as real Word tables: spanning header cells become `gridSpan`/`vMerge`, column
//! widths follow the content, and the table spans the 版心.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, TableCell, TableLayoutType, TableRow,
    VAlignType, VMergeType, WidthType,
};

use super::layout::{SIZE_5HAO, SIZE_XIAO4};
use super::{Writer, alignment};
use crate::grid::{HeaderGrid, Slot};
use crate::model::{Align, Table};

/// Appends "表n 标题", the table and its note.
pub(super) fn add_table(w: &Writer<'_>, docx: Docx, t: &Table, number: usize) -> Docx {
    let grid = HeaderGrid::build(t).expect("Document::validate checked the table");
    let size = text_size(grid.cols);
    let widths = column_widths(t, &grid, w.page.text_width(), size);
    let mut rows = Vec::with_capacity(grid.rows + t.rows.len());
    for slots in grid.slots() {
        let mut cells = Vec::new();
        for (col, slot) in slots.iter().enumerate() {
            let (index, continued) = match *slot {
                Slot::Start(i) => (i, false),
                Slot::Below(i) => (i, true),
                Slot::Right(_) => continue,
            };
            let placed = &grid.cells[index];
            let width: usize = widths[col..col + placed.colspan].iter().sum();
            let text = if continued { "" } else { placed.text };
            let mut cell = cell(w, text, Align::Center, true, width, size);
            if placed.colspan > 1 {
                cell = cell.grid_span(placed.colspan);
            }
            if placed.rowspan > 1 {
                cell = cell.vertical_merge(if continued {
                    VMergeType::Continue
                } else {
                    VMergeType::Restart
                });
            }
            cells.push(cell);
        }
        rows.push(TableRow::new(cells).cant_split());
    }
    for row in &t.rows {
        let cells = row
            .iter()
            .enumerate()
            .map(|(col, c)| cell(w, &c.text, t.align_of(col), false, widths[col], size))
            .collect();
        rows.push(TableRow::new(cells).cant_split());
    }
    let table = docx_rs::Table::new(rows)
        .set_grid(widths)
        .width(w.page.text_width() as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .align(docx_rs::TableAlignmentType::Center);
    let mut docx = docx
        .add_paragraph(
            w.caption(&format!("表{number} {}", t.caption))
                .keep_next(true),
        )
        .add_table(table);
    if let Some(note) = &t.note {
        docx = docx.add_paragraph(w.note(note));
    }
    docx
}

fn cell(
    w: &Writer<'_>,
    text: &str,
    align: Align,
    header: bool,
    width: usize,
    size: usize,
) -> TableCell {
    let align = match align {
        Align::Justify => AlignmentType::Left,
        a => alignment(a),
    };
    let run = w.text_run(text, &w.fonts.body, size);
    let p = docx_rs::Paragraph::new()
        .align(align)
        .snap_to_grid(false)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(240),
        )
        .add_run(if header { run.bold() } else { run });
    TableCell::new()
        .add_paragraph(p)
        .vertical_align(VAlignType::Center)
        .width(width, WidthType::Dxa)
}

/// Width of `s` in em at table sizes: digits and Latin letters of CJK fonts are a little
/// over half an em, so they are counted at 0.6 to keep numbers from wrapping.
fn ems(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum()
}

/// Text size of a table: 小四 (12 pt), or 五号 (10.5 pt) when more than six columns share
/// the 版心.
pub(super) fn text_size(cols: usize) -> usize {
    if cols > 6 { SIZE_5HAO } else { SIZE_XIAO4 }
}

/// Splits `total` twips between columns. Every column first gets room for its body text on
/// one line (text columns up to six characters, numbers always whole); what is left goes
/// to columns whose header or longer text wants more, then to all in proportion.
fn column_widths(t: &Table, grid: &HeaderGrid<'_>, total: i32, size: usize) -> Vec<usize> {
    let em = size as f64 * 10.0;
    let pad = 2.0 * 108.0 + 40.0; // default cell margins plus slack
    let mut body = vec![0.0f64; grid.cols];
    let mut head = vec![0.0f64; grid.cols];
    for row in &t.rows {
        for (col, c) in row.iter().enumerate() {
            body[col] = body[col].max(ems(&c.text));
        }
    }
    for cell in grid.cells.iter().filter(|c| c.colspan == 1) {
        head[cell.col] = head[cell.col].max(ems(cell.text));
    }
    let numeric = |col: usize| t.align_of(col) == Align::Right;
    let base: Vec<f64> = (0..grid.cols)
        .map(|c| {
            (if numeric(c) {
                body[c]
            } else {
                body[c].min(6.0)
            })
            .max(2.0)
                * em
                + pad
        })
        .collect();
    let want: Vec<f64> = (0..grid.cols)
        .map(|c| (head[c].min(5.0).max(body[c]) * em + pad - base[c]).max(0.0))
        .collect();
    let total = f64::from(total);
    let (sum_base, sum_want) = (base.iter().sum::<f64>(), want.iter().sum::<f64>());
    let widths: Vec<f64> = if sum_base >= total {
        base.iter().map(|b| b * total / sum_base).collect()
    } else if sum_want >= total - sum_base {
        base.iter()
            .zip(&want)
            .map(|(b, w)| b + w * (total - sum_base) / sum_want)
            .collect()
    } else {
        let full: Vec<f64> = base.iter().zip(&want).map(|(b, w)| b + w).collect();
        let sum_full = sum_base + sum_want;
        full.iter().map(|f| f * total / sum_full).collect()
    };
    let mut out: Vec<usize> = widths.iter().map(|w| w.floor() as usize).collect();
    let rest = total as usize - out.iter().sum::<usize>();
    if let Some(last) = out.last_mut() {
        *last += rest;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, HeaderCell};

    #[test]
    fn numbers_get_their_width_and_the_rest_is_shared() {
        let t = Table {
            caption: "t".into(),
            header: vec![
                ["区域层级", "评价数", "非常满意率"]
                    .map(HeaderCell::new)
                    .to_vec(),
            ],
            rows: vec![vec![
                Cell::text("镇(街道)和村(社区)级"),
                Cell::count(236816),
                Cell::text("99.70%"),
            ]],
            align: vec![Align::Left, Align::Right, Align::Right],
            note: None,
        };
        let grid = HeaderGrid::build(&t).unwrap();
        let w = column_widths(&t, &grid, 8845, SIZE_XIAO4);
        assert_eq!(w.iter().sum::<usize>(), 8845);
        // "236816" at 12 pt: 6 × 0.6 × 240 twips of text plus margins
        assert!(w[1] as f64 >= 6.0 * 0.6 * 240.0 + 216.0, "{w:?}");
        assert!(w[0] > w[1], "the long name gets more room: {w:?}");
    }
}
