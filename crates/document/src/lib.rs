//! Renderer-neutral documents for jianping.
//!
//! A [`Document`] is a tree of headings, paragraphs, tables and charts with an optional 发文
//! cover. It renders to
//! - DOCX in the GB/T 9704-2012 official-document layout ([`render_docx`]),
//! - one self-contained HTML file with inline SVG charts ([`render_html`]),
//! - XLSX with one sheet per table ([`render_xlsx`]).
//!
//! Charts are data ([`ChartSpec`]): SVG for HTML, the same SVG rasterised to PNG (resvg, with a
//! located CJK font) for DOCX. [`Templates`] loads minijinja templates embedded in the binary,
//! each overridable from a folder, with errors that name file and line.
//!
//! Window QR codes ([`qr`]): the bare code as SVG/PNG, a labelled card, and a printable A4
//! sheet of cards per hall.
//!
//! The crate knows nothing about reports: the report model is converted into a `Document`.
//! Layout choices are explained in `docs/documents.md`.

pub mod chart;
pub mod docx;
mod error;
mod grid;
mod html;
mod model;
pub mod qr;
pub mod templates;
mod xlsx;

pub use chart::{
    Axis, ChartKind, ChartRenderer, ChartSpec, CjkFont, FontSearch, Png, Series, render_svg,
};
pub use docx::{DocxOptions, OfficialFonts, render_docx, write_docx};
pub use error::{DocumentError, FontError, TemplateError};
pub use grid::{HeaderGrid, Placed, Slot};
pub use html::{
    HTML_TEMPLATE, HTML_TEMPLATE_SOURCE, HtmlOptions, render_html, render_html_with, write_html,
};
pub use model::{
    Align, Block, Cell, CellValue, Cover, Document, HeaderCell, Meta, Paragraph, Run, Table,
};
pub use qr::{
    QrCard, QrOptions, QrSheet, qr_modules, qr_png, qr_svg, render_qr_card_png, render_qr_card_svg,
    render_qr_sheet_html,
};
pub use templates::Templates;
pub use xlsx::{render_xlsx, write_xlsx};
