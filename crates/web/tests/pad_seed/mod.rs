//! A small city for the pad, rating-API and Open311 tests: three windows (one without a
//! department), pads at two of them, a revoked pad, an administrator and a leader.

#![allow(dead_code)]

use crate::common::{Answer, Backend, TestApp, spawn_app_with, user};
use axum::body::Body;
use axum::http::{Request, header};
use jianping_core::RegionCode;
use jianping_core::access::UserRole;
use jianping_core::records::{HallRecord, RegionRecord, WindowRecord};
use jianping_store::{RowExt, Store, Value};
use std::sync::{Arc, Mutex};

pub const HALL: &str = "乌海市政务服务中心";
pub const POLICE: &str = "乌海市公安局";
pub const SOCIAL: &str = "乌海市人力资源和社会保障局";

#[derive(Debug, Clone, Default)]
pub struct Keys {
    /// The pad at W001 (公安局).
    pub w1: String,
    pub w1_id: i64,
    /// The pad at W003 (人社局).
    pub w3: String,
    /// The pad at W002, a window without a department.
    pub w2: String,
    /// A revoked pad of W001.
    pub revoked: String,
}

fn window(code: &str, name: &str, dept: Option<&str>) -> WindowRecord {
    WindowRecord {
        code: Some(code.into()),
        name: name.into(),
        hall: Some(HALL.into()),
        region: RegionCode::parse("150300").unwrap(),
        department: dept.map(Into::into),
        kind: None,
        extended_hours: false,
    }
}

fn seed(store: &mut Store) -> Keys {
    let mut s = store.begin_import("windows", "w.csv", "x").unwrap();
    s.regions(&[RegionRecord {
        code: RegionCode::parse("150300").unwrap(),
        name: "乌海市".into(),
    }])
    .unwrap();
    s.halls(&[HallRecord {
        code: Some("H-CITY".into()),
        name: HALL.into(),
        region: RegionCode::parse("150300").unwrap(),
        kind: Some("政务服务中心".into()),
        extended_hours: false,
    }])
    .unwrap();
    s.windows(&[
        window("W001", "公安综合窗口", Some(POLICE)),
        window("W002", "综合受理窗口", None),
        window("W003", "社保窗口", Some(SOCIAL)),
    ])
    .unwrap();
    s.commit().unwrap();
    let now = chrono::Local::now().naive_local();
    let w = |s: &mut Store, code: &str| s.find_window(code).unwrap().window_id;
    let (w1, w2, w3) = (w(store, "W001"), w(store, "W002"), w(store, "W003"));
    let p1 = store.register_pad_device(w1, "一号窗评价器", now).unwrap();
    let p2 = store.register_pad_device(w2, "综合窗评价器", now).unwrap();
    let p3 = store.register_pad_device(w3, "社保窗评价器", now).unwrap();
    let old = store.register_pad_device(w1, "旧评价器", now).unwrap();
    store
        .revoke_pad_device(old.device.id, "王芳", "设备遗失", now)
        .unwrap();
    user(store, "admin", UserRole::Admin, None);
    user(store, "leader", UserRole::Leader, None);
    Keys {
        w1: p1.key,
        w1_id: p1.device.id,
        w3: p3.key,
        w2: p2.key,
        revoked: old.key,
    }
}

pub async fn app(backend: Backend) -> (TestApp, Keys) {
    app_with(backend, jianping_app::Config::default()).await
}

/// [`app`] with a configuration of the test's own.
pub async fn app_with(backend: Backend, config: jianping_app::Config) -> (TestApp, Keys) {
    let keys = Arc::new(Mutex::new(Keys::default()));
    let k = Arc::clone(&keys);
    let app = spawn_app_with(backend, config, move |s| {
        *k.lock().unwrap() = seed(s);
    })
    .await;
    let keys = keys.lock().unwrap().clone();
    (app, keys)
}

/// A JSON request with a device key.
pub async fn with_key(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: &serde_json::Value,
) -> Answer {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(req).await
}

/// Rows of a query, read on a blocking thread (the PostgreSQL client must not run on a
/// runtime worker).
pub async fn rows(app: &TestApp, sql: &str, params: Vec<Value>) -> Vec<Vec<Option<String>>> {
    let target = app.target.clone();
    let sql = sql.to_string();
    tokio::task::spawn_blocking(move || {
        let mut s = Store::connect(&target).unwrap();
        s.backend()
            .query(&sql, &params)
            .unwrap()
            .iter()
            .map(|r| (0..r.len()).map(|i| r.opt_text(i)).collect())
            .collect()
    })
    .await
    .unwrap()
}

pub async fn count(app: &TestApp, sql: &str, params: Vec<Value>) -> i64 {
    let target = app.target.clone();
    let sql = sql.to_string();
    tokio::task::spawn_blocking(move || {
        let mut s = Store::connect(&target).unwrap();
        s.backend().query(&sql, &params).unwrap()[0].int(0)
    })
    .await
    .unwrap()
}

/// Runs SQL on the database (to move a ledger item on, as a test fixture).
pub async fn execute(app: &TestApp, sql: &str, params: Vec<Value>) {
    let target = app.target.clone();
    let sql = sql.to_string();
    tokio::task::spawn_blocking(move || {
        let mut s = Store::connect(&target).unwrap();
        s.backend().execute(&sql, &params).unwrap();
    })
    .await
    .unwrap();
}
