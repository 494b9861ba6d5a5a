//! Renderer-neutral documents for jianping: a [`Document`] tree of headings, paragraphs,
//! tables and charts, rendered to DOCX in the GB/T 9704-2012 official-document layout, to one
//! self-contained HTML file, and to XLSX (one sheet per table). Charts are data
//! ([`ChartSpec`]) drawn as SVG for HTML and rasterised to PNG for DOCX.
//!
//! The crate knows nothing about reports: the report model is converted into a `Document`.

pub mod chart;
mod error;
mod grid;
mod model;

pub use chart::{
    Axis, ChartKind, ChartRenderer, ChartSpec, CjkFont, FontSearch, Series, render_svg,
};
pub use error::{DocumentError, FontError, TemplateError};
pub use grid::{HeaderGrid, Placed, Slot};
pub use model::{
    Align, Block, Cell, CellValue, Cover, Document, HeaderCell, Meta, Paragraph, Run, Table,
};
pub mod docx;
pub use docx::{DocxOptions, OfficialFonts, render_docx, write_docx};
mod html;
pub mod templates;
mod xlsx;
pub use html::{
    HTML_TEMPLATE, HTML_TEMPLATE_SOURCE, HtmlOptions, render_html, render_html_with, write_html,
};
pub use templates::Templates;
pub use xlsx::{render_xlsx, write_xlsx};
