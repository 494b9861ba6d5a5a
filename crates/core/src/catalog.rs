//! The matter catalog (事项目录) as it stood on a date, and the figures reports take from it.
//!
//! A matter is implemented by each body that offers it; the same matter in three districts is
//! three instances sharing a 基本编码. Catalog-wide figures count *deduplicated units*: each
//! city-level matter, and for each district 基本编码 one instance (the one with the smallest
//! 实施编码), so that "区级事项不重复统计" holds.

use crate::region::{RegionCode, RegionLevel};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One matter instance with its latest state on or before the catalog date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub matter_code: String,
    pub base_code: String,
    pub name: String,
    pub region: RegionCode,
    pub department: String,
    /// 系统 of the department, when known.
    pub sector: Option<String>,
    /// 进驻大厅 name.
    pub hall: Option<String>,
    pub legal_limit_days: Option<u32>,
    pub promised_limit_days: Option<u32>,
    pub online_full: bool,
    pub instant: bool,
    pub scenario: bool,
    pub e_license: bool,
    pub cert_free: bool,
    pub extended_hours: bool,
}

impl CatalogEntry {
    /// The line of government the matter belongs to: the department's 系统, else its name.
    pub fn sector_or_department(&self) -> &str {
        self.sector
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(&self.department)
    }
}

/// The deduplicated units of a catalog within `city`: each city-level matter, and for each
/// district 基本编码 the instance with the smallest 实施编码. Town and village matters are
/// not units.
pub fn dedup_units<'a>(entries: &'a [CatalogEntry], city: &RegionCode) -> Vec<&'a CatalogEntry> {
    let mut units: Vec<&CatalogEntry> = Vec::new();
    let mut district: BTreeMap<&str, &CatalogEntry> = BTreeMap::new();
    for e in entries {
        if !e.region.within(city) {
            continue;
        }
        match e.region.level() {
            RegionLevel::City | RegionLevel::Province => units.push(e),
            RegionLevel::District => {
                let slot = district.entry(e.base_code.as_str()).or_insert(e);
                if e.matter_code < slot.matter_code {
                    *slot = e;
                }
            }
            RegionLevel::Town | RegionLevel::Village => {}
        }
    }
    units.extend(district.into_values());
    units.sort_by(|a, b| a.matter_code.cmp(&b.matter_code));
    units
}

/// Counts over the deduplicated units.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UnitCounts {
    pub units: u64,
    /// Distinct 系统 (department name when no 系统).
    pub sectors: u64,
    pub online_full: u64,
    pub instant: u64,
    pub scenario: u64,
    pub e_license: u64,
    pub cert_free: u64,
    pub compression: LimitCompression,
}

impl UnitCounts {
    pub fn of(entries: &[CatalogEntry], city: &RegionCode) -> UnitCounts {
        let units = dedup_units(entries, city);
        let count = |f: fn(&CatalogEntry) -> bool| units.iter().filter(|u| f(u)).count() as u64;
        let sectors: BTreeSet<&str> = units.iter().map(|u| u.sector_or_department()).collect();
        UnitCounts {
            units: units.len() as u64,
            sectors: sectors.len() as u64,
            online_full: count(|u| u.online_full),
            instant: count(|u| u.instant),
            scenario: count(|u| u.scenario),
            e_license: count(|u| u.e_license),
            cert_free: count(|u| u.cert_free),
            compression: LimitCompression::of(units.iter().copied()),
        }
    }
}

/// 承诺时限对比法定时限平均压缩率: the mean over units with a legal limit of
/// (legal − promised) / legal, kept as a fraction so it is rounded only once, when printed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LimitCompression {
    /// Units in the mean.
    pub counted: u64,
    /// Units without a legal limit (or a legal limit of 0): not in the mean.
    pub no_legal_limit: u64,
    /// Units with a legal limit but no promised limit: not in the mean.
    pub no_promised_limit: u64,
    /// Units promising more days than the law allows: in the mean with compression 0.
    pub promised_over_legal: u64,
    /// The mean is `numerator / denominator`.
    pub numerator: u64,
    pub denominator: u64,
    /// False when the exact fraction did not fit in 64 bits and the mean was scaled by 10^12.
    pub exact: bool,
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl LimitCompression {
    pub fn of<'a>(units: impl IntoIterator<Item = &'a CatalogEntry>) -> LimitCompression {
        let mut c = LimitCompression::default();
        // Running sum of fractions; None once it no longer fits.
        let mut sum: Option<(u128, u128)> = Some((0, 1));
        let mut approx = 0f64;
        for u in units {
            let legal = match u.legal_limit_days {
                Some(l) if l > 0 => u128::from(l),
                _ => {
                    c.no_legal_limit += 1;
                    continue;
                }
            };
            let Some(promised) = u.promised_limit_days else {
                c.no_promised_limit += 1;
                continue;
            };
            let promised = u128::from(promised);
            if promised > legal {
                c.promised_over_legal += 1;
            }
            let saved = legal.saturating_sub(promised);
            c.counted += 1;
            approx += saved as f64 / legal as f64;
            sum = sum.and_then(|(n, d)| add_fraction(n, d, saved, legal));
        }
        let fitted = sum.and_then(|(n, d)| {
            let d = d.checked_mul(u128::from(c.counted.max(1)))?;
            let g = gcd(n, d).max(1);
            Some((u64::try_from(n / g).ok()?, u64::try_from(d / g).ok()?))
        });
        match fitted {
            Some((n, d)) if c.counted > 0 => {
                (c.numerator, c.denominator, c.exact) = (n, d, true);
            }
            Some(_) => (c.numerator, c.denominator, c.exact) = (0, 0, true),
            None => {
                let scale = 1_000_000_000_000u64;
                let mean = approx / c.counted as f64;
                (c.numerator, c.denominator, c.exact) =
                    ((mean * scale as f64).round() as u64, scale, false);
            }
        }
        c
    }
}

fn add_fraction(n: u128, d: u128, a: u128, b: u128) -> Option<(u128, u128)> {
    let num = n.checked_mul(b)?.checked_add(a.checked_mul(d)?)?;
    let den = d.checked_mul(b)?;
    let g = gcd(num, den).max(1);
    Some((num / g, den / g))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rate::RatePolicy;

    fn entry(code: &str, base: &str, region: &str, dept: &str) -> CatalogEntry {
        CatalogEntry {
            matter_code: code.into(),
            base_code: base.into(),
            name: format!("事项{code}"),
            region: RegionCode::parse(region).unwrap(),
            department: dept.into(),
            sector: None,
            hall: None,
            legal_limit_days: Some(20),
            promised_limit_days: Some(5),
            online_full: false,
            instant: false,
            scenario: false,
            e_license: false,
            cert_free: false,
            extended_hours: false,
        }
    }

    #[test]
    fn district_matters_count_once_per_base_code() {
        let city = RegionCode::parse("150300").unwrap();
        let mut es = vec![
            entry("C1", "B1", "150300", "乌海市人社局"),
            entry("D3", "B2", "150304", "乌达区人社局"),
            entry("D2", "B2", "150303", "海南区人社局"),
            entry("D1", "B2", "150302", "海勃湾区人社局"),
            entry("D4", "B3", "150303", "海南区公安分局"),
            entry("T1", "B4", "150303100", "某街道"),
            entry("X1", "B5", "150202", "外市"),
        ];
        es[0].sector = Some("人力资源和社会保障".into());
        es[1].sector = Some("人力资源和社会保障".into());
        es[3].sector = Some("人力资源和社会保障".into());
        es[3].online_full = true;
        es[2].online_full = false;
        let units = dedup_units(&es, &city);
        let codes: Vec<&str> = units.iter().map(|u| u.matter_code.as_str()).collect();
        assert_eq!(codes, vec!["C1", "D1", "D4"]);
        let c = UnitCounts::of(&es, &city);
        assert_eq!(c.units, 3);
        // 人力资源和社会保障 (C1, D1) and 海南区公安分局 (no sector).
        assert_eq!(c.sectors, 2);
        assert_eq!(c.online_full, 1, "the smallest code D1 stands for B2");
    }

    #[test]
    fn compression_is_an_exact_mean() {
        let mut a = entry("A", "A", "150300", "d");
        (a.legal_limit_days, a.promised_limit_days) = (Some(20), Some(3)); // 0.85
        let mut b = entry("B", "B", "150300", "d");
        (b.legal_limit_days, b.promised_limit_days) = (Some(3), Some(1)); // 0.6667
        let mut c = entry("C", "C", "150300", "d");
        c.legal_limit_days = None;
        let mut d = entry("D", "D", "150300", "d");
        (d.legal_limit_days, d.promised_limit_days) = (Some(5), Some(10)); // over: 0
        let mut e = entry("E", "E", "150300", "d");
        e.promised_limit_days = None;
        let got = LimitCompression::of([&a, &b, &c, &d, &e]);
        assert_eq!(
            (
                got.counted,
                got.no_legal_limit,
                got.no_promised_limit,
                got.promised_over_legal
            ),
            (3, 1, 1, 1)
        );
        // (17/20 + 2/3 + 0) / 3 = 91/180
        assert_eq!((got.numerator, got.denominator, got.exact), (91, 180, true));
        let p1 = RatePolicy::default().with_precision(1);
        assert_eq!(p1.format(got.numerator, got.denominator), "50.6%");
    }

    #[test]
    fn a_mean_on_a_rounding_boundary_is_not_rounded_twice() {
        // 341/400 = 85.25% exactly must print 85.3% at one decimal (half-up), which a mean
        // accumulated in floating point could print as 85.2%.
        let mut a = entry("A", "A", "150300", "d");
        (a.legal_limit_days, a.promised_limit_days) = (Some(400), Some(59));
        let got = LimitCompression::of([&a]);
        let p1 = RatePolicy::default().with_precision(1);
        assert_eq!(p1.format(got.numerator, got.denominator), "85.3%");
        let none = LimitCompression::of(std::iter::empty());
        assert_eq!(p1.format(none.numerator, none.denominator), "—");
    }
}
