//! Benchmark support: a deterministic generator of realistic ratings (the same stream as
//! in-memory records and as a CSV in the ratings import contract), and process metrics.
//!
//! The mix follows what a city's 好差评 export looks like: ≈99.7% 非常满意, 40 departments,
//! 200 windows that belong to a department and a region, 60 regions over four levels
//! (市, 区, 镇/街道, 村/社区), a year of office-hour timestamps in time order, online
//! ratings without a window, a few Chinese comments and tags.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use jianping_core::records::RatingRecord;
use jianping_core::{Channel, Grade, RegionCode};
use std::io::Write;

pub mod metrics;

/// The ratings import contract's headers (issue 2), in file order.
pub const CSV_HEADERS: [&str; 16] = [
    "评价编号",
    "办件编号",
    "事项编码",
    "事项名称",
    "部门",
    "窗口",
    "工作人员",
    "行政区划",
    "评价渠道",
    "满意度",
    "评价时间",
    "评价次数",
    "评价标签",
    "文字评价",
    "评价人",
    "联系电话",
];

const SECTORS: [&str; 20] = [
    "人力资源和社会保障局",
    "公安局",
    "市场监督管理局",
    "自然资源局",
    "住房和城乡建设局",
    "民政局",
    "医疗保障局",
    "税务局",
    "卫生健康委员会",
    "交通运输局",
    "农牧局",
    "教育局",
    "生态环境局",
    "司法局",
    "退役军人事务局",
    "应急管理局",
    "水务局",
    "城市管理综合执法局",
    "文化旅游体育局",
    "不动产登记中心",
];

const MATTERS: [&str; 10] = [
    "失业登记",
    "社会保障卡补换",
    "居民身份证换领",
    "个体工商户设立登记",
    "不动产转移登记",
    "医保关系转移接续",
    "建筑工程施工许可",
    "道路运输经营许可",
    "婚姻登记",
    "城乡居民养老保险参保登记",
];

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "芳", "强", "敏", "伟", "静", "磊", "丽", "军", "洋", "娜", "杰", "霞",
];
const GOOD_COMMENTS: [&str; 4] = [
    "工作人员态度热情，办事效率高",
    "一次就办成了，很方便",
    "窗口人员耐心讲解，点赞",
    "帮办代办服务很贴心",
];
const BAD_COMMENTS: [&str; 4] = [
    "排队时间太长，窗口开得太少",
    "材料要求没有一次性告知，跑了两趟",
    "系统故障，等了一个多小时",
    "工作人员态度生硬",
];
const TAGS: [&str; 3] = ["办事效率高", "服务态度好", "一次办好"];

struct Region {
    code: String,
}

struct Department {
    name: String,
    code: String,
    region: usize,
}

struct Window {
    name: String,
    department: usize,
    region: usize,
    staff: Vec<String>,
}

/// The fixed city: regions, departments, windows.
struct City {
    regions: Vec<Region>,
    departments: Vec<Department>,
    windows: Vec<Window>,
}

impl City {
    fn new() -> City {
        // 1 city, 3 districts, 16 towns, 40 villages: 60 regions over four levels.
        let mut regions = vec![Region {
            code: "150300".into(),
        }];
        for d in 2..=4 {
            regions.push(Region {
                code: format!("15030{d}"),
            });
        }
        for t in 0..16 {
            regions.push(Region {
                code: format!("15030{}{:03}", 2 + t % 3, 1 + t / 3),
            });
        }
        for v in 0..40 {
            let town = &regions[4 + v % 16].code;
            regions.push(Region {
                code: format!("{town}{:03}", 1 + v / 16),
            });
        }
        // Each sector has a city bureau and one district branch: 40 departments.
        let mut departments = Vec::new();
        for (s, sector) in SECTORS.iter().enumerate() {
            departments.push(Department {
                name: format!("乌海市{sector}"),
                code: format!("D{:02}0", s),
                region: 0,
            });
            let district = 1 + s % 3;
            departments.push(Department {
                name: format!("{}{sector}", ["海勃湾区", "海南区", "乌达区"][district - 1]),
                code: format!("D{:02}{district}", s),
                region: district,
            });
        }
        // Five windows per department: three in its own hall, two in towns or villages.
        let mut windows = Vec::new();
        for (d, dept) in departments.iter().enumerate() {
            for k in 0..5 {
                let region = if k < 3 {
                    dept.region
                } else {
                    4 + (d * 2 + k) % 56
                };
                let staff = (0..4)
                    .map(|j| {
                        format!(
                            "{}{}",
                            SURNAMES[(d + j) % 12],
                            GIVEN[(d * 5 + k * 4 + j) % 12]
                        )
                    })
                    .collect();
                windows.push(Window {
                    name: format!("{}{}号窗口", short(&dept.name), k + 1),
                    department: d,
                    region,
                    staff,
                });
            }
        }
        City {
            regions,
            departments,
            windows,
        }
    }
}

fn short(name: &str) -> String {
    name.chars().skip(3).take(4).collect()
}

/// One generated rating, borrowing the city's names.
pub struct Generated<'a> {
    pub no: u64,
    pub matter: usize,
    pub department: &'a str,
    pub department_code: &'a str,
    pub window: Option<&'a str>,
    pub staff: Option<&'a str>,
    pub region: &'a str,
    pub channel: Channel,
    pub grade: Grade,
    pub rated_at: NaiveDateTime,
    pub attempt: u8,
    pub tags: Option<&'static str>,
    pub comment: Option<&'static str>,
    pub rater: (usize, usize),
    pub phone: u64,
}

/// A deterministic stream of `n` ratings in time order over 2023.
pub struct Generator {
    city: City,
    rng: fastrand::Rng,
    n: u64,
    i: u64,
    start: NaiveDateTime,
}

impl Generator {
    pub fn new(seed: u64, n: u64) -> Generator {
        Generator {
            city: City::new(),
            rng: fastrand::Rng::with_seed(seed),
            n: n.max(1),
            i: 0,
            start: NaiveDate::from_ymd_opt(2023, 1, 1)
                .and_then(|d| d.and_hms_opt(8, 30, 0))
                .unwrap_or_default(),
        }
    }

    /// The next rating, or None after `n`.
    pub fn next_rating(&mut self) -> Option<Generated<'_>> {
        if self.i >= self.n {
            return None;
        }
        let i = self.i;
        self.i += 1;
        let rng = &mut self.rng;
        // Office hours (08:30–17:30) of each day, in order.
        let day_pos = i as f64 * 365.0 / self.n as f64;
        let day = day_pos.floor() as i64;
        let secs = ((day_pos - day as f64) * 9.0 * 3600.0) as i64;
        let rated_at = self.start + Duration::days(day) + Duration::seconds(secs);
        let channel = pick_channel(rng.u32(0..1000));
        let online = matches!(channel, Channel::Pc | Channel::Mobile);
        // Busy windows get most ratings: a skewed pick.
        let u = rng.f64();
        let w = &self.city.windows[((u * u) * self.city.windows.len() as f64) as usize];
        let dept = &self.city.departments[w.department];
        let grade = pick_grade(rng.u32(0..100_000));
        let bad = grade >= Grade::Unsatisfied;
        let comment = if bad {
            Some(BAD_COMMENTS[rng.usize(0..4)])
        } else if rng.u32(0..100) == 0 {
            Some(GOOD_COMMENTS[rng.usize(0..4)])
        } else {
            None
        };
        let tags = (rng.u32(0..20) == 0).then(|| TAGS[rng.usize(0..3)]);
        Some(Generated {
            no: i + 1,
            matter: w.department * 10 + rng.usize(0..MATTERS.len()),
            department: &dept.name,
            department_code: &dept.code,
            window: (!online).then_some(w.name.as_str()),
            staff: (!online).then(|| w.staff[rng.usize(0..w.staff.len())].as_str()),
            region: &self.city.regions[if online { dept.region } else { w.region }].code,
            channel,
            grade,
            rated_at,
            attempt: if rng.u32(0..200) == 0 { 2 } else { 1 },
            tags,
            comment,
            rater: (rng.usize(0..12), rng.usize(0..12)),
            phone: 13_000_000_000 + rng.u64(0..1_000_000_000) + 5_000_000_000 * rng.u64(0..2),
        })
    }

    /// The next rating as the typed record the importers produce.
    pub fn next_record(&mut self) -> Option<RatingRecord> {
        self.next_rating().map(|g| g.record())
    }
}

fn pick_channel(x: u32) -> Channel {
    match x {
        0..500 => Channel::HallPad,
        500..700 => Channel::Mobile,
        700..800 => Channel::Pc,
        800..850 => Channel::QrCode,
        850..900 => Channel::HallTerminal,
        900..980 => Channel::SystemDefault,
        980..990 => Channel::Phone,
        _ => Channel::Sms,
    }
}

fn pick_grade(x: u32) -> Grade {
    match x {
        0..99_700 => Grade::VerySatisfied,
        99_700..99_900 => Grade::Satisfied,
        99_900..99_970 => Grade::Basic,
        99_970..99_990 => Grade::Unsatisfied,
        _ => Grade::VeryUnsatisfied,
    }
}

impl Generated<'_> {
    pub fn rating_no(&self) -> String {
        format!("PJ2023{:010}", self.no)
    }

    pub fn matter_code(&self) -> String {
        format!("{}{:03}", self.department_code, self.matter)
    }

    pub fn record(&self) -> RatingRecord {
        RatingRecord {
            rating_no: self.rating_no(),
            case_no: Some(format!("BJ2023{:010}", self.no)),
            matter_code: Some(self.matter_code()),
            matter_name: Some(MATTERS[self.matter % MATTERS.len()].to_string()),
            department: self.department.to_string(),
            window: self.window.map(String::from),
            staff: self.staff.map(String::from),
            region: RegionCode::parse(self.region).unwrap_or_else(|e| panic!("{e}")),
            channel: self.channel,
            grade: self.grade,
            rated_at: self.rated_at,
            attempt: self.attempt,
            tags: self.tags.map(String::from),
            comment: self.comment.map(String::from),
            rater_name: Some(format!("{}{}", SURNAMES[self.rater.0], GIVEN[self.rater.1])),
            rater_phone: Some(self.phone.to_string()),
            device: None,
            address: None,
            account: None,
        }
    }

    /// One CSV line in [`CSV_HEADERS`] order. The generated texts hold no ASCII comma,
    /// quote or newline, so no field needs quoting.
    pub fn write_csv(&self, out: &mut impl Write) -> std::io::Result<()> {
        writeln!(
            out,
            "PJ2023{no:010},BJ2023{no:010},{mc},{mn},{d},{w},{s},{r},{c},{g},{t},{a},{tags},{cm},{rn}{rg},{p}",
            no = self.no,
            mc = self.matter_code(),
            mn = MATTERS[self.matter % MATTERS.len()],
            d = self.department,
            w = self.window.unwrap_or(""),
            s = self.staff.unwrap_or(""),
            r = self.region,
            c = self.channel.name(),
            g = self.grade.name(),
            t = self.rated_at.format("%Y-%m-%d %H:%M:%S"),
            a = self.attempt,
            tags = self.tags.unwrap_or(""),
            cm = self.comment.unwrap_or(""),
            rn = SURNAMES[self.rater.0],
            rg = GIVEN[self.rater.1],
            p = self.phone,
        )
    }
}

/// Writes `n` ratings as a UTF-8 CSV with the contract's headers.
pub fn write_csv(seed: u64, n: u64, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "{}", CSV_HEADERS.join(","))?;
    let mut g = Generator::new(seed, n);
    while let Some(r) = g.next_rating() {
        r.write_csv(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_city_has_the_promised_shape() {
        let c = City::new();
        assert_eq!(c.regions.len(), 60);
        let codes: HashSet<&str> = c.regions.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes.len(), 60, "region codes are unique");
        let levels: HashSet<_> = c
            .regions
            .iter()
            .map(|r| RegionCode::parse(&r.code).unwrap().level())
            .collect();
        assert_eq!(levels.len(), 4);
        assert_eq!(c.departments.len(), 40);
        assert_eq!(c.windows.len(), 200);
        let names: HashSet<(usize, &str)> = c
            .windows
            .iter()
            .map(|w| (w.region, w.name.as_str()))
            .collect();
        assert_eq!(names.len(), 200, "window names are unique within a region");
    }

    #[test]
    fn the_mix_is_mostly_very_satisfied_and_in_time_order() {
        let mut g = Generator::new(7, 200_000);
        let (mut very, mut n, mut last) = (0, 0, NaiveDateTime::default());
        while let Some(r) = g.next_rating() {
            n += 1;
            very += u32::from(r.grade == Grade::VerySatisfied);
            assert!(r.rated_at >= last);
            last = r.rated_at;
        }
        assert_eq!(n, 200_000);
        let share = f64::from(very) / f64::from(n);
        assert!((0.995..0.999).contains(&share), "{share}");
        assert_eq!(last.format("%Y").to_string(), "2023");
    }

    #[test]
    fn csv_and_records_are_the_same_stream() {
        let mut csv = Vec::new();
        write_csv(3, 50, &mut csv).unwrap();
        let text = String::from_utf8(csv).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 51);
        let mut g = Generator::new(3, 50);
        for line in &lines[1..] {
            let r = g.next_record().unwrap();
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(f.len(), 16, "{line}");
            assert_eq!(f[0], r.rating_no);
            assert_eq!(f[4], r.department);
            assert_eq!(f[7], r.region.as_str());
            assert_eq!(
                Grade::parse(f[9], jianping_core::GradeCodes::Gbt39046).unwrap(),
                r.grade
            );
            assert_eq!(f[15], r.rater_phone.unwrap());
        }
    }
}
