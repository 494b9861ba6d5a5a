//! Reads and parses a file without a store, to separate parsing cost from database cost:
//! `cargo run --release -p jianping-ingest --example parse_only -- ratings /tmp/1m.csv`.

use jianping_ingest::{Importer, Kind, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let kind =
        Kind::from_slug(args.get(1).map_or("ratings", String::as_str)).ok_or("unknown kind")?;
    let path = std::path::Path::new(args.get(2).ok_or("usage: parse_only KIND FILE")?);
    let start = std::time::Instant::now();
    let mut imp = Importer::open(path, kind, &Options::default())?;
    let (mut ok, mut bad) = (0usize, 0usize);
    while let Some(chunk) = imp.next_chunk()? {
        ok += chunk.batch.len();
        bad += chunk.rejects.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{ok} records, {bad} rejected in {secs:.2} s ({:.0} rows/s)",
        (ok + bad) as f64 / secs
    );
    Ok(())
}
