//! Statistics queries (`stats ratings|hotline|indicators|service`) as tables, CSV or JSON.

use crate::config::Config;
use crate::error::Result;
use crate::settings;
use chrono::NaiveDate;
use jianping_core::hotline_kpi::HotlineGroup;
use jianping_core::indicators::{DEFAULT_TOML, Ranking};
use jianping_core::{Period, QualityWarning, RatePolicy, Rounding};
use jianping_report::indicator_views::{ranking_table, service_table};
use jianping_report::indicators::{ConfigSummary, ServiceRow, build_indicators};
use jianping_report::model::RegionRef;
use jianping_report::stats::{hotline_stats, rating_stats};
use jianping_report::tabular::Table;
use jianping_store::Store;
use jianping_store::queries::RatingGroup;
use serde::Serialize;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// Aligned text for a terminal.
    Table,
    Json,
    /// UTF-8 with a BOM, for Excel and WPS.
    Csv,
}

impl FromStr for TableFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "table" => Ok(TableFormat::Table),
            "json" => Ok(TableFormat::Json),
            "csv" => Ok(TableFormat::Csv),
            other => Err(format!("不支持的格式「{other}」：可用 table、json、csv")),
        }
    }
}

/// A statistics answer and the data-quality warnings that go with it.
#[derive(Debug, Clone)]
pub struct Tabulated {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
}

/// The period, grouping and rate settings of a statistics query.
#[derive(Debug, Clone, Copy)]
pub struct StatsRequest<G> {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub by: G,
    pub format: TableFormat,
    pub precision: Option<u8>,
    pub rounding: Option<Rounding>,
}

impl<G> StatsRequest<G> {
    fn period(&self, today: NaiveDate) -> Result<Period> {
        settings::period(self.from, self.to, today)
    }

    fn policy(&self, config: &Config) -> Result<RatePolicy> {
        settings::rate_policy(self.precision, self.rounding, config)
    }
}

/// Renders a model as JSON or its table as text or CSV; warnings go beside, except in JSON.
pub fn tabulate(
    format: TableFormat,
    warnings: &[QualityWarning],
    json: impl FnOnce() -> serde_json::Result<String>,
    table: impl FnOnce() -> Table,
) -> Result<Tabulated> {
    let bytes = match format {
        TableFormat::Table => table().to_text().into_bytes(),
        TableFormat::Csv => table().to_csv(),
        TableFormat::Json => {
            let mut s = json().map_err(anyhow::Error::new)?;
            s.push('\n');
            s.into_bytes()
        }
    };
    // JSON carries its warnings inside.
    let warnings = match format {
        TableFormat::Json => Vec::new(),
        _ => warnings.iter().map(|w| w.message.clone()).collect(),
    };
    Ok(Tabulated { bytes, warnings })
}

pub fn ratings(
    store: &mut Store,
    config: &Config,
    req: &StatsRequest<RatingGroup>,
    today: NaiveDate,
) -> Result<Tabulated> {
    let policy = req.policy(config)?;
    let period = req.period(today)?;
    let stats = rating_stats(store, &period, req.by, &policy, &config.grade_sets()?)?;
    tabulate(
        req.format,
        &[],
        || serde_json::to_string_pretty(&stats),
        || stats.table(),
    )
}

pub fn hotline(
    store: &mut Store,
    config: &Config,
    req: &StatsRequest<HotlineGroup>,
    today: NaiveDate,
) -> Result<Tabulated> {
    let policy = req.policy(config)?;
    let period = req.period(today)?;
    let stats = hotline_stats(store, &period, req.by, &policy)?;
    tabulate(
        req.format,
        &stats.warnings,
        || serde_json::to_string_pretty(&stats),
        || stats.table(),
    )
}

/// Indicator scores and service statistics are per department or per region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitBy {
    Department,
    Region,
}

impl UnitBy {
    fn name(self) -> &'static str {
        match self {
            UnitBy::Department => "department",
            UnitBy::Region => "region",
        }
    }
}

/// `stats indicators` as JSON: the ranking with every score's breakdown.
#[derive(Serialize)]
struct IndicatorStats<'a> {
    period: Period,
    by: &'static str,
    city: &'a RegionRef,
    config: &'a ConfigSummary,
    ranking: &'a Ranking,
    warnings: &'a [QualityWarning],
}

#[derive(Serialize)]
struct ServiceStatsView<'a> {
    period: Period,
    by: &'static str,
    city: &'a RegionRef,
    policy: RatePolicy,
    rows: &'a [ServiceRow],
    warnings: &'a [QualityWarning],
}

/// The indicator file in effect, as text (the bureau's, checked, or the built-in default).
pub fn indicator_config_text(config: &Config) -> Result<String> {
    Ok(match config.indicator_file() {
        Some(p) => {
            // Refuse a broken file here too, rather than print it as if it were in effect.
            config.indicator_config()?;
            std::fs::read_to_string(&p).map_err(anyhow::Error::new)?
        }
        None => DEFAULT_TOML.to_string(),
    })
}

/// Indicator scores and rankings; the second value names the indicator system in effect.
pub fn indicators(
    store: &mut Store,
    config: &Config,
    req: &StatsRequest<UnitBy>,
    city: Option<&str>,
    today: NaiveDate,
) -> Result<(Tabulated, String)> {
    let indicators = config.indicator_config()?;
    let period = req.period(today)?;
    let city = settings::city(city, config)?;
    let r = build_indicators(
        store,
        &period,
        &indicators,
        city.as_ref(),
        &RatePolicy::default(),
    )?;
    let ranking = match req.by {
        UnitBy::Department => &r.departments,
        UnitBy::Region => &r.regions,
    };
    let system = format!(
        "指标体系：{}（版本 {}，{}）",
        r.config.title, r.config.version, r.config.source
    );
    let view = IndicatorStats {
        period,
        by: req.by.name(),
        city: &r.city,
        config: &r.config,
        ranking,
        warnings: &r.warnings,
    };
    let out = tabulate(
        req.format,
        &r.warnings,
        || serde_json::to_string_pretty(&view),
        || ranking_table(ranking, r.config.precision),
    )?;
    Ok((out, system))
}

/// 一网通办、免证办 … per department or region.
pub fn service(
    store: &mut Store,
    config: &Config,
    req: &StatsRequest<UnitBy>,
    city: Option<&str>,
    today: NaiveDate,
) -> Result<Tabulated> {
    // Section 二 prints these ratios with one decimal; an explicit precision overrides.
    let policy = match req.precision {
        Some(_) => req.policy(config)?,
        None => req.policy(config)?.with_precision(1),
    };
    let indicators = config.indicator_config()?;
    let period = req.period(today)?;
    let city = settings::city(city, config)?;
    let r = build_indicators(store, &period, &indicators, city.as_ref(), &policy)?;
    let (rows, unit) = match req.by {
        UnitBy::Department => (&r.service_departments, "部门"),
        UnitBy::Region => (&r.service_regions, "区域"),
    };
    let view = ServiceStatsView {
        period,
        by: req.by.name(),
        city: &r.city,
        policy,
        rows,
        warnings: &r.warnings,
    };
    tabulate(
        req.format,
        &r.warnings,
        || serde_json::to_string_pretty(&view),
        || service_table(rows, unit),
    )
}
