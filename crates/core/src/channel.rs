//! Rating channels (评价渠道) after GB/T 39046, plus the system default rating.

crate::named_enum! {
    pub enum Channel ("评价渠道") {
        Pc = 1 => "PC端" | "pc" | "网站" | "网上办事大厅" | "政务服务网" | "web",
        Mobile = 2 => "移动服务端" | "移动端" | "app" | "手机app" | "小程序" | "微信" | "支付宝" | "蒙速办" | "mobile",
        QrCode = 3 => "二维码" | "扫码" | "qr" | "qrcode",
        HallPad = 4 => "政务大厅平板电脑" | "平板" | "平板电脑" | "评价器" | "pad",
        HallTerminal = 5 => "政务大厅其他终端" | "自助终端" | "其他终端" | "terminal",
        Phone = 6 => "电话" | "12345" | "phone",
        Sms = 7 => "短信" | "sms",
        /// Given by the system when the applicant did not rate in time.
        SystemDefault = 8 => "系统默认评价" | "默认评价" | "系统默认" | "default",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_synonyms_parse() {
        for &c in Channel::ALL {
            assert_eq!(Channel::parse(c.name()), Ok(c));
            assert_eq!(Channel::from_code(c.code()), Some(c));
        }
        assert_eq!(Channel::parse("APP"), Ok(Channel::Mobile));
        assert_eq!(Channel::parse("评价器"), Ok(Channel::HallPad));
        assert_eq!(Channel::parse("8"), Ok(Channel::SystemDefault));
        let err = Channel::parse("信鸽").unwrap_err();
        assert!(err.contains("评价渠道") && err.contains("PC端"), "{err}");
    }
}
