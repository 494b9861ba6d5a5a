//! The intake API's rate limits (`[limits]` in jianping.toml): a burst past the per-key
//! limit is answered 429 with `Retry-After` and a Chinese JSON error while another key
//! goes on; the per-address limit holds whatever keys a client presents.

mod common;
mod pad_seed;

use axum::http::{StatusCode, header};
use pad_seed::{app_with, count, with_key};
use serde_json::json;

fn config(key_burst: u32, address_burst: u32) -> jianping_app::Config {
    let mut c = jianping_app::Config::default();
    // Refill so slow (one an hour) that the test cannot race it.
    c.limits.api_key_burst = Some(key_burst);
    c.limits.api_key_per_sec = Some(1.0 / 3600.0);
    c.limits.api_address_burst = Some(address_burst);
    c.limits.api_address_per_sec = Some(1.0 / 3600.0);
    c
}

both_backends! {
    a_burst_past_the_key_limit_gets_429_and_another_key_is_unaffected(backend) {
        let (app, keys) = app_with(backend, config(3, 0)).await;
        for i in 0..3 {
            let body = json!({ "rating_no": format!("LIM-{i}"), "grade": "满意" });
            let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
        let body = json!({ "rating_no": "LIM-3", "grade": "满意" });
        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &body).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
        let wait: u64 = r.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
        assert!((3000..=3600).contains(&wait), "Retry-After {wait}");
        assert_eq!(r.json()["error"]["code"], "rate_limited");
        assert!(r.json()["error"]["message"].as_str().unwrap().contains("请求过于频繁"));
        let stored = "SELECT COUNT(*) FROM ratings WHERE rating_no = 'LIM-3'";
        assert_eq!(count(&app, stored, vec![]).await, 0, "a refused rating is not stored");
        // The batch path shares the key's bucket.
        let batch = json!({ "ratings": [{ "rating_no": "LIM-4", "grade": "满意" }] });
        let r = with_key(&app, "POST", "/api/v1/ratings/batch", &keys.w1, &batch).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());

        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w3, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "another key is unaffected: {}", r.text());
    }

    the_address_limit_holds_across_keys(backend) {
        let (app, keys) = app_with(backend, config(0, 2)).await;
        let one = json!({ "rating_no": "ADR-1", "grade": "满意" });
        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w1, &one).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let two = json!({ "rating_no": "ADR-2", "grade": "满意" });
        let r = with_key(&app, "POST", "/api/v1/ratings", &keys.w3, &two).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let three = json!({ "rating_no": "ADR-3", "grade": "满意" });
        let r = with_key(&app, "POST", "/api/v1/ratings", "jpk_made_up", &three).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
        assert!(r.headers.contains_key(header::RETRY_AFTER));
        // Reads are not intake writes and are not counted.
        let req = axum::http::Request::get("/healthz").body(axum::body::Body::empty()).unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::OK);
    }
}
