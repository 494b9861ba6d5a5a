//! Typed records, one per kind of source data. Importers and the demo generator produce
//! them; the store consumes them. A record that exists has passed validation.

use crate::channel::Channel;
use crate::grade::Grade;
use crate::hotline::{HandlingMode, Response, TicketKind, TicketSource};
use crate::region::RegionCode;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionRecord {
    pub code: RegionCode,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentRecord {
    pub name: String,
    pub code: Option<String>,
    pub region: Option<RegionCode>,
    /// 系统: the line of government the department belongs to (人力资源和社会保障, 公安 …),
    /// shared by the city bureau and its district counterparts.
    pub sector: Option<String>,
    pub short_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HallRecord {
    pub code: Option<String>,
    pub name: String,
    pub region: RegionCode,
    /// 政务服务中心 / 政务服务分中心 / 便民服务中心 / 便民服务站 …
    pub kind: Option<String>,
    /// Offers 预约延时服务.
    pub extended_hours: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowRecord {
    pub code: Option<String>,
    pub name: String,
    pub hall: Option<String>,
    pub region: RegionCode,
    pub department: Option<String>,
    /// 综合受理 / 专业 / 帮办代办 / "办不成事"反映 …
    pub kind: Option<String>,
    pub extended_hours: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffRecord {
    pub code: Option<String>,
    pub name: String,
    pub department: Option<String>,
    pub hall: Option<String>,
    pub window: Option<String>,
    pub region: Option<RegionCode>,
    pub active: bool,
    /// 联系电话: a rating from this number is a self-rating (`jianping audit ratings`).
    #[serde(default)]
    pub phone: Option<String>,
    /// 评价系统账号: the staff member's own account on the rating platform.
    #[serde(default)]
    pub account: Option<String>,
}

/// One 事项 as implemented by one body (实施清单), in the state it had from `as_of` on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatterRecord {
    /// 实施编码: unique per implementing body.
    pub code: String,
    /// 基本编码: shared by the same matter in different districts, used to count district
    /// matters once.
    pub base_code: Option<String>,
    pub name: String,
    pub department: String,
    pub region: RegionCode,
    /// 进驻大厅: the hall that can accept it.
    pub hall: Option<String>,
    pub as_of: NaiveDate,
    pub legal_limit_days: Option<u32>,
    pub promised_limit_days: Option<u32>,
    /// 全程网办.
    pub online_full: bool,
    /// 即办件.
    pub instant: bool,
    /// 情形化.
    pub scenario: bool,
    /// 电子证照关联.
    pub e_license: bool,
    /// 免证办.
    pub cert_free: bool,
    /// 延时服务 eligibility.
    pub extended_hours: bool,
}

/// 办件.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseRecord {
    pub case_no: String,
    pub matter_code: Option<String>,
    pub matter_name: Option<String>,
    pub department: String,
    pub region: RegionCode,
    pub window: Option<String>,
    pub accepted_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
    /// 帮办代办.
    pub assisted: bool,
    /// Handled in extended hours (延时服务).
    pub extended: bool,
    /// 一件事一次办 package name.
    pub package: Option<String>,
}

/// 好差评.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingRecord {
    pub rating_no: String,
    pub case_no: Option<String>,
    pub matter_code: Option<String>,
    pub matter_name: Option<String>,
    pub department: String,
    pub window: Option<String>,
    pub staff: Option<String>,
    pub region: RegionCode,
    pub channel: Channel,
    pub grade: Grade,
    pub rated_at: NaiveDateTime,
    /// 1 = 首评, 2 = 追评.
    pub attempt: u8,
    pub tags: Option<String>,
    pub comment: Option<String>,
    pub rater_name: Option<String>,
    pub rater_phone: Option<String>,
    /// 设备编号: the pad, kiosk or terminal that took the rating.
    #[serde(default)]
    pub device: Option<String>,
    /// IP地址: where a web, app or QR-page rating was submitted from.
    #[serde(default)]
    pub address: Option<String>,
    /// 评价人账号: the account that submitted the rating.
    #[serde(default)]
    pub account: Option<String>,
}

impl RatingRecord {
    /// What a rating must satisfy to be stored one by one (the intake: pads, QR pages, the
    /// provincial platform), beyond what its types guarantee (grade, channel, region, time).
    pub fn validate(&self) -> Result<(), String> {
        let r = self;
        let no = r.rating_no.trim();
        if no.is_empty() {
            return Err("评价编号为空：每条评价须有唯一的评价编号".into());
        }
        if no.chars().count() > 64 || no.chars().any(char::is_control) {
            return Err(format!(
                "评价编号「{}」无效：最长64个字符，不能含控制字符",
                no.chars().take(64).collect::<String>()
            ));
        }
        if r.department.trim().is_empty() {
            return Err(format!("评价 {no} 缺少部门"));
        }
        if !(1..=2).contains(&r.attempt) {
            return Err(format!(
                "评价 {no} 的评价次数为 {}：只能是 1（首评）或 2（追评）",
                r.attempt
            ));
        }
        let tomorrow = chrono::Local::now().naive_local() + chrono::Duration::days(1);
        if r.rated_at > tomorrow {
            return Err(format!(
                "评价 {no} 的评价时间 {} 晚于当前时间，请检查评价设备的时钟",
                crate::time::fmt_ts(&r.rated_at)
            ));
        }
        let too_long =
            |s: &Option<String>, max: usize| s.as_ref().is_some_and(|t| t.chars().count() > max);
        if too_long(&r.comment, 2000) || too_long(&r.tags, 500) {
            return Err(format!("评价 {no} 的文字评价或标签过长（上限2000/500字）"));
        }
        for (name, v) in [
            ("设备编号", &r.device),
            ("IP地址", &r.address),
            ("评价人账号", &r.account),
        ] {
            if too_long(v, 128) || v.as_ref().is_some_and(|t| t.chars().any(char::is_control)) {
                return Err(format!(
                    "评价 {no} 的{name}无效：最长128个字符，不能含控制字符"
                ));
            }
        }
        Ok(())
    }
}

/// 12345 work order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketRecord {
    pub ticket_no: String,
    pub kind: TicketKind,
    pub source: TicketSource,
    pub mode: HandlingMode,
    pub department: Option<String>,
    pub content: Option<String>,
    pub received_at: NaiveDateTime,
    /// 办理时限.
    pub due_at: Option<NaiveDateTime>,
    /// 办结时间.
    pub closed_at: Option<NaiveDateTime>,
    /// 是否解决.
    pub resolved: Option<bool>,
    pub revisited_at: Option<NaiveDateTime>,
    pub revisit_result: Option<Response>,
    pub citizen_name: Option<String>,
    pub citizen_phone: Option<String>,
}

/// 政务服务监督员.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupervisorRecord {
    pub code: String,
    pub name: String,
    /// 党代表 / 人大代表 / 政协委员 / 企业家代表 / 个体工商户代表 …
    pub category: String,
    pub unit: Option<String>,
    pub phone: Option<String>,
    pub appointed_on: NaiveDate,
    pub term_end: Option<NaiveDate>,
}

/// An item of supervisor feedback (意见建议).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackRecord {
    pub feedback_no: String,
    /// Supervisor code or name.
    pub supervisor: String,
    pub received_on: NaiveDate,
    /// 便民服务 / 事项办理体验 / 服务指引 / 移动端和网站建设 …
    pub category: String,
    /// 座谈交流 / 实地办理 / 走访调研 …
    pub method: Option<String>,
    pub content: String,
    pub department: Option<String>,
    pub region: Option<RegionCode>,
}

/// A "码"上监督 complaint filed by scanning a QR code at a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QrReportRecord {
    pub report_no: String,
    pub received_at: NaiveDateTime,
    /// 政务服务 / 重点项目投资建设 / … : the area the complaint concerns.
    pub domain: String,
    pub region: Option<RegionCode>,
    pub window: Option<String>,
    pub department: Option<String>,
    pub content: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    /// 办理情况.
    pub handling: Option<String>,
}

/// A finding of a third-party assessment (mystery shopping, phone survey …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentRecord {
    pub finding_no: String,
    /// The assessment project or batch, e.g. "2023年度第三方政务服务评估".
    pub project: String,
    pub assessor: Option<String>,
    /// 实地暗访 / 电话调研 …
    pub method: String,
    /// 申请人 / 旁观者.
    pub role: Option<String>,
    pub assessed_on: NaiveDate,
    pub department: Option<String>,
    pub region: Option<RegionCode>,
    /// One of the indicator names, when the finding scores an indicator.
    pub indicator: Option<String>,
    pub score: Option<f64>,
    pub full_score: Option<f64>,
    pub finding: String,
    /// The bureau's response (整改措施).
    pub response: Option<String>,
}

/// A figure reported by another platform, kept with its source and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportedStatRecord {
    /// Stable key such as `msb.registered_users`.
    pub key: String,
    pub name: String,
    pub value: f64,
    pub unit: Option<String>,
    pub source: String,
    pub region: Option<RegionCode>,
    pub period_from: Option<NaiveDate>,
    pub period_to: NaiveDate,
}
