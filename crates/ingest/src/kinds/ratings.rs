//! 好差评: the minimum contract of the foundation issue, plus the names real exports use.

use super::common::*;
use crate::header::{Col, opt, req};
use crate::row::RowCtx;
use jianping_core::records::RatingRecord;
use jianping_core::time::fmt_ts;
use jianping_core::{Channel, Grade};
use sha2::{Digest, Sha256};

pub(crate) const COLUMNS: &[Col] = &[
    opt(
        "评价编号",
        &["评价编码", "评价ID", "评价流水号", "rating_no", "rating id"],
        "文本；为空时按内容生成（见下文）",
    ),
    opt(
        "办件编号",
        &[
            "办件编码",
            "办件号",
            "办件流水号",
            "申办流水号",
            "受理编号",
            "case_no",
        ],
        "文本",
    ),
    opt(
        "事项编码",
        &["实施编码", "事项实施编码", "matter_code"],
        "文本（实施编码）",
    ),
    opt("事项名称", &["matter_name", "matter"], "文本"),
    req("部门", DEPARTMENT, "部门全称"),
    opt("窗口", WINDOW, "窗口名称或窗口编码"),
    opt(
        "工作人员",
        &["经办人", "受理人", "办理人员", "staff"],
        "姓名",
    ),
    req("行政区划", REGION, REGION_FMT),
    req(
        "评价渠道",
        &["渠道", "评价方式", "评价来源", "channel"],
        "PC端/移动服务端/二维码/政务大厅平板电脑/政务大厅其他终端/电话/短信/系统默认评价（或代码 1–8）",
    ),
    req(
        "满意度",
        &["评价等级", "评价结果", "满意程度", "整体满意度", "grade"],
        "非常满意/满意/基本满意/不满意/非常不满意，或按 --grade-codes 解释的 1–5",
    ),
    req("评价时间", &["评价日期", "rated_at", "time"], TIME_FMT),
    opt(
        "评价次数",
        &["评价类型", "首评追评", "attempt"],
        "1 或 首评（默认）、2 或 追评",
    ),
    opt("评价标签", &["标签", "tags"], "文本"),
    opt(
        "文字评价",
        &["评价内容", "评价意见", "评价描述", "comment"],
        "文本",
    ),
    opt(
        "评价人",
        &["评价人姓名", "办事人", "rater", "rater_name"],
        "姓名",
    ),
    opt(
        "联系电话",
        &["评价人电话", "手机号", "手机号码", "rater_phone", "phone"],
        "文本",
    ),
    opt(
        "设备编号",
        &[
            "设备号",
            "设备ID",
            "设备编码",
            "终端编号",
            "评价器编号",
            "device",
            "device_id",
        ],
        "文本（平板、评价器、自助终端的编号）",
    ),
    opt(
        "IP地址",
        &[
            "IP",
            "来源IP",
            "客户端IP",
            "评价IP",
            "address",
            "ip_address",
        ],
        "文本（网页、移动端、扫码评价的来源地址）",
    ),
    opt(
        "评价人账号",
        &["用户账号", "评价账号", "用户ID", "account", "user_id"],
        "文本（提交评价的账号）",
    ),
];

const NO: usize = 0;
const CASE: usize = 1;
const MATTER_CODE: usize = 2;
const MATTER_NAME: usize = 3;
const DEPT: usize = 4;
const WINDOW_C: usize = 5;
const STAFF: usize = 6;
const REGION_C: usize = 7;
const CHANNEL: usize = 8;
const GRADE: usize = 9;
const RATED_AT: usize = 10;
const ATTEMPT: usize = 11;
const TAGS: usize = 12;
const COMMENT: usize = 13;
const RATER: usize = 14;
const RATER_PHONE: usize = 15;
const DEVICE: usize = 16;
const ADDRESS: usize = 17;
const ACCOUNT: usize = 18;

fn parse_attempt(t: &str) -> Result<u8, String> {
    match t.trim() {
        "1" | "1.0" | "首评" | "首次评价" | "初评" => Ok(1),
        "2" | "2.0" | "追评" | "追加评价" | "二次评价" => Ok(2),
        other => Err(format!(
            "无法识别的评价次数「{other}」，应为 1（首评）或 2（追评）"
        )),
    }
}

pub(crate) fn parse(c: &mut RowCtx<'_>) -> Option<RatingRecord> {
    let codes = c.opts.grade_codes;
    let rating_no = c.code(NO);
    let case_no = c.code(CASE);
    let matter_code = c.code(MATTER_CODE);
    let matter_name = c.text(MATTER_NAME);
    let department = c.req_text(DEPT);
    let window = c.code(WINDOW_C);
    let staff = c.text(STAFF);
    let region = c.req_region(REGION_C);
    let channel = c.req_parse(CHANNEL, Channel::parse);
    let grade = c.req_parse(GRADE, |t| Grade::parse(t, codes));
    let rated_at = c.req_datetime(RATED_AT);
    let attempt = c.parse(ATTEMPT, parse_attempt).unwrap_or(1);
    let tags = c.text(TAGS);
    let comment = c.text(COMMENT);
    let rater_name = c.text(RATER);
    let rater_phone = c.code(RATER_PHONE);
    let device = c.code(DEVICE);
    let address = c.code(ADDRESS);
    let account = c.code(ACCOUNT);
    let (Some(department), Some(region), Some(channel), Some(grade), Some(rated_at)) =
        (department, region, channel, grade, rated_at)
    else {
        return None;
    };
    let mut r = RatingRecord {
        rating_no: rating_no.unwrap_or_default(),
        case_no,
        matter_code,
        matter_name,
        department,
        window,
        staff,
        region,
        channel,
        grade,
        rated_at,
        attempt,
        tags,
        comment,
        rater_name,
        rater_phone,
        device,
        address,
        account,
    };
    if r.rating_no.is_empty() {
        r.rating_no = derived_rating_no(&r);
    }
    Some(r)
}

/// The key of a rating exported without a 评价编号: `H` followed by the first 32 hex digits
/// (128 bits) of the SHA-256 of its parsed content. Parsed values are hashed (the time as
/// `YYYY-MM-DD HH:MM:SS`, grade and channel as codes), so the same rating exported again, in
/// another date format or grade order, gets the same key; two rows identical in every field
/// are one rating. Where the rating was submitted from (device, address, account) is left
/// out: it describes the submission, not the rating, and an export that adds those columns
/// must not turn old ratings into new ones.
pub fn derived_rating_no(r: &RatingRecord) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let parts = [
        "v1".to_string(),
        opt(&r.case_no),
        opt(&r.matter_code),
        opt(&r.matter_name),
        r.department.clone(),
        opt(&r.window),
        opt(&r.staff),
        r.region.to_string(),
        r.channel.code().to_string(),
        r.grade.code().to_string(),
        fmt_ts(&r.rated_at),
        r.attempt.to_string(),
        opt(&r.tags),
        opt(&r.comment),
        opt(&r.rater_name),
        opt(&r.rater_phone),
    ];
    // The unit separator cannot occur in a trimmed cell, so fields cannot run together.
    let digest = Sha256::digest(parts.join("\u{1f}").as_bytes());
    format!("H{}", &crate::hex(&digest)[..32])
}
