//! The matter catalog's numbers, solved from the targets.
//!
//! The report counts the catalog in three ways that constrain each other:
//! - *units*: every city matter, plus one instance per district `base_code` (the smallest
//!   `code`, i.e. the instance of the district with the smallest region code);
//! - *subtrees*: 免证办 per district counts every instance in the district's subtree
//!   (district and town level);
//! - *all instances*: 延时服务 5105 must be "98%以上" of every instance, so there are at most
//!   ⌊5105 / 0.98⌋ = 5209 instances.
//!
//! Districts are taken in code order d0 < d1 < d2. d0 implements `primary_codes` of the
//! district base codes (and represents them as units); d1 implements every other code (and
//! represents those) plus some of d0's; d2 implements a subset and represents none. With
//! `q[d]` instances of subtree d that are neither units nor 免证办 (a shape choice), the 免证办
//! equations fix every size:
//!   d2: non-units N2 = CF2 + q2                    (d2 has no units)
//!   d0: unit cert-free u0 = CF0 − (T0 − q0)         (its towns are its only non-units)
//!   d1: u1 = (CF_units − CF_city) − u0,  N1 = CF1 − u1 + q1.

use crate::targets::{Targets, count_for_rate};

/// Shape choices: what the targets leave free.
#[derive(Debug, Clone)]
pub struct Layout {
    /// City matters handled outside the service centre (tax office, central bank, 外事).
    pub city_outside: u64,
    /// District base codes the first district implements.
    pub primary_codes: u64,
    /// Town-level matter instances per district (its streets' and towns' 便民服务中心).
    pub town_matters: [u64; 3],
    /// Instances per district subtree that are neither units nor 免证办.
    pub plain_non_units: [u64; 3],
}

pub const LAYOUT: Layout = Layout {
    city_outside: 32,
    primary_codes: 1300,
    town_matters: [300, 128, 221],
    plain_non_units: [65, 65, 65],
};

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub city_centre: u64,
    pub city_outside: u64,
    /// Distinct district base codes.
    pub district_codes: u64,
    /// District-level instances per district.
    pub district_size: [u64; 3],
    pub town_size: [u64; 3],
    /// Units each district represents.
    pub rep_units: [u64; 3],
    /// Instances of each subtree that are not units (town instances included).
    pub non_units: [u64; 3],
    pub cert_city: u64,
    pub cert_units: [u64; 3],
    pub cert_non_units: [u64; 3],
    pub instances: u64,
    pub extended: u64,
    /// Instances without 延时服务: city level, then each district subtree.
    pub not_extended: [u64; 4],
    pub units: u64,
    pub online_before: u64,
    pub online_after: u64,
    pub scenario: u64,
    pub instant: u64,
    pub e_license: u64,
    pub cert_free_units: u64,
    pub compression_before: f64,
    pub compression_after: f64,
}

impl Plan {
    pub fn city(&self) -> u64 {
        self.city_centre + self.city_outside
    }
    pub fn subtree(&self, d: usize) -> u64 {
        self.district_size[d] + self.town_size[d]
    }
}

fn sub(a: u64, b: u64, what: &str) -> u64 {
    a.checked_sub(b)
        .unwrap_or_else(|| panic!("demo layout infeasible: {what} ({a} − {b} < 0)"))
}

/// Solves the catalog's sizes; panics with the violated constraint when the layout cannot
/// meet the targets (a programming error, caught by the unit test).
pub fn solve(t: &Targets, l: &Layout) -> Plan {
    let units = t.units;
    let city = t.center_matters + l.city_outside;
    let codes = sub(units, city, "units − city matters");
    let pct = |p| count_for_rate(p, units).expect("a count prints as the target rate");
    let cert_free_units = pct(t.cert_free_permille);
    let cf: Vec<u64> = t.cert_free_districts.iter().map(|(_, n)| *n).collect();
    let cf_district_units = sub(cert_free_units, t.cert_free_city, "cert-free units − city");
    let (tw, q) = (l.town_matters, l.plain_non_units);

    let n2 = cf[2] + q[2];
    let u0 = sub(
        cf[0],
        sub(tw[0], q[0], "d0 towns − plain"),
        "d0 cert-free − towns",
    );
    let u1 = sub(cf_district_units, u0, "district cert-free units − d0");
    let n1 = sub(cf[1] + q[1], u1, "d1 non-units");
    let rep = [
        l.primary_codes,
        sub(codes, l.primary_codes, "codes − primary"),
        0,
    ];
    assert!(
        u0 <= rep[0] && u1 <= rep[1],
        "more cert-free units than units"
    );
    let d1_shared = sub(n1, tw[1], "d1 non-units − towns");
    assert!(d1_shared <= rep[0], "d1 shares more codes than d0 has");
    let d2 = sub(n2, tw[2], "d2 non-units − towns");
    assert!(d2 <= codes, "d2 implements more codes than exist");
    let district_size = [rep[0], rep[1] + d1_shared, d2];
    let non_units = [tw[0], n1, n2];
    let instances = city + district_size.iter().sum::<u64>() + tw.iter().sum::<u64>();

    // "98%以上": 5105 / instances floors to 98%, and is not exact.
    let floor = t.extended_matters * 100 / instances;
    assert_eq!(
        floor, t.extended_share_floor_percent,
        "{instances} instances give {floor}%, not {}%",
        t.extended_share_floor_percent
    );
    let not_extended_total = instances - t.extended_matters;
    let hi = 1 + crate::org::DISTRICTS
        .iter()
        .position(|d| d.0 == t.highlight_district)
        .expect("highlighted district");
    let sizes = [
        city,
        district_size[0] + tw[0],
        district_size[1] + tw[1],
        district_size[2] + tw[2],
    ];
    let hi_plain = sub(sizes[hi], t.highlight_extended_matters, "highlight subtree");
    let rest = sub(
        not_extended_total,
        hi_plain,
        "non-extended beyond the highlight",
    );
    let others: Vec<usize> = (0..4).filter(|g| *g != hi).collect();
    let weights: Vec<f64> = others.iter().map(|g| sizes[*g] as f64).collect();
    let mut not_extended = [0; 4];
    not_extended[hi] = hi_plain;
    for (g, n) in others
        .iter()
        .zip(crate::targets::apportion(rest, &weights, 0))
    {
        not_extended[*g] = n;
    }

    Plan {
        city_centre: t.center_matters,
        city_outside: l.city_outside,
        district_codes: codes,
        district_size,
        town_size: tw,
        rep_units: rep,
        non_units,
        cert_city: t.cert_free_city,
        cert_units: [u0, u1, 0],
        cert_non_units: [tw[0] - q[0], n1 - q[1], n2 - q[2]],
        instances,
        extended: t.extended_matters,
        not_extended,
        units,
        online_before: t.online_before,
        online_after: t.online_after,
        scenario: pct(t.scenario_permille),
        instant: pct(t.instant_permille),
        e_license: pct(t.e_license_permille),
        cert_free_units,
        compression_before: t.compression_before_permille as f64 / 1000.0,
        compression_after: t.compression_after_permille as f64 / 1000.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::TARGETS;

    #[test]
    fn the_seed_layout_is_feasible_and_consistent() {
        let p = solve(&TARGETS, &LAYOUT);
        assert_eq!(p.city() + p.district_codes, TARGETS.units);
        assert_eq!(p.rep_units.iter().sum::<u64>(), p.district_codes);
        assert_eq!(
            p.cert_city + p.cert_units.iter().sum::<u64>(),
            p.cert_free_units
        );
        for (d, (_, cf)) in TARGETS.cert_free_districts.iter().enumerate() {
            assert_eq!(p.cert_units[d] + p.cert_non_units[d], *cf);
            assert_eq!(p.rep_units[d] + p.non_units[d], p.subtree(d));
        }
        assert!(
            p.instances <= 5209 && p.instances >= 5157,
            "{}",
            p.instances
        );
        assert_eq!(p.not_extended.iter().sum::<u64>(), p.instances - p.extended);
        assert_eq!(p.subtree(0) - p.not_extended[1], 1557);
    }

    #[test]
    #[should_panic(expected = "infeasible")]
    fn an_infeasible_layout_is_refused() {
        let mut l = LAYOUT.clone();
        l.town_matters[0] = 2000;
        solve(&TARGETS, &l);
    }
}
