//! `/api/docs`: the browsable API page, offline. Swagger UI (swagger-ui-dist, vendored
//! gzip-compressed under assets/swagger, Apache-2.0) reads `/api/openapi.json`; nothing is
//! fetched from elsewhere and no script is inline.

use crate::auth::ApiStaff;
use crate::error::{ApiError, PageError};
use crate::state::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use std::io::Read;

/// (name, content type, bytes, gzip-compressed).
const FILES: &[(&str, &str, &[u8], bool)] = &[
    (
        "swagger-ui-bundle.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/swagger/swagger-ui-bundle.js.gz"),
        true,
    ),
    (
        "swagger-ui.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/swagger/swagger-ui.css.gz"),
        true,
    ),
    (
        "swagger-init.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/swagger/swagger-init.js"),
        false,
    ),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/docs", get(page))
        .route("/assets/swagger/{name}", get(file))
}

/// `{csrf}` becomes the session's token, for the writes "Try it out" sends.
const PAGE: &str = r#"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>接口文档 · 监评</title>
{csrf}
<link rel="stylesheet" href="/assets/swagger/swagger-ui.css">
</head>
<body>
<noscript>接口文档页需要启用 JavaScript；也可直接下载 <a href="/api/openapi.json">/api/openapi.json</a>（OpenAPI 3）。</noscript>
<div id="swagger-ui"></div>
<script src="/assets/swagger/swagger-ui-bundle.js"></script>
<script src="/assets/swagger/swagger-init.js"></script>
</body>
</html>
"#;

async fn page(staff: Result<ApiStaff, ApiError>) -> Html<String> {
    // The token is URL-safe base64: nothing in it needs escaping in an attribute.
    let meta = match staff {
        Ok(ApiStaff(s))
            if s.csrf
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c)) =>
        {
            format!("<meta name=\"csrf-token\" content=\"{}\">", s.csrf)
        }
        _ => String::new(),
    };
    Html(PAGE.replace("{csrf}", &meta))
}

async fn file(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some((_, kind, bytes, gz)) = FILES.iter().find(|(n, ..)| *n == name) else {
        return PageError::not_found("没有这个文件").into_response();
    };
    let accepts_gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    let mut r = if *gz && !accepts_gzip {
        let mut out = Vec::new();
        if flate2::read::GzDecoder::new(*bytes)
            .read_to_end(&mut out)
            .is_err()
        {
            return PageError::not_found("文件损坏").into_response();
        }
        out.into_response()
    } else {
        bytes.into_response()
    };
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if *gz && accepts_gzip {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    r
}
