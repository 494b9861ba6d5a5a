//! Recomputes every figure of docs/report-figures.md from the generated *records* (what the
//! store receives), independently of how the generator built them, and compares with the
//! seed's printed figures.

use crate::World;
use crate::targets::TARGETS;
use chrono::NaiveDate;
use jianping_core::rate::{format_approx, format_percent_floor, format_wan};
use jianping_core::records::*;
use jianping_core::{Grade, RatePolicy, RegionCode, RegionLevel, ReportTier, TicketKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| World::generate(crate::SEED))
}

fn p1() -> RatePolicy {
    RatePolicy::default().with_precision(1)
}

fn end() -> chrono::NaiveDateTime {
    crate::calendar::at(crate::calendar::date(10, 31), 23, 59, 59)
}

/// The catalog at `d`: each matter's latest state with `as_of <= d`.
fn catalog_at(w: &World, d: NaiveDate) -> Vec<MatterRecord> {
    let mut latest: BTreeMap<String, MatterRecord> = BTreeMap::new();
    for m in w.matters(false).into_iter().chain(w.matters(true)) {
        if m.as_of > d {
            continue;
        }
        match latest.get(&m.code) {
            Some(old) if old.as_of >= m.as_of => {}
            _ => {
                latest.insert(m.code.clone(), m);
            }
        }
    }
    latest.into_values().collect()
}

/// City matters, plus per district base_code the instance with the smallest code.
fn units(catalog: &[MatterRecord]) -> Vec<&MatterRecord> {
    let mut out = Vec::new();
    let mut by_base: BTreeMap<&str, &MatterRecord> = BTreeMap::new();
    for m in catalog {
        match m.region.level() {
            RegionLevel::City => out.push(m),
            RegionLevel::District => {
                let base = m.base_code.as_deref().unwrap_or(&m.code);
                match by_base.get(base) {
                    Some(old) if old.code <= m.code => {}
                    _ => {
                        by_base.insert(base, m);
                    }
                }
            }
            _ => {}
        }
    }
    out.extend(by_base.into_values());
    out
}

fn compression(units: &[&MatterRecord]) -> f64 {
    let parts: Vec<f64> = units
        .iter()
        .filter_map(|m| match (m.legal_limit_days, m.promised_limit_days) {
            (Some(l), Some(p)) if l > 0 => Some(f64::from(l - p.min(l)) / f64::from(l)),
            _ => None,
        })
        .collect();
    parts.iter().sum::<f64>() / parts.len() as f64
}

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

#[test]
fn section_two_catalog_figures() {
    let w = world();
    let t = &TARGETS;
    let before = catalog_at(w, crate::calendar::date(1, 1));
    let after = catalog_at(w, crate::calendar::date(10, 31));
    let (ub, ua) = (units(&before), units(&after));
    assert_eq!(ua.len() as u64, t.units);
    let sectors: HashMap<String, Option<String>> = w
        .departments()
        .into_iter()
        .map(|d| (d.name, d.sector))
        .collect();
    let distinct: BTreeSet<String> = ua
        .iter()
        .map(|m| {
            sectors[&m.department]
                .clone()
                .unwrap_or(m.department.clone())
        })
        .collect();
    assert_eq!(distinct.len() as u64, t.sectors);
    let count = |us: &[&MatterRecord], f: fn(&MatterRecord) -> bool| {
        us.iter().filter(|m| f(m)).count() as u64
    };
    assert_eq!(count(&ub, |m| m.online_full), t.online_before);
    assert_eq!(count(&ua, |m| m.online_full), t.online_after);
    let n = ua.len() as u64;
    for (f, target) in [
        (count(&ua, |m| m.scenario), t.scenario_permille),
        (count(&ua, |m| m.instant), t.instant_permille),
        (count(&ua, |m| m.e_license), t.e_license_permille),
        (count(&ua, |m| m.cert_free), t.cert_free_permille),
    ] {
        assert_eq!(p1().format(f, n), crate::targets::permille_text(target));
    }
    assert_eq!(format!("{:.1}", compression(&ub) * 100.0), "75.5");
    assert_eq!(format!("{:.1}", compression(&ua) * 100.0), "85.2");
    for (c, target) in [(compression(&ub), 0.755), (compression(&ua), 0.852)] {
        assert!(
            (c - target).abs() < 4e-4,
            "compression {c} far from {target}"
        );
    }

    // 延时服务 and 免证办 count instances of every level.
    let ext = after.iter().filter(|m| m.extended_hours).count() as u64;
    assert_eq!(ext, t.extended_matters);
    assert_eq!(format_percent_floor(ext, after.len() as u64), "98%以上");
    let in_tree = |m: &MatterRecord, d: &str| m.region.within(&code(d));
    let hb = after
        .iter()
        .filter(|m| m.extended_hours && in_tree(m, "150302"))
        .count();
    assert_eq!(hb as u64, t.highlight_extended_matters);
    let city_cf = after
        .iter()
        .filter(|m| m.cert_free && m.region.level() == RegionLevel::City)
        .count();
    assert_eq!(city_cf as u64, t.cert_free_city);
    for (d, n) in t.cert_free_districts {
        let cf = after
            .iter()
            .filter(|m| m.cert_free && in_tree(m, d))
            .count();
        assert_eq!(cf as u64, n, "免证办 in {d}");
    }
}

#[test]
fn section_two_centre_halls_windows_staff() {
    let w = world();
    let t = &TARGETS;
    let halls = w.halls();
    let centres: Vec<&HallRecord> = halls
        .iter()
        .filter(|h| {
            h.kind.as_deref() == Some("政务服务中心") && h.region.level() == RegionLevel::City
        })
        .collect();
    assert_eq!(centres.len(), 1);
    let centre = &centres[0].name;
    assert_eq!(centre, "乌海市政务服务中心");
    let windows = w.windows();
    let comp = windows
        .iter()
        .filter(|x| x.hall.as_ref() == Some(centre) && x.kind.as_deref() == Some("综合受理"))
        .count();
    assert_eq!(comp as u64, t.center_windows);
    let staff = w
        .staff()
        .into_iter()
        .filter(|s| s.active && s.hall.as_ref() == Some(centre))
        .count();
    assert_eq!(staff as u64, t.center_staff);
    let after = catalog_at(w, crate::calendar::date(10, 31));
    let in_centre: Vec<&MatterRecord> = after
        .iter()
        .filter(|m| m.hall.as_ref() == Some(centre))
        .collect();
    let depts: BTreeSet<&str> = in_centre.iter().map(|m| m.department.as_str()).collect();
    assert_eq!(
        (depts.len() as u64, in_centre.len() as u64),
        (t.center_departments, t.center_matters)
    );
    assert_eq!(
        halls.iter().filter(|h| h.extended_hours).count() as u64,
        t.extended_halls
    );
    assert_eq!(
        windows.iter().filter(|x| x.extended_hours).count() as u64,
        t.extended_windows
    );
    let hb = windows
        .iter()
        .filter(|x| x.extended_hours && x.region.within(&code("150302")))
        .count();
    assert_eq!(hb as u64, t.highlight_extended_windows);
    // Every hall a window names exists, in the window's region.
    let hall_region: HashMap<&str, &RegionCode> =
        halls.iter().map(|h| (h.name.as_str(), &h.region)).collect();
    for x in &windows {
        assert_eq!(
            hall_region[x.hall.as_deref().unwrap()],
            &x.region,
            "{}",
            x.name
        );
    }
}

#[test]
fn section_two_cases() {
    let w = world();
    let t = &TARGETS;
    let cases = w.case_records(0..w.cases.len());
    let n = cases.len() as u64;
    assert_eq!(format_wan(n, 1), "25.6万");
    let done = cases
        .iter()
        .filter(|c| c.completed_at.is_some_and(|d| d <= end()))
        .count() as u64;
    assert_eq!(
        p1().format(done, n),
        crate::targets::permille_text(t.completion_permille)
    );
    let ext: Vec<&CaseRecord> = cases.iter().filter(|c| c.extended).collect();
    assert_eq!(format_approx(ext.len() as u64), "7000余");
    let per_district: Vec<(usize, &str)> = ["150302", "150303", "150304"]
        .iter()
        .map(|d| (ext.iter().filter(|c| c.region.within(&code(d))).count(), *d))
        .collect();
    let top = per_district.iter().max().unwrap();
    assert_eq!(top.1, t.highlight_district);
    assert_eq!(top.0 as u64, t.highlight_extended_cases);
    assert!(
        per_district.iter().filter(|(n, _)| *n == top.0).count() == 1,
        "a unique leader"
    );
    assert!(cases.iter().any(|c| c.assisted));
    let packages: BTreeSet<&str> = cases.iter().filter_map(|c| c.package.as_deref()).collect();
    assert!(
        packages.contains("开办餐饮店") && packages.contains("退休“一件事”"),
        "{packages:?}"
    );
    for c in &cases {
        assert!(c.accepted_at >= crate::calendar::at(crate::calendar::date(1, 1), 0, 0, 0));
        assert!(c.accepted_at <= end());
        if let Some(d) = c.completed_at {
            assert!(d >= c.accepted_at && d <= end(), "{}", c.case_no);
        }
    }
    let nos: BTreeSet<&str> = cases.iter().map(|c| c.case_no.as_str()).collect();
    assert_eq!(nos.len(), cases.len(), "case numbers are unique");
}

#[test]
fn section_four_ratings() {
    let w = world();
    let ratings = w.rating_records(0..w.ratings.len());
    let cases: HashMap<String, CaseRecord> = w
        .case_records(0..w.cases.len())
        .into_iter()
        .map(|c| (c.case_no.clone(), c))
        .collect();
    let mut tiers: BTreeMap<ReportTier, [u64; 5]> = BTreeMap::new();
    let mut months = BTreeSet::new();
    let mut channels = BTreeMap::new();
    for r in &ratings {
        tiers.entry(ReportTier::of(r.region.level())).or_default()[r.grade.index()] += 1;
        let c = &cases[r.case_no.as_deref().unwrap()];
        assert!(
            c.completed_at.is_some_and(|d| d <= r.rated_at),
            "{} before completion",
            r.rating_no
        );
        assert!(r.rated_at <= end());
        assert_eq!((&c.department, &c.region), (&r.department, &r.region));
        months.insert(r.rated_at.format("%m").to_string());
        *channels.entry(r.channel).or_insert(0u64) += 1;
        assert!(r.rater_name.is_some() == r.rater_phone.is_some());
    }
    let t = &TARGETS;
    assert_eq!(tiers[&ReportTier::CityLevel], t.ratings_city);
    assert_eq!(tiers[&ReportTier::DistrictLevel], t.ratings_district);
    assert_eq!(tiers[&ReportTier::Grassroots], t.ratings_grassroots);
    assert_eq!(months.len(), 10, "{months:?}");
    let pad =
        channels[&jianping_core::Channel::HallPad] + channels[&jianping_core::Channel::Mobile];
    assert!(pad * 100 / ratings.len() as u64 >= 75, "{channels:?}");
    let bad: Vec<&RatingRecord> = ratings
        .iter()
        .filter(|r| r.grade == Grade::Unsatisfied)
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].department, "海南区人力资源和社会保障局");
    assert!(
        bad[0]
            .comment
            .as_deref()
            .is_some_and(|c| c.contains("材料样本"))
    );
    let basic_commented = ratings
        .iter()
        .filter(|r| r.grade == Grade::Basic && r.comment.is_some())
        .count();
    assert!(basic_commented > 50);
    let nos: BTreeSet<&str> = ratings.iter().map(|r| r.rating_no.as_str()).collect();
    assert_eq!(nos.len(), ratings.len());
}

#[test]
fn other_channels() {
    let w = world();
    let t = &TARGETS;
    let mut kinds: BTreeMap<&str, u64> = BTreeMap::new();
    for x in &w.tickets {
        *kinds.entry(x.kind.name()).or_default() += 1;
        let (due, closed) = (x.due_at.unwrap(), x.closed_at.unwrap());
        assert!(closed <= due && due <= end() && x.resolved == Some(true));
        assert!(x.revisit_result.is_some_and(|r| r.is_satisfied()));
    }
    for (k, n) in t.tickets {
        assert_eq!(kinds[TicketKind::parse(k).unwrap().name()], n, "{k}");
    }
    assert_eq!(w.supervisors.len() as u64, t.supervisors);
    assert!(
        w.supervisors
            .iter()
            .all(|s| s.appointed_on.format("%Y").to_string() == "2022")
    );
    let cats: BTreeSet<&str> = w.supervisors.iter().map(|s| s.category.as_str()).collect();
    assert_eq!(cats.len(), 5);
    assert_eq!(w.feedback.len() as u64, t.feedback_items);
    let fcats: BTreeSet<&str> = w.feedback.iter().map(|f| f.category.as_str()).collect();
    assert_eq!(
        fcats,
        BTreeSet::from(["便民服务", "事项办理体验", "服务指引", "移动端和网站建设"])
    );
    assert_eq!(w.qr_reports.len() as u64, t.qr_reports);
    assert!(
        w.qr_reports
            .iter()
            .all(|q| q.closed_at.is_some_and(|c| c <= end()))
    );
    let service = w
        .qr_reports
        .iter()
        .filter(|q| q.domain == "政务服务")
        .count();
    assert_eq!(service as u64, t.qr_reports_service);
    let findings: Vec<&AssessmentRecord> =
        w.assessments.iter().filter(|a| a.score.is_none()).collect();
    assert_eq!(findings.len(), 3);
    assert!(findings.iter().all(|f| f.response.is_some()));
    let stat = |k: &str| w.reported_stats.iter().find(|s| s.key == k).unwrap().value as u64;
    assert_eq!(stat("msb.featured_apps"), 395);
    assert_eq!(stat("msb.mini_programs"), 161);
    assert_eq!(format_wan(stat("msb.registered_users"), 2), "29.19万");
    assert_eq!(
        p1().format(stat("msb.registered_users"), stat("population")),
        "52.5%"
    );
    assert_eq!(format_wan(stat("msb.visits"), 0), "1085万");
}

#[test]
fn generation_is_deterministic() {
    let a = World::generate(crate::SEED);
    let w = world();
    assert_eq!(a.case_records(0..500), w.case_records(0..500));
    let last = w.ratings.len();
    assert_eq!(
        a.rating_records(last - 500..last),
        w.rating_records(last - 500..last)
    );
    assert_eq!(a.matters(true), w.matters(true));
    assert_eq!(a.tickets, w.tickets);
}
