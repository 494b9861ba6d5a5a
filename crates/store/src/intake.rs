//! Group-commit intake: single ratings arriving concurrently (hall pads, QR pages, the
//! provincial platform) are made durable in batches.
//!
//! Callers on any thread `submit` one rating and block until it is committed. One writer
//! thread owns its own connection and takes whatever is queued as one transaction, so N
//! concurrent callers share one fsync (SQLite `synchronous=FULL`) or one WAL flush
//! (PostgreSQL commit) instead of paying one each. While a batch commits, the next one
//! queues up: the batch size adapts to the load with no timer on the hot path.
//!
//! Safety properties, each tested on both backends:
//! - a receipt means the rating is committed, with its rollup rows, in the same transaction;
//! - 评价编号 is the idempotency key: a retry is acknowledged as a duplicate and counted once;
//! - one bad rating does not sink its batch: records are validated before they queue, and a
//!   batch whose transaction fails on its data is retried one rating per transaction, so
//!   every caller gets its own answer (a busy or unreachable database fails the batch's
//!   callers at once instead: they may retry, safely);
//! - the queue is bounded: `submit` waits when it is full, `try_submit` answers `Busy`.
//!
//! ```no_run
//! # use jianping_store::{Intake, IntakeConfig, Store, Target};
//! # fn demo(record: jianping_core::records::RatingRecord) -> Result<(), Box<dyn std::error::Error>> {
//! let target = Target::parse("jianping.db")?;
//! // The writer gets a connection of its own; readers keep theirs.
//! let intake = Intake::start(Store::open(&target)?, IntakeConfig::default());
//! // In each request handler (any thread; clone the handle freely):
//! let receipt = intake.submit_timeout(record, std::time::Duration::from_secs(5))?;
//! println!("{} {:?}", receipt.rating_no, receipt.outcome);
//! # Ok(()) }
//! ```

use crate::Store;
use crate::backend::Row;
use crate::dims::DimCache;
use crate::error::StoreError;
use crate::import::facts::{RATING_COLUMNS, rating_key, rating_row};
use crate::rollup::RatingDeltas;
use jianping_core::records::RatingRecord;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TryRecvError, TrySendError};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Tuning of the intake queue.
#[derive(Debug, Clone)]
pub struct IntakeConfig {
    /// Ratings that may wait for the writer; beyond this, callers are held back.
    pub queue: usize,
    /// Most ratings in one transaction (bounds the latency of the ratings at its end).
    pub max_batch: usize,
    /// How long the writer waits for company after the first rating of a batch. Zero (the
    /// default) is right under load, when the previous commit's duration gathers the batch.
    pub linger: Duration,
}

impl Default for IntakeConfig {
    fn default() -> Self {
        IntakeConfig {
            queue: 8192,
            max_batch: 1024,
            linger: Duration::ZERO,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IntakeOutcome {
    /// Newly stored and counted.
    Stored,
    /// A rating with this 评价编号 was already stored; nothing changed.
    Duplicate,
}

/// Proof that a rating is durable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntakeReceipt {
    pub rating_no: String,
    pub outcome: IntakeOutcome,
    /// How many ratings shared the transaction (1 when it was retried alone).
    pub batch_size: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    #[error("评价数据无效：{0}")]
    Invalid(String),
    #[error("评价接收队列已满，请稍后重试")]
    Busy,
    #[error("评价接收服务已停止，请重新启动服务后重试")]
    Closed,
    #[error("评价在时限内未确认保存：可能稍后保存成功，请用同一评价编号重试（不会重复计数）")]
    Timeout,
    #[error("评价未能保存：{0}。请稍后重试；若反复出现，请检查数据库状态")]
    Store(String),
}

/// Counters since start, for monitoring and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IntakeStats {
    pub batches: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub failed: u64,
    /// Batches whose transaction failed and were retried rating by rating.
    pub split_batches: u64,
    pub largest_batch: u64,
}

#[derive(Default)]
struct Counters {
    batches: AtomicU64,
    stored: AtomicU64,
    duplicates: AtomicU64,
    failed: AtomicU64,
    split_batches: AtomicU64,
    largest_batch: AtomicU64,
}

type Reply = Result<IntakeReceipt, IntakeError>;

struct Job {
    record: RatingRecord,
    reply: SyncSender<Reply>,
}

/// A handle to the intake; clone it freely. The writer stops, after finishing what is
/// queued, when the last handle is dropped.
#[derive(Clone)]
pub struct Intake {
    shared: Arc<Shared>,
}

struct Shared {
    queue: Option<SyncSender<Job>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    counters: Arc<Counters>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        // Closing the queue lets the writer drain it and return.
        self.queue.take();
        if let Ok(mut w) = self.writer.lock()
            && let Some(handle) = w.take()
        {
            let _ = handle.join();
        }
    }
}

impl Intake {
    /// Starts the writer thread on `store`, which should be a connection of its own.
    /// One writer is the design: on SQLite writers take turns at the file's lock, and on
    /// PostgreSQL a second writer measured no gain on two cores (docs/scaling.md).
    pub fn start(store: Store, config: IntakeConfig) -> Intake {
        let (tx, rx) = mpsc::sync_channel(config.queue.max(1));
        let counters = Arc::new(Counters::default());
        let c = Arc::clone(&counters);
        let handle = std::thread::Builder::new()
            .name("jianping-intake".into())
            .spawn(move || writer_loop(store, &rx, &config, &c))
            .expect("spawning the intake writer thread");
        Intake {
            shared: Arc::new(Shared {
                queue: Some(tx),
                writer: Mutex::new(Some(handle)),
                counters,
            }),
        }
    }

    /// Stores one rating; returns once it is durable. Waits while the queue is full.
    pub fn submit(&self, record: RatingRecord) -> Result<IntakeReceipt, IntakeError> {
        validate(&record).map_err(IntakeError::Invalid)?;
        let (reply, answer) = mpsc::sync_channel(1);
        self.sender()?
            .send(Job { record, reply })
            .map_err(|_| IntakeError::Closed)?;
        answer.recv().map_err(|_| IntakeError::Closed)?
    }

    /// Like `submit`, but answers `Busy` at once when the queue is full (for HTTP 503).
    pub fn try_submit(&self, record: RatingRecord) -> Result<IntakeReceipt, IntakeError> {
        validate(&record).map_err(IntakeError::Invalid)?;
        let (reply, answer) = mpsc::sync_channel(1);
        match self.sender()?.try_send(Job { record, reply }) {
            Ok(()) => answer.recv().map_err(|_| IntakeError::Closed)?,
            Err(TrySendError::Full(_)) => Err(IntakeError::Busy),
            Err(TrySendError::Disconnected(_)) => Err(IntakeError::Closed),
        }
    }

    /// Like `submit`, but gives up after `limit` (queueing and commit included). A
    /// `Timeout` does not mean the rating was lost: it may still commit, and a retry with
    /// the same 评价编号 is safe.
    pub fn submit_timeout(
        &self,
        record: RatingRecord,
        limit: Duration,
    ) -> Result<IntakeReceipt, IntakeError> {
        validate(&record).map_err(IntakeError::Invalid)?;
        let deadline = Instant::now() + limit;
        let (reply, answer) = mpsc::sync_channel(1);
        let mut job = Job { record, reply };
        loop {
            match self.sender()?.try_send(job) {
                Ok(()) => break,
                Err(TrySendError::Disconnected(_)) => return Err(IntakeError::Closed),
                Err(TrySendError::Full(j)) if Instant::now() < deadline => {
                    job = j;
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(TrySendError::Full(_)) => return Err(IntakeError::Busy),
            }
        }
        match answer.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => Err(IntakeError::Timeout),
            Err(RecvTimeoutError::Disconnected) => Err(IntakeError::Closed),
        }
    }

    pub fn stats(&self) -> IntakeStats {
        let c = &self.shared.counters;
        IntakeStats {
            batches: c.batches.load(Ordering::Relaxed),
            stored: c.stored.load(Ordering::Relaxed),
            duplicates: c.duplicates.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            split_batches: c.split_batches.load(Ordering::Relaxed),
            largest_batch: c.largest_batch.load(Ordering::Relaxed),
        }
    }

    fn sender(&self) -> Result<&SyncSender<Job>, IntakeError> {
        self.shared.queue.as_ref().ok_or(IntakeError::Closed)
    }
}

/// What a rating must satisfy before it may share a transaction with others. The record's
/// types already guarantee grade, channel, region and time; these are the remaining limits.
pub fn validate(r: &RatingRecord) -> Result<(), String> {
    let no = r.rating_no.trim();
    if no.is_empty() {
        return Err("评价编号为空：每条评价须有唯一的评价编号".into());
    }
    if no.chars().count() > 64 || no.chars().any(char::is_control) {
        return Err(format!(
            "评价编号「{}」无效：最长64个字符，不能含控制字符",
            no.chars().take(64).collect::<String>()
        ));
    }
    if r.department.trim().is_empty() {
        return Err(format!("评价 {no} 缺少部门"));
    }
    if !(1..=2).contains(&r.attempt) {
        return Err(format!(
            "评价 {no} 的评价次数为 {}：只能是 1（首评）或 2（追评）",
            r.attempt
        ));
    }
    let tomorrow = chrono::Local::now().naive_local() + chrono::Duration::days(1);
    if r.rated_at > tomorrow {
        return Err(format!(
            "评价 {no} 的评价时间 {} 晚于当前时间，请检查评价设备的时钟",
            jianping_core::time::fmt_ts(&r.rated_at)
        ));
    }
    let too_long =
        |s: &Option<String>, max: usize| s.as_ref().is_some_and(|t| t.chars().count() > max);
    if too_long(&r.comment, 2000) || too_long(&r.tags, 500) {
        return Err(format!("评价 {no} 的文字评价或标签过长（上限2000/500字）"));
    }
    Ok(())
}

/// Stores ratings in one transaction per call, keeping its dimension cache between calls.
/// The intake's writer uses it per batch; benchmarks use it per rating as the baseline.
pub struct RatingWriter {
    store: Store,
    dims: Option<DimCache>,
}

impl RatingWriter {
    pub fn new(store: Store) -> RatingWriter {
        RatingWriter { store, dims: None }
    }

    /// Stores `records` (with their rollups) in one transaction; all or nothing.
    pub fn write(&mut self, records: &[&RatingRecord]) -> Result<Vec<IntakeOutcome>, StoreError> {
        let cached = self.dims.take();
        let mut kept = None;
        let result = self.store.tx(|db| {
            let mut dims = match cached {
                Some(d) => d,
                None => DimCache::load(db)?,
            };
            let rows = records
                .iter()
                .map(|r| rating_row(db, &mut dims, r, None))
                .collect::<Result<Vec<Row>, _>>()?;
            let fresh = db.insert_new("ratings", RATING_COLUMNS, 0, &rows)?;
            let mut deltas = RatingDeltas::default();
            for (row, new) in rows.iter().zip(&fresh) {
                if *new {
                    deltas.add(rating_key(row), 1);
                }
            }
            deltas.apply(db)?;
            // Ids created by a transaction that rolls back would be dangling: the cache is
            // kept only once the commit has succeeded.
            dims.created = Default::default();
            kept = Some(dims);
            Ok::<_, StoreError>(
                fresh
                    .into_iter()
                    .map(|new| {
                        if new {
                            IntakeOutcome::Stored
                        } else {
                            IntakeOutcome::Duplicate
                        }
                    })
                    .collect(),
            )
        });
        if result.is_ok() {
            self.dims = kept;
        }
        result
    }
}

fn writer_loop(store: Store, rx: &Receiver<Job>, config: &IntakeConfig, c: &Counters) {
    let mut writer = RatingWriter::new(store);
    while let Ok(first) = rx.recv() {
        let batch = gather(first, rx, config);
        let n = batch.len() as u64;
        c.batches.fetch_add(1, Ordering::Relaxed);
        c.largest_batch.fetch_max(n, Ordering::Relaxed);
        let records: Vec<&RatingRecord> = batch.iter().map(|j| &j.record).collect();
        match writer.write(&records) {
            Ok(outcomes) => {
                for (job, outcome) in batch.iter().zip(outcomes) {
                    answer(job, Ok(outcome), batch.len(), c);
                }
            }
            Err(e) if batch.len() == 1 => answer(&batch[0], Err(e), 1, c),
            // Busy, locked or disconnected: one rating per transaction would only repeat
            // the wait for each of them. Every caller gets the error and may retry.
            Err(e) if e.is_transient() => {
                for job in &batch {
                    answer(job, Err(StoreError::Invalid(e.to_string())), batch.len(), c);
                }
            }
            Err(_) => {
                c.split_batches.fetch_add(1, Ordering::Relaxed);
                for job in &batch {
                    let result = writer.write(&[&job.record]).map(|mut o| o.remove(0));
                    answer(job, result, 1, c);
                }
            }
        }
    }
}

/// The first job plus whatever else is queued (or arrives within the linger time).
fn gather(first: Job, rx: &Receiver<Job>, config: &IntakeConfig) -> Vec<Job> {
    let mut batch = vec![first];
    let deadline = Instant::now() + config.linger;
    while batch.len() < config.max_batch.max(1) {
        match rx.try_recv() {
            Ok(job) => batch.push(job),
            Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                match rx.recv_timeout(left) {
                    Ok(job) => batch.push(job),
                    Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
                }
            }
        }
    }
    batch
}

fn answer(job: &Job, result: Result<IntakeOutcome, StoreError>, size: usize, c: &Counters) {
    let reply = match result {
        Ok(outcome) => {
            let counter = match outcome {
                IntakeOutcome::Stored => &c.stored,
                IntakeOutcome::Duplicate => &c.duplicates,
            };
            counter.fetch_add(1, Ordering::Relaxed);
            Ok(IntakeReceipt {
                rating_no: job.record.rating_no.clone(),
                outcome,
                batch_size: size,
            })
        }
        Err(e) => {
            c.failed.fetch_add(1, Ordering::Relaxed);
            Err(IntakeError::Store(e.to_string()))
        }
    };
    // A caller that gave up waiting is not an error of the intake.
    let _ = job.reply.send(reply);
}
