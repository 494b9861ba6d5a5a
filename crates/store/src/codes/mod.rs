//! Window QR codes (码上评价 / 码上监督) and hall pads (评价器): the secrets that let a phone or a
//! tablet act for one window without a login.
//!
//! A window token is printed in the window's QR code (`{public_url}/q/{token}`); a pad key is
//! given to the tablet at a window. Both resolve server-side to rows that already exist
//! ([`WindowRef`]): nothing a page or a pad sends can create a window, hall or department.
//! Revoked tokens and keys stay in their tables with who revoked them and why, and resolve to
//! nothing. Tokens are created lazily ([`Store::ensure_window_tokens`]), see
//! `docs/decisions.md`.

mod devices;
pub mod secret;
mod tokens;

pub use devices::{NewPadDevice, PadDevice, SEEN_GRANULARITY_SECS};
pub use tokens::{HallCodes, RevokedToken, TokenRecord, WindowCode, by_hall};

use crate::backend::{Backend, Row, RowExt};
use crate::{Store, StoreError};
use jianping_core::RegionLevel;
use serde::Serialize;

/// A window with the hall, department and region it belongs to, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowRef {
    pub window_id: i64,
    pub window_name: String,
    pub window_code: Option<String>,
    pub hall_id: Option<i64>,
    pub hall_name: Option<String>,
    /// A 综合受理 window serving many departments may have none.
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub region_id: i64,
    pub region_code: String,
    pub region_name: String,
    pub region_level: RegionLevel,
}

/// The columns [`window_ref`] reads, in order.
const WINDOW_FIELDS: &str =
    "w.id, w.name, w.code, h.id, h.name, d.id, d.name, r.id, r.code, r.name, r.level";
const WINDOW_COLUMNS: usize = 11;
/// Windows with their hall, department and region.
const WINDOW_FROM: &str = "FROM windows w JOIN regions r ON r.id = w.region_id \
     LEFT JOIN halls h ON h.id = w.hall_id \
     LEFT JOIN departments d ON d.id = w.department_id";

/// `SELECT` of the window columns followed by `rest` (joins, `WHERE`, `ORDER BY`).
fn window_sql(rest: &str) -> String {
    format!("SELECT {WINDOW_FIELDS} {WINDOW_FROM} {rest}")
}

fn window_ref(r: &Row) -> Result<WindowRef, StoreError> {
    let level = r.int(10);
    let region_level = RegionLevel::from_code(level).ok_or_else(|| {
        StoreError::Invalid(format!(
            "行政区划 {} 的层级代码 {level} 无效（应为 1–5）",
            r.text(8)
        ))
    })?;
    Ok(WindowRef {
        window_id: r.int(0),
        window_name: r.text(1),
        window_code: r.opt_text(2),
        hall_id: r.opt_int(3),
        hall_name: r.opt_text(4),
        department_id: r.opt_int(5),
        department_name: r.opt_text(6),
        region_id: r.int(7),
        region_code: r.text(8),
        region_name: r.text(9),
        region_level,
    })
}

fn window_by_id(db: &mut dyn Backend, id: i64) -> Result<WindowRef, StoreError> {
    let rows = db.query(&window_sql("WHERE w.id = ?"), &[id.into()])?;
    match rows.first() {
        Some(r) => window_ref(r),
        None => Err(StoreError::NotFound(format!("没有编号为 {id} 的窗口"))),
    }
}

/// A required free-text field (who, why), trimmed, or an error naming it.
fn required<'a>(value: &'a str, what: &str) -> Result<&'a str, StoreError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(StoreError::Invalid(format!("请填写{what}")));
    }
    Ok(v)
}

impl Store {
    /// The window `key` names: its active QR token, its code, or its name (which must then
    /// be unique across regions). Errors say what was not found, or list the candidates.
    pub fn find_window(&mut self, key: &str) -> Result<WindowRef, StoreError> {
        let key = key.trim();
        let db = self.backend();
        if secret::plausible_token(key) {
            let t = db.query(
                "SELECT window_id, revoked_at, revoked_by, revoke_reason FROM window_tokens WHERE token = ?",
                &[key.into()],
            )?;
            if let Some(t) = t.first() {
                if let Some(at) = t.opt_text(1) {
                    let w = window_by_id(db, t.int(0))?;
                    return Err(StoreError::Invalid(format!(
                        "二维码 {key} 已于 {at} 由{}作废（{}），原属窗口「{}」；请改用该窗口现行的二维码（jianping qr list）",
                        t.text(2),
                        t.text(3),
                        w.window_name
                    )));
                }
                return window_by_id(db, t.int(0));
            }
        }
        let by_code = db.query(&window_sql("WHERE w.code = ?"), &[key.into()])?;
        if let Some(r) = by_code.first() {
            return window_ref(r);
        }
        let by_name = db.query(&window_sql("WHERE w.name = ? ORDER BY w.id"), &[key.into()])?;
        match by_name.as_slice() {
            [] => Err(StoreError::NotFound(format!(
                "没有名称、编码或二维码为「{key}」的窗口；可用 jianping qr list 查看全部窗口"
            ))),
            [one] => window_ref(one),
            many => {
                let list: Vec<String> = many
                    .iter()
                    .map(|r| format!("{}（{}，编码 {}）", r.text(1), r.text(9), r.text(2)))
                    .collect();
                Err(StoreError::Invalid(format!(
                    "有 {} 个窗口名为「{key}」：{}；请改用窗口编码",
                    many.len(),
                    list.join("、")
                )))
            }
        }
    }

    /// The window with this id.
    pub fn window(&mut self, window_id: i64) -> Result<WindowRef, StoreError> {
        window_by_id(self.backend(), window_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_columns_counts_the_fields() {
        assert_eq!(WINDOW_FIELDS.split(',').count(), WINDOW_COLUMNS);
    }
}
