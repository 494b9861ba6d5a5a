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
