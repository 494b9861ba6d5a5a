//! "码"上监督 complaints filed through the API (a kiosk, the provincial platform, an Open311
//! client): stored in `qr_reports` with the window, department and region of the device's
//! window, and registered on the rectification ledger in the same transaction, as an
//! import of QR reports registers them. Reading back gives only what may be public: no
//! name, no phone, and the text masked.
//!
//! The citizen complaint form has its own store module; the two share the table and the
//! ledger registration (`ledger::register_qr_report`).

use crate::backend::{Backend, Row, RowExt, Value};
use crate::codes::{WindowRef, secret};
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::privacy::mask_free_text;
use jianping_core::time::fmt_ts;
use serde::Serialize;

/// A complaint category (the `domain` of a QR report; an Open311 service).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Category {
    /// Stable ASCII code (Open311 `service_code`).
    pub code: &'static str,
    pub name: &'static str,
    pub description: &'static str,
}

/// The areas "码"上监督 complaints are filed under.
pub const CATEGORIES: &[Category] = &[
    Category {
        code: "government-service",
        name: "政务服务",
        description: "窗口服务态度、办事效率、一次性告知、办事指南等政务服务问题",
    },
    Category {
        code: "key-projects",
        name: "重点项目投资建设",
        description: "重点项目审批、手续推进、配套建设、拖欠工资等问题",
    },
    Category {
        code: "benefits",
        name: "惠民惠农",
        description: "补贴发放、惠民政策落实等问题",
    },
    Category {
        code: "law-enforcement",
        name: "执法监管",
        description: "执法不规范、监管不到位等问题",
    },
    Category {
        code: "grassroots",
        name: "基层治理",
        description: "基层服务、村（社区）事务等问题",
    },
];

pub fn category(code_or_name: &str) -> Option<&'static Category> {
    let t = code_or_name.trim();
    CATEGORIES.iter().find(|c| c.code == t || c.name == t)
}

/// A complaint as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    pub category: &'static Category,
    pub content: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub received_at: NaiveDateTime,
}

/// What the filer is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiledComplaint {
    pub report_no: String,
    /// The rectification item opened for it (none before the ledger's configured start).
    pub ledger_item: Option<String>,
}

/// A complaint as anyone holding its number may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicComplaint {
    pub report_no: String,
    pub domain: String,
    /// The text with phone and ID numbers masked.
    pub content: String,
    pub received_at: String,
    pub department: Option<String>,
    pub window: Option<String>,
    pub region_code: Option<String>,
    pub closed: bool,
    /// When the report or its item was closed, else when its item last moved.
    pub updated_at: Option<String>,
    pub ledger_item: Option<String>,
    /// The item's state code (`unclaimed`, `claimed`, `rectified`, `closed`, `returned`).
    pub ledger_state: Option<String>,
    pub due_on: Option<String>,
    /// 办理情况 as recorded by the bureau (imports), masked.
    pub handling: Option<String>,
}

/// Filters of [`Store::public_complaints`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintFilter {
    pub domain: Option<String>,
    pub closed: Option<bool>,
    /// `received_at` bounds, as stored text (`YYYY-MM-DD HH:MM:SS`).
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: usize,
}

const MAX_CONTENT: usize = 2000;

fn insert(
    db: &mut dyn Backend,
    c: &NewComplaint,
    w: &WindowRef,
    at: NaiveDateTime,
) -> Result<FiledComplaint, StoreError> {
    // A number that is not a count: it is printed on receipts and typed into lookups.
    let day = c.received_at.format("%Y%m%d");
    for _ in 0..5 {
        let tail: String = secret::window_token()?
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|ch| ch.to_ascii_uppercase())
            .take(8)
            .collect();
        let report_no = format!("MS{day}-{tail}");
        let rows = db.query(
            "INSERT INTO qr_reports (report_no, received_at, domain, region_id, window_id,
                 department_id, content, reporter_name, reporter_phone)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (report_no) DO NOTHING RETURNING id",
            &[
                report_no.as_str().into(),
                fmt_ts(&c.received_at).into(),
                c.category.name.into(),
                w.region_id.into(),
                w.window_id.into(),
                w.department_id.into(),
                c.content.trim().into(),
                c.reporter_name.as_deref().into(),
                c.reporter_phone.as_deref().into(),
            ],
        )?;
        if let Some(id) = rows.first().map(|r| r.int(0)) {
            let ledger_item = crate::ledger::register_qr_report(db, id, at)?;
            return Ok(FiledComplaint {
                report_no,
                ledger_item,
            });
        }
    }
    Err(StoreError::Conflict(
        "投诉编号连续冲突，未能保存，请重试".into(),
    ))
}

const PUBLIC_SQL: &str = "SELECT q.report_no, q.domain, q.content, q.received_at, d.name, w.name,
        r.code, q.closed_at, l.item_no, l.state, l.due_on, l.closed_at,
        (SELECT MAX(e.at) FROM ledger_events e WHERE e.item_id = l.id), q.handling
     FROM qr_reports q
     LEFT JOIN departments d ON d.id = q.department_id
     LEFT JOIN windows w ON w.id = q.window_id
     LEFT JOIN regions r ON r.id = q.region_id
     LEFT JOIN ledger_items l ON l.source_kind = 'qr_report' AND l.source_id = q.id";

fn public(r: &Row) -> PublicComplaint {
    let state = r.opt_text(9);
    let closed = r.opt_text(7).is_some() || state.as_deref() == Some("closed");
    let updated_at = r.opt_text(7).or(r.opt_text(11)).or(r.opt_text(12));
    PublicComplaint {
        report_no: r.text(0),
        domain: r.text(1),
        content: mask_free_text(&r.text(2)),
        received_at: r.text(3),
        department: r.opt_text(4),
        window: r.opt_text(5),
        region_code: r.opt_text(6),
        closed,
        updated_at,
        ledger_item: r.opt_text(8),
        ledger_state: state,
        due_on: r.opt_text(10),
        handling: r.opt_text(13).map(|h| mask_free_text(&h)),
    }
}

impl Store {
    /// Stores a complaint at the window `window` (resolved from a device, never from the
    /// request) and registers its ledger item, in one transaction.
    pub fn file_api_complaint(
        &mut self,
        c: &NewComplaint,
        window: &WindowRef,
        at: NaiveDateTime,
    ) -> Result<FiledComplaint, StoreError> {
        let len = c.content.trim().chars().count();
        if len == 0 {
            return Err(StoreError::Invalid("请填写反映的问题".into()));
        }
        if len > MAX_CONTENT {
            return Err(StoreError::Invalid(format!(
                "反映内容过长（{len}字），上限{MAX_CONTENT}字"
            )));
        }
        self.tx(|db| insert(db, c, window, at))
    }

    /// The public view of complaint `report_no`.
    pub fn public_complaint(
        &mut self,
        report_no: &str,
    ) -> Result<Option<PublicComplaint>, StoreError> {
        let sql = format!("{PUBLIC_SQL} WHERE q.report_no = ?");
        let rows = self.backend().query(&sql, &[report_no.trim().into()])?;
        Ok(rows.first().map(public))
    }

    /// Complaints, newest first, in their public form.
    pub fn public_complaints(
        &mut self,
        f: &ComplaintFilter,
    ) -> Result<Vec<PublicComplaint>, StoreError> {
        let mut cond = vec!["1 = 1".to_string()];
        let mut params: Vec<Value> = Vec::new();
        if let Some(d) = &f.domain {
            cond.push("q.domain = ?".into());
            params.push(d.as_str().into());
        }
        if let Some(from) = &f.from {
            cond.push("q.received_at >= ?".into());
            params.push(from.as_str().into());
        }
        if let Some(to) = &f.to {
            cond.push("q.received_at <= ?".into());
            params.push(to.as_str().into());
        }
        match f.closed {
            Some(true) => {
                cond.push("(q.closed_at IS NOT NULL OR l.state = 'closed')".into());
            }
            Some(false) => {
                cond.push(
                    "q.closed_at IS NULL AND (l.state IS NULL OR l.state <> 'closed')".into(),
                );
            }
            None => {}
        }
        let limit = f.limit.clamp(1, 1000) as i64;
        let sql = format!(
            "{PUBLIC_SQL} WHERE {} ORDER BY q.received_at DESC, q.id DESC LIMIT {limit}",
            cond.join(" AND ")
        );
        Ok(self
            .backend()
            .query(&sql, &params)?
            .iter()
            .map(public)
            .collect())
    }
}
