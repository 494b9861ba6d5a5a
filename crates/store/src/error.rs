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
}

fn pg_detail(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}（{}）", db.message(), db.code().code()),
        None => e.to_string(),
    }
}
