//! Users, sessions, the audit log and attachments on both backends.

mod common;

use jianping_core::time::parse_datetime;
use jianping_store::accounts::{NewAttachment, NewAudit, NewSession, NewUser, UserChange};

fn user(name: &str) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: "张三".into(),
        role: "clerk".into(),
        department_id: None,
        supervisor_id: None,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$x$y".into(),
    }
}

both_backends! {
    users_sessions_and_lockout(t) {
        let at = parse_datetime("2026-12-01 09:00").unwrap();
        let id = t.store.create_user(&user("zhangsan"), at).unwrap();
        let e = t.store.create_user(&user("zhangsan"), at).unwrap_err().to_string();
        assert!(e.contains("已被使用"), "{e}");
        let u = t.store.user_by_username("zhangsan").unwrap().unwrap();
        assert_eq!((u.id, u.role.as_str(), u.active), (id, "clerk", true));
        assert_eq!(t.store.user_count().unwrap(), 1);

        let lock = parse_datetime("2026-12-01 09:30").unwrap();
        assert_eq!(t.store.record_login_failure(id, None).unwrap(), 1);
        assert_eq!(t.store.record_login_failure(id, Some(lock)).unwrap(), 2);
        let u = t.store.user_by_id(id).unwrap().unwrap();
        assert_eq!(u.locked_until.as_deref(), Some("2026-12-01 09:30:00"));
        t.store.record_login_success(id, at).unwrap();
        let u = t.store.user_by_id(id).unwrap().unwrap();
        assert_eq!((u.failed_logins, u.locked_until), (0, None));

        let s = NewSession {
            id_hash: "h1".into(),
            user_id: id,
            csrf: "c1".into(),
            created_at: at,
            expires_at: parse_datetime("2026-12-01 17:00").unwrap(),
            address: Some("127.0.0.1".into()),
        };
        t.store.create_session(&s).unwrap();
        let got = t.store.session("h1").unwrap().unwrap();
        assert_eq!((got.csrf.as_str(), got.user.username.as_str()), ("c1", "zhangsan"));
        assert!(t.store.session("other").unwrap().is_none());
        t.store.touch_session("h1", parse_datetime("2026-12-01 10:00").unwrap()).unwrap();
        assert_eq!(t.store.session("h1").unwrap().unwrap().last_seen_at, "2026-12-01 10:00:00");
        // Idle since 10:00: purged when the idle limit is 10:30.
        let n = t
            .store
            .purge_sessions(at, parse_datetime("2026-12-01 10:30").unwrap())
            .unwrap();
        assert_eq!(n, 1);
        assert!(t.store.session("h1").unwrap().is_none());

        // Deactivating logs the user out everywhere; a new password does too.
        t.store.create_session(&NewSession { id_hash: "h2".into(), ..s.clone() }).unwrap();
        let change = UserChange {
            display_name: "张三".into(),
            role: "leader".into(),
            department_id: None,
            supervisor_id: None,
            active: false,
        };
        t.store.update_user(id, &change).unwrap();
        assert!(t.store.session("h2").unwrap().is_none());
        t.store.create_session(&NewSession { id_hash: "h3".into(), ..s }).unwrap();
        t.store.set_password(id, "$argon2id$new", at).unwrap();
        assert!(t.store.session("h3").unwrap().is_none());
        assert_eq!(t.store.users().unwrap()[0].role, "leader");
    }

    the_audit_log_pages_newest_first(t) {
        for i in 0..5 {
            t.store.audit(&NewAudit {
                at: parse_datetime("2026-12-01 09:00").unwrap(),
                user_id: None,
                username: "admin".into(),
                role: "admin".into(),
                action: "ledger.claim".into(),
                target: Some(format!("ZG2026-{i:05}")),
                detail: None,
                address: None,
            }).unwrap();
        }
        let page = t.store.audit_log(2, None).unwrap();
        assert_eq!(page.iter().map(|e| e.target.clone().unwrap()).collect::<Vec<_>>(), ["ZG2026-00004", "ZG2026-00003"]);
        let next = t.store.audit_log(10, Some(page[1].id)).unwrap();
        assert_eq!(next.len(), 3);
    }

    attachments_round_trip_and_are_limited(t) {
        let data: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        let a = NewAttachment {
            owner_kind: "qr_report".into(),
            owner_id: 7,
            file_name: "照片.jpg".into(),
            content_type: "image/jpeg".into(),
            data: data.clone(),
            uploaded_at: parse_datetime("2026-12-01 09:00").unwrap(),
            uploaded_by: "市民".into(),
        };
        let id = t.store.add_attachment(&a).unwrap();
        let got = t.store.attachment(id).unwrap().unwrap();
        assert_eq!(got.data, data);
        assert_eq!(got.meta.size, 70_000);
        assert_eq!(t.store.attachments("qr_report", 7).unwrap().len(), 1);
        let e = t.store.add_attachment(&NewAttachment { data: Vec::new(), ..a.clone() }).unwrap_err();
        assert!(e.to_string().contains("空文件"));
        let big = NewAttachment { data: vec![0; jianping_store::accounts::MAX_ATTACHMENT_BYTES + 1], ..a };
        assert!(t.store.add_attachment(&big).unwrap_err().to_string().contains("超过上限"));
    }
}

fn audit_at(at: &str, action: &str) -> NewAudit {
    NewAudit {
        at: parse_datetime(at).unwrap(),
        user_id: None,
        username: "admin".into(),
        role: "admin".into(),
        action: action.into(),
        target: None,
        detail: None,
        address: None,
    }
}

mod audit_retention {
    use super::*;

    both_backends! {
        prune_removes_only_rows_before_the_cutoff_after_archiving(t) {
            for (at, action) in [
                ("2026-01-05 08:00", "old.1"),
                ("2026-05-31 23:59", "old.2"),
                ("2026-06-01 00:00", "kept.1"),
                ("2026-12-01 09:00", "kept.2"),
            ] {
                t.store.audit(&audit_at(at, action)).unwrap();
            }
            let cutoff = parse_datetime("2026-06-01 00:00").unwrap();

            // A failing archive leaves every row in place.
            let e = t
                .store
                .prune_audit_log(cutoff, |_| {
                    Err::<(), _>(jianping_store::StoreError::Invalid("disk full".into()))
                })
                .unwrap_err();
            assert_eq!(e.to_string(), "disk full");
            assert_eq!(t.store.audit_log_span().unwrap().0, 4);

            let mut archived = Vec::new();
            let n = t
                .store
                .prune_audit_log(cutoff, |rows| {
                    archived = rows.iter().map(|r| r.action.clone()).collect();
                    Ok::<(), jianping_store::StoreError>(())
                })
                .unwrap();
            assert_eq!(n, 2);
            assert_eq!(archived, ["old.1", "old.2"]);
            let left: Vec<String> =
                t.store.audit_log(10, None).unwrap().into_iter().map(|e| e.action).collect();
            assert_eq!(left, ["kept.2", "kept.1"]);
            assert_eq!(
                t.store.audit_log_span().unwrap(),
                (2, Some("2026-06-01 00:00:00".to_string()))
            );

            // Nothing older left: the archive is not asked for.
            let n = t
                .store
                .prune_audit_log(cutoff, |_| -> Result<(), jianping_store::StoreError> {
                    panic!("no rows to archive")
                })
                .unwrap();
            assert_eq!(n, 0);
        }
    }
}
