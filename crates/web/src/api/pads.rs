//! `/api/v1/pads`: the window business system announces a finished case to its pad.
//!
//! Authenticated by a device key registered at the window (the pad's own key, or one
//! registered for the business system at the same window): the case goes to the pads of
//! that window and no other.

use crate::auth::Device;
use crate::error::ApiError;
use crate::pad::pad_rating_no;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(post_case))
}

/// A case the window has just finished.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CaseIn {
    /// 办件编号 (at most 58 characters).
    pub case_no: String,
    /// 事项编码 (实施编码).
    #[serde(default)]
    pub matter_code: Option<String>,
    /// 事项名称.
    #[serde(default)]
    pub matter_name: Option<String>,
    /// The member of staff who served.
    #[serde(default)]
    pub staff: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseShown {
    /// Identifies this showing on the pad's event stream.
    pub seq: u64,
    pub window: String,
    /// Pads of the window connected now (0: the case waits on the server until a pad opens
    /// `/pad` or the timeout passes).
    pub pads_listening: usize,
    /// Seconds the rating screen stays up.
    pub timeout_secs: u64,
}

const MAX_CASE_NO: usize = 58;

fn text(
    v: &Option<String>,
    field: &str,
    max: usize,
    errors: &mut Vec<(String, String)>,
) -> Option<String> {
    let t = v.as_deref().map(str::trim).filter(|t| !t.is_empty())?;
    if t.chars().count() > max || t.chars().any(char::is_control) {
        errors.push((field.into(), format!("最长{max}个字符，不能含控制字符")));
        return None;
    }
    Some(t.to_string())
}

/// Show the rating screen for a finished case on the window's pads.
#[utoipa::path(
    post,
    path = "/pads/cases",
    tag = "pads",
    request_body = CaseIn,
    responses(
        (status = 202, description = "已推送到本窗口评价器", body = CaseShown),
        (status = 401, description = "缺少或无效的设备密钥"),
        (status = 409, description = "该办件已评价"),
        (status = 422, description = "办件信息有误（按字段说明）"),
    )
)]
async fn post_case(
    State(state): State<AppState>,
    Device(device): Device,
    body: Bytes,
) -> Result<(StatusCode, Json<CaseShown>), ApiError> {
    let input: CaseIn = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("请求内容不是有效的办件 JSON：{e}"),
        )
    })?;
    let mut errors = Vec::new();
    let case_no = input.case_no.trim().to_string();
    if case_no.is_empty() {
        errors.push(("case_no".into(), "请填写办件编号".into()));
    } else if case_no.chars().count() > MAX_CASE_NO || case_no.chars().any(char::is_control) {
        errors.push((
            "case_no".into(),
            format!("办件编号最长{MAX_CASE_NO}个字符，不能含控制字符"),
        ));
    }
    let matter_code = text(&input.matter_code, "matter_code", 64, &mut errors);
    let matter_name = text(&input.matter_name, "matter_name", 200, &mut errors);
    let staff = text(&input.staff, "staff", 50, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::invalid_fields(errors));
    }
    let probe = case_no.clone();
    let rated = state
        .db(move |s| {
            if let Some(no) = s.case_rating(&probe, 1)? {
                return Ok(Some(no));
            }
            Ok(None)
        })
        .await?;
    if let Some(no) = rated {
        let how = if no == pad_rating_no(&case_no) {
            "已在评价器上评价".to_string()
        } else {
            format!("已有首评（评价编号 {no}）")
        };
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("办件 {case_no} {how}：每个办件只能评价一次"),
        ));
    }
    let window_id = device.window.window_id;
    let shown = state
        .pads()
        .show(window_id, case_no, matter_code, matter_name, staff);
    Ok((
        StatusCode::ACCEPTED,
        Json(CaseShown {
            seq: shown.seq,
            window: device.window.window_name.clone(),
            pads_listening: state.pads().listening(window_id),
            timeout_secs: state.pads().timeout().as_secs(),
        }),
    ))
}
