//! The monthly bulletin (月度通报) from a request.

use crate::config::Config;
use crate::documents::{self, Rendered, ReportFormat};
use crate::error::{AppError, Result};
use crate::settings;
use chrono::NaiveDate;
use jianping_core::Period;
use jianping_report::bulletin::document::{
    bulletin_document, bulletin_markdown_with, bulletin_templates,
};
use jianping_report::bulletin::render::bulletin_json;
use jianping_report::bulletin::{
    DEFAULT_MIN_RATINGS, DepartmentScore, DepartmentScores, RankingMethod,
};
use jianping_report::indicators::rank_departments;
use jianping_report::to_document::DocumentSettings;
use jianping_report::{BulletinSettings, build_bulletin};
use jianping_store::Store;
use std::path::PathBuf;
use std::str::FromStr;

/// What ranks departments in the bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BulletinRanking {
    /// 评价指标体系综合得分
    Indicators,
    /// 满意率，其次差评整改率、评价数
    Satisfaction,
}

impl FromStr for BulletinRanking {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "indicators" | "指标" => Ok(BulletinRanking::Indicators),
            "satisfaction" | "满意率" => Ok(BulletinRanking::Satisfaction),
            other => Err(format!(
                "排名依据「{other}」无法识别：可用 indicators（指标体系综合得分）或 satisfaction（满意率）"
            )),
        }
    }
}

#[derive(Debug, Clone)]
pub struct BulletinRequest {
    /// "2023-10"; exclusive with `from`/`to`. Neither: the previous calendar month.
    pub month: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The day the ledger is read as of; the period's end (or today, if earlier).
    pub as_of: Option<NaiveDate>,
    pub format: ReportFormat,
    pub precision: Option<u8>,
    pub rounding: Option<jianping_core::Rounding>,
    pub city: Option<String>,
    pub min_ratings: Option<u64>,
    pub ranking: Option<BulletinRanking>,
    pub templates: Option<PathBuf>,
}

impl BulletinRequest {
    pub fn new(format: ReportFormat) -> BulletinRequest {
        BulletinRequest {
            month: None,
            from: None,
            to: None,
            as_of: None,
            format,
            precision: None,
            rounding: None,
            city: None,
            min_ratings: None,
            ranking: None,
            templates: None,
        }
    }

    /// `month`, or `from`/`to`, or the month before `today`'s.
    pub fn period(&self, today: NaiveDate) -> Result<Period> {
        match (&self.month, self.from.is_some() || self.to.is_some()) {
            (Some(_), true) => Err(AppError::usage("--month 与 --from/--to 只能选用其一")),
            (Some(m), false) => settings::parse_month(m).map_err(AppError::Usage),
            (None, true) => settings::period(self.from, self.to, today),
            (None, false) => settings::previous_month(today).map_err(AppError::Usage),
        }
    }
}

/// Builds and renders the bulletin.
pub fn bulletin(
    store: &mut Store,
    config: &Config,
    req: &BulletinRequest,
    today: NaiveDate,
) -> Result<Rendered> {
    let period = req.period(today)?;
    let as_of = req.as_of.unwrap_or(period.to.min(today).max(period.from));
    let policy = settings::rate_policy(req.precision, req.rounding, config)?;
    let city = settings::city(req.city.as_deref(), config)?;
    // Templates first: a broken override fails before the bulletin is computed.
    let templates =
        bulletin_templates(documents::template_dir(req.templates.as_deref(), config).as_deref())?;
    let ranking = match req
        .ranking
        .or(config.bulletin.ranking)
        .unwrap_or(BulletinRanking::Indicators)
    {
        BulletinRanking::Satisfaction => RankingMethod::Default,
        BulletinRanking::Indicators => indicator_ranking(store, &period, config)?,
    };
    let settings = BulletinSettings {
        policy,
        grade_sets: config.grade_sets()?,
        city,
        as_of: Some(as_of),
        min_ratings: req
            .min_ratings
            .or(config.bulletin.min_ratings)
            .unwrap_or(DEFAULT_MIN_RATINGS),
        ranking,
        audit: crate::audit::AuditRequest::default().rules(config)?,
    };
    let report = build_bulletin(store, &period, &settings)?;
    Ok(match req.format {
        ReportFormat::Md => Rendered::text(
            req.format,
            bulletin_markdown_with(&report, &templates)?,
            Vec::new(),
        ),
        ReportFormat::Json => Rendered::text(req.format, bulletin_json(&report)?, Vec::new()),
        format => {
            // A 通报 is itself the official document: no 印发 cover.
            let doc = bulletin_document(&report, &templates, &DocumentSettings::default())?;
            documents::render_document(format, &doc, config, Vec::new())?
        }
    })
}

/// The indicator system's department totals for the bulletin's period. Its minimum samples
/// are set for a year; a month needs proportionally fewer cases and ratings to be scored.
pub fn indicator_ranking(
    store: &mut Store,
    period: &Period,
    config: &Config,
) -> Result<RankingMethod> {
    let mut rules = config.indicator_config()?;
    let days = (period.to - period.from).num_days() + 1;
    let scale = |n: u64| (n * days.clamp(1, 365) as u64).div_ceil(365);
    rules.sample.min_cases = scale(rules.sample.min_cases);
    rules.sample.min_ratings = scale(rules.sample.min_ratings);
    let ranking = rank_departments(store, period, &rules)?;
    let scores = ranking
        .entries()
        .map(|e| DepartmentScore {
            department: e.name.clone(),
            score: e.score.total.unwrap_or(0.0),
            printed: e
                .score
                .total
                .map_or_else(|| "—".to_string(), |t| format!("{t:.2}")),
            insufficient: e.score.total.is_none(),
        })
        .collect();
    Ok(RankingMethod::Scores(DepartmentScores {
        name: format!("综合得分（{} {}）", ranking.title, ranking.version),
        scores,
    }))
}
