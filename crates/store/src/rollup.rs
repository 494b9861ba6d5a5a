//! Rollups: counts kept at ingest, in the same transaction as the facts, so that reports
//! read a few thousand rollup rows instead of millions of ratings.
//!
//! Grain: day × region × department × window × channel × grade, plus the same by month.
//! A report over whole months reads the monthly table; partial months read the daily one.

use crate::backend::{Backend, Row, RowExt, Value};
use crate::error::StoreError;
use serde::Serialize;
use std::collections::HashMap;

/// (day `YYYY-MM-DD`, region, department, window or 0, channel, grade).
pub type RatingKey = (String, i64, i64, i64, i64, i64);

#[derive(Debug, Default)]
pub struct RatingDeltas(pub HashMap<RatingKey, i64>);

impl RatingDeltas {
    pub fn add(&mut self, key: RatingKey, n: i64) {
        *self.0.entry(key).or_insert(0) += n;
    }

    pub fn apply(&mut self, db: &mut dyn Backend) -> Result<(), StoreError> {
        self.0.retain(|_, n| *n != 0);
        if self.0.is_empty() {
            return Ok(());
        }
        let rows: Vec<Row> = self
            .0
            .drain()
            .map(|((day, r, d, w, c, g), n)| {
                vec![
                    Value::Text(day),
                    r.into(),
                    d.into(),
                    w.into(),
                    c.into(),
                    g.into(),
                    n.into(),
                ]
            })
            .collect();
        db.execute_batch(
            "DROP TABLE IF EXISTS tmp_rating_delta;
             CREATE TEMP TABLE tmp_rating_delta (day TEXT, region_id BIGINT, department_id BIGINT,
                 window_id BIGINT, channel BIGINT, grade BIGINT, n BIGINT);",
        )?;
        db.copy_rows(
            "tmp_rating_delta",
            &[
                "day",
                "region_id",
                "department_id",
                "window_id",
                "channel",
                "grade",
                "n",
            ],
            &rows,
        )?;
        db.execute_batch(
            "INSERT INTO rating_daily (day, region_id, department_id, window_id, channel, grade, n)
             SELECT day, region_id, department_id, window_id, channel, grade, n
             FROM tmp_rating_delta WHERE true
             ON CONFLICT (day, region_id, department_id, window_id, channel, grade)
             DO UPDATE SET n = rating_daily.n + excluded.n;
             INSERT INTO rating_monthly (month, region_id, department_id, window_id, channel, grade, n)
             SELECT substr(day, 1, 7), region_id, department_id, window_id, channel, grade, SUM(n)
             FROM tmp_rating_delta WHERE true
             GROUP BY substr(day, 1, 7), region_id, department_id, window_id, channel, grade
             ON CONFLICT (month, region_id, department_id, window_id, channel, grade)
             DO UPDATE SET n = rating_monthly.n + excluded.n;
             DELETE FROM rating_daily WHERE n = 0;
             DELETE FROM rating_monthly WHERE n = 0;
             DROP TABLE tmp_rating_delta;",
        )?;
        Ok(())
    }
}

/// (day, department or 0, kind, source, mode).
pub type TicketKey = (String, i64, i64, i64, i64);

#[derive(Debug, Default)]
pub struct TicketDeltas(pub HashMap<TicketKey, i64>);

impl TicketDeltas {
    pub fn add(&mut self, key: TicketKey, n: i64) {
        *self.0.entry(key).or_insert(0) += n;
    }

    pub fn apply(&mut self, db: &mut dyn Backend) -> Result<(), StoreError> {
        self.0.retain(|_, n| *n != 0);
        if self.0.is_empty() {
            return Ok(());
        }
        let rows: Vec<Row> = self
            .0
            .drain()
            .map(|((day, d, k, s, m), n)| {
                vec![
                    Value::Text(day),
                    d.into(),
                    k.into(),
                    s.into(),
                    m.into(),
                    n.into(),
                ]
            })
            .collect();
        db.execute_batch(
            "DROP TABLE IF EXISTS tmp_ticket_delta;
             CREATE TEMP TABLE tmp_ticket_delta (day TEXT, department_id BIGINT, kind BIGINT,
                 source BIGINT, mode BIGINT, n BIGINT);",
        )?;
        db.copy_rows(
            "tmp_ticket_delta",
            &["day", "department_id", "kind", "source", "mode", "n"],
            &rows,
        )?;
        db.execute_batch(
            "INSERT INTO ticket_daily (day, department_id, kind, source, mode, n)
             SELECT day, department_id, kind, source, mode, n FROM tmp_ticket_delta WHERE true
             ON CONFLICT (day, department_id, kind, source, mode)
             DO UPDATE SET n = ticket_daily.n + excluded.n;
             DELETE FROM ticket_daily WHERE n = 0;
             DROP TABLE tmp_ticket_delta;",
        )?;
        Ok(())
    }
}

/// A rollup row that differs from a recomputation from the facts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RollupMismatch {
    pub table: String,
    pub key: String,
    pub stored: i64,
    pub recomputed: i64,
}

const RATINGS_RECOMPUTED: &str = "
    SELECT substr(r.rated_at, 1, 10), r.region_id, r.department_id, COALESCE(r.window_id, 0),
           r.channel, r.grade, COUNT(*)
    FROM ratings r
    WHERE NOT EXISTS (SELECT 1 FROM appeals a WHERE a.rating_id = r.id AND a.state = 'upheld')
    GROUP BY substr(r.rated_at, 1, 10), r.region_id, r.department_id, COALESCE(r.window_id, 0),
             r.channel, r.grade";

/// Recomputes every rollup from the facts and lists the differences (empty when sound).
pub fn verify(db: &mut dyn Backend) -> Result<Vec<RollupMismatch>, StoreError> {
    let mut out = Vec::new();
    let fact_rows = db.query(RATINGS_RECOMPUTED, &[])?;
    let mut monthly_from_facts: HashMap<String, i64> = HashMap::new();
    let facts = keyed(fact_rows, 6, |r| {
        let month = r.text(0)[..7].to_string();
        let k = format!(
            "{month}|{}|{}|{}|{}|{}",
            r.int(1),
            r.int(2),
            r.int(3),
            r.int(4),
            r.int(5)
        );
        *monthly_from_facts.entry(k).or_insert(0) += r.int(6);
    });
    let daily = keyed(
        db.query(
            "SELECT day, region_id, department_id, window_id, channel, grade, n FROM rating_daily",
            &[],
        )?,
        6,
        |_| {},
    );
    diff("rating_daily", &daily, &facts, &mut out);
    let monthly = keyed(
        db.query(
            "SELECT month, region_id, department_id, window_id, channel, grade, n FROM rating_monthly",
            &[],
        )?,
        6,
        |_| {},
    );
    diff("rating_monthly", &monthly, &monthly_from_facts, &mut out);
    let tickets = keyed(
        db.query(
            "SELECT substr(received_at, 1, 10), COALESCE(department_id, 0), kind, source, mode, COUNT(*)
             FROM tickets
             GROUP BY substr(received_at, 1, 10), COALESCE(department_id, 0), kind, source, mode",
            &[],
        )?,
        5,
        |_| {},
    );
    let ticket_daily = keyed(
        db.query(
            "SELECT day, department_id, kind, source, mode, n FROM ticket_daily",
            &[],
        )?,
        5,
        |_| {},
    );
    diff("ticket_daily", &ticket_daily, &tickets, &mut out);
    Ok(out)
}

/// Rebuilds every rollup from the facts (after a restore, or to repair what verify found).
pub fn rebuild(db: &mut dyn Backend) -> Result<(), StoreError> {
    db.execute_batch(
        "DELETE FROM rating_daily; DELETE FROM rating_monthly; DELETE FROM ticket_daily;",
    )?;
    db.execute_batch(&format!(
        "INSERT INTO rating_daily (day, region_id, department_id, window_id, channel, grade, n)
         {RATINGS_RECOMPUTED};
         INSERT INTO rating_monthly (month, region_id, department_id, window_id, channel, grade, n)
         SELECT substr(day, 1, 7), region_id, department_id, window_id, channel, grade, SUM(n)
         FROM rating_daily
         GROUP BY substr(day, 1, 7), region_id, department_id, window_id, channel, grade;
         INSERT INTO ticket_daily (day, department_id, kind, source, mode, n)
         SELECT substr(received_at, 1, 10), COALESCE(department_id, 0), kind, source, mode, COUNT(*)
         FROM tickets
         GROUP BY substr(received_at, 1, 10), COALESCE(department_id, 0), kind, source, mode;"
    ))
}

fn keyed(rows: Vec<Row>, nkey: usize, mut each: impl FnMut(&Row)) -> HashMap<String, i64> {
    rows.into_iter()
        .map(|r| {
            each(&r);
            let key: Vec<String> = (0..nkey).map(|i| r.text(i)).collect();
            (key.join("|"), r.int(nkey))
        })
        .collect()
}

fn diff(
    table: &str,
    stored: &HashMap<String, i64>,
    recomputed: &HashMap<String, i64>,
    out: &mut Vec<RollupMismatch>,
) {
    for (k, v) in stored {
        let r = recomputed.get(k).copied().unwrap_or(0);
        if *v != r {
            out.push(RollupMismatch {
                table: table.into(),
                key: k.clone(),
                stored: *v,
                recomputed: r,
            });
        }
    }
    for (k, r) in recomputed {
        if !stored.contains_key(k) {
            out.push(RollupMismatch {
                table: table.into(),
                key: k.clone(),
                stored: 0,
                recomputed: *r,
            });
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
}
