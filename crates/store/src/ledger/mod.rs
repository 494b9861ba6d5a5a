//! 问题整改台账 in the database: items created from every source, every step one
//! transaction with its event row, appeals that take a rating out of the statistics, and
//! the queries the bulletin and the annual report read.
//!
//! The rules (states, roles, deadlines) live in `jianping_core::ledger`; this module only
//! loads facts, asks [`jianping_core::ledger::plan`] and writes what it allows.

mod contact;
mod history;
mod read;
mod stats;
mod sync;
mod topics;
mod workflow;

pub use contact::{AccessEntry, Contact};
pub use history::{RatingFollowup, SourceMovement};
pub use read::{
    AppealView, CallbackView, EventView, ExtensionView, ItemDetail, ItemView, LedgerFilter,
};
pub use stats::{Counts, DepartmentLedgerCounts, ExcludedRating, SourceSummary};
pub use sync::{NewItem, SyncSummary};
pub use topics::{DictionaryOrigin, TopicAgreement, TopicReview};
pub use workflow::StepOutcome;

pub(crate) use sync::{after_import, register_qr_report, register_ratings};

use crate::backend::{Backend, RowExt};
use crate::{Store, StoreError};
use chrono::NaiveDateTime;
use jianping_core::access::Principal;
use jianping_core::calendar::{Calendar, DayKind, SpecialDay};
use jianping_core::ledger::{LedgerConfig, Role};
use jianping_core::time::{fmt_date, fmt_ts};

/// The principal's role in the ledger's state machine (admin → 局, clerk → 部门). Only
/// called after `authorize` allowed a step, which no other role is given.
pub(crate) fn ledger_role(p: &Principal) -> Result<Role, StoreError> {
    p.role
        .ledger_role()
        .ok_or_else(|| StoreError::Forbidden(format!("{}不能办理整改事项", p.role.name())))
}

/// An item's scope for `authorize`: its department and, for an item raised from a
/// supervisor's feedback, that supervisor. `alias` names the ledger_items table in `sql`.
pub(crate) fn scope_columns(alias: &str) -> String {
    format!(
        "{alias}.department_id, (SELECT f.supervisor_id FROM supervisor_feedback f
          WHERE {alias}.source_kind = 'feedback' AND f.id = {alias}.source_id)"
    )
}

const SETTINGS_KEY: &str = "ledger";

pub(crate) fn load_config(db: &mut dyn Backend) -> Result<LedgerConfig, StoreError> {
    let rows = db.query(
        "SELECT value FROM ledger_settings WHERE key = ?",
        &[SETTINGS_KEY.into()],
    )?;
    match rows.first() {
        None => Ok(LedgerConfig::default()),
        Some(r) => serde_json::from_str(&r.text(0)).map_err(|e| {
            StoreError::Invalid(format!(
                "数据库中的整改台账配置无法解析（{e}）；请用 jianping ledger config --file 重新设置"
            ))
        }),
    }
}

pub(crate) fn load_calendar(db: &mut dyn Backend) -> Result<Calendar, StoreError> {
    let rows = db.query(
        "SELECT day, kind, name FROM calendar_days ORDER BY day",
        &[],
    )?;
    let mut days = Vec::with_capacity(rows.len());
    for r in rows {
        let date = jianping_core::time::parse_date(&r.text(0)).map_err(StoreError::Invalid)?;
        let kind = DayKind::parse(&r.text(1)).map_err(StoreError::Invalid)?;
        days.push(SpecialDay {
            date,
            kind,
            name: r.text(2),
        });
    }
    Ok(Calendar::official().with_days(days))
}

impl Store {
    /// The ledger settings in force (the documented defaults until a bureau sets its own).
    pub fn ledger_config(&mut self) -> Result<LedgerConfig, StoreError> {
        load_config(self.backend())
    }

    pub fn set_ledger_config(&mut self, config: &LedgerConfig) -> Result<(), StoreError> {
        config.validate().map_err(StoreError::Invalid)?;
        let json = serde_json::to_string(config).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.tx(|db| {
            db.execute(
                "INSERT INTO ledger_settings (key, value) VALUES (?, ?)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[SETTINGS_KEY.into(), json.into()],
            )?;
            Ok::<_, StoreError>(())
        })
    }

    /// A department's id by its exact name; the error lists close names. For building a
    /// clerk's [`Principal`] from a name typed at the shell.
    pub fn department_by_name(&mut self, name: &str) -> Result<i64, StoreError> {
        workflow::department_id(self.backend(), name)
    }

    /// A supervisor's id by code (or, failing that, exact name).
    pub fn supervisor_by_code(&mut self, code: &str) -> Result<i64, StoreError> {
        let code = code.trim();
        let db = self.backend();
        if let Some(r) = db
            .query("SELECT id FROM supervisors WHERE code = ?", &[code.into()])?
            .first()
        {
            return Ok(r.int(0));
        }
        let rows = db.query("SELECT id FROM supervisors WHERE name = ?", &[code.into()])?;
        match rows.as_slice() {
            [one] => Ok(one.int(0)),
            [] => Err(StoreError::NotFound(format!(
                "没有编号或姓名为「{code}」的监督员；请先导入监督员名单（import supervision）或检查编号"
            ))),
            _ => Err(StoreError::Invalid(format!(
                "姓名为「{code}」的监督员不止一位，请改用监督员编号"
            ))),
        }
    }

    /// The shipped State Council calendar with the bureau's imported days on top.
    pub fn calendar(&mut self) -> Result<Calendar, StoreError> {
        load_calendar(self.backend())
    }

    /// Stores days that override the shipped calendar; a day imported again is replaced.
    /// Returns how many days were written.
    pub fn import_calendar(
        &mut self,
        days: &[SpecialDay],
        at: NaiveDateTime,
    ) -> Result<usize, StoreError> {
        self.tx(|db| {
            for d in days {
                db.execute(
                    "INSERT INTO calendar_days (day, kind, name, imported_at) VALUES (?, ?, ?, ?)
                     ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                         imported_at = excluded.imported_at",
                    &[
                        fmt_date(&d.date).into(),
                        d.kind.name().into(),
                        d.name.as_str().into(),
                        fmt_ts(&at).into(),
                    ],
                )?;
            }
            Ok::<_, StoreError>(days.len())
        })
    }
}
