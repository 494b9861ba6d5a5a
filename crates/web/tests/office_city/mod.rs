//! The example city the office tests share, and their request helpers.

#![allow(dead_code)]

use crate::common::{self, Session, TestApp, user};
use axum::body::Body;
use axum::http::{Request, header};
use jianping_app::import::{ImportRequest, NoProgress, import_file};
use jianping_core::access::UserRole;
use jianping_core::ledger::SourceKind;
use jianping_ingest::Kind;
use jianping_store::Store;
use std::path::Path;

pub const DEPT_A: &str = "海南区人力资源和社会保障局";
pub const DEPT_B: &str = "乌海市公安局";
/// The example city's one 不满意 rating (海南区人社局).
pub const BAD_RATING: &str = "HCP1503032023082200003";

/// The example city through the app layer's importer, and one user per role (a clerk of
/// department A and one of B).
pub fn seed_city(s: &mut Store) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/import");
    for kind in [
        Kind::Regions,
        Kind::Departments,
        Kind::Halls,
        Kind::Windows,
        Kind::Supervisors,
        Kind::Ratings,
        Kind::Feedback,
        Kind::QrReports,
    ] {
        let f = import_file(
            s,
            &dir.join(format!("{}.csv", kind.slug())),
            &ImportRequest::new(kind),
            &NoProgress,
        )
        .expect("import the example");
        assert!(f.summary.is_some(), "{}: {:?}", kind.slug(), f.bad.lines);
    }
    let a = s.department_by_name(DEPT_A).unwrap();
    let b = s.department_by_name(DEPT_B).unwrap();
    user(s, "admin", UserRole::Admin, None);
    user(s, "clerk_a", UserRole::Clerk, Some(a));
    user(s, "clerk_b", UserRole::Clerk, Some(b));
    user(s, "leader", UserRole::Leader, None);
    user(s, "auditor", UserRole::Auditor, None);
}

pub async fn bad_item(app: &TestApp) -> String {
    app.state()
        .db(|s| Ok(s.ledger_item_for_source(SourceKind::Rating, BAD_RATING)?))
        .await
        .unwrap()
        .expect("the bad rating has its item")
}

/// A multipart form with text fields and files (name, file name, bytes).
pub async fn post_multipart(
    app: &TestApp,
    path: &str,
    s: &Session,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> common::Answer {
    let boundary = "----jianpingtestboundary";
    let mut body: Vec<u8> = Vec::new();
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("_csrf", s.csrf.as_str()));
    for (k, v) in all {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (k, name, data) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut b = Request::post(path).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={boundary}"),
    );
    if let Some(c) = &s.cookie {
        b = b.header(header::COOKIE, c);
    }
    app.send(b.body(Body::from(body)).unwrap()).await
}
