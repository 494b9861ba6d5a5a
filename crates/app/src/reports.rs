//! The annual report (年度报告) from a request: settings resolved against the
//! configuration, the model built from the store, rendered in the format asked for.

use crate::config::Config;
use crate::documents::{self, Rendered, ReportFormat};
use crate::error::Result;
use crate::settings;
use chrono::NaiveDate;
use jianping_report::render::annual_json;
use jianping_report::to_document::{annual_document, annual_markdown_with};
use jianping_report::{AnnualReport, AnnualSettings, build_annual};
use jianping_store::Store;
use std::path::PathBuf;

/// What a person asks for; every `None` falls back to the configuration.
#[derive(Debug, Clone)]
pub struct AnnualRequest {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub format: ReportFormat,
    pub precision: Option<u8>,
    pub rounding: Option<jianping_core::Rounding>,
    pub city: Option<String>,
    pub center_hall: Option<String>,
    pub templates: Option<PathBuf>,
    pub no_cover: bool,
}

impl AnnualRequest {
    pub fn new(format: ReportFormat) -> AnnualRequest {
        AnnualRequest {
            from: None,
            to: None,
            format,
            precision: None,
            rounding: None,
            city: None,
            center_hall: None,
            templates: None,
            no_cover: false,
        }
    }
}

/// The report's settings: the request over the configuration.
pub fn annual_settings(req: &AnnualRequest, config: &Config) -> Result<AnnualSettings> {
    let indicator_config = config.indicator_config()?;
    Ok(AnnualSettings {
        policy: settings::rate_policy(req.precision, req.rounding, config)?,
        grade_sets: config.grade_sets()?,
        city: settings::city(req.city.as_deref(), config)?,
        center_hall: req
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
        audit: crate::audit::AuditRequest::default().rules(config)?,
        ..AnnualSettings::default()
    })
}

/// Builds and renders the annual report of the requested period (the year to `today` by
/// default). The store should be in a snapshot when others write concurrently.
pub fn annual(
    store: &mut Store,
    config: &Config,
    req: &AnnualRequest,
    today: NaiveDate,
) -> Result<Rendered> {
    let settings = annual_settings(req, config)?;
    // Templates first: a broken override fails before the report is computed.
    let (templates, notes) = documents::templates(req.templates.as_deref(), config)?;
    let period = settings::period(req.from, req.to, today)?;
    let report = build_annual(store, &period, &settings)?;
    render_annual(&report, &templates, config, req, notes)
}

fn render_annual(
    report: &AnnualReport,
    templates: &jianping_report::narrative::NarrativeTemplates,
    config: &Config,
    req: &AnnualRequest,
    notes: Vec<String>,
) -> Result<Rendered> {
    Ok(match req.format {
        ReportFormat::Md => {
            Rendered::text(req.format, annual_markdown_with(report, templates)?, notes)
        }
        ReportFormat::Json => Rendered::text(req.format, annual_json(report)?, notes),
        format => {
            let doc = annual_document(
                report,
                templates,
                &documents::settings(config, req.no_cover)?,
            )?;
            documents::render_document(format, &doc, config, notes)?
        }
    })
}
