//! Router tests: each test gets a fresh database — a SQLite file or its own PostgreSQL
//! schema — and drives the whole router with `oneshot`, cookies and CSRF tokens included.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jianping_app::accounts::{UserRequest, create_user};
use jianping_core::access::UserRole;
use jianping_store::{Store, Target};
use jianping_web::{AppState, ServerSettings};
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

pub const PASSWORD: &str = "Jianping-2026";

pub struct TestApp {
    pub router: Router,
    state: Option<AppState>,
    pub target: Target,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<String>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The synchronous PostgreSQL client must not be used or dropped on a runtime
        // thread: the pool and the schema go on a blocking section.
        let schema = self.pg_schema.take();
        let router = std::mem::replace(&mut self.router, Router::new());
        let state = self.state.take();
        tokio::task::block_in_place(move || {
            drop(router);
            drop(state);
            if let Some(schema) = schema
                && let Ok(mut c) = postgres::Client::connect(&pg_url(), postgres::NoTls)
            {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        });
    }
}

pub fn pg_url() -> String {
    std::env::var("JIANPING_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh app; `seed` runs on the store first (import fixtures, create users).
pub async fn spawn_app(
    backend: Backend,
    seed: impl FnOnce(&mut Store) + Send + 'static,
) -> TestApp {
    spawn_app_with(backend, jianping_app::Config::default(), seed).await
}

/// [`spawn_app`] with a configuration of the test's own (e.g. low `[limits]`).
pub async fn spawn_app_with(
    backend: Backend,
    config: jianping_app::Config,
    seed: impl FnOnce(&mut Store) + Send + 'static,
) -> TestApp {
    tokio::task::spawn_blocking(move || spawn_app_blocking(backend, config, seed))
        .await
        .expect("the app starts")
}

fn spawn_app_blocking(
    backend: Backend,
    config: jianping_app::Config,
    seed: impl FnOnce(&mut Store),
) -> TestApp {
    let (target, dir, schema) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let t = Target::Sqlite(dir.path().join("web.db"));
            (t, Some(dir), None)
        }
        Backend::Postgres => {
            let schema = format!(
                "w_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst)
            );
            let t = Target::Postgres {
                url: pg_url(),
                schema: Some(schema.clone()),
            };
            (t, None, Some(schema))
        }
    };
    let mut store = Store::open(&target).expect("open the test database");
    seed(&mut store);
    drop(store);
    let state = AppState::open(&target, config, ServerSettings::new("http://jianping.test"))
        .expect("start the app");
    TestApp {
        router: jianping_web::router(state.clone()),
        state: Some(state),
        target,
        _dir: dir,
        pg_schema: schema,
    }
}

/// Creates a user with the test password.
pub fn user(store: &mut Store, username: &str, role: UserRole, department: Option<i64>) -> i64 {
    let now = chrono::Local::now().naive_local();
    create_user(
        store,
        &UserRequest {
            username: username.into(),
            display_name: format!("{username}姓名"),
            role,
            department_id: department,
            supervisor_id: None,
            password: PASSWORD.into(),
        },
        now,
    )
    .expect("create the test user")
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn location(&self) -> Option<String> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// A logged-in browser: its cookie and the session's CSRF token.
#[derive(Clone, Debug, Default)]
pub struct Session {
    pub cookie: Option<String>,
    pub csrf: String,
}

impl TestApp {
    pub fn state(&self) -> &AppState {
        self.state.as_ref().expect("the app is running")
    }

    pub async fn send(&self, req: Request<Body>) -> Answer {
        let r = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = r.status();
        let headers = r.headers().clone();
        let body = r
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, s: &Session) -> Answer {
        let mut b = Request::get(path);
        if let Some(c) = &s.cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// A form post; `_csrf` is added from the session.
    pub async fn post_form(&self, path: &str, s: &Session, fields: &[(&str, &str)]) -> Answer {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("_csrf", s.csrf.as_str()));
        let body = form_encode(&all);
        let mut b =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = &s.cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    /// A JSON request; with a session, the CSRF header is added.
    pub async fn json(
        &self,
        method: &str,
        path: &str,
        s: &Session,
        body: &serde_json::Value,
    ) -> Answer {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = &s.cookie {
            b = b.header(header::COOKIE, c).header("x-csrf-token", &s.csrf);
        }
        self.send(b.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// Logs in through the real form and reads the CSRF token from the next page.
    pub async fn login(&self, username: &str) -> Session {
        let r = self
            .post_form(
                "/login",
                &Session::default(),
                &[
                    ("username", username),
                    ("password", PASSWORD),
                    ("next", "/office"),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login of {username}: {}",
            r.text()
        );
        let cookie = r
            .headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_string();
        let mut s = Session {
            cookie: Some(cookie),
            csrf: String::new(),
        };
        let home = self.get("/office", &s).await;
        s.csrf = hidden_csrf(&home.text()).expect("the page carries the CSRF token");
        s
    }
}

pub fn hidden_csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    let end = html[at..].find('"')?;
    Some(html[at..at + end].to_string())
}

pub fn form_encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Runs the same async test body on both backends.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident($backend:ident) $body:block)+) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() { let $backend = $crate::common::Backend::Sqlite; $body } )+
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() { let $backend = $crate::common::Backend::Postgres; $body } )+
        }
    };
}
