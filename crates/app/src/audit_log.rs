//! Retention of the platform's audit log (`jianping audit prune-log`): rows older than the
//! retention are written to an archive file first (CSV, UTF-8 with a BOM for Excel and WPS)
//! and then removed, in one transaction. 等保 2.0 asks for at least six months of audit
//! records, so no setting keeps less than [`MIN_RETENTION_DAYS`].

use crate::config::Config;
use crate::error::{AppError, Result};
use crate::ledger::{csv_cell, text_cell};
use chrono::{Duration, NaiveDateTime};
use jianping_store::Store;
use jianping_store::accounts::AuditEntry;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Six months, rounded up (183 days covers any six consecutive calendar months).
pub const MIN_RETENTION_DAYS: u32 = 183;

/// `[audit_log] retention_days`, checked; the minimum when absent.
pub fn retention_days(config: &Config) -> Result<u32> {
    let days = config
        .audit_log
        .retention_days
        .unwrap_or(MIN_RETENTION_DAYS);
    check_retention(days)
}

/// Refuses less than six months, whoever asks (the configuration or a command-line flag).
pub fn check_retention(days: u32) -> Result<u32> {
    if days < MIN_RETENTION_DAYS {
        return Err(AppError::Invalid(format!(
            "审计日志保存期限 {days} 天过短：等保 2.0 要求审计记录至少保存 6 个月，请设为不少于 {MIN_RETENTION_DAYS} 天（配置 [audit_log] retention_days）"
        )));
    }
    Ok(days)
}

/// What a prune did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pruned {
    /// Rows written before this were removed.
    pub cutoff: NaiveDateTime,
    pub removed: usize,
    /// The archive written, when there was anything to remove.
    pub archive: Option<PathBuf>,
}

const HEADER: [&str; 9] = [
    "编号",
    "时间",
    "用户编号",
    "用户名",
    "角色",
    "操作",
    "对象",
    "说明",
    "来源地址",
];

/// The archive's bytes: UTF-8 with a BOM; text cells guarded against spreadsheet formulas.
pub fn archive_csv(rows: &[AuditEntry]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADER.join(","));
    out.push('\n');
    for e in rows {
        let opt = |v: &Option<String>| text_cell(v.as_deref().unwrap_or(""));
        let cells = [
            e.id.to_string(),
            csv_cell(&e.at),
            e.user_id.map(|i| i.to_string()).unwrap_or_default(),
            text_cell(&e.username),
            text_cell(&e.role),
            text_cell(&e.action),
            opt(&e.target),
            opt(&e.detail),
            opt(&e.address),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

/// Writes the archive durably before anything is deleted: a partial file renamed into
/// place after fsync, so a crash leaves either no archive or a whole one.
fn write_archive(path: &Path, rows: &[AuditEntry]) -> Result<()> {
    let partial = path.with_extension("csv.partial");
    let io = |e: std::io::Error| {
        AppError::Unavailable(format!(
            "无法写入审计日志归档 {}：{e}；未删除任何记录",
            path.display()
        ))
    };
    let mut f = std::fs::File::create(&partial).map_err(io)?;
    f.write_all(&archive_csv(rows)).map_err(io)?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&partial, path).map_err(io)?;
    Ok(())
}

/// Archives to `archive` and removes the rows older than `retention_days` before `now`.
/// The archive must not exist yet: an earlier archive is never overwritten.
pub fn prune(
    store: &mut Store,
    retention_days: u32,
    now: NaiveDateTime,
    archive: &Path,
) -> Result<Pruned> {
    let days = check_retention(retention_days)?;
    if archive.exists() {
        return Err(AppError::Usage(format!(
            "归档文件 {} 已存在，请换一个文件名（不覆盖已有归档）",
            archive.display()
        )));
    }
    let cutoff = now - Duration::days(i64::from(days));
    let mut written = false;
    let removed = store.prune_audit_log(cutoff, |rows| {
        write_archive(archive, rows)?;
        written = true;
        Ok::<(), AppError>(())
    })?;
    Ok(Pruned {
        cutoff,
        removed,
        archive: written.then(|| archive.to_path_buf()),
    })
}
