//! A ratings CSV → the store, with a plain parser on a second thread: what the importer can
//! reach when it parses beside the writer, measured against `sqlite3 .import` of the same
//! file. The parser is this benchmark's (the contract's 16 columns in file order, UTF-8,
//! Chinese names), not the ingest crate's: it shows the store's headroom, not the CLI.
//!
//! `bench-csv-import --db sqlite:/tmp/x.db --csv ratings.csv [--chunk 1000]`

use anyhow::{Context, bail};
use jianping_bench::metrics::peak_rss_mib;
use jianping_core::records::RatingRecord;
use jianping_core::time::parse_datetime;
use jianping_core::{Channel, Grade, GradeCodes, RegionCode};
use jianping_store::{Store, Target};
use std::time::Instant;

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// One CSV line as a validated record, or the reason it is refused.
fn record(f: &csv::StringRecord) -> Result<RatingRecord, String> {
    let get = |i: usize| f.get(i).unwrap_or("").trim();
    if get(0).is_empty() || get(4).is_empty() {
        return Err("评价编号和部门不能为空".into());
    }
    Ok(RatingRecord {
        rating_no: get(0).to_string(),
        case_no: opt(get(1)),
        matter_code: opt(get(2)),
        matter_name: opt(get(3)),
        department: get(4).to_string(),
        window: opt(get(5)),
        staff: opt(get(6)),
        region: RegionCode::parse(get(7))?,
        channel: Channel::parse(get(8))?,
        grade: Grade::parse(get(9), GradeCodes::Gbt39046)?,
        rated_at: parse_datetime(get(10))?,
        attempt: match get(11) {
            "" | "1" | "首评" => 1,
            "2" | "追评" => 2,
            other => return Err(format!("评价次数「{other}」无效")),
        },
        tags: opt(get(12)),
        comment: opt(get(13)),
        rater_name: opt(get(14)),
        rater_phone: opt(get(15)),
        device: None,
        address: None,
        account: None,
    })
}

fn main() -> anyhow::Result<()> {
    let (mut db, mut csv_path, mut chunk) = (String::new(), String::new(), 1000usize);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().context("an option is missing its value");
        match a.as_str() {
            "--db" => db = value()?,
            "--csv" => csv_path = value()?,
            "--chunk" => chunk = value()?.parse()?,
            other => bail!("unknown argument {other}; use --db URL --csv FILE [--chunk C]"),
        }
    }
    let Target::Sqlite(path) = Target::parse(&db)? else {
        bail!("--db must be sqlite:PATH");
    };
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let t = Instant::now();
    let mut store = Store::open_sqlite(&path)?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<RatingRecord>>(4);
    let file = csv_path.clone();
    let parser = std::thread::spawn(move || -> anyhow::Result<u64> {
        let mut reader = csv::ReaderBuilder::new()
            .buffer_capacity(1 << 20)
            .from_path(&file)?;
        let mut line = csv::StringRecord::new();
        let (mut part, mut n) = (Vec::with_capacity(chunk), 0u64);
        while reader.read_record(&mut line)? {
            n += 1;
            part.push(record(&line).map_err(|e| anyhow::anyhow!("{file}:{}: {e}", n + 1))?);
            if part.len() == chunk && tx.send(std::mem::take(&mut part)).is_err() {
                break;
            }
        }
        if !part.is_empty() {
            let _ = tx.send(part);
        }
        Ok(n)
    });
    let mut session = store.begin_import("ratings", &csv_path, "-")?;
    for part in rx {
        session.ratings(&part)?;
    }
    let read = parser.join().expect("parser thread")?;
    let summary = session.commit()?;
    let secs = t.elapsed().as_secs_f64();
    if summary.inserted != read {
        bail!("{} of {read} ratings inserted", summary.inserted);
    }
    let rss = peak_rss_mib().unwrap_or(0.0);
    println!(
        "csv → sqlite n={read} in {secs:.1}s = {:.0} rows/s  peak RSS {rss:.0} MiB",
        read as f64 / secs
    );
    let json = serde_json::json!({
        "bench": "csv_import", "n": read, "seconds": secs,
        "rows_per_sec": read as f64 / secs, "peak_rss_mib": rss,
    });
    println!("JSON {json}");
    Ok(())
}
