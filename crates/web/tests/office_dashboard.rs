//! The dashboard: its figures are the store's own for a hand-built month (ratings counted
//! here as they are seeded, rates by the bureau's policy), restricted to the own
//! department for a clerk and to the own items for a supervisor.

mod common;
mod office_city;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{Session, spawn_app};
use jianping_core::access::Principal;
use jianping_core::ledger::State;
use jianping_core::records::RatingRecord;
use jianping_core::{Channel, Grade, GradeCounts, GradeSets, RatePolicy, RegionCode};
use jianping_store::Store;
use jianping_store::ledger::LedgerFilter;
use office_city::{DEPT_A, DEPT_B, seed_city};

const ON: &str = "2024-05-15";

/// (department, region, grade, day) of every rating seeded on top of the example city.
fn seeded() -> Vec<(&'static str, &'static str, Grade, &'static str)> {
    use Grade::*;
    vec![
        (DEPT_A, "150303", VerySatisfied, "2024-05-15"),
        (DEPT_A, "150303", VerySatisfied, "2024-05-15"),
        (DEPT_A, "150303", Satisfied, "2024-05-15"),
        (DEPT_A, "150303", Unsatisfied, "2024-05-15"),
        (DEPT_A, "150303", Basic, "2024-05-03"),
        (DEPT_A, "150303", Basic, "2024-05-03"),
        (DEPT_B, "150300", VerySatisfied, "2024-05-15"),
        (DEPT_B, "150300", VerySatisfied, "2024-05-02"),
        (DEPT_B, "150300", VeryUnsatisfied, "2024-04-20"),
    ]
}

fn seed(s: &mut Store) {
    seed_city(s);
    let records: Vec<RatingRecord> = seeded()
        .into_iter()
        .enumerate()
        .map(|(i, (dept, region, grade, day))| RatingRecord {
            rating_no: format!("DASH{i:04}"),
            case_no: None,
            matter_code: None,
            matter_name: None,
            department: dept.into(),
            window: None,
            staff: None,
            region: RegionCode::parse(region).unwrap(),
            channel: if i % 2 == 0 {
                Channel::HallPad
            } else {
                Channel::Mobile
            },
            grade,
            rated_at: NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(10, 0, i as u32)
                .unwrap(),
            attempt: 1,
            tags: None,
            comment: None,
            rater_name: None,
            rater_phone: None,
            device: None,
            address: None,
            account: None,
        })
        .collect();
    let mut session = s.begin_import("ratings", "dashboard-test", "-").unwrap();
    session.ratings(&records).unwrap();
    session.commit().unwrap();
    let sup = s.supervisor_by_code("JDY2022001").unwrap();
    let now = chrono::Local::now().naive_local();
    jianping_app::accounts::create_user(
        s,
        &jianping_app::accounts::UserRequest {
            username: "sup".into(),
            display_name: "sup姓名".into(),
            role: jianping_core::access::UserRole::Supervisor,
            department_id: None,
            supervisor_id: Some(sup),
            password: common::PASSWORD.into(),
        },
        now,
    )
    .unwrap();
}

/// Counts of the seeded ratings that `keep` selects.
fn count(keep: impl Fn(&str, &str) -> bool) -> GradeCounts {
    let mut c = GradeCounts::default();
    for (dept, _, g, day) in seeded() {
        if keep(dept, day) {
            c.add(g, 1);
        }
    }
    c
}

fn figure<'a>(html: &'a str, name: &str) -> &'a str {
    let key = format!("data-figure=\"{name}\">");
    let at = html
        .find(&key)
        .unwrap_or_else(|| panic!("no figure {name}: {html}"))
        + key.len();
    &html[at..at + html[at..].find('<').unwrap()]
}

fn assert_card(html: &str, span: &str, c: &GradeCounts) {
    let p = RatePolicy::default();
    let s = GradeSets::default().summarize(c, &p);
    assert_eq!(
        figure(html, &format!("{span}-total")),
        s.total.to_string(),
        "{span}"
    );
    assert_eq!(
        figure(html, &format!("{span}-very")),
        s.very_satisfied_rate.printed,
        "{span}"
    );
    assert_eq!(
        figure(html, &format!("{span}-satisfied")),
        s.satisfied_rate.printed,
        "{span}"
    );
    assert_eq!(
        figure(html, &format!("{span}-bad")),
        s.bad.to_string(),
        "{span}"
    );
}

both_backends! {
    the_figures_are_the_seeded_ratings_and_the_stores_own(backend) {
        let app = spawn_app(backend, seed).await;
        let leader = app.login("leader").await;
        let r = app.get(&format!("/office?on={ON}"), &leader).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let html = r.text();
        // The example city has no ratings in 2024: the month is exactly what was seeded.
        let today = count(|_, d| d == ON);
        let month = count(|_, d| d.starts_with("2024-05"));
        assert_card(&html, "今日", &today);
        assert_card(&html, "本月", &month);
        // The store's own figures for the month agree.
        let period = jianping_core::Period::month(2024, 5).unwrap();
        let stored = app.state().db(move |s| Ok(s.rating_counts(&period, jianping_store::queries::RatingGroup::Total)?)).await.unwrap();
        assert_eq!(stored[0].counts, month);
        assert!(html.contains("<svg"), "charts are inline SVG");
        assert!(html.contains(DEPT_A) && html.contains(DEPT_B), "the ranking names both");
        // B (2 of 2 satisfied this month) ranks above A (5 of 6).
        assert!(html.rfind(DEPT_B).unwrap() < html.rfind(DEPT_A).unwrap());

        // Ledger figures: the store's own list, as of the same day.
        let on = NaiveDate::parse_from_str(ON, "%Y-%m-%d").unwrap();
        let (open, overdue) = app.state().db(move |s| {
            let admin = Principal::admin("t");
            let all = s.ledger_items(&admin, &LedgerFilter::default(), on)?;
            let overdue = s.ledger_items(&admin, &LedgerFilter { overdue: true, ..Default::default() }, on)?;
            Ok((all.iter().filter(|i| i.state != State::Closed).count(), overdue.len()))
        }).await.unwrap();
        assert_eq!(figure(&html, "open"), open.to_string());
        assert_eq!(figure(&html, "overdue"), overdue.to_string());
        assert!(overdue > 0, "the example city's 2023 items are overdue in 2024");
    }

    a_clerk_sees_the_own_department_and_a_supervisor_the_own_items(backend) {
        let app = spawn_app(backend, seed).await;
        let clerk = app.login("clerk_a").await;
        let html = app.get(&format!("/office?on={ON}"), &clerk).await.text();
        assert_card(&html, "今日", &count(|dep, d| dep == DEPT_A && d == ON));
        assert_card(&html, "本月", &count(|dep, d| dep == DEPT_A && d.starts_with("2024-05")));
        assert!(!html.contains(DEPT_B), "no other department in a clerk's ranking");

        let sup = app.login("sup").await;
        let html = app.get(&format!("/office?on={ON}"), &sup).await.text();
        assert!(!html.contains("data-figure=\"今日-total\""), "no rating figures for a supervisor");
        assert!(html.contains("data-figure=\"open\""));

        let auditor = app.login("auditor").await;
        let r = app.get(&format!("/office?on={ON}"), &auditor).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("/office/audit") && !r.text().contains("data-figure"), "no figures for an auditor");
        let r = app.get("/office?on=2024-13-01", &clerk).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let r = app.get("/office", &Session::default()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().unwrap().starts_with("/login"));
    }
}
