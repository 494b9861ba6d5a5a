//! Who is asking. The principal comes from the session cookie — never from the request's
//! own fields — and every ledger read and write is authorised against it by
//! `jianping_core::access::authorize` inside the store.

mod csrf;
pub mod device;
pub mod device_cache;
mod login;

pub use csrf::{CSRF_FIELD, CSRF_HEADER, check_csrf, same_origin};
pub use device::Device;
pub use login::routes;

use crate::error::{ApiError, PageError};
use crate::state::AppState;
use axum::extract::{FromRef, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use jianping_app::accounts::{Authenticated, authenticate};
use jianping_core::access::Principal;
use jianping_store::accounts::UserRow;

/// A logged-in member of staff (bureau, department, supervisor, leader, auditor).
#[derive(Debug, Clone)]
pub struct Staff {
    pub principal: Principal,
    pub csrf: String,
    pub user: UserRow,
    /// The stored hash of the session cookie.
    pub session: String,
}

impl From<Authenticated> for Staff {
    fn from(a: Authenticated) -> Self {
        Staff {
            principal: a.principal,
            csrf: a.csrf,
            user: a.user,
            session: a.session_hash,
        }
    }
}

/// The session behind the request's cookie, if any and still valid.
async fn current(parts: &Parts, state: &AppState) -> Result<Option<Staff>, jianping_app::AppError> {
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(cookie) = jar.get(state.cookie_name()) else {
        return Ok(None);
    };
    let value = cookie.value().to_string();
    let policy = state.login_policy().clone();
    let now = state.now();
    let found = state
        .db(move |store| authenticate(store, &policy, &value, now))
        .await?;
    Ok(found.map(Staff::from))
}

/// A page that needs a login: without one, the browser goes to the login page and comes
/// back afterwards.
impl<S> FromRequestParts<S> for Staff
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        match current(parts, &state).await {
            Ok(Some(s)) => Ok(s),
            Ok(None) => {
                let next = OriginalUri::from_request_parts(parts, &state)
                    .await
                    .map(|u| u.0.to_string())
                    .unwrap_or_else(|_| "/office".into());
                let to = format!("/login?next={}", urlencode(&next));
                Err(Redirect::to(&to).into_response())
            }
            Err(e) => Err(PageError::from(e).into_response()),
        }
    }
}

/// The same for the JSON API: no login is a 401, not a redirect.
#[derive(Debug, Clone)]
pub struct ApiStaff(pub Staff);

impl<S> FromRequestParts<S> for ApiStaff
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        match current(parts, &state).await {
            Ok(Some(s)) => {
                // Writes with a session cookie must carry the session's CSRF token.
                if !parts.method.is_safe() {
                    let sent = parts
                        .headers
                        .get(CSRF_HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    check_csrf(&s, sent).map_err(|_| {
                        ApiError::new(
                            axum::http::StatusCode::FORBIDDEN,
                            "csrf",
                            "缺少或错误的 X-CSRF-Token 请求头",
                        )
                    })?;
                }
                Ok(ApiStaff(s))
            }
            Ok(None) => Err(ApiError::unauthenticated()),
            Err(e) => Err(e.into()),
        }
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char);
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
