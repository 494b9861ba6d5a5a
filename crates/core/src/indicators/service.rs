//! Section 二's service statistics for one department or region: 办结率, the catalog's
//! ratios before → after, 免证办, 延时服务. Catalog figures count the unit's matter
//! instances (a district matter is the district's own), so instance counts of the regions
//! add up to the city's; the city-wide deduplicated units of section 二 do not split.

use super::inputs::UnitInputs;
use crate::rate::{Rate, RatePolicy};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceStats {
    pub cases: u64,
    pub completed: u64,
    pub completion_rate: Rate,
    /// Matter instances at the start and at the end of the period.
    pub matters_start: u64,
    pub matters_end: u64,
    pub online_full_start: u64,
    pub online_full_end: u64,
    pub online_full_rate: Rate,
    /// 承诺时限对比法定时限平均压缩率, at the start and at the end.
    pub compression_start: Rate,
    pub compression_end: Rate,
    /// Matters at the end in the mean, and those left out for want of a legal or a
    /// promised limit.
    pub compression_counted: u64,
    pub compression_no_legal_limit: u64,
    pub compression_no_promised_limit: u64,
    pub scenario_rate: Rate,
    pub instant_rate: Rate,
    pub e_license_rate: Rate,
    pub cert_free: u64,
    pub cert_free_rate: Rate,
    pub extended_matters: u64,
    pub extended_matter_rate: Rate,
    pub extended_cases: u64,
    pub assisted_cases: u64,
    pub package_cases: u64,
}

impl ServiceStats {
    pub fn of(inputs: &UnitInputs, policy: &RatePolicy) -> ServiceStats {
        let c = &inputs.cases;
        let (s, e) = (&inputs.matters_start, &inputs.matters_end);
        let compression = |m: &super::MatterCounts| {
            if m.compression.counted == 0 {
                policy.rate(0, 0)
            } else {
                policy.rate(m.compression.numerator, m.compression.denominator)
            }
        };
        ServiceStats {
            cases: c.accepted,
            completed: c.completed,
            completion_rate: policy.rate(c.completed, c.accepted),
            matters_start: s.instances,
            matters_end: e.instances,
            online_full_start: s.online_full,
            online_full_end: e.online_full,
            online_full_rate: policy.rate(e.online_full, e.instances),
            compression_start: compression(s),
            compression_end: compression(e),
            compression_counted: e.compression.counted,
            compression_no_legal_limit: e.compression.no_legal_limit,
            compression_no_promised_limit: e.compression.no_promised_limit,
            scenario_rate: policy.rate(e.scenario, e.instances),
            instant_rate: policy.rate(e.instant, e.instances),
            e_license_rate: policy.rate(e.e_license, e.instances),
            cert_free: e.cert_free,
            cert_free_rate: policy.rate(e.cert_free, e.instances),
            extended_matters: e.extended_hours,
            extended_matter_rate: policy.rate(e.extended_hours, e.instances),
            extended_cases: c.extended,
            assisted_cases: c.assisted,
            package_cases: c.in_package,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogEntry;
    use crate::indicators::MatterCounts;
    use crate::region::RegionCode;

    #[test]
    fn before_and_after_from_the_two_catalogs() {
        let e = |legal: Option<u32>, online: bool, cert_free: bool| CatalogEntry {
            matter_code: "M".into(),
            base_code: "M".into(),
            name: "事项".into(),
            region: RegionCode::parse("150302").unwrap(),
            department: "局".into(),
            sector: None,
            hall: None,
            legal_limit_days: legal,
            promised_limit_days: Some(5),
            online_full: online,
            instant: false,
            scenario: false,
            e_license: false,
            cert_free,
            extended_hours: online,
        };
        let mut u = UnitInputs::default();
        u.cases.accepted = 3;
        u.cases.completed = 2;
        u.matters_start = MatterCounts::of(&[e(Some(10), false, false), e(Some(20), false, true)]);
        u.matters_end = MatterCounts::of(&[
            e(Some(10), true, false),
            e(Some(20), true, true),
            e(None, false, true),
        ]);
        let p1 = RatePolicy::default().with_precision(1);
        let s = ServiceStats::of(&u, &p1);
        assert_eq!(s.completion_rate.printed, "66.7%");
        assert_eq!(
            (s.online_full_start, s.online_full_end, s.matters_end),
            (0, 2, 3)
        );
        // (0.5 + 0.75) / 2 at both ends; the matter without a legal limit is counted apart.
        assert_eq!(s.compression_start.printed, "62.5%");
        assert_eq!(s.compression_end.printed, "62.5%");
        assert_eq!(
            (s.compression_counted, s.compression_no_legal_limit),
            (2, 1)
        );
        assert_eq!(
            (s.cert_free, s.cert_free_rate.printed.as_str()),
            (2, "66.7%")
        );
        assert_eq!(s.extended_matters, 2);
        let empty = ServiceStats::of(&UnitInputs::default(), &p1);
        assert_eq!(empty.compression_end.printed, "—");
        assert_eq!(empty.completion_rate.printed, "—");
    }
}
