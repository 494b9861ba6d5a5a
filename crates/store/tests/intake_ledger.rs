//! The intake opens the ledger item of every new bad rating in the rating's own transaction,
//! exactly as an import does; and its async submit answers without holding a thread. Both
//! backends.

mod common;

use common::{on_threads, poison};
use jianping_core::access::Principal;
use jianping_core::ledger::{LedgerConfig, SourceKind};
use jianping_core::records::RatingRecord;
use jianping_core::time::parse_datetime;
use jianping_core::*;
use jianping_store::ledger::{ItemView, LedgerFilter};
use jianping_store::{Dialect, Intake, IntakeConfig, IntakeError, IntakeOutcome, Store};
use std::future::Future;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

const HR: &str = "海南区人力资源和社会保障局";

fn rating(no: &str, grade: Grade, at: &str) -> RatingRecord {
    RatingRecord {
        rating_no: no.into(),
        case_no: None,
        matter_code: Some("M-RETIRE".into()),
        matter_name: Some("职工退休申请".into()),
        department: HR.into(),
        window: Some("社保窗口".into()),
        staff: None,
        region: RegionCode::parse("150303").unwrap(),
        channel: Channel::HallPad,
        grade,
        rated_at: parse_datetime(at).unwrap(),
        attempt: 1,
        tags: Some("服务态度".into()),
        comment: Some("未提供材料样本".into()),
        rater_name: Some("张三".into()),
        rater_phone: Some("13812345678".into()),
        device: None,
        address: None,
        account: None,
    }
}

fn count(store: &mut Store, sql: &str) -> i64 {
    store.backend().query(sql, &[]).unwrap()[0][0]
        .as_i64()
        .unwrap()
}

fn items(store: &mut Store) -> Vec<ItemView> {
    store
        .ledger_items(
            &Principal::admin("局"),
            &LedgerFilter::default(),
            "2023-12-31".parse().unwrap(),
        )
        .unwrap()
}

/// Another empty database on the same engine.
fn twin(store: &Store) -> common::TestDb {
    match store.dialect() {
        Dialect::Sqlite => common::sqlite(),
        Dialect::Postgres => common::postgres(),
    }
}

/// Holds the write lock (SQLite) or the ratings table (PostgreSQL) on its own connection.
fn block_writers(t: &common::TestDb) -> Store {
    let mut blocker = t.reopen();
    blocker.backend().begin().unwrap();
    if blocker.dialect() == Dialect::Postgres {
        blocker
            .backend()
            .execute_batch("LOCK TABLE ratings IN EXCLUSIVE MODE")
            .unwrap();
    }
    blocker
}

fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    std::pin::Pin::new(f).poll(&mut Context::from_waker(Waker::noop()))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap()
}

both_backends! {
    a_bad_rating_opens_its_item_as_an_import_would(t) {
        let intake = Intake::start(t.reopen(), IntakeConfig::default());
        let bad = rating("R1", Grade::Unsatisfied, "2023-09-28 10:00:00");
        let receipt = intake.submit(bad.clone()).unwrap();
        assert_eq!(receipt.outcome, IntakeOutcome::Stored);
        let no = receipt.ledger_item.clone().expect("a bad rating opens an item");
        assert_eq!(no, "ZG2023-00001");
        let good = intake.submit(rating("R2", Grade::VerySatisfied, "2023-09-28 11:00:00")).unwrap();
        assert_eq!(good.ledger_item, None);
        let again = intake.submit(bad.clone()).unwrap();
        assert_eq!((again.outcome, again.ledger_item), (IntakeOutcome::Duplicate, None));
        drop(intake);
        let via_intake = items(&mut t.store);
        assert_eq!(via_intake.len(), 1, "one item: the good rating and the retry open none");
        let it = &via_intake[0];
        assert_eq!((it.item_no.as_str(), it.source, it.source_no.as_deref()), (no.as_str(), SourceKind::Rating, Some("R1")));
        assert_eq!(it.department.as_deref(), Some(HR));
        // 15 working days to rectify, one to call back, across the National Day holiday.
        assert_eq!((it.due_on.as_deref(), it.callback_due_on.as_deref()), (Some("2023-10-25"), Some("2023-10-07")));
        // The department's clerk finds it: scope by the rating's department id.
        let hr = t.store.department_by_name(HR).unwrap();
        let mine = t.store.ledger_items(&Principal::clerk("经办人", hr), &LedgerFilter::default(), "2023-12-31".parse().unwrap()).unwrap();
        assert_eq!(mine.len(), 1);
        let d = t.store.ledger_item(&Principal::admin("局"), &no, "2023-12-31".parse().unwrap()).unwrap();
        assert_eq!((d.events.len(), d.events[0].actor.as_str(), d.events[0].action.as_str()), (1, "系统", "登记"));
        assert!(t.store.verify_rollups().unwrap().is_empty());
        // The same rating imported into an empty database gives the same item.
        let mut other = twin(&t.store);
        let mut s = other.store.begin_import("ratings", "r.csv", "x").unwrap();
        s.ratings(&[bad]).unwrap();
        assert_eq!(s.commit().unwrap().ledger_items, 1);
        assert_eq!(items(&mut other.store), via_intake);
    }

    the_ledger_configuration_decides_which_ratings_open_items(t) {
        let config = LedgerConfig {
            bad_grades: vec![Grade::Basic, Grade::Unsatisfied, Grade::VeryUnsatisfied],
            rating_days: 5,
            since: Some("2023-06-01".parse().unwrap()),
            ..LedgerConfig::default()
        };
        t.store.set_ledger_config(&config).unwrap();
        let intake = Intake::start(t.reopen(), IntakeConfig::default());
        let basic = intake.submit(rating("B1", Grade::Basic, "2023-09-28 10:00:00")).unwrap();
        let no = basic.ledger_item.expect("基本满意 is configured as a problem");
        let old = intake.submit(rating("B0", Grade::VeryUnsatisfied, "2023-05-31 10:00:00")).unwrap();
        assert_eq!(old.ledger_item, None, "raised before `since`");
        drop(intake);
        let d = t.store.ledger_item(&Principal::admin("局"), &no, "2023-12-31".parse().unwrap()).unwrap();
        // 5 working days from Thursday 2023-09-28: 10-07, 10-08 (make-up days), 10-09 … 10-11.
        assert_eq!(d.item.due_on.as_deref(), Some("2023-10-11"));
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ledger_items"), 1);
    }

    a_rating_that_fails_takes_nothing_of_the_others_with_it(t) {
        poison(&mut t.store, "BAD");
        let intake = Intake::start(t.reopen(), IntakeConfig {
            queue: 64,
            max_batch: 1024,
            linger: Duration::from_millis(300),
        });
        let handle = intake.clone();
        let results = on_threads(8, move |th, barrier| {
            let no = if th == 3 { "BAD".to_string() } else { format!("U{th}") };
            barrier.wait();
            handle.submit(rating(&no, Grade::VeryUnsatisfied, "2023-09-28 10:00:00"))
        });
        let mut numbers = Vec::new();
        for (th, r) in results.iter().enumerate() {
            match (th, r) {
                (3, Err(e)) => assert!(!e.is_invalid() && !e.is_unavailable(), "{e:?}"),
                (3, ok) => panic!("the poisoned rating was accepted: {ok:?}"),
                (_, r) => numbers.push(r.as_ref().unwrap().ledger_item.clone().unwrap()),
            }
        }
        assert!(intake.stats().split_batches >= 1, "{:?}", intake.stats());
        drop(intake);
        numbers.sort();
        // The failed batch's numbers were rolled back with it: no gaps.
        let want: Vec<String> = (1..=7).map(|n| format!("ZG2023-{n:05}")).collect();
        assert_eq!(numbers, want);
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ledger_items"), 7);
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ledger_items WHERE source_no = 'BAD'"), 0);
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ratings WHERE rating_no = 'BAD'"), 0);
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ledger_events"), 7);
        assert!(t.store.verify_rollups().unwrap().is_empty());
    }

    an_async_submit_waits_without_holding_a_thread(t) {
        let intake = Intake::start(t.reopen(), IntakeConfig { queue: 1, max_batch: 1, linger: Duration::ZERO });
        let rt = runtime();
        let receipt = rt.block_on(intake.submit_async(rating("A1", Grade::Unsatisfied, "2023-09-28 10:00:00"))).unwrap();
        assert_eq!(receipt.ledger_item.as_deref(), Some("ZG2023-00001"));
        let mut blocker = block_writers(&t);
        // Queued at the call; pending while the writer cannot commit; polling returns at once.
        let mut first = Box::pin(intake.submit_async(rating("A2", Grade::Satisfied, "2023-09-28 10:00:00")));
        assert!(poll_once(&mut first).is_pending());
        let picked = Instant::now();
        while intake.stats().batches < 2 {
            assert!(picked.elapsed() < Duration::from_secs(30), "the writer never took A2");
            std::thread::sleep(Duration::from_millis(5));
        }
        let mut second = Box::pin(intake.submit_async(rating("A3", Grade::Satisfied, "2023-09-28 10:00:00")));
        assert!(poll_once(&mut second).is_pending(), "the queue holds one");
        // Full: refused at once, as unavailable (HTTP 503).
        let mut third = Box::pin(intake.submit_async(rating("A4", Grade::Satisfied, "2023-09-28 10:00:00")));
        match poll_once(&mut third) {
            Poll::Ready(Err(e)) => {
                assert_eq!(e, IntakeError::Busy);
                assert!(e.is_unavailable() && !e.is_invalid());
            }
            other => panic!("a full queue must answer Busy at once: {other:?}"),
        }
        let mut blank = Box::pin(intake.submit_async(rating(" ", Grade::Satisfied, "2023-09-28 10:00:00")));
        match poll_once(&mut blank) {
            Poll::Ready(Err(e)) => assert!(e.is_invalid() && !e.is_unavailable(), "{e:?}"),
            other => panic!("an invalid rating is refused at once: {other:?}"),
        }
        blocker.backend().rollback().unwrap();
        let (a2, a3) = rt.block_on(async { (first.await, second.await) });
        assert_eq!((a2.unwrap().outcome, a3.unwrap().outcome), (IntakeOutcome::Stored, IntakeOutcome::Stored));
        drop(intake);
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ratings"), 3);
    }

    many_tasks_on_two_workers_share_the_group_commit(t) {
        let intake = Intake::start(t.reopen(), IntakeConfig::default());
        let rt = runtime();
        let n = 200;
        let receipts = rt.block_on(async {
            let tasks: Vec<_> = (0..n)
                .map(|i| {
                    let grade = if i % 10 == 0 { Grade::VeryUnsatisfied } else { Grade::VerySatisfied };
                    tokio::spawn(intake.submit_async(rating(&format!("T{i}"), grade, "2023-09-28 10:00:00")))
                })
                .collect();
            let mut out = Vec::new();
            for task in tasks {
                out.push(task.await.unwrap());
            }
            out
        });
        let opened = receipts.iter().filter(|r| r.as_ref().unwrap().ledger_item.is_some()).count();
        assert_eq!(opened, n / 10);
        assert!(intake.stats().batches < n as u64, "{:?}", intake.stats());
        drop(intake);
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ratings"), n as i64);
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ledger_items"), (n / 10) as i64);
        assert!(t.store.verify_rollups().unwrap().is_empty());
    }
}
