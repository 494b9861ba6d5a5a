//! `jianping`: the command line. Thin: parse arguments, call the application layer, print.

mod args;
mod commands;
mod output;

use clap::Parser;
use jianping_app::ErrorKind;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            // A bad argument value exits like clap's own usage errors.
            match jianping_app::error::kind_of(&e) {
                ErrorKind::Usage => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            }
        }
    }
}
