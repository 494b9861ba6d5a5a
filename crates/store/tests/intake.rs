//! Group-commit intake, identical on SQLite and PostgreSQL: concurrent callers, durability,
//! idempotency, isolation of a bad rating, backpressure.

mod common;

use common::{on_threads, poison};

use jianping_core::records::RatingRecord;
use jianping_core::time::parse_datetime;
use jianping_core::*;
use jianping_store::intake::IntakeStats;
use jianping_store::queries::RatingGroup;
use jianping_store::{Dialect, Intake, IntakeConfig, IntakeError, IntakeOutcome, Store, Value};
use std::time::Duration;

const DEPARTMENTS: [&str; 3] = ["乌海市人社局", "海南区人社局", "乌达区公安分局"];
const REGIONS: [&str; 4] = ["150300", "150303", "150303001", "150304002003"];

/// A rating whose dimensions, channel, grade and day vary with `i`.
fn rating(no: &str, i: usize) -> RatingRecord {
    let grades = [Grade::VerySatisfied, Grade::Satisfied, Grade::Unsatisfied];
    RatingRecord {
        rating_no: no.into(),
        case_no: Some(format!("case-{no}")),
        matter_code: Some(format!("M{:03}", i % 5)),
        matter_name: Some("失业登记".into()),
        department: DEPARTMENTS[i % 3].into(),
        window: Some(format!("{}号窗口", i % 4)),
        staff: Some(["王芳", "李强"][i % 2].into()),
        region: RegionCode::parse(REGIONS[i % 4]).unwrap(),
        channel: Channel::ALL[i % Channel::ALL.len()],
        grade: grades[i % 3],
        rated_at: parse_datetime(&format!(
            "2023-{:02}-{:02} 10:00:00",
            1 + i % 12,
            1 + i % 28
        ))
        .unwrap(),
        attempt: 1,
        tags: None,
        comment: i.is_multiple_of(7).then(|| "窗口人员态度很好".to_string()),
        rater_name: Some("张三".into()),
        rater_phone: Some("13812345678".into()),
        device: None,
        address: None,
        account: None,
    }
}

fn count(store: &mut Store, sql: &str) -> i64 {
    match store.backend().query(sql, &[]).unwrap()[0][0] {
        Value::Int(n) => n,
        ref v => panic!("not a count: {v:?}"),
    }
}

fn total_counted(store: &mut Store) -> u64 {
    let p = Period::new("2023-01-01".parse().unwrap(), "2023-12-31".parse().unwrap()).unwrap();
    store
        .rating_counts(&p, RatingGroup::Total)
        .unwrap()
        .first()
        .map_or(0, |g| g.counts.total())
}

fn lingering(queue: usize) -> IntakeConfig {
    IntakeConfig {
        queue,
        max_batch: 1024,
        // Long enough that callers released together land in one batch.
        linger: Duration::from_millis(300),
    }
}

both_backends! {
    concurrent_ratings_are_all_durable_and_counted_once(t) {
        let intake = Intake::start(t.reopen(), IntakeConfig::default());
        let (threads, each) = (8, 40);
        let handle = intake.clone();
        let results = on_threads(threads, move |th, barrier| {
            barrier.wait();
            let mut outcomes = Vec::new();
            for i in 0..each {
                let r = rating(&format!("R{th}-{i}"), th * each + i);
                outcomes.push(handle.submit(r).unwrap().outcome);
            }
            // A pad that lost the acknowledgement retries: counted once.
            outcomes.push(handle.submit(rating(&format!("R{th}-0"), th * each)).unwrap().outcome);
            outcomes
        });
        for outcomes in &results {
            assert!(outcomes[..each].iter().all(|o| *o == IntakeOutcome::Stored));
            assert_eq!(outcomes[each], IntakeOutcome::Duplicate);
        }
        let stats: IntakeStats = intake.stats();
        assert_eq!((stats.stored, stats.duplicates, stats.failed), (320, 8, 0));
        drop(intake);
        // Read through the test's own connection: committed, not merely queued.
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ratings"), 320);
        assert_eq!(total_counted(&mut t.store), 320);
        assert!(t.store.verify_rollups().unwrap().is_empty());
    }

    callers_released_together_share_one_transaction(t) {
        let intake = Intake::start(t.reopen(), lingering(64));
        let handle = intake.clone();
        let sizes = on_threads(12, move |th, barrier| {
            barrier.wait();
            handle.submit(rating(&format!("G{th}"), th)).unwrap().batch_size
        });
        assert!(sizes.iter().any(|s| *s > 1), "batch sizes {sizes:?}");
        assert!(intake.stats().batches < 12);
        assert!(t.store.verify_rollups().unwrap().is_empty());
    }

    the_same_rating_twice_in_one_batch_is_stored_once(t) {
        let intake = Intake::start(t.reopen(), lingering(64));
        let handle = intake.clone();
        let outcomes = on_threads(6, move |th, barrier| {
            barrier.wait();
            let r = handle.submit(rating(&format!("D{}", th % 2), th % 2)).unwrap();
            (r.outcome, r.batch_size)
        });
        let stored = outcomes.iter().filter(|(o, _)| *o == IntakeOutcome::Stored).count();
        assert_eq!(stored, 2, "{outcomes:?}");
        assert!(outcomes.iter().any(|(_, size)| *size > 1), "{outcomes:?}");
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ratings"), 2);
        assert_eq!(total_counted(&mut t.store), 2);
        assert!(t.store.verify_rollups().unwrap().is_empty());
    }

    two_clients_rating_one_case_at_once_store_one(t) {
        // Six ratings of one case under six 评价编号, released together into one batch:
        // the writer's own check (not a look before submitting) lets exactly one through.
        let intake = Intake::start(t.reopen(), lingering(64));
        let handle = intake.clone();
        let results = on_threads(6, move |th, barrier| {
            let mut r = rating(&format!("RACE{th}"), th);
            r.case_no = Some("BJ-RACE-1".into());
            barrier.wait();
            handle.submit(r)
        });
        let stored: Vec<&str> = results
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.rating_no.as_str())
            .collect();
        assert_eq!(stored.len(), 1, "{results:?}");
        for r in &results {
            if let Err(e) = r {
                assert!(e.is_conflict() && !e.is_invalid() && !e.is_unavailable(), "{e:?}");
                assert!(e.to_string().contains(stored[0]), "{e}");
                assert!(e.to_string().contains("已有首评"), "{e}");
            }
        }
        assert_eq!(intake.stats().case_taken, 5);
        assert_eq!(intake.stats().failed, 0);
        drop(intake);
        assert_eq!(
            count(&mut t.store, "SELECT COUNT(*) FROM ratings WHERE case_no = 'BJ-RACE-1'"),
            1
        );
        assert!(t.store.verify_rollups().unwrap().is_empty());
    }

    a_case_keeps_one_first_and_one_follow_up_across_batches(t) {
        let intake = Intake::start(t.reopen(), IntakeConfig::default());
        let with = |no: &str, attempt: u8| {
            let mut r = rating(no, 1);
            r.case_no = Some("BJ-ONE".into());
            r.attempt = attempt;
            r
        };
        assert_eq!(intake.submit(with("F1", 1)).unwrap().outcome, IntakeOutcome::Stored);
        // The same rating again is a retry, not a conflict.
        assert_eq!(intake.submit(with("F1", 1)).unwrap().outcome, IntakeOutcome::Duplicate);
        match intake.submit(with("F2", 1)) {
            Err(IntakeError::CaseTaken { case_no, attempt, existing }) => {
                assert_eq!((case_no.as_str(), attempt, existing.as_str()), ("BJ-ONE", 1, "F1"));
            }
            other => panic!("a second 首评 was not refused: {other:?}"),
        }
        assert_eq!(intake.submit(with("A1", 2)).unwrap().outcome, IntakeOutcome::Stored);
        let e = intake.submit(with("A2", 2)).unwrap_err();
        assert!(e.is_conflict() && e.to_string().contains("已有追评"), "{e}");
        // Ratings without a case are never held back by one another.
        let mut free = rating("NOCASE1", 2);
        free.case_no = None;
        assert_eq!(intake.submit(free.clone()).unwrap().outcome, IntakeOutcome::Stored);
        free.rating_no = "NOCASE2".into();
        assert_eq!(intake.submit(free).unwrap().outcome, IntakeOutcome::Stored);
        drop(intake);
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ratings"), 4);
    }

    a_rating_the_database_refuses_does_not_sink_its_batch(t) {
        poison(&mut t.store, "BAD");
        let intake = Intake::start(t.reopen(), lingering(64));
        let handle = intake.clone();
        let results = on_threads(10, move |th, barrier| {
            let no = if th == 3 { "BAD".to_string() } else { format!("OK{th}") };
            barrier.wait();
            handle.submit(rating(&no, th))
        });
        for (th, r) in results.iter().enumerate() {
            match (th, r) {
                (3, Err(IntakeError::Store(msg))) => assert!(msg.contains("poisoned"), "{msg}"),
                (3, other) => panic!("the poisoned rating was accepted: {other:?}"),
                (_, r) => assert_eq!(r.as_ref().unwrap().outcome, IntakeOutcome::Stored),
            }
        }
        let stats = intake.stats();
        assert_eq!((stats.stored, stats.failed), (9, 1));
        assert!(stats.split_batches >= 1, "{stats:?}");
        // Dimensions created by the failed batch were rolled back and created again.
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ratings"), 9);
        assert!(t.store.verify_rollups().unwrap().is_empty());
        let again = intake.submit(rating("OK11", 11)).unwrap();
        assert_eq!(again.outcome, IntakeOutcome::Stored);
    }

    a_timed_out_rating_may_still_land_and_a_retry_counts_it_once(t) {
        let mut blocker = t.reopen();
        blocker.backend().begin().unwrap();
        if blocker.dialect() == Dialect::Postgres {
            blocker.backend().execute_batch("LOCK TABLE ratings IN EXCLUSIVE MODE").unwrap();
        }
        let intake = Intake::start(t.reopen(), IntakeConfig::default());
        let r = rating("T1", 1);
        assert_eq!(
            intake.submit_timeout(r.clone(), Duration::from_millis(200)),
            Err(IntakeError::Timeout)
        );
        blocker.backend().rollback().unwrap();
        let retry = intake.submit_timeout(r, Duration::from_secs(30)).unwrap();
        assert_eq!(retry.outcome, IntakeOutcome::Duplicate, "the first attempt committed after all");
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ratings"), 1);
        assert!(t.store.verify_rollups().unwrap().is_empty());
    }

    an_import_survives_a_department_the_intake_created_meanwhile(t) {
        // On SQLite the import's write lock makes this interleaving impossible.
        if t.store.dialect() == Dialect::Postgres {
            let intake = Intake::start(t.reopen(), IntakeConfig::default());
            let mut session = t.store.begin_import("ratings", "r.csv", "x").unwrap();
            // The import's dimension cache is loaded; now the intake creates the department.
            assert_eq!(intake.submit(rating("LIVE", 0)).unwrap().outcome, IntakeOutcome::Stored);
            session.ratings(&[rating("FILE", 0)]).unwrap();
            let summary = session.commit().unwrap();
            assert_eq!(summary.inserted, 1);
            assert!(summary.created.departments.is_empty(), "{:?}", summary.created);
            assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM departments"), 1);
            assert!(t.store.verify_rollups().unwrap().is_empty());
        }
    }

    invalid_ratings_are_refused_before_they_queue(t) {
        let intake = Intake::start(t.reopen(), IntakeConfig::default());
        let mut blank = rating("x", 1);
        blank.rating_no = "  ".into();
        assert!(matches!(intake.submit(blank), Err(IntakeError::Invalid(m)) if m.contains("评价编号")));
        let mut third = rating("R3", 1);
        third.attempt = 3;
        assert!(matches!(intake.submit(third), Err(IntakeError::Invalid(m)) if m.contains("评价次数")));
        let mut future = rating("R4", 1);
        future.rated_at = parse_datetime("2999-01-01 00:00:00").unwrap();
        assert!(matches!(intake.submit(future), Err(IntakeError::Invalid(_))));
        assert_eq!(intake.stats().batches, 0);
        drop(intake);
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ratings"), 0);
    }

    a_full_queue_holds_callers_back(t) {
        // Another connection holds the write lock, so the writer cannot commit.
        let mut blocker = t.reopen();
        blocker.backend().begin().unwrap();
        if blocker.dialect() == Dialect::Postgres {
            blocker.backend().execute_batch("LOCK TABLE ratings IN EXCLUSIVE MODE").unwrap();
        }
        let intake = Intake::start(t.reopen(), IntakeConfig { queue: 1, max_batch: 1, linger: Duration::ZERO });
        let waiting: Vec<_> = (0..2)
            .map(|i| {
                let h = intake.clone();
                std::thread::spawn(move || h.submit(rating(&format!("W{i}"), i)))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(intake.try_submit(rating("W9", 9)), Err(IntakeError::Busy));
        let short = Duration::from_millis(50);
        assert_eq!(intake.submit_timeout(rating("W9", 9), short), Err(IntakeError::Busy));
        blocker.backend().rollback().unwrap();
        for w in waiting {
            assert_eq!(w.join().unwrap().unwrap().outcome, IntakeOutcome::Stored);
        }
        assert_eq!(intake.try_submit(rating("W9", 9)).unwrap().outcome, IntakeOutcome::Stored);
        assert!(t.store.verify_rollups().unwrap().is_empty());
    }
}
