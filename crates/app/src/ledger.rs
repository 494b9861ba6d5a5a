//! The rectification ledger as people ask for it: filters from text, and the sheet bureaus
//! circulate (序号, 问题来源, 问题描述, 责任单位, 整改措施, 整改时限, 整改状态, 反馈情况) as XLSX
//! for Excel/WPS/LibreOffice or as CSV.

use crate::error::{AppError, Result};
use anyhow::Context;
use chrono::NaiveDate;
use jianping_core::Period;
use jianping_core::ledger::{SourceKind, State};
use jianping_core::time::{fmt_date_cn, parse_date};
use jianping_store::ledger::{ItemView, LedgerFilter};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

/// A ledger filter as typed by a person: names and codes in Chinese or English.
#[derive(Debug, Clone, Default)]
pub struct LedgerQuery {
    pub department: Option<String>,
    pub source: Option<String>,
    pub state: Option<String>,
    pub overdue: bool,
    pub supervisor: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A topic category (热点问题 dictionary), suggested or corrected.
    pub topic: Option<String>,
}

impl LedgerQuery {
    pub fn filter(&self) -> Result<LedgerFilter> {
        let raised = match (self.from, self.to) {
            (None, None) => None,
            (f, t) => Some(
                Period::new(
                    f.unwrap_or(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)),
                    t.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)),
                )
                .map_err(AppError::usage)?,
            ),
        };
        Ok(LedgerFilter {
            department: self.department.clone().filter(|d| !d.trim().is_empty()),
            source: self
                .source
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(SourceKind::parse)
                .transpose()
                .map_err(AppError::usage)?,
            state: self
                .state
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(State::parse)
                .transpose()
                .map_err(AppError::usage)?,
            overdue: self.overdue,
            raised,
            supervisor: self.supervisor.clone().filter(|s| !s.trim().is_empty()),
            topic: self.topic.clone().filter(|t| !t.trim().is_empty()),
        })
    }
}

pub const SHEET_HEADER: [&str; 8] = [
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

/// One sheet row, masked (the store masks every text it hands out).
pub fn sheet_row(n: usize, it: &ItemView) -> [String; 8] {
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

/// The sheet reads oldest first, numbered from 1; `items` come newest first from the store.
fn oldest_first(items: &[ItemView]) -> impl Iterator<Item = (usize, &ItemView)> {
    items.iter().rev().enumerate().map(|(i, it)| (i + 1, it))
}

pub fn sheet_xlsx(items: &[ItemView]) -> Result<Vec<u8>> {
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
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
        for (c, (h, w)) in SHEET_HEADER.iter().zip(WIDTHS).enumerate() {
            let col = c as u16;
            ws.set_column_width(col, w)?;
            ws.write_string_with_format(0, col, *h, &head)?;
        }
        for (n, it) in oldest_first(items) {
            let r = n as u32;
            for (c, v) in sheet_row(n, it).iter().enumerate() {
                if c == 0 {
                    ws.write_number_with_format(r, 0, n as f64, &cell)?;
                } else {
                    ws.write_string_with_format(r, c as u16, v.as_str(), &cell)?;
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        wb.save_to_buffer()
    };
    Ok(build().context("生成 XLSX 失败")?)
}

/// UTF-8 with a BOM, so that Excel and WPS read the Chinese.
pub fn sheet_csv(items: &[ItemView]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(&SHEET_HEADER.join(","));
    out.push('\n');
    for (n, it) in oldest_first(items) {
        let cells: Vec<String> = sheet_row(n, it).iter().map(|c| text_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

/// A CSV cell of text that a spreadsheet must not run: text beginning with = + - @ (or a tab
/// or carriage return, which some programs skip before looking) gets a leading apostrophe,
/// so that a citizen's comment such as `=HYPERLINK(…)` stays text (CSV injection).
pub fn text_cell(c: &str) -> String {
    if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        csv_cell(&format!("'{c}"))
    } else {
        csv_cell(c)
    }
}

pub fn csv_cell(c: &str) -> String {
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c.to_string()
    }
}
