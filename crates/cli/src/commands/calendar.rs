//! `jianping calendar`: working-day arithmetic on the official calendar.

use crate::args::{CalendarCommand, DbArgs};
use anyhow::Context;
use chrono::Datelike;
use jianping_core::calendar::{Calendar, parse_csv, weekday_cn};
use jianping_core::time::{fmt_date, fmt_date_cn};

pub fn run(db: &DbArgs, cmd: CalendarCommand) -> anyhow::Result<()> {
    match cmd {
        CalendarCommand::AddWorkdays(a) => {
            let cal = calendar(db)?;
            let d = cal.add_workdays(a.date, a.days);
            let mut years = vec![a.date.year(), d.year()];
            years.dedup();
            warn_uncovered(&cal, &years);
            println!("{}", fmt_date(&d));
            Ok(())
        }
        CalendarCommand::Show(a) => {
            let cal = calendar(db)?;
            let s = cal.year_summary(a.year);
            if a.json {
                println!("{}", serde_json::to_string_pretty(&s)?);
                return Ok(());
            }
            if !s.known {
                anyhow::bail!(
                    "没有 {} 年的节假日安排：内置数据为 2020—2026 年；国务院办公厅公布新一年的安排后，请用 jianping calendar import 文件 导入（格式见 docs/ledger.md）",
                    a.year
                );
            }
            println!(
                "{} 年法定节假日与调休安排（全年工作日 {} 天）",
                a.year, s.working_days
            );
            println!("放假：");
            for b in &s.holidays {
                let range = if b.first == b.last {
                    format!("{}（{}）", month_day(b.first, a.year), weekday_cn(b.first))
                } else {
                    format!(
                        "{}（{}）至{}（{}）",
                        month_day(b.first, a.year),
                        weekday_cn(b.first),
                        month_day(b.last, a.year),
                        weekday_cn(b.last)
                    )
                };
                println!("  {}：{}，共{}天", b.name, range, b.days);
            }
            println!("调休上班：");
            if s.workdays.is_empty() {
                println!("  无");
            }
            for d in &s.workdays {
                println!(
                    "  {}（{}）上班（{}）",
                    month_day(d.date, a.year),
                    weekday_cn(d.date),
                    d.name
                );
            }
            Ok(())
        }
        CalendarCommand::Import(a) => {
            let text = std::fs::read_to_string(&a.file)
                .with_context(|| format!("无法读取文件 {}（应为 UTF-8 文本）", a.file.display()))?;
            let days =
                parse_csv(&text).map_err(|e| anyhow::anyhow!("{}：{e}", a.file.display()))?;
            anyhow::ensure!(
                !days.is_empty(),
                "{} 中没有日期行；格式为每行 日期,休或班,节日名称，如 2027-01-01,休,元旦",
                a.file.display()
            );
            let mut store = super::open_store(db)?;
            let n = store.import_calendar(&days, chrono::Local::now().naive_local())?;
            let mut years: Vec<i32> = days.iter().map(|d| d.notice_year()).collect();
            years.dedup();
            println!(
                "已导入 {n} 天（{} 年），与内置数据同一天的以导入为准（{}）",
                years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join("、"),
                store.describe()
            );
            Ok(())
        }
    }
}

/// The shipped calendar plus the database's imported days when a database is configured
/// and exists; working-day arithmetic never creates a database file.
fn calendar(db: &DbArgs) -> anyhow::Result<Calendar> {
    if db.database_url.is_none() && !db.db.exists() {
        return Ok(Calendar::official());
    }
    let mut store = super::open_store(db)?;
    Ok(store.calendar()?)
}

/// "10月7日", with the year only when it is not the year shown (2022年12月31日 in 2023).
fn month_day(d: chrono::NaiveDate, year: i32) -> String {
    if d.year() == year {
        format!("{}月{}日", d.month(), d.day())
    } else {
        fmt_date_cn(&d)
    }
}

fn warn_uncovered(cal: &Calendar, years: &[i32]) {
    for y in years {
        if !cal.covers(*y) {
            eprintln!(
                "注意：没有 {y} 年的节假日安排，只按周末计算；请用 jianping calendar import 导入该年安排"
            );
        }
    }
}
