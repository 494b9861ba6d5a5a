//! The annual report reads the rectification ledger: an upheld appeal changes its figures
//! and its wording (the rating itself stays), and "已…完成整改" is printed only when the
//! ledger says so — for 12345 tickets and "码"上监督 complaints too. On both backends.

#[path = "../../store/tests/common.rs"]
mod common;
mod dataset;
mod month;

use jianping_report::render::annual_markdown;
use jianping_report::{AnnualSettings, build_annual};
use jianping_store::Store;

fn october(store: &mut Store) -> String {
    let r = build_annual(store, &month::period(), &AnnualSettings::default()).unwrap();
    annual_markdown(&r).unwrap()
}

fn ratings_paragraph(md: &str) -> &str {
    md.lines()
        .find(|l| l.starts_with("我市深入推进实施"))
        .unwrap()
}

both_backends! {
    an_upheld_appeal_changes_the_figures_and_the_wording(t) {
        month::load(&mut t.store);
        month::walk(&mut t.store, false);
        let before = october(&mut t.store);
        let p = ratings_paragraph(&before);
        // Appeal filed, not decided: BAD-B1 still counts. 217 ratings, 212 satisfied.
        assert!(p.contains("全市共产生“好差评”数据217条，其中：非常满意211条，满意1条，基本满意0条，不满意4条，非常不满意1条，非常满意率为97.24%，满意率为97.70%。从区域情况看"), "{p}");
        assert!(p.contains("所产生的4条不满意评价、1条非常不满意评价分别为："), "{p}");
        assert!(p.contains("乌海市公安局在办理事项时，窗口人员服务态度差，造成了“非常不满意”评价数据"), "{p}");
        // Named: A1 (reached), B1 and B2 (未联系上); closed now: F1, A1.
        assert!(p.ends_with("实名差评3条，已回访1条，实名差评回访率为33.33%；差评整改率为40.00%。"), "{p}");
        assert!(!before.contains("经申诉复核"));

        month::decide_appeal(&mut t.store);
        let after = october(&mut t.store);
        let p = ratings_paragraph(&after);
        assert!(p.contains("全市共产生“好差评”数据216条，其中：非常满意211条，满意1条，基本满意0条，不满意4条，未产生非常不满意评价数据，非常满意率为97.69%，满意率为98.15%。经申诉复核，1条评价不计入统计（乌海市公安局的“非常不满意”评价，原因：评价人误操作，实际已当场办结）。从区域情况看"), "{p}");
        assert!(p.contains("所产生的4条不满意评价分别为："), "{p}");
        assert!(!p.contains("窗口人员服务态度差"), "{p}");
        assert!(p.ends_with("实名差评2条，已回访1条，实名差评回访率为50.00%；差评整改率为50.00%。"), "{p}");
        let rows = t
            .store
            .backend()
            .query("SELECT grade FROM ratings WHERE rating_no = 'BAD-B1'", &[])
            .unwrap();
        assert_eq!(rows.len(), 1, "the rating stays");
        assert_eq!(rows[0][0].as_i64(), Some(5));
    }

    the_hotline_sentence_follows_the_ledger(t) {
        month::load(&mut t.store);
        month::walk(&mut t.store, true);
        let md = october(&mut t.store);
        // T1 (投诉) is on the ledger and untouched.
        assert!(md.contains("纳入问题整改台账的工单1件，目前正在整改1件（未完成整改的涉及乌海市市场监督管理局）。"), "{md}");
        let t1 = month::item(&mut t.store, jianping_core::ledger::SourceKind::Ticket, "T1");
        let clerk = month::clerk(&mut t.store, month::MARKET);
        let at = |s: &str| jianping_core::time::parse_datetime(s).unwrap();
        t.store.ledger_claim(&t1, &clerk, at("2023-10-16 09:00:00")).unwrap();
        t.store.ledger_rectify(&t1, "约谈窗口负责人", &clerk, at("2023-10-17 09:00:00")).unwrap();
        t.store.ledger_close(&t1, None, &month::bureau(), at("2023-10-18 09:00:00")).unwrap();
        let md = october(&mut t.store);
        assert!(md.contains("纳入问题整改台账的工单1件，目前已整改完成。"), "{md}");
    }

    the_qr_handling_is_checked_against_the_ledger(t) {
        dataset::load(&mut t.store);
        let q = |no: &str| format!("SELECT id FROM qr_reports WHERE report_no = '{no}'");
        dataset::ledger_item(&mut t.store, "ZG-Q1", "qr_report", &q("Q1"), "closed", None);
        dataset::ledger_item(&mut t.store, "ZG-Q2", "qr_report", &q("Q2"), "claimed", None);
        let r = build_annual(&mut t.store, &dataset::period(), &AnnualSettings::default()).unwrap();
        let md = annual_markdown(&r).unwrap();
        // The platform's text says 完成整改 for both; the ledger says one is still open.
        assert!(md.contains("二是乌海市公安局行政审批办在办理港澳台签注时存在审批环节多、办事耗时长的问题。对上述问题，经核查问题整改台账，目前已整改完成1件，正在整改1件（未完成整改的涉及乌海市公安局行政审批办）。"), "{md}");
        assert!(!md.contains("均已取得投诉人谅解"), "{md}");
        dataset::ledger_item(&mut t.store, "ZG-Q2", "qr_report", &q("Q2"), "closed", None);
        let r = build_annual(&mut t.store, &dataset::period(), &AnnualSettings::default()).unwrap();
        assert!(annual_markdown(&r).unwrap().contains("对上述问题，责任部门主动与投诉人取得联系，经双方沟通后，均已取得投诉人谅解，责任部门完成整改。"));
    }

    the_report_counts_agree_with_the_store_counts(t) {
        // The report's 实名差评回访率 / 差评整改率 (per department, within the city) add up
        // to the ledger's own city-wide counts.
        month::load(&mut t.store);
        month::walk(&mut t.store, true);
        let p = month::period();
        let bad = [jianping_core::Grade::Unsatisfied, jianping_core::Grade::VeryUnsatisfied];
        let r = build_annual(&mut t.store, &p, &AnnualSettings::default()).unwrap();
        let c = t.store.bad_rating_callback_counts(&p, &bad).unwrap();
        let x = t.store.bad_rating_rectification_counts(&p, &bad).unwrap();
        let f = &r.ratings.followup;
        assert_eq!((f.called_back, f.named), (c.numerator, c.denominator));
        assert_eq!((f.closed, f.bad), (x.numerator, x.denominator));
        assert_eq!((f.closed, f.bad), (2, 4));
    }
}
