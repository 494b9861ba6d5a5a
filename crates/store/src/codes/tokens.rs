//! Window tokens: one active token per window, created on demand, revoked with a reason.

use super::{
    WINDOW_COLUMNS, WINDOW_FIELDS, WINDOW_FROM, WindowRef, required, secret, window_by_id,
    window_ref, window_sql,
};
use crate::backend::{Backend, RowExt};
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::PublicUrl;
use jianping_core::time::fmt_ts;
use serde::Serialize;

/// A window and the token its QR code carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowCode {
    #[serde(flatten)]
    pub window: WindowRef,
    /// `None` only before [`Store::ensure_window_tokens`] has run since the window appeared.
    pub token: Option<String>,
    pub token_created_at: Option<String>,
}

impl WindowCode {
    /// The URL its QR code encodes, once it has a token.
    pub fn url(&self, base: &PublicUrl) -> Option<String> {
        self.token.as_deref().map(|t| base.window_url(t))
    }
}

/// The windows of one hall (or of none: `hall_id` `None`), in window order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HallCodes {
    pub hall_id: Option<i64>,
    pub hall_name: Option<String>,
    pub windows: Vec<WindowCode>,
}

/// One token a window has had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRecord {
    pub token: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
    pub revoke_reason: Option<String>,
}

/// What [`Store::revoke_window_token`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevokedToken {
    pub window: WindowRef,
    pub old_token: String,
    /// The token that replaces it, when one was issued.
    pub new_token: Option<String>,
}

/// Windows without an active token.
const MISSING: &str = "SELECT w.id FROM windows w WHERE NOT EXISTS \
     (SELECT 1 FROM window_tokens t WHERE t.window_id = w.id AND t.revoked_at IS NULL) \
     ORDER BY w.id";

fn has_active_token(db: &mut dyn Backend, window_id: i64) -> Result<bool, StoreError> {
    Ok(!db
        .query(
            "SELECT 1 FROM window_tokens WHERE window_id = ? AND revoked_at IS NULL",
            &[window_id.into()],
        )?
        .is_empty())
}

/// Gives `window_id` a fresh token unless it has an active one (perhaps just added by a
/// concurrent writer: the partial unique index makes the insert a no-op then). Returns the
/// token when this call added it.
fn issue(
    db: &mut dyn Backend,
    window_id: i64,
    at: NaiveDateTime,
) -> Result<Option<String>, StoreError> {
    // A second round is only reached if 128 random bits collided with an existing token.
    for _ in 0..3 {
        let token = secret::window_token()?;
        let n = db.execute(
            "INSERT INTO window_tokens (window_id, token, created_at) VALUES (?, ?, ?) \
             ON CONFLICT DO NOTHING",
            &[window_id.into(), token.as_str().into(), fmt_ts(&at).into()],
        )?;
        if n == 1 {
            return Ok(Some(token));
        }
        if has_active_token(db, window_id)? {
            return Ok(None);
        }
    }
    Err(StoreError::Invalid(
        "连续三次生成的二维码令牌都与已有令牌重复，请检查系统随机数来源".into(),
    ))
}

impl Store {
    /// Gives every window without an active token a new one, in one transaction; returns
    /// how many were created. Idempotent, and safe beside a concurrent run: a window never
    /// gets two active tokens. Without missing tokens it writes nothing (no write lock).
    pub fn ensure_window_tokens(&mut self, at: NaiveDateTime) -> Result<usize, StoreError> {
        if self.backend().query(MISSING, &[])?.is_empty() {
            return Ok(0);
        }
        self.tx(|db| {
            let mut created = 0;
            for r in db.query(MISSING, &[])? {
                if issue(db, r.int(0), at)?.is_some() {
                    created += 1;
                }
            }
            Ok(created)
        })
    }

    /// Every window with its hall, department, region and active token, grouped by hall:
    /// halls by the code of their region, then in order of creation; windows without a hall
    /// last; windows in order of creation.
    pub fn window_codes(&mut self) -> Result<Vec<WindowCode>, StoreError> {
        self.codes_where("", &[])
    }

    /// One window with its active token.
    pub fn window_code(&mut self, window_id: i64) -> Result<WindowCode, StoreError> {
        self.codes_where(" WHERE w.id = ?", &[window_id.into()])?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {window_id} 的窗口")))
    }

    /// The windows of the hall named `hall` (its name or code).
    pub fn hall_window_codes(&mut self, hall: &str) -> Result<HallCodes, StoreError> {
        let key = hall.trim();
        let found = self.backend().query(
            "SELECT id, name FROM halls WHERE name = ? OR code = ? ORDER BY id",
            &[key.into(), key.into()],
        )?;
        let Some(h) = found.first() else {
            return Err(StoreError::NotFound(format!(
                "没有名称或编码为「{key}」的大厅；可用 jianping qr list 查看各窗口所在大厅"
            )));
        };
        let windows = self.codes_where(" WHERE w.hall_id = ?", &[h.int(0).into()])?;
        Ok(HallCodes {
            hall_id: Some(h.int(0)),
            hall_name: Some(h.text(1)),
            windows,
        })
    }

    fn codes_where(
        &mut self,
        filter: &str,
        params: &[crate::Value],
    ) -> Result<Vec<WindowCode>, StoreError> {
        let sql = format!(
            "SELECT {WINDOW_FIELDS}, t.token, t.created_at, hr.code {WINDOW_FROM} \
             LEFT JOIN regions hr ON hr.id = h.region_id \
             LEFT JOIN window_tokens t ON t.window_id = w.id AND t.revoked_at IS NULL{filter}"
        );
        let rows = self.backend().query(&sql, params)?;
        let mut codes = rows
            .iter()
            .map(|r| {
                let code = WindowCode {
                    window: window_ref(r)?,
                    token: r.opt_text(WINDOW_COLUMNS),
                    token_created_at: r.opt_text(WINDOW_COLUMNS + 1),
                };
                Ok((r.opt_text(WINDOW_COLUMNS + 2), code))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // Halls by their region's code (the city's centre before the districts'), then in
        // order of creation; windows without a hall last. Sorted here rather than in SQL: the
        // engines order NULLs and text differently, codes and ids are the same on both.
        codes.sort_by(|(ra, a), (rb, b)| {
            let key = |region: &Option<String>, c: &WindowCode| {
                (
                    c.window.hall_id.is_none(),
                    region.clone(),
                    c.window.hall_id,
                    c.window.window_id,
                )
            };
            key(ra, a).cmp(&key(rb, b))
        });
        Ok(codes.into_iter().map(|(_, c)| c).collect())
    }

    /// The window behind an active token; `None` for an unknown or revoked one.
    pub fn resolve_window_token(&mut self, token: &str) -> Result<Option<WindowRef>, StoreError> {
        if !secret::plausible_token(token) {
            return Ok(None);
        }
        let rows = self.backend().query(
            &window_sql(
                "JOIN window_tokens t ON t.window_id = w.id \
                 WHERE t.token = ? AND t.revoked_at IS NULL",
            ),
            &[token.into()],
        )?;
        rows.first().map(window_ref).transpose()
    }

    /// Every token the window has had, oldest first.
    pub fn window_token_history(&mut self, window_id: i64) -> Result<Vec<TokenRecord>, StoreError> {
        let rows = self.backend().query(
            "SELECT token, created_at, revoked_at, revoked_by, revoke_reason \
             FROM window_tokens WHERE window_id = ? ORDER BY id",
            &[window_id.into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| TokenRecord {
                token: r.text(0),
                created_at: r.text(1),
                revoked_at: r.opt_text(2),
                revoked_by: r.opt_text(3),
                revoke_reason: r.opt_text(4),
            })
            .collect())
    }

    /// Revokes the window's active token (the printed card stops working at once), recording
    /// who and why; with `reissue`, issues its replacement in the same transaction.
    pub fn revoke_window_token(
        &mut self,
        window_id: i64,
        by: &str,
        reason: &str,
        at: NaiveDateTime,
        reissue: bool,
    ) -> Result<RevokedToken, StoreError> {
        let by = required(by, "作废人（--actor）")?;
        let reason = required(reason, "作废原因（--reason），如“二维码卡片遗失”")?;
        self.tx(|db| {
            let window = window_by_id(db, window_id)?;
            let old = db.query(
                "UPDATE window_tokens SET revoked_at = ?, revoked_by = ?, revoke_reason = ? \
                 WHERE window_id = ? AND revoked_at IS NULL RETURNING token",
                &[
                    fmt_ts(&at).into(),
                    by.into(),
                    reason.into(),
                    window_id.into(),
                ],
            )?;
            let Some(old) = old.first().map(|r| r.text(0)) else {
                return Err(StoreError::NotFound(format!(
                    "窗口「{}」没有在用的二维码，无需作废",
                    window.window_name
                )));
            };
            let new_token = if reissue {
                issue(db, window_id, at)?
            } else {
                None
            };
            Ok(RevokedToken {
                window,
                old_token: old,
                new_token,
            })
        })
    }
}

/// Splits codes sorted as [`Store::window_codes`] returns them into one group per hall.
pub fn by_hall(codes: Vec<WindowCode>) -> Vec<HallCodes> {
    let mut halls: Vec<HallCodes> = Vec::new();
    for c in codes {
        match halls.last_mut() {
            Some(h) if h.hall_id == c.window.hall_id => h.windows.push(c),
            _ => halls.push(HallCodes {
                hall_id: c.window.hall_id,
                hall_name: c.window.hall_name.clone(),
                windows: vec![c],
            }),
        }
    }
    halls
}
