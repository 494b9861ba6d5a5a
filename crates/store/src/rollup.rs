//! Rollups: counts kept at ingest, in the same transaction as the facts, so that reports
//! read a few thousand rollup rows instead of millions of ratings.
//!
//! Grain: day × region × department × window × channel × grade, plus the same by month.
//! A report over whole months reads the monthly table; partial months read the daily one.

use crate::backend::{Backend, Row, RowExt, Value};
use crate::error::StoreError;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// (day `YYYY-MM-DD`, region, department, window or 0, channel, grade).
pub type RatingKey = (String, i64, i64, i64, i64, i64);

#[derive(Debug, Default)]
pub struct RatingDeltas(pub HashMap<RatingKey, i64>);

impl RatingDeltas {
    pub fn add(&mut self, key: RatingKey, n: i64) {
        *self.0.entry(key).or_insert(0) += n;
    }

    /// Adds the pending counts to the daily and monthly rollups and clears them.
    pub fn apply(&mut self, db: &mut dyn Backend) -> Result<(), StoreError> {
        let mut daily: Vec<(RatingKey, i64)> = self.0.drain().filter(|(_, n)| *n != 0).collect();
        daily.sort_unstable();
        let mut monthly: BTreeMap<RatingKey, i64> = BTreeMap::new();
        for ((day, r, d, w, c, g), n) in &daily {
            *monthly
                .entry((day[..7].to_string(), *r, *d, *w, *c, *g))
                .or_insert(0) += n;
        }
        monthly.retain(|_, n| *n != 0);
        let row = |((day, r, d, w, c, g), n): (RatingKey, i64)| -> Row {
            vec![
                Value::Text(day),
                r.into(),
                d.into(),
                w.into(),
                c.into(),
                g.into(),
                n.into(),
            ]
        };
        let n = daily.len();
        add_counts(
            db,
            "rating_daily",
            RATING_DAILY_COLUMNS,
            n,
            &mut daily.into_iter().map(row),
        )?;
        let n = monthly.len();
        add_counts(
            db,
            "rating_monthly",
            RATING_MONTHLY_COLUMNS,
            n,
            &mut monthly.into_iter().map(row),
        )
    }
}

/// Rating deltas of a bulk import, with compact integer keys and a cheap hash: at 10M
/// ratings the import holds ~450k keys, which as [`RatingKey`]s (a `String` day, SipHash)
/// cost ~60 MB and ~5% of the import's time; rows for the database are made a chunk at a
/// time when applied, so memory stays flat.
#[derive(Default)]
pub(crate) struct PackedRatingDeltas {
    map: HashMap<PackedKey, i64, BuildHasherDefault<FxHasher>>,
    /// Keys whose ids do not fit the packed form (never in practice).
    wide: RatingDeltas,
}

/// (day as YYYYMMDD, region, department, window, channel, grade).
type PackedKey = (u32, u32, u32, u32, u8, u8);

impl PackedRatingDeltas {
    /// Adds `n` to (day `YYYY-MM-DD`, region, department, window or 0, channel, grade).
    pub(crate) fn add(&mut self, day: &str, ids: [i64; 5], n: i64) {
        match pack(day, ids) {
            Some(k) => *self.map.entry(k).or_insert(0) += n,
            None => {
                let [r, d, w, c, g] = ids;
                self.wide.add((day.to_string(), r, d, w, c, g), n);
            }
        }
    }

    /// Adds the pending counts to the daily and monthly rollups and clears them.
    pub(crate) fn apply(&mut self, db: &mut dyn Backend) -> Result<(), StoreError> {
        let mut daily: Vec<(PackedKey, i64)> = self.map.drain().filter(|(_, n)| *n != 0).collect();
        daily.sort_unstable();
        let mut monthly: BTreeMap<PackedKey, i64> = BTreeMap::new();
        for ((day, r, d, w, c, g), n) in &daily {
            *monthly.entry((day / 100, *r, *d, *w, *c, *g)).or_insert(0) += n;
        }
        monthly.retain(|_, n| *n != 0);
        let row = |text: String, (_, r, d, w, c, g): PackedKey, n: i64| -> Row {
            vec![
                Value::Text(text),
                i64::from(r).into(),
                i64::from(d).into(),
                i64::from(w).into(),
                i64::from(c).into(),
                i64::from(g).into(),
                n.into(),
            ]
        };
        let n = daily.len();
        add_counts(
            db,
            "rating_daily",
            RATING_DAILY_COLUMNS,
            n,
            &mut daily.into_iter().map(|(k, n)| {
                let day = format!("{:04}-{:02}-{:02}", k.0 / 10000, k.0 / 100 % 100, k.0 % 100);
                row(day, k, n)
            }),
        )?;
        let n = monthly.len();
        add_counts(
            db,
            "rating_monthly",
            RATING_MONTHLY_COLUMNS,
            n,
            &mut monthly.into_iter().map(|(k, n)| {
                let month = format!("{:04}-{:02}", k.0 / 100, k.0 % 100);
                row(month, k, n)
            }),
        )?;
        self.wide.apply(db)
    }
}

fn pack(day: &str, [r, d, w, c, g]: [i64; 5]) -> Option<PackedKey> {
    let b = day.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |acc, &x| {
            x.is_ascii_digit().then(|| acc * 10 + u32::from(x - b'0'))
        })
    };
    let day = digits(&b[..4])? * 10000 + digits(&b[5..7])? * 100 + digits(&b[8..])?;
    Some((
        day,
        u32::try_from(r).ok()?,
        u32::try_from(d).ok()?,
        u32::try_from(w).ok()?,
        u8::try_from(c).ok()?,
        u8::try_from(g).ok()?,
    ))
}

/// FxHash (rustc's hasher): the keys are small integers from the store itself, so a
/// DoS-resistant hash buys nothing here.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

const RATING_DAILY_COLUMNS: &[&str] = &[
    "day",
    "region_id",
    "department_id",
    "window_id",
    "channel",
    "grade",
    "n",
];
const RATING_MONTHLY_COLUMNS: &[&str] = &[
    "month",
    "region_id",
    "department_id",
    "window_id",
    "channel",
    "grade",
    "n",
];

/// (day, department or 0, kind, source, mode).
pub type TicketKey = (String, i64, i64, i64, i64);

#[derive(Debug, Default)]
pub struct TicketDeltas(pub HashMap<TicketKey, i64>);

impl TicketDeltas {
    pub fn add(&mut self, key: TicketKey, n: i64) {
        *self.0.entry(key).or_insert(0) += n;
    }

    pub fn apply(&mut self, db: &mut dyn Backend) -> Result<(), StoreError> {
        let mut deltas: Vec<(TicketKey, i64)> = self.0.drain().filter(|(_, n)| *n != 0).collect();
        deltas.sort_unstable();
        let n = deltas.len();
        add_counts(
            db,
            "ticket_daily",
            &["day", "department_id", "kind", "source", "mode", "n"],
            n,
            &mut deltas.into_iter().map(|((day, d, k, s, m), n)| {
                vec![
                    Value::Text(day),
                    d.into(),
                    k.into(),
                    s.into(),
                    m.into(),
                    n.into(),
                ]
            }),
        )
    }
}

/// Deltas up to this many rows go straight to the table; more go through a staging table.
const SMALL_DELTA: usize = 2000;
const STAGE_CHUNK: usize = 10_000;

/// Adds signed counts to a rollup table whose columns are a text key, integer keys and `n`
/// (last). `rows` come sorted by key, so concurrent writers lock rollup rows in one order
/// and cannot deadlock each other. Rows brought to zero are deleted, by key: a rollup holds
/// only non-zero counts, and a table scan per write would grow with the table.
fn add_counts(
    db: &mut dyn Backend,
    table: &str,
    cols: &[&str],
    len: usize,
    rows: &mut dyn Iterator<Item = Row>,
) -> Result<(), StoreError> {
    if len == 0 {
        return Ok(());
    }
    let keys = &cols[..cols.len() - 1];
    let key_list = keys.join(", ");
    let is_negative = |r: &Row| r.last().and_then(Value::as_i64).unwrap_or(0) < 0;
    if len <= SMALL_DELTA {
        let rows: Vec<Row> = rows.collect();
        db.add_counts(table, cols, &rows)?;
        let by_key = keys
            .iter()
            .map(|k| format!("{k} = ?"))
            .collect::<Vec<_>>()
            .join(" AND ");
        for r in rows.iter().filter(|r| is_negative(r)) {
            db.execute(
                &format!("DELETE FROM {table} WHERE {by_key} AND n = 0"),
                &r[..keys.len()],
            )?;
        }
        return Ok(());
    }
    let stage = format!("tmp_{table}_delta");
    let types: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} {}", if i == 0 { "TEXT" } else { "BIGINT" }))
        .collect();
    db.execute_batch(&format!(
        "DROP TABLE IF EXISTS {stage}; CREATE TEMP TABLE {stage} ({});",
        types.join(", ")
    ))?;
    // Staged a chunk at a time: ~450k keys as rows at once would cost over 100 MB.
    let mut any_negative = false;
    let mut chunk: Vec<Row> = Vec::with_capacity(STAGE_CHUNK);
    for row in rows {
        any_negative |= is_negative(&row);
        chunk.push(row);
        if chunk.len() == STAGE_CHUNK {
            db.copy_rows(&stage, cols, &chunk)?;
            chunk.clear();
        }
    }
    db.copy_rows(&stage, cols, &chunk)?;
    let zeroed = if any_negative {
        format!(
            "DELETE FROM {table} WHERE n = 0 AND ({key_list}) IN \
             (SELECT {key_list} FROM {stage} WHERE n < 0);"
        )
    } else {
        String::new()
    };
    db.execute_batch(&format!(
        "INSERT INTO {table} ({all}) SELECT {all} FROM {stage} WHERE true ORDER BY {key_list}
         ON CONFLICT ({key_list}) DO UPDATE SET n = {table}.n + excluded.n;
         {zeroed}
         DROP TABLE {stage};",
        all = cols.join(", ")
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_pack_and_ids_too_wide_do_not() {
        assert_eq!(
            pack("2023-01-05", [1, 2, 0, 4, 1]),
            Some((20230105, 1, 2, 0, 4, 1))
        );
        assert_eq!(pack("2023-01-05", [1, 2, 1 << 40, 4, 1]), None);
        assert_eq!(pack("2023-1-5", [1, 2, 3, 4, 1]), None);
        let mut packed = PackedRatingDeltas::default();
        packed.add("2023-01-05", [1, 2, 1 << 40, 4, 1], 1);
        assert_eq!(packed.wide.0.len(), 1);
    }
}
