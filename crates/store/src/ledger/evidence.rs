//! Evidence of a rectification: files uploaded with the measures (photos, scanned notices),
//! stored as attachments of the item in the step's own transaction, and read back only by
//! someone who may see the item.

use super::scope_columns;
use super::workflow::{StepOutcome, step};
use crate::accounts::{Attachment, AttachmentMeta, NewAttachment, add_attachment};
use crate::backend::{Backend, RowExt};
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::access::{Operation, Principal, Scope, authorize};
use jianping_core::ledger::Command;

/// The owner kind of an item's attachments.
pub const ITEM_ATTACHMENT: &str = "ledger_item";

/// A file as uploaded, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub file_name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// The item's id after checking that `who` may do `op` on it.
fn item_id(
    db: &mut dyn Backend,
    item_no: &str,
    who: &Principal,
    op: Operation,
) -> Result<i64, StoreError> {
    let rows = db.query(
        &format!(
            "SELECT l.id, {} FROM ledger_items l WHERE l.item_no = ?",
            scope_columns("l")
        ),
        &[item_no.into()],
    )?;
    let r = rows
        .first()
        .ok_or_else(|| StoreError::NotFound(format!("没有编号为「{item_no}」的整改事项")))?;
    authorize(who, op, &Scope::item(r.opt_int(1), r.opt_int(2)))
        .map_err(|e| StoreError::Forbidden(format!("整改事项 {item_no}：{e}")))?;
    Ok(r.int(0))
}

impl Store {
    /// 提交整改 with its evidence: the step and every file in one transaction (a file that
    /// cannot be stored undoes the step).
    pub fn ledger_rectify_with_evidence(
        &mut self,
        item_no: &str,
        measures: &str,
        files: &[EvidenceFile],
        who: &Principal,
        at: NaiveDateTime,
    ) -> Result<StepOutcome, StoreError> {
        let command = Command::Rectify {
            measures: measures.to_string(),
        };
        self.tx(|db| {
            let outcome = step(db, item_no, &command, who, at)?;
            if !files.is_empty() {
                let id = item_id(db, item_no, who, Operation::ViewLedger)?;
                for f in files {
                    add_attachment(
                        db,
                        &NewAttachment {
                            owner_kind: ITEM_ATTACHMENT.to_string(),
                            owner_id: id,
                            file_name: f.file_name.clone(),
                            content_type: f.content_type.clone(),
                            data: f.data.clone(),
                            uploaded_at: at,
                            uploaded_by: who.user.clone(),
                        },
                    )?;
                }
            }
            Ok(outcome)
        })
    }

    /// The files attached to an item, if `who` may see it.
    pub fn ledger_attachments(
        &mut self,
        who: &Principal,
        item_no: &str,
    ) -> Result<Vec<AttachmentMeta>, StoreError> {
        let id = item_id(self.backend(), item_no, who, Operation::ViewLedger)?;
        self.attachments(ITEM_ATTACHMENT, id)
    }

    /// One file of an item, if `who` may see the item and the file belongs to it.
    pub fn ledger_attachment(
        &mut self,
        who: &Principal,
        item_no: &str,
        attachment_id: i64,
    ) -> Result<Attachment, StoreError> {
        let id = item_id(self.backend(), item_no, who, Operation::ViewLedger)?;
        match self.attachment(attachment_id)? {
            Some(a) if a.meta.owner_kind == ITEM_ATTACHMENT && a.meta.owner_id == id => Ok(a),
            _ => Err(StoreError::NotFound(format!(
                "整改事项 {item_no} 没有编号为 {attachment_id} 的附件"
            ))),
        }
    }
}
