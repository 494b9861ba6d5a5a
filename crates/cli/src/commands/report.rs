//! `jianping report annual|monthly`.

use crate::args::{DbArgs, RateArgs, ReportArgs, ReportFormat, ReportKind};
use crate::config::Config;
use jianping_core::{RatePolicy, RegionCode};
use jianping_report::render::annual_json;
use jianping_report::to_document::annual_markdown_with;
use jianping_report::{AnnualSettings, build_annual};

/// Percentages are computed in 128-bit integers; more decimals than this could overflow and
/// no report prints them.
const MAX_PRECISION: u8 = 6;

/// A bad argument value: message on stderr, exit status 2 like clap's own usage errors.
pub fn usage_error(message: &str) -> ! {
    eprintln!("错误：{message}");
    std::process::exit(2)
}

/// Flags win over the configuration file, which wins over the defaults.
pub fn rate_policy(a: &RateArgs, config: &Config) -> anyhow::Result<RatePolicy> {
    let default = RatePolicy::default();
    let precision = a
        .precision
        .or(config.report.precision)
        .unwrap_or(default.precision);
    if precision > MAX_PRECISION {
        usage_error(&format!(
            "--precision {precision} 过大：百分比最多保留 {MAX_PRECISION} 位小数"
        ));
    }
    let rounding = match a.rounding {
        Some(r) => r,
        None => config.rounding()?.unwrap_or(default.rounding),
    };
    Ok(RatePolicy {
        precision,
        rounding,
    })
}

/// `--city`, else the configuration's `[report] city`.
pub fn city(a: &ReportArgs, config: &Config) -> anyhow::Result<Option<RegionCode>> {
    let city = a
        .city
        .as_deref()
        .map(|c| RegionCode::parse(c).unwrap_or_else(|e| usage_error(&format!("--city：{e}"))));
    Ok(match city {
        Some(c) => Some(c),
        None => config
            .report
            .city
            .as_deref()
            .map(|c| RegionCode::parse(c).map_err(|e| anyhow::anyhow!("配置 [report] city：{e}")))
            .transpose()?,
    })
}

pub fn run(db: &DbArgs, config: &Config, a: &ReportArgs) -> anyhow::Result<()> {
    if let Some(dir) = &a.write_templates {
        return super::report_document::write_templates(dir);
    }
    if a.kind == ReportKind::Monthly {
        return super::bulletin::run(db, config, a);
    }
    if a.month.is_some() || a.as_of.is_some() || a.min_ratings.is_some() {
        usage_error(
            "--month、--as-of 和 --min-ratings 只用于月度通报（jianping report monthly）；年度报告请用 --from 和 --to 指定期间",
        );
    }
    let city = city(a, config)?;
    let indicator_config = config.indicator_config()?;
    let settings = AnnualSettings {
        policy: rate_policy(&a.rate, config)?,
        grade_sets: config.grade_sets()?,
        city,
        center_hall: a
            .center_hall
            .clone()
            .or_else(|| config.report.center_hall.clone()),
        // Section 一 lists the indicators the bureau scores.
        indicators: indicator_config
            .indicators
            .iter()
            .map(|d| d.name.clone())
            .collect(),
        indicator_config,
        ..AnnualSettings::default()
    };
    let binary = matches!(a.format, ReportFormat::Docx | ReportFormat::Xlsx);
    if binary && a.output.output.is_none() {
        usage_error(
            "DOCX 和 XLSX 是二进制文件，不能写到终端：请用 --output 指定文件，例如 --output 报告.docx",
        );
    }
    // Templates first: a broken override fails before the report is computed.
    let templates = super::report_document::templates(a.templates.as_deref(), config)?;
    let period = super::period(&a.period)?;
    let mut store = super::open_store(db)?;
    let report = build_annual(&mut store, &period, &settings)?;
    let text = match a.format {
        ReportFormat::Md => annual_markdown_with(&report, &templates)?,
        ReportFormat::Json => annual_json(&report)?,
        _ => {
            return super::report_document::write(
                a.format,
                &report,
                &templates,
                config,
                a.no_cover,
                a.output.output.as_deref(),
            );
        }
    };
    crate::output::write(a.output.output.as_deref(), text.as_bytes())
}
