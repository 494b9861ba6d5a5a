//! Reads the monthly bulletin needs besides the report queries: rating counts per department
//! and rating region (the bulletin lists departments but leaves out ratings outside the
//! city, as the annual report does), and which bad ratings carry the rater's name.

use super::rollup_source;
use crate::backend::{RowExt, Value};
use crate::{Store, StoreError};
use jianping_core::{Grade, GradeCodes, GradeCounts, Period};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// One department's grade counts for ratings given in one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepartmentRegionCounts {
    pub department: String,
    /// The rating's region code (as stored).
    pub region: String,
    pub counts: GradeCounts,
}

impl Store {
    /// Grade counts per (department, region) over the period. Ratings excluded by an upheld
    /// appeal are not in the rollups, so they are not counted.
    pub fn rating_counts_by_department_region(
        &mut self,
        period: &Period,
    ) -> Result<Vec<DepartmentRegionCounts>, StoreError> {
        let (source, params) = rollup_source(period);
        let sql = format!(
            "SELECT d.name, g.code, x.grade, CAST(SUM(x.n) AS BIGINT) FROM ({source}) x
             JOIN departments d ON d.id = x.department_id
             JOIN regions g ON g.id = x.region_id
             GROUP BY d.name, g.code, x.grade"
        );
        let rows = self.backend().query(&sql, &params)?;
        let mut map: BTreeMap<(String, String), GradeCounts> = BTreeMap::new();
        for r in rows {
            let Some(grade) = Grade::from_code(r.int(2), GradeCodes::Gbt39046) else {
                continue;
            };
            map.entry((r.text(0), r.text(1)))
                .or_default()
                .add(grade, r.int(3).max(0) as u64);
        }
        Ok(map
            .into_iter()
            .map(|((department, region), counts)| DepartmentRegionCounts {
                department,
                region,
                counts,
            })
            .collect())
    }

    /// The numbers of the period's bad ratings (in `grades`) that carry the rater's name or
    /// phone (实名差评). Only the numbers: the bulletin never shows who rated.
    pub fn named_ratings(
        &mut self,
        period: &Period,
        grades: &[Grade],
    ) -> Result<HashSet<String>, StoreError> {
        if grades.is_empty() {
            return Ok(HashSet::new());
        }
        let marks = vec!["?"; grades.len()].join(", ");
        let hint = super::bad_index_hint(grades);
        let sql = format!(
            "SELECT r.rating_no FROM ratings r
             WHERE {hint}r.rated_at >= ? AND r.rated_at <= ? AND r.grade IN ({marks})
               AND (COALESCE(r.rater_name, '') <> '' OR COALESCE(r.rater_phone, '') <> '')"
        );
        let mut params: Vec<Value> = vec![period.start_ts().into(), period.end_ts().into()];
        params.extend(grades.iter().map(|g| Value::from(g.code())));
        let rows = self.backend().query(&sql, &params)?;
        Ok(rows.iter().map(|r| r.text(0)).collect())
    }
}
