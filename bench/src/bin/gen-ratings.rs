//! Writes N generated ratings as a CSV in the ratings import contract.
//!
//! `gen-ratings --n 1000000 --seed 1 --out ratings.csv`

use anyhow::Context;
use std::io::BufWriter;

fn main() -> anyhow::Result<()> {
    let mut n: u64 = 1_000_000;
    let mut seed: u64 = 1;
    let mut out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().context("an option is missing its value");
        match a.as_str() {
            "--n" => n = value()?.replace('_', "").parse()?,
            "--seed" => seed = value()?.parse()?,
            "--out" => out = Some(value()?),
            other => anyhow::bail!("unknown argument {other}; use --n N --seed S --out FILE"),
        }
    }
    let path = out.context("--out FILE is required")?;
    let file = std::fs::File::create(&path).with_context(|| format!("creating {path}"))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let t = std::time::Instant::now();
    jianping_bench::write_csv(seed, n, &mut w)?;
    std::io::Write::flush(&mut w)?;
    eprintln!("{n} ratings → {path} in {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}
