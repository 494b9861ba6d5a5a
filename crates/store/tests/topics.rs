//! Topics in the store, identical on SQLite and PostgreSQL: the suggested category set when
//! an import registers an item, the clerk's review beside it, the agreement rate, the ledger
//! filtered by topic, the bureau's dictionary, and the texts topic analysis reads.

mod common;

use chrono::NaiveDateTime;
use jianping_core::access::Principal;
use jianping_core::ledger::SourceKind;
use jianping_core::records::*;
use jianping_core::time::parse_datetime;
use jianping_core::*;
use jianping_store::Store;
use jianping_store::ledger::LedgerFilter;
use jianping_store::queries::topics::TopicSources;
use jianping_topics::Dictionary;

fn ts(s: &str) -> NaiveDateTime {
    parse_datetime(s).unwrap()
}

fn period(a: &str, b: &str) -> Period {
    Period::new(a.parse().unwrap(), b.parse().unwrap()).unwrap()
}

const HR: &str = "海南区人力资源和社会保障局";
const FUND: &str = "住房公积金中心乌达分中心";

fn rating(no: &str, grade: Grade, at: &str, comment: &str) -> RatingRecord {
    RatingRecord {
        rating_no: no.into(),
        case_no: None,
        matter_code: None,
        matter_name: None,
        department: HR.into(),
        window: None,
        staff: None,
        region: RegionCode::parse("150303").unwrap(),
        channel: Channel::HallPad,
        grade,
        rated_at: ts(at),
        attempt: 1,
        tags: None,
        comment: (!comment.is_empty()).then(|| comment.to_string()),
        rater_name: Some("张三".into()),
        rater_phone: None,
        device: None,
        address: None,
        account: None,
    }
}

fn ticket(no: &str, at: &str, content: &str) -> TicketRecord {
    TicketRecord {
        ticket_no: no.into(),
        kind: TicketKind::Complaint,
        source: TicketSource::Phone,
        mode: HandlingMode::Transfer,
        department: Some(FUND.into()),
        content: Some(content.into()),
        received_at: ts(at),
        due_at: None,
        closed_at: None,
        resolved: None,
        revisited_at: None,
        revisit_result: None,
        citizen_name: Some("李四".into()),
        citizen_phone: None,
    }
}

fn load(store: &mut Store) {
    let mut s = store.begin_import("ratings", "r.csv", "x").unwrap();
    s.ratings(&[
        rating(
            "R1",
            Grade::Unsatisfied,
            "2023-09-28 10:00:00",
            "未向办事群众提供材料样本",
        ),
        rating(
            "R2",
            Grade::VeryUnsatisfied,
            "2023-10-02 10:00:00",
            "窗口人员上班时间玩手机",
        ),
        rating(
            "R3",
            Grade::VerySatisfied,
            "2023-10-03 11:00:00",
            "工作人员很耐心，点赞",
        ),
        rating("R4", Grade::Unsatisfied, "2023-10-04 11:00:00", ""),
    ])
    .unwrap();
    s.commit().unwrap();
    let mut s = store.begin_import("hotline", "t.csv", "x").unwrap();
    s.tickets(&[
        ticket(
            "T1",
            "2023-10-05 09:00:00",
            "市民反映公积金大厅排队两个多小时",
        ),
        ticket(
            "T2",
            "2023-11-05 09:00:00",
            "市民反映网上申报系统一直提交不了",
        ),
    ])
    .unwrap();
    s.commit().unwrap();
    let mut s = store.begin_import("supervision", "s.csv", "x").unwrap();
    s.supervisors(&[SupervisorRecord {
        code: "JD01".into(),
        name: "王五".into(),
        category: "人大代表".into(),
        unit: None,
        phone: None,
        appointed_on: "2022-03-01".parse().unwrap(),
        term_end: None,
    }])
    .unwrap();
    s.feedback(&[FeedbackRecord {
        feedback_no: "F1".into(),
        supervisor: "JD01".into(),
        received_on: "2023-10-10".parse().unwrap(),
        category: "便民服务".into(),
        method: None,
        content: "海勃湾区政务服务大厅缺少复印打印机".into(),
        department: Some(HR.into()),
        region: None,
    }])
    .unwrap();
    s.qr_reports(&[QrReportRecord {
        report_no: "Q1".into(),
        received_at: ts("2023-10-03 15:00:00"),
        domain: "政务服务".into(),
        region: None,
        window: None,
        department: Some(FUND.into()),
        content: "工作人员服务态度差，还吼人".into(),
        reporter_name: Some("赵六".into()),
        reporter_phone: None,
        closed_at: None,
        handling: None,
    }])
    .unwrap();
    s.commit().unwrap();
}

fn topic_of(store: &mut Store, source: SourceKind, no: &str) -> Option<String> {
    let item = store.ledger_item_for_source(source, no).unwrap().unwrap();
    store
        .ledger_item(
            &Principal::admin("局"),
            &item,
            "2023-12-31".parse().unwrap(),
        )
        .unwrap()
        .item
        .topic
}

fn items_of(store: &mut Store, topic: &str) -> Vec<String> {
    let f = LedgerFilter {
        topic: Some(topic.into()),
        ..LedgerFilter::default()
    };
    let mut v: Vec<String> = store
        .ledger_items(&Principal::admin("局"), &f, "2023-12-31".parse().unwrap())
        .unwrap()
        .into_iter()
        .filter_map(|i| i.source_no)
        .collect();
    v.sort();
    v
}

both_backends! {
    every_registered_item_gets_a_suggested_topic(t) {
        load(&mut t.store);
        for (source, no, want) in [
            (SourceKind::Rating, "R1", "材料要求"),
            (SourceKind::Rating, "R2", "窗口纪律"),
            (SourceKind::Ticket, "T1", "排队等候"),
            (SourceKind::Ticket, "T2", "系统故障"),
            (SourceKind::Feedback, "F1", "环境设施"),
            (SourceKind::QrReport, "Q1", "服务态度"),
        ] {
            assert_eq!(topic_of(&mut t.store, source, no).as_deref(), Some(want), "{no}");
        }
        // R4 has no comment: its title alone says nothing about the problem.
        assert_eq!(topic_of(&mut t.store, SourceKind::Rating, "R4").as_deref(), Some("其他"));
        let unset = t.store.backend()
            .query("SELECT COUNT(*) FROM ledger_items WHERE topic_suggested IS NULL", &[])
            .unwrap()[0][0].as_i64();
        assert_eq!(unset, Some(0), "no item is registered without its suggestion");
        assert_eq!(items_of(&mut t.store, "排队等候"), ["T1"]);
    }

    a_clerks_review_is_kept_beside_the_suggestion_and_counted(t) {
        load(&mut t.store);
        let r1 = t.store.ledger_item_for_source(SourceKind::Rating, "R1").unwrap().unwrap();
        let t1 = t.store.ledger_item_for_source(SourceKind::Ticket, "T1").unwrap().unwrap();
        let hr = t.store.department_by_name(HR).unwrap();
        let clerk = Principal::clerk("钱七", hr);
        let kept = t.store.ledger_set_topic(&r1, "材料要求", &clerk, ts("2023-10-20 09:00:00")).unwrap();
        assert!(kept.agrees);
        // A clerk of another department may not label the ticket; the bureau may.
        let err = t.store.ledger_set_topic(&t1, "办事效率", &clerk, ts("2023-10-20 09:00:00")).unwrap_err();
        assert!(matches!(err, jianping_store::StoreError::Forbidden(_)) && err.to_string().contains("不属于本部门"), "{err}");
        let changed = t.store
            .ledger_set_topic(&t1, "办事效率", &Principal::admin("局经办人"), ts("2023-10-20 10:00:00"))
            .unwrap();
        assert!(!changed.agrees);
        assert_eq!(changed.suggested.as_deref(), Some("排队等候"));
        let err = t.store.ledger_set_topic(&t1, "天气", &Principal::admin("x"), ts("2023-10-20 10:00:00")).unwrap_err();
        assert!(err.to_string().contains("没有名为「天气」的类别") && err.to_string().contains("服务态度"), "{err}");
        // The list shows and filters by the clerk's category; the suggestion stays.
        assert_eq!(items_of(&mut t.store, "办事效率"), ["T1"]);
        assert!(items_of(&mut t.store, "排队等候").is_empty());
        let view = t.store.ledger_item(&Principal::admin("局"), &t1, "2023-12-31".parse().unwrap()).unwrap().item;
        assert_eq!(view.topic_suggested.as_deref(), Some("排队等候"));
        let a = t.store.topic_agreement(None).unwrap();
        assert_eq!((a.suggested, a.reviewed, a.agreed), (7, 2, 1));
        assert_eq!(a.corrections, [("排队等候".to_string(), "办事效率".to_string(), 1)]);
        let reviews = t.store.backend().query("SELECT COUNT(*) FROM topic_reviews", &[]).unwrap()[0][0].as_i64();
        assert_eq!(reviews, Some(2));
        // Only items raised in the period count.
        let oct = t.store.topic_agreement(Some(&period("2023-10-01", "2023-10-31"))).unwrap();
        assert_eq!((oct.suggested, oct.reviewed, oct.agreed), (5, 1, 0));
    }

    the_bureaus_dictionary_applies_to_later_suggestions(t) {
        assert_eq!(t.store.topic_dictionary().unwrap(), Dictionary::builtin());
        let mine = Dictionary::parse(
            "[[category]]\nname = \"公积金\"\nkeywords = [\"公积金\"]\n",
            "我的词典.toml",
        ).unwrap();
        let err = t.store.set_topic_dictionary(&mine, &Principal::clerk("钱七", 1), ts("2023-01-01 00:00:00")).unwrap_err();
        assert!(matches!(err, jianping_store::StoreError::Forbidden(_)), "{err}");
        t.store.set_topic_dictionary(&mine, &Principal::admin("局经办人"), ts("2023-01-01 00:00:00")).unwrap();
        assert_eq!(t.store.topic_dictionary().unwrap().names(), ["公积金", "其他"]);
        assert_eq!(t.store.topic_dictionary_origin().unwrap().saved_by.as_deref(), Some("局经办人"));
        load(&mut t.store);
        assert_eq!(topic_of(&mut t.store, SourceKind::Ticket, "T1").as_deref(), Some("公积金"));
        assert_eq!(topic_of(&mut t.store, SourceKind::QrReport, "Q1").as_deref(), Some("其他"));
    }

    the_texts_of_a_period_with_channel_department_and_month(t) {
        load(&mut t.store);
        let oct = period("2023-10-01", "2023-10-31");
        let texts = t.store.topic_texts(&oct, &TopicSources::default()).unwrap();
        let got: Vec<(SourceKind, &str, &str, Option<&str>)> = texts
            .iter()
            .map(|x| (x.source, x.number.as_str(), x.month(), x.department.as_deref()))
            .collect();
        assert_eq!(got, [
            (SourceKind::Rating, "R2", "2023-10", Some(HR)),
            (SourceKind::Ticket, "T1", "2023-10", Some(FUND)),
            (SourceKind::QrReport, "Q1", "2023-10", Some(FUND)),
            (SourceKind::Feedback, "F1", "2023-10", Some(HR)),
        ]);
        assert_eq!(texts[1].person.as_deref(), Some("李四"));
        assert_eq!(texts[3].person.as_deref(), Some("王五"));
        // Every grade: the praise of R3 too; R4 has no comment.
        let all = TopicSources { rating_grades: Grade::ALL.to_vec(), ..TopicSources::default() };
        let ratings: Vec<String> = t.store.topic_texts(&oct, &all).unwrap().into_iter()
            .filter(|x| x.source == SourceKind::Rating).map(|x| x.number).collect();
        assert_eq!(ratings, ["R2", "R3"]);
        let names = t.store.person_names().unwrap();
        assert!(names.contains(&"王五".to_string()));
    }
}
