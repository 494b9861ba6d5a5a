//! `/api/v1/ratings`: rating intake for pads, kiosks and the provincial platform (durable before 2xx).
//!
//! A device (key) rates only its own window: department, window and region come from the
//! device's registration, never from the body. A member of staff (session + CSRF header)
//! may enter a rating for any window they name, if their role may import data. Every
//! rating goes through the group-commit intake and is acknowledged only once committed:
//! 201 stored, 200 duplicate (same 评价编号, counted once), 422 invalid, 409 a second 首评
//! or 追评 of one case, 503 + Retry-After when the intake is busy.

use crate::auth::{ApiStaff, Device, Staff};
use crate::error::ApiError;
use crate::state::{AppState, ClientAddr};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jianping_core::access::{Operation, Scope, authorize};
use jianping_core::records::RatingRecord;
use jianping_core::{Channel, Grade, GradeCodes, RegionCode};
use jianping_store::codes::{PadDevice, WindowRef};
use jianping_store::{IntakeError, IntakeOutcome, IntakeReceipt};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// How long a request waits for its rating to commit before answering 503 (a retry with the
/// same 评价编号 is safe).
pub(crate) const INTAKE_WAIT: Duration = Duration::from_secs(10);
/// Most ratings in one batch request.
pub const MAX_BATCH: usize = 500;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(post_rating))
        .routes(routes!(post_batch))
}

/// A grade: its Chinese name (非常满意 … 非常不满意), or a code in the order `grade_codes` names.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum GradeValue {
    Code(i64),
    Name(String),
}

/// One rating.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RatingIn {
    /// 评价编号: unique per rating, the idempotency key (a retry is answered as a duplicate).
    pub rating_no: String,
    /// 办件编号. A case gets at most one 首评 and one 追评.
    #[serde(default)]
    pub case_no: Option<String>,
    #[schema(example = "非常满意")]
    pub grade: GradeValue,
    /// Order of numeric grade codes: `gbt39046` (default, 1 = 非常满意) or `interface` (1 = 非常不满意).
    #[serde(default)]
    pub grade_codes: Option<String>,
    /// 1 = 首评 (default), 2 = 追评.
    #[serde(default)]
    pub attempt: Option<u8>,
    /// 评价渠道 (平板, 自助终端, 网站, 移动端 …). Devices default to 政务大厅平板电脑; staff must give it.
    #[serde(default)]
    pub channel: Option<String>,
    /// 评价时间, e.g. `2026-12-03 09:30:00`; defaults to the time received.
    #[serde(default)]
    pub rated_at: Option<String>,
    #[serde(default)]
    pub matter_code: Option<String>,
    #[serde(default)]
    pub matter_name: Option<String>,
    /// The member of staff who served (name).
    #[serde(default)]
    pub staff: Option<String>,
    /// 评价标签, e.g. ["服务效率", "服务态度"].
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub rater_phone: Option<String>,
    /// Staff sessions only: the window rated (code, name or QR token). Ignored for devices,
    /// whose window is fixed by their registration.
    #[serde(default)]
    pub window: Option<String>,
}

/// Proof that a rating is durable.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RatingReceipt {
    pub rating_no: String,
    /// `stored` (new, counted) or `duplicate` (already stored; nothing changed).
    pub outcome: String,
    /// The rectification item a new bad rating opened, e.g. `ZG2026-00042`.
    pub ledger_item: Option<String>,
}

impl From<IntakeReceipt> for RatingReceipt {
    fn from(r: IntakeReceipt) -> Self {
        RatingReceipt {
            rating_no: r.rating_no,
            outcome: match r.outcome {
                IntakeOutcome::Stored => "stored",
                IntakeOutcome::Duplicate => "duplicate",
            }
            .into(),
            ledger_item: r.ledger_item,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BatchIn {
    /// At most 500 ratings.
    pub ratings: Vec<RatingIn>,
}

/// What became of one rating of a batch: `status` is the HTTP status it would have had alone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchItem {
    pub index: usize,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<RatingReceipt>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchOut {
    pub stored: usize,
    pub duplicates: usize,
    pub failed: usize,
    pub results: Vec<BatchItem>,
}

/// Who submits: a device (by its key) or a member of staff (session and CSRF header).
pub(crate) enum Submitter {
    Device(PadDevice),
    Staff(Staff),
}

fn has_device_key(parts: &Parts) -> bool {
    parts
        .headers
        .contains_key(crate::auth::device::DEVICE_HEADER)
        || parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("Bearer "))
}

/// The single-rating path's caller: a device key still to resolve, or a member of staff.
/// The key is resolved in the same database call as the rating's case check, so a pad's
/// rating costs one trip to the pool before the intake, not two (issue 9 item 8).
pub(crate) enum Caller {
    Key(String),
    Staff(Box<Staff>),
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(key) = crate::auth::device::key_of(parts) {
            return Ok(Caller::Key(key));
        }
        match Submitter::from_request_parts(parts, state).await? {
            Submitter::Staff(s) => Ok(Caller::Staff(Box::new(s))),
            Submitter::Device(_) => unreachable!("a request without a key is not a device"),
        }
    }
}

fn bad_key() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        "设备密钥无效或已停用，请联系政务服务局重新登记设备",
    )
}

/// Resolves the key, builds the rating at the device's window and checks its case, in one
/// database call. The key is checked before the body, so a stranger learns nothing from
/// the validation.
async fn prepare_device_rating(
    state: &AppState,
    key: String,
    parsed: Result<RatingIn, ApiError>,
    address: Option<String>,
) -> Result<RatingRecord, ApiError> {
    let now = state.now();
    if let Some(d) = state.devices().get(&key) {
        // Nothing left to check in the database: the intake's writer checks the case.
        let input = parsed?;
        return record(&input, &device_origin(&d, address), now).map_err(ApiError::invalid_fields);
    }
    let cache = state.clone();
    state
        .db(move |s| {
            let Some(d) = s.resolve_pad_device(&key, now)? else {
                return Ok(Err(bad_key()));
            };
            cache.devices().put(&key, &d);
            let input = match parsed {
                Ok(i) => i,
                Err(e) => return Ok(Err(e)),
            };
            let origin = device_origin(&d, address);
            Ok(record(&input, &origin, now).map_err(ApiError::invalid_fields))
        })
        .await?
}

fn device_origin(d: &PadDevice, address: Option<String>) -> Origin {
    Origin {
        window: d.window.clone(),
        device: Some(device_code(d)),
        account: None,
        address,
        default_channel: Some(Channel::HallPad),
    }
}

impl FromRequestParts<AppState> for Submitter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if has_device_key(parts) {
            let Device(d) = Device::from_request_parts(parts, state).await?;
            return Ok(Submitter::Device(d));
        }
        let ApiStaff(s) = ApiStaff::from_request_parts(parts, state).await?;
        authorize(&s.principal, Operation::ImportData, &Scope::City)
            .map_err(|e| ApiError::new(StatusCode::FORBIDDEN, "forbidden", e.to_string()))?;
        Ok(Submitter::Staff(s))
    }
}

/// What `ratings.device` records for a pad or kiosk: its number, as `jianping qr device
/// revoke #N` takes it (names may be reused after a revocation; numbers are not).
pub(crate) fn device_code(d: &PadDevice) -> String {
    format!("#{}", d.id)
}

/// Where and by whom a rating was taken, resolved server-side.
pub(crate) struct Origin {
    pub window: WindowRef,
    pub device: Option<String>,
    pub account: Option<String>,
    pub address: Option<String>,
    pub default_channel: Option<Channel>,
}

pub(crate) fn address_of(addr: &ClientAddr) -> Option<String> {
    addr.0.map(|a| a.ip().to_string())
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

type FieldErrors = Vec<(String, String)>;

fn parse_grade(v: &GradeValue, codes: &Option<String>) -> Result<Grade, String> {
    let codes = match codes.as_deref().map(str::trim) {
        None | Some("") => GradeCodes::Gbt39046,
        Some(c) => c.parse::<GradeCodes>()?,
    };
    match v {
        GradeValue::Name(n) => Grade::parse(n, codes),
        GradeValue::Code(c) => Grade::from_code(*c, codes)
            .ok_or_else(|| format!("满意度编码 {c} 无效：应为 1-5，或写满意度名称")),
    }
}

/// The rating as the store takes it, or the fields at fault in Chinese.
pub(crate) fn record(
    input: &RatingIn,
    origin: &Origin,
    now: chrono::NaiveDateTime,
) -> Result<RatingRecord, FieldErrors> {
    let mut errors: FieldErrors = Vec::new();
    let mut bad = |field: &str, msg: String| errors.push((field.to_string(), msg));
    let rating_no = input.rating_no.trim().to_string();
    if rating_no.is_empty() {
        bad(
            "rating_no",
            "请填写评价编号（每条评价唯一，重试时保持不变）".into(),
        );
    }
    let grade = parse_grade(&input.grade, &input.grade_codes)
        .map_err(|e| bad("grade", e))
        .ok();
    let attempt = input.attempt.unwrap_or(1);
    if !(1..=2).contains(&attempt) {
        bad(
            "attempt",
            format!("评价次数为 {attempt}：只能是 1（首评）或 2（追评）"),
        );
    }
    let channel = match (trimmed(&input.channel), origin.default_channel) {
        (Some(c), _) => Channel::parse(&c).map_err(|e| bad("channel", e)).ok(),
        (None, Some(c)) => Some(c),
        (None, None) => {
            bad("channel", "请填写评价渠道（如 电话、短信、PC端）".into());
            None
        }
    };
    let rated_at = match trimmed(&input.rated_at) {
        Some(t) => jianping_core::time::parse_datetime(&t)
            .map_err(|e| bad("rated_at", e))
            .ok(),
        None => Some(now),
    };
    let tags = match &input.tags {
        Some(list) => {
            let kept: Vec<&str> = list
                .iter()
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .collect();
            if kept.iter().any(|t| t.contains('、')) {
                bad("tags", "每个标签单独列出，标签内不能含“、”".into());
            }
            (!kept.is_empty()).then(|| kept.join("、"))
        }
        None => None,
    };
    let w = &origin.window;
    let department = match &w.department_name {
        Some(d) => Some(d.clone()),
        None => {
            bad(
                "window",
                format!(
                    "窗口「{}」未关联部门，评价无法归属；请在系统管理中为该窗口设置部门",
                    w.window_name
                ),
            );
            None
        }
    };
    let region = RegionCode::parse(&w.region_code)
        .map_err(|e| bad("window", e))
        .ok();
    let (Some(grade), Some(channel), Some(rated_at), Some(department), Some(region)) =
        (grade, channel, rated_at, department, region)
    else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let r = RatingRecord {
        rating_no,
        case_no: trimmed(&input.case_no),
        matter_code: trimmed(&input.matter_code),
        matter_name: trimmed(&input.matter_name),
        department,
        window: Some(
            w.window_code
                .clone()
                .unwrap_or_else(|| w.window_name.clone()),
        ),
        staff: trimmed(&input.staff),
        region,
        channel,
        grade,
        rated_at,
        attempt,
        tags,
        comment: trimmed(&input.comment),
        rater_name: None,
        rater_phone: trimmed(&input.rater_phone),
        device: origin.device.clone(),
        address: origin.address.clone(),
        account: origin.account.clone(),
    };
    r.validate().map_err(|e| vec![("rating".to_string(), e)])?;
    Ok(r)
}

/// Submits to the intake and waits, bounded, until the rating is durable.
pub(crate) async fn submit(
    state: &AppState,
    record: RatingRecord,
) -> Result<IntakeReceipt, IntakeError> {
    match tokio::time::timeout(INTAKE_WAIT, state.intake().submit_async(record)).await {
        Ok(r) => r,
        Err(_) => Err(IntakeError::Timeout),
    }
}

pub(crate) fn intake_error(e: IntakeError) -> ApiError {
    if e.is_invalid() {
        ApiError::invalid_fields(vec![("rating".into(), e.to_string())])
    } else if e.is_conflict() {
        ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string())
    } else if e.is_unavailable() {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            e.to_string(),
        )
    } else {
        eprintln!("评价保存失败：{e}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!(
                "请求内容不是有效的评价 JSON（第{}行第{}列）：{e}",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Resolves where the ratings were taken: the device's window, or the window each staff
/// entry names (never created from the request).
async fn origins(
    state: &AppState,
    who: &Submitter,
    address: Option<String>,
    windows: Vec<Option<String>>,
) -> Result<Vec<Result<Origin, FieldErrors>>, ApiError> {
    match who {
        Submitter::Device(d) => Ok(windows
            .iter()
            .map(|_| Ok(device_origin(d, address.clone())))
            .collect()),
        Submitter::Staff(s) => {
            let account = s.user.username.clone();
            let found = state
                .db(move |store| {
                    Ok(windows
                        .iter()
                        .map(|w| match w.as_deref().map(str::trim) {
                            None | Some("") => {
                                Err("请填写窗口（窗口编码、名称或二维码）".to_string())
                            }
                            Some(key) => store.find_window(key).map_err(|e| e.to_string()),
                        })
                        .collect::<Vec<_>>())
                })
                .await?;
            Ok(found
                .into_iter()
                .map(|w| {
                    w.map(|window| Origin {
                        window,
                        device: None,
                        account: Some(account.clone()),
                        address: address.clone(),
                        default_channel: None,
                    })
                    .map_err(|e| vec![("window".to_string(), e)])
                })
                .collect())
        }
    }
}

/// One rating, from its JSON to its answer.
async fn take(
    state: &AppState,
    input: &RatingIn,
    origin: Result<Origin, FieldErrors>,
) -> Result<IntakeReceipt, ApiError> {
    let origin = origin.map_err(ApiError::invalid_fields)?;
    let r = record(input, &origin, state.now()).map_err(ApiError::invalid_fields)?;
    submit(state, r).await.map_err(intake_error)
}

async fn audit_staff(state: &AppState, who: &Submitter, receipts: &[&IntakeReceipt]) {
    if let Submitter::Staff(s) = who {
        let stored: Vec<&str> = receipts
            .iter()
            .filter(|r| r.outcome == IntakeOutcome::Stored)
            .map(|r| r.rating_no.as_str())
            .collect();
        if !stored.is_empty() {
            let detail = (stored.len() > 1).then(|| format!("共 {} 条", stored.len()));
            state
                .audit(s, "rating.submit", Some(stored.join("、")), detail)
                .await;
        }
    }
}

/// Submit one rating.
#[utoipa::path(
    post,
    path = "/ratings",
    tag = "ratings",
    request_body = RatingIn,
    responses(
        (status = 201, description = "已保存（已落盘）", body = RatingReceipt),
        (status = 200, description = "该评价编号已保存过，未重复计数", body = RatingReceipt),
        (status = 401, description = "缺少或无效的设备密钥/登录"),
        (status = 403, description = "缺少 X-CSRF-Token，或无权录入评价"),
        (status = 409, description = "该办件已有首评/追评"),
        (status = 422, description = "评价内容有误（按字段说明）"),
        (status = 503, description = "评价接收繁忙，稍后用同一评价编号重试（Retry-After）"),
    ),
)]
async fn post_rating(
    State(state): State<AppState>,
    caller: Caller,
    addr: ClientAddr,
    body: Bytes,
) -> Result<Response, ApiError> {
    let address = address_of(&addr);
    let receipt = match caller {
        Caller::Key(key) => {
            let parsed = parse_json::<RatingIn>(&body);
            let r = prepare_device_rating(&state, key, parsed, address).await?;
            submit(&state, r).await.map_err(intake_error)?
        }
        Caller::Staff(staff) => {
            let input: RatingIn = parse_json(&body)?;
            let who = Submitter::Staff(*staff);
            let mut origin = origins(&state, &who, address, vec![input.window.clone()]).await?;
            let receipt = take(&state, &input, origin.remove(0)).await?;
            audit_staff(&state, &who, &[&receipt]).await;
            receipt
        }
    };
    let status = match receipt.outcome {
        IntakeOutcome::Stored => StatusCode::CREATED,
        IntakeOutcome::Duplicate => StatusCode::OK,
    };
    Ok((status, Json(RatingReceipt::from(receipt))).into_response())
}

/// Submit up to 500 ratings; each is answered on its own (the batch is not all-or-nothing).
#[utoipa::path(
    post,
    path = "/ratings/batch",
    tag = "ratings",
    request_body = BatchIn,
    responses(
        (status = 200, description = "逐条结果（每条的 status 即其单独提交时的状态码）", body = BatchOut),
        (status = 401, description = "缺少或无效的设备密钥/登录"),
        (status = 403, description = "缺少 X-CSRF-Token，或无权录入评价"),
        (status = 422, description = "请求不是有效的 JSON，或超过 500 条"),
    ),
)]
async fn post_batch(
    State(state): State<AppState>,
    who: Submitter,
    addr: ClientAddr,
    body: Bytes,
) -> Result<Json<BatchOut>, ApiError> {
    let batch: BatchIn = parse_json(&body)?;
    if batch.ratings.is_empty() || batch.ratings.len() > MAX_BATCH {
        return Err(ApiError::invalid_fields(vec![(
            "ratings".into(),
            format!(
                "一次提交 1–{MAX_BATCH} 条评价，本次 {} 条",
                batch.ratings.len()
            ),
        )]));
    }
    let windows = batch.ratings.iter().map(|r| r.window.clone()).collect();
    let origins = origins(&state, &who, address_of(&addr), windows).await?;
    // All of them queue at once, so the batch shares the intake's group commits.
    let answers = futures_util::future::join_all(
        batch
            .ratings
            .iter()
            .zip(origins)
            .map(|(input, origin)| take(&state, input, origin)),
    )
    .await;
    let receipts: Vec<&IntakeReceipt> = answers.iter().filter_map(|a| a.as_ref().ok()).collect();
    audit_staff(&state, &who, &receipts).await;
    let mut out = BatchOut {
        stored: 0,
        duplicates: 0,
        failed: 0,
        results: Vec::with_capacity(answers.len()),
    };
    for (index, a) in answers.into_iter().enumerate() {
        out.results.push(match a {
            Ok(r) => {
                let status = if r.outcome == IntakeOutcome::Stored {
                    out.stored += 1;
                    201
                } else {
                    out.duplicates += 1;
                    200
                };
                BatchItem {
                    index,
                    status,
                    receipt: Some(r.into()),
                    message: None,
                }
            }
            Err(e) => {
                out.failed += 1;
                let message = if e.fields.is_empty() {
                    e.message
                } else {
                    e.fields
                        .iter()
                        .map(|(f, m)| format!("{f}：{m}"))
                        .collect::<Vec<_>>()
                        .join("；")
                };
                BatchItem {
                    index,
                    status: e.status.as_u16(),
                    receipt: None,
                    message: Some(message),
                }
            }
        });
    }
    Ok(Json(out))
}
