//! The rejects file of `--skip-bad`: the refused rows with their original columns and the
//! reason, UTF-8 with a BOM so that Excel and WPS open it without garbling the Chinese.
//! It is meant to be corrected and imported again: the two extra columns are ignored then.

use crate::importer::Reject;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub const REASON_HEADER: &str = "错误原因";
pub const ROW_HEADER: &str = "原文件行号";

pub struct RejectsWriter {
    path: PathBuf,
    out: csv::Writer<BufWriter<File>>,
    width: usize,
    written: u64,
}

impl RejectsWriter {
    pub fn create(path: &Path, header: &[String]) -> std::io::Result<RejectsWriter> {
        let mut file = BufWriter::new(File::create(path)?);
        file.write_all(b"\xEF\xBB\xBF")?;
        let mut out = csv::WriterBuilder::new().flexible(true).from_writer(file);
        let mut row: Vec<&str> = header.iter().map(String::as_str).collect();
        row.push(REASON_HEADER);
        row.push(ROW_HEADER);
        out.write_record(&row)?;
        Ok(RejectsWriter {
            path: path.to_path_buf(),
            out,
            width: header.len(),
            written: 0,
        })
    }

    pub fn write(&mut self, reject: &Reject) -> std::io::Result<()> {
        let mut row: Vec<String> = reject.cells.clone();
        // Extra cells of an over-long CSV row are joined into the last column so that the
        // reason and the row number stay in their own columns.
        if row.len() > self.width && self.width > 0 {
            let extra = row.split_off(self.width);
            if let Some(last) = row.last_mut() {
                for e in extra {
                    last.push(',');
                    last.push_str(&e);
                }
            }
        }
        row.resize(self.width, String::new());
        row.push(reject.reason());
        row.push(reject.row.to_string());
        self.out.write_record(&row)?;
        self.written += 1;
        Ok(())
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn finish(mut self) -> std::io::Result<PathBuf> {
        self.out.flush()?;
        Ok(self.path)
    }
}
