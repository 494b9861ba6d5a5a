//! Citizens' complaints on both backends: filed with their ledger item and photo in one
//! transaction, followed by receipt (stored hashed), masked for the public, added to.

mod common;

use chrono::NaiveDateTime;
use jianping_core::RegionCode;
use jianping_core::access::Principal;
use jianping_core::records::{RegionRecord, WindowRecord};
use jianping_core::time::parse_datetime;
use jianping_store::complaints::{MAX_ADDITIONS, NewComplaint, Photo};
use jianping_store::{RowExt, Store, StoreError};

const DEPT: &str = "乌海市公安局";

fn at(s: &str) -> NaiveDateTime {
    parse_datetime(s).unwrap()
}

fn window(store: &mut Store) -> i64 {
    let code = RegionCode::parse("150300").unwrap();
    let mut s = store.begin_import("windows", "w.csv", "x").unwrap();
    s.regions(&[RegionRecord {
        code: code.clone(),
        name: "乌海市".into(),
    }])
    .unwrap();
    s.windows(&[WindowRecord {
        code: Some("CK1".into()),
        name: "出入境窗口".into(),
        hall: None,
        region: code,
        department: Some(DEPT.into()),
        kind: None,
        extended_hours: false,
    }])
    .unwrap();
    s.commit().unwrap();
    store.find_window("CK1").unwrap().window_id
}

fn complaint(window_id: i64) -> NewComplaint {
    NewComplaint {
        window_id,
        category: "办事效率".into(),
        content: "签注办理等了三个小时，请回电13912345678".into(),
        reporter_name: Some("李四".into()),
        reporter_phone: Some("13912345678".into()),
        photo: Some(Photo {
            file_name: "a.jpg".into(),
            content_type: "image/jpeg".into(),
            data: vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
        }),
        address: Some("10.1.1.1".into()),
        received_at: at("2026-03-02 10:00:00"),
    }
}

fn count(store: &mut Store, sql: &str) -> i64 {
    store.backend().query(sql, &[]).unwrap()[0].int(0)
}

both_backends! {
    a_complaint_is_filed_with_its_item_and_followed_to_the_end(t) {
        let w = window(&mut t.store);
        let r = t.store.file_complaint(&complaint(w)).unwrap();
        assert!(r.receipt.len() >= 16);
        assert!(r.report_no.starts_with("MSWEB20260302"), "{}", r.report_no);
        let item = r.item_no.clone().expect("a ledger item");
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM attachments"), 1);
        assert_eq!(
            count(&mut t.store, "SELECT COUNT(*) FROM citizen_reports WHERE receipt_hash <> ''"),
            1
        );
        let s = t.store.complaint_status(&r.receipt).unwrap().expect("found by receipt");
        assert_eq!(s.item_no.as_deref(), Some(item.as_str()));
        assert_eq!(s.state.as_deref(), Some("待认领"));
        assert!(!s.claimed);
        assert_eq!(s.department.as_deref(), Some(DEPT));
        assert_eq!(s.photos, 1);
        assert!(!s.content.contains("13912345678"), "{}", s.content);
        assert!(!s.reporter_phone.as_deref().unwrap().contains("1234"));
        assert_ne!(s.reporter_name.as_deref(), Some("李四"));

        let dept = t.store.department_by_name(DEPT).unwrap();
        let clerk = Principal::clerk("王经办", dept);
        t.store.ledger_claim(&item, &clerk, at("2026-03-02 11:00:00")).unwrap();
        t.store
            .ledger_rectify(&item, "已增开签注窗口，王经办电话13700001111", &clerk, at("2026-03-03 09:00:00"))
            .unwrap();
        t.store.add_to_complaint(&r.receipt, "补充：是上午", None, at("2026-03-03 10:00:00")).unwrap();
        t.store
            .ledger_close(&item, None, &Principal::admin("局管理员"), at("2026-03-04 09:00:00"))
            .unwrap();
        let s = t.store.complaint_status(&r.receipt).unwrap().unwrap();
        assert_eq!(s.state.as_deref(), Some("已办结(销号)"));
        assert!(s.claimed);
        assert!(s.closed_at.is_some() && s.rectified_at.is_some());
        let measures = s.measures.unwrap();
        assert!(measures.contains("增开") && !measures.contains("13700001111"), "{measures}");
        let actions: Vec<&str> = s.steps.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["登记", "认领", "提交整改", "核验销号"]);
        let public = serde_json::to_string(&s.steps).unwrap();
        assert!(!public.contains("王经办") && !public.contains("局管理员"), "{public}");
        assert_eq!(s.additions.len(), 1);
        // A closed complaint takes no more additions.
        let e = t.store.add_to_complaint(&r.receipt, "再补充", None, at("2026-03-05 09:00:00"));
        assert!(matches!(e, Err(StoreError::Conflict(_))), "{e:?}");
    }

    receipts_categories_and_addition_limits_are_checked(t) {
        let w = window(&mut t.store);
        assert!(t.store.complaint_status("AAAAAAAAAAAAAAAAAAAAAA").unwrap().is_none());
        assert!(t.store.complaint_status("../x").unwrap().is_none());
        let bad = NewComplaint { category: "外星人".into(), ..complaint(w) };
        assert!(matches!(t.store.file_complaint(&bad), Err(StoreError::Invalid(_))));
        let empty = NewComplaint { content: "   ".into(), ..complaint(w) };
        assert!(matches!(t.store.file_complaint(&empty), Err(StoreError::Invalid(_))));
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM qr_reports"), 0);
        let r = t.store.file_complaint(&NewComplaint { photo: None, ..complaint(w) }).unwrap();
        for i in 0..MAX_ADDITIONS {
            t.store.add_to_complaint(&r.receipt, &format!("补充{i}"), None, at("2026-03-02 12:00:00")).unwrap();
        }
        let e = t.store.add_to_complaint(&r.receipt, "太多了", None, at("2026-03-02 12:00:00"));
        assert!(matches!(e, Err(StoreError::Conflict(_))), "{e:?}");
        assert_eq!(
            count(&mut t.store, "SELECT COUNT(*) FROM audit_log WHERE username = '群众' AND action = 'complaint.add'"),
            MAX_ADDITIONS as i64
        );
        assert_eq!(
            count(&mut t.store, "SELECT COUNT(*) FROM audit_log WHERE action = 'complaint.file'"),
            1
        );
        let e = t.store.add_to_complaint("AAAAAAAAAAAAAAAAAAAAAA", "x", None, at("2026-03-02 12:00:00"));
        assert!(matches!(e, Err(StoreError::NotFound(_))), "{e:?}");
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM attachments"), 0);
    }
}
