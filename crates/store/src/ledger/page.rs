//! One page of the ledger for the back office: the list's filters plus a text search,
//! counted and cut in SQL (LIMIT/OFFSET), so that a city's whole ledger is never loaded to
//! show fifty rows.

use super::load_calendar;
use super::read::{ITEM_COLUMNS, ItemView, LedgerFilter, filter_sql, item_view};
use crate::backend::{RowExt, Value};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use jianping_core::access::{Operation, Principal, visible};
use serde::Serialize;

/// A page of items and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemPage {
    pub items: Vec<ItemView>,
    pub total: u64,
}

/// `%`, `_` and the escape character itself taken literally in a LIKE pattern.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Store {
    /// Items matching `filter` and containing `text` (in the number, source number, title,
    /// description or measures) that `who` may see, newest problem first, `limit` from
    /// `offset`, with the number of all matching items.
    pub fn ledger_page(
        &mut self,
        who: &Principal,
        filter: &LedgerFilter,
        text: Option<&str>,
        (offset, limit): (u64, u64),
        today: NaiveDate,
    ) -> Result<ItemPage, StoreError> {
        let seen = visible(who, Operation::ViewLedger)?;
        let (mut where_sql, mut params) = filter_sql(filter, seen, today);
        if let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) {
            let cond = "(l.item_no LIKE ? ESCAPE '\\' OR l.source_no LIKE ? ESCAPE '\\'
                 OR l.title LIKE ? ESCAPE '\\' OR l.description LIKE ? ESCAPE '\\'
                 OR l.measures LIKE ? ESCAPE '\\')";
            where_sql = if where_sql.is_empty() {
                format!("WHERE {cond}")
            } else {
                format!("{where_sql} AND {cond}")
            };
            let p = like_pattern(t);
            for _ in 0..5 {
                params.push(p.as_str().into());
            }
        }
        let from = format!(
            "FROM ledger_items l LEFT JOIN departments d ON d.id = l.department_id {where_sql}"
        );
        let total = self
            .backend()
            .query(&format!("SELECT CAST(COUNT(*) AS BIGINT) {from}"), &params)?
            .first()
            .map_or(0, |r| r.int(0).max(0) as u64);
        let mut p: Vec<Value> = params;
        p.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
        p.push(i64::try_from(offset).unwrap_or(i64::MAX).into());
        let rows = self.backend().query(
            &format!(
                "SELECT {ITEM_COLUMNS} {from} ORDER BY l.raised_at DESC, l.item_no DESC LIMIT ? OFFSET ?"
            ),
            &p,
        )?;
        let cal = load_calendar(self.backend())?;
        let items = rows
            .iter()
            .map(|r| item_view(r, &cal, today))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ItemPage { items, total })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(super::like_pattern("50%_a"), "%50\\%\\_a%");
    }
}
