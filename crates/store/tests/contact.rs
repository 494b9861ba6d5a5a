//! Contact data in clear only with a reason, and every look logged.

mod common;

use jianping_core::records::RatingRecord;
use jianping_core::time::parse_datetime;
use jianping_core::*;

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
        let refused = t.store.ledger_contact(&item, "王芳", " ", at).unwrap_err();
        assert!(refused.to_string().contains("--reason"), "{refused}");
        assert!(t.store.access_log(10).unwrap().is_empty(), "a refused look is not logged");
        let c = t.store.ledger_contact(&item, "王芳", "差评回访", at).unwrap();
        assert_eq!((c.name.as_deref(), c.phone.as_deref()), (Some("张三"), Some("13812345678")));
        assert_eq!(c.role, "评价人");
        let log = t.store.access_log(10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].actor.as_str(), log[0].reason.as_deref()), ("王芳", Some("差评回访")));
        assert!(log[0].what.contains(&item));
        // Every other view stays masked.
        let view = t.store.ledger_item(&item, at.date()).unwrap();
        let json = serde_json::to_string(&view).unwrap();
        assert!(!json.contains("13812345678") && !json.contains("张三"), "{json}");
    }
}
