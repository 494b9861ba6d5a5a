//! The catalog (regions, departments, halls, windows, staff, matters) and cases (办件).

use super::common::*;
use crate::header::{Col, opt, req};
use crate::row::RowCtx;
use jianping_core::records::*;

pub(crate) const REGION_COLUMNS: &[Col] = &[
    req(
        "区划代码",
        &["行政区划代码", "行政区划", "区划编码", "code"],
        REGION_FMT,
    ),
    req(
        "区划名称",
        &["行政区划名称", "名称", "name"],
        "文本，如 海南区",
    ),
];

pub(crate) fn region(c: &mut RowCtx<'_>) -> Option<RegionRecord> {
    let code = c.req_region(0);
    let name = c.req_text(1);
    Some(RegionRecord {
        code: code?,
        name: name?,
    })
}

pub(crate) const DEPARTMENT_COLUMNS: &[Col] = &[
    req(
        "部门名称",
        &["部门", "单位名称", "name", "department"],
        "部门全称（唯一）",
    ),
    opt(
        "部门编码",
        &["机构编码", "组织机构代码", "统一社会信用代码", "code"],
        "文本",
    ),
    opt("行政区划", REGION, REGION_FMT),
    opt(
        "所属系统",
        &["系统", "条线", "行业系统", "sector"],
        "文本，如 人力资源和社会保障（市区两级同一系统的部门填同一名称）",
    ),
    opt("简称", &["部门简称", "short_name"], "文本"),
];

pub(crate) fn department(c: &mut RowCtx<'_>) -> Option<DepartmentRecord> {
    let name = c.req_text(0);
    let code = c.code(1);
    let region = c.region(2);
    let sector = c.text(3);
    let short_name = c.text(4);
    Some(DepartmentRecord {
        name: name?,
        code,
        region,
        sector,
        short_name,
    })
}

pub(crate) const HALL_COLUMNS: &[Col] = &[
    req(
        "大厅名称",
        &["名称", "大厅", "场所名称", "name", "hall"],
        "文本（唯一）",
    ),
    opt("大厅编码", &["编码", "code"], "文本"),
    req("行政区划", REGION, REGION_FMT),
    opt(
        "大厅类型",
        &["类型", "层级", "kind"],
        "政务服务中心/政务服务分中心/便民服务中心/便民服务站 …",
    ),
    opt(
        "延时服务",
        &["预约延时服务", "提供延时服务", "extended_hours"],
        BOOL_FMT,
    ),
];

pub(crate) fn hall(c: &mut RowCtx<'_>) -> Option<HallRecord> {
    let name = c.req_text(0);
    let code = c.code(1);
    let region = c.req_region(2);
    let kind = c.text(3);
    let extended_hours = c.flag(4, false);
    Some(HallRecord {
        code,
        name: name?,
        region: region?,
        kind,
        extended_hours,
    })
}

pub(crate) const WINDOW_COLUMNS: &[Col] = &[
    req(
        "窗口名称",
        &["窗口", "窗口号", "name", "window"],
        "文本（同一区划内唯一）",
    ),
    opt("窗口编码", &["编码", "code"], "文本"),
    opt("所属大厅", &["大厅", "大厅名称", "hall"], "大厅名称"),
    req("行政区划", REGION, REGION_FMT),
    opt("部门", DEPARTMENT, "部门全称"),
    opt(
        "窗口类型",
        &["类型", "kind"],
        "综合受理/专业/帮办代办/“办不成事”反映 …",
    ),
    opt(
        "延时服务",
        &["延时服务窗口", "提供延时服务", "extended_hours"],
        BOOL_FMT,
    ),
];

pub(crate) fn window(c: &mut RowCtx<'_>) -> Option<WindowRecord> {
    let name = c.req_text(0);
    let code = c.code(1);
    let hall = c.text(2);
    let region = c.req_region(3);
    let department = c.text(4);
    let kind = c.text(5);
    let extended_hours = c.flag(6, false);
    Some(WindowRecord {
        code,
        name: name?,
        hall,
        region: region?,
        department,
        kind,
        extended_hours,
    })
}

pub(crate) const STAFF_COLUMNS: &[Col] = &[
    req("姓名", &["工作人员", "人员姓名", "name"], "姓名"),
    opt("工号", &["人员编号", "人员编码", "code"], "文本"),
    req("部门", DEPARTMENT, "部门全称（同一部门内姓名唯一）"),
    opt("所属大厅", HALL, "大厅名称"),
    opt("窗口", WINDOW, "窗口名称"),
    opt("行政区划", REGION, REGION_FMT),
    opt(
        "在岗",
        &["是否在岗", "在岗状态", "状态", "active"],
        "是/否（也可写 在岗/离岗）；空为是",
    ),
    opt(
        "联系电话",
        PHONE,
        "手机号（与评价人电话相同的评价列为自评）",
    ),
    opt(
        "评价系统账号",
        &["账号", "用户账号", "account"],
        "文本（本人在评价系统中的账号）",
    ),
];

pub(crate) fn staff(c: &mut RowCtx<'_>) -> Option<StaffRecord> {
    let name = c.req_text(0);
    let code = c.code(1);
    let department = c.req_text(2);
    let hall = c.text(3);
    let window = c.text(4);
    let region = c.region(5);
    let active = c.flag(6, true);
    let phone = c.code(7);
    let account = c.code(8);
    if window.is_some() && region.is_none() && c.has(4) {
        c.fail(
            5,
            "填写了窗口时须同时填写行政区划（窗口按区划内的名称识别）",
        );
    }
    Some(StaffRecord {
        code,
        name: name?,
        department: Some(department?),
        hall,
        window,
        region,
        active,
        phone,
        account,
    })
}

pub(crate) const MATTER_COLUMNS: &[Col] = &[
    req(
        "实施编码",
        &[
            "事项编码",
            "实施清单编码",
            "事项实施编码",
            "code",
            "matter_code",
        ],
        "文本（唯一）",
    ),
    opt(
        "基本编码",
        &["基本目录编码", "事项基本编码", "base_code"],
        "文本；空时同实施编码（区级事项按基本编码去重统计）",
    ),
    req("事项名称", &["name", "matter_name"], "文本"),
    req(
        "部门",
        &["实施主体", "实施部门", "部门名称", "department"],
        "部门全称",
    ),
    req("行政区划", REGION, REGION_FMT),
    opt(
        "进驻大厅",
        &["所属大厅", "受理大厅", "大厅", "hall"],
        "大厅名称",
    ),
    opt(
        "生效日期",
        &["统计日期", "截至日期", "as_of"],
        "日期；空时用 --as-of（两者都没有则该行报错）",
    ),
    opt(
        "法定时限",
        &["法定办结时限", "legal_limit", "legal_limit_days"],
        "天数，如 20、20个工作日",
    ),
    opt(
        "承诺时限",
        &["承诺办结时限", "promised_limit", "promised_limit_days"],
        "天数，如 5、即办（0）",
    ),
    opt("全程网办", &["是否全程网办", "online_full"], BOOL_FMT),
    opt("即办件", &["是否即办件", "即办", "instant"], BOOL_FMT),
    opt("情形化", &["是否情形化", "scenario"], BOOL_FMT),
    opt("电子证照关联", &["关联电子证照", "e_license"], BOOL_FMT),
    opt("免证办", &["是否免证办", "cert_free"], BOOL_FMT),
    opt(
        "延时服务",
        &["可延时服务", "是否延时服务", "extended_hours"],
        BOOL_FMT,
    ),
];

pub(crate) fn matter(c: &mut RowCtx<'_>) -> Option<MatterRecord> {
    let code = c.req_code(0);
    let base_code = c.code(1);
    let name = c.req_text(2);
    let department = c.req_text(3);
    let region = c.req_region(4);
    let hall = c.text(5);
    let errors_before = c.errors.len();
    let as_of = c.date(6).or(c.opts.as_of);
    if as_of.is_none() && c.errors.len() == errors_before {
        c.fail(
            6,
            "缺少生效日期：请填写该列，或在命令中用 --as-of 2023-10-31 指定",
        );
    }
    let legal_limit_days = c.days(7);
    let promised_limit_days = c.days(8);
    if let (Some(l), Some(p)) = (legal_limit_days, promised_limit_days)
        && p > l
        && l > 0
    {
        c.fail(8, format!("承诺时限 {p} 天长于法定时限 {l} 天"));
    }
    let flags = [9, 10, 11, 12, 13, 14].map(|i| c.flag(i, false));
    let [
        online_full,
        instant,
        scenario,
        e_license,
        cert_free,
        extended_hours,
    ] = flags;
    Some(MatterRecord {
        code: code?,
        base_code,
        name: name?,
        department: department?,
        region: region?,
        hall,
        as_of: as_of?,
        legal_limit_days,
        promised_limit_days,
        online_full,
        instant,
        scenario,
        e_license,
        cert_free,
        extended_hours,
    })
}

pub(crate) const CASE_COLUMNS: &[Col] = &[
    req(
        "办件编号",
        &[
            "办件编码",
            "办件号",
            "办件流水号",
            "申办流水号",
            "受理编号",
            "case_no",
        ],
        "文本（唯一）",
    ),
    opt("事项编码", &["实施编码", "matter_code"], "文本"),
    opt("事项名称", &["matter_name"], "文本"),
    req("部门", DEPARTMENT, "部门全称"),
    req("行政区划", REGION, REGION_FMT),
    opt("窗口", WINDOW, "窗口名称或编码"),
    req(
        "受理时间",
        &["收件时间", "申请时间", "accepted_at"],
        TIME_FMT,
    ),
    opt("办结时间", &["完成时间", "completed_at"], TIME_FMT),
    opt(
        "帮办代办",
        &["是否帮办代办", "帮代办", "assisted"],
        BOOL_FMT,
    ),
    opt(
        "延时服务",
        &["延时办理", "是否延时服务", "extended"],
        BOOL_FMT,
    ),
    opt(
        "一件事",
        &["一件事名称", "一件事一次办", "package"],
        "“一件事”套餐名称，如 企业开办",
    ),
];

pub(crate) fn case(c: &mut RowCtx<'_>) -> Option<CaseRecord> {
    let case_no = c.req_code(0);
    let matter_code = c.code(1);
    let matter_name = c.text(2);
    let department = c.req_text(3);
    let region = c.req_region(4);
    let window = c.code(5);
    let accepted_at = c.req_datetime(6);
    let completed_at = c.datetime(7);
    if let (Some(a), Some(d)) = (accepted_at, completed_at)
        && d < a
    {
        c.fail(7, "办结时间早于受理时间");
    }
    let assisted = c.flag(8, false);
    let extended = c.flag(9, false);
    let package = c.text(10);
    Some(CaseRecord {
        case_no: case_no?,
        matter_code,
        matter_name,
        department: department?,
        region: region?,
        window,
        accepted_at: accepted_at?,
        completed_at,
        assisted,
        extended,
        package,
    })
}
