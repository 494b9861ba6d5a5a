//! Where rows come from: a streamed CSV file or a spreadsheet sheet read whole. Both yield
//! [`RawRow`]s numbered as a person finds them: the CSV line the record starts on (the first
//! line of the file is 1, as in an editor), the sheet row as Excel or WPS shows it.

use crate::decode::{self, Encoding};
use crate::error::IngestError;
use crate::lines::{self, LineBreaks};
use calamine::{Data, Reader, Sheets};
use chrono::{NaiveDate, NaiveDateTime};
use std::fs::File;
use std::io::{BufReader, Chain, Cursor, Read};
use std::path::Path;

/// One cell, typed as far as the source knows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Bool(bool),
    DateTime(NaiveDateTime),
    /// A spreadsheet error value such as `#N/A`.
    Error(String),
}

/// A row, reused from one read to the next so streaming allocates nothing per row.
#[derive(Debug, Default)]
pub(crate) struct RawRow {
    /// The CSV line the record starts on, or the sheet row number.
    pub number: u64,
    /// CSV only, when cells above held line breaks: the row Excel/WPS shows, which is then
    /// less than the line (a cell written on several lines is one spreadsheet row).
    pub excel_row: Option<u64>,
    text: String,
    ends: Vec<usize>,
    data: Vec<Data>,
    sheet: bool,
    /// Set when a CSV field could not be decoded in the file's encoding.
    pub decode_error: Option<String>,
}

impl RawRow {
    pub fn len(&self) -> usize {
        if self.sheet {
            self.data.len()
        } else {
            self.ends.len()
        }
    }

    pub fn cell(&self, i: usize) -> Cell<'_> {
        if self.sheet {
            return match self.data.get(i) {
                None | Some(Data::Empty) => Cell::Empty,
                Some(Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s)) => text_cell(s),
                Some(Data::Float(f)) => Cell::Number(*f),
                Some(Data::Int(n)) => Cell::Number(*n as f64),
                Some(Data::Bool(b)) => Cell::Bool(*b),
                Some(Data::DateTime(dt)) => excel_datetime(dt),
                Some(Data::Error(e)) => Cell::Error(format!("{e}")),
            };
        }
        if i >= self.ends.len() {
            return Cell::Empty;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        text_cell(&self.text[start..self.ends[i]])
    }

    /// The cell as text, the way a person would read it (for headers and rejects files).
    pub fn display(&self, i: usize) -> String {
        match self.cell(i) {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.to_string(),
            Cell::Number(f) => crate::values::number_text(f),
            Cell::Bool(b) => if b { "是" } else { "否" }.to_string(),
            Cell::DateTime(dt) => jianping_core::time::fmt_ts(&dt),
            Cell::Error(e) => e,
        }
    }

    pub fn is_blank(&self) -> bool {
        (0..self.len()).all(|i| matches!(self.cell(i), Cell::Empty))
    }

    /// Index of the last non-empty cell plus one.
    pub fn used_len(&self) -> usize {
        (0..self.len())
            .rev()
            .find(|i| !matches!(self.cell(*i), Cell::Empty))
            .map_or(0, |i| i + 1)
    }
}

fn text_cell(s: &str) -> Cell<'_> {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(t)
    }
}

fn excel_datetime(dt: &calamine::ExcelDateTime) -> Cell<'static> {
    if dt.is_duration() {
        return Cell::Number(dt.as_f64());
    }
    // Handles both the 1900 and the 1904 epoch.
    let (y, mo, d, h, mi, s, _ms) = dt.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d))
        .and_then(|date| date.and_hms_opt(u32::from(h), u32::from(mi), u32::from(s)))
        .map_or(
            Cell::Error(format!("无效的日期值 {}", dt.as_f64())),
            Cell::DateTime,
        )
}

/// The sample already read, then the rest of the file (or nothing, for bytes in memory).
type CsvInput = LineBreaks<Chain<Cursor<Vec<u8>>, Box<dyn Read + Send>>>;

pub(crate) struct CsvSource {
    reader: csv::Reader<CsvInput>,
    record: csv::ByteRecord,
    pub encoding: Encoding,
    bom: u64,
    /// Line breaks inside quoted fields so far: Excel shows such a record as one row.
    embedded_breaks: u64,
    pub total_bytes: u64,
}

impl CsvSource {
    pub fn open(
        path: &Path,
        sample: Vec<u8>,
        rest: Box<dyn Read + Send>,
        total: u64,
    ) -> Result<Self, IngestError> {
        let (encoding, bom) = decode::detect(&sample).map_err(|m| IngestError::file(path, m))?;
        let delimiter = guess_delimiter(&sample[bom..]);
        let mut cursor = Cursor::new(sample);
        cursor.set_position(bom as u64);
        let input = LineBreaks::new(cursor.chain(rest));
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(1 << 16)
            .from_reader(input);
        Ok(CsvSource {
            reader,
            record: csv::ByteRecord::new(),
            encoding,
            bom: bom as u64,
            embedded_breaks: 0,
            total_bytes: total,
        })
    }

    /// Reads the next record into `row`; false at the end of the file.
    pub fn next(&mut self, path: &Path, row: &mut RawRow) -> Result<bool, IngestError> {
        let ok = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| {
                IngestError::file(path, format!("CSV 格式错误：{e}；请检查引号是否成对"))
            })?;
        if !ok {
            return Ok(false);
        }
        // The byte offset of the record start is exact; its line is not (see `lines`).
        let start = self.record.position().map_or(0, csv::Position::byte);
        row.number = self.reader.get_mut().line_of(start);
        row.excel_row = (self.embedded_breaks > 0).then(|| row.number - self.embedded_breaks);
        self.embedded_breaks += self.record.iter().map(lines::breaks_in).sum::<u64>();
        row.sheet = false;
        row.text.clear();
        row.ends.clear();
        row.decode_error = None;
        for field in &self.record {
            if let Err(e) = decode::decode_into(&mut self.encoding, field, &mut row.text)
                && row.decode_error.is_none()
            {
                row.decode_error = Some(e);
            }
            row.ends.push(row.text.len());
        }
        Ok(true)
    }

    pub fn bytes_read(&self) -> u64 {
        self.bom + self.reader.position().byte()
    }
}

/// Comma unless the first line clearly uses tabs or semicolons (TSV exports saved as .csv).
fn guess_delimiter(sample: &[u8]) -> u8 {
    let first = sample.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| first.iter().filter(|b| **b == d).count();
    let commas = count(b',');
    [b'\t', b';']
        .into_iter()
        .find(|d| count(*d) > commas)
        .unwrap_or(b',')
}

pub(crate) struct SheetSource {
    rows: Vec<Vec<Data>>,
    first_row: u64,
    /// The used range need not start at A1: the 0-based column of its first cell.
    pub first_col: u32,
    next: usize,
    pub sheet_name: String,
    pub all_sheets: Vec<String>,
}

impl SheetSource {
    pub fn open(path: &Path, sheet: Option<&str>) -> Result<Self, IngestError> {
        Self::from_book(path, open_book(path)?, sheet)
    }

    /// A workbook held in memory; `path` names it in messages.
    pub fn from_bytes(
        path: &Path,
        bytes: Vec<u8>,
        sheet: Option<&str>,
    ) -> Result<Self, IngestError> {
        let book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
            IngestError::file(
                path,
                format!("无法打开电子表格：{e}；请确认文件未损坏，或在 Excel/WPS 中另存为 XLSX"),
            )
        })?;
        Self::from_book(path, book, sheet)
    }

    fn from_book<RS: Read + std::io::Seek>(
        path: &Path,
        mut book: Sheets<RS>,
        sheet: Option<&str>,
    ) -> Result<Self, IngestError> {
        let names = book.sheet_names();
        let name = match sheet {
            Some(s) => names
                .iter()
                .find(|n| n.as_str() == s)
                .cloned()
                .ok_or_else(|| {
                    IngestError::file(
                        path,
                        format!(
                            "没有名为「{s}」的工作表，文件中的工作表有：{}",
                            names.join("、")
                        ),
                    )
                })?,
            None => names
                .first()
                .cloned()
                .ok_or_else(|| IngestError::file(path, "工作簿中没有工作表"))?,
        };
        let range = book
            .worksheet_range(&name)
            .map_err(|e| IngestError::file(path, format!("无法读取工作表「{name}」：{e}")))?;
        let (first_row, first_col) = range.start().unwrap_or_default();
        let rows = range.rows().map(<[Data]>::to_vec).collect();
        Ok(SheetSource {
            rows,
            first_row: u64::from(first_row),
            first_col,
            next: 0,
            sheet_name: name,
            all_sheets: names,
        })
    }

    pub fn next(&mut self, row: &mut RawRow) -> bool {
        let Some(cells) = self.rows.get_mut(self.next) else {
            return false;
        };
        row.sheet = true;
        row.decode_error = None;
        row.excel_row = None;
        row.data = std::mem::take(cells);
        row.number = self.first_row + self.next as u64 + 1;
        self.next += 1;
        true
    }

    pub fn progress(&self) -> (u64, u64) {
        (self.next as u64, self.rows.len() as u64)
    }
}

/// Where a sheet's cells are, for messages in the form Excel's Name Box and 定位 (Ctrl+G)
/// accept: `评价数据!E419`.
#[derive(Debug, Clone)]
pub(crate) struct SheetPlace {
    /// The sheet name, quoted when a reference needs it, and the `!`.
    prefix: String,
    first_col: u32,
}

impl SheetPlace {
    pub fn new(sheet: &str, first_col: u32) -> SheetPlace {
        SheetPlace {
            prefix: format!("{}!", sheet_ref(sheet)),
            first_col,
        }
    }

    /// The cell of column `index` of the used range in sheet row `row`; the row's first
    /// cell for a problem with no one column.
    pub fn cell(&self, index: Option<usize>, row: u64) -> String {
        let col = self.first_col as usize + index.unwrap_or(0);
        format!("{}{}{row}", self.prefix, column_letters(col))
    }
}

/// A sheet name as a reference writes it: quoted (with `'` doubled) unless it is letters,
/// digits and `_` that cannot be mistaken for a number or a cell such as `AB12`.
fn sheet_ref(name: &str) -> String {
    let plain = name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && !looks_like_cell(name);
    if plain {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

fn looks_like_cell(name: &str) -> bool {
    let letters = name.chars().take_while(char::is_ascii_alphabetic).count();
    (1..=3).contains(&letters)
        && name.len() > letters
        && name[letters..].chars().all(|c| c.is_ascii_digit())
}

/// 0 → A, 25 → Z, 26 → AA.
fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn open_book(path: &Path) -> Result<Sheets<BufReader<File>>, IngestError> {
    match calamine::open_workbook_auto(path) {
        Ok(b) => Ok(b),
        // The extension may lie (an .xlsx saved as .csv): try by content.
        Err(first) => calamine::open_workbook::<calamine::Xlsx<_>, _>(path)
            .map(Sheets::Xlsx)
            .or_else(|_| calamine::open_workbook::<calamine::Xls<_>, _>(path).map(Sheets::Xls))
            .map_err(|_| {
                IngestError::file(
                    path,
                    format!(
                        "无法打开电子表格：{first}；请确认文件未损坏，或在 Excel/WPS 中另存为 XLSX"
                    ),
                )
            }),
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Csv,
    Sheet,
    Html,
}

pub(crate) fn sniff(sample: &[u8]) -> Format {
    if sample.starts_with(b"PK\x03\x04") || sample.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Format::Sheet;
    }
    let head = String::from_utf8_lossy(&sample[..sample.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<html") || head.starts_with("<!doctype html") || head.starts_with("<table")
    {
        return Format::Html;
    }
    Format::Csv
}

/// Reads up to `n` bytes (less only at the end of the file).
pub(crate) fn read_sample(file: &mut File, n: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(n.min(1 << 20));
    file.take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_as_excel_writes_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        let p = SheetPlace::new("评价数据", 2);
        assert_eq!(p.cell(Some(2), 419), "评价数据!E419");
        assert_eq!(p.cell(None, 7), "评价数据!C7");
        assert_eq!(SheetPlace::new("Sheet1", 0).cell(Some(0), 2), "Sheet1!A2");
        assert_eq!(SheetPlace::new("AB12", 0).cell(None, 2), "'AB12'!A2");
        assert_eq!(SheetPlace::new("2023年", 0).cell(None, 2), "'2023年'!A2");
        assert_eq!(
            SheetPlace::new("张三's 数据", 0).cell(None, 2),
            "'张三''s 数据'!A2"
        );
    }
}
