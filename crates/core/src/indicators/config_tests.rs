use super::*;

const FILE: &str = "/etc/jianping/indicators.toml";

/// A bureau file with the given weights (in IndicatorKey::ALL order) and extra text.
fn bureau(weights: [f64; 8], extra: &str) -> String {
    let mut s = String::from("version = \"乌海-2024.2\"\n");
    s.push_str(extra);
    for (k, w) in IndicatorKey::ALL.iter().zip(weights) {
        s.push_str(&format!("\n[indicators.{}]\nweight = {w}\n", k.key()));
    }
    s
}

const DEFAULT_WEIGHTS: [f64; 8] = [15.0, 15.0, 15.0, 25.0, 10.0, 5.0, 10.0, 5.0];

fn err(text: &str) -> String {
    IndicatorConfig::parse(text, FILE).unwrap_err().to_string()
}

#[test]
fn the_default_is_complete_and_sums_to_the_full_mark() {
    let c = IndicatorConfig::default();
    assert_eq!(c.version, "jianping-2024.1");
    assert_eq!(c.full_mark, 100.0);
    assert_eq!(
        c.indicators.iter().map(|d| d.key).collect::<Vec<_>>(),
        IndicatorKey::ALL.to_vec()
    );
    let sum: f64 = c.indicators.iter().map(|d| d.weight).sum();
    assert_eq!(sum, 100.0);
    for d in &c.indicators {
        for (name, _) in config::params_of(d.key) {
            assert!(d.params.contains_key(*name), "{} lacks {name}", d.key.key());
        }
        assert!(!method_text(d, &c).is_empty());
    }
    assert_eq!(c.grade_points, [10.0, 8.0, 6.0, 3.0, 0.0]);
    assert_eq!(
        c.ranking.tie_break,
        vec![IndicatorKey::Satisfaction, IndicatorKey::Irregularity]
    );
}

#[test]
fn a_bureau_file_states_its_version_and_inherits_left_out_parameters() {
    let c = IndicatorConfig::parse(&bureau(DEFAULT_WEIGHTS, "[sample]\nmin_cases = 50\n"), FILE)
        .unwrap();
    assert_eq!(c.version, "乌海-2024.2");
    assert_eq!(c.source, FILE);
    assert_eq!(c.sample.min_cases, 50);
    assert_eq!(c.sample.min_ratings, 100, "from the default");
    let sat = c.indicator(IndicatorKey::Satisfaction).unwrap();
    assert_eq!(sat.num("floor"), 0.9);
    assert_eq!(sat.num("ratings_share"), 80.0);
    let irr = c.indicator(IndicatorKey::Irregularity).unwrap();
    assert!(irr.texts("keywords").iter().any(|k| k == "服务态度"));
}

#[test]
fn indicators_may_be_named_in_chinese_and_left_out() {
    let text = "version = \"v3\"\nfull_mark = 10\n[ranking]\ntie_break = [\"服务满意度\"]\n\
                [indicators.\"服务满意度\"]\nweight = 6\nfloor = 0.5\n\
                [indicators.\"窗口不规范行为\"]\nweight = 4\n";
    let c = IndicatorConfig::parse(text, FILE).unwrap();
    assert_eq!(
        c.indicators.iter().map(|d| d.key).collect::<Vec<_>>(),
        vec![IndicatorKey::Irregularity, IndicatorKey::Satisfaction],
        "the seed's order"
    );
    assert_eq!(
        c.indicator(IndicatorKey::Satisfaction)
            .unwrap()
            .num("floor"),
        0.5
    );
    assert_eq!(c.ranking.tie_break, vec![IndicatorKey::Satisfaction]);
    // Without tie_break, the default's tie indicators that this file scores remain.
    let c = IndicatorConfig::parse(
        "version = \"v\"\nfull_mark = 5\n[indicators.comfort]\nweight = 5\n",
        FILE,
    )
    .unwrap();
    assert!(c.ranking.tie_break.is_empty());
}

#[test]
fn weights_must_sum_to_the_full_mark() {
    let mut w = DEFAULT_WEIGHTS;
    w[3] = 30.0;
    let e = err(&bureau(w, ""));
    assert!(e.contains(FILE), "{e}");
    assert!(e.contains("indicators.*.weight"), "{e}");
    assert!(
        e.contains("之和为 105") && e.contains("full_mark = 100"),
        "{e}"
    );
    assert!(e.contains("satisfaction 30"), "{e}");
}

#[test]
fn unknown_indicators_and_parameters_are_named() {
    let e = err(&bureau(DEFAULT_WEIGHTS, "[indicators.speed]\nweight = 0\n"));
    assert!(e.contains(FILE) && e.contains("indicators.speed"), "{e}");
    assert!(
        e.contains("未知的指标「speed」") && e.contains("satisfaction（服务满意度）"),
        "{e}"
    );

    let e = err(&bureau(DEFAULT_WEIGHTS, "").replace(
        "[indicators.satisfaction]\n",
        "[indicators.satisfaction]\nflor = 0.8\n",
    ));
    assert!(e.contains("indicators.satisfaction.flor"), "{e}");
    assert!(
        e.contains("未知的参数「flor」") && e.contains("floor"),
        "{e}"
    );

    let e = err(&bureau(DEFAULT_WEIGHTS, "colour = 1\n"));
    assert!(e.contains("colour") && e.contains("未知的参数"), "{e}");
    let e = err(&bureau(DEFAULT_WEIGHTS, "[sample]\nmin_case = 1\n"));
    assert!(e.contains("sample.min_case"), "{e}");
}

#[test]
fn negative_or_out_of_range_values_are_refused() {
    let mut w = DEFAULT_WEIGHTS;
    w[0] = -5.0;
    w[1] = 35.0;
    let e = err(&bureau(w, ""));
    assert!(e.contains("indicators.irregularity.weight"), "{e}");
    assert!(e.contains("分值不能为负数"), "{e}");

    let e = err(&bureau(DEFAULT_WEIGHTS, "").replace(
        "[indicators.satisfaction]\n",
        "[indicators.satisfaction]\nfloor = 1.5\n",
    ));
    assert!(
        e.contains("indicators.satisfaction.floor") && e.contains("1.5"),
        "{e}"
    );

    let e = err(&bureau(DEFAULT_WEIGHTS, "").replace(
        "[indicators.maturity]\n",
        "[indicators.maturity]\ninstant_share = -1\n",
    ));
    assert!(
        e.contains("indicators.maturity.instant_share") && e.contains("负数"),
        "{e}"
    );

    let e = err(&bureau(DEFAULT_WEIGHTS, "").replace(
        "[indicators.completeness]\n",
        "[indicators.completeness]\nscenario_share = 0\ne_license_share = 0\ncert_free_share = 0\n",
    ));
    assert!(
        e.contains("indicators.completeness") && e.contains("不能全为 0"),
        "{e}"
    );

    let e = err(&bureau(DEFAULT_WEIGHTS, "grade_points = [10, 8, 6, 3]\n"));
    assert!(e.contains("grade_points") && e.contains("5 个数字"), "{e}");
    let e = err(&bureau(DEFAULT_WEIGHTS, "grade_points = [0, 8, 6, 3, 0]\n"));
    assert!(e.contains("grade_points"), "{e}");
}

#[test]
fn version_tie_rule_and_syntax_mistakes_say_what_to_do() {
    let e = err("full_mark = 100\n");
    assert!(e.contains("version") && e.contains("缺少版本号"), "{e}");
    let e = err(&bureau(DEFAULT_WEIGHTS, "").replace("乌海-2024.2", " "));
    assert!(e.contains("版本号不能为空"), "{e}");
    let e = err(&bureau(
        DEFAULT_WEIGHTS,
        "[ranking]\ntie_break = [\"速度\"]\n",
    ));
    assert!(
        e.contains("ranking.tie_break") && e.contains("「速度」"),
        "{e}"
    );
    let e = err(
        "version = \"v\"\nfull_mark = 5\n[ranking]\ntie_break = [\"satisfaction\"]\n[indicators.comfort]\nweight = 5\n",
    );
    assert!(e.contains("未在 [indicators] 中配置"), "{e}");
    let e = err(&bureau(
        DEFAULT_WEIGHTS,
        "[ranking]\ndepartments = \"mixed\"\n",
    ));
    assert!(
        e.contains("ranking.departments") && e.contains("by_region"),
        "{e}"
    );
    let e = err("version = \"v\"\n[indicators.comfort\n");
    assert!(e.contains(FILE) && e.contains("不是有效的 TOML"), "{e}");
    let e = err("version = \"v\"\nfull_mark = 100\n");
    assert!(e.contains("缺少 [indicators"), "{e}");
    let e = err("version = 3\n");
    assert!(e.contains("version") && e.contains("文本"), "{e}");
}

#[test]
fn a_missing_file_says_where_it_was_looked_for() {
    let e = IndicatorConfig::load(std::path::Path::new("/nonexistent/ind.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("/nonexistent/ind.toml") && e.contains("[indicators] file"),
        "{e}"
    );
}
