//! `jianping backup` and `jianping restore` (SQLite; PostgreSQL uses pg_dump).

use crate::args::{BackupArgs, DbArgs, RestoreArgs};
use jianping_store::backup::BackupSummary;

pub fn backup(db: &DbArgs, args: &BackupArgs) -> anyhow::Result<()> {
    if db.database_url.is_some() {
        anyhow::bail!(
            "PostgreSQL 数据库请用 pg_dump 备份（如 pg_dump -Fc -f city.dump \"$JIANPING_DATABASE_URL\"，见 docs/operations.md）"
        );
    }
    anyhow::ensure!(
        db.db.exists(),
        "数据库文件 {} 不存在：请用 --db 指定要备份的数据库",
        db.db.display()
    );
    let mut store = super::open_store(db)?;
    let summary = store.backup_to(&args.output)?;
    print_summary("已备份", &summary);
    Ok(())
}

pub fn restore(db: &DbArgs, args: &RestoreArgs) -> anyhow::Result<()> {
    if db.database_url.is_some() {
        anyhow::bail!(
            "PostgreSQL 数据库请用 pg_restore 恢复（如 pg_restore --clean -d \"$JIANPING_DATABASE_URL\" city.dump，见 docs/operations.md）"
        );
    }
    let summary = jianping_store::backup::restore(&args.backup, &db.db, args.replace)?;
    print_summary("已恢复", &summary);
    println!(
        "建议接着运行 jianping verify --db {} 核对汇总表",
        db.db.display()
    );
    Ok(())
}

fn print_summary(what: &str, s: &BackupSummary) {
    println!(
        "{what}：{}（{:.1} MB，结构版本 V{}）：评价 {} 条，12345工单 {} 件，整改事项 {} 项",
        s.path.display(),
        s.bytes as f64 / 1_048_576.0,
        s.schema_version,
        s.ratings,
        s.tickets,
        s.ledger_items
    );
}
