//! Cases, ratings and tickets: the high-volume facts.

use super::{ImportSession, Outcome};
use crate::backend::{Backend, Row, RowExt, Value};
use crate::dims::DimCache;
use crate::error::StoreError;
use jianping_core::records::{CaseRecord, RatingRecord, TicketRecord};
use jianping_core::time::fmt_ts;

pub(crate) const RATING_COLUMNS: &[&str] = &[
    "rating_no",
    "case_no",
    "matter_id",
    "department_id",
    "window_id",
    "staff_id",
    "region_id",
    "channel",
    "grade",
    "rated_at",
    "attempt",
    "tags",
    "comment",
    "rater_name",
    "rater_phone",
    "import_id",
    "device",
    "address",
    "account",
];

const TICKET_COLUMNS: &[&str] = &[
    "ticket_no",
    "kind",
    "source",
    "mode",
    "department_id",
    "content",
    "received_at",
    "due_at",
    "closed_at",
    "resolved",
    "revisited_at",
    "revisit_result",
    "citizen_name",
    "citizen_phone",
    "import_id",
];

const CASE_COLUMNS: &[&str] = &[
    "case_no",
    "matter_id",
    "department_id",
    "region_id",
    "window_id",
    "package_id",
    "accepted_at",
    "completed_at",
    "assisted",
    "extended",
    "import_id",
];

fn ts(dt: Option<&chrono::NaiveDateTime>) -> Value {
    dt.map(fmt_ts).into()
}

impl ImportSession<'_> {
    /// Ratings are facts: an existing 评价编号 is left as it is.
    pub fn ratings(&mut self, records: &[RatingRecord]) -> Result<(), StoreError> {
        let mut rows: Vec<Row> = Vec::with_capacity(records.len());
        for r in records {
            rows.push(rating_row(
                self.db,
                &mut self.dims,
                r,
                Some(self.summary.import_id),
            )?);
        }
        self.summary.rows_read += rows.len() as u64;
        let fresh = self.db.insert_new("ratings", RATING_COLUMNS, 0, &rows)?;
        for (row, new) in rows.iter().zip(fresh) {
            if new {
                self.summary.inserted += 1;
                let day = row[9].as_str().map_or("", |t| &t[..10]);
                let ids = [
                    row.int(6),
                    row.int(3),
                    row.opt_int(4).unwrap_or(0),
                    row.int(7),
                    row.int(8),
                ];
                self.packed_ratings.add(day, ids, 1);
            } else {
                self.summary.unchanged += 1;
            }
        }
        Ok(())
    }

    /// Tickets change as they are handled: a later export updates closure and revisit data.
    pub fn tickets(&mut self, records: &[TicketRecord]) -> Result<(), StoreError> {
        let mut rows: Vec<Row> = Vec::with_capacity(records.len());
        for t in records {
            let department_id = match &t.department {
                Some(d) => Some(self.dims.department(self.db, d, None)?),
                None => None,
            };
            rows.push(vec![
                t.ticket_no.as_str().into(),
                t.kind.code().into(),
                t.source.code().into(),
                t.mode.code().into(),
                department_id.into(),
                t.content.as_deref().into(),
                fmt_ts(&t.received_at).into(),
                ts(t.due_at.as_ref()),
                ts(t.closed_at.as_ref()),
                t.resolved.into(),
                ts(t.revisited_at.as_ref()),
                t.revisit_result.map(|r| r.code()).into(),
                t.citizen_name.as_deref().into(),
                t.citizen_phone.as_deref().into(),
                self.summary.import_id.into(),
            ]);
        }
        let outcomes = self.upsert_rows("tickets", TICKET_COLUMNS, 0, rows.clone())?;
        for (row, outcome) in rows.iter().zip(outcomes) {
            match outcome {
                Outcome::Inserted => self.ticket_deltas.add(ticket_key(row), 1),
                Outcome::Updated(old) => {
                    self.ticket_deltas.add(ticket_key(&old), -1);
                    self.ticket_deltas.add(ticket_key(row), 1);
                }
                Outcome::Unchanged => {}
            }
        }
        Ok(())
    }

    /// Cases are completed after they are accepted: a later export updates them.
    pub fn cases(&mut self, records: &[CaseRecord]) -> Result<(), StoreError> {
        let mut rows: Vec<Row> = Vec::with_capacity(records.len());
        for c in records {
            let department_id = self
                .dims
                .department(self.db, &c.department, Some(&c.region))?;
            let region_id = self.dims.region(self.db, &c.region)?;
            let matter_id = match &c.matter_code {
                Some(code) => Some(self.dims.matter(
                    self.db,
                    code,
                    c.matter_name.as_deref(),
                    department_id,
                    &c.region,
                )?),
                None => None,
            };
            let window_id = match &c.window {
                Some(w) => Some(
                    self.dims
                        .window(self.db, w, &c.region, Some(department_id))?,
                ),
                None => None,
            };
            let package_id = match &c.package {
                Some(p) => Some(self.dims.package(self.db, p, Some(department_id))?),
                None => None,
            };
            rows.push(vec![
                c.case_no.as_str().into(),
                matter_id.into(),
                department_id.into(),
                region_id.into(),
                window_id.into(),
                package_id.into(),
                fmt_ts(&c.accepted_at).into(),
                ts(c.completed_at.as_ref()),
                c.assisted.into(),
                c.extended.into(),
                self.summary.import_id.into(),
            ]);
        }
        self.upsert_rows("cases", CASE_COLUMNS, 0, rows)?;
        Ok(())
    }
}

/// A rating as a `ratings` row (in [`RATING_COLUMNS`] order), its dimensions resolved or
/// created. `import_id` is None for ratings that arrived one by one through the intake.
pub(crate) fn rating_row(
    db: &mut dyn Backend,
    dims: &mut DimCache,
    r: &RatingRecord,
    import_id: Option<i64>,
) -> Result<Row, StoreError> {
    let department_id = dims.department(db, &r.department, Some(&r.region))?;
    let region_id = dims.region(db, &r.region)?;
    let window_id = match &r.window {
        Some(w) => Some(dims.window(db, w, &r.region, Some(department_id))?),
        None => None,
    };
    let staff_id = match &r.staff {
        Some(s) => Some(dims.staff(db, s, department_id)?),
        None => None,
    };
    let matter_id = match &r.matter_code {
        Some(c) => Some(dims.matter(db, c, r.matter_name.as_deref(), department_id, &r.region)?),
        None => None,
    };
    Ok(vec![
        r.rating_no.as_str().into(),
        r.case_no.as_deref().into(),
        matter_id.into(),
        department_id.into(),
        window_id.into(),
        staff_id.into(),
        region_id.into(),
        r.channel.code().into(),
        r.grade.code().into(),
        ts_text(&r.rated_at).into(),
        i64::from(r.attempt).into(),
        r.tags.as_deref().into(),
        r.comment.as_deref().into(),
        r.rater_name.as_deref().into(),
        r.rater_phone.as_deref().into(),
        import_id.into(),
        r.device.as_deref().into(),
        r.address.as_deref().into(),
        r.account.as_deref().into(),
    ])
}

/// `fmt_ts` without chrono's format-string interpretation, which cost ~4% of a bulk import.
fn ts_text(t: &chrono::NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    let y = t.year();
    if !(0..=9999).contains(&y) {
        return fmt_ts(t);
    }
    let mut b = *b"0000-00-00 00:00:00";
    let mut put = |at: usize, v: u32, width: usize| {
        let mut v = v;
        for i in (0..width).rev() {
            b[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, y as u32, 4);
    put(5, t.month(), 2);
    put(8, t.day(), 2);
    put(11, t.hour(), 2);
    put(14, t.minute(), 2);
    put(17, t.second(), 2);
    String::from_utf8_lossy(&b).into_owned()
}

pub(crate) fn rating_key(row: &Row) -> crate::rollup::RatingKey {
    (
        row[9]
            .as_str()
            .map_or_else(String::new, |t| t[..10].to_string()),
        row.int(6),
        row.int(3),
        row.opt_int(4).unwrap_or(0),
        row.int(7),
        row.int(8),
    )
}

fn ticket_key(row: &Row) -> crate::rollup::TicketKey {
    (
        row.text(6)[..10].to_string(),
        row.opt_int(4).unwrap_or(0),
        row.int(1),
        row.int(2),
        row.int(3),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_are_written_as_fmt_ts_writes_them() {
        for t in [
            "2023-01-05 08:03:09",
            "0999-12-31 23:59:59",
            "2024-02-29 00:00:00",
        ] {
            let dt = jianping_core::time::parse_datetime(t).unwrap();
            assert_eq!(super::ts_text(&dt), super::fmt_ts(&dt));
            assert_eq!(super::ts_text(&dt), t);
        }
    }
}
