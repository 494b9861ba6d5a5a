//! DOCX in the GB/T 9704-2012 official-document (公文) layout.
//!
//! Page, margins and the 22 × 28 document grid go into the section properties; fonts are
//! named per script (`w:eastAsia`) so Word and WPS pick the 公文 faces; page numbers are a
//! PAGE field in separate odd and even footers so they sit at the outer corner.

mod layout;
mod patch;
mod table;

use std::io::Cursor;
use std::path::Path;

use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE,
    InstrText, LineSpacing, LineSpacingType, PageMargin, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Pic, RunFonts, SpecialIndentType, Style, StyleType,
};
use serde::{Deserialize, Serialize};

use crate::chart::{ChartRenderer, ChartSpec, FontSearch};
use crate::error::DocumentError;
use crate::model::{Align, Block, Cover, Document, Paragraph, Run};

pub use layout::{
    CHARS_PER_LINE, LINES_PER_PAGE, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM,
    MARGIN_TOP_MM, Page, mm_to_twips,
};
use layout::{SIZE_2HAO, SIZE_3HAO, SIZE_4HAO, SIZE_XIAO4, mm_to_emu};

/// Font names written into the DOCX. Word and WPS substitute a missing font by their own
/// rules, so the defaults are the names bureaus' machines carry; alternatives are listed in
/// `docs/documents.md` and can be set here (from configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfficialFonts {
    /// 标题: 2号方正小标宋简体.
    pub title: String,
    /// 正文: 3号仿宋_GB2312.
    pub body: String,
    /// 一级标题: 3号黑体.
    pub heading1: String,
    /// 二级标题: 3号楷体_GB2312 (also used for emphasis runs and the subtitle).
    pub heading2: String,
    /// 页码: 4号宋体.
    pub page_number: String,
}

impl Default for OfficialFonts {
    fn default() -> Self {
        Self {
            title: "方正小标宋简体".into(),
            body: "仿宋_GB2312".into(),
            heading1: "黑体".into(),
            heading2: "楷体_GB2312".into(),
            page_number: "宋体".into(),
        }
    }
}

/// Settings of the DOCX renderer.
#[derive(Debug, Clone)]
pub struct DocxOptions {
    pub fonts: OfficialFonts,
    /// Where the CJK font for chart PNGs is found.
    pub chart_font: FontSearch,
    /// Chart PNG pixels per CSS pixel.
    pub chart_scale: f32,
    /// Drawing width of charts that do not set one. Narrower than the HTML default (720) so
    /// that 13 px chart labels print at about 10 pt across the 156 mm 版心.
    pub chart_width: u32,
}

impl Default for DocxOptions {
    fn default() -> Self {
        Self {
            fonts: OfficialFonts::default(),
            chart_font: FontSearch::system(),
            chart_scale: 2.5,
            chart_width: 560,
        }
    }
}

/// Renders `doc` to DOCX bytes.
pub fn render_docx(doc: &Document, opts: &DocxOptions) -> Result<Vec<u8>, DocumentError> {
    doc.validate()?;
    let renderer = match doc.charts().next() {
        Some(_) => Some(ChartRenderer::new(&opts.chart_font)?),
        None => None,
    };
    let mut w = Writer {
        page: Page::gbt9704(),
        fonts: &opts.fonts,
        renderer,
        scale: opts.chart_scale,
        chart_width: opts.chart_width,
        header_rows: Vec::new(),
        figures: 0,
    };
    let mut docx = w.base();
    if let Some(cover) = &doc.cover {
        docx = w.cover(docx, cover);
    }
    docx = w.title(docx, doc);
    for block in &doc.blocks {
        docx = w.block(docx, block)?;
    }
    let mut xml = docx.build();
    patch::apply(&mut xml, &w.header_rows)?;
    let mut buf = Cursor::new(Vec::new());
    xml.pack(&mut buf)
        .map_err(|e| DocumentError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}

/// Renders `doc` and writes it to `path`.
pub fn write_docx(doc: &Document, path: &Path, opts: &DocxOptions) -> Result<(), DocumentError> {
    let bytes = render_docx(doc, opts)?;
    std::fs::write(path, bytes).map_err(|source| DocumentError::Io {
        path: path.to_path_buf(),
        source,
    })
}

pub(crate) fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(name)
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
}

fn alignment(a: Align) -> AlignmentType {
    match a {
        Align::Justify => AlignmentType::Both,
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

/// Width of `s` in body characters: half for ASCII, one for everything else.
fn char_units(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

struct Writer<'a> {
    page: Page,
    fonts: &'a OfficialFonts,
    renderer: Option<ChartRenderer>,
    scale: f32,
    chart_width: u32,
    /// Header row count of each table written so far (for `patch::mark_header_rows`).
    header_rows: Vec<usize>,
    figures: usize,
}

impl Writer<'_> {
    /// Page setup, grid, default font and the odd/even page-number footers.
    fn base(&self) -> Docx {
        let p = &self.page;
        let margin = PageMargin {
            top: p.top,
            left: p.left,
            bottom: p.bottom,
            right: p.right,
            header: mm_to_twips(15.0),
            footer: p.footer,
            gutter: 0,
        };
        let mut normal = Style::new("Normal", StyleType::Paragraph)
            .name("Normal")
            .fonts(fonts(&self.fonts.body))
            .size(SIZE_3HAO);
        normal.run_property = normal.run_property.character_spacing(p.condense);
        let mut docx = Docx::new()
            .page_size(p.width, p.height)
            .page_margin(margin)
            .default_fonts(fonts(&self.fonts.body))
            .default_size(SIZE_3HAO)
            // The condensed spacing lives in the Normal style so text a clerk types later
            // keeps 28 characters a line (see `Page::condense`).
            .add_style(normal)
            .footer(self.page_number(true))
            .even_footer(self.page_number(false));
        let grid = DocGrid::new()
            .grid_type(DocGridType::Lines)
            .line_pitch(p.line_pitch as usize);
        docx.document = docx.document.doc_grid(grid);
        docx
    }

    /// "— 7 —" in 4号宋体, one character in from the outer edge (odd pages right, even left).
    fn page_number(&self, odd: bool) -> Footer {
        let run = |r: docx_rs::Run| r.fonts(fonts(&self.fonts.page_number)).size(SIZE_4HAO);
        let one_char = SIZE_4HAO as i32 * 10;
        let (align, left, right) = if odd {
            (AlignmentType::Right, None, Some(one_char))
        } else {
            (AlignmentType::Left, Some(one_char), None)
        };
        let p = docx_rs::Paragraph::new()
            .align(align)
            .indent(left, None, right, None)
            .snap_to_grid(false)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(layout::PAGE_NUMBER_LINE),
            )
            .add_run(run(docx_rs::Run::new().add_text("— ")))
            .add_run(run(
                docx_rs::Run::new().add_field_char(FieldCharType::Begin, false)
            ))
            .add_run(run(
                docx_rs::Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new()))
            ))
            .add_run(run(
                docx_rs::Run::new().add_field_char(FieldCharType::Separate, false)
            ))
            .add_run(run(docx_rs::Run::new().add_text("1")))
            .add_run(run(
                docx_rs::Run::new().add_field_char(FieldCharType::End, false)
            ))
            .add_run(run(docx_rs::Run::new().add_text(" —")));
        Footer::new().add_paragraph(p)
    }

    /// Exact spacing of one grid line, so a line is the same height in Word, WPS and
    /// LibreOffice whichever of them honours the document grid.
    fn grid_line(&self) -> LineSpacing {
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(self.page.line_pitch)
    }

    fn text_run(&self, text: &str, font: &str, size: usize) -> docx_rs::Run {
        docx_rs::Run::new()
            .add_text(text)
            .fonts(fonts(font))
            .size(size)
    }

    fn blank(&self) -> docx_rs::Paragraph {
        docx_rs::Paragraph::new().line_spacing(self.grid_line())
    }

    /// A centred line. Text larger than 3号 (titles) is taken off the line grid, where
    /// LibreOffice would give it two grid lines; its exact spacing keeps it to one.
    /// A line break in `text` is kept (a title broken by hand into a 梯形 or 菱形, as GB/T
    /// 9704 asks of long titles).
    fn centered(&self, text: &str, font: &str, size: usize) -> docx_rs::Paragraph {
        let mut p = docx_rs::Paragraph::new()
            .align(AlignmentType::Center)
            .snap_to_grid(size <= SIZE_3HAO)
            .line_spacing(self.grid_line());
        for (i, line) in text.lines().enumerate() {
            let mut run = self.text_run(line.trim(), font, size);
            if i > 0 {
                run = self
                    .text_run("", font, size)
                    .add_break(BreakType::TextWrapping)
                    .add_text(line.trim());
            }
            p = p.add_run(run);
        }
        p
    }

    fn body(&self, p: &Paragraph) -> docx_rs::Paragraph {
        let mut out = docx_rs::Paragraph::new()
            .align(alignment(p.align))
            .line_spacing(self.grid_line());
        if p.indent {
            out = out.indent(
                None,
                Some(SpecialIndentType::FirstLine(2 * self.page.body_char())),
                None,
                None,
            );
        }
        for r in &p.runs {
            out = out.add_run(self.run(r));
        }
        out
    }

    fn run(&self, r: &Run) -> docx_rs::Run {
        let font = if r.emphasis {
            &self.fonts.heading2
        } else {
            &self.fonts.body
        };
        let run = self.text_run(&r.text, font, SIZE_3HAO);
        if r.strong { run.bold() } else { run }
    }

    /// 版头 (red 发文机关标志, 发文字号, red line), the notice, 署名 and 成文日期. The report
    /// title then starts a new page (`pageBreakBefore`, so a cover that fills its page
    /// exactly leaves no blank page).
    fn cover(&self, mut docx: Docx, c: &Cover) -> Docx {
        if let Some(mark) = &c.issuer_mark {
            docx = docx.add_paragraph(self.issuer_mark(mark));
            if let Some(number) = &c.doc_number {
                docx = docx
                    .add_paragraph(self.blank())
                    .add_paragraph(self.centered(number, &self.fonts.body, SIZE_3HAO));
            }
            let red_line = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(docx_rs::BorderType::Single)
                .size(12)
                .space(4)
                .color("FF0000");
            let mut line = self.blank();
            line.property = line
                .property
                .set_borders(ParagraphBorders::with_empty().set(red_line));
            docx = docx.add_paragraph(line).add_paragraph(self.blank());
        }
        docx = docx
            .add_paragraph(self.centered(&c.title, &self.fonts.title, SIZE_2HAO))
            .add_paragraph(self.blank());
        if let Some(to) = &c.addressee {
            let p = docx_rs::Paragraph::new()
                .line_spacing(self.grid_line())
                .add_run(self.text_run(&format!("{to}："), &self.fonts.body, SIZE_3HAO));
            docx = docx.add_paragraph(p);
        }
        for text in &c.body {
            docx = docx.add_paragraph(self.body(&Paragraph::body(text.clone())));
        }
        docx = docx.add_paragraph(self.blank());
        for p in self.signature(c) {
            docx = docx.add_paragraph(p);
        }
        docx
    }

    /// 发文机关标志: red 小标宋, centred, its top 35 mm below the top of the 版心 (§7.2.3),
    /// sized to fit the 版心 width.
    fn issuer_mark(&self, mark: &str) -> docx_rs::Paragraph {
        let width_pt = f64::from(self.page.text_width()) / 20.0;
        let size_pt = (0.9 * width_pt / char_units(mark).max(1.0)).clamp(22.0, 52.0);
        let size = (size_pt * 2.0).floor() as usize;
        docx_rs::Paragraph::new()
            .align(AlignmentType::Center)
            .snap_to_grid(false)
            .line_spacing(
                LineSpacing::new()
                    .before(mm_to_twips(35.0) as u32)
                    .line_rule(LineSpacingType::Auto)
                    .line(240),
            )
            .add_run(self.text_run(mark, &self.fonts.title, size).color("FF0000"))
    }

    /// §7.3.5.2 (no seal): 署名 右空二字; 成文日期 on the next line, its first character two
    /// characters right of the 署名's first. When the date is the longer of the two it keeps
    /// 右空二字 and the 署名 moves left instead. Lines are placed by their left edge, so the
    /// date's position does not depend on how wide the digits of the installed font are.
    fn signature(&self, c: &Cover) -> Vec<docx_rs::Paragraph> {
        let unit = f64::from(self.page.body_char());
        let width = f64::from(self.page.text_width()) / unit;
        let s = c.issuer.iter().map(|l| char_units(l)).fold(0.0, f64::max);
        let d = char_units(&c.date);
        let sig_left = if s - d >= 2.0 {
            width - 2.0 - s
        } else {
            width - 2.0 - d - 2.0
        };
        let line = |text: &str, left: f64| {
            docx_rs::Paragraph::new()
                .align(AlignmentType::Left)
                .line_spacing(self.grid_line())
                .indent(
                    Some((left.max(0.0) * unit).round() as i32),
                    None,
                    None,
                    None,
                )
                .add_run(self.text_run(text, &self.fonts.body, SIZE_3HAO))
        };
        let mut out: Vec<_> = c.issuer.iter().map(|l| line(l, sig_left)).collect();
        out.push(line(&c.date, sig_left + 2.0));
        out
    }

    fn title(&self, mut docx: Docx, doc: &Document) -> Docx {
        let title = self.centered(&doc.title, &self.fonts.title, SIZE_2HAO);
        docx = docx.add_paragraph(title.page_break_before(doc.cover.is_some()));
        if let Some(sub) = &doc.subtitle {
            docx = docx.add_paragraph(self.centered(sub, &self.fonts.heading2, SIZE_3HAO));
        }
        docx.add_paragraph(self.blank())
    }

    fn heading(&self, level: u8, text: &str) -> docx_rs::Paragraph {
        let (font, bold) = match level {
            1 => (&self.fonts.heading1, false),
            2 => (&self.fonts.heading2, false),
            _ => (&self.fonts.body, true),
        };
        let run = self.text_run(text, font, SIZE_3HAO);
        docx_rs::Paragraph::new()
            .align(AlignmentType::Both)
            .line_spacing(self.grid_line())
            .indent(
                None,
                Some(SpecialIndentType::FirstLine(2 * self.page.body_char())),
                None,
                None,
            )
            .outline_lvl(usize::from(level - 1))
            .keep_next(true)
            .add_run(if bold { run.bold() } else { run })
    }

    fn block(&mut self, docx: Docx, block: &Block) -> Result<Docx, DocumentError> {
        Ok(match block {
            Block::Heading { level, text } => docx.add_paragraph(self.heading(*level, text)),
            Block::Paragraph(p) => docx.add_paragraph(self.body(p)),
            Block::Table(t) => {
                self.header_rows.push(t.header.len());
                table::add_table(self, docx, t, self.header_rows.len())
            }
            Block::Chart(spec) => self.chart(docx, spec)?,
            Block::PageBreak => docx.add_paragraph(
                docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_break(BreakType::Page)),
            ),
        })
    }

    /// A caption line (表题/图题): 4号黑体, centred, not on the body grid.
    fn caption(&self, text: &str) -> docx_rs::Paragraph {
        docx_rs::Paragraph::new()
            .align(AlignmentType::Center)
            .snap_to_grid(false)
            .line_spacing(LineSpacing::new().before(120).after(120))
            .add_run(self.text_run(text, &self.fonts.heading1, SIZE_4HAO))
    }

    fn note(&self, text: &str) -> docx_rs::Paragraph {
        docx_rs::Paragraph::new()
            .snap_to_grid(false)
            .line_spacing(LineSpacing::new().after(120))
            .add_run(self.text_run(text, &self.fonts.body, SIZE_XIAO4))
    }

    /// The chart as a PNG scaled to the 版心 width (at most 200 mm tall), caption below.
    fn chart(&mut self, docx: Docx, spec: &ChartSpec) -> Result<Docx, DocumentError> {
        let renderer = self
            .renderer
            .as_ref()
            .expect("renderer exists when the document has charts");
        let sized;
        let spec = if spec.width.is_none() {
            sized = ChartSpec {
                width: Some(self.chart_width),
                ..spec.clone()
            };
            &sized
        } else {
            spec
        };
        let png = renderer.png(spec, self.scale)?;
        let mut w_mm = self.page.text_width_mm();
        let mut h_mm = w_mm * f64::from(png.height) / f64::from(png.width);
        if h_mm > 200.0 {
            w_mm *= 200.0 / h_mm;
            h_mm = 200.0;
        }
        let pic = Pic::new_with_dimensions(png.data, png.width, png.height)
            .size(mm_to_emu(w_mm), mm_to_emu(h_mm));
        let image = docx_rs::Paragraph::new()
            .align(AlignmentType::Center)
            .snap_to_grid(false)
            .keep_next(true)
            .line_spacing(
                LineSpacing::new()
                    .before(120)
                    .line_rule(LineSpacingType::Auto)
                    .line(240),
            )
            .add_run(docx_rs::Run::new().add_image(pic));
        self.figures += 1;
        let mut docx = docx
            .add_paragraph(image)
            .add_paragraph(self.caption(&format!("图{} {}", self.figures, spec.title)));
        if let Some(note) = &spec.note {
            docx = docx.add_paragraph(self.note(note));
        }
        Ok(docx)
    }
}
