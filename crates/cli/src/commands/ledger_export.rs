//! `jianping ledger export`: the sheet bureaus circulate, as XLSX or CSV.

use super::ledger::{filter, shell_reader, today};
use crate::args::{LedgerExportArgs, LedgerExportFormat};
use anyhow::Context;
use jianping_app::ledger::{sheet_csv, sheet_xlsx};
use jianping_store::Store;

pub fn run(store: &mut Store, a: &LedgerExportArgs) -> anyhow::Result<()> {
    let items = store.ledger_items(&shell_reader(), &filter(&a.filter)?, today(a.filter.today))?;
    match a.format {
        LedgerExportFormat::Xlsx => {
            let path = a
                .output
                .as_deref()
                .context("导出 XLSX 须用 --output 指定文件，如 --output 整改台账.xlsx")?;
            crate::output::write(Some(path), &sheet_xlsx(&items)?)?;
        }
        LedgerExportFormat::Csv => {
            crate::output::write(a.output.as_deref(), &sheet_csv(&items))?;
        }
    }
    eprintln!("共导出 {} 件整改事项", items.len());
    Ok(())
}
