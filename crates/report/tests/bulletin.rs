//! The monthly bulletin on a hand-made October (tests/month), on both backends. Every
//! expected figure is worked out by hand in the comments.

#[path = "../../store/tests/common.rs"]
mod common;
mod month;

use jianping_report::bulletin::render::{bulletin_json, bulletin_markdown};
use jianping_report::bulletin::{BulletinTable, DepartmentScore, DepartmentScores, RankingMethod};
use jianping_report::{BulletinReport, BulletinSettings, ReportError, build_bulletin};
use jianping_store::Store;
use month::*;

fn bulletin(store: &mut Store, as_of: Option<&str>) -> BulletinReport {
    let settings = BulletinSettings {
        as_of: as_of.map(day),
        ..BulletinSettings::default()
    };
    build_bulletin(store, &period(), &settings).unwrap()
}

fn table<'a>(r: &'a [BulletinTable], key: &str) -> &'a BulletinTable {
    r.iter().find(|t| t.key == key).unwrap()
}

/// The paragraph (one line) that starts with `head`.
fn paragraph<'a>(md: &'a str, head: &str) -> &'a str {
    md.lines()
        .find(|l| l.starts_with(head))
        .unwrap_or_else(|| panic!("no paragraph starting {head}:\n{md}"))
}

both_backends! {
    every_sentence_of_the_october_bulletin(t) {
        load(&mut t.store);
        walk(&mut t.store, true);
        let r = bulletin(&mut t.store, None);
        let md = bulletin_markdown(&r).unwrap();
        std::fs::write("/tmp/bulletin-oct.md", &md).ok();
        assert!(md.starts_with("# 乌海市2023年10月政务服务“好差评”及问题整改情况通报\n"), "{md}");
        for want in [
            // 216 counted: A 40 + B 50 (BAD-B1 excluded) + C 35 + D 5 + E 36 + F 50; the
            // 包头 rating is outside the city. 211 非常满意, 1 满意, 4 不满意:
            // 211/216 = 97.685…%, 212/216 = 98.148…%.
            "2023年10月，全市共产生“好差评”数据216条，其中：非常满意211条，满意1条，基本满意0条，不满意4条，未产生非常不满意评价数据，非常满意率为97.69%，满意率为98.15%，涉及6个部门（各部门评价情况见附件1）。经申诉复核，1条评价不计入统计（乌海市公安局的“非常不满意”评价，原因：评价人误操作，实际已当场办结）。",
            // Bad ratings F1, A1, B2, A2; named A1 (reached) and B2 (未联系上): 1/2;
            // closed F1 and A1 by 10-31: 2/4.
            "本月全市共产生差评4条（不满意4条），涉及海南区人力资源和社会保障局2条、乌海市公安局1条、乌达区公安分局1条。其中实名差评2条，截至10月31日已回访1条，实名差评回访率为50.00%；已整改完成2条，差评整改率为50.00%。",
            "（一）10月5日，乌达区公安分局在办理事项时，材料一次性告知不到位，造成了“不满意”评价。整改状态：已办结(销号)。",
            // The phone in the comment is masked (and escaped for Markdown).
            "（二）10月10日，海南区人力资源和社会保障局在办理“社会保障卡申领”事项时，未提供材料样本，请回电138\\*\\*\\*\\*5678，造成了“不满意”评价。整改状态：已办结(销号)。",
            // 15 working days from 10-20: 10-23 … 10-27, 10-30, 10-31, 11-01 … 11-03, 11-06 … 11-10.
            "（三）10月20日，乌海市公安局在办理“居民身份证换领”事项时，排队时间过长，造成了“不满意”评价。整改状态：整改中，整改时限11月10日。",
            "（四）10月30日，海南区人力资源和社会保障局在办理事项时，产生了“不满意”评价（评价人未填写文字评价）。整改状态：待认领，整改时限11月20日。",
            "截至10月31日，上述差评问题已整改完成2条，正在整改2条（未完成整改的涉及乌海市公安局、海南区人力资源和社会保障局），请相关部门抓紧整改。",
            // Ratings: A0 closed at the start, reopened, rectified (awaiting the check);
            // F1, A1, B1 (appeal) closed; B2, A2 open. FB1 open throughout; T1 new; Q1
            // new and closed on 10-30 (its reopening on 11-02 is after the month).
            "2023年10月，全市问题整改台账新增问题7件、办结4件、重新打开1件，期初未办结1件，期末尚未办结5件（其中已整改、待核验1件）。分来源看，“好差评”差评新增5件、办结3件、期末未办结3件、重新打开1件；12345工单新增1件、办结0件、期末未办结1件；监督员意见新增0件、办结0件、期末未办结1件；“码”上监督问题新增1件、办结1件、期末未办结0件（详见附件3）。",
            // FB1 was due 08-22; T1 (投诉, 13 working days from 10-13) is due 11-01, the next
            // working day after 10-31.
            "截至10月31日，逾期未整改事项1件，涉及乌达区市场监督管理局1件；即将到期（预警）事项1件，涉及乌海市市场监督管理局1件（明细见附件4）。",
            // E 100% (36), C 100% (35), F 98% with its bad rating closed, B 98% with none
            // closed, A 95%; D has 5 ratings. City 98.15%: F, B and A are below.
            "本月评价数不少于30条的5个部门参与排名（依次按满意率、差评整改率从高到低和评价数从多到少排序），另有1个部门评价数不足30条，标注为“数据不足”，不参与排名。排名前三位的是乌海市市场监督管理局、乌达区市场监督管理局、乌达区公安分局；满意率低于全市平均水平（98.15%）的部门有乌达区公安分局、乌海市公安局、海南区人力资源和社会保障局。完整排名见附件5。",
            // Unfinished on 10-31: B2, A2, FB1, T1 (Q1 was closed then; A0 awaits the check).
            "截至10月31日，乌海市公安局、乌海市市场监督管理局、乌达区市场监督管理局、海南区人力资源和社会保障局仍有未完成整改的问题，请抓紧整改，并在问题整改台账中及时提交整改情况。对逾期未整改的事项，将持续跟踪督办，并在下期通报中通报整改进展。",
            "| 3 | 海南区人力资源和社会保障局 | 40 | 37 | 1 | 0 | 2 | 0 | 95.00% | 2 | 100% | 50.00% |",
            "| 4 | 乌海市公安局 | 50 | 98.00% | 0% |",
            "| 数据不足 | 海勃湾区民政局 | 5 | 100% | — |",
            "| “好差评”差评 | 0 | 5 | 3 | 1 | 3 | 1 |",
            "| 合计 | 1 | 7 | 4 | 1 | 5 | 1 |",
            "- 1 条评价的行政区划不在本市范围内，未计入通报：150202（1 条）",
            "- 1 条差评没有文字评价，通报无法说明差评原因",
        ] {
            assert!(md.contains(want), "missing:\n{want}\n\nin:\n{md}");
        }
        for leak in ["13812345678", "13900001111", "13600003333", "张三", "李四"] {
            assert!(!md.contains(leak), "{leak} leaked");
        }
        assert!(md.contains("投诉窗口推诿，请回电139\\*\\*\\*\\*1111"), "the attention table masks too");
    }

    the_json_carries_counts_and_the_tables(t) {
        load(&mut t.store);
        walk(&mut t.store, true);
        let r = bulletin(&mut t.store, Some("2023-10-31"));
        let json = bulletin_json(&r).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let f = &v["ratings"]["followup"];
        assert_eq!((f["named"].as_u64(), f["called_back"].as_u64()), (Some(2), Some(1)));
        assert_eq!(f["rectification_rate"]["numerator"], 2);
        assert_eq!(f["rectification_rate"]["denominator"], 4);
        assert_eq!(v["ranking"]["method"], "default");
        assert_eq!(v["ranking"]["entries"][0]["department"], MARKET);
        assert_eq!(v["ranking"]["insufficient"][0]["name"], CIVIL);
        assert_eq!(v["ledger"]["overdue"][0]["source"], "feedback");
        assert_eq!(v["ledger"]["warning"][0]["due_on"], "2023-11-01");
        assert_eq!(v["ratings"]["excluded"][0]["rating_no"], "BAD-B1");
        for leak in ["13812345678", "13900001111", "13600003333", "张三"] {
            assert!(!json.contains(leak), "{leak} leaked");
        }
        let back: BulletinReport = serde_json::from_str(&json).unwrap();
        assert_eq!(bulletin_markdown(&back).unwrap(), bulletin_markdown(&r).unwrap());
        let tables = r.tables();
        assert_eq!(
            tables.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(),
            ["departments", "bad", "movement", "attention", "ranking"]
        );
        let bad = table(&tables, "bad");
        assert_eq!(bad.rows.len(), 4);
        assert_eq!(bad.rows[2][6], "是", "BAD-B2 is 实名");
        assert_eq!(bad.rows[2][8], "整改中");
        let attention = table(&tables, "attention");
        assert_eq!(attention.rows[0][8], "逾期");
        assert_eq!(attention.rows[1][8], "预警");
    }

    the_ledger_is_read_as_of_the_day_given(t) {
        load(&mut t.store);
        walk(&mut t.store, true);
        let october = bulletin_markdown(&bulletin(&mut t.store, Some("2023-10-31"))).unwrap();
        assert_eq!(
            october,
            bulletin_markdown(&bulletin(&mut t.store, None)).unwrap(),
            "the period's last day by default"
        );
        // On 11-03: T1 (due 11-01) is overdue, Q1 was reopened on 11-02 and is open again;
        // the month's movement does not change.
        let md = bulletin_markdown(&bulletin(&mut t.store, Some("2023-11-03"))).unwrap();
        assert!(md.contains("截至11月3日，逾期未整改事项2件，涉及乌海市市场监督管理局1件、乌达区市场监督管理局1件；无即将到期（预警）事项（明细见附件4）。"), "{md}");
        assert!(md.contains("截至11月3日，乌海市公安局、乌海市市场监督管理局、乌达区市场监督管理局、海勃湾区民政局、海南区人力资源和社会保障局仍有未完成整改的问题"), "{md}");
        assert!(md.contains("新增问题7件、办结4件、重新打开1件"), "{md}");
        // Before the appeal was decided (10-13), BAD-B1 was a bad rating like the others;
        // the rollups no longer count it, but its ledger item was then open.
        let err = build_bulletin(
            &mut t.store,
            &period(),
            &BulletinSettings { as_of: Some(day("2023-09-30")), ..BulletinSettings::default() },
        )
        .unwrap_err();
        assert!(matches!(err, ReportError::Settings(_)) && err.to_string().contains("早于"), "{err}");
    }

    an_upheld_appeal_changes_the_bulletin(t) {
        load(&mut t.store);
        walk(&mut t.store, false);
        let before = bulletin_markdown(&bulletin(&mut t.store, None)).unwrap();
        // 217 ratings with BAD-B1 (非常不满意) pending appeal.
        let p = paragraph(&before, "2023年10月，全市共产生");
        assert!(p.starts_with("2023年10月，全市共产生“好差评”数据217条，其中：非常满意211条，满意1条，基本满意0条，不满意4条，非常不满意1条，"), "{p}");
        assert!(!before.contains("经申诉复核"), "{before}");
        assert!(before.contains("本月全市共产生差评5条（不满意4条、非常不满意1条）"), "{before}");
        decide_appeal(&mut t.store);
        let after = bulletin_markdown(&bulletin(&mut t.store, None)).unwrap();
        assert!(after.contains("数据216条"), "{after}");
        assert!(after.contains("经申诉复核，1条评价不计入统计（乌海市公安局的“非常不满意”评价，原因：评价人误操作，实际已当场办结）。"));
        assert!(after.contains("本月全市共产生差评4条（不满意4条）"));
        let n = t.store.backend().query("SELECT COUNT(*) FROM ratings WHERE rating_no = 'BAD-B1'", &[]).unwrap();
        assert_eq!(n[0][0].as_i64(), Some(1), "the rating itself stays");
    }

    ranking_by_scores_and_a_configurable_minimum(t) {
        load(&mut t.store);
        walk(&mut t.store, true);
        let score = |d: &str, s: f64, insufficient: bool| DepartmentScore {
            department: d.into(),
            score: s,
            printed: format!("{s:.1}"),
            insufficient,
        };
        let settings = BulletinSettings {
            min_ratings: 5,
            ranking: RankingMethod::Scores(DepartmentScores {
                name: "综合得分".into(),
                scores: vec![
                    score(HR, 91.0, false),
                    score(POLICE, 91.0, false),
                    score(CIVIL, 95.5, false),
                    score(MARKET, 80.0, true),
                    score(POLICE_WD, 70.0, false),
                ],
            }),
            ..BulletinSettings::default()
        };
        let r = build_bulletin(&mut t.store, &period(), &settings).unwrap();
        let ranked: Vec<(u64, &str)> =
            r.ranking.entries.iter().map(|e| (e.rank, e.department.as_str())).collect();
        // Equal scores share a rank; E is 数据不足 by the indicator system, C has no score.
        assert_eq!(ranked, vec![(1, CIVIL), (2, POLICE), (2, HR), (4, POLICE_WD)]);
        let insufficient: Vec<&str> = r.ranking.insufficient.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(insufficient, vec![MARKET, MARKET_WD]);
        let md = bulletin_markdown(&r).unwrap();
        assert!(md.contains("本月评价数不少于5条的4个部门参与排名（按综合得分从高到低排序），另有2个部门评价指标数据不足，标注为“数据不足”，不参与排名。排名前三位的是海勃湾区民政局、乌海市公安局、海南区人力资源和社会保障局；"), "{md}");
        assert!(md.contains("| 名次 | 部门 | 评价数 | 满意率 | 差评整改率 | 综合得分 |"), "{md}");
        assert!(md.contains("| 2 | 乌海市公安局 | 50 | 98.00% | 0% | 91.0 |"), "{md}");
    }
}

mod no_database_needed {
    use super::*;

    #[test]
    fn a_quiet_month_says_so() {
        let mut db = common::sqlite();
        load(&mut db.store);
        let p = jianping_core::Period::month(2023, 6).unwrap();
        let r = build_bulletin(&mut db.store, &p, &BulletinSettings::default()).unwrap();
        let md = bulletin_markdown(&r).unwrap();
        for want in [
            "# 乌海市2023年6月政务服务“好差评”及问题整改情况通报",
            "2023年6月，全市未产生“好差评”数据。",
            "本月全市未产生不满意、非常不满意评价。",
            "2023年6月，全市问题整改台账无新增问题，也无未办结问题。",
            "截至6月30日，全市问题整改台账中无逾期、预警事项。",
            "本月无可排名的部门。",
            "## 附件2：差评明细及整改情况\n\n无。",
        ] {
            assert!(md.contains(want), "missing {want}:\n{md}");
        }
        assert!(!md.contains("\n\n\n"), "no stray blank lines:\n{md}");
    }

    #[test]
    fn a_part_month_is_a_period_not_a_month() {
        let mut db = common::sqlite();
        load(&mut db.store);
        walk(&mut db.store, true);
        let p = jianping_core::Period::new(day("2023-10-01"), day("2023-10-15")).unwrap();
        let r = build_bulletin(&mut db.store, &p, &BulletinSettings::default()).unwrap();
        assert_eq!(
            r.title,
            "乌海市2023年10月1日—10月15日政务服务“好差评”及问题整改情况通报"
        );
        let md = bulletin_markdown(&r).unwrap();
        // F1 and A1 were rated by 10-15; B1 was excluded on 10-16, after this period's end,
        // but an upheld appeal takes a rating out of every period.
        assert!(md.contains("本期全市共产生差评2条（不满意2条）"), "{md}");
        assert!(!md.contains("\n\n\n"), "no stray blank lines:\n{md}");
    }
}
