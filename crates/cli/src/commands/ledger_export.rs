//! `jianping ledger export`: the sheet bureaus circulate (序号, 问题来源, 问题描述, 责任单位,
//! 整改措施, 整改时限, 整改状态, 反馈情况), as XLSX for Excel/WPS/LibreOffice or as CSV.

use super::ledger::{filter, shell_reader, today};
use crate::args::{LedgerExportArgs, LedgerExportFormat};
use anyhow::Context;
use jianping_core::ledger::SourceKind;
use jianping_core::time::{fmt_date_cn, parse_date};
use jianping_store::Store;
use jianping_store::ledger::ItemView;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

pub const HEADER: [&str; 8] = [
    "序号",
    "问题来源",
    "问题描述",
    "责任单位",
    "整改措施",
    "整改时限",
    "整改状态",
    "反馈情况",
];

const WIDTHS: [f64; 8] = [6.0, 14.0, 48.0, 24.0, 40.0, 14.0, 18.0, 30.0];

pub fn run(store: &mut Store, a: &LedgerExportArgs) -> anyhow::Result<()> {
    let mut items =
        store.ledger_items(&shell_reader(), &filter(&a.filter)?, today(a.filter.today))?;
    // The circulated sheet reads oldest first, numbered from 1.
    items.reverse();
    match a.format {
        LedgerExportFormat::Xlsx => {
            let path = a
                .output
                .as_deref()
                .context("导出 XLSX 须用 --output 指定文件，如 --output 整改台账.xlsx")?;
            let bytes = xlsx(&items)?;
            crate::output::write(Some(path), &bytes)?;
        }
        LedgerExportFormat::Csv => {
            let mut out = String::from("\u{feff}");
            out.push_str(&HEADER.join(","));
            out.push('\n');
            for (n, it) in items.iter().enumerate() {
                let cells: Vec<String> = row(n + 1, it).iter().map(|c| csv_cell(c)).collect();
                out.push_str(&cells.join(","));
                out.push('\n');
            }
            crate::output::write(a.output.as_deref(), out.as_bytes())?;
        }
    }
    eprintln!("共导出 {} 件整改事项", items.len());
    Ok(())
}

/// One sheet row, masked (the store masks every text it hands out).
pub fn row(n: usize, it: &ItemView) -> [String; 8] {
    let source = match &it.source_no {
        Some(no) if it.source != SourceKind::Manual => format!("{}（{no}）", it.source.name()),
        _ => it.source.name().to_string(),
    };
    let description = match (&it.description, it.source) {
        (Some(d), SourceKind::Rating | SourceKind::Manual) => format!("{}。{d}", it.title),
        (Some(d), _) => d.clone(),
        (None, _) => it.title.clone(),
    };
    let due = it
        .due_on
        .as_deref()
        .and_then(|d| parse_date(d).ok())
        .map_or_else(|| "—".to_string(), |d| fmt_date_cn(&d));
    [
        n.to_string(),
        source,
        description,
        it.department.clone().unwrap_or_else(|| "（未指定）".into()),
        it.measures.clone().unwrap_or_default(),
        due,
        it.state_label(),
        it.feedback.clone().unwrap_or_default(),
    ]
}

fn xlsx(items: &[ItemView]) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name("整改台账")?;
    for (c, (h, w)) in HEADER.iter().zip(WIDTHS).enumerate() {
        let col = c as u16;
        ws.set_column_width(col, w)?;
        ws.write_string_with_format(0, col, *h, &head)?;
    }
    for (i, it) in items.iter().enumerate() {
        let r = (i + 1) as u32;
        for (c, v) in row(i + 1, it).iter().enumerate() {
            if c == 0 {
                ws.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
            } else {
                ws.write_string_with_format(r, c as u16, v.as_str(), &cell)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer().context("生成 XLSX 失败")
}

fn csv_cell(c: &str) -> String {
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c.to_string()
    }
}
