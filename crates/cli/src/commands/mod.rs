//! One module per subcommand.

mod audit;
mod backup;
mod bulletin;
mod calendar;
mod check;
mod demo;
mod import;
mod indicators;
mod ledger;
mod ledger_export;
mod qr;
mod qr_device;
mod report;
mod serve;
mod stats;
mod topics;
mod user;
mod verify;

use crate::args::{Cli, Command, DbArgs};
use anyhow::Context;
use chrono::{Local, NaiveDate};
use jianping_app::Config;
use jianping_store::Store;

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Verify(a) => verify::run(&cli.db, &a),
        Command::Backup(a) => backup::backup(&cli.db, &a),
        Command::Restore(a) => backup::restore(&cli.db, &a),
        Command::Migrate => {
            let store = open_store(&cli.db)?;
            println!("数据库结构已是最新版本（{}）", store.describe());
            Ok(())
        }
        Command::Audit(c) => audit::run(&cli.db, &config, &c),
        Command::Ledger(c) => ledger::run(&cli.db, c),
        Command::Calendar(c) => calendar::run(&cli.db, c),
        Command::Report(a) => report::run(&cli.db, &config, &a),
        Command::Stats(c) => stats::run(&cli.db, &config, &c),
        Command::Import(a) => import::run(&cli.db, &a),
        Command::Demo(a) => demo::run(&cli.db, &a),
        Command::Serve(a) => serve::run(&cli.db, &config, &a),
        Command::User(c) => user::run(&cli.db, c),
        Command::Qr(c) => qr::run(&cli.db, &config, c),
        Command::Check(c) => check::run(&config, &c),
        Command::Topics(c) => topics::dictionary(&cli.db, &c),
    }
}

pub fn open_store(db: &DbArgs) -> anyhow::Result<Store> {
    jianping_app::open_store(&db.db, db.database_url.as_deref()).context("打开数据库失败")
}

pub fn today() -> NaiveDate {
    Local::now().date_naive()
}
