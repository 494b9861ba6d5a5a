//! Files attached to records, stored in the database (base64 text: both engines, one
//! transaction with the record, one backup).

use crate::backend::RowExt;
use crate::{Store, StoreError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::NaiveDateTime;
use jianping_core::time::fmt_ts;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Largest attachment accepted (a phone photo).
pub const MAX_ATTACHMENT_BYTES: usize = 8 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// `qr_report`, `ledger_item` …
    pub owner_kind: String,
    pub owner_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub data: Vec<u8>,
    pub uploaded_at: NaiveDateTime,
    pub uploaded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentMeta {
    pub id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: String,
    pub uploaded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub meta: AttachmentMeta,
    pub data: Vec<u8>,
}

/// Adds an attachment inside the caller's transaction; returns its id.
pub fn add_attachment(db: &mut dyn crate::Backend, a: &NewAttachment) -> Result<i64, StoreError> {
    if a.data.is_empty() {
        return Err(StoreError::Invalid(format!(
            "附件「{}」是空文件",
            a.file_name
        )));
    }
    if a.data.len() > MAX_ATTACHMENT_BYTES {
        return Err(StoreError::Invalid(format!(
            "附件「{}」有 {:.1} MB，超过上限 {} MB，请压缩后再上传",
            a.file_name,
            a.data.len() as f64 / 1048576.0,
            MAX_ATTACHMENT_BYTES >> 20
        )));
    }
    let sha = Sha256::digest(&a.data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let rows = db.query(
        "INSERT INTO attachments (owner_kind, owner_id, file_name, content_type, size, sha256, data_base64, uploaded_at, uploaded_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &[
            a.owner_kind.as_str().into(),
            a.owner_id.into(),
            a.file_name.as_str().into(),
            a.content_type.as_str().into(),
            (a.data.len() as i64).into(),
            sha.into(),
            STANDARD.encode(&a.data).into(),
            fmt_ts(&a.uploaded_at).into(),
            a.uploaded_by.as_str().into(),
        ],
    )?;
    Ok(rows[0].int(0))
}

const META: &str = "SELECT id, owner_kind, owner_id, file_name, content_type, size, sha256, uploaded_at, uploaded_by";

fn meta(r: &crate::Row) -> AttachmentMeta {
    AttachmentMeta {
        id: r.int(0),
        owner_kind: r.text(1),
        owner_id: r.int(2),
        file_name: r.text(3),
        content_type: r.text(4),
        size: r.int(5),
        sha256: r.text(6),
        uploaded_at: r.text(7),
        uploaded_by: r.text(8),
    }
}

impl Store {
    pub fn add_attachment(&mut self, a: &NewAttachment) -> Result<i64, StoreError> {
        self.tx(|db| add_attachment(db, a))
    }

    pub fn attachments(
        &mut self,
        owner_kind: &str,
        owner_id: i64,
    ) -> Result<Vec<AttachmentMeta>, StoreError> {
        let rows = self.backend().query(
            &format!("{META} FROM attachments WHERE owner_kind = ? AND owner_id = ? ORDER BY id"),
            &[owner_kind.into(), owner_id.into()],
        )?;
        Ok(rows.iter().map(meta).collect())
    }

    pub fn attachment(&mut self, id: i64) -> Result<Option<Attachment>, StoreError> {
        let rows = self.backend().query(
            &format!("{META}, data_base64 FROM attachments WHERE id = ?"),
            &[id.into()],
        )?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let data = STANDARD
            .decode(r.text(9))
            .map_err(|e| StoreError::Invalid(format!("附件 {id} 的内容已损坏：{e}")))?;
        Ok(Some(Attachment {
            meta: meta(r),
            data,
        }))
    }
}
