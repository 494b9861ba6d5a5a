//! 码上监督 complaints filed by citizens on a window's QR page: stored as a `qr_reports` row
//! with its ledger item (and photo) in one transaction, followed with a receipt code, and
//! added to by the reporter (补充说明). See `docs/web.md`.

use crate::accounts::{NewAttachment, NewAudit, add_attachment, append_audit};
use crate::backend::{Backend, RowExt};
use crate::codes::secret;
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::ledger::{Action, State};
use jianping_core::privacy::{mask_free_text, mask_name, mask_phone};
use jianping_core::time::fmt_ts;
use serde::Serialize;

/// The categories a citizen chooses from: the topic dictionary's window categories, so that
/// the reporter's word and the classifier's suggestion can be compared.
pub const CATEGORIES: &[&str] = &[
    "服务态度",
    "办事效率",
    "排队等候",
    "材料要求",
    "窗口纪律",
    "系统故障",
    "收费",
    "环境设施",
    "其他",
];

/// 所属领域 of a window complaint: the indicators count 窗口不规范行为 in this domain only.
pub const DOMAIN: &str = "政务服务";
/// Longest complaint text and addition, in characters.
pub const MAX_TEXT: usize = 2000;
/// How often a reporter may add to one complaint.
pub const MAX_ADDITIONS: usize = 5;

/// A photo attached to a complaint (already checked by the caller to be an image).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub file_name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    /// The window the QR code belongs to (resolved from its token: never from the form).
    pub window_id: i64,
    pub category: String,
    pub content: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub photo: Option<Photo>,
    pub address: Option<String>,
    pub received_at: NaiveDateTime,
}

/// What the reporter is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintReceipt {
    /// The code to follow the complaint with (`/r/{receipt}`); shown once, stored hashed.
    pub receipt: String,
    pub report_no: String,
    pub item_no: Option<String>,
}

/// One step of the complaint's ledger item, as the public may see it: no actor, no note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicStep {
    pub at: String,
    pub action: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Addition {
    pub added_at: String,
    pub content: String,
}

/// What became of a complaint, masked for a page anyone holding the receipt may open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintStatus {
    pub report_no: String,
    pub received_at: String,
    pub category: String,
    pub content: String,
    pub window_name: Option<String>,
    pub hall_name: Option<String>,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub photos: usize,
    pub item_no: Option<String>,
    pub state: Option<String>,
    /// The department the item is with (the one that claimed it, once claimed).
    pub department: Option<String>,
    pub claimed: bool,
    pub due_on: Option<String>,
    pub measures: Option<String>,
    pub rectified_at: Option<String>,
    pub closed_at: Option<String>,
    pub steps: Vec<PublicStep>,
    pub additions: Vec<Addition>,
}

impl ComplaintStatus {
    pub fn can_add(&self) -> bool {
        self.additions.len() < MAX_ADDITIONS && self.state.as_deref() != Some(State::Closed.name())
    }
}

fn invalid(msg: impl Into<String>) -> StoreError {
    StoreError::Invalid(msg.into())
}

fn checked_text(text: &str, what: &str) -> Result<String, StoreError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(invalid(format!("请填写{what}")));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(invalid(format!("{what}最多 {MAX_TEXT} 字")));
    }
    Ok(t.to_string())
}

fn report_no(at: &NaiveDateTime) -> Result<String, StoreError> {
    // 6 random characters per day: the UNIQUE index catches the improbable repeat.
    let r = secret::window_token()?;
    let tail: String = r
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(6)
        .collect::<String>()
        .to_uppercase();
    Ok(format!("MSWEB{}{tail}", at.format("%Y%m%d")))
}

fn insert(db: &mut dyn Backend, c: &NewComplaint) -> Result<ComplaintReceipt, StoreError> {
    let w = db.query(
        "SELECT region_id, department_id FROM windows WHERE id = ?",
        &[c.window_id.into()],
    )?;
    let Some(w) = w.first() else {
        return Err(StoreError::NotFound(format!(
            "没有编号为 {} 的窗口",
            c.window_id
        )));
    };
    let (region_id, department_id) = (w.int(0), w.opt_int(1));
    let at = fmt_ts(&c.received_at);
    let mut inserted = None;
    for _ in 0..3 {
        let no = report_no(&c.received_at)?;
        let rows = db.query(
            "INSERT INTO qr_reports (report_no, received_at, domain, region_id, window_id,
                 department_id, content, reporter_name, reporter_phone)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (report_no) DO NOTHING RETURNING id",
            &[
                no.as_str().into(),
                at.as_str().into(),
                DOMAIN.into(),
                region_id.into(),
                c.window_id.into(),
                department_id.into(),
                c.content.as_str().into(),
                c.reporter_name.as_deref().into(),
                c.reporter_phone.as_deref().into(),
            ],
        )?;
        if let Some(r) = rows.first() {
            inserted = Some((r.int(0), no));
            break;
        }
    }
    let (id, report_no) = inserted.ok_or_else(|| invalid("生成问题编号时连续重复，请稍后重试"))?;
    let receipt = secret::window_token()?;
    db.execute(
        "INSERT INTO citizen_reports (report_id, receipt_hash, category, anonymous, address, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        &[
            id.into(),
            secret::key_hash(&receipt).into(),
            c.category.as_str().into(),
            i64::from(c.reporter_name.is_none() && c.reporter_phone.is_none()).into(),
            c.address.as_deref().into(),
            at.as_str().into(),
        ],
    )?;
    if let Some(p) = &c.photo {
        add_attachment(
            db,
            &NewAttachment {
                owner_kind: "qr_report".into(),
                owner_id: id,
                file_name: p.file_name.clone(),
                content_type: p.content_type.clone(),
                data: p.data.clone(),
                uploaded_at: c.received_at,
                uploaded_by: "群众".into(),
            },
        )?;
    }
    let item_no = crate::ledger::register_qr_report(db, id, c.received_at)?;
    audit(
        db,
        c.received_at,
        "complaint.file",
        &report_no,
        item_no.clone(),
        c.address.as_deref(),
    )?;
    Ok(ComplaintReceipt {
        receipt,
        report_no,
        item_no,
    })
}

/// The log row of a citizen's write: who is "群众" (no account), from which address.
fn audit(
    db: &mut dyn Backend,
    at: NaiveDateTime,
    action: &str,
    target: &str,
    detail: Option<String>,
    address: Option<&str>,
) -> Result<(), StoreError> {
    append_audit(
        db,
        &NewAudit {
            at,
            user_id: None,
            username: "群众".into(),
            role: "public".into(),
            action: action.into(),
            target: Some(target.into()),
            detail,
            address: address.map(str::to_string),
        },
    )
}

/// The report behind a receipt: (qr_reports id, ledger item id).
fn find(db: &mut dyn Backend, receipt: &str) -> Result<Option<(i64, Option<i64>)>, StoreError> {
    if !secret::plausible_token(receipt) {
        return Ok(None);
    }
    let rows = db.query(
        "SELECT c.report_id, (SELECT l.id FROM ledger_items l
                              WHERE l.source_kind = 'qr_report' AND l.source_id = c.report_id)
         FROM citizen_reports c WHERE c.receipt_hash = ?",
        &[secret::key_hash(receipt).into()],
    )?;
    Ok(rows.first().map(|r| (r.int(0), r.opt_int(1))))
}

impl Store {
    /// Files a citizen's complaint: the report, its receipt, its photo and its ledger item
    /// in one transaction. The window's department and region come from the window row.
    pub fn file_complaint(&mut self, c: &NewComplaint) -> Result<ComplaintReceipt, StoreError> {
        if !CATEGORIES.contains(&c.category.as_str()) {
            return Err(invalid(format!(
                "问题类别「{}」无效，可选：{}",
                c.category,
                CATEGORIES.join("、")
            )));
        }
        let c = NewComplaint {
            content: checked_text(&c.content, "问题描述")?,
            ..c.clone()
        };
        self.tx(|db| insert(db, &c))
    }

    /// What became of the complaint behind `receipt`; `None` for an unknown receipt.
    pub fn complaint_status(
        &mut self,
        receipt: &str,
    ) -> Result<Option<ComplaintStatus>, StoreError> {
        self.snapshot(|s| {
            let db = s.backend();
            let Some((id, item)) = find(db, receipt)? else {
                return Ok(None);
            };
            let rows = db.query(
                "SELECT q.report_no, q.received_at, c.category, q.content, w.name, h.name,
                        q.reporter_name, q.reporter_phone,
                        (SELECT COUNT(*) FROM attachments a
                          WHERE a.owner_kind = 'qr_report' AND a.owner_id = q.id)
                 FROM qr_reports q JOIN citizen_reports c ON c.report_id = q.id
                 LEFT JOIN windows w ON w.id = q.window_id
                 LEFT JOIN halls h ON h.id = w.hall_id
                 WHERE q.id = ?",
                &[id.into()],
            )?;
            let r = &rows[0];
            let mut status = ComplaintStatus {
                report_no: r.text(0),
                received_at: r.text(1),
                category: r.text(2),
                content: mask_free_text(&r.text(3)),
                window_name: r.opt_text(4),
                hall_name: r.opt_text(5),
                reporter_name: r.opt_text(6).map(|n| mask_name(&n)),
                reporter_phone: r.opt_text(7).map(|p| mask_phone(&p)),
                photos: r.int(8) as usize,
                item_no: None,
                state: None,
                department: None,
                claimed: false,
                due_on: None,
                measures: None,
                rectified_at: None,
                closed_at: None,
                steps: Vec::new(),
                additions: Vec::new(),
            };
            if let Some(item) = item {
                let rows = db.query(
                    "SELECT l.item_no, l.state, d.name, l.due_on, l.measures, l.rectified_at,
                            l.closed_at
                     FROM ledger_items l LEFT JOIN departments d ON d.id = l.department_id
                     WHERE l.id = ?",
                    &[item.into()],
                )?;
                let l = &rows[0];
                let state = State::from_code(&l.text(1));
                status.item_no = Some(l.text(0));
                status.state = state.map(|s| s.name().to_string());
                status.claimed = !matches!(state, Some(State::Unclaimed | State::Returned));
                status.department = l.opt_text(2);
                status.due_on = l.opt_text(3);
                status.measures = l.opt_text(4).map(|m| mask_free_text(&m));
                status.rectified_at = l.opt_text(5);
                status.closed_at = l.opt_text(6);
                let events = db.query(
                    "SELECT at, action, to_state FROM ledger_events WHERE item_id = ? ORDER BY at, id",
                    &[item.into()],
                )?;
                status.steps = events
                    .iter()
                    .map(|e| PublicStep {
                        at: e.text(0),
                        action: Action::from_code(&e.text(1))
                            .map_or_else(|| e.text(1), |a| a.name().to_string()),
                        state: State::from_code(&e.text(2))
                            .map_or_else(|| e.text(2), |s| s.name().to_string()),
                    })
                    .collect();
            }
            status.additions = additions(db, id)?;
            Ok(Some(status))
        })
    }

    /// Adds the reporter's 补充说明 to the complaint behind `receipt` (at most
    /// [`MAX_ADDITIONS`], not once the item is closed).
    pub fn add_to_complaint(
        &mut self,
        receipt: &str,
        text: &str,
        address: Option<&str>,
        at: NaiveDateTime,
    ) -> Result<(), StoreError> {
        let text = checked_text(text, "补充说明")?;
        self.tx(|db| {
            let Some((id, item)) = find(db, receipt)? else {
                return Err(StoreError::NotFound("没有这个回执码对应的问题".into()));
            };
            if let Some(item) = item {
                let closed = db.query(
                    "SELECT 1 FROM ledger_items WHERE id = ? AND state = ?",
                    &[item.into(), State::Closed.code().into()],
                )?;
                if !closed.is_empty() {
                    return Err(StoreError::Conflict(
                        "该问题已办结，不能再补充；如仍有问题，请重新反映".into(),
                    ));
                }
            }
            let n = db.query(
                "SELECT COUNT(*) FROM citizen_report_additions WHERE report_id = ?",
                &[id.into()],
            )?[0]
                .int(0);
            if n as usize >= MAX_ADDITIONS {
                return Err(StoreError::Conflict(format!(
                    "每个问题最多补充 {MAX_ADDITIONS} 次，已达上限"
                )));
            }
            db.execute(
                "INSERT INTO citizen_report_additions (report_id, added_at, content, address)
                 VALUES (?, ?, ?, ?)",
                &[
                    id.into(),
                    fmt_ts(&at).into(),
                    text.as_str().into(),
                    address.into(),
                ],
            )?;
            let no = db.query(
                "SELECT report_no FROM qr_reports WHERE id = ?",
                &[id.into()],
            )?[0]
                .text(0);
            audit(db, at, "complaint.add", &no, None, address)
        })
    }

    /// The reporter's additions to a QR report (for the ledger item's page), masked.
    pub fn complaint_additions(&mut self, report_id: i64) -> Result<Vec<Addition>, StoreError> {
        additions(self.backend(), report_id)
    }

    /// The reporter's additions to the QR report numbered `report_no` (the ledger item's
    /// source number), masked, oldest first; empty for a report filed without a receipt.
    pub fn complaint_additions_by_no(
        &mut self,
        report_no: &str,
    ) -> Result<Vec<Addition>, StoreError> {
        let db = self.backend();
        let ids = db.query(
            "SELECT id FROM qr_reports WHERE report_no = ?",
            &[report_no.into()],
        )?;
        match ids.first() {
            Some(r) => additions(db, r.int(0)),
            None => Ok(Vec::new()),
        }
    }
}

fn additions(db: &mut dyn Backend, report_id: i64) -> Result<Vec<Addition>, StoreError> {
    let rows = db.query(
        "SELECT added_at, content FROM citizen_report_additions WHERE report_id = ? ORDER BY id",
        &[report_id.into()],
    )?;
    Ok(rows
        .iter()
        .map(|r| Addition {
            added_at: r.text(0),
            content: mask_free_text(&r.text(1)),
        })
        .collect())
}

impl Store {
    /// Whether the case `case_no` already has a rating of this attempt (1 = 首评, 2 = 追评)
    /// through any channel: one rating per case, wherever it was given.
    pub fn case_rated(&mut self, case_no: &str, attempt: u8) -> Result<bool, StoreError> {
        Ok(!self
            .backend()
            .query(
                "SELECT 1 FROM ratings WHERE case_no = ? AND attempt = ?",
                &[case_no.into(), i64::from(attempt).into()],
            )?
            .is_empty())
    }

    /// The departments a rating at a window without its own department may name: those of
    /// the window's region, else all; (id, name) by name.
    pub fn departments_for_region(
        &mut self,
        region_id: i64,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        let db = self.backend();
        let mut rows = db.query(
            "SELECT id, name FROM departments WHERE region_id = ? ORDER BY name",
            &[region_id.into()],
        )?;
        if rows.is_empty() {
            rows = db.query("SELECT id, name FROM departments ORDER BY name", &[])?;
        }
        Ok(rows.iter().map(|r| (r.int(0), r.text(1))).collect())
    }
}
