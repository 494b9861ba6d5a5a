//! The eight formulas. Each indicator is a weighted mean of *components*, each an attainment
//! in [0, 1] computed from counts (or "no data"), times the indicator's points; components
//! without data drop out and the others' shares are renormalised. docs/indicators.md gives
//! the reasoning behind each default.

use super::config::fmt_num;
use super::inputs::{Evidence, UnitInputs};
use super::{IndicatorConfig, IndicatorDef, IndicatorKey};
use crate::grade::{Grade, GradeCounts};
use serde::{Deserialize, Serialize};

/// One part of an indicator: the raw figure and what it is worth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub key: String,
    pub name: String,
    /// The figure as printed: "平均分9.99（236816条）", "每千件0.25起（2起/8000件）".
    pub raw: String,
    /// Attainment in [0, 1]; `None` when the unit has no data for it.
    pub value: Option<f64>,
    /// Relative share within the indicator, as configured.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    pub key: IndicatorKey,
    pub name: String,
    /// The indicator's full points.
    pub weight: f64,
    pub components: Vec<Component>,
    /// Σ share × value / Σ share over the components with data.
    pub attainment: Option<f64>,
    /// Points deducted within the indicator (facility problems for 服务舒适度).
    pub deducted: f64,
    /// weight × attainment − deducted, never below 0; `None` without data.
    pub points: Option<f64>,
    /// The records behind counts and deductions.
    pub evidence: Vec<Evidence>,
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

fn pct(x: f64) -> String {
    format!("{}%", fmt_num((x * 10000.0).round() / 100.0))
}

fn rate_component(key: &str, name: &str, num: u64, den: u64, share: f64) -> Component {
    Component {
        key: key.into(),
        name: name.into(),
        raw: match ratio(num, den) {
            Some(r) => format!("{}（{num}/{den}）", pct(r)),
            None => "无数据".into(),
        },
        value: ratio(num, den),
        share,
    }
}

/// A rate scored against a target: reaching it earns full attainment.
fn target_component(
    key: &str,
    name: &str,
    (num, den): (u64, u64),
    target: f64,
    share: f64,
) -> Component {
    let r = ratio(num, den);
    Component {
        key: key.into(),
        name: name.into(),
        raw: match r {
            Some(r) => format!("{}（{num}/{den}，目标{}）", pct(r), pct(target)),
            None => "无数据".into(),
        },
        value: r.map(|r| (r / target).min(1.0)),
        share,
    }
}

/// The average grade points as a share of the best grade's, stretched over [floor, 1].
fn rating_component(
    key: &str,
    name: &str,
    counts: &GradeCounts,
    points: &[f64; 5],
    floor: f64,
    share: f64,
) -> Component {
    let total = counts.total();
    let best = points.iter().copied().fold(0.0, f64::max);
    if total == 0 || best <= 0.0 {
        return Component {
            key: key.into(),
            name: name.into(),
            raw: "无数据".into(),
            value: None,
            share,
        };
    }
    let sum: f64 = Grade::ALL
        .iter()
        .map(|g| points[g.index()] * counts.get(*g) as f64)
        .sum();
    let avg = sum / total as f64;
    let value = ((avg / best - floor) / (1.0 - floor)).clamp(0.0, 1.0);
    Component {
        key: key.into(),
        name: name.into(),
        raw: format!("平均分{:.2}（{total}条）", avg),
        value: Some(value),
        share,
    }
}

fn third_party_component(key: IndicatorKey, inputs: &UnitInputs, share: f64) -> Component {
    let tp = inputs.third_party.get(&key);
    let mean = tp.and_then(|t| t.mean());
    Component {
        key: "third_party".into(),
        name: "第三方评估得分率".into(),
        raw: match (mean, tp) {
            (Some(m), Some(t)) => format!("{}（{}项）", pct(m), t.rows),
            _ => "无数据".into(),
        },
        value: mean,
        share,
    }
}

fn irregularity(def: &IndicatorDef, inputs: &UnitInputs) -> Vec<Component> {
    let n = inputs.irregularities.len() as u64;
    let cases = inputs.cases.accepted;
    let zero_at = def.num("zero_at_per_1000");
    let per_1000 = ratio(n * 1000, cases);
    vec![Component {
        key: "incidents".into(),
        name: "每千件办件不规范行为".into(),
        raw: match per_1000 {
            Some(r) => format!("每千件{:.2}起（{n}起/{cases}件）", r),
            None => format!("{n}起，无办件"),
        },
        value: per_1000.map(|r| (1.0 - r / zero_at).max(0.0)),
        share: def.num("incidents_share"),
    }]
}

/// Builds an indicator's parts; a part's share is the parameter `<key>_share`.
struct Parts<'a> {
    def: &'a IndicatorDef,
    inputs: &'a UnitInputs,
    config: &'a IndicatorConfig,
}

impl Parts<'_> {
    fn share(&self, key: &str) -> f64 {
        self.def.num(&format!("{key}_share"))
    }

    fn rate(&self, key: &str, name: &str, num: u64, den: u64) -> Component {
        rate_component(key, name, num, den, self.share(key))
    }

    fn target(&self, key: &str, name: &str, num: u64, den: u64) -> Component {
        let target = self.def.num("target_case_rate");
        target_component(key, name, (num, den), target, self.share(key))
    }

    fn rating(&self, key: &str, name: &str, counts: &GradeCounts) -> Component {
        let (points, floor) = (&self.config.grade_points, self.def.num("floor"));
        rating_component(key, name, counts, points, floor, self.share(key))
    }

    fn compression(&self) -> Component {
        let k = &self.inputs.matters_end.compression;
        let mean = ratio(k.numerator, k.denominator).filter(|_| k.counted > 0);
        Component {
            key: "compression".into(),
            name: "承诺时限平均压缩率".into(),
            raw: match mean {
                Some(r) => format!("{}（{}项）", pct(r), k.counted),
                None => "无数据".into(),
            },
            value: mean,
            share: self.share("compression"),
        }
    }

    fn packages(&self) -> Component {
        let target = self.def.num("target_packages");
        let n = self.inputs.packages.len() as u64;
        Component {
            key: "packages".into(),
            name: "办理过的“一件事”套餐".into(),
            raw: format!("{n}个（目标{}个）", fmt_num(target)),
            // Without cases there is nothing a package could have been offered for.
            value: (self.inputs.cases.accepted > 0).then(|| (n as f64 / target).min(1.0)),
            share: self.share("packages"),
        }
    }
}

fn components(def: &IndicatorDef, inputs: &UnitInputs, config: &IndicatorConfig) -> Vec<Component> {
    let p = Parts {
        def,
        inputs,
        config,
    };
    let (m, c) = (&inputs.matters_end, &inputs.cases);
    let mut out = match def.key {
        IndicatorKey::Irregularity => irregularity(def, inputs),
        IndicatorKey::Completeness => vec![
            p.rate("scenario", "情形化比例", m.scenario, m.instances),
            p.rate("e_license", "电子证照关联比例", m.e_license, m.instances),
            p.rate("cert_free", "免证办比例", m.cert_free, m.instances),
        ],
        IndicatorKey::Maturity => vec![
            p.rate("online_full", "全程网办比例", m.online_full, m.instances),
            p.rate("instant", "即办件比例", m.instant, m.instances),
            p.compression(),
        ],
        IndicatorKey::Satisfaction => vec![p.rating("ratings", "好差评平均分", &inputs.ratings)],
        IndicatorKey::Comfort => Vec::new(),
        IndicatorKey::ExtendedHours => vec![
            p.rate(
                "matters",
                "可延时服务事项比例",
                m.extended_hours,
                m.instances,
            ),
            p.target("cases", "延时服务办件占比", c.extended, c.accepted),
        ],
        IndicatorKey::Assistance => vec![
            p.target("cases", "帮办代办办件占比", c.assisted, c.accepted),
            p.rating(
                "satisfaction",
                "帮办代办办件好差评平均分",
                &inputs.assisted_ratings,
            ),
        ],
        IndicatorKey::OneThing => vec![
            p.packages(),
            p.target("cases", "套餐办件占比", c.in_package, c.accepted),
        ],
    };
    let tp = p.share("third_party");
    if tp > 0.0 {
        out.push(third_party_component(def.key, inputs, tp));
    }
    out.retain(|c| c.share > 0.0);
    out
}

/// One indicator's score for one unit.
pub fn score_indicator(
    def: &IndicatorDef,
    inputs: &UnitInputs,
    config: &IndicatorConfig,
) -> IndicatorScore {
    let components = components(def, inputs, config);
    let with_data: Vec<&Component> = components.iter().filter(|c| c.value.is_some()).collect();
    let shares: f64 = with_data.iter().map(|c| c.share).sum();
    let attainment = (shares > 0.0).then(|| {
        with_data
            .iter()
            .map(|c| c.share * c.value.unwrap_or(0.0))
            .sum::<f64>()
            / shares
    });
    let (evidence, deducted) = match def.key {
        IndicatorKey::Irregularity => (inputs.irregularities.clone(), 0.0),
        IndicatorKey::Comfort => {
            let per = def.num("deduction_per_item") * def.weight;
            (
                inputs.facility_issues.clone(),
                per * inputs.facility_issues.len() as f64,
            )
        }
        _ => (Vec::new(), 0.0),
    };
    let earned = attainment.map(|a| def.weight * a);
    // A deduction takes the points down to zero at most.
    let applied = earned.map_or(0.0, |p| deducted.min(p));
    IndicatorScore {
        key: def.key,
        name: def.name.clone(),
        weight: def.weight,
        deducted: applied,
        points: earned.map(|p| p - applied),
        components,
        attainment,
        evidence,
    }
}

/// How an indicator is computed, in words, from its parameters (for the report's table).
pub fn method_text(def: &IndicatorDef, config: &IndicatorConfig) -> String {
    let fake = UnitInputs::default();
    let parts = components(def, &fake, config);
    let total: f64 = parts.iter().map(|c| c.share).sum();
    let share = |c: &Component| pct(c.share / total);
    let floor = pct(def.num("floor"));
    let gp: Vec<String> = config.grade_points.iter().map(|p| fmt_num(*p)).collect();
    let described: Vec<String> = parts
        .iter()
        .map(|c| {
            let what = match (def.key, c.key.as_str()) {
                (IndicatorKey::Irregularity, "incidents") => format!(
                    "每千件办件窗口不规范行为起数（达到{}起为0，线性折算）",
                    fmt_num(def.num("zero_at_per_1000"))
                ),
                (_, "third_party") => "第三方评估得分率".to_string(),
                (_, "ratings" | "satisfaction") => format!(
                    "{}（{}分制）占最高分的比例在{floor}至100%之间折算",
                    c.name,
                    gp.join("/")
                ),
                (IndicatorKey::OneThing, "packages") => format!(
                    "办理过的“一件事”套餐个数（达到{}个得满分）",
                    fmt_num(def.num("target_packages"))
                ),
                (_, "cases") => format!(
                    "{}（达到{}得满分）",
                    c.name,
                    pct(def.num("target_case_rate"))
                ),
                _ => c.name.clone(),
            };
            if parts.len() > 1 {
                format!("{what}，权重{}", share(c))
            } else {
                what
            }
        })
        .collect();
    let mut text = described.join("；");
    if def.key == IndicatorKey::Comfort {
        text.push_str(&format!(
            "；监督员、“码”上监督反映的设施问题每项扣本指标分值的{}",
            pct(def.num("deduction_per_item"))
        ));
    }
    if !def.description.trim().is_empty() {
        text.push_str(&format!("。{}", def.description.trim()));
    }
    text
}
