//! Rollup maintenance on both of its paths (multi-row upserts for small deltas, a staging
//! table for large ones), with counts that rise and fall, on both backends.

mod common;

use jianping_core::records::{RatingRecord, TicketRecord};
use jianping_core::*;
use jianping_store::{Store, Value};

fn day(i: usize) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
        + chrono::Duration::days(i as i64)
}

fn ticket(i: usize, kind: TicketKind) -> TicketRecord {
    TicketRecord {
        ticket_no: format!("T{i}"),
        kind,
        source: TicketSource::Phone,
        mode: HandlingMode::Transfer,
        department: Some(format!("部门{}", i % 3)),
        content: None,
        received_at: day(i),
        due_at: None,
        closed_at: None,
        resolved: None,
        revisited_at: None,
        revisit_result: None,
        citizen_name: None,
        citizen_phone: None,
    }
}

fn rating(i: usize) -> RatingRecord {
    RatingRecord {
        rating_no: format!("R{i}"),
        case_no: None,
        matter_code: None,
        matter_name: None,
        department: format!("部门{}", i % 7),
        window: None,
        staff: None,
        region: RegionCode::parse(["150300", "150303", "150303001"][i % 3]).unwrap(),
        channel: Channel::ALL[i % 8],
        grade: Grade::ALL[i % 5],
        rated_at: day(i % 1500),
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

fn tickets(store: &mut Store, n: usize, kind: TicketKind) {
    let recs: Vec<TicketRecord> = (0..n).map(|i| ticket(i, kind)).collect();
    let mut s = store.begin_import("hotline", "t.csv", "x").unwrap();
    s.tickets(&recs).unwrap();
    s.commit().unwrap();
}

fn zero_rows(store: &mut Store) -> Vec<Value> {
    let sql = "SELECT (SELECT COUNT(*) FROM rating_daily WHERE n = 0)
                    + (SELECT COUNT(*) FROM rating_monthly WHERE n = 0)
                    + (SELECT COUNT(*) FROM ticket_daily WHERE n <= 0)";
    store.backend().query(sql, &[]).unwrap().remove(0)
}

both_backends! {
    large_rating_imports_use_the_staging_path_and_stay_true(t) {
        let recs: Vec<RatingRecord> = (0..6000).map(rating).collect();
        let mut s = t.store.begin_import("ratings", "r.csv", "x").unwrap();
        s.ratings(&recs).unwrap();
        assert_eq!(s.commit().unwrap().inserted, 6000);
        let daily = t.store.backend().query("SELECT COUNT(*) FROM rating_daily", &[]).unwrap();
        assert!(daily[0][0].as_i64().unwrap() > 2000, "the staging path was exercised");
        assert!(t.store.verify_rollups().unwrap().is_empty());
    }

    counts_that_fall_to_zero_leave_no_rows_on_either_path(t) {
        for n in [50, 2600] {
            tickets(&mut t.store, n, TicketKind::Help);
            // Every ticket changes kind: each old key falls to zero, each new key rises.
            tickets(&mut t.store, n, TicketKind::Consult);
            assert!(t.store.verify_rollups().unwrap().is_empty(), "n = {n}");
            assert_eq!(zero_rows(&mut t.store), vec![Value::Int(0)], "n = {n}");
        }
    }

    foreign_keys_are_enforced_again_after_an_import(t) {
        let recs: Vec<RatingRecord> = (0..10).map(rating).collect();
        for commit in [true, false] {
            let mut s = t.store.begin_import("ratings", "r.csv", "x").unwrap();
            s.ratings(&recs).unwrap();
            if commit { s.commit().unwrap(); } else { s.rollback().unwrap(); }
            let orphan = t.store.backend().execute(
                "INSERT INTO ratings (rating_no, department_id, region_id, channel, grade, rated_at)
                 VALUES ('ORPHAN', 999999, 999999, 1, 1, '2023-01-01 00:00:00')",
                &[],
            );
            if t.store.dialect() == jianping_store::Dialect::Sqlite {
                assert!(orphan.is_err(), "a rating with unknown dimension ids was accepted");
            } else {
                // PostgreSQL keeps no foreign keys on ratings (V4); verify finds the orphan.
                assert!(orphan.is_ok());
                assert!(!t.store.verify_references().unwrap().is_empty());
                t.store.backend().execute("DELETE FROM ratings WHERE rating_no = 'ORPHAN'", &[]).unwrap();
            }
        }
    }

    references_that_point_nowhere_are_found(t) {
        let recs: Vec<RatingRecord> = (0..20).map(rating).collect();
        let mut s = t.store.begin_import("ratings", "r.csv", "x").unwrap();
        s.ratings(&recs).unwrap();
        s.commit().unwrap();
        assert_eq!(t.store.verify_references().unwrap(), vec![]);
        // What a faulty import could leave behind with the checks off.
        let corrupt = "UPDATE ratings SET department_id = 999999 WHERE rating_no IN ('R1', 'R2')";
        if t.store.dialect() == jianping_store::Dialect::Sqlite {
            t.store.backend().execute_batch(&format!(
                "PRAGMA foreign_keys = OFF; {corrupt}; PRAGMA foreign_keys = ON;"
            )).unwrap();
        } else {
            t.store.backend().execute(corrupt, &[]).unwrap();
        }
        let found = t.store.verify_references().unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].table.as_str(), found[0].parent.as_str(), found[0].rows), ("ratings", "departments", 2));
    }
}
