//! `/api/v1` for staff: the ledger (list, item, claim, rectify, callback, close) through the
//! session's principal, statistics, the OpenAPI document and the offline `/api/docs` page.

mod common;

use axum::http::StatusCode;
use common::{Session, TestApp, spawn_app, user};
use jianping_app::import::{ImportRequest, NoProgress, import_file};
use jianping_core::access::UserRole;
use jianping_ingest::Kind;
use jianping_store::Store;
use serde_json::json;
use std::path::Path;

const DEPT_A: &str = "海南区人力资源和社会保障局";
const DEPT_B: &str = "乌海市公安局";

fn seed(store: &mut Store) {
    for kind in [
        Kind::Regions,
        Kind::Departments,
        Kind::Halls,
        Kind::Windows,
        Kind::Ratings,
        Kind::Hotline,
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../examples/import/{}.csv", kind.slug()));
        let f = import_file(store, &path, &ImportRequest::new(kind), &NoProgress).unwrap();
        assert!(f.summary.is_some(), "{:?}", f.bad.lines);
    }
    user(store, "admin", UserRole::Admin, None);
    user(store, "leader", UserRole::Leader, None);
    let a = store.department_by_name(DEPT_A).unwrap();
    let b = store.department_by_name(DEPT_B).unwrap();
    user(store, "clerk_a", UserRole::Clerk, Some(a));
    user(store, "clerk_b", UserRole::Clerk, Some(b));
}

/// The department's rating item (the example's one 不满意 rating).
async fn rating_item(app: &TestApp, s: &Session) -> String {
    let r = app.get("/api/v1/ledger?source=rating", s).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["department"], DEPT_A);
    items[0]["item_no"].as_str().unwrap().to_string()
}

both_backends! {
    a_clerk_sees_and_works_only_the_own_departments_items(backend) {
        let app = spawn_app(backend, seed).await;
        let a = app.login("clerk_a").await;
        let b = app.login("clerk_b").await;
        let item = rating_item(&app, &a).await;
        let all_b = app.get("/api/v1/ledger", &b).await.json();
        assert!(all_b.as_array().unwrap().iter().all(|i| i["department"] == DEPT_B), "{all_b}");

        let r = app.get(&format!("/api/v1/ledger/{item}"), &a).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let d = r.json();
        assert_eq!(d["item"]["item_no"], item.as_str());
        assert!(!d["events"].as_array().unwrap().is_empty());
        assert!(d["allowed_department"].as_array().unwrap().iter().any(|a| a == "claim"), "{d}");
        let r = app.get(&format!("/api/v1/ledger/{item}"), &b).await;
        assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", r.status);
        assert_eq!(app.get("/api/v1/ledger/NO-SUCH", &a).await.status, StatusCode::NOT_FOUND);

        let claim = format!("/api/v1/ledger/{item}/claim");
        assert_eq!(app.json("POST", &claim, &b, &json!({})).await.status, StatusCode::FORBIDDEN);
        let leader = app.login("leader").await;
        assert_eq!(app.json("POST", &claim, &leader, &json!({})).await.status, StatusCode::FORBIDDEN);
        let forged = Session { csrf: "forged".into(), ..a.clone() };
        let r = app.json("POST", &claim, &forged, &json!({})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.json()["error"]["code"], "csrf");
        let r = app.json("POST", &claim, &a, &json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["to"], "claimed");
        assert_eq!(app.json("POST", &claim, &a, &json!({})).await.status, StatusCode::CONFLICT);

        let rectify = format!("/api/v1/ledger/{item}/rectify");
        let r = app.json("POST", &rectify, &a, &json!({"measures": " "})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["fields"][0]["field"], "measures");
        let r = app.json("POST", &rectify, &a, &json!({"measures": "已向群众解释政策并优化窗口引导"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());

        let admin = app.login("admin").await;
        let callback = format!("/api/v1/ledger/{item}/callback");
        let r = app.json("POST", &callback, &admin, &json!({"response": "很好"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app.json("POST", &callback, &admin, &json!({"response": "满意", "note": "电话回访"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let close = format!("/api/v1/ledger/{item}/close");
        assert_eq!(app.json("POST", &close, &a, &json!({})).await.status, StatusCode::FORBIDDEN, "bureau only");
        let r = app.json("POST", &close, &admin, &json!({"note": "整改到位"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["to"], "closed");
    }

    the_ledger_api_needs_a_session(backend) {
        let app = spawn_app(backend, seed).await;
        let anon = Session::default();
        let r = app.get("/api/v1/ledger", &anon).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json()["error"]["code"], "unauthenticated");
        assert_eq!(app.json("POST", "/api/v1/ledger/X/claim", &anon, &json!({})).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.get("/api/v1/stats/ratings", &anon).await.status, StatusCode::UNAUTHORIZED);
        let a = app.login("clerk_a").await;
        let r = app.get("/api/v1/ledger?from=2023-02-30", &a).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app.get("/api/v1/ledger?state=飞了", &a).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    }

    statistics_by_the_clis_groupings(backend) {
        let app = spawn_app(backend, seed).await;
        let s = app.login("leader").await;
        let r = app.get("/api/v1/stats/ratings?from=2023-01-01&to=2023-12-31&by=department", &s).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let text = r.text();
        assert!(text.contains(DEPT_A), "{text}");
        let r = app.get("/api/v1/stats/ratings?from=2023-01-01&to=2023-12-31", &s).await;
        assert_eq!(r.status, StatusCode::OK);
        let v = r.json();
        assert_eq!(v["total"]["summary"]["total"], 8, "the example's eight ratings: {v}");
        assert_eq!(v["total"]["summary"]["bad"], 1, "{v}");
        let r = app.get("/api/v1/stats/hotline?from=2023-01-01&to=2023-12-31&by=kind", &s).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = app.get("/api/v1/stats/ratings?by=weekday", &s).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["fields"][0]["field"], "by");
        let clerk = app.login("clerk_a").await;
        assert_eq!(app.get("/api/v1/stats/ratings", &clerk).await.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_the_operations_and_the_docs_page_is_offline() {
    let app = spawn_app(common::Backend::Sqlite, |s| {
        user(s, "admin", UserRole::Admin, None);
    })
    .await;
    let anon = Session::default();
    let doc = app.get("/api/openapi.json", &anon).await.json();
    for path in [
        "/api/v1/ledger",
        "/api/v1/ledger/{item_no}",
        "/api/v1/ledger/{item_no}/claim",
        "/api/v1/ledger/{item_no}/rectify",
        "/api/v1/ledger/{item_no}/callback",
        "/api/v1/ledger/{item_no}/close",
        "/api/v1/stats/ratings",
        "/api/v1/stats/hotline",
        "/api/v1/reports/annual",
        "/api/v1/reports/bulletin",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} in {}",
            doc["paths"]
        );
    }
    assert!(doc["components"]["schemas"].get("LedgerItem").is_some());

    let page = app.get("/api/docs", &anon).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let mut refs = Vec::new();
    for attr in ["src=\"", "href=\""] {
        let mut rest = html.as_str();
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            refs.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    assert!(refs.len() >= 3, "{refs:?}");
    for r in &refs {
        assert!(
            r.starts_with('/') && !r.starts_with("//"),
            "only local assets: {r}"
        );
        let a = app.get(r, &anon).await;
        assert_eq!(a.status, StatusCode::OK, "{r}");
        assert!(a.body.len() > 100, "{r}");
    }
    assert!(!html.contains("<script>"), "no inline script");
    let js = app.get("/assets/swagger/swagger-ui-bundle.js", &anon).await;
    assert!(
        js.text().contains("SwaggerUIBundle"),
        "decompressed for a client without gzip"
    );
    let init = app
        .get("/assets/swagger/swagger-init.js", &anon)
        .await
        .text();
    assert!(init.contains("/api/openapi.json") && init.contains("validatorUrl: null"));
}
