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
        Ok(rows
            .iter()
            .map(|r| AuditEntry {
                id: r.int(0),
                at: r.text(1),
                user_id: r.opt_int(2),
                username: r.text(3),
                role: r.text(4),
                action: r.text(5),
                target: r.opt_text(6),
                detail: r.opt_text(7),
                address: r.opt_text(8),
            })
            .collect())
    }
}
