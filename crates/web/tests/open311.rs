//! Open311 GeoReport v2 and `/api/v1/complaints`: the categories, a complaint filed with a
//! device key becomes a QR report with its ledger item, and reading it back shows its
//! status and nothing personal.

mod common;
mod pad_seed;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Answer, Session, TestApp, form_encode};
use pad_seed::{app, count, execute, rows, with_key};
use serde_json::json;

async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Answer {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form_encode(fields)))
        .unwrap();
    app.send(req).await
}

const PHONE: &str = "13912345678";

both_backends! {
    services_list_the_categories_and_xml_is_refused(backend) {
        let (app, _) = app(backend).await;
        let r = app.get("/open311/v2/services.json", &Session::default()).await;
        assert_eq!(r.status, StatusCode::OK);
        let list = r.json();
        let names: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["service_name"].as_str().unwrap()).collect();
        assert!(names.contains(&"政务服务") && names.contains(&"重点项目投资建设"), "{names:?}");
        assert_eq!(list[0]["metadata"], false);
        let r = app.get("/open311/v2/services.xml", &Session::default()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.json()[0]["description"].as_str().unwrap().contains("JSON"));
        let r = app.get("/open311/v2/services/government-service.json", &Session::default()).await;
        assert_eq!(r.status, StatusCode::OK);
    }

    a_request_is_filed_on_the_ledger_and_read_back_without_personal_data(backend) {
        let (app, keys) = app(backend).await;
        let description = format!("窗口工作人员态度差，请回电 {PHONE}");
        let fields = [
            ("api_key", keys.w1.as_str()),
            ("service_code", "government-service"),
            ("description", description.as_str()),
            ("first_name", "小明"),
            ("last_name", "李"),
            ("phone", PHONE),
            ("lat", "39.65"),
            ("long", "106.8"),
        ];
        let r = post_form(&app, "/open311/v2/requests.json", &fields).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()[0]["service_request_id"].as_str().unwrap().to_string();
        assert!(r.json()[0]["service_notice"].as_str().unwrap().contains("ZG"), "{}", r.text());
        let stored = rows(
            &app,
            "SELECT q.reporter_name, q.reporter_phone, q.domain, w.code, d.name, l.state
             FROM qr_reports q JOIN windows w ON w.id = q.window_id
             JOIN departments d ON d.id = q.department_id
             JOIN ledger_items l ON l.source_kind = 'qr_report' AND l.source_id = q.id
             WHERE q.report_no = ?",
            vec![id.as_str().into()],
        )
        .await;
        assert_eq!(stored.len(), 1, "stored with its ledger item");
        let want = ["李小明", PHONE, "政务服务", "W001", pad_seed::POLICE, "unclaimed"];
        assert_eq!(stored[0].iter().map(|v| v.clone().unwrap()).collect::<Vec<_>>(), want);

        let r = app.get(&format!("/open311/v2/requests/{id}.json"), &Session::default()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let one = r.json()[0].clone();
        assert_eq!(one["status"], "open");
        assert_eq!(one["service_code"], "government-service");
        assert_eq!(one["agency_responsible"], pad_seed::POLICE);
        assert!(one["status_notes"].as_str().unwrap().contains("待认领"), "{one}");
        let text = r.text();
        assert!(!text.contains(PHONE) && !text.contains("李小明") && !text.contains("小明"), "{text}");
        assert!(one["description"].as_str().unwrap().contains("态度差"));

        let r = app.get("/open311/v2/requests.json?status=open", &Session::default()).await;
        assert_eq!(r.json().as_array().unwrap().len(), 1, "{}", r.text());
        let r = app.get("/open311/v2/requests.json?status=closed", &Session::default()).await;
        assert_eq!(r.json().as_array().unwrap().len(), 0);

        // Closed on the ledger → closed in Open311.
        execute(&app, "UPDATE ledger_items SET state = 'closed' WHERE source_kind = 'qr_report'", vec![]).await;
        let r = app.get(&format!("/open311/v2/requests.json?service_request_id={id}"), &Session::default()).await;
        assert_eq!(r.json()[0]["status"], "closed", "{}", r.text());

        let r = app.get("/open311/v2/requests/MS-NOPE.json", &Session::default()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app.get(&format!("/open311/v2/requests/{id}.xml"), &Session::default()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    }

    filing_needs_a_valid_key_and_a_known_service(backend) {
        let (app, keys) = app(backend).await;
        let r = post_form(&app, "/open311/v2/requests.json",
            &[("service_code", "government-service"), ("description", "问题")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = post_form(&app, "/open311/v2/requests.json",
            &[("api_key", keys.revoked.as_str()), ("service_code", "government-service"), ("description", "问题")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = post_form(&app, "/open311/v2/requests.json",
            &[("api_key", keys.w1.as_str()), ("service_code", "parking"), ("description", "问题")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.json()[0]["description"].as_str().unwrap().contains("问题类别"), "{}", r.text());
        assert_eq!(count(&app, "SELECT COUNT(*) FROM qr_reports", vec![]).await, 0);
    }

    the_complaints_api_files_and_follows(backend) {
        let (app, keys) = app(backend).await;
        let body = json!({ "category": "重点项目投资建设", "content": "项目手续推进缓慢", "reporter_phone": PHONE });
        let r = app.json("POST", "/api/v1/complaints", &Session::default(), &body).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = with_key(&app, "POST", "/api/v1/complaints", &keys.w3, &json!({ "category": "重点项目投资建设", "content": " " })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["fields"][0]["field"], "content");
        let r = with_key(&app, "POST", "/api/v1/complaints", &keys.w3, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let no = r.json()["report_no"].as_str().unwrap().to_string();
        assert!(r.json()["ledger_item"].is_string());
        let r = app.get(&format!("/api/v1/complaints/{no}"), &Session::default()).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["status"], "open");
        assert_eq!(r.json()["department"], pad_seed::SOCIAL);
        assert!(!r.text().contains(PHONE));
        let r = app.get("/api/v1/complaints/categories", &Session::default()).await;
        assert!(r.json().as_array().unwrap().len() >= 5);
        assert_eq!(app.get("/api/v1/complaints/NOPE", &Session::default()).await.status, StatusCode::NOT_FOUND);
    }
}
