//! The bulletin in Markdown (templates in `templates/bulletin/`, the same environment and
//! escaping as the annual report) and JSON (the serialized model).

use super::BulletinReport;
use crate::ReportError;

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
        "bulletin/topics.j2",
        include_str!("../../templates/bulletin/topics.j2"),
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

/// The bulletin in Markdown, with the built-in templates.
pub fn bulletin_markdown(report: &BulletinReport) -> Result<String, ReportError> {
    let templates = super::document::bulletin_templates(None)?;
    super::document::bulletin_markdown_with(report, &templates)
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
