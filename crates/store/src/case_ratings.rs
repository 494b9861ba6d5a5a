//! One rating per case and attempt: a case (办件) gets at most one 首评 and one 追评, whatever
//! channel they come from. The intake's writer enforces it inside its transaction
//! ([`taken_cases`]), beside the 评价编号 idempotency, so two clients rating one case at once
//! cannot both succeed; [`Store::case_rating`] lets a page say so before a rating is typed.

use crate::backend::{Backend, RowExt, Value};
use crate::{Store, StoreError};
use jianping_core::records::RatingRecord;
use std::collections::HashMap;

impl Store {
    /// The 评价编号 of the rating already stored for `case_no` with this attempt (1 = 首评,
    /// 2 = 追评), if any.
    pub fn case_rating(
        &mut self,
        case_no: &str,
        attempt: u8,
    ) -> Result<Option<String>, StoreError> {
        let rows = self.backend().query(
            "SELECT rating_no FROM ratings WHERE case_no = ? AND attempt = ? ORDER BY id LIMIT 1",
            &[case_no.trim().into(), i64::from(attempt).into()],
        )?;
        Ok(rows.first().map(|r| r.text(0)))
    }
}

/// Placeholders per lookup: one fixed statement (one plan on PostgreSQL) however many of a
/// batch's ratings name a case; unused places get a case number no case has.
const CHUNK: usize = 32;

/// For each record, the 评价编号 already holding its case's attempt when that is another
/// rating's — stored, or earlier in `records` — else `None`. A record whose own 评价编号 is
/// stored is a retry (the intake answers it as a duplicate), never a conflict.
pub(crate) fn taken_cases(
    db: &mut dyn Backend,
    records: &[&RatingRecord],
) -> Result<Vec<Option<String>>, StoreError> {
    let cases: Vec<&str> = records
        .iter()
        .filter_map(|r| r.case_no.as_deref())
        .collect();
    if cases.is_empty() {
        return Ok(vec![None; records.len()]);
    }
    // (case, attempt) → (id, 评价编号) stored for it.
    let mut found: HashMap<(String, u8), Vec<(i64, String)>> = HashMap::new();
    let sql = format!(
        // No ORDER BY id: it costs SQLite a temporary B-tree per batch (bench-http with
        // 办件编号: median 9,911/s with it, 12,094/s without). Sorted below instead.
        "SELECT case_no, attempt, rating_no, id FROM ratings WHERE case_no IN ({})",
        vec!["?"; CHUNK].join(", ")
    );
    for chunk in cases.chunks(CHUNK) {
        let mut params: Vec<Value> = chunk.iter().map(|c| (*c).into()).collect();
        params.resize(CHUNK, "".into());
        for row in db.query(&sql, &params)? {
            let attempt = u8::try_from(row.int(1)).unwrap_or(0);
            found
                .entry((row.text(0), attempt))
                .or_default()
                .push((row.int(3), row.text(2)));
        }
    }
    // Oldest first: the rating a conflict names is the one that took the case.
    let mut stored: HashMap<(String, u8), Vec<String>> = found
        .into_iter()
        .map(|(k, mut v)| {
            v.sort_unstable();
            (k, v.into_iter().map(|(_, no)| no).collect())
        })
        .collect();
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let Some(case) = &r.case_no else {
            out.push(None);
            continue;
        };
        let holders = stored.entry((case.clone(), r.attempt)).or_default();
        if holders.is_empty() {
            // The first of the batch to name it takes it; later ones conflict with it.
            holders.push(r.rating_no.clone());
            out.push(None);
        } else if holders.contains(&r.rating_no) {
            out.push(None);
        } else {
            out.push(Some(holders[0].clone()));
        }
    }
    Ok(out)
}
