//! `ApiJson`: axum's `Json` extractor whose refusals speak the API's error format. Plain
//! `Json` answers a missing Content-Type with 415 and a syntax error with 400, in English
//! plain text that no client can parse and the OpenAPI document does not list; schemathesis
//! (issue 12 item 7) found both on the ledger's steps.

use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;

pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                refusal(&e),
            )),
        }
    }
}

fn refusal(e: &JsonRejection) -> String {
    match e {
        JsonRejection::MissingJsonContentType(_) => {
            "请求须带 Content-Type: application/json 请求头".to_string()
        }
        other => format!(
            "请求内容不是有效的 JSON，请按接口文档修改：{}",
            other.body_text()
        ),
    }
}
