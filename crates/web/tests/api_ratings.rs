//! `POST /api/v1/ratings` and `/ratings/batch`: durable before 201, duplicates counted
//! once, bad ratings open their ledger item, field-level 422s, device keys and staff
//! sessions, one 首评 and one 追评 per case; and the OpenAPI document lists the paths.

mod common;
mod pad_seed;

use axum::http::StatusCode;
use common::Session;
use pad_seed::{app, count, rows, with_key};
use serde_json::json;

both_backends! {
    a_rating_is_stored_counted_and_a_retry_is_a_duplicate(backend) {
        let (app, keys) = app(backend).await;
        let body = json!({
            "rating_no": "API-0001", "case_no": "C-0001", "grade": "满意",
            "matter_name": "居民身份证换领", "matter_code": "M-ID", "staff": "张敏",
            "tags": ["服务效率", "服务态度"], "comment": "办得很快",
            // A device cannot move its rating to another window.
            "window": "W003",
        });
        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(r.json()["outcome"], "stored");
        assert_eq!(r.json()["rating_no"], "API-0001");
        assert!(r.json()["ledger_item"].is_null());
        let stored = rows(
            &app,
            "SELECT w.code, d.name, r.channel, r.device, r.tags, r.attempt, r.case_no
             FROM ratings r JOIN windows w ON w.id = r.window_id
             JOIN departments d ON d.id = r.department_id WHERE r.rating_no = ?",
            vec!["API-0001".into()],
        )
        .await;
        let want = [
            "W001", pad_seed::POLICE, "4", &format!("#{}", keys.w1_id), "服务效率、服务态度", "1", "C-0001",
        ];
        let got: Vec<String> = stored[0].iter().map(|v| v.clone().unwrap_or_default()).collect();
        assert_eq!(got, want);
        let counted = "SELECT CAST(SUM(n) AS BIGINT) FROM rating_daily";
        assert_eq!(count(&app, counted, vec![]).await, 1);

        let again = with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &body).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.text());
        assert_eq!(again.json()["outcome"], "duplicate");
        assert_eq!(count(&app, counted, vec![]).await, 1, "a retry is counted once");

        let bad = json!({ "rating_no": "API-0002", "grade": "非常不满意", "comment": "让我跑了三趟" });
        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &bad).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let item = r.json()["ledger_item"].as_str().expect("a ledger item").to_string();
        assert!(item.starts_with("ZG"), "{item}");
        let n = count(
            &app,
            "SELECT COUNT(*) FROM ledger_items WHERE item_no = ? AND source_no = ?",
            vec![item.as_str().into(), "API-0002".into()],
        )
        .await;
        assert_eq!(n, 1);
        // Numeric codes in the provincial interface's order (5 = 非常满意).
        let coded = json!({ "rating_no": "API-0003", "grade": 5, "grade_codes": "interface" });
        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w3, &coded).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let g = rows(&app, "SELECT grade FROM ratings WHERE rating_no = ?", vec!["API-0003".into()]).await;
        assert_eq!(g[0][0].as_deref(), Some("1"));
    }

    invalid_ratings_get_field_level_chinese_messages(backend) {
        let (app, keys) = app(backend).await;
        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w1,
            &json!({ "rating_no": "", "grade": "极好", "attempt": 3 })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let fields = r.json()["error"]["fields"].clone();
        let field = |name: &str| fields.as_array().unwrap().iter()
            .find(|f| f["field"] == name)
            .map(|f| f["message"].as_str().unwrap().to_string());
        assert!(field("rating_no").unwrap().contains("评价编号"), "{fields}");
        assert!(field("grade").unwrap().contains("满意度"), "{fields}");
        assert!(field("attempt").unwrap().contains("追评"), "{fields}");

        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w1,
            &json!({ "rating_no": "X1", "grade": "满意", "rated_at": "明天" })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["fields"][0]["field"], "rated_at");

        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &json!("不是对象")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.json()["error"]["message"].as_str().unwrap().contains("JSON"));

        // A window without a department cannot hold a rating.
        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w2,
            &json!({ "rating_no": "X2", "grade": "满意" })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("未关联部门"), "{}", r.text());
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings", vec![]).await, 0);
    }

    keys_and_sessions_are_checked(backend) {
        let (app, keys) = app(backend).await;
        let body = json!({ "rating_no": "K-1", "grade": "满意", "window": "W003", "channel": "电话" });
        let anon = app.json("POST", "/api/v1/ratings", &Session::default(), &body).await;
        assert_eq!(anon.status, StatusCode::UNAUTHORIZED, "{}", anon.text());
        let unknown = with_key(&app, "POST", "/api/v1/ratings", "jpk_nonsense", &body).await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
        let revoked = with_key(&app, "POST", "/api/v1/ratings", &keys.revoked, &body).await;
        assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
        assert!(revoked.text().contains("停用"), "{}", revoked.text());

        let admin = app.login("admin").await;
        let no_csrf = Session { csrf: String::new(), ..admin.clone() };
        let r = app.json("POST", "/api/v1/ratings", &no_csrf, &body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let leader = app.login("leader").await;
        let r = app.json("POST", "/api/v1/ratings", &leader, &body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "a read-only role: {}", r.text());
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings", vec![]).await, 0);

        // Staff name the window (resolved, never created) and the channel.
        let r = app.json("POST", "/api/v1/ratings", &admin, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let who = rows(&app, "SELECT r.account, w.code, r.channel FROM ratings r JOIN windows w ON w.id = r.window_id", vec![]).await;
        assert_eq!(who[0], vec![Some("admin".into()), Some("W003".into()), Some("6".into())]);
        let r = app.json("POST", "/api/v1/ratings", &admin,
            &json!({ "rating_no": "K-2", "grade": "满意", "window": "W999", "channel": "电话" })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(r.json()["error"]["fields"][0]["field"], "window");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM windows", vec![]).await, 3);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'rating.submit'", vec![]).await, 1);
    }

    a_case_gets_one_first_rating_and_one_follow_up(backend) {
        let (app, keys) = app(backend).await;
        let first = json!({ "rating_no": "P-1", "case_no": "CASE-9", "grade": "满意" });
        assert_eq!(with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &first).await.status, StatusCode::CREATED);
        let other = json!({ "rating_no": "P-2", "case_no": "CASE-9", "grade": "不满意" });
        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &other).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert!(r.text().contains("已有首评"), "{}", r.text());
        let follow = json!({ "rating_no": "P-3", "case_no": "CASE-9", "grade": "非常满意", "attempt": 2 });
        assert_eq!(with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &follow).await.status, StatusCode::CREATED);
        let again = json!({ "rating_no": "P-4", "case_no": "CASE-9", "grade": "满意", "attempt": 2 });
        assert_eq!(with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &again).await.status, StatusCode::CONFLICT);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings", vec![]).await, 2);
    }

    a_batch_answers_each_rating(backend) {
        let (app, keys) = app(backend).await;
        let body = json!({ "ratings": [
            { "rating_no": "B-1", "grade": "满意" },
            { "rating_no": "B-2", "grade": "差不多" },
            { "rating_no": "B-3", "grade": "不满意", "comment": "等了很久" },
        ]});
        let r = with_key(&app, "POST", "/api/v1/ratings/batch", &keys.w3, &body).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let j = r.json();
        assert_eq!((j["stored"].as_u64(), j["failed"].as_u64()), (Some(2), Some(1)), "{j}");
        assert_eq!(j["results"][1]["status"], 422);
        assert!(j["results"][1]["message"].as_str().unwrap().contains("满意度"));
        assert!(j["results"][2]["receipt"]["ledger_item"].is_string(), "{j}");
        let too_many: Vec<_> = (0..501).map(|i| json!({ "rating_no": format!("T{i}"), "grade": "满意" })).collect();
        let r = with_key(&app, "POST", "/api/v1/ratings/batch", &keys.w3, &json!({ "ratings": too_many })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings", vec![]).await, 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_the_intake_paths() {
    let (app, _) = app(common::Backend::Sqlite).await;
    let r = app.get("/api/openapi.json", &Session::default()).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    for path in [
        "/api/v1/ratings",
        "/api/v1/ratings/batch",
        "/api/v1/pads/cases",
        "/api/v1/complaints",
        "/api/v1/complaints/{report_no}",
        "/api/v1/complaints/categories",
    ] {
        assert!(
            doc["paths"][path]["post"].is_object() || doc["paths"][path]["get"].is_object(),
            "{path} missing"
        );
    }
    assert!(doc["components"]["schemas"]["RatingIn"].is_object());
}
