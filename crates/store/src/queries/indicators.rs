//! The inputs of the indicator system (`jianping_core::indicators`), per department and per
//! region unit of a city, for a period: cases, packages, ratings (from the rollups, so upheld
//! appeals are already out), ratings of assisted cases, the catalog at both ends, tagged
//! supervision records, third-party scores and overdue ledger items.

use crate::backend::RowExt;
use crate::cube::RatingCube;
use crate::{Store, StoreError};
use jianping_core::indicators::{Evidence, IndicatorKey, InputSet, TagRules};
use jianping_core::time::fmt_date;
use jianping_core::{Grade, GradeCodes, Period, RegionCode, RegionLevel};

/// A third-party score row without 满分 is read as out of 100.
pub const DEFAULT_FULL_SCORE: f64 = 100.0;

fn code(text: &str) -> Option<RegionCode> {
    RegionCode::parse(text).ok()
}

fn count(r: &crate::Row, i: usize) -> u64 {
    u64::try_from(r.int(i)).unwrap_or(0)
}

fn evidence(source: &str, number: &str, date: &str) -> Evidence {
    Evidence {
        source: source.into(),
        number: number.into(),
        date: date.chars().take(10).collect(),
    }
}

impl Store {
    /// Every department and region unit of `city` with its inputs over `period`.
    pub fn indicator_inputs(
        &mut self,
        period: &Period,
        city: &RegionCode,
        rules: &TagRules,
    ) -> Result<InputSet, StoreError> {
        let cube = self.rating_cube(period)?;
        self.indicator_inputs_from(period, city, rules, &cube)
    }

    /// [`Store::indicator_inputs`] with the period's rating counts taken from `cube`.
    pub fn indicator_inputs_from(
        &mut self,
        period: &Period,
        city: &RegionCode,
        rules: &TagRules,
        cube: &RatingCube,
    ) -> Result<InputSet, StoreError> {
        let regions = self.regions()?;
        let city_name = regions
            .iter()
            .find(|r| &r.code == city)
            .map_or_else(|| city.to_string(), |r| r.name.clone());
        let districts: Vec<(RegionCode, String)> = regions
            .iter()
            .filter(|r| r.code.level() == RegionLevel::District)
            .map(|r| (r.code.clone(), r.name.clone()))
            .collect();
        let departments = self.backend().query(
            "SELECT d.name, d.code, g.code FROM departments d
             LEFT JOIN regions g ON g.id = d.region_id ORDER BY d.name",
            &[],
        )?;
        let departments: Vec<(String, Option<String>, Option<RegionCode>)> = departments
            .iter()
            .map(|r| {
                (
                    r.text(0),
                    r.opt_text(1),
                    r.opt_text(2).and_then(|c| code(&c)),
                )
            })
            .collect();
        let mut set = InputSet::new(city.clone(), &city_name, &districts, &departments);
        self.add_cases(period, &mut set)?;
        self.add_ratings(period, &mut set, cube)?;
        let start = self.catalog_at(period.from)?;
        let end = self.catalog_at(period.to)?;
        set.set_catalog(&start, &end);
        self.add_supervision(period, rules, &mut set)?;
        self.add_third_party(period, rules, &mut set)?;
        self.add_overdue(period, &mut set)?;
        Ok(set)
    }

    fn add_cases(&mut self, period: &Period, set: &mut InputSet) -> Result<(), StoreError> {
        let end = period.end_ts();
        let rows = self.backend().query(
            "SELECT d.name, g.code, COUNT(*),
                    CAST(SUM(CASE WHEN c.completed_at IS NOT NULL AND c.completed_at <= ? THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN c.extended <> 0 THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN c.assisted <> 0 THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN c.package_id IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT)
             FROM cases c
             JOIN departments d ON d.id = c.department_id
             JOIN regions g ON g.id = c.region_id
             WHERE c.accepted_at >= ? AND c.accepted_at <= ?
             GROUP BY d.name, g.code",
            &[end.as_str().into(), period.start_ts().into(), end.as_str().into()],
        )?;
        for r in &rows {
            let n = [2, 3, 4, 5, 6].map(|i| count(r, i));
            set.add(Some(&r.text(0)), code(&r.text(1)).as_ref(), n[0], |u| {
                let c = &mut u.cases;
                c.accepted += n[0];
                c.completed += n[1];
                c.extended += n[2];
                c.assisted += n[3];
                c.in_package += n[4];
            });
        }
        let rows = self.backend().query(
            "SELECT DISTINCT d.name, g.code, p.name
             FROM cases c
             JOIN packages p ON p.id = c.package_id
             JOIN departments d ON d.id = c.department_id
             JOIN regions g ON g.id = c.region_id
             WHERE c.accepted_at >= ? AND c.accepted_at <= ?",
            &[period.start_ts().into(), end.as_str().into()],
        )?;
        for r in &rows {
            let package = r.text(2);
            set.add(Some(&r.text(0)), code(&r.text(1)).as_ref(), 0, |u| {
                u.packages.insert(package.clone());
            });
        }
        Ok(())
    }

    /// Ratings from the rollups; ratings of assisted cases from the facts (joined to their
    /// case by 办件编号), upheld appeals excluded in both.
    fn add_ratings(
        &mut self,
        period: &Period,
        set: &mut InputSet,
        cube: &RatingCube,
    ) -> Result<(), StoreError> {
        for (department, region, grade, n) in cube.by_department_region() {
            let region = code(region);
            set.add(Some(department), region.as_ref(), n, |u| {
                u.ratings.add(grade, n);
            });
        }
        let rows = self.backend().query(
            // From the (few) assisted cases to their ratings by ratings_case_no; CROSS JOIN
            // keeps SQLite from scanning every rating of the period instead.
            "SELECT d.name, g.code, r.grade, COUNT(*)
             FROM cases c
             CROSS JOIN ratings r
             JOIN departments d ON d.id = r.department_id
             JOIN regions g ON g.id = r.region_id
             WHERE c.assisted <> 0 AND r.case_no = c.case_no
               AND r.rated_at >= ? AND r.rated_at <= ?
               AND NOT EXISTS (SELECT 1 FROM appeals a WHERE a.rating_id = r.id AND a.state = 'upheld')
             GROUP BY d.name, g.code, r.grade",
            &[period.start_ts().into(), period.end_ts().into()],
        )?;
        for r in &rows {
            let Some(grade) = Grade::from_code(r.int(2), GradeCodes::Gbt39046) else {
                continue;
            };
            let n = count(r, 3);
            set.add(Some(&r.text(0)), code(&r.text(1)).as_ref(), 0, |u| {
                u.assisted_ratings.add(grade, n);
            });
        }
        Ok(())
    }

    /// Supervisor feedback and QR complaints tagged as irregularities or facility problems.
    fn add_supervision(
        &mut self,
        period: &Period,
        rules: &TagRules,
        set: &mut InputSet,
    ) -> Result<(), StoreError> {
        for f in self.feedback_in(period)? {
            let e = evidence("feedback", &f.feedback_no, &f.received_on);
            let irregular = rules.irregular.feedback(&f.category, &f.content);
            let facility = rules.facility.feedback(&f.category, &f.content);
            tag(
                set,
                f.department.as_deref(),
                f.region.as_ref(),
                &e,
                irregular,
                facility,
            );
        }
        for q in self.qr_reports_in(period)? {
            let e = evidence("qr_report", &q.report_no, &q.received_at);
            let irregular = rules.irregular.qr_report(&q.domain, &q.content);
            let facility = rules.facility.qr_report(&q.domain, &q.content);
            tag(
                set,
                q.department.as_deref(),
                q.region.as_ref(),
                &e,
                irregular,
                facility,
            );
        }
        Ok(())
    }

    /// Third-party rows: a row with a score feeds its indicator's third-party part; a row
    /// without one is a finding, tagged like the other channels' records.
    fn add_third_party(
        &mut self,
        period: &Period,
        rules: &TagRules,
        set: &mut InputSet,
    ) -> Result<(), StoreError> {
        for a in self.findings_in(period)? {
            let (dept, region) = (a.department.as_deref(), a.region.as_ref());
            match a.score {
                Some(score) => {
                    let name = a.indicator.clone().unwrap_or_default();
                    let Some(key) = IndicatorKey::parse(&name) else {
                        *set.unknown_indicators.entry(name).or_default() += 1;
                        continue;
                    };
                    let full = a.full_score.unwrap_or(DEFAULT_FULL_SCORE);
                    let no = a.finding_no.clone();
                    set.add(dept, region, 1, |u| {
                        u.third_party.entry(key).or_default().add(&no, score, full);
                    });
                }
                None if a.finding.trim().is_empty() => {}
                None => {
                    let e = evidence("assessment", &a.finding_no, &a.assessed_on);
                    let ind = a.indicator.as_deref();
                    let irregular = rules.finding(IndicatorKey::Irregularity, ind, &a.finding);
                    let facility = rules.finding(IndicatorKey::Comfort, ind, &a.finding);
                    tag(set, dept, region, &e, irregular, facility);
                }
            }
        }
        Ok(())
    }

    /// Ledger items due in the period and not rectified by the end of their due date (items
    /// closed because an appeal was upheld were no problem).
    fn add_overdue(&mut self, period: &Period, set: &mut InputSet) -> Result<(), StoreError> {
        let rows = self.backend().query(
            "SELECT li.item_no, d.name, li.due_on
             FROM ledger_items li
             LEFT JOIN departments d ON d.id = li.department_id
             WHERE li.due_on >= ? AND li.due_on <= ?
               AND COALESCE(li.resolution, '') <> 'appeal_upheld'
               AND (COALESCE(li.rectified_at, li.closed_at) IS NULL
                    OR COALESCE(li.rectified_at, li.closed_at) > li.due_on || ' 23:59:59')
             ORDER BY li.due_on, li.item_no",
            &[fmt_date(&period.from).into(), fmt_date(&period.to).into()],
        )?;
        for r in &rows {
            let e = evidence("ledger", &r.text(0), &r.text(2));
            set.add(r.opt_text(1).as_deref(), None, 1, |u| {
                u.overdue_rectifications.push(e.clone());
            });
        }
        Ok(())
    }
}

fn tag(
    set: &mut InputSet,
    department: Option<&str>,
    region: Option<&RegionCode>,
    e: &Evidence,
    irregular: bool,
    facility: bool,
) {
    if !irregular && !facility {
        return;
    }
    set.add(department, region, 1, |u| {
        if irregular {
            u.irregularities.push(e.clone());
        }
        if facility {
            u.facility_issues.push(e.clone());
        }
    });
}
