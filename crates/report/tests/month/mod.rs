//! October 2023 in a small hand-made city, for the monthly bulletin: ratings of six
//! departments, bad ratings at every stage of the rectification loop (one excluded by an
//! upheld appeal), and one open item from each other channel. Every step goes through the
//! store's ledger workflow, so the events the bulletin reads are real.
//!
//! Working days around the period (国办发明电〔2022〕16号): 9-29 … 10-06 off, 10-07 and 10-08
//! (a Saturday and a Sunday) worked.

#![allow(dead_code)]

use jianping_core::access::Principal;
use jianping_core::ledger::{Command, SourceKind};
use jianping_core::records::*;
use jianping_core::time::{parse_date, parse_datetime};
use jianping_core::*;
use jianping_store::Store;

pub const HR: &str = "海南区人力资源和社会保障局"; // A: 40 ratings, two 不满意
pub const POLICE: &str = "乌海市公安局"; // B: 50 counted, one 非常不满意 excluded by appeal
pub const MARKET_WD: &str = "乌达区市场监督管理局"; // C: 35, all 非常满意
pub const CIVIL: &str = "海勃湾区民政局"; // D: 5 (数据不足)
pub const MARKET: &str = "乌海市市场监督管理局"; // E: 36, all 非常满意
pub const POLICE_WD: &str = "乌达区公安分局"; // F: 50, one 不满意 rectified

pub const APPEAL_REASON: &str = "评价人误操作，实际已当场办结";

pub fn period() -> Period {
    Period::month(2023, 10).unwrap()
}

pub fn day(s: &str) -> chrono::NaiveDate {
    parse_date(s).unwrap()
}

fn at(s: &str) -> chrono::NaiveDateTime {
    parse_datetime(s).unwrap()
}

fn code(c: &str) -> RegionCode {
    RegionCode::parse(c).unwrap()
}

struct Rater(Option<&'static str>);
const NAMED: Rater = Rater(Some("张三"));
const ANONYMOUS: Rater = Rater(None);

fn rating(
    no: &str,
    department: &str,
    region: &str,
    grade: Grade,
    when: &str,
    rater: &Rater,
    (matter, comment): (Option<&str>, Option<&str>),
) -> RatingRecord {
    RatingRecord {
        rating_no: no.into(),
        case_no: None,
        matter_code: matter.map(|m| format!("M-{m}")),
        matter_name: matter.map(Into::into),
        department: department.into(),
        window: None,
        staff: None,
        region: code(region),
        channel: Channel::HallPad,
        grade,
        rated_at: at(when),
        attempt: 1,
        tags: None,
        comment: comment.map(Into::into),
        rater_name: rater.0.map(Into::into),
        rater_phone: rater.0.map(|_| "13812345678".to_string()),
        device: None,
        address: None,
        account: None,
    }
}

/// `n` 非常满意 ratings (numbered from `first`) spread over the month.
fn good(first: usize, n: usize, department: &str, region: &str) -> Vec<RatingRecord> {
    (0..n)
        .map(|i| {
            let when = format!("2023-10-{:02} 09:00:00", 1 + (first + i) % 31);
            rating(
                &format!("G{:04}", first + i),
                department,
                region,
                Grade::VerySatisfied,
                &when,
                &ANONYMOUS,
                (None, None),
            )
        })
        .collect()
}

fn ratings() -> Vec<RatingRecord> {
    let mut rs = Vec::new();
    rs.extend(good(0, 37, HR, "150303"));
    rs.push(rating(
        "S1",
        HR,
        "150303",
        Grade::Satisfied,
        "2023-10-03 11:00:00",
        &ANONYMOUS,
        (None, None),
    ));
    rs.push(rating(
        "BAD-A1",
        HR,
        "150303",
        Grade::Unsatisfied,
        "2023-10-10 10:00:00",
        &NAMED,
        (
            Some("社会保障卡申领"),
            Some("未提供材料样本，请回电13812345678。"),
        ),
    ));
    rs.push(rating(
        "BAD-A2",
        HR,
        "150303",
        Grade::Unsatisfied,
        "2023-10-30 10:00:00",
        &ANONYMOUS,
        (None, None),
    ));
    rs.extend(good(100, 49, POLICE, "150300"));
    rs.push(rating(
        "BAD-B1",
        POLICE,
        "150300",
        Grade::VeryUnsatisfied,
        "2023-10-12 10:00:00",
        &NAMED,
        (None, Some("窗口人员服务态度差")),
    ));
    rs.push(rating(
        "BAD-B2",
        POLICE,
        "150300",
        Grade::Unsatisfied,
        "2023-10-20 10:00:00",
        &NAMED,
        (Some("居民身份证换领"), Some("排队时间过长")),
    ));
    rs.extend(good(200, 35, MARKET_WD, "150304"));
    rs.extend(good(300, 5, CIVIL, "150302"));
    rs.extend(good(400, 36, MARKET, "150300"));
    rs.extend(good(500, 49, POLICE_WD, "150304"));
    rs.push(rating(
        "BAD-F1",
        POLICE_WD,
        "150304",
        Grade::Unsatisfied,
        "2023-10-05 16:00:00",
        &ANONYMOUS,
        (None, Some("材料一次性告知不到位")),
    ));
    // September: rectified and closed then, reopened in October by the rater's callback.
    rs.push(rating(
        "BAD-A0",
        HR,
        "150303",
        Grade::Unsatisfied,
        "2023-09-20 10:00:00",
        &ANONYMOUS,
        (None, Some("办理进度无人告知")),
    ));
    // Outside the city: left out of the bulletin and named in its appendix.
    rs.push(rating(
        "OUT1",
        "包头市某局",
        "150202",
        Grade::VerySatisfied,
        "2023-10-09 10:00:00",
        &ANONYMOUS,
        (None, None),
    ));
    rs
}

fn others(store: &mut Store) {
    let mut s = store.begin_import("supervision", "s.csv", "x").unwrap();
    s.supervisors(&[SupervisorRecord {
        code: "JD01".into(),
        name: "王五".into(),
        category: "人大代表".into(),
        unit: None,
        phone: None,
        appointed_on: day("2022-03-01"),
        term_end: None,
    }])
    .unwrap();
    s.feedback(&[FeedbackRecord {
        feedback_no: "FB1".into(),
        supervisor: "JD01".into(),
        received_on: day("2023-08-01"),
        category: "服务指引".into(),
        method: Some("实地办理".into()),
        content: "窗口缺少一次性告知清单".into(),
        department: Some(MARKET_WD.into()),
        region: None,
    }])
    .unwrap();
    s.qr_reports(&[QrReportRecord {
        report_no: "Q1".into(),
        received_at: at("2023-10-25 15:00:00"),
        domain: "政务服务".into(),
        region: None,
        window: None,
        department: Some(CIVIL.into()),
        content: "工作人员服务态度差".into(),
        reporter_name: Some("赵六".into()),
        reporter_phone: Some("13600003333".into()),
        closed_at: None,
        handling: None,
    }])
    .unwrap();
    s.commit().unwrap();
    let mut s = store.begin_import("hotline", "t.csv", "x").unwrap();
    s.tickets(&[TicketRecord {
        ticket_no: "T1".into(),
        kind: TicketKind::Complaint,
        source: TicketSource::Phone,
        mode: HandlingMode::Transfer,
        department: Some(MARKET.into()),
        content: Some("投诉窗口推诿，请回电13900001111".into()),
        received_at: at("2023-10-13 09:00:00"),
        due_at: None,
        closed_at: None,
        resolved: None,
        revisited_at: None,
        revisit_result: None,
        citizen_name: Some("李四".into()),
        citizen_phone: Some("13900001111".into()),
    }])
    .unwrap();
    s.commit().unwrap();
}

/// Imports the month (the imports register every problem on the ledger).
pub fn load(store: &mut Store) {
    let mut s = store.begin_import("ratings", "r.csv", "x").unwrap();
    s.regions(&[
        RegionRecord {
            code: code("150300"),
            name: "乌海市".into(),
        },
        RegionRecord {
            code: code("150302"),
            name: "海勃湾区".into(),
        },
        RegionRecord {
            code: code("150303"),
            name: "海南区".into(),
        },
        RegionRecord {
            code: code("150304"),
            name: "乌达区".into(),
        },
        RegionRecord {
            code: code("150202"),
            name: "包头市东河区".into(),
        },
    ])
    .unwrap();
    s.ratings(&ratings()).unwrap();
    s.commit().unwrap();
    others(store);
}

pub fn item(store: &mut Store, source: SourceKind, no: &str) -> String {
    store
        .ledger_item_for_source(source, no)
        .unwrap()
        .expect("registered")
}

pub fn clerk(store: &mut Store, department: &str) -> Principal {
    Principal::clerk("经办人", store.department_by_name(department).unwrap())
}

pub fn bureau() -> Principal {
    Principal::admin("督查科")
}

/// Every step up to the end of October, and one after it (Q1 reopened on 11-02). The
/// appeal against BAD-B1 is filed; `uphold` decides it on 10-16.
pub fn walk(store: &mut Store, uphold: bool) {
    let b = bureau();
    let hr = clerk(store, HR);
    let police = clerk(store, POLICE);
    let police_wd = clerk(store, POLICE_WD);
    let civil = clerk(store, CIVIL);
    let rating = |store: &mut Store, no: &str| item(store, SourceKind::Rating, no);
    // A0: closed in September, reopened by an unsatisfied callback, rectified again.
    let a0 = rating(store, "BAD-A0");
    store
        .ledger_claim(&a0, &hr, at("2023-09-21 09:00:00"))
        .unwrap();
    store
        .ledger_rectify(&a0, "专人告知办理进度", &hr, at("2023-09-25 16:00:00"))
        .unwrap();
    store
        .ledger_close(&a0, None, &b, at("2023-09-27 10:00:00"))
        .unwrap();
    store
        .ledger_callback(
            &a0,
            Response::Unsatisfied,
            Some("仍未告知"),
            &b,
            at("2023-10-09 10:00:00"),
        )
        .unwrap();
    store
        .ledger_rectify(&a0, "建立进度短信提醒", &hr, at("2023-10-12 16:00:00"))
        .unwrap();
    // F1: the whole loop inside the month.
    let f1 = rating(store, "BAD-F1");
    store
        .ledger_claim(&f1, &police_wd, at("2023-10-07 09:00:00"))
        .unwrap();
    store
        .ledger_rectify(
            &f1,
            "制作一次性告知单",
            &police_wd,
            at("2023-10-09 16:00:00"),
        )
        .unwrap();
    store
        .ledger_close(&f1, None, &b, at("2023-10-10 10:00:00"))
        .unwrap();
    // A1: called back (reached), rectified and closed.
    let a1 = rating(store, "BAD-A1");
    store
        .ledger_claim(&a1, &hr, at("2023-10-11 09:00:00"))
        .unwrap();
    store
        .ledger_callback(
            &a1,
            Response::Satisfied,
            Some("已致歉"),
            &hr,
            at("2023-10-11 15:00:00"),
        )
        .unwrap();
    store
        .ledger_rectify(&a1, "窗口摆放材料样本", &hr, at("2023-10-16 16:00:00"))
        .unwrap();
    store
        .ledger_close(&a1, None, &b, at("2023-10-18 10:00:00"))
        .unwrap();
    // B1: appealed by the department.
    let b1 = rating(store, "BAD-B1");
    let appeal = Command::FileAppeal {
        reason: APPEAL_REASON.into(),
        evidence: Some("办结回执".into()),
    };
    store
        .ledger_step(&b1, &appeal, &police, at("2023-10-13 09:00:00"))
        .unwrap();
    if uphold {
        decide_appeal(store);
    }
    // B2: claimed; the callback did not reach the rater.
    let b2 = rating(store, "BAD-B2");
    store
        .ledger_claim(&b2, &police, at("2023-10-23 09:00:00"))
        .unwrap();
    store
        .ledger_callback(
            &b2,
            Response::Unreached,
            None,
            &police,
            at("2023-10-23 10:00:00"),
        )
        .unwrap();
    // Q1: closed in October, reopened after it.
    let q1 = item(store, SourceKind::QrReport, "Q1");
    store
        .ledger_claim(&q1, &civil, at("2023-10-26 09:00:00"))
        .unwrap();
    store
        .ledger_rectify(&q1, "约谈当事人", &civil, at("2023-10-27 10:00:00"))
        .unwrap();
    store
        .ledger_close(&q1, None, &b, at("2023-10-30 10:00:00"))
        .unwrap();
    store
        .ledger_callback(
            &q1,
            Response::Unsatisfied,
            Some("未解决"),
            &b,
            at("2023-11-02 10:00:00"),
        )
        .unwrap();
    // A2 (rated 10-30), FB1 (overdue since 08-22) and T1 (due 11-01) are left untouched.
}

pub fn decide_appeal(store: &mut Store) {
    let b1 = item(store, SourceKind::Rating, "BAD-B1");
    let decide = Command::DecideAppeal {
        uphold: true,
        note: Some("经核实属误评".into()),
    };
    store
        .ledger_step(&b1, &decide, &bureau(), at("2023-10-16 09:00:00"))
        .unwrap();
}
