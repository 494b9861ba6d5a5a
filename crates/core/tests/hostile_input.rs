//! The intake's parsers on stable Rust, within a fixed budget: the fuzz seeds and every
//! input that once crashed a target (`fuzz/regressions`), then deterministic mutations.
//! The long runs use cargo-fuzz (nightly); see docs/reliability.md.

use jianping_core::audit::{normalize_account, normalize_phone, seconds_of};
use jianping_core::records::RatingRecord;
use jianping_core::{Channel, Grade, GradeCodes, RegionCode, calendar, time};
use std::path::{Path, PathBuf};

fn files(sub: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(sub);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .iter()
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// The intake_json target's body.
fn intake_json(data: &[u8]) {
    if let Ok(r) = serde_json::from_slice::<RatingRecord>(data) {
        let _ = r.validate();
        let _ = serde_json::to_string(&r);
    }
}

/// The field_parsers target's body.
fn field_parsers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Grade::parse(text, GradeCodes::Gbt39046);
    let _ = Grade::parse(text, GradeCodes::Interface);
    let _ = Channel::parse(text);
    let _ = RegionCode::parse(text);
    let _ = time::parse_date(text);
    if let Ok(t) = time::parse_datetime(text) {
        assert_eq!(time::parse_datetime(&time::fmt_ts(&t)), Ok(t), "{text:?}");
    }
    let _ = calendar::parse_csv(text);
    let _ = (
        normalize_phone(text),
        normalize_account(text),
        seconds_of(text),
    );
    let _ = jianping_core::privacy::mask_free_text(text);
}

fn mutate(rng: &mut u64, seed: &[u8]) -> Vec<u8> {
    // xorshift: no dependency for a few thousand deterministic edits.
    let mut next = |n: usize| {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        (*rng % n.max(1) as u64) as usize
    };
    let mut v = seed.to_vec();
    for _ in 0..1 + next(6) {
        let at = next(v.len() + 1);
        match next(4) {
            0 if at < v.len() => v[at] ^= 1 << next(8),
            1 => v.insert(at, b"{}[]\",:0-9\\"[next(11)]),
            2 => v.truncate(at),
            _ if at < v.len() => {
                v.remove(at);
            }
            _ => {}
        }
    }
    v
}

#[test]
fn the_intake_parsers_survive_seeds_past_crashes_and_mutations() {
    let mut json = files("seeds/intake_json");
    json.extend(files("regressions/intake_json"));
    let mut fields = files("seeds/field_parsers");
    fields.extend(files("regressions/field_parsers"));
    assert!(!json.is_empty() && !fields.is_empty());
    // The seed is a rating as the intake receives it.
    let r: RatingRecord = serde_json::from_slice(&files("seeds/intake_json")[0]).unwrap();
    assert_eq!(r.validate(), Ok(()));
    assert_eq!(r.device.as_deref(), Some("PAD-01"));
    for d in json.iter() {
        intake_json(d);
    }
    for d in fields.iter() {
        field_parsers(d);
    }
    let mut rng = 0x6A69_616E_7069_6E67u64;
    for i in 0..5000 {
        intake_json(&mutate(&mut rng, &json[i % json.len()]));
        field_parsers(&mutate(&mut rng, &fields[i % fields.len()]));
    }
}
