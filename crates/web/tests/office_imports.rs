//! `/office/imports`: an upload is checked first (bad rows shown as FILE:ROW:COLUMN, nothing
//! stored), then committed (the good rows stored, the bad ones in a downloadable rejects
//! file); the job's progress is readable as JSON; only administrators import.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Answer, Session, TestApp, spawn_app, user};
use jianping_app::import::{ImportRequest, NoProgress, import_file};
use jianping_core::access::UserRole;
use jianping_ingest::Kind;
use jianping_store::{RowExt, Store};
use std::path::{Path, PathBuf};

fn example(kind: Kind) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../examples/import/{}.csv", kind.slug()))
}

fn seed(store: &mut Store) {
    for kind in [Kind::Regions, Kind::Departments, Kind::Halls, Kind::Windows] {
        let f = import_file(
            store,
            &example(kind),
            &ImportRequest::new(kind),
            &NoProgress,
        )
        .unwrap();
        assert!(f.summary.is_some(), "{:?}", f.bad.lines);
    }
    user(store, "admin", UserRole::Admin, None);
    user(store, "admin2", UserRole::Admin, None);
    let dept = store.department_by_name("乌海市公安局").unwrap();
    user(store, "clerk", UserRole::Clerk, Some(dept));
}

const BOUNDARY: &str = "----jianpingTestBoundary7MA4YWxk";

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(bytes);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

async fn upload(
    app: &TestApp,
    s: &Session,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Answer {
    let mut all = fields.to_vec();
    all.insert(0, ("_csrf", s.csrf.as_str()));
    let req = Request::post("/office/imports")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, s.cookie.clone().unwrap_or_default())
        .body(Body::from(multipart(&all, file)))
        .unwrap();
    app.send(req).await
}

/// Polls the job's JSON until it leaves `running`.
async fn wait(app: &TestApp, s: &Session, job: &str) -> serde_json::Value {
    for _ in 0..300 {
        let r = app.get(&format!("{job}.json"), s).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let v = r.json();
        assert!(v["percent"].as_u64().unwrap() <= 100);
        if !v["running"].as_bool().unwrap() {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the job did not finish");
}

async fn ratings_stored(app: &TestApp) -> i64 {
    let target = app.target.clone();
    tokio::task::spawn_blocking(move || {
        let mut s = Store::connect(&target).unwrap();
        s.backend()
            .query("SELECT COUNT(*) FROM ratings", &[])
            .unwrap()[0]
            .int(0)
    })
    .await
    .unwrap()
}

both_backends! {
    a_bad_row_is_shown_in_the_check_and_commit_stores_the_good_rows(backend) {
        let app = spawn_app(backend, seed).await;
        let s = app.login("admin").await;
        let text = std::fs::read_to_string(example(Kind::Ratings)).unwrap();
        let rows = text.lines().count() as i64 - 1;
        let broken = text.replacen("非常满意", "很满意", 1);
        // The first data row is line 2 of the file.
        assert!(broken.lines().nth(1).unwrap().contains("很满意"));

        let r = upload(&app, &s, &[("kind", "ratings")], Some(("十月评价.csv", broken.as_bytes()))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let job = r.location().unwrap();
        assert!(job.starts_with("/office/imports/jobs/"));
        let v = wait(&app, &s, &job).await;
        assert_eq!(v["stage"], "checked", "{v}");

        let page = app.get(&job, &s).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("十月评价.csv:2:"), "the row as the file numbers it: {html}");
        assert!(html.contains("很满意"), "{html}");
        assert!(html.contains(&format!("导入其余 {} 行", rows - 1)), "{html}");
        assert_eq!(ratings_stored(&app).await, 0, "the check stores nothing");

        // Someone else's job is not there for them.
        let other = app.login("admin2").await;
        assert_eq!(app.get(&job, &other).await.status, StatusCode::NOT_FOUND);

        let r = app.post_form(&format!("{job}/commit"), &s, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let v = wait(&app, &s, &job).await;
        assert_eq!(v["stage"], "done", "{v}");
        assert_eq!(v["percent"], 100);
        assert_eq!(ratings_stored(&app).await, rows - 1);
        let html = app.get(&job, &s).await.text();
        assert!(html.contains("导入完成") && html.contains("rejects.csv"), "{html}");

        // A second commit of the same job is refused.
        assert_eq!(app.post_form(&format!("{job}/commit"), &s, &[]).await.status, StatusCode::CONFLICT);

        let rej = app.get(&format!("{job}/rejects.csv"), &s).await;
        assert_eq!(rej.status, StatusCode::OK);
        assert!(rej.text().contains("很满意"), "{}", rej.text());
        let d = rej.headers.get("content-disposition").unwrap().to_str().unwrap();
        assert!(d.contains("filename*=UTF-8''"), "{d}");

        let target = app.target.clone();
        let log = tokio::task::spawn_blocking(move || {
            Store::connect(&target).unwrap().audit_log(100, None).unwrap()
        })
        .await
        .unwrap();
        let import = log.iter().find(|e| e.action == "import").expect("the import is audit-logged");
        assert_eq!(import.username, "admin");
        assert_eq!(import.target.as_deref(), Some("十月评价.csv"));
        assert!(log.iter().any(|e| e.action == "import.check"));
    }

    uploads_without_a_kind_or_a_file_or_a_token_are_refused(backend) {
        let app = spawn_app(backend, seed).await;
        let s = app.login("admin").await;
        let r = upload(&app, &s, &[("kind", "")], Some(("a.csv", b"x,y\n1,2\n"))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("请选择数据类别"));
        let r = upload(&app, &s, &[("kind", "departments")], None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("请选择要导入的"));
        assert!(r.text().contains("value=\"departments\" selected"), "the kind chosen is kept");
        let forged = Session { csrf: "forged".into(), ..s.clone() };
        let r = upload(&app, &forged, &[("kind", "departments")], Some(("a.csv", b"x\n"))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // A file whose header is not a ratings export fails its check with the reason.
        let r = upload(&app, &s, &[("kind", "ratings")], Some(("乱码.csv", b"foo,bar\n1,2\n"))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let job = r.location().unwrap();
        let v = wait(&app, &s, &job).await;
        assert_eq!(v["stage"], "failed", "{v}");
        let html = app.get(&job, &s).await.text();
        assert!(html.contains("乱码.csv"), "the message names the uploaded file: {html}");
        assert!(!html.contains("jianping-import-"), "not the temporary path: {html}");
    }

    uploads_larger_than_the_general_body_limit_are_accepted(backend) {
        let app = spawn_app(backend, seed).await;
        let s = app.login("admin").await;
        let text = std::fs::read_to_string(example(Kind::Departments)).unwrap();
        let mut big = text.clone();
        let row = text.lines().nth(1).unwrap();
        while big.len() < 3 * jianping_web::BODY_LIMIT {
            big.push_str(row);
            big.push('\n');
        }
        let r = upload(&app, &s, &[("kind", "departments")], Some(("大文件.csv", big.as_bytes()))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let v = wait(&app, &s, &r.location().unwrap()).await;
        assert_eq!(v["stage"], "checked", "{v}");
    }

    only_administrators_import(backend) {
        let app = spawn_app(backend, seed).await;
        let anon = Session::default();
        let r = app.get("/office/imports", &anon).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let clerk = app.login("clerk").await;
        assert_eq!(app.get("/office/imports", &clerk).await.status, StatusCode::FORBIDDEN);
        let r = upload(&app, &clerk, &[("kind", "ratings")], Some(("a.csv", b"x\n"))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let admin = app.login("admin").await;
        let page = app.get("/office/imports", &admin).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("好差评数据"));
        let js = app.get("/assets/imports.js", &anon).await;
        assert_eq!(js.status, StatusCode::OK);
        assert!(js.text().contains(".json") || js.text().contains("data-job-poll"));
    }
}
