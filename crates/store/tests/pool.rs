//! A server's store: connections that do not migrate (and refuse a schema of another
//! version), the r2d2 pool with concurrent readers and writers, and read snapshots that
//! other connections' commits do not disturb. On SQLite and PostgreSQL alike.

mod common;

use jianping_core::access::Principal;
use jianping_core::ledger::Command;
use jianping_core::records::RatingRecord;
use jianping_core::time::parse_datetime;
use jianping_core::*;
use jianping_store::pool::StorePool;
use jianping_store::queries::RatingGroup;
use jianping_store::{Dialect, Store, StoreError, Target};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::time::Duration;

fn rating(no: &str, grade: Grade) -> RatingRecord {
    RatingRecord {
        rating_no: no.into(),
        case_no: None,
        matter_code: None,
        matter_name: Some("失业登记".into()),
        department: "海南区人力资源和社会保障局".into(),
        window: None,
        staff: None,
        region: RegionCode::parse("150303").unwrap(),
        channel: Channel::HallPad,
        grade,
        rated_at: parse_datetime("2023-05-17 10:00:00").unwrap(),
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

fn import(store: &mut Store, records: &[RatingRecord]) {
    let mut s = store.begin_import("ratings", "r.csv", "x").unwrap();
    s.ratings(records).unwrap();
    s.commit().unwrap();
}

fn ratings(store: &mut Store) -> i64 {
    store
        .backend()
        .query("SELECT COUNT(*) FROM ratings", &[])
        .unwrap()[0][0]
        .as_i64()
        .unwrap()
}

fn year() -> Period {
    Period::new("2023-01-01".parse().unwrap(), "2023-12-31".parse().unwrap()).unwrap()
}

/// Counted in the rollups, as a report reads them.
fn counted(store: &mut Store) -> u64 {
    store
        .rating_cube(&year())
        .unwrap()
        .counts(RatingGroup::Total)
        .first()
        .map_or(0, |g| g.counts.total())
}

both_backends! {
    a_connection_refuses_a_schema_of_another_version(t) {
        // Migrated by the harness: a plain connection works and does not migrate.
        let mut store = Store::connect(&t.target).unwrap();
        assert_eq!(ratings(&mut store), 0);
        let newest = t.store.backend()
            .query("SELECT MAX(version) FROM refinery_schema_history", &[]).unwrap()[0][0]
            .as_i64().unwrap();
        // Behind: the newest migration not yet applied.
        t.store.backend().execute("DELETE FROM refinery_schema_history WHERE version = ?", &[newest.into()]).unwrap();
        let e = Store::connect(&t.target).err().expect("a database behind the binary is refused");
        assert!(e.to_string().contains("数据库结构版本落后"), "{e}");
        assert!(e.to_string().contains(&format!("V{newest}")), "{e}");
        // Ahead: a migration this binary does not know.
        t.store.backend().execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (?, 'future', '2030-01-01', '0')",
            &[(newest + 100).into()],
        ).unwrap();
        let e = Store::connect(&t.target).err().expect("a database ahead of the binary is refused");
        assert!(e.to_string().contains("比本程序新"), "{e}");
    }

    a_pool_migrates_once_and_serves_readers_while_one_writes(t) {
        let pool = StorePool::new(&t.target, 4).unwrap();
        assert_eq!(pool.size().0, 4);
        let (writes, readers) = (30, 3);
        let barrier = Arc::new(Barrier::new(readers + 1));
        let done = Arc::new(AtomicBool::new(false));
        let writer = {
            let (pool, barrier, done) = (pool.clone(), Arc::clone(&barrier), Arc::clone(&done));
            std::thread::spawn(move || {
                barrier.wait();
                for i in 0..writes {
                    let mut store = pool.get().unwrap();
                    import(&mut store, &[rating(&format!("P{i}"), Grade::VerySatisfied)]);
                }
                done.store(true, Ordering::SeqCst);
            })
        };
        let readers: Vec<_> = (0..readers)
            .map(|_| {
                let (pool, barrier, done) = (pool.clone(), Arc::clone(&barrier), Arc::clone(&done));
                std::thread::spawn(move || {
                    barrier.wait();
                    let mut seen = Vec::new();
                    let mut last_round = false;
                    while !last_round {
                        last_round = done.load(Ordering::SeqCst);
                        let mut store = pool.get().unwrap();
                        // Facts and rollups agree inside one snapshot, whatever commits.
                        let (facts, rolled) = store
                            .snapshot(|s| Ok::<_, StoreError>((ratings(s) as u64, counted(s))))
                            .unwrap();
                        assert_eq!(facts, rolled);
                        seen.push(facts);
                    }
                    seen
                })
            })
            .collect();
        writer.join().unwrap();
        for r in readers {
            let seen = r.join().unwrap();
            assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
            assert_eq!(seen.last(), Some(&(writes as u64)));
        }
        assert_eq!(ratings(&mut pool.get().unwrap()), writes as i64);
        assert_eq!(ratings(&mut t.store), writes as i64, "committed for every connection");
    }

    a_writer_waits_for_the_lock_instead_of_failing(t) {
        let pool = StorePool::new(&t.target, 2).unwrap();
        let mut first = pool.get().unwrap();
        let mut second = pool.get().unwrap();
        let (holding, held) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let late = std::thread::spawn(move || {
            held.recv().unwrap();
            // The first connection holds its write transaction open: this one waits.
            import(&mut second, &[rating("W2", Grade::Satisfied)]);
            release.send(()).ok();
            ratings(&mut second)
        });
        first
            .tx(|db| {
                db.execute(
                    "INSERT INTO ledger_settings (key, value) VALUES ('probe', '1')",
                    &[],
                )?;
                holding.send(()).unwrap();
                // The other writer cannot have finished while this transaction is open.
                let early = released.recv_timeout(Duration::from_millis(300));
                assert!(early.is_err() || db.dialect() == Dialect::Postgres);
                Ok::<_, StoreError>(())
            })
            .unwrap();
        assert_eq!(late.join().unwrap(), 1);
        assert_eq!(ratings(&mut t.store), 1);
    }

    a_snapshot_does_not_see_what_commits_after_it_began(t) {
        import(&mut t.store, &[rating("S1", Grade::VerySatisfied)]);
        let mut other = t.reopen();
        let seen = t.store.snapshot(|s| {
            // Committed by another connection after the snapshot began, before any read.
            import(&mut other, &[rating("S2", Grade::Unsatisfied)]);
            let before = (ratings(s), counted(s));
            import(&mut other, &[rating("S3", Grade::Unsatisfied)]);
            let items = s.ledger_items(&Principal::admin("局"), &Default::default(), year().to)?;
            Ok::<_, StoreError>((before, (ratings(s), counted(s)), items.len()))
        }).unwrap();
        assert_eq!(seen, ((1, 1), (1, 1), 0), "the snapshot kept what it saw at its start");
        assert_eq!((ratings(&mut t.store), counted(&mut t.store)), (3, 3));
        assert_eq!(t.store.ledger_items(&Principal::admin("局"), &Default::default(), year().to).unwrap().len(), 2);
    }

    nothing_is_written_inside_a_snapshot(t) {
        import(&mut t.store, &[rating("S1", Grade::Unsatisfied)]);
        let item = t.store.ledger_item_for_source(jianping_core::ledger::SourceKind::Rating, "S1").unwrap().unwrap();
        let admin = Principal::admin("局");
        let at = parse_datetime("2023-05-18 09:00").unwrap();
        let e = t.store.snapshot(|s| s.ledger_step(&item, &Command::Claim { note: None }, &admin, at)).unwrap_err();
        assert!(e.to_string().contains("只读快照"), "{e}");
        let e = t.store.snapshot(|s| s.begin_import("ratings", "r.csv", "x").map(drop)).unwrap_err();
        assert!(e.to_string().contains("只读快照"), "{e}");
        let e = t.store.snapshot(|s| s.snapshot(|_| Ok::<_, StoreError>(()))).unwrap_err();
        assert!(e.to_string().contains("只读快照"), "{e}");
        // Below the store's own operations, the engine refuses too.
        let raw = t.store.snapshot(|s| {
            s.backend().execute("UPDATE ledger_items SET state = 'closed'", &[])
        });
        assert!(raw.is_err(), "{raw:?}");
        // Afterwards the connection writes as usual.
        t.store.ledger_claim(&item, &admin, at).unwrap();
        assert!(!t.store.is_broken());
    }

    a_panic_inside_a_transaction_marks_the_connection_broken(t) {
        let mut store = t.reopen();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.tx(|_| -> Result<(), StoreError> { panic!("handler bug") })
        }));
        assert!(caught.is_err());
        assert!(store.is_broken(), "a pool must not hand this connection out again");
        // Discarding it ends its transaction (and, on SQLite, frees the write lock).
        drop(store);
        assert!(!t.store.is_broken());
        import(&mut t.store, &[rating("after", Grade::Satisfied)]);
        assert_eq!(ratings(&mut t.store), 1);
    }
}

#[test]
fn connecting_to_a_missing_or_empty_database_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let missing = Target::Sqlite(dir.path().join("none.db"));
    let e = Store::connect(&missing).err().unwrap();
    assert!(e.to_string().contains("不存在"), "{e}");
    assert!(
        !dir.path().join("none.db").exists(),
        "connect creates nothing"
    );
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let e = Store::connect(&Target::Sqlite(empty)).err().unwrap();
    assert!(e.to_string().contains("没有迁移记录"), "{e}");
    // A pool migrates first, so a new file is fine.
    let fresh = Target::Sqlite(dir.path().join("fresh.db"));
    let pool = StorePool::new(&fresh, 2).unwrap();
    assert_eq!(ratings(&mut pool.get().unwrap()), 0);
}

#[test]
fn a_new_postgres_schema_is_not_a_jianping_database_until_migrated() {
    let t = common::postgres();
    let Target::Postgres { url, .. } = &t.target else {
        unreachable!()
    };
    let bare = Target::Postgres {
        url: url.clone(),
        schema: Some(format!("bare_{}", std::process::id())),
    };
    let e = Store::connect(&bare).err().unwrap();
    assert!(e.to_string().contains("没有迁移记录"), "{e}");
    Store::migrate(&bare).unwrap();
    assert_eq!(ratings(&mut Store::connect(&bare).unwrap()), 0);
    let mut c = ::postgres::Client::connect(url, ::postgres::NoTls).unwrap();
    let Target::Postgres {
        schema: Some(s), ..
    } = &bare
    else {
        unreachable!()
    };
    c.batch_execute(&format!("DROP SCHEMA {s} CASCADE"))
        .unwrap();
}
