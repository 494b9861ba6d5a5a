//! Hall pads: sign-in by device key into an HttpOnly cookie, the idle screen, a case posted
//! by the window's business system reaching the pad's event stream, the rating stored once
//! (a second one for the same case refused), and the case API's checks.

mod common;
mod pad_seed;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Answer, Session, TestApp, form_encode};
use http_body_util::BodyExt;
use pad_seed::{app, count, rows, with_key};
use serde_json::json;
use std::time::Duration;
use tower::ServiceExt;

/// Signs the pad in with `/pad?key=…` and returns its cookie.
async fn sign_in(app: &TestApp, key: &str) -> String {
    let r = app
        .get(&format!("/pad?key={key}"), &Session::default())
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location().as_deref(), Some("/pad"));
    let set = r
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

fn pad_session(cookie: &str) -> Session {
    Session {
        cookie: Some(cookie.to_string()),
        csrf: String::new(),
    }
}

async fn pad_form(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> Answer {
    let req = Request::post("/pad/rate")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(form_encode(fields)))
        .unwrap();
    app.send(req).await
}

async fn post_case(app: &TestApp, key: &str, case_no: &str) -> Answer {
    with_key(
        app,
        "POST",
        "/api/v1/pads/cases",
        key,
        &json!({ "case_no": case_no, "matter_name": "居民身份证换领", "matter_code": "M-ID", "staff": "张敏" }),
    )
    .await
}

both_backends! {
    a_pad_signs_in_and_shows_its_window(backend) {
        let (app, keys) = app(backend).await;
        let r = app.get("/pad", &Session::default()).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("设备密钥"), "the sign-in form");
        let r = app.get("/pad?key=jpk_wrong", &Session::default()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = app.get(&format!("/pad?key={}", keys.revoked), &Session::default()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);

        let cookie = sign_in(&app, &keys.w1).await;
        let idle = app.get("/pad", &pad_session(&cookie)).await;
        assert_eq!(idle.status, StatusCode::OK);
        let html = idle.text();
        assert!(html.contains("公安综合窗口") && html.contains(pad_seed::POLICE) && html.contains("欢迎"), "{html}");
        assert!(html.contains("data-screen=\"idle\"") && html.contains("/assets/pad.js"));
        assert!(!html.contains("<script>"), "no inline scripts");
        let js = app.get("/assets/pad.js", &Session::default()).await;
        assert_eq!(js.status, StatusCode::OK);
        assert!(js.text().contains("EventSource"));
        let events = app.get("/pad/events", &Session::default()).await;
        assert_eq!(events.status, StatusCode::UNAUTHORIZED, "the stream needs the pad's cookie");
    }

    a_posted_case_reaches_the_pads_event_stream(backend) {
        let (app, keys) = app(backend).await;
        let cookie = sign_in(&app, &keys.w1).await;
        let req = Request::get("/pad/events")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap();
        let res = app.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
        let mut body = res.into_body();
        let mut next_event = async || -> String {
            loop {
                let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
                    .await
                    .expect("an event within 5 s")
                    .expect("the stream stays open")
                    .unwrap();
                if let Ok(data) = frame.into_data() {
                    let text = String::from_utf8_lossy(&data).into_owned();
                    if text.contains("event: screen") {
                        return text;
                    }
                }
            }
        };
        let first = next_event().await;
        assert!(first.contains("\"screen\":\"idle\""), "the current screen comes first: {first}");

        // Another window's case does not reach this pad; its own does.
        let r = post_case(&app, &keys.w3, "OTHER-1").await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
        let r = post_case(&app, &keys.w1, "SL-2026-0001").await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
        assert_eq!(r.json()["pads_listening"], 1);
        let ev = next_event().await;
        assert!(ev.contains("SL-2026-0001") && ev.contains("\"screen\":\"rate\"") && ev.contains("张敏"), "{ev}");
        assert!(!ev.contains("OTHER-1"));

        let page = app.get("/pad", &pad_session(&cookie)).await;
        let html = page.text();
        assert!(html.contains("SL-2026-0001") && html.contains("居民身份证换领") && html.contains("张敏"), "{html}");
        assert!(html.contains("非常不满意") && html.contains("服务态度") && html.contains("action=\"/pad/rate\""));

        // At shutdown the stream ends, so a graceful shutdown does not wait for the pads.
        app.state().pads().close();
        let ended = tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(frame) = body.frame().await {
                frame.unwrap();
            }
        })
        .await;
        assert!(ended.is_ok(), "closing the hub ends the event stream");
    }

    the_pads_rating_is_stored_once(backend) {
        let (app, keys) = app(backend).await;
        let cookie = sign_in(&app, &keys.w1).await;
        let r = post_case(&app, &keys.w1, "SL-2026-0002").await;
        let seq = r.json()["seq"].as_u64().unwrap().to_string();
        let fields = [
            ("seq", seq.as_str()),
            ("case_no", "SL-2026-0002"),
            ("tag_attitude", "1"),
            ("comment", "窗口人员态度冷淡"),
            ("grade", "非常不满意"),
        ];
        let r = pad_form(&app, &cookie, &fields).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("感谢您的评价"));
        let stored = rows(
            &app,
            "SELECT r.channel, r.grade, r.tags, r.attempt, w.code, r.device FROM ratings r
             JOIN windows w ON w.id = r.window_id WHERE r.rating_no = ?",
            vec!["PAD-SL-2026-0002-1".into()],
        )
        .await;
        assert_eq!(stored.len(), 1);
        let device = format!("#{}", keys.w1_id);
        let want = ["4", "5", "服务态度", "1", "W001", device.as_str()];
        assert_eq!(stored[0].iter().map(|v| v.clone().unwrap()).collect::<Vec<_>>(), want);
        let items = "SELECT COUNT(*) FROM ledger_items WHERE source_no = 'PAD-SL-2026-0002-1'";
        assert_eq!(count(&app, items, vec![]).await, 1, "the bad rating is on the ledger");
        let idle = app.get("/pad", &pad_session(&cookie)).await;
        assert!(idle.text().contains("data-screen=\"idle\""), "back to idle after the rating");

        // The same form again, and the same case sent again: refused, nothing counted twice.
        let r = pad_form(&app, &cookie, &fields).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        let r = post_case(&app, &keys.w1, "SL-2026-0002").await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert!(r.text().contains("已在评价器上评价"), "{}", r.text());
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings", vec![]).await, 1);

        // A pad of another window cannot rate this window's case.
        let other = sign_in(&app, &keys.w3).await;
        post_case(&app, &keys.w1, "SL-2026-0003").await;
        let r = pad_form(&app, &other, &[("seq", "999"), ("case_no", "SL-2026-0003"), ("grade", "非常满意")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings", vec![]).await, 1);
    }

    the_case_api_checks_its_input(backend) {
        let (app, keys) = app(backend).await;
        let r = app.json("POST", "/api/v1/pads/cases", &Session::default(), &json!({ "case_no": "A" })).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = with_key(&app, "POST", "/api/v1/pads/cases", &keys.w1, &json!({ "case_no": " " })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["fields"][0]["field"], "case_no");
        let long = "长".repeat(60);
        let r = with_key(&app, "POST", "/api/v1/pads/cases", &keys.w1, &json!({ "case_no": long })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // A case already rated through the API is not shown again.
        let rated = json!({ "rating_no": "EXT-1", "case_no": "SL-9", "grade": "满意" });
        assert_eq!(with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &rated).await.status, StatusCode::CREATED);
        let r = post_case(&app, &keys.w1, "SL-9").await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text().contains("EXT-1"), "{}", r.text());
    }
}
