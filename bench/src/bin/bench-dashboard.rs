//! The back office's dashboard read path: `Store::dashboard` (today, the month so far and the
//! trailing twelve months from the rollups, the ledger's open and overdue counts, one
//! snapshot) for the bureau and for the clerk of the busiest department, plus the rates the
//! page prints, and the ledger list's first page — over N generated ratings of 2023.
//!
//! `bench-dashboard --db sqlite:/tmp/dash.db --n 1000000 [--reuse] [--on 2023-12-15] [--runs 7]`
//!
//! Without `--reuse` the database is created afresh and filled like `bench-import` (one
//! import session: facts, rollups, the ledger items of the bad ratings). Prints one human
//! line and one JSON line (prefixed `JSON `).

use anyhow::{Context, bail};
use jianping_bench::Generator;
use jianping_bench::metrics::{ms, peak_rss_mib, quantile};
use jianping_core::access::Principal;
use jianping_core::records::RatingRecord;
use jianping_core::{GradeSets, RatePolicy};
use jianping_store::backend::RowExt;
use jianping_store::ledger::LedgerFilter;
use jianping_store::{Store, Target};
use std::time::{Duration, Instant};

fn fill(store: &mut Store, n: u64) -> anyhow::Result<f64> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<RatingRecord>>(4);
    let producer = std::thread::spawn(move || {
        let mut g = Generator::new(1, n);
        loop {
            let part: Vec<RatingRecord> =
                std::iter::from_fn(|| g.next_record()).take(1000).collect();
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
    producer.join().expect("generator thread");
    if summary.inserted != n {
        bail!("{} of {n} ratings inserted", summary.inserted);
    }
    Ok(t.elapsed().as_secs_f64())
}

/// Runs `f` `runs` times: (first, median).
fn time(
    runs: usize,
    mut f: impl FnMut() -> anyhow::Result<()>,
) -> anyhow::Result<(Duration, Duration)> {
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed());
    }
    let first = times[0];
    Ok((first, quantile(&mut times, 0.5)))
}

fn main() -> anyhow::Result<()> {
    let (mut db, mut n, mut reuse, mut on, mut runs) = (
        String::new(),
        1_000_000u64,
        false,
        "2023-12-15".to_string(),
        7usize,
    );
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().context("an option is missing its value");
        match a.as_str() {
            "--db" => db = value()?,
            "--n" => n = value()?.replace('_', "").parse()?,
            "--reuse" => reuse = true,
            "--on" => on = value()?,
            "--runs" => runs = value()?.parse()?,
            other => bail!(
                "unknown argument {other}; use --db URL --n N [--reuse] [--on DAY] [--runs R]"
            ),
        }
    }
    let target = Target::parse(&db)?;
    if !reuse && let Target::Sqlite(p) = &target {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
        }
    }
    let mut store = Store::open(&target)?;
    let import_s = if reuse { 0.0 } else { fill(&mut store, n)? };
    let ratings = store.backend().query("SELECT COUNT(*) FROM ratings", &[])?[0].int(0);
    let items = store
        .backend()
        .query("SELECT COUNT(*) FROM ledger_items", &[])?[0]
        .int(0);
    let busiest = store.backend().query(
        "SELECT department_id FROM rating_monthly GROUP BY department_id ORDER BY SUM(n) DESC LIMIT 1",
        &[],
    )?;
    let department = busiest.first().map(|r| r.int(0)).context("no ratings")?;
    let today: chrono::NaiveDate = on.parse()?;
    let (sets, policy) = (GradeSets::default(), RatePolicy::default());
    let admin = Principal::admin("bench");
    let clerk = Principal::clerk("bench", department);
    let dash = |who: &Principal, store: &mut Store| -> anyhow::Result<String> {
        let d = store.dashboard(who, today)?;
        let mut printed = String::new();
        if let Some(r) = &d.ratings {
            // The rates the page prints, as the page computes them.
            let month = sets.summarize(&r.month, &policy);
            for g in r
                .departments
                .iter()
                .chain(&r.by_tier)
                .chain(&r.by_channel)
                .chain(&r.by_month)
            {
                sets.summarize(&g.counts, &policy);
            }
            printed = format!(
                "month {} ratings, 满意率 {}, {} open / {} overdue items",
                month.total, month.satisfied_rate.printed, d.ledger.open, d.ledger.overdue
            );
        }
        Ok(printed)
    };
    let mut city_printed = String::new();
    let (city_first, city_median) = time(runs, || {
        city_printed = dash(&admin, &mut store)?;
        Ok(())
    })?;
    let (clerk_first, clerk_median) = time(runs, || dash(&clerk, &mut store).map(|_| ()))?;
    let (list_first, list_median) = time(runs, || {
        store.ledger_page(&admin, &LedgerFilter::default(), None, (0, 50), today)?;
        Ok(())
    })?;
    let rss = peak_rss_mib().unwrap_or(0.0);
    println!(
        "dashboard over {ratings} ratings, {items} ledger items (import {import_s:.1} s): bureau first {:.1} ms, median {:.1} ms; clerk first {:.1} ms, median {:.1} ms; ledger first page median {:.1} ms; peak RSS {rss:.0} MiB; {city_printed}",
        ms(city_first),
        ms(city_median),
        ms(clerk_first),
        ms(clerk_median),
        ms(list_median)
    );
    let json = serde_json::json!({
        "bench": "dashboard", "ratings": ratings, "ledger_items": items, "import_s": import_s,
        "bureau_first_ms": ms(city_first), "bureau_median_ms": ms(city_median),
        "clerk_first_ms": ms(clerk_first), "clerk_median_ms": ms(clerk_median),
        "ledger_page_first_ms": ms(list_first), "ledger_page_median_ms": ms(list_median),
        "peak_rss_mib": rss,
    });
    println!("JSON {json}");
    Ok(())
}
