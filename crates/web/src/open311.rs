//! Open311 GeoReport v2 (`/open311/v2`): complaints (码上监督) filed and tracked by existing
//! Open311 clients.
//!
//! - `GET services.json`: the complaint categories;
//! - `POST requests.json` (form or JSON; `api_key` = a device key): files a complaint at the
//!   device's window, with its ledger item; answers `[{service_request_id, service_notice}]`;
//! - `GET requests.json` (service_request_id, service_code, status, start_date, end_date)
//!   and `GET requests/{id}.json`: status `open`/`closed` from the ledger item.
//!
//! JSON only: `.xml` is answered 400. The location of a request is the device's window
//! (lat/long and addresses sent are not used). Names, phones and e-mails are stored with
//! the complaint (contact for the department, masked in the back office) and never returned.

use crate::api::complaints::{file as file_complaint, state_name};
use crate::auth::device::resolve;
use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use chrono::{Local, NaiveDateTime, TimeZone};
use jianping_core::time::{fmt_ts, parse_datetime};
use jianping_store::open311::{CATEGORIES, ComplaintFilter, PublicComplaint, category};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/{file}", get(get_top).post(post_top))
        .route("/open311/v2/requests/{file}", get(get_request))
        .route("/open311/v2/services/{file}", get(get_service))
}

/// An Open311 error: `[{"code": status, "description": …}]` with that status.
struct Open311Error(StatusCode, String);

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let body = json!([{ "code": self.0.as_u16(), "description": self.1 }]);
        (self.0, Json(body)).into_response()
    }
}

impl From<crate::error::ApiError> for Open311Error {
    fn from(e: crate::error::ApiError) -> Self {
        let mut text = e.message;
        if !e.fields.is_empty() {
            let fields: Vec<String> = e.fields.iter().map(|(f, m)| format!("{f}：{m}")).collect();
            text = format!("{text}：{}", fields.join("；"));
        }
        Open311Error(e.status, text)
    }
}

impl From<jianping_app::AppError> for Open311Error {
    fn from(e: jianping_app::AppError) -> Self {
        crate::error::ApiError::from(e).into()
    }
}

type Result311<T> = Result<T, Open311Error>;

/// `name.json` → `name`; any other format is refused.
fn json_name(file: &str) -> Result311<&str> {
    match file.rsplit_once('.') {
        Some((name, "json")) => Ok(name),
        Some((_, "xml")) => Err(Open311Error(
            StatusCode::BAD_REQUEST,
            "本接口仅提供 JSON 格式（请将 .xml 改为 .json）".into(),
        )),
        _ => Err(not_found()),
    }
}

fn not_found() -> Open311Error {
    Open311Error(StatusCode::NOT_FOUND, "没有这个地址或编号".into())
}

/// W3C date-time with the server's offset, as GeoReport v2 writes times.
fn w3c(stored: &str) -> Option<String> {
    let t = parse_datetime(stored).ok()?;
    Local
        .from_local_datetime(&t)
        .earliest()
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
}

fn w3c_day(day: &str) -> Option<String> {
    w3c(&format!("{day} 23:59:59"))
}

/// A request in GeoReport v2 form: nothing personal.
fn request_json(c: PublicComplaint) -> Value {
    let service_code = category(&c.domain).map(|cat| cat.code);
    let status_notes = match (&c.ledger_item, state_name(c.ledger_state.as_deref())) {
        (Some(item), Some(state)) => Some(format!("整改台账 {item}：{state}")),
        _ => c.handling.clone(),
    };
    json!({
        "service_request_id": c.report_no,
        "status": if c.closed { "closed" } else { "open" },
        "status_notes": status_notes,
        "service_name": c.domain,
        "service_code": service_code,
        "description": c.content,
        "agency_responsible": c.department,
        "service_notice": null,
        "requested_datetime": w3c(&c.received_at),
        "updated_datetime": c.updated_at.as_deref().and_then(w3c),
        "expected_datetime": c.due_on.as_deref().and_then(w3c_day),
        "address": c.window,
        "address_id": null,
        "zipcode": null,
        "lat": null,
        "long": null,
        "media_url": null,
    })
}

fn services() -> Value {
    Value::Array(
        CATEGORIES
            .iter()
            .map(|c| {
                json!({
                    "service_code": c.code,
                    "service_name": c.name,
                    "description": c.description,
                    "metadata": false,
                    "type": "realtime",
                    "keywords": "码上监督",
                    "group": "码上监督",
                })
            })
            .collect(),
    )
}

#[derive(Debug, Default, Deserialize)]
struct RequestQuery {
    service_request_id: Option<String>,
    service_code: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    status: Option<String>,
}

/// A GeoReport date (W3C date-time, or a plain date or time) as stored text.
fn bound(v: &Option<String>, end: bool) -> Result311<Option<String>> {
    let Some(t) = v.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let parsed: Option<NaiveDateTime> = chrono::DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|d| d.with_timezone(&Local).naive_local())
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .and_then(|d| {
                    if end {
                        d.and_hms_opt(23, 59, 59)
                    } else {
                        d.and_hms_opt(0, 0, 0)
                    }
                })
        })
        .or_else(|| parse_datetime(t).ok());
    match parsed {
        Some(p) => Ok(Some(fmt_ts(&p))),
        None => Err(Open311Error(
            StatusCode::BAD_REQUEST,
            format!("日期「{t}」无法识别，应为 W3C 格式，如 2026-12-01T00:00:00+08:00"),
        )),
    }
}

async fn get_top(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<RequestQuery>,
) -> Result311<Response> {
    match json_name(&file)? {
        "services" => Ok(Json(services()).into_response()),
        "requests" => list_requests(&state, q).await,
        _ => Err(not_found()),
    }
}

async fn get_service(Path(file): Path<String>) -> Result311<Response> {
    let code = json_name(&file)?;
    if category(code).is_none() {
        return Err(not_found());
    }
    // No category asks for more than the description (metadata = false).
    Ok(Json(json!({ "service_code": code, "attributes": [] })).into_response())
}

async fn list_requests(state: &AppState, q: RequestQuery) -> Result311<Response> {
    if let Some(ids) = q
        .service_request_id
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        let ids: Vec<String> = ids
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .take(100)
            .collect();
        let found = state
            .db(move |s| {
                let mut out = Vec::new();
                for id in &ids {
                    if let Some(c) = s.public_complaint(id)? {
                        out.push(c);
                    }
                }
                Ok(out)
            })
            .await?;
        return Ok(Json(found.into_iter().map(request_json).collect::<Vec<_>>()).into_response());
    }
    let domain = match q
        .service_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => Some(
            category(code)
                .ok_or_else(|| {
                    Open311Error(StatusCode::BAD_REQUEST, format!("没有服务类别「{code}」"))
                })?
                .name
                .to_string(),
        ),
        None => None,
    };
    let closed = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("open") => Some(false),
        Some("closed") => Some(true),
        Some(other) => {
            return Err(Open311Error(
                StatusCode::BAD_REQUEST,
                format!("status 只能是 open 或 closed，收到「{other}」"),
            ));
        }
    };
    let mut from = bound(&q.start_date, false)?;
    let to = bound(&q.end_date, true)?;
    if from.is_none() && to.is_none() {
        // GeoReport v2: without dates, the last 90 days.
        from = Some(fmt_ts(&(state.now() - chrono::Duration::days(90))));
    }
    let filter = ComplaintFilter {
        domain,
        closed,
        from,
        to,
        limit: 1000,
    };
    let found = state.db(move |s| Ok(s.public_complaints(&filter)?)).await?;
    Ok(Json(found.into_iter().map(request_json).collect::<Vec<_>>()).into_response())
}

async fn get_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result311<Response> {
    let id = json_name(&file)?.to_string();
    let found = state.db(move |s| Ok(s.public_complaint(&id)?)).await?;
    match found {
        Some(c) => Ok(Json(vec![request_json(c)]).into_response()),
        None => Err(not_found()),
    }
}

/// The fields of a GeoReport v2 request this server uses.
#[derive(Debug, Default, Deserialize)]
struct NewRequest {
    api_key: Option<String>,
    service_code: Option<String>,
    description: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    phone: Option<String>,
}

#[derive(Serialize)]
struct Created {
    service_request_id: String,
    service_notice: String,
    account_id: Option<String>,
}

async fn post_top(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result311<Response> {
    if json_name(&file)? != "requests" {
        return Err(not_found());
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let req: NewRequest = if is_json {
        serde_json::from_slice(&body).map_err(|e| {
            Open311Error(StatusCode::BAD_REQUEST, format!("请求不是有效的 JSON：{e}"))
        })?
    } else {
        serde_urlencoded::from_bytes(&body)
            .map_err(|e| Open311Error(StatusCode::BAD_REQUEST, format!("请求表单无法解析：{e}")))?
    };
    let key = req
        .api_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| Open311Error(StatusCode::FORBIDDEN, "缺少 api_key（设备密钥）".into()))?;
    let device = resolve(&state, key.to_string()).await?.ok_or_else(|| {
        Open311Error(
            StatusCode::FORBIDDEN,
            "api_key 无效或已停用，请联系政务服务局登记设备".into(),
        )
    })?;
    let name = match (req.last_name.as_deref(), req.first_name.as_deref()) {
        (None, None) => None,
        (l, f) => Some(format!(
            "{}{}",
            l.unwrap_or("").trim(),
            f.unwrap_or("").trim()
        )),
    };
    let filed = file_complaint(
        &state,
        &device,
        req.service_code.as_deref().unwrap_or(""),
        req.description.as_deref().unwrap_or(""),
        name.as_deref(),
        req.phone.as_deref(),
    )
    .await?;
    let notice = match &filed.ledger_item {
        Some(item) => format!("已受理，登记整改台账 {item}，责任部门将按时限办理"),
        None => "已受理".to_string(),
    };
    Ok((
        StatusCode::CREATED,
        Json(vec![Created {
            service_request_id: filed.report_no,
            service_notice: notice,
            account_id: None,
        }]),
    )
        .into_response())
}
