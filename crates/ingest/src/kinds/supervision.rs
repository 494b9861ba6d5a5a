//! Supervisors and their feedback, 码上监督 reports, third-party findings, reported figures.

use super::common::*;
use crate::header::{Col, opt, req};
use crate::row::RowCtx;
use jianping_core::records::*;

pub(crate) const SUPERVISOR_COLUMNS: &[Col] = &[
    req("监督员编号", &["编号", "聘书编号", "code"], "文本（唯一）"),
    req("姓名", &["监督员姓名", "name"], "姓名"),
    req(
        "类别",
        &["代表类别", "身份类别", "界别", "category"],
        "党代表/人大代表/政协委员/企业家代表/个体工商户代表 …",
    ),
    opt("工作单位", &["单位", "unit"], "文本"),
    opt("联系电话", PHONE, "文本"),
    req("聘任日期", &["聘任时间", "appointed_on"], DATE_FMT),
    opt("任期截止", &["聘期截止", "任期至", "term_end"], DATE_FMT),
];

pub(crate) fn supervisor(c: &mut RowCtx<'_>) -> Option<SupervisorRecord> {
    let code = c.req_code(0);
    let name = c.req_text(1);
    let category = c.req_text(2);
    let unit = c.text(3);
    let phone = c.code(4);
    let appointed_on = c.req_date(5);
    let term_end = c.date(6);
    if let (Some(a), Some(t)) = (appointed_on, term_end)
        && t < a
    {
        c.fail(6, "任期截止早于聘任日期");
    }
    Some(SupervisorRecord {
        code: code?,
        name: name?,
        category: category?,
        unit,
        phone,
        appointed_on: appointed_on?,
        term_end,
    })
}

pub(crate) const FEEDBACK_COLUMNS: &[Col] = &[
    req("意见编号", &["编号", "feedback_no"], "文本（唯一）"),
    req(
        "监督员",
        &["监督员编号", "监督员姓名", "提出人", "supervisor"],
        "监督员编号或姓名（须已导入监督员名单）",
    ),
    req(
        "反馈日期",
        &["提出日期", "收集日期", "收到日期", "received_on"],
        DATE_FMT,
    ),
    req(
        "问题类别",
        &["类别", "意见类别", "category"],
        "便民服务/事项办理体验/服务指引/移动端和网站建设 …",
    ),
    opt(
        "反馈方式",
        &["方式", "收集方式", "method"],
        "座谈交流/实地办理/走访调研 …",
    ),
    req(
        "意见内容",
        &["内容", "意见建议", "问题描述", "content"],
        "文本",
    ),
    opt("涉及部门", &["部门", "责任部门", "department"], "部门全称"),
    opt("行政区划", REGION, REGION_FMT),
];

pub(crate) fn feedback(c: &mut RowCtx<'_>) -> Option<FeedbackRecord> {
    let feedback_no = c.req_code(0);
    let supervisor = c.req_code(1);
    let received_on = c.req_date(2);
    let category = c.req_text(3);
    let method = c.text(4);
    let content = c.req_text(5);
    let department = c.text(6);
    let region = c.region(7);
    Some(FeedbackRecord {
        feedback_no: feedback_no?,
        supervisor: supervisor?,
        received_on: received_on?,
        category: category?,
        method,
        content: content?,
        department,
        region,
    })
}

pub(crate) const QR_COLUMNS: &[Col] = &[
    req(
        "问题编号",
        &["编号", "举报编号", "反映编号", "report_no"],
        "文本（唯一）",
    ),
    req(
        "反映时间",
        &["举报时间", "提交时间", "接收时间", "received_at"],
        TIME_FMT,
    ),
    req(
        "所属领域",
        &["领域", "问题领域", "监督领域", "domain"],
        "政务服务/重点项目投资建设 …",
    ),
    opt("行政区划", REGION, REGION_FMT),
    opt("窗口", WINDOW, "窗口名称（须同时有行政区划）"),
    opt(
        "涉及部门",
        &["部门", "被反映单位", "责任单位", "department"],
        "部门全称",
    ),
    req(
        "反映内容",
        &["问题描述", "举报内容", "内容", "content"],
        "文本",
    ),
    opt("反映人", &["举报人", "reporter", "reporter_name"], "姓名"),
    opt("联系电话", PHONE, "文本"),
    opt("办结时间", &["完成时间", "closed_at"], TIME_FMT),
    opt(
        "办理情况",
        &["处理结果", "办理结果", "handling"],
        "文本，如 已联系投诉人并取得谅解，已整改",
    ),
];

pub(crate) fn qr_report(c: &mut RowCtx<'_>) -> Option<QrReportRecord> {
    let report_no = c.req_code(0);
    let received_at = c.req_datetime(1);
    let domain = c.req_text(2);
    let region = c.region(3);
    let window = c.text(4);
    let department = c.text(5);
    let content = c.req_text(6);
    let reporter_name = c.text(7);
    let reporter_phone = c.code(8);
    let closed_at = c.datetime(9);
    let handling = c.text(10);
    if window.is_some() && region.is_none() && c.errors.is_empty() {
        c.fail(
            3,
            "填写了窗口时须同时填写行政区划（窗口按区划内的名称识别）",
        );
    }
    Some(QrReportRecord {
        report_no: report_no?,
        received_at: received_at?,
        domain: domain?,
        region,
        window,
        department,
        content: content?,
        reporter_name,
        reporter_phone,
        closed_at,
        handling,
    })
}

pub(crate) const ASSESSMENT_COLUMNS: &[Col] = &[
    req(
        "问题编号",
        &["编号", "发现编号", "finding_no"],
        "文本（唯一）",
    ),
    req(
        "评估项目",
        &["项目", "项目名称", "project"],
        "文本，如 2023年度政务服务第三方评估",
    ),
    opt("评估机构", &["第三方机构", "机构", "assessor"], "文本"),
    req(
        "评估方式",
        &["测评方式", "方式", "method"],
        "实地暗访/电话调研 …",
    ),
    opt("角色", &["暗访角色", "测评角色", "role"], "申请人/旁观者"),
    req("评估日期", &["测评日期", "日期", "assessed_on"], DATE_FMT),
    opt("部门", DEPARTMENT, "部门全称"),
    opt("行政区划", REGION, REGION_FMT),
    opt(
        "评估指标",
        &["指标", "indicator"],
        "窗口不规范行为/服务完备度/服务成熟度/服务满意度/服务舒适度/延时服务/帮办代办/一件事一次办",
    ),
    opt("得分", &["score"], "数字"),
    opt("满分", &["full_score"], "数字"),
    opt(
        "发现问题",
        &["意见建议", "问题描述", "评估发现", "finding"],
        "文本；只填得分的指标打分行可留空",
    ),
    opt("整改措施", &["整改情况", "回应", "response"], "文本"),
];

pub(crate) fn assessment(c: &mut RowCtx<'_>) -> Option<AssessmentRecord> {
    let finding_no = c.req_code(0);
    let project = c.req_text(1);
    let assessor = c.text(2);
    let method = c.req_text(3);
    let role = c.text(4);
    let assessed_on = c.req_date(5);
    let department = c.text(6);
    let region = c.region(7);
    let indicator = c.text(8);
    let score = c.number(9);
    let full_score = c.number(10);
    // A row scoring an indicator needs no finding text; any other row is a finding.
    let finding = match (c.text(11), score) {
        (Some(f), _) => Some(f),
        (None, Some(_)) => Some(String::new()),
        (None, None) => {
            c.fail(
                11,
                "缺少发现问题：没有得分的行必须填写发现问题（只打分的行请填写得分）",
            );
            None
        }
    };
    let response = c.text(12);
    if let (Some(s), Some(f)) = (score, full_score)
        && s > f
    {
        c.fail(9, format!("得分 {s} 高于满分 {f}"));
    }
    Some(AssessmentRecord {
        finding_no: finding_no?,
        project: project?,
        assessor,
        method: method?,
        role,
        assessed_on: assessed_on?,
        department,
        region,
        indicator,
        score,
        full_score,
        finding: finding?,
        response,
    })
}

pub(crate) const STAT_COLUMNS: &[Col] = &[
    req(
        "指标代码",
        &["指标键", "代码", "key"],
        "稳定的英文键，如 msb.registered_users、population",
    ),
    req("指标名称", &["名称", "name"], "文本，如 蒙速办注册人数"),
    req(
        "数值",
        &["值", "value"],
        "数字，可带千分位或 万/亿，如 29.19万",
    ),
    opt("单位", &["unit"], "文本，如 人、次、个"),
    req("数据来源", &["来源", "source"], "文本，如 蒙速办运营平台"),
    opt("行政区划", REGION, REGION_FMT),
    opt("起始日期", &["统计起始日期", "period_from"], DATE_FMT),
    req(
        "截止日期",
        &["统计截止日期", "统计日期", "period_to"],
        DATE_FMT,
    ),
];

pub(crate) fn reported_stat(c: &mut RowCtx<'_>) -> Option<ReportedStatRecord> {
    let key = c.req_code(0);
    let name = c.req_text(1);
    let value = c.req_number(2);
    let unit = c.text(3);
    let source = c.req_text(4);
    let region = c.region(5);
    let period_from = c.date(6);
    let period_to = c.req_date(7);
    if let (Some(f), Some(t)) = (period_from, period_to)
        && f > t
    {
        c.fail(6, "起始日期晚于截止日期");
    }
    Some(ReportedStatRecord {
        key: key?,
        name: name?,
        value: value?,
        unit,
        source: source?,
        region,
        period_from,
        period_to: period_to?,
    })
}
