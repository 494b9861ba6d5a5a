//! The ledger as it stood at the end of a given day, and how it moved over a period — what
//! the monthly bulletin prints, so that a bulletin made again later says the same. Rebuilt
//! from `ledger_events`: every step is an event with its time (`at`) and the state it led
//! to, so an item's state at a moment is the `to_state` of its last event up to then.

use super::read::{ItemView, LedgerFilter};
use super::stats::bad_ratings_in;
use crate::backend::{Backend, RowExt, Value};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use jianping_core::access::Visibility;
use jianping_core::ledger::{DeadlineStatus, SourceKind, State, deadline_status};
use jianping_core::time::{fmt_date, parse_date};
use jianping_core::{Grade, Period, Response};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The state of the item `l` at the moment given by the next `?` (its last event up to then).
const STATE_AT: &str =
    "(SELECT e.to_state FROM ledger_events e WHERE e.item_id = l.id AND e.at <= ?
    ORDER BY e.at DESC, e.id DESC LIMIT 1)";
/// The same, strictly before the moment.
const STATE_BEFORE: &str =
    "(SELECT e.to_state FROM ledger_events e WHERE e.item_id = l.id AND e.at < ?
    ORDER BY e.at DESC, e.id DESC LIMIT 1)";

/// How one source's items moved over a period. Counts are of items, judged by their state
/// at the period's two ends, so `open_at_start + new − closed + reopened = open_at_end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceMovement {
    pub source: SourceKind,
    /// Registered before the period and not closed when it began.
    pub open_at_start: u64,
    /// Registered in the period (their problem arose in it).
    pub new: u64,
    /// Not closed when the period began (or registered in it) and closed at its end.
    pub closed: u64,
    /// Closed when the period began and open again at its end.
    pub reopened: u64,
    /// Not closed at the end of the period.
    pub open_at_end: u64,
    /// Of those, rectified and waiting for the bureau's check.
    pub awaiting_check_at_end: u64,
}

impl SourceMovement {
    fn new(source: SourceKind) -> SourceMovement {
        SourceMovement {
            source,
            open_at_start: 0,
            new: 0,
            closed: 0,
            reopened: 0,
            open_at_end: 0,
            awaiting_check_at_end: 0,
        }
    }

    /// Whether the figures add up (they always do when every item's events are complete).
    pub fn balances(&self) -> bool {
        self.open_at_start + self.new + self.reopened == self.closed + self.open_at_end
    }

    fn add(&mut self, start: Option<State>, end: State, n: u64) {
        let closed_at_start = start == Some(State::Closed);
        match start {
            None => self.new += n,
            Some(State::Closed) => {}
            Some(_) => self.open_at_start += n,
        }
        if end == State::Closed {
            if !closed_at_start {
                self.closed += n;
            }
        } else {
            self.open_at_end += n;
            if end == State::Rectified {
                self.awaiting_check_at_end += n;
            }
            if closed_at_start {
                self.reopened += n;
            }
        }
    }
}

/// A department's bad ratings in one region and what became of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingFollowup {
    /// The rated department.
    pub department: String,
    /// The rating's region code.
    pub region: String,
    /// Bad ratings not excluded by an upheld appeal.
    pub bad: u64,
    /// Of those, with the rater's name or phone (实名差评).
    pub named: u64,
    /// Of the named, called back and reached (any response but 未联系上).
    pub called_back: u64,
    /// Bad ratings whose ledger item is closed.
    pub closed: u64,
}

impl Store {
    /// Items per source by their state at the start and the end of the period.
    pub fn ledger_movement(&mut self, period: &Period) -> Result<Vec<SourceMovement>, StoreError> {
        let sql = format!(
            "SELECT x.source_kind, x.s0, x.s1, COUNT(*) FROM (
                 SELECT l.source_kind, {STATE_BEFORE} AS s0, {STATE_AT} AS s1
                 FROM ledger_items l WHERE l.raised_at <= ?) x
             WHERE x.s1 IS NOT NULL
             GROUP BY x.source_kind, x.s0, x.s1"
        );
        let end = period.end_ts();
        let rows = self.backend().query(
            &sql,
            &[
                period.start_ts().into(),
                end.as_str().into(),
                end.as_str().into(),
            ],
        )?;
        let mut map: BTreeMap<SourceKind, SourceMovement> = BTreeMap::new();
        for r in rows {
            let (Some(source), Some(end)) = (
                SourceKind::from_code(&r.text(0)),
                State::from_code(&r.text(2)),
            ) else {
                continue;
            };
            let start = r.opt_text(1).and_then(|s| State::from_code(&s));
            map.entry(source)
                .or_insert_with(|| SourceMovement::new(source))
                .add(start, end, r.int(3).max(0) as u64);
        }
        Ok(SourceKind::ALL
            .iter()
            .filter_map(|s| map.remove(s))
            .collect())
    }

    /// Items matching the filter as they stood at the end of `as_of`, city-wide: a report
    /// read (the monthly bulletin's), which callers authorize as `Operation::ViewReports`.
    /// Items matching the filter as they stood at the end of `as_of`: items registered later
    /// are left out, the state is the one reached by then (items without any event keep
    /// their present state), and the deadline flag is judged on that day. The due day is
    /// the present one, except that an extension approved after `as_of` is undone; a due
    /// day renewed by reopening after `as_of` is not (the events do not keep due days).
    pub fn ledger_items_as_of(
        &mut self,
        filter: &LedgerFilter,
        as_of: NaiveDate,
    ) -> Result<Vec<ItemView>, StoreError> {
        let end = format!("{} 23:59:59", fmt_date(&as_of));
        // `overdue` in the filter is judged on the state now; here it is judged afterwards.
        let unflagged = LedgerFilter {
            overdue: false,
            ..filter.clone()
        };
        let items = self.items_within(Visibility::City, &unflagged, as_of)?;
        let states = states_at(self.backend(), &end)?;
        let mut old_due = due_before_extensions(self.backend(), &end)?;
        let cal = super::load_calendar(self.backend())?;
        let mut out = Vec::with_capacity(items.len());
        for mut it in items {
            let Some(known) = states.get(&it.item_no) else {
                continue; // registered after `as_of`
            };
            match known {
                Some(None) => continue, // on the ledger, but its problem arose later
                Some(Some(state)) => as_of_state(&mut it, *state, &end),
                None => {}
            }
            if let Some(d) = old_due.remove(&it.item_no) {
                it.due_on = Some(d);
            }
            let due = it.due_on.as_deref().and_then(|d| parse_date(d).ok());
            let done = it.rectified_at.as_deref().and_then(|d| parse_date(d).ok());
            it.deadline = deadline_status(&cal, it.state, due, done, as_of);
            if !filter.overdue || it.deadline == DeadlineStatus::Overdue {
                out.push(it);
            }
        }
        Ok(out)
    }

    /// Bad ratings rated in the period (not excluded by an appeal) per department and
    /// region: how many carry a name, how many of those were reached by a callback, how many
    /// have a closed ledger item. `as_of`: judge callbacks and closing at the end of that
    /// day; `None`: as the ledger stands now.
    pub fn bad_rating_followup(
        &mut self,
        period: &Period,
        bad: &[Grade],
        as_of: Option<NaiveDate>,
    ) -> Result<Vec<RatingFollowup>, StoreError> {
        let (cond, cond_params) = bad_ratings_in(period, bad);
        let mut params: Vec<Value> = Vec::new();
        let (callback_at, closed) = match as_of {
            None => ("", "l.state = 'closed'".to_string()),
            Some(d) => {
                let end = format!("{} 23:59:59", fmt_date(&d));
                params.push(end.as_str().into());
                params.push(end.as_str().into());
                (" AND c.at <= ?", format!("{STATE_AT} = 'closed'"))
            }
        };
        params.extend(cond_params);
        let named = "(COALESCE(r.rater_name, '') <> '' OR COALESCE(r.rater_phone, '') <> '')";
        let sql = format!(
            "SELECT d.name, g.code, COUNT(*),
                CAST(SUM(CASE WHEN {named} THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN {named} AND EXISTS (
                    SELECT 1 FROM ledger_items l JOIN callbacks c ON c.item_id = l.id
                    WHERE l.source_kind = 'rating' AND l.source_id = r.id
                      AND c.response <> {unreached}{callback_at}
                ) THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN EXISTS (
                    SELECT 1 FROM ledger_items l
                    WHERE l.source_kind = 'rating' AND l.source_id = r.id AND {closed}
                ) THEN 1 ELSE 0 END) AS BIGINT)
             FROM ratings r JOIN departments d ON d.id = r.department_id
             JOIN regions g ON g.id = r.region_id
             WHERE {cond}
             GROUP BY d.name, g.code
             ORDER BY d.name, g.code",
            unreached = Response::Unreached.code()
        );
        let rows = self.backend().query(&sql, &params)?;
        Ok(rows
            .iter()
            .map(|r| RatingFollowup {
                department: r.text(0),
                region: r.text(1),
                bad: r.int(2).max(0) as u64,
                named: r.int(3).max(0) as u64,
                called_back: r.int(4).max(0) as u64,
                closed: r.int(5).max(0) as u64,
            })
            .collect())
    }
}

/// Each item registered by `end` and its state then; `None` for an item without any event
/// (kept as it is), `Some(None)` for one whose events all come later.
fn states_at(
    db: &mut dyn Backend,
    end: &str,
) -> Result<HashMap<String, Option<Option<State>>>, StoreError> {
    let sql = format!(
        "SELECT l.item_no, {STATE_AT}, (SELECT COUNT(*) FROM ledger_events e WHERE e.item_id = l.id)
         FROM ledger_items l WHERE l.raised_at <= ?"
    );
    let rows = db.query(&sql, &[end.into(), end.into()])?;
    Ok(rows
        .iter()
        .map(|r| {
            let state = (r.int(2) > 0).then(|| r.opt_text(1).and_then(|s| State::from_code(&s)));
            (r.text(0), state)
        })
        .collect())
}

/// The due day an item had at `end`, for items whose extension was approved after it.
fn due_before_extensions(
    db: &mut dyn Backend,
    end: &str,
) -> Result<HashMap<String, String>, StoreError> {
    let mut old_due: HashMap<String, String> = HashMap::new();
    for r in db.query(
        "SELECT l.item_no, x.old_due_on FROM ledger_extensions x
         JOIN ledger_items l ON l.id = x.item_id
         WHERE x.state = 'approved' AND x.decided_at > ? AND x.old_due_on IS NOT NULL
         ORDER BY x.decided_at DESC, x.id DESC",
        &[end.into()],
    )? {
        // Latest first, so the earliest extension after `end` is written last and wins.
        old_due.insert(r.text(0), r.text(1));
    }
    Ok(old_due)
}

/// Turns an item back to the state it had at `end`, dropping what happened later.
fn as_of_state(it: &mut ItemView, state: State, end: &str) {
    let later = |t: &Option<String>| t.as_deref().is_some_and(|t| t > end);
    it.state = state;
    if state != State::Closed || later(&it.closed_at) {
        it.closed_at = None;
        if state != State::Closed {
            it.resolution = None;
        }
    }
    if !matches!(state, State::Rectified | State::Closed) || later(&it.rectified_at) {
        it.rectified_at = None;
    }
}
