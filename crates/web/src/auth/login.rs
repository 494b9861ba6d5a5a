//! `/login` and `/logout`.

use super::{Staff, check_csrf};
use crate::error::{PageError, PageResult};
use crate::pages::render;
use crate::state::{AppState, ClientAddr};
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use jianping_app::ErrorKind;
use jianping_app::accounts::login;
use minijinja::context;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Only local paths: a login must not send the browser to another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/office".to_string(),
    }
}

async fn login_page(Query(q): Query<Next>) -> PageResult<Html<String>> {
    render(
        "login.html",
        None,
        context! { next => safe_next(q.next.as_deref()), username => "", error => None::<String> },
    )
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login_submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    let policy = state.login_policy().clone();
    let now = state.now();
    let (username, password) = (f.username.clone(), f.password);
    let address = addr.map(|a| a.ip().to_string());
    let result = state
        .db(move |store| {
            login(
                store,
                &policy,
                &username,
                &password,
                now,
                address.as_deref(),
            )
        })
        .await;
    let next = safe_next(f.next.as_deref());
    match result {
        Ok(l) => {
            let cookie = Cookie::build((state.cookie_name().to_string(), l.cookie))
                .path("/")
                .http_only(true)
                .secure(state.secure_cookies())
                .same_site(SameSite::Lax)
                .build();
            Ok((jar.add(cookie), Redirect::to(&next)).into_response())
        }
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            let page = render(
                "login.html",
                None,
                context! { next, username => f.username, error => e.to_string() },
            )?;
            Ok((axum::http::StatusCode::UNAUTHORIZED, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct LogoutForm {
    #[serde(rename = "_csrf")]
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    staff: Staff,
    jar: CookieJar,
    Form(f): Form<LogoutForm>,
) -> Result<Response, PageError> {
    check_csrf(&staff, &f.csrf)?;
    let hash = staff.session.clone();
    state.db(move |s| Ok(s.delete_session(&hash)?)).await?;
    state.audit(&staff, "logout", None, None).await;
    let gone = Cookie::build((state.cookie_name().to_string(), ""))
        .path("/")
        .build();
    Ok((jar.remove(gone), Redirect::to("/login")).into_response())
}
