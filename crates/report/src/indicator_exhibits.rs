//! Section 一's indicator tables as exhibits: the rules (indicator, points, method) and the
//! regions' scores with a bar chart of their totals.

use crate::model::AnnualReport;
use jianping_document::{
    Align, Axis, Block, Cell, ChartKind, ChartSpec, HeaderCell, Series, Table,
};

/// A printed figure as a number cell when it is one ("87.53"), as text otherwise ("无数据").
fn points_cell(text: &str, decimals: u8) -> Cell {
    match text.parse::<f64>() {
        Ok(v) => Cell::number(text, v, decimals),
        Err(_) => Cell::text(text),
    }
}

pub fn rules(r: &AnnualReport) -> Vec<Block> {
    let ind = &r.indicators;
    if ind.config.indicators.is_empty() {
        return Vec::new();
    }
    let rows = ind
        .config
        .indicators
        .iter()
        .zip(&ind.weights)
        .map(|(i, w)| {
            vec![
                Cell::text(i.name.clone()),
                points_cell(w, 0),
                Cell::text(i.method.clone()),
            ]
        })
        .collect();
    vec![Block::Table(Table {
        caption: "评价指标、分值与计算方法".into(),
        header: vec![vec![
            HeaderCell::new("指标"),
            HeaderCell::new("分值"),
            HeaderCell::new("计算方法"),
        ]],
        rows,
        align: vec![Align::Left, Align::Right, Align::Left],
        note: Some(format!(
            "《{}》（版本：{}），满分{}分。",
            ind.config.title, ind.config.version, ind.full_mark
        )),
    })]
}

pub fn regions(r: &AnnualReport) -> Vec<Block> {
    let ind = &r.indicators;
    if ind.regions.is_empty() {
        return Vec::new();
    }
    let d = ind.config.precision;
    let mut head = vec![
        HeaderCell::new("区域"),
        HeaderCell::new("得分"),
        HeaderCell::new("排名"),
    ];
    head.extend(
        ind.config
            .indicators
            .iter()
            .map(|i| HeaderCell::new(i.name.clone())),
    );
    let rows = ind
        .regions
        .iter()
        .map(|x| {
            let mut cells = vec![
                Cell::text(x.name.clone()),
                points_cell(&x.total, d),
                Cell::text(x.rank.clone()),
            ];
            cells.extend(x.points.iter().map(|p| points_cell(p, d)));
            cells
        })
        .collect();
    let mut align = vec![Align::Left, Align::Right, Align::Center];
    align.extend(ind.config.indicators.iter().map(|_| Align::Right));
    let table = Block::Table(Table {
        caption: "市本级和各区评价指标得分".into(),
        header: vec![head],
        rows,
        align,
        note: Some("各区之间排名；“数据不足”的不排名，“无数据”的指标按其余指标折算。".into()),
    });
    let scored: Vec<_> = ind.regions.iter().filter(|x| !x.insufficient).collect();
    if scored.is_empty() {
        return vec![table];
    }
    let chart = ChartSpec::new(
        "市本级和各区评价指标总分",
        ChartKind::Bar {
            horizontal: true,
            stacked: false,
        },
        scored.iter().map(|x| x.name.clone()).collect(),
    )
    .series(
        Series::new(
            "总分",
            scored
                .iter()
                .map(|x| x.total.parse::<f64>().unwrap_or(0.0))
                .collect(),
        )
        .with_labels(scored.iter().map(|x| x.total.clone()).collect()),
    )
    .axis(Axis::labelled("得分"));
    vec![table, Block::Chart(chart)]
}
