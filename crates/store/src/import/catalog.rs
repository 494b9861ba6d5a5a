//! The slowly changing catalog: regions, departments, halls, windows, staff, matters.
//! Rows are upserted by their natural key; a changed attribute counts as an update.

use super::ImportSession;
use crate::backend::{RowExt, Value};
use crate::error::StoreError;
use jianping_core::records::{
    DepartmentRecord, HallRecord, MatterRecord, RegionRecord, StaffRecord, WindowRecord,
};
use jianping_core::time::fmt_date;

impl ImportSession<'_> {
    fn count(&mut self, changed: Option<bool>) {
        self.summary.rows_read += 1;
        match changed {
            None => self.summary.inserted += 1,
            Some(true) => self.summary.updated += 1,
            Some(false) => self.summary.unchanged += 1,
        }
    }

    /// Inserts or updates one row by `key_sql` (a WHERE clause on the natural key);
    /// returns `None` when inserted, `Some(changed)` otherwise, and the row id.
    fn upsert_one(
        &mut self,
        table: &str,
        key_sql: &str,
        key: &[Value],
        columns: &[&str],
        values: &[Value],
    ) -> Result<(Option<bool>, i64), StoreError> {
        let found = self.db.query(
            &format!(
                "SELECT id, {} FROM {table} WHERE {key_sql}",
                columns.join(", ")
            ),
            key,
        )?;
        if let Some(row) = found.first() {
            let id = row.int(0);
            let same = values
                .iter()
                .enumerate()
                .all(|(i, v)| row.get(i + 1).is_some_and(|old| old == v));
            if !same {
                let sets: Vec<String> = columns.iter().map(|c| format!("{c} = ?")).collect();
                let mut params = values.to_vec();
                params.push(id.into());
                self.db.execute(
                    &format!("UPDATE {table} SET {} WHERE id = ?", sets.join(", ")),
                    &params,
                )?;
            }
            return Ok((Some(!same), id));
        }
        let marks = vec!["?"; columns.len()].join(", ");
        let rows = self.db.query(
            &format!(
                "INSERT INTO {table} ({}) VALUES ({marks}) RETURNING id",
                columns.join(", ")
            ),
            values,
        )?;
        Ok((None, rows.first().map(|r| r.int(0)).unwrap_or_default()))
    }

    pub fn regions(&mut self, records: &[RegionRecord]) -> Result<(), StoreError> {
        // Parents before children, so a file in any order loads.
        let mut sorted: Vec<&RegionRecord> = records.iter().collect();
        sorted.sort_by_key(|r| (r.code.level(), r.code.as_str().to_string()));
        for r in sorted {
            let (changed, id) = self.upsert_one(
                "regions",
                "code = ?",
                &[r.code.as_str().into()],
                &["code", "name", "level", "parent_code"],
                &[
                    r.code.as_str().into(),
                    r.name.as_str().into(),
                    r.code.level().code().into(),
                    r.code.parent().map(String::from).into(),
                ],
            )?;
            self.dims.remember_region(r.code.as_str(), id);
            self.count(changed);
        }
        Ok(())
    }

    pub fn departments(&mut self, records: &[DepartmentRecord]) -> Result<(), StoreError> {
        for d in records {
            let region_id = match &d.region {
                Some(r) => Some(self.dims.region(self.db, r)?),
                None => None,
            };
            let (changed, id) = self.upsert_one(
                "departments",
                "name = ?",
                &[d.name.as_str().into()],
                &["name", "code", "region_id", "sector", "short_name"],
                &[
                    d.name.as_str().into(),
                    d.code.as_deref().into(),
                    region_id.into(),
                    d.sector.as_deref().into(),
                    d.short_name.as_deref().into(),
                ],
            )?;
            self.dims
                .remember_department(&d.name, d.code.as_deref(), id);
            self.count(changed);
        }
        Ok(())
    }

    pub fn halls(&mut self, records: &[HallRecord]) -> Result<(), StoreError> {
        for h in records {
            let region_id = self.dims.region(self.db, &h.region)?;
            let (changed, id) = self.upsert_one(
                "halls",
                "name = ?",
                &[h.name.as_str().into()],
                &["name", "code", "region_id", "kind", "extended_hours"],
                &[
                    h.name.as_str().into(),
                    h.code.as_deref().into(),
                    region_id.into(),
                    h.kind.as_deref().into(),
                    h.extended_hours.into(),
                ],
            )?;
            self.dims.remember_hall(&h.name, h.code.as_deref(), id);
            self.count(changed);
        }
        Ok(())
    }

    pub fn windows(&mut self, records: &[WindowRecord]) -> Result<(), StoreError> {
        for w in records {
            let region_id = self.dims.region(self.db, &w.region)?;
            let hall_id = match &w.hall {
                Some(h) => Some(self.dims.hall(self.db, h, &w.region)?),
                None => None,
            };
            let department_id = match &w.department {
                Some(d) => Some(self.dims.department(self.db, d, Some(&w.region))?),
                None => None,
            };
            let (changed, id) = self.upsert_one(
                "windows",
                "region_id = ? AND name = ?",
                &[region_id.into(), w.name.as_str().into()],
                &[
                    "region_id",
                    "name",
                    "code",
                    "hall_id",
                    "department_id",
                    "kind",
                    "extended_hours",
                ],
                &[
                    region_id.into(),
                    w.name.as_str().into(),
                    w.code.as_deref().into(),
                    hall_id.into(),
                    department_id.into(),
                    w.kind.as_deref().into(),
                    w.extended_hours.into(),
                ],
            )?;
            self.dims
                .remember_window(region_id, &w.name, w.code.as_deref(), id);
            self.count(changed);
        }
        Ok(())
    }

    pub fn staff(&mut self, records: &[StaffRecord]) -> Result<(), StoreError> {
        for s in records {
            let dept = s.department.as_deref().ok_or_else(|| {
                StoreError::Invalid(format!("工作人员「{}」缺少所属部门", s.name))
            })?;
            let department_id = self.dims.department(self.db, dept, s.region.as_ref())?;
            let hall_id = match (&s.hall, &s.region) {
                (Some(h), Some(r)) => Some(self.dims.hall(self.db, h, r)?),
                (Some(h), None) => self.dims.known_hall(h),
                _ => None,
            };
            let window_id = match (&s.window, &s.region) {
                (Some(w), Some(r)) => Some(self.dims.window(self.db, w, r, Some(department_id))?),
                _ => None,
            };
            let (changed, id) = self.upsert_one(
                "staff",
                "department_id = ? AND name = ?",
                &[department_id.into(), s.name.as_str().into()],
                &[
                    "department_id",
                    "name",
                    "code",
                    "hall_id",
                    "window_id",
                    "active",
                    "phone",
                    "account",
                ],
                &[
                    department_id.into(),
                    s.name.as_str().into(),
                    s.code.as_deref().into(),
                    hall_id.into(),
                    window_id.into(),
                    s.active.into(),
                    s.phone.as_deref().into(),
                    s.account.as_deref().into(),
                ],
            )?;
            self.dims.remember_staff(department_id, &s.name, id);
            self.count(changed);
        }
        Ok(())
    }

    /// A matter's identity is upserted; its attributes are a state as of `as_of`, so the
    /// catalog can be read as it stood on any date.
    pub fn matters(&mut self, records: &[MatterRecord]) -> Result<(), StoreError> {
        for m in records {
            let department_id = self
                .dims
                .department(self.db, &m.department, Some(&m.region))?;
            let region_id = self.dims.region(self.db, &m.region)?;
            let hall_id = match &m.hall {
                Some(h) => Some(self.dims.hall(self.db, h, &m.region)?),
                None => None,
            };
            let (identity_changed, id) = self.upsert_one(
                "matters",
                "code = ?",
                &[m.code.as_str().into()],
                &[
                    "code",
                    "base_code",
                    "name",
                    "department_id",
                    "region_id",
                    "hall_id",
                ],
                &[
                    m.code.as_str().into(),
                    m.base_code.as_deref().unwrap_or(&m.code).into(),
                    m.name.as_str().into(),
                    department_id.into(),
                    region_id.into(),
                    hall_id.into(),
                ],
            )?;
            self.dims.remember_matter(&m.code, id);
            let (state_changed, _) = self.upsert_state(id, m)?;
            let changed = match (identity_changed, state_changed) {
                (None, _) => None,
                (Some(a), b) => Some(a || b.unwrap_or(true)),
            };
            self.count(changed);
        }
        Ok(())
    }

    fn upsert_state(
        &mut self,
        matter_id: i64,
        m: &MatterRecord,
    ) -> Result<(Option<bool>, i64), StoreError> {
        let as_of = fmt_date(&m.as_of);
        let values: Vec<Value> = vec![
            matter_id.into(),
            as_of.as_str().into(),
            m.legal_limit_days.into(),
            m.promised_limit_days.into(),
            m.online_full.into(),
            m.instant.into(),
            m.scenario.into(),
            m.e_license.into(),
            m.cert_free.into(),
            m.extended_hours.into(),
        ];
        let cols = [
            "matter_id",
            "as_of",
            "legal_limit_days",
            "promised_limit_days",
            "online_full",
            "instant",
            "scenario",
            "e_license",
            "cert_free",
            "extended_hours",
        ];
        let found = self.db.query(
            &format!(
                "SELECT {} FROM matter_states WHERE matter_id = ? AND as_of = ?",
                cols.join(", ")
            ),
            &[matter_id.into(), as_of.as_str().into()],
        )?;
        if let Some(row) = found.first() {
            if row == &values {
                return Ok((Some(false), matter_id));
            }
            self.db.execute(
                "DELETE FROM matter_states WHERE matter_id = ? AND as_of = ?",
                &[matter_id.into(), as_of.as_str().into()],
            )?;
        }
        let marks = vec!["?"; cols.len()].join(", ");
        self.db.execute(
            &format!(
                "INSERT INTO matter_states ({}) VALUES ({marks})",
                cols.join(", ")
            ),
            &values,
        )?;
        Ok((Some(!found.is_empty()), matter_id))
    }
}
