//! Read side: the counts reports and dashboards need, from rollups wherever possible.

pub mod audit;
pub mod bulletin;
pub mod catalog;
pub mod channels;
pub mod dashboard;
pub mod indicators;
pub mod topics;

use crate::backend::{Row, RowExt, Value};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use jianping_core::{Channel, Grade, GradeCounts, Period, RegionLevel, ReportTier, time::fmt_date};
use serde::Serialize;
use std::collections::BTreeMap;

/// `r.grade >= 4 AND ` when every grade asked for is bad (不满意, 非常不满意): the literal
/// lets the planner use the partial index `ratings_bad`, which an IN list alone does not
/// prove. Empty otherwise (the query is still right, only slower).
pub(crate) fn bad_index_hint(grades: &[Grade]) -> &'static str {
    if !grades.is_empty() && grades.iter().all(|g| g.code() >= 4) {
        "r.grade >= 4 AND "
    } else {
        ""
    }
}

/// How to group rating counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatingGroup {
    Total,
    /// 市本级 / 区级 / 镇(街道)和村(社区)级.
    Tier,
    Channel,
    Department,
    Window,
    Month,
    Region,
}

/// One group's grade counts. `key` is stable (an id, code or month); `label` is for people.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupCounts {
    pub key: String,
    pub label: String,
    pub counts: GradeCounts,
}

/// Splits a period into whole months (read from the monthly rollup) and the leftover days
/// at either end (read from the daily rollup).
/// An inclusive range of months or days, as text.
type TextRange = (String, String);

fn month_split(p: &Period) -> (Option<TextRange>, Vec<TextRange>) {
    let first_full = if p.from.day() == 1 {
        p.from
    } else {
        next_month(p.from)
    };
    let after_last_full = NaiveDate::from_ymd_opt(p.to.year(), p.to.month(), 1).unwrap_or(p.to);
    let to_is_month_end = p.to.succ_opt().is_none_or(|d| d.day() == 1);
    let end_full = if to_is_month_end {
        next_month(after_last_full)
    } else {
        after_last_full
    };
    if first_full >= end_full {
        return (None, vec![(fmt_date(&p.from), fmt_date(&p.to))]);
    }
    let last_full = end_full.pred_opt().unwrap_or(end_full);
    let months = (
        first_full.format("%Y-%m").to_string(),
        last_full.format("%Y-%m").to_string(),
    );
    let mut days = Vec::new();
    if p.from < first_full {
        days.push((
            fmt_date(&p.from),
            fmt_date(&first_full.pred_opt().unwrap_or(first_full)),
        ));
    }
    if end_full <= p.to {
        days.push((fmt_date(&end_full), fmt_date(&p.to)));
    }
    (Some(months), days)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

/// A UNION of rollup rows covering the period, with columns
/// (region_id, department_id, window_id, channel, grade, n, month), and its parameters.
pub(crate) fn rollup_source(p: &Period) -> (String, Vec<Value>) {
    let (months, days) = month_split(p);
    let mut parts = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    if let Some((a, b)) = months {
        parts.push(
            "SELECT region_id, department_id, window_id, channel, grade, n, month AS m \
             FROM rating_monthly WHERE month >= ? AND month <= ?"
                .to_string(),
        );
        params.push(a.into());
        params.push(b.into());
    }
    for (a, b) in days {
        parts.push(
            "SELECT region_id, department_id, window_id, channel, grade, n, substr(day, 1, 7) AS m \
             FROM rating_daily WHERE day >= ? AND day <= ?"
                .to_string(),
        );
        params.push(a.into());
        params.push(b.into());
    }
    (parts.join(" UNION ALL "), params)
}

impl Store {
    /// Grade counts per group over a period, from the rollups. Excluded (appealed) ratings
    /// are not in the rollups, so they are not counted.
    pub fn rating_counts(
        &mut self,
        period: &Period,
        group: RatingGroup,
    ) -> Result<Vec<GroupCounts>, StoreError> {
        // Several groupings of one period: read the cube once (`rating_cube`) instead.
        Ok(self.rating_cube(period)?.counts(group))
    }

    /// Tickets received in the period and everything needed for the 12345 KPIs.
    pub fn tickets_received(&mut self, period: &Period) -> Result<Vec<TicketFact>, StoreError> {
        let rows = self.backend().query(
            "SELECT t.ticket_no, t.kind, t.source, t.mode, COALESCE(d.name, ''), t.received_at,
                    t.due_at, t.closed_at, t.resolved, t.revisited_at, t.revisit_result, t.content
             FROM tickets t LEFT JOIN departments d ON d.id = t.department_id
             WHERE t.received_at >= ? AND t.received_at <= ?
             ORDER BY t.received_at, t.ticket_no",
            &[period.start_ts().into(), period.end_ts().into()],
        )?;
        Ok(rows.iter().map(TicketFact::from_row).collect())
    }
}

pub(crate) fn fold_groups(rows: Vec<Row>, group: RatingGroup) -> Vec<GroupCounts> {
    let mut map: BTreeMap<String, GroupCounts> = BTreeMap::new();
    for r in rows {
        let (key, label) = match group {
            RatingGroup::Tier => {
                let tier =
                    RegionLevel::from_code(r.int(0)).map_or(ReportTier::CityLevel, ReportTier::of);
                (format!("{tier:?}"), tier.name().to_string())
            }
            RatingGroup::Channel => {
                let c = Channel::from_code(r.int(0));
                (
                    r.text(0),
                    c.map_or_else(|| r.text(0), |c| c.name().to_string()),
                )
            }
            _ => (r.text(0), r.text(1)),
        };
        let Some(grade) = Grade::from_code(r.int(2), jianping_core::GradeCodes::Gbt39046) else {
            continue;
        };
        let e = map.entry(key.clone()).or_insert_with(|| GroupCounts {
            key,
            label,
            counts: GradeCounts::default(),
        });
        e.counts.add(grade, r.int(3).max(0) as u64);
    }
    let mut out: Vec<GroupCounts> = map.into_values().collect();
    match group {
        RatingGroup::Tier => out.sort_by_key(|g| {
            ReportTier::ALL
                .iter()
                .position(|t| g.label == t.name())
                .unwrap_or(9)
        }),
        RatingGroup::Month | RatingGroup::Region => {}
        RatingGroup::Channel => out.sort_by_key(|g| g.key.parse::<i64>().unwrap_or(99)),
        _ => out.sort_by(|a, b| {
            b.counts
                .total()
                .cmp(&a.counts.total())
                .then(a.label.cmp(&b.label))
        }),
    }
    out
}

/// A 12345 ticket as the KPIs see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TicketFact {
    pub ticket_no: String,
    pub kind: i64,
    pub source: i64,
    pub mode: i64,
    pub department: String,
    pub received_at: String,
    pub due_at: Option<String>,
    pub closed_at: Option<String>,
    pub resolved: Option<bool>,
    pub revisited_at: Option<String>,
    pub revisit_result: Option<i64>,
    pub content: Option<String>,
}

impl TicketFact {
    fn from_row(r: &Row) -> TicketFact {
        TicketFact {
            ticket_no: r.text(0),
            kind: r.int(1),
            source: r.int(2),
            mode: r.int(3),
            department: r.text(4),
            received_at: r.text(5),
            due_at: r.opt_text(6),
            closed_at: r.opt_text(7),
            resolved: r.opt_int(8).map(|v| v != 0),
            revisited_at: r.opt_text(9),
            revisit_result: r.opt_int(10),
            content: r.opt_text(11),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &str, b: &str) -> Period {
        Period::new(a.parse().unwrap(), b.parse().unwrap()).unwrap()
    }

    #[test]
    fn whole_months_come_from_the_monthly_rollup() {
        let (m, d) = month_split(&p("2023-01-01", "2023-10-31"));
        assert_eq!(m, Some(("2023-01".into(), "2023-10".into())));
        assert!(d.is_empty());
        let (m, d) = month_split(&p("2023-01-15", "2023-03-10"));
        assert_eq!(m, Some(("2023-02".into(), "2023-02".into())));
        assert_eq!(
            d,
            vec![
                ("2023-01-15".into(), "2023-01-31".into()),
                ("2023-03-01".into(), "2023-03-10".into())
            ]
        );
        let (m, d) = month_split(&p("2023-03-02", "2023-03-30"));
        assert_eq!(m, None);
        assert_eq!(d, vec![("2023-03-02".into(), "2023-03-30".into())]);
        let (m, d) = month_split(&p("2023-12-01", "2023-12-31"));
        assert_eq!(m, Some(("2023-12".into(), "2023-12".into())));
        assert!(d.is_empty());
    }
}
