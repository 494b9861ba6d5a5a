//! The city's bodies: regions down to communities, departments, halls, windows and staff.
//! Names follow 乌海's real structure (its districts, streets and towns, and the usual
//! bureaus of a prefecture-level city); codes below district level are plausible, not official.

use crate::names::{COMMUNITIES, VILLAGES, person_name};
use crate::targets::{Targets, apportion};
use fastrand::Rng;
use jianping_core::RegionCode;
use std::collections::HashSet;

pub const CITY_CODE: &str = "150300";
pub const CITY_NAME: &str = "乌海市";

/// Region groups: 0 = the city level, 1.. = a district's subtree (district index + 1).
pub type Group = usize;

/// (code suffix, name): 街道 take 001–099, 镇 100–199, as in GB/T 10114.
type TownDef = (&'static str, &'static str);

pub const DISTRICTS: [(&str, &str, &[TownDef]); 3] = [
    (
        "150302",
        "海勃湾区",
        &[
            ("001", "新华街道"),
            ("002", "新华西街道"),
            ("003", "凤凰岭街道"),
            ("004", "海北街道"),
            ("005", "滨河街道"),
            ("006", "林荫街道"),
            ("007", "东山街道"),
            ("100", "千里山镇"),
        ],
    ),
    (
        "150303",
        "海南区",
        &[
            ("001", "西卓子山街道"),
            ("100", "拉僧庙镇"),
            ("101", "巴音陶亥镇"),
            ("102", "公乌素镇"),
        ],
    ),
    (
        "150304",
        "乌达区",
        &[
            ("001", "三道坎街道"),
            ("002", "梁家沟街道"),
            ("003", "五虎山街道"),
            ("004", "苏海图街道"),
            ("005", "巴音赛街道"),
            ("006", "滨海街道"),
            ("007", "新达街道"),
            ("100", "乌兰淖尔镇"),
        ],
    ),
];

/// City departments: (name, sector, in the service centre, matter weight, case traffic weight).
pub const CITY_DEPARTMENTS: &[(&str, &str, bool, f64, f64)] = &[
    (
        "乌海市行政审批和政务服务局",
        "行政审批和政务服务",
        true,
        60.0,
        6.0,
    ),
    ("乌海市发展和改革委员会", "发展改革", true, 25.0, 1.0),
    ("乌海市教育局", "教育", true, 30.0, 2.0),
    ("乌海市科学技术局", "科技", true, 12.0, 0.4),
    ("乌海市工业和信息化局", "工业和信息化", true, 15.0, 0.5),
    ("乌海市公安局", "公安", true, 110.0, 18.0),
    ("乌海市民政局", "民政", true, 40.0, 4.0),
    ("乌海市司法局", "司法行政", true, 35.0, 1.5),
    ("乌海市财政局", "财政", true, 12.0, 0.5),
    (
        "乌海市人力资源和社会保障局",
        "人力资源和社会保障",
        true,
        95.0,
        14.0,
    ),
    ("乌海市自然资源局", "自然资源", true, 70.0, 10.0),
    ("乌海市生态环境局", "生态环境", true, 35.0, 0.8),
    ("乌海市住房和城乡建设局", "住房和城乡建设", true, 75.0, 4.0),
    ("乌海市交通运输局", "交通运输", true, 70.0, 4.0),
    ("乌海市水务局", "水利", true, 30.0, 0.6),
    ("乌海市农牧局", "农牧", true, 45.0, 1.0),
    ("乌海市商务局", "商务", true, 15.0, 0.5),
    ("乌海市文化旅游体育局", "文化旅游体育", true, 45.0, 1.0),
    ("乌海市卫生健康委员会", "卫生健康", true, 60.0, 4.0),
    ("乌海市退役军人事务局", "退役军人事务", true, 20.0, 1.0),
    ("乌海市应急管理局", "应急管理", true, 25.0, 0.8),
    ("乌海市市场监督管理局", "市场监管", true, 80.0, 10.0),
    ("乌海市医疗保障局", "医疗保障", true, 30.0, 8.0),
    ("乌海市林业和草原局", "林业和草原", true, 25.0, 0.4),
    ("乌海市城市管理综合执法局", "城市管理", true, 25.0, 1.0),
    ("乌海市能源局", "能源", true, 15.0, 0.4),
    ("乌海市人民防空办公室", "人民防空", true, 8.0, 0.2),
    ("乌海市住房公积金中心", "住房公积金", true, 20.0, 7.0),
    ("乌海市统计局", "统计", true, 5.0, 0.1),
    ("乌海市审计局", "审计", true, 3.0, 0.1),
    ("乌海市民族事务委员会", "民族宗教", true, 10.0, 0.2),
    ("乌海市档案馆", "档案", true, 5.0, 0.6),
    ("乌海市气象局", "气象", true, 6.0, 0.2),
    ("乌海市地震局", "地震", true, 4.0, 0.1),
    ("乌海市消防救援支队", "消防救援", true, 8.0, 0.5),
    ("乌海市残疾人联合会", "残联", true, 8.0, 0.8),
    ("乌海市烟草专卖局", "烟草专卖", true, 4.0, 0.6),
    ("乌海市邮政管理局", "邮政管理", true, 5.0, 0.2),
    ("乌海市新闻出版局", "新闻出版", true, 6.0, 0.2),
    ("国家税务总局乌海市税务局", "税务", false, 18.0, 3.0),
    ("中国人民银行乌海市分行", "金融管理", false, 8.0, 0.0),
    ("乌海市人民政府外事办公室", "外事", false, 6.0, 0.0),
];

/// The body that runs the city service centre (承办 of 12345 tickets, 帮办代办 windows).
pub const SERVICE_CENTRE_DEPT: &str = "乌海市政务服务中心";
/// The housing-fund branch named in a 码上监督 complaint.
pub const FUND_BRANCH_DEPT: &str = "乌海市住房公积金中心乌达分中心";

/// District departments: (sector, name pattern with {d} for the district, matter weight,
/// case traffic weight).
pub const DISTRICT_DEPARTMENTS: &[(&str, &str, f64, f64)] = &[
    ("行政审批和政务服务", "{d}行政审批和政务服务局", 70.0, 6.0),
    ("发展改革", "{d}发展和改革委员会", 20.0, 0.6),
    ("教育", "{d}教育局", 30.0, 2.0),
    ("科技", "{d}科学技术局", 8.0, 0.2),
    ("工业和信息化", "{d}工业和信息化局", 12.0, 0.3),
    ("公安", "乌海市公安局{d}分局", 70.0, 16.0),
    ("民政", "{d}民政局", 45.0, 5.0),
    ("司法行政", "{d}司法局", 20.0, 1.0),
    ("财政", "{d}财政局", 12.0, 0.3),
    ("人力资源和社会保障", "{d}人力资源和社会保障局", 80.0, 14.0),
    ("自然资源", "乌海市自然资源局{d}分局", 45.0, 6.0),
    ("生态环境", "乌海市生态环境局{d}分局", 20.0, 0.4),
    ("住房和城乡建设", "{d}住房和城乡建设局", 55.0, 3.0),
    ("交通运输", "{d}交通运输局", 30.0, 2.0),
    ("水利", "{d}水务局", 25.0, 0.4),
    ("农牧", "{d}农牧局", 60.0, 1.2),
    ("商务", "{d}商务局", 10.0, 0.3),
    ("文化旅游体育", "{d}文化旅游体育局", 35.0, 0.8),
    ("卫生健康", "{d}卫生健康委员会", 55.0, 4.0),
    ("退役军人事务", "{d}退役军人事务局", 20.0, 1.5),
    ("应急管理", "{d}应急管理局", 20.0, 0.6),
    ("市场监管", "{d}市场监督管理局", 60.0, 12.0),
    ("医疗保障", "{d}医疗保障局", 30.0, 9.0),
    ("林业和草原", "{d}林业和草原局", 20.0, 0.3),
    ("城市管理", "{d}城市管理综合执法局", 25.0, 1.0),
    ("统计", "{d}统计局", 4.0, 0.1),
    ("民族宗教", "{d}民族宗教事务局", 8.0, 0.2),
    ("残联", "{d}残疾人联合会", 10.0, 1.0),
    ("税务", "国家税务总局乌海市{d}税务局", 15.0, 4.0),
];

/// How much of the district tier's case volume each district's centre takes.
pub const DISTRICT_TRAFFIC: [f64; 3] = [0.48, 0.21, 0.31];
/// Windows in each district centre.
const DISTRICT_WINDOWS: [u64; 3] = [46, 32, 38];

#[derive(Debug, Clone)]
pub struct Region {
    pub code: RegionCode,
    pub name: String,
    pub group: Group,
    /// For a town or village: its town's index in `Org::towns`.
    pub town: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct District {
    pub code: &'static str,
    pub name: &'static str,
    pub region: usize,
    pub hall: usize,
    pub towns: Vec<usize>,
    /// (sector, department index), in DISTRICT_DEPARTMENTS order.
    pub depts: Vec<(&'static str, usize)>,
}

#[derive(Debug, Clone)]
pub struct Town {
    pub region: usize,
    pub district: usize,
    pub name: String,
    pub villages: Vec<usize>,
    pub office: usize,
    pub hall: usize,
    /// Village stations: (region index, hall index).
    pub stations: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct Dept {
    pub name: String,
    pub code: String,
    pub region: usize,
    pub sector: Option<&'static str>,
    pub short: Option<String>,
    pub matter_weight: f64,
    pub traffic: f64,
    pub in_centre: bool,
}

#[derive(Debug, Clone)]
pub struct Hall {
    pub name: String,
    pub code: String,
    pub region: usize,
    pub kind: &'static str,
    pub extended: bool,
}

#[derive(Debug, Clone)]
pub struct Window {
    pub name: String,
    pub code: String,
    pub hall: usize,
    pub region: usize,
    pub dept: usize,
    pub kind: &'static str,
    pub extended: bool,
}

#[derive(Debug, Clone)]
pub struct Staff {
    pub name: String,
    pub code: String,
    pub dept: usize,
    pub hall: Option<usize>,
    pub window: Option<usize>,
    pub active: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Org {
    pub regions: Vec<Region>,
    pub districts: Vec<District>,
    pub towns: Vec<Town>,
    pub depts: Vec<Dept>,
    pub halls: Vec<Hall>,
    pub windows: Vec<Window>,
    pub staff: Vec<Staff>,
    pub city_region: usize,
    pub centre: usize,
    pub tax_hall: usize,
    pub fund_branch_hall: usize,
    /// City departments in CITY_DEPARTMENTS order.
    pub city_depts: Vec<usize>,
    pub service_centre_dept: usize,
    pub fund_branch_dept: usize,
}

/// GB 32100 check character of an 18-character unified social credit code.
fn credit_code(region: &str, seq: usize) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let body = format!("11{region}MB{:07}", 1_957_000 + seq * 37);
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| CHARS.iter().position(|c| *c == b).unwrap_or(0) as u32 * w)
        .sum();
    let c = (31 - sum % 31) % 31;
    format!("{body}{}", char::from(CHARS[c as usize]))
}

impl Org {
    pub fn region_code(&self, r: usize) -> &RegionCode {
        &self.regions[r].code
    }

    fn add_region(&mut self, code: &str, name: &str, group: Group, town: Option<usize>) -> usize {
        self.regions.push(Region {
            code: RegionCode::parse(code).expect("valid region code"),
            name: name.to_string(),
            group,
            town,
        });
        self.regions.len() - 1
    }

    fn add_dept(&mut self, d: Dept) -> usize {
        self.depts.push(d);
        self.depts.len() - 1
    }

    fn dept(&self, name: &str, region: usize, sector: Option<&'static str>, w: (f64, f64)) -> Dept {
        let short = name
            .strip_prefix(CITY_NAME)
            .filter(|s| !s.is_empty())
            .map(|s| format!("市{s}"));
        Dept {
            name: name.to_string(),
            code: credit_code(self.regions[region].code.as_str(), self.depts.len()),
            region,
            sector,
            short,
            matter_weight: w.0,
            traffic: w.1,
            in_centre: false,
        }
    }

    fn add_hall(
        &mut self,
        name: String,
        region: usize,
        kind: &'static str,
        extended: bool,
    ) -> usize {
        let code = format!("{}-{:03}", self.regions[region].code, self.halls.len() + 1);
        self.halls.push(Hall {
            name,
            code,
            region,
            kind,
            extended,
        });
        self.halls.len() - 1
    }

    fn add_window(&mut self, hall: usize, dept: usize, name: String, kind: &'static str) -> usize {
        let code = format!("{}-W{:03}", self.halls[hall].code, self.windows.len() + 1);
        let region = self.halls[hall].region;
        self.windows.push(Window {
            name,
            code,
            hall,
            region,
            dept,
            kind,
            extended: false,
        });
        self.windows.len() - 1
    }
}

/// Builds the whole organisation; `targets` fixes the centre's windows and staff and the
/// extended-hours halls and windows.
pub fn build(rng: &mut Rng, t: &Targets) -> Org {
    let mut org = Org::default();
    org.city_region = org.add_region(CITY_CODE, CITY_NAME, 0, None);
    build_city_departments(&mut org);
    build_districts(rng, &mut org);
    build_city_halls(&mut org, t);
    build_district_halls(rng, &mut org);
    choose_extended_halls(rng, &mut org, t);
    choose_extended_windows(rng, &mut org, t);
    crate::staffing::staff_everyone(rng, &mut org, t);
    org
}

fn build_city_departments(org: &mut Org) {
    let city = org.city_region;
    for (name, sector, centre, mw, tw) in CITY_DEPARTMENTS {
        let mut d = org.dept(name, city, Some(sector), (*mw, *tw));
        d.in_centre = *centre;
        let i = org.add_dept(d);
        org.city_depts.push(i);
    }
    let d = org.dept(
        SERVICE_CENTRE_DEPT,
        city,
        Some("行政审批和政务服务"),
        (0.0, 0.0),
    );
    org.service_centre_dept = org.add_dept(d);
}

fn build_districts(rng: &mut Rng, org: &mut Org) {
    for (di, (code, name, towns)) in DISTRICTS.iter().enumerate() {
        let group = di + 1;
        let region = org.add_region(code, name, group, None);
        let mut depts = Vec::new();
        for (sector, pattern, mw, tw) in DISTRICT_DEPARTMENTS {
            let dname = pattern.replace("{d}", name);
            let d = org.dept(&dname, region, Some(sector), (*mw, *tw));
            depts.push((*sector, org.add_dept(d)));
        }
        let mut town_ids = Vec::new();
        for (suffix, tname) in towns.iter() {
            town_ids.push(build_town(rng, org, di, &format!("{code}{suffix}"), tname));
        }
        org.districts.push(District {
            code,
            name,
            region,
            hall: usize::MAX,
            towns: town_ids,
            depts,
        });
    }
    if let Some(wuda) = org.districts.iter().find(|d| d.code == "150304") {
        let r = wuda.region;
        let d = org.dept(FUND_BRANCH_DEPT, r, Some("住房公积金"), (0.0, 0.0));
        org.fund_branch_dept = org.add_dept(d);
    }
}

fn build_town(rng: &mut Rng, org: &mut Org, district: usize, code: &str, name: &str) -> usize {
    let ti = org.towns.len();
    let region = org.add_region(code, name, district + 1, Some(ti));
    let dname = DISTRICTS[district].1;
    let is_town = name.ends_with('镇');
    let office_name = if is_town {
        format!("{dname}{name}人民政府")
    } else {
        format!("{dname}{name}办事处")
    };
    let office = org.dept(&office_name, region, None, (0.0, 1.0));
    let office = org.add_dept(office);
    let hall = org.add_hall(
        format!("{dname}{name}便民服务中心"),
        region,
        "便民服务中心",
        false,
    );
    // Streets have communities; towns have villages and a community at the town seat.
    let mut pool: Vec<(&str, &str, u32)> = if is_town {
        VILLAGES.iter().map(|v| (*v, "村", 200)).collect()
    } else {
        COMMUNITIES.iter().map(|c| (*c, "社区", 1)).collect()
    };
    rng.shuffle(&mut pool);
    let n = if is_town {
        rng.usize(3..=5)
    } else {
        rng.usize(4..=7)
    };
    let mut chosen: Vec<(String, u32)> = pool[..n]
        .iter()
        .map(|(v, kind, _)| (format!("{v}{kind}"), if *kind == "村" { 200 } else { 1 }))
        .collect();
    if is_town {
        chosen.insert(0, (format!("{}社区", name.trim_end_matches('镇')), 1));
    }
    let mut villages = Vec::new();
    let mut stations = Vec::new();
    let (mut next_comm, mut next_vil) = (1u32, 200u32);
    for (vname, base) in chosen {
        let seq = if base == 1 {
            &mut next_comm
        } else {
            &mut next_vil
        };
        let vcode = format!("{code}{:03}", *seq);
        *seq += 1;
        let r = org.add_region(&vcode, &vname, district + 1, Some(ti));
        let h = org.add_hall(
            format!("{dname}{name}{vname}便民服务站"),
            r,
            "便民服务站",
            false,
        );
        villages.push(r);
        stations.push((r, h));
    }
    org.towns.push(Town {
        region,
        district,
        name: name.to_string(),
        villages,
        office,
        hall,
        stations,
    });
    ti
}

fn build_city_halls(org: &mut Org, t: &Targets) {
    let city = org.city_region;
    org.centre = org.add_hall("乌海市政务服务中心".into(), city, "政务服务中心", true);
    org.tax_hall = org.add_hall(
        "国家税务总局乌海市税务局办税服务厅".into(),
        city,
        "专业服务大厅",
        false,
    );
    let wuda = org.districts[2].region;
    org.fund_branch_hall = org.add_hall(
        "乌海市住房公积金中心乌达分中心服务大厅".into(),
        wuda,
        "专业服务大厅",
        false,
    );
    let centre_depts: Vec<usize> = org
        .city_depts
        .iter()
        .copied()
        .filter(|d| org.depts[*d].in_centre)
        .collect();
    let weights: Vec<f64> = centre_depts.iter().map(|d| org.depts[*d].traffic).collect();
    let per_dept = apportion(t.center_windows, &weights, 1);
    let mut no = 0;
    for (d, n) in centre_depts.iter().zip(per_dept) {
        for _ in 0..n {
            no += 1;
            org.add_window(org.centre, *d, format!("综合受理{no:02}号窗口"), "综合受理");
        }
    }
    let sc = org.service_centre_dept;
    for i in 1..=2 {
        org.add_window(org.centre, sc, format!("帮办代办{i}号窗口"), "帮办代办");
    }
    org.add_window(
        org.centre,
        sc,
        "“办不成事”反映窗口".into(),
        "“办不成事”反映",
    );
    let tax = org.city_depts[CITY_DEPARTMENTS
        .iter()
        .position(|d| d.1 == "税务")
        .unwrap_or(0)];
    for i in 1..=6 {
        org.add_window(org.tax_hall, tax, format!("办税{i}号窗口"), "专业");
    }
    let fb = org.fund_branch_dept;
    for i in 1..=2 {
        org.add_window(org.fund_branch_hall, fb, format!("公积金{i}号窗口"), "专业");
    }
}

fn build_district_halls(rng: &mut Rng, org: &mut Org) {
    for (di, n_windows) in DISTRICT_WINDOWS.iter().enumerate() {
        let (name, region) = (org.districts[di].name, org.districts[di].region);
        let hall = org.add_hall(format!("{name}政务服务中心"), region, "政务服务中心", true);
        org.districts[di].hall = hall;
        let depts = org.districts[di].depts.clone();
        let weights: Vec<f64> = depts.iter().map(|(_, d)| org.depts[*d].traffic).collect();
        let per = apportion(*n_windows, &weights, 1);
        let mut no = 0;
        for ((_, d), n) in depts.iter().zip(per) {
            for _ in 0..n {
                no += 1;
                org.add_window(hall, *d, format!("综合受理{no:02}号窗口"), "综合受理");
            }
        }
        let bureau = depts[0].1;
        org.add_window(hall, bureau, "帮办代办窗口".into(), "帮办代办");
        for ti in org.districts[di].towns.clone() {
            let (th, office) = (org.towns[ti].hall, org.towns[ti].office);
            let n = rng.usize(2..=3);
            for i in 1..=n {
                org.add_window(th, office, format!("综合受理{i}号窗口"), "综合受理");
            }
            org.add_window(th, office, "帮办代办窗口".into(), "帮办代办");
            for (_, sh) in org.towns[ti].stations.clone() {
                org.add_window(sh, office, "代办窗口".into(), "代办");
            }
        }
    }
}

/// Every service centre and town centre opens extended hours; the village stations that do
/// make up the rest of the target.
fn choose_extended_halls(rng: &mut Rng, org: &mut Org, t: &Targets) {
    let fixed = org
        .halls
        .iter()
        .filter(|h| h.kind == "政务服务中心" || h.kind == "便民服务中心")
        .count() as u64;
    for h in org.halls.iter_mut() {
        if h.kind == "政务服务中心" || h.kind == "便民服务中心" {
            h.extended = true;
        }
    }
    let mut stations: Vec<usize> = (0..org.halls.len())
        .filter(|h| org.halls[*h].kind == "便民服务站")
        .collect();
    let want = t
        .extended_halls
        .checked_sub(fixed)
        .expect("too many fixed extended halls");
    assert!(
        want as usize <= stations.len(),
        "{want} village stations needed for the extended-hours halls, {} exist",
        stations.len()
    );
    rng.shuffle(&mut stations);
    for h in &stations[..want as usize] {
        org.halls[*h].extended = true;
    }
}

/// The highlighted district's subtree gets its target; the rest of the city's extended
/// windows are spread over the other groups by how many candidates each has.
fn choose_extended_windows(rng: &mut Rng, org: &mut Org, t: &Targets) {
    let groups = org.districts.len() + 1;
    let highlight = 1 + org
        .districts
        .iter()
        .position(|d| d.code == t.highlight_district)
        .expect("highlighted district exists");
    let mut cands: Vec<Vec<usize>> = vec![Vec::new(); groups];
    for (i, w) in org.windows.iter().enumerate() {
        if org.halls[w.hall].extended && w.kind != "“办不成事”反映" {
            cands[org.regions[w.region].group].push(i);
        }
    }
    let others: Vec<usize> = (0..groups).filter(|g| *g != highlight).collect();
    let weights: Vec<f64> = others.iter().map(|g| cands[*g].len() as f64).collect();
    let rest = t.extended_windows - t.highlight_extended_windows;
    let mut quota = vec![0u64; groups];
    quota[highlight] = t.highlight_extended_windows;
    for (g, q) in others.iter().zip(apportion(rest, &weights, 0)) {
        quota[*g] = q;
    }
    for g in 0..groups {
        let c = &mut cands[g];
        assert!(
            quota[g] as usize <= c.len(),
            "group {g}: too few windows for extended hours"
        );
        rng.shuffle(c);
        for w in &c[..quota[g] as usize] {
            org.windows[*w].extended = true;
        }
    }
}

/// A name unique within `taken` (a department's staff, say).
pub fn unique_name(rng: &mut Rng, taken: &mut HashSet<String>) -> String {
    loop {
        let n = person_name(rng);
        if taken.insert(n.clone()) {
            return n;
        }
    }
}
