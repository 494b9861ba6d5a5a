//! Settings a request names, resolved against the bureau's configuration: what the
//! request gives wins over `jianping.toml`, which wins over the built-in defaults.

use crate::config::Config;
use crate::error::{AppError, Result};
use chrono::{Datelike, NaiveDate};
use jianping_core::{Period, RatePolicy, RegionCode, Rounding};

/// Percentages are computed in 128-bit integers; more decimals than this could overflow and
/// no report prints them.
pub const MAX_PRECISION: u8 = 6;

/// Decimals and rounding of printed rates.
pub fn rate_policy(
    precision: Option<u8>,
    rounding: Option<Rounding>,
    config: &Config,
) -> Result<RatePolicy> {
    let default = RatePolicy::default();
    let precision = precision
        .or(config.report.precision)
        .unwrap_or(default.precision);
    if precision > MAX_PRECISION {
        return Err(AppError::usage(format!(
            "--precision {precision} 过大：百分比最多保留 {MAX_PRECISION} 位小数"
        )));
    }
    let rounding = match rounding {
        Some(r) => r,
        None => config.rounding()?.unwrap_or(default.rounding),
    };
    Ok(RatePolicy {
        precision,
        rounding,
    })
}

/// The city a request names, else the configuration's `[report] city`.
pub fn city(requested: Option<&str>, config: &Config) -> Result<Option<RegionCode>> {
    if let Some(c) = requested {
        return RegionCode::parse(c)
            .map(Some)
            .map_err(|e| AppError::usage(format!("--city：{e}")));
    }
    config
        .report
        .city
        .as_deref()
        .map(|c| {
            RegionCode::parse(c).map_err(|e| AppError::Invalid(format!("配置 [report] city：{e}")))
        })
        .transpose()
}

/// `from`..`to`, defaulting to the year of `to` up to `today`.
pub fn period(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate) -> Result<Period> {
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    Period::new(from, to).map_err(AppError::usage)
}

/// "2023-10" (or "2023-10-01", "2023年10月") → that calendar month.
pub fn parse_month(text: &str) -> Result<Period, String> {
    let t = text.trim();
    let cleaned = t.replace('年', "-").replace('月', "");
    let mut parts = cleaned.split(['-', '/', '.']);
    let year = parts.next().and_then(|y| y.trim().parse::<i32>().ok());
    let month = parts.next().and_then(|m| m.trim().parse::<u32>().ok());
    match (year, month) {
        (Some(y), Some(m)) if (1..=12).contains(&m) && (2000..=2100).contains(&y) => {
            Period::month(y, m)
        }
        _ => Err(format!(
            "--month「{t}」不是有效的月份：请写成 2023-10 这样的年-月"
        )),
    }
}

/// The month before `today`'s.
pub fn previous_month(today: NaiveDate) -> Result<Period, String> {
    if today.month() == 1 {
        Period::month(today.year() - 1, 12)
    } else {
        Period::month(today.year(), today.month() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_in_the_usual_spellings() {
        for text in ["2023-10", "2023-10-01", "2023年10月", "2023/10"] {
            let p = parse_month(text).unwrap();
            assert_eq!(
                (p.from.to_string(), p.to.to_string()),
                ("2023-10-01".into(), "2023-10-31".into()),
                "{text}"
            );
        }
        assert!(parse_month("2023-13").unwrap_err().contains("2023-10"));
        assert!(parse_month("十月").is_err());
        let jan = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        assert_eq!(previous_month(jan).unwrap().to.to_string(), "2023-12-31");
    }

    #[test]
    fn requests_win_over_the_configuration_and_too_many_decimals_are_a_usage_error() {
        let mut config = Config::default();
        config.report.precision = Some(1);
        assert_eq!(rate_policy(None, None, &config).unwrap().precision, 1);
        assert_eq!(rate_policy(Some(3), None, &config).unwrap().precision, 3);
        let e = rate_policy(Some(9), None, &config).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Usage);
        let today = NaiveDate::from_ymd_opt(2023, 5, 6).unwrap();
        let p = period(None, None, today).unwrap();
        assert_eq!(p.from.to_string(), "2023-01-01");
    }
}
