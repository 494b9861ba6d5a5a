//! Group-commit intake: single ratings arriving concurrently (hall pads, QR pages, the
//! provincial platform) are made durable in batches.
//!
//! Callers on any thread `submit` one rating and block until it is committed; async callers
//! (a web handler on a tokio worker) `submit_async` and await the same answer without
//! blocking the worker. One writer
//! thread owns its own connection and takes whatever is queued as one transaction, so N
//! concurrent callers share one fsync (SQLite `synchronous=FULL`) or one WAL flush
//! (PostgreSQL commit) instead of paying one each. While a batch commits, the next one
//! queues up: the batch size adapts to the load with no timer on the hot path.
//!
//! Safety properties, each tested on both backends:
//! - a receipt means the rating is committed, with its rollup rows and, for a bad rating,
//!   its rectification-ledger item, in the same transaction (the item registered exactly as
//!   an import registers it: same configuration, numbering and deadlines);
//! - 评价编号 is the idempotency key: a retry is acknowledged as a duplicate and counted once;
//! - one bad rating does not sink its batch: records are validated before they queue, and a
//!   batch whose transaction fails on its data is retried one rating per transaction, so
//!   every caller gets its own answer (a busy or unreachable database fails the batch's
//!   callers at once instead: they may retry, safely);
//! - the queue is bounded: `submit` waits when it is full, `try_submit` and `submit_async`
//!   answer `Busy` at once (an HTTP 503 the client may retry; no request holds a worker).
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
use jianping_core::Grade;
use jianping_core::records::RatingRecord;
use serde::Serialize;
use std::future::Future;
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
    /// The rectification item this (new, bad) rating opened, e.g. `ZG2026-00042`.
    pub ledger_item: Option<String>,
}

/// Why a rating was not taken. [`IntakeError::is_invalid`] (HTTP 422: the caller must
/// change the rating) and [`IntakeError::is_unavailable`] (HTTP 503: the same rating may
/// be retried later, safely) classify all but `Store`, a database refusal of a rating the
/// validator passed (HTTP 500: a fault to investigate).
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
    /// The database was busy, locked or unreachable: nothing of the batch was stored.
    #[error(
        "评价暂未能保存（数据库繁忙或连接中断：{0}）：请稍后用同一评价编号重试（不会重复计数）"
    )]
    Unavailable(String),
    /// The case (办件) already has this attempt under another 评价编号: checked inside the
    /// writer's transaction, so two clients rating one case at the same instant cannot
    /// both succeed.
    #[error(
        "办件 {case_no} 已有{}（评价编号 {existing}）：每个办件只能首评一次、追评一次",
        if *.attempt == 1 { "首评" } else { "追评" }
    )]
    CaseTaken {
        case_no: String,
        attempt: u8,
        existing: String,
    },
    #[error("评价未能保存：{0}。请稍后重试；若反复出现，请检查数据库状态")]
    Store(String),
}

impl IntakeError {
    /// The rating itself is at fault (HTTP 422).
    pub fn is_invalid(&self) -> bool {
        matches!(self, IntakeError::Invalid(_))
    }

    /// The case was already rated (HTTP 409): a retry cannot succeed.
    pub fn is_conflict(&self) -> bool {
        matches!(self, IntakeError::CaseTaken { .. })
    }

    /// The intake could not take it now; a retry with the same 评价编号 is safe (HTTP 503).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            IntakeError::Busy
                | IntakeError::Closed
                | IntakeError::Timeout
                | IntakeError::Unavailable(_)
        )
    }
}

/// Counters since start, for monitoring and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IntakeStats {
    pub batches: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub failed: u64,
    /// Ratings refused because their case's 首评/追评 was already stored (counted apart from
    /// `failed`: nothing is wrong with the intake).
    pub case_taken: u64,
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
    case_taken: AtomicU64,
    split_batches: AtomicU64,
    largest_batch: AtomicU64,
}

type Reply = Result<IntakeReceipt, IntakeError>;

/// Where a job's answer goes: a blocked thread, or an awaiting task.
enum ReplyTo {
    Blocking(SyncSender<Reply>),
    Async(tokio::sync::oneshot::Sender<Reply>),
}

struct Job {
    record: RatingRecord,
    reply: ReplyTo,
}

impl Job {
    fn blocking(record: RatingRecord) -> (Job, Receiver<Reply>) {
        let (tx, rx) = mpsc::sync_channel(1);
        (
            Job {
                record,
                reply: ReplyTo::Blocking(tx),
            },
            rx,
        )
    }
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
        let (job, answer) = Job::blocking(record);
        self.sender()?.send(job).map_err(|_| IntakeError::Closed)?;
        answer.recv().map_err(|_| IntakeError::Closed)?
    }

    /// Stores one rating from async code: resolves once it is durable. The rating is
    /// queued when this is called, not when the future is first polled. Never blocks the
    /// calling thread: validation is a few checks, the rating is queued with `try_send`
    /// (a full queue answers `Busy` at once rather than holding a runtime worker or
    /// queueing without bound), and the answer comes through a oneshot channel. No
    /// runtime is needed by the store; any executor can await the future. Dropping the
    /// future abandons the wait, not the rating: it may still commit, and a retry with the
    /// same 评价编号 is safe. Bound the wait with the runtime's timer (e.g.
    /// `tokio::time::timeout`) and answer a timeout as `IntakeError::Timeout`.
    pub fn submit_async(
        &self,
        record: RatingRecord,
    ) -> impl Future<Output = Result<IntakeReceipt, IntakeError>> + Send + 'static {
        let queued = self.enqueue_async(record);
        async move {
            let answer = queued?;
            answer.await.map_err(|_| IntakeError::Closed)?
        }
    }

    fn enqueue_async(
        &self,
        record: RatingRecord,
    ) -> Result<tokio::sync::oneshot::Receiver<Reply>, IntakeError> {
        validate(&record).map_err(IntakeError::Invalid)?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job = Job {
            record,
            reply: ReplyTo::Async(tx),
        };
        match self.sender()?.try_send(job) {
            Ok(()) => Ok(rx),
            Err(TrySendError::Full(_)) => Err(IntakeError::Busy),
            Err(TrySendError::Disconnected(_)) => Err(IntakeError::Closed),
        }
    }

    /// Like `submit`, but answers `Busy` at once when the queue is full (for HTTP 503).
    pub fn try_submit(&self, record: RatingRecord) -> Result<IntakeReceipt, IntakeError> {
        validate(&record).map_err(IntakeError::Invalid)?;
        let (job, answer) = Job::blocking(record);
        match self.sender()?.try_send(job) {
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
        let (mut job, answer) = Job::blocking(record);
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
            case_taken: c.case_taken.load(Ordering::Relaxed),
            split_batches: c.split_batches.load(Ordering::Relaxed),
            largest_batch: c.largest_batch.load(Ordering::Relaxed),
        }
    }

    fn sender(&self) -> Result<&SyncSender<Job>, IntakeError> {
        self.shared.queue.as_ref().ok_or(IntakeError::Closed)
    }
}

/// What a rating must satisfy before it may share a transaction with others; see
/// [`RatingRecord::validate`], which this is.
pub fn validate(r: &RatingRecord) -> Result<(), String> {
    r.validate()
}

/// What became of one rating written by [`RatingWriter::write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub outcome: IntakeOutcome,
    /// The ledger item the rating opened (a new bad rating).
    pub ledger_item: Option<String>,
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

    /// Stores `records` (with their rollups, and the ledger items of the new bad ones) in
    /// one transaction; all or nothing. A record naming a case whose attempt (首评/追评) is
    /// already stored under another 评价编号 — in the database or earlier in `records` — is
    /// answered [`IntakeError::CaseTaken`] and not written; the others are.
    pub fn write(
        &mut self,
        records: &[&RatingRecord],
    ) -> Result<Vec<Result<Written, IntakeError>>, StoreError> {
        let cached = self.dims.take();
        let mut kept = None;
        let now = chrono::Local::now().naive_local();
        let result = self.store.tx(|db| {
            let mut dims = match cached {
                Some(d) => d,
                None => DimCache::load(db)?,
            };
            let taken = crate::case_ratings::taken_cases(db, records)?;
            let accepted: Vec<&RatingRecord> = records
                .iter()
                .zip(&taken)
                .filter(|(_, t)| t.is_none())
                .map(|(r, _)| *r)
                .collect();
            let rows = accepted
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
            let items = open_items(db, &accepted, &fresh, now)?;
            // Ids created by a transaction that rolls back would be dangling: the cache is
            // kept only once the commit has succeeded.
            dims.created = Default::default();
            kept = Some(dims);
            let mut fresh = fresh.into_iter();
            Ok::<_, StoreError>(
                records
                    .iter()
                    .zip(taken)
                    .map(|(r, taken)| match taken {
                        Some(existing) => Err(IntakeError::CaseTaken {
                            case_no: r.case_no.clone().unwrap_or_default(),
                            attempt: r.attempt,
                            existing,
                        }),
                        None => {
                            let new = fresh.next().unwrap_or(false);
                            Ok(Written {
                                outcome: if new {
                                    IntakeOutcome::Stored
                                } else {
                                    IntakeOutcome::Duplicate
                                },
                                ledger_item: new
                                    .then(|| items.get(r.rating_no.as_str()).cloned())
                                    .flatten(),
                            })
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

/// Registers the ledger items of the batch's new ratings whose grade may make them items:
/// the configuration decides which do, and `LedgerConfig::validate` admits only 基本满意 and
/// worse, so a batch of 满意 and 非常满意 (most batches) costs no lookup at all. Returns
/// item numbers by rating number.
fn open_items(
    db: &mut dyn crate::backend::Backend,
    records: &[&RatingRecord],
    fresh: &[bool],
    at: chrono::NaiveDateTime,
) -> Result<std::collections::HashMap<String, String>, StoreError> {
    let maybe_bad: Vec<&str> = records
        .iter()
        .zip(fresh)
        .filter(|(r, new)| **new && !matches!(r.grade, Grade::VerySatisfied | Grade::Satisfied))
        .map(|(r, _)| r.rating_no.as_str())
        .collect();
    if maybe_bad.is_empty() {
        return Ok(Default::default());
    }
    Ok(crate::ledger::register_ratings(db, &maybe_bad, at)?
        .into_iter()
        .collect())
}

fn writer_loop(store: Store, rx: &Receiver<Job>, config: &IntakeConfig, c: &Counters) {
    let mut writer = RatingWriter::new(store);
    while let Ok(first) = rx.recv() {
        let batch = gather(first, rx, config);
        let n = batch.len();
        c.batches.fetch_add(1, Ordering::Relaxed);
        c.largest_batch.fetch_max(n as u64, Ordering::Relaxed);
        let records: Vec<&RatingRecord> = batch.iter().map(|j| &j.record).collect();
        match writer.write(&records) {
            Ok(written) => {
                for (job, w) in batch.into_iter().zip(written) {
                    answer(job, w, n, c);
                }
            }
            Err(e) if n == 1 => {
                let failure = failed(&e);
                batch
                    .into_iter()
                    .for_each(|job| answer(job, Err(failure.clone()), 1, c));
            }
            // Busy, locked or disconnected: one rating per transaction would only repeat
            // the wait for each of them. Every caller gets the error and may retry.
            Err(e) if e.is_transient() => {
                let failure = failed(&e);
                for job in batch {
                    answer(job, Err(failure.clone()), n, c);
                }
            }
            Err(_) => {
                c.split_batches.fetch_add(1, Ordering::Relaxed);
                for job in batch {
                    let result = match writer.write(&[&job.record]) {
                        Ok(mut w) => w.remove(0),
                        Err(e) => Err(failed(&e)),
                    };
                    answer(job, result, 1, c);
                }
            }
        }
    }
}

/// A store failure as the caller sees it: retryable, or a refusal of the data.
fn failed(e: &StoreError) -> IntakeError {
    if e.is_transient() {
        IntakeError::Unavailable(e.to_string())
    } else {
        IntakeError::Store(e.to_string())
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

fn answer(job: Job, result: Result<Written, IntakeError>, size: usize, c: &Counters) {
    let reply = match result {
        Ok(w) => {
            let counter = match w.outcome {
                IntakeOutcome::Stored => &c.stored,
                IntakeOutcome::Duplicate => &c.duplicates,
            };
            counter.fetch_add(1, Ordering::Relaxed);
            Ok(IntakeReceipt {
                rating_no: job.record.rating_no,
                outcome: w.outcome,
                batch_size: size,
                ledger_item: w.ledger_item,
            })
        }
        Err(e) => {
            let counter = if e.is_conflict() {
                &c.case_taken
            } else {
                &c.failed
            };
            counter.fetch_add(1, Ordering::Relaxed);
            Err(e)
        }
    };
    // A caller that gave up waiting is not an error of the intake.
    let _ = match job.reply {
        ReplyTo::Blocking(tx) => tx.send(reply).map_err(drop),
        ReplyTo::Async(tx) => tx.send(reply).map_err(drop),
    };
}
