//! The ledger figures the monthly bulletin and the annual report print: counts only; rates
//! are made from them by `RatePolicy` where they are printed.

use super::read::LedgerFilter;
use crate::backend::{RowExt, Value};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use jianping_core::access::Principal;
use jianping_core::ledger::{DeadlineStatus, SourceKind, State};
use jianping_core::privacy::mask_free_text;
use jianping_core::{Grade, GradeCodes, Period, Rate, RatePolicy};
use serde::Serialize;
use std::collections::BTreeMap;

/// A numerator over a denominator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub numerator: u64,
    pub denominator: u64,
}

impl Counts {
    pub fn rate(&self, policy: &RatePolicy) -> Rate {
        policy.rate(self.numerator, self.denominator)
    }
}

/// One department's items by state, with deadline flags as of the query's day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DepartmentLedgerCounts {
    /// "（未指定责任单位）" for items no department holds yet.
    pub department: String,
    pub total: u64,
    pub unclaimed: u64,
    pub claimed: u64,
    pub rectified: u64,
    pub closed: u64,
    pub returned: u64,
    /// Open and past due.
    pub overdue: u64,
    /// Open and due within one working day.
    pub warning: u64,
    /// Rectified or closed after the due day.
    pub done_late: u64,
    /// Closed because an appeal was upheld.
    pub appeal_upheld: u64,
}

impl DepartmentLedgerCounts {
    /// Items not yet rectified or closed.
    pub fn open(&self) -> u64 {
        self.unclaimed + self.claimed + self.returned
    }
}

/// A rating taken out of the statistics by an upheld appeal, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExcludedRating {
    pub rating_no: String,
    pub department: String,
    pub grade: Option<Grade>,
    pub rated_at: String,
    pub reason: String,
    pub evidence: Option<String>,
    pub decision_note: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
}

/// Whether every item of a source is done, and who holds the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceSummary {
    pub total: u64,
    pub closed: u64,
    /// Rectified, waiting for the bureau's check.
    pub rectified: u64,
    /// Neither rectified nor closed.
    pub open: u64,
    /// Departments holding open or unverified items, with their counts, most first.
    pub holders: Vec<(String, u64)>,
}

impl SourceSummary {
    /// "目前已全部完成整改" may be printed only when this is true.
    pub fn all_closed(&self) -> bool {
        self.total > 0 && self.closed == self.total
    }
}

const NO_DEPARTMENT: &str = "（未指定责任单位）";

pub(super) fn bad_ratings_in(period: &Period, bad: &[Grade]) -> (String, Vec<Value>) {
    let codes: Vec<String> = bad.iter().map(|g| g.code().to_string()).collect();
    let codes = if codes.is_empty() {
        "0".to_string()
    } else {
        codes.join(", ")
    };
    let hint = crate::queries::bad_index_hint(bad);
    (
        format!(
            "{hint}r.grade IN ({codes}) AND r.rated_at >= ? AND r.rated_at <= ?
             AND NOT EXISTS (SELECT 1 FROM appeals a WHERE a.rating_id = r.id AND a.state = 'upheld')"
        ),
        vec![period.start_ts().into(), period.end_ts().into()],
    )
}

impl Store {
    /// Items per responsible department, by state, for the items the filter selects among
    /// those `who` may see.
    pub fn ledger_department_counts(
        &mut self,
        who: &Principal,
        filter: &LedgerFilter,
        today: NaiveDate,
    ) -> Result<Vec<DepartmentLedgerCounts>, StoreError> {
        let items = self.ledger_items(who, filter, today)?;
        let mut map: BTreeMap<String, DepartmentLedgerCounts> = BTreeMap::new();
        for it in &items {
            let name = it
                .department
                .clone()
                .unwrap_or_else(|| NO_DEPARTMENT.to_string());
            let c = map
                .entry(name.clone())
                .or_insert_with(|| DepartmentLedgerCounts {
                    department: name,
                    ..Default::default()
                });
            c.total += 1;
            match it.state {
                State::Unclaimed => c.unclaimed += 1,
                State::Claimed => c.claimed += 1,
                State::Rectified => c.rectified += 1,
                State::Closed => c.closed += 1,
                State::Returned => c.returned += 1,
            }
            match it.deadline {
                DeadlineStatus::Overdue => c.overdue += 1,
                DeadlineStatus::Warning => c.warning += 1,
                DeadlineStatus::DoneLate => c.done_late += 1,
                _ => {}
            }
            if it.resolution.as_deref() == Some("appeal_upheld") {
                c.appeal_upheld += 1;
            }
        }
        let mut out: Vec<DepartmentLedgerCounts> = map.into_values().collect();
        out.sort_by(|a, b| b.total.cmp(&a.total).then(a.department.cmp(&b.department)));
        Ok(out)
    }

    /// Open items past their due day on `today` that `who` may see, newest problem first.
    pub fn ledger_overdue(
        &mut self,
        who: &Principal,
        today: NaiveDate,
    ) -> Result<Vec<super::ItemView>, StoreError> {
        let filter = LedgerFilter {
            overdue: true,
            ..LedgerFilter::default()
        };
        self.ledger_items(who, &filter, today)
    }

    /// 实名差评回访率: bad ratings rated in the period that carry a name or phone (and were not
    /// excluded by an appeal), and how many of them got a callback that reached the person.
    pub fn bad_rating_callback_counts(
        &mut self,
        period: &Period,
        bad: &[Grade],
    ) -> Result<Counts, StoreError> {
        let (cond, params) = bad_ratings_in(period, bad);
        let sql = format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN EXISTS (
                    SELECT 1 FROM ledger_items l JOIN callbacks c ON c.item_id = l.id
                    WHERE l.source_kind = 'rating' AND l.source_id = r.id AND c.response <> {unreached}
                ) THEN 1 ELSE 0 END), 0) AS BIGINT)
             FROM ratings r
             WHERE {cond}
               AND (COALESCE(r.rater_name, '') <> '' OR COALESCE(r.rater_phone, '') <> '')",
            unreached = jianping_core::Response::Unreached.code()
        );
        counts(self, &sql, &params)
    }

    /// 差评整改率: bad ratings rated in the period (not excluded by an appeal), and how many
    /// of them have a closed ledger item.
    pub fn bad_rating_rectification_counts(
        &mut self,
        period: &Period,
        bad: &[Grade],
    ) -> Result<Counts, StoreError> {
        let (cond, params) = bad_ratings_in(period, bad);
        let sql = format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN EXISTS (
                    SELECT 1 FROM ledger_items l
                    WHERE l.source_kind = 'rating' AND l.source_id = r.id AND l.state = 'closed'
                ) THEN 1 ELSE 0 END), 0) AS BIGINT)
             FROM ratings r WHERE {cond}"
        );
        counts(self, &sql, &params)
    }

    /// Ratings rated in the period that an upheld appeal took out of the statistics.
    pub fn excluded_ratings(&mut self, period: &Period) -> Result<Vec<ExcludedRating>, StoreError> {
        let rows = self.backend().query(
            "SELECT r.rating_no, d.name, r.grade, r.rated_at, a.reason, a.evidence, a.decision_note,
                    a.decided_at, a.decided_by
             FROM appeals a JOIN ratings r ON r.id = a.rating_id
             JOIN departments d ON d.id = r.department_id
             WHERE a.state = 'upheld' AND r.rated_at >= ? AND r.rated_at <= ?
             ORDER BY r.rated_at, r.rating_no",
            &[period.start_ts().into(), period.end_ts().into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| ExcludedRating {
                rating_no: r.text(0),
                department: r.text(1),
                grade: Grade::from_code(r.int(2), GradeCodes::Gbt39046),
                rated_at: r.text(3),
                reason: mask_free_text(&r.text(4)),
                evidence: r.opt_text(5).map(|t| mask_free_text(&t)),
                decision_note: r.opt_text(6).map(|t| mask_free_text(&t)),
                decided_at: r.opt_text(7),
                decided_by: r.opt_text(8),
            })
            .collect())
    }

    /// Items of one source whose problem arose in the period: done or not, and who holds
    /// what is left.
    pub fn ledger_source_summary(
        &mut self,
        source: SourceKind,
        period: &Period,
    ) -> Result<SourceSummary, StoreError> {
        let rows = self.backend().query(
            "SELECT d.name, l.state, COUNT(*)
             FROM ledger_items l LEFT JOIN departments d ON d.id = l.department_id
             WHERE l.source_kind = ? AND l.raised_at >= ? AND l.raised_at <= ?
             GROUP BY d.name, l.state",
            &[
                source.code().into(),
                period.start_ts().into(),
                period.end_ts().into(),
            ],
        )?;
        let mut s = SourceSummary::default();
        let mut holders: BTreeMap<String, u64> = BTreeMap::new();
        for r in rows {
            let n = r.int(2).max(0) as u64;
            let holder = r.opt_text(0).unwrap_or_else(|| NO_DEPARTMENT.to_string());
            s.total += n;
            match State::from_code(&r.text(1)) {
                Some(State::Closed) => s.closed += n,
                Some(State::Rectified) => {
                    s.rectified += n;
                    *holders.entry(holder.clone()).or_insert(0) += n;
                }
                _ => {
                    s.open += n;
                    *holders.entry(holder.clone()).or_insert(0) += n;
                }
            }
        }
        let mut holders: Vec<(String, u64)> = holders.into_iter().collect();
        holders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        s.holders = holders;
        Ok(s)
    }
}

fn counts(store: &mut Store, sql: &str, params: &[Value]) -> Result<Counts, StoreError> {
    let rows = store.backend().query(sql, params)?;
    let r = rows.first();
    Ok(Counts {
        denominator: r.map_or(0, |r| r.int(0).max(0) as u64),
        numerator: r.map_or(0, |r| r.int(1).max(0) as u64),
    })
}
