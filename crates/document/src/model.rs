//! The renderer-neutral document tree.
//!
//! A report is converted into a [`Document`] once; the DOCX, HTML and XLSX renderers read the
//! same tree, so a figure can only differ between formats if a renderer drops it. Every figure
//! arrives here already formatted (`Cell::text`, `Series::labels`) because rounding belongs to
//! the report's rate policy, not to a renderer; numeric values ride along only where a format can
//! use them as numbers (XLSX cells, chart geometry).

use serde::{Deserialize, Serialize};

use crate::chart::ChartSpec;
use crate::error::DocumentError;

/// One document: optional 发文 cover, the title, and the body blocks.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Document {
    /// 标题 of the report (2号 小标宋 in DOCX).
    pub title: String,
    /// A line under the title, e.g. the period "(2023年1月1日—10月31日)".
    pub subtitle: Option<String>,
    pub meta: Meta,
    /// The 通知 that issues the report, printed before it (GB/T 9704 版头 + 主体 + 版记-less).
    pub cover: Option<Cover>,
    pub blocks: Vec<Block>,
}

/// Descriptive data that is not printed in the body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Meta {
    /// Who issues the document (HTML `<meta name="author">`).
    pub author: Option<String>,
    /// Date of issue as printed, e.g. "2023年10月31日".
    pub date: Option<String>,
    /// BCP 47 language tag; "zh-CN" when empty.
    pub language: Option<String>,
}

/// The 发文 part: the notice that issues the report, as the seed report was published.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Cover {
    /// 发文机关标志 printed in red above the separator line, e.g. "乌海市行政审批和政务服务局文件".
    /// `None` leaves out the red header (plain 通知 without 版头).
    pub issuer_mark: Option<String>,
    /// 发文字号, e.g. "乌政服发〔2023〕15号".
    pub doc_number: Option<String>,
    /// Title of the notice, e.g. "关于印发《乌海市2023年政务服务监督评价报告》的通知".
    pub title: String,
    /// 主送机关 without the trailing colon, e.g. "市直各部门".
    pub addressee: Option<String>,
    /// Paragraphs of the notice text.
    pub body: Vec<String>,
    /// 发文机关署名; one entry per printed line.
    pub issuer: Vec<String>,
    /// 成文日期 as printed, e.g. "2023年10月31日".
    pub date: String,
}

/// Body content, in reading order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// Level 1 ("一、" 黑体), 2 ("(一)" 楷体) or 3 ("1." 仿宋 bold). The numbering is part of
    /// the text, as official documents number headings by hand.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(Paragraph),
    Table(Table),
    Chart(ChartSpec),
    PageBreak,
}

/// A paragraph of runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Paragraph {
    pub runs: Vec<Run>,
    #[serde(default)]
    pub align: Align,
    /// First-line indent of two characters, as body text of a 公文 has.
    #[serde(default = "yes")]
    pub indent: bool,
}

fn yes() -> bool {
    true
}

/// A piece of text with one look.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Run {
    pub text: String,
    /// Bold (HTML `<strong>`, DOCX bold).
    #[serde(default)]
    pub strong: bool,
    /// Emphasis (HTML `<em>`, DOCX 楷体: slanted CJK reads badly, so no italics).
    #[serde(default)]
    pub emphasis: bool,
}

/// Horizontal alignment of a paragraph or a table column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Justify,
    Left,
    Center,
    Right,
}

/// A table with one or more header rows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Table {
    /// Printed above the table, and the XLSX sheet name (shortened).
    pub caption: String,
    /// Header rows, HTML-style: a cell covered by a span from an earlier row or column is
    /// left out of its row.
    pub header: Vec<Vec<HeaderCell>>,
    pub rows: Vec<Vec<Cell>>,
    /// Alignment per column; missing entries are left-aligned text.
    #[serde(default)]
    pub align: Vec<Align>,
    /// A note printed under the table (source, definitions).
    #[serde(default)]
    pub note: Option<String>,
}

/// A header cell that may span columns and rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeaderCell {
    pub text: String,
    #[serde(default = "one")]
    pub colspan: u16,
    #[serde(default = "one")]
    pub rowspan: u16,
}

fn one() -> u16 {
    1
}

/// A body cell: the text as printed, and the number behind it when there is one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Cell {
    pub text: String,
    #[serde(default)]
    pub value: Option<CellValue>,
}

/// The numeric value of a cell, for formats that keep numbers as numbers (XLSX).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CellValue {
    /// A count or amount shown with `decimals` digits.
    Number { value: f64, decimals: u8 },
    /// A rate as a fraction (0.9971 for "99.71%") shown with `decimals` digits of percent.
    Percent { fraction: f64, decimals: u8 },
}

impl HeaderCell {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
        }
    }

    pub fn span(text: impl Into<String>, colspan: u16, rowspan: u16) -> Self {
        Self {
            text: text.into(),
            colspan: colspan.max(1),
            rowspan: rowspan.max(1),
        }
    }
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            value: None,
        }
    }

    /// A whole number printed without separators, as the seed report prints counts.
    pub fn count(n: i64) -> Self {
        Self {
            text: n.to_string(),
            value: Some(CellValue::Number {
                value: n as f64,
                decimals: 0,
            }),
        }
    }

    /// A number whose printed form was produced elsewhere (e.g. "25.6万").
    pub fn number(text: impl Into<String>, value: f64, decimals: u8) -> Self {
        Self {
            text: text.into(),
            value: Some(CellValue::Number { value, decimals }),
        }
    }

    /// A rate whose printed form comes from the report's rate policy.
    pub fn percent(text: impl Into<String>, fraction: f64, decimals: u8) -> Self {
        Self {
            text: text.into(),
            value: Some(CellValue::Percent { fraction, decimals }),
        }
    }
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    pub fn strong(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            strong: true,
            emphasis: false,
        }
    }
}

impl Paragraph {
    /// A body paragraph (justified, indented two characters).
    pub fn body(text: impl Into<String>) -> Self {
        Self {
            runs: vec![Run::plain(text)],
            align: Align::Justify,
            indent: true,
        }
    }

    pub fn from_runs(runs: Vec<Run>) -> Self {
        Self {
            runs,
            align: Align::Justify,
            indent: true,
        }
    }

    pub fn aligned(text: impl Into<String>, align: Align) -> Self {
        Self {
            runs: vec![Run::plain(text)],
            align,
            indent: false,
        }
    }

    pub fn plain_text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

impl Table {
    /// Number of columns, taken from the first header row (spans counted).
    pub fn columns(&self) -> usize {
        match self.header.first() {
            Some(row) => row.iter().map(|c| usize::from(c.colspan)).sum(),
            None => self.rows.first().map_or(0, Vec::len),
        }
    }

    pub fn align_of(&self, col: usize) -> Align {
        self.align.get(col).copied().unwrap_or(Align::Left)
    }
}

impl Document {
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    pub fn push(&mut self, block: Block) -> &mut Self {
        self.blocks.push(block);
        self
    }

    pub fn heading(&mut self, level: u8, text: impl Into<String>) -> &mut Self {
        self.push(Block::Heading {
            level,
            text: text.into(),
        })
    }

    pub fn paragraph(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Block::Paragraph(Paragraph::body(text)))
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }

    pub fn charts(&self) -> impl Iterator<Item = &ChartSpec> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Chart(c) => Some(c),
            _ => None,
        })
    }

    pub fn language(&self) -> &str {
        self.meta
            .language
            .as_deref()
            .filter(|l| !l.is_empty())
            .unwrap_or("zh-CN")
    }

    /// Checks what renderers rely on: heading levels, table shapes, chart data lengths.
    /// Renderers call this first, so a malformed tree fails before any file is written.
    pub fn validate(&self) -> Result<(), DocumentError> {
        for block in &self.blocks {
            match block {
                Block::Heading { level, text } if !(1..=3).contains(level) => {
                    return Err(DocumentError::Invalid(format!(
                        "标题“{text}”的级别为 {level},只支持 1 至 3 级"
                    )));
                }
                Block::Table(t) => crate::grid::HeaderGrid::build(t).map(|_| ())?,
                Block::Chart(c) => c.validate()?,
                _ => {}
            }
        }
        Ok(())
    }
}
