//! Durable single-rating intake at the store level: W concurrent writers, each submitting one
//! rating at a time and waiting for it to be durable.
//!
//! Modes (each on a fresh database):
//! - `group`: all writers share one `Intake` (group commit: one writer thread, batches);
//! - `serial`: one `Intake` with batches of one (a queue, but one commit per rating);
//! - `single`: every writer has its own connection and commits one rating per transaction.
//!
//! `bench-intake --db sqlite:/tmp/x.db --writers 64 --seconds 10 --modes group,single`
//! `bench-intake --db postgres://postgres@127.0.0.1/test ...` (works in a scratch schema)
//!
//! `--bad-percent P`: make P of every 100 ratings 不满意 (the generator's own share of
//! 基本满意 and worse is 0.1%), to measure what opening their ledger items costs.
//!
//! `--drop-fact-fks` (an experiment, PostgreSQL): drops the foreign keys of `ratings` after
//! the warm-up, to measure what their per-row checks cost.
//!
//! Prints one human line and one JSON line (prefixed `JSON `) per mode.

use anyhow::{Context, bail};
use jianping_bench::Generator;
use jianping_bench::metrics::{ms, quantile};
use jianping_core::records::RatingRecord;
use jianping_store::intake::RatingWriter;
use jianping_store::{Intake, IntakeConfig, Store, Target};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

struct Opts {
    db: String,
    writers: usize,
    seconds: f64,
    modes: Vec<String>,
    drop_fks: bool,
    bad_percent: Option<u64>,
}

fn opts() -> anyhow::Result<Opts> {
    let mut o = Opts {
        db: String::new(),
        writers: 64,
        seconds: 10.0,
        modes: vec!["group".into(), "serial".into(), "single".into()],
        drop_fks: false,
        bad_percent: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().context("an option is missing its value");
        match a.as_str() {
            "--db" => o.db = value()?,
            "--writers" => o.writers = value()?.parse()?,
            "--seconds" => o.seconds = value()?.parse()?,
            "--modes" => o.modes = value()?.split(',').map(String::from).collect(),
            "--drop-fact-fks" => o.drop_fks = true,
            "--bad-percent" => o.bad_percent = Some(value()?.parse()?),
            other => bail!("unknown argument {other}"),
        }
    }
    if o.db.is_empty() {
        bail!("--db sqlite:PATH or --db postgres://… is required");
    }
    Ok(o)
}

/// A fresh database per mode: a new SQLite file, or a new PostgreSQL schema.
fn fresh_target(db: &str, mode: &str) -> anyhow::Result<Target> {
    Ok(match Target::parse(db)? {
        Target::Sqlite(p) => {
            let p = p.with_extension(format!("{mode}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
            Target::Sqlite(p)
        }
        Target::Postgres { url, .. } => {
            let schema = format!("bench_intake_{mode}_{}", std::process::id());
            let mut c = postgres::Client::connect(&url, postgres::NoTls)?;
            c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))?;
            Target::Postgres {
                url,
                schema: Some(schema),
            }
        }
    })
}

fn drop_target(t: &Target) {
    if let Target::Postgres {
        url,
        schema: Some(s),
    } = t
        && let Ok(mut c) = postgres::Client::connect(url, postgres::NoTls)
    {
        let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {s} CASCADE"));
    }
}

/// Writer `w`'s ratings: the generated stream, numbered apart from the other writers',
/// with `bad_percent` of every 100 made 不满意.
fn ratings_of(w: usize, bad_percent: Option<u64>) -> impl Iterator<Item = RatingRecord> {
    let mut g = Generator::new(1000 + w as u64, 10_000_000);
    let mut n: u64 = 0;
    std::iter::from_fn(move || {
        let mut r = g.next_record()?;
        r.rating_no = format!("W{w:03}-{}", r.rating_no);
        if bad_percent.is_some_and(|p| n % 100 < p) {
            r.grade = jianping_core::Grade::Unsatisfied;
        }
        n += 1;
        Some(r)
    })
}

struct Outcome {
    latencies: Vec<Duration>,
    errors: u64,
    first_error: Option<String>,
}

/// Runs `writers` threads for `seconds`; each calls `submit` in a loop and times it.
fn drive(
    writers: usize,
    seconds: f64,
    bad_percent: Option<u64>,
    submit: impl Fn(usize, RatingRecord) -> Result<(), String> + Send + Sync + 'static,
) -> (Vec<Outcome>, Duration) {
    let submit = Arc::new(submit);
    let barrier = Arc::new(Barrier::new(writers + 1));
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let (submit, barrier) = (Arc::clone(&submit), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let mut out = Outcome {
                    latencies: Vec::new(),
                    errors: 0,
                    first_error: None,
                };
                let mut ratings = ratings_of(w, bad_percent);
                barrier.wait();
                let end = Instant::now() + Duration::from_secs_f64(seconds);
                while Instant::now() < end {
                    let Some(r) = ratings.next() else { break };
                    let t = Instant::now();
                    match submit(w, r) {
                        Ok(()) => out.latencies.push(t.elapsed()),
                        Err(e) => {
                            out.errors += 1;
                            out.first_error.get_or_insert(e);
                        }
                    }
                }
                out
            })
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    let outs = handles
        .into_iter()
        .map(|h| h.join().expect("writer thread"))
        .collect();
    (outs, start.elapsed())
}

/// Creates the dimensions first so that every mode measures steady-state intake.
fn warm_up(target: &Target) -> anyhow::Result<()> {
    let mut w = RatingWriter::new(Store::open(target)?);
    let mut g = Generator::new(99, 50_000);
    let warm: Vec<RatingRecord> = std::iter::from_fn(|| g.next_record())
        .map(|mut r| {
            r.rating_no = format!("WARM-{}", r.rating_no);
            r
        })
        .collect();
    w.write(&warm.iter().collect::<Vec<_>>())?;
    Ok(())
}

fn drop_fact_fks(store: &mut Store) -> anyhow::Result<()> {
    let fks = store.backend().query(
        "SELECT conname::text FROM pg_constraint WHERE conrelid = to_regclass('ratings') AND contype = 'f'",
        &[],
    )?;
    for fk in fks {
        let name = fk[0].as_str().unwrap_or_default().to_string();
        store
            .backend()
            .execute_batch(&format!("ALTER TABLE ratings DROP CONSTRAINT {name}"))?;
    }
    Ok(())
}

fn run_mode(o: &Opts, mode: &str) -> anyhow::Result<()> {
    let target = fresh_target(&o.db, mode)?;
    warm_up(&target)?;
    if o.drop_fks && matches!(target, Target::Postgres { .. }) {
        drop_fact_fks(&mut Store::open(&target)?)?;
    }
    let (outs, elapsed, batches) = match mode {
        "group" | "serial" => {
            let config = IntakeConfig {
                max_batch: if mode == "serial" { 1 } else { 1024 },
                ..IntakeConfig::default()
            };
            let intake = Intake::start(Store::open(&target)?, config);
            let h = intake.clone();
            let (outs, elapsed) = drive(o.writers, o.seconds, o.bad_percent, move |_, r| {
                h.submit(r).map(|_| ()).map_err(|e| e.to_string())
            });
            (outs, elapsed, Some(intake.stats().batches))
        }
        "single" => {
            let writers: Vec<std::sync::Mutex<RatingWriter>> = (0..o.writers)
                .map(|_| {
                    Ok(std::sync::Mutex::new(RatingWriter::new(Store::open(
                        &target,
                    )?)))
                })
                .collect::<anyhow::Result<_>>()?;
            let writers = Arc::new(writers);
            let (outs, elapsed) = drive(o.writers, o.seconds, o.bad_percent, move |w, r| {
                let mut writer = writers[w].lock().expect("writer lock");
                match writer.write(&[&r]) {
                    Ok(mut w) => w.remove(0).map(|_| ()).map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                }
            });
            (outs, elapsed, None)
        }
        other => bail!("unknown mode {other}: use group, serial or single"),
    };
    report(o, &target, mode, outs, elapsed, batches)?;
    drop_target(&target);
    Ok(())
}

fn report(
    o: &Opts,
    target: &Target,
    mode: &str,
    outs: Vec<Outcome>,
    elapsed: Duration,
    batches: Option<u64>,
) -> anyhow::Result<()> {
    let errors: u64 = outs.iter().map(|x| x.errors).sum();
    if let Some(e) = outs.iter().find_map(|x| x.first_error.as_ref()) {
        eprintln!("{mode}: first of {errors} errors: {e}");
    }
    let mut lat: Vec<Duration> = outs.into_iter().flat_map(|x| x.latencies).collect();
    let n = lat.len() as u64;
    let per_sec = n as f64 / elapsed.as_secs_f64();
    let (p50, p99, max) = (
        quantile(&mut lat, 0.5),
        quantile(&mut lat, 0.99),
        quantile(&mut lat, 1.0),
    );
    // The figures count only what a recomputation from the facts confirms.
    let mut store = Store::open(target)?;
    let stored = store.backend().query(
        "SELECT COUNT(*) FROM ratings WHERE rating_no NOT LIKE 'WARM-%'",
        &[],
    )?[0][0]
        .as_i64()
        .unwrap_or(-1);
    let mismatches = store.verify_rollups()?.len();
    if stored != n as i64 || mismatches != 0 {
        bail!("{mode}: {n} acknowledged but {stored} stored, {mismatches} rollup mismatches");
    }
    let backend = match target {
        Target::Sqlite(_) => "sqlite",
        Target::Postgres { .. } => "postgres",
    };
    let avg_batch = batches.map(|b| n as f64 / b.max(1) as f64);
    println!(
        "{backend:8} {mode:6} writers={:3} durable={n:7} in {:.1}s = {per_sec:9.0}/s  p50={:7.2}ms p99={:7.2}ms max={:7.2}ms errors={errors}{}",
        o.writers,
        elapsed.as_secs_f64(),
        ms(p50),
        ms(p99),
        ms(max),
        avg_batch.map_or(String::new(), |b| format!("  avg batch {b:.1}"))
    );
    let json = serde_json::json!({
        "bench": "intake", "backend": backend, "mode": mode, "writers": o.writers,
        "durable": n, "seconds": elapsed.as_secs_f64(), "per_sec": per_sec,
        "p50_ms": ms(p50), "p99_ms": ms(p99), "max_ms": ms(max), "avg_batch": avg_batch,
        "errors": errors,
    });
    println!("JSON {json}");
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let o = opts()?;
    for mode in &o.modes {
        run_mode(&o, mode)?;
    }
    Ok(())
}
