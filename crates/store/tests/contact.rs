//! Contact data in clear only with a reason, and every look logged.

mod common;

use jianping_core::access::Principal;
use jianping_core::records::RatingRecord;
use jianping_core::time::parse_datetime;
use jianping_core::*;
use jianping_store::StoreError;

fn bad_rating() -> RatingRecord {
    RatingRecord {
        rating_no: "R-BAD".into(),
        case_no: None,
        matter_code: None,
        matter_name: None,
        department: "海南区人力资源和社会保障局".into(),
        window: None,
        staff: None,
        region: RegionCode::parse("150303").unwrap(),
        channel: Channel::HallPad,
        grade: Grade::Unsatisfied,
        rated_at: parse_datetime("2023-05-17 10:39:02").unwrap(),
        attempt: 1,
        tags: None,
        comment: Some("未提供材料样本".into()),
        rater_name: Some("张三".into()),
        rater_phone: Some("13812345678".into()),
        device: None,
        address: None,
        account: None,
    }
}

both_backends! {
    a_callback_handler_sees_the_phone_and_the_look_is_logged(t) {
        let mut s = t.store.begin_import("ratings", "r.csv", "x").unwrap();
        s.ratings(&[bad_rating()]).unwrap();
        s.commit().unwrap();
        let item = t
            .store
            .ledger_item_for_source(jianping_core::ledger::SourceKind::Rating, "R-BAD")
            .unwrap()
            .expect("the bad rating has a ledger item");
        let at = parse_datetime("2023-05-18 09:00").unwrap();
        let auditor = Principal::auditor("审计员");
        let refused = t.store.ledger_contact(&Principal::admin("王芳"), &item, " ", at).unwrap_err();
        assert!(refused.to_string().contains("--reason"), "{refused}");
        assert!(t.store.access_log(&auditor, 10).unwrap().is_empty(), "a refused look is not logged");
        let c = t.store.ledger_contact(&Principal::admin("王芳"), &item, "差评回访", at).unwrap();
        assert_eq!((c.name.as_deref(), c.phone.as_deref()), (Some("张三"), Some("13812345678")));
        assert_eq!(c.role, "评价人");
        let log = t.store.access_log(&auditor, 10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].actor.as_str(), log[0].reason.as_deref()), ("王芳", Some("差评回访")));
        assert_eq!(log[0].role, "admin");
        assert!(log[0].what.contains(&item));
        // Every other view stays masked.
        let view = t.store.ledger_item(&Principal::admin("王芳"), &item, at.date()).unwrap();
        let json = serde_json::to_string(&view).unwrap();
        assert!(!json.contains("13812345678") && !json.contains("张三"), "{json}");
    }

    only_the_items_department_and_the_bureau_see_a_contact(t) {
        let mut s = t.store.begin_import("ratings", "r.csv", "x").unwrap();
        let mut other = bad_rating();
        other.rating_no = "R-OTHER".into();
        other.department = "乌海市公安局".into();
        s.ratings(&[bad_rating(), other]).unwrap();
        s.commit().unwrap();
        let item = t
            .store
            .ledger_item_for_source(jianping_core::ledger::SourceKind::Rating, "R-BAD")
            .unwrap()
            .unwrap();
        let at = parse_datetime("2023-05-18 09:00").unwrap();
        let hr = t.store.department_by_name("海南区人力资源和社会保障局").unwrap();
        let police = t.store.department_by_name("乌海市公安局").unwrap();
        let own = Principal::clerk("人社回访员", hr);
        let c = t.store.ledger_contact(&own, &item, "差评回访", at).unwrap();
        assert_eq!(c.phone.as_deref(), Some("13812345678"));
        for refused in [
            Principal::clerk("公安经办人", police),
            Principal::leader("分管领导"),
            Principal::supervisor("监督员", 1),
            Principal::auditor("审计员"),
        ] {
            let e = t.store.ledger_contact(&refused, &item, "差评回访", at).unwrap_err();
            assert!(matches!(e, StoreError::Forbidden(_)), "{:?}: {e:?}", refused.role);
        }
        // Only the clerk's look is in the log, with the clerk's name and role.
        let auditor = Principal::auditor("审计员");
        let log = t.store.access_log(&auditor, 10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].actor.as_str(), log[0].role.as_str()), ("人社回访员", "clerk"));
        // The log is the auditor's alone.
        for p in [Principal::admin("局管理员"), own, Principal::leader("分管领导")] {
            let e = t.store.access_log(&p, 10).unwrap_err();
            assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        }
        let e = t.store.ledger_contact(&auditor, "ZG1999-00001", "查看", at).unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e:?}");
    }
}
