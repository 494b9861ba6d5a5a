//! One module per group of kinds: the columns each kind accepts and how a row becomes a
//! record. [`Batch`] carries a chunk of one kind's records to the caller.

mod catalog;
mod hotline;
mod ratings;
mod supervision;

use crate::Kind;
use crate::header::Col;
use crate::row::RowCtx;
use jianping_core::records::*;

pub use ratings::derived_rating_no;

/// A chunk of records of one kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Batch {
    Ratings(Vec<RatingRecord>),
    Tickets(Vec<TicketRecord>),
    Cases(Vec<CaseRecord>),
    Matters(Vec<MatterRecord>),
    Supervisors(Vec<SupervisorRecord>),
    Feedback(Vec<FeedbackRecord>),
    QrReports(Vec<QrReportRecord>),
    Assessments(Vec<AssessmentRecord>),
    Regions(Vec<RegionRecord>),
    Departments(Vec<DepartmentRecord>),
    Halls(Vec<HallRecord>),
    Windows(Vec<WindowRecord>),
    Staff(Vec<StaffRecord>),
    ReportedStats(Vec<ReportedStatRecord>),
}

impl Batch {
    pub fn new(kind: Kind) -> Batch {
        match kind {
            Kind::Ratings => Batch::Ratings(Vec::new()),
            Kind::Hotline => Batch::Tickets(Vec::new()),
            Kind::Cases => Batch::Cases(Vec::new()),
            Kind::Matters => Batch::Matters(Vec::new()),
            Kind::Supervisors => Batch::Supervisors(Vec::new()),
            Kind::Feedback => Batch::Feedback(Vec::new()),
            Kind::QrReports => Batch::QrReports(Vec::new()),
            Kind::Assessments => Batch::Assessments(Vec::new()),
            Kind::Regions => Batch::Regions(Vec::new()),
            Kind::Departments => Batch::Departments(Vec::new()),
            Kind::Halls => Batch::Halls(Vec::new()),
            Kind::Windows => Batch::Windows(Vec::new()),
            Kind::Staff => Batch::Staff(Vec::new()),
            Kind::ReportedStats => Batch::ReportedStats(Vec::new()),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Batch::Ratings(v) => v.len(),
            Batch::Tickets(v) => v.len(),
            Batch::Cases(v) => v.len(),
            Batch::Matters(v) => v.len(),
            Batch::Supervisors(v) => v.len(),
            Batch::Feedback(v) => v.len(),
            Batch::QrReports(v) => v.len(),
            Batch::Assessments(v) => v.len(),
            Batch::Regions(v) => v.len(),
            Batch::Departments(v) => v.len(),
            Batch::Halls(v) => v.len(),
            Batch::Windows(v) => v.len(),
            Batch::Staff(v) => v.len(),
            Batch::ReportedStats(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Parses one row into this batch; false when the row was refused (see `ctx.errors`).
    pub(crate) fn push_row(&mut self, ctx: &mut RowCtx<'_>) -> bool {
        fn put<T>(v: &mut Vec<T>, r: Option<T>, ctx: &RowCtx<'_>) -> bool {
            match r {
                Some(r) if ctx.errors.is_empty() => {
                    v.push(r);
                    true
                }
                _ => false,
            }
        }
        match self {
            Batch::Ratings(v) => put(v, ratings::parse(ctx), ctx),
            Batch::Tickets(v) => put(v, hotline::parse(ctx), ctx),
            Batch::Cases(v) => put(v, catalog::case(ctx), ctx),
            Batch::Matters(v) => put(v, catalog::matter(ctx), ctx),
            Batch::Supervisors(v) => put(v, supervision::supervisor(ctx), ctx),
            Batch::Feedback(v) => put(v, supervision::feedback(ctx), ctx),
            Batch::QrReports(v) => put(v, supervision::qr_report(ctx), ctx),
            Batch::Assessments(v) => put(v, supervision::assessment(ctx), ctx),
            Batch::Regions(v) => put(v, catalog::region(ctx), ctx),
            Batch::Departments(v) => put(v, catalog::department(ctx), ctx),
            Batch::Halls(v) => put(v, catalog::hall(ctx), ctx),
            Batch::Windows(v) => put(v, catalog::window(ctx), ctx),
            Batch::Staff(v) => put(v, catalog::staff(ctx), ctx),
            Batch::ReportedStats(v) => put(v, supervision::reported_stat(ctx), ctx),
        }
    }
}

pub(crate) fn columns(kind: Kind) -> &'static [Col] {
    match kind {
        Kind::Ratings => ratings::COLUMNS,
        Kind::Hotline => hotline::COLUMNS,
        Kind::Cases => catalog::CASE_COLUMNS,
        Kind::Matters => catalog::MATTER_COLUMNS,
        Kind::Supervisors => supervision::SUPERVISOR_COLUMNS,
        Kind::Feedback => supervision::FEEDBACK_COLUMNS,
        Kind::QrReports => supervision::QR_COLUMNS,
        Kind::Assessments => supervision::ASSESSMENT_COLUMNS,
        Kind::Regions => catalog::REGION_COLUMNS,
        Kind::Departments => catalog::DEPARTMENT_COLUMNS,
        Kind::Halls => catalog::HALL_COLUMNS,
        Kind::Windows => catalog::WINDOW_COLUMNS,
        Kind::Staff => catalog::STAFF_COLUMNS,
        Kind::ReportedStats => supervision::STAT_COLUMNS,
    }
}

/// Shared header vocabularies, so the same column reads the same in every kind.
pub(crate) mod common {
    pub const REGION: &[&str] = &[
        "区划代码",
        "行政区划代码",
        "区划编码",
        "行政区划编码",
        "所属区划",
        "region",
        "region code",
    ];
    pub const DEPARTMENT: &[&str] = &["部门名称", "单位名称", "department", "dept"];
    pub const WINDOW: &[&str] = &["窗口名称", "窗口号", "window"];
    pub const HALL: &[&str] = &["大厅", "大厅名称", "所属大厅", "hall"];
    pub const PHONE: &[&str] = &["手机号", "手机号码", "电话", "phone"];
    pub const REGION_FMT: &str =
        "6/9/12 位数字代码，如 150303（区县）、150303100（镇街）、150303100001（村社区）";
    pub const BOOL_FMT: &str = "是/否、Y/N、1/0、true/false；空为否";
    pub const TIME_FMT: &str =
        "2023-10-31 17:56:51、2023/10/31 17:56、20231031T175651、2023-10-31 或 Excel 日期单元格";
    pub const DATE_FMT: &str = "2023-10-31、2023/10/31、20231031 或 Excel 日期单元格";
}
