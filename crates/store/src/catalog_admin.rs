//! What the back office's administration pages read and change beyond imports: the
//! departments, halls and supervisors to choose from, renaming a department, hall or
//! window, adding a department by hand, and unlocking an account before its lock runs out.

use crate::backend::{Backend, RowExt};
use crate::{Store, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentEntry {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
    pub short_name: Option<String>,
    pub region_name: Option<String>,
    pub windows: i64,
    pub users: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HallEntry {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
    pub region_name: String,
    pub windows: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupervisorEntry {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A name as typed: trimmed, not empty, not absurdly long.
fn name_of(name: &str, what: &str) -> Result<String, StoreError> {
    let n = name.trim();
    if n.is_empty() {
        return Err(StoreError::Invalid(format!("请填写{what}名称")));
    }
    if n.chars().count() > 100 {
        return Err(StoreError::Invalid(format!("{what}名称不能超过 100 个字")));
    }
    Ok(n.to_string())
}

fn rename(
    db: &mut dyn Backend,
    table: &str,
    what: &str,
    id: i64,
    name: &str,
    taken_sql: &str,
    taken_params: &[crate::Value],
) -> Result<(), StoreError> {
    let taken = db.query(taken_sql, taken_params)?;
    if !taken.is_empty() {
        return Err(StoreError::Invalid(format!(
            "已有名为「{name}」的{what}，请换一个名称"
        )));
    }
    let n = db.execute(
        &format!("UPDATE {table} SET name = ? WHERE id = ?"),
        &[name.into(), id.into()],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("没有编号为 {id} 的{what}")));
    }
    Ok(())
}

impl Store {
    pub fn department_entries(&mut self) -> Result<Vec<DepartmentEntry>, StoreError> {
        let rows = self.backend().query(
            "SELECT d.id, d.name, d.code, d.short_name, r.name,
                 (SELECT COUNT(*) FROM windows w WHERE w.department_id = d.id),
                 (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id)
             FROM departments d LEFT JOIN regions r ON r.id = d.region_id
             ORDER BY d.name",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| DepartmentEntry {
                id: r.int(0),
                name: r.text(1),
                code: r.opt_text(2),
                short_name: r.opt_text(3),
                region_name: r.opt_text(4),
                windows: r.int(5),
                users: r.int(6),
            })
            .collect())
    }

    pub fn hall_entries(&mut self) -> Result<Vec<HallEntry>, StoreError> {
        let rows = self.backend().query(
            "SELECT h.id, h.name, h.code, r.name,
                 (SELECT COUNT(*) FROM windows w WHERE w.hall_id = h.id)
             FROM halls h JOIN regions r ON r.id = h.region_id
             ORDER BY r.code, h.name",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| HallEntry {
                id: r.int(0),
                name: r.text(1),
                code: r.opt_text(2),
                region_name: r.text(3),
                windows: r.int(4),
            })
            .collect())
    }

    pub fn supervisor_entries(&mut self) -> Result<Vec<SupervisorEntry>, StoreError> {
        let rows = self
            .backend()
            .query("SELECT id, code, name FROM supervisors ORDER BY code", &[])?;
        Ok(rows
            .iter()
            .map(|r| SupervisorEntry {
                id: r.int(0),
                code: r.text(1),
                name: r.text(2),
            })
            .collect())
    }

    /// Adds a department by hand (one the next import of the department list will update
    /// by name). Returns its id.
    pub fn add_department(
        &mut self,
        name: &str,
        short_name: Option<&str>,
    ) -> Result<i64, StoreError> {
        let name = name_of(name, "部门")?;
        let short = short_name.map(str::trim).filter(|s| !s.is_empty());
        self.tx(|db| {
            let taken = db.query(
                "SELECT 1 FROM departments WHERE name = ?",
                &[name.as_str().into()],
            )?;
            if !taken.is_empty() {
                return Err(StoreError::Invalid(format!("部门「{name}」已存在")));
            }
            let rows = db.query(
                "INSERT INTO departments (name, short_name) VALUES (?, ?) RETURNING id",
                &[name.as_str().into(), short.into()],
            )?;
            Ok(rows[0].int(0))
        })
    }

    pub fn rename_department(&mut self, id: i64, name: &str) -> Result<(), StoreError> {
        let name = name_of(name, "部门")?;
        self.tx(|db| {
            rename(
                db,
                "departments",
                "部门",
                id,
                &name,
                "SELECT 1 FROM departments WHERE name = ? AND id <> ?",
                &[name.as_str().into(), id.into()],
            )
        })
    }

    pub fn rename_hall(&mut self, id: i64, name: &str) -> Result<(), StoreError> {
        let name = name_of(name, "大厅")?;
        self.tx(|db| {
            rename(
                db,
                "halls",
                "大厅",
                id,
                &name,
                "SELECT 1 FROM halls WHERE name = ? AND id <> ?",
                &[name.as_str().into(), id.into()],
            )
        })
    }

    /// Window names are unique within their region.
    pub fn rename_window(&mut self, id: i64, name: &str) -> Result<(), StoreError> {
        let name = name_of(name, "窗口")?;
        self.tx(|db| {
            rename(
                db,
                "windows",
                "窗口",
                id,
                &name,
                "SELECT 1 FROM windows w WHERE w.name = ? AND w.id <> ?
                   AND w.region_id = (SELECT region_id FROM windows WHERE id = ?)",
                &[name.as_str().into(), id.into(), id.into()],
            )
        })
    }

    /// Clears a lockout and the failure count (an administrator's decision, audit-logged
    /// by the caller).
    pub fn unlock_user(&mut self, id: i64) -> Result<(), StoreError> {
        self.tx(|db| {
            let n = db.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?",
                &[id.into()],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("没有编号为 {id} 的用户")));
            }
            Ok(())
        })
    }
}
