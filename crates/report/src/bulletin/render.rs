//! The bulletin in Markdown (templates in `templates/bulletin/`, the same environment and
//! escaping as the annual report) and JSON (the serialized model).

use super::BulletinReport;
use crate::ReportError;
use crate::render::markdown_environment;
use minijinja::Environment;
use minijinja::value::Serde;
use std::collections::BTreeMap;

/// The bulletin's templates: (name, source).
pub const BULLETIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "bulletin/report.md.j2",
        include_str!("../../templates/bulletin/report.md.j2"),
    ),
    (
        "bulletin/macros.j2",
        include_str!("../../templates/bulletin/macros.j2"),
    ),
    (
        "bulletin/s1_ratings.j2",
        include_str!("../../templates/bulletin/s1_ratings.j2"),
    ),
    (
        "bulletin/s2_bad.j2",
        include_str!("../../templates/bulletin/s2_bad.j2"),
    ),
    (
        "bulletin/s3_ledger.j2",
        include_str!("../../templates/bulletin/s3_ledger.j2"),
    ),
    (
        "bulletin/s4_ranking.j2",
        include_str!("../../templates/bulletin/s4_ranking.j2"),
    ),
    (
        "bulletin/s5_requirements.j2",
        include_str!("../../templates/bulletin/s5_requirements.j2"),
    ),
    (
        "bulletin/annexes.j2",
        include_str!("../../templates/bulletin/annexes.j2"),
    ),
];

fn template_error(name: &str, e: &minijinja::Error) -> ReportError {
    ReportError::Template {
        name: e.name().unwrap_or(name).to_string(),
        message: e.to_string(),
    }
}

/// The Markdown environment with the bulletin's templates added.
pub fn bulletin_environment() -> Result<Environment<'static>, ReportError> {
    let mut env = markdown_environment()?;
    for (name, source) in BULLETIN_TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| template_error(name, &e))?;
    }
    Ok(env)
}

/// The bulletin in Markdown.
pub fn bulletin_markdown(report: &BulletinReport) -> Result<String, ReportError> {
    let env = bulletin_environment()?;
    let name = "bulletin/report.md.j2";
    let tmpl = env
        .get_template(name)
        .map_err(|e| template_error(name, &e))?;
    let tables: BTreeMap<String, super::BulletinTable> = report
        .tables()
        .into_iter()
        .map(|t| (t.key.clone(), t))
        .collect();
    let mut text = tmpl
        .render(minijinja::context! { r => Serde(report), t => Serde(&tables) })
        .map_err(|e| template_error(name, &e))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// The bulletin model as pretty JSON.
pub fn bulletin_json(report: &BulletinReport) -> Result<String, ReportError> {
    let mut s = serde_json::to_string_pretty(report).map_err(|e| ReportError::Template {
        name: "json".into(),
        message: e.to_string(),
    })?;
    s.push('\n');
    Ok(s)
}
