//! Backup and restore of a SQLite store while the server runs.
//!
//! A backup is `VACUUM INTO`: SQLite writes a transactionally consistent, compacted copy
//! from one read transaction, so the intake and the pages keep writing meanwhile (WAL
//! readers do not block writers). PostgreSQL has `pg_dump`, which does the same from one
//! snapshot; docs/operations.md gives the commands, and this module says so instead of
//! half-doing it.
//!
//! A restore refuses a file that is not an intact jianping database, refuses to replace a
//! database someone has open, and swaps the file in with a rename so that a crash leaves
//! either the old database or the new one, never a mix.

use crate::error::StoreError;
use crate::{Store, Target};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// What a backup or a restore contains, to print and to compare.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupSummary {
    pub path: PathBuf,
    pub bytes: u64,
    pub ratings: i64,
    pub tickets: i64,
    pub ledger_items: i64,
    pub schema_version: i64,
}

const PG_ADVICE: &str = "PostgreSQL 数据库请用 pg_dump 备份、pg_restore 恢复（命令见 docs/operations.md），\
                         jianping backup/restore 只处理 SQLite 数据库文件";

impl Store {
    /// Writes a consistent copy of this SQLite database to `dest` (which must not exist).
    pub fn backup_to(&mut self, dest: &Path) -> Result<BackupSummary, StoreError> {
        if self.dialect() != crate::Dialect::Sqlite {
            return Err(StoreError::Invalid(PG_ADVICE.into()));
        }
        if dest.exists() {
            return Err(StoreError::Invalid(format!(
                "备份文件 {} 已存在：请换一个文件名，或先移走旧的备份",
                dest.display()
            )));
        }
        let dest_str = dest.to_str().ok_or_else(|| {
            StoreError::Invalid(format!("备份路径 {} 含无法识别的字符", dest.display()))
        })?;
        // Written under a temporary name first, so an interrupted backup never looks like a
        // finished one.
        let partial = partial_path(dest);
        let _ = std::fs::remove_file(&partial);
        let partial_str = partial.to_string_lossy().into_owned();
        self.backend()
            .execute("VACUUM INTO ?1", &[partial_str.as_str().into()])
            .map_err(|e| StoreError::Open(format!("备份失败（写入 {dest_str}）：{e}")))?;
        std::fs::rename(&partial, dest)
            .map_err(|e| StoreError::Open(format!("备份文件改名失败：{e}")))?;
        summarize(dest)
    }
}

/// Replaces the SQLite database at `target` with the backup at `backup`.
///
/// `replace` must be set when `target` exists. The backup is checked first (SQLite's
/// integrity check, and that it is a jianping database this binary can read), and the
/// current database must not be open elsewhere: stop `jianping serve` before restoring.
pub fn restore(backup: &Path, target: &Path, replace: bool) -> Result<BackupSummary, StoreError> {
    if !backup.is_file() {
        return Err(StoreError::Invalid(format!(
            "备份文件 {} 不存在",
            backup.display()
        )));
    }
    check_backup(backup)?;
    if target.exists() {
        if !replace {
            return Err(StoreError::Invalid(format!(
                "数据库 {} 已存在：确认要用备份覆盖它时，请加 --replace",
                target.display()
            )));
        }
        ensure_unused(target)?;
    }
    let staged = partial_path(target);
    std::fs::copy(backup, &staged)
        .map_err(|e| StoreError::Open(format!("复制备份到 {} 失败：{e}", staged.display())))?;
    std::fs::File::open(&staged)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Open(format!("写入磁盘失败：{e}")))?;
    // A WAL or shared-memory file left by the old database would be replayed onto the new
    // one: they go before the new file takes the name.
    for suffix in ["-wal", "-shm"] {
        let side = sidecar(target, suffix);
        if side.exists() {
            std::fs::remove_file(&side)
                .map_err(|e| StoreError::Open(format!("无法删除 {}：{e}", side.display())))?;
        }
    }
    std::fs::rename(&staged, target)
        .map_err(|e| StoreError::Open(format!("替换数据库文件失败：{e}")))?;
    // Brings an older backup up to this binary's schema.
    Store::migrate(&Target::Sqlite(target.to_path_buf()))?;
    summarize(target)
}

fn check_backup(path: &Path) -> Result<(), StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| not_a_backup(path, &e.to_string()))?;
    if ok != "ok" {
        return Err(not_a_backup(path, &format!("完整性检查未通过：{ok}")));
    }
    let has_history: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = 'refinery_schema_history'",
        [],
        |r| r.get(0),
    )?;
    if has_history == 0 {
        return Err(not_a_backup(path, "不是监评数据库"));
    }
    Ok(())
}

fn not_a_backup(path: &Path, why: &str) -> StoreError {
    StoreError::Invalid(format!("{} 不能用于恢复：{why}", path.display()))
}

/// Fails when another connection (a running server) has the database open. In WAL mode an
/// idle connection holds no lock a `BEGIN EXCLUSIVE` would meet, but leaving WAL mode needs
/// every other connection closed: the file is about to be replaced, so its mode may change.
fn ensure_unused(path: &Path) -> Result<(), StoreError> {
    let in_use = || {
        StoreError::Conflict(format!(
            "数据库 {} 正在被使用：请先停止 jianping serve 等程序，再恢复",
            path.display()
        ))
    };
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::ZERO)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .map_err(|_| in_use())?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(in_use());
    }
    Ok(())
}

fn summarize(path: &Path) -> Result<BackupSummary, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let count = |table: &str| -> Result<i64, StoreError> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(BackupSummary {
        path: path.to_path_buf(),
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        ratings: count("ratings")?,
        tickets: count("tickets")?,
        ledger_items: count("ledger_items")?,
        schema_version: conn.query_row(
            "SELECT coalesce(max(version), 0) FROM refinery_schema_history",
            [],
            |r| r.get(0),
        )?,
    })
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn partial_path(path: &Path) -> PathBuf {
    sidecar(path, ".partial")
}
