//! Abuse limits for public routes: a keyed token bucket (per client address, per window
//! token …), answered by HTTP 429 with `Retry-After` and a friendly page.

use crate::error::{ApiError, PageError};
use crate::state::ClientAddr;
use axum::Extension;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jianping_app::config::LimitsConfig;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most keys tracked at once; beyond it idle keys are forgotten (a full bucket is the same
/// as no bucket), and if none are idle a new key is let through untracked rather than
/// letting a flood of addresses lock everybody out.
const MAX_KEYS: usize = 100_000;

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// `burst` requests at once, then one every `every`; a burst of 0 is no limit.
pub struct RateLimiter {
    off: bool,
    burst: f64,
    per_sec: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub fn new(burst: u32, every: Duration) -> RateLimiter {
        RateLimiter {
            off: burst == 0,
            burst: f64::from(burst.max(1)),
            per_sec: 1.0 / every.as_secs_f64().max(1e-3),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`; `Err(wait)` when there is none, with how long until one.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        self.check_at(key, Instant::now())
    }

    /// `burst` at once, then `per_sec` a second (a rate of 0 or less: one an hour).
    pub fn per_sec(burst: u32, per_sec: f64) -> RateLimiter {
        let every = if per_sec > 0.0 {
            Duration::from_secs_f64(1.0 / per_sec)
        } else {
            Duration::from_secs(3600)
        };
        RateLimiter::new(burst, every)
    }

    pub fn check_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        if self.off {
            return Ok(());
        }
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if !map.contains_key(key) && map.len() >= MAX_KEYS {
            let (burst, rate) = (self.burst, self.per_sec);
            map.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < burst);
            if map.len() >= MAX_KEYS {
                return Ok(());
            }
        }
        let b = map.entry(key.to_string()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let refill = now.saturating_duration_since(b.at).as_secs_f64() * self.per_sec;
        b.tokens = (b.tokens + refill).min(self.burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - b.tokens) / self.per_sec))
        }
    }
}

/// Whole seconds to wait, at least 1, for `Retry-After`.
fn retry_secs(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// The 429 answer: a friendly page and `Retry-After` in whole seconds (at least 1).
pub fn too_many(wait: Duration) -> Response {
    let secs = retry_secs(wait);
    let mut r = PageError::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!("提交过于频繁，请约 {secs} 秒后再试。感谢您的理解与支持！"),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// The 429 answer of the API: the usual JSON error body and `Retry-After`.
pub fn too_many_api(wait: Duration) -> Response {
    let secs = retry_secs(wait);
    let mut r = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!("请求过于频繁，请约 {secs} 秒后重试；如为正常业务量，请管理员调高 jianping.toml 的 [limits]。"),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// Defaults, chosen so that a real hall is never throttled: a pad sends a rating a
/// minute at most, a provincial platform a batch a second; bench-http's ~10,000/s from
/// one key is not a hall and raises the limits in its own configuration.
pub const API_KEY_BURST: u32 = 600;
pub const API_KEY_PER_SEC: f64 = 50.0;
/// Every pad of a hall behind one NAT address shares this.
pub const API_ADDRESS_BURST: u32 = 2000;
pub const API_ADDRESS_PER_SEC: f64 = 200.0;

/// Limits of the intake API's writes, per device key and per client address.
pub struct ApiGuard {
    keys: RateLimiter,
    addresses: RateLimiter,
}

impl ApiGuard {
    pub fn new(c: &LimitsConfig) -> ApiGuard {
        ApiGuard {
            keys: RateLimiter::per_sec(
                c.api_key_burst.unwrap_or(API_KEY_BURST),
                c.api_key_per_sec.unwrap_or(API_KEY_PER_SEC),
            ),
            addresses: RateLimiter::per_sec(
                c.api_address_burst.unwrap_or(API_ADDRESS_BURST),
                c.api_address_per_sec.unwrap_or(API_ADDRESS_PER_SEC),
            ),
        }
    }
}

/// The intake paths: what devices and platforms write. Staff APIs (ledger, reports) are
/// behind a login and its lockout instead.
fn is_intake(method: &Method, path: &str) -> bool {
    *method != Method::GET
        && *method != Method::HEAD
        && (path.starts_with("/api/v1/ratings")
            || path.starts_with("/api/v1/pads")
            || path.starts_with("/api/v1/complaints")
            || path.starts_with("/open311/"))
}

/// Middleware over the whole router: counts intake writes against the presented bearer
/// key (before it is verified, so a flood of made-up keys costs no database lookups; the
/// address limit bounds how many keys one client can make up) and the client address.
pub async fn api_guard(
    Extension(guard): Extension<Arc<ApiGuard>>,
    addr: ClientAddr,
    req: Request,
    next: Next,
) -> Response {
    if is_intake(req.method(), req.uri().path()) {
        let ip = client_ip(addr.0, req.headers()).map(|ip| ip.to_string());
        if let Err(wait) = guard.addresses.check(ip.as_deref().unwrap_or("unknown")) {
            return too_many_api(wait);
        }
        let key = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if let Some(key) = key
            && let Err(wait) = guard.keys.check(key.trim())
        {
            return too_many_api(wait);
        }
    }
    next.run(req).await
}

/// The client's address: the peer's, or — only when the peer is this machine (a reverse
/// proxy on the same host) — the last address of `X-Forwarded-For` or `X-Real-IP`. A remote
/// peer cannot choose its key by sending these headers.
pub fn client_ip(peer: Option<SocketAddr>, headers: &HeaderMap) -> Option<IpAddr> {
    let peer = peer?.ip();
    if !peer.is_loopback() {
        return Some(peer);
    }
    let forwarded = headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .or_else(|| headers.get("x-real-ip").and_then(|v| v.to_str().ok()))
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    Some(forwarded.unwrap_or(peer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_empties_and_refills() {
        let l = RateLimiter::new(3, Duration::from_secs(2));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.check_at("a", t0).is_ok());
        }
        let wait = l.check_at("a", t0).unwrap_err();
        assert!(wait > Duration::from_millis(1900) && wait <= Duration::from_secs(2));
        assert!(l.check_at("b", t0).is_ok(), "keys are separate");
        assert!(l.check_at("a", t0 + Duration::from_secs(2)).is_ok());
        assert!(l.check_at("a", t0 + Duration::from_secs(2)).is_err());
    }

    #[test]
    fn forwarded_headers_count_only_behind_a_local_proxy() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "1.2.3.4, 5.6.7.8".parse().unwrap());
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let remote: SocketAddr = "9.9.9.9:5000".parse().unwrap();
        assert_eq!(client_ip(Some(local), &h), "5.6.7.8".parse().ok());
        assert_eq!(client_ip(Some(remote), &h), "9.9.9.9".parse().ok());
        assert_eq!(client_ip(None, &h), None);
    }
}
