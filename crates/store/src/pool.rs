//! A blocking pool of stores for a server: migrate once, then N connections that do not.
//!
//! The store is synchronous (and the synchronous PostgreSQL client must never run on an
//! async runtime's worker), so a server takes a [`PooledStore`] inside `spawn_blocking`
//! and gives it back by dropping it. SQLite connections are opened in WAL mode with a
//! 30-second busy timeout (see `backend::sqlite`): readers never wait, and a writer whose
//! `BEGIN IMMEDIATE` finds the lock taken waits for it instead of failing at once.
//!
//! ```no_run
//! # use jianping_store::{Target, pool::StorePool};
//! # fn demo() -> Result<(), jianping_store::StoreError> {
//! let pool = StorePool::new(&Target::parse("jianping.db")?, 8)?;
//! let mut store = pool.get()?; // blocks until a connection is free (or times out)
//! let config = store.ledger_config()?;
//! # Ok(()) }
//! ```

use crate::{Store, StoreError, Target};
use std::time::Duration;

/// Opens stores for r2d2: connections without migrating, checked by a trivial query.
#[derive(Debug, Clone)]
pub struct StoreManager {
    target: Target,
}

impl StoreManager {
    pub fn new(target: Target) -> StoreManager {
        StoreManager { target }
    }
}

impl r2d2::ManageConnection for StoreManager {
    type Connection = Store;
    type Error = StoreError;

    fn connect(&self) -> Result<Store, StoreError> {
        Store::connect(&self.target)
    }

    fn is_valid(&self, store: &mut Store) -> Result<(), StoreError> {
        store.backend().query("SELECT 1", &[]).map(drop)
    }

    fn has_broken(&self, store: &mut Store) -> bool {
        store.is_broken()
    }
}

/// A connection borrowed from the pool; returned when dropped. Derefs to [`Store`].
pub type PooledStore = r2d2::PooledConnection<StoreManager>;

/// How long `get` waits for a free connection before answering `Unavailable`.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(30);

/// The server's connections. Cheap to clone (one pool behind an `Arc`).
#[derive(Clone)]
pub struct StorePool {
    pool: r2d2::Pool<StoreManager>,
    target: Target,
}

impl std::fmt::Debug for StorePool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.pool.state();
        f.debug_struct("StorePool")
            .field("target", &self.target)
            .field("connections", &state.connections)
            .field("idle", &state.idle_connections)
            .finish()
    }
}

impl StorePool {
    /// Migrates the database once, then opens `size` connections (at least one).
    pub fn new(target: &Target, size: u32) -> Result<StorePool, StoreError> {
        StorePool::with_wait(target, size, DEFAULT_WAIT)
    }

    /// Like `new`, with how long `get` may wait for a free connection.
    pub fn with_wait(target: &Target, size: u32, wait: Duration) -> Result<StorePool, StoreError> {
        Store::migrate(target)?;
        // r2d2 retries failing connections until its timeout: a first connection made
        // here reports a schema or server problem at once, in our words.
        drop(Store::connect(target)?);
        let pool = r2d2::Pool::builder()
            .max_size(size.max(1))
            .connection_timeout(wait)
            .build(StoreManager::new(target.clone()))
            .map_err(|e| {
                StoreError::Unavailable(format!(
                    "无法建立数据库连接池（{}）：{e}",
                    describe(target)
                ))
            })?;
        Ok(StorePool {
            pool,
            target: target.clone(),
        })
    }

    /// A free connection, waiting for one up to the pool's wait.
    pub fn get(&self) -> Result<PooledStore, StoreError> {
        self.pool.get().map_err(|e| self.busy(&e))
    }

    /// A free connection, waiting at most `wait`.
    pub fn get_timeout(&self, wait: Duration) -> Result<PooledStore, StoreError> {
        self.pool.get_timeout(wait).map_err(|e| self.busy(&e))
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Connections open, and how many of them are idle.
    pub fn size(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections, s.idle_connections)
    }

    fn busy(&self, e: &r2d2::Error) -> StoreError {
        StoreError::Unavailable(format!(
            "数据库连接繁忙，请稍后重试（{}：{e}）",
            describe(&self.target)
        ))
    }
}

fn describe(t: &Target) -> String {
    match t {
        Target::Sqlite(p) => format!("SQLite {}", p.display()),
        // The URL may carry a password: name the engine only.
        Target::Postgres { schema, .. } => match schema {
            Some(s) => format!("PostgreSQL 模式 {s}"),
            None => "PostgreSQL".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}

    #[test]
    fn pool_types_cross_threads() {
        send::<Store>();
        send::<PooledStore>();
        send_sync::<StorePool>();
        send_sync::<StoreManager>();
    }
}
