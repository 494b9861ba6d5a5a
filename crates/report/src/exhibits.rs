//! Exhibits: the tables and charts the engine inserts where a template calls
//! `{{ exhibit("id") }}`. Each is a function of the report model, so every number in them
//! comes from the model as the rate policy printed it.
//!
//! To add one: write `fn(&Model) -> Vec<Block>` (empty when there is nothing to show),
//! list it in the model's exhibit table (e.g. [`ANNUAL_EXHIBITS`]) and place it in a
//! template. The monthly bulletin keeps its own table over its own model.

use jianping_core::{Grade, Rate};
use jianping_document::{
    Align, Axis, Block, Cell, ChartKind, ChartSpec, HeaderCell, Series, Table,
};

use crate::model::{AnnualReport, Figure, Ranking, Rectification, RectificationSection};

/// A table or chart group a template can place.
pub struct Exhibit<M: 'static> {
    pub id: &'static str,
    /// What it shows, for the template documentation and error messages.
    pub description: &'static str,
    pub build: fn(&M) -> Vec<Block>,
}

/// The ids of `list`, for the `exhibit` template function.
pub fn ids<M>(list: &[Exhibit<M>]) -> Vec<&'static str> {
    list.iter().map(|e| e.id).collect()
}

/// The blocks of exhibit `id` (none for an unknown id: templates are checked against the
/// list when they render).
pub fn build<M>(list: &[Exhibit<M>], id: &str, model: &M) -> Vec<Block> {
    list.iter()
        .find(|e| e.id == id)
        .map(|e| (e.build)(model))
        .unwrap_or_default()
}

pub const ANNUAL_EXHIBITS: &[Exhibit<AnnualReport>] = &[
    Exhibit {
        id: "hotline_by_kind",
        description: "12345热线工单分类情况（表）与工单分类（柱状图）",
        build: hotline_by_kind,
    },
    Exhibit {
        id: "ratings_by_tier",
        description: "“好差评”分层级情况（表）与评价等级分布（堆叠柱状图）",
        build: ratings_by_tier,
    },
    Exhibit {
        id: "ratings_monthly",
        description: "“好差评”月度情况（表）与月度评价数、差评数走势（折线图）",
        build: ratings_monthly,
    },
    Exhibit {
        id: "department_ranking",
        description: "部门排名（表与条形图）",
        build: |r| ranking(&r.ratings.departments),
    },
    Exhibit {
        id: "rectification",
        description: "问题整改情况明细（表）与整改状态（堆叠柱状图）",
        build: rectification,
    },
    Exhibit {
        id: "credibility",
        description: "异常评价线索（表）",
        build: crate::credibility::exhibit,
    },
    Exhibit {
        id: "indicator_rules",
        description: "评价指标、分值与计算方法（表）",
        build: crate::indicator_exhibits::rules,
    },
    Exhibit {
        id: "indicator_regions",
        description: "市本级和各区指标得分（表）与总分（条形图）",
        build: crate::indicator_exhibits::regions,
    },
];

/// A rate cell: the policy's printed form, the fraction for XLSX; text only when undefined.
pub fn rate_cell(r: &Rate, decimals: u8) -> Cell {
    match r.ratio {
        Some(f) => Cell::percent(r.printed.clone(), f, decimals),
        None => Cell::text(r.printed.clone()),
    }
}

pub fn count_cell(n: u64) -> Cell {
    Cell::count(n as i64)
}

pub fn figure_cell(f: &Figure) -> Cell {
    if f.percent {
        Cell::percent(f.printed.clone(), f.value, f.decimals)
    } else {
        Cell::number(f.printed.clone(), f.value, f.decimals)
    }
}

fn heads(names: &[&str]) -> Vec<HeaderCell> {
    names.iter().map(|n| HeaderCell::new(*n)).collect()
}

fn texts(values: impl IntoIterator<Item = String>) -> Vec<String> {
    values.into_iter().collect()
}

/// Left-aligned first columns, right-aligned figures.
fn aligns(text_cols: usize, cols: usize) -> Vec<Align> {
    (0..cols)
        .map(|c| {
            if c < text_cols {
                Align::Left
            } else {
                Align::Right
            }
        })
        .collect()
}

fn hotline_by_kind(r: &AnnualReport) -> Vec<Block> {
    let h = &r.hotline;
    if h.received == 0 {
        return Vec::new();
    }
    let d = r.policy.precision;
    let row =
        |label: &str, count: u64, share: Cell, k: &jianping_core::hotline_kpi::HotlineKpis| {
            vec![
                Cell::text(label),
                count_cell(count),
                share,
                rate_cell(&k.timely_rate, d),
                rate_cell(&k.satisfaction_rate, d),
                rate_cell(&k.revisit_rate, d),
            ]
        };
    let mut rows: Vec<Vec<Cell>> = h
        .by_kind
        .iter()
        .map(|g| row(&g.label, g.count, rate_cell(&g.share, d), &g.kpis))
        .collect();
    rows.push(row(
        "合计",
        h.received,
        rate_cell(&r.policy.rate(h.received, h.received), d),
        &h.kpis,
    ));
    let table = Table {
        caption: "12345政务服务热线工单分类情况".into(),
        header: vec![heads(&[
            "类别",
            "件数",
            "占比",
            "办理及时率",
            "满意率",
            "回访率",
        ])],
        rows,
        align: aligns(1, 6),
        note: Some("占比 = 该类工单数 ÷ 受理量；办理及时率、回访率以办结工单为分母，满意率以已回访工单为分母。".into()),
    };
    let chart = ChartSpec::new(
        "12345热线工单分类",
        ChartKind::Bar {
            horizontal: false,
            stacked: false,
        },
        texts(h.by_kind.iter().map(|g| g.label.clone())),
    )
    .series(
        Series::new("件数", h.by_kind.iter().map(|g| g.count as f64).collect())
            .with_labels(texts(h.by_kind.iter().map(|g| g.count.to_string()))),
    )
    .axis(Axis::labelled("工单（件）"));
    let chart = ChartSpec {
        height: Some(CHART_HEIGHT),
        ..chart
    };
    vec![Block::Table(table), Block::Chart(chart)]
}

fn ratings_by_tier(r: &AnnualReport) -> Vec<Block> {
    let g = &r.ratings;
    if g.overall.total == 0 {
        return Vec::new();
    }
    let d = r.policy.precision;
    let row = |name: &str, share: Cell, s: &jianping_core::RatingSummary| {
        let mut cells = vec![Cell::text(name), count_cell(s.total), share];
        cells.extend(Grade::ALL.iter().map(|x| count_cell(s.grades.get(*x))));
        cells.push(rate_cell(&s.very_satisfied_rate, d));
        cells.push(rate_cell(&s.satisfied_rate, d));
        cells
    };
    let mut rows: Vec<Vec<Cell>> = g
        .tiers
        .iter()
        .map(|t| row(&t.name, rate_cell(&t.share, d), &t.summary))
        .collect();
    let whole = r.policy.rate(g.overall.total, g.overall.total);
    rows.push(row("全市", rate_cell(&whole, d), &g.overall));
    let second = heads(&Grade::ALL.map(|x| x.name()));
    let table = Table {
        caption: "政务服务“好差评”分层级情况".into(),
        header: vec![
            vec![
                HeaderCell::span("区域层级", 1, 2),
                HeaderCell::span("评价数（条）", 1, 2),
                HeaderCell::span("占比", 1, 2),
                HeaderCell::span("其中（条）", 5, 1),
                HeaderCell::span("非常满意率", 1, 2),
                HeaderCell::span("满意率", 1, 2),
            ],
            second,
        ],
        rows,
        align: aligns(1, 10),
        note: Some(format!(
            "满意率 =（{}）÷ 评价数，非常满意率 = 非常满意 ÷ 评价数；申诉成立的评价不计入。",
            r.grade_sets
                .satisfied
                .iter()
                .map(|x| x.name())
                .collect::<Vec<_>>()
                .join("+")
        )),
    };
    vec![Block::Table(table), Block::Chart(tier_chart(r))]
}

/// When one grade has nearly all the ratings its bar would hide every other grade, so
/// the chart then compares the other grades side by side and says so in its title and note.
const DOMINANT_SHARE: f64 = 0.9;

/// Grade counts per region level: stacked, or the grades besides a dominant one grouped.
fn tier_chart(r: &AnnualReport) -> ChartSpec {
    let g = &r.ratings;
    let tiers: Vec<_> = g.tiers.iter().filter(|t| t.summary.total > 0).collect();
    let total = g.overall.total as f64;
    let dominant = Grade::ALL
        .into_iter()
        .find(|x| g.overall.grades.get(*x) as f64 > DOMINANT_SHARE * total);
    let title = match dominant {
        Some(d) => format!("“好差评”{}以外的评价等级分布（按区域层级）", d.name()),
        None => "“好差评”评价等级分布（按区域层级）".to_string(),
    };
    let mut chart = ChartSpec::new(
        title,
        ChartKind::Bar {
            horizontal: false,
            stacked: dominant.is_none(),
        },
        texts(tiers.iter().map(|t| t.name.clone())),
    )
    .axis(Axis::labelled("评价数（条）"));
    chart.height = Some(CHART_HEIGHT);
    if let Some(d) = dominant {
        chart.note = Some(format!(
            "{}评价占评价总数的{}（{}），图中从略，以便比较其余等级。",
            d.name(),
            r.policy
                .rate(g.overall.grades.get(d), g.overall.total)
                .printed,
            tiers
                .iter()
                .map(|t| format!("{}{}条", t.name, t.summary.grades.get(d)))
                .collect::<Vec<_>>()
                .join("，")
        ));
    }
    for grade in Grade::ALL.into_iter().filter(|x| Some(*x) != dominant) {
        let counts: Vec<u64> = tiers.iter().map(|t| t.summary.grades.get(grade)).collect();
        if counts.iter().all(|n| *n == 0) {
            continue;
        }
        chart = chart.series(
            Series::new(grade.name(), counts.iter().map(|n| *n as f64).collect())
                .with_labels(texts(counts.iter().map(u64::to_string)))
                .color(grade_color(grade)),
        );
    }
    chart
}

/// Drawing height of column and line charts (CSS px): at the DOCX drawing width of 560 px a
/// chart and its caption take under half a page.
const CHART_HEIGHT: u32 = 300;

/// Good grades green to yellow, bad ones orange to red, so a stacked bar reads at a glance.
fn grade_color(g: Grade) -> &'static str {
    match g {
        Grade::VerySatisfied => "#2e7d32",
        Grade::Satisfied => "#7cb342",
        Grade::Basic => "#fbc02d",
        Grade::Unsatisfied => "#ef6c00",
        Grade::VeryUnsatisfied => "#c62828",
    }
}

fn ratings_monthly(r: &AnnualReport) -> Vec<Block> {
    let months = &r.ratings.monthly;
    if months.is_empty() {
        return Vec::new();
    }
    let d = r.policy.precision;
    let rows = months
        .iter()
        .map(|m| {
            vec![
                Cell::text(m.label.clone()),
                count_cell(m.summary.total),
                rate_cell(&m.summary.very_satisfied_rate, d),
                rate_cell(&m.summary.satisfied_rate, d),
                count_cell(m.summary.bad),
            ]
        })
        .collect();
    let table = Table {
        caption: "政务服务“好差评”月度情况".into(),
        header: vec![heads(&[
            "月份",
            "评价数（条）",
            "非常满意率",
            "满意率",
            "差评（条）",
        ])],
        rows,
        align: aligns(1, 5),
        note: Some(format!(
            "差评为{}。",
            r.grade_sets
                .bad
                .iter()
                .map(|x| x.name())
                .collect::<Vec<_>>()
                .join("、")
        )),
    };
    let labels = texts(months.iter().map(|m| m.label.clone()));
    let chart = ChartSpec::new("“好差评”月度评价数与差评数", ChartKind::Line, labels)
        .series(Series::new(
            "评价数",
            months.iter().map(|m| m.summary.total as f64).collect(),
        ))
        .series(
            Series::new(
                "差评数",
                months.iter().map(|m| m.summary.bad as f64).collect(),
            )
            .with_labels(texts(months.iter().map(|m| m.summary.bad.to_string())))
            .on_secondary_axis(),
        )
        .axis(Axis::labelled("评价数（条）"))
        .secondary_axis(Axis::labelled("差评（条）"));
    let chart = ChartSpec {
        height: Some(CHART_HEIGHT),
        ..chart
    };
    vec![Block::Table(table), Block::Chart(chart)]
}

/// Any [`Ranking`]: the table of all its columns and a bar chart of the first.
pub fn ranking(k: &Ranking) -> Vec<Block> {
    if k.rows.is_empty() || k.columns.is_empty() {
        return Vec::new();
    }
    vec![
        Block::Table(ranking_table(k)),
        Block::Chart(ranking_chart(k)),
    ]
}

fn ranking_table(k: &Ranking) -> Table {
    let mut head = vec![HeaderCell::new("排名"), HeaderCell::new(k.subject.clone())];
    head.extend(k.columns.iter().map(|c| HeaderCell::new(c.name.clone())));
    let rows = k
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![count_cell(row.rank), Cell::text(row.name.clone())];
            cells.extend(row.figures.iter().map(figure_cell));
            cells
        })
        .collect();
    let mut align = vec![Align::Center, Align::Left];
    align.extend(k.columns.iter().map(|_| Align::Right));
    Table {
        caption: k.title.clone(),
        header: vec![head],
        rows,
        align,
        note: Some(k.basis.clone()),
    }
}

/// Horizontal bars of the first column; percentages drawn on a 0–100 scale with "%" ticks.
fn ranking_chart(k: &Ranking) -> ChartSpec {
    let first = &k.columns[0].name;
    let values: Vec<&Figure> = k.rows.iter().filter_map(|r| r.figures.first()).collect();
    let mut axis = Axis::labelled(first.clone());
    if values.iter().any(|f| f.percent) {
        axis.suffix = Some("%".into());
    }
    ChartSpec::new(
        format!("{}（前{}位）", k.title, k.rows.len()),
        ChartKind::Bar {
            horizontal: true,
            stacked: false,
        },
        texts(k.rows.iter().map(|r| r.name.clone())),
    )
    .series(
        Series::new(
            first.clone(),
            values
                .iter()
                .map(|f| if f.percent { f.value * 100.0 } else { f.value })
                .collect(),
        )
        .with_labels(texts(values.iter().map(|f| f.printed.clone()))),
    )
    .axis(axis)
}

/// Ledger states as the chart groups them, with the count each takes from a summary.
type StateCount = fn(&Rectification) -> u64;

const STATES: [(&str, StateCount); 4] = [
    ("已办结(销号)", |x| x.closed),
    ("已整改(待核验)", |x| x.rectified),
    ("待认领或整改中", |x| x.in_progress),
    ("未纳入整改台账", |x| x.not_in_ledger),
];

const STATE_COLORS: [&str; 4] = ["#2e7d32", "#1565c0", "#ef6c00", "#c62828"];

fn rectification(r: &AnnualReport) -> Vec<Block> {
    if r.rectification.items.is_empty() {
        return Vec::new();
    }
    vec![
        Block::Table(rectification_table(&r.rectification)),
        Block::Chart(rectification_chart(&r.rectification)),
    ]
}

fn rectification_table(x: &RectificationSection) -> Table {
    let rows = x
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (no, state) = match &item.ledger {
                Some(l) => (l.item_no.clone(), l.state_name.clone()),
                None => ("—".into(), "未纳入整改台账".into()),
            };
            vec![
                count_cell(i as u64 + 1),
                Cell::text(item.source.clone()),
                Cell::text(item.problem.clone()),
                Cell::text(item.department.clone().unwrap_or_else(|| "—".into())),
                Cell::text(no),
                Cell::text(state),
            ]
        })
        .collect();
    Table {
        caption: "问题整改情况".into(),
        header: vec![heads(&[
            "序号",
            "来源",
            "问题",
            "责任单位",
            "台账编号",
            "整改状态",
        ])],
        rows,
        align: vec![
            Align::Center,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
        ],
        note: Some("问题内容中的个人信息已脱敏；整改状态为报告生成时问题整改台账中的状态。".into()),
    }
}

/// Problems per source, stacked by where they stand in the ledger.
fn rectification_chart(x: &RectificationSection) -> ChartSpec {
    let sources = texts(x.by_source.iter().map(|s| s.source.clone()));
    let mut chart = ChartSpec::new(
        "问题整改状态（按来源）",
        ChartKind::Bar {
            horizontal: false,
            stacked: true,
        },
        sources,
    )
    .axis(Axis::labelled("问题（项）"));
    chart.height = Some(CHART_HEIGHT);
    for ((name, count), color) in STATES.iter().zip(STATE_COLORS) {
        let values: Vec<u64> = x
            .by_source
            .iter()
            .map(|s| count(&s.rectification))
            .collect();
        if values.iter().all(|v| *v == 0) {
            continue;
        }
        chart = chart.series(
            Series::new(*name, values.iter().map(|v| *v as f64).collect())
                .with_labels(texts(values.iter().map(u64::to_string)))
                .color(color),
        );
    }
    chart
}
