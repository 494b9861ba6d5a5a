//! A supervisor's feedback entered in the back office: stored in `supervisor_feedback` like
//! an imported row and registered on the ledger in the same transaction, as an import's
//! sync would register it (same title, deadline, suggested topic and 登记 event).

use super::sync::{Candidate, excerpt, insert_item, with_topics};
use super::{load_calendar, load_config};
use crate::backend::{Backend, RowExt};
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::access::{Operation, Principal, Scope, authorize};
use jianping_core::ledger::{Role, SourceKind};
use jianping_core::time::fmt_date;
use serde::Serialize;

/// What a supervisor reports. Department and window are ids from the lists the page offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    pub category: String,
    pub content: String,
    pub department_id: Option<i64>,
    pub window_id: Option<i64>,
    /// 收集方式, e.g. 实地办理.
    pub method: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedbackReceipt {
    pub feedback_no: String,
    pub item_no: String,
}

/// A department or window a page may offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
    /// A window's department and hall, for the label.
    pub department_id: Option<i64>,
    pub detail: Option<String>,
}

/// WJ20261203-001: numbered per day of entry.
fn next_feedback_no(db: &mut dyn Backend, at: NaiveDateTime) -> Result<String, StoreError> {
    let prefix = format!("WJ{}-", at.format("%Y%m%d"));
    let rows = db.query(
        "SELECT feedback_no FROM supervisor_feedback WHERE feedback_no LIKE ? ORDER BY feedback_no DESC LIMIT 1",
        &[format!("{prefix}%").into()],
    )?;
    let last = rows
        .first()
        .and_then(|r| {
            r.text(0)
                .strip_prefix(&prefix)
                .and_then(|n| n.parse::<u32>().ok())
        })
        .unwrap_or(0);
    Ok(format!("{prefix}{:03}", last + 1))
}

impl Store {
    /// Stores `who`'s feedback and opens its ledger item. Only a supervisor with a record
    /// (`authorize` `SubmitFeedback` on their own scope) may; the department and window
    /// must exist (a window without a department names its department).
    pub fn submit_feedback(
        &mut self,
        who: &Principal,
        f: &NewFeedback,
        at: NaiveDateTime,
    ) -> Result<FeedbackReceipt, StoreError> {
        if f.content.trim().is_empty() || f.category.trim().is_empty() {
            return Err(StoreError::Invalid("意见须写明类别和内容".into()));
        }
        self.tx(|db| {
            let window = match f.window_id {
                Some(w) => Some(
                    db.query(
                        "SELECT department_id, region_id FROM windows WHERE id = ?",
                        &[w.into()],
                    )?
                    .first()
                    .map(|r| (r.opt_int(0), r.int(1)))
                    .ok_or_else(|| StoreError::NotFound("所选窗口不存在，请重新选择".into()))?,
                ),
                None => None,
            };
            let department_id = f.department_id.or(window.and_then(|w| w.0));
            let region_id = match department_id {
                Some(d) => db
                    .query(
                        "SELECT region_id FROM departments WHERE id = ?",
                        &[d.into()],
                    )?
                    .first()
                    .map(|r| r.opt_int(0))
                    .ok_or_else(|| StoreError::NotFound("所选部门不存在，请重新选择".into()))?,
                None => None,
            }
            .or(window.map(|w| w.1));
            authorize(
                who,
                Operation::SubmitFeedback,
                &Scope::item(department_id, who.supervisor_id),
            )?;
            let supervisor_id = who.supervisor_id.ok_or_else(|| {
                StoreError::Forbidden("该账号未关联监督员档案，请管理员设置".into())
            })?;
            let feedback_no = next_feedback_no(db, at)?;
            let day = fmt_date(&at.date());
            let rows = db.query(
                "INSERT INTO supervisor_feedback (feedback_no, supervisor_id, received_on, category,
                     method, content, department_id, region_id, window_id)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &[
                    feedback_no.as_str().into(),
                    supervisor_id.into(),
                    day.as_str().into(),
                    f.category.trim().into(),
                    f.method.as_deref().map(str::trim).into(),
                    f.content.trim().into(),
                    department_id.into(),
                    region_id.into(),
                    f.window_id.into(),
                ],
            )?;
            let id = rows[0].int(0);
            let config = load_config(db)?;
            let cal = load_calendar(db)?;
            let content = f.content.trim().to_string();
            let c = Candidate {
                source: SourceKind::Feedback,
                source_id: id,
                source_no: feedback_no.clone(),
                department_id,
                title: format!(
                    "监督员意见（{}）：{}",
                    f.category.trim(),
                    excerpt(&content, 40)
                ),
                description: Some(content),
                raised_at: format!("{day} 00:00:00"),
                limit_days: config.rectify_days(SourceKind::Feedback, None),
                callback_days: None,
                topic: None,
            };
            let c = with_topics(db, vec![c])?.remove(0);
            let item_no = insert_item(db, &cal, &c, ("系统", Role::Bureau), at)?
                .ok_or_else(|| StoreError::Conflict("该意见已登记整改事项".into()))?;
            Ok(FeedbackReceipt {
                feedback_no,
                item_no,
            })
        })
    }

    /// Every department, by name, for a page's list.
    pub fn department_choices(&mut self) -> Result<Vec<Choice>, StoreError> {
        let rows = self
            .backend()
            .query("SELECT id, name FROM departments ORDER BY name", &[])?;
        Ok(rows
            .iter()
            .map(|r| Choice {
                id: r.int(0),
                name: r.text(1),
                department_id: None,
                detail: None,
            })
            .collect())
    }

    /// Every window with its hall and department, for a page's list.
    pub fn window_choices(&mut self) -> Result<Vec<Choice>, StoreError> {
        let rows = self.backend().query(
            "SELECT w.id, w.name, w.department_id, h.name, d.name FROM windows w
             LEFT JOIN halls h ON h.id = w.hall_id LEFT JOIN departments d ON d.id = w.department_id
             ORDER BY h.name, w.name",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| Choice {
                id: r.int(0),
                name: r.text(1),
                department_id: r.opt_int(2),
                detail: {
                    let parts: Vec<String> = [r.opt_text(3), r.opt_text(4)]
                        .into_iter()
                        .flatten()
                        .collect();
                    (!parts.is_empty()).then(|| parts.join(" · "))
                },
            })
            .collect())
    }
}
