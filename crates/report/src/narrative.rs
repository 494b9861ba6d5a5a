//! The narrative: the sentences around the figures, written once in the section templates
//! and read by every format.
//!
//! Templates render to a small Markdown subset (headings, paragraphs, `**strong**`, list
//! items, backslash escapes) with one extra line form: `{{ exhibit("id") }}` leaves a marker
//! where the engine inserts a table or chart built from the model. Markdown output replaces
//! each marker by its tables; the document tree ([`Narrative::blocks`]) parses the same text
//! into headings and paragraphs and puts the exhibit's tables and charts at the marker. So a
//! sentence cannot differ between Markdown, DOCX, HTML and XLSX, and a template can move a
//! table but never type its numbers.

use std::path::{Path, PathBuf};

use jianping_document::{Align, Block, HeaderGrid, Paragraph, Run, Table, Templates};
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind};
use serde::Serialize;

use crate::ReportError;
use crate::render::{configure_markdown, escape_markdown};

const MARKER_OPEN: &str = "<!-- exhibit:";
const MARKER_CLOSE: &str = " -->";

/// Narrative templates (embedded, each overridable from a folder) with the `exhibit`
/// function knowing which exhibits exist.
#[derive(Debug)]
pub struct NarrativeTemplates {
    templates: Templates,
}

impl NarrativeTemplates {
    /// Compiles `list`, taking `dir/name` instead of the embedded source where that file
    /// exists. A broken template fails here with its file and line.
    pub fn load(
        list: &[(&'static str, &'static str)],
        dir: Option<&Path>,
        exhibit_ids: Vec<&'static str>,
    ) -> Result<Self, ReportError> {
        if let Some(d) = dir
            && !d.is_dir()
        {
            return Err(ReportError::Settings(format!(
                "模板文件夹 {} 不存在：请检查配置 [report] templates 或 --templates 的路径",
                d.display()
            )));
        }
        let templates = Templates::load_with(list, dir, |env| {
            configure_markdown(env);
            add_exhibit_function(env, exhibit_ids);
        })?;
        Ok(Self { templates })
    }

    /// Renders template `name` with `ctx`; errors name the file (or embedded template) and line.
    pub fn render(&self, name: &str, ctx: impl Serialize) -> Result<Narrative, ReportError> {
        let mut text = self.templates.render(name, ctx)?;
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(Narrative { text })
    }

    /// Files in the override folder that match no template (likely misspelt names).
    pub fn unknown_overrides(&self) -> &[PathBuf] {
        self.templates.unknown_overrides()
    }

    /// The override file a template was read from, `None` when embedded.
    pub fn override_of(&self, name: &str) -> Option<&Path> {
        self.templates.override_of(name)
    }
}

fn add_exhibit_function(env: &mut Environment<'static>, ids: Vec<&'static str>) {
    env.add_function("exhibit", move |id: String| -> Result<Value, Error> {
        if !ids.contains(&id.as_str()) {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("没有名为“{id}”的图表或表格，可用的有：{}", ids.join("、")),
            ));
        }
        Ok(Value::from_safe_string(format!(
            "\n{MARKER_OPEN}{id}{MARKER_CLOSE}\n"
        )))
    });
}

/// Rendered narrative: Markdown-subset text with exhibit markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Narrative {
    pub text: String,
}

/// One line of the narrative, classified.
#[derive(Debug, PartialEq)]
enum Line<'a> {
    Blank,
    Title(&'a str),
    Heading(u8, &'a str),
    Item(&'a str),
    Exhibit(&'a str),
    Text(&'a str),
}

fn classify(line: &str) -> Line<'_> {
    let t = line.trim();
    if t.is_empty() {
        return Line::Blank;
    }
    if let Some(id) = t
        .strip_prefix(MARKER_OPEN)
        .and_then(|r| r.strip_suffix(MARKER_CLOSE))
    {
        return Line::Exhibit(id);
    }
    let hashes = t.chars().take_while(|c| *c == '#').count();
    if (1..=4).contains(&hashes) && t[hashes..].starts_with(' ') {
        let text = t[hashes..].trim();
        return match hashes {
            1 => Line::Title(text),
            n => Line::Heading(n as u8 - 1, text),
        };
    }
    match t.strip_prefix("- ") {
        Some(item) => Line::Item(item.trim()),
        None => Line::Text(t),
    }
}

impl Narrative {
    /// The ids of the exhibits placed, in order.
    pub fn exhibit_ids(&self) -> Vec<&str> {
        self.text
            .lines()
            .filter_map(|l| match classify(l) {
                Line::Exhibit(id) => Some(id),
                _ => None,
            })
            .collect()
    }

    /// Markdown: markers replaced by the exhibit's tables (charts have no Markdown form),
    /// numbered "表n" as the document formats number them.
    pub fn markdown(&self, exhibit: impl Fn(&str) -> Vec<Block>) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut tables = 0;
        for line in self.text.lines() {
            match classify(line) {
                Line::Exhibit(id) => {
                    for block in exhibit(id) {
                        if let Block::Table(t) = block {
                            tables += 1;
                            out.push('\n');
                            out.push_str(&markdown_table(&t, tables));
                            out.push('\n');
                        }
                    }
                }
                _ => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        squeeze_blank_lines(&out)
    }

    /// The title (the `# ` line) and the body blocks, exhibits built by `exhibit`.
    pub fn blocks(&self, exhibit: impl Fn(&str) -> Vec<Block>) -> (Option<String>, Vec<Block>) {
        let mut title = None;
        let mut blocks = Vec::new();
        let mut para: Vec<&str> = Vec::new();
        let flush = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
            if !para.is_empty() {
                blocks.push(Block::Paragraph(paragraph(&join_lines(para))));
                para.clear();
            }
        };
        for line in self.text.lines() {
            let kind = classify(line);
            if let Line::Text(t) = kind {
                para.push(t);
                continue;
            }
            flush(&mut para, &mut blocks);
            match kind {
                Line::Title(t) => title = Some(unescape(t)),
                Line::Heading(level, t) => blocks.push(Block::Heading {
                    level,
                    text: unescape(t),
                }),
                Line::Item(t) => blocks.push(Block::Paragraph(paragraph(t))),
                Line::Exhibit(id) => blocks.extend(exhibit(id)),
                Line::Blank | Line::Text(_) => {}
            }
        }
        flush(&mut para, &mut blocks);
        (title, blocks)
    }
}

/// Soft-wrapped lines of one paragraph: Chinese needs no space between them; Latin words do.
fn join_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    for l in lines {
        let spaced = out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && l.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if spaced {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

/// At most one blank line in a row, and none at the end.
fn squeeze_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Removes Markdown backslash escapes.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A body paragraph from one Markdown line: `**…**` becomes strong, escapes are removed. A
/// paragraph that opens with a bold "（一）…" run-in heading gets it in 楷体 (emphasis), as
/// 二级标题 are set in official documents.
fn paragraph(text: &str) -> Paragraph {
    let mut runs: Vec<Run> = Vec::new();
    let mut current = String::new();
    let mut strong = false;
    let mut chars = text.chars().peekable();
    let push = |runs: &mut Vec<Run>, text: &mut String, strong: bool| {
        if !text.is_empty() {
            runs.push(Run {
                text: std::mem::take(text),
                strong,
                emphasis: false,
            });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                push(&mut runs, &mut current, strong);
                strong = !strong;
            }
            _ => current.push(c),
        }
    }
    push(&mut runs, &mut current, strong);
    if let Some(first) = runs.first_mut()
        && first.strong
        && first.text.starts_with('（')
    {
        first.strong = false;
        first.emphasis = true;
    }
    Paragraph {
        runs,
        align: Align::Justify,
        indent: true,
    }
}

/// A pipe table. Markdown has one header row, so each column is headed by its lowest header
/// cell (the leaf of a spanning group).
pub fn markdown_table(t: &Table, number: usize) -> String {
    let mut out = format!("**表{number} {}**\n\n", escape_markdown(&t.caption));
    let cols = t.columns();
    let mut heads = vec![String::new(); cols];
    if let Ok(grid) = HeaderGrid::build(t) {
        for cell in &grid.cells {
            for h in heads.iter_mut().skip(cell.col).take(cell.colspan) {
                *h = cell.text.to_string();
            }
        }
    }
    let cell = |s: &str| escape_markdown(s).replace('\n', " ");
    out.push_str(&format!(
        "| {} |\n",
        heads
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    let rules: Vec<&str> = (0..cols)
        .map(|c| match t.align_of(c) {
            Align::Right => "---:",
            Align::Center => ":---:",
            _ => "---",
        })
        .collect();
    out.push_str(&format!("| {} |\n", rules.join(" | ")));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(&c.text)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    if let Some(note) = &t.note {
        out.push_str(&format!("\n注：{}\n", escape_markdown(note)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jianping_document::{Cell, HeaderCell};

    fn table() -> Table {
        Table {
            caption: "分类".into(),
            header: vec![
                vec![
                    HeaderCell::span("类别", 1, 2),
                    HeaderCell::span("数量", 2, 1),
                ],
                vec![HeaderCell::new("件数"), HeaderCell::new("占比")],
            ],
            rows: vec![vec![
                Cell::text("求助"),
                Cell::count(15),
                Cell::text("48.39%"),
            ]],
            align: vec![Align::Left, Align::Right, Align::Right],
            note: None,
        }
    }

    const TEXT: &str = "# 报告\n\n## 一、总体\n\n**（一）中心情况。**共办件25.6万件，电话138\\*\\*\\*\\*5678。\n\n<!-- exhibit:kinds -->\n\n- 统计期间：甲\n";

    #[test]
    fn markdown_replaces_markers_by_tables() {
        let n = Narrative { text: TEXT.into() };
        let md = n.markdown(|id| {
            assert_eq!(id, "kinds");
            vec![Block::Table(table())]
        });
        assert!(md.contains("**表1 分类**\n\n| 类别 | 件数 | 占比 |\n| --- | ---: | ---: |\n| 求助 | 15 | 48.39% |\n"), "{md}");
        assert!(!md.contains("exhibit"), "{md}");
        assert!(!md.contains("\n\n\n"), "{md}");
    }

    #[test]
    fn blocks_share_the_sentences() {
        let n = Narrative { text: TEXT.into() };
        let (title, blocks) = n.blocks(|_| vec![Block::Table(table())]);
        assert_eq!(title.as_deref(), Some("报告"));
        let kinds: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text } => format!("h{level} {text}"),
                Block::Paragraph(p) => p.plain_text(),
                Block::Table(t) => format!("table {}", t.caption),
                _ => "other".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "h1 一、总体",
                "（一）中心情况。共办件25.6万件，电话138****5678。",
                "table 分类",
                "统计期间：甲"
            ]
        );
        let Block::Paragraph(p) = &blocks[1] else {
            panic!()
        };
        assert!(p.runs[0].emphasis && !p.runs[0].strong);
        assert_eq!(p.runs[0].text, "（一）中心情况。");
    }

    #[test]
    fn soft_wrapped_lines_join_into_one_paragraph() {
        let n = Narrative {
            text: "第一行，\n第二行 ABC\nDEF。\n".into(),
        };
        let (_, blocks) = n.blocks(|_| vec![]);
        assert_eq!(blocks.len(), 1);
        let Block::Paragraph(p) = &blocks[0] else {
            panic!()
        };
        assert_eq!(p.plain_text(), "第一行，第二行 ABC DEF。");
    }
}
