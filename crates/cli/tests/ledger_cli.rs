//! `jianping ledger` and `jianping calendar` through the real binary, on a SQLite file.

use calamine::{Reader, Xlsx, open_workbook};
use jianping_core::records::{FeedbackRecord, QrReportRecord, RatingRecord, SupervisorRecord};
use jianping_core::time::parse_datetime;
use jianping_core::{Channel, Grade, RegionCode};
use jianping_store::Store;
use std::path::Path;
use std::process::{Command, Output};

fn jianping(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jianping"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("JIANPING_ACTOR")
        .env_remove("JIANPING_ROLE")
        .output()
        .expect("run jianping")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = jianping(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(db: &Path, args: &[&str]) -> String {
    let out = jianping(db, args);
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

/// The seed's problems in miniature: the one bad rating, one supervisor item, one QR complaint.
fn seed(db: &Path) {
    let mut store = Store::open_sqlite(db).unwrap();
    let mut s = store.begin_import("ratings", "r.csv", "x").unwrap();
    s.ratings(&[RatingRecord {
        rating_no: "HC0001".into(),
        case_no: None,
        matter_code: None,
        matter_name: Some("工伤认定申请".into()),
        department: "海南区人力资源和社会保障局".into(),
        window: None,
        staff: None,
        region: RegionCode::parse("150303").unwrap(),
        channel: Channel::HallPad,
        grade: Grade::Unsatisfied,
        rated_at: parse_datetime("2023-09-28 10:00").unwrap(),
        attempt: 1,
        tags: None,
        comment: Some("未提供材料样本，请回电13812345678".into()),
        rater_name: Some("张三".into()),
        rater_phone: Some("13812345678".into()),
        device: None,
        address: None,
        account: None,
    }])
    .unwrap();
    s.commit().unwrap();
    let mut s = store.begin_import("supervision", "s.csv", "x").unwrap();
    s.supervisors(&[SupervisorRecord {
        code: "JD01".into(),
        name: "王五".into(),
        category: "人大代表".into(),
        unit: None,
        phone: None,
        appointed_on: "2022-03-01".parse().unwrap(),
        term_end: None,
    }])
    .unwrap();
    s.feedback(&[FeedbackRecord {
        feedback_no: "JDYJ01".into(),
        supervisor: "JD01".into(),
        received_on: "2023-05-10".parse().unwrap(),
        category: "便民服务".into(),
        method: None,
        content: "海勃湾区政务服务大厅缺少复印打印机".into(),
        department: Some("海勃湾区政务服务中心".into()),
        region: None,
    }])
    .unwrap();
    s.qr_reports(&[QrReportRecord {
        report_no: "MSJD01".into(),
        received_at: parse_datetime("2023-07-03 15:00").unwrap(),
        domain: "政务服务".into(),
        region: None,
        window: None,
        department: Some("住房公积金中心乌达分中心".into()),
        content: "服务态度差，未做到一次性告知".into(),
        reporter_name: None,
        reporter_phone: None,
        closed_at: None,
        handling: None,
    }])
    .unwrap();
    s.commit().unwrap();
}

#[test]
fn calendar_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    assert_eq!(
        ok(&db, &["calendar", "add-workdays", "2023-09-28", "1"]),
        "2023-10-07\n"
    );
    assert!(!db.exists(), "arithmetic does not create a database");
    let show = ok(&db, &["calendar", "show", "2024"]);
    assert!(
        show.contains("春节：2月10日（周六）至2月17日（周六），共8天"),
        "{show}"
    );
    assert!(show.contains("2月18日（周日）上班（春节）"), "{show}");
    assert!(show.contains("10月12日（周六）上班（国庆节）"), "{show}");
    let e = fails(&db, &["calendar", "show", "2027"]);
    assert!(e.contains("calendar import"), "{e}");
    let file = dir.path().join("2027.csv");
    std::fs::write(
        &file,
        "date,kind,name\n2027-01-01,休,元旦\n2026-12-31,休,元旦\n",
    )
    .unwrap();
    let db = dir.path().join("j.db");
    assert!(ok(&db, &["calendar", "import", file.to_str().unwrap()]).contains("已导入 2 天"));
    let show = ok(&db, &["calendar", "show", "2027"]);
    assert!(
        show.contains("元旦：2026年12月31日（周四）至1月1日（周五），共2天"),
        "{show}"
    );
    assert_eq!(
        ok(&db, &["calendar", "add-workdays", "2026-12-30", "1"]),
        "2027-01-04\n"
    );
}

#[test]
fn the_loop_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    seed(&db);
    let list = ok(&db, &["ledger", "list", "--today", "2023-10-31"]);
    assert!(list.contains("共 3 件"), "{list}");
    // Newest problem first; personal data masked.
    let first = list.lines().nth(1).unwrap();
    assert!(first.starts_with("ZG2023-00001  好差评差评"), "{list}");
    assert!(!list.contains("13812345678"), "{list}");
    let json = ok(
        &db,
        &["ledger", "list", "--source", "rating", "--format", "json"],
    );
    assert!(
        json.contains("138****5678") && !json.contains("13812345678"),
        "{json}"
    );
    let item = "ZG2023-00001";
    let e = fails(&db, &["ledger", "claim", item]);
    assert!(e.contains("--actor"), "{e}");
    let dept = [
        "--actor",
        "李娜",
        "--role",
        "department",
        "--actor-department",
        "海南区人力资源和社会保障局",
    ];
    // A department name is resolved to its id; a near miss is answered with close names.
    let e = fails(
        &db,
        &[
            "ledger",
            "claim",
            item,
            "--actor",
            "李娜",
            "--role",
            "department",
            "--actor-department",
            "海南区人力资源",
        ],
    );
    assert!(e.contains("是否指：海南区人力资源和社会保障局"), "{e}");
    let e = fails(
        &db,
        &[
            "ledger",
            "claim",
            item,
            "--actor",
            "李娜",
            "--role",
            "department",
        ],
    );
    assert!(e.contains("须注明所在部门"), "{e}");
    // A clerk of another department may not claim it.
    let e = fails(
        &db,
        &[
            "ledger",
            "claim",
            item,
            "--actor",
            "张伟",
            "--role",
            "department",
            "--actor-department",
            "住房公积金中心乌达分中心",
        ],
    );
    assert!(e.contains("不属于本部门"), "{e}");
    let mut claim = vec!["ledger", "claim", item, "--at", "2023-09-28 16:00"];
    claim.extend(dept);
    assert!(ok(&db, &claim).contains("认领（待认领 → 整改中）"));
    let mut rectify = vec![
        "ledger",
        "rectify",
        item,
        "--measures",
        "各窗口摆放申请材料样本",
        "--at",
        "2023-10-07 10:00",
    ];
    rectify.extend(dept);
    ok(&db, &rectify);
    let mut close = vec!["ledger", "close", item, "--at", "2023-10-08 10:00"];
    close.extend(dept);
    let e = fails(&db, &close);
    assert!(e.contains("须由政务服务局执行"), "{e}");
    ok(
        &db,
        &[
            "ledger",
            "close",
            item,
            "--actor",
            "局经办人",
            "--at",
            "2023-10-08 10:00",
        ],
    );
    ok(
        &db,
        &[
            "ledger",
            "callback",
            item,
            "--response",
            "满意",
            "--actor",
            "局经办人",
            "--at",
            "2023-10-09 10:00",
        ],
    );
    let e = fails(
        &db,
        &[
            "ledger",
            "rectify",
            item,
            "--measures",
            "x",
            "--actor",
            "局经办人",
        ],
    );
    assert!(
        e.contains("当前状态为「已办结(销号)」，不能「提交整改」；此状态下可执行：重新打开、回访"),
        "{e}"
    );
    let show = ok(&db, &["ledger", "show", item, "--today", "2023-10-31"]);
    assert!(show.contains("整改状态：已办结(销号)"), "{show}");
    assert!(
        show.contains("2023-09-28 16:00:00 李娜（部门经办人） 认领［待认领 → 整改中］"),
        "{show}"
    );
    assert!(
        show.contains("评价人：张*") && show.contains("联系电话：138****5678"),
        "{show}"
    );
    let closed = ok(&db, &["ledger", "list", "--state", "已办结"]);
    assert!(closed.contains("共 1 件"), "{closed}");
    let overdue = ok(
        &db,
        &["ledger", "list", "--overdue", "--today", "2023-10-31"],
    );
    assert!(
        overdue.contains("共 2 件") && overdue.contains("逾期"),
        "{overdue}"
    );
    let mine = ok(&db, &["ledger", "list", "--supervisor", "JD01"]);
    assert!(mine.contains("共 1 件"), "{mine}");
    assert!(ok(&db, &["ledger", "sync"]).contains("没有需要补登的问题"));
    let contact = ok(
        &db,
        &[
            "ledger",
            "contact",
            item,
            "--actor",
            "王芳",
            "--reason",
            "差评回访",
        ],
    );
    assert!(contact.contains("13812345678"), "{contact}");
    let log = ok(&db, &["ledger", "access-log", "--actor", "审计员"]);
    assert!(
        log.contains("王芳（局管理员）") && log.contains("差评回访"),
        "{log}"
    );
}

#[test]
fn the_circulated_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    seed(&db);
    let item = "ZG2023-00003";
    ok(
        &db,
        &[
            "ledger",
            "claim",
            item,
            "--actor",
            "局经办人",
            "--at",
            "2023-07-04 09:00",
        ],
    );
    ok(
        &db,
        &[
            "ledger",
            "rectify",
            item,
            "--measures",
            "约谈工作人员，落实一次性告知",
            "--actor",
            "局经办人",
            "--at",
            "2023-07-05 09:00",
        ],
    );
    let xlsx = dir.path().join("台账.xlsx");
    let e = fails(&db, &["ledger", "export", "--format", "xlsx"]);
    assert!(e.contains("--output"), "{e}");
    ok(
        &db,
        &[
            "ledger",
            "export",
            "--format",
            "xlsx",
            "--output",
            xlsx.to_str().unwrap(),
            "--today",
            "2023-10-31",
        ],
    );
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let range = wb.worksheet_range("整改台账").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "序号",
            "问题来源",
            "问题描述",
            "责任单位",
            "整改措施",
            "整改时限",
            "整改状态",
            "反馈情况"
        ]
    );
    assert_eq!(rows.len(), 4);
    // Oldest first, numbered from 1.
    assert_eq!(rows[1][0], "1");
    assert_eq!(rows[1][1], "监督员意见（JDYJ01）");
    assert_eq!(rows[2][3], "住房公积金中心乌达分中心");
    assert_eq!(rows[2][4], "约谈工作人员，落实一次性告知");
    assert_eq!(rows[2][5], "2023年7月24日");
    assert_eq!(rows[2][6], "已整改(待核验)");
    assert!(rows[3][2].contains("138****5678"), "{:?}", rows[3]);
    assert!(rows[3][6].contains("逾期"), "{:?}", rows[3]);
    libreoffice_reads(&xlsx, &rows);
}

/// LibreOffice (when installed) opens the sheet and sees the same cells.
fn libreoffice_reads(xlsx: &Path, rows: &[Vec<String>]) {
    let probe = Command::new("soffice").arg("--version").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("soffice not installed: LibreOffice check skipped");
        return;
    }
    let dir = xlsx.parent().unwrap();
    let out = Command::new("soffice")
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
        ])
        .arg("--outdir")
        .arg(dir.join("lo"))
        .arg(xlsx)
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv =
        std::fs::read_to_string(dir.join("lo").join("台账.csv")).expect("LibreOffice wrote CSV");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "序号,问题来源,问题描述,责任单位,整改措施,整改时限,整改状态,反馈情况"
    );
    assert_eq!(lines.len(), rows.len());
    assert!(
        lines[2].contains("约谈工作人员，落实一次性告知") && lines[2].contains("2023年7月24日"),
        "{csv}"
    );
}
