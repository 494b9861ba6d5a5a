//! The annual report on a small hand-made city (tests/dataset), on both backends. The
//! expected figures were worked out by hand from the dataset; see the comments.

#[path = "../../store/tests/common.rs"]
mod common;
mod dataset;

use jianping_core::time::parse_date;
use jianping_core::{Period, RatePolicy, Rounding};
use jianping_report::render::{annual_json, annual_markdown};
use jianping_report::{AnnualReport, AnnualSettings, ReportError, build_annual};
use jianping_store::Store;

fn markdown(store: &mut Store, settings: &AnnualSettings) -> String {
    let r = build_annual(store, &dataset::period(), settings).unwrap();
    annual_markdown(&r).unwrap()
}

fn report(store: &mut Store) -> AnnualReport {
    build_annual(store, &dataset::period(), &AnnualSettings::default()).unwrap()
}

/// Compares with the reviewed rendering in tests/fixtures; JIANPING_UPDATE_GOLDEN=1 rewrites it.
fn assert_golden(name: &str, got: &str) {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("JIANPING_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert_eq!(got, want, "rendering differs from {path}");
}

fn ratings_paragraph(md: &str) -> &str {
    let start = md.find("我市深入推进实施").unwrap();
    let end = start + md[start..].find('\n').unwrap();
    &md[start..end]
}

both_backends! {
    every_figure_of_the_small_city(t) {
        dataset::load(&mut t.store);
        dataset::ledger_item(&mut t.store, "ZG-R1", "rating", dataset::BAD_RATING, "closed", None);
        let md = markdown(&mut t.store, &AnnualSettings::default());
        for want in [
            "# 乌海市2023年政务服务监督评价报告",
            // Centre: 3 综合受理 windows of 4, 3 active staff of 4, C1 and C2 in two departments;
            // 12 cases in P (K12 was accepted in 2022), K8 completed after P: 11/12 = 91.7%.
            "共设置综合受理窗口3个，现有工作人员3人，可集中受理2个部门2个政务服务事项。2023年至今，共办件12件，办结率91.7%。",
            // Units C1, C2, D1a (smallest code for B1), D2; sectors 人社 and 公安.
            // 全程网办 D1a, and C1 from 06-01. Compression (0.5+0+0.5)/3 → (0.75+0+0.5)/3; D2 has no
            // legal limit. 情形化 C1, D1a; 即办 C1; 电子证照 C1; 免证 C1, D1a.
            "市、区两级2个系统部门共完成4项事项梳理优化（区级事项不重复统计），全程网办事项由1项提升至2项，承诺时限对比法定时限平均压缩率由33.3%提升至41.7%，事项情形化比例50.0%，即办事项比例25.0%，电子证照关联比例25.0%，免证办事项比例50.0%。",
            "蒙速办移动端特色应用总数共有395个，迁移接入融合平台小程序应用总数161个。“蒙速办”移动端注册人数29.19万人，占比地区人口52.5%，总访问量为1085万次。",
            // Extended: 2 halls; C1, D1a, T1 of 6 instances; 3 windows; cases K6, K7, K9, K10;
            // 海勃湾区 has K6, K7, K9 and D1a, T1 and two windows.
            "全市提供预约延时服务场所2个，梳理事项3项，实现延时服务事项占比达50%，开设窗口3个，全市共办理4件。其中，海勃湾区2项事项可实现延时服务，开设延时服务窗口2个，共办理延时服务3件。",
            "目前市本级共配置免证办事项1项，海勃湾区、海南区、乌达区分别配置2项、1项、0项。",
            "截至10月31日，乌海市政务服务中心共收到12345转办件5件，其中求助2件、咨询1件、建议1件、表扬1件。分析案卷内容，求助件占总案件量40.00%；咨询件占总案件量20.00%；建议件占总案件量20.00%；表扬件占总案件量20.00%。办理及时率、满意率、回访率均达100%。",
            // 41 + 9 + 2 = 52 ratings in the city (the 包头 one is outside): 49/52, 51/52.
            "全市共产生“好差评”数据52条，其中：非常满意49条，满意1条，基本满意1条，不满意1条，未产生非常不满意评价数据，非常满意率为94.23%，满意率为98.08%。",
            "市本级共产生“好差评”数据41条，占评价总数的78.85%，包括非常满意40条，满意1条，基本满意0条，未产生不满意、非常不满意评价数据，非常满意率为97.56%，满意率为100%；",
            "区级共产生“好差评”数据9条，占评价总数的17.31%，包括非常满意8条，满意0条，基本满意0条，不满意1条，未产生非常不满意评价数据，非常满意率为88.89%，满意率为88.89%；",
            "镇(街道)和村(社区)级共产生“好差评”数据2条，占评价总数的3.85%，包括非常满意1条，满意0条，基本满意1条，未产生不满意、非常不满意评价数据，非常满意率为50.00%，满意率为100%。",
            // The seed's own sentence, from the rating's department, comment and closed item.
            "从评价数据看，今年以来，全市“好差评”评价满意度整体较高，所产生的1条不满意评价为海南区人力资源和社会保障局在办理事项时，未向办事群众提供材料样本，造成了“不满意”评价数据。针对该问题已纳入全市月度政务服务“好差评”情况进行通报处理，并相应提出了具体整改要求，目前差评问题已整改完成。",
            "乌海市于2022年聘任了包括党代表、人大代表、企业家代表在内的3名政务服务监督员",
            "收集了关于便民服务、事项办理体验等方面意见建议3条，其中便民服务方面海勃湾区政务服务大厅缺少复印打印机；事项办理体验方面存在部分窗口人员业务能力不足、工伤申报流程长材料多等问题。针对上述问题，乌海市建立问题整改台账，明确责任部门，目前已全部完成整改，并已将问题整改情况反馈给各监督员。",
            "共收到并办结“码”上监督反映问题3件，其中反映政务服务方面问题2件，一是住房公积金中心乌达分中心工作人员服务态度差、未做到“一次性告知”，二是乌海市公安局行政审批办在办理港澳台签注时存在审批环节多、办事耗时长的问题。对上述问题，责任部门主动与投诉人取得联系，经双方沟通后，均已取得投诉人谅解，责任部门完成整改。",
            "通过多个“申请人”和“旁观者”，客观、系统、以实地暗访、电话调研等测评方式",
            "意见与建议：一是政策宣传力度不足，群众对新推出的服务知晓度低；二是窗口人员业务能力仍有提升空间。我市针对第三方评估报告中的意见与建议，一是通过线上线下多种形式提升政策知晓度；二是开展业务、礼仪培训提升服务质效。",
            "- 1 项事项（去重后）没有法定时限，未计入承诺时限平均压缩率",
            "- 1 条评价的行政区划不在本市范围内，未计入报告：150202（1 条）",
        ] {
            assert!(md.contains(want), "missing:\n{want}\n\nin:\n{md}");
        }
        assert!(!md.contains("13812345678"), "personal data must be masked");
        assert_golden("small_city.md", &md);
    }

    the_ledger_state_of_a_bad_rating_changes_the_sentence(t) {
        dataset::load(&mut t.store);
        let head = "所产生的1条不满意评价为海南区人力资源和社会保障局在办理事项时，未向办事群众提供材料样本，造成了“不满意”评价数据。";
        let raised = "针对该问题已纳入全市月度政务服务“好差评”情况进行通报处理，并相应提出了具体整改要求，";
        let md = markdown(&mut t.store, &AnnualSettings::default());
        let followup = |rate: &str| format!("实名差评1条，已回访0条，实名差评回访率为0%；差评整改率为{rate}。");
        assert!(ratings_paragraph(&md).ends_with(&format!("{head}该差评问题尚未纳入整改台账。{}", followup("0%"))), "{md}");
        dataset::ledger_item(&mut t.store, "ZG-R1", "rating", dataset::BAD_RATING, "claimed", None);
        for (state, ending) in [
            ("claimed", "目前差评问题正在整改中。"),
            ("returned", "目前差评问题正在整改中。"),
            ("rectified", "目前差评问题已整改、待核验。"),
            ("closed", "目前差评问题已整改完成。"),
        ] {
            t.store
                .backend()
                .execute("UPDATE ledger_items SET state = ? WHERE item_no = 'ZG-R1'", &[state.into()])
                .unwrap();
            let md = markdown(&mut t.store, &AnnualSettings::default());
            let rate = if state == "closed" { "100%" } else { "0%" };
            assert!(
                ratings_paragraph(&md).ends_with(&format!("{head}{raised}{ending}{}", followup(rate))),
                "{state}: {}",
                ratings_paragraph(&md)
            );
        }
    }

    supervisor_feedback_still_open_is_named(t) {
        dataset::load(&mut t.store);
        t.store
            .backend()
            .execute("UPDATE ledger_items SET state = 'claimed' WHERE item_no = 'ZG-F2'", &[])
            .unwrap();
        let md = markdown(&mut t.store, &AnnualSettings::default());
        assert!(
            md.contains("针对上述问题，乌海市建立问题整改台账，明确责任部门，目前已整改完成2条，正在整改1条（未完成整改的涉及海勃湾区政务服务中心）。"),
            "{md}"
        );
        assert!(!md.contains("目前已全部完成整改"));
    }

    an_upheld_appeal_leaves_no_bad_rating(t) {
        dataset::load(&mut t.store);
        t.store
            .backend()
            .execute(
                &format!(
                    "INSERT INTO appeals (rating_id, filed_at, filed_by, reason, state)
                     VALUES (({}), '2023-05-02 00:00:00', '海南区人力资源和社会保障局', '误评', 'upheld')",
                    dataset::BAD_RATING
                ),
                &[],
            )
            .unwrap();
        t.store.rebuild_rollups().unwrap();
        let md = markdown(&mut t.store, &AnnualSettings::default());
        let p = ratings_paragraph(&md);
        assert!(p.contains("全市共产生“好差评”数据51条，其中：非常满意49条，满意1条，基本满意1条，未产生不满意、非常不满意评价数据，非常满意率为96.08%，满意率为100%。"), "{p}");
        assert!(p.ends_with("全市“好差评”评价满意度整体较高，未产生不满意、非常不满意评价数据。"), "{p}");
    }

    the_json_is_the_model_with_counts_ratios_and_prints(t) {
        dataset::load(&mut t.store);
        let r = report(&mut t.store);
        let json = annual_json(&r).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let rate = &v["ratings"]["overall"]["very_satisfied_rate"];
        assert_eq!((rate["numerator"].as_u64(), rate["denominator"].as_u64()), (Some(49), Some(52)));
        assert_eq!(rate["printed"], "94.23%");
        assert!((rate["ratio"].as_f64().unwrap() - 49.0 / 52.0).abs() < 1e-12);
        let c = &v["basics"]["catalog"]["compression"]["after"];
        assert_eq!((c["rate"]["numerator"].as_u64(), c["rate"]["denominator"].as_u64()), (Some(5), Some(12)));
        assert_eq!((c["counted"].as_u64(), c["no_legal_limit"].as_u64()), (Some(3), Some(1)));
        assert_eq!(v["hotline"]["kpis"]["timely_rate"]["printed"], "100%");
        assert_eq!(v["hotline"]["by_kind"][0]["label"], "求助");
        assert_eq!(v["basics"]["cases"]["accepted"]["value"], 12);
        assert_eq!(v["ratings"]["bad"][0]["grade"], "不满意");
        // The JSON carries everything the Markdown needs (ratios may differ in the last bit).
        let back: AnnualReport = serde_json::from_str(&json).unwrap();
        assert_eq!(annual_markdown(&back).unwrap(), annual_markdown(&r).unwrap());
        assert!(!json.contains("13812345678") && !json.contains("13900001111"));
    }

    rounding_is_a_report_setting(t) {
        dataset::load(&mut t.store);
        let settings = AnnualSettings {
            policy: RatePolicy { precision: 1, rounding: Rounding::Truncate },
            ..AnnualSettings::default()
        };
        let md = markdown(&mut t.store, &settings);
        // 49/52 = 94.2307…%, 51/52 = 98.0769…%: truncated at one decimal.
        assert!(md.contains("非常满意率为94.2%，满意率为98.0%。"), "{md}");
        // 11/12 = 91.666…% truncates to 91.6% (section 二 always prints one decimal).
        assert!(md.contains("办结率91.6%"), "{md}");
        assert!(!md.contains("四舍五入") && md.contains("截断保留1位小数"));
    }
}

mod no_database_needed {
    use super::*;

    #[test]
    fn an_empty_period_says_so() {
        let mut db = common::sqlite();
        dataset::load(&mut db.store);
        let p = Period::new(
            parse_date("2021-01-01").unwrap(),
            parse_date("2021-06-30").unwrap(),
        )
        .unwrap();
        let r = build_annual(&mut db.store, &p, &AnnualSettings::default()).unwrap();
        assert_eq!(r.title, "乌海市2021年政务服务监督评价报告");
        let md = annual_markdown(&r).unwrap();
        for want in [
            "2021年至今，暂无办件数据。",
            "截至6月30日，未收到12345工单。",
            "截至6月30日，全市未产生“好差评”数据。",
            "截至6月30日，未收到“码”上监督反映问题。",
            "截至6月30日，暂无第三方评估结果。",
            "报告期末事项目录中尚无市、区两级事项。",
        ] {
            assert!(md.contains(want), "missing {want}:\n{md}");
        }
        // Supervisors appointed in 2022 were not yet in office.
        assert!(md.contains("截至6月30日，未收到监督员意见建议。"), "{md}");
        assert!(!md.contains("名政务服务监督员"));
    }

    #[test]
    fn a_store_without_a_city_is_refused_with_what_to_do() {
        let mut db = common::sqlite();
        let err = build_annual(
            &mut db.store,
            &dataset::period(),
            &AnnualSettings::default(),
        )
        .unwrap_err();
        assert!(matches!(err, ReportError::Settings(_)));
        assert!(err.to_string().contains("jianping import regions"), "{err}");
        let bad = AnnualSettings {
            city: Some(dataset::code("150302")),
            ..AnnualSettings::default()
        };
        let err = build_annual(&mut db.store, &dataset::period(), &bad).unwrap_err();
        assert!(err.to_string().contains("不是市级"), "{err}");
    }

    #[test]
    fn several_bad_ratings_are_listed_one_by_one() {
        let mut db = common::sqlite();
        dataset::load(&mut db.store);
        dataset::extra_bad_ratings(&mut db.store);
        dataset::ledger_item(
            &mut db.store,
            "ZG-R1",
            "rating",
            dataset::BAD_RATING,
            "closed",
            None,
        );
        let md = annual_markdown(&report(&mut db.store)).unwrap();
        let p = ratings_paragraph(&md);
        assert!(
            p.ends_with(
                "所产生的2条不满意评价、1条非常不满意评价分别为：\
                 海南区人力资源和社会保障局在办理事项时，未向办事群众提供材料样本，造成了“不满意”评价数据；\
                 乌海市公安局在办理“居民身份证换领”事项时，窗口人员服务态度差，造成了“非常不满意”评价数据；\
                 乌海市公安局在办理事项时，产生了“不满意”评价数据（评价人未填写文字评价）。\
                 其中1条已纳入全市月度政务服务“好差评”情况进行通报处理，并相应提出了具体整改要求，\
                 目前已整改完成1条，尚未纳入整改台账2条（未完成整改的涉及乌海市公安局）。\
                 实名差评1条，已回访0条，实名差评回访率为0%；差评整改率为33.33%。"
            ),
            "{p}"
        );
        assert!(
            md.contains("- 1 条差评没有文字评价，报告无法说明差评原因"),
            "{md}"
        );
    }

    #[test]
    fn the_appendix_checks_the_reports_own_tables() {
        let mut db = common::sqlite();
        dataset::load(&mut db.store);
        let mut r = report(&mut db.store);
        assert!(
            jianping_report::figure_checks::annual(&r).is_empty(),
            "the data adds up"
        );
        // A tier whose grades no longer add up and a share printed truncated.
        r.ratings.tiers[1].summary.total += 1;
        r.ratings.tiers[0].share.printed = "78.84%".into();
        let w: Vec<String> = jianping_report::figure_checks::annual(&r)
            .into_iter()
            .map(|w| w.message)
            .collect();
        assert!(w.contains(&"报告表格“好差评”分层级情况 第4行 B列（评价总数）：各分类（非常满意、满意、基本满意、不满意、非常不满意）之和为 9，与合计 10 不符（少1）".to_string()), "{w:?}");
        assert!(
            w.iter().any(|m| m.starts_with(
                "报告表格“好差评”分层级情况 第3行 C列（占比）：印为 78.84%，但 41 ÷ 52"
            )),
            "{w:?}"
        );
        assert!(
            w.iter()
                .any(|m| m
                    .contains("第2行 B列（评价总数）：其余各行之和为 53，与本行 52 不符（多1）")),
            "{w:?}"
        );
    }

    fn exec(db: &mut common::TestDb, sql: &str) {
        db.store.backend().execute(sql, &[]).unwrap();
    }

    #[test]
    fn the_other_branches_of_the_narrative() {
        let mut db = common::sqlite();
        dataset::load(&mut db.store);
        exec(
            &mut db,
            "UPDATE tickets SET mode = 1 WHERE ticket_no = 'T0'",
        );
        exec(
            &mut db,
            "UPDATE tickets SET closed_at = NULL WHERE ticket_no = 'T1'",
        );
        exec(
            &mut db,
            "UPDATE tickets SET revisit_result = 4 WHERE ticket_no = 'T2'",
        );
        exec(
            &mut db,
            "UPDATE qr_reports SET handling = '已约谈当事人' WHERE report_no = 'Q2'",
        );
        exec(
            &mut db,
            "UPDATE assessment_findings SET response = NULL WHERE finding_no = 'A2'",
        );
        exec(
            &mut db,
            "UPDATE supervisors SET appointed_on = '2021-05-01' WHERE code = 'S3'",
        );
        exec(
            &mut db,
            "DELETE FROM reported_stats WHERE key IN ('msb.featured_apps', 'population')",
        );
        exec(&mut db, "UPDATE matter_states SET legal_limit_days = NULL");
        let md = annual_markdown(&report(&mut db.store)).unwrap();
        for want in [
            // T0 answered directly; T1 still open: 4 closed, all on time; T2 unreached: 3 revisits.
            "共收到12345工单5件（转办件4件、直接答复1件），其中求助2件",
            "办理及时率为100%，满意率为100%，回访率为75.00%。",
            "对第一件问题，责任部门主动与投诉人取得联系，经双方沟通后，均已取得投诉人谅解，责任部门完成整改。对第二件问题，已约谈当事人。",
            "一是政策宣传力度不足，群众对新推出的服务知晓度低；二是窗口人员业务能力仍有提升空间。我市针对第三方评估报告中的意见与建议，一是通过线上线下多种形式提升政策知晓度。其余1条意见与建议尚未明确整改措施。",
            "乌海市自2021年起聘任了包括企业家代表、党代表、人大代表在内的3名政务服务监督员",
            "**（三）“蒙速办”移动端建设情况。**蒙速办移动端迁移接入融合平台小程序应用总数161个。“蒙速办”移动端注册人数29.19万人，总访问量为1085万次。",
            "全程网办事项由1项提升至2项，事项情形化比例50.0%",
            "- 缺少人口数（population），无法计算移动端注册人数占地区人口比例",
            "- 4 项事项（去重后）没有法定时限，未计入承诺时限平均压缩率",
        ] {
            assert!(md.contains(want), "missing {want}:\n{md}");
        }
        exec(&mut db, "UPDATE tickets SET closed_at = NULL");
        let md = annual_markdown(&report(&mut db.store)).unwrap();
        assert!(
            md.contains("截至期末尚无办结工单，暂不计算办理及时率、满意率和回访率。"),
            "{md}"
        );
    }
}
