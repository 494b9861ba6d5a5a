//! Every figure-check rule on hand-made tables, and the seed report's own 好差评 table with
//! its inconsistent 区级 row (../shared/seed/FIGURES.md, "Where the report contradicts its
//! own counts").

use jianping_core::{RatePolicy, Rounding};
use jianping_report::check::{
    Formula, Layout, Percent, Rule, Sheet, SheetRow, check, column_index, column_letter,
    infer_layout, parse_percent,
};

fn sheet(csv: &str) -> Sheet {
    let mut lines = csv
        .trim()
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>());
    let header = lines.next().unwrap();
    Sheet {
        name: "表.csv".into(),
        header_line: 1,
        header,
        rows: lines
            .enumerate()
            .map(|(i, cells)| SheetRow {
                line: i as u64 + 2,
                cells,
            })
            .collect(),
    }
}

fn findings(csv: &str) -> Vec<String> {
    let s = sheet(csv);
    check(&s, &infer_layout(&s), &RatePolicy::default())
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The table of section 四 exactly as the seed prints it.
const SEED_RATINGS: &str = "
范围,评价总数,占比,非常满意,满意,基本满意,不满意,非常不满意,非常满意率,满意率
全市,236816,,236116,586,113,1,0,99.71%,99.99%
市本级,65138,27.51%,65061,60,17,0,0,99.88%,100%
区级,157239,66.39%,156769,369,64,1,0,99.70%,99.99%
镇(街道)和村(社区)级,14439,6.10%,14250,157,32,0,0,98.69%,100%
";

#[test]
fn the_seed_table_and_its_inconsistent_district_row() {
    let s = sheet(SEED_RATINGS);
    let layout = infer_layout(&s);
    assert_eq!(
        (layout.label, layout.total, layout.total_row),
        (0, Some(1), Some(0))
    );
    assert_eq!(layout.parts, [3, 4, 5, 6, 7]);
    let got = findings(SEED_RATINGS);
    assert_eq!(
        got,
        [
            // 区级: 156769 + 369 + 64 + 1 + 0 = 157203, 36 short of the printed total.
            "表.csv 第4行 B列（评价总数）：各分类（非常满意、满意、基本满意、不满意、非常不满意）之和为 157203，与合计 157239 不符（少36）",
            // The same 36 are missing from 全市's 非常满意 (65061 + 156769 + 14250 = 236080).
            "表.csv 第2行 D列（非常满意）：其余各行之和为 236080，与本行 236116 不符（少36）",
            // 157239 / 236816 = 66.397%: truncated in print, half-up gives 66.40%.
            "表.csv 第4行 C列（占比）：印为 66.39%，但 157239 ÷ 236816 按四舍五入保留2位小数应为 66.40%",
            // 236116 / 236816 = 99.704%.
            "表.csv 第2行 I列（非常满意率）：印为 99.71%，但 236116 ÷ 236816 按四舍五入保留2位小数应为 99.70%",
            // 满意率 = the first three grades (inferred); 157202 / 157239 = 99.976%.
            "表.csv 第4行 J列（满意率）：印为 99.99%，但 157202 ÷ 157239 按四舍五入保留2位小数应为 99.98%",
        ]
    );
}

#[test]
fn the_corrected_seed_table_passes() {
    // FIGURES.md: the totals hold with 区级 非常满意 156805; the rates then follow.
    let fixed = SEED_RATINGS
        .replace("156769,369", "156805,369")
        .replace("66.39%", "66.40%")
        .replace("99.71%", "99.70%")
        .replace(
            "区级,157239,66.40%,156805,369,64,1,0,99.70%",
            "区级,157239,66.40%,156805,369,64,1,0,99.72%",
        );
    assert_eq!(findings(&fixed), Vec::<String>::new());
}

#[test]
fn a_hotline_table_with_a_total_row_and_shares() {
    let t = "类型,件数,占比\n建议,12,38.71%\n求助,15,48.39%\n咨询,2,6.45%\n投诉,1,3.23%\n表扬,1,3.23%\n合计,31,100%\n";
    assert_eq!(findings(t), Vec::<String>::new());
    let wrong = t.replace("求助,15", "求助,16");
    let got = findings(&wrong);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[0].starts_with("表.csv 第7行 B列（件数）：其余各行之和为 32，与本行 31 不符（多1）"),
        "{got:?}"
    );
    assert!(
        got[1].contains("第3行 C列（占比）：印为 48.39%，但 16 ÷ 31"),
        "{got:?}"
    );
}

#[test]
fn rates_above_100_percent() {
    let got = findings("科室,总数,办结,办结率\n甲,10,9,90.00%\n乙,10,10,100%\n丙,10,9,112.50%\n");
    assert_eq!(got, ["表.csv 第4行 D列（办结率）：比例 112.50% 超过 100%"]);
}

#[test]
fn a_rate_that_is_not_exactly_100_never_prints_as_100() {
    let got = findings("科室,总数,满意,满意率\n甲,3000,2999,100%\n乙,10,9,90.0%\n丙,8,8,100%\n");
    assert_eq!(
        got,
        ["表.csv 第2行 D列（满意率）：印为 100%，但 2999 ÷ 3000 按四舍五入保留0位小数应为 99%"]
    );
}

#[test]
fn the_rounding_rule_is_the_bureaus() {
    let t = "区,总数,占比\n甲,1,33.34%\n乙,2,66.66%\n合计,3,100%\n";
    // Half-up: 1/3 = 33.33%, 2/3 = 66.67%; the table was rounded up and truncated.
    assert_eq!(findings(t).len(), 2);
    let s = sheet(t);
    let truncate = RatePolicy {
        precision: 2,
        rounding: Rounding::Truncate,
    };
    let got: Vec<String> = check(&s, &infer_layout(&s), &truncate)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        ["表.csv 第2行 C列（占比）：印为 33.34%，但 1 ÷ 3 按截断保留2位小数应为 33.33%"]
    );
}

#[test]
fn cells_that_are_not_numbers_and_columns_nothing_explains() {
    let s = sheet("部门,合计,甲类,乙类,异常率\n一,10,4,6,50%\n二,10,五,5,50%\n");
    let layout = Layout {
        label: 0,
        total: Some(1),
        parts: vec![2, 3],
        percents: vec![Percent {
            column: 4,
            formula: None,
        }],
        total_row: None,
    };
    let got = check(&s, &layout, &RatePolicy::default());
    assert_eq!(got[0].rule, Rule::NotANumber);
    assert_eq!((got[0].line, got[0].column.as_str()), (3, "C"));
    assert_eq!(
        got.iter().filter(|f| f.rule == Rule::NotANumber).count(),
        1,
        "reported once: {got:?}"
    );
    // 50% follows from neither 4/10 nor 6/10 nor a share of the total.
    let none = check(
        &sheet("部门,合计,甲类,乙类,异常率\n一,10,4,6,50%\n"),
        &layout,
        &RatePolicy::default(),
    );
    assert_eq!(none.len(), 1);
    assert_eq!(
        (none[0].rule, none[0].line, none[0].column.as_str()),
        (Rule::NoFormula, 1, "E")
    );
    // A given formula is checked as given.
    let given = Layout {
        percents: vec![Percent {
            column: 4,
            formula: Some(Formula::Parts(vec![3])),
        }],
        ..layout
    };
    let got = check(
        &sheet("部门,合计,甲类,乙类,异常率\n一,10,4,6,50%\n"),
        &given,
        &RatePolicy::default(),
    );
    assert_eq!(
        got[0].message,
        "印为 50%，但 6 ÷ 10 按四舍五入保留0位小数应为 60%"
    );
}

#[test]
fn spreadsheet_fractions_and_positions() {
    assert_eq!(parse_percent("0.6639"), Some((6639, 2)));
    assert_eq!(parse_percent("66.39%"), Some((6639, 2)));
    assert_eq!(parse_percent("1"), Some((100, 0)));
    assert_eq!(parse_percent("abc"), None);
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(27), "AB");
    assert_eq!(column_index("AB"), Some(27));
    assert_eq!(column_index("d"), Some(3));
    // An XLSX percentage cell holds the fraction.
    let got = findings("范围,总数,占比\n甲,157239,0.6639\n乙,79577,0.3360\n合计,236816,1\n");
    assert_eq!(
        got,
        [
            "表.csv 第2行 C列（占比）：印为 0.6639，但 157239 ÷ 236816 按四舍五入保留2位小数应为 66.40%"
        ]
    );
}
