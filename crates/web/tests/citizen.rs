//! The citizen pages: a window's QR page, rating through the intake, one rating per case,
//! complaints with photos and receipts, additions, escaping, the honeypot and the limits.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use common::{Answer, TestApp, form_encode, spawn_app};
use jianping_core::RegionCode;
use jianping_core::records::{HallRecord, RegionRecord, WindowRecord};
use jianping_store::{RowExt, Store};
use std::net::SocketAddr;

const HALL: &str = "乌海市政务服务中心";
const DEPT: &str = "乌海市人力资源和社会保障局";
const WINDOW: &str = "社保综合窗口";

/// One region, one hall, two windows (one of them revoked in a test).
fn city(store: &mut Store) {
    let code = RegionCode::parse("150300").unwrap();
    let mut s = store.begin_import("windows", "w.csv", "test").unwrap();
    s.regions(&[RegionRecord {
        code: code.clone(),
        name: "乌海市".into(),
    }])
    .unwrap();
    s.halls(&[HallRecord {
        code: Some("DT1".into()),
        name: HALL.into(),
        region: code.clone(),
        kind: None,
        extended_hours: false,
    }])
    .unwrap();
    let w = |c: &str, n: &str| WindowRecord {
        code: Some(c.into()),
        name: n.into(),
        hall: Some(HALL.into()),
        region: code.clone(),
        department: Some(DEPT.into()),
        kind: None,
        extended_hours: false,
    };
    s.windows(&[w("CK1", WINDOW), w("CK2", "医保窗口")])
        .unwrap();
    s.commit().unwrap();
}

async fn with_store<T: Send + 'static>(
    app: &TestApp,
    f: impl FnOnce(&mut Store) -> T + Send + 'static,
) -> T {
    let target = app.target.clone();
    tokio::task::spawn_blocking(move || f(&mut Store::open(&target).unwrap()))
        .await
        .unwrap()
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    with_store(app, move |s| s.backend().query(sql, &[]).unwrap()[0].int(0)).await
}

/// The active token of the window named `name`.
async fn token(app: &TestApp, name: &'static str) -> String {
    with_store(app, move |s| {
        s.window_codes()
            .unwrap()
            .into_iter()
            .find(|c| c.window.window_name == name)
            .and_then(|c| c.token)
            .expect("the window has a token")
    })
    .await
}

fn from(ip: &str, mut req: Request<Body>) -> Request<Body> {
    let addr: SocketAddr = format!("{ip}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    req
}

async fn get(app: &TestApp, ip: &str, path: &str) -> Answer {
    app.send(from(ip, Request::get(path).body(Body::empty()).unwrap()))
        .await
}

async fn post(app: &TestApp, ip: &str, path: &str, fields: &[(&str, &str)]) -> Answer {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form_encode(fields)))
        .unwrap();
    app.send(from(ip, req)).await
}

/// A multipart complaint; `photo` is (file name, content type, bytes).
async fn complain(
    app: &TestApp,
    ip: &str,
    token: &str,
    fields: &[(&str, &str)],
    photo: Option<(&str, &str, &[u8])>,
) -> Answer {
    let b = "----jianpingtestboundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, kind, data)) = photo {
        body.extend_from_slice(
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{name}\"\r\nContent-Type: {kind}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{b}--\r\n").as_bytes());
    let req = Request::post(format!("/q/{token}/report"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={b}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(from(ip, req)).await
}

/// The receipt code shown on the thank-you page.
fn receipt_of(html: &str) -> String {
    let at = html.find("href=\"/r/").expect("a receipt link") + "href=\"/r/".len();
    let end = html[at..].find('"').unwrap();
    html[at..at + end].to_string()
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

both_backends! {
    the_qr_page_shows_window_hall_and_department(backend) {
        let app = spawn_app(backend, city).await;
        let t = token(&app, WINDOW).await;
        let r = get(&app, "10.0.0.1", &format!("/q/{t}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let html = r.text();
        for want in [WINDOW, HALL, DEPT, "评价", "反映问题", &format!("/q/{t}/rate")] {
            assert!(html.contains(want), "{want}: {html}");
        }
    }

    unknown_and_revoked_tokens_get_a_friendly_404(backend) {
        let app = spawn_app(backend, city).await;
        let r = get(&app, "10.0.0.1", "/q/AAAAAAAAAAAAAAAAAAAAAA").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.text().contains("二维码无效或已停用"), "{}", r.text());
        let t = token(&app, WINDOW).await;
        with_store(&app, |s| {
            let id = s.find_window("CK1").unwrap().window_id;
            let now = chrono::Local::now().naive_local();
            s.revoke_window_token(id, "管理员", "卡片遗失", now, false).unwrap();
        })
        .await;
        for path in [format!("/q/{t}"), format!("/q/{t}/rate"), format!("/q/{t}/report")] {
            let r = get(&app, "10.0.0.1", &path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
            assert!(r.text().contains("二维码无效或已停用"));
        }
        let r = post(&app, "10.0.0.1", &format!("/q/{t}/rate"), &[("grade", "1")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings").await, 0);
    }

    a_rating_is_stored_and_a_bad_one_opens_a_ledger_item(backend) {
        let app = spawn_app(backend, city).await;
        let t = token(&app, WINDOW).await;
        let path = format!("/q/{t}/rate");
        let r = post(&app, "10.0.0.2", &path, &[("grade", "1"), ("tag", "服务态度"), ("tag", "服务效率")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("感谢您的评价"));
        assert!(!r.text().contains("整改编号"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings").await, 1);
        let (channel, window, dept, tags, addr) = with_store(&app, |s| {
            let r = s.backend().query(
                "SELECT r.channel, w.name, d.name, r.tags, r.address FROM ratings r
                 JOIN windows w ON w.id = r.window_id JOIN departments d ON d.id = r.department_id",
                &[],
            ).unwrap();
            (r[0].int(0), r[0].text(1), r[0].text(2), r[0].text(3), r[0].text(4))
        })
        .await;
        assert_eq!(channel, jianping_core::Channel::QrCode.code());
        assert_eq!((window.as_str(), dept.as_str()), (WINDOW, DEPT));
        assert_eq!(tags, "服务效率；服务态度");
        assert_eq!(addr, "10.0.0.2");

        let r = post(&app, "10.0.0.2", &path, &[("grade", "5"), ("comment", "等了两个小时没人管")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let html = r.text();
        assert!(html.contains("转交") && html.contains(DEPT), "{html}");
        let item: String = with_store(&app, |s| {
            s.backend().query("SELECT item_no FROM ledger_items WHERE source_kind = 'rating'", &[])
                .unwrap()[0].text(0)
        })
        .await;
        assert!(html.contains(&item), "the page names the item {item}: {html}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings").await, 2);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_items").await, 1);
    }

    one_rating_per_case_and_one_followup(backend) {
        let app = spawn_app(backend, city).await;
        let t = token(&app, WINDOW).await;
        let path = format!("/q/{t}/rate");
        let first = [("grade", "2"), ("case_no", "BJ2026001")];
        assert_eq!(post(&app, "10.0.0.3", &path, &first).await.status, StatusCode::OK);
        let again = post(&app, "10.0.0.3", &path, &[("grade", "5"), ("case_no", "BJ2026001")]).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
        let html = again.text();
        assert!(html.contains("已经评价过"), "{html}");
        assert!(html.contains("attempt=2"), "追评 is offered: {html}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings").await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_items").await, 0, "the refused bad rating opened nothing");

        let form = get(&app, "10.0.0.3", &format!("{path}?case=BJ2026001&attempt=2")).await;
        assert!(form.text().contains("追加评价") && form.text().contains("value=\"2\""));
        let follow = [("grade", "3"), ("case_no", "BJ2026001"), ("attempt", "2")];
        let r = post(&app, "10.0.0.3", &path, &follow).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = post(&app, "10.0.0.3", &path, &follow).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(!r.text().contains("attempt=2"), "追评 only once");
        // 追评 of a case never rated is refused on its field.
        let r = post(&app, "10.0.0.3", &path, &[("grade", "3"), ("case_no", "BJ404"), ("attempt", "2")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("还没有首次评价"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings").await, 2);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM ratings WHERE case_no = 'BJ2026001' AND attempt = 2").await,
            1
        );
    }

    a_rating_without_grade_is_refused_keeping_what_was_typed(backend) {
        let app = spawn_app(backend, city).await;
        let t = token(&app, WINDOW).await;
        let r = post(&app, "10.0.0.4", &format!("/q/{t}/rate"), &[
            ("comment", "窗口人员很耐心<script>alert(1)</script>"),
            ("phone", "abc"),
            ("tag", "服务水平"),
        ]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text();
        assert!(html.contains("请选择满意程度"), "{html}");
        assert!(html.contains("请填写正确的手机号"), "{html}");
        assert!(html.contains("窗口人员很耐心&lt;script&gt;"), "kept and escaped: {html}");
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("value=\"服务水平\" checked"), "{html}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings").await, 0);
    }

    a_complaint_with_a_photo_gets_a_receipt_progress_and_additions(backend) {
        let app = spawn_app(backend, city).await;
        let t = token(&app, WINDOW).await;
        let fields = [
            ("category", "服务态度"),
            ("content", "工作人员态度生硬<script>alert(1)</script>"),
            ("name", "张三丰"),
            ("phone", "13812345678"),
        ];
        // Not an image: refused on its field, the text kept.
        let r = complain(&app, "10.0.0.5", &t, &fields, Some(("a.png", "image/png", b"GIF89a-not-png"))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("JPEG、PNG 或 WebP"));
        assert!(r.text().contains("工作人员态度生硬&lt;script&gt;"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM qr_reports").await, 0);

        // Too large: refused on its field (the route allows the body, the photo check does not).
        let mut big = vec![0xFF, 0xD8, 0xFF, 0xE0];
        big.resize((5 << 20) + 1, 0);
        let r = complain(&app, "10.0.0.5", &t, &fields, Some(("big.jpg", "image/jpeg", &big))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("照片不能超过 5 MB"), "{}", r.text());
        // Beyond the route's body limit: 413 before anything is read.
        big.resize(7 << 20, 0);
        let r = complain(&app, "10.0.0.5", &t, &fields, Some(("huge.jpg", "image/jpeg", &big))).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
        assert_eq!(count(&app, "SELECT COUNT(*) FROM qr_reports").await, 0);

        let r = complain(&app, "10.0.0.5", &t, &fields, Some(("photo.png", "image/png", PNG))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let receipt = receipt_of(&r.text());
        assert!(receipt.len() >= 16 && receipt.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM qr_reports").await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM attachments WHERE owner_kind = 'qr_report'").await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_items WHERE source_kind = 'qr_report'").await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_items WHERE topic_suggested IS NOT NULL").await, 1);
        // Only the receipt's hash is stored.
        let stored = with_store(&app, |s| {
            s.backend().query("SELECT receipt_hash FROM citizen_reports", &[]).unwrap()[0].text(0)
        }).await;
        assert_ne!(stored, receipt);
        let window_dept = with_store(&app, |s| {
            let r = s.backend().query(
                "SELECT d.name FROM qr_reports q JOIN departments d ON d.id = q.department_id", &[]).unwrap();
            r[0].text(0)
        }).await;
        assert_eq!(window_dept, DEPT, "the department comes from the window");

        let page = get(&app, "10.0.0.5", &format!("/r/{receipt}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(html.contains("待认领") && html.contains("登记"), "{html}");
        assert!(html.contains(DEPT), "{html}");
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>alert"), "{html}");
        assert!(!html.contains("13812345678") && html.contains("5678"), "the phone is masked: {html}");
        assert!(!html.contains("张三丰"), "the name is masked: {html}");

        let r = post(&app, "10.0.0.5", &format!("/r/{receipt}"), &[("content", "补充：当天下午三点左右")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let html = get(&app, "10.0.0.5", &format!("/r/{receipt}")).await.text();
        assert!(html.contains("补充：当天下午三点左右"), "{html}");
        let r = post(&app, "10.0.0.5", &format!("/r/{receipt}"), &[("content", "  ")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM citizen_report_additions").await, 1);

        // The department's item page shows the addition (masked like the rest).
        with_store(&app, |s| {
            common::user(s, "admin", jianping_core::access::UserRole::Admin, None);
        })
        .await;
        let item_no = with_store(&app, |s| {
            s.backend()
                .query("SELECT item_no FROM ledger_items WHERE source_kind = 'qr_report'", &[])
                .unwrap()[0]
                .text(0)
        })
        .await;
        let staff = app.login("admin").await;
        let office = app.get(&format!("/office/ledger/{item_no}"), &staff).await;
        assert_eq!(office.status, StatusCode::OK, "{}", office.text());
        assert!(office.text().contains("群众补充说明") && office.text().contains("补充：当天下午三点左右"), "{}", office.text());

        let r = get(&app, "10.0.0.5", "/r/AAAAAAAAAAAAAAAAAAAAAA").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.text().contains("回执码"));
    }

    the_honeypot_pretends_and_stores_nothing(backend) {
        let app = spawn_app(backend, city).await;
        let t = token(&app, WINDOW).await;
        let before = jianping_web::citizen::honeypot_hits();
        let r = complain(&app, "10.0.0.6", &t, &[
            ("category", "其他"), ("content", "buy cheap things"), ("website", "http://spam.example"),
        ], None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("已收到您反映的问题"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM qr_reports").await, 0);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_items").await, 0);
        assert!(jianping_web::citizen::honeypot_hits() > before);
        let fake = receipt_of(&r.text());
        assert_eq!(get(&app, "10.0.0.6", &format!("/r/{fake}")).await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_submissions_get_429_with_retry_after() {
    let app = spawn_app(common::Backend::Sqlite, city).await;
    let t = token(&app, WINDOW).await;
    let path = format!("/q/{t}/rate");
    for i in 0..jianping_web::citizen::WRITE_BURST {
        let r = post(&app, "10.0.0.7", &path, &[("comment", "x")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "request {i}");
    }
    let r = post(&app, "10.0.0.7", &path, &[("grade", "1")]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3).contains(&wait), "{wait}");
    assert!(r.text().contains("提交过于频繁"), "{}", r.text());
    // Another address is still served; nothing of the refused one was stored.
    let r = post(&app, "10.0.0.8", &path, &[("grade", "1")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings").await, 1);
}
