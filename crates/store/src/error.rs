use thiserror::Error;

/// Store failures, worded for the person who has to act on them.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{0}")]
    Open(String),
    #[error("SQLite 错误：{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL 错误：{}", pg_detail(.0))]
    Postgres(#[from] postgres::Error),
    #[error("数据库迁移失败：{0}")]
    Migration(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    /// The principal may not do this (HTTP 403).
    #[error("{0}")]
    Forbidden(String),
    /// Refused because of the record's current state, e.g. claiming an item someone else
    /// has just claimed (HTTP 409). Reloading shows what changed.
    #[error("{0}")]
    Conflict(String),
    /// No connection could be had in time (a pool exhausted, the server unreachable):
    /// a failure of the moment (HTTP 503).
    #[error("{0}")]
    Unavailable(String),
}

impl From<jianping_core::access::AccessError> for StoreError {
    fn from(e: jianping_core::access::AccessError) -> Self {
        StoreError::Forbidden(e.to_string())
    }
}

fn pg_detail(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}（{}）", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

impl StoreError {
    /// A failure of the moment (database busy or locked, connection lost, deadlock or
    /// serialization conflict) rather than of the data: retrying the same work later may
    /// succeed, and splitting it up would not help.
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy
                    | rusqlite::ErrorCode::DatabaseLocked
                    | rusqlite::ErrorCode::SystemIoFailure
                    | rusqlite::ErrorCode::DiskFull
            ),
            StoreError::Postgres(e) => match e.code() {
                // 08: connection exception; 40: transaction rollback (deadlock,
                // serialization); 53: insufficient resources; 57: operator intervention.
                Some(code) => ["08", "40", "53", "57"]
                    .iter()
                    .any(|class| code.code().starts_with(class)),
                None => e.is_closed(),
            },
            StoreError::Unavailable(_) => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::ffi;

    fn sqlite(code: i32) -> StoreError {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None))
    }

    #[test]
    fn busy_is_transient_and_a_refused_row_is_not() {
        assert!(sqlite(ffi::SQLITE_BUSY).is_transient());
        assert!(sqlite(ffi::SQLITE_LOCKED).is_transient());
        assert!(!sqlite(ffi::SQLITE_CONSTRAINT).is_transient());
        assert!(!StoreError::Invalid("x".into()).is_transient());
    }
}
