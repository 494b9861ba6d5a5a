//! Third-party scores per indicator and department: the assessment scored each department's
//! hall (服务舒适度) and its windows' conduct (窗口不规范行为) by mystery shopping, and its
//! applicants' satisfaction by phone (服务满意度). Score rows carry no finding text, so the
//! report's section 七 does not list them and they raise no ledger item; they feed the
//! indicator system. Drawn from their own stream: no other row changes.

use crate::calendar::date;
use crate::channels::{ASSESSOR, PROJECT};
use crate::org::Org;
use chrono::Duration;
use fastrand::Rng;
use jianping_core::records::AssessmentRecord;

/// The department the supervisors found wanting at its retirement window.
const ATTITUDE_DEPT: &str = "乌海市人力资源和社会保障局";
/// The district whose hall lacks a copier (the supervisors' 便民服务 item).
const NO_COPIER_DISTRICT: &str = "海勃湾区";

/// (indicator, method, role, base score out of 100, spread).
const SCORED: [(&str, &str, &str, u32, u32); 3] = [
    ("服务舒适度", "实地暗访", "旁观者", 90, 5),
    ("窗口不规范行为", "实地暗访", "申请人", 92, 6),
    ("服务满意度", "电话调研", "申请人", 95, 4),
];

/// The hall where a department has most windows.
fn main_hall(org: &Org, dept: usize) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for w in org.windows.iter().filter(|w| w.dept == dept) {
        match counts.iter_mut().find(|(h, _)| *h == w.hall) {
            Some((_, n)) => *n += 1,
            None => counts.push((w.hall, 1)),
        }
    }
    // Most windows first; the earlier hall on a tie.
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(h, _)| *h)
}

fn base(org: &Org, dept: usize, hall: usize, indicator: &str, default: u32) -> u32 {
    let h = &org.halls[hall];
    match indicator {
        "服务舒适度" if h.name.starts_with(NO_COPIER_DISTRICT) => default - 8,
        "服务舒适度" if h.kind == "政务服务中心" => default + 3,
        "服务舒适度" => default - 3,
        "窗口不规范行为" if org.depts[dept].name == ATTITUDE_DEPT => default - 14,
        _ => default,
    }
}

/// One score row per indicator for every department that has a window, dated after the
/// findings (September), in department order.
pub fn indicator_scores(rng: &mut Rng, org: &Org) -> Vec<AssessmentRecord> {
    let mut out = Vec::new();
    for dept in 0..org.depts.len() {
        let Some(hall) = main_hall(org, dept) else {
            continue;
        };
        for (indicator, method, role, default, spread) in SCORED {
            let b = base(org, dept, hall, indicator, default);
            let score = (b + rng.u32(0..=2 * spread))
                .saturating_sub(spread)
                .min(100);
            out.push(AssessmentRecord {
                finding_no: format!("PG2023-S{:04}", out.len() + 1),
                project: PROJECT.into(),
                assessor: Some(ASSESSOR.into()),
                method: method.into(),
                role: Some(role.into()),
                assessed_on: date(9, 1) + Duration::days((out.len() / 12) as i64 % 40),
                department: Some(org.depts[dept].name.clone()),
                region: Some(org.region_code(org.halls[hall].region).clone()),
                indicator: Some(indicator.into()),
                score: Some(f64::from(score)),
                full_score: Some(100.0),
                finding: String::new(),
                response: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::TARGETS;

    #[test]
    fn every_department_with_a_window_is_scored_three_times_without_findings() {
        let org = crate::org::build(&mut Rng::with_seed(crate::SEED), &TARGETS);
        let rows = indicator_scores(&mut Rng::with_seed(7), &org);
        let with_window = (0..org.depts.len())
            .filter(|d| org.windows.iter().any(|w| w.dept == *d))
            .count();
        assert_eq!(rows.len(), 3 * with_window);
        assert!(
            rows.iter()
                .all(|r| r.finding.is_empty() && r.response.is_none())
        );
        assert!(rows.iter().all(|r| {
            let s = r.score.unwrap_or(-1.0);
            (0.0..=100.0).contains(&s) && r.full_score == Some(100.0)
        }));
        // After the three findings (the last on 08-27), so section 七 lists the methods and
        // roles in the seed's order, and before the period's end.
        assert!(
            rows.iter()
                .all(|r| r.assessed_on >= date(9, 1) && r.assessed_on <= date(10, 31))
        );
        let mean = |indicator: &str, hall_prefix: &str| {
            let xs: Vec<f64> = rows
                .iter()
                .filter(|r| r.indicator.as_deref() == Some(indicator))
                .filter(|r| {
                    let d = org
                        .depts
                        .iter()
                        .position(|d| Some(&d.name) == r.department.as_ref());
                    d.and_then(|d| main_hall(&org, d))
                        .is_some_and(|h| org.halls[h].name.starts_with(hall_prefix))
                })
                .filter_map(|r| r.score)
                .collect();
            xs.iter().sum::<f64>() / xs.len() as f64
        };
        assert!(mean("服务舒适度", NO_COPIER_DISTRICT) < mean("服务舒适度", "乌达区"));
        let hr = rows
            .iter()
            .find(|r| {
                r.department.as_deref() == Some(ATTITUDE_DEPT)
                    && r.indicator.as_deref() == Some("窗口不规范行为")
            })
            .and_then(|r| r.score)
            .unwrap();
        assert!(hr <= 84.0, "{hr}");
    }
}
