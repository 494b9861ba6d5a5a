//! The matter catalog (事项清单) in two states: as it stood on 2023-01-01 and after the
//! year's 梳理优化 (as of 2023-09-30). Sizes and flag counts come from [`crate::plan`].

use crate::matter_names::{SECTOR_MATTERS, TOWN_MATTERS, names_for, nth_name};
use crate::org::{CITY_DEPARTMENTS, Org};
use crate::plan::Plan;
use crate::targets::apportion;
use fastrand::Rng;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct State {
    pub legal: Option<u32>,
    pub promised: Option<u32>,
    pub online_full: bool,
    pub instant: bool,
    pub scenario: bool,
    pub e_license: bool,
    pub cert_free: bool,
    pub extended: bool,
}

#[derive(Debug, Clone)]
pub struct Matter {
    pub code: String,
    pub base: String,
    pub name: String,
    pub dept: usize,
    pub region: usize,
    pub hall: Option<usize>,
    pub before: State,
    pub after: State,
    /// Relative case volume within its department.
    pub popularity: f64,
    /// City level = 0, district = 1 + index, town = 4.
    pub level_group: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub matters: Vec<Matter>,
    /// Indexes of the deduplicated units.
    pub units: Vec<usize>,
}

/// 事项类型 code from the name: 行政许可 01, 行政给付 03, 行政确认 07, 公共服务 20.
fn kind_of(name: &str) -> u32 {
    let has = |ks: &[&str]| ks.iter().any(|k| name.contains(k));
    if has(&["许可", "审批", "核准", "核发", "设立"]) {
        1
    } else if has(&["补贴", "救助", "津贴", "补助", "抚恤", "申领"]) {
        3
    } else if has(&["登记", "认定", "备案", "确认"]) {
        7
    } else {
        20
    }
}

fn sector_no(sector: &str) -> usize {
    SECTOR_MATTERS
        .iter()
        .position(|(s, _)| *s == sector)
        .map_or(99, |i| i + 1)
}

fn base_code(name: &str, sector: usize, level: u32, item: usize) -> String {
    format!("{:02}{:02}{level}{item:04}000", kind_of(name), sector)
}

struct Builder<'a> {
    org: &'a Org,
    matters: Vec<Matter>,
}

/// Who implements a matter, where: (department, region, hall, level group).
type Place = (usize, usize, Option<usize>, usize);

impl Builder<'_> {
    fn push(&mut self, place: Place, base: String, name: String, rank: usize) -> usize {
        let (dept, region, hall, level_group) = place;
        let code = format!("{}{base}", self.org.depts[dept].code);
        self.matters.push(Matter {
            code,
            base,
            name,
            dept,
            region,
            hall,
            before: State::default(),
            after: State::default(),
            popularity: 1.0 / (rank as f64 + 1.0),
            level_group,
        });
        self.matters.len() - 1
    }
}

/// Builds every matter instance and its two states.
pub fn build(rng: &mut Rng, org: &Org, plan: &Plan) -> Catalog {
    let mut b = Builder {
        org,
        matters: Vec::new(),
    };
    let city = city_matters(&mut b, plan);
    let (reps, district) = district_matters(rng, &mut b, plan);
    let towns = town_matters(rng, &mut b, plan);
    let mut units = city.clone();
    units.extend(reps.iter().flatten().copied());
    let mut cat = Catalog {
        matters: b.matters,
        units,
    };
    crate::flags::assign(rng, &mut cat, plan, &city, &reps, &district, &towns);
    cat
}

fn city_matters(b: &mut Builder<'_>, plan: &Plan) -> Vec<usize> {
    let org = b.org;
    let (inside, outside): (Vec<usize>, Vec<usize>) = org
        .city_depts
        .iter()
        .partition(|d| org.depts[**d].in_centre);
    let mut out = Vec::new();
    for (depts, total, centre) in [
        (&inside, plan.city_centre, true),
        (&outside, plan.city_outside, false),
    ] {
        let w: Vec<f64> = depts.iter().map(|d| org.depts[*d].matter_weight).collect();
        for (d, n) in depts.iter().zip(apportion(total, &w, 2)) {
            let sector = org.depts[*d].sector.unwrap_or("");
            let hall = if centre {
                Some(org.centre)
            } else if sector == "税务" {
                Some(org.tax_hall)
            } else {
                None
            };
            let names = names_for(sector);
            for i in 0..n as usize {
                let name = nth_name(names, i);
                let base = base_code(&name, sector_no(sector), 1, i);
                out.push(b.push((*d, org.city_region, hall, 0), base, name, i));
            }
        }
    }
    debug_assert_eq!(CITY_DEPARTMENTS.len(), org.city_depts.len());
    out
}

/// District base codes and which district implements each. Returns per district the units
/// it represents and all its district-level instances.
fn district_matters(
    rng: &mut Rng,
    b: &mut Builder<'_>,
    plan: &Plan,
) -> ([Vec<usize>; 3], [Vec<usize>; 3]) {
    let org = b.org;
    let sectors: Vec<&'static str> = org.districts[0].depts.iter().map(|(s, _)| *s).collect();
    let weights: Vec<f64> = crate::org::DISTRICT_DEPARTMENTS
        .iter()
        .map(|d| d.2)
        .collect();
    // (sector index, item, name)
    let mut codes: Vec<(usize, usize, String)> = Vec::new();
    for (si, n) in apportion(plan.district_codes, &weights, 2)
        .into_iter()
        .enumerate()
    {
        let names = names_for(sectors[si]);
        for i in 0..n as usize {
            codes.push((si, i, nth_name(names, i)));
        }
    }
    let mut order: Vec<usize> = (0..codes.len()).collect();
    rng.shuffle(&mut order);
    let p = plan.rep_units[0] as usize;
    let mut members: [Vec<usize>; 3] = Default::default();
    members[0] = order[..p].to_vec();
    let mut shared = order[..p].to_vec();
    rng.shuffle(&mut shared);
    let d1_shared = (plan.district_size[1] - plan.rep_units[1]) as usize;
    members[1] = order[p..].to_vec();
    members[1].extend_from_slice(&shared[..d1_shared]);
    let mut all = order.clone();
    rng.shuffle(&mut all);
    members[2] = all[..plan.district_size[2] as usize].to_vec();
    for m in members.iter_mut() {
        m.sort_unstable();
    }
    let mut d1_rep = vec![false; codes.len()];
    for c in &order[p..] {
        d1_rep[*c] = true;
    }
    let mut reps: [Vec<usize>; 3] = Default::default();
    let mut instances: [Vec<usize>; 3] = Default::default();
    for (d, m) in members.iter().enumerate() {
        let district = &org.districts[d];
        for c in m {
            let (si, item, name) = &codes[*c];
            let dept = district.depts[*si].1;
            let base = base_code(name, sector_no(sectors[*si]), 2, *c);
            let place = (dept, district.region, Some(district.hall), d + 1);
            let i = b.push(place, base, name.clone(), *item);
            instances[d].push(i);
            let represented = d == 0 || (d == 1 && d1_rep[*c]);
            if represented {
                reps[d].push(i);
            }
        }
    }
    (reps, instances)
}

fn town_matters(rng: &mut Rng, b: &mut Builder<'_>, plan: &Plan) -> [Vec<usize>; 3] {
    let org = b.org;
    let mut out: [Vec<usize>; 3] = Default::default();
    for (d, district) in org.districts.iter().enumerate() {
        let w: Vec<f64> = district
            .towns
            .iter()
            .map(|t| {
                1.0 + rng.f64() * 0.4
                    + if org.towns[*t].name.ends_with('镇') {
                        0.3
                    } else {
                        0.0
                    }
            })
            .collect();
        for (t, n) in district
            .towns
            .iter()
            .zip(apportion(plan.town_size[d], &w, 10))
        {
            let town = &org.towns[*t];
            for i in 0..n as usize {
                let name = nth_name(TOWN_MATTERS, i);
                let base = base_code(&name, 99, 3, i);
                out[d].push(b.push(
                    (town.office, town.region, Some(town.hall), 4),
                    base,
                    name,
                    i,
                ));
            }
        }
    }
    out
}
