//! `/api/v1/complaints`: 码上监督 complaints from kiosks and the provincial platform, and following them.
//!
//! Filing needs a device key: the complaint belongs to the device's window (and its
//! department and region), never to one the request names. Following needs only the
//! report number, and shows nothing personal.

use crate::auth::Device;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jianping_store::codes::PadDevice;
use jianping_store::open311::{
    CATEGORIES, FiledComplaint, NewComplaint, PublicComplaint, category,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_categories))
        .routes(routes!(post_complaint))
        .routes(routes!(get_complaint))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ComplaintIn {
    /// The category's code or name (GET /api/v1/complaints/categories).
    pub category: String,
    /// 反映内容.
    pub content: String,
    /// 反映人姓名 (optional: anonymous complaints are accepted). Never shown back.
    #[serde(default)]
    pub reporter_name: Option<String>,
    /// 联系电话 (optional). Never shown back.
    #[serde(default)]
    pub reporter_phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintFiled {
    /// 投诉编号: the receipt to follow the complaint with.
    pub report_no: String,
    /// The rectification item opened for it.
    pub ledger_item: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryOut {
    pub code: String,
    pub name: String,
    pub description: String,
}

/// A complaint as anyone with its number may see it: no name, no phone, the text masked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintOut {
    pub report_no: String,
    pub category: String,
    pub content: String,
    pub received_at: String,
    pub department: Option<String>,
    pub window: Option<String>,
    /// `open` or `closed`.
    pub status: String,
    /// 整改状态 (待认领, 整改中 …) of its rectification item.
    pub state: Option<String>,
    pub ledger_item: Option<String>,
    pub due_on: Option<String>,
    pub updated_at: Option<String>,
}

impl From<PublicComplaint> for ComplaintOut {
    fn from(c: PublicComplaint) -> Self {
        ComplaintOut {
            status: if c.closed { "closed" } else { "open" }.into(),
            state: state_name(c.ledger_state.as_deref()),
            report_no: c.report_no,
            category: c.domain,
            content: c.content,
            received_at: c.received_at,
            department: c.department,
            window: c.window,
            ledger_item: c.ledger_item,
            due_on: c.due_on,
            updated_at: c.updated_at,
        }
    }
}

pub(crate) fn state_name(code: Option<&str>) -> Option<String> {
    code.map(|c| {
        jianping_core::ledger::State::parse(c)
            .map(|s| s.name().to_string())
            .unwrap_or_else(|_| c.to_string())
    })
}

fn optional(v: Option<&str>) -> Option<String> {
    v.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// Checks a complaint and files it at the device's window with its ledger item.
pub(crate) async fn file(
    state: &AppState,
    device: &PadDevice,
    category_key: &str,
    content: &str,
    name: Option<&str>,
    phone: Option<&str>,
) -> Result<FiledComplaint, ApiError> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let cat = category(category_key);
    if cat.is_none() {
        let names: Vec<String> = CATEGORIES
            .iter()
            .map(|c| format!("{}（{}）", c.name, c.code))
            .collect();
        errors.push((
            "category".into(),
            format!(
                "无法识别的问题类别「{}」，可选：{}",
                category_key.trim(),
                names.join("、")
            ),
        ));
    }
    let len = content.trim().chars().count();
    if len == 0 {
        errors.push(("content".into(), "请填写反映的问题".into()));
    } else if len > 2000 {
        errors.push((
            "content".into(),
            format!("反映内容过长（{len}字），上限2000字"),
        ));
    }
    let name = optional(name);
    if name.as_ref().is_some_and(|n| n.chars().count() > 50) {
        errors.push(("reporter_name".into(), "姓名最长50个字符".into()));
    }
    let phone = optional(phone);
    if let Some(p) = &phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if !(5..=20).contains(&digits)
            || !p.chars().all(|c| c.is_ascii_digit() || "+- ()".contains(c))
        {
            errors.push((
                "reporter_phone".into(),
                "联系电话格式不正确（如 13800000000 或 0473-1234567）".into(),
            ));
        }
    }
    let Some(cat) = cat.filter(|_| errors.is_empty()) else {
        return Err(ApiError::invalid_fields(errors));
    };
    let now = state.now();
    let c = NewComplaint {
        category: cat,
        content: content.trim().to_string(),
        reporter_name: name,
        reporter_phone: phone,
        received_at: now,
    };
    let window = device.window.clone();
    Ok(state
        .db(move |s| Ok(s.file_api_complaint(&c, &window, now)?))
        .await?)
}

/// The complaint categories.
#[utoipa::path(
    get,
    path = "/complaints/categories",
    tag = "complaints",
    responses((status = 200, body = Vec<CategoryOut>))
)]
async fn list_categories() -> Json<Vec<CategoryOut>> {
    Json(
        CATEGORIES
            .iter()
            .map(|c| CategoryOut {
                code: c.code.into(),
                name: c.name.into(),
                description: c.description.into(),
            })
            .collect(),
    )
}

/// File a complaint at the device's window; it is on the rectification ledger when answered.
#[utoipa::path(
    post,
    path = "/complaints",
    tag = "complaints",
    request_body = ComplaintIn,
    responses(
        (status = 201, description = "已受理并登记整改台账", body = ComplaintFiled),
        (status = 401, description = "缺少或无效的设备密钥"),
        (status = 422, description = "内容有误（按字段说明）"),
    )
)]
async fn post_complaint(
    State(state): State<AppState>,
    Device(device): Device,
    body: Bytes,
) -> Result<(StatusCode, Json<ComplaintFiled>), ApiError> {
    let input: ComplaintIn = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("请求内容不是有效的投诉 JSON：{e}"),
        )
    })?;
    let filed = file(
        &state,
        &device,
        &input.category,
        &input.content,
        input.reporter_name.as_deref(),
        input.reporter_phone.as_deref(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ComplaintFiled {
            report_no: filed.report_no,
            ledger_item: filed.ledger_item,
        }),
    ))
}

/// Follow a complaint by its number.
#[utoipa::path(
    get,
    path = "/complaints/{report_no}",
    tag = "complaints",
    params(("report_no" = String, Path, description = "投诉编号")),
    responses(
        (status = 200, body = ComplaintOut),
        (status = 404, description = "没有这个投诉编号"),
    )
)]
async fn get_complaint(
    State(state): State<AppState>,
    Path(report_no): Path<String>,
) -> Result<Json<ComplaintOut>, ApiError> {
    let found = state
        .db(move |s| Ok(s.public_complaint(&report_no)?))
        .await?;
    match found {
        Some(c) => Ok(Json(c.into())),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "没有这个投诉编号，请核对后重试",
        )),
    }
}
