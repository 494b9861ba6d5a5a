//! `jianping check table FILE`: the figure checks of jianping-report on a submitted table.
//! Prints one line per finding (file, line and column as a spreadsheet shows them) and
//! exits with status 1 when there is any.

use crate::args::{CheckCommand, CheckTableArgs, TableFormat};
use jianping_app::AppError;
use jianping_app::Config;
use jianping_report::check::{Sheet, check, column_index, column_letter, infer_layout};
use jianping_report::tabular::Table;

pub fn run(config: &Config, cmd: &CheckCommand) -> anyhow::Result<()> {
    let CheckCommand::Table(a) = cmd;
    table(config, a)
}

fn column(letters: &str) -> Result<usize, AppError> {
    column_index(letters).ok_or_else(|| {
        AppError::usage(format!(
            "“{letters}”不是列字母（应为 A、B、…、AA 这样的列名）"
        ))
    })
}

fn table(config: &Config, a: &CheckTableArgs) -> anyhow::Result<()> {
    let policy = jianping_app::settings::rate_policy(a.rate.precision, a.rate.rounding, config)?;
    let rows = jianping_ingest::read_grid(&a.file, a.sheet.as_deref())?;
    let name = a.file.file_name().map_or_else(
        || a.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let sheet = Sheet::from_rows(&name, rows.into_iter().map(|r| (r.line, r.cells)).collect())
        .ok_or_else(|| anyhow::anyhow!("{name}：找不到表头（至少有两个非空单元格的一行）"))?;
    let mut layout = infer_layout(&sheet);
    if let Some(t) = &a.total {
        layout.total = Some(column(t)?);
    }
    if !a.parts.is_empty() {
        layout.parts = a
            .parts
            .iter()
            .map(|p| column(p))
            .collect::<Result<_, _>>()?;
    }
    if let Some(t) = layout.total {
        layout.parts.retain(|p| *p != t);
    }
    let letters = |cols: &[usize]| {
        cols.iter()
            .map(|c| column_letter(*c))
            .collect::<Vec<_>>()
            .join(",")
    };
    eprintln!(
        "{name}：表头在第{}行；合计列 {}，分类列 {}，百分比列 {}{}",
        sheet.header_line,
        layout.total.map_or("（无）".to_string(), column_letter),
        if layout.parts.is_empty() {
            "（无）".to_string()
        } else {
            letters(&layout.parts)
        },
        letters(&layout.percents.iter().map(|p| p.column).collect::<Vec<_>>()),
        layout.total_row.map_or(String::new(), |r| format!(
            "，合计行第{}行",
            sheet.rows[r].line
        )),
    );
    let findings = check(&sheet, &layout, &policy);
    let out = match a.format {
        TableFormat::Json => serde_json::to_string_pretty(&findings)? + "\n",
        TableFormat::Csv => {
            let t = Table::new(
                ["文件", "行", "列", "表头", "问题"]
                    .map(String::from)
                    .to_vec(),
                findings
                    .iter()
                    .map(|f| {
                        vec![
                            f.table.clone(),
                            f.line.to_string(),
                            f.column.clone(),
                            f.header.clone(),
                            f.message.clone(),
                        ]
                    })
                    .collect(),
            );
            String::from_utf8_lossy(&t.to_csv()).into_owned()
        }
        TableFormat::Table => findings.iter().map(|f| format!("{f}\n")).collect(),
    };
    print!("{out}");
    if findings.is_empty() {
        eprintln!("{name}：未发现问题");
        return Ok(());
    }
    anyhow::bail!("{name}：发现 {} 处数字不一致（见上）", findings.len())
}
