//! The founding test: `jianping demo` → `jianping report annual` prints every figure of
//! the seed report (/shared/seed/FIGURES.md, with its two documented corrections), computed
//! from raw records, and prints the same report from SQLite and from PostgreSQL.

use serde_json::Value as Json;
use std::path::Path;
use std::process::Command;

fn jianping(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_jianping"))
        .args(args)
        .output()
        .expect("run jianping");
    assert!(
        out.status.success(),
        "jianping {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn report(db: &[&str], format: &str) -> String {
    let mut args = vec!["report", "annual"];
    args.extend_from_slice(db);
    args.extend_from_slice(&[
        "--from",
        "2023-01-01",
        "--to",
        "2023-10-31",
        "--format",
        format,
    ]);
    jianping(&args)
}

/// Every figure of FIGURES.md, as the report prints it, with the text around it where a
/// bare number could match by accident.
const FIGURES: &[&str] = &[
    // 二、政务服务基本情况
    "综合受理窗口69个",
    "工作人员283人",
    "39个部门1168个政务服务事项",
    "25.6万件",
    "办结率99.3%",
    "42个系统部门",
    "2679项",
    "由1831项提升至2444项",
    "由75.5%提升至85.2%",
    "事项情形化比例68.9%",
    "即办事项比例75.9%",
    "电子证照关联比例66.5%",
    "免证办事项比例58.5%",
    "特色应用总数共有395个",
    "小程序应用总数161个",
    "注册人数29.19万人",
    "占比地区人口52.5%",
    "总访问量为1085万次",
    "预约延时服务场所107个",
    "梳理事项5105项",
    "98%以上",
    "开设窗口182个",
    "7000余件",
    "海勃湾区1557项",
    "延时服务窗口85个",
    "延时服务1799件",
    "市本级共配置免证办事项734项",
    "1040项",
    "1101项",
    "1006项",
    // 三、12345
    "转办件31件",
    "建议12件",
    "求助15件",
    "咨询2件",
    "投诉1件",
    "表扬1件",
    "48.39%",
    "38.71%",
    "6.45%",
    "投诉件占总案件量3.23%",
    "表扬件占总案件量3.23%",
    "办理及时率、满意率、回访率均达100%",
    // 四、好差评 (区级 非常满意 156805 and 全市 非常满意率 99.70%: the documented corrections)
    "全市共产生“好差评”数据236816条",
    "非常满意236116条，满意586条，基本满意113条，不满意1条",
    "非常满意率为99.70%，满意率为99.99%",
    "市本级共产生“好差评”数据65138条，占评价总数的27.51%",
    "非常满意65061条，满意60条，基本满意17条",
    "非常满意率为99.88%，满意率为100%",
    "区级共产生“好差评”数据157239条，占评价总数的66.40%",
    "非常满意156805条，满意369条，基本满意64条，不满意1条",
    "非常满意率为99.72%，满意率为99.99%",
    "镇(街道)和村(社区)级共产生“好差评”数据14439条，占评价总数的6.10%",
    "非常满意14250条，满意157条，基本满意32条",
    "非常满意率为98.69%，满意率为100%",
    "1条不满意评价为海南区人力资源和社会保障局",
    "未向办事群众提供申请材料样本",
    "目前差评问题已整改完成",
    // 五、监督员
    "2022年聘任",
    "党代表、人大代表、政协代表、企业家代表、个体工商户代表",
    "30名政务服务监督员",
    "意见建议12条",
    "海勃湾区政务服务大厅缺少复印打印机",
    "退休办理窗口人员服务态度较差",
    "工伤申报流程长材料多",
    "蒙速办APP利用率低",
    "目前已全部完成整改",
    "反馈给各监督员",
    // 六、"码"上监督
    "共收到并办结“码”上监督反映问题15件",
    "反映政务服务方面问题2件",
    "住房公积金中心乌达分中心",
    "港澳台签注",
    "取得投诉人谅解",
    // 七、第三方评估
    "实地暗访",
    "电话调研",
    "“申请人”和“旁观者”",
    "政策宣传力度不足",
];

fn pointer<'a>(json: &'a Json, path: &str) -> &'a Json {
    json.pointer(path)
        .unwrap_or_else(|| panic!("{path} missing from the report model"))
}

/// Finds the first object anywhere in `json` whose `printed` equals `printed`.
fn find_rate<'a>(json: &'a Json, printed: &str) -> Option<&'a Json> {
    match json {
        Json::Object(m) => {
            if m.get("printed").and_then(Json::as_str) == Some(printed)
                && m.contains_key("numerator")
            {
                return Some(json);
            }
            m.values().find_map(|v| find_rate(v, printed))
        }
        Json::Array(a) => a.iter().find_map(|v| find_rate(v, printed)),
        _ => None,
    }
}

fn check_markdown(md: &str) {
    let missing: Vec<&&str> = FIGURES.iter().filter(|f| !md.contains(**f)).collect();
    assert!(missing.is_empty(), "figures missing: {missing:?}\n\n{md}");
    assert!(
        md.contains("未发现数据质量问题"),
        "the demo city is consistent:\n{md}"
    );
    let longest_digit_run = md
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(
        longest_digit_run < 11,
        "no phone number may leak into the report"
    );
}

fn check_json(json: &str) {
    let model: Json = serde_json::from_str(json).expect("the JSON report parses");
    // Each printed rate carries its exact counts.
    let r = pointer(&model, "/ratings/overall/very_satisfied_rate");
    assert_eq!(r["printed"], "99.70%", "全市非常满意率 in the model");
    assert_eq!(r["numerator"], 236116);
    assert_eq!(r["denominator"], 236816);
    let r = find_rate(&model, "48.39%").expect("求助 share in the model");
    assert_eq!(
        (r["numerator"].as_u64(), r["denominator"].as_u64()),
        (Some(15), Some(31))
    );
    assert_eq!(
        pointer(&model, "/title"),
        "乌海市2023年政务服务监督评价报告"
    );
}

fn demo_sqlite(dir: &Path) -> String {
    let db = dir.join("demo.db");
    let db = db.to_str().expect("utf-8 path").to_string();
    jianping(&["demo", "--db", &db]);
    db
}

#[test]
fn demo_report_prints_every_seed_figure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_sqlite(dir.path());
    let md = report(&["--db", &db], "md");
    check_markdown(&md);
    check_json(&report(&["--db", &db], "json"));
}

#[test]
fn demo_report_is_identical_on_postgresql() {
    let base = std::env::var("JIANPING_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
    let schema = format!("golden_{}", std::process::id());
    let mut admin = postgres::Client::connect(&base, postgres::NoTls)
        .unwrap_or_else(|e| panic!("PostgreSQL is required ({base}): {e}"));
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .expect("create schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
    jianping(&["demo", "--database-url", &url]);
    let pg = report(&["--database-url", &url], "md");
    let pg_json = report(&["--database-url", &url], "json");
    admin
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .expect("drop schema");

    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_sqlite(dir.path());
    assert_eq!(
        pg,
        report(&["--db", &db], "md"),
        "SQLite and PostgreSQL reports differ"
    );
    assert_eq!(pg_json, report(&["--db", &db], "json"));
    check_markdown(&pg);
}
