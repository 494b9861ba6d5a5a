//! How long the annual report takes at the seed city's size (236,816 ratings, 256,000
//! cases, 5,105 matter instances). Ignored by default; run with
//! `cargo test -p jianping-report --test scale -- --ignored --nocapture`.

#[path = "../../store/tests/common.rs"]
mod common;
mod dataset;

use jianping_core::records::{CaseRecord, MatterRecord, RatingRecord};
use jianping_core::time::{parse_date, parse_datetime};
use jianping_core::{Channel, Grade};
use jianping_report::render::annual_markdown;
use jianping_report::{AnnualSettings, build_annual};
use jianping_store::Store;
use std::time::Instant;

fn fill(store: &mut Store) {
    dataset::load(store);
    let regions = [
        "150300",
        "150302",
        "150303",
        "150304",
        "150302001",
        "150302001001",
    ];
    let base = parse_datetime("2023-01-01 08:00:00").unwrap();
    let mut s = store.begin_import("ratings", "big.csv", "z").unwrap();
    let mut chunk = Vec::with_capacity(50_000);
    for i in 0..236_816u64 {
        chunk.push(RatingRecord {
            rating_no: format!("B{i:07}"),
            case_no: None,
            matter_code: None,
            matter_name: None,
            department: format!("部门{}", i % 40),
            window: Some(format!("窗口{}", i % 70)),
            staff: None,
            region: dataset::code(regions[(i % 6) as usize]),
            channel: Channel::HallPad,
            grade: if i % 1000 == 0 {
                Grade::Satisfied
            } else {
                Grade::VerySatisfied
            },
            rated_at: base + chrono::Duration::minutes((i % 400_000) as i64),
            attempt: 1,
            tags: None,
            comment: None,
            rater_name: None,
            rater_phone: None,
            device: None,
            address: None,
            account: None,
        });
        if chunk.len() == 50_000 {
            s.ratings(&chunk).unwrap();
            chunk.clear();
        }
    }
    s.ratings(&chunk).unwrap();
    s.commit().unwrap();
    let mut s = store.begin_import("cases", "cases.csv", "z").unwrap();
    let cases: Vec<CaseRecord> = (0..256_000u64)
        .map(|i| CaseRecord {
            case_no: format!("BK{i:07}"),
            matter_code: None,
            matter_name: None,
            department: "乌海市人力资源和社会保障局".into(),
            region: dataset::code(regions[(i % 6) as usize]),
            window: None,
            accepted_at: base + chrono::Duration::minutes((i % 400_000) as i64),
            completed_at: Some(base + chrono::Duration::minutes((i % 400_000) as i64 + 60)),
            assisted: false,
            extended: i % 36 == 0,
            package: None,
        })
        .collect();
    for c in cases.chunks(50_000) {
        s.cases(c).unwrap();
    }
    s.commit().unwrap();
    let mut s = store.begin_import("matters", "m.csv", "z").unwrap();
    let matters: Vec<MatterRecord> = (0..5_105u64)
        .map(|i| MatterRecord {
            code: format!("BM{i:05}"),
            base_code: Some(format!("BB{}", i % 2_000)),
            name: format!("事项{i}"),
            department: format!("部门{}", i % 40),
            region: dataset::code(regions[(i % 4) as usize]),
            hall: None,
            as_of: parse_date("2023-01-01").unwrap(),
            legal_limit_days: Some(20),
            promised_limit_days: Some((i % 20) as u32),
            online_full: i % 3 == 0,
            instant: i % 4 == 0,
            scenario: i % 5 == 0,
            e_license: i % 6 == 0,
            cert_free: i % 7 == 0,
            extended_hours: i % 50 != 0,
        })
        .collect();
    s.matters(&matters).unwrap();
    s.commit().unwrap();
}

fn measure(store: &mut Store, label: &str) {
    let t = Instant::now();
    fill(store);
    let filled = t.elapsed();
    let t = Instant::now();
    let r = build_annual(store, &dataset::period(), &AnnualSettings::default()).unwrap();
    let built = t.elapsed();
    let md = annual_markdown(&r).unwrap();
    let rendered = t.elapsed() - built;
    assert!(r.ratings.overall.total > 236_816 && md.contains("万件"));
    println!("{label}: load {filled:.1?}, build {built:.1?}, render {rendered:.1?}");
}

#[test]
#[ignore]
fn the_report_at_the_seed_city_size_sqlite() {
    let mut db = common::sqlite();
    measure(&mut db.store, "sqlite");
}

#[test]
#[ignore]
fn the_report_at_the_seed_city_size_postgres() {
    let mut db = common::postgres();
    measure(&mut db.store, "postgres");
}
