//! `jianping audit ratings` and `jianping audit prune-log`.

use crate::args::{AuditCommand, DbArgs};
use jianping_app::Config;
use jianping_app::audit::{self, AuditRequest};

pub fn run(db: &DbArgs, config: &Config, cmd: &AuditCommand) -> anyhow::Result<()> {
    match cmd {
        AuditCommand::Ratings(a) => {
            let req = AuditRequest {
                from: a.period.from,
                to: a.period.to,
                format: Some(super::stats::table_format(a.format)),
                alpha: a.alpha,
                correction: a.correction,
                min_ratings: a.min_ratings,
                min_effect_points: a.min_effect,
            };
            req.rules(config)?;
            let mut store = super::open_store(db)?;
            let t = audit::ratings(&mut store, config, &req, super::today())?;
            super::stats::emit(&t, a.output.output.as_deref())
        }
        AuditCommand::PruneLog(a) => {
            let days = match a.retention_days {
                Some(d) => jianping_app::audit_log::check_retention(d)?,
                None => jianping_app::audit_log::retention_days(config)?,
            };
            let mut store = super::open_store(db)?;
            let now = chrono::Local::now().naive_local();
            let p = jianping_app::audit_log::prune(&mut store, days, now, &a.archive)?;
            let cutoff = jianping_core::time::fmt_ts(&p.cutoff);
            match p.archive {
                Some(path) => println!(
                    "已归档并删除 {} 条 {cutoff} 之前的审计日志（保存期限 {days} 天），归档文件：{}",
                    p.removed,
                    path.display()
                ),
                None => println!("没有 {cutoff} 之前的审计日志（保存期限 {days} 天），无需清理"),
            }
            Ok(())
        }
    }
}
