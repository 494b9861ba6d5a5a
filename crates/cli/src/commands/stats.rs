//! `jianping stats ratings|hotline` (indicators, service and topics have their own modules).

use crate::args::{DbArgs, HotlineBy, RatingBy, StatsCommand, TableFormat};
use jianping_app::Config;
use jianping_app::stats::{self, StatsRequest, Tabulated};
use jianping_core::hotline_kpi::HotlineGroup;
use jianping_store::queries::RatingGroup;

pub fn table_format(f: TableFormat) -> stats::TableFormat {
    match f {
        TableFormat::Table => stats::TableFormat::Table,
        TableFormat::Json => stats::TableFormat::Json,
        TableFormat::Csv => stats::TableFormat::Csv,
    }
}

/// Warnings on stderr, the answer where --output says.
pub fn emit(t: &Tabulated, output: Option<&std::path::Path>) -> anyhow::Result<()> {
    for w in &t.warnings {
        eprintln!("提示：{w}");
    }
    crate::output::write(output, &t.bytes)
}

/// A table, CSV or JSON answer of any command.
pub(super) fn render(
    format: TableFormat,
    json: impl FnOnce() -> serde_json::Result<String>,
    table: impl FnOnce() -> jianping_report::tabular::Table,
) -> anyhow::Result<Vec<u8>> {
    Ok(stats::tabulate(table_format(format), &[], json, table)?.bytes)
}

pub fn run(db: &DbArgs, config: &Config, cmd: &StatsCommand) -> anyhow::Result<()> {
    match cmd {
        StatsCommand::Ratings(a) => {
            let req = StatsRequest {
                from: a.period.from,
                to: a.period.to,
                by: match a.by {
                    RatingBy::Level => RatingGroup::Tier,
                    RatingBy::Channel => RatingGroup::Channel,
                    RatingBy::Department => RatingGroup::Department,
                    RatingBy::Window => RatingGroup::Window,
                    RatingBy::Month => RatingGroup::Month,
                    RatingBy::Region => RatingGroup::Region,
                },
                format: table_format(a.format),
                precision: a.rate.precision,
                rounding: a.rate.rounding,
            };
            jianping_app::settings::rate_policy(req.precision, req.rounding, config)?;
            let mut store = super::open_store(db)?;
            let t = stats::ratings(&mut store, config, &req, super::today())?;
            emit(&t, a.output.output.as_deref())
        }
        StatsCommand::Hotline(a) => {
            let req = StatsRequest {
                from: a.period.from,
                to: a.period.to,
                by: match a.by {
                    HotlineBy::Kind => HotlineGroup::Kind,
                    HotlineBy::Source => HotlineGroup::Source,
                    HotlineBy::Mode => HotlineGroup::Mode,
                    HotlineBy::Department => HotlineGroup::Department,
                },
                format: table_format(a.format),
                precision: a.rate.precision,
                rounding: a.rate.rounding,
            };
            jianping_app::settings::rate_policy(req.precision, req.rounding, config)?;
            let mut store = super::open_store(db)?;
            let t = stats::hotline(&mut store, config, &req, super::today())?;
            emit(&t, a.output.output.as_deref())
        }
        StatsCommand::Indicators(a) => super::indicators::scores(db, config, a),
        StatsCommand::Service(a) => super::indicators::service(db, config, a),
        StatsCommand::Topics(a) => super::topics::stats(db, config, a),
    }
}
