//! `jianping qr` through the real binary: the demo city's windows get their tokens on the
//! first `qr list`, the printed codes decode to the listed URLs, the sheets print one card
//! per window on A4 in Chromium, revoking replaces a token, and pad keys are shown once and
//! stored only as hashes. Files stay under `target/tmp/document/qr-cli/`.

#[path = "../../document/tests/common/mod.rs"]
mod common;

use common::{chromium, have, output_dir, pdf_info, pdf_text};
use jianping_core::RegionCode;
use jianping_core::records::WindowRecord;
use jianping_store::codes::secret;
use jianping_store::{RowExt, Store};
use std::path::Path;
use std::process::{Command, Output};

const BASE: &str = "https://zwfw.wuhai.example.cn";
const CENTRE: &str = "乌海市政务服务中心";

fn jianping(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jianping"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("JIANPING_PUBLIC_URL")
        .env_remove("JIANPING_ACTOR")
        .env_remove("JIANPING_FORMAT")
        .env_remove("JIANPING_DATABASE_URL")
        .output()
        .expect("run jianping")
}

fn ok(db: &Path, args: &[&str]) -> (String, String) {
    let out = jianping(db, args);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{args:?}: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

fn fails(db: &Path, args: &[&str]) -> String {
    let out = jianping(db, args);
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn list(db: &Path) -> Vec<serde_json::Value> {
    let (json, _) = ok(db, &["qr", "list", "--format", "json", "--base-url", BASE]);
    serde_json::from_str(&json).unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    let mut store = Store::open_sqlite(db).unwrap();
    store.backend().query(sql, &[]).unwrap()[0].int(0)
}

/// Every QR code rqrr finds in a PNG file.
fn decode(png: &Path) -> Vec<String> {
    let pixmap = resvg::tiny_skia::Pixmap::load_png(png).unwrap();
    let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
    let px = pixmap.pixels();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let p = px[y * w + x].demultiply();
        if p.alpha() < 128 {
            255
        } else {
            ((u16::from(p.red()) + u16::from(p.green()) + u16::from(p.blue())) / 3) as u8
        }
    });
    img.detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, s)| s))
        .collect()
}

fn window<'a>(codes: &'a [serde_json::Value], code: &str) -> &'a serde_json::Value {
    codes
        .iter()
        .find(|c| c["window_code"] == code)
        .unwrap_or_else(|| panic!("{code} not listed"))
}

#[test]
fn the_demo_city_prints_its_window_codes() {
    let dir = output_dir("qr-cli");
    // The database is temporary (85 MB); the printed files stay for a person to look at.
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("demo.db");
    ok(&db, &["demo"]);
    let windows = count(&db, "SELECT COUNT(*) FROM windows");
    assert!(windows > 300, "the demo city has its windows ({windows})");

    // The first list creates the tokens (and says so); the second finds them.
    let (_, stderr) = ok(&db, &["qr", "list", "--format", "csv"]);
    assert!(
        stderr.contains(&format!("已为 {windows} 个尚无二维码的窗口生成二维码令牌")),
        "{stderr}"
    );
    assert!(stderr.contains("未给出 --base-url"), "{stderr}");
    let codes = list(&db);
    assert_eq!(codes.len() as i64, windows);
    let mut tokens: Vec<&str> = codes.iter().map(|c| c["token"].as_str().unwrap()).collect();
    for c in &codes {
        let token = c["token"].as_str().unwrap();
        assert_eq!(token.len(), 22);
        assert_eq!(c["url"], format!("{BASE}/q/{token}"));
        assert!(c["hall_name"].is_string() && c["window_name"].is_string());
    }
    tokens.sort_unstable();
    tokens.dedup();
    assert_eq!(tokens.len() as i64, windows, "tokens differ");
    assert_eq!(list(&db), codes, "a second list changes nothing");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM window_tokens"), windows);

    let w1 = window(&codes, "150300-131-W001");
    assert_eq!(w1["hall_name"], CENTRE);
    let url = w1["url"].as_str().unwrap().to_string();
    codes_decode(&db, &dir, &url);
    sheets(&db, &dir, &codes);
    revoke(&db, &dir, w1);
}

/// `qr png` (bare and card) decodes to the listed URL; `qr svg` draws the same code.
fn codes_decode(db: &Path, dir: &Path, url: &str) {
    let png = dir.join("w001.png");
    let card = dir.join("w001-card.png");
    let svg = dir.join("w001.svg");
    let b = ["--base-url", BASE];
    ok(
        db,
        &[
            &["qr", "png", "150300-131-W001", "-o", png.to_str().unwrap()],
            &b[..],
        ]
        .concat(),
    );
    ok(
        db,
        &[
            &[
                "qr",
                "png",
                "150300-131-W001",
                "--card",
                "-o",
                card.to_str().unwrap(),
            ],
            &b[..],
        ]
        .concat(),
    );
    ok(
        db,
        &[
            &["qr", "svg", "150300-131-W001", "-o", svg.to_str().unwrap()],
            &b[..],
        ]
        .concat(),
    );
    assert_eq!(decode(&png), vec![url.to_string()]);
    assert_eq!(decode(&card), vec![url.to_string()]);
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains("<path"), "{svg}");
}

/// One sheet for the city centre (one card per window, six per A4 page), one file per hall
/// without --hall.
fn sheets(db: &Path, dir: &Path, codes: &[serde_json::Value]) {
    let centre: Vec<&serde_json::Value> =
        codes.iter().filter(|c| c["hall_name"] == CENTRE).collect();
    let page = dir.join("大厅二维码.html");
    ok(
        db,
        &[
            "qr",
            "sheet",
            "--hall",
            CENTRE,
            "--output",
            page.to_str().unwrap(),
            "--base-url",
            BASE,
        ],
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(html.matches(r#"<div class="card">"#).count(), centre.len());
    for c in &centre {
        // The page escapes the URL's slashes; the token stands as it is.
        assert!(
            html.contains(c["token"].as_str().unwrap()),
            "{}",
            c["window_name"]
        );
    }
    let folder = dir.join("all-halls");
    let _ = std::fs::remove_dir_all(&folder);
    let (out, _) = ok(
        db,
        &[
            "qr",
            "sheet",
            "--output",
            folder.to_str().unwrap(),
            "--base-url",
            BASE,
        ],
    );
    let halls = count(
        db,
        "SELECT COUNT(DISTINCT hall_id) FROM windows WHERE hall_id IS NOT NULL",
    );
    let files = std::fs::read_dir(&folder).unwrap().count() as i64;
    assert_eq!(files, halls, "{out}");
    assert!(folder.join(format!("{CENTRE}.html")).is_file());
    assert!(
        out.contains(&format!("共 {} 张窗口卡片", codes.len())),
        "{out}"
    );

    if !have("chromium") || !have("pdftotext") {
        return;
    }
    let pdf = dir.join("大厅二维码.pdf");
    let _ = std::fs::remove_file(&pdf);
    chromium(
        &page,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let pages: usize = pdf_info(&pdf)["Pages"].parse().unwrap();
    assert_eq!(pages, centre.len().div_ceil(6), "six cards per A4 page");
    let text: String = pdf_text(&pdf, None, false).split_whitespace().collect();
    for c in &centre {
        let token = c["token"].as_str().unwrap();
        assert!(
            text.contains(token),
            "{} missing from the printed sheet",
            c["window_name"]
        );
    }
}

/// Revoking by the old token: it stops resolving, the window gets a new one, the message
/// tells the bureau to print the card again.
fn revoke(db: &Path, dir: &Path, w1: &serde_json::Value) {
    let old = w1["token"].as_str().unwrap();
    let refused = fails(db, &["qr", "revoke", old, "--reason", "卡片被涂改"]);
    assert!(refused.contains("--actor"), "{refused}");
    let (out, _) = ok(
        db,
        &[
            "qr",
            "revoke",
            old,
            "--reason",
            "卡片被涂改",
            "--actor",
            "王芳",
            "--base-url",
            BASE,
        ],
    );
    assert!(
        out.contains("旧二维码卡片即刻失效") && out.contains("重新打印"),
        "{out}"
    );
    let codes = list(db);
    let now = window(&codes, "150300-131-W001");
    let new = now["token"].as_str().unwrap();
    assert_ne!(new, old);
    assert!(out.contains(&format!("{BASE}/q/{new}")), "{out}");
    let mut store = Store::open_sqlite(db).unwrap();
    assert_eq!(store.resolve_window_token(old).unwrap(), None);
    assert!(store.resolve_window_token(new).unwrap().is_some());
    drop(store);
    let again = fails(
        db,
        &["qr", "revoke", old, "--reason", "x", "--actor", "王芳"],
    );
    assert!(
        again.contains("已于") && again.contains("王芳作废"),
        "{again}"
    );
    let png = dir.join("w001-new.png");
    ok(
        db,
        &[
            "qr",
            "png",
            "150300-131-W001",
            "-o",
            png.to_str().unwrap(),
            "--base-url",
            BASE,
        ],
    );
    assert_eq!(decode(&png), vec![format!("{BASE}/q/{new}")]);
}

/// Two windows of a small city, imported with the store.
fn small_city(db: &Path) {
    let mut store = Store::open_sqlite(db).unwrap();
    let mut s = store.begin_import("windows", "w.csv", "x").unwrap();
    let w = |code: &str, name: &str| WindowRecord {
        code: Some(code.into()),
        name: name.into(),
        hall: Some(CENTRE.into()),
        region: RegionCode::parse("150300").unwrap(),
        department: Some("乌海市公安局".into()),
        kind: None,
        extended_hours: false,
    };
    s.windows(&[w("W1", "户政窗口"), w("W2", "出入境窗口")])
        .unwrap();
    s.commit().unwrap();
}

#[test]
fn codes_need_a_valid_public_address() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    small_city(&db);
    let out = dir.path().join("s.html");
    let msg = fails(
        &db,
        &["qr", "sheet", "--hall", CENTRE, "-o", out.to_str().unwrap()],
    );
    assert!(
        msg.contains("--base-url") && msg.contains("JIANPING_PUBLIC_URL"),
        "{msg}"
    );
    let msg = fails(
        &db,
        &[
            "qr",
            "png",
            "W1",
            "-o",
            "x.png",
            "--base-url",
            "zwfw.example.cn",
        ],
    );
    assert!(msg.contains("缺少 http://"), "{msg}");
    let msg = fails(
        &db,
        &[
            "qr",
            "sheet",
            "--hall",
            "不存在的大厅",
            "-o",
            "x.html",
            "--base-url",
            BASE,
        ],
    );
    assert!(
        msg.contains("没有名称或编码为「不存在的大厅」的大厅"),
        "{msg}"
    );
    assert!(!out.exists() && !Path::new("x.html").exists());
    // The environment variable serves as well as the flag.
    let run = Command::new(env!("CARGO_BIN_EXE_jianping"))
        .arg("--db")
        .arg(&db)
        .args(["qr", "list", "--format", "json"])
        .env("JIANPING_PUBLIC_URL", "https://env.example.cn/")
        .output()
        .unwrap();
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed[0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://env.example.cn/q/")
    );
}

#[test]
fn a_pad_key_is_shown_once_and_stored_as_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    small_city(&db);
    let (out, _) = ok(
        &db,
        &[
            "qr",
            "device",
            "add",
            "--window",
            "W2",
            "--name",
            "出入境评价器",
        ],
    );
    assert!(out.contains("只显示这一次"), "{out}");
    let key = out
        .lines()
        .find(|l| l.starts_with(secret::KEY_PREFIX))
        .expect("the key on a line of its own")
        .to_string();
    let mut store = Store::open_sqlite(&db).unwrap();
    let dump = format!(
        "{:?}",
        store
            .backend()
            .query("SELECT * FROM pad_devices", &[])
            .unwrap()
    );
    assert!(
        !dump.contains(&key) && dump.contains(&secret::key_hash(&key)),
        "{dump}"
    );
    let pad = store
        .resolve_pad_device(&key, chrono::Local::now().naive_local())
        .unwrap()
        .unwrap();
    assert_eq!(pad.window.window_name, "出入境窗口");
    drop(store);

    let (table, _) = ok(&db, &["qr", "device", "list"]);
    assert!(
        table.contains("出入境评价器") && table.contains("在用") && !table.contains(&key),
        "{table}"
    );
    let dup = fails(
        &db,
        &[
            "qr",
            "device",
            "add",
            "--window",
            "W1",
            "--name",
            "出入境评价器",
        ],
    );
    assert!(dup.contains("已有在用的评价器"), "{dup}");
    let (out, _) = ok(
        &db,
        &[
            "qr",
            "device",
            "revoke",
            "出入境评价器",
            "--reason",
            "设备遗失",
            "--actor",
            "王芳",
        ],
    );
    assert!(out.contains("密钥即刻失效"), "{out}");
    let mut store = Store::open_sqlite(&db).unwrap();
    assert_eq!(
        store
            .resolve_pad_device(&key, chrono::Local::now().naive_local())
            .unwrap(),
        None
    );
    drop(store);
    let (json, _) = ok(&db, &["qr", "device", "list", "--all", "--format", "json"]);
    let all: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(all[0]["revoke_reason"], "设备遗失");
    assert_eq!(all[0]["revoked_by"], "王芳");
    let (active, _) = ok(&db, &["qr", "device", "list", "--format", "json"]);
    assert_eq!(active.trim(), "[]");
}
