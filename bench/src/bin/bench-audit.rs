//! The suspicious-rating audit over a large city: the planted city of `jianping-demo`
//! scaled to about N ratings (devices, addresses, staff phones, defaults and the planted
//! patterns included) is written to a fresh database, then `Store::rating_audit` is timed.
//!
//! `bench-audit --db sqlite:/tmp/a.db --n 1000000 [--runs 3]`
//!
//! Prints one human line and one JSON line (prefixed `JSON `): load time, first (cold) and
//! median audit time, flags, planted patterns found.

use anyhow::{Context, bail};
use jianping_bench::metrics::{cpu_seconds, ms, peak_rss_mib, quantile};
use jianping_core::Period;
use jianping_core::audit::AuditRules;
use jianping_demo::planted::{PlantedCity, PlantedConfig};
use jianping_store::{Store, Target};
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let (mut db, mut n, mut runs) = (String::new(), 1_000_000usize, 3usize);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().context("an option is missing its value");
        match a.as_str() {
            "--db" => db = value()?,
            "--n" => n = value()?.replace('_', "").parse()?,
            "--runs" => runs = value()?.parse()?,
            other => bail!("unknown argument {other}"),
        }
    }
    // 40 departments × 6 windows; the ratings per window set the size.
    let windows = 240;
    let per = (n / windows).max(40);
    let cfg = PlantedConfig {
        departments: 40,
        windows_per_department: 6,
        ratings_per_window: (per * 4 / 5, per * 6 / 5),
        ..PlantedConfig::default()
    };
    let t_load = Instant::now();
    let city = PlantedCity::generate(&cfg);
    let mut store = Store::open(&Target::parse(&db)?)?;
    city.write(&mut store)?;
    store.backend().execute(
        "INSERT INTO users (username, display_name, role, password_hash, created_at) \
         VALUES (?, '窗口录入员', 'clerk', 'not-a-hash', '2023-01-01 00:00:00')",
        &[jianping_demo::planted::PLANTED_LOGIN.into()],
    )?;
    let load = t_load.elapsed();
    let period =
        Period::new(cfg.from, cfg.to + chrono::Duration::days(10)).map_err(anyhow::Error::msg)?;
    let mut times: Vec<Duration> = Vec::new();
    let mut cpu: Vec<Duration> = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let (t, c) = (Instant::now(), cpu_seconds().unwrap_or(0.0));
        last = Some(store.rating_audit(&period, &AuditRules::default())?);
        times.push(t.elapsed());
        cpu.push(Duration::from_secs_f64(cpu_seconds().unwrap_or(0.0) - c));
    }
    let cpu_median = quantile(&mut cpu, 0.5);
    let a = last.context("no run")?;
    let found = city
        .planted
        .iter()
        .filter(|p| {
            a.flags
                .iter()
                .any(|f| f.kind == p.kind && f.windows.iter().any(|w| w.name == p.window))
        })
        .count();
    let first = times[0];
    let median = quantile(&mut times, 0.5);
    println!(
        "audit of {} ratings ({}): load {:.1} s, first {:.0} ms, median {:.0} ms (CPU {:.0} ms); {} flags; planted {}/{} found",
        a.coverage.ratings,
        store.describe(),
        load.as_secs_f64(),
        ms(first),
        ms(median),
        ms(cpu_median),
        a.flags.len(),
        found,
        city.planted.len()
    );
    let json = serde_json::json!({
        "ratings": a.coverage.ratings,
        "load_seconds": load.as_secs_f64(),
        "first_ms": ms(first),
        "median_ms": ms(median),
        "seconds": median.as_secs_f64(),
        "cpu_median_ms": ms(cpu_median),
        "flags": a.flags.len(),
        "planted": city.planted.len(),
        "found": found,
        "peak_rss_mib": peak_rss_mib(),
    });
    println!("JSON {json}");
    Ok(())
}
