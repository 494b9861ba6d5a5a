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
