//! Reads of the individual facts reports name one by one: bad ratings, supervisors and their
//! feedback, QR complaints, third-party findings — each with the state of its ledger item
//! (问题整改台账), when one exists.

use crate::backend::{Row, RowExt, Value};
use crate::{Store, StoreError};
use jianping_core::time::fmt_date;
use jianping_core::{Grade, GradeCodes, Period, RegionCode};
use serde::Serialize;

/// The ledger item raised for a fact, as it stands now.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LedgerRef {
    pub item_no: String,
    /// `unclaimed`, `claimed`, `rectified`, `closed` or `returned`.
    pub state: String,
    pub closed_at: Option<String>,
    /// The responsible department named on the item.
    pub department: Option<String>,
    /// Whether the outcome was fed back to whoever raised the problem.
    pub fed_back: bool,
}

impl LedgerRef {
    pub fn is_closed(&self) -> bool {
        self.state == "closed"
    }
}

/// Columns 0..5 of [`ledger_ref`], joined on `li`/`ld` by [`ledger_join`].
const LEDGER_COLUMNS: &str = "li.item_no, li.state, li.closed_at, ld.name, li.feedback";

fn ledger_join(kind: &str, fact: &str) -> String {
    format!(
        "LEFT JOIN ledger_items li ON li.source_kind = '{kind}' AND li.source_id = {fact}.id
         LEFT JOIN departments ld ON ld.id = li.department_id"
    )
}

fn ledger_ref(r: &Row, at: usize) -> Option<LedgerRef> {
    Some(LedgerRef {
        item_no: r.opt_text(at)?,
        state: r.text(at + 1),
        closed_at: r.opt_text(at + 2),
        department: r.opt_text(at + 3),
        fed_back: r.opt_text(at + 4).is_some_and(|f| !f.trim().is_empty()),
    })
}

fn opt_region(r: &Row, i: usize) -> Option<RegionCode> {
    r.opt_text(i).and_then(|c| RegionCode::parse(&c).ok())
}

/// A rating in a bad grade (不满意 / 非常不满意 by default), not excluded by an appeal.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BadRating {
    pub rating_no: String,
    pub rated_at: String,
    pub grade: Grade,
    pub department: String,
    pub region: Option<RegionCode>,
    pub region_name: String,
    pub window: Option<String>,
    pub matter: Option<String>,
    /// The citizen's words, unmasked: callers mask before showing.
    pub comment: Option<String>,
    pub tags: Option<String>,
    pub ledger: Option<LedgerRef>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SupervisorRow {
    pub code: String,
    pub category: String,
    pub appointed_on: String,
    pub term_end: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FeedbackRow {
    pub feedback_no: String,
    pub supervisor_code: String,
    pub received_on: String,
    pub category: String,
    pub method: Option<String>,
    pub content: String,
    pub department: Option<String>,
    pub region: Option<RegionCode>,
    pub ledger: Option<LedgerRef>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct QrReportRow {
    pub report_no: String,
    pub received_at: String,
    pub domain: String,
    pub department: Option<String>,
    pub region: Option<RegionCode>,
    pub window: Option<String>,
    /// Unmasked: callers mask before showing.
    pub content: String,
    pub closed_at: Option<String>,
    pub handling: Option<String>,
    pub ledger: Option<LedgerRef>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FindingRow {
    pub finding_no: String,
    pub project: String,
    pub assessor: Option<String>,
    pub method: String,
    pub role: Option<String>,
    pub assessed_on: String,
    pub department: Option<String>,
    pub region: Option<RegionCode>,
    pub indicator: Option<String>,
    pub score: Option<f64>,
    pub full_score: Option<f64>,
    pub finding: String,
    pub response: Option<String>,
    pub ledger: Option<LedgerRef>,
}

impl Store {
    /// Ratings in the period whose grade is in `grades`, oldest first, with their ledger items.
    pub fn bad_ratings(
        &mut self,
        period: &Period,
        grades: &[Grade],
    ) -> Result<Vec<BadRating>, StoreError> {
        if grades.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; grades.len()].join(", ");
        let index_hint = super::bad_index_hint(grades);
        let sql = format!(
            "SELECT r.rating_no, r.rated_at, r.grade, d.name, g.code, g.name, w.name, m.name,
                    r.comment, r.tags, {LEDGER_COLUMNS}
             FROM ratings r
             JOIN departments d ON d.id = r.department_id
             JOIN regions g ON g.id = r.region_id
             LEFT JOIN windows w ON w.id = r.window_id
             LEFT JOIN matters m ON m.id = r.matter_id
             {}
             WHERE {index_hint}r.rated_at >= ? AND r.rated_at <= ? AND r.grade IN ({marks})
               AND NOT EXISTS (SELECT 1 FROM appeals a WHERE a.rating_id = r.id AND a.state = 'upheld')
             ORDER BY r.rated_at, r.rating_no",
            ledger_join("rating", "r")
        );
        let mut params: Vec<Value> = vec![period.start_ts().into(), period.end_ts().into()];
        params.extend(grades.iter().map(|g| Value::from(g.code())));
        let rows = self.backend().query(&sql, &params)?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(BadRating {
                    rating_no: r.text(0),
                    rated_at: r.text(1),
                    grade: Grade::from_code(r.int(2), GradeCodes::Gbt39046)?,
                    department: r.text(3),
                    region: opt_region(r, 4),
                    region_name: r.text(5),
                    window: r.opt_text(6),
                    matter: r.opt_text(7),
                    comment: r.opt_text(8),
                    tags: r.opt_text(9),
                    ledger: ledger_ref(r, 10),
                })
            })
            .collect())
    }

    /// Supervisors in office at some time during the period.
    pub fn supervisors_in_office(
        &mut self,
        period: &Period,
    ) -> Result<Vec<SupervisorRow>, StoreError> {
        let rows = self.backend().query(
            "SELECT code, category, appointed_on, term_end FROM supervisors
             WHERE appointed_on <= ? AND (term_end IS NULL OR term_end >= ?)
             ORDER BY appointed_on, code",
            &[fmt_date(&period.to).into(), fmt_date(&period.from).into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| SupervisorRow {
                code: r.text(0),
                category: r.text(1),
                appointed_on: r.text(2),
                term_end: r.opt_text(3),
            })
            .collect())
    }

    /// Supervisor feedback received in the period.
    pub fn feedback_in(&mut self, period: &Period) -> Result<Vec<FeedbackRow>, StoreError> {
        let sql = format!(
            "SELECT f.feedback_no, s.code, f.received_on, f.category, f.method, f.content,
                    d.name, g.code, {LEDGER_COLUMNS}
             FROM supervisor_feedback f
             JOIN supervisors s ON s.id = f.supervisor_id
             LEFT JOIN departments d ON d.id = f.department_id
             LEFT JOIN regions g ON g.id = f.region_id
             {}
             WHERE f.received_on >= ? AND f.received_on <= ?
             ORDER BY f.received_on, f.feedback_no",
            ledger_join("feedback", "f")
        );
        let rows = self.backend().query(
            &sql,
            &[fmt_date(&period.from).into(), fmt_date(&period.to).into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| FeedbackRow {
                feedback_no: r.text(0),
                supervisor_code: r.text(1),
                received_on: r.text(2),
                category: r.text(3),
                method: r.opt_text(4),
                content: r.text(5),
                department: r.opt_text(6),
                region: opt_region(r, 7),
                ledger: ledger_ref(r, 8),
            })
            .collect())
    }

    /// "码"上监督 complaints received in the period.
    pub fn qr_reports_in(&mut self, period: &Period) -> Result<Vec<QrReportRow>, StoreError> {
        let sql = format!(
            "SELECT q.report_no, q.received_at, q.domain, d.name, g.code, w.name, q.content,
                    q.closed_at, q.handling, {LEDGER_COLUMNS}
             FROM qr_reports q
             LEFT JOIN departments d ON d.id = q.department_id
             LEFT JOIN regions g ON g.id = q.region_id
             LEFT JOIN windows w ON w.id = q.window_id
             {}
             WHERE q.received_at >= ? AND q.received_at <= ?
             ORDER BY q.received_at, q.report_no",
            ledger_join("qr_report", "q")
        );
        let rows = self
            .backend()
            .query(&sql, &[period.start_ts().into(), period.end_ts().into()])?;
        Ok(rows
            .iter()
            .map(|r| QrReportRow {
                report_no: r.text(0),
                received_at: r.text(1),
                domain: r.text(2),
                department: r.opt_text(3),
                region: opt_region(r, 4),
                window: r.opt_text(5),
                content: r.text(6),
                closed_at: r.opt_text(7),
                handling: r.opt_text(8),
                ledger: ledger_ref(r, 9),
            })
            .collect())
    }

    /// Third-party assessment findings dated in the period.
    pub fn findings_in(&mut self, period: &Period) -> Result<Vec<FindingRow>, StoreError> {
        let sql = format!(
            "SELECT a.finding_no, a.project, a.assessor, a.method, a.role, a.assessed_on,
                    d.name, g.code, a.indicator, a.score, a.full_score, a.finding, a.response,
                    {LEDGER_COLUMNS}
             FROM assessment_findings a
             LEFT JOIN departments d ON d.id = a.department_id
             LEFT JOIN regions g ON g.id = a.region_id
             {}
             WHERE a.assessed_on >= ? AND a.assessed_on <= ?
             ORDER BY a.assessed_on, a.finding_no",
            ledger_join("assessment", "a")
        );
        let rows = self.backend().query(
            &sql,
            &[fmt_date(&period.from).into(), fmt_date(&period.to).into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| FindingRow {
                finding_no: r.text(0),
                project: r.text(1),
                assessor: r.opt_text(2),
                method: r.text(3),
                role: r.opt_text(4),
                assessed_on: r.text(5),
                department: r.opt_text(6),
                region: opt_region(r, 7),
                indicator: r.opt_text(8),
                score: r.real(9),
                full_score: r.real(10),
                finding: r.text(11),
                response: r.opt_text(12),
                ledger: ledger_ref(r, 13),
            })
            .collect())
    }
}
