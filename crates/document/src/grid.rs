//! Placement of spanning header cells on the table grid.
//!
//! Header rows are given HTML-style (covered cells omitted). DOCX needs the covered cells back
//! (a `vMerge` continuation per covered row) and XLSX needs absolute ranges, so both read the
//! placement computed here once.

use crate::error::DocumentError;
use crate::model::Table;

/// A header cell at its grid position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed<'a> {
    pub text: &'a str,
    pub row: usize,
    pub col: usize,
    pub colspan: usize,
    pub rowspan: usize,
}

/// The header of a table laid out on a `rows × cols` grid.
#[derive(Debug, Clone)]
pub struct HeaderGrid<'a> {
    pub rows: usize,
    pub cols: usize,
    pub cells: Vec<Placed<'a>>,
}

/// What occupies a grid slot of the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The top-left slot of cell `index` in `HeaderGrid::cells`.
    Start(usize),
    /// Covered by cell `index` from the row above (vertical merge continuation).
    Below(usize),
    /// Covered by cell `index` from the left (part of a horizontal span).
    Right(usize),
}

impl<'a> HeaderGrid<'a> {
    /// Places the header cells and checks that every row of the table fills the grid exactly.
    pub fn build(table: &'a Table) -> Result<Self, DocumentError> {
        let cols = table.columns();
        let rows = table.header.len();
        let bad = |msg: String| DocumentError::Invalid(format!("表格“{}”:{msg}", table.caption));
        if cols == 0 {
            return Err(bad("没有列".into()));
        }
        let mut taken = vec![vec![false; cols]; rows];
        let mut cells = Vec::new();
        for (r, header_row) in table.header.iter().enumerate() {
            let mut c = 0;
            for cell in header_row {
                while c < cols && taken[r][c] {
                    c += 1;
                }
                let (cs, rs) = (
                    usize::from(cell.colspan.max(1)),
                    usize::from(cell.rowspan.max(1)),
                );
                if c + cs > cols || r + rs > rows {
                    return Err(bad(format!("表头单元格“{}”超出表格范围", cell.text)));
                }
                for row in taken.iter_mut().skip(r).take(rs) {
                    for slot in row.iter_mut().skip(c).take(cs) {
                        if *slot {
                            return Err(bad(format!("表头单元格“{}”与其他单元格重叠", cell.text)));
                        }
                        *slot = true;
                    }
                }
                cells.push(Placed {
                    text: &cell.text,
                    row: r,
                    col: c,
                    colspan: cs,
                    rowspan: rs,
                });
                c += cs;
            }
        }
        if let Some(r) = taken.iter().position(|row| row.iter().any(|t| !t)) {
            return Err(bad(format!("第 {} 行表头未填满 {cols} 列", r + 1)));
        }
        check_body(table, cols).map_err(bad)?;
        Ok(Self { rows, cols, cells })
    }

    /// The occupancy of every header slot, row by row.
    pub fn slots(&self) -> Vec<Vec<Slot>> {
        let mut grid = vec![vec![Slot::Start(usize::MAX); self.cols]; self.rows];
        for (i, cell) in self.cells.iter().enumerate() {
            for (r, row) in grid
                .iter_mut()
                .enumerate()
                .skip(cell.row)
                .take(cell.rowspan)
            {
                for (c, slot) in row.iter_mut().enumerate().skip(cell.col).take(cell.colspan) {
                    *slot = if r == cell.row && c == cell.col {
                        Slot::Start(i)
                    } else if c == cell.col {
                        Slot::Below(i)
                    } else {
                        Slot::Right(i)
                    };
                }
            }
        }
        grid
    }
}

/// Body rows have exactly `cols` cells and alignments do not exceed the columns.
fn check_body(table: &Table, cols: usize) -> Result<(), String> {
    if let Some((i, row)) = table
        .rows
        .iter()
        .enumerate()
        .find(|(_, row)| row.len() != cols)
    {
        return Err(format!(
            "第 {} 行有 {} 个单元格,应为 {cols} 个",
            i + 1,
            row.len()
        ));
    }
    if table.align.len() > cols {
        return Err(format!(
            "给出了 {} 列的对齐方式,但只有 {cols} 列",
            table.align.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, HeaderCell};

    fn table(header: Vec<Vec<HeaderCell>>, width: usize) -> Table {
        Table {
            caption: "t".into(),
            header,
            rows: vec![vec![Cell::text("x"); width]],
            ..Table::default()
        }
    }

    #[test]
    fn spans_are_placed_around_covered_cells() {
        // | 区域 (2 rows) | 评价数 (2 rows) | 满意度 (2 cols) |
        // |               |                 | 非常满意率 | 满意率 |
        let t = table(
            vec![
                vec![
                    HeaderCell::span("区域", 1, 2),
                    HeaderCell::span("评价数", 1, 2),
                    HeaderCell::span("满意度", 2, 1),
                ],
                vec![HeaderCell::new("非常满意率"), HeaderCell::new("满意率")],
            ],
            4,
        );
        let g = HeaderGrid::build(&t).unwrap();
        assert_eq!(g.cols, 4);
        assert_eq!((g.cells[3].row, g.cells[3].col), (1, 2));
        assert_eq!((g.cells[4].row, g.cells[4].col), (1, 3));
        let slots = g.slots();
        assert_eq!(slots[1][0], Slot::Below(0));
        assert_eq!(slots[0][3], Slot::Right(2));
    }

    #[test]
    fn a_short_row_is_rejected_with_its_number() {
        let mut t = table(vec![vec![HeaderCell::new("a"), HeaderCell::new("b")]], 2);
        t.rows.push(vec![Cell::text("only one")]);
        let err = HeaderGrid::build(&t).unwrap_err().to_string();
        assert!(err.contains("第 2 行有 1 个单元格"), "{err}");
    }

    #[test]
    fn overlapping_spans_are_rejected() {
        let t = table(
            vec![
                vec![HeaderCell::span("a", 1, 2), HeaderCell::new("b")],
                vec![HeaderCell::new("c"), HeaderCell::new("d")],
            ],
            2,
        );
        assert!(HeaderGrid::build(&t).is_err());
    }
}
