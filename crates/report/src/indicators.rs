//! The indicator system in reports: scores and rankings of departments and regions, the
//! service statistics behind section 二 per department and region, and what the annual
//! report's section 一 prints. `rank_departments` is what a bulletin calls.

use crate::ReportError;
use crate::annual::{RegionNames, Warnings, resolve_city};
use crate::model::RegionRef;
use jianping_core::indicators::{
    IndicatorConfig, InputSet, Ranking, ServiceStats, TagRules, Unit, UnitKind, method_text,
    rank_units,
};
use jianping_core::{Period, QualityWarning, RatePolicy, RegionCode};
use jianping_store::Store;
use jianping_store::cube::RatingCube;
use serde::{Deserialize, Serialize};

/// The configuration as a report states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigSummary {
    pub version: String,
    pub title: String,
    /// The file it was read from, or the built-in default.
    pub source: String,
    pub full_mark: f64,
    /// Decimals of points.
    pub precision: u8,
    pub indicators: Vec<IndicatorRow>,
    pub min_cases: u64,
    pub min_ratings: u64,
    pub min_coverage: f64,
    /// "服务满意度、窗口不规范行为".
    pub tie_break: Vec<String>,
}

/// One line of the indicator table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub key: String,
    pub name: String,
    pub weight: f64,
    /// How it is computed, in words, from the configured parameters.
    pub method: String,
}

impl ConfigSummary {
    pub fn of(config: &IndicatorConfig) -> ConfigSummary {
        ConfigSummary {
            version: config.version.clone(),
            title: config.title.clone(),
            source: config.source.clone(),
            full_mark: config.full_mark,
            precision: config.ranking.precision,
            indicators: config
                .indicators
                .iter()
                .map(|d| IndicatorRow {
                    key: d.key.key().to_string(),
                    name: d.name.clone(),
                    weight: d.weight,
                    method: method_text(d, config),
                })
                .collect(),
            min_cases: config.sample.min_cases,
            min_ratings: config.sample.min_ratings,
            min_coverage: config.sample.min_coverage,
            tie_break: config
                .ranking
                .tie_break
                .iter()
                .map(|k| k.name().to_string())
                .collect(),
        }
    }
}

/// A unit's service statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceRow {
    pub name: String,
    pub code: Option<String>,
    /// Its region group (departments) or level (regions).
    pub group: String,
    pub stats: ServiceStats,
}

/// Everything `jianping stats indicators` prints, and more (the JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorReport {
    pub period: Period,
    pub city: RegionRef,
    pub config: ConfigSummary,
    pub departments: Ranking,
    pub regions: Ranking,
    pub service_departments: Vec<ServiceRow>,
    /// 市本级 and the districts, then the whole city (instances of every level).
    pub service_regions: Vec<ServiceRow>,
    pub warnings: Vec<QualityWarning>,
}

/// The city's units and their inputs, with warnings about what was left out.
pub fn load_inputs(
    store: &mut Store,
    period: &Period,
    config: &IndicatorConfig,
    city: Option<&RegionCode>,
    warnings: &mut Warnings,
) -> Result<(InputSet, RegionRef), ReportError> {
    load_inputs_with(store, period, config, city, warnings, None)
}

/// [`load_inputs`] reusing the period's rating cube when the caller already read it.
pub fn load_inputs_with(
    store: &mut Store,
    period: &Period,
    config: &IndicatorConfig,
    city: Option<&RegionCode>,
    warnings: &mut Warnings,
    cube: Option<&RatingCube>,
) -> Result<(InputSet, RegionRef), ReportError> {
    let regions = store.regions()?;
    let names = RegionNames::new(&regions);
    let city = resolve_city(&regions, city)?;
    let city = names.named(&city, warnings);
    let rules = TagRules::from_config(config);
    let set = match cube {
        Some(cube) => store.indicator_inputs_from(period, &city.code, &rules, cube)?,
        None => store.indicator_inputs(period, &city.code, &rules)?,
    };
    if set.outside > 0 {
        warnings.add(
            "指标体系",
            format!(
                "{} 条办件、评价或监督记录的行政区划不在本市范围内，未计入部门和区域的指标得分",
                set.outside
            ),
        );
    }
    for (name, n) in &set.unknown_indicators {
        let shown = if name.is_empty() { "（空）" } else { name };
        warnings.add(
            "第三方评估",
            format!(
                "{n} 条第三方评估打分行的评估指标「{shown}」不是指标体系中的指标，未计入得分；评估指标应为：{}",
                config
                    .indicators
                    .iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        );
    }
    Ok((set, city))
}

fn service_rows(units: &[Unit], policy: &RatePolicy) -> Vec<ServiceRow> {
    units
        .iter()
        .map(|u| ServiceRow {
            name: u.name.clone(),
            code: u.code.clone(),
            group: u.region.clone(),
            stats: ServiceStats::of(&u.inputs, policy),
        })
        .collect()
}

/// Scores, rankings and service statistics of every department and region of the city.
pub fn build_indicators(
    store: &mut Store,
    period: &Period,
    config: &IndicatorConfig,
    city: Option<&RegionCode>,
    policy: &RatePolicy,
) -> Result<IndicatorReport, ReportError> {
    build_indicators_with(store, period, config, city, policy, None)
}

/// [`build_indicators`] reusing the period's rating cube when the caller already read it.
pub fn build_indicators_with(
    store: &mut Store,
    period: &Period,
    config: &IndicatorConfig,
    city: Option<&RegionCode>,
    policy: &RatePolicy,
    cube: Option<&RatingCube>,
) -> Result<IndicatorReport, ReportError> {
    let mut warnings = Warnings::default();
    let (set, city) = load_inputs_with(store, period, config, city, &mut warnings, cube)?;
    let mut service_regions = service_rows(&set.regions, policy);
    service_regions.extend(service_rows(std::slice::from_ref(&set.total), policy));
    Ok(IndicatorReport {
        period: *period,
        city,
        config: ConfigSummary::of(config),
        departments: rank_units(&set.departments, UnitKind::Department, config),
        regions: rank_units(&set.regions, UnitKind::Region, config),
        service_departments: service_rows(&set.departments, policy),
        service_regions,
        warnings: warnings.0,
    })
}

/// The departments' ranking for a period (the monthly bulletin's table), for the one city
/// in the store.
pub fn rank_departments(
    store: &mut Store,
    period: &Period,
    config: &IndicatorConfig,
) -> Result<Ranking, ReportError> {
    let mut warnings = Warnings::default();
    let (set, _) = load_inputs(store, period, config, None, &mut warnings)?;
    Ok(rank_units(&set.departments, UnitKind::Department, config))
}

/// The regions' ranking (市本级 and the districts).
pub fn rank_regions(
    store: &mut Store,
    period: &Period,
    config: &IndicatorConfig,
) -> Result<Ranking, ReportError> {
    let mut warnings = Warnings::default();
    let (set, _) = load_inputs(store, period, config, None, &mut warnings)?;
    Ok(rank_units(&set.regions, UnitKind::Region, config))
}
