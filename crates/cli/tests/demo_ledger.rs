//! The demo city's rectification ledger reproduces the seed: "目前差评问题已整改完成" (one bad
//! rating), the supervisors' 12 items "目前已全部完成整改，及时将问题整改情况…反馈给各监督员",
//! 15 "码"上监督 complaints all closed, 2 of them about government services. One demo database
//! (built by the real binary, ~10–20 s in a debug build) serves every assertion.

use jianping_core::access::Principal;
use jianping_core::ledger::{SourceKind, State};
use jianping_core::{Grade, Period};
use jianping_store::Store;
use jianping_store::ledger::LedgerFilter;
use std::path::Path;
use std::process::Command;

fn jianping(db: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_jianping"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("JIANPING_FORMAT")
        .env_remove("JIANPING_DATABASE_URL")
        .output()
        .expect("run jianping");
    assert!(
        out.status.success(),
        "jianping {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn year() -> Period {
    Period::new("2023-01-01".parse().unwrap(), "2023-10-31".parse().unwrap()).unwrap()
}

#[test]
fn the_demo_ledger_reproduces_the_seed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.db");
    jianping(&db, &["demo"]);
    let mut store = Store::open_sqlite(&db).expect("open the demo");
    seed_loop(&mut store);
    every_item_walked_the_loop(&mut store);
    drop(store);
    annual_report_sentences(&db);
    may_bulletin(&db);
}

/// The seed's three closed loops, counted in the ledger.
fn seed_loop(store: &mut Store) {
    let p = year();
    let bad = [Grade::Unsatisfied, Grade::VeryUnsatisfied];
    let rating = store.ledger_source_summary(SourceKind::Rating, &p).unwrap();
    assert_eq!(
        (rating.total, rating.closed),
        (1, 1),
        "one bad rating, rectified"
    );
    let r = store.bad_rating_rectification_counts(&p, &bad).unwrap();
    assert_eq!((r.numerator, r.denominator), (1, 1));
    let c = store.bad_rating_callback_counts(&p, &bad).unwrap();
    assert_eq!(
        (c.numerator, c.denominator),
        (1, 1),
        "the named rater was called back"
    );

    let feedback = LedgerFilter {
        source: Some(SourceKind::Feedback),
        raised: Some(p),
        ..LedgerFilter::default()
    };
    let items = store
        .ledger_items(&Principal::admin("督查科"), &feedback, p.to)
        .unwrap();
    assert_eq!(items.len(), 12, "12 supervisor items");
    for i in &items {
        assert_eq!(
            i.state,
            State::Closed,
            "{} rectified and verified",
            i.item_no
        );
        assert!(i.measures.as_deref().is_some_and(|m| !m.is_empty()));
        assert!(
            i.feedback.as_deref().is_some_and(|f| f.contains("反馈")),
            "{} fed back to the supervisor: {:?}",
            i.item_no,
            i.feedback
        );
    }

    let qr = store
        .ledger_source_summary(SourceKind::QrReport, &p)
        .unwrap();
    assert_eq!(
        (qr.total, qr.closed),
        (15, 15),
        "15 QR complaints, all closed"
    );
    let reports = store.qr_reports_in(&p).unwrap();
    let government: Vec<_> = reports.iter().filter(|q| q.domain == "政务服务").collect();
    assert_eq!(government.len(), 2, "2 about government services");
    assert!(
        government
            .iter()
            .all(|q| q.ledger.as_ref().is_some_and(|l| l.is_closed()))
    );

    let tickets = store.ledger_source_summary(SourceKind::Ticket, &p).unwrap();
    assert_eq!(
        (tickets.total, tickets.closed),
        (1, 1),
        "the one 投诉 ticket"
    );
    assert!(store.excluded_ratings(&p).unwrap().is_empty());
}

/// Every item: registered, claimed, rectified, closed by the bureau; the year's movement
/// balances to nothing open.
fn every_item_walked_the_loop(store: &mut Store) {
    let p = year();
    let items = store
        .ledger_items(&Principal::admin("督查科"), &LedgerFilter::default(), p.to)
        .unwrap();
    assert_eq!(items.len(), 32);
    for i in &items {
        let d = store
            .ledger_item(&Principal::admin("督查科"), &i.item_no, p.to)
            .unwrap();
        let actions: Vec<&str> = d
            .events
            .iter()
            .map(|e| e.action.as_str())
            .filter(|a| *a != "回访")
            .collect();
        assert_eq!(
            actions,
            ["登记", "认领", "提交整改", "核验销号"],
            "{}",
            i.item_no
        );
        assert!(
            d.events
                .iter()
                .all(|e| e.at.as_str() <= "2023-10-31 23:59:59")
        );
    }
    let moved = store.ledger_movement(&p).unwrap();
    let new: u64 = moved.iter().map(|m| m.new).sum();
    let closed: u64 = moved.iter().map(|m| m.closed).sum();
    let open: u64 = moved.iter().map(|m| m.open_at_end).sum();
    assert_eq!((new, closed, open), (32, 32, 0));
    assert!(moved.iter().all(|m| m.balances()));
}

fn annual_report_sentences(db: &Path) {
    let md = jianping(
        db,
        &[
            "report",
            "annual",
            "--from",
            "2023-01-01",
            "--to",
            "2023-10-31",
        ],
    );
    for want in [
        "办理及时率、满意率、回访率均达100%。纳入问题整改台账的工单1件，目前已整改完成。",
        "目前差评问题已整改完成。实名差评1条，已回访1条，实名差评回访率为100%；差评整改率为100%。",
        "目前已全部完成整改，并已将问题整改情况反馈给各监督员。",
        "取得投诉人谅解，责任部门完成整改。",
    ] {
        assert!(md.contains(want), "missing {want}:\n{md}");
    }
    assert!(!md.contains("经申诉复核"), "no rating was excluded");
    assert!(
        !md.contains("经核查问题整改台账"),
        "every QR item is closed"
    );
}

/// May 2023: the month of the seed's one bad rating.
fn may_bulletin(db: &Path) {
    let md = jianping(db, &["report", "monthly", "--month", "2023-05"]);
    for want in [
        "# 乌海市2023年5月政务服务“好差评”及问题整改情况通报",
        "本月全市共产生差评1条（不满意1条），涉及海南区人力资源和社会保障局1条。其中实名差评1条，截至5月31日已回访1条，实名差评回访率为100%；已整改完成1条，差评整改率为100%。",
        "（一）5月17日，海南区人力资源和社会保障局在办理“社会保障卡申领”事项时，未向办事群众提供申请材料样本，填表反复出错，来回跑了两趟，造成了“不满意”评价。整改状态：已办结(销号)。",
        "截至5月31日，该差评问题已整改完成。",
        "满意率低于全市平均水平（99.99%）的部门有海南区人力资源和社会保障局。",
        "未发现数据质量问题。",
    ] {
        assert!(md.contains(want), "missing {want}:\n{md}");
    }
    let longest_digit_run = md
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(longest_digit_run < 11, "no phone number may leak");
    let json: serde_json::Value = serde_json::from_str(&jianping(
        db,
        &[
            "report", "monthly", "--month", "2023-05", "--format", "json",
        ],
    ))
    .unwrap();
    let total = &json["ledger"]["total"];
    let n = |k: &str| total[k].as_u64().unwrap();
    assert_eq!(
        n("open_at_start") + n("new") + n("reopened"),
        n("closed") + n("open_at_end"),
        "{total}"
    );
    assert_eq!(json["ratings"]["overall"]["total"], 23451);
}
