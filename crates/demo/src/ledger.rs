//! The demo city's rectification ledger: every problem the imports registered is taken
//! through the loop the seed describes (claimed by the department, called back, rectified,
//! verified and closed by the bureau, fed back to whoever raised it), backdated to 2023.
//! Items not in 待认领 are left alone, so a second run changes nothing.

use crate::world::World;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use jianping_core::Response;
use jianping_core::access::Principal;
use jianping_core::calendar::Calendar;
use jianping_core::ledger::{SourceKind, State};
use jianping_core::time::parse_datetime;
use jianping_store::ledger::LedgerFilter;
use jianping_store::{Store, StoreError};

/// The bureau office that keeps the ledger in the demo city.
pub const BUREAU: &str = "市政务服务局督查科";

/// When the demo registers its ledger items and by when every step is done.
pub fn period_end() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2023, 10, 31)
        .and_then(|d| d.and_hms_opt(17, 0, 0))
        .unwrap_or_default()
}

/// How many items each run took through the loop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerWalk {
    pub closed: usize,
    pub steps: usize,
}

/// Walks every 待认领 item through claim → (callback) → rectify → close → (feedback).
pub fn walk(store: &mut Store, world: &World) -> Result<LedgerWalk, StoreError> {
    let calendar = store.calendar()?;
    let today = period_end().date();
    let filter = LedgerFilter {
        state: Some(State::Unclaimed),
        ..LedgerFilter::default()
    };
    let bureau = Principal::admin(BUREAU);
    let items = store.ledger_items(&bureau, &filter, today)?;
    let mut out = LedgerWalk::default();
    for item in items {
        let raised = parse_datetime(&item.raised_at).map_err(StoreError::Invalid)?;
        let plan = Plan::new(&calendar, raised);
        let dept = item.department.clone().unwrap_or_default();
        let clerk = if dept.is_empty() {
            bureau.clone()
        } else {
            Principal::clerk(&format!("{dept}经办人"), store.department_by_name(&dept)?)
        };
        let source_no = item.source_no.clone().unwrap_or_default();
        let story = story(world, item.source, &source_no);
        store.ledger_claim(&item.item_no, &clerk, plan.at(0))?;
        if let Some(note) = story.contact {
            store.ledger_callback(
                &item.item_no,
                Response::Satisfied,
                Some(note),
                &bureau,
                plan.at(1),
            )?;
            out.steps += 1;
        }
        store.ledger_rectify(&item.item_no, &story.measures, &clerk, plan.at(2))?;
        store.ledger_close(&item.item_no, Some(story.verified), &bureau, plan.at(3))?;
        if let Some(note) = story.feedback {
            store.ledger_callback(
                &item.item_no,
                Response::Satisfied,
                Some(note),
                &bureau,
                plan.at(4),
            )?;
            out.steps += 1;
        }
        out.steps += 3;
        out.closed += 1;
    }
    Ok(out)
}

/// Step times: working days after the problem arose, kept inside the report period and in
/// order even for a problem raised on its last afternoon.
struct Plan {
    times: Vec<NaiveDateTime>,
}

impl Plan {
    fn new(calendar: &Calendar, raised: NaiveDateTime) -> Plan {
        // claim, first contact, rectified, verified and closed, fed back
        let offsets = [(1, 9, 30), (1, 15, 0), (6, 16, 0), (8, 10, 0), (8, 15, 30)];
        let end = period_end().max(raised + Duration::minutes(30));
        let mut times: Vec<NaiveDateTime> = Vec::with_capacity(offsets.len());
        for (i, (days, h, m)) in offsets.into_iter().enumerate() {
            let day = calendar.add_workdays(raised.date(), days);
            let planned = day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default());
            let latest = end - Duration::minutes(5 * (offsets.len() - i) as i64);
            let earliest = times.last().map_or(raised, |t| *t) + Duration::minutes(1);
            times.push(planned.min(latest).max(earliest));
        }
        Plan { times }
    }

    fn at(&self, step: usize) -> NaiveDateTime {
        self.times[step]
    }
}

/// What the department did and what the bureau recorded, per source.
struct Story {
    contact: Option<&'static str>,
    measures: String,
    verified: &'static str,
    feedback: Option<&'static str>,
}

fn story(world: &World, source: SourceKind, source_no: &str) -> Story {
    match source {
        SourceKind::Rating => Story {
            contact: Some("已电话回访评价人，致歉并说明整改安排"),
            measures: "在窗口摆放各类事项申请材料样本和填写示范，开展一次性告知专项培训，并纳入全市月度“好差评”通报".into(),
            verified: "督查科现场核验，材料样本已上架",
            feedback: None,
        },
        SourceKind::Feedback => {
            let content = world
                .feedback
                .iter()
                .find(|f| f.feedback_no == source_no)
                .map(|f| f.content.as_str())
                .unwrap_or_default();
            Story {
                contact: None,
                measures: measures_for(content).into(),
                verified: "督查科核验整改完成",
                feedback: Some("已通过微信联络群向监督员反馈整改情况"),
            }
        }
        SourceKind::QrReport => {
            let handling = world
                .qr_reports
                .iter()
                .find(|q| q.report_no == source_no)
                .and_then(|q| q.handling.clone());
            Story {
                contact: Some("责任部门已主动与投诉人取得联系"),
                measures: handling.unwrap_or_else(|| "对具体办事人员进行调查并完成整改".into()),
                verified: "已取得投诉人谅解，督查科核验销号",
                feedback: None,
            }
        }
        SourceKind::Assessment => {
            let response = world
                .assessments
                .iter()
                .find(|a| a.finding_no == source_no)
                .and_then(|a| a.response.clone());
            Story {
                contact: None,
                measures: response.unwrap_or_else(|| "已制定整改措施并落实".into()),
                verified: "督查科核验整改完成",
                feedback: None,
            }
        }
        SourceKind::Ticket | SourceKind::Manual => Story {
            contact: Some("已联系诉求人并答复"),
            measures: "约谈窗口负责人，完善窗口服务规范并开展服务礼仪培训".into(),
            verified: "督查科核验整改完成",
            feedback: Some("已向诉求人反馈处理结果"),
        },
    }
}

/// The measure a department would take for a supervisor's point, by what it is about.
fn measures_for(content: &str) -> &'static str {
    const BY_KEYWORD: &[(&str, &str)] = &[
        (
            "复印",
            "在大厅自助服务区配置复印打印一体机，并安排导办人员指导使用",
        ),
        (
            "业务能力",
            "组织窗口人员分批开展业务培训和岗位练兵，实行考核上岗",
        ),
        (
            "态度",
            "约谈窗口负责人，开展服务礼仪培训，将服务态度纳入窗口人员月度考核",
        ),
        (
            "工伤",
            "梳理工伤申报材料清单，精简重复材料，推行容缺受理和网上申报",
        ),
        (
            "宣传",
            "通过乌海智慧政务公众号、政务直播间和线下宣传提升政策知晓度",
        ),
        (
            "不一致",
            "统一全市同一事项的申报材料清单和办事指南，市区同标办理",
        ),
        (
            "蒙速办",
            "在各级大厅设置蒙速办帮办专区，引导群众使用移动端办理",
        ),
        ("引导", "优化网上办事指南和引导页面，增加图解和常见问题说明"),
        ("排队", "高峰时段增开窗口并推行预约办理，缩短等候时间"),
        ("请示", "明确窗口首席代表授权，复杂事项实行后台联审限时答复"),
        ("标识", "更新大厅导视标识，设置导办台和功能分区指引"),
        (
            "纸质",
            "推行电子材料共享复用，网上申报事项不再要求现场提交纸质材料",
        ),
    ];
    BY_KEYWORD
        .iter()
        .find(|(k, _)| content.contains(k))
        .map_or("责任部门已制定整改措施并落实到位", |(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_stay_in_order_and_inside_the_period() {
        let cal = Calendar::official();
        for raised in [
            "2023-03-01 10:00:00",
            "2023-10-30 11:00:00",
            "2023-10-31 16:58:00",
        ] {
            let p = Plan::new(&cal, parse_datetime(raised).unwrap());
            let r = parse_datetime(raised).unwrap();
            assert!(p.times[0] > r, "{raised}");
            for w in p.times.windows(2) {
                assert!(w[0] < w[1], "{raised}: {:?}", p.times);
            }
            assert!(*p.times.last().unwrap() <= period_end().max(r + Duration::minutes(30)));
        }
        // Across the 2023 National Day holiday the claim waits for the make-up Saturday.
        let p = Plan::new(&cal, parse_datetime("2023-09-28 10:00:00").unwrap());
        assert_eq!(p.at(0).date().to_string(), "2023-10-07");
    }
}
