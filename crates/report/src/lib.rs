//! jianping-report: the report model built from the store, and its renderers.
//!
//! `annual::build_annual` computes [`model::AnnualReport`]; `render` turns it into Markdown
//! through templates embedded in the binary; JSON is the serialized model. `stats` builds
//! the tables of `jianping stats`.

pub mod annual;
mod basics;
pub mod bulletin;
pub mod channels;
pub mod check;
pub mod credibility;
pub mod exhibits;
pub mod figure_checks;
pub mod followup;
pub mod indicator_exhibits;
pub mod indicator_views;
pub mod indicators;
pub mod model;
pub mod narrative;
pub mod render;
pub mod series;
pub mod stats;
pub mod tabular;
pub mod to_document;
pub mod topics;

pub use annual::{AnnualSettings, build_annual};
pub use bulletin::{BulletinReport, BulletinSettings, build_bulletin};
pub use model::AnnualReport;

/// Why a report could not be produced. Messages are for the user, in Chinese, and say what
/// to do.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] jianping_store::StoreError),
    #[error("{0}")]
    Settings(String),
    #[error("报告模板「{name}」渲染失败：{message}")]
    Template { name: String, message: String },
    /// A narrative template (embedded or a bureau's override), located by file and line.
    #[error(transparent)]
    TemplateFile(#[from] jianping_document::TemplateError),
    #[error(transparent)]
    Document(#[from] jianping_document::DocumentError),
}
