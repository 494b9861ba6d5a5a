//! Figures the document formats chart and tabulate beyond the narrative: ratings per month,
//! departments ranked by their ratings, and the report's problems with their ledger state.

use crate::ReportError;
use crate::annual::Warnings;
use crate::model::*;
use chrono::Datelike;
use jianping_core::{GradeSets, Period, RatePolicy};
use jianping_store::cube::RatingCube;
use jianping_store::queries::RatingGroup;

/// How many departments the ranking lists.
pub const RANKING_ROWS: usize = 10;

/// Ratings per calendar month, from the monthly rollup. The rollup has no month × region
/// grouping, so ratings outside the city are in these counts; a mismatch with the city's
/// total is reported in the appendix.
pub fn monthly(
    cube: &RatingCube,
    period: &Period,
    sets: &GradeSets,
    policy: &RatePolicy,
    city_total: u64,
    warnings: &mut Warnings,
) -> Result<Vec<MonthRatings>, ReportError> {
    let mut groups = cube.counts(RatingGroup::Month);
    groups.sort_by(|a, b| a.key.cmp(&b.key));
    let one_year = period.from.year() == period.to.year();
    let months: Vec<MonthRatings> = groups
        .iter()
        .map(|g| MonthRatings {
            label: month_label(&g.key, one_year),
            month: g.key.clone(),
            summary: sets.summarize(&g.counts, policy),
        })
        .collect();
    let sum: u64 = months.iter().map(|m| m.summary.total).sum();
    if sum != city_total {
        warnings.add(
            "好差评",
            format!(
                "月度评价数合计 {sum} 条与全市评价数 {city_total} 条不一致：月度趋势和部门排名按全部评价统计，含本市范围外或未归属区划的评价"
            ),
        );
    }
    Ok(months)
}

/// "2023-01" → "1月" (or "2023年1月" across years).
fn month_label(key: &str, one_year: bool) -> String {
    let (y, m) = key.split_once('-').unwrap_or((key, ""));
    let m = m.trim_start_matches('0');
    if one_year {
        format!("{m}月")
    } else {
        format!("{y}年{m}月")
    }
}

/// Departments by number of ratings (most first; ties by 满意率, then name), with their
/// 满意率 and bad ratings. The indicator system's ranking can take this one's place: the
/// renderers read only the generic [`Ranking`].
pub fn department_ranking(
    cube: &RatingCube,
    sets: &GradeSets,
    policy: &RatePolicy,
) -> Result<Ranking, ReportError> {
    let mut rows: Vec<(String, jianping_core::RatingSummary)> = cube
        .counts(RatingGroup::Department)
        .into_iter()
        .map(|g| (g.label, sets.summarize(&g.counts, policy)))
        .filter(|(_, s)| s.total > 0)
        .collect();
    rows.sort_by(|a, b| {
        b.1.total
            .cmp(&a.1.total)
            .then_with(|| {
                let (x, y) = (a.1.satisfied_rate.ratio, b.1.satisfied_rate.ratio);
                y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal)
            })
            .then_with(|| a.0.cmp(&b.0))
    });
    let ranked = rows.len() as u64;
    let satisfied: Vec<String> = sets.satisfied.iter().map(|g| g.to_string()).collect();
    let bad: Vec<String> = sets.bad.iter().map(|g| g.to_string()).collect();
    Ok(Ranking {
        title: "部门“好差评”评价数量排名".into(),
        subject: "部门".into(),
        basis: format!(
            "按评价数由多到少排序（相同时按满意率由高到低），列出前{}位，共{ranked}个部门有评价；满意率 =（{}）÷ 评价数，差评为{}。",
            RANKING_ROWS.min(rows.len()),
            satisfied.join("+"),
            bad.join("、")
        ),
        columns: ["评价数（条）", "满意率", "非常满意率", "差评（条）"]
            .iter()
            .map(|n| RankingColumn {
                name: n.to_string(),
            })
            .collect(),
        rows: rows
            .into_iter()
            .take(RANKING_ROWS)
            .enumerate()
            .map(|(i, (name, s))| RankingRow {
                rank: i as u64 + 1,
                name,
                figures: vec![
                    Figure::count(s.total),
                    Figure::rate(&s.satisfied_rate, policy),
                    Figure::rate(&s.very_satisfied_rate, policy),
                    Figure::count(s.bad),
                ],
            })
            .collect(),
        ranked,
    })
}

impl Figure {
    pub fn count(n: u64) -> Figure {
        Figure {
            printed: n.to_string(),
            value: n as f64,
            percent: false,
            decimals: 0,
        }
    }

    /// A rate as the policy printed it; "—" (value 0) when there was nothing to divide by.
    pub fn rate(r: &jianping_core::Rate, policy: &RatePolicy) -> Figure {
        Figure {
            printed: r.printed.clone(),
            value: r.ratio.unwrap_or(0.0),
            percent: true,
            decimals: policy.precision,
        }
    }
}

/// Sources in the order the report names them.
const SOURCES: [&str; 4] = ["好差评", "监督员意见", "“码”上监督", "第三方评估"];

/// Every problem sections 四 to 七 name, in the report's order.
pub fn rectification(
    ratings: &RatingsSection,
    supervisors: &SupervisorSection,
    qr: &QrSection,
    assessment: &AssessmentSection,
) -> RectificationSection {
    let mut items = Vec::new();
    for b in &ratings.bad {
        let what = match (&b.matter, &b.comment) {
            (Some(m), Some(c)) => format!("办理“{m}”时，{c}"),
            (None, Some(c)) => c.clone(),
            (Some(m), None) => format!("办理“{m}”时产生“{}”评价（未填写文字评价）", b.grade),
            (None, None) => format!("“{}”评价（未填写文字评价）", b.grade),
        };
        items.push(item(SOURCES[0], what, Some(&b.department), &b.ledger));
    }
    for c in &supervisors.by_category {
        for i in &c.items {
            let what = format!("{}：{}", c.category, i.content);
            items.push(item(SOURCES[1], what, i.department.as_ref(), &i.ledger));
        }
    }
    for q in &qr.in_domain {
        items.push(item(
            SOURCES[2],
            q.content.clone(),
            q.department.as_ref(),
            &q.ledger,
        ));
    }
    for f in &assessment.findings {
        items.push(item(
            SOURCES[3],
            f.finding.clone(),
            f.department.as_ref(),
            &f.ledger,
        ));
    }
    let summarize = |of: &mut dyn Iterator<Item = &RectificationItem>| {
        Rectification::of(of.map(|i| (i.department.as_deref(), i.ledger.as_ref())))
    };
    let by_source = SOURCES
        .iter()
        .filter(|s| items.iter().any(|i| i.source == **s))
        .map(|s| SourceRectification {
            source: s.to_string(),
            rectification: summarize(&mut items.iter().filter(|i| i.source == *s)),
        })
        .collect();
    RectificationSection {
        overall: summarize(&mut items.iter()),
        by_source,
        items,
    }
}

fn item(
    source: &str,
    problem: String,
    department: Option<&String>,
    ledger: &Option<LedgerState>,
) -> RectificationItem {
    let department = ledger
        .as_ref()
        .and_then(|l| l.department.clone())
        .or_else(|| department.cloned())
        .filter(|d| !d.is_empty());
    RectificationItem {
        source: source.to_string(),
        problem,
        department,
        ledger: ledger.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_labels() {
        assert_eq!(month_label("2023-01", true), "1月");
        assert_eq!(month_label("2023-10", true), "10月");
        assert_eq!(month_label("2024-02", false), "2024年2月");
    }
}
