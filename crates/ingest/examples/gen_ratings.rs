//! Writes a synthetic 好差评 export for speed measurements:
//! `cargo run --release -p jianping-ingest --example gen_ratings -- 1000000 /tmp/1m.csv`.
//! Deterministic (a fixed-seed generator), UTF-8 with BOM, realistic column shapes.

use std::io::{BufWriter, Write};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const REGIONS: &[&str] = &[
    "150300",
    "150302",
    "150303",
    "150304",
    "150302001",
    "150303100",
    "150304100",
    "150303100201",
];
const PREFIX: &[&str] = &[
    "乌海市",
    "海勃湾区",
    "海南区",
    "乌达区",
    "新华街道",
    "拉僧庙镇",
    "乌兰淖尔镇",
    "海南村",
];
const SECTORS: &[&str] = &[
    "人力资源和社会保障局",
    "公安局",
    "市场监督管理局",
    "医疗保障局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "卫生健康委员会",
    "民政局",
    "税务局",
];
/// Weighted like the seed city's data: most ratings come from hall pads and the mobile app.
const CHANNELS: &[(&str, u64)] = &[
    ("政务大厅平板电脑", 55),
    ("移动服务端", 25),
    ("PC端", 10),
    ("二维码", 6),
    ("系统默认评价", 4),
];

/// A window belongs to one department in one region and has a few staff: ratings are
/// concentrated as in real exports, which keeps the rollup grain realistic.
struct Window {
    region: usize,
    sector: usize,
    no: u64,
}

fn channel(rng: &mut Lcg) -> &'static str {
    let mut x = rng.below(100);
    for (name, w) in CHANNELS {
        if x < *w {
            return name;
        }
        x -= w;
    }
    CHANNELS[0].0
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let path = args.get(2).map_or("/tmp/ratings.csv", String::as_str);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    out.write_all(b"\xEF\xBB\xBF")?;
    writeln!(
        out,
        "评价编号,办件编号,事项编码,事项名称,部门,窗口,工作人员,行政区划,评价渠道,满意度,评价时间,评价次数,评价标签,文字评价,评价人,联系电话"
    )?;
    let mut rng = Lcg(20_231_031);
    let windows: Vec<Window> = (0..300)
        .map(|i| Window {
            region: if i < 120 {
                0
            } else {
                1 + rng.below(REGIONS.len() as u64 - 1) as usize
            },
            sector: rng.below(SECTORS.len() as u64) as usize,
            no: i + 1,
        })
        .collect();
    for i in 0..n {
        let w = &windows[rng.below(windows.len() as u64) as usize];
        let region = REGIONS[w.region];
        let dept = format!("{}{}", PREFIX[w.region], SECTORS[w.sector]);
        let staff = w.no * 3 + rng.below(3);
        let grade = match rng.below(1000) {
            0 => "不满意",
            1..=3 => "基本满意",
            4..=10 => "满意",
            _ => "非常满意",
        };
        let channel = channel(&mut rng);
        let (mo, d, h, mi, s) = (
            rng.below(10) + 1,
            rng.below(28) + 1,
            rng.below(10) + 8,
            rng.below(60),
            rng.below(60),
        );
        let matter = w.sector as u64 * 100 + rng.below(100);
        let comment = if grade == "不满意" {
            "材料说明不清楚，跑了两趟"
        } else {
            ""
        };
        writeln!(
            out,
            "HCP{i:012},BJ{i:014},1115030001153{matter:04}4000117,事项{matter},{dept},综合受理{}号窗口,工作人员{staff},{region},{channel},{grade},2023-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02},1,,{comment},张*,139{:08}",
            w.no,
            rng.below(100_000_000)
        )?;
    }
    out.flush()
}
