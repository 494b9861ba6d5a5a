//! Errors as HTTP answers, mapped in one place: an `AppError`'s kind decides the status;
//! pages get a friendly Chinese page, the API a JSON body.

use crate::pages;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jianping_app::{AppError, ErrorKind};
use jianping_store::StoreError;
use serde::Serialize;

pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Usage => StatusCode::BAD_REQUEST,
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn code_of(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Usage => "bad_request",
        ErrorKind::Invalid => "invalid",
        ErrorKind::NotFound => "not_found",
        ErrorKind::Forbidden => "forbidden",
        ErrorKind::Conflict => "conflict",
        ErrorKind::Unavailable => "unavailable",
        ErrorKind::Internal => "internal",
    }
}

/// What a person is told. Internal failures are not spelled out to the public: the
/// details go to the server's log.
fn public_message(e: &AppError, kind: ErrorKind) -> String {
    match kind {
        ErrorKind::Internal => {
            eprintln!("内部错误：{e:#}");
            "服务器内部错误，请稍后重试；如反复出现，请联系系统管理员".to_string()
        }
        _ => e.to_string(),
    }
}

/// An error on an HTML page.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub message: String,
}

impl PageError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> PageError {
        PageError {
            status,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::NOT_FOUND, message)
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        let kind = e.kind();
        PageError::new(status_of(kind), public_message(&e, kind))
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        AppError::from(e).into()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.status {
            StatusCode::NOT_FOUND => "页面不存在",
            StatusCode::FORBIDDEN => "没有权限",
            StatusCode::CONFLICT => "操作未完成",
            StatusCode::SERVICE_UNAVAILABLE => "服务繁忙",
            StatusCode::TOO_MANY_REQUESTS => "操作过于频繁",
            s if s.is_client_error() => "请求有误",
            _ => "服务器错误",
        };
        let body = pages::render_error(self.status.as_u16(), title, &self.message);
        (self.status, body).into_response()
    }
}

/// An error of the JSON API.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Field-level messages of a refused input, by field name.
    pub fields: Vec<(String, String)>,
}

#[derive(Serialize)]
struct ApiErrorBody<'a> {
    error: ApiErrorDetail<'a>,
}

#[derive(Serialize)]
struct ApiErrorDetail<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldError<'a>>,
}

#[derive(Serialize)]
struct FieldError<'a> {
    field: &'a str,
    message: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "请先登录（或提供设备密钥）",
        )
    }

    pub fn invalid_fields(fields: Vec<(String, String)>) -> ApiError {
        ApiError {
            fields,
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "提交的内容有误，请按提示修改",
            )
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let kind = e.kind();
        ApiError::new(status_of(kind), code_of(kind), public_message(&e, kind))
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        AppError::from(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ApiErrorBody {
            error: ApiErrorDetail {
                code: self.code,
                message: &self.message,
                fields: self
                    .fields
                    .iter()
                    .map(|(f, m)| FieldError {
                        field: f,
                        message: m,
                    })
                    .collect(),
            },
        };
        let mut r = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        r
    }
}

pub type PageResult<T> = Result<T, PageError>;
pub type ApiResult<T> = Result<T, ApiError>;
