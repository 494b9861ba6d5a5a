//! `jianping report monthly`: the monthly bulletin (月度通报).

use super::report::{format, require_output, write};
use crate::args::{BulletinRanking, DbArgs, ReportArgs};
use jianping_app::bulletin::{self, BulletinRequest};
use jianping_app::{AppError, Config};

pub fn run(db: &DbArgs, config: &Config, a: &ReportArgs) -> anyhow::Result<()> {
    if a.center_hall.is_some() {
        return Err(AppError::usage("--center-hall 只用于年度报告").into());
    }
    let req = BulletinRequest {
        month: a.month.clone(),
        from: a.period.from,
        to: a.period.to,
        as_of: a.as_of,
        format: format(a.format),
        precision: a.rate.precision,
        rounding: a.rate.rounding,
        city: a.city.clone(),
        min_ratings: a.min_ratings,
        ranking: a.ranking.map(|r| match r {
            BulletinRanking::Indicators => bulletin::BulletinRanking::Indicators,
            BulletinRanking::Satisfaction => bulletin::BulletinRanking::Satisfaction,
        }),
        templates: a.templates.clone(),
    };
    // Mistakes in the request fail before the store is opened.
    req.period(super::today())?;
    jianping_app::settings::rate_policy(req.precision, req.rounding, config)?;
    jianping_app::settings::city(req.city.as_deref(), config)?;
    require_output(a, "通报.docx")?;
    let mut store = super::open_store(db)?;
    let rendered = bulletin::bulletin(&mut store, config, &req, super::today())?;
    write(&rendered, a.output.output.as_deref())
}
