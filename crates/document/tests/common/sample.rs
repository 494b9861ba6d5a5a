//! A document resembling the seed report (乌海市2023年政务服务监督评价报告), shared by the
//! `sample` example and the tests. Counts are the seed report's; the monthly split and the
//! department scores are invented (the real ones come from the report model).

use jianping_document::{
    Align, Axis, Block, Cell, ChartKind, ChartSpec, Cover, Document, HeaderCell, Meta, Paragraph,
    Run, Series, Table,
};

/// Percentage with two decimals, as the seed prints rates (the real report uses its
/// `RatePolicy`).
fn pct(part: i64, whole: i64) -> Cell {
    let f = part as f64 / whole as f64;
    Cell::percent(format!("{:.2}%", f * 100.0), f, 2)
}

pub fn sample() -> Document {
    let mut doc = Document::new("乌海市2023年政务服务监督评价报告");
    doc.subtitle = Some("(2023年1月1日—10月31日)".into());
    doc.meta = Meta {
        author: Some("乌海市行政审批和政务服务局".into()),
        date: Some("2023年10月31日".into()),
        language: None,
    };
    doc.cover = Some(cover());
    doc.paragraph(
        "为加强我市政务服务规范化建设,提高政务服务水平,进一步改进工作作风,提高办事效率,持续优化营商环境,\
         乌海市通过12345政务服务热线、政务服务“好差评”、政务服务监督员、纪委监委“码”上监督平台等渠道开展政务服务监督评价,\
         现将2023年政务服务监督评价报告如下:",
    );
    doc.heading(1, "一、政务服务“好差评”情况");
    doc.heading(2, "(一)总体情况");
    doc.push(Block::Paragraph(overall()));
    doc.push(Block::Table(grades_table()));
    doc.push(Block::Chart(grades_chart()));
    doc.heading(2, "(二)月度趋势");
    doc.paragraph("从月度情况看,评价数量随办件量波动,差评集中出现在个别月份,均已完成整改。");
    doc.push(Block::Chart(trend_chart()));
    doc.heading(1, "二、12345政务服务热线情况");
    doc.paragraph(
        "截至10月31日,市政务服务中心共收到12345转办件31件,其中建议12件、求助15件、咨询2件、投诉1件、表扬1件,\
         办理及时率、满意率、回访率均达100%。",
    );
    doc.push(Block::Table(hotline_table()));
    doc.heading(1, "三、部门评价排名");
    doc.heading(3, "1.综合得分");
    doc.push(Block::Paragraph(Paragraph {
        runs: vec![
            Run::plain("各部门综合得分由窗口服务、办件时效、评价满意度等指标加权计算,"),
            Run {
                text: "得分为示例数据".into(),
                strong: false,
                emphasis: true,
            },
            Run::plain("。"),
        ],
        align: Align::Justify,
        indent: true,
    }));
    doc.push(Block::Chart(ranking_chart()));
    doc.heading(1, "四、问题整改情况");
    doc.paragraph(
        "针对监督评价中发现的问题,建立问题整改台账,明确责任部门和整改时限,实行销号管理。",
    );
    doc.push(Block::Chart(rectification_chart()));
    doc
}

/// The overall sentence, its figures summed from the region levels like the table's.
fn overall() -> Paragraph {
    let g: Vec<i64> = (0..5)
        .map(|i| LEVELS.iter().map(|(_, g)| g[i]).sum())
        .collect();
    let total: i64 = g.iter().sum();
    Paragraph::from_runs(vec![
        Run::plain("1月1日—10月31日,全市共产生“好差评”数据"),
        Run::strong(format!("{total}条")),
        Run::plain(format!(
            ",其中:非常满意{}条,满意{}条,基本满意{}条,不满意{}条,非常不满意{}条,非常满意率为{},满意率为{}。",
            g[0],
            g[1],
            g[2],
            g[3],
            g[4],
            pct(g[0], total).text,
            pct(g[0] + g[1] + g[2], total).text
        )),
    ])
}

fn cover() -> Cover {
    Cover {
        issuer_mark: Some("乌海市行政审批和政务服务局文件".into()),
        doc_number: Some("乌政服发〔2023〕1号".into()),
        title: "关于印发《乌海市2023年政务服务监督评价报告》的通知".into(),
        addressee: Some("市直各部门".into()),
        body: vec![
            "根据《乌海市各级政务服务大厅标准化建设管理规范(试行)》的精神,为规范我市政务服务工作,\
             市推进政府职能转变和“放管服”改革协调小组办公室牵头,对乌海市政务服务工作进行了监督和评价,\
             形成《乌海市2023年政务服务监督评价报告》,请各部门结合实际主动认领,做好整改工作。"
                .into(),
        ],
        issuer: vec!["乌海市推进政府职能转变".into(), "和“放管服”改革协调小组办公室".into()],
        date: "2023年10月31日".into(),
    }
}

/// Region level, then counts per grade (非常满意 … 非常不满意).
const LEVELS: [(&str, [i64; 5]); 3] = [
    ("市本级", [65061, 60, 17, 0, 0]),
    ("区级", [156769, 369, 64, 1, 0]),
    ("镇(街道)和村(社区)级", [14250, 157, 32, 0, 0]),
];

fn grades_table() -> Table {
    let mut rows: Vec<Vec<Cell>> = LEVELS
        .iter()
        .map(|(name, g)| {
            let total: i64 = g.iter().sum();
            let mut row = vec![Cell::text(*name), Cell::count(total)];
            row.extend(g.iter().map(|n| Cell::count(*n)));
            row.push(pct(g[0], total));
            row.push(pct(g[0] + g[1] + g[2], total));
            row
        })
        .collect();
    let sums: Vec<i64> = (0..5)
        .map(|i| LEVELS.iter().map(|(_, g)| g[i]).sum())
        .collect();
    let total: i64 = sums.iter().sum();
    let mut all = vec![Cell::text("全市"), Cell::count(total)];
    all.extend(sums.iter().map(|n| Cell::count(*n)));
    all.push(pct(sums[0], total));
    all.push(pct(sums[0] + sums[1] + sums[2], total));
    rows.push(all);
    Table {
        caption: "政务服务“好差评”分层级情况".into(),
        header: vec![
            vec![
                HeaderCell::span("区域层级", 1, 2),
                HeaderCell::span("评价数(条)", 1, 2),
                HeaderCell::span("其中(条)", 5, 1),
                HeaderCell::span("非常满意率", 1, 2),
                HeaderCell::span("满意率", 1, 2),
            ],
            ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
                .map(HeaderCell::new)
                .to_vec(),
        ],
        rows,
        align: [Align::Left].into_iter().chain([Align::Right; 8]).collect(),
        note: Some("注:满意率=(非常满意+满意+基本满意)÷评价数。".into()),
    }
}

fn grades_chart() -> ChartSpec {
    let cats = LEVELS.iter().map(|(n, _)| n.to_string()).collect();
    let series = |name: &str, i: usize, color: &str| {
        let values: Vec<f64> = LEVELS.iter().map(|(_, g)| g[i] as f64).collect();
        let labels = LEVELS.iter().map(|(_, g)| g[i].to_string()).collect();
        Series::new(name, values).with_labels(labels).color(color)
    };
    ChartSpec::new(
        "各层级“满意”及以下评价数",
        ChartKind::Bar {
            horizontal: false,
            stacked: false,
        },
        cats,
    )
    .series(series("满意", 1, "#2f5597"))
    .series(series("基本满意", 2, "#ffc000"))
    .series(series("不满意", 3, "#c00000"))
    .axis(Axis::labelled("评价数(条)"))
}

fn trend_chart() -> ChartSpec {
    let months: Vec<String> = (1..=10).map(|m| format!("{m}月")).collect();
    let ratings = [
        18420.0, 16980.0, 24310.0, 25120.0, 24870.0, 25630.0, 24010.0, 25480.0, 26140.0, 25856.0,
    ];
    let bad = [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
    ChartSpec::new("月度评价数与差评数", ChartKind::Line, months)
        .series(Series::new("评价数", ratings.to_vec()))
        .series(
            Series::new("差评数", bad.to_vec())
                .on_secondary_axis()
                .color("#c00000"),
        )
        .axis(Axis::labelled("评价数(条)"))
        .secondary_axis(Axis::labelled("差评数(条)"))
}

fn ranking_chart() -> ChartSpec {
    let depts = [
        ("市公安局", 98.6),
        ("市人力资源和社会保障局", 97.9),
        ("市市场监督管理局", 97.2),
        ("市住房公积金中心", 96.5),
        ("市自然资源局", 95.8),
        ("市税务局", 95.1),
        ("海南区人力资源和社会保障局", 93.4),
    ];
    ChartSpec::new(
        "部门综合得分排名(示例数据)",
        ChartKind::Bar {
            horizontal: true,
            stacked: false,
        },
        depts.iter().map(|d| d.0.to_string()).collect(),
    )
    .series(
        Series::new("", depts.iter().map(|d| d.1).collect())
            .with_labels(depts.iter().map(|d| format!("{:.1}", d.1)).collect()),
    )
    .axis(Axis {
        label: Some("综合得分(分)".into()),
        min: Some(90.0),
        max: Some(100.0),
        ..Axis::default()
    })
}

fn rectification_chart() -> ChartSpec {
    let channels = ["12345热线", "好差评", "监督员", "“码”上监督", "第三方评估"];
    let done = [31.0, 1.0, 12.0, 15.0, 3.0];
    let open = [0.0, 0.0, 0.0, 0.0, 0.0];
    ChartSpec::new(
        "各渠道问题整改情况",
        ChartKind::Bar {
            horizontal: false,
            stacked: true,
        },
        channels.iter().map(|c| c.to_string()).collect(),
    )
    .series(
        Series::new("已整改", done.to_vec())
            .with_labels(done.iter().map(|v| v.to_string()).collect()),
    )
    .series(Series::new("整改中", open.to_vec()).color("#ed7d31"))
    .axis(Axis::labelled("问题数(件)"))
}

fn hotline_table() -> Table {
    let kinds = [
        ("求助", 15),
        ("建议", 12),
        ("咨询", 2),
        ("投诉", 1),
        ("表扬", 1),
    ];
    let total: i64 = kinds.iter().map(|k| k.1).sum();
    let mut rows: Vec<Vec<Cell>> = kinds
        .iter()
        .map(|(k, n)| vec![Cell::text(*k), Cell::count(*n), pct(*n, total)])
        .collect();
    rows.push(vec![
        Cell::text("合计"),
        Cell::count(total),
        pct(total, total),
    ]);
    Table {
        caption: "12345转办件分类情况".into(),
        header: vec![["类型", "件数", "占比"].map(HeaderCell::new).to_vec()],
        rows,
        align: vec![Align::Left, Align::Right, Align::Right],
        note: None,
    }
}
