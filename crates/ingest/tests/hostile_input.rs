//! Hostile files on stable Rust, within a fixed budget: the fuzz targets' seeds and every
//! input that once crashed them (`fuzz/regressions`), then a few thousand deterministic
//! mutations of the seeds, through the importer of the kind the first byte picks. The
//! long runs use cargo-fuzz (nightly); see docs/reliability.md.

use jianping_ingest::{Importer, Kind, Options};
use std::path::{Path, PathBuf};

fn fuzz_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(sub)
}

fn files(sub: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    if let Ok(dir) = std::fs::read_dir(fuzz_dir(sub)) {
        let mut paths: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths
            .iter()
            .filter(|p| p.extension().is_none_or(|e| e != "md"))
        {
            out.push(std::fs::read(p).unwrap());
        }
    }
    out
}

/// The importer targets' body (fuzz/src/lib.rs): read to the end, use every message.
fn read_all(name: &str, bytes: Vec<u8>, pick: u8) {
    let kind = Kind::ALL[usize::from(pick) % Kind::ALL.len()];
    let opts = Options {
        chunk_size: 64,
        ..Options::default()
    };
    let Ok(mut imp) = Importer::from_bytes(name, bytes, kind, &opts) else {
        return;
    };
    let _ = imp.describe_format();
    while let Ok(Some(chunk)) = imp.next_chunk() {
        for r in &chunk.rejects {
            let _ = (r.lines(name), r.reason());
        }
    }
}

fn run(name: &str, data: &[u8]) {
    if let Some((&pick, rest)) = data.split_first() {
        read_all(name, rest.to_vec(), pick);
    }
}

fn mutate(rng: &mut fastrand::Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..rng.usize(1..8) {
        let at = rng.usize(0..=v.len());
        match rng.u8(0..5) {
            0 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                v[i] ^= 1 << rng.u8(0..8);
            }
            1 => v.insert(
                at,
                *b",\"\n\r\t\xff\xe4".get(rng.usize(0..7)).unwrap_or(&b','),
            ),
            2 => v.truncate(at),
            3 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                let end = (i + rng.usize(1..64)).min(v.len());
                let chunk = v[i..end].to_vec();
                v.splice(at..at, chunk);
            }
            _ => {
                if at < v.len() {
                    v.remove(at);
                }
            }
        }
    }
    v
}

#[test]
fn seeds_and_past_crashes_are_read_without_panic() {
    for (sub, name) in [
        ("seeds/import_csv", "fuzz.csv"),
        ("regressions/import_csv", "fuzz.csv"),
        ("seeds/import_xlsx", "fuzz.xlsx"),
        ("regressions/import_xlsx", "fuzz.xlsx"),
    ] {
        for data in files(sub) {
            run(name, &data);
        }
    }
    assert!(files("seeds/import_csv").len() >= 14, "a seed per kind");
}

#[test]
fn mutated_seeds_are_read_without_panic() {
    let mut seeds = files("seeds/import_csv");
    seeds.extend(files("seeds/import_xlsx"));
    let mut rng = fastrand::Rng::with_seed(0x6A69_616E);
    for i in 0..3000 {
        let seed = &seeds[i % seeds.len()];
        run("mutant.csv", &mutate(&mut rng, seed));
    }
}
