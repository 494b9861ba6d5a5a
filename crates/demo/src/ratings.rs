//! 好差评: one rating per rated case, with the exact grade counts per tier, times that
//! follow the channel (a pad in the hall right away, the app within a day or two, the
//! system's default after the rating window closes), and comments on the lower grades.

use crate::calendar;
use crate::cases::{Case, TIERS};
use crate::catalog::Catalog;
use crate::org::Org;
use crate::targets::Targets;
use chrono::{Duration, NaiveDateTime, Timelike};
use fastrand::Rng;
use jianping_core::{Channel, Grade};

/// The department of the year's one 不满意 rating.
pub const UNSATISFIED_DEPT: &str = "海南区人力资源和社会保障局";

#[derive(Debug, Clone)]
pub struct Rating {
    pub case: u32,
    pub grade: Grade,
    pub channel: Channel,
    pub rated_at: NaiveDateTime,
}

const CHANNELS_GOOD: &[(Channel, u32)] = &[
    (Channel::HallPad, 50),
    (Channel::Mobile, 30),
    (Channel::Pc, 4),
    (Channel::QrCode, 6),
    (Channel::Sms, 3),
    (Channel::HallTerminal, 2),
    (Channel::SystemDefault, 5),
];

/// Nobody gets a default rating below 非常满意, and the unhappy use the pad or their phone.
const CHANNELS_OTHER: &[(Channel, u32)] = &[
    (Channel::HallPad, 52),
    (Channel::Mobile, 32),
    (Channel::Pc, 5),
    (Channel::QrCode, 7),
    (Channel::Sms, 4),
];

fn channel(rng: &mut Rng, grade: Grade) -> Channel {
    let table = if grade == Grade::VerySatisfied {
        CHANNELS_GOOD
    } else {
        CHANNELS_OTHER
    };
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut x = rng.u32(0..total);
    for (c, w) in table {
        if x < *w {
            return *c;
        }
        x -= w;
    }
    Channel::HallPad
}

fn rating_time(rng: &mut Rng, channel: Channel, done: NaiveDateTime) -> NaiveDateTime {
    let secs = |a: i64, b: i64, rng: &mut Rng| Duration::seconds(rng.i64(a..b));
    match channel {
        Channel::Mobile | Channel::Pc => {
            let t = done + secs(600, 36 * 3600, rng);
            // Nobody rates at 3 a.m.: push night-time ratings into the morning.
            if t.hour() < 7 {
                t + Duration::hours(7)
            } else {
                t
            }
        }
        Channel::Sms => done + secs(300, 4 * 3600, rng),
        Channel::SystemDefault => {
            let d = done.date() + Duration::days(5);
            calendar::at(d, 1, rng.u32(0..30), rng.u32(0..60))
        }
        _ => done + secs(20, 300, rng),
    }
}

/// Picks the rated cases per tier and gives each its grade, channel and time.
pub fn generate(
    rng: &mut Rng,
    org: &Org,
    cat: &Catalog,
    t: &Targets,
    cases: &[Case],
) -> Vec<Rating> {
    let end = calendar::at(calendar::date(10, 31), 23, 59, 59);
    let special = unsatisfied_case(org, cat, cases);
    let mut out = Vec::new();
    for tier in 0..TIERS {
        let counts = t.tier_counts()[tier];
        let mut grades: Vec<Grade> = Vec::new();
        for g in Grade::ALL {
            let mut n = counts[g.index()];
            if g == Grade::Unsatisfied && tier == 1 {
                n = n.checked_sub(1).expect("the district tier has its 不满意");
            }
            grades.extend(std::iter::repeat_n(g, n as usize));
        }
        rng.shuffle(&mut grades);
        let mut cands: Vec<usize> = (0..cases.len())
            .filter(|i| {
                cases[*i].tier as usize == tier && cases[*i].completed.is_some() && *i != special
            })
            .collect();
        assert!(
            grades.len() <= cands.len(),
            "tier {tier}: more ratings than completed cases"
        );
        rng.shuffle(&mut cands);
        let mut picked: Vec<(usize, Grade)> = cands.into_iter().zip(grades).collect();
        if tier == 1 {
            picked.push((special, Grade::Unsatisfied));
        }
        for (i, grade) in picked {
            let done = cases[i].completed.expect("rated cases are completed");
            let mut ch = channel(rng, grade);
            let mut at = rating_time(rng, ch, done);
            if at > end {
                ch = Channel::HallPad;
                at = rating_time(rng, ch, done);
            }
            out.push(Rating {
                case: i as u32,
                grade,
                channel: ch,
                rated_at: at,
            });
        }
    }
    out
}

/// The case behind the 不满意: 海南区人社局 at the district centre, during office hours.
fn unsatisfied_case(org: &Org, cat: &Catalog, cases: &[Case]) -> usize {
    let dept = org
        .depts
        .iter()
        .position(|d| d.name == UNSATISFIED_DEPT)
        .expect("海南区人社局 exists");
    let fits = |i: &usize| {
        let c = &cases[*i];
        c.tier == 1
            && !c.extended
            && c.completed.is_some()
            && cat.matters[c.matter as usize].dept == dept
            && c.accepted.date() >= calendar::date(3, 1)
    };
    // An applicant's own matter, where a sample form matters most.
    let personal = |i: &usize| {
        let name = &cat.matters[cases[*i].matter as usize].name;
        ["失业保险金申领", "养老保险待遇申领", "社会保障卡申领"]
            .iter()
            .any(|n| name.starts_with(n))
    };
    let all: Vec<usize> = (0..cases.len()).filter(fits).collect();
    let preferred: Vec<usize> = all.iter().copied().filter(personal).collect();
    let pool = if preferred.is_empty() {
        &all
    } else {
        &preferred
    };
    *pool
        .get(pool.len() / 3)
        .expect("海南区人社局 has completed cases")
}

const COMMENTS_VERY: &[&str] = &[
    "工作人员服务热情，办事效率高",
    "一次就办好了，点赞",
    "窗口人员很耐心，讲解得很清楚",
    "流程简单，不用来回跑",
    "帮办代办很贴心，老人办事方便了",
    "延时服务解决了上班族的难题",
    "材料一次性告知，很方便",
    "大厅环境整洁，指引清楚",
    "网上申报后到窗口直接领取，很快",
    "态度好，效率高",
];
const TAGS_VERY: &[&str] = &[
    "服务热情",
    "办事高效",
    "一次办好",
    "耐心细致",
    "流程简便",
    "环境舒适",
    "告知清楚",
];
const COMMENTS_SATISFIED: &[&str] = &[
    "整体不错，等候时间稍长",
    "办理顺利，就是排队人多",
    "服务可以，希望多配几台自助设备",
    "办得挺快，停车不太方便",
    "总体满意，材料清单可以再简化",
];
const TAGS_SATISFIED: &[&str] = &[
    "等候时间较长",
    "停车不便",
    "材料较多",
    "办事高效",
    "服务热情",
];
const COMMENTS_BASIC: &[&str] = &[
    "等了一个多小时才办上",
    "材料要求没有一次说清，跑了两趟",
    "窗口人员对业务不太熟悉",
    "系统卡顿，办理时间长",
    "咨询电话不好打通",
    "指引标识不清楚，找窗口找了半天",
];
const TAGS_BASIC: &[&str] = &[
    "等候时间长",
    "一次性告知不到位",
    "业务不熟练",
    "系统故障",
    "电话难打通",
    "指引不清",
];

/// Tags (joined with 、) and comment for a rating.
pub fn remarks(rng: &mut Rng, grade: Grade) -> (Option<String>, Option<String>) {
    let (comments, tags, p_comment, p_tags) = match grade {
        Grade::VerySatisfied => (COMMENTS_VERY, TAGS_VERY, 6, 25),
        Grade::Satisfied => (COMMENTS_SATISFIED, TAGS_SATISFIED, 45, 70),
        Grade::Basic => (COMMENTS_BASIC, TAGS_BASIC, 85, 95),
        Grade::Unsatisfied | Grade::VeryUnsatisfied => {
            return (
                Some("未提供材料样本、一次性告知不到位".into()),
                // A clause: the report quotes it after "在办理“…”事项时，".
                Some("未向办事群众提供申请材料样本，填表反复出错，来回跑了两趟".into()),
            );
        }
    };
    let tag = (rng.u32(0..100) < p_tags).then(|| {
        let a = rng.usize(..tags.len());
        let b = rng.usize(..tags.len());
        if a == b || rng.bool() {
            tags[a].to_string()
        } else {
            format!("{}、{}", tags[a], tags[b])
        }
    });
    let comment =
        (rng.u32(0..100) < p_comment).then(|| comments[rng.usize(..comments.len())].to_string());
    (tag, comment)
}
