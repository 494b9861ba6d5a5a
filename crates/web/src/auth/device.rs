//! Pads, kiosks and other platforms authenticate with a device key (`jianping qr device
//! add`), sent as `Authorization: Bearer jpk_…` or `X-Device-Key`. Only the key's SHA-256
//! is stored; a revoked key is refused.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::{StatusCode, header, request::Parts};
use jianping_store::codes::PadDevice;

/// The device a request comes from.
#[derive(Debug, Clone)]
pub struct Device(pub PadDevice);

pub const DEVICE_HEADER: &str = "x-device-key";

/// The device key the request carries, if any.
pub fn key_of(parts: &Parts) -> Option<String> {
    if let Some(k) = parts
        .headers
        .get(DEVICE_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        return Some(k.trim().to_string());
    }
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|k| k.trim().to_string())
}

/// The device behind `key`, if it is registered and not revoked (from the cache of recent
/// lookups when it has it).
pub async fn resolve(state: &AppState, key: String) -> Result<Option<PadDevice>, ApiError> {
    if let Some(d) = state.devices().get(&key) {
        return Ok(Some(d));
    }
    let now = state.now();
    let cache_key = key.clone();
    let found = state
        .db(move |s| Ok(s.resolve_pad_device(&key, now)?))
        .await?;
    if let Some(d) = &found {
        state.devices().put(&cache_key, d);
    }
    Ok(found)
}

impl<S> FromRequestParts<S> for Device
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let Some(key) = key_of(parts) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "缺少设备密钥：请在 Authorization: Bearer 或 X-Device-Key 请求头中提供（jianping qr device add 生成）",
            ));
        };
        match resolve(&state, key).await? {
            Some(d) => Ok(Device(d)),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "设备密钥无效或已停用，请联系政务服务局重新登记设备",
            )),
        }
    }
}
