//! 12345 hotline vocabulary: what a ticket asks for, where it came from, how it was handled.

crate::named_enum! {
    /// 诉求类型.
    pub enum TicketKind ("诉求类型") {
        Consult = 1 => "咨询" | "consult" | "consultation",
        Help = 2 => "求助" | "help",
        Complaint = 3 => "投诉" | "complaint",
        Report = 4 => "举报" | "report",
        Suggestion = 5 => "建议" | "意见建议" | "suggestion",
        /// 感谢 is the same kind.
        Praise = 6 => "表扬" | "感谢" | "表扬感谢" | "praise",
        Other = 7 => "其他" | "other",
    }
}

crate::named_enum! {
    /// 来源渠道.
    pub enum TicketSource ("来源渠道") {
        Phone = 1 => "电话" | "热线" | "phone",
        Website = 2 => "网站" | "web" | "website",
        WeChat = 3 => "微信" | "wechat",
        Weibo = 4 => "微博" | "weibo",
        App = 5 => "APP" | "app",
        Provincial = 6 => "省平台交办" | "省平台" | "provincial",
        Supervisor = 7 => "监督员上报" | "supervisor",
        Leader = 8 => "领导交办" | "leader",
        DeptTransfer = 9 => "部门转办" | "transfer",
        Visit = 10 => "来访" | "visit",
        Other = 11 => "其他" | "other",
    }
}

crate::named_enum! {
    /// 办理方式.
    pub enum HandlingMode ("办理方式") {
        Direct = 1 => "直接答复" | "direct",
        Transfer = 2 => "转办" | "派单" | "transfer",
    }
}

crate::named_enum! {
    /// 回访结果. 未联系上 is recorded for ledger callbacks; it is not a revisit.
    pub enum Response ("回访结果") {
        Satisfied = 1 => "满意" | "非常满意" | "satisfied",
        Basic = 2 => "基本满意" | "basic",
        Unsatisfied = 3 => "不满意" | "unsatisfied",
        Unreached = 4 => "未联系上" | "未接通" | "unreached",
    }
}

impl Response {
    /// 满意 and 基本满意 count as satisfied in every KPI.
    pub fn is_satisfied(self) -> bool {
        matches!(self, Response::Satisfied | Response::Basic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thanks_is_praise() {
        assert_eq!(TicketKind::parse("感谢"), Ok(TicketKind::Praise));
        assert_eq!(TicketKind::parse("表扬"), Ok(TicketKind::Praise));
        assert_eq!(TicketSource::parse("app"), Ok(TicketSource::App));
        assert_eq!(HandlingMode::parse("转办"), Ok(HandlingMode::Transfer));
        assert!(TicketKind::parse("闲聊").is_err());
    }
}
