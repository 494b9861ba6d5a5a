//! Dimension resolution: names and codes found in source data become ids. What the store
//! does not know yet is created (a provincial export must load into an empty database) and
//! listed, so the import summary can tell the user what appeared.

use crate::backend::{Backend, RowExt, Value};
use crate::error::StoreError;
use jianping_core::RegionCode;
use serde::Serialize;
use std::collections::HashMap;

/// What an import created, by kind, in order of appearance.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Created {
    pub regions: Vec<String>,
    pub departments: Vec<String>,
    pub halls: Vec<String>,
    pub windows: Vec<String>,
    pub staff: Vec<String>,
    pub matters: Vec<String>,
    pub packages: Vec<String>,
    pub supervisors: Vec<String>,
}

impl Created {
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }
    pub fn total(&self) -> usize {
        self.regions.len()
            + self.departments.len()
            + self.halls.len()
            + self.windows.len()
            + self.staff.len()
            + self.matters.len()
            + self.packages.len()
            + self.supervisors.len()
    }
}

/// In-memory maps of every dimension, loaded once per import session.
#[derive(Default)]
pub struct DimCache {
    regions: HashMap<String, i64>,
    departments: HashMap<String, i64>,
    dept_codes: HashMap<String, i64>,
    halls: HashMap<String, i64>,
    /// (region id, window name) and window code.
    windows: HashMap<(i64, String), i64>,
    window_codes: HashMap<String, i64>,
    staff: HashMap<(i64, String), i64>,
    matters: HashMap<String, i64>,
    packages: HashMap<String, i64>,
    supervisors: HashMap<String, i64>,
    supervisor_names: HashMap<String, i64>,
    pub created: Created,
}

/// Inserts a dimension row, or finds the one another writer (an intake running beside an
/// import, a second import) created since this session loaded its cache. Returns the id and
/// whether this call created it. On PostgreSQL a row another transaction is still creating
/// makes the insert wait for that transaction; either way no unique violation reaches the
/// caller.
fn insert_or_find(
    db: &mut dyn Backend,
    sql: &str,
    params: &[Value],
    find: &str,
    find_params: &[Value],
) -> Result<(i64, bool), StoreError> {
    let rows = db.query(
        &format!("{sql} ON CONFLICT DO NOTHING RETURNING id"),
        params,
    )?;
    if let Some(r) = rows.first() {
        return Ok((r.int(0), true));
    }
    db.query(find, find_params)?
        .first()
        .map(|r| (r.int(0), false))
        .ok_or_else(|| StoreError::Invalid("插入维度记录时与已有记录冲突，且按名称找不到它".into()))
}

impl DimCache {
    pub fn load(db: &mut dyn Backend) -> Result<DimCache, StoreError> {
        let mut c = DimCache::default();
        for r in db.query("SELECT code, id FROM regions", &[])? {
            c.regions.insert(r.text(0), r.int(1));
        }
        for r in db.query("SELECT name, id, code FROM departments", &[])? {
            c.departments.insert(r.text(0), r.int(1));
            if let Some(code) = r.opt_text(2) {
                c.dept_codes.insert(code, r.int(1));
            }
        }
        for r in db.query("SELECT name, id, code FROM halls", &[])? {
            c.halls.insert(r.text(0), r.int(1));
            if let Some(code) = r.opt_text(2) {
                c.halls.insert(code, r.int(1));
            }
        }
        for r in db.query("SELECT region_id, name, id, code FROM windows", &[])? {
            c.windows.insert((r.int(0), r.text(1)), r.int(2));
            if let Some(code) = r.opt_text(3) {
                c.window_codes.insert(code, r.int(2));
            }
        }
        for r in db.query("SELECT department_id, name, id FROM staff", &[])? {
            c.staff.insert((r.int(0), r.text(1)), r.int(2));
        }
        for r in db.query("SELECT code, id FROM matters", &[])? {
            c.matters.insert(r.text(0), r.int(1));
        }
        for r in db.query("SELECT name, id FROM packages", &[])? {
            c.packages.insert(r.text(0), r.int(1));
        }
        for r in db.query("SELECT code, id, name FROM supervisors", &[])? {
            c.supervisors.insert(r.text(0), r.int(1));
            c.supervisor_names.insert(r.text(2), r.int(1));
        }
        Ok(c)
    }

    pub fn region(&mut self, db: &mut dyn Backend, code: &RegionCode) -> Result<i64, StoreError> {
        if let Some(id) = self.regions.get(code.as_str()) {
            return Ok(*id);
        }
        // The name is unknown until regions are imported; the code stands in for it.
        let (id, created) = insert_or_find(
            db,
            "INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?)",
            &[
                code.as_str().into(),
                code.as_str().into(),
                code.level().code().into(),
                code.parent().map(String::from).into(),
            ],
            "SELECT id FROM regions WHERE code = ?",
            &[code.as_str().into()],
        )?;
        self.regions.insert(code.as_str().to_string(), id);
        if created {
            self.created.regions.push(code.to_string());
        }
        Ok(id)
    }

    pub fn remember_region(&mut self, code: &str, id: i64) {
        self.regions.insert(code.to_string(), id);
    }

    /// A department by name (or by code, when a code column is present).
    pub fn department(
        &mut self,
        db: &mut dyn Backend,
        name: &str,
        region: Option<&RegionCode>,
    ) -> Result<i64, StoreError> {
        if let Some(id) = self
            .departments
            .get(name)
            .or_else(|| self.dept_codes.get(name))
        {
            return Ok(*id);
        }
        let region_id = match region {
            Some(r) => Some(self.region(db, r)?),
            None => None,
        };
        let (id, created) = insert_or_find(
            db,
            "INSERT INTO departments (name, region_id) VALUES (?, ?)",
            &[name.into(), region_id.into()],
            "SELECT id FROM departments WHERE name = ?",
            &[name.into()],
        )?;
        self.departments.insert(name.to_string(), id);
        if created {
            self.created.departments.push(name.to_string());
        }
        Ok(id)
    }

    pub fn remember_department(&mut self, name: &str, code: Option<&str>, id: i64) {
        self.departments.insert(name.to_string(), id);
        if let Some(c) = code {
            self.dept_codes.insert(c.to_string(), id);
        }
    }

    pub fn known_department(&self, name: &str) -> Option<i64> {
        self.departments.get(name).copied()
    }

    pub fn hall(
        &mut self,
        db: &mut dyn Backend,
        name: &str,
        region: &RegionCode,
    ) -> Result<i64, StoreError> {
        if let Some(id) = self.halls.get(name) {
            return Ok(*id);
        }
        let region_id = self.region(db, region)?;
        let (id, created) = insert_or_find(
            db,
            "INSERT INTO halls (name, region_id) VALUES (?, ?)",
            &[name.into(), region_id.into()],
            "SELECT id FROM halls WHERE name = ?",
            &[name.into()],
        )?;
        self.halls.insert(name.to_string(), id);
        if created {
            self.created.halls.push(name.to_string());
        }
        Ok(id)
    }

    pub fn remember_hall(&mut self, name: &str, code: Option<&str>, id: i64) {
        self.halls.insert(name.to_string(), id);
        if let Some(c) = code {
            self.halls.insert(c.to_string(), id);
        }
    }

    pub fn known_hall(&self, name: &str) -> Option<i64> {
        self.halls.get(name).copied()
    }

    /// A window by code, or by name within its region.
    pub fn window(
        &mut self,
        db: &mut dyn Backend,
        name: &str,
        region: &RegionCode,
        department_id: Option<i64>,
    ) -> Result<i64, StoreError> {
        if let Some(id) = self.window_codes.get(name) {
            return Ok(*id);
        }
        let region_id = self.region(db, region)?;
        if let Some(id) = self.windows.get(&(region_id, name.to_string())) {
            return Ok(*id);
        }
        let (id, created) = insert_or_find(
            db,
            "INSERT INTO windows (region_id, name, department_id) VALUES (?, ?, ?)",
            &[region_id.into(), name.into(), department_id.into()],
            "SELECT id FROM windows WHERE region_id = ? AND name = ?",
            &[region_id.into(), name.into()],
        )?;
        self.windows.insert((region_id, name.to_string()), id);
        if created {
            self.created.windows.push(format!("{name}（{region}）"));
        }
        Ok(id)
    }

    pub fn remember_window(&mut self, region_id: i64, name: &str, code: Option<&str>, id: i64) {
        self.windows.insert((region_id, name.to_string()), id);
        if let Some(c) = code {
            self.window_codes.insert(c.to_string(), id);
        }
    }

    pub fn known_window(&self, region_id: i64, name: &str) -> Option<i64> {
        self.window_codes
            .get(name)
            .or_else(|| self.windows.get(&(region_id, name.to_string())))
            .copied()
    }

    pub fn staff(
        &mut self,
        db: &mut dyn Backend,
        name: &str,
        department_id: i64,
    ) -> Result<i64, StoreError> {
        if let Some(id) = self.staff.get(&(department_id, name.to_string())) {
            return Ok(*id);
        }
        let (id, created) = insert_or_find(
            db,
            "INSERT INTO staff (department_id, name) VALUES (?, ?)",
            &[department_id.into(), name.into()],
            "SELECT id FROM staff WHERE department_id = ? AND name = ?",
            &[department_id.into(), name.into()],
        )?;
        self.staff.insert((department_id, name.to_string()), id);
        if created {
            self.created.staff.push(name.to_string());
        }
        Ok(id)
    }

    pub fn remember_staff(&mut self, department_id: i64, name: &str, id: i64) {
        self.staff.insert((department_id, name.to_string()), id);
    }

    pub fn known_staff(&self, department_id: i64, name: &str) -> Option<i64> {
        self.staff.get(&(department_id, name.to_string())).copied()
    }

    /// A matter by its code; created from the code and name a rating or case carries.
    pub fn matter(
        &mut self,
        db: &mut dyn Backend,
        code: &str,
        name: Option<&str>,
        department_id: i64,
        region: &RegionCode,
    ) -> Result<i64, StoreError> {
        if let Some(id) = self.matters.get(code) {
            return Ok(*id);
        }
        let region_id = self.region(db, region)?;
        let (id, created) = insert_or_find(
            db,
            "INSERT INTO matters (code, base_code, name, department_id, region_id) VALUES (?, ?, ?, ?, ?)",
            &[
                code.into(),
                code.into(),
                name.unwrap_or(code).into(),
                department_id.into(),
                region_id.into(),
            ],
            "SELECT id FROM matters WHERE code = ?",
            &[code.into()],
        )?;
        self.matters.insert(code.to_string(), id);
        if created {
            self.created.matters.push(
                format!("{} {}", code, name.unwrap_or(""))
                    .trim()
                    .to_string(),
            );
        }
        Ok(id)
    }

    pub fn remember_matter(&mut self, code: &str, id: i64) {
        self.matters.insert(code.to_string(), id);
    }

    pub fn known_matter(&self, code: &str) -> Option<i64> {
        self.matters.get(code).copied()
    }

    pub fn package(
        &mut self,
        db: &mut dyn Backend,
        name: &str,
        department_id: Option<i64>,
    ) -> Result<i64, StoreError> {
        if let Some(id) = self.packages.get(name) {
            return Ok(*id);
        }
        let (id, created) = insert_or_find(
            db,
            "INSERT INTO packages (name, department_id) VALUES (?, ?)",
            &[name.into(), department_id.into()],
            "SELECT id FROM packages WHERE name = ?",
            &[name.into()],
        )?;
        self.packages.insert(name.to_string(), id);
        if created {
            self.created.packages.push(name.to_string());
        }
        Ok(id)
    }

    /// A supervisor by code or name; unknown ones cannot be invented (they are appointed).
    pub fn supervisor(&self, key: &str) -> Option<i64> {
        self.supervisors
            .get(key)
            .or_else(|| self.supervisor_names.get(key))
            .copied()
    }

    pub fn remember_supervisor(&mut self, code: &str, name: &str, id: i64) {
        self.supervisors.insert(code.to_string(), id);
        self.supervisor_names.insert(name.to_string(), id);
    }
}
