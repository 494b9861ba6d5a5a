//! Items from every source, automatically: each source record that should be an item and
//! has none gets one. Idempotent (UNIQUE (source_kind, source_id) backs it up), so it runs
//! after every import, in the import's transaction, and on demand (`jianping ledger sync`).

use super::{ledger_role, load_calendar, load_config};
use crate::backend::{Backend, Row, RowExt, Value};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use jianping_core::access::{Operation, Principal, Scope, authorize, visible};
use jianping_core::calendar::Calendar;
use jianping_core::ledger::{Action, LedgerConfig, Role, SourceKind, State};
use jianping_core::time::{fmt_date, fmt_ts, parse_datetime};
use jianping_core::{Grade, GradeCodes, TicketKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// Items created, per source kind code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncSummary {
    pub created: BTreeMap<String, u64>,
}

impl SyncSummary {
    pub fn total(&self) -> u64 {
        self.created.values().sum()
    }
}

/// A problem registered by hand (a leader's instruction, a media report …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub title: String,
    pub description: Option<String>,
    pub department: Option<String>,
    pub raised_at: NaiveDateTime,
    /// Working days to rectify; the configured `manual_days` when absent.
    pub limit_days: Option<u32>,
}

/// One source record about to become an item.
pub(super) struct Candidate {
    pub(super) source: SourceKind,
    pub(super) source_id: i64,
    pub(super) source_no: String,
    pub(super) department_id: Option<i64>,
    pub(super) title: String,
    pub(super) description: Option<String>,
    pub(super) raised_at: String,
    pub(super) limit_days: u32,
    pub(super) callback_days: Option<u32>,
    /// The suggested category (jianping-topics), set just before the insert.
    pub(super) topic: Option<String>,
}

impl Store {
    /// Creates the items that are missing; `at` is the registration time (`created_at`, and
    /// the recorded time of each 登记 event, whose own time is when the problem arose).
    pub fn sync_ledger(
        &mut self,
        config: &LedgerConfig,
        at: NaiveDateTime,
    ) -> Result<SyncSummary, StoreError> {
        self.tx(|db| {
            let cal = load_calendar(db)?;
            sync_in(db, config, &cal, at)
        })
    }

    /// Registers a problem by hand (the bureau's step `Action::Create`). Returns the item
    /// number.
    pub fn ledger_add(
        &mut self,
        item: &NewItem,
        who: &Principal,
        at: NaiveDateTime,
    ) -> Result<String, StoreError> {
        if item.title.trim().is_empty() {
            return Err(StoreError::Invalid(
                "登记问题须有标题（问题描述的概要）".into(),
            ));
        }
        let op = Operation::LedgerStep(Action::Create);
        // Refuse a role that may never register before resolving the department.
        visible(who, op)?;
        let role = ledger_role(who)?;
        self.tx(|db| {
            let cal = load_calendar(db)?;
            let config = load_config(db)?;
            let department_id = match &item.department {
                Some(name) => Some(super::workflow::department_id(db, name)?),
                None => None,
            };
            authorize(who, op, &Scope::item(department_id, None))?;
            let c = Candidate {
                source: SourceKind::Manual,
                source_id: 0,
                source_no: String::new(),
                department_id,
                title: item.title.trim().to_string(),
                description: item.description.clone(),
                raised_at: fmt_ts(&item.raised_at),
                limit_days: item.limit_days.unwrap_or(config.manual_days),
                callback_days: None,
                topic: None,
            };
            let c = with_topics(db, vec![c])?.remove(0);
            insert_item(db, &cal, &c, (&who.user, role), at)?
                .ok_or_else(|| StoreError::Invalid("登记失败：编号冲突，请重试".into()))
        })
    }
}

/// Runs the sync inside an open transaction (an import session's, at its commit).
pub(crate) fn after_import(
    db: &mut dyn Backend,
    at: NaiveDateTime,
) -> Result<SyncSummary, StoreError> {
    let config = load_config(db)?;
    let cal = load_calendar(db)?;
    sync_in(db, &config, &cal, at)
}

pub(crate) fn sync_in(
    db: &mut dyn Backend,
    config: &LedgerConfig,
    cal: &Calendar,
    at: NaiveDateTime,
) -> Result<SyncSummary, StoreError> {
    config.validate().map_err(StoreError::Invalid)?;
    let since = config
        .since
        .map(|d| format!("{} 00:00:00", fmt_date(&d)))
        .unwrap_or_default();
    let mut candidates = rating_candidates(db, config, &since, ("", &[]))?;
    candidates.extend(tickets(db, config, &since)?);
    candidates.extend(others(db, config, &since)?);
    let candidates = with_topics(db, candidates)?;
    let mut summary = SyncSummary::default();
    for c in &candidates {
        if insert_item(db, cal, c, SYSTEM, at)?.is_some() {
            *summary
                .created
                .entry(c.source.code().to_string())
                .or_insert(0) += 1;
        }
    }
    Ok(summary)
}

/// Who registers items from their sources.
const SYSTEM: (&str, Role) = ("系统", Role::Bureau);

/// The bad ratings (by the configured grades, since the configured day) that have no item
/// yet, with `only` narrowing the search (a SQL condition on `r`, e.g. to a batch).
fn rating_candidates(
    db: &mut dyn Backend,
    config: &LedgerConfig,
    since: &str,
    only: (&str, &[Value]),
) -> Result<Vec<Candidate>, StoreError> {
    let codes: Vec<String> = config
        .bad_grades
        .iter()
        .map(|g| g.code().to_string())
        .collect();
    let hint = crate::queries::bad_index_hint(&config.bad_grades);
    let sql = format!(
        "SELECT r.id, r.rating_no, r.department_id, r.rated_at, r.grade, r.comment, r.tags,
                m.name, w.name
         FROM ratings r
         LEFT JOIN matters m ON m.id = r.matter_id
         LEFT JOIN windows w ON w.id = r.window_id
         WHERE {hint}r.grade IN ({}) AND r.rated_at >= ?{}
           AND NOT EXISTS (SELECT 1 FROM ledger_items l
                           WHERE l.source_kind = 'rating' AND l.source_id = r.id)
         ORDER BY r.rated_at, r.id",
        codes.join(", "),
        only.0
    );
    let mut params: Vec<Value> = vec![since.into()];
    params.extend_from_slice(only.1);
    let rows = db.query(&sql, &params)?;
    Ok(rows
        .iter()
        .map(|r| {
            let grade =
                Grade::from_code(r.int(4), GradeCodes::Gbt39046).map_or("差评", |g| g.name());
            let what = r
                .opt_text(7)
                .or(r.opt_text(8))
                .unwrap_or_else(|| "办事".into());
            let description =
                join_texts(&[r.opt_text(5), r.opt_text(6).map(|t| format!("标签：{t}"))]);
            Candidate {
                source: SourceKind::Rating,
                source_id: r.int(0),
                source_no: r.text(1),
                department_id: r.opt_int(2),
                title: format!("「{grade}」评价：{what}"),
                description,
                raised_at: r.text(3),
                limit_days: config.rating_days,
                callback_days: Some(config.rating_callback_days),
                topic: None,
            }
        })
        .collect())
}

fn tickets(
    db: &mut dyn Backend,
    config: &LedgerConfig,
    since: &str,
) -> Result<Vec<Candidate>, StoreError> {
    if config.ticket_kinds.is_empty() {
        return Ok(Vec::new());
    }
    let kinds: Vec<String> = config
        .ticket_kinds
        .iter()
        .map(|k| k.code().to_string())
        .collect();
    let sql = format!(
        "SELECT t.id, t.ticket_no, t.department_id, t.received_at, t.kind, t.content
         FROM tickets t
         WHERE t.kind IN ({}) AND t.received_at >= ?
           AND NOT EXISTS (SELECT 1 FROM ledger_items l
                           WHERE l.source_kind = 'ticket' AND l.source_id = t.id)
         ORDER BY t.received_at, t.id",
        kinds.join(", ")
    );
    let rows = db.query(&sql, &[since.into()])?;
    Ok(rows
        .iter()
        .map(|r| {
            let kind = TicketKind::from_code(r.int(4));
            let content = r.opt_text(5);
            Candidate {
                source: SourceKind::Ticket,
                source_id: r.int(0),
                source_no: r.text(1),
                department_id: r.opt_int(2),
                title: format!(
                    "12345{}：{}",
                    kind.map_or("工单", |k| k.name()),
                    excerpt(content.as_deref().unwrap_or("（无内容）"), 40)
                ),
                description: content,
                raised_at: r.text(3),
                limit_days: config.rectify_days(SourceKind::Ticket, kind),
                callback_days: None,
                topic: None,
            }
        })
        .collect())
}

const QR_LABEL: &str = "\"码\"上监督";

/// Supervisor feedback, QR complaints and third-party findings: one query each, same shape
/// (id, number, department, raised, label, text).
fn others(
    db: &mut dyn Backend,
    config: &LedgerConfig,
    since: &str,
) -> Result<Vec<Candidate>, StoreError> {
    let specs = [
        (
            SourceKind::Feedback,
            "SELECT f.id, f.feedback_no, f.department_id, f.received_on || ' 00:00:00', f.category, f.content
             FROM supervisor_feedback f
             WHERE f.received_on || ' 00:00:00' >= ?
               AND NOT EXISTS (SELECT 1 FROM ledger_items l WHERE l.source_kind = 'feedback' AND l.source_id = f.id)
             ORDER BY f.received_on, f.id",
            "监督员意见",
        ),
        (
            SourceKind::QrReport,
            "SELECT q.id, q.report_no, q.department_id, q.received_at, q.domain, q.content
             FROM qr_reports q
             WHERE q.received_at >= ?
               AND NOT EXISTS (SELECT 1 FROM ledger_items l WHERE l.source_kind = 'qr_report' AND l.source_id = q.id)
             ORDER BY q.received_at, q.id",
            QR_LABEL,
        ),
        (
            SourceKind::Assessment,
            "SELECT a.id, a.finding_no, a.department_id, a.assessed_on || ' 00:00:00', a.project, a.finding
             FROM assessment_findings a
             WHERE a.assessed_on || ' 00:00:00' >= ?
               AND TRIM(a.finding) <> ''
               AND NOT EXISTS (SELECT 1 FROM ledger_items l WHERE l.source_kind = 'assessment' AND l.source_id = a.id)
             ORDER BY a.assessed_on, a.id",
            "第三方评估",
        ),
    ];
    let mut out = Vec::new();
    for (source, sql, label) in specs {
        for r in db.query(sql, &[since.into()])? {
            out.push(other_candidate(config, source, label, &r));
        }
    }
    Ok(out)
}

/// A row of the `others` shape (id, number, department, raised, label, text) as a candidate.
fn other_candidate(config: &LedgerConfig, source: SourceKind, label: &str, r: &Row) -> Candidate {
    let text = r.text(5);
    Candidate {
        source,
        source_id: r.int(0),
        source_no: r.text(1),
        department_id: r.opt_int(2),
        title: format!("{label}（{}）：{}", r.text(4), excerpt(&text, 40)),
        description: Some(text),
        raised_at: r.text(3),
        limit_days: config.rectify_days(source, None),
        callback_days: None,
        topic: None,
    }
}

/// Registers the items of ratings just stored (the intake's batch), in the caller's
/// transaction, exactly as an import's sync would: the same candidates, numbering,
/// deadlines and configuration. Returns (rating number, item number) per item created.
pub(crate) fn register_ratings(
    db: &mut dyn Backend,
    rating_nos: &[&str],
    at: NaiveDateTime,
) -> Result<Vec<(String, String)>, StoreError> {
    let config = load_config(db)?;
    config.validate().map_err(StoreError::Invalid)?;
    let since = config
        .since
        .map(|d| format!("{} 00:00:00", fmt_date(&d)))
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut cal = None;
    for chunk in rating_nos.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let cond = format!(" AND r.rating_no IN ({marks})");
        let nos: Vec<Value> = chunk.iter().map(|n| Value::from(*n)).collect();
        let found = rating_candidates(db, &config, &since, (&cond, &nos))?;
        let found = with_topics(db, found)?;
        if found.is_empty() {
            continue;
        }
        let cal = match &cal {
            Some(c) => c,
            None => cal.insert(load_calendar(db)?),
        };
        for c in &found {
            if let Some(item_no) = insert_item(db, cal, c, SYSTEM, at)? {
                out.push((c.source_no.clone(), item_no));
            }
        }
    }
    Ok(out)
}

/// Registers the item of one QR report just stored (a complaint filed on a window's QR
/// page), in the caller's transaction, as an import's sync would register it: the same
/// title, deadline, numbering and suggested topic. `None` when the configuration's `since`
/// excludes it or it already has an item.
pub(crate) fn register_qr_report(
    db: &mut dyn Backend,
    report_id: i64,
    at: NaiveDateTime,
) -> Result<Option<String>, StoreError> {
    let config = load_config(db)?;
    config.validate().map_err(StoreError::Invalid)?;
    let since = config
        .since
        .map(|d| format!("{} 00:00:00", fmt_date(&d)))
        .unwrap_or_default();
    let rows = db.query(
        "SELECT q.id, q.report_no, q.department_id, q.received_at, q.domain, q.content
         FROM qr_reports q
         WHERE q.id = ? AND q.received_at >= ?
           AND NOT EXISTS (SELECT 1 FROM ledger_items l WHERE l.source_kind = 'qr_report' AND l.source_id = q.id)",
        &[report_id.into(), since.into()],
    )?;
    let found: Vec<Candidate> = rows
        .iter()
        .map(|r| other_candidate(&config, SourceKind::QrReport, QR_LABEL, r))
        .collect();
    let Some(c) = with_topics(db, found)?.pop() else {
        return Ok(None);
    };
    let cal = load_calendar(db)?;
    insert_item(db, &cal, &c, SYSTEM, at)
}

/// Suggests each candidate's category from its text (the problem's own words, else the
/// title), with the dictionary in force. The classifier is only built when there is
/// something to classify.
pub(super) fn with_topics(
    db: &mut dyn Backend,
    mut candidates: Vec<Candidate>,
) -> Result<Vec<Candidate>, StoreError> {
    if candidates.is_empty() {
        return Ok(candidates);
    }
    let dictionary = super::topics::dictionary_in(db)?;
    let classifier = jianping_topics::Classifier::shared(&dictionary);
    for c in &mut candidates {
        let text = c
            .description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or(&c.title);
        c.topic = Some(classifier.name(classifier.classify(text)).to_string());
    }
    Ok(candidates)
}

/// Inserts one item and its 登记 event. `None` when the source already has an item.
pub(super) fn insert_item(
    db: &mut dyn Backend,
    cal: &Calendar,
    c: &Candidate,
    by: (&str, Role),
    at: NaiveDateTime,
) -> Result<Option<String>, StoreError> {
    let raised = parse_datetime(&c.raised_at).map_err(StoreError::Invalid)?;
    let day = raised.date();
    let item_no = next_item_no(db, day)?;
    let due = cal.add_workdays(day, c.limit_days);
    let callback_due = c.callback_days.map(|n| fmt_date(&cal.add_workdays(day, n)));
    let source_id: Value = if c.source == SourceKind::Manual {
        Value::Null
    } else {
        c.source_id.into()
    };
    let source_no: Value = if c.source_no.is_empty() {
        Value::Null
    } else {
        c.source_no.as_str().into()
    };
    let params: Row = vec![
        item_no.as_str().into(),
        c.source.code().into(),
        source_id,
        source_no,
        c.department_id.into(),
        c.title.as_str().into(),
        c.description.as_deref().into(),
        State::Unclaimed.code().into(),
        c.raised_at.as_str().into(),
        fmt_date(&due).into(),
        callback_due.into(),
        fmt_ts(&at).into(),
        i64::from(c.limit_days).into(),
        c.topic.as_deref().into(),
    ];
    let rows = db.query(
        "INSERT INTO ledger_items (item_no, source_kind, source_id, source_no, department_id, title,
             description, state, raised_at, due_on, callback_due_on, created_at, limit_days,
             topic_suggested)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (source_kind, source_id) DO NOTHING RETURNING id",
        &params,
    )?;
    let Some(id) = rows.first().map(|r| r.int(0)) else {
        return Ok(None);
    };
    let note = format!(
        "来源：{}{}；整改时限 {} 个工作日，至 {}",
        c.source.name(),
        if c.source_no.is_empty() {
            String::new()
        } else {
            format!(" {}", c.source_no)
        },
        c.limit_days,
        fmt_date(&due)
    );
    // The item is on the ledger from the moment the problem arose (its deadline counts from
    // then); `created_at` and the event's recorded_at keep when it was actually registered.
    super::workflow::write_event(
        db,
        id,
        (raised, at),
        by,
        Action::Create,
        None,
        State::Unclaimed,
        Some(&note),
    )?;
    Ok(Some(item_no))
}

/// ZG2023-00001: numbered per year of the problem.
fn next_item_no(db: &mut dyn Backend, day: NaiveDate) -> Result<String, StoreError> {
    let year = i64::from(day.year());
    let rows = db.query(
        "INSERT INTO ledger_sequence (year, last) VALUES (?, 1)
         ON CONFLICT (year) DO UPDATE SET last = ledger_sequence.last + 1 RETURNING last",
        &[year.into()],
    )?;
    let n = rows.first().map(|r| r.int(0)).unwrap_or(1);
    Ok(format!("ZG{year}-{n:05}"))
}

/// The start of a text for a title, masked before it is cut (a cut phone number would
/// escape the mask).
pub(super) fn excerpt(text: &str, max: usize) -> String {
    let masked = jianping_core::privacy::mask_free_text(text);
    let t = masked.trim();
    if t.chars().count() <= max {
        t.to_string()
    } else {
        format!("{}…", t.chars().take(max).collect::<String>())
    }
}

fn join_texts(parts: &[Option<String>]) -> Option<String> {
    let kept: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if kept.is_empty() {
        None
    } else {
        Some(kept.join("；"))
    }
}
