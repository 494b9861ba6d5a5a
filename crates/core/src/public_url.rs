//! The address citizens reach the platform at (`[server] public_url`, `--base-url`,
//! `JIANPING_PUBLIC_URL`), from which every printed QR code's URL is made. A printed card
//! cannot be corrected, so the address is checked before anything is printed.

use std::fmt;

/// A checked base URL: `http(s)://host[:port][/path]`, without query, fragment or trailing
/// slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn parse(s: &str) -> Result<PublicUrl, String> {
        let s = s.trim();
        let advice = "应形如 https://zwfw.example.gov.cn 或 https://example.gov.cn/jianping";
        let Some((scheme, rest)) = s.split_once("://") else {
            return Err(format!(
                "公网访问地址「{s}」缺少 http:// 或 https://，{advice}"
            ));
        };
        if !matches!(scheme, "http" | "https") {
            return Err(format!(
                "公网访问地址「{s}」的协议「{scheme}」不可用，应为 http 或 https，{advice}"
            ));
        }
        if s.contains(['?', '#']) || s.chars().any(char::is_whitespace) {
            return Err(format!(
                "公网访问地址「{s}」不能含空格、查询参数（?）或锚点（#），{advice}"
            ));
        }
        let host = rest.split('/').next().unwrap_or_default();
        if host.contains('@') {
            return Err(format!("公网访问地址「{s}」不能含用户名或密码，{advice}"));
        }
        if host.is_empty() || host.starts_with(':') {
            return Err(format!("公网访问地址「{s}」缺少主机名，{advice}"));
        }
        Ok(PublicUrl(s.trim_end_matches('/').to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The citizen page of the window whose QR token is `token`.
    pub fn window_url(&self, token: &str) -> String {
        format!("{}/q/{token}", self.0)
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_with_or_without_path_and_slash_gives_the_window_url() {
        let u = PublicUrl::parse(" https://zwfw.wuhai.gov.cn/ ").unwrap();
        assert_eq!(u.window_url("abc"), "https://zwfw.wuhai.gov.cn/q/abc");
        let u = PublicUrl::parse("http://10.0.0.5:8080/jianping//").unwrap();
        assert_eq!(u.window_url("abc"), "http://10.0.0.5:8080/jianping/q/abc");
    }

    #[test]
    fn addresses_a_printed_card_could_not_use_are_refused() {
        for (bad, says) in [
            ("zwfw.wuhai.gov.cn", "缺少 http://"),
            ("ftp://zwfw.wuhai.gov.cn", "协议「ftp」"),
            ("https://zwfw.wuhai.gov.cn/?a=1", "查询参数"),
            ("https://zwfw wuhai.gov.cn", "空格"),
            ("https:///q", "缺少主机名"),
            ("https://user:pw@host", "用户名或密码"),
        ] {
            let msg = PublicUrl::parse(bad).unwrap_err();
            assert!(msg.contains(says), "{bad}: {msg}");
        }
    }
}
