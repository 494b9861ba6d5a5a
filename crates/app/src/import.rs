//! Importing one file: read in chunks on a thread of its own, written in one store
//! transaction, committed only when the whole file is in. By default one bad row stops the
//! file (every bad row is listed); with `skip_bad` the good rows go in and the bad ones go
//! to a rejects file. A trial does everything and rolls back, for a person to check first.

use crate::error::{AppError, Result};
use anyhow::Context;
use jianping_ingest::{Batch, Chunk, Importer, Kind, Options, Reject, RejectsWriter};
use jianping_store::{ImportSession, ImportSummary, RowExt, Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

/// Bad-row lines kept in full; the rest are only counted.
pub const SHOW_ERRORS: usize = 50;

/// How an import reports how far it is. Implemented by the CLI's progress bar and the
/// server's import jobs.
pub trait Progress: Sync {
    /// The size of the work: bytes for CSV, rows for XLSX.
    fn start(&self, _total: u64, _unit: ProgressUnit) {}
    fn advance_to(&self, _done: u64) {}
    /// A new phase (e.g. "更新汇总表并提交").
    fn phase(&self, _message: &str) {}
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressUnit {
    Bytes,
    Rows,
}

/// Progress nobody watches.
pub struct NoProgress;
impl Progress for NoProgress {}

#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub kind: Kind,
    pub options: Options,
    pub skip_bad: bool,
    /// Where refused rows go with `skip_bad` (default: the file's name + `.rejects.csv`).
    pub rejects: Option<PathBuf>,
    /// Check only: do everything, then roll back.
    pub trial: bool,
    /// The name the file is known by in messages and the import log (default: its path).
    pub display_name: Option<String>,
}

impl ImportRequest {
    pub fn new(kind: Kind) -> ImportRequest {
        ImportRequest {
            kind,
            options: Options::default(),
            skip_bad: false,
            rejects: None,
            trial: false,
            display_name: None,
        }
    }
}

/// The bad rows of one file: the first lines in full, the rest counted.
#[derive(Debug, Clone, Default)]
pub struct BadRows {
    pub rows: u64,
    pub cells: u64,
    /// `file:row:column: reason`, at most `SHOW_ERRORS`.
    pub lines: Vec<String>,
    /// The first refused rows themselves, at most `SHOW_ERRORS`.
    pub first: Vec<Reject>,
}

impl BadRows {
    fn add(&mut self, r: &Reject, file: &str) {
        self.rows += 1;
        self.cells += r.errors.len() as u64;
        for line in r.lines(file) {
            if self.lines.len() < SHOW_ERRORS {
                self.lines.push(line);
            }
        }
        if self.first.len() < SHOW_ERRORS {
            self.first.push(r.clone());
        }
    }

    /// Bad cells beyond the lines kept.
    pub fn more(&self) -> u64 {
        self.cells.saturating_sub(self.lines.len() as u64)
    }
}

/// What became of one file.
#[derive(Debug, Clone)]
pub struct FileImport {
    pub file: String,
    pub kind: Kind,
    /// E.g. "CSV（GB18030）".
    pub format: String,
    pub sha256: String,
    /// When a file with the same content was last imported, if ever.
    pub earlier: Option<String>,
    pub header: Vec<String>,
    pub header_row: u64,
    pub notes: Vec<String>,
    pub bad: BadRows,
    /// `None` when the bad rows stopped the file (nothing was written).
    pub summary: Option<ImportSummary>,
    pub rejects_written: Option<PathBuf>,
    pub trial: bool,
}

impl FileImport {
    /// The sentence that says the file was refused, after the bad rows have been shown.
    pub fn refusal(&self) -> String {
        format!(
            "{} 有 {} 行数据有误（共 {} 处），本文件未导入任何记录。请改正后重新导入，或加 --skip-bad 导入其余行并把错误行写入拒收文件",
            self.file, self.bad.rows, self.bad.cells
        )
    }
}

pub fn default_rejects_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(".rejects.csv");
    PathBuf::from(s)
}

/// Imports (or tries) one file. Bad rows are not an `Err`: they are in the result, whose
/// `summary` is `None` when they stopped the file.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    req: &ImportRequest,
    progress: &dyn Progress,
) -> Result<FileImport> {
    let name = req
        .display_name
        .clone()
        .unwrap_or_else(|| path.display().to_string());
    let sha = jianping_ingest::sha256_file(path).map_err(|e| AppError::Invalid(e.to_string()))?;
    let earlier = earlier_import(store, &sha)?;
    let mut imp = Importer::open(path, req.kind, &req.options)
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    let (_, total) = imp.progress();
    let unit = if imp.describe_format().starts_with("CSV") {
        ProgressUnit::Bytes
    } else {
        ProgressUnit::Rows
    };
    progress.start(total, unit);
    let header = imp.header().to_vec();
    let mut load = Load {
        name: &name,
        req,
        header: &header,
        rejects_path: req
            .rejects
            .clone()
            .unwrap_or_else(|| default_rejects_path(path)),
        bad: BadRows::default(),
        rejects: None,
    };
    let result = read_and_load(&mut imp, &mut load, store, &sha, progress);
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            if let Some(w) = load.rejects.take() {
                let p = w.path().to_path_buf();
                drop(w);
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
    };
    let rejects_written = match load.rejects.take() {
        Some(w) => Some(w.finish().context("无法写完拒收文件")?),
        None => None,
    };
    let bad = std::mem::take(&mut load.bad);
    Ok(FileImport {
        file: name.clone(),
        kind: req.kind,
        format: imp.describe_format(),
        sha256: sha,
        earlier,
        header: header.clone(),
        header_row: imp.header_row(),
        notes: imp.notes().to_vec(),
        bad,
        summary,
        rejects_written,
        trial: req.trial,
    })
}

/// Parsing runs on its own thread, one chunk ahead of the database writes.
fn read_and_load(
    imp: &mut Importer,
    load: &mut Load<'_>,
    store: &mut Store,
    sha: &str,
    progress: &dyn Progress,
) -> Result<Option<ImportSummary>> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        scope.spawn(move || {
            loop {
                let next = imp.next_chunk().map(|c| c.map(|c| (c, imp.progress().0)));
                let stop = !matches!(next, Ok(Some(_)));
                if tx.send(next).is_err() || stop {
                    break;
                }
            }
        });
        load.run(store, sha, &rx, progress)
    })
}

type ChunkMsg = Result<Option<(Chunk, u64)>, jianping_ingest::IngestError>;

/// The writing side of one file's import.
struct Load<'a> {
    name: &'a str,
    req: &'a ImportRequest,
    header: &'a [String],
    rejects_path: PathBuf,
    bad: BadRows,
    rejects: Option<RejectsWriter>,
}

impl Load<'_> {
    /// Feeds every chunk to one import session; `None` when bad rows cancelled it.
    fn run(
        &mut self,
        store: &mut Store,
        sha: &str,
        rx: &Receiver<ChunkMsg>,
        progress: &dyn Progress,
    ) -> Result<Option<ImportSummary>> {
        let skip_bad = self.req.skip_bad;
        let mut session = store.begin_import(self.req.kind.slug(), self.name, sha)?;
        while let Some((chunk, done)) = rx
            .recv()
            .map_err(|_| anyhow::anyhow!("读取线程意外退出"))?
            .map_err(|e| AppError::Invalid(e.to_string()))?
        {
            for r in &chunk.rejects {
                self.bad.add(r, self.name);
                if skip_bad && !self.req.trial {
                    self.write_reject(r)?;
                }
            }
            // Without skip_bad the file is already lost after one bad row: keep reading
            // only to report every bad row, and leave the store alone.
            if skip_bad || self.bad.rows == 0 {
                feed(&mut session, chunk.batch).with_context(|| {
                    format!("{}：写入数据库失败，本文件未导入任何记录", self.name)
                })?;
            }
            progress.advance_to(done);
        }
        if self.bad.rows > 0 && !skip_bad {
            session.rollback()?;
            return Ok(None);
        }
        session.note_rejected(self.bad.rows);
        if self.req.trial {
            progress.phase("核对完毕，未写入");
            return Ok(Some(session.trial()?));
        }
        progress.phase("更新汇总表并提交");
        Ok(Some(session.commit()?))
    }

    fn write_reject(&mut self, r: &Reject) -> Result<()> {
        let path = &self.rejects_path;
        if self.rejects.is_none() {
            self.rejects = Some(
                RejectsWriter::create(path, self.header)
                    .with_context(|| format!("无法创建拒收文件 {}", path.display()))?,
            );
        }
        if let Some(w) = &mut self.rejects {
            w.write(r)
                .with_context(|| format!("无法写入拒收文件 {}", path.display()))?;
        }
        Ok(())
    }
}

fn feed(s: &mut ImportSession<'_>, batch: Batch) -> Result<(), StoreError> {
    match batch {
        Batch::Ratings(v) => s.ratings(&v),
        Batch::Tickets(v) => s.tickets(&v),
        Batch::Cases(v) => s.cases(&v),
        Batch::Matters(v) => s.matters(&v),
        Batch::Supervisors(v) => s.supervisors(&v),
        Batch::Feedback(v) => s.feedback(&v),
        Batch::QrReports(v) => s.qr_reports(&v),
        Batch::Assessments(v) => s.assessments(&v),
        Batch::Regions(v) => s.regions(&v),
        Batch::Departments(v) => s.departments(&v),
        Batch::Halls(v) => s.halls(&v),
        Batch::Windows(v) => s.windows(&v),
        Batch::Staff(v) => s.staff(&v),
        Batch::ReportedStats(v) => s.reported_stats(&v),
    }
}

/// When a file with the same content was last imported, if ever.
fn earlier_import(store: &mut Store, sha: &str) -> Result<Option<String>> {
    let rows = store.backend().query(
        "SELECT finished_at FROM imports WHERE sha256 = ? AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1",
        &[sha.into()],
    )?;
    Ok(rows.first().and_then(|r| r.opt_text(0)))
}
