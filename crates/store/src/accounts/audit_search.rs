//! The auditor's reading of the logs: the audit log of writes and the log of unmasked
//! views (`access_log`), filtered by user, action and day, counted and paged in SQL. Only a
//! principal `authorize` lets read the access log (the auditor) gets either.

use super::audit::AuditEntry;
use crate::backend::{RowExt, Value};
use crate::ledger::AccessEntry;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use jianping_core::access::{Operation, Principal, Scope, authorize};
use jianping_core::time::fmt_date;

/// What the auditor asks for; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// A username (the login name).
    pub user: Option<String>,
    /// An action code or its beginning, e.g. `ledger.` for every ledger step.
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One page of a log and how many entries match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPage<T> {
    pub entries: Vec<T>,
    pub total: u64,
}

fn days(f: &AuditFilter, conds: &mut Vec<String>, params: &mut Vec<Value>) {
    if let Some(d) = f.from {
        conds.push("at >= ?".into());
        params.push(format!("{} 00:00:00", fmt_date(&d)).into());
    }
    if let Some(d) = f.to {
        conds.push("at <= ?".into());
        params.push(format!("{} 23:59:59", fmt_date(&d)).into());
    }
}

fn where_of(conds: &[String]) -> String {
    if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn paged(mut params: Vec<Value>, (offset, limit): (u64, u64)) -> Vec<Value> {
    params.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
    params.push(i64::try_from(offset).unwrap_or(i64::MAX).into());
    params
}

impl Store {
    /// The audit log, newest first.
    pub fn audit_search(
        &mut self,
        who: &Principal,
        f: &AuditFilter,
        page: (u64, u64),
    ) -> Result<LogPage<AuditEntry>, StoreError> {
        authorize(who, Operation::ViewAccessLog, &Scope::City)?;
        let mut conds = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if let Some(u) = f.user.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            conds.push("username = ?".to_string());
            params.push(u.into());
        }
        if let Some(a) = f.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            conds.push("action LIKE ? ESCAPE '\\'".to_string());
            params.push(format!("{}%", escape_like(a)).into());
        }
        days(f, &mut conds, &mut params);
        let w = where_of(&conds);
        let db = self.backend();
        let total = db
            .query(
                &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log {w}"),
                &params,
            )?
            .first()
            .map_or(0, |r| r.int(0).max(0) as u64);
        let rows = db.query(
            &format!(
                "SELECT id, at, user_id, username, role, action, target, detail, address
                 FROM audit_log {w} ORDER BY id DESC LIMIT ? OFFSET ?"
            ),
            &paged(params, page),
        )?;
        let entries = rows.iter().map(super::audit::entry_from).collect();
        Ok(LogPage { entries, total })
    }

    /// The log of unmasked views of personal data, newest first. `action` does not apply
    /// (every entry is a view); the user matches the login name inside the actor
    /// ("姓名（username）") or the whole actor (entries made at the shell).
    pub fn access_search(
        &mut self,
        who: &Principal,
        f: &AuditFilter,
        page: (u64, u64),
    ) -> Result<LogPage<AccessEntry>, StoreError> {
        authorize(who, Operation::ViewAccessLog, &Scope::City)?;
        let mut conds = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if let Some(u) = f.user.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            conds.push("(actor = ? OR actor LIKE ? ESCAPE '\\')".to_string());
            params.push(u.into());
            params.push(format!("%（{}）", escape_like(u)).into());
        }
        days(f, &mut conds, &mut params);
        let w = where_of(&conds);
        let db = self.backend();
        let total = db
            .query(
                &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM access_log {w}"),
                &params,
            )?
            .first()
            .map_or(0, |r| r.int(0).max(0) as u64);
        let rows = db.query(
            &format!(
                "SELECT at, actor, role, what, reason FROM access_log {w}
                 ORDER BY id DESC LIMIT ? OFFSET ?"
            ),
            &paged(params, page),
        )?;
        let entries = rows
            .iter()
            .map(|r| AccessEntry {
                at: r.text(0),
                actor: r.text(1),
                role: r.text(2),
                what: r.text(3),
                reason: r.opt_text(4),
            })
            .collect();
        Ok(LogPage { entries, total })
    }
}
