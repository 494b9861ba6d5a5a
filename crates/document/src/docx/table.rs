//! Tables as real Word tables: spanning header cells become `gridSpan`/`vMerge`, column
//! widths follow the content, and the table spans the 版心.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, TableCell, TableCellMargins,
    TableLayoutType, TableRow, VAlignType, VMergeType, WidthType,
};

use super::layout::{SIZE_5HAO, SIZE_XIAO4};
use super::{Writer, alignment};
use crate::grid::{HeaderGrid, Slot};
use crate::model::{Align, Table};

/// Appends "表n 标题", the table and its note.
pub(super) fn add_table(w: &Writer<'_>, docx: Docx, t: &Table, number: usize) -> Docx {
    let grid = HeaderGrid::build(t).expect("Document::validate checked the table");
    let size = text_size(t, grid.cols);
    let margin = cell_margin(grid.cols);
    let widths = column_widths(t, &grid, w.page.text_width(), size, margin);
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
    let mut table = docx_rs::Table::new(rows);
    if margin != WORD_CELL_MARGIN {
        table = table.margins(TableCellMargins::new().margin(0, margin, 0, margin));
    }
    let table = table
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
/// the 版心 or a cell holds a long text (a problem description), which keeps rows short.
pub(super) fn text_size(t: &Table, cols: usize) -> usize {
    let long_text = t
        .rows
        .iter()
        .flatten()
        .any(|c| c.value.is_none() && ems(&c.text) > LONG_TEXT_EMS);
    if cols > 6 || long_text {
        SIZE_5HAO
    } else {
        SIZE_XIAO4
    }
}

/// Text longer than this (in em) is a description rather than a label.
const LONG_TEXT_EMS: f64 = 20.0;

/// A text column whose longest cell is at most this wide (in em) is a label (a name, a
/// state, an item number) and is kept on one line when the table allows.
const LABEL_EMS: f64 = 8.0;

/// Left and right cell margin Word and LibreOffice use when a table sets none (0.19 cm).
const WORD_CELL_MARGIN: usize = 108;

/// Cell margin of a table: Word's default, or 1 mm when more than six columns share the
/// 版心, so that figures keep to one line.
fn cell_margin(cols: usize) -> usize {
    if cols > 6 { 57 } else { WORD_CELL_MARGIN }
}

/// Splits `total` twips between columns:
/// 1. figures (right-aligned columns) get their longest figure on one line;
/// 2. if every text column fits on one line too, the room left is shared in proportion;
/// 3. otherwise labels (short text) stay on one line and descriptions share what is left in
///    proportion to their length, so their lines wrap about equally often — each keeps at
///    least four characters;
/// 4. if even that does not fit, text columns are scaled down together, and only when
///    figures alone overflow the 版心 are they scaled too (a figure broken over two lines
///    misreads, so this is the last resort).
fn column_widths(
    t: &Table,
    grid: &HeaderGrid<'_>,
    total: i32,
    size: usize,
    margin: usize,
) -> Vec<usize> {
    let em = size as f64 * 10.0;
    let pad = 2.0 * margin as f64 + 40.0; // cell margins plus slack
    let cols = grid.cols;
    let (body, head) = measure(t, grid);
    let numeric = |col: usize| t.align_of(col) == Align::Right;
    // One line of the column's text, its header up to five characters, at least two.
    let want: Vec<f64> = (0..cols)
        .map(|c| body[c].max(head[c].min(5.0)).max(2.0) * em + pad)
        .collect();
    let figures: Vec<f64> = (0..cols)
        .map(|c| {
            if numeric(c) {
                body[c].max(2.0) * em + pad
            } else {
                0.0
            }
        })
        .collect();
    let total = f64::from(total);
    let text_room = total - figures.iter().sum::<f64>();
    let text: Vec<usize> = (0..cols).filter(|c| !numeric(*c)).collect();
    let widths: Vec<f64> = if text_room < text.len() as f64 * (2.0 * em + pad) {
        let floor: Vec<f64> = (0..cols)
            .map(|c| {
                if numeric(c) {
                    figures[c]
                } else {
                    2.0 * em + pad
                }
            })
            .collect();
        let sum: f64 = floor.iter().sum();
        floor.iter().map(|w| w * total / sum).collect()
    } else {
        let mut w = figures.clone();
        for (c, share) in share_text(&text, &want, &body, text_room, em, pad) {
            w[c] = share;
        }
        spread(&mut w, &want, total);
        w
    };
    let mut out: Vec<usize> = widths.iter().map(|w| w.floor() as usize).collect();
    let rest = (total as usize).saturating_sub(out.iter().sum::<usize>());
    if let Some(last) = out.last_mut() {
        *last += rest;
    }
    out
}

/// The longest body text and the longest single-column header text of each column, in em.
fn measure(t: &Table, grid: &HeaderGrid<'_>) -> (Vec<f64>, Vec<f64>) {
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
    (body, head)
}

/// Room left after every column has its first share goes to columns whose header wants more
/// (a figure column headed "非常满意率"), then to all in proportion. Never takes any away.
fn spread(w: &mut [f64], want: &[f64], total: f64) {
    let left = total - w.iter().sum::<f64>();
    if left <= 0.0 {
        return;
    }
    let extra: Vec<f64> = w.iter().zip(want).map(|(x, y)| (y - x).max(0.0)).collect();
    let sum_extra: f64 = extra.iter().sum();
    if sum_extra >= left {
        for (x, e) in w.iter_mut().zip(&extra) {
            *x += e * left / sum_extra;
        }
        return;
    }
    for (x, e) in w.iter_mut().zip(&extra) {
        *x += e;
    }
    let sum: f64 = w.iter().sum();
    let scale = total / sum;
    for x in w.iter_mut() {
        *x *= scale;
    }
}

/// Widths of the text columns within `room` (steps 2–4 of [`column_widths`]).
fn share_text(
    text: &[usize],
    want: &[f64],
    body: &[f64],
    room: f64,
    em: f64,
    pad: f64,
) -> Vec<(usize, f64)> {
    let sum_want: f64 = text.iter().map(|c| want[*c]).sum();
    if sum_want <= room {
        return text.iter().map(|c| (*c, want[*c])).collect();
    }
    let (labels, long): (Vec<usize>, Vec<usize>) =
        text.iter().partition(|c| body[**c] <= LABEL_EMS);
    let least = |c: usize| want[c].min(4.0 * em + pad);
    let label_sum: f64 = labels.iter().map(|c| want[*c]).sum();
    let long_least: f64 = long.iter().map(|c| least(*c)).sum();
    if label_sum + long_least > room || long.is_empty() {
        // Labels must wrap too: everything in proportion to what it wants.
        return text
            .iter()
            .map(|c| (*c, want[*c] * room / sum_want))
            .collect();
    }
    let mut out: Vec<(usize, f64)> = labels.iter().map(|c| (*c, want[*c])).collect();
    // Descriptions in proportion to length; one held at its least leaves the others more.
    let mut open = long.clone();
    let mut left = room - label_sum;
    loop {
        let sum: f64 = open.iter().map(|c| want[*c]).sum();
        let held: Vec<usize> = open
            .iter()
            .copied()
            .filter(|c| want[*c] * left / sum < least(*c))
            .collect();
        if held.is_empty() {
            out.extend(open.iter().map(|c| (*c, want[*c] * left / sum)));
            return out;
        }
        for c in held {
            out.push((c, least(c)));
            left -= least(c);
            open.retain(|x| *x != c);
        }
        if open.is_empty() {
            return out;
        }
    }
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
        let w = column_widths(&t, &grid, 8845, SIZE_XIAO4, WORD_CELL_MARGIN);
        assert_eq!(w.iter().sum::<usize>(), 8845);
        // "236816" at 12 pt: 6 × 0.6 × 240 twips of text plus margins
        assert!(w[1] as f64 >= 6.0 * 0.6 * 240.0 + 216.0, "{w:?}");
        assert!(w[0] > w[1], "the long name gets more room: {w:?}");
    }

    #[test]
    fn a_description_takes_the_room_labels_leave() {
        let t = Table {
            caption: "问题整改情况".into(),
            header: vec![
                ["序号", "来源", "问题", "责任单位", "台账编号", "整改状态"]
                    .map(HeaderCell::new)
                    .to_vec(),
            ],
            rows: vec![vec![
                Cell::count(18),
                Cell::text("监督员意见"),
                Cell::text(
                    "事项办理体验：乌达区政务服务大厅部分复杂事项需反复请示后台，群众多次往返",
                ),
                Cell::text("乌海市行政审批和政务服务局"),
                Cell::text("ZG2023-00008"),
                Cell::text("已办结(销号)"),
            ]],
            align: vec![Align::Right],
            note: None,
        };
        let grid = HeaderGrid::build(&t).unwrap();
        let size = text_size(&t, grid.cols);
        assert_eq!(size, SIZE_5HAO, "long text is set in 五号");
        let w = column_widths(&t, &grid, 8845, size, cell_margin(grid.cols));
        assert_eq!(w.iter().sum::<usize>(), 8845);
        let em = size as f64 * 10.0;
        // labels on one line
        for (col, text) in [(1, "监督员意见"), (4, "ZG2023-00008"), (5, "已办结(销号)")] {
            assert!(w[col] as f64 >= ems(text) * em, "{text}: {w:?}");
        }
        assert!(
            w.iter().all(|x| *x <= w[2]),
            "the description is widest: {w:?}"
        );
    }

    #[test]
    fn a_crowded_table_wraps_text_not_figures() {
        let mut header = vec![HeaderCell::new("区域层级")];
        header.extend((0..9).map(|i| HeaderCell::new(format!("列{i}"))));
        let mut row = vec![Cell::text("镇(街道)和村(社区)级")];
        row.extend((0..9).map(|_| Cell::count(236816)));
        let mut align = vec![Align::Left];
        align.extend((0..9).map(|_| Align::Right));
        let t = Table {
            caption: "t".into(),
            header: vec![header],
            rows: vec![row],
            align,
            note: None,
        };
        let grid = HeaderGrid::build(&t).unwrap();
        let margin = cell_margin(grid.cols);
        let w = column_widths(&t, &grid, 8845, SIZE_5HAO, margin);
        assert_eq!(w.iter().sum::<usize>(), 8845);
        let figure = 6.0 * 0.6 * SIZE_5HAO as f64 * 10.0 + 2.0 * margin as f64;
        assert!(w[1..].iter().all(|x| *x as f64 >= figure), "{w:?}");
        assert!(w[0] < w[1] * 2, "the name column gave way: {w:?}");
    }
}
