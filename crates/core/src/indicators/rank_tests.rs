//! Totals, 数据不足, deductions, ties and the effect of the weights on a ranking.

use super::*;
use crate::grade::{Grade, GradeCounts};

fn grades(n: [u64; 5]) -> GradeCounts {
    let mut g = GradeCounts::default();
    for (grade, k) in Grade::ALL.iter().zip(n) {
        g.add(*grade, k);
    }
    g
}

/// A department with plenty of data: 2000 cases, 1000 ratings at the given average mix.
fn busy(ratings: [u64; 5]) -> UnitInputs {
    let mut u = UnitInputs::default();
    u.cases.accepted = 2000;
    u.cases.completed = 2000;
    u.ratings = grades(ratings);
    u
}

fn unit(name: &str, region: &str, inputs: UnitInputs) -> Unit {
    Unit {
        kind: UnitKind::Department,
        name: name.into(),
        code: None,
        region: region.into(),
        inputs,
    }
}

fn matters(n: u64, online: u64) -> MatterCounts {
    MatterCounts {
        instances: n,
        online_full: online,
        ..MatterCounts::default()
    }
}

fn order(r: &Ranking) -> Vec<(String, Option<u32>)> {
    r.entries().map(|e| (e.name.clone(), e.rank)).collect()
}

#[test]
fn the_total_rescales_over_indicators_with_data() {
    let c = IndicatorConfig::default();
    // Ratings all 非常满意 (satisfaction 25: the survey part has no data), no irregularity
    // (15), no extended-hours, assisted or package case (0 of 5, 10 and 5); no catalog and
    // no comfort survey. 40 points over the 60 with data: 66.67, covering 60%.
    let s = score_unit(&busy([1000, 0, 0, 0, 0]), &c);
    assert_eq!(s.coverage, 60.0);
    assert_eq!((s.status, s.total), (Status::Ranked, Some(66.67)));
    // A bureau wanting 61% coverage calls that 数据不足.
    let strict = IndicatorConfig::parse(
        &DEFAULT_TOML
            .replace("jianping-2024.1", "strict")
            .replace("min_coverage = 60", "min_coverage = 61"),
        "strict.toml",
    )
    .unwrap();
    let s = score_unit(&busy([1000, 0, 0, 0, 0]), &strict);
    assert_eq!((s.status, s.total), (Status::Insufficient, None));
    assert_eq!(s.reasons, vec!["有数据的指标分值占满分的60%，低于61%"]);
    // Add a catalog (completeness, maturity, extended hours): 40 + 0 + 15×(1/3 + 0 + 0)/…
    let mut u = busy([1000, 0, 0, 0, 0]);
    u.matters_end = matters(10, 10);
    // Covered: irregularity 15, completeness 15 (0), maturity 15 (全程网办 1, 即办 0,
    // compression none → (1 + 0)/2 = 7.5), satisfaction 25, extended 5 (matters 0, cases 0),
    // assistance 10 (cases 0), one thing 5 (0): 90 of 100 → coverage 90%.
    let s = score_unit(&u, &c);
    assert_eq!(s.coverage, 90.0);
    // Earned 15 + 0 + 7.5 + 25 + 0 + 0 + 0 = 47.5, rescaled: 47.5 × 100 / 90 = 52.78.
    assert_eq!(s.total, Some(52.78));
    assert_eq!(s.status, Status::Ranked);
}

#[test]
fn tiny_samples_are_insufficient_and_say_why() {
    let c = IndicatorConfig::default();
    let mut u = busy([50, 0, 0, 0, 0]);
    u.cases.accepted = 12;
    u.matters_end = matters(10, 10);
    let s = score_unit(&u, &c);
    assert_eq!(s.total, None);
    assert_eq!(
        s.reasons,
        vec!["办件12件，少于300件", "好差评50条，少于100条"]
    );
    let empty = score_unit(&UnitInputs::default(), &c);
    assert_eq!(empty.status, Status::Insufficient);
    assert!(empty.indicators.iter().all(|i| i.points.is_none()));
    assert_eq!(empty.coverage, 0.0);
}

#[test]
fn overdue_rectifications_are_deducted_up_to_the_cap() {
    let c = IndicatorConfig::default();
    let mut u = busy([1000, 0, 0, 0, 0]);
    u.matters_end = matters(10, 10);
    let base = score_unit(&u, &c).total.unwrap();
    u.overdue_rectifications = (0..3)
        .map(|i| Evidence {
            source: "ledger".into(),
            number: format!("ZG2023-{i}"),
            date: "2023-06-01".into(),
        })
        .collect();
    let s = score_unit(&u, &c);
    assert_eq!(s.deductions[0].points, 3.0);
    assert!((s.total.unwrap() - (base - 3.0)).abs() < 0.011);
    u.overdue_rectifications = (0..4)
        .flat_map(|_| u.overdue_rectifications.clone())
        .collect();
    assert_eq!(score_unit(&u, &c).deductions[0].points, 5.0);
}

#[test]
fn ties_go_to_satisfaction_then_share_a_rank() {
    let c = IndicatorConfig::default();
    let mut a = busy([1000, 0, 0, 0, 0]);
    a.matters_end = matters(10, 10);
    // 乙 has 甲's inputs: equal on everything. 丙's ten 不满意 cost satisfaction points.
    let b = a.clone();
    let mut low = a.clone();
    low.ratings = grades([990, 0, 0, 10, 0]);
    let mut thin = a.clone();
    thin.cases.accepted = 5;
    // 戊 has fewer data still but better points than 丁: 数据不足 goes by name all the same.
    let mut thinner = thin.clone();
    thinner.cases.accepted = 4;
    thin.ratings = grades([0, 0, 1000, 0, 0]);
    let units = vec![
        unit("乙局", "市本级", b),
        unit("丁局", "市本级", thin),
        unit("甲局", "市本级", a),
        unit("戊局", "市本级", thinner),
        unit("丙局", "市本级", low),
    ];
    let r = rank_units(&units, UnitKind::Department, &c);
    assert_eq!(
        order(&r),
        vec![
            ("乙局".to_string(), Some(1)),
            ("甲局".to_string(), Some(1)),
            ("丙局".to_string(), Some(3)),
            ("丁局".to_string(), None),
            ("戊局".to_string(), None),
        ],
        "equal totals share a rank (listed by name); 数据不足 comes last"
    );
    let first: Vec<&Ranked> = r.entries().take(2).collect();
    assert!(first.iter().all(|e| e.tied && e.of == 3));
    assert_eq!((r.ranked, r.insufficient), (3, 2));
}

#[test]
fn equal_totals_are_split_by_the_tie_indicators() {
    // Two units with the same total but different satisfaction points: with only
    // satisfaction and irregularity scored (50/50), A has satisfaction 50 and irregularity
    // 0 (2 incidents per 1,000 cases), B has satisfaction 0 (average at the floor) and
    // irregularity 50.
    let text = "version = \"t\"\n[sample]\nmin_coverage = 0\n\
                [indicators.satisfaction]\nweight = 50\nthird_party_share = 0\n\
                [indicators.irregularity]\nweight = 50\nthird_party_share = 0\n";
    let c = IndicatorConfig::parse(text, "t.toml").unwrap();
    let mut a = busy([1000, 0, 0, 0, 0]);
    a.irregularities = (0..4)
        .map(|i| Evidence {
            source: "qr_report".into(),
            number: i.to_string(),
            date: String::new(),
        })
        .collect();
    let b = busy([0, 0, 1000, 0, 0]);
    let units = vec![unit("B", "市本级", b), unit("A", "市本级", a)];
    let r = rank_units(&units, UnitKind::Department, &c);
    let totals: Vec<Option<f64>> = r.entries().map(|e| e.score.total).collect();
    assert_eq!(totals, vec![Some(50.0), Some(50.0)]);
    assert_eq!(
        order(&r),
        vec![("A".to_string(), Some(1)), ("B".to_string(), Some(2))],
        "A wins on 服务满意度, the first tie indicator"
    );
    // With irregularity first, B wins.
    let c = IndicatorConfig::parse(
        &text.replace(
            "[sample]",
            "[ranking]\ntie_break = [\"irregularity\"]\n[sample]",
        ),
        "t.toml",
    )
    .unwrap();
    let r = rank_units(&units, UnitKind::Department, &c);
    assert_eq!(order(&r)[0], ("B".to_string(), Some(1)));
}

#[test]
fn changing_a_weight_changes_the_ranking() {
    // 满意局: all 非常满意, nothing online (44.44); 网办局: every matter online and 即办,
    // ratings at 9.0 of 10, the floor (33.33).
    let mut strong = busy([1000, 0, 0, 0, 0]);
    strong.matters_end = matters(10, 0);
    let mut online = busy([500, 500, 0, 0, 0]);
    online.matters_end = matters(10, 10);
    online.matters_end.instant = 10;
    let units = vec![
        unit("满意局", "市本级", strong),
        unit("网办局", "市本级", online),
    ];
    let c = IndicatorConfig::default();
    let r = rank_units(&units, UnitKind::Department, &c);
    assert_eq!(order(&r)[0].0, "满意局");
    // Move 15 points from satisfaction to maturity: 27.78 against 50.
    let text = "version = \"t2\"\n\
                [indicators.irregularity]\nweight = 15\n[indicators.completeness]\nweight = 15\n\
                [indicators.maturity]\nweight = 30\n[indicators.satisfaction]\nweight = 10\n\
                [indicators.comfort]\nweight = 10\n[indicators.extended_hours]\nweight = 5\n\
                [indicators.assistance]\nweight = 10\n[indicators.one_thing]\nweight = 5\n";
    let c2 = IndicatorConfig::parse(text, "bureau.toml").unwrap();
    let r2 = rank_units(&units, UnitKind::Department, &c2);
    assert_eq!(order(&r2)[0].0, "网办局");
    assert_eq!(r2.version, "t2");
}

#[test]
fn departments_are_ranked_per_region_unless_configured_otherwise() {
    let mut a = busy([1000, 0, 0, 0, 0]);
    a.matters_end = matters(10, 10);
    let mut b = a.clone();
    b.ratings = grades([900, 100, 0, 0, 0]);
    let units = vec![
        unit("海勃湾区甲局", "海勃湾区", b.clone()),
        unit("市乙局", "市本级", b),
        unit("市甲局", "市本级", a),
    ];
    let c = IndicatorConfig::default();
    let r = rank_units(&units, UnitKind::Department, &c);
    let groups: Vec<(&str, usize)> = r
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.entries.len()))
        .collect();
    assert_eq!(groups, vec![("市本级", 2), ("海勃湾区", 1)]);
    assert_eq!(r.groups[1].entries[0].rank, Some(1));
    let all = IndicatorConfig::parse(
        &DEFAULT_TOML
            .replace("version = \"jianping-2024.1\"", "version = \"all\"")
            .replace("departments = \"by_region\"", "departments = \"all\""),
        "all.toml",
    )
    .unwrap();
    let r = rank_units(&units, UnitKind::Department, &all);
    assert_eq!(r.groups.len(), 1);
    assert_eq!(
        order(&r),
        vec![
            ("市甲局".to_string(), Some(1)),
            ("市乙局".to_string(), Some(2)),
            ("海勃湾区甲局".to_string(), Some(2)),
        ]
    );
}
