//! The generated city as a whole, and its conversion into the typed input records the
//! importers produce (`jianping_core::records`).

use crate::cases::{self, Case, CasePlan, PACKAGES};
use crate::catalog::{self, Catalog, State};
use crate::channels;
use crate::names::{mobile, person_name};
use crate::org::{self, Org};
use crate::plan::{self, Plan};
use crate::ratings::{self, Rating};
use crate::targets::{TARGETS, Targets};
use chrono::{NaiveDate, NaiveDateTime};
use fastrand::Rng;
use jianping_core::RegionCode;
use jianping_core::records::*;
use std::ops::Range;

/// The catalog dates: the state before the year's reform, and after it.
pub fn before_date() -> NaiveDate {
    crate::calendar::date(1, 1)
}
pub fn after_date() -> NaiveDate {
    crate::calendar::date(9, 30)
}

pub struct World {
    pub seed: u64,
    pub targets: Targets,
    pub org: Org,
    pub plan: Plan,
    pub catalog: Catalog,
    pub case_plan: CasePlan,
    /// Sorted by acceptance time.
    pub cases: Vec<Case>,
    case_seq: Vec<u32>,
    /// Sorted by rating time.
    pub ratings: Vec<Rating>,
    rating_seq: Vec<u32>,
    pub tickets: Vec<TicketRecord>,
    pub supervisors: Vec<SupervisorRecord>,
    pub feedback: Vec<FeedbackRecord>,
    pub qr_reports: Vec<QrReportRecord>,
    pub assessments: Vec<AssessmentRecord>,
    pub reported_stats: Vec<ReportedStatRecord>,
}

/// Per-day sequence numbers for times sorted ascending.
fn daily_seq(times: impl Iterator<Item = NaiveDateTime>) -> Vec<u32> {
    let mut out = Vec::new();
    let mut last = None;
    let mut n = 0;
    for t in times {
        if last != Some(t.date()) {
            last = Some(t.date());
            n = 0;
        }
        n += 1;
        out.push(n);
    }
    out
}

impl World {
    /// Builds the city. Each part draws from its own stream, so changing one part leaves the
    /// others' rows as they were.
    pub fn generate(seed: u64) -> World {
        let t = TARGETS;
        let stream = |k: u64| Rng::with_seed(seed ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let org = org::build(&mut stream(1), &t);
        let plan = plan::solve(&t, &plan::LAYOUT);
        let catalog = catalog::build(&mut stream(2), &org, &plan);
        let case_plan = cases::case_plan(&mut stream(3), &t);
        let mut cases = cases::generate(&mut stream(4), &org, &catalog, &case_plan);
        cases.sort_by_key(|c| c.accepted);
        let case_seq = daily_seq(cases.iter().map(|c| c.accepted));
        let mut ratings = ratings::generate(&mut stream(5), &org, &catalog, &t, &cases);
        ratings.sort_by_key(|r| (r.rated_at, r.case));
        let rating_seq = daily_seq(ratings.iter().map(|r| r.rated_at));
        let mut rng = stream(6);
        let tickets = channels::tickets(&mut rng, &t, org::SERVICE_CENTRE_DEPT);
        let supervisors = channels::supervisors(&mut rng, &t);
        let feedback = channels::feedback(&mut rng, &t, &supervisors);
        let police = org
            .windows
            .iter()
            .find(|w| w.hall == org.centre && org.depts[w.dept].sector == Some("公安"))
            .map(|w| w.name.clone())
            .unwrap_or_default();
        let qr_reports = channels::qr_reports(&mut rng, &t, &police);
        let mut assessments = channels::assessments();
        assessments.extend(crate::scores::indicator_scores(&mut stream(7), &org));
        let reported_stats = channels::reported_stats(&mut rng, &t);
        World {
            seed,
            targets: t,
            org,
            plan,
            catalog,
            case_plan,
            cases,
            case_seq,
            ratings,
            rating_seq,
            tickets,
            supervisors,
            feedback,
            qr_reports,
            assessments,
            reported_stats,
        }
    }

    fn code(&self, region: usize) -> RegionCode {
        self.org.regions[region].code.clone()
    }

    pub fn regions(&self) -> Vec<RegionRecord> {
        self.org
            .regions
            .iter()
            .map(|r| RegionRecord {
                code: r.code.clone(),
                name: r.name.clone(),
            })
            .collect()
    }

    pub fn departments(&self) -> Vec<DepartmentRecord> {
        self.org
            .depts
            .iter()
            .map(|d| DepartmentRecord {
                name: d.name.clone(),
                code: Some(d.code.clone()),
                region: Some(self.code(d.region)),
                sector: d.sector.map(String::from),
                short_name: d.short.clone(),
            })
            .collect()
    }

    pub fn halls(&self) -> Vec<HallRecord> {
        self.org
            .halls
            .iter()
            .map(|h| HallRecord {
                code: Some(h.code.clone()),
                name: h.name.clone(),
                region: self.code(h.region),
                kind: Some(h.kind.to_string()),
                extended_hours: h.extended,
            })
            .collect()
    }

    pub fn windows(&self) -> Vec<WindowRecord> {
        let o = &self.org;
        o.windows
            .iter()
            .map(|w| WindowRecord {
                code: Some(w.code.clone()),
                name: w.name.clone(),
                hall: Some(o.halls[w.hall].name.clone()),
                region: self.code(w.region),
                department: Some(o.depts[w.dept].name.clone()),
                kind: Some(w.kind.to_string()),
                extended_hours: w.extended,
            })
            .collect()
    }

    pub fn staff(&self) -> Vec<StaffRecord> {
        let o = &self.org;
        o.staff
            .iter()
            .map(|s| {
                let region = match (s.window, s.hall) {
                    (Some(w), _) => Some(self.code(o.windows[w].region)),
                    (None, Some(h)) => Some(self.code(o.halls[h].region)),
                    _ => None,
                };
                StaffRecord {
                    code: Some(s.code.clone()),
                    name: s.name.clone(),
                    department: Some(o.depts[s.dept].name.clone()),
                    hall: s.hall.map(|h| o.halls[h].name.clone()),
                    window: s.window.map(|w| o.windows[w].name.clone()),
                    region,
                    active: s.active,
                    phone: None,
                    account: None,
                }
            })
            .collect()
    }

    /// Every matter in the state it had before the reform (`after = false`) or after it.
    pub fn matters(&self, after: bool) -> Vec<MatterRecord> {
        let o = &self.org;
        self.catalog
            .matters
            .iter()
            .map(|m| {
                let s: &State = if after { &m.after } else { &m.before };
                MatterRecord {
                    code: m.code.clone(),
                    base_code: Some(m.base.clone()),
                    name: m.name.clone(),
                    department: o.depts[m.dept].name.clone(),
                    region: self.code(m.region),
                    hall: m.hall.map(|h| o.halls[h].name.clone()),
                    as_of: if after { after_date() } else { before_date() },
                    legal_limit_days: s.legal,
                    promised_limit_days: s.promised,
                    online_full: s.online_full,
                    instant: s.instant,
                    scenario: s.scenario,
                    e_license: s.e_license,
                    cert_free: s.cert_free,
                    extended_hours: s.extended,
                }
            })
            .collect()
    }

    pub fn case_no(&self, i: usize) -> String {
        let c = &self.cases[i];
        format!(
            "150300{}{:06}",
            c.accepted.format("%Y%m%d"),
            self.case_seq[i]
        )
    }

    pub fn case_records(&self, range: Range<usize>) -> Vec<CaseRecord> {
        let o = &self.org;
        range
            .map(|i| {
                let c = &self.cases[i];
                let m = &self.catalog.matters[c.matter as usize];
                CaseRecord {
                    case_no: self.case_no(i),
                    matter_code: Some(m.code.clone()),
                    matter_name: Some(m.name.clone()),
                    department: o.depts[m.dept].name.clone(),
                    region: self.code(c.region as usize),
                    window: Some(o.windows[c.window as usize].name.clone()),
                    accepted_at: c.accepted,
                    completed_at: c.completed,
                    assisted: c.assisted,
                    extended: c.extended,
                    package: c.package.map(|p| PACKAGES[p as usize].0.to_string()),
                }
            })
            .collect()
    }

    pub fn rating_records(&self, range: Range<usize>) -> Vec<RatingRecord> {
        let o = &self.org;
        range
            .map(|i| {
                let r = &self.ratings[i];
                let c = &self.cases[r.case as usize];
                let m = &self.catalog.matters[c.matter as usize];
                // Per-rating stream: the text of a rating does not depend on chunking.
                let mut rng =
                    Rng::with_seed(self.seed ^ (i as u64 + 1).wrapping_mul(0xD6E8_FEB8_6659_FD93));
                let (tags, comment) = ratings::remarks(&mut rng, r.grade);
                let named = rng.u32(0..100) < 96;
                RatingRecord {
                    rating_no: format!(
                        "PJ{}{:06}",
                        r.rated_at.format("%Y%m%d"),
                        self.rating_seq[i]
                    ),
                    case_no: Some(self.case_no(r.case as usize)),
                    matter_code: Some(m.code.clone()),
                    matter_name: Some(m.name.clone()),
                    department: o.depts[m.dept].name.clone(),
                    window: Some(o.windows[c.window as usize].name.clone()),
                    staff: c.staff.map(|s| o.staff[s as usize].name.clone()),
                    region: self.code(c.region as usize),
                    channel: r.channel,
                    grade: r.grade,
                    rated_at: r.rated_at,
                    attempt: 1,
                    tags,
                    comment,
                    rater_name: named.then(|| person_name(&mut rng)),
                    rater_phone: named.then(|| mobile(&mut rng)),
                    device: None,
                    address: None,
                    account: None,
                }
            })
            .collect()
    }
}
