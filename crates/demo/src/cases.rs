//! 办件: every case the city's halls accepted in 2023-01-01..10-31, in compact form (indexes
//! into the organisation and catalog) so a quarter of a million of them stay small.

use crate::calendar::{self, AFTERNOON, EVENING, LUNCH, MORNING, SATURDAY};
use crate::catalog::Catalog;
use crate::org::{DISTRICT_TRAFFIC, Org};
use crate::targets::{Targets, apportion, count_for_rate, wan_range};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use fastrand::Rng;
use std::collections::HashMap;

/// 一件事一次办 packages and the sectors whose matters they bundle.
pub const PACKAGES: &[(&str, &[&str])] = &[
    ("开办餐饮店", &["市场监管", "城市管理", "消防救援"]),
    (
        "退休“一件事”",
        &["人力资源和社会保障", "医疗保障", "住房公积金"],
    ),
    ("新生儿出生“一件事”", &["卫生健康", "公安", "医疗保障"]),
    ("企业开办“一件事”", &["市场监管", "税务"]),
    ("二手房转移登记“一件事”", &["自然资源", "税务"]),
    ("军人退役“一件事”", &["退役军人事务"]),
];

/// Sectors whose applicants (the elderly, the disabled) are most often helped (帮办代办).
const ASSISTED_SECTORS: &[&str] = &[
    "人力资源和社会保障",
    "医疗保障",
    "民政",
    "残联",
    "退役军人事务",
];

/// Extended-hours cases outside the highlighted district: city level, then the other
/// districts in code order.
const EXTENDED_SPLIT: [f64; 3] = [0.55, 0.20, 0.25];

/// Relative volume per month (Spring Festival in January–February, National Day in October).
const MONTH_WEIGHT: [f64; 10] = [0.95, 0.9, 1.15, 1.05, 1.0, 1.05, 1.1, 1.05, 1.0, 0.85];

pub const TIERS: usize = 3;

#[derive(Debug, Clone)]
pub struct Case {
    pub window: u32,
    pub matter: u32,
    pub staff: Option<u32>,
    pub region: u32,
    pub tier: u8,
    pub accepted: NaiveDateTime,
    pub completed: Option<NaiveDateTime>,
    pub assisted: bool,
    pub extended: bool,
    pub package: Option<u8>,
}

/// The counts the generator aims at, derived from the targets.
#[derive(Debug, Clone)]
pub struct CasePlan {
    pub total: u64,
    pub completed: u64,
    pub per_tier: [u64; TIERS],
    pub incomplete_per_tier: [u64; TIERS],
    /// Extended-hours cases per group (city level, then each district subtree).
    pub extended: [u64; 4],
}

pub fn case_plan(rng: &mut Rng, t: &Targets) -> CasePlan {
    let (lo, hi) = wan_range(t.cases_wan_tenths, 1);
    let total = rng.u64(lo + 200..=hi - 200);
    let completed = count_for_rate(t.completion_permille, total).expect("办结率 reachable");
    let rated: Vec<u64> = t.tier_counts().iter().map(|c| c.iter().sum()).collect();
    let rated_total: u64 = rated.iter().sum();
    let w: Vec<f64> = rated.iter().map(|r| *r as f64).collect();
    let unrated = apportion(total - rated_total, &w, 0);
    let incomplete = apportion(total - completed, &w, 0);
    let per_tier = [0, 1, 2].map(|i| rated[i] + unrated[i]);
    let ext_total = t.extended_cases_floor + rng.u64(200..=700);
    let hi_group = 1 + crate::org::DISTRICTS
        .iter()
        .position(|d| d.0 == t.highlight_district)
        .expect("highlighted district");
    let mut extended = [0u64; 4];
    extended[hi_group] = t.highlight_extended_cases;
    let others: Vec<usize> = (0..4).filter(|g| *g != hi_group).collect();
    for (g, n) in others.iter().zip(apportion(
        ext_total - t.highlight_extended_cases,
        &EXTENDED_SPLIT,
        0,
    )) {
        extended[*g] = n;
    }
    CasePlan {
        total,
        completed,
        per_tier,
        incomplete_per_tier: [0, 1, 2].map(|i| incomplete[i]),
        extended,
    }
}

/// Cumulative weights for sampling.
struct Picker<T> {
    items: Vec<T>,
    cum: Vec<f64>,
}

impl<T: Copy> Picker<T> {
    fn new(pairs: impl IntoIterator<Item = (T, f64)>) -> Picker<T> {
        let mut items = Vec::new();
        let mut cum = Vec::new();
        let mut acc = 0.0;
        for (item, w) in pairs {
            if w > 0.0 {
                acc += w;
                items.push(item);
                cum.push(acc);
            }
        }
        Picker { items, cum }
    }
    fn pick(&self, rng: &mut Rng) -> T {
        let x = rng.f64() * self.cum.last().copied().unwrap_or(0.0);
        let i = self
            .cum
            .partition_point(|c| *c <= x)
            .min(self.items.len() - 1);
        self.items[i]
    }
}

/// Where cases happen: per window, the matters it accepts and its active staff.
struct Desks {
    matters: HashMap<usize, Picker<usize>>,
    staff: HashMap<usize, Vec<usize>>,
    tiers: [Picker<usize>; TIERS],
}

fn desks(org: &Org, cat: &Catalog) -> Desks {
    let mut by_key: HashMap<(usize, usize), Vec<(usize, f64)>> = HashMap::new();
    for (i, m) in cat.matters.iter().enumerate() {
        if let Some(h) = m.hall {
            by_key
                .entry((m.dept, h))
                .or_default()
                .push((i, m.popularity));
        }
    }
    let mut matters = HashMap::new();
    let mut windows_of: HashMap<(usize, usize), u32> = HashMap::new();
    for (i, w) in org.windows.iter().enumerate() {
        // A village station accepts its town office's matters on the town's behalf.
        let hall = match org.regions[w.region].town {
            Some(t) if org.halls[w.hall].kind == "便民服务站" => org.towns[t].hall,
            _ => w.hall,
        };
        if let Some(list) = by_key.get(&(w.dept, hall)) {
            matters.insert(i, Picker::new(list.iter().copied()));
            *windows_of.entry((w.dept, w.hall)).or_default() += 1;
        }
    }
    let mut staff: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, s) in org.staff.iter().enumerate() {
        if let (Some(w), true) = (s.window, s.active) {
            staff.entry(w).or_default().push(i);
        }
    }
    let district_traffic: Vec<f64> = org
        .districts
        .iter()
        .map(|d| d.depts.iter().map(|(_, x)| org.depts[*x].traffic).sum())
        .collect();
    let weight = |i: usize, tier: usize| -> f64 {
        let w = &org.windows[i];
        let r = &org.regions[w.region];
        let share = org.depts[w.dept].traffic / f64::from(windows_of[&(w.dept, w.hall)]);
        match (tier, org.halls[w.hall].kind) {
            (0, _) if r.group == 0 => share,
            (1, "政务服务中心") if r.group > 0 => {
                share * DISTRICT_TRAFFIC[r.group - 1] / district_traffic[r.group - 1]
            }
            (2, "便民服务中心") => 1.0,
            (2, "便民服务站") => 0.45,
            _ => 0.0,
        }
    };
    let tiers = [0, 1, 2].map(|t| {
        Picker::new(
            matters
                .keys()
                .copied()
                .collect::<std::collections::BTreeSet<usize>>()
                .into_iter()
                .map(|i| (i, weight(i, t))),
        )
    });
    Desks {
        matters,
        staff,
        tiers,
    }
}

fn working_days() -> Picker<NaiveDate> {
    let days = calendar::days(
        calendar::date(1, 1),
        calendar::date(10, 31),
        calendar::is_working_day,
    );
    Picker::new(days.into_iter().map(|d| {
        let dow = match d.weekday().num_days_from_monday() {
            0 => 1.15,
            4 => 0.9,
            _ => 1.0,
        };
        (d, MONTH_WEIGHT[d.month0() as usize] * dow)
    }))
}

fn in_session(rng: &mut Rng, d: NaiveDate, s: (u32, u32)) -> NaiveDateTime {
    calendar::at_seconds(d, rng.u32(s.0..s.1))
}

fn office_time(rng: &mut Rng, d: NaiveDate) -> NaiveDateTime {
    let s = if rng.u32(0..100) < 55 {
        MORNING
    } else {
        AFTERNOON
    };
    in_session(rng, d, s)
}

/// Generates every case; the tiers' sizes, completions and extended-hours counts are exact.
pub fn generate(rng: &mut Rng, org: &Org, cat: &Catalog, plan: &CasePlan) -> Vec<Case> {
    let desks = desks(org, cat);
    let days = working_days();
    let mut cases = Vec::with_capacity(plan.total as usize);
    for tier in 0..TIERS {
        for _ in 0..plan.per_tier[tier] {
            let window = desks.tiers[tier].pick(rng);
            let matter = desks.matters[&window].pick(rng);
            let staff = desks
                .staff
                .get(&window)
                .map(|s| s[rng.usize(..s.len())] as u32);
            let day = days.pick(rng);
            let accepted = office_time(rng, day);
            cases.push(Case {
                window: window as u32,
                matter: matter as u32,
                staff,
                region: org.windows[window].region as u32,
                tier: tier as u8,
                accepted,
                completed: None,
                assisted: false,
                extended: false,
                package: None,
            });
        }
    }
    mark_extended(rng, org, cat, plan, &mut cases);
    complete(rng, cat, plan, &mut cases);
    extras(rng, org, cat, &mut cases);
    cases
}

fn mark_extended(rng: &mut Rng, org: &Org, cat: &Catalog, plan: &CasePlan, cases: &mut [Case]) {
    let mut by_group: [Vec<usize>; 4] = Default::default();
    for (i, c) in cases.iter().enumerate() {
        let w = &org.windows[c.window as usize];
        if w.extended && cat.matters[c.matter as usize].after.extended {
            by_group[org.regions[w.region].group].push(i);
        }
    }
    let saturdays = calendar::days(
        calendar::date(1, 1),
        calendar::date(10, 31),
        calendar::is_free_saturday,
    );
    let weekdays = calendar::days(
        calendar::date(1, 1),
        calendar::date(10, 31),
        calendar::is_working_day,
    );
    for (g, cands) in by_group.iter_mut().enumerate() {
        assert!(
            plan.extended[g] as usize <= cands.len(),
            "group {g}: too few extended desks"
        );
        rng.shuffle(cands);
        for i in &cands[..plan.extended[g] as usize] {
            let c = &mut cases[*i];
            c.extended = true;
            c.accepted = if rng.u32(0..100) < 20 {
                let d = saturdays[rng.usize(..saturdays.len())];
                in_session(rng, d, SATURDAY)
            } else {
                let s = if rng.bool() { LUNCH } else { EVENING };
                let d = weekdays[rng.usize(..weekdays.len())];
                in_session(rng, d, s)
            };
        }
    }
}

/// Completion times; the plan's incomplete cases are recent ones still in progress.
fn complete(rng: &mut Rng, cat: &Catalog, plan: &CasePlan, cases: &mut [Case]) {
    let end = calendar::at(calendar::date(10, 31), 23, 59, 59);
    let late: Vec<NaiveDate> = calendar::days(
        calendar::date(10, 16),
        calendar::date(10, 31),
        calendar::is_working_day,
    );
    let mut open = vec![false; cases.len()];
    for tier in 0..TIERS {
        let mut cands: Vec<usize> = (0..cases.len())
            .filter(|i| {
                let c = &cases[*i];
                c.tier as usize == tier
                    && !c.extended
                    && !cat.matters[c.matter as usize].after.instant
            })
            .collect();
        let k = plan.incomplete_per_tier[tier] as usize;
        assert!(k <= cands.len(), "tier {tier}: too few cases to leave open");
        rng.shuffle(&mut cands);
        for i in &cands[..k] {
            let c = &mut cases[*i];
            let d = late[rng.usize(..late.len())];
            c.accepted = office_time(rng, d);
            open[*i] = true;
        }
    }
    for (c, open) in cases.iter_mut().zip(open) {
        if open {
            c.completed = None;
            continue;
        }
        let m = &cat.matters[c.matter as usize].after;
        let quick = c.accepted + Duration::seconds(i64::from(rng.u32(180..2400)));
        c.completed = Some(if m.instant {
            quick
        } else {
            let days = rng.u32(1..=m.promised.unwrap_or(1).clamp(1, 10));
            let d = calendar::add_working_days(c.accepted.date(), days);
            let t = office_time(rng, d);
            if t > end { quick.min(end) } else { t }
        });
    }
}

/// 帮办代办 and 一件事一次办, at the service centres.
fn extras(rng: &mut Rng, org: &Org, cat: &Catalog, cases: &mut [Case]) {
    for c in cases.iter_mut() {
        let m = &cat.matters[c.matter as usize];
        let sector = org.depts[m.dept].sector.unwrap_or("");
        let hall_kind = org.halls[org.windows[c.window as usize].hall].kind;
        let p_assist = if ASSISTED_SECTORS.contains(&sector) {
            60
        } else {
            15
        };
        c.assisted = rng.u32(0..1000) < p_assist;
        if hall_kind == "政务服务中心" && rng.u32(0..1000) < 25 {
            let fits: Vec<u8> = PACKAGES
                .iter()
                .enumerate()
                .filter(|(_, (_, sectors))| sectors.contains(&sector))
                .map(|(i, _)| i as u8)
                .collect();
            if !fits.is_empty() {
                c.package = Some(fits[rng.usize(..fits.len())]);
            }
        }
    }
}
