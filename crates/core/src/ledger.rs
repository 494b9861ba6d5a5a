//! 问题整改台账: the rectification ledger's states, who may move an item between them, and
//! the deadlines. Pure: the store applies what [`plan`] allows and records every step.
//!
//! ```text
//!             认领                提交整改              核验销号
//!  待认领 ─────────────▶ 整改中 ─────────────▶ 已整改 ─────────────▶ 已办结
//!  unclaimed             claimed   ◀─────────  rectified  ◀───────── closed
//!    │  ▲                  │        重新打开 / 回访不满意（两者皆可）
//!    │  │ 改派(局)          │ 退回
//!    ▼  │                  ▼
//!  退回(待重新分派) ◀───────┘
//!  returned
//! ```
//! Extensions (延期) and callbacks (回访) keep the state (a 不满意 callback on a rectified or
//! closed item reopens it); an upheld appeal (申诉成立) closes a bad-rating item.

use crate::calendar::Calendar;
use crate::grade::Grade;
use crate::hotline::{Response, TicketKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! coded {
    ($(#[$m:meta])* $ty:ident ($what:literal) { $($var:ident = $code:literal => $name:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $ty { $($var),+ }

        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$var),+];
            /// The stable code stored in the database.
            pub fn code(self) -> &'static str { match self { $($ty::$var => $code),+ } }
            pub fn name(self) -> &'static str { match self { $($ty::$var => $name),+ } }
            pub fn from_code(code: &str) -> Option<$ty> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
            /// Accepts the code, the Chinese name or an alias.
            pub fn parse(text: &str) -> Result<$ty, String> {
                let t = text.trim();
                $( if t == $code || t == $name $(|| t == $alias)* { return Ok($ty::$var); } )+
                let names: Vec<String> =
                    Self::ALL.iter().map(|v| format!("{}({})", v.code(), v.name())).collect();
                Err(format!("无法识别的{}「{t}」，可用：{}", $what, names.join("、")))
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.name()) }
        }
    };
}

coded! {
    /// Where an item is in the loop. Codes are shared with the report (docs/report-figures.md).
    State ("整改状态") {
        Unclaimed = "unclaimed" => "待认领",
        Claimed = "claimed" => "整改中" | "已认领" | "已认领(整改中)",
        Rectified = "rectified" => "已整改(待核验)" | "已整改" | "待核验",
        Closed = "closed" => "已办结(销号)" | "已办结" | "销号",
        Returned = "returned" => "退回(待重新分派)" | "退回",
    }
}

coded! {
    /// What raised the problem.
    SourceKind ("问题来源") {
        Rating = "rating" => "好差评差评" | "好差评" | "差评",
        Ticket = "ticket" => "12345工单" | "12345",
        Feedback = "feedback" => "监督员意见" | "监督员",
        QrReport = "qr_report" => "码上监督" | "\"码\"上监督" | "qr",
        Assessment = "assessment" => "第三方评估" | "第三方",
        Manual = "manual" => "手工登记" | "手工",
    }
}

coded! {
    /// Who acts. The bureau (政务服务局) may do everything, including recording a
    /// department's steps on its behalf; a department clerk claims, returns, rectifies,
    /// asks for extensions, files appeals and records its own callbacks, on its own items.
    Role ("角色") {
        Department = "department" => "部门经办人" | "部门",
        Bureau = "bureau" => "政务服务局" | "局",
    }
}

coded! {
    /// Every step an item can take; the event log records these codes.
    Action ("操作") {
        Create = "create" => "登记",
        Claim = "claim" => "认领",
        Return = "return" => "退回",
        Reassign = "reassign" => "改派",
        Rectify = "rectify" => "提交整改",
        Close = "close" => "核验销号",
        Reopen = "reopen" => "重新打开",
        RequestExtension = "extension_request" => "申请延期",
        ApproveExtension = "extension_approve" => "批准延期",
        RefuseExtension = "extension_refuse" => "驳回延期",
        Callback = "callback" => "回访",
        FileAppeal = "appeal_file" => "提出申诉",
        UpholdAppeal = "appeal_uphold" => "申诉成立",
        RejectAppeal = "appeal_reject" => "申诉不成立",
    }
}

impl Action {
    /// Steps only the bureau may take.
    pub fn bureau_only(self) -> bool {
        matches!(
            self,
            Action::Create
                | Action::Reassign
                | Action::Close
                | Action::Reopen
                | Action::ApproveExtension
                | Action::RefuseExtension
                | Action::UpholdAppeal
                | Action::RejectAppeal
        )
    }

    /// The states from which the step is possible at all.
    fn sources(self) -> &'static [State] {
        use State::*;
        match self {
            Action::Create => &[],
            Action::Claim => &[Unclaimed],
            Action::Return => &[Unclaimed, Claimed],
            Action::Reassign => &[Unclaimed, Claimed, Returned],
            Action::Rectify => &[Claimed],
            Action::Close => &[Rectified],
            Action::Reopen => &[Rectified, Closed],
            Action::RequestExtension => &[Unclaimed, Claimed],
            Action::ApproveExtension | Action::RefuseExtension => &[Unclaimed, Claimed, Returned],
            Action::Callback => &[Unclaimed, Claimed, Rectified, Closed],
            Action::FileAppeal => &[Unclaimed, Claimed],
            Action::UpholdAppeal | Action::RejectAppeal => {
                &[Unclaimed, Claimed, Returned, Rectified]
            }
        }
    }
}

/// A step with what it carries. Texts are checked here (a measure cannot be empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    Claim {
        note: Option<String>,
    },
    Return {
        reason: String,
    },
    Reassign {
        department: String,
        note: Option<String>,
    },
    Rectify {
        measures: String,
    },
    Close {
        note: Option<String>,
    },
    Reopen {
        reason: String,
    },
    RequestExtension {
        days: u32,
        reason: String,
    },
    DecideExtension {
        approve: bool,
        note: Option<String>,
    },
    Callback {
        response: Response,
        note: Option<String>,
    },
    FileAppeal {
        reason: String,
        evidence: Option<String>,
    },
    DecideAppeal {
        uphold: bool,
        note: Option<String>,
    },
}

impl Command {
    pub fn action(&self) -> Action {
        match self {
            Command::Claim { .. } => Action::Claim,
            Command::Return { .. } => Action::Return,
            Command::Reassign { .. } => Action::Reassign,
            Command::Rectify { .. } => Action::Rectify,
            Command::Close { .. } => Action::Close,
            Command::Reopen { .. } => Action::Reopen,
            Command::RequestExtension { .. } => Action::RequestExtension,
            Command::DecideExtension { approve: true, .. } => Action::ApproveExtension,
            Command::DecideExtension { approve: false, .. } => Action::RefuseExtension,
            Command::Callback { .. } => Action::Callback,
            Command::FileAppeal { .. } => Action::FileAppeal,
            Command::DecideAppeal { uphold: true, .. } => Action::UpholdAppeal,
            Command::DecideAppeal { uphold: false, .. } => Action::RejectAppeal,
        }
    }

    /// The free text the event log keeps as its note.
    pub fn note(&self) -> Option<String> {
        match self {
            Command::Claim { note }
            | Command::Close { note }
            | Command::DecideExtension { note, .. }
            | Command::DecideAppeal { note, .. } => note.clone(),
            Command::Reassign { department, note } => Some(match note {
                Some(n) => format!("改派至{department}：{n}"),
                None => format!("改派至{department}"),
            }),
            Command::Return { reason } | Command::Reopen { reason } => Some(reason.clone()),
            Command::Rectify { measures } => Some(measures.clone()),
            Command::RequestExtension { days, reason } => {
                Some(format!("申请延期 {days} 个工作日：{reason}"))
            }
            Command::Callback { response, note } => Some(match note {
                Some(n) => format!("{response}：{n}"),
                None => response.name().to_string(),
            }),
            Command::FileAppeal { reason, evidence } => Some(match evidence {
                Some(e) => format!("{reason}（证据：{e}）"),
                None => reason.clone(),
            }),
        }
    }

    fn check_text(&self) -> Result<(), LedgerError> {
        let blank = |s: &str| s.trim().is_empty();
        let missing = match self {
            Command::Return { reason } if blank(reason) => {
                Some("退回须写明原因（如：不属于本部门职责，应由某部门办理）")
            }
            Command::Reassign { department, .. } if blank(department) => {
                Some("改派须指定新的责任单位")
            }
            Command::Rectify { measures } if blank(measures) => Some("提交整改须写明整改措施"),
            Command::Reopen { reason } if blank(reason) => Some("重新打开须写明原因"),
            Command::RequestExtension { reason, .. } if blank(reason) => Some("申请延期须写明理由"),
            Command::RequestExtension { days: 0, .. } => Some("延期天数须为正整数（工作日）"),
            Command::FileAppeal { reason, .. } if blank(reason) => Some("申诉须写明理由"),
            _ => None,
        };
        match missing {
            Some(m) => Err(LedgerError::Invalid(m.to_string())),
            None => Ok(()),
        }
    }
}

/// What the state machine needs to know about an item besides its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemFacts {
    pub state: State,
    pub source: SourceKind,
    pub pending_extension: bool,
    pub pending_appeal: bool,
    /// Closed because an appeal was upheld: the rating no longer counts, nothing to reopen.
    pub appeal_upheld: bool,
}

impl ItemFacts {
    pub fn new(state: State, source: SourceKind) -> ItemFacts {
        ItemFacts {
            state,
            source,
            pending_extension: false,
            pending_appeal: false,
            appeal_upheld: false,
        }
    }
}

/// A refused step, worded for the person who tried it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("当前状态为「{state}」，不能「{action}」；此状态下可执行：{}", list(.allowed))]
    State {
        state: State,
        action: Action,
        allowed: Vec<Action>,
    },
    #[error("「{action}」须由政务服务局执行，部门经办人无此权限；请联系政务服务局办理")]
    Role { action: Action },
    /// The item's other facts (a pending extension or appeal, its source) rule the step out:
    /// like `State`, a conflict with the item as it stands, not bad input.
    #[error("{0}")]
    Precondition(String),
    /// The step's own input is incomplete (a measure, reason or department left blank).
    #[error("{0}")]
    Invalid(String),
}

impl LedgerError {
    /// Refused because of what the item is now (its state or pending requests), as opposed
    /// to the step's input or the actor's role: a concurrent step may have caused it.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            LedgerError::State { .. } | LedgerError::Precondition(_)
        )
    }
}

fn list(actions: &[Action]) -> String {
    if actions.is_empty() {
        return "无（事项已终结）".to_string();
    }
    actions
        .iter()
        .map(|a| a.name())
        .collect::<Vec<_>>()
        .join("、")
}

/// The actions a role can take on an item now (for error messages and the `show` view).
pub fn allowed_actions(facts: &ItemFacts, role: Role) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|a| *a != Action::Create)
        .filter(|a| role == Role::Bureau || !a.bureau_only())
        .filter(|a| a.sources().contains(&facts.state) && precondition(facts, *a).is_ok())
        .collect()
}

fn precondition(facts: &ItemFacts, action: Action) -> Result<(), LedgerError> {
    let fail = |m: &str| Err(LedgerError::Precondition(m.to_string()));
    match action {
        Action::RequestExtension if facts.pending_extension => {
            fail("已有一项待审批的延期申请，请等待政务服务局审批")
        }
        Action::ApproveExtension | Action::RefuseExtension if !facts.pending_extension => {
            fail("该事项没有待审批的延期申请")
        }
        Action::FileAppeal if facts.source != SourceKind::Rating => {
            fail("只有好差评的差评可以申诉复核；其他来源的问题请整改或退回")
        }
        Action::FileAppeal if facts.pending_appeal => fail("该差评已有待复核的申诉"),
        Action::UpholdAppeal | Action::RejectAppeal if !facts.pending_appeal => {
            fail("该事项没有待复核的申诉")
        }
        Action::Reopen | Action::Callback if facts.appeal_upheld => {
            fail("该差评已申诉成立、不计入统计，事项已终结")
        }
        _ => Ok(()),
    }
}

/// Checks a step and returns the state it leads to.
pub fn plan(facts: &ItemFacts, command: &Command, role: Role) -> Result<State, LedgerError> {
    let action = command.action();
    if role == Role::Department && action.bureau_only() {
        return Err(LedgerError::Role { action });
    }
    if !action.sources().contains(&facts.state) {
        return Err(LedgerError::State {
            state: facts.state,
            action,
            allowed: allowed_actions(facts, role),
        });
    }
    precondition(facts, action)?;
    command.check_text()?;
    Ok(match command {
        Command::Claim { .. } => State::Claimed,
        Command::Return { .. } => State::Returned,
        Command::Reassign { .. } => State::Unclaimed,
        Command::Rectify { .. } => State::Rectified,
        Command::Close { .. } => State::Closed,
        Command::Reopen { .. } => State::Claimed,
        Command::Callback {
            response: Response::Unsatisfied,
            ..
        } if matches!(facts.state, State::Rectified | State::Closed) => State::Claimed,
        Command::DecideAppeal { uphold: true, .. } => State::Closed,
        _ => facts.state,
    })
}

/// Deadlines in working days, per source. The defaults are the bureau's documented rules;
/// a bureau stores its own with `jianping ledger config --file`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LedgerConfig {
    /// Grades whose ratings become items (差评).
    pub bad_grades: Vec<Grade>,
    /// A bad rating is called back within this many working days…
    pub rating_callback_days: u32,
    /// …and rectified within this many.
    pub rating_days: u32,
    /// 12345 kinds that become items.
    pub ticket_kinds: Vec<TicketKind>,
    /// 12345 咨询/求助.
    pub ticket_consult_days: u32,
    /// 12345 投诉/举报/建议 (and any other kind configured to become an item).
    pub ticket_complaint_days: u32,
    pub feedback_days: u32,
    pub qr_days: u32,
    pub assessment_days: u32,
    pub manual_days: u32,
    /// Sources raised before this day do not become items (for a database that holds years
    /// of history before the ledger was introduced).
    pub since: Option<NaiveDate>,
}

impl Default for LedgerConfig {
    fn default() -> Self {
        LedgerConfig {
            bad_grades: vec![Grade::Unsatisfied, Grade::VeryUnsatisfied],
            rating_callback_days: 1,
            rating_days: 15,
            ticket_kinds: vec![TicketKind::Complaint, TicketKind::Report],
            ticket_consult_days: 3,
            ticket_complaint_days: 13,
            feedback_days: 15,
            qr_days: 15,
            assessment_days: 15,
            manual_days: 15,
            since: None,
        }
    }
}

impl LedgerConfig {
    /// Working days to rectify an item of this source (a ticket's kind decides for 12345).
    pub fn rectify_days(&self, source: SourceKind, ticket_kind: Option<TicketKind>) -> u32 {
        match source {
            SourceKind::Rating => self.rating_days,
            SourceKind::Ticket => match ticket_kind {
                Some(TicketKind::Consult | TicketKind::Help) => self.ticket_consult_days,
                _ => self.ticket_complaint_days,
            },
            SourceKind::Feedback => self.feedback_days,
            SourceKind::QrReport => self.qr_days,
            SourceKind::Assessment => self.assessment_days,
            SourceKind::Manual => self.manual_days,
        }
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.bad_grades.is_empty() {
            return Err("bad_grades 不能为空：至少一个等级的评价要进入整改台账".into());
        }
        if self
            .bad_grades
            .iter()
            .any(|g| !g.is_bad() && *g != Grade::Basic)
        {
            return Err("bad_grades 只能包含 基本满意/不满意/非常不满意".into());
        }
        Ok(())
    }
}

/// Deadline flag of an item on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// 正常: open, more than one working day left.
    OnTrack,
    /// 预警: open, due today or on the next working day.
    Warning,
    /// 逾期: open and past due.
    Overdue,
    /// 按期整改: rectified or closed on or before the due day.
    Done,
    /// 超期整改: rectified or closed after the due day.
    DoneLate,
    /// No deadline (an item without a due day).
    None,
}

impl DeadlineStatus {
    pub fn name(self) -> &'static str {
        match self {
            DeadlineStatus::OnTrack => "正常",
            DeadlineStatus::Warning => "预警",
            DeadlineStatus::Overdue => "逾期",
            DeadlineStatus::Done => "按期整改",
            DeadlineStatus::DoneLate => "超期整改",
            DeadlineStatus::None => "—",
        }
    }
}

/// The deadline flag. `done_on` is when the department finished (rectified).
pub fn deadline_status(
    cal: &Calendar,
    state: State,
    due_on: Option<NaiveDate>,
    done_on: Option<NaiveDate>,
    today: NaiveDate,
) -> DeadlineStatus {
    let Some(due) = due_on else {
        return DeadlineStatus::None;
    };
    match state {
        State::Rectified | State::Closed => match done_on {
            Some(d) if d > due => DeadlineStatus::DoneLate,
            _ => DeadlineStatus::Done,
        },
        _ if today > due => DeadlineStatus::Overdue,
        _ if cal.workdays_between(today, due) <= 1 => DeadlineStatus::Warning,
        _ => DeadlineStatus::OnTrack,
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
