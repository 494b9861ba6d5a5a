//! `/api/v1/ledger`: rectification items and their steps, for staff sessions. Every read
//! and step goes through the store's functions that take the session's `Principal`
//! (`authorize` inside): a clerk sees and works only their department's items.

use crate::api::ApiJson;
use crate::auth::ApiStaff;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use jianping_app::AppError;
use jianping_app::ledger::LedgerQuery;
use jianping_core::Response as CallbackResponse;
use jianping_store::ledger::StepOutcome;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(item))
        .routes(routes!(claim))
        .routes(routes!(rectify))
        .routes(routes!(callback))
        .routes(routes!(close))
}

/// Filters of the list; all optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 责任部门全称
    department: Option<String>,
    /// rating, ticket, feedback, qr_report, assessment, manual（或中文名称）
    source: Option<String>,
    /// 状态，如 registered、claimed、rectified、closed（或中文名称）
    state: Option<String>,
    /// 只列逾期未办结的
    overdue: Option<bool>,
    /// 问题发生日期起 `2023-01-01`
    from: Option<String>,
    /// 问题发生日期止
    to: Option<String>,
    /// 问题类别
    topic: Option<String>,
}

/// One item as lists show it (personal data masked).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LedgerItem {
    pub item_no: String,
    /// rating, ticket, feedback, qr_report, assessment, manual
    pub source: String,
    pub source_no: Option<String>,
    pub department: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub state: String,
    pub raised_at: String,
    pub due_on: Option<String>,
    pub callback_due_on: Option<String>,
    pub measures: Option<String>,
    pub feedback: Option<String>,
    pub rectified_at: Option<String>,
    pub closed_at: Option<String>,
    pub resolution: Option<String>,
    /// on_track, warning, overdue, …
    pub deadline: String,
    pub pending_extension: bool,
    pub pending_appeal: bool,
    pub callbacks: u64,
    pub topic: Option<String>,
}

/// A step of the item's trail.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LedgerEvent {
    pub at: String,
    pub actor: String,
    pub role: Option<String>,
    pub action: String,
    pub from: Option<String>,
    pub to: String,
    pub note: Option<String>,
}

/// An item with its source record, its trail and what may be done next.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerItemDetail {
    pub item: LedgerItem,
    /// (字段, 值) of the source record, masked.
    pub source_fields: Vec<(String, String)>,
    pub events: Vec<LedgerEvent>,
    /// Steps the bureau may take now.
    pub allowed_bureau: Vec<String>,
    /// Steps the department may take now.
    pub allowed_department: Vec<String>,
}

/// What a step did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StepResult {
    pub item_no: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub due_on: Option<String>,
}

/// Re-reads a store view through its JSON form into the documented API type.
fn convert<T: Serialize, U: serde::de::DeserializeOwned>(v: &T) -> Result<U, ApiError> {
    serde_json::to_value(v)
        .and_then(serde_json::from_value)
        .map_err(|e| AppError::Other(anyhow::anyhow!("接口数据转换失败：{e}")).into())
}

fn date(s: &Option<String>, field: &str) -> Result<Option<chrono::NaiveDate>, ApiError> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(t) => jianping_core::time::parse_date(t).map(Some).map_err(|_| {
            ApiError::invalid_fields(vec![(
                field.into(),
                format!("「{t}」不是有效日期，请写成 2023-01-01"),
            )])
        }),
    }
}

/// Items the session may see, newest first.
#[utoipa::path(
    get, path = "/ledger", tag = "ledger", params(ListQuery),
    responses(
        (status = 200, body = Vec<LedgerItem>),
        (status = 400, description = "筛选条件的类型有误（如 overdue 不是 true/false）"),
        (status = 422, description = "筛选条件的取值有误（日期、状态、来源无法识别）"),
        (status = 401, description = "未登录"),
        (status = 403, description = "该角色不能查看整改台账"),
    )
)]
async fn list(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<LedgerItem>>> {
    let query = LedgerQuery {
        department: q.department,
        source: q.source,
        state: q.state,
        overdue: q.overdue.unwrap_or(false),
        supervisor: None,
        from: date(&q.from, "from")?,
        to: date(&q.to, "to")?,
        topic: q.topic,
    };
    let filter = query.filter()?;
    let today = state.now().date();
    let who = staff.principal.clone();
    let items = state
        .db(move |s| Ok(s.ledger_items(&who, &filter, today)?))
        .await?;
    Ok(Json(items.iter().map(convert).collect::<Result<_, _>>()?))
}

/// One item with its trail.
#[utoipa::path(
    get, path = "/ledger/{item_no}", tag = "ledger",
    params(("item_no" = String, Path, description = "事项编号")),
    responses(
        (status = 200, body = LedgerItemDetail),
        (status = 401, description = "未登录"),
        (status = 403, description = "不是本部门的事项"),
        (status = 404, description = "没有这个事项"),
    )
)]
async fn item(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(item_no): Path<String>,
) -> ApiResult<Json<LedgerItemDetail>> {
    let today = state.now().date();
    let who = staff.principal.clone();
    let d = state
        .db(move |s| Ok(s.ledger_item(&who, &item_no, today)?))
        .await?;
    let names = |v: &[jianping_core::ledger::Action]| -> Result<Vec<String>, ApiError> {
        v.iter().map(convert).collect()
    };
    Ok(Json(LedgerItemDetail {
        item: convert(&d.item)?,
        source_fields: d.source_fields.clone(),
        events: d.events.iter().map(convert).collect::<Result<_, _>>()?,
        allowed_bureau: names(&d.allowed_bureau)?,
        allowed_department: names(&d.allowed_department)?,
    }))
}

async fn step(
    state: &AppState,
    staff: &crate::auth::Staff,
    item_no: String,
    action: &'static str,
    run: impl FnOnce(
        &mut jianping_store::Store,
        &str,
        &jianping_core::access::Principal,
        chrono::NaiveDateTime,
    ) -> Result<StepOutcome, jianping_store::StoreError>
    + Send
    + 'static,
) -> ApiResult<Json<StepResult>> {
    let now = state.now();
    let who = staff.principal.clone();
    let no = item_no.clone();
    let outcome = state.db(move |s| Ok(run(s, &no, &who, now)?)).await?;
    state
        .audit(
            staff,
            action,
            Some(item_no),
            Some(format!("{} → {}", outcome.from.name(), outcome.to.name())),
        )
        .await;
    Ok(Json(convert(&outcome)?))
}

/// The department takes the item on (认领).
#[utoipa::path(
    post, path = "/ledger/{item_no}/claim", tag = "ledger",
    params(("item_no" = String, Path, description = "事项编号")),
    responses(
        (status = 200, body = StepResult),
        (status = 401, description = "未登录"),
        (status = 403, description = "无权办理或缺少 X-CSRF-Token"),
        (status = 404, description = "没有这个事项"),
        (status = 409, description = "事项当前状态不能认领"),
    )
)]
async fn claim(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(item_no): Path<String>,
) -> ApiResult<Json<StepResult>> {
    step(&state, &staff, item_no, "ledger.claim", |s, no, who, at| {
        s.ledger_claim(no, who, at)
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RectifyBody {
    /// 整改措施
    pub measures: String,
}

/// The department records what it did (整改).
#[utoipa::path(
    post, path = "/ledger/{item_no}/rectify", tag = "ledger",
    params(("item_no" = String, Path, description = "事项编号")),
    request_body = RectifyBody,
    responses(
        (status = 200, body = StepResult),
        (status = 401, description = "未登录"),
        (status = 403, description = "无权办理或缺少 X-CSRF-Token"),
        (status = 404, description = "没有这个事项"),
        (status = 409, description = "事项当前状态不能整改"),
        (status = 422, description = "整改措施为空，或请求内容不是有效的 JSON"),
    )
)]
async fn rectify(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(item_no): Path<String>,
    ApiJson(b): ApiJson<RectifyBody>,
) -> ApiResult<Json<StepResult>> {
    if b.measures.trim().is_empty() {
        return Err(ApiError::invalid_fields(vec![(
            "measures".into(),
            "请填写整改措施".into(),
        )]));
    }
    step(
        &state,
        &staff,
        item_no,
        "ledger.rectify",
        move |s, no, who, at| s.ledger_rectify(no, &b.measures, who, at),
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CallbackBody {
    /// 满意、基本满意、不满意、未联系上
    pub response: String,
    pub note: Option<String>,
}

/// The bureau's call back to the person who raised it (回访).
#[utoipa::path(
    post, path = "/ledger/{item_no}/callback", tag = "ledger",
    params(("item_no" = String, Path, description = "事项编号")),
    request_body = CallbackBody,
    responses(
        (status = 200, body = StepResult),
        (status = 401, description = "未登录"),
        (status = 403, description = "无权办理或缺少 X-CSRF-Token"),
        (status = 404, description = "没有这个事项"),
        (status = 409, description = "事项当前状态不能回访"),
        (status = 422, description = "回访结果无法识别，或请求内容不是有效的 JSON"),
    )
)]
async fn callback(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(item_no): Path<String>,
    ApiJson(b): ApiJson<CallbackBody>,
) -> ApiResult<Json<StepResult>> {
    let response = CallbackResponse::parse(&b.response)
        .map_err(|e| ApiError::invalid_fields(vec![("response".into(), e)]))?;
    step(
        &state,
        &staff,
        item_no,
        "ledger.callback",
        move |s, no, who, at| s.ledger_callback(no, response, b.note.as_deref(), who, at),
    )
    .await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CloseBody {
    pub note: Option<String>,
}

/// The bureau closes the item (销号).
#[utoipa::path(
    post, path = "/ledger/{item_no}/close", tag = "ledger",
    params(("item_no" = String, Path, description = "事项编号")),
    request_body = CloseBody,
    responses(
        (status = 200, body = StepResult),
        (status = 401, description = "未登录"),
        (status = 403, description = "无权办理或缺少 X-CSRF-Token"),
        (status = 404, description = "没有这个事项"),
        (status = 409, description = "事项当前状态不能销号"),
        (status = 422, description = "请求内容不是有效的 JSON"),
    )
)]
async fn close(
    State(state): State<AppState>,
    ApiStaff(staff): ApiStaff,
    Path(item_no): Path<String>,
    ApiJson(b): ApiJson<CloseBody>,
) -> ApiResult<Json<StepResult>> {
    step(
        &state,
        &staff,
        item_no,
        "ledger.close",
        move |s, no, who, at| s.ledger_close(no, b.note.as_deref(), who, at),
    )
    .await
}
