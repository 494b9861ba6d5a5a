//! The low-volume channels: 12345 tickets, supervisors and their feedback, 码上监督
//! complaints, third-party findings, and figures reported by other platforms. Contents follow
//! what the seed report says about each.

use crate::calendar::{self, add_working_days, at, date};
use crate::names::{mobile, person_name};
use crate::targets::{Targets, apportion, permille_text, wan_range};
use chrono::{Duration, NaiveDate};
use fastrand::Rng;
use jianping_core::records::{
    AssessmentRecord, FeedbackRecord, QrReportRecord, ReportedStatRecord, SupervisorRecord,
    TicketRecord,
};
use jianping_core::{HandlingMode, RegionCode, Response, TicketKind, TicketSource};

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).expect("valid region code")
}

/// 12345 转办件 to the city service centre, by kind. 求助 are all questions about window
/// acceptance; 建议 all arise from unclear division of duties between departments.
const TICKET_CONTENTS: &[(&str, &[&str])] = &[
    (
        "建议",
        &[
            "建议明确二手房交易中不动产登记与税务窗口的职责分工，避免群众在两个窗口之间来回跑",
            "办理餐饮店开业时，市场监管与城管部门对门头牌匾备案的职责说法不一，建议加强沟通",
            "办理新生儿落户时，卫健与公安窗口对出生医学证明的核验要求不一致，建议统一标准",
            "工伤认定与劳动能力鉴定的受理窗口不明确，群众不清楚该找哪个部门，建议明确",
            "建议人社与医保部门就退休后医保待遇衔接加强协调，避免重复提交材料",
            "建设项目消防验收与竣工验收备案分属不同窗口，建议明确牵头部门",
            "办理危险化学品经营许可时，应急管理与市场监管窗口对前置条件解释不一，建议明确职责",
            "公积金贷款与不动产抵押登记的办理顺序各窗口答复不一致，建议部门间统一口径",
            "残疾人两项补贴申请在民政与残联之间职责不清，建议明确受理部门",
            "道路运输经营许可与车辆营运证分别在哪个窗口办理说法不一，建议明确",
            "企业注销涉及税务、市场监管、社保多个部门，建议建立部门协同机制",
            "城乡居民医保缴费问题医保与税务部门互相让群众咨询对方，建议明确答复部门",
        ],
    ),
    (
        "求助",
        &[
            "到市政务服务中心办理异地就医备案，窗口告知需先开具参保证明，请求协助确认办理流程",
            "办理营业执照变更，法定代表人在外地无法到场，请求协助办理",
            "办理不动产转移登记需要的完税证明如何获取，窗口说法不一，请求帮助",
            "家中老人行动不便，无法到大厅办理养老保险资格认证，请求上门服务",
            "社保卡补办后无法激活，请求窗口协助处理",
            "在大厅办理公积金提取，系统显示信息不一致无法提交，请求协助",
            "食品经营许可证延续所需材料清单不清楚，请求窗口一次性告知",
            "孩子出生医学证明信息有误，不知如何更正，请求指导",
            "办理驾驶证换证时体检证明上传失败，请求窗口协助",
            "办理退休手续时档案缺少材料，请求协调人社窗口说明补充方式",
            "身份证即将到期，本人在外地，询问能否委托他人代办并请求协助",
            "工程建设项目施工许可网上申报流程不熟悉，请求帮办代办",
            "残疾人证换领需要到哪家医院鉴定、如何预约，请求帮助",
            "申请公共租赁住房，窗口要求的收入证明开具单位不明确，请求协助",
            "在蒙速办上申请的营业执照未通过审核，原因不清楚，请求窗口解释",
        ],
    ),
    (
        "咨询",
        &[
            "咨询市政务服务中心周末预约延时服务的时间和可办理事项",
            "咨询在市政务服务中心办理居住证需要准备哪些材料",
        ],
    ),
    (
        "投诉",
        &["投诉市政务服务中心某窗口工作人员午休时间提前离岗，导致等候时间过长"],
    ),
    (
        "表扬",
        &["表扬市政务服务中心帮办代办窗口工作人员主动为家中老人代办养老保险待遇申领，服务热情周到"],
    ),
];

pub fn tickets(rng: &mut Rng, t: &Targets, dept: &str) -> Vec<TicketRecord> {
    let mut out = Vec::new();
    let days = calendar::days(date(1, 9), date(10, 16), calendar::is_working_day);
    let mut picks: Vec<(TicketKind, &str)> = Vec::new();
    for (kind, n) in t.tickets {
        let contents = TICKET_CONTENTS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, c)| *c)
            .unwrap_or(&[]);
        assert!(
            contents.len() as u64 >= n,
            "{kind}: {n} tickets, {} contents",
            contents.len()
        );
        let k = TicketKind::parse(kind).expect("ticket kind");
        picks.extend(contents[..n as usize].iter().map(|c| (k, *c)));
    }
    let mut dates: Vec<NaiveDate> = (0..picks.len())
        .map(|_| days[rng.usize(..days.len())])
        .collect();
    dates.sort();
    rng.shuffle(&mut picks);
    for (i, ((kind, content), d)) in picks.into_iter().zip(dates).enumerate() {
        let received = calendar::at_seconds(d, rng.u32(calendar::MORNING.0..calendar::AFTERNOON.1));
        let limit = if matches!(kind, TicketKind::Suggestion | TicketKind::Complaint) {
            5
        } else {
            3
        };
        let due = at(add_working_days(d, limit), 18, 0, 0);
        let closed_day = add_working_days(d, rng.u32(1..=limit));
        let closed = at(closed_day, rng.u32(9..17), rng.u32(0..60), rng.u32(0..60));
        let revisited = at(
            add_working_days(closed_day, 1),
            rng.u32(9..17),
            rng.u32(0..60),
            0,
        );
        // The complainant and a few whose suggestion needs longer work are only 基本满意.
        let basic = kind == TicketKind::Complaint
            || (kind == TicketKind::Suggestion && rng.u32(0..100) < 25);
        let source = match rng.u32(0..100) {
            0..70 => TicketSource::Phone,
            70..80 => TicketSource::WeChat,
            80..88 => TicketSource::Website,
            88..95 => TicketSource::App,
            _ => TicketSource::Provincial,
        };
        out.push(TicketRecord {
            ticket_no: format!("WH12345{}{:04}", d.format("%Y%m%d"), i + 1),
            kind,
            source,
            mode: HandlingMode::Transfer,
            department: Some(dept.to_string()),
            content: Some(content.to_string()),
            received_at: received,
            due_at: Some(due),
            closed_at: Some(closed.min(due)),
            resolved: Some(true),
            revisited_at: Some(revisited),
            revisit_result: Some(if basic {
                Response::Basic
            } else {
                Response::Satisfied
            }),
            citizen_name: Some(person_name(rng)),
            citizen_phone: Some(mobile(rng)),
        });
    }
    out
}

/// (category, units they come from).
const SUPERVISOR_KINDS: &[(&str, &[&str])] = &[
    (
        "党代表",
        &[
            "海勃湾区新华街道党工委",
            "乌达区三道坎街道党工委",
            "海南区拉僧庙镇党委",
            "乌海市第一中学党委",
        ],
    ),
    (
        "人大代表",
        &[
            "乌海市人民医院",
            "乌海职业技术学院",
            "海勃湾区千里山镇新地村",
            "乌达区五虎山街道",
        ],
    ),
    (
        "政协代表",
        &[
            "乌海市律师协会",
            "乌海市工商业联合会",
            "乌海市妇幼保健院",
            "乌海市科学技术协会",
        ],
    ),
    (
        "企业家代表",
        &[
            "乌海市某能源化工有限公司",
            "乌海市某建筑安装有限公司",
            "乌海市某物流有限公司",
            "乌海市某葡萄酒业有限公司",
        ],
    ),
    (
        "个体工商户代表",
        &[
            "海勃湾区某家常菜馆",
            "乌达区某五金建材店",
            "海南区某汽车修理部",
            "海勃湾区某便利店",
        ],
    ),
];

pub fn supervisors(rng: &mut Rng, t: &Targets) -> Vec<SupervisorRecord> {
    let per = apportion(t.supervisors, &vec![1.0; SUPERVISOR_KINDS.len()], 1);
    let appointed = NaiveDate::from_ymd_opt(t.supervisor_year, 6, 16).expect("appointment date");
    let term_end = NaiveDate::from_ymd_opt(t.supervisor_year + 3, 6, 15);
    let mut out = Vec::new();
    let mut taken = std::collections::HashSet::new();
    for ((category, units), n) in SUPERVISOR_KINDS.iter().zip(per) {
        for _ in 0..n {
            let name = crate::org::unique_name(rng, &mut taken);
            out.push(SupervisorRecord {
                code: format!("JDY{}{:03}", t.supervisor_year, out.len() + 1),
                name,
                category: category.to_string(),
                unit: Some(units[rng.usize(..units.len())].to_string()),
                phone: Some(mobile(rng)),
                appointed_on: appointed,
                term_end,
            });
        }
    }
    out
}

/// (category, method, content, department, region). Contents are short clauses: the report
/// lists them per category ("事项办理体验方面存在…、…等问题").
const FEEDBACK: &[(&str, &str, &str, &str, &str)] = &[
    (
        "便民服务",
        "座谈交流",
        "海勃湾区政务服务大厅缺少复印打印机",
        "海勃湾区行政审批和政务服务局",
        "150302",
    ),
    (
        "事项办理体验",
        "实地办理",
        "部分窗口人员业务能力不足",
        "乌海市行政审批和政务服务局",
        "150300",
    ),
    (
        "事项办理体验",
        "座谈交流",
        "退休办理窗口人员服务态度较差",
        "乌海市人力资源和社会保障局",
        "150300",
    ),
    (
        "事项办理体验",
        "座谈交流",
        "工伤申报流程长材料多",
        "乌海市人力资源和社会保障局",
        "150300",
    ),
    (
        "事项办理体验",
        "实地办理",
        "不动产登记窗口高峰时段排队等候时间长",
        "乌海市自然资源局",
        "150300",
    ),
    (
        "事项办理体验",
        "实地办理",
        "乌达区政务服务大厅部分复杂事项需反复请示后台",
        "乌达区行政审批和政务服务局",
        "150304",
    ),
    (
        "服务指引",
        "座谈交流",
        "政策宣传力度不足",
        "乌海市行政审批和政务服务局",
        "150300",
    ),
    (
        "服务指引",
        "座谈交流",
        "相同事项在不同地区申报材料不一致",
        "乌海市市场监督管理局",
        "150300",
    ),
    (
        "服务指引",
        "实地办理",
        "海南区政务服务大厅导办标识不清晰",
        "海南区行政审批和政务服务局",
        "150303",
    ),
    (
        "移动端和网站建设",
        "座谈交流",
        "蒙速办APP利用率低",
        "乌海市行政审批和政务服务局",
        "150300",
    ),
    (
        "移动端和网站建设",
        "实地办理",
        "网上办事引导不易懂",
        "乌海市行政审批和政务服务局",
        "150300",
    ),
    (
        "移动端和网站建设",
        "实地办理",
        "部分事项网上申报后仍需到现场提交纸质材料",
        "乌海市行政审批和政务服务局",
        "150300",
    ),
];

pub fn feedback(
    rng: &mut Rng,
    t: &Targets,
    supervisors: &[SupervisorRecord],
) -> Vec<FeedbackRecord> {
    assert_eq!(FEEDBACK.len() as u64, t.feedback_items, "feedback contents");
    let mut who: Vec<&SupervisorRecord> = supervisors.iter().collect();
    rng.shuffle(&mut who);
    let mut days = calendar::days(date(2, 20), date(10, 20), calendar::is_working_day);
    rng.shuffle(&mut days);
    let mut days: Vec<NaiveDate> = days[..FEEDBACK.len()].to_vec();
    days.sort();
    FEEDBACK
        .iter()
        .zip(days)
        .enumerate()
        .map(
            |(i, ((category, method, content, dept, code), d))| FeedbackRecord {
                feedback_no: format!("JDYJ2023{:03}", i + 1),
                supervisor: who[i % who.len()].code.clone(),
                received_on: d,
                category: category.to_string(),
                method: Some(method.to_string()),
                content: content.to_string(),
                department: Some(dept.to_string()),
                region: Some(region(code)),
            },
        )
        .collect()
}

/// How both service complaints were handled.
const SERVICE_HANDLING: &str = "责任部门主动与投诉人取得联系，并对具体办事人员进行调查，经双方沟通后，已取得投诉人谅解，责任部门完成整改";

/// (domain, content, department, region, window, handling). A content reads on from its
/// department's name ("乌海市公安局" + "行政审批办在办理…").
type Qr = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
);

const QR_REPORTS: &[Qr] = &[
    (
        "政务服务",
        "工作人员服务态度差、未做到“一次性告知”",
        crate::org::FUND_BRANCH_DEPT,
        "150304",
        Some("公积金1号窗口"),
        SERVICE_HANDLING,
    ),
    (
        "政务服务",
        "行政审批办在办理港澳台签注时存在审批环节多、办事耗时长的问题",
        "乌海市公安局",
        "150300",
        None,
        SERVICE_HANDLING,
    ),
    (
        "重点项目投资建设",
        "反映某光伏制氢项目前期手续推进缓慢，项目单位多次催办无果",
        "乌海市发展和改革委员会",
        "150300",
        None,
        "责任部门与项目单位对接，明确专人跟进前期手续，已完成项目备案",
    ),
    (
        "重点项目投资建设",
        "反映海南区某工业园区重点项目配套道路迟迟未开工",
        "海南区住房和城乡建设局",
        "150303",
        None,
        "经核实系征地手续未完成，责任部门已协调完成手续并开工，向反映人反馈",
    ),
    (
        "重点项目投资建设",
        "反映某重点项目施工单位拖欠农民工工资",
        "乌海市人力资源和社会保障局",
        "150300",
        None,
        "责任部门约谈施工单位，督促足额支付拖欠工资，反映人表示满意",
    ),
    (
        "重点项目投资建设",
        "反映乌达区某项目用地报批材料多次被退回，退回理由前后不一致",
        "乌海市自然资源局乌达区分局",
        "150304",
        None,
        "责任部门调查核实后一次性告知补正材料，已完成用地报批，取得反映人谅解",
    ),
    (
        "重点项目投资建设",
        "反映某重点项目环境影响评价审批进度慢",
        "乌海市生态环境局",
        "150300",
        None,
        "责任部门开通绿色通道并联审查，已出具审批意见",
    ),
    (
        "重点项目投资建设",
        "反映市区某保障性住房项目建设进度滞后",
        "乌海市住房和城乡建设局",
        "150300",
        None,
        "责任部门督促施工单位倒排工期，项目已按计划推进，向反映人说明情况",
    ),
    (
        "惠民惠农",
        "反映某村耕地地力保护补贴发放不及时",
        "海南区农牧局",
        "150303",
        None,
        "经核实系银行账户信息有误，已更正并补发到位",
    ),
    (
        "惠民惠农",
        "反映某社区最低生活保障资格复核时间过长",
        "乌达区民政局",
        "150304",
        None,
        "责任部门加快复核并告知结果，反映人表示理解",
    ),
    (
        "惠民惠农",
        "反映老人高龄津贴停发且未告知原因",
        "海勃湾区民政局",
        "150302",
        None,
        "经核实系资格认证逾期，已协助完成认证并恢复发放",
    ),
    (
        "执法监管",
        "反映执法人员入户检查时未出示执法证件",
        "乌海市城市管理综合执法局",
        "150300",
        None,
        "责任部门对相关执法人员批评教育，重申亮证执法要求，取得反映人谅解",
    ),
    (
        "执法监管",
        "反映同一商户短期内被多个部门重复检查",
        "乌海市市场监督管理局",
        "150300",
        None,
        "责任部门推行“双随机、一公开”联合抽查，减少重复检查，向反映人反馈",
    ),
    (
        "基层治理",
        "反映小区物业服务问题投诉后社区处理不及时",
        "海勃湾区新华街道办事处",
        "150302001",
        None,
        "街道督促物业整改并建立限时办结机制，反映人表示满意",
    ),
    (
        "基层治理",
        "反映老旧小区改造夜间施工扰民",
        "海勃湾区住房和城乡建设局",
        "150302",
        None,
        "责任部门要求施工单位调整作业时间，已整改",
    ),
];

pub fn qr_reports(rng: &mut Rng, t: &Targets, police_window: &str) -> Vec<QrReportRecord> {
    assert_eq!(
        QR_REPORTS.len() as u64,
        t.qr_reports,
        "QR complaint contents"
    );
    let days = calendar::days(date(3, 1), date(10, 20), calendar::is_working_day);
    let mut picked: Vec<NaiveDate> = (0..QR_REPORTS.len())
        .map(|_| days[rng.usize(..days.len())])
        .collect();
    picked.sort();
    QR_REPORTS
        .iter()
        .zip(picked)
        .enumerate()
        .map(
            |(i, ((domain, content, dept, code, window, handling), d))| {
                let received =
                    calendar::at_seconds(d, rng.u32(calendar::MORNING.0..calendar::AFTERNOON.1));
                let closed = at(
                    add_working_days(d, rng.u32(2..=8)),
                    rng.u32(9..18),
                    rng.u32(0..60),
                    0,
                );
                let window = match window {
                    Some(w) => Some(w.to_string()),
                    None if *domain == "政务服务" => Some(police_window.to_string()),
                    None => None,
                };
                QrReportRecord {
                    report_no: format!("MSJD2023{:04}", i + 1),
                    received_at: received,
                    domain: domain.to_string(),
                    region: Some(region(code)),
                    window,
                    department: Some(dept.to_string()),
                    content: content.to_string(),
                    reporter_name: Some(person_name(rng)),
                    reporter_phone: Some(mobile(rng)),
                    closed_at: Some(closed),
                    handling: Some(handling.to_string()),
                }
            },
        )
        .collect()
}

pub(crate) const PROJECT: &str = "乌海市2023年度第三方政务服务评估";
pub(crate) const ASSESSOR: &str = "第三方评估机构";

/// The report's three findings, each with the bureau's response.
const FINDINGS: &[(&str, &str, &str, &str)] = &[
    (
        "实地暗访",
        "申请人",
        "政策宣传力度不足，群众对新推出的服务知晓度低",
        "通过乌海智慧政务公众号、政务直播间、线下宣传等形式提升政策知晓度",
    ),
    (
        "实地暗访",
        "旁观者",
        "窗口人员业务能力仍有提升空间，服务态度仍需优化",
        "开展业务、礼仪、安全知识等培训，提升服务质效",
    ),
    (
        "电话调研",
        "申请人",
        "建议政务服务人员去到先进地区学习典型经验，以适应城市转型",
        "组织业务骨干赴政务服务先进地区学习先进经验，提升政务服务能力，助力城市转型",
    ),
];

/// The three findings, each with the bureau's response.
pub fn assessments() -> Vec<AssessmentRecord> {
    FINDINGS
        .iter()
        .enumerate()
        .map(|(i, (method, role, finding, response))| AssessmentRecord {
            finding_no: format!("PG2023-{:03}", i + 1),
            project: PROJECT.into(),
            assessor: Some(ASSESSOR.into()),
            method: method.to_string(),
            role: Some(role.to_string()),
            assessed_on: date(8, 15) + Duration::days(i as i64 * 6),
            department: Some("乌海市行政审批和政务服务局".into()),
            region: Some(region("150300")),
            indicator: None,
            score: None,
            full_score: None,
            finding: finding.to_string(),
            response: Some(response.to_string()),
        })
        .collect()
}

/// 蒙速办 figures from the provincial platform and the population from the statistics bureau,
/// chosen inside the ranges that print as the targets.
pub fn reported_stats(rng: &mut Rng, t: &Targets) -> Vec<ReportedStatRecord> {
    let (ulo, uhi) = wan_range(t.msb_users_wan_hundredths, 2);
    // Population: a round figure (to the hundred) whose share of some user count in range
    // prints as the target; users then sit in the middle of what fits.
    let share = t.msb_users_share_permille as f64 / 1000.0;
    let mid = (ulo + uhi) as f64 / 2.0;
    let population = ((mid / share) / 100.0).round() as u64 * 100;
    let policy = jianping_core::RatePolicy::default().with_precision(1);
    let want = permille_text(t.msb_users_share_permille);
    let users: Vec<u64> = (ulo..=uhi)
        .filter(|u| policy.format(*u, population) == want)
        .collect();
    assert!(
        !users.is_empty(),
        "no registered-user count fits the population {population}"
    );
    let registered = users[rng.usize(users.len() / 4..users.len() * 3 / 4)];
    let (vlo, vhi) = wan_range(t.msb_visits_wan, 0);
    let visits = rng.u64(vlo + 1000..=vhi - 1000);
    // The report names the platform after the figures' source.
    let msb = "蒙速办";
    let city = Some(region("150300"));
    let stat = |key: &str,
                name: &str,
                value: u64,
                unit: &str,
                source: &str,
                from: Option<NaiveDate>,
                to: NaiveDate| ReportedStatRecord {
        key: key.into(),
        name: name.into(),
        value: value as f64,
        unit: Some(unit.into()),
        source: source.into(),
        region: city.clone(),
        period_from: from,
        period_to: to,
    };
    let (y0, oct) = (Some(date(1, 1)), date(10, 31));
    vec![
        stat(
            "msb.featured_apps",
            "蒙速办移动端特色应用总数",
            t.msb_featured_apps,
            "个",
            msb,
            None,
            oct,
        ),
        stat(
            "msb.mini_programs",
            "迁移接入融合平台小程序应用总数",
            t.msb_mini_programs,
            "个",
            msb,
            None,
            oct,
        ),
        stat(
            "msb.registered_users",
            "蒙速办移动端注册人数",
            registered,
            "人",
            msb,
            None,
            oct,
        ),
        stat(
            "msb.visits",
            "蒙速办移动端总访问量",
            visits,
            "次",
            msb,
            y0,
            oct,
        ),
        stat(
            "population",
            "年末常住人口",
            population,
            "人",
            "乌海市统计局",
            Some(NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or(oct)),
            NaiveDate::from_ymd_opt(2022, 12, 31).unwrap_or(oct),
        ),
    ]
}
