//! Import jobs: an upload is checked (a trial run) and, once a person has seen the result,
//! imported, each on a blocking thread. The table lives in memory: a job is a person's
//! working session with one file, not a record (the import log and the audit log are the
//! records), so a restart only loses checks nobody committed.

use jianping_app::import::{FileImport, Progress, ProgressUnit};
use jianping_ingest::Kind;
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

/// Finished jobs are forgotten (and their files deleted) after this long.
const KEEP: Duration = Duration::from_secs(24 * 3600);
/// At most this many jobs are kept; the oldest finished ones go first.
const MAX_JOBS: usize = 200;

static JOBS: LazyLock<Mutex<HashMap<u64, Arc<Job>>>> = LazyLock::new(Default::default);
static NEXT: AtomicU64 = AtomicU64::new(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// The trial run is under way.
    Checking,
    /// The trial is done; waiting for the person to commit.
    Checked,
    Importing,
    Done,
    Failed,
}

impl Stage {
    pub fn running(self) -> bool {
        matches!(self, Stage::Checking | Stage::Importing)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Checking => "正在检查",
            Stage::Checked => "检查完毕，待确认导入",
            Stage::Importing => "正在导入",
            Stage::Done => "导入完成",
            Stage::Failed => "失败",
        }
    }
}

/// What a trial or an import found, for the page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    pub format: String,
    pub earlier: Option<String>,
    pub notes: Vec<String>,
    pub bad_rows: u64,
    pub bad_cells: u64,
    /// `FILE:ROW:COLUMN: reason`, the CLI's numbering.
    pub bad_lines: Vec<String>,
    pub more: u64,
    /// Counts, when the file was (or would be) written.
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub ledger_items: u64,
    pub written: bool,
    pub rejects_file: bool,
}

impl Outcome {
    pub fn of(f: &FileImport) -> Outcome {
        let s = f.summary.as_ref();
        Outcome {
            format: f.format.clone(),
            earlier: f.earlier.clone(),
            notes: f.notes.clone(),
            bad_rows: f.bad.rows,
            bad_cells: f.bad.cells,
            bad_lines: f.bad.lines.clone(),
            more: f.bad.more(),
            rows_read: s.map_or(0, |s| s.rows_read),
            inserted: s.map_or(0, |s| s.inserted),
            updated: s.map_or(0, |s| s.updated),
            unchanged: s.map_or(0, |s| s.unchanged),
            rejected: s.map_or(f.bad.rows, |s| s.rejected),
            ledger_items: s.map_or(0, |s| s.ledger_items),
            written: s.is_some(),
            rejects_file: f.rejects_written.is_some(),
        }
    }

    /// Rows that would go in (or went in).
    pub fn good_rows(&self) -> u64 {
        self.inserted + self.updated + self.unchanged
    }
}

#[derive(Debug, Clone)]
pub struct Status {
    pub stage: Stage,
    pub trial: Option<Outcome>,
    pub result: Option<Outcome>,
    pub error: Option<String>,
}

/// How far the running step is, updated by the import through [`Progress`].
#[derive(Debug, Default)]
pub struct Meter {
    total: AtomicU64,
    done: AtomicU64,
    rows: AtomicU64,
    phase: Mutex<String>,
}

impl Progress for Meter {
    fn start(&self, total: u64, unit: ProgressUnit) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
        self.rows
            .store(u64::from(unit == ProgressUnit::Rows), Ordering::Relaxed);
        if let Ok(mut p) = self.phase.lock() {
            p.clear();
        }
    }
    fn advance_to(&self, done: u64) {
        self.done.store(done, Ordering::Relaxed);
    }
    fn phase(&self, message: &str) {
        if let Ok(mut p) = self.phase.lock() {
            *p = message.to_string();
        }
    }
}

/// The progress as the page and the JSON poll show it.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressView {
    pub id: u64,
    pub stage: Stage,
    pub stage_label: &'static str,
    pub running: bool,
    pub done: u64,
    pub total: u64,
    /// `bytes` (CSV) or `rows` (XLSX).
    pub unit: &'static str,
    pub percent: u8,
    pub phase: String,
}

pub struct Job {
    pub id: u64,
    /// The user who uploaded: nobody else sees the job.
    pub owner: i64,
    pub kind: Kind,
    /// The file's name as uploaded (what row numbers refer to).
    pub name: String,
    pub size: u64,
    pub path: PathBuf,
    pub rejects: PathBuf,
    pub created_at: String,
    created: Instant,
    pub meter: Meter,
    status: Mutex<Status>,
    /// Holds the upload and the rejects file; deleted with the job.
    _dir: tempfile::TempDir,
}

impl Job {
    pub fn status(&self) -> Status {
        self.status.lock().map(|s| s.clone()).unwrap_or(Status {
            stage: Stage::Failed,
            trial: None,
            result: None,
            error: Some("任务状态不可用".into()),
        })
    }

    pub fn update(&self, f: impl FnOnce(&mut Status)) {
        if let Ok(mut s) = self.status.lock() {
            f(&mut s);
        }
    }

    /// Moves from `from` to `to`; false when the job is not at `from` (a second click).
    pub fn advance(&self, from: Stage, to: Stage) -> bool {
        let Ok(mut s) = self.status.lock() else {
            return false;
        };
        if s.stage != from {
            return false;
        }
        s.stage = to;
        true
    }

    pub fn progress(&self) -> ProgressView {
        let stage = self.status().stage;
        let total = self.meter.total.load(Ordering::Relaxed);
        let done = self.meter.done.load(Ordering::Relaxed).min(total);
        let percent = match stage {
            Stage::Checked | Stage::Done => 100,
            _ if total == 0 => 0,
            _ => (done * 100 / total) as u8,
        };
        ProgressView {
            id: self.id,
            stage,
            stage_label: stage.label(),
            running: stage.running(),
            done,
            total,
            unit: if self.meter.rows.load(Ordering::Relaxed) == 1 {
                "rows"
            } else {
                "bytes"
            },
            percent,
            phase: self
                .meter
                .phase
                .lock()
                .map(|p| p.clone())
                .unwrap_or_default(),
        }
    }
}

/// Registers a job for a file already written to `path` inside `dir`.
pub fn add(
    owner: i64,
    kind: Kind,
    name: String,
    dir: tempfile::TempDir,
    path: PathBuf,
    size: u64,
    created_at: String,
) -> Arc<Job> {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let job = Arc::new(Job {
        id,
        owner,
        kind,
        name,
        size,
        rejects: dir.path().join("rejects.csv"),
        path,
        created_at,
        created: Instant::now(),
        meter: Meter::default(),
        status: Mutex::new(Status {
            stage: Stage::Checking,
            trial: None,
            result: None,
            error: None,
        }),
        _dir: dir,
    });
    if let Ok(mut jobs) = JOBS.lock() {
        prune(&mut jobs);
        jobs.insert(id, Arc::clone(&job));
    }
    job
}

fn prune(jobs: &mut HashMap<u64, Arc<Job>>) {
    jobs.retain(|_, j| j.status().stage.running() || j.created.elapsed() < KEEP);
    while jobs.len() >= MAX_JOBS {
        let oldest = jobs
            .values()
            .filter(|j| !j.status().stage.running())
            .min_by_key(|j| j.id)
            .map(|j| j.id);
        match oldest {
            Some(id) => {
                jobs.remove(&id);
            }
            None => break,
        }
    }
}

/// The job `id` if `owner` uploaded it.
pub fn get(id: u64, owner: i64) -> Option<Arc<Job>> {
    let jobs = JOBS.lock().ok()?;
    jobs.get(&id).filter(|j| j.owner == owner).cloned()
}

/// The owner's jobs, newest first.
pub fn of_owner(owner: i64) -> Vec<Arc<Job>> {
    let Ok(jobs) = JOBS.lock() else {
        return Vec::new();
    };
    let mut v: Vec<_> = jobs
        .values()
        .filter(|j| j.owner == owner)
        .cloned()
        .collect();
    v.sort_by_key(|j| std::cmp::Reverse(j.id));
    v
}
