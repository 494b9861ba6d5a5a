//! 热点问题 from a hand-built October 2023 (with September 2023 and October 2022 to compare
//! with), on both backends: the counts, shares and changes, the masked examples, and the
//! paragraphs of the annual report and the monthly bulletin.

#[path = "../../store/tests/common.rs"]
mod common;

use jianping_core::records::*;
use jianping_core::time::parse_datetime;
use jianping_core::*;
use jianping_report::bulletin::render::bulletin_markdown;
use jianping_report::render::annual_markdown;
use jianping_report::topics::{Comparison, TopicBy, TopicSettings, build_topics, topic_stats};
use jianping_report::{AnnualSettings, BulletinSettings, build_annual, build_bulletin};
use jianping_store::Store;

const DEPT: &str = "乌海市人力资源和社会保障局";

fn ticket(no: &str, at: &str, content: &str) -> TicketRecord {
    TicketRecord {
        ticket_no: no.into(),
        kind: TicketKind::Complaint,
        source: TicketSource::Phone,
        mode: HandlingMode::Transfer,
        department: Some(DEPT.into()),
        content: Some(content.into()),
        received_at: parse_datetime(at).unwrap(),
        due_at: None,
        closed_at: None,
        resolved: None,
        revisited_at: None,
        revisit_result: None,
        citizen_name: Some("赵大山".into()),
        citizen_phone: None,
    }
}

fn load(store: &mut Store) {
    let mut s = store.begin_import("ratings", "r.csv", "x").unwrap();
    s.regions(&[RegionRecord {
        code: RegionCode::parse("150300").unwrap(),
        name: "乌海市".into(),
    }])
    .unwrap();
    s.ratings(&[RatingRecord {
        rating_no: "R1".into(),
        case_no: None,
        matter_code: None,
        matter_name: None,
        department: DEPT.into(),
        window: None,
        staff: None,
        region: RegionCode::parse("150300").unwrap(),
        channel: Channel::HallPad,
        grade: Grade::Unsatisfied,
        rated_at: parse_datetime("2023-10-09 10:00:00").unwrap(),
        attempt: 1,
        tags: None,
        comment: Some("排队等了一上午".into()),
        rater_name: None,
        rater_phone: None,
        device: None,
        address: None,
        account: None,
    }])
    .unwrap();
    s.commit().unwrap();
    let mut s = store.begin_import("hotline", "t.csv", "x").unwrap();
    s.tickets(&[
        ticket(
            "T1",
            "2023-10-10 09:00:00",
            "市民反映社保大厅排队两个多小时",
        ),
        ticket(
            "T2",
            "2023-10-11 09:00:00",
            "来电人称医保窗口排长队，取号难",
        ),
        ticket(
            "T3",
            "2023-10-12 09:00:00",
            "市民来电表扬窗口工作人员热情周到",
        ),
        ticket("T4", "2023-10-13 09:00:00", "来电反映小区路灯不亮"),
        ticket("T5", "2023-09-10 09:00:00", "大厅排队太久"),
        ticket("T6", "2023-09-11 09:00:00", "工作人员态度很差"),
        ticket("T7", "2023-09-12 09:00:00", "态度不好，不耐烦"),
        ticket("T8", "2022-10-10 09:00:00", "排队人太多"),
    ])
    .unwrap();
    s.commit().unwrap();
    let mut s = store.begin_import("supervision", "s.csv", "x").unwrap();
    s.supervisors(&[SupervisorRecord {
        code: "JD01".into(),
        name: "孙红梅".into(),
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
        received_on: "2023-10-15".parse().unwrap(),
        category: "事项办理体验".into(),
        method: None,
        content: "窗口人员服务态度较差".into(),
        department: Some(DEPT.into()),
        region: None,
    }])
    .unwrap();
    s.qr_reports(&[QrReportRecord {
        report_no: "Q1".into(),
        received_at: parse_datetime("2023-10-16 15:00:00").unwrap(),
        domain: "政务服务".into(),
        region: None,
        window: None,
        department: Some(DEPT.into()),
        content:
            "窗口人员态度恶劣，我叫王建国，电话0473-8123456，手机13812345678，工作人员李明明还吼人"
                .into(),
        reporter_name: Some("王建国".into()),
        reporter_phone: Some("13812345678".into()),
        closed_at: None,
        handling: None,
    }])
    .unwrap();
    s.commit().unwrap();
}

fn october() -> Period {
    Period::month(2023, 10).unwrap()
}

fn row<'a>(
    t: &'a jianping_report::topics::TopicSection,
    name: &str,
) -> &'a jianping_report::topics::TopicRow {
    t.categories.iter().find(|c| c.name == name).unwrap()
}

both_backends! {
    counts_shares_changes_and_masked_examples(t) {
        load(&mut t.store);
        let settings = TopicSettings { comparison: Comparison::PreviousPeriod, ..TopicSettings::default() };
        let s = build_topics(&mut t.store, &october(), &settings, &RatePolicy::default()).unwrap();
        // R1, T1–T4, F1, Q1 in October; T5–T7 in September.
        assert_eq!((s.total, s.previous_total, s.previous_label.as_str()), (7, 3, "上月"));
        let queue = row(&s, "排队等候");
        assert_eq!((queue.count, queue.previous, queue.share.printed.as_str()), (3, 1, "42.86%"));
        assert_eq!((queue.direction.as_str(), queue.change), ("up", 2));
        let manner = row(&s, "服务态度");
        assert_eq!((manner.count, manner.previous, manner.direction.as_str()), (2, 2, "same"));
        assert_eq!((row(&s, "表扬").count, row(&s, "其他").count), (1, 1));
        let top: Vec<&str> = s.top.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(top, ["排队等候", "服务态度"], "praise is never a 热点问题");
        let example = manner.example.as_ref().unwrap();
        assert_eq!((example.channel.as_str(), example.number.as_str()), ("“码”上监督", "Q1"));
        for leak in ["王建国", "李明明", "8123456", "13812345678"] {
            assert!(!example.text.contains(leak), "{leak} in {}", example.text);
        }
        assert!(example.text.starts_with("窗口人员态度恶劣，我叫王**"), "{}", example.text);
        // 上年同期 for the annual report: T8 only.
        let year = build_topics(&mut t.store, &october(), &TopicSettings::default(), &RatePolicy::default()).unwrap();
        assert_eq!((year.previous_total, row(&year, "排队等候").previous), (1, 1));
        assert_eq!(row(&year, "服务态度").direction, "new");
    }

    the_annual_and_bulletin_paragraphs(t) {
        load(&mut t.store);
        let r = build_annual(&mut t.store, &october(), &AnnualSettings::default()).unwrap();
        let md = annual_markdown(&r).unwrap();
        let start = md.find("## 八、群众反映热点问题").unwrap();
        let para = md[start..].lines().nth(2).unwrap();
        assert!(para.starts_with(
            "对10月1日—10月31日的“好差评”评价留言、12345工单、“码”上监督反映、监督员意见建议共7条文字内容逐条归类分析，\
             群众反映的热点问题主要集中在“排队等候”、“服务态度”等方面：\
             排队等候方面3条，占42.86%，较上年同期增加2条，如“来电人称医保窗口排长队，取号难”；\
             服务态度方面2条，占28.57%，上年同期无此类反映，如“窗口人员态度恶劣，我叫王\\*\\*"
        ), "{para}");
        assert!(para.ends_with("另有1条未能归入类别词典中的类别。"), "{para}");
        let b = build_bulletin(&mut t.store, &october(), &BulletinSettings::default()).unwrap();
        let md = bulletin_markdown(&b).unwrap();
        let para = md.lines().find(|l| l.starts_with("从群众反映内容看")).expect("the bulletin's paragraph");
        assert!(para.starts_with(
            "从群众反映内容看，本月“好差评”评价留言、12345工单、“码”上监督反映、监督员意见建议共7条，反映较多的问题集中在\
             “排队等候”（3条，占42.86%，较上月增加2条，如“来电人称医保窗口排长队，取号难”）、\
             “服务态度”（2条，占28.57%，与上月持平，如“窗口人员态度恶劣"
        ), "{para}");
        assert!(para.ends_with("等方面。"), "{para}");
        for leak in ["王建国", "李明明", "8123456", "13812345678"] {
            assert!(!md.contains(leak), "{leak} leaks into the bulletin");
        }
    }

    stats_by_channel_with_the_agreement_rate(t) {
        load(&mut t.store);
        let s = topic_stats(&mut t.store, &october(), TopicBy::Channel, &TopicSettings::default(), &RatePolicy::default()).unwrap();
        let keys: Vec<(&str, u64)> = s.groups.iter().map(|g| (g.key.as_str(), g.texts)).collect();
        assert_eq!(keys, [("好差评", 1), ("12345热线", 4), ("“码”上监督", 1), ("监督员意见", 1)]);
        let queue = s.categories.iter().position(|c| c == "排队等候").unwrap();
        assert_eq!(s.groups[1].counts[queue], 2);
        assert_eq!(s.total.counts[queue], 3);
        // Items registered in October: R1, T1–T4 (投诉), F1, Q1; none reviewed yet.
        assert_eq!((s.agreement.suggested, s.agreement.reviewed, s.agreement.rate.printed.as_str()), (7, 0, "—"));
        let table = s.table();
        assert_eq!(table.rows.last().unwrap()[0], "合计");
        assert!(s.notes()[0].starts_with("建议类别与人工标注一致率：—"), "{:?}", s.notes());
        let by_month = topic_stats(&mut t.store, &Period::new("2023-09-01".parse().unwrap(), "2023-10-31".parse().unwrap()).unwrap(), TopicBy::Month, &TopicSettings::default(), &RatePolicy::default()).unwrap();
        let months: Vec<(&str, u64)> = by_month.groups.iter().map(|g| (g.key.as_str(), g.texts)).collect();
        assert_eq!(months, [("2023-09", 3), ("2023-10", 7)]);
    }
}
