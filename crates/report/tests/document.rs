//! The annual report as a document tree, on the small hand-made city: the narrative is the
//! Markdown's, sentence for sentence; the exhibits carry the model's figures; the cover
//! comes from the settings.

#[path = "../../store/tests/common.rs"]
mod common;
mod dataset;

use jianping_document::{Block, CellValue, ChartKind, Document};
use jianping_report::to_document::{
    CoverSettings, DocumentSettings, annual_document, annual_markdown_with, annual_templates,
};
use jianping_report::{AnnualReport, AnnualSettings, build_annual};

fn small_city() -> AnnualReport {
    let mut t = common::sqlite();
    dataset::load(&mut t.store);
    dataset::ledger_item(
        &mut t.store,
        "ZG-R1",
        "rating",
        dataset::BAD_RATING,
        "closed",
        None,
    );
    build_annual(&mut t.store, &dataset::period(), &AnnualSettings::default()).unwrap()
}

/// Markdown as plain text: no emphasis markers, escapes or table rows.
fn plain_markdown(md: &str) -> Vec<String> {
    md.lines()
        .filter(|l| !l.starts_with('|') && !l.trim().is_empty())
        .map(|l| {
            let l = l.trim_start_matches('#').trim_start_matches("- ").trim();
            let mut out = String::new();
            let mut chars = l.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => out.extend(chars.next()),
                    '*' => {}
                    c => out.push(c),
                }
            }
            out
        })
        .collect()
}

fn document(report: &AnnualReport, settings: &DocumentSettings) -> Document {
    annual_document(report, &annual_templates(None).unwrap(), settings).unwrap()
}

#[test]
fn every_sentence_of_the_document_is_the_markdowns() {
    let r = small_city();
    let md = annual_markdown_with(&r, &annual_templates(None).unwrap()).unwrap();
    let lines = plain_markdown(&md);
    let doc = document(&r, &DocumentSettings::default());
    assert_eq!(Some(doc.title.as_str()), lines.first().map(String::as_str));
    let mut texts = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Heading { text, .. } => texts.push(text.clone()),
            Block::Paragraph(p) => texts.push(p.plain_text()),
            _ => {}
        }
    }
    assert!(texts.len() > 20, "{texts:?}");
    for t in &texts {
        assert!(lines.contains(t), "not in the Markdown: {t}");
    }
    // and every Markdown paragraph is in the document (tables aside)
    let captions: Vec<String> = doc.tables().map(|t| t.caption.clone()).collect();
    for l in lines.iter().skip(1) {
        let is_table = l.starts_with('表') || l.starts_with("注：");
        assert!(is_table || texts.contains(l), "not in the document: {l}");
    }
    assert_eq!(captions.len(), 7, "{captions:?}");
}

#[test]
fn exhibits_carry_the_model_figures() {
    let r = small_city();
    let doc = document(&r, &DocumentSettings::default());
    let tiers = doc
        .tables()
        .find(|t| t.caption.contains("分层级"))
        .expect("tier table");
    // 全市 row: 52 ratings, 49 非常满意, 94.23% 非常满意率 as a fraction for XLSX
    let all = tiers.rows.last().unwrap();
    assert_eq!(all[0].text, "全市");
    assert_eq!(all[1].text, "52");
    assert_eq!(all[3].text, "49");
    assert_eq!(all[8].text, "94.23%");
    assert!(matches!(
        all[8].value,
        Some(CellValue::Percent { fraction, decimals: 2 }) if (fraction - 49.0 / 52.0).abs() < 1e-12
    ));
    // 49 of 52 非常满意 (94%) is dominant: the chart leaves it out and says so
    let chart = doc
        .charts()
        .find(|c| c.title.contains("评价等级分布"))
        .unwrap();
    assert!(chart.title.contains("非常满意以外"), "{}", chart.title);
    assert!(chart.note.as_deref().unwrap().contains("94.23%"));
    assert!(!chart.series.iter().any(|s| s.name == "非常满意"));
    // monthly trend: one point per month of the period, bad ratings on the right axis
    let trend = doc.charts().find(|c| c.kind == ChartKind::Line).unwrap();
    assert_eq!(trend.categories.len(), 10);
    assert!(trend.series.iter().any(|s| s.secondary));
    let months: f64 = trend.series[0].values.iter().sum();
    assert_eq!(
        months, 53.0,
        "all ratings, the one outside the city included"
    );
    // rectification: the rating's item is closed, the others are not in the ledger
    let items = doc.tables().find(|t| t.caption == "问题整改情况").unwrap();
    assert_eq!(items.rows[0][4].text, "ZG-R1");
    assert_eq!(items.rows[0][5].text, "已办结(销号)");
    assert!(
        items
            .rows
            .iter()
            .skip(1)
            .any(|r| r[5].text == "未纳入整改台账")
    );
}

#[test]
fn the_cover_is_rendered_from_its_templates() {
    let r = small_city();
    assert!(document(&r, &DocumentSettings::default()).cover.is_none());
    let cover = CoverSettings {
        issuer: "乌海市推进政府职能转变和“放管服”改革协调小组办公室".into(),
        addressee: Some("市直各部门".into()),
        signature: vec![
            "乌海市推进政府职能转变".into(),
            "和“放管服”改革协调小组办公室".into(),
        ],
        origin: "测试".into(),
        ..CoverSettings::default()
    };
    let doc = document(
        &r,
        &DocumentSettings {
            cover: Some(cover.clone()),
        },
    );
    let c = doc.cover.unwrap();
    assert_eq!(
        c.title,
        "乌海市推进政府职能转变和“放管服”改革协调小组办公室关于印发《乌海市2023年政务服务监督评价报告》的通知"
    );
    assert_eq!(c.date, "2023年10月31日", "the period's last day by default");
    assert!(c.body[0].contains("形成《乌海市2023年政务服务监督评价报告》"));
    assert_eq!(c.issuer.len(), 2);
    // a broken cover template names the setting and the line
    let broken = CoverSettings {
        text: Some("第一段\n{{ r.titel }}".into()),
        ..cover
    };
    let err = annual_document(
        &r,
        &annual_templates(None).unwrap(),
        &DocumentSettings {
            cover: Some(broken),
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("测试 cover_text") && err.contains("第 2 行"),
        "{err}"
    );
}
