//! jianping-ingest: CSV and XLSX files from Chinese government systems become typed records.
//!
//! A file is opened with [`Importer::open`], which detects the encoding (CSV), finds and maps
//! the header row, and then yields [`Chunk`]s of parsed records with the rows it rejected.
//! CSV is streamed, so a file of any size is read in constant memory; XLSX sheets are read
//! whole (the format requires it). Nothing here touches the store: the caller feeds each
//! chunk to an import session.

mod decode;
mod error;
mod grid;
mod header;
mod importer;
pub mod kinds;
mod lines;
mod rejects;
mod row;
mod source;
mod values;

pub use error::{CellError, IngestError};
pub use grid::{GridRow, read_grid};
pub use header::{Col, columns_of};
pub use importer::{Chunk, Importer, Reject};
pub use kinds::Batch;
pub use rejects::RejectsWriter;

use chrono::NaiveDate;
use jianping_core::GradeCodes;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Rows handed to the store at a time: large enough to amortise per-call work, small enough
/// that a 10-million-row file never sits in memory.
pub const DEFAULT_CHUNK: usize = 10_000;

/// The kinds of source data an import can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Ratings,
    Hotline,
    Cases,
    Matters,
    Supervisors,
    Feedback,
    QrReports,
    Assessments,
    Regions,
    Departments,
    Halls,
    Windows,
    Staff,
    ReportedStats,
}

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::Ratings,
        Kind::Hotline,
        Kind::Cases,
        Kind::Matters,
        Kind::Supervisors,
        Kind::Feedback,
        Kind::QrReports,
        Kind::Assessments,
        Kind::Regions,
        Kind::Departments,
        Kind::Halls,
        Kind::Windows,
        Kind::Staff,
        Kind::ReportedStats,
    ];

    /// The command-line name, also recorded in the import log.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Ratings => "ratings",
            Kind::Hotline => "hotline",
            Kind::Cases => "cases",
            Kind::Matters => "matters",
            Kind::Supervisors => "supervisors",
            Kind::Feedback => "feedback",
            Kind::QrReports => "qr-reports",
            Kind::Assessments => "assessments",
            Kind::Regions => "regions",
            Kind::Departments => "departments",
            Kind::Halls => "halls",
            Kind::Windows => "windows",
            Kind::Staff => "staff",
            Kind::ReportedStats => "reported-stats",
        }
    }

    pub fn from_slug(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// What the file holds, in Chinese, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Ratings => "好差评数据",
            Kind::Hotline => "12345工单",
            Kind::Cases => "办件数据",
            Kind::Matters => "事项目录",
            Kind::Supervisors => "监督员名单",
            Kind::Feedback => "监督员意见",
            Kind::QrReports => "码上监督问题",
            Kind::Assessments => "第三方评估问题",
            Kind::Regions => "行政区划",
            Kind::Departments => "部门",
            Kind::Halls => "政务服务大厅",
            Kind::Windows => "窗口",
            Kind::Staff => "工作人员",
            Kind::ReportedStats => "外部统计数据",
        }
    }
}

/// Settings that change how values are read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Which order numeric grade codes follow.
    pub grade_codes: GradeCodes,
    /// The catalog date for matters when the file has no 生效日期 column (or an empty cell).
    pub as_of: Option<NaiveDate>,
    /// The XLSX sheet to read; the first sheet when absent.
    pub sheet: Option<String>,
    /// Records per chunk; [`DEFAULT_CHUNK`] when zero.
    pub chunk_size: usize,
}

/// The SHA-256 of a file, as 64 lowercase hex digits, for the import log.
pub fn sha256_file(path: &Path) -> Result<String, IngestError> {
    let mut f = std::fs::File::open(path).map_err(|e| IngestError::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(|e| IngestError::io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}
