//! Ranking departments. The default rule orders by 满意率, then 差评整改率, then the number
//! of ratings; the indicator system (issue 5) will hand in its scores through
//! [`RankingMethod::Scores`] instead, and the bulletin prints whichever it was given.

use super::{DepartmentFigures, RankEntry, Ranking};
use crate::model::NamedCount;
use jianping_core::{Rate, RatingSummary};
use std::cmp::Ordering;

/// How departments are ranked.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RankingMethod {
    /// 满意率 (higher first); equal 满意率 by 差评整改率 (higher first; a department without
    /// bad ratings has nothing to rectify and counts as complete); then by the number of
    /// ratings (more first). Departments equal on all three share a rank.
    #[default]
    Default,
    /// Scores computed elsewhere for the same period — the indicator system's — higher
    /// first; equal scores share a rank.
    Scores(DepartmentScores),
}

/// Scores per department, as the indicator system hands them over.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentScores {
    /// What the score is, as the text names it ("综合得分（评价指标体系 2024版）").
    pub name: String,
    pub scores: Vec<DepartmentScore>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentScore {
    pub department: String,
    pub score: f64,
    /// As printed ("92.5").
    pub printed: String,
    /// The indicator system's own judgement that the data are too few to rank on.
    pub insufficient: bool,
}

pub const DEFAULT_BASIS: &str = "依次按满意率、差评整改率从高到低和评价数从多到少排序";

/// Ranks the departments; `overall` is the city's summary (for "below average").
pub fn rank(
    departments: &[DepartmentFigures],
    overall: &RatingSummary,
    min_ratings: u64,
    method: &RankingMethod,
) -> Ranking {
    let (eligible, mut insufficient): (Vec<&DepartmentFigures>, Vec<&DepartmentFigures>) =
        departments
            .iter()
            .partition(|d| d.summary.total >= min_ratings);
    let mut unscored_count = 0;
    let (entries, method_code, basis, score_name) = match method {
        RankingMethod::Default => (
            default_order(eligible),
            "default",
            DEFAULT_BASIS.to_string(),
            None,
        ),
        RankingMethod::Scores(s) => {
            let (ranked, unscored) = by_scores(eligible, s);
            unscored_count = unscored.len() as u64;
            insufficient.extend(unscored);
            (
                ranked,
                "scores",
                format!("按{}从高到低排序", s.name),
                Some(s.name.clone()),
            )
        }
    };
    let below_average = entries
        .iter()
        .filter(|e| cmp_rate(&e.satisfied_rate, &overall.satisfied_rate) == Ordering::Less)
        .map(|e| e.department.clone())
        .collect();
    let top = entries
        .iter()
        .filter(|e| e.rank <= 3)
        .map(|e| e.department.clone())
        .collect();
    let mut insufficient: Vec<NamedCount> = insufficient
        .iter()
        .map(|d| NamedCount {
            name: d.department.clone(),
            count: d.summary.total,
        })
        .collect();
    insufficient.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    Ranking {
        method: method_code.to_string(),
        basis,
        score_name,
        min_ratings,
        entries,
        insufficient,
        unscored: unscored_count,
        top,
        below_average,
    }
}

/// a/b against c/d exactly; an empty denominator counts as complete (nothing to rectify).
fn cmp_rate(a: &Rate, b: &Rate) -> Ordering {
    let frac = |r: &Rate| {
        if r.denominator == 0 {
            (1u128, 1u128)
        } else {
            (u128::from(r.numerator), u128::from(r.denominator))
        }
    };
    let (an, ad) = frac(a);
    let (bn, bd) = frac(b);
    (an * bd).cmp(&(bn * ad))
}

fn default_key_cmp(a: &DepartmentFigures, b: &DepartmentFigures) -> Ordering {
    cmp_rate(&b.summary.satisfied_rate, &a.summary.satisfied_rate)
        .then_with(|| {
            cmp_rate(
                &b.followup.rectification_rate,
                &a.followup.rectification_rate,
            )
        })
        .then_with(|| b.summary.total.cmp(&a.summary.total))
}

fn default_order(mut eligible: Vec<&DepartmentFigures>) -> Vec<RankEntry> {
    eligible.sort_by(|a, b| default_key_cmp(a, b).then_with(|| a.department.cmp(&b.department)));
    let mut out: Vec<RankEntry> = Vec::with_capacity(eligible.len());
    for (i, d) in eligible.iter().enumerate() {
        let rank = match i {
            0 => 1,
            _ if default_key_cmp(eligible[i - 1], d) == Ordering::Equal => out[i - 1].rank,
            _ => i as u64 + 1,
        };
        out.push(entry(rank, d, None));
    }
    out
}

/// Ranked by score, and the eligible departments without a usable score.
fn by_scores<'a>(
    eligible: Vec<&'a DepartmentFigures>,
    s: &DepartmentScores,
) -> (Vec<RankEntry>, Vec<&'a DepartmentFigures>) {
    let mut scored: Vec<(&DepartmentFigures, &DepartmentScore)> = Vec::new();
    let mut unscored = Vec::new();
    for d in eligible {
        match s
            .scores
            .iter()
            .find(|x| x.department == d.department && !x.insufficient && x.score.is_finite())
        {
            Some(x) => scored.push((d, x)),
            None => unscored.push(d),
        }
    }
    scored.sort_by(|a, b| {
        b.1.score
            .total_cmp(&a.1.score)
            .then_with(|| a.0.department.cmp(&b.0.department))
    });
    let mut out: Vec<RankEntry> = Vec::with_capacity(scored.len());
    for (i, (d, x)) in scored.iter().enumerate() {
        let rank = match i {
            0 => 1,
            _ if scored[i - 1].1.score == x.score => out[i - 1].rank,
            _ => i as u64 + 1,
        };
        out.push(entry(rank, d, Some(x.printed.clone())));
    }
    (out, unscored)
}

fn entry(rank: u64, d: &DepartmentFigures, score: Option<String>) -> RankEntry {
    RankEntry {
        rank,
        department: d.department.clone(),
        ratings: d.summary.total,
        satisfied_rate: d.summary.satisfied_rate.clone(),
        rectification_rate: d.followup.rectification_rate.clone(),
        score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::BadFollowup;
    use jianping_core::{GradeCounts, GradeSets, RatePolicy};

    /// A department with `good` 非常满意 and `bad` 不满意 ratings, `closed` of them rectified.
    fn dept(name: &str, good: u64, bad: u64, closed: u64) -> DepartmentFigures {
        let policy = RatePolicy::default();
        DepartmentFigures {
            department: name.into(),
            summary: GradeSets::default().summarize(&GradeCounts([good, 0, 0, bad, 0]), &policy),
            followup: BadFollowup::new(bad, 0, 0, closed, &policy),
        }
    }

    fn ranks(r: &Ranking) -> Vec<(u64, &str)> {
        r.entries
            .iter()
            .map(|e| (e.rank, e.department.as_str()))
            .collect()
    }

    #[test]
    fn the_default_rule_and_its_ties() {
        let ds = vec![
            dept("丁", 98, 2, 1),  // 98%, half rectified
            dept("甲", 40, 0, 0),  // 100%, nothing to rectify
            dept("乙", 40, 0, 0),  // ties with 甲 on every key
            dept("丙", 49, 1, 1),  // 98%, all rectified: above 丁
            dept("戊", 200, 0, 0), // 100%, most ratings
            dept("己", 9, 0, 0),   // too few
        ];
        let overall =
            GradeSets::default().summarize(&GradeCounts([436, 0, 0, 3, 0]), &RatePolicy::default());
        let r = rank(&ds, &overall, 10, &RankingMethod::Default);
        assert_eq!(
            ranks(&r),
            vec![(1, "戊"), (2, "乙"), (2, "甲"), (4, "丙"), (5, "丁")]
        );
        assert_eq!(r.top, vec!["戊", "乙", "甲"]);
        assert_eq!(r.insufficient[0].name, "己");
        // The city: 436/439 = 99.3%; 丙 and 丁 (98%) are below it.
        assert_eq!(r.below_average, vec!["丙", "丁"]);
    }

    #[test]
    fn exact_fractions_not_printed_rates() {
        // 9999/10000 and 19999/20000 both print 99.99%; the second is higher.
        let a = dept("甲", 9_999, 1, 1);
        let b = dept("乙", 19_999, 1, 1);
        assert_eq!(
            a.summary.satisfied_rate.printed,
            b.summary.satisfied_rate.printed
        );
        let overall = a.summary.clone();
        let r = rank(&[a, b], &overall, 1, &RankingMethod::Default);
        assert_eq!(ranks(&r), vec![(1, "乙"), (2, "甲")]);
    }
}
