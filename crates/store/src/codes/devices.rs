//! Hall pads (评价器): a named device at one window, authenticated by an API key of which
//! only the SHA-256 is stored.

use super::{
    WINDOW_COLUMNS, WINDOW_FIELDS, WINDOW_FROM, WindowRef, required, secret, window_by_id,
    window_ref,
};
use crate::backend::{Backend, Row, RowExt, Value};
use crate::{Store, StoreError};
use chrono::{NaiveDateTime, TimeDelta};
use jianping_core::time::{fmt_ts, parse_datetime};
use serde::Serialize;

/// A registered pad and the window it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PadDevice {
    pub id: i64,
    pub name: String,
    pub window: WindowRef,
    pub created_at: String,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
    pub revoke_reason: Option<String>,
    /// When the key was last used (to within [`SEEN_GRANULARITY_SECS`]).
    pub last_seen_at: Option<String>,
}

/// A newly registered pad with its key. The key exists only here: the store keeps its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPadDevice {
    pub device: PadDevice,
    pub key: String,
}

/// `last_seen_at` is rewritten at most this often per device, so a pad that is busy (or
/// holds an event stream and reconnects) does not turn every request into a write.
pub const SEEN_GRANULARITY_SECS: i64 = 60;

/// Longest text worth hashing as a key; anything longer is not one of ours.
const MAX_KEY_LEN: usize = 200;

fn device_sql(filter: &str) -> String {
    format!(
        "SELECT {WINDOW_FIELDS}, p.id, p.name, p.created_at, p.revoked_at, p.revoked_by, \
         p.revoke_reason, p.last_seen_at {WINDOW_FROM} \
         JOIN pad_devices p ON p.window_id = w.id {filter}"
    )
}

fn device(r: &Row) -> Result<PadDevice, StoreError> {
    let c = WINDOW_COLUMNS;
    Ok(PadDevice {
        window: window_ref(r)?,
        id: r.int(c),
        name: r.text(c + 1),
        created_at: r.text(c + 2),
        revoked_at: r.opt_text(c + 3),
        revoked_by: r.opt_text(c + 4),
        revoke_reason: r.opt_text(c + 5),
        last_seen_at: r.opt_text(c + 6),
    })
}

fn devices_where(
    db: &mut dyn Backend,
    filter: &str,
    params: &[Value],
) -> Result<Vec<PadDevice>, StoreError> {
    db.query(&device_sql(filter), params)?
        .iter()
        .map(device)
        .collect()
}

fn device_by_id(db: &mut dyn Backend, id: i64) -> Result<PadDevice, StoreError> {
    devices_where(db, "WHERE p.id = ?", &[id.into()])?
        .pop()
        .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的评价器")))
}

fn register(
    db: &mut dyn Backend,
    window_id: i64,
    name: &str,
    at: NaiveDateTime,
) -> Result<NewPadDevice, StoreError> {
    let window = window_by_id(db, window_id)?;
    let taken = devices_where(
        db,
        "WHERE p.name = ? AND p.revoked_at IS NULL",
        &[name.into()],
    )?;
    if let Some(d) = taken.first() {
        return Err(StoreError::Invalid(format!(
            "已有在用的评价器名为「{name}」（窗口「{}」）；请换一个名称，或先作废原设备",
            d.window.window_name
        )));
    }
    let key = secret::device_key()?;
    let id = db.query(
        "INSERT INTO pad_devices (name, window_id, key_hash, created_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT DO NOTHING RETURNING id",
        &[
            name.into(),
            window.window_id.into(),
            secret::key_hash(&key).into(),
            fmt_ts(&at).into(),
        ],
    )?;
    let Some(id) = id.first().map(|r| r.int(0)) else {
        return Err(StoreError::Invalid(format!(
            "评价器「{name}」刚被另一操作登记，请刷新后查看"
        )));
    };
    Ok(NewPadDevice {
        device: device_by_id(db, id)?,
        key,
    })
}

impl Store {
    /// Registers a pad named `name` at the window; the returned key is shown once and never
    /// stored. Names are unique among active pads.
    pub fn register_pad_device(
        &mut self,
        window_id: i64,
        name: &str,
        at: NaiveDateTime,
    ) -> Result<NewPadDevice, StoreError> {
        let name = required(name, "评价器名称（如“一楼3号窗口评价器”）")?;
        self.tx(|db| register(db, window_id, name, at))
    }

    /// Registered pads in order of registration; revoked ones only with `include_revoked`.
    pub fn pad_devices(&mut self, include_revoked: bool) -> Result<Vec<PadDevice>, StoreError> {
        let filter = if include_revoked {
            "ORDER BY p.id"
        } else {
            "WHERE p.revoked_at IS NULL ORDER BY p.id"
        };
        devices_where(self.backend(), filter, &[])
    }

    /// The active pad holding `key`, or `None` (unknown or revoked key). Records the use in
    /// `last_seen_at` when the last record is older than [`SEEN_GRANULARITY_SECS`].
    pub fn resolve_pad_device(
        &mut self,
        key: &str,
        seen_at: NaiveDateTime,
    ) -> Result<Option<PadDevice>, StoreError> {
        if key.is_empty() || key.len() > MAX_KEY_LEN {
            return Ok(None);
        }
        let db = self.backend();
        let found = devices_where(
            db,
            "WHERE p.key_hash = ? AND p.revoked_at IS NULL",
            &[secret::key_hash(key).into()],
        )?;
        let Some(mut d) = found.into_iter().next() else {
            return Ok(None);
        };
        let stale = d
            .last_seen_at
            .as_deref()
            .and_then(|t| parse_datetime(t).ok())
            .is_none_or(|t| seen_at - t >= TimeDelta::seconds(SEEN_GRANULARITY_SECS));
        if stale {
            let now = fmt_ts(&seen_at);
            db.execute(
                "UPDATE pad_devices SET last_seen_at = ? WHERE id = ? AND revoked_at IS NULL",
                &[now.as_str().into(), d.id.into()],
            )?;
            d.last_seen_at = Some(now);
        }
        Ok(Some(d))
    }

    /// The pad `key` names: its number, or the name of an active pad.
    pub fn find_pad_device(&mut self, key: &str) -> Result<PadDevice, StoreError> {
        let key = key.trim();
        let db = self.backend();
        if let Ok(id) = key.trim_start_matches('#').parse::<i64>() {
            return device_by_id(db, id);
        }
        devices_where(
            db,
            "WHERE p.name = ? AND p.revoked_at IS NULL",
            &[key.into()],
        )?
        .pop()
        .ok_or_else(|| {
            StoreError::NotFound(format!(
                "没有名为「{key}」的在用评价器；可用 jianping qr device list 查看"
            ))
        })
    }

    /// Revokes pad `id`: its key stops working at once. Records who and why.
    pub fn revoke_pad_device(
        &mut self,
        id: i64,
        by: &str,
        reason: &str,
        at: NaiveDateTime,
    ) -> Result<PadDevice, StoreError> {
        let by = required(by, "作废人（--actor）")?;
        let reason = required(reason, "作废原因（--reason），如“设备遗失”")?;
        self.tx(|db| {
            let d = device_by_id(db, id)?;
            if let Some(when) = &d.revoked_at {
                return Err(StoreError::Invalid(format!(
                    "评价器「{}」已于 {when} 作废",
                    d.name
                )));
            }
            let n = db.execute(
                "UPDATE pad_devices SET revoked_at = ?, revoked_by = ?, revoke_reason = ? \
                 WHERE id = ? AND revoked_at IS NULL",
                &[fmt_ts(&at).into(), by.into(), reason.into(), id.into()],
            )?;
            if n == 0 {
                return Err(StoreError::Invalid(format!(
                    "评价器「{}」刚被另一操作作废",
                    d.name
                )));
            }
            device_by_id(db, id)
        })
    }
}
