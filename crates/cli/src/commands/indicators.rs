//! `jianping stats indicators|service`: scores, rankings and service statistics per
//! department or region, with the indicator configuration in effect.

use super::report::{rate_policy, usage_error};
use crate::args::{IndicatorStatsArgs, ServiceStatsArgs, TableFormat, UnitBy};
use crate::config::Config;
use jianping_core::indicators::{DEFAULT_TOML, Ranking};
use jianping_core::{Period, QualityWarning, RatePolicy, RegionCode};
use jianping_report::indicator_views::{ranking_table, service_table};
use jianping_report::indicators::{ConfigSummary, ServiceRow, build_indicators};
use jianping_report::model::RegionRef;
use jianping_report::tabular::Table;
use serde::Serialize;

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

fn city(flag: Option<&str>, config: &Config) -> anyhow::Result<Option<RegionCode>> {
    if let Some(c) = flag {
        return Ok(Some(
            RegionCode::parse(c).unwrap_or_else(|e| usage_error(&format!("--city：{e}"))),
        ));
    }
    config
        .report
        .city
        .as_deref()
        .map(|c| RegionCode::parse(c).map_err(|e| anyhow::anyhow!("配置 [report] city：{e}")))
        .transpose()
}

fn by_name(by: UnitBy) -> &'static str {
    match by {
        UnitBy::Department => "department",
        UnitBy::Region => "region",
    }
}

fn emit(
    format: TableFormat,
    output: Option<&std::path::Path>,
    warnings: &[QualityWarning],
    json: impl FnOnce() -> serde_json::Result<String>,
    table: impl FnOnce() -> Table,
) -> anyhow::Result<()> {
    let bytes = match format {
        TableFormat::Json => {
            let mut s = json()?;
            s.push('\n');
            s.into_bytes()
        }
        other => {
            for w in warnings {
                eprintln!("提示：{}", w.message);
            }
            if other == TableFormat::Csv {
                table().to_csv()
            } else {
                table().to_text().into_bytes()
            }
        }
    };
    crate::output::write(output, &bytes)
}

pub fn scores(
    db: &crate::args::DbArgs,
    config: &Config,
    a: &IndicatorStatsArgs,
) -> anyhow::Result<()> {
    if a.show_config {
        let text = match config.indicator_file() {
            Some(p) => {
                // Refuse a broken file here too, rather than print it as if it were in effect.
                config.indicator_config()?;
                std::fs::read_to_string(&p)?
            }
            None => DEFAULT_TOML.to_string(),
        };
        return crate::output::write(a.output.output.as_deref(), text.as_bytes());
    }
    let indicators = config.indicator_config()?;
    let period = super::period(&a.period)?;
    let city = city(a.city.as_deref(), config)?;
    let mut store = super::open_store(db)?;
    let policy = RatePolicy::default();
    let r = build_indicators(&mut store, &period, &indicators, city.as_ref(), &policy)?;
    let ranking = match a.by {
        UnitBy::Department => &r.departments,
        UnitBy::Region => &r.regions,
    };
    if a.format != TableFormat::Json {
        eprintln!(
            "指标体系：{}（版本 {}，{}）",
            r.config.title, r.config.version, r.config.source
        );
    }
    let view = IndicatorStats {
        period,
        by: by_name(a.by),
        city: &r.city,
        config: &r.config,
        ranking,
        warnings: &r.warnings,
    };
    emit(
        a.format,
        a.output.output.as_deref(),
        &r.warnings,
        || serde_json::to_string_pretty(&view),
        || ranking_table(ranking, r.config.precision),
    )
}

pub fn service(
    db: &crate::args::DbArgs,
    config: &Config,
    a: &ServiceStatsArgs,
) -> anyhow::Result<()> {
    // Section 二 prints these ratios with one decimal; --precision overrides.
    let policy = match a.rate.precision {
        Some(_) => rate_policy(&a.rate, config)?,
        None => rate_policy(&a.rate, config)?.with_precision(1),
    };
    let indicators = config.indicator_config()?;
    let period = super::period(&a.period)?;
    let city = city(a.city.as_deref(), config)?;
    let mut store = super::open_store(db)?;
    let r = build_indicators(&mut store, &period, &indicators, city.as_ref(), &policy)?;
    let (rows, unit) = match a.by {
        UnitBy::Department => (&r.service_departments, "部门"),
        UnitBy::Region => (&r.service_regions, "区域"),
    };
    let view = ServiceStatsView {
        period,
        by: by_name(a.by),
        city: &r.city,
        policy,
        rows,
        warnings: &r.warnings,
    };
    emit(
        a.format,
        a.output.output.as_deref(),
        &r.warnings,
        || serde_json::to_string_pretty(&view),
        || service_table(rows, unit),
    )
}
