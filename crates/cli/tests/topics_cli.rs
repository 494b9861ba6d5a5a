//! `jianping check table`, `jianping stats topics`, `jianping ledger topic` and
//! `jianping topics dictionary` through the real binary, on SQLite files.

use jianping_core::records::QrReportRecord;
use jianping_core::time::parse_datetime;
use jianping_store::Store;
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jianping"))
        .args(args)
        .env_remove("JIANPING_ACTOR")
        .env_remove("JIANPING_FORMAT")
        .output()
        .expect("run jianping")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn the_seed_table_fails_the_check_with_positions() {
    let file = root().join("examples/check/seed-ratings.csv");
    let out = run(&["check", "table", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("seed-ratings.csv 第4行 B列（评价总数）：各分类（非常满意、满意、基本满意、不满意、非常不满意）之和为 157203，与合计 157239 不符（少36）"), "{stdout}");
    assert!(
        stdout.contains("第4行 C列（占比）：印为 66.39%"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 5, "{stdout}");
    assert!(text(&out.stderr).contains("发现 5 处数字不一致"));
    // JSON carries the same findings.
    let json: serde_json::Value = serde_json::from_slice(
        &run(&["check", "table", file.to_str().unwrap(), "--format", "json"]).stdout,
    )
    .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 5);
    assert_eq!(json[0]["line"], 4);
    assert_eq!(json[0]["rule"], "parts_sum");
}

#[test]
fn an_xlsx_with_a_title_row_and_fractions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("区报送.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write(0, 0, "海勃湾区10月好差评情况").unwrap();
    for (c, h) in ["部门", "合计", "满意", "不满意", "满意率"]
        .iter()
        .enumerate()
    {
        sheet.write(2, c as u16, *h).unwrap();
    }
    let rows: [(&str, f64, f64, f64, f64); 3] = [
        ("民政局", 40.0, 39.0, 1.0, 0.975),
        ("人社局", 60.0, 58.0, 3.0, 0.9667),
        ("合计", 100.0, 97.0, 4.0, 0.97),
    ];
    for (i, (d, t, s, u, r)) in rows.iter().enumerate() {
        let row = i as u32 + 3;
        sheet.write(row, 0, *d).unwrap();
        for (c, v) in [t, s, u, r].iter().enumerate() {
            sheet.write_number(row, c as u16 + 1, **v).unwrap();
        }
    }
    book.save(&path).unwrap();
    // The title is row 1, so the header is row 3: the title row is not the header.
    let out = run(&[
        "check",
        "table",
        path.to_str().unwrap(),
        "--total",
        "B",
        "--parts",
        "C,D",
    ]);
    let stdout = text(&out.stdout);
    // 人社局: 58 + 3 = 61, not 60 (Excel row 5).
    assert!(
        stdout.contains(
            "区报送.xlsx 第5行 B列（合计）：各分类（满意、不满意）之和为 61，与合计 60 不符（多1）"
        ),
        "{stdout}\n{}",
        text(&out.stderr)
    );
}

#[test]
fn topics_statistics_review_filter_and_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let dbs = db.to_str().unwrap();
    {
        let mut store = Store::open_sqlite(&db).unwrap();
        let mut s = store.begin_import("supervision", "q.csv", "x").unwrap();
        let qr = |no: &str, content: &str| QrReportRecord {
            report_no: no.into(),
            received_at: parse_datetime("2023-10-03 15:00:00").unwrap(),
            domain: "政务服务".into(),
            region: None,
            window: None,
            department: Some("乌海市公安局".into()),
            content: content.into(),
            reporter_name: None,
            reporter_phone: None,
            closed_at: None,
            handling: None,
        };
        s.qr_reports(&[
            qr("Q1", "排队排了三个小时"),
            qr("Q2", "窗口人员态度恶劣"),
            qr("Q3", "户口迁移怎么迁移户口"),
        ])
        .unwrap();
        s.commit().unwrap();
    }
    let period = ["--from", "2023-10-01", "--to", "2023-10-31"];
    let mut args = vec!["stats", "topics", "--db", dbs];
    args.extend(period);
    let table = ok(&args);
    assert!(
        table.contains("“码”上监督") && table.contains("合计"),
        "{table}"
    );
    assert!(
        table.contains("“其他”类中没有出现两次以上的未覆盖词语"),
        "{table}"
    );
    let list = ok(&[
        "ledger",
        "list",
        "--db",
        dbs,
        "--topic",
        "排队等候",
        "--format",
        "json",
    ]);
    let items: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 1);
    let item = items[0]["item_no"].as_str().unwrap().to_string();
    assert_eq!(items[0]["topic_suggested"], "排队等候");
    let said = ok(&[
        "ledger",
        "topic",
        &item,
        "办事效率",
        "--db",
        dbs,
        "--actor",
        "局经办人",
    ]);
    assert!(
        said.contains("类别更正为“办事效率”（系统建议“排队等候”）"),
        "{said}"
    );
    let mut json = args.clone();
    json.extend(["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&ok(&json)).unwrap();
    assert_eq!(v["agreement"]["reviewed"], 1);
    assert_eq!(v["agreement"]["rate"]["printed"], "0%");
    let bad = run(&[
        "ledger", "topic", &item, "天气", "--db", dbs, "--actor", "x",
    ]);
    assert!(text(&bad.stderr).contains("没有名为「天气」的类别"));
    // A broken dictionary is refused with its file and line; a good one is saved.
    let broken = dir.path().join("坏词典.toml");
    std::fs::write(
        &broken,
        "[[category]]\nname = \"户籍\"\nkeywords = [\"户口\"\n",
    )
    .unwrap();
    let out = run(&[
        "topics",
        "dictionary",
        "--db",
        dbs,
        "--set",
        broken.to_str().unwrap(),
        "--actor",
        "x",
    ]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("坏词典.toml 第 ") && err.contains("行："),
        "{err}"
    );
    let good = dir.path().join("词典.toml");
    std::fs::write(
        &good,
        "[[category]]\nname = \"户籍\"\nkeywords = [\"户口\"]\n",
    )
    .unwrap();
    ok(&[
        "topics",
        "dictionary",
        "--db",
        dbs,
        "--set",
        good.to_str().unwrap(),
        "--actor",
        "局经办人",
    ]);
    let shown = ok(&["topics", "dictionary", "--db", dbs]);
    assert!(shown.contains("name = \"户籍\""), "{shown}");
    let v: serde_json::Value = serde_json::from_str(&ok(&json)).unwrap();
    assert_eq!(v["categories"], serde_json::json!(["户籍", "其他"]));
    assert_eq!(v["total"]["counts"], serde_json::json!([1, 2]));
}
