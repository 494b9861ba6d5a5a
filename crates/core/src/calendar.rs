//! The official working-day calendar: weekends, public holidays and the make-up working days
//! (调休) the State Council publishes each year (国务院办公厅关于…部分节假日安排的通知).
//!
//! The notices for 2020–2026 ship inside the binary (`data/holidays.csv`); a bureau adds a
//! new year, or corrects a day, by importing a file in the same format, whose days override
//! the shipped ones. A day not listed is a working day from Monday to Friday and a rest day
//! on Saturday and Sunday.

use crate::time::fmt_date;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The State Council notices 2020–2026, one day per line.
pub const SHIPPED_CSV: &str = include_str!("../data/holidays.csv");

/// What a listed day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DayKind {
    /// 休: a holiday (including weekend days inside a holiday block).
    Rest,
    /// 班: a make-up working day on a weekend.
    Work,
}

impl DayKind {
    pub fn name(self) -> &'static str {
        match self {
            DayKind::Rest => "休",
            DayKind::Work => "班",
        }
    }

    pub fn parse(text: &str) -> Result<DayKind, String> {
        match text.trim() {
            "休" | "放假" | "rest" | "holiday" => Ok(DayKind::Rest),
            "班" | "上班" | "补班" | "work" | "workday" => Ok(DayKind::Work),
            other => Err(format!("无法识别的日期类别「{other}」，应为 休 或 班")),
        }
    }
}

/// One day the notices name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday it belongs to, e.g. 国庆节.
    pub name: String,
}

impl SpecialDay {
    /// The year whose notice lists this day: the 元旦 block can start on 31 December of
    /// the year before (2022-12-31 is in the 2023 notice).
    pub fn notice_year(&self) -> i32 {
        if self.date.month() == 12 && self.date.day() == 31 && self.name.contains("元旦") {
            self.date.year() + 1
        } else {
            self.date.year()
        }
    }
}

/// Parses `date,kind,name` lines. `#` starts a comment line; a header line starting with
/// `date` or `日期` is skipped. Errors name the line, so a bureau can fix its file.
pub fn parse_csv(text: &str) -> Result<Vec<SpecialDay>, String> {
    let mut out = Vec::new();
    let mut seen = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim().trim_start_matches('\u{feff}');
        let lower = line.to_ascii_lowercase();
        if line.is_empty() || line.starts_with('#') || lower.starts_with("date") {
            continue;
        }
        if line.starts_with("日期") {
            continue;
        }
        let fields: Vec<&str> = line.split([',', '，', '\t']).map(str::trim).collect();
        if fields.len() < 2 {
            return Err(format!(
                "第 {} 行「{line}」格式不对：应为 日期,休或班,节日名称，如 2023-10-07,班,国庆节",
                i + 1
            ));
        }
        let date =
            crate::time::parse_date(fields[0]).map_err(|e| format!("第 {} 行：{e}", i + 1))?;
        let kind = DayKind::parse(fields[1]).map_err(|e| format!("第 {} 行：{e}", i + 1))?;
        let name = fields.get(2).copied().unwrap_or("").to_string();
        if let Some(prev) = seen.insert(date, i + 1) {
            return Err(format!(
                "第 {} 行的日期 {} 与第 {prev} 行重复，请只保留一行",
                i + 1,
                fmt_date(&date)
            ));
        }
        out.push(SpecialDay { date, kind, name });
    }
    Ok(out)
}

/// Working days on the official calendar.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, SpecialDay>,
    /// Years for which a notice is known (shipped or imported).
    years: BTreeSet<i32>,
}

impl Calendar {
    /// The shipped State Council data. The file is compiled in and checked by the tests, so
    /// a parse failure here is a build defect, not a user error.
    pub fn official() -> Calendar {
        let days = parse_csv(SHIPPED_CSV).expect("data/holidays.csv is valid (checked by tests)");
        Calendar::default().with_days(days)
    }

    /// Adds or replaces days (an imported file overrides the shipped data day by day).
    pub fn with_days(mut self, days: impl IntoIterator<Item = SpecialDay>) -> Calendar {
        for d in days {
            self.years.insert(d.notice_year());
            self.days.insert(d.date, d);
        }
        self
    }

    /// Whether a notice for `year` is loaded; without one only weekends are known.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    pub fn special(&self, date: NaiveDate) -> Option<&SpecialDay> {
        self.days.get(&date)
    }

    pub fn is_workday(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(d) => d.kind == DayKind::Work,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`-th working day after `date` (`date` itself is not counted: a deadline of one
    /// working day for something raised on 2023-09-28 is 2023-10-07, after the National Day
    /// holiday). With `n = 0`, `date` itself.
    pub fn add_workdays(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_workday(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days in `(from, to]`; negative when `to` is before `from`
    /// (`workdays_between(a, add_workdays(a, n)) == n`).
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.workdays_between(to, from);
        }
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_workday(d) {
                n += 1;
            }
        }
        n
    }

    /// The listed days of a year, in date order (the 元旦 day on 31 December of the year
    /// before is included in the new year).
    pub fn year_days(&self, year: i32) -> Vec<&SpecialDay> {
        let from = NaiveDate::from_ymd_opt(year - 1, 12, 31).unwrap_or(NaiveDate::MIN);
        let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        self.days
            .range(from..=to)
            .map(|(_, d)| d)
            .filter(|d| d.notice_year() == year)
            .collect()
    }

    /// The year's holidays as blocks (name, first day, last day, days) and the make-up
    /// working days, as a notice lists them.
    pub fn year_summary(&self, year: i32) -> YearSummary {
        let mut holidays: Vec<HolidayBlock> = Vec::new();
        let mut workdays = Vec::new();
        for d in self.year_days(year) {
            match d.kind {
                DayKind::Work => workdays.push(d.clone()),
                DayKind::Rest => match holidays.last_mut() {
                    Some(b) if b.name == d.name && b.last + Duration::days(1) == d.date => {
                        b.last = d.date;
                        b.days += 1;
                    }
                    _ => holidays.push(HolidayBlock {
                        name: d.name.clone(),
                        first: d.date,
                        last: d.date,
                        days: 1,
                    }),
                },
            }
        }
        let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let working_days = self.workdays_between(start - Duration::days(1), end);
        YearSummary {
            year,
            known: self.covers(year),
            holidays,
            workdays,
            working_days,
        }
    }
}

/// A run of consecutive rest days under one holiday name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HolidayBlock {
    pub name: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearSummary {
    pub year: i32,
    /// False when no notice for the year is loaded (only weekends are known).
    pub known: bool,
    pub holidays: Vec<HolidayBlock>,
    pub workdays: Vec<SpecialDay>,
    /// Working days in the year.
    pub working_days: i64,
}

pub fn weekday_cn(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn shipped_data_parses_and_covers_2020_to_2026() {
        let c = Calendar::official();
        let years: Vec<i32> = c.years().collect();
        assert_eq!(years, (2020..=2026).collect::<Vec<_>>());
        // Every 班 day is a weekend day, every notice has one.
        for day in parse_csv(SHIPPED_CSV).unwrap() {
            if day.kind == DayKind::Work {
                assert!(
                    matches!(day.date.weekday(), Weekday::Sat | Weekday::Sun),
                    "{day:?}"
                );
            }
            assert!(!day.name.is_empty(), "{day:?}");
        }
    }

    #[test]
    fn national_day_2023_and_its_make_up_weekend() {
        let c = Calendar::official();
        // 9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。
        assert_eq!(c.add_workdays(d("2023-09-28"), 1), d("2023-10-07"));
        assert_eq!(c.add_workdays(d("2023-09-28"), 2), d("2023-10-08"));
        assert_eq!(c.add_workdays(d("2023-09-28"), 3), d("2023-10-09"));
        assert!(!c.is_workday(d("2023-09-29")));
        assert!(!c.is_workday(d("2023-10-02")));
        assert!(c.is_workday(d("2023-10-07")));
        assert_eq!(c.workdays_between(d("2023-09-28"), d("2023-10-09")), 3);
        // 15 working days from the last day before the holiday.
        assert_eq!(c.add_workdays(d("2023-09-28"), 15), d("2023-10-25"));
    }

    #[test]
    fn spring_festival_2023() {
        let c = Calendar::official();
        // 1月21日至27日放假调休，共7天。1月28日（星期六）、1月29日（星期日）上班。
        assert_eq!(c.add_workdays(d("2023-01-20"), 1), d("2023-01-28"));
        assert_eq!(c.add_workdays(d("2023-01-20"), 3), d("2023-01-30"));
        assert_eq!(c.add_workdays(d("2023-01-22"), 1), d("2023-01-28"));
        assert_eq!(c.workdays_between(d("2023-01-20"), d("2023-01-31")), 4);
        // A 12345 complaint on the Friday before: 13 working days.
        assert_eq!(c.add_workdays(d("2023-01-20"), 13), d("2023-02-13"));
    }

    #[test]
    fn spring_festival_2024() {
        let c = Calendar::official();
        // 2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。
        assert!(c.is_workday(d("2024-02-04")));
        assert!(c.is_workday(d("2024-02-18")));
        assert!(!c.is_workday(d("2024-02-12")));
        assert_eq!(c.add_workdays(d("2024-02-02"), 1), d("2024-02-04"));
        assert_eq!(c.add_workdays(d("2024-02-09"), 1), d("2024-02-18"));
        assert_eq!(c.add_workdays(d("2024-02-09"), 2), d("2024-02-19"));
        assert_eq!(c.workdays_between(d("2024-02-01"), d("2024-02-29")), 17);
    }

    #[test]
    fn national_day_2024() {
        let c = Calendar::official();
        // 10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
        assert!(c.is_workday(d("2024-09-29")));
        assert!(c.is_workday(d("2024-10-12")));
        assert_eq!(c.add_workdays(d("2024-09-27"), 1), d("2024-09-29"));
        assert_eq!(c.add_workdays(d("2024-09-29"), 2), d("2024-10-08"));
        assert_eq!(c.add_workdays(d("2024-10-08"), 4), d("2024-10-12"));
        assert_eq!(c.add_workdays(d("2024-10-11"), 2), d("2024-10-14"));
        assert_eq!(c.workdays_between(d("2024-09-30"), d("2024-10-14")), 6);
    }

    #[test]
    fn year_view_lists_blocks_and_make_up_days() {
        let s = Calendar::official().year_summary(2024);
        let names: Vec<(&str, u32)> = s
            .holidays
            .iter()
            .map(|b| (b.name.as_str(), b.days))
            .collect();
        assert_eq!(
            names,
            vec![
                ("元旦", 1),
                ("春节", 8),
                ("清明节", 3),
                ("劳动节", 5),
                ("端午节", 1),
                ("中秋节", 3),
                ("国庆节", 7)
            ]
        );
        assert_eq!(s.workdays.len(), 8);
        assert!(s.known);
        // 2023's 元旦 block starts on 2022-12-31 and belongs to 2023.
        let s23 = Calendar::official().year_summary(2023);
        assert_eq!(s23.holidays[0].first, d("2022-12-31"));
        assert_eq!(s23.holidays[0].days, 3);
        assert!(Calendar::official().year_summary(2022).holidays[0].first == d("2022-01-01"));
    }

    #[test]
    fn imported_days_override_the_shipped_ones() {
        let extra =
            parse_csv("date,kind,name\n2027-01-01,休,元旦\n2023-10-07,休,地方调整\n").unwrap();
        let c = Calendar::official().with_days(extra);
        assert!(c.covers(2027));
        assert!(!c.is_workday(d("2027-01-01")));
        assert!(!c.is_workday(d("2023-10-07")));
        assert_eq!(c.add_workdays(d("2023-09-28"), 1), d("2023-10-08"));
    }

    #[test]
    fn bad_lines_are_named() {
        let e = parse_csv("2023-10-07,班,国庆节\n2023-10-07,休,x\n").unwrap_err();
        assert!(e.contains("第 2 行") && e.contains("重复"), "{e}");
        let e = parse_csv("2023-10-07,加班,国庆节\n").unwrap_err();
        assert!(e.contains("第 1 行") && e.contains("休 或 班"), "{e}");
        let e = parse_csv("2023-13-07,班\n").unwrap_err();
        assert!(e.contains("第 1 行"), "{e}");
    }

    /// The shipped data agrees, day by day, with an independent compilation of the same
    /// notices (the `chinese_holiday` crate).
    #[test]
    fn agrees_with_the_chinese_holiday_crate() {
        let c = Calendar::official();
        let mut day = d("2020-01-01");
        let mut disagreements = Vec::new();
        while day <= d("2026-12-25") {
            let ymd = (day.year() as u16, day.month() as u8, day.day() as u8);
            let theirs = chinese_holiday::chinese_holiday(ymd).is_workday();
            if theirs != c.is_workday(day) {
                disagreements.push(fmt_date(&day));
            }
            day += Duration::days(1);
        }
        assert!(disagreements.is_empty(), "{disagreements:?}");
    }
}
