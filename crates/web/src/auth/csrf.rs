//! CSRF protection: every form of the back office carries the session's token in a hidden
//! `_csrf` field (API writes in an `X-CSRF-Token` header), compared in constant time; and
//! a write whose `Origin` names another site is refused before any handler runs.

use super::Staff;
use crate::error::PageError;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

pub fn check_csrf(staff: &Staff, sent: &str) -> Result<(), PageError> {
    let a = staff.csrf.as_bytes();
    let b = sent.as_bytes();
    let same = a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
    if same && !a.is_empty() {
        Ok(())
    } else {
        Err(PageError::new(
            StatusCode::FORBIDDEN,
            "页面已过期或来源不明（CSRF 校验失败），请刷新页面后重新提交",
        ))
    }
}

/// Refuses unsafe requests whose `Origin` (or, lacking it, `Sec-Fetch-Site`) shows they
/// come from another site. Requests without either (pads, scripts, old browsers) pass:
/// the token check still guards every form.
pub async fn same_origin(req: Request, next: Next) -> Response {
    if !req.method().is_safe() {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let origin = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .map(str::to_string);
        let cross = match origin.as_deref() {
            Some("null") => true,
            Some(o) => o.split_once("://").map(|(_, h)| h) != Some(host.as_str()),
            None => req
                .headers()
                .get("sec-fetch-site")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v == "cross-site"),
        };
        if cross {
            return PageError::new(StatusCode::FORBIDDEN, "拒绝来自其他网站的提交").into_response();
        }
    }
    next.run(req).await
}
