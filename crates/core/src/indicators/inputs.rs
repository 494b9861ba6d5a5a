//! The data an indicator score is computed from, per unit (a department or a region), and
//! the set of units a city has. The store fills an [`InputSet`]; the formulas read it.
//!
//! A fact belongs to its department's unit and to the region unit of the fact's own region
//! (the department's region when the fact has none). Region units are 市本级 (the city-level
//! region itself) and each district's subtree; facts outside the city are left out and
//! counted.

use super::IndicatorKey;
use crate::catalog::{CatalogEntry, LimitCompression};
use crate::grade::GradeCounts;
use crate::region::{RegionCode, RegionLevel};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Cases accepted in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseInputs {
    pub accepted: u64,
    /// Completed by the end of the period.
    pub completed: u64,
    /// Handled in extended hours (延时服务).
    pub extended: u64,
    /// Handled with assistance (帮办代办).
    pub assisted: u64,
    /// Handled through a 一件事一次办 package.
    pub in_package: u64,
}

/// Matter instances of a catalog and their flags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterCounts {
    pub instances: u64,
    pub online_full: u64,
    pub instant: u64,
    pub scenario: u64,
    pub e_license: u64,
    pub cert_free: u64,
    pub extended_hours: u64,
    pub compression: LimitCompression,
}

impl MatterCounts {
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a CatalogEntry>) -> MatterCounts {
        let entries: Vec<&CatalogEntry> = entries.into_iter().collect();
        let count = |f: fn(&CatalogEntry) -> bool| entries.iter().filter(|e| f(e)).count() as u64;
        MatterCounts {
            instances: entries.len() as u64,
            online_full: count(|e| e.online_full),
            instant: count(|e| e.instant),
            scenario: count(|e| e.scenario),
            e_license: count(|e| e.e_license),
            cert_free: count(|e| e.cert_free),
            extended_hours: count(|e| e.extended_hours),
            compression: LimitCompression::of(entries.iter().copied()),
        }
    }
}

/// Third-party score rows for one indicator: each row's score / full score, averaged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ThirdPartyScores {
    pub rows: u64,
    /// Σ score / full score.
    pub ratio_sum: f64,
    /// The rows' numbers (问题编号), for the evidence.
    pub numbers: Vec<String>,
}

impl ThirdPartyScores {
    pub fn add(&mut self, number: &str, score: f64, full: f64) {
        if full > 0.0 {
            self.rows += 1;
            self.ratio_sum += (score / full).clamp(0.0, 1.0);
            self.numbers.push(number.to_string());
        }
    }

    pub fn mean(&self) -> Option<f64> {
        (self.rows > 0).then(|| self.ratio_sum / self.rows as f64)
    }
}

/// A record behind a count: where it comes from and its number, never its personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// `feedback`, `qr_report`, `assessment` or `ledger`.
    pub source: String,
    pub number: String,
    pub date: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitInputs {
    pub cases: CaseInputs,
    /// 一件事一次办 packages with cases in the period.
    pub packages: BTreeSet<String>,
    /// Ratings in the period, upheld appeals excluded.
    pub ratings: GradeCounts,
    /// Ratings of assisted cases.
    pub assisted_ratings: GradeCounts,
    /// The unit's matter instances at the start and at the end of the period.
    pub matters_start: MatterCounts,
    pub matters_end: MatterCounts,
    pub irregularities: Vec<Evidence>,
    pub facility_issues: Vec<Evidence>,
    pub third_party: BTreeMap<IndicatorKey, ThirdPartyScores>,
    /// Ledger items due in the period and not rectified by their due date.
    pub overdue_rectifications: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Department,
    Region,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub kind: UnitKind,
    pub name: String,
    /// The department's code, or the region's code.
    pub code: Option<String>,
    /// Where the unit belongs: its region group (市本级 or a district) for a department, its
    /// level (市本级, 区县) for a region.
    pub region: String,
    pub inputs: UnitInputs,
}

/// 市本级 as a region unit's and a group's name.
pub const CITY_LEVEL: &str = "市本级";

/// Every department and region unit of a city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputSet {
    pub city: RegionCode,
    pub city_name: String,
    pub departments: Vec<Unit>,
    /// 市本级, then the districts in code order.
    pub regions: Vec<Unit>,
    /// The whole city: every fact and matter instance inside it, whatever unit it is in.
    pub total: Unit,
    /// Facts whose region lies outside the city, left out.
    pub outside: u64,
    /// Third-party score rows naming no known indicator, per name.
    pub unknown_indicators: BTreeMap<String, u64>,
    #[serde(skip)]
    index: Index,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Index {
    department: HashMap<String, usize>,
    /// The region group (index into `regions`) of each department.
    department_region: HashMap<String, Option<usize>>,
    district: HashMap<String, usize>,
}

impl InputSet {
    /// `districts` are (code, name) of the city's districts; `departments` are (name, code,
    /// region). Departments whose region lies outside the city are not units.
    pub fn new(
        city: RegionCode,
        city_name: &str,
        districts: &[(RegionCode, String)],
        departments: &[(String, Option<String>, Option<RegionCode>)],
    ) -> InputSet {
        let mut regions = vec![region_unit(CITY_LEVEL, &city, CITY_LEVEL)];
        let mut index = Index::default();
        let mut ds: Vec<&(RegionCode, String)> = districts
            .iter()
            .filter(|(c, _)| c.level() == RegionLevel::District && c.within(&city))
            .collect();
        ds.sort_by(|a, b| a.0.cmp(&b.0));
        for (code, name) in ds {
            index
                .district
                .insert(code.as_str().to_string(), regions.len());
            regions.push(region_unit(name, code, "区（县）"));
        }
        let total = region_unit("全市", &city, "全市");
        let mut set = InputSet {
            city,
            city_name: city_name.to_string(),
            departments: Vec::new(),
            regions,
            total,
            outside: 0,
            unknown_indicators: BTreeMap::new(),
            index,
        };
        for (name, code, region) in departments {
            let group = match region {
                Some(r) if !r.within(&set.city) => continue,
                Some(r) => set.group_of(r),
                None => None,
            };
            let label = group.map_or("未登记区域".to_string(), |g| {
                set.regions[g].name.clone()
            });
            set.index
                .department
                .insert(name.clone(), set.departments.len());
            set.index.department_region.insert(name.clone(), group);
            set.departments.push(Unit {
                kind: UnitKind::Department,
                name: name.clone(),
                code: code.clone(),
                region: label,
                inputs: UnitInputs::default(),
            });
        }
        set.sort_departments();
        set.reindex();
        set
    }

    /// Departments in the order of their region (市本级, then districts by code), by name.
    fn sort_departments(&mut self) {
        let regions = &self.regions;
        let rank = |d: &Unit| {
            regions
                .iter()
                .position(|r| r.name == d.region)
                .unwrap_or(usize::MAX)
        };
        self.departments
            .sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name)));
    }

    /// The region unit a region code falls in, if inside the city.
    fn group_of(&self, code: &RegionCode) -> Option<usize> {
        if !code.within(&self.city) {
            return None;
        }
        match code.level() {
            RegionLevel::Province | RegionLevel::City => Some(0),
            _ => self.index.district.get(&code.as_str()[..6]).copied(),
        }
    }

    /// Applies `f` to the department's unit and to the region unit of `region` (else of the
    /// department's region) for `facts` records. Records outside the city touch neither and
    /// are counted.
    pub fn add(
        &mut self,
        department: Option<&str>,
        region: Option<&RegionCode>,
        facts: u64,
        f: impl Fn(&mut UnitInputs),
    ) {
        let group = match region {
            Some(r) if !r.within(&self.city) => {
                self.outside += facts;
                return;
            }
            Some(r) => self.group_of(r),
            None => department.and_then(|d| self.index.department_region.get(d).copied().flatten()),
        };
        if let Some(i) = department.and_then(|d| self.index.department.get(d)) {
            f(&mut self.departments[*i].inputs);
        }
        if let Some(g) = group {
            f(&mut self.regions[g].inputs);
            f(&mut self.total.inputs);
        }
    }

    /// The units a department's catalog entry belongs to, like [`InputSet::add`] but
    /// returning indexes, so catalog counts can be built from whole slices.
    pub fn department_index(&self, name: &str) -> Option<usize> {
        self.index.department.get(name).copied()
    }

    pub fn region_index(&self, code: &RegionCode) -> Option<usize> {
        self.group_of(code)
    }

    /// Counts each unit's matter instances in the catalogs at the period's start and end.
    /// Instances outside the city belong to no unit.
    pub fn set_catalog(&mut self, start: &[CatalogEntry], end: &[CatalogEntry]) {
        for (entries, at_end) in [(start, false), (end, true)] {
            let mut depts: Vec<Vec<&CatalogEntry>> = vec![Vec::new(); self.departments.len()];
            let mut regions: Vec<Vec<&CatalogEntry>> = vec![Vec::new(); self.regions.len()];
            for e in entries {
                if let Some(i) = self.department_index(&e.department)
                    && e.region.within(&self.city)
                {
                    depts[i].push(e);
                }
                if let Some(g) = self.group_of(&e.region) {
                    regions[g].push(e);
                }
            }
            let whole: Vec<&CatalogEntry> = regions.iter().flatten().copied().collect();
            let units = self.departments.iter_mut().zip(depts);
            let units = units.chain(self.regions.iter_mut().zip(regions));
            for (u, es) in units.chain(std::iter::once((&mut self.total, whole))) {
                let counts = MatterCounts::of(es);
                if at_end {
                    u.inputs.matters_end = counts;
                } else {
                    u.inputs.matters_start = counts;
                }
            }
        }
    }

    /// Rebuilds the lookup tables after deserializing.
    pub fn reindex(&mut self) {
        let mut index = Index::default();
        for (i, r) in self.regions.iter().enumerate().skip(1) {
            if let Some(c) = &r.code {
                index.district.insert(c.clone(), i);
            }
        }
        self.index = index;
        for (i, d) in self.departments.iter().enumerate() {
            self.index.department.insert(d.name.clone(), i);
            let g = self.regions.iter().position(|r| r.name == d.region);
            self.index.department_region.insert(d.name.clone(), g);
        }
    }
}

fn region_unit(name: &str, code: &RegionCode, level: &str) -> Unit {
    Unit {
        kind: UnitKind::Region,
        name: name.to_string(),
        code: Some(code.as_str().to_string()),
        region: level.to_string(),
        inputs: UnitInputs::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> RegionCode {
        RegionCode::parse(c).unwrap()
    }

    fn set() -> InputSet {
        let districts = vec![
            (code("150303"), "海南区".to_string()),
            (code("150302"), "海勃湾区".to_string()),
            (code("150202"), "外市某区".to_string()),
        ];
        let depts = vec![
            (
                "市人社局".to_string(),
                Some("D1".to_string()),
                Some(code("150300")),
            ),
            ("海勃湾区人社局".to_string(), None, Some(code("150302"))),
            ("外市局".to_string(), None, Some(code("150202"))),
            ("无区划局".to_string(), None, None),
        ];
        InputSet::new(code("150300"), "乌海市", &districts, &depts)
    }

    fn cases(s: &InputSet) -> Vec<(String, u64)> {
        s.departments
            .iter()
            .chain(&s.regions)
            .map(|u| (u.name.clone(), u.inputs.cases.accepted))
            .collect()
    }

    #[test]
    fn facts_go_to_their_department_and_their_own_region() {
        let mut s = set();
        let regions: Vec<(&str, &str)> = s
            .regions
            .iter()
            .map(|r| (r.name.as_str(), r.region.as_str()))
            .collect();
        assert_eq!(
            regions,
            vec![
                ("市本级", "市本级"),
                ("海勃湾区", "区（县）"),
                ("海南区", "区（县）")
            ]
        );
        assert_eq!(
            s.departments.len(),
            3,
            "a department outside the city is no unit"
        );
        assert_eq!(s.departments[2].region, "未登记区域");
        let one = |u: &mut UnitInputs| u.cases.accepted += 1;
        // The city bureau's case at a town hall of 海勃湾区 counts for 海勃湾区.
        s.add(Some("市人社局"), Some(&code("150302100")), 1, one);
        // A fact without a region takes its department's.
        s.add(Some("海勃湾区人社局"), None, 1, one);
        s.add(None, Some(&code("150303100001")), 1, one);
        s.add(Some("外市局"), Some(&code("150202")), 1, one);
        s.add(Some("无区划局"), None, 1, one);
        s.add(Some("不认识的局"), Some(&code("150300")), 1, one);
        assert_eq!(
            cases(&s),
            vec![
                ("市人社局".to_string(), 1),
                ("海勃湾区人社局".to_string(), 1),
                ("无区划局".to_string(), 1),
                ("市本级".to_string(), 1),
                ("海勃湾区".to_string(), 2),
                ("海南区".to_string(), 1),
            ]
        );
        assert_eq!(s.outside, 1);
        assert_eq!(s.total.inputs.cases.accepted, 4, "the regions' cases");
        let mut back: InputSet = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        back.reindex();
        back.add(Some("海勃湾区人社局"), None, 1, one);
        assert_eq!(back.regions[1].inputs.cases.accepted, 3);
    }

    #[test]
    fn catalog_instances_split_into_units_that_add_up() {
        let mut s = set();
        let e = |region: &str, dept: &str, cert_free: bool| CatalogEntry {
            matter_code: format!("{region}{dept}"),
            base_code: "B".into(),
            name: "事项".into(),
            region: code(region),
            department: dept.into(),
            sector: None,
            hall: None,
            legal_limit_days: Some(10),
            promised_limit_days: Some(5),
            online_full: false,
            instant: false,
            scenario: false,
            e_license: false,
            cert_free,
            extended_hours: false,
        };
        let end = vec![
            e("150300", "市人社局", true),
            e("150302", "海勃湾区人社局", true),
            e("150302100", "海勃湾区人社局", false),
            e("150303", "海南区某局", true),
            e("150202", "外市局", true),
        ];
        s.set_catalog(&end[..1], &end);
        let got: Vec<(u64, u64, u64)> = s
            .departments
            .iter()
            .chain(&s.regions)
            .map(|u| {
                (
                    u.inputs.matters_start.instances,
                    u.inputs.matters_end.instances,
                    u.inputs.matters_end.cert_free,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, 1, 1),
                (0, 2, 1),
                (0, 0, 0),
                (1, 1, 1),
                (0, 2, 1),
                (0, 1, 1)
            ]
        );
        let in_city: u64 = s
            .regions
            .iter()
            .map(|r| r.inputs.matters_end.instances)
            .sum();
        assert_eq!(in_city, 4, "regions add up to the city's instances");
        assert_eq!(s.total.inputs.matters_end.instances, 4);
        assert_eq!(s.total.inputs.matters_end.cert_free, 3);
        assert_eq!(s.regions[1].inputs.matters_end.compression.counted, 2);
    }
}
