//! Store-level report read path: the rating counts the annual report needs (grade × level,
//! × department, × month, × channel, × window for the top windows by bad ratings), read
//! from the rollups of a database that `bench-import --keep` or an import filled.
//!
//! `bench-report --db sqlite:/tmp/x.db --from 2023-01-01 --to 2023-12-31 [--runs 5]`
//!
//! Prints one human line and one JSON line (prefixed `JSON `): first (cold) run, median.

use anyhow::{Context, bail};
use jianping_bench::metrics::{ms, peak_rss_mib, quantile};
use jianping_core::{Grade, Period};
use jianping_store::queries::{GroupCounts, RatingGroup};
use jianping_store::{Store, Target};
use std::time::{Duration, Instant};

const GROUPS: [RatingGroup; 5] = [
    RatingGroup::Tier,
    RatingGroup::Department,
    RatingGroup::Month,
    RatingGroup::Channel,
    RatingGroup::Window,
];

/// The window with the most bad ratings (windows only: key 0 is "no window").
fn worst_window(groups: &[GroupCounts]) -> String {
    let bad =
        |x: &GroupCounts| x.counts.get(Grade::Unsatisfied) + x.counts.get(Grade::VeryUnsatisfied);
    groups
        .iter()
        .filter(|x| x.key != "0")
        .max_by_key(|x| bad(x))
        .map(|x| format!("{} ({} bad)", x.label, bad(x)))
        .unwrap_or_default()
}

fn main() -> anyhow::Result<()> {
    let (mut db, mut from, mut to, mut runs) = (
        String::new(),
        "2023-01-01".to_string(),
        "2023-12-31".to_string(),
        5,
    );
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().context("an option is missing its value");
        match a.as_str() {
            "--db" => db = value()?,
            "--from" => from = value()?,
            "--to" => to = value()?,
            "--runs" => runs = value()?.parse()?,
            other => bail!("unknown argument {other}"),
        }
    }
    let period = Period::new(from.parse()?, to.parse()?).map_err(anyhow::Error::msg)?;
    let t_open = Instant::now();
    let mut store = Store::open(&Target::parse(&db)?)?;
    let open = t_open.elapsed();
    // As the report should read: the period's rollup rows once, grouped five ways.
    let mut times: Vec<Duration> = Vec::new();
    let mut total = 0u64;
    let mut worst = String::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let cube = store.rating_cube(&period)?;
        for g in GROUPS {
            let groups = cube.counts(g);
            total = groups.iter().map(|x| x.counts.total()).sum();
            if g == RatingGroup::Window {
                worst = worst_window(&groups);
            }
        }
        times.push(t.elapsed());
    }
    // Each grouping as its own call (each reads the rollup rows again).
    let mut separate: Vec<Duration> = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        for g in GROUPS {
            store.rating_counts(&period, g)?;
        }
        separate.push(t.elapsed());
    }
    let separate_median = quantile(&mut separate, 0.5);
    let first = times[0];
    let median = quantile(&mut times, 0.5);
    let rss = peak_rss_mib().unwrap_or(0.0);
    println!(
        "report read path over {total} ratings: open {:.1} ms, first {:.1} ms, median {:.1} ms (five separate calls: {:.1} ms), peak RSS {rss:.0} MiB; worst window {worst}",
        ms(open),
        ms(first),
        ms(median),
        ms(separate_median)
    );
    let json = serde_json::json!({
        "bench": "store_report", "ratings": total, "open_ms": ms(open),
        "first_ms": ms(first), "median_ms": ms(median), "peak_rss_mib": rss,
        "separate_calls_median_ms": ms(separate_median),
    });
    println!("JSON {json}");
    Ok(())
}
