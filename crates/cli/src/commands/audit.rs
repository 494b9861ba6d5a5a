//! `jianping audit ratings`.

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
    }
}
