//! 数据可信度 in the documents: the annual report's appendix and the bulletin's paragraph
//! on the generated city with planted windows, with no rating number, full address or
//! phone number printed.

#[path = "../../store/tests/common.rs"]
mod common;

use jianping_core::Period;
use jianping_demo::planted::{PlantedCity, PlantedConfig};
use jianping_report::bulletin::render::bulletin_markdown;
use jianping_report::render::annual_markdown;
use jianping_report::{AnnualSettings, BulletinSettings, build_annual, build_bulletin};

#[test]
fn the_appendix_and_the_paragraph_list_the_flags() {
    let mut db = common::sqlite();
    let city = PlantedCity::generate(&PlantedConfig::default());
    city.write(&mut db.store).unwrap();

    let year = Period::new("2023-01-01".parse().unwrap(), "2023-07-31".parse().unwrap()).unwrap();
    let annual = build_annual(&mut db.store, &year, &AnnualSettings::default()).unwrap();
    let c = &annual.credibility;
    // No login exists in this store: the ten other plantings are flagged.
    assert_eq!(c.total, 10, "{:#?}", c.flags);
    let md = annual_markdown(&annual).unwrap();
    let appendix = &md[md.find("数据可信度（异常评价筛查）").expect("the appendix")..];
    assert!(appendix.contains("发现异常线索10条"), "{appendix}");
    assert!(
        appendix.contains("短时集中评价3条") && appendix.contains("工作人员自评2条"),
        "{appendix}"
    );
    assert!(
        c.flags.iter().any(|f| f.subject == "IP地址 61.135.*.*"),
        "{:#?}",
        c.flags
    );
    assert!(
        !appendix.contains("61.135.1.7"),
        "a full address in the report"
    );
    let audit = db
        .store
        .rating_audit(&year, &jianping_core::audit::AuditRules::default())
        .unwrap();
    for no in audit.flags.iter().flat_map(|f| &f.examples) {
        assert!(
            !appendix.contains(no.as_str()),
            "rating number {no} in the report"
        );
    }
    for p in city
        .planted
        .iter()
        .filter(|p| !p.subject.as_deref().unwrap_or("").starts_with("平台账号"))
    {
        assert!(
            appendix.contains(&p.window),
            "{} missing:\n{appendix}",
            p.window
        );
    }
    let longest_digits = appendix
        .split(|ch: char| !ch.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(
        longest_digits < 11,
        "a phone number in the report:\n{appendix}"
    );

    let april = Period::month(2023, 4).unwrap();
    let bulletin = build_bulletin(&mut db.store, &april, &BulletinSettings::default()).unwrap();
    let md = bulletin_markdown(&bulletin).unwrap();
    let para = md
        .lines()
        .find(|l| l.contains("数据可信度"))
        .expect("the bulletin's paragraph");
    assert!(para.contains("短时集中评价3条"), "{para}");
    assert!(para.contains("试验市第1局1号窗口"), "{para}");
    assert!(para.contains("不改变评价数据"), "{para}");
}
