//! Opening a file (format and encoding, header row, column mapping) and reading it in chunks.

use crate::decode::SAMPLE;
use crate::error::{CellError, IngestError};
use crate::header::{Col, Mapping, describe_accepted};
use crate::kinds::Batch;
use crate::row::RowCtx;
use crate::source::{self, CsvSource, Format, RawRow, SheetPlace, SheetSource};
use crate::{DEFAULT_CHUNK, Kind, Options};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

/// How many non-blank rows may precede the header (title rows of government exports).
const HEADER_SEARCH: usize = 10;

/// A refused row: where it is, why, and its cells as read (for the rejects file).
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    /// Where to find the row: the CSV line it starts on (as an editor numbers the file's
    /// lines, header and title rows included), or the sheet row Excel or WPS shows.
    pub row: u64,
    /// CSV only, when cells above held line breaks: the row Excel/WPS shows, which is then
    /// less than `row`.
    pub excel_row: Option<u64>,
    pub errors: Vec<CellError>,
    pub cells: Vec<String>,
}

impl Reject {
    /// One line per bad cell: `file:line:column: reason` for CSV, `file:sheet!cell:column:
    /// reason` for spreadsheets.
    pub fn lines(&self, file: &str) -> Vec<String> {
        let excel = self
            .excel_row
            .map(|r| format!("（Excel/WPS 中为第 {r} 行：上方有单元格内换行）"))
            .unwrap_or_default();
        self.errors
            .iter()
            .map(|e| {
                let place = e.cell.clone().unwrap_or_else(|| self.row.to_string());
                format!("{file}:{place}:{}: {}{excel}", e.column, e.reason)
            })
            .collect()
    }

    /// All reasons in one cell of the rejects file.
    pub fn reason(&self) -> String {
        self.errors
            .iter()
            .map(|e| format!("{}：{}", e.column, e.reason))
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// Up to a chunk of parsed records and the rows refused among them.
#[derive(Debug)]
pub struct Chunk {
    pub batch: Batch,
    pub rejects: Vec<Reject>,
}

enum Src {
    Csv(Box<CsvSource>),
    Sheet(SheetSource),
}

/// An open file of one kind, positioned after its header row.
pub struct Importer {
    kind: Kind,
    path: PathBuf,
    src: Src,
    /// For a spreadsheet, how its cells are named in messages.
    place: Option<SheetPlace>,
    columns: &'static [Col],
    mapping: Mapping,
    opts: Options,
    row: RawRow,
    pending: VecDeque<RawRow>,
    notes: Vec<String>,
    header_row: u64,
    data_rows: u64,
}

impl Importer {
    pub fn open(path: &Path, kind: Kind, opts: &Options) -> Result<Importer, IngestError> {
        let mut file = std::fs::File::open(path).map_err(|e| IngestError::io(path, e))?;
        let total = file.metadata().map_err(|e| IngestError::io(path, e))?.len();
        if total == 0 {
            return Err(IngestError::file(
                path,
                "文件为空（0 字节），请确认导出是否成功",
            ));
        }
        let sample =
            source::read_sample(&mut file, SAMPLE).map_err(|e| IngestError::io(path, e))?;
        let src = match source::sniff(&sample) {
            Format::Html => {
                return Err(IngestError::file(
                    path,
                    "文件实际是网页表格（HTML），不是 Excel 或 CSV：请用 Excel/WPS 打开后另存为 XLSX 或“CSV UTF-8”再导入",
                ));
            }
            Format::Sheet => {
                drop(file);
                Src::Sheet(SheetSource::open(path, opts.sheet.as_deref())?)
            }
            Format::Csv => Src::Csv(Box::new(CsvSource::open(
                path,
                sample,
                Box::new(file),
                total,
            )?)),
        };
        Importer::start(kind, path, src, opts)
    }

    /// A file already in memory (an upload, a fuzzer's input); `name` stands for its path
    /// in messages. Reads exactly as [`Importer::open`] reads a file with these bytes.
    pub fn from_bytes(
        name: &str,
        bytes: Vec<u8>,
        kind: Kind,
        opts: &Options,
    ) -> Result<Importer, IngestError> {
        let path = Path::new(name);
        if bytes.is_empty() {
            return Err(IngestError::file(
                path,
                "文件为空（0 字节），请确认导出是否成功",
            ));
        }
        let total = bytes.len() as u64;
        let src = match source::sniff(&bytes[..bytes.len().min(SAMPLE)]) {
            Format::Html => {
                return Err(IngestError::file(
                    path,
                    "文件实际是网页表格（HTML），不是 Excel 或 CSV：请用 Excel/WPS 打开后另存为 XLSX 或“CSV UTF-8”再导入",
                ));
            }
            Format::Sheet => {
                Src::Sheet(SheetSource::from_bytes(path, bytes, opts.sheet.as_deref())?)
            }
            Format::Csv => {
                // The same split as a file's: encoding and delimiter are judged on the
                // first SAMPLE bytes, whatever follows.
                let mut sample = bytes;
                let rest = sample.split_off(sample.len().min(SAMPLE));
                let rest = Box::new(std::io::Cursor::new(rest));
                Src::Csv(Box::new(CsvSource::open(path, sample, rest, total)?))
            }
        };
        Importer::start(kind, path, src, opts)
    }

    fn start(kind: Kind, path: &Path, src: Src, opts: &Options) -> Result<Importer, IngestError> {
        let place = match &src {
            Src::Sheet(s) => Some(SheetPlace::new(&s.sheet_name, s.first_col)),
            Src::Csv(_) => None,
        };
        let mut imp = Importer {
            kind,
            path: path.to_path_buf(),
            src,
            place,
            columns: crate::kinds::columns(kind),
            mapping: Mapping::new(&[], Vec::new()),
            opts: opts.clone(),
            row: RawRow::default(),
            pending: VecDeque::new(),
            notes: Vec::new(),
            header_row: 0,
            data_rows: 0,
        };
        if let (Src::Csv(_), Some(_)) = (&imp.src, &opts.sheet) {
            imp.notes.push("CSV 文件没有工作表，已忽略 --sheet".into());
        }
        imp.find_header()?;
        Ok(imp)
    }

    /// Reads one row into `row`; false at the end.
    fn read(&mut self, row: &mut RawRow) -> Result<bool, IngestError> {
        match &mut self.src {
            Src::Csv(c) => c.next(&self.path, row),
            Src::Sheet(s) => Ok(s.next(row)),
        }
    }

    fn find_header(&mut self) -> Result<(), IngestError> {
        let mut seen: Vec<RawRow> = Vec::new();
        let need = self
            .columns
            .iter()
            .filter(|c| c.required)
            .count()
            .clamp(1, 2);
        loop {
            let mut row = RawRow::default();
            if seen.len() >= HEADER_SEARCH || !self.read(&mut row)? {
                break;
            }
            if row.is_blank() {
                continue;
            }
            let cells: Vec<String> = (0..row.len()).map(|i| row.display(i)).collect();
            let mapping = Mapping::new(self.columns, cells);
            if mapping.matched() >= need {
                if !seen.is_empty() {
                    self.notes.push(format!(
                        "跳过了表头之前的 {} 行（标题行），表头在第 {} 行",
                        seen.len(),
                        row.number
                    ));
                }
                self.header_row = row.number;
                self.mapping = mapping;
                return self.check_mapping();
            }
            seen.push(row);
        }
        let Some(first) = seen.first() else {
            return Err(IngestError::file(
                &self.path,
                "文件中没有任何内容（只有空行）",
            ));
        };
        let cells: Vec<String> = (0..first.len()).map(|i| first.display(i)).collect();
        self.mapping = Mapping::new(self.columns, cells);
        self.header_row = first.number;
        let mut err = self.missing_columns_message();
        err.push_str(&format!(
            "。这可能不是{}文件，或表头不在前 {HEADER_SEARCH} 行",
            self.kind.label()
        ));
        Err(IngestError::file(&self.path, err))
    }

    fn missing_columns_message(&self) -> String {
        let missing = self.mapping.missing_required(self.columns);
        let list: Vec<String> = missing.iter().map(|c| describe_accepted(c)).collect();
        let found: Vec<&str> = self
            .mapping
            .headers
            .iter()
            .map(String::as_str)
            .filter(|h| !h.trim().is_empty())
            .collect();
        format!(
            "第 {} 行的表头缺少{}必需的列：{}；文件的表头为：{}",
            self.header_row,
            self.kind.label(),
            list.join("；"),
            if found.is_empty() {
                "（空）".to_string()
            } else {
                found.join("、")
            }
        ) + &self.sheet_hint()
    }

    /// For a workbook of several sheets: which one was read and how to choose another.
    fn sheet_hint(&self) -> String {
        match &self.src {
            Src::Sheet(s) if s.all_sheets.len() > 1 => format!(
                "（读的是工作表「{}」；数据若在其他工作表，请用 --sheet 指定，可选：{}）",
                s.sheet_name,
                s.all_sheets.join("、")
            ),
            _ => String::new(),
        }
    }

    fn check_mapping(&mut self) -> Result<(), IngestError> {
        if !self.mapping.missing_required(self.columns).is_empty() {
            return Err(IngestError::file(
                &self.path,
                self.missing_columns_message(),
            ));
        }
        if let Some((a, b)) = self.mapping.duplicates.first() {
            return Err(IngestError::file(
                &self.path,
                format!(
                    "表头中「{a}」和「{b}」指同一列，请删除其中一列后再导入{}",
                    self.sheet_hint()
                ),
            ));
        }
        if self.kind == Kind::Matters && self.mapping.cols[6].is_none() && self.opts.as_of.is_none()
        {
            return Err(IngestError::file(
                &self.path,
                format!(
                    "事项目录需要生效日期：请在文件中加“生效日期”列，或在命令中用 --as-of 2023-10-31 指定{}",
                    self.sheet_hint()
                ),
            ));
        }
        if !self.mapping.unknown.is_empty() {
            self.notes.push(format!(
                "忽略了未识别的列：{}",
                self.mapping.unknown.join("、")
            ));
        }
        Ok(())
    }

    /// The next chunk, or `None` at the end of the file.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, IngestError> {
        let size = if self.opts.chunk_size == 0 {
            DEFAULT_CHUNK
        } else {
            self.opts.chunk_size
        };
        let mut batch = Batch::new(self.kind);
        let mut rejects = Vec::new();
        let mut row = std::mem::take(&mut self.row);
        while batch.len() + rejects.len() < size {
            if let Some(p) = self.pending.pop_front() {
                row = p;
            } else if !self.read(&mut row)? {
                break;
            }
            if row.is_blank() {
                continue;
            }
            self.data_rows += 1;
            if let Some(reject) = self.parse_row(&row, &mut batch) {
                rejects.push(reject);
            }
        }
        self.row = row;
        if batch.is_empty() && rejects.is_empty() {
            return Ok(None);
        }
        Ok(Some(Chunk { batch, rejects }))
    }

    fn parse_row(&self, row: &RawRow, batch: &mut Batch) -> Option<Reject> {
        let whole_row_error = |reason: String| CellError {
            column: "整行".into(),
            reason,
            cell: self.place.as_ref().map(|p| p.cell(None, row.number)),
        };
        let whole_row = |reason: String| Reject {
            row: row.number,
            excel_row: row.excel_row,
            errors: vec![whole_row_error(reason)],
            cells: (0..row.len()).map(|i| row.display(i)).collect(),
        };
        if let Some(e) = &row.decode_error {
            return Some(whole_row(e.clone()));
        }
        if let Src::Csv(_) = self.src {
            let width = self.mapping.width();
            if row.len() < width {
                return Some(whole_row(format!(
                    "该行只有 {} 个字段，表头有 {width} 列（可能被换行或缺少分隔符截断）",
                    row.len()
                )));
            }
            if row.used_len() > width {
                return Some(whole_row(format!(
                    "该行有 {} 个字段，多于表头的 {width} 列（字段中的逗号须用英文双引号括起来）",
                    row.used_len()
                )));
            }
        }
        let mut ctx = RowCtx::new(
            row,
            &self.mapping,
            self.columns,
            self.place.as_ref(),
            &self.opts,
        );
        if batch.push_row(&mut ctx) {
            return None;
        }
        let mut reject = whole_row(String::new());
        reject.errors = ctx.errors;
        if reject.errors.is_empty() {
            reject.errors.push(whole_row_error("无法解析".into()));
        }
        Some(reject)
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Remarks for the summary: skipped title rows, ignored columns, encoding.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The header row as written, for the rejects file.
    pub fn header(&self) -> &[String] {
        &self.mapping.headers
    }

    pub fn header_row(&self) -> u64 {
        self.header_row
    }

    /// Non-blank data rows read so far (accepted and refused).
    pub fn data_rows(&self) -> u64 {
        self.data_rows
    }

    /// "CSV（UTF-8）" or "XLSX 工作表「Sheet1」".
    pub fn describe_format(&self) -> String {
        match &self.src {
            Src::Csv(c) => format!("CSV（{}）", c.encoding.name()),
            Src::Sheet(s) => format!("电子表格，工作表「{}」", s.sheet_name),
        }
    }

    /// Work done and total, in bytes for CSV and rows for spreadsheets.
    pub fn progress(&self) -> (u64, u64) {
        match &self.src {
            Src::Csv(c) => (c.bytes_read(), c.total_bytes),
            Src::Sheet(s) => s.progress(),
        }
    }
}
