//! A small hand-made city whose every report figure is known, imported through the same
//! `ImportSession` the importers and the demo use.

#![allow(dead_code)]

use jianping_core::records::*;
use jianping_core::time::{parse_date, parse_datetime};
use jianping_core::*;
use jianping_store::Store;

pub fn code(c: &str) -> RegionCode {
    RegionCode::parse(c).unwrap()
}

pub fn period() -> Period {
    Period::new(
        parse_date("2023-01-01").unwrap(),
        parse_date("2023-10-31").unwrap(),
    )
    .unwrap()
}

fn at(s: &str) -> chrono::NaiveDateTime {
    parse_datetime(s).unwrap()
}

fn dept(name: &str, region: &str, sector: &str) -> DepartmentRecord {
    DepartmentRecord {
        name: name.into(),
        code: None,
        region: Some(code(region)),
        sector: Some(sector.into()),
        short_name: None,
    }
}

fn hall(name: &str, region: &str, kind: &str, ext: bool) -> HallRecord {
    HallRecord {
        code: None,
        name: name.into(),
        region: code(region),
        kind: Some(kind.into()),
        extended_hours: ext,
    }
}

fn window(name: &str, hall: &str, region: &str, kind: &str, ext: bool) -> WindowRecord {
    WindowRecord {
        code: None,
        name: name.into(),
        hall: Some(hall.into()),
        region: code(region),
        department: None,
        kind: Some(kind.into()),
        extended_hours: ext,
    }
}

fn staff(name: &str, active: bool) -> StaffRecord {
    StaffRecord {
        code: None,
        name: name.into(),
        department: Some("乌海市人力资源和社会保障局".into()),
        hall: Some(CENTER.into()),
        window: None,
        region: Some(code("150300")),
        active,
        phone: None,
        account: None,
    }
}

pub const CENTER: &str = "乌海市政务服务中心";

/// Flags: o = 全程网办, i = 即办, s = 情形化, e = 电子证照, c = 免证办, x = 延时服务.
fn matter(
    code_: &str,
    base: &str,
    region: &str,
    department: &str,
    as_of: &str,
    limits: (Option<u32>, Option<u32>),
    flags: &str,
) -> MatterRecord {
    MatterRecord {
        code: code_.into(),
        base_code: Some(base.into()),
        name: format!("事项{code_}"),
        department: department.into(),
        region: code(region),
        hall: None,
        as_of: parse_date(as_of).unwrap(),
        legal_limit_days: limits.0,
        promised_limit_days: limits.1,
        online_full: flags.contains('o'),
        instant: flags.contains('i'),
        scenario: flags.contains('s'),
        e_license: flags.contains('e'),
        cert_free: flags.contains('c'),
        extended_hours: flags.contains('x'),
    }
}

fn matters() -> Vec<MatterRecord> {
    let hr = "乌海市人力资源和社会保障局";
    let mut c1_start = matter(
        "C1",
        "B0",
        "150300",
        hr,
        "2023-01-01",
        (Some(20), Some(10)),
        "iseacx",
    );
    c1_start.hall = Some(CENTER.into());
    let mut c1_end = c1_start.clone();
    c1_end.as_of = parse_date("2023-06-01").unwrap();
    c1_end.promised_limit_days = Some(5);
    c1_end.online_full = true;
    let mut c2 = matter(
        "C2",
        "B9",
        "150300",
        "乌海市公安局",
        "2023-01-01",
        (Some(10), Some(10)),
        "",
    );
    c2.hall = Some(CENTER.into());
    vec![
        c1_start,
        c1_end,
        c2,
        matter(
            "D1a",
            "B1",
            "150302",
            "海勃湾区人力资源和社会保障局",
            "2023-01-01",
            (Some(30), Some(15)),
            "oscx",
        ),
        matter(
            "D1b",
            "B1",
            "150303",
            "海南区人力资源和社会保障局",
            "2023-01-01",
            (Some(30), Some(20)),
            "c",
        ),
        matter(
            "D2",
            "B2",
            "150304",
            "乌达区公安分局",
            "2023-01-01",
            (None, None),
            "",
        ),
        matter(
            "T1",
            "B3",
            "150302001",
            "海勃湾区人力资源和社会保障局",
            "2023-01-01",
            (None, None),
            "cx",
        ),
    ]
}

fn catalog(store: &mut Store) {
    let mut s = store.begin_import("catalog", "catalog.csv", "x").unwrap();
    // The tests set ledger states themselves (see `ledger_item`).
    s.skip_ledger_sync();
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
            code: code("150302001"),
            name: "新华街道".into(),
        },
        RegionRecord {
            code: code("150302001001"),
            name: "新华社区".into(),
        },
    ])
    .unwrap();
    s.departments(&[
        dept("乌海市人力资源和社会保障局", "150300", "人力资源和社会保障"),
        dept("乌海市公安局", "150300", "公安"),
        dept(
            "海勃湾区人力资源和社会保障局",
            "150302",
            "人力资源和社会保障",
        ),
        dept("海南区人力资源和社会保障局", "150303", "人力资源和社会保障"),
        dept("乌达区公安分局", "150304", "公安"),
    ])
    .unwrap();
    s.halls(&[
        hall(CENTER, "150300", "政务服务中心", true),
        hall("海勃湾区政务服务中心", "150302", "政务服务中心", true),
        hall("海南区政务服务中心", "150303", "政务服务中心", false),
    ])
    .unwrap();
    s.windows(&[
        window("综合受理1号窗口", CENTER, "150300", "综合受理", true),
        window("综合受理2号窗口", CENTER, "150300", "综合受理", false),
        window("综合受理3号窗口", CENTER, "150300", "综合受理", false),
        window("公安专窗", CENTER, "150300", "专业", false),
        window(
            "综合受理1号窗口",
            "海勃湾区政务服务中心",
            "150302",
            "综合受理",
            true,
        ),
        window("社保专窗", "海勃湾区政务服务中心", "150302", "专业", true),
    ])
    .unwrap();
    s.staff(&[
        staff("王芳", true),
        staff("李强", true),
        staff("赵敏", true),
        staff("钱进", false),
    ])
    .unwrap();
    s.matters(&matters()).unwrap();
    let stat = |key: &str, name: &str, value: f64, source: &str| ReportedStatRecord {
        key: key.into(),
        name: name.into(),
        value,
        unit: None,
        source: source.into(),
        region: Some(code("150300")),
        period_from: None,
        period_to: parse_date("2023-10-31").unwrap(),
    };
    s.reported_stats(&[
        stat("msb.featured_apps", "特色应用总数", 395.0, "蒙速办"),
        stat("msb.mini_programs", "小程序应用总数", 161.0, "蒙速办"),
        stat("msb.registered_users", "注册人数", 291_900.0, "蒙速办"),
        stat("msb.visits", "总访问量", 10_850_000.0, "蒙速办"),
        stat("population", "常住人口", 556_000.0, "统计局"),
    ])
    .unwrap();
    s.commit().unwrap();
}

fn cases(store: &mut Store) {
    let case = |no: usize, region: &str, done: Option<&str>, ext: bool| CaseRecord {
        case_no: format!("K{no}"),
        matter_code: None,
        matter_name: None,
        department: "乌海市人力资源和社会保障局".into(),
        region: code(region),
        window: None,
        accepted_at: at("2023-05-10 09:00:00"),
        completed_at: done.map(at),
        assisted: false,
        extended: ext,
        package: None,
    };
    let done = Some("2023-05-11 09:00:00");
    let mut rs = Vec::new();
    for i in 0..6 {
        rs.push(case(i, "150300", done, false));
    }
    rs.push(case(6, "150302", done, true));
    rs.push(case(7, "150302", done, true));
    rs.push(case(8, "150302", Some("2023-11-02 09:00:00"), false));
    rs.push(case(9, "150302001", done, true));
    rs.push(case(10, "150303", done, true));
    rs.push(case(11, "150304", done, false));
    let mut before = case(12, "150300", done, true);
    before.accepted_at = at("2022-12-31 09:00:00");
    rs.push(before);
    let mut s = store.begin_import("cases", "cases.csv", "x").unwrap();
    // The tests set ledger states themselves (see `ledger_item`).
    s.skip_ledger_sync();
    s.cases(&rs).unwrap();
    s.commit().unwrap();
}

fn tickets(store: &mut Store) {
    let kinds = [
        TicketKind::Help,
        TicketKind::Help,
        TicketKind::Suggestion,
        TicketKind::Consult,
        TicketKind::Praise,
    ];
    let ts: Vec<TicketRecord> = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| TicketRecord {
            ticket_no: format!("T{i}"),
            kind: *k,
            source: TicketSource::Phone,
            mode: HandlingMode::Transfer,
            department: Some(CENTER.into()),
            content: Some("咨询社保卡补办，电话13812345678".into()),
            received_at: at("2023-03-01 09:00:00"),
            due_at: Some(at("2023-03-08 18:00:00")),
            closed_at: Some(at("2023-03-05 10:00:00")),
            resolved: Some(true),
            revisited_at: Some(at("2023-03-06 10:00:00")),
            revisit_result: Some(Response::Satisfied),
            citizen_name: Some("张三".into()),
            citizen_phone: Some("13812345678".into()),
        })
        .collect();
    let mut s = store.begin_import("hotline", "hotline.csv", "x").unwrap();
    // The tests set ledger states themselves (see `ledger_item`).
    s.skip_ledger_sync();
    s.tickets(&ts).unwrap();
    s.commit().unwrap();
}

fn ratings(store: &mut Store) {
    let mut n = 0;
    let mut rs = Vec::new();
    let mut add = |count: usize, dept: &str, region: &str, grade: Grade, comment: Option<&str>| {
        for _ in 0..count {
            n += 1;
            rs.push(RatingRecord {
                rating_no: format!("R{n:04}"),
                case_no: None,
                matter_code: None,
                matter_name: None,
                department: dept.into(),
                window: None,
                staff: None,
                region: code(region),
                channel: Channel::HallPad,
                grade,
                rated_at: at(&format!("2023-{:02}-15 10:00:00", 1 + n % 10)),
                attempt: 1,
                tags: None,
                comment: comment.map(Into::into),
                rater_name: Some("李四".into()),
                rater_phone: Some("13900001111".into()),
                device: None,
                address: None,
                account: None,
            });
        }
    };
    let city = "乌海市人力资源和社会保障局";
    let hn = "海南区人力资源和社会保障局";
    add(40, city, "150300", Grade::VerySatisfied, None);
    add(1, city, "150300", Grade::Satisfied, None);
    add(8, hn, "150303", Grade::VerySatisfied, None);
    add(
        1,
        hn,
        "150303",
        Grade::Unsatisfied,
        Some("未向办事群众提供材料样本。"),
    );
    add(
        1,
        "海勃湾区人力资源和社会保障局",
        "150302001",
        Grade::Basic,
        None,
    );
    add(
        1,
        "海勃湾区人力资源和社会保障局",
        "150302001001",
        Grade::VerySatisfied,
        None,
    );
    add(1, "包头市某局", "150202", Grade::VerySatisfied, None);
    let mut s = store.begin_import("ratings", "ratings.csv", "x").unwrap();
    // The tests set ledger states themselves (see `ledger_item`).
    s.skip_ledger_sync();
    s.ratings(&rs).unwrap();
    s.commit().unwrap();
}

fn supervision(store: &mut Store) {
    let sup = |c: &str, cat: &str| SupervisorRecord {
        code: c.into(),
        name: format!("监督员{c}"),
        category: cat.into(),
        unit: None,
        phone: Some("13800000000".into()),
        appointed_on: parse_date("2022-03-01").unwrap(),
        term_end: None,
    };
    let fb = |no: &str, cat: &str, method: &str, content: &str| FeedbackRecord {
        feedback_no: no.into(),
        supervisor: "S1".into(),
        received_on: parse_date("2023-04-01").unwrap(),
        category: cat.into(),
        method: Some(method.into()),
        content: content.into(),
        department: Some("海勃湾区政务服务中心".into()),
        region: Some(code("150302")),
    };
    let qr = |no: &str, domain: &str, dept: &str, content: &str| QrReportRecord {
        report_no: no.into(),
        received_at: at("2023-06-01 10:00:00"),
        domain: domain.into(),
        region: Some(code("150304")),
        window: None,
        department: Some(dept.into()),
        content: content.into(),
        reporter_name: Some("王五".into()),
        reporter_phone: Some("13812345678".into()),
        closed_at: Some(at("2023-06-03 10:00:00")),
        handling: Some(
            "责任部门主动与投诉人取得联系，经双方沟通后，均已取得投诉人谅解，责任部门完成整改。"
                .into(),
        ),
    };
    let finding =
        |no: &str, method: &str, role: &str, text: &str, response: &str| AssessmentRecord {
            finding_no: no.into(),
            project: "2023年度第三方政务服务评估".into(),
            assessor: Some("某咨询公司".into()),
            method: method.into(),
            role: Some(role.into()),
            assessed_on: parse_date("2023-09-01").unwrap(),
            department: None,
            region: None,
            indicator: None,
            score: None,
            full_score: None,
            finding: text.into(),
            response: Some(response.into()),
        };
    let mut s = store.begin_import("supervision", "s.csv", "x").unwrap();
    // The tests set ledger states themselves (see `ledger_item`).
    s.skip_ledger_sync();
    s.supervisors(&[
        sup("S1", "党代表"),
        sup("S2", "人大代表"),
        sup("S3", "企业家代表"),
    ])
    .unwrap();
    s.feedback(&[
        fb(
            "F1",
            "便民服务",
            "座谈交流",
            "海勃湾区政务服务大厅缺少复印打印机",
        ),
        fb("F2", "事项办理体验", "实地办理", "部分窗口人员业务能力不足"),
        fb("F3", "事项办理体验", "实地办理", "工伤申报流程长材料多"),
    ])
    .unwrap();
    s.qr_reports(&[
        qr(
            "Q1",
            "政务服务",
            "住房公积金中心乌达分中心",
            "工作人员服务态度差、未做到“一次性告知”",
        ),
        qr(
            "Q2",
            "政务服务",
            "乌海市公安局行政审批办",
            "在办理港澳台签注时存在审批环节多、办事耗时长的问题",
        ),
        qr(
            "Q3",
            "重点项目投资建设",
            "乌达区发展和改革委员会",
            "项目审批进度慢",
        ),
    ])
    .unwrap();
    s.assessments(&[
        finding(
            "A1",
            "实地暗访",
            "申请人",
            "政策宣传力度不足，群众对新推出的服务知晓度低",
            "通过线上线下多种形式提升政策知晓度",
        ),
        finding(
            "A2",
            "电话调研",
            "旁观者",
            "窗口人员业务能力仍有提升空间",
            "开展业务、礼仪培训提升服务质效",
        ),
    ])
    .unwrap();
    s.commit().unwrap();
}

/// Puts a fact's ledger item into a given state. The import already registered the item
/// (the ledger syncs in the import transaction); tests set the state directly so each
/// sentence can be checked without walking the workflow.
pub fn ledger_item(
    store: &mut Store,
    no: &str,
    kind: &str,
    fact_sql: &str,
    state: &str,
    feedback: Option<&str>,
) {
    let updated = store
        .backend()
        .execute(
            &format!(
                "UPDATE ledger_items SET state = ?, feedback = ?
                 WHERE source_kind = ? AND source_id = ({fact_sql})"
            ),
            &[state.into(), feedback.into(), kind.into()],
        )
        .unwrap();
    if updated == 0 {
        store
            .backend()
            .execute(
                &format!(
                    "INSERT INTO ledger_items (item_no, source_kind, source_id, title, state, raised_at, feedback)
                     VALUES (?, ?, ({fact_sql}), '整改', ?, '2023-10-01 00:00:00', ?)"
                ),
                &[no.into(), kind.into(), state.into(), feedback.into()],
            )
            .unwrap();
    }
}

pub fn load(store: &mut Store) {
    catalog(store);
    cases(store);
    tickets(store);
    ratings(store);
    supervision(store);
    for (i, no) in ["F1", "F2", "F3"].iter().enumerate() {
        ledger_item(
            store,
            &format!("ZG-F{i}"),
            "feedback",
            &format!("SELECT id FROM supervisor_feedback WHERE feedback_no = '{no}'"),
            "closed",
            Some("已通过微信联络群反馈监督员"),
        );
    }
}

/// The one 不满意 rating's id, for its ledger item.
pub const BAD_RATING: &str = "SELECT id FROM ratings WHERE rating_no = 'R0050'";

/// Two more bad ratings at the city's police bureau, neither in the ledger: one with a
/// matter and a comment, one without a comment.
pub fn extra_bad_ratings(store: &mut Store) {
    let rating =
        |no: &str, grade: Grade, at_: &str, matter: Option<&str>, comment: Option<&str>| {
            RatingRecord {
                rating_no: no.into(),
                case_no: None,
                matter_code: matter.map(|_| "M-SFZ".to_string()),
                matter_name: matter.map(Into::into),
                department: "乌海市公安局".into(),
                window: None,
                staff: None,
                region: code("150300"),
                channel: Channel::Mobile,
                grade,
                rated_at: at(at_),
                attempt: 1,
                tags: None,
                comment: comment.map(Into::into),
                rater_name: None,
                rater_phone: None,
                device: None,
                address: None,
                account: None,
            }
        };
    let mut s = store.begin_import("ratings", "more.csv", "y").unwrap();
    // The tests set ledger states themselves (see `ledger_item`).
    s.skip_ledger_sync();
    s.ratings(&[
        rating(
            "X1",
            Grade::VeryUnsatisfied,
            "2023-06-10 10:00:00",
            Some("居民身份证换领"),
            Some("窗口人员服务态度差！"),
        ),
        rating("X2", Grade::Unsatisfied, "2023-07-10 10:00:00", None, None),
    ])
    .unwrap();
    s.commit().unwrap();
}
