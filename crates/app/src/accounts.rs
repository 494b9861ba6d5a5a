//! Accounts: password policy and hashing (argon2id), lockout after repeated failures,
//! session lifetimes, and the principal a session stands for. The store keeps the rows;
//! the rules are here so the CLI (`jianping user …`) and the server apply the same ones.

use crate::error::{AppError, Result};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, NaiveDateTime};
use jianping_core::access::{Principal, UserRole};
use jianping_core::time::{fmt_ts, parse_datetime};
use jianping_store::Store;
use jianping_store::accounts::{NewAudit, NewSession, NewUser, UserRow};
use sha2::{Digest, Sha256};

/// How long logins last and when accounts lock.
#[derive(Debug, Clone)]
pub struct LoginPolicy {
    /// Failed attempts in a row before the account locks.
    pub max_failures: i64,
    pub lock_for: Duration,
    /// A session ends this long after login, however active.
    pub session_lifetime: Duration,
    /// … or after this long without a request.
    pub idle_timeout: Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            max_failures: 5,
            lock_for: Duration::minutes(15),
            session_lifetime: Duration::hours(8),
            idle_timeout: Duration::minutes(30),
        }
    }
}

/// A random, URL-safe token of `bytes` random bytes (22 characters for 16 bytes).
pub fn random_token(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)
        .map_err(|e| AppError::Unavailable(format!("系统随机数不可用：{e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// The stored form of a session cookie's value.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// At least 8 characters with letters, digits and one more class (upper/lower/symbol), as
/// 等保 level 3 reviews expect; never the username.
pub fn check_password(password: &str, username: &str) -> Result<()> {
    let chars = password.chars().count();
    let lower = password.chars().any(|c| c.is_ascii_lowercase());
    let upper = password.chars().any(|c| c.is_ascii_uppercase());
    let digit = password.chars().any(|c| c.is_ascii_digit());
    let other = password.chars().any(|c| !c.is_ascii_alphanumeric());
    let classes = [lower, upper, digit, other].iter().filter(|b| **b).count();
    if chars < 8 || classes < 3 {
        return Err(AppError::Invalid(
            "密码至少 8 位，且须包含大写字母、小写字母、数字、符号中的至少三类".into(),
        ));
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err(AppError::Invalid("密码不能包含用户名".into()));
    }
    Ok(())
}

pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Other(anyhow::anyhow!("密码加密失败：{e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// The principal a stored user stands for.
pub fn principal_of(u: &UserRow) -> Result<Principal> {
    let role = UserRole::from_code(&u.role).ok_or_else(|| {
        AppError::Invalid(format!("用户 {} 的角色「{}」无法识别", u.username, u.role))
    })?;
    Ok(Principal {
        user_id: Some(u.id),
        user: format!("{}（{}）", u.display_name, u.username),
        role,
        department_id: u.department_id,
        supervisor_id: u.supervisor_id,
    })
}

/// A new account as an administrator asks for it.
#[derive(Debug, Clone)]
pub struct UserRequest {
    pub username: String,
    pub display_name: String,
    pub role: UserRole,
    pub department_id: Option<i64>,
    pub supervisor_id: Option<i64>,
    pub password: String,
}

/// Checks the request against the rules and stores the account.
pub fn create_user(store: &mut Store, req: &UserRequest, at: NaiveDateTime) -> Result<i64> {
    let username = req.username.trim();
    if username.is_empty()
        || username.chars().count() > 32
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(AppError::Invalid(
            "用户名须为 1–32 位字母、数字或 . _ -（如 zhangsan）".into(),
        ));
    }
    if req.display_name.trim().is_empty() {
        return Err(AppError::Invalid("请填写姓名".into()));
    }
    match (req.role, req.department_id, req.supervisor_id) {
        (UserRole::Clerk, None, _) => {
            return Err(AppError::Invalid("部门经办人须指定所在部门".into()));
        }
        (UserRole::Supervisor, _, None) => {
            return Err(AppError::Invalid(
                "监督员账号须对应一名已登记的监督员".into(),
            ));
        }
        _ => {}
    }
    check_password(&req.password, username)?;
    let hash = hash_password(&req.password)?;
    Ok(store.create_user(
        &NewUser {
            username: username.to_string(),
            display_name: req.display_name.trim().to_string(),
            role: req.role.code().to_string(),
            department_id: req.department_id.filter(|_| req.role == UserRole::Clerk),
            supervisor_id: req
                .supervisor_id
                .filter(|_| req.role == UserRole::Supervisor),
            password_hash: hash,
        },
        at,
    )?)
}

/// A successful login: the cookie value (given to the browser once) and the session's
/// CSRF token.
#[derive(Debug, Clone)]
pub struct Login {
    pub cookie: String,
    pub csrf: String,
    pub principal: Principal,
}

/// The one message for every failed login, so that it does not tell which usernames exist.
pub const LOGIN_FAILED: &str = "用户名或密码错误";

/// Checks a username and password, counting failures and locking the account after too
/// many; every attempt goes into the audit log.
pub fn login(
    store: &mut Store,
    policy: &LoginPolicy,
    username: &str,
    password: &str,
    now: NaiveDateTime,
    address: Option<&str>,
) -> Result<Login> {
    let audit =
        |store: &mut Store, user: Option<&UserRow>, action: &str, detail: Option<String>| {
            store.audit(&NewAudit {
                at: now,
                user_id: user.map(|u| u.id),
                username: user.map_or_else(|| username.trim().to_string(), |u| u.username.clone()),
                role: user.map_or_else(String::new, |u| u.role.clone()),
                action: action.to_string(),
                target: None,
                detail,
                address: address.map(str::to_string),
            })
        };
    let Some(user) = store.user_by_username(username)? else {
        // Spend the time a real check takes, so timing does not tell either.
        let _ = verify_password(password, &DUMMY_HASH);
        audit(store, None, "login.unknown_user", None)?;
        return Err(AppError::Forbidden(LOGIN_FAILED.into()));
    };
    if let Some(until) = user
        .locked_until
        .as_deref()
        .and_then(|t| parse_datetime(t).ok())
        && until > now
    {
        audit(store, Some(&user), "login.locked", None)?;
        return Err(AppError::Forbidden(format!(
            "登录失败次数过多，账号已锁定至 {}；如需提前解锁请联系管理员",
            fmt_ts(&until)
        )));
    }
    if !user.active {
        audit(store, Some(&user), "login.inactive", None)?;
        return Err(AppError::Forbidden("该账号已停用，请联系管理员".into()));
    }
    if !verify_password(password, &user.password_hash) {
        let failures = user.failed_logins + 1;
        let lock = (failures >= policy.max_failures).then(|| now + policy.lock_for);
        store.record_login_failure(user.id, lock)?;
        audit(
            store,
            Some(&user),
            "login.failed",
            Some(format!("第 {failures} 次")),
        )?;
        return Err(AppError::Forbidden(match lock {
            Some(t) => format!(
                "{LOGIN_FAILED}；已连续失败 {failures} 次，账号锁定至 {}",
                fmt_ts(&t)
            ),
            None => format!(
                "{LOGIN_FAILED}（再失败 {} 次将锁定账号）",
                policy.max_failures - failures
            ),
        }));
    }
    let principal = principal_of(&user)?;
    let cookie = random_token(32)?;
    let csrf = random_token(24)?;
    store.create_session(&NewSession {
        id_hash: token_hash(&cookie),
        user_id: user.id,
        csrf: csrf.clone(),
        created_at: now,
        expires_at: now + policy.session_lifetime,
        address: address.map(str::to_string),
    })?;
    store.record_login_success(user.id, now)?;
    audit(store, Some(&user), "login", None)?;
    Ok(Login {
        cookie,
        csrf,
        principal,
    })
}

/// A hash verified against when the username is unknown.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("无此用户-Dummy-1").unwrap_or_default());

/// The session a cookie names, if it is still valid at `now`; touches it.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub principal: Principal,
    pub csrf: String,
    pub session_hash: String,
    pub user: UserRow,
}

pub fn authenticate(
    store: &mut Store,
    policy: &LoginPolicy,
    cookie: &str,
    now: NaiveDateTime,
) -> Result<Option<Authenticated>> {
    let hash = token_hash(cookie);
    let Some(s) = store.session(&hash)? else {
        return Ok(None);
    };
    let expired = parse_datetime(&s.expires_at).map_or(true, |t| t <= now);
    let idle = parse_datetime(&s.last_seen_at).map_or(true, |t| t + policy.idle_timeout <= now);
    if expired || idle || !s.user.active {
        store.delete_session(&hash)?;
        return Ok(None);
    }
    // Writing on every request would serialise readers behind the one writer: a minute's
    // precision is enough for the idle timeout.
    if parse_datetime(&s.last_seen_at).is_ok_and(|t| t + Duration::minutes(1) <= now) {
        store.touch_session(&hash, now)?;
    }
    Ok(Some(Authenticated {
        principal: principal_of(&s.user)?,
        csrf: s.csrf,
        session_hash: hash,
        user: s.user,
    }))
}
