//! The indicator inputs per department and per region, identical on SQLite and PostgreSQL.

mod common;

use jianping_core::indicators::{IndicatorConfig, IndicatorKey, InputSet, TagRules, UnitInputs};
use jianping_core::records::*;
use jianping_core::time::{parse_date, parse_datetime};
use jianping_core::*;
use jianping_store::Store;

const CITY_HR: &str = "乌海市人力资源和社会保障局";
const HBW_HR: &str = "海勃湾区人力资源和社会保障局";
const HN_CA: &str = "海南区民政局";

fn code(c: &str) -> RegionCode {
    RegionCode::parse(c).unwrap()
}

fn period() -> Period {
    Period::new(
        parse_date("2023-01-01").unwrap(),
        parse_date("2023-10-31").unwrap(),
    )
    .unwrap()
}

fn dept(name: &str, region: &str) -> DepartmentRecord {
    DepartmentRecord {
        name: name.into(),
        code: None,
        region: Some(code(region)),
        sector: None,
        short_name: None,
    }
}

fn matter(no: &str, region: &str, dept: &str, as_of: &str, flags: &str) -> MatterRecord {
    MatterRecord {
        code: no.into(),
        base_code: Some(no.into()),
        name: format!("事项{no}"),
        department: dept.into(),
        region: code(region),
        hall: None,
        as_of: parse_date(as_of).unwrap(),
        legal_limit_days: Some(20),
        promised_limit_days: Some(if flags.contains('i') { 0 } else { 10 }),
        online_full: flags.contains('o'),
        instant: flags.contains('i'),
        scenario: flags.contains('s'),
        e_license: flags.contains('e'),
        cert_free: flags.contains('c'),
        extended_hours: flags.contains('x'),
    }
}

/// (no, department, region, accepted, completed?, flags a = assisted, x = extended, package)
fn case(
    no: &str,
    dept: &str,
    region: &str,
    at: &str,
    flags: &str,
    package: Option<&str>,
) -> CaseRecord {
    CaseRecord {
        case_no: no.into(),
        matter_code: None,
        matter_name: None,
        department: dept.into(),
        region: code(region),
        window: None,
        accepted_at: parse_datetime(at).unwrap(),
        completed_at: (!flags.contains('o')).then(|| parse_datetime(at).unwrap()),
        assisted: flags.contains('a'),
        extended: flags.contains('x'),
        package: package.map(Into::into),
    }
}

fn rating(no: &str, case_no: &str, dept: &str, region: &str, grade: Grade) -> RatingRecord {
    RatingRecord {
        rating_no: no.into(),
        case_no: Some(case_no.into()),
        matter_code: None,
        matter_name: None,
        department: dept.into(),
        window: None,
        staff: None,
        region: code(region),
        channel: Channel::HallPad,
        grade,
        rated_at: parse_datetime("2023-06-02 10:00:00").unwrap(),
        attempt: 1,
        tags: None,
        comment: None,
        rater_name: None,
        rater_phone: None,
        device: None,
        address: None,
        account: None,
    }
}

fn feedback(no: &str, category: &str, content: &str, dept: &str, region: &str) -> FeedbackRecord {
    FeedbackRecord {
        feedback_no: no.into(),
        supervisor: "JDY001".into(),
        received_on: parse_date("2023-04-01").unwrap(),
        category: category.into(),
        method: None,
        content: content.into(),
        department: Some(dept.into()),
        region: Some(code(region)),
    }
}

fn qr(no: &str, domain: &str, content: &str, dept: &str, region: &str) -> QrReportRecord {
    QrReportRecord {
        report_no: no.into(),
        received_at: parse_datetime("2023-05-01 09:00:00").unwrap(),
        domain: domain.into(),
        region: Some(code(region)),
        window: None,
        department: Some(dept.into()),
        content: content.into(),
        reporter_name: None,
        reporter_phone: None,
        closed_at: None,
        handling: None,
    }
}

fn assessment(
    no: &str,
    dept: &str,
    indicator: Option<&str>,
    score: Option<(f64, Option<f64>)>,
    finding: &str,
) -> AssessmentRecord {
    AssessmentRecord {
        finding_no: no.into(),
        project: "2023年度第三方评估".into(),
        assessor: None,
        method: "实地暗访".into(),
        role: Some("申请人".into()),
        assessed_on: parse_date("2023-08-15").unwrap(),
        department: Some(dept.into()),
        region: None,
        indicator: indicator.map(Into::into),
        score: score.map(|s| s.0),
        full_score: score.and_then(|s| s.1),
        finding: finding.into(),
        response: None,
    }
}

fn load(store: &mut Store) {
    let mut s = store.begin_import("indicators", "i.csv", "x").unwrap();
    s.skip_ledger_sync();
    s.regions(&[
        RegionRecord {
            code: code("150300"),
            name: "乌海市".into(),
        },
        RegionRecord {
            code: code("150302"),
            name: "海勃湾区".into(),
        },
        RegionRecord {
            code: code("150303"),
            name: "海南区".into(),
        },
        RegionRecord {
            code: code("150202"),
            name: "东河区".into(),
        },
    ])
    .unwrap();
    s.departments(&[
        dept(CITY_HR, "150300"),
        dept(HBW_HR, "150302"),
        dept(HN_CA, "150303"),
    ])
    .unwrap();
    s.matters(&[
        matter("C1", "150300", CITY_HR, "2023-01-01", "s"),
        matter("C1", "150300", CITY_HR, "2023-06-01", "soicx"),
        matter("C2", "150300", CITY_HR, "2023-01-01", "e"),
        matter("H1", "150302", HBW_HR, "2023-01-01", "cx"),
        matter("H2", "150302001", HBW_HR, "2023-01-01", "c"),
        matter("N1", "150303", HN_CA, "2023-06-01", "o"),
    ])
    .unwrap();
    s.cases(&[
        case(
            "K1",
            CITY_HR,
            "150300",
            "2023-03-01 09:00:00",
            "a",
            Some("退休“一件事”"),
        ),
        case("K2", CITY_HR, "150300", "2023-03-02 09:00:00", "x", None),
        // The city bureau's case at 海勃湾区's hall counts for 海勃湾区.
        case(
            "K3",
            CITY_HR,
            "150302",
            "2023-03-03 09:00:00",
            "ao",
            Some("退休“一件事”"),
        ),
        case(
            "K4",
            HBW_HR,
            "150302001",
            "2023-03-04 09:00:00",
            "",
            Some("新生儿出生“一件事”"),
        ),
        case("K5", HN_CA, "150303", "2023-03-05 09:00:00", "a", None),
        case("K6", HN_CA, "150303", "2022-12-31 09:00:00", "a", None),
        case("K7", HN_CA, "150202", "2023-03-05 09:00:00", "", None),
    ])
    .unwrap();
    s.ratings(&[
        rating("R1", "K1", CITY_HR, "150300", Grade::VerySatisfied),
        rating("R2", "K2", CITY_HR, "150300", Grade::Satisfied),
        rating("R3", "K3", CITY_HR, "150302", Grade::Unsatisfied),
        rating("R4", "K5", HN_CA, "150303", Grade::VerySatisfied),
        rating("R5", "K5", HN_CA, "150303", Grade::VeryUnsatisfied),
    ])
    .unwrap();
    s.supervisors(&[SupervisorRecord {
        code: "JDY001".into(),
        name: "张三".into(),
        category: "人大代表".into(),
        unit: None,
        phone: None,
        appointed_on: parse_date("2022-06-01").unwrap(),
        term_end: None,
    }])
    .unwrap();
    s.feedback(&[
        feedback(
            "F1",
            "事项办理体验",
            "退休办理窗口人员服务态度较差",
            CITY_HR,
            "150300",
        ),
        feedback(
            "F2",
            "便民服务",
            "海勃湾区政务服务大厅缺少复印打印机",
            HBW_HR,
            "150302",
        ),
        feedback("F3", "服务指引", "政策宣传力度不足", CITY_HR, "150300"),
    ])
    .unwrap();
    s.qr_reports(&[
        qr(
            "Q1",
            "政务服务",
            "工作人员服务态度差、未做到“一次性告知”",
            HN_CA,
            "150303",
        ),
        qr("Q2", "执法监管", "执法人员服务态度差", HN_CA, "150303"),
    ])
    .unwrap();
    s.assessments(&[
        assessment(
            "A1",
            CITY_HR,
            Some("服务舒适度"),
            Some((80.0, Some(100.0))),
            "",
        ),
        assessment(
            "A2",
            CITY_HR,
            Some("服务舒适度"),
            Some((9.0, Some(10.0))),
            "",
        ),
        assessment("A3", HBW_HR, Some("窗口不规范行为"), Some((70.0, None)), ""),
        assessment(
            "A4",
            HN_CA,
            Some("窗口不规范行为"),
            None,
            "窗口人员未按要求履职",
        ),
        assessment("A5", HN_CA, Some("营商环境"), Some((5.0, Some(10.0))), ""),
    ])
    .unwrap();
    s.commit().unwrap();
    // R5's appeal was upheld: out of the ratings (rollups rebuilt) and of the assisted ones.
    let db = store.backend();
    db.execute(
        "INSERT INTO appeals (rating_id, filed_at, filed_by, reason, state)
         SELECT id, '2023-06-03 00:00:00', '海南区民政局', '误评', 'upheld' FROM ratings WHERE rating_no = 'R5'",
        &[],
    )
    .unwrap();
    store.rebuild_rollups().unwrap();
    // Two ledger items due in the period: one rectified late, one on time; one due after.
    for (no, due, rectified) in [
        ("ZG1", "2023-05-10", Some("2023-05-12 10:00:00")),
        ("ZG2", "2023-05-10", Some("2023-05-10 18:00:00")),
        ("ZG3", "2023-11-20", None),
    ] {
        store
            .backend()
            .execute(
                "INSERT INTO ledger_items (item_no, source_kind, title, state, raised_at, due_on, rectified_at, department_id)
                 SELECT ?, 'manual', '整改', 'rectified', '2023-04-20 00:00:00', ?, ?, id FROM departments WHERE name = ?",
                &[no.into(), due.into(), rectified.into(), CITY_HR.into()],
            )
            .unwrap();
    }
}

fn inputs(store: &mut Store) -> InputSet {
    let rules = TagRules::from_config(&IndicatorConfig::default());
    store
        .indicator_inputs(&period(), &code("150300"), &rules)
        .unwrap()
}

fn unit<'a>(set: &'a InputSet, name: &str) -> &'a UnitInputs {
    &set.departments
        .iter()
        .chain(&set.regions)
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("no unit {name}"))
        .inputs
}

fn numbers(e: &[jianping_core::indicators::Evidence]) -> Vec<&str> {
    e.iter().map(|e| e.number.as_str()).collect()
}

both_backends! {
    cases_packages_and_ratings_per_department_and_region(t) {
        load(&mut t.store);
        let set = inputs(&mut t.store);
        assert_eq!(set.city_name, "乌海市");
        let names: Vec<&str> = set.regions.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["市本级", "海勃湾区", "海南区"]);
        assert_eq!(set.outside, 1, "K7 was accepted outside the city");
        let hr = unit(&set, CITY_HR);
        assert_eq!(
            (hr.cases.accepted, hr.cases.completed, hr.cases.assisted, hr.cases.extended, hr.cases.in_package),
            (3, 2, 2, 1, 2)
        );
        assert_eq!(hr.packages.iter().collect::<Vec<_>>(), vec!["退休“一件事”"]);
        assert_eq!(hr.ratings.total(), 3);
        // R1 (K1) and R3 (K3) rate assisted cases.
        assert_eq!(hr.assisted_ratings.0, [1, 0, 0, 1, 0]);
        let hbw = unit(&set, "海勃湾区");
        assert_eq!((hbw.cases.accepted, hbw.cases.in_package), (2, 2));
        assert_eq!(hbw.packages.len(), 2);
        assert_eq!(hbw.ratings.0, [0, 0, 0, 1, 0]);
        let hn = unit(&set, HN_CA);
        assert_eq!(hn.cases.accepted, 1, "K6 is before the period, K7 outside the city");
        assert_eq!(hn.ratings.total(), 1, "R5's appeal was upheld");
        assert_eq!(hn.assisted_ratings.total(), 1);
        // Region units add up to the city's cases.
        let region_cases: u64 = set.regions.iter().map(|r| r.inputs.cases.accepted).sum();
        assert_eq!(region_cases, 5);
    }

    catalog_tags_third_party_scores_and_the_ledger(t) {
        load(&mut t.store);
        let set = inputs(&mut t.store);
        let hr = unit(&set, CITY_HR);
        assert_eq!((hr.matters_start.instances, hr.matters_end.instances), (2, 2));
        assert_eq!((hr.matters_start.online_full, hr.matters_end.online_full), (0, 1));
        assert_eq!(unit(&set, "海勃湾区").matters_end.cert_free, 2, "the street's matter too");
        assert_eq!(unit(&set, "海南区").matters_start.instances, 0, "N1 starts in June");
        // Tags: F1 and Q1 are irregularities, F2 a facility problem; Q2 is not a government
        // service; A4 is named for the indicator.
        assert_eq!(numbers(&hr.irregularities), vec!["F1"]);
        assert_eq!(numbers(&unit(&set, HBW_HR).facility_issues), vec!["F2"]);
        assert_eq!(numbers(&unit(&set, HN_CA).irregularities), vec!["Q1", "A4"]);
        assert_eq!(numbers(&unit(&set, "海南区").irregularities), vec!["Q1", "A4"]);
        // Third-party scores: 80/100 and 9/10 → 0.85; 70 without 满分 reads as out of 100.
        let comfort = &hr.third_party[&IndicatorKey::Comfort];
        assert_eq!(comfort.rows, 2);
        assert!((comfort.mean().unwrap() - 0.85).abs() < 1e-12);
        let hbw = &unit(&set, HBW_HR).third_party[&IndicatorKey::Irregularity];
        assert_eq!(hbw.mean(), Some(0.7));
        assert_eq!(set.unknown_indicators.get("营商环境"), Some(&1));
        // ZG1 was rectified two days late; ZG2 on its due day; ZG3 is due after the period.
        assert_eq!(numbers(&hr.overdue_rectifications), vec!["ZG1"]);
        assert_eq!(numbers(&unit(&set, "市本级").overdue_rectifications), vec!["ZG1"]);
    }
}
