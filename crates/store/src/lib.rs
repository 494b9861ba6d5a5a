//! jianping-store: persistence behind one domain API, on SQLite (embedded default) or
//! PostgreSQL, chosen at run time from the database URL.

pub mod accounts;
pub mod backend;
pub mod backup;
mod case_ratings;
pub mod catalog_admin;
pub mod codes;
pub mod complaints;
pub mod cube;
pub mod dims;
mod error;
pub mod import;
pub mod intake;
pub mod integrity;
pub mod ledger;
pub mod open311;
pub mod pool;
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
mod schema;

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

/// What the connection is doing, so that misuse fails clearly and a pool can tell a
/// connection abandoned half-way (a panic inside a transaction) from an idle one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Activity {
    Idle,
    Writing,
    Snapshot,
}

/// The store: a backend plus the domain operations (imports, queries, ledger …).
/// `Send`: a connection may move between threads (a pool hands it to whichever asks).
pub struct Store {
    db: Box<dyn Backend>,
    activity: Activity,
}

impl Store {
    fn new(db: Box<dyn Backend>) -> Store {
        Store {
            db,
            activity: Activity::Idle,
        }
    }

    /// Opens (creating if absent) and migrates: the command line's way in.
    pub fn open(target: &Target) -> Result<Store, StoreError> {
        match target {
            Target::Sqlite(path) => Store::open_sqlite(path),
            Target::Postgres { url, schema } => Store::open_postgres(url, schema.as_deref()),
        }
    }

    /// Brings the database's schema up to this binary's migrations (creating a SQLite file
    /// if absent), once, before a server opens its connections with [`Store::connect`].
    pub fn migrate(target: &Target) -> Result<(), StoreError> {
        Store::open(target).map(drop)
    }

    /// Opens a connection without migrating. Fails, saying what to do, when the database is
    /// behind this binary's migrations (or ahead of them, or not a jianping database).
    pub fn connect(target: &Target) -> Result<Store, StoreError> {
        let mut store = match target {
            Target::Sqlite(path) => {
                if !path.exists() {
                    return Err(StoreError::Open(format!(
                        "数据库文件 {} 不存在：请先初始化数据库（启动服务时自动完成，或用 jianping 命令行导入数据）",
                        path.display()
                    )));
                }
                Store::new(Box::new(backend::sqlite::Sqlite::open(path)?))
            }
            Target::Postgres { url, schema } => Store::new(Box::new(
                backend::postgres::Postgres::connect(url, schema.as_deref())?,
            )),
        };
        let embedded: Vec<i64> = match target {
            Target::Sqlite(_) => schema::versions(&sqlite_migrations::migrations::runner()),
            Target::Postgres { .. } => schema::versions(&postgres_migrations::migrations::runner()),
        };
        schema::check(store.db.as_mut(), &embedded)?;
        Ok(store)
    }

    pub fn open_sqlite(path: &Path) -> Result<Store, StoreError> {
        let mut db = backend::sqlite::Sqlite::open(path)?;
        sqlite_migrations::migrations::runner()
            .run(db.connection())
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(Store::new(Box::new(db)))
    }

    /// With `schema`, everything lives in that schema (created if needed).
    pub fn open_postgres(url: &str, schema: Option<&str>) -> Result<Store, StoreError> {
        let mut db = backend::postgres::Postgres::connect(url, schema)?;
        postgres_migrations::migrations::runner()
            .run(db.client())
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(Store::new(Box::new(db)))
    }

    /// Left unusable: the connection is closed, or a transaction was abandoned half-way
    /// (a panic inside `tx` or `snapshot`).
    pub fn is_broken(&self) -> bool {
        self.activity != Activity::Idle || self.db.is_closed()
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
    /// On SQLite it begins IMMEDIATE (the write lock first, waiting up to the busy timeout),
    /// so writers are serialized before they read what they will change.
    pub fn tx<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut dyn Backend) -> Result<T, E>,
    ) -> Result<T, E> {
        self.idle_for("写入数据")?;
        self.db.begin()?;
        self.activity = Activity::Writing;
        let out = f(self.db.as_mut());
        self.activity = Activity::Idle;
        match out {
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

    /// Runs `f` in a read-only transaction: every read inside sees the database as it was
    /// when the snapshot began, whatever other connections commit meanwhile (a report's
    /// figures then agree with each other). SQLite: a deferred BEGIN whose snapshot is fixed
    /// at once (WAL); PostgreSQL: REPEATABLE READ READ ONLY. Writes inside are refused: by
    /// the store for its own write operations (with a clear error), by the engine for any
    /// other statement. Snapshots do not nest.
    pub fn snapshot<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.idle_for("开始只读快照")?;
        self.db.begin_read()?;
        self.activity = Activity::Snapshot;
        let out = f(self);
        self.activity = Activity::Idle;
        // Nothing was written: ending by rollback costs no commit record.
        let ended = self.db.rollback();
        let v = out?;
        ended?;
        Ok(v)
    }

    /// Refuses to start a transaction inside another one (a write inside a report's
    /// snapshot, a nested snapshot) with an error that says so, instead of the engine's.
    fn idle_for(&self, what: &str) -> Result<(), StoreError> {
        match self.activity {
            Activity::Idle => Ok(()),
            Activity::Snapshot => Err(StoreError::Invalid(format!(
                "内部错误：只读快照（报告读取）内不能{what}；请在快照之外执行"
            ))),
            Activity::Writing => Err(StoreError::Invalid(format!("内部错误：事务内不能再{what}"))),
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
