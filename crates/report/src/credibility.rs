//! 数据可信度: the suspicious-rating audit as a report section (annual report appendix,
//! a paragraph of the monthly bulletin) and as the table of `jianping audit ratings`.
//! The audit reads the same period as the report and changes nothing: the report's
//! figures are computed without regard to it.

use crate::tabular::Table;
use jianping_core::Period;
use jianping_core::audit::{AuditFindings, AuditRules, Flag, FlagKind, fmt_p};
use jianping_document::{Align, Block, Cell, HeaderCell, Table as DocTable};
use jianping_store::Store;
use serde::{Deserialize, Serialize};

/// The section's model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Credibility {
    /// Ratings read and windows tested.
    pub ratings: u64,
    pub windows: usize,
    pub tested: usize,
    pub ratings_with_device: u64,
    pub ratings_with_address: u64,
    /// How the p-values were corrected, and the thresholds.
    pub correction: String,
    pub alpha: f64,
    pub min_effect_points: f64,
    /// Windows with fewer ratings are not tested.
    pub min_window_ratings: u64,
    pub burst_rule: String,
    /// Flags per kind, in a fixed order (every kind listed, zero included).
    pub by_kind: Vec<KindCount>,
    pub total: usize,
    /// The windows named by any flag, each once, in the order of the flags.
    pub flagged_windows: Vec<String>,
    pub flags: Vec<FlagView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindCount {
    pub key: String,
    pub label: String,
    pub count: usize,
}

/// One flag as a report shows it: no rating numbers, addresses shortened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagView {
    pub label: String,
    pub subject: String,
    pub windows: String,
    pub count: u64,
    pub detail: String,
    pub p_value: Option<String>,
    pub adjusted_p: Option<String>,
}

/// Runs the audit for the report's period.
pub fn build(
    store: &mut Store,
    period: &Period,
    rules: &AuditRules,
) -> Result<Credibility, jianping_store::StoreError> {
    Ok(Credibility::of(&store.rating_audit(period, rules)?))
}

impl Credibility {
    pub fn of(a: &AuditFindings) -> Credibility {
        let r = &a.rules;
        Credibility {
            ratings: a.coverage.ratings,
            windows: a.coverage.windows,
            tested: a.coverage.grade_mix_tested,
            ratings_with_device: a.coverage.ratings_with_device,
            ratings_with_address: a.coverage.ratings_with_address,
            correction: r.correction.name().to_string(),
            alpha: r.alpha,
            min_effect_points: r.min_effect * 100.0,
            min_window_ratings: r.min_window_ratings,
            burst_rule: format!(
                "同一设备{}秒内{}条、同一IP地址{}秒内{}条、无设备和地址的同一窗口{}秒内{}条",
                r.device_burst.seconds,
                r.device_burst.min_ratings,
                r.address_burst.seconds,
                r.address_burst.min_ratings,
                r.window_burst.seconds,
                r.window_burst.min_ratings
            ),
            by_kind: FlagKind::ALL
                .iter()
                .map(|k| KindCount {
                    key: format!("{k:?}"),
                    label: k.label().to_string(),
                    count: a.count(*k),
                })
                .collect(),
            total: a.flags.len(),
            flagged_windows: a.flags.iter().flat_map(|f| &f.windows).fold(
                Vec::new(),
                |mut v: Vec<String>, w| {
                    if !v.contains(&w.name) {
                        v.push(w.name.clone());
                    }
                    v
                },
            ),
            flags: a.flags.iter().map(view).collect(),
        }
    }
}

/// "61.135.*.*": an address identifies a household's connection; the report needs only
/// that one address was used.
fn shorten_address(subject: &str) -> String {
    match subject.strip_prefix("IP地址 ") {
        Some(ip) if ip.split('.').count() == 4 => {
            let parts: Vec<&str> = ip.split('.').collect();
            format!("IP地址 {}.{}.*.*", parts[0], parts[1])
        }
        Some(ip) => format!("IP地址 {}…", ip.chars().take(8).collect::<String>()),
        None => subject.to_string(),
    }
}

fn windows_of(f: &Flag) -> String {
    f.windows
        .iter()
        .map(|w| w.name.clone())
        .collect::<Vec<_>>()
        .join("、")
}

fn view(f: &Flag) -> FlagView {
    FlagView {
        label: f.label.to_string(),
        subject: shorten_address(&f.subject),
        windows: windows_of(f),
        count: f.count,
        // The details state times, counts, shares and masked phones, never an address.
        detail: f.detail.clone(),
        p_value: f.test.as_ref().map(|t| fmt_p(t.p_value)),
        adjusted_p: f.test.as_ref().map(|t| fmt_p(t.adjusted_p)),
    }
}

/// The table of `jianping audit ratings`: every flag with its evidence.
pub fn audit_table(a: &AuditFindings) -> Table {
    let headers = [
        "序号",
        "类型",
        "对象",
        "窗口",
        "工作人员",
        "评价数",
        "实际/期望",
        "p值",
        "校正后p值",
        "证据",
        "示例评价编号",
    ];
    let rows = a
        .flags
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let t = f.test.as_ref();
            vec![
                (i + 1).to_string(),
                f.label.to_string(),
                f.subject.clone(),
                windows_of(f),
                f.staff.clone().unwrap_or_default(),
                f.count.to_string(),
                t.map(|t| format!("{}/{:.1}", t.count, t.expected))
                    .unwrap_or_default(),
                t.map(|t| fmt_p(t.p_value)).unwrap_or_default(),
                t.map(|t| fmt_p(t.adjusted_p)).unwrap_or_default(),
                f.detail.clone(),
                f.examples.join(" "),
            ]
        })
        .collect();
    Table::new(headers.iter().map(|h| h.to_string()).collect(), rows)
}

/// The appendix table (exhibit `credibility`): one row per flag; none when nothing was
/// flagged.
pub fn exhibit(r: &crate::model::AnnualReport) -> Vec<Block> {
    let c = &r.credibility;
    if c.flags.is_empty() {
        return Vec::new();
    }
    let rows = c
        .flags
        .iter()
        .enumerate()
        .map(|(i, f)| {
            vec![
                Cell::count(i as i64 + 1),
                Cell::text(f.label.clone()),
                Cell::text(f.subject.clone()),
                Cell::text(if f.windows.is_empty() {
                    "—".into()
                } else {
                    f.windows.clone()
                }),
                Cell::count(f.count as i64),
                Cell::text(f.detail.clone()),
                Cell::text(f.adjusted_p.clone().unwrap_or_else(|| "—".into())),
            ]
        })
        .collect();
    let header = [
        "序号",
        "类型",
        "对象",
        "窗口",
        "评价数",
        "证据",
        "校正后p值",
    ];
    vec![Block::Table(DocTable {
        caption: "异常评价线索".into(),
        header: vec![header.iter().map(|h| HeaderCell::new(*h)).collect()],
        rows,
        align: vec![
            Align::Center,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Right,
        ],
        note: Some(
            "异常线索由程序按统一规则筛出，需经核查认定；评价数据和统计结果未因筛查作任何改动。"
                .into(),
        ),
    })]
}
