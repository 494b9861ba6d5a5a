//! The rectification ledger in the store, identical on SQLite and PostgreSQL.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use jianping_core::access::Principal;
use jianping_core::calendar::parse_csv;
use jianping_core::ledger::{Command, LedgerConfig, SourceKind, State};
use jianping_core::records::*;
use jianping_core::time::parse_datetime;
use jianping_core::*;
use jianping_store::ledger::{LedgerFilter, NewItem};
use jianping_store::queries::RatingGroup;
use jianping_store::{Store, StoreError, Value};

fn ts(s: &str) -> NaiveDateTime {
    parse_datetime(s).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn period(a: &str, b: &str) -> Period {
    Period::new(day(a), day(b)).unwrap()
}

const HR: &str = "海南区人力资源和社会保障局";
const FUND: &str = "住房公积金中心乌达分中心";

fn rating(no: &str, grade: Grade, at: &str, named: bool) -> RatingRecord {
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
        rated_at: ts(at),
        attempt: 1,
        tags: None,
        comment: Some(format!("{no}：未提供材料样本，电话13812345678")),
        rater_name: named.then(|| "张三".to_string()),
        rater_phone: None,
        device: None,
        address: None,
        account: None,
    }
}

fn ticket(no: &str, kind: TicketKind, at: &str) -> TicketRecord {
    TicketRecord {
        ticket_no: no.into(),
        kind,
        source: TicketSource::Phone,
        mode: HandlingMode::Transfer,
        department: Some(FUND.into()),
        content: Some(format!("{no} 反映办事问题")),
        received_at: ts(at),
        due_at: None,
        closed_at: None,
        resolved: None,
        revisited_at: None,
        revisit_result: None,
        citizen_name: Some("李四".into()),
        citizen_phone: Some("13900001111".into()),
    }
}

/// Two bad ratings (one with a name), one good; 投诉 + 咨询 tickets; one item each of
/// supervisor feedback, QR complaint and third-party finding.
fn load_sources(store: &mut Store) {
    let mut s = store.begin_import("ratings", "r.csv", "x").unwrap();
    s.ratings(&[
        rating("R1", Grade::Unsatisfied, "2023-09-28 10:00:00", true),
        rating("R2", Grade::VeryUnsatisfied, "2023-06-01 10:00:00", false),
        rating("R3", Grade::VerySatisfied, "2023-06-01 11:00:00", true),
    ])
    .unwrap();
    let sum = s.commit().unwrap();
    assert_eq!(sum.ledger_items, 2, "the import registers its bad ratings");
    let mut s = store.begin_import("hotline", "t.csv", "x").unwrap();
    s.tickets(&[
        ticket("T1", TicketKind::Complaint, "2023-01-20 09:00:00"),
        ticket("T2", TicketKind::Consult, "2023-01-20 09:00:00"),
    ])
    .unwrap();
    s.commit().unwrap();
    let mut s = store.begin_import("supervision", "s.csv", "x").unwrap();
    s.supervisors(&[SupervisorRecord {
        code: "JD01".into(),
        name: "王五".into(),
        category: "人大代表".into(),
        unit: None,
        phone: Some("13700002222".into()),
        appointed_on: day("2022-03-01"),
        term_end: None,
    }])
    .unwrap();
    s.feedback(&[FeedbackRecord {
        feedback_no: "F1".into(),
        supervisor: "JD01".into(),
        received_on: day("2023-05-10"),
        category: "便民服务".into(),
        method: Some("实地办理".into()),
        content: "海勃湾区政务服务大厅缺少复印打印机".into(),
        department: Some("海勃湾区政务服务中心".into()),
        region: None,
    }])
    .unwrap();
    s.qr_reports(&[QrReportRecord {
        report_no: "Q1".into(),
        received_at: ts("2023-07-03 15:00:00"),
        domain: "政务服务".into(),
        region: None,
        window: None,
        department: Some(FUND.into()),
        content: "工作人员服务态度差，未做到一次性告知".into(),
        reporter_name: Some("赵六".into()),
        reporter_phone: Some("13600003333".into()),
        closed_at: None,
        handling: None,
    }])
    .unwrap();
    s.assessments(&[
        AssessmentRecord {
            finding_no: "A1".into(),
            project: "2023年度第三方政务服务评估".into(),
            assessor: None,
            method: "实地暗访".into(),
            role: Some("申请人".into()),
            assessed_on: day("2023-08-15"),
            department: None,
            region: None,
            indicator: None,
            score: None,
            full_score: None,
            finding: "政策宣传力度不足".into(),
            response: None,
        },
        AssessmentRecord {
            // A per-indicator score without finding text is no problem to rectify.
            finding_no: "A2".into(),
            project: "2023年度第三方政务服务评估".into(),
            assessor: None,
            method: "实地暗访".into(),
            role: Some("申请人".into()),
            assessed_on: day("2023-08-16"),
            department: Some(FUND.into()),
            region: None,
            indicator: Some("服务舒适度".into()),
            score: Some(86.0),
            full_score: Some(100.0),
            finding: String::new(),
            response: None,
        },
    ])
    .unwrap();
    s.commit().unwrap();
}

fn bureau() -> Principal {
    Principal::admin("局经办人")
}

fn clerk(store: &mut Store, name: &str, department: &str) -> Principal {
    Principal::clerk(name, store.department_by_name(department).unwrap())
}

fn item_of(store: &mut Store, source: SourceKind, no: &str) -> String {
    store
        .ledger_item_for_source(source, no)
        .unwrap()
        .expect("item exists")
}

fn count(store: &mut Store, sql: &str) -> i64 {
    store.backend().query(sql, &[]).unwrap()[0][0]
        .as_i64()
        .unwrap()
}

fn all(store: &mut Store) -> Vec<jianping_store::ledger::ItemView> {
    store
        .ledger_items(&bureau(), &LedgerFilter::default(), day("2023-12-31"))
        .unwrap()
}

both_backends! {
    items_from_every_source_idempotently(t) {
        load_sources(&mut t.store);
        let items = all(&mut t.store);
        let mut kinds: Vec<&str> = items.iter().map(|i| i.source.code()).collect();
        kinds.sort();
        // 咨询 T2 and the good rating R3 are not problems.
        assert_eq!(kinds, vec!["assessment", "feedback", "qr_report", "rating", "rating", "ticket"]);
        // Newest problem first.
        assert_eq!(items[0].source_no.as_deref(), Some("R1"));
        let again = t.store.sync_ledger(&LedgerConfig::default(), ts("2024-01-01 08:00:00")).unwrap();
        assert_eq!(again.total(), 0);
        // Re-importing the same ratings creates nothing either.
        let mut s = t.store.begin_import("ratings", "r.csv", "x").unwrap();
        s.ratings(&[rating("R1", Grade::Unsatisfied, "2023-09-28 10:00:00", true)]).unwrap();
        assert_eq!(s.commit().unwrap().ledger_items, 0);
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ledger_items"), 6);
        // Configuration adds 咨询 to the ledger; sync picks up only what is missing.
        let cfg = LedgerConfig {
            ticket_kinds: vec![TicketKind::Complaint, TicketKind::Report, TicketKind::Consult],
            ..LedgerConfig::default()
        };
        let more = t.store.sync_ledger(&cfg, ts("2024-01-01 08:00:00")).unwrap();
        assert_eq!(more.created.get("ticket"), Some(&1));
        let consult = item_of(&mut t.store, SourceKind::Ticket, "T2");
        let d = t.store.ledger_item(&bureau(), &consult, day("2023-01-20")).unwrap();
        // 咨询: 3 working days from Friday 2023-01-20, across the Spring Festival holiday
        // (21–27 off, 28 and 29 make-up working days).
        assert_eq!(d.item.due_on.as_deref(), Some("2023-01-30"));
    }

    deadlines_in_working_days_per_source(t) {
        load_sources(&mut t.store);
        let r1 = item_of(&mut t.store, SourceKind::Rating, "R1");
        let d = t.store.ledger_item(&bureau(), &r1, day("2023-09-28")).unwrap();
        assert_eq!(d.item.callback_due_on.as_deref(), Some("2023-10-07"));
        assert_eq!(d.item.due_on.as_deref(), Some("2023-10-25"));
        assert_eq!(d.item.department.as_deref(), Some(HR));
        assert_eq!(d.item.state, State::Unclaimed);
        // 投诉 13 working days from 2023-01-20: 28, 29, 30, 31, 2/1 … 2/13.
        let t1 = item_of(&mut t.store, SourceKind::Ticket, "T1");
        let d = t.store.ledger_item(&bureau(), &t1, day("2023-01-20")).unwrap();
        assert_eq!(d.item.due_on.as_deref(), Some("2023-02-13"));
        // A phone number cut by a title's excerpt is masked before the cut.
        let mut long = ticket("T9", TicketKind::Report, "2023-03-01 09:00:00");
        long.content = Some(format!("{}请回电13812345678", "很".repeat(33)));
        let mut s = t.store.begin_import("hotline", "t9.csv", "x").unwrap();
        s.tickets(&[long]).unwrap();
        s.commit().unwrap();
        let t9 = item_of(&mut t.store, SourceKind::Ticket, "T9");
        let title = t.store.ledger_item(&bureau(), &t9, day("2023-03-01")).unwrap().item.title;
        assert!(title.contains("138*") && !title.contains("1381234"), "{title}");
        // Personal data is masked in every view.
        let r = t.store.ledger_item(&bureau(), &r1, day("2023-09-28")).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("13812345678") && !json.contains("张三"), "{json}");
        assert!(json.contains("138****5678") && json.contains("张*"), "{json}");
        let f = item_of(&mut t.store, SourceKind::Feedback, "F1");
        assert_eq!(t.store.ledger_item(&bureau(), &f, day("2023-05-10")).unwrap().item.due_on.as_deref(), Some("2023-05-31"));
    }

    a_full_loop_leaves_a_complete_audit_trail(t) {
        load_sources(&mut t.store);
        let q = item_of(&mut t.store, SourceKind::QrReport, "Q1");
        let clerk = clerk(&mut t.store, "公积金经办人", FUND);
        t.store.ledger_claim(&q, &clerk, ts("2023-07-04 09:00:00")).unwrap();
        t.store.ledger_step(&q, &Command::RequestExtension { days: 5, reason: "需调取监控核实".into() }, &clerk, ts("2023-07-05 09:00:00")).unwrap();
        let out = t.store.ledger_step(&q, &Command::DecideExtension { approve: true, note: Some("同意".into()) }, &bureau(), ts("2023-07-05 10:00:00")).unwrap();
        // 15 working days from 2023-07-03 is 07-24; five more is 07-31.
        assert_eq!(out.due_on.as_deref(), Some("2023-07-31"));
        t.store.ledger_rectify(&q, "约谈当事工作人员，落实一次性告知制度", &clerk, ts("2023-07-10 16:00:00")).unwrap();
        t.store.ledger_callback(&q, Response::Unsatisfied, Some("认为仍未解决"), &bureau(), ts("2023-07-11 10:00:00")).unwrap();
        let d = t.store.ledger_item(&bureau(), &q, day("2023-07-11")).unwrap();
        assert_eq!(d.item.state, State::Claimed, "an unsatisfied callback reopens");
        assert_eq!(d.item.due_on.as_deref(), Some("2023-08-01"), "with a fresh period");
        t.store.ledger_rectify(&q, "当面致歉并协助办结", &clerk, ts("2023-07-12 16:00:00")).unwrap();
        t.store.ledger_close(&q, Some("核验属实"), &bureau(), ts("2023-07-13 09:00:00")).unwrap();
        t.store.ledger_callback(&q, Response::Satisfied, Some("已取得谅解"), &bureau(), ts("2023-07-13 15:00:00")).unwrap();
        let d = t.store.ledger_item(&bureau(), &q, day("2023-12-31")).unwrap();
        assert_eq!(d.item.state, State::Closed);
        assert_eq!(d.item.resolution.as_deref(), Some("rectified"));
        assert_eq!(d.item.measures.as_deref(), Some("当面致歉并协助办结"));
        assert_eq!(d.item.feedback.as_deref(), Some("2023-07-13 回访：满意（已取得谅解）"));
        let trail: Vec<(String, Option<String>, String)> =
            d.events.iter().map(|e| (e.action.clone(), e.from.clone(), e.to.clone())).collect();
        let want = [
            ("登记", None, "待认领"),
            ("认领", Some("待认领"), "整改中"),
            ("申请延期", Some("整改中"), "整改中"),
            ("批准延期", Some("整改中"), "整改中"),
            ("提交整改", Some("整改中"), "已整改(待核验)"),
            ("回访", Some("已整改(待核验)"), "整改中"),
            ("提交整改", Some("整改中"), "已整改(待核验)"),
            ("核验销号", Some("已整改(待核验)"), "已办结(销号)"),
            ("回访", Some("已办结(销号)"), "已办结(销号)"),
        ];
        let want: Vec<(String, Option<String>, String)> =
            want.iter().map(|(a, f, t)| (a.to_string(), f.map(str::to_string), t.to_string())).collect();
        assert_eq!(trail, want);
        assert_eq!(d.events[1].actor, "公积金经办人");
        assert_eq!(d.events[1].role.as_deref(), Some("部门经办人"));
        assert_eq!(d.events[7].at, "2023-07-13 09:00:00");
        assert_eq!(d.callbacks.len(), 2);
        assert_eq!(d.extensions[0].state, "approved");
        assert_eq!(d.extensions[0].new_due_on.as_deref(), Some("2023-07-31"));
    }

    refused_steps_change_nothing(t) {
        load_sources(&mut t.store);
        let f = item_of(&mut t.store, SourceKind::Feedback, "F1");
        let events = count(&mut t.store, "SELECT COUNT(*) FROM ledger_events");
        let e = t.store.ledger_close(&f, None, &bureau(), ts("2023-05-11 09:00:00")).unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
        assert!(e.to_string().contains("当前状态为「待认领」，不能「核验销号」"), "{e}");
        assert!(e.to_string().contains(&f), "{e}");
        // A clerk of another department may not touch it…
        let other = clerk(&mut t.store, "某人", FUND);
        let e = t.store.ledger_claim(&f, &other, ts("2023-05-11 09:00:00")).unwrap_err();
        assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        assert!(e.to_string().contains("不属于本部门"), "{e}");
        // A clerk's account must be tied to a department.
        let anonymous = Principal { department_id: None, ..other.clone() };
        let e = t.store.ledger_claim(&f, &anonymous, ts("2023-05-11 09:00:00")).unwrap_err();
        assert!(e.to_string().contains("未关联所在部门"), "{e}");
        // Nor may a leader (read-only) or a supervisor take a step.
        for p in [Principal::leader("领导"), Principal::supervisor("王五", 1), Principal::auditor("审计")] {
            let e = t.store.ledger_claim(&f, &p, ts("2023-05-11 09:00:00")).unwrap_err();
            assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        }
        // …nor may a department close its own items.
        let own = clerk(&mut t.store, "经办人", "海勃湾区政务服务中心");
        t.store.ledger_claim(&f, &own, ts("2023-05-11 09:00:00")).unwrap();
        // Claimed already: a second claim conflicts with the item as it stands.
        let e = t.store.ledger_claim(&f, &bureau(), ts("2023-05-11 10:00:00")).unwrap_err();
        assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
        let e = t.store.ledger_rectify(&f, " ", &own, ts("2023-05-20 09:00:00")).unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
        t.store.ledger_rectify(&f, "购置复印打印机一台", &own, ts("2023-05-20 09:00:00")).unwrap();
        let e = t.store.ledger_close(&f, None, &own, ts("2023-05-21 09:00:00")).unwrap_err();
        assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        assert!(e.to_string().contains("须由政务服务局执行"), "{e}");
        let e = t.store.ledger_claim("ZG1999-00001", &bureau(), ts("2023-05-11 09:00:00")).unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e:?}");
        assert!(e.to_string().contains("没有编号为"), "{e}");
        let e = t.store.ledger_claim(&f, &bureau(), ts("2023-01-01 09:00:00")).unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
        assert!(e.to_string().contains("早于问题发生时间"), "{e}");
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ledger_events"), events + 2);
        let d = t.store.ledger_item(&bureau(), &f, day("2023-05-21")).unwrap();
        assert_eq!(d.item.state, State::Rectified);
    }

    returned_items_are_reassigned(t) {
        load_sources(&mut t.store);
        let a = item_of(&mut t.store, SourceKind::Assessment, "A1");
        // No department yet: the bureau assigns one.
        let e = t.store.ledger_step(&a, &Command::Reassign { department: "乌海市宣传".into(), note: None }, &bureau(), ts("2023-08-16 09:00:00")).unwrap_err();
        assert!(e.to_string().contains("没有名为「乌海市宣传」的部门"), "{e}");
        t.store.ledger_step(&a, &Command::Reassign { department: FUND.into(), note: None }, &bureau(), ts("2023-08-16 09:00:00")).unwrap();
        let clerk = clerk(&mut t.store, "公积金经办人", FUND);
        t.store.ledger_step(&a, &Command::Return { reason: "不属于本单位职责".into() }, &clerk, ts("2023-08-17 09:00:00")).unwrap();
        let e = t.store.ledger_step(&a, &Command::Reassign { department: HR.into(), note: None }, &clerk, ts("2023-08-17 10:00:00")).unwrap_err();
        assert!(e.to_string().contains("须由政务服务局执行"), "{e}");
        let out = t.store.ledger_step(&a, &Command::Reassign { department: HR.into(), note: Some("人社负责政策宣传".into()) }, &bureau(), ts("2023-08-17 11:00:00")).unwrap();
        assert_eq!((out.from, out.to), (State::Returned, State::Unclaimed));
        let d = t.store.ledger_item(&bureau(), &a, day("2023-08-17")).unwrap();
        assert_eq!(d.item.department.as_deref(), Some(HR));
        assert!(d.events.last().unwrap().note.as_deref().unwrap().contains(HR));
        let mine = LedgerFilter { department: Some(HR.into()), ..LedgerFilter::default() };
        assert_eq!(t.store.ledger_items(&bureau(), &mine, day("2023-08-17")).unwrap().len(), 3);
    }

    a_refused_extension_keeps_the_due_day(t) {
        load_sources(&mut t.store);
        let t1 = item_of(&mut t.store, SourceKind::Ticket, "T1");
        let clerk = clerk(&mut t.store, "经办人", FUND);
        t.store.ledger_step(&t1, &Command::RequestExtension { days: 3, reason: "需协调".into() }, &clerk, ts("2023-02-01 09:00:00")).unwrap();
        let e = t.store.ledger_step(&t1, &Command::RequestExtension { days: 3, reason: "再次".into() }, &clerk, ts("2023-02-01 10:00:00")).unwrap_err();
        assert!(e.to_string().contains("已有一项待审批"), "{e}");
        let out = t.store.ledger_step(&t1, &Command::DecideExtension { approve: false, note: Some("理由不充分".into()) }, &bureau(), ts("2023-02-02 09:00:00")).unwrap();
        assert_eq!(out.due_on.as_deref(), Some("2023-02-13"));
        let d = t.store.ledger_item(&bureau(), &t1, day("2023-02-14")).unwrap();
        assert_eq!(d.extensions[0].state, "refused");
        assert_eq!(d.item.deadline, jianping_core::ledger::DeadlineStatus::Overdue);
        let overdue = t.store.ledger_overdue(&bureau(), day("2023-02-14")).unwrap();
        assert!(overdue.iter().any(|i| i.item_no == t1));
        assert!(t.store.ledger_overdue(&bureau(), day("2023-02-13")).unwrap().iter().all(|i| i.item_no != t1));
    }

    an_upheld_appeal_excludes_the_rating_but_keeps_it(t) {
        load_sources(&mut t.store);
        let p = period("2023-01-01", "2023-10-31");
        let before = t.store.rating_counts(&p, RatingGroup::Total).unwrap()[0].counts;
        assert_eq!(before.0, [1, 0, 0, 1, 1]);
        let r2 = item_of(&mut t.store, SourceKind::Rating, "R2");
        let clerk = clerk(&mut t.store, "人社经办人", HR);
        t.store.ledger_step(&r2, &Command::FileAppeal { reason: "评价人误操作，当日已办结".into(), evidence: Some("办结回执".into()) }, &clerk, ts("2023-06-02 09:00:00")).unwrap();
        let e = t.store.ledger_step(&r2, &Command::DecideAppeal { uphold: true, note: None }, &clerk, ts("2023-06-02 10:00:00")).unwrap_err();
        assert!(e.to_string().contains("须由政务服务局执行"), "{e}");
        let out = t.store.ledger_step(&r2, &Command::DecideAppeal { uphold: true, note: Some("经核实属误评".into()) }, &bureau(), ts("2023-06-05 09:00:00")).unwrap();
        assert_eq!(out.to, State::Closed);
        let after = t.store.rating_counts(&p, RatingGroup::Total).unwrap()[0].counts;
        assert_eq!(after.0, [1, 0, 0, 1, 0], "非常不满意 no longer counted");
        let month = t.store.rating_counts(&period("2023-06-01", "2023-06-30"), RatingGroup::Total).unwrap();
        assert_eq!(month[0].counts.0, [1, 0, 0, 0, 0], "monthly rollup too");
        let days = t.store.rating_counts(&period("2023-06-01", "2023-06-01"), RatingGroup::Total).unwrap();
        assert_eq!(days[0].counts.0, [1, 0, 0, 0, 0], "daily rollup too");
        assert_eq!(count(&mut t.store, "SELECT COUNT(*) FROM ratings WHERE rating_no = 'R2'"), 1);
        assert!(t.store.verify_rollups().unwrap().is_empty());
        t.store.rebuild_rollups().unwrap();
        assert_eq!(t.store.rating_counts(&p, RatingGroup::Total).unwrap()[0].counts, after);
        let excluded = t.store.excluded_ratings(&p).unwrap();
        assert_eq!(excluded.len(), 1);
        assert_eq!(excluded[0].rating_no, "R2");
        assert_eq!(excluded[0].reason, "评价人误操作，当日已办结");
        assert_eq!(excluded[0].decision_note.as_deref(), Some("经核实属误评"));
        let d = t.store.ledger_item(&bureau(), &r2, day("2023-06-05")).unwrap();
        assert_eq!(d.item.state_label(), "已办结（申诉成立）");
        assert_eq!(d.appeals[0].state, "upheld");
        let e = t.store.ledger_step(&r2, &Command::Reopen { reason: "x".into() }, &bureau(), ts("2023-06-06 09:00:00")).unwrap_err();
        assert!(e.to_string().contains("申诉成立"), "{e}");
        // Importing the rating again does not count it again.
        let mut s = t.store.begin_import("ratings", "r.csv", "x").unwrap();
        s.ratings(&[rating("R2", Grade::VeryUnsatisfied, "2023-06-01 10:00:00", false)]).unwrap();
        s.commit().unwrap();
        assert!(t.store.verify_rollups().unwrap().is_empty());
    }

    a_rejected_appeal_changes_no_statistics(t) {
        load_sources(&mut t.store);
        let r1 = item_of(&mut t.store, SourceKind::Rating, "R1");
        let clerk = clerk(&mut t.store, "人社经办人", HR);
        t.store.ledger_step(&r1, &Command::FileAppeal { reason: "恶意差评".into(), evidence: None }, &clerk, ts("2023-09-28 15:00:00")).unwrap();
        t.store.ledger_step(&r1, &Command::DecideAppeal { uphold: false, note: Some("证据不足".into()) }, &bureau(), ts("2023-09-28 16:00:00")).unwrap();
        let p = period("2023-01-01", "2023-10-31");
        assert_eq!(t.store.rating_counts(&p, RatingGroup::Total).unwrap()[0].counts.0, [1, 0, 0, 1, 1]);
        assert!(t.store.excluded_ratings(&p).unwrap().is_empty());
        assert_eq!(t.store.ledger_item(&bureau(), &r1, day("2023-09-28")).unwrap().item.state, State::Unclaimed);
    }

    callback_and_rectification_rates_count_from_data(t) {
        load_sources(&mut t.store);
        let p = period("2023-01-01", "2023-10-31");
        let bad = [Grade::Unsatisfied, Grade::VeryUnsatisfied];
        // Only R1 carries a name.
        let c = t.store.bad_rating_callback_counts(&p, &bad).unwrap();
        assert_eq!((c.numerator, c.denominator), (0, 1));
        let r1 = item_of(&mut t.store, SourceKind::Rating, "R1");
        t.store.ledger_callback(&r1, Response::Unreached, None, &bureau(), ts("2023-09-28 15:00:00")).unwrap();
        assert_eq!(t.store.bad_rating_callback_counts(&p, &bad).unwrap().numerator, 0, "未联系上 is no callback");
        t.store.ledger_callback(&r1, Response::Basic, None, &bureau(), ts("2023-09-29 09:00:00")).unwrap();
        let c = t.store.bad_rating_callback_counts(&p, &bad).unwrap();
        assert_eq!((c.numerator, c.denominator), (1, 1));
        assert_eq!(c.rate(&RatePolicy::default()).printed, "100%");
        let r = t.store.bad_rating_rectification_counts(&p, &bad).unwrap();
        assert_eq!((r.numerator, r.denominator), (0, 2));
        let clerk = clerk(&mut t.store, "人社经办人", HR);
        t.store.ledger_claim(&r1, &clerk, ts("2023-10-07 09:00:00")).unwrap();
        t.store.ledger_rectify(&r1, "窗口摆放材料样本", &clerk, ts("2023-10-08 09:00:00")).unwrap();
        assert_eq!(t.store.bad_rating_rectification_counts(&p, &bad).unwrap().numerator, 0, "not until closed");
        t.store.ledger_close(&r1, None, &bureau(), ts("2023-10-09 09:00:00")).unwrap();
        let r = t.store.bad_rating_rectification_counts(&p, &bad).unwrap();
        assert_eq!((r.numerator, r.denominator), (1, 2));
        assert_eq!(r.rate(&RatePolicy::default()).printed, "50.00%");
        let s = t.store.ledger_source_summary(SourceKind::Rating, &p).unwrap();
        assert_eq!((s.total, s.closed, s.open), (2, 1, 1));
        assert!(!s.all_closed());
        assert_eq!(s.holders, vec![(HR.to_string(), 1)]);
        let depts = t.store.ledger_department_counts(&bureau(), &LedgerFilter::default(), day("2023-10-09")).unwrap();
        let hr = depts.iter().find(|d| d.department == HR).unwrap();
        assert_eq!((hr.total, hr.closed, hr.unclaimed, hr.overdue), (2, 1, 1, 1));
        let none = depts.iter().find(|d| d.department == "（未指定责任单位）").unwrap();
        assert_eq!(none.total, 1);
    }

    supervisors_see_their_items(t) {
        load_sources(&mut t.store);
        let f = item_of(&mut t.store, SourceKind::Feedback, "F1");
        let mine = LedgerFilter { supervisor: Some("JD01".into()), ..LedgerFilter::default() };
        let items = t.store.ledger_items(&bureau(), &mine, day("2023-06-01")).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].item_no, f);
        let by_name = LedgerFilter { supervisor: Some("王五".into()), ..LedgerFilter::default() };
        assert_eq!(t.store.ledger_items(&bureau(), &by_name, day("2023-06-01")).unwrap().len(), 1);
        let d = t.store.ledger_item(&bureau(), &f, day("2023-06-01")).unwrap();
        let sup = d.source_fields.iter().find(|(k, _)| k == "监督员").unwrap();
        assert_eq!(sup.1, "王*");
    }

    the_ledger_as_it_stood_on_a_day(t) {
        load_sources(&mut t.store);
        let t1 = item_of(&mut t.store, SourceKind::Ticket, "T1");
        let clerk = clerk(&mut t.store, "经办人", FUND);
        // 投诉 raised 2023-01-20, due 02-13; five more working days approved on 02-15.
        t.store.ledger_step(&t1, &Command::RequestExtension { days: 5, reason: "需协调".into() }, &clerk, ts("2023-02-10 09:00:00")).unwrap();
        t.store.ledger_step(&t1, &Command::DecideExtension { approve: true, note: None }, &bureau(), ts("2023-02-15 09:00:00")).unwrap();
        t.store.ledger_claim(&t1, &clerk, ts("2023-02-16 09:00:00")).unwrap();
        let only_t1 = LedgerFilter { source: Some(SourceKind::Ticket), ..LedgerFilter::default() };
        let now = t.store.ledger_items(&bureau(), &only_t1, day("2023-02-14")).unwrap();
        assert_eq!(now[0].due_on.as_deref(), Some("2023-02-20"));
        assert_eq!(now[0].state, State::Claimed);
        // On 02-14 the item was unclaimed, and past its due day: the extension came later.
        let then = t.store.ledger_items_as_of(&only_t1, day("2023-02-14")).unwrap();
        assert_eq!(then[0].state, State::Unclaimed);
        assert_eq!(then[0].due_on.as_deref(), Some("2023-02-13"));
        assert_eq!(then[0].deadline, jianping_core::ledger::DeadlineStatus::Overdue);
        let overdue = LedgerFilter { overdue: true, ..LedgerFilter::default() };
        let late: Vec<String> = t.store.ledger_items_as_of(&overdue, day("2023-02-14")).unwrap().into_iter().map(|i| i.item_no).collect();
        assert_eq!(late, vec![t1.clone()]);
        assert!(t.store.ledger_items(&bureau(), &overdue, day("2023-02-14")).unwrap().is_empty(), "not judged on today's state");
        // Before the problem arose the item was not on the ledger.
        assert!(t.store.ledger_items_as_of(&only_t1, day("2023-01-19")).unwrap().is_empty());
        // Movement over February: T1 open at the start and the end; the feedback F1 (May)
        // and others are not there yet.
        let feb = t.store.ledger_movement(&period("2023-02-01", "2023-02-28")).unwrap();
        assert_eq!(feb.len(), 1);
        assert_eq!((feb[0].source, feb[0].open_at_start, feb[0].new, feb[0].open_at_end), (SourceKind::Ticket, 1, 0, 1));
        assert!(feb[0].balances());
    }

    manual_items_and_calendar_overrides(t) {
        // A local adjustment: 2023-10-07 (a make-up Saturday) declared a rest day.
        let days = parse_csv("date,kind,name\n2023-10-07,休,地方调整\n").unwrap();
        assert_eq!(t.store.import_calendar(&days, ts("2023-09-01 09:00:00")).unwrap(), 1);
        let cal = t.store.calendar().unwrap();
        assert_eq!(cal.add_workdays(day("2023-09-28"), 1), day("2023-10-08"));
        let no = t.store.ledger_add(&NewItem {
            title: "领导交办：大厅排队时间长".into(),
            description: None,
            department: None,
            raised_at: ts("2023-09-28 09:00:00"),
            limit_days: Some(1),
        }, &bureau(), ts("2023-09-28 10:00:00")).unwrap();
        assert_eq!(no, "ZG2023-00001");
        let d = t.store.ledger_item(&bureau(), &no, day("2023-09-28")).unwrap();
        assert_eq!(d.item.due_on.as_deref(), Some("2023-10-08"));
        assert_eq!(d.item.source, SourceKind::Manual);
        let e = t.store.ledger_add(&NewItem {
            title: "x".into(), description: None, department: None,
            raised_at: ts("2023-09-28 09:00:00"), limit_days: None,
        }, &Principal::clerk("a", 1), ts("2023-09-28 10:00:00")).unwrap_err();
        assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        assert!(e.to_string().contains("政务服务局"), "{e}");
        let mut cfg = t.store.ledger_config().unwrap();
        assert_eq!(cfg, LedgerConfig::default());
        cfg.qr_days = 10;
        t.store.set_ledger_config(&cfg).unwrap();
        assert_eq!(t.store.ledger_config().unwrap().qr_days, 10);
        let n = t.store.backend().query("SELECT COUNT(*) FROM calendar_days", &[]).unwrap();
        assert_eq!(n[0][0], Value::Int(1));
    }
}

/// The sync's cost (run with `--ignored --nocapture`; prints timings): the same ratings
/// imported with and without the sync in the commit, and a sync with nothing to do.
#[test]
#[ignore]
fn sync_cost_at_scale() {
    let n: usize = std::env::var("LEDGER_SCALE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let records: Vec<RatingRecord> = (0..n)
        .map(|i| {
            let grade = if i % 333 == 0 {
                Grade::Unsatisfied
            } else {
                Grade::VerySatisfied
            };
            let mut r = rating(
                &format!("S{i:08}"),
                grade,
                "2023-03-01 09:00:00",
                i % 2 == 0,
            );
            r.rated_at = ts("2023-01-02 08:00:00") + chrono::Duration::seconds(i as i64 * 97);
            r
        })
        .collect();
    let bad = records.iter().filter(|r| r.grade.is_bad()).count() as u64;
    let mut timings = Vec::new();
    for sync in [false, true] {
        let mut t = common::sqlite();
        let start = std::time::Instant::now();
        let mut s = t.store.begin_import("ratings", "a.csv", "x").unwrap();
        if !sync {
            s.skip_ledger_sync();
        }
        s.ratings(&records).unwrap();
        let sum = s.commit().unwrap();
        timings.push(start.elapsed());
        assert_eq!(sum.ledger_items, if sync { bad } else { 0 });
        let start = std::time::Instant::now();
        let more = t
            .store
            .sync_ledger(&LedgerConfig::default(), ts("2024-01-01 00:00:00"))
            .unwrap();
        timings.push(start.elapsed());
        assert_eq!(more.total(), if sync { 0 } else { bad });
    }
    println!(
        "{n} ratings, {bad} bad: import without sync {:?}, then sync creating {bad} items {:?}; \
         import with sync {:?}, then idle sync {:?}",
        timings[0], timings[1], timings[2], timings[3]
    );
}

/// The cost of the bulletin's history queries on a large ledger (run with `--ignored
/// --nocapture`; prints timings): N bad ratings registered, half of them claimed and closed
/// (events written in bulk), then the month's movement and the ledger as of a day.
#[test]
#[ignore]
fn history_cost_at_scale() {
    let n: usize = std::env::var("LEDGER_SCALE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let records: Vec<RatingRecord> = (0..n)
        .map(|i| {
            let mut r = rating(
                &format!("S{i:08}"),
                Grade::Unsatisfied,
                "2023-03-01 09:00:00",
                i % 2 == 0,
            );
            r.rated_at = ts("2023-01-02 08:00:00") + chrono::Duration::seconds(i as i64 * 571);
            r
        })
        .collect();
    let mut t = common::sqlite();
    let mut s = t.store.begin_import("ratings", "a.csv", "x").unwrap();
    s.ratings(&records).unwrap();
    assert_eq!(s.commit().unwrap().ledger_items, n as u64);
    // Half the items claimed a day after they arose and closed ten days later.
    for (action, from, to, days) in [
        ("claim", "unclaimed", "claimed", 1),
        ("close", "claimed", "closed", 10),
    ] {
        let sql = format!(
            "INSERT INTO ledger_events (item_id, at, actor, action, from_state, to_state)
             SELECT id, datetime(raised_at, '+{days} days'), 'x', '{action}', '{from}', '{to}'
             FROM ledger_items WHERE id % 2 = 0"
        );
        t.store.backend().execute(&sql, &[]).unwrap();
    }
    t.store
        .backend()
        .execute(
            "UPDATE ledger_items SET state = 'closed' WHERE id % 2 = 0",
            &[],
        )
        .unwrap();
    let start = std::time::Instant::now();
    let moved = t
        .store
        .ledger_movement(&period("2023-06-01", "2023-06-30"))
        .unwrap();
    let movement = start.elapsed();
    assert!(moved.iter().all(|m| m.balances()));
    let start = std::time::Instant::now();
    let items = t
        .store
        .ledger_items_as_of(&LedgerFilter::default(), day("2023-06-30"))
        .unwrap();
    let as_of = start.elapsed();
    let start = std::time::Instant::now();
    let f = t
        .store
        .bad_rating_followup(
            &period("2023-06-01", "2023-06-30"),
            &[Grade::Unsatisfied],
            Some(day("2023-06-30")),
        )
        .unwrap();
    let followup = start.elapsed();
    println!(
        "{n} items: movement {movement:?}, {} items as of a day {as_of:?}, a month's follow-up ({} bad) {followup:?}",
        items.len(),
        f.iter().map(|r| r.bad).sum::<u64>()
    );
}
