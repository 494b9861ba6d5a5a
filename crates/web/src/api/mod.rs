//! The REST API, `/api/v1`, documented by OpenAPI 3 at `/api/openapi.json`, generated from
//! the handlers' annotations (utoipa): each module returns an `OpenApiRouter` whose routes
//! carry their own documentation, so the document cannot drift from the code.

mod body;
pub(crate) mod complaints;
mod docs;
mod ledger;
mod pads;
pub(crate) mod ratings;
pub(crate) mod reports;
mod stats;

pub(crate) use body::ApiJson;

use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "监评 jianping 接口",
        version = "1",
        description = "政务服务监督评价平台的接口：评价器、自助终端和省级平台报送评价与投诉，整改台账，统计与报告。\
                       设备用设备密钥（Authorization: Bearer jpk_…）；工作人员用登录会话，写操作须带 X-CSRF-Token。"
    ),
    tags(
        (name = "ratings", description = "好差评"),
        (name = "complaints", description = "“码”上监督投诉"),
        (name = "pads", description = "评价器"),
        (name = "ledger", description = "问题整改台账"),
        (name = "stats", description = "统计"),
        (name = "reports", description = "报告与通报"),
    )
)]
struct ApiDoc;

/// The API's routes and its OpenAPI document.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1())
        .split_for_parts()
}

fn v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(ratings::routes())
        .merge(complaints::routes())
        .merge(pads::routes())
        .merge(ledger::routes())
        .merge(stats::routes())
        .merge(reports::routes())
}

pub fn routes() -> Router<AppState> {
    let (router, doc) = api();
    let doc = Arc::new(doc);
    router.merge(docs::routes()).route(
        "/api/openapi.json",
        get(move || {
            let doc = Arc::clone(&doc);
            async move { Json(doc.as_ref().clone()) }
        }),
    )
}
