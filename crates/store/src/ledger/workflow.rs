//! Steps on an item: each one transaction that updates the item (and the extension, appeal,
//! callback or rollup rows it touches) and appends its ledger_events row.

use super::{ledger_role, load_calendar, scope_columns};
use crate::backend::{Backend, Dialect, RowExt, Value};
use crate::rollup::RatingDeltas;
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::access::{Operation, Principal, Scope, authorize};
use jianping_core::calendar::Calendar;
use jianping_core::ledger::{
    Action, Command, ItemFacts, LedgerError, Role, SourceKind, State, plan,
};
use jianping_core::time::{fmt_date, fmt_ts, parse_date};
use serde::Serialize;

/// What a step did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepOutcome {
    pub item_no: String,
    pub action: Action,
    pub from: State,
    pub to: State,
    /// The due day after the step (changed by an approved extension or a reopen).
    pub due_on: Option<String>,
}

/// The item as the workflow needs it.
struct Loaded {
    id: i64,
    facts: ItemFacts,
    source_id: Option<i64>,
    scope: Scope,
    raised_at: String,
    due_on: Option<String>,
    limit_days: i64,
}

impl Store {
    /// Takes one step on an item, as `who`, at `at` (explicit so that history can be
    /// recorded after the fact). Refused steps change nothing: `Forbidden` when `who` may
    /// not take it on this item, `Conflict` when the item's state rules it out (as when
    /// another user claimed it a moment earlier), `Invalid` when the step's text is
    /// missing, `NotFound` for an unknown item.
    pub fn ledger_step(
        &mut self,
        item_no: &str,
        command: &Command,
        who: &Principal,
        at: NaiveDateTime,
    ) -> Result<StepOutcome, StoreError> {
        self.tx(|db| step(db, item_no, command, who, at))
    }

    pub fn ledger_claim(
        &mut self,
        item_no: &str,
        who: &Principal,
        at: NaiveDateTime,
    ) -> Result<StepOutcome, StoreError> {
        self.ledger_step(item_no, &Command::Claim { note: None }, who, at)
    }

    pub fn ledger_rectify(
        &mut self,
        item_no: &str,
        measures: &str,
        who: &Principal,
        at: NaiveDateTime,
    ) -> Result<StepOutcome, StoreError> {
        let c = Command::Rectify {
            measures: measures.to_string(),
        };
        self.ledger_step(item_no, &c, who, at)
    }

    pub fn ledger_close(
        &mut self,
        item_no: &str,
        note: Option<&str>,
        who: &Principal,
        at: NaiveDateTime,
    ) -> Result<StepOutcome, StoreError> {
        let c = Command::Close {
            note: note.map(str::to_string),
        };
        self.ledger_step(item_no, &c, who, at)
    }

    pub fn ledger_callback(
        &mut self,
        item_no: &str,
        response: jianping_core::Response,
        note: Option<&str>,
        who: &Principal,
        at: NaiveDateTime,
    ) -> Result<StepOutcome, StoreError> {
        let c = Command::Callback {
            response,
            note: note.map(str::to_string),
        };
        self.ledger_step(item_no, &c, who, at)
    }

    /// The item number of a source record's item, e.g. the item of rating "R3".
    pub fn ledger_item_for_source(
        &mut self,
        source: SourceKind,
        source_no: &str,
    ) -> Result<Option<String>, StoreError> {
        let rows = self.backend().query(
            "SELECT item_no FROM ledger_items WHERE source_kind = ? AND source_no = ?",
            &[source.code().into(), source_no.into()],
        )?;
        Ok(rows.first().map(|r| r.text(0)))
    }
}

pub(super) fn step(
    db: &mut dyn Backend,
    item_no: &str,
    command: &Command,
    who: &Principal,
    at: NaiveDateTime,
) -> Result<StepOutcome, StoreError> {
    let item = load(db, item_no)?;
    authorize(who, Operation::LedgerStep(command.action()), &item.scope)
        .map_err(|e| StoreError::Forbidden(format!("整改事项 {item_no}：{e}")))?;
    let role = ledger_role(who)?;
    if fmt_ts(&at) < item.raised_at {
        return Err(StoreError::Invalid(format!(
            "操作时间 {} 早于问题发生时间 {}，请检查 --at",
            fmt_ts(&at),
            item.raised_at
        )));
    }
    let to = plan(&item.facts, command, role).map_err(|e| refusal(item_no, e))?;
    let cal = load_calendar(db)?;
    let due_on = apply(db, &cal, &item, command, to, &who.user, at)?;
    write_event(
        db,
        item.id,
        (at, chrono::Local::now().naive_local()),
        (&who.user, role),
        command.action(),
        Some(item.facts.state),
        to,
        command.note().as_deref(),
    )?;
    Ok(StepOutcome {
        item_no: item_no.to_string(),
        action: command.action(),
        from: item.facts.state,
        to,
        due_on,
    })
}

/// A step the state machine refused, typed for the caller (HTTP 409 / 403 / 422).
fn refusal(item_no: &str, e: LedgerError) -> StoreError {
    let msg = format!("整改事项 {item_no}：{e}");
    match e {
        LedgerError::State { .. } | LedgerError::Precondition(_) => StoreError::Conflict(msg),
        LedgerError::Role { .. } => StoreError::Forbidden(msg),
        LedgerError::Invalid(_) => StoreError::Invalid(msg),
    }
}

/// Locks the item's row until the step's transaction ends, so that two concurrent steps
/// on one item are checked one after the other against the state each finds. SQLite's
/// `BEGIN IMMEDIATE` (see `Store::tx`) already serializes writers; PostgreSQL needs the
/// row lock. A statement of its own, not `FOR UPDATE` on the loading query: in READ
/// COMMITTED the next statement takes a fresh snapshot, so the load sees what the step
/// we waited for committed (extension and appeal rows included, not only the item row).
fn lock_item(db: &mut dyn Backend, item_no: &str) -> Result<(), StoreError> {
    if db.dialect() == Dialect::Postgres {
        db.query(
            "SELECT id FROM ledger_items WHERE item_no = ? FOR UPDATE",
            &[item_no.into()],
        )?;
    }
    Ok(())
}

fn load(db: &mut dyn Backend, item_no: &str) -> Result<Loaded, StoreError> {
    lock_item(db, item_no)?;
    let sql = format!(
        "SELECT l.id, l.state, l.source_kind, l.source_id, {}, l.raised_at, l.due_on,
                COALESCE(l.limit_days, 15), l.resolution,
                (SELECT COUNT(*) FROM ledger_extensions e WHERE e.item_id = l.id AND e.state = 'pending'),
                (SELECT COUNT(*) FROM appeals a WHERE l.source_kind = 'rating'
                    AND a.rating_id = l.source_id AND a.state = 'pending')
         FROM ledger_items l WHERE l.item_no = ?",
        scope_columns("l")
    );
    let rows = db.query(&sql, &[item_no.into()])?;
    let r = rows.first().ok_or_else(|| {
        StoreError::NotFound(format!(
            "没有编号为「{item_no}」的整改事项；可用 jianping ledger list 查看事项编号"
        ))
    })?;
    let state = State::from_code(&r.text(1)).ok_or_else(|| {
        StoreError::Invalid(format!("事项 {item_no} 的状态「{}」无法识别", r.text(1)))
    })?;
    let source = SourceKind::from_code(&r.text(2)).ok_or_else(|| {
        StoreError::Invalid(format!("事项 {item_no} 的来源「{}」无法识别", r.text(2)))
    })?;
    Ok(Loaded {
        id: r.int(0),
        facts: ItemFacts {
            state,
            source,
            pending_extension: r.int(10) > 0,
            pending_appeal: r.int(11) > 0,
            appeal_upheld: r.opt_text(9).as_deref() == Some("appeal_upheld"),
        },
        source_id: r.opt_int(3),
        scope: Scope::item(r.opt_int(4), r.opt_int(5)),
        raised_at: r.text(6),
        due_on: r.opt_text(7),
        limit_days: r.int(8),
    })
}

/// Writes what the step changes besides the event. Returns the item's due day afterwards.
fn apply(
    db: &mut dyn Backend,
    cal: &Calendar,
    item: &Loaded,
    command: &Command,
    to: State,
    who: &str,
    at: NaiveDateTime,
) -> Result<Option<String>, StoreError> {
    let now = fmt_ts(&at);
    let mut due = item.due_on.clone();
    set_state(db, item.id, to)?;
    match command {
        Command::DecideExtension { approve, note } => {
            due = decide_extension(db, cal, item, *approve, note.as_deref(), who, &now)?;
        }
        Command::DecideAppeal { uphold, note } => {
            decide_appeal(db, item, *uphold, note.as_deref(), who, &now)?;
        }
        Command::RequestExtension { .. }
        | Command::Callback { .. }
        | Command::FileAppeal { .. } => {
            record(db, item, command, who, &now)?;
        }
        _ => update_item(db, item.id, command, &now)?,
    }
    let reopened =
        to == State::Claimed && matches!(item.facts.state, State::Rectified | State::Closed);
    if reopened {
        // A reopened item gets a fresh rectification period from the day it is reopened.
        let new_due = fmt_date(&cal.add_workdays(at.date(), item.limit_days.max(0) as u32));
        db.execute(
            "UPDATE ledger_items SET closed_at = NULL, rectified_at = NULL, resolution = NULL, due_on = ?
             WHERE id = ?",
            &[new_due.as_str().into(), item.id.into()],
        )?;
        due = Some(new_due);
    }
    Ok(due)
}

/// Steps that change the item's own columns.
fn update_item(
    db: &mut dyn Backend,
    id: i64,
    command: &Command,
    now: &str,
) -> Result<(), StoreError> {
    match command {
        Command::Reassign { department, .. } => {
            let dep = department_id(db, department)?;
            db.execute(
                "UPDATE ledger_items SET department_id = ? WHERE id = ?",
                &[dep.into(), id.into()],
            )?;
        }
        Command::Rectify { measures } => {
            db.execute(
                "UPDATE ledger_items SET measures = ?, rectified_at = ? WHERE id = ?",
                &[measures.trim().into(), now.into(), id.into()],
            )?;
            // A pending extension has nothing left to extend.
            db.execute(
                "UPDATE ledger_extensions SET state = 'withdrawn', decided_at = ?, decision_note = '已提交整改，申请自动撤回'
                 WHERE item_id = ? AND state = 'pending'",
                &[now.into(), id.into()],
            )?;
        }
        Command::Close { .. } => {
            db.execute(
                "UPDATE ledger_items SET closed_at = ?, resolution = 'rectified' WHERE id = ?",
                &[now.into(), id.into()],
            )?;
        }
        _ => {}
    }
    Ok(())
}

/// Steps that add a row of their own: an extension request, a callback, an appeal.
fn record(
    db: &mut dyn Backend,
    item: &Loaded,
    command: &Command,
    who: &str,
    now: &str,
) -> Result<(), StoreError> {
    match command {
        Command::RequestExtension { days, reason } => {
            db.execute(
                "INSERT INTO ledger_extensions (item_id, requested_at, requested_by, days, reason, state, old_due_on)
                 VALUES (?, ?, ?, ?, ?, 'pending', ?)",
                &[
                    item.id.into(),
                    now.into(),
                    who.into(),
                    i64::from(*days).into(),
                    reason.trim().into(),
                    item.due_on.as_deref().into(),
                ],
            )?;
        }
        Command::Callback { response, note } => {
            db.execute(
                "INSERT INTO callbacks (item_id, at, actor, response, note) VALUES (?, ?, ?, ?, ?)",
                &[
                    item.id.into(),
                    now.into(),
                    who.into(),
                    response.code().into(),
                    note.as_deref().into(),
                ],
            )?;
            let feedback = match note {
                Some(n) => format!("{} 回访：{response}（{n}）", &now[..10]),
                None => format!("{} 回访：{response}", &now[..10]),
            };
            db.execute(
                "UPDATE ledger_items SET feedback = ? WHERE id = ?",
                &[feedback.into(), item.id.into()],
            )?;
        }
        Command::FileAppeal { reason, evidence } => {
            db.execute(
                "INSERT INTO appeals (rating_id, filed_at, filed_by, reason, evidence, state)
                 VALUES (?, ?, ?, ?, ?, 'pending')",
                &[
                    item.source_id.into(),
                    now.into(),
                    who.into(),
                    reason.trim().into(),
                    evidence.as_deref().into(),
                ],
            )?;
        }
        _ => {}
    }
    Ok(())
}

fn set_state(db: &mut dyn Backend, id: i64, to: State) -> Result<(), StoreError> {
    db.execute(
        "UPDATE ledger_items SET state = ? WHERE id = ?",
        &[to.code().into(), id.into()],
    )?;
    Ok(())
}

fn decide_extension(
    db: &mut dyn Backend,
    cal: &Calendar,
    item: &Loaded,
    approve: bool,
    note: Option<&str>,
    who: &str,
    now: &str,
) -> Result<Option<String>, StoreError> {
    let rows = db.query(
        "SELECT id, days FROM ledger_extensions WHERE item_id = ? AND state = 'pending'",
        &[item.id.into()],
    )?;
    let Some(r) = rows.first() else {
        return Err(StoreError::Conflict("该事项没有待审批的延期申请".into()));
    };
    let mut due = item.due_on.clone();
    let mut new_due: Value = Value::Null;
    if approve {
        let base = match &item.due_on {
            Some(d) => parse_date(d).map_err(StoreError::Invalid)?,
            None => parse_date(&item.raised_at).map_err(StoreError::Invalid)?,
        };
        let extended = fmt_date(&cal.add_workdays(base, r.int(1).max(0) as u32));
        db.execute(
            "UPDATE ledger_items SET due_on = ? WHERE id = ?",
            &[extended.as_str().into(), item.id.into()],
        )?;
        new_due = extended.as_str().into();
        due = Some(extended);
    }
    db.execute(
        "UPDATE ledger_extensions SET state = ?, decided_at = ?, decided_by = ?, decision_note = ?, new_due_on = ?
         WHERE id = ?",
        &[
            if approve { "approved" } else { "refused" }.into(),
            now.into(),
            who.into(),
            note.into(),
            new_due,
            r.int(0).into(),
        ],
    )?;
    Ok(due)
}

/// An upheld appeal takes the rating out of the rollups (the rating row stays) and closes
/// the item as 申诉成立; `rollup::verify` excludes upheld appeals the same way.
fn decide_appeal(
    db: &mut dyn Backend,
    item: &Loaded,
    uphold: bool,
    note: Option<&str>,
    who: &str,
    now: &str,
) -> Result<(), StoreError> {
    let rating_id = item.source_id.unwrap_or_default();
    db.execute(
        "UPDATE appeals SET state = ?, decided_at = ?, decided_by = ?, decision_note = ?
         WHERE rating_id = ? AND state = 'pending'",
        &[
            if uphold { "upheld" } else { "rejected" }.into(),
            now.into(),
            who.into(),
            note.into(),
            rating_id.into(),
        ],
    )?;
    if !uphold {
        return Ok(());
    }
    let rows = db.query(
        "SELECT substr(rated_at, 1, 10), region_id, department_id, COALESCE(window_id, 0), channel, grade
         FROM ratings WHERE id = ?",
        &[rating_id.into()],
    )?;
    let r = rows
        .first()
        .ok_or_else(|| StoreError::NotFound("申诉所针对的评价已不存在".into()))?;
    let mut deltas = RatingDeltas::default();
    deltas.add(
        (r.text(0), r.int(1), r.int(2), r.int(3), r.int(4), r.int(5)),
        -1,
    );
    deltas.apply(db)?;
    db.execute(
        "UPDATE ledger_items SET closed_at = ?, resolution = 'appeal_upheld' WHERE id = ?",
        &[now.into(), item.id.into()],
    )?;
    Ok(())
}

/// A department by its exact name; the error suggests close names.
pub(crate) fn department_id(db: &mut dyn Backend, name: &str) -> Result<i64, StoreError> {
    let name = name.trim();
    if let Some(r) = db
        .query("SELECT id FROM departments WHERE name = ?", &[name.into()])?
        .first()
    {
        return Ok(r.int(0));
    }
    let key: String = name.chars().take(4).collect();
    let like = db.query(
        "SELECT name FROM departments WHERE name LIKE ? ORDER BY name LIMIT 5",
        &[format!("%{key}%").into()],
    )?;
    let hint = if like.is_empty() {
        "请先导入部门名单（import departments）或检查名称".to_string()
    } else {
        let names: Vec<String> = like.iter().map(|r| r.text(0)).collect();
        format!("是否指：{}", names.join("、"))
    };
    Err(StoreError::NotFound(format!(
        "没有名为「{name}」的部门；{hint}"
    )))
}

/// `when` is (when it happened, when it was recorded); `by` is (user, ledger role).
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_event(
    db: &mut dyn Backend,
    item_id: i64,
    when: (NaiveDateTime, NaiveDateTime),
    by: (&str, Role),
    action: Action,
    from: Option<State>,
    to: State,
    note: Option<&str>,
) -> Result<(), StoreError> {
    db.execute(
        "INSERT INTO ledger_events (item_id, at, actor, action, from_state, to_state, note, role, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            item_id.into(),
            fmt_ts(&when.0).into(),
            by.0.into(),
            action.code().into(),
            from.map(|s| s.code()).into(),
            to.code().into(),
            note.into(),
            by.1.code().into(),
            fmt_ts(&when.1).into(),
        ],
    )?;
    Ok(())
}
