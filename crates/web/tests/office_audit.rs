//! The audit log: the auditor's alone (403 for everyone else), filtered and paged, with the
//! log of unmasked views; the CSV export neutralises spreadsheet formulas.

mod common;
mod office_city;

use axum::http::StatusCode;
use common::{Session, spawn_app};
use office_city::{bad_item, seed_city};

both_backends! {
    only_the_auditor_reads_the_logs_and_filters_work(backend) {
        let app = spawn_app(backend, seed_city).await;
        let no = bad_item(&app).await;
        let clerk = app.login("clerk_a").await;
        // A claim with a note that looks like a formula, and a contact view.
        let r = app.post_form(&format!("/office/ledger/{no}/step/claim"), &clerk, &[("note", "=HYPERLINK(\"http://x\")")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let r = app.post_form(&format!("/office/ledger/{no}/contact"), &clerk, &[("reason", "差评回访")]).await;
        assert_eq!(r.status, StatusCode::OK);

        for who in ["admin", "clerk_a", "leader"] {
            let s = app.login(who).await;
            assert_eq!(app.get("/office/audit", &s).await.status, StatusCode::FORBIDDEN, "{who}");
            assert_eq!(app.get("/office/audit/export", &s).await.status, StatusCode::FORBIDDEN, "{who}");
        }
        let r = app.get("/office/audit", &Session::default()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);

        let auditor = app.login("auditor").await;
        let r = app.get("/office/audit?user=clerk_a&action=ledger.", &auditor).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let html = r.text();
        assert!(html.contains("ledger.claim") && html.contains("ledger.contact"), "{html}");
        let r = app.get("/office/audit?action=ledger.claim", &auditor).await;
        assert!(r.text().contains("<td>ledger.claim</td>") && !r.text().contains("<td>ledger.contact</td>"), "filtered by action");
        let r = app.get("/office/audit?user=nobody", &auditor).await;
        assert!(r.text().contains("没有符合条件的记录"));
        let r = app.get("/office/audit?from=2030-01-01&to=2020-01-01&user=clerk_a", &auditor).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.text().contains("截止日期不能早于起始日期") && r.text().contains("value=\"clerk_a\""));

        let r = app.get("/office/audit?log=views&user=clerk_a", &auditor).await;
        assert!(r.text().contains("差评回访"), "the unmasked view is logged: {}", r.text());

        let r = app.get("/office/audit/export?user=clerk_a", &auditor).await;
        assert_eq!(r.status, StatusCode::OK);
        let csv = r.text();
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
        assert!(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"), "{csv}");
    }
}
