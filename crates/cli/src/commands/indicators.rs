//! `jianping stats indicators|service`: scores, rankings and service statistics per
//! department or region, with the indicator configuration in effect.

use super::stats::{emit, table_format};
use crate::args::{DbArgs, IndicatorStatsArgs, ServiceStatsArgs, TableFormat, UnitBy};
use jianping_app::Config;
use jianping_app::stats::{self, StatsRequest};

fn unit(by: UnitBy) -> stats::UnitBy {
    match by {
        UnitBy::Department => stats::UnitBy::Department,
        UnitBy::Region => stats::UnitBy::Region,
    }
}

pub fn scores(db: &DbArgs, config: &Config, a: &IndicatorStatsArgs) -> anyhow::Result<()> {
    if a.show_config {
        let text = stats::indicator_config_text(config)?;
        return crate::output::write(a.output.output.as_deref(), text.as_bytes());
    }
    let req = StatsRequest {
        from: a.period.from,
        to: a.period.to,
        by: unit(a.by),
        format: table_format(a.format),
        precision: None,
        rounding: None,
    };
    config.indicator_config()?;
    jianping_app::settings::city(a.city.as_deref(), config)?;
    let mut store = super::open_store(db)?;
    let (t, system) =
        stats::indicators(&mut store, config, &req, a.city.as_deref(), super::today())?;
    if a.format != TableFormat::Json {
        eprintln!("{system}");
    }
    emit(&t, a.output.output.as_deref())
}

pub fn service(db: &DbArgs, config: &Config, a: &ServiceStatsArgs) -> anyhow::Result<()> {
    let req = StatsRequest {
        from: a.period.from,
        to: a.period.to,
        by: unit(a.by),
        format: table_format(a.format),
        precision: a.rate.precision,
        rounding: a.rate.rounding,
    };
    jianping_app::settings::rate_policy(req.precision, req.rounding, config)?;
    config.indicator_config()?;
    jianping_app::settings::city(a.city.as_deref(), config)?;
    let mut store = super::open_store(db)?;
    let t = stats::service(&mut store, config, &req, a.city.as_deref(), super::today())?;
    emit(&t, a.output.output.as_deref())
}
