//! The annual report as a [`Document`] (DOCX, HTML, XLSX) and as Markdown, both from one
//! rendering of the narrative templates (see [`crate::narrative`]), with the tables and
//! charts of [`crate::exhibits`] and an optional 发文 cover.

use std::path::Path;

use chrono::NaiveDate;
use jianping_core::time::fmt_date_cn;
use jianping_document::{Cover, Document, Meta};
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, context};
use serde::Serialize;

use crate::ReportError;
use crate::exhibits::{self, ANNUAL_EXHIBITS, Exhibit};
use crate::model::AnnualReport;
use crate::narrative::{Narrative, NarrativeTemplates};
use crate::render::ANNUAL_TEMPLATES;

/// The entry template of the annual report.
pub const ANNUAL_ENTRY: &str = "annual/report.md.j2";

/// The cover's title when the configuration gives none.
pub const DEFAULT_COVER_TITLE: &str = "{{ issuer }}关于印发《{{ r.title }}》的通知";

/// The cover's text when the configuration gives none; one paragraph per line.
pub const DEFAULT_COVER_TEXT: &str = "为规范我市政务服务工作，{{ issuer }}对{{ r.city.name }}政务服务工作进行了监督和评价，形成《{{ r.title }}》，现印发给你们，请各部门结合实际主动认领，做好整改工作。";

/// The 发文 cover: the notice that issues the report (版头, 主送机关, text, 署名, 成文日期).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoverSettings {
    /// 发文机关 in full, e.g. 乌海市推进政府职能转变和“放管服”改革协调小组办公室.
    pub issuer: String,
    /// Red 发文机关标志 above the red line; no 版头 when absent.
    pub issuer_mark: Option<String>,
    /// 发文字号, e.g. 乌政服发〔2023〕15号.
    pub doc_number: Option<String>,
    /// 主送机关, e.g. 市直各部门.
    pub addressee: Option<String>,
    /// Template of the notice's title; [`DEFAULT_COVER_TITLE`] when absent.
    pub title: Option<String>,
    /// Template of the notice's text, one paragraph per line; [`DEFAULT_COVER_TEXT`] when absent.
    pub text: Option<String>,
    /// 署名, one entry per printed line; the issuer on one line when empty.
    pub signature: Vec<String>,
    /// 成文日期; the period's last day when absent.
    pub date: Option<NaiveDate>,
    /// Where the templates were written, for error messages ("配置文件 jianping.toml [document]").
    pub origin: String,
}

/// What the document formats add to the report besides the report itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentSettings {
    pub cover: Option<CoverSettings>,
}

/// The annual narrative templates, each overridable from `dir`.
pub fn annual_templates(dir: Option<&Path>) -> Result<NarrativeTemplates, ReportError> {
    NarrativeTemplates::load(ANNUAL_TEMPLATES, dir, exhibits::ids(ANNUAL_EXHIBITS))
}

pub fn annual_narrative(
    report: &AnnualReport,
    templates: &NarrativeTemplates,
) -> Result<Narrative, ReportError> {
    templates.render(ANNUAL_ENTRY, context! { r => Serde(report) })
}

/// Markdown with the exhibits' tables.
pub fn annual_markdown_with(
    report: &AnnualReport,
    templates: &NarrativeTemplates,
) -> Result<String, ReportError> {
    let narrative = annual_narrative(report, templates)?;
    Ok(narrative.markdown(|id| exhibits::build(ANNUAL_EXHIBITS, id, report)))
}

/// The document tree of the annual report.
pub fn annual_document(
    report: &AnnualReport,
    templates: &NarrativeTemplates,
    settings: &DocumentSettings,
) -> Result<Document, ReportError> {
    let narrative = annual_narrative(report, templates)?;
    build_document(
        report,
        &narrative,
        ANNUAL_EXHIBITS,
        &report.title,
        report.period.to,
        settings,
    )
}

/// A document from any report model: the narrative's blocks with `exhibits` built from
/// `model`, the cover (its templates see `model` as `r`), and `period_end` as the default
/// 成文日期. The monthly bulletin uses this with its own model and exhibits.
pub fn build_document<M: Serialize>(
    model: &M,
    narrative: &Narrative,
    exhibits: &[Exhibit<M>],
    fallback_title: &str,
    period_end: NaiveDate,
    settings: &DocumentSettings,
) -> Result<Document, ReportError> {
    let (title, blocks) = narrative.blocks(|id| exhibits::build(exhibits, id, model));
    let mut doc = Document::new(title.unwrap_or_else(|| fallback_title.to_string()));
    doc.blocks = blocks;
    let cover = settings
        .cover
        .as_ref()
        .map(|c| cover(model, period_end, c))
        .transpose()?;
    doc.meta = Meta {
        author: settings.cover.as_ref().map(|c| c.issuer.clone()),
        date: Some(match &cover {
            Some(c) => c.date.clone(),
            None => fmt_date_cn(&period_end),
        }),
        language: None,
    };
    doc.cover = cover;
    Ok(doc)
}

fn kind_cn(kind: minijinja::ErrorKind) -> &'static str {
    use minijinja::ErrorKind as K;
    match kind {
        K::SyntaxError => "语法错误",
        K::UndefinedError => "使用了未定义的变量",
        K::UnknownFilter => "未知的过滤器",
        K::UnknownFunction => "未知的函数",
        _ => "渲染失败",
    }
}

fn cover<M: Serialize>(
    model: &M,
    period_end: NaiveDate,
    c: &CoverSettings,
) -> Result<Cover, ReportError> {
    let date = fmt_date_cn(&c.date.unwrap_or(period_end));
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let ctx = context! {
        r => Serde(model),
        issuer => &c.issuer,
        addressee => &c.addressee,
        date => &date,
    };
    let render = |field: &str, source: &str| -> Result<String, ReportError> {
        env.render_str(source, &ctx).map_err(|e| {
            let line = e.line().map(|l| format!("第 {l} 行")).unwrap_or_default();
            let detail = e.detail().unwrap_or("").to_string();
            ReportError::Settings(format!(
                "{} {field} {line}有误：{}{}。请修正该项（可用变量：r 即报告模型、issuer、addressee、date）",
                c.origin,
                kind_cn(e.kind()),
                if detail.is_empty() {
                    String::new()
                } else {
                    format!("（{detail}）")
                }
            ))
        })
    };
    let title = render(
        "cover_title",
        c.title.as_deref().unwrap_or(DEFAULT_COVER_TITLE),
    )?;
    let text = render(
        "cover_text",
        c.text.as_deref().unwrap_or(DEFAULT_COVER_TEXT),
    )?;
    let signature = if c.signature.is_empty() {
        vec![c.issuer.clone()]
    } else {
        c.signature.clone()
    };
    Ok(Cover {
        issuer_mark: c.issuer_mark.clone(),
        doc_number: c.doc_number.clone(),
        title: title.trim().to_string(),
        addressee: c.addressee.clone(),
        body: text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        issuer: signature,
        date,
    })
}
