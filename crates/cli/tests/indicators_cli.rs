//! `jianping stats indicators|service` and the indicator configuration, through the binary:
//! the demo city's ranking is complete and plausible, its regions add up to section 二's
//! city figures, a weight changed in the bureau's file changes the ranking as predicted
//! from the breakdown, and a broken file is refused naming the file and the key.

#[path = "../../report/tests/dataset/mod.rs"]
mod dataset;

use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PERIOD: [&str; 4] = ["--from", "2023-01-01", "--to", "2023-10-31"];

fn run(db: &Path, config: Option<&Path>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jianping"));
    c.arg("--db").arg(db);
    if let Some(p) = config {
        c.arg("--config").arg(p);
    }
    c.args(args)
        .args(PERIOD)
        .env_remove("JIANPING_FORMAT")
        .env_remove("JIANPING_DATABASE_URL")
        .env_remove("JIANPING_CONFIG")
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(db: &Path, config: Option<&Path>, args: &[&str]) -> Json {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&ok(run(db, config, &a))).unwrap()
}

fn entries(ranking: &Json) -> Vec<&Json> {
    ranking["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["entries"].as_array().unwrap())
        .collect()
}

fn names(es: &[&Json]) -> Vec<String> {
    es.iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

/// Every ranked unit has a total within the full mark and points within each weight; every
/// other unit is 数据不足 with a reason. Returns (ranked, insufficient).
fn check_complete(ranking: &Json) -> (usize, usize) {
    let full = ranking["full_mark"].as_f64().unwrap();
    let (mut ranked, mut insufficient) = (0, 0);
    for e in entries(ranking) {
        let s = &e["score"];
        for i in s["indicators"].as_array().unwrap() {
            if let Some(p) = i["points"].as_f64() {
                let w = i["weight"].as_f64().unwrap();
                assert!(p.is_finite() && (0.0..=w).contains(&p), "{e}");
            }
        }
        match s["status"].as_str().unwrap() {
            "ranked" => {
                ranked += 1;
                let t = s["total"].as_f64().expect("a ranked unit has a total");
                assert!(t.is_finite() && (0.0..=full).contains(&t), "{e}");
                assert!(e["rank"].as_u64().is_some(), "{e}");
            }
            "insufficient" => {
                insufficient += 1;
                assert!(s["total"].is_null() && e["rank"].is_null(), "{e}");
                assert!(!s["reasons"].as_array().unwrap().is_empty(), "{e}");
            }
            other => panic!("status {other}"),
        }
    }
    (ranked, insufficient)
}

fn unit<'a>(ranking: &'a Json, name: &str) -> &'a Json {
    entries(ranking)
        .into_iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("{name} not ranked"))
}

fn points(e: &Json, indicator: &str) -> Option<f64> {
    e["score"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == indicator)
        .and_then(|i| i["points"].as_f64())
}

fn evidence(e: &Json, indicator: &str) -> Vec<String> {
    e["score"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == indicator)
        .unwrap()["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["number"].as_str().unwrap().to_string())
        .collect()
}

fn districts(r: &Json) -> Vec<&Json> {
    entries(r)
        .into_iter()
        .filter(|e| e["group"] == "区（县）")
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A bureau file: the default with new weights (in the default's order) and a version.
fn reweighted(version: &str, weights: [u32; 8]) -> String {
    let mut text = jianping_core::indicators::DEFAULT_TOML.replace(
        "version = \"jianping-2024.1\"",
        &format!("version = \"{version}\""),
    );
    let defaults = [15, 15, 15, 25, 10, 5, 10, 5];
    let keys = [
        "irregularity",
        "completeness",
        "maturity",
        "satisfaction",
        "comfort",
        "extended_hours",
        "assistance",
        "one_thing",
    ];
    for ((k, old), new) in keys.iter().zip(defaults).zip(weights) {
        text = text.replace(
            &format!("[indicators.{k}]\nweight = {old}\n"),
            &format!("[indicators.{k}]\nweight = {new}\n"),
        );
    }
    text
}

#[test]
fn the_demo_city_ranks_completely_and_its_regions_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = Command::new(env!("CARGO_BIN_EXE_jianping"))
        .args(["demo", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    ok(out);

    let d = json(&db, None, &["stats", "indicators", "--by", "department"]);
    assert_eq!(d["config"]["version"], "jianping-2024.1");
    let ranking = &d["ranking"];
    let (ranked, insufficient) = check_complete(ranking);
    let store_departments = {
        let mut s = jianping_store::Store::open_sqlite(&db).unwrap();
        let rows = s
            .backend()
            .query("SELECT COUNT(*) FROM departments", &[])
            .unwrap();
        jianping_store::RowExt::int(&rows[0], 0) as usize
    };
    assert_eq!(
        ranked + insufficient,
        store_departments,
        "every department is listed"
    );
    assert!(
        ranked >= 100 && insufficient <= 50,
        "{ranked} ranked, {insufficient} 数据不足"
    );
    // A ranked department has data for every indicator: the demo is complete.
    for e in entries(ranking).into_iter().filter(|e| e["rank"].is_u64()) {
        assert_eq!(e["score"]["coverage"], 100.0, "{}", e["name"]);
    }
    // The seed's own problems land where they belong.
    let hr = unit(ranking, "乌海市人力资源和社会保障局");
    assert!(
        evidence(hr, "irregularity")
            .iter()
            .any(|n| n.starts_with("JDYJ"))
    );
    let hall = unit(ranking, "海勃湾区行政审批和政务服务局");
    assert_eq!(hall["score"]["indicators"][4]["key"], "comfort");
    assert!(hall["score"]["indicators"][4]["deducted"].as_f64().unwrap() > 0.0);

    let r = json(&db, None, &["stats", "indicators", "--by", "region"]);
    let regions = &r["ranking"];
    assert_eq!(check_complete(regions), (4, 0));
    let comfort: Vec<f64> = entries(regions)
        .iter()
        .map(|e| points(e, "comfort").unwrap())
        .collect();
    let hbw = points(unit(regions, "海勃湾区"), "comfort").unwrap();
    assert_eq!(
        comfort.iter().copied().fold(f64::MAX, f64::min),
        hbw,
        "the hall without a copier"
    );

    check_service_adds_up(&db);
    check_weights_change_the_ranking(&db, regions, dir.path());
}

/// Instance counts and cases of 市本级 and the districts add up to the whole city's, which
/// are section 二's figures.
fn check_service_adds_up(db: &Path) {
    let s = json(db, None, &["stats", "service", "--by", "region"]);
    let rows = s["rows"].as_array().unwrap();
    let (parts, total) = rows.split_at(rows.len() - 1);
    assert_eq!(
        names(&parts.iter().collect::<Vec<_>>()),
        ["市本级", "海勃湾区", "海南区", "乌达区"]
    );
    assert_eq!(total[0]["name"], "全市");
    for key in [
        "cases",
        "completed",
        "matters_end",
        "online_full_end",
        "cert_free",
        "extended_matters",
        "extended_cases",
    ] {
        let sum: u64 = parts
            .iter()
            .map(|r| r["stats"][key].as_u64().unwrap())
            .sum();
        assert_eq!(sum, total[0]["stats"][key].as_u64().unwrap(), "{key}");
    }
    let annual: Json = serde_json::from_str(&ok(run(
        db,
        None,
        &["report", "annual", "--format", "json"],
    )))
    .unwrap();
    let b = &annual["basics"];
    let t = &total[0]["stats"];
    assert_eq!(t["cases"], b["cases"]["accepted"]["value"]);
    assert_eq!(t["completion_rate"]["printed"], "99.3%");
    assert_eq!(t["extended_matters"], b["extended"]["matters"]);
    assert_eq!(t["extended_matters"], 5105);
    assert_eq!(t["extended_cases"], b["extended"]["cases"]["value"]);
    assert_eq!(parts[0]["stats"]["cert_free"], b["cert_free"]["city_level"]);
    let cert: Vec<u64> = parts
        .iter()
        .map(|r| r["stats"]["cert_free"].as_u64().unwrap())
        .collect();
    assert_eq!(cert, [734, 1040, 1101, 1006]);
    assert_eq!(parts[1]["stats"]["extended_matters"], 1557);
    assert_eq!(parts[1]["stats"]["extended_cases"], 1799);
    // Section 一 of the annual report states the version and scores the regions.
    assert_eq!(annual["indicators"]["config"]["version"], "jianping-2024.1");
    assert_eq!(annual["indicators"]["regions"].as_array().unwrap().len(), 4);
}

/// Moves 50 points to 帮办代办 and predicts the districts' order from the breakdown: with
/// every indicator scored, a total is Σ attainment × weight.
fn check_weights_change_the_ranking(db: &Path, before: &Json, dir: &Path) {
    let weights = [5, 5, 5, 10, 5, 5, 60, 5];
    write(
        dir,
        "heavy.toml",
        &reweighted("乌海-帮办代办-2024", weights),
    );
    let config = write(
        dir,
        "jianping.toml",
        "[indicators]\nfile = \"heavy.toml\"\n",
    );

    let mut predicted: Vec<(String, f64)> = districts(before)
        .iter()
        .map(|e| {
            let total: f64 = e["score"]["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .zip(weights)
                .map(|(i, w)| i["attainment"].as_f64().unwrap() * f64::from(w))
                .sum::<f64>()
                - e["score"]["indicators"][4]["deducted"].as_f64().unwrap() / 10.0 * 5.0;
            (e["name"].as_str().unwrap().to_string(), total)
        })
        .collect();
    predicted.sort_by(|a, b| b.1.total_cmp(&a.1));
    let predicted: Vec<String> = predicted.into_iter().map(|p| p.0).collect();
    assert_ne!(
        predicted,
        names(&districts(before)),
        "the new weights must matter"
    );
    let after = json(
        db,
        Some(&config),
        &["stats", "indicators", "--by", "region"],
    );
    assert_eq!(after["config"]["version"], "乌海-帮办代办-2024");
    assert_eq!(names(&districts(&after["ranking"])), predicted);
    let md = ok(run(db, Some(&config), &["report", "annual"]));
    assert!(
        md.contains("（版本：乌海-帮办代办-2024）"),
        "the report states the version"
    );
    assert!(md.contains("| 帮办代办 | 60 |"));
}

struct City {
    dir: tempfile::TempDir,
    db: PathBuf,
}

fn small_city() -> City {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.db");
    let mut store = jianping_store::Store::open_sqlite(&db).unwrap();
    dataset::load(&mut store);
    City { dir, db }
}

#[test]
fn a_broken_indicator_file_is_refused_naming_the_file_and_the_key() {
    let c = small_city();
    let config = write(
        c.dir.path(),
        "jianping.toml",
        "[indicators]\nfile = \"ind.toml\"\n",
    );
    let cases = [
        (
            reweighted("v", [15, 15, 15, 30, 10, 5, 10, 5]),
            "indicators.*.weight",
        ),
        (
            reweighted("v", [15, 15, 15, 25, 10, 5, 10, 5]) + "\n[indicators.speed]\nweight = 0\n",
            "indicators.speed",
        ),
        (
            reweighted("v", [15, 15, 15, 25, 10, 5, 10, 5])
                .replace("floor = 0.9\n\n# 服务舒适度", "flor = 0.9\n\n# 服务舒适度"),
            "indicators.satisfaction.flor",
        ),
        (
            reweighted("v", [25, 15, 15, 25, 10, 5, 10, 5]).replace(
                "[indicators.one_thing]\nweight = 5\n",
                "[indicators.one_thing]\nweight = -5\n",
            ),
            "indicators.one_thing.weight",
        ),
    ];
    for (text, key) in cases {
        write(c.dir.path(), "ind.toml", &text);
        for args in [&["stats", "indicators"][..], &["report", "annual"][..]] {
            let out = run(&c.db, Some(&config), args);
            assert_eq!(out.status.code(), Some(1), "{key}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("ind.toml") && err.contains(key),
                "{key}: {err}"
            );
        }
    }
    // Commands that do not score anything still work.
    ok(run(&c.db, Some(&config), &["stats", "ratings"]));
}

#[test]
fn the_configuration_in_effect_can_be_shown_and_copied() {
    let c = small_city();
    let default = ok(run(&c.db, None, &["stats", "indicators", "--show-config"]));
    assert_eq!(default, jianping_core::indicators::DEFAULT_TOML);
    let text = reweighted("乌海-2024", [15, 15, 15, 25, 10, 5, 10, 5]);
    write(c.dir.path(), "ind.toml", &text);
    let config = write(
        c.dir.path(),
        "jianping.toml",
        "[indicators]\nfile = \"ind.toml\"\n",
    );
    assert_eq!(
        ok(run(
            &c.db,
            Some(&config),
            &["stats", "indicators", "--show-config"]
        )),
        text
    );
    // The small city is too small to rank anyone: every department is 数据不足.
    let d = json(&c.db, Some(&config), &["stats", "indicators"]);
    assert_eq!(d["config"]["version"], "乌海-2024");
    assert_eq!(check_complete(&d["ranking"]).0, 0);
    let out = run(&c.db, None, &["stats", "indicators", "--format", "csv"]);
    let csv = out.stdout;
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(
        text.starts_with("分组,排名,部门,总分（100）,窗口不规范行为（15）"),
        "{text}"
    );
    assert!(text.contains("数据不足：办件"), "{text}");
    let table = ok(run(
        &c.db,
        None,
        &["stats", "service", "--by", "department"],
    ));
    assert!(table.contains("乌海市人力资源和社会保障局"), "{table}");
}
