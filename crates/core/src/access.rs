//! Who may do what: the one authorization point of jianping.
//!
//! A [`Principal`] comes from a login session (never from a request's own fields) or, at the
//! shell, from the command line's flags. Every ledger read and write asks [`authorize`]
//! before it touches data; a list asks [`visible`], the same rules in the form of a filter
//! (`authorize(p, op, s)` is `visible(p, op)?.admits(s)`). Both are pure: the store loads
//! the scope (an item's department and supervisor) and applies the answer.
//!
//! The rules are one table, [`reach`]: for each role and operation, nothing, only the
//! principal's own records (a clerk's department, a supervisor's feedback), or the whole
//! city. A new role is a new row. The 等保 three-administrator separation (系统管理员,
//! 安全管理员, 安全审计员 — issue 12) will split today's administrator into roles of this
//! enum; until then the administrator may do everything except read the audit log, which
//! is the auditor's alone, so that nobody audits their own looks at personal data.

use crate::ledger::{Action, Role};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A user's role in the platform. Codes are stable (stored with users and in audit rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// 局管理员: the bureau; runs the ledger city-wide, imports, administers.
    Admin,
    /// 部门经办人: a department's clerk; works the department's own items.
    Clerk,
    /// 监督员: sees what became of their own feedback.
    Supervisor,
    /// 领导: reads dashboards, reports and the ledger; changes nothing.
    Leader,
    /// 审计员: reads the log of who saw personal data; nothing else.
    Auditor,
}

impl UserRole {
    pub const ALL: &'static [UserRole] = &[
        UserRole::Admin,
        UserRole::Clerk,
        UserRole::Supervisor,
        UserRole::Leader,
        UserRole::Auditor,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UserRole::Admin => "admin",
            UserRole::Clerk => "clerk",
            UserRole::Supervisor => "supervisor",
            UserRole::Leader => "leader",
            UserRole::Auditor => "auditor",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            UserRole::Admin => "局管理员",
            UserRole::Clerk => "部门经办人",
            UserRole::Supervisor => "监督员",
            UserRole::Leader => "领导",
            UserRole::Auditor => "审计员",
        }
    }

    pub fn from_code(code: &str) -> Option<UserRole> {
        UserRole::ALL.iter().copied().find(|r| r.code() == code)
    }

    /// Accepts the code or the Chinese name.
    pub fn parse(text: &str) -> Result<UserRole, String> {
        let t = text.trim();
        UserRole::ALL
            .iter()
            .copied()
            .find(|r| r.code() == t || r.name() == t)
            .ok_or_else(|| {
                let names: Vec<String> = UserRole::ALL
                    .iter()
                    .map(|r| format!("{}({})", r.code(), r.name()))
                    .collect();
                format!("无法识别的用户角色「{t}」，可用：{}", names.join("、"))
            })
    }

    /// The role the ledger's state machine knows (who may take which step), for the roles
    /// that take steps at all.
    pub fn ledger_role(self) -> Option<Role> {
        match self {
            UserRole::Admin => Some(Role::Bureau),
            UserRole::Clerk => Some(Role::Department),
            UserRole::Supervisor | UserRole::Leader | UserRole::Auditor => None,
        }
    }
}

impl fmt::Display for UserRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The person acting, as the session (or the shell) established them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// The user's id, once users are stored (None at the shell).
    pub user_id: Option<i64>,
    /// The name written into event and audit rows.
    pub user: String,
    pub role: UserRole,
    /// A clerk's department (by id: names change and repeat).
    pub department_id: Option<i64>,
    /// A supervisor's id in `supervisors`.
    pub supervisor_id: Option<i64>,
}

impl Principal {
    fn new(user: &str, role: UserRole) -> Principal {
        Principal {
            user_id: None,
            user: user.to_string(),
            role,
            department_id: None,
            supervisor_id: None,
        }
    }

    pub fn admin(user: &str) -> Principal {
        Principal::new(user, UserRole::Admin)
    }

    pub fn clerk(user: &str, department_id: i64) -> Principal {
        Principal {
            department_id: Some(department_id),
            ..Principal::new(user, UserRole::Clerk)
        }
    }

    pub fn supervisor(user: &str, supervisor_id: i64) -> Principal {
        Principal {
            supervisor_id: Some(supervisor_id),
            ..Principal::new(user, UserRole::Supervisor)
        }
    }

    pub fn leader(user: &str) -> Principal {
        Principal::new(user, UserRole::Leader)
    }

    pub fn auditor(user: &str) -> Principal {
        Principal::new(user, UserRole::Auditor)
    }

    /// The system itself (automatic registration of items from their sources).
    pub fn system() -> Principal {
        Principal::admin("系统")
    }
}

/// What the principal wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// List or open ledger items (masked).
    ViewLedger,
    /// Take a step on an item (`Action::Create`: register an item by hand).
    LedgerStep(Action),
    /// See the contact of the person who raised an item, in clear (logged).
    ViewContact,
    /// Read the log of who saw personal data in clear.
    ViewAccessLog,
    /// Dashboards, statistics and reports (city-wide figures).
    ViewReports,
    ImportData,
    /// Users, departments, halls, windows, calendar, configuration.
    Administer,
    /// Confirm or correct an item's suggested topic category (热点问题).
    LabelTopic,
    /// The back office's dashboard: city-wide figures, or a clerk's own department's, or a
    /// supervisor's own items.
    ViewDashboard,
    /// Enter a supervisor's feedback (it opens a ledger item), as that supervisor.
    SubmitFeedback,
}

impl Operation {
    pub fn name(self) -> String {
        match self {
            Operation::ViewLedger => "查看整改事项".into(),
            Operation::LedgerStep(a) => format!("办理整改事项（{}）", a.name()),
            Operation::ViewContact => "查看明文联系方式".into(),
            Operation::ViewAccessLog => "查看个人信息访问日志".into(),
            Operation::ViewReports => "查看报告和统计".into(),
            Operation::ImportData => "导入数据".into(),
            Operation::Administer => "系统管理".into(),
            Operation::LabelTopic => "标注问题类别".into(),
            Operation::ViewDashboard => "查看工作台".into(),
            Operation::SubmitFeedback => "录入监督员意见".into(),
        }
    }
}

/// What the operation touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The whole city (a full list, a report, the audit log, administration).
    City,
    /// One item or record: its responsible department and, for an item raised from a
    /// supervisor's feedback, that supervisor.
    Item {
        department_id: Option<i64>,
        supervisor_id: Option<i64>,
    },
}

impl Scope {
    pub fn item(department_id: Option<i64>, supervisor_id: Option<i64>) -> Scope {
        Scope::Item {
            department_id,
            supervisor_id,
        }
    }
}

/// Which records an operation may cover: the form of [`authorize`] for lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    City,
    /// Only the records whose responsible department is this one.
    Department(i64),
    /// Only the items raised from this supervisor's feedback.
    Supervisor(i64),
}

impl Visibility {
    /// Whether a scope lies inside what is visible.
    pub fn admits(self, scope: &Scope) -> bool {
        match (self, scope) {
            (Visibility::City, _) => true,
            (_, Scope::City) => false,
            (Visibility::Department(d), Scope::Item { department_id, .. }) => {
                *department_id == Some(d)
            }
            (Visibility::Supervisor(s), Scope::Item { supervisor_id, .. }) => {
                *supervisor_id == Some(s)
            }
        }
    }
}

/// A refusal, worded for the person refused (the web layer answers 403 with it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("无权{operation}：{reason}")]
    Forbidden { operation: String, reason: String },
}

impl AccessError {
    fn forbidden(op: Operation, reason: impl Into<String>) -> AccessError {
        AccessError::Forbidden {
            operation: op.name(),
            reason: reason.into(),
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            AccessError::Forbidden { reason, .. } => reason,
        }
    }
}

/// How far a role's permission for an operation extends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Refused, with the reason.
    Nothing(String),
    /// The principal's own records: a clerk's department, a supervisor's feedback.
    Own,
    City,
}

/// The rules: one row per role.
pub fn reach(role: UserRole, op: Operation) -> Reach {
    use Operation as Op;
    let no = |r: &str| Reach::Nothing(r.to_string());
    match role {
        UserRole::Admin => match op {
            Op::ViewAccessLog => no("个人信息访问日志仅审计员可查看，管理员不审计自己的操作"),
            Op::SubmitFeedback => {
                no("监督员意见须由监督员本人录入；局管理员可通过「数据导入」批量导入监督员意见")
            }
            _ => Reach::City,
        },
        UserRole::Clerk => match op {
            Op::ViewLedger | Op::ViewContact | Op::LabelTopic | Op::ViewDashboard => Reach::Own,
            Op::LedgerStep(a) if !a.bureau_only() => Reach::Own,
            Op::LedgerStep(a) => Reach::Nothing(format!(
                "「{}」须由政务服务局执行，部门经办人无此权限；请联系政务服务局办理",
                a.name()
            )),
            Op::ViewAccessLog => no("个人信息访问日志仅审计员可查看"),
            Op::ViewReports | Op::ImportData | Op::Administer => {
                no("部门经办人只能查看和办理本部门的整改事项")
            }
            Op::SubmitFeedback => no("监督员意见须由监督员本人录入"),
        },
        UserRole::Supervisor => match op {
            Op::ViewLedger | Op::ViewDashboard | Op::SubmitFeedback => Reach::Own,
            _ => no("监督员只能查看本人所提意见形成的整改事项"),
        },
        UserRole::Leader => match op {
            Op::ViewLedger | Op::ViewReports | Op::ViewDashboard => Reach::City,
            Op::LedgerStep(_) | Op::LabelTopic | Op::SubmitFeedback => {
                no("领导账号只读，不能办理整改事项")
            }
            Op::ViewContact => no("领导账号不能查看明文联系方式"),
            Op::ViewAccessLog => no("个人信息访问日志仅审计员可查看"),
            Op::ImportData | Op::Administer => no("领导账号只读，不能导入数据或修改设置"),
        },
        UserRole::Auditor => match op {
            Op::ViewAccessLog => Reach::City,
            _ => no("审计员只能查看个人信息访问日志"),
        },
    }
}

/// Which records `op` may cover for `p` (for a list: the store restricts its query to it).
pub fn visible(p: &Principal, op: Operation) -> Result<Visibility, AccessError> {
    match reach(p.role, op) {
        Reach::City => Ok(Visibility::City),
        Reach::Nothing(reason) => Err(AccessError::forbidden(op, reason)),
        Reach::Own => match p.role {
            UserRole::Supervisor => p.supervisor_id.map(Visibility::Supervisor).ok_or_else(|| {
                AccessError::forbidden(op, "该监督员账号未关联监督员档案，请管理员设置")
            }),
            _ => p.department_id.map(Visibility::Department).ok_or_else(|| {
                AccessError::forbidden(
                    op,
                    "该部门经办人账号未关联所在部门，只能办理本部门的事项；请管理员为账号设置部门",
                )
            }),
        },
    }
}

/// May `p` do `op` on `scope`? The one decision every ledger read and write asks for.
pub fn authorize(p: &Principal, op: Operation, scope: &Scope) -> Result<(), AccessError> {
    let seen = visible(p, op)?;
    if seen.admits(scope) {
        return Ok(());
    }
    let reason = match seen {
        Visibility::Supervisor(_) => "监督员只能查看本人所提意见形成的整改事项",
        _ if *scope == Scope::City => "部门经办人只能查看和办理本部门的整改事项，不能查看全市",
        _ => {
            "该事项不属于本部门，部门经办人只能查看和办理本部门的整改事项；如确属派错，请联系政务服务局改派"
        }
    };
    Err(AccessError::forbidden(op, reason))
}

#[cfg(test)]
#[path = "access_tests.rs"]
mod tests;
