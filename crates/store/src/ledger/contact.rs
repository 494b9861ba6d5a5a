//! Contact data in clear for the person who calls back (回访). Every other view masks it;
//! this one requires a reason and leaves a row in `access_log`, in the same transaction.

use super::scope_columns;
use crate::backend::{Backend, RowExt};
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::access::{Operation, Principal, Scope, authorize};
use jianping_core::time::fmt_ts;
use serde::Serialize;

/// Who raised the problem and how to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub item_no: String,
    /// 评价人 / 诉求人 / 监督员 / 反映人.
    pub role: String,
    pub name: Option<String>,
    pub phone: Option<String>,
}

/// One unmasking, for audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessEntry {
    pub at: String,
    pub actor: String,
    /// The viewer's `UserRole` code (`handler` in rows written before roles existed).
    pub role: String,
    pub what: String,
    pub reason: Option<String>,
}

/// The source's contact columns per source kind: (role, SQL giving name and phone).
fn contact_sql(source_kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match source_kind {
        "rating" => (
            "评价人",
            "SELECT rater_name, rater_phone FROM ratings WHERE id = ?",
        ),
        "ticket" => (
            "诉求人",
            "SELECT citizen_name, citizen_phone FROM tickets WHERE id = ?",
        ),
        "feedback" => (
            "监督员",
            "SELECT s.name, s.phone FROM supervisor_feedback f
             JOIN supervisors s ON s.id = f.supervisor_id WHERE f.id = ?",
        ),
        "qr_report" => (
            "反映人",
            "SELECT reporter_name, reporter_phone FROM qr_reports WHERE id = ?",
        ),
        _ => return None,
    })
}

fn read_contact(
    db: &mut dyn Backend,
    item_no: &str,
    who: &Principal,
    reason: &str,
    at: NaiveDateTime,
) -> Result<Contact, StoreError> {
    let item = db.query(
        &format!(
            "SELECT l.source_kind, l.source_id, {} FROM ledger_items l WHERE l.item_no = ?",
            scope_columns("l")
        ),
        &[item_no.into()],
    )?;
    let Some(item) = item.first() else {
        return Err(StoreError::NotFound(format!(
            "没有编号为 {item_no} 的整改事项；可用 jianping ledger list 查看"
        )));
    };
    authorize(
        who,
        Operation::ViewContact,
        &Scope::item(item.opt_int(2), item.opt_int(3)),
    )
    .map_err(|e| StoreError::Forbidden(format!("整改事项 {item_no}：{e}")))?;
    let kind = item.text(0);
    let Some((role, sql)) = contact_sql(&kind) else {
        return Err(StoreError::Invalid(format!(
            "整改事项 {item_no} 来自第三方评估或手工登记，没有需要回访的个人联系方式"
        )));
    };
    let row = db.query(sql, &[item.int(1).into()])?;
    let row = row.first();
    let contact = Contact {
        item_no: item_no.to_string(),
        role: role.to_string(),
        name: row.and_then(|r| r.opt_text(0)).filter(|s| !s.is_empty()),
        phone: row.and_then(|r| r.opt_text(1)).filter(|s| !s.is_empty()),
    };
    db.execute(
        "INSERT INTO access_log (at, actor, role, what, reason) VALUES (?, ?, ?, ?, ?)",
        &[
            fmt_ts(&at).into(),
            who.user.trim().into(),
            who.role.code().into(),
            format!("整改事项 {item_no} 的{role}联系方式").into(),
            reason.into(),
        ],
    )?;
    Ok(contact)
}

impl Store {
    /// The contact of the person who raised `item_no`, in clear, if `who` may see it;
    /// logged with `who.user` and `reason` (both required) in the same transaction.
    pub fn ledger_contact(
        &mut self,
        who: &Principal,
        item_no: &str,
        reason: &str,
        at: NaiveDateTime,
    ) -> Result<Contact, StoreError> {
        if who.user.trim().is_empty() || reason.trim().is_empty() {
            return Err(StoreError::Invalid(
                "查看联系方式须注明操作人（--actor）和用途（--reason，如“差评回访”），系统会记录本次查看".into(),
            ));
        }
        self.tx(|db| read_contact(db, item_no, who, reason.trim(), at))
    }

    /// Who saw personal data in clear, newest first: for the auditor only.
    pub fn access_log(
        &mut self,
        who: &Principal,
        limit: u64,
    ) -> Result<Vec<AccessEntry>, StoreError> {
        authorize(who, Operation::ViewAccessLog, &Scope::City)?;
        let rows = self.backend().query(
            "SELECT at, actor, role, what, reason FROM access_log ORDER BY id DESC LIMIT ?",
            &[limit.into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| AccessEntry {
                at: r.text(0),
                actor: r.text(1),
                role: r.text(2),
                what: r.text(3),
                reason: r.opt_text(4),
            })
            .collect())
    }
}
