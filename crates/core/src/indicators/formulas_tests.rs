//! Each formula on hand-built inputs whose answer is worked out in the comments.

use super::*;
use crate::catalog::CatalogEntry;
use crate::grade::{Grade, GradeCounts};
use crate::region::RegionCode;

fn cfg() -> IndicatorConfig {
    IndicatorConfig::default()
}

fn score(key: IndicatorKey, inputs: &UnitInputs) -> IndicatorScore {
    let c = cfg();
    score_indicator(c.indicator(key).unwrap(), inputs, &c)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn points(key: IndicatorKey, inputs: &UnitInputs) -> Option<f64> {
    score(key, inputs).points
}

fn grades(n: [u64; 5]) -> GradeCounts {
    let mut g = GradeCounts::default();
    for (grade, k) in Grade::ALL.iter().zip(n) {
        g.add(*grade, k);
    }
    g
}

fn third_party(inputs: &mut UnitInputs, key: IndicatorKey, rows: &[(f64, f64)]) {
    let t = inputs.third_party.entry(key).or_default();
    for (i, (s, f)) in rows.iter().enumerate() {
        t.add(&format!("S{i}"), *s, *f);
    }
}

fn evidence(n: usize) -> Vec<Evidence> {
    (0..n)
        .map(|i| Evidence {
            source: "feedback".into(),
            number: format!("F{i}"),
            date: "2023-05-01".into(),
        })
        .collect()
}

fn entry(legal: Option<u32>, promised: Option<u32>, flags: &str) -> CatalogEntry {
    CatalogEntry {
        matter_code: "M".into(),
        base_code: "B".into(),
        name: "事项".into(),
        region: RegionCode::parse("150300").unwrap(),
        department: "部门".into(),
        sector: None,
        hall: None,
        legal_limit_days: legal,
        promised_limit_days: promised,
        online_full: flags.contains('o'),
        instant: flags.contains('i'),
        scenario: flags.contains('s'),
        e_license: flags.contains('e'),
        cert_free: flags.contains('c'),
        extended_hours: flags.contains('x'),
    }
}

#[test]
fn satisfaction_stretches_the_average_over_the_floor() {
    // 160×10 + 20×8 + 20×3 = 1820 over 200 ratings: 9.1 of 10, (0.91 − 0.9) / 0.1 = 0.1.
    let mut u = UnitInputs {
        ratings: grades([160, 20, 0, 20, 0]),
        ..UnitInputs::default()
    };
    let s = score(IndicatorKey::Satisfaction, &u);
    assert!(close(s.points.unwrap(), 2.5), "{s:?}");
    assert_eq!(s.components[0].raw, "平均分9.10（200条）");
    // A phone survey at 18/20 = 0.9 takes 20 of the 100 shares: (80×0.1 + 20×0.9)/100 = 0.26.
    third_party(&mut u, IndicatorKey::Satisfaction, &[(18.0, 20.0)]);
    assert!(close(points(IndicatorKey::Satisfaction, &u).unwrap(), 6.5));
    // Every rating 非常满意: full marks on the ratings part.
    u.ratings = grades([5, 0, 0, 0, 0]);
    assert!(close(
        points(IndicatorKey::Satisfaction, &u).unwrap(),
        25.0 * 0.98
    ));
    // An average at or below the floor earns nothing (never negative).
    u.ratings = grades([0, 0, 1, 0, 0]);
    u.third_party.clear();
    assert_eq!(points(IndicatorKey::Satisfaction, &u), Some(0.0));
    // No ratings and no survey: no data, not zero.
    assert_eq!(
        points(IndicatorKey::Satisfaction, &UnitInputs::default()),
        None
    );
}

#[test]
fn irregularities_are_counted_per_thousand_cases() {
    let mut u = UnitInputs::default();
    u.cases.accepted = 2000;
    u.irregularities = evidence(2);
    // 1 per 1,000 cases, zero at 2: 0.5; mystery shopping 8/10: (70×0.5 + 30×0.8)/100 = 0.59.
    third_party(&mut u, IndicatorKey::Irregularity, &[(8.0, 10.0)]);
    let s = score(IndicatorKey::Irregularity, &u);
    assert!(close(s.points.unwrap(), 15.0 * 0.59), "{s:?}");
    assert_eq!(s.components[0].raw, "每千件1.00起（2起/2000件）");
    assert_eq!(s.evidence.len(), 2);
    // Five in 1,000 is past the zero point: the incidents part is 0, not negative.
    u.cases.accepted = 1000;
    u.irregularities = evidence(5);
    u.third_party.clear();
    assert_eq!(points(IndicatorKey::Irregularity, &u), Some(0.0));
    // None at all: full marks.
    u.irregularities.clear();
    assert_eq!(points(IndicatorKey::Irregularity, &u), Some(15.0));
    // No cases: nothing to divide by.
    assert_eq!(
        points(IndicatorKey::Irregularity, &UnitInputs::default()),
        None
    );
}

#[test]
fn completeness_and_maturity_read_the_catalog_at_the_end() {
    let mut u = UnitInputs::default();
    let mut es: Vec<CatalogEntry> = (0..10).map(|_| entry(Some(10), Some(5), "c")).collect();
    for e in es.iter_mut().take(5) {
        e.scenario = true;
    }
    es[0].e_license = true;
    es[1].e_license = true;
    u.matters_end = MatterCounts::of(&es);
    // (5/10 + 2/10 + 10/10) / 3 = 0.5667.
    assert!(close(
        points(IndicatorKey::Completeness, &u).unwrap(),
        15.0 * 1.7 / 3.0
    ));
    // Maturity over four matters: 全程网办 3/4, 即办 1/4, compression (0.75 + 0 + 1)/3 with
    // the one without a legal limit left out: (0.75 + 0.25 + 0.58333) / 3.
    let es = [
        entry(Some(20), Some(5), "o"),
        entry(Some(10), Some(10), "o"),
        entry(None, Some(3), "o"),
        entry(Some(5), Some(0), "i"),
    ];
    u.matters_end = MatterCounts::of(&es);
    let s = score(IndicatorKey::Maturity, &u);
    let want = (0.75 + 0.25 + 1.75 / 3.0) / 3.0 * 15.0;
    assert!(close(s.points.unwrap(), want), "{s:?}");
    assert_eq!(s.components[2].raw, "58.33%（3项）");
    // An empty catalog has no data.
    let empty = UnitInputs::default();
    assert_eq!(points(IndicatorKey::Completeness, &empty), None);
    assert_eq!(points(IndicatorKey::Maturity, &empty), None);
}

#[test]
fn comfort_is_the_third_party_score_less_facility_problems() {
    let mut u = UnitInputs::default();
    third_party(
        &mut u,
        IndicatorKey::Comfort,
        &[(80.0, 100.0), (90.0, 100.0)],
    );
    assert!(close(points(IndicatorKey::Comfort, &u).unwrap(), 8.5));
    // One missing copier: 10% of the indicator's 10 points.
    u.facility_issues = evidence(1);
    let s = score(IndicatorKey::Comfort, &u);
    assert!(
        close(s.points.unwrap(), 7.5) && close(s.deducted, 1.0),
        "{s:?}"
    );
    // Deductions stop at zero and say how much they really took.
    u.facility_issues = evidence(12);
    let s = score(IndicatorKey::Comfort, &u);
    assert_eq!(s.points, Some(0.0));
    assert!(close(s.deducted, 8.5));
    // Complaints without an assessment give no score: absence of a survey is not comfort.
    u.third_party.clear();
    assert_eq!(points(IndicatorKey::Comfort, &u), None);
}

#[test]
fn rates_against_targets_cap_at_full_marks() {
    let mut u = UnitInputs::default();
    u.cases.accepted = 2000;
    // 延时服务: 9/10 matters; 20/2000 = 1% of a 2% target: (0.9 + 0.5)/2 = 0.7 of 5.
    u.matters_end = MatterCounts::of(
        &(0..10)
            .map(|i| entry(Some(1), Some(1), if i < 9 { "x" } else { "" }))
            .collect::<Vec<_>>(),
    );
    u.cases.extended = 20;
    assert!(close(points(IndicatorKey::ExtendedHours, &u).unwrap(), 3.5));
    u.cases.extended = 200;
    assert!(close(
        points(IndicatorKey::ExtendedHours, &u).unwrap(),
        0.95 * 5.0
    ));
    // 帮办代办: 30/2000 = 1.5% of a 3% target; their ratings all 非常满意: (0.5 + 1)/2 of 10.
    u.cases.assisted = 30;
    u.assisted_ratings = grades([12, 0, 0, 0, 0]);
    assert!(close(points(IndicatorKey::Assistance, &u).unwrap(), 7.5));
    // No assisted case rated: the case share alone.
    u.assisted_ratings = GradeCounts::default();
    assert!(close(points(IndicatorKey::Assistance, &u).unwrap(), 5.0));
    // 一件事: one package (target 1) and 10/2000 = 0.5% of a 1% target: (1 + 0.5)/2 of 5.
    u.packages.insert("开办餐饮店".into());
    u.cases.in_package = 10;
    assert!(close(points(IndicatorKey::OneThing, &u).unwrap(), 3.75));
    // No package at all is a score of zero, not missing data.
    let mut none = UnitInputs::default();
    none.cases.accepted = 10;
    assert_eq!(points(IndicatorKey::OneThing, &none), Some(0.0));
    assert_eq!(points(IndicatorKey::OneThing, &UnitInputs::default()), None);
    assert_eq!(
        points(IndicatorKey::Assistance, &UnitInputs::default()),
        None
    );
}

#[test]
fn third_party_rows_are_averaged_per_row() {
    let mut t = ThirdPartyScores::default();
    assert_eq!(t.mean(), None);
    t.add("A", 9.0, 10.0);
    t.add("B", 60.0, 100.0);
    // A row without a usable full score is not a score.
    t.add("C", 5.0, 0.0);
    assert_eq!(t.rows, 2);
    assert!(close(t.mean().unwrap(), 0.75));
}

#[test]
fn methods_are_described_from_the_parameters() {
    let c = cfg();
    let text = |k| method_text(c.indicator(k).unwrap(), &c);
    assert_eq!(
        text(IndicatorKey::Satisfaction),
        "好差评平均分（10/8/6/3/0分制）占最高分的比例在90%至100%之间折算，权重80%；第三方评估得分率，权重20%"
    );
    assert!(text(IndicatorKey::Comfort).contains("每项扣本指标分值的10%"));
    assert!(text(IndicatorKey::Irregularity).contains("达到2起为0"));
    assert_eq!(
        text(IndicatorKey::Completeness),
        "情形化比例，权重33.33%；电子证照关联比例，权重33.33%；免证办比例，权重33.33%"
    );
}
