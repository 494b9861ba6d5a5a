//! Value formats shared by every kind: booleans, day counts, numbers, codes, and dates from
//! either text or spreadsheet cells.

use crate::source::Cell;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use jianping_core::time;

/// A number as a person would type it: integers without ".0" (codes such as 150303 arrive
/// from spreadsheets as 150303.0).
pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

pub(crate) fn parse_bool(text: &str) -> Result<bool, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    match lower.as_str() {
        "是" | "y" | "yes" | "1" | "true" | "t" | "有" | "√" | "✓" | "在岗" | "在职" | "启用" => {
            Ok(true)
        }
        "否" | "n" | "no" | "0" | "false" | "f" | "无" | "×" | "✗" | "离岗" | "离职" | "停用" => {
            Ok(false)
        }
        _ => Err(format!(
            "无法识别的是否值「{t}」，应为 是/否、Y/N、1/0 或 true/false"
        )),
    }
}

/// A time limit in days: "20", "20.0", "20个工作日", "20天", "即办" (0).
pub(crate) fn parse_days(text: &str) -> Result<u32, String> {
    let t = text.trim();
    if matches!(t, "即办" | "即时办结" | "当场办结") {
        return Ok(0);
    }
    let digits = t
        .trim_end_matches("个工作日")
        .trim_end_matches("工作日")
        .trim_end_matches("个自然日")
        .trim_end_matches("自然日")
        .trim_end_matches('天')
        .trim_end_matches('日')
        .trim();
    let n: f64 = digits
        .parse()
        .map_err(|_| format!("无法识别的时限「{t}」，应为天数，如 20、20个工作日 或 即办"))?;
    if n < 0.0 || n.fract() != 0.0 || n > 10_000.0 {
        return Err(format!("时限「{t}」应为 0 到 10000 之间的整数天"));
    }
    Ok(n as u32)
}

/// A number, allowing thousands separators and the 万/亿 multipliers ("29.19万").
pub(crate) fn parse_number(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let cleaned: String = t.chars().filter(|c| *c != ',' && *c != '，').collect();
    let (body, factor) = if let Some(b) = cleaned.strip_suffix('万') {
        (b, 1e4)
    } else if let Some(b) = cleaned.strip_suffix('亿') {
        (b, 1e8)
    } else {
        (cleaned.as_str(), 1.0)
    };
    body.trim()
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(|f| f * factor)
        .ok_or_else(|| format!("无法识别的数值「{t}」，应为数字，如 291900、29.19万"))
}

/// Refuses codes that a spreadsheet has already damaged, which would otherwise be stored as
/// nonsense: scientific notation, and numbers beyond the 15 digits Excel keeps.
pub(crate) fn check_code(text: &str) -> Result<(), String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    if let Some((mantissa, exp)) = upper.split_once("E+")
        && !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && exp.chars().all(|c| c.is_ascii_digit())
        && !exp.is_empty()
    {
        return Err(format!(
            "编码「{t}」已被 Excel 转成科学计数法，原始编码已丢失：请在原系统重新导出，并在 Excel 中把该列设为“文本”格式"
        ));
    }
    Ok(())
}

pub(crate) fn cell_code(cell: &Cell<'_>) -> Result<Option<String>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(s) => check_code(s).map(|()| Some((*s).to_string())),
        Cell::Number(f) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(Some(number_text(*f))),
        Cell::Number(f) => Err(format!(
            "编码是数字 {f}，超过 15 位时 Excel 会丢失精度：请把该列设为“文本”格式后重新导出"
        )),
        other => Ok(Some(cell_text(other))),
    }
}

/// Any cell as text (numbers without ".0", dates formatted).
pub(crate) fn cell_text(cell: &Cell<'_>) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => (*s).to_string(),
        Cell::Number(f) => number_text(*f),
        Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Cell::DateTime(dt) => time::fmt_ts(dt),
        Cell::Error(e) => e.clone(),
    }
}

/// A date-time from text in any accepted form, a spreadsheet date cell, an Excel serial
/// number, or a number such as 20231031 that a spreadsheet made of a compact date.
pub(crate) fn cell_datetime(cell: &Cell<'_>) -> Result<NaiveDateTime, String> {
    match cell {
        Cell::Text(s) => time::parse_datetime(s),
        Cell::DateTime(dt) => Ok(*dt),
        Cell::Number(f) => {
            if f.fract() == 0.0 && (19_000_101.0..=29_991_231.0).contains(f) {
                return NaiveDate::parse_from_str(&number_text(*f), "%Y%m%d")
                    .map(|d| d.and_time(NaiveTime::MIN))
                    .map_err(|_| format!("无法识别的日期「{}」", number_text(*f)));
            }
            if f.fract() == 0.0 && (19_000_101_000_000.0..=29_991_231_235_959.0).contains(f) {
                return NaiveDateTime::parse_from_str(&number_text(*f), "%Y%m%d%H%M%S")
                    .map_err(|_| format!("无法识别的时间「{}」", number_text(*f)));
            }
            time::from_excel_serial(*f)
                .ok_or_else(|| format!("数字 {} 不是有效的 Excel 日期", number_text(*f)))
        }
        Cell::Bool(_) => Err("应为日期时间，不是是/否值".into()),
        Cell::Error(e) => Err(format!("单元格是错误值 {e}")),
        Cell::Empty => Err("缺少日期时间".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans() {
        for t in ["是", "Y", "y", "1", "true", "TRUE", "在岗"] {
            assert_eq!(parse_bool(t), Ok(true), "{t}");
        }
        for t in ["否", "N", "0", "false", "离职"] {
            assert_eq!(parse_bool(t), Ok(false), "{t}");
        }
        assert!(parse_bool("可能").is_err());
    }

    #[test]
    fn days_and_numbers() {
        assert_eq!(parse_days("20个工作日"), Ok(20));
        assert_eq!(parse_days("20.0"), Ok(20));
        assert_eq!(parse_days("即办"), Ok(0));
        assert!(parse_days("二十").is_err());
        assert!(parse_days("2.5").is_err());
        assert_eq!(parse_number("29.19万"), Ok(291_900.0));
        assert_eq!(parse_number("10,850,000"), Ok(10_850_000.0));
        assert!(parse_number("很多").is_err());
    }

    #[test]
    fn damaged_codes_are_refused() {
        assert!(check_code("1.50303E+11").is_err());
        assert!(check_code("150303").is_ok());
        assert!(check_code("E+1").is_ok());
        assert_eq!(
            cell_code(&Cell::Number(150_303.0)),
            Ok(Some("150303".into()))
        );
        assert!(cell_code(&Cell::Number(1.5e17)).is_err());
    }

    #[test]
    fn dates_from_cells() {
        let want = "2023-10-31 17:56:51";
        let got = |c: Cell<'_>| cell_datetime(&c).map(|d| time::fmt_ts(&d));
        assert_eq!(got(Cell::Number(45230.7478125)).as_deref(), Ok(want));
        assert_eq!(
            got(Cell::Number(20_231_031.0)).as_deref(),
            Ok("2023-10-31 00:00:00")
        );
        assert_eq!(got(Cell::Number(20_231_031_175_651.0)).as_deref(), Ok(want));
        assert_eq!(got(Cell::Text("20231031T175651")).as_deref(), Ok(want));
        assert!(got(Cell::Number(-5.0)).is_err());
        assert!(got(Cell::Bool(true)).is_err());
    }
}
