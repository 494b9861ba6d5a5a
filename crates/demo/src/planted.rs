//! A generated city for testing the suspicious-rating audit: departments with windows in
//! three halls, ordinary ratings drawn alike within a department (with a little window-to-
//! window variation, as real windows have), and a few windows planted with each pattern
//! the audit looks for. Separate from the demo city, whose figures it does not touch.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use fastrand::Rng;
use jianping_core::audit::FlagKind;
use jianping_core::records::*;
use jianping_core::{Channel, Grade, RegionCode};
use jianping_store::{ImportSummary, Store, StoreError};

/// The size of the generated city.
#[derive(Debug, Clone, Copy)]
pub struct PlantedConfig {
    pub seed: u64,
    pub departments: usize,
    pub windows_per_department: usize,
    /// Ordinary ratings per window, drawn uniformly from this range.
    pub ratings_per_window: (usize, usize),
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Default for PlantedConfig {
    fn default() -> Self {
        PlantedConfig {
            seed: 0x00A0_D17E,
            departments: 12,
            windows_per_department: 6,
            ratings_per_window: (300, 900),
            from: NaiveDate::from_ymd_opt(2023, 1, 2).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2023, 6, 30).unwrap_or_default(),
        }
    }
}

/// What was planted where: the kind of flag the audit must raise, the window's name, and
/// the device, address or staff member when the flag names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    pub kind: FlagKind,
    pub window: String,
    pub subject: Option<String>,
}

/// The city as raw records, and the plantings.
#[derive(Debug, Clone)]
pub struct PlantedCity {
    pub regions: Vec<RegionRecord>,
    pub departments: Vec<DepartmentRecord>,
    pub halls: Vec<HallRecord>,
    pub windows: Vec<WindowRecord>,
    pub staff: Vec<StaffRecord>,
    pub ratings: Vec<RatingRecord>,
    pub planted: Vec<Planted>,
}

const REGIONS: [(&str, &str); 3] = [("150300", "试验市"), ("150302", "东区"), ("150303", "西区")];
const HALLS: [&str; 3] = ["试验市政务服务中心", "东区政务服务中心", "西区政务服务中心"];
/// 非常满意 probability of department d is 0.86 + 0.01·(d mod 6).
const BASE_VERY: f64 = 0.86;
const DEFAULT_SHARE: f64 = 0.05;

fn code(c: &str) -> RegionCode {
    RegionCode::parse(c).unwrap_or_else(|e| panic!("{e}"))
}

/// The jianping login from which the city plants ratings; the test creates it.
pub const PLANTED_LOGIN: &str = "clerk01";

/// A window of the generated city: its names and the parameters of its ratings.
struct Win {
    name: String,
    department: String,
    hall: usize,
    staff: String,
    staff_phone: String,
    very: f64,
    default: f64,
}

impl PlantedCity {
    pub fn generate(cfg: &PlantedConfig) -> PlantedCity {
        let mut rng = Rng::with_seed(cfg.seed);
        let wins = windows(cfg, &mut rng);
        let mut city = PlantedCity::catalog(&wins);
        let days = workdays(cfg.from, cfg.to);
        let mut ranges = Vec::with_capacity(wins.len());
        for (wi, w) in wins.iter().enumerate() {
            let n = rng.usize(cfg.ratings_per_window.0..=cfg.ratings_per_window.1);
            let start = city.ratings.len();
            ordinary(&mut city.ratings, &mut rng, wi, w, n, &days);
            ranges.push(start..city.ratings.len());
        }
        plant(&mut city, &wins, &ranges, &mut rng, &days);
        city
    }

    fn catalog(wins: &[Win]) -> PlantedCity {
        let mut departments: Vec<DepartmentRecord> = Vec::new();
        for w in wins {
            if departments.iter().all(|d| d.name != w.department) {
                departments.push(DepartmentRecord {
                    name: w.department.clone(),
                    code: None,
                    region: Some(code(REGIONS[0].0)),
                    sector: None,
                    short_name: None,
                });
            }
        }
        PlantedCity {
            regions: REGIONS
                .iter()
                .map(|(c, n)| RegionRecord {
                    code: code(c),
                    name: n.to_string(),
                })
                .collect(),
            departments,
            halls: HALLS
                .iter()
                .zip(REGIONS)
                .map(|(h, (c, _))| HallRecord {
                    code: None,
                    name: h.to_string(),
                    region: code(c),
                    kind: Some("政务服务中心".into()),
                    extended_hours: false,
                })
                .collect(),
            windows: wins.iter().map(window_record).collect(),
            staff: wins
                .iter()
                .enumerate()
                .map(|(i, w)| StaffRecord {
                    code: Some(format!("GH{i:04}")),
                    name: w.staff.clone(),
                    department: Some(w.department.clone()),
                    hall: Some(HALLS[w.hall].to_string()),
                    window: Some(w.name.clone()),
                    region: Some(code(REGIONS[w.hall].0)),
                    active: true,
                    phone: Some(w.staff_phone.clone()),
                    account: Some(format!("staff{i:04}@gov")),
                })
                .collect(),
            ratings: Vec::new(),
            planted: Vec::new(),
        }
    }

    /// Writes the city into `store`, one import per kind, without ledger items (the audit
    /// does not need them and a large city would spend most of its time on them).
    pub fn write(&self, store: &mut Store) -> Result<Vec<ImportSummary>, StoreError> {
        let mut out = Vec::new();
        let mut run = |kind: &str,
                       f: &mut dyn FnMut(
            &mut jianping_store::ImportSession<'_>,
        ) -> Result<(), StoreError>| {
            let mut s = store.begin_import(kind, "planted-city", "")?;
            s.skip_ledger_sync();
            f(&mut s)?;
            out.push(s.commit()?);
            Ok::<(), StoreError>(())
        };
        run("regions", &mut |s| s.regions(&self.regions))?;
        run("departments", &mut |s| s.departments(&self.departments))?;
        run("halls", &mut |s| s.halls(&self.halls))?;
        run("windows", &mut |s| s.windows(&self.windows))?;
        run("staff", &mut |s| s.staff(&self.staff))?;
        run("ratings", &mut |s| {
            self.ratings.chunks(20_000).try_for_each(|c| s.ratings(c))
        })?;
        Ok(out)
    }
}

fn windows(cfg: &PlantedConfig, rng: &mut Rng) -> Vec<Win> {
    let mut out = Vec::new();
    for d in 0..cfg.departments {
        let department = format!("试验市第{}局", d + 1);
        let very = BASE_VERY + 0.01 * (d % 6) as f64;
        for k in 0..cfg.windows_per_department {
            let i = out.len();
            out.push(Win {
                name: format!("{department}{}号窗口", k + 1),
                department: department.clone(),
                hall: k % HALLS.len(),
                staff: format!("员工{i:04}"),
                staff_phone: format!("139{:08}", 10_000_000 + i * 7919),
                // Real windows differ a little; less than the audit's least effect.
                very: very + (rng.f64() - 0.5) * 0.02,
                default: DEFAULT_SHARE,
            });
        }
    }
    out
}

fn window_record(w: &Win) -> WindowRecord {
    WindowRecord {
        code: None,
        name: w.name.clone(),
        hall: Some(HALLS[w.hall].to_string()),
        region: code(REGIONS[w.hall].0),
        department: Some(w.department.clone()),
        kind: Some("专业".into()),
        extended_hours: false,
    }
}

fn workdays(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect()
}

const DAY_SECONDS: i64 = 8 * 3600;

/// The wall-clock time of working second `s` (09:00–17:00 on the working days).
fn at(days: &[NaiveDate], s: i64) -> NaiveDateTime {
    let day = days[((s / DAY_SECONDS) as usize).min(days.len() - 1)];
    day.and_hms_opt(9, 0, 0).unwrap_or_default() + Duration::seconds(s % DAY_SECONDS)
}

fn grade(rng: &mut Rng, very: f64) -> Grade {
    let x = rng.f64();
    if x < very {
        return Grade::VerySatisfied;
    }
    // The rest: 满意 60%, 基本满意 25%, 不满意 10%, 非常不满意 5%.
    match rng.u32(0..100) {
        0..60 => Grade::Satisfied,
        60..85 => Grade::Basic,
        85..95 => Grade::Unsatisfied,
        _ => Grade::VeryUnsatisfied,
    }
}

fn person_phone(rng: &mut Rng) -> String {
    format!("13{}{:08}", rng.u32(5..9), rng.u32(0..100_000_000))
}

fn ip(rng: &mut Rng) -> String {
    format!(
        "{}.{}.{}.{}",
        rng.u32(36..223),
        rng.u32(0..256),
        rng.u32(0..256),
        rng.u32(1..255)
    )
}

/// One rating at window `w`, its origin following its channel: a pad's device, an app or
/// QR page's address, nothing for SMS and PC.
fn rating(w: &Win, no: String, channel: Channel, grade: Grade, t: NaiveDateTime) -> RatingRecord {
    RatingRecord {
        rating_no: no,
        case_no: None,
        matter_code: None,
        matter_name: None,
        department: w.department.clone(),
        window: Some(w.name.clone()),
        staff: Some(w.staff.clone()),
        region: code(REGIONS[w.hall].0),
        channel,
        grade,
        rated_at: t,
        attempt: 1,
        tags: None,
        comment: None,
        rater_name: None,
        rater_phone: None,
        device: (channel == Channel::HallPad).then(|| format!("PAD-{}", no_prefix(&w.name))),
        address: None,
        account: None,
    }
}

fn no_prefix(name: &str) -> String {
    name.replace("试验市", "").replace("号窗口", "")
}

/// `n` ordinary ratings: services at least 90 s apart (one applicant at a time), each rated
/// a little later on the pad, within hours by SMS, within a day on the app; defaults at the
/// end of the rating window, all 非常满意.
fn ordinary(
    out: &mut Vec<RatingRecord>,
    rng: &mut Rng,
    wi: usize,
    w: &Win,
    n: usize,
    days: &[NaiveDate],
) {
    let span = days.len() as i64 * DAY_SECONDS;
    let gap = (span / n.max(1) as i64).max(180);
    let mut s = rng.i64(0..gap);
    for i in 0..n {
        s += 90 + rng.i64(0..2 * (gap - 90));
        if s >= span {
            break;
        }
        let done = at(days, s);
        let no = format!("T{wi:03}{i:06}");
        let r = if rng.f64() < w.default {
            let t = done + Duration::days(5);
            rating(w, no, Channel::SystemDefault, Grade::VerySatisfied, t)
        } else {
            let g = grade(rng, w.very);
            let (channel, delay) = match rng.u32(0..100) {
                0..55 => (Channel::HallPad, rng.i64(20..120)),
                55..85 => (Channel::Mobile, rng.i64(600..86_400)),
                85..93 => (Channel::QrCode, rng.i64(60..3_600)),
                93..97 => (Channel::Sms, rng.i64(300..14_400)),
                _ => (Channel::Pc, rng.i64(600..86_400)),
            };
            let mut r = rating(w, no, channel, g, done + Duration::seconds(delay));
            if matches!(channel, Channel::Mobile | Channel::QrCode) {
                r.address = Some(ip(rng));
            }
            r
        };
        let mut r = r;
        if rng.u32(0..100) < 80 {
            r.rater_phone = Some(person_phone(rng));
        }
        out.push(r);
    }
}

mod plant;
use plant::plant;
