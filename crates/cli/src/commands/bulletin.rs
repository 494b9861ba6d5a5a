//! `jianping report monthly`: the monthly bulletin (月度通报).

use super::report::{city, rate_policy, usage_error};
use crate::args::BulletinRanking;
use crate::args::{DbArgs, ReportArgs, ReportFormat};
use crate::config::Config;
use chrono::{Datelike, Local, NaiveDate};
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

/// "2023-10" (or "2023-10-01", "2023年10月") → that calendar month.
pub fn parse_month(text: &str) -> Result<Period, String> {
    let t = text.trim();
    let cleaned = t.replace('年', "-").replace('月', "");
    let mut parts = cleaned.split(['-', '/', '.']);
    let year = parts.next().and_then(|y| y.trim().parse::<i32>().ok());
    let month = parts.next().and_then(|m| m.trim().parse::<u32>().ok());
    match (year, month) {
        (Some(y), Some(m)) if (1..=12).contains(&m) && (2000..=2100).contains(&y) => {
            Period::month(y, m)
        }
        _ => Err(format!(
            "--month「{t}」不是有效的月份：请写成 2023-10 这样的年-月"
        )),
    }
}

/// The month before `today`'s.
fn previous_month(today: NaiveDate) -> Result<Period, String> {
    if today.month() == 1 {
        Period::month(today.year() - 1, 12)
    } else {
        Period::month(today.year(), today.month() - 1)
    }
}

/// `--month`, or `--from/--to`, or the previous calendar month.
fn bulletin_period(a: &ReportArgs, today: NaiveDate) -> anyhow::Result<Period> {
    match (&a.month, a.period.from.is_some() || a.period.to.is_some()) {
        (Some(_), true) => usage_error("--month 与 --from/--to 只能选用其一"),
        (Some(m), false) => Ok(parse_month(m).unwrap_or_else(|e| usage_error(&e))),
        (None, true) => super::period(&a.period),
        (None, false) => previous_month(today).map_err(anyhow::Error::msg),
    }
}

pub fn run(db: &DbArgs, config: &Config, a: &ReportArgs) -> anyhow::Result<()> {
    if a.center_hall.is_some() {
        usage_error("--center-hall 只用于年度报告");
    }
    let today = Local::now().date_naive();
    let period = bulletin_period(a, today)?;
    let as_of = a.as_of.unwrap_or(period.to.min(today).max(period.from));
    let settings = BulletinSettings {
        policy: rate_policy(&a.rate, config)?,
        grade_sets: config.grade_sets()?,
        city: city(a, config)?,
        as_of: Some(as_of),
        min_ratings: a
            .min_ratings
            .or(config.bulletin.min_ratings)
            .unwrap_or(DEFAULT_MIN_RATINGS),
        ranking: RankingMethod::Default,
    };
    if matches!(a.format, ReportFormat::Docx | ReportFormat::Xlsx) && a.output.output.is_none() {
        usage_error(
            "DOCX 和 XLSX 是二进制文件，不能写到终端：请用 --output 指定文件，例如 --output 通报.docx",
        );
    }
    // Templates first: a broken override fails before the bulletin is computed.
    let templates = bulletin_templates(
        super::report_document::template_dir(a.templates.as_deref(), config).as_deref(),
    )?;
    let mut store = super::open_store(db)?;
    let ranking = a
        .ranking
        .or(config.bulletin.ranking)
        .unwrap_or(BulletinRanking::Indicators);
    let settings = BulletinSettings {
        ranking: match ranking {
            BulletinRanking::Satisfaction => RankingMethod::Default,
            BulletinRanking::Indicators => indicator_ranking(&mut store, &period, config)?,
        },
        ..settings
    };
    let report = build_bulletin(&mut store, &period, &settings)?;
    let text = match a.format {
        ReportFormat::Md => bulletin_markdown_with(&report, &templates)?,
        ReportFormat::Json => bulletin_json(&report)?,
        ReportFormat::Docx | ReportFormat::Html | ReportFormat::Xlsx => {
            // A 通报 is itself the official document: no 印发 cover.
            let doc = bulletin_document(&report, &templates, &DocumentSettings::default())?;
            return super::report_document::write_document(
                a.format,
                &doc,
                config,
                a.output.output.as_deref(),
            );
        }
    };
    crate::output::write(a.output.output.as_deref(), text.as_bytes())
}

/// The indicator system's department totals for the bulletin's period. Its minimum samples
/// are set for a year; a month needs proportionally fewer cases and ratings to be scored.
fn indicator_ranking(
    store: &mut jianping_store::Store,
    period: &Period,
    config: &Config,
) -> anyhow::Result<RankingMethod> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_in_the_usual_spellings() {
        for text in ["2023-10", "2023-10-01", "2023年10月", "2023/10"] {
            let p = parse_month(text).unwrap();
            assert_eq!(
                (p.from.to_string(), p.to.to_string()),
                ("2023-10-01".into(), "2023-10-31".into()),
                "{text}"
            );
        }
        assert!(parse_month("2023-13").unwrap_err().contains("2023-10"));
        assert!(parse_month("十月").is_err());
        let jan = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        assert_eq!(previous_month(jan).unwrap().to.to_string(), "2023-12-31");
    }
}
