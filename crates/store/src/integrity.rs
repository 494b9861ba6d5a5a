//! Referential integrity of the stored facts. SQLite imports skip per-row foreign-key checks
//! (`Backend::begin_bulk`), relying on the store resolving every reference itself; this
//! check is the safety net that proves it, table by table.

use crate::backend::{Dialect, RowExt};
use crate::{Store, StoreError};
use serde::Serialize;

/// Rows of `table` whose reference to `parent` points at no row.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Orphans {
    pub table: String,
    pub parent: String,
    pub rows: i64,
}

impl Store {
    /// Lists references that point nowhere (empty when sound). PostgreSQL enforces every
    /// foreign key on every write except those of `ratings` (dropped for speed, V4), which
    /// are checked here.
    pub fn verify_references(&mut self) -> Result<Vec<Orphans>, StoreError> {
        if self.dialect() == Dialect::Postgres {
            return self.rating_orphans();
        }
        let rows = self.backend().query(
            "SELECT \"table\", parent, COUNT(*) FROM pragma_foreign_key_check \
             GROUP BY 1, 2 ORDER BY 1, 2",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| Orphans {
                table: r.text(0),
                parent: r.text(1),
                rows: r.int(2),
            })
            .collect())
    }

    fn rating_orphans(&mut self) -> Result<Vec<Orphans>, StoreError> {
        const REFERENCES: [(&str, &str); 5] = [
            ("matter_id", "matters"),
            ("department_id", "departments"),
            ("window_id", "windows"),
            ("staff_id", "staff"),
            ("region_id", "regions"),
        ];
        let mut out = Vec::new();
        for (column, parent) in REFERENCES {
            let n = self.backend().query(
                &format!(
                    "SELECT COUNT(*) FROM ratings r WHERE r.{column} IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = r.{column})"
                ),
                &[],
            )?;
            let rows = n.first().map(|r| r.int(0)).unwrap_or(0);
            if rows > 0 {
                out.push(Orphans {
                    table: "ratings".into(),
                    parent: parent.into(),
                    rows,
                });
            }
        }
        Ok(out)
    }
}
