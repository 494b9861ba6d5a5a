//! The demo city's annual report as DOCX, HTML and XLSX, end to end through the binary:
//! the DOCX opens in LibreOffice with every figure in its text and the GB/T 9704 page; the
//! HTML renders in Chromium without console messages; the XLSX has one sheet per table;
//! template overrides change the text and broken ones are located. Rendered files stay
//! under `target/tmp/document/annual/` for a person to look at.

#[path = "../../document/tests/common/mod.rs"]
mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{
    attr_of, chromium, console_lines, docx_part, docx_part_names, docx_to_pdf, have, have_cjk_font,
    output_dir, pdf_info, pdf_text,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The seed city's figures as the report states them, sentences in section order. Tables
/// add the figures they hold (see `TABLE_FIGURES`).
const FIGURES: &[&str] = &[
    "（一）乌海市政务服务中心运行情况。共设置综合受理窗口69个，现有工作人员283人",
    "39个部门1168个政务服务事项",
    "共办件25.6万件，办结率99.3%",
    "全程网办事项由1831项提升至2444项",
    "平均压缩率由75.5%提升至85.2%",
    "注册人数29.19万人，占比地区人口52.5%，总访问量为1085万次",
    "实现延时服务事项占比达98%以上",
    "全市共办理7000余件",
    "海勃湾区、海南区、乌达区分别配置1040项、1101项、1006项",
    "共收到12345转办件31件，其中求助15件、建议12件、咨询2件、投诉1件、表扬1件",
    "求助件占总案件量48.39%",
    "办理及时率、满意率、回访率均达100%",
    "全市共产生“好差评”数据236816条",
    "非常满意236116条，满意586条，基本满意113条，不满意1条",
    "非常满意率为99.70%，满意率为99.99%",
    "市本级共产生“好差评”数据65138条，占评价总数的27.51%",
    "区级共产生“好差评”数据157239条，占评价总数的66.40%",
    "镇(街道)和村(社区)级共产生“好差评”数据14439条，占评价总数的6.10%",
    "非常满意率为98.69%，满意率为100%",
    "未向办事群众提供申请材料样本",
    "30名政务服务监督员",
    "意见建议12条",
    "共收到并办结“码”上监督反映问题15件，其中反映政务服务方面问题2件",
    "政策宣传力度不足",
];

/// Figures of the tables: section 四 by region level and per month, 12345 by kind.
const TABLE_FIGURES: &[&str] = &[
    "65138",
    "65061",
    "27.51%",
    "99.88%",
    "157239",
    "156805",
    "66.40%",
    "99.72%",
    "14439",
    "14250",
    "6.10%",
    "98.69%",
    "236816",
    "236116",
    "99.70%",
    "99.99%",
    "17995",
    "28961",
    "19780",
    "48.39%",
    "38.71%",
    "6.45%",
    "3.23%",
    "ZG2023-00001",
    "ZG2023-00032",
];

fn jianping(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jianping"))
        .args(args)
        .output()
        .expect("run jianping")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "jianping failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The demo city, built once per test run.
fn demo() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let db = output_dir("annual").join("demo.db");
        let _ = std::fs::remove_file(&db);
        ok(jianping(&["demo", "--db", db.to_str().unwrap()]));
        db
    })
}

/// The example configuration (the seed's 发文 cover).
fn example_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/config/jianping.toml")
}

/// `jianping report annual` on the demo over the seed's period, with extra arguments.
fn report(extra: &[&str]) -> Output {
    let db = demo().to_str().unwrap().to_string();
    let mut args = vec![
        "report",
        "annual",
        "--db",
        &db,
        "--from",
        "2023-01-01",
        "--to",
        "2023-10-31",
    ];
    args.extend_from_slice(extra);
    jianping(&args)
}

fn render(format: &str, file: &Path, extra: &[&str]) {
    let _ = std::fs::remove_file(file);
    let mut args = vec!["--format", format, "--output", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    ok(report(&args));
    assert!(file.exists(), "{} was not written", file.display());
}

/// Text without spaces and line breaks, and without the "— n —" page numbers, so a
/// sentence broken over lines or pages reads whole.
fn squeeze(text: &str) -> String {
    let joined: String = text.split_whitespace().collect();
    let mut out = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    while let Some(at) = rest.find('—') {
        out.push_str(&rest[..at]);
        let after = &rest[at + '—'.len_utf8()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with('—') {
            rest = &after[digits + '—'.len_utf8()..];
        } else {
            out.push('—');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn missing<'a>(text: &str, wanted: &[&'a str]) -> Vec<&'a str> {
    wanted
        .iter()
        .copied()
        .filter(|f| !text.contains(f))
        .collect()
}

#[test]
fn docx_opens_in_libreoffice_with_every_figure_on_a4() {
    if !have_cjk_font() {
        return;
    }
    let dir = output_dir("annual");
    let docx = dir.join("annual.docx");
    let config = example_config();
    render("docx", &docx, &["--config", config.to_str().unwrap()]);
    let bytes = std::fs::read(&docx).unwrap();
    let xml = docx_part(&bytes, "word/document.xml");
    // A4 and the GB/T 9704 margins (37/35/28/26 mm) in twips
    assert_eq!(attr_of(&xml, "w:pgSz", "w:w"), "11906");
    assert_eq!(attr_of(&xml, "w:pgSz", "w:h"), "16838");
    for (side, twips) in [
        ("w:top", "2098"),
        ("w:bottom", "1984"),
        ("w:left", "1587"),
        ("w:right", "1474"),
    ] {
        assert_eq!(attr_of(&xml, "w:pgMar", side), twips, "{side}");
    }
    assert_eq!(xml.matches("<w:tbl>").count(), 7, "seven Word tables");
    let images = docx_part_names(&bytes)
        .into_iter()
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .count();
    assert_eq!(images, 6, "six charts as PNG");

    if !have("soffice") || !have("pdftotext") {
        return;
    }
    let pdf = docx_to_pdf(&docx);
    assert!(pdf_info(&pdf)["Page size"].contains("(A4)"));
    let text = squeeze(&pdf_text(&pdf, None, false));
    assert_eq!(missing(&text, FIGURES), Vec::<&str>::new(), "{text}");
    assert_eq!(missing(&text, TABLE_FIGURES), Vec::<&str>::new());
    // the 发文 cover of the example configuration, then the report on a new page
    let first = squeeze(&pdf_text(&pdf, Some((1, 1)), false));
    for want in [
        "乌海市推进政府职能转变和“放管服”改革协调小组办公室关于印发《乌海市2023年政务服务监督评价报告》的通知",
        "市直各部门：",
        "请各部门结合实际主动认领，做好整改工作。",
        "2023年10月31日",
    ] {
        assert!(
            first.contains(want),
            "{want} missing from the cover: {first}"
        );
    }
    let second = squeeze(&pdf_text(&pdf, Some((2, 2)), false));
    assert!(
        second.starts_with("乌海市2023年政务服务监督评价报告"),
        "{second}"
    );
}

#[test]
fn html_renders_in_chromium_without_console_messages() {
    let dir = output_dir("annual");
    let page = dir.join("annual.html");
    render("html", &page, &[]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(html.matches("<table").count(), 7);
    assert!(html.matches("<svg").count() >= 5, "charts are inline SVG");
    // self-contained: no scripts, no external resources (the SVG namespace is not a fetch)
    for banned in ["<script", "<link", "src=", "url(", "https://"] {
        assert!(!html.contains(banned), "{banned} in the HTML");
    }
    let text = squeeze(&strip_tags(&html));
    assert_eq!(missing(&text, FIGURES), Vec::<&str>::new());
    if !have("chromium") {
        return;
    }
    let shot = dir.join("annual-html.png");
    let _ = std::fs::remove_file(&shot);
    let (_, stderr) = chromium(
        &page,
        &[
            "--window-size=1280,2400".into(),
            format!("--screenshot={}", shot.display()),
        ],
    );
    assert_eq!(console_lines(&stderr), Vec::<&str>::new());
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000);
    eprintln!("screenshot: {}", shot.display());
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
}

#[test]
fn xlsx_has_one_sheet_per_table_with_numbers_as_numbers() {
    let dir = output_dir("annual");
    let file = dir.join("annual.xlsx");
    render("xlsx", &file, &[]);
    let mut book: Xlsx<_> = open_workbook(&file).expect("calamine reads the workbook");
    let names = book.sheet_names();
    assert_eq!(names.len(), 7, "{names:?}");
    assert!(
        names[0].starts_with("表1") && names[6].starts_with("表7"),
        "{names:?}"
    );
    let tiers = names
        .iter()
        .find(|n| n.contains("分层级"))
        .expect("the region-level sheet")
        .clone();
    let range = book.worksheet_range(&tiers).unwrap();
    let cells: Vec<&Data> = range.used_cells().map(|(_, _, d)| d).collect();
    assert!(cells.contains(&&Data::Float(236816.0)), "{cells:?}");
    assert!(
        cells
            .iter()
            .any(|d| matches!(d, Data::Float(f) if (f - 236116.0 / 236816.0).abs() < 1e-12)),
        "非常满意率 kept as a fraction"
    );
}

/// A folder with a `jianping.toml` pointing at `tpl/`, and `tpl/annual/<name>` holding `text`.
fn override_folder(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tpl/annual").join(name);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, text).unwrap();
    let config = dir.path().join("jianping.toml");
    std::fs::write(&config, "[report]\ntemplates = \"tpl\"\n").unwrap();
    (dir, file)
}

const HOTLINE: &str = include_str!("../../report/templates/annual/s3_hotline.j2");

#[test]
fn a_template_override_changes_the_text_in_every_format() {
    let changed = HOTLINE.replace("分析案卷内容", "从工单类型看");
    assert_ne!(changed, HOTLINE);
    let (dir, _) = override_folder("s3_hotline.j2", &changed);
    let config = dir.path().join("jianping.toml");
    let config = config.to_str().unwrap();
    let md = ok(report(&["--config", config, "--format", "md"]));
    assert!(md.contains("从工单类型看，求助件占总案件量48.39%"), "{md}");
    assert!(!md.contains("分析案卷内容"));
    let html_file = dir.path().join("r.html");
    render("html", &html_file, &["--config", config]);
    let html = squeeze(&strip_tags(&std::fs::read_to_string(&html_file).unwrap()));
    assert!(html.contains("从工单类型看，求助件占总案件量48.39%"));
    // without the configuration the embedded wording is back
    let md = ok(report(&["--format", "md"]));
    assert!(md.contains("分析案卷内容，求助件占总案件量48.39%"));
}

#[test]
fn a_broken_template_fails_with_file_and_line() {
    let broken = "{% import \"annual/macros.j2\" as m %}\n## 三、12345政务服务热线情况\n\n共收到{{ r.hotline.received 件。\n";
    let (dir, file) = override_folder("s3_hotline.j2", broken);
    let config = dir.path().join("jianping.toml");
    let out = report(&[
        "--config",
        config.to_str().unwrap(),
        "--format",
        "docx",
        "-o",
        "/dev/null",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&file.display().to_string())
            && err.contains("第 4 行")
            && err.contains("语法错误"),
        "{err}"
    );
    // a misspelt figure fails when rendering, also located
    let (dir, file) = override_folder("s3_hotline.j2", "## 三\n\n共{{ r.hotline.recieved }}件。\n");
    let config = dir.path().join("jianping.toml");
    let out = report(&["--config", config.to_str().unwrap(), "--format", "md"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && err.contains(&file.display().to_string())
            && err.contains("第 3 行"),
        "{err}"
    );
    // an exhibit that does not exist names the ones that do
    let (dir, _) = override_folder("s3_hotline.j2", "## 三\n\n{{ exhibit(\"pie\") }}\n");
    let config = dir.path().join("jianping.toml");
    let out = report(&["--config", config.to_str().unwrap(), "--format", "md"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("pie") && err.contains("hotline_by_kind"),
        "{err}"
    );
}

#[test]
fn binary_formats_need_an_output_file_and_a_bad_font_is_explained() {
    let out = report(&["--format", "docx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output"));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("jianping.toml");
    std::fs::write(&config, "[document]\nchart_font = \"fonts/none.ttc\"\n").unwrap();
    let out = report(&[
        "--config",
        config.to_str().unwrap(),
        "--format",
        "docx",
        "-o",
        dir.path().join("r.docx").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && err.contains(&dir.path().join("fonts/none.ttc").display().to_string())
            && err.contains("字体"),
        "{err}"
    );
}

#[test]
fn the_cover_follows_the_configuration() {
    let dir = output_dir("annual-cover");
    let config = example_config();
    let config = config.to_str().unwrap();
    let with = dir.join("with.html");
    render("html", &with, &["--config", config]);
    let without = dir.join("without.html");
    render("html", &without, &["--config", config, "--no-cover"]);
    let plain = dir.join("plain.html");
    render("html", &plain, &[]);
    let text = |p: &Path| squeeze(&strip_tags(&std::fs::read_to_string(p).unwrap()));
    let notice = "关于印发《乌海市2023年政务服务监督评价报告》的通知";
    assert!(text(&with).contains(notice));
    assert!(text(&with).contains("和“放管服”改革协调小组办公室2023年10月31日"));
    assert!(!text(&without).contains(notice));
    assert!(
        !text(&plain).contains(notice),
        "no cover without [document]"
    );
}

#[test]
fn written_templates_reproduce_the_embedded_report() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("模板");
    ok(jianping(&[
        "report",
        "annual",
        "--write-templates",
        tpl.to_str().unwrap(),
    ]));
    assert!(tpl.join("annual/s4_ratings.j2").is_file());
    // an edited file is never overwritten
    std::fs::write(tpl.join("annual/s1_system.j2"), "## 一、自定义\n").unwrap();
    ok(jianping(&[
        "report",
        "annual",
        "--write-templates",
        tpl.to_str().unwrap(),
    ]));
    assert_eq!(
        std::fs::read_to_string(tpl.join("annual/s1_system.j2")).unwrap(),
        "## 一、自定义\n"
    );
    std::fs::remove_file(tpl.join("annual/s1_system.j2")).unwrap();
    let from_files = ok(report(&["--templates", tpl.to_str().unwrap()]));
    assert_eq!(from_files, ok(report(&[])));
}

/// `jianping report monthly` on the demo's October, with extra arguments.
fn bulletin(extra: &[&str]) -> Output {
    let db = demo().to_str().unwrap().to_string();
    let mut args = vec!["report", "monthly", "--db", &db, "--month", "2023-10"];
    args.extend_from_slice(extra);
    jianping(&args)
}

#[test]
fn the_monthly_bulletin_as_docx_and_xlsx() {
    let dir = output_dir("bulletin");
    let docx = dir.join("bulletin.docx");
    let xlsx = dir.join("bulletin.xlsx");
    for (format, file) in [("docx", &docx), ("xlsx", &xlsx)] {
        let _ = std::fs::remove_file(file);
        ok(bulletin(&[
            "--format",
            format,
            "--output",
            file.to_str().unwrap(),
        ]));
    }
    // The annexes that have rows are Word tables and XLSX sheets.
    let md = ok(bulletin(&[]));
    let annexes = md.matches("\n**表").count();
    assert!(annexes >= 2, "{md}");
    let bytes = std::fs::read(&docx).unwrap();
    let xml = docx_part(&bytes, "word/document.xml");
    assert_eq!(xml.matches("<w:tbl>").count(), annexes);
    let book = calamine::open_workbook_auto(&xlsx).expect("the XLSX opens");
    assert_eq!(calamine::Reader::sheet_names(&book).len(), annexes);
    if !have("soffice") || !have("pdftotext") || !have_cjk_font() {
        return;
    }
    let text = squeeze(&pdf_text(&docx_to_pdf(&docx), None, false));
    for want in [
        "乌海市2023年10月政务服务“好差评”及问题整改情况通报",
        "全市共产生“好差评”数据19780条",
        "排名前三位的是",
        "部门排名",
    ] {
        assert!(text.contains(want), "{want} missing: {text}");
    }
}
