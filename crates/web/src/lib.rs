//! jianping-web: `jianping serve`. One axum router over the application layer:
//! citizen pages (`/q/{token}`, no login), hall pads (`/pad`), the back office (`/office`,
//! login), the REST API (`/api/v1`, OpenAPI at `/api/openapi.json`) and Open311
//! (`/open311/v2`). Templates and assets are embedded; nothing is fetched from elsewhere.

pub mod api;
mod assets;
pub mod auth;
pub mod citizen;
pub mod download;
pub mod error;
pub mod limits;
pub mod office;
pub mod open311;
pub mod pad;
pub mod pages;
mod serve;
pub mod state;

pub use serve::{ServeOptions, serve, serve_blocking};
pub use state::{AppState, ServerSettings};

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Json, Redirect};
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;

/// Bodies larger than this are refused (413) unless a route allows more (imports, photos).
pub const BODY_LIMIT: usize = 1 << 20;

/// The whole application.
pub fn router(state: AppState) -> Router {
    let limits = state.config().limits.clone();
    Router::new()
        .route("/", get(|| async { Redirect::to("/office") }))
        .route("/healthz", get(healthz))
        .merge(assets::routes())
        .merge(auth::routes())
        .merge(citizen::routes(&limits))
        .merge(pad::routes())
        .merge(office::routes())
        .merge(api::routes())
        .merge(open311::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn(limits::api_guard))
        .layer(axum::Extension(std::sync::Arc::new(limits::ApiGuard::new(
            &limits,
        ))))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(auth::same_origin))
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; \
             connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .with_state(state)
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

async fn not_found() -> impl IntoResponse {
    error::PageError::not_found("您访问的页面不存在，请检查地址是否正确")
}

#[derive(serde::Serialize)]
struct Health {
    status: &'static str,
    database: String,
    intake: jianping_store::intake::IntakeStats,
}

/// Liveness and readiness: answers only when a database connection works.
async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, error::ApiError> {
    let database = state
        .db(|s| {
            s.backend().query("SELECT 1", &[])?;
            Ok(s.describe())
        })
        .await?;
    Ok(Json(Health {
        status: "ok",
        database,
        intake: state.intake().stats(),
    }))
}
