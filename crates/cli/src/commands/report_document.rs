//! `jianping report … --format docx|html|xlsx`: the report as a document, with the 发文
//! cover and fonts from `[document]` in the configuration.

use crate::args::ReportFormat;
use crate::config::Config;
use anyhow::Context;
use jianping_document::{
    DocxOptions, FontSearch, HtmlOptions, OfficialFonts, render_docx, render_html, render_xlsx,
};
use jianping_report::AnnualReport;
use jianping_report::narrative::NarrativeTemplates;
use jianping_report::to_document::{
    CoverSettings, DocumentSettings, annual_document, annual_templates,
};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The narrative templates: embedded, overridden from `--templates` or `[report] templates`.
/// Files in the folder that match no template are reported, as they are likely misspelt.
pub fn templates(flag: Option<&Path>, config: &Config) -> anyhow::Result<NarrativeTemplates> {
    let dir = template_dir(flag, config);
    let t = annual_templates(dir.as_deref())?;
    // The folder may also hold other reports' templates (bulletin/…): only files in annual/
    // or loose at the top are likely meant for this report.
    let ours = |f: &&PathBuf| match dir.as_deref().and_then(|d| f.strip_prefix(d).ok()) {
        Some(rel) => rel.starts_with("annual") || rel.components().count() == 1,
        None => true,
    };
    for f in t.unknown_overrides().iter().filter(ours) {
        eprintln!(
            "提示：模板文件 {} 不对应任何内置模板，未使用。内置模板的文件名见 docs/templates.md（如 annual/s4_ratings.j2）",
            f.display()
        );
    }
    Ok(t)
}

/// `--templates`, else `[report] templates` relative to the configuration file.
pub fn template_dir(flag: Option<&Path>, config: &Config) -> Option<PathBuf> {
    match flag {
        Some(d) => Some(d.to_path_buf()),
        None => config
            .report
            .templates
            .as_deref()
            .map(|p| config.resolve(p)),
    }
}

/// `[document]` as the report crate's settings; no cover with `--no-cover`.
pub fn settings(config: &Config, no_cover: bool) -> anyhow::Result<DocumentSettings> {
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

/// Renders `report` as DOCX, HTML or XLSX and writes it (HTML may go to standard output).
pub fn write(
    format: ReportFormat,
    report: &AnnualReport,
    templates: &NarrativeTemplates,
    config: &Config,
    no_cover: bool,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let doc = annual_document(report, templates, &settings(config, no_cover)?)?;
    write_document(format, &doc, config, output)
}

/// Lays out any report's document as DOCX, HTML or XLSX and writes it.
pub fn write_document(
    format: ReportFormat,
    doc: &jianping_document::Document,
    config: &Config,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let bytes = match format {
        ReportFormat::Docx => render_docx(doc, &docx_options(config))?,
        ReportFormat::Html => render_html(doc, &HtmlOptions::default())?.into_bytes(),
        ReportFormat::Xlsx => render_xlsx(doc)?,
        ReportFormat::Md | ReportFormat::Json => {
            unreachable!("text formats are written by report::run")
        }
    };
    crate::output::write(output, &bytes).context("写出报告失败")?;
    if output.is_some() {
        eprintln!(
            "（{} 个表格、{} 幅图表，排版用时 {:.1} 秒）",
            doc.tables().count(),
            doc.charts().count(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Writes the embedded templates into `dir` for a bureau to edit, keeping files already
/// there (an earlier edit must not be lost).
pub fn write_templates(dir: &Path) -> anyhow::Result<()> {
    let (mut written, mut kept) = (0, Vec::new());
    let all = jianping_report::render::ANNUAL_TEMPLATES
        .iter()
        .chain(jianping_report::bulletin::render::BULLETIN_TEMPLATES);
    for (name, source) in all {
        let path = dir.join(name);
        if path.exists() {
            kept.push(path);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("无法创建文件夹 {}", parent.display()))?;
        }
        std::fs::write(&path, source).with_context(|| format!("无法写入 {}", path.display()))?;
        written += 1;
    }
    eprintln!("已写入 {written} 个模板到 {}", dir.display());
    for p in &kept {
        eprintln!("已存在，未覆盖：{}", p.display());
    }
    eprintln!(
        "修改后在 jianping.toml 中设置 [report] templates = \"{}\"（相对于配置文件所在文件夹），只需保留改过的文件；变量说明见 docs/templates.md",
        dir.display()
    );
    Ok(())
}
