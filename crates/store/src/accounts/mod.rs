//! People who log in to the web platform, their sessions, the audit log of their writes,
//! and files attached to records. Persistence only: password hashing, lockout policy and
//! session lifetimes are decided by the application layer.

mod attachments;
mod audit;
mod audit_search;
mod sessions;

pub use attachments::{
    Attachment, AttachmentMeta, MAX_ATTACHMENT_BYTES, NewAttachment, add_attachment,
};
pub use audit::{AuditEntry, NewAudit, append as append_audit};
pub use audit_search::{AuditFilter, LogPage};
pub use sessions::{NewSession, SessionRow};

use crate::backend::{Backend, Row, RowExt};
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::time::fmt_ts;
use serde::Serialize;

/// A user as stored. `password_hash` never leaves the application layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// The role's code (jianping_core::access::UserRole).
    pub role: String,
    pub department_id: Option<i64>,
    pub department: Option<String>,
    pub supervisor_id: Option<i64>,
    pub supervisor: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub active: bool,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
    pub password_changed_at: Option<String>,
    pub created_at: String,
    pub last_login_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub department_id: Option<i64>,
    pub supervisor_id: Option<i64>,
    pub password_hash: String,
}

/// What an administrator may change about a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserChange {
    pub display_name: String,
    pub role: String,
    pub department_id: Option<i64>,
    pub supervisor_id: Option<i64>,
    pub active: bool,
}

const USER_SELECT: &str =
    "SELECT u.id, u.username, u.display_name, u.role, u.department_id, d.name,
        u.supervisor_id, s.name, u.password_hash, u.active, u.failed_logins, u.locked_until,
        u.password_changed_at, u.created_at, u.last_login_at
    FROM users u LEFT JOIN departments d ON d.id = u.department_id
    LEFT JOIN supervisors s ON s.id = u.supervisor_id";

pub(crate) fn user_from(r: &Row, at: usize) -> UserRow {
    UserRow {
        id: r.int(at),
        username: r.text(at + 1),
        display_name: r.text(at + 2),
        role: r.text(at + 3),
        department_id: r.opt_int(at + 4),
        department: r.opt_text(at + 5),
        supervisor_id: r.opt_int(at + 6),
        supervisor: r.opt_text(at + 7),
        password_hash: r.text(at + 8),
        active: r.int(at + 9) != 0,
        failed_logins: r.int(at + 10),
        locked_until: r.opt_text(at + 11),
        password_changed_at: r.opt_text(at + 12),
        created_at: r.text(at + 13),
        last_login_at: r.opt_text(at + 14),
    }
}

fn one_user(
    db: &mut dyn Backend,
    filter: &str,
    key: crate::Value,
) -> Result<Option<UserRow>, StoreError> {
    let rows = db.query(&format!("{USER_SELECT} WHERE {filter}"), &[key])?;
    Ok(rows.first().map(|r| user_from(r, 0)))
}

impl Store {
    /// Creates a user; a username already taken is refused with a clear message.
    pub fn create_user(&mut self, u: &NewUser, at: NaiveDateTime) -> Result<i64, StoreError> {
        let username = u.username.trim().to_string();
        self.tx(|db| {
            if one_user(db, "u.username = ?", username.as_str().into())?.is_some() {
                return Err(StoreError::Invalid(format!(
                    "用户名「{username}」已被使用，请换一个"
                )));
            }
            let rows = db.query(
                "INSERT INTO users (username, display_name, role, department_id, supervisor_id,
                     password_hash, active, failed_logins, password_changed_at, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, 1, 0, ?, ?) RETURNING id",
                &[
                    username.as_str().into(),
                    u.display_name.trim().into(),
                    u.role.as_str().into(),
                    u.department_id.into(),
                    u.supervisor_id.into(),
                    u.password_hash.as_str().into(),
                    fmt_ts(&at).into(),
                    fmt_ts(&at).into(),
                ],
            )?;
            Ok(rows[0].int(0))
        })
    }

    pub fn user_by_username(&mut self, username: &str) -> Result<Option<UserRow>, StoreError> {
        one_user(self.backend(), "u.username = ?", username.trim().into())
    }

    pub fn user_by_id(&mut self, id: i64) -> Result<Option<UserRow>, StoreError> {
        one_user(self.backend(), "u.id = ?", id.into())
    }

    pub fn users(&mut self) -> Result<Vec<UserRow>, StoreError> {
        let rows = self
            .backend()
            .query(&format!("{USER_SELECT} ORDER BY u.role, u.username"), &[])?;
        Ok(rows.iter().map(|r| user_from(r, 0)).collect())
    }

    pub fn update_user(&mut self, id: i64, c: &UserChange) -> Result<(), StoreError> {
        self.tx(|db| {
            let n = db.execute(
                "UPDATE users SET display_name = ?, role = ?, department_id = ?, supervisor_id = ?, active = ?
                 WHERE id = ?",
                &[
                    c.display_name.trim().into(),
                    c.role.as_str().into(),
                    c.department_id.into(),
                    c.supervisor_id.into(),
                    i64::from(c.active).into(),
                    id.into(),
                ],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("没有编号为 {id} 的用户")));
            }
            if !c.active {
                // A deactivated account is logged out everywhere at once.
                db.execute("DELETE FROM sessions WHERE user_id = ?", &[id.into()])?;
            }
            Ok(())
        })
    }

    /// Replaces the password hash, clears the lockout and ends every session of the user.
    pub fn set_password(
        &mut self,
        id: i64,
        password_hash: &str,
        at: NaiveDateTime,
    ) -> Result<(), StoreError> {
        self.tx(|db| {
            let n = db.execute(
                "UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL
                 WHERE id = ?",
                &[password_hash.into(), fmt_ts(&at).into(), id.into()],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("没有编号为 {id} 的用户")));
            }
            db.execute("DELETE FROM sessions WHERE user_id = ?", &[id.into()])?;
            Ok(())
        })
    }

    /// Counts a failed login; `lock_until` locks the account when the policy says so.
    /// Returns the failures counted so far.
    pub fn record_login_failure(
        &mut self,
        id: i64,
        lock_until: Option<NaiveDateTime>,
    ) -> Result<i64, StoreError> {
        self.tx(|db| {
            db.execute(
                "UPDATE users SET failed_logins = failed_logins + 1,
                     locked_until = COALESCE(?, locked_until) WHERE id = ?",
                &[lock_until.map(|t| fmt_ts(&t)).into(), id.into()],
            )?;
            let rows = db.query("SELECT failed_logins FROM users WHERE id = ?", &[id.into()])?;
            Ok(rows.first().map_or(0, |r| r.int(0)))
        })
    }

    pub fn record_login_success(&mut self, id: i64, at: NaiveDateTime) -> Result<(), StoreError> {
        self.tx(|db| {
            db.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?",
                &[fmt_ts(&at).into(), id.into()],
            )?;
            Ok(())
        })
    }

    /// How many users exist (the first administrator is created from the command line).
    pub fn user_count(&mut self) -> Result<i64, StoreError> {
        let rows = self.backend().query("SELECT COUNT(*) FROM users", &[])?;
        Ok(rows.first().map_or(0, |r| r.int(0)))
    }
}
