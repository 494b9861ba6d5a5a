//! Errors: a file that cannot be read at all, and a cell that cannot be parsed.

use std::path::Path;

/// A problem with the file as a whole; no row of it can be imported.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("无法读取文件 {file}：{message}")]
    Io { file: String, message: String },
    #[error("{file}：{message}")]
    File { file: String, message: String },
}

impl IngestError {
    pub(crate) fn io(path: &Path, e: std::io::Error) -> IngestError {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "文件不存在，请检查路径".to_string(),
            std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
            _ => e.to_string(),
        };
        IngestError::Io {
            file: path.display().to_string(),
            message,
        }
    }

    pub(crate) fn file(path: &Path, message: impl Into<String>) -> IngestError {
        IngestError::File {
            file: path.display().to_string(),
            message: message.into(),
        }
    }
}

/// Why one cell of one row was refused; `column` is the header as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub column: String,
    pub reason: String,
    /// In a spreadsheet, the cell as Excel's Name Box takes it (`评价数据!E419`); `None`
    /// for CSV, where the line number says where the row is.
    pub cell: Option<String>,
}
