//! Citizen pages (phone-first, no login): `/q/{window-token}` to rate a window or report a
//! problem (码上监督), and `/r/{receipt}` to follow a report. Nothing a page sends chooses a
//! window or a department: the token resolves to stored rows. See `docs/web.md`.

mod rate;
mod report;

use crate::error::PageError;
use crate::limits::{RateLimiter, client_ip, too_many};
use crate::pages;
use crate::state::{AppState, ClientAddr};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use jianping_app::config::LimitsConfig;
use jianping_store::codes::WindowRef;
use minijinja::context;
use minijinja::value::Serde;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Largest complaint form (a photo of up to [`report::MAX_PHOTO`] and the text).
const REPORT_BODY_LIMIT: usize = 6 << 20;

/// The limits of the public pages, one set per router.
pub struct Guards {
    /// Page views per client address.
    pages: RateLimiter,
    /// Submissions per client address.
    writes: RateLimiter,
    /// Submissions per window token (one window cannot take ratings faster than people).
    windows: RateLimiter,
}

impl Guards {
    /// From `[limits]` of jianping.toml, the defaults below where it is silent.
    pub fn new(c: &LimitsConfig) -> Guards {
        Guards {
            pages: RateLimiter::per_sec(
                c.page_burst.unwrap_or(PAGE_BURST),
                c.page_per_sec.unwrap_or(PAGE_PER_SEC),
            ),
            writes: RateLimiter::per_sec(
                c.write_burst.unwrap_or(WRITE_BURST),
                c.write_per_sec.unwrap_or(WRITE_PER_SEC),
            ),
            windows: RateLimiter::per_sec(
                c.window_burst.unwrap_or(WINDOW_BURST),
                c.window_per_sec.unwrap_or(WINDOW_PER_SEC),
            ),
        }
    }
}

impl Default for Guards {
    fn default() -> Self {
        Guards::new(&LimitsConfig::default())
    }
}

/// Defaults (documented in docs/web.md): 60 views at once then 1/s per address; 20
/// submissions then one per 3 s per address; 30 then one per 10 s per window.
pub const PAGE_BURST: u32 = 60;
pub const PAGE_PER_SEC: f64 = 1.0;
pub const WRITE_BURST: u32 = 20;
pub const WRITE_PER_SEC: f64 = 1.0 / 3.0;
pub const WINDOW_BURST: u32 = 30;
pub const WINDOW_PER_SEC: f64 = 0.1;

static HONEYPOT_HITS: AtomicU64 = AtomicU64::new(0);

/// Complaint forms whose hidden honeypot field was filled (bots), since the process started.
pub fn honeypot_hits() -> u64 {
    HONEYPOT_HITS.load(Ordering::Relaxed)
}

fn count_honeypot() {
    HONEYPOT_HITS.fetch_add(1, Ordering::Relaxed);
}

/// Who is asking, for limits and the rating's `address`.
pub(crate) struct Client {
    pub ip: Option<String>,
}

impl Client {
    fn new(addr: &ClientAddr, headers: &HeaderMap) -> Client {
        Client {
            ip: client_ip(addr.0, headers).map(|ip| ip.to_string()),
        }
    }

    fn key(&self) -> &str {
        self.ip.as_deref().unwrap_or("unknown")
    }
}

/// A refusal by a limit: how long until the next request would be let through.
pub(crate) struct Limited(Duration);

impl IntoResponse for Limited {
    fn into_response(self) -> Response {
        too_many(self.0)
    }
}

impl Guards {
    /// A page view; `Err` is the 429 answer.
    pub(crate) fn view(&self, c: &Client) -> Result<(), Limited> {
        self.pages.check(c.key()).map_err(Limited)
    }

    /// A submission, against the address and (on a window's page) the window token.
    pub(crate) fn write(&self, c: &Client, token: Option<&str>) -> Result<(), Limited> {
        self.writes.check(c.key()).map_err(Limited)?;
        if let Some(t) = token {
            self.windows.check(t).map_err(Limited)?;
        }
        Ok(())
    }
}

pub fn routes(limits: &LimitsConfig) -> Router<AppState> {
    Router::new()
        .route("/q/{token}", get(window_page))
        .route("/q/{token}/rate", get(rate::form).post(rate::submit))
        .route(
            "/q/{token}/report",
            get(report::form)
                .post(report::submit)
                .layer(DefaultBodyLimit::max(REPORT_BODY_LIMIT)),
        )
        .route("/r/{receipt}", get(report::receipt).post(report::add))
        .layer(Extension(Arc::new(Guards::new(limits))))
}

/// The window behind a token, or the friendly 404.
pub(crate) async fn window(state: &AppState, token: &str) -> Result<WindowRef, Response> {
    let t = token.to_string();
    match state.db(move |s| Ok(s.resolve_window_token(&t)?)).await {
        Ok(Some(w)) => Ok(w),
        Ok(None) => Err(PageError::not_found(
            "这个二维码无效或已停用。请扫描窗口现在张贴的二维码，或向大厅工作人员咨询。",
        )
        .into_response()),
        Err(e) => Err(PageError::from(e).into_response()),
    }
}

pub(crate) fn page(name: &str, ctx: minijinja::Value) -> Response {
    match pages::render(name, None, ctx) {
        Ok(h) => h.into_response(),
        Err(e) => e.into_response(),
    }
}

/// A page answered with `status` (e.g. 422 for a form with errors); a template failure
/// keeps its own 500.
pub(crate) fn page_with_status(name: &str, ctx: minijinja::Value, status: StatusCode) -> Response {
    let mut r = page(name, ctx);
    if r.status() == StatusCode::OK {
        *r.status_mut() = status;
    }
    r
}

async fn window_page(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let client = Client::new(&addr, &headers);
    if let Err(r) = guards.view(&client) {
        return r.into_response();
    }
    match window(&state, &token).await {
        Ok(w) => page(
            "citizen/window.html",
            context! { token, window => Serde(&w) },
        ),
        Err(r) => r,
    }
}
