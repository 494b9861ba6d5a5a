//! Supervisors' feedback: entered with department and window from the lists, it opens a
//! ledger item at once; the supervisor sees their own items and what became of them.

mod common;
mod office_city;

use axum::http::StatusCode;
use common::{Session, spawn_app};
use jianping_store::Store;
use office_city::{DEPT_A, seed_city};

fn seed(s: &mut Store) {
    seed_city(s);
    let own = s.supervisor_by_code("JDY2022001").unwrap();
    for (name, sup) in [
        ("sup", own),
        ("sup2", s.supervisor_by_code("JDY2022004").unwrap()),
    ] {
        jianping_app::accounts::create_user(
            s,
            &jianping_app::accounts::UserRequest {
                username: name.into(),
                display_name: format!("{name}姓名"),
                role: jianping_core::access::UserRole::Supervisor,
                department_id: None,
                supervisor_id: Some(sup),
                password: common::PASSWORD.into(),
            },
            chrono::Local::now().naive_local(),
        )
        .unwrap();
    }
}

both_backends! {
    a_supervisors_feedback_opens_an_item_they_can_follow(backend) {
        let app = spawn_app(backend, seed).await;
        let sup = app.login("sup").await;
        let r = app.get("/office/feedback", &sup).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let page = r.text();
        assert!(page.contains("YJ2023001"), "the own imported feedback's item is listed");
        assert!(!page.contains("YJ2023002"), "another supervisor's is not");

        // The window of 海南区人社局, chosen from the list: the department follows from it.
        let window = app.state().db(|s| Ok(s.window_choices()?)).await.unwrap()
            .into_iter().find(|w| w.name == "人社服务窗口").unwrap();
        let content = "窗口工作人员午休时间提前离岗，群众等候超过半小时";
        let r = app.post_form("/office/feedback", &sup, &[
            ("category", "作风纪律"), ("window", &window.id.to_string()), ("department", ""),
            ("method", "实地办理"), ("content", content),
        ]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let to = r.location().unwrap();
        let item_no = to.split("item=").nth(1).unwrap().to_string();
        let page = app.get(&to, &sup).await.text();
        assert!(page.contains(&item_no) && page.contains("待认领"), "{page}");

        // The department's clerk has the new item on the ledger.
        let clerk = app.login("clerk_a").await;
        let r = app.get(&format!("/office/ledger/{item_no}"), &clerk).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains(DEPT_A) && r.text().contains("监督员意见"));
        // Another supervisor does not see it.
        let other = app.login("sup2").await;
        assert_eq!(app.get(&format!("/office/ledger/{item_no}"), &other).await.status, StatusCode::FORBIDDEN);
        assert!(!app.get("/office/feedback", &other).await.text().contains(&item_no));
        let logged = app.state().db(|s| Ok(s.audit_log(20, None)?)).await.unwrap();
        assert!(logged.iter().any(|e| e.action == "feedback.submit"));
    }

    bad_feedback_is_refused_with_what_was_typed_and_others_may_not_enter_it(backend) {
        let app = spawn_app(backend, seed).await;
        let sup = app.login("sup").await;
        let r = app.post_form("/office/feedback", &sup, &[
            ("category", "自创类别"), ("department", "99999"), ("content", "短"),
        ]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text();
        for m in ["请选择意见类别", "请从列表中选择部门", "至少 5 个字"] {
            assert!(page.contains(m), "{m}: {page}");
        }
        assert!(page.contains(">短</textarea>"), "the text typed is kept");
        let before = app.state().db(|s| Ok(jianping_store::RowExt::int(&s.backend().query("SELECT COUNT(*) FROM supervisor_feedback", &[])?[0], 0))).await.unwrap();
        assert_eq!(before, 5, "nothing was stored");

        let leader = app.login("leader").await;
        let r = app.post_form("/office/feedback", &leader, &[("category", "其他"), ("department", "1"), ("content", "领导不能录入意见")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let clerk = app.login("clerk_a").await;
        assert_eq!(app.get("/office/feedback", &clerk).await.status, StatusCode::FORBIDDEN);
        let r = app.get("/office/feedback", &Session::default()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
}
