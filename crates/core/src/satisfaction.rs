//! What counts as satisfied, good and bad, and the figures every rating table prints.

use crate::grade::{Grade, GradeCounts};
use crate::rate::{Rate, RatePolicy};
use serde::{Deserialize, Serialize};

/// Which grades make up each rate, and the points each grade is worth. A bureau may change
/// these; reports state the sets they used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeSets {
    /// 满意率 numerator. Default: 非常满意 + 满意 + 基本满意.
    pub satisfied: Vec<Grade>,
    /// 好评率 numerator. Default: 非常满意 + 满意.
    pub good: Vec<Grade>,
    /// 差评. Default: 不满意 + 非常不满意.
    pub bad: Vec<Grade>,
    /// Points per grade in [`Grade::ALL`] order, for the average score. Default 10/8/6/3/0.
    pub points: [u32; 5],
}

impl Default for GradeSets {
    fn default() -> Self {
        GradeSets {
            satisfied: vec![Grade::VerySatisfied, Grade::Satisfied, Grade::Basic],
            good: vec![Grade::VerySatisfied, Grade::Satisfied],
            bad: vec![Grade::Unsatisfied, Grade::VeryUnsatisfied],
            points: [10, 8, 6, 3, 0],
        }
    }
}

/// The figures of one row of a rating table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingSummary {
    pub total: u64,
    /// Counts in [`Grade::ALL`] order: 非常满意, 满意, 基本满意, 不满意, 非常不满意.
    pub grades: GradeCounts,
    pub very_satisfied_rate: Rate,
    pub satisfied_rate: Rate,
    pub good_rate: Rate,
    pub bad: u64,
    pub bad_rate: Rate,
    /// Σ points × count / total, printed at the policy's precision.
    pub average_score: String,
    pub points_sum: u64,
}

impl GradeSets {
    pub fn summarize(&self, counts: &GradeCounts, policy: &RatePolicy) -> RatingSummary {
        let total = counts.total();
        let points_sum: u64 = Grade::ALL
            .iter()
            .map(|g| u64::from(self.points[g.index()]) * counts.get(*g))
            .sum();
        let bad = counts.sum_of(&self.bad);
        RatingSummary {
            total,
            grades: *counts,
            very_satisfied_rate: policy.rate(counts.get(Grade::VerySatisfied), total),
            satisfied_rate: policy.rate(counts.sum_of(&self.satisfied), total),
            good_rate: policy.rate(counts.sum_of(&self.good), total),
            bad,
            bad_rate: policy.rate(bad, total),
            average_score: policy.format_quotient(points_sum, total),
            points_sum,
        }
    }

    /// Refuses sets that would make the rates meaningless.
    pub fn validate(&self) -> Result<(), String> {
        if self.satisfied.is_empty() || self.good.is_empty() || self.bad.is_empty() {
            return Err("满意、好评、差评的等级集合都不能为空".into());
        }
        if self.bad.iter().any(|g| self.satisfied.contains(g)) {
            return Err("同一等级不能既计入满意又计入差评".into());
        }
        Ok(())
    }
}

/// A data-quality finding: parts that do not add up to the total they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityWarning {
    pub scope: String,
    pub message: String,
}

/// Checks that named parts add up to a total; returns a warning naming them if not.
pub fn check_parts(scope: &str, total: u64, parts: &[(&str, u64)]) -> Option<QualityWarning> {
    let sum: u64 = parts.iter().map(|(_, n)| n).sum();
    if sum == total {
        return None;
    }
    let listed: Vec<String> = parts.iter().map(|(k, n)| format!("{k} {n}")).collect();
    Some(QualityWarning {
        scope: scope.to_string(),
        message: format!(
            "{scope}：各分类合计 {sum}（{}）与总数 {total} 不一致，相差 {}",
            listed.join("、"),
            sum.abs_diff(total)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_city_totals() {
        let c = GradeCounts([236116, 586, 113, 1, 0]);
        let s = GradeSets::default().summarize(&c, &RatePolicy::default());
        assert_eq!(s.total, 236816);
        assert_eq!(s.very_satisfied_rate.printed, "99.70%");
        assert_eq!(s.satisfied_rate.printed, "99.99%");
        assert_eq!(s.bad, 1);
        assert_eq!(s.good_rate.numerator, 236702);
        assert_eq!(s.points_sum, 236116 * 10 + 586 * 8 + 113 * 6 + 3);
    }

    #[test]
    fn empty_sample_prints_dashes() {
        let s = GradeSets::default().summarize(&GradeCounts::default(), &RatePolicy::default());
        assert_eq!(s.satisfied_rate.printed, "—");
        assert_eq!(s.average_score, "—");
    }

    #[test]
    fn parts_not_adding_up_are_named() {
        assert!(check_parts("全市", 3, &[("a", 1), ("b", 2)]).is_none());
        let w = check_parts("区级", 157239, &[("非常满意", 156769), ("满意", 369)]).unwrap();
        assert!(w.message.contains("非常满意 156769"), "{}", w.message);
    }

    #[test]
    fn overlapping_sets_are_refused() {
        let mut s = GradeSets::default();
        s.bad.push(Grade::Basic);
        assert!(s.validate().is_err());
    }
}
