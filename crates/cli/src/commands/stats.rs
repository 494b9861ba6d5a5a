//! `jianping stats ratings|hotline` (indicators, service and topics have their own modules).

use super::report::rate_policy;
use crate::args::{DbArgs, HotlineBy, RatingBy, StatsCommand, TableFormat};
use crate::config::Config;
use jianping_core::hotline_kpi::HotlineGroup;
use jianping_report::stats::{hotline_stats, rating_stats};
use jianping_report::tabular::Table;
use jianping_store::queries::RatingGroup;

fn render(
    format: TableFormat,
    json: impl FnOnce() -> serde_json::Result<String>,
    table: impl FnOnce() -> Table,
) -> anyhow::Result<Vec<u8>> {
    Ok(match format {
        TableFormat::Table => table().to_text().into_bytes(),
        TableFormat::Csv => table().to_csv(),
        TableFormat::Json => {
            let mut s = json()?;
            s.push('\n');
            s.into_bytes()
        }
    })
}

pub fn run(db: &DbArgs, config: &Config, cmd: &StatsCommand) -> anyhow::Result<()> {
    match cmd {
        StatsCommand::Ratings(a) => {
            let group = match a.by {
                RatingBy::Level => RatingGroup::Tier,
                RatingBy::Channel => RatingGroup::Channel,
                RatingBy::Department => RatingGroup::Department,
                RatingBy::Window => RatingGroup::Window,
                RatingBy::Month => RatingGroup::Month,
                RatingBy::Region => RatingGroup::Region,
            };
            let policy = rate_policy(&a.rate, config)?;
            let period = super::period(&a.period)?;
            let mut store = super::open_store(db)?;
            let stats = rating_stats(&mut store, &period, group, &policy, &config.grade_sets()?)?;
            let bytes = render(
                a.format,
                || serde_json::to_string_pretty(&stats),
                || stats.table(),
            )?;
            crate::output::write(a.output.output.as_deref(), &bytes)
        }
        StatsCommand::Hotline(a) => {
            let by = match a.by {
                HotlineBy::Kind => HotlineGroup::Kind,
                HotlineBy::Source => HotlineGroup::Source,
                HotlineBy::Mode => HotlineGroup::Mode,
                HotlineBy::Department => HotlineGroup::Department,
            };
            let policy = rate_policy(&a.rate, config)?;
            let period = super::period(&a.period)?;
            let mut store = super::open_store(db)?;
            let stats = hotline_stats(&mut store, &period, by, &policy)?;
            if a.format != TableFormat::Json {
                for w in &stats.warnings {
                    eprintln!("提示：{}", w.message);
                }
            }
            let bytes = render(
                a.format,
                || serde_json::to_string_pretty(&stats),
                || stats.table(),
            )?;
            crate::output::write(a.output.output.as_deref(), &bytes)
        }
        StatsCommand::Indicators(a) => super::indicators::scores(db, config, a),
        StatsCommand::Service(a) => super::indicators::service(db, config, a),
        StatsCommand::Topics(a) => super::topics::stats(db, config, a),
    }
}
