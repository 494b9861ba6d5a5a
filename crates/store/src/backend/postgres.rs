//! PostgreSQL (and PostgreSQL-protocol databases): portable SQL with `$n` placeholders,
//! COPY for bulk paths.

use super::{Backend, Dialect, Row, Value, default_add_counts, numbered_placeholders};
use crate::error::StoreError;
use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls};
use std::collections::{HashMap, HashSet};
use std::error::Error;
use std::io::Write;

pub struct Postgres {
    client: Client,
    label: String,
    sql_cache: HashMap<String, postgres::Statement>,
    /// Declared column types per table, for typed array parameters.
    column_types: HashMap<String, HashMap<String, Type>>,
}

type BoxErr = Box<dyn Error + Sync + Send>;

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxErr> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                _ => i.to_string().as_str().to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                Type::FLOAT8 => f.to_sql(ty, out),
                _ => f.to_string().as_str().to_sql(ty, out),
            },
            Value::Text(s) => match *ty {
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                Type::FLOAT8 => s.parse::<f64>()?.to_sql(ty, out),
                _ => s.as_str().to_sql(ty, out),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn column_value(row: &postgres::Row, i: usize) -> Result<Value, StoreError> {
    let ty = row.columns()[i].type_();
    let v = match *ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)?
            .map(|v| Value::Real(v.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        }
        _ => {
            return Err(StoreError::Invalid(format!(
                "查询结果第 {} 列的类型 {ty} 未被支持（请在 SQL 中 CAST 为 BIGINT/TEXT）",
                i + 1
            )));
        }
    };
    Ok(v.unwrap_or(Value::Null))
}

/// COPY text format: backslash escapes, `\N` for NULL.
fn copy_field(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => out.extend_from_slice(b"\\N"),
        Value::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Value::Real(f) => out.extend_from_slice(f.to_string().as_bytes()),
        Value::Text(s) => {
            for b in s.bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
        }
    }
}

impl Postgres {
    /// Connects; with `schema`, creates it if needed and works inside it (tests use one schema
    /// each).
    pub fn connect(url: &str, schema: Option<&str>) -> Result<Postgres, StoreError> {
        let config: postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Open(format!("数据库地址无效：{e}")))?;
        let label = format!(
            "PostgreSQL {}:{}/{}",
            config
                .get_hosts()
                .first()
                .map(|h| match h {
                    postgres::config::Host::Tcp(s) => s.clone(),
                    postgres::config::Host::Unix(p) => p.display().to_string(),
                })
                .unwrap_or_default(),
            config.get_ports().first().copied().unwrap_or(5432),
            config.get_dbname().unwrap_or("")
        );
        let mut client = config.connect(NoTls).map_err(|e| {
            StoreError::Open(format!(
                "无法连接 {label}：{e}。请确认数据库服务已启动、地址与认证方式正确"
            ))
        })?;
        if let Some(s) = schema {
            if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(StoreError::Invalid(format!(
                    "模式名「{s}」只能包含字母、数字和下划线"
                )));
            }
            client.batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {s}; SET search_path TO {s};"
            ))?;
        }
        Ok(Postgres {
            client,
            label,
            sql_cache: HashMap::new(),
            column_types: HashMap::new(),
        })
    }

    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// The rows as one typed array per column, or None if the table has a column type the
    /// arrays do not cover.
    fn arrays(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Row],
    ) -> Result<Option<Vec<Array>>, StoreError> {
        if !self.column_types.contains_key(table) {
            let found = self.client.query(
                "SELECT a.attname::text, a.atttypid FROM pg_attribute a \
                 WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped",
                &[&table],
            )?;
            let types = found
                .iter()
                .filter_map(|r| Some((r.get::<_, String>(0), Type::from_oid(r.get(1))?)))
                .collect();
            self.column_types.insert(table.to_string(), types);
        }
        let types = &self.column_types[table];
        Ok(columns
            .iter()
            .enumerate()
            .map(|(i, c)| Array::build(types.get(*c)?, rows, i))
            .collect())
    }

    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(s) = self.sql_cache.get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.client.prepare(&numbered_placeholders(sql))?;
        if self.sql_cache.len() > 256 {
            self.sql_cache.clear();
        }
        self.sql_cache.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }
}

/// Rows sent as array parameters at most; more go through COPY and a staging table.
const SMALL_INSERT_ROWS: usize = 2000;

/// One column of rows as a typed PostgreSQL array.
#[derive(Debug)]
enum Array {
    Int(Vec<Option<i64>>),
    Real(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
}

impl Array {
    fn sql_type(&self) -> &'static str {
        match self {
            Array::Int(_) => "bigint[]",
            Array::Real(_) => "double precision[]",
            Array::Text(_) => "text[]",
        }
    }

    /// None when a value does not fit the column's type (the caller falls back).
    fn build(ty: &Type, rows: &[Row], col: usize) -> Option<Array> {
        let vals = rows.iter().map(|r| r.get(col).unwrap_or(&Value::Null));
        Some(match *ty {
            Type::INT8 | Type::INT4 | Type::INT2 => Array::Int(
                vals.map(|v| match v {
                    Value::Null => Some(None),
                    Value::Int(i) => Some(Some(*i)),
                    Value::Text(t) => t.parse().ok().map(Some),
                    Value::Real(_) => None,
                })
                .collect::<Option<_>>()?,
            ),
            Type::FLOAT8 | Type::FLOAT4 => Array::Real(
                vals.map(|v| match v {
                    Value::Null => Some(None),
                    Value::Text(t) => t.parse().ok().map(Some),
                    other => other.as_f64().map(Some),
                })
                .collect::<Option<_>>()?,
            ),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR => Array::Text(
                vals.map(|v| match v {
                    Value::Null => None,
                    Value::Int(i) => Some(i.to_string()),
                    Value::Real(f) => Some(f.to_string()),
                    Value::Text(t) => Some(t.clone()),
                })
                .collect(),
            ),
            _ => return None,
        })
    }
}

impl ToSql for Array {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxErr> {
        match self {
            Array::Int(v) => v.to_sql(ty, out),
            Array::Real(v) => v.to_sql(ty, out),
            Array::Text(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        matches!(ty.kind(), postgres::types::Kind::Array(_))
    }

    to_sql_checked!();
}

fn unnest_args(columns: &[&str], arrays: &[Array]) -> String {
    (0..columns.len())
        .map(|i| format!("${}::{}", i + 1, arrays[i].sql_type()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Per input row, whether its key came back from `INSERT … RETURNING key` (a key repeated
/// in the input counts for its first row only).
fn mark_fresh(inserted: &[postgres::Row], rows: &[Row], key: usize) -> Vec<bool> {
    let mut fresh: HashSet<String> = inserted
        .iter()
        .filter_map(|r| r.try_get::<_, String>(0).ok())
        .collect();
    rows.iter()
        .map(|r| r[key].as_str().is_some_and(|k| fresh.remove(k)))
        .collect()
}

fn as_params(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Backend for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let stmt = self.statement(sql)?;
        Ok(self.client.execute(&stmt, &as_params(params))?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let stmt = self.statement(sql)?;
        let rows = self.client.query(&stmt, &as_params(params))?;
        rows.iter()
            .map(|r| (0..r.len()).map(|i| column_value(r, i)).collect())
            .collect()
    }

    fn execute_batch(&mut self, sql: &str) -> Result<(), StoreError> {
        // Temporary tables and schema changes invalidate prepared plans.
        self.sql_cache.clear();
        Ok(self.client.batch_execute(sql)?)
    }

    fn copy_rows(&mut self, table: &str, columns: &[&str], rows: &[Row]) -> Result<(), StoreError> {
        let mut w = self
            .client
            .copy_in(&format!("COPY {table} ({}) FROM STDIN", columns.join(", ")))?;
        let mut buf = Vec::with_capacity(1 << 20);
        for row in rows {
            for (i, v) in row.iter().enumerate() {
                if i > 0 {
                    buf.push(b'\t');
                }
                copy_field(&mut buf, v);
            }
            buf.push(b'\n');
            if buf.len() > (1 << 20) {
                w.write_all(&buf)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                buf.clear();
            }
        }
        w.write_all(&buf)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        w.finish()?;
        Ok(())
    }

    fn insert_new(
        &mut self,
        table: &str,
        columns: &[&str],
        key: usize,
        rows: &[Row],
    ) -> Result<Vec<bool>, StoreError> {
        let cols = columns.join(", ");
        // Small sets (the intake's batches) as arrays in one prepared statement: a staging
        // table costs catalog writes, and multi-row VALUES a new plan per row count, both of
        // which dominate a commit of a few rows.
        if rows.len() <= SMALL_INSERT_ROWS
            && let Some(arrays) = self.arrays(table, columns, rows)?
        {
            let sql = format!(
                "INSERT INTO {table} ({cols}) SELECT * FROM unnest({}) \
                 ON CONFLICT DO NOTHING RETURNING {}",
                unnest_args(columns, &arrays),
                columns[key]
            );
            let stmt = self.statement(&sql)?;
            let params: Vec<&(dyn ToSql + Sync)> =
                arrays.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
            let inserted = self.client.query(&stmt, &params)?;
            return Ok(mark_fresh(&inserted, rows, key));
        }
        let stage = format!("stage_{table}");
        self.execute_batch(&format!(
            "DROP TABLE IF EXISTS {stage};
             CREATE TEMP TABLE {stage} AS SELECT {cols} FROM {table} WITH NO DATA;"
        ))?;
        self.copy_rows(&stage, columns, rows)?;
        let inserted = self.client.query(
            &format!(
                "INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} \
                 ON CONFLICT DO NOTHING RETURNING {}",
                columns[key]
            ),
            &[],
        )?;
        self.execute_batch(&format!("DROP TABLE {stage}"))?;
        Ok(mark_fresh(&inserted, rows, key))
    }

    fn add_counts(&mut self, table: &str, cols: &[&str], rows: &[Row]) -> Result<(), StoreError> {
        let Some(arrays) = self.arrays(table, cols, rows)? else {
            return default_add_counts(self, table, cols, rows);
        };
        let sql = format!(
            "INSERT INTO {table} ({}) SELECT * FROM unnest({}) \
             ON CONFLICT ({}) DO UPDATE SET n = {table}.n + excluded.n",
            cols.join(", "),
            unnest_args(cols, &arrays),
            cols[..cols.len() - 1].join(", ")
        );
        let stmt = self.statement(&sql)?;
        let params: Vec<&(dyn ToSql + Sync)> =
            arrays.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
        self.client.execute(&stmt, &params)?;
        Ok(())
    }

    fn begin(&mut self) -> Result<(), StoreError> {
        Ok(self.client.batch_execute("BEGIN")?)
    }

    fn begin_read(&mut self) -> Result<(), StoreError> {
        // REPEATABLE READ takes its snapshot at the first statement, not at BEGIN: the
        // SELECT fixes it here.
        Ok(self
            .client
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT 1")?)
    }

    fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        Ok(self.client.batch_execute("COMMIT")?)
    }

    fn rollback(&mut self) -> Result<(), StoreError> {
        Ok(self.client.batch_execute("ROLLBACK")?)
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}
