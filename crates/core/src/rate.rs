//! Rate arithmetic: every percentage in jianping is computed here, from exact counts, and
//! rounded exactly once.
//!
//! Rounding works on integers (`num * 100 * 10^p / den` with the remainder deciding), so a
//! value such as 17/3656 = 0.464989…% becomes 0.46% and never 0.47% by way of 0.465.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rounding {
    #[default]
    HalfUp,
    Truncate,
}

impl std::str::FromStr for Rounding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "half-up" | "halfup" | "四舍五入" => Ok(Rounding::HalfUp),
            "truncate" | "截断" => Ok(Rounding::Truncate),
            other => Err(format!(
                "未知的舍入方式「{other}」，可选 half-up 或 truncate"
            )),
        }
    }
}

/// How a report prints its rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatePolicy {
    pub precision: u8,
    pub rounding: Rounding,
}

impl Default for RatePolicy {
    fn default() -> Self {
        RatePolicy {
            precision: 2,
            rounding: Rounding::HalfUp,
        }
    }
}

impl RatePolicy {
    pub fn with_precision(self, precision: u8) -> RatePolicy {
        RatePolicy { precision, ..self }
    }

    /// The percentage scaled by 10^precision, as an integer, with the 100%/0% rule applied:
    /// a rate that is not exactly 100% (or 0%) never prints as such.
    pub fn scaled_percent(&self, num: u64, den: u64) -> Option<u128> {
        if den == 0 {
            return None;
        }
        let scale = 10u128.pow(u32::from(self.precision));
        let full = 100 * scale;
        let n = u128::from(num) * full;
        let d = u128::from(den);
        let mut q = n / d;
        let r = n % d;
        if self.rounding == Rounding::HalfUp && 2 * r >= d {
            q += 1;
        }
        if q >= full && num < den {
            q = full - 1;
        }
        if q == 0 && num > 0 {
            q = 1;
        }
        Some(q)
    }

    /// "99.71%", "100%" (only when exact), "—" when the denominator is zero.
    pub fn format(&self, num: u64, den: u64) -> String {
        let Some(q) = self.scaled_percent(num, den) else {
            return "—".to_string();
        };
        if num == den && num > 0 {
            return "100%".to_string();
        }
        if num == 0 {
            return "0%".to_string();
        }
        format!("{}%", fixed(q, self.precision))
    }

    pub fn rate(&self, num: u64, den: u64) -> Rate {
        Rate {
            numerator: num,
            denominator: den,
            ratio: if den == 0 {
                None
            } else {
                Some(num as f64 / den as f64)
            },
            printed: self.format(num, den),
        }
    }

    /// A plain number (not a percentage) rounded once at the policy's precision, e.g. an
    /// average score. `num / den` is computed exactly before rounding.
    pub fn format_quotient(&self, num: u64, den: u64) -> String {
        if den == 0 {
            return "—".to_string();
        }
        let scale = 10u128.pow(u32::from(self.precision));
        let n = u128::from(num) * scale;
        let d = u128::from(den);
        let mut q = n / d;
        if self.rounding == Rounding::HalfUp && 2 * (n % d) >= d {
            q += 1;
        }
        fixed(q, self.precision)
    }
}

fn fixed(q: u128, precision: u8) -> String {
    if precision == 0 {
        return q.to_string();
    }
    let scale = 10u128.pow(u32::from(precision));
    format!(
        "{}.{:0width$}",
        q / scale,
        q % scale,
        width = usize::from(precision)
    )
}

/// A rate as the report model carries it: the exact counts, the exact ratio, the printed text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub numerator: u64,
    pub denominator: u64,
    /// `numerator / denominator` unrounded; `None` when the denominator is zero.
    pub ratio: Option<f64>,
    pub printed: String,
}

/// Large counts as a Chinese report writes them: 256_123 → "25.6万" (one decimal, half-up),
/// below 10,000 the plain number.
pub fn format_wan(n: u64, decimals: u8) -> String {
    if n < 10_000 {
        return n.to_string();
    }
    let p = RatePolicy {
        precision: decimals,
        rounding: Rounding::HalfUp,
    };
    format!("{}万", p.format_quotient(n, 10_000))
}

/// "7000余" for 7,236 (rounded down to the leading digit's magnitude), the way reports state
/// a count they do not want to give to the unit. Exact multiples print without 余.
pub fn format_approx(n: u64) -> String {
    if n < 10 {
        return n.to_string();
    }
    let mag = 10u64.pow(n.ilog10());
    let floor = n / mag * mag;
    if floor == n {
        n.to_string()
    } else {
        format!("{floor}余")
    }
}

/// "98%以上": the percentage truncated to a whole number, for figures a report states as a floor.
pub fn format_percent_floor(num: u64, den: u64) -> String {
    if den == 0 {
        return "—".to_string();
    }
    let whole = u128::from(num) * 100 / u128::from(den);
    if u128::from(num) * 100 == whole * u128::from(den) {
        format!("{whole}%")
    } else {
        format!("{whole}%以上")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p2() -> RatePolicy {
        RatePolicy::default()
    }

    #[test]
    fn rounds_once_from_exact_counts() {
        // 17 / 3656 = 0.46499%: a double rounding (0.465 -> 0.47) would be wrong.
        assert_eq!(p2().format(17, 3656), "0.46%");
        assert_eq!(p2().format(12, 31), "38.71%");
        assert_eq!(p2().format(15, 31), "48.39%");
        assert_eq!(p2().format(14439, 236816), "6.10%");
        assert_eq!(p2().format(157239, 236816), "66.40%");
    }

    #[test]
    fn truncation_is_a_policy() {
        let t = RatePolicy {
            precision: 2,
            rounding: Rounding::Truncate,
        };
        assert_eq!(t.format(157239, 236816), "66.39%");
        assert_eq!(t.format(14439, 236816), "6.09%");
        assert_eq!(p2().with_precision(1).format(1846, 2679), "68.9%");
        assert_eq!(p2().with_precision(0).format(1, 3), "33%");
    }

    #[test]
    fn never_100_or_0_unless_exact() {
        assert_eq!(p2().format(236815, 236816), "99.99%");
        assert_eq!(p2().format(65138, 65138), "100%");
        assert_eq!(p2().format(1, 1_000_000), "0.01%");
        assert_eq!(p2().format(0, 5), "0%");
        assert_eq!(p2().format(0, 0), "—");
        let t = RatePolicy {
            precision: 0,
            rounding: Rounding::Truncate,
        };
        assert_eq!(t.format(999, 1000), "99%");
    }

    #[test]
    fn the_model_keeps_counts_and_ratio() {
        let r = p2().rate(236116, 236816);
        assert_eq!(r.printed, "99.70%");
        assert_eq!((r.numerator, r.denominator), (236116, 236816));
        assert!((r.ratio.unwrap() - 0.997044).abs() < 1e-6);
    }

    #[test]
    fn counts_in_wan_and_approximations() {
        assert_eq!(format_wan(256_123, 1), "25.6万");
        assert_eq!(format_wan(291_900, 2), "29.19万");
        assert_eq!(format_wan(10_850_000, 0), "1085万");
        assert_eq!(format_wan(9_999, 1), "9999");
        assert_eq!(format_approx(7236), "7000余");
        assert_eq!(format_approx(7000), "7000");
        assert_eq!(format_percent_floor(5105, 5200), "98%以上");
        assert_eq!(p2().format_quotient(2, 3), "0.67");
    }
}
