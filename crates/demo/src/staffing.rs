//! Who works where: window staff and back-office staff, with the service centre's active
//! head count fixed by the targets.

use crate::org::{Org, Staff, unique_name};
use crate::targets::{Targets, apportion};
use fastrand::Rng;
use std::collections::{HashMap, HashSet};

/// Staff who left the centre during the year: kept (their ratings name them), not active.
const CENTRE_LEFT: usize = 12;

struct Roster<'a> {
    org: &'a mut Org,
    names: HashMap<usize, HashSet<String>>,
}

impl Roster<'_> {
    fn hire(
        &mut self,
        rng: &mut Rng,
        dept: usize,
        hall: usize,
        window: Option<usize>,
        active: bool,
    ) {
        let taken = self.names.entry(dept).or_default();
        let name = unique_name(rng, taken);
        let code = format!("GH{:05}", self.org.staff.len() + 1);
        self.org.staff.push(Staff {
            name,
            code,
            dept,
            hall: Some(hall),
            window,
            active,
        });
    }
}

pub fn staff_everyone(rng: &mut Rng, org: &mut Org, t: &Targets) {
    let mut r = Roster {
        org,
        names: HashMap::new(),
    };
    staff_centre(rng, &mut r, t);
    let windows: Vec<(usize, usize, usize, &'static str)> = r
        .org
        .windows
        .iter()
        .enumerate()
        .filter(|(_, w)| w.hall != r.org.centre)
        .map(|(i, w)| (i, w.hall, w.dept, r.org.halls[w.hall].kind))
        .collect();
    for (w, hall, dept, kind) in windows {
        let n = match kind {
            "政务服务中心" | "专业服务大厅" => 2,
            "便民服务中心" => rng.usize(1..=2),
            _ => rng.usize(1..=2),
        };
        for _ in 0..n {
            r.hire(rng, dept, hall, Some(w), true);
        }
    }
    // District back offices: one approver per department.
    for di in 0..r.org.districts.len() {
        let hall = r.org.districts[di].hall;
        for (_, d) in r.org.districts[di].depts.clone() {
            r.hire(rng, d, hall, None, true);
        }
    }
}

fn staff_centre(rng: &mut Rng, r: &mut Roster<'_>, t: &Targets) {
    let centre = r.org.centre;
    let windows: Vec<(usize, usize)> = r
        .org
        .windows
        .iter()
        .enumerate()
        .filter(|(_, w)| w.hall == centre)
        .map(|(i, w)| (i, w.dept))
        .collect();
    let mut at_windows = 0u64;
    for (w, dept) in &windows {
        let n = rng.usize(2..=3);
        for _ in 0..n {
            r.hire(rng, *dept, centre, Some(*w), true);
            at_windows += 1;
        }
    }
    let back = t
        .center_staff
        .checked_sub(at_windows)
        .expect("the centre's head count must cover its windows");
    let mut depts: Vec<usize> = r
        .org
        .city_depts
        .iter()
        .copied()
        .filter(|d| r.org.depts[*d].in_centre)
        .collect();
    depts.push(r.org.service_centre_dept);
    let weights: Vec<f64> = depts
        .iter()
        .map(|d| r.org.depts[*d].traffic.max(2.0))
        .collect();
    for (d, n) in depts.iter().zip(apportion(back, &weights, 0)) {
        for _ in 0..n {
            r.hire(rng, *d, centre, None, true);
        }
    }
    for _ in 0..CENTRE_LEFT {
        let (w, d) = windows[rng.usize(..windows.len())];
        r.hire(rng, d, centre, Some(w), false);
    }
}
