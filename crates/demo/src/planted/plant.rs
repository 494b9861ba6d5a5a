//! The plantings: each pattern in its own window, each window in its own department.

use super::{PLANTED_LOGIN, Planted, PlantedCity, Win, at, no_prefix, rating};
use chrono::{Duration, NaiveDate};
use fastrand::Rng;
use jianping_core::audit::FlagKind;
use jianping_core::{Channel, Grade};
use std::ops::Range;

/// The window planted with pattern `p`: window `p mod per` of department `p` (so no two
/// plantings share a department), or None when the city is too small.
fn pick(wins: &[Win], p: usize) -> Option<usize> {
    let departments: Vec<&str> = wins.iter().fold(Vec::new(), |mut v, w| {
        if !v.contains(&w.department.as_str()) {
            v.push(&w.department);
        }
        v
    });
    let dept = departments.get(p)?;
    let mine: Vec<usize> = (0..wins.len())
        .filter(|i| wins[*i].department == *dept)
        .collect();
    mine.get(p % mine.len().max(1)).copied()
}

/// Extra ratings at window `wi` from second `s` of the period, `step` seconds apart.
struct Extra<'a> {
    wins: &'a [Win],
    days: &'a [NaiveDate],
    wi: usize,
}

impl Extra<'_> {
    fn make(
        &self,
        tag: &str,
        i: usize,
        channel: Channel,
        s: i64,
    ) -> jianping_core::records::RatingRecord {
        let w = &self.wins[self.wi];
        let no = format!("P{tag}{:03}{i:03}", self.wi);
        rating(w, no, channel, Grade::VerySatisfied, at(self.days, s))
    }
}

pub(super) fn plant(
    city: &mut PlantedCity,
    wins: &[Win],
    ranges: &[Range<usize>],
    rng: &mut Rng,
    days: &[NaiveDate],
) {
    let mid = days.len() as i64 / 2 * super::DAY_SECONDS + 3600;
    let mut next = 0;
    let mut take = || {
        let w = pick(wins, next);
        next += 1;
        w
    };
    let mut mark = |city: &mut PlantedCity, kind: FlagKind, wi: usize, subject: Option<String>| {
        city.planted.push(Planted {
            kind,
            window: wins[wi].name.clone(),
            subject,
        });
    };
    // 1. Eight ratings in 40 s from the window's own pad.
    if let Some(wi) = take() {
        let x = Extra { wins, days, wi };
        for i in 0..8 {
            city.ratings
                .push(x.make("D", i, Channel::HallPad, mid + 5 * i as i64));
        }
        let device = format!("PAD-{}", no_prefix(&wins[wi].name));
        mark(city, FlagKind::Burst, wi, Some(format!("设备 {device}")));
    }
    // 2. Fifteen app ratings in 50 s from one address.
    if let Some(wi) = take() {
        let x = Extra { wins, days, wi };
        for i in 0..15 {
            let mut r = x.make("A", i, Channel::Mobile, mid + 3600 + 3 * i as i64);
            r.address = Some("61.135.1.7".into());
            city.ratings.push(r);
        }
        mark(city, FlagKind::Burst, wi, Some("IP地址 61.135.1.7".into()));
    }
    // 3. Six SMS ratings in 30 s (no device, no address): counted by window.
    if let Some(wi) = take() {
        let x = Extra { wins, days, wi };
        for i in 0..6 {
            city.ratings
                .push(x.make("W", i, Channel::Sms, mid + 7200 + 6 * i as i64));
        }
        mark(
            city,
            FlagKind::Burst,
            wi,
            Some(format!("窗口 {}", wins[wi].name)),
        );
    }
    // 4. Six ratings from the staff member's own phone, written as another export would.
    if let Some(wi) = take() {
        for (n, r) in city.ratings[ranges[wi].clone()]
            .iter_mut()
            .step_by(40)
            .take(6)
            .enumerate()
        {
            let p = &wins[wi].staff_phone;
            r.rater_phone = Some(format!("+86 {}-{}-{}", &p[..3], &p[3..7], &p[7..]));
            r.grade = if n % 2 == 0 {
                Grade::VerySatisfied
            } else {
                r.grade
            };
        }
        mark(
            city,
            FlagKind::StaffIdentity,
            wi,
            Some(wins[wi].staff.clone()),
        );
    }
    // 5. Four ratings from the staff member's own rating-platform account.
    if let Some(wi) = take() {
        let account = city.staff[wi]
            .account
            .clone()
            .unwrap_or_default()
            .to_uppercase();
        for r in city.ratings[ranges[wi].clone()]
            .iter_mut()
            .step_by(50)
            .take(4)
        {
            r.account = Some(account.clone());
        }
        mark(
            city,
            FlagKind::StaffIdentity,
            wi,
            Some(wins[wi].staff.clone()),
        );
    }
    // 6. Three ratings from a jianping login.
    if let Some(wi) = take() {
        for r in city.ratings[ranges[wi].clone()]
            .iter_mut()
            .step_by(60)
            .take(3)
        {
            r.account = Some(PLANTED_LOGIN.into());
        }
        mark(
            city,
            FlagKind::StaffIdentity,
            wi,
            Some(format!("平台账号 {PLANTED_LOGIN}")),
        );
    }
    grade_mix(city, ranges, rng, &mut take, &mut mark);
    defaults(city, ranges, rng, &mut take, &mut mark);
}

type Mark<'a> = dyn FnMut(&mut PlantedCity, FlagKind, usize, Option<String>) + 'a;

/// Applicants pressed to give 非常满意 (two windows, strongly and moderately), and a pad
/// whose default answer is 满意 (share of 非常满意 down).
fn grade_mix(
    city: &mut PlantedCity,
    ranges: &[Range<usize>],
    rng: &mut Rng,
    take: &mut dyn FnMut() -> Option<usize>,
    mark: &mut Mark<'_>,
) {
    for (to_very, p) in [(true, 0.9), (true, 0.7), (false, 0.3)] {
        let Some(wi) = take() else { return };
        for r in &mut city.ratings[ranges[wi].clone()] {
            let hit = rng.f64() < p;
            match (to_very, r.grade == Grade::VerySatisfied) {
                (true, false) if hit => r.grade = Grade::VerySatisfied,
                (false, true) if hit && r.channel != Channel::SystemDefault => {
                    r.grade = Grade::Satisfied;
                }
                _ => {}
            }
        }
        mark(city, FlagKind::GradeMix, wi, None);
    }
}

/// A window whose applicants are not asked to rate (defaults instead), and one whose
/// platform marks defaults by tag rather than channel.
fn defaults(
    city: &mut PlantedCity,
    ranges: &[Range<usize>],
    rng: &mut Rng,
    take: &mut dyn FnMut() -> Option<usize>,
    mark: &mut Mark<'_>,
) {
    if let Some(wi) = take() {
        for r in &mut city.ratings[ranges[wi].clone()] {
            if r.channel != Channel::SystemDefault && rng.f64() < 0.3 {
                r.channel = Channel::SystemDefault;
                r.grade = Grade::VerySatisfied;
                r.device = None;
                r.address = None;
                r.rated_at += Duration::days(5);
            }
        }
        mark(city, FlagKind::DefaultShare, wi, None);
    }
    if let Some(wi) = take() {
        for r in &mut city.ratings[ranges[wi].clone()] {
            if r.channel == Channel::HallPad && rng.f64() < 0.45 {
                r.tags = Some("默认好评".into());
                r.grade = Grade::VerySatisfied;
            }
        }
        mark(city, FlagKind::DefaultShare, wi, None);
    }
}
