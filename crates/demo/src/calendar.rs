//! The 2023 working calendar (State Council notice of 2022-12-08) and the hall's opening
//! hours, so generated activity happens when a real hall is open.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

pub const YEAR: i32 = 2023;

/// (month, day) to (month, day), inclusive.
type Span = ((u32, u32), (u32, u32));

/// Public holidays of 2023.
const HOLIDAYS: &[Span] = &[
    ((1, 1), (1, 2)),
    ((1, 21), (1, 27)),
    ((4, 5), (4, 5)),
    ((4, 29), (5, 3)),
    ((6, 22), (6, 24)),
    ((9, 29), (10, 6)),
];

/// Weekend days worked in exchange (调休).
const MAKEUP_DAYS: &[(u32, u32)] = &[(1, 28), (1, 29), (4, 23), (5, 6), (6, 25), (10, 7), (10, 8)];

pub fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, m, d).expect("valid 2023 date")
}

pub fn at(d: NaiveDate, h: u32, m: u32, s: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(h, m, s).expect("valid time"))
}

pub fn is_holiday(d: NaiveDate) -> bool {
    HOLIDAYS
        .iter()
        .any(|(a, b)| d >= date(a.0, a.1) && d <= date(b.0, b.1))
}

pub fn is_working_day(d: NaiveDate) -> bool {
    if d.year() != YEAR || is_holiday(d) {
        return false;
    }
    if MAKEUP_DAYS.iter().any(|(m, day)| d == date(*m, *day)) {
        return true;
    }
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A Saturday that is neither a holiday nor a working day: halls open by appointment
/// (预约延时服务) on such days.
pub fn is_free_saturday(d: NaiveDate) -> bool {
    d.weekday() == Weekday::Sat && !is_holiday(d) && !is_working_day(d)
}

/// Every day of `from..=to` for which `keep` holds.
pub fn days(from: NaiveDate, to: NaiveDate, keep: fn(NaiveDate) -> bool) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        if keep(d) {
            out.push(d);
        }
        d += Duration::days(1);
    }
    out
}

/// The `n`-th working day after `d` (n = 0: `d` itself if it is one, else the next).
pub fn add_working_days(d: NaiveDate, n: u32) -> NaiveDate {
    let mut cur = d;
    while !is_working_day(cur) {
        cur += Duration::days(1);
    }
    let mut left = n;
    while left > 0 {
        cur += Duration::days(1);
        if is_working_day(cur) {
            left -= 1;
        }
    }
    cur
}

/// Seconds after midnight at which the hall's sessions open and close (8:30–12:00,
/// 14:30–18:00: Inner Mongolia's summer timetable, kept all year for simplicity).
pub const MORNING: (u32, u32) = (8 * 3600 + 1800, 12 * 3600);
pub const AFTERNOON: (u32, u32) = (14 * 3600 + 1800, 18 * 3600);
/// Extended-hours sessions: the lunch break, the evening, and Saturday mornings.
pub const LUNCH: (u32, u32) = (12 * 3600, 14 * 3600 + 1800);
pub const EVENING: (u32, u32) = (18 * 3600, 20 * 3600);
pub const SATURDAY: (u32, u32) = (9 * 3600, 12 * 3600);

pub fn at_seconds(d: NaiveDate, secs: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN) + Duration::seconds(i64::from(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_day_and_makeup_days() {
        assert!(!is_working_day(date(10, 2)));
        assert!(is_working_day(date(10, 7)));
        assert!(!is_working_day(date(1, 2)));
        assert!(is_working_day(date(1, 3)));
        assert_eq!(add_working_days(date(9, 28), 1), date(10, 7));
        assert!(is_free_saturday(date(3, 4)));
        assert!(!is_free_saturday(date(5, 6)));
    }
}
