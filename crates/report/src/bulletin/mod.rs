//! The monthly bulletin (月度通报) of 政务服务"好差评" and rectification: per department
//! counts and rates, every bad rating with its rectification state, overdue and 预警 items,
//! the month's ledger movement and a ranking of departments. Built from the store like the
//! annual report (ratings from the rollups, the ledger from its events), renderer-neutral:
//! Markdown and JSON here; DOCX/HTML/XLSX converters read the same model and its
//! [`BulletinReport::tables`]. See `docs/bulletin.md`.

mod build;
pub mod document;
pub mod ranking;
pub mod render;
mod tables;

pub use build::build_bulletin;
pub use ranking::{DepartmentScore, DepartmentScores, RankingMethod};
pub use tables::BulletinTable;

use crate::followup::{BadFollowup, ExcludedItem};
use crate::model::{GradeCount, NamedCount, Rectification, RegionRef};
use chrono::NaiveDate;
use jianping_core::{
    Grade, GradeSets, Period, QualityWarning, Rate, RatePolicy, RatingSummary, RegionCode,
};
use serde::{Deserialize, Serialize};

/// Departments with fewer ratings than this are marked 数据不足 instead of ranked.
pub const DEFAULT_MIN_RATINGS: u64 = 30;

/// Bad ratings named one by one in the text; beyond this the text counts them per
/// department and the annex lists them all.
pub const LISTED_IN_TEXT: usize = 10;

/// What the bulletin builder needs besides the data.
#[derive(Debug, Clone, PartialEq)]
pub struct BulletinSettings {
    pub policy: RatePolicy,
    pub grade_sets: GradeSets,
    /// The city; by default the one city-level region in the store.
    pub city: Option<RegionCode>,
    /// The day the ledger is read as of (states, overdue and 预警); by default the period's
    /// last day. The CLI passes the earlier of that and today.
    pub as_of: Option<NaiveDate>,
    /// Departments with fewer ratings are marked 数据不足 rather than ranked.
    pub min_ratings: u64,
    pub ranking: RankingMethod,
    /// Thresholds of the suspicious-rating audit.
    pub audit: jianping_core::audit::AuditRules,
}

impl Default for BulletinSettings {
    fn default() -> Self {
        BulletinSettings {
            policy: RatePolicy::default(),
            grade_sets: GradeSets::default(),
            city: None,
            as_of: None,
            min_ratings: DEFAULT_MIN_RATINGS,
            ranking: RankingMethod::Default,
            audit: jianping_core::audit::AuditRules::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulletinReport {
    /// "乌海市2023年10月政务服务“好差评”及问题整改情况通报".
    pub title: String,
    pub city: RegionRef,
    pub period: Period,
    /// "2023年10月" for a calendar month, else "2023年10月1日—10月15日".
    pub period_label: String,
    /// The period is one calendar month ("本月"; otherwise "本期").
    pub whole_month: bool,
    pub as_of: NaiveDate,
    /// "10月31日" (with the year when it differs from the period's).
    pub as_of_label: String,
    pub policy: RatePolicy,
    pub grade_sets: GradeSets,
    pub ratings: BulletinRatings,
    pub bad: BadSection,
    pub ledger: LedgerSection,
    pub ranking: Ranking,
    /// 热点问题 of the period against the one before (上月).
    #[serde(default)]
    pub topics: crate::topics::TopicSection,
    /// 数据可信度: the suspicious-rating audit of the period (one paragraph).
    #[serde(default)]
    pub credibility: crate::credibility::Credibility,
    /// Data-quality findings, listed in the appendix.
    pub warnings: Vec<QualityWarning>,
}

/// 一、"好差评"总体情况 and the department table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulletinRatings {
    pub overall: RatingSummary,
    /// Counts of the bad grades, in grade order, including zeros.
    pub bad_counts: Vec<GradeCount>,
    /// Every department rated in the period, most ratings first (ties by name).
    pub departments: Vec<DepartmentFigures>,
    /// 实名差评回访率 and 差评整改率 for the whole city, as of the bulletin's day.
    pub followup: BadFollowup,
    /// Ratings of the period an upheld appeal took out of the statistics.
    pub excluded: Vec<ExcludedItem>,
    pub excluded_departments: Vec<NamedCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentFigures {
    pub department: String,
    pub summary: RatingSummary,
    pub followup: BadFollowup,
}

/// 二、差评及整改情况.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadSection {
    /// Every bad rating of the period in the city, oldest first.
    pub items: Vec<BulletinBadRating>,
    /// Bad ratings per department, most first (ties by name).
    pub by_department: Vec<NamedCount>,
    /// Where their ledger items stood on the bulletin's day.
    pub rectification: Rectification,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulletinBadRating {
    pub rating_no: String,
    pub rated_at: String,
    /// "10月10日".
    pub rated_on_label: String,
    pub grade: Grade,
    pub department: String,
    pub matter: Option<String>,
    /// The citizen's comment, personal data masked, final stop removed.
    pub comment: Option<String>,
    /// Whether the rater left a name or phone (实名差评).
    pub named: bool,
    pub ledger: Option<ItemStatus>,
}

/// A ledger item as it stood on the bulletin's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemStatus {
    pub item_no: String,
    /// `rating`, `ticket`, `feedback`, `qr_report`, `assessment`, `manual`.
    pub source: String,
    /// 好差评差评, 12345工单 …
    pub source_name: String,
    pub source_no: Option<String>,
    pub department: Option<String>,
    /// Masked.
    pub title: String,
    pub raised_at: String,
    /// `unclaimed`, `claimed`, `rectified`, `closed`, `returned`.
    pub state: String,
    /// 整改中, 已办结(销号), 已办结（申诉成立）, with pending requests.
    pub state_name: String,
    pub due_on: Option<String>,
    /// "11月10日".
    pub due_label: Option<String>,
    /// 正常, 预警, 逾期, 按期整改, 超期整改, —.
    pub deadline: String,
    pub overdue: bool,
    pub warning: bool,
    pub fed_back: bool,
}

/// 三、问题整改台账情况.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerSection {
    /// Per source with items open or registered in the period, in source order.
    pub movement: Vec<MovementRow>,
    pub total: MovementRow,
    /// Open items past due on the bulletin's day, all sources, newest problem first.
    pub overdue: Vec<ItemStatus>,
    /// Open items due on the bulletin's day or the next working day.
    pub warning: Vec<ItemStatus>,
    pub overdue_departments: Vec<NamedCount>,
    pub warning_departments: Vec<NamedCount>,
    /// Departments holding unfinished items (待认领, 整改中, 退回) on the bulletin's day,
    /// most first.
    pub open_departments: Vec<NamedCount>,
}

/// How one source's items moved over the period (counts of items).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovementRow {
    /// Source code, or `total`.
    pub source: String,
    pub name: String,
    pub open_at_start: u64,
    pub new: u64,
    pub closed: u64,
    pub reopened: u64,
    pub open_at_end: u64,
    pub awaiting_check_at_end: u64,
}

/// 四、部门排名.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// `default` or `scores`.
    pub method: String,
    /// The rule as the text states it ("依次按满意率、差评整改率从高到低和评价数从多到少排序").
    pub basis: String,
    /// The score's name when ranked by scores.
    pub score_name: Option<String>,
    pub min_ratings: u64,
    pub entries: Vec<RankEntry>,
    /// Departments not ranked (数据不足), with their ratings, most first.
    pub insufficient: Vec<NamedCount>,
    /// Of those, the ones with enough ratings that the score method left unscored (the
    /// indicator system found too little data).
    #[serde(default)]
    pub unscored: u64,
    /// Ranked departments with rank ≤ 3.
    pub top: Vec<String>,
    /// Ranked departments whose 满意率 is below the city's, in rank order.
    pub below_average: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankEntry {
    /// 1-based; departments that tie share a rank (1, 2, 2, 4).
    pub rank: u64,
    pub department: String,
    pub ratings: u64,
    pub satisfied_rate: Rate,
    pub rectification_rate: Rate,
    /// The score it was ranked by (indicator system), as printed.
    pub score: Option<String>,
}
