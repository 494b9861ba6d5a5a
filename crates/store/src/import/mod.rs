//! Import sessions: one transaction per file, whatever its size. Records arrive in chunks;
//! rollups accumulate in memory and land in the same transaction at commit.

mod catalog;
pub(crate) mod facts;
mod supervision;

use crate::Store;
use crate::backend::{Backend, Row, RowExt, Value};
use crate::dims::{Created, DimCache};
use crate::error::StoreError;
use crate::rollup::{PackedRatingDeltas, RatingDeltas, TicketDeltas};
use serde::Serialize;

/// Counts of one import, by outcome.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ImportSummary {
    pub kind: String,
    pub file: String,
    pub import_id: i64,
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub created: Created,
    /// Rectification-ledger items created for new problems in this import.
    pub ledger_items: u64,
}

/// An open import: a transaction, the dimension maps, and the pending rollup deltas.
pub struct ImportSession<'a> {
    pub(crate) db: &'a mut dyn Backend,
    pub(crate) dims: DimCache,
    pub(crate) summary: ImportSummary,
    pub(crate) rating_deltas: RatingDeltas,
    /// The bulk path's rating deltas, drained into `rating_deltas` at commit.
    pub(crate) packed_ratings: PackedRatingDeltas,
    pub(crate) ticket_deltas: TicketDeltas,
    open: bool,
    /// When the ledger items of this import are registered (None: now); see `ledger_clock`.
    ledger_at: Option<chrono::NaiveDateTime>,
    ledger_sync: bool,
}

impl Store {
    /// Starts an import of `kind` from `file` (its name and SHA-256 go into the import log).
    pub fn begin_import(
        &mut self,
        kind: &str,
        file: &str,
        sha256: &str,
    ) -> Result<ImportSession<'_>, StoreError> {
        self.idle_for("导入数据")?;
        let db = self.backend();
        db.begin_bulk()?;
        let setup = (|| {
            let dims = DimCache::load(db)?;
            let now = chrono::Local::now().naive_local();
            let id = db
                .query(
                    "INSERT INTO imports (kind, file_name, sha256, started_at) VALUES (?, ?, ?, ?) RETURNING id",
                    &[
                        kind.into(),
                        file.into(),
                        sha256.into(),
                        jianping_core::time::fmt_ts(&now).into(),
                    ],
                )?
                .first()
                .map(|r| r.int(0))
                .unwrap_or_default();
            Ok::<_, StoreError>((dims, id))
        })();
        let (dims, import_id) = match setup {
            Ok(v) => v,
            Err(e) => {
                let _ = db.rollback();
                return Err(e);
            }
        };
        Ok(ImportSession {
            db,
            dims,
            summary: ImportSummary {
                kind: kind.to_string(),
                file: file.to_string(),
                import_id,
                ..ImportSummary::default()
            },
            rating_deltas: RatingDeltas::default(),
            packed_ratings: PackedRatingDeltas::default(),
            ticket_deltas: TicketDeltas::default(),
            open: true,
            ledger_at: None,
            ledger_sync: true,
        })
    }
}

impl ImportSession<'_> {
    pub fn summary(&self) -> &ImportSummary {
        &self.summary
    }

    /// Rows the reader rejected (with `--skip-bad`), for the log.
    pub fn note_rejected(&mut self, n: u64) {
        self.summary.rejected += n;
        self.summary.rows_read += n;
    }

    /// Registers this import's ledger items as of `at` instead of now (for history loaded
    /// after the fact, such as the demo city's 2023).
    pub fn ledger_clock(&mut self, at: chrono::NaiveDateTime) {
        self.ledger_at = Some(at);
    }

    /// Leaves ledger items to a later `Store::sync_ledger` (e.g. a bulk load of history).
    pub fn skip_ledger_sync(&mut self) {
        self.ledger_sync = false;
    }

    /// Applies rollups, creates the ledger items for new problems (bad ratings, complaints,
    /// supervisor feedback …), logs the import and commits, all in one transaction.
    /// Nothing is visible before this returns.
    pub fn commit(mut self) -> Result<ImportSummary, StoreError> {
        let result = self.finish();
        self.open = false;
        match result {
            Ok(()) => {
                self.db.commit()?;
                let mut s = std::mem::take(&mut self.summary);
                s.created = std::mem::take(&mut self.dims.created);
                Ok(s)
            }
            Err(e) => {
                let _ = self.db.rollback();
                Err(e)
            }
        }
    }

    fn finish(&mut self) -> Result<(), StoreError> {
        self.packed_ratings.apply(self.db)?;
        self.rating_deltas.apply(self.db)?;
        self.ticket_deltas.apply(self.db)?;
        let now = chrono::Local::now().naive_local();
        if self.ledger_sync {
            let at = self.ledger_at.unwrap_or(now);
            self.summary.ledger_items = crate::ledger::after_import(self.db, at)?.total();
        }
        let created = serde_json::to_string(&self.dims.created).unwrap_or_default();
        let s = &self.summary;
        self.db.execute(
            "UPDATE imports SET finished_at = ?, rows_read = ?, inserted = ?, updated = ?, unchanged = ?, rejected = ?, created = ? WHERE id = ?",
            &[
                jianping_core::time::fmt_ts(&now).into(),
                s.rows_read.into(),
                s.inserted.into(),
                s.updated.into(),
                s.unchanged.into(),
                s.rejected.into(),
                created.into(),
                s.import_id.into(),
            ],
        )?;
        Ok(())
    }

    /// Does everything `commit` does (rollups, ledger items, counts) and then rolls it all
    /// back: what the import would do, for a person to check before committing.
    pub fn trial(mut self) -> Result<ImportSummary, StoreError> {
        let result = self.finish();
        self.open = false;
        self.db.rollback()?;
        result?;
        let mut s = std::mem::take(&mut self.summary);
        s.created = std::mem::take(&mut self.dims.created);
        Ok(s)
    }

    /// Abandons everything this session wrote.
    pub fn rollback(mut self) -> Result<(), StoreError> {
        self.open = false;
        self.db.rollback()
    }

    /// Inserts the new rows of a chunk and brings changed existing rows up to date.
    /// `compare` lists the columns (indexes into `columns`) whose change counts as an update.
    /// Returns, per row, `Some(old row)` when an existing row was updated, for rollup deltas.
    pub(crate) fn upsert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        key: usize,
        rows: Vec<Row>,
    ) -> Result<Vec<Outcome>, StoreError> {
        self.summary.rows_read += rows.len() as u64;
        let fresh = self.db.insert_new(table, columns, key, &rows)?;
        let mut outcomes = vec![Outcome::Inserted; rows.len()];
        let stale: Vec<usize> = (0..rows.len()).filter(|i| !fresh[*i]).collect();
        self.summary.inserted += (rows.len() - stale.len()) as u64;
        if stale.is_empty() {
            return Ok(outcomes);
        }
        let existing = self.fetch_by_key(table, columns, key, &stale, &rows)?;
        for i in stale {
            let k = rows[i][key].as_str().unwrap_or_default().to_string();
            let old = existing.get(&k);
            // A key repeated inside one file: the later row wins, like a later export.
            match old {
                Some(old) if !same(old, &rows[i], key) => {
                    self.update_row(table, columns, key, &rows[i])?;
                    self.summary.updated += 1;
                    outcomes[i] = Outcome::Updated(old.clone());
                }
                _ => {
                    self.summary.unchanged += 1;
                    outcomes[i] = Outcome::Unchanged;
                }
            }
        }
        Ok(outcomes)
    }

    fn fetch_by_key(
        &mut self,
        table: &str,
        columns: &[&str],
        key: usize,
        idx: &[usize],
        rows: &[Row],
    ) -> Result<std::collections::HashMap<String, Row>, StoreError> {
        let mut out = std::collections::HashMap::new();
        for chunk in idx.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let params: Vec<Value> = chunk.iter().map(|i| rows[*i][key].clone()).collect();
            let sql = format!(
                "SELECT {} FROM {table} WHERE {} IN ({marks})",
                columns.join(", "),
                columns[key]
            );
            for r in self.db.query(&sql, &params)? {
                out.insert(r.text(key), r);
            }
        }
        Ok(out)
    }

    fn update_row(
        &mut self,
        table: &str,
        columns: &[&str],
        key: usize,
        row: &Row,
    ) -> Result<(), StoreError> {
        let sets: Vec<String> = columns
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != key)
            .map(|(_, c)| format!("{c} = ?"))
            .collect();
        let mut params: Vec<Value> = row
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != key)
            .map(|(_, v)| v.clone())
            .collect();
        params.push(row[key].clone());
        self.db.execute(
            &format!(
                "UPDATE {table} SET {} WHERE {} = ?",
                sets.join(", "),
                columns[key]
            ),
            &params,
        )?;
        Ok(())
    }
}

/// Equal in every column but the import id (always last) and the key.
fn same(a: &Row, b: &Row, key: usize) -> bool {
    let n = a.len().min(b.len()).saturating_sub(1);
    (0..n).all(|i| i == key || values_equal(&a[i], &b[i]))
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Real(x), Value::Real(y)) => (x - y).abs() < 1e-9,
        (Value::Int(x), Value::Real(y)) | (Value::Real(y), Value::Int(x)) => {
            (*x as f64 - y).abs() < 1e-9
        }
        _ => a == b,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    Inserted,
    Updated(Row),
    Unchanged,
}

impl Drop for ImportSession<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.db.rollback();
        }
    }
}
