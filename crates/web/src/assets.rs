//! Static files, embedded. Their names carry no version, so browsers revalidate (ETag).

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// (name, content type, bytes).
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("assets/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/app.js"),
    ),
    (
        "pad.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/pad.js"),
    ),
    (
        "imports.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/imports.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("assets/favicon.svg"),
    ),
];

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/assets/{name}", get(asset)).route(
        "/favicon.ico",
        get(|| async { asset_named("favicon.svg", &HeaderMap::new()) }),
    )
}

async fn asset(Path(name): Path<String>, headers: HeaderMap) -> Response {
    asset_named(&name, &headers)
}

fn asset_named(name: &str, headers: &HeaderMap) -> Response {
    let Some((_, kind, bytes)) = ASSETS.iter().find(|(n, _, _)| *n == name) else {
        return crate::error::PageError::not_found("没有这个文件").into_response();
    };
    let etag = format!("\"{:x}\"", fnv(bytes));
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, (*kind).to_string()),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, "no-cache".to_string()),
        ],
        *bytes,
    )
        .into_response()
}

/// FNV-1a: a cheap, stable fingerprint for the ETag (not a security property).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}
