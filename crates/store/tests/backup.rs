//! Backup while ratings keep arriving, and restore: the copy is consistent (its rollups
//! match its rows) and holds every rating acknowledged before the backup began.

use jianping_core::records::RatingRecord;
use jianping_core::time::parse_datetime;
use jianping_core::*;
use jianping_store::backup::restore;
use jianping_store::{Intake, IntakeConfig, Store, Target, Value};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

fn rating(i: usize) -> RatingRecord {
    RatingRecord {
        rating_no: format!("BK{i:06}"),
        case_no: None,
        matter_code: None,
        matter_name: None,
        department: ["乌海市人社局", "海南区人社局"][i % 2].into(),
        window: Some(format!("{}号窗口", i % 3)),
        staff: None,
        region: RegionCode::parse(["150300", "150303"][i % 2]).unwrap(),
        channel: Channel::ALL[i % Channel::ALL.len()],
        grade: [
            Grade::VerySatisfied,
            Grade::Satisfied,
            Grade::VeryUnsatisfied,
        ][i % 3],
        rated_at: parse_datetime(&format!(
            "2025-{:02}-{:02} 09:30:00",
            1 + i % 12,
            1 + i % 28
        ))
        .unwrap(),
        attempt: 1,
        tags: None,
        comment: None,
        rater_name: None,
        rater_phone: None,
        device: None,
        address: None,
        account: None,
    }
}

fn ratings(store: &mut Store) -> i64 {
    match store
        .backend()
        .query("SELECT count(*) FROM ratings", &[])
        .unwrap()[0][0]
    {
        Value::Int(n) => n,
        ref v => panic!("{v:?}"),
    }
}

#[test]
fn a_backup_taken_under_load_is_consistent_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    let target = Target::Sqlite(db.clone());
    Store::migrate(&target).unwrap();
    let intake = Arc::new(Intake::start(
        Store::connect(&target).unwrap(),
        IntakeConfig::default(),
    ));
    for i in 0..200 {
        intake.submit(rating(i)).unwrap();
    }

    // Writers keep going while the backup is taken.
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(200));
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let (intake, stop, next) = (intake.clone(), stop.clone(), next.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    intake.submit(rating(i)).unwrap();
                }
            })
        })
        .collect();
    while next.load(Ordering::Relaxed) < 400 {
        std::thread::yield_now();
    }
    let acknowledged_before = 200;
    let copy = dir.path().join("copy.db");
    let summary = Store::connect(&target).unwrap().backup_to(&copy).unwrap();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    assert!(summary.ratings >= acknowledged_before, "{summary:?}");
    assert!(
        summary.ledger_items > 0,
        "bad ratings opened items: {summary:?}"
    );

    // The copy is a database in its own right, its rollups matching its rows.
    let mut backup = Store::connect(&Target::Sqlite(copy.clone())).unwrap();
    assert_eq!(ratings(&mut backup), summary.ratings);
    assert!(backup.verify_rollups().unwrap().is_empty());
    assert!(backup.verify_references().unwrap().is_empty());
    drop(backup);

    // Refused while the live database is in use; an existing file needs --replace.
    let err = restore(&copy, &db, true).unwrap_err().to_string();
    assert!(err.contains("正在被使用"), "{err}");
    drop(intake);
    let err = restore(&copy, &db, false).unwrap_err().to_string();
    assert!(err.contains("--replace"), "{err}");

    let later = ratings(&mut Store::connect(&target).unwrap());
    assert!(later > summary.ratings, "writes went on after the backup");
    let restored = restore(&copy, &db, true).unwrap();
    assert_eq!(restored.ratings, summary.ratings);
    let mut store = Store::connect(&target).unwrap();
    assert_eq!(ratings(&mut store), summary.ratings);
    assert!(store.verify_rollups().unwrap().is_empty());

    // An existing backup name is not overwritten.
    let err = store.backup_to(&copy).unwrap_err().to_string();
    assert!(err.contains("已存在"), "{err}");
}

#[test]
fn restore_refuses_what_is_not_an_intact_jianping_database() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just text").unwrap();
    let err = restore(&junk, &dir.path().join("x.db"), false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("不能用于恢复"), "{err}");

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x)")
        .unwrap();
    let err = restore(&other, &dir.path().join("x.db"), false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("不是监评数据库"), "{err}");
    assert!(!dir.path().join("x.db").exists());
}
