//! Reads of the slowly changing catalog: regions, halls, windows, staff, matters as they
//! stood on a date, cases per region, and figures reported by other platforms.

use crate::backend::{Row, RowExt};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use jianping_core::catalog::CatalogEntry;
use jianping_core::time::fmt_date;
use jianping_core::{Period, RegionCode};
use serde::Serialize;

fn region(r: &Row, i: usize) -> Result<RegionCode, StoreError> {
    RegionCode::parse(&r.text(i)).map_err(StoreError::Invalid)
}

fn opt_u32(r: &Row, i: usize) -> Option<u32> {
    r.opt_int(i).and_then(|v| u32::try_from(v).ok())
}

fn count(r: &Row, i: usize) -> u64 {
    u64::try_from(r.int(i)).unwrap_or(0)
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RegionRow {
    pub code: RegionCode,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HallRow {
    pub name: String,
    pub region: RegionCode,
    pub kind: Option<String>,
    pub extended_hours: bool,
    /// Active staff assigned to the hall.
    pub active_staff: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct WindowRow {
    pub name: String,
    pub hall: Option<String>,
    pub region: RegionCode,
    pub kind: Option<String>,
    pub extended_hours: bool,
}

/// Cases accepted in a period in one region (not its subtree).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CaseCounts {
    pub region: RegionCode,
    pub accepted: u64,
    /// Of those, completed by the end of the period.
    pub completed: u64,
    /// Of those, handled in extended hours (延时服务).
    pub extended: u64,
}

/// A figure another platform reported, as of `period_to`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReportedStat {
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

impl Store {
    pub fn regions(&mut self) -> Result<Vec<RegionRow>, StoreError> {
        let rows = self
            .backend()
            .query("SELECT code, name FROM regions ORDER BY code", &[])?;
        rows.iter()
            .map(|r| {
                Ok(RegionRow {
                    code: region(r, 0)?,
                    name: r.text(1),
                })
            })
            .collect()
    }

    /// Every hall with its count of active staff.
    pub fn halls(&mut self) -> Result<Vec<HallRow>, StoreError> {
        let rows = self.backend().query(
            "SELECT h.name, g.code, h.kind, h.extended_hours, COALESCE(s.n, 0)
             FROM halls h
             JOIN regions g ON g.id = h.region_id
             LEFT JOIN (SELECT hall_id, COUNT(*) AS n FROM staff WHERE active = 1 GROUP BY hall_id) s
                    ON s.hall_id = h.id
             ORDER BY g.code, h.name",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(HallRow {
                    name: r.text(0),
                    region: region(r, 1)?,
                    kind: r.opt_text(2),
                    extended_hours: r.int(3) != 0,
                    active_staff: count(r, 4),
                })
            })
            .collect()
    }

    pub fn windows(&mut self) -> Result<Vec<WindowRow>, StoreError> {
        let rows = self.backend().query(
            "SELECT w.name, h.name, g.code, w.kind, w.extended_hours
             FROM windows w
             JOIN regions g ON g.id = w.region_id
             LEFT JOIN halls h ON h.id = w.hall_id
             ORDER BY g.code, w.name",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(WindowRow {
                    name: r.text(0),
                    hall: r.opt_text(1),
                    region: region(r, 2)?,
                    kind: r.opt_text(3),
                    extended_hours: r.int(4) != 0,
                })
            })
            .collect()
    }

    /// The catalog at `date`: every matter with a state dated on or before `date`, in that
    /// latest state. Matters with no such state are not in the catalog at `date`.
    pub fn catalog_at(&mut self, date: NaiveDate) -> Result<Vec<CatalogEntry>, StoreError> {
        let rows = self.backend().query(
            "SELECT m.code, m.base_code, m.name, g.code, d.name, d.sector, h.name,
                    s.legal_limit_days, s.promised_limit_days, s.online_full, s.instant,
                    s.scenario, s.e_license, s.cert_free, s.extended_hours
             FROM matter_states s
             JOIN (SELECT matter_id, MAX(as_of) AS as_of FROM matter_states
                   WHERE as_of <= ? GROUP BY matter_id) l
               ON l.matter_id = s.matter_id AND l.as_of = s.as_of
             JOIN matters m ON m.id = s.matter_id
             JOIN regions g ON g.id = m.region_id
             JOIN departments d ON d.id = m.department_id
             LEFT JOIN halls h ON h.id = m.hall_id
             ORDER BY m.code",
            &[fmt_date(&date).into()],
        )?;
        rows.iter()
            .map(|r| {
                Ok(CatalogEntry {
                    matter_code: r.text(0),
                    base_code: r.text(1),
                    name: r.text(2),
                    region: region(r, 3)?,
                    department: r.text(4),
                    sector: r.opt_text(5),
                    hall: r.opt_text(6),
                    legal_limit_days: opt_u32(r, 7),
                    promised_limit_days: opt_u32(r, 8),
                    online_full: r.int(9) != 0,
                    instant: r.int(10) != 0,
                    scenario: r.int(11) != 0,
                    e_license: r.int(12) != 0,
                    cert_free: r.int(13) != 0,
                    extended_hours: r.int(14) != 0,
                })
            })
            .collect()
    }

    /// Cases accepted in the period, per region, with completion by the period's end.
    pub fn case_counts(&mut self, period: &Period) -> Result<Vec<CaseCounts>, StoreError> {
        let end = period.end_ts();
        let rows = self.backend().query(
            "SELECT g.code, COUNT(*),
                    CAST(SUM(CASE WHEN c.completed_at IS NOT NULL AND c.completed_at <= ? THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN c.extended <> 0 THEN 1 ELSE 0 END) AS BIGINT)
             FROM cases c JOIN regions g ON g.id = c.region_id
             WHERE c.accepted_at >= ? AND c.accepted_at <= ?
             GROUP BY g.code ORDER BY g.code",
            &[end.as_str().into(), period.start_ts().into(), end.as_str().into()],
        )?;
        rows.iter()
            .map(|r| {
                Ok(CaseCounts {
                    region: region(r, 0)?,
                    accepted: count(r, 1),
                    completed: count(r, 2),
                    extended: count(r, 3),
                })
            })
            .collect()
    }

    /// For each (key, region), the figure with the latest `period_to <= date`.
    pub fn reported_stats_at(&mut self, date: NaiveDate) -> Result<Vec<ReportedStat>, StoreError> {
        let rows = self.backend().query(
            "SELECT s.key, s.name, s.value, s.unit, s.source, s.region_code, s.period_from, s.period_to
             FROM reported_stats s
             JOIN (SELECT key, region_code, MAX(period_to) AS period_to FROM reported_stats
                   WHERE period_to <= ? GROUP BY key, region_code) l
               ON l.key = s.key AND l.region_code = s.region_code AND l.period_to = s.period_to
             ORDER BY s.key, s.region_code",
            &[fmt_date(&date).into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| ReportedStat {
                key: r.text(0),
                name: r.text(1),
                value: r.real(2).unwrap_or(0.0),
                unit: r.opt_text(3),
                source: r.text(4),
                region_code: r.text(5),
                period_from: r.opt_text(6),
                period_to: r.text(7),
            })
            .collect())
    }
}
