//! Properties of the rate arithmetic and the working-day calendar, checked on random
//! inputs (proptest): the rules every printed percentage and every deadline rely on.

use chrono::{Duration, NaiveDate};
use jianping_core::calendar::Calendar;
use jianping_core::{RatePolicy, Rounding};
use proptest::prelude::*;
use std::sync::OnceLock;

/// `num / den × mult` to `precision` decimals by schoolbook long division, digit by digit
/// (an oracle independent of the integer formula in `rate.rs`), rounded half-up by the
/// first dropped digit, or truncated. Returns the value scaled by 10^precision.
fn long_division(num: u64, den: u64, mult: u128, precision: u8, rounding: Rounding) -> u128 {
    let d = u128::from(den);
    let whole = u128::from(num) * mult;
    let mut q = whole / d;
    let mut r = whole % d;
    for _ in 0..precision {
        r *= 10;
        q = q * 10 + r / d;
        r %= d;
    }
    if rounding == Rounding::HalfUp && r * 10 / d >= 5 {
        q += 1;
    }
    q
}

fn policy(precision: u8, half_up: bool) -> RatePolicy {
    RatePolicy {
        precision,
        rounding: if half_up {
            Rounding::HalfUp
        } else {
            Rounding::Truncate
        },
    }
}

/// A count and a denominator at least as large, over the range real reports see and
/// beyond (up to 10^12 ratings).
fn k_n() -> impl Strategy<Value = (u64, u64)> {
    (1u64..1_000_000_000_000).prop_flat_map(|n| (0..=n, Just(n)))
}

/// Small counts too, where the 0%/100% rules bite most often.
fn small_k_n() -> impl Strategy<Value = (u64, u64)> {
    (1u64..2_000).prop_flat_map(|n| (0..=n, Just(n)))
}

fn check_against_oracle(k: u64, n: u64, p: u8, half_up: bool) -> Result<(), TestCaseError> {
    let pol = policy(p, half_up);
    let oracle = long_division(k, n, 100, p, pol.rounding);
    let full = 100 * 10u128.pow(u32::from(p));
    let got = pol.scaled_percent(k, n).unwrap();
    // The 0%/100% rules are the only departures from one exact rounding: a rate that is
    // not exactly 0 or 100% moves to the nearest printable value inside (0, 100%).
    let expected = if k == 0 {
        0
    } else if k == n {
        full
    } else {
        oracle.clamp(1, full - 1)
    };
    prop_assert_eq!(got, expected, "{}/{} at {} decimals", k, n, p);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn rates_match_exact_long_division((k, n) in k_n(), p in 0u8..=6, half_up: bool) {
        check_against_oracle(k, n, p, half_up)?;
    }

    #[test]
    fn small_rates_match_exact_long_division((k, n) in small_k_n(), p in 0u8..=3, half_up: bool) {
        check_against_oracle(k, n, p, half_up)?;
    }

    #[test]
    fn printed_rates_never_exceed_100_and_say_100_or_0_only_when_exact(
        (k, n) in prop_oneof![k_n(), small_k_n()], p in 0u8..=6, half_up: bool,
    ) {
        let pol = policy(p, half_up);
        let text = pol.format(k, n);
        let value: f64 = text.trim_end_matches('%').parse().unwrap();
        prop_assert!(value <= 100.0, "{}", text);
        prop_assert_eq!(text == "100%", k == n, "{}/{} → {}", k, n, text);
        prop_assert_eq!(text == "0%", k == 0, "{}/{} → {}", k, n, text);
        // One rounding: within one unit of the last place of the exact value (half a unit
        // half-up, under one truncated; the 0%/100% rule moves at most one unit).
        let exact = k as f64 / n as f64 * 100.0;
        let unit = 10f64.powi(-i32::from(p));
        prop_assert!((value - exact).abs() <= unit * 1.000_001, "{}/{} → {}", k, n, text);
        // Truncation rounds down, unless the 0% rule lifted a tiny rate to one unit.
        if !half_up && exact >= unit {
            prop_assert!(value <= exact * (1.0 + 1e-12), "truncation rounds down: {}/{} → {}", k, n, text);
        }
    }

    #[test]
    fn rates_grow_with_the_count((k, n) in k_n(), extra in 0u64..1000, p in 0u8..=4, half_up: bool) {
        let pol = policy(p, half_up);
        let k2 = (k + extra).min(n);
        prop_assert!(pol.scaled_percent(k, n) <= pol.scaled_percent(k2, n));
    }

    #[test]
    fn quotients_match_long_division(num in 0u64..10_000_000_000, den in 1u64..100_000, p in 0u8..=4, half_up: bool) {
        let pol = policy(p, half_up);
        let q = long_division(num, den, 1, p, pol.rounding);
        let scale = 10u128.pow(u32::from(p));
        let want = if p == 0 {
            q.to_string()
        } else {
            format!("{}.{:0w$}", q / scale, q % scale, w = usize::from(p))
        };
        prop_assert_eq!(pol.format_quotient(num, den), want);
    }
}

fn calendar() -> &'static Calendar {
    static C: OnceLock<Calendar> = OnceLock::new();
    C.get_or_init(Calendar::official)
}

/// Any day from 2019 to 2027: the shipped notices (2020–2026) and the years either side,
/// where only weekends are known.
fn day() -> impl Strategy<Value = NaiveDate> {
    let start = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    (0i64..9 * 365).prop_map(move |d| start + Duration::days(d))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn adding_workdays_lands_on_a_workday_after_the_start(d in day(), n in 1u32..400) {
        let c = calendar();
        let end = c.add_workdays(d, n);
        prop_assert!(end > d);
        prop_assert!(c.is_workday(end), "{} + {} → {}", d, n, end);
        prop_assert_eq!(c.add_workdays(d, 0), d);
        // The longest rest of the notices is 2020's Spring Festival, 24 January to
        // 2 February: from the 23rd, one working day is eleven days away.
        prop_assert!(c.add_workdays(d, 1) - d <= Duration::days(11));
    }

    #[test]
    fn adding_workdays_is_monotonic(d in day(), gap in 0i64..60, a in 0u32..200, b in 0u32..200) {
        let c = calendar();
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assert!(c.add_workdays(d, lo) <= c.add_workdays(d, hi));
        let later = d + Duration::days(gap);
        prop_assert!(c.add_workdays(d, a) <= c.add_workdays(later, a));
    }

    #[test]
    fn adding_a_then_b_is_adding_a_plus_b(d in day(), a in 0u32..200, b in 0u32..200) {
        let c = calendar();
        prop_assert_eq!(c.add_workdays(c.add_workdays(d, a), b), c.add_workdays(d, a + b));
    }

    #[test]
    fn counting_workdays_inverts_adding_them(d in day(), n in 0u32..300, e in day(), f in day()) {
        let c = calendar();
        prop_assert_eq!(c.workdays_between(d, c.add_workdays(d, n)), i64::from(n));
        prop_assert_eq!(c.workdays_between(d, e), -c.workdays_between(e, d));
        prop_assert_eq!(
            c.workdays_between(d, e) + c.workdays_between(e, f),
            c.workdays_between(d, f)
        );
    }

    #[test]
    fn a_deadline_is_the_first_day_with_enough_workdays(d in day(), n in 1u32..100) {
        let c = calendar();
        let end = c.add_workdays(d, n);
        prop_assert_eq!(c.workdays_between(d, end - Duration::days(1)), i64::from(n) - 1);
    }
}
