//! One self-contained HTML file: inline CSS and inline SVG charts, no scripts, no network,
//! no web fonts. Readable on a phone (tables scroll sideways inside their own box) and
//! printable on A4 with the 公文 margins and outer-corner page numbers.

use std::path::Path;

use minijinja::Environment;
use serde::Serialize;

use crate::chart::{ChartSpec, render_svg};

/// Drawing width of the phone version of each chart (CSS px).
const NARROW_CHART: u32 = 360;
use crate::error::{DocumentError, TemplateError};
use crate::grid::HeaderGrid;
use crate::model::{Align, Block, Cover, Document, Run, Table};
use crate::templates::Templates;

/// Name of the embedded page template; a bureau may override it like any narrative template.
pub const HTML_TEMPLATE: &str = "document.html";
pub const HTML_TEMPLATE_SOURCE: &str = include_str!("../templates/document.html");

/// Settings of the HTML renderer.
#[derive(Debug, Clone)]
pub struct HtmlOptions {
    /// Print "— n —" page numbers at the outer bottom corner of printed pages.
    pub print_page_numbers: bool,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        Self {
            print_page_numbers: true,
        }
    }
}

/// Renders `doc` with the embedded page template.
pub fn render_html(doc: &Document, opts: &HtmlOptions) -> Result<String, DocumentError> {
    let templates = Templates::embedded(&[(HTML_TEMPLATE, HTML_TEMPLATE_SOURCE)])?;
    render_html_with(doc, opts, &templates)
}

/// Renders `doc` with `templates`, which must hold [`HTML_TEMPLATE`] (embedded or overridden).
pub fn render_html_with(
    doc: &Document,
    opts: &HtmlOptions,
    templates: &Templates,
) -> Result<String, DocumentError> {
    doc.validate()?;
    let view = View::build(doc, opts)?;
    Ok(templates.render(HTML_TEMPLATE, &view)?)
}

/// Renders `doc` and writes it to `path`.
pub fn write_html(doc: &Document, path: &Path, opts: &HtmlOptions) -> Result<(), DocumentError> {
    let html = render_html(doc, opts)?;
    std::fs::write(path, html).map_err(|source| DocumentError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// What the template sees: the document with tables laid out and charts drawn.
#[derive(Serialize)]
struct View<'a> {
    lang: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    author: Option<&'a str>,
    date: Option<&'a str>,
    cover: Option<&'a Cover>,
    page_numbers: bool,
    blocks: Vec<BlockView<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum BlockView<'a> {
    Heading {
        level: u8,
        text: &'a str,
    },
    Paragraph {
        runs: &'a [Run],
        align: &'static str,
        indent: bool,
    },
    Table {
        number: usize,
        caption: &'a str,
        /// More than six columns: printed in 五号 as in the DOCX.
        wide: bool,
        header: Vec<Vec<HeadCell<'a>>>,
        rows: Vec<Vec<BodyCell<'a>>>,
        note: Option<&'a str>,
    },
    /// The chart drawn twice: at its own width, and at phone width with labels laid out
    /// again (a scaled-down wide drawing would shrink 13 px labels to 6 px on a phone).
    Chart {
        number: usize,
        title: &'a str,
        svg: String,
        svg_narrow: String,
        note: Option<&'a str>,
    },
    PageBreak,
}

#[derive(Serialize)]
struct HeadCell<'a> {
    text: &'a str,
    colspan: usize,
    rowspan: usize,
}

#[derive(Serialize)]
struct BodyCell<'a> {
    text: &'a str,
    align: &'static str,
    /// A description (a problem as reported) wraps; labels and figures stay on one line.
    wrap: bool,
}

/// Text cells longer than this many characters may wrap.
const WRAP_CHARS: usize = 10;

fn css_align(a: Align) -> &'static str {
    match a {
        Align::Justify => "justify",
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

impl<'a> View<'a> {
    fn build(doc: &'a Document, opts: &HtmlOptions) -> Result<Self, DocumentError> {
        let (mut tables, mut charts) = (0, 0);
        let mut blocks = Vec::with_capacity(doc.blocks.len());
        for block in &doc.blocks {
            blocks.push(match block {
                Block::Heading { level, text } => BlockView::Heading {
                    level: *level,
                    text,
                },
                Block::Paragraph(p) => BlockView::Paragraph {
                    runs: &p.runs,
                    align: css_align(p.align),
                    indent: p.indent,
                },
                Block::Table(t) => {
                    tables += 1;
                    table_view(t, tables)?
                }
                Block::Chart(spec) => {
                    charts += 1;
                    let narrow = ChartSpec {
                        width: Some(NARROW_CHART),
                        height: None,
                        ..spec.clone()
                    };
                    BlockView::Chart {
                        number: charts,
                        title: &spec.title,
                        svg: render_svg(spec)?,
                        svg_narrow: render_svg(&narrow)?,
                        note: spec.note.as_deref(),
                    }
                }
                Block::PageBreak => BlockView::PageBreak,
            });
        }
        Ok(Self {
            lang: doc.language(),
            title: &doc.title,
            subtitle: doc.subtitle.as_deref(),
            author: doc.meta.author.as_deref(),
            date: doc.meta.date.as_deref(),
            cover: doc.cover.as_ref(),
            page_numbers: opts.print_page_numbers,
            blocks,
        })
    }
}

fn table_view(t: &Table, number: usize) -> Result<BlockView<'_>, DocumentError> {
    let grid = HeaderGrid::build(t)?;
    let mut header: Vec<Vec<HeadCell>> = (0..grid.rows).map(|_| Vec::new()).collect();
    for c in &grid.cells {
        header[c.row].push(HeadCell {
            text: c.text,
            colspan: c.colspan,
            rowspan: c.rowspan,
        });
    }
    Ok(BlockView::Table {
        number,
        caption: &t.caption,
        wide: grid.cols > 6,
        header,
        rows: t.rows.iter().map(|r| body_row(t, r)).collect(),
        note: t.note.as_deref(),
    })
}

fn body_row<'a>(t: &Table, row: &'a [crate::model::Cell]) -> Vec<BodyCell<'a>> {
    row.iter()
        .enumerate()
        .map(|(i, c)| BodyCell {
            text: &c.text,
            align: css_align(t.align_of(i)),
            wrap: c.value.is_none() && c.text.chars().count() > WRAP_CHARS,
        })
        .collect()
}

/// The environment settings every document template is rendered with.
pub(crate) fn configure(env: &mut Environment<'static>) {
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
}

impl From<minijinja::Error> for TemplateError {
    fn from(e: minijinja::Error) -> Self {
        TemplateError {
            file: None,
            name: e.name().unwrap_or("?").to_string(),
            line: e.line(),
            message: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, HeaderCell, Paragraph, Table};

    fn doc() -> Document {
        let mut d = Document::new("报告<标题>");
        d.paragraph("正文 & <b>不是标签</b>");
        d.push(Block::Table(Table {
            caption: "表".into(),
            header: vec![
                vec![
                    HeaderCell::span("区域", 1, 2),
                    HeaderCell::span("等级", 2, 1),
                ],
                vec![HeaderCell::new("满意"), HeaderCell::new("不满意")],
            ],
            rows: vec![vec![Cell::text("市本级"), Cell::count(60), Cell::count(0)]],
            align: vec![Align::Left, Align::Right, Align::Right],
            note: None,
        }));
        d.push(Block::Paragraph(Paragraph::aligned("右对齐", Align::Right)));
        d
    }

    #[test]
    fn user_text_is_escaped() {
        let html = render_html(&doc(), &HtmlOptions::default()).unwrap();
        assert!(html.contains("报告&lt;标题&gt;"));
        assert!(html.contains("&lt;b&gt;不是标签&lt;"));
        assert!(!html.contains("<b>"));
    }

    #[test]
    fn spans_and_alignment_reach_the_markup() {
        let html = render_html(&doc(), &HtmlOptions::default()).unwrap();
        assert!(html.contains(r#"rowspan="2""#) && html.contains(r#"colspan="2""#));
        assert!(
            html.contains(r#"class="num""#) || html.contains("text-align:right"),
            "right-aligned numbers"
        );
    }

    #[test]
    fn nothing_is_loaded_from_elsewhere() {
        let html = render_html(&doc(), &HtmlOptions::default()).unwrap();
        for needle in [
            "<script", "<link", " src=", "url(", "@import", "https:", "http:",
        ] {
            assert!(!html.contains(needle), "found {needle}");
        }
    }
}
