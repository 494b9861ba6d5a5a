//! One module per subcommand.

mod bulletin;
mod calendar;
mod check;
mod demo;
mod import;
mod indicators;
mod ledger;
mod ledger_export;
mod report;
mod report_document;
mod stats;
mod topics;
mod verify;

use crate::args::{Cli, Command, DbArgs, PeriodArgs};
use crate::config::Config;
use anyhow::Context;
use chrono::{Datelike, Local, NaiveDate};
use jianping_core::Period;
use jianping_store::{Store, Target};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Verify(a) => verify::run(&cli.db, &a),
        Command::Ledger(c) => ledger::run(&cli.db, c),
        Command::Calendar(c) => calendar::run(&cli.db, c),
        Command::Report(a) => report::run(&cli.db, &config, &a),
        Command::Stats(c) => stats::run(&cli.db, &config, &c),
        Command::Import(a) => import::run(&cli.db, &a),
        Command::Demo(a) => demo::run(&cli.db, &a),
        Command::Check(c) => check::run(&config, &c),
        Command::Topics(c) => topics::dictionary(&cli.db, &c),
    }
}

pub fn open_store(db: &DbArgs) -> anyhow::Result<Store> {
    let target = match &db.database_url {
        Some(url) => Target::parse(url)?,
        None => Target::Sqlite(db.db.clone()),
    };
    Store::open(&target).with_context(|| "打开数据库失败".to_string())
}

pub fn period(p: &PeriodArgs) -> anyhow::Result<Period> {
    let today = Local::now().date_naive();
    let to = p.to.unwrap_or(today);
    let from = p
        .from
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    Period::new(from, to).map_err(anyhow::Error::msg)
}
