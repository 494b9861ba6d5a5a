//! Login rules: password policy, lockout, session expiry and idle timeout.

use chrono::Duration;
use jianping_app::accounts::{
    LoginPolicy, UserRequest, authenticate, check_password, create_user, login,
};
use jianping_core::access::UserRole;
use jianping_core::time::parse_datetime;
use jianping_store::Store;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(&dir.path().join("a.db")).unwrap();
    (dir, store)
}

fn admin(password: &str) -> UserRequest {
    UserRequest {
        username: "wangwu".into(),
        display_name: "王五".into(),
        role: UserRole::Admin,
        department_id: None,
        supervisor_id: None,
        password: password.into(),
    }
}

#[test]
fn weak_passwords_are_refused_with_the_rule() {
    for weak in ["short1A", "alllowercase", "12345678", "abcdefgh1"] {
        let e = check_password(weak, "u").unwrap_err().to_string();
        assert!(e.contains("至少 8 位"), "{weak}: {e}");
    }
    assert!(check_password("Wangwu-2026", "wangwu").is_err());
    check_password("Jianping-2026", "wangwu").unwrap();
}

#[test]
fn five_failures_lock_the_account_and_the_right_password_then_waits() {
    let (_d, mut s) = store();
    let now = parse_datetime("2026-12-01 09:00").unwrap();
    create_user(&mut s, &admin("Jianping-2026"), now).unwrap();
    let policy = LoginPolicy::default();
    for i in 1..=5 {
        let e = login(&mut s, &policy, "wangwu", "wrong", now, None).unwrap_err();
        assert_eq!(e.kind(), jianping_app::ErrorKind::Forbidden);
        if i < 5 {
            assert!(
                e.to_string().contains(&format!("再失败 {} 次", 5 - i)),
                "{e}"
            );
        } else {
            assert!(e.to_string().contains("锁定至 2026-12-01 09:15:00"), "{e}");
        }
    }
    let e = login(&mut s, &policy, "wangwu", "Jianping-2026", now, None).unwrap_err();
    assert!(e.to_string().contains("已锁定"), "{e}");
    let later = now + Duration::minutes(16);
    let ok = login(
        &mut s,
        &policy,
        "wangwu",
        "Jianping-2026",
        later,
        Some("10.0.0.9"),
    )
    .unwrap();
    assert_eq!(ok.principal.role, UserRole::Admin);
    let unknown = login(&mut s, &policy, "nobody", "x", now, None).unwrap_err();
    assert_eq!(unknown.to_string(), "用户名或密码错误");
    let log = s.audit_log(20, None).unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "login.failed").count(), 5);
    assert!(log.iter().any(|e| e.action == "login.locked"));
    assert!(
        log.iter()
            .any(|e| e.action == "login.unknown_user" && e.username == "nobody")
    );
}

#[test]
fn sessions_end_when_idle_or_expired() {
    let (_d, mut s) = store();
    let now = parse_datetime("2026-12-01 09:00").unwrap();
    create_user(&mut s, &admin("Jianping-2026"), now).unwrap();
    let policy = LoginPolicy::default();
    let l = login(&mut s, &policy, "wangwu", "Jianping-2026", now, None).unwrap();
    let a = authenticate(&mut s, &policy, &l.cookie, now + Duration::minutes(20)).unwrap();
    assert_eq!(a.unwrap().csrf, l.csrf);
    // Used at 09:20, so still alive at 09:45 …
    assert!(
        authenticate(&mut s, &policy, &l.cookie, now + Duration::minutes(45))
            .unwrap()
            .is_some()
    );
    // … but not after 30 idle minutes.
    assert!(
        authenticate(&mut s, &policy, &l.cookie, now + Duration::minutes(80))
            .unwrap()
            .is_none()
    );
    assert!(
        authenticate(&mut s, &policy, "forged", now)
            .unwrap()
            .is_none()
    );
    // However busy, a session ends after its lifetime.
    let l = login(&mut s, &policy, "wangwu", "Jianping-2026", now, None).unwrap();
    let mut t = now;
    while t < now + Duration::hours(8) - Duration::minutes(20) {
        t += Duration::minutes(20);
        assert!(
            authenticate(&mut s, &policy, &l.cookie, t)
                .unwrap()
                .is_some()
        );
    }
    assert!(
        authenticate(&mut s, &policy, &l.cookie, now + Duration::hours(8))
            .unwrap()
            .is_none()
    );
}

mod audit_retention {
    use super::store;
    use jianping_app::audit_log::{MIN_RETENTION_DAYS, check_retention, prune};
    use jianping_core::time::parse_datetime;
    use jianping_store::accounts::NewAudit;

    fn config(text: &str) -> anyhow::Result<jianping_app::Config> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jianping.toml");
        std::fs::write(&path, text).unwrap();
        jianping_app::Config::load(Some(&path))
    }

    #[test]
    fn less_than_six_months_is_refused_by_the_config_and_the_flag() {
        let e = config("[audit_log]\nretention_days = 90\n").unwrap_err();
        assert!(format!("{e:#}").contains("至少保存 6 个月"), "{e:#}");
        let c = config("[audit_log]\nretention_days = 400\n").unwrap();
        assert_eq!(jianping_app::audit_log::retention_days(&c).unwrap(), 400);
        let c = config("").unwrap();
        assert_eq!(
            jianping_app::audit_log::retention_days(&c).unwrap(),
            MIN_RETENTION_DAYS
        );
        assert!(check_retention(182).is_err());
        assert_eq!(check_retention(183).unwrap(), 183);
    }

    #[test]
    fn prune_writes_an_excel_friendly_archive_then_deletes() {
        let (dir, mut s) = store();
        for (at, action, detail) in [
            ("2026-01-05 08:00", "login", Some("=HYPERLINK(\"x\")")),
            ("2026-05-01 09:00", "user.create", Some("王五, 局管理员")),
            ("2026-11-30 10:00", "login", None),
        ] {
            s.audit(&NewAudit {
                at: parse_datetime(at).unwrap(),
                user_id: Some(1),
                username: "wangwu".into(),
                role: "admin".into(),
                action: action.into(),
                target: None,
                detail: detail.map(str::to_string),
                address: Some("10.0.0.1".into()),
            })
            .unwrap();
        }
        let now = parse_datetime("2026-12-01 09:00").unwrap();
        let archive = dir.path().join("audit-old.csv");
        let e = prune(&mut s, 100, now, &archive).unwrap_err();
        assert!(e.to_string().contains("不少于 183 天"), "{e}");

        let p = prune(&mut s, 183, now, &archive).unwrap();
        // 2026-12-01 less 183 days is 2026-06-01.
        assert_eq!(p.cutoff, parse_datetime("2026-06-01 09:00").unwrap());
        assert_eq!(
            (p.removed, p.archive.as_deref()),
            (2, Some(archive.as_path()))
        );
        let text = String::from_utf8(std::fs::read(&archive).unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("\u{feff}编号,时间,"), "{}", lines[0]);
        assert!(
            lines[1].contains("'=HYPERLINK"),
            "formula kept as text: {}",
            lines[1]
        );
        assert!(lines[2].contains("\"王五, 局管理员\""), "{}", lines[2]);
        assert_eq!(s.audit_log_span().unwrap().0, 1);

        // An existing archive is never overwritten.
        let e = prune(&mut s, 183, now, &archive).unwrap_err();
        assert!(e.to_string().contains("已存在"), "{e}");
    }
}
