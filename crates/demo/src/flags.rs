//! Attribute flags and time limits of every matter, in both states, with the counts the plan
//! fixes. Units get the counted attributes; other district instances share their unit's
//! nature (全程网办, 即办, 情形化, 电子证照, time limits) and have their own 免证办/延时服务.

use crate::catalog::{Catalog, Matter, State};
use crate::plan::Plan;
use fastrand::Rng;
use std::collections::HashMap;

/// Statutory limits in working days, with how common each is.
const LEGAL_LIMITS: &[(u32, u32)] = &[
    (5, 10),
    (7, 8),
    (10, 20),
    (15, 15),
    (20, 20),
    (30, 15),
    (45, 5),
    (60, 5),
    (90, 2),
];

fn legal_limit(rng: &mut Rng) -> u32 {
    let total: u32 = LEGAL_LIMITS.iter().map(|(_, w)| w).sum();
    let mut x = rng.u32(0..total);
    for (l, w) in LEGAL_LIMITS {
        if x < *w {
            return *l;
        }
        x -= w;
    }
    20
}

/// `k` members of `from`, chosen at random, returned as a membership mask over `n` items.
fn choose(rng: &mut Rng, from: &[usize], k: u64, n: usize) -> Vec<bool> {
    assert!(
        k as usize <= from.len(),
        "cannot choose {k} of {}",
        from.len()
    );
    let mut v = from.to_vec();
    rng.shuffle(&mut v);
    let mut mask = vec![false; n];
    for i in &v[..k as usize] {
        mask[*i] = true;
    }
    mask
}

pub fn assign(
    rng: &mut Rng,
    cat: &mut Catalog,
    plan: &Plan,
    city: &[usize],
    reps: &[Vec<usize>; 3],
    district: &[Vec<usize>; 3],
    towns: &[Vec<usize>; 3],
) {
    let n = cat.matters.len();
    let units = cat.units.clone();
    assert_eq!(units.len() as u64, plan.units, "units built");
    unit_flags(rng, cat, plan, &units);
    let mut cert = choose(rng, city, plan.cert_city, n);
    for d in 0..3 {
        let rep = choose(rng, &reps[d], plan.cert_units[d], n);
        let is_rep: std::collections::HashSet<usize> = reps[d].iter().copied().collect();
        let mut non_units: Vec<usize> = district[d]
            .iter()
            .copied()
            .filter(|i| !is_rep.contains(i))
            .collect();
        non_units.extend_from_slice(&towns[d]);
        assert_eq!(
            non_units.len() as u64,
            plan.non_units[d],
            "non-units of district {d}"
        );
        let other = choose(rng, &non_units, plan.cert_non_units[d], n);
        for i in 0..n {
            cert[i] |= rep[i] || other[i];
        }
    }
    limits(rng, cat, &units, plan);
    share_with_units(cat);
    for t in towns.iter().flatten() {
        town_state(rng, &mut cat.matters[*t].after);
    }
    let groups: [Vec<usize>; 4] = [
        city.to_vec(),
        [district[0].clone(), towns[0].clone()].concat(),
        [district[1].clone(), towns[1].clone()].concat(),
        [district[2].clone(), towns[2].clone()].concat(),
    ];
    let mut extended = vec![false; n];
    for (g, members) in groups.iter().enumerate() {
        let k = members.len() as u64 - plan.not_extended[g];
        let chosen = choose(rng, members, k, n);
        for i in 0..n {
            extended[i] |= chosen[i];
        }
    }
    for (i, m) in cat.matters.iter_mut().enumerate() {
        m.after.cert_free = cert[i];
        m.after.extended = extended[i];
    }
    before_states(rng, cat);
}

/// The unit-counted attributes: exact counts over the units.
fn unit_flags(rng: &mut Rng, cat: &mut Catalog, plan: &Plan, units: &[usize]) {
    let n = cat.matters.len();
    let online = choose(rng, units, plan.online_after, n);
    let online_units: Vec<usize> = units.iter().copied().filter(|u| online[*u]).collect();
    let online_before = choose(rng, &online_units, plan.online_before, n);
    let instant = choose(rng, units, plan.instant, n);
    let scenario = choose(rng, units, plan.scenario, n);
    let e_license = choose(rng, units, plan.e_license, n);
    for u in units {
        let m = &mut cat.matters[*u];
        m.after.online_full = online[*u];
        m.after.instant = instant[*u];
        m.after.scenario = scenario[*u];
        m.after.e_license = e_license[*u];
        m.before.online_full = online_before[*u];
        // Reform made some matters 即办 this year; the others already were.
        m.before.instant = instant[*u] && rng.u32(0..100) < 92;
        m.before.scenario = scenario[*u] && rng.u32(0..100) < 80;
        m.before.e_license = e_license[*u] && rng.u32(0..100) < 85;
    }
}

#[derive(Clone, Copy)]
enum Which {
    Before,
    After,
}

impl Which {
    fn get(self, m: &Matter) -> &State {
        match self {
            Which::Before => &m.before,
            Which::After => &m.after,
        }
    }
    fn get_mut(self, m: &mut Matter) -> &mut State {
        match self {
            Which::Before => &mut m.before,
            Which::After => &mut m.after,
        }
    }
}

/// Time limits, then promised limits nudged one day at a time until the mean compression
/// over the units with a legal limit sits on the target (before and after).
fn limits(rng: &mut Rng, cat: &mut Catalog, units: &[usize], plan: &Plan) {
    for u in units {
        let m = &mut cat.matters[*u];
        let instant = m.after.instant;
        // Every matter states a statutory limit; a 即办件 promises to finish on the spot.
        let l = legal_limit(rng);
        let legal = Some(l);
        let promised = if instant {
            0
        } else {
            ((f64::from(l) * (0.1 + rng.f64() * 0.4)).round() as u32).clamp(1, l)
        };
        m.after.legal = legal;
        m.after.promised = Some(promised);
        m.before.legal = legal;
        m.before.promised = Some(if m.before.instant {
            0
        } else if instant {
            ((f64::from(l) * 0.2).round() as u32).clamp(1, l)
        } else {
            promised
        });
    }
    nudge(rng, cat, units, plan.compression_after, Which::After);
    for u in units {
        let m = &mut cat.matters[*u];
        if !m.before.instant && !m.after.instant {
            m.before.promised = m.after.promised;
        }
    }
    nudge(rng, cat, units, plan.compression_before, Which::Before);
}

/// Mean of (legal − promised) / legal over the units with a legal limit, and how many.
pub fn compression(cat: &Catalog, units: &[usize], which: fn(&Matter) -> &State) -> (f64, usize) {
    let mut sum = 0.0;
    let mut n = 0;
    for u in units {
        let s = which(&cat.matters[*u]);
        if let (Some(l), Some(p)) = (s.legal, s.promised)
            && l > 0
        {
            sum += f64::from(l - p.min(l)) / f64::from(l);
            n += 1;
        }
    }
    (sum, n)
}

fn nudge(rng: &mut Rng, cat: &mut Catalog, units: &[usize], target: f64, which: Which) {
    let (mut sum, n) = match which {
        Which::Before => compression(cat, units, |m| &m.before),
        Which::After => compression(cat, units, |m| &m.after),
    };
    let goal = target * n as f64;
    let mut movable: Vec<usize> = units
        .iter()
        .copied()
        .filter(|u| {
            let s = which.get(&cat.matters[*u]);
            !s.instant && s.legal.is_some_and(|l| l > 1)
        })
        .collect();
    // Raising a promised limit lowers compression, and vice versa. Before the reform a
    // limit was never shorter than after it.
    let raise = sum > goal;
    while (sum > goal) == raise {
        assert!(!movable.is_empty(), "compression target unreachable");
        let k = rng.usize(..movable.len());
        let u = movable[k];
        let lo = match which {
            Which::Before => cat.matters[u].after.promised.unwrap_or(1).max(1),
            Which::After => 1,
        };
        let s = which.get_mut(&mut cat.matters[u]);
        let (l, p) = (s.legal.unwrap_or(1), s.promised.unwrap_or(0));
        let can = if raise { p < l } else { p > lo };
        if !can {
            movable.swap_remove(k);
            continue;
        }
        s.promised = Some(if raise { p + 1 } else { p - 1 });
        let step = 1.0 / f64::from(l);
        sum += if raise { -step } else { step };
    }
    let mean = sum / n as f64;
    assert!(
        (mean - target).abs() < 4e-4,
        "compression {mean} vs {target}"
    );
}

/// District instances that are not units follow their unit's nature.
fn share_with_units(cat: &mut Catalog) {
    let reps: HashMap<String, usize> = cat
        .units
        .iter()
        .filter(|u| (1..=3).contains(&cat.matters[**u].level_group))
        .map(|u| (cat.matters[*u].base.clone(), *u))
        .collect();
    for i in 0..cat.matters.len() {
        let m = &cat.matters[i];
        if !(1..=3).contains(&m.level_group) {
            continue;
        }
        let Some(r) = reps.get(&m.base).copied() else {
            continue;
        };
        if r == i {
            continue;
        }
        let (ra, rb) = (cat.matters[r].after, cat.matters[r].before);
        let m = &mut cat.matters[i];
        for (dst, src) in [(&mut m.after, ra), (&mut m.before, rb)] {
            dst.legal = src.legal;
            dst.promised = src.promised;
            dst.online_full = src.online_full;
            dst.instant = src.instant;
            dst.scenario = src.scenario;
            dst.e_license = src.e_license;
        }
    }
}

/// Town matters are mostly simple acceptances: on the spot, few with a statutory limit.
fn town_state(rng: &mut Rng, s: &mut State) {
    s.instant = rng.u32(0..100) < 85;
    s.online_full = rng.u32(0..100) < 60;
    s.scenario = rng.u32(0..100) < 50;
    s.e_license = rng.u32(0..100) < 40;
    if s.instant {
        s.legal = Some([5, 10, 15][rng.usize(..3)]);
        s.promised = Some(0);
    } else {
        let l = [10, 15, 20][rng.usize(..3)];
        s.legal = Some(l);
        s.promised = Some(rng.u32(1..=l / 2));
    }
}

/// The state on 2023-01-01 for what units did not already set: town matters, and the
/// 免证办/延时服务 rollout that happened during the year.
fn before_states(rng: &mut Rng, cat: &mut Catalog) {
    for m in cat.matters.iter_mut() {
        let a = m.after;
        if m.level_group == 4 {
            m.before = a;
            m.before.online_full = a.online_full && rng.u32(0..100) < 70;
        }
        m.before.cert_free = a.cert_free && rng.u32(0..100) < 75;
        m.before.extended = a.extended && rng.u32(0..100) < 60;
    }
}
