//! The annual report model: every figure the report prints, with the raw counts and exact
//! ratio behind it. Renderer-neutral: Markdown, JSON, and later DOCX/HTML, the monthly
//! bulletin and indicator tables all read this one structure.

use jianping_core::catalog::UnitCounts;
use jianping_core::hotline_kpi::{GroupKpis, HotlineKpis};
use jianping_core::{
    Grade, GradeSets, Period, QualityWarning, Rate, RatePolicy, RatingSummary, RegionCode,
    ReportTier,
};
use serde::{Deserialize, Serialize};

/// A count and the way the report prints it ("25.6万", "7000余", "98%以上").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    pub value: u64,
    pub printed: String,
}

/// A figure at the start and at the end of the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change<T> {
    pub before: T,
    pub after: T,
    /// `up`, `down` or `same`.
    pub direction: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionRef {
    pub code: RegionCode,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualReport {
    /// "乌海市2023年政务服务监督评价报告".
    pub title: String,
    pub city: RegionRef,
    /// The year of the period's end.
    pub year: i32,
    pub period: Period,
    /// "1月1日—10月31日".
    pub period_label: String,
    /// "10月31日", for "截至10月31日".
    pub as_of_label: String,
    /// The period starts on 1 January ("今年以来", "2023年至今").
    pub from_year_start: bool,
    pub policy: RatePolicy,
    pub grade_sets: GradeSets,
    pub system: SystemSection,
    /// Section 一's indicator table and results (docs/indicators.md).
    pub indicators: crate::indicator_views::IndicatorSection,
    pub basics: BasicsSection,
    pub hotline: HotlineSection,
    pub ratings: RatingsSection,
    pub supervisors: SupervisorSection,
    pub qr: QrSection,
    pub assessment: AssessmentSection,
    /// The problems the report names, one by one, with their ledger state.
    pub rectification: RectificationSection,
    /// 八、热点问题: what the period's complaints are about.
    #[serde(default)]
    pub topics: crate::topics::TopicSection,
    /// Data-quality findings, listed in the appendix.
    pub warnings: Vec<QualityWarning>,
    /// 数据可信度: the suspicious-rating audit of the period (appendix).
    #[serde(default)]
    pub credibility: crate::credibility::Credibility,
}

/// 一、评估体系.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemSection {
    pub indicators: Vec<String>,
    /// The supervision channels that have data in the period.
    pub channels: Vec<ChannelRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRef {
    /// `hotline`, `ratings`, `supervisors`, `qr`, `assessment`.
    pub key: String,
    pub name: String,
}

/// 二、政务服务基本情况.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasicsSection {
    pub center: Option<CenterFigures>,
    pub cases: CaseFigures,
    pub catalog: CatalogFigures,
    pub mobile: Option<MobileFigures>,
    pub extended: ExtendedFigures,
    pub cert_free: CertFreeFigures,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CenterFigures {
    pub name: String,
    /// Windows of kind 综合受理 in the centre.
    pub comprehensive_windows: u64,
    /// Active staff assigned to the centre.
    pub staff: u64,
    /// Distinct departments of the matters the centre accepts.
    pub departments: u64,
    pub matters: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseFigures {
    /// Cases accepted in the period, all regions, printed in 万.
    pub accepted: Quantity,
    /// Of those, completed by the end of the period; 办结率 at one decimal.
    pub completion_rate: Rate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogFigures {
    /// Deduplicated units at the period's end (区级事项不重复统计).
    pub units: u64,
    /// Distinct 系统 over those units.
    pub sectors: u64,
    pub online_full: Change<u64>,
    pub compression: Change<Compression>,
    pub scenario: Rate,
    pub instant: Rate,
    pub e_license: Rate,
    pub cert_free: Rate,
    /// The raw unit counts at the period's start and end.
    pub at_start: UnitCounts,
    pub at_end: UnitCounts,
}

/// 承诺时限对比法定时限平均压缩率 and the units it was computed over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compression {
    pub rate: Rate,
    pub counted: u64,
    pub no_legal_limit: u64,
    pub no_promised_limit: u64,
    pub promised_over_legal: u64,
    pub exact: bool,
}

/// The mobile platform's figures, reported by that platform (not computed here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MobileFigures {
    /// The platform's name, from the figures' source (e.g. 蒙速办).
    pub app_name: String,
    pub featured_apps: Option<u64>,
    pub mini_programs: Option<u64>,
    /// In 万 with two decimals.
    pub registered_users: Option<Quantity>,
    /// Registered users over the reported population; one decimal.
    pub population_share: Option<Rate>,
    /// In 万 with no decimals.
    pub visits: Option<Quantity>,
    /// The reported figures used, with their sources and periods.
    pub sources: Vec<ReportedFigure>,
}

/// A figure another platform reported, as used by the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportedFigure {
    pub key: String,
    pub name: String,
    pub value: f64,
    pub unit: Option<String>,
    pub source: String,
    /// Empty when the figure is not tied to a region.
    pub region_code: String,
    pub period_from: Option<String>,
    pub period_to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtendedFigures {
    /// Halls offering 预约延时服务.
    pub halls: u64,
    /// Matter instances (all levels) eligible for extended hours at the period's end.
    pub matters: u64,
    /// `matters` over all matter instances, printed as a whole-percent floor ("98%以上").
    pub matter_share: FloorShare,
    pub windows: u64,
    /// Cases in the period handled in extended hours ("7000余").
    pub cases: Quantity,
    /// The district with the most extended-hours cases.
    pub highlight: Option<DistrictExtended>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FloorShare {
    pub numerator: u64,
    pub denominator: u64,
    pub printed: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictExtended {
    pub district: RegionRef,
    pub matters: u64,
    pub windows: u64,
    pub cases: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertFreeFigures {
    /// City-level matter instances that need no certificate.
    pub city_level: u64,
    /// Per district subtree, in code order.
    pub districts: Vec<DistrictCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictCount {
    pub district: RegionRef,
    pub count: u64,
}

/// 三、12345政务服务热线.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotlineSection {
    /// The service centre the tickets were addressed to, when there is one.
    pub recipient: Option<String>,
    /// 受理量.
    pub received: u64,
    /// Tickets handled by 转办 (the rest were answered directly).
    pub transferred: u64,
    pub by_kind: Vec<GroupKpis>,
    pub by_source: Vec<GroupKpis>,
    pub by_mode: Vec<GroupKpis>,
    pub kpis: HotlineKpis,
    /// Where the period's tickets on the rectification ledger (投诉、举报 by default) stand.
    #[serde(default)]
    pub rectification: Rectification,
}

/// 四、政务服务"好差评".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingsSection {
    pub overall: RatingSummary,
    pub tiers: Vec<TierFigures>,
    /// Counts of the bad grades, in grade order, including zeros.
    pub bad_counts: Vec<GradeCount>,
    pub bad: Vec<BadRatingItem>,
    /// Bad ratings per department, most first (ties by name).
    pub bad_departments: Vec<NamedCount>,
    pub rectification: Rectification,
    /// 实名差评回访率 and 差评整改率, as the ledger stands now.
    #[serde(default)]
    pub followup: crate::followup::BadFollowup,
    /// Ratings an upheld appeal (申诉成立) took out of the statistics.
    #[serde(default)]
    pub excluded: Vec<crate::followup::ExcludedItem>,
    /// `excluded` per department, for long lists.
    #[serde(default)]
    pub excluded_departments: Vec<NamedCount>,
    /// Ratings per calendar month of the period, in month order.
    pub monthly: Vec<MonthRatings>,
    /// Departments ranked by their ratings (until the indicator system ranks them).
    pub departments: Ranking,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedCount {
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierFigures {
    pub tier: ReportTier,
    pub name: String,
    pub share: Rate,
    pub summary: RatingSummary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeCount {
    pub grade: Grade,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRatingItem {
    pub rating_no: String,
    pub rated_at: String,
    pub grade: Grade,
    pub department: String,
    pub region: String,
    pub matter: Option<String>,
    /// The citizen's comment with personal data masked and the final stop removed, so it
    /// reads as a clause ("未向办事群众提供材料样本").
    pub comment: Option<String>,
    pub ledger: Option<LedgerState>,
}

/// A ledger item's state as the report states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerState {
    pub item_no: String,
    /// `unclaimed`, `claimed`, `rectified`, `closed`, `returned`.
    pub state: String,
    /// 待认领 / 整改中 / 已整改(待核验) / 已办结(销号) / 退回(待重新分派).
    pub state_name: String,
    pub department: Option<String>,
    pub closed_at: Option<String>,
    pub fed_back: bool,
}

/// Where the problems a section names stand in the ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rectification {
    pub total: u64,
    pub in_ledger: u64,
    /// Closed (销号).
    pub closed: u64,
    /// Rectified, awaiting verification.
    pub rectified: u64,
    /// Unclaimed, claimed or returned.
    pub in_progress: u64,
    pub not_in_ledger: u64,
    /// Every problem has a ledger item and every item is closed (false when there are none).
    pub all_closed: bool,
    /// Every problem's ledger item records feedback to whoever raised it.
    pub all_fed_back: bool,
    /// Departments of the problems not yet closed, in order of first appearance.
    pub open_departments: Vec<String>,
}

/// 五、政务服务监督员.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupervisorSection {
    /// Supervisors in office during the period.
    pub count: u64,
    /// Their categories, in order of first appointment.
    pub categories: Vec<String>,
    /// The years of the earliest and the latest appointment among them.
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    /// Feedback items received in the period.
    pub feedback: u64,
    /// How the feedback was collected (座谈交流, 实地办理 …), in order of first appearance.
    pub methods: Vec<String>,
    pub by_category: Vec<FeedbackCategory>,
    pub rectification: Rectification,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackCategory {
    pub category: String,
    pub items: Vec<FeedbackItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackItem {
    pub feedback_no: String,
    pub content: String,
    pub department: Option<String>,
    pub ledger: Option<LedgerState>,
}

/// 六、"码"上监督.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QrSection {
    pub received: u64,
    /// Closed by the end of the period.
    pub closed: u64,
    /// The domain reported on one by one (政务服务).
    pub domain: String,
    pub in_domain: Vec<QrItem>,
    /// The handling text, when every report in the domain has the same one.
    pub common_handling: Option<String>,
    pub rectification: Rectification,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrItem {
    pub report_no: String,
    pub received_at: String,
    pub department: Option<String>,
    /// Masked.
    pub content: String,
    pub handling: Option<String>,
    pub closed: bool,
    pub ledger: Option<LedgerState>,
}

/// 七、第三方政务服务评估.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentSection {
    pub projects: Vec<String>,
    pub assessors: Vec<String>,
    /// 实地暗访, 电话调研 …
    pub methods: Vec<String>,
    /// 申请人, 旁观者 …
    pub roles: Vec<String>,
    pub findings: Vec<FindingItem>,
    /// Every finding has a response.
    pub all_responded: bool,
    /// Per-indicator score rows (not findings): what the assessment scored.
    pub scores: Vec<AssessmentScore>,
}

/// The score rows of one indicator: how many departments were scored and the mean rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentScore {
    pub indicator: String,
    pub rows: u64,
    pub departments: u64,
    /// Mean of score / full score over the rows, "91.2%".
    pub mean: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingItem {
    pub finding_no: String,
    pub finding: String,
    pub response: Option<String>,
    pub department: Option<String>,
    pub indicator: Option<String>,
    pub score: Option<f64>,
    pub full_score: Option<f64>,
    pub ledger: Option<LedgerState>,
}

/// One month of ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthRatings {
    /// `2023-01`.
    pub month: String,
    /// "1月", or "2023年1月" when the period spans years.
    pub label: String,
    pub summary: RatingSummary,
}

/// A ranked list of named rows with figures, e.g. departments by rating count. Renderers
/// draw the table and a bar chart of the first column, whatever the ranking is of.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// "部门“好差评”评价数量排名".
    pub title: String,
    /// What the rows are ("部门").
    pub subject: String,
    /// How the rows are ordered and what the figures mean; printed under the table.
    pub basis: String,
    pub columns: Vec<RankingColumn>,
    pub rows: Vec<RankingRow>,
    /// How many were ranked; `rows` may hold only the first of them.
    pub ranked: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankingColumn {
    /// "评价数（条）", "满意率".
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankingRow {
    pub rank: u64,
    pub name: String,
    /// One per column.
    pub figures: Vec<Figure>,
}

/// A number as printed and as a value; `percent` figures carry the fraction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub printed: String,
    pub value: f64,
    pub percent: bool,
    /// Decimals shown (of the percentage when `percent`).
    pub decimals: u8,
}

/// The problems named by sections 四 to 七, one list, with where each stands in the ledger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RectificationSection {
    pub items: Vec<RectificationItem>,
    pub overall: Rectification,
    /// Per source, in the report's order, sources without items left out.
    pub by_source: Vec<SourceRectification>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationItem {
    /// 好差评 / 监督员意见 / “码”上监督 / 第三方评估.
    pub source: String,
    /// The problem as the report states it, personal data masked.
    pub problem: String,
    pub department: Option<String>,
    pub ledger: Option<LedgerState>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceRectification {
    pub source: String,
    pub rectification: Rectification,
}
