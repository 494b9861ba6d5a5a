//! `jianping import` end to end: the real binary on a temporary SQLite file.

use jianping_store::{RowExt, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The kinds in an order that resolves every reference (supervisors before feedback).
const KINDS: &[&str] = &[
    "regions",
    "departments",
    "halls",
    "windows",
    "staff",
    "matters",
    "cases",
    "ratings",
    "hotline",
    "supervisors",
    "feedback",
    "qr-reports",
    "assessments",
    "reported-stats",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(kind: &str) -> PathBuf {
    root().join(format!("examples/import/{kind}.csv"))
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("city.db")
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn jianping(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_jianping"))
            .args(args)
            .arg("--db")
            .arg(self.db())
            .env_remove("JIANPING_DB")
            .env_remove("JIANPING_DATABASE_URL")
            .output()
            .unwrap()
    }

    fn import(&self, kind: &str, files: &[&Path], extra: &[&str]) -> Output {
        let mut args: Vec<&str> = vec!["import", kind, "--quiet"];
        args.extend(files.iter().map(|p| p.to_str().unwrap()));
        args.extend(extra);
        self.jianping(&args)
    }

    fn count(&self, sql: &str) -> i64 {
        let mut store = Store::open_sqlite(&self.db()).unwrap();
        store.backend().query(sql, &[]).unwrap()[0].int(0)
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

const RATINGS_HEADER: &str = "评价编号,部门,行政区划,评价渠道,满意度,评价时间";

#[test]
fn every_example_imports_and_a_second_import_changes_nothing() {
    let env = Env::new();
    let tables = [
        ("regions", "regions", 13),
        ("departments", "departments", 10),
        ("halls", "halls", 7),
        ("windows", "windows", 8),
        ("matters", "matters", 7),
        ("cases", "cases", 5),
        ("ratings", "ratings", 8),
        ("hotline", "tickets", 5),
        ("supervisors", "supervisors", 5),
        ("feedback", "supervisor_feedback", 5),
        ("qr-reports", "qr_reports", 3),
        ("assessments", "assessment_findings", 3),
        ("reported-stats", "reported_stats", 5),
    ];
    for kind in KINDS {
        let out = ok(&env.import(kind, &[&example(kind)], &[]));
        assert!(out.contains("拒收 0"), "{kind}: {out}");
    }
    for (kind, table, n) in tables {
        assert_eq!(
            env.count(&format!("SELECT COUNT(*) FROM {table}")),
            n,
            "{kind}"
        );
    }
    let before =
        env.count("SELECT COUNT(*) FROM departments") + env.count("SELECT COUNT(*) FROM staff");
    for kind in KINDS {
        let out = ok(&env.import(kind, &[&example(kind)], &[]));
        assert!(out.contains("新增 0，更新 0"), "{kind} re-import: {out}");
        assert!(out.contains("导入过"), "{kind}: {out}");
        assert!(
            !out.contains("新建"),
            "{kind} re-import created something: {out}"
        );
    }
    let after =
        env.count("SELECT COUNT(*) FROM departments") + env.count("SELECT COUNT(*) FROM staff");
    assert_eq!(before, after);
    assert_eq!(env.count("SELECT COUNT(*) FROM ratings"), 8);
    assert_eq!(env.count("SELECT COUNT(*) FROM matter_states"), 7);
    // Rollups agree with the facts, and every import is logged with its SHA-256.
    ok(&env.jianping(&["verify"]));
    assert_eq!(
        env.count(
            "SELECT COUNT(*) FROM imports WHERE length(sha256) = 64 AND finished_at IS NOT NULL"
        ),
        2 * KINDS.len() as i64
    );
}

#[test]
fn an_empty_database_learns_dimensions_from_a_provincial_export() {
    let env = Env::new();
    let out = ok(&env.import("ratings", &[&example("ratings")], &[]));
    assert!(out.contains("新建部门 5 个"), "{out}");
    assert!(out.contains("新建行政区划"), "{out}");
    assert!(out.contains("新建工作人员"), "{out}");
    assert!(!out.contains("张伟"), "staff names are masked: {out}");
    assert!(out.contains("张*"), "{out}");
}

fn bad_ratings(env: &Env) -> PathBuf {
    env.file(
        "bad.csv",
        &format!(
            "{RATINGS_HEADER},备注\n\
             R1,乌海市公安局,150300,PC端,满意,2023-10-31 17:56:51,\n\
             R2,乌海市公安局,150300,PC端,很好,2023-10-31 17:56:51,\n\
             R3,乌海市公安局,150300,信鸽,满意,2023-10-31,\n\
             R4,乌海市公安局,150300,PC端,非常满意,2023-10-30,"
        ),
    )
}

#[test]
fn a_bad_row_stops_the_file_and_names_every_bad_cell() {
    let env = Env::new();
    let file = bad_ratings(&env);
    let out = env.import("ratings", &[&file], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let name = file.display().to_string();
    assert!(
        err.contains(&format!("{name}:3:满意度: 无法识别的满意度「很好」")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:4:评价渠道: 无法识别的评价渠道「信鸽」")),
        "{err}"
    );
    assert!(
        err.contains("2 行数据有误") && err.contains("未导入任何记录"),
        "{err}"
    );
    assert!(err.contains("--skip-bad"), "{err}");
    assert_eq!(env.count("SELECT COUNT(*) FROM ratings"), 0);
    assert_eq!(
        env.count("SELECT COUNT(*) FROM departments"),
        0,
        "nothing created"
    );
    assert!(!env.dir.path().join("bad.csv.rejects.csv").exists());
}

#[test]
fn skip_bad_imports_the_rest_and_writes_the_rejects() {
    let env = Env::new();
    let file = bad_ratings(&env);
    let out = ok(&env.import("ratings", &[&file], &["--skip-bad"]));
    assert!(
        out.contains("读取 4 行：新增 2，更新 0，未变 0，拒收 2"),
        "{out}"
    );
    assert!(out.contains("忽略了未识别的列：备注"), "{out}");
    assert_eq!(env.count("SELECT COUNT(*) FROM ratings"), 2);
    let rejects = env.dir.path().join("bad.csv.rejects.csv");
    let bytes = std::fs::read(&rejects).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let body = text(&bytes[3..]);
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines[0],
        format!("{RATINGS_HEADER},备注,错误原因,原文件行号")
    );
    assert!(
        lines[1].starts_with("R2,")
            && lines[1].contains("满意度：无法识别")
            && lines[1].ends_with(",3"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("R3,") && lines[2].ends_with(",4"),
        "{}",
        lines[2]
    );
    assert_eq!(lines.len(), 3);

    // Corrected, the rejects file imports as it is; the rest is unchanged.
    let fixed = body.replace("很好", "满意").replace("信鸽", "二维码");
    let fixed_path = env.file("fixed.csv", &fixed);
    let out = ok(&env.import("ratings", &[&fixed_path], &[]));
    assert!(out.contains("新增 2"), "{out}");
    assert_eq!(env.count("SELECT COUNT(*) FROM ratings"), 4);
    ok(&env.jianping(&["verify"]));
}

#[test]
fn rejects_path_can_be_chosen_for_one_file_only() {
    let env = Env::new();
    let file = bad_ratings(&env);
    let chosen = env.dir.path().join("错误行.csv");
    ok(&env.import(
        "ratings",
        &[&file],
        &["--skip-bad", "--rejects", chosen.to_str().unwrap()],
    ));
    assert!(chosen.exists());
    let out = env.import(
        "ratings",
        &[&file, &example("ratings")],
        &["--skip-bad", "--rejects", chosen.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--rejects 只能用于单个文件"));
}

#[test]
fn grade_codes_follow_the_flag() {
    let env = Env::new();
    let file = env.file(
        "codes.csv",
        &format!(
            "{RATINGS_HEADER}\nA,部门,150300,PC端,1,2023-10-31\nB,部门,150300,PC端,4,2023-10-31\n"
        ),
    );
    ok(&env.import("ratings", &[&file], &["--grade-codes", "interface"]));
    // Stored grades are GB/T 39046 codes: interface 1 = 非常不满意 (5), 4 = 满意 (2).
    assert_eq!(
        env.count("SELECT grade FROM ratings WHERE rating_no = 'A'"),
        5
    );
    assert_eq!(
        env.count("SELECT grade FROM ratings WHERE rating_no = 'B'"),
        2
    );
    let env2 = Env::new();
    ok(&env2.import("ratings", &[&file], &["--grade-codes", "gbt39046"]));
    assert_eq!(
        env2.count("SELECT grade FROM ratings WHERE rating_no = 'A'"),
        1
    );
    assert_eq!(
        env2.count("SELECT grade FROM ratings WHERE rating_no = 'B'"),
        4
    );
}

#[test]
fn xlsx_and_gb18030_fixtures_import() {
    let env = Env::new();
    let fixtures = root().join("crates/ingest/tests/fixtures");
    let out = ok(&env.import(
        "ratings",
        &[&fixtures.join("ratings.xlsx")],
        &["--grade-codes", "interface"],
    ));
    assert!(
        out.contains("新增 4") && out.contains("工作表「好差评明细」"),
        "{out}"
    );
    assert!(out.contains("跳过了表头之前的 1 行"), "{out}");
    let out = ok(&env.import("ratings", &[&fixtures.join("ratings_gb18030.csv")], &[]));
    assert!(out.contains("新增 3") && out.contains("GB18030"), "{out}");
    let out = ok(&env.import(
        "matters",
        &[&fixtures.join("ratings.xlsx")],
        &["--sheet", "事项"],
    ));
    assert!(out.contains("新增 2"), "{out}");
    assert_eq!(
        env.count("SELECT COUNT(*) FROM ratings WHERE rated_at = '2023-10-31 17:56:51'"),
        2
    );
}

#[test]
fn empty_and_header_only_files() {
    let env = Env::new();
    let empty = env.file("empty.csv", "");
    let out = env.import("ratings", &[&empty], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("文件为空"),
        "{}",
        text(&out.stderr)
    );
    let header = env.file("header.csv", &format!("{RATINGS_HEADER}\n"));
    let out = ok(&env.import("ratings", &[&header], &[]));
    assert!(
        out.contains("读取 0 行") && out.contains("只有表头"),
        "{out}"
    );
    let unknown = env.file("unknown.csv", "序号,姓名\n1,张三\n");
    let out = env.import("ratings", &[&unknown], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("unknown.csv") && err.contains("评价渠道（可用表头"),
        "{err}"
    );
}

#[test]
fn several_files_are_separate_transactions() {
    let env = Env::new();
    let good = env.file(
        "good.csv",
        &format!("{RATINGS_HEADER}\nG1,部门,150300,PC端,满意,2023-10-31\n"),
    );
    let bad = bad_ratings(&env);
    let out = env.import("ratings", &[&good, &bad], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("2 个文件中有 1 个未导入"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(env.count("SELECT COUNT(*) FROM ratings"), 1);
}

#[test]
fn feedback_needs_its_supervisors() {
    let env = Env::new();
    let out = env.import("feedback", &[&example("feedback")], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("请先导入监督员名单"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(env.count("SELECT COUNT(*) FROM supervisor_feedback"), 0);
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    let out = env.jianping(&["import", "nonsense", "x.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let out = env.jianping(&["import", "ratings"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_missing_file_says_so() {
    let env = Env::new();
    let out = env.import("ratings", &[Path::new("/nonexistent/好差评.csv")], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("文件不存在"),
        "{}",
        text(&out.stderr)
    );
}

/// Issue 13's file: header on line 1, 1,000 ratings on lines 2–1001, 很满意 on line 419.
fn issue_13_text(line_end: &str) -> String {
    let mut lines = vec![RATINGS_HEADER.to_string()];
    for n in 2..=1001 {
        let grade = if n == 419 { "很满意" } else { "满意" };
        lines.push(format!(
            "R{n},乌海市公安局,150300,PC端,{grade},2023-10-31 17:56:51"
        ));
    }
    lines.join(line_end) + line_end
}

/// The 原文件行号 column of a rejects file.
fn listed_rows(rejects: &Path) -> Vec<String> {
    let bytes = std::fs::read(rejects).unwrap();
    let body = text(&bytes[3..]);
    body.lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().to_string())
        .collect()
}

#[test]
fn issue_13_the_bad_row_is_the_line_an_editor_shows() {
    for (name, end) in [("bad.csv", "\n"), ("excel.csv", "\r\n")] {
        let env = Env::new();
        let file = env.file(name, &issue_13_text(end));
        let out = env.import("ratings", &[&file], &[]);
        assert_eq!(out.status.code(), Some(1));
        let err = text(&out.stderr);
        let path = file.display().to_string();
        assert!(
            err.contains(&format!("{path}:419:满意度: 无法识别的满意度「很满意」")),
            "{name}: {err}"
        );
        assert!(err.contains("1 行数据有误"), "{name}: {err}");
        // The example in the format docs is this very message.
        let docs = std::fs::read_to_string(root().join("docs/import-formats.md")).unwrap();
        let message = err.lines().next().unwrap().replace(&path, "bad.csv");
        assert!(docs.contains(&message), "docs lack: {message}");

        let run = env.import("ratings", &[&file], &["--skip-bad"]);
        let out = ok(&run);
        assert!(
            out.contains("读取 1000 行：新增 999，更新 0，未变 0，拒收 1"),
            "{name}: {out}"
        );
        let rejects = env.dir.path().join(format!("{name}.rejects.csv"));
        assert_eq!(listed_rows(&rejects), ["419"], "{name}");
        assert!(text(&run.stderr).contains(&format!("{path}:419:满意度:")));
    }
}

#[test]
fn title_rows_and_gb18030_count_in_line_numbers() {
    let env = Env::new();
    let content = format!(
        "好差评数据导出\r\n\r\n{RATINGS_HEADER}\r\nR1,乌海市公安局,150300,PC端,满意,2023-10-31\r\nR2,乌海市公安局,150300,PC端,很满意,2023-10-31\r\n"
    );
    let (gbk, _, _) = encoding_rs::GB18030.encode(&content);
    let file = env.dir.path().join("gbk.csv");
    std::fs::write(&file, &gbk).unwrap();
    let run = env.import("ratings", &[&file], &["--skip-bad"]);
    let out = ok(&run);
    assert!(out.contains("表头在第 3 行"), "{out}");
    assert!(
        text(&run.stderr).contains(&format!("{}:5:满意度:", file.display())),
        "{}",
        text(&run.stderr)
    );
    assert_eq!(
        listed_rows(&env.dir.path().join("gbk.csv.rejects.csv")),
        ["5"]
    );

    let header_only = env.file(
        "header.csv",
        &format!("好差评数据导出\r\n\r\n{RATINGS_HEADER}\r\n"),
    );
    let out = ok(&env.import("ratings", &[&header_only], &[]));
    assert!(out.contains("文件只有表头（第 3 行）"), "{out}");
}

#[test]
fn xlsx_errors_name_the_sheet_and_the_cell() {
    let env = Env::new();
    let file = env.dir.path().join("评价.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("评价数据").unwrap();
    for (c, h) in RATINGS_HEADER.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    // 0-based row 418 is Excel's row 419; 满意度 is the fifth column, E.
    for r in 1..1001u32 {
        let grade = if r == 418 { "很满意" } else { "满意" };
        let cells = [
            &format!("X{r}"),
            "乌海市公安局",
            "150300",
            "PC端",
            grade,
            "2023-10-31",
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
    }
    book.save(&file).unwrap();
    let run = env.import("ratings", &[&file], &["--skip-bad"]);
    let out = ok(&run);
    assert!(out.contains("拒收 1"), "{out}");
    let err = text(&run.stderr);
    assert!(
        err.contains(&format!(
            "{}:评价数据!E419:满意度: 无法识别的满意度「很满意」",
            file.display()
        )),
        "{err}"
    );
    assert_eq!(
        listed_rows(&env.dir.path().join("评价.xlsx.rejects.csv")),
        ["419"]
    );
}
