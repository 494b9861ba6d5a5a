//! The bulletin as a [`Document`] (DOCX, HTML, XLSX): the same templates as its Markdown,
//! with the annexes placed as exhibits, so every sentence is written once.

use super::render::BULLETIN_TEMPLATES;
use super::{BulletinReport, BulletinTable};
use crate::ReportError;
use crate::exhibits::{self, Exhibit};
use crate::narrative::{Narrative, NarrativeTemplates};
use crate::to_document::{DocumentSettings, build_document};
use jianping_document::{Align, Block, Cell, Document, HeaderCell, Table};
use minijinja::context;
use minijinja::value::Serde;
use std::collections::BTreeMap;
use std::path::Path;

pub const BULLETIN_ENTRY: &str = "bulletin/report.md.j2";

pub const BULLETIN_EXHIBITS: &[Exhibit<BulletinReport>] = &[
    Exhibit {
        id: "departments",
        description: "附件1：各部门“好差评”情况",
        build: |r| annex(r, "departments"),
    },
    Exhibit {
        id: "bad",
        description: "附件2：差评明细及整改情况",
        build: |r| annex(r, "bad"),
    },
    Exhibit {
        id: "movement",
        description: "附件3：问题整改台账变动情况",
        build: |r| annex(r, "movement"),
    },
    Exhibit {
        id: "attention",
        description: "附件4：逾期及预警事项",
        build: |r| annex(r, "attention"),
    },
    Exhibit {
        id: "ranking",
        description: "附件5：部门排名",
        build: |r| annex(r, "ranking"),
    },
];

fn annex(r: &BulletinReport, key: &str) -> Vec<Block> {
    r.tables()
        .into_iter()
        .find(|t| t.key == key && !t.rows.is_empty())
        .map(|t| vec![Block::Table(document_table(&t))])
        .unwrap_or_default()
}

/// Whole numbers become number cells (XLSX keeps them as numbers); everything else, rates
/// included, stays as printed.
fn cell(text: &str) -> Cell {
    match text.parse::<u64>() {
        Ok(n) => Cell::number(text, n as f64, 0),
        Err(_) => Cell::text(text),
    }
}

fn document_table(t: &BulletinTable) -> Table {
    let rows: Vec<Vec<Cell>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| cell(c)).collect())
        .collect();
    let align = (0..t.headers.len())
        .map(|c| {
            let numeric = t.rows.iter().all(|r| {
                r.get(c)
                    .is_some_and(|v| v == "—" || v.ends_with('%') || v.parse::<f64>().is_ok())
            });
            if numeric { Align::Right } else { Align::Left }
        })
        .collect();
    // The heading above already says 附件N; the caption names the table.
    let caption = t
        .title
        .split_once('：')
        .map_or(t.title.as_str(), |(_, name)| name)
        .to_string();
    Table {
        caption,
        header: vec![
            t.headers
                .iter()
                .map(|h| HeaderCell::new(h.clone()))
                .collect(),
        ],
        rows,
        align,
        note: None,
    }
}

/// The bulletin's templates, each overridable from `dir` (files under `bulletin/`).
pub fn bulletin_templates(dir: Option<&Path>) -> Result<NarrativeTemplates, ReportError> {
    NarrativeTemplates::load(BULLETIN_TEMPLATES, dir, exhibits::ids(BULLETIN_EXHIBITS))
}

fn narrative(
    report: &BulletinReport,
    templates: &NarrativeTemplates,
) -> Result<Narrative, ReportError> {
    let tables: BTreeMap<String, BulletinTable> = report
        .tables()
        .into_iter()
        .map(|t| (t.key.clone(), t))
        .collect();
    templates.render(
        BULLETIN_ENTRY,
        context! { r => Serde(report), t => Serde(&tables) },
    )
}

/// The bulletin in Markdown, the annexes as pipe tables.
pub fn bulletin_markdown_with(
    report: &BulletinReport,
    templates: &NarrativeTemplates,
) -> Result<String, ReportError> {
    let narrative = narrative(report, templates)?;
    Ok(narrative.markdown(|id| exhibits::build(BULLETIN_EXHIBITS, id, report)))
}

/// The document tree of the bulletin.
pub fn bulletin_document(
    report: &BulletinReport,
    templates: &NarrativeTemplates,
    settings: &DocumentSettings,
) -> Result<Document, ReportError> {
    let narrative = narrative(report, templates)?;
    build_document(
        report,
        &narrative,
        BULLETIN_EXHIBITS,
        &report.title,
        report.period.to,
        settings,
    )
}
