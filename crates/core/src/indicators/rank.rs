//! A unit's total score, the 数据不足 rule, and rankings within groups with the tie rule.

use super::formulas::{IndicatorScore, score_indicator};
use super::inputs::{CITY_LEVEL, Evidence, Unit, UnitInputs, UnitKind};
use super::{DepartmentGrouping, IndicatorConfig, IndicatorKey};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ranked,
    /// 数据不足: too few cases or ratings, or too few indicators with data.
    Insufficient,
}

/// Points taken off the total (整改超期 …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deduction {
    pub key: String,
    pub name: String,
    pub count: u64,
    pub points: f64,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub indicators: Vec<IndicatorScore>,
    pub deductions: Vec<Deduction>,
    /// Points of the indicators with data, as a percentage of the full mark.
    pub coverage: f64,
    /// Σ points rescaled to the full mark (when some indicators have no data), less the
    /// deductions, rounded to the ranking precision. `None` when 数据不足.
    pub total: Option<f64>,
    pub status: Status,
    /// Why the unit is 数据不足.
    pub reasons: Vec<String>,
}

/// `x` rounded half away from zero to `precision` decimals, as an integer of that scale.
fn scaled(x: f64, precision: u8) -> i64 {
    (x * 10f64.powi(i32::from(precision))).round() as i64
}

fn rounded(x: f64, precision: u8) -> f64 {
    scaled(x, precision) as f64 / 10f64.powi(i32::from(precision))
}

/// Scores one unit on every configured indicator.
pub fn score_unit(inputs: &UnitInputs, config: &IndicatorConfig) -> Score {
    let indicators: Vec<IndicatorScore> = config
        .indicators
        .iter()
        .map(|d| score_indicator(d, inputs, config))
        .collect();
    let covered: f64 = indicators
        .iter()
        .filter(|s| s.points.is_some())
        .map(|s| s.weight)
        .sum();
    let earned: f64 = indicators.iter().filter_map(|s| s.points).sum();
    let coverage = 100.0 * covered / config.full_mark;
    let d = &config.deductions;
    let overdue = inputs.overdue_rectifications.len() as u64;
    let mut deductions = Vec::new();
    if overdue > 0 && d.overdue_rectification > 0.0 {
        deductions.push(Deduction {
            key: "overdue_rectification".into(),
            name: "整改超期".into(),
            count: overdue,
            points: (overdue as f64 * d.overdue_rectification).min(d.overdue_rectification_max),
            evidence: inputs.overdue_rectifications.clone(),
        });
    }
    let reasons = insufficient(inputs, coverage, config);
    let total = (reasons.is_empty() && covered > 0.0).then(|| {
        let off: f64 = deductions.iter().map(|d| d.points).sum();
        let x = (earned * config.full_mark / covered - off).clamp(0.0, config.full_mark);
        rounded(x, config.ranking.precision)
    });
    Score {
        indicators,
        deductions,
        coverage: rounded(coverage, 2),
        status: if total.is_some() {
            Status::Ranked
        } else {
            Status::Insufficient
        },
        total,
        reasons,
    }
}

fn insufficient(inputs: &UnitInputs, coverage: f64, config: &IndicatorConfig) -> Vec<String> {
    let s = &config.sample;
    let mut out = Vec::new();
    let cases = inputs.cases.accepted;
    if cases < s.min_cases {
        out.push(format!("办件{cases}件，少于{}件", s.min_cases));
    }
    let ratings = inputs.ratings.total();
    if ratings < s.min_ratings {
        out.push(format!("好差评{ratings}条，少于{}条", s.min_ratings));
    }
    if coverage + 1e-9 < s.min_coverage {
        out.push(format!(
            "有数据的指标分值占满分的{:.0}%，低于{}%",
            coverage,
            super::config::fmt_num(s.min_coverage)
        ));
    }
    out
}

/// A unit with its score and its place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub kind: UnitKind,
    pub name: String,
    pub code: Option<String>,
    /// The group it is ranked in.
    pub group: String,
    /// 1-based competition rank within the group (1, 1, 3 …); `None` when 数据不足.
    pub rank: Option<u32>,
    /// Shares its rank with another unit after every tie-break.
    pub tied: bool,
    /// Units ranked in the group.
    pub of: u32,
    pub cases: u64,
    pub ratings: u64,
    pub score: Score,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankGroup {
    pub name: String,
    pub entries: Vec<Ranked>,
}

/// An indicator of the configuration and its full points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorWeight {
    pub key: IndicatorKey,
    pub name: String,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    pub kind: UnitKind,
    pub version: String,
    pub title: String,
    pub source: String,
    pub full_mark: f64,
    pub indicators: Vec<IndicatorWeight>,
    /// Compared in order when totals are equal.
    pub tie_break: Vec<IndicatorKey>,
    pub groups: Vec<RankGroup>,
    pub ranked: u64,
    pub insufficient: u64,
}

impl Ranking {
    pub fn entries(&self) -> impl Iterator<Item = &Ranked> {
        self.groups.iter().flat_map(|g| g.entries.iter())
    }
}

/// The group a unit is ranked in.
fn group_of(u: &Unit, config: &IndicatorConfig) -> String {
    match (u.kind, config.ranking.departments) {
        (UnitKind::Department, DepartmentGrouping::All) => "全部部门".into(),
        _ => u.region.clone(),
    }
}

/// Scores and ranks units; groups keep the order in which `units` first name them.
pub fn rank_units(units: &[Unit], kind: UnitKind, config: &IndicatorConfig) -> Ranking {
    let mut groups: Vec<RankGroup> = Vec::new();
    for u in units.iter().filter(|u| u.kind == kind) {
        let group = group_of(u, config);
        let entry = Ranked {
            kind: u.kind,
            name: u.name.clone(),
            code: u.code.clone(),
            group: group.clone(),
            rank: None,
            tied: false,
            of: 0,
            cases: u.inputs.cases.accepted,
            ratings: u.inputs.ratings.total(),
            score: score_unit(&u.inputs, config),
        };
        match groups.iter_mut().find(|g| g.name == group) {
            Some(g) => g.entries.push(entry),
            None => groups.push(RankGroup {
                name: group,
                entries: vec![entry],
            }),
        }
    }
    // 市本级 before the districts, whatever order the units came in.
    groups.sort_by_key(|g| g.name != CITY_LEVEL);
    for g in &mut groups {
        place(&mut g.entries, config);
    }
    let all = groups.iter().flat_map(|g| g.entries.iter());
    let ranked = all.clone().filter(|e| e.rank.is_some()).count() as u64;
    Ranking {
        kind,
        version: config.version.clone(),
        title: config.title.clone(),
        source: config.source.clone(),
        full_mark: config.full_mark,
        indicators: config
            .indicators
            .iter()
            .map(|d| IndicatorWeight {
                key: d.key,
                name: d.name.clone(),
                weight: d.weight,
            })
            .collect(),
        tie_break: config.ranking.tie_break.clone(),
        ranked,
        insufficient: all.count() as u64 - ranked,
        groups,
    }
}

/// The comparison key: the total, then each tie-break indicator's points, all at the
/// ranking precision (an indicator without data sorts below any points).
fn sort_key(e: &Ranked, config: &IndicatorConfig) -> Vec<i64> {
    let p = config.ranking.precision;
    let mut key = vec![e.score.total.map_or(i64::MIN, |t| scaled(t, p))];
    for k in &config.ranking.tie_break {
        let pts = e
            .score
            .indicators
            .iter()
            .find(|s| s.key == *k)
            .and_then(|s| s.points);
        key.push(pts.map_or(i64::MIN, |x| scaled(x, p)));
    }
    key
}

/// Orders a group (ranked units best first, then 数据不足 by name) and assigns ranks.
fn place(entries: &mut [Ranked], config: &IndicatorConfig) {
    let keys: Vec<Vec<i64>> = entries.iter().map(|e| sort_key(e, config)).collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|a, b| {
        let (ea, eb) = (&entries[*a], &entries[*b]);
        let ranked = |e: &Ranked| e.score.total.is_some();
        let by_score = if ranked(ea) && ranked(eb) {
            keys[*b].cmp(&keys[*a])
        } else {
            Ordering::Equal
        };
        ranked(eb)
            .cmp(&ranked(ea))
            .then(by_score)
            .then_with(|| ea.name.cmp(&eb.name))
    });
    let sorted: Vec<Ranked> = order.iter().map(|i| entries[*i].clone()).collect();
    let of = sorted.iter().filter(|e| e.score.total.is_some()).count() as u32;
    for (slot, mut e) in entries.iter_mut().zip(sorted) {
        e.of = of;
        *slot = e;
    }
    let mut i = 0;
    while i < of as usize {
        let key = sort_key(&entries[i], config);
        let mut j = i + 1;
        while j < of as usize && sort_key(&entries[j], config).cmp(&key) == Ordering::Equal {
            j += 1;
        }
        for e in &mut entries[i..j] {
            e.rank = Some(i as u32 + 1);
            e.tied = j - i > 1;
        }
        i = j;
    }
}
