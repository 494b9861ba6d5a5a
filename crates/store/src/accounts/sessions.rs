//! Login sessions. The cookie value is random; only its SHA-256 is stored.

use super::{USER_SELECT, UserRow, user_from};
use crate::backend::RowExt;
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::time::fmt_ts;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub id_hash: String,
    pub csrf: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub user: UserRow,
}

impl Store {
    pub fn create_session(&mut self, s: &NewSession) -> Result<(), StoreError> {
        self.tx(|db| {
            db.execute(
                "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen_at, expires_at, address)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
                &[
                    s.id_hash.as_str().into(),
                    s.user_id.into(),
                    s.csrf.as_str().into(),
                    fmt_ts(&s.created_at).into(),
                    fmt_ts(&s.created_at).into(),
                    fmt_ts(&s.expires_at).into(),
                    s.address.as_deref().into(),
                ],
            )?;
            Ok(())
        })
    }

    /// The session with this hash and its user, whatever its age: the caller decides
    /// whether it has expired or idled out.
    pub fn session(&mut self, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        let sql = USER_SELECT.replacen(
            "SELECT ",
            "SELECT x.id_hash, x.csrf, x.created_at, x.last_seen_at, x.expires_at, ",
            1,
        ) + " JOIN sessions x ON x.user_id = u.id WHERE x.id_hash = ?";
        let rows = self.backend().query(&sql, &[id_hash.into()])?;
        Ok(rows.first().map(|r| SessionRow {
            id_hash: r.text(0),
            csrf: r.text(1),
            created_at: r.text(2),
            last_seen_at: r.text(3),
            expires_at: r.text(4),
            user: user_from(r, 5),
        }))
    }

    pub fn touch_session(&mut self, id_hash: &str, at: NaiveDateTime) -> Result<(), StoreError> {
        self.backend().execute(
            "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?",
            &[fmt_ts(&at).into(), id_hash.into()],
        )?;
        Ok(())
    }

    pub fn delete_session(&mut self, id_hash: &str) -> Result<(), StoreError> {
        self.backend()
            .execute("DELETE FROM sessions WHERE id_hash = ?", &[id_hash.into()])?;
        Ok(())
    }

    /// Removes sessions that expired before `at`, or were last used before `idle_before`.
    pub fn purge_sessions(
        &mut self,
        at: NaiveDateTime,
        idle_before: NaiveDateTime,
    ) -> Result<u64, StoreError> {
        self.backend().execute(
            "DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?",
            &[fmt_ts(&at).into(), fmt_ts(&idle_before).into()],
        )
    }
}
