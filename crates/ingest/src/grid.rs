//! A whole sheet or CSV file as text, rows numbered as a spreadsheet shows them: for
//! reading tables that are not an import format (`jianping check table`).

use crate::error::IngestError;
use crate::source::{self, CsvSource, Format, RawRow, SheetSource};
use std::path::Path;

/// One non-blank row: its line number and its cells as a person reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    pub line: u64,
    pub cells: Vec<String>,
}

/// Reads every non-blank row of a CSV (UTF-8 or GBK/GB18030) or of a spreadsheet's sheet
/// (the first one unless `sheet` names one).
pub fn read_grid(path: &Path, sheet: Option<&str>) -> Result<Vec<GridRow>, IngestError> {
    let mut file = std::fs::File::open(path).map_err(|e| IngestError::io(path, e))?;
    let total = file.metadata().map_err(|e| IngestError::io(path, e))?.len();
    let sample = source::read_sample(&mut file, 1 << 16).map_err(|e| IngestError::io(path, e))?;
    let mut out = Vec::new();
    let mut row = RawRow::default();
    let keep = |row: &RawRow, out: &mut Vec<GridRow>| {
        if !row.is_blank() {
            out.push(GridRow {
                line: row.number,
                cells: (0..row.used_len()).map(|i| row.display(i)).collect(),
            });
        }
    };
    match source::sniff(&sample) {
        Format::Html => {
            return Err(IngestError::file(
                path,
                "文件实际是网页表格（HTML）：请用 Excel/WPS 打开后另存为 XLSX 或 CSV",
            ));
        }
        Format::Sheet => {
            drop(file);
            let mut s = SheetSource::open(path, sheet)?;
            while s.next(&mut row) {
                keep(&row, &mut out);
            }
        }
        Format::Csv => {
            let mut c = CsvSource::open(path, sample, Box::new(file), total)?;
            while c.next(path, &mut row)? {
                if let Some(e) = &row.decode_error {
                    return Err(IngestError::file(
                        path,
                        format!("第 {} 行：{e}", row.number),
                    ));
                }
                keep(&row, &mut out);
            }
        }
    }
    Ok(out)
}
