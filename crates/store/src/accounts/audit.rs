//! The audit log: every write made through the web platform, with who made it.

use crate::backend::RowExt;
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::time::fmt_ts;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAudit {
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub username: String,
    pub role: String,
    /// A short code, e.g. `ledger.claim`, `user.create`, `login.failed`.
    pub action: String,
    /// What was acted on, e.g. an item number.
    pub target: Option<String>,
    /// Masked free text.
    pub detail: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub username: String,
    pub role: String,
    pub action: String,
    pub target: Option<String>,
    pub detail: Option<String>,
    pub address: Option<String>,
}

pub fn append(db: &mut dyn crate::Backend, e: &NewAudit) -> Result<(), StoreError> {
    db.execute(
        "INSERT INTO audit_log (at, user_id, username, role, action, target, detail, address)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            fmt_ts(&e.at).into(),
            e.user_id.into(),
            e.username.as_str().into(),
            e.role.as_str().into(),
            e.action.as_str().into(),
            e.target.as_deref().into(),
            e.detail.as_deref().into(),
            e.address.as_deref().into(),
        ],
    )?;
    Ok(())
}

impl Store {
    /// Appends one entry in a transaction of its own.
    pub fn audit(&mut self, e: &NewAudit) -> Result<(), StoreError> {
        self.tx(|db| append(db, e))
    }

    /// Newest first; `before_id` pages back.
    pub fn audit_log(
        &mut self,
        limit: u64,
        before_id: Option<i64>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = self.backend().query(
            "SELECT id, at, user_id, username, role, action, target, detail, address
             FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?",
            &[before_id.unwrap_or(i64::MAX).into(), limit.into()],
        )?;
        Ok(rows.iter().map(entry_from).collect())
    }

    /// Removes the rows written before `cutoff`, once `archive` has kept them: one
    /// transaction, so a failed archive leaves every row in place. Only rows older than the
    /// cutoff are ever deleted (the append-only triggers allow nothing else); the caller
    /// sets the cutoff from the retention, which is never less than six months.
    pub fn prune_audit_log<E: From<StoreError>>(
        &mut self,
        cutoff: NaiveDateTime,
        archive: impl FnOnce(&[AuditEntry]) -> Result<(), E>,
    ) -> Result<usize, E> {
        self.tx(|db| {
            let rows = db.query(
                "SELECT id, at, user_id, username, role, action, target, detail, address
                 FROM audit_log WHERE at < ? ORDER BY id",
                &[fmt_ts(&cutoff).into()],
            )?;
            let old: Vec<AuditEntry> = rows.iter().map(entry_from).collect();
            let Some(last) = old.iter().map(|e| e.id).max() else {
                return Ok(0);
            };
            archive(&old)?;
            // The id bound keeps a row appended meanwhile with an old clock out of the
            // delete, since it is not in the archive.
            let n = db.execute(
                "DELETE FROM audit_log WHERE at < ? AND id <= ?",
                &[fmt_ts(&cutoff).into(), last.into()],
            )?;
            if n as usize != old.len() {
                return Err(StoreError::Invalid(format!(
                    "审计日志清理中止：归档 {} 条，但待删除 {n} 条，数据已回滚，请重试",
                    old.len()
                ))
                .into());
            }
            Ok(old.len())
        })
    }

    /// How many rows the audit log holds, and the time of its oldest.
    pub fn audit_log_span(&mut self) -> Result<(i64, Option<String>), StoreError> {
        let rows = self
            .backend()
            .query("SELECT COUNT(*), MIN(at) FROM audit_log", &[])?;
        Ok(rows
            .first()
            .map_or((0, None), |r| (r.int(0), r.opt_text(1))))
    }
}

/// An `audit_log` row selected in column order (id, at, user_id, … address).
pub(super) fn entry_from(r: &crate::backend::Row) -> AuditEntry {
    AuditEntry {
        id: r.int(0),
        at: r.text(1),
        user_id: r.opt_int(2),
        username: r.text(3),
        role: r.text(4),
        action: r.text(5),
        target: r.opt_text(6),
        detail: r.opt_text(7),
        address: r.opt_text(8),
    }
}
