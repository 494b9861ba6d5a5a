//! The platform's own endpoints: health, login and logout, sessions, CSRF, the security
//! headers, assets and the friendly 404.

mod common;

use axum::http::StatusCode;
use common::{Session, spawn_app, user};
use jianping_core::access::UserRole;

both_backends! {
    health_answers_with_the_database(backend) {
        let app = spawn_app(backend, |_| {}).await;
        let r = app.get("/healthz", &Session::default()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["status"], "ok");
    }

    login_logout_and_the_office_needs_a_session(backend) {
        let app = spawn_app(backend, |s| {
            user(s, "admin", UserRole::Admin, None);
        })
        .await;
        let anon = Session::default();
        let r = app.get("/office", &anon).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location().as_deref(), Some("/login?next=/office"));

        let r = app.post_form("/login", &anon, &[("username", "admin"), ("password", "wrong")]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.text().contains("用户名或密码错误"), "{}", r.text());
        assert!(r.text().contains("value=\"admin\""), "the username typed is kept");

        let s = app.login("admin").await;
        let r = app.get("/office", &s).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("admin姓名"));

        // Logging out without the token is refused; with it, the session ends.
        let forged = Session { csrf: "x".into(), ..s.clone() };
        assert_eq!(app.post_form("/logout", &forged, &[]).await.status, StatusCode::FORBIDDEN);
        let r = app.post_form("/logout", &s, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get("/office", &s).await.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_security_headers_and_unknown_paths_get_a_friendly_404() {
    let app = spawn_app(common::Backend::Sqlite, |_| {}).await;
    let r = app.get("/no/such/page", &Session::default()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("页面不存在"));
    let csp = r
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert_eq!(r.headers.get("x-frame-options").unwrap(), "DENY");
    let css = app.get("/assets/app.css", &Session::default()).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers.get("etag").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_from_another_site_is_refused() {
    use axum::body::Body;
    use axum::http::Request;
    let app = spawn_app(common::Backend::Sqlite, |_| {}).await;
    let req = Request::post("/login")
        .header("host", "jianping.test")
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("username=a&password=b"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
}
