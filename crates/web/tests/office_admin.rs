//! `/office/admin`: users, the catalog, window QR codes, pad devices, the calendar, ledger
//! deadlines and the indicator file. Administrators only; every write audit-logged.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Answer, PASSWORD, Session, TestApp, spawn_app, user};
use jianping_app::import::{ImportRequest, NoProgress, import_file};
use jianping_core::access::UserRole;
use jianping_ingest::Kind;
use jianping_store::Store;
use std::path::Path;

fn seed(store: &mut Store) {
    for kind in [Kind::Regions, Kind::Departments, Kind::Halls, Kind::Windows] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../examples/import/{}.csv", kind.slug()));
        let f = import_file(store, &path, &ImportRequest::new(kind), &NoProgress).unwrap();
        assert!(f.summary.is_some(), "{:?}", f.bad.lines);
    }
    user(store, "admin", UserRole::Admin, None);
    user(store, "leader", UserRole::Leader, None);
    let dept = store.department_by_name("乌海市公安局").unwrap();
    user(store, "clerk", UserRole::Clerk, Some(dept));
}

async fn with_store<T: Send + 'static>(
    app: &TestApp,
    f: impl FnOnce(&mut Store) -> T + Send + 'static,
) -> T {
    let target = app.target.clone();
    tokio::task::spawn_blocking(move || f(&mut Store::connect(&target).unwrap()))
        .await
        .unwrap()
}

async fn actions(app: &TestApp) -> Vec<String> {
    with_store(app, |s| {
        s.audit_log(500, None)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    })
    .await
}

const BOUNDARY: &str = "----jianpingAdminBoundary";

async fn upload(app: &TestApp, path: &str, s: &Session, name: &str, bytes: &[u8]) -> Answer {
    let mut b = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n",
        s.csrf
    )
    .into_bytes();
    b.extend_from_slice(bytes);
    b.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let req = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, s.cookie.clone().unwrap_or_default())
        .body(Body::from(b))
        .unwrap();
    app.send(req).await
}

async fn login_status(app: &TestApp, username: &str, password: &str) -> StatusCode {
    app.post_form(
        "/login",
        &Session::default(),
        &[("username", username), ("password", password)],
    )
    .await
    .status
}

both_backends! {
    an_administrator_creates_a_user_who_can_log_in(backend) {
        let app = spawn_app(backend, seed).await;
        let s = app.login("admin").await;
        let r = app.get("/office/admin/users", &s).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("clerk姓名"));
        let dept = with_store(&app, |s| s.department_by_name("乌海市医疗保障局").unwrap()).await;
        let dept = dept.to_string();
        let mut fields = vec![
            ("username", "liming"),
            ("display_name", "李明"),
            ("role", "clerk"),
            ("department_id", dept.as_str()),
            ("password", "short"),
        ];
        let r = app.post_form("/office/admin/users", &s, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text();
        assert!(html.contains("id=\"password-err\"") && html.contains("密码至少 8 位"), "{html}");
        assert!(html.contains("value=\"liming\""), "what was typed is kept");
        // A clerk without a department: the refusal is at the department field.
        fields[3] = ("department_id", "");
        fields[4] = ("password", PASSWORD);
        let r = app.post_form("/office/admin/users", &s, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("id=\"department_id-err\""), "{}", r.text());
        fields[3] = ("department_id", dept.as_str());
        let r = app.post_form("/office/admin/users", &s, &fields).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("已创建账号 liming"));
        let r = app.post_form("/office/admin/users", &s, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("已被使用"));

        let liming = app.login("liming").await;
        let home = app.get("/office", &liming).await;
        assert!(home.text().contains("李明"));
        assert!(actions(&app).await.contains(&"user.create".to_string()));
    }

    disable_reset_and_unlock(backend) {
        let app = spawn_app(backend, seed).await;
        let s = app.login("admin").await;
        let id = with_store(&app, |s| s.user_by_username("clerk").unwrap().unwrap().id).await;
        for _ in 0..5 {
            assert_eq!(login_status(&app, "clerk", "wrong").await, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(login_status(&app, "clerk", PASSWORD).await, StatusCode::UNAUTHORIZED, "locked");
        let page = app.get(&format!("/office/admin/users/{id}"), &s).await;
        assert!(page.text().contains("已锁定"), "{}", page.text());
        let r = app.post_form(&format!("/office/admin/users/{id}/unlock"), &s, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(login_status(&app, "clerk", PASSWORD).await, StatusCode::SEE_OTHER);

        let r = app.post_form(&format!("/office/admin/users/{id}/password"), &s, &[("password", "abc")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("id=\"password-err\""));
        let r = app.post_form(&format!("/office/admin/users/{id}/password"), &s, &[("password", "Neu-Passw0rt")]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(login_status(&app, "clerk", "Neu-Passw0rt").await, StatusCode::SEE_OTHER);

        let r = app.post_form(&format!("/office/admin/users/{id}/active"), &s, &[("active", "0")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(login_status(&app, "clerk", "Neu-Passw0rt").await, StatusCode::UNAUTHORIZED);
        let me = with_store(&app, |s| s.user_by_username("admin").unwrap().unwrap().id).await;
        let r = app.post_form(&format!("/office/admin/users/{me}/active"), &s, &[("active", "0")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "one cannot disable oneself");
        let log = actions(&app).await;
        for a in ["user.unlock", "user.password_reset", "user.disable"] {
            assert!(log.contains(&a.to_string()), "{a}: {log:?}");
        }
    }

    a_revoked_window_token_stops_resolving_and_a_new_one_is_issued(backend) {
        let app = spawn_app(backend, seed).await;
        let s = app.login("admin").await;
        let (id, old) = with_store(&app, |s| {
            let c = s.window_codes().unwrap().into_iter().next().unwrap();
            (c.window.window_id, c.token.unwrap())
        })
        .await;
        let page = app.get("/office/admin/windows", &s).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains(&old), "{}", page.text());

        let svg = app.get(&format!("/office/admin/windows/{id}.svg"), &s).await;
        assert_eq!(svg.status, StatusCode::OK);
        assert!(svg.text().contains("<svg"));
        let png = app.get(&format!("/office/admin/windows/{id}.png"), &s).await;
        assert_eq!(&png.body[1..4], b"PNG");
        let card = app.get(&format!("/office/admin/windows/{id}-card.svg"), &s).await;
        assert!(card.text().contains("<svg"));
        assert_eq!(app.get("/office/admin/windows/x.gif", &s).await.status, StatusCode::NOT_FOUND);

        let r = app.post_form(&format!("/office/admin/windows/{id}/revoke"), &s, &[("reason", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
        assert!(r.text().contains("作废原因"));
        let r = app
            .post_form(&format!("/office/admin/windows/{id}/revoke"), &s, &[("reason", "卡片遗失"), ("reissue", "1")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("旧卡片即刻失效"));
        let o = old.clone();
        let (old_ok, new) = with_store(&app, move |s| {
            (s.resolve_window_token(&o).unwrap().is_some(), s.window_code(id).unwrap().token.unwrap())
        })
        .await;
        assert!(!old_ok, "the old token resolves to nothing");
        assert_ne!(new, old);
        assert_eq!(app.get(&format!("/q/{old}"), &Session::default()).await.status, StatusCode::NOT_FOUND);
        assert!(actions(&app).await.contains(&"qr.revoke".to_string()));

        let hall = with_store(&app, |s| s.hall_entries().unwrap()[0].id).await;
        let sheet = app.get(&format!("/office/admin/halls/{hall}/sheet"), &s).await;
        assert_eq!(sheet.status, StatusCode::OK);
        assert!(sheet.text().contains("<svg"));
        let csp = sheet.headers.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.starts_with("default-src 'none'"), "{csp}");
    }

    a_pad_is_registered_with_a_key_shown_once_and_revoked(backend) {
        let app = spawn_app(backend, seed).await;
        let s = app.login("admin").await;
        let r = app.post_form("/office/admin/devices", &s, &[("window_id", ""), ("name", "一号评价器")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("请选择评价器所在的窗口"));
        let window = with_store(&app, |s| s.window_codes().unwrap()[0].window.window_id).await.to_string();
        let r = app.post_form("/office/admin/devices", &s, &[("window_id", &window), ("name", "一号评价器")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let html = r.text();
        let at = html.find("<code>").unwrap() + 6;
        let key = html[at..at + html[at..].find("</code>").unwrap()].to_string();
        assert!(key.len() > 20, "{key}");
        assert!(!app.get("/office/admin/devices", &s).await.text().contains(&key), "shown once");
        let k = key.clone();
        let d = with_store(&app, move |s| s.resolve_pad_device(&k, chrono::Local::now().naive_local()).unwrap()).await;
        let id = d.expect("the key works").id;
        let r = app.post_form("/office/admin/devices", &s, &[("window_id", &window), ("name", "一号评价器")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a name in use");
        // The device API has now seen the key (and keeps it for a few seconds) ...
        let rate = |no: &'static str| {
            Request::post("/api/v1/ratings")
                .header(header::AUTHORIZATION, format!("Bearer {key}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(format!(r#"{{"rating_no":"{no}","grade":"非常满意"}}"#)))
                .unwrap()
        };
        let before = app.send(rate("ADM-1")).await;
        assert_ne!(before.status, StatusCode::UNAUTHORIZED, "{}", before.text());
        let r = app.post_form(&format!("/office/admin/devices/{id}/revoke"), &s, &[("reason", "设备遗失")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // ... but a revocation in the back office stops it at once.
        let after = app.send(rate("ADM-2")).await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED, "{}", after.text());
        let d = with_store(&app, move |s| s.resolve_pad_device(&key, chrono::Local::now().naive_local()).unwrap()).await;
        assert!(d.is_none());
        let log = actions(&app).await;
        assert!(log.contains(&"device.register".to_string()) && log.contains(&"device.revoke".to_string()));
    }

    calendar_deadlines_and_indicators(backend) {
        let app = spawn_app(backend, seed).await;
        let s = app.login("admin").await;
        let r = app.get("/office/admin/calendar?year=2024", &s).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("春节"), "{}", r.text());
        let r = upload(&app, "/office/admin/calendar", &s, "2030.csv", "2030-13-01,休,元旦\n".as_bytes()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("2030.csv"), "{}", r.text());
        let r = upload(&app, "/office/admin/calendar", &s, "2030.csv", "2030-01-01,休,元旦\n2030-01-05,班,元旦\n".as_bytes()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("导入 2 天"));
        let days = with_store(&app, |s| s.calendar().unwrap().year_summary(2030).workdays.len()).await;
        assert_eq!(days, 1);

        let r = app.get("/office/admin/ledger-config", &s).await;
        assert!(r.text().contains("value=\"15\""));
        let r = app.post_form("/office/admin/ledger-config", &s, &[("rating_days", "0"), ("since", "昨天")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("id=\"rating_days-err\"") && r.text().contains("id=\"since-err\""));
        let fields = [
            ("rating_callback_days", "2"), ("rating_days", "10"), ("ticket_consult_days", "3"),
            ("ticket_complaint_days", "13"), ("feedback_days", "15"), ("qr_days", "7"),
            ("assessment_days", "15"), ("manual_days", "15"), ("since", "2023-01-01"),
        ];
        let r = app.post_form("/office/admin/ledger-config", &s, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let c = with_store(&app, |s| s.ledger_config().unwrap()).await;
        assert_eq!((c.rating_days, c.qr_days, c.rating_callback_days), (10, 7, 2));

        let r = app.get("/office/admin/indicators", &s).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("内置默认配置"));
        let r = upload(&app, "/office/admin/indicators", &s, "新指标.toml", b"version = \"2024\"\ntitle = [unclosed\n").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("line 2") || r.text().contains("第 2 行"), "{}", r.text());
        let good = jianping_core::indicators::DEFAULT_TOML;
        let r = upload(&app, "/office/admin/indicators", &s, "新指标.toml", good.as_bytes()).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "no [indicators] file to replace");
        assert!(r.text().contains("校验通过"));
        let log = actions(&app).await;
        assert!(log.contains(&"calendar.import".to_string()) && log.contains(&"ledger.config".to_string()));
    }

    departments_are_added_and_renamed(backend) {
        let app = spawn_app(backend, seed).await;
        let s = app.login("admin").await;
        let r = app.post_form("/office/admin/catalog/departments", &s, &[("name", "乌海市数据局"), ("short_name", "市数据局")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("已添加部门"));
        let r = app.post_form("/office/admin/catalog/departments", &s, &[("name", "乌海市数据局")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("已存在"));
        let hall = with_store(&app, |s| s.hall_entries().unwrap()[0].id).await;
        let r = app.post_form(&format!("/office/admin/catalog/halls/{hall}/rename"), &s, &[("name", "乌海市民中心")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let name = with_store(&app, move |s| s.hall_entries().unwrap().into_iter().find(|h| h.id == hall).unwrap().name).await;
        assert_eq!(name, "乌海市民中心");
        let r = app.post_form(&format!("/office/admin/catalog/halls/{hall}/rename"), &s, &[("name", " ")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(actions(&app).await.contains(&"hall.rename".to_string()));
    }

    clerks_leaders_and_strangers_are_kept_out(backend) {
        let app = spawn_app(backend, seed).await;
        let anon = Session::default();
        let r = app.get("/office/admin/users", &anon).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        for who in ["clerk", "leader"] {
            let s = app.login(who).await;
            for path in ["/office/admin", "/office/admin/users", "/office/admin/windows", "/office/admin/devices",
                         "/office/admin/calendar", "/office/admin/ledger-config", "/office/admin/indicators",
                         "/office/admin/catalog"] {
                assert_eq!(app.get(path, &s).await.status, StatusCode::FORBIDDEN, "{who} {path}");
            }
            let r = app.post_form("/office/admin/users", &s, &[("username", "x"), ("role", "admin"), ("password", PASSWORD)]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{who} posting");
        }
    }
}

/// With `[indicators] file` configured, a valid upload replaces the file (the old one kept)
/// and is in force at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_indicator_upload_replaces_the_configured_file() {
    use jianping_core::indicators::DEFAULT_TOML;
    use jianping_web::{AppState, ServerSettings};
    use tower::ServiceExt;
    let dir = tempfile::tempdir().unwrap();
    let target = jianping_store::Target::Sqlite(dir.path().join("web.db"));
    std::fs::write(dir.path().join("indicators.toml"), DEFAULT_TOML).unwrap();
    let config = jianping_app::Config {
        source: Some(dir.path().join("jianping.toml")),
        indicators: jianping_app::config::IndicatorsConfig {
            file: Some("indicators.toml".into()),
        },
        ..Default::default()
    };
    let t = target.clone();
    let state = tokio::task::spawn_blocking(move || {
        let mut s = Store::open(&t).unwrap();
        user(&mut s, "admin", UserRole::Admin, None);
        drop(s);
        AppState::open(&t, config, ServerSettings::new("http://jianping.test")).unwrap()
    })
    .await
    .unwrap();
    let router = jianping_web::router(state.clone());
    let send = |req: Request<Body>| {
        let router = router.clone();
        async move {
            let r = router.oneshot(req).await.unwrap();
            let status = r.status();
            let headers = r.headers().clone();
            let body = http_body_util::BodyExt::collect(r.into_body())
                .await
                .unwrap()
                .to_bytes()
                .to_vec();
            Answer {
                status,
                headers,
                body,
            }
        }
    };
    let login = send(
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("username=admin&password={PASSWORD}")))
            .unwrap(),
    )
    .await;
    let cookie = login
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();
    let page = send(
        Request::get("/office/admin/indicators")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page.text().contains("jianping-2024.1"), "{}", page.text());
    let csrf = common::hidden_csrf(&page.text()).unwrap();

    let new = DEFAULT_TOML.replace("version = \"jianping-2024.1\"", "version = \"乌海-2025\"");
    let mut b = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"2025.toml\"\r\n\r\n"
    )
    .into_bytes();
    b.extend_from_slice(new.as_bytes());
    b.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let r = send(
        Request::post("/office/admin/indicators")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::COOKIE, &cookie)
            .body(Body::from(b))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("已启用 2025.toml"), "{}", r.text());
    assert!(
        std::fs::read_to_string(dir.path().join("indicators.toml"))
            .unwrap()
            .contains("乌海-2025")
    );
    let backups = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".bak")
        })
        .count();
    assert_eq!(backups, 1, "the old file is kept");
    assert_eq!(
        state.config().indicator_config().unwrap().version,
        "乌海-2025"
    );
    tokio::task::block_in_place(move || {
        drop(router);
        drop(state);
    });
}
