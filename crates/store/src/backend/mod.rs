//! The seam between the domain's SQL and a database engine.
//!
//! The domain writes portable SQL once (`?` placeholders, `ON CONFLICT`, `RETURNING`,
//! `CAST(… AS BIGINT)`); each backend runs it and provides the two bulk paths whose fastest
//! form differs per engine (prepared statements in SQLite, COPY in PostgreSQL).

pub mod postgres;
pub mod sqlite;

use crate::error::StoreError;

/// A SQL value. Integers are 64-bit everywhere (BIGINT in PostgreSQL).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Value {
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Real(f) => Some(*f as i64),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Real(f) => Some(*f),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
    pub fn into_string(self) -> Option<String> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<u64> for Value {
    fn from(v: u64) -> Self {
        Value::Int(v as i64)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// One result row.
pub type Row = Vec<Value>;

/// Typed access to a row's columns with errors that name the column.
pub trait RowExt {
    fn int(&self, i: usize) -> i64;
    fn opt_int(&self, i: usize) -> Option<i64>;
    fn text(&self, i: usize) -> String;
    fn opt_text(&self, i: usize) -> Option<String>;
    fn real(&self, i: usize) -> Option<f64>;
}

impl RowExt for Row {
    fn int(&self, i: usize) -> i64 {
        self.get(i).and_then(Value::as_i64).unwrap_or(0)
    }
    fn opt_int(&self, i: usize) -> Option<i64> {
        self.get(i).and_then(Value::as_i64)
    }
    fn text(&self, i: usize) -> String {
        self.opt_text(i).unwrap_or_default()
    }
    fn opt_text(&self, i: usize) -> Option<String> {
        match self.get(i) {
            Some(Value::Text(s)) => Some(s.clone()),
            Some(Value::Int(n)) => Some(n.to_string()),
            Some(Value::Real(f)) => Some(f.to_string()),
            _ => None,
        }
    }
    fn real(&self, i: usize) -> Option<f64> {
        self.get(i).and_then(Value::as_f64)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// What every database engine must offer the domain.
pub trait Backend: Send {
    fn dialect(&self) -> Dialect;

    /// Runs one statement; returns the number of rows changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;

    /// Runs one query and returns all rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;

    /// Runs several statements without parameters.
    fn execute_batch(&mut self, sql: &str) -> Result<(), StoreError>;

    /// Appends rows to a table as fast as the engine allows.
    fn copy_rows(&mut self, table: &str, columns: &[&str], rows: &[Row]) -> Result<(), StoreError>;

    /// Inserts rows, skipping those whose `key` column (a UNIQUE column) already exists.
    /// Returns, per input row, whether it was inserted.
    fn insert_new(
        &mut self,
        table: &str,
        columns: &[&str],
        key: usize,
        rows: &[Row],
    ) -> Result<Vec<bool>, StoreError>;

    fn begin(&mut self) -> Result<(), StoreError>;

    /// Begins an import's transaction. Imports resolve every reference through the
    /// dimension cache loaded inside this same write transaction, so an engine may skip its
    /// per-row foreign-key checks until commit or rollback (SQLite does; they cost a third
    /// of its insert time). The default is an ordinary transaction.
    fn begin_bulk(&mut self) -> Result<(), StoreError> {
        self.begin()
    }
    fn commit(&mut self) -> Result<(), StoreError>;
    fn rollback(&mut self) -> Result<(), StoreError>;

    /// Begins a read-only transaction whose reads all see one snapshot, fixed before this
    /// returns (not at the first read of the caller's), so that what is committed
    /// meanwhile by other connections stays invisible until commit or rollback. Writes in
    /// it are refused by the engine.
    fn begin_read(&mut self) -> Result<(), StoreError>;

    /// The connection is gone for good (a pool discards it).
    fn is_closed(&self) -> bool {
        false
    }

    /// Where the data lives, for messages (never includes a password).
    fn describe(&self) -> String;

    /// Adds the last column (`n`) of each row to a counts table keyed by the other columns,
    /// inserting keys not yet present. Rows must have distinct keys; they are applied in
    /// the given order (callers sort them, so concurrent writers lock rows in one order).
    fn add_counts(&mut self, table: &str, cols: &[&str], rows: &[Row]) -> Result<(), StoreError> {
        default_add_counts(self, table, cols, rows)
    }
}

/// Portable [`Backend::add_counts`]: multi-row upserts of 500 rows.
pub fn default_add_counts<B: Backend + ?Sized>(
    db: &mut B,
    table: &str,
    cols: &[&str],
    rows: &[Row],
) -> Result<(), StoreError> {
    let keys = cols[..cols.len() - 1].join(", ");
    let one = format!("({})", vec!["?"; cols.len()].join(", "));
    for chunk in rows.chunks(500) {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {} \
             ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n",
            cols.join(", "),
            vec![one.as_str(); chunk.len()].join(", ")
        );
        let params: Vec<Value> = chunk.iter().flatten().cloned().collect();
        db.execute(&sql, &params)?;
    }
    Ok(())
}

/// `?` placeholders as `$1, $2, …` for PostgreSQL. The domain's SQL never contains `?` inside
/// string literals, so a plain scan is enough.
pub fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        assert_eq!(
            numbered_placeholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"
        );
    }
}
