//! The annual report's own tables run through the same figure checks a submitted table gets
//! ([`crate::check`]); whatever does not add up goes to the data-quality appendix. The
//! formulas are given, not inferred: the report knows how it computed each rate.

use crate::check::{Finding, Formula, Layout, Percent, Sheet, SheetRow, check};
use crate::model::AnnualReport;
use jianping_core::{Grade, QualityWarning, RatingSummary};

const SCOPE: &str = "数字核对";

fn row(line: u64, label: &str, s: &RatingSummary, share: &str) -> SheetRow {
    let mut cells = vec![label.to_string(), s.total.to_string(), share.to_string()];
    cells.extend(Grade::ALL.iter().map(|g| s.grades.get(*g).to_string()));
    cells.push(s.very_satisfied_rate.printed.clone());
    cells.push(s.satisfied_rate.printed.clone());
    SheetRow { line, cells }
}

/// 全市 and the tiers: grades add up, 全市 is the sum of the tiers, shares and rates follow.
fn tiers(r: &AnnualReport) -> Vec<Finding> {
    let g = &r.ratings;
    let mut rows = vec![row(2, "全市", &g.overall, "")];
    for (i, t) in g.tiers.iter().enumerate() {
        rows.push(row(i as u64 + 3, &t.name, &t.summary, &t.share.printed));
    }
    let mut header: Vec<String> = ["层级", "评价总数", "占比"].map(String::from).to_vec();
    header.extend(Grade::ALL.iter().map(|g| g.name().to_string()));
    header.extend(["非常满意率", "满意率"].map(String::from));
    let grade_col = |g: &Grade| 3 + Grade::ALL.iter().position(|x| x == g).unwrap_or(0);
    let layout = Layout {
        label: 0,
        total: Some(1),
        parts: (3..8).collect(),
        percents: vec![
            Percent {
                column: 2,
                formula: Some(Formula::ShareOfTotal(1)),
            },
            Percent {
                column: 8,
                formula: Some(Formula::Parts(vec![grade_col(&Grade::VerySatisfied)])),
            },
            Percent {
                column: 9,
                formula: Some(Formula::Parts(
                    r.grade_sets.satisfied.iter().map(grade_col).collect(),
                )),
            },
        ],
        total_row: Some(0),
    };
    let sheet = Sheet {
        name: "“好差评”分层级情况".into(),
        header_line: 1,
        header,
        rows,
    };
    check(&sheet, &layout, &r.policy)
}

/// 12345 tickets by kind: the kinds add up to the tickets received, shares follow.
fn hotline(r: &AnnualReport) -> Vec<Finding> {
    let h = &r.hotline;
    if h.received == 0 {
        return Vec::new();
    }
    let mut rows: Vec<SheetRow> = h
        .by_kind
        .iter()
        .enumerate()
        .map(|(i, g)| SheetRow {
            line: i as u64 + 2,
            cells: vec![
                g.label.clone(),
                g.count.to_string(),
                g.share.printed.clone(),
            ],
        })
        .collect();
    rows.push(SheetRow {
        line: rows.len() as u64 + 2,
        cells: vec!["合计".into(), h.received.to_string(), String::new()],
    });
    let layout = Layout {
        label: 0,
        total: None,
        parts: vec![1],
        percents: vec![Percent {
            column: 2,
            formula: Some(Formula::ShareOfTotal(1)),
        }],
        total_row: Some(rows.len() - 1),
    };
    let sheet = Sheet {
        name: "12345热线工单分类情况".into(),
        header_line: 1,
        header: ["类型", "件数", "占比"].map(String::from).to_vec(),
        rows,
    };
    check(&sheet, &layout, &r.policy)
}

/// Every finding on the report's own tables, as appendix lines.
pub fn annual(r: &AnnualReport) -> Vec<QualityWarning> {
    tiers(r)
        .into_iter()
        .chain(hotline(r))
        .map(|f| QualityWarning {
            scope: SCOPE.into(),
            message: format!("报告表格{f}"),
        })
        .collect()
}
