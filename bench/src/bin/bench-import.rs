//! Store-level bulk import: N generated ratings → `ImportSession::ratings` in chunks, one
//! transaction, rollups included. Generation runs on a second thread, as parsing would.
//!
//! `bench-import --db sqlite:/tmp/x.db --n 1000000`
//! `bench-import --db postgres://postgres@127.0.0.1/test --n 1000000` (in a scratch schema)
//!
//! `--drop-fact-fks` (an experiment, PostgreSQL): drops the foreign keys of `ratings` first,
//! to measure what their per-row checks cost.
//!
//! Prints one human line and one JSON line (prefixed `JSON `).

use anyhow::{Context, bail};
use jianping_bench::Generator;
use jianping_bench::metrics::peak_rss_mib;
use jianping_core::records::RatingRecord;
use jianping_store::{Store, Target};
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let (mut db, mut n, mut chunk, mut keep) = (String::new(), 1_000_000u64, 1_000usize, false);
    let mut drop_fks = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().context("an option is missing its value");
        match a.as_str() {
            "--db" => db = value()?,
            "--n" => n = value()?.replace('_', "").parse()?,
            "--chunk" => chunk = value()?.parse()?,
            "--keep" => keep = true,
            "--drop-fact-fks" => drop_fks = true,
            other => bail!("unknown argument {other}; use --db URL --n N [--chunk C] [--keep]"),
        }
    }
    let target = match Target::parse(&db)? {
        Target::Sqlite(p) => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
            Target::Sqlite(p)
        }
        Target::Postgres { url, .. } => {
            let schema = format!("bench_import_{}", std::process::id());
            Target::Postgres {
                url,
                schema: Some(schema),
            }
        }
    };
    let mut store = Store::open(&target)?;
    if drop_fks && matches!(target, Target::Postgres { .. }) {
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
    }
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<RatingRecord>>(4);
    let producer = std::thread::spawn(move || {
        let mut g = Generator::new(1, n);
        loop {
            let part: Vec<RatingRecord> =
                std::iter::from_fn(|| g.next_record()).take(chunk).collect();
            if part.is_empty() || tx.send(part).is_err() {
                break;
            }
        }
    });
    let t = Instant::now();
    let mut session = store.begin_import("ratings", "generated", "-")?;
    for part in rx {
        session.ratings(&part)?;
    }
    let summary = session.commit()?;
    let secs = t.elapsed().as_secs_f64();
    producer.join().expect("generator thread");
    if summary.inserted != n {
        bail!("{} of {n} ratings inserted", summary.inserted);
    }
    let size_mib = match &target {
        Target::Sqlite(p) => std::fs::metadata(p).map(|m| m.len() as f64 / 1048576.0).ok(),
        Target::Postgres { .. } => store
            .backend()
            .query(
                "SELECT CAST(pg_total_relation_size('ratings') + pg_total_relation_size('rating_daily') \
                 + pg_total_relation_size('rating_monthly') AS BIGINT)",
                &[],
            )?
            .first()
            .and_then(|r| r[0].as_i64())
            .map(|b| b as f64 / 1048576.0),
    };
    let rollup_rows = store
        .backend()
        .query("SELECT COUNT(*) FROM rating_daily", &[])?[0][0]
        .as_i64()
        .unwrap_or(0);
    let rss = peak_rss_mib().unwrap_or(0.0);
    let backend = match target {
        Target::Sqlite(_) => "sqlite",
        Target::Postgres { .. } => "postgres",
    };
    println!(
        "{backend:8} import n={n} in {secs:.1}s = {:.0} rows/s  peak RSS {rss:.0} MiB  size {:.0} MiB  daily rollup rows {rollup_rows}",
        n as f64 / secs,
        size_mib.unwrap_or(0.0)
    );
    let json = serde_json::json!({
        "bench": "store_import", "backend": backend, "n": n, "seconds": secs,
        "rows_per_sec": n as f64 / secs, "peak_rss_mib": rss, "size_mib": size_mib,
        "rollup_daily_rows": rollup_rows,
    });
    println!("JSON {json}");
    if let Target::Postgres {
        url,
        schema: Some(s),
    } = &target
        && !keep
    {
        let mut c = postgres::Client::connect(url, postgres::NoTls)?;
        c.batch_execute(&format!("DROP SCHEMA IF EXISTS {s} CASCADE"))?;
    }
    Ok(())
}
