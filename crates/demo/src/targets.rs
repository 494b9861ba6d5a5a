//! The figures the demo city must reproduce (FIGURES.md, with its documented corrections),
//! and the arithmetic that turns a printed figure back into the count behind it.

use jianping_core::{Grade, RatePolicy};

/// 乌海市's 2023 figures as the seed report prints them. Everything the generator decides is
/// derived from these; nothing else in the crate restates a seed figure.
#[derive(Debug, Clone)]
pub struct Targets {
    // 二、基本情况
    pub center_windows: u64,
    pub center_staff: u64,
    pub center_departments: u64,
    pub center_matters: u64,
    /// Cases in the period, as printed in 万 with one decimal (25.6万 → 2560).
    pub cases_wan_tenths: u64,
    /// 办结率 in per mille (99.3% → 993).
    pub completion_permille: u64,
    pub sectors: u64,
    pub units: u64,
    pub online_before: u64,
    pub online_after: u64,
    /// 承诺时限压缩率 in per mille.
    pub compression_before_permille: u64,
    pub compression_after_permille: u64,
    pub scenario_permille: u64,
    pub instant_permille: u64,
    pub e_license_permille: u64,
    pub cert_free_permille: u64,
    pub msb_featured_apps: u64,
    pub msb_mini_programs: u64,
    /// 注册人数 in 万 with two decimals (29.19万 → 2919).
    pub msb_users_wan_hundredths: u64,
    pub msb_users_share_permille: u64,
    /// 总访问量 in 万 (1085万 → 1085).
    pub msb_visits_wan: u64,
    pub extended_halls: u64,
    pub extended_matters: u64,
    /// 延时服务事项占比, printed as a whole-percent floor ("98%以上").
    pub extended_share_floor_percent: u64,
    pub extended_windows: u64,
    /// 延时服务办件, printed rounded down to the leading digit ("7000余").
    pub extended_cases_floor: u64,
    /// The highlighted district (most extended-hours cases) and its subtree's figures.
    pub highlight_district: &'static str,
    pub highlight_extended_matters: u64,
    pub highlight_extended_windows: u64,
    pub highlight_extended_cases: u64,
    pub cert_free_city: u64,
    /// 免证办 per district subtree: (district code, count).
    pub cert_free_districts: [(&'static str, u64); 3],
    // 三、12345
    pub tickets: [(&'static str, u64); 5],
    // 四、好差评: per tier, counts in Grade::ALL order.
    pub ratings_city: [u64; 5],
    pub ratings_district: [u64; 5],
    pub ratings_grassroots: [u64; 5],
    // 五、监督员
    pub supervisors: u64,
    pub supervisor_year: i32,
    pub feedback_items: u64,
    // 六、码上监督
    pub qr_reports: u64,
    pub qr_reports_service: u64,
}

pub const TARGETS: Targets = Targets {
    center_windows: 69,
    center_staff: 283,
    center_departments: 39,
    center_matters: 1168,
    cases_wan_tenths: 256,
    completion_permille: 993,
    sectors: 42,
    units: 2679,
    online_before: 1831,
    online_after: 2444,
    compression_before_permille: 755,
    compression_after_permille: 852,
    scenario_permille: 689,
    instant_permille: 759,
    e_license_permille: 665,
    cert_free_permille: 585,
    msb_featured_apps: 395,
    msb_mini_programs: 161,
    msb_users_wan_hundredths: 2919,
    msb_users_share_permille: 525,
    msb_visits_wan: 1085,
    extended_halls: 107,
    extended_matters: 5105,
    extended_share_floor_percent: 98,
    extended_windows: 182,
    extended_cases_floor: 7000,
    highlight_district: "150302",
    highlight_extended_matters: 1557,
    highlight_extended_windows: 85,
    highlight_extended_cases: 1799,
    cert_free_city: 734,
    cert_free_districts: [("150302", 1040), ("150303", 1101), ("150304", 1006)],
    tickets: [
        ("建议", 12),
        ("求助", 15),
        ("咨询", 2),
        ("投诉", 1),
        ("表扬", 1),
    ],
    ratings_city: [65061, 60, 17, 0, 0],
    // FIGURES.md correction 1: 156805 非常满意, so the tier sums to its printed total 157239.
    ratings_district: [156805, 369, 64, 1, 0],
    ratings_grassroots: [14250, 157, 32, 0, 0],
    supervisors: 30,
    supervisor_year: 2022,
    feedback_items: 12,
    qr_reports: 15,
    qr_reports_service: 2,
};

impl Targets {
    pub fn ratings_total(&self) -> u64 {
        [
            &self.ratings_city,
            &self.ratings_district,
            &self.ratings_grassroots,
        ]
        .iter()
        .flat_map(|t| t.iter())
        .sum()
    }

    pub fn tier_counts(&self) -> [[u64; 5]; 3] {
        [
            self.ratings_city,
            self.ratings_district,
            self.ratings_grassroots,
        ]
    }

    pub fn grade_count(&self, tier: usize, grade: Grade) -> u64 {
        self.tier_counts()[tier][grade.index()]
    }
}

/// "68.9%" for 689 per mille.
pub fn permille_text(permille: u64) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

/// The count `n` of `den` whose rate prints as `permille` at one decimal with the report's
/// rounding, closest to the exact value; `None` when no count prints so.
pub fn count_for_rate(permille: u64, den: u64) -> Option<u64> {
    let policy = RatePolicy::default().with_precision(1);
    let want = permille_text(permille);
    let fits: Vec<u64> = (0..=den)
        .filter(|n| policy.format(*n, den) == want)
        .collect();
    let ideal = permille as f64 / 1000.0 * den as f64;
    fits.into_iter().min_by(|a, b| {
        let da = (*a as f64 - ideal).abs();
        let db = (*b as f64 - ideal).abs();
        da.total_cmp(&db)
    })
}

/// The inclusive range of counts that print as `value` 万 with `decimals` decimals
/// (e.g. 2919 with 2 decimals → 291850..=291949).
pub fn wan_range(value: u64, decimals: u32) -> (u64, u64) {
    let unit = 10_000 / 10u64.pow(decimals.min(3));
    (value * unit - unit / 2, value * unit + unit / 2 - 1)
}

/// Largest-remainder split of `total` by `weights`, each part at least `min` (when possible).
pub fn apportion(total: u64, weights: &[f64], min: u64) -> Vec<u64> {
    let n = weights.len() as u64;
    if n == 0 {
        return Vec::new();
    }
    let floor_total = (min * n).min(total);
    let base = floor_total / n;
    let rest = total - base * n;
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| {
            if sum > 0.0 {
                w / sum * rest as f64
            } else {
                0.0
            }
        })
        .collect();
    let mut parts: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut left = rest - parts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| {
        let ra = exact[*a] - exact[*a].floor();
        let rb = exact[*b] - exact[*b].floor();
        rb.total_cmp(&ra).then(a.cmp(b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts.iter().map(|p| p + base).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_for_printed_rates() {
        assert_eq!(count_for_rate(689, 2679), Some(1846));
        assert_eq!(count_for_rate(585, 2679), Some(1567));
        let n = count_for_rate(665, 2679).unwrap();
        assert!(n == 1781 || n == 1782);
    }

    #[test]
    fn wan_ranges() {
        assert_eq!(wan_range(2919, 2), (291_850, 291_949));
        assert_eq!(wan_range(256, 1), (255_500, 256_499));
        assert_eq!(wan_range(1085, 0), (10_845_000, 10_854_999));
    }

    #[test]
    fn apportion_is_exact() {
        let p = apportion(1168, &[5.0, 1.0, 1.0, 0.1], 3);
        assert_eq!(p.iter().sum::<u64>(), 1168);
        assert!(p.iter().all(|x| *x >= 3));
        assert_eq!(apportion(10, &[1.0, 1.0, 1.0], 0), vec![4, 3, 3]);
    }

    #[test]
    fn seed_tiers_add_up() {
        assert_eq!(TARGETS.ratings_total(), 236_816);
        assert_eq!(TARGETS.ratings_district.iter().sum::<u64>(), 157_239);
    }
}
