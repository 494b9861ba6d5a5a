//! `jianping report annual|monthly`.

use crate::args::{DbArgs, ReportArgs, ReportFormat, ReportKind};
use jianping_app::documents::{self, Rendered};
use jianping_app::reports::{AnnualRequest, annual};
use jianping_app::{AppError, Config};

pub fn format(f: ReportFormat) -> jianping_app::ReportFormat {
    match f {
        ReportFormat::Md => jianping_app::ReportFormat::Md,
        ReportFormat::Json => jianping_app::ReportFormat::Json,
        ReportFormat::Docx => jianping_app::ReportFormat::Docx,
        ReportFormat::Html => jianping_app::ReportFormat::Html,
        ReportFormat::Xlsx => jianping_app::ReportFormat::Xlsx,
    }
}

/// DOCX and XLSX cannot go to a terminal; checked before anything is computed.
pub fn require_output(a: &ReportArgs, example: &str) -> anyhow::Result<()> {
    if format(a.format).is_binary() && a.output.output.is_none() {
        return Err(AppError::usage(format!(
            "DOCX 和 XLSX 是二进制文件，不能写到终端：请用 --output 指定文件，例如 --output {example}"
        ))
        .into());
    }
    Ok(())
}

pub fn run(db: &DbArgs, config: &Config, a: &ReportArgs) -> anyhow::Result<()> {
    if let Some(dir) = &a.write_templates {
        return write_templates(dir);
    }
    if a.kind == ReportKind::Monthly {
        return super::bulletin::run(db, config, a);
    }
    if a.month.is_some() || a.as_of.is_some() || a.min_ratings.is_some() {
        return Err(AppError::usage(
            "--month、--as-of 和 --min-ratings 只用于月度通报（jianping report monthly）；年度报告请用 --from 和 --to 指定期间",
        )
        .into());
    }
    let req = AnnualRequest {
        from: a.period.from,
        to: a.period.to,
        format: format(a.format),
        precision: a.rate.precision,
        rounding: a.rate.rounding,
        city: a.city.clone(),
        center_hall: a.center_hall.clone(),
        templates: a.templates.clone(),
        no_cover: a.no_cover,
    };
    // Settings and the output first: a mistake fails before the store is opened.
    jianping_app::reports::annual_settings(&req, config)?;
    require_output(a, "报告.docx")?;
    let mut store = super::open_store(db)?;
    let rendered = annual(&mut store, config, &req, super::today())?;
    write(&rendered, a.output.output.as_deref())
}

/// Prints the notes, writes the bytes, and tells how much was laid out.
pub fn write(r: &Rendered, output: Option<&std::path::Path>) -> anyhow::Result<()> {
    for n in &r.notes {
        eprintln!("提示：{n}");
    }
    crate::output::write(output, &r.bytes)?;
    if let (Some((tables, charts)), Some(_)) = (r.exhibits, output) {
        eprintln!("（{tables} 个表格、{charts} 幅图表）");
    }
    Ok(())
}

fn write_templates(dir: &std::path::Path) -> anyhow::Result<()> {
    let w = documents::write_templates(dir)?;
    eprintln!("已写入 {} 个模板到 {}", w.written, dir.display());
    for p in &w.kept {
        eprintln!("已存在，未覆盖：{}", p.display());
    }
    eprintln!(
        "修改后在 jianping.toml 中设置 [report] templates = \"{}\"（相对于配置文件所在文件夹），只需保留改过的文件；变量说明见 docs/templates.md",
        dir.display()
    );
    Ok(())
}
