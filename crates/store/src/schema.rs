//! Whether a database's schema is the one this binary was built for, read from refinery's
//! history table, for connections that do not migrate (a server's pool).

use crate::backend::{Backend, Dialect, RowExt};
use crate::error::StoreError;

const HISTORY: &str = "refinery_schema_history";

/// The versions of the migrations embedded in the binary.
pub(crate) fn versions(runner: &refinery::Runner) -> Vec<i64> {
    runner
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .collect()
}

/// Compares the applied migrations with the embedded ones.
pub(crate) fn check(db: &mut dyn Backend, embedded: &[i64]) -> Result<(), StoreError> {
    let exists_sql = match db.dialect() {
        Dialect::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        Dialect::Postgres => {
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?"
        }
    };
    let exists = db.query(exists_sql, &[HISTORY.into()])?;
    if exists.first().map_or(0, |r| r.int(0)) == 0 {
        return Err(StoreError::Open(format!(
            "{} 不是已初始化的监评数据库（没有迁移记录）：请先初始化数据库（重启服务时自动完成，\
             或运行 jianping migrate）",
            db.describe()
        )));
    }
    let applied: Vec<i64> = db
        .query(
            &format!("SELECT version FROM {HISTORY} ORDER BY version"),
            &[],
        )?
        .iter()
        .map(|r| r.int(0))
        .collect();
    let newest = embedded.iter().copied().max().unwrap_or(0);
    if let Some(ahead) = applied.iter().copied().filter(|v| *v > newest).max() {
        return Err(StoreError::Open(format!(
            "数据库结构版本（V{ahead}）比本程序新（本程序最高 V{newest}）：\
             该数据库已由更新版本的 jianping 迁移，请升级本程序后再连接"
        )));
    }
    let missing: Vec<String> = embedded
        .iter()
        .filter(|v| !applied.contains(v))
        .map(|v| format!("V{v}"))
        .collect();
    if !missing.is_empty() {
        return Err(StoreError::Open(format!(
            "数据库结构版本落后于本程序（尚未执行迁移 {}）：请重启 jianping 服务（启动时自动迁移），\
             或运行 jianping migrate 后再连接",
            missing.join("、")
        )));
    }
    Ok(())
}
