//! Reports as files: the formats, the bureau's `[document]` settings (发文 cover, fonts),
//! the narrative templates and their overrides.

use crate::config::Config;
use crate::error::{AppError, Result};
use anyhow::Context;
use jianping_document::{
    Document, DocxOptions, FontSearch, HtmlOptions, OfficialFonts, render_docx, render_html,
    render_xlsx,
};
use jianping_report::narrative::NarrativeTemplates;
use jianping_report::to_document::{CoverSettings, DocumentSettings, annual_templates};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Every format a report comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Md,
    Json,
    Docx,
    Html,
    Xlsx,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 5] = [
        ReportFormat::Docx,
        ReportFormat::Html,
        ReportFormat::Xlsx,
        ReportFormat::Md,
        ReportFormat::Json,
    ];

    /// Files that cannot go to a terminal.
    pub fn is_binary(self) -> bool {
        matches!(self, ReportFormat::Docx | ReportFormat::Xlsx)
    }

    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Md => "md",
            ReportFormat::Json => "json",
            ReportFormat::Docx => "docx",
            ReportFormat::Html => "html",
            ReportFormat::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Md => "text/markdown; charset=utf-8",
            ReportFormat::Json => "application/json",
            ReportFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            ReportFormat::Html => "text/html; charset=utf-8",
            ReportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    /// How the format is named to users.
    pub fn label(self) -> &'static str {
        match self {
            ReportFormat::Md => "Markdown",
            ReportFormat::Json => "JSON",
            ReportFormat::Docx => "Word（公文格式）",
            ReportFormat::Html => "网页（可打印）",
            ReportFormat::Xlsx => "Excel 表格",
        }
    }
}

impl FromStr for ReportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(ReportFormat::Md),
            "json" => Ok(ReportFormat::Json),
            "docx" | "word" => Ok(ReportFormat::Docx),
            "html" => Ok(ReportFormat::Html),
            "xlsx" | "excel" => Ok(ReportFormat::Xlsx),
            other => Err(format!(
                "不支持的格式「{other}」：可用 md、json、docx、html、xlsx"
            )),
        }
    }
}

/// A rendered report: its bytes and what the person asking should be told besides.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub format: ReportFormat,
    pub bytes: Vec<u8>,
    /// Hints (e.g. a template file that overrides nothing), in Chinese.
    pub notes: Vec<String>,
    /// Tables and charts laid out, for the document formats.
    pub exhibits: Option<(usize, usize)>,
}

impl Rendered {
    pub fn text(format: ReportFormat, text: String, notes: Vec<String>) -> Rendered {
        Rendered {
            format,
            bytes: text.into_bytes(),
            notes,
            exhibits: None,
        }
    }
}

/// The narrative templates of the annual report: embedded, overridden from `requested` or
/// `[report] templates`, with a note for each file in the folder that matches no template
/// (likely misspelt).
pub fn templates(
    requested: Option<&Path>,
    config: &Config,
) -> Result<(NarrativeTemplates, Vec<String>)> {
    let dir = template_dir(requested, config);
    let t = annual_templates(dir.as_deref())?;
    // The folder may also hold other reports' templates (bulletin/…): only files in annual/
    // or loose at the top are likely meant for this report.
    let ours = |f: &&PathBuf| match dir.as_deref().and_then(|d| f.strip_prefix(d).ok()) {
        Some(rel) => rel.starts_with("annual") || rel.components().count() == 1,
        None => true,
    };
    let notes = t
        .unknown_overrides()
        .iter()
        .filter(ours)
        .map(|f| {
            format!(
                "模板文件 {} 不对应任何内置模板，未使用。内置模板的文件名见 docs/templates.md（如 annual/s4_ratings.j2）",
                f.display()
            )
        })
        .collect();
    Ok((t, notes))
}

/// The folder a request names, else `[report] templates` relative to the configuration file.
pub fn template_dir(requested: Option<&Path>, config: &Config) -> Option<PathBuf> {
    match requested {
        Some(d) => Some(d.to_path_buf()),
        None => config
            .report
            .templates
            .as_deref()
            .map(|p| config.resolve(p)),
    }
}

/// `[document]` as the report crate's settings; no cover when `no_cover`.
pub fn settings(config: &Config, no_cover: bool) -> Result<DocumentSettings> {
    let d = &config.document;
    let wanted = d.cover.unwrap_or(d.issuer.is_some());
    let cover = match (&d.issuer, wanted && !no_cover) {
        (Some(issuer), true) => Some(CoverSettings {
            issuer: issuer.trim().to_string(),
            issuer_mark: d.issuer_mark.clone(),
            doc_number: d.doc_number.clone(),
            addressee: d.addressee.clone(),
            title: d.cover_title.clone(),
            text: d.cover_text.clone(),
            signature: d.signature.clone().unwrap_or_default(),
            date: config.document_date()?,
            origin: match &config.source {
                Some(p) => format!("配置文件 {} [document]", p.display()),
                None => "配置 [document]".into(),
            },
        }),
        _ => None,
    };
    Ok(DocumentSettings { cover })
}

fn docx_options(config: &Config) -> DocxOptions {
    let d = &config.document;
    let mut fonts = OfficialFonts::default();
    if let Some(f) = &d.fonts {
        let set = |slot: &mut String, v: &Option<String>| {
            if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                *slot = v.to_string();
            }
        };
        set(&mut fonts.title, &f.title);
        set(&mut fonts.body, &f.body);
        set(&mut fonts.heading1, &f.heading1);
        set(&mut fonts.heading2, &f.heading2);
        set(&mut fonts.page_number, &f.page_number);
    }
    DocxOptions {
        fonts,
        chart_font: match &d.chart_font {
            Some(p) => FontSearch::file(config.resolve(p)),
            None => FontSearch::system(),
        },
        ..DocxOptions::default()
    }
}

/// Lays out a report's document as DOCX, HTML or XLSX.
pub fn render_document(
    format: ReportFormat,
    doc: &Document,
    config: &Config,
    notes: Vec<String>,
) -> Result<Rendered> {
    let bytes = match format {
        ReportFormat::Docx => {
            render_docx(doc, &docx_options(config)).map_err(anyhow::Error::new)?
        }
        ReportFormat::Html => render_html(doc, &HtmlOptions::default())
            .map_err(anyhow::Error::new)?
            .into_bytes(),
        ReportFormat::Xlsx => render_xlsx(doc).map_err(anyhow::Error::new)?,
        ReportFormat::Md | ReportFormat::Json => {
            return Err(AppError::Other(anyhow::anyhow!(
                "内部错误：{} 不是文档格式",
                format.label()
            )));
        }
    };
    Ok(Rendered {
        format,
        bytes,
        notes,
        exhibits: Some((doc.tables().count(), doc.charts().count())),
    })
}

/// What `write_templates` did.
#[derive(Debug, Default)]
pub struct TemplatesWritten {
    pub written: usize,
    /// Files already there, kept as they were (an earlier edit must not be lost).
    pub kept: Vec<PathBuf>,
}

/// Writes the embedded templates into `dir` for a bureau to edit, keeping files already
/// there.
pub fn write_templates(dir: &Path) -> Result<TemplatesWritten> {
    let mut out = TemplatesWritten::default();
    let all = jianping_report::render::ANNUAL_TEMPLATES
        .iter()
        .chain(jianping_report::bulletin::render::BULLETIN_TEMPLATES);
    for (name, source) in all {
        let path = dir.join(name);
        if path.exists() {
            out.kept.push(path);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("无法创建文件夹 {}", parent.display()))?;
        }
        std::fs::write(&path, source).with_context(|| format!("无法写入 {}", path.display()))?;
        out.written += 1;
    }
    Ok(out)
}
