//! Test support (shared by the store and report tests): every test runs on SQLite (a temp file) and on PostgreSQL (its own
//! schema on the server at JIANPING_TEST_PG, default 127.0.0.1:5432/test).

#![allow(dead_code)]

use jianping_store::{Dialect, Store};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier};

pub struct TestDb {
    pub store: Store,
    /// Where the store lives, for a second connection to the same data.
    pub target: jianping_store::Target,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<String>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(schema) = &self.pg_schema
            && let Ok(mut c) = postgres::Client::connect(&pg_url(), postgres::NoTls)
        {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

impl TestDb {
    /// Another connection to the same database (or PostgreSQL schema).
    pub fn reopen(&self) -> Store {
        Store::open(&self.target).expect("second connection")
    }
}

pub fn pg_url() -> String {
    std::env::var("JIANPING_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_sqlite(&dir.path().join("t.db")).expect("open sqlite");
    TestDb {
        store,
        target: jianping_store::Target::Sqlite(dir.path().join("t.db")),
        _dir: Some(dir),
        pg_schema: None,
    }
}

pub fn postgres() -> TestDb {
    let schema = format!(
        "t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let store = Store::open_postgres(&pg_url(), Some(&schema)).unwrap_or_else(|e| {
        panic!(
            "PostgreSQL is required for the store tests ({}): {e}",
            pg_url()
        )
    });
    TestDb {
        store,
        target: jianping_store::Target::Postgres {
            url: pg_url(),
            schema: Some(schema.clone()),
        },
        _dir: None,
        pg_schema: Some(schema),
    }
}

/// Defines `mod sqlite { #[test] fn name() }` and `mod postgres { #[test] fn name() }` for
/// each body, so both backends run the same assertions.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident($db:ident) $body:block)+) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $( #[test] fn $name() { let mut $db = $crate::common::sqlite(); $body } )+
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $( #[test] fn $name() { let mut $db = $crate::common::postgres(); $body } )+
        }
    };
}

/// Makes the database refuse one particular rating, as a constraint the validator cannot
/// know about would.
pub fn poison(store: &mut Store, rating_no: &str) {
    let sql = match store.dialect() {
        Dialect::Sqlite => format!(
            "CREATE TRIGGER poison BEFORE INSERT ON ratings WHEN NEW.rating_no = '{rating_no}'
             BEGIN SELECT RAISE(ABORT, 'poisoned rating'); END;"
        ),
        Dialect::Postgres => format!(
            "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN
               IF NEW.rating_no = '{rating_no}' THEN RAISE EXCEPTION 'poisoned rating'; END IF;
               RETURN NEW; END $$ LANGUAGE plpgsql;
             CREATE TRIGGER poison BEFORE INSERT ON ratings FOR EACH ROW EXECUTE FUNCTION poison();"
        ),
    };
    store.backend().execute_batch(&sql).unwrap();
}

/// Runs `f(thread, barrier)` on `n` threads and collects their results.
pub fn on_threads<T: Send + 'static>(
    n: usize,
    f: impl Fn(usize, &Barrier) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let f = Arc::new(f);
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|t| {
            let (f, b) = (Arc::clone(&f), Arc::clone(&barrier));
            std::thread::spawn(move || f(t, &b))
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}
