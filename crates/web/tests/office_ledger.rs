//! The ledger in the back office: the list, the item page, every step through the store's
//! workflow with the session's principal, evidence files, contacts in clear, and the
//! refusals (403 for another department's item or a leader's post, 409 for a step the
//! item's state no longer allows, 422 with the input kept for bad input).

mod common;
mod office_city;

use axum::http::StatusCode;
use common::{Session, spawn_app};
use jianping_core::ledger::SourceKind;
use office_city::{BAD_RATING, bad_item, post_multipart, seed_city};

both_backends! {
    a_bad_rating_goes_the_whole_way_and_the_trail_shows_each_step(backend) {
        let app = spawn_app(backend, seed_city).await;
        let no = bad_item(&app).await;
        let item = format!("/office/ledger/{no}");
        let clerk = app.login("clerk_a").await;

        // The list shows the department's item; the item page offers the claim.
        let r = app.get("/office/ledger", &clerk).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains(&no), "{}", r.text());
        let r = app.get(&item, &clerk).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains(&format!("{item}/step/claim")));

        let r = app.post_form(&format!("{item}/step/claim"), &clerk, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        // A second claim (another tab, a colleague a moment later) meets the changed state.
        let r = app.post_form(&format!("{item}/step/claim"), &clerk, &[]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert!(r.text().contains("查看事项"), "the 409 page says what to do");

        // Measures without text are refused with the evidence form kept.
        let r = post_multipart(&app, &format!("{item}/rectify"), &clerk, &[("measures", "  ")], &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("请写明整改措施"), "{}", r.text());

        let png: &[u8] = b"\x89PNG\r\n\x1a\nevidence-bytes";
        let measures = "已向评价人致歉，补充一次性告知清单 <script>alert(1)</script>";
        let r = post_multipart(
            &app,
            &format!("{item}/rectify"),
            &clerk,
            &[("measures", measures)],
            &[("evidence", "告知清单.png", png)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = app.get(&item, &clerk).await.text();
        assert!(page.contains("&lt;script&gt;alert(1)"), "{page}");
        assert!(!page.contains("<script>alert(1)"), "a measure's text is escaped");
        let at = page.find(&format!("{item}/files/")).expect("a download link");
        let link: String = page[at..].chars().take_while(|c| *c != '"').collect();
        let file = app.get(&link, &clerk).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.body, png);
        // Another department's clerk may not download it.
        let other = app.login("clerk_b").await;
        assert_eq!(app.get(&link, &other).await.status, StatusCode::FORBIDDEN);

        // 回访, then the bureau closes.
        let r = app.post_form(&format!("{item}/step/callback"), &clerk, &[("response", "1"), ("note", "评价人表示满意")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let admin = app.login("admin").await;
        let r = app.post_form(&format!("{item}/step/close"), &admin, &[("note", "核验属实")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

        let page = app.get(&item, &admin).await.text();
        for step in ["登记", "认领", "提交整改", "回访", "核验销号", "告知清单.png", "已办结"] {
            assert!(page.contains(step), "the trail shows {step}: {page}");
        }
        // Each write is in the audit log.
        let logged = app.state().db(|s| Ok(s.audit_log(100, None)?)).await.unwrap();
        let actions: Vec<&str> = logged.iter().map(|e| e.action.as_str()).collect();
        for a in ["ledger.claim", "ledger.rectify", "ledger.callback", "ledger.close"] {
            assert!(actions.contains(&a), "{a} in {actions:?}");
        }
    }

    another_departments_clerk_and_a_leader_are_refused(backend) {
        let app = spawn_app(backend, seed_city).await;
        let no = bad_item(&app).await;
        let item = format!("/office/ledger/{no}");
        let other = app.login("clerk_b").await;
        assert_eq!(app.get(&item, &other).await.status, StatusCode::FORBIDDEN);
        let r = app.post_form(&format!("{item}/step/claim"), &other, &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let r = app.post_form(&format!("{item}/contact"), &other, &[("reason", "回访")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // B's list does not show A's item.
        assert!(!app.get("/office/ledger", &other).await.text().contains(&no));

        let leader = app.login("leader").await;
        let r = app.get(&item, &leader).await;
        assert_eq!(r.status, StatusCode::OK, "a leader reads");
        assert!(!r.text().contains("/step/claim"), "and is offered no step");
        let r = app.post_form(&format!("{item}/step/claim"), &leader, &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app.post_form(&format!("{item}/contact"), &leader, &[("reason", "看看")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let auditor = app.login("auditor").await;
        assert_eq!(app.get("/office/ledger", &auditor).await.status, StatusCode::FORBIDDEN);

        // Unauthenticated: to the login page.
        let anon = Session::default();
        let r = app.get(&item, &anon).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().unwrap().starts_with("/login?next="));
        let r = app.post_form(&format!("{item}/step/claim"), &anon, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }

    contacts_are_masked_until_asked_for_with_a_reason_and_logged(backend) {
        let app = spawn_app(backend, seed_city).await;
        let no = bad_item(&app).await;
        let item = format!("/office/ledger/{no}");
        let clerk = app.login("clerk_a").await;
        let page = app.get(&item, &clerk).await.text();
        assert!(page.contains("查看联系方式"));
        let phone = app.state().db(|s| {
            let r = s.backend().query("SELECT rater_phone FROM ratings WHERE rating_no = ?", &[BAD_RATING.into()])?;
            Ok(jianping_store::RowExt::text(&r[0], 0))
        }).await.unwrap();
        assert!(!phone.is_empty());
        assert!(!page.contains(&phone), "masked on the page");
        // No reason: refused, nothing shown.
        let r = app.post_form(&format!("{item}/contact"), &clerk, &[("reason", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!r.text().contains(&phone));
        let r = app.post_form(&format!("{item}/contact"), &clerk, &[("reason", "差评回访")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains(&phone));
        let auditor = jianping_core::access::Principal::auditor("审计");
        let log = app.state().db(move |s| Ok(s.access_log(&auditor, 10)?)).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].reason.as_deref(), Some("差评回访"));
    }

    bad_input_keeps_what_was_typed_and_filters_validate(backend) {
        let app = spawn_app(backend, seed_city).await;
        let no = bad_item(&app).await;
        let item = format!("/office/ledger/{no}");
        let clerk = app.login("clerk_a").await;
        let r = app.post_form(&format!("{item}/step/extension_request"), &clerk, &[("days", "abc"), ("reason", "需协调市局")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("延期天数须为"), "{}", r.text());
        assert!(r.text().contains("value=\"需协调市局\""), "the reason typed is kept");
        let r = app.post_form(&format!("{item}/step/return"), &clerk, &[("reason", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // A step the role may never take (a clerk closing) is a 403.
        let r = app.post_form(&format!("{item}/step/close"), &clerk, &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        // Without the CSRF token: refused.
        let forged = Session { csrf: "x".into(), ..clerk.clone() };
        assert_eq!(app.post_form(&format!("{item}/step/claim"), &forged, &[]).await.status, StatusCode::FORBIDDEN);

        let r = app.get("/office/ledger?from=2023-12-01&to=2023-01-01&q=%E5%A4%B1%E4%B8%9A", &clerk).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.text().contains("截止日期不能早于起始日期"));
        assert!(r.text().contains("value=\"失业\""), "the search text is kept");
        // Filters and search narrow the list.
        let r = app.get("/office/ledger?source=rating&q=%E5%A4%B1%E4%B8%9A", &clerk).await;
        assert!(r.text().contains(&no));
        let r = app.get("/office/ledger?source=ticket", &clerk).await;
        assert!(!r.text().contains(&no));
    }

    the_filtered_list_exports_as_xlsx_and_csv(backend) {
        let app = spawn_app(backend, seed_city).await;
        let admin = app.login("admin").await;
        let r = app.get("/office/ledger/export?format=csv&source=rating", &admin).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let csv = r.text();
        assert!(csv.starts_with('\u{feff}'));
        let items = app.state().db(|s| {
            let f = jianping_store::ledger::LedgerFilter { source: Some(SourceKind::Rating), ..Default::default() };
            Ok(s.ledger_items(&jianping_core::access::Principal::admin("t"), &f, chrono::Local::now().date_naive())?)
        }).await.unwrap();
        assert!(!items.is_empty());
        assert_eq!(csv.trim_end().lines().count(), items.len() + 1, "{csv}");
        let r = app.get("/office/ledger/export?format=xlsx", &admin).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.starts_with(b"PK"), "an XLSX is a zip");
        assert_eq!(app.get("/office/ledger/export?format=pdf", &admin).await.status, StatusCode::BAD_REQUEST);
    }

    extensions_appeals_reassignment_reopening_and_topics_go_through_the_forms(backend) {
        let app = spawn_app(backend, seed_city).await;
        let no = bad_item(&app).await;
        let item = format!("/office/ledger/{no}");
        let clerk = app.login("clerk_a").await;
        let admin = app.login("admin").await;
        let ok = |r: &common::Answer| assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

        // 申请延期 → 批准: the due day moves.
        let before = app.get(&item, &clerk).await.text();
        ok(&app.post_form(&format!("{item}/step/extension_request"), &clerk, &[("days", "5"), ("reason", "需市局协调")]).await);
        let r = app.post_form(&format!("{item}/step/extension_decide"), &admin, &[("decision", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a decision must be chosen");
        ok(&app.post_form(&format!("{item}/step/extension_decide"), &admin, &[("decision", "approve"), ("note", "同意")]).await);
        let after = app.get(&item, &clerk).await.text();
        assert!(after.contains("批准延期") && after.contains("approved"), "{after}");
        assert_ne!(before, after);

        // A topic correction from the dictionary's list.
        let topic = app.state().db(|s| Ok(s.topic_dictionary()?.names()[0].to_string())).await.unwrap();
        ok(&app.post_form(&format!("{item}/topic"), &clerk, &[("topic", &topic)]).await);
        let r = app.post_form(&format!("{item}/topic"), &clerk, &[("topic", "不存在的类别")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

        // 申诉 → 申诉成立 closes the item.
        ok(&app.post_form(&format!("{item}/step/appeal_file"), &clerk, &[("reason", "评价人误操作，已电话核实"), ("evidence", "通话记录")]).await);
        let r = app.post_form(&format!("{item}/step/appeal_decide"), &clerk, &[("decision", "uphold")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "only the bureau decides an appeal");
        ok(&app.post_form(&format!("{item}/step/appeal_decide"), &admin, &[("decision", "uphold"), ("note", "属实")]).await);
        assert!(app.get(&item, &admin).await.text().contains("已办结（申诉成立）"));

        // Another item: the bureau reassigns it to B, whose clerk then works it; reopening.
        let other = app.state().db(|s| {
            let admin = jianping_core::access::Principal::admin("t");
            let items = s.ledger_items(&admin, &Default::default(), chrono::Local::now().date_naive())?;
            Ok(items.into_iter().find(|i| i.source != SourceKind::Rating && i.state == jianping_core::ledger::State::Unclaimed).unwrap().item_no)
        }).await.unwrap();
        let o = format!("/office/ledger/{other}");
        let r = app.post_form(&format!("{o}/step/reassign"), &admin, &[("department", "不存在的部门")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        ok(&app.post_form(&format!("{o}/step/reassign"), &admin, &[("department", office_city::DEPT_B)]).await);
        let b = app.login("clerk_b").await;
        ok(&app.post_form(&format!("{o}/step/claim"), &b, &[]).await);
        ok(&app.post_form(&format!("{o}/step/return"), &b, &[("reason", "不属于本部门职责")]).await);
        ok(&app.post_form(&format!("{o}/step/reassign"), &admin, &[("department", office_city::DEPT_B)]).await);
        ok(&app.post_form(&format!("{o}/step/claim"), &b, &[]).await);
        let r = app.post_form(&format!("{o}/step/claim"), &b, &[]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let r = app.post_form("/office/ledger/ZG1999-00000/step/claim", &b, &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        ok(&post_multipart(&app, &format!("{o}/rectify"), &b, &[("measures", "已整改")], &[]).await);
        ok(&app.post_form(&format!("{o}/step/close"), &admin, &[]).await);
        let r = app.post_form(&format!("{o}/step/reopen"), &admin, &[("reason", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        ok(&app.post_form(&format!("{o}/step/reopen"), &admin, &[("reason", "群众再次反映")]).await);
        let page = app.get(&o, &b).await.text();
        assert!(page.contains("改派") && page.contains("退回"), "{page}");
    }

    two_claims_at_once_one_wins_and_the_other_gets_409(backend) {
        let app = spawn_app(backend, seed_city).await;
        let no = bad_item(&app).await;
        let (a, b) = (app.login("clerk_a").await, app.login("clerk_a").await);
        let path = format!("/office/ledger/{no}/step/claim");
        let (r1, r2) = tokio::join!(app.post_form(&path, &a, &[]), app.post_form(&path, &b, &[]));
        let mut got = [r1.status, r2.status];
        got.sort();
        assert_eq!(got, [StatusCode::SEE_OTHER, StatusCode::CONFLICT], "{} / {}", r1.text(), r2.text());
    }
}
