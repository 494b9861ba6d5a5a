//! Dates and times as they arrive from Chinese government systems, and reporting periods.
//!
//! All times are local (Asia/Shanghai) wall-clock times without a zone, which is how every
//! source system exports them. The store keeps them as `YYYY-MM-DD HH:MM:SS` text, whose
//! lexical order is chronological on both backends.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

pub const TS_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
pub const DATE_FORMAT: &str = "%Y-%m-%d";

const DATETIME_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y%m%dT%H%M%S",
    "%Y%m%d%H%M%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
];

const DATE_FORMATS: &[&str] = &["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日", "%Y.%m.%d"];

/// Parses a date-time in any accepted form; a bare date means midnight. Fractions of a
/// second are dropped here: the store keeps whole seconds, and a record must equal the row
/// it becomes (found by the `field_parsers` fuzz target: `…17:56:00.1` printed and read
/// back as `…17:56:00`).
pub fn parse_datetime(text: &str) -> Result<NaiveDateTime, String> {
    let t = text.trim();
    if let Some(dt) = parse_canonical(t) {
        return Ok(dt);
    }
    for f in DATETIME_FORMATS {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, f) {
            return Ok(dt.with_nanosecond(0).unwrap_or(dt));
        }
    }
    for f in DATE_FORMATS {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return Ok(d.and_time(NaiveTime::MIN));
        }
    }
    Err(format!(
        "无法识别的时间「{t}」，可用格式如 2023-10-31 17:56:51、2023/10/31 17:56、20231031T175651、2023-10-31"
    ))
}

/// `YYYY-MM-DD HH:MM:SS`, the form nearly every export uses, read without chrono's format
/// interpreter (which cost ≈5% of a bulk import's CPU). Anything else, or an impossible
/// date or time, is left to the general path.
fn parse_canonical(t: &str) -> Option<NaiveDateTime> {
    let b = t.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?.and_hms_opt(
        num(11, 13)?,
        num(14, 16)?,
        num(17, 19)?,
    )
}

/// Parses a date; a date-time is accepted and its time dropped.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    for f in DATE_FORMATS {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return Ok(d);
        }
    }
    parse_datetime(t)
        .map(|dt| dt.date())
        .map_err(|_| format!("无法识别的日期「{t}」，可用格式如 2023-10-31、2023/10/31、20231031"))
}

/// Converts an Excel serial date (days since 1899-12-30, fraction = time of day).
pub fn from_excel_serial(serial: f64) -> Option<NaiveDateTime> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    let ms = (serial * 86_400_000.0).round() as i64;
    Some(base + Duration::milliseconds(ms))
}

pub fn fmt_ts(dt: &NaiveDateTime) -> String {
    dt.format(TS_FORMAT).to_string()
}

pub fn fmt_date(d: &NaiveDate) -> String {
    d.format(DATE_FORMAT).to_string()
}

/// "2023年10月31日".
pub fn fmt_date_cn(d: &NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, String> {
        if from > to {
            return Err(format!(
                "起始日期 {} 晚于截止日期 {}",
                fmt_date(&from),
                fmt_date(&to)
            ));
        }
        Ok(Period { from, to })
    }

    /// A calendar month.
    pub fn month(year: i32, month: u32) -> Result<Period, String> {
        let from = NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or_else(|| format!("无效的月份 {year}-{month}"))?;
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }
        .ok_or_else(|| format!("无效的月份 {year}-{month}"))?;
        Ok(Period {
            from,
            to: next.pred_opt().unwrap_or(next),
        })
    }

    /// First instant of the period, as stored text.
    pub fn start_ts(&self) -> String {
        format!("{} 00:00:00", fmt_date(&self.from))
    }

    /// Last instant of the period, as stored text.
    pub fn end_ts(&self) -> String {
        format!("{} 23:59:59", fmt_date(&self.to))
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// "1月1日—10月31日" within one year, with years otherwise.
    pub fn label_cn(&self) -> String {
        if self.from.year() == self.to.year() {
            format!(
                "{}月{}日—{}月{}日",
                self.from.month(),
                self.from.day(),
                self.to.month(),
                self.to.day()
            )
        } else {
            format!("{}—{}", fmt_date_cn(&self.from), fmt_date_cn(&self.to))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (fuzz/regressions/field_parsers/fraction-of-a-second): a fraction of a
    /// second used to survive parsing but not printing, so the record and its stored row
    /// differed.
    #[test]
    fn fractions_of_a_second_are_dropped_when_parsed() {
        let t = parse_datetime("203-10-31 17:56:00.1").unwrap();
        assert_eq!(t.nanosecond(), 0);
        assert_eq!(parse_datetime(&fmt_ts(&t)), Ok(t));
        assert_eq!(
            parse_datetime("2023-10-31 17:56:51.999"),
            parse_datetime("2023-10-31 17:56:51")
        );
    }

    #[test]
    fn the_canonical_fast_path_agrees_with_chrono() {
        for t in [
            "2023-10-31 17:56:51",
            "0999-01-01 00:00:00",
            "2024-02-29 23:59:59",
        ] {
            let slow = NaiveDateTime::parse_from_str(t, TS_FORMAT).ok();
            assert!(slow.is_some());
            assert_eq!(parse_canonical(t), slow, "{t}");
        }
        // Impossible or other forms are left to chrono, whose answer stands.
        for t in [
            "2023-02-29 10:00:00",
            "2023-13-01 10:00:00",
            "2023-01-01 24:00:00",
            "2023-01-01 10:00:60",
            "2023-01-0a 10:00:00",
            "2023/01/01 10:00:00",
        ] {
            assert_eq!(parse_canonical(t), None, "{t}");
        }
    }

    #[test]
    fn every_documented_form_parses() {
        let want = NaiveDate::from_ymd_opt(2023, 10, 31)
            .unwrap()
            .and_hms_opt(17, 56, 51)
            .unwrap();
        assert_eq!(parse_datetime("2023-10-31 17:56:51"), Ok(want));
        assert_eq!(parse_datetime("20231031T175651"), Ok(want));
        assert_eq!(
            parse_datetime("2023/10/31 17:56"),
            Ok(want.with_second(0).unwrap())
        );
        assert_eq!(parse_datetime("2023-10-31").unwrap().date(), want.date());
        assert_eq!(parse_date("2023年10月31日"), Ok(want.date()));
        assert!(parse_datetime("31/10/2023").is_err());
        assert!(parse_datetime("2023-02-30").is_err());
    }

    #[test]
    fn excel_serials() {
        let dt = from_excel_serial(45230.747812500).unwrap();
        assert_eq!(fmt_ts(&dt), "2023-10-31 17:56:51");
        assert!(from_excel_serial(-3.0).is_none());
    }

    #[test]
    fn periods() {
        let p = Period::month(2024, 2).unwrap();
        assert_eq!(fmt_date(&p.to), "2024-02-29");
        assert_eq!(p.end_ts(), "2024-02-29 23:59:59");
        assert!(Period::new(p.to, p.from).is_err());
        let y = Period::new(
            NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2023, 10, 31).unwrap(),
        )
        .unwrap();
        assert_eq!(y.label_cn(), "1月1日—10月31日");
    }
}
