//! Reading the ledger: lists with filters and the full record of one item. Personal data
//! (names, phones, ID numbers typed into free text) is masked here, once, for every view.

use super::{load_calendar, scope_columns};
use crate::backend::{Backend, Row, RowExt, Value};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use jianping_core::access::{Operation, Principal, Scope, Visibility, authorize, visible};
use jianping_core::ledger::{
    Action, DeadlineStatus, ItemFacts, Role, SourceKind, State, allowed_actions, deadline_status,
};
use jianping_core::privacy::{mask_free_text, mask_name, mask_phone};
use jianping_core::time::parse_date;
use jianping_core::{Grade, GradeCodes, Period, Response};
use serde::Serialize;

/// Which items to list. Empty: every item, open and closed (that the principal may see:
/// the principal's restriction applies on top of whatever the filter asks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerFilter {
    pub department: Option<String>,
    pub source: Option<SourceKind>,
    pub state: Option<State>,
    /// Only open items past their due day.
    pub overdue: bool,
    /// Only items whose problem arose in this period.
    pub raised: Option<Period>,
    /// Only the feedback items of this supervisor (code or name).
    pub supervisor: Option<String>,
    /// Only items of this category (the clerk's, else the suggested one).
    pub topic: Option<String>,
}

/// One item as lists, exports and the bulletin show it (masked).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemView {
    pub item_no: String,
    pub source: SourceKind,
    pub source_no: Option<String>,
    pub department: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub state: State,
    pub raised_at: String,
    pub due_on: Option<String>,
    pub callback_due_on: Option<String>,
    pub measures: Option<String>,
    pub feedback: Option<String>,
    pub rectified_at: Option<String>,
    pub closed_at: Option<String>,
    /// `rectified` or `appeal_upheld` for closed items.
    pub resolution: Option<String>,
    pub deadline: DeadlineStatus,
    pub pending_extension: bool,
    pub pending_appeal: bool,
    pub callbacks: u64,
    /// The category suggested when the item was registered (jianping-topics).
    pub topic_suggested: Option<String>,
    /// The clerk's category, else the suggestion.
    pub topic: Option<String>,
}

impl ItemView {
    /// 整改状态 as the circulated sheet words it, with 预警/逾期.
    pub fn state_label(&self) -> String {
        let mut s = self.state_text();
        if matches!(
            self.deadline,
            DeadlineStatus::Overdue | DeadlineStatus::Warning
        ) {
            s.push_str(&format!("，{}", self.deadline.name()));
        }
        s
    }

    /// The state with pending requests, without the deadline flag.
    pub fn state_text(&self) -> String {
        if self.resolution.as_deref() == Some("appeal_upheld") {
            return "已办结（申诉成立）".to_string();
        }
        let mut s = self.state.name().to_string();
        if self.pending_extension {
            s.push_str("，延期待审批");
        }
        if self.pending_appeal {
            s.push_str("，申诉待复核");
        }
        s
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventView {
    pub at: String,
    pub actor: String,
    pub role: Option<String>,
    pub action: String,
    pub from: Option<String>,
    pub to: String,
    pub note: Option<String>,
    /// When the row was written (differs from `at` for steps recorded after the fact).
    pub recorded_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallbackView {
    pub at: String,
    pub actor: String,
    pub response: Option<Response>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtensionView {
    pub requested_at: String,
    pub requested_by: String,
    pub days: i64,
    pub reason: String,
    /// pending / approved / refused / withdrawn.
    pub state: String,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub old_due_on: Option<String>,
    pub new_due_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppealView {
    pub filed_at: String,
    pub filed_by: String,
    pub reason: String,
    pub evidence: Option<String>,
    /// pending / upheld / rejected.
    pub state: String,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
}

/// Everything about one item: the source, the trail, and what can be done next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDetail {
    pub item: ItemView,
    /// The source record's fields, labelled in Chinese, masked.
    pub source_fields: Vec<(String, String)>,
    pub events: Vec<EventView>,
    pub callbacks: Vec<CallbackView>,
    pub extensions: Vec<ExtensionView>,
    pub appeals: Vec<AppealView>,
    pub allowed_bureau: Vec<Action>,
    pub allowed_department: Vec<Action>,
}

pub(super) const ITEM_COLUMNS: &str =
    "l.item_no, l.source_kind, l.source_no, d.name, l.title, l.description, l.state,
    l.raised_at, l.due_on, l.callback_due_on, l.measures, l.feedback, l.rectified_at, l.closed_at,
    l.resolution,
    (SELECT COUNT(*) FROM ledger_extensions e WHERE e.item_id = l.id AND e.state = 'pending'),
    (SELECT COUNT(*) FROM appeals a WHERE l.source_kind = 'rating' AND a.rating_id = l.source_id
        AND a.state = 'pending'),
    (SELECT COUNT(*) FROM callbacks c WHERE c.item_id = l.id), l.id, l.source_id,
    l.topic_suggested, l.topic_confirmed";

impl Store {
    /// Items matching the filter that `who` may see (a clerk: the department's; a
    /// supervisor: those raised from their feedback), newest problem first, with deadline
    /// flags as of `today`.
    pub fn ledger_items(
        &mut self,
        who: &Principal,
        filter: &LedgerFilter,
        today: NaiveDate,
    ) -> Result<Vec<ItemView>, StoreError> {
        let seen = visible(who, Operation::ViewLedger)?;
        self.items_within(seen, filter, today)
    }

    /// The list without a principal, for the city-wide report reads (`ledger_items_as_of`),
    /// whose callers authorize `Operation::ViewReports`.
    pub(crate) fn items_within(
        &mut self,
        seen: Visibility,
        filter: &LedgerFilter,
        today: NaiveDate,
    ) -> Result<Vec<ItemView>, StoreError> {
        let (where_sql, params) = filter_sql(filter, seen, today);
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM ledger_items l LEFT JOIN departments d ON d.id = l.department_id
             {where_sql} ORDER BY l.raised_at DESC, l.item_no DESC"
        );
        let rows = self.backend().query(&sql, &params)?;
        let cal = load_calendar(self.backend())?;
        rows.iter().map(|r| item_view(r, &cal, today)).collect()
    }

    /// One item with its source, events, callbacks, extensions and appeals, if `who` may
    /// see it.
    pub fn ledger_item(
        &mut self,
        who: &Principal,
        item_no: &str,
        today: NaiveDate,
    ) -> Result<ItemDetail, StoreError> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS}, {} FROM ledger_items l LEFT JOIN departments d ON d.id = l.department_id
             WHERE l.item_no = ?",
            scope_columns("l")
        );
        let rows = self.backend().query(&sql, &[item_no.into()])?;
        let row = rows.first().ok_or_else(|| {
            StoreError::NotFound(format!(
                "没有编号为「{item_no}」的整改事项；可用 jianping ledger list 查看事项编号"
            ))
        })?;
        authorize(
            who,
            Operation::ViewLedger,
            &Scope::item(row.opt_int(22), row.opt_int(23)),
        )
        .map_err(|e| StoreError::Forbidden(format!("整改事项 {item_no}：{e}")))?;
        let cal = load_calendar(self.backend())?;
        let item = item_view(row, &cal, today)?;
        let id = row.int(18);
        let source_fields = self.source_fields(item.source, row.opt_int(19))?;
        let db = self.backend();
        let events = events(db, id)?;
        let callbacks = callbacks(db, id)?;
        let extensions = extensions(db, id)?;
        let appeals = if item.source == SourceKind::Rating {
            appeals(db, row.opt_int(19))?
        } else {
            Vec::new()
        };
        let facts = ItemFacts {
            state: item.state,
            source: item.source,
            pending_extension: item.pending_extension,
            pending_appeal: item.pending_appeal,
            appeal_upheld: item.resolution.as_deref() == Some("appeal_upheld"),
        };
        Ok(ItemDetail {
            allowed_bureau: allowed_actions(&facts, Role::Bureau),
            allowed_department: allowed_actions(&facts, Role::Department),
            item,
            source_fields,
            events,
            callbacks,
            extensions,
            appeals,
        })
    }

    fn source_fields(
        &mut self,
        source: SourceKind,
        source_id: Option<i64>,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let Some(id) = source_id else {
            return Ok(Vec::new());
        };
        let (sql, labels): (&str, &[&str]) = match source {
            SourceKind::Rating => (
                "SELECT r.rating_no, r.grade, r.rated_at, r.channel, m.name, w.name, s.name, r.comment,
                        r.rater_name, r.rater_phone
                 FROM ratings r LEFT JOIN matters m ON m.id = r.matter_id
                 LEFT JOIN windows w ON w.id = r.window_id LEFT JOIN staff s ON s.id = r.staff_id
                 WHERE r.id = ?",
                &["评价编号", "评价等级", "评价时间", "评价渠道", "事项", "窗口", "工作人员", "评价内容", "评价人", "联系电话"],
            ),
            SourceKind::Ticket => (
                "SELECT ticket_no, kind, received_at, content, citizen_name, citizen_phone
                 FROM tickets WHERE id = ?",
                &["工单编号", "诉求类型", "受理时间", "诉求内容", "诉求人", "联系电话"],
            ),
            SourceKind::Feedback => (
                "SELECT f.feedback_no, s.code, s.name, s.category, f.received_on, f.category, f.method, f.content
                 FROM supervisor_feedback f JOIN supervisors s ON s.id = f.supervisor_id WHERE f.id = ?",
                &["意见编号", "监督员编号", "监督员", "监督员类别", "收到日期", "意见类别", "收集方式", "意见内容"],
            ),
            SourceKind::QrReport => (
                "SELECT report_no, received_at, domain, content, reporter_name, reporter_phone, handling
                 FROM qr_reports WHERE id = ?",
                &["反映编号", "反映时间", "领域", "反映内容", "反映人", "联系电话", "办理情况"],
            ),
            SourceKind::Assessment => (
                "SELECT finding_no, project, method, role, assessed_on, finding, response
                 FROM assessment_findings WHERE id = ?",
                &["问题编号", "评估项目", "评估方式", "角色", "评估日期", "发现问题", "整改回应"],
            ),
            SourceKind::Manual => return Ok(Vec::new()),
        };
        let rows = self.backend().query(sql, &[id.into()])?;
        let Some(r) = rows.first() else {
            return Ok(Vec::new());
        };
        Ok(labels
            .iter()
            .enumerate()
            .filter_map(|(i, label)| {
                let v = r.opt_text(i)?;
                Some((label.to_string(), present(source, label, &v)))
            })
            .collect())
    }
}

fn events(db: &mut dyn Backend, item_id: i64) -> Result<Vec<EventView>, StoreError> {
    Ok(db
        .query(
            "SELECT at, actor, role, action, from_state, to_state, note, recorded_at
                 FROM ledger_events WHERE item_id = ? ORDER BY at, id",
            &[item_id.into()],
        )?
        .iter()
        .map(|r| EventView {
            at: r.text(0),
            actor: r.text(1),
            role: r
                .opt_text(2)
                .map(|c| name_of(&c, |c| Role::from_code(c).map(Role::name))),
            action: name_of(&r.text(3), |c| Action::from_code(c).map(Action::name)),
            from: r.opt_text(4).map(|c| state_name(&c)),
            to: state_name(&r.text(5)),
            note: r.opt_text(6).map(|t| mask_free_text(&t)),
            recorded_at: r.opt_text(7),
        })
        .collect())
}

fn callbacks(db: &mut dyn Backend, item_id: i64) -> Result<Vec<CallbackView>, StoreError> {
    Ok(db
        .query(
            "SELECT at, actor, response, note FROM callbacks WHERE item_id = ? ORDER BY at, id",
            &[item_id.into()],
        )?
        .iter()
        .map(|r| CallbackView {
            at: r.text(0),
            actor: r.text(1),
            response: Response::from_code(r.int(2)),
            note: r.opt_text(3).map(|t| mask_free_text(&t)),
        })
        .collect())
}

fn extensions(db: &mut dyn Backend, item_id: i64) -> Result<Vec<ExtensionView>, StoreError> {
    Ok(db
        .query(
            "SELECT requested_at, requested_by, days, reason, state, decided_at, decided_by,
                        decision_note, old_due_on, new_due_on
                 FROM ledger_extensions WHERE item_id = ? ORDER BY requested_at, id",
            &[item_id.into()],
        )?
        .iter()
        .map(|r| ExtensionView {
            requested_at: r.text(0),
            requested_by: r.text(1),
            days: r.int(2),
            reason: mask_free_text(&r.text(3)),
            state: r.text(4),
            decided_at: r.opt_text(5),
            decided_by: r.opt_text(6),
            decision_note: r.opt_text(7).map(|t| mask_free_text(&t)),
            old_due_on: r.opt_text(8),
            new_due_on: r.opt_text(9),
        })
        .collect())
}

fn appeals(db: &mut dyn Backend, rating_id: Option<i64>) -> Result<Vec<AppealView>, StoreError> {
    Ok(db
        .query(
                "SELECT filed_at, filed_by, reason, evidence, state, decided_at, decided_by, decision_note
                 FROM appeals WHERE rating_id = ? ORDER BY filed_at, id",
                &[rating_id.into()],
            )?
            .iter()
            .map(|r| AppealView {
                filed_at: r.text(0),
                filed_by: r.text(1),
                reason: mask_free_text(&r.text(2)),
                evidence: r.opt_text(3).map(|t| mask_free_text(&t)),
                state: r.text(4),
                decided_at: r.opt_text(5),
                decided_by: r.opt_text(6),
                decision_note: r.opt_text(7).map(|t| mask_free_text(&t)),
            })
            .collect())
}

/// Decodes codes and masks personal data, by field label.
fn present(source: SourceKind, label: &str, v: &str) -> String {
    match label {
        "评价人" | "诉求人" | "反映人" => mask_name(v),
        "联系电话" => mask_phone(v),
        "评价等级" => v
            .parse()
            .ok()
            .and_then(|c| Grade::from_code(c, GradeCodes::Gbt39046))
            .map_or(v.to_string(), |g| g.name().to_string()),
        "诉求类型" if source == SourceKind::Ticket => v
            .parse()
            .ok()
            .and_then(jianping_core::TicketKind::from_code)
            .map_or(v.to_string(), |k| k.name().to_string()),
        "评价渠道" => v
            .parse()
            .ok()
            .and_then(jianping_core::Channel::from_code)
            .map_or(v.to_string(), |c| c.name().to_string()),
        "监督员" => mask_name(v),
        _ => mask_free_text(v),
    }
}

fn state_name(code: &str) -> String {
    name_of(code, |c| State::from_code(c).map(State::name))
}

fn name_of(code: &str, f: impl Fn(&str) -> Option<&'static str>) -> String {
    f(code).map_or_else(|| code.to_string(), str::to_string)
}

pub(super) fn filter_sql(
    f: &LedgerFilter,
    seen: Visibility,
    today: NaiveDate,
) -> (String, Vec<Value>) {
    let mut conds: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    match seen {
        Visibility::City => {}
        Visibility::Department(id) => {
            conds.push("l.department_id = ?".into());
            params.push(id.into());
        }
        Visibility::Supervisor(id) => {
            conds.push(
                "l.source_kind = 'feedback' AND l.source_id IN
                 (SELECT f.id FROM supervisor_feedback f WHERE f.supervisor_id = ?)"
                    .into(),
            );
            params.push(id.into());
        }
    }
    if let Some(d) = &f.department {
        conds.push("d.name = ?".into());
        params.push(d.as_str().into());
    }
    if let Some(s) = f.source {
        conds.push("l.source_kind = ?".into());
        params.push(s.code().into());
    }
    if let Some(s) = f.state {
        conds.push("l.state = ?".into());
        params.push(s.code().into());
    }
    if f.overdue {
        conds.push("l.state IN ('unclaimed', 'claimed', 'returned') AND l.due_on < ?".into());
        params.push(jianping_core::time::fmt_date(&today).into());
    }
    if let Some(p) = &f.raised {
        conds.push("l.raised_at >= ? AND l.raised_at <= ?".into());
        params.push(p.start_ts().into());
        params.push(p.end_ts().into());
    }
    if let Some(s) = &f.supervisor {
        conds.push(
            "l.source_kind = 'feedback' AND l.source_id IN (SELECT f.id FROM supervisor_feedback f
             JOIN supervisors s ON s.id = f.supervisor_id WHERE s.code = ? OR s.name = ?)"
                .into(),
        );
        params.push(s.as_str().into());
        params.push(s.as_str().into());
    }
    if let Some(t) = &f.topic {
        conds.push("COALESCE(l.topic_confirmed, l.topic_suggested) = ?".into());
        params.push(t.as_str().into());
    }
    if conds.is_empty() {
        (String::new(), params)
    } else {
        (format!("WHERE {}", conds.join(" AND ")), params)
    }
}

pub(super) fn item_view(
    r: &Row,
    cal: &jianping_core::calendar::Calendar,
    today: NaiveDate,
) -> Result<ItemView, StoreError> {
    let state = State::from_code(&r.text(6))
        .ok_or_else(|| StoreError::Invalid(format!("事项 {} 的状态无法识别", r.text(0))))?;
    let source = SourceKind::from_code(&r.text(1))
        .ok_or_else(|| StoreError::Invalid(format!("事项 {} 的来源无法识别", r.text(0))))?;
    let due_on = r.opt_text(8);
    let due = due_on.as_deref().and_then(|d| parse_date(d).ok());
    let done = r.opt_text(12).as_deref().and_then(|d| parse_date(d).ok());
    Ok(ItemView {
        item_no: r.text(0),
        source,
        source_no: r.opt_text(2),
        department: r.opt_text(3),
        title: mask_free_text(&r.text(4)),
        description: r.opt_text(5).map(|t| mask_free_text(&t)),
        state,
        raised_at: r.text(7),
        due_on,
        callback_due_on: r.opt_text(9),
        measures: r.opt_text(10).map(|t| mask_free_text(&t)),
        feedback: r.opt_text(11).map(|t| mask_free_text(&t)),
        rectified_at: r.opt_text(12),
        closed_at: r.opt_text(13),
        resolution: r.opt_text(14),
        deadline: deadline_status(cal, state, due, done, today),
        pending_extension: r.int(15) > 0,
        pending_appeal: r.int(16) > 0,
        callbacks: r.int(17).max(0) as u64,
        topic_suggested: r.opt_text(20),
        topic: r.opt_text(21).or(r.opt_text(20)),
    })
}
