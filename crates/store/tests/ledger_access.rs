//! Every ledger read and write asks `authorize`: lists restricted to what the principal may
//! see whatever the filter asks, single items refused with `Forbidden`, department scope by
//! id, and two concurrent claims of one item of which exactly one passes. Both backends.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use jianping_core::access::Principal;
use jianping_core::ledger::{Command, SourceKind};
use jianping_core::records::*;
use jianping_core::time::parse_datetime;
use jianping_core::*;
use jianping_store::ledger::{LedgerFilter, NewItem};
use jianping_store::{Store, StoreError};
use std::sync::{Arc, Barrier};

const HR: &str = "海南区人力资源和社会保障局";
const FUND: &str = "住房公积金中心乌达分中心";

fn ts(s: &str) -> NaiveDateTime {
    parse_datetime(s).unwrap()
}

fn today() -> NaiveDate {
    "2023-12-31".parse().unwrap()
}

fn rating(no: &str, department: &str, grade: Grade) -> RatingRecord {
    RatingRecord {
        rating_no: no.into(),
        case_no: None,
        matter_code: None,
        matter_name: Some("职工退休申请".into()),
        department: department.into(),
        window: None,
        staff: None,
        region: RegionCode::parse("150303").unwrap(),
        channel: Channel::HallPad,
        grade,
        rated_at: ts("2023-06-01 10:00:00"),
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

fn supervisor(code: &str, name: &str) -> SupervisorRecord {
    SupervisorRecord {
        code: code.into(),
        name: name.into(),
        category: "人大代表".into(),
        unit: None,
        phone: None,
        appointed_on: "2022-03-01".parse().unwrap(),
        term_end: None,
    }
}

fn feedback(no: &str, supervisor: &str, department: &str) -> FeedbackRecord {
    FeedbackRecord {
        feedback_no: no.into(),
        supervisor: supervisor.into(),
        received_on: "2023-05-10".parse().unwrap(),
        category: "便民服务".into(),
        method: None,
        content: format!("{no}：大厅缺少复印打印机"),
        department: Some(department.into()),
        region: None,
    }
}

/// Four items: a bad rating and a supervisor's feedback for each of two departments.
fn load(store: &mut Store) {
    let mut s = store.begin_import("ratings", "r.csv", "x").unwrap();
    s.ratings(&[
        rating("R-HR", HR, Grade::Unsatisfied),
        rating("R-FUND", FUND, Grade::VeryUnsatisfied),
        rating("R-GOOD", HR, Grade::VerySatisfied),
    ])
    .unwrap();
    s.commit().unwrap();
    let mut s = store.begin_import("supervision", "s.csv", "x").unwrap();
    s.supervisors(&[supervisor("JD01", "王五"), supervisor("JD02", "赵七")])
        .unwrap();
    s.feedback(&[feedback("F1", "JD01", HR), feedback("F2", "JD02", FUND)])
        .unwrap();
    s.commit().unwrap();
}

fn item(store: &mut Store, source: SourceKind, no: &str) -> String {
    store.ledger_item_for_source(source, no).unwrap().unwrap()
}

fn clerk(store: &mut Store, name: &str, department: &str) -> Principal {
    Principal::clerk(name, store.department_by_name(department).unwrap())
}

fn listed(store: &mut Store, who: &Principal, filter: &LedgerFilter) -> Vec<String> {
    let mut nos: Vec<String> = store
        .ledger_items(who, filter, today())
        .unwrap()
        .into_iter()
        .map(|i| i.source_no.unwrap_or_default())
        .collect();
    nos.sort();
    nos
}

fn claim_events(store: &mut Store, item_no: &str) -> i64 {
    store
        .backend()
        .query(
            "SELECT COUNT(*) FROM ledger_events e JOIN ledger_items l ON l.id = e.item_id
             WHERE l.item_no = ? AND e.action = 'claim'",
            &[item_no.into()],
        )
        .unwrap()[0][0]
        .as_i64()
        .unwrap()
}

both_backends! {
    lists_hold_only_what_the_principal_may_see(t) {
        load(&mut t.store);
        let all = LedgerFilter::default();
        let everything = vec!["F1", "F2", "R-FUND", "R-HR"];
        assert_eq!(listed(&mut t.store, &Principal::admin("局"), &all), everything);
        assert_eq!(listed(&mut t.store, &Principal::leader("领导"), &all), everything);
        let hr = clerk(&mut t.store, "人社经办人", HR);
        assert_eq!(listed(&mut t.store, &hr, &all), vec!["F1", "R-HR"]);
        // Whatever the filter asks, a clerk's list stays inside the department.
        let other = LedgerFilter { department: Some(FUND.into()), ..LedgerFilter::default() };
        assert!(listed(&mut t.store, &hr, &other).is_empty());
        let theirs = LedgerFilter { supervisor: Some("JD02".into()), ..LedgerFilter::default() };
        assert!(listed(&mut t.store, &hr, &theirs).is_empty());
        let jd01 = Principal::supervisor("王五", t.store.supervisor_by_code("JD01").unwrap());
        assert_eq!(listed(&mut t.store, &jd01, &all), vec!["F1"]);
        assert!(listed(&mut t.store, &jd01, &theirs).is_empty());
        let ratings = LedgerFilter { source: Some(SourceKind::Rating), ..LedgerFilter::default() };
        assert!(listed(&mut t.store, &jd01, &ratings).is_empty());
        let e = t.store.ledger_items(&Principal::auditor("审计"), &all, today()).unwrap_err();
        assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        // Counts and the overdue list are lists too.
        let counts = t.store.ledger_department_counts(&hr, &all, today()).unwrap();
        assert_eq!(counts.iter().map(|c| c.department.as_str()).collect::<Vec<_>>(), vec![HR]);
        assert_eq!(counts[0].total, 2);
        assert_eq!(t.store.ledger_overdue(&hr, today()).unwrap().len(), 2);
        assert_eq!(t.store.ledger_overdue(&Principal::admin("局"), today()).unwrap().len(), 4);
    }

    one_item_is_shown_only_to_whom_it_concerns(t) {
        load(&mut t.store);
        let (r_hr, r_fund) = (item(&mut t.store, SourceKind::Rating, "R-HR"), item(&mut t.store, SourceKind::Rating, "R-FUND"));
        let (f1, f2) = (item(&mut t.store, SourceKind::Feedback, "F1"), item(&mut t.store, SourceKind::Feedback, "F2"));
        let hr = clerk(&mut t.store, "人社经办人", HR);
        let jd01 = Principal::supervisor("王五", t.store.supervisor_by_code("王五").unwrap());
        let cases = [
            (&hr, &r_hr, true), (&hr, &f1, true), (&hr, &r_fund, false), (&hr, &f2, false),
            (&jd01, &f1, true), (&jd01, &f2, false), (&jd01, &r_hr, false),
        ];
        for (who, no, allowed) in cases {
            match t.store.ledger_item(who, no, today()) {
                Ok(_) => assert!(allowed, "{} saw {no}", who.user),
                Err(StoreError::Forbidden(m)) => {
                    assert!(!allowed, "{} refused {no}: {m}", who.user);
                    assert!(m.contains(no.as_str()), "{m}");
                }
                Err(e) => panic!("{e:?}"),
            }
        }
        assert!(t.store.ledger_item(&Principal::leader("领导"), &r_fund, today()).is_ok());
        let e = t.store.ledger_item(&Principal::auditor("审计"), &r_hr, today()).unwrap_err();
        assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        let e = t.store.ledger_item(&hr, "ZG1999-00001", today()).unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e:?}");
    }

    department_scope_follows_the_items_department_id(t) {
        load(&mut t.store);
        let r_fund = item(&mut t.store, SourceKind::Rating, "R-FUND");
        let hr = clerk(&mut t.store, "人社经办人", HR);
        let at = ts("2023-06-02 09:00:00");
        let e = t.store.ledger_claim(&r_fund, &hr, at).unwrap_err();
        assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        let e = t.store.ledger_claim(&r_fund, &Principal::leader("领导"), at).unwrap_err();
        assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        // The bureau reassigns it to HR: from then on HR's clerk works it, FUND's cannot.
        let reassign = Command::Reassign { department: HR.into(), note: Some("派错".into()) };
        t.store.ledger_step(&r_fund, &reassign, &Principal::admin("局"), at).unwrap();
        t.store.ledger_claim(&r_fund, &hr, at).unwrap();
        let fund = clerk(&mut t.store, "公积金经办人", FUND);
        let e = t.store.ledger_item(&fund, &r_fund, today()).unwrap_err();
        assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        let d = t.store.ledger_item(&hr, &r_fund, today()).unwrap();
        let last = d.events.last().unwrap();
        assert_eq!((last.actor.as_str(), last.role.as_deref()), ("人社经办人", Some("部门经办人")));
        // Registering by hand is the bureau's.
        let new = NewItem {
            title: "领导交办：窗口排队时间长".into(),
            description: None,
            department: Some(HR.into()),
            raised_at: at,
            limit_days: None,
        };
        let e = t.store.ledger_add(&new, &hr, at).unwrap_err();
        assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        let no = t.store.ledger_add(&new, &Principal::admin("局"), at).unwrap();
        assert_eq!(listed(&mut t.store, &hr, &LedgerFilter::default()).len(), 4, "{no} is HR's");
    }

    two_concurrent_claims_of_one_item_pass_exactly_once(t) {
        load(&mut t.store);
        let admin = Principal::admin("局");
        let at = ts("2023-09-28 09:00:00");
        let mut stores = Some((t.reopen(), t.reopen()));
        let clerks = (clerk(&mut t.store, "甲", HR), clerk(&mut t.store, "乙", HR));
        for round in 0..20 {
            let no = t.store.ledger_add(&NewItem {
                title: format!("第{round}轮"),
                description: None,
                department: Some(HR.into()),
                raised_at: at,
                limit_days: None,
            }, &admin, at).unwrap();
            let (a, b) = stores.take().unwrap();
            let barrier = Arc::new(Barrier::new(2));
            let race = |mut store: Store, who: Principal| {
                let (no, barrier) = (no.clone(), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    barrier.wait();
                    let r = store.ledger_claim(&no, &who, at);
                    (store, r)
                })
            };
            let ha = race(a, clerks.0.clone());
            let hb = race(b, clerks.1.clone());
            let (a, ra) = ha.join().unwrap();
            let (b, rb) = hb.join().unwrap();
            stores = Some((a, b));
            let (won, lost) = match (ra, rb) {
                (Ok(w), Err(l)) | (Err(l), Ok(w)) => (w, l),
                other => panic!("round {round}: {other:?}"),
            };
            assert_eq!(won.item_no, no);
            assert!(matches!(lost, StoreError::Conflict(_)), "round {round}: {lost:?}");
            assert!(lost.to_string().contains("不能「认领」"), "{lost}");
            assert_eq!(claim_events(&mut t.store, &no), 1, "round {round}");
        }
    }
}
