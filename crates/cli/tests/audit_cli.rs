//! `jianping audit ratings` end to end: CSV exports with 设备编号/IP地址 and a staff list
//! with 联系电话 imported by the real binary, then the audit in every format.

use std::path::PathBuf;
use std::process::{Command, Output};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn db(&self) -> PathBuf {
        self.dir.path().join("city.db")
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_jianping"))
            .args(args)
            .arg("--db")
            .arg(self.db())
            .env_remove("JIANPING_DB")
            .env_remove("JIANPING_DATABASE_URL")
            .env_remove("JIANPING_FORMAT")
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

/// Six pad ratings in 25 seconds on PAD-07 and two from the clerk's own phone (written
/// with the country code), among ordinary ratings minutes apart.
fn ratings_csv() -> String {
    let mut s = String::from(
        "评价编号,部门,窗口,工作人员,行政区划,评价渠道,满意度,评价时间,联系电话,设备编号,IP地址\n",
    );
    for i in 0..20 {
        s += &format!(
            "N{i:02},试验局,1号窗口,王五,150300,平板,非常满意,2023-03-01 09:{:02}:00,,PAD-01,\n",
            i * 3
        );
    }
    for i in 0..6 {
        s += &format!(
            "B{i:02},试验局,2号窗口,李四,150300,平板,非常满意,2023-03-02 10:00:{:02},,PAD-07,\n",
            i * 5
        );
    }
    s += "S01,试验局,3号窗口,张三,150300,移动端,非常满意,2023-03-03 11:00:00,+86 139-0000-1234,,36.1.2.3\n";
    s += "S02,试验局,3号窗口,张三,150300,移动端,非常满意,2023-03-04 11:00:00,13900001234,,36.1.2.4\n";
    s
}

#[test]
fn flags_bursts_and_self_ratings_in_every_format() {
    let env = Env {
        dir: tempfile::tempdir().unwrap(),
    };
    let staff = env.file(
        "staff.csv",
        "姓名,部门,行政区划,联系电话\n张三,试验局,150300,13900001234\n李四,试验局,150300,13900005678\n",
    );
    env.ok(&["import", "staff", staff.to_str().unwrap(), "--quiet"]);
    let ratings = env.file("ratings.csv", &ratings_csv());
    env.ok(&["import", "ratings", ratings.to_str().unwrap(), "--quiet"]);
    let period = ["--from", "2023-03-01", "--to", "2023-03-31"];

    let json = env.ok(&[&["audit", "ratings", "--format", "json"][..], &period].concat());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let flags = v["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 2, "{json}");
    let burst = flags.iter().find(|f| f["kind"] == "burst").expect(&json);
    assert_eq!(burst["subject"], "设备 PAD-07");
    assert_eq!(burst["count"], 6);
    assert_eq!(burst["examples"][0], "B00");
    let own = flags
        .iter()
        .find(|f| f["kind"] == "staff_identity")
        .expect(&json);
    assert_eq!(own["staff"], "张三");
    assert_eq!(own["count"], 2);
    assert!(
        own["detail"].as_str().unwrap().contains("139****1234"),
        "{own}"
    );
    assert!(
        !json.contains("13900001234"),
        "a phone number in clear text: {json}"
    );
    assert_eq!(v["coverage"]["ratings"], 28);
    assert_eq!(v["coverage"]["ratings_with_device"], 26);

    let table = env.ok(&[&["audit", "ratings"][..], &period].concat());
    assert!(
        table.contains("短时集中评价") && table.contains("工作人员自评"),
        "{table}"
    );
    assert!(table.contains("异常线索 2 条"), "{table}");
    let csv = env.ok(&[&["audit", "ratings", "--format", "csv"][..], &period].concat());
    assert!(
        csv.starts_with('\u{feff}') && csv.lines().count() == 3,
        "{csv}"
    );

    // The audit reads only: the statistics are the same before and after.
    let stats = env.ok(&[&["stats", "ratings", "--format", "json"][..], &period].concat());
    assert!(stats.contains("28"), "{stats}");

    let bad = env.run(&[&["audit", "ratings", "--alpha", "2"][..], &period].concat());
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--alpha"));

    // [audit] in jianping.toml sets the defaults; a flag wins over it.
    let config = env.file(
        "jianping.toml",
        "[audit]\ncorrection = \"holm\"\nmin_ratings = 10\n",
    );
    let config = config.to_str().unwrap();
    let with = |extra: &[&str]| -> serde_json::Value {
        let args = [
            &["audit", "ratings", "--format", "json", "--config", config][..],
            extra,
            &period,
        ]
        .concat();
        serde_json::from_str(&env.ok(&args)).unwrap()
    };
    let v = with(&[]);
    assert_eq!(v["rules"]["correction"], "holm");
    assert_eq!(v["rules"]["min_window_ratings"], 10);
    assert_eq!(
        with(&["--correction", "bh"])["rules"]["correction"],
        "benjamini-hochberg"
    );
    let wrong = env.file("wrong.toml", "[audit]\ncorrection = \"bonferroni\"\n");
    let out = env.run(
        &[
            &["audit", "ratings", "--config", wrong.to_str().unwrap()][..],
            &period,
        ]
        .concat(),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("[audit] correction"));
}
