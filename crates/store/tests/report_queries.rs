//! The read queries the annual report uses, identical on SQLite and PostgreSQL.

mod common;

use chrono::NaiveDate;
use jianping_core::catalog::UnitCounts;
use jianping_core::records::*;
use jianping_core::time::{parse_date, parse_datetime};
use jianping_core::*;
use jianping_store::Store;

fn code(c: &str) -> RegionCode {
    RegionCode::parse(c).unwrap()
}

fn day(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn period(a: &str, b: &str) -> Period {
    Period::new(day(a), day(b)).unwrap()
}

fn matter(code_: &str, base: &str, region: &str, dept: &str, as_of: &str) -> MatterRecord {
    MatterRecord {
        code: code_.into(),
        base_code: Some(base.into()),
        name: format!("事项{code_}"),
        department: dept.into(),
        region: code(region),
        hall: None,
        as_of: day(as_of),
        legal_limit_days: Some(20),
        promised_limit_days: Some(5),
        online_full: false,
        instant: false,
        scenario: false,
        e_license: false,
        cert_free: false,
        extended_hours: false,
    }
}

fn load_catalog(store: &mut Store) {
    let mut s = store.begin_import("catalog", "catalog.csv", "x").unwrap();
    s.skip_ledger_sync(); // the tests place ledger items themselves
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
    ])
    .unwrap();
    s.departments(&[
        DepartmentRecord {
            name: "乌海市人力资源和社会保障局".into(),
            code: None,
            region: Some(code("150300")),
            sector: Some("人力资源和社会保障".into()),
            short_name: None,
        },
        DepartmentRecord {
            name: "海南区人力资源和社会保障局".into(),
            code: None,
            region: Some(code("150303")),
            sector: Some("人力资源和社会保障".into()),
            short_name: None,
        },
    ])
    .unwrap();
    s.halls(&[
        HallRecord {
            code: None,
            name: "乌海市政务服务中心".into(),
            region: code("150300"),
            kind: Some("政务服务中心".into()),
            extended_hours: true,
        },
        HallRecord {
            code: None,
            name: "海南区政务服务中心".into(),
            region: code("150303"),
            kind: Some("政务服务中心".into()),
            extended_hours: false,
        },
    ])
    .unwrap();
    let window = |name: &str, kind: &str, ext: bool| WindowRecord {
        code: None,
        name: name.into(),
        hall: Some("乌海市政务服务中心".into()),
        region: code("150300"),
        department: None,
        kind: Some(kind.into()),
        extended_hours: ext,
    };
    s.windows(&[
        window("综合受理1号", "综合受理", true),
        window("综合受理2号", "综合受理", false),
        window("公安专窗", "专业", false),
    ])
    .unwrap();
    let staff = |name: &str, active: bool| StaffRecord {
        code: None,
        name: name.into(),
        department: Some("乌海市人力资源和社会保障局".into()),
        hall: Some("乌海市政务服务中心".into()),
        window: None,
        region: Some(code("150300")),
        active,
        phone: None,
        account: None,
    };
    s.staff(&[
        staff("王芳", true),
        staff("李强", true),
        staff("赵敏", false),
    ])
    .unwrap();
    let mut m1 = matter(
        "C1",
        "B1",
        "150300",
        "乌海市人力资源和社会保障局",
        "2023-01-01",
    );
    m1.hall = Some("乌海市政务服务中心".into());
    let mut m1_later = m1.clone();
    m1_later.as_of = day("2023-06-01");
    m1_later.online_full = true;
    let d1 = matter(
        "D2",
        "B2",
        "150303",
        "海南区人力资源和社会保障局",
        "2023-01-01",
    );
    // A matter that enters the catalog only after the period.
    let late = matter(
        "C9",
        "B9",
        "150300",
        "乌海市人力资源和社会保障局",
        "2024-01-01",
    );
    s.matters(&[m1, m1_later, d1, late]).unwrap();
    s.reported_stats(&[
        ReportedStatRecord {
            key: "msb.registered_users".into(),
            name: "蒙速办注册人数".into(),
            value: 250_000.0,
            unit: Some("人".into()),
            source: "蒙速办".into(),
            region: Some(code("150300")),
            period_from: None,
            period_to: day("2023-06-30"),
        },
        ReportedStatRecord {
            key: "msb.registered_users".into(),
            name: "蒙速办注册人数".into(),
            value: 291_900.0,
            unit: Some("人".into()),
            source: "蒙速办".into(),
            region: Some(code("150300")),
            period_from: None,
            period_to: day("2023-10-31"),
        },
        ReportedStatRecord {
            key: "msb.registered_users".into(),
            name: "蒙速办注册人数".into(),
            value: 300_000.0,
            unit: Some("人".into()),
            source: "蒙速办".into(),
            region: Some(code("150300")),
            period_from: None,
            period_to: day("2023-12-31"),
        },
    ])
    .unwrap();
    s.commit().unwrap();
}

fn case(
    no: &str,
    region: &str,
    accepted: &str,
    completed: Option<&str>,
    extended: bool,
) -> CaseRecord {
    CaseRecord {
        case_no: no.into(),
        matter_code: None,
        matter_name: None,
        department: "乌海市人力资源和社会保障局".into(),
        region: code(region),
        window: None,
        accepted_at: parse_datetime(accepted).unwrap(),
        completed_at: completed.map(|c| parse_datetime(c).unwrap()),
        assisted: false,
        extended,
        package: None,
    }
}

fn rating(
    no: &str,
    dept: &str,
    region: &str,
    grade: Grade,
    at: &str,
    comment: Option<&str>,
) -> RatingRecord {
    RatingRecord {
        rating_no: no.into(),
        case_no: None,
        matter_code: None,
        matter_name: None,
        department: dept.into(),
        window: None,
        staff: None,
        region: code(region),
        channel: Channel::HallPad,
        grade,
        rated_at: parse_datetime(at).unwrap(),
        attempt: 1,
        tags: None,
        comment: comment.map(Into::into),
        rater_name: None,
        rater_phone: None,
        device: None,
        address: None,
        account: None,
    }
}

fn insert_ledger(store: &mut Store, no: &str, kind: &str, source_no_sql: &str, state: &str) {
    store
        .backend()
        .execute(
            &format!(
                "INSERT INTO ledger_items (item_no, source_kind, source_id, title, state, raised_at)
                 VALUES (?, ?, ({source_no_sql}), '整改', ?, '2023-10-01 00:00:00')"
            ),
            &[no.into(), kind.into(), state.into()],
        )
        .unwrap();
}

both_backends! {
    catalog_reads_the_latest_state_on_or_before_a_date(t) {
        load_catalog(&mut t.store);
        let city = code("150300");
        let start = t.store.catalog_at(day("2023-01-01")).unwrap();
        let end = t.store.catalog_at(day("2023-10-31")).unwrap();
        let codes: Vec<&str> = end.iter().map(|e| e.matter_code.as_str()).collect();
        assert_eq!(codes, vec!["C1", "D2"], "C9 is dated after the period");
        assert_eq!(UnitCounts::of(&start, &city).online_full, 0);
        assert_eq!(UnitCounts::of(&end, &city).online_full, 1);
        assert_eq!(end[0].hall.as_deref(), Some("乌海市政务服务中心"));
        assert_eq!(end[0].sector.as_deref(), Some("人力资源和社会保障"));
        assert_eq!(UnitCounts::of(&end, &city).sectors, 1);
        assert!(t.store.catalog_at(day("2022-12-31")).unwrap().is_empty());
    }

    halls_windows_staff_and_reported_figures(t) {
        load_catalog(&mut t.store);
        let halls = t.store.halls().unwrap();
        assert_eq!(halls.len(), 2);
        assert_eq!((halls[0].name.as_str(), halls[0].active_staff, halls[0].extended_hours), ("乌海市政务服务中心", 2, true));
        assert_eq!(halls[1].active_staff, 0);
        let windows = t.store.windows().unwrap();
        assert_eq!(windows.iter().filter(|w| w.kind.as_deref() == Some("综合受理")).count(), 2);
        assert_eq!(windows.iter().filter(|w| w.extended_hours).count(), 1);
        let stats = t.store.reported_stats_at(day("2023-10-31")).unwrap();
        assert_eq!(stats.len(), 1);
        assert_eq!((stats[0].value, stats[0].period_to.as_str()), (291_900.0, "2023-10-31"));
        let regions = t.store.regions().unwrap();
        assert_eq!(regions[0].name, "乌海市");
    }

    cases_per_region_with_completion_by_the_end(t) {
        let mut s = t.store.begin_import("cases", "cases.csv", "x").unwrap();
        s.skip_ledger_sync(); // the tests place ledger items themselves
        s.cases(&[
            case("K1", "150302", "2023-01-05 09:00:00", Some("2023-01-06 09:00:00"), true),
            case("K2", "150302", "2023-10-31 17:00:00", Some("2023-11-01 09:00:00"), false),
            case("K3", "150302001", "2023-05-05 09:00:00", None, true),
            case("K4", "150300", "2022-12-31 09:00:00", Some("2023-01-02 09:00:00"), true),
        ])
        .unwrap();
        s.commit().unwrap();
        let got = t.store.case_counts(&period("2023-01-01", "2023-10-31")).unwrap();
        let flat: Vec<(&str, u64, u64, u64)> = got
            .iter()
            .map(|c| (c.region.as_str(), c.accepted, c.completed, c.extended))
            .collect();
        assert_eq!(flat, vec![("150302", 2, 1, 1), ("150302001", 1, 0, 1)]);
    }

    bad_ratings_carry_their_ledger_state(t) {
        let mut s = t.store.begin_import("ratings", "r.csv", "x").unwrap();
        s.skip_ledger_sync(); // the tests place ledger items themselves
        s.ratings(&[
            rating("R1", "海南区人力资源和社会保障局", "150303", Grade::Unsatisfied, "2023-03-01 10:00:00", Some("未提供材料样本，电话13812345678")),
            rating("R2", "乌海市公安局", "150300", Grade::VeryUnsatisfied, "2023-04-01 10:00:00", None),
            rating("R3", "乌海市公安局", "150300", Grade::Unsatisfied, "2023-05-01 10:00:00", None),
            rating("R4", "乌海市公安局", "150300", Grade::Satisfied, "2023-05-01 10:00:00", None),
            rating("R5", "乌海市公安局", "150300", Grade::Unsatisfied, "2023-11-01 10:00:00", None),
        ])
        .unwrap();
        s.commit().unwrap();
        insert_ledger(&mut t.store, "L1", "rating", "SELECT id FROM ratings WHERE rating_no = 'R1'", "closed");
        insert_ledger(&mut t.store, "L2", "rating", "SELECT id FROM ratings WHERE rating_no = 'R2'", "claimed");
        // R3's appeal was upheld: it is not counted anywhere.
        t.store
            .backend()
            .execute(
                "INSERT INTO appeals (rating_id, filed_at, filed_by, reason, state)
                 SELECT id, '2023-05-02 00:00:00', '乌海市公安局', '误评', 'upheld' FROM ratings WHERE rating_no = 'R3'",
                &[],
            )
            .unwrap();
        let bad = t
            .store
            .bad_ratings(&period("2023-01-01", "2023-10-31"), &[Grade::Unsatisfied, Grade::VeryUnsatisfied])
            .unwrap();
        let got: Vec<(&str, Grade, Option<&str>)> = bad
            .iter()
            .map(|b| (b.rating_no.as_str(), b.grade, b.ledger.as_ref().map(|l| l.state.as_str())))
            .collect();
        assert_eq!(got, vec![("R1", Grade::Unsatisfied, Some("closed")), ("R2", Grade::VeryUnsatisfied, Some("claimed"))]);
        assert_eq!(bad[0].region_name, "150303", "regions created from ratings are named by code");
        assert!(bad[0].ledger.as_ref().unwrap().is_closed());
        let only_very = t
            .store
            .bad_ratings(&period("2023-01-01", "2023-10-31"), &[Grade::VeryUnsatisfied])
            .unwrap();
        assert_eq!(only_very.len(), 1);
    }

    supervision_channels_in_the_period(t) {
        let mut s = t.store.begin_import("supervision", "s.csv", "x").unwrap();
        s.skip_ledger_sync(); // the tests place ledger items themselves
        let sup = |c: &str, cat: &str, on: &str, end: Option<&str>| SupervisorRecord {
            code: c.into(),
            name: format!("监督员{c}"),
            category: cat.into(),
            unit: None,
            phone: Some("13800000000".into()),
            appointed_on: day(on),
            term_end: end.map(day),
        };
        s.supervisors(&[
            sup("S1", "党代表", "2022-03-01", None),
            sup("S2", "人大代表", "2022-03-01", Some("2022-12-31")),
            sup("S3", "企业家代表", "2023-12-01", None),
        ])
        .unwrap();
        s.feedback(&[
            FeedbackRecord {
                feedback_no: "F1".into(),
                supervisor: "S1".into(),
                received_on: day("2023-04-01"),
                category: "便民服务".into(),
                method: Some("实地办理".into()),
                content: "海勃湾区政务服务大厅缺少复印打印机".into(),
                department: Some("海勃湾区政务服务中心".into()),
                region: Some(code("150302")),
            },
            FeedbackRecord {
                feedback_no: "F2".into(),
                supervisor: "监督员S1".into(),
                received_on: day("2023-11-01"),
                category: "服务指引".into(),
                method: None,
                content: "期外".into(),
                department: None,
                region: None,
            },
        ])
        .unwrap();
        s.qr_reports(&[QrReportRecord {
            report_no: "Q1".into(),
            received_at: parse_datetime("2023-06-01 10:00:00").unwrap(),
            domain: "政务服务".into(),
            region: Some(code("150304")),
            window: None,
            department: Some("住房公积金中心乌达分中心".into()),
            content: "工作人员服务态度差".into(),
            reporter_name: Some("张三".into()),
            reporter_phone: Some("13812345678".into()),
            closed_at: Some(parse_datetime("2023-06-03 10:00:00").unwrap()),
            handling: Some("已取得投诉人谅解".into()),
        }])
        .unwrap();
        s.assessments(&[AssessmentRecord {
            finding_no: "A1".into(),
            project: "2023年度第三方政务服务评估".into(),
            assessor: Some("某评估公司".into()),
            method: "实地暗访".into(),
            role: Some("申请人".into()),
            assessed_on: day("2023-09-01"),
            department: None,
            region: None,
            indicator: Some("服务满意度".into()),
            score: Some(8.5),
            full_score: Some(10.0),
            finding: "政策宣传力度不足".into(),
            response: Some("开展政策宣传".into()),
        }])
        .unwrap();
        s.commit().unwrap();
        insert_ledger(&mut t.store, "L9", "feedback", "SELECT id FROM supervisor_feedback WHERE feedback_no = 'F1'", "rectified");
        let p = period("2023-01-01", "2023-10-31");
        let sups = t.store.supervisors_in_office(&p).unwrap();
        assert_eq!(sups.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(), vec!["S1"]);
        let fb = t.store.feedback_in(&p).unwrap();
        assert_eq!(fb.len(), 1);
        assert_eq!(fb[0].supervisor_code, "S1");
        assert_eq!(fb[0].ledger.as_ref().map(|l| l.state.as_str()), Some("rectified"));
        let qr = t.store.qr_reports_in(&p).unwrap();
        assert_eq!((qr[0].department.as_deref(), qr[0].ledger.is_none()), (Some("住房公积金中心乌达分中心"), true));
        let f = t.store.findings_in(&p).unwrap();
        assert_eq!((f[0].score, f[0].role.as_deref()), (Some(8.5), Some("申请人")));
    }
}
