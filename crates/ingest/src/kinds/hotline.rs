//! 12345 work orders: the minimum contract of the foundation issue.

use super::common::*;
use crate::header::{Col, opt, req};
use crate::row::RowCtx;
use jianping_core::records::TicketRecord;
use jianping_core::{HandlingMode, Response, TicketKind, TicketSource};

pub(crate) const COLUMNS: &[Col] = &[
    req(
        "工单编号",
        &["工单号", "工单编码", "受理编号", "ticket_no", "ticket"],
        "文本",
    ),
    req(
        "诉求类型",
        &["工单类型", "诉求分类", "类型", "kind", "type"],
        "咨询/求助/投诉/举报/建议/表扬（感谢）/其他",
    ),
    opt(
        "来源渠道",
        &["来源", "受理渠道", "渠道", "source"],
        "电话/网站/微信/微博/APP/省平台交办/监督员上报/领导交办/部门转办/来访/其他；空为其他",
    ),
    opt("办理方式", &["处理方式", "mode"], "直接答复/转办；空为转办"),
    opt(
        "承办单位",
        &["承办部门", "办理单位", "责任单位", "department"],
        "部门全称",
    ),
    opt(
        "诉求内容",
        &["工单内容", "反映内容", "来电内容", "content"],
        "文本",
    ),
    req(
        "受理时间",
        &["登记时间", "来电时间", "创建时间", "received_at"],
        TIME_FMT,
    ),
    opt(
        "办理时限",
        &["办结时限", "截止时间", "到期时间", "due_at"],
        TIME_FMT,
    ),
    opt("办结时间", &["结案时间", "完成时间", "closed_at"], TIME_FMT),
    opt(
        "是否解决",
        &["解决情况", "是否已解决", "resolved"],
        "是/否（也可写 已解决/未解决）；空为未知",
    ),
    opt("回访时间", &["回访日期", "revisited_at"], TIME_FMT),
    opt(
        "回访结果",
        &["满意度", "回访满意度", "revisit_result"],
        "满意/基本满意/不满意（未联系上 不计为回访）",
    ),
    opt(
        "诉求人",
        &["来电人", "诉求人姓名", "citizen", "citizen_name"],
        "姓名",
    ),
    opt("联系电话", PHONE, "文本"),
];

const NO: usize = 0;
const KIND: usize = 1;
const SOURCE: usize = 2;
const MODE: usize = 3;
const DEPT: usize = 4;
const CONTENT: usize = 5;
const RECEIVED: usize = 6;
const DUE: usize = 7;
const CLOSED: usize = 8;
const RESOLVED: usize = 9;
const REVISITED: usize = 10;
const REVISIT_RESULT: usize = 11;
const CITIZEN: usize = 12;
const PHONE_C: usize = 13;

fn parse_resolved(t: &str) -> Result<bool, String> {
    match t.trim() {
        "已解决" | "解决" => Ok(true),
        "未解决" | "部分解决" => Ok(false),
        other => crate::values::parse_bool(other)
            .map_err(|_| format!("无法识别的是否解决「{other}」，应为 是/否（或 已解决/未解决）")),
    }
}

pub(crate) fn parse(c: &mut RowCtx<'_>) -> Option<TicketRecord> {
    let ticket_no = c.req_code(NO);
    let kind = c.req_parse(KIND, TicketKind::parse);
    let source = c.parse(SOURCE, TicketSource::parse);
    let mode = c.parse(MODE, HandlingMode::parse);
    let department = c.text(DEPT);
    let content = c.text(CONTENT);
    let received_at = c.req_datetime(RECEIVED);
    let due_at = c.datetime(DUE);
    let closed_at = c.datetime(CLOSED);
    let resolved = c.parse(RESOLVED, parse_resolved);
    let revisited_at = c.datetime(REVISITED);
    let revisit_result = c.parse(REVISIT_RESULT, Response::parse);
    let citizen_name = c.text(CITIZEN);
    let citizen_phone = c.code(PHONE_C);
    if let (Some(r), Some(cl)) = (received_at, closed_at)
        && cl < r
    {
        c.fail(CLOSED, "办结时间早于受理时间");
    }
    let (Some(ticket_no), Some(kind), Some(received_at)) = (ticket_no, kind, received_at) else {
        return None;
    };
    Some(TicketRecord {
        ticket_no,
        kind,
        source: source.unwrap_or(TicketSource::Other),
        mode: mode.unwrap_or(HandlingMode::Transfer),
        department,
        content,
        received_at,
        due_at,
        closed_at,
        resolved,
        revisited_at,
        revisit_result,
        citizen_name,
        citizen_phone,
    })
}
