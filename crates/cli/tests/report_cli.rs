//! `jianping report` and `jianping stats` through the real binary, on the hand-made city of
//! the report tests.

#[path = "../../report/tests/dataset/mod.rs"]
mod dataset;
#[path = "../../report/tests/month/mod.rs"]
mod month;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct City {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

fn city() -> City {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    let mut store = jianping_store::Store::open_sqlite(&db).unwrap();
    dataset::load(&mut store);
    dataset::ledger_item(
        &mut store,
        "ZG-R1",
        "rating",
        dataset::BAD_RATING,
        "closed",
        None,
    );
    City { _dir: dir, db }
}

fn jianping(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jianping"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("JIANPING_FORMAT")
        .env_remove("JIANPING_DATABASE_URL")
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

const PERIOD: [&str; 4] = ["--from", "2023-01-01", "--to", "2023-10-31"];

fn with_period<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = args.to_vec();
    v.extend(PERIOD);
    v
}

#[test]
fn annual_report_in_markdown_to_a_file_and_json_to_stdout() {
    let c = city();
    let file = c.db.with_file_name("report.md");
    let out = jianping(
        &c.db,
        &with_period(&[
            "report",
            "annual",
            "--format",
            "md",
            "--output",
            file.to_str().unwrap(),
        ]),
    );
    ok(&out);
    let md = std::fs::read_to_string(&file).unwrap();
    assert!(
        md.starts_with("# 乌海市2023年政务服务监督评价报告\n"),
        "{md}"
    );
    assert!(md.contains("目前差评问题已整改完成。"));
    let json = ok(&jianping(
        &c.db,
        &with_period(&["report", "annual", "--format", "json"]),
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["title"], "乌海市2023年政务服务监督评价报告");
    assert_eq!(v["ratings"]["overall"]["satisfied_rate"]["numerator"], 51);
    assert_eq!(v["ratings"]["overall"]["satisfied_rate"]["denominator"], 52);
}

#[test]
fn rate_settings_reach_the_report() {
    let c = city();
    let md = ok(&jianping(
        &c.db,
        &with_period(&[
            "report",
            "annual",
            "--precision",
            "1",
            "--rounding",
            "truncate",
        ]),
    ));
    assert!(md.contains("非常满意率为94.2%，满意率为98.0%。"), "{md}");
}

#[test]
fn bad_values_are_usage_errors() {
    let c = city();
    let out = jianping(&c.db, &["report", "monthly", "--month", "2023-13"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2023-10 这样的年-月"));
    let out = jianping(
        &c.db,
        &with_period(&["report", "monthly", "--month", "2023-10"]),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "--month and --from/--to together"
    );
    let out = jianping(
        &c.db,
        &with_period(&["report", "annual", "--as-of", "2023-10-31"]),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("只用于月度通报"));
    let out = jianping(
        &c.db,
        &with_period(&["report", "annual", "--precision", "9"]),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--precision"));
    let out = jianping(&c.db, &with_period(&["report", "annual", "--city", "1503"]));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rating_stats_as_json_csv_and_table() {
    let c = city();
    let json = ok(&jianping(
        &c.db,
        &with_period(&["stats", "ratings", "--by", "level", "--format", "json"]),
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    // Stats cover the whole store, the rating outside the city included: 53 ratings.
    assert_eq!(v["total"]["summary"]["total"], 53);
    let labels: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["市本级", "区级", "镇(街道)和村(社区)级"]);
    let city_level = &v["groups"][0];
    assert_eq!(city_level["summary"]["total"], 41);
    assert_eq!(city_level["share"]["printed"], "77.36%");
    assert_eq!(
        city_level["summary"]["very_satisfied_rate"]["numerator"],
        40
    );
    // 海南区's 9 and the 包头 district's 1.
    assert_eq!(v["groups"][1]["summary"]["total"], 10);
    let csv = jianping(
        &c.db,
        &with_period(&["stats", "ratings", "--by", "department", "--format", "csv"]),
    );
    let bytes = ok(&csv).into_bytes();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.starts_with("部门,评价数,占比,非常满意,满意,基本满意,不满意,非常不满意,非常满意率,满意率,好评率,差评数,平均分\r\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "海南区人力资源和社会保障局,9,16.98%,8,0,0,1,0,88.89%,88.89%,88.89%,1,9.22\r\n"
        ),
        "{text}"
    );
    let table = ok(&jianping(&c.db, &with_period(&["stats", "ratings"])));
    assert!(
        table.contains("市本级") && table.contains("合计"),
        "{table}"
    );
}

#[test]
fn hotline_stats_carry_every_kpi() {
    let c = city();
    let json = ok(&jianping(
        &c.db,
        &with_period(&["stats", "hotline", "--by", "kind", "--format", "json"]),
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["total"]["counts"]["received"], 5);
    for k in [
        "closure_rate",
        "on_time_closure_rate",
        "timely_rate",
        "resolution_rate",
        "revisit_rate",
        "satisfaction_rate",
    ] {
        assert_eq!(v["total"][k]["printed"], "100%", "{k}");
        assert_eq!(v["total"][k]["denominator"], 5, "{k}");
    }
    assert_eq!(v["groups"][0]["label"], "求助");
    assert_eq!(v["groups"][0]["share"]["printed"], "40.00%");
    let table = ok(&jianping(
        &c.db,
        &with_period(&["stats", "hotline", "--by", "mode"]),
    ));
    assert!(
        table.contains("转办") && table.contains("办理及时率"),
        "{table}"
    );
}

/// The monthly bulletin through the binary, on the hand-made October of the report tests.
#[test]
fn monthly_bulletin_in_markdown_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("month.db");
    let mut store = jianping_store::Store::open_sqlite(&db).unwrap();
    month::load(&mut store);
    month::walk(&mut store, true);
    drop(store);
    // The hand-built month is too small for the indicator system to score anyone.
    let by_indicators = ok(&jianping(&db, &["report", "monthly", "--month", "2023-10"]));
    assert!(
        by_indicators.contains("本月各部门评价数不足30条或评价指标数据不足，暂不排名。"),
        "{by_indicators}"
    );
    let md = ok(&jianping(
        &db,
        &[
            "report",
            "monthly",
            "--month",
            "2023-10",
            "--ranking",
            "satisfaction",
        ],
    ));
    assert!(
        md.starts_with("# 乌海市2023年10月政务服务“好差评”及问题整改情况通报\n"),
        "{md}"
    );
    for want in [
        "经申诉复核，1条评价不计入统计（乌海市公安局的“非常不满意”评价，原因：评价人误操作，实际已当场办结）。",
        "其中实名差评2条，截至10月31日已回访1条，实名差评回访率为50.00%；已整改完成2条，差评整改率为50.00%。",
        "截至10月31日，逾期未整改事项1件，涉及乌达区市场监督管理局1件；即将到期（预警）事项1件，涉及乌海市市场监督管理局1件（明细见附件4）。",
        "排名前三位的是乌海市市场监督管理局、乌达区市场监督管理局、乌达区公安分局；",
    ] {
        assert!(md.contains(want), "missing {want}:\n{md}");
    }
    assert!(!md.contains("13812345678") && !md.contains("13900001111"));
    // The same period by --from/--to, the ledger read on 11-03, a smaller minimum, JSON.
    let json = ok(&jianping(
        &db,
        &[
            "report",
            "monthly",
            "--from",
            "2023-10-01",
            "--to",
            "2023-10-31",
            "--as-of",
            "2023-11-03",
            "--min-ratings",
            "5",
            "--ranking",
            "satisfaction",
            "--format",
            "json",
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["as_of"], "2023-11-03");
    assert_eq!(v["ledger"]["overdue"].as_array().unwrap().len(), 2);
    assert_eq!(v["ranking"]["entries"].as_array().unwrap().len(), 6);
    assert_eq!(v["ranking"]["min_ratings"], 5);
    // [bulletin] min_ratings in the configuration file; the flag wins over it.
    let config = dir.path().join("jianping.toml");
    std::fs::write(
        &config,
        "[bulletin]\nmin_ratings = 40\nranking = \"satisfaction\"\n",
    )
    .unwrap();
    let cfg = config.to_str().unwrap();
    let args = [
        "--config", cfg, "report", "monthly", "--month", "2023-10", "--format", "json",
    ];
    let v: serde_json::Value = serde_json::from_str(&ok(&jianping(&db, &args))).unwrap();
    // A 40, B 50, F 50 have at least 40 ratings.
    assert_eq!(v["ranking"]["entries"].as_array().unwrap().len(), 3);
    let mut args = args.to_vec();
    args.extend(["--min-ratings", "1"]);
    let v: serde_json::Value = serde_json::from_str(&ok(&jianping(&db, &args))).unwrap();
    assert_eq!(v["ranking"]["entries"].as_array().unwrap().len(), 6);
}
