//! The store's behaviour, identical on SQLite and PostgreSQL.

mod common;

use jianping_core::records::{RatingRecord, TicketRecord};
use jianping_core::time::parse_datetime;
use jianping_core::*;
use jianping_store::queries::RatingGroup;

fn rating(no: &str, dept: &str, region: &str, grade: Grade, at: &str) -> RatingRecord {
    RatingRecord {
        rating_no: no.into(),
        case_no: Some(format!("case-{no}")),
        matter_code: Some("M001".into()),
        matter_name: Some("失业登记".into()),
        department: dept.into(),
        window: Some("综合受理1号窗口".into()),
        staff: Some("王芳".into()),
        region: RegionCode::parse(region).unwrap(),
        channel: Channel::HallPad,
        grade,
        rated_at: parse_datetime(at).unwrap(),
        attempt: 1,
        tags: None,
        comment: None,
        rater_name: Some("张三".into()),
        rater_phone: Some("13812345678".into()),
        device: None,
        address: None,
        account: None,
    }
}

fn sample() -> Vec<RatingRecord> {
    vec![
        rating(
            "R1",
            "乌海市人社局",
            "150300",
            Grade::VerySatisfied,
            "2023-01-05 10:00:00",
        ),
        rating(
            "R2",
            "乌海市人社局",
            "150300",
            Grade::Satisfied,
            "2023-01-31 23:59:59",
        ),
        rating(
            "R3",
            "海南区人社局",
            "150303",
            Grade::Unsatisfied,
            "2023-02-01 09:00:00",
        ),
        rating(
            "R4",
            "海南区人社局",
            "150303001",
            Grade::VerySatisfied,
            "2023-03-15 09:00:00",
        ),
        rating(
            "R5",
            "海南区人社局",
            "150303001002",
            Grade::Basic,
            "2023-03-16 09:00:00",
        ),
    ]
}

fn period(a: &str, b: &str) -> Period {
    Period::new(a.parse().unwrap(), b.parse().unwrap()).unwrap()
}

fn import(db: &mut jianping_store::Store, rs: &[RatingRecord]) -> jianping_store::ImportSummary {
    let mut s = db.begin_import("ratings", "t.csv", "x").unwrap();
    s.ratings(rs).unwrap();
    s.commit().unwrap()
}

both_backends! {
    import_creates_dimensions_and_is_idempotent(t) {
        let first = import(&mut t.store, &sample());
        assert_eq!(first.inserted, 5);
        assert_eq!(first.created.departments, vec!["乌海市人社局", "海南区人社局"]);
        assert_eq!(first.created.regions.len(), 4);
        assert_eq!(first.created.windows.len(), 4, "window names are per region");
        let again = import(&mut t.store, &sample());
        assert_eq!((again.inserted, again.unchanged), (0, 5));
        assert!(again.created.is_empty());
        assert!(t.store.verify_rollups().unwrap().is_empty());
    }

    counts_by_tier_and_month_from_rollups(t) {
        import(&mut t.store, &sample());
        let p = period("2023-01-01", "2023-10-31");
        let tiers = t.store.rating_counts(&p, RatingGroup::Tier).unwrap();
        let labels: Vec<(&str, u64)> = tiers.iter().map(|g| (g.label.as_str(), g.counts.total())).collect();
        assert_eq!(labels, vec![("市本级", 2), ("区级", 1), ("镇(街道)和村(社区)级", 2)]);
        // Partial months at both ends read the daily rollup.
        let p = period("2023-01-31", "2023-03-15");
        let total = t.store.rating_counts(&p, RatingGroup::Total).unwrap();
        assert_eq!(total[0].counts.0, [1, 1, 0, 1, 0]);
        let months = t.store.rating_counts(&p, RatingGroup::Month).unwrap();
        let keys: Vec<&str> = months.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, vec!["2023-01", "2023-02", "2023-03"]);
    }

    a_failed_import_leaves_nothing(t) {
        {
            let mut s = t.store.begin_import("ratings", "t.csv", "x").unwrap();
            s.ratings(&sample()).unwrap();
            s.rollback().unwrap();
        }
        let p = period("2023-01-01", "2023-12-31");
        assert!(t.store.rating_counts(&p, RatingGroup::Total).unwrap().is_empty());
        {
            // Dropped without commit: also rolled back.
            let mut s = t.store.begin_import("ratings", "t.csv", "x").unwrap();
            s.ratings(&sample()).unwrap();
        }
        assert!(t.store.rating_counts(&p, RatingGroup::Total).unwrap().is_empty());
        let n = t.store.backend().query("SELECT COUNT(*) FROM departments", &[]).unwrap();
        assert_eq!(n[0][0], jianping_store::Value::Int(0));
    }

    tickets_update_and_keep_rollups_true(t) {
        let mut tk = TicketRecord {
            ticket_no: "T1".into(),
            kind: TicketKind::Help,
            source: TicketSource::Phone,
            mode: HandlingMode::Transfer,
            department: Some("市政务服务中心".into()),
            content: Some("咨询社保卡补办".into()),
            received_at: parse_datetime("2023-03-01 09:00").unwrap(),
            due_at: Some(parse_datetime("2023-03-04 09:00").unwrap()),
            closed_at: None,
            resolved: None,
            revisited_at: None,
            revisit_result: None,
            citizen_name: None,
            citizen_phone: None,
        };
        let mut s = t.store.begin_import("hotline", "a.csv", "x").unwrap();
        s.tickets(std::slice::from_ref(&tk)).unwrap();
        assert_eq!(s.commit().unwrap().inserted, 1);
        tk.closed_at = Some(parse_datetime("2023-03-02 10:00").unwrap());
        tk.kind = TicketKind::Consult;
        let mut s = t.store.begin_import("hotline", "b.csv", "x").unwrap();
        s.tickets(std::slice::from_ref(&tk)).unwrap();
        let sum = s.commit().unwrap();
        assert_eq!((sum.inserted, sum.updated), (0, 1));
        assert!(t.store.verify_rollups().unwrap().is_empty());
        let got = t.store.tickets_received(&period("2023-03-01", "2023-03-31")).unwrap();
        assert_eq!(got[0].closed_at.as_deref(), Some("2023-03-02 10:00:00"));
        assert_eq!(got[0].kind, TicketKind::Consult.code());
    }
}
