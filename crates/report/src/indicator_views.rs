//! The indicator system as printed: the tables of `jianping stats indicators|service` and
//! section 一's indicator table and results in the annual report.

use crate::indicators::{ConfigSummary, IndicatorReport, ServiceRow};
use crate::tabular::Table;
use jianping_core::indicators::{Ranked, Ranking, Status};
use serde::{Deserialize, Serialize};

/// Points at the ranking's precision: "87.53".
pub fn points(x: f64, precision: u8) -> String {
    format!("{x:.*}", usize::from(precision))
}

/// 15 → "15", 12.5 → "12.5".
pub fn plain(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn rank_text(e: &Ranked) -> String {
    match e.rank {
        Some(r) if e.tied => format!("{r}（并列）"),
        Some(r) => r.to_string(),
        None => "—".into(),
    }
}

fn remark(e: &Ranked) -> String {
    let s = &e.score;
    let mut parts: Vec<String> = Vec::new();
    if s.status == Status::Insufficient {
        parts.push(format!("数据不足：{}", s.reasons.join("；")));
    }
    for d in &s.deductions {
        parts.push(format!("{}{}项扣{}分", d.name, d.count, plain(d.points)));
    }
    if s.status == Status::Ranked && s.coverage < 100.0 {
        let missing: Vec<&str> = s
            .indicators
            .iter()
            .filter(|i| i.points.is_none())
            .map(|i| i.name.as_str())
            .collect();
        parts.push(format!("{}无数据，按其余指标折算", missing.join("、")));
    }
    parts.join("；")
}

/// The ranking as a table: one row per unit, its points per indicator.
pub fn ranking_table(r: &Ranking, precision: u8) -> Table {
    let unit = if r.kind == jianping_core::indicators::UnitKind::Department {
        "部门"
    } else {
        "区域"
    };
    let mut headers: Vec<String> = vec!["分组".into(), "排名".into(), unit.into()];
    headers.push(format!("总分（{}）", plain(r.full_mark)));
    headers.extend(
        r.indicators
            .iter()
            .map(|i| format!("{}（{}）", i.name, plain(i.weight))),
    );
    headers.extend(["办件".into(), "好差评".into(), "说明".into()]);
    let rows = r
        .entries()
        .map(|e| {
            let mut cells = vec![e.group.clone(), rank_text(e), e.name.clone()];
            cells.push(
                e.score
                    .total
                    .map_or("数据不足".into(), |t| points(t, precision)),
            );
            cells.extend(
                e.score
                    .indicators
                    .iter()
                    .map(|i| i.points.map_or("无数据".into(), |p| points(p, precision))),
            );
            cells.extend([e.cases.to_string(), e.ratings.to_string(), remark(e)]);
            cells
        })
        .collect();
    Table::new(headers, rows)
}

/// Service statistics, one row per unit.
pub fn service_table(rows: &[ServiceRow], unit: &str) -> Table {
    let headers = [
        unit,
        "分组",
        "办件",
        "办结率",
        "事项（期初→期末）",
        "全程网办（期初→期末）",
        "全程网办比例",
        "承诺时限压缩率（期初→期末）",
        "情形化",
        "即办",
        "电子证照关联",
        "免证办",
        "免证办比例",
        "延时服务事项",
        "延时服务办件",
        "帮办代办办件",
        "一件事办件",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let body = rows
        .iter()
        .map(|r| {
            let s = &r.stats;
            vec![
                r.name.clone(),
                r.group.clone(),
                s.cases.to_string(),
                s.completion_rate.printed.clone(),
                format!("{}→{}", s.matters_start, s.matters_end),
                format!("{}→{}", s.online_full_start, s.online_full_end),
                s.online_full_rate.printed.clone(),
                format!(
                    "{}→{}",
                    s.compression_start.printed, s.compression_end.printed
                ),
                s.scenario_rate.printed.clone(),
                s.instant_rate.printed.clone(),
                s.e_license_rate.printed.clone(),
                s.cert_free.to_string(),
                s.cert_free_rate.printed.clone(),
                s.extended_matters.to_string(),
                s.extended_cases.to_string(),
                s.assisted_cases.to_string(),
                s.package_cases.to_string(),
            ]
        })
        .collect();
    Table::new(headers, body)
}

/// Section 一's part: the indicator table, and the results of the regions and the
/// departments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSection {
    pub config: ConfigSummary,
    /// "100".
    pub full_mark: String,
    /// Weights as printed, in the order of `config.indicators`.
    pub weights: Vec<String>,
    /// "60".
    pub min_coverage: String,
    /// 市本级, then the districts, as ranked within their level.
    pub regions: Vec<ScoreLine>,
    /// Per department group (市本级, each district): who leads and who trails.
    pub departments: Vec<GroupSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreLine {
    pub name: String,
    pub group: String,
    /// "1", "1（并列）", "—".
    pub rank: String,
    /// "87.53" or "数据不足".
    pub total: String,
    /// Points per indicator ("无数据" when none), in the configuration's order.
    pub points: Vec<String>,
    pub insufficient: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub group: String,
    pub ranked: u64,
    pub insufficient: u64,
    /// The best and the worst (up to three each, without overlap), with their totals.
    pub top: Vec<ScoreLine>,
    pub bottom: Vec<ScoreLine>,
}

/// A line of the annual report: a rank among one is no rank.
fn line(e: &Ranked, precision: u8) -> ScoreLine {
    ScoreLine {
        name: e.name.clone(),
        group: e.group.clone(),
        rank: if e.of > 1 { rank_text(e) } else { "—".into() },
        total: e
            .score
            .total
            .map_or("数据不足".into(), |t| points(t, precision)),
        points: e
            .score
            .indicators
            .iter()
            .map(|i| i.points.map_or("无数据".into(), |p| points(p, precision)))
            .collect(),
        insufficient: e.score.total.is_none(),
    }
}

impl IndicatorSection {
    pub fn of(report: &IndicatorReport) -> IndicatorSection {
        let precision = report.config.precision;
        let departments = report
            .departments
            .groups
            .iter()
            .map(|g| {
                let ranked: Vec<&Ranked> = g.entries.iter().filter(|e| e.rank.is_some()).collect();
                let n = ranked.len();
                let top_n = n.min(3);
                let bottom_from = n.saturating_sub(3).max(top_n);
                GroupSummary {
                    group: g.name.clone(),
                    ranked: n as u64,
                    insufficient: (g.entries.len() - n) as u64,
                    top: ranked[..top_n].iter().map(|e| line(e, precision)).collect(),
                    bottom: ranked[bottom_from..]
                        .iter()
                        .map(|e| line(e, precision))
                        .collect(),
                }
            })
            .collect();
        IndicatorSection {
            full_mark: plain(report.config.full_mark),
            weights: report
                .config
                .indicators
                .iter()
                .map(|i| plain(i.weight))
                .collect(),
            min_coverage: plain(report.config.min_coverage),
            config: report.config.clone(),
            regions: report
                .regions
                .entries()
                .map(|e| line(e, precision))
                .collect(),
            departments,
        }
    }
}
