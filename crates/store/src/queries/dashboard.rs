//! What the back office's dashboard reads: rating counts of today, the month so far and the
//! last twelve months from the rollups (one cube per span, grouped in memory), and the
//! ledger's open and overdue items by a counting query on `ledger_items_state`. Counts only:
//! the web layer turns them into rates with the bureau's `RatePolicy`.

use crate::backend::{RowExt, Value};
use crate::queries::{GroupCounts, RatingGroup};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use jianping_core::access::{Operation, Principal, Visibility, visible};
use jianping_core::time::fmt_date;
use jianping_core::{GradeCounts, Period};
use serde::Serialize;

/// The rating side of the dashboard (absent for a supervisor, who sees only their items).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DashboardRatings {
    pub today: GradeCounts,
    pub month: GradeCounts,
    /// The month so far, by 市本级 / 区级 / 镇村级.
    pub by_tier: Vec<GroupCounts>,
    /// The month so far, by channel.
    pub by_channel: Vec<GroupCounts>,
    /// The twelve months up to today's, oldest first (months without ratings included).
    pub by_month: Vec<GroupCounts>,
    /// The month so far, per department (a clerk: the own department only).
    pub departments: Vec<GroupCounts>,
}

/// The ledger side: items the principal may see.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DashboardLedger {
    /// Not closed: 待认领, 整改中, 退回, 已整改(待核验).
    pub open: u64,
    /// Waiting for a department: 待认领 and 退回.
    pub unclaimed: u64,
    /// Rectified, waiting for the bureau's check.
    pub rectified: u64,
    /// Open (not yet rectified) and past the due day.
    pub overdue: u64,
    /// Registered today / this month (by the day the problem arose).
    pub new_today: u64,
    pub new_month: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub month: Period,
    pub ratings: Option<DashboardRatings>,
    pub ledger: DashboardLedger,
}

/// The twelve calendar months ending with `today`'s month, `today` included.
pub fn trailing_year(today: NaiveDate) -> Result<Period, StoreError> {
    let (mut y, mut m) = (today.year(), today.month());
    for _ in 0..11 {
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    let from = NaiveDate::from_ymd_opt(y, m, 1)
        .ok_or_else(|| StoreError::Invalid(format!("无效的日期 {today}")))?;
    Period::new(from, today).map_err(StoreError::Invalid)
}

fn month_so_far(today: NaiveDate) -> Result<Period, StoreError> {
    let from = today.with_day(1).unwrap_or(today);
    Period::new(from, today).map_err(StoreError::Invalid)
}

impl Store {
    /// The dashboard as of `today` for `who`: the city for the bureau and leaders, the own
    /// department for a clerk, the own items for a supervisor. All reads in one snapshot,
    /// so that the figures agree with each other.
    pub fn dashboard(
        &mut self,
        who: &Principal,
        today: NaiveDate,
    ) -> Result<Dashboard, StoreError> {
        let seen = visible(who, Operation::ViewDashboard)?;
        let month = month_so_far(today)?;
        let year = trailing_year(today)?;
        self.snapshot(|s: &mut Store| {
            let ratings = match seen {
                Visibility::Supervisor(_) => None,
                Visibility::City | Visibility::Department(_) => {
                    Some(s.dashboard_ratings(seen, today, &month, &year)?)
                }
            };
            let ledger = s.dashboard_ledger(seen, today, &month)?;
            Ok::<_, StoreError>(Dashboard {
                today,
                month,
                ratings,
                ledger,
            })
        })
    }

    fn dashboard_ratings(
        &mut self,
        seen: Visibility,
        today: NaiveDate,
        month: &Period,
        year: &Period,
    ) -> Result<DashboardRatings, StoreError> {
        let only = |cube: &mut crate::cube::RatingCube| {
            if let Visibility::Department(d) = seen {
                cube.retain_department(d);
            }
        };
        let total = |groups: Vec<GroupCounts>| {
            let mut c = GradeCounts::default();
            for g in groups {
                c.merge(&g.counts);
            }
            c
        };
        let day = Period::new(today, today).map_err(StoreError::Invalid)?;
        let mut cube = self.rating_cube(&day)?;
        only(&mut cube);
        let today_counts = total(cube.counts(RatingGroup::Total));
        let mut cube = self.rating_cube(month)?;
        only(&mut cube);
        let month_counts = total(cube.counts(RatingGroup::Total));
        let by_tier = cube.counts(RatingGroup::Tier);
        let by_channel = cube.counts(RatingGroup::Channel);
        let departments = cube.counts(RatingGroup::Department);
        let mut cube = self.rating_cube(year)?;
        only(&mut cube);
        let by_month = fill_months(cube.counts(RatingGroup::Month), year);
        Ok(DashboardRatings {
            today: today_counts,
            month: month_counts,
            by_tier,
            by_channel,
            by_month,
            departments,
        })
    }

    fn dashboard_ledger(
        &mut self,
        seen: Visibility,
        today: NaiveDate,
        month: &Period,
    ) -> Result<DashboardLedger, StoreError> {
        let (scope, mut params): (&str, Vec<Value>) = match seen {
            Visibility::City => ("", Vec::new()),
            Visibility::Department(d) => ("AND l.department_id = ?", vec![d.into()]),
            Visibility::Supervisor(s) => (
                "AND l.source_kind = 'feedback' AND l.source_id IN
                 (SELECT f.id FROM supervisor_feedback f WHERE f.supervisor_id = ?)",
                vec![s.into()],
            ),
        };
        let day = fmt_date(&today);
        let sql = format!(
            "SELECT l.state,
                    CAST(COUNT(*) AS BIGINT),
                    CAST(SUM(CASE WHEN l.due_on < ? AND l.state IN ('unclaimed', 'claimed', 'returned')
                             THEN 1 ELSE 0 END) AS BIGINT)
             FROM ledger_items l WHERE l.state <> 'closed' {scope} GROUP BY l.state"
        );
        let mut p: Vec<Value> = vec![day.as_str().into()];
        p.extend(params.iter().cloned());
        let mut out = DashboardLedger::default();
        for r in self.backend().query(&sql, &p)? {
            let n = r.int(1).max(0) as u64;
            out.open += n;
            out.overdue += r.opt_int(2).unwrap_or(0).max(0) as u64;
            match r.text(0).as_str() {
                "unclaimed" | "returned" => out.unclaimed += n,
                "rectified" => out.rectified += n,
                _ => {}
            }
        }
        let sql = format!(
            "SELECT CAST(SUM(CASE WHEN l.raised_at >= ? THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(COUNT(*) AS BIGINT)
             FROM ledger_items l WHERE l.raised_at >= ? AND l.raised_at <= ? {scope}"
        );
        let mut p: Vec<Value> = vec![
            format!("{day} 00:00:00").into(),
            month.start_ts().into(),
            month.end_ts().into(),
        ];
        p.append(&mut params);
        if let Some(r) = self.backend().query(&sql, &p)?.first() {
            out.new_today = r.opt_int(0).unwrap_or(0).max(0) as u64;
            out.new_month = r.opt_int(1).unwrap_or(0).max(0) as u64;
        }
        Ok(out)
    }
}

/// Every month of the span, empty ones included, so that a chart's axis has no gaps.
fn fill_months(found: Vec<GroupCounts>, span: &Period) -> Vec<GroupCounts> {
    let mut out = Vec::new();
    let (mut y, mut m) = (span.from.year(), span.from.month());
    loop {
        let key = format!("{y:04}-{m:02}");
        let counts = found
            .iter()
            .find(|g| g.key == key)
            .map(|g| g.counts)
            .unwrap_or_default();
        out.push(GroupCounts {
            key: key.clone(),
            label: format!("{y}年{m}月"),
            counts,
        });
        if (y, m) >= (span.to.year(), span.to.month()) {
            break;
        }
        if m == 12 {
            y += 1;
            m = 1;
        } else {
            m += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trailing_year_has_twelve_months() {
        let today = NaiveDate::from_ymd_opt(2023, 3, 15).unwrap();
        let y = trailing_year(today).unwrap();
        assert_eq!(y.from.to_string(), "2022-04-01");
        let months = fill_months(Vec::new(), &y);
        assert_eq!(months.len(), 12);
        assert_eq!(months[11].key, "2023-03");
    }
}
