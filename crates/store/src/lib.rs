//! jianping-store: persistence behind one domain API, on SQLite (embedded default) or
//! PostgreSQL, chosen at run time from the database URL.

pub mod backend;
pub mod codes;
pub mod cube;
pub mod dims;
mod error;
pub mod import;
pub mod intake;
pub mod integrity;
pub mod ledger;
pub mod queries;
pub mod rollup;

pub use backend::{Backend, Dialect, Row, RowExt, Value};
pub use error::StoreError;
pub use import::{ImportSession, ImportSummary};
pub use intake::{Intake, IntakeConfig, IntakeError, IntakeOutcome, IntakeReceipt};

use std::path::Path;

mod sqlite_migrations {
    refinery::embed_migrations!("migrations/sqlite");
}
mod postgres_migrations {
    refinery::embed_migrations!("migrations/postgres");
}

/// Where the data lives, as given by `--db PATH` or `--database-url URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite(std::path::PathBuf),
    Postgres { url: String, schema: Option<String> },
}

impl Target {
    /// `postgres://…` / `postgresql://…` select PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or a
    /// plain path select SQLite. Other schemes are refused with the list of supported ones.
    pub fn parse(url: &str) -> Result<Target, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target::Postgres {
                url: url.to_string(),
                schema: None,
            });
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            return Ok(Target::Sqlite(path.into()));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(StoreError::Open(format!(
                "不支持的数据库类型「{scheme}」：可用 sqlite://文件路径 或 postgres://用户@主机:端口/库名"
            )));
        }
        Ok(Target::Sqlite(url.into()))
    }
}

/// The store: a backend plus the domain operations (imports, queries, ledger …).
pub struct Store {
    db: Box<dyn Backend>,
}

impl Store {
    /// Opens (creating if absent) and migrates.
    pub fn open(target: &Target) -> Result<Store, StoreError> {
        match target {
            Target::Sqlite(path) => Store::open_sqlite(path),
            Target::Postgres { url, schema } => Store::open_postgres(url, schema.as_deref()),
        }
    }

    pub fn open_sqlite(path: &Path) -> Result<Store, StoreError> {
        let mut db = backend::sqlite::Sqlite::open(path)?;
        sqlite_migrations::migrations::runner()
            .run(db.connection())
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(Store { db: Box::new(db) })
    }

    /// With `schema`, everything lives in that schema (created if needed).
    pub fn open_postgres(url: &str, schema: Option<&str>) -> Result<Store, StoreError> {
        let mut db = backend::postgres::Postgres::connect(url, schema)?;
        postgres_migrations::migrations::runner()
            .run(db.client())
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(Store { db: Box::new(db) })
    }

    pub fn backend(&mut self) -> &mut dyn Backend {
        self.db.as_mut()
    }

    pub fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    pub fn describe(&self) -> String {
        self.db.describe()
    }

    /// Runs `f` in one transaction: committed if it returns Ok, rolled back otherwise.
    pub fn tx<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut dyn Backend) -> Result<T, E>,
    ) -> Result<T, E> {
        self.db.begin()?;
        match f(self.db.as_mut()) {
            Ok(v) => {
                self.db.commit()?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.db.rollback();
                Err(e)
            }
        }
    }

    /// Recomputes rollups from facts and lists differences.
    pub fn verify_rollups(&mut self) -> Result<Vec<rollup::RollupMismatch>, StoreError> {
        rollup::verify(self.db.as_mut())
    }

    pub fn rebuild_rollups(&mut self) -> Result<(), StoreError> {
        self.tx(rollup::rebuild)
    }
}
